package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"caseroom/fulltext"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// dialect is everything that differs between SQLite and PostgreSQL. Queries are written
// once with ? placeholders; the dialect rebinds them.
type dialect interface {
	name() string
	open(dsn string) (*sql.DB, error)
	// rebind rewrites ? placeholders into the dialect's form.
	rebind(query string) string
	// lockWrites serialises writers for the rest of the transaction, so that audit
	// sequence numbers and per-case numbers (S-12, V-0007) are dense and unique.
	lockWrites(ctx context.Context, tx *sql.Tx) error
	// lockMigrations keeps two servers starting at once from migrating twice.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
	// isUniqueViolation reports whether err is a unique-constraint failure.
	isUniqueViolation(err error) bool
	// snapshotOptions start a read-only transaction that sees one state of the store
	// without blocking writers.
	snapshotOptions() *sql.TxOptions
	// shareSnapshot makes second, a fresh snapshot transaction, see what first sees,
	// or returns errSnapshotMoved if it cannot and a retry may.
	shareSnapshot(ctx context.Context, first, second *sql.Tx) error

	// Full-text search: the chunks that hold a record's terms (see 0020_search.sql).
	// searchSchema creates them; insertChunk stores one chunk of a record's stored
	// terms; deleteChunks removes a record's chunks; clearSearch removes every chunk;
	// searchMatch returns a query of the chunks matching q (made by fulltext in the
	// dialect's own form, keys given their stored form by rw), with every column of
	// searchChunkColumns and, if scored, score (higher is better), and its arguments.
	searchSchema(ctx context.Context, tx *sql.Tx) error
	insertChunk(tx *Tx, e *searchEntry, chunk int, stored []string) error
	deleteChunks(tx *Tx, recordID string) error
	clearSearch(tx *Tx) error
	searchMatch(q *fulltext.Query, rw fulltext.Rewrite, scored bool) (source string, args []any)
}

// errSnapshotMoved says the store changed between two snapshots meant to be one.
var errSnapshotMoved = errors.New("the store changed while the snapshot was taken")

// sqliteDialect: WAL for concurrent readers, foreign keys on, synchronous FULL so a
// committed transaction survives a power cut, a busy timeout instead of SQLITE_BUSY,
// and BEGIN IMMEDIATE so that a write transaction holds the write lock from its start.
type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }

func (sqliteDialect) open(dsn string) (*sql.DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(20000)")
	q.Add("_pragma", "cache_size(-16384)")
	q.Add("_pragma", "mmap_size(2147418112)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	return db, nil
}

func (sqliteDialect) rebind(query string) string { return query }

func (sqliteDialect) lockWrites(context.Context, *sql.Tx) error     { return nil }
func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error { return nil }

// snapshotOptions: a read-only transaction begins DEFERRED (not IMMEDIATE), so it takes
// no write lock; in WAL mode its first read fixes its snapshot.
func (sqliteDialect) snapshotOptions() *sql.TxOptions { return &sql.TxOptions{ReadOnly: true} }

// shareSnapshot: SQLite cannot hand a snapshot to another connection through
// database/sql, so both read the log's size and the stored tree's; every committed
// write appends to both in its own transaction, so equal sizes mean the same state.
func (sqliteDialect) shareSnapshot(ctx context.Context, first, second *sql.Tx) error {
	const q = `SELECT COALESCE(MAX(seq), -1), (SELECT COALESCE(MAX(idx), -1) FROM audit_tree), (SELECT COUNT(*) FROM audit_checkpoints) FROM audit_log`
	var a, b [3]int64
	if err := first.QueryRowContext(ctx, q).Scan(&a[0], &a[1], &a[2]); err != nil {
		return err
	}
	if err := second.QueryRowContext(ctx, q).Scan(&b[0], &b[1], &b[2]); err != nil {
		return err
	}
	if a != b {
		return errSnapshotMoved
	}
	return nil
}

func (sqliteDialect) isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// postgresDialect: $n placeholders and a transaction-scoped advisory lock for writers.
type postgresDialect struct{}

// writeLockKey is the advisory lock key that Caseroom writers hold ("CASE" in ASCII).
const writeLockKey = 0x43415345

func (postgresDialect) name() string { return "postgres" }

func (postgresDialect) open(dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(16)
	return db, nil
}

func (postgresDialect) rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (postgresDialect) lockWrites(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLockKey)
	return err
}

func (d postgresDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	return d.lockWrites(ctx, tx)
}

func (postgresDialect) snapshotOptions() *sql.TxOptions {
	return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
}

// shareSnapshot: PostgreSQL exports the first transaction's snapshot and the second
// adopts it.
func (postgresDialect) shareSnapshot(ctx context.Context, first, second *sql.Tx) error {
	var id string
	if err := first.QueryRowContext(ctx, `SELECT pg_export_snapshot()`).Scan(&id); err != nil {
		return err
	}
	_, err := second.ExecContext(ctx, `SET TRANSACTION SNAPSHOT '`+strings.ReplaceAll(id, "'", "''")+`'`)
	return err
}

func (postgresDialect) isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// The columns of search_chunks both engines share (see 0020_search.sql).
const (
	searchChunkTable = `record_id TEXT NOT NULL, chunk INTEGER NOT NULL, case_id TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL,
		at TEXT NOT NULL, month TEXT NOT NULL, giver_id TEXT NOT NULL, registered_by TEXT NOT NULL`
	searchChunkColumns = `record_id, chunk, case_id, kind, ref, at, month, giver_id, registered_by`
	searchChunkSelect  = `c.record_id, c.chunk, c.case_id, c.kind, c.ref, c.at, c.month, c.giver_id, c.registered_by`
)

// Search on SQLite: an FTS5 table whose content is search_terms (external content, by
// rowid n, the chunk's), so that a chunk is deleted by handing FTS5 its terms back; the
// terms are a table of their own so that the chunk rows a match looks up stay small. Not
// contentless_delete: SQLite before 3.43 (as other tools read the file with) cannot open
// such a table at all. Its tokenizer sees only terms of [a-z0-9_] separated by spaces
// (fulltext.Stored) and changes none. The score is the negated BM25 of the chunk
// (FTS5's bm25() is lower for better matches).
func (sqliteDialect) searchSchema(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range []string{
		`CREATE TABLE search_chunks (n INTEGER PRIMARY KEY, ` + searchChunkTable + `)`,
		`CREATE INDEX search_chunks_record ON search_chunks (record_id)`,
		`CREATE INDEX search_chunks_case ON search_chunks (case_id, chunk, at)`,
		`CREATE TABLE search_terms (n INTEGER PRIMARY KEY, terms TEXT NOT NULL)`,
		`CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_terms', content_rowid='n', tokenize="unicode61 remove_diacritics 0 tokenchars '_'")`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

func (sqliteDialect) insertChunk(tx *Tx, e *searchEntry, chunk int, stored []string) error {
	var n int64
	terms := strings.Join(stored, " ")
	if err := tx.QueryRowContext(tx.ctx, `INSERT INTO search_chunks (`+searchChunkColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING n`, e.chunkArgs(chunk)...).Scan(&n); err != nil {
		return fmt.Errorf("index chunk: %w", err)
	}
	if err := tx.exec(`INSERT INTO search_terms (n, terms) VALUES (?, ?)`, n, terms); err != nil {
		return fmt.Errorf("index chunk: %w", err)
	}
	if err := tx.exec(`INSERT INTO search_fts (rowid, terms) VALUES (?, ?)`, n, terms); err != nil {
		return fmt.Errorf("index terms: %w", err)
	}
	return nil
}

func (sqliteDialect) deleteChunks(tx *Tx, recordID string) error {
	if err := tx.exec(`INSERT INTO search_fts (search_fts, rowid, terms) SELECT 'delete', t.n, t.terms FROM search_terms t JOIN search_chunks c ON c.n = t.n WHERE c.record_id = ?`, recordID); err != nil {
		return fmt.Errorf("unindex terms: %w", err)
	}
	if err := tx.exec(`DELETE FROM search_terms WHERE n IN (SELECT n FROM search_chunks WHERE record_id = ?)`, recordID); err != nil {
		return err
	}
	return tx.exec(`DELETE FROM search_chunks WHERE record_id = ?`, recordID)
}

func (sqliteDialect) clearSearch(tx *Tx) error {
	if err := tx.exec(`INSERT INTO search_fts (search_fts) VALUES ('delete-all')`); err != nil {
		return fmt.Errorf("clear search terms: %w", err)
	}
	if err := tx.exec(`DELETE FROM search_terms`); err != nil {
		return err
	}
	return tx.exec(`DELETE FROM search_chunks`)
}

// bm25() is usable only where FTS5 runs the match itself, so the match is a query of
// its own (its LIMIT keeps SQLite from flattening it into the join), joined to the
// chunks after: a CROSS JOIN, which SQLite never reorders. Left to choose, SQLite 3.54
// read every chunk of the case through search_chunks_case and looked each up among the
// matches, 100 ms on a case of 100,000 documents for a query that matched 300.
func (sqliteDialect) searchMatch(q *fulltext.Query, rw fulltext.Rewrite, scored bool) (string, []any) {
	if !scored {
		return `SELECT ` + searchChunkSelect + ` FROM (SELECT rowid AS n FROM search_fts WHERE search_fts MATCH ? LIMIT -1) f
		CROSS JOIN search_chunks c WHERE c.n = f.n`, []any{q.FTS5(rw)}
	}
	return `SELECT ` + searchChunkSelect + `, f.score FROM (SELECT rowid AS n, -bm25(search_fts) AS score FROM search_fts WHERE search_fts MATCH ? LIMIT -1) f
		CROSS JOIN search_chunks c WHERE c.n = f.n`, []any{q.FTS5(rw)}
}

// Search on PostgreSQL: the terms of a chunk as a tsvector under a GIN index, written
// and queried through casts of their text forms, so that no text search configuration
// parses them. The score is ts_rank_cd (cover density).
func (postgresDialect) searchSchema(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range []string{
		`CREATE TABLE search_chunks (n BIGSERIAL PRIMARY KEY, ` + searchChunkTable + `, terms TSVECTOR NOT NULL)`,
		`CREATE INDEX search_chunks_record ON search_chunks (record_id)`,
		`CREATE INDEX search_chunks_case ON search_chunks (case_id, chunk, at)`,
		`CREATE INDEX search_chunks_terms ON search_chunks USING GIN (terms)`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

func (postgresDialect) insertChunk(tx *Tx, e *searchEntry, chunk int, stored []string) error {
	if err := tx.exec(`INSERT INTO search_chunks (`+searchChunkColumns+`, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tsvector))`, append(e.chunkArgs(chunk), fulltext.TSVector(stored))...); err != nil {
		return fmt.Errorf("index chunk: %w", err)
	}
	return nil
}

func (postgresDialect) deleteChunks(tx *Tx, recordID string) error {
	return tx.exec(`DELETE FROM search_chunks WHERE record_id = ?`, recordID)
}

func (postgresDialect) clearSearch(tx *Tx) error { return tx.exec(`DELETE FROM search_chunks`) }

func (postgresDialect) searchMatch(q *fulltext.Query, rw fulltext.Rewrite, scored bool) (string, []any) {
	tq := q.TSQuery(rw)
	if !scored {
		return `SELECT ` + searchChunkSelect + ` FROM search_chunks c WHERE c.terms @@ CAST(? AS tsquery)`, []any{tq}
	}
	return `SELECT ` + searchChunkSelect + `, ts_rank_cd(c.terms, CAST(? AS tsquery)) AS score FROM search_chunks c WHERE c.terms @@ CAST(? AS tsquery)`,
		[]any{tq, tq}
}
