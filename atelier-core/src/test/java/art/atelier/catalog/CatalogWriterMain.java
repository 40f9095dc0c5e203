package art.atelier.catalog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A child process for the concurrency tests: adds works to a workspace's catalog in a loop and prints
 * "added ID" after each one.
 *
 * <p>Arguments: the workspace, an id prefix, how many works (negative: until killed), the size in bytes of
 * each work's main file.
 */
public final class CatalogWriterMain {

    private CatalogWriterMain() {}

    /**
     * @param args workspace, prefix, count, size
     */
    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        Random random = new Random(prefix.hashCode());
        // every child shares this file with every other: concurrent claims on one stored file
        byte[] shared = "the same audio in every work".getBytes(StandardCharsets.UTF_8);
        try (Catalog catalog = Catalog.open(root)) {
            for (int i = 0; count < 0 || i < count; i++) {
                String id = prefix + "-s" + i;
                byte[] content = new byte[size];
                random.nextBytes(content);
                NewWork w = Fixtures.work(id, "music", "piece", prefix, null, Double.NaN, (long) i, "2025-01-01T00:00:00Z");
                catalog.add(Fixtures.withFiles(w, List.of(new NewFile("work", "mid", content),
                        new NewFile("audio", "wav", shared),
                        new NewFile("manifest", "json", w.manifestJson().getBytes(StandardCharsets.UTF_8)))));
                System.out.println("added " + id);
                System.out.flush();
            }
        }
    }
}
