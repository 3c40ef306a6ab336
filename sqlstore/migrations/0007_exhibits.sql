-- Exhibits, their chains of custody, and the files found in them (issue 5). Record
-- tables: each row carries the audit entry that created it.

-- A seized item, referenced per case in the officer-initials style (SB/3).
CREATE TABLE exhibits (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    ref            TEXT NOT NULL,
    description    TEXT NOT NULL,
    kind           TEXT NOT NULL,
    seized_from_id TEXT REFERENCES persons (id),
    seized_by      TEXT NOT NULL,
    seized_at      TEXT NOT NULL,
    place          TEXT NOT NULL,
    registered_by  TEXT NOT NULL,
    registered_at  TEXT NOT NULL,
    entry          BIGINT NOT NULL,
    UNIQUE (case_id, ref)
);
CREATE INDEX exhibits_entry ON exhibits (entry);

-- One link of an exhibit's chain; seq 1 is its seizure. Never updated.
CREATE TABLE custody_events (
    id          TEXT PRIMARY KEY,
    exhibit_id  TEXT NOT NULL REFERENCES exhibits (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    seq         BIGINT NOT NULL,
    event       TEXT NOT NULL,
    by_whom     TEXT NOT NULL,
    to_whom     TEXT NOT NULL,
    at          TEXT NOT NULL,
    place       TEXT NOT NULL,
    seal        TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    entry       BIGINT NOT NULL,
    UNIQUE (exhibit_id, seq)
);
CREATE INDEX custody_events_entry ON custody_events (entry);

-- A content, stored once in the blob store under its SHA-256, whatever number of files
-- hold it; recorded with the first file found to hold it.
CREATE TABLE contents (
    sha256    TEXT PRIMARY KEY,
    sha1      TEXT NOT NULL,
    md5       TEXT NOT NULL,
    size      BIGINT NOT NULL,
    mime      TEXT NOT NULL,
    meta      TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    entry     BIGINT NOT NULL
);
CREATE INDEX contents_entry ON contents (entry);
CREATE INDEX contents_sha1 ON contents (sha1);
CREATE INDEX contents_md5 ON contents (md5);

-- A file found in an exhibit: where, and which content.
CREATE TABLE media (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    exhibit_id  TEXT NOT NULL REFERENCES exhibits (id),
    sha256      TEXT NOT NULL REFERENCES contents (sha256),
    path        TEXT NOT NULL,
    mod_time    TEXT,
    ingested_by TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    entry       BIGINT NOT NULL,
    UNIQUE (exhibit_id, path)
);
CREATE INDEX media_entry ON media (entry);
CREATE INDEX media_case_sha256 ON media (case_id, sha256);
