package art.atelier.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.music.Note;
import art.atelier.music.Piece;
import art.atelier.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class SimHashTest {

    private static final List<String> VOCABULARY = Fixtures.vocabulary(400, 1);

    @Test
    void hammingCountsDifferingBits() {
        assertThat(SimHash.hamming(0L, 0L)).isZero();
        assertThat(SimHash.hamming(0L, -1L)).isEqualTo(64);
        assertThat(SimHash.hamming(0b1011L, 0b0110L)).isEqualTo(3);
    }

    @Test
    void anIdenticalWorkIsZeroBitsAwayAndCaseAndSpacingAreIgnored() {
        String text = Fixtures.prose(VOCABULARY, 500, 3);
        assertThat(SimHash.hamming(SimHash.ofText(text), SimHash.ofText(new String(text)))).isZero();
        String respaced = "  " + text.toUpperCase(java.util.Locale.ROOT).replace(" ", " \n\t ") + "\n";
        assertThat(SimHash.ofText(respaced)).isEqualTo(SimHash.ofText(text));
        Piece p = MusicNoveltyTest.piece(1);
        assertThat(SimHash.ofMusic(p)).isEqualTo(SimHash.ofMusic(MusicNoveltyTest.piece(1)))
                .isEqualTo(SimHash.ofMusic(MusicNoveltyTest.transformed(p, 3, 2_000_000)));
        assertThat(SimHash.ofText("")).isZero();
        assertThat(SimHash.of(new int[] {1, 2}, 5)).isNotZero().isEqualTo(SimHash.of(List.of(new int[] {1, 2}), 5));
        assertThatThrownBy(() -> SimHash.of(new int[] {1}, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a shingle needs at least one symbol, was 0");
    }

    @Test
    void aOneWordEditOfA500WordTextIsNearAndAnUnrelatedTextIsFar() {
        for (int t = 0; t < 30; t++) {
            String text = Fixtures.prose(VOCABULARY, 500, t);
            List<String> words = new ArrayList<>(Arrays.asList(text.split(" ")));
            Rng rng = new Rng(t);
            int at = rng.nextInt(words.size());
            String replacement;
            do {
                replacement = VOCABULARY.get(rng.nextInt(VOCABULARY.size()));
            } while (words.get(at).startsWith(replacement));
            words.set(at, replacement);
            long h = SimHash.ofText(text);
            int edit = SimHash.hamming(h, SimHash.ofText(String.join(" ", words)));
            assertThat(edit).as("text %d, one word edited", t).isLessThanOrEqualTo(SimHash.TEXT_NEAR);
            int unrelated = SimHash.hamming(h, SimHash.ofText(Fixtures.prose(VOCABULARY, 500, 1000 + t)));
            assertThat(unrelated).as("text %d against an unrelated one", t).isGreaterThan(SimHash.TEXT_NEAR + 4);
        }
    }

    @Test
    void aOneNoteEditIsNearAndAnUnrelatedPieceIsFar() {
        for (int t = 0; t < 30; t++) {
            Piece piece = MusicNoveltyTest.piece(t);
            List<Note> notes = new ArrayList<>(piece.notes());
            Rng rng = new Rng(t);
            int at;
            do {
                at = rng.nextInt(notes.size());
            } while (notes.get(at).drum() || notes.get(at).program() != 0);
            Note n = notes.get(at);
            notes.set(at, new Note(n.start(), n.end(), n.pitch() + 1 + rng.nextInt(3), n.velocity(), 0, false));
            long h = SimHash.ofMusic(piece);
            assertThat(SimHash.hamming(h, SimHash.ofMusic(new Piece(notes)))).as("piece %d, one note edited", t)
                    .isLessThanOrEqualTo(SimHash.MUSIC_NEAR);
            assertThat(SimHash.hamming(h, SimHash.ofMusic(MusicNoveltyTest.piece(5000 + t))))
                    .as("piece %d against an unrelated one", t).isGreaterThan(SimHash.MUSIC_NEAR);
        }
    }
}
