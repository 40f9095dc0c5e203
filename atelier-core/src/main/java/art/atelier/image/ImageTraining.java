package art.atelier.image;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import art.atelier.Atelier;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFile;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.novelty.Indexes;
import art.atelier.image.gan.GanConfig;
import art.atelier.image.gan.GanNetworks;
import art.atelier.image.gan.GanTask;
import art.atelier.image.gan.Generator;
import art.atelier.image.vqvae.VqVaeConfig;
import art.atelier.image.vqvae.VqVaeTraining;
import art.atelier.nn.Compute;
import art.atelier.train.AdamW;
import art.atelier.train.Checkpoint;
import art.atelier.train.CheckpointWriter;
import art.atelier.train.FlatParameters;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code atelier train image}: a folder of pictures → pictures at the model's size → a GAN → the
 * shared training loop → checkpoint, with a grid of fixed-seed samples written to the run folder at
 * every evaluation so the artist can watch the model learn. A new model, or {@code --resume} of one,
 * which continues exactly.
 */
public final class ImageTraining {

    /** Share of each style's pictures used for training; the rest is held out. */
    public static final double TRAIN_FRACTION = 0.95;
    /** Optimizer state files of the two players. */
    static final String GENERATOR_OPTIMIZER = "optimizer-g.bin";
    static final String DISCRIMINATOR_OPTIMIZER = "optimizer-d.bin";

    /**
     * What to train. Null fields take the family's (or, on resume, the checkpoint's) value.
     *
     * @param data the corpus folder
     * @param name the model's name
     * @param family "atelier" (default) or "dcgan"
     * @param size picture size (default 64)
     * @param channels 1, 3 or 4 (default 3)
     * @param fit crop or pad (default crop)
     * @param steps total steps
     * @param batch pictures per step
     * @param learningRate both players' learning rate
     * @param seed seed
     * @param sampleEvery steps between sample grids (and evaluations)
     * @param checkpointEvery steps between checkpoints
     * @param resume continue the existing model
     * @param force replace an existing model
     * @param badFiles what to do with unusable files
     */
    public record Request(Path data, String name, String family, Integer size, Integer channels,
            ImageCorpus.Fit fit, Integer steps, Integer batch, Float learningRate, Long seed, Integer sampleEvery,
            Integer checkpointEvery, boolean resume, boolean force, BadFilePolicy badFiles) {

        /**
         * @param data the corpus
         * @param name the model's name
         * @return a request with every option at its default
         */
        public static Request of(Path data, String name) {
            return new Request(data, name, null, null, null, null, null, null, null, null, null, null, false, false,
                    BadFilePolicy.STOP);
        }
    }

    private ImageTraining() {}

    /**
     * @param family "atelier" or "dcgan"
     * @param steps total steps
     * @param batch batch size, or null for the family's
     * @param learningRate the generator's learning rate, or null for the family's
     * @param seed seed
     * @return the family's optimisation recipe, at a constant rate: DCGAN's paper (Adam 2e-4, β1 = 0.5,
     *     batch 64), and for atelier the same rate with β2 = 0.99 (StyleGAN2's) and batch 32
     */
    public static TrainSettings settings(String family, int steps, Integer batch, Float learningRate, long seed) {
        boolean dcgan = GanConfig.DCGAN.equals(family);
        int b = batch != null ? batch : dcgan ? 64 : 32;
        float lr = learningRate != null ? learningRate : 2e-4f;
        float beta1 = 0.5f;
        float beta2 = dcgan ? 0.999f : 0.99f;
        int every = Math.max(1, Math.min(500, steps / 10));
        return new TrainSettings(steps, b, lr, lr, 0, 0f, beta1, beta2, 1e-8f, 0f, every, 4,
                Math.max(1, Math.min(1000, steps / 4)), seed);
    }

    /**
     * Trains a GAN, or a VQ-VAE when the family is {@value VqVaeConfig#FAMILY} (or the model resumed is one).
     *
     * @param workspace where the model goes
     * @param request what to train
     * @param vqvae the VQ-VAE's own options (all null for a GAN)
     * @param listener the metrics stream
     * @param stop polled before every step; when true the run saves and returns
     * @return how the run ended
     */
    public static TrainingResult train(Workspace workspace, Request request, VqVaeTraining.Options vqvae,
            TrainingListener listener, BooleanSupplier stop) {
        boolean vq = VqVaeConfig.FAMILY.equalsIgnoreCase(Objects.requireNonNullElse(request.family(), ""));
        if (request.family() == null && request.resume() && java.nio.file.Files.isRegularFile(workspace.model(request.name()).resolve(Checkpoint.CARD))) {
            vq = VqVaeConfig.FAMILY.equals(workspace.card(request.name()).family());
        }
        if (vq) {
            return VqVaeTraining.train(workspace, request, vqvae, listener, stop);
        }
        if (!vqvae.equals(VqVaeTraining.Options.defaults())) {
            throw new UsageException("--preset, --codes, --downsample, --kmeans-init and the --prior-* options are"
                    + " the VQ-VAE's; add --family vqvae");
        }
        return train(workspace, request, listener, stop);
    }

    /**
     * Trains a GAN.
     *
     * @param workspace where the model goes
     * @param request what to train
     * @param listener the metrics stream
     * @param stop polled before every step; when true the run saves and returns
     * @return how the run ended
     */
    public static TrainingResult train(Workspace workspace, Request request, TrainingListener listener,
            BooleanSupplier stop) {
        Path dir = workspace.model(request.name());
        ModelCard existing = Runs.target(workspace, request.name(), request.resume(), request.force());
        ModelCard card = existing == null ? null : Checkpoint.expect(existing, ImageModel.MEDIUM, ImageModel.FAMILY);
        ImageCorpus.Options options = card != null ? ImageModel.format(card) : new ImageCorpus.Options(
                Objects.requireNonNullElse(request.size(), 64),
                Objects.requireNonNullElse(request.fit(), ImageCorpus.Fit.CROP),
                Objects.requireNonNullElse(request.channels(), 3));
        if (card != null) {
            Runs.refuseChange("--size", request.size(), options.size());
            Runs.refuseChange("--channels", request.channels(), options.channels());
            Runs.refuseChange("--fit", request.fit(), options.fit());
        }
        ImageCorpus corpus = ImageCorpus.load(request.data(), options, request.badFiles());
        for (BadFile b : corpus.skipped()) {
            listener.onNote("left out " + b);
        }
        return card != null ? resume(workspace, dir, card, request, corpus, listener, stop)
                : fresh(workspace, dir, request, corpus, listener, stop);
    }

    private static TrainingResult fresh(Workspace ws, Path dir, Request r, ImageCorpus corpus,
            TrainingListener listener, BooleanSupplier stop) {
        String family = r.family() == null ? GanConfig.ATELIER : r.family().toLowerCase(Locale.ROOT);
        int styles = corpus.styles().size();
        GanConfig config = GanConfig.of(family, corpus.options().size(), corpus.options().channels(), styles);
        if (styles > 0 && config.styles() == 0) {
            listener.onNote("dcgan is unconditioned, as in its paper: the styles " + corpus.styles()
                    + " are learnt as one collection");
        }
        long seed = r.seed() == null ? 1337L : r.seed();
        TrainSettings settings = Runs.cadence(settings(family, Objects.requireNonNullElse(r.steps(), 20_000),
                r.batch(), r.learningRate(), seed), r.sampleEvery(), r.checkpointEvery());
        return run(ws, dir, r.name(), config, corpus, settings, new Rng(seed), 0, 0, Instant.now().toString(), null,
                listener, stop);
    }

    private static TrainingResult resume(Workspace ws, Path dir, ModelCard card, Request r, ImageCorpus corpus,
            TrainingListener listener, BooleanSupplier stop) {
        Runs.requireSameCorpus(card, r.data(), corpus.fingerprint(), "pictures");
        TrainSettings saved = card.training();
        Runs.refuseChange("--model", r.family(), card.preset());
        Runs.refuseChange("--batch", r.batch(), saved.batch());
        Runs.refuseChange("--lr", r.learningRate(), saved.learningRate());
        Runs.refuseChange("--seed", r.seed(), saved.seed());
        TrainSettings settings = Runs.cadence(Runs.continued(card, r.steps(), dir), r.sampleEvery(), r.checkpointEvery());
        double augmentP = card.metrics().getOrDefault(GanTask.AUGMENT_P, 0.0);
        return run(ws, dir, r.name(), ImageModel.config(card), corpus, settings, Rng.restore(card.rng()), card.step(),
                augmentP, card.created(), dir, listener, stop);
    }

    /**
     * @param corpus the corpus
     * @param split its split
     * @param styled whether the model is conditioned on style
     * @return the dataset
     */
    public static ImageDataset dataset(ImageCorpus corpus, ImageCorpus.Split split, boolean styled) {
        List<String> styles = corpus.styles();
        return new ImageDataset(
                split.train().stream().map(ImageCorpus.Item::picture).toList(),
                split.train().stream().mapToInt(i -> Math.max(0, styles.indexOf(i.style()))).toArray(),
                split.validation().stream().map(ImageCorpus.Item::picture).toList(),
                split.validation().stream().mapToInt(i -> Math.max(0, styles.indexOf(i.style()))).toArray(),
                styled);
    }

    private static TrainingResult run(Workspace ws, Path dir, String name, GanConfig config, ImageCorpus corpus,
            TrainSettings settings, Rng rng, int startStep, double augmentP, String created, Path resumeFrom,
            TrainingListener listener, BooleanSupplier stop) {
        ImageCorpus.Split split = corpus.split(TRAIN_FRACTION, settings.seed());
        ImageDataset data = dataset(corpus, split, config.styles() > 0);
        if (!data.hasValidation()) {
            listener.onNote("the corpus is too small for a validation split: no held-out score will be reported");
        }
        Path runDir = ws.run(name);
        Compute.init();
        try (Model model = Model.newInstance(name, Compute.device(), "PyTorch")) {
            NDManager manager = model.getNDManager();
            GanNetworks networks = new GanNetworks(config);
            model.setBlock(networks);
            Compute.seed(settings.seed());
            networks.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32);
            Generator average = null;
            if (config.emaHalfLife() > 0) {
                average = GanNetworks.newGenerator(config);
                GanNetworks.initialize(average, manager);
            }
            if (resumeFrom != null) {
                Checkpoint.loadWeights(resumeFrom, networks, manager);
                if (average != null) {
                    Checkpoint.loadWeights(resumeFrom, average, manager, ImageModel.GENERATOR);
                }
            }
            try (AdamW gOpt = new AdamW(manager, networks.generator().getParameters(), settings, p -> false);
                    AdamW dOpt = new AdamW(manager, networks.discriminator().getParameters(), settings, p -> false);
                    FlatParameters avgWeights = average == null ? null
                            : FlatParameters.adopt(manager, average.getParameters(), p -> false)) {
                if (resumeFrom != null) {
                    Checkpoint.loadOptimizer(resumeFrom, gOpt, GENERATOR_OPTIMIZER);
                    Checkpoint.loadOptimizer(resumeFrom, dOpt, DISCRIMINATOR_OPTIMIZER);
                } else if (avgWeights != null) {
                    avgWeights.values().muli(0f).addi(gOpt.parameters().values()); // start as the generator
                }
                List<String> skipped = corpus.skipped().stream().map(BadFile::toString).toList();
                ModelCard.CorpusRecord corpusRecord = new ModelCard.CorpusRecord(
                        corpus.root().toAbsolutePath().normalize().toString(),
                        corpus.fingerprint(), corpus.pictures().size(), split.train().size(),
                        split.validation().size(), "pictures", skipped);
                List<String> styles = config.styles() > 0 ? corpus.styles() : List.of();
                JsonObject format = ImageModel.format(corpus.options());
                Generator sampling = average != null ? average : networks.generator();
                CheckpointWriter saver = (out, step, last, eval, rngState) -> {
                    ModelCard card = new ModelCard(Checkpoint.FORMAT, ImageModel.MEDIUM, ImageModel.FAMILY, name,
                            config.family(), Json.tree(config).getAsJsonObject(), format, styles, corpusRecord,
                            settings, step, Map.copyOf(last), Map.copyOf(eval), rngState, Atelier.software(), created,
                            Instant.now().toString());
                    Checkpoint.writeCard(out, card);
                    Checkpoint.saveWeights(out, networks);
                    Checkpoint.saveWeights(out, sampling, ImageModel.GENERATOR);
                    Checkpoint.saveOptimizer(out, gOpt, GENERATOR_OPTIMIZER);
                    Checkpoint.saveOptimizer(out, dOpt, DISCRIMINATOR_OPTIMIZER);
                };
                GridWriter grids = GridWriter.into(runDir, listener);
                ParameterStore store = new ParameterStore(manager, false);
                GanTask task = new GanTask(networks, store, data, settings, gOpt, dOpt, average, avgWeights, rng,
                        augmentP, saver, grids);
                listener.onNote("sample grids every " + settings.evalEvery() + " steps in " + runDir.resolve("samples"));
                TrainingLoop.Plan plan = new TrainingLoop.Plan(name, startStep, settings.steps(), settings.evalEvery(),
                        settings.checkpointEvery(), dir, Indexes.pictures(corpus));
                return TrainingLoop.run(task, plan, manager, listener, stop);
            }
        }
    }
}
