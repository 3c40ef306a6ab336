package demo_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
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
		if len(links) < 100 || len(links) > 160 {
			t.Errorf("%d links, want 100 to 160", len(links))
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
		for _, typ := range []caseroom.LinkType{"knows", "member_of", "lives_at", "paid", "called", "implicates", "extorted", "represents", "parent_of"} {
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

// TestSeedMorning checks the state of the case on the morning the demo starts, so that
// the queues, clocks, ledger and reports have something in them and make sense.
func TestSeedMorning(t *testing.T) {
	db, res := seed(t)
	lead := as(t, db, res, caseroom.RoleLead)
	now := time.Now()

	decisions, err := db.FindDecisions(lead, res.CaseID)
	if err != nil || len(decisions) != 3 {
		t.Errorf("decisions: %d, %v; want 3", len(decisions), err)
	}

	actions, err := db.FindActions(lead, res.CaseID, caseroom.ActionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	states, to := map[caseroom.ActionState]int{}, map[string]bool{}
	for _, a := range actions {
		states[a.State]++
		if a.AllocatedTo != "" {
			to[a.AllocatedTo] = true
		}
	}
	for _, st := range caseroom.ActionStates {
		if states[st] == 0 {
			t.Errorf("no action is %s: %v", st, states)
		}
	}
	if len(to) < 4 {
		t.Errorf("actions are allocated to %d members, want at least 4: %v", len(to), to)
	}

	clocks, err := db.Clocks(lead, res.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[caseroom.ClockKind]int{}
	overdue := 0
	for _, c := range clocks {
		kinds[c.Kind]++
		if c.Overdue {
			overdue++
			if c.Kind != caseroom.ClockActionDue || now.Sub(c.Due) > 6*time.Hour {
				t.Errorf("overdue clock %+v; want only the action a few hours past due", c)
			}
		}
		if c.Kind == caseroom.ClockProduction {
			if left := c.Due.Sub(now); left < 17*time.Hour || left > 20*time.Hour {
				t.Errorf("production clock of %s runs out in %v, want about 19 hours", c.Ref, left)
			}
		}
	}
	if overdue != 1 || kinds[caseroom.ClockProduction] != 1 || kinds[caseroom.ClockMedicalExamination] != 2 {
		t.Errorf("clocks %v (%d overdue); want one production clock running, two medical examinations, one overdue", kinds, overdue)
	}

	arrests, err := db.FindArrests(lead, res.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	produced, late := 0, 0
	for _, a := range arrests {
		if len(a.Grounds) == 0 {
			t.Errorf("arrest %s has no grounds", a.Ref)
		}
		if a.Production != nil {
			produced++
			if a.Production.Late {
				late++
			}
		}
	}
	if len(arrests) != 3 || produced != 2 || late != 1 {
		t.Errorf("%d arrests, %d produced (%d late); want 3, 2 (1)", len(arrests), produced, late)
	}

	contacts, err := db.FindContacts(lead, res.CaseID, caseroom.ContactFilter{})
	if err != nil {
		t.Fatal(err)
	}
	alerts := 0
	for _, c := range contacts {
		if c.Alert {
			alerts++
		}
	}
	if len(contacts) != 4 || alerts != 1 {
		t.Errorf("%d contacts, %d alerts; want 4, 1", len(contacts), alerts)
	}

	sum, err := db.Summary(lead, res.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (caseroom.MedicalExaminationCounts{Ordered: 3, Consented: 1, Done: 1, Refused: 1}); sum.MedicalExaminations != want {
		t.Errorf("medical examinations %+v, want %+v", sum.MedicalExaminations, want)
	}
	if sum.Arrested != 3 || sum.OverdueClocks != 1 || sum.Complaints != 18 || sum.Statements.Victim != 24 {
		t.Errorf("summary %+v", sum)
	}

	// The medical report is the medical officer's, unseen by the investigator.
	if _, err := db.FindDocument(as(t, db, res, caseroom.RoleMedical), res.CaseID, "MR-1"); err != nil {
		t.Errorf("the medical officer reads MR-1: %v", err)
	}
	if _, err := db.FindDocument(as(t, db, res, caseroom.RoleInvestigator), res.CaseID, "MR-1"); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
		t.Errorf("the investigator reads MR-1: %v", err)
	}

	// Implications run from the person who made them, and every victim has a parent
	// who can answer for them.
	links, err := db.FindLinks(lead, res.CaseID, caseroom.LinkFilter{})
	if err != nil {
		t.Fatal(err)
	}
	parents := map[string]bool{}
	for _, l := range links {
		if l.Type == "implicates" && l.FromKind != caseroom.EntityPerson {
			t.Errorf("implicates link %s runs from a %s (%s), not from the person who made it", l.ID, l.FromKind, l.FromLabel)
		}
		if l.Type == "parent_of" {
			parents[l.ToLabel] = true
		}
	}
	if len(parents) != 24 {
		t.Errorf("%d victims have a parent linked, want 24", len(parents))
	}
	report, err := db.Accountability(lead, res.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range report.Suspects {
		if s.IndependentSources == 0 {
			t.Errorf("suspect %s has no independent source", s.Label)
		}
	}
	if len(report.ContactAlerts) != 1 || len(report.OverdueClocks) != 1 {
		t.Errorf("accountability: %d contact alerts, %d overdue clocks; want 1, 1", len(report.ContactAlerts), len(report.OverdueClocks))
	}
}

// TestSeedDeterministic checks that two seeds produce the same case content (documents,
// payments, communications), so that the demo and screenshots of it look the same on
// every machine.
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
		payments, err := db.FindPayments(lead, res.CaseID, caseroom.PaymentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range payments {
			texts[i] = append(texts[i], fmt.Sprintf("%s %s %s -> %s %d %s %s %s", p.Ref, p.At, p.Payer.Label, p.Payee.Label, p.Amount, p.Currency, p.Method, p.Note))
		}
		comms, err := db.FindCommunications(lead, res.CaseID, caseroom.CommFilter{Limit: 10000})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range comms {
			texts[i] = append(texts[i], fmt.Sprintf("%s line %d: %s %s -> %s at %s for %ds, cell %s", c.ExhibitRef, c.Line, c.Kind,
				c.From.Label(), c.To.Label(), c.At.Format(time.RFC3339), c.Duration, c.CellID))
		}
	}
	if len(texts[0]) != len(texts[1]) {
		t.Fatalf("%d documents, payments and communications, then %d", len(texts[0]), len(texts[1]))
	}
	for i := range texts[0] {
		if texts[0][i] != texts[1][i] {
			t.Errorf("record differs between seeds:\n%s\n---\n%s", texts[0][i], texts[1][i])
		}
	}
}

// personNamed returns the id of the person of the demo case whose first name is name.
func personNamed(t *testing.T, db *sqlstore.DB, ctx context.Context, caseID, name string) string {
	t.Helper()
	persons, err := db.FindPersons(ctx, caseID, caseroom.PersonFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range persons {
		if p.Label() == name {
			return p.ID
		}
	}
	t.Fatalf("no person named %s", name)
	return ""
}

// amountIn returns the amount of amounts in currency, 0 if none.
func amountIn(amounts []caseroom.MoneyAmount, currency string) caseroom.MinorUnits {
	for _, a := range amounts {
		if a.Currency == currency {
			return a.Amount
		}
	}
	return 0
}

// TestSeedMoneyAndCalls checks the payments, the call records and the chat contacts
// of the demo case: the money page, a suspect's contacts and the timeline have what
// the case's story tells.
func TestSeedMoneyAndCalls(t *testing.T) {
	db, res := seed(t)
	lead := as(t, db, res, caseroom.RoleLead)

	t.Run("money", func(t *testing.T) {
		sum, err := db.SummarisePayments(lead, res.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		families := 0
		for _, f := range sum.ExtortionByFamily {
			if amountIn(f.Amounts, "PKR") > 0 {
				families++
				if len(f.Members) < 2 {
					t.Errorf("family of %s pays with no parent among its members: %+v", f.Label, f.Members)
				}
			}
		}
		if families < 3 {
			t.Errorf("extortion from %d families, want at least 3: %+v", families, sum.ExtortionByFamily)
		}
		var extortion, sales caseroom.MoneyTotal
		for _, p := range sum.ByPurpose {
			switch p.Key {
			case string(caseroom.PurposeExtortion):
				extortion = p
			case string(caseroom.PurposeSale):
				sales = p
			}
		}
		// Lakhs to a few crore rupees: Rs 10 lakh is 10^8 paisa, Rs 5 crore 5*10^9.
		if pkr := amountIn(extortion.Amounts, "PKR"); pkr < 100_000_000 || pkr > 5_000_000_000 {
			t.Errorf("extortion totals %d paisa, want Rs 10 lakh to Rs 5 crore", pkr)
		}
		for _, c := range []string{"PKR", "GBP", "USD"} {
			if amountIn(sales.Amounts, c) == 0 {
				t.Errorf("no sales in %s: %+v", c, sales.Amounts)
			}
		}
		if pkr := amountIn(sales.Amounts, "PKR"); pkr%5000 != 0 {
			t.Errorf("local sales total %d paisa, not a whole number of copies at Rs 50", pkr)
		}
		received := 0
		for _, s := range sum.ReceivedBySuspect {
			if amountIn(s.Amounts, "PKR") > 0 {
				received++
			}
		}
		if received < 5 {
			t.Errorf("%d suspects received money, want at least 5: %+v", received, sum.ReceivedBySuspect)
		}

		payments, err := db.FindPayments(lead, res.CaseID, caseroom.PaymentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		methods, monthOnly, corrections := map[caseroom.PaymentMethod]int{}, 0, 0
		for _, p := range payments {
			methods[p.Method]++
			if len(p.At) == len("2015-06") {
				monthOnly++
			}
			if p.Corrects != "" && p.Reason != "" {
				corrections++
			}
			if p.SourceRef == "" {
				t.Errorf("payment %s has no source", p.Ref)
			}
		}
		for _, m := range []caseroom.PaymentMethod{caseroom.PaymentCash, caseroom.PaymentBankTransfer, caseroom.PaymentMobileWallet} {
			if methods[m] == 0 {
				t.Errorf("no %s payments: %v", m, methods)
			}
		}
		if monthOnly == 0 || corrections != 1 {
			t.Errorf("%d payments known to a month, %d corrections; want some, 1", monthOnly, corrections)
		}
	})

	t.Run("call records", func(t *testing.T) {
		tariq := personNamed(t, db, lead, res.CaseID, "Tariq Mehmood")
		sum, err := db.SummariseCommunications(lead, res.CaseID, tariq, "")
		if err != nil {
			t.Fatal(err)
		}
		if sum.Contacts < 2000 || sum.Contacts > 4000 {
			t.Errorf("%d communications of Tariq Mehmood, want 2,000 to 4,000", sum.Contacts)
		}
		for _, c := range []string{"GB", "US", "DE", "AE"} {
			if sum.ForeignByCountry[c] == 0 {
				t.Errorf("no counterpart in %s: %v", c, sum.ForeignByCountry)
			}
		}
		held := map[string]bool{}
		for _, c := range sum.Counterparts {
			for _, h := range c.Endpoint.Holders {
				held[h.Label] = true
			}
		}
		if !held["Kamran Yousaf Virk"] || len(held) < 6 {
			t.Errorf("counterparts held by %v; want Kamran Yousaf Virk and the families among them", held)
		}
		if len(sum.Counterparts) > 0 && (sum.Counterparts[0].Endpoint.Holders == nil || sum.Counterparts[0].Endpoint.Holders[0].Label != "Kamran Yousaf Virk") {
			t.Errorf("first counterpart %+v, want Kamran Yousaf Virk's number", sum.Counterparts[0].Endpoint)
		}

		naveed := personNamed(t, db, lead, res.CaseID, "Naveed Akhtar")
		chat, err := db.SummariseCommunications(lead, res.CaseID, naveed, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"GB", "US", "DE"} {
			if chat.ForeignByCountry[c] == 0 {
				t.Errorf("Naveed Akhtar's Skype contacts: none in %s: %v", c, chat.ForeignByCountry)
			}
		}
	})

	t.Run("timeline", func(t *testing.T) {
		payments, err := db.FindPayments(lead, res.CaseID, caseroom.PaymentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			kind  caseroom.TimelineKind
			limit int
			want  int
		}{
			{caseroom.TimelinePayment, 1000, len(payments)},
			{caseroom.TimelineCommunication, 10, 10}, // a page: there are thousands
		} {
			page, err := db.Timeline(lead, res.CaseID, caseroom.TimelineFilter{Kinds: []caseroom.TimelineKind{tc.kind}, Limit: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Entries) != tc.want || tc.want == 0 {
				t.Errorf("timeline of %s: %d entries, want %d", tc.kind, len(page.Entries), tc.want)
			}
			for _, e := range page.Entries {
				if e.Kind != tc.kind || len(e.Persons) == 0 && tc.kind == caseroom.TimelineCommunication {
					t.Errorf("timeline entry %+v; want a %s concerning a person", e, tc.kind)
				}
			}
		}
	})
}

// TestSeedSearch: the "done when" on the demo case: a nickname found only
// inside statement texts, with a highlighted snippet; a village typed in Urdu script
// finds the Latin-script complaints; an advocate finds only the clients' documents.
func TestSeedSearch(t *testing.T) {
	db, res := seed(t)
	lead := as(t, db, res, caseroom.RoleLead)
	r, err := db.Search(lead, res.CaseID, caseroom.SearchRequest{Query: "Mithu kind:statement"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) == 0 || !strings.Contains(r.Hits[0].Snippet, "<mark>Mithu</mark>") {
		t.Fatalf("the nickname Mithu: %d hits, first %+v", len(r.Hits), r.Hits)
	}
	r, err = db.Search(lead, res.CaseID, caseroom.SearchRequest{Query: "بستی قندیل پور kind:complaint"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) == 0 || !strings.Contains(r.Hits[0].Snippet, "<mark>Basti</mark> <mark>Qandeelpur</mark>") {
		t.Fatalf("the village in Urdu script: %d hits, first %+v", len(r.Hits), r.Hits)
	}
	all := r.Total
	adv := as(t, db, res, caseroom.RoleAdvocate)
	mine, err := db.FindDocuments(adv, res.CaseID, caseroom.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	readable := map[string]bool{}
	for _, d := range mine {
		readable[d.Ref] = true
	}
	r, err = db.Search(adv, res.CaseID, caseroom.SearchRequest{Query: "بستی قندیل پور", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range r.Hits {
		if !readable[h.Ref] {
			t.Errorf("the advocate finds %s, which they may not read", h.Ref)
		}
	}
	if r.Total >= all && all > 1 {
		t.Errorf("the advocate counts %d records, as many as the lead's %d complaints alone", r.Total, all)
	}
}
