-- Sign-in: account state, second factors, revoked tokens and web sessions.
-- Facts are record tables (append-only, each row under the audit entry that made it):
-- token_revocations, account_status, totp_enrolments. Operational state that changes
-- on every request or attempt lives in plain tables that are not part of any audit
-- entry's state: sessions and sign_in_state. No table holds a secret in clear: tokens
-- and sessions are kept as SHA-256 hashes, TOTP secrets sealed by the vault.

-- An API token revoked for good, by whom and when.
CREATE TABLE token_revocations (
    id         TEXT PRIMARY KEY,
    token_id   TEXT NOT NULL UNIQUE REFERENCES tokens (id),
    revoked_by TEXT NOT NULL,
    revoked_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);
CREATE INDEX token_revocations_entry ON token_revocations (entry);

-- A user disabled or enabled again; the latest row per user is in force.
CREATE TABLE account_status (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    status     TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);
CREATE INDEX account_status_user ON account_status (user_id, entry);
CREATE INDEX account_status_entry ON account_status (entry);

-- A second factor enrolled for a user; the latest row per user is in force. secret is
-- the raw TOTP secret sealed with the vault (context totp_enrolments.secret + id).
CREATE TABLE totp_enrolments (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    secret      TEXT NOT NULL,
    enrolled_by TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX totp_enrolments_user ON totp_enrolments (user_id, entry);
CREATE INDEX totp_enrolments_entry ON totp_enrolments (entry);

-- Failed sign-ins in a row, the time the account locked (NULL if not locked), and the
-- last TOTP time step accepted, so that a code is never accepted twice.
CREATE TABLE sign_in_state (
    user_id        TEXT PRIMARY KEY REFERENCES users (id),
    failures       BIGINT NOT NULL,
    locked_at      TEXT,
    last_totp_step BIGINT NOT NULL
);

-- Web sessions, keyed by the SHA-256 of the cookie's secret.
CREATE TABLE sessions (
    secret_hash   TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    second_factor BIGINT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
