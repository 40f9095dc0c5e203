/**
 * The catalog: the record of every work an artist makes, and of the models, corpora and training runs
 * behind them, kept so that the database and the files never disagree, even when a process is killed
 * mid-write and several processes write at once. {@link art.atelier.catalog.Catalog} is the one entry point.
 *
 * <h2>Layout</h2>
 * In a workspace {@code R}: {@code R/catalog.db} (SQLite, with its {@code -wal} and {@code -shm} files
 * while in use, and {@code catalog.db.lock}, which serialises schema migrations between processes) and
 * {@code R/store/<first 2 hex>/<sha256>.<extension>}: every work file stored once by the SHA-256 of its
 * bytes (FIPS 180-4), read-only, as git stores objects. Two works with the same bytes share a file.
 *
 * <h2>Schema and migrations</h2>
 * Versioned SQL migrations run by Flyway ({@code src/main/resources/db/migration}): V1 holds works, their
 * parents and files, models, corpora, runs and the write journal; V2 adds what the artist does (actions,
 * a work's status and title) and editions with their certificates. A database of an older schema is
 * migrated on open; one whose history names a version this build does not know (made by a newer
 * Atelier) is refused, as is a file that is not SQLite (checked against the header of the SQLite file
 * format, "SQLite format 3\0") or an SQLite database that is not a catalog. Flyway's log goes to slf4j,
 * its routine messages at debug level ({@link art.atelier.catalog.FlywayLogs}); it reads no configuration
 * files or environment and reaches no network.
 *
 * <h2>Crash safety: files first, then the row, with a journal</h2>
 * Adding a work: (1) in one transaction, a journal row ({@code pending}: a random token, the work id, the
 * writer's process id and start time) and the names of the files it will create are committed; (2) each
 * file is written under a temporary name in its store directory
 * ({@code .<sha256>.<ext>.<pid>-<start>.<random>.tmp}), flushed to disk ({@code fsync}), renamed to its
 * hash name (atomic on POSIX file systems) and the directory flushed; a file already stored is reused;
 * (3) in one transaction the work, its parents and its files are inserted and the journal row deleted.
 * A kill between any two steps leaves either the whole work or a journal row of a dead process, which
 * {@link art.atelier.catalog.Catalog#recover()} (run by {@code open}) undoes: it deletes the row, the
 * files no work holds and no other journal row claims, and the dead writer's temporary files. A process is
 * dead when its id is free or names a process with another start time ({@link java.lang.ProcessHandle}),
 * so a reused process id is not mistaken for the writer; a live process's journal rows are never touched.
 *
 * <p>Stray store files (no work holds them, no journal row claims them) are removed by the same sweep,
 * with no grace period: files are removed only inside a write transaction, and a writer commits its claim
 * before it creates a file (and checks whether a file is already stored only after), so under the write
 * lock every file in the making is visible as a claim. The "older than a minute" rule this replaces would
 * guard the same race with a clock, and would still be wrong for a writer paused for longer.
 *
 * <h2>Concurrency</h2>
 * SQLite in write-ahead-log mode (readers never block the writer), a busy timeout, {@code BEGIN IMMEDIATE}
 * for every write (the write lock is taken at the start, so two writers never deadlock upgrading a read),
 * and the whole transaction retried with jittered back-off while SQLite still answers {@code SQLITE_BUSY}.
 * Journal, files and rows together make concurrent adds of the same bytes or the same id safe. SQLite's
 * locks assume a local file system: a workspace on a network share is not supported.
 *
 * <h2>References</h2>
 * SQLite, "Atomic Commit in SQLite", "Write-Ahead Logging" and "File Locking and Concurrency in SQLite
 * Version 3" (sqlite.org); Flyway's versioned migrations (documentation.red-gate.com/fd); the
 * content-addressed object store of git (Pro Git, ch. 10 "Git Internals").
 */
package art.atelier.catalog;
