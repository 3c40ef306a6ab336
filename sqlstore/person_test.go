package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"caseroom"
)

// ignorePersonIdentity ignores what the store makes up: ids and times.
var ignorePersonIdentity = cmpopts.IgnoreFields(caseroom.Person{}, "ID", "CreatedAt")

func TestRegisterPerson(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		c1 := f.complaint("First complaint")
		c2 := f.complaint("Second complaint")

		// As the API receives it: aliases as plain strings and as objects.
		body := fmt.Sprintf(`{
			"names": [{"name": "Rashid Mehmood", "script": "Latn", "source": "C-1"},
			          {"name": "راشد محمود", "script": "Arab", "source": %q}],
			"aliases": ["Kala", {"alias": "Billa", "kind": "urf", "source": "C-2"}],
			"roles": ["witness", "suspect", "witness"],
			"sex": "male", "ageBand": "30-39"}`, c2.ID)
		var np caseroom.NewPerson
		if err := json.Unmarshal([]byte(body), &np); err != nil {
			t.Fatal(err)
		}
		got := f.person(f.ctx, np)
		want := &caseroom.Person{
			CaseID: f.c.ID,
			Names: []caseroom.PersonName{
				{Name: "Rashid Mehmood", Script: "Latn", Source: c1.Ref},
				{Name: "راشد محمود", Script: "Arab", Source: c2.Ref}, // given by id, shown by reference
			},
			Aliases: []caseroom.Alias{{Alias: "Kala", Kind: "alias"}, {Alias: "Billa", Kind: "urf", Source: "C-2"}},
			// Roles are listed in the order of caseroom.PersonRoles, each once.
			Roles:       []caseroom.PersonRole{caseroom.PersonSuspect, caseroom.PersonWitness},
			Sex:         "male",
			AgeBand:     "30-39",
			Identifiers: []caseroom.Identifier{},
			RecordedBy:  "alice",
		}
		if diff := cmp.Diff(want, got, ignorePersonIdentity); diff != "" {
			t.Errorf("registered person (-want +got):\n%s", diff)
		}
		if got.Pseudonym != "" {
			t.Errorf("a suspect got the pseudonym %s", got.Pseudonym)
		}
		found, err := s.DB.FindPerson(f.ctx, f.c.ID, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, found); diff != "" {
			t.Errorf("FindPerson differs from RegisterPerson (-registered +found):\n%s", diff)
		}

		t.Run("known only by an alias", func(t *testing.T) {
			f := f.in(t)
			p := f.person(f.ctx, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Chacha", Kind: "urf"}}, Roles: []caseroom.PersonRole{"suspect"}})
			if len(p.Names) != 0 || len(p.Aliases) != 1 || p.Aliases[0].Alias != "Chacha" {
				t.Errorf("person = %+v", p)
			}
		})
		t.Run("an unidentified victim", func(t *testing.T) {
			f := f.in(t)
			p := f.person(f.ctx, caseroom.NewPerson{Roles: []caseroom.PersonRole{"victim"}, Sex: "female", AgeBand: "10-14"})
			// Every victim is shown withheld, even one with nothing to withhold, so
			// that the flag says nothing about whether the identity is known.
			if p.Pseudonym != "V-0001" || len(p.Names) != 0 || !p.IdentityHidden || p.Sex != "female" || p.AgeBand != "10-14" {
				t.Errorf("unidentified victim = %+v, want V-0001, female, 10-14, identity withheld", p)
			}
		})
		t.Run("a victim, withheld from the lead who registers them", func(t *testing.T) {
			f := f.in(t)
			np := caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Shazia Parveen", Script: "Latn", Source: "C-1"}},
				Aliases: []caseroom.Alias{{Alias: "Shazi"}}, Roles: []caseroom.PersonRole{"victim"}, Sex: "female", DateOfBirth: "2012-05-01"}
			p := f.person(f.ctx, np)
			want := &caseroom.Person{CaseID: f.c.ID, Pseudonym: "V-0002", Names: []caseroom.PersonName{}, Aliases: []caseroom.Alias{},
				Roles: []caseroom.PersonRole{caseroom.PersonVictim}, Sex: "female", Identifiers: []caseroom.Identifier{}, RecordedBy: "alice",
				IdentityHidden: true}
			if diff := cmp.Diff(want, p, ignorePersonIdentity); diff != "" {
				t.Errorf("registered victim (-want +got):\n%s", diff)
			}
			// What was given is kept, and shown through a reveal.
			full, err := s.DB.RevealIdentity(f.ctx, f.c.ID, p.ID, "Checking the registration.")
			if err != nil {
				t.Fatal(err)
			}
			want.Names = []caseroom.PersonName{{Name: "Shazia Parveen", Script: "Latn", Source: c1.Ref}}
			want.Aliases = []caseroom.Alias{{Alias: "Shazi", Kind: "alias"}}
			want.DateOfBirth, want.IdentityHidden = "2012-05-01", false
			if diff := cmp.Diff(want, full, ignorePersonIdentity); diff != "" {
				t.Errorf("revealed victim (-want +got):\n%s", diff)
			}
		})

		tomorrow := time.Now().AddDate(0, 0, 2).Format("2006-01-02")
		named := []caseroom.PersonName{{Name: "Gul Khan"}}
		suspect := []caseroom.PersonRole{"suspect"}
		for _, tc := range []struct {
			name  string
			np    caseroom.NewPerson
			field string
		}{
			{"no role", caseroom.NewPerson{Names: named}, "roles"},
			{"an unknown role", caseroom.NewPerson{Names: named, Roles: []caseroom.PersonRole{"suspect", "boss"}}, "roles[1]"},
			{"a suspect with neither name nor alias", caseroom.NewPerson{Roles: suspect, Sex: "male"}, "names"},
			{"an empty name", caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "  "}}, Roles: suspect}, "names[0].name"},
			{"a bad script", caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "A"}, {Name: "B", Script: "latin"}}, Roles: suspect}, "names[1].script"},
			{"an unknown name source", caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "A", Source: "S-9"}}, Roles: suspect}, "names[0].source"},
			{"a name source that is no reference", caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "A", Source: "the FIR"}}, Roles: suspect}, "names[0].source"},
			{"an empty alias", caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: ""}}, Roles: suspect}, "aliases[0].alias"},
			{"an unknown alias kind", caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Kala", Kind: "nickname"}}, Roles: suspect}, "aliases[0].kind"},
			{"an unknown alias source", caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Kala", Source: "C-99"}}, Roles: suspect}, "aliases[0].source"},
			{"an unknown sex", caseroom.NewPerson{Names: named, Roles: suspect, Sex: "f"}, "sex"},
			{"a date of birth not a date", caseroom.NewPerson{Names: named, Roles: suspect, DateOfBirth: "03/02/2011"}, "dateOfBirth"},
			{"a date of birth in the future", caseroom.NewPerson{Names: named, Roles: suspect, DateOfBirth: tomorrow}, "dateOfBirth"},
			{"a long age band", caseroom.NewPerson{Names: named, Roles: suspect, AgeBand: strings.Repeat("9", 21)}, "ageBand"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, caseroom.EINVALID, tc.field, func() error {
					_, err := s.DB.RegisterPerson(f.ctx, f.c.ID, tc.np)
					return err
				})
			})
		}
	})
}

func TestAppendToPerson(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")
		p := f.suspect("Gul Khan")

		got, err := s.DB.AddName(f.ctx, f.c.ID, p.ID, caseroom.PersonName{Name: " گل خان ", Script: "Arab", Source: src.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AddAlias(f.ctx, f.c.ID, p.ID, caseroom.Alias{Alias: "Kala"}); err != nil {
			t.Fatal(err)
		}
		if got, err = s.DB.AddRole(f.ctx, f.c.ID, p.ID, caseroom.PersonComplainant); err != nil {
			t.Fatal(err)
		}
		want := &caseroom.Person{
			ID: p.ID, CaseID: f.c.ID, CreatedAt: p.CreatedAt, RecordedBy: "alice",
			Names:       []caseroom.PersonName{{Name: "Gul Khan", Script: "Latn"}, {Name: "گل خان", Script: "Arab", Source: src.Ref}},
			Aliases:     []caseroom.Alias{{Alias: "Kala", Kind: "alias"}},
			Roles:       []caseroom.PersonRole{caseroom.PersonSuspect, caseroom.PersonComplainant},
			Identifiers: []caseroom.Identifier{},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("person after appends (-want +got):\n%s", diff)
		}
		if n := s.Count("persons"); n != 1 {
			t.Errorf("persons rows = %d, want 1: appends add rows to the person's lists", n)
		}

		for _, tc := range []struct {
			name        string
			call        func() error
			code, field string
		}{
			{"a name without text", func() error {
				_, err := s.DB.AddName(f.ctx, f.c.ID, p.ID, caseroom.PersonName{Name: " "})
				return err
			}, caseroom.EINVALID, "name"},
			{"a name with an unknown source", func() error {
				_, err := s.DB.AddName(f.ctx, f.c.ID, p.ID, caseroom.PersonName{Name: "G. Khan", Source: "S-4"})
				return err
			}, caseroom.EINVALID, "source"},
			{"a name for an unknown person", func() error {
				_, err := s.DB.AddName(f.ctx, f.c.ID, "per_nobody", caseroom.PersonName{Name: "G. Khan"})
				return err
			}, caseroom.ENOTFOUND, ""},
			{"an alias of an unknown kind", func() error {
				_, err := s.DB.AddAlias(f.ctx, f.c.ID, p.ID, caseroom.Alias{Alias: "Kalu", Kind: "pet name"})
				return err
			}, caseroom.EINVALID, "kind"},
			{"an unknown role", func() error {
				_, err := s.DB.AddRole(f.ctx, f.c.ID, p.ID, "ringleader")
				return err
			}, caseroom.EINVALID, "role"},
			{"a role the person has", func() error {
				_, err := s.DB.AddRole(f.ctx, f.c.ID, p.ID, caseroom.PersonSuspect)
				return err
			}, caseroom.ECONFLICT, "role"},
			{"a role for an unknown pseudonym", func() error {
				_, err := s.DB.AddRole(f.ctx, f.c.ID, "V-0042", caseroom.PersonWitness)
				return err
			}, caseroom.ENOTFOUND, ""},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, tc.code, tc.field, func() error { return tc.call() })
			})
		}
	})
}

func TestVictimPseudonyms(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		victim := caseroom.NewPerson{Roles: []caseroom.PersonRole{caseroom.PersonComplainant, caseroom.PersonVictim}}

		v1 := f.person(f.ctx, victim)
		sus := f.suspect("Gul Khan")
		v2 := f.person(f.ctx, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Chhoti"}}, Roles: []caseroom.PersonRole{"victim"}})
		wit := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Later Victim"}}, Roles: []caseroom.PersonRole{"witness"}})
		for _, tc := range []struct {
			p    *caseroom.Person
			want string
		}{{v1, "V-0001"}, {sus, ""}, {v2, "V-0002"}, {wit, ""}} {
			if tc.p.Pseudonym != tc.want {
				t.Errorf("person %s roles %v: pseudonym %q, want %q", tc.p.ID, tc.p.Roles, tc.p.Pseudonym, tc.want)
			}
		}

		t.Run("a victim role added later takes the next pseudonym", func(t *testing.T) {
			f := f.in(t)
			got, err := s.DB.AddRole(f.ctx, f.c.ID, wit.ID, caseroom.PersonVictim)
			if err != nil {
				t.Fatal(err)
			}
			if got.Pseudonym != "V-0003" {
				t.Errorf("pseudonym = %q, want V-0003", got.Pseudonym)
			}
			if v4 := f.person(f.ctx, victim); v4.Pseudonym != "V-0004" {
				t.Errorf("next victim's pseudonym = %q, want V-0004", v4.Pseudonym)
			}
		})
		t.Run("another role keeps the pseudonym", func(t *testing.T) {
			got, err := s.DB.AddRole(f.ctx, f.c.ID, "V-0002", caseroom.PersonWitness)
			if err != nil {
				t.Fatal(err)
			}
			if got.Pseudonym != "V-0002" || got.ID != v2.ID {
				t.Errorf("person = %s %s, want %s V-0002", got.ID, got.Pseudonym, v2.ID)
			}
			if n := s.Count("pseudonyms"); n != 4 {
				t.Errorf("pseudonyms = %d, want 4", n)
			}
		})
		t.Run("pseudonyms resolve", func(t *testing.T) {
			for ref, id := range map[string]string{"V-0001": v1.ID, "V-0002": v2.ID, "V-0003": wit.ID} {
				p, err := s.DB.FindPerson(f.ctx, f.c.ID, ref)
				if err != nil {
					t.Fatal(err)
				}
				if p.ID != id || p.Pseudonym != ref {
					t.Errorf("FindPerson(%s) = %s %s, want %s", ref, p.ID, p.Pseudonym, id)
				}
			}
			for _, ref := range []string{"V-0009", "V-1", "X-0001", "per_unknown", ""} {
				_, err := s.DB.FindPerson(f.ctx, f.c.ID, ref)
				checkError(t, err, caseroom.ENOTFOUND, "")
			}
		})
		t.Run("each case numbers its own victims", func(t *testing.T) {
			g := newFixture(t, s, "bob", "Operation Bravo")
			w1 := g.person(g.ctx, victim)
			if w1.Pseudonym != "V-0001" {
				t.Errorf("first victim of a second case = %q, want V-0001", w1.Pseudonym)
			}
			p, err := s.DB.FindPerson(g.ctx, g.c.ID, "V-0001")
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != w1.ID {
				t.Errorf("V-0001 of the second case resolved to %s, want %s", p.ID, w1.ID)
			}
			_, err = s.DB.FindPerson(g.ctx, g.c.ID, v1.ID)
			checkError(t, err, caseroom.ENOTFOUND, "")
		})
		t.Run("no reference in a case without persons", func(t *testing.T) {
			g := newFixture(t, s, "carol", "Operation Charlie")
			_, err := s.DB.FindPerson(g.ctx, g.c.ID, "")
			checkError(t, err, caseroom.ENOTFOUND, "")
		})
	})
}

// redacted is what every member gets for a victim outside a reveal.
func redacted(p *caseroom.Person) *caseroom.Person {
	r := *p
	r.Names, r.Aliases, r.Identifiers, r.DateOfBirth, r.IdentityHidden = []caseroom.PersonName{}, []caseroom.Alias{}, []caseroom.Identifier{}, "", true
	return &r
}

// TestIdentityRedaction checks, for every role, that reads show no victim's identity
// and record nothing, and that a reveal shows it to those allowed and is refused, and
// recorded, for the others.
func TestIdentityRedaction(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")
		ivy := f.member("ivy", caseroom.RoleInvestigator)
		viewer := mustUser(t, s, "viewer")

		v1 := f.person(f.ctx, caseroom.NewPerson{
			Names:   []caseroom.PersonName{{Name: "Shazia Parveen", Script: "Latn", Source: src.Ref}, {Name: "شازیہ پروین", Script: "Arab"}},
			Aliases: []caseroom.Alias{{Alias: "Shazi"}}, Roles: []caseroom.PersonRole{"victim"},
			Sex: "female", DateOfBirth: "2012-05-01", AgeBand: "10-14"})
		phone, err := s.DB.AddIdentifier(f.ctx, f.c.ID, v1.Pseudonym, caseroom.NewIdentifier{Kind: "phone", Value: "0300 1112223", Source: src.Ref})
		if err != nil {
			t.Fatal(err)
		}
		v2 := f.victim(as(ivy), "Second Victim")
		sus := f.suspect("Gul Khan")
		// rep stands for viewer in the case and represents both victims: as an advocate,
		// viewer sees the two victims and rep, but not the suspect.
		rep := f.representative("Viewer Advocate")
		f.represents(rep, v1, src.Ref)
		f.represents(rep, v2, src.Ref)
		f.setPerson(viewer, caseroom.RoleInvestigator, rep)

		// The victims as recorded, built from what was given, not from what the store shows.
		full1 := *v1
		full1.Names = []caseroom.PersonName{{Name: "Shazia Parveen", Script: "Latn", Source: src.Ref}, {Name: "شازیہ پروین", Script: "Arab"}}
		full1.Aliases = []caseroom.Alias{{Alias: "Shazi", Kind: "alias"}}
		full1.DateOfBirth = "2012-05-01"
		// The response to adding a victim's identifier withholds its value too.
		if phone.Value != "" {
			t.Fatalf("adding a victim's phone echoed its value %q", phone.Value)
		}
		withValue := *phone
		withValue.Value = "+923001112223" // stored in E.164
		full1.Identifiers = []caseroom.Identifier{withValue}
		full1.IdentityHidden = false
		full2 := *v2
		full2.Names = []caseroom.PersonName{{Name: "Second Victim", Script: "Latn"}}
		full2.IdentityHidden = false
		full := map[string]*caseroom.Person{v1.ID: &full1, v2.ID: &full2}
		for _, v := range []*caseroom.Person{v1, v2} {
			if diff := cmp.Diff(redacted(full[v.ID]), v); diff != "" {
				t.Errorf("registration of %s shows (-withheld +got):\n%s", v.Pseudonym, diff)
			}
		}

		for _, tc := range []struct {
			user *caseroom.User
			role caseroom.Role // "" keeps the user's role
			// revealsV1 and revealsV2 say whose identity the member may reveal.
			revealsV1, revealsV2 bool
		}{
			{viewer, caseroom.RoleInvestigator, false, false},
			{viewer, caseroom.RoleIndexer, false, false},
			{viewer, caseroom.RoleProsecutor, false, false},
			{viewer, caseroom.RoleOversight, false, false},
			{viewer, caseroom.RoleAdvocate, false, false},
			{viewer, caseroom.RoleExaminer, false, false},
			{viewer, caseroom.RoleLead, true, true},
			{viewer, caseroom.RoleProtection, true, true},
			{viewer, caseroom.RoleMedical, true, true},
			{ivy, "", false, true},   // the investigator who recorded V-0002
			{f.lead, "", true, true}, // the lead who opened the case
		} {
			t.Run(fmt.Sprintf("%s as %s", tc.user.Name, tc.role), func(t *testing.T) {
				f := f.in(t)
				if tc.role != "" {
					f.setRole(tc.user, tc.role)
				}
				ctx := as(tc.user)
				before := len(s.entries())

				// Reads withhold every victim's identity and record nothing.
				ps, err := s.DB.FindPersons(ctx, f.c.ID, caseroom.PersonFilter{})
				if err != nil {
					t.Fatal(err)
				}
				want := []*caseroom.Person{redacted(&full1), redacted(&full2), sus, rep}
				if tc.role == caseroom.RoleAdvocate {
					want = []*caseroom.Person{redacted(&full1), redacted(&full2), rep}
				}
				if diff := cmp.Diff(want, ps); diff != "" {
					t.Errorf("FindPersons (-want +got):\n%s", diff)
				}
				for _, ref := range []string{"V-0001", v1.ID} {
					p, err := s.DB.FindPerson(ctx, f.c.ID, ref)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(redacted(&full1), p); diff != "" {
						t.Errorf("FindPerson(%s) (-want +got):\n%s", ref, diff)
					}
				}
				if es := s.entries(); len(es) != before {
					t.Errorf("reads appended audit entries: %+v", es[before:])
				}

				// Reveals show the identity or are refused; both are recorded.
				accessBefore := s.Count("identity_access")
				for _, v := range []struct {
					ref     string
					id      string
					allowed bool
				}{{"V-0001", v1.ID, tc.revealsV1}, {v2.ID, v2.ID, tc.revealsV2}} {
					p, err := s.DB.RevealIdentity(ctx, f.c.ID, v.ref, "Reason of "+tc.user.Name)
					action := "identity.reveal"
					if v.allowed {
						if err != nil {
							t.Fatalf("reveal %s: %v", v.ref, err)
						}
						if diff := cmp.Diff(full[v.id], p); diff != "" {
							t.Errorf("reveal %s (-want +got):\n%s", v.ref, diff)
						}
					} else {
						checkError(t, err, caseroom.EFORBIDDEN, "")
						if p != nil {
							t.Errorf("a refused reveal returned %+v", p)
						}
						action = "identity.reveal.refused"
					}
					e := s.lastEntry()
					if e.Action != action || e.Actor != tc.user.Name || e.ObjectKind != "person" || e.ObjectID != v.id || e.CaseID != f.c.ID {
						t.Errorf("after reveal of %s: last entry %+v, want %s of %s by %s", v.ref, e, action, v.id, tc.user.Name)
					}
				}
				if es := s.entries(); len(es) != before+2 {
					t.Errorf("two reveals appended %d audit entries, want 2", len(es)-before)
				}
				if n := s.Count("identity_access"); n != accessBefore+2 {
					t.Errorf("two reveals added %d identity_access rows, want 2", n-accessBefore)
				}
			})
		}
	})
}

// TestVictimIdentityNeverReachesInvestigator marshals everything an investigator can
// read about a case, and everything the lead reads without a reveal, and the audit log,
// and checks that no trace of a victim's identity is in any of it.
func TestVictimIdentityNeverReachesInvestigator(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		ivan := f.member("ivan", caseroom.RoleInvestigator)
		inv := as(ivan)
		canaries := []string{"Canarywala", "canarywala", "کنیری", "Canarykins", "canarykins", "2011-02-03", "7654321", "canary.mail"}

		src := f.complaint("First complaint")
		v := f.person(f.ctx, caseroom.NewPerson{
			Names:   []caseroom.PersonName{{Name: "Noorzadi Canarywala", Script: "Latn", Source: src.Ref}, {Name: "نورزادی کنیری", Script: "Arab"}},
			Aliases: []caseroom.Alias{{Alias: "Canarykins", Kind: "urf"}}, Roles: []caseroom.PersonRole{"victim", "complainant"},
			Sex: "female", DateOfBirth: "2011-02-03"})
		phone, err := s.DB.AddIdentifier(f.ctx, f.c.ID, v.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+92 333 7654321", Source: src.Ref})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AddIdentifier(f.ctx, f.c.ID, v.ID, caseroom.NewIdentifier{Kind: "email", Value: "Canary.Mail@example.pk", Source: src.Ref}); err != nil {
			t.Fatal(err)
		}
		mother := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Razia Bibi"}}, Roles: []caseroom.PersonRole{"guardian"}})
		sus := f.suspect("Gul Khan")
		s1 := f.doc(f.ctx, caseroom.NewDocument{Kind: "statement", Title: "Statement of V-0001", Text: "The witness describes the events.",
			Giver: v.Pseudonym, RecordedAt: ptr(recorded), Present: []caseroom.Presence{{Person: mother.ID, Capacity: "guardian"}}})
		f.doc(f.ctx, caseroom.NewDocument{Kind: "statement", Title: "Statement of the mother", Text: "The mother describes the events.",
			Giver: mother.ID, RecordedAt: ptr(recorded), Present: []caseroom.Presence{{Person: v.ID, Capacity: "child"}}, Interpreter: v.ID})
		f.link(caseroom.NewLink{From: v.Pseudonym, To: sus.ID, Type: "knows", Source: s1.Ref, Confidence: ptr(0.9)})
		f.link(caseroom.NewLink{From: phone.ID, To: sus.ID, Type: "called", Source: s1.Ref, Confidence: ptr(1.0)})
		f.link(caseroom.NewLink{From: mother.ID, To: v.ID, Type: "guardian_of", Source: s1.Ref, Confidence: ptr(1.0)})

		seen := map[string]any{}
		read := func(name string, v any, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			seen[name] = v
		}
		ps, err := s.DB.FindPersons(inv, f.c.ID, caseroom.PersonFilter{})
		read("FindPersons", ps, err)
		ps, err = s.DB.FindPersons(inv, f.c.ID, caseroom.PersonFilter{Name: "Noorzadi Canarywala"})
		read("FindPersons(name)", ps, err)
		if len(ps) != 0 {
			t.Errorf("an investigator's search for the victim's name found %d persons", len(ps))
		}
		p, err := s.DB.FindPerson(inv, f.c.ID, "V-0001")
		read("FindPerson", p, err)
		ds, err := s.DB.FindDocuments(inv, f.c.ID, caseroom.DocumentFilter{})
		read("FindDocuments", ds, err)
		d, err := s.DB.FindDocument(inv, f.c.ID, s1.Ref)
		read("FindDocument", d, err)
		ls, err := s.DB.FindLinks(inv, f.c.ID, caseroom.LinkFilter{})
		read("FindLinks", ls, err)
		ls, err = s.DB.FindLinks(inv, f.c.ID, caseroom.LinkFilter{Entity: "V-0001"})
		read("FindLinks(V-0001)", ls, err)
		p, err = s.DB.AddAlias(inv, f.c.ID, "V-0001", caseroom.Alias{Alias: "Munni"})
		read("AddAlias", p, err)
		p, err = s.DB.AddRole(inv, f.c.ID, "V-0001", caseroom.PersonWitness)
		read("AddRole", p, err)
		d, err = s.DB.RegisterDocument(inv, f.c.ID, caseroom.NewDocument{Kind: "statement", Title: "Further statement", Text: "More.",
			Giver: "V-0001", RecordedAt: ptr(recorded), Present: []caseroom.Presence{{Person: "V-0001", Capacity: "self"}}})
		read("RegisterDocument", d, err)
		l, err := s.DB.RecordLink(inv, f.c.ID, caseroom.NewLink{From: "V-0001", To: mother.ID, Type: "related_to", Source: "S-1", Confidence: ptr(1.0)})
		read("RecordLink", l, err)

		// Asking to see the identity is refused, and the refusal recorded.
		p, err = s.DB.RevealIdentity(inv, f.c.ID, "V-0001", "I am curious.")
		checkError(t, err, caseroom.EFORBIDDEN, "")
		seen["RevealIdentity"] = []any{p, caseroom.ErrorMessage(err)}
		if e := s.lastEntry(); e.Action != "identity.reveal.refused" || e.Actor != "ivan" || e.ObjectID != v.ID {
			t.Errorf("after the refused reveal, last entry = %+v", e)
		}
		_, err = s.DB.FindIdentityAccess(inv, f.c.ID, "V-0001")
		checkError(t, err, caseroom.EFORBIDDEN, "")

		// No read shows the lead the identity either; only a reveal does.
		ps, err = s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{})
		read("lead: FindPersons", ps, err)
		ps, err = s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{Name: "canarywala"})
		read("lead: FindPersons(name)", ps, err)
		if len(ps) != 1 || ps[0].ID != v.ID {
			t.Errorf("the lead's search for the victim's name found %v, want V-0001", ps)
		}
		p, err = s.DB.FindPerson(f.ctx, f.c.ID, v.ID)
		read("lead: FindPerson", p, err)
		ls, err = s.DB.FindLinks(f.ctx, f.c.ID, caseroom.LinkFilter{})
		read("lead: FindLinks", ls, err)
		ds, err = s.DB.FindDocuments(f.ctx, f.c.ID, caseroom.DocumentFilter{})
		read("lead: FindDocuments", ds, err)
		revealed, err := s.DB.RevealIdentity(f.ctx, f.c.ID, "V-0001", "Protection planning.")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.DB.FindIdentityAccess(f.ctx, f.c.ID, "V-0001")
		read("lead: FindIdentityAccess", rep, err)
		seen["audit log"] = s.entries()

		for name, v := range seen {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range canaries {
				if strings.Contains(string(b), c) {
					t.Errorf("%s shows %q: %s", name, c, b)
				}
			}
		}

		// The control: the lead's reveal shows every canary, so the check above can fail.
		b, _ := json.Marshal(revealed)
		for _, c := range []string{"Canarywala", "کنیری", "Canarykins", "2011-02-03", "7654321", "canary.mail", "Munni"} {
			if !strings.Contains(string(b), c) {
				t.Errorf("the lead's reveal does not show %q; the canary is not where the test expects it", c)
			}
		}
	})
}

func TestFindPersonsByQuery(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		inv := as(f.member("ivan", caseroom.RoleInvestigator))
		src := f.complaint("First complaint")
		sus := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Gul Khan", Script: "Latn"}},
			Aliases: []caseroom.Alias{{Alias: "Guli Bhai", Kind: "urf"}}, Roles: []caseroom.PersonRole{"suspect"}})
		other := f.suspect("Rashid Mehmood")
		v := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Shazia Parveen"}}, Roles: []caseroom.PersonRole{"victim"}})
		for _, ni := range []caseroom.NewIdentifier{
			{Kind: "phone", Value: "+92 300 1234567", Source: src.Ref},
			{Kind: "handle", Value: "guli.bhai.77", Service: "Skype", Source: src.Ref},
		} {
			if _, err := s.DB.AddIdentifier(f.ctx, f.c.ID, sus.ID, ni); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.DB.AddIdentifier(f.ctx, f.c.ID, v.ID, caseroom.NewIdentifier{Kind: "phone", Value: "0333-7654321", Source: src.Ref}); err != nil {
			t.Fatal(err)
		}
		ids := func(ctx context.Context, filter caseroom.PersonFilter) []string {
			t.Helper()
			ps, err := s.DB.FindPersons(ctx, f.c.ID, filter)
			if err != nil {
				t.Fatalf("find persons %+v: %v", filter, err)
			}
			out := []string{}
			for _, p := range ps {
				out = append(out, p.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name, q   string
			lead, inv []string
		}{
			{"a name", "gul khan", []string{sus.ID}, []string{sus.ID}},
			{"part of an alias", "Guli", []string{sus.ID}, []string{sus.ID}},
			{"a phone number written another way", "+92-300-123 4567", []string{sus.ID}, []string{sus.ID}},
			{"a handle", "guli.bhai.77", []string{sus.ID}, []string{sus.ID}},
			{"a handle with an @ and capitals", "@Guli.Bhai.77", []string{sus.ID}, []string{sus.ID}},
			{"a pseudonym", "V-0001", []string{v.ID}, []string{v.ID}},
			{"a pseudonym as typed", "v1", []string{v.ID}, []string{v.ID}},
			{"a victim's name", "Shazia", []string{v.ID}, []string{}},
			{"a victim's phone", "03337654321", []string{v.ID}, []string{}},
			{"nobody", "Nobody Known", []string{}, []string{}},
			{"part of a phone number", "1234567", []string{}, []string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.lead, ids(f.ctx, caseroom.PersonFilter{Query: tc.q})); diff != "" {
					t.Errorf("lead's search for %q (-want +got):\n%s", tc.q, diff)
				}
				if diff := cmp.Diff(tc.inv, ids(inv, caseroom.PersonFilter{Query: tc.q})); diff != "" {
					t.Errorf("investigator's search for %q (-want +got):\n%s", tc.q, diff)
				}
			})
		}
		// Filters given together must all match.
		if got := ids(f.ctx, caseroom.PersonFilter{Query: "Rashid", Role: caseroom.PersonVictim}); len(got) != 0 {
			t.Errorf("a suspect's name with the role victim found %v", got)
		}
		if diff := cmp.Diff([]string{other.ID}, ids(f.ctx, caseroom.PersonFilter{Query: "Rashid", Role: caseroom.PersonSuspect})); diff != "" {
			t.Errorf("name and role (-want +got):\n%s", diff)
		}

		// The search is audited, without what was searched for.
		before := len(s.entries())
		ids(inv, caseroom.PersonFilter{Query: "+92 300 1234567"})
		entries := s.entries()
		if len(entries) != before+1 || entries[len(entries)-1].Action != "person.search.name" || entries[len(entries)-1].Actor != "ivan" {
			t.Errorf("after a search, the audit log grew by %d, last %+v", len(entries)-before, entries[len(entries)-1])
		}
		b, _ := json.Marshal(entries[len(entries)-1])
		if strings.Contains(string(b), "1234567") {
			t.Errorf("the audit entry shows the query: %s", b)
		}

		for _, q := range []string{"", "   ", strings.Repeat("a", 301), "a b c d e f g h i j k l m"} {
			_, err := s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{Query: q})
			if q == "" {
				if err != nil {
					t.Errorf("an empty query (no filter): %v", err)
				}
				continue
			}
			checkError(t, err, caseroom.EINVALID, "q")
		}
	})
}
