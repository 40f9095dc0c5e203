package art.atelier.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import art.atelier.music.MusicAugment.Bounds;
import art.atelier.util.Rng;

import java.util.List;

import org.junit.jupiter.api.Test;

class MusicAugmentTest {

    private static final Piece PIECE = new Piece(List.of(
            new Note(0, 500_000, 60, 80, 0, false), // piano C4
            new Note(250_000, 1_000_000, 36, 70, 33, false), // bass
            new Note(0, 100_000, 36, 100, 0, true), // bass drum
            new Note(750_001, 760_003, 42, 90, 0, true))); // hi-hat

    @Test
    void transposeMovesPitchedNotesAndLeavesDrums() {
        Piece up = MusicAugment.transpose(PIECE, 5);
        assertThat(up.notes()).hasSameSizeAs(PIECE.notes());
        for (int i = 0; i < PIECE.notes().size(); i++) {
            Note a = PIECE.notes().get(i);
            Note b = up.notes().get(i);
            assertThat(b.pitch()).isEqualTo(a.drum() ? a.pitch() : a.pitch() + 5);
            assertThat(b).usingRecursiveComparison().ignoringFields("pitch").isEqualTo(a);
        }
        assertThat(MusicAugment.transpose(up, -5)).isEqualTo(PIECE);
        assertThat(MusicAugment.transpose(PIECE, 0)).isEqualTo(PIECE);
    }

    @Test
    void transpositionOutOfRangeIsRefused() {
        assertThat(MusicAugment.bounds(PIECE)).isEqualTo(new Bounds(-36, 67));
        assertThat(MusicAugment.transpose(PIECE, 67).notes()).extracting(Note::pitch).contains(127);
        assertThatThrownBy(() -> MusicAugment.transpose(PIECE, 68)).hasMessageContaining("-36..67");
        assertThatThrownBy(() -> MusicAugment.transpose(PIECE, -37)).hasMessageContaining("-36..67");
        Piece drums = new Piece(List.of(new Note(0, 10, 127, 64, 0, true)));
        assertThat(MusicAugment.transpose(drums, 12)).isEqualTo(drums);
    }

    @Test
    void randomStaysInRange() {
        Piece edge = new Piece(List.of(new Note(0, 10_000, 2, 64, 0, false), new Note(0, 10_000, 125, 64, 0, false),
                new Note(0, 10_000, 127, 64, 0, true)));
        Rng rng = new Rng(11);
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 300; i++) {
            Piece p = MusicAugment.random(edge, rng, 12, 0.05);
            int low = p.notes().stream().filter(n -> !n.drum()).mapToInt(Note::pitch).min().orElseThrow();
            seen.add(low - 2);
            assertThat(p.notes()).filteredOn(Note::drum).extracting(Note::pitch).containsExactly(127);
        }
        assertThat(seen).containsExactly(-2, -1, 0, 1, 2);
    }

    @Test
    void randomIsDeterministicAndWithinItsLimits() {
        Piece a = MusicAugment.random(PIECE, new Rng(5), 6, 0.05);
        Piece b = MusicAugment.random(PIECE, new Rng(5), 6, 0.05);
        assertThat(a).isEqualTo(b);
        Rng rng = new Rng(6);
        for (int i = 0; i < 200; i++) {
            Piece p = MusicAugment.random(PIECE, rng, 6, 0.05);
            double ratio = p.duration() / (double) PIECE.duration();
            assertThat(ratio).isBetween(0.95 - 1e-6, 1.05 + 1e-6);
            int shift = p.notes().stream().filter(n -> n.program() == 0 && !n.drum()).findFirst().orElseThrow().pitch() - 60;
            assertThat(shift).isBetween(-6, 6);
        }
        assertThat(MusicAugment.random(PIECE, new Rng(1), 0, 0)).isEqualTo(PIECE);
        assertThatThrownBy(() -> MusicAugment.random(PIECE, new Rng(1), -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MusicAugment.random(PIECE, new Rng(1), 2, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stretchScalesTimes() {
        Piece slow = MusicAugment.stretch(PIECE, 1.05);
        assertThat(slow.duration()).isEqualTo(1_050_000);
        for (int i = 0; i < PIECE.notes().size(); i++) {
            Note a = PIECE.notes().get(i);
            Note b = slow.notes().get(i);
            assertThat((double) b.start()).isCloseTo(a.start() * 1.05, within(0.5));
            assertThat((double) b.end()).isCloseTo(a.end() * 1.05, within(0.5));
            assertThat(b).usingRecursiveComparison().ignoringFields("start", "end").isEqualTo(a);
        }
        Piece fast = MusicAugment.stretch(new Piece(List.of(new Note(10, 11, 60, 64, 0, false))), 0.01);
        assertThat(fast.notes().get(0).duration()).isEqualTo(1); // a note never vanishes
        assertThatThrownBy(() -> MusicAugment.stretch(PIECE, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MusicAugment.stretch(PIECE, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
