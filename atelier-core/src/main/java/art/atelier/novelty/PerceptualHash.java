package art.atelier.novelty;

import art.atelier.image.Picture;
import java.util.Arrays;

/**
 * A 64-bit perceptual hash of a picture (the DCT hash of Zauner 2010, "Implementation and
 * Benchmarking of Perceptual Image Hash Functions", as pHash computes it): pictures that look alike
 * get hashes a few bits apart, whatever their size, encoding or small edits.
 *
 * <p>The steps: composite over white, to luma (Rec. 601: 0.299 R + 0.587 G + 0.114 B); area-average
 * to 32×32; the orthonormal 2-D DCT-II; of its 8×8 lowest frequencies, the 63 without the DC term
 * (the mean brightness, which says nothing about the picture's structure); then bit u·8 + v is set
 * when coefficient (u, v) — u the vertical frequency, v the horizontal — is above the median of the
 * 63. Bit 0, the DC term's place, is always 0, so 63 bits carry information. Coefficients within
 * 1e-9 of zero count as zero, so a flat picture hashes to 0 on every machine.
 *
 * <p>Pictures are compared by the {@link #hamming Hamming distance} of their hashes: 0 to 63.
 */
public final class PerceptualHash {

    /** The side of the grey picture the DCT is taken of. */
    public static final int SIZE = 32;

    /** The side of the block of lowest frequencies kept. */
    public static final int LOW = 8;

    private static final double[][] COS = new double[LOW][SIZE]; // (frequency, sample): α(k) cos((2x+1)kπ/2N)

    static {
        for (int k = 0; k < LOW; k++) {
            double alpha = k == 0 ? Math.sqrt(1.0 / SIZE) : Math.sqrt(2.0 / SIZE);
            for (int x = 0; x < SIZE; x++) {
                COS[k][x] = alpha * StrictMath.cos((2 * x + 1) * k * Math.PI / (2 * SIZE));
            }
        }
    }

    private PerceptualHash() {}

    /**
     * @param picture any picture
     * @return its hash
     */
    public static long of(Picture picture) {
        Picture rgb = picture.rgbOverWhite();
        int w = rgb.width();
        int h = rgb.height();
        byte[] px = rgb.pixels();
        double[] luma = new double[w * h];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = (0.299 * (px[i * 3] & 0xFF) + 0.587 * (px[i * 3 + 1] & 0xFF) + 0.114 * (px[i * 3 + 2] & 0xFF))
                    / 255.0;
        }
        double[] f = PictureFeatures.areaResize(luma, w, h, SIZE, SIZE); // (y, x)
        double[][] rows = new double[SIZE][LOW]; // (y, v): the DCT along each row
        for (int y = 0; y < SIZE; y++) {
            for (int v = 0; v < LOW; v++) {
                double s = 0;
                for (int x = 0; x < SIZE; x++) {
                    s += COS[v][x] * f[y * SIZE + x];
                }
                rows[y][v] = s;
            }
        }
        double[] coef = new double[LOW * LOW]; // (u, v)
        for (int u = 0; u < LOW; u++) {
            for (int v = 0; v < LOW; v++) {
                double s = 0;
                for (int y = 0; y < SIZE; y++) {
                    s += COS[u][y] * rows[y][v];
                }
                coef[u * LOW + v] = Math.abs(s) < 1e-9 ? 0.0 : s;
            }
        }
        double[] ac = Arrays.copyOfRange(coef, 1, coef.length);
        Arrays.sort(ac);
        double median = ac[ac.length / 2];
        long hash = 0;
        for (int i = 1; i < coef.length; i++) {
            if (coef[i] > median) {
                hash |= 1L << i;
            }
        }
        return hash;
    }

    /**
     * @param a a hash
     * @param b another
     * @return how many bits differ, 0 to 64
     */
    public static int hamming(long a, long b) {
        return Long.bitCount(a ^ b);
    }
}
