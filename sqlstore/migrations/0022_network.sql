-- Link analysis and exports (issue 17).

-- Link analysis follows standing links only: those no later link corrects
-- (consent.go standingLink), asked of every link it reads. Without this index each
-- such question read the whole links table (or SQLite built an index for the
-- statement); the payments and documents tables have theirs.
CREATE INDEX links_corrects ON links (corrects_id);

-- A neighbourhood follows at most a cap of a node's edges, the most confident first:
-- from a hub of 20,000 links it reads the cap's worth in this order and stops, instead
-- of every link (network.go, netReader.links). The indexes on from_id and to_id alone
-- are replaced by these, which serve every query the old ones did.
DROP INDEX links_from;
DROP INDEX links_to;
CREATE INDEX links_from ON links (from_id, confidence);
CREATE INDEX links_to ON links (to_id, confidence);

-- An export of a case (FtM, GraphML, CSV, Excel): an audited read, one row per
-- export, written before the export reads anything (so one cut short is recorded
-- too). What an export holds is fixed by its format (docs/export.md) and the
-- exporter's role at the entry; revealed is 1 when the exporter, who may reveal
-- identities, asked for victims' names instead of their pseudonyms.
CREATE TABLE exports (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    format      TEXT NOT NULL,
    revealed    BIGINT NOT NULL,
    exported_by TEXT NOT NULL,
    exported_at TEXT NOT NULL,
    entry       BIGINT NOT NULL
);
CREATE INDEX exports_entry ON exports (entry);
