package art.atelier.bench;

import art.atelier.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * docs/benchmarks.md holds one section per benchmark between markers; a run replaces its own
 * section and leaves the others.
 */
final class BenchmarkReport {

    private BenchmarkReport() {}

    /**
     * @param file the benchmark page
     * @param id the section's id
     * @return what the section holds now, or null where the page or the section is missing
     * @throws IOException on failure to read
     */
    static String section(Path file, String id) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String doc = Files.readString(file);
        int b = doc.indexOf(begin(id));
        int e = doc.indexOf(end(id));
        return b >= 0 && e > b ? doc.substring(b + begin(id).length(), e) : null;
    }

    static void replaceSection(Path file, String id, String markdown) throws IOException {
        String begin = begin(id);
        String end = end(id);
        String doc = Files.exists(file) ? Files.readString(file)
                : "# Benchmarks\n\nEach section is written by the benchmark it names; the command, date and machine are in it.\n";
        String block = begin + "\n" + markdown.strip() + "\n" + end;
        int b = doc.indexOf(begin);
        int e = doc.indexOf(end);
        if (b >= 0 && e > b) {
            doc = doc.substring(0, b) + block + doc.substring(e + end.length());
        } else {
            doc = doc.stripTrailing() + "\n\n" + block + "\n";
        }
        AtomicFiles.writeString(file, doc);
    }

    private static String begin(String id) {
        return "<!-- bench:" + id + ":begin -->";
    }

    private static String end(String id) {
        return "<!-- bench:" + id + ":end -->";
    }

    /**
     * Closes what a half-built benchmark side opened before it failed, keeping the failure first.
     *
     * @param failure the failure, which gains any failure to close as suppressed
     * @param resources what to close, in order; nulls are skipped
     */
    static void closeAfter(RuntimeException failure, AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }
}
