-- Perceptual hashes, known-hash sets and matches (issue 6). Record tables: each row
-- carries the audit entry that created it.

-- The PDQ hash of an image content's stored pixels, its quality (0-100), and the hashes
-- of its eight orientations (orig, rot90, rot180, rot270, flipx, flipy, flipplus1,
-- flipminus1), comma-separated. Recorded with the content.
CREATE TABLE content_pdq (
    sha256   TEXT PRIMARY KEY REFERENCES contents (sha256),
    pdq      TEXT NOT NULL,
    quality  BIGINT NOT NULL,
    dihedral TEXT NOT NULL,
    entry    BIGINT NOT NULL
);
CREATE INDEX content_pdq_entry ON content_pdq (entry);

-- A known-hash set imported from a national or international database (Project VIC
-- VICS JSON or CSV): hashes and categories only, never content.
CREATE TABLE hash_sets (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    format        TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    entry         BIGINT NOT NULL
);
CREATE INDEX hash_sets_entry ON hash_sets (entry);

-- One entry of a set, in the order of the file (seq from 1). Absent values are NULL.
CREATE TABLE hash_set_entries (
    id                  TEXT PRIMARY KEY,
    set_id              TEXT NOT NULL REFERENCES hash_sets (id),
    seq                 BIGINT NOT NULL,
    media_id            TEXT,
    category            TEXT,
    md5                 TEXT,
    sha1                TEXT,
    sha256              TEXT,
    pdq                 TEXT,
    size                BIGINT,
    victim_identified   BIGINT,
    offender_identified BIGINT,
    is_distributed      BIGINT,
    series              TEXT,
    entry               BIGINT NOT NULL,
    UNIQUE (set_id, seq)
);
CREATE INDEX hash_set_entries_entry ON hash_set_entries (entry);
CREATE INDEX hash_set_entries_md5 ON hash_set_entries (md5);
CREATE INDEX hash_set_entries_sha1 ON hash_set_entries (sha1);
CREATE INDEX hash_set_entries_sha256 ON hash_set_entries (sha256);

-- A content found to match a known-hash set entry (kind 'known', other = the entry's id)
-- or another content (kind 'content', other = its SHA-256): by equal MD5, SHA-1 or
-- SHA-256, or by PDQ within distance 31 (orientation: which of this content's eight
-- forms matched). A fact about two contents, shown in a case where both are found.
CREATE TABLE matches (
    id          TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL REFERENCES contents (sha256),
    kind        TEXT NOT NULL,
    other       TEXT NOT NULL,
    method      TEXT NOT NULL,
    distance    BIGINT NOT NULL,
    orientation TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX matches_entry ON matches (entry);
CREATE INDEX matches_sha256 ON matches (sha256);
CREATE INDEX matches_other ON matches (other);
