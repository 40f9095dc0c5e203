package art.atelier.text;

import art.atelier.AtelierException;
import art.atelier.nn.GptConfig;
import art.atelier.train.Checkpoint;
import art.atelier.train.GptModel;
import art.atelier.train.ModelCard;
import art.atelier.util.Json;

import java.nio.file.Path;

/** A text model in memory: its GPT, its tokenizer and its card. Close it to free the weights. */
public final class TextModel extends GptModel {

    /** The medium's name in cards and manifests. */
    public static final String MEDIUM = "text";
    /** The family's name in cards and manifests. */
    public static final String FAMILY = "gpt";

    private final Tokenizer tokenizer;

    private TextModel(Built built, Tokenizer tokenizer, ModelCard card) {
        super(built, card);
        this.tokenizer = tokenizer;
    }

    /**
     * A freshly initialised model.
     *
     * @param name its name
     * @param config its shape
     * @param tokenizer its tokenizer
     * @param seed the initialisation seed
     * @return the model
     */
    public static TextModel create(String name, GptConfig config, Tokenizer tokenizer, long seed) {
        return new TextModel(fresh(name, config, seed), tokenizer, null);
    }

    /**
     * Loads a checkpoint.
     *
     * @param dir the checkpoint directory
     * @return the model
     * @throws AtelierException if it is not a text model this version can read, or its weights do not fit
     */
    public static TextModel load(Path dir) {
        return load(dir, Checkpoint.readCard(dir));
    }

    /**
     * Loads a checkpoint whose card the caller has already read.
     *
     * @param dir the checkpoint directory
     * @param read its card
     * @return the model
     * @throws AtelierException if it is not a text model this version can read, or its weights do not fit
     */
    public static TextModel load(Path dir, ModelCard read) {
        ModelCard card = Checkpoint.expect(read, MEDIUM, FAMILY);
        GptConfig config;
        Tokenizer tokenizer;
        try {
            config = Json.from(card.config(), GptConfig.class);
            tokenizer = Tokenizer.fromJson(card.vocabulary());
        } catch (RuntimeException e) {
            throw new AtelierException(dir.resolve(Checkpoint.CARD) + " has a bad config or tokenizer: "
                    + e.getMessage(), e);
        }
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new AtelierException(dir.resolve(Checkpoint.CARD) + ": the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model " + config.vocabSize());
        }
        return new TextModel(load(dir, card.name(), config), tokenizer, card);
    }

    /** @return the tokenizer */
    public Tokenizer tokenizer() {
        return tokenizer;
    }
}
