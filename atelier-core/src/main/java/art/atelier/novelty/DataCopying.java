package art.atelier.novelty;

import art.atelier.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The three-sample data-copying test of Meehan, Chaudhuri and Dasgupta, "A Non-Parametric Test to
 * Detect Data-Copying in Generative Models" (AISTATS 2020): does a model's output lie closer to its
 * training set than fresh samples from the same distribution do?
 *
 * <p>Given training, held-out and generated feature vectors:
 * <ol>
 *   <li>the space is cut into k cells by k-means on the training set (k-means++ seeding, Arthur and
 *       Vassilvitskii 2007, from a given seed; then Lloyd's iterations until no point changes cell, at
 *       most {@value #MAX_ITERATIONS}; a cell left empty is re-seeded at the training point farthest from
 *       its centre), every point belonging to the cell of its nearest centre;
 *   <li>in each cell, each held-out and each generated point gets its distance (Euclidean) to the
 *       nearest training point of the cell, as the paper's reference implementation does;
 *   <li>the generated distances are compared with the held-out ones by the Mann–Whitney U statistic,
 *       U = #(generated &gt; held-out) + ½ #(ties), standardised under the null hypothesis with the
 *       normal approximation, its variance corrected for ties and no continuity correction:
 *       Z_U = (U − mn/2) / √(mn/12 · (N + 1 − Σ(t³ − t)/(N(N − 1)))), m generated, n held-out, N = m + n,
 *       t the sizes of tied groups. Z_U &lt; 0 when generated points sit closer to the training points;
 *   <li>C_T is the average of Z_U over the cells holding at least {@value #MIN_GENERATED} generated points
 *       (the paper's τ = 20/m, set in its experiments so that a cell's Z_U rests on enough samples),
 *       weighted by each cell's share of the held-out points.
 * </ol>
 * Reading: under the null hypothesis each Z_U is approximately standard normal, so C_T, an average with
 * weights summing to one, has a standard deviation of at most 1. C_T ≤ −{@value #SIGNIFICANT} reads as
 * data-copying (generated points hug the training points), C_T ≥ {@value #SIGNIFICANT} as
 * under-fitting (they stay further from them than real data does), anything between as no evidence
 * either way. Cells without a held-out point have no weight and are never counted.
 */
public final class DataCopying {

    /** A cell counts towards C_T if it holds at least this many generated points. */
    public static final int MIN_GENERATED = 20;

    /** |C_T| at or beyond this reads as data-copying (negative) or under-fitting (positive). */
    public static final double SIGNIFICANT = 3.0;

    /** Lloyd's iterations stop after this many at the latest. */
    public static final int MAX_ITERATIONS = 100;

    private DataCopying() {}

    /** What C_T says. */
    public enum Reading {
        /** C_T ≤ −3: generated points lie closer to the training points than held-out points do. */
        DATA_COPYING,
        /** −3 &lt; C_T &lt; 3: generated points lie as close as held-out points do. */
        NO_EVIDENCE,
        /** C_T ≥ 3: generated points lie further from the training points than held-out points do. */
        UNDER_FITTING,
        /** No cell holds enough generated points to compute C_T. */
        UNDETERMINED
    }

    /**
     * One cell of the partition.
     *
     * @param training training points in the cell
     * @param heldOut held-out points in the cell
     * @param generated generated points in the cell
     * @param zU the cell's Mann–Whitney Z (negative: generated closer than held-out); NaN without a
     *     generated, held-out or training point
     * @param counted whether the cell counts towards C_T: at least {@value DataCopying#MIN_GENERATED}
     *     generated points, at least one held-out point and one training point
     */
    public record Cell(int training, int heldOut, int generated, double zU, boolean counted) {}

    /**
     * The test's outcome.
     *
     * @param cT the held-out-weighted average Z_U of the counted cells; NaN if none is counted
     * @param cells every cell, in the order of their centres' creation
     * @param reading what C_T says
     * @param summary one plain line for a report
     */
    public record Report(double cT, List<Cell> cells, Reading reading, String summary) {}

    /**
     * Runs the test.
     *
     * @param training training points, one vector each, at least {@code cells}
     * @param heldOut held-out points from the same distribution, never trained on; non-empty
     * @param generated the model's points; non-empty
     * @param cells k, the number of cells, ≥ 1
     * @param seed the k-means seed: the same inputs and seed give the same report
     * @return the report
     * @throws IllegalArgumentException for an empty set, vectors of different lengths, non-finite
     *     values, or fewer training points than cells
     */
    public static Report test(double[][] training, double[][] heldOut, double[][] generated, int cells, long seed) {
        int d = check(training, "training", -1);
        check(heldOut, "held-out", d);
        check(generated, "generated", d);
        if (cells < 1 || cells > training.length) {
            throw new IllegalArgumentException("the number of cells must be between 1 and the " + training.length
                    + " training points, was " + cells);
        }
        double[][] centres = kMeans(training, cells, new Rng(seed));
        int[] tCell = assign(training, centres);
        int[] hCell = assign(heldOut, centres);
        int[] gCell = assign(generated, centres);
        List<Cell> out = new ArrayList<>(cells);
        double weighted = 0;
        double weights = 0;
        int counted = 0;
        int copying = 0;
        for (int c = 0; c < cells; c++) {
            double[][] t = members(training, tCell, c);
            double[] h = nearestDistances(members(heldOut, hCell, c), t);
            double[] g = nearestDistances(members(generated, gCell, c), t);
            double z = t.length == 0 || h.length == 0 || g.length == 0 ? Double.NaN : mannWhitneyZ(g, h);
            boolean counts = g.length >= MIN_GENERATED && h.length > 0 && t.length > 0;
            out.add(new Cell(t.length, h.length, g.length, z, counts));
            if (counts) {
                double w = h.length / (double) heldOut.length;
                weighted += w * z;
                weights += w;
                counted++;
                copying += z < 0 ? 1 : 0;
            }
        }
        double cT = counted == 0 ? Double.NaN : weighted / weights;
        Reading reading;
        if (counted == 0) {
            reading = Reading.UNDETERMINED;
        } else if (cT <= -SIGNIFICANT) {
            reading = Reading.DATA_COPYING;
        } else if (cT >= SIGNIFICANT) {
            reading = Reading.UNDER_FITTING;
        } else {
            reading = Reading.NO_EVIDENCE;
        }
        return new Report(cT, List.copyOf(out), reading, summary(cT, reading, counted, copying, cells));
    }

    private static String summary(double cT, Reading reading, int counted, int closer, int cells) {
        if (reading == Reading.UNDETERMINED) {
            return "C_T undetermined: no cell of " + cells + " holds " + MIN_GENERATED
                    + " generated samples; generate more or use fewer cells";
        }
        String c = String.format(Locale.ROOT, "C_T = %.2f", cT);
        String cellsNote = " (" + closer + " of " + counted + " cells counted lean towards copying)";
        return switch (reading) {
            case DATA_COPYING -> c + ": data-copying — generated samples lie closer to the training set than held-out"
                    + " samples do" + cellsNote;
            case UNDER_FITTING -> c + ": under-fitting — generated samples lie further from the training set than"
                    + " held-out samples do" + cellsNote;
            default -> c + ": no evidence of data-copying — generated samples lie about as close to the training set"
                    + " as held-out samples do" + cellsNote;
        };
    }

    /**
     * The Mann–Whitney U statistic of {@code a} against {@code b}, standardised: its normal
     * approximation with the tie correction of the variance and no continuity correction.
     *
     * @param a one sample (the generated distances), non-empty
     * @param b the other (the held-out distances), non-empty
     * @return Z = (U − mn/2) / σ_U, with U = #(a &gt; b) + ½ #(a = b) over all pairs; 0 when every value is tied
     */
    public static double mannWhitneyZ(double[] a, double[] b) {
        int m = a.length;
        int n = b.length;
        if (m == 0 || n == 0) {
            throw new IllegalArgumentException("Mann–Whitney needs two non-empty samples, got " + m + " and " + n);
        }
        int total = m + n;
        double[] values = new double[total];
        boolean[] fromA = new boolean[total];
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            values[i] = i < m ? a[i] : b[i - m];
            fromA[i] = i < m;
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        double rankSumA = 0;
        double tieTerm = 0;
        for (int i = 0; i < total; ) {
            int j = i;
            while (j + 1 < total && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // the average of ranks i+1 .. j+1
            for (int k = i; k <= j; k++) {
                if (fromA[order[k]]) {
                    rankSumA += rank;
                }
            }
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        double u = rankSumA - m * (m + 1) / 2.0;
        double mean = m * (double) n / 2;
        double variance = m * (double) n / 12 * ((total + 1) - tieTerm / ((double) total * (total - 1)));
        return variance <= 0 ? 0.0 : (u - mean) / Math.sqrt(variance);
    }

    /** k-means++ seeding, then Lloyd's iterations; returns the centres. */
    static double[][] kMeans(double[][] points, int k, Rng rng) {
        int n = points.length;
        double[][] centres = new double[k][];
        centres[0] = points[rng.nextInt(n)].clone();
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], squared(points[i], centres[c - 1]));
                sum += nearest[i];
            }
            int pick = n - 1;
            if (sum > 0) {
                double r = rng.nextDouble() * sum;
                for (int i = 0; i < n; i++) {
                    r -= nearest[i];
                    if (r < 0) {
                        pick = i;
                        break;
                    }
                }
            } else {
                pick = rng.nextInt(n); // every point already sits on a centre
            }
            centres[c] = points[pick].clone();
        }
        int[] cell = new int[n];
        Arrays.fill(cell, -1);
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int c = nearestCentre(points[i], centres);
                if (c != cell[i]) {
                    cell[i] = c;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            int d = points[0].length;
            double[][] sums = new double[k][d];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[cell[i]]++;
                for (int j = 0; j < d; j++) {
                    sums[cell[i]][j] += points[i][j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    int far = farthest(points, cell, centres);
                    centres[c] = points[far].clone();
                    cell[far] = c; // so that a second empty cell is re-seeded elsewhere
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    centres[c][j] = sums[c][j] / counts[c];
                }
            }
        }
        return centres;
    }

    /** The point farthest from its own cell's centre (the lowest index among equals). */
    private static int farthest(double[][] points, int[] cell, double[][] centres) {
        int best = 0;
        double far = -1;
        for (int i = 0; i < points.length; i++) {
            double s = squared(points[i], centres[cell[i]]);
            if (s > far) {
                far = s;
                best = i;
            }
        }
        return best;
    }

    private static int[] assign(double[][] points, double[][] centres) {
        int[] out = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = nearestCentre(points[i], centres);
        }
        return out;
    }

    private static int nearestCentre(double[] p, double[][] centres) {
        int best = 0;
        double bestSq = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centres.length; c++) {
            double s = squared(p, centres[c]);
            if (s < bestSq) {
                bestSq = s;
                best = c;
            }
        }
        return best;
    }

    private static double[][] members(double[][] points, int[] cell, int c) {
        return java.util.stream.IntStream.range(0, points.length).filter(i -> cell[i] == c).mapToObj(i -> points[i])
                .toArray(double[][]::new);
    }

    /** For each point, the distance to the nearest of {@code to} (which is non-empty whenever points are). */
    private static double[] nearestDistances(double[][] points, double[][] to) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] t : to) {
                best = Math.min(best, squared(points[i], t));
            }
            out[i] = Math.sqrt(best);
        }
        return out;
    }

    private static double squared(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    private static int check(double[][] set, String name, int d) {
        if (set.length == 0) {
            throw new IllegalArgumentException("the " + name + " set is empty");
        }
        int dim = d < 0 ? set[0].length : d;
        for (int i = 0; i < set.length; i++) {
            if (set[i].length != dim) {
                throw new IllegalArgumentException(name + " point " + i + " has " + set[i].length + " values, expected "
                        + dim);
            }
            for (double v : set[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + " point " + i + " holds a non-finite value: " + v);
                }
            }
        }
        return dim;
    }
}
