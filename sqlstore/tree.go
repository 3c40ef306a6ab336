package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// The audit log is an RFC 6962 Merkle tree (issue 4), kept with golang.org/x/mod/sumdb/tlog:
//
//   - Leaf N is audit entry N (seq N). Its leaf data is the canonical JSON of the audit_log
//     row, encoded as record rows are (see canonical.go): an object of every column to its
//     value, keys sorted. The leaf hash is tlog.RecordHash(data) = SHA-256(0x00 || data).
//   - The entry's state_hash, inside the leaf, is the SHA-256 of the canonical state of the
//     rows the entry created (canonical.go), so the tree commits to every record as well.
//     Events create no rows (eventActions below); their state hash is of what was shown or
//     decided, which is not stored, and the leaf commits to the entry alone.
//   - The stored hashes of the tree (tlog.StoredHashes: every complete subtree's hash, at
//     tlog.StoredHashIndex numbering) are in audit_tree as lower-case hex, written in the
//     same transaction as the entry, so a committed entry always has its hashes.
//   - The size of the log is the number of entries, MAX(seq)+1; entries are dense from 0.
//
// Never ALTER audit_log: a new column would change every leaf.

// eventActions are the audit actions recorded with appendEvent: they create no record
// rows. Every other action must create at least one; verify relies on the difference.
var eventActions = map[string]bool{
	"signin":             true,
	"signin.fail":        true,
	"signin.refuse":      true,
	"signout":            true,
	"session.forged":     true,
	"user.lock":          true,
	"user.unlock":        true,
	"person.search.name": true,
	"media.view.refused": true,
	"vault.init":         true,
	"vault.rotate":       true,
}

// leafData returns the canonical JSON of the audit row as scanned into cols and vals.
func leafData(cols []string, vals []any) ([]byte, error) {
	return appendCanonical(nil, canonicalRow(cols, vals))
}

// hashReader reads stored tree hashes through q: a write transaction sees the hashes it
// has written itself.
type hashReader struct {
	ctx context.Context
	q   querier
}

// ReadHashes implements tlog.HashReader.
func (r hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	args := make([]any, len(indexes))
	for i, x := range indexes {
		args[i] = x
	}
	found := make(map[int64]tlog.Hash, len(indexes))
	err := scanEach(r.ctx, r.q, `SELECT idx, hash FROM audit_tree WHERE idx IN (`+placeholders(len(indexes))+`)`, args,
		func(scan func(...any) error) error {
			var idx int64
			var s string
			if err := scan(&idx, &s); err != nil {
				return err
			}
			h, err := parseHash(s)
			if err != nil {
				return fmt.Errorf("stored tree hash %d: %w", idx, err)
			}
			found[idx] = h
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read tree hashes: %w", err)
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := found[x]
		if !ok {
			return nil, fmt.Errorf("read tree hashes: hash %d is missing from audit_tree", x)
		}
		out[i] = h
	}
	return out, nil
}

// placeholders returns "?, ?, ..." with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func parseHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("%q is not a hex SHA-256", s)
	}
	copy(h[:], b)
	return h, nil
}

// groupState is what the writes of one transaction share: the next audit seq, and the
// tree hashes written so far, so that a group of writes reads neither back. A write
// rolled back to its savepoint resets it (see runGroup).
type groupState struct {
	nextSeq int64 // -1 until read from the database
	hashes  map[int64]tlog.Hash
	// stmts are the prepared statements bound to the transaction (see Tx.prepared).
	stmts map[string]*sql.Stmt
	// searchQueued says that a write queued records for the search index (see
	// queueForSearch), so that the indexer is woken once the group commits.
	searchQueued bool
}

func newGroupState() *groupState {
	return &groupState{nextSeq: -1, hashes: map[int64]tlog.Hash{}, stmts: map[string]*sql.Stmt{}}
}

// treeReader reads stored hashes for a write: those written in this transaction from
// memory, the rest from the database.
type treeReader struct{ tx *Tx }

// ReadHashes implements tlog.HashReader.
func (r treeReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	for i, x := range indexes {
		h, ok := r.tx.group.hashes[x]
		if !ok {
			missing = append(missing, x)
			continue
		}
		out[i] = h
	}
	if len(missing) == 0 {
		return out, nil
	}
	read, err := hashReader{r.tx.ctx, r.tx}.ReadHashes(missing)
	if err != nil {
		return nil, err
	}
	found := make(map[int64]tlog.Hash, len(missing))
	for i, x := range missing {
		found[x] = read[i]
	}
	for i, x := range indexes {
		if h, ok := found[x]; ok {
			out[i] = h
		}
	}
	return out, nil
}

// appendLeaf adds audit entry seq, whose row's canonical JSON is data, to the tree: it
// writes the entry's new stored hashes.
func (tx *Tx) appendLeaf(seq int64, data []byte) error {
	hashes, err := tlog.StoredHashes(seq, data, treeReader{tx})
	if err != nil {
		return fmt.Errorf("tree hashes of entry %d: %w", seq, err)
	}
	first := tlog.StoredHashIndex(0, seq)
	args := make([]any, 0, 2*len(hashes))
	for i, h := range hashes {
		args = append(args, first+int64(i), hex.EncodeToString(h[:]))
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?), ", len(hashes)), ", ")
	if err := tx.exec(`INSERT INTO audit_tree (idx, hash) VALUES `+values, args...); err != nil {
		if tx.db.dialect.isUniqueViolation(err) {
			return fmt.Errorf("the audit tree already holds hashes for entry %d although the log ends before it: the log was truncated behind the server's back; run caseroom audit verify", seq)
		}
		return fmt.Errorf("store tree hashes of entry %d: %w", seq, err)
	}
	for i, h := range hashes {
		tx.group.hashes[first+int64(i)] = h
	}
	return nil
}

// backfillTree adds the entries written before the tree existed (migration 0005).
func backfillTree(tx *Tx) error {
	rows, err := tx.QueryContext(tx.ctx, `SELECT * FROM audit_log ORDER BY seq`)
	if err != nil {
		return err
	}
	var leaves [][]byte
	var seqs []int64
	err = scanRows(rows, func(cols []string, vals []any) error {
		data, err := leafData(cols, vals)
		for i, c := range cols {
			if c == "seq" {
				seqs = append(seqs, canonicalValue(vals[i]).(int64))
			}
		}
		leaves = append(leaves, data)
		return err
	})
	if err != nil {
		return err
	}
	for i, data := range leaves {
		if seqs[i] != int64(i) {
			return fmt.Errorf("audit entry %d is missing; the log cannot be made a tree", i)
		}
		if err := tx.appendLeaf(int64(i), data); err != nil {
			return err
		}
	}
	return nil
}

// scanRows calls fn with the column names and the values of each row, then closes rows.
func scanRows(rows *sql.Rows, fn func(cols []string, vals []any) error) error {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(cols, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}
