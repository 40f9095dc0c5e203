package art.atelier.train;

import ai.djl.Model;
import ai.djl.training.ParameterStore;

import ai.djl.ndarray.NDManager;

import art.atelier.Atelier;
import art.atelier.nn.Compute;
import art.atelier.nn.Gpt;
import art.atelier.nn.GptConfig;
import art.atelier.util.Json;
import art.atelier.util.Rng;

import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A GPT in memory with its card: what the text and music models share (they differ in what turns
 * their tokens into works: a tokenizer, an event vocabulary). Close it to free the weights.
 */
public abstract class GptModel implements AutoCloseable {

    /**
     * A network built and its weights in place.
     *
     * @param model the DJL model that owns the parameters
     * @param gpt the network
     * @param weightsHash "sha256:..." of the weights loaded, or null for a new model
     */
    protected record Built(Model model, Gpt gpt, String weightsHash) {}

    private final Model model; // owns the parameters
    private final Gpt gpt;
    private final ParameterStore store;
    private final ModelCard card; // null for a model not yet saved
    private final String weightsHash;

    /**
     * @param built the network
     * @param card its card, or null for a new model
     */
    protected GptModel(Built built, ModelCard card) {
        this.model = built.model();
        this.gpt = built.gpt();
        this.store = new ParameterStore(model.getNDManager(), false);
        this.card = card;
        this.weightsHash = built.weightsHash();
    }

    /**
     * @param name the model's name
     * @param config its shape
     * @param seed the initialisation seed
     * @return a freshly initialised network
     */
    protected static Built fresh(String name, GptConfig config, long seed) {
        return build(name, config, seed, null);
    }

    /**
     * @param dir a checkpoint directory
     * @param name the model's name
     * @param config its shape, from the card
     * @return the network with the checkpoint's weights
     * @throws art.atelier.AtelierException if the weights do not fit the config
     */
    protected static Built load(Path dir, String name, GptConfig config) {
        return build(name, config, 0, dir);
    }

    private static Built build(String name, GptConfig config, long seed, Path weights) {
        Compute.init();
        Model model = Model.newInstance(name, Compute.device(), "PyTorch");
        try {
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            if (weights == null) {
                Compute.seed(seed);
            }
            gpt.initialize(model.getNDManager());
            String hash = weights == null ? null : Checkpoint.loadWeights(weights, gpt, model.getNDManager());
            return new Built(model, gpt, hash);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * What a checkpoint of a run says about the model beside its weights.
     *
     * @param medium the medium
     * @param family the family
     * @param name the model's name
     * @param preset the preset it was made from
     * @param vocabulary the tokenizer or vocabulary record
     * @param styles the style labels it knows
     * @param corpus what it learns from
     * @param created when the model was first made
     */
    public record Identity(String medium, String family, String name, String preset, JsonObject vocabulary,
            List<String> styles, ModelCard.CorpusRecord corpus, String created) {}

    /**
     * Trains this model with the shared loop: next-token training ({@link LanguageModelTask}), AdamW
     * with nanoGPT's decay groups, checkpoints of card, weights and optimizer state.
     *
     * @param identity what the checkpoints' cards say
     * @param dir the model's directory
     * @param data the training windows
     * @param settings how to train
     * @param rng the batch generator, fresh or restored
     * @param startStep steps already done
     * @param resumeFrom the checkpoint whose optimizer state to load, or null for a new run
     * @param listener the metrics stream
     * @param stop polled before every step
     * @param attachments files every checkpoint keeps beside the weights (the corpus's novelty index)
     * @return how the run ended
     */
    public TrainingResult train(Identity identity, Path dir, SequenceData data, TrainSettings settings, Rng rng,
            int startStep, Path resumeFrom, TrainingListener listener, BooleanSupplier stop,
            Map<String, byte[]> attachments) {
        NDManager manager = model.getNDManager();
        try (AdamW optimizer = new AdamW(manager, gpt.getParameters(), settings, AdamW.NANO_GPT_DECAY)) {
            if (resumeFrom != null) {
                Checkpoint.loadOptimizer(resumeFrom, optimizer);
            }
            CheckpointWriter saver = (out, step, last, eval, rngState) -> {
                Checkpoint.writeCard(out, new ModelCard(Checkpoint.FORMAT, identity.medium(), identity.family(),
                        identity.name(), identity.preset(), Json.tree(gpt.config()).getAsJsonObject(),
                        identity.vocabulary(), identity.styles(), identity.corpus(), settings, step, Map.copyOf(last),
                        Map.copyOf(eval), rngState, Atelier.software(), identity.created(), Instant.now().toString()));
                Checkpoint.saveWeights(out, gpt);
                Checkpoint.saveOptimizer(out, optimizer);
            };
            LanguageModelTask task = new LanguageModelTask(gpt, store, data, settings, optimizer, rng, saver);
            TrainingLoop.Plan plan = new TrainingLoop.Plan(identity.name(), startStep, settings.steps(),
                    settings.evalEvery(), settings.checkpointEvery(), dir, attachments);
            return TrainingLoop.run(task, plan, manager, listener, stop);
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
