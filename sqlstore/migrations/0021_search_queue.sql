-- The search index's queue (issue 16). A write that makes or changes a searchable
-- record does not index it itself: it queues the record here, in its own transaction,
-- and the store's indexer (sqlstore/search_queue.go) indexes the queue in batches,
-- soon after, off the writer's path. A search first indexes what its case has queued,
-- so that it finds everything committed before it. Derived like the index: no record,
-- no audit entry; a queued row outlives a crash and is indexed when the store is next
-- opened.
--
-- record_id is the record to index again (its kind as search_chunks names it), or,
-- with kind 'withhold', a person who became a victim or gained a name as one, whose
-- name keys the case's indexed texts must hold keyed from now on. gen counts the times
-- the row was queued: the indexer removes a row only at the gen it read, so that a
-- record changed while it was being indexed is indexed again.
CREATE TABLE search_queue (
    record_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    case_id   TEXT NOT NULL,
    gen       BIGINT NOT NULL,
    PRIMARY KEY (record_id, kind)
);
CREATE INDEX search_queue_case ON search_queue (case_id);
