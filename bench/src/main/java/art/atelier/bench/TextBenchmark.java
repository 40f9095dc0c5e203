package art.atelier.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.TextCorpus;
import art.atelier.nn.Compute;
import art.atelier.nn.GptConfig;
import art.atelier.nn.GptSampler;
import art.atelier.nn.SamplingSettings;
import art.atelier.text.TextModel;
import art.atelier.text.TextTraining;
import art.atelier.train.LanguageModelTask;
import art.atelier.train.TokenDataset;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Rng;
import art.atelier.util.Stats;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text benchmark of issue 2: nanoGPT's "baby Shakespeare" run (baby preset, batch 12, context
 * 64, 2000 iterations, lr 1e-3 cosine to 1e-4 after 100 warm-up steps, AdamW wd 0.1 with betas
 * 0.9/0.99, clip 1.0, dropout 0, evaluation every 250 steps on 20 batches), by Atelier and by a
 * PyTorch reference of the same model, one after the other in one invocation. Prints a table and
 * writes its section of docs/benchmarks.md.
 *
 * <p>Usage: {@code bench/text.sh [--data FILE] [--iters N] [--seeds 1337,1,2] [--skip-reference]}.
 */
public final class TextBenchmark {

    /** nanoGPT's baby batch: sequences per training iteration and per evaluation batch. */
    static final int BATCH = 12;

    private TextBenchmark() {}

    /**
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path data = Path.of(opt.getOrDefault("--data", "../shared/data/text/tinyshakespeare.txt"));
        int iters = Integer.parseInt(opt.getOrDefault("--iters", "2000"));
        Path out = Path.of(opt.getOrDefault("--out", "docs/benchmarks.md"));
        String python = opt.getOrDefault("--python", "/usr/bin/python3");
        int sampleTokens = Integer.parseInt(opt.getOrDefault("--sample-tokens", "1000"));
        boolean reference = !opt.containsKey("--skip-reference");
        long[] seeds = java.util.Arrays.stream(opt.getOrDefault("--seeds", "1337").split(","))
                .mapToLong(Long::parseLong).toArray();
        String command = "bench/text.sh " + String.join(" ", args);

        Compute.init();
        String machine = Machine.describe();
        System.out.println("machine: " + machine);
        double matmulBefore = Machine.matmulGflops();
        System.out.printf(Locale.ROOT, "fp32 matmul (1024^3, libtorch): %.1f GFLOP/s%n", matmulBefore);

        Path ws = Files.createTempDirectory("atelier-bench-");
        try {
            List<Java> javas = new ArrayList<>();
            List<JsonObject> refs = new ArrayList<>();
            double productsFirst = Double.NaN;
            for (int i = 0; i < seeds.length; i++) { // Atelier and the reference take turns, seed by seed
                javas.add(runJava(ws.resolve("s" + seeds[i]), data, iters, i == 0 ? sampleTokens : 0, seeds[i]));
                if (i == 0) { // the floor at the trained model's shapes, read here and again at the end
                    productsFirst = stepProductsMillis(javas.get(0).config(), BATCH);
                    System.out.printf(Locale.ROOT, "an iteration's matrix products alone: %.2f ms%n", productsFirst);
                }
                if (reference) {
                    refs.add(runReference(python, data, iters, seeds[i]));
                }
            }
            double matmulAfter = Machine.matmulGflops();
            // the machine's best readings: a slow one means something else had the cores, and MFU is
            // measured against what the machine can do
            double matmul = Math.max(matmulBefore, matmulAfter);
            double products = Math.min(productsFirst, stepProductsMillis(javas.get(0).config(), BATCH));
            String md = table(javas, refs, seeds, matmulBefore, matmulAfter, matmul, products, machine, command, data,
                    iters);
            System.out.println();
            System.out.println(md);
            BenchmarkReport.replaceSection(out, "text", md);
            System.out.println("written to " + out);
        } finally {
            AtomicFiles.deleteTree(ws);
        }
    }

    /** What the Java side measured. */
    record Java(TrainingResult training, double finalValLoss, GptConfig config, double[] rss, double[] heap,
            int[] rssSteps, double tokensPerSecondCached, double tokensPerSecondUncached) {

        /** @return the model's FLOPs for one training iteration (6N + 12·L·H·Q·T per token) */
        double flopsPerIter() {
            return config.trainingFlopsPerToken() * BATCH * config.contextLength();
        }
    }

    static Java runJava(Path ws, Path data, int iters, int sampleTokens, long seed) throws IOException {
        TextTraining.Request r = new TextTraining.Request(data, "bench", "baby", "char", null, iters, BATCH, 1e-3f,
                seed, 0f, false, 250, Math.max(iters / 4, 1), false, true, BadFilePolicy.STOP);
        int[] rssSteps = {1, 100, iters / 4, iters / 2, 3 * iters / 4, iters};
        double[] rss = new double[rssSteps.length];
        double[] heap = new double[rssSteps.length];
        System.out.printf(Locale.ROOT, "atelier: training %d iterations, seed %d...%n", iters, seed);
        TrainingResult res = TextTraining.train(Workspace.at(ws), r, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                for (int i = 0; i < rssSteps.length; i++) {
                    if (s.step() == rssSteps[i]) {
                        rss[i] = Machine.rssMiB();
                        heap[i] = Runtime.getRuntime().totalMemory() / 1048576.0;
                    }
                }
                if (s.step() % 250 == 0) {
                    System.out.printf(Locale.ROOT, "  step %d loss %.4f %.1f it/s%n", s.step(), s.metrics().get("loss"),
                            s.stepsPerSecond());
                }
            }

            @Override
            public void onEvaluation(int step, Map<String, Double> m) {
                System.out.println("  eval " + step + " " + m);
            }
        }, () -> false);

        Path dir = Workspace.at(ws).model("bench");
        try (TextModel model = TextModel.load(dir); NDManager m = model.model().getNDManager().newSubManager()) {
            GptConfig config = model.gpt().config();
            TextCorpus corpus = TextCorpus.load(data, BadFilePolicy.STOP);
            TokenDataset ds = TextTraining.dataset(corpus, corpus.split(TextTraining.TRAIN_FRACTION), model.tokenizer(),
                    false);
            double finalVal = LanguageModelTask.meanLoss(model.gpt(), model.store(), ds, BATCH, 200, true, new Rng(4242), m);
            double cached = Double.NaN;
            double uncached = Double.NaN;
            if (sampleTokens > 0) {
                GptSampler sampler = new GptSampler(model.gpt(), model.store());
                cached = samplingSpeed(sampler, m, sampleTokens, true);
                uncached = samplingSpeed(sampler, m, sampleTokens / 4, false);
            }
            return new Java(res, finalVal, config, rss, heap, rssSteps, cached, uncached);
        }
    }

    private static double samplingSpeed(GptSampler sampler, NDManager m, int tokens, boolean cache) {
        SamplingSettings s = new SamplingSettings(1f, 0, 1f, 1f, tokens, cache);
        sampler.sample(m, new int[] {0}, -1, s, new Rng(1), t -> true); // warm-up
        double[] rates = new double[3];
        for (int i = 0; i < rates.length; i++) {
            long t0 = System.nanoTime();
            int n = sampler.sample(m, new int[] {0}, -1, s, new Rng(7 + i), t -> true).length;
            rates[i] = n / ((System.nanoTime() - t0) / 1e9);
        }
        return Stats.median(rates);
    }

    static JsonObject runReference(String python, Path data, int iters, long seed)
            throws IOException, InterruptedException {
        Path script = Path.of("bench/reference/gpt_reference.py");
        System.out.printf(Locale.ROOT, "pytorch reference: training %d iterations, seed %d...%n", iters, seed);
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--data", data.toString(), "--iters",
                String.valueOf(iters), "--seed", String.valueOf(seed));
        // the reference runs as a user would run it: none of the launcher's allocator settings
        for (String v : List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")) {
            pb.environment().remove(v);
        }
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("the reference failed (exit " + p.exitValue() + "); is python3-torch installed?");
        }
        String last = stdout.strip().lines().reduce((a, b) -> b).orElse("{}");
        return JsonParser.parseString(last).getAsJsonObject();
    }

    /**
     * How long one training iteration's matrix products take on their own: every product of the
     * forward and backward passes (three per linear layer: output, input gradient, weight gradient;
     * six batched ones per attention), at the iteration's shapes, on contiguous operands, with nothing
     * else in between. The floor under an iteration of eager libtorch on this machine.
     *
     * @param config the model
     * @param batch sequences per batch
     * @return the median over rounds, in ms
     */
    static double stepProductsMillis(GptConfig config, int batch) {
        long n = (long) batch * config.contextLength(); // tokens
        long c = config.width();
        long t = config.contextLength();
        long bh = (long) batch * config.heads();
        long hs = config.headSize();
        List<long[]> linear = new ArrayList<>(); // {in, out} per linear layer
        for (int l = 0; l < config.layers(); l++) {
            linear.add(new long[] {c, 3 * c});
            linear.add(new long[] {c, c});
            linear.add(new long[] {c, 4 * c});
            linear.add(new long[] {4 * c, c});
        }
        linear.add(new long[] {c, config.vocabSize()});
        try (NDManager m = Compute.newManager()) {
            List<NDArray[]> products = new ArrayList<>();
            for (long[] io : linear) {
                products.add(operands(m, new Shape(n, io[0]), new Shape(io[0], io[1]))); // output
                products.add(operands(m, new Shape(n, io[1]), new Shape(io[1], io[0]))); // input gradient
                products.add(operands(m, new Shape(io[1], n), new Shape(n, io[0]))); // weight gradient
            }
            Shape scores = new Shape(bh, t, t);
            Shape heads = new Shape(bh, t, hs);
            Shape headsT = new Shape(bh, hs, t);
            for (int l = 0; l < config.layers(); l++) {
                products.add(operands(m, heads, headsT)); // q·kᵀ
                products.add(operands(m, scores, heads)); // p·v
                products.add(operands(m, heads, headsT)); // gradient of p: dy·vᵀ
                for (int k = 0; k < 3; k++) { // gradients of v, q and k
                    products.add(operands(m, scores, heads));
                }
            }
            double[] rounds = new double[15];
            for (int r = -3; r < rounds.length; r++) {
                long start = System.nanoTime();
                for (int rep = 0; rep < 5; rep++) {
                    for (NDArray[] p : products) {
                        (p[0].getShape().dimension() == 3 ? p[0].batchMatMul(p[1]) : p[0].matMul(p[1])).close();
                    }
                }
                if (r >= 0) {
                    rounds[r] = (System.nanoTime() - start) / 1e6 / 5;
                }
            }
            return Stats.median(rounds);
        }
    }

    private static NDArray[] operands(NDManager m, Shape a, Shape b) {
        return new NDArray[] {m.randomNormal(a), m.randomNormal(b)};
    }

    static String table(List<Java> javas, List<JsonObject> refs, long[] seeds, double mmBefore, double mmAfter,
            double matmul, double products, String machine, String command, Path data, int iters) {
        Java j = javas.get(0);
        boolean haveRef = !refs.isEmpty();
        double[] jVal = javas.stream().mapToDouble(Java::finalValLoss).toArray();
        double[] jMs = javas.stream().mapToDouble(x -> x.training().medianStepMillis(100)).toArray();
        double[] jWall = javas.stream().mapToDouble(x -> x.training().wallSeconds()).toArray();
        double[] rVal = refs.stream().mapToDouble(r -> r.get("final_val_loss").getAsDouble()).toArray();
        double[] rMs = refs.stream().mapToDouble(r -> r.get("ms_per_iter_median").getAsDouble()).toArray();
        double[] rWall = refs.stream().mapToDouble(r -> r.get("wall_seconds").getAsDouble()).toArray();
        double ms = Stats.median(jMs);
        double wall = Stats.median(jWall);
        double refMs = haveRef ? Stats.median(rMs) : Double.NaN;
        double refWall = haveRef ? Stats.median(rWall) : Double.NaN;
        double mfu = j.flopsPerIter() / (ms / 1000) / (matmul * 1e9);
        double refMfu = j.flopsPerIter() / (refMs / 1000) / (matmul * 1e9);
        double meanVal = mean(jVal);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"validation loss after " + iters + " iterations (200 batches; mean ± sd over seeds)",
                f(meanVal, 4) + " ± " + f(sd(jVal), 4), haveRef ? f(mean(rVal), 4) + " ± " + f(sd(rVal), 4) : "-",
                "≤ 1.88", meanVal <= 1.88 ? "met" : "not met"});
        rows.add(new String[] {"training iteration, median after 100 (ms)", f(ms, 1), haveRef ? f(refMs, 1) : "-",
                "≤ ½ reference", haveRef ? String.format(Locale.ROOT, "%s (%.2f× the reference's time)",
                        ms <= refMs / 2 ? "met" : "not met", ms / refMs) : "-"});
        rows.add(new String[] {"MFU against the measured fp32 matmul rate", pct(mfu), haveRef ? pct(refMfu) : "-",
                "≥ 80%", mfu >= 0.8 ? "met" : "not met"});
        double budget = j.flopsPerIter() / (0.8 * matmul * 1e9) * 1000; // ms an iteration at 80% MFU
        rows.add(new String[] {"an iteration's matrix products alone, at its shapes, nothing else (ms)", f(products, 1),
                "-", String.format(Locale.ROOT, "80%% MFU allows %.1f ms for the whole iteration", budget),
                String.format(Locale.ROOT, "%.0f%% of that budget", 100 * products / budget)});
        rows.add(new String[] {"whole run incl. evaluations and checkpoints (s)", f(wall, 1),
                haveRef ? f(refWall, 1) : "-", "≤ ⅓ reference", haveRef ? String.format(Locale.ROOT,
                        "%s (%.2f× the reference's time)", wall <= refWall / 3 ? "met" : "not met", wall / refWall)
                        : "-"});
        rows.add(new String[] {"sampling with the KV cache (tokens/s, 1 sequence)", f(j.tokensPerSecondCached(), 0),
                "-", "≥ 3000", j.tokensPerSecondCached() >= 3000 ? "met" : "not met"});
        rows.add(new String[] {"sampling without a cache (tokens/s, 1 sequence)", f(j.tokensPerSecondUncached(), 0),
                haveRef ? f(refs.get(0).get("sample_tokens_per_second_no_cache").getAsDouble(), 0) : "-", "-", "-"});
        StringBuilder s = new StringBuilder();
        s.append("## Text: the baby GPT on Tiny Shakespeare\n\n");
        s.append("nanoGPT's CPU \"baby Shakespeare\" run, by Atelier (DJL + libtorch) and by a PyTorch reference of the"
                + " same model (`bench/reference/gpt_reference.py`, Debian's python3-torch with OpenBLAS,"
                + " `OMP_WAIT_POLICY=PASSIVE`), taking turns seed by seed in one invocation.\n\n");
        s.append("- date: ").append(LocalDate.now()).append('\n');
        s.append("- machine: ").append(machine).append('\n');
        s.append("- command: `").append(command.strip()).append("` (data: `").append(data).append("`)\n");
        s.append("- model: baby preset, ").append(j.config().parameterCount())
                .append(" parameters, character vocabulary; batch ").append(BATCH).append(", context ")
                .append(j.config().contextLength()).append(", ").append(iters).append(" iterations, lr 1e-3 → 1e-4 cosine, 100 warm-up, AdamW"
                + " wd 0.1 (2-D tensors), betas 0.9/0.99, clip 1.0, dropout 0, evaluation every 250 on 20 batches;"
                + " weights initialised N(0, √(2/5C)), residual projections N(0, 2/(L√C)) (GPT-NeoX)\n");
        s.append("- seeds: ").append(java.util.Arrays.toString(seeds)).append("; per seed, Atelier: validation loss ")
                .append(formatAll(jVal, 4)).append(", ms/iteration ").append(formatAll(jMs, 1)).append(", wall s ")
                .append(formatAll(jWall, 1));
        if (haveRef) {
            s.append("; reference: validation loss ").append(formatAll(rVal, 4)).append(", ms/iteration ")
                    .append(formatAll(rMs, 1)).append(", wall s ").append(formatAll(rWall, 1));
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "- fp32 matmul rate (1024³ through libtorch, median of 15): %.1f GFLOP/s"
                + " before, %.1f after, the higher used: %.1f; %.2f GFLOP per training iteration (6N + 12·L·H·Q·T per"
                + " token)%n",
                mmBefore, mmAfter, matmul, j.flopsPerIter() / 1e9));
        s.append(String.format(Locale.ROOT, "- memory of the first run at steps %s: resident %s MiB, of which the"
                + " Java heap reserved %s MiB%n", java.util.Arrays.toString(j.rssSteps()), formatAll(j.rss(), 0),
                formatAll(j.heap(), 0)));
        if (haveRef) {
            JsonObject r0 = refs.get(0);
            s.append("- reference: torch ").append(r0.get("torch").getAsString()).append(", ")
                    .append(r0.get("threads").getAsInt()).append(" threads, ").append(r0.get("params").getAsLong())
                    .append(" parameters\n");
        }
        s.append("\n| measure | Atelier | PyTorch reference | target | |\n|---|---:|---:|---|---|\n");
        for (String[] r : rows) {
            s.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return s.toString();
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    private static String formatAll(double[] v, int digits) {
        StringBuilder s = new StringBuilder();
        for (double d : v) {
            s.append(s.length() == 0 ? "" : ", ").append(f(d, digits));
        }
        return s.toString();
    }

    private static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                m.put(args[i], flag ? "" : args[++i]);
            }
        }
        return m;
    }
}
