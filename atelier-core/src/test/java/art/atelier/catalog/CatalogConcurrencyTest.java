package art.atelier.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.util.Hashing;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

class CatalogConcurrencyTest {

    @TempDir
    Path tmp;

    /** The workspace; beside it the children's stderr and sqlite-jdbc's extracted native library. */
    Path dir;

    @BeforeEach
    void workspace() {
        dir = tmp.resolve("workspace");
    }

    @Test
    @Timeout(60)
    void threadsAddingAtOnceAllSucceed() throws Exception {
        byte[] shared = "the same rendering in every work".getBytes(StandardCharsets.UTF_8);
        int threads = 6;
        int each = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Catalog common = Catalog.open(dir)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                // four threads share one catalog; two open their own (their own connection)
                Callable<Integer> job = () -> {
                    start.await();
                    Catalog own = thread < 4 ? common : Catalog.open(dir);
                    try {
                        for (int i = 0; i < each; i++) {
                            NewWork w = Fixtures.work("t" + thread + "-s" + i, "music", "piece", "m" + thread, null,
                                    Double.NaN, null, "2025-01-01T00:00:00Z");
                            own.add(Fixtures.withFiles(w, List.of(w.files().get(0), w.files().get(1),
                                    new NewFile("audio", "wav", shared))));
                            // and the same work again, at once: idempotent
                            own.add(Fixtures.withFiles(w, List.of(w.files().get(0), w.files().get(1),
                                    new NewFile("audio", "wav", shared))));
                        }
                        return each;
                    } finally {
                        if (own != common) {
                            own.close();
                        }
                    }
                };
                done.add(pool.submit(job));
            }
            start.countDown();
            for (Future<Integer> f : done) {
                assertThat(f.get(50, TimeUnit.SECONDS)).isEqualTo(each);
            }
            assertThat(common.list(Filter.ALL)).hasSize(threads * each);
            assertThat(common.verify()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        assertConsistent();
    }

    @Test
    @Timeout(90)
    void twoProcessesAndThisOneAddingAtOnceAllSucceed() throws Exception {
        // the children also race each other to create and migrate the database
        int n = 40;
        Child a = Child.start(dir, "pa", n, 4096);
        Child b = Child.start(dir, "pb", n, 4096);
        a.awaitAdded(1);
        b.awaitAdded(1);
        try (Catalog c = Catalog.open(dir)) {
            for (int i = 0; i < n; i++) {
                c.add(Fixtures.picture("here-s" + i));
            }
        }
        a.awaitExit();
        b.awaitExit();
        try (Catalog c = Catalog.open(dir)) {
            assertThat(c.list(Filter.ALL)).hasSize(3 * n);
            assertThat(c.list(Filter.ALL.withModel("pa"))).hasSize(n);
            assertThat(c.list(Filter.ALL.withModel("pb"))).hasSize(n);
            assertThat(c.verify()).isEmpty();
        }
        assertConsistent();
    }

    @Test
    @Timeout(90)
    void aWriterKilledMidRunLeavesEveryWorkWholeOrAbsent() throws Exception {
        // kills land at different moments of an add: in the journal transaction, mid-file, between file and row
        int[] delaysMs = {0, 2, 5, 11, 23};
        Set<String> reported = new HashSet<>();
        for (int round = 0; round < delaysMs.length; round++) {
            Child child = Child.start(dir, "k" + round, -1, 256 * 1024);
            child.awaitAdded(4);
            Thread.sleep(delaysMs[round]);
            child.process.destroyForcibly();
            assertThat(child.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            reported.addAll(child.added());

            try (Catalog c = Catalog.open(dir)) {
                List<Work> works = c.list(Filter.ALL);
                Set<String> ids = new HashSet<>();
                works.forEach(w -> ids.add(w.id()));
                // every add the child finished is there; at most the one it was doing is missing or extra
                assertThat(ids).containsAll(reported);
                assertThat(ids.size()).isBetween(reported.size(), reported.size() + 1);
                for (Work w : works) {
                    for (StoredFile f : w.files()) {
                        assertThat(f.path()).isRegularFile();
                        assertThat(Hashing.sha256(f.path())).isEqualTo(f.sha256());
                    }
                }
                assertThat(c.verify()).isEmpty();
                reported.clear();
                reported.addAll(ids);
            }
            assertConsistent();
        }
    }

    /** No temporary files, no stored file without a work, no journal rows. */
    private void assertConsistent() throws IOException, SQLException {
        Set<String> referenced = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM pending")) {
                r.next();
                assertThat(r.getInt(1)).as("journal rows").isZero();
            }
            try (ResultSet r = s.executeQuery("SELECT sha256 || '.' || extension FROM work_files")) {
                while (r.next()) {
                    referenced.add(r.getString(1));
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                assertThat(name).as("temporary file %s", f).doesNotEndWith(".tmp");
                assertThat(referenced).as("stored file %s belongs to a work", f).contains(name);
            }
        }
    }

    /** A child JVM running {@link CatalogWriterMain}. */
    private static final class Child {
        final Process process;
        final Path stderr;
        private final List<String> added = new ArrayList<>();
        private final AtomicInteger count = new AtomicInteger();
        private final Thread reader;

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("added ")) {
                            synchronized (added) {
                                added.add(line.substring("added ".length()));
                            }
                            count.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    // the child was killed
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path workspace, String prefix, int count, int size) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Path stderr = workspace.resolveSibling("child-" + prefix + ".err");
            Path natives = workspace.resolveSibling("native");
            Files.createDirectories(natives);
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dorg.sqlite.tmpdir=" + natives, "-cp", System.getProperty("java.class.path"),
                    CatalogWriterMain.class.getName(), workspace.toString(), prefix, Integer.toString(count),
                    Integer.toString(size));
            pb.redirectError(stderr.toFile());
            return new Child(pb.start(), stderr);
        }

        /** @return the ids the child reported added, all of them once it has exited */
        List<String> added() throws InterruptedException {
            if (!process.isAlive()) {
                reader.join(10_000);
            }
            synchronized (added) {
                return List.copyOf(added);
            }
        }

        void awaitAdded(int n) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (count.get() < n) {
                assertThat(process.isAlive()).as("child died early: %s", Files.readString(stderr)).isTrue();
                assertThat(System.nanoTime()).as("child too slow").isLessThan(deadline);
                Thread.sleep(5);
            }
        }

        void awaitExit() throws Exception {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
            assertThat(process.exitValue()).as("child exit, stderr: %s", Files.readString(stderr)).isZero();
        }
    }
}
