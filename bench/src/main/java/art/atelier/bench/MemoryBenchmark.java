package art.atelier.bench;

import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.nn.Compute;
import art.atelier.text.TextTraining;
import art.atelier.train.TrainingListener;
import art.atelier.util.AtomicFiles;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Memory over a long training run: the baby model on Tiny Shakespeare for 3000 steps, or with
 * {@code --medium image} the atelier GAN on Twemoji at 32×32 for 2000 (evaluations, sample grids and
 * checkpoints included), or with {@code --medium vqvae} the standard VQ-VAE there, half the steps the
 * autoencoder's and half the prior's, sampling resident memory, the JVM's direct buffers and the Java heap every
 * 250 steps. bench/memory.sh starts the JVM with its heap touched up front
 * (-XX:+AlwaysPreTouch), so that resident memory shows what the run holds rather than the JVM
 * slowly first touching the heap it reserved. Writes its section of docs/benchmarks.md.
 */
public final class MemoryBenchmark {

    private MemoryBenchmark() {}

    /**
     * @param args [--medium text|image|vqvae] --data FILE --steps N --out FILE
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = TextBenchmark.options(args);
        String medium = opt.getOrDefault("--medium", "text");
        boolean vqvae = "vqvae".equals(medium);
        boolean image = vqvae || "image".equals(medium);
        Path data = Path.of(opt.getOrDefault("--data", image ? "../shared/data/images/twemoji-72"
                : "../shared/data/text/tinyshakespeare.txt"));
        int steps = Integer.parseInt(opt.getOrDefault("--steps", image ? "2000" : "3000"));
        Path out = Path.of(opt.getOrDefault("--out", "docs/benchmarks.md"));
        Compute.init();
        String machine = Machine.describe();
        List<String[]> rows = new ArrayList<>();
        Path ws = Files.createTempDirectory("atelier-memory-");
        try {
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onStep(StepReport s) {
                    if (s.step() % 250 == 0) {
                        long direct = 0;
                        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                            if (b.getName().equals("direct")) {
                                direct = b.getMemoryUsed();
                            }
                        }
                        Runtime rt = Runtime.getRuntime();
                        rows.add(new String[] {String.valueOf(s.step()), f(Machine.rssMiB()), f(direct / 1048576.0),
                                f((rt.totalMemory() - rt.freeMemory()) / 1048576.0), f(rt.totalMemory() / 1048576.0)});
                        System.out.println(String.join("  ", rows.get(rows.size() - 1)));
                    }
                }
            };
            if (vqvae) {
                // both stages, the corpus's encoding at the boundary, reconstruction grids and prior samples
                // every 250 steps, checkpoints every 500
                art.atelier.image.ImageTraining.train(Workspace.at(ws), new art.atelier.image.ImageTraining.Request(
                        data, "memory", "vqvae", 32, 3, art.atelier.corpus.ImageCorpus.Fit.CROP, steps / 2, null, null,
                        1337L, 250, 500, false, true, BadFilePolicy.SKIP),
                        new art.atelier.image.vqvae.VqVaeTraining.Options(null, null, null, steps - steps / 2, null,
                                null, null), listener, () -> false);
            } else if (image) {
                // the atelier GAN at 32×32: every part of a picture run (spectral norm, DiffAugment, the
                // moving average, sample grids every 250 steps, checkpoints every 500)
                art.atelier.image.ImageTraining.train(Workspace.at(ws), new art.atelier.image.ImageTraining.Request(
                        data, "memory", "atelier", 32, 3, art.atelier.corpus.ImageCorpus.Fit.CROP, steps, null, null,
                        1337L, 250, 500, false, true, BadFilePolicy.SKIP), listener, () -> false);
            } else {
                TextTraining.Request r = new TextTraining.Request(data, "memory", "baby", "char", null, steps, 12,
                        1e-3f, 1337L, 0f, false, 250, 500, false, true, BadFilePolicy.STOP);
                TextTraining.train(Workspace.at(ws), r, listener, () -> false);
            }
        } finally {
            AtomicFiles.deleteTree(ws);
        }
        double[] rss = rows.stream().skip(1).mapToDouble(x -> Double.parseDouble(x[1])).toArray();
        double lo = java.util.Arrays.stream(rss).min().orElse(0);
        double hi = java.util.Arrays.stream(rss).max().orElse(0);
        StringBuilder s = new StringBuilder();
        if (vqvae) {
            s.append("## Memory over a long VQ-VAE training run\n\n");
            s.append("The standard VQ-VAE on Twemoji 72 at 32×32: the autoencoder for ").append(steps / 2)
                    .append(" steps, then the prior for ").append(steps - steps / 2).append(" (reconstruction grids,"
                    + " prior samples and evaluations every 250 steps, checkpoints every 500), with the JVM's heap"
                    + " touched at start (`-XX:+AlwaysPreTouch`).\n\n");
        } else if (image) {
            s.append("## Memory over a long picture training run\n\n");
            s.append("The atelier GAN on Twemoji 72 at 32×32 for ").append(steps).append(" steps (sample grids and"
                    + " evaluations every 250 steps, checkpoints every 500), with the JVM's heap touched at start"
                    + " (`-XX:+AlwaysPreTouch`).\n\n");
        } else {
            s.append("## Memory over a long training run\n\n");
            s.append("The baby model on Tiny Shakespeare for ").append(steps).append(" steps (evaluations every 250"
                    + " steps, checkpoints every 500), with the JVM's heap touched at start (`-XX:+AlwaysPreTouch`) so"
                    + " that resident memory shows what the run holds. Without it, resident memory climbs for the"
                    + " first ~1300 steps while G1 first touches the heap it has reserved, then holds.\n\n");
        }
        s.append("- date: ").append(LocalDate.now()).append('\n');
        s.append("- machine: ").append(machine).append('\n');
        s.append("- command: `bench/memory.sh").append(args.length == 0 ? "" : " " + String.join(" ", args)).append("`\n");
        s.append(String.format(Locale.ROOT, "- resident memory from step 500 on: %.0f to %.0f MiB (a spread of %.0f MiB)%n",
                lo, hi, hi - lo));
        s.append("\n| step | resident MiB | direct buffers MiB | Java heap used MiB | Java heap reserved MiB |\n"
                + "|---:|---:|---:|---:|---:|\n");
        for (String[] row : rows) {
            s.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        System.out.println(s);
        BenchmarkReport.replaceSection(out, vqvae ? "memory-vqvae" : image ? "memory-image" : "memory", s.toString());
        System.out.println("written to " + out);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
