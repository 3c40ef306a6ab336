-- Statement safeguard rule sets (issue 7, third increment). A record table: each row
-- carries the audit entry that created it, and none is ever updated.

-- A rule set of a case, in force from recorded_at until the next. The flags are 1 or
-- 0; languages is a JSON object of user name (or "*") to a list of language tags.
CREATE TABLE safeguard_rules (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    num         BIGINT NOT NULL,
    guardian    BIGINT NOT NULL,
    female      BIGINT NOT NULL,
    interpreter BIGINT NOT NULL,
    languages   TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    entry       BIGINT NOT NULL,
    UNIQUE (case_id, num)
);
CREATE INDEX safeguard_rules_entry ON safeguard_rules (entry);
