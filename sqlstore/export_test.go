package sqlstore

import "context"

// WriteCaseForTest runs one write through the group commit: it inserts a case titled
// title under a new audit entry, then panics if panics is set, else returns fail.
func (db *DB) WriteCaseForTest(ctx context.Context, title string, fail error, panics bool) error {
	return db.write(ctx, func(tx *Tx) error {
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		id := newID(prefixCase)
		if err := tx.exec(`INSERT INTO cases (id, title, time_zone, created_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			id, title, "UTC", tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return err
		}
		if err := tx.appendAudit(seq, "case.create", "case", id, id); err != nil {
			return err
		}
		if panics {
			panic("a write that panics")
		}
		return fail
	})
}

// SetCommBatch sets how many rows one transaction of an import writes, for a test
// of interrupted imports; the returned func restores it.
func SetCommBatch(n int) func() {
	was := commBatch
	commBatch = n
	return func() { commBatch = was }
}

// IndexSearchQueue indexes every record queued for search, as a search of its case
// would first.
func (db *DB) IndexSearchQueue(ctx context.Context) error { return db.indexQueued(ctx, "") }

// SetSearchIndexing turns the search index's queue off or on, so that a benchmark can
// time registering a document with and without it side by side; the returned func
// restores it.
func SetSearchIndexing(on bool) func() {
	was := searchIndexing
	searchIndexing = on
	return func() { searchIndexing = was }
}

// SetManyParties sets how many parties a network query reads by list before it reads
// the whole case's payments and communications instead, until the returned func is
// called.
func SetManyParties(n int) func() {
	was := manyParties
	manyParties = n
	return func() { manyParties = was }
}
