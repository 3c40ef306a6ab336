package demo_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"caseroom"
	"caseroom/demo"
	"caseroom/sqlstore"
)

// seed opens a fresh SQLite store, seeds the demo case and returns the store and what
// Seed returned.
func seed(t *testing.T) (*sqlstore.DB, *demo.Result) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "caseroom.db"), sqlstore.Options{KeyFile: filepath.Join(dir, "vault.key")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	start := time.Now()
	res, err := demo.Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded in %v", time.Since(start))
	return db, res
}

// as returns a context acting as the demo user holding role, signed in by token.
func as(t *testing.T, db *sqlstore.DB, res *demo.Result, role caseroom.Role) context.Context {
	t.Helper()
	for _, l := range res.Logins {
		if l.Role == role && l.User != demo.AdminUser {
			u, err := db.Authenticate(context.Background(), l.Token)
			if err != nil {
				t.Fatalf("authenticate %s: %v", l.User, err)
			}
			if u.Name != l.User {
				t.Fatalf("token of %s authenticates %s", l.User, u.Name)
			}
			return caseroom.NewContextWithUser(context.Background(), u)
		}
	}
	t.Fatalf("no login with role %s", role)
	return nil
}

func TestSeed(t *testing.T) {
	db, res := seed(t)
	lead := as(t, db, res, caseroom.RoleLead)

	t.Run("logins", func(t *testing.T) {
		byRole := map[caseroom.Role]demo.Login{}
		for _, l := range res.Logins {
			if len(l.Password) < 12 {
				t.Errorf("%s: password %d characters, want at least 12", l.User, len(l.Password))
			}
			if ok, err := db.CheckPassword(context.Background(), l.User, l.Password); err != nil || !ok {
				t.Errorf("%s: password does not sign in (%v)", l.User, err)
			}
			byRole[l.Role] = l
		}
		for _, r := range caseroom.Roles {
			if _, ok := byRole[r]; !ok {
				t.Errorf("no login for role %s", r)
			}
		}
		admin, ok := byRole[""]
		if !ok || admin.User != demo.AdminUser {
			t.Fatalf("no administrator login: %+v", res.Logins)
		}
		u, err := db.Authenticate(context.Background(), admin.Token)
		if err != nil || !u.Admin {
			t.Fatalf("admin token: %v, %+v", err, u)
		}
		members, err := db.FindMembers(lead, res.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != len(caseroom.Roles) {
			t.Errorf("%d members, want %d (one per role, admin not a member)", len(members), len(caseroom.Roles))
		}
		for _, m := range members {
			if m.User == demo.AdminUser {
				t.Errorf("admin is a member of the case")
			}
		}
	})

	t.Run("case", func(t *testing.T) {
		c, err := db.FindCase(lead, res.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		if c.TimeZone != "Asia/Karachi" || c.Title == "" {
			t.Errorf("case = %+v", c)
		}
	})

	t.Run("documents", func(t *testing.T) {
		count := func(k caseroom.DocumentKind) []*caseroom.Document {
			docs, err := db.FindDocuments(lead, res.CaseID, caseroom.DocumentFilter{Kind: k})
			if err != nil {
				t.Fatal(err)
			}
			return docs
		}
		complaints := count(caseroom.DocComplaint)
		if len(complaints) != 18 {
			t.Errorf("%d complaints, want 18", len(complaints))
		}
		for _, c := range complaints {
			if c.ExternalRef == "" || c.Statement == nil || c.Statement.Giver == "" {
				t.Errorf("complaint %s has no FIR number or giver: %+v", c.Ref, c)
			}
		}
		statements := count(caseroom.DocStatement)
		if len(statements) != 30 {
			t.Errorf("%d statements, want 30 (6 officers, 24 victims)", len(statements))
		}
		withGuardian := 0
		for _, s := range statements {
			if s.Statement == nil || s.Statement.RecordedAt.IsZero() {
				t.Errorf("statement %s has no record of how it was taken", s.Ref)
				continue
			}
			if m := s.Statement.RecordedAt.Month(); m != time.November {
				t.Errorf("statement %s recorded in %s", s.Ref, m)
			}
			for _, p := range s.Statement.Present {
				if p.Capacity == "guardian" {
					withGuardian++
				}
			}
		}
		if withGuardian < 20 {
			t.Errorf("%d statements taken with a guardian present, want at least 20", withGuardian)
		}
		if n := len(count(caseroom.DocPress)); n != 3 {
			t.Errorf("%d press reports, want 3", n)
		}
		if len(count(caseroom.DocReport)) == 0 || len(count(caseroom.DocMessage)) == 0 {
			t.Errorf("no officer reports or messages")
		}
	})

	t.Run("advocate and second factor", func(t *testing.T) {
		adv := as(t, db, res, caseroom.RoleAdvocate)
		persons, err := db.FindPersons(adv, res.CaseID, caseroom.PersonFilter{Role: caseroom.PersonVictim})
		if err != nil {
			t.Fatal(err)
		}
		if len(persons) != 5 {
			t.Errorf("the demo advocate sees %d victims, want their 5 clients", len(persons))
		}
		for _, l := range res.Logins {
			if (l.TOTP != "") != l.Role.CanSeeIdentities() {
				t.Errorf("%s (%s) has TOTP secret %q; want one exactly for roles that can reveal identities", l.User, l.Role, l.TOTP)
			}
		}
	})

	t.Run("persons", func(t *testing.T) {
		persons, err := db.FindPersons(lead, res.CaseID, caseroom.PersonFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var victims, suspects, officers, guardians, aliasOnly, urdu, reps int
		names := map[string]string{}
		for _, p := range persons {
			if len(p.Names) > 0 && !p.HasRole(caseroom.PersonVictim) {
				n := p.Names[0].Name
				if other, ok := names[n]; ok {
					t.Errorf("two persons are named %s: %s and %s", n, other, p.ID)
				}
				names[n] = p.ID
			}
			switch {
			case p.HasRole(caseroom.PersonVictim):
				victims++
				if want := fmt.Sprintf("V-%04d", victims); p.Pseudonym != want {
					t.Errorf("victim %d has pseudonym %q, want %s", victims, p.Pseudonym, want)
				}
				if p.AgeBand == "" || p.Sex == "" || !p.IdentityHidden || len(p.Names) > 0 {
					t.Errorf("victim %s is listed without age band or sex, or with the identity: %+v", p.Pseudonym, p)
				}
				full, err := db.RevealIdentity(lead, res.CaseID, p.Pseudonym, "check the demo data")
				if err != nil || len(full.Names) == 0 {
					t.Errorf("the lead's reveal of %s: %v, %+v", p.Pseudonym, err, full)
				}
			case p.HasRole(caseroom.PersonSuspect):
				suspects++
				if len(p.Names) == 0 && len(p.Aliases) > 0 {
					aliasOnly++
				}
				for _, n := range p.Names {
					if n.Script == "Arab" {
						urdu++
					}
				}
			case p.HasRole(caseroom.PersonOfficer):
				officers++
			case p.HasRole(caseroom.PersonGuardian):
				guardians++
			case p.HasRole(caseroom.PersonRepresentative):
				reps++
			}
		}
		if victims < 20 {
			t.Errorf("%d victims, want at least 20", victims)
		}
		if suspects != 15 {
			t.Errorf("%d suspects, want 15", suspects)
		}
		if aliasOnly == 0 {
			t.Errorf("no suspect is known only by an alias")
		}
		if urdu == 0 {
			t.Errorf("no suspect has a name in Urdu script")
		}
		if officers != 6 || guardians < 20 || reps != 2 {
			t.Errorf("%d officers, %d guardians, %d representatives; want 6, 20+, 2", officers, guardians, reps)
		}
	})

	t.Run("links", func(t *testing.T) {
		links, err := db.FindLinks(lead, res.CaseID, caseroom.LinkFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(links) < 80 || len(links) > 120 {
			t.Errorf("%d links, want 80 to 120", len(links))
		}
		types := map[caseroom.LinkType]int{}
		for _, l := range links {
			types[l.Type]++
			if l.Source == "" || l.SourceRef == "" {
				t.Errorf("link %s (%s %s -> %s) has no source", l.ID, l.Type, l.FromLabel, l.ToLabel)
			}
			if l.Confidence < 0.5 || l.Confidence > 1 {
				t.Errorf("link %s has confidence %v", l.ID, l.Confidence)
			}
		}
		for _, typ := range []caseroom.LinkType{"knows", "member_of", "lives_at", "paid", "called", "implicates", "extorted", "represents"} {
			if types[typ] == 0 {
				t.Errorf("no %s links", typ)
			}
		}
		t.Logf("%d links: %v", len(links), types)
	})

	t.Run("investigator sees no victim names", func(t *testing.T) {
		inv := as(t, db, res, caseroom.RoleInvestigator)
		persons, err := db.FindPersons(inv, res.CaseID, caseroom.PersonFilter{})
		if err != nil {
			t.Fatal(err)
		}
		victims := 0
		for _, p := range persons {
			if !p.HasRole(caseroom.PersonVictim) {
				continue
			}
			victims++
			if !p.IdentityHidden || len(p.Names) != 0 || p.Pseudonym == "" {
				t.Errorf("investigator sees victim %s: hidden=%v names=%v", p.Pseudonym, p.IdentityHidden, p.Names)
			}
		}
		if victims < 20 {
			t.Errorf("investigator sees %d victims, want at least 20", victims)
		}
	})
}

// TestSeedDeterministic checks that two seeds produce the same case content, so that
// the demo and screenshots of it look the same on every machine.
func TestSeedDeterministic(t *testing.T) {
	var texts [2][]string
	for i := range texts {
		db, res := seed(t)
		lead := as(t, db, res, caseroom.RoleLead)
		docs, err := db.FindDocuments(lead, res.CaseID, caseroom.DocumentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			texts[i] = append(texts[i], d.Ref+" "+d.ExternalRef+" "+d.Title+"\n"+d.Text)
		}
	}
	if len(texts[0]) != len(texts[1]) {
		t.Fatalf("%d documents, then %d", len(texts[0]), len(texts[1]))
	}
	for i := range texts[0] {
		if texts[0][i] != texts[1][i] {
			t.Errorf("document differs between seeds:\n%s\n---\n%s", texts[0][i], texts[1][i])
		}
	}
}
