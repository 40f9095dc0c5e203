package art.atelier.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.demo.SampleTexts;
import art.atelier.text.TextTraining;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.train.TrainingListener;
import art.atelier.train.TrainingResult;
import art.atelier.util.Json;
import art.atelier.util.Rng;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

class MusicTrainingTest {

    @TempDir
    static Path shared;

    static Path corpus;

    /** A model of a few steps with the default augmentation, trained without a stop. */
    static Workspace trained;

    static TrainingResult whole;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeCorpusAndTrain() throws IOException {
        corpus = writeCorpus(shared.resolve("music"));
        trained = Workspace.at(shared.resolve("ws"));
        whole = MusicTraining.train(trained, seven(), new TrainingListener() {}, () -> false);
    }

    // ------------------------------------------------------------------ the corpus, written by the test

    /** A rising and falling C major line, eighth notes. */
    static final int[] MELODY = {60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60, 67};
    /** Its bass, quarter notes. */
    static final int[] BASS = {36, 43, 41, 43, 36, 43, 41, 36};
    /** A tune for the drummed pieces, eighth notes. */
    static final int[] TUNE = {67, 67, 69, 67, 72, 71, 67, 67, 69, 67, 74, 72, 67, 79, 76, 72};
    /** The drums the drummed pieces use: kick, snare, closed hi-hat. */
    static final Set<Integer> DRUMS = Set.of(36, 38, 42);

    /**
     * Two styles of two 4-second pieces each: "calm" (piano and acoustic bass) and "dance" (bright piano
     * and drums); the second of each is the first transposed.
     *
     * @param where the folder to create
     * @return it
     */
    static Path writeCorpus(Path where) throws IOException {
        write(where.resolve("calm/a.mid"), melodyWithBass(0));
        write(where.resolve("calm/a2.mid"), melodyWithBass(2));
        write(where.resolve("dance/b.mid"), tuneWithDrums(0));
        write(where.resolve("dance/b2.mid"), tuneWithDrums(-3));
        return where;
    }

    static void write(Path file, Piece piece) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, MidiWriter.write(piece, List.of()));
    }

    /** Four seconds: a piano line of eighth notes over a bass of quarter notes. */
    static Piece melodyWithBass(int shift) {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < MELODY.length; i++) {
            notes.add(new Note(i * 250_000L, (i + 1) * 250_000L - 20_000, MELODY[i] + shift, 80, 0, false));
        }
        for (int i = 0; i < BASS.length; i++) {
            notes.add(new Note(i * 500_000L, (i + 1) * 500_000L - 20_000, BASS[i] + shift, 64, 33, false));
        }
        return new Piece(notes);
    }

    /** Four seconds: a bright piano tune over kick, snare and hi-hat. */
    static Piece tuneWithDrums(int shift) {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < TUNE.length; i++) {
            long t = i * 250_000L;
            notes.add(new Note(t, t + 200_000, TUNE[i] + shift, 96, 1, false));
            notes.add(new Note(t, t + 100_000, 42, 50, 0, true));
            if (i % 2 == 0) {
                notes.add(new Note(t, t + 100_000, i % 4 == 0 ? 36 : 38, 110, 0, true));
            }
        }
        return new Piece(notes);
    }

    /** @return seven steps with the default augmentation: its draws must resume too */
    private static MusicTraining.Request seven() {
        return new MusicTraining.Request(corpus, "m", "tiny", 7, 4, null, 9L, null, null, 1000, 1000, false, false,
                BadFilePolicy.STOP);
    }

    static MusicTraining.Request request(String name, int steps, Integer transpose, Double stretch, Float lr) {
        return new MusicTraining.Request(corpus, name, "tiny", steps, 4, lr, 5L, transpose, stretch, 1000, 1000, false,
                false, BadFilePolicy.STOP);
    }

    private static MusicTraining.Request resumed(MusicTraining.Request r) {
        return new MusicTraining.Request(r.data(), r.name(), null, null, null, null, null, null, null,
                r.evalEvery(), r.checkpointEvery(), true, false, r.badFiles());
    }

    // ------------------------------------------------------------------ training

    @Test
    void aTinyModelMemorisesTwoShortPieces() {
        List<Double> losses = new ArrayList<>();
        MusicTraining.Request r = request("memory", 80, 0, 0.0, 1e-2f); // no augmentation: the same two pieces
        TrainingResult result = MusicTraining.train(Workspace.at(dir), r, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                losses.add(s.metrics().get("loss"));
            }
        }, () -> false);
        assertThat(result.step()).isEqualTo(80);
        assertThat(losses).hasSize(80).allMatch(Double::isFinite);
        double first = losses.get(0);
        // an untrained model is about uniform over the 4617 tokens: ln 4617 = 8.44
        assertThat(first).isGreaterThan(0.9 * Math.log(4617));
        // the unigram statistics of these pieces alone are worth about 3.4 nats; memorising them goes far lower
        double last = losses.subList(70, 80).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(last).as("mean loss of the last 10 steps, step 1's was %.2f", first).isLessThan(0.2 * first);
        assertThat(result.lastEvaluation().get("train_loss")).isLessThan(0.2 * first);
        // the validation pieces (the training ones transposed, never seen as such) stay much harder
        assertThat(result.lastEvaluation().get("val_loss")).isGreaterThan(result.lastEvaluation().get("train_loss"));
    }

    @Test
    void resumingContinuesExactlyAsIfNeverStopped() throws IOException {
        Workspace straight = trained;
        Workspace halves = Workspace.at(dir.resolve("halves"));
        MusicTraining.Request r = seven();

        AtomicBoolean stop = new AtomicBoolean();
        TrainingResult first = MusicTraining.train(halves, r, new TrainingListener() {
            @Override
            public void onStep(StepReport s) {
                if (s.step() == 4) {
                    stop.set(true);
                }
            }
        }, stop::get);
        assertThat(first.stopped()).isTrue();
        assertThat(first.step()).isEqualTo(4);
        assertThat(Checkpoint.readCard(halves.model("m")).step()).isEqualTo(4);
        TrainingResult rest = MusicTraining.train(halves, resumed(r), new TrainingListener() {},
                () -> false);
        assertThat(rest.step()).isEqualTo(7);
        assertThat(rest.lastStep()).isEqualTo(whole.lastStep());

        Path a = straight.model("m");
        Path b = halves.model("m");
        assertThat(Files.readAllBytes(b.resolve(Checkpoint.WEIGHTS)))
                .isEqualTo(Files.readAllBytes(a.resolve(Checkpoint.WEIGHTS)));
        assertThat(Files.readAllBytes(b.resolve(Checkpoint.OPTIMIZER)))
                .isEqualTo(Files.readAllBytes(a.resolve(Checkpoint.OPTIMIZER)));
        ModelCard ca = Checkpoint.readCard(a);
        ModelCard cb = Checkpoint.readCard(b);
        assertThat(cb.step()).isEqualTo(7);
        assertThat(cb.rng()).isEqualTo(ca.rng());
        assertThat(cb.metrics()).isEqualTo(ca.metrics()).containsKey("loss");
        assertThat(cb.evaluation()).isEqualTo(ca.evaluation()).containsKeys("train_loss", "val_loss");
        assertThat(cb.vocabulary()).isEqualTo(ca.vocabulary());
    }

    @Test
    void theCardRecordsTheVocabularyStylesInstrumentationsAndAugmentation() {
        ModelCard card = Checkpoint.readCard(trained.model("m"));
        assertThat(card.medium()).isEqualTo("music");
        assertThat(card.family()).isEqualTo("gpt");
        assertThat(card.preset()).isEqualTo("tiny");
        assertThat(card.step()).isEqualTo(7);
        assertThat(card.styles()).containsExactly("calm", "dance");
        assertThat(card.corpus().unit()).isEqualTo("events");
        assertThat(card.corpus().files()).isEqualTo(4);
        assertThat(card.corpus().trainUnits()).isPositive();
        assertThat(card.corpus().validationUnits()).isPositive();
        assertThat(card.config().get("vocab_size").getAsInt()).isEqualTo(4615 + 2);
        assertThat(card.config().get("context_length").getAsInt()).isEqualTo(128);

        JsonObject v = card.vocabulary();
        assertThat(v.get("kind").getAsString()).isEqualTo("music-events");
        assertThat(v.get("version").getAsInt()).isEqualTo(1);
        assertThat(v.get("size").getAsInt()).isEqualTo(4617);
        assertThat(v.getAsJsonArray("styles").toString()).isEqualTo("[\"calm\",\"dance\"]");
        // most used first; a tie in a fixed order
        assertThat(v.getAsJsonArray("instrumentations").toString()).isEqualTo(
                "[{\"style\":\"calm\",\"programs\":{\"piano\":0,\"bass\":33},\"pieces\":2},"
                        + "{\"style\":\"dance\",\"programs\":{\"piano\":1,\"drums\":0},\"pieces\":2}]");
        JsonObject augmentation = v.getAsJsonObject("augmentation");
        assertThat(augmentation.get("transpose").getAsInt()).isEqualTo(MusicTraining.DEFAULT_TRANSPOSE);
        assertThat(augmentation.get("stretch").getAsDouble()).isEqualTo(MusicTraining.DEFAULT_STRETCH);

        try (MusicModel model = MusicModel.load(trained.model("m"), card)) {
            assertThat(model.vocabulary().styles()).containsExactly("calm", "dance");
            assertThat(model.instrumentations()).extracting(MusicModel.Instrumentation::pieces).containsExactly(2, 2);
            assertThat(model.instrumentations()).extracting(MusicModel.Instrumentation::style)
                    .containsExactly("calm", "dance");
            assertThat(model.instrumentations().get(1).programs())
                    .containsExactly(java.util.Map.entry(Instrument.PIANO, 1), java.util.Map.entry(Instrument.DRUMS, 0));
            assertThat(model.weightsHash()).startsWith("sha256:");
        }
    }

    @Test
    void aResumeKeepsItsAugmentationAndOtherSettings() throws IOException {
        Path model = trained.model("m");
        byte[] before = Files.readAllBytes(model.resolve(Checkpoint.WEIGHTS));
        MusicTraining.Request r = seven();
        // two more steps would be a valid resume, but not with other augmentation
        MusicTraining.Request transpose = new MusicTraining.Request(corpus, "m", null, 9, null, null, null, 5, null,
                null, null, true, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> MusicTraining.train(trained, transpose, new TrainingListener() {}, () -> false))
                .isInstanceOf(UsageException.class).hasMessageContaining("--transpose 5 differs from the model's 3");
        MusicTraining.Request stretch = new MusicTraining.Request(corpus, "m", null, 9, null, null, null, null, 0.2,
                null, null, true, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> MusicTraining.train(trained, stretch, new TrainingListener() {}, () -> false))
                .isInstanceOf(UsageException.class).hasMessageContaining("--stretch 0.2 differs from the model's 0.05");
        // the same values again are no change
        MusicTraining.Request same = new MusicTraining.Request(corpus, "m", null, 7, 4, null, 9L, 3, 0.05, null, null,
                true, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> MusicTraining.train(trained, same, new TrainingListener() {}, () -> false))
                .isInstanceOf(UsageException.class).hasMessageContaining("has finished its 7 steps");
        assertThatThrownBy(() -> MusicTraining.train(trained, r, new TrainingListener() {}, () -> false))
                .isInstanceOf(AtelierException.class).hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(model.resolve(Checkpoint.WEIGHTS))).isEqualTo(before);
        // bad augmentation is refused before anything is read or written
        assertThatThrownBy(() -> MusicTraining.train(Workspace.at(dir), request("n", 1, -1, null, null),
                new TrainingListener() {}, () -> false)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--transpose must be 0 or more");
        assertThatThrownBy(() -> MusicTraining.train(Workspace.at(dir), request("n", 1, null, 0.5, null),
                new TrainingListener() {}, () -> false)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--stretch must be in [0, 0.5)");
        assertThat(Workspace.at(dir).model("n")).doesNotExist();
    }

    @Test
    void aCheckpointOfAnotherMediumIsRefused() throws IOException {
        Workspace ws = Workspace.at(dir);
        Path poems = dir.resolve("poems");
        SampleTexts.write(poems, 1);
        TextTraining.train(ws, new TextTraining.Request(poems, "poet", "tiny", "char", null, 1, 2, null, 1L, null,
                null, 1, 1, false, false, BadFilePolicy.STOP), new TrainingListener() {}, () -> false);
        ModelCard text = Checkpoint.readCard(ws.model("poet"));
        String why = "model 'poet' is a text model of family 'gpt'; this needs a music model of family 'gpt'";
        assertThatThrownBy(() -> MusicModel.load(ws.model("poet"), text)).isInstanceOf(AtelierException.class)
                .hasMessage(why);
        assertThatThrownBy(() -> MusicGeneration.generate(ws, new MusicGeneration.Request("poet", 1, 1, 2, null, null,
                null, 1f, 0, 1f, null, false))).isInstanceOf(AtelierException.class).hasMessage(why);
        MusicTraining.Request resume = new MusicTraining.Request(corpus, "poet", null, 5, null, null, null, null,
                null, null, null, true, false, BadFilePolicy.STOP);
        assertThatThrownBy(() -> MusicTraining.train(ws, resume, new TrainingListener() {}, () -> false))
                .isInstanceOf(AtelierException.class).hasMessage(why);

        // a music card whose vocabulary is of another layout
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of(Checkpoint.CARD, Checkpoint.WEIGHTS)) {
            Files.copy(trained.model("m").resolve(f), copy.resolve(f));
        }
        JsonObject card = Json.gson().fromJson(Files.readString(copy.resolve(Checkpoint.CARD)), JsonObject.class);
        card.getAsJsonObject("vocabulary").addProperty("version", 2);
        Files.writeString(copy.resolve(Checkpoint.CARD), Json.write(card));
        assertThatThrownBy(() -> MusicModel.load(copy, Checkpoint.readCard(copy))).isInstanceOf(AtelierException.class)
                .hasMessageContaining("has a bad config or vocabulary")
                .hasMessageContaining("this build reads music-events version 1");
    }

    // ------------------------------------------------------------------ the training windows

    private static final MusicVocabulary VOCABULARY = new MusicVocabulary(List.of("calm", "dance"));
    private static final List<MusicDataset.Entry> TRAIN = List.of(new MusicDataset.Entry(melodyWithBass(0), "calm"),
            new MusicDataset.Entry(tuneWithDrums(0), "dance"));
    private static final List<MusicDataset.Entry> VALIDATION = List.of(
            new MusicDataset.Entry(melodyWithBass(2), "calm"), new MusicDataset.Entry(tuneWithDrums(-3), "dance"));

    /** @return how many tokens at the start of these are header tokens */
    private static int headerLength(int[] tokens, int from) {
        int h = from;
        while (h < tokens.length && VOCABULARY.isHeader(tokens[h])) {
            h++;
        }
        return h - from;
    }

    /**
     * @return the encoding (header, events, END) among these whose header is the one at {@code at} of the
     *     window (of which the window may hold only the start), or null
     */
    private static int[] byHeader(int[] window, int at, List<int[]> encodings) {
        int h = headerLength(window, at);
        boolean cut = at + h == window.length;
        for (int[] e : encodings) {
            if ((cut || headerLength(e, 0) == h) && Arrays.equals(window, at, at + h, e, 0, Math.min(h, e.length))) {
                return e;
            }
        }
        return null;
    }

    /**
     * @return whether the window is one piece's header, then that piece's events from some position to its
     *     END, then whole pieces, all exactly as {@code encodings} hold them (unaugmented)
     */
    private static boolean isSliceOf(int[] window, List<int[]> encodings) {
        int[] first = byHeader(window, 0, encodings);
        if (first == null) {
            return false;
        }
        int h = headerLength(first, 0);
        int pos = -1;
        for (int from = h; from < first.length && pos < 0; from++) {
            int n = Math.min(first.length - from, window.length - h);
            if (Arrays.equals(window, h, h + n, first, from, from + n)) {
                pos = h + n;
            }
        }
        if (pos < 0) {
            return false;
        }
        while (pos < window.length) {
            int[] next = byHeader(window, pos, encodings);
            if (next == null) {
                return false;
            }
            int n = Math.min(next.length, window.length - pos);
            if (!Arrays.equals(window, pos, pos + n, next, 0, n)) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    @Test
    void everyWindowStartsWithStartAndItsPiecesHeader() {
        MusicDataset data = new MusicDataset(VOCABULARY, TRAIN, VALIDATION, 3, 0.05);
        List<int[]> headers = new ArrayList<>();
        for (MusicDataset.Entry e : TRAIN) {
            headers.add(VOCABULARY.header(MusicVocabulary.Header.of(e.piece(), e.style())));
        }
        assertThat(headers.get(0)).containsExactly(0, VOCABULARY.styleToken("calm"), VOCABULARY.programToken(0),
                VOCABULARY.programToken(33));
        assertThat(headers.get(1)).containsExactly(0, VOCABULARY.styleToken("dance"), VOCABULARY.programToken(1),
                VOCABULARY.drumsToken());
        Rng rng = new Rng(3);
        Set<Integer> firstEvents = new TreeSet<>();
        for (int i = 0; i < 60; i++) {
            for (boolean validation : new boolean[] {false, true}) {
                int[] w = data.window(rng, i % 2 == 0 ? 129 : 6, validation);
                assertThat(w).hasSize(i % 2 == 0 ? 129 : 6);
                assertThat(w[0]).isEqualTo(VOCABULARY.startToken());
                assertThat(headers).anySatisfy(h -> assertThat(Arrays.copyOf(w, 4)).isEqualTo(h));
                assertThat(VOCABULARY.isHeader(w[4])).as("the first event").isFalse();
                firstEvents.add(w[4]);
                // the header is the piece's: the first note tokens are of the families it names
                MusicVocabulary.Decoder d = VOCABULARY.decoder();
                for (int t : w) {
                    if (!d.feed(t)) {
                        break;
                    }
                }
                Set<Instrument> named = d.header().programs().keySet();
                for (int k = 4; k < w.length && w[k] != VOCABULARY.endToken(); k++) {
                    if (VOCABULARY.isNoteOn(w[k]) || VOCABULARY.isNoteOff(w[k])) {
                        assertThat(named).contains(VOCABULARY.family(w[k]));
                    }
                }
                // a piece that ends is followed by the START of the next
                for (int k = 0; k + 1 < w.length; k++) {
                    if (w[k] == VOCABULARY.endToken()) {
                        assertThat(w[k + 1]).isEqualTo(VOCABULARY.startToken());
                    }
                }
            }
        }
        assertThat(firstEvents).as("windows start at varied positions of their pieces").hasSizeGreaterThan(5);
    }

    @Test
    void validationWindowsAreTheUnaugmentedPieces() {
        List<int[]> plain = new ArrayList<>();
        for (MusicDataset.Entry e : VALIDATION) {
            plain.add(VOCABULARY.encode(e.piece(), e.style()));
        }
        // strong augmentation, which must not touch the validation pieces
        MusicDataset data = new MusicDataset(VOCABULARY, TRAIN, VALIDATION, 12, 0.3);
        Rng a = new Rng(8);
        Rng b = new Rng(8);
        for (int i = 0; i < 40; i++) {
            int[] w = data.window(a, 129, true);
            assertThat(isSliceOf(w, plain)).as("validation window %d", i).isTrue();
            assertThat(data.window(b, 129, true)).isEqualTo(w);
        }
        // the check can fail: augmented training windows are not slices of the unaugmented training pieces
        List<int[]> train = new ArrayList<>();
        for (MusicDataset.Entry e : TRAIN) {
            train.add(VOCABULARY.encode(e.piece(), e.style()));
        }
        int slices = 0;
        for (int i = 0; i < 40; i++) {
            slices += isSliceOf(data.window(a, 129, false), train) ? 1 : 0;
        }
        assertThat(slices).isLessThan(5);
        MusicDataset none = new MusicDataset(VOCABULARY, TRAIN, VALIDATION, 0, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(isSliceOf(none.window(a, 129, false), train)).isTrue();
        }
    }

    @Test
    void augmentationMovesThePitchesOfTrainingWindowsButNeverTheDrums() {
        Piece drummed = tuneWithDrums(0);
        Set<Integer> tune = new TreeSet<>();
        for (int p : TUNE) {
            tune.add(p);
        }
        MusicDataset data = new MusicDataset(VOCABULARY, List.of(new MusicDataset.Entry(drummed, "dance")), List.of(),
                3, 0.05);
        Rng rng = new Rng(21);
        int segments = 0;
        int moved = 0;
        int drumNotes = 0;
        for (int i = 0; i < 40; i++) {
            int[] w = data.window(rng, 129, false);
            // one segment per piece: a window holds the end of one and then whole pieces, each augmented afresh
            List<Integer> pitches = new ArrayList<>();
            for (int k = 0; k <= w.length; k++) {
                if (k == w.length || w[k] == VOCABULARY.startToken()) {
                    if (!pitches.isEmpty()) {
                        List<Integer> fits = intervals(pitches, tune);
                        assertThat(fits).as("intervals within ±3 that give the tune back").isNotEmpty();
                        segments++;
                        moved += fits.contains(0) ? 0 : 1;
                    }
                    pitches.clear();
                } else if (VOCABULARY.isNoteOn(w[k]) || VOCABULARY.isNoteOff(w[k])) {
                    if (VOCABULARY.family(w[k]) == Instrument.DRUMS) {
                        assertThat(DRUMS).contains(VOCABULARY.pitch(w[k]));
                        drumNotes++;
                    } else {
                        assertThat(VOCABULARY.family(w[k])).isEqualTo(Instrument.PIANO);
                        pitches.add(VOCABULARY.pitch(w[k]));
                    }
                }
            }
        }
        assertThat(drumNotes).isGreaterThan(400);
        // six draws in seven move the tune; allow for segments too short to tell
        assertThat(moved).as("of %d pieces, those moved", segments).isGreaterThan(segments / 2);
    }

    /** @return the intervals in −3..3 that move every one of these pitches to one of the tune's */
    private static List<Integer> intervals(List<Integer> pitches, Set<Integer> tune) {
        List<Integer> fits = new ArrayList<>();
        for (int s = -3; s <= 3; s++) {
            int k = s;
            if (pitches.stream().allMatch(p -> tune.contains(p - k))) {
                fits.add(s);
            }
        }
        return fits;
    }
}
