-- The incident-room core. Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Conventions:
--   * ids are text with a kind prefix (cas_, per_, doc_ ...), made by the server;
--   * times are text in UTC, fixed width "2006-01-02T15:04:05.000000000Z", so they sort;
--   * every record row carries `entry`, the seq of the audit entry that created it.
--     The audit entry's state_hash is the SHA-256 of the canonical JSON of all rows
--     created with that entry (see sqlstore/canonical.go), so rows edited behind the
--     server's back no longer match their entry;
--   * nothing is updated: a change is a new row that points at the old one;
--   * record tables are never ALTERed once released: a new column would change the
--     canonical state of every old row and break its audit hash. New facts go in new tables.

CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    case_id     TEXT,
    state_hash  TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, seq);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    admin         BIGINT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    entry         BIGINT NOT NULL
);

CREATE TABLE tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    entry       BIGINT NOT NULL
);

CREATE TABLE cases (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    time_zone  TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);

CREATE TABLE memberships (
    id       TEXT PRIMARY KEY,
    case_id  TEXT NOT NULL REFERENCES cases (id),
    user_id  TEXT NOT NULL REFERENCES users (id),
    role     TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    entry    BIGINT NOT NULL
);
CREATE INDEX memberships_case_user ON memberships (case_id, user_id, entry);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE persons (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    sex           TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    age_band      TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    entry         BIGINT NOT NULL
);
CREATE INDEX persons_case ON persons (case_id, entry);

CREATE TABLE person_names (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    case_id    TEXT NOT NULL REFERENCES cases (id),
    pos        BIGINT NOT NULL,
    name       TEXT NOT NULL,
    script     TEXT NOT NULL,
    source_id  TEXT,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);
CREATE INDEX person_names_person ON person_names (person_id);
CREATE INDEX person_names_case ON person_names (case_id);

CREATE TABLE person_aliases (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    case_id    TEXT NOT NULL REFERENCES cases (id),
    pos        BIGINT NOT NULL,
    alias      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    source_id  TEXT,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);
CREATE INDEX person_aliases_person ON person_aliases (person_id);
CREATE INDEX person_aliases_case ON person_aliases (case_id);

CREATE TABLE person_roles (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    case_id    TEXT NOT NULL REFERENCES cases (id),
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL,
    UNIQUE (person_id, role)
);
CREATE INDEX person_roles_case ON person_roles (case_id);

-- A victim's case pseudonym, V-0001 upwards, given once and never reused.
CREATE TABLE pseudonyms (
    person_id TEXT PRIMARY KEY REFERENCES persons (id),
    case_id   TEXT NOT NULL REFERENCES cases (id),
    num       BIGINT NOT NULL,
    pseudonym TEXT NOT NULL,
    entry     BIGINT NOT NULL,
    UNIQUE (case_id, num),
    UNIQUE (case_id, pseudonym)
);

CREATE TABLE documents (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES cases (id),
    kind              TEXT NOT NULL,
    num               BIGINT NOT NULL,
    ref               TEXT NOT NULL,
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    body_sha256       TEXT NOT NULL,
    external_ref      TEXT NOT NULL,
    corrects_id       TEXT REFERENCES documents (id),
    correction_reason TEXT NOT NULL,
    registered_by     TEXT NOT NULL,
    registered_at     TEXT NOT NULL,
    entry             BIGINT NOT NULL,
    UNIQUE (case_id, ref),
    UNIQUE (case_id, kind, num)
);
CREATE INDEX documents_case ON documents (case_id, entry);
CREATE INDEX documents_corrects ON documents (corrects_id);

-- How a statement (or complaint) was taken. One row per document that has it.
CREATE TABLE statements (
    document_id    TEXT PRIMARY KEY REFERENCES documents (id),
    case_id        TEXT NOT NULL REFERENCES cases (id),
    giver_id       TEXT REFERENCES persons (id),
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    place          TEXT NOT NULL,
    language       TEXT NOT NULL,
    interpreter_id TEXT REFERENCES persons (id),
    method         TEXT NOT NULL,
    entry          BIGINT NOT NULL
);
CREATE INDEX statements_giver ON statements (giver_id);

CREATE TABLE statement_presence (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    pos         BIGINT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    capacity    TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX statement_presence_document ON statement_presence (document_id);

CREATE TABLE identifiers (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    person_id  TEXT NOT NULL REFERENCES persons (id),
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    service    TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);
CREATE INDEX identifiers_person ON identifiers (person_id);
CREATE INDEX identifiers_case_value ON identifiers (case_id, kind, value);

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    note       TEXT NOT NULL,
    source_id  TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);
CREATE INDEX organisations_case ON organisations (case_id, entry);

CREATE TABLE locations (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    address    TEXT NOT NULL,
    lat        DOUBLE PRECISION,
    lon        DOUBLE PRECISION,
    within_id  TEXT REFERENCES locations (id),
    source_id  TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);
CREATE INDEX locations_case ON locations (case_id, entry);

CREATE TABLE links (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    from_id     TEXT NOT NULL,
    to_id       TEXT NOT NULL,
    type        TEXT NOT NULL,
    since       TEXT NOT NULL,
    until       TEXT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    source_id   TEXT NOT NULL,
    note        TEXT NOT NULL,
    corrects_id TEXT REFERENCES links (id),
    retracts    BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX links_case ON links (case_id, entry);
CREATE INDEX links_from ON links (from_id);
CREATE INDEX links_to ON links (to_id);

-- Every record table is indexed by the audit entry that created it.
CREATE INDEX users_entry ON users (entry);
CREATE INDEX tokens_entry ON tokens (entry);
CREATE INDEX cases_entry ON cases (entry);
CREATE INDEX memberships_entry ON memberships (entry);
CREATE INDEX persons_entry ON persons (entry);
CREATE INDEX person_names_entry ON person_names (entry);
CREATE INDEX person_aliases_entry ON person_aliases (entry);
CREATE INDEX person_roles_entry ON person_roles (entry);
CREATE INDEX pseudonyms_entry ON pseudonyms (entry);
CREATE INDEX documents_entry ON documents (entry);
CREATE INDEX statements_entry ON statements (entry);
CREATE INDEX statement_presence_entry ON statement_presence (entry);
CREATE INDEX identifiers_entry ON identifiers (entry);
CREATE INDEX organisations_entry ON organisations (entry);
CREATE INDEX locations_entry ON locations (entry);
CREATE INDEX links_entry ON links (entry);
