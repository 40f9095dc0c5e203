package art.atelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.music.MidiReader;
import art.atelier.music.MidiWriter;
import art.atelier.music.Note;
import art.atelier.music.Piece;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** The music commands, run as a user runs them. */
class MusicCliTest {

    @TempDir
    static Path dir;

    static Path corpus;

    static CliTest.Run atelier(String... args) {
        return CliTest.run(dir.resolve("ws"), args);
    }

    /** Two seconds of a piano line in quarter notes over a held bass note, moved by {@code shift}. */
    private static byte[] piece(int shift) {
        int[] line = {60, 64, 67, 72, 67, 64, 62, 60};
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < line.length; i++) {
            notes.add(new Note(i * 250_000L, (i + 1) * 250_000L, line[i] + shift, 90, 0, false));
        }
        notes.add(new Note(0, 2_000_000, 36 + shift, 70, 32, false));
        return MidiWriter.write(new Piece(notes), List.of());
    }

    @BeforeAll
    static void train() throws IOException {
        corpus = dir.resolve("midi");
        Files.createDirectories(corpus.resolve("up"));
        Files.createDirectories(corpus.resolve("down"));
        Files.write(corpus.resolve("up").resolve("a.mid"), piece(0));
        Files.write(corpus.resolve("up").resolve("b.mid"), piece(2));
        Files.write(corpus.resolve("down").resolve("c.mid"), piece(-5));
        CliTest.Run r = atelier("train", "music", "--data", corpus.toString(), "--name", "m", "--preset", "tiny",
                "--steps", "20", "--batch", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("trained m to step 20").contains("model: ");
    }

    @Test
    void generateWritesMidiAndWavFilesThatOpen() throws Exception {
        CliTest.Run g = atelier("generate", "m", "--seconds", "3", "--count", "2", "--seed", "1", "--json");
        assertThat(g.code()).as(g.err()).isZero();
        JsonArray works = JsonParser.parseString(g.out()).getAsJsonArray();
        assertThat(works).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonObject w = works.get(i).getAsJsonObject();
            assertThat(w.get("seed").getAsLong()).isEqualTo(1 + i);
            assertThat(w.get("style").getAsString()).isIn("up", "down");
            assertThat(w.get("ended_by").getAsString()).isEqualTo("seconds");
            Path midi = Path.of(w.get("path").getAsString());
            Path wav = Path.of(w.get("audio").getAsString());
            assertThat(midi.getFileName().toString()).endsWith(".mid"); // stored by its hash
            assertThat(art.atelier.work.Works.embeddedManifest(Files.readAllBytes(midi)).id())
                    .isEqualTo(w.get("id").getAsString());
            assertThat(wav.getFileName().toString()).isEqualTo(art.atelier.util.Hashing.sha256(wav) + ".wav");
            assertThat(w.getAsJsonObject("novelty").has("novelty")).isTrue();
            assertThat(MidiReader.read(midi).piece().notes()).hasSize(w.get("notes").getAsInt());
            try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
                assertThat(in.getFormat().getSampleRate()).isEqualTo(44_100f);
                assertThat(in.getFrameLength()).isGreaterThan(44_100L);
            }
        }
        // plain output: one line per piece, naming both files; --no-audio writes no WAV
        CliTest.Run plain = atelier("generate", "m", "--seconds", "2", "--seed", "5", "--no-audio", "--style", "up",
                "--instruments", "piano");
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.out().lines()).hasSize(1);
        assertThat(plain.out()).contains("(seed 5, style up, novelty").contains(".mid").doesNotContain(".wav");
    }

    @Test
    void optionsOfAnotherMediumAndBadValuesAreUsageErrors() {
        CliTest.Run grid = atelier("generate", "m", "--grid");
        assertThat(grid.code()).isEqualTo(2);
        assertThat(grid.err()).contains("--grid does not apply to 'm', a music model");
        CliTest.Run prompt = atelier("generate", "m", "--prompt", "hello");
        assertThat(prompt.code()).isEqualTo(2);
        assertThat(prompt.err()).contains("--prompt does not apply to 'm', a music model");
        CliTest.Run instrument = atelier("generate", "m", "--instruments", "piano,kazoo", "--no-audio");
        assertThat(instrument.code()).isEqualTo(2);
        assertThat(instrument.err()).contains("--instruments").contains("kazoo");
        CliTest.Run seconds = atelier("generate", "m", "--seconds", "0");
        assertThat(seconds.code()).isEqualTo(2);
        assertThat(seconds.err()).contains("--seconds must be more than 0");
        CliTest.Run primer = atelier("generate", "m", "--primer", dir.resolve("none.mid").toString());
        assertThat(primer.code()).isEqualTo(2);
        assertThat(primer.err()).contains("none.mid");
        CliTest.Run transpose = atelier("train", "music", "--data", corpus.toString(), "--name", "m", "--resume",
                "--steps", "30", "--transpose", "5");
        assertThat(transpose.code()).isEqualTo(2);
        assertThat(transpose.err()).contains("--transpose 5 differs from the model's 3");
    }

    @Test
    void trainMusicHelpListsItsOptions() {
        CliTest.Run help = atelier("train", "music", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--data").contains("--transpose").contains("--stretch").contains("--preset");
    }
}
