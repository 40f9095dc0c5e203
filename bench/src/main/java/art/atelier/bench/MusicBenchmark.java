package art.atelier.bench;

import ai.djl.ndarray.NDManager;

import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.MusicCorpus;
import art.atelier.music.AudioRenderer;
import art.atelier.music.MidiWriter;
import art.atelier.music.MusicDataset;
import art.atelier.music.MusicGeneration;
import art.atelier.work.Studio;
import art.atelier.music.MusicModel;
import art.atelier.music.MusicPreset;
import art.atelier.music.MusicScoring;
import art.atelier.music.MusicStatistics;
import art.atelier.music.MusicTraining;
import art.atelier.music.MusicVocabulary;
import art.atelier.music.Piece;
import art.atelier.nn.GptConfig;
import art.atelier.train.Checkpoint;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Stats;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The music benchmark of issue 4, on the JSB chorales (train/valid/test folders):
 * <ol>
 *   <li>training step time of a preset, Atelier and a PyTorch reference of the same model
 *       ({@code bench/reference/music_reference.py}) taking turns, so the ratio is measured side by
 *       side;
 *   <li>the preset trained on train/ for a wall-clock budget, then its negative log-likelihood per
 *       event and per second of music on valid/ and test/ ({@link MusicScoring});
 *   <li>pieces generated (sampling speed in events per second) and their musical statistics beside
 *       those of the test chorales; a few written to docs/benchmarks/ as MIDI and WAV.
 * </ol>
 * Writes its section of docs/benchmarks.md.
 *
 * <p>Usage: {@code bench/music.sh [--data DIR] [--preset baby] [--minutes 20] [--step-iters 60]
 * [--rounds 2] [--pieces 8] [--seconds 30] [--skip-reference]}.
 */
public final class MusicBenchmark {

    private MusicBenchmark() {}

    /**
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = TextBenchmark.options(args);
        Path data = Path.of(opt.getOrDefault("--data", "../shared/data/music/jsb-chorales"));
        String preset = opt.getOrDefault("--preset", "baby");
        double minutes = Double.parseDouble(opt.getOrDefault("--minutes", "20"));
        int stepIters = Integer.parseInt(opt.getOrDefault("--step-iters", "60"));
        int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "2"));
        int pieces = Integer.parseInt(opt.getOrDefault("--pieces", "8"));
        double seconds = Double.parseDouble(opt.getOrDefault("--seconds", "30"));
        String python = opt.getOrDefault("--python", "/usr/bin/python3");
        boolean reference = !opt.containsKey("--skip-reference");
        Path out = Path.of(opt.getOrDefault("--out", "docs/benchmarks.md"));
        Path media = out.resolveSibling("benchmarks");
        Workspace ws = Workspace.at(Path.of(opt.getOrDefault("--workspace", "bench/target/music")));
        String command = "bench/music.sh " + String.join(" ", args);
        String machine = Machine.describe();
        MusicPreset p = MusicPreset.of(preset);

        MusicCorpus train = MusicCorpus.load(data.resolve("train"), BadFilePolicy.STOP);
        MusicCorpus valid = MusicCorpus.load(data.resolve("valid"), BadFilePolicy.STOP);
        MusicCorpus test = MusicCorpus.load(data.resolve("test"), BadFilePolicy.STOP);
        MusicVocabulary vocabulary = new MusicVocabulary(MusicTraining.styles(train));
        GptConfig config = p.config(vocabulary.size());

        // 1. step time, side by side
        List<Double> mine = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        Path tokens = ws.root().resolve("train-tokens.i32");
        writeTokens(tokens, vocabulary, train);
        for (int r = 0; r < rounds; r++) {
            System.out.printf(Locale.ROOT, "round %d: atelier, %d steps of %s%n", r + 1, stepIters, preset);
            MusicTraining.Request timing = new MusicTraining.Request(data.resolve("train"), "bench-timing", preset,
                    stepIters, null, null, 1337L + r, null, null, stepIters, stepIters, false, true, BadFilePolicy.STOP);
            TrainingResult t = MusicTraining.train(ws, timing, new TrainingListener() {}, () -> false);
            mine.add(t.medianStepMillis(Math.min(10, stepIters / 4)));
            if (reference) {
                System.out.printf(Locale.ROOT, "round %d: pytorch reference%n", r + 1);
                theirs.add(runReference(python, tokens, vocabulary.size(), config, p.defaultBatch(), stepIters,
                        1337 + r).get("ms_per_iter_median").getAsDouble());
            }
            System.out.printf(Locale.ROOT, "  atelier %.1f ms, reference %s ms%n", mine.get(r),
                    theirs.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", theirs.get(r)));
        }

        // 2. train for the budget, then the likelihood of unseen chorales
        String name = "bench-" + preset;
        long start = System.nanoTime();
        double budget = minutes * 60;
        MusicTraining.Request request = new MusicTraining.Request(data.resolve("train"), name, preset, 1_000_000, null,
                null, 1337L, null, null, 250, 500, false, true, BadFilePolicy.STOP);
        System.out.printf(Locale.ROOT, "training %s for %.0f minutes%n", preset, minutes);
        TrainingResult trained = MusicTraining.train(ws, request, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                if (s.step() % 100 == 0) {
                    System.out.printf(Locale.ROOT, "  step %d, %.0f s, loss %.3f%n", s.step(), s.elapsedSeconds(),
                            s.metrics().get("loss"));
                }
            }

            @Override
            public void onEvaluation(int step, Map<String, Double> metrics) {
                System.out.println("  eval at step " + step + ": " + metrics);
            }
        }, () -> (System.nanoTime() - start) / 1e9 >= budget);
        MusicScoring validNll;
        MusicScoring testNll;
        try (MusicModel model = MusicModel.load(ws.model(name), Checkpoint.readCard(ws.model(name)));
                NDManager m = model.model().getNDManager().newSubManager()) {
            validNll = MusicScoring.of(model, MusicTraining.entries(vocabulary, valid.items()), m);
            testNll = MusicScoring.of(model, MusicTraining.entries(vocabulary, test.items()), m);
        }

        // 3. compose, time it, and compare with the test chorales
        long g0 = System.nanoTime();
        List<MusicGeneration.Made> made;
        try (Studio studio = Studio.open(ws, 0.0)) { // every seed as drawn: the benchmark measures the model
            made = MusicGeneration.generate(studio, new MusicGeneration.Request(name, pieces, 1, seconds, null, null,
                    null, 1f, 0, 0.95f, null, false));
        }
        double genSeconds = (System.nanoTime() - g0) / 1e9;
        long generatedTokens = made.stream().mapToLong(MusicGeneration.Made::generatedTokens).sum();
        List<Piece> generated = made.stream().map(MusicGeneration.Made::piece).toList();
        List<Piece> real = test.items().stream().map(MusicCorpus.Item::piece).toList();
        List<Piece> other = valid.items().stream().map(MusicCorpus.Item::piece).toList();
        Files.createDirectories(media);
        List<String> links = new ArrayList<>();
        for (int i = 0; i < Math.min(2, made.size()); i++) {
            MusicGeneration.Made g = made.get(i);
            Piece clip = clip(g.piece(), 8_000_000L); // 8 s of audio keeps the page's files small (under 2 MB)
            String stem = "music-chorale-" + (i + 1);
            AtomicFiles.write(media.resolve(stem + ".mid"), MidiWriter.write(g.piece(), List.of()));
            AtomicFiles.write(media.resolve(stem + ".wav"), AudioRenderer.render(clip, null));
            links.add(String.format(Locale.ROOT, "[%s.mid](benchmarks/%s.mid) ([first 8 s as WAV](benchmarks/%s.wav))",
                    stem, stem, stem));
        }

        String md = report(command, machine, data, preset, config, p, mine, theirs, trained, minutes, validNll, testNll,
                made.size(), seconds, generatedTokens, genSeconds, generated, real, other, links);
        System.out.println(md);
        BenchmarkReport.replaceSection(out, "music", md);
        System.out.println("written to " + out);
    }

    /** The training pieces, unaugmented, one after another: what the reference draws windows from. */
    private static void writeTokens(Path file, MusicVocabulary v, MusicCorpus corpus) throws IOException {
        List<int[]> all = new ArrayList<>();
        int n = 0;
        for (MusicCorpus.Item i : corpus.items()) {
            int[] t = v.encode(i.piece(), i.style().isEmpty() ? null : i.style());
            all.add(t);
            n += t.length;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        all.forEach(t -> {
            for (int x : t) {
                b.putInt(x);
            }
        });
        AtomicFiles.write(file, b.array());
    }

    private static JsonObject runReference(String python, Path tokens, int vocab, GptConfig c, int batch, int iters,
            long seed) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(python, "bench/reference/music_reference.py", "--tokens",
                tokens.toString(), "--vocab", String.valueOf(vocab), "--iters", String.valueOf(iters),
                "--warmup-iters", String.valueOf(Math.min(10, iters / 4)), "--batch", String.valueOf(batch),
                "--block", String.valueOf(c.contextLength()), "--layers", String.valueOf(c.layers()), "--heads",
                String.valueOf(c.heads()), "--embd", String.valueOf(c.width()), "--dropout",
                String.valueOf(c.dropout()), "--seed", String.valueOf(seed));
        // the reference runs as a user would run it: none of the launcher's allocator settings
        for (String v : List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")) {
            pb.environment().remove(v);
        }
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process proc = pb.start();
        String stdout = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (proc.waitFor() != 0) {
            throw new IOException("the reference failed (exit " + proc.exitValue() + "); is python3-torch installed?");
        }
        return JsonParser.parseString(stdout.strip().lines().reduce((a, b) -> b).orElse("{}")).getAsJsonObject();
    }

    /** The notes that start within the first {@code micros}, cut there. */
    private static Piece clip(Piece p, long micros) {
        List<art.atelier.music.Note> notes = new ArrayList<>();
        for (art.atelier.music.Note n : p.notes()) {
            if (n.start() < micros) {
                notes.add(new art.atelier.music.Note(n.start(), Math.min(n.end(), micros), n.pitch(), n.velocity(),
                        n.program(), n.drum()));
            }
        }
        return new Piece(notes);
    }

    private record Summary(double[] pitchClasses, double density, double polyphony, double inKey) {
        static Summary of(List<Piece> pieces) {
            double d = 0;
            double poly = 0;
            double key = 0;
            for (Piece p : pieces) {
                MusicStatistics s = MusicStatistics.of(p);
                d += s.notesPerSecond();
                poly += s.polyphony();
                key += s.inKey();
            }
            int n = pieces.size();
            return new Summary(MusicStatistics.pitchClasses(pieces), d / n, poly / n, key / n);
        }
    }

    private static String report(String command, String machine, Path data, String preset, GptConfig config,
            MusicPreset p, List<Double> mine, List<Double> theirs, TrainingResult trained, double minutes,
            MusicScoring valid, MusicScoring test, int count, double seconds, long tokens, double genSeconds,
            List<Piece> generated, List<Piece> real, List<Piece> other, List<String> links) {
        double[] m = mine.stream().mapToDouble(Double::doubleValue).toArray();
        double[] t = theirs.stream().mapToDouble(Double::doubleValue).toArray();
        StringBuilder s = new StringBuilder();
        s.append("## Music: JSB chorales (issue 4)\n\n");
        s.append("`").append(command).append("` on ").append(LocalDate.now()).append(", ").append(machine).append(".\n\n");
        s.append(String.format(Locale.ROOT, "Corpus `%s` (train/valid/test as given). Preset `%s`: %d layers, %d heads,"
                + " width %d, context %d events, dropout %.1f, %,d parameters, batch %d; the vocabulary has %d tokens"
                + " (docs/music-vocabulary.md). Training pieces transposed ±%d semitones and stretched ±%.0f%%.%n%n",
                data, preset, config.layers(), config.heads(), config.width(), config.contextLength(), config.dropout(),
                config.parameterCount(), p.defaultBatch(), config.vocabSize(), MusicTraining.DEFAULT_TRANSPOSE,
                MusicTraining.DEFAULT_STRETCH * 100));
        s.append("**Training step**, Atelier and the PyTorch reference of the same model"
                + " (`bench/reference/music_reference.py`, Debian's python3-torch with OpenBLAS) taking turns, median"
                + " ms per step after warm-up:\n\n");
        s.append("| round | Atelier | PyTorch | ratio |\n|---|---|---|---|\n");
        for (int i = 0; i < m.length; i++) {
            s.append(String.format(Locale.ROOT, "| %d | %.1f | %s | %s |%n", i + 1, m[i],
                    i < t.length ? String.format(Locale.ROOT, "%.1f", t[i]) : "-",
                    i < t.length ? String.format(Locale.ROOT, "%.2f×", m[i] / t[i]) : "-"));
        }
        if (t.length > 0) {
            s.append(String.format(Locale.ROOT, "| median | %.1f | %.1f | **%.2f×** (target ≤ 1: %s) |%n",
                    Stats.median(m), Stats.median(t), Stats.median(m) / Stats.median(t),
                    Stats.median(m) <= Stats.median(t) ? "met" : "not met"));
        }
        s.append(String.format(Locale.ROOT, "%n**Likelihood.** Trained %.0f minutes (%d steps, %.0f ms median step),"
                + " then every event of every unseen chorale scored with the header and up to a context of"
                + " history (`MusicScoring`):%n%n", minutes, trained.step(),
                trained.medianStepMillis(Math.min(50, trained.stepMillis().length / 4))));
        s.append("| split | pieces' events | NLL / event (nats) | NLL / second (nats) |\n|---|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| valid | %,d | %.3f | %.2f |%n", valid.events(), valid.natsPerEvent(),
                valid.natsPerSecond()));
        s.append(String.format(Locale.ROOT, "| test | %,d | %.3f | %.2f |%n", test.events(), test.natsPerEvent(),
                test.natsPerSecond()));
        s.append(String.format(Locale.ROOT, "%n**Composing.** %d pieces of %.0f s (seeds 1–%d, temperature 1, top-p"
                + " 0.95, instruments drawn as the corpus uses them): %,d events in %.1f s, **%.0f events/s** (one"
                + " sequence at a time, with the cache; MIDI written, no audio). Listen: %s.%n%n", count, seconds,
                count, tokens, genSeconds, tokens / genSeconds, String.join(", ", links)));
        Summary g = Summary.of(generated);
        Summary r = Summary.of(real);
        Summary o = Summary.of(other);
        s.append("Musical statistics (`MusicStatistics`; pitch classes: total-variation distance of the histograms"
                + " to the test chorales'):\n\n");
        s.append("| pieces | pitch-class distance to test | notes / s | polyphony | share in key |\n|---|---|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| generated | %.3f | %.2f | %.2f | %.3f |%n",
                MusicStatistics.distance(g.pitchClasses(), r.pitchClasses()), g.density(), g.polyphony(), g.inKey()));
        s.append(String.format(Locale.ROOT, "| valid chorales | %.3f | %.2f | %.2f | %.3f |%n",
                MusicStatistics.distance(o.pitchClasses(), r.pitchClasses()), o.density(), o.polyphony(), o.inKey()));
        s.append(String.format(Locale.ROOT, "| test chorales | 0 | %.2f | %.2f | %.3f |%n", r.density(), r.polyphony(),
                r.inKey()));
        return s.toString();
    }
}
