package art.atelier.image.vqvae;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import art.atelier.Atelier;
import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFile;
import art.atelier.corpus.ImageCorpus;
import art.atelier.novelty.Indexes;
import art.atelier.image.GridWriter;
import art.atelier.image.ImageDataset;
import art.atelier.image.ImageModel;
import art.atelier.image.ImageTraining;
import art.atelier.nn.Compute;
import art.atelier.train.AdamW;
import art.atelier.train.Checkpoint;
import art.atelier.train.CheckpointWriter;
import art.atelier.train.ModelCard;
import art.atelier.train.Runs;
import art.atelier.train.TrainSettings;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingLoop;
import art.atelier.train.TrainingResult;
import art.atelier.util.Json;
import art.atelier.util.Rng;

import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code atelier train image --family vqvae}: the GAN's corpus, split and loop, training the
 * autoencoder for {@code --steps} and then the prior for {@code --prior-steps}, in one checkpoint
 * (card, the whole model's weights, both optimizers' states). A grid of reconstructions (originals
 * above) is written to the run folder at every evaluation of the first stage, a grid of prior
 * samples in the second.
 */
public final class VqVaeTraining {

    /** Optimizer state files. */
    static final String AUTOENCODER_OPTIMIZER = "optimizer-autoencoder.bin";
    static final String PRIOR_OPTIMIZER = "optimizer-prior.bin";
    /** Default steps of each stage. */
    public static final int DEFAULT_STEPS = 10_000;

    /**
     * The VQ-VAE's own options; null fields take the preset's (or, on resume, the checkpoint's) value.
     *
     * @param preset standard or tiny
     * @param codes K
     * @param downsample 4 or 8
     * @param priorSteps the prior's steps
     * @param priorBatch grids per prior step
     * @param priorLearningRate the prior's peak learning rate
     * @param kmeansInit whether the codebook starts as k-means centroids of the first batch (default) or as
     *     randomly chosen encoder outputs
     */
    public record Options(String preset, Integer codes, Integer downsample, Integer priorSteps, Integer priorBatch,
            Float priorLearningRate, Boolean kmeansInit) {

        /** @return every option at its default */
        public static Options defaults() {
            return new Options(null, null, null, null, null, null, null);
        }
    }

    /**
     * What the checkpoint's config holds: the model, and the plan of its two stages.
     *
     * @param model the shape
     * @param autoencoderSteps steps of the first stage; the prior's follow
     * @param prior the prior's training settings (its steps: the second stage's)
     * @param mirror whether the prior also learns the training pictures' mirror images
     */
    public record Recipe(VqVaeConfig model, int autoencoderSteps, TrainSettings prior, boolean mirror) {}

    private VqVaeTraining() {}

    /**
     * @param card a VQ-VAE's card
     * @return its recipe
     * @throws AtelierException if the card's config is not one
     */
    public static Recipe recipe(ModelCard card) {
        try {
            Recipe r = Json.from(card.config(), Recipe.class);
            if (r.model() == null || r.prior() == null) {
                throw new IllegalArgumentException("no model or prior settings");
            }
            return r;
        } catch (RuntimeException e) {
            throw new AtelierException("model '" + card.name() + "' has a bad VQ-VAE config: " + e.getMessage(), e);
        }
    }

    /**
     * @param steps the autoencoder's steps
     * @param batch pictures per step, or null for 32
     * @param learningRate or null for 3e-4 (van den Oord et al.'s, with Adam)
     * @param seed seed
     * @return the autoencoder's recipe, at a constant rate
     */
    public static TrainSettings autoencoderSettings(int steps, Integer batch, Float learningRate, long seed) {
        float lr = learningRate != null ? learningRate : 3e-4f;
        return new TrainSettings(steps, batch != null ? batch : 32, lr, lr, 0, 0f, 0.9f, 0.999f, 1e-8f, 0f,
                Math.max(1, Math.min(500, steps / 10)), 4, Math.max(1, Math.min(1000, steps / 4)), seed);
    }

    /**
     * @param steps the prior's steps
     * @param batch grids per step, or null for 32
     * @param learningRate or null for 1e-3
     * @param seed seed
     * @return nanoGPT's recipe for the prior (cosine decay to a tenth, warm-up, weight decay 0.1, clipping)
     */
    public static TrainSettings priorSettings(int steps, Integer batch, Float learningRate, long seed) {
        TrainSettings s = TrainSettings.nanoGpt(steps, batch != null ? batch : 32,
                learningRate != null ? learningRate : 1e-3f, seed);
        return s.withEvaluation(s.evalEvery(), 4);
    }

    /**
     * Trains, a new model or {@code --resume} of one.
     *
     * @param workspace where the model goes
     * @param request the picture options shared with the GAN ({@code steps}: the autoencoder's)
     * @param options the VQ-VAE's own
     * @param listener the metrics stream
     * @param stop polled before every step; when true the run saves and returns
     * @return how the run ended
     */
    public static TrainingResult train(Workspace workspace, ImageTraining.Request request, Options options,
            TrainingListener listener, BooleanSupplier stop) {
        Path dir = workspace.model(request.name());
        ModelCard existing = Runs.target(workspace, request.name(), request.resume(), request.force());
        ModelCard card = existing == null ? null : Checkpoint.expect(existing, ImageModel.MEDIUM, VqVaeConfig.FAMILY);
        ImageCorpus.Options format = card != null ? ImageModel.format(card) : new ImageCorpus.Options(
                Objects.requireNonNullElse(request.size(), 64),
                Objects.requireNonNullElse(request.fit(), ImageCorpus.Fit.CROP),
                Objects.requireNonNullElse(request.channels(), 3));
        if (card != null) {
            Runs.refuseChange("--size", request.size(), format.size());
            Runs.refuseChange("--channels", request.channels(), format.channels());
            Runs.refuseChange("--fit", request.fit(), format.fit());
        }
        ImageCorpus corpus = ImageCorpus.load(request.data(), format, request.badFiles());
        for (BadFile b : corpus.skipped()) {
            listener.onNote("left out " + b);
        }
        return card != null ? resume(workspace, dir, card, request, options, corpus, listener, stop)
                : fresh(workspace, dir, request, options, corpus, listener, stop);
    }

    private static TrainingResult fresh(Workspace ws, Path dir, ImageTraining.Request r, Options o, ImageCorpus corpus,
            TrainingListener listener, BooleanSupplier stop) {
        VqVaeConfig config = VqVaeConfig.of(o.preset(), corpus.options().size(), corpus.options().channels(),
                corpus.styles().size(), o.codes(), o.downsample());
        if (o.kmeansInit() != null) {
            config = config.withKmeansInit(o.kmeansInit());
        }
        long seed = r.seed() == null ? 1337L : r.seed();
        int aeSteps = Objects.requireNonNullElse(r.steps(), DEFAULT_STEPS);
        TrainSettings prior = priorSettings(Objects.requireNonNullElse(o.priorSteps(), DEFAULT_STEPS), o.priorBatch(),
                o.priorLearningRate(), seed);
        TrainSettings settings = Runs.cadence(autoencoderSettings(aeSteps + prior.steps(), r.batch(),
                r.learningRate(), seed), r.sampleEvery(), r.checkpointEvery());
        Recipe recipe = new Recipe(config, aeSteps, prior, true);
        return run(ws, dir, r.name(), recipe, corpus, settings, new Rng(seed), 0, Instant.now().toString(),
                null, listener, stop);
    }

    private static TrainingResult resume(Workspace ws, Path dir, ModelCard card, ImageTraining.Request r, Options o,
            ImageCorpus corpus, TrainingListener listener, BooleanSupplier stop) {
        Runs.requireSameCorpus(card, r.data(), corpus.fingerprint(), "pictures");
        Recipe saved = recipe(card);
        TrainSettings settings = card.training();
        Runs.refuseChange("--batch", r.batch(), settings.batch());
        Runs.refuseChange("--lr", r.learningRate(), settings.learningRate());
        Runs.refuseChange("--seed", r.seed(), settings.seed());
        Runs.refuseChange("--preset", o.preset(), saved.model().preset());
        Runs.refuseChange("--codes", o.codes(), saved.model().codes());
        Runs.refuseChange("--downsample", o.downsample(), saved.model().downsample());
        Runs.refuseChange("--prior-batch", o.priorBatch(), saved.prior().batch());
        Runs.refuseChange("--prior-lr", o.priorLearningRate(), saved.prior().learningRate());
        Runs.refuseChange("--kmeans-init", o.kmeansInit(), saved.model().kmeansInit());
        int done = card.step();
        int aeSteps = saved.autoencoderSteps();
        if (r.steps() != null && r.steps() != aeSteps) {
            if (done > aeSteps) {
                throw new UsageException("'" + card.name() + "' finished its autoencoder at step " + aeSteps
                        + " and is training its prior; only --prior-steps can change now");
            }
            if (r.steps() < done) {
                throw new UsageException("'" + card.name() + "' has already trained its autoencoder " + done
                        + " steps; --steps " + r.steps() + " is fewer");
            }
            aeSteps = r.steps();
        }
        TrainSettings prior = o.priorSteps() == null ? saved.prior() : saved.prior().withSteps(o.priorSteps());
        if (aeSteps + prior.steps() <= done) {
            throw new UsageException("'" + card.name() + "' has finished its " + aeSteps + " autoencoder and "
                    + prior.steps() + " prior steps; pass --prior-steps N to train its prior further");
        }
        if (card.rng() == null) {
            throw new AtelierException(dir.resolve(Checkpoint.CARD) + " has no generator state; it cannot be resumed");
        }
        settings = Runs.cadence(settings.withSteps(aeSteps + prior.steps()), r.sampleEvery(), r.checkpointEvery());
        Recipe recipe = new Recipe(saved.model(), aeSteps, prior, saved.mirror());
        return run(ws, dir, r.name(), recipe, corpus, settings, Rng.restore(card.rng()), done, card.created(),
                dir, listener, stop);
    }

    /**
     * @param options what the corpus's pictures were brought to
     * @param c the model
     * @return the card's vocabulary: the picture format and the codebook
     */
    static JsonObject vocabulary(ImageCorpus.Options options, VqVaeConfig c) {
        JsonObject v = ImageModel.format(options);
        JsonObject book = new JsonObject();
        book.addProperty("codes", c.codes());
        book.addProperty("dimension", c.codeDim());
        book.addProperty("grid", c.grid());
        book.addProperty("start_token", c.startToken());
        book.addProperty("order", "raster: rows top to bottom, each left to right");
        v.add("codebook", book);
        return v;
    }

    private static TrainingResult run(Workspace ws, Path dir, String name, Recipe recipe, ImageCorpus corpus,
            TrainSettings settings, Rng rng, int startStep, String created,
            Path resumeFrom, TrainingListener listener, BooleanSupplier stop) {
        VqVaeConfig config = recipe.model();
        ImageCorpus.Split split = corpus.split(ImageTraining.TRAIN_FRACTION, settings.seed());
        ImageDataset data = ImageTraining.dataset(corpus, split, config.styled());
        if (!data.hasValidation()) {
            listener.onNote("the corpus is too small for a validation split: the scores are on training pictures");
        }
        Path runDir = ws.run(name);
        Compute.init();
        try (Model model = Model.newInstance(name, Compute.device(), "PyTorch")) {
            NDManager manager = model.getNDManager();
            VqVae vq = new VqVae(config);
            model.setBlock(vq);
            Compute.seed(settings.seed());
            vq.initialize(manager);
            if (resumeFrom != null) {
                Checkpoint.loadWeights(resumeFrom, vq, manager);
            }
            try (AdamW aeOpt = new AdamW(manager, vq.autoencoderParameters(), settings, p -> false);
                    AdamW priorOpt = new AdamW(manager, vq.prior().getParameters(), recipe.prior(),
                            AdamW.NANO_GPT_DECAY)) {
                if (resumeFrom != null) {
                    Checkpoint.loadOptimizer(resumeFrom, aeOpt, AUTOENCODER_OPTIMIZER);
                    Checkpoint.loadOptimizer(resumeFrom, priorOpt, PRIOR_OPTIMIZER);
                }
                List<String> skipped = corpus.skipped().stream().map(BadFile::toString).toList();
                ModelCard.CorpusRecord corpusRecord = new ModelCard.CorpusRecord(
                        corpus.root().toAbsolutePath().normalize().toString(),
                        corpus.fingerprint(), corpus.pictures().size(), split.train().size(),
                        split.validation().size(), "pictures", skipped);
                List<String> styles = config.styled() ? corpus.styles() : List.of();
                JsonObject vocabulary = vocabulary(corpus.options(), config);
                JsonObject configTree = Json.tree(recipe).getAsJsonObject();
                CheckpointWriter saver = (out, step, last, eval, rngState) -> {
                    Checkpoint.writeCard(out, new ModelCard(Checkpoint.FORMAT, ImageModel.MEDIUM, VqVaeConfig.FAMILY,
                            name, config.preset(), configTree, vocabulary, styles, corpusRecord, settings, step,
                            Map.copyOf(last), Map.copyOf(eval), rngState, Atelier.software(), created,
                            Instant.now().toString()));
                    Checkpoint.saveWeights(out, vq);
                    Checkpoint.saveOptimizer(out, aeOpt, AUTOENCODER_OPTIMIZER);
                    Checkpoint.saveOptimizer(out, priorOpt, PRIOR_OPTIMIZER);
                };
                GridWriter grids = GridWriter.into(runDir, listener);
                VqVaeTask task = new VqVaeTask(vq, new ParameterStore(manager, false), data, settings, recipe.prior(),
                        recipe.mirror(), aeOpt, priorOpt, rng, saver, grids);
                listener.onNote("autoencoder to step " + recipe.autoencoderSteps() + ", then the prior to step "
                        + settings.steps() + "; reconstructions and samples every " + settings.evalEvery()
                        + " steps in " + runDir.resolve("samples"));
                TrainingLoop.Plan plan = new TrainingLoop.Plan(name, startStep, settings.steps(), settings.evalEvery(),
                        settings.checkpointEvery(), dir, Indexes.pictures(corpus));
                return TrainingLoop.run(task, plan, manager, listener, stop);
            }
        }
    }
}
