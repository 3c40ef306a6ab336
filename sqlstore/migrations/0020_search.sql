-- Search (issue 16). Every table here but searches is derived, not a record: it is
-- written in the same transaction as the records it indexes, holds no audit entry, is
-- not under the audit state, and `caseroom search reindex` rebuilds it from the records.
-- The chunks that hold the terms differ by engine (an FTS5 table on SQLite, a tsvector
-- column on PostgreSQL) and are created by the migration's hook (searchSchema).

-- The terms themselves are in search_chunks, created by the hook as each engine needs
-- (see sqlstore/dialect.go): one row per chunk of a searchable record (a document, an
-- action, a decision, an exhibit), chunk 0 first, each carrying the record's fields the
-- query's filters and facets read, so that a match needs no join: kind is the record's
-- kind as the kind: filter names it (a document's own kind: statement, complaint...;
-- action; decision; exhibit); at is its date for from: and to: (when a statement or
-- complaint was recorded, else when the record was made), RFC 3339 in UTC, and month
-- that date's month in the case's time zone; giver_id is the person who gave a
-- statement or complaint; registered_by who registered it.

-- The keyed tokens of the names and aliases of a case's persons, for the search box:
-- token is the blind index (field 'term') of each key names.Key gives a name's words,
-- so a spelling variant finds the person; victim marks the persons who are victims,
-- whose name keys a document's text is never indexed with in clear.
CREATE TABLE search_person_terms (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    person_id TEXT NOT NULL REFERENCES persons (id),
    token     TEXT NOT NULL,
    victim    INTEGER NOT NULL,
    PRIMARY KEY (person_id, token)
);
CREATE INDEX search_person_terms_token ON search_person_terms (case_id, token);
CREATE INDEX search_person_terms_victim ON search_person_terms (case_id, victim, token);

-- What built the index: the version of the terms (names.Version) it was built with.
CREATE TABLE search_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A search, a record: who searched a case, when, how many records were found, and the
-- query sealed by the vault (a query may hold a victim's name), under the audit entry
-- search. Kept here, never in request logs.
CREATE TABLE searches (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    query       TEXT NOT NULL,
    found       BIGINT NOT NULL,
    searched_by TEXT NOT NULL,
    searched_at TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX searches_case ON searches (case_id, entry);
CREATE INDEX searches_entry ON searches (entry);
