package sqlstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"caseroom"
)

// TestReopen records a little of everything, restarts the store, and checks that
// everything reads back the same and that numbering carries on where it stopped.
func TestReopen(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		lc := newLinkCase(t, s)
		f := lc.fixture
		ivan := f.member("ivan", caseroom.RoleInvestigator)
		tok, err := s.DB.CreateToken(console, "ivan")
		if err != nil {
			t.Fatal(err)
		}
		f.doc(f.ctx, caseroom.NewDocument{Kind: "statement", Title: "Statement of V-0001", Text: "Text", Giver: "V-0001", RecordedBy: "ivan",
			RecordedAt: ptr(recorded), Language: "pa", Present: []caseroom.Presence{{Person: lc.buyer.ID, Capacity: "uncle"}}})
		f.link(caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Since: "2019", Source: "S-1", Confidence: ptr(0.7)})
		if _, err := s.DB.RegisterLocation(f.ctx, f.c.ID, caseroom.NewLocation{Name: "Police Station", Kind: "station", Within: lc.village.ID,
			Lat: ptr(31.12), Lon: ptr(74.46)}); err != nil {
			t.Fatal(err)
		}

		// read captures what each service returns; reads append no audit entries.
		read := func() map[string]any {
			t.Helper()
			out := map[string]any{}
			must := func(name string, v any, err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				out[name] = v
			}
			out["audit"] = s.entries()
			v, err := s.DB.FindCases(f.ctx)
			must("cases", v, err)
			m, err := s.DB.FindMembers(f.ctx, f.c.ID)
			must("members", m, err)
			d, err := s.DB.FindDocuments(f.ctx, f.c.ID, caseroom.DocumentFilter{})
			must("documents", d, err)
			l, err := s.DB.FindLinks(f.ctx, f.c.ID, caseroom.LinkFilter{})
			must("links", l, err)
			o, err := s.DB.FindOrganisations(f.ctx, f.c.ID)
			must("organisations", o, err)
			loc, err := s.DB.FindLocations(f.ctx, f.c.ID)
			must("locations", loc, err)
			u, err := s.DB.FindUser(f.ctx, "ivan")
			must("user", u, err)
			a, err := s.DB.Authenticate(context.Background(), tok.Secret)
			must("token", a, err)
			p, err := s.DB.FindPersons(as(ivan), f.c.ID, caseroom.PersonFilter{})
			must("persons", p, err)
			return out
		}
		before := read()
		// A reveal appends an entry, so it is compared apart from read.
		revealedBefore, err := s.DB.RevealIdentity(f.ctx, f.c.ID, "V-0001", "Before the restart.")
		if err != nil {
			t.Fatal(err)
		}
		s.Reopen()
		after := read()
		// The restart itself appends nothing (no second vault.init).
		afterAudit, kept := after["audit"].([]*caseroom.AuditEntry), len(before["audit"].([]*caseroom.AuditEntry))
		if len(afterAudit) != kept+1 || afterAudit[kept].Action != "identity.reveal" {
			t.Fatalf("audit log has %d entries after %d, a reveal and a restart; want %d", len(afterAudit), kept, kept+1)
		}
		after["audit"] = afterAudit[:kept]
		if diff := cmp.Diff(before, after, cmpopts.IgnoreUnexported(caseroom.User{})); diff != "" {
			t.Errorf("after a restart (-before +after):\n%s", diff)
		}
		revealedAfter, err := s.DB.RevealIdentity(f.ctx, f.c.ID, "V-0001", "After the restart.")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(revealedBefore, revealedAfter); diff != "" || len(revealedAfter.Names) == 0 {
			t.Errorf("a victim's identity after a restart (-before +after):\n%s", diff)
		}
		if ok, err := s.DB.CheckPassword(context.Background(), "ivan", "pw-ivan-long-enough"); !ok || err != nil {
			t.Errorf("password after restart: %v %v", ok, err)
		}

		n := len(s.entries())
		if d := f.statement(lc.suspect.ID, "After the restart"); d.Ref != "S-2" {
			t.Errorf("first statement after restart = %s, want S-2", d.Ref)
		}
		if v := f.victim(f.ctx, "Another"); v.Pseudonym != "V-0002" {
			t.Errorf("first victim after restart = %s, want V-0002", v.Pseudonym)
		}
		if es := s.entries(); len(es) != n+2 || es[n].Seq != int64(n) || es[n+1].Seq != int64(n+1) {
			t.Errorf("audit log after restart does not continue densely from %d", n)
		}
	})
}
