package art.atelier.text;

import ai.djl.Model;
import ai.djl.training.ParameterStore;

import art.atelier.AtelierException;
import art.atelier.nn.Compute;
import art.atelier.nn.Gpt;
import art.atelier.nn.GptConfig;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.util.Json;

import java.nio.file.Path;

/** A text model in memory: its GPT, its tokenizer and its card. Close it to free the weights. */
public final class TextModel implements AutoCloseable {

    /** The medium's name in cards and manifests. */
    public static final String MEDIUM = "text";
    /** The family's name in cards and manifests. */
    public static final String FAMILY = "gpt";

    private final Model model; // owns the parameters
    private final Gpt gpt;
    private final ParameterStore store;
    private final Tokenizer tokenizer;
    private final ModelCard card; // null for a model not yet saved
    private final String weightsHash; // "sha256:..." of the weights loaded, null for a new model

    private TextModel(Model model, Gpt gpt, Tokenizer tokenizer, ModelCard card, String weightsHash) {
        this.model = model;
        this.gpt = gpt;
        this.store = new ParameterStore(model.getNDManager(), false);
        this.tokenizer = tokenizer;
        this.card = card;
        this.weightsHash = weightsHash;
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
        Compute.init();
        Model model = Model.newInstance(name, Compute.device(), "PyTorch");
        try {
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            Compute.seed(seed);
            gpt.initialize(model.getNDManager());
            return new TextModel(model, gpt, tokenizer, null, null);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
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
        Compute.init();
        Model model = Model.newInstance(card.name(), Compute.device(), "PyTorch");
        try {
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            gpt.initialize(model.getNDManager());
            String hash = Checkpoint.loadWeights(dir, gpt, model.getNDManager());
            return new TextModel(model, gpt, tokenizer, card, hash);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** @return the DJL model that owns the parameters */
    public Model model() {
        return model;
    }

    /** @return the network */
    public Gpt gpt() {
        return gpt;
    }

    /** @return its parameter store */
    public ParameterStore store() {
        return store;
    }

    /** @return the tokenizer */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** @return the card it was loaded from, or null for a new model */
    public ModelCard card() {
        return card;
    }

    /** @return "sha256:" and the hash of the weights loaded (the checkpoint's identity), or null for a new model */
    public String weightsHash() {
        return weightsHash;
    }

    @Override
    public void close() {
        model.close();
    }
}
