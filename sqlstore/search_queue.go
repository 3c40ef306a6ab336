package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"caseroom"
	"caseroom/fulltext"
)

// The search index is written off the writers' path. A write that makes or changes a
// searchable record queues it in search_queue (migration 0021), in its own transaction,
// which costs it one small row; the indexer indexes the queue soon after, many records
// to a transaction, with the terms worked out before the transaction begins. A search
// first indexes what its case has queued (catchUpSearch), so it finds everything
// committed before it began. A queued row survives a crash: the indexer starts with
// the store and takes the queue as it finds it.
//
// Victims' names: a write that makes a person a victim, or gives a victim a name,
// queues the person (kind searchWithhold); the indexer then indexes again the texts
// that hold the person's name keys in clear. The indexer reads the case's victims'
// keys once more inside its transaction, and works the terms out again if they
// changed since it read them, so no text is indexed with a victim's key in clear after
// the victim's transaction committed.

// searchWithhold is the kind of a queued person (see above).
const searchWithhold = "withhold"

const (
	// searchQuiet: after a write the indexer waits for the writes to pause this long,
	searchQuiet = 10 * time.Millisecond
	// searchMaxDelay: but no longer than this;
	searchMaxDelay = 250 * time.Millisecond
	// searchPoll: and it reads the queue this often in any case (a write another
	// server made, a wake-up lost).
	searchPoll = 2 * time.Second
	// searchBatch bounds the records one of its transactions indexes, and so how long
	// it holds the writers up (about a millisecond a 5 kB document on SQLite).
	searchBatch = 32
)

// searchIndexer is the store's indexer of search_queue.
type searchIndexer struct {
	// mu lets one indexing run at a time: the background loop's, a search's catch-up
	// or a rebuild.
	mu sync.Mutex
	// rebuilding is set while a rebuild (Reindex) runs: a search then does not wait
	// for it to catch up, and finds what the index holds so far.
	rebuilding atomic.Bool
	wake       chan struct{}
	stop       context.CancelFunc
	done       chan struct{}
}

// queueForSearch queues a record (kind as search_chunks names it) or, with
// searchWithhold, a person for the indexer.
func (tx *Tx) queueForSearch(caseID, id, kind string) error {
	if !searchIndexing {
		return nil
	}
	if err := tx.exec(`INSERT INTO search_queue (record_id, kind, case_id, gen) VALUES (?, ?, ?, 1)
		ON CONFLICT (record_id, kind) DO UPDATE SET gen = search_queue.gen + 1`, id, kind, caseID); err != nil {
		return fmt.Errorf("queue for search: %w", err)
	}
	tx.group.searchQueued = true
	return nil
}

// startSearchIndexer starts the background indexer; Close stops it.
func (db *DB) startSearchIndexer() {
	ctx, cancel := context.WithCancel(caseroom.NewContextWithUser(context.Background(), caseroom.Console))
	db.indexer.wake, db.indexer.stop, db.indexer.done = make(chan struct{}, 1), cancel, make(chan struct{})
	db.pokeSearchIndexer() // what a crash left queued
	go db.runSearchIndexer(ctx)
}

func (db *DB) stopSearchIndexer() {
	if db.indexer.stop != nil {
		db.indexer.stop()
		<-db.indexer.done
		db.indexer.stop = nil
	}
}

// pokeSearchIndexer tells the indexer that a committed write queued something.
func (db *DB) pokeSearchIndexer() {
	select {
	case db.indexer.wake <- struct{}{}:
	default:
	}
}

func (db *DB) runSearchIndexer(ctx context.Context) {
	defer close(db.indexer.done)
	poll := time.NewTicker(searchPoll)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
		case <-db.indexer.wake:
			if !db.awaitQuietWrites(ctx) {
				return
			}
		}
		// An error (a database gone away) is met again by the next run, and by the
		// next search's catch-up, which reports it.
		_ = db.indexQueued(ctx, "")
	}
}

// awaitQuietWrites waits until searchQuiet passes without a write queuing anything,
// or searchMaxDelay passes; false if the store is closing.
func (db *DB) awaitQuietWrites(ctx context.Context) bool {
	deadline, quiet := time.NewTimer(searchMaxDelay), time.NewTimer(searchQuiet)
	defer deadline.Stop()
	defer quiet.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-deadline.C:
			return true
		case <-quiet.C:
			return true
		case <-db.indexer.wake:
			quiet.Reset(searchQuiet)
		}
	}
}

// catchUpSearch indexes what a case has queued, before a search of it.
func (db *DB) catchUpSearch(ctx context.Context, caseID string) error {
	if db.indexer.rebuilding.Load() {
		return nil
	}
	var n int
	if err := db.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM search_queue WHERE case_id = ? LIMIT 1) q`, caseID).Scan(&n); err != nil {
		return fmt.Errorf("search queue: %w", err)
	}
	if n == 0 {
		return nil
	}
	if err := db.indexQueued(caseroom.NewContextWithUser(ctx, caseroom.Console), caseID); err != nil {
		return fmt.Errorf("index the queued records: %w", err)
	}
	return nil
}

// queuedRecord is a row of search_queue.
type queuedRecord struct {
	id, kind, caseID string
	gen              int64
}

// indexQueued indexes the queue (a case's, or all of it if caseID is ""), a batch at a
// time, until it is empty.
func (db *DB) indexQueued(ctx context.Context, caseID string) error {
	db.indexer.mu.Lock()
	defer db.indexer.mu.Unlock()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		filter, args := ``, []any{}
		if caseID != "" {
			filter, args = `WHERE case_id = ?`, append(args, caseID)
		}
		var batch []queuedRecord
		err := scanEach(ctx, db.reader(), `SELECT record_id, kind, case_id, gen FROM search_queue `+filter+` ORDER BY case_id LIMIT ?`, append(args, searchBatch),
			func(scan func(...any) error) error {
				var q queuedRecord
				err := scan(&q.id, &q.kind, &q.caseID, &q.gen)
				batch = append(batch, q)
				return err
			})
		if err != nil {
			return fmt.Errorf("search queue: %w", err)
		}
		read := len(batch)
		for len(batch) > 0 {
			n := 1
			for n < len(batch) && batch[n].caseID == batch[0].caseID {
				n++
			}
			if err := db.indexBatch(ctx, batch[:n]); err != nil {
				return err
			}
			batch = batch[n:]
		}
		if read < searchBatch {
			// Read again: what was queued while this batch was indexed.
			var more int
			if err := db.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM search_queue `+filter+` LIMIT 1) q`, args...).Scan(&more); err != nil || more == 0 {
				return err
			}
		}
	}
}

// indexBatch indexes queued rows of one case in one transaction. The records and
// their terms are read before it (on SQLite and PostgreSQL alike writes wait for each
// other, and working out terms is most of the work); the transaction removes each row
// at the gen read, so a record queued again meanwhile stays queued and is indexed
// again with what it became.
func (db *DB) indexBatch(ctx context.Context, batch []queuedRecord) error {
	caseID := batch[0].caseID
	rd, v := db.reader(), db.v()
	z, err := db.caseZone(ctx, rd, caseID)
	if err != nil {
		return err
	}
	victims, err := victimTerms(ctx, rd, caseID)
	if err != nil {
		return err
	}
	read := &searchCase{analyzer: fulltext.Analyzer{Region: z.region}, loc: z.loc, victimTokens: victims}
	type item struct {
		q      queuedRecord
		e      searchEntry
		ok     bool
		chunks [][]string
	}
	items := make([]item, 0, len(batch))
	var persons []queuedRecord
	for _, q := range batch {
		if q.kind == searchWithhold {
			persons = append(persons, q)
			continue
		}
		e, ok, err := db.searchEntryByKind(ctx, rd, caseID, q.kind, q.id)
		if err != nil {
			return fmt.Errorf("index %s: %w", q.id, err)
		}
		it := item{q: q, e: e, ok: ok}
		if ok {
			it.chunks = read.entryChunks(v, &it.e)
		}
		items = append(items, it)
	}
	return db.writeAlone(ctx, func(tx *Tx) error {
		now, err := victimTerms(tx.ctx, tx, caseID)
		if err != nil {
			return err
		}
		sc, fresh := read, maps.Equal(now, victims)
		if !fresh {
			sc = &searchCase{analyzer: read.analyzer, loc: read.loc, victimTokens: now}
		}
		tx.searchCases = map[string]*searchCase{caseID: sc}
		ids := make([]any, len(items))
		for i, it := range items {
			ids[i] = it.q.id
		}
		indexed, err := tx.indexedRecords(ids)
		if err != nil {
			return err
		}
		for _, it := range items {
			if indexed[it.q.id] {
				if err := tx.db.dialect.deleteChunks(tx, it.q.id); err != nil {
					return err
				}
			}
			if it.ok {
				chunks := it.chunks
				if !fresh {
					chunks = sc.entryChunks(v, &it.e)
				}
				if err := tx.insertChunks(&it.e, chunks); err != nil {
					return err
				}
			}
			if err := tx.dequeueSearch(it.q); err != nil {
				return err
			}
		}
		for _, q := range persons {
			if err := tx.withholdPerson(caseID, q.id); err != nil {
				return err
			}
			if err := tx.dequeueSearch(q); err != nil {
				return err
			}
		}
		return nil
	})
}

// indexedRecords says which of the records the index holds chunks of: most queued
// records are new, and need nothing taken out.
func (tx *Tx) indexedRecords(ids []any) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	err := scanEach(tx.ctx, tx, `SELECT DISTINCT record_id FROM search_chunks WHERE record_id IN (`+placeholders(len(ids))+`)`, ids,
		func(scan func(...any) error) error {
			var id string
			err := scan(&id)
			out[id] = true
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("indexed records: %w", err)
	}
	return out, nil
}

func (tx *Tx) dequeueSearch(q queuedRecord) error {
	if err := tx.exec(`DELETE FROM search_queue WHERE record_id = ? AND kind = ? AND gen = ?`, q.id, q.kind, q.gen); err != nil {
		return fmt.Errorf("search queue: %w", err)
	}
	return nil
}

// withholdPerson indexes again every record of the case whose terms hold one of the
// person's name keys in clear, so that they hold them as the case's victims' keys are
// now (keyed, for a victim).
func (tx *Tx) withholdPerson(caseID, personID string) error {
	clear, err := personNamesInClear(tx.ctx, tx, tx.db.v(), personID)
	if err != nil {
		return err
	}
	var keys []string
	for _, n := range clear {
		keys = append(keys, searchKeys(n)...)
	}
	ids := map[string]bool{}
	for _, k := range keys {
		q := &fulltext.Query{Terms: []fulltext.QueryTerm{{Text: k, Keys: []string{k}}}}
		source, margs := tx.db.dialect.searchMatch(q, nil, false)
		err := scanEach(tx.ctx, tx, `SELECT DISTINCT m.record_id FROM (`+source+`) m WHERE m.case_id = ?`, append(margs, caseID),
			func(scan func(...any) error) error {
				var id string
				err := scan(&id)
				ids[id] = true
				return err
			})
		if err != nil {
			return fmt.Errorf("texts naming a victim: %w", err)
		}
	}
	for id := range ids {
		e, ok, err := tx.searchEntryOf(caseID, id)
		if err != nil {
			return err
		}
		if ok {
			if err := tx.writeSearchEntry(e); err != nil {
				return err
			}
		}
	}
	return nil
}
