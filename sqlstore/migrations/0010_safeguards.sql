-- Consents to medical examinations, arrests with their grounds, and retractions
-- (issue 7, second increment). Record tables: each row carries the audit entry that
-- created it, and none is ever updated.

-- One answer to a medical examination: consent given (1) or refused (0), by the person
-- examined, a parent or guardian, or (refusals only) their representative.
CREATE TABLE action_consents (
    id          TEXT PRIMARY KEY,
    action_id   TEXT NOT NULL REFERENCES actions (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    person_id   TEXT NOT NULL REFERENCES persons (id),
    by_id       TEXT NOT NULL REFERENCES persons (id),
    capacity    TEXT NOT NULL,
    given       BIGINT NOT NULL,
    note        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX action_consents_entry ON action_consents (entry);
CREATE INDEX action_consents_action ON action_consents (action_id);

-- An arrest, numbered per case (num 2 is AR-2); due is the production deadline.
CREATE TABLE arrests (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    num         BIGINT NOT NULL,
    ref         TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    at          TEXT NOT NULL,
    by_whom     TEXT NOT NULL,
    place       TEXT NOT NULL,
    due         TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    entry       BIGINT NOT NULL,
    UNIQUE (case_id, num)
);
CREATE INDEX arrests_entry ON arrests (entry);

-- A document, exhibit or media record an arrest cites, in the order given.
CREATE TABLE arrest_grounds (
    id          TEXT PRIMARY KEY,
    arrest_id   TEXT NOT NULL REFERENCES arrests (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    pos         BIGINT NOT NULL,
    ground_id   TEXT NOT NULL,
    ground_kind TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX arrest_grounds_entry ON arrest_grounds (entry);
CREATE INDEX arrest_grounds_arrest ON arrest_grounds (arrest_id);

-- A statement that withdraws an earlier one by the same giver. requested_by is a
-- person of the case (per_...) or a member's user name, or ''.
CREATE TABLE retractions (
    document_id   TEXT PRIMARY KEY REFERENCES documents (id),
    case_id       TEXT NOT NULL REFERENCES cases (id),
    retracts_id   TEXT NOT NULL REFERENCES documents (id),
    circumstances TEXT NOT NULL,
    requested_by  TEXT NOT NULL,
    review_id     TEXT NOT NULL REFERENCES actions (id),
    entry         BIGINT NOT NULL
);
CREATE INDEX retractions_entry ON retractions (entry);
CREATE INDEX retractions_retracts ON retractions (retracts_id);
