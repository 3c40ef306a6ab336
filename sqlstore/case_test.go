package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"caseroom"
)

func TestCreateCase(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		alice := mustUser(t, s, "alice")
		c, err := s.DB.CreateCase(as(alice), caseroom.NewCase{Title: "  Operation Kestrel  ", TimeZone: "Asia/Karachi"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Title != "Operation Kestrel" || c.TimeZone != "Asia/Karachi" || c.CreatedBy != "alice" || c.Role != caseroom.RoleLead {
			t.Errorf("created case = %+v, want title trimmed, zone kept, created by alice, role lead", c)
		}
		got, err := s.DB.FindCase(as(alice), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("FindCase differs from CreateCase (-created +found):\n%s", diff)
		}

		t.Run("the creator becomes lead", func(t *testing.T) {
			ms, err := s.DB.FindMembers(as(alice), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []*caseroom.Membership{{CaseID: c.ID, User: "alice", Role: caseroom.RoleLead, AddedBy: "alice", AddedAt: c.CreatedAt}}
			if diff := cmp.Diff(want, ms, cmpopts.IgnoreFields(caseroom.Membership{}, "ID")); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})

		t.Run("time zone defaults to UTC", func(t *testing.T) {
			c, err := s.DB.CreateCase(as(alice), caseroom.NewCase{Title: "Operation Plover"})
			if err != nil {
				t.Fatal(err)
			}
			if c.TimeZone != "UTC" {
				t.Errorf("time zone = %q, want UTC", c.TimeZone)
			}
		})

		for _, tc := range []struct {
			name        string
			ctx         context.Context
			nc          caseroom.NewCase
			code, field string
		}{
			{"no title", as(alice), caseroom.NewCase{Title: "   "}, caseroom.EINVALID, "title"},
			{"a long title", as(alice), caseroom.NewCase{Title: strings.Repeat("x", 201)}, caseroom.EINVALID, "title"},
			{"an unknown time zone", as(alice), caseroom.NewCase{Title: "T", TimeZone: "Mars/Olympus"}, caseroom.EINVALID, "timeZone"},
			{"the console", console, caseroom.NewCase{Title: "T"}, caseroom.EFORBIDDEN, ""},
			{"no one signed in", context.Background(), caseroom.NewCase{Title: "T"}, caseroom.EUNAUTHORIZED, ""},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, tc.code, tc.field, func() error {
					_, err := s.DB.CreateCase(tc.ctx, tc.nc)
					return err
				})
			})
		}
	})
}

func TestFindCasesShowsOnlyMemberCases(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		a := newFixture(t, s, "alice", "Operation Alpha")
		b := newFixture(t, s, "bob", "Operation Bravo")
		carol := mustUser(t, s, "carol")
		a.setRole(b.lead, caseroom.RoleInvestigator)

		for _, tc := range []struct {
			user *caseroom.User
			want []string // "title/role", newest case first
		}{
			{a.lead, []string{"Operation Alpha/lead"}},
			{b.lead, []string{"Operation Bravo/lead", "Operation Alpha/investigator"}},
			{carol, []string{}},
		} {
			t.Run(tc.user.Name, func(t *testing.T) {
				cases, err := s.DB.FindCases(as(tc.user))
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, c := range cases {
					got = append(got, c.Title+"/"+string(c.Role))
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("FindCases (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// TestOutsiderCannotLearnCaseExists checks that every call on a case answers a
// non-member exactly as it answers for a case that does not exist: ENOTFOUND with the
// same message, never EFORBIDDEN.
func TestOutsiderCannotLearnCaseExists(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")
		v := f.victim(f.ctx, "Hidden Person")
		sus := f.suspect("Gul Khan")
		f.link(caseroom.NewLink{From: sus.ID, To: v.Pseudonym, Type: "knows", Source: src.Ref, Confidence: ptr(0.5)})
		out := as(mustUser(t, s, "outsider"))
		const missing = "cas_doesnotexist"

		calls := []struct {
			name string
			call func(caseID string) error
		}{
			{"FindCase", func(id string) error { _, err := s.DB.FindCase(out, id); return err }},
			{"FindMembers", func(id string) error { _, err := s.DB.FindMembers(out, id); return err }},
			{"FindPersons", func(id string) error { _, err := s.DB.FindPersons(out, id, caseroom.PersonFilter{}); return err }},
			{"FindPerson", func(id string) error { _, err := s.DB.FindPerson(out, id, "V-0001"); return err }},
			{"FindDocuments", func(id string) error { _, err := s.DB.FindDocuments(out, id, caseroom.DocumentFilter{}); return err }},
			{"FindDocument", func(id string) error { _, err := s.DB.FindDocument(out, id, "C-1"); return err }},
			{"FindLinks", func(id string) error { _, err := s.DB.FindLinks(out, id, caseroom.LinkFilter{}); return err }},
			{"FindOrganisations", func(id string) error { _, err := s.DB.FindOrganisations(out, id); return err }},
			{"FindLocations", func(id string) error { _, err := s.DB.FindLocations(out, id); return err }},
			{"FindAuditEntries", func(id string) error {
				_, err := s.DB.FindAuditEntries(out, caseroom.AuditFilter{CaseID: id, After: -1})
				return err
			}},
			{"AddMember", func(id string) error {
				_, err := s.DB.AddMember(out, id, caseroom.NewMembership{User: "outsider", Role: caseroom.RoleLead})
				return err
			}},
			{"RegisterPerson", func(id string) error {
				_, err := s.DB.RegisterPerson(out, id, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "X"}}, Roles: []caseroom.PersonRole{"suspect"}})
				return err
			}},
			{"AddName", func(id string) error {
				_, err := s.DB.AddName(out, id, "V-0001", caseroom.PersonName{Name: "X"})
				return err
			}},
			{"AddIdentifier", func(id string) error {
				_, err := s.DB.AddIdentifier(out, id, "V-0001", caseroom.NewIdentifier{Kind: "phone", Value: "+923001234567", Source: "C-1"})
				return err
			}},
			{"RegisterDocument", func(id string) error {
				_, err := s.DB.RegisterDocument(out, id, caseroom.NewDocument{Kind: "complaint", Title: "X", Text: "X"})
				return err
			}},
			{"RecordLink", func(id string) error {
				_, err := s.DB.RecordLink(out, id, caseroom.NewLink{From: sus.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0)})
				return err
			}},
			{"RegisterOrganisation", func(id string) error {
				_, err := s.DB.RegisterOrganisation(out, id, caseroom.NewOrganisation{Name: "X"})
				return err
			}},
			{"RegisterLocation", func(id string) error {
				_, err := s.DB.RegisterLocation(out, id, caseroom.NewLocation{Name: "X"})
				return err
			}},
		}
		for _, tc := range calls {
			t.Run(tc.name, func(t *testing.T) {
				var existing error
				refused(t, s, caseroom.ENOTFOUND, "", func() error {
					existing = tc.call(f.c.ID)
					return existing
				})
				absent := tc.call(missing)
				checkError(t, absent, caseroom.ENOTFOUND, "")
				if got, want := caseroom.ErrorMessage(existing), strings.ReplaceAll(caseroom.ErrorMessage(absent), missing, f.c.ID); got != want {
					t.Errorf("message for an existing case %q differs from a missing one %q", got, want)
				}
			})
		}
	})
}

func TestAddMember(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		ivan := f.member("ivan", caseroom.RoleInvestigator)
		admin, err := s.DB.CreateUser(console, caseroom.NewUser{Name: "root", Password: "a long admin password", Admin: true})
		if err != nil {
			t.Fatal(err)
		}
		mustUser(t, s, "pia")
		mustUser(t, s, "otto")

		t.Run("by the lead", func(t *testing.T) {
			m, err := s.DB.AddMember(f.ctx, f.c.ID, caseroom.NewMembership{User: "pia", Role: caseroom.RoleProsecutor})
			if err != nil {
				t.Fatal(err)
			}
			if m.User != "pia" || m.Role != caseroom.RoleProsecutor || m.AddedBy != "alice" || m.CaseID != f.c.ID {
				t.Errorf("membership = %+v", m)
			}
		})
		t.Run("by an administrator who is not a member", func(t *testing.T) {
			if _, err := s.DB.AddMember(as(admin), f.c.ID, caseroom.NewMembership{User: "otto", Role: caseroom.RoleOversight}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("members listed with roles", func(t *testing.T) {
			ms, err := s.DB.FindMembers(as(ivan), f.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]caseroom.Role{}
			for _, m := range ms {
				got[m.User] = m.Role
			}
			want := map[string]caseroom.Role{"alice": "lead", "ivan": "investigator", "pia": "prosecutor", "otto": "oversight"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})

		for _, tc := range []struct {
			name        string
			ctx         context.Context
			caseID      string
			nm          caseroom.NewMembership
			code, field string
		}{
			{"by an investigator", as(ivan), f.c.ID, caseroom.NewMembership{User: "otto", Role: caseroom.RoleLead}, caseroom.EFORBIDDEN, ""},
			{"an unknown role", f.ctx, f.c.ID, caseroom.NewMembership{User: "otto", Role: "chief"}, caseroom.EINVALID, "role"},
			{"no role", f.ctx, f.c.ID, caseroom.NewMembership{User: "otto"}, caseroom.EINVALID, "role"},
			{"an unknown user", f.ctx, f.c.ID, caseroom.NewMembership{User: "nobody", Role: caseroom.RoleIndexer}, caseroom.EINVALID, "user"},
			{"no user", f.ctx, f.c.ID, caseroom.NewMembership{Role: caseroom.RoleIndexer}, caseroom.EINVALID, "user"},
			{"an unknown case", as(admin), "cas_nosuchcase", caseroom.NewMembership{User: "otto", Role: caseroom.RoleIndexer}, caseroom.ENOTFOUND, ""},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, tc.code, tc.field, func() error {
					_, err := s.DB.AddMember(tc.ctx, tc.caseID, tc.nm)
					return err
				})
			})
		}
	})
}

// TestRoleChange checks that a change of role is a new membership record, the old one
// kept, and that the latest role is the one in force everywhere.
func TestRoleChange(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		ivan := f.member("ivan", caseroom.RoleInvestigator)
		if _, err := s.DB.RegisterPerson(as(ivan), f.c.ID, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Kala"}}, Roles: []caseroom.PersonRole{"suspect"}}); err != nil {
			t.Fatalf("investigator records: %v", err)
		}
		f.setRole(ivan, caseroom.RoleOversight)

		if n := s.Count("memberships"); n != 3 {
			t.Errorf("memberships rows = %d, want 3 (lead, investigator, oversight): a role change must add a row", n)
		}
		ms, err := s.DB.FindMembers(f.ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ivans []caseroom.Role
		for _, m := range ms {
			if m.User == "ivan" {
				ivans = append(ivans, m.Role)
			}
		}
		if diff := cmp.Diff([]caseroom.Role{caseroom.RoleOversight}, ivans); diff != "" {
			t.Errorf("ivan's current memberships (-want +got):\n%s", diff)
		}
		c, err := s.DB.FindCase(as(ivan), f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Role != caseroom.RoleOversight {
			t.Errorf("FindCase role = %s, want oversight", c.Role)
		}
		refused(t, s, caseroom.EFORBIDDEN, "", func() error {
			_, err := s.DB.RegisterPerson(as(ivan), f.c.ID, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Bilal"}}, Roles: []caseroom.PersonRole{"suspect"}})
			return err
		})

		f.setRole(ivan, caseroom.RoleInvestigator)
		if _, err := s.DB.RegisterPerson(as(ivan), f.c.ID, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Bilal"}}, Roles: []caseroom.PersonRole{"suspect"}}); err != nil {
			t.Errorf("investigator again, records: %v", err)
		}
		if n := s.Count("memberships"); n != 4 {
			t.Errorf("memberships rows = %d, want 4", n)
		}
	})
}

// TestWhoCanRecord walks one user through every role and tries each kind of write.
func TestWhoCanRecord(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")
		sus := f.suspect("Gul Khan")
		v := f.victim(f.ctx, "Hidden Person")
		officer := mustUser(t, s, "officer")
		ctx := as(officer)

		writes := []struct {
			name string
			call func() error
		}{
			{"RegisterPerson", func() error {
				_, err := s.DB.RegisterPerson(ctx, f.c.ID, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Alias"}}, Roles: []caseroom.PersonRole{"witness"}})
				return err
			}},
			{"AddAlias", func() error {
				_, err := s.DB.AddAlias(ctx, f.c.ID, sus.ID, caseroom.Alias{Alias: "Kala"})
				return err
			}},
			{"AddIdentifier", func() error {
				_, err := s.DB.AddIdentifier(ctx, f.c.ID, sus.ID, caseroom.NewIdentifier{Kind: "handle", Value: "gul.k", Source: src.Ref})
				return err
			}},
			{"RegisterDocument", func() error {
				_, err := s.DB.RegisterDocument(ctx, f.c.ID, caseroom.NewDocument{Kind: "report", Title: "Report", Text: "Arrived at ten."})
				return err
			}},
			{"RecordLink", func() error {
				_, err := s.DB.RecordLink(ctx, f.c.ID, caseroom.NewLink{From: sus.ID, To: v.Pseudonym, Type: "knows", Source: src.Ref, Confidence: ptr(0.5)})
				return err
			}},
			{"RegisterOrganisation", func() error {
				_, err := s.DB.RegisterOrganisation(ctx, f.c.ID, caseroom.NewOrganisation{Name: "Video shop"})
				return err
			}},
			{"RegisterLocation", func() error {
				_, err := s.DB.RegisterLocation(ctx, f.c.ID, caseroom.NewLocation{Name: "Village", Kind: "village"})
				return err
			}},
		}
		for _, role := range caseroom.Roles {
			t.Run(string(role), func(t *testing.T) {
				f.in(t).setRole(officer, role)
				for _, w := range writes {
					if role.CanRecord() {
						if err := w.call(); err != nil {
							t.Errorf("%s as %s: %v", w.name, role, err)
						}
						continue
					}
					refused(t, s, caseroom.EFORBIDDEN, "", func() error { return w.call() })
				}
			})
		}
		// The rule itself: exactly these four roles record.
		var recorders []caseroom.Role
		for _, r := range caseroom.Roles {
			if r.CanRecord() {
				recorders = append(recorders, r)
			}
		}
		want := []caseroom.Role{caseroom.RoleLead, caseroom.RoleInvestigator, caseroom.RoleIndexer, caseroom.RoleProtection}
		if diff := cmp.Diff(want, recorders); diff != "" {
			t.Errorf("roles that record (-want +got):\n%s", diff)
		}
	})
}
