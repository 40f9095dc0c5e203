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

    @Test
    void theDemoCorpusIsTwoStylesOfDiatonicPiecesThatReadBack(@TempDir Path dir) throws IOException {
        SampleMusic.write(dir, 5, 2026);
        MusicCorpus c = MusicCorpus.load(dir, BadFilePolicy.STOP);
        assertThat(c.styles()).containsExactly("hymns", "waltzes");
        assertThat(c.items()).hasSize(10);
        for (MusicCorpus.Item i : c.items()) {
            MusicStatistics s = MusicStatistics.of(i.piece());
            // chords and melodies of one major scale (the key estimate may take its dominant, one note off)
            assertThat(s.inKey()).as(i.path()).isGreaterThanOrEqualTo(0.9);
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
