package art.atelier.novelty;

import art.atelier.image.Picture;

/**
 * The feature space in which pictures are compared for novelty, and its distance.
 *
 * <p><b>Features.</b> The picture is composited over white as RGB and area-averaged to a 36×36
 * thumbnail per channel (each source pixel weighed by the fraction of it inside a thumbnail pixel, so
 * any size and aspect lands in the same space without resampling artefacts). Its features are the
 * central 32×32 of the thumbnail — the picture without a border of 1/18 of its size — area-averaged
 * again to 8×8 per channel: {@value #LENGTH} values in [0, 1], channel-major (c, y, x).
 *
 * <p><b>Distance.</b> Euclidean (L2) distance between feature vectors, from 0 (same averages) to
 * √192 ≈ 13.9 (black against white). A work is compared to a training picture up to a small move:
 * {@link #views} takes the work's 8×8 averages over {@value #VIEW_COUNT} windows of the thumbnail
 * — the central window, each window of the same size moved by up to ±2 thumbnail pixels (±1/18 of the
 * picture) in each direction, and windows 1/16 smaller (moved by up to ±3) and 1/16 larger (±1) —
 * and {@link #distance(double[][], double[])} is the smallest distance of any of them to the training
 * picture's features.
 *
 * <p><b>Why not the plain 8×8 average of the whole picture.</b> That is what this would be without
 * the border and the views, and it is robust to most edits, but not enough to moves: each value is
 * the mean of one 64th of the picture, so a move of s pixels in a picture w pixels wide changes every
 * cell near an edge by up to s·8/w of the colour difference. Measured on the constructed paintings of
 * the tests (64×64, 60 training pictures), a move of 2 pixels along both axes put a copy at up to 0.28
 * of the typical distance between training pictures, and a move of 4 pixels at up to 0.53 — as far
 * as a loose variation. Blurring or coarser grids do not help: they shrink the typical distance as much
 * as the copy's. With the views, the same moves of 2 and 4 pixels land at 0.04 and 0.07 at most (a
 * move that falls between thumbnail pixels keeps up to half a thumbnail pixel of misalignment: 0.13 at
 * most for 1 or 3 pixels), crops that also rescale by up to 6% at 0.15 or less, while fresh pictures of
 * the same style stay at 0.78 or more (0.97 on average), as they did without the views. The border and
 * the views are the price: a change confined to the outer 1/18 of a picture is not seen.
 */
public final class PictureFeatures {

    /** Cells per side of the feature grid. */
    public static final int GRID = 8;

    /** Values per picture: GRID · GRID · 3. */
    public static final int LENGTH = GRID * GRID * 3;

    /** The side of the thumbnail the windows are taken from. */
    public static final int THUMBNAIL = 36;

    /** The side of the central window, in thumbnail pixels. */
    public static final int WINDOW = 32;

    /** How many views {@link #views} gives: 25 moves of the central size, 49 of the smaller, 9 of the larger. */
    public static final int VIEW_COUNT = 83;

    private static final int[] VIEW_SIZES = {WINDOW, WINDOW - 2, WINDOW + 2}; // the central size first

    private PictureFeatures() {}

    /**
     * @param picture any picture (grey, RGB or RGBA; alpha is composited over white)
     * @return its {@value #LENGTH} features in [0, 1], channel-major (c, y, x)
     */
    public static double[] of(Picture picture) {
        int o = (THUMBNAIL - WINDOW) / 2;
        return window(thumbnail(picture), o, o, WINDOW);
    }

    /**
     * The views a work is compared by: the features of {@value #VIEW_COUNT} windows of its thumbnail.
     *
     * @param picture any picture
     * @return (views, LENGTH): first the central window ({@link #of}), then the moved and resized ones
     */
    public static double[][] views(Picture picture) {
        double[] thumb = thumbnail(picture);
        double[][] out = new double[VIEW_COUNT][];
        int k = 0;
        int c = (THUMBNAIL - WINDOW) / 2;
        out[k++] = window(thumb, c, c, WINDOW);
        for (int size : VIEW_SIZES) {
            for (int oy = 0; oy + size <= THUMBNAIL; oy++) {
                for (int ox = 0; ox + size <= THUMBNAIL; ox++) {
                    if (size == WINDOW && ox == c && oy == c) {
                        continue;
                    }
                    out[k++] = window(thumb, ox, oy, size);
                }
            }
        }
        return out;
    }

    /**
     * @param work a work's {@link #views}
     * @param training a training picture's features ({@link #of})
     * @return the smallest distance of any view to the training picture
     */
    public static double distance(double[][] work, double[] training) {
        return Math.sqrt(squaredDistanceBelow(work, training, Double.POSITIVE_INFINITY));
    }

    /** @return the smallest squared distance of any view to {@code training}, or some value ≥ {@code bound} */
    static double squaredDistanceBelow(double[][] views, double[] training, double bound) {
        double best = bound;
        for (double[] v : views) {
            double d = squaredDistanceBelow(v, training, best);
            if (d < best) {
                best = d;
            }
        }
        return best;
    }

    /** (3, THUMBNAIL, THUMBNAIL) area averages of the picture over white, in [0, 1]. */
    private static double[] thumbnail(Picture picture) {
        Picture rgb = picture.rgbOverWhite();
        int w = rgb.width();
        int h = rgb.height();
        byte[] px = rgb.pixels();
        int plane = THUMBNAIL * THUMBNAIL;
        double[] out = new double[3 * plane];
        double[] src = new double[w * h];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < src.length; i++) {
                src[i] = (px[i * 3 + c] & 0xFF) / 255.0;
            }
            System.arraycopy(areaResize(src, w, h, THUMBNAIL, THUMBNAIL), 0, out, c * plane, plane);
        }
        return out;
    }

    /** The GRID × GRID averages of the size × size window at (ox, oy) of a thumbnail, per channel. */
    private static double[] window(double[] thumb, int ox, int oy, int size) {
        double[] out = new double[LENGTH];
        double[] sub = new double[size * size];
        int plane = THUMBNAIL * THUMBNAIL;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                System.arraycopy(thumb, c * plane + (oy + y) * THUMBNAIL + ox, sub, y * size, size);
            }
            System.arraycopy(areaResize(sub, size, size, GRID, GRID), 0, out, c * GRID * GRID, GRID * GRID);
        }
        return out;
    }

    /**
     * @param a features
     * @param b features of the same length
     * @return their Euclidean distance
     */
    public static double distance(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("features of lengths " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * Squared distance, abandoned as soon as it exceeds {@code bound}.
     *
     * @return the squared distance, or some value above {@code bound}
     */
    static double squaredDistanceBelow(double[] a, double[] b, double bound) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
            if ((i & 15) == 15 && s > bound) {
                return s;
            }
        }
        return s;
    }

    /**
     * Area-average resampling: each output cell is the mean of the source area it covers, partly
     * covered source pixels weighed by the fraction covered.
     *
     * @param plane (h, w) values
     * @param w source width
     * @param h source height
     * @param ow output width
     * @param oh output height
     * @return (oh, ow) values
     */
    static double[] areaResize(double[] plane, int w, int h, int ow, int oh) {
        double[] rows = new double[h * ow]; // (h, ow): each row resampled across
        for (int y = 0; y < h; y++) {
            for (int ox = 0; ox < ow; ox++) {
                rows[y * ow + ox] = cellMean(plane, y * w, 1, w, ox, ow);
            }
        }
        double[] out = new double[oh * ow];
        for (int ox = 0; ox < ow; ox++) {
            for (int oy = 0; oy < oh; oy++) {
                out[oy * ow + ox] = cellMean(rows, ox, ow, h, oy, oh);
            }
        }
        return out;
    }

    /**
     * The mean over cell {@code k} of {@code cells} of a line of {@code n} samples
     * {@code v[start + i·stride]}: the cell covers [k·n/cells, (k+1)·n/cells) in sample units.
     */
    private static double cellMean(double[] v, int start, int stride, int n, int k, int cells) {
        // Cell bounds in units of 1/cells of a sample, so they are exact integers.
        long lo = (long) k * n;
        long hi = (long) (k + 1) * n;
        double sum = 0;
        for (int i = (int) (lo / cells); i < n && (long) i * cells < hi; i++) {
            long a = Math.max(lo, (long) i * cells);
            long b = Math.min(hi, (long) (i + 1) * cells);
            sum += v[start + i * stride] * (b - a);
        }
        return sum / (hi - lo);
    }
}
