-- The victim-contact ledger (issue 7, fourth increment). A record table: each row
-- carries the audit entry that created it, and none is ever updated.

-- A contact with a victim or their family, numbered per case (num 3 is VC-3). victims
-- is a JSON list of the ids of the victims it concerns; alert is 1 or 0, with its
-- reason, as judged when the contact was recorded.
CREATE TABLE contacts (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    num          BIGINT NOT NULL,
    ref          TEXT NOT NULL,
    person_id    TEXT NOT NULL REFERENCES persons (id),
    victims      TEXT NOT NULL,
    by_whom      TEXT NOT NULL,
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    alert        BIGINT NOT NULL,
    alert_reason TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    entry        BIGINT NOT NULL,
    UNIQUE (case_id, num)
);
CREATE INDEX contacts_entry ON contacts (entry);
