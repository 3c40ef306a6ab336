package sqlstore_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"caseroom"
)

// TestRevealIdentity checks who may see a victim's identity, that a reason is
// required, that every request, granted or refused, is recorded with its reason, and
// who may read the list of those requests.
func TestRevealIdentity(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		s.DB.Now = func() time.Time { return now }
		f := newFixture(t, s, "alice", "Operation Alpha")
		ivy := f.member("ivy", caseroom.RoleInvestigator)
		member := map[caseroom.Role]*caseroom.User{caseroom.RoleLead: f.lead, caseroom.RoleInvestigator: ivy}
		for _, m := range []struct {
			name string
			role caseroom.Role
		}{
			{"petra", caseroom.RoleProtection}, {"meena", caseroom.RoleMedical}, {"ehsan", caseroom.RoleExaminer},
			{"omar", caseroom.RoleOversight}, {"parvez", caseroom.RoleProsecutor},
			{"iqbal", caseroom.RoleIndexer},
		} {
			member[m.role] = f.member(m.name, m.role)
		}
		outsider := mustUser(t, s, "olga")

		v1 := f.victim(f.ctx, "Shazia Parveen") // recorded by the lead
		v2 := f.victim(as(ivy), "Amna Bibi")    // recorded by an investigator
		sus := f.suspect("Gul Khan")            // no victim: nothing to withhold
		// amina is both victims' advocate: an advocate sees only her clients, and may read
		// their access lists but not reveal them.
		letter := f.complaint("Letter of authority")
		member[caseroom.RoleAdvocate], _ = f.advocate("amina", letter.Ref, v1, v2)
		if len(member) != len(caseroom.Roles) {
			t.Fatalf("the test gives %d of the %d roles a member", len(member), len(caseroom.Roles))
		}
		names := map[string]string{v1.ID: "Shazia Parveen", v2.ID: "Amna Bibi"}

		// log is what each victim's access list must hold, in order.
		log := map[string][]caseroom.IdentityAccess{}
		// reveal asks as u, in role, to see victim v, and checks the answer and that
		// exactly one audit entry and one access row were committed.
		reveal := func(t *testing.T, u *caseroom.User, role caseroom.Role, v *caseroom.Person, ref, reason string, granted bool) {
			t.Helper()
			now = now.Add(time.Minute)
			before := s.Snapshot()
			p, err := s.DB.RevealIdentity(as(u), f.c.ID, ref, reason)
			action := "identity.reveal"
			if granted {
				if err != nil {
					t.Fatalf("%s (%s) reveals %s: %v", u.Name, role, ref, err)
				}
				if p.ID != v.ID || p.IdentityHidden || len(p.Names) != 1 || p.Names[0].Name != names[v.ID] {
					t.Errorf("%s (%s) reveals %s: %+v, want the name %q", u.Name, role, ref, p, names[v.ID])
				}
			} else {
				checkError(t, err, caseroom.EFORBIDDEN, "")
				if strings.Contains(caseroom.ErrorMessage(err), names[v.ID]) || p != nil {
					t.Errorf("a refusal shows the identity: %v %+v", err, p)
				}
				action = "identity.reveal.refused"
			}
			want := maps.Clone(before)
			want["audit_log"]++
			want["identity_access"]++
			if diff := cmp.Diff(want, s.Snapshot()); diff != "" {
				t.Errorf("%s (%s) reveals %s: rows (-want +got):\n%s", u.Name, role, ref, diff)
			}
			e := s.lastEntry()
			wantEntry := &caseroom.AuditEntry{Seq: e.Seq, At: now, Actor: u.Name, Action: action, ObjectKind: "person", ObjectID: v.ID,
				CaseID: f.c.ID, StateHash: e.StateHash}
			if diff := cmp.Diff(wantEntry, e); diff != "" {
				t.Errorf("%s (%s) reveals %s: audit entry (-want +got):\n%s", u.Name, role, ref, diff)
			}
			if got := s.recomputedHash(e.Seq); got != e.StateHash {
				t.Errorf("the reveal's entry does not hash its rows: %s, recomputed %s", e.StateHash, got)
			}
			log[v.ID] = append(log[v.ID], caseroom.IdentityAccess{User: u.Name, Role: role, Reason: strings.TrimSpace(reason), Granted: granted, At: now})
		}

		t.Run("a reason is required", func(t *testing.T) {
			for _, reason := range []string{"", " \n\t ", strings.Repeat("x", 1001), " " + strings.Repeat("ب", 500) + "x "} {
				t.Run(fmt.Sprintf("%.12q (%d bytes)", reason, len(reason)), func(t *testing.T) {
					refused(t, s, caseroom.EINVALID, "reason", func() error {
						_, err := s.DB.RevealIdentity(f.ctx, f.c.ID, "V-0001", reason)
						return err
					})
				})
			}
			// At most 1000 bytes, counted after trimming.
			reveal(t, f.lead, caseroom.RoleLead, v1, "V-0001", "  "+strings.Repeat("ب", 500)+"\n", true)
		})

		t.Run("who may reveal", func(t *testing.T) {
			for _, tc := range []struct {
				role   caseroom.Role
				v1, v2 bool
			}{
				{caseroom.RoleLead, true, true},
				{caseroom.RoleProtection, true, true},
				{caseroom.RoleMedical, true, true},
				{caseroom.RoleInvestigator, false, true}, // ivy recorded V-0002
				{caseroom.RoleExaminer, false, false},
				{caseroom.RoleOversight, false, false},
				{caseroom.RoleAdvocate, false, false},
				{caseroom.RoleProsecutor, false, false},
				{caseroom.RoleIndexer, false, false},
			} {
				t.Run(string(tc.role), func(t *testing.T) {
					u := member[tc.role]
					reveal(t, u, tc.role, v1, "V-0001", "Reason of "+u.Name+" for V-0001.", tc.v1)
					reveal(t, u, tc.role, v2, v2.ID, "Reason of "+u.Name+" for V-0002.", tc.v2)
				})
			}
		})

		t.Run("a role change applies to the next reveal", func(t *testing.T) {
			f := f.in(t)
			petra := member[caseroom.RoleProtection]
			f.setRole(petra, caseroom.RoleExaminer)
			reveal(t, petra, caseroom.RoleExaminer, v1, "V-0001", "Follow-up visit.", false)
			f.setRole(petra, caseroom.RoleProtection)
			reveal(t, petra, caseroom.RoleProtection, v1, "V-0001", "Follow-up visit.", true)
		})

		t.Run("a person who is no victim is shown and nothing recorded", func(t *testing.T) {
			for _, u := range []*caseroom.User{member[caseroom.RoleExaminer], f.lead} {
				before := s.Snapshot()
				p, err := s.DB.RevealIdentity(as(u), f.c.ID, sus.ID, "")
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(sus, p); diff != "" {
					t.Errorf("%s reveals a suspect (-registered +got):\n%s", u.Name, diff)
				}
				if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
					t.Errorf("revealing a suspect changed the store (-before +after):\n%s", diff)
				}
			}
		})

		t.Run("refused without a trace of the case", func(t *testing.T) {
			other := newFixture(t, s, "bob", "Operation Bravo")
			foreign := other.victim(other.ctx, "Other Case Victim")
			for _, tc := range []struct {
				name string
				code string
				call func() error
			}{
				{"a non-member", caseroom.ENOTFOUND, func() error {
					_, err := s.DB.RevealIdentity(as(outsider), f.c.ID, "V-0001", "Just looking.")
					return err
				}},
				{"an unknown pseudonym", caseroom.ENOTFOUND, func() error {
					_, err := s.DB.RevealIdentity(f.ctx, f.c.ID, "V-0099", "A reason.")
					return err
				}},
				{"another case's victim", caseroom.ENOTFOUND, func() error {
					_, err := s.DB.RevealIdentity(f.ctx, f.c.ID, foreign.ID, "A reason.")
					return err
				}},
				{"a non-member reads the access list", caseroom.ENOTFOUND, func() error {
					_, err := s.DB.FindIdentityAccess(as(outsider), f.c.ID, "V-0001")
					return err
				}},
				{"the access list of an unknown person", caseroom.ENOTFOUND, func() error {
					_, err := s.DB.FindIdentityAccess(f.ctx, f.c.ID, "V-0099")
					return err
				}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					refused(t, s, tc.code, "", tc.call)
				})
			}
		})

		// wantReport is the access list of v as the log says it must be: entries in
		// order, and each user who saw the identity once, in order of first sight.
		wantReport := func(v *caseroom.Person) *caseroom.IdentityAccessReport {
			r := &caseroom.IdentityAccessReport{Person: v.ID, Pseudonym: v.Pseudonym, Viewers: []caseroom.IdentityViewer{}, Entries: log[v.ID]}
			at := map[string]int{}
			for _, a := range log[v.ID] {
				if !a.Granted {
					continue
				}
				i, ok := at[a.User]
				if !ok {
					i = len(r.Viewers)
					at[a.User] = i
					r.Viewers = append(r.Viewers, caseroom.IdentityViewer{User: a.User})
				}
				r.Viewers[i].Reveals++
				r.Viewers[i].Last = a.At
			}
			return r
		}
		ignoreAccessID := cmpopts.IgnoreFields(caseroom.IdentityAccess{}, "ID")

		t.Run("who has seen the identity", func(t *testing.T) {
			rep, err := s.DB.FindIdentityAccess(f.ctx, f.c.ID, "V-0001")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantReport(v1), rep, ignoreAccessID); diff != "" {
				t.Errorf("access list of V-0001 (-want +got):\n%s", diff)
			}
			// Spelled out, so that the list is not only checked against itself.
			var viewers []string
			for _, v := range rep.Viewers {
				viewers = append(viewers, fmt.Sprintf("%s×%d", v.User, v.Reveals))
			}
			if got := strings.Join(viewers, " "); got != "alice×2 petra×2 meena×1" {
				t.Errorf("viewers of V-0001 = %s, want alice×2 petra×2 meena×1", got)
			}
			refusedBy := map[string]int{}
			ids := map[string]bool{}
			for _, e := range rep.Entries {
				if !e.Granted {
					refusedBy[e.User]++
				}
				if e.ID == "" || ids[e.ID] {
					t.Errorf("entry id %q is empty or repeated", e.ID)
				}
				ids[e.ID] = true
			}
			wantRefused := map[string]int{"ivy": 1, "ehsan": 1, "omar": 1, "amina": 1, "parvez": 1, "iqbal": 1, "petra": 1}
			if diff := cmp.Diff(wantRefused, refusedBy); diff != "" {
				t.Errorf("refusals of V-0001 by user (-want +got):\n%s", diff)
			}

			rep2, err := s.DB.FindIdentityAccess(f.ctx, f.c.ID, v2.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantReport(v2), rep2, ignoreAccessID); diff != "" {
				t.Errorf("access list of V-0002 (-want +got):\n%s", diff)
			}
		})

		t.Run("who may read the list", func(t *testing.T) {
			want, err := s.DB.FindIdentityAccess(f.ctx, f.c.ID, v1.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, role := range caseroom.Roles {
				t.Run(string(role), func(t *testing.T) {
					u := member[role]
					before := s.Snapshot()
					got, err := s.DB.FindIdentityAccess(as(u), f.c.ID, "V-0001")
					switch role {
					case caseroom.RoleLead, caseroom.RoleProtection, caseroom.RoleOversight, caseroom.RoleAdvocate:
						if err != nil {
							t.Fatal(err)
						}
						if diff := cmp.Diff(want, got); diff != "" {
							t.Errorf("access list read by %s (-lead's +got):\n%s", role, diff)
						}
					default:
						checkError(t, err, caseroom.EFORBIDDEN, "")
					}
					if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
						t.Errorf("reading the access list changed the store (-before +after):\n%s", diff)
					}
				})
			}
		})
	})
}

// TestFindPersonsByName checks the search by name through the blind index: every
// token must match a name or alias, case and compatibility forms folded; victims are
// found only by those who may reveal them; every search is audited.
func TestFindPersonsByName(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")
		ivy := f.member("ivy", caseroom.RoleInvestigator)
		ian := f.member("ian", caseroom.RoleInvestigator)
		petra := f.member("petra", caseroom.RoleProtection)
		ehsan := f.member("ehsan", caseroom.RoleExaminer)

		gul := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Gul Khan", Script: "Latn"}},
			Aliases: []caseroom.Alias{{Alias: "Kala", Kind: "urf"}}, Roles: []caseroom.PersonRole{"suspect"}})
		if _, err := s.DB.AddIdentifier(f.ctx, f.c.ID, gul.ID, caseroom.NewIdentifier{Kind: "phone", Value: "03001112223", Source: src.Ref}); err != nil {
			t.Fatal(err)
		}
		gulm := f.suspect("Gul Mohammad")
		urdu := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "گل خان", Script: "Arab"}}, Roles: []caseroom.PersonRole{"witness"}})
		// A precomposed é and full-width letters.
		jose := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Jos\u00e9 Ｐｅｒｅｚ"}}, Roles: []caseroom.PersonRole{"witness"}})
		v1 := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Shazia Gul"}}, Aliases: []caseroom.Alias{{Alias: "Shazi"}},
			Roles: []caseroom.PersonRole{"victim"}})
		v2 := f.victim(as(ivy), "Amna Gul")
		other := newFixture(t, s, "bob", "Operation Bravo")
		other.suspect("Gul Khan")

		label := map[string]string{gul.ID: "gul", gulm.ID: "gulm", urdu.ID: "urdu", jose.ID: "jose", v1.ID: "v1", v2.ID: "v2"}
		search := func(t *testing.T, u *caseroom.User, name string, role caseroom.PersonRole) []string {
			t.Helper()
			before := len(s.entries())
			ps, err := s.DB.FindPersons(as(u), f.c.ID, caseroom.PersonFilter{Name: name, Role: role})
			if err != nil {
				t.Fatalf("%s searches %q: %v", u.Name, name, err)
			}
			es := s.entries()
			if len(es) != before+1 {
				t.Fatalf("a search appended %d audit entries, want 1", len(es)-before)
			}
			e := es[before]
			want := &caseroom.AuditEntry{Seq: e.Seq, At: e.At, Actor: u.Name, Action: "person.search.name", ObjectKind: "case", ObjectID: f.c.ID,
				CaseID: f.c.ID, StateHash: e.StateHash}
			if diff := cmp.Diff(want, e); diff != "" {
				t.Errorf("search entry (-want +got):\n%s", diff)
			}
			if n := s.entryRows(e.Seq); n != 0 {
				t.Errorf("a search stored %d rows; it must store nothing of what was searched", n)
			}
			found := []string{}
			for _, p := range ps {
				if p.HasRole(caseroom.PersonVictim) && (!p.IdentityHidden || len(p.Names)+len(p.Aliases) != 0) {
					t.Errorf("a search shows the identity of %s: %+v", p.Pseudonym, p)
				}
				found = append(found, label[p.ID])
			}
			return found
		}

		for _, tc := range []struct {
			name   string
			user   *caseroom.User
			search string
			role   caseroom.PersonRole
			want   []string
		}{
			{"one token", f.lead, "gul", "", []string{"gul", "gulm", "v1", "v2"}},
			{"every token must match", f.lead, "Gul Khan", "", []string{"gul"}},
			{"in any order, any case", f.lead, "KHAN gul", "", []string{"gul"}},
			{"split at punctuation and spaces", f.lead, "  gul-khan. ", "", []string{"gul"}},
			{"whole tokens only", f.lead, "gu", "", []string{}},
			{"a token nobody has", f.lead, "gul ahmed", "", []string{}},
			{"an alias", f.lead, "KALA", "", []string{"gul"}},
			{"Urdu script", f.lead, "گل", "", []string{"urdu"}},
			{"compatibility forms and composition folded", f.lead, "JOSE\u0301 PEREZ", "", []string{"jose"}},
			{"an identifier is not a name", f.lead, "03001112223", "", []string{}},
			{"a victim, by the lead", f.lead, "shazia gul", "", []string{"v1"}},
			{"a victim's alias, by the lead", f.lead, "Shazi", "", []string{"v1"}},
			{"victims only", f.lead, "gul", caseroom.PersonVictim, []string{"v1", "v2"}},
			{"suspects only", f.lead, "gul", caseroom.PersonSuspect, []string{"gul", "gulm"}},
			{"by protection", petra, "gul", "", []string{"gul", "gulm", "v1", "v2"}},
			{"by the officer who recorded one victim", ivy, "gul", "", []string{"gul", "gulm", "v2"}},
			{"another's victim, by an investigator", ivy, "shazia", "", []string{}},
			{"by another investigator", ian, "gul", "", []string{"gul", "gulm"}},
			{"a victim's alias, by an investigator", ian, "shazi", "", []string{}},
			{"by an examiner", ehsan, "amna gul", "", []string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, search(t, tc.user, tc.search, tc.role)); diff != "" {
					t.Errorf("%s searches %q (-want +got):\n%s", tc.user.Name, tc.search, diff)
				}
			})
		}

		t.Run("names and aliases added later", func(t *testing.T) {
			if _, err := s.DB.AddName(f.ctx, f.c.ID, gulm.ID, caseroom.PersonName{Name: "Gul Muhammad Butt"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DB.AddAlias(as(ivy), f.c.ID, v2.ID, caseroom.Alias{Alias: "Chhoti"}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"gulm"}, search(t, f.lead, "butt", "")); diff != "" {
				t.Errorf("a name added later (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"v2"}, search(t, f.lead, "chhoti", "")); diff != "" {
				t.Errorf("an alias added later (-want +got):\n%s", diff)
			}
		})

		outsider := mustUser(t, s, "olga")
		for _, tc := range []struct {
			name   string
			user   *caseroom.User
			filter caseroom.PersonFilter
			code   string
			field  string
		}{
			{"only spaces", f.lead, caseroom.PersonFilter{Name: "   "}, caseroom.EINVALID, "name"},
			{"only punctuation", f.lead, caseroom.PersonFilter{Name: "-?!."}, caseroom.EINVALID, "name"},
			{"an unknown role", f.lead, caseroom.PersonFilter{Name: "gul", Role: "boss"}, caseroom.EINVALID, "role"},
			{"a non-member", outsider, caseroom.PersonFilter{Name: "gul"}, caseroom.ENOTFOUND, ""},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, tc.code, tc.field, func() error {
					_, err := s.DB.FindPersons(as(tc.user), f.c.ID, tc.filter)
					return err
				})
			})
		}
	})
}

// TestRefusedRevealWithoutReasonIsRecorded: a role that may not reveal is refused and
// recorded even when it gives no reason; a role that may is asked for one first.
func TestRefusedRevealWithoutReasonIsRecorded(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		v := f.victim(f.ctx, "Canaryone Bibi")
		inv := f.member("ivan", caseroom.RoleInvestigator)
		before := s.Count("identity_access")
		_, err := s.DB.RevealIdentity(as(inv), f.c.ID, v.Pseudonym, "")
		checkError(t, err, caseroom.EFORBIDDEN, "")
		if got := s.Count("identity_access"); got != before+1 {
			t.Errorf("identity_access has %d rows after the refusal, want %d", got, before+1)
		}
		refused(t, s, caseroom.EINVALID, "reason", func() error {
			_, err := s.DB.RevealIdentity(f.ctx, f.c.ID, v.Pseudonym, " ")
			return err
		})
	})
}
