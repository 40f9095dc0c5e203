package art.atelier.image.quality;

import art.atelier.util.Stats;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The memorisation check: for each generated item, the nearest training item and how far it is. A
 * generator that copies its training pictures shows distances near zero; one that makes new pictures
 * keeps a clear gap. The items are vectors (pixels read as numbers, or features) and the distance is
 * Euclidean. This is the check GAN papers have shown since Goodfellow et al. 2014, "Generative
 * Adversarial Nets" (Figure 2 sets each sample beside its nearest training example to show the model
 * has not memorised the training set); it follows no formula beyond that.
 *
 * <p>This class also holds the package's shared feature-set checks and distance kernel.
 */
public final class Nearest {

    /**
     * Rows of the left-hand set handled together: each right-hand row is read from memory once per
     * block and then reused from the L1 cache for all of the block's rows, and a block is also the
     * unit of work handed to the parallel stream.
     */
    static final int ROW_BLOCK = 16;

    private Nearest() {}

    /**
     * One generated item's nearest training item.
     *
     * @param index that training item's position in the training set
     * @param distance the Euclidean distance to it, 0 for an exact copy
     */
    public record Match(int index, double distance) {}

    /**
     * How close generated items come to the training set.
     *
     * @param min the smallest nearest-neighbour distance: the closest any item comes to a copy
     * @param median the median nearest-neighbour distance
     * @param mean the mean nearest-neighbour distance
     */
    public record Summary(double min, double median, double mean) {}

    /**
     * @param pictures pictures of one size and channel count
     * @return their pixels on the 0–255 scale, one vector each, as {@link #of} takes them
     */
    public static float[][] pixels(java.util.List<art.atelier.image.Picture> pictures) {
        float[][] out = new float[pictures.size()][];
        for (int i = 0; i < out.length; i++) {
            byte[] p = pictures.get(i).pixels();
            out[i] = new float[p.length];
            for (int k = 0; k < p.length; k++) {
                out[i][k] = p[k] & 0xFF;
            }
        }
        return out;
    }

    /**
     * For each generated item, the training item at the smallest Euclidean distance
     * sqrt(Σ_t (g_t − x_t)²); ties go to the lower training index. Rows are spread over threads; each
     * answer is computed in a fixed order, so results do not depend on the thread count.
     *
     * @param generated generated items, one vector each, non-empty, all of one length
     * @param training training items, non-empty, of the same length as the generated ones
     * @return one match per generated item, in the order given
     * @throws IllegalArgumentException for an empty set, ragged rows, non-finite values or two lengths
     */
    public static Match[] of(float[][] generated, float[][] training) {
        int d = checkPair(generated, "generated", training, "training");
        double[] g = flatten(generated, d);
        double[] x = flatten(training, d);
        int ng = generated.length;
        int nx = training.length;
        Match[] out = new Match[ng];
        IntStream.range(0, blocks(ng)).parallel().forEach(b -> {
            int i0 = b * ROW_BLOCK;
            int i1 = Math.min(ng, i0 + ROW_BLOCK);
            double[] best = new double[i1 - i0];
            int[] at = new int[i1 - i0];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            // training rows outermost so that each is fetched once for the whole block
            for (int j = 0; j < nx; j++) {
                int jo = j * d;
                for (int i = i0; i < i1; i++) {
                    double s = squaredDistance(g, i * d, x, jo, d);
                    if (s < best[i - i0]) { // strict, so the lowest index wins a tie
                        best[i - i0] = s;
                        at[i - i0] = j;
                    }
                }
            }
            for (int i = i0; i < i1; i++) {
                out[i] = new Match(at[i - i0], Math.sqrt(best[i - i0]));
            }
        });
        return out;
    }

    /**
     * The root-mean-square difference of two 8-bit pictures, sqrt((1/n) Σ_i (a_i − b_i)²) with each
     * byte read as unsigned 0–255: 0 for a copy, tens for a different picture, 255 at most.
     *
     * @param a one picture's samples, any layout
     * @param b the other's, same length and layout
     * @return the distance on the 0–255 scale
     * @throws IllegalArgumentException if the lengths differ or the pictures are empty
     */
    public static double rmsPixelDistance(byte[] a, byte[] b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.length != b.length) {
            throw new IllegalArgumentException("pictures differ in length: " + a.length + " vs " + b.length);
        }
        if (a.length == 0) {
            throw new IllegalArgumentException("pictures are empty");
        }
        // integer sum is exact: at most 255² per sample, so a long holds any array Java can make
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            int e = (a[i] & 0xFF) - (b[i] & 0xFF);
            sum += e * e;
        }
        return Math.sqrt((double) sum / a.length);
    }

    /**
     * Summarises matches: the smallest, median ({@link Stats#median}) and mean distance.
     *
     * @param matches matches from {@link #of}, non-empty
     * @return the summary
     * @throws IllegalArgumentException for no matches
     */
    public static Summary summarize(Match[] matches) {
        Objects.requireNonNull(matches, "matches");
        if (matches.length == 0) {
            throw new IllegalArgumentException("no matches to summarise");
        }
        double[] d = new double[matches.length];
        double min = Double.POSITIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = matches[i].distance();
            min = Math.min(min, d[i]);
            sum += d[i];
        }
        return new Summary(min, Stats.median(d), sum / d.length);
    }

    // ---- shared by the package ----

    /**
     * Checks one set of vectors: non-empty, every row present, of one positive length, finite.
     *
     * @return the length of the rows
     */
    static int check(float[][] set, String name) {
        Objects.requireNonNull(set, name);
        if (set.length == 0) {
            throw new IllegalArgumentException(name + " set is empty");
        }
        if (set[0] == null || set[0].length == 0) {
            throw new IllegalArgumentException(name + " row 0 is missing or empty");
        }
        int d = set[0].length;
        for (int i = 0; i < set.length; i++) {
            float[] row = set[i];
            if (row == null || row.length != d) {
                throw new IllegalArgumentException(name + " row " + i + " has "
                        + (row == null ? "no" : row.length) + " values, row 0 has " + d);
            }
            // one NaN would silently turn every statistic into NaN; say where it is instead
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(name + " row " + i + " holds a non-finite value: " + v);
                }
            }
        }
        return d;
    }

    /**
     * Checks two sets that are to be compared: each by {@link #check}, and both of one dimension.
     *
     * @return the common dimension
     */
    static int checkPair(float[][] a, String aName, float[][] b, String bName) {
        int da = check(a, aName);
        int db = check(b, bName);
        if (da != db) {
            throw new IllegalArgumentException(aName + " and " + bName + " differ in dimension: " + da + " vs " + db);
        }
        return da;
    }

    /**
     * Copies a checked set row-major into one double array: contiguous rows keep the inner loops on
     * sequential memory, and converting once saves a float-to-double conversion per use.
     */
    static double[] flatten(float[][] set, int d) {
        double[] out = new double[set.length * d];
        for (int i = 0; i < set.length; i++) {
            float[] row = set[i];
            int o = i * d;
            for (int t = 0; t < d; t++) {
                out[o + t] = row[t];
            }
        }
        return out;
    }

    /** @return how many {@link #ROW_BLOCK}s cover n rows */
    static int blocks(int n) {
        return (n + ROW_BLOCK - 1) / ROW_BLOCK;
    }

    /**
     * The squared Euclidean distance between the d-vectors starting at {@code a[ao]} and {@code b[bo]}.
     * Differences are taken directly (not through ‖a‖² + ‖b‖² − 2a·b), so equal vectors give exactly 0
     * and close ones lose no precision to cancellation. Four partial sums let the processor overlap
     * the additions instead of waiting on one chain.
     */
    static double squaredDistance(double[] a, int ao, double[] b, int bo, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int t = 0;
        for (; t + 3 < d; t += 4) {
            double e0 = a[ao + t] - b[bo + t];
            double e1 = a[ao + t + 1] - b[bo + t + 1];
            double e2 = a[ao + t + 2] - b[bo + t + 2];
            double e3 = a[ao + t + 3] - b[bo + t + 3];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }
        for (; t < d; t++) {
            double e = a[ao + t] - b[bo + t];
            s0 += e * e;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
