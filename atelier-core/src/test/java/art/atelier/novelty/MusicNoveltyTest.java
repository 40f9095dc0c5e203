package art.atelier.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import art.atelier.AtelierException;
import art.atelier.music.Note;
import art.atelier.music.Piece;
import art.atelier.util.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MusicNoveltyTest {

    private static final long MS = 1000; // a millisecond, in µs
    private static final long[] DURATIONS = {125 * MS, 250 * MS, 250 * MS, 375 * MS, 500 * MS, 1000 * MS};

    private static List<Piece> training;
    private static MusicNovelty index;

    @TempDir
    Path dir;

    /**
     * A piece of two parts: a melody on piano (a random walk, with a chord under some notes) and a bass
     * line on program 33, plus drums; 64 melody notes.
     */
    static Piece piece(long seed) {
        Rng rng = new Rng(seed);
        List<Note> notes = new ArrayList<>();
        long t = 0;
        int pitch = 60 + rng.nextInt(12);
        for (int i = 0; i < 64; i++) {
            long d = DURATIONS[rng.nextInt(DURATIONS.length)];
            pitch = Math.max(40, Math.min(90, pitch + rng.nextInt(9) - 4));
            notes.add(new Note(t, t + d, pitch, 70 + rng.nextInt(40), 0, false));
            if (rng.nextInt(3) == 0) {
                notes.add(new Note(t, t + d, pitch - 4 - rng.nextInt(5), 60, 0, false)); // under the melody
            }
            if (i % 4 == 0) {
                notes.add(new Note(t, t + 2 * d, 36 + rng.nextInt(12), 80, 33, false));
                notes.add(new Note(t, t + 100 * MS, 36, 100, 0, true));
            }
            t += d;
        }
        return new Piece(notes);
    }

    static Piece transformed(Piece p, int semitones, long shift) {
        List<Note> out = new ArrayList<>();
        for (Note n : p.notes()) {
            int pitch = n.drum() ? n.pitch() : n.pitch() + semitones;
            out.add(new Note(n.start() + shift, n.end() + shift, pitch, n.velocity(), n.program(), n.drum()));
        }
        return new Piece(out);
    }

    @BeforeAll
    static void buildIndex() {
        training = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            training.add(piece(300 + p));
        }
        index = MusicNovelty.build(training);
    }

    @Test
    void durationsFallInLogarithmicBins() {
        assertThat(MusicNovelty.durationBin(1)).isZero();
        assertThat(MusicNovelty.durationBin(37 * MS)).isZero();
        assertThat(MusicNovelty.durationBin(38 * MS)).isEqualTo(1);
        assertThat(MusicNovelty.durationBin(62_500)).isEqualTo(2);
        assertThat(MusicNovelty.durationBin(125 * MS)).isEqualTo(4);
        assertThat(MusicNovelty.durationBin(250 * MS)).isEqualTo(6);
        assertThat(MusicNovelty.durationBin(375 * MS)).isEqualTo(7);
        assertThat(MusicNovelty.durationBin(500 * MS)).isEqualTo(8);
        assertThat(MusicNovelty.durationBin(520 * MS)).isEqualTo(8); // a little rubato stays in its bin
        assertThat(MusicNovelty.durationBin(1000 * MS)).isEqualTo(10);
        assertThat(MusicNovelty.durationBin(4000 * MS)).isEqualTo(14);
        assertThat(MusicNovelty.durationBin(60_000 * MS)).isEqualTo(15);
    }

    @Test
    void aLineIsTheSkylineOfOneProgramAndItsSymbolsAreIntervalsAndDurations() {
        Piece p = new Piece(List.of(
                new Note(0, 500 * MS, 60, 80, 0, false),
                new Note(0, 500 * MS, 64, 80, 0, false), // the higher of the chord: the line's note
                new Note(500 * MS, 750 * MS, 67, 80, 0, false),
                new Note(750 * MS, 1000 * MS, 20, 80, 0, false), // 47 semitones down: clamped to 36
                new Note(0, 1000 * MS, 40, 80, 40, false),
                new Note(0, 100 * MS, 38, 100, 0, true))); // a drum: in no line
        List<MusicNovelty.Line> lines = MusicNovelty.lines(p);
        assertThat(lines).extracting(MusicNovelty.Line::program).containsExactly(0, 40);
        int bins = MusicNovelty.DURATION_BINS;
        assertThat(lines.get(0).symbols()).containsExactly(0 * bins + 8, (3 + 37) * bins + 6, (-36 + 37) * bins + 6);
        assertThat(lines.get(1).symbols()).containsExactly(0 * bins + 10);
    }

    @Test
    void anExactCopyHasNoveltyZero() {
        MusicNovelty.Score s = index.score(training.get(11));
        assertThat(s.novelty()).isEqualTo(0.0);
        assertThat(s.coverage()).isEqualTo(1.0);
        assertThat(s.longestShared()).isEqualTo(64);
        assertThat(s.piece()).isEqualTo(11);
        assertThat(s.program()).isZero();
        assertThat(s.workProgram()).isZero();
        assertThat(s.note()).isZero();
        assertThat(s.ngramNovelty()).containsOnlyKeys(4, 8, 16).allSatisfy((n, v) -> assertThat(v).isZero());
    }

    @Test
    void aTransposedOrLaterCopyScoresExactlyAsTheCopy() {
        MusicNovelty.Score copy = index.score(training.get(4));
        assertThat(index.score(transformed(training.get(4), 5, 0))).isEqualTo(copy);
        assertThat(index.score(transformed(training.get(4), -7, 3_000 * MS))).isEqualTo(copy);
    }

    @Test
    void aCopyAtAnotherTempoIsADifferentPerformance() {
        List<Note> slow = new ArrayList<>();
        for (Note n : training.get(4).notes()) {
            slow.add(new Note(n.start() * 2, n.end() * 2, n.pitch(), n.velocity(), n.program(), n.drum()));
        }
        assertThat(index.score(new Piece(slow)).novelty()).isGreaterThan(0.9);
    }

    @Test
    void aFreshWorkHasNoveltyNearOne() {
        MusicNovelty.Score s = index.score(piece(9999));
        assertThat(s.novelty()).isGreaterThan(0.95);
        assertThat(s.longestShared()).isLessThan(MusicNovelty.MIN_RUN);
        assertThat(s.ngramNovelty().get(8)).isEqualTo(1.0);
        assertThat(s.ngramNovelty().get(4)).isGreaterThan(0.9);
    }

    @Test
    void aWorkQuotingHalfATrainingMelodyIsHalfCovered() {
        List<Note> notes = new ArrayList<>();
        for (Note n : training.get(2).notes()) {
            if (!n.drum() && n.program() == 0 && n.start() < 8_000 * MS) {
                notes.add(n);
            }
        }
        long end = notes.stream().mapToLong(Note::start).max().orElseThrow() + 1000 * MS;
        int quoted = MusicNovelty.lines(new Piece(notes)).get(0).symbols().length;
        for (Note n : piece(777).notes()) {
            if (!n.drum() && n.program() == 0 && n.start() < 16_000 * MS) {
                notes.add(new Note(n.start() + end, n.end() + end, n.pitch(), n.velocity(), 0, false));
            }
        }
        int all = MusicNovelty.lines(new Piece(notes)).get(0).symbols().length;
        MusicNovelty.Score s = index.score(new Piece(notes));
        assertThat(s.longestShared()).isBetween(quoted, quoted + 1); // the next note may happen to match too
        assertThat(s.piece()).isEqualTo(2);
        assertThat(s.coverage()).isEqualTo(quoted / (double) all, offset(2.0 / all));
    }

    @Test
    void ngramNoveltyByHand() {
        // training line: C D E F G (quarter notes); work: C D E F A G (quarter notes)
        MusicNovelty small = MusicNovelty.build(List.of(melody(60, 62, 64, 65, 67)));
        MusicNovelty.Score s = small.score(melody(60, 62, 64, 65, 69, 67));
        // symbols: start, +2, +2, +1, +4, -2 against start, +2, +2, +1, +2
        // 4-grams: [start +2 +2 +1] found, [+2 +2 +1 +4] and [+2 +1 +4 -2] not: 2 of 3 new
        assertThat(s.ngramNovelty().get(4)).isEqualTo(2 / 3.0, offset(1e-12));
        assertThat(s.ngramNovelty().get(8)).isNaN();
        assertThat(s.longestShared()).isEqualTo(4);
        assertThat(s.coverage()).isZero(); // 4 notes: below the 8 that count
        assertThat(s.novelty()).isEqualTo(1.0);
        MusicNovelty.Score drums = small.score(new Piece(List.of(new Note(0, 1000, 36, 100, 0, true))));
        assertThat(drums.novelty()).isEqualTo(1.0);
        assertThat(drums.longestShared()).isZero();
        assertThat(drums.ngramNovelty().get(4)).isNaN();
    }

    private static Piece melody(int... pitches) {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < pitches.length; i++) {
            notes.add(new Note(i * 500 * MS, (i + 1) * 500 * MS, pitches[i], 80, 0, false));
        }
        return new Piece(notes);
    }

    @Test
    void saveThenLoadGivesIdenticalScores() throws IOException {
        Path file = dir.resolve("music.novelty");
        index.save(file);
        MusicNovelty back = MusicNovelty.load(file);
        assertThat(back.lines()).isEqualTo(index.lines()).isEqualTo(40);
        for (Piece work : List.of(training.get(0), piece(5), transformed(training.get(19), 2, 0))) {
            assertThat(back.score(work)).isEqualTo(index.score(work));
        }
    }

    @Test
    void aForeignOrCorruptFileIsRefusedByName() throws IOException {
        Path text = dir.resolve("text.novelty");
        TextNovelty.build(List.of("a text")).save(text);
        assertThatThrownBy(() -> MusicNovelty.load(text)).isInstanceOf(AtelierException.class)
                .hasMessage(text + " is a text novelty index, not a music one");
        Path file = dir.resolve("music.novelty");
        index.save(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 4;
        Files.write(file, bytes);
        assertThatThrownBy(() -> MusicNovelty.load(file)).isInstanceOf(AtelierException.class)
                .hasMessage(file + " is corrupt or truncated: its checksum does not match");
    }
}
