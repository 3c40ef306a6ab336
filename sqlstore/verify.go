package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"caseroom/audit"
)

// LogSnapshot reads the whole log and its records in one snapshot, for audit.Verify.
// It holds two read transactions on the same state, so that the stored tree (tree) can
// be read while the entries and records are (s).
type LogSnapshot struct {
	db   *DB
	s    *snapshot
	tree *snapshot
}

var _ audit.Snapshot = (*LogSnapshot)(nil)

// AuditSnapshot opens a snapshot of the store for verification; close it when done.
func (db *DB) AuditSnapshot(ctx context.Context) (*LogSnapshot, error) {
	for attempt := 0; ; attempt++ {
		s, err := db.snapshot(ctx)
		if err != nil {
			return nil, err
		}
		tree, err := db.snapshot(ctx)
		if err != nil {
			s.Close()
			return nil, err
		}
		err = db.dialect.shareSnapshot(ctx, s.tx, tree.tx)
		if err == nil {
			return &LogSnapshot{db: db, s: s, tree: tree}, nil
		}
		s.Close()
		tree.Close()
		if !errors.Is(err, errSnapshotMoved) || attempt == 5 {
			return nil, fmt.Errorf("open a snapshot of the store: %w", err)
		}
	}
}

// VerifyAudit recomputes the audit log from the records in one snapshot of the store
// and checks it against its stored tree, its latest stored checkpoint (signed with
// logKey; nil if the key is not at hand) and the checkpoint files given: audit.Verify
// on an AuditSnapshot. It is what caseroom audit verify and the web audit page's
// "Verify now" run. It returns the report of a log that holds, a *audit.Finding for
// the first thing that does not match, or another error if the store could not be
// read.
func (db *DB) VerifyAudit(ctx context.Context, logKey note.Verifier, files []audit.CheckpointFile) (*audit.Report, error) {
	snap, err := db.AuditSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	return audit.Verify(ctx, snap, logKey, files)
}

// Size returns the number of entries in the snapshot.
func (ls *LogSnapshot) Size(ctx context.Context) (int64, error) { return logSize(ctx, ls.s) }

// Close ends the snapshot.
func (ls *LogSnapshot) Close() error {
	err := ls.tree.Close()
	if err2 := ls.s.Close(); err == nil {
		err = err2
	}
	return err
}

// verifyWindow is how many entries Leaves reads at a time: one query per table per
// window, with the window's rows held in memory.
const verifyWindow = 4096

// logEntry is an audit row read for verification.
type logEntry struct {
	seq                            int64
	action, kind, object, stateHex string
	row                            rawRow // the audit row, whose canonical JSON is the leaf's data
	// records are the entry's rows in the order of the canonical state: tables by
	// name, rows by key.
	records []rawRow
}

// rawRow is a row as read, with the encoder of its query; the reader collects rows
// and the hashing side encodes them, so the two overlap.
type rawRow struct {
	table string
	enc   *rowEncoder
	vals  []any
}

func (e *logEntry) describe() string {
	return fmt.Sprintf("%s of %s %s", e.action, e.kind, e.object)
}

// tablesByName are the record tables in the order of the keys of a canonical state.
var tablesByName = func() []struct{ table, key string } {
	t := append([]struct{ table, key string }(nil), recordTables...)
	sort.Slice(t, func(i, j int) bool { return t[i].table < t[j].table })
	return t
}()

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
				w.err = ls.readRecords(readCtx, lo, w.entries)
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
	var buf []byte
	for w := range windows {
		if w.err != nil {
			return w.err
		}
		for _, e := range w.entries {
			if buf, err = ls.checkEntry(e, buf[:0], fn); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Records that claim no entry of the log: past its end (they outlived their
	// entries), or no entry at all (added behind the server's back).
	for _, t := range recordTables {
		var key string
		err := ls.s.QueryRowContext(ctx, `SELECT `+t.key+` FROM `+t.table+` WHERE NOT (entry >= 0 AND entry < ?) ORDER BY entry DESC LIMIT 1`, n).Scan(&key)
		if isNoRows(err) {
			continue
		} else if err != nil {
			return fmt.Errorf("read %s: %w", t.table, err)
		}
		var max sql.NullInt64
		if err := ls.s.QueryRowContext(ctx, `SELECT MAX(entry) FROM `+t.table+` WHERE entry >= ?`, n).Scan(&max); err == nil && max.Valid {
			return &audit.Finding{Entry: max.Int64, What: fmt.Sprintf("%s rows claim entry %d but the log ends at entry %d: entries were deleted from the end of the log", t.table, max.Int64, n-1)}
		}
		return &audit.Finding{Entry: -1, What: fmt.Sprintf("%s row %s claims no entry of the log: it was added or changed behind the server's back", t.table, key)}
	}
	return nil
}

// checkEntry checks entry e's records against its state hash, hashes its leaf and
// passes it to fn. buf is scratch space, returned for reuse.
func (ls *LogSnapshot) checkEntry(e *logEntry, buf []byte, fn func(seq int64, leaf tlog.Hash, records int) error) ([]byte, error) {
	if eventActions[e.action] {
		if len(e.records) > 0 {
			return buf, &audit.Finding{Entry: e.seq, What: fmt.Sprintf("%s is an event, which creates no records, but %s claim it: records were added behind the server's back", e.describe(), rowNames(e.records))}
		}
	} else {
		if len(e.records) == 0 {
			return buf, &audit.Finding{Entry: e.seq, What: fmt.Sprintf("the records of %s are missing: they were deleted", e.describe())}
		}
		// {"table":[row,...],...}: what appendCanonical writes for the state's map.
		buf = append(buf, '{')
		for i, r := range e.records {
			switch {
			case i == 0:
				buf = appendJSONString(buf, r.table)
				buf = append(buf, ':', '[')
			case r.table != e.records[i-1].table:
				buf = append(buf, ']', ',')
				buf = appendJSONString(buf, r.table)
				buf = append(buf, ':', '[')
			default:
				buf = append(buf, ',')
			}
			var err error
			if buf, err = r.enc.encode(buf, r.vals); err != nil {
				return buf, err
			}
		}
		buf = append(buf, ']', '}')
		sum := sha256.Sum256(buf)
		if got := hex.EncodeToString(sum[:]); got != e.stateHex {
			return buf, &audit.Finding{Entry: e.seq, What: fmt.Sprintf("the records of %s (%s) no longer match the state hash the entry committed to (%s, now %s): a record was edited", e.describe(), rowNames(e.records), e.stateHex, got)}
		}
	}
	leaf, err := e.row.enc.encode(buf[:0], e.row.vals)
	if err != nil {
		return leaf, err
	}
	return leaf, fn(e.seq, tlog.RecordHash(leaf), len(e.records))
}

// rowEncoder writes rows of one query in canonical JSON: columns sorted by name.
type rowEncoder struct {
	order []int    // column indexes sorted by name
	keys  [][]byte // `"name":` for each column, in that order
}

func newRowEncoder(cols []string) *rowEncoder {
	enc := &rowEncoder{order: make([]int, len(cols))}
	for i := range cols {
		enc.order[i] = i
	}
	sort.Slice(enc.order, func(i, j int) bool { return cols[enc.order[i]] < cols[enc.order[j]] })
	for _, i := range enc.order {
		enc.keys = append(enc.keys, append(appendJSONString(nil, cols[i]), ':'))
	}
	return enc
}

// encode appends the canonical JSON of a row, as appendCanonical(canonicalRow(...)).
func (enc *rowEncoder) encode(out []byte, vals []any) ([]byte, error) {
	out = append(out, '{')
	for k, i := range enc.order {
		if k > 0 {
			out = append(out, ',')
		}
		out = append(out, enc.keys[k]...)
		var err error
		if out, err = appendCanonical(out, canonicalValue(vals[i])); err != nil {
			return nil, err
		}
	}
	return append(out, '}'), nil
}

// scanRaw runs query and calls fn with each row's values and the query's encoder.
func scanRaw(ctx context.Context, q querier, query string, args []any, fn func(cols []string, vals []any, enc *rowEncoder) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	var enc *rowEncoder
	return scanRows(rows, func(cols []string, vals []any) error {
		if enc == nil {
			enc = newRowEncoder(cols)
		}
		return fn(cols, vals, enc)
	})
}

// readEntries reads entries lo <= seq < hi and checks that none is missing.
func (ls *LogSnapshot) readEntries(ctx context.Context, lo, hi int64) ([]*logEntry, error) {
	entries := make([]*logEntry, 0, hi-lo)
	err := scanRaw(ctx, ls.s, `SELECT * FROM audit_log WHERE seq >= ? AND seq < ? ORDER BY seq`, []any{lo, hi},
		func(cols []string, vals []any, enc *rowEncoder) error {
			e := &logEntry{row: rawRow{table: "audit_log", enc: enc, vals: vals}}
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

// readRecords reads the records of the entries from lo, table by table in name order,
// and gives each entry its rows.
func (ls *LogSnapshot) readRecords(ctx context.Context, lo int64, entries []*logEntry) error {
	hi := lo + int64(len(entries))
	for _, t := range tablesByName {
		entryCol := -1
		err := scanRaw(ctx, ls.s, `SELECT * FROM `+t.table+` WHERE entry >= ? AND entry < ? ORDER BY entry, `+t.key, []any{lo, hi},
			func(cols []string, vals []any, enc *rowEncoder) error {
				if entryCol < 0 {
					for i, c := range cols {
						if c == "entry" {
							entryCol = i
						}
					}
				}
				entry, ok := canonicalValue(vals[entryCol]).(int64)
				if !ok || entry < lo || entry >= hi {
					return &audit.Finding{Entry: -1, What: fmt.Sprintf("a %s row has entry %v, which is not an entry number: it was edited behind the server's back", t.table, canonicalValue(vals[entryCol]))}
				}
				e := entries[entry-lo]
				e.records = append(e.records, rawRow{table: t.table, enc: enc, vals: vals})
				return nil
			})
		if err != nil {
			return fmt.Errorf("read %s: %w", t.table, err)
		}
	}
	return nil
}

// rowNames says which tables hold the rows of an entry, and how many, for a finding:
// "persons 1 row, pseudonyms 1 row". (One hash covers them all, so which row changed
// cannot be told; the entry's object and these tables are where to look.)
func rowNames(records []rawRow) string {
	var names []string
	for i := 0; i < len(records); {
		j := i
		for j < len(records) && records[j].table == records[i].table {
			j++
		}
		if j-i == 1 {
			names = append(names, records[i].table+" 1 row")
		} else {
			names = append(names, fmt.Sprintf("%s %d rows", records[i].table, j-i))
		}
		i = j
	}
	return strings.Join(names, ", ")
}

// StoredHashes reads audit_tree in index order. See audit.Snapshot.
func (ls *LogSnapshot) StoredHashes(ctx context.Context, fn func(index int64, h tlog.Hash) error) error {
	const batch = 65536
	lo := int64(0)
	for {
		got := 0
		err := scanEach(ctx, ls.tree, `SELECT idx, hash FROM audit_tree WHERE idx >= ? AND idx < ? ORDER BY idx`, []any{lo, lo + batch},
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
		if err := ls.tree.QueryRowContext(ctx, `SELECT MIN(idx) FROM audit_tree WHERE idx >= ?`, lo).Scan(&next); err != nil {
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
	return checkpointWhere(ctx, ls.s, `ORDER BY size DESC LIMIT 1`)
}
