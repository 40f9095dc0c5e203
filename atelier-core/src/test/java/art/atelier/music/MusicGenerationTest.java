package art.atelier.music;

import static art.atelier.music.Smf.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.work.Studio;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.train.TrainingListener;
import art.atelier.util.Hashing;
import art.atelier.work.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

class MusicGenerationTest {

    @TempDir
    static Path dir;

    static Workspace ws;

    /** A one-second piano motif, off the 10 ms grid: C, E, G, C. */
    static Path primer;

    @BeforeAll
    static void train() throws IOException {
        Path corpus = MusicTrainingTest.writeCorpus(dir.resolve("music"));
        ws = Workspace.at(dir.resolve("ws"));
        MusicTraining.train(ws, new MusicTraining.Request(corpus, "m", "tiny", 40, 4, 1e-2f, 1L, 0, 0.0, 1000, 1000,
                false, false, BadFilePolicy.STOP), new TrainingListener() {}, () -> false);
        primer = dir.resolve("primer.mid");
        MusicTrainingTest.write(primer, motif());
    }

    private static Piece motif() {
        int[] pitches = {60, 64, 67, 72};
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < pitches.length; i++) {
            long t = i * 250_000L + 3_000;
            notes.add(new Note(t, t + 200_000, pitches[i], 90, 0, false));
        }
        return new Piece(notes);
    }

    private static MusicGeneration.Request request(int count, long seed, double seconds, String style,
            List<Instrument> instruments, Path primer, boolean audio) {
        return new MusicGeneration.Request("m", count, seed, seconds, style, instruments, primer, 1f, 0, 1f, null,
                audio);
    }

    /** Pieces with novelty refusals off: these tests are about the controls (refusal is tested on its own). */
    private static List<MusicGeneration.Made> gen(MusicGeneration.Request r) {
        try (Studio studio = Studio.open(ws, 0.0)) {
            return MusicGeneration.generate(studio, r);
        }
    }

    @Test
    void everyPieceIsScoredAndANearDuplicateOfACataloguedOneIsRefused() {
        // a workspace of its own: its catalog starts empty whatever the other tests made
        try (Studio studio = Studio.open(art.atelier.TestWorkspaces.withModel(ws, "m", dir.resolve("dup")))) {
            MusicGeneration.Made fresh = MusicGeneration.generate(studio, request(1, 3, 20, null, null, null, false))
                    .get(0);
            assertThat(fresh.saved().manifest().novelty()).containsKeys("novelty", "longest_shared_notes",
                    "shared_coverage", "new_4_note_grams");
            // the same piece a little longer is nearly the same work: refused, and the next seed drawn instead
            MusicGeneration.Made longer = MusicGeneration.generate(studio, request(1, 3, 20.5, null, null, null, false))
                    .get(0);
            assertThat(longer.seed()).isEqualTo(4);
            assertThat(studio.refusals()).singleElement().asString().startsWith("m-s3-")
                    .endsWith("a near-duplicate of catalogued work " + fresh.saved().id());
        }
    }

    private static List<MusicGeneration.Made> gen(int count, long seed, double seconds, boolean audio) {
        return gen(request(count, seed, seconds, null, null, null, audio));
    }

    private static byte[] bytes(MusicGeneration.Made m) throws IOException {
        return Files.readAllBytes(m.saved().file());
    }

    @Test
    void theSameSeedGivesTheSameFileAndPieceIOfARunIsSeedPlusIMadeAlone() throws IOException {
        List<MusicGeneration.Made> a = gen(2, 7, 3, false);
        byte[] a0 = bytes(a.get(0));
        byte[] a1 = bytes(a.get(1));
        assertThat(a).extracting(MusicGeneration.Made::seed).containsExactly(7L, 8L);
        assertThat(a0).isNotEqualTo(a1);
        assertThat(a.get(0).piece()).isNotEqualTo(a.get(1).piece());

        List<MusicGeneration.Made> b = gen(2, 7, 3, false);
        assertThat(bytes(b.get(0))).isEqualTo(a0);
        assertThat(bytes(b.get(1))).isEqualTo(a1);
        assertThat(b.get(0).saved().id()).isEqualTo(a.get(0).saved().id());

        MusicGeneration.Made alone = gen(1, 8, 3, false).get(0);
        assertThat(bytes(alone)).isEqualTo(a1);
        assertThat(alone.saved().id()).isEqualTo(a.get(1).saved().id()).startsWith("m-s8-");
        assertThat(bytes(gen(1, 9, 3, false).get(0))).isNotEqualTo(a1);
    }

    @Test
    void theMidiFileReadsBackAndCarriesItsManifest() throws Exception {
        MusicGeneration.Made m = gen(1, 3, 4, false).get(0);
        byte[] midi = bytes(m);
        assertThat(m.saved().manifest().file()).isEqualTo(m.saved().id() + ".mid");
        assertThat(m.saved().file().getFileName().toString()).isEqualTo(Hashing.sha256(midi) + ".mid"); // stored by hash
        assertThat(m.endedBy()).isEqualTo("seconds");
        assertThat(m.piece().notes()).isNotEmpty();
        // as long as asked (the last event crosses the mark), and at most one time shift longer
        assertThat(m.piece().duration()).isGreaterThanOrEqualTo(4_000_000).isLessThan(5_500_000);

        MidiFile read = MidiReader.read(midi);
        assertThat(read.piece()).isEqualTo(m.piece()); // on the 10 ms grid, the millisecond file loses nothing
        assertThat(read.durationMicros()).isEqualTo(m.piece().duration());
        Sequence s = MidiSystem.getSequence(new ByteArrayInputStream(midi));
        assertThat(s.getDivisionType()).isEqualTo(Sequence.PPQ);
        assertThat(s.getMicrosecondLength()).isBetween(m.piece().duration() - 1_000, m.piece().duration() + 1_000);
        assertThat(s.getTracks().length).isGreaterThanOrEqualTo(2);

        Manifest embedded = art.atelier.work.Works.embeddedManifest(midi);
        assertThat(embedded.id()).isEqualTo(m.saved().id());
        assertThat(embedded.seed()).isEqualTo(3);
        assertThat(embedded.medium()).isEqualTo("music");
        assertThat(embedded.created()).isNull(); // so that the same seed gives the same bytes
        assertThat(embedded.model().name()).isEqualTo("m");
        assertThat(embedded.model().checkpoint())
                .isEqualTo("sha256:" + Hashing.sha256(ws.model("m").resolve(Checkpoint.WEIGHTS)));
        assertThat(embedded.settings()).containsEntry("ended_by", "seconds").containsKeys("style", "instruments",
                "temperature", "top_k", "top_p", "generated_tokens", "notes", "duration_seconds");

        Manifest beside = m.saved().manifest();
        assertThat(beside.sha256()).isEqualTo(Hashing.sha256(art.atelier.work.Embedding.detect(midi, "")
                .extract(midi).content())); // the file without its manifest
        assertThat(beside.file()).isEqualTo(m.saved().id() + ".mid");
        assertThat(beside.seed()).isEqualTo(3);
        assertThat(beside.settings()).containsEntry("seconds", 4.0).containsEntry("notes", m.piece().notes().size())
                .containsEntry("style", m.style());
        assertThat(m.style()).isIn("calm", "dance");
        assertThat(beside.actions()).isEmpty(); // nothing asked: style and instruments drawn by the seed
        assertThatThrownBy(() -> art.atelier.work.Works.embeddedManifest(MidiWriter.write(motif(), List.of())))
                .hasMessageContaining("no Atelier manifest");
    }

    @Test
    void askedInstrumentsAreTheOnlyOnesThatPlay() throws Exception {
        List<MusicGeneration.Made> made = gen(request(3, 11, 4, "dance", List.of(Instrument.PIANO,
                Instrument.STRINGS), null, false));
        for (MusicGeneration.Made m : made) {
            assertThat(m.style()).isEqualTo("dance");
            assertThat(m.piece().notes()).isNotEmpty()
                    .allSatisfy(n -> assertThat(n.instrument()).isIn(Instrument.PIANO, Instrument.STRINGS))
                    .allSatisfy(n -> assertThat(n.program()).isIn(0, 40));
            Manifest manifest = m.saved().manifest();
            assertThat(manifest.settings().get("instruments")).isEqualTo(Map.of("piano", 0, "strings", 40));
            assertThat(manifest.actions()).extracting(Manifest.HumanAction::action).containsExactly("style",
                    "instruments");
            assertThat(manifest.actions().get(1).detail()).isEqualTo("piano,strings");
            // the file says so too
            assertThat(MidiReader.read(bytes(m)).piece().notes()).extracting(Note::program).isSubsetOf(0, 40);
        }
        // an instrument the corpus never had: the model may only write for it
        MusicGeneration.Made strings = gen(request(1, 12, 3, "calm", List.of(Instrument.STRINGS), null, false)).get(0);
        assertThat(strings.piece().notes()).isNotEmpty()
                .allSatisfy(n -> assertThat(n.instrument()).isEqualTo(Instrument.STRINGS));
        // the model learnt drums for "dance": left to itself it writes them
        List<MusicGeneration.Made> free = gen(request(4, 11, 4, "dance", null, null, false));
        assertThat(free).flatExtracting(m -> m.piece().instruments()).contains(Instrument.DRUMS);
    }

    @Test
    void aPrimerIsTheStartOfThePieceAndTheModelContinuesIt() throws IOException {
        MusicGeneration.Made m = gen(request(1, 5, 3, null, null, primer, false)).get(0);
        Piece motif = motif();
        long primerEnd = 950_000; // the last release, on the grid
        List<Note> opening = m.piece().notes().stream().filter(n -> n.start() < primerEnd).toList();
        assertThat(opening).hasSameSizeAs(motif.notes());
        for (int i = 0; i < opening.size(); i++) {
            Note got = opening.get(i);
            Note want = motif.notes().get(i);
            assertThat(got.pitch()).isEqualTo(want.pitch());
            assertThat(got.program()).isEqualTo(want.program());
            assertThat(got.start()).isCloseTo(want.start(), org.assertj.core.data.Offset.offset(10_000L));
            assertThat(got.end()).isCloseTo(want.end(), org.assertj.core.data.Offset.offset(10_000L));
            assertThat(got.velocity()).isCloseTo(want.velocity(), org.assertj.core.data.Offset.offset(2));
        }
        assertThat(m.piece().notes().size()).as("the model's own notes").isGreaterThan(opening.size());
        // the primer's instruments are the header's
        assertThat(m.piece().instruments()).containsExactly(Instrument.PIANO);
        assertThat(m.piece().duration()).isGreaterThanOrEqualTo(primerEnd + 3_000_000)
                .isLessThan(primerEnd + 4_500_000);

        Manifest manifest = m.saved().manifest();
        assertThat(manifest.settings()).containsEntry("primer", "primer.mid")
                .containsEntry("primer_sha256", Hashing.sha256(primer)).containsEntry("primer_seconds", 0.95);
        assertThat(manifest.actions()).extracting(Manifest.HumanAction::action).containsExactly("primer");
        assertThat(manifest.actions().get(0).detail()).contains("0.95 seconds").contains("primer.mid");
        assertThat(art.atelier.work.Works.embeddedManifest(bytes(m)).settings()).containsEntry("primer", "primer.mid");
        // the same primer and seed: the same piece
        assertThat(gen(request(1, 5, 3, null, null, primer, false)).get(0).piece()).isEqualTo(m.piece());
    }

    @Test
    void aPrimerLongerThanTheContextIsContinuedToo() throws IOException {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < 80; i++) { // ten seconds, some 640 events: five contexts of the tiny model
            notes.add(new Note(i * 125_000L, i * 125_000L + 100_000, 60 + (i * 7) % 24, 90, 0, false));
            notes.add(new Note(i * 125_000L, i * 125_000L + 100_000, 40 + (i * 5) % 12, 70, 33, false));
        }
        Piece motif = new Piece(notes);
        Path longPrimer = dir.resolve("long.mid");
        MusicTrainingTest.write(longPrimer, motif);
        MusicGeneration.Made m = gen(request(1, 6, 2, "calm", null, longPrimer, false)).get(0);
        long primerEnd = 9_980_000;
        assertThat(m.saved().manifest().settings()).containsEntry("primer_seconds", 9.98)
                .containsEntry("instruments", Map.of("piano", 0, "bass", 33));
        List<Note> opening = m.piece().notes().stream().filter(n -> n.start() < primerEnd).toList();
        assertThat(opening).hasSameSizeAs(motif.notes());
        for (int i = 0; i < opening.size(); i++) {
            assertThat(opening.get(i).pitch()).isEqualTo(motif.notes().get(i).pitch());
            assertThat(opening.get(i).start()).isCloseTo(motif.notes().get(i).start(),
                    org.assertj.core.data.Offset.offset(10_000L));
        }
        assertThat(m.endedBy()).isEqualTo("seconds");
        assertThat(m.piece().notes().size()).isGreaterThan(opening.size());
        assertThat(m.piece().duration()).isGreaterThanOrEqualTo(primerEnd + 2_000_000)
                .isLessThan(primerEnd + 3_500_000);
    }

    @Test
    void aPrimerThatCannotBeReadOrHasNoNotesIsAUsageError() throws IOException {
        Path broken = dir.resolve("broken.mid");
        Files.writeString(broken, "not a MIDI file", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> gen(request(1, 1, 2, null, null, broken, false)))
                .isInstanceOf(UsageException.class).hasMessageContaining(broken.toString())
                .hasMessageContaining("cannot be read");
        Path silent = dir.resolve("silent.mid");
        Files.write(silent, Smf.file(1, 96, track().tempo(0, 500_000).end(96)));
        assertThatThrownBy(() -> gen(request(1, 1, 2, null, null, silent, false)))
                .isInstanceOf(UsageException.class).hasMessageContaining(silent.toString())
                .hasMessageContaining("has no notes");
        Path missing = dir.resolve("missing.mid");
        assertThatThrownBy(() -> gen(request(1, 1, 2, null, null, missing, false)))
                .isInstanceOf(UsageException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void aPieceLongerThanTheContextIsWrittenByASlidingWindow() {
        MusicGeneration.Made m = gen(request(1, 2, 30, "calm", null, null, false)).get(0);
        assertThat(m.generatedTokens()).isGreaterThan(3 * 128);
        assertThat(m.endedBy()).isEqualTo("seconds");
        assertThat(m.piece().duration()).isGreaterThanOrEqualTo(30_000_000).isLessThan(31_500_000);
        // to the end only the header's instruments play, and the model still writes notes late in the piece
        @SuppressWarnings("unchecked")
        Set<String> header = ((Map<String, Object>) m.saved().manifest().settings().get("instruments")).keySet();
        assertThat(m.piece().notes()).allSatisfy(n -> assertThat(header).contains(n.instrument().label()));
        assertThat(m.piece().notes()).anySatisfy(n -> assertThat(n.start()).isGreaterThan(20_000_000));
    }

    @Test
    void theWavBesideTheMidiIsTheRenderedPiece() throws Exception {
        MusicGeneration.Made m = gen(1, 21, 2, true).get(0);
        Path wav = m.audio();
        byte[] bytes = Files.readAllBytes(wav);
        assertThat(wav.getFileName().toString()).isEqualTo(Hashing.sha256(bytes) + ".wav"); // stored by hash
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes))) {
            AudioFormat f = in.getFormat();
            assertThat(f.getSampleRate()).isEqualTo(44_100f);
            assertThat(f.getChannels()).isEqualTo(2);
            assertThat(f.getSampleSizeInBits()).isEqualTo(16);
            assertThat(f.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
            double seconds = (m.piece().duration() + AudioRenderer.TAIL_MICROS) / 1e6;
            assertThat(in.getFrameLength()).isBetween((long) (seconds * 44_100) - 1, (long) (seconds * 44_100) + 1);
            byte[] pcm = in.readAllBytes();
            assertThat(pcm.length).isEqualTo(in.getFrameLength() * 4);
            assertThat(rms(pcm)).as("RMS of the music").isGreaterThan(100);
        }
        Map<String, Object> settings = m.saved().manifest().settings();
        assertThat(settings).containsEntry("audio_sha256", Hashing.sha256(bytes))
                .containsEntry("audio_format", "WAV 44100 Hz, 16-bit, 2 channels")
                .containsEntry("soundfont", "default (the JDK's)");
        assertThat(art.atelier.work.Works.embeddedManifest(bytes(m)).settings())
                .containsEntry("audio_sha256", Hashing.sha256(bytes));

        MusicGeneration.Made silent = gen(1, 30, 2, false).get(0);
        assertThat(silent.audio()).isNull();
        assertThat(silent.saved().manifest().settings()).doesNotContainKeys("audio_sha256", "soundfont");
    }

    /** @return the root mean square of 16-bit little-endian samples */
    private static double rms(byte[] pcm) {
        double sum = 0;
        int n = pcm.length / 2;
        for (int i = 0; i < n; i++) {
            short s = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
            sum += (double) s * s;
        }
        return Math.sqrt(sum / n);
    }

    @Test
    void badRequestsAreUsageErrors() {
        assertThatThrownBy(() -> gen(1, 1, 0, false)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--seconds must be more than 0");
        assertThatThrownBy(() -> gen(1, 1, MusicGeneration.MAX_SECONDS + 1, false))
                .isInstanceOf(UsageException.class).hasMessageContaining("at most 3600");
        assertThatThrownBy(() -> gen(1, 1, Double.NaN, false)).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> gen(0, 1, 2, false)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--count must be at least 1");
        assertThatThrownBy(() -> gen(request(1, 1, 2, "jazz", null, null, false)))
                .isInstanceOf(UsageException.class).hasMessageContaining("[calm, dance]").hasMessageContaining("'jazz'");
        Path noBank = dir.resolve("nowhere.sf2");
        assertThatThrownBy(() -> gen(new MusicGeneration.Request("m", 1, 1, 2, null, null, null, 1f, 0, 1f, noBank,
                true))).isInstanceOf(UsageException.class).hasMessageContaining("no sound bank at " + noBank);
        assertThatThrownBy(() -> gen(new MusicGeneration.Request("m", 1, 1, 2, null, null, null, -1f, 0, 1f, null,
                false))).isInstanceOf(UsageException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> gen(new MusicGeneration.Request("nobody", 1, 1, 2, null, null, null, 1f, 0, 1f,
                null, false))).hasMessageContaining("no model named 'nobody'");
    }

    @Test
    void aPieceIsNeverShorterThanAskedNorSilent() throws Exception {
        // an undertrained model often ends its notes before the last time shifts: the rest belongs to the piece
        for (MusicGeneration.Made m : gen(300, 100, 1, false)) {
            assertThat(m.endedBy()).isEqualTo("seconds");
            assertThat(m.piece().notes()).as("seed %d", m.seed()).isNotEmpty();
            long fileLength = MidiReader.read(java.nio.file.Files.readAllBytes(m.saved().file())).durationMicros();
            assertThat(fileLength).as("seed %d", m.seed()).isGreaterThanOrEqualTo(1_000_000);
            assertThat((Double) m.saved().manifest().settings().get("duration_seconds")).as("seed %d", m.seed())
                    .isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void withoutInstrumentsAStyleIsScoredForWhatItsPiecesUse() {
        for (long seed = 0; seed < 4; seed++) {
            assertThat(gen(request(1, seed, 1, "calm", null, null, false)).get(0).saved().manifest().settings()
                    .get("instruments")).isEqualTo(java.util.Map.of("piano", 0, "bass", 33));
            assertThat(gen(request(1, seed, 1, "dance", null, null, false)).get(0).saved().manifest().settings()
                    .get("instruments")).isEqualTo(java.util.Map.of("piano", 1, "drums", 0));
        }
    }

    @Test
    void aWorkMadeAgainIsTheCataloguedWorkItsRecordUnchanged() {
        MusicGeneration.Made with = gen(request(1, 77, 1, "calm", null, null, true)).get(0);
        assertThat(with.audio()).exists();
        MusicGeneration.Made without = gen(request(1, 77, 1, "calm", null, null, false)).get(0);
        assertThat(without.saved().id()).isEqualTo(with.saved().id()); // the same piece, so the same work
        assertThat(without.saved().file()).isEqualTo(with.saved().file());
        assertThat(without.audio()).isEqualTo(with.audio()).exists(); // its first making's audio stays with it
        assertThat(without.saved().manifest().settings()).containsKey("audio_sha256");
    }

    @Test
    void theModelsCardIsUnchangedByGenerating() throws IOException {
        ModelCard before = Checkpoint.readCard(ws.model("m"));
        String weights = Hashing.sha256(ws.model("m").resolve(Checkpoint.WEIGHTS));
        gen(1, 4, 1, false);
        assertThat(Checkpoint.readCard(ws.model("m")).updated()).isEqualTo(before.updated());
        assertThat(Hashing.sha256(ws.model("m").resolve(Checkpoint.WEIGHTS))).isEqualTo(weights);
    }
}
