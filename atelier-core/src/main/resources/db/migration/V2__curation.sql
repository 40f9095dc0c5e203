-- Atelier catalog, schema 2: what the artist does with a work (keep, reject, title, edit ...), and editions
-- with their signed certificates. Works made under schema 1 start as "new" with no title.

ALTER TABLE works ADD COLUMN status TEXT NOT NULL DEFAULT 'new';   -- "new", "kept", "rejected"
ALTER TABLE works ADD COLUMN title TEXT;                           -- NULL until the artist gives one
CREATE INDEX works_by_status ON works (status);

-- Everything the artist did to a work, in order.
CREATE TABLE actions (
    work_id        TEXT    NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,                 -- 1, 2, ... per work
    action         TEXT    NOT NULL,                 -- "keep", "reject", "title", "edit", "edition", ...
    detail         TEXT,
    time           TEXT    NOT NULL,                 -- ISO-8601
    signature_json TEXT,                             -- the artist's signature over the action, or NULL
    PRIMARY KEY (work_id, seq)
);

-- A limited edition of a work: issued once, never changed.
CREATE TABLE editions (
    work_id TEXT    PRIMARY KEY REFERENCES works (id) ON DELETE CASCADE,
    size    INTEGER NOT NULL CHECK (size >= 1),
    issued  TEXT    NOT NULL
);

-- One signed certificate per print of an edition, numbered 1..size.
CREATE TABLE certificates (
    work_id TEXT    NOT NULL REFERENCES editions (work_id) ON DELETE CASCADE,
    number  INTEGER NOT NULL CHECK (number >= 1),
    json    TEXT    NOT NULL,
    PRIMARY KEY (work_id, number)
);
