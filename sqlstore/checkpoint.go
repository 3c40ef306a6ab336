package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"caseroom"
	"caseroom/audit"
)

var _ audit.Store = (*DB)(nil)

// snapshot is a read-only transaction that sees one state of the store: SQLite starts a
// deferred transaction (a WAL snapshot, not blocking writers), PostgreSQL a repeatable
// read one.
type snapshot struct {
	tx *sql.Tx
	d  dialect
}

func (db *DB) snapshot(ctx context.Context) (*snapshot, error) {
	tx, err := db.db.BeginTx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	return &snapshot{tx: tx, d: db.dialect}, nil
}

func (s *snapshot) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.tx.QueryContext(ctx, s.d.rebind(query), args...)
}

func (s *snapshot) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return s.tx.QueryRowContext(ctx, s.d.rebind(query), args...)
}

func (s *snapshot) Close() error { return s.tx.Rollback() }

// logSize returns the number of audit entries.
func logSize(ctx context.Context, q querier) (int64, error) {
	var max sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(seq) FROM audit_log`).Scan(&max); err != nil {
		return 0, fmt.Errorf("log size: %w", err)
	}
	if !max.Valid {
		return 0, nil
	}
	return max.Int64 + 1, nil
}

// TreeHead returns the size of the log and its root hash. See audit.Store.
func (db *DB) TreeHead(ctx context.Context) (int64, tlog.Hash, error) {
	s, err := db.snapshot(ctx)
	if err != nil {
		return 0, tlog.Hash{}, err
	}
	defer s.Close()
	n, err := logSize(ctx, s)
	if err != nil || n == 0 {
		return 0, tlog.Hash{}, err
	}
	root, err := tlog.TreeHash(n, hashReader{ctx, s})
	if err != nil {
		return 0, tlog.Hash{}, fmt.Errorf("tree hash of %d entries: %w", n, err)
	}
	return n, root, nil
}

// ProveTree returns a consistency proof. See audit.Store.
func (db *DB) ProveTree(ctx context.Context, oldSize, newSize int64) (tlog.TreeProof, error) {
	s, err := db.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	n, err := logSize(ctx, s)
	if err != nil {
		return nil, err
	}
	if oldSize <= 0 || oldSize > newSize || newSize > n {
		return nil, caseroom.Errorf(caseroom.EINVALID, "A consistency proof needs 0 < old <= new <= %d (the log's size); got old=%d new=%d.", n, oldSize, newSize)
	}
	p, err := tlog.ProveTree(newSize, oldSize, hashReader{ctx, s})
	if err != nil {
		return nil, fmt.Errorf("prove tree %d to %d: %w", oldSize, newSize, err)
	}
	return p, nil
}

// ProveRecord returns an inclusion proof. See audit.Store.
func (db *DB) ProveRecord(ctx context.Context, index, size int64) (tlog.RecordProof, tlog.Hash, error) {
	s, err := db.snapshot(ctx)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	defer s.Close()
	n, err := logSize(ctx, s)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	if index < 0 || index >= size || size > n {
		return nil, tlog.Hash{}, caseroom.Errorf(caseroom.EINVALID, "An inclusion proof needs 0 <= index < size <= %d (the log's size); got index=%d size=%d.", n, index, size)
	}
	r := hashReader{ctx, s}
	p, err := tlog.ProveRecord(size, index, r)
	if err != nil {
		return nil, tlog.Hash{}, fmt.Errorf("prove entry %d in %d: %w", index, size, err)
	}
	leaf, err := r.ReadHashes([]int64{tlog.StoredHashIndex(0, index)})
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	return p, leaf[0], nil
}

// SaveCheckpoint keeps a signed checkpoint. See audit.Store.
func (db *DB) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	_, err := db.execState(ctx, `INSERT INTO audit_checkpoints (size, note, created_at) VALUES (?, ?, ?)`, size, string(signed), formatTime(db.Now()))
	if err != nil && !db.dialect.isUniqueViolation(err) {
		return fmt.Errorf("save checkpoint %d: %w", size, err)
	}
	return nil
}

// LatestCheckpoint returns the checkpoint of the largest size. See audit.Store.
func (db *DB) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	return checkpointWhere(ctx, db.reader(), `ORDER BY size DESC LIMIT 1`)
}

// CheckpointAt returns the checkpoint of size entries. See audit.Store.
func (db *DB) CheckpointAt(ctx context.Context, size int64) ([]byte, error) {
	return checkpointWhere(ctx, db.reader(), `WHERE size = ?`, size)
}

// checkpointWhere reads the signed checkpoint that where selects, or nil if none.
func checkpointWhere(ctx context.Context, q querier, where string, args ...any) ([]byte, error) {
	var note string
	err := q.QueryRowContext(ctx, `SELECT note FROM audit_checkpoints `+where, args...).Scan(&note)
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read checkpoint: %w", err)
	}
	return []byte(note), nil
}

// SaveCosignature keeps a cosignature line. See audit.Store.
func (db *DB) SaveCosignature(ctx context.Context, size int64, witness, line string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, db.dialect.rebind(`DELETE FROM audit_cosignatures WHERE size = ? AND witness = ?`), size, witness); err != nil {
		return fmt.Errorf("save cosignature: %w", err)
	}
	if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO audit_cosignatures (size, witness, line, received_at) VALUES (?, ?, ?, ?)`), size, witness, line, formatTime(db.Now())); err != nil {
		return fmt.Errorf("save cosignature: %w", err)
	}
	return tx.Commit()
}

// Cosignatures returns the lines kept for a checkpoint. See audit.Store.
func (db *DB) Cosignatures(ctx context.Context, size int64) ([]string, error) {
	var out []string
	err := scanEach(ctx, db.reader(), `SELECT line FROM audit_cosignatures WHERE size = ? ORDER BY witness`, []any{size},
		func(scan func(...any) error) error {
			var line string
			if err := scan(&line); err != nil {
				return err
			}
			out = append(out, line)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read cosignatures: %w", err)
	}
	return out, nil
}

// AddWitness registers a witness whose cosignatures the log accepts. Only an
// administrator may: returns EFORBIDDEN for anyone else, before the key is read;
// EINVALID for a key that is not an Ed25519 cosignature vkey,
// ECONFLICT if a witness of that name is registered.
func (db *DB) AddWitness(ctx context.Context, vkey string) (*caseroom.Witness, error) {
	// Who may register comes first: a key is not read for someone who may not.
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !actor.Admin {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can register a witness.")
	}
	v, err := audit.ParseCosignVerifier(vkey)
	if err != nil {
		return nil, caseroom.Errorf(caseroom.EINVALID, "%v.", err)
	}
	w := &caseroom.Witness{ID: newID("wit"), Name: v.Name, Key: strings.TrimSpace(vkey)}
	err = db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_witnesses WHERE name = ?`, w.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return caseroom.Errorf(caseroom.ECONFLICT, "A witness named %s is already registered.", w.Name)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		w.AddedBy, w.AddedAt = tx.actor.Name, tx.now
		if err := tx.exec(`INSERT INTO audit_witnesses (id, name, vkey, added_by, added_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			w.ID, w.Name, w.Key, w.AddedBy, formatTime(w.AddedAt), seq); err != nil {
			return err
		}
		return tx.appendAudit(seq, "witness.add", "witness", w.ID, "")
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// Witnesses lists the registered witnesses. See audit.Store.
func (db *DB) Witnesses(ctx context.Context) ([]*caseroom.Witness, error) {
	var out []*caseroom.Witness
	err := scanEach(ctx, db.reader(), `SELECT id, name, vkey, added_by, added_at FROM audit_witnesses ORDER BY name`, nil,
		func(scan func(...any) error) error {
			w := &caseroom.Witness{}
			var at string
			if err := scan(&w.ID, &w.Name, &w.Key, &w.AddedBy, &at); err != nil {
				return err
			}
			var err error
			w.AddedAt, err = parseTime(at)
			out = append(out, w)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read witnesses: %w", err)
	}
	return out, nil
}
