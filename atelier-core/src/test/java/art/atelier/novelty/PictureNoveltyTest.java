package art.atelier.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import art.atelier.AtelierException;
import art.atelier.image.Picture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PictureNoveltyTest {

    private static final int SIZE = 64;
    private static List<Picture> training;
    private static List<String> names;
    private static PictureNovelty index;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildIndex() {
        training = new ArrayList<>();
        names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            training.add(Fixtures.painting(SIZE, SIZE, 1000 + i));
            names.add("style/painting-" + i + ".png");
        }
        index = PictureNovelty.build(names, training);
    }

    private static Picture uniform(int w, int h, int channels, int... value) {
        byte[] px = new byte[w * h * channels];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) value[i % channels];
        }
        return new Picture(w, h, channels, px);
    }

    /** Every pixel repeated k × k times: the same picture, k times larger. */
    private static Picture enlarged(Picture p, int k) {
        int w = p.width() * k;
        int h = p.height() * k;
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(p.pixels(), ((y / k) * p.width() + x / k) * 3, px, (y * w + x) * 3, 3);
            }
        }
        return new Picture(w, h, 3, px);
    }

    @Test
    void featuresAreAreaAveragesOfTheCentreOverWhite() {
        // 72 wide: the left half black, the right half white; the thumbnail's columns 0-17 are black
        byte[] px = new byte[72 * 10];
        for (int y = 0; y < 10; y++) {
            Arrays.fill(px, y * 72 + 36, y * 72 + 72, (byte) 255);
        }
        double[] f = PictureFeatures.of(new Picture(72, 10, 1, px));
        assertThat(f).hasSize(PictureFeatures.LENGTH);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    assertThat(f[(c * 8 + y) * 8 + x]).isCloseTo(x < 4 ? 0.0 : 1.0, offset(1e-12));
                }
            }
        }
        // transparent is white; half-transparent black is mid-grey
        assertThat(PictureFeatures.of(uniform(5, 7, 4, 0, 0, 0, 0))).containsOnly(1.0);
        assertThat(Arrays.stream(PictureFeatures.of(uniform(5, 7, 4, 0, 0, 0, 128))).boxed())
                .allSatisfy(v -> assertThat(v).isCloseTo(127 / 255.0, offset(1e-12)));
        // the same picture at twice the size has the same features
        Picture p = training.get(3);
        double[] big = PictureFeatures.of(enlarged(p, 2));
        double[] small = PictureFeatures.of(p);
        for (int i = 0; i < big.length; i++) {
            assertThat(big[i]).isCloseTo(small[i], offset(1e-12));
        }
        assertThat(PictureFeatures.distance(PictureFeatures.of(uniform(3, 3, 3, 0, 0, 0)),
                PictureFeatures.of(uniform(3, 3, 3, 255, 255, 255)))).isCloseTo(Math.sqrt(192), offset(1e-12));
    }

    @Test
    void viewsSeeAWorkUpToASmallMove() {
        double[][] views = PictureFeatures.views(training.get(5));
        assertThat(views).hasNumberOfRows(PictureFeatures.VIEW_COUNT);
        assertThat(views[0]).isEqualTo(PictureFeatures.of(training.get(5)));
        double[] original = PictureFeatures.of(training.get(5));
        Picture moved = Fixtures.shifted(training.get(5), 3, -2);
        double plain = PictureFeatures.distance(PictureFeatures.of(moved), original);
        double tolerant = PictureFeatures.distance(PictureFeatures.views(moved), original);
        assertThat(tolerant).isLessThan(plain / 3);
    }

    @Test
    void perceptualHashesOfLookalikesAreFewBitsApart() {
        Picture p = training.get(8);
        long h = PerceptualHash.of(p);
        assertThat(h & 1L).isZero(); // the DC term's bit
        assertThat(PerceptualHash.hamming(h, PerceptualHash.of(enlarged(p, 2)))).isLessThanOrEqualTo(2);
        // the negative flips every coefficient about the median, but the median itself: 62 bits
        byte[] neg = p.pixels().clone();
        for (int i = 0; i < neg.length; i++) {
            neg[i] = (byte) (255 - (neg[i] & 0xFF));
        }
        assertThat(PerceptualHash.hamming(h, PerceptualHash.of(new Picture(SIZE, SIZE, 3, neg)))).isEqualTo(62);
        assertThat(PerceptualHash.of(uniform(9, 4, 3, 10, 200, 30))).isZero();
        int closest = 64;
        for (int i = 0; i < training.size(); i++) {
            for (int j = i + 1; j < training.size(); j++) {
                closest = Math.min(closest, PerceptualHash.hamming(PerceptualHash.of(training.get(i)),
                        PerceptualHash.of(training.get(j))));
            }
        }
        assertThat(closest).isGreaterThan(PictureNovelty.NEAR_DUPLICATE_BITS);
    }

    @Test
    void anExactCopyHasNoveltyZero() {
        PictureNovelty.Score s = index.score(training.get(17));
        assertThat(s.novelty()).isZero();
        assertThat(s.distance()).isZero();
        assertThat(s.nearest()).isEqualTo("style/painting-17.png");
        assertThat(s.hashNearest()).isEqualTo("style/painting-17.png");
        assertThat(s.hashDistance()).isZero();
        assertThat(s.nearDuplicate()).isTrue();
        assertThat(s.typicalDistance()).isEqualTo(index.typicalDistance()).isPositive();
    }

    @Test
    void aShiftedCropOfATrainingPictureIsFlagged() {
        for (int i = 0; i < training.size(); i++) {
            Picture p = training.get(i);
            for (Picture work : List.of(Fixtures.crop(p, 3, 1, SIZE - 4, SIZE - 3), Fixtures.shifted(p, -2, 3),
                    Fixtures.crop(p, 0, 4, SIZE - 2, SIZE - 5))) {
                PictureNovelty.Score s = index.score(work);
                assertThat(s.nearDuplicate() || s.novelty() < 0.2).as("painting %d: %s", i, s).isTrue();
                assertThat(s.nearest()).isEqualTo(names.get(i));
            }
        }
    }

    @Test
    void freshPicturesHaveNoveltyNearOne() {
        double sum = 0;
        int n = 20;
        for (int i = 0; i < n; i++) {
            PictureNovelty.Score s = index.score(Fixtures.painting(SIZE, SIZE, 7000 + i));
            assertThat(s.nearDuplicate()).isFalse();
            assertThat(s.novelty()).isGreaterThan(0.5);
            sum += s.novelty();
        }
        assertThat(sum / n).isGreaterThan(0.9);
        // something else altogether
        assertThat(index.score(uniform(40, 30, 1, 0)).novelty()).isEqualTo(1.0);
    }

    @Test
    void thePrunedSearchFindsWhatAnExhaustiveOneFinds() {
        for (int k = 0; k < 12; k++) {
            Picture work = k % 3 == 0 ? Fixtures.painting(SIZE, SIZE, 800 + k)
                    : Fixtures.shifted(training.get(k), k % 4 - 2, 2 - k % 5);
            double[][] views = PictureFeatures.views(work);
            double best = Double.POSITIVE_INFINITY;
            int at = -1;
            for (int j = 0; j < training.size(); j++) {
                double d = PictureFeatures.distance(views, PictureFeatures.of(training.get(j)));
                if (d < best) {
                    best = d;
                    at = j;
                }
            }
            PictureNovelty.Score s = index.score(work);
            assertThat(s.distance()).isCloseTo(best, offset(1e-12));
            assertThat(s.nearest()).isEqualTo(names.get(at));
        }
        // the typical distance: the median of each training picture's nearest other
        double[] nearest = new double[training.size()];
        for (int i = 0; i < training.size(); i++) {
            double[][] views = PictureFeatures.views(training.get(i));
            nearest[i] = Double.POSITIVE_INFINITY;
            for (int j = 0; j < training.size(); j++) {
                if (j != i) {
                    nearest[i] = Math.min(nearest[i], PictureFeatures.distance(views, PictureFeatures.of(training.get(j))));
                }
            }
        }
        assertThat(index.typicalDistance()).isCloseTo(art.atelier.util.Stats.median(nearest), offset(1e-12));
    }

    @Test
    void saveThenLoadGivesIdenticalScores() throws IOException {
        Path file = dir.resolve("pictures.novelty");
        index.save(file);
        PictureNovelty back = PictureNovelty.load(file);
        assertThat(back.size()).isEqualTo(40);
        assertThat(back.typicalDistance()).isEqualTo(index.typicalDistance());
        for (Picture work : List.of(training.get(0), Fixtures.shifted(training.get(9), 1, 1),
                Fixtures.painting(48, 80, 4242))) {
            assertThat(back.score(work)).isEqualTo(index.score(work));
        }
    }

    @Test
    void aForeignOrCorruptFileIsRefusedByName() throws IOException {
        Path text = dir.resolve("text.novelty");
        TextNovelty.build(List.of("a text")).save(text);
        assertThatThrownBy(() -> PictureNovelty.load(text)).isInstanceOf(AtelierException.class)
                .hasMessage(text + " is a text novelty index, not a picture one");
        Path file = dir.resolve("pictures.novelty");
        index.save(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> PictureNovelty.load(file)).isInstanceOf(AtelierException.class)
                .hasMessage(file + " is corrupt or truncated: its checksum does not match");
    }

    @Test
    void buildingNeedsTwoPicturesAndANameForEach() {
        assertThatThrownBy(() -> PictureNovelty.build(List.of("a"), List.of(training.get(0))))
                .isInstanceOf(AtelierException.class)
                .hasMessage("a picture novelty index needs at least two training pictures, got 1");
        assertThatThrownBy(() -> PictureNovelty.build(List.of("a"), training.subList(0, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("1 names for 2 pictures");
        // two identical pictures: the typical distance is 0, so only an exact copy scores 0
        PictureNovelty twins = PictureNovelty.build(List.of("a", "b"), List.of(training.get(0), training.get(0)));
        assertThat(twins.typicalDistance()).isZero();
        assertThat(twins.score(training.get(0)).novelty()).isZero();
        assertThat(twins.score(training.get(1)).novelty()).isEqualTo(1.0);
    }

    @Test
    void aSharedHashAloneIsNotADuplicateWhenTheFeaturesDisagree() {
        Picture original = training.get(5);
        // the same shapes in the complementary colours of the same brightness (each channel reflected about
        // the pixel's grey level): the grey-level hash cannot tell them apart
        byte[] px = original.pixels().clone();
        for (int i = 0; i < px.length; i += 3) {
            double grey = 0.299 * (px[i] & 0xFF) + 0.587 * (px[i + 1] & 0xFF) + 0.114 * (px[i + 2] & 0xFF);
            for (int k = 0; k < 3; k++) {
                px[i + k] = (byte) Math.max(0, Math.min(255, Math.round(2 * grey - (px[i + k] & 0xFF))));
            }
        }
        Picture recoloured = new Picture(original.width(), original.height(), 3, px);
        PictureNovelty.Score s = index.score(recoloured);
        long a = PerceptualHash.of(original);
        long b = PerceptualHash.of(recoloured);
        assertThat(PerceptualHash.hamming(a, b)).isLessThanOrEqualTo(PictureNovelty.NEAR_DUPLICATE_BITS);
        double far = PictureFeatures.distance(PictureFeatures.views(recoloured), PictureFeatures.of(original));
        assertThat(far).isGreaterThan(s.typicalDistance()); // in colour, far from the original
        assertThat(s.nearDuplicate()).isFalse();
        assertThat(s.novelty()).isGreaterThan(0.2);
    }
}
