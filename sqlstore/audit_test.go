package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/audit"
)

// TestEveryWriteAppendsOneEntry performs each kind of write once and checks that it
// appended exactly one audit entry, numbered next, saying who did what to which object
// of which case, with a state hash that the rows as stored reproduce. Events that
// create no rows (opening the vault, a search by name, a key rotation) have a hash of
// what they were, which is not stored; their entries must have no rows.
func TestEveryWriteAppendsOneEntry(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		at := time.Date(2025, 1, 15, 9, 0, 0, 0, time.FixedZone("PKT", 5*60*60))
		s.DB.Now = func() time.Time { return at }

		// Opening a new store made the vault's keys: the first entry.
		es := s.entries()
		if len(es) != 1 {
			t.Fatalf("a new store has %d audit entries, want 1 (vault.init)", len(es))
		}
		wantInit := &caseroom.AuditEntry{Seq: 0, At: es[0].At, Actor: "console", Action: "vault.init", ObjectKind: "vault", ObjectID: "vault",
			StateHash: es[0].StateHash}
		if diff := cmp.Diff(wantInit, es[0]); diff != "" {
			t.Errorf("first entry (-want +got):\n%s", diff)
		}
		if n := s.entryRows(0); n != 0 {
			t.Errorf("vault.init entry has %d record rows; the wrapped keys are no records", n)
		}

		var (
			alice, ivan *caseroom.User
			c           *caseroom.Case
			sus, vic    *caseroom.Person
			vic2        *caseroom.Person
			c1, s1      *caseroom.Document
			link        *caseroom.Link
		)
		lead := func() context.Context { return as(alice) }
		steps := []struct {
			name, actor, action, kind string
			inCase                    bool
			do                        func() (string, error)
		}{
			{"create user", "console", "user.create", "user", false, func() (string, error) {
				var err error
				alice, err = s.DB.CreateUser(console, caseroom.NewUser{Name: "alice", Password: "a long enough password"})
				return idOr(err, func() string { return alice.ID })
			}},
			{"create another user", "console", "user.create", "user", false, func() (string, error) {
				var err error
				ivan, err = s.DB.CreateUser(console, caseroom.NewUser{Name: "ivan", Password: "a long enough password"})
				return idOr(err, func() string { return ivan.ID })
			}},
			{"create token", "console", "token.create", "token", false, func() (string, error) {
				tok, err := s.DB.CreateToken(console, "alice")
				return idOr(err, func() string { return tok.ID })
			}},
			{"create own token", "ivan", "token.create", "token", false, func() (string, error) {
				tok, err := s.DB.CreateToken(as(ivan), "ivan")
				return idOr(err, func() string { return tok.ID })
			}},
			{"create case", "alice", "case.create", "case", true, func() (string, error) {
				var err error
				c, err = s.DB.CreateCase(lead(), caseroom.NewCase{Title: "Operation Alpha", TimeZone: "Asia/Karachi"})
				return idOr(err, func() string { return c.ID })
			}},
			{"add member", "alice", "member.add", "membership", true, func() (string, error) {
				m, err := s.DB.AddMember(lead(), c.ID, caseroom.NewMembership{User: "ivan", Role: caseroom.RoleInvestigator})
				return idOr(err, func() string { return m.ID })
			}},
			{"register complaint", "ivan", "document.register", "document", true, func() (string, error) {
				var err error
				c1, err = s.DB.RegisterDocument(as(ivan), c.ID, caseroom.NewDocument{Kind: "complaint", Title: "FIR", Text: "FIR text"})
				return idOr(err, func() string { return c1.ID })
			}},
			{"register suspect", "alice", "person.register", "person", true, func() (string, error) {
				var err error
				sus, err = s.DB.RegisterPerson(lead(), c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Gul Khan", Source: "C-1"}},
					Aliases: []caseroom.Alias{{Alias: "Kala"}}, Roles: []caseroom.PersonRole{"suspect", "witness"}})
				return idOr(err, func() string { return sus.ID })
			}},
			{"register victim", "ivan", "person.register", "person", true, func() (string, error) {
				var err error
				vic, err = s.DB.RegisterPerson(as(ivan), c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Hidden Person"}}, Roles: []caseroom.PersonRole{"victim"}})
				return idOr(err, func() string { return vic.ID })
			}},
			{"register statement", "alice", "document.register", "document", true, func() (string, error) {
				var err error
				s1, err = s.DB.RegisterDocument(lead(), c.ID, caseroom.NewDocument{Kind: "statement", Title: "Statement", Text: "Text",
					Giver: "V-0001", RecordedBy: "ivan", RecordedAt: ptr(recorded), Present: []caseroom.Presence{{Person: sus.ID, Capacity: "brother"}}})
				return idOr(err, func() string { return s1.ID })
			}},
			{"add name", "alice", "person.name.add", "person", true, func() (string, error) {
				p, err := s.DB.AddName(lead(), c.ID, sus.ID, caseroom.PersonName{Name: "گل خان", Script: "Arab"})
				return idOr(err, func() string { return p.ID })
			}},
			{"add alias", "ivan", "person.alias.add", "person", true, func() (string, error) {
				p, err := s.DB.AddAlias(as(ivan), c.ID, sus.ID, caseroom.Alias{Alias: "Gullu", Kind: "urf"})
				return idOr(err, func() string { return p.ID })
			}},
			{"add role", "alice", "person.role.add", "person", true, func() (string, error) {
				p, err := s.DB.AddRole(lead(), c.ID, sus.ID, caseroom.PersonComplainant)
				return idOr(err, func() string { return p.ID })
			}},
			{"add identifier", "alice", "identifier.add", "identifier", true, func() (string, error) {
				idf, err := s.DB.AddIdentifier(lead(), c.ID, sus.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+92 300 1234567", Source: "S-1"})
				return idOr(err, func() string { return idf.ID })
			}},
			{"register organisation", "alice", "organisation.register", "organisation", true, func() (string, error) {
				o, err := s.DB.RegisterOrganisation(lead(), c.ID, caseroom.NewOrganisation{Name: "Video shop", Source: "C-1"})
				return idOr(err, func() string { return o.ID })
			}},
			{"register location", "ivan", "location.register", "location", true, func() (string, error) {
				l, err := s.DB.RegisterLocation(as(ivan), c.ID, caseroom.NewLocation{Name: "Chak 12", Kind: "village", Lat: ptr(31.5), Lon: ptr(74.25)})
				return idOr(err, func() string { return l.ID })
			}},
			{"record link", "alice", "link.record", "link", true, func() (string, error) {
				var err error
				link, err = s.DB.RecordLink(lead(), c.ID, caseroom.NewLink{From: sus.ID, To: "V-0001", Type: "knows", Source: "S-1", Confidence: ptr(0.8)})
				return idOr(err, func() string { return link.ID })
			}},
			{"correct link", "ivan", "link.record", "link", true, func() (string, error) {
				l, err := s.DB.RecordLink(as(ivan), c.ID, caseroom.NewLink{From: sus.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(0.3),
					Corrects: link.ID, Reason: "Doubtful."})
				return idOr(err, func() string { return l.ID })
			}},
			{"correct document", "alice", "document.register", "document", true, func() (string, error) {
				d, err := s.DB.RegisterDocument(lead(), c.ID, caseroom.NewDocument{Kind: "complaint", Title: "FIR amended", Text: "FIR text, amended",
					Corrects: "C-1", CorrectionReason: "Wrong date."})
				return idOr(err, func() string { return d.ID })
			}},
			{"register a victim of the lead", "alice", "person.register", "person", true, func() (string, error) {
				var err error
				vic2, err = s.DB.RegisterPerson(lead(), c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Other Person"}}, Roles: []caseroom.PersonRole{"victim"}})
				return idOr(err, func() string { return vic2.ID })
			}},
			{"reveal identity", "alice", "identity.reveal", "person", true, func() (string, error) {
				p, err := s.DB.RevealIdentity(lead(), c.ID, "V-0001", "Arranging a medical examination.")
				return idOr(err, func() string { return p.ID })
			}},
			{"reveal as the recording officer", "ivan", "identity.reveal", "person", true, func() (string, error) {
				p, err := s.DB.RevealIdentity(as(ivan), c.ID, vic.ID, "Checking my notes.")
				return idOr(err, func() string { return p.ID })
			}},
			{"refused reveal", "ivan", "identity.reveal.refused", "person", true, func() (string, error) {
				// Refused, and the refusal is committed.
				_, err := s.DB.RevealIdentity(as(ivan), c.ID, "V-0002", "Curious.")
				if caseroom.ErrorCode(err) != caseroom.EFORBIDDEN {
					return "", fmt.Errorf("reveal by an investigator who did not record the victim: %v, want forbidden", err)
				}
				return vic2.ID, nil
			}},
			{"search by name", "alice", "person.search.name", "case", true, func() (string, error) {
				_, err := s.DB.FindPersons(lead(), c.ID, caseroom.PersonFilter{Name: "Hidden"})
				return idOr(err, func() string { return c.ID })
			}},
			{"rotate the vault key", "console", "vault.rotate", "vault", false, func() (string, error) {
				return idOr(s.DB.RotateKey(console, s.keyFile), func() string { return "vault" })
			}},
		}
		events := map[string]bool{"person.search.name": true, "vault.rotate": true}
		for i, st := range steps {
			// Each step builds on the ones before; stop at the first that fails.
			ok := t.Run(st.name, func(t *testing.T) {
				id, err := st.do()
				if err != nil {
					t.Fatal(err)
				}
				es := s.entries()
				if len(es) != i+2 {
					t.Fatalf("audit log has %d entries after %d writes and vault.init, want one each", len(es), i+1)
				}
				e := es[i+1]
				want := &caseroom.AuditEntry{Seq: int64(i + 1), At: at.UTC(), Actor: st.actor, Action: st.action, ObjectKind: st.kind, ObjectID: id,
					StateHash: e.StateHash}
				if st.inCase {
					want.CaseID = c.ID
				}
				if diff := cmp.Diff(want, e); diff != "" {
					t.Errorf("audit entry (-want +got):\n%s", diff)
				}
				if e.At.Location() != time.UTC {
					t.Errorf("entry time %v is not in UTC", e.At)
				}
				if events[st.action] {
					if n := s.entryRows(e.Seq); n != 0 {
						t.Errorf("%s entry has %d record rows, want none", st.action, n)
					}
				} else if got := s.recomputedHash(e.Seq); got != e.StateHash {
					t.Errorf("state hash %s, recomputed from the rows %s", e.StateHash, got)
				}
			})
			if !ok {
				break
			}
		}
	})
}

// TestAuditStateHash checks that every write entry's hash is reproducible from the
// database alone, and that a row edited or deleted behind the server's back no longer
// matches its entry (what `caseroom audit verify` builds on). A reveal is a write: its
// reason is a row the hash covers.
func TestAuditStateHash(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		lc := newLinkCase(t, s)
		f := lc.fixture
		s1 := f.doc(f.ctx, caseroom.NewDocument{Kind: "statement", Title: "Statement", Text: "The original words.", Giver: "V-0001",
			RecordedAt: ptr(recorded), Present: []caseroom.Presence{{Person: lc.suspect.ID}}})
		l1 := f.link(caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: s1.Ref, Confidence: ptr(0.5)})
		f.link(caseroom.NewLink{From: lc.buyer.ID, To: lc.shop.ID, Type: "member_of", Source: s1.Ref, Confidence: ptr(1.0), Since: "2020"})
		if _, err := s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{Name: "hidden"}); err != nil { // an event entry
			t.Fatal(err)
		}
		if _, err := s.DB.RevealIdentity(f.ctx, f.c.ID, "V-0001", "Safeguarding visit."); err != nil { // a write entry
			t.Fatal(err)
		}
		reveal := s.lastEntry()
		if reveal.Action != "identity.reveal" {
			t.Fatalf("last entry after a reveal is %s", reveal.Action)
		}

		// Entries that create no rows: the hash is of a value not stored.
		events := map[string]bool{"vault.init": true, "person.search.name": true, "vault.rotate": true}
		entryOf := map[string]int64{} // object id -> seq of the write that created it
		mismatched := func() []int64 {
			t.Helper()
			var bad []int64
			writes, nevents := 0, 0
			for _, e := range s.entries() {
				if events[e.Action] {
					nevents++
					continue
				}
				writes++
				if _, ok := entryOf[e.ObjectID]; !ok {
					entryOf[e.ObjectID] = e.Seq
				}
				if s.recomputedHash(e.Seq) != e.StateHash {
					bad = append(bad, e.Seq)
				}
			}
			if writes < 13 || nevents != 2 {
				t.Fatalf("checked %d write and %d event entries; the scenario should have made at least 13 and exactly 2", writes, nevents)
			}
			return bad
		}
		if bad := mismatched(); len(bad) != 0 {
			t.Fatalf("entries %v do not match the stored rows before any tampering", bad)
		}

		var want []int64
		for _, tc := range []struct {
			name  string
			entry func() int64
			query string
			args  []any
		}{
			{"a statement's text", func() int64 { return entryOf[s1.ID] }, `UPDATE documents SET body = ? WHERE id = ?`, []any{"Words never said.", s1.ID}},
			{"a victim's name", func() int64 { return entryOf[lc.victim.ID] }, `UPDATE person_names SET name = ? WHERE person_id = ?`, []any{"Someone Else", lc.victim.ID}},
			{"a link's confidence", func() int64 { return entryOf[l1.ID] }, `UPDATE links SET confidence = ? WHERE id = ?`, []any{1.0, l1.ID}},
			{"a deleted organisation", func() int64 { return entryOf[lc.shop.ID] }, `DELETE FROM organisations WHERE id = ?`, []any{lc.shop.ID}},
			{"a name's blind-index token", func() int64 { return entryOf[lc.suspect.ID] }, `UPDATE blind_index SET token = ? WHERE person_id = ?`,
				[]any{"00000000000000000000000000000000", lc.suspect.ID}},
			{"a reveal's reason", func() int64 { return reveal.Seq }, `UPDATE identity_access SET reason = ? WHERE entry = ?`, []any{"Routine.", reveal.Seq}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s.exec(tc.query, tc.args...)
				want = appendSorted(want, tc.entry())
				if diff := cmp.Diff(want, mismatched()); diff != "" {
					t.Errorf("entries that no longer match (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func appendSorted(xs []int64, x int64) []int64 {
	xs = append(xs, x)
	for i := len(xs) - 1; i > 0 && xs[i] < xs[i-1]; i-- {
		xs[i], xs[i-1] = xs[i-1], xs[i]
	}
	return xs
}

func TestFindAuditEntries(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		a := newFixture(t, s, "alice", "Operation Alpha")
		b := newFixture(t, s, "bob", "Operation Bravo")
		a.complaint("Alpha complaint")
		b.complaint("Bravo complaint")
		a.suspect("Gul Khan")
		viewer := mustUser(t, s, "viewer")
		a.setRole(viewer, caseroom.RoleInvestigator)
		root, err := s.DB.CreateUser(console, caseroom.NewUser{Name: "root", Password: "a long admin password", Admin: true})
		if err != nil {
			t.Fatal(err)
		}

		all := s.entries()
		var alpha []*caseroom.AuditEntry
		for _, e := range all {
			if e.CaseID == a.c.ID {
				alpha = append(alpha, e)
			}
		}
		// Opening the case, the complaint, the suspect, the viewer's membership.
		if len(alpha) != 4 || alpha[0].Action != "case.create" {
			t.Fatalf("case entries = %d starting %q, want 4 starting case.create", len(alpha), alpha[0].Action)
		}

		for _, role := range caseroom.Roles {
			t.Run(string(role), func(t *testing.T) {
				a.in(t).setRole(viewer, role)
				got, err := s.DB.FindAuditEntries(as(viewer), caseroom.AuditFilter{CaseID: a.c.ID, After: -1})
				switch role {
				case caseroom.RoleLead, caseroom.RoleProsecutor, caseroom.RoleOversight:
					if err != nil {
						t.Fatal(err)
					}
					// The case's entries so far, including the role changes of this test.
					var want []*caseroom.AuditEntry
					for _, e := range s.entries() {
						if e.CaseID == a.c.ID {
							want = append(want, e)
						}
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("case entries (-want +got):\n%s", diff)
					}
				default:
					checkError(t, err, caseroom.EFORBIDDEN, "")
				}
			})
		}

		t.Run("whole log", func(t *testing.T) {
			for _, u := range []*caseroom.User{a.lead, viewer} {
				_, err := s.DB.FindAuditEntries(as(u), caseroom.AuditFilter{After: -1})
				checkError(t, err, caseroom.EFORBIDDEN, "")
			}
			got, err := s.DB.FindAuditEntries(as(root), caseroom.AuditFilter{After: -1})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s.entries(), got); diff != "" {
				t.Errorf("whole log for an administrator (-console +admin):\n%s", diff)
			}
			if _, err := s.DB.FindAuditEntries(context.Background(), caseroom.AuditFilter{After: -1}); caseroom.ErrorCode(err) != caseroom.EUNAUTHORIZED {
				t.Errorf("reading the log signed out: %v, want unauthorized", err)
			}
		})
		t.Run("after and limit", func(t *testing.T) {
			got, err := s.DB.FindAuditEntries(as(root), caseroom.AuditFilter{After: 2, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(all[3:6], got); diff != "" {
				t.Errorf("entries after 2, at most 3 (-want +got):\n%s", diff)
			}
			got, err = s.DB.FindAuditEntries(as(a.lead), caseroom.AuditFilter{CaseID: a.c.ID, After: alpha[1].Seq, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(alpha[2:4], got); diff != "" {
				t.Errorf("case entries after %d, at most 2 (-want +got):\n%s", alpha[1].Seq, diff)
			}
		})
	})
}

// idOr returns the id of what a step made, or the step's error; the id is read only
// when there was no error, as the result is nil then.
func idOr(err error, id func() string) (string, error) {
	if err != nil {
		return "", err
	}
	return id(), nil
}

// TestAddWitnessRefusals checks that who may register a witness is decided before the
// key is read: anyone but an administrator gets EFORBIDDEN, however malformed the key,
// and only an administrator is told that a key is malformed.
func TestAddWitnessRefusals(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		pat := mustUser(t, s, "pat")
		wk, err := audit.GenerateWitnessKey("court.example/witness")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			ctx  context.Context
			key  string
			code string
		}{
			{"a user, a malformed key", as(pat), "not a key", caseroom.EFORBIDDEN},
			{"a user, no key", as(pat), "", caseroom.EFORBIDDEN},
			{"a user, a good key", as(pat), wk.VerifierKey(), caseroom.EFORBIDDEN},
			{"nobody signed in, a malformed key", context.Background(), "not a key", caseroom.EUNAUTHORIZED},
			{"an administrator, a malformed key", console, "not a key", caseroom.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				refused(t, s.within(t), tc.code, "", func() error {
					_, err := s.DB.AddWitness(tc.ctx, tc.key)
					return err
				})
			})
		}
		if _, err := s.DB.AddWitness(console, wk.VerifierKey()); err != nil {
			t.Errorf("an administrator, a good key: %v", err)
		}
	})
}
