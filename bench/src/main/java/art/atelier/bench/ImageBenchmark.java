package art.atelier.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

import art.atelier.corpus.BadFile;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.ImageDataset;
import art.atelier.image.ImageTraining;
import art.atelier.image.Picture;
import art.atelier.image.gan.GanConfig;
import art.atelier.image.gan.GanNetworks;
import art.atelier.image.gan.GanTask;
import art.atelier.image.gan.Generator;
import art.atelier.nn.Compute;
import art.atelier.train.AdamW;
import art.atelier.train.FlatParameters;
import art.atelier.train.TrainSettings;
import art.atelier.util.Rng;
import art.atelier.util.Stats;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The picture benchmark of issue 3: the time of one GAN training step, by Atelier and by a PyTorch
 * reference of the same models and step ({@code bench/reference/gan_reference.py}), for each
 * family, on twemoji-72 at 64×64 RGB (over white, cropped). Both read the same pictures: the Java
 * side prepares the corpus as {@code atelier train image} does and writes the training split to a
 * raw file the reference memory-maps.
 *
 * <p>Machines are noisy, so the two take turns in one invocation: for each family, both are built
 * and warmed up, then for every round Atelier runs K steps and the reference K steps. The reference
 * is one Python process for the whole family, told on its stdin how many steps to run, so neither
 * side is restarted between rounds and neither runs while the other does. Prints a table and writes
 * its section of docs/benchmarks.md.
 *
 * <p>Usage: {@code bench/image.sh [--data DIR] [--models dcgan,atelier] [--rounds R] [--steps K]
 * [--warmup W] [--skip-reference] [--out FILE]}: W = 10 warm-up steps, then R = 3 rounds of K = 20 steps
 * (dcgan) or 40 (atelier) a side: 60 and 120 timed steps a side, about 6 minutes on an idle 2-core machine.
 */
public final class ImageBenchmark {

    private static final int SIZE = 64;
    private static final int CHANNELS = 3;

    private ImageBenchmark() {}

    /**
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = TextBenchmark.options(args);
        Path dataDir = Path.of(opt.getOrDefault("--data", "../shared/data/images/twemoji-72"));
        List<String> models = List.of(opt.getOrDefault("--models", "dcgan,atelier").split(","));
        int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "3"));
        Integer steps = opt.containsKey("--steps") ? Integer.valueOf(opt.get("--steps")) : null;
        int warmup = Integer.parseInt(opt.getOrDefault("--warmup", "10"));
        long seed = Long.parseLong(opt.getOrDefault("--seed", "1337"));
        Path out = Path.of(opt.getOrDefault("--out", "docs/benchmarks.md"));
        String python = opt.getOrDefault("--python", "/usr/bin/python3");
        boolean reference = !opt.containsKey("--skip-reference");
        String command = ("bench/image.sh " + String.join(" ", args)).strip();
        if (rounds < 1 || warmup < 0 || (steps != null && steps < 1)) {
            throw new IllegalArgumentException("--rounds and --steps must be at least 1, --warmup at least 0");
        }
        // libgomp's threads spin between parallel regions unless told otherwise: on a shared machine
        // that decides the result, so each side's setting is reported
        String waitPolicy = System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset");
        String loadBefore = Machine.loadAverage();

        Compute.init();
        String machine = Machine.describe();
        System.out.println("machine: " + machine);
        double matmulBefore = Machine.matmulGflops();
        System.out.printf(Locale.ROOT, "fp32 matmul (1024^3, libtorch): %.1f GFLOP/s%n", matmulBefore);
        System.out.println("load average (1, 5, 15 min): " + loadBefore + "; OMP_WAIT_POLICY for atelier: "
                + waitPolicy);

        long t0 = System.nanoTime();
        ImageCorpus corpus = ImageCorpus.load(dataDir, new ImageCorpus.Options(SIZE, ImageCorpus.Fit.CROP, CHANNELS),
                BadFilePolicy.SKIP);
        for (BadFile b : corpus.skipped()) {
            System.out.println("left out " + b);
        }
        ImageCorpus.Split split = corpus.split(ImageTraining.TRAIN_FRACTION, seed);
        List<Picture> train = split.train().stream().map(ImageCorpus.Item::picture).toList();
        List<Picture> validation = split.validation().stream().map(ImageCorpus.Item::picture).toList();
        // unconditioned, as the reference is: a styled corpus's labels are ignored here
        ImageDataset data = new ImageDataset(train, new int[train.size()], validation, new int[validation.size()],
                false);
        System.out.printf(Locale.ROOT, "corpus: %d pictures (%d for training), %d skipped, prepared in %.1f s%n",
                corpus.pictures().size(), train.size(), corpus.skipped().size(), (System.nanoTime() - t0) / 1e9);

        Path tmp = Files.createTempDirectory("atelier-image-bench-");
        Path raw = tmp.resolve("pictures.u8");
        try {
            writeRaw(train, raw);
            List<Result> results = new ArrayList<>();
            for (String family : models) {
                int k = steps != null ? steps : GanConfig.DCGAN.equals(family) ? 20 : 40;
                results.add(compare(family, data, raw, train.size(), rounds, k, warmup, seed, reference, python));
            }
            double matmulAfter = Machine.matmulGflops();
            String conditions = "OpenMP wait policy: Atelier " + waitPolicy + ", reference PASSIVE; load average"
                    + " (1, 5, 15 min) " + loadBefore + " before, " + Machine.loadAverage() + " after";
            String md = table(results, machine, command, dataDir, corpus, train.size(), rounds, warmup,
                    matmulBefore, matmulAfter, conditions);
            System.out.println();
            System.out.println(md);
            BenchmarkReport.replaceSection(out, "image-step", md);
            System.out.println("written to " + out);
        } finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(tmp);
        }
    }

    /** The pictures, in order, as (N, S, S, C) bytes: each picture's own interleaved layout. */
    static void writeRaw(List<Picture> pictures, Path file) throws IOException {
        try (OutputStream o = Files.newOutputStream(file)) {
            for (Picture p : pictures) {
                if (p.width() != SIZE || p.height() != SIZE || p.channels() != CHANNELS) {
                    throw new IllegalStateException("a picture of " + p + " in a " + SIZE + "×" + SIZE + " corpus");
                }
                o.write(p.pixels());
            }
        }
    }

    /** One family's measurements. */
    record Result(String family, int batch, int steps, List<double[]> atelier, List<double[]> reference,
            long atelierG, long atelierD, Map<String, Double> atelierLosses, JsonObject referenceInfo) {

        double[] allAtelier() {
            return atelier.stream().flatMapToDouble(Arrays::stream).toArray();
        }

        double[] allReference() {
            return reference.stream().flatMapToDouble(Arrays::stream).toArray();
        }
    }

    static Result compare(String family, ImageDataset data, Path raw, int count, int rounds, int k, int warmup,
            long seed, boolean withReference, String python) throws IOException, InterruptedException {
        GanConfig config = GanConfig.of(family, SIZE, CHANNELS, 0);
        TrainSettings settings = ImageTraining.settings(family, warmup + rounds * k, null, null, seed);
        List<double[]> mine = new ArrayList<>();
        List<double[]> theirs = new ArrayList<>();
        JsonObject info = null;
        try (Reference ref = withReference ? new Reference(python, family, raw, count, seed) : null;
                AtelierGan gan = new AtelierGan(config, data, settings)) {
            System.out.printf(Locale.ROOT, "%s: batch %d; warm-up, %d step(s) each%n", family, settings.batch(), warmup);
            if (warmup > 0) {
                gan.run(warmup);
                if (ref != null) {
                    ref.run(warmup);
                }
            }
            for (int r = 1; r <= rounds; r++) {
                double[] a = gan.run(k);
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
            return new Result(family, settings.batch(), k, mine, theirs, gan.generatorParameters(),
                    gan.discriminatorParameters(), gan.lastMetrics(), info);
        }
    }

    private static double[] times(JsonObject report) {
        JsonArray a = report.getAsJsonArray("ms_per_step");
        double[] t = new double[a.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = a.get(i).getAsDouble();
        }
        return t;
    }

    /**
     * Atelier's side: the networks, optimizers, moving average and {@link GanTask} built as {@code
     * ImageTraining.run} builds them, stepped as {@code TrainingLoop} steps them (one sub-manager per
     * step, timed with its closing), without evaluations or checkpoints.
     */
    static final class AtelierGan implements AutoCloseable {

        private final Model model;
        private final NDManager manager;
        private final AdamW generatorOptimizer;
        private final AdamW discriminatorOptimizer;
        private final FlatParameters averageWeights;
        private final GanTask task;
        private int step;
        private Map<String, Double> last = Map.of();

        AtelierGan(GanConfig config, ImageDataset data, TrainSettings settings) {
            model = Model.newInstance("bench-" + config.family(), Compute.device(), "PyTorch");
            AdamW g = null;
            AdamW d = null;
            FlatParameters avg = null;
            try {
                manager = model.getNDManager();
                GanNetworks networks = new GanNetworks(config);
                model.setBlock(networks);
                Compute.seed(settings.seed());
                networks.initialize(manager, DataType.FLOAT32);
                Generator average = null;
                if (config.emaHalfLife() > 0) {
                    average = GanNetworks.newGenerator(config);
                    GanNetworks.initialize(average, manager);
                }
                g = new AdamW(manager, networks.generator().getParameters(), settings, p -> false);
                d = new AdamW(manager, networks.discriminator().getParameters(), settings, p -> false);
                if (average != null) {
                    avg = FlatParameters.adopt(manager, average.getParameters(), p -> false);
                    avg.values().muli(0f).addi(g.parameters().values()); // start as the generator
                }
                ParameterStore store = new ParameterStore(manager, false);
                task = new GanTask(networks, store, data, settings, g, d, average, avg, new Rng(settings.seed()),
                        1, (dir, s, l, e, rng) -> { }, (s, grid) -> { }); // augmentation at p = 1: the costliest step
            } catch (RuntimeException e) {
                BenchmarkReport.closeAfter(e, avg, d, g);
                model.close();
                throw e;
            }
            generatorOptimizer = g;
            discriminatorOptimizer = d;
            averageWeights = avg;
        }

        /** @return the milliseconds of each of n steps */
        double[] run(int n) {
            Compute.prepareThisThread(); // native calls into Java (the reference's pipes) reset the FP mode
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    last = task.step(step, scope);
                }
                ms[i] = (System.nanoTime() - t) / 1e6;
                step++;
                for (Map.Entry<String, Double> e : last.entrySet()) {
                    if (!Double.isFinite(e.getValue())) {
                        throw new IllegalStateException("atelier diverged at step " + step + ": " + last);
                    }
                }
            }
            return ms;
        }

        long generatorParameters() {
            return generatorOptimizer.parameters().size();
        }

        long discriminatorParameters() {
            return discriminatorOptimizer.parameters().size();
        }

        Map<String, Double> lastMetrics() {
            return last;
        }

        @Override
        public void close() {
            if (averageWeights != null) {
                averageWeights.close();
            }
            discriminatorOptimizer.close();
            generatorOptimizer.close();
            model.close();
        }
    }

    /**
     * The reference, one Python process per family (or per stage, for the VQ-VAE's), stepping when told
     * to on its stdin.
     */
    static final class Reference implements AutoCloseable {

        private final Process process;
        private final BufferedWriter in;
        private final BufferedReader out;

        Reference(String python, String family, Path raw, int count, long seed) throws IOException {
            this(List.of(python, "bench/reference/gan_reference.py", "--model", family, "--data", raw.toString(),
                    "--count", String.valueOf(count), "--seed", String.valueOf(seed), "--serve"));
        }

        /**
         * @param command a reference script's command line, in its {@code --serve} mode: it prints a JSON
         *     line when ready, then one for every step count it reads on its stdin
         * @throws IOException if it cannot start or never says it is ready
         */
        Reference(List<String> command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command);
            // the reference runs as a user would run it: none of the launcher's allocator settings
            for (String v : List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")) {
                pb.environment().remove(v);
            }
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            process = pb.start();
            in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            read(); // ready
        }

        /** @return the reference's report on n more steps */
        JsonObject run(int n) throws IOException {
            in.write(n + "\n");
            in.flush();
            return read();
        }

        private JsonObject read() throws IOException {
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the reference stopped (exit " + waitExit() + "); is python3-torch installed?");
            }
            return JsonParser.parseString(line).getAsJsonObject();
        }

        private String waitExit() {
            try {
                return process.waitFor(10, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "none";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "none";
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                in.write("quit\n");
                in.close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static String table(List<Result> results, String machine, String command, Path dataDir, ImageCorpus corpus,
            int trainPictures, int rounds, int warmup, double mmBefore, double mmAfter, String conditions) {
        boolean haveRef = results.stream().anyMatch(r -> !r.reference().isEmpty());
        StringBuilder s = new StringBuilder();
        s.append("## Pictures: a GAN training step on ").append(dataDir.getFileName()).append(" at 64×64\n\n");
        s.append("One training step of each GAN family (generator's fakes, discriminator's step, generator's step"
                + " through the updated discriminator, moving average), by Atelier (DJL + libtorch, `GanTask.step`)"
                + " and by a PyTorch reference of the same networks and step (`bench/reference/gan_reference.py`,"
                + " Debian's python3-torch, `OMP_WAIT_POLICY=PASSIVE`), on the same prepared pictures (64×64 RGB,"
                + " cropped, over white; the reference memory-maps the Java side's export). Unconditioned. For each"
                + " family both are built and warmed up, then they take turns: per round, Atelier runs K steps,"
                + " then the reference K steps, each in its own process kept alive between rounds.\n\n");
        s.append("- date: ").append(LocalDate.now()).append('\n');
        s.append("- machine: ").append(machine).append('\n');
        s.append("- command: `").append(command).append("` (data: `").append(dataDir).append("`, ")
                .append(corpus.pictures().size()).append(" pictures, ").append(trainPictures)
                .append(" in the training split").append(corpus.skipped().isEmpty() ? ""
                        : ", " + corpus.skipped().size() + " skipped").append(")\n");
        s.append("- protocol: ").append(warmup).append(warmup == 1 ? " warm-up step" : " warm-up steps")
                .append(" each, then ").append(rounds).append(rounds == 1 ? " round" : " rounds").append("; medians over every timed step of a side; pictures/s is the batch's real"
                        + " pictures over the step's time\n");
        s.append("- conditions: ").append(conditions).append('\n');
        s.append(String.format(Locale.ROOT, "- fp32 matmul rate (1024³ through libtorch, median of 15): %.1f GFLOP/s"
                + " before, %.1f after%n", mmBefore, mmAfter));
        for (Result r : results) {
            s.append("- ").append(r.family()).append(": batch ").append(r.batch()).append(", ").append(r.steps())
                    .append(" steps a round; parameters G/D: Atelier ").append(r.atelierG()).append('/')
                    .append(r.atelierD());
            if (r.referenceInfo() != null) {
                s.append(", reference ").append(r.referenceInfo().get("params_g").getAsLong()).append('/')
                        .append(r.referenceInfo().get("params_d").getAsLong());
            }
            s.append("; round medians (ms/step), Atelier ").append(roundMedians(r.atelier()));
            if (!r.reference().isEmpty()) {
                s.append(", reference ").append(roundMedians(r.reference()));
            }
            s.append("; last losses, Atelier ").append(losses(r.atelierLosses()));
            if (r.referenceInfo() != null) {
                JsonObject l = r.referenceInfo().getAsJsonObject("losses");
                s.append(", reference d ").append(f(l.get("d_loss").getAsDouble(), 3)).append(" g ")
                        .append(f(l.get("g_loss").getAsDouble(), 3));
            }
            s.append('\n');
        }
        if (haveRef) {
            JsonObject about = results.stream().filter(r -> r.referenceInfo() != null).findFirst().orElseThrow()
                    .referenceInfo();
            s.append("- reference: torch ").append(about.get("torch").getAsString()).append(", ")
                    .append(about.get("threads").getAsInt()).append(" threads\n");
        }
        s.append("\n| model | batch | Atelier (ms/step) | PyTorch reference (ms/step) | Atelier / reference"
                + " | Atelier (pictures/s) | reference (pictures/s) | target | |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Result r : results) {
            double a = Stats.median(r.allAtelier());
            double b = Stats.median(r.allReference());
            boolean ref = !r.reference().isEmpty();
            s.append("| ").append(r.family()).append(" | ").append(r.batch()).append(" | ").append(f(a, 1))
                    .append(" | ").append(ref ? f(b, 1) : "-").append(" | ")
                    .append(ref ? String.format(Locale.ROOT, "%.2f×", a / b) : "-").append(" | ")
                    .append(f(r.batch() / (a / 1000), 1)).append(" | ")
                    .append(ref ? f(r.batch() / (b / 1000), 1) : "-").append(" | ≤ 1× reference | ")
                    .append(ref ? (a <= b ? "met" : "not met") : "-").append(" |\n");
        }
        return s.toString();
    }

    private static String roundMedians(List<double[]> rounds) {
        StringBuilder s = new StringBuilder();
        for (double[] r : rounds) {
            s.append(s.length() == 0 ? "" : ", ").append(f(Stats.median(r), 1));
        }
        return s.toString();
    }

    private static String losses(Map<String, Double> m) {
        return "d " + f(m.getOrDefault("d_loss", Double.NaN), 3) + " g " + f(m.getOrDefault("g_loss", Double.NaN), 3);
    }

    private static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
