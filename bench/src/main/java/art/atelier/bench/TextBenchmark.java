package art.atelier.bench;

import ai.djl.ndarray.NDManager;

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
 * <p>Usage: {@code bench/text.sh [--data FILE] [--iters N] [--skip-reference]}.
 */
public final class TextBenchmark {

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
        String command = "bench/text.sh " + String.join(" ", args);

        Compute.init();
        String machine = Machine.describe();
        System.out.println("machine: " + machine);
        double matmulBefore = Machine.matmulGflops();
        System.out.printf(Locale.ROOT, "fp32 matmul (1024^3, libtorch): %.1f GFLOP/s%n", matmulBefore);

        Path ws = Files.createTempDirectory("atelier-bench-");
        try {
            Java java = runJava(ws, data, iters, sampleTokens);
            double matmulAfter = Machine.matmulGflops();
            double matmul = (matmulBefore + matmulAfter) / 2;
            JsonObject ref = reference ? runReference(python, data, iters) : null;
            String md = table(java, ref, matmulBefore, matmulAfter, matmul, machine, command, data, iters);
            System.out.println();
            System.out.println(md);
            BenchmarkReport.replaceSection(out, "text", md);
            System.out.println("written to " + out);
        } finally {
            AtomicFiles.deleteTree(ws);
        }
    }

    /** What the Java side measured. */
    record Java(TrainingResult training, double finalValLoss, double flopsPerIter, double[] rss, int[] rssSteps,
            double tokensPerSecondCached, double tokensPerSecondUncached, long parameters) {}

    static Java runJava(Path ws, Path data, int iters, int sampleTokens) throws IOException {
        TextTraining.Request r = new TextTraining.Request(data, "bench", "baby", "char", null, iters, 12, 1e-3f,
                1337L, 0f, false, 250, Math.max(iters / 4, 1), false, true, BadFilePolicy.STOP);
        int[] rssSteps = {1, 100, iters / 4, iters / 2, 3 * iters / 4, iters};
        double[] rss = new double[rssSteps.length];
        System.out.printf(Locale.ROOT, "atelier: training %d iterations...%n", iters);
        TrainingResult res = TextTraining.train(Workspace.at(ws), r, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                for (int i = 0; i < rssSteps.length; i++) {
                    if (s.step() == rssSteps[i]) {
                        rss[i] = Machine.rssMiB();
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
            double finalVal = LanguageModelTask.meanLoss(model.gpt(), model.store(), ds, 12, 200, true, new Rng(4242), m);
            double flops = config.trainingFlopsPerToken() * 12 * config.contextLength();
            GptSampler sampler = new GptSampler(model.gpt(), model.store());
            double cached = samplingSpeed(sampler, m, sampleTokens, true);
            double uncached = samplingSpeed(sampler, m, sampleTokens / 4, false);
            return new Java(res, finalVal, flops, rss, rssSteps, cached, uncached, config.parameterCount());
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
        return Machine.median(rates);
    }

    static JsonObject runReference(String python, Path data, int iters) throws IOException, InterruptedException {
        Path script = Path.of("bench/reference/gpt_reference.py");
        System.out.printf(Locale.ROOT, "pytorch reference: training %d iterations...%n", iters);
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--data", data.toString(), "--iters",
                String.valueOf(iters));
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

    static String table(Java j, JsonObject ref, double mmBefore, double mmAfter, double matmul, String machine,
            String command, Path data, int iters) {
        TrainingResult t = j.training();
        double ms = t.medianStepMillis(100);
        double mfu = j.flopsPerIter() / (ms / 1000) / (matmul * 1e9);
        List<String[]> rows = new ArrayList<>();
        String refMs = ref == null ? "-" : f(ref.get("ms_per_iter_median").getAsDouble(), 1);
        String refWall = ref == null ? "-" : f(ref.get("wall_seconds").getAsDouble(), 1);
        String refVal = ref == null ? "-" : f(ref.get("final_val_loss").getAsDouble(), 4);
        double refMsV = ref == null ? Double.NaN : ref.get("ms_per_iter_median").getAsDouble();
        double refWallV = ref == null ? Double.NaN : ref.get("wall_seconds").getAsDouble();
        double refMfu = ref == null ? Double.NaN : j.flopsPerIter() / (refMsV / 1000) / (matmul * 1e9);
        rows.add(new String[] {"validation loss after " + iters + " iterations (200 batches)", f(j.finalValLoss(), 4),
                refVal, "≤ 1.88", j.finalValLoss() <= 1.88 ? "met" : "not met"});
        rows.add(new String[] {"training iteration, median after 100 (ms)", f(ms, 1), refMs,
                "≤ ½ reference", ref == null ? "-" : String.format(Locale.ROOT, "%s (%.2f× the reference's time)",
                        ms <= refMsV / 2 ? "met" : "not met", ms / refMsV)});
        rows.add(new String[] {"MFU against the measured fp32 matmul rate", pct(mfu), ref == null ? "-" : pct(refMfu),
                "≥ 80%", mfu >= 0.8 ? "met" : "not met"});
        rows.add(new String[] {"whole run incl. evaluations and checkpoints (s)", f(t.wallSeconds(), 1), refWall,
                "≤ ⅓ reference", ref == null ? "-" : String.format(Locale.ROOT, "%s (%.2f× the reference's time)",
                        t.wallSeconds() <= refWallV / 3 ? "met" : "not met", t.wallSeconds() / refWallV)});
        rows.add(new String[] {"sampling with the KV cache (tokens/s, 1 sequence)", f(j.tokensPerSecondCached(), 0),
                "-", "≥ 3000", j.tokensPerSecondCached() >= 3000 ? "met" : "not met"});
        rows.add(new String[] {"sampling without a cache (tokens/s, 1 sequence)", f(j.tokensPerSecondUncached(), 0),
                ref == null ? "-" : f(ref.get("sample_tokens_per_second_no_cache").getAsDouble(), 0), "-", "-"});
        StringBuilder s = new StringBuilder();
        s.append("## Text: the baby GPT on Tiny Shakespeare\n\n");
        s.append("nanoGPT's CPU \"baby Shakespeare\" run, by Atelier (DJL + libtorch) and by a PyTorch reference of the"
                + " same model (`bench/reference/gpt_reference.py`, Debian's python3-torch with OpenBLAS,"
                + " `OMP_WAIT_POLICY=PASSIVE`), one after the other in one invocation.\n\n");
        s.append("- date: ").append(LocalDate.now()).append('\n');
        s.append("- machine: ").append(machine).append('\n');
        s.append("- command: `").append(command.strip()).append("` (data: `").append(data).append("`)\n");
        s.append("- model: baby preset, ").append(j.parameters()).append(" parameters, character vocabulary; batch 12,"
                + " context 64, ").append(iters).append(" iterations, lr 1e-3 → 1e-4 cosine, 100 warm-up, AdamW"
                + " wd 0.1 (2-D tensors), betas 0.9/0.99, clip 1.0, dropout 0, evaluation every 250 on 20 batches\n");
        s.append(String.format(Locale.ROOT, "- fp32 matmul rate (1024³ through libtorch, median of 15): %.1f GFLOP/s"
                + " before, %.1f after, %.1f used; %.2f GFLOP per training iteration (6N + 12·L·H·Q·T per token)%n",
                mmBefore, mmAfter, matmul, j.flopsPerIter() / 1e9));
        s.append(String.format(Locale.ROOT, "- resident memory (MiB) at steps %s: %s%n",
                java.util.Arrays.toString(j.rssSteps()), formatAll(j.rss())));
        if (ref != null) {
            s.append("- reference: torch ").append(ref.get("torch").getAsString()).append(", ")
                    .append(ref.get("threads").getAsInt()).append(" threads, ").append(ref.get("params").getAsLong())
                    .append(" parameters\n");
        }
        s.append("\n| measure | Atelier | PyTorch reference | target | |\n|---|---:|---:|---|---|\n");
        for (String[] r : rows) {
            s.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return s.toString();
    }

    private static String formatAll(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double d : v) {
            s.append(s.length() == 0 ? "" : ", ").append(f(d, 0));
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
