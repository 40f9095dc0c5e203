package art.atelier.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MusicStatisticsTest {

    private static final long S = 1_000_000; // a second, in µs

    /** A scale, one note a second, then a three-note chord for two seconds. */
    private static Piece scaleThenChord(int tonic, int[] steps) {
        List<Note> notes = new ArrayList<>();
        long t = 0;
        for (int s : steps) {
            notes.add(new Note(t, t + S, 60 + tonic + s, 80, 0, false));
            t += S;
        }
        for (int s : new int[] {0, steps[2], 7}) {
            notes.add(new Note(t, t + 2 * S, 48 + tonic + s, 80, 0, false));
        }
        notes.add(new Note(0, S / 2, 36, 100, 0, true)); // a drum: left out everywhere
        return new Piece(notes);
    }

    @Test
    void aMajorScaleIsInItsKeyAndAChordIsPolyphonic() {
        Piece g = scaleThenChord(7, new int[] {0, 2, 4, 5, 7, 9, 11, 12});
        MusicStatistics s = MusicStatistics.of(g);
        assertThat(s.key()).isEqualTo("G major");
        assertThat(s.inKey()).isEqualTo(1.0, offset(1e-12));
        assertThat(s.notes()).isEqualTo(11);
        assertThat(s.notesPerSecond()).isEqualTo(11 / 10.0, offset(1e-12));
        // eight seconds of one note, two of three: (8 + 6) / 10
        assertThat(s.polyphony()).isEqualTo(1.4, offset(1e-12));
        assertThat(s.pitchClasses()[7]).isEqualTo(3 / 11.0, offset(1e-12)); // G: twice in the scale, once in the chord
        double sum = 0;
        for (double v : s.pitchClasses()) {
            sum += v;
        }
        assertThat(sum).isEqualTo(1.0, offset(1e-12));
    }

    @Test
    void aMinorPieceIsFoundMinorAndChromaticNotesLeaveTheKey() {
        Piece d = scaleThenChord(2, new int[] {0, 2, 3, 5, 7, 8, 10, 12});
        assertThat(MusicStatistics.of(d).key()).isEqualTo("D minor");
        List<Note> chromatic = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            chromatic.add(new Note(i * S, (i + 1) * S, 60 + i, 80, 0, false));
        }
        MusicStatistics c = MusicStatistics.of(new Piece(chromatic));
        assertThat(c.inKey()).isLessThan(0.8).isGreaterThan(0.5); // 7 or 9 of the 12
    }

    @Test
    void histogramDistanceIsZeroForTheSameAndOneForDisjoint() {
        Piece a = scaleThenChord(0, new int[] {0, 2, 4, 5, 7, 9, 11, 12});
        double[] h = MusicStatistics.pitchClasses(List.of(a, a));
        assertThat(MusicStatistics.distance(h, MusicStatistics.of(a).pitchClasses())).isEqualTo(0, offset(1e-12));
        double[] c = new double[12];
        double[] fs = new double[12];
        c[0] = 1;
        fs[6] = 1;
        assertThat(MusicStatistics.distance(c, fs)).isEqualTo(1.0);
        assertThat(MusicStatistics.of(new Piece(List.of())).notes()).isZero();
    }
}
