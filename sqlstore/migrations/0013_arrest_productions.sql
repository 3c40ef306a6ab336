-- Productions of arrested persons before a magistrate (issue 7). A record table: each
-- row carries the audit entry that created it, and none is ever updated. An arrest has
-- at most one production (arrest_id is unique); its presence stops the arrest's clock.
-- outcome is remanded, bailed, released or other; by_whom is a member's user name.
CREATE TABLE arrest_productions (
    id          TEXT PRIMARY KEY,
    arrest_id   TEXT NOT NULL UNIQUE REFERENCES arrests (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    at          TEXT NOT NULL,
    court       TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    by_whom     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX arrest_productions_entry ON arrest_productions (entry);
