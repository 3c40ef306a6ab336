// Package sqlstore implements Caseroom's services on database/sql, on SQLite (the
// embedded default, through modernc.org/sqlite) and PostgreSQL (through pgx), with one
// code path. What differs between the two lives in dialect.go. Every write runs in one
// transaction that also appends its audit entry.
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base32"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"caseroom"
	"caseroom/vault"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open Caseroom store. It implements the service interfaces of package
// caseroom.
type DB struct {
	db      *sql.DB
	dialect dialect
	// writer is, on SQLite, the one connection every write transaction runs on. A
	// SQLite connection's page cache is emptied whenever another connection has written,
	// so writes that hopped between pooled connections would each start cold; a bulk
	// import then spent a third of its time rereading index pages. nil on PostgreSQL.
	writer *sql.Conn
	// vault seals identity fields; swapped whole when the key is rotated.
	vault atomic.Pointer[vault.Vault]
	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// Sessions says how long web sessions last (see auth.go); set it before serving.
	Sessions SessionPolicy
	// writes queues writes for group commit (see write).
	writes writeQueue
	// pdq indexes the PDQ hashes held, for matching (see pdq.go).
	pdq pdqIndex
	// frames indexes the frame hashes of the videos held (see vpdq.go).
	frames frameIndex
	// passwords bounds how many password hashes are computed at once (see
	// passwordgate.go).
	passwords *passwordGate
	// zones caches each case's time zone and phone region (a case's time zone never
	// changes), for the search index's writes and reads.
	zones sync.Map // case id -> *caseZone
	// indexer indexes the records writes queue for search (see search_queue.go).
	indexer searchIndexer
}

// Options configure Open.
type Options struct {
	// KeyFile is the identity vault's master key file (see package vault). On a new
	// store Open creates it; on an existing one it must be the key the store was made
	// with, or Open fails rather than run without being able to read identities.
	KeyFile string
	// ReadOnly opens the store to read it as it is, for verifying the audit log (perhaps
	// a copy kept as evidence, without the vault key): no migration is applied (a store
	// that needs one is refused) and the identity vault is not opened. Only reads that
	// open no identities may then be called.
	ReadOnly bool
}

// Open opens the store at dsn, applies any pending migrations and opens the identity
// vault. A dsn starting with postgres:// or postgresql:// opens PostgreSQL; anything
// else is the path of a SQLite database file (an optional "sqlite:" or "file:" prefix
// is stripped).
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	var d dialect
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d = postgresDialect{}
	} else {
		d = sqliteDialect{}
	}
	sqldb, err := d.open(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.name(), err)
	}
	db := &DB{db: sqldb, dialect: d, Now: time.Now, passwords: newPasswordGate(passwordTurns(), maxPasswordWaiting, maxPasswordWait)}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s database: %w", d.name(), err)
	}
	if opts.ReadOnly {
		if err := db.checkMigrated(ctx); err != nil {
			sqldb.Close()
			return nil, err
		}
		return db, nil
	}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	if d.name() == "sqlite" {
		if db.writer, err = sqldb.Conn(ctx); err != nil {
			sqldb.Close()
			return nil, fmt.Errorf("open %s database: %w", d.name(), err)
		}
	}
	if err := db.openVault(ctx, opts.KeyFile); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.normaliseOldPhones(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.ensureSearchIndex(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.startSearchIndexer()
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.stopSearchIndexer()
	if db.writer != nil {
		db.writer.Close()
	}
	return db.db.Close()
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.db.PingContext(ctx) }

// Dialect names the database engine: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// migrate applies the embedded migrations not yet recorded in schema_migrations, each
// in its own transaction, in file-name order.
func (db *DB) migrate(ctx context.Context) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if err := db.dialect.lockMigrations(ctx, tx); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		var n int
		if err := tx.QueryRowContext(ctx, db.dialect.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE name = ?`), name).Scan(&n); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if n > 0 {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		for _, stmt := range splitStatements(string(body)) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migrate %s: %w\n%s", name, err, stmt)
			}
		}
		if hook := migrationHooks[name]; hook != nil {
			if err := hook(&Tx{Tx: tx, db: db, ctx: ctx, now: db.Now().UTC(), group: &groupState{nextSeq: -1, hashes: map[int64]tlog.Hash{}}, inserted: map[string]bool{}}); err != nil {
				return fmt.Errorf("migrate %s: %w", name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`), name, formatTime(db.Now())); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// migrationHooks are steps in Go that complete a migration, in its transaction.
var migrationHooks = map[string]func(tx *Tx) error{
	// The tree over entries written before it existed.
	"migrations/0005_audit_tree.sql": backfillTree,
	// The search index's chunks, which differ by engine.
	"migrations/0020_search.sql": func(tx *Tx) error { return tx.db.dialect.searchSchema(tx.ctx, tx.Tx) },
}

// checkMigrated refuses a store that lacks a migration of this build.
func (db *DB) checkMigrated(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	for _, name := range names {
		var n int
		if err := db.db.QueryRowContext(ctx, db.dialect.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE name = ?`), name).Scan(&n); err != nil {
			return fmt.Errorf("this is not a Caseroom store, or not a complete one: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("this store was made by an older Caseroom and lacks %s; open it once with caseroom serve to upgrade it", name)
		}
	}
	return nil
}

// splitStatements splits a migration file on semicolons that end a line, dropping
// comment lines. Migrations hold no semicolons inside string literals.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") || trimmed == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// timeLayout is the stored form of every time: UTC, fixed width, so text order is
// time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// idEncoding writes ids in lower-case base32 without padding.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newID returns a new id with the given kind prefix and 80 random bits: "per_3kq...".
// The prefix tells what an id names, so a link can join any two records.
func newID(prefix string) string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // the platform is broken
	}
	return prefix + "_" + idEncoding.EncodeToString(b)
}

// Id prefixes by kind of record.
const (
	prefixCase         = "cas"
	prefixUser         = "usr"
	prefixToken        = "tok"
	prefixMembership   = "mem"
	prefixPerson       = "per"
	prefixName         = "nam"
	prefixAlias        = "ali"
	prefixPersonRole   = "prl"
	prefixDocument     = "doc"
	prefixPresence     = "prs"
	prefixIdentifier   = "idf"
	prefixOrganisation = "org"
	prefixLocation     = "loc"
	prefixLink         = "lnk"
)

// entityKindOf returns the kind of entity an id names, from its prefix.
func entityKindOf(id string) (caseroom.EntityKind, bool) {
	prefix, _, ok := strings.Cut(id, "_")
	if !ok {
		return "", false
	}
	switch prefix {
	case prefixPerson:
		return caseroom.EntityPerson, true
	case prefixOrganisation:
		return caseroom.EntityOrganisation, true
	case prefixLocation:
		return caseroom.EntityLocation, true
	case prefixIdentifier:
		return caseroom.EntityIdentifier, true
	case prefixDocument:
		return caseroom.EntityDocument, true
	}
	return "", false
}

// Tx is a write transaction: it holds the store's write lock, reserves audit sequence
// numbers, and appends audit entries that commit or roll back with the records.
type Tx struct {
	*sql.Tx
	db    *DB
	ctx   context.Context
	now   time.Time
	actor *caseroom.User
	group *groupState // shared by the writes of one transaction
	// inserted names the tables this transaction has inserted into, so that an entry's
	// state is read from those alone.
	inserted map[string]bool
	// searchCases caches what indexing each case's texts needs (see searchCase), for
	// this write alone: a write rolled back to its savepoint takes its cache with it.
	searchCases map[string]*searchCase
}

// querier is what reads need: a *sql.DB or a *Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in a write transaction and returns once its changes are committed, or
// fn's error once they are undone. The actor comes from ctx; without one the call is
// refused.
//
// Writes are committed in groups: while one transaction commits (on SQLite an fsync),
// the writes that arrive queue up, and the next transaction runs them one after the
// other, each inside its own savepoint, and commits them together. A write whose fn
// fails is rolled back to its savepoint alone; the others commit. Nobody's write is
// reported done before the commit that holds it is durable. One writer pays for one
// commit per write; many writers at once share commits.
func (db *DB) write(ctx context.Context, fn func(tx *Tx) error) error {
	return db.enqueueWrite(ctx, fn, false)
}

// writeAlone is write for a bulk write (a batch of thousands of rows): it is committed
// in a transaction of its own, without the savepoint that lets a write of a group
// fail alone. A savepoint makes SQLite copy every page the write first touches to a
// sub-journal, which for a batch that touches thousands of index pages costs more than
// the inserts themselves.
func (db *DB) writeAlone(ctx context.Context, fn func(tx *Tx) error) error {
	return db.enqueueWrite(ctx, fn, true)
}

func (db *DB) enqueueWrite(ctx context.Context, fn func(tx *Tx) error, alone bool) error {
	actor := caseroom.UserFromContext(ctx)
	if actor == nil {
		return caseroom.Errorf(caseroom.EUNAUTHORIZED, "Sign in first.")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeRequest{ctx: ctx, fn: fn, actor: actor, alone: alone, done: make(chan writeResult, 1)}
	q := &db.writes
	q.mu.Lock()
	q.pending = append(q.pending, req)
	lead := !q.leading
	q.leading = true
	q.mu.Unlock()
	for {
		if lead {
			db.commitGroup()
		}
		r := <-req.done
		if !r.lead {
			return r.err
		}
		lead = true
	}
}

// maxGroup bounds the writes committed together.
const maxGroup = 512

// writeQueue holds the writes waiting for the next group commit. One waiting writer at
// a time leads: it runs a group, then hands the lead to the first writer still waiting.
type writeQueue struct {
	mu      sync.Mutex
	pending []*writeRequest
	leading bool
}

type writeRequest struct {
	ctx   context.Context
	fn    func(tx *Tx) error
	actor *caseroom.User
	alone bool // committed in a group of its own, without a savepoint (writeAlone)
	done  chan writeResult
}

// writeResult is a write's outcome, or (lead) the order to run the next group.
type writeResult struct {
	err  error
	lead bool
}

// commitGroup takes the waiting writes, runs and commits them, reports to each, and
// hands the lead on.
func (db *DB) commitGroup() {
	q := &db.writes
	q.mu.Lock()
	n := min(len(q.pending), maxGroup)
	for i, req := range q.pending[:n] {
		// A write that goes alone ends the group before it, or is the group.
		if req.alone {
			n = max(i, 1)
			break
		}
	}
	group := q.pending[:n]
	q.pending = append([]*writeRequest(nil), q.pending[len(group):]...)
	q.mu.Unlock()

	results := db.runGroup(group)
	for i, req := range group {
		req.done <- writeResult{err: results[i]}
	}
	q.mu.Lock()
	if len(q.pending) > 0 {
		q.pending[0].done <- writeResult{lead: true}
	} else {
		q.leading = false
	}
	q.mu.Unlock()
}

// runGroup runs each write of group in its own savepoint of one transaction and
// commits; it returns each write's error.
func (db *DB) runGroup(group []*writeRequest) []error {
	results := make([]error, len(group))
	fail := func(err error) []error {
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
		return results
	}
	// The group's transaction outlives any one writer's context: a writer that gives
	// up must not interrupt the others' statements.
	ctx := context.WithoutCancel(group[0].ctx)
	var sqltx *sql.Tx
	var err error
	if db.writer != nil {
		sqltx, err = db.writer.BeginTx(ctx, nil)
	} else {
		sqltx, err = db.db.BeginTx(ctx, nil)
	}
	if err != nil {
		return fail(fmt.Errorf("begin: %w", err))
	}
	defer sqltx.Rollback()
	if err := db.dialect.lockWrites(ctx, sqltx); err != nil {
		return fail(fmt.Errorf("lock: %w", err))
	}
	committed := 0
	state := newGroupState()
	if len(group) == 1 && group[0].alone {
		req := group[0]
		if err := req.ctx.Err(); err != nil {
			results[0] = err
			return results
		}
		tx := &Tx{Tx: sqltx, db: db, ctx: context.WithoutCancel(req.ctx), now: db.Now().UTC(), actor: req.actor, group: state, inserted: map[string]bool{}}
		if results[0] = runWrite(tx, req.fn); results[0] != nil {
			return results // rolled back by the deferred Rollback
		}
		if err := sqltx.Commit(); err != nil {
			return fail(fmt.Errorf("commit: %w", err))
		}
		if state.searchQueued {
			db.pokeSearchIndexer()
		}
		return results
	}
	for i, req := range group {
		if err := req.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if _, err := sqltx.ExecContext(ctx, `SAVEPOINT write`); err != nil {
			return fail(fmt.Errorf("savepoint: %w", err))
		}
		tx := &Tx{Tx: sqltx, db: db, ctx: context.WithoutCancel(req.ctx), now: db.Now().UTC(), actor: req.actor, group: state, inserted: map[string]bool{}}
		if err := runWrite(tx, req.fn); err != nil {
			results[i] = err
			stmts, queued := state.stmts, state.searchQueued
			*state = *newGroupState() // it may hold what was just undone
			state.stmts, state.searchQueued = stmts, queued
			if _, rerr := sqltx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT write`); rerr != nil {
				return fail(fmt.Errorf("roll back a failed write: %w", rerr))
			}
		} else {
			committed++
		}
		if _, err := sqltx.ExecContext(ctx, `RELEASE SAVEPOINT write`); err != nil {
			return fail(fmt.Errorf("release savepoint: %w", err))
		}
	}
	if committed == 0 {
		return results
	}
	if err := sqltx.Commit(); err != nil {
		return fail(fmt.Errorf("commit: %w", err))
	}
	if state.searchQueued {
		db.pokeSearchIndexer()
	}
	return results
}

// runWrite runs fn, turning a panic into an error so that one bad write cannot take
// the others of its group down with it.
func runWrite(tx *Tx, fn func(tx *Tx) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("write panicked: %v", v)
		}
	}()
	return fn(tx)
}

// exec runs a statement written with ? placeholders.
func (tx *Tx) exec(query string, args ...any) error {
	if rest, ok := strings.CutPrefix(query, "INSERT INTO "); ok {
		table, _, _ := strings.Cut(rest, " ")
		tx.inserted[table] = true
	}
	if st := tx.prepared(query); st != nil {
		_, err := st.ExecContext(tx.ctx, args...)
		return err
	}
	_, err := tx.ExecContext(tx.ctx, tx.db.dialect.rebind(query), args...)
	return err
}

// QueryContext rebinds placeholders so that read helpers can take a *Tx. It runs under
// the transaction's own context, whatever ctx is passed: the transaction may be shared
// by a group of writes (see write), and one writer giving up must not cancel a query
// in it.
func (tx *Tx) QueryContext(_ context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.prepared(query); st != nil {
		return st.QueryContext(tx.ctx, args...)
	}
	return tx.Tx.QueryContext(tx.ctx, tx.db.dialect.rebind(query), args...)
}

// QueryRowContext rebinds placeholders so that read helpers can take a *Tx, under the
// transaction's own context (see QueryContext).
func (tx *Tx) QueryRowContext(_ context.Context, query string, args ...any) *sql.Row {
	if st := tx.prepared(query); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.Tx.QueryRowContext(tx.ctx, tx.db.dialect.rebind(query), args...)
}

// prepared returns query prepared on this transaction's connection, or nil to run it
// unprepared. On SQLite, preparing a statement costs about as much as running a small
// one, and a write runs a dozen; the writes of a group share the statements. They are
// prepared on the transaction's own connection: one from the pool could wait for the
// write lock this transaction holds. (pgx caches prepared statements itself.)
func (tx *Tx) prepared(query string) *sql.Stmt {
	if tx.db.dialect.name() != "sqlite" || tx.group == nil || tx.group.stmts == nil {
		return nil
	}
	if st, ok := tx.group.stmts[query]; ok {
		return st
	}
	if len(tx.group.stmts) >= maxPreparedPerGroup {
		return nil
	}
	st, err := tx.Tx.PrepareContext(tx.ctx, query)
	if err != nil {
		return nil // run it unprepared; a real error shows there
	}
	tx.group.stmts[query] = st
	return st
}

// maxPreparedPerGroup bounds the statements one group transaction prepares: queries
// with a varying number of placeholders beyond it run unprepared.
const maxPreparedPerGroup = 256

// reader wraps *sql.DB so that reads outside a transaction rebind placeholders too.
type reader struct{ db *DB }

func (r reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.db.db.QueryContext(ctx, r.db.dialect.rebind(query), args...)
}

func (r reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.db.db.QueryRowContext(ctx, r.db.dialect.rebind(query), args...)
}

func (db *DB) reader() querier { return reader{db} }

// reserveSeq returns the sequence number of the next audit entry of this transaction.
// Records created by an operation carry that number in their entry column. The write
// lock makes MAX(seq)+1 safe: no other writer can take the same number.
func (tx *Tx) reserveSeq() (int64, error) {
	g := tx.group
	if g.nextSeq < 0 {
		var max sql.NullInt64
		if err := tx.QueryRowContext(tx.ctx, `SELECT MAX(seq) FROM audit_log`).Scan(&max); err != nil {
			return 0, fmt.Errorf("reserve audit seq: %w", err)
		}
		g.nextSeq = 0
		if max.Valid {
			g.nextSeq = max.Int64 + 1
		}
	}
	seq := g.nextSeq
	g.nextSeq++
	return seq, nil
}

// appendAudit writes the audit entry seq for a change whose records carry entry = seq.
// The state hash is computed from the rows as stored, so it is reproducible from the
// database alone.
func (tx *Tx) appendAudit(seq int64, action string, kind, objectID, caseID string) error {
	if eventActions[action] {
		return fmt.Errorf("audit %s: an event creates no records; use appendEvent", action)
	}
	hash, err := entryStateHash(tx.ctx, tx, seq, tx.inserted)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return tx.insertAudit(seq, action, kind, objectID, caseID, hash)
}

// appendAuditState writes the audit entry seq for a change whose rows the caller gives
// in their canonical form (table to rows, each row every column to its value as stored:
// text as string, integers as int64, NULL as nil), instead of reading them back; for
// bulk writes. Verify reads the rows and must arrive at the same hash, and the tests
// hold it to that.
func (tx *Tx) appendAuditState(seq int64, action, kind, objectID, caseID string, state map[string][]map[string]any) error {
	sortState(state)
	hash, err := canonicalHash(state)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return tx.insertAudit(seq, action, kind, objectID, caseID, hash)
}

// appendEvent records an event that creates no record rows (a search of identities,
// key management): the state hash is of the given value, which is not stored.
func (tx *Tx) appendEvent(action, kind, objectID, caseID string, shown any) error {
	if !eventActions[action] {
		return fmt.Errorf("audit %s: not an event action (see eventActions)", action)
	}
	seq, err := tx.reserveSeq()
	if err != nil {
		return err
	}
	hash, err := canonicalHash(shown)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return tx.insertAudit(seq, action, kind, objectID, caseID, hash)
}

func (tx *Tx) insertAudit(seq int64, action, kind, objectID, caseID, hash string) error {
	var c any
	if caseID != "" {
		c = caseID
	}
	at := formatTime(tx.now)
	if err := tx.exec(`INSERT INTO audit_log (seq, at, actor, action, object_kind, object_id, case_id, state_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		seq, at, tx.actor.Name, action, kind, objectID, c, hash); err != nil {
		return fmt.Errorf("append audit entry %d (%s): %w", seq, action, err)
	}
	// The leaf is the canonical JSON of the row just written, built from the values
	// rather than read back: verify reads the row and must arrive at the same bytes
	// (every column of audit_log, text as strings, seq as an integer, no case as null).
	data, err := appendCanonical(nil, map[string]any{"seq": seq, "at": at, "actor": tx.actor.Name, "action": action,
		"object_kind": kind, "object_id": objectID, "case_id": c, "state_hash": hash})
	if err != nil {
		return err
	}
	return tx.appendLeaf(seq, data)
}

// isNoRows reports whether err is sql.ErrNoRows.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// nullable returns nil for "" so that optional references are stored as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// v returns the identity vault.
func (db *DB) v() *vault.Vault { return db.vault.Load() }
