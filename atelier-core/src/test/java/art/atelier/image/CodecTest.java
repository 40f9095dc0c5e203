package art.atelier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Node;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.InflaterInputStream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageInputStream;

class CodecTest {

    // ---------------------------------------------------------------- pictures

    /**
     * Six bands of rows, each built so that one PNG filter wins there: noise (anything), zeros
     * (None), ramps with a random offset per row (Sub), rows that each add one to the row above
     * (Up), each sample the average of its left and upper neighbours (Average), and overlapping
     * flat rectangles, whose edges only Paeth predicts (Paeth).
     */
    static Picture filterExercise(int w, int h, int ch, long seed) {
        Random rnd = new Random(seed);
        int n = w * ch;
        int[][] v = new int[h][n];
        int band = h / 6;
        for (int y = 0; y < h; y++) {
            int kind = Math.min(5, y / band);
            int first = y % band == 0 ? 1 : 0;
            int[] row = v[y];
            int[] up = y > 0 ? v[y - 1] : new int[n];
            switch (kind) {
                case 0 -> {
                    for (int i = 0; i < n; i++) {
                        row[i] = rnd.nextInt(256);
                    }
                }
                case 1 -> { }
                case 2 -> {
                    int offset = rnd.nextInt(256);
                    for (int i = 0; i < n; i++) {
                        row[i] = (i / ch * 3 + i % ch * 40 + offset) & 0xFF;
                    }
                }
                case 3 -> {
                    for (int i = 0; i < n; i++) {
                        // Big steps along the row, so only the row above predicts well.
                        row[i] = first == 1 ? (i >= ch ? row[i - ch] + 64 + rnd.nextInt(128) : rnd.nextInt(256)) & 0xFF
                                : (up[i] + 1) & 0xFF;
                    }
                }
                case 4 -> {
                    for (int i = 0; i < n; i++) {
                        row[i] = first == 1 ? rnd.nextInt(256)
                                : i >= ch ? (row[i - ch] + up[i]) >>> 1 : ((up[i] >>> 1) + 128) & 0xFF;
                    }
                }
                default -> {
                    if (first == 1) {
                        int base = rnd.nextInt(256);
                        for (int yy = y; yy < h; yy++) {
                            Arrays.fill(v[yy], base);
                        }
                        for (int r = 0; r < 40; r++) {
                            int x0 = rnd.nextInt(w);
                            int y0 = y + rnd.nextInt(h - y);
                            int rw = 4 + rnd.nextInt(16);
                            int rh = 2 + rnd.nextInt(5);
                            int[] colour = {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
                            for (int yy = y0; yy < Math.min(h, y0 + rh); yy++) {
                                for (int xx = x0; xx < Math.min(w, x0 + rw); xx++) {
                                    for (int c = 0; c < ch; c++) {
                                        v[yy][xx * ch + c] = colour[c];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        byte[] px = new byte[w * h * ch];
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < n; i++) {
                px[y * n + i] = (byte) v[y][i];
            }
        }
        return new Picture(w, h, ch, px);
    }

    /** Smooth gradients plus seeded noise of ±{@code noise}. */
    static Picture gradient(int w, int h, int ch, long seed, int noise) {
        Random rnd = new Random(seed);
        byte[] px = new byte[w * h * ch];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < ch; c++) {
                    double t = c == 0 ? (double) x / w : c == 1 ? (double) y / h : (double) (x + y) / (w + h);
                    int value = (int) (255 * (0.5 + 0.5 * Math.sin(6 * t + seed + c))) + rnd.nextInt(2 * noise + 1) - noise;
                    px[(y * w + x) * ch + c] = (byte) Math.max(0, Math.min(255, value));
                }
            }
        }
        return new Picture(w, h, ch, px);
    }

    static Picture noise(int w, int h, int ch, long seed) {
        byte[] px = new byte[w * h * ch];
        new Random(seed).nextBytes(px);
        return new Picture(w, h, ch, px);
    }

    /** Each pixel one of {@code colours}, picked at random: high entropy for LZW, few colours for the palette. */
    static Picture fromColours(int w, int h, int ch, int[] colours, Random rnd) {
        byte[] px = new byte[w * h * ch];
        for (int i = 0; i < w * h; i++) {
            int rgb = colours[rnd.nextInt(colours.length)];
            for (int c = 0; c < ch; c++) {
                px[i * ch + c] = (byte) (ch == 1 ? rgb : c == 3 ? 255 : rgb >>> (16 - 8 * c));
            }
        }
        return new Picture(w, h, ch, px);
    }

    static int[] randomColours(int n, Random rnd) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rnd.nextInt(1 << 24);
        }
        return out;
    }

    // ---------------------------------------------------------------- PNG

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void pngRoundTripsExactlyThroughImageIo(int channels) throws IOException {
        Picture p = filterExercise(64, 96, channels, 7 + channels);
        byte[] png = PngCodec.encode(p, Map.of());
        assertThat(rawSamples(ImageIO.read(new ByteArrayInputStream(png)))).isEqualTo(p);
        assertThat(PngCodec.decode(png, channels)).isEqualTo(p);
        assertThat(filterTypes(png)).as("row filters used").containsExactly(0, 1, 2, 3, 4);

        Picture g = gradient(50, 30, channels, 3, 10);
        assertThat(rawSamples(ImageIO.read(new ByteArrayInputStream(PngCodec.encode(g, Map.of()))))).isEqualTo(g);
    }

    @Test
    void pngTextReadsBackInOrderAndBytesAreDeterministic() throws IOException {
        Picture p = gradient(20, 10, 3, 1, 20);
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Title", "Nachtstück — 夜");
        text.put("Software", "Atelier");
        text.put("Comment", "");
        text.put("Beschreibung äöü", "line one\nline two");
        byte[] png = PngCodec.encode(p, text);
        assertThat(PngCodec.readText(png)).containsExactlyEntriesOf(text);
        assertThat(PngCodec.encode(p, new LinkedHashMap<>(text))).isEqualTo(png);
        assertThat(rawSamples(ImageIO.read(new ByteArrayInputStream(png)))).isEqualTo(p);
        assertThat(new String(png, StandardCharsets.ISO_8859_1)).doesNotContain("tIME");
    }

    @Test
    void badKeywordsAreRejected() {
        Picture p = gradient(4, 4, 1, 1, 0);
        for (String bad : new String[] {"", "x".repeat(80), "tab\there", " lead", "trail ", "two  spaces", "夜"}) {
            assertThatThrownBy(() -> PngCodec.encode(p, Map.of(bad, "v")))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(PngCodec.encode(p, Map.of("x".repeat(79), "ok"))).isNotEmpty();
    }

    @Test
    void readTextRejectsNonPngAndBadCrc() {
        assertThatThrownBy(() -> PngCodec.readText("GIF89a, not a png".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class).hasMessageContaining("not a PNG");
        byte[] png = PngCodec.encode(gradient(8, 8, 3, 2, 5), Map.of("Title", "abc"));
        int at = indexOf(png, "abc".getBytes(StandardCharsets.US_ASCII));
        png[at] ^= 1;
        assertThatThrownBy(() -> PngCodec.readText(png))
                .isInstanceOf(IOException.class).hasMessageContaining("CRC").hasMessageContaining("iTXt");
        byte[] cut = Arrays.copyOf(PngCodec.encode(gradient(8, 8, 3, 2, 5), Map.of()), 40);
        assertThatThrownBy(() -> PngCodec.readText(cut)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PngCodec.decode(new byte[] {1, 2, 3}, 3))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot decode");
    }

    @Test
    void decodeConvertsChannels() throws IOException {
        Picture rgba = filterExercise(30, 24, 4, 5);
        byte[] png = PngCodec.encode(rgba, Map.of());
        assertThat(PngCodec.decode(png, 3)).isEqualTo(rgba.rgbOverWhite());
        Picture grey = gradient(30, 20, 1, 4, 8);
        byte[] greyPng = PngCodec.encode(grey, Map.of());
        assertThat(PngCodec.decode(greyPng, 3)).isEqualTo(grey.rgbOverWhite());
        assertThat(PngCodec.decode(greyPng, 4)).isEqualTo(grey.rgba());
        Picture rgb = grey.rgbOverWhite();
        assertThat(PngCodec.decode(PngCodec.encode(rgb, Map.of()), 1)).isEqualTo(grey);
    }

    // ---------------------------------------------------------------- GIF

    @Test
    void gifWithFewColoursIsExactLoopsAndKeepsTheDelay() throws IOException {
        Random rnd = new Random(11);
        int[] colours = randomColours(200, rnd);
        List<Picture> frames = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            frames.add(fromColours(96, 80, 3, colours, rnd));
        }
        // A frame of long runs, for long LZW strings.
        byte[] runs = new byte[96 * 80 * 3];
        for (int i = 0; i < 96 * 80; i++) {
            int rgb = colours[i / 997 % colours.length];
            for (int c = 0; c < 3; c++) {
                runs[i * 3 + c] = (byte) (rgb >>> (16 - 8 * c));
            }
        }
        frames.add(new Picture(96, 80, 3, runs));
        byte[] gif = AnimationCodec.gif(frames, 7);
        Gif read = readGif(gif);
        assertThat(read.frames).hasSize(4);
        for (int k = 0; k < 4; k++) {
            assertThat(argbToPicture(read.frames.get(k), 3)).as("frame " + k).isEqualTo(frames.get(k));
            assertThat(attribute(read.gce.get(k), "delayTime")).isEqualTo("7");
            assertThat(attribute(read.gce.get(k), "transparentColorFlag")).isEqualTo("FALSE");
        }
        assertThat(read.loopCount).isEqualTo(0);
        assertThat(AnimationCodec.gif(frames, 7)).isEqualTo(gif);
    }

    @Test
    void noisyGifIsCloseAndDeterministic() throws IOException {
        List<Picture> frames = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            frames.add(gradient(96, 96, 3, k, 24));
        }
        byte[] gif = AnimationCodec.gif(frames, 10);
        Gif read = readGif(gif);
        assertThat(read.frames).hasSize(3);
        for (int k = 0; k < 3; k++) {
            BufferedImage img = read.frames.get(k);
            assertThat(img.getWidth()).isEqualTo(96);
            assertThat(img.getHeight()).isEqualTo(96);
            Picture got = argbToPicture(img, 3);
            assertThat(meanAbsoluteError(got, frames.get(k))).as("mean absolute error of frame " + k).isLessThan(11);
            // Error diffusion keeps the local average: blurred, the error is smaller still.
            assertThat(meanAbsoluteError(blur(got), blur(frames.get(k)))).as("blurred error of frame " + k).isLessThan(3.5);
        }
        assertThat(read.loopCount).isEqualTo(0);
        assertThat(AnimationCodec.gif(frames, 10)).isEqualTo(gif);
    }

    @Test
    void greyGifsWork() throws IOException {
        List<Picture> exact = new ArrayList<>();
        Random rnd = new Random(3);
        int[] greys = new int[180];
        for (int i = 0; i < greys.length; i++) {
            greys[i] = i + 40;
        }
        exact.add(fromColours(40, 30, 1, greys, rnd));
        exact.add(fromColours(40, 30, 1, greys, rnd));
        Gif read = readGif(AnimationCodec.gif(exact, 5));
        for (int k = 0; k < 2; k++) {
            assertThat(argbToPicture(read.frames.get(k), 3)).isEqualTo(exact.get(k).rgbOverWhite());
        }
        Picture full = gradient(64, 64, 1, 9, 30);
        Picture back = argbToPicture(readGif(AnimationCodec.gif(List.of(full), 5)).frames.get(0), 3);
        assertThat(meanAbsoluteError(back, full.rgbOverWhite())).isLessThan(2);
    }

    @Test
    void transparentPixelsStayTransparent() throws IOException {
        Random rnd = new Random(5);
        int[] colours = randomColours(50, rnd);
        List<Picture> frames = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Picture p = fromColours(40, 30, 4, colours, rnd);
            byte[] px = p.pixels();
            for (int i = 0; i < 40 * 30; i++) {
                int x = i % 40;
                int y = i / 40;
                int d = (x - 20 - 4 * k) * (x - 20 - 4 * k) + (y - 15) * (y - 15);
                px[i * 4 + 3] = (byte) (d < 60 ? 0 : d < 120 ? 100 : d < 200 ? 200 : 255);
            }
            frames.add(p);
        }
        // One frame wholly transparent.
        frames.add(new Picture(40, 30, 4, new byte[40 * 30 * 4]));
        Gif read = readGif(AnimationCodec.gif(frames, 4));
        assertThat(read.frames).hasSize(4);
        for (int k = 0; k < 4; k++) {
            Picture src = frames.get(k);
            Picture got = argbToPicture(read.frames.get(k), 4);
            for (int i = 0; i < 40 * 30; i++) {
                boolean visible = (src.pixels()[i * 4 + 3] & 0xFF) >= 128;
                assertThat(got.pixels()[i * 4 + 3] & 0xFF).isEqualTo(visible ? 255 : 0);
                if (visible) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(got.pixels()[i * 4 + c]).isEqualTo(src.pixels()[i * 4 + c]);
                    }
                }
            }
            assertThat(attribute(read.gce.get(k), "transparentColorFlag")).isEqualTo("TRUE");
            assertThat(attribute(read.gce.get(k), "disposalMethod")).isEqualTo("restoreToBackgroundColor");
        }
    }

    @Test
    void tinyGifs() throws IOException {
        Picture dot = new Picture(1, 1, 3, new byte[] {10, 20, 30});
        assertThat(argbToPicture(readGif(AnimationCodec.gif(List.of(dot), 1)).frames.get(0), 3)).isEqualTo(dot);
        byte[] px = new byte[17 * 9];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i % 17 + i / 17) % 2 == 0 ? 0 : 255);
        }
        Picture checks = new Picture(17, 9, 1, px);
        Gif read = readGif(AnimationCodec.gif(List.of(checks, checks), 65535));
        assertThat(argbToPicture(read.frames.get(1), 3)).isEqualTo(checks.rgbOverWhite());
        assertThat(attribute(read.gce.get(1), "delayTime")).isEqualTo("65535");
    }

    // ---------------------------------------------------------------- APNG

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void apngDecodesFrameByFrame(int channels) throws IOException {
        List<Picture> frames = new ArrayList<>();
        frames.add(filterExercise(320, 224, channels, 1));
        frames.add(gradient(320, 224, channels, 2, 40));
        // Pure noise, so that its data spans several chunks.
        frames.add(noise(320, 224, channels, 3));
        byte[] apng = AnimationCodec.apng(frames, 1, 12);
        assertThat(AnimationCodec.apng(frames, 1, 12)).isEqualTo(apng);

        List<Chunk> chunks = chunks(apng);
        assertThat(chunks.get(0).type).isEqualTo("IHDR");
        assertThat(chunks.get(chunks.size() - 1).type).isEqualTo("IEND");
        Chunk actl = chunks.stream().filter(c -> c.type.equals("acTL")).findFirst().orElseThrow();
        assertThat(int32(actl.data, 0)).isEqualTo(3);
        assertThat(int32(actl.data, 4)).isZero();
        assertThat(chunks.indexOf(actl)).isLessThan(firstIndex(chunks, "IDAT"));

        int expectedSequence = 0;
        List<ByteArrayOutputStream> data = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        for (Chunk c : chunks) {
            switch (c.type) {
                case "fcTL" -> {
                    assertThat(int32(c.data, 0)).isEqualTo(expectedSequence++);
                    sizes.add(new int[] {int32(c.data, 4), int32(c.data, 8)});
                    assertThat(int32(c.data, 12)).isZero();
                    assertThat(int32(c.data, 16)).isZero();
                    assertThat(int16(c.data, 20)).isEqualTo(1);
                    assertThat(int16(c.data, 22)).isEqualTo(12);
                    assertThat(c.data[24]).isZero();
                    assertThat(c.data[25]).isZero();
                    data.add(new ByteArrayOutputStream());
                }
                case "IDAT" -> {
                    assertThat(data).hasSize(1);
                    data.get(0).writeBytes(c.data);
                }
                case "fdAT" -> {
                    assertThat(int32(c.data, 0)).isEqualTo(expectedSequence++);
                    data.get(data.size() - 1).write(c.data, 4, c.data.length - 4);
                }
                default -> { }
            }
        }
        assertThat(chunks.stream().filter(c -> c.type.equals("fdAT")).count())
                .as("some frame spans several fdAT chunks").isGreaterThan(2);
        assertThat(data).hasSize(3);
        Chunk ihdr = chunks.get(0);
        for (int k = 0; k < 3; k++) {
            byte[] header = ihdr.data.clone();
            putInt32(header, 0, sizes.get(k)[0]);
            putInt32(header, 4, sizes.get(k)[1]);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            png.writeBytes(Arrays.copyOf(apng, 8));
            writeChunk(png, "IHDR", header);
            writeChunk(png, "IDAT", data.get(k).toByteArray());
            writeChunk(png, "IEND", new byte[0]);
            assertThat(rawSamples(ImageIO.read(new ByteArrayInputStream(png.toByteArray()))))
                    .as("frame " + k).isEqualTo(frames.get(k));
        }
        assertThat(rawSamples(ImageIO.read(new ByteArrayInputStream(apng)))).isEqualTo(frames.get(0));
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badAnimationsAreRejected() {
        Picture a = gradient(8, 8, 3, 1, 0);
        Picture b = gradient(8, 9, 3, 1, 0);
        Picture grey = gradient(8, 8, 1, 1, 0);
        assertThatThrownBy(() -> AnimationCodec.gif(List.of(), 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnimationCodec.apng(List.of(), 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnimationCodec.gif(List.of(a, b), 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frame 1");
        assertThatThrownBy(() -> AnimationCodec.apng(List.of(a, b), 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnimationCodec.gif(List.of(a, grey), 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnimationCodec.apng(List.of(a, grey), 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnimationCodec.gif(List.of(a), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnimationCodec.apng(List.of(a), 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnimationCodec.apng(List.of(a), 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- helpers

    /** The samples exactly as ImageIO's raster holds them (no colour conversion). */
    static Picture rawSamples(BufferedImage img) {
        int bands = img.getRaster().getNumBands();
        int[] s = img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
        byte[] px = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            px[i] = (byte) s[i];
        }
        return new Picture(img.getWidth(), img.getHeight(), bands, px);
    }

    static Picture argbToPicture(BufferedImage img, int channels) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] px = new byte[w * h * channels];
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 3; c++) {
                px[i * channels + c] = (byte) (argb[i] >>> (16 - 8 * c));
            }
            if (channels == 4) {
                px[i * 4 + 3] = (byte) (argb[i] >>> 24);
            }
        }
        return new Picture(w, h, channels, px);
    }

    /** A 3x3 box blur of an RGB picture's interior. */
    static Picture blur(Picture p) {
        int w = p.width() - 2;
        int h = p.height() - 2;
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int s = 0;
                    for (int dy = 0; dy < 3; dy++) {
                        for (int dx = 0; dx < 3; dx++) {
                            s += p.get(x + dx, y + dy, c);
                        }
                    }
                    px[(y * w + x) * 3 + c] = (byte) ((s + 4) / 9);
                }
            }
        }
        return new Picture(w, h, 3, px);
    }

    static double meanAbsoluteError(Picture a, Picture b) {
        long sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
        }
        return (double) sum / a.pixels().length;
    }

    record Gif(List<BufferedImage> frames, List<IIOMetadataNode> gce, int loopCount) {}

    static Gif readGif(byte[] gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try {
            reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(gif)));
            int n = reader.getNumImages(true);
            List<BufferedImage> frames = new ArrayList<>();
            List<IIOMetadataNode> gce = new ArrayList<>();
            int loop = -1;
            for (int i = 0; i < n; i++) {
                frames.add(reader.read(i));
                Node root = reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c.getNodeName().equals("GraphicControlExtension")) {
                        gce.add((IIOMetadataNode) c);
                    }
                    if (c.getNodeName().equals("ApplicationExtensions")) {
                        for (Node e = c.getFirstChild(); e != null; e = e.getNextSibling()) {
                            IIOMetadataNode app = (IIOMetadataNode) e;
                            if ("NETSCAPE".equals(app.getAttribute("applicationID"))
                                    && "2.0".equals(app.getAttribute("authenticationCode"))) {
                                byte[] b = (byte[]) app.getUserObject();
                                assertThat(b[0]).isEqualTo((byte) 1);
                                loop = (b[1] & 0xFF) | (b[2] & 0xFF) << 8;
                            }
                        }
                    }
                }
            }
            assertThat(gce).hasSize(n);
            return new Gif(frames, gce, loop);
        } finally {
            reader.dispose();
        }
    }

    static String attribute(IIOMetadataNode node, String name) {
        return node.getAttribute(name);
    }

    record Chunk(String type, byte[] data) {}

    /** Splits a PNG into chunks, checking the signature, every length and every CRC. */
    static List<Chunk> chunks(byte[] png) {
        assertThat(Arrays.copyOf(png, 8)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        List<Chunk> out = new ArrayList<>();
        int pos = 8;
        while (pos < png.length) {
            int len = int32(png, pos);
            String type = new String(png, pos + 4, 4, StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(png, pos + 4, 4 + len);
            assertThat(int32(png, pos + 8 + len)).as("CRC of " + type).isEqualTo((int) crc.getValue());
            out.add(new Chunk(type, Arrays.copyOfRange(png, pos + 8, pos + 8 + len)));
            pos += 12 + len;
        }
        assertThat(pos).isEqualTo(png.length);
        return out;
    }

    /** The filter type of every row of a (non-animated) PNG. */
    static TreeSet<Integer> filterTypes(byte[] png) throws IOException {
        List<Chunk> chunks = chunks(png);
        byte[] ihdr = chunks.get(0).data;
        int w = int32(ihdr, 0);
        int h = int32(ihdr, 4);
        int channels = switch (ihdr[9]) {
            case 0 -> 1;
            case 2 -> 3;
            default -> 4;
        };
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        chunks.stream().filter(c -> c.type.equals("IDAT")).forEach(c -> z.writeBytes(c.data));
        byte[] raw;
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(z.toByteArray()))) {
            raw = in.readAllBytes();
        }
        int stride = w * channels + 1;
        assertThat(raw).hasSize(stride * h);
        TreeSet<Integer> types = new TreeSet<>();
        for (int y = 0; y < h; y++) {
            types.add((int) raw[y * stride]);
        }
        return types;
    }

    static int firstIndex(List<Chunk> chunks, String type) {
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).type.equals(type)) {
                return i;
            }
        }
        return -1;
    }

    static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] n = new byte[4];
        putInt32(n, 0, data.length);
        out.writeBytes(n);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        putInt32(n, 0, (int) crc.getValue());
        out.writeBytes(n);
    }

    static int int32(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static int int16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    static void putInt32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
