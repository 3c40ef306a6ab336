-- Failed sign-ins under user names that do not exist. Anyone can make them, as fast as
-- the server answers, so they are not each an audit entry: the first after a quiet
-- spell is one (signin.fail, object "unknown"); those that follow within the tally
-- period (sqlstore.UnknownSignInPeriod) are counted in unknown_sign_in_tally and, once
-- the period is over, written as one signin.fail.tally entry whose row in
-- sign_in_tallies says how many there were and from when to when.

-- A record table: each row carries the audit entry that created it, never updated.
-- failures attempts failed under unknown names between first_at and last_at.
CREATE TABLE sign_in_tallies (
    id       TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    first_at TEXT NOT NULL,
    last_at  TEXT NOT NULL,
    entry    BIGINT NOT NULL
);
CREATE INDEX sign_in_tallies_entry ON sign_in_tallies (entry);

-- Operational state, one row (id 'unknown'), not part of any entry's state: pending
-- failures not yet in the log (the first and last at), and when the log last got an
-- entry about unknown names (NULL if never).
CREATE TABLE unknown_sign_in_tally (
    id         TEXT PRIMARY KEY,
    pending    BIGINT NOT NULL,
    first_at   TEXT,
    last_at    TEXT,
    audited_at TEXT
);
INSERT INTO unknown_sign_in_tally (id, pending) VALUES ('unknown', 0);
