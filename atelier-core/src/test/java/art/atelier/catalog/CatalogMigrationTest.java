package art.atelier.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.util.Hashing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

class CatalogMigrationTest {

    @TempDir
    Path dir;

    @Test
    void anEmptyWorkspaceGetsTheLatestSchemaOnceInWalMode() throws SQLException {
        try (Catalog c = Catalog.open(dir)) {
            assertThat(c.list(Filter.ALL)).isEmpty();
        }
        try (Catalog c = Catalog.open(dir)) {
            assertThat(c.database()).isEqualTo(dir.resolve("catalog.db").toAbsolutePath());
            assertThat(c.store()).isDirectory();
        }
        assertThat(query("SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank"))
                .containsExactly("1", "2");
        assertThat(query("PRAGMA journal_mode")).containsExactly("wal");
        assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).contains("works",
                "work_parents", "work_files", "models", "corpora", "runs", "pending", "pending_files", "actions",
                "editions", "certificates");
    }

    @Test
    void creatingAndMigratingPrintsNothing() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            Catalog.migrate(dir.resolve("catalog.db"), "1");
            try (Catalog c = Catalog.open(dir)) {
                c.add(Fixtures.picture("quiet"));
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aSchema1DatabaseWithRowsIsMigratedAndKeepsThem() throws Exception {
        Path db = dir.resolve("catalog.db");
        Catalog.migrate(db, "1");
        assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'actions'")).isEmpty();
        byte[] content = "a picture made before schema 2".getBytes(StandardCharsets.UTF_8);
        String sha = Hashing.sha256(content);
        Path stored = dir.resolve("store").resolve(sha.substring(0, 2)).resolve(sha + ".png");
        Files.createDirectories(stored.getParent());
        Files.write(stored, content);
        execute("INSERT INTO works (id, medium, kind, model, family, checkpoint, corpus_fingerprint, seed, style,"
                        + " novelty, near_hash, content_sha256, manifest_json, created, created_ms) VALUES ('old-s1', 'image',"
                        + " 'picture', 'emoji', 'atelier', 'sha256:00', 'fp', 1, 'pop', 0.75, -5, '" + sha + "', '{}',"
                        + " '2024-06-01T00:00:00Z', 1717200000000)",
                "INSERT INTO work_parents VALUES ('old-s1', 0, 'older-s0')",
                "INSERT INTO work_files VALUES ('old-s1', 0, 'work', '" + sha + "', 'png', " + content.length + ")",
                "INSERT INTO models VALUES ('emoji', 'sha256:00', 'image', 'atelier', 'fp', 900, NULL,"
                        + " '2024-06-01T00:00:00Z', 1717200000000)",
                "INSERT INTO corpora VALUES ('fp', 'image', '/art/emoji', 3, 'pop', '2024-06-01T00:00:00Z', 1717200000000)",
                "INSERT INTO runs VALUES ('run-1', 'emoji', 'image', 'atelier', 'fp', '2024-05-31T00:00:00Z',"
                        + " 1717113600000, '2024-06-01T00:00:00Z', 900, 'finished', NULL)");

        try (Catalog c = Catalog.open(dir)) {
            Work w = c.find("old").orElseThrow();
            assertThat(w.id()).isEqualTo("old-s1");
            assertThat(w.style()).isEqualTo("pop");
            assertThat(w.novelty()).isEqualTo(0.75);
            assertThat(w.nearHash()).isEqualTo(-5L);
            assertThat(w.parents()).containsExactly("older-s0");
            assertThat(w.files()).containsExactly(new StoredFile("work", stored.toAbsolutePath(), sha, content.length));
            assertThat(w.status()).isEqualTo(Work.NEW);
            assertThat(w.title()).isNull();
            assertThat(c.models()).extracting(ModelEntry::steps).containsExactly(900L);
            assertThat(c.corpora()).extracting(CorpusEntry::styles).containsExactly(List.of("pop"));
            assertThat(c.runs()).extracting(RunEntry::status).containsExactly("finished");
            assertThat(c.verify()).as("the stored file was kept").isEmpty();

            c.recordAction("old-s1", new Action(Action.TITLE, "Before", "2025-01-01T00:00:00Z", null));
            assertThat(c.find("old-s1").orElseThrow().title()).isEqualTo("Before");
        }
        assertThat(query("SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank"))
                .containsExactly("1", "2");
    }

    @Test
    void aDatabaseFromANewerAtelierIsRefused() throws SQLException {
        Path db = dir.resolve("catalog.db");
        Catalog.migrate(db, null, "classpath:db/catalog-future");
        assertThat(query("SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history")).containsExactly("3");

        assertThatThrownBy(() -> Catalog.open(dir))
                .isInstanceOf(AtelierException.class)
                .hasMessage(db.toAbsolutePath() + " has catalog schema version 3, made by a newer Atelier; this build"
                        + " knows versions up to 2: open it with a newer Atelier");
        assertThat(query("SELECT count(*) FROM flyway_schema_history")).as("left as it was").containsExactly("3");
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedByName() throws IOException {
        Path db = dir.resolve("catalog.db");
        Files.writeString(db, "these are my notes, not a database\n");
        assertThatThrownBy(() -> Catalog.open(dir))
                .isInstanceOf(AtelierException.class)
                .hasMessage(db.toAbsolutePath() + " is not an SQLite database, so not an Atelier catalog: move it away,"
                        + " or use another workspace");
        assertThat(Files.readString(db)).isEqualTo("these are my notes, not a database\n");

        Files.delete(db);
        Files.createDirectory(db);
        assertThatThrownBy(() -> Catalog.open(dir)).hasMessageContaining(db.toAbsolutePath() + " is not a file");
    }

    @Test
    void anSqliteDatabaseThatIsNotACatalogIsRefused() throws SQLException {
        execute("CREATE TABLE recipes (name TEXT)");
        assertThatThrownBy(() -> Catalog.open(dir))
                .isInstanceOf(AtelierException.class)
                .hasMessageContaining(dir.resolve("catalog.db").toAbsolutePath()
                        + " is an SQLite database but not an Atelier catalog");
        assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table'")).containsExactly("recipes");
    }

    @Test
    void anEmptyFileIsANewCatalog() throws IOException {
        Files.createFile(dir.resolve("catalog.db"));
        try (Catalog c = Catalog.open(dir)) {
            c.add(Fixtures.picture("first"));
            assertThat(c.list(Filter.ALL)).hasSize(1);
        }
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
    }

    private void execute(String... sql) throws SQLException {
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.executeUpdate(q);
            }
        }
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
