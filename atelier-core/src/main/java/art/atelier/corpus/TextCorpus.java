package art.atelier.corpus;

import art.atelier.util.Hashing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An artist's texts: one {@code .txt}/{@code .md} file, or a folder of them. Every file must be
 * UTF-8 (a byte-order mark is allowed and dropped; Windows line ends become {@code \n}); a file that
 * is not is named with the byte offset of the first bad byte. The first folder level under the root
 * names a file's style ("sonnets/", "letters/"); files at the root have no style.
 */
public final class TextCorpus {

    /** Style label of files directly under the root. */
    public static final String NO_STYLE = "";

    /**
     * One text of the corpus.
     *
     * @param path relative to the corpus root (the file name for a single-file corpus)
     * @param style its style label, or {@link #NO_STYLE}
     * @param text its content, line ends normalised to \n
     * @param sha256 hash of its bytes as read
     */
    public record Document(String path, String style, String text, String sha256) {}

    private final Path root; // the file or folder given
    private final List<Document> documents; // sorted by path
    private final List<String> styles; // sorted, distinct
    private final List<BadFile> skipped; // files left out, with reasons
    private final String fingerprint;

    private TextCorpus(Path root, List<Document> documents, List<BadFile> skipped) {
        this.root = root;
        this.documents = List.copyOf(documents);
        this.skipped = List.copyOf(skipped);
        TreeSet<String> s = new TreeSet<>();
        List<String[]> entries = new ArrayList<>();
        for (Document d : documents) {
            s.add(d.style());
            entries.add(new String[] {d.style(), d.sha256()});
        }
        this.styles = List.copyOf(s);
        this.fingerprint = Fingerprint.of(entries);
    }

    /**
     * Reads and checks a corpus.
     *
     * @param path a text file, or a folder of .txt/.md files
     * @param policy what to do with a file that cannot be used
     * @return the corpus
     * @throws CorpusException if it is missing, empty, or (under STOP) has a bad file
     */
    public static TextCorpus load(Path path, BadFilePolicy policy) {
        if (!Files.exists(path)) {
            throw new CorpusException("no such file or folder: " + path);
        }
        List<Path> files = new ArrayList<>();
        boolean single = Files.isRegularFile(path);
        if (single) {
            files.add(path);
        } else {
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> !hidden(path.relativize(p)))
                        .filter(TextCorpus::isText)
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new CorpusException("cannot list " + path + ": " + e.getMessage());
            }
        }
        List<Document> docs = new ArrayList<>();
        List<BadFile> bad = new ArrayList<>();
        List<BadFile> empty = new ArrayList<>();
        for (Path f : files) {
            String rel = single ? f.getFileName().toString() : path.relativize(f).toString().replace('\\', '/');
            String style = single || !rel.contains("/") ? NO_STYLE : rel.substring(0, rel.indexOf('/'));
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                bad.add(new BadFile(rel, "cannot be read (" + e.getMessage() + ")"));
                continue;
            }
            String problem = checkEncoding(bytes);
            if (problem != null) {
                bad.add(new BadFile(rel, problem));
                continue;
            }
            String text = decode(bytes);
            if (text.isBlank()) {
                empty.add(new BadFile(rel, "is empty"));
                continue;
            }
            docs.add(new Document(rel, style, text, Hashing.sha256(bytes)));
        }
        if (!bad.isEmpty() && policy == BadFilePolicy.STOP) {
            BadFile first = bad.get(0);
            String more = bad.size() > 1 ? " (and " + (bad.size() - 1) + " more bad files)" : "";
            throw new CorpusException(path.resolve(single ? "" : first.path()).normalize() + " " + first.reason()
                    + more + "; fix it, or pass --skip-bad to leave bad files out");
        }
        if (docs.isEmpty()) {
            if (files.isEmpty()) {
                throw new CorpusException("no .txt or .md files in " + path);
            }
            throw new CorpusException("no usable text in " + path + ": " + files.size() + " file(s), all empty"
                    + (bad.isEmpty() ? "" : " or bad"));
        }
        List<BadFile> skipped = new ArrayList<>(bad);
        skipped.addAll(empty);
        return new TextCorpus(path, docs, skipped);
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isText(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".txt") || n.endsWith(".md");
    }

    /**
     * @param bytes a file's content
     * @return why it is not UTF-8 text, or null if it is
     */
    static String checkEncoding(byte[] bytes) {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            return "is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8; save it as UTF-8";
        }
        int start = hasBom(bytes) ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                int offset = in.position();
                return "is not valid UTF-8: byte 0x" + String.format(Locale.ROOT, "%02X", bytes[offset] & 0xFF)
                        + " at byte offset " + offset + " (line " + lineOf(bytes, offset)
                        + ") does not begin or continue a UTF-8 character; save the file as UTF-8";
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        CoderResult end = decoder.flush(out);
        if (end.isError()) {
            return "is not valid UTF-8: it ends in the middle of a character";
        }
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return "is not text: it holds a NUL byte at byte offset " + i;
            }
        }
        return null;
    }

    /**
     * Reads one UTF-8 text file with the corpus's checks (a prompt file, say).
     *
     * @param file the file
     * @return its text, line ends normalised
     * @throws CorpusException naming the file and the problem
     */
    public static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CorpusException("cannot read " + file + ": " + e.getMessage());
        }
        String problem = checkEncoding(bytes);
        if (problem != null) {
            throw new CorpusException(file + " " + problem);
        }
        return decode(bytes);
    }

    private static boolean hasBom(byte[] b) {
        return b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF;
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String decode(byte[] bytes) {
        int start = hasBom(bytes) ? 3 : 0;
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
                    .toString();
            return s.indexOf('\r') < 0 ? s : s.replace("\r\n", "\n");
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("checked UTF-8 failed to decode", e);
        }
    }

    /** @return the file or folder the corpus was read from */
    public Path root() {
        return root;
    }

    /** @return the texts, sorted by path */
    public List<Document> documents() {
        return documents;
    }

    /** @return the style labels, sorted; one label means an unstyled corpus */
    public List<String> styles() {
        return styles;
    }

    /** @return files left out, with reasons */
    public List<BadFile> skipped() {
        return skipped;
    }

    /** @return the corpus fingerprint */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Splits every document at the same fraction of its code points: the head for training, the tail
     * for validation. Deterministic, and for a single file exactly nanoGPT's "first 90% / last 10%".
     *
     * @param trainFraction share for training, in (0, 1]
     * @return per document, [train text, validation text]
     */
    public List<String[]> split(double trainFraction) {
        List<String[]> parts = new ArrayList<>();
        for (Document d : documents) {
            String t = d.text();
            int codePoints = t.codePointCount(0, t.length());
            int cut = t.offsetByCodePoints(0, (int) (codePoints * trainFraction));
            parts.add(new String[] {t.substring(0, cut), t.substring(cut)});
        }
        return Collections.unmodifiableList(parts);
    }
}
