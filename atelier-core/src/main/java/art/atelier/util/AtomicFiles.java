package art.atelier.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes that never leave a half-written file or folder behind: write beside the target under a
 * temporary name, flush to disk, then rename over it in one step. A crash at any moment leaves the
 * old content or the new, never a mixture.
 */
public final class AtomicFiles {

    /** Something that writes bytes to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        /**
         * @param out where to write
         * @throws IOException on failure
         */
        void write(OutputStream out) throws IOException;
    }

    /** Something that fills a fresh directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        /**
         * @param dir an empty directory to fill
         * @throws IOException on failure
         */
        void write(Path dir) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * @param target the file to create or replace
     * @param bytes its new content
     * @throws IOException on failure (the target is then untouched)
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * @param target the file to create or replace
     * @param text its new content, written as UTF-8
     * @throws IOException on failure (the target is then untouched)
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param target the file to create or replace
     * @param writer writes the new content
     * @throws IOException on failure (the target is then untouched)
     */
    public static void write(Path target, StreamWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        readableByAll(tmp, "rw-r--r--");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = new java.io.BufferedOutputStream(
                            java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces a whole directory: {@code writer} fills a staging directory beside the target, which
     * then takes the target's place. Between the two renames of the swap the old directory is kept
     * under a backup name that {@link #recoverDirectory} restores, so a crash never loses both.
     *
     * @param target the directory to create or replace
     * @param writer fills the new directory
     * @throws IOException on failure (the target is then untouched)
     */
    public static void replaceDirectory(Path target, DirectoryWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        recoverDirectory(abs);
        String name = abs.getFileName().toString();
        Path staging = Files.createTempDirectory(parent, "." + name + ".staging-");
        readableByAll(staging, "rwxr-xr-x");
        Path backup = parent.resolve("." + name + ".previous");
        try {
            writer.write(staging);
            syncTree(staging);
            if (Files.exists(abs)) {
                deleteTree(backup);
                move(abs, backup);
            }
            move(staging, abs);
            deleteTree(backup);
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * Finishes or undoes a directory swap that a crash interrupted: if the target is missing but
     * its backup exists, the backup comes back; stale staging directories are removed.
     *
     * @param target the directory
     * @throws IOException on failure
     */
    public static void recoverDirectory(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        if (!Files.isDirectory(parent)) {
            return;
        }
        String name = abs.getFileName().toString();
        Path backup = parent.resolve("." + name + ".previous");
        if (!Files.exists(abs) && Files.isDirectory(backup)) {
            move(backup, abs);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + name + ".staging-*")) {
            for (Path p : ds) {
                deleteTree(p);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void syncTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Deletes a file or a directory tree if it exists.
     *
     * @param path what to delete
     * @throws IOException on failure
     */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Temporary files are private (0600) by default; the file they become is a work or a model the
     * artist shares with other programs and people, so it gets an ordinary file's permissions.
     */
    private static void readableByAll(Path p, String permissions) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        }
    }
}
