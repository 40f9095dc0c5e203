package art.atelier.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * An 8-bit picture, the currency between corpus, models and codecs: {@code channels} is 1 (grey),
 * 3 (RGB) or 4 (RGBA, straight alpha); {@code pixels} holds rows top to bottom, each pixel's channels
 * interleaved ({@code (y * width + x) * channels + c}).
 *
 * <p>Models see pictures as signed floats: channel-major (C, H, W) in [-1, 1], 0 ↦ -1 and 255 ↦ 1.
 *
 * @param width columns
 * @param height rows
 * @param channels 1, 3 or 4
 * @param pixels width·height·channels bytes, read as unsigned
 */
public record Picture(int width, int height, int channels, byte[] pixels) {

    /** Checks the shape. */
    public Picture {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a picture needs at least one pixel, was " + width + "x" + height);
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("channels must be 1, 3 or 4, was " + channels);
        }
        if (pixels.length != width * height * channels) {
            throw new IllegalArgumentException("expected " + width * height * channels + " bytes, got " + pixels.length);
        }
    }

    /**
     * @param x column
     * @param y row
     * @param c channel
     * @return that sample, 0 to 255
     */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /**
     * A picture from a model's output.
     *
     * @param chw (C, H, W) values in [-1, 1]; outside values are clamped
     * @param offset where the picture starts in {@code chw}
     * @param channels C
     * @param height H
     * @param width W
     * @return the picture, each value rounded to the nearest of 256 levels
     */
    public static Picture fromSigned(float[] chw, int offset, int channels, int height, int width) {
        byte[] px = new byte[width * height * channels];
        int plane = width * height;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                float v = (chw[offset + c * plane + i] + 1f) * 127.5f;
                int b = Math.round(Math.max(0f, Math.min(255f, v)));
                px[i * channels + c] = (byte) b;
            }
        }
        return new Picture(width, height, channels, px);
    }

    /**
     * @param out where to write (C, H, W) values in [-1, 1]
     * @param offset where this picture starts in {@code out}
     */
    public void toSigned(float[] out, int offset) {
        int plane = width * height;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                out[offset + c * plane + i] = (pixels[i * channels + c] & 0xFF) / 127.5f - 1f;
            }
        }
    }

    /** @return (C, H, W) values in [-1, 1] */
    public float[] toSigned() {
        float[] out = new float[pixels.length];
        toSigned(out, 0);
        return out;
    }

    /** @return whether the picture has an alpha channel */
    public boolean hasAlpha() {
        return channels == 4;
    }

    /** @return this picture composited over white, as RGB (an RGB picture is returned as is; grey is expanded) */
    public Picture rgbOverWhite() {
        if (channels == 3) {
            return this;
        }
        byte[] out = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) {
            for (int c = 0; c < 3; c++) {
                int v;
                if (channels == 1) {
                    v = pixels[i] & 0xFF;
                } else {
                    int a = pixels[i * 4 + 3] & 0xFF;
                    int s = pixels[i * 4 + c] & 0xFF;
                    v = (s * a + 255 * (255 - a) + 127) / 255;
                }
                out[i * 3 + c] = (byte) v;
            }
        }
        return new Picture(width, height, 3, out);
    }

    /** @return the picture as RGBA (grey and RGB get an opaque alpha) */
    public Picture rgba() {
        if (channels == 4) {
            return this;
        }
        byte[] out = new byte[width * height * 4];
        for (int i = 0; i < width * height; i++) {
            for (int c = 0; c < 3; c++) {
                out[i * 4 + c] = pixels[channels == 1 ? i : i * 3 + c];
            }
            out[i * 4 + 3] = (byte) 255;
        }
        return new Picture(width, height, 4, out);
    }

    /**
     * @return a {@link BufferedImage} of the same pixels: TYPE_BYTE_GRAY, TYPE_INT_RGB or TYPE_INT_ARGB
     *     (non-premultiplied)
     */
    public BufferedImage toBufferedImage() {
        int type = switch (channels) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_INT_RGB;
            default -> BufferedImage.TYPE_INT_ARGB;
        };
        BufferedImage img = new BufferedImage(width, height, type);
        if (channels == 1) {
            img.getRaster().setDataElements(0, 0, width, height, pixels.clone());
            return img;
        }
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            int r = pixels[i * channels] & 0xFF;
            int g = pixels[i * channels + 1] & 0xFF;
            int b = pixels[i * channels + 2] & 0xFF;
            int a = channels == 4 ? pixels[i * 4 + 3] & 0xFF : 255;
            argb[i] = a << 24 | r << 16 | g << 8 | b;
        }
        img.setRGB(0, 0, width, height, argb, 0, width);
        return img;
    }

    /**
     * Lays pictures of one size out in rows, left to right, on a background that is white (RGB and
     * grey) or transparent (RGBA).
     *
     * @param pictures pictures of the same size and channels
     * @param columns pictures per row
     * @param gap pixels between pictures and around the grid
     * @return the grid
     */
    public static Picture grid(List<Picture> pictures, int columns, int gap) {
        if (pictures.isEmpty()) {
            throw new IllegalArgumentException("a grid needs at least one picture");
        }
        Picture first = pictures.get(0);
        int w = first.width;
        int h = first.height;
        int ch = first.channels;
        int cols = Math.min(columns, pictures.size());
        int rows = (pictures.size() + cols - 1) / cols;
        int gw = cols * w + (cols + 1) * gap;
        int gh = rows * h + (rows + 1) * gap;
        byte[] px = new byte[gw * gh * ch];
        if (ch != 4) {
            Arrays.fill(px, (byte) 255);
        }
        for (int k = 0; k < pictures.size(); k++) {
            Picture p = pictures.get(k);
            if (p.width != w || p.height != h || p.channels != ch) {
                throw new IllegalArgumentException("pictures in a grid must share size and channels");
            }
            int x0 = gap + (k % cols) * (w + gap);
            int y0 = gap + (k / cols) * (h + gap);
            for (int y = 0; y < h; y++) {
                System.arraycopy(p.pixels, y * w * ch, px, ((y0 + y) * gw + x0) * ch, w * ch);
            }
        }
        return new Picture(gw, gh, ch, px);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Picture p && p.width == width && p.height == height && p.channels == channels
                && Arrays.equals(p.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pixels) * 31 + width * 7 + height * 3 + channels;
    }

    @Override
    public String toString() {
        return "Picture[" + width + "x" + height + "x" + channels + "]";
    }
}
