package art.atelier.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.util.Hashing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

class CatalogTest {

    @TempDir
    Path dir;

    Catalog catalog;

    @BeforeEach
    void open() {
        catalog = Catalog.open(dir);
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    @Test
    void aWorkComesBackAsAddedWithItsFilesStoredUnderTheirHashes() throws IOException {
        NewWork w = Fixtures.work("emoji-s7-1a2b3c4d", "image", "picture", "emoji", "impressionism", 0.25, 42L,
                "2025-01-31T12:00:00Z", "emoji-s1-00000000", "emoji-s2-00000000");
        Work added = catalog.add(w);

        assertThat(catalog.find("emoji-s7-1a2b3c4d")).contains(added);
        assertThat(added.id()).isEqualTo(w.id());
        assertThat(added.medium()).isEqualTo("image");
        assertThat(added.kind()).isEqualTo("picture");
        assertThat(added.model()).isEqualTo("emoji");
        assertThat(added.family()).isEqualTo("atelier");
        assertThat(added.checkpoint()).isEqualTo(w.checkpoint());
        assertThat(added.corpusFingerprint()).isEqualTo("corpus-fp");
        assertThat(added.seed()).isEqualTo(7L);
        assertThat(added.style()).isEqualTo("impressionism");
        assertThat(added.parents()).containsExactly("emoji-s1-00000000", "emoji-s2-00000000");
        assertThat(added.novelty()).isEqualTo(0.25);
        assertThat(added.nearHash()).isEqualTo(42L);
        assertThat(added.contentSha256()).isEqualTo(w.contentSha256());
        assertThat(added.manifestJson()).isEqualTo(w.manifestJson());
        assertThat(added.created()).isEqualTo("2025-01-31T12:00:00Z");
        assertThat(added.status()).isEqualTo(Work.NEW);
        assertThat(added.title()).isNull();

        assertThat(added.files()).extracting(StoredFile::role).containsExactly("work", "manifest");
        for (int i = 0; i < added.files().size(); i++) {
            StoredFile f = added.files().get(i);
            byte[] bytes = w.files().get(i).bytes();
            assertThat(f.path()).startsWith(dir.resolve("store").toAbsolutePath());
            assertThat(f.path().getParent().getFileName().toString()).isEqualTo(f.sha256().substring(0, 2));
            assertThat(f.path().getFileName().toString()).isEqualTo(f.sha256() + "." + w.files().get(i).extension());
            assertThat(f.sha256()).isEqualTo(Hashing.sha256(bytes)).isEqualTo(Hashing.sha256(f.path()));
            assertThat(f.size()).isEqualTo(bytes.length);
            assertThat(Files.readAllBytes(f.path())).isEqualTo(bytes);
            assertThat(Files.getPosixFilePermissions(f.path())).as("stored files are read-only")
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ,
                            PosixFilePermission.OTHERS_READ);
        }
        assertThat(added.file("work")).contains(added.files().get(0));
        assertThat(added.file("audio")).isEmpty();
        assertThat(catalog.verify()).isEmpty();
    }

    @Test
    void aWorkWithoutNoveltyOrNearHashKeepsThemUnknown() {
        Work added = catalog.add(Fixtures.work("t-1", "text", "text", "sonnets", null, Double.NaN, null,
                "2025-01-01T00:00:00+01:00"));
        Work found = catalog.find("t-1").orElseThrow();
        assertThat(found.novelty()).isNaN();
        assertThat(found.nearHash()).isNull();
        assertThat(found.style()).isNull();
        assertThat(found.parents()).isEmpty();
        assertThat(found).isEqualTo(added);
    }

    @Test
    void aUniquePrefixFindsAWorkAndAnAmbiguousOneListsTheCandidates() {
        catalog.add(Fixtures.picture("emoji-s1-aaaa"));
        catalog.add(Fixtures.picture("emoji-s2-bbbb"));
        catalog.add(Fixtures.picture("emoji-s2"));
        catalog.add(Fixtures.picture("faces-s1-cccc"));

        assertThat(catalog.find("emoji-s1").map(Work::id)).contains("emoji-s1-aaaa");
        assertThat(catalog.find("f").map(Work::id)).contains("faces-s1-cccc");
        // an exact id wins over the longer ids it starts
        assertThat(catalog.find("emoji-s2").map(Work::id)).contains("emoji-s2");
        assertThat(catalog.find("emoji-s3")).isEmpty();
        assertThat(catalog.find("zz")).isEmpty();
        assertThatThrownBy(() -> catalog.find("emoji-s"))
                .isInstanceOf(AtelierException.class)
                .hasMessageContaining("'emoji-s' is the start of 3 works' ids")
                .hasMessageContaining("emoji-s1-aaaa, emoji-s2, emoji-s2-bbbb")
                .hasMessageContaining(catalog.database().toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> catalog.find(" ")).isInstanceOf(UsageException.class);
    }

    @Test
    void addingTheSameWorkAgainChangesNothingButADifferentWorkUnderItsIdIsRefused() throws IOException {
        NewWork w = Fixtures.picture("emoji-s1-aaaa");
        Work first = catalog.add(w);
        Work again = catalog.add(Fixtures.picture("emoji-s1-aaaa"));
        assertThat(again).isEqualTo(first);
        assertThat(catalog.list(Filter.ALL)).hasSize(1);

        NewWork other = Fixtures.withFiles(w, List.of(new NewFile("work", "png", "other bytes".getBytes(StandardCharsets.UTF_8))));
        assertThatThrownBy(() -> catalog.add(other))
                .isInstanceOf(AtelierException.class)
                .hasMessageContaining("work 'emoji-s1-aaaa' is already in " + catalog.database())
                .hasMessageContaining("with other files");
        assertThat(catalog.find("emoji-s1-aaaa")).contains(first);
        assertThat(storeFiles()).hasSize(2);
        assertThat(catalog.verify()).isEmpty();
    }

    @Test
    void worksWithTheSameBytesShareOneStoredFile() {
        byte[] audio = "a shared rendering".getBytes(StandardCharsets.UTF_8);
        NewWork a = Fixtures.work("m-1", "music", "piece", "bach", null, Double.NaN, null, "2025-01-01T00:00:00Z");
        NewWork b = Fixtures.work("m-2", "music", "piece", "bach", null, Double.NaN, null, "2025-01-02T00:00:00Z");
        Work wa = catalog.add(Fixtures.withFiles(a, List.of(a.files().get(0), new NewFile("audio", "wav", audio))));
        Work wb = catalog.add(Fixtures.withFiles(b, List.of(b.files().get(0), new NewFile("audio", "wav", audio))));
        assertThat(wa.file("audio").orElseThrow().path()).isEqualTo(wb.file("audio").orElseThrow().path());
        assertThat(storeFiles()).hasSize(3);

        String audioHash = Hashing.sha256(audio);
        assertThat(catalog.findByFileHash(audioHash).map(Work::id)).as("the first catalogued").contains("m-1");
        assertThat(catalog.findByFileHash("SHA256:" + audioHash.toUpperCase()).map(Work::id)).contains("m-1");
        assertThat(catalog.findByFileHash(wb.files().get(0).sha256()).map(Work::id)).contains("m-2");
        assertThat(catalog.findByFileHash("0".repeat(64))).isEmpty();
        assertThatThrownBy(() -> catalog.findByFileHash("abc"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("64 hex digits");
    }

    @Test
    void listFiltersAndPutsTheNewestFirst() {
        catalog.add(Fixtures.work("a", "image", "picture", "emoji", "pop", 0.9, 1L, "2025-01-01T00:00:00Z"));
        catalog.add(Fixtures.work("b", "image", "grid", "emoji", "pop", 0.1, 2L, "2025-01-03T00:00:00Z"));
        catalog.add(Fixtures.work("c", "music", "piece", "bach", "baroque", Double.NaN, null, "2025-01-02T00:00:00Z"));
        // same instant as "b", written differently (fractional seconds sort before 'Z' as text): added later, so newer
        catalog.add(Fixtures.work("d", "image", "picture", "faces", null, 0.5, 3L, "2025-01-03T00:00:00.000Z"));
        catalog.add(Fixtures.work("e", "text", "text", "sonnets", null, 0.7, null, "2025-01-02T12:00:00+02:00"));
        catalog.recordAction("a", new Action(Action.KEEP, null, "2025-02-01T00:00:00Z", null));
        catalog.recordAction("b", new Action(Action.REJECT, null, "2025-02-01T00:00:00Z", null));

        // "e" is 10:00Z on the 2nd, after "c" at midnight
        assertThat(ids(Filter.ALL)).containsExactly("d", "b", "e", "c", "a");
        assertThat(ids(Filter.ALL.withMedium("image"))).containsExactly("d", "b", "a");
        assertThat(ids(Filter.ALL.withKind("picture"))).containsExactly("d", "a");
        assertThat(ids(Filter.ALL.withModel("emoji"))).containsExactly("b", "a");
        assertThat(ids(Filter.ALL.withStyle("pop"))).containsExactly("b", "a");
        assertThat(ids(Filter.ALL.withMinNovelty(0.5))).as("unknown novelty is left out").containsExactly("d", "e", "a");
        assertThat(ids(Filter.ALL.withStatus(Work.KEPT))).containsExactly("a");
        assertThat(ids(Filter.ALL.withStatus(Work.NEW))).containsExactly("d", "e", "c");
        assertThat(ids(Filter.ALL.withMedium("image").withMinNovelty(0.2).withStatus(Work.NEW))).containsExactly("d");
        assertThat(ids(Filter.ALL.withLimit(2))).containsExactly("d", "b");
        assertThat(ids(Filter.ALL.withMedium("sculpture"))).isEmpty();
        assertThatThrownBy(() -> Filter.ALL.withLimit(-1)).isInstanceOf(UsageException.class);

        assertThat(catalog.nearHashes("image")).as("rejected works are left out")
                .containsExactly(new NearHash("a", 1L), new NearHash("d", 3L));
        assertThat(catalog.nearHashes("music")).isEmpty();
    }

    @Test
    void actionsAreRecordedInOrderAndKeepRejectAndTitleSetTheState() {
        catalog.add(Fixtures.picture("w"));
        Action keep = new Action(Action.KEEP, null, "2025-02-01T00:00:00Z", "{\"sig\":\"k\"}");
        Action title = new Action(Action.TITLE, "Dawn over the harbour", "2025-02-01T00:01:00Z", null);
        Action edit = new Action("edit", "cropped to 3:2", "2025-02-01T00:02:00Z", null);
        catalog.recordAction("w", keep);
        assertThat(catalog.find("w").orElseThrow().status()).isEqualTo(Work.KEPT);
        catalog.recordAction("w", title);
        catalog.recordAction("w", edit);
        Work w = catalog.find("w").orElseThrow();
        assertThat(w.status()).isEqualTo(Work.KEPT);
        assertThat(w.title()).isEqualTo("Dawn over the harbour");
        Action reject = new Action(Action.REJECT, "too close to the corpus", "2025-02-02T00:00:00Z", null);
        catalog.recordAction("w", reject);
        assertThat(catalog.find("w").orElseThrow().status()).isEqualTo(Work.REJECTED);
        assertThat(catalog.actions("w")).containsExactly(keep, title, edit, reject);

        String db = catalog.database().toString();
        assertThatThrownBy(() -> catalog.recordAction("nope", keep))
                .isInstanceOf(AtelierException.class).hasMessage("no work 'nope' in " + db);
        assertThatThrownBy(() -> catalog.actions("nope")).hasMessage("no work 'nope' in " + db);
        assertThatThrownBy(() -> catalog.recordAction("w", new Action("Keep it", null, "2025-02-01T00:00:00Z", null)))
                .hasMessageContaining("the action 'Keep it' is not a lowercase word").hasMessageContaining(db);
        assertThatThrownBy(() -> catalog.recordAction("w", new Action(Action.TITLE, " ", "2025-02-01T00:00:00Z", null)))
                .hasMessageContaining("the title is blank");
        assertThatThrownBy(() -> catalog.recordAction("w", new Action("edit", null, "yesterday", null)))
                .hasMessageContaining("its time 'yesterday' is not an ISO-8601 instant");
        assertThat(catalog.actions("w")).hasSize(4);
    }

    @Test
    void anEditionIsIssuedOnceWithOneCertificatePerPrint() {
        catalog.add(Fixtures.picture("w"));
        List<Certificate> certificates = List.of(new Certificate(2, "{\"n\":2}"), new Certificate(1, "{\"n\":1}"),
                new Certificate(3, "{\"n\":3}"));
        assertThat(catalog.edition("w")).isEmpty();
        Edition e = catalog.issueEdition("w", 3, "2025-03-01T00:00:00Z", certificates);
        assertThat(e.certificates()).extracting(Certificate::number).containsExactly(1, 2, 3);
        assertThat(catalog.edition("w")).contains(e);
        assertThat(catalog.actions("w")).containsExactly(new Action(Action.EDITION, "3", "2025-03-01T00:00:00Z", null));

        assertThatThrownBy(() -> catalog.issueEdition("w", 3, certificates))
                .isInstanceOf(AtelierException.class)
                .hasMessageContaining("it already has an edition of 3, issued 2025-03-01T00:00:00Z")
                .hasMessageContaining("issued once")
                .hasMessageContaining(catalog.database().toString());
        assertThat(catalog.edition("w")).contains(e);
        assertThat(catalog.actions("w")).hasSize(1);
    }

    @Test
    void anEditionNeedsItsCertificatesAndAWorkThatWasNotRejected() {
        catalog.add(Fixtures.picture("w"));
        catalog.add(Fixtures.picture("r"));
        catalog.recordAction("r", new Action(Action.REJECT, null, "2025-02-01T00:00:00Z", null));
        Certificate one = new Certificate(1, "{}");
        assertThatThrownBy(() -> catalog.issueEdition("w", 0, List.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("at least 1 print");
        assertThatThrownBy(() -> catalog.issueEdition("w", 2, List.of(one)))
                .hasMessageContaining("an edition of 2 needs 2 certificates, not 1");
        assertThatThrownBy(() -> catalog.issueEdition("w", 2, List.of(one, one)))
                .hasMessageContaining("two certificates are numbered 1");
        assertThatThrownBy(() -> catalog.issueEdition("w", 1, List.of(new Certificate(2, "{}"))))
                .hasMessageContaining("number 2 is not between 1 and 1");
        assertThatThrownBy(() -> catalog.issueEdition("w", 1, List.of(new Certificate(1, ""))))
                .hasMessageContaining("certificate 1 is empty");
        assertThatThrownBy(() -> catalog.issueEdition("r", 1, List.of(one)))
                .hasMessageContaining("the work was rejected");
        assertThatThrownBy(() -> catalog.issueEdition("nope", 1, List.of(one)))
                .hasMessageContaining("no work 'nope'");
        assertThat(catalog.edition("w")).isEmpty();
        assertThat(catalog.edition("r")).isEmpty();
        Edition e = catalog.issueEdition("w", 1, List.of(one));
        assertThat(e.issued()).isNotBlank();
    }

    @Test
    void modelsCorporaAndRunsAreRecordedAndReplacedByTheirKeys() {
        catalog.recordModel(new ModelEntry("emoji", "sha256:1", "image", "atelier", "fp", 1000, "{}", "2025-01-01T00:00:00Z"));
        catalog.recordModel(new ModelEntry("emoji", "sha256:2", "image", "atelier", "fp", 2000, "{}", "2025-01-02T00:00:00Z"));
        catalog.recordModel(new ModelEntry("bach", "sha256:3", "music", "gpt", null, 500, null, "2025-01-01T00:00:00Z"));
        catalog.recordModel(new ModelEntry("emoji", "sha256:2", "image", "atelier", "fp", 2000, "{\"v\":2}",
                "2025-01-02T00:00:00Z"));
        assertThat(catalog.models()).extracting(m -> m.name() + "@" + m.checkpoint())
                .containsExactly("bach@sha256:3", "emoji@sha256:2", "emoji@sha256:1");
        assertThat(catalog.models().get(1).cardJson()).isEqualTo("{\"v\":2}");

        CorpusEntry c1 = new CorpusEntry("fp", "image", "/art/emoji", 120, List.of("pop", "retro"), "2025-01-01T00:00:00Z");
        CorpusEntry c2 = new CorpusEntry("fp2", "text", "/art/sonnets", 154, List.of(), "2025-01-03T00:00:00Z");
        catalog.recordCorpus(c1);
        catalog.recordCorpus(c2);
        catalog.recordCorpus(c1);
        assertThat(catalog.corpora()).containsExactly(c2, c1);

        RunEntry started = new RunEntry("run-1", "emoji", "image", "atelier", "fp", "2025-01-01T00:00:00Z", null, 0,
                "running", null);
        RunEntry finished = new RunEntry("run-1", "emoji", "image", "atelier", "fp", "2025-01-01T00:00:00Z",
                "2025-01-01T02:00:00Z", 2000, "finished", "{\"loss\":0.5}");
        RunEntry other = new RunEntry("run-2", "bach", "music", "gpt", null, "2025-01-05T00:00:00Z", null, 10, "running",
                null);
        catalog.recordRun(started);
        catalog.recordRun(other);
        catalog.recordRun(finished);
        assertThat(catalog.runs()).containsExactly(other, finished);

        assertThatThrownBy(() -> catalog.recordRun(new RunEntry("run-3", "m", "image", "atelier", null,
                "2025-01-01T00:00:00Z", null, 0, "paused", null))).hasMessageContaining("status 'paused'");
        assertThatThrownBy(() -> catalog.recordModel(new ModelEntry("m", null, "image", "atelier", null, 0, null,
                "2025-01-01T00:00:00Z"))).hasMessageContaining("checkpoint");
        assertThatThrownBy(() -> catalog.recordCorpus(new CorpusEntry("fp3", "text", "/x", 1, List.of(), "soon")))
                .hasMessageContaining("its record time 'soon' is not an ISO-8601 instant");
    }

    @Test
    void aMalformedWorkIsRefusedInOneLineNamingTheDatabaseAndTheReason() {
        NewWork good = Fixtures.picture("good");
        String db = catalog.database().toString();
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {rename(good, "../escape"), "its id '../escape' is not"});
        cases.add(new Object[] {rename(good, null), "its id 'null' is not"});
        cases.add(new Object[] {new NewWork("x", " ", "picture", "m", null, null, null, 1, null, null, 0.1, null,
                good.contentSha256(), "{}", "2025-01-01T00:00:00Z", good.files()), "its medium is missing"});
        cases.add(new Object[] {new NewWork("x", "image", "picture", "m", null, null, null, 1, null, null, 0.1, null,
                "xyz", "{}", "2025-01-01T00:00:00Z", good.files()), "its content hash 'xyz'"});
        cases.add(new Object[] {new NewWork("x", "image", "picture", "m", null, null, null, 1, null, null, 0.1, null,
                good.contentSha256(), "{}", "last tuesday", good.files()), "its creation time 'last tuesday'"});
        cases.add(new Object[] {new NewWork("x", "image", "picture", "m", null, null, null, 1, null, List.of("x"), 0.1,
                null, good.contentSha256(), "{}", "2025-01-01T00:00:00Z", good.files()), "names itself as its parent"});
        cases.add(new Object[] {new NewWork("x", "image", "picture", "m", null, null, null, 1, null, null,
                Double.POSITIVE_INFINITY, null, good.contentSha256(), "{}", "2025-01-01T00:00:00Z", good.files()),
                "its novelty is infinite"});
        cases.add(new Object[] {Fixtures.withFiles(good, List.of()), "it has no files"});
        cases.add(new Object[] {Fixtures.withFiles(good, List.of(new NewFile("work", ".png", new byte[1]))),
                "extension '.png'"});
        cases.add(new Object[] {Fixtures.withFiles(good, List.of(new NewFile("work", "png", new byte[1]),
                new NewFile("work", "gif", new byte[1]))), "two files in the role 'work'"});
        cases.add(new Object[] {Fixtures.withFiles(good, List.of(new NewFile("Work File", "png", new byte[1]))),
                "role 'Work File'"});
        cases.add(new Object[] {Fixtures.withFiles(good, List.of(new NewFile("work", "png", null))), "has no bytes"});
        for (Object[] c : cases) {
            assertThatThrownBy(() -> catalog.add((NewWork) c[0]))
                    .isInstanceOf(AtelierException.class)
                    .hasMessageContaining(db)
                    .hasMessageContaining((String) c[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(catalog.list(Filter.ALL)).isEmpty();
        assertThat(storeFiles()).isEmpty();
    }

    @Test
    void recoveryUndoesDeadWritersAndLeavesLiveOnesAlone() throws Exception {
        Work kept = catalog.add(Fixtures.picture("kept"));
        Writer me = Writer.current();
        Writer dead = new Writer(me.pid(), me.start() + 1); // this process id, reused: another process's
        String half = "1".repeat(64);
        String whole = "2".repeat(64);
        String mine = "3".repeat(64);
        String stray = "4".repeat(64);
        // a dead writer's add: one file half-written (temporary), one complete, one never started,
        // and one that is also a catalogued work's file (must stay)
        Path tmp = write(".%s.png.%s.123.tmp".formatted(half, dead.tag()), half);
        Path complete = write(whole + ".png", whole);
        journal("dead", "ghost", dead, half + ".png", whole + ".png", "5".repeat(64) + ".png",
                kept.files().get(0).path().getFileName().toString());
        // a live writer's add in progress (this process): its temporary and complete files must stay
        Path liveTmp = write(".%s.png.%s.456.tmp".formatted(mine, me.tag()), mine);
        Path liveFile = write(mine + ".json", mine);
        journal("live", "busy", me, mine + ".png", mine + ".json");
        // a file no work holds and no write claims, and a dead writer's temporary file without a journal row
        Path strayFile = write(stray + ".wav", stray);
        Path strayTmp = write(".%s.wav.%s.789.tmp".formatted(stray, dead.tag()), stray);

        Recovery r = catalog.recover();

        assertThat(r).isEqualTo(new Recovery(1, 2, 2));
        assertThat(tmp).doesNotExist();
        assertThat(complete).doesNotExist();
        assertThat(strayFile).doesNotExist();
        assertThat(strayTmp).doesNotExist();
        assertThat(liveTmp).exists();
        assertThat(liveFile).exists();
        assertThat(kept.files()).allSatisfy(f -> assertThat(f.path()).exists());
        assertThat(journalTokens()).containsExactly("live");
        assertThat(catalog.recover()).isEqualTo(new Recovery(0, 0, 0));
        assertThat(catalog.recover().any()).isFalse();
    }

    @Test
    void aClosedCatalogSaysSo() {
        catalog.close();
        catalog.close();
        assertThatThrownBy(() -> catalog.list(Filter.ALL))
                .isInstanceOf(AtelierException.class)
                .hasMessageContaining("is closed")
                .hasMessageContaining(catalog.database().toString());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private List<String> ids(Filter f) {
        return catalog.list(f).stream().map(Work::id).toList();
    }

    private static NewWork rename(NewWork w, String id) {
        return new NewWork(id, w.medium(), w.kind(), w.model(), w.family(), w.checkpoint(), w.corpusFingerprint(),
                w.seed(), w.style(), w.parents(), w.novelty(), w.nearHash(), w.contentSha256(), w.manifestJson(),
                w.created(), w.files());
    }

    private List<Path> storeFiles() {
        try (Stream<Path> s = Files.walk(dir.resolve("store"))) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path write(String name, String hash) throws IOException {
        Path p = dir.resolve("store").resolve(hash.substring(0, 2)).resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, name);
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + catalog.database());
    }

    private void journal(String token, String workId, Writer w, String... files) throws SQLException {
        try (Connection c = jdbc()) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pending VALUES (?, ?, ?, ?, 0)")) {
                p.setString(1, token);
                p.setString(2, workId);
                p.setLong(3, w.pid());
                p.setLong(4, w.start());
                p.executeUpdate();
            }
            for (String f : files) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO pending_files VALUES (?, ?, ?)")) {
                    p.setString(1, token);
                    p.setString(2, f.substring(0, 64));
                    p.setString(3, f.substring(65));
                    p.executeUpdate();
                }
            }
        }
    }

    private List<String> journalTokens() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = jdbc(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT token FROM pending ORDER BY token")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
