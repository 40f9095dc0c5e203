package art.atelier.novelty;

import art.atelier.AtelierException;
import art.atelier.util.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The file every novelty index is saved in: the magic "ATNV", the kind of index ("text", "music",
 * "picture") as a UTF string, the kind's format version, the body, then the CRC-32 of everything
 * before it as a long. Written atomically; on reading, a file of another kind, of another version,
 * truncated or failing its checksum is refused with a message naming the file.
 */
final class IndexFile {

    /** "ATNV": Atelier novelty. */
    static final int MAGIC = 0x41544E56;

    /** Writes a body. */
    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a body. */
    @FunctionalInterface
    interface Reader<T> {
        T read(DataInputStream in, String source) throws IOException;
    }

    private IndexFile() {}

    static void write(Path file, String kind, int format, Body body) throws IOException {
        AtomicFiles.write(file, os -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(os, crc));
            out.writeInt(MAGIC);
            out.writeUTF(kind);
            out.writeInt(format);
            body.write(out);
            out.flush();
            new DataOutputStream(os).writeLong(crc.getValue());
        });
    }

    static <T> T read(Path file, String kind, int format, Reader<T> reader) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AtelierException("no " + kind + " novelty index at " + file, e);
        }
        if (bytes.length < 4 || ByteBuffer.wrap(bytes).getInt() != MAGIC) {
            throw new AtelierException(file + " is not an Atelier novelty index");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            in.readInt();
            String found = in.readUTF();
            if (!found.equals(kind)) {
                throw new AtelierException(file + " is a " + found + " novelty index, not a " + kind + " one");
            }
            int f = in.readInt();
            if (f != format) {
                throw new AtelierException(file + " is a " + kind + " novelty index of format " + f
                        + "; this version reads format " + format);
            }
            if (bytes.length < 8) {
                throw new EOFException();
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
                throw new AtelierException(file + " is corrupt or truncated: its checksum does not match");
            }
            T result = reader.read(in, file.toString());
            if (in.available() != 8) {
                throw new AtelierException(file + " is corrupt: " + (in.available() - 8)
                        + " bytes where its checksum should be");
            }
            return result;
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new AtelierException(file + " is truncated or corrupt", e);
        }
    }
}
