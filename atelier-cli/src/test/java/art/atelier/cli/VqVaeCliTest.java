package art.atelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.demo.SamplePictures;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** The VQ-VAE's commands, run as a user runs them: train, generate, reconstruct, vary a region, animate. */
class VqVaeCliTest {

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
        CliTest.Run r = atelier("train", "image", "--family", "vqvae", "--preset", "tiny", "--data",
                corpus.toString(), "--name", "vq", "--size", "32", "--steps", "6", "--prior-steps", "6", "--batch",
                "4", "--sample-every", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("trained vq to step 12").contains("codes_used").contains("prior_bits_per_dim");
        assertThat(r.err()).contains("autoencoder to step 6, then the prior to step 12");
    }

    private static Path path(CliTest.Run r, int i) {
        return Path.of(JsonParser.parseString(r.out()).getAsJsonArray().get(i).getAsJsonObject().get("path")
                .getAsString());
    }

    @Test
    void generateReconstructVaryAndAnimateMakeFilesThatOpen() throws IOException {
        CliTest.Run g = atelier("generate", "vq", "--count", "2", "--seed", "3", "--temperature", "0.9", "--top-k",
                "10", "--json");
        assertThat(g.code()).as(g.err()).isZero();
        JsonArray works = JsonParser.parseString(g.out()).getAsJsonArray();
        assertThat(works).hasSize(2);
        assertThat(ImageIO.read(path(g, 0).toFile()).getWidth()).isEqualTo(32);
        String a = works.get(0).getAsJsonObject().get("id").getAsString();
        String b = works.get(1).getAsJsonObject().get("id").getAsString();

        Path picture;
        try (var files = Files.list(corpus.resolve("suns"))) {
            picture = files.sorted().findFirst().orElseThrow();
        }
        CliTest.Run rec = atelier("reconstruct", "vq", picture.toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.out()).contains("PSNR").contains(" dB");

        CliTest.Run v = atelier("vary", a, "--region", "8,8,16,16", "--count", "2", "--seed", "1", "--json");
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(ImageIO.read(path(v, 1).toFile())).isNotNull();

        // a prior of 6 steps draws alike pictures, so the morph between two of them may come near a work
        // already catalogued: this test is about the files, the novelty gate has its own tests
        CliTest.Run anim = atelier("animate", "vq", "--family", "vqvae", "--works", a + "," + b, "--frames", "4",
                "--min-novelty", "0", "--json");
        assertThat(anim.code()).as(anim.err()).isZero();
        assertThat(Files.readAllBytes(path(anim, 0))).startsWith("GIF89a".getBytes(StandardCharsets.US_ASCII));
        CliTest.Run drawn = atelier("animate", "vq", "--keyframes", "2", "--frames", "4", "--seed", "2", "--format",
                "apng", "--json");
        assertThat(drawn.code()).as(drawn.err()).isZero();
        assertThat(ImageIO.read(path(drawn, 0).toFile())).isNotNull();
    }

    @Test
    void optionsOfTheOtherFamilyAreUsageErrors() {
        CliTest.Run t = atelier("generate", "vq", "--truncation", "0.5");
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains("--truncation does not apply to 'vq', a VQ-VAE model");
        CliTest.Run g = atelier("generate", "vq", "--seed", "1", "--json");
        String id = JsonParser.parseString(g.out()).getAsJsonArray().get(0).getAsJsonObject().get("id").getAsString();
        CliTest.Run s = atelier("vary", id, "--strength", "0.5");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("--region");
        CliTest.Run f = atelier("animate", "vq", "--family", "gan");
        assertThat(f.code()).isEqualTo(2);
        assertThat(f.err()).contains("is a vqvae, not a gan");
        CliTest.Run c = atelier("train", "image", "--data", corpus.toString(), "--name", "g", "--codes", "64");
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("add --family vqvae");
        CliTest.Run r = atelier("train", "image", "--data", corpus.toString(), "--name", "vq", "--resume",
                "--codes", "64");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--codes 64 differs from the model's 32");
    }
}
