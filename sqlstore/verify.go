package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"caseroom/audit"
)

// LogSnapshot reads the whole log and its records in one snapshot, for audit.Verify.
type LogSnapshot struct {
	db *DB
	s  *snapshot
}

var _ audit.Snapshot = (*LogSnapshot)(nil)

// AuditSnapshot opens a snapshot of the store for verification; close it when done.
func (db *DB) AuditSnapshot(ctx context.Context) (*LogSnapshot, error) {
	s, err := db.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return &LogSnapshot{db: db, s: s}, nil
}

// Close ends the snapshot.
func (ls *LogSnapshot) Close() error { return ls.s.Close() }

// verifyWindow is how many entries Leaves reads at a time: one query per table per
// window, with the window's rows held in memory.
const verifyWindow = 4096

// logEntry is an audit row read for verification.
type logEntry struct {
	seq                            int64
	action, kind, object, stateHex string
	row                            map[string]any // the canonical row, the leaf's data
}

func (e *logEntry) describe() string {
	return fmt.Sprintf("%s of %s %s", e.action, e.kind, e.object)
}

// Leaves recomputes each entry's leaf and checks its records. See audit.Snapshot.
func (ls *LogSnapshot) Leaves(ctx context.Context, fn func(seq int64, leaf tlog.Hash, records int) error) error {
	n, err := logSize(ctx, ls.s)
	if err != nil {
		return err
	}
	var minSeq sql.NullInt64
	if err := ls.s.QueryRowContext(ctx, `SELECT MIN(seq) FROM audit_log`).Scan(&minSeq); err != nil {
		return err
	}
	if minSeq.Valid && minSeq.Int64 < 0 {
		return &audit.Finding{Entry: minSeq.Int64, What: "a negative sequence number: the entry was edited"}
	}
	// Reading (one goroutine, on the snapshot) and hashing (this one) overlap: the
	// reader works a window ahead.
	type window struct {
		entries []*logEntry
		states  map[int64]map[string][]map[string]any
		err     error
	}
	windows := make(chan window, 2)
	readCtx, stopReading := context.WithCancel(ctx)
	readDone := make(chan struct{})
	defer func() { stopReading(); <-readDone }()
	go func() {
		defer close(readDone)
		defer close(windows)
		for lo := int64(0); lo < n; lo += verifyWindow {
			hi := min(lo+verifyWindow, n)
			var w window
			if w.entries, w.err = ls.readEntries(readCtx, lo, hi); w.err == nil {
				w.states, w.err = ls.readStates(readCtx, lo, hi, w.entries)
			}
			select {
			case windows <- w:
			case <-readCtx.Done():
				return
			}
			if w.err != nil {
				return
			}
		}
	}()
	for w := range windows {
		if w.err != nil {
			return w.err
		}
		for _, e := range w.entries {
			if err := ls.checkEntry(e, w.states[e.seq], fn); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Records that claim an entry past the end of the log outlived their entries.
	for _, t := range recordTables {
		var max sql.NullInt64
		if err := ls.s.QueryRowContext(ctx, `SELECT MAX(entry) FROM `+t.table).Scan(&max); err != nil {
			return fmt.Errorf("read %s: %w", t.table, err)
		}
		if max.Valid && max.Int64 >= n {
			return &audit.Finding{Entry: max.Int64, What: fmt.Sprintf("%s rows claim entry %d but the log ends at entry %d: entries were deleted from the end of the log", t.table, max.Int64, n-1)}
		}
	}
	return nil
}

// checkEntry checks entry e's records st against its state hash, hashes its leaf and
// passes it to fn.
func (ls *LogSnapshot) checkEntry(e *logEntry, st map[string][]map[string]any, fn func(seq int64, leaf tlog.Hash, records int) error) error {
	records := 0
	for _, rows := range st {
		records += len(rows)
	}
	if IsEvent(e.action) {
		if records > 0 {
			return &audit.Finding{Entry: e.seq, What: fmt.Sprintf("%s is an event, which creates no records, but %s claim it: records were added behind the server's back", e.describe(), rowNames(st))}
		}
	} else {
		if records == 0 {
			return &audit.Finding{Entry: e.seq, What: fmt.Sprintf("the records of %s are missing: they were deleted", e.describe())}
		}
		got, err := canonicalHash(st)
		if err != nil {
			return err
		}
		if got != e.stateHex {
			return &audit.Finding{Entry: e.seq, What: fmt.Sprintf("the records of %s (%s) no longer match the state hash the entry committed to (%s, now %s): a record was edited", e.describe(), rowNames(st), e.stateHex, got)}
		}
	}
	data, err := appendCanonical(nil, e.row)
	if err != nil {
		return err
	}
	return fn(e.seq, tlog.RecordHash(data), records)
}

// readEntries reads entries lo <= seq < hi and checks that none is missing.
func (ls *LogSnapshot) readEntries(ctx context.Context, lo, hi int64) ([]*logEntry, error) {
	rows, err := ls.s.QueryContext(ctx, `SELECT * FROM audit_log WHERE seq >= ? AND seq < ? ORDER BY seq`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	entries := make([]*logEntry, 0, hi-lo)
	err = scanRows(rows, func(cols []string, vals []any) error {
		e := &logEntry{}
		for i, c := range cols {
			v := canonicalValue(vals[i])
			switch c {
			case "seq":
				e.seq, _ = v.(int64)
			case "action":
				e.action, _ = v.(string)
			case "object_kind":
				e.kind, _ = v.(string)
			case "object_id":
				e.object, _ = v.(string)
			case "state_hash":
				e.stateHex, _ = v.(string)
			}
		}
		e.row = canonicalRow(cols, vals)
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	for i, e := range entries {
		if want := lo + int64(i); e.seq != want {
			return nil, &audit.Finding{Entry: want, What: fmt.Sprintf("missing: entry %d comes where entry %d should; entries were deleted", e.seq, want)}
		}
	}
	if int64(len(entries)) != hi-lo {
		return nil, &audit.Finding{Entry: lo + int64(len(entries)), What: "missing: entries were deleted"}
	}
	return entries, nil
}

// readStates reads the records of entries lo <= entry < hi, by entry and table.
func (ls *LogSnapshot) readStates(ctx context.Context, lo, hi int64, entries []*logEntry) (map[int64]map[string][]map[string]any, error) {
	states := make(map[int64]map[string][]map[string]any, len(entries))
	for _, t := range recordTables {
		rows, err := ls.s.QueryContext(ctx, `SELECT * FROM `+t.table+` WHERE entry >= ? AND entry < ? ORDER BY entry, `+t.key, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.table, err)
		}
		err = scanRows(rows, func(cols []string, vals []any) error {
			row := canonicalRow(cols, vals)
			entry, _ := row["entry"].(int64)
			st := states[entry]
			if st == nil {
				st = map[string][]map[string]any{}
				states[entry] = st
			}
			st[t.table] = append(st[t.table], row)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.table, err)
		}
	}
	return states, nil
}

// rowNames says which tables hold the rows of a state, and how many, for a finding:
// "persons 1 row, pseudonyms 1 row". (One hash covers them all, so which row changed
// cannot be told; the entry's object and these tables are where to look.)
func rowNames(st map[string][]map[string]any) string {
	var names []string
	for _, t := range recordTables {
		switch n := len(st[t.table]); n {
		case 0:
		case 1:
			names = append(names, t.table+" 1 row")
		default:
			names = append(names, fmt.Sprintf("%s %d rows", t.table, n))
		}
	}
	return strings.Join(names, ", ")
}

// StoredHashes reads audit_tree in index order. See audit.Snapshot.
func (ls *LogSnapshot) StoredHashes(ctx context.Context, fn func(index int64, h tlog.Hash) error) error {
	const batch = 65536
	lo := int64(0)
	for {
		got := 0
		err := scanEach(ctx, ls.s, `SELECT idx, hash FROM audit_tree WHERE idx >= ? AND idx < ? ORDER BY idx`, []any{lo, lo + batch},
			func(scan func(...any) error) error {
				var idx int64
				var s string
				if err := scan(&idx, &s); err != nil {
					return err
				}
				got++
				h, err := parseHash(s)
				if err != nil {
					return storedHashError(idx)
				}
				return fn(idx, h)
			})
		if err != nil {
			return err
		}
		if got > 0 {
			lo += batch
			continue
		}
		// An empty batch: the end, or a gap that the caller reports at the next hash.
		var next sql.NullInt64
		if err := ls.s.QueryRowContext(ctx, `SELECT MIN(idx) FROM audit_tree WHERE idx >= ?`, lo).Scan(&next); err != nil {
			return err
		}
		if !next.Valid {
			return nil
		}
		lo = next.Int64
	}
}

func storedHashError(idx int64) error {
	return &audit.Finding{Entry: -1, What: fmt.Sprintf("stored tree hash %d is not a hex SHA-256: the stored tree was edited", idx)}
}

// LatestCheckpoint returns the latest stored checkpoint as of the snapshot.
func (ls *LogSnapshot) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var note string
	err := ls.s.QueryRowContext(ctx, `SELECT note FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&note)
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read checkpoint: %w", err)
	}
	return []byte(note), nil
}
