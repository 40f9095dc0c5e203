package art.atelier.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import art.atelier.Workspace;
import art.atelier.corpus.BadFile;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.ImageDataset;
import art.atelier.image.ImageModel;
import art.atelier.image.ImageScoring;
import art.atelier.image.ImageTraining;
import art.atelier.image.Picture;
import art.atelier.image.PngCodec;
import art.atelier.image.gan.GanConfig;
import art.atelier.image.gan.GanSampler;
import art.atelier.image.quality.FeatureNet;
import art.atelier.image.quality.Kid;
import art.atelier.image.quality.Nearest;
import art.atelier.image.quality.PrecisionRecall;
import art.atelier.image.vqvae.VectorQuantizer;
import art.atelier.image.vqvae.VqVae;
import art.atelier.image.vqvae.VqVaeConfig;
import art.atelier.image.vqvae.VqVaeSampler;
import art.atelier.image.vqvae.VqVaeTask;
import art.atelier.image.vqvae.VqVaeTraining;
import art.atelier.nn.Compute;
import art.atelier.nn.Gpt;
import art.atelier.nn.SamplingSettings;
import art.atelier.train.AdamW;
import art.atelier.train.Checkpoint;
import art.atelier.train.LanguageModelTask;
import art.atelier.train.ModelCard;
import art.atelier.train.SequenceData;
import art.atelier.train.TrainSettings;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Rng;
import art.atelier.util.Stats;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The VQ-VAE benchmark of issue 5, on twemoji-72 at 64×64 RGB (cropped, over white), the standard
 * preset ({@code VqVaeConfig.of("standard", 64, 3, …)}: 512 codes of 64, a 16×16 grid, a 4-layer GPT
 * prior).
 * <ol>
 *   <li><b>Step time</b>: the autoencoder step ({@link VqVaeTask}) and the prior step
 *       ({@link LanguageModelTask} on the prior), by Atelier and by a PyTorch reference of the same
 *       networks and steps ({@code bench/reference/vqvae_reference.py}), taking turns as
 *       {@link ImageBenchmark} does: both built and warmed up, then R rounds of K steps a side, each
 *       side in its own process kept alive between rounds. Median ms/step, the ratio, pictures/s.
 *   <li><b>Quality at a time budget</b> of M minutes of training: the VQ-VAE's autoencoder for M/2
 *       (a run of a very large {@code --steps}, stopped), then the same run resumed with {@code
 *       --steps} = the steps done, so that its autoencoder stage ends there, and the prior for the
 *       other M/2 (its step count planned from the measured step time so that its learning-rate
 *       schedule ends about when the budget does, the budget stopping it in any case). Then held-out
 *       reconstruction error over every held-out picture, codebook use over every training picture's
 *       encoding, the prior's held-out bits per dimension, and KID / precision / recall / nearest
 *       training picture of N prior samples, measured as {@code atelier score} measures (the corpus's
 *       {@link FeatureNet}, {@link Kid}, {@link PrecisionRecall}, {@link Nearest}) but against the
 *       held-out pictures; beside them the atelier GAN trained for the whole M minutes, measured the
 *       same way, and the training pictures themselves (what a model that drew the corpus would score).
 * </ol>
 * Writes a sample grid and a reconstruction grid to docs/benchmarks/ and its section of
 * docs/benchmarks.md.
 *
 * <p>Usage: {@code bench/vqvae.sh [--data DIR] [--rounds 3] [--steps 10] [--warmup 5] [--minutes 20]
 * [--count 1000] [--prior-steps P] [--feature-steps 600] [--skip-reference] [--skip-gan] [--skip-speed]
 * [--skip-quality] [--seed 1337] [--workspace DIR] [--out FILE]}: about 5 minutes of step timing, M
 * minutes of VQ-VAE training, M of GAN training, and some 10 minutes of measuring.
 */
public final class VqVaeBenchmark {

    private static final int SIZE = 64;
    private static final int CHANNELS = 3;
    private static final String SECTION = "vqvae";
    /** Nominal step counts of the timed runs: they set learning-rate schedules only. */
    private static final int NOMINAL_STEPS = VqVaeTraining.DEFAULT_STEPS;
    /** Steps between evaluations (and sample grids) of the trained models, as image-quality.sh. */
    private static final int EVAL_EVERY = 500;
    private static final int CHUNK = 64;

    private VqVaeBenchmark() {}

    /**
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = TextBenchmark.options(args);
        Path dataDir = Path.of(opt.getOrDefault("--data", "../shared/data/images/twemoji-72"));
        int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "3"));
        int steps = Integer.parseInt(opt.getOrDefault("--steps", "10"));
        int warmup = Integer.parseInt(opt.getOrDefault("--warmup", "5"));
        double minutes = Double.parseDouble(opt.getOrDefault("--minutes", "20"));
        int count = Integer.parseInt(opt.getOrDefault("--count", "1000"));
        Integer priorSteps = opt.containsKey("--prior-steps") ? Integer.valueOf(opt.get("--prior-steps")) : null;
        int featureSteps = Integer.parseInt(opt.getOrDefault("--feature-steps", String.valueOf(FeatureNet.STEPS)));
        long seed = Long.parseLong(opt.getOrDefault("--seed", "1337"));
        Path out = Path.of(opt.getOrDefault("--out", "docs/benchmarks.md"));
        Path media = out.toAbsolutePath().resolveSibling("benchmarks");
        Workspace ws = Workspace.at(Path.of(opt.getOrDefault("--workspace", "bench/target/vqvae")));
        String python = opt.getOrDefault("--python", "/usr/bin/python3");
        boolean reference = !opt.containsKey("--skip-reference");
        boolean gan = !opt.containsKey("--skip-gan");
        boolean speed = !opt.containsKey("--skip-speed");
        boolean quality = !opt.containsKey("--skip-quality");
        String command = ("bench/vqvae.sh " + String.join(" ", args)).strip();
        if (rounds < 1 || steps < 1 || warmup < 0 || !(minutes > 0) || count < 10 || featureSteps < 1
                || (priorSteps != null && priorSteps < 1)) {
            throw new IllegalArgumentException("--rounds, --steps, --prior-steps and --feature-steps must be at least"
                    + " 1, --warmup at least 0, --minutes positive, --count at least 10");
        }
        if (!speed && !quality) {
            throw new IllegalArgumentException("--skip-speed and --skip-quality leave nothing to measure");
        }
        String waitPolicy = System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset");
        String loadBefore = Machine.loadAverage();

        Compute.init();
        String machine = Machine.describe();
        System.out.println("machine: " + machine);
        System.out.println("load average (1, 5, 15 min): " + loadBefore + "; OMP_WAIT_POLICY for atelier: "
                + waitPolicy);

        long t0 = System.nanoTime();
        ImageCorpus corpus = ImageCorpus.load(dataDir, new ImageCorpus.Options(SIZE, ImageCorpus.Fit.CROP, CHANNELS),
                BadFilePolicy.SKIP);
        for (BadFile b : corpus.skipped()) {
            System.out.println("left out " + b);
        }
        ImageCorpus.Split split = corpus.split(ImageTraining.TRAIN_FRACTION, seed);
        VqVaeConfig config = VqVaeConfig.of(VqVaeConfig.STANDARD, SIZE, CHANNELS, corpus.styles().size(), null, null);
        ImageDataset data = ImageTraining.dataset(corpus, split, config.styled());
        System.out.printf(Locale.ROOT, "corpus: %d pictures (%d for training, %d held out), %d skipped, prepared in"
                + " %.1f s%n", corpus.pictures().size(), data.trainSize(), data.validationSize(),
                corpus.skipped().size(), (System.nanoTime() - t0) / 1e9);

        StringBuilder md = new StringBuilder();
        md.append("## VQ-VAE: step time and quality on ").append(dataDir.getFileName()).append(" at 64×64 (issue 5)\n\n");
        md.append("The standard preset (`VqVaeConfig.of(\"standard\", 64, 3, …)`): an encoder and decoder of 128"
                + " feature maps with two residual blocks each, a 16×16 grid of codes from a book of ")
                .append(config.codes()).append(" codes of ").append(config.codeDim()).append(" (moving-average"
                + " codebook, dead codes restarted, k-means start), and a GPT prior over the grid (")
                .append(config.prior().layers()).append(" layers, ").append(config.prior().heads())
                .append(" heads, width ").append(config.prior().width()).append(", dropout ")
                .append(config.prior().dropout()).append(").\n\n");
        md.append("- date: ").append(LocalDate.now()).append('\n');
        md.append("- machine: ").append(machine).append('\n');
        md.append("- command: `").append(command).append("` (data: `").append(dataDir).append("`, ")
                .append(corpus.pictures().size()).append(" pictures, ").append(data.trainSize())
                .append(" in the training split, ").append(data.validationSize()).append(" held out")
                .append(corpus.skipped().isEmpty() ? "" : ", " + corpus.skipped().size() + " skipped").append(")\n");

        Speed measured = null;
        Quality q = null;
        if (speed) {
            measured = speed(config, data, split, rounds, steps, warmup, seed, reference, python, waitPolicy,
                    loadBefore);
        }
        if (quality) {
            Calibration cal = measured != null ? measured.calibration() : calibrate(config, data, seed);
            q = quality(ws, dataDir, corpus, split, minutes, count, priorSteps, featureSteps, seed, gan, cal, media);
        }
        if (measured != null) {
            md.append(speedSection(measured, rounds, warmup));
        }
        if (q != null) {
            md.append(qualitySection(q, config, count, media, out));
        }
        md.append(targets(measured, q, config));
        System.out.println();
        System.out.println(md);
        BenchmarkReport.replaceSection(out, SECTION, md.toString());
        System.out.println("written to " + out);
    }

    // ---- step time ---------------------------------------------------------------------------

    /** What the untrained model's other costs are, for planning the prior's steps. */
    record Calibration(double priorMillis, double encodeMillisPerPicture, double sampleSeconds) {}

    /** One stage's measurements. */
    record Stage(String name, int batch, int steps, List<double[]> atelier, List<double[]> reference,
            long atelierParameters, Map<String, Double> atelierMetrics, JsonObject referenceInfo) {

        double atelierMedian() {
            return Stats.median(atelier.stream().flatMapToDouble(Arrays::stream).toArray());
        }

        double referenceMedian() {
            return reference.isEmpty() ? Double.NaN
                    : Stats.median(reference.stream().flatMapToDouble(Arrays::stream).toArray());
        }
    }

    /** Part 1's results. */
    record Speed(List<Stage> stages, Calibration calibration, double matmulBefore, double matmulAfter,
            String conditions) {}

    private static Speed speed(VqVaeConfig config, ImageDataset data, ImageCorpus.Split split, int rounds, int k,
            int warmup, long seed, boolean withReference, String python, String waitPolicy, String loadBefore)
            throws IOException, InterruptedException {
        double matmulBefore = Machine.matmulGflops();
        System.out.printf(Locale.ROOT, "fp32 matmul (1024^3, libtorch): %.1f GFLOP/s%n", matmulBefore);
        Path tmp = Files.createTempDirectory("atelier-vqvae-bench-");
        Path raw = tmp.resolve("pictures.u8");
        List<Stage> stages = new ArrayList<>();
        Calibration calibration;
        try {
            List<Picture> train = split.train().stream().map(ImageCorpus.Item::picture).toList();
            ImageBenchmark.writeRaw(train, raw);
            try (AtelierVq vq = new AtelierVq(config, data, seed)) {
                for (String stage : List.of("autoencoder", "prior")) {
                    List<String> cmd = List.of(python, "bench/reference/vqvae_reference.py", "--stage", stage,
                            "--data", raw.toString(), "--count", String.valueOf(train.size()), "--seed",
                            String.valueOf(seed), "--serve");
                    stages.add(compare(stage, vq, withReference ? cmd : null, rounds, k, warmup));
                }
                calibration = new Calibration(stages.get(1).atelierMedian(), vq.encodeMillisPerPicture(),
                        vq.sampleSeconds());
            }
        } finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(tmp);
        }
        double matmulAfter = Machine.matmulGflops();
        String conditions = "OpenMP wait policy: Atelier " + waitPolicy + ", reference PASSIVE; load average"
                + " (1, 5, 15 min) " + loadBefore + " before, " + Machine.loadAverage() + " after";
        return new Speed(stages, calibration, matmulBefore, matmulAfter, conditions);
    }

    private static Stage compare(String stage, AtelierVq vq, List<String> referenceCommand, int rounds, int k,
            int warmup) throws IOException, InterruptedException {
        boolean prior = "prior".equals(stage);
        List<double[]> mine = new ArrayList<>();
        List<double[]> theirs = new ArrayList<>();
        JsonObject info = null;
        try (ImageBenchmark.Reference ref = referenceCommand == null ? null
                : new ImageBenchmark.Reference(referenceCommand)) {
            System.out.printf(Locale.ROOT, "%s step: batch %d; warm-up, %d step(s) each%n", stage,
                    prior ? vq.priorBatch() : vq.autoencoderBatch(), warmup);
            if (warmup > 0) {
                vq.run(prior, warmup);
                if (ref != null) {
                    ref.run(warmup);
                }
            }
            for (int r = 1; r <= rounds; r++) {
                double[] a = vq.run(prior, k);
                mine.add(a);
                System.out.printf(Locale.ROOT, "  round %d: atelier   %d steps, median %.1f ms/step%n", r, k,
                        Stats.median(a));
                if (ref != null) {
                    info = ref.run(k);
                    double[] b = times(info);
                    theirs.add(b);
                    System.out.printf(Locale.ROOT, "  round %d: reference %d steps, median %.1f ms/step%n", r, k,
                            Stats.median(b));
                }
            }
        }
        return new Stage(stage, prior ? vq.priorBatch() : vq.autoencoderBatch(), k, mine, theirs,
                prior ? vq.priorParameters() : vq.autoencoderParameters(), prior ? vq.lastPrior() : vq.lastAutoencoder(),
                info);
    }

    private static double[] times(JsonObject report) {
        JsonArray a = report.getAsJsonArray("ms_per_step");
        double[] t = new double[a.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = a.get(i).getAsDouble();
        }
        return t;
    }

    /** Without part 1: a few prior steps, an encoding and a sample of the untrained model. */
    private static Calibration calibrate(VqVaeConfig config, ImageDataset data, long seed) {
        try (AtelierVq vq = new AtelierVq(config, data, seed)) {
            vq.run(true, 2);
            double ms = Stats.median(vq.run(true, 5));
            return new Calibration(ms, vq.encodeMillisPerPicture(), vq.sampleSeconds());
        }
    }

    /**
     * Atelier's side: the model, optimizers and tasks built as {@code VqVaeTraining} builds them, stepped
     * as {@code TrainingLoop} steps them (one sub-manager per step, timed with its closing), without
     * evaluations or checkpoints. The prior's step reads uniformly random code grids, as the reference's
     * does: its cost does not depend on the codes.
     */
    static final class AtelierVq implements AutoCloseable {

        private final Model model;
        private final NDManager manager;
        private final VqVae vq;
        private final ParameterStore store;
        private final ImageDataset data;
        private final TrainSettings autoencoderSettings;
        private final TrainSettings priorSettings;
        private final AdamW autoencoderOptimizer;
        private final AdamW priorOptimizer;
        private final VqVaeTask autoencoder;
        private final LanguageModelTask prior;
        private int autoencoderStep;
        private int priorStep;
        private Map<String, Double> lastAutoencoder = Map.of();
        private Map<String, Double> lastPrior = Map.of();

        AtelierVq(VqVaeConfig config, ImageDataset data, long seed) {
            this.data = data;
            model = Model.newInstance("bench-vqvae", Compute.device(), "PyTorch");
            AdamW a = null;
            AdamW p = null;
            try {
                manager = model.getNDManager();
                vq = new VqVae(config);
                model.setBlock(vq);
                Compute.seed(seed);
                vq.initialize(manager);
                priorSettings = VqVaeTraining.priorSettings(NOMINAL_STEPS, null, null, seed);
                autoencoderSettings = VqVaeTraining.autoencoderSettings(NOMINAL_STEPS + priorSettings.steps(), null,
                        null, seed);
                a = new AdamW(manager, vq.autoencoderParameters(), autoencoderSettings, x -> false);
                p = new AdamW(manager, vq.prior().getParameters(), priorSettings, AdamW.NANO_GPT_DECAY);
                store = new ParameterStore(manager, false);
                autoencoder = new VqVaeTask(vq, store, data, autoencoderSettings, priorSettings, false, a, p,
                        new Rng(seed), (dir, s, l, e, r) -> { }, (s, grid) -> { });
                prior = new LanguageModelTask(vq.prior(), store, new RandomGrids(config), priorSettings, p,
                        new Rng(seed + 1), (dir, s, l, e, r) -> { });
            } catch (RuntimeException e) {
                BenchmarkReport.closeAfter(e, p, a);
                model.close();
                throw e;
            }
            autoencoderOptimizer = a;
            priorOptimizer = p;
        }

        /** @return the milliseconds of each of n steps of the prior or of the autoencoder */
        double[] run(boolean ofPrior, int n) {
            Compute.prepareThisThread(); // native calls into Java (the reference's pipes) reset the FP mode
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                Map<String, Double> last;
                try (NDManager scope = manager.newSubManager()) {
                    last = ofPrior ? prior.step(priorStep, scope) : autoencoder.step(autoencoderStep, scope);
                }
                ms[i] = (System.nanoTime() - t) / 1e6;
                if (ofPrior) {
                    priorStep++;
                    lastPrior = last;
                } else {
                    autoencoderStep++;
                    lastAutoencoder = last;
                }
                for (Map.Entry<String, Double> e : last.entrySet()) {
                    if (!Double.isFinite(e.getValue())) {
                        throw new IllegalStateException("atelier diverged: " + last);
                    }
                }
            }
            return ms;
        }

        /** @return milliseconds per picture of encoding to codes, in chunks as the prior's stage does */
        double encodeMillisPerPicture() {
            Compute.prepareThisThread();
            List<Picture> chunk = data.train().subList(0, Math.min(CHUNK, data.trainSize()));
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < 3; i++) {
                try (NDManager s = manager.newSubManager()) {
                    long t = System.nanoTime();
                    vq.codes(store, ImageDataset.stack(chunk, s)).toLongArray();
                    best = Math.min(best, (System.nanoTime() - t) / 1e6 / chunk.size());
                }
            }
            return best;
        }

        /** @return seconds to draw one code grid from the prior and decode it */
        double sampleSeconds() {
            VqVaeSampler sampler = new VqVaeSampler(vq, store);
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < 2; i++) {
                long t = System.nanoTime();
                int[] codes = sampler.sample(manager, vq.config().styled() ? 0 : -1, SamplingSettings.defaults(),
                        new Rng(i), null, null);
                sampler.picture(manager, codes);
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
            return best;
        }

        int autoencoderBatch() {
            return autoencoderSettings.batch();
        }

        int priorBatch() {
            return priorSettings.batch();
        }

        long autoencoderParameters() {
            return autoencoderOptimizer.parameters().size();
        }

        long priorParameters() {
            return priorOptimizer.parameters().size();
        }

        Map<String, Double> lastAutoencoder() {
            return lastAutoencoder;
        }

        Map<String, Double> lastPrior() {
            return lastPrior;
        }

        @Override
        public void close() {
            priorOptimizer.close();
            autoencoderOptimizer.close();
            model.close();
        }
    }

    /** Uniformly random code grids, read as the prior reads a picture's: the start token, then the codes. */
    private static final class RandomGrids implements SequenceData {

        private final VqVaeConfig config;

        RandomGrids(VqVaeConfig config) {
            this.config = config;
        }

        @Override
        public Batch sample(Rng rng, int batch, int context, boolean validationSplit, NDManager manager) {
            long[] inputs = new long[batch * context];
            long[] targets = new long[batch * context];
            for (int i = 0; i < batch; i++) {
                inputs[i * context] = config.startToken();
                for (int j = 0; j < context; j++) {
                    long code = rng.nextInt(config.codes());
                    targets[i * context + j] = code;
                    if (j + 1 < context) {
                        inputs[i * context + j + 1] = code;
                    }
                }
            }
            NDArray styles = config.styled() ? manager.zeros(new Shape(batch), ai.djl.ndarray.types.DataType.INT64)
                    : null;
            return new Batch(manager.create(inputs, new Shape(batch, context)),
                    manager.create(targets, new Shape(batch, context)), styles);
        }

        @Override
        public boolean hasValidation() {
            return false;
        }
    }

    // ---- quality at a time budget --------------------------------------------------------------

    /**
     * Training time against a budget: the clock starts when the training loop does (not with the
     * corpus's loading) and counts steps, evaluations and checkpoints.
     */
    private static final class Budget implements TrainingListener, BooleanSupplier {

        private final double seconds;
        private final String label;
        private final int every;
        private volatile long start;

        Budget(double seconds, String label, int every) {
            this.seconds = seconds;
            this.label = label;
            this.every = every;
        }

        @Override
        public void onStart(String name, int startStep, int totalSteps) {
            start = System.nanoTime();
        }

        @Override
        public void onNote(String message) {
            System.out.println("  " + message);
        }

        @Override
        public void onStep(StepReport s) {
            if (s.step() % every == 0) {
                StringBuilder m = new StringBuilder();
                for (Map.Entry<String, Double> e : s.metrics().entrySet()) {
                    if (!"lr".equals(e.getKey())) {
                        m.append(' ').append(e.getKey()).append(' ').append(f(e.getValue(), 4));
                    }
                }
                System.out.printf(Locale.ROOT, "  %s: step %d, %.0f s,%s%n", label, s.step(), s.elapsedSeconds(), m);
            }
        }

        @Override
        public void onEvaluation(int step, Map<String, Double> metrics) {
            System.out.println("  " + label + ": evaluation at step " + step + ": " + metrics);
        }

        @Override
        public boolean getAsBoolean() {
            return start != 0 && (System.nanoTime() - start) / 1e9 >= seconds;
        }
    }

    /** A set of pictures measured against the held-out ones. */
    record Scored(String model, String trainingTime, String steps, String pictures, Kid.Result kid,
            PrecisionRecall.Result pr, Kid.Result kidCorpus, Double nearest, String samples) {}

    /** Part 2's results. */
    record Quality(double minutes, int autoencoderSteps, double autoencoderSeconds, int priorStepsPlanned,
            int priorSteps, double priorSeconds, int batch, int priorBatch, double heldOutMse, int heldOut,
            int codesUsedTrain, double trainPerplexity, int codesUsedHeldOut, int trainPictures,
            double priorNatsHeldOut, double priorNatsTrain, double bitsPerDim, double sampleSeconds,
            Integer ganSteps, Double ganSeconds, Integer ganBatch, double ganDrawSeconds, List<Scored> scored,
            double heldOutNearest, String samplesFile, String reconstructionsFile, String ganFile,
            Calibration calibration) {}

    private static Quality quality(Workspace ws, Path dataDir, ImageCorpus corpus, ImageCorpus.Split split,
            double minutes, int count, Integer priorStepsOption, int featureSteps, long seed, boolean withGan,
            Calibration cal, Path media) throws IOException {
        double half = minutes * 60 / 2;
        String name = "bench-vqvae";
        List<Picture> train = split.train().stream().map(ImageCorpus.Item::picture).toList();
        List<Picture> heldOut = split.validation().stream().map(ImageCorpus.Item::picture).toList();
        if (heldOut.size() <= PrecisionRecall.DEFAULT_K) {
            throw new IllegalStateException("the corpus holds out " + heldOut.size() + " pictures: too few to measure"
                    + " against");
        }

        // the autoencoder, for the first half
        System.out.printf(Locale.ROOT, "VQ-VAE: the autoencoder for %.1f minutes%n", half / 60);
        ImageTraining.Request first = new ImageTraining.Request(dataDir, name, VqVaeConfig.FAMILY, SIZE, CHANNELS,
                ImageCorpus.Fit.CROP, 1_000_000, null, null, seed, EVAL_EVERY, null, false, true, BadFilePolicy.SKIP);
        Budget aeBudget = new Budget(half, "autoencoder", 50);
        TrainingResult ae = VqVaeTraining.train(ws, first,
                new VqVaeTraining.Options(VqVaeConfig.STANDARD, null, null, null, null, null, null), aeBudget, aeBudget);
        int aeSteps = ae.step();

        // the prior, for the second: its steps planned so that its schedule ends about with the budget
        VqVaeConfig config = VqVaeTraining.recipe(ws.card(name)).model();
        int encoded = 2 * train.size() + heldOut.size(); // the training pictures, their mirror images, the held-out
        int planned = priorStepsOption != null ? priorStepsOption
                : planPriorSteps(half, cal, encoded, EVAL_EVERY);
        System.out.printf(Locale.ROOT, "VQ-VAE: autoencoder stopped at step %d after %.0f s; the prior for %.1f"
                + " minutes, %d steps planned%n", aeSteps, ae.wallSeconds(), half / 60, planned);
        ImageTraining.Request second = new ImageTraining.Request(dataDir, name, null, null, null, null, aeSteps, null,
                null, null, EVAL_EVERY, null, true, false, BadFilePolicy.SKIP);
        Budget priorBudget = new Budget(half, "prior", 50);
        TrainingResult pr = VqVaeTraining.train(ws, second, new VqVaeTraining.Options(null, null, null, planned, null,
                null, null), priorBudget, priorBudget);
        int priorSteps = pr.step() - aeSteps;
        ModelCard card = ws.card(name);
        VqVaeTraining.Recipe recipe = VqVaeTraining.recipe(card);

        // measure the VQ-VAE, draw its pictures
        List<Picture> vqPictures;
        double sampleSeconds;
        Measures m;
        Files.createDirectories(media);
        String stem = "vqvae-" + minutesLabel(minutes) + "min";
        String samplesFile = stem + "-samples.png";
        String reconstructionsFile = stem + "-reconstructions.png";
        Compute.init();
        try (Model model = Model.newInstance(name, Compute.device(), "PyTorch")) {
            NDManager manager = model.getNDManager();
            VqVae vq = new VqVae(config);
            model.setBlock(vq);
            vq.initialize(manager);
            Checkpoint.loadWeights(ws.model(name), vq, manager);
            ParameterStore store = new ParameterStore(manager, false);
            System.out.println("VQ-VAE: measuring reconstructions, codes and the prior");
            m = measure(vq, store, manager, corpus, split, media.resolve(reconstructionsFile));
            System.out.printf(Locale.ROOT, "VQ-VAE: drawing %d pictures%n", count);
            VqVaeSampler sampler = new VqVaeSampler(vq, store);
            int styles = config.prior().styles();
            vqPictures = new ArrayList<>();
            long t = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int[] codes = sampler.sample(manager, styles == 0 ? -1 : i % styles, SamplingSettings.defaults(),
                        new Rng(i), null, null);
                vqPictures.add(sampler.picture(manager, codes));
            }
            sampleSeconds = (System.nanoTime() - t) / 1e9 / count;
        }
        writeGrid(vqPictures, media.resolve(samplesFile));

        // the GAN, for the whole budget
        List<Picture> ganPictures = null;
        Integer ganSteps = null;
        Double ganSeconds = null;
        Integer ganBatch = null;
        double ganDraw = Double.NaN;
        String ganFile = null;
        if (withGan) {
            String ganName = "bench-vqvae-gan";
            System.out.printf(Locale.ROOT, "GAN (atelier): training for %.1f minutes%n", minutes);
            ImageTraining.Request r = new ImageTraining.Request(dataDir, ganName, GanConfig.ATELIER, SIZE, CHANNELS,
                    ImageCorpus.Fit.CROP, 1_000_000, null, null, seed, EVAL_EVERY, null, false, true,
                    BadFilePolicy.SKIP);
            Budget ganBudget = new Budget(2 * half, "gan", 100);
            TrainingResult g = ImageTraining.train(ws, r, ganBudget, ganBudget);
            ganSteps = g.step();
            ganSeconds = g.wallSeconds();
            ModelCard ganCard = ws.card(ganName);
            ganBatch = ganCard.training().batch();
            System.out.printf(Locale.ROOT, "GAN: stopped at step %d; drawing %d pictures%n", ganSteps, count);
            ganPictures = new ArrayList<>();
            try (ImageModel gm = ImageModel.load(ws.model(ganName), ganCard);
                    NDManager manager = gm.model().getNDManager().newSubManager()) {
                Compute.prepareThisThread();
                GanSampler sampler = gm.sampler();
                long t = System.nanoTime();
                for (int i = 0; i < count; i++) { // as atelier score draws: seed i, no truncation
                    Rng rng = new Rng(i);
                    float[] z = GanSampler.gaussian(rng, gm.config().latent());
                    float[] w = ganCard.styles().isEmpty() ? null
                            : GanSampler.oneHot(ganCard.styles().size(), rng.nextInt(ganCard.styles().size()));
                    ganPictures.add(sampler.draw(manager, z, w, 1f));
                }
                ganDraw = (System.nanoTime() - t) / 1e9 / count;
            }
            ganFile = "vqvae-gan-" + minutesLabel(minutes) + "min-samples.png";
            writeGrid(ganPictures, media.resolve(ganFile));
        }

        // score every set the same way
        System.out.println("scoring");
        List<Picture> all = corpus.pictures().stream().map(ImageCorpus.Item::picture).toList();
        ImageCorpus.Options options = corpus.options();
        Path cache = ws.root().resolve("features").resolve(corpus.fingerprint().substring(7, 23) + "-"
                + options.size() + "px-" + options.channels() + "ch-" + options.fit().name().toLowerCase(Locale.ROOT)
                + "-" + featureSteps);
        List<Scored> scored = new ArrayList<>();
        double heldOutNearest;
        try (FeatureNet features = FeatureNet.forCorpus(cache, all, featureSteps, s -> {
            if (s % 100 == 0) {
                System.out.println("  training the corpus's feature network: step " + s + " of " + featureSteps);
            }
        })) {
            float[][] held = features.features(heldOut);
            float[][] corpusFeatures = features.features(all);
            float[][] trainPixels = Nearest.pixels(train);
            heldOutNearest = nearest(Nearest.pixels(heldOut.subList(0, Math.min(heldOut.size(), ImageScoring.NEAREST_SAMPLE))),
                    trainPixels);
            String vqSteps = aeSteps + " + " + priorSteps;
            String vqPics = String.format(Locale.ROOT, "%,d + %,d grids", (long) aeSteps * card.training().batch(),
                    (long) priorSteps * recipe.prior().batch());
            scored.add(score("vqvae (prior samples)", f(ae.wallSeconds() / 60, 1) + " + " + f(pr.wallSeconds() / 60, 1)
                    + " min", vqSteps, vqPics, vqPictures, held, corpusFeatures, trainPixels, features, samplesFile));
            if (ganPictures != null) {
                scored.add(score("atelier GAN", f(ganSeconds / 60, 1) + " min", String.valueOf(ganSteps),
                        String.format(Locale.ROOT, "%,d", (long) ganSteps * ganBatch), ganPictures, held,
                        corpusFeatures, trainPixels, features, ganFile));
            }
            // the corpus itself: what drawing the training pictures would score (distinct ones, at random)
            Rng pick = new Rng(seed);
            int[] order = new int[train.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            List<Picture> sample = new ArrayList<>();
            for (int i = 0; i < Math.min(count, train.size()); i++) {
                int j = i + pick.nextInt(order.length - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
                sample.add(train.get(order[i]));
            }
            float[][] f = features.features(sample);
            scored.add(new Scored("training pictures (" + sample.size() + " drawn)", "-", "-", "-",
                    Kid.of(held, f, 50, 1000, 7L), PrecisionRecall.of(held, f, PrecisionRecall.DEFAULT_K),
                    Kid.of(corpusFeatures, f, 50, 1000, 7L), null, null));
        }
        return new Quality(minutes, aeSteps, ae.wallSeconds(), planned, priorSteps, pr.wallSeconds(),
                card.training().batch(), recipe.prior().batch(), m.heldOutMse(), heldOut.size(), m.codesUsedTrain(),
                m.trainPerplexity(), m.codesUsedHeldOut(), train.size(), m.priorNatsHeldOut(), m.priorNatsTrain(),
                VqVaeTask.bitsPerDim(m.priorNatsHeldOut(), config), sampleSeconds, ganSteps, ganSeconds, ganBatch,
                ganDraw, scored, heldOutNearest, samplesFile, reconstructionsFile, ganFile, cal);
    }

    /**
     * The prior's steps that fit in its budget: the budget less the corpus's encoding, over the step time
     * plus each step's share of the evaluations (a sample grid of 16 pictures and 8 batches of held-out
     * and training loss every {@code evalEvery} steps), with 5% to spare.
     */
    static int planPriorSteps(double seconds, Calibration cal, int encodedPictures, int evalEvery) {
        double encode = cal.encodeMillisPerPicture() * encodedPictures / 1000;
        double step = cal.priorMillis() / 1000;
        double evaluation = 2 * VqVaeTask.GRID * cal.sampleSeconds() + 8 * step / 3;
        double perStep = step + evaluation / evalEvery;
        return Math.max(1, (int) Math.floor(0.95 * (seconds - encode) / perStep));
    }

    /** The VQ-VAE's own measures. */
    record Measures(double heldOutMse, int codesUsedTrain, double trainPerplexity, int codesUsedHeldOut,
            double priorNatsHeldOut, double priorNatsTrain) {}

    /**
     * Every held-out picture reconstructed (error on the decoder's output clamped to [-1, 1], as a
     * picture shows it), every training picture encoded (codebook use), and the prior's mean negative
     * log-likelihood per code over every held-out and every training grid.
     */
    private static Measures measure(VqVae vq, ParameterStore store, NDManager manager, ImageCorpus corpus,
            ImageCorpus.Split split, Path reconstructionGrid) throws IOException {
        Compute.prepareThisThread();
        VqVaeConfig c = vq.config();
        List<String> styleNames = corpus.styles();
        List<ImageCorpus.Item> heldItems = split.validation();
        List<ImageCorpus.Item> trainItems = split.train();
        double squared = 0;
        long values = 0;
        List<int[]> heldGrids = new ArrayList<>();
        List<Picture> gridCells = new ArrayList<>();
        List<Picture> gridReconstructions = new ArrayList<>();
        for (int from = 0; from < heldItems.size(); from += CHUNK) {
            List<Picture> part = heldItems.subList(from, Math.min(heldItems.size(), from + CHUNK)).stream()
                    .map(ImageCorpus.Item::picture).toList();
            try (NDManager s = manager.newSubManager()) {
                NDArray x = ImageDataset.stack(part, s);
                NDArray codes = vq.codes(store, x);
                NDArray rec = vq.picture(store, codes).clip(-1f, 1f);
                squared += rec.sub(x).square().sum().getFloat();
                values += x.size();
                heldGrids.addAll(grids(codes.toLongArray(), part.size(), c));
                if (from == 0) {
                    float[] r = rec.toFloatArray();
                    int plane = c.channels() * c.size() * c.size();
                    for (int i = 0; i < Math.min(VqVaeTask.GRID, part.size()); i++) {
                        gridCells.add(part.get(i));
                        gridReconstructions.add(Picture.fromSigned(r, i * plane, c.channels(), c.size(), c.size()));
                    }
                }
            }
        }
        List<Picture> cells = new ArrayList<>(gridCells);
        cells.addAll(gridReconstructions);
        AtomicFiles.write(reconstructionGrid, PngCodec.encode(Picture.grid(cells, gridCells.size(), 2), Map.of()));
        double mse = squared / values;

        List<int[]> trainGrids = vq.grids(store, trainItems.stream().map(ImageCorpus.Item::picture).toList(), false,
                manager);
        double[] histogram = new double[c.codes()];
        for (int[] g : trainGrids) {
            for (int k : g) {
                histogram[k]++;
            }
        }
        int used = (int) java.util.Arrays.stream(histogram).filter(n -> n > 0).count();
        boolean[] heldUsed = new boolean[c.codes()];
        int usedHeld = 0;
        for (int[] g : heldGrids) {
            for (int k : g) {
                if (!heldUsed[k]) {
                    heldUsed[k] = true;
                    usedHeld++;
                }
            }
        }
        int[] heldStyles = heldItems.stream().mapToInt(i -> Math.max(0, styleNames.indexOf(i.style()))).toArray();
        int[] trainStyles = trainItems.stream().mapToInt(i -> Math.max(0, styleNames.indexOf(i.style()))).toArray();
        double heldNats = priorNats(vq, store, manager, heldGrids, heldStyles);
        double trainNats = priorNats(vq, store, manager, trainGrids, trainStyles);
        return new Measures(mse, used, VectorQuantizer.perplexity(histogram), usedHeld, heldNats, trainNats);
    }

    private static List<int[]> grids(long[] codes, int pictures, VqVaeConfig c) {
        int n = c.grid() * c.grid();
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < pictures; i++) {
            int[] g = new int[n];
            for (int j = 0; j < n; j++) {
                g[j] = (int) codes[i * n + j];
            }
            out.add(g);
        }
        return out;
    }

    /** @return the prior's mean negative log-likelihood per code, in nats, over every grid given */
    private static double priorNats(VqVae vq, ParameterStore store, NDManager manager, List<int[]> grids,
            int[] styles) {
        VqVaeConfig c = vq.config();
        int t = c.grid() * c.grid();
        int batch = 32;
        double sum = 0;
        for (int from = 0; from < grids.size(); from += batch) {
            int b = Math.min(batch, grids.size() - from);
            long[] in = new long[b * t];
            long[] target = new long[b * t];
            long[] style = new long[b];
            for (int i = 0; i < b; i++) {
                int[] g = grids.get(from + i);
                in[i * t] = c.startToken();
                for (int j = 0; j < t; j++) {
                    target[i * t + j] = g[j];
                    if (j + 1 < t) {
                        in[i * t + j + 1] = g[j];
                    }
                }
                style[i] = styles[from + i];
            }
            try (NDManager s = manager.newSubManager()) {
                NDArray logits = vq.prior().logits(store, s.create(in, new Shape(b, t)),
                        c.styled() ? s.create(style) : null, false);
                sum += (double) Gpt.loss(logits, s.create(target, new Shape(b, t))).getFloat() * b * t;
            }
        }
        return sum / ((double) grids.size() * t);
    }

    private static Scored score(String model, String time, String steps, String pictures, List<Picture> generated,
            float[][] held, float[][] corpus, float[][] trainPixels, FeatureNet features, String samples) {
        float[][] fake = features.features(generated);
        Kid.Result kid = Kid.of(held, fake, 50, 1000, 7L);
        PrecisionRecall.Result pr = PrecisionRecall.of(held, fake, PrecisionRecall.DEFAULT_K);
        Kid.Result kidCorpus = Kid.of(corpus, fake, 50, 1000, 7L);
        double near = nearest(Nearest.pixels(generated.subList(0, Math.min(ImageScoring.NEAREST_SAMPLE, generated.size()))),
                trainPixels);
        return new Scored(model, time, steps, pictures, kid, pr, kidCorpus, near, samples);
    }

    /** @return the median RMS pixel distance (0–255) from each picture to its nearest training picture */
    private static double nearest(float[][] pictures, float[][] trainPixels) {
        Nearest.Summary s = Nearest.summarize(Nearest.of(pictures, trainPixels));
        return s.median() / Math.sqrt(pictures[0].length);
    }


    private static void writeGrid(List<Picture> pictures, Path file) throws IOException {
        List<Picture> cells = pictures.subList(0, Math.min(2 * VqVaeTask.GRID, pictures.size()));
        AtomicFiles.write(file, PngCodec.encode(Picture.grid(cells, VqVaeTask.GRID, 2), Map.of()));
    }

    private static String minutesLabel(double minutes) {
        return minutes == Math.rint(minutes) ? String.valueOf((long) minutes) : f(minutes, 1);
    }

    // ---- the report ------------------------------------------------------------------------------

    private static String speedSection(Speed s, int rounds, int warmup) {
        boolean haveRef = s.stages().stream().anyMatch(st -> !st.reference().isEmpty());
        StringBuilder b = new StringBuilder();
        b.append("\n### Step time\n\n");
        b.append("The autoencoder step (`VqVaeTask`: a batch of 32 training pictures, encode, quantize, decode, mean"
                + " squared error plus the commitment loss, Adam on the encoder and decoder, the codebook's moving"
                + " averages and dead-code restart) and the prior step (`LanguageModelTask` on the prior: 32 grids"
                + " of 256 codes, cross-entropy, clipping, AdamW), by Atelier (DJL + libtorch) and by a PyTorch"
                + " reference of the same networks and steps (`bench/reference/vqvae_reference.py`, Debian's"
                + " python3-torch, `OMP_WAIT_POLICY=PASSIVE`) reading the same prepared pictures (the reference"
                + " memory-maps the Java side's export). The prior's grids are random codes on both sides (a step's"
                + " cost does not depend on them). Per stage both are built and warmed up, then they take turns:"
                + " per round, Atelier runs K steps, then the reference K steps, each in its own process kept alive"
                + " between rounds.\n\n");
        b.append("- protocol: ").append(warmup).append(warmup == 1 ? " warm-up step" : " warm-up steps")
                .append(" each (the autoencoder's first is its k-means start), then ").append(rounds)
                .append(rounds == 1 ? " round" : " rounds").append("; medians over every timed step of a side\n");
        b.append("- conditions: ").append(s.conditions()).append('\n');
        b.append(String.format(Locale.ROOT, "- fp32 matmul rate (1024³ through libtorch, median of 15): %.1f GFLOP/s"
                + " before, %.1f after%n", s.matmulBefore(), s.matmulAfter()));
        for (Stage st : s.stages()) {
            b.append("- ").append(st.name()).append(": batch ").append(st.batch()).append(", ").append(st.steps())
                    .append(" steps a round; parameters: Atelier ").append(st.atelierParameters());
            if (st.referenceInfo() != null) {
                b.append(", reference ").append(st.referenceInfo().get("params").getAsLong());
            }
            b.append("; round medians (ms/step), Atelier ").append(roundMedians(st.atelier()));
            if (!st.reference().isEmpty()) {
                b.append(", reference ").append(roundMedians(st.reference()));
            }
            b.append("; last metrics, Atelier ").append(metrics(st.atelierMetrics()));
            if (st.referenceInfo() != null) {
                JsonObject m = st.referenceInfo().getAsJsonObject("metrics");
                b.append(", reference ");
                StringBuilder r = new StringBuilder();
                for (String key : m.keySet()) {
                    r.append(r.length() == 0 ? "" : ", ").append(key).append(' ')
                            .append(f(m.get(key).getAsDouble(), 4));
                }
                b.append(r);
            }
            b.append('\n');
        }
        if (haveRef) {
            JsonObject about = s.stages().stream().filter(st -> st.referenceInfo() != null).findFirst().orElseThrow()
                    .referenceInfo();
            b.append("- reference: torch ").append(about.get("torch").getAsString()).append(", ")
                    .append(about.get("threads").getAsInt()).append(" threads\n");
        }
        b.append("\n| stage | batch | Atelier (ms/step) | PyTorch reference (ms/step) | Atelier / reference"
                + " | Atelier (pictures/s) | reference (pictures/s) |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Stage st : s.stages()) {
            double a = st.atelierMedian();
            double r = st.referenceMedian();
            boolean ref = !st.reference().isEmpty();
            b.append("| ").append(st.name()).append(" | ").append(st.batch()).append(" | ").append(f(a, 1))
                    .append(" | ").append(ref ? f(r, 1) : "-").append(" | ")
                    .append(ref ? String.format(Locale.ROOT, "%.2f×", a / r) : "-").append(" | ")
                    .append(f(st.batch() / (a / 1000), 1)).append(" | ")
                    .append(ref ? f(st.batch() / (r / 1000), 1) : "-").append(" |\n");
        }
        b.append("\n(The prior's pictures/s are code grids: one a picture.)\n");
        return b.toString();
    }

    private static String qualitySection(Quality q, VqVaeConfig config, int count, Path media, Path out) {
        String rel = relative(out, media);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n### Quality after %s minutes of training%n%n", minutesLabel(q.minutes())));
        b.append(String.format(Locale.ROOT, "The VQ-VAE trains its autoencoder for half the budget (%d step(s) of %d"
                + " pictures in %.1f min), then its prior for the other half (%d step(s) of %d grids in %.1f min, the"
                + " corpus's encoding and the evaluations included; %d planned from the measured step time so"
                + " that the prior's learning-rate schedule ends with the budget%s). The clock is the training"
                + " loop's: steps, evaluations every %d steps and checkpoints, not the corpus's loading.",
                q.autoencoderSteps(), q.batch(), q.autoencoderSeconds() / 60, q.priorSteps(), q.priorBatch(),
                q.priorSeconds() / 60, q.priorStepsPlanned(), q.priorSteps() < q.priorStepsPlanned()
                        ? ", but the budget ended it first" : "", EVAL_EVERY));
        if (q.ganSteps() != null) {
            b.append(String.format(Locale.ROOT, " The atelier GAN trains from the same seed for the whole budget (%d"
                    + " steps of %d in %.1f min).", q.ganSteps(), q.ganBatch(), q.ganSeconds() / 60));
        }
        b.append("\n\n");
        b.append("| held-out MSE ([0, 1] scale) | held-out PSNR | codes used by the training pictures | their"
                + " perplexity | codes used by the held-out pictures | prior NLL, held-out (nats/code) | prior NLL,"
                + " training (nats/code) | prior bits/dim, held-out |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        b.append(String.format(Locale.ROOT, "| %.5f | %.2f dB | %d of %d | %.1f | %d | %.3f | %.3f | %.3f |%n",
                q.heldOutMse() / 4, 10 * Math.log10(4 / Math.max(q.heldOutMse(), 1e-12)), q.codesUsedTrain(),
                config.codes(), q.trainPerplexity(), q.codesUsedHeldOut(), q.priorNatsHeldOut(), q.priorNatsTrain(),
                q.bitsPerDim()));
        b.append(String.format(Locale.ROOT, "%nReconstruction: every one of the %d held-out pictures, encoded, quantized"
                + " and decoded, the decoder's output clamped to [-1, 1]; MSE over all their values (on the [0, 1]"
                + " scale), PSNR = 10·log10(1/MSE). Codes: every one of the %d training pictures encoded (no mirror"
                + " images); perplexity = exp of the entropy of their codes' frequencies. Prior: the mean negative"
                + " log-likelihood of every code of every held-out (and training) grid given the codes before it;"
                + " bits/dim = a grid's bits over the picture's %d values (`VqVaeTask.bitsPerDim`). Reconstructions"
                + " (held-out originals above): [%s](%s/%s).%n%n", q.heldOut(), q.trainPictures(),
                config.size() * config.size() * config.channels(), q.reconstructionsFile(), rel,
                q.reconstructionsFile()));
        b.append(String.format(Locale.ROOT, "Pictures drawn: %d from each model (seeds 0 to %d; the VQ-VAE's prior at"
                + " temperature 1 with no top-k or top-p, %.2f s a picture%s),"
                + " measured as `atelier score` measures (the corpus's own feature network, KID with 50 subsets, ±"
                + " their standard deviation, precision and recall with k = 3, nearest training picture) but"
                + " against the %d held-out pictures; KID against the whole corpus as in the image-quality section"
                + " beside it. Nearest: the median RMS pixel distance (0–255) from %d pictures to their nearest"
                + " training picture; held-out pictures are at %.1f.%n%n", count, count - 1, q.sampleSeconds(),
                q.ganSteps() != null ? String.format(Locale.ROOT, "; the GAN's latent with no truncation, %.3f s a"
                        + " picture", q.ganDrawSeconds()) : "",
                q.heldOut(), Math.min(ImageScoring.NEAREST_SAMPLE, count), q.heldOutNearest()));
        b.append("| model | training time | steps | pictures seen | KID vs held-out | precision | recall | KID vs"
                + " corpus | nearest | samples |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Scored s : q.scored()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.4f ± %.4f | %.3f | %.3f | %.4f ± %.4f | %s |"
                    + " %s |%n", s.model(), s.trainingTime(), s.steps(), s.pictures(), s.kid().mean(), s.kid().std(),
                    s.pr().precision(), s.pr().recall(), s.kidCorpus().mean(), s.kidCorpus().std(),
                    s.nearest() == null ? "-" : f(s.nearest(), 1),
                    s.samples() == null ? "-" : "[grid](" + rel + "/" + s.samples() + ")"));
        }
        return b.toString();
    }

    private static String targets(Speed s, Quality q, VqVaeConfig config) {
        StringBuilder b = new StringBuilder();
        b.append("\n### Targets\n\n| target | measured | |\n|---|---|---|\n");
        if (q != null) {
            b.append("| all ").append(config.codes()).append(" codes in use at the end (over every training"
                    + " picture's encoding) | ").append(q.codesUsedTrain()).append(" of ").append(config.codes())
                    .append(" | ").append(q.codesUsedTrain() == config.codes() ? "met" : "not met").append(" |\n");
        } else {
            b.append("| all ").append(config.codes()).append(" codes in use at the end | not measured"
                    + " (`--skip-quality`) | - |\n");
        }
        Stage ae = s == null ? null : s.stages().stream().filter(st -> "autoencoder".equals(st.name())).findFirst()
                .orElse(null);
        if (ae != null && !ae.reference().isEmpty()) {
            double ratio = ae.atelierMedian() / ae.referenceMedian();
            b.append(String.format(Locale.ROOT, "| the autoencoder step no slower than the PyTorch reference | %.1f vs"
                    + " %.1f ms/step (%.2f×) | %s |%n", ae.atelierMedian(), ae.referenceMedian(), ratio,
                    ratio <= 1 ? "met" : "not met"));
        } else {
            b.append("| the autoencoder step no slower than the PyTorch reference | not measured | - |\n");
        }
        return b.toString();
    }

    private static String relative(Path out, Path media) {
        Path from = out.toAbsolutePath().getParent();
        return from == null ? media.toString() : from.relativize(media).toString();
    }

    private static String roundMedians(List<double[]> rounds) {
        StringBuilder s = new StringBuilder();
        for (double[] r : rounds) {
            s.append(s.length() == 0 ? "" : ", ").append(f(Stats.median(r), 1));
        }
        return s.toString();
    }

    private static String metrics(Map<String, Double> m) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            if (!"lr".equals(e.getKey())) {
                s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(f(e.getValue(), 4));
            }
        }
        return s.toString();
    }

    private static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
