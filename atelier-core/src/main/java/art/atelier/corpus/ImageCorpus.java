package art.atelier.corpus;

import art.atelier.UsageException;
import art.atelier.image.Picture;
import art.atelier.util.Hashing;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An artist's pictures: one PNG, JPEG, GIF or BMP file, or a folder of them, each brought to the
 * model's form, a square of {@link Options#size()} pixels with 1, 3 or 4 channels. The first folder
 * level under the root names a picture's style ("ink/", "watercolour/"); pictures at the root have no
 * style. Every file is decoded as it is read; one that cannot be used is named with the reason.
 *
 * <p>Bringing a picture to the model's form: whatever ImageIO decodes (palette, grey, grey+alpha,
 * 16-bit, RGB, ARGB) is read as straight RGBA, made square ({@link Fit}), then scaled in float on
 * premultiplied alpha (so the colour of transparent pixels never bleeds into their neighbours):
 * area averaging when shrinking, bilinear when enlarging. The same file always gives the same bytes.
 */
public final class ImageCorpus {

    /** Style label of pictures directly under the root. */
    public static final String NO_STYLE = TextCorpus.NO_STYLE;

    /** Fewest usable pictures a corpus may have: fewer teach a model nothing but copies. */
    public static final int MIN_PICTURES = 8;

    /** Most pixels a picture may have (50 megapixels), so one huge file cannot exhaust the memory. */
    public static final long MAX_PIXELS = 50_000_000L;

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");

    // formats ImageIO may decode whatever the file is called; WBMP is left out on purpose: its
    // reader claims almost any run of zero bytes, which would turn a blanked file into a picture
    private static final Set<String> DECODABLE = Set.of("png", "jpeg", "gif", "bmp", "tiff");

    /** How a picture that is not square becomes square. */
    public enum Fit {
        /** Cut the largest centred square out of the picture: nothing is squeezed, the ends of the long side are lost. */
        CROP,
        /** Put the whole picture in the middle of a square, with bars that are transparent (4 channels) or white (1 or 3). */
        PAD
    }

    /**
     * What every picture becomes.
     *
     * @param size side of the square, in pixels: a power of two from 8 to 256
     * @param fit how a picture that is not square is made square
     * @param channels 1 (grey), 3 (RGB) or 4 (RGBA)
     */
    public record Options(int size, Fit fit, int channels) {

        /**
         * Checks the values.
         *
         * @throws UsageException naming the bad value and what is accepted
         */
        public Options {
            if (size < 8 || size > 256 || Integer.bitCount(size) != 1) {
                throw new UsageException("picture size must be a power of two from 8 to 256, was " + size);
            }
            if (fit == null) {
                throw new UsageException("fit must be crop or pad");
            }
            if (channels != 1 && channels != 3 && channels != 4) {
                throw new UsageException("channels must be 1 (grey), 3 (RGB) or 4 (RGBA), was " + channels);
            }
        }
    }

    /**
     * One picture of the corpus, in the model's form.
     *
     * @param path relative to the corpus root, '/'-separated (the file name for a single-file corpus)
     * @param style its style label, or {@link #NO_STYLE}
     * @param picture the picture, options.size() square with options.channels() channels
     */
    public record Item(String path, String style, Picture picture) {}

    /**
     * A corpus cut in two.
     *
     * @param train pictures to learn from, sorted by path
     * @param validation pictures held out to measure progress, sorted by path
     */
    public record Split(List<Item> train, List<Item> validation) {}

    /** A file that cannot be used; the message is the reason, worded to follow the file's name. */
    private static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String reason) {
            super(reason, null, false, false); // a reason for a person; the stack says nothing
        }
    }

    /** The picture files found under a folder, and how many other files were passed over. */
    private record Listing(List<String> pictures, int others) {}

    private final Path root; // the file or folder given
    private final Options options;
    private final List<Item> pictures; // sorted by path
    private final List<String> styles; // sorted, distinct; empty when no picture has a style
    private final List<BadFile> skipped; // files left out, with reasons
    private final int ignoredFiles; // files that are not pictures by their name
    private final String fingerprint;

    private ImageCorpus(Path root, Options options, List<Item> pictures, List<String[]> entries,
            List<BadFile> skipped, int ignoredFiles) {
        this.root = root;
        this.options = options;
        this.pictures = List.copyOf(pictures);
        this.skipped = List.copyOf(skipped);
        this.ignoredFiles = ignoredFiles;
        TreeSet<String> s = new TreeSet<>();
        pictures.forEach(p -> s.add(p.style()));
        // one label, "no style", is an unstyled corpus: the model then learns no style embedding
        this.styles = s.equals(Set.of(NO_STYLE)) ? List.of() : List.copyOf(s);
        this.fingerprint = Fingerprint.of(entries);
    }

    /**
     * Reads, checks and converts a corpus.
     *
     * @param root a picture file, or a folder of .png/.jpg/.jpeg/.gif/.bmp files (sub-folders are styles)
     * @param options what every picture becomes
     * @param policy what to do with a file that cannot be used
     * @return the corpus
     * @throws CorpusException if it is missing, has no pictures, has fewer than {@link #MIN_PICTURES}
     *     usable ones, or (under STOP) has a bad file
     */
    public static ImageCorpus load(Path root, Options options, BadFilePolicy policy) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(policy, "policy");
        if (!Files.exists(root)) {
            throw new CorpusException("no such file or folder: " + root);
        }
        boolean single = Files.isRegularFile(root);
        Listing listing = single ? new Listing(List.of(root.getFileName().toString()), 0) : list(root);
        if (listing.pictures().isEmpty()) {
            throw new CorpusException("no pictures (.png, .jpg, .jpeg, .gif or .bmp files) in " + root);
        }
        List<Item> items = new ArrayList<>();
        List<String[]> entries = new ArrayList<>();
        List<BadFile> bad = new ArrayList<>();
        for (String rel : listing.pictures()) {
            String style = single || !rel.contains("/") ? NO_STYLE : rel.substring(0, rel.indexOf('/'));
            try {
                byte[] bytes = readBytes(single ? root : root.resolve(rel));
                items.add(new Item(rel, style, fit(decode(bytes), options)));
                entries.add(new String[] {style, Hashing.sha256(bytes)});
            } catch (Unusable e) {
                BadFile b = new BadFile(rel, e.getMessage());
                if (policy == BadFilePolicy.STOP) {
                    // decoding the rest would only delay the one thing the artist has to do
                    throw new CorpusException(root.resolve(single ? "" : rel).normalize() + " " + b.reason()
                            + "; fix it, or pass --skip-bad to leave bad files out");
                }
                bad.add(b);
            }
        }
        checkEnough(root, listing.pictures().size(), items.size(), bad);
        return new ImageCorpus(root, options, items, entries, bad, listing.others());
    }

    /**
     * Reads one picture with the corpus's checks and brings it to the model's form (a picture to
     * start from, say).
     *
     * @param file the picture file
     * @param options what it becomes
     * @return the picture
     * @throws CorpusException naming the file and the problem
     */
    public static Picture readPicture(Path file, Options options) {
        try {
            return fit(decode(readBytes(file)), options);
        } catch (Unusable e) {
            throw new CorpusException(file + " " + e.getMessage());
        }
    }

    private static Listing list(Path root) {
        List<String> pictures = new ArrayList<>();
        int[] others = {0};
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(rel -> !hidden(rel))
                    .forEach(rel -> {
                        if (isPicture(rel)) {
                            pictures.add(rel);
                        } else {
                            others[0]++;
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            throw new CorpusException("cannot list " + root + ": " + e.getMessage());
        }
        pictures.sort(null); // by the '/'-separated path, the order of pictures() and of "the first bad file"
        return new Listing(pictures, others[0]);
    }

    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPicture(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static void checkEnough(Path root, int files, int usable, List<BadFile> bad) {
        if (usable == 0) {
            throw new CorpusException("no usable pictures in " + root + ": all " + files
                    + " picture file(s) are bad, e.g. " + bad.get(0));
        }
        if (usable < MIN_PICTURES) {
            String left = bad.isEmpty() ? "" : " (" + bad.size() + " bad file(s) left out)";
            throw new CorpusException("needs at least " + MIN_PICTURES + " pictures, found " + usable + " in " + root + left);
        }
    }

    private static byte[] readBytes(Path file) throws Unusable {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Unusable("cannot be read (" + e.getMessage() + ")");
        }
    }

    // ---- decoding ------------------------------------------------------------------------------

    /**
     * @param bytes a file's content
     * @return its first picture (a GIF's first frame), as ImageIO decodes it
     * @throws Unusable saying why it is not a picture this corpus can use
     */
    static BufferedImage decode(byte[] bytes) throws Unusable {
        if (bytes.length == 0) {
            throw new Unusable("is empty (0 bytes)");
        }
        // a memory-cached stream: ImageIO's default would copy every file into a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(in, bytes);
            try {
                return readFirst(reader, in);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // readers signal damage with IIOException, EOFException, and sometimes runtime exceptions
            throw new Unusable(damage(bytes, e));
        }
    }

    private static ImageReader readerFor(ImageInputStream in, byte[] bytes) throws IOException, Unusable {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (DECODABLE.contains(r.getFormatName().toLowerCase(Locale.ROOT))) {
                return r;
            }
            r.dispose();
        }
        throw new Unusable(notAPicture(bytes));
    }

    private static BufferedImage readFirst(ImageReader reader, ImageInputStream in) throws IOException, Unusable {
        // metadata is read, not ignored: some readers take transparency (PNG tRNS) from it
        reader.setInput(in, true, false);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w < 1 || h < 1) {
            throw new Unusable("has no pixels (" + w + "x" + h + ")");
        }
        if ((long) w * h > MAX_PIXELS) {
            throw new Unusable("is too large (" + w + "x" + h + " pixels; at most " + MAX_PIXELS / 1_000_000
                    + " megapixels): scale it down");
        }
        BufferedImage img = reader.read(0);
        if (img == null) {
            throw new Unusable("is damaged: no picture could be decoded from it");
        }
        for (String warning : warnings) {
            // the JPEG reader fills a cut-off picture with grey and only warns
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("truncated") || lower.contains("premature end")) {
                throw new Unusable("is truncated (" + warning + ")");
            }
        }
        checkColourSpace(img.getColorModel().getColorSpace());
        return img;
    }

    private static void checkColourSpace(ColorSpace cs) throws Unusable {
        // Java decodes CMYK JPEGs, but with wrong colours: better refused than learned
        if (cs.getType() == ColorSpace.TYPE_CMYK) {
            throw new Unusable("is a CMYK picture, which is not supported; save it as RGB");
        }
        if (cs.getType() != ColorSpace.TYPE_RGB && cs.getType() != ColorSpace.TYPE_GRAY) {
            throw new Unusable("uses a colour space other than RGB or grey, which is not supported; save it as RGB");
        }
    }

    /** @return why bytes no reader claims are not a picture, as precisely as their start tells */
    private static String notAPicture(byte[] b) {
        String ascii = new String(b, 0, Math.min(b.length, 12), StandardCharsets.ISO_8859_1);
        if (ascii.startsWith("RIFF") && ascii.length() >= 12 && ascii.startsWith("WEBP", 8)) {
            return "is a WebP picture, which is not supported; save it as PNG";
        }
        if (ascii.length() >= 12 && ascii.startsWith("ftyp", 4)) {
            return "is a HEIC/AVIF picture, which is not supported; save it as PNG or JPEG";
        }
        if (ascii.startsWith("8BPS")) {
            return "is a Photoshop document, which is not supported; export it as PNG";
        }
        if (looksLikeText(b)) {
            return "is text, not a picture";
        }
        return "is not a picture: its content is not PNG, JPEG, GIF or BMP";
    }

    private static boolean looksLikeText(byte[] b) {
        for (int i = 0; i < Math.min(b.length, 512); i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** @return what is wrong with a file a reader failed on, for a person */
    private static String damage(byte[] bytes, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return "is truncated: it ends before the picture does";
            }
        }
        if (isPng(bytes)) {
            // the PNG reader's own words ("Invalid chunk length 187") hide a cut-off file; the chunks tell
            String found = pngDamage(bytes);
            if (found != null) {
                return found;
            }
        }
        return "is damaged or truncated (" + messages(e) + ")";
    }

    private static String messages(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (!parts.contains(m)) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }

    private static boolean isPng(byte[] b) {
        byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        if (b.length < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if (b[i] != sig[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Walks a PNG's chunks (length, type, data, CRC) up to IEND.
     *
     * @param b a file that starts with the PNG signature
     * @return where its structure breaks, or null if it is whole
     */
    private static String pngDamage(byte[] b) {
        int at = 8;
        while (true) {
            int left = b.length - at;
            if (left == 0) {
                return "is truncated: it ends before its IEND chunk";
            }
            if (left < 12) {
                return "is truncated: it ends inside a chunk at byte " + at;
            }
            long length = bigEndian(b, at) & 0xFFFFFFFFL;
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return "is damaged: the bytes at offset " + at + " are not a PNG chunk";
            }
            if (length > left - 12) {
                return "is truncated: its " + type + " chunk at byte " + at + " needs " + length
                        + " bytes, only " + (left - 12) + " remain";
            }
            CRC32 crc = new CRC32();
            crc.update(b, at + 4, 4 + (int) length);
            if ((int) crc.getValue() != bigEndian(b, at + 8 + (int) length)) {
                return "is damaged: its " + type + " chunk at byte " + at + " fails its checksum";
            }
            if (type.equals("IEND")) {
                return null;
            }
            at += 12 + (int) length;
        }
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    // ---- conversion ----------------------------------------------------------------------------

    /**
     * Brings a decoded picture to the model's form: straight RGBA, made square by {@code options.fit()},
     * scaled to {@code options.size()} (area averaging down, bilinear up, on premultiplied alpha), then
     * to {@code options.channels()}: 4 keeps alpha (fully transparent pixels become 0,0,0,0), 3 is
     * composited over white, 1 is over white then luma 0.299 R + 0.587 G + 0.114 B. Deterministic.
     *
     * <p>Grey pictures are read as their stored values (Java's own grey-to-RGB conversion would
     * brighten them); everything else through its colour model as sRGB.
     *
     * @param img any picture ImageIO decodes, with an RGB or grey colour space
     * @param options what it becomes
     * @return the picture, options.size() square
     */
    public static Picture fit(BufferedImage img, Options options) {
        int w = img.getWidth();
        int h = img.getHeight();
        int side = options.fit() == Fit.CROP ? Math.min(w, h) : Math.max(w, h);
        Taps across = Taps.of(w, side, options.size());
        Taps down = Taps.of(h, side, options.size());
        float[][] rows = scaledRows(new Source(img), across, down, options.size());
        float[] square = combineRows(rows, down, options.size());
        return toChannels(square, options.size(), options.channels());
    }

    /** @return each source row that {@code down} draws on, scaled across to size premultiplied RGBA pixels */
    private static float[][] scaledRows(Source source, Taps across, Taps down, int size) {
        float[][] rows = new float[source.height][];
        float[] line = new float[source.width * 4];
        for (int y = down.lowest(); y <= down.highest(); y++) {
            source.row(y, line);
            rows[y] = across.apply(line, size);
        }
        return rows;
    }

    private static float[] combineRows(float[][] rows, Taps down, int size) {
        float[] out = new float[size * size * 4];
        int stride = size * 4;
        for (int i = 0; i < size; i++) {
            int[] index = down.index[i];
            float[] weight = down.weight[i];
            for (int k = 0; k < index.length; k++) {
                float[] row = rows[index[k]];
                float wk = weight[k];
                for (int x = 0; x < stride; x++) {
                    out[i * stride + x] += wk * row[x];
                }
            }
        }
        return out;
    }

    /** @return the bytes of a premultiplied RGBA square, with the chosen channels */
    private static Picture toChannels(float[] rgba, int size, int channels) {
        int n = size * size;
        byte[] px = new byte[n * channels];
        for (int i = 0; i < n; i++) {
            float r = rgba[i * 4];
            float g = rgba[i * 4 + 1];
            float b = rgba[i * 4 + 2];
            float a = rgba[i * 4 + 3];
            if (channels == 4) {
                straight(r, g, b, a, px, i * 4);
            } else {
                // over white: c·α + 255·(1 − α), and premultiplied c·α is what we hold
                float wr = r + 255f - a;
                float wg = g + 255f - a;
                float wb = b + 255f - a;
                if (channels == 3) {
                    px[i * 3] = toByte(wr);
                    px[i * 3 + 1] = toByte(wg);
                    px[i * 3 + 2] = toByte(wb);
                } else {
                    px[i] = toByte(0.299f * wr + 0.587f * wg + 0.114f * wb);
                }
            }
        }
        return new Picture(size, size, channels, px);
    }

    private static void straight(float r, float g, float b, float a, byte[] px, int at) {
        byte alpha = toByte(a);
        if (alpha == 0) {
            return; // colour 0,0,0: what a transparent pixel "is" must not depend on what was under it
        }
        float unmul = 255f / a;
        px[at] = toByte(r * unmul);
        px[at + 1] = toByte(g * unmul);
        px[at + 2] = toByte(b * unmul);
        px[at + 3] = alpha;
    }

    private static byte toByte(float v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }

    /**
     * For each output index along one axis of the square, the source pixels it is made of and their
     * weights. The square is centred on the source: cropping skips source pixels, padding adds
     * transparent ones, which weigh in as zeros and so are simply left out.
     */
    private static final class Taps {
        final int[][] index; // per output index, source indices
        final float[][] weight; // per output index, matching weights (over the square, they sum to 1)

        private Taps(int[][] index, float[][] weight) {
            this.index = index;
            this.weight = weight;
        }

        /**
         * @param length source pixels along this axis
         * @param side the square's side, in source pixels
         * @param size output pixels
         */
        static Taps of(int length, int side, int size) {
            int offset = (length - side) / 2; // square pixel q is source pixel q + offset (negative: padding)
            int[][] index = new int[size][];
            float[][] weight = new float[size][];
            List<Integer> qs = new ArrayList<>();
            List<Double> ws = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                qs.clear();
                ws.clear();
                if (side >= size) {
                    areaTaps(i, side, size, qs, ws);
                } else {
                    bilinearTaps(i, side, size, qs, ws);
                }
                keepInside(qs, ws, offset, length, index, weight, i);
            }
            return new Taps(index, weight);
        }

        /** Output pixel i covers square pixels [i·s, (i+1)·s), s = side/size; each weighs its overlap. */
        private static void areaTaps(int i, int side, int size, List<Integer> qs, List<Double> ws) {
            double scale = (double) side / size;
            double lo = i * scale;
            double hi = (i + 1) * scale;
            int last = Math.min(side - 1, (int) Math.ceil(hi) - 1);
            for (int q = (int) Math.floor(lo); q <= last; q++) {
                double overlap = Math.min(q + 1, hi) - Math.max(q, lo);
                if (overlap > 0) {
                    qs.add(q);
                    ws.add(overlap / scale);
                }
            }
        }

        /** Pixel centres aligned (half-pixel convention); the edges repeat. */
        private static void bilinearTaps(int i, int side, int size, List<Integer> qs, List<Double> ws) {
            double x = (i + 0.5) * side / size - 0.5;
            x = Math.max(0, Math.min(side - 1, x));
            int q0 = (int) Math.floor(x);
            double t = x - q0;
            qs.add(q0);
            ws.add(1 - t);
            if (t > 0) {
                qs.add(q0 + 1);
                ws.add(t);
            }
        }

        private static void keepInside(List<Integer> qs, List<Double> ws, int offset, int length,
                int[][] index, float[][] weight, int i) {
            int n = 0;
            for (int q : qs) {
                n += q + offset >= 0 && q + offset < length ? 1 : 0;
            }
            index[i] = new int[n];
            weight[i] = new float[n];
            int k = 0;
            for (int j = 0; j < qs.size(); j++) {
                int src = qs.get(j) + offset;
                if (src >= 0 && src < length) {
                    index[i][k] = src;
                    weight[i][k++] = (float) (double) ws.get(j);
                }
            }
        }

        /** @return the smallest source index used (past highest() if none, so a loop between them is empty) */
        int lowest() {
            int m = Integer.MAX_VALUE;
            for (int[] ix : index) {
                for (int v : ix) {
                    m = Math.min(m, v);
                }
            }
            return m;
        }

        /** @return the largest source index used */
        int highest() {
            int m = -1;
            for (int[] ix : index) {
                for (int v : ix) {
                    m = Math.max(m, v);
                }
            }
            return m;
        }

        /** @return one row of premultiplied RGBA pixels, scaled to size pixels */
        float[] apply(float[] line, int size) {
            float[] out = new float[size * 4];
            for (int i = 0; i < size; i++) {
                for (int k = 0; k < index[i].length; k++) {
                    int s = index[i][k] * 4;
                    float wk = weight[i][k];
                    for (int c = 0; c < 4; c++) {
                        out[i * 4 + c] += wk * line[s + c];
                    }
                }
            }
            return out;
        }
    }

    /** A decoded picture read one row at a time as premultiplied RGBA floats in [0, 255]. */
    private static final class Source {
        final int width;
        final int height;
        private final BufferedImage img;
        private final Raster raster;
        private final boolean grey; // stored grey values, read directly
        private final boolean greyAlpha;
        private final float greyScale; // to 0..255
        private final float alphaScale;
        private final int[] argb;
        private final int[] samples;
        private final int[] alphas;

        Source(BufferedImage img) {
            this.img = img;
            this.width = img.getWidth();
            this.height = img.getHeight();
            this.raster = img.getRaster();
            ColorModel cm = img.getColorModel();
            int transfer = raster.getTransferType();
            this.grey = cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                    && !cm.isAlphaPremultiplied()
                    && (transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT);
            this.greyAlpha = grey && cm.hasAlpha();
            this.greyScale = grey ? 255f / ((1 << cm.getComponentSize(0)) - 1) : 0f;
            this.alphaScale = greyAlpha ? 255f / ((1 << cm.getComponentSize(1)) - 1) : 0f;
            this.argb = grey ? null : new int[width];
            this.samples = grey ? new int[width] : null;
            this.alphas = greyAlpha ? new int[width] : null;
        }

        /** @param out width·4 floats: R·α, G·α, B·α, A, each in [0, 255] */
        void row(int y, float[] out) {
            if (grey) {
                greyRow(y, out);
                return;
            }
            img.getRGB(0, y, width, 1, argb, 0, width);
            for (int x = 0; x < width; x++) {
                int p = argb[x];
                float a = p >>> 24;
                float f = a / 255f;
                out[x * 4] = ((p >> 16) & 0xFF) * f;
                out[x * 4 + 1] = ((p >> 8) & 0xFF) * f;
                out[x * 4 + 2] = (p & 0xFF) * f;
                out[x * 4 + 3] = a;
            }
        }

        private void greyRow(int y, float[] out) {
            raster.getSamples(0, y, width, 1, 0, samples);
            if (greyAlpha) {
                raster.getSamples(0, y, width, 1, 1, alphas);
            }
            for (int x = 0; x < width; x++) {
                float a = greyAlpha ? alphas[x] * alphaScale : 255f;
                float v = samples[x] * greyScale * (a / 255f);
                out[x * 4] = v;
                out[x * 4 + 1] = v;
                out[x * 4 + 2] = v;
                out[x * 4 + 3] = a;
            }
        }
    }

    // ---- accessors and split -------------------------------------------------------------------

    /** @return the file or folder the corpus was read from */
    public Path root() {
        return root;
    }

    /** @return what every picture was brought to (recorded apart from the fingerprint, which is of the files only) */
    public Options options() {
        return options;
    }

    /** @return the pictures, sorted by path */
    public List<Item> pictures() {
        return pictures;
    }

    /**
     * @return the style labels, sorted; empty if no picture is in a sub-folder. When some pictures are
     *     in sub-folders and some at the root, the root ones form the style {@link #NO_STYLE}, listed first.
     */
    public List<String> styles() {
        return styles;
    }

    /** @return files left out (under SKIP), with reasons */
    public List<BadFile> skipped() {
        return skipped;
    }

    /** @return how many visible files were passed over because their names are not pictures' */
    public int ignoredFiles() {
        return ignoredFiles;
    }

    /** @return the corpus fingerprint: of each picture's style and file bytes, not of the options */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Cuts the corpus into training and validation pictures: each style's pictures are shuffled by
     * the seed and cut at the fraction, so every style is represented on both sides when it has two
     * pictures or more. With two pictures or more in all, each side gets at least one.
     *
     * @param trainFraction share for training, strictly between 0 and 1
     * @param seed equal seeds give equal splits
     * @return the two parts, disjoint, together the whole corpus
     * @throws UsageException if the fraction is out of range
     */
    public Split split(double trainFraction, long seed) {
        StyleSplit.Parts<Item> parts = StyleSplit.split(pictures, Item::style, Item::path, trainFraction, seed);
        return new Split(parts.train(), parts.validation());
    }
}
