package art.atelier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.work.Studio;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.vqvae.VqVaeTraining;
import art.atelier.nn.SamplingSettings;
import art.atelier.train.TrainingListener;
import art.atelier.util.Json;
import art.atelier.work.Manifest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

class VqVaeGenerationTest {

    @TempDir
    static Path shared;

    static Workspace ws;

    /**
     * The workspace opened with novelty refusals off: these tests are about the controls, and a model
     * trained for seconds on a few drawn pictures makes near-copies and near-duplicates (refusal is
     * tested on its own below).
     */
    static Studio studio;
    static Path corpus;

    private static final SamplingSettings PLAIN = new SamplingSettings(1f, 0, 1f, 1f, 1, true);

    static ImageTraining.Request request(Path data, String name, int steps) {
        return new ImageTraining.Request(data, name, "vqvae", 16, 3, ImageCorpus.Fit.PAD, steps, 8, null, 9L,
                null, null, false, false, BadFilePolicy.STOP);
    }

    @BeforeAll
    static void trainTinyModel() throws IOException {
        corpus = ImageTrainingTest.draw(shared);
        ws = Workspace.at(shared.resolve("ws"));
        ImageTraining.train(ws, request(corpus, "vq", 30),
                new VqVaeTraining.Options("tiny", null, null, 30, 8, null, null), new TrainingListener() {}, () -> false);
        studio = Studio.open(ws, 0.0);
    }

    @AfterAll
    static void closeStudio() {
        studio.close();
    }

    private static List<Integer> codes(ImageGeneration.Made m) {
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) m.saved().manifest().settings().get("codes")) {
            out.add(((Number) o).intValue());
        }
        return out;
    }

    @Test
    void sameSeedAndSettingsMakeTheSameBytesAndTheManifestRecordsTheCodeGrid() throws IOException {
        VqVaeGeneration.Request r = new VqVaeGeneration.Request("vq", 3, 40, null, PLAIN, true);
        List<ImageGeneration.Made> a = VqVaeGeneration.generate(studio, r);
        List<byte[]> first = new ArrayList<>();
        for (ImageGeneration.Made m : a) {
            first.add(Files.readAllBytes(m.saved().file()));
        }
        List<ImageGeneration.Made> b = VqVaeGeneration.generate(studio, r);
        assertThat(a).hasSize(4); // three pictures and their grid
        for (int i = 0; i < a.size(); i++) {
            assertThat(Files.readAllBytes(b.get(i).saved().file())).isEqualTo(first.get(i));
        }
        ImageGeneration.Made alone = VqVaeGeneration.generate(studio, new VqVaeGeneration.Request("vq", 1, 41, null,
                PLAIN, false)).get(0);
        assertThat(alone.picture()).isEqualTo(a.get(1).picture());
        assertThat(codes(a.get(0))).hasSize(16).allMatch(k -> k >= 0 && k < 32); // 16 px / 4 = 4×4 cells, 32 codes
        assertThat(a.get(0).style()).isIn("suns", "tiles");
        byte[] png = first.get(0);
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(16);
        Manifest inside = art.atelier.work.Works.embeddedManifest(png);
        assertThat(inside.model().family()).isEqualTo("vqvae");
        assertThat(inside.settings()).containsKeys("codes", "grid", "temperature", "top_k", "top_p", "style");
        // a colder draw is another picture, made again as surely
        SamplingSettings cold = new SamplingSettings(0f, 0, 1f, 1f, 1, true);
        ImageGeneration.Made c1 = VqVaeGeneration.generate(studio, new VqVaeGeneration.Request("vq", 1, 40, "suns", cold,
                false)).get(0);
        ImageGeneration.Made c2 = VqVaeGeneration.generate(studio, new VqVaeGeneration.Request("vq", 1, 99, "suns", cold,
                false)).get(0);
        assertThat(codes(c1)).isEqualTo(codes(c2)); // temperature 0 is the most likely grid, whatever the seed
    }

    @Test
    void varyingARegionKeepsEveryCodeOutsideIt() {
        ImageGeneration.Made parent = VqVaeGeneration.generate(studio, new VqVaeGeneration.Request("vq", 1, 7, "tiles",
                PLAIN, false)).get(0);
        List<Integer> before = codes(parent);
        VqVaeGeneration.Region region = VqVaeGeneration.Region.parse("4,0,8,5"); // columns 1-2, rows 0-1
        List<ImageGeneration.Made> children = VqVaeGeneration.vary(studio, parent.saved().id(), 6, 100, region, PLAIN);
        Set<Integer> inside = Set.of(1, 2, 5, 6);
        Set<List<Integer>> distinct = new HashSet<>();
        for (ImageGeneration.Made child : children) {
            List<Integer> after = codes(child);
            for (int i = 0; i < 16; i++) {
                if (!inside.contains(i)) {
                    assertThat(after.get(i)).as("cell %d", i).isEqualTo(before.get(i));
                }
            }
            distinct.add(after);
            Map<String, Object> s = child.saved().manifest().settings();
            assertThat(s.get("region")).isEqualTo("4,0,8,5");
            assertThat((List<?>) s.get("region_cells")).hasSize(4);
            assertThat(child.saved().manifest().parents()).containsExactly(parent.saved().id());
            assertThat(child.style()).isEqualTo("tiles");
        }
        assertThat(distinct).hasSizeGreaterThan(1); // the region is drawn afresh
        // the same seed varies the same way
        List<ImageGeneration.Made> again = VqVaeGeneration.vary(studio, parent.saved().id(), 1, 100, region, PLAIN);
        assertThat(codes(again.get(0))).isEqualTo(codes(children.get(0)));
        assertThatThrownBy(() -> VqVaeGeneration.vary(studio, parent.saved().id(), 1, 1,
                VqVaeGeneration.Region.parse("16,0,4,4"), PLAIN)).isInstanceOf(UsageException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> VqVaeGeneration.Region.parse("1,2,3")).isInstanceOf(UsageException.class)
                .hasMessageContaining("x,y,width,height");
    }

    @Test
    void reconstructionGoesThroughTheCodebookAndNamesABadFile() throws IOException {
        Path picture;
        try (var files = Files.list(corpus.resolve("suns"))) {
            picture = files.sorted().findFirst().orElseThrow();
        }
        VqVaeGeneration.Reconstruction r = VqVaeGeneration.reconstruct(studio, "vq", picture);
        assertThat(r.psnr()).isFinite().isGreaterThan(5);
        assertThat(r.made().saved().manifest().settings()).containsEntry("kind", "reconstruction")
                .containsKeys("codes", "source_sha256");
        VqVaeGeneration.Reconstruction again = VqVaeGeneration.reconstruct(studio, "vq", picture);
        assertThat(again.made().picture()).isEqualTo(r.made().picture());
        Path broken = shared.resolve("broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertThatThrownBy(() -> VqVaeGeneration.reconstruct(studio, "vq", broken))
                .isInstanceOf(AtelierException.class).hasMessageContaining("broken.png");
    }

    @Test
    void animationsMorphBetweenWorksOrDrawnKeyframes() throws IOException {
        List<ImageGeneration.Made> keys = VqVaeGeneration.generate(studio, new VqVaeGeneration.Request("vq", 2, 3, null,
                PLAIN, false));
        ImageGeneration.Made morph = VqVaeGeneration.animate(studio, new VqVaeGeneration.AnimationRequest("vq",
                List.of(keys.get(0).saved().id(), keys.get(1).saved().id()), 0, 8, 8, 1, null, PLAIN, "gif"));
        assertThat(morph.saved().file().toString()).endsWith(".gif");
        assertThat(morph.picture()).isEqualTo(keys.get(0).picture()); // frame 0 is the first keyframe exactly
        assertThat(morph.saved().manifest().parents()).hasSize(2);
        byte[] gif = Files.readAllBytes(morph.saved().file());
        ImageGeneration.Made drawn = VqVaeGeneration.animate(studio, new VqVaeGeneration.AnimationRequest("vq",
                List.of(), 3, 9, 8, 5, null, PLAIN, "apng"));
        assertThat(drawn.saved().file().toString()).endsWith(".png");
        assertThat(Files.readAllBytes(morph.saved().file())).isEqualTo(gif);
        assertThatThrownBy(() -> VqVaeGeneration.animate(studio, new VqVaeGeneration.AnimationRequest("vq",
                List.of(keys.get(0).saved().id()), 0, 8, 8, 1, null, PLAIN, "gif")))
                .isInstanceOf(UsageException.class).hasMessageContaining("at least two");
    }

    @Test
    void anAutoencoderWithoutItsPriorReconstructsButDoesNotDraw() throws IOException {
        int[] polled = {0};
        ImageTraining.train(ws, request(corpus, "half", 6), new VqVaeTraining.Options("tiny", null, null, 6, 8, null, false),
                new TrainingListener() {}, () -> polled[0]++ >= 6); // stops when the autoencoder is done
        assertThat(VqVaeTraining.recipe(ws.card("half")).model().kmeansInit()).isFalse(); // --no-kmeans-init
        assertThatThrownBy(() -> VqVaeGeneration.generate(studio, new VqVaeGeneration.Request("half", 1, 1, null, PLAIN,
                false))).isInstanceOf(UsageException.class).hasMessageContaining("only its autoencoder");
        Path picture;
        try (var files = Files.list(corpus.resolve("tiles"))) {
            picture = files.sorted().findFirst().orElseThrow();
        }
        assertThat(VqVaeGeneration.reconstruct(studio, "half", picture).psnr()).isFinite();
    }
}
