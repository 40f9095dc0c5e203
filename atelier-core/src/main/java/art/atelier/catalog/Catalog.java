package art.atelier.catalog;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.util.Hashing;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The record of every work an artist makes, and of the models, corpora and training runs behind them:
 * an SQLite database, {@code catalog.db}, in the workspace, and the works' files stored by content hash
 * under {@code store/<first 2 hex>/<sha256>.<extension>}.
 *
 * <p>The database and the files never disagree, whatever moment a process is killed at: a work's files
 * are written before its row, each whole or not at all, and a write journal ({@code pending}) names the
 * files a write may leave behind until the row is in; {@link #open} undoes the writes of processes that
 * died. Several processes and threads may add works at once (WAL mode, {@code BEGIN IMMEDIATE}, retries
 * while the database is busy). One instance may be shared by threads; its database work is serialised,
 * its file writes are not.
 *
 * <p>Every failure is an {@link AtelierException} of one line that names the database or the file.
 */
public final class Catalog implements AutoCloseable {

    /** The database's file name in the workspace. */
    public static final String DATABASE = "catalog.db";
    /** The store's directory name in the workspace. */
    public static final String STORE = "store";

    static final String MIGRATIONS = "classpath:db/migration";
    private static final String HISTORY = "flyway_schema_history";
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** How long SQLite itself waits for a lock, per statement. */
    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** How long a transaction is retried while the database stays busy. */
    private static final long RETRY_NANOS = 120_000_000_000L;
    private static final ConcurrentHashMap<Path, Object> MIGRATING = new ConcurrentHashMap<>();

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,10}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Set<String> STATUSES = Set.of(Work.NEW, Work.KEPT, Work.REJECTED);
    private static final Set<String> RUN_STATUSES = Set.of("running", "finished", "failed", "stopped");
    private static final int CANDIDATES_SHOWN = 10;

    private static final String WORK_COLUMNS = "id, medium, kind, model, family, checkpoint, corpus_fingerprint, seed,"
            + " style, novelty, near_hash, content_sha256, manifest_json, created, status, title";

    private final Path root;
    private final Path db;
    private final Store store;
    private final Connection conn;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private Catalog(Path root, Path db, Connection conn) {
        this.root = root;
        this.db = db;
        this.store = new Store(root.resolve(STORE));
        this.conn = conn;
    }

    /**
     * Opens the catalog of a workspace: creates it if there is none, migrates an older schema to this
     * build's, and undoes what processes that died mid-write left behind ({@link #recover()}).
     *
     * @param workspaceRoot the workspace directory (created if missing)
     * @return the open catalog; close it when done
     * @throws AtelierException if {@code catalog.db} is not an SQLite database, is not an Atelier catalog,
     *     was made by a newer Atelier (a schema version this build does not know), or cannot be opened
     */
    public static Catalog open(Path workspaceRoot) {
        Objects.requireNonNull(workspaceRoot, "workspaceRoot");
        Path root = workspaceRoot.toAbsolutePath().normalize();
        Path db = root.resolve(DATABASE);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new AtelierException("cannot create the workspace " + root + " for its catalog: " + oneLine(e), e);
        }
        migrate(db, null);
        try {
            Files.createDirectories(root.resolve(STORE));
        } catch (IOException e) {
            throw new AtelierException("cannot create the catalog's store " + root.resolve(STORE) + ": " + oneLine(e), e);
        }
        Catalog catalog = new Catalog(root, db, connect(db));
        try {
            catalog.recover();
        } catch (RuntimeException e) {
            catalog.close();
            throw e;
        }
        return catalog;
    }

    /** @return the workspace directory */
    public Path root() {
        return root;
    }

    /** @return the database file, {@code catalog.db} in the workspace */
    public Path database() {
        return db;
    }

    /** @return the store directory, {@code store/} in the workspace */
    public Path store() {
        return store.root();
    }

    // ---------------------------------------------------------------------------------------------- works

    /**
     * Records a work: its files first (each written to a temporary name in the store, flushed to disk and
     * renamed to its hash name; a file already there is reused), then its row, parents and files in one
     * transaction. A kill at any moment leaves the work either wholly catalogued or not at all (the next
     * {@link #open} removes the files of an add that did not finish).
     *
     * <p>Adding a work again with the same id and the same files (same roles, extensions and bytes)
     * changes nothing and returns the catalogued work, so an interrupted generation can simply be re-run.
     *
     * @param w the work
     * @return the catalogued work
     * @throws AtelierException if a component of {@code w} is missing or malformed (named), if a different
     *     work with the same id is already catalogued, or if the database or the store cannot be written
     */
    public Work add(NewWork w) {
        validate(w);
        String id = w.id();
        List<Prepared> files = new ArrayList<>();
        for (NewFile f : w.files()) {
            files.add(new Prepared(f.role(), f.extension(), Hashing.sha256(f.bytes()), f.bytes()));
        }
        Writer me = Writer.current();
        String token = UUID.randomUUID().toString();
        Work existing = write("add work '" + id + "'", c -> {
            Work e = load(c, id);
            if (e != null) {
                return e;
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO pending (token, work_id, pid, process_start, since_ms) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, token);
                p.setString(2, id);
                p.setLong(3, me.pid());
                if (me.start() == 0) {
                    p.setNull(4, Types.INTEGER);
                } else {
                    p.setLong(4, me.start());
                }
                p.setLong(5, System.currentTimeMillis());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT OR IGNORE INTO pending_files (token, sha256, extension) VALUES (?, ?, ?)")) {
                for (Prepared f : files) {
                    p.setString(1, token);
                    p.setString(2, f.sha256());
                    p.setString(3, f.extension());
                    p.executeUpdate();
                }
            }
            return null;
        });
        if (existing != null) {
            return same(existing, files);
        }
        Work stored;
        try {
            for (Prepared f : files) {
                try {
                    store.put(f.sha256(), f.extension(), f.bytes(), me);
                } catch (IOException e) {
                    throw new AtelierException("cannot store " + store.path(f.sha256(), f.extension()) + " (work '" + id
                            + "'): " + oneLine(e), e);
                }
            }
            stored = write("add work '" + id + "'", c -> {
                Work e = load(c, id);
                if (e != null) {
                    // another writer added the same id meanwhile: ours becomes an undone write
                    release(c, token);
                    return e;
                }
                insert(c, w, files);
                try (PreparedStatement p = c.prepareStatement("DELETE FROM pending WHERE token = ?")) {
                    p.setString(1, token);
                    p.executeUpdate();
                }
                return load(c, id);
            });
        } catch (RuntimeException e) {
            try {
                write("undo the unfinished add of work '" + id + "'", c -> {
                    release(c, token);
                    return null;
                });
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        return same(stored, files);
    }

    /** A file about to be stored, with its hash. */
    private record Prepared(String role, String extension, String sha256, byte[] bytes) {}

    private Work same(Work stored, List<Prepared> files) {
        Set<String> have = new HashSet<>();
        for (StoredFile f : stored.files()) {
            have.add(f.role() + " " + f.path().getFileName());
        }
        Set<String> want = new HashSet<>();
        for (Prepared f : files) {
            want.add(f.role() + " " + f.sha256() + "." + f.extension());
        }
        if (!have.equals(want)) {
            throw new AtelierException("work '" + stored.id() + "' is already in " + db + " with other files: a work's id"
                    + " names one set of bytes, so a different work needs another id");
        }
        return stored;
    }

    private void validate(NewWork w) {
        if (w == null) {
            throw new AtelierException("cannot add a work to " + db + ": no work given");
        }
        String id = w.id();
        if (id == null || !ID.matcher(id).matches()) {
            throw new AtelierException("cannot add a work to " + db + ": its id '" + id + "' is not 1-128 letters, digits,"
                    + " '.', '_' or '-' starting with a letter or digit");
        }
        requireText(id, "medium", w.medium());
        requireText(id, "kind", w.kind());
        requireText(id, "model", w.model());
        if (w.contentSha256() == null || !SHA256.matcher(w.contentSha256()).matches()) {
            throw badWork(id, "its content hash '" + w.contentSha256() + "' is not 64 lowercase hex digits");
        }
        if (w.manifestJson() == null || w.manifestJson().isBlank()) {
            throw badWork(id, "it has no manifest JSON");
        }
        if (w.created() == null || epochMillis(w.created()) == null) {
            throw badWork(id, "its creation time '" + w.created() + "' is not an ISO-8601 instant such as"
                    + " 2025-01-31T12:00:00Z");
        }
        if (Double.isInfinite(w.novelty())) {
            throw badWork(id, "its novelty is infinite (give a finite score, or NaN when unknown)");
        }
        for (String p : w.parents()) {
            if (p == null || p.isBlank()) {
                throw badWork(id, "one of its parents is blank");
            }
            if (p.equals(id)) {
                throw badWork(id, "it names itself as its parent");
            }
        }
        if (w.files().isEmpty()) {
            throw badWork(id, "it has no files");
        }
        Set<String> roles = new HashSet<>();
        for (NewFile f : w.files()) {
            if (f == null) {
                throw badWork(id, "one of its files is null");
            }
            if (f.role() == null || !ROLE.matcher(f.role()).matches()) {
                throw badWork(id, "a file's role '" + f.role() + "' is not a lowercase word (e.g. work, audio, manifest)");
            }
            if (!roles.add(f.role())) {
                throw badWork(id, "it has two files in the role '" + f.role() + "'");
            }
            if (f.extension() == null || !EXTENSION.matcher(f.extension()).matches()) {
                throw badWork(id, "the " + f.role() + " file's extension '" + f.extension()
                        + "' is not 1-10 lowercase letters or digits without a dot");
            }
            if (f.bytes() == null) {
                throw badWork(id, "the " + f.role() + " file has no bytes");
            }
        }
    }

    private void requireText(String id, String what, String value) {
        if (value == null || value.isBlank()) {
            throw badWork(id, "its " + what + " is missing");
        }
    }

    private AtelierException badWork(String id, String reason) {
        return new AtelierException("cannot add work '" + id + "' to " + db + ": " + reason);
    }

    private static void insert(Connection c, NewWork w, List<Prepared> files) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO works (id, medium, kind, model, family, checkpoint,"
                + " corpus_fingerprint, seed, style, novelty, near_hash, content_sha256, manifest_json, created,"
                + " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, w.id());
            p.setString(2, w.medium());
            p.setString(3, w.kind());
            p.setString(4, w.model());
            p.setString(5, w.family());
            p.setString(6, w.checkpoint());
            p.setString(7, w.corpusFingerprint());
            p.setLong(8, w.seed());
            p.setString(9, w.style());
            if (Double.isNaN(w.novelty())) {
                p.setNull(10, Types.REAL);
            } else {
                p.setDouble(10, w.novelty());
            }
            if (w.nearHash() == null) {
                p.setNull(11, Types.INTEGER);
            } else {
                p.setLong(11, w.nearHash());
            }
            p.setString(12, w.contentSha256());
            p.setString(13, w.manifestJson());
            p.setString(14, w.created());
            p.setLong(15, epochMillis(w.created()));
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO work_parents (work_id, position, parent_id) VALUES (?, ?, ?)")) {
            for (int i = 0; i < w.parents().size(); i++) {
                p.setString(1, w.id());
                p.setInt(2, i);
                p.setString(3, w.parents().get(i));
                p.executeUpdate();
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO work_files (work_id, position, role, sha256,"
                + " extension, size) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < files.size(); i++) {
                Prepared f = files.get(i);
                p.setString(1, w.id());
                p.setInt(2, i);
                p.setString(3, f.role());
                p.setString(4, f.sha256());
                p.setString(5, f.extension());
                p.setLong(6, f.bytes().length);
                p.executeUpdate();
            }
        }
    }

    /**
     * Finds a work by its id, or by the start of its id when only one work's id starts so (as git finds a
     * commit by a prefix of its hash).
     *
     * @param idOrPrefix a work's id, or the start of one
     * @return the work, or empty if none matches
     * @throws AtelierException if several works' ids start with the prefix (the message lists them)
     */
    public Optional<Work> find(String idOrPrefix) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            throw new UsageException("give a work's id, or the start of one, to look it up in " + db);
        }
        return Optional.ofNullable(read("find work '" + idOrPrefix + "'", c -> {
            Work exact = load(c, idOrPrefix);
            if (exact != null) {
                return exact;
            }
            List<String> ids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id FROM works WHERE id >= ? AND id < ? ORDER BY id LIMIT " + (CANDIDATES_SHOWN + 1))) {
                p.setString(1, idOrPrefix);
                p.setString(2, successor(idOrPrefix));
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
            }
            if (ids.size() > 1) {
                long count = count(c, "SELECT count(*) FROM works WHERE id >= ? AND id < ?", idOrPrefix, successor(idOrPrefix));
                List<String> shown = ids.subList(0, Math.min(ids.size(), CANDIDATES_SHOWN));
                throw new AtelierException("'" + idOrPrefix + "' is the start of " + count + " works' ids in " + db + ": "
                        + String.join(", ", shown) + (count > shown.size() ? ", ..." : "") + "; give more of the id");
            }
            return ids.isEmpty() ? null : load(c, ids.get(0));
        }));
    }

    /** @return the smallest string greater than every string that starts with {@code prefix} */
    private static String successor(String prefix) {
        int last = prefix.codePointBefore(prefix.length());
        String head = prefix.substring(0, prefix.length() - Character.charCount(last));
        return last == Character.MAX_CODE_POINT ? prefix + "\uFFFF" : head + new String(Character.toChars(last + 1));
    }

    /**
     * @param sha256 the SHA-256 of a file's bytes, 64 hex digits (a leading "sha256:" is accepted)
     * @return the work that holds a file with these bytes, in any role (the first catalogued, if several do)
     * @throws UsageException if the hash is not 64 hex digits
     */
    public Optional<Work> findByFileHash(String sha256) {
        String hash = sha256 == null ? "" : sha256.strip().toLowerCase(Locale.ROOT);
        if (hash.startsWith("sha256:")) {
            hash = hash.substring("sha256:".length());
        }
        if (!SHA256.matcher(hash).matches()) {
            throw new UsageException("a file hash is 64 hex digits (SHA-256); '" + sha256 + "' is not");
        }
        String h = hash;
        return Optional.ofNullable(read("find the work with file " + h, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT f.work_id FROM work_files f JOIN works w ON w.id = f.work_id"
                    + " WHERE f.sha256 = ? ORDER BY w.n LIMIT 1")) {
                p.setString(1, h);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? load(c, r.getString(1)) : null;
                }
            }
        }));
    }

    /**
     * @param filter which works (see {@link Filter}); {@link Filter#ALL} for every one
     * @return the matching works, newest first (by creation time, then by the order they were added)
     */
    public List<Work> list(Filter filter) {
        Filter f = filter == null ? Filter.ALL : filter;
        StringBuilder sql = new StringBuilder("SELECT id FROM works WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        condition(sql, args, "medium", f.medium());
        condition(sql, args, "kind", f.kind());
        condition(sql, args, "model", f.model());
        condition(sql, args, "style", f.style());
        condition(sql, args, "status", f.status());
        if (f.minNovelty() != null) {
            sql.append(" AND novelty IS NOT NULL AND novelty >= ?");
            args.add(f.minNovelty());
        }
        sql.append(" ORDER BY created_ms DESC, n DESC");
        if (f.limit() > 0) {
            sql.append(" LIMIT ").append(f.limit());
        }
        return read("list works", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    p.setObject(i + 1, args.get(i));
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
            }
            List<Work> works = new ArrayList<>(ids.size());
            for (String id : ids) {
                works.add(load(c, id));
            }
            return works;
        });
    }

    private static void condition(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    /**
     * The near-duplicate hashes a new work of a medium is checked against. Rejected works are left out:
     * a work the artist threw away is no reason to refuse a new one.
     *
     * @param medium "image", "music" or "text"
     * @return (work id, hash) of every work of that medium that has a hash and is not rejected, oldest first
     */
    public List<NearHash> nearHashes(String medium) {
        return read("read the near-duplicate hashes", c -> {
            List<NearHash> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, near_hash FROM works WHERE medium = ?"
                    + " AND near_hash IS NOT NULL AND status <> 'rejected' ORDER BY n")) {
                p.setString(1, medium);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new NearHash(r.getString(1), r.getLong(2)));
                    }
                }
            }
            return out;
        });
    }

    private Work load(Connection c, String id) throws SQLException {
        List<String> parents = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT parent_id FROM work_parents WHERE work_id = ? ORDER BY position")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    parents.add(r.getString(1));
                }
            }
        }
        List<StoredFile> files = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT role, sha256, extension, size FROM work_files WHERE work_id = ? ORDER BY position")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    files.add(new StoredFile(r.getString(1), store.path(r.getString(2), r.getString(3)), r.getString(2),
                            r.getLong(4)));
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT " + WORK_COLUMNS + " FROM works WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                double novelty = r.getDouble(10);
                if (r.wasNull()) {
                    novelty = Double.NaN;
                }
                long near = r.getLong(11);
                Long nearHash = r.wasNull() ? null : near;
                return new Work(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getString(6), r.getString(7), r.getLong(8), r.getString(9), parents, novelty, nearHash,
                        r.getString(12), r.getString(13), r.getString(14), files, r.getString(15), r.getString(16));
            }
        }
    }

    // ------------------------------------------------------------------------------------ what the artist did

    /**
     * Records something the artist did to a work; {@code keep}, {@code reject} and {@code title} also
     * change the work's status or title (see {@link Action}).
     *
     * @param workId the work's full id
     * @param a the action
     * @throws AtelierException if there is no such work, or the action is malformed (named)
     */
    public void recordAction(String workId, Action a) {
        if (a == null || a.action() == null || !ACTION.matcher(a.action()).matches()) {
            throw new AtelierException("cannot record an action on work '" + workId + "' in " + db + ": the action '"
                    + (a == null ? null : a.action()) + "' is not a lowercase word such as keep, reject, title or edit");
        }
        if (a.time() == null || epochMillis(a.time()) == null) {
            throw new AtelierException("cannot record '" + a.action() + "' on work '" + workId + "' in " + db
                    + ": its time '" + a.time() + "' is not an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
        if (a.action().equals(Action.TITLE) && (a.detail() == null || a.detail().isBlank())) {
            throw new AtelierException("cannot title work '" + workId + "' in " + db + ": the title is blank");
        }
        write("record '" + a.action() + "' on work '" + workId + "'", c -> {
            requireWork(c, workId);
            insertAction(c, workId, a);
            String column = null;
            String value = null;
            switch (a.action()) {
                case Action.KEEP -> {
                    column = "status";
                    value = Work.KEPT;
                }
                case Action.REJECT -> {
                    column = "status";
                    value = Work.REJECTED;
                }
                case Action.TITLE -> {
                    column = "title";
                    value = a.detail();
                }
                default -> {
                    // recorded only
                }
            }
            if (column != null) {
                try (PreparedStatement p = c.prepareStatement("UPDATE works SET " + column + " = ? WHERE id = ?")) {
                    p.setString(1, value);
                    p.setString(2, workId);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    private static void insertAction(Connection c, String workId, Action a) throws SQLException {
        long seq = count(c, "SELECT coalesce(max(seq), 0) FROM actions WHERE work_id = ?", workId) + 1;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO actions (work_id, seq, action, detail, time,"
                + " signature_json) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, workId);
            p.setLong(2, seq);
            p.setString(3, a.action());
            p.setString(4, a.detail());
            p.setString(5, a.time());
            p.setString(6, a.signatureJson());
            p.executeUpdate();
        }
    }

    /**
     * @param workId a work's full id
     * @return everything the artist did to it, in the order recorded
     * @throws AtelierException if there is no such work
     */
    public List<Action> actions(String workId) {
        return read("read the actions on work '" + workId + "'", c -> {
            requireWork(c, workId);
            List<Action> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT action, detail, time, signature_json FROM actions"
                    + " WHERE work_id = ? ORDER BY seq")) {
                p.setString(1, workId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Action(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    private String requireWork(Connection c, String workId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT status FROM works WHERE id = ?")) {
            p.setString(1, workId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new AtelierException("no work '" + workId + "' in " + db);
                }
                return r.getString(1);
            }
        }
    }

    /**
     * Issues a work's limited edition, now. See {@link #issueEdition(String, int, String, List)}.
     *
     * @param workId the work's full id
     * @param size how many prints
     * @param certificates one per print, numbered 1 to {@code size}
     * @return the edition
     */
    public Edition issueEdition(String workId, int size, List<Certificate> certificates) {
        return issueEdition(workId, size, Instant.now().toString(), certificates);
    }

    /**
     * Issues a work's limited edition: once per work, never changed after. Also records an
     * {@link Action#EDITION} action whose detail is the size.
     *
     * @param workId the work's full id
     * @param size how many prints, at least 1
     * @param issued when, ISO-8601
     * @param certificates the signed certificates, exactly one per number from 1 to {@code size}, in any order
     * @return the edition, certificates in number order
     * @throws AtelierException if there is no such work, the work was rejected, it already has an edition, or
     *     the size or the certificates are wrong (named)
     */
    public Edition issueEdition(String workId, int size, String issued, List<Certificate> certificates) {
        String what = "cannot issue an edition of work '" + workId + "' in " + db + ": ";
        if (size < 1) {
            throw new UsageException(what + "an edition has at least 1 print, not " + size);
        }
        if (issued == null || epochMillis(issued) == null) {
            throw new AtelierException(what + "the issue time '" + issued + "' is not an ISO-8601 instant");
        }
        if (certificates == null || certificates.size() != size) {
            throw new AtelierException(what + "an edition of " + size + " needs " + size + " certificates, not "
                    + (certificates == null ? 0 : certificates.size()));
        }
        Certificate[] byNumber = new Certificate[size];
        for (Certificate cert : certificates) {
            if (cert == null || cert.number() < 1 || cert.number() > size) {
                throw new AtelierException(what + "a certificate's number " + (cert == null ? null : cert.number())
                        + " is not between 1 and " + size);
            }
            if (byNumber[cert.number() - 1] != null) {
                throw new AtelierException(what + "two certificates are numbered " + cert.number());
            }
            if (cert.json() == null || cert.json().isBlank()) {
                throw new AtelierException(what + "certificate " + cert.number() + " is empty");
            }
            byNumber[cert.number() - 1] = cert;
        }
        Edition edition = new Edition(workId, size, issued, Arrays.asList(byNumber));
        write("issue an edition of work '" + workId + "'", c -> {
            String status = requireWork(c, workId);
            if (Work.REJECTED.equals(status)) {
                throw new AtelierException(what + "the work was rejected (keep it first)");
            }
            Edition before = loadEdition(c, workId);
            if (before != null) {
                throw new AtelierException(what + "it already has an edition of " + before.size() + ", issued "
                        + before.issued() + "; a work's edition is issued once");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO editions (work_id, size, issued) VALUES (?, ?, ?)")) {
                p.setString(1, workId);
                p.setInt(2, size);
                p.setString(3, issued);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO certificates (work_id, number, json) VALUES (?, ?, ?)")) {
                for (Certificate cert : edition.certificates()) {
                    p.setString(1, workId);
                    p.setInt(2, cert.number());
                    p.setString(3, cert.json());
                    p.executeUpdate();
                }
            }
            insertAction(c, workId, new Action(Action.EDITION, Integer.toString(size), issued, null));
            return null;
        });
        return edition;
    }

    /**
     * @param workId a work's full id
     * @return its edition, if one was issued
     */
    public Optional<Edition> edition(String workId) {
        return Optional.ofNullable(read("read the edition of work '" + workId + "'", c -> loadEdition(c, workId)));
    }

    private static Edition loadEdition(Connection c, String workId) throws SQLException {
        int size;
        String issued;
        try (PreparedStatement p = c.prepareStatement("SELECT size, issued FROM editions WHERE work_id = ?")) {
            p.setString(1, workId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                size = r.getInt(1);
                issued = r.getString(2);
            }
        }
        List<Certificate> certificates = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT number, json FROM certificates WHERE work_id = ? ORDER BY number")) {
            p.setString(1, workId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    certificates.add(new Certificate(r.getInt(1), r.getString(2)));
                }
            }
        }
        return new Edition(workId, size, issued, certificates);
    }

    // ------------------------------------------------------------------------------ models, corpora, runs

    /**
     * Records a model checkpoint; the same (name, checkpoint) again replaces the earlier record.
     *
     * @param m the model
     * @throws AtelierException if a required component is missing or the time is not ISO-8601
     */
    public void recordModel(ModelEntry m) {
        String what = "cannot record model '" + (m == null ? null : m.name()) + "' in " + db + ": ";
        if (m == null || blank(m.name()) || blank(m.checkpoint()) || blank(m.medium()) || blank(m.family())) {
            throw new AtelierException(what + "its name, checkpoint, medium and family are all needed");
        }
        long recorded = requireTime(what + "its record time", m.recorded());
        if (m.steps() < 0) {
            throw new AtelierException(what + "its step count is negative (" + m.steps() + ")");
        }
        write("record model '" + m.name() + "'", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO models (name, checkpoint, medium, family,"
                    + " corpus_fingerprint, steps, card_json, recorded, recorded_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, m.name());
                p.setString(2, m.checkpoint());
                p.setString(3, m.medium());
                p.setString(4, m.family());
                p.setString(5, m.corpusFingerprint());
                p.setLong(6, m.steps());
                p.setString(7, m.cardJson());
                p.setString(8, m.recorded());
                p.setLong(9, recorded);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** @return every recorded model checkpoint, by name, the newest of each name first */
    public List<ModelEntry> models() {
        return read("list models", c -> {
            List<ModelEntry> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT name, checkpoint, medium, family, corpus_fingerprint,"
                    + " steps, card_json, recorded FROM models ORDER BY name, recorded_ms DESC, checkpoint");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new ModelEntry(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getLong(6), r.getString(7), r.getString(8)));
                }
            }
            return out;
        });
    }

    /**
     * Records a corpus; the same fingerprint again replaces the earlier record.
     *
     * @param corpus the corpus
     * @throws AtelierException if a required component is missing or the time is not ISO-8601
     */
    public void recordCorpus(CorpusEntry corpus) {
        String what = "cannot record corpus '" + (corpus == null ? null : corpus.fingerprint()) + "' in " + db + ": ";
        if (corpus == null || blank(corpus.fingerprint()) || blank(corpus.medium()) || blank(corpus.path())) {
            throw new AtelierException(what + "its fingerprint, medium and path are all needed");
        }
        long recorded = requireTime(what + "its record time", corpus.recorded());
        if (corpus.items() < 0) {
            throw new AtelierException(what + "its item count is negative (" + corpus.items() + ")");
        }
        for (String s : corpus.styles()) {
            if (blank(s) || s.contains("\n")) {
                throw new AtelierException(what + "a style label is blank or spans lines");
            }
        }
        write("record corpus '" + corpus.fingerprint() + "'", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO corpora (fingerprint, medium, path, items,"
                    + " styles, recorded, recorded_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, corpus.fingerprint());
                p.setString(2, corpus.medium());
                p.setString(3, corpus.path());
                p.setInt(4, corpus.items());
                p.setString(5, String.join("\n", corpus.styles()));
                p.setString(6, corpus.recorded());
                p.setLong(7, recorded);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** @return every recorded corpus, the most recently recorded first */
    public List<CorpusEntry> corpora() {
        return read("list corpora", c -> {
            List<CorpusEntry> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT fingerprint, medium, path, items, styles, recorded"
                    + " FROM corpora ORDER BY recorded_ms DESC, fingerprint"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String styles = r.getString(5);
                    out.add(new CorpusEntry(r.getString(1), r.getString(2), r.getString(3), r.getInt(4),
                            styles.isEmpty() ? List.of() : List.of(styles.split("\n")), r.getString(6)));
                }
            }
            return out;
        });
    }

    /**
     * Records a training run; the same id again (the run's end) replaces the earlier record.
     *
     * @param run the run
     * @throws AtelierException if a required component is missing, a time is not ISO-8601, or the status is
     *     not one of running, finished, failed, stopped
     */
    public void recordRun(RunEntry run) {
        String what = "cannot record run '" + (run == null ? null : run.id()) + "' in " + db + ": ";
        if (run == null || blank(run.id()) || blank(run.model()) || blank(run.medium()) || blank(run.family())) {
            throw new AtelierException(what + "its id, model, medium and family are all needed");
        }
        long started = requireTime(what + "its start time", run.started());
        if (run.finished() != null) {
            requireTime(what + "its end time", run.finished());
        }
        if (run.status() == null || !RUN_STATUSES.contains(run.status())) {
            throw new AtelierException(what + "its status '" + run.status() + "' is not one of " + RUN_STATUSES);
        }
        if (run.steps() < 0) {
            throw new AtelierException(what + "its step count is negative (" + run.steps() + ")");
        }
        write("record run '" + run.id() + "'", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO runs (id, model, medium, family,"
                    + " corpus_fingerprint, started, started_ms, finished, steps, status, metrics_json)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, run.id());
                p.setString(2, run.model());
                p.setString(3, run.medium());
                p.setString(4, run.family());
                p.setString(5, run.corpusFingerprint());
                p.setString(6, run.started());
                p.setLong(7, started);
                p.setString(8, run.finished());
                p.setLong(9, run.steps());
                p.setString(10, run.status());
                p.setString(11, run.metricsJson());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** @return every recorded training run, the most recently started first */
    public List<RunEntry> runs() {
        return read("list runs", c -> {
            List<RunEntry> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, model, medium, family, corpus_fingerprint, started,"
                    + " finished, steps, status, metrics_json FROM runs ORDER BY started_ms DESC, id");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new RunEntry(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getString(7), r.getLong(8), r.getString(9), r.getString(10)));
                }
            }
            return out;
        });
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static long requireTime(String what, String time) {
        Long ms = time == null ? null : epochMillis(time);
        if (ms == null) {
            throw new AtelierException(what + " '" + time + "' is not an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
        return ms;
    }

    /** @return the instant in epoch milliseconds, or null if it is not ISO-8601 with 'Z' or an offset */
    private static Long epochMillis(String iso) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    // -------------------------------------------------------------------------------------------- recovery

    /**
     * Cleans up after writers that died mid-way; {@link #open} calls it. Never touches a live process's
     * write in progress.
     * <ol>
     *   <li>Every journalled add whose writer process is dead (its id is free, or now names a process that
     *       started at another time) is undone: its journal row is deleted, and with it each of its files
     *       that no work holds and no other journalled add claims, and the writer's temporary files.
     *   <li>The store is swept: temporary files of dead writers, and stored files that no work holds and no
     *       journalled add claims, are removed.
     * </ol>
     * Files are only removed while this process holds the database's write lock. A writer journals the
     * files it may create, in a committed transaction, before it creates them, so under that lock every
     * file being written is claimed by a journal row that the sweep can see: the sweep needs no grace
     * period, and a file it removes cannot be one a live writer counts on (a writer that finds its file
     * already stored has checked after its claim was committed).
     *
     * @return what was cleaned up
     * @throws AtelierException if the database or the store cannot be read or written
     */
    public Recovery recover() {
        record Journalled(String token, Writer writer, List<String[]> files) {}
        int[] counts = new int[3];
        write("undo the unfinished writes of dead processes", c -> {
            List<Journalled> dead = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT token, pid, process_start FROM pending ORDER BY token");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Writer w = new Writer(r.getLong(2), r.getLong(3));
                    if (!w.alive()) {
                        dead.add(new Journalled(r.getString(1), w, new ArrayList<>()));
                    }
                }
            }
            for (Journalled j : dead) {
                j.files().addAll(claims(c, j.token()));
                try (PreparedStatement p = c.prepareStatement("DELETE FROM pending WHERE token = ?")) {
                    p.setString(1, j.token());
                    p.executeUpdate();
                }
            }
            for (Journalled j : dead) {
                for (String[] f : j.files()) {
                    if (deleteIfUnused(c, f[0], f[1])) {
                        counts[2]++;
                    }
                    for (Path tmp : store.temporaries(f[0], j.writer())) {
                        if (Files.deleteIfExists(tmp)) {
                            counts[1]++;
                        }
                    }
                }
            }
            counts[0] = dead.size();
            return null;
        });
        List<Store.Entry> entries;
        try {
            entries = store.scan();
        } catch (IOException e) {
            throw new AtelierException("cannot list the catalog's store " + store.root() + ": " + oneLine(e), e);
        }
        write("remove stray files from the store", c -> {
            Set<String> used = new HashSet<>();
            try (PreparedStatement p = c.prepareStatement("SELECT sha256, extension FROM work_files"
                    + " UNION SELECT sha256, extension FROM pending_files"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    used.add(r.getString(1) + "." + r.getString(2));
                }
            }
            for (Store.Entry e : entries) {
                if (e.temporary()) {
                    if (!e.writer().orElseThrow().alive() && Files.deleteIfExists(e.path())) {
                        counts[1]++;
                    }
                } else if (!used.contains(e.sha256() + "." + e.extension()) && Files.deleteIfExists(e.path())) {
                    counts[2]++;
                }
            }
            return null;
        });
        return new Recovery(counts[0], counts[1], counts[2]);
    }

    /** @return the (sha256, extension) pairs a journalled add claims */
    private static List<String[]> claims(Connection c, String token) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT sha256, extension FROM pending_files WHERE token = ?")) {
            p.setString(1, token);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new String[] {r.getString(1), r.getString(2)});
                }
            }
        }
        return out;
    }

    /**
     * Deletes a journalled add of this process and each of its files that no work holds and no other
     * journalled add claims; in a write transaction.
     */
    private void release(Connection c, String token) throws SQLException, IOException {
        List<String[]> files = claims(c, token);
        try (PreparedStatement p = c.prepareStatement("DELETE FROM pending WHERE token = ?")) {
            p.setString(1, token);
            p.executeUpdate();
        }
        for (String[] f : files) {
            // this process's temporary files need no care: Store.put removes its own before returning
            deleteIfUnused(c, f[0], f[1]);
        }
    }

    /** @return whether the stored file was there, unused, and is now deleted */
    private boolean deleteIfUnused(Connection c, String sha256, String extension) throws SQLException, IOException {
        long uses = count(c, "SELECT (SELECT count(*) FROM work_files WHERE sha256 = ?1 AND extension = ?2)"
                + " + (SELECT count(*) FROM pending_files WHERE sha256 = ?1 AND extension = ?2)", sha256, extension);
        return uses == 0 && Files.deleteIfExists(store.path(sha256, extension));
    }

    /**
     * Checks the store against the database: every catalogued file is there with its size and hash, and no
     * stray or dead writer's temporary file is left. Reads every stored file.
     *
     * @return one line per problem, naming the file; empty when all is well
     * @throws AtelierException if the database or the store cannot be read
     */
    public List<String> verify() {
        record Row(String workId, String sha256, String extension, long size) {}
        List<Row> rows = read("read the catalogued files", c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT work_id, sha256, extension, size FROM work_files"
                    + " ORDER BY work_id, position"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Row(r.getString(1), r.getString(2), r.getString(3), r.getLong(4)));
                }
            }
            return out;
        });
        List<String> problems = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (Row row : rows) {
            Path f = store.path(row.sha256(), row.extension());
            used.add(row.sha256() + "." + row.extension());
            try {
                if (!Files.isRegularFile(f)) {
                    problems.add(f + " (work '" + row.workId() + "') is missing");
                } else if (Files.size(f) != row.size()) {
                    problems.add(f + " (work '" + row.workId() + "') has " + Files.size(f) + " bytes, the catalog says "
                            + row.size());
                } else if (!Hashing.sha256(f).equals(row.sha256())) {
                    problems.add(f + " (work '" + row.workId() + "') does not hash to its name");
                }
            } catch (IOException e) {
                problems.add(f + " (work '" + row.workId() + "') cannot be read: " + oneLine(e));
            }
        }
        Set<String> claimed = new HashSet<>(read("read the write journal", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT sha256, extension FROM pending_files");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1) + "." + r.getString(2));
                }
            }
            return out;
        }));
        try {
            for (Store.Entry e : store.scan()) {
                if (e.temporary()) {
                    if (!e.writer().orElseThrow().alive()) {
                        problems.add(e.path() + " is a temporary file left by a dead process");
                    }
                } else {
                    String name = e.sha256() + "." + e.extension();
                    if (!used.contains(name) && !claimed.contains(name)) {
                        problems.add(e.path() + " belongs to no work");
                    }
                }
            }
        } catch (IOException e) {
            throw new AtelierException("cannot list the catalog's store " + store.root() + ": " + oneLine(e), e);
        }
        return problems;
    }

    // ------------------------------------------------------------------------------------------- database

    /**
     * Brings a catalog database to a schema version with Flyway, one process at a time (SQLite gives
     * Flyway no lock of its own, so a lock file beside the database, {@code catalog.db.lock}, serialises
     * migrations between processes).
     *
     * @param db the database file
     * @param target the version to migrate to, or null for this build's latest
     * @param extraLocations more migration locations (tests use them to make a "newer" database)
     * @throws AtelierException if the file is not SQLite, not a catalog, newer than this build, or a
     *     migration fails
     */
    static void migrate(Path db, String target, String... extraLocations) {
        checkIsSqlite(db);
        Object monitor = MIGRATING.computeIfAbsent(db, k -> new Object());
        synchronized (monitor) {
            Path lockFile = db.resolveSibling(db.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                // held until the channel closes
                ch.lock();
                checkIsSqlite(db);
                prepare(db);
                List<String> locations = new ArrayList<>(List.of(MIGRATIONS));
                locations.addAll(List.of(extraLocations));
                Flyway flyway = Flyway.configure(Catalog.class.getClassLoader())
                        .dataSource(dataSource(db))
                        .locations(locations.toArray(String[]::new))
                        .loggers(FlywayLogs.class.getName())
                        .target(target == null ? MigrationVersion.LATEST : MigrationVersion.fromVersion(target))
                        .load();
                MigrationInfoService info = flyway.info();
                refuseNewer(db, info);
                if (info.pending().length > 0) {
                    flyway.migrate();
                } else {
                    flyway.validate();
                }
            } catch (IOException e) {
                throw new AtelierException("cannot lock " + lockFile + " to migrate " + db + ": " + oneLine(e), e);
            } catch (FlywayException e) {
                throw new AtelierException("cannot migrate the catalog " + db + ": " + oneLine(e), e);
            }
        }
    }

    private static void refuseNewer(Path db, MigrationInfoService info) {
        MigrationVersion known = null;
        MigrationVersion newest = null;
        for (MigrationInfo m : info.all()) {
            if (m.getVersion() == null) {
                continue;
            }
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                newest = newest == null || m.getVersion().isNewerThan(newest) ? m.getVersion() : newest;
            } else if (m.getState().isResolved()) {
                known = known == null || m.getVersion().isNewerThan(known) ? m.getVersion() : known;
            }
        }
        if (newest != null) {
            throw new AtelierException(db + " has catalog schema version " + newest + ", made by a newer Atelier; this"
                    + " build knows versions up to " + known + ": open it with a newer Atelier");
        }
    }

    /** Refuses a file that is not an SQLite database, naming it. An absent or empty file is a new database. */
    private static void checkIsSqlite(Path db) {
        if (!Files.exists(db)) {
            return;
        }
        if (!Files.isRegularFile(db)) {
            throw new AtelierException(db + " is not a file, so it cannot be the workspace's catalog database");
        }
        byte[] head = new byte[SQLITE_HEADER.length];
        int n;
        try (InputStream in = Files.newInputStream(db)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new AtelierException("cannot read the catalog " + db + ": " + oneLine(e), e);
        }
        if (n > 0 && (n < head.length || !Arrays.equals(head, SQLITE_HEADER))) {
            throw new AtelierException(db + " is not an SQLite database, so not an Atelier catalog: move it away, or"
                    + " use another workspace");
        }
    }

    /** Turns on WAL (kept in the file) and refuses an SQLite database that is not a catalog. */
    private static void prepare(Path db) {
        try (Connection c = dataSource(db).getConnection(); Statement s = c.createStatement()) {
            retryBusy(() -> s.execute("PRAGMA journal_mode = WAL"));
            boolean tables = false;
            boolean history = false;
            try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (r.next()) {
                    tables = true;
                    history |= r.getString(1).equals(HISTORY);
                }
            }
            if (tables && !history) {
                throw new AtelierException(db + " is an SQLite database but not an Atelier catalog (it has tables but no"
                        + " catalog schema history): move it away, or use another workspace");
            }
        } catch (SQLException e) {
            throw new AtelierException("cannot open the catalog " + db + ": " + oneLine(e), e);
        }
    }

    private static SQLiteDataSource dataSource(Path db) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + db);
        return ds;
    }

    private static Connection connect(Path db) {
        try {
            return dataSource(db).getConnection();
        } catch (SQLException e) {
            throw new AtelierException("cannot open the catalog " + db + ": " + oneLine(e), e);
        }
    }

    @FunctionalInterface
    private interface Sql {
        void run() throws SQLException;
    }

    private static void retryBusy(Sql sql) throws SQLException {
        long deadline = System.nanoTime() + RETRY_NANOS;
        for (int attempt = 0; ; attempt++) {
            try {
                sql.run();
                return;
            } catch (SQLException e) {
                if (!busy(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    private interface Tx<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    private <T> T write(String what, Tx<T> tx) {
        return transaction("BEGIN IMMEDIATE", what, tx);
    }

    private <T> T read(String what, Tx<T> tx) {
        return transaction("BEGIN DEFERRED", what, tx);
    }

    /**
     * Runs {@code tx} in a transaction, again from the start while SQLite answers "busy" (another process
     * holds the lock longer than the busy timeout, or a snapshot went stale), for up to two minutes.
     */
    private <T> T transaction(String begin, String what, Tx<T> tx) {
        lock.lock();
        try {
            if (closed) {
                throw new AtelierException("cannot " + what + ": the catalog " + db + " is closed");
            }
            long deadline = System.nanoTime() + RETRY_NANOS;
            for (int attempt = 0; ; attempt++) {
                try {
                    try (Statement s = conn.createStatement()) {
                        s.execute(begin);
                    }
                    T result = tx.run(conn);
                    try (Statement s = conn.createStatement()) {
                        s.execute("COMMIT");
                    }
                    return result;
                } catch (SQLException e) {
                    rollback();
                    if (busy(e) && System.nanoTime() < deadline) {
                        backoff(attempt);
                        continue;
                    }
                    throw new AtelierException("cannot " + what + " in " + db + ": " + oneLine(e), e);
                } catch (IOException e) {
                    rollback();
                    throw new AtelierException("cannot " + what + " in " + db + ": " + oneLine(e), e);
                } catch (RuntimeException | Error e) {
                    rollback();
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void rollback() {
        try (Statement s = conn.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // no transaction was open (BEGIN itself failed): nothing to undo
        }
    }

    private static boolean busy(SQLException e) {
        if (e instanceof SQLiteException se) {
            int primary = se.getResultCode().code & 0xff;
            return primary == 5 || primary == 6; // SQLITE_BUSY, SQLITE_LOCKED
        }
        int primary = e.getErrorCode() & 0xff;
        return primary == 5 || primary == 6;
    }

    private static void backoff(int attempt) {
        long ms = Math.min(200, 2L << Math.min(attempt, 7));
        try {
            Thread.sleep(ms + ThreadLocalRandom.current().nextLong(ms + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtelierException("interrupted while waiting for the catalog database");
        }
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /**
     * Closes the database. Idempotent; the catalog cannot be used after.
     *
     * @throws AtelierException if the database cannot be closed
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            conn.close();
        } catch (SQLException e) {
            throw new AtelierException("cannot close the catalog " + db + ": " + oneLine(e), e);
        } finally {
            lock.unlock();
        }
    }
}
