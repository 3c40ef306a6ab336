-- Money and communications (issue 15): endpoints, payments, imports of communications
-- and the communications themselves are record tables: each row carries the audit
-- entry that created it, and none is ever updated. comm_pairs is not a record: it is
-- the running total of the communications between two endpoints, kept in the same
-- transaction as the rows it adds up, and rebuilt from them on demand.

-- A phone number, chat handle, e-mail address or bank account as the evidence shows
-- it, one per case, kind, service and value (phones in E.164, service ''). token is
-- the blind index of the value as an identifier of its kind (field
-- 'identifier:<kind>'), which finds the persons holding it in blind_index. country is
-- the ISO 3166-1 alpha-2 country of a phone number, or the one a file states.
CREATE TABLE endpoints (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,
    service    TEXT NOT NULL,
    value      TEXT NOT NULL,
    country    TEXT NOT NULL,
    token      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL,
    UNIQUE (case_id, kind, service, value)
);
CREATE INDEX endpoints_token ON endpoints (case_id, token);
CREATE INDEX endpoints_entry ON endpoints (entry);

-- A payment, numbered per case (num 3 is PM-3). payer and payee are a person, an
-- organisation or an endpoint (payer_kind, payee_kind); amount is in minor units of
-- currency (ISO 4217). at is when, as given (YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339
-- time in UTC); at_start and at_end are the first and last instant of that period in
-- the store's time layout, for ordering and windows. source is a document, exhibit or
-- media record (source_kind). A correction names the payment it corrects, with a
-- reason; retracts 1 withdraws it.
CREATE TABLE payments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    num         BIGINT NOT NULL,
    ref         TEXT NOT NULL,
    payer_id    TEXT NOT NULL,
    payer_kind  TEXT NOT NULL,
    payee_id    TEXT NOT NULL,
    payee_kind  TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    at          TEXT NOT NULL,
    at_start    TEXT NOT NULL,
    at_end      TEXT NOT NULL,
    method      TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    source_id   TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    note        TEXT NOT NULL,
    corrects_id TEXT REFERENCES payments (id),
    retracts    BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    entry       BIGINT NOT NULL,
    UNIQUE (case_id, num)
);
CREATE INDEX payments_case_at ON payments (case_id, at_start, num);
CREATE INDEX payments_payer ON payments (case_id, payer_id);
CREATE INDEX payments_payee ON payments (case_id, payee_id);
CREATE INDEX payments_corrects ON payments (corrects_id);
CREATE INDEX payments_entry ON payments (entry);

-- An import of a file of an exhibit (format cdr or chat), one per case, exhibit and
-- file digest: importing the file again resumes it or adds nothing. rows is how many
-- rows the file holds; comm_import_done marks an import whose every row is written.
CREATE TABLE comm_imports (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    exhibit_id  TEXT NOT NULL REFERENCES exhibits (id),
    format      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    name        TEXT NOT NULL,
    rows        BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    entry       BIGINT NOT NULL,
    UNIQUE (case_id, exhibit_id, sha256)
);
CREATE INDEX comm_imports_entry ON comm_imports (entry);

CREATE TABLE comm_import_done (
    import_id TEXT PRIMARY KEY REFERENCES comm_imports (id),
    case_id   TEXT NOT NULL REFERENCES cases (id),
    written   BIGINT NOT NULL,
    done_at   TEXT NOT NULL,
    entry     BIGINT NOT NULL
);
CREATE INDEX comm_import_done_entry ON comm_import_done (entry);

-- A communication: the row of line `line` of an import. id is the import's id, a dot
-- and the line in ten digits. It is unique (an import's lines only grow, and a batch
-- writes only lines after its import's last batch, comm_import_batches) but not
-- indexed: nothing looks a communication up by id, and at millions of rows the index
-- would cost a sixth of an import. from and to are endpoints; directed 1 if the record
-- says who began (from), else from and to are as the file lists them. at is the time
-- in UTC, in the store's time layout; duration in seconds.
CREATE TABLE communications (
    id        TEXT NOT NULL,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    import_id TEXT NOT NULL REFERENCES comm_imports (id),
    line      BIGINT NOT NULL,
    from_id   TEXT NOT NULL REFERENCES endpoints (id),
    to_id     TEXT NOT NULL REFERENCES endpoints (id),
    directed  BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    at        TEXT NOT NULL,
    duration  BIGINT NOT NULL,
    cell_id   TEXT NOT NULL,
    imei      TEXT NOT NULL,
    entry     BIGINT NOT NULL
);
CREATE INDEX communications_at ON communications (case_id, at);
CREATE INDEX communications_from ON communications (from_id, at);
CREATE INDEX communications_to ON communications (to_id, at);
CREATE INDEX communications_entry ON communications (entry);

-- A batch of an import written: its last line and how many rows it wrote, under the
-- batch's entry. An interrupted import resumes after the largest last line.
CREATE TABLE comm_import_batches (
    id        TEXT PRIMARY KEY,
    import_id TEXT NOT NULL REFERENCES comm_imports (id),
    last_line BIGINT NOT NULL,
    rows      BIGINT NOT NULL,
    entry     BIGINT NOT NULL
);
CREATE INDEX comm_import_batches_import ON comm_import_batches (import_id, last_line);
CREATE INDEX comm_import_batches_entry ON comm_import_batches (entry);

-- Running totals per pair of endpoints (from, to), over every communication between
-- them: not a record (see above).
CREATE TABLE comm_pairs (
    case_id  TEXT NOT NULL,
    from_id  TEXT NOT NULL,
    to_id    TEXT NOT NULL,
    contacts BIGINT NOT NULL,
    directed BIGINT NOT NULL,
    duration BIGINT NOT NULL,
    first_at TEXT NOT NULL,
    last_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, from_id, to_id)
);
CREATE INDEX comm_pairs_to ON comm_pairs (case_id, to_id);

-- That a phone identifier recorded before this migration has been given its E.164
-- form as a fact: a blind_index row of field 'identifier:phone' for the E.164 value,
-- created under the same entry (records are never rewritten; the value as first
-- written stays). New phone identifiers are stored in E.164 and marked at once.
CREATE TABLE identifier_e164 (
    identifier_id TEXT PRIMARY KEY REFERENCES identifiers (id),
    case_id       TEXT NOT NULL,
    entry         BIGINT NOT NULL
);
CREATE INDEX identifier_e164_entry ON identifier_e164 (entry);
