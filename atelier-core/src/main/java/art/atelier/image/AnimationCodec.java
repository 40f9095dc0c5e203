package art.atelier.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Animations written by hand, deterministically (same frames, same bytes): looping GIFs and
 * Animated PNGs (APNG). Every frame covers the whole canvas.
 *
 * <p>GIF colours: one global palette of at most 255 colours serves all frames, so a colour keeps its
 * index from frame to frame. If the frames hold at most 255 distinct colours (counting only pixels
 * that stay visible) the palette is exactly those colours and the GIF is lossless. Otherwise the
 * palette comes from a median cut over the frames' pixels (the box with the largest squared error is
 * cut along its widest channel, at the place that leaves the least squared error), and pixels are
 * mapped to it with Floyd–Steinberg error diffusion, which trades banding in gradients for fine
 * grain. The index after the last colour is reserved for transparency in RGBA
 * animations; pixels with alpha below 128 become transparent, the rest opaque.
 */
public final class AnimationCodec {

    /**
     * @param frames the loop's frames
     * @param format "gif" or "apng"
     * @param fps frames per second (a GIF rounds each frame's time to hundredths of a second)
     * @return the animation file's bytes
     * @throws IllegalArgumentException for another format, or as {@link #gif} and {@link #apng}
     */
    public static byte[] encode(List<Picture> frames, String format, int fps) {
        return switch (format) {
            case "gif" -> gif(frames, Math.max(1, Math.round(100f / fps)));
            case "apng" -> apng(frames, 1, fps);
            default -> throw new IllegalArgumentException("no animation format '" + format + "'; gif or apng");
        };
    }

    /** Palette colours; of GIF's 256 indices one is kept back for transparency. */
    private static final int MAX_COLOURS = 255;

    /** The median cut looks at this many pixels at most; beyond that it takes an even sample. */
    private static final int MAX_SAMPLES = 1 << 22;

    /** The largest code a GIF's LZW table may hold, plus one. */
    private static final int LZW_TABLE = 4096;

    private AnimationCodec() {}

    /**
     * Encodes frames as a GIF89a that loops forever.
     *
     * @param frames at least one frame; all of one size (at most 65535 pixels a side) and one channel
     *     count
     * @param delayCentiseconds how long each frame shows, 1 to 65535 hundredths of a second
     * @return the GIF file's bytes
     * @throws IllegalArgumentException if there are no frames, they differ in size or channels, or
     *     the delay or size is out of range
     */
    public static byte[] gif(List<Picture> frames, int delayCentiseconds) {
        Picture first = checkFrames(frames);
        if (delayCentiseconds < 1 || delayCentiseconds > 0xFFFF) {
            throw new IllegalArgumentException("a GIF frame delay is 1 to 65535 centiseconds, was " + delayCentiseconds);
        }
        int w = first.width();
        int h = first.height();
        if (w > 0xFFFF || h > 0xFFFF) {
            throw new IllegalArgumentException("a GIF is at most 65535 pixels a side, was " + w + "x" + h);
        }
        boolean alpha = first.hasAlpha();
        int[] palette = palette(frames);
        int transparent = alpha ? palette.length : 0;
        int entries = palette.length + (alpha ? 1 : 0);
        int bits = 1;
        while ((1 << bits) < entries) {
            bits++;
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
        le16(out, w);
        le16(out, h);
        // A global colour table of 2^bits entries, 8 bits per primary, unsorted.
        out.write(0x80 | 0x70 | (bits - 1));
        out.write(transparent); // background: transparent for RGBA, unused otherwise
        out.write(0); // square pixels
        for (int i = 0; i < 1 << bits; i++) {
            int rgb = i < palette.length ? palette[i] : 0;
            out.write(rgb >>> 16 & 0xFF);
            out.write(rgb >>> 8 & 0xFF);
            out.write(rgb & 0xFF);
        }
        // NETSCAPE2.0 application extension: sub-block 1 holds the loop count, 0 meaning forever.
        out.write(0x21);
        out.write(0xFF);
        out.write(11);
        out.writeBytes("NETSCAPE2.0".getBytes(StandardCharsets.US_ASCII));
        out.write(3);
        out.write(1);
        le16(out, 0);
        out.write(0);

        Nearest nearest = new Nearest(palette);
        int minCodeSize = Math.max(2, bits);
        for (Picture f : frames) {
            // Graphics control extension. A frame with transparent pixels must clear the canvas
            // when it goes ("restore to background"), or the previous frame shows through its holes.
            out.write(0x21);
            out.write(0xF9);
            out.write(4);
            out.write(alpha ? 2 << 2 | 1 : 1 << 2);
            le16(out, delayCentiseconds);
            out.write(transparent);
            out.write(0);
            // Image descriptor: the whole canvas, no local colour table, not interlaced.
            out.write(0x2C);
            le16(out, 0);
            le16(out, 0);
            le16(out, w);
            le16(out, h);
            out.write(0);
            out.write(minCodeSize);
            lzw(indices(f, palette, nearest, transparent), minCodeSize, out);
        }
        out.write(0x3B);
        return out.toByteArray();
    }

    /**
     * Encodes frames as an Animated PNG that loops forever. The first frame is also the PNG's
     * default image, which is what readers without APNG support show.
     *
     * @param frames at least one frame, all of one size and channel count (colour type as in
     *     {@link PngCodec#encode})
     * @param delayNumerator each frame shows for {@code delayNumerator / delayDenominator} seconds;
     *     1 to 65535
     * @param delayDenominator 1 to 65535
     * @return the APNG file's bytes
     * @throws IllegalArgumentException if there are no frames, they differ in size or channels, or a
     *     delay term is out of range
     */
    public static byte[] apng(List<Picture> frames, int delayNumerator, int delayDenominator) {
        Picture first = checkFrames(frames);
        if (delayNumerator < 1 || delayNumerator > 0xFFFF || delayDenominator < 1 || delayDenominator > 0xFFFF) {
            throw new IllegalArgumentException("APNG delay terms are 1 to 65535, were "
                    + delayNumerator + "/" + delayDenominator);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        PngCodec.writeSignatureAndHeader(out, first);
        byte[] actl = new byte[8];
        PngCodec.putInt(actl, 0, frames.size());
        PngCodec.putInt(actl, 4, 0); // num_plays 0: loop forever
        PngCodec.chunk(out, "acTL", actl);
        // One sequence shared by every fcTL and fdAT, so a reader can tell if a chunk went missing.
        int sequence = 0;
        for (int k = 0; k < frames.size(); k++) {
            Picture f = frames.get(k);
            byte[] fctl = new byte[26];
            PngCodec.putInt(fctl, 0, sequence++);
            PngCodec.putInt(fctl, 4, f.width());
            PngCodec.putInt(fctl, 8, f.height());
            // x and y offsets (bytes 12..19) are 0: every frame covers the canvas.
            fctl[20] = (byte) (delayNumerator >>> 8);
            fctl[21] = (byte) delayNumerator;
            fctl[22] = (byte) (delayDenominator >>> 8);
            fctl[23] = (byte) delayDenominator;
            fctl[24] = 0; // dispose_op NONE
            fctl[25] = 0; // blend_op SOURCE: replace, so no alpha piles up from frame to frame
            PngCodec.chunk(out, "fcTL", fctl);
            for (byte[] piece : PngCodec.imageData(f)) {
                if (k == 0) {
                    PngCodec.chunk(out, "IDAT", piece);
                } else {
                    byte[] fdat = new byte[4 + piece.length];
                    PngCodec.putInt(fdat, 0, sequence++);
                    System.arraycopy(piece, 0, fdat, 4, piece.length);
                    PngCodec.chunk(out, "fdAT", fdat);
                }
            }
        }
        PngCodec.chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** @return the first frame, after checking that there is one and that all share its shape */
    private static Picture checkFrames(List<Picture> frames) {
        if (frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("an animation needs at least one frame");
        }
        Picture first = frames.get(0);
        for (int k = 0; k < frames.size(); k++) {
            Picture f = frames.get(k);
            if (f == null) {
                throw new IllegalArgumentException("frame " + k + " is null");
            }
            if (f.width() != first.width() || f.height() != first.height() || f.channels() != first.channels()) {
                throw new IllegalArgumentException("frame " + k + " is " + f.width() + "x" + f.height() + "x"
                        + f.channels() + " but frame 0 is " + first.width() + "x" + first.height() + "x"
                        + first.channels());
            }
        }
        return first;
    }

    private static void le16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write(v >>> 8 & 0xFF);
    }

    /** Whether pixel {@code i} stays visible in a GIF: always, unless its alpha is below one half. */
    private static boolean opaque(Picture p, int i) {
        return p.channels() != 4 || (p.pixels()[i * 4 + 3] & 0xFF) >= 128;
    }

    /** @return pixel {@code i} as 0xRRGGBB */
    private static int rgb(Picture p, int i) {
        byte[] px = p.pixels();
        if (p.channels() == 1) {
            return (px[i] & 0xFF) * 0x010101;
        }
        int o = i * p.channels();
        return (px[o] & 0xFF) << 16 | (px[o + 1] & 0xFF) << 8 | (px[o + 2] & 0xFF);
    }

    /** @return the GIF palette, 0xRRGGBB colours, at most {@link #MAX_COLOURS} */
    private static int[] palette(List<Picture> frames) {
        int[] few = fewColours(frames);
        return few != null ? few : medianCut(samples(frames));
    }

    /** @return the visible distinct colours, sorted, or null if there are more than fit a palette */
    private static int[] fewColours(List<Picture> frames) {
        int mask = 1023; // an open-addressing set, at most a quarter full
        int[] set = new int[mask + 1]; // holds colour + 1, so 0 means empty
        int n = 0;
        for (Picture f : frames) {
            for (int i = 0; i < f.width() * f.height(); i++) {
                if (!opaque(f, i)) {
                    continue;
                }
                int key = rgb(f, i) + 1;
                int slot = (key * 0x9E3779B1) >>> 22;
                while (set[slot] != 0 && set[slot] != key) {
                    slot = (slot + 1) & mask;
                }
                if (set[slot] == 0) {
                    if (++n > MAX_COLOURS) {
                        return null;
                    }
                    set[slot] = key;
                }
            }
        }
        int[] colours = new int[n];
        int k = 0;
        for (int key : set) {
            if (key != 0) {
                colours[k++] = key - 1;
            }
        }
        Arrays.sort(colours);
        return colours;
    }

    /** @return the visible pixels' colours, all of them or an evenly spaced {@link #MAX_SAMPLES} */
    private static int[] samples(List<Picture> frames) {
        long total = 0;
        for (Picture f : frames) {
            for (int i = 0; i < f.width() * f.height(); i++) {
                if (opaque(f, i)) {
                    total++;
                }
            }
        }
        long stride = Math.max(1, (total + MAX_SAMPLES - 1) / MAX_SAMPLES);
        int[] out = new int[(int) ((total + stride - 1) / stride)];
        long k = 0;
        int n = 0;
        for (Picture f : frames) {
            for (int i = 0; i < f.width() * f.height(); i++) {
                if (opaque(f, i) && k++ % stride == 0) {
                    out[n++] = rgb(f, i);
                }
            }
        }
        return out;
    }

    /** A box of the median cut: entries {@code [from, to)} of the colour histogram, and their stats. */
    private static final class Box {
        final int from;
        final int to;
        /** Weighted squared distance of the box's colours to their mean. */
        final double error;
        /** The channel (0 red, 1 green, 2 blue) along which the colours spread most. */
        final int axis;
        /** The weighted mean colour, rounded, as 0xRRGGBB. */
        final int mean;

        Box(long[] hist, int from, int to) {
            this.from = from;
            this.to = to;
            double weight = 0;
            double[] sum = new double[3];
            double[] squares = new double[3];
            for (int i = from; i < to; i++) {
                long count = count(hist[i]);
                int rgb = colour(hist[i]);
                weight += count;
                for (int c = 0; c < 3; c++) {
                    int v = channel(rgb, c);
                    sum[c] += (double) count * v;
                    squares[c] += (double) count * v * v;
                }
            }
            double err = 0;
            int widest = 0;
            double widestErr = -1;
            int m = 0;
            for (int c = 0; c < 3; c++) {
                double e = squares[c] - sum[c] * sum[c] / weight;
                err += e;
                if (e > widestErr) {
                    widestErr = e;
                    widest = c;
                }
                m = m << 8 | (int) Math.max(0, Math.min(255, Math.round(sum[c] / weight)));
            }
            this.error = err;
            this.axis = widest;
            this.mean = m;
        }

        boolean splittable() {
            return to - from >= 2;
        }
    }

    private static int channel(int rgb, int c) {
        return rgb >>> (16 - 8 * c) & 0xFF;
    }

    private static int colour(long entry) {
        return (int) (entry >>> 32);
    }

    private static long count(long entry) {
        return entry & 0xFFFFFFFFL;
    }

    /** @return at most {@link #MAX_COLOURS} colours that represent the samples well */
    private static int[] medianCut(int[] samples) {
        Arrays.sort(samples);
        // The histogram: one entry per distinct colour, colour << 32 | count.
        long[] hist = new long[samples.length];
        int n = 0;
        for (int i = 0; i < samples.length; ) {
            int j = i;
            while (j < samples.length && samples[j] == samples[i]) {
                j++;
            }
            hist[n++] = (long) samples[i] << 32 | (j - i);
            i = j;
        }
        List<Box> boxes = new ArrayList<>();
        boxes.add(new Box(hist, 0, n));
        while (boxes.size() < MAX_COLOURS) {
            int pick = -1;
            for (int i = 0; i < boxes.size(); i++) {
                Box b = boxes.get(i);
                if (b.splittable() && (pick < 0 || b.error > boxes.get(pick).error)) {
                    pick = i;
                }
            }
            if (pick < 0) {
                break;
            }
            Box b = boxes.get(pick);
            int cut = cut(hist, b);
            boxes.set(pick, new Box(hist, b.from, cut));
            boxes.add(new Box(hist, cut, b.to));
        }
        int[] palette = new int[boxes.size()];
        for (int i = 0; i < palette.length; i++) {
            palette[i] = boxes.get(i).mean;
        }
        return palette;
    }

    /**
     * Sorts a box's entries along its widest channel and finds where to cut them in two: the place
     * that leaves the least total squared error, which, unlike the plain median, does not split a
     * dense cluster to separate a few outliers.
     *
     * @return the index of the first entry of the upper half, strictly inside the box
     */
    private static int cut(long[] hist, Box b) {
        int shift = 16 - 8 * b.axis;
        // Sort by the axis value put in the top byte (sign bit flipped, as longs sort signed);
        // colour and count below keep the order total.
        for (int i = b.from; i < b.to; i++) {
            hist[i] |= (long) ((colour(hist[i]) >>> shift & 0xFF) ^ 0x80) << 56;
        }
        Arrays.sort(hist, b.from, b.to);
        for (int i = b.from; i < b.to; i++) {
            hist[i] &= (1L << 56) - 1;
        }
        double totalW = 0;
        double totalQ = 0;
        double[] totalS = new double[3];
        for (int i = b.from; i < b.to; i++) {
            long count = count(hist[i]);
            int rgb = colour(hist[i]);
            totalW += count;
            for (int c = 0; c < 3; c++) {
                int v = channel(rgb, c);
                totalS[c] += (double) count * v;
                totalQ += (double) count * v * v;
            }
        }
        double w = 0;
        double q = 0;
        double[] s = new double[3];
        int best = b.from + 1;
        double bestError = Double.POSITIVE_INFINITY;
        for (int i = b.from; i < b.to - 1; i++) {
            long count = count(hist[i]);
            int rgb = colour(hist[i]);
            w += count;
            for (int c = 0; c < 3; c++) {
                int v = channel(rgb, c);
                s[c] += (double) count * v;
                q += (double) count * v * v;
            }
            double lower = q;
            double upper = totalQ - q;
            for (int c = 0; c < 3; c++) {
                lower -= s[c] * s[c] / w;
                double rest = totalS[c] - s[c];
                upper -= rest * rest / (totalW - w);
            }
            if (lower + upper < bestError) {
                bestError = lower + upper;
                best = i + 1;
            }
        }
        return best;
    }

    /** Nearest palette colour by squared RGB distance, with a cache for repeated colours. */
    private static final class Nearest {
        private final int[] red;
        private final int[] green;
        private final int[] blue;
        private final int[] index;
        private final int[] cacheKey = new int[1 << 16];
        private final int[] cacheValue = new int[1 << 16];

        Nearest(int[] palette) {
            int n = palette.length;
            // Sorted by green, so the search can start at the pixel's green and stop once green
            // alone is farther than the best match.
            long[] order = new long[n];
            for (int i = 0; i < n; i++) {
                order[i] = (long) channel(palette[i], 1) << 32 | i;
            }
            Arrays.sort(order);
            red = new int[n];
            green = new int[n];
            blue = new int[n];
            index = new int[n];
            for (int k = 0; k < n; k++) {
                int i = (int) order[k];
                index[k] = i;
                red[k] = channel(palette[i], 0);
                green[k] = channel(palette[i], 1);
                blue[k] = channel(palette[i], 2);
            }
            Arrays.fill(cacheKey, -1);
        }

        int find(int r, int g, int b) {
            int key = r << 16 | g << 8 | b;
            int slot = (key * 0x9E3779B1) >>> 16;
            if (cacheKey[slot] == key) {
                return cacheValue[slot];
            }
            // The first entry with green >= g: from there green only grows upward, only falls downward.
            int start = 0;
            int stop = green.length;
            while (start < stop) {
                int mid = (start + stop) >>> 1;
                if (green[mid] < g) {
                    start = mid + 1;
                } else {
                    stop = mid;
                }
            }
            int best = Integer.MAX_VALUE;
            int found = 0;
            for (int k = start; k < green.length; k++) {
                int dg = green[k] - g;
                if (dg * dg >= best) {
                    break;
                }
                int dr = red[k] - r;
                int db = blue[k] - b;
                int d = dr * dr + dg * dg + db * db;
                if (d < best) {
                    best = d;
                    found = index[k];
                }
            }
            for (int k = start - 1; k >= 0; k--) {
                int dg = g - green[k];
                if (dg * dg >= best) {
                    break;
                }
                int dr = red[k] - r;
                int db = blue[k] - b;
                int d = dr * dr + dg * dg + db * db;
                if (d < best) {
                    best = d;
                    found = index[k];
                }
            }
            cacheKey[slot] = key;
            cacheValue[slot] = found;
            return found;
        }
    }

    /**
     * Maps a frame to palette indices with Floyd–Steinberg error diffusion (left to right, in
     * sixteenths). Transparent pixels take the transparent index and neither take nor pass on error.
     * A colour that is in the palette, with no error arriving, maps to itself exactly.
     */
    private static byte[] indices(Picture f, int[] palette, Nearest nearest, int transparent) {
        int w = f.width();
        int h = f.height();
        byte[] out = new byte[w * h];
        // Error per channel for this row and the next, with one pixel of padding either side.
        int[] here = new int[(w + 2) * 3];
        int[] below = new int[(w + 2) * 3];
        int[] v = new int[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!opaque(f, i)) {
                    out[i] = (byte) transparent;
                    continue;
                }
                int rgb = rgb(f, i);
                int o = (x + 1) * 3;
                for (int c = 0; c < 3; c++) {
                    int want = channel(rgb, c) + ((here[o + c] + 8) >> 4);
                    v[c] = Math.max(0, Math.min(255, want));
                }
                int q = nearest.find(v[0], v[1], v[2]);
                out[i] = (byte) q;
                for (int c = 0; c < 3; c++) {
                    int e = v[c] - channel(palette[q], c);
                    here[o + 3 + c] += 7 * e;
                    below[o - 3 + c] += 3 * e;
                    below[o + c] += 5 * e;
                    below[o + 3 + c] += e;
                }
            }
            int[] t = here;
            here = below;
            below = t;
            Arrays.fill(below, 0);
        }
        return out;
    }

    /**
     * LZW-compresses palette indices the GIF way, into data sub-blocks ending with a terminator.
     * Codes start at {@code minCodeSize + 1} bits and grow as the table fills, up to 12 bits; when
     * the table is full a clear code starts it afresh.
     */
    private static void lzw(byte[] indices, int minCodeSize, ByteArrayOutputStream out) {
        int clear = 1 << minCodeSize;
        int end = clear + 1;
        // The string table: prefix code << 8 | next index → code, in an open-addressing hash.
        int hashBits = 13;
        int mask = (1 << hashBits) - 1;
        int[] keys = new int[1 << hashBits];
        int[] codes = new int[1 << hashBits];
        Arrays.fill(keys, -1);
        Bits bits = new Bits(out);
        int codeSize = minCodeSize + 1;
        int next = end + 1;
        bits.write(clear, codeSize);
        int prefix = indices[0] & 0xFF;
        for (int i = 1; i < indices.length; i++) {
            int k = indices[i] & 0xFF;
            int key = prefix << 8 | k;
            int slot = (key * 0x9E3779B1) >>> (32 - hashBits);
            while (keys[slot] != -1 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == key) {
                prefix = codes[slot];
                continue;
            }
            bits.write(prefix, codeSize);
            // The decoder learns each string one code later than we do, so it widens its codes
            // when the table size before this addition reaches the code range; follow it.
            if (next >= (1 << codeSize) && codeSize < 12) {
                codeSize++;
            }
            if (next < LZW_TABLE) {
                keys[slot] = key;
                codes[slot] = next++;
            } else {
                bits.write(clear, codeSize);
                Arrays.fill(keys, -1);
                codeSize = minCodeSize + 1;
                next = end + 1;
            }
            prefix = k;
        }
        bits.write(prefix, codeSize);
        if (next >= (1 << codeSize) && codeSize < 12) {
            codeSize++;
        }
        bits.write(end, codeSize);
        bits.finish();
    }

    /** Packs codes least significant bit first into GIF data sub-blocks of up to 255 bytes. */
    private static final class Bits {
        private final ByteArrayOutputStream out;
        private final byte[] block = new byte[255];
        private int used;
        private long buffer;
        private int count;

        Bits(ByteArrayOutputStream out) {
            this.out = out;
        }

        void write(int code, int size) {
            buffer |= (long) code << count;
            count += size;
            while (count >= 8) {
                put((int) buffer & 0xFF);
                buffer >>>= 8;
                count -= 8;
            }
        }

        private void put(int b) {
            block[used++] = (byte) b;
            if (used == block.length) {
                flush();
            }
        }

        private void flush() {
            if (used > 0) {
                out.write(used);
                out.write(block, 0, used);
                used = 0;
            }
        }

        /** Writes the last partial byte, the last sub-block and the terminator. */
        void finish() {
            if (count > 0) {
                put((int) buffer & 0xFF);
                buffer = 0;
                count = 0;
            }
            flush();
            out.write(0);
        }
    }
}
