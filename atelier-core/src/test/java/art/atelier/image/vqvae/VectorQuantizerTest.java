package art.atelier.image.vqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import art.atelier.nn.Compute;
import art.atelier.util.Rng;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The vector quantizer's arithmetic, checked against the same formulas computed in plain Java on
 * small hand-made codebooks and batches.
 */
class VectorQuantizerTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        Compute.init();
        manager = Compute.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** The tiny preset with the quantizer's numbers changed. */
    private static VqVaeConfig config(int codes, int dim, float beta, float decay, float threshold, boolean kmeans) {
        VqVaeConfig t = VqVaeConfig.of(VqVaeConfig.TINY, 16, 3, 1, codes, 4);
        return new VqVaeConfig(t.preset(), t.size(), t.channels(), t.hidden(), t.residualHidden(),
                t.residualBlocks(), t.downsample(), codes, dim, beta, decay, threshold, kmeans, t.prior());
    }

    private VectorQuantizer quantizer(VqVaeConfig c) {
        VectorQuantizer q = new VectorQuantizer(c);
        q.initialize(manager, DataType.FLOAT32, new Shape(1, c.codeDim(), c.grid(), c.grid()));
        return q;
    }

    /**
     * Sets the codebook to exactly these rows (in an order the generator picks; the quantizer must
     * not run k-means) and reads it back.
     */
    private float[][] setCodebook(VectorQuantizer q, float[][] rows) {
        q.initializeFrom(manager.create(rows), new Rng(0));
        float[][] book = rowsOf(q.codebook());
        List<float[]> given = new ArrayList<>(Arrays.asList(rows));
        List<float[]> got = new ArrayList<>(Arrays.asList(book));
        Comparator<float[]> order = Arrays::compare;
        given.sort(order);
        got.sort(order);
        for (int i = 0; i < rows.length; i++) {
            assertThat(got.get(i)).as("the codebook holds the rows given").containsExactly(given.get(i));
        }
        return book;
    }

    private static float[][] rowsOf(NDArray a) {
        int n = (int) a.getShape().get(0);
        int d = (int) a.getShape().get(1);
        float[] v = a.toFloatArray();
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(v, i * d, rows[i], 0, d);
        }
        return rows;
    }

    private static float[][] gaussian(Rng rng, int n, int d, double scale) {
        float[][] rows = new float[n][d];
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (rng.nextGaussian() * scale);
            }
        }
        return rows;
    }

    /** Encoder outputs laid out as the encoder makes them, (B, D, g, g), from vectors in (b, y, x) order. */
    private NDArray asMaps(float[][] vectors, int b, int g) {
        int d = vectors[0].length;
        float[] out = new float[b * d * g * g];
        for (int i = 0; i < vectors.length; i++) {
            int bi = i / (g * g);
            int pos = i % (g * g);
            for (int j = 0; j < d; j++) {
                out[(bi * d + j) * g * g + pos] = vectors[i][j];
            }
        }
        return manager.create(out, new Shape(b, d, g, g));
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = (double) a[j] - b[j];
            s += t * t;
        }
        return s;
    }

    /** @return the index of the nearest row of the book, the lowest on ties */
    private static int bruteNearest(float[] v, float[][] book) {
        int best = 0;
        for (int k = 1; k < book.length; k++) {
            if (distance(v, book[k]) < distance(v, book[best])) {
                best = k;
            }
        }
        return best;
    }

    /** Mean over vectors of the squared distance to the nearest row of the book. */
    private static double quantizationError(float[][] vectors, float[][] book) {
        double s = 0;
        for (float[] v : vectors) {
            s += distance(v, book[bruteNearest(v, book)]);
        }
        return s / vectors.length;
    }

    @Test
    void everyVectorGetsItsNearestCodeInTheEncodersLayout() {
        int k = 16;
        int d = 4;
        VectorQuantizer q = quantizer(config(k, d, 0.25f, 0.99f, 1f, false));
        Rng rng = new Rng(11);
        float[][] rows = gaussian(rng, k, d, 1);
        rows[9] = rows[3].clone(); // two equal codes: ties go to the lower index
        float[][] book = setCodebook(q, rows);
        int b = 3;
        int g = 4;
        float[][] vectors = gaussian(rng, b * g * g, d, 1.5);
        vectors[5] = rows[3].clone(); // exactly on the doubled code
        VectorQuantizer.Quantized quantized = q.quantize(asMaps(vectors, b, g));
        assertThat(quantized.codes().getShape()).isEqualTo(new Shape(b, g, g));
        assertThat(quantized.flat().getShape()).isEqualTo(new Shape(b * g * g, d));
        float[] flat = new float[vectors.length * d];
        for (int i = 0; i < vectors.length; i++) {
            System.arraycopy(vectors[i], 0, flat, i * d, d);
        }
        assertThat(quantized.flat().toFloatArray()).containsExactly(flat);
        long[] codes = quantized.codes().toLongArray();
        int ties = 0;
        for (int i = 0; i < vectors.length; i++) {
            int expected = bruteNearest(vectors[i], book);
            double best = distance(vectors[i], book[expected]);
            int runnerUp = -1;
            for (int c = 0; c < k; c++) {
                if (c != expected && (runnerUp < 0 || distance(vectors[i], book[c]) < distance(vectors[i],
                        book[runnerUp]))) {
                    runnerUp = c;
                }
            }
            double gap = distance(vectors[i], book[runnerUp]) - best;
            if (gap > 1e-4 || Arrays.equals(book[expected], book[runnerUp])) {
                assertThat(codes[i]).as("vector %d", i).isEqualTo(expected);
            } else { // a near tie that float rounding may settle either way
                ties++;
                assertThat(distance(vectors[i], book[(int) codes[i]])).isCloseTo(best, within(1e-4));
            }
        }
        assertThat(ties).isLessThan(3);
        // the doubled code: the vector on it takes the lower of its two indices
        int low = -1;
        for (int c = 0; c < k; c++) {
            if (Arrays.equals(book[c], rows[3])) {
                low = low < 0 ? c : low;
            }
        }
        assertThat(codes[5]).isEqualTo(low);
        // nearest() on the flat vectors agrees with quantize()
        assertThat(q.nearest(quantized.flat(), manager).toLongArray()).containsExactly(codes);
        // lookup() gives back the codes' vectors, (…, D)
        NDArray looked = q.lookup(quantized.codes());
        assertThat(looked.getShape()).isEqualTo(new Shape(b, g, g, d));
        float[] lv = looked.toFloatArray();
        for (int i = 0; i < vectors.length; i++) {
            assertThat(Arrays.copyOfRange(lv, i * d, i * d + d)).containsExactly(book[(int) codes[i]]);
        }
    }

    @Test
    void theStraightThroughOutputHasTheCodesValueAndPassesTheGradientToTheEncoderOutput() {
        int k = 8;
        int d = 3;
        VectorQuantizer q = quantizer(config(k, d, 0.25f, 0.99f, 1f, false));
        Rng rng = new Rng(5);
        float[][] book = setCodebook(q, gaussian(rng, k, d, 1));
        int b = 2;
        int g = 4;
        float[][] vectors = gaussian(rng, b * g * g, d, 1);
        NDArray ze = asMaps(vectors, b, g);
        ze.setRequiresGradient(true);
        float[] target = ze.toFloatArray().clone();
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) rng.nextGaussian();
        }
        NDArray t = manager.create(target, ze.getShape());
        float[] st;
        long[] codes;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            VectorQuantizer.Quantized quantized = q.quantize(ze);
            NDArray out = quantized.straightThrough();
            NDArray loss = out.sub(t).square().sum(); // dL/d(out) = 2 (out − t)
            collector.backward(loss);
            assertThat(out.getShape()).isEqualTo(ze.getShape());
            st = out.toFloatArray();
            codes = quantized.codes().toLongArray();
        }
        float[] gradient = ze.getGradient().toFloatArray();
        int plane = g * g;
        for (int bi = 0; bi < b; bi++) {
            for (int pos = 0; pos < plane; pos++) {
                int code = (int) codes[bi * plane + pos];
                assertThat(code).isEqualTo(bruteNearest(vectors[bi * plane + pos], book));
                for (int j = 0; j < d; j++) {
                    int at = (bi * d + j) * plane + pos;
                    // in value the code's vector (z + (e − z) rounds to within an ulp or two of e)
                    assertThat(st[at]).isCloseTo(book[code][j], within(1e-5f));
                    // in gradient the identity: what reaches z_e is what reached the output
                    assertThat(gradient[at]).isCloseTo(2 * (st[at] - target[at]), within(1e-4f));
                }
            }
        }
        double norm = 0;
        for (float v : gradient) {
            norm += v * v;
        }
        assertThat(norm).as("a gradient reached z_e").isGreaterThan(1);
    }

    @Test
    void theCommitmentLossIsBetaTimesTheMeanSquaredDistanceToTheCodes() {
        int k = 8;
        int d = 3;
        float beta = 0.37f;
        VectorQuantizer q = quantizer(config(k, d, beta, 0.99f, 1f, false));
        Rng rng = new Rng(8);
        float[][] book = setCodebook(q, gaussian(rng, k, d, 1));
        int b = 2;
        int g = 2;
        float[][] vectors = gaussian(rng, b * g * g, d, 1);
        NDArray ze = asMaps(vectors, b, g);
        ze.setRequiresGradient(true);
        float commitment;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray c = q.quantize(ze).commitment();
            collector.backward(c);
            commitment = c.getFloat();
        }
        double sum = 0;
        for (float[] v : vectors) {
            sum += distance(v, book[bruteNearest(v, book)]);
        }
        int values = vectors.length * d;
        assertThat((double) commitment).isCloseTo(beta * sum / values, within(1e-5 * Math.max(1, sum)));
        // its gradient is 2β(z_e − e)/n: it pulls z_e towards its code, and e is held still
        float[] gradient = ze.getGradient().toFloatArray();
        int plane = g * g;
        for (int i = 0; i < vectors.length; i++) {
            float[] e = book[bruteNearest(vectors[i], book)];
            for (int j = 0; j < d; j++) {
                int at = ((i / plane) * d + j) * plane + i % plane;
                assertThat(gradient[at]).isCloseTo(2 * beta * (vectors[i][j] - e[j]) / values, within(1e-6f));
            }
        }
    }

    @Test
    void theMovingAveragesFollowTheirFormulaWhenNoCodeIsDead() {
        int k = 4;
        int d = 3;
        float decay = 0.8f;
        VectorQuantizer q = quantizer(config(k, d, 0.25f, decay, 0.5f, false));
        float[][] book = setCodebook(q, new float[][] {{5, 0, 0}, {0, 5, 0}, {0, 0, 5}, {-5, -5, -5}});
        Rng rng = new Rng(21);
        for (int[] counts : new int[][] {{1, 3, 5, 7}, {6, 2, 4, 4}}) { // two steps: the averages accumulate
            float[] size = q.clusterSize().toFloatArray();
            float[][] sum = rowsOf(q.getParameters().get("embed_sum").getArray());
            List<float[]> vectors = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < counts[c]; i++) {
                    float[] v = book[c].clone();
                    for (int j = 0; j < d; j++) {
                        v[j] += (float) (rng.nextGaussian() * 0.5);
                    }
                    vectors.add(v);
                    owners.add(c);
                }
            }
            VectorQuantizer.Quantized quantized = q.quantize(asMaps(vectors.toArray(new float[0][]), 1, 4));
            assertThat(quantized.codes().toLongArray()).containsExactly(owners.stream().mapToLong(i -> i).toArray());
            int restarted = q.update(quantized, rng).restarted();
            assertThat(restarted).isZero();
            // N ← γN + (1−γ)n, m ← γm + (1−γ)Σz, e = m / N, N Laplace-smoothed
            double[] n = new double[k];
            double[][] m = new double[k][d];
            double total = 0;
            for (int c = 0; c < k; c++) {
                n[c] = decay * size[c] + (1 - decay) * counts[c];
                total += n[c];
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int i = 0; i < vectors.size(); i++) {
                        s += owners.get(i) == c ? vectors.get(i)[j] : 0;
                    }
                    m[c][j] = decay * sum[c][j] + (1 - decay) * s;
                }
            }
            float[] newSize = q.clusterSize().toFloatArray();
            float[][] newSum = rowsOf(q.getParameters().get("embed_sum").getArray());
            book = rowsOf(q.codebook());
            for (int c = 0; c < k; c++) {
                assertThat((double) newSize[c]).as("N_%d", c).isCloseTo(n[c], within(1e-5));
                double smoothed = (n[c] + 1e-5) / (total + k * 1e-5) * total;
                for (int j = 0; j < d; j++) {
                    assertThat((double) newSum[c][j]).as("m_%d", c).isCloseTo(m[c][j], within(1e-4));
                    assertThat((double) book[c][j]).as("e_%d", c).isCloseTo(m[c][j] / smoothed, within(1e-4));
                }
            }
        }
    }

    @Test
    void aDeadCodeMovesOntoAnOutputOfTheBatchAndTheLiveOnesStay() {
        int k = 4;
        int d = 2;
        float threshold = 0.5f;
        VectorQuantizer q = quantizer(config(k, d, 0.25f, 0.5f, threshold, false));
        float[] far = {100, 100};
        float[][] before = setCodebook(q, new float[][] {{0, 0}, {4, 0}, {0, 4}, far});
        int dead = 0;
        while (!Arrays.equals(before[dead], far)) {
            dead++;
        }
        // around each near code, pairs of opposite offsets: each cluster's mean is its code exactly
        int[] pairs = {3, 3, 2};
        int next = 0;
        List<float[]> vectors = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (c == dead) {
                continue;
            }
            for (int p = 0, n = pairs[next++]; p < n; p++) {
                float dx = 0.1f * (p + 1);
                float dy = 0.2f * (p + 1);
                vectors.add(new float[] {before[c][0] + dx, before[c][1] + dy});
                vectors.add(new float[] {before[c][0] - dx, before[c][1] - dy});
            }
        }
        float[][] batch = vectors.toArray(new float[0][]); // 16: a 4×4 grid
        int[] counts = new int[k];
        for (float[] v : batch) {
            counts[bruteNearest(v, before)]++;
        }
        assertThat(counts[dead]).isZero();
        VectorQuantizer.Quantized quantized = q.quantize(asMaps(batch, 1, 4));
        int restarted = q.update(quantized, new Rng(3)).restarted();
        assertThat(restarted).as("codes restarted").isEqualTo(1);
        float[][] after = rowsOf(q.codebook());
        float[] size = q.clusterSize().toFloatArray();
        // the dead code now sits on one of the batch's vectors, with the threshold's count
        double onto = Double.MAX_VALUE;
        for (float[] v : batch) {
            onto = Math.min(onto, distance(v, after[dead]));
        }
        assertThat(onto).isLessThan(1e-6);
        assertThat((double) size[dead]).isCloseTo(threshold, within(1e-6));
        // the live codes are where they were (each is its cluster's mean) with the moving-average count
        for (int c = 0; c < k; c++) {
            if (c != dead) {
                assertThat(distance(after[c], before[c])).as("code %d moved", c).isLessThan(1e-8);
                assertThat((double) size[c]).isCloseTo(0.5 * threshold + 0.5 * counts[c], within(1e-5));
            }
        }
        // it is in use now: the same batch again restarts nothing
        assertThat(q.update(q.quantize(asMaps(batch, 1, 4)), new Rng(4)).restarted()).isZero();
    }

    @Test
    void kMeansStartsCloserToTheDataThanTheRandomPickItBeginsWith() {
        int k = 16;
        int d = 4;
        float[][] data = gaussian(new Rng(31), 256, d, 1);
        VectorQuantizer picked = quantizer(config(k, d, 0.25f, 0.99f, 1f, false));
        VectorQuantizer kmeans = quantizer(config(k, d, 0.25f, 0.99f, 1f, true));
        picked.initializeFrom(manager.create(data), new Rng(2));
        kmeans.initializeFrom(manager.create(data), new Rng(2)); // the same first pick, then Lloyd's iterations
        float[][] pick = rowsOf(picked.codebook());
        for (float[] row : pick) { // the pick is K distinct outputs of the batch
            assertThat(Arrays.stream(data).anyMatch(v -> Arrays.equals(v, row))).isTrue();
        }
        assertThat(Arrays.stream(pick).map(Arrays::toString).distinct().count()).isEqualTo(k);
        double random = quantizationError(data, pick);
        double lloyd = quantizationError(data, rowsOf(kmeans.codebook()));
        assertThat(lloyd).isLessThan(0.8 * random);
        // each code's count is its cluster's share of the batch (at least the threshold)
        float[] size = kmeans.clusterSize().toFloatArray();
        double total = 0;
        for (float s : size) {
            assertThat(s).isGreaterThanOrEqualTo(1f);
            total += s;
        }
        assertThat(total).isGreaterThanOrEqualTo(data.length);
    }

    @Test
    void kMeansFindsWellSeparatedClustersExactly() {
        int k = 4;
        float[][] centres = {{10, 10}, {-10, 10}, {10, -10}, {-10, -10}};
        float[][] data = new float[k * 16][];
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < 8; p++) { // opposite offsets: the mean is the centre exactly
                float dx = (p % 4 - 1.5f) * 0.5f;
                float dy = (p / 4 - 0.5f) * 0.75f;
                data[c * 16 + 2 * p] = new float[] {centres[c][0] + dx, centres[c][1] + dy};
                data[c * 16 + 2 * p + 1] = new float[] {centres[c][0] - dx, centres[c][1] - dy};
            }
        }
        // Lloyd's iterations keep the clusters a start gives them: a seed whose random pick has one
        // output in each cluster (found by a run without k-means) must end on the four means
        long seed = -1;
        for (long s = 0; s < 200 && seed < 0; s++) {
            VectorQuantizer picked = quantizer(config(k, 2, 0.25f, 0.99f, 1f, false));
            picked.initializeFrom(manager.create(data), new Rng(s));
            boolean[] hit = new boolean[k];
            for (float[] row : rowsOf(picked.codebook())) {
                hit[bruteNearest(row, centres)] = true;
            }
            seed = hit[0] && hit[1] && hit[2] && hit[3] ? s : -1;
        }
        assertThat(seed).as("a seed whose pick covers the clusters").isNotNegative();
        VectorQuantizer kmeans = quantizer(config(k, 2, 0.25f, 0.99f, 1f, true));
        kmeans.initializeFrom(manager.create(data), new Rng(seed));
        float[][] book = rowsOf(kmeans.codebook());
        float[] size = kmeans.clusterSize().toFloatArray();
        for (int c = 0; c < k; c++) {
            int nearest = bruteNearest(centres[c], book);
            assertThat(book[nearest][0]).isCloseTo(centres[c][0], within(1e-4f));
            assertThat(book[nearest][1]).isCloseTo(centres[c][1], within(1e-4f));
            assertThat(size[nearest]).isEqualTo(16f);
        }
    }

    @Test
    void perplexityIsTheNumberOfEquallyUsedCodes() {
        int k = 32;
        VectorQuantizer q = quantizer(config(k, 4, 0.25f, 0.99f, 1f, false));
        long[] uniform = new long[3 * k];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = i % k;
        }
        assertThat(q.perplexity(manager.create(uniform))).isCloseTo(k, within(1e-3 * k));
        long[] one = new long[40];
        Arrays.fill(one, 7);
        assertThat(q.perplexity(manager.create(one, new Shape(2, 4, 5)))).isCloseTo(1.0, within(1e-5));
        // three to one over two codes: exp(−¾ ln ¾ − ¼ ln ¼)
        long[] skewed = {4, 4, 4, 9, 4, 4, 4, 9};
        double expected = Math.exp(-0.75 * Math.log(0.75) - 0.25 * Math.log(0.25));
        assertThat(q.perplexity(manager.create(skewed))).isCloseTo(expected, within(1e-4));
    }
}
