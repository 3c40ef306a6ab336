package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"caseroom"
	"caseroom/internal/pgtest"
	"caseroom/sqlstore"
)

// testStore is one store under test with what the suite needs around it.
type testStore struct {
	t   testing.TB
	DB  *sqlstore.DB
	dsn string
	// keyFile is the vault's master key file.
	keyFile string
	// schema is the PostgreSQL schema the store lives in; "" on SQLite.
	schema string
	// raw is a direct connection for inspecting (and, in tamper tests, editing) rows
	// behind the store's back.
	raw *sql.DB
}

// Reopen closes the store and opens it again on the same database, as a restart does.
func (s *testStore) Reopen() {
	s.t.Helper()
	if err := s.DB.Close(); err != nil {
		s.t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), s.dsn, sqlstore.Options{KeyFile: s.keyFile})
	if err != nil {
		s.t.Fatalf("reopen: %v", err)
	}
	s.DB = db
	s.t.Cleanup(func() { db.Close() })
}

// Count returns the number of rows in a table.
func (s *testStore) Count(table string) int {
	s.t.Helper()
	var n int
	if err := s.raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		s.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// Snapshot returns the row count of every table, to show that a refused write
// changed nothing.
func (s *testStore) Snapshot() map[string]int {
	s.t.Helper()
	out := map[string]int{}
	for _, table := range []string{"audit_log", "users", "tokens", "cases", "memberships", "persons", "person_names",
		"person_aliases", "person_roles", "pseudonyms", "documents", "statements", "statement_presence",
		"identifiers", "organisations", "locations", "links", "blind_index", "identity_access", "member_persons", "person_details", "vault_keys"} {
		out[table] = s.Count(table)
	}
	return out
}

// forEachStore runs fn as a subtest against a fresh SQLite store and, when
// CASEROOM_TEST_POSTGRES is set, a fresh PostgreSQL schema.
func forEachStore(t *testing.T, fn func(t *testing.T, s *testStore)) {
	onEachStore(t, fn)
}

// forEachStoreB is forEachStore for benchmarks.
func forEachStoreB(b *testing.B, fn func(b *testing.B, s *testStore)) {
	onEachStore(b, fn)
}

// runner is a *testing.T or a *testing.B: something that runs subtests of its own kind.
type runner[T any] interface {
	testing.TB
	Run(name string, f func(T)) bool
}

func onEachStore[T runner[T]](t T, fn func(t T, s *testStore)) {
	t.Run("sqlite", func(t T) {
		dir := t.TempDir()
		dsn, keyFile := filepath.Join(dir, "caseroom.db"), filepath.Join(dir, "vault.key")
		db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{KeyFile: keyFile})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		raw, err := sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(20000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		fn(t, &testStore{t: t, DB: db, dsn: dsn, keyFile: keyFile, raw: raw})
	})
	t.Run("postgres", func(t T) {
		base := os.Getenv("CASEROOM_TEST_POSTGRES")
		if base == "" {
			t.Skip("set CASEROOM_TEST_POSTGRES=postgres://... to run the store suite on PostgreSQL")
		}
		dsn, schema, raw := freshSchema(t, base)
		keyFile := filepath.Join(t.TempDir(), "vault.key")
		db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{KeyFile: keyFile})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, &testStore{t: t, DB: db, dsn: dsn, keyFile: keyFile, schema: schema, raw: raw})
	})
}

// freshSchema creates an empty schema for one test and returns a URL whose
// search_path points at it, the schema's name, and a raw connection to it. The schema
// is dropped after.
func freshSchema(t testing.TB, base string) (string, string, *sql.DB) {
	t.Helper()
	dsn, schema := pgtest.Schema(t, base, "caseroom_test_")
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return dsn, schema, raw
}

// Fast password hashing for tests is not needed: a handful of users per test.

// as returns a context acting as u.
func as(u *caseroom.User) context.Context {
	return caseroom.NewContextWithUser(context.Background(), u)
}

// console is the context of the operator at the console.
var console = as(caseroom.Console)

// mustUser creates a user through the console.
func mustUser(t testing.TB, s *testStore, name string) *caseroom.User {
	t.Helper()
	u, err := s.DB.CreateUser(console, caseroom.NewUser{Name: name, Password: "pw-" + name + "-long-enough"})
	if err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}
