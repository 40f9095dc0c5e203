package art.atelier.nn;

import art.atelier.UsageException;

import java.util.Arrays;
import java.util.Locale;

/** Named model sizes; the vocabulary and styles are filled in from the corpus. */
public enum GptPreset {
    /** For tests and the demo: trains in seconds on a laptop. */
    TINY(2, 2, 32, 32, 0.0f, 1000, 16, 2e-3f),
    /** nanoGPT's CPU "baby Shakespeare" model: 4 layers, 4 heads, 128 wide, context 64. */
    BABY(4, 4, 128, 64, 0.0f, 2000, 12, 1e-3f),
    /** nanoGPT's Shakespeare-char model: 6 layers, 6 heads, 384 wide, context 256. */
    SMALL(6, 6, 384, 256, 0.2f, 5000, 64, 1e-3f);

    private final int layers; // transformer blocks
    private final int heads; // attention heads per block
    private final int width; // model width
    private final int context; // tokens of context
    private final float dropout; // default dropout probability
    private final int steps; // default training steps
    private final int batch; // default sequences per step
    private final float learningRate; // default peak learning rate

    GptPreset(int layers, int heads, int width, int context, float dropout, int steps, int batch, float learningRate) {
        this.layers = layers;
        this.heads = heads;
        this.width = width;
        this.context = context;
        this.dropout = dropout;
        this.steps = steps;
        this.batch = batch;
        this.learningRate = learningRate;
    }

    /** @return the default number of training steps (nanoGPT's for baby and small) */
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

    /**
     * @param vocabSize the tokenizer's vocabulary size
     * @param styles the corpus's number of style labels (0 or 1 means unconditioned)
     * @param bias whether layers carry biases
     * @return the full shape
     */
    public GptConfig config(int vocabSize, int styles, boolean bias) {
        return new GptConfig(vocabSize, context, layers, heads, width, dropout, bias, styles > 1 ? styles : 0);
    }

    /** @return the lower-case name used on the command line */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name tiny, baby or small
     * @return the preset
     */
    public static GptPreset of(String name) {
        for (GptPreset p : values()) {
            if (p.id().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new UsageException("unknown preset '" + name + "'; choose one of "
                + Arrays.stream(values()).map(GptPreset::id).toList());
    }
}
