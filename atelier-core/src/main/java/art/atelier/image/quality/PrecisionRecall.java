package art.atelier.image.quality;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Improved precision and recall of a generator (Kynkäänniemi et al. 2019, "Improved Precision and
 * Recall Metric for Assessing Generative Models"). Each set of feature vectors stands for a manifold:
 * the union of balls, one around each of its points, whose radius is the Euclidean distance from that
 * point to its k-th nearest other point in the same set. Precision is the share of fake points that
 * fall inside the real manifold (how many pictures look real); recall is the share of real points
 * that fall inside the fake manifold (how much of the real variety the generator covers). A point on
 * a ball's boundary counts as inside.
 *
 * <p>Cost: about 3·n² distance evaluations of d multiply-adds for n points a side, spread over the
 * available cores (n = 5000, d = 128: about 3 s on two cores). Every distance is computed by the same code in the same order on any thread, and
 * the results are counts of yes/no answers, so they do not depend on scheduling.
 */
public final class PrecisionRecall {

    /** The neighbourhood size the paper recommends and uses for its results. */
    public static final int DEFAULT_K = 3;

    private PrecisionRecall() {}

    /**
     * @param precision share of fake points inside the real manifold, 0 to 1
     * @param recall share of real points inside the fake manifold, 0 to 1
     * @param k the neighbourhood size the radii were taken at
     */
    public record Result(double precision, double recall, int k) {}

    /**
     * Precision and recall with the default neighbourhood size {@value #DEFAULT_K}.
     *
     * @param real features of real pictures
     * @param fake features of generated pictures
     * @return precision and recall
     * @see #of(float[][], float[][], int)
     */
    public static Result of(float[][] real, float[][] fake) {
        return of(real, fake, DEFAULT_K);
    }

    /**
     * Precision = (1/|F|) Σ_{f ∈ F} [∃ r ∈ R: ‖f − r‖ ≤ NN_k(r, R)], and recall the same with the roles
     * of R (real) and F (fake) swapped, where NN_k(r, R) is the distance from r to its k-th nearest
     * neighbour in R other than r itself (duplicates of r do count as neighbours).
     *
     * @param real features of real pictures, more than k of them
     * @param fake features of generated pictures, more than k, of the same dimension
     * @param k neighbourhood size, at least 1
     * @return precision and recall
     * @throws IllegalArgumentException for k below 1, a set of k points or fewer, ragged or non-finite
     *     rows, or two dimensions
     */
    public static Result of(float[][] real, float[][] fake, int k) {
        int d = Nearest.checkPair(real, "real", fake, "fake");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        if (real.length <= k || fake.length <= k) {
            throw new IllegalArgumentException("each set needs more than k = " + k + " points, got "
                    + real.length + " real and " + fake.length + " fake");
        }
        double[] r = Nearest.flatten(real, d);
        double[] f = Nearest.flatten(fake, d);
        int nr = real.length;
        int nf = fake.length;
        double[] realRadius = kthNeighbourSquared(r, nr, d, k);
        double[] fakeRadius = kthNeighbourSquared(f, nf, d, k);

        // One pass over all real–fake pairs answers both questions, since each pair's distance is
        // compared with the real point's radius (precision) and the fake point's radius (recall).
        // Real rows are split into blocks across threads: the recall flag of a real point is written
        // only by its own block; the precision flags are gathered per worker and OR-ed together.
        boolean[] realCovered = new boolean[nr];
        boolean[] fakeCovered = IntStream.range(0, Nearest.blocks(nr)).parallel().collect(
                () -> new boolean[nf],
                (covered, b) -> {
                    int i0 = b * Nearest.ROW_BLOCK;
                    int i1 = Math.min(nr, i0 + Nearest.ROW_BLOCK);
                    for (int j = 0; j < nf; j++) {
                        int jo = j * d;
                        for (int i = i0; i < i1; i++) {
                            double s = Nearest.squaredDistance(r, i * d, f, jo, d);
                            if (s <= realRadius[i]) {
                                covered[j] = true;
                            }
                            if (s <= fakeRadius[j]) {
                                realCovered[i] = true;
                            }
                        }
                    }
                },
                (a, b) -> {
                    for (int j = 0; j < a.length; j++) {
                        a[j] |= b[j];
                    }
                });
        return new Result((double) count(fakeCovered) / nf, (double) count(realCovered) / nr, k);
    }

    /**
     * For each of the n points, the squared distance to its k-th nearest other point in the same
     * set. Squares are compared with squares throughout, which orders the same as distances and
     * spares n² square roots.
     */
    private static double[] kthNeighbourSquared(double[] x, int n, int d, int k) {
        double[] radius = new double[n];
        IntStream.range(0, Nearest.blocks(n)).parallel().forEach(b -> {
            int i0 = b * Nearest.ROW_BLOCK;
            int i1 = Math.min(n, i0 + Nearest.ROW_BLOCK);
            // the k smallest squared distances so far of each row in the block, ascending
            double[][] nearest = new double[i1 - i0][k];
            for (double[] row : nearest) {
                Arrays.fill(row, Double.POSITIVE_INFINITY);
            }
            for (int j = 0; j < n; j++) {
                int jo = j * d;
                for (int i = i0; i < i1; i++) {
                    if (i == j) {
                        continue; // a point is not its own neighbour
                    }
                    double s = Nearest.squaredDistance(x, i * d, x, jo, d);
                    double[] near = nearest[i - i0];
                    if (s < near[k - 1]) {
                        // insertion into a tiny sorted list; k is a handful, so this beats a heap
                        int p = k - 1;
                        while (p > 0 && near[p - 1] > s) {
                            near[p] = near[p - 1];
                            p--;
                        }
                        near[p] = s;
                    }
                }
            }
            for (int i = i0; i < i1; i++) {
                radius[i] = nearest[i - i0][k - 1];
            }
        });
        return radius;
    }

    private static int count(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) {
            if (f) {
                c++;
            }
        }
        return c;
    }
}
