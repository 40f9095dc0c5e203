package art.atelier.image.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import art.atelier.util.Rng;
import org.junit.jupiter.api.Test;

class QualityTest {

    /** n points, each coordinate drawn from N(shift, 1). */
    private static float[][] gaussian(int n, int d, double shift, long seed) {
        Rng rng = new Rng(seed);
        float[][] out = new float[n][d];
        for (float[] row : out) {
            for (int t = 0; t < d; t++) {
                row[t] = (float) (shift + rng.nextGaussian());
            }
        }
        return out;
    }

    /** The unbiased MMD² with the KID kernel, written out directly from the definition. */
    private static double naiveMmd2(float[][] x, float[][] y) {
        int m = x.length;
        int d = x[0].length;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    xx += naiveKernel(x[i], x[j], d);
                    yy += naiveKernel(y[i], y[j], d);
                }
                xy += naiveKernel(x[i], y[j], d);
            }
        }
        return xx / (m * (m - 1.0)) + yy / (m * (m - 1.0)) - 2 * xy / ((double) m * m);
    }

    private static double naiveKernel(float[] a, float[] b, int d) {
        double dot = 0;
        for (int t = 0; t < d; t++) {
            dot += (double) a[t] * b[t];
        }
        return Math.pow(dot / d + 1, 3);
    }

    // ---- KID ----

    @Test
    void kidIsNearZeroForOneDistributionAndGrowsWithTheShift() {
        int d = 16;
        float[][] real = gaussian(400, d, 0, 1);
        double[] shifts = {0, 0.5, 1, 2};
        double[] kid = new double[shifts.length];
        for (int s = 0; s < shifts.length; s++) {
            Kid.Result r = Kid.of(real, gaussian(400, d, shifts[s], 100 + s), 10, 200, 7);
            assertThat(r.subsets()).isEqualTo(10);
            assertThat(r.subsetSize()).isEqualTo(200);
            assertThat(r.std()).isGreaterThan(0);
            kid[s] = r.mean();
        }
        assertThat(Math.abs(kid[0])).isLessThan(kid[1] / 20);
        assertThat(kid[1]).isLessThan(kid[2]);
        assertThat(kid[2]).isLessThan(kid[3]);
    }

    @Test
    void kidOfAHandCheckableCase() {
        // d = 1, k(x, y) = (xy + 1)³; X = {1, 2}, Y = {-1, -2}:
        // k(1, 2) = 27 and k(-1, -2) = 27 (each the mean over its two ordered pairs);
        // cross k(1,-1) = 0, k(1,-2) = -1, k(2,-1) = -1, k(2,-2) = -27: mean -7.25;
        // MMD² = 27 + 27 - 2·(-7.25) = 68.5
        float[][] x = {{1}, {2}};
        float[][] y = {{-1}, {-2}};
        Kid.Result r = Kid.of(x, y, 1, 1000, 0);
        assertThat(r.mean()).isEqualTo(68.5);
        assertThat(r.std()).isZero();
        assertThat(r.subsetSize()).isEqualTo(2);
    }

    @Test
    void kidOfWholeSetsMatchesTheDirectFormula() {
        // one subset as large as both sets draws the sets whole, only in another order
        float[][] x = gaussian(37, 7, 0, 3);
        float[][] y = gaussian(37, 7, 0.3, 4);
        Kid.Result r = Kid.of(x, y, 1, 37, 11);
        double expected = naiveMmd2(x, y);
        assertThat(r.mean()).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
        // several subsets of the whole sets all give that value
        Kid.Result many = Kid.of(x, y, 5, 50, 12);
        assertThat(many.subsetSize()).isEqualTo(37);
        assertThat(many.mean()).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
        assertThat(many.std()).isLessThan(1e-12);
    }

    @Test
    void kidIsDeterministicForASeed() {
        float[][] x = gaussian(120, 9, 0, 5);
        float[][] y = gaussian(90, 9, 0.2, 6);
        Kid.Result a = Kid.of(x, y, 8, 50, 42);
        Kid.Result b = Kid.of(x, y, 8, 50, 42);
        assertThat(b).isEqualTo(a);
        assertThat(Kid.of(x, y, 8, 50, new Rng(42))).isEqualTo(a);
        assertThat(Kid.of(x, y, 8, 50, 43).mean()).isNotEqualTo(a.mean());
    }

    @Test
    void kidRefusesBadInput() {
        float[][] ok = gaussian(10, 4, 0, 1);
        assertThatThrownBy(() -> Kid.of(new float[0][], ok, 2, 5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kid.of(ok, new float[0][], 2, 5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kid.of(ok, gaussian(10, 5, 0, 2), 2, 5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension");
        assertThatThrownBy(() -> Kid.of(ok, new float[][] {{1, 2, 3, 4}, {1, 2, 3}}, 2, 5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kid.of(ok, new float[][] {{1, 2, 3, 4}}, 2, 5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kid.of(ok, new float[][] {{1, 2, 3, Float.NaN}, {1, 2, 3, 4}}, 2, 5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kid.of(ok, ok, 0, 5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kid.of(ok, ok, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- precision and recall ----

    @Test
    void identicalSetsHaveFullPrecisionAndRecall() {
        float[][] real = gaussian(300, 8, 0, 8);
        float[][] copy = new float[real.length][];
        for (int i = 0; i < real.length; i++) {
            copy[i] = real[i].clone();
        }
        PrecisionRecall.Result r = PrecisionRecall.of(real, copy);
        assertThat(r.precision()).isEqualTo(1.0);
        assertThat(r.recall()).isEqualTo(1.0);
        assertThat(r.k()).isEqualTo(PrecisionRecall.DEFAULT_K);
    }

    @Test
    void aCollapsedGeneratorIsPreciseButRecallsOneModeOfTwo() {
        int d = 4;
        float[][] modeA = gaussian(300, d, 20, 21);
        float[][] modeB = gaussian(300, d, -20, 22);
        float[][] real = new float[600][];
        System.arraycopy(modeA, 0, real, 0, 300);
        System.arraycopy(modeB, 0, real, 300, 300);
        float[][] fake = gaussian(600, d, 20, 23); // everything in mode A
        PrecisionRecall.Result r = PrecisionRecall.of(real, fake, 3);
        assertThat(r.precision()).isGreaterThan(0.9);
        assertThat(r.recall()).isBetween(0.4, 0.5);
    }

    @Test
    void aFarAwayGeneratorHasNeitherPrecisionNorRecall() {
        PrecisionRecall.Result r = PrecisionRecall.of(gaussian(200, 6, 0, 31), gaussian(200, 6, 50, 32), 5);
        assertThat(r.precision()).isZero();
        assertThat(r.recall()).isZero();
        assertThat(r.k()).isEqualTo(5);
    }

    @Test
    void precisionRecallIsDeterministicAndRefusesBadInput() {
        float[][] real = gaussian(150, 5, 0, 41);
        float[][] fake = gaussian(150, 5, 0.7, 42);
        PrecisionRecall.Result a = PrecisionRecall.of(real, fake, 3);
        assertThat(PrecisionRecall.of(real, fake, 3)).isEqualTo(a);
        assertThat(a.precision()).isStrictlyBetween(0.0, 1.0);
        assertThat(a.recall()).isStrictlyBetween(0.0, 1.0);

        assertThatThrownBy(() -> PrecisionRecall.of(new float[0][], fake, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrecisionRecall.of(real, gaussian(150, 6, 0, 1), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension");
        assertThatThrownBy(() -> PrecisionRecall.of(real, fake, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrecisionRecall.of(real, gaussian(3, 5, 0, 1), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- nearest neighbours ----

    @Test
    void nearestFindsExactCopiesAndOtherwiseTheTrueNearest() {
        float[][] training = gaussian(60, 12, 0, 51);
        float[][] fresh = gaussian(20, 12, 0, 52);
        float[][] generated = new float[22][];
        System.arraycopy(fresh, 0, generated, 0, 20);
        generated[20] = training[17].clone();
        generated[21] = training[3].clone();

        Nearest.Match[] m = Nearest.of(generated, training);
        assertThat(m).hasSize(22);
        assertThat(m[20]).isEqualTo(new Nearest.Match(17, 0.0));
        assertThat(m[21]).isEqualTo(new Nearest.Match(3, 0.0));
        for (int g = 0; g < 20; g++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < training.length; j++) {
                double s = 0;
                for (int t = 0; t < 12; t++) {
                    double e = (double) generated[g][t] - training[j][t];
                    s += e * e;
                }
                if (s < bestD) {
                    bestD = s;
                    best = j;
                }
            }
            assertThat(m[g].index()).isEqualTo(best);
            assertThat(m[g].distance()).isCloseTo(Math.sqrt(bestD), within(1e-12)).isPositive();
        }

        Nearest.Summary s = Nearest.summarize(m);
        assertThat(s.min()).isZero();
        assertThat(s.median()).isPositive();
        assertThat(s.mean()).isPositive();
    }

    @Test
    void nearestBreaksTiesTowardsTheLowerIndex() {
        float[][] training = {{5, 5}, {1, 1}, {1, 1}};
        assertThat(Nearest.of(new float[][] {{1, 1}}, training)[0]).isEqualTo(new Nearest.Match(1, 0.0));
        assertThat(Nearest.of(new float[][] {{4, 1}}, training)[0]).isEqualTo(new Nearest.Match(1, 3.0));
    }

    @Test
    void summaryOfKnownDistances() {
        Nearest.Match[] m = {
            new Nearest.Match(0, 3), new Nearest.Match(1, 1), new Nearest.Match(2, 2), new Nearest.Match(3, 10)
        };
        assertThat(Nearest.summarize(m)).isEqualTo(new Nearest.Summary(1, 2.5, 4));
        assertThatThrownBy(() -> Nearest.summarize(new Nearest.Match[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rmsPixelDistanceOnTheByteScale() {
        byte[] a = {0, 0, 0, 0};
        assertThat(Nearest.rmsPixelDistance(a, a.clone())).isZero();
        assertThat(Nearest.rmsPixelDistance(a, new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255}))
                .isEqualTo(255.0);
        assertThat(Nearest.rmsPixelDistance(a, new byte[] {3, 4, 0, 0})).isEqualTo(2.5); // sqrt(25 / 4)
        // bytes are unsigned: 200 and 100 are 100 apart, not 156
        assertThat(Nearest.rmsPixelDistance(new byte[] {(byte) 200}, new byte[] {100})).isEqualTo(100.0);

        assertThatThrownBy(() -> Nearest.rmsPixelDistance(a, new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nearest.rmsPixelDistance(new byte[0], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestRefusesBadInput() {
        float[][] ok = gaussian(5, 3, 0, 1);
        assertThatThrownBy(() -> Nearest.of(new float[0][], ok)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nearest.of(ok, new float[0][])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nearest.of(ok, gaussian(5, 4, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension");
        assertThatThrownBy(() -> Nearest.of(new float[][] {{}}, new float[][] {{}}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
