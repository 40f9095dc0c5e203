package art.atelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.demo.SamplePictures;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The picture commands, run as a user runs them. */
class ImageCliTest {

    @TempDir
    static Path dir;

    static Path corpus;

    static CliTest.Run atelier(String... args) {
        return CliTest.run(dir.resolve("ws"), args);
    }

    @BeforeAll
    static void train() throws IOException {
        corpus = dir.resolve("icons");
        SamplePictures.write(corpus, 6, 24, 5);
        CliTest.Run r = atelier("train", "image", "--data", corpus.toString(), "--name", "icons", "--size", "32",
                "--steps", "4", "--batch", "4", "--sample-every", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("trained icons to step 4");
        assertThat(r.err()).contains("icons [").contains(" D ").contains(" G ").contains("sample grids every 2 steps");
    }

    @Test
    void generateVaryCrossAndAnimateMakeFilesThatOpen() throws IOException {
        CliTest.Run g = atelier("generate", "icons", "--count", "2", "--seed", "3", "--grid", "--json");
        assertThat(g.code()).as(g.err()).isZero();
        JsonArray works = JsonParser.parseString(g.out()).getAsJsonArray();
        assertThat(works).hasSize(3);
        String a = works.get(0).getAsJsonObject().get("id").getAsString();
        String b = works.get(1).getAsJsonObject().get("id").getAsString();
        for (int i = 0; i < 3; i++) {
            Path png = Path.of(works.get(i).getAsJsonObject().get("path").getAsString());
            assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
        }
        CliTest.Run v = atelier("vary", a, "--count", "2", "--seed", "1");
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out().lines()).hasSize(2);
        CliTest.Run c = atelier("cross", a, b, "--count", "2");
        assertThat(c.code()).as(c.err()).isZero();
        CliTest.Run anim = atelier("animate", "icons", "--keyframes", "2", "--frames", "4", "--seed", "2", "--format",
                "gif", "--json");
        assertThat(anim.code()).as(anim.err()).isZero();
        Path gif = Path.of(JsonParser.parseString(anim.out()).getAsJsonArray().get(0).getAsJsonObject().get("path")
                .getAsString());
        assertThat(Files.readAllBytes(gif)).startsWith("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void textOptionsOnAPictureModelAndBadPicturesAreUsageErrors() throws IOException {
        CliTest.Run r = atelier("generate", "icons", "--prompt", "hello");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--prompt does not apply to 'icons', an image model");
        Path bad = dir.resolve("bad");
        SamplePictures.write(bad, 5, 24, 6);
        Files.writeString(bad.resolve("suns").resolve("broken.png"), "not a picture");
        CliTest.Run t = atelier("train", "image", "--data", bad.toString(), "--name", "b", "--size", "32", "--steps",
                "1");
        assertThat(t.code()).isEqualTo(1);
        assertThat(t.err()).contains("broken.png").contains("--skip-bad");
        CliTest.Run s = atelier("train", "image", "--data", bad.toString(), "--name", "b", "--size", "48");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("--size must be 32, 64, 128 or 256");
    }
}
