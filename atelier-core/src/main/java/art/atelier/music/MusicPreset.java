package art.atelier.music;

import art.atelier.UsageException;
import art.atelier.nn.GptConfig;

import java.util.Arrays;
import java.util.Locale;

/**
 * Named sizes of the music model: the shared GPT decoder with a context long enough for phrases. A
 * four-voice Bach chorale takes about 13 events a second, so the 512 events of {@code baby} and
 * {@code small} hold some 40 seconds, several phrases. The vocabulary is filled in from the corpus's
 * styles.
 */
public enum MusicPreset {
    /** For tests and the demo: trains in seconds. */
    TINY(2, 2, 32, 128, 0.0f, 300, 8, 2e-3f),
    /** A laptop model: 4 layers, 4 heads, 128 wide, 512 events (half a minute of a chorale). */
    BABY(4, 4, 128, 512, 0.1f, 2000, 8, 1e-3f),
    /** 6 layers, 8 heads, 256 wide, 512 events: a few seconds a step on two CPU cores, hours of training. */
    SMALL(6, 8, 256, 512, 0.2f, 3000, 8, 6e-4f);

    private final int layers; // transformer blocks
    private final int heads; // attention heads per block
    private final int width; // model width
    private final int context; // events of context
    private final float dropout; // dropout probability
    private final int steps; // default training steps
    private final int batch; // default windows per step
    private final float learningRate; // default peak learning rate

    MusicPreset(int layers, int heads, int width, int context, float dropout, int steps, int batch, float learningRate) {
        this.layers = layers;
        this.heads = heads;
        this.width = width;
        this.context = context;
        this.dropout = dropout;
        this.steps = steps;
        this.batch = batch;
        this.learningRate = learningRate;
    }

    /**
     * @param vocabSize the vocabulary's size
     * @return the full shape; styles are tokens of the vocabulary, not a style embedding
     */
    public GptConfig config(int vocabSize) {
        return new GptConfig(vocabSize, context, layers, heads, width, dropout, false, 0);
    }

    /** @return the default number of training steps */
    public int defaultSteps() {
        return steps;
    }

    /** @return the default batch size */
    public int defaultBatch() {
        return batch;
    }

    /** @return the default peak learning rate */
    public float defaultLearningRate() {
        return learningRate;
    }

    /** @return the lower-case name used on the command line */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name tiny, baby or small
     * @return the preset
     */
    public static MusicPreset of(String name) {
        for (MusicPreset p : values()) {
            if (p.id().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new UsageException("unknown preset '" + name + "'; choose one of "
                + Arrays.stream(values()).map(MusicPreset::id).toList());
    }
}
