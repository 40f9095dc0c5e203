package art.atelier.bench;

import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.ImageGeneration;
import art.atelier.work.Studio;
import art.atelier.image.ImageScoring;
import art.atelier.image.ImageTraining;
import art.atelier.image.Picture;
import art.atelier.image.PngCodec;
import art.atelier.image.quality.FeatureNet;
import art.atelier.train.Checkpoint;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The picture-quality benchmark of issue 3: each GAN family trained on the corpus for the same
 * wall-clock budgets (training time: steps, evaluations and checkpoints), one family after the
 * other, then measured the same way ({@link ImageScoring}: KID, precision/recall on the corpus's own
 * feature network, nearest training picture). A budget's model is the run stopped at that time and
 * resumed from there for the next budget, which continues exactly as if never stopped. Writes a
 * sample grid and an animation per family and budget to docs/benchmarks/ and its section of
 * docs/benchmarks.md.
 *
 * <p>Usage: {@code bench/image-quality.sh [--data DIR] [--budgets 15,30,60] [--models atelier,dcgan]
 * [--count 1000]}.
 */
public final class ImageQualityBenchmark {

    private ImageQualityBenchmark() {}

    /** One measured model. */
    private record Row(String family, int minutes, int step, long pictures, double trainSeconds,
            ImageScoring.Score score, String grid, String animation) {}

    /**
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = TextBenchmark.options(args);
        Path data = Path.of(opt.getOrDefault("--data", "../shared/data/images/twemoji-72"));
        List<Integer> budgets = Stream.of(opt.getOrDefault("--budgets", "15,30,60").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        List<String> families = List.of(opt.getOrDefault("--models", "atelier,dcgan").split(","));
        int count = Integer.parseInt(opt.getOrDefault("--count", "1000"));
        int size = Integer.parseInt(opt.getOrDefault("--size", "64"));
        Path out = Path.of(opt.getOrDefault("--out", "docs/benchmarks.md"));
        Path media = out.resolveSibling("benchmarks");
        Workspace ws = Workspace.at(Path.of(opt.getOrDefault("--workspace", "bench/target/image-quality")));
        String command = "bench/image-quality.sh " + String.join(" ", args);
        String machine = Machine.describe();

        List<Row> rows = new ArrayList<>();
        for (String family : families) {
            String name = "bench-" + family;
            double trained = 0;
            int done = 0;
            for (int minutes : budgets) {
                double budget = minutes * 60.0;
                double already = trained;
                long start = System.nanoTime();
                ImageTraining.Request request = new ImageTraining.Request(data, name, family, size, 3,
                        ImageCorpus.Fit.CROP, 1_000_000, null, null, 1337L, 500, null, done > 0, done == 0,
                        BadFilePolicy.SKIP);
                System.out.printf(Locale.ROOT, "%s: training to %d minutes%n", family, minutes);
                TrainingResult r = ImageTraining.train(ws, request, new TrainingListener() {
                    @Override
                    public void onStep(StepReport s) {
                        if (s.step() % 100 == 0) {
                            System.out.printf(Locale.ROOT, "  step %d, %.0f s, D %.3f G %.3f%n", s.step(),
                                    already + s.elapsedSeconds(), s.metrics().get("d_loss"), s.metrics().get("g_loss"));
                        }
                    }
                }, () -> already + (System.nanoTime() - start) / 1e9 >= budget);
                trained += r.wallSeconds();
                done = r.step();
                String snapshot = name + "-" + minutes + "min";
                copy(ws.model(name), ws.model(snapshot));
                System.out.printf(Locale.ROOT, "%s at %d minutes: step %d; scoring%n", family, minutes, done);
                ImageScoring.Score score = ImageScoring.score(ws, snapshot, data, count, FeatureNet.STEPS,
                        m -> System.out.println("  " + m));
                String stem = "image-" + family + "-" + minutes + "min";
                List<ImageGeneration.Made> pics;
                ImageGeneration.Made anim;
                try (Studio shown = Studio.open(ws, 0.0)) { // seeds 0 to 15 as drawn: no novelty refusals
                    pics = ImageGeneration.generate(shown, new ImageGeneration.Request(snapshot, 16, 0, null, 1f,
                            false));
                    anim = ImageGeneration.animate(shown, new ImageGeneration.AnimationRequest(snapshot, 4, 48, 12, 0,
                            null, 1f, "gif"));
                }
                Picture grid = Picture.grid(pics.stream().map(ImageGeneration.Made::picture).toList(), 8, 2);
                AtomicFiles.write(media.resolve(stem + "-grid.png"), PngCodec.encode(grid, Map.of()));
                Files.copy(anim.saved().file(), media.resolve(stem + ".gif"), StandardCopyOption.REPLACE_EXISTING);
                long batch = ws.card(snapshot).training().batch();
                rows.add(new Row(family, minutes, done, done * batch, trained, score, stem + "-grid.png",
                        stem + ".gif"));
                System.out.println(table(rows));
            }
        }
        List<String> kept = keptRows(BenchmarkReport.section(out, "image-quality"), families);
        String md = "## Pictures: quality at equal training time (issue 3)\n\n"
                + "`" + command + "` on " + LocalDate.now() + ", " + machine + ".\n\n"
                + "Corpus `" + data + "` at " + size + "×" + size + " RGB (transparency over white), 5% held out."
                + " Each family trains from the same seed until its training time (steps, evaluations, checkpoints;"
                + " not the corpus's loading) reaches the budget; it is measured on " + count + " pictures"
                + " (seeds 0 to " + (count - 1) + ", no truncation) against the whole corpus, with the corpus's own"
                + " feature network (`atelier score`, see docs/guide.md). KID: lower is better (±: the standard"
                + " deviation over 50 subsets). Nearest: the median RMS pixel distance (0–255) from 200 generated"
                + " pictures to their nearest training picture; held-out corpus pictures are at "
                + String.format(Locale.ROOT, "%.1f", rows.isEmpty() || rows.get(0).score().heldOutToTraining() == null
                        ? Double.NaN : rows.get(0).score().heldOutToTraining().median())
                + "." + (kept.isEmpty() ? "" : " Rows of models this invocation did not train are kept from the"
                        + " run that measured them (its date), with the same feature network (its training is"
                        + " deterministic).")
                + "\n\n" + table(rows) + kept.stream().map(r -> r + "\n").reduce("", String::concat);
        BenchmarkReport.replaceSection(out, "image-quality", md);
        System.out.println("written to " + out);
    }

    /** The rows of an earlier table for models that this invocation does not train, each dated by its run. */
    static List<String> keptRows(String section, List<String> families) {
        List<String> kept = new ArrayList<>();
        if (section == null) {
            return kept;
        }
        for (String line : section.split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("| model ")
                    && !families.contains(line.substring(2, line.indexOf(" |")).trim())) {
                kept.add(line);
            }
        }
        return kept;
    }

    private static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder();
        s.append("| model | budget | run | steps | pictures seen | KID | precision | recall | nearest | samples |"
                + " animation |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        String today = LocalDate.now().toString();
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %d min | %s | %d | %,d | %.4f ± %.4f | %.3f | %.3f | %.1f |"
                    + " [grid](benchmarks/%s) | [gif](benchmarks/%s) |%n", r.family(), r.minutes(), today, r.step(),
                    r.pictures(), r.score().kid().mean(), r.score().kid().std(), r.score().precisionRecall().precision(),
                    r.score().precisionRecall().recall(), r.score().generatedToTraining().median(), r.grid(),
                    r.animation()));
        }
        return s.toString();
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        // the copy is a model of its own name
        var card = Checkpoint.readCard(to);
        Checkpoint.writeCard(to, new art.atelier.train.ModelCard(card.format(), card.medium(), card.family(),
                to.getFileName().toString(), card.preset(), card.config(), card.vocabulary(), card.styles(),
                card.corpus(), card.training(), card.step(), card.metrics(), card.evaluation(), card.rng(),
                card.software(), card.created(), card.updated()));
    }
}
