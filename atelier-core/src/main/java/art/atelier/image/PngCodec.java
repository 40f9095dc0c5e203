package art.atelier.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * PNG files written by hand: 8-bit grey, RGB or RGBA, never interlaced, with text entries as
 * {@code iTXt} chunks. Nothing in the file depends on the clock or the machine's locale, so the same
 * picture and text always give the same bytes (for a given JDK, whose zlib does the deflating).
 */
public final class PngCodec {

    /** The eight bytes every PNG starts with. */
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /**
     * Image data is split into chunks of at most this many bytes: one huge chunk is legal, but
     * modest chunks keep every reader's per-chunk buffer small.
     */
    private static final int DATA_CHUNK = 1 << 16;

    private PngCodec() {}

    /**
     * Encodes a picture as PNG.
     *
     * @param p the picture: grey becomes colour type 0, RGB type 2, RGBA type 6; always 8 bits
     * @param text entries written as uncompressed UTF-8 {@code iTXt} chunks, in the map's iteration
     *     order, before the image data; keywords must be 1 to 79 printable Latin-1 characters
     *     without leading, trailing or doubled spaces
     * @return the PNG file's bytes
     * @throws IllegalArgumentException if a keyword is invalid or a keyword or text is null
     */
    public static byte[] encode(Picture p, Map<String, String> text) {
        // Check every entry before doing the costly compression.
        List<byte[]> textChunks = new ArrayList<>(text.size());
        for (Map.Entry<String, String> e : text.entrySet()) {
            textChunks.add(itxt(e.getKey(), e.getValue()));
        }
        List<byte[]> data = imageData(p);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + data.size() * (DATA_CHUNK + 12));
        writeSignatureAndHeader(out, p);
        for (byte[] t : textChunks) {
            chunk(out, "iTXt", t);
        }
        for (byte[] d : data) {
            chunk(out, "IDAT", d);
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /**
     * Reads the text entries of a PNG, checking every chunk's CRC on the way.
     *
     * @param png a PNG file's bytes
     * @return keyword → text for every {@code iTXt}, {@code tEXt} and {@code zTXt} chunk, in file
     *     order (a repeated keyword keeps its first position and its last text)
     * @throws IOException if the bytes are not a PNG, are cut short, or a chunk's CRC or layout is bad
     */
    public static Map<String, String> readText(byte[] png) throws IOException {
        if (png.length < SIGNATURE.length || !Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IOException("not a PNG: the file does not start with the PNG signature");
        }
        Map<String, String> out = new LinkedHashMap<>();
        int pos = SIGNATURE.length;
        while (pos < png.length) {
            if (png.length - pos < 12) {
                throw new IOException("truncated PNG: the chunk at byte " + pos + " is cut short");
            }
            long length = readInt(png, pos) & 0xFFFFFFFFL;
            if (length > png.length - pos - 12) {
                throw new IOException("truncated PNG: the chunk at byte " + pos + " claims " + length + " bytes");
            }
            int len = (int) length;
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(png, pos + 4, 4 + len);
            if ((int) crc.getValue() != readInt(png, pos + 8 + len)) {
                throw new IOException("bad CRC in the " + type + " chunk at byte " + pos);
            }
            int data = pos + 8;
            switch (type) {
                case "tEXt" -> readTEXt(png, data, len, out);
                case "zTXt" -> readZTXt(png, data, len, out);
                case "iTXt" -> readITXt(png, data, len, out);
                case "IEND" -> {
                    return out;
                }
                default -> { }
            }
            pos = data + len + 4;
        }
        throw new IOException("truncated PNG: no IEND chunk");
    }

    /**
     * Decodes an image with {@link ImageIO} (any format it reads, PNG in particular) and converts it.
     * Samples are taken as stored, without colour management. Alpha is composited over white when
     * the result has none, as {@link Picture#rgbOverWhite} does; colour becomes grey by Rec. 601 luma.
     *
     * @param png the file's bytes
     * @param channels the channels wanted: 1, 3 or 4
     * @return the picture
     * @throws IOException if ImageIO cannot read the bytes (the message says why)
     */
    public static Picture decode(byte[] png, int channels) throws IOException {
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("channels must be 1, 3 or 4, was " + channels);
        }
        BufferedImage img;
        // A memory-backed stream: ImageIO.read(InputStream) may otherwise spill to a temporary file.
        // ImageIO.read closes it, except when it returns null; then there is nothing to release.
        try {
            img = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(png)));
        } catch (IOException e) {
            throw new IOException("cannot decode the image: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // ImageIO's readers report some malformed input with unchecked exceptions.
            throw new IOException("cannot decode the image: " + e, e);
        }
        if (img == null) {
            throw new IOException("cannot decode the image: no ImageIO reader recognises its "
                    + png.length + " bytes");
        }
        return fromImage(img, channels);
    }

    /** Writes the signature and the IHDR chunk of a picture's size and channels. */
    static void writeSignatureAndHeader(ByteArrayOutputStream out, Picture p) {
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, p.width());
        putInt(ihdr, 4, p.height());
        ihdr[8] = 8;
        ihdr[9] = (byte) switch (p.channels()) {
            case 1 -> 0;
            case 3 -> 2;
            default -> 6;
        };
        // ihdr[10..12]: deflate compression, adaptive filtering, no interlace, all 0.
        chunk(out, "IHDR", ihdr);
    }

    /**
     * Filters a picture's rows and deflates them into a zlib stream.
     *
     * @param p the picture
     * @return the zlib stream cut into pieces of at most {@value #DATA_CHUNK} bytes, each the payload
     *     of one IDAT (or, after a sequence number, fdAT) chunk
     */
    static List<byte[]> imageData(Picture p) {
        int bpp = p.channels();
        int stride = p.width() * bpp;
        byte[] px = p.pixels();
        byte[] zero = new byte[stride];
        byte[][] candidates = new byte[5][stride];
        ByteArrayOutputStream z = new ByteArrayOutputStream(px.length / 2 + 64);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (DeflaterOutputStream out = new DeflaterOutputStream(z, deflater, 1 << 16)) {
            for (int y = 0; y < p.height(); y++) {
                int row = y * stride;
                // The row above the first is taken as zeros, as the PNG filters define it.
                byte[] prevArr = y == 0 ? zero : px;
                int prev = y == 0 ? 0 : row - stride;
                int best = filterRow(px, row, prevArr, prev, stride, bpp, candidates);
                out.write(best);
                out.write(candidates[best], 0, stride);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream cannot fail", e);
        } finally {
            deflater.end();
        }
        byte[] all = z.toByteArray();
        List<byte[]> pieces = new ArrayList<>(all.length / DATA_CHUNK + 1);
        for (int off = 0; off < all.length; off += DATA_CHUNK) {
            pieces.add(Arrays.copyOfRange(all, off, Math.min(all.length, off + DATA_CHUNK)));
        }
        return pieces;
    }

    /**
     * Computes all five filters of one row and picks the one whose bytes, read as signed, have the
     * smallest sum of magnitudes (the libpng heuristic: small residuals deflate well). Ties go to the
     * lower filter type.
     *
     * @return the chosen filter type; its output is in {@code out[type]}
     */
    private static int filterRow(byte[] cur, int c0, byte[] prevArr, int p0, int n, int bpp, byte[][] out) {
        byte[] none = out[0];
        byte[] sub = out[1];
        byte[] up = out[2];
        byte[] avg = out[3];
        byte[] paeth = out[4];
        long[] sums = new long[5];
        for (int i = 0; i < n; i++) {
            int x = cur[c0 + i] & 0xFF;
            int a = i >= bpp ? cur[c0 + i - bpp] & 0xFF : 0;
            int b = prevArr[p0 + i] & 0xFF;
            int c = i >= bpp ? prevArr[p0 + i - bpp] & 0xFF : 0;
            none[i] = (byte) x;
            sub[i] = (byte) (x - a);
            up[i] = (byte) (x - b);
            avg[i] = (byte) (x - ((a + b) >>> 1));
            paeth[i] = (byte) (x - paethPredictor(a, b, c));
            sums[0] += Math.abs(none[i]);
            sums[1] += Math.abs(sub[i]);
            sums[2] += Math.abs(up[i]);
            sums[3] += Math.abs(avg[i]);
            sums[4] += Math.abs(paeth[i]);
        }
        int best = 0;
        for (int f = 1; f < 5; f++) {
            if (sums[f] < sums[best]) {
                best = f;
            }
        }
        return best;
    }

    private static int paethPredictor(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    /** Appends one chunk: length, type, data and the CRC of type and data. */
    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] head = new byte[8];
        putInt(head, 0, data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, head, 4, 4);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] tail = new byte[4];
        putInt(tail, 0, (int) crc.getValue());
        out.writeBytes(head);
        out.writeBytes(data);
        out.writeBytes(tail);
    }

    /** Writes {@code v} big-endian at {@code b[off..off+3]}. */
    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    /** The payload of an uncompressed iTXt chunk with empty language tag and translated keyword. */
    private static byte[] itxt(String keyword, String text) {
        checkKeyword(keyword);
        if (text == null) {
            throw new IllegalArgumentException("the text of PNG keyword \"" + keyword + "\" is null");
        }
        byte[] k = keyword.getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        // keyword, NUL, compression flag 0, method 0, language tag "" + NUL, translated keyword "" + NUL.
        byte[] out = new byte[k.length + 5 + t.length];
        System.arraycopy(k, 0, out, 0, k.length);
        System.arraycopy(t, 0, out, k.length + 5, t.length);
        return out;
    }

    /** PNG keywords: 1–79 printable Latin-1 characters, no leading, trailing or consecutive spaces. */
    private static void checkKeyword(String k) {
        if (k == null) {
            throw new IllegalArgumentException("a PNG keyword cannot be null");
        }
        if (k.isEmpty() || k.length() > 79) {
            throw new IllegalArgumentException("a PNG keyword has 1 to 79 characters, \"" + k + "\" has " + k.length());
        }
        for (int i = 0; i < k.length(); i++) {
            char ch = k.charAt(i);
            if (!(ch >= 32 && ch <= 126 || ch >= 161 && ch <= 255)) {
                throw new IllegalArgumentException("PNG keyword \"" + k + "\" has a character that is not printable Latin-1 at " + i);
            }
        }
        if (k.startsWith(" ") || k.endsWith(" ") || k.contains("  ")) {
            throw new IllegalArgumentException("PNG keyword \"" + k + "\" has leading, trailing or consecutive spaces");
        }
    }

    private static int nul(byte[] b, int from, int end, String what) throws IOException {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        throw new IOException("malformed " + what + " chunk: a separator is missing");
    }

    private static void readTEXt(byte[] b, int off, int len, Map<String, String> out) throws IOException {
        int end = off + len;
        int z = nul(b, off, end, "tEXt");
        out.put(latin1(b, off, z), latin1(b, z + 1, end));
    }

    private static void readZTXt(byte[] b, int off, int len, Map<String, String> out) throws IOException {
        int end = off + len;
        int z = nul(b, off, end, "zTXt");
        if (z + 1 >= end || b[z + 1] != 0) {
            throw new IOException("malformed zTXt chunk: unknown compression method");
        }
        byte[] text = inflate(b, z + 2, end, "zTXt");
        out.put(latin1(b, off, z), new String(text, StandardCharsets.ISO_8859_1));
    }

    private static void readITXt(byte[] b, int off, int len, Map<String, String> out) throws IOException {
        int end = off + len;
        int z = nul(b, off, end, "iTXt");
        if (z + 2 >= end) {
            throw new IOException("malformed iTXt chunk: the compression fields are missing");
        }
        boolean compressed = b[z + 1] != 0;
        if (compressed && b[z + 2] != 0) {
            throw new IOException("malformed iTXt chunk: unknown compression method");
        }
        int lang = nul(b, z + 3, end, "iTXt");
        int translated = nul(b, lang + 1, end, "iTXt");
        byte[] text = compressed ? inflate(b, translated + 1, end, "iTXt")
                : Arrays.copyOfRange(b, translated + 1, end);
        out.put(latin1(b, off, z), new String(text, StandardCharsets.UTF_8));
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static byte[] inflate(byte[] b, int from, int to, String what) throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(b, from, to - from))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IOException("malformed " + what + " chunk: its compressed text is corrupt", e);
        }
    }

    /** Reads an image's samples (as stored, no colour management) into a picture of {@code channels}. */
    private static Picture fromImage(BufferedImage img, int channels) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] rgba = new int[w * h * 4];
        boolean colour;
        ColorModel cm = img.getColorModel();
        int csType = cm.getColorSpace().getType();
        if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
                && (csType == ColorSpace.TYPE_GRAY || csType == ColorSpace.TYPE_RGB)) {
            // getRGB would convert through the colour space, which for grey is linear and so
            // changes every value; the raster holds the file's samples.
            Raster r = img.getRaster();
            int bands = r.getNumBands();
            int bits = cm.getComponentSize(0);
            colour = csType == ColorSpace.TYPE_RGB;
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 4;
                    for (int c = 0; c < 4; c++) {
                        int band = colour ? c : (c < 3 ? 0 : 1);
                        boolean alpha = c == 3;
                        int v;
                        if (alpha && !cm.hasAlpha()) {
                            v = 255;
                        } else {
                            v = to8(row[x * bands + (alpha ? bands - 1 : band)], bits);
                        }
                        rgba[o + c] = v;
                    }
                }
            }
        } else {
            // Palettes and packed RGB: getRGB gives the stored colours exactly.
            colour = cm.getNumColorComponents() >= 3;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    int o = (y * w + x) * 4;
                    rgba[o] = argb >>> 16 & 0xFF;
                    rgba[o + 1] = argb >>> 8 & 0xFF;
                    rgba[o + 2] = argb & 0xFF;
                    rgba[o + 3] = argb >>> 24;
                }
            }
        }
        byte[] out = new byte[w * h * channels];
        int[] v = new int[3];
        for (int i = 0; i < w * h; i++) {
            int a = rgba[i * 4 + 3];
            for (int c = 0; c < 3; c++) {
                int s = rgba[i * 4 + c];
                v[c] = channels == 4 ? s : (s * a + 255 * (255 - a) + 127) / 255;
            }
            if (channels == 1) {
                out[i] = (byte) (colour ? (299 * v[0] + 587 * v[1] + 114 * v[2] + 500) / 1000 : v[0]);
            } else {
                for (int c = 0; c < 3; c++) {
                    out[i * channels + c] = (byte) v[c];
                }
                if (channels == 4) {
                    out[i * 4 + 3] = (byte) a;
                }
            }
        }
        return new Picture(w, h, channels, out);
    }

    private static int to8(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        int max = (1 << bits) - 1;
        return (int) (((long) sample * 255 + max / 2) / max);
    }
}
