package art.atelier.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content-addressed file store: {@code store/<first 2 hex>/<sha256>.<extension>}. A file appears
 * under its final name only whole (written under a temporary name, flushed to disk, renamed), and never
 * changes after; its temporary name says which process writes it:
 * {@code .<sha256>.<extension>.<pid>-<start>.<random>.tmp}.
 */
final class Store {

    /** A stored file's name. */
    static final Pattern NAME = Pattern.compile("([0-9a-f]{64})\\.([a-z0-9]{1,10})");
    /** A temporary file's name; group 3 is the writer's tag. */
    static final Pattern TEMP = Pattern.compile("\\.([0-9a-f]{64})\\.([a-z0-9]{1,10})\\.([0-9]+-[0-9]+)\\.[0-9]*\\.tmp");
    private static final Pattern FANOUT = Pattern.compile("[0-9a-f]{2}");

    private final Path root;

    /** @param root the store directory */
    Store(Path root) {
        this.root = root;
    }

    /** @return the store directory */
    Path root() {
        return root;
    }

    /**
     * @param sha256 a file's hash
     * @param extension its extension
     * @return where it is stored
     */
    Path path(String sha256, String extension) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256 + "." + extension);
    }

    /**
     * Stores bytes under their hash, unless a file of that name and size is already there.
     *
     * @param sha256 the bytes' hash
     * @param extension the extension
     * @param bytes the content
     * @param writer this process, named in the temporary file's name
     * @throws IOException on failure (no temporary file is then left)
     */
    void put(String sha256, String extension, byte[] bytes, Writer writer) throws IOException {
        Path target = path(sha256, extension);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
            return;
        }
        Path tmp = Files.createTempFile(dir, "." + sha256 + "." + extension + "." + writer.tag() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Flushes a directory's entries (the rename) to disk, where the platform allows it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open or flush a directory; the rename is then as durable as they make it
        }
    }

    /** A file found in the store: a stored file (sha256 and extension set) or a temporary one (writer set). */
    record Entry(Path path, String sha256, String extension, Optional<Writer> writer) {

        boolean temporary() {
            return writer.isPresent();
        }
    }

    /**
     * @return every stored and temporary file in the store's fan-out directories, by the pattern of its name;
     *     files of any other name are not the catalog's and are left out
     * @throws IOException if a directory cannot be listed
     */
    List<Entry> scan() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && FANOUT.matcher(dir.getFileName().toString()).matches()) {
                    scan(dir, null, entries);
                }
            }
        }
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        return entries;
    }

    /**
     * @param sha256 a stored file's hash
     * @param writer a writer
     * @return that writer's temporary files for that hash
     * @throws IOException if the directory cannot be listed
     */
    List<Path> temporaries(String sha256, Writer writer) throws IOException {
        List<Entry> found = new ArrayList<>();
        Path dir = root.resolve(sha256.substring(0, 2));
        if (Files.isDirectory(dir)) {
            scan(dir, "." + sha256 + ".", found);
        }
        return found.stream().filter(e -> e.writer().equals(Optional.of(writer))).map(Entry::path).toList();
    }

    private static void scan(Path dir, String prefix, List<Entry> into) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (prefix != null && !name.startsWith(prefix)) {
                    continue;
                }
                Matcher m = NAME.matcher(name);
                if (m.matches() && name.startsWith(dir.getFileName().toString())) {
                    into.add(new Entry(f, m.group(1), m.group(2), Optional.empty()));
                    continue;
                }
                m = TEMP.matcher(name);
                if (m.matches()) {
                    Optional<Writer> w = Writer.parseTag(m.group(3));
                    if (w.isPresent()) {
                        into.add(new Entry(f, m.group(1), m.group(2), w));
                    }
                }
            }
        }
    }
}
