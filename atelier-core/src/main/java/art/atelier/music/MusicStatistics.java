package art.atelier.music;

import java.util.ArrayList;
import java.util.List;

/**
 * Simple musical statistics of a piece, so that a music model's quality is judged by more than its
 * loss: compare generated pieces with real ones. Drums are left out of every measure (they have no
 * pitch class and no key).
 *
 * <ul>
 *   <li><b>pitch-class histogram</b>: the share of notes on each of the 12 pitch classes; two pieces
 *       (or two collections) are compared by total-variation distance, ½·Σ|a−b|, from 0 (same) to 1;
 *   <li><b>note density</b>: notes per second of music (from the first onset to the last release);
 *   <li><b>polyphony</b>: the mean number of notes sounding at once, over the time at least one sounds;
 *   <li><b>share in key</b>: the key is estimated with the Krumhansl–Schmuckler method (the
 *       duration-weighted pitch-class profile correlated with Krumhansl and Kessler's major and minor
 *       profiles in all 24 keys; the best correlation wins), then the share of notes whose pitch class
 *       belongs to its scale (major, or minor with both the natural and the raised 6th and 7th).
 * </ul>
 *
 * @param pitchClasses the pitch-class histogram, 12 shares summing to 1 (all 0 for no notes)
 * @param notesPerSecond note density
 * @param polyphony mean notes sounding at once while any sounds
 * @param key the estimated key, e.g. "G major", "D minor"
 * @param inKey the share of notes in the estimated key's scale
 * @param notes melodic notes counted
 */
public record MusicStatistics(double[] pitchClasses, double notesPerSecond, double polyphony, String key, double inKey,
        int notes) {

    private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    // Krumhansl & Kessler (1982) key profiles, tonic first
    private static final double[] MAJOR = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
    private static final double[] MINOR = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};
    private static final int[] MAJOR_SCALE = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] MINOR_SCALE = {0, 2, 3, 5, 7, 8, 9, 10, 11};

    /**
     * @param piece a piece
     * @return its statistics
     */
    public static MusicStatistics of(Piece piece) {
        List<Note> notes = new ArrayList<>();
        for (Note n : piece.notes()) {
            if (!n.drum()) {
                notes.add(n);
            }
        }
        double[] counts = new double[12];
        double[] durations = new double[12];
        long first = Long.MAX_VALUE;
        long last = 0;
        for (Note n : notes) {
            counts[n.pitch() % 12]++;
            durations[n.pitch() % 12] += n.duration();
            first = Math.min(first, n.start());
            last = Math.max(last, n.end());
        }
        double[] hist = normalise(counts);
        double seconds = notes.isEmpty() ? 0 : (last - first) / 1e6;
        double density = seconds > 0 ? notes.size() / seconds : 0;
        int tonic = 0;
        boolean major = true;
        double best = Double.NEGATIVE_INFINITY;
        for (int mode = 0; mode < 2; mode++) {
            for (int t = 0; t < 12; t++) {
                double r = correlation(durations, mode == 0 ? MAJOR : MINOR, t);
                if (r > best) {
                    best = r;
                    tonic = t;
                    major = mode == 0;
                }
            }
        }
        boolean[] scale = new boolean[12];
        for (int d : major ? MAJOR_SCALE : MINOR_SCALE) {
            scale[(tonic + d) % 12] = true;
        }
        double inKey = 0;
        for (int pc = 0; pc < 12; pc++) {
            if (scale[pc]) {
                inKey += hist[pc];
            }
        }
        return new MusicStatistics(hist, density, polyphony(notes), NAMES[tonic] + (major ? " major" : " minor"),
                notes.isEmpty() ? 0 : inKey, notes.size());
    }

    /**
     * @param a a histogram
     * @param b another, of the same length
     * @return their total-variation distance, ½·Σ|a−b|, in [0, 1] for distributions
     */
    public static double distance(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d / 2;
    }

    /**
     * @param pieces a collection
     * @return the pitch-class histogram of all their melodic notes together
     */
    public static double[] pitchClasses(List<Piece> pieces) {
        double[] counts = new double[12];
        for (Piece p : pieces) {
            for (Note n : p.notes()) {
                if (!n.drum()) {
                    counts[n.pitch() % 12]++;
                }
            }
        }
        return normalise(counts);
    }

    private static double[] normalise(double[] counts) {
        double sum = 0;
        for (double c : counts) {
            sum += c;
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length && sum > 0; i++) {
            out[i] = counts[i] / sum;
        }
        return out;
    }

    /** Pearson correlation of the profile rotated to {@code tonic} with the observed weights. */
    private static double correlation(double[] observed, double[] profile, int tonic) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < 12; i++) {
            mx += observed[i];
            my += profile[i];
        }
        mx /= 12;
        my /= 12;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int pc = 0; pc < 12; pc++) {
            double x = observed[pc] - mx;
            double y = profile[(pc - tonic + 12) % 12] - my;
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }
        return sxx == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Time-weighted mean of the number of notes sounding, over the time any sounds. */
    private static double polyphony(List<Note> notes) {
        if (notes.isEmpty()) {
            return 0;
        }
        long[][] edges = new long[notes.size() * 2][];
        int k = 0;
        for (Note n : notes) {
            edges[k++] = new long[] {n.start(), 1};
            edges[k++] = new long[] {n.end(), -1};
        }
        java.util.Arrays.sort(edges, (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        long sounding = 0;
        long busy = 0;
        double weighted = 0;
        long previous = edges[0][0];
        for (long[] e : edges) {
            long span = e[0] - previous;
            if (sounding > 0) {
                busy += span;
                weighted += (double) sounding * span;
            }
            sounding += e[1];
            previous = e[0];
        }
        return busy == 0 ? 0 : weighted / busy;
    }
}
