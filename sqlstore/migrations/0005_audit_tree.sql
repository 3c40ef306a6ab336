-- The audit log as a Merkle tree (issue 4). See sqlstore/tree.go for the layout.
--
-- audit_tree holds the stored hashes of the RFC 6962 tree over the audit entries, in the
-- numbering of golang.org/x/mod/sumdb/tlog (StoredHashIndex): leaf hash of entry N is
-- SHA-256(0x00 || canonical JSON of audit_log row N); interior hashes are
-- SHA-256(0x01 || left || right). The hashes of an entry are written in the same
-- transaction as the entry, so they cannot be missing after a crash.
CREATE TABLE audit_tree (
    idx  BIGINT PRIMARY KEY,
    hash TEXT NOT NULL
);

-- Signed checkpoints (C2SP tlog-checkpoint notes), one per tree size that was checkpointed.
CREATE TABLE audit_checkpoints (
    size       BIGINT PRIMARY KEY,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Witnesses whose cosignatures this log accepts: a record table, each under the audit
-- entry that registered it.
CREATE TABLE audit_witnesses (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    vkey     TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    entry    BIGINT NOT NULL
);
CREATE INDEX audit_witnesses_entry ON audit_witnesses (entry);

-- Cosignatures (C2SP tlog-cosignature v1) of registered witnesses on checkpoints. They are
-- statements about the log, verifiable on their own, and so are not entries of it.
CREATE TABLE audit_cosignatures (
    size        BIGINT NOT NULL,
    witness     TEXT NOT NULL,
    line        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (size, witness)
);
