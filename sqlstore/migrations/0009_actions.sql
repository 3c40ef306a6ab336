-- Actions (HOLMES lines of enquiry) and the lead's decision log (issue 7). Record
-- tables: each row carries the audit entry that created it, and none is ever updated.

-- An action, numbered per case (num 3 is A-3).
CREATE TABLE actions (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    num            BIGINT NOT NULL,
    ref            TEXT NOT NULL,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    raised_from_id TEXT REFERENCES documents (id),
    priority       TEXT NOT NULL,
    due            TEXT,
    raised_by      TEXT NOT NULL,
    raised_at      TEXT NOT NULL,
    entry          BIGINT NOT NULL,
    UNIQUE (case_id, num),
    UNIQUE (case_id, ref)
);
CREATE INDEX actions_entry ON actions (entry);

-- A person or exhibit an action concerns, in the order given.
CREATE TABLE action_subjects (
    id           TEXT PRIMARY KEY,
    action_id    TEXT NOT NULL REFERENCES actions (id),
    case_id      TEXT NOT NULL REFERENCES cases (id),
    pos          BIGINT NOT NULL,
    subject_id   TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    entry        BIGINT NOT NULL
);
CREATE INDEX action_subjects_entry ON action_subjects (entry);
CREATE INDEX action_subjects_action ON action_subjects (action_id);

-- One step of an action's history; seq 1 is its raising. The latest gives its state.
CREATE TABLE action_events (
    id          TEXT PRIMARY KEY,
    action_id   TEXT NOT NULL REFERENCES actions (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    seq         BIGINT NOT NULL,
    event       TEXT NOT NULL,
    to_user     TEXT NOT NULL,
    document_id TEXT REFERENCES documents (id),
    reason      TEXT NOT NULL,
    by_whom     TEXT NOT NULL,
    at          TEXT NOT NULL,
    entry       BIGINT NOT NULL,
    UNIQUE (action_id, seq)
);
CREATE INDEX action_events_entry ON action_events (entry);
CREATE INDEX action_events_case ON action_events (case_id);

-- The lead's decision log, numbered per case.
CREATE TABLE decisions (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    num        BIGINT NOT NULL,
    decision   TEXT NOT NULL,
    rationale  TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    entry      BIGINT NOT NULL,
    UNIQUE (case_id, num)
);
CREATE INDEX decisions_entry ON decisions (entry);
