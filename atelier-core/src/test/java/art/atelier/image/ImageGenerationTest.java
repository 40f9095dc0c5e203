package art.atelier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.train.ModelCard;
import art.atelier.corpus.BadFilePolicy;
import art.atelier.corpus.ImageCorpus;
import art.atelier.novelty.Gate;
import art.atelier.work.Studio;
import art.atelier.train.TrainingListener;
import art.atelier.util.Json;
import art.atelier.work.Manifest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;

class ImageGenerationTest {

    @TempDir
    static Path shared;

    static Workspace ws;

    /**
     * The workspace opened with novelty refusals off: these tests are about the controls, and a model
     * trained for seconds on a few drawn pictures makes near-copies and near-duplicates (refusal is
     * tested on its own below).
     */
    static Studio studio;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        Path corpus = ImageTrainingTest.draw(shared);
        ws = Workspace.at(shared.resolve("ws"));
        ImageTraining.train(ws, ImageTrainingTest.request(corpus, "icons", "atelier", 3, 4), new TrainingListener() {},
                () -> false);
        studio = Studio.open(ws, 0.0);
    }

    @AfterAll
    static void closeStudio() {
        studio.close();
    }

    private static byte[] bytes(ImageGeneration.Made m) throws IOException {
        return Files.readAllBytes(m.saved().file());
    }

    @Test
    void everyPictureIsScoredAgainstTheCorpus() {
        ImageGeneration.Made kept = ImageGeneration.generate(studio, new ImageGeneration.Request("icons", 1, 500, null,
                1f, false)).get(0);
        Map<String, Object> n = kept.saved().manifest().novelty();
        assertThat(n).containsKeys("novelty", "nearest_training_picture", "nearest_distance", "typical_distance",
                "phash_distance", "near_duplicate");
        assertThat(((Number) n.get("novelty")).doubleValue()).isBetween(0.0, 1.0);
        assertThat((String) n.get("nearest_training_picture")).matches("(suns|tiles)/.*\\.png");
    }

    @Test
    void aTrainingPictureOrAShiftedCopyOfItIsRefusedAsANearCopy() {
        ModelCard card = ws.card("icons");
        ImageCorpus corpus = ImageCorpus.load(shared.resolve("icons"), ImageModel.format(card), BadFilePolicy.STOP);
        Picture original = corpus.pictures().get(3).picture();
        byte[] px = new byte[original.pixels().length]; // moved one pixel right, the first column repeated
        int w = original.width();
        int c = original.channels();
        for (int y = 0; y < original.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(original.pixels(), (y * w + Math.max(0, x - 1)) * c, px, (y * w + x) * c, c);
            }
        }
        Picture shifted = new Picture(w, original.height(), c, px);
        try (Studio strict = Studio.open(ws)) {
            Gate gate = strict.gate(card);
            for (Picture p : List.of(original, shifted)) {
                Gate.Verdict v = gate.picture("icons-s1-00000000", p, List.of());
                assertThat(v.accepted()).isFalse();
                assertThat(v.novelty()).isLessThan(0.2);
                assertThat(v.reason()).contains("below 0.20");
                assertThat(v.scores()).containsEntry("nearest_training_picture", corpus.pictures().get(3).path());
            }
            assertThat(strict.refusals()).hasSize(2);
        }
        try (Studio lenient = Studio.open(ws, 0.0)) {
            assertThat(lenient.gate(card).picture("icons-s1-00000000", original, List.of()).accepted()).isTrue();
        }
    }

    @Test
    void theDataCopyingTestComparesDrawnAndHeldOutPictures() {
        ImageCopying.Report r = ImageCopying.test(ws, "icons", null, 24, 1, m -> { });
        assertThat(r.generated()).isEqualTo(24);
        assertThat(r.train() + r.heldOut()).isEqualTo(24); // two styles of 12 drawn icons
        assertThat(r.result().cells()).hasSize(1);
        assertThat(r.result().cells().get(0).generated()).isEqualTo(24);
        assertThat(Double.isFinite(r.result().cT())).isTrue();
        assertThat(r.result().summary()).isNotBlank();
        assertThat(ImageCopying.test(ws, "icons", null, 24, 1, m -> { })).isEqualTo(r); // deterministic
        assertThatThrownBy(() -> ImageCopying.test(ws, "icons", null, 5, 1, m -> { }))
                .hasMessageContaining("--count must be at least 20");
    }

    @Test
    void sameSeedAndSettingsMakeTheSameBytes() throws IOException {
        ImageGeneration.Request r = new ImageGeneration.Request("icons", 3, 40, null, 0.8f, true);
        List<ImageGeneration.Made> a = ImageGeneration.generate(studio, r);
        List<byte[]> first = new java.util.ArrayList<>();
        for (ImageGeneration.Made m : a) {
            first.add(bytes(m)); // read now: the second run writes the same files again
        }
        List<ImageGeneration.Made> b = ImageGeneration.generate(studio, r);
        assertThat(a).hasSize(4); // three pictures and their grid
        for (int i = 0; i < a.size(); i++) {
            assertThat(bytes(b.get(i))).isEqualTo(first.get(i));
        }
        assertThat(a.get(0).picture()).isNotEqualTo(a.get(1).picture());
        // picture i is seed+i alone: made again on its own, it is the same
        List<ImageGeneration.Made> alone = ImageGeneration.generate(studio,
                new ImageGeneration.Request("icons", 1, 41, null, 0.8f, false));
        assertThat(alone.get(0).picture()).isEqualTo(a.get(1).picture());
        // it opens as a PNG of the model's size, with its provenance inside
        byte[] png = bytes(a.get(0));
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(16);
        Manifest inside = art.atelier.work.Works.embeddedManifest(png);
        assertThat(inside.id()).isEqualTo(a.get(0).saved().id());
        assertThat(inside.seed()).isEqualTo(40);
        assertThat(inside.settings()).containsKeys("latent", "style", "truncation");
        assertThat(a.get(3).saved().manifest().parents()).hasSize(3);
    }

    @Test
    void aStyleIsHonouredAndAnUnknownOneRefused() {
        List<ImageGeneration.Made> m = ImageGeneration.generate(studio,
                new ImageGeneration.Request("icons", 2, 1, "tiles", 1f, false));
        assertThat(m).allSatisfy(x -> assertThat(x.style()).isEqualTo("tiles"));
        assertThat(m.get(0).saved().manifest().actions()).extracting(Manifest.HumanAction::action).contains("style");
        assertThatThrownBy(() -> ImageGeneration.generate(studio, new ImageGeneration.Request("icons", 1, 1, "oils", 1f,
                false))).isInstanceOf(UsageException.class).hasMessageContaining("knows the styles [suns, tiles]");
        assertThatThrownBy(() -> ImageGeneration.generate(studio, new ImageGeneration.Request("icons", 1, 1, null, 0f,
                false))).isInstanceOf(UsageException.class).hasMessageContaining("--truncation");
    }

    @Test
    void variationsAndCrossingsAreDeterministicChildrenOfTheirParents() throws IOException {
        List<ImageGeneration.Made> parents = ImageGeneration.generate(studio,
                new ImageGeneration.Request("icons", 2, 100, "suns", 1f, false));
        String a = parents.get(0).saved().id();
        String b = parents.get(1).saved().id();
        List<ImageGeneration.Made> v1 = ImageGeneration.vary(studio, a, 2, 5, 0.3f);
        byte[] firstChild = bytes(v1.get(0));
        List<ImageGeneration.Made> v2 = ImageGeneration.vary(studio, parents.get(0).saved().file().toString(), 2, 5, 0.3f);
        assertThat(bytes(v2.get(0))).isEqualTo(firstChild);
        assertThat(v1.get(0).saved().manifest().parents()).containsExactly(a);
        assertThat(v1.get(0).style()).isEqualTo("suns");
        // strength 0 is the parent itself
        assertThat(ImageGeneration.vary(studio, a, 1, 5, 0f).get(0).picture()).isEqualTo(parents.get(0).picture());

        List<ImageGeneration.Made> c1 = ImageGeneration.cross(studio, a, b, 3);
        List<byte[]> firstCrossings = new java.util.ArrayList<>();
        for (ImageGeneration.Made m : c1) {
            firstCrossings.add(bytes(m));
        }
        List<ImageGeneration.Made> c2 = ImageGeneration.cross(studio, a, b, 3);
        assertThat(c1).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(bytes(c2.get(i))).isEqualTo(firstCrossings.get(i));
        }
        assertThat(c1.get(1).saved().manifest().parents()).containsExactly(a, b);
        assertThat(c1.get(1).saved().manifest().settings().get("t")).isEqualTo(0.5);

        assertThatThrownBy(() -> ImageGeneration.vary(studio, "no-such-work", 1, 1, 0.3f))
                .isInstanceOf(AtelierException.class).hasMessageContaining("no work 'no-such-work'");
        assertThatThrownBy(() -> ImageGeneration.vary(studio, a, 1, 1, 1.5f)).isInstanceOf(UsageException.class);
    }

    @Test
    void slerpEndsAtItsEndsAndKeepsTheNorm() {
        float[] a = {3, 0, 0};
        float[] b = {0, 3, 0};
        assertThat(ImageGeneration.slerp(a, b, 0)).containsExactly(3, 0, 0);
        float[] mid = ImageGeneration.slerp(a, b, 0.5);
        assertThat(Math.hypot(mid[0], mid[1])).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(ImageGeneration.slerp(a, b, 1)[1]).isCloseTo(3f, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void aGifAnimationLoopsForeverWithEveryFrame() throws IOException {
        ImageGeneration.AnimationRequest r = new ImageGeneration.AnimationRequest("icons", 3, 9, 12, 7, null, 1f,
                "gif");
        ImageGeneration.Made a = ImageGeneration.animate(studio, r);
        byte[] first = bytes(a);
        ImageGeneration.Made again = ImageGeneration.animate(studio, r);
        assertThat(bytes(again)).isEqualTo(first);
        assertThat(a.saved().file().getFileName().toString()).endsWith(".gif");
        try (ImageInputStream in = ImageIO.createImageInputStream(a.saved().file().toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(9);
            assertThat(reader.read(8).getWidth()).isEqualTo(16);
            IIOMetadata meta = reader.getImageMetadata(0);
            Node root = meta.getAsTree("javax_imageio_gif_image_1.0");
            Node loop = find(root, "ApplicationExtension");
            assertThat(loop).isNotNull();
            byte[] user = (byte[]) ((javax.imageio.metadata.IIOMetadataNode) loop).getUserObject();
            assertThat(user[1] & 0xFF | (user[2] & 0xFF) << 8).isEqualTo(0); // loop count 0: forever
            reader.dispose();
        }
        assertThat(a.saved().manifest().settings()).containsEntry("frames", 9).containsKey("keyframes");
    }

    @Test
    void anApngAnimationDeclaresEveryFrameAndLoopsForever() throws IOException {
        ImageGeneration.Made a = ImageGeneration.animate(studio, new ImageGeneration.AnimationRequest("icons", 2, 6, 10,
                7, "tiles", 1f, "apng"));
        byte[] png = bytes(a);
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(16); // opens as a still, too
        int at = 8;
        int frames = -1;
        int plays = -1;
        while (at < png.length) {
            int length = ByteBuffer.wrap(png, at, 4).getInt();
            String type = new String(png, at + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("acTL")) {
                frames = ByteBuffer.wrap(png, at + 8, 4).getInt();
                plays = ByteBuffer.wrap(png, at + 12, 4).getInt();
            }
            at += 12 + length;
        }
        assertThat(frames).isEqualTo(6);
        assertThat(plays).isZero();
        assertThatThrownBy(() -> ImageGeneration.animate(studio, new ImageGeneration.AnimationRequest("icons", 1, 6, 10,
                7, null, 1f, "gif"))).isInstanceOf(UsageException.class).hasMessageContaining("--keyframes");
        assertThatThrownBy(() -> ImageGeneration.animate(studio, new ImageGeneration.AnimationRequest("icons", 2, 6, 10,
                7, null, 1f, "webp"))).isInstanceOf(UsageException.class).hasMessageContaining("--format");
    }

    @Test
    void scoringMeasuresAgainstTheCorpusWithItsOwnFeatureNetwork() {
        List<String> progress = new java.util.ArrayList<>();
        ImageScoring.Score s = ImageScoring.score(ws, "icons", null, 24, 40, progress::add);
        assertThat(s.generated()).isEqualTo(24);
        assertThat(s.corpus()).isEqualTo(24);
        assertThat(s.kid().mean()).isFinite();
        assertThat(s.precisionRecall().precision()).isBetween(0.0, 1.0);
        assertThat(s.generatedToTraining().median()).isBetween(0.0, 255.0);
        assertThat(s.heldOutToTraining()).isNotNull();
        assertThat(progress).anyMatch(m -> m.contains("drawing 24 pictures"));
        // the ruler is made once: a second score reads it from the cache and measures the same
        ImageScoring.Score again = ImageScoring.score(ws, "icons", null, 24, 40, m -> { });
        assertThat(again.kid()).isEqualTo(s.kid());
        assertThat(again.precisionRecall()).isEqualTo(s.precisionRecall());
    }

    @Test
    void theFeatureNetworkLearnsToSeeRotations(@TempDir Path cache) throws IOException {
        List<Picture> pictures = new java.util.ArrayList<>();
        Path icons = ImageTrainingTest.draw(cache.resolve("corpus"));
        for (art.atelier.corpus.ImageCorpus.Item item : art.atelier.corpus.ImageCorpus.load(icons,
                new art.atelier.corpus.ImageCorpus.Options(16, art.atelier.corpus.ImageCorpus.Fit.PAD, 3),
                art.atelier.corpus.BadFilePolicy.STOP).pictures()) {
            pictures.add(item.picture());
        }
        try (art.atelier.image.quality.FeatureNet f = art.atelier.image.quality.FeatureNet.forCorpus(
                cache.resolve("net"), pictures, 60, s -> { })) {
            List<Double> losses = f.trainingLosses();
            double first = losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double last = losses.subList(50, 60).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(first).isGreaterThan(1.2); // about ln 4 at the start
            assertThat(last).isLessThan(first * 0.7);
            assertThat(f.features(pictures.subList(0, 3))).hasDimensions(3, art.atelier.image.quality.FeatureNet.FEATURES);
        }
    }

    private static Node find(Node n, String name) {
        if (n.getNodeName().equals(name)) {
            return n;
        }
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node f = find(c, name);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> settings(ImageGeneration.Made m) {
        return m.saved().manifest().settings();
    }
}
