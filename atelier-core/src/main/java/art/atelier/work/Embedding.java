package art.atelier.work;

import art.atelier.AtelierException;
import art.atelier.util.Bytes;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A manifest carried inside a work's own file, where the format has room for text, and taken out
 * again exactly: for every format, {@code extract(embed(content, manifest))} gives back
 * {@code content} byte for byte (so the manifest's {@code sha256}, the hash of the content, still
 * holds) and the manifest text.
 *
 * <ul>
 *   <li><b>PNG and APNG</b> (ISO/IEC 15948, W3C PNG 3rd edition; APNG 1.0): an {@code iTXt} chunk
 *       with keyword {@value #KEYWORD}, uncompressed, no language tag, the manifest as UTF-8, placed
 *       just before {@code IEND}, CRC-32 computed. An APNG is a PNG to this code: text chunks may sit
 *       between any frames' chunks.</li>
 *   <li><b>GIF</b> (GIF89a specification, §24): a Comment Extension ({@code 0x21 0xFE}, data sub-blocks
 *       of at most 255 bytes, a zero terminator) whose text is {@value #PREFIX} and the manifest, right
 *       after the logical screen descriptor and global colour table. GIF comments are 7-bit ASCII, so
 *       every non-ASCII character of the manifest is written as a JSON escape {@code \}{@code uXXXX}
 *       (two for a character beyond U+FFFF). That is the same JSON document — outside strings JSON
 *       is ASCII — but not the same text: for a manifest that is not pure ASCII, extraction gives the
 *       escaped text, whose {@link CanonicalJson} form, and so its signature, is the original's. GIF87a
 *       has no extensions and is refused.</li>
 *   <li><b>MIDI</b> (Standard MIDI File 1.0): a text meta event ({@code FF 01}, variable-length
 *       length) holding {@value #PREFIX} and the manifest as UTF-8, at delta time 0 as the first event
 *       of the first track, whose {@code MTrk} length grows to match. A meta event at the head of a
 *       track changes no timing and no running status.</li>
 *   <li><b>WAV, text and anything else</b>: no room; the manifest is kept beside the file as
 *       {@code NAME.manifest.json} ({@link #beside}). {@code embed} refuses them and {@code extract} finds
 *       nothing.</li>
 * </ul>
 *
 * <p>Extraction walks the file's structure (chunks, blocks) with every length checked, so a truncated
 * or malformed file is an {@link AtelierException} saying where it breaks, never an index error. It
 * does not check the CRCs of other chunks or decode images: a changed byte inside the content is for
 * the content hash to find. Errors here do not name the file (these methods see bytes); callers that
 * read a file prefix its name.
 */
public final class Embedding {

    /** The PNG {@code iTXt} keyword of an embedded manifest. */
    public static final String KEYWORD = "atelier-manifest";

    /** What the GIF comment and MIDI text event holding a manifest start with. */
    public static final String PREFIX = "atelier-manifest:";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] ITXT_HEAD = (KEYWORD + "\0").getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    /** PNG allows chunks of at most 2^31 - 1 bytes. */
    private static final long MAX_PNG_CHUNK = 0x7FFF_FFFFL;

    /** The largest number four bytes of a MIDI variable-length quantity hold. */
    private static final int MAX_VLQ = 0x0FFF_FFFF;

    /** A work's file format, as {@link #detect} finds it, and how a manifest travels with it. */
    public enum Format {
        /** A still PNG. */
        PNG("PNG", "picture", true),
        /** An animated PNG (a PNG with an {@code acTL} chunk before its image data). */
        APNG("APNG", "animation", true),
        /** A GIF89a (or GIF87a, which can be read but not embedded into). */
        GIF("GIF", "picture", true),
        /** A Standard MIDI File. */
        MIDI("MIDI", "piece", true),
        /** A RIFF WAVE recording. */
        WAV("WAV", "recording", false),
        /** UTF-8 text. */
        TEXT("text", "text", false),
        /** Anything else. */
        OTHER("other", "file", false);

        private final String label;
        private final String noun;
        private final boolean embeddable;

        Format(String label, String noun, boolean embeddable) {
            this.label = label;
            this.noun = noun;
            this.embeddable = embeddable;
        }

        /** @return its name for messages: "PNG", "GIF", "text" */
        public String label() {
            return label;
        }

        /** @return what a work in it is called in messages: "picture", "piece", "recording", "text" */
        public String noun() {
            return noun;
        }

        /** @return whether a manifest can be carried inside the file; if not it lives {@link #beside} it */
        public boolean embeddable() {
            return embeddable;
        }

        /**
         * @param content the work's bytes, in this format, without a manifest
         * @param manifestJson the manifest: a JSON object, any layout
         * @return the file's bytes, with the manifest inside
         * @throws AtelierException if the content is malformed or already carries a manifest, the
         *     manifest is not a JSON object, or this format cannot carry one
         */
        public byte[] embed(byte[] content, String manifestJson) {
            Objects.requireNonNull(content, "content");
            byte[] utf8 = checkManifest(manifestJson);
            return switch (this) {
                case PNG, APNG -> embedPng(content, utf8);
                case GIF -> embedGif(content, asciiEscaped(manifestJson));
                case MIDI -> embedMidi(content, utf8);
                default -> throw new AtelierException(label + " files cannot carry a manifest inside: it is kept"
                        + " beside the file, as NAME.manifest.json");
            };
        }

        /**
         * @param file a file's bytes, in this format
         * @return the content without the embedded manifest, and the manifest's text (null if none is
         *     embedded, always for formats that cannot carry one)
         * @throws AtelierException if the file is truncated or malformed (saying where), or carries more
         *     than one manifest
         */
        public Extracted extract(byte[] file) {
            Objects.requireNonNull(file, "file");
            return switch (this) {
                case PNG, APNG -> extractPng(file);
                case GIF -> extractGif(file);
                case MIDI -> extractMidi(file);
                default -> new Extracted(file, null);
            };
        }
    }

    /**
     * A file taken apart.
     *
     * @param content the work's bytes without the embedded manifest: what its {@code sha256} covers
     * @param manifest the embedded manifest's JSON text, or null if there is none
     */
    public record Extracted(byte[] content, String manifest) {

        /** Compares the content byte by byte. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Extracted e && Arrays.equals(content, e.content)
                    && Objects.equals(manifest, e.manifest);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(content) + Objects.hashCode(manifest);
        }

        @Override
        public String toString() {
            return "Extracted[" + content.length + " bytes, manifest " + (manifest == null ? "none"
                    : manifest.length() + " chars") + "]";
        }
    }

    private Embedding() {}

    /**
     * Tells a file's format by its first bytes. The name only decides between text and other files,
     * and catches a file whose name promises a format its bytes do not have (cut short, or renamed).
     *
     * @param bytes the file's bytes
     * @param fileName its name
     * @return its format
     * @throws AtelierException naming the file if its extension is .png, .apng, .gif, .mid, .midi or
     *     .wav but its bytes do not start as that format's do
     */
    public static Format detect(byte[] bytes, String fileName) {
        if (startsWith(bytes, PNG_SIGNATURE, 0)) {
            return isApng(bytes) ? Format.APNG : Format.PNG;
        }
        if (startsWith(bytes, ascii("GIF89a"), 0) || startsWith(bytes, ascii("GIF87a"), 0)) {
            return Format.GIF;
        }
        if (startsWith(bytes, ascii("MThd"), 0)) {
            return Format.MIDI;
        }
        if (startsWith(bytes, ascii("RIFF"), 0) && startsWith(bytes, ascii("WAVE"), 8)) {
            return Format.WAV;
        }
        String ext = extension(fileName);
        String promised = switch (ext) {
            case "png", "apng" -> "PNG";
            case "gif" -> "GIF";
            case "mid", "midi" -> "MIDI";
            case "wav" -> "WAV";
            default -> null;
        };
        if (promised != null) {
            throw new AtelierException(fileName + " is not a " + promised + " file: it does not start with the "
                    + promised + " signature" + (bytes.length < 16 ? " (it is only " + bytes.length
                    + " bytes long: cut short?)" : " (first bytes " + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, 8)
                    + ")"));
        }
        if (ext.equals("txt") || ext.equals("text") || ext.equals("md") || isUtf8(bytes)) {
            return Format.TEXT;
        }
        return Format.OTHER;
    }

    /**
     * @param file a work's file
     * @return where its manifest is kept beside it: the same folder, its name without the extension
     *     and ".manifest.json" ({@code 3f2a….txt} → {@code 3f2a….manifest.json}), as
     *     {@link Studio#publish} writes it (a name the catalog's content-addressed store never uses
     *     for its own files)
     */
    public static Path beside(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + MANIFEST_SUFFIX);
    }

    /**
     * @param fileName a work's file name, as Atelier names its files
     * @return whether a file of that kind carries its manifest inside (PNG, APNG, GIF, MIDI), by the
     *     extension alone; otherwise the manifest is kept {@link #beside} it
     */
    public static boolean carriesManifest(String fileName) {
        return switch (extension(fileName)) {
            case "png", "apng", "gif", "mid", "midi" -> true;
            default -> false;
        };
    }

    /** The ending of a manifest file kept beside its work. */
    public static final String MANIFEST_SUFFIX = ".manifest.json";

    // ---------------------------------------------------------------------------------------- PNG

    /** A PNG chunk: where its length field starts, its data length and its type. */
    private record Chunk(int at, int length, String type) {
        int end() {
            return at + 12 + length;
        }
    }

    private static List<Chunk> pngChunks(byte[] b) {
        if (!startsWith(b, PNG_SIGNATURE, 0)) {
            throw malformed("not a PNG: it does not start with the PNG signature");
        }
        List<Chunk> chunks = new ArrayList<>();
        int pos = PNG_SIGNATURE.length;
        while (true) {
            if (pos == b.length) {
                throw malformed("truncated PNG: it ends at byte " + pos + " without an IEND chunk");
            }
            if (b.length - pos < 12) {
                throw malformed("truncated PNG: the chunk at byte " + pos + " is cut short (" + (b.length - pos)
                        + " bytes left, a chunk takes at least 12)");
            }
            long length = u32(b, pos);
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw malformed("malformed PNG: the chunk at byte " + pos + " has no valid type (bytes "
                        + HexFormat.ofDelimiter(" ").formatHex(b, pos + 4, pos + 8) + ")");
            }
            if (length > b.length - pos - 12L) {
                throw malformed("truncated PNG: the " + type + " chunk at byte " + pos + " claims " + length
                        + " bytes but only " + Math.max(0, b.length - pos - 12) + " follow");
            }
            if (chunks.isEmpty() && !type.equals("IHDR")) {
                throw malformed("malformed PNG: its first chunk is " + type + ", not IHDR");
            }
            Chunk c = new Chunk(pos, (int) length, type);
            chunks.add(c);
            if (type.equals("IEND")) {
                return chunks;
            }
            pos = c.end();
        }
    }

    private static boolean isApng(byte[] b) {
        try {
            for (Chunk c : pngChunks(b)) {
                if (c.type().equals("acTL")) {
                    return true;
                }
                if (c.type().equals("IDAT")) {
                    return false;
                }
            }
        } catch (AtelierException e) {
            return false; // malformed: extraction will say how
        }
        return false;
    }

    private static boolean isManifestChunk(byte[] b, Chunk c) {
        return c.type().equals("iTXt") && c.length() >= ITXT_HEAD.length && startsWith(b, ITXT_HEAD, c.at() + 8);
    }

    private static byte[] embedPng(byte[] content, byte[] utf8) {
        List<Chunk> chunks = pngChunks(content);
        for (Chunk c : chunks) {
            if (isManifestChunk(content, c)) {
                throw new AtelierException("the PNG already carries an " + KEYWORD + " chunk (at byte " + c.at()
                        + "): extract it first");
            }
        }
        // keyword NUL, compression flag 0 and method 0, empty language tag NUL, empty translated keyword NUL
        byte[] data = Bytes.concat(ITXT_HEAD, new byte[] {0, 0, 0, 0}, utf8);
        if (data.length > MAX_PNG_CHUNK) {
            throw new AtelierException("the manifest is too long for a PNG chunk (" + data.length + " bytes)");
        }
        byte[] chunk = new byte[12 + data.length];
        putU32(chunk, 0, data.length);
        chunk[4] = 'i';
        chunk[5] = 'T';
        chunk[6] = 'X';
        chunk[7] = 't';
        System.arraycopy(data, 0, chunk, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(chunk, 4, 4 + data.length);
        putU32(chunk, 8 + data.length, crc.getValue());
        int iend = chunks.get(chunks.size() - 1).at();
        return splice(content, iend, iend, chunk);
    }

    private static Extracted extractPng(byte[] file) {
        Chunk found = null;
        for (Chunk c : pngChunks(file)) {
            if (isManifestChunk(file, c)) {
                if (found != null) {
                    throw malformed("the PNG carries two " + KEYWORD + " chunks (at bytes " + found.at() + " and "
                            + c.at() + "); there must be at most one");
                }
                found = c;
            }
        }
        if (found == null) {
            return new Extracted(file, null);
        }
        int p = found.at() + 8 + ITXT_HEAD.length;
        int end = found.at() + 8 + found.length();
        if (end - p < 2) {
            throw malformed("malformed PNG: its " + KEYWORD + " chunk at byte " + found.at() + " is cut short");
        }
        if (file[p] != 0) {
            throw malformed("its " + KEYWORD + " chunk at byte " + found.at() + " is compressed; Atelier writes it"
                    + " uncompressed");
        }
        p += 2;
        for (int field = 0; field < 2; field++) { // language tag, then translated keyword, each NUL-ended
            while (p < end && file[p] != 0) {
                p++;
            }
            if (p == end) {
                throw malformed("malformed PNG: its " + KEYWORD + " chunk at byte " + found.at()
                        + " ends inside its header");
            }
            p++;
        }
        String text = utf8(file, p, end - p, "its " + KEYWORD + " chunk");
        return new Extracted(splice(file, found.at(), found.end(), new byte[0]), text);
    }

    // ---------------------------------------------------------------------------------------- GIF

    /** An embedded manifest's comment extension: where it starts and ends, and its text. */
    private record Comment(int at, int end, String text) {}

    /** @return where the blocks start: after the header, logical screen descriptor and global colour table */
    private static int gifBlocksStart(byte[] b) {
        if (!startsWith(b, ascii("GIF89a"), 0) && !startsWith(b, ascii("GIF87a"), 0)) {
            throw malformed("not a GIF: it does not start with GIF89a or GIF87a");
        }
        if (b.length < 13) {
            throw malformed("truncated GIF: it ends inside its logical screen descriptor (" + b.length + " bytes)");
        }
        int packed = b[10] & 0xFF;
        int table = (packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0;
        if (13 + table > b.length) {
            throw malformed("truncated GIF: it ends inside its global colour table (" + b.length + " bytes of "
                    + (13 + table) + ")");
        }
        return 13 + table;
    }

    /** Walks every block to the trailer; returns the manifest comments found. */
    private static List<Comment> gifManifests(byte[] b) {
        List<Comment> found = new ArrayList<>();
        int pos = gifBlocksStart(b);
        while (true) {
            if (pos >= b.length) {
                throw malformed("truncated GIF: it ends at byte " + pos + " without its trailer (0x3B)");
            }
            int introducer = b[pos] & 0xFF;
            if (introducer == 0x3B) {
                return found;
            }
            if (introducer == 0x21) {
                if (pos + 2 > b.length) {
                    throw malformed("truncated GIF: it ends inside the extension at byte " + pos);
                }
                boolean comment = (b[pos + 1] & 0xFF) == 0xFE;
                ByteArrayOutputStream data = comment ? new ByteArrayOutputStream() : null;
                int end = subBlocks(b, pos + 2, data);
                if (comment && startsWith(data.toByteArray(), PREFIX_BYTES, 0)) {
                    byte[] text = data.toByteArray();
                    for (int i = 0; i < text.length; i++) {
                        if (text[i] < 0) {
                            throw malformed("the " + KEYWORD + " comment at byte " + pos + " is not ASCII (byte "
                                    + i + " of its text is 0x" + HexFormat.of().toHexDigits(text[i]) + ")");
                        }
                    }
                    found.add(new Comment(pos, end, new String(text, PREFIX_BYTES.length,
                            text.length - PREFIX_BYTES.length, StandardCharsets.US_ASCII)));
                }
                pos = end;
            } else if (introducer == 0x2C) {
                if (pos + 10 > b.length) {
                    throw malformed("truncated GIF: it ends inside the image descriptor at byte " + pos);
                }
                int packed = b[pos + 9] & 0xFF;
                int table = (packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0;
                int data = pos + 10 + table;
                if (data >= b.length) {
                    throw malformed("truncated GIF: it ends inside the image at byte " + pos);
                }
                pos = subBlocks(b, data + 1, null); // after the LZW minimum code size
            } else {
                throw malformed("malformed GIF: byte " + pos + " is 0x" + HexFormat.of().toHexDigits((byte) introducer)
                        + ", which starts no GIF block");
            }
        }
    }

    /** @return where the data sub-blocks starting at {@code pos} end, after their terminator */
    private static int subBlocks(byte[] b, int pos, ByteArrayOutputStream collect) {
        int start = pos;
        while (true) {
            if (pos >= b.length) {
                throw malformed("truncated GIF: it ends inside the data sub-blocks that start at byte " + start);
            }
            int n = b[pos] & 0xFF;
            if (n == 0) {
                return pos + 1;
            }
            if (pos + 1 + n > b.length) {
                throw malformed("truncated GIF: the data sub-block at byte " + pos + " claims " + n + " bytes but only "
                        + (b.length - pos - 1) + " follow");
            }
            if (collect != null) {
                collect.write(b, pos + 1, n);
            }
            pos += 1 + n;
        }
    }

    private static byte[] embedGif(byte[] content, String asciiJson) {
        int start = gifBlocksStart(content);
        if (!startsWith(content, ascii("GIF89a"), 0)) {
            throw new AtelierException("the GIF is a GIF87a, which has no comment extension to carry a manifest;"
                    + " it must be GIF89a");
        }
        List<Comment> existing = gifManifests(content);
        if (!existing.isEmpty()) {
            throw new AtelierException("the GIF already carries an " + KEYWORD + " comment (at byte "
                    + existing.get(0).at() + "): extract it first");
        }
        byte[] text = (PREFIX + asciiJson).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream block = new ByteArrayOutputStream(text.length + text.length / 255 + 4);
        block.write(0x21);
        block.write(0xFE);
        for (int off = 0; off < text.length; off += 255) {
            int n = Math.min(255, text.length - off);
            block.write(n);
            block.write(text, off, n);
        }
        block.write(0);
        return splice(content, start, start, block.toByteArray());
    }

    private static Extracted extractGif(byte[] file) {
        List<Comment> found = gifManifests(file);
        if (found.isEmpty()) {
            return new Extracted(file, null);
        }
        if (found.size() > 1) {
            throw malformed("the GIF carries " + found.size() + " " + KEYWORD + " comments (at bytes "
                    + found.get(0).at() + " and " + found.get(1).at() + "); there must be at most one");
        }
        Comment c = found.get(0);
        return new Extracted(splice(file, c.at(), c.end(), new byte[0]), c.text());
    }

    /**
     * @param json JSON text
     * @return the same JSON with every non-ASCII character written as {@code \}{@code uXXXX}: valid because
     *     JSON is ASCII outside strings, and within one no escape's backslash is followed by a non-ASCII
     *     character
     */
    static String asciiEscaped(String json) {
        StringBuilder out = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                out.append(c);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    // --------------------------------------------------------------------------------------- MIDI

    /** The first track's chunk: where its header starts and its data length. */
    private record Track(int at, int length) {}

    /** The manifest's text event at the head of the first track, as bytes from the track's data start. */
    private record TextEvent(int length, String text) {}

    private static Track midiFirstTrack(byte[] b) {
        if (!startsWith(b, ascii("MThd"), 0)) {
            throw malformed("not a MIDI file: it does not start with MThd");
        }
        if (b.length < 14) {
            throw malformed("truncated MIDI file: it ends inside its header chunk (" + b.length + " bytes)");
        }
        long headerLength = u32(b, 4);
        if (headerLength < 6) {
            throw malformed("malformed MIDI file: its header chunk is " + headerLength + " bytes, fewer than 6");
        }
        if (headerLength > b.length - 8L) {
            throw malformed("truncated MIDI file: its header chunk claims " + headerLength + " bytes but only "
                    + (b.length - 8) + " follow");
        }
        int announced = ((b[10] & 0xFF) << 8) | (b[11] & 0xFF);
        int pos = 8 + (int) headerLength;
        int tracks = 0;
        Track first = null;
        while (pos < b.length) {
            if (b.length - pos < 8) {
                throw malformed("truncated MIDI file: it ends inside the chunk header at byte " + pos);
            }
            long length = u32(b, pos + 4);
            String type = new String(b, pos, 4, StandardCharsets.ISO_8859_1);
            if (length > b.length - pos - 8L) {
                throw malformed("truncated MIDI file: the " + printable(type) + " chunk at byte " + pos + " claims "
                        + length + " bytes but only " + (b.length - pos - 8) + " follow");
            }
            if (type.equals("MTrk")) {
                tracks++;
                if (first == null) {
                    first = new Track(pos, (int) length);
                }
            }
            pos += 8 + (int) length;
        }
        if (tracks < announced) {
            throw malformed("truncated MIDI file: its header announces " + announced + " tracks but it holds "
                    + tracks);
        }
        if (first == null) {
            throw malformed("malformed MIDI file: it has no track (MTrk chunk)");
        }
        return first;
    }

    /** @return the manifest event at the head of the track, or null if its first event is another */
    private static TextEvent midiManifest(byte[] b, Track t) {
        int p = t.at() + 8;
        int end = p + t.length();
        if (end - p < 4 || b[p] != 0 || b[p + 1] != (byte) 0xFF || b[p + 2] != 0x01) {
            return null;
        }
        int q = p + 3;
        int length = 0;
        for (int i = 0; ; i++) {
            if (q >= end || i == 4) {
                throw malformed("malformed MIDI file: the text event at byte " + p + " has a bad length");
            }
            int v = b[q++] & 0xFF;
            length = (length << 7) | (v & 0x7F);
            if ((v & 0x80) == 0) {
                break;
            }
        }
        if (length > end - q) {
            throw malformed("malformed MIDI file: the text event at byte " + p + " claims " + length
                    + " bytes but its track has only " + (end - q) + " left");
        }
        if (length < PREFIX_BYTES.length || !startsWith(b, PREFIX_BYTES, q)) {
            return null;
        }
        String text = utf8(b, q + PREFIX_BYTES.length, length - PREFIX_BYTES.length, "its " + KEYWORD
                + " text event");
        return new TextEvent(q + length - p, text);
    }

    private static byte[] embedMidi(byte[] content, byte[] utf8) {
        Track t = midiFirstTrack(content);
        if (midiManifest(content, t) != null) {
            throw new AtelierException("the MIDI file already carries an " + KEYWORD + " text event: extract it"
                    + " first");
        }
        long textLength = (long) PREFIX_BYTES.length + utf8.length;
        if (textLength > MAX_VLQ) {
            throw new AtelierException("the manifest is too long for a MIDI text event (" + utf8.length + " bytes)");
        }
        ByteArrayOutputStream event = new ByteArrayOutputStream((int) textLength + 8);
        event.write(0); // delta time
        event.write(0xFF);
        event.write(0x01);
        writeVlq(event, (int) textLength);
        event.writeBytes(PREFIX_BYTES);
        event.writeBytes(utf8);
        byte[] e = event.toByteArray();
        long newLength = (long) t.length() + e.length;
        if (newLength > 0xFFFF_FFFFL || content.length + (long) e.length > Integer.MAX_VALUE - 8) {
            throw new AtelierException("the MIDI file would grow too long with the manifest");
        }
        byte[] out = splice(content, t.at() + 8, t.at() + 8, e);
        putU32(out, t.at() + 4, newLength);
        return out;
    }

    private static Extracted extractMidi(byte[] file) {
        Track t = midiFirstTrack(file);
        TextEvent e = midiManifest(file, t);
        if (e == null) {
            return new Extracted(file, null);
        }
        byte[] content = splice(file, t.at() + 8, t.at() + 8 + e.length(), new byte[0]);
        putU32(content, t.at() + 4, t.length() - e.length());
        return new Extracted(content, e.text());
    }

    private static void writeVlq(ByteArrayOutputStream out, int value) {
        int shift = 21;
        while (shift > 0 && (value >>> shift) == 0) {
            shift -= 7;
        }
        for (; shift > 0; shift -= 7) {
            out.write(0x80 | ((value >>> shift) & 0x7F));
        }
        out.write(value & 0x7F);
    }

    // ------------------------------------------------------------------------------------ helpers

    /** @return the manifest as UTF-8, once checked to be a JSON object whose text has no unpaired surrogate */
    private static byte[] checkManifest(String json) {
        if (json == null) {
            throw new AtelierException("no manifest to embed (null)");
        }
        CanonicalJson.parseObject(json, "the manifest to embed");
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(json));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new AtelierException("the manifest to embed holds an unpaired UTF-16 surrogate, which UTF-8"
                    + " cannot carry: escape it as \\uXXXX");
        }
    }

    private static String utf8(byte[] b, int off, int len, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not UTF-8 text");
        }
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? type : "unnamed";
    }

    /** @return {@code b} with bytes {@code from} to {@code to} replaced by {@code insert} */
    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] b, byte[] prefix, int at) {
        return b.length >= at + prefix.length && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static AtelierException malformed(String message) {
        return new AtelierException(message);
    }
}
