package art.atelier.image.quality;

import art.atelier.util.Rng;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs"): the squared maximum
 * mean discrepancy between the feature distributions of real and generated pictures under the cubic
 * polynomial kernel k(x, y) = (x·y / d + 1)³, d the feature dimension. Near 0 when the two
 * distributions agree, larger the more they differ. Unlike FID's, its estimator is unbiased: its
 * expected value does not depend on how many pictures were scored, and for matching distributions a
 * single estimate may come out slightly negative.
 *
 * <p>As in the paper, the estimate is averaged over random subsets: each of {@code subsets} rounds
 * draws m real and m fake points, each set without replacement and independently of the other
 * rounds, and computes the unbiased estimator on them.
 *
 * <p>Cost: 2m² kernel evaluations of d multiply-adds per subset, subsets spread over the available
 * cores; the reference setting (100 subsets of 1000, d = 128) takes about 7 s on two cores.
 */
public final class Kid {

    /** Subsets per estimate in the paper's reference evaluation. */
    public static final int DEFAULT_SUBSETS = 100;

    /** Subset size in the paper's reference evaluation. */
    public static final int DEFAULT_SUBSET_SIZE = 1000;

    /** Rows handled together, so that each partner row is fetched once for the block (see the loops). */
    private static final int ROW_BLOCK = Nearest.ROW_BLOCK;

    private Kid() {}

    /**
     * @param mean the mean of the subset estimates: the KID
     * @param std the population standard deviation of the subset estimates (dividing by their number,
     *     as KID is commonly reported), 0 for a single subset; it describes the spread of one
     *     subset's estimate, not the error of the mean
     * @param subsets how many subsets were drawn
     * @param subsetSize the size m actually used: the requested size capped by both set sizes
     */
    public record Result(double mean, double std, int subsets, int subsetSize) {}

    /**
     * KID as in {@link #of(float[][], float[][], int, int, Rng)}, the subsets drawn by a generator
     * seeded with {@code seed}: equal inputs and seeds give equal results.
     *
     * @param real features of real pictures, at least 2
     * @param fake features of generated pictures, at least 2, of the same dimension
     * @param subsets how many subsets to average over, at least 1 ({@value #DEFAULT_SUBSETS} in the paper)
     * @param subsetSize points drawn from each set per subset, at least 2 ({@value #DEFAULT_SUBSET_SIZE}
     *     in the paper)
     * @param seed seeds the {@link Rng} that draws the subsets
     * @return the estimate
     * @throws IllegalArgumentException as for the other overload
     */
    public static Result of(float[][] real, float[][] fake, int subsets, int subsetSize, long seed) {
        return of(real, fake, subsets, subsetSize, new Rng(seed));
    }

    /**
     * For each subset, with X the m real and Y the m fake points drawn, the unbiased estimator of
     * squared MMD: the mean of k(x, x') over ordered pairs of distinct real points, plus the same mean
     * over fake points, minus twice the mean of k(x, y) over all m² real–fake pairs, i.e.
     * (Σ_{i≠j} k(x_i, x_j) + Σ_{i≠j} k(y_i, y_j)) / (m(m−1)) − 2 Σ_{i,j} k(x_i, y_j) / m²;
     * then the mean and standard deviation of those estimates. m = min(subsetSize, |real|, |fake|).
     * Sums are kept in double (products of two floats are exact in double). Subsets are drawn from
     * {@code rng} one after another before any computing, then computed in parallel, so the result
     * depends only on the inputs and the generator's state.
     *
     * @param real features of real pictures, at least 2
     * @param fake features of generated pictures, at least 2, of the same dimension
     * @param subsets how many subsets to average over, at least 1
     * @param subsetSize points drawn from each set per subset, at least 2
     * @param rng the generator for drawing subsets; advanced by the draws
     * @return the estimate
     * @throws IllegalArgumentException for fewer than 2 points in a set, ragged or non-finite rows,
     *     two dimensions, or bad counts
     */
    public static Result of(float[][] real, float[][] fake, int subsets, int subsetSize, Rng rng) {
        int d = Nearest.checkPair(real, "real", fake, "fake");
        Objects.requireNonNull(rng, "rng");
        if (subsets < 1) {
            throw new IllegalArgumentException("subsets must be at least 1, was " + subsets);
        }
        if (subsetSize < 2) {
            throw new IllegalArgumentException("subset size must be at least 2, was " + subsetSize);
        }
        if (real.length < 2 || fake.length < 2) {
            throw new IllegalArgumentException("each set needs at least 2 points (the estimator pairs distinct"
                    + " points), got " + real.length + " real and " + fake.length + " fake");
        }
        int m = Math.min(subsetSize, Math.min(real.length, fake.length));

        // Draw every subset first, sequentially, so the draws do not depend on thread scheduling.
        int[] realOrder = identity(real.length);
        int[] fakeOrder = identity(fake.length);
        int[][] realPick = new int[subsets][];
        int[][] fakePick = new int[subsets][];
        for (int s = 0; s < subsets; s++) {
            realPick[s] = draw(realOrder, m, rng);
            fakePick[s] = draw(fakeOrder, m, rng);
        }

        double[] estimates = new double[subsets];
        IntStream.range(0, subsets).parallel().forEach(s -> {
            double[] x = gather(real, realPick[s], d);
            double[] y = gather(fake, fakePick[s], d);
            double within = 2 * sumWithin(x, m, d) + 2 * sumWithin(y, m, d); // both orders of each pair
            double between = sumBetween(x, y, m, d);
            estimates[s] = within / ((double) m * (m - 1)) - 2 * between / ((double) m * m);
        });

        double mean = 0;
        for (double e : estimates) {
            mean += e;
        }
        mean /= subsets;
        double var = 0;
        for (double e : estimates) {
            var += (e - mean) * (e - mean); // two passes: no cancellation between Σe² and (Σe)²
        }
        return new Result(mean, Math.sqrt(var / subsets), subsets, m);
    }

    /** The cubic polynomial kernel of the paper, given the dot product x·y. */
    private static double kernel(double dot, int d) {
        double u = dot / d + 1;
        return u * u * u;
    }

    /** The sum of k(x_i, x_j) over the pairs of the m rows of x with i before j. */
    private static double sumWithin(double[] x, int m, int d) {
        double total = 0;
        for (int i0 = 0; i0 < m; i0 += ROW_BLOCK) {
            int i1 = Math.min(m, i0 + ROW_BLOCK);
            for (int j = i0 + 1; j < m; j++) {
                int jo = j * d;
                int top = Math.min(i1, j); // only i < j: each unordered pair once, no diagonal
                double part = 0; // per-row partial sums keep the grand total's rounding small
                for (int i = i0; i < top; i++) {
                    part += kernel(dot(x, i * d, x, jo, d), d);
                }
                total += part;
            }
        }
        return total;
    }

    /** Σ_{i,j} k(x_i, y_j) over all pairs of the m rows of x and of y. */
    private static double sumBetween(double[] x, double[] y, int m, int d) {
        double total = 0;
        for (int i0 = 0; i0 < m; i0 += ROW_BLOCK) {
            int i1 = Math.min(m, i0 + ROW_BLOCK);
            for (int j = 0; j < m; j++) {
                int jo = j * d;
                double part = 0;
                for (int i = i0; i < i1; i++) {
                    part += kernel(dot(x, i * d, y, jo, d), d);
                }
                total += part;
            }
        }
        return total;
    }

    /** The dot product of two d-vectors; four partial sums let the additions overlap. */
    private static double dot(double[] a, int ao, double[] b, int bo, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int t = 0;
        for (; t + 3 < d; t += 4) {
            s0 += a[ao + t] * b[bo + t];
            s1 += a[ao + t + 1] * b[bo + t + 1];
            s2 += a[ao + t + 2] * b[bo + t + 2];
            s3 += a[ao + t + 3] * b[bo + t + 3];
        }
        for (; t < d; t++) {
            s0 += a[ao + t] * b[bo + t];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /**
     * m distinct indices, uniformly: the first m steps of a Fisher–Yates shuffle of {@code order}.
     * The array is left shuffled and reused by the next draw; a partial shuffle of any arrangement
     * still yields a uniform subset, and reuse spares an n-sized allocation per subset.
     */
    private static int[] draw(int[] order, int m, Rng rng) {
        int n = order.length;
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return Arrays.copyOf(order, m);
    }

    /** The picked rows, row-major in doubles, contiguous for the inner loops. */
    private static double[] gather(float[][] set, int[] pick, int d) {
        double[] out = new double[pick.length * d];
        for (int i = 0; i < pick.length; i++) {
            float[] row = set[pick[i]];
            int o = i * d;
            for (int t = 0; t < d; t++) {
                out[o + t] = row[t];
            }
        }
        return out;
    }
}
