package art.atelier.demo;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.MusicCorpus;
import art.atelier.music.Instrument;
import art.atelier.music.MusicStatistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleMusicTest {

    /** Whether every pitch class of the piece lies in one major scale. */
    private static boolean diatonic(art.atelier.music.Piece p) {
        int[] major = {0, 2, 4, 5, 7, 9, 11};
        for (int tonic = 0; tonic < 12; tonic++) {
            boolean[] in = new boolean[12];
            for (int d : major) {
                in[(tonic + d) % 12] = true;
            }
            if (p.notes().stream().allMatch(n -> in[n.pitch() % 12])) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theDemoCorpusIsTwoStylesOfDiatonicPiecesThatReadBack(@TempDir Path dir) throws IOException {
        SampleMusic.write(dir, 5, 2026);
        MusicCorpus c = MusicCorpus.load(dir, BadFilePolicy.STOP);
        assertThat(c.styles()).containsExactly("hymns", "waltzes");
        assertThat(c.items()).hasSize(10);
        for (MusicCorpus.Item i : c.items()) {
            MusicStatistics s = MusicStatistics.of(i.piece());
            assertThat(diatonic(i.piece())).as(i.path()).isTrue(); // chords and melodies of one major scale
            assertThat(s.inKey()).as(i.path()).isGreaterThan(0.8); // so the key estimate finds (nearly) that key
            assertThat(i.durationMicros()).isBetween(4_000_000L, 20_000_000L);
            if (i.style().equals("hymns")) {
                assertThat(i.piece().instruments()).containsExactly(Instrument.BASS, Instrument.ENSEMBLE);
                assertThat(s.polyphony()).isEqualTo(4.0); // four voices, a chord a beat
            } else {
                assertThat(i.piece().instruments()).containsExactly(Instrument.PIANO);
            }
        }
        // the same seed writes the same files
        Path again = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-again"));
        SampleMusic.write(again, 5, 2026);
        assertThat(Files.readAllBytes(again.resolve("waltzes/waltz-03.mid")))
                .isEqualTo(Files.readAllBytes(dir.resolve("waltzes/waltz-03.mid")));
    }
}
