package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/sqlstore"
)

// This file holds what the store suite shares: a case with its lead to start from,
// checks for refused calls, and access to the audit log and the raw rows.

// fixture is a case opened by its lead, the start of most tests.
type fixture struct {
	t    *testing.T
	s    *testStore
	lead *caseroom.User
	ctx  context.Context // acting as the lead
	c    *caseroom.Case
}

// newFixture creates a user named lead and a case opened by them.
func newFixture(t *testing.T, s *testStore, lead, title string) *fixture {
	t.Helper()
	u := mustUser(t, s, lead)
	c, err := s.DB.CreateCase(as(u), caseroom.NewCase{Title: title})
	if err != nil {
		t.Fatalf("create case %q: %v", title, err)
	}
	return &fixture{t: t, s: s, lead: u, ctx: as(u), c: c}
}

// in returns the fixture for use in subtest t, so that its checks fail t.
func (f *fixture) in(t *testing.T) *fixture {
	g := *f
	g.t = t
	return &g
}

// member creates a user and gives them a role in the case.
func (f *fixture) member(name string, role caseroom.Role) *caseroom.User {
	f.t.Helper()
	u := mustUser(f.t, f.s, name)
	f.setRole(u, role)
	return u
}

// setRole gives u the role in the case, acting as the lead.
func (f *fixture) setRole(u *caseroom.User, role caseroom.Role) {
	f.t.Helper()
	if _, err := f.s.DB.AddMember(f.ctx, f.c.ID, caseroom.NewMembership{User: u.Name, Role: role}); err != nil {
		f.t.Fatalf("add %s as %s: %v", u.Name, role, err)
	}
}

// person registers a person acting as ctx.
func (f *fixture) person(ctx context.Context, np caseroom.NewPerson) *caseroom.Person {
	f.t.Helper()
	p, err := f.s.DB.RegisterPerson(ctx, f.c.ID, np)
	if err != nil {
		f.t.Fatalf("register person %+v: %v", np, err)
	}
	return p
}

// suspect registers a suspect with one name, acting as the lead.
func (f *fixture) suspect(name string) *caseroom.Person {
	f.t.Helper()
	return f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: name, Script: "Latn"}},
		Roles: []caseroom.PersonRole{caseroom.PersonSuspect}})
}

// victim registers a victim with one name, acting as ctx.
func (f *fixture) victim(ctx context.Context, name string) *caseroom.Person {
	f.t.Helper()
	return f.person(ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: name, Script: "Latn"}},
		Roles: []caseroom.PersonRole{caseroom.PersonVictim}})
}

// doc registers a document acting as ctx.
func (f *fixture) doc(ctx context.Context, nd caseroom.NewDocument) *caseroom.Document {
	f.t.Helper()
	d, err := f.s.DB.RegisterDocument(ctx, f.c.ID, nd)
	if err != nil {
		f.t.Fatalf("register %s %q: %v", nd.Kind, nd.Title, err)
	}
	return d
}

// complaint registers a complaint acting as the lead; it serves as a source.
func (f *fixture) complaint(title string) *caseroom.Document {
	f.t.Helper()
	return f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: title, Text: "Complaint: " + title})
}

// statement registers a statement given by giver acting as the lead.
func (f *fixture) statement(giver, title string) *caseroom.Document {
	f.t.Helper()
	return f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: title, Text: "Statement: " + title,
		Giver: giver, RecordedAt: ptr(recorded)})
}

// link records a link acting as the lead.
func (f *fixture) link(nl caseroom.NewLink) *caseroom.Link {
	f.t.Helper()
	l, err := f.s.DB.RecordLink(f.ctx, f.c.ID, nl)
	if err != nil {
		f.t.Fatalf("record link %+v: %v", nl, err)
	}
	return l
}

// recorded is a time statements were taken, in Pakistan Standard Time (+05:00).
var recorded = time.Date(2024, 3, 14, 10, 30, 0, 0, time.FixedZone("PKT", 5*60*60))

func ptr[T any](v T) *T { return &v }

// checkError fails unless err carries code and, when field is set, a message that
// starts by naming the field ("source: required ...").
func checkError(t *testing.T, err error, code, field string) {
	t.Helper()
	if got := caseroom.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
	if field != "" && !strings.HasPrefix(caseroom.ErrorMessage(err), field+":") {
		t.Fatalf("error message %q does not name the field %q first", caseroom.ErrorMessage(err), field)
	}
}

// refused runs a call that must fail with code (naming field, if set) and checks that
// no table changed.
func refused(t *testing.T, s *testStore, code, field string, call func() error) {
	t.Helper()
	before := s.Snapshot()
	checkError(t, call(), code, field)
	if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
		t.Errorf("refused call changed the store (-before +after):\n%s", diff)
	}
}

// entries returns the whole audit log, read at the console.
func (s *testStore) entries() []*caseroom.AuditEntry {
	s.t.Helper()
	es, err := s.DB.FindAuditEntries(console, caseroom.AuditFilter{After: -1, Limit: 10000})
	if err != nil {
		s.t.Fatalf("read audit log: %v", err)
	}
	return es
}

// lastEntry returns the newest audit entry.
func (s *testStore) lastEntry() *caseroom.AuditEntry {
	s.t.Helper()
	es := s.entries()
	if len(es) == 0 {
		s.t.Fatal("audit log is empty")
	}
	return es[len(es)-1]
}

// rebinding runs queries written with ? placeholders on PostgreSQL, which wants $n.
type rebinding struct{ db *sql.DB }

func (r rebinding) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, dollars(query), args...)
}

func (r rebinding) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.db.QueryRowContext(ctx, dollars(query), args...)
}

// dollars rewrites ? placeholders as $1, $2, ...
func dollars(query string) string {
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

// exec runs a statement on the raw connection, behind the store's back.
func (s *testStore) exec(query string, args ...any) {
	s.t.Helper()
	if s.DB.Dialect() == "postgres" {
		query = dollars(query)
	}
	if _, err := s.raw.Exec(query, args...); err != nil {
		s.t.Fatalf("raw %s: %v", query, err)
	}
}

// queryString reads one text value from the raw connection.
func (s *testStore) queryString(query string, args ...any) string {
	s.t.Helper()
	if s.DB.Dialect() == "postgres" {
		query = dollars(query)
	}
	var v string
	if err := s.raw.QueryRow(query, args...).Scan(&v); err != nil {
		s.t.Fatalf("raw %s: %v", query, err)
	}
	return v
}

// entryState reads the canonical state of audit entry seq from the raw rows.
func (s *testStore) entryState(seq int64) map[string][]map[string]any {
	s.t.Helper()
	var state map[string][]map[string]any
	var err error
	if s.DB.Dialect() == "postgres" {
		state, err = sqlstore.EntryState(context.Background(), rebinding{s.raw}, seq)
	} else {
		state, err = sqlstore.EntryState(context.Background(), s.raw, seq)
	}
	if err != nil {
		s.t.Fatalf("entry state %d: %v", seq, err)
	}
	return state
}

// entryRows counts the record rows written under audit entry seq.
func (s *testStore) entryRows(seq int64) int {
	s.t.Helper()
	n := 0
	for _, rows := range s.entryState(seq) {
		n += len(rows)
	}
	return n
}

// recomputedHash recomputes the state hash of audit entry seq from the rows as they
// are now, as an outside verifier would: hex SHA-256 of the JSON of EntryState.
func (s *testStore) recomputedHash(seq int64) string {
	s.t.Helper()
	b, err := json.Marshal(s.entryState(seq))
	if err != nil {
		s.t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
