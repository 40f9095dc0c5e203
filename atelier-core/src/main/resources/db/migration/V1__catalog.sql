-- Atelier catalog, schema 1: works and their files, the models, corpora and training runs behind them,
-- and the journal of writes under way. Timestamps are ISO-8601 text as the caller gave them; *_ms
-- columns hold the same instant in epoch milliseconds for ordering.

CREATE TABLE works (
    n                  INTEGER PRIMARY KEY,          -- insertion order (ties in `created` are broken by it)
    id                 TEXT    NOT NULL UNIQUE,      -- e.g. "emoji-s7-1a2b3c4d"
    medium             TEXT    NOT NULL,             -- "image", "music", "text"
    kind               TEXT    NOT NULL,             -- "picture", "grid", "animation", "piece", "text", ...
    model              TEXT    NOT NULL,             -- the model's name in the workspace
    family             TEXT,                         -- the model's family, e.g. "atelier", "vqvae", "gpt"
    checkpoint         TEXT,                         -- "sha256:" and the hash of the model's weights
    corpus_fingerprint TEXT,                         -- what the model learned from
    seed               INTEGER NOT NULL,
    style              TEXT,                         -- the style label asked for, or NULL
    novelty            REAL,                         -- NULL when unknown
    near_hash          INTEGER,                      -- 64-bit near-duplicate hash, or NULL
    content_sha256     TEXT    NOT NULL,             -- the hash the work's manifest records
    manifest_json      TEXT    NOT NULL,
    created            TEXT    NOT NULL,             -- ISO-8601, as given
    created_ms         INTEGER NOT NULL              -- the same instant, epoch milliseconds
);
CREATE INDEX works_by_time ON works (created_ms DESC, n DESC);
CREATE INDEX works_by_medium ON works (medium, created_ms DESC);
CREATE INDEX works_by_model ON works (model);

-- The works a work was derived from (vary, cross, morph), in the order given; a parent need not be catalogued.
CREATE TABLE work_parents (
    work_id   TEXT    NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    parent_id TEXT    NOT NULL,
    PRIMARY KEY (work_id, position)
);
CREATE INDEX work_parents_by_parent ON work_parents (parent_id);

-- A work's files, stored by content as store/<first 2 hex>/<sha256>.<extension>.
CREATE TABLE work_files (
    work_id   TEXT    NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    role      TEXT    NOT NULL,                      -- "work", "audio", "manifest", ...
    sha256    TEXT    NOT NULL,
    extension TEXT    NOT NULL,
    size      INTEGER NOT NULL,                      -- bytes
    PRIMARY KEY (work_id, position),
    UNIQUE (work_id, role)
);
CREATE INDEX work_files_by_hash ON work_files (sha256, extension);

-- A model checkpoint, as it was when recorded; the same name may hold several checkpoints over time.
CREATE TABLE models (
    name               TEXT    NOT NULL,
    checkpoint         TEXT    NOT NULL,
    medium             TEXT    NOT NULL,
    family             TEXT    NOT NULL,
    corpus_fingerprint TEXT,
    steps              INTEGER NOT NULL,
    card_json          TEXT,
    recorded           TEXT    NOT NULL,
    recorded_ms        INTEGER NOT NULL,
    PRIMARY KEY (name, checkpoint)
);

-- A corpus, by fingerprint.
CREATE TABLE corpora (
    fingerprint TEXT    PRIMARY KEY,
    medium      TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    items       INTEGER NOT NULL,
    styles      TEXT    NOT NULL,                    -- style labels, one per line
    recorded    TEXT    NOT NULL,
    recorded_ms INTEGER NOT NULL
);

-- A training run: recorded when it starts, recorded again when it ends.
CREATE TABLE runs (
    id                 TEXT    PRIMARY KEY,
    model              TEXT    NOT NULL,
    medium             TEXT    NOT NULL,
    family             TEXT    NOT NULL,
    corpus_fingerprint TEXT,
    started            TEXT    NOT NULL,
    started_ms         INTEGER NOT NULL,
    finished           TEXT,
    steps              INTEGER NOT NULL,
    status             TEXT    NOT NULL,             -- "running", "finished", "failed", "stopped"
    metrics_json       TEXT
);

-- The write journal: a work whose files are being written. Committed before the first file is written,
-- deleted in the transaction that inserts the work; a row whose writer process is dead is undone.
CREATE TABLE pending (
    token         TEXT    PRIMARY KEY,               -- random, one per add
    work_id       TEXT    NOT NULL,
    pid           INTEGER NOT NULL,                  -- the writer's process id
    process_start INTEGER,                           -- its start, epoch ms (NULL if the OS does not say)
    since_ms      INTEGER NOT NULL                   -- when the row was written, epoch ms
);

-- The store files a pending write may create (or reuse): none of them may be removed while it is pending.
CREATE TABLE pending_files (
    token     TEXT NOT NULL REFERENCES pending (token) ON DELETE CASCADE,
    sha256    TEXT NOT NULL,
    extension TEXT NOT NULL,
    PRIMARY KEY (token, sha256, extension)
);
CREATE INDEX pending_files_by_hash ON pending_files (sha256, extension);
