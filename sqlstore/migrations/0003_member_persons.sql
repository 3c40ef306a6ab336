-- The person record that stands for a member in a case: for an advocate, the
-- representative whose `represents` links name their clients. Append-only: the latest
-- row for a member is in force.
CREATE TABLE member_persons (
    id        TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    person_id TEXT NOT NULL REFERENCES persons (id),
    entry     BIGINT NOT NULL
);
CREATE INDEX member_persons_member ON member_persons (case_id, user_id, entry);
CREATE INDEX member_persons_entry ON member_persons (entry);

-- Further identity fields of a person, sealed like names: "parent" (parentage, as in
-- "son of ..."; several in order) and "address". Part of a victim's identity.
CREATE TABLE person_details (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    case_id    TEXT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,
    pos        BIGINT NOT NULL,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    entry      BIGINT NOT NULL
);
CREATE INDEX person_details_person ON person_details (person_id);
CREATE INDEX person_details_case ON person_details (case_id);
CREATE INDEX person_details_entry ON person_details (entry);
