-- The identity vault (see package vault): identity fields (person_names.name,
-- person_aliases.alias, persons.date_of_birth, identifiers.value) hold sealed values
-- from this migration on; these tables hold the wrapped keys, the blind index that
-- finds a person by name without the name in clear, and who asked to see whose
-- identity and why.

-- Wrapped data and index keys. Not a record table: rotating the master key re-wraps
-- these rows, which is why sealed values never need rewriting.
CREATE TABLE vault_keys (
    id         TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    wrapped    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One row per normalised token of a person's names and aliases ("name") and per
-- identifier ("identifier:<kind>"): token = HMAC(index key, field, token).
CREATE TABLE blind_index (
    id        TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    person_id TEXT NOT NULL REFERENCES persons (id),
    field     TEXT NOT NULL,
    token     TEXT NOT NULL,
    entry     BIGINT NOT NULL
);
CREATE INDEX blind_index_lookup ON blind_index (case_id, field, token);
CREATE INDEX blind_index_entry ON blind_index (entry);

-- Every request to see a victim's identity: granted (1) with its reason, or refused (0).
CREATE TABLE identity_access (
    id        TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    person_id TEXT NOT NULL REFERENCES persons (id),
    user_name TEXT NOT NULL,
    role      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    granted   BIGINT NOT NULL,
    at        TEXT NOT NULL,
    entry     BIGINT NOT NULL
);
CREATE INDEX identity_access_person ON identity_access (person_id, entry);
CREATE INDEX identity_access_entry ON identity_access (entry);

-- Identifier values are sealed; equality lookups go through blind_index instead.
DROP INDEX identifiers_case_value;
