package art.atelier.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.UsageException;
import art.atelier.corpus.ImageCorpus.Fit;
import art.atelier.corpus.ImageCorpus.Item;
import art.atelier.corpus.ImageCorpus.Options;
import art.atelier.image.Picture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

class ImageCorpusTest {

    private static final Color RED = new Color(255, 0, 0);
    private static final Color BLUE = new Color(0, 0, 255);

    @TempDir
    Path dir;

    // ---- drawing pictures ------------------------------------------------------------------------

    private static Options opts(int size, Fit fit, int channels) {
        return new Options(size, fit, channels);
    }

    /** A background with a filled oval: k varies colours and sizes so every picture differs. */
    private static BufferedImage shape(int k, int type) {
        int w = 12 + (k * 7) % 29;
        int h = 12 + (k * 11) % 29;
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color((k * 53) % 256, (k * 97) % 256, (k * 29) % 256));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(255 - (k * 53) % 256, (k * 31) % 256, 200));
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        return img;
    }

    private static BufferedImage halves(int w, int h, Color left, Color right) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(right);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).as("a " + format + " writer for " + img).isTrue();
        return out.toByteArray();
    }

    private Path write(String rel, byte[] bytes) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    private Path write(String rel, BufferedImage img, String format) throws IOException {
        return write(rel, encode(img, format));
    }

    /** n distinct opaque PNGs named prefix0.png, prefix1.png, … */
    private void fillers(String prefix, int n) throws IOException {
        for (int k = 0; k < n; k++) {
            write(prefix + k + ".png", shape(k + prefix.length() * 17, BufferedImage.TYPE_INT_RGB), "png");
        }
    }

    /** Two colours with index 2 transparent (its colour green, which must never show). */
    private static IndexColorModel paletteWithTransparency() {
        byte[] r = {(byte) 255, 0, 0};
        byte[] g = {0, 0, (byte) 255};
        byte[] b = {0, (byte) 255, 0};
        return new IndexColorModel(8, 3, r, g, b, 2);
    }

    /** 16x16: left half the transparent index, right half red. */
    private static BufferedImage transparentLeftRedRight() {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED, paletteWithTransparency());
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.getRaster().setSample(x, y, 0, x < 8 ? 2 : 0);
            }
        }
        return img;
    }

    private static BufferedImage custom(ColorSpace cs, int[] bits, boolean alpha, int transfer, int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(cs, bits, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transfer);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        int max = (1 << bits[0]) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < bits.length; b++) {
                    raster.setSample(x, y, b, (x * 37 + y * 11 + b * 90) % (max + 1));
                }
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    private static byte[] animatedGif(BufferedImage first, BufferedImage second) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(first, null, null), null);
            writer.writeToSequence(new IIOImage(second, null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static BufferedImage solidIndexed(Color c) {
        IndexColorModel icm = new IndexColorModel(8, 1, new byte[] {(byte) c.getRed()},
                new byte[] {(byte) c.getGreen()}, new byte[] {(byte) c.getBlue()});
        return new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED, icm); // all index 0
    }

    /** A four-component (CMYK) JPEG, which Java decodes but with wrong colours. */
    private static byte[] cmykJpeg() throws IOException {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(r, null, null), null);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A 40x40 JPEG of noise, so that most of the file is picture data. */
    private static byte[] noisyJpeg() throws IOException {
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return encode(img, "jpg");
    }

    /** Every format and colour model ImageIO hands back, 12 files. */
    private void everyKind() throws IOException {
        write("rgba.png", shape(1, BufferedImage.TYPE_INT_ARGB), "png");
        write("palette.png", transparentLeftRedRight(), "png");
        write("grey.png", shape(2, BufferedImage.TYPE_BYTE_GRAY), "png");
        write("grey16.png", shape(3, BufferedImage.TYPE_USHORT_GRAY), "png");
        write("rgb16.png", custom(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16}, false,
                DataBuffer.TYPE_USHORT, 23, 17), "png");
        write("greyalpha.png", custom(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {8, 8}, true,
                DataBuffer.TYPE_BYTE, 19, 30), "png");
        write("photo.jpg", shape(4, BufferedImage.TYPE_INT_RGB), "jpg");
        write("upper.JPEG", shape(5, BufferedImage.TYPE_INT_RGB), "jpg");
        write("palette.gif", transparentLeftRedRight(), "gif");
        write("anim.gif", animatedGif(solidIndexed(RED), solidIndexed(BLUE)));
        write("paint.bmp", shape(6, BufferedImage.TYPE_INT_RGB), "bmp");
        write("disguised.png", shape(7, BufferedImage.TYPE_INT_RGB), "jpg"); // a JPEG called .png
    }

    // ---- loading -----------------------------------------------------------------------------------

    @Test
    void everyFormatComesOutAtTheChosenSizeAndChannels() throws IOException {
        everyKind();
        for (Options o : List.of(opts(8, Fit.CROP, 1), opts(16, Fit.PAD, 3), opts(32, Fit.CROP, 4),
                opts(64, Fit.PAD, 4))) {
            ImageCorpus c = ImageCorpus.load(dir, o, BadFilePolicy.STOP);
            assertThat(c.skipped()).isEmpty();
            assertThat(c.options()).isEqualTo(o);
            assertThat(c.pictures()).hasSize(12).allSatisfy(it -> {
                assertThat(it.picture().width()).isEqualTo(o.size());
                assertThat(it.picture().height()).isEqualTo(o.size());
                assertThat(it.picture().channels()).isEqualTo(o.channels());
            });
        }
    }

    @Test
    void picturesAreSortedByPathAndLoadingIsDeterministic() throws IOException {
        everyKind();
        ImageCorpus a = ImageCorpus.load(dir, opts(16, Fit.CROP, 4), BadFilePolicy.STOP);
        ImageCorpus b = ImageCorpus.load(dir, opts(16, Fit.CROP, 4), BadFilePolicy.STOP);
        List<String> paths = a.pictures().stream().map(Item::path).toList();
        assertThat(paths).isSorted().contains("upper.JPEG", "disguised.png");
        assertThat(a.pictures()).isEqualTo(b.pictures());
    }

    @Test
    void cropKeepsTheCentreAndPadAddsBars() {
        BufferedImage wide = halves(40, 20, RED, BLUE);
        Picture crop = ImageCorpus.fit(wide, opts(8, Fit.CROP, 3));
        Picture pad4 = ImageCorpus.fit(wide, opts(8, Fit.PAD, 4));
        Picture pad3 = ImageCorpus.fit(wide, opts(8, Fit.PAD, 3));
        Picture pad1 = ImageCorpus.fit(wide, opts(8, Fit.PAD, 1));
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int[] colour = x < 4 ? new int[] {255, 0, 0} : new int[] {0, 0, 255};
                assertThat(rgb(crop, x, y)).as("crop %d,%d", x, y).containsExactly(colour);
                boolean bar = y < 2 || y >= 6; // 10 of 40 rows above and below the picture
                if (bar) {
                    assertThat(rgba(pad4, x, y)).containsExactly(0, 0, 0, 0);
                    assertThat(rgb(pad3, x, y)).containsExactly(255, 255, 255);
                    assertThat(pad1.get(x, y, 0)).isEqualTo(255);
                } else {
                    assertThat(rgba(pad4, x, y)).containsExactly(colour[0], colour[1], colour[2], 255);
                    assertThat(rgb(pad3, x, y)).containsExactly(colour);
                    assertThat(pad1.get(x, y, 0)).isEqualTo(x < 4 ? 76 : 29); // 0.299·255, 0.114·255
                }
            }
        }
    }

    @Test
    void transparencyIsKeptForFourChannelsAndWhiteForThree() throws IOException {
        Path png = write("palette.png", transparentLeftRedRight(), "png");
        Path gif = write("palette.gif", transparentLeftRedRight(), "gif");
        for (Path p : List.of(png, gif)) {
            Picture four = ImageCorpus.readPicture(p, opts(8, Fit.CROP, 4));
            Picture three = ImageCorpus.readPicture(p, opts(8, Fit.CROP, 3));
            for (int y = 0; y < 8; y++) {
                assertThat(rgba(four, 0, y)).as(p.toString()).containsExactly(0, 0, 0, 0); // never the green
                assertThat(rgba(four, 7, y)).containsExactly(255, 0, 0, 255);
                assertThat(rgb(three, 0, y)).containsExactly(255, 255, 255);
                assertThat(rgb(three, 7, y)).containsExactly(255, 0, 0);
            }
        }
    }

    @Test
    void theColourOfTransparentPixelsDoesNotBleedWhenShrinking() {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, x < 7 ? 0x0000FF00 : 0xFFFF0000); // transparent green | opaque red
            }
        }
        Picture four = ImageCorpus.fit(img, opts(8, Fit.CROP, 4));
        Picture three = ImageCorpus.fit(img, opts(8, Fit.CROP, 3));
        // output column 3 averages source columns 6 (transparent) and 7 (red): half-covered pure red
        assertThat(rgba(four, 3, 5)).containsExactly(255, 0, 0, 128);
        assertThat(rgb(three, 3, 5)).containsExactly(255, 128, 128);
        assertThat(rgba(four, 2, 5)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void greyPicturesKeepTheirStoredValues() throws IOException {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage grey16 = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                grey.getRaster().setSample(x, y, 0, x * 30 + y);
                grey16.getRaster().setSample(x, y, 0, (x * 30 + y) * 257);
            }
        }
        Picture one = ImageCorpus.readPicture(write("g.png", grey, "png"), opts(8, Fit.CROP, 1));
        Picture three = ImageCorpus.readPicture(write("g16.png", grey16, "png"), opts(8, Fit.CROP, 3));
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int v = x * 30 + y;
                assertThat(one.get(x, y, 0)).isEqualTo(v); // Java's own grey-to-RGB would brighten 128 to 188
                assertThat(rgb(three, x, y)).containsExactly(v, v, v);
            }
        }
    }

    @Test
    void smallPicturesAreEnlargedBilinearly() {
        BufferedImage flat = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                flat.setRGB(x, y, new Color(10, 200, 30).getRGB());
            }
        }
        Picture big = ImageCorpus.fit(flat, opts(32, Fit.CROP, 3));
        for (int i = 0; i < 32 * 32; i++) {
            assertThat(rgb(big, i % 32, i / 32)).containsExactly(10, 200, 30);
        }
        BufferedImage ramp = halves(2, 2, Color.BLACK, Color.WHITE);
        Picture up = ImageCorpus.fit(ramp, opts(8, Fit.CROP, 1));
        int[] row = new int[8];
        for (int x = 0; x < 8; x++) {
            row[x] = up.get(x, 4, 0);
        }
        assertThat(row).containsExactly(0, 0, 32, 96, 159, 223, 255, 255);
    }

    @Test
    void anAnimatedGifGivesItsFirstFrame() throws IOException {
        Path gif = write("anim.gif", animatedGif(solidIndexed(RED), solidIndexed(BLUE)));
        Picture p = ImageCorpus.readPicture(gif, opts(8, Fit.CROP, 3));
        assertThat(rgb(p, 4, 4)).containsExactly(255, 0, 0);
    }

    // ---- styles and fingerprint --------------------------------------------------------------------

    @Test
    void subFoldersAreStyles() throws IOException {
        fillers("ink/i", 4);
        fillers("wash/w", 4);
        ImageCorpus c = ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP);
        assertThat(c.styles()).containsExactly("ink", "wash");
        assertThat(c.pictures()).extracting(Item::style).containsExactly("ink", "ink", "ink", "ink",
                "wash", "wash", "wash", "wash");
        assertThat(c.pictures().get(0).path()).isEqualTo("ink/i0.png");
        assertThat(c.root()).isEqualTo(dir);

        fillers("r", 1); // one picture at the root as well: its style is "no style", listed first
        ImageCorpus mixed = ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP);
        assertThat(mixed.styles()).containsExactly(ImageCorpus.NO_STYLE, "ink", "wash");
    }

    @Test
    void picturesAtTheRootAloneAreUnstyled() throws IOException {
        fillers("p", 8);
        ImageCorpus c = ImageCorpus.load(dir, opts(8, Fit.PAD, 4), BadFilePolicy.STOP);
        assertThat(c.styles()).isEmpty();
        assertThat(c.pictures()).extracting(Item::style).containsOnly(ImageCorpus.NO_STYLE);
    }

    @Test
    void fingerprintFollowsBytesAndStylesNotNamesOrOptions() throws IOException {
        fillers("a/p", 8);
        String first = ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP).fingerprint();
        assertThat(first).startsWith("sha256:").hasSize(71);
        assertThat(ImageCorpus.load(dir, opts(32, Fit.PAD, 4), BadFilePolicy.STOP).fingerprint()).isEqualTo(first);
        Files.move(dir.resolve("a/p3.png"), dir.resolve("a/renamed.png"));
        assertThat(ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP).fingerprint()).isEqualTo(first);
        byte[] bytes = Files.readAllBytes(dir.resolve("a/renamed.png"));
        write("a/renamed.png", Arrays.copyOf(bytes, bytes.length + 1)); // one byte more after IEND: same pixels
        assertThat(ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP).fingerprint()).isNotEqualTo(first);
        write("a/renamed.png", bytes);
        Files.createDirectories(dir.resolve("b"));
        Files.move(dir.resolve("a/renamed.png"), dir.resolve("b/renamed.png"));
        assertThat(ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP).fingerprint()).isNotEqualTo(first);
    }

    // ---- bad files ---------------------------------------------------------------------------------

    /** name → [content, a fragment its reason must hold] */
    private static List<Object[]> badFiles() throws IOException {
        byte[] png = encode(shape(9, BufferedImage.TYPE_INT_RGB), "png");
        byte[] corrupt = png.clone();
        Random random = new Random(3);
        for (int i = 33; i < corrupt.length; i++) { // the signature and IHDR survive, the rest is noise
            corrupt[i] = (byte) random.nextInt(256);
        }
        byte[] jpeg = noisyJpeg();
        byte[] noise = new byte[300];
        random.nextBytes(noise);
        noise[0] = 0; // no format starts so
        List<Object[]> bad = new ArrayList<>();
        bad.add(new Object[] {"corrupt.png", corrupt, "is damaged"});
        bad.add(new Object[] {"cut.png", Arrays.copyOf(png, png.length * 6 / 10), "is truncated"});
        bad.add(new Object[] {"cut.jpg", Arrays.copyOf(jpeg, jpeg.length * 8 / 10), "is truncated"});
        bad.add(new Object[] {"empty.png", new byte[0], "is empty"});
        bad.add(new Object[] {"notes.png", "just some words\n".getBytes(StandardCharsets.UTF_8), "is text, not a picture"});
        bad.add(new Object[] {"noise.bmp", noise, "is not a picture"});
        bad.add(new Object[] {"cmyk.jpg", cmykJpeg(), "CMYK"});
        return bad;
    }

    @Test
    void underStopEachBadFileIsNamedWithItsReason() throws IOException {
        for (Object[] b : badFiles()) {
            Path folder = Files.createDirectories(dir.resolve("case-" + b[0]));
            for (int k = 0; k < 8; k++) {
                Files.write(folder.resolve("good" + k + ".png"), encode(shape(k, BufferedImage.TYPE_INT_RGB), "png"));
            }
            Files.write(Files.createDirectories(folder.resolve("style")).resolve((String) b[0]), (byte[]) b[1]);
            assertThatThrownBy(() -> ImageCorpus.load(folder, opts(8, Fit.CROP, 3), BadFilePolicy.STOP))
                    .as((String) b[0])
                    .isInstanceOf(CorpusException.class)
                    .hasMessageContaining("style/" + b[0])
                    .hasMessageContaining((String) b[2])
                    .hasMessageContaining("--skip-bad");
        }
    }

    @Test
    void underSkipBadFilesAreLeftOutAndListed() throws IOException {
        fillers("ok/p", 8);
        List<Object[]> bad = badFiles();
        for (Object[] b : bad) {
            write("ok/" + b[0], (byte[]) b[1]);
        }
        ImageCorpus c = ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.SKIP);
        assertThat(c.pictures()).hasSize(8).extracting(Item::path).allMatch(p -> p.startsWith("ok/p"));
        assertThat(c.skipped()).hasSize(bad.size());
        for (Object[] b : bad) {
            assertThat(c.skipped()).filteredOn(f -> f.path().equals("ok/" + b[0]))
                    .singleElement().satisfies(f -> assertThat(f.reason()).contains((String) b[2]));
        }
    }

    @Test
    void tooFewOrNoPicturesAreRefused() throws IOException {
        assertThatThrownBy(() -> ImageCorpus.load(dir.resolve("nope"), opts(8, Fit.CROP, 3), BadFilePolicy.STOP))
                .isInstanceOf(CorpusException.class).hasMessageContaining("no such file or folder");
        write("notes.txt", "words".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP))
                .isInstanceOf(CorpusException.class).hasMessageContaining("no pictures");
        fillers("p", 7);
        assertThatThrownBy(() -> ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP))
                .isInstanceOf(CorpusException.class)
                .hasMessageContaining("needs at least 8 pictures, found 7 in " + dir);
        write("empty.png", new byte[0]);
        assertThatThrownBy(() -> ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.SKIP))
                .hasMessageContaining("found 7").hasMessageContaining("1 bad file(s) left out");
        assertThatThrownBy(() -> ImageCorpus.load(dir.resolve("p0.png"), opts(8, Fit.CROP, 3), BadFilePolicy.STOP))
                .hasMessageContaining("found 1");
    }

    @Test
    void allBadUnderSkipIsRefusedPlainly() throws IOException {
        write("a.png", new byte[0]);
        write("b.png", "text".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.SKIP))
                .isInstanceOf(CorpusException.class)
                .hasMessageContaining("no usable pictures")
                .hasMessageContaining("all 2");
    }

    @Test
    void hiddenFilesAndOtherFilesAreIgnored() throws IOException {
        fillers("p", 8);
        write(".hidden.png", new byte[0]); // bad, but hidden: must not stop the load
        write(".git/objects/x.png", "not a picture".getBytes(StandardCharsets.UTF_8));
        write("notes.txt", "words".getBytes(StandardCharsets.UTF_8));
        write("sketch.psd", new byte[] {1, 2, 3});
        ImageCorpus c = ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP);
        assertThat(c.pictures()).hasSize(8);
        assertThat(c.skipped()).isEmpty();
        assertThat(c.ignoredFiles()).isEqualTo(2);
    }

    @Test
    void optionsAreChecked() {
        for (int size : new int[] {4, 100, 512, 0}) {
            assertThatThrownBy(() -> opts(size, Fit.CROP, 3)).isInstanceOf(UsageException.class)
                    .hasMessageContaining("power of two from 8 to 256").hasMessageContaining("" + size);
        }
        assertThatThrownBy(() -> opts(64, Fit.CROP, 2)).isInstanceOf(UsageException.class)
                .hasMessageContaining("channels must be 1 (grey), 3 (RGB) or 4 (RGBA), was 2");
        assertThatThrownBy(() -> opts(64, null, 3)).isInstanceOf(UsageException.class);
        assertThat(opts(8, Fit.PAD, 1).size()).isEqualTo(8);
    }

    // ---- split -------------------------------------------------------------------------------------

    @Test
    void splitIsDeterministicDisjointAndPerStyle() throws IOException {
        fillers("ink/i", 6);
        fillers("wash/w", 4);
        ImageCorpus c = ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP);
        ImageCorpus.Split s = c.split(0.75, 42);
        assertThat(c.split(0.75, 42)).isEqualTo(s);
        Set<String> train = paths(s.train());
        Set<String> val = paths(s.validation());
        assertThat(train).doesNotContainAnyElementsOf(val);
        Set<String> all = new HashSet<>(train);
        all.addAll(val);
        assertThat(all).isEqualTo(paths(c.pictures()));
        assertThat(s.train()).extracting(Item::style).contains("ink", "wash");
        assertThat(s.validation()).extracting(Item::style).contains("ink", "wash");
        assertThat(s.train()).hasSize(5 + 3); // round(6·0.75), round(4·0.75)
        boolean differs = false;
        for (long seed = 1; seed < 10 && !differs; seed++) {
            differs = !c.split(0.75, seed).equals(s);
        }
        assertThat(differs).as("another seed gives another split").isTrue();
    }

    @Test
    void splitLeavesAtLeastOnePictureOnEachSide() throws IOException {
        fillers("p", 8);
        ImageCorpus c = ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP);
        assertThat(c.split(0.99, 1).validation()).hasSize(1);
        assertThat(c.split(0.01, 1).train()).hasSize(1);
        assertThatThrownBy(() -> c.split(1.0, 1)).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> c.split(0, 1)).isInstanceOf(UsageException.class);
    }

    @Test
    void splitHoldsOneOutWhenEveryStyleHasASinglePicture() throws IOException {
        for (int k = 0; k < 8; k++) {
            write("s" + k + "/p.png", shape(k, BufferedImage.TYPE_INT_RGB), "png");
        }
        ImageCorpus c = ImageCorpus.load(dir, opts(8, Fit.CROP, 3), BadFilePolicy.STOP);
        ImageCorpus.Split s = c.split(0.9, 5);
        assertThat(s.train()).hasSize(7);
        assertThat(s.validation()).hasSize(1);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Set<String> paths(List<Item> items) {
        Set<String> out = new HashSet<>();
        items.forEach(i -> out.add(i.path()));
        return out;
    }

    private static int[] rgb(Picture p, int x, int y) {
        return new int[] {p.get(x, y, 0), p.get(x, y, 1), p.get(x, y, 2)};
    }

    private static int[] rgba(Picture p, int x, int y) {
        return new int[] {p.get(x, y, 0), p.get(x, y, 1), p.get(x, y, 2), p.get(x, y, 3)};
    }
}
