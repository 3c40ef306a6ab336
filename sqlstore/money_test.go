package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/audit"
	"caseroom/sqlstore"
)

// commRows returns n calls from the suspect's phone (written locally) to three
// counterparts in turn, one of them abroad, a minute apart from start.
func commRows(n int, start time.Time) func(loc *time.Location, fn func(caseroom.CommRow) error) error {
	peers := []string{"+447700900123", "03219876543", "923335550001"}
	return func(_ *time.Location, fn func(caseroom.CommRow) error) error {
		for i := range n {
			r := caseroom.CommRow{Line: int64(i + 2), Kind: caseroom.CommCall, Directed: true, Duration: int64(10 + i%50),
				From: caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: "0300-1234567"},
				To:   caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: peers[i%3]},
				At:   start.Add(time.Duration(i) * time.Minute), CellID: "410-06-1000-1"}
			if i%4 == 1 { // an incoming call: the counterpart began it
				r.From, r.To = r.To, r.From
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// commImport is an import of rows as a file with the given digest.
func commImport(exhibit, sum string, rows func(loc *time.Location, fn func(caseroom.CommRow) error) error) caseroom.NewCommImport {
	return caseroom.NewCommImport{Exhibit: exhibit, Format: "cdr", SHA256: sum, Name: "cdr.csv", Rows: rows}
}

// moneyFixture is a case with a victim's family, two suspects and a statement.
type moneyFixture struct {
	*actionFixture
	father, mother, other *caseroom.Person
	statement             *caseroom.Document
}

func newMoneyFixture(t *testing.T, s *testStore) *moneyFixture {
	f := &moneyFixture{actionFixture: newActionFixture(t, s)}
	f.father = f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Father"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
	f.mother = f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Mother"}}, Roles: []caseroom.PersonRole{caseroom.PersonGuardian}})
	f.other = f.fixture.suspect("Second Suspect")
	f.link(caseroom.NewLink{From: f.father.ID, To: f.victim.ID, Type: "parent_of", Source: "S-1", Confidence: ptr(1.0)})
	f.link(caseroom.NewLink{From: f.victim.ID, To: f.mother.ID, Type: "related_to", Source: "S-1", Confidence: ptr(1.0)})
	f.statement = f.fixture.statement(f.father.ID, "Statement of the father")
	return f
}

func (f *moneyFixture) pay(np caseroom.NewPayment) *caseroom.Payment {
	f.t.Helper()
	if np.Method == "" {
		np.Method = caseroom.PaymentCash
	}
	if np.Purpose == "" {
		np.Purpose = caseroom.PurposeExtortion
	}
	if np.Source == "" {
		np.Source = f.statement.Ref
	}
	p, err := f.s.DB.RecordPayment(f.ctx, f.c.ID, np)
	if err != nil {
		f.t.Fatalf("record payment %+v: %v", np, err)
	}
	return p
}

func amount(n int64) *caseroom.MinorUnits { v := caseroom.MinorUnits(n); return &v }

func TestPayments(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMoneyFixture(t, s)
		c := f.c.ID
		p1 := f.pay(caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5000000), At: "2015-06-15T12:00:00Z"})
		if p1.Ref != "PM-1" || p1.Currency != "PKR" || p1.Payer.Label != "Fictional Father" || p1.Payee.Label != "Fictional Suspect" ||
			p1.SourceRef != f.statement.Ref || p1.AmountText.SouthAsian != "50,000.00" || p1.RecordedBy != "lena" {
			t.Errorf("first payment: %+v", p1)
		}
		// A partial date, a mobile wallet written locally that the other suspect holds,
		// a payment by the victim's mother (related_to, read both ways) and a sale.
		if _, err := s.DB.AddIdentifier(f.ctx, c, f.other.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+92 345 7654321", Source: "S-1"}); err != nil {
			t.Fatal(err)
		}
		p2 := f.pay(caseroom.NewPayment{Payer: f.mother.ID, Payee: "phone:0345-7654321", Amount: amount(2500000), At: "2015-07",
			Method: caseroom.PaymentMobileWallet})
		if p2.Payee.Kind != caseroom.EntityEndpoint || p2.Payee.Label != "+923457654321" {
			t.Errorf("payment to a wallet: payee %+v", p2.Payee)
		}
		f.pay(caseroom.NewPayment{Payer: "bank_account:GB29 NWBK 6016 1331 9268 19", Payee: f.suspect.ID, Amount: amount(12000), Currency: "GBP",
			At: "2015-08-01", Purpose: caseroom.PurposeSale, Method: caseroom.PaymentBankTransfer})
		// A payment recorded in error, then withdrawn: it counts in no total.
		wrong := f.pay(caseroom.NewPayment{Payer: f.father.ID, Payee: f.other.ID, Amount: amount(99900), At: "2015-06"})
		f.pay(caseroom.NewPayment{Payer: f.father.ID, Payee: f.other.ID, Amount: amount(99900), At: "2015-06", Corrects: wrong.Ref, Retracts: true, Reason: "Recorded twice."})

		sum, err := s.DB.SummarisePayments(f.ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		family := totalOf(sum.ExtortionByFamily, f.victim.ID)
		if family == nil || len(family.Amounts) != 1 || family.Amounts[0].Amount != 7500000 || family.Count != 2 ||
			strings.Join(family.Payments, ",") != "PM-1,PM-2" || family.Label != "V-0001" {
			t.Errorf("the family's extortion: %+v", family)
		}
		if got := totalOf(sum.ReceivedBySuspect, f.other.ID); got == nil || got.Amounts[0].Amount != 2500000 {
			t.Errorf("the wallet's holder received %+v, want 25,000.00 (the withdrawn payment not counted)", got)
		}
		if got := totalOf(sum.ReceivedBySuspect, f.suspect.ID); got == nil || len(got.Amounts) != 2 {
			t.Errorf("the suspect received %+v, want PKR and GBP", got)
		}
		if sum.Payments != 3 || len(sum.Total) != 2 {
			t.Errorf("summary counts %d payments in %d currencies, want 3 standing in 2", sum.Payments, len(sum.Total))
		}
		if len(sum.ExtortionByMonth) != 2 || sum.ExtortionByMonth[0].Month != "2015-06" {
			t.Errorf("extortion by month: %+v", sum.ExtortionByMonth)
		}

		// Filters: by person (their endpoints too), purpose and window.
		list := func(pf caseroom.PaymentFilter) string {
			t.Helper()
			ps, err := s.DB.FindPayments(f.ctx, c, pf)
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, p := range ps {
				refs = append(refs, p.Ref)
			}
			return strings.Join(refs, ",")
		}
		for _, tc := range []struct {
			f    caseroom.PaymentFilter
			want string
		}{
			{caseroom.PaymentFilter{}, "PM-4,PM-5,PM-1,PM-2,PM-3"},
			{caseroom.PaymentFilter{Person: f.other.ID}, "PM-4,PM-5,PM-2"},
			{caseroom.PaymentFilter{Purpose: caseroom.PurposeSale}, "PM-3"},
			{caseroom.PaymentFilter{From: "2015-06-20", To: "2015-07-31"}, "PM-4,PM-5,PM-2"}, // June overlaps the window
			{caseroom.PaymentFilter{From: "2015-07-01", To: "2015-07-31"}, "PM-2"},
			{caseroom.PaymentFilter{From: "2015-06-15", To: "2015-06-15"}, "PM-4,PM-5,PM-1"},
		} {
			if got := list(tc.f); got != tc.want {
				t.Errorf("FindPayments(%+v) = %s, want %s", tc.f, got, tc.want)
			}
		}

		// Bad input: refused naming the field, nothing written.
		before := s.Count("payments")
		for _, tc := range []struct {
			np    caseroom.NewPayment
			field string
		}{
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), At: "2015-06", Method: "cash", Purpose: "extortion"}, "source"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(-5), At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1"}, "amount"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1"}, "amount"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), Currency: "XXQ", At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1"}, "currency"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), At: "June", Method: "cash", Purpose: "extortion", Source: "S-1"}, "at"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), At: "2099-01", Method: "cash", Purpose: "extortion", Source: "S-1"}, "at"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), At: "2015-06", Method: "cheque", Purpose: "extortion", Source: "S-1"}, "method"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), At: "2015-06", Method: "cash", Purpose: "bribe", Source: "S-1"}, "purpose"},
			{caseroom.NewPayment{Payer: "per_nosuchperson", Payee: f.suspect.ID, Amount: amount(5), At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1"}, "payer"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: "phone:not a number", Amount: amount(5), At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1"}, "payee"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.father.ID, Amount: amount(5), At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1"}, "payee"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-99"}, "source"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(caseroom.MaxPaymentAmount + 1), At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1"}, "amount"},
			{caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1", Corrects: "PM-1"}, "reason"},
		} {
			_, err := s.DB.RecordPayment(f.ctx, c, tc.np)
			if caseroom.ErrorCode(err) != caseroom.EINVALID || !strings.HasPrefix(caseroom.ErrorMessage(err), tc.field+":") {
				t.Errorf("RecordPayment(%+v) = %v, want EINVALID naming %s", tc.np, err, tc.field)
			}
		}
		if n := s.Count("payments"); n != before {
			t.Errorf("refused payments wrote %d rows", n-before)
		}
		// Who: oversight reads, does not record; an advocate reads no payments.
		if _, err := s.DB.RecordPayment(as(f.over), c, caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5), At: "2015-06", Method: "cash", Purpose: "extortion", Source: "S-1"}); caseroom.ErrorCode(err) != caseroom.EFORBIDDEN {
			t.Errorf("oversight recorded a payment: %v", err)
		}
		if _, err := s.DB.SummarisePayments(as(f.over), c); err != nil {
			t.Errorf("oversight reads the money summary: %v", err)
		}
		if _, err := s.DB.FindPayments(as(f.adv), c, caseroom.PaymentFilter{}); caseroom.ErrorCode(err) != caseroom.EFORBIDDEN {
			t.Errorf("an advocate listed the case's payments: %v", err)
		}
		if _, err := s.DB.SummarisePayments(as(f.outsider), c); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			t.Errorf("a non-member read the summary: %v", err)
		}
	})
}

// A payment known from a medical report: its source is withheld from a role that
// does not read medical reports, not from the lead.
func TestPaymentSourceMedicalReport(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMoneyFixture(t, s)
		report := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocMedicalReport, Title: "Examination", Text: "The family paid."})
		p := f.pay(caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(100), At: "2015-06", Source: report.Ref})
		if p.SourceRef != report.Ref || p.SourceRestricted {
			t.Errorf("the lead sees the source as %+v", p)
		}
		ps, err := s.DB.FindPayments(as(f.inv), f.c.ID, caseroom.PaymentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].Source != "" || ps[0].SourceRef != "" || !ps[0].SourceRestricted {
			t.Errorf("an investigator sees the source as %+v", ps[0])
		}
		if _, err := s.DB.RecordPayment(as(f.inv), f.c.ID, caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(100), At: "2015-06",
			Method: "cash", Purpose: "extortion", Source: report.Ref}); caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Errorf("an investigator cited a medical report: %v", err)
		}
	})
}

func totalOf(ts []caseroom.MoneyTotal, key string) *caseroom.MoneyTotal {
	for i := range ts {
		if ts[i].Key == key {
			return &ts[i]
		}
	}
	return nil
}

func TestCommunicationsImport(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMoneyFixture(t, s)
		c := f.c.ID
		if _, err := s.DB.AddIdentifier(f.ctx, c, f.suspect.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+92 300 1234567", Source: "S-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AddIdentifier(f.ctx, c, f.other.ID, caseroom.NewIdentifier{Kind: "phone", Value: "0333 5550001", Source: "S-1"}); err != nil {
			t.Fatal(err)
		}
		start := time.Date(2015, 6, 20, 10, 0, 0, 0, time.UTC)
		sum := strings.Repeat("ab", 32)
		imp, err := s.DB.ImportCommunications(f.ctx, c, commImport("SB/1", sum, commRows(12, start)))
		if err != nil {
			t.Fatal(err)
		}
		if imp.Rows != 12 || imp.Added != 12 || imp.Endpoints != 4 || !imp.Complete || imp.ExhibitRef != "SB/1" {
			t.Errorf("import: %+v", imp)
		}
		summary := func() *caseroom.CommSummary {
			t.Helper()
			s, err := s.DB.SummariseCommunications(f.ctx, c, f.suspect.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		got := summary()
		if got.Contacts != 12 || len(got.Counterparts) != 3 || len(got.Endpoints) != 1 || got.Endpoints[0].Value != "+923001234567" {
			t.Fatalf("summary: %+v", got)
		}
		if len(got.Foreign) != 1 || got.Foreign[0].Endpoint.Value != "+447700900123" || got.Foreign[0].Endpoint.Country != "GB" || got.ForeignByCountry["GB"] != 1 {
			t.Errorf("foreign counterparts: %+v", got.Foreign)
		}
		for _, cp := range got.Counterparts {
			if cp.Contacts != 4 || cp.Outgoing+cp.Incoming != 4 {
				t.Errorf("counterpart %s: %d contacts (%d out, %d in), want 4", cp.Endpoint.Value, cp.Contacts, cp.Outgoing, cp.Incoming)
			}
			if cp.Endpoint.Value == "+923335550001" && (len(cp.Endpoint.Holders) != 1 || cp.Endpoint.Holders[0].ID != f.other.ID) {
				t.Errorf("the second suspect's phone is held by %+v", cp.Endpoint.Holders)
			}
		}
		// The same file again adds nothing; the summary is unchanged.
		again, err := s.DB.ImportCommunications(f.ctx, c, commImport("SB/1", sum, commRows(12, start)))
		if err != nil || again.Added != 0 || again.Skipped != 12 || again.ID != imp.ID {
			t.Errorf("import again: %+v, %v", again, err)
		}
		if n := s.Count("communications"); n != 12 {
			t.Errorf("%d communications after importing the file twice, want 12", n)
		}
		// The other suspect shares... themselves: a counterpart of the first suspect that
		// is the second suspect's phone is listed as shared once the second suspect has
		// another contact in common.
		if _, err := s.DB.ImportCommunications(f.ctx, c, caseroom.NewCommImport{Exhibit: "SB/1", Format: "cdr", SHA256: strings.Repeat("cd", 32),
			Rows: func(_ *time.Location, fn func(caseroom.CommRow) error) error {
				return fn(caseroom.CommRow{Line: 2, Kind: caseroom.CommCall, Directed: true, At: start,
					From: caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: "03335550001"}, To: caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: "+44 7700 900123"}})
			}}); err != nil {
			t.Fatal(err)
		}
		got = summary()
		if len(got.Shared) != 1 || got.Shared[0].Endpoint.Value != "+447700900123" || len(got.Shared[0].SharedWith) != 1 || got.Shared[0].SharedWith[0].ID != f.other.ID {
			t.Errorf("shared counterparts: %+v", got.Shared)
		}
		// Listing by person, in time order, with the source.
		cs, err := s.DB.FindCommunications(f.ctx, c, caseroom.CommFilter{Person: f.suspect.ID, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 5 || !cs[0].At.Equal(start) || cs[0].Line != 2 || cs[0].ExhibitRef != "SB/1" || !cs[4].At.After(cs[3].At) {
			t.Errorf("communications of the suspect: %+v", cs)
		}
		// An advocate reads no communications.
		if _, err := s.DB.SummariseCommunications(as(f.adv), c, "", ""); caseroom.ErrorCode(err) != caseroom.EFORBIDDEN {
			t.Errorf("an advocate read the case's communications: %v", err)
		}
		if _, err := s.DB.ImportCommunications(as(f.over), c, commImport("SB/1", strings.Repeat("ef", 32), commRows(1, start))); caseroom.ErrorCode(err) != caseroom.EFORBIDDEN {
			t.Errorf("oversight imported: %v", err)
		}
	})
}

// A file with a bad row is refused whole; an import interrupted after its first batch
// resumes where it stopped and ends with every row once.
func TestCommunicationsImportRefusesAndResumes(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMoneyFixture(t, s)
		c := f.c.ID
		start := time.Date(2015, 6, 20, 10, 0, 0, 0, time.UTC)
		rows := commRows(100, start)
		bad := func(at int, mutate func(*caseroom.CommRow)) func(*time.Location, func(caseroom.CommRow) error) error {
			return func(loc *time.Location, fn func(caseroom.CommRow) error) error {
				return rows(loc, func(r caseroom.CommRow) error {
					if r.Line == int64(at) {
						mutate(&r)
					}
					return fn(r)
				})
			}
		}
		snap := s.Snapshot()
		for i, tc := range []struct {
			rows func(*time.Location, func(caseroom.CommRow) error) error
			want string
		}{
			{bad(50, func(r *caseroom.CommRow) { r.To.Value = "not a number" }), "line 50: to"},
			{bad(60, func(r *caseroom.CommRow) { r.At = time.Time{} }), "line 60: time"},
			{bad(61, func(r *caseroom.CommRow) { r.At = time.Now().Add(48 * time.Hour) }), "line 61: time"},
			{bad(70, func(r *caseroom.CommRow) { r.Duration = -1 }), "line 70: duration"},
			{bad(80, func(r *caseroom.CommRow) { r.To = r.From }), "line 80"},
			{func(*time.Location, func(caseroom.CommRow) error) error { return nil }, "no communications"},
		} {
			_, err := s.DB.ImportCommunications(f.ctx, c, commImport("SB/1", fmt.Sprintf("%064x", i+1), tc.rows))
			if caseroom.ErrorCode(err) != caseroom.EINVALID || !strings.Contains(caseroom.ErrorMessage(err), tc.want) {
				t.Errorf("import %d: %v, want EINVALID naming %q", i, err, tc.want)
			}
		}
		if _, err := s.DB.ImportCommunications(f.ctx, c, commImport("XX/9", strings.Repeat("01", 32), rows)); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			t.Errorf("import into an exhibit not in the case: %v", err)
		}
		if got := s.Snapshot(); fmt.Sprint(got) != fmt.Sprint(snap) || s.Count("communications") != 0 || s.Count("endpoints") != 0 || s.Count("comm_imports") != 0 {
			t.Errorf("refused imports wrote something")
		}

		// 12,000 rows in batches of 5,000; the second read fails after 7,000: the first
		// batch is kept.
		defer sqlstore.SetCommBatch(5000)()
		const n = 12000
		big := commRows(n, start)
		reads := 0
		crash := errors.New("the disk went away")
		interrupted := func(loc *time.Location, fn func(caseroom.CommRow) error) error {
			reads++
			return big(loc, func(r caseroom.CommRow) error {
				if reads == 2 && r.Line > 7000 {
					return crash
				}
				return fn(r)
			})
		}
		sum := strings.Repeat("77", 32)
		if _, err := s.DB.ImportCommunications(f.ctx, c, commImport("SB/1", sum, interrupted)); !errors.Is(err, crash) {
			t.Fatalf("interrupted import: %v", err)
		}
		kept := s.Count("communications")
		if kept == 0 || kept >= n {
			t.Fatalf("%d rows kept after the interruption", kept)
		}
		s.Reopen()
		imp, err := s.DB.ImportCommunications(f.ctx, c, commImport("SB/1", sum, big))
		if err != nil {
			t.Fatal(err)
		}
		if !imp.Resumed || !imp.Complete || imp.Added != int64(n-kept) || imp.Skipped != int64(kept) {
			t.Errorf("resumed import: %+v (kept %d)", imp, kept)
		}
		if got := s.Count("communications"); got != n {
			t.Errorf("%d communications, want %d", got, n)
		}
		sum2, err := s.DB.SummariseCommunications(f.ctx, c, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if sum2.Contacts != n {
			t.Errorf("the pair totals count %d contacts, want %d", sum2.Contacts, n)
		}
		key, err := audit.LoadOrCreateLogKey(filepath.Join(t.TempDir(), "audit.key"))
		if err != nil {
			t.Fatal(err)
		}
		if _, finding := verifyLog(t, s.DB, key); finding != nil {
			t.Errorf("verify after a resumed import: %v", finding)
		}
	})
}

// Phone identifiers are one however written: stored in E.164, found by any writing,
// and those recorded before E.164 are given it as a fact at start-up.
func TestPhoneIdentifiersE164(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMoneyFixture(t, s)
		c := f.c.ID
		idf, err := s.DB.AddIdentifier(f.ctx, c, f.suspect.ID, caseroom.NewIdentifier{Kind: "phone", Value: "0300-1234567", Source: "S-1"})
		if err != nil {
			t.Fatal(err)
		}
		if idf.Value != "+923001234567" {
			t.Errorf("stored as %q, want +923001234567", idf.Value)
		}
		for _, q := range []string{"0300-1234567", "+92 300 1234567", "923001234567", "03001234567"} {
			ps, err := s.DB.FindPersons(f.ctx, c, caseroom.PersonFilter{Query: q})
			if err != nil || len(ps) != 1 || ps[0].ID != f.suspect.ID {
				t.Errorf("search %q: %d persons, %v", q, len(ps), err)
			}
		}
		// An identifier stored as first written, before E.164 (its mark and E.164 token
		// taken away behind the store's back): the next start gives it its E.164 form.
		idf2, err := s.DB.AddIdentifier(f.ctx, c, f.other.ID, caseroom.NewIdentifier{Kind: "phone", Value: "0345 7654321", Source: "S-1"})
		if err != nil {
			t.Fatal(err)
		}
		s.exec(`DELETE FROM identifier_e164 WHERE identifier_id = ?`, idf2.ID)
		s.exec(`DELETE FROM blind_index WHERE person_id = ? AND field = 'identifier:phone'`, f.other.ID)
		if ps, err := s.DB.FindPersons(f.ctx, c, caseroom.PersonFilter{Query: "+92 345 7654321"}); err != nil || len(ps) != 0 {
			t.Fatalf("search with the token taken away: %d persons, %v", len(ps), err)
		}
		s.Reopen()
		if n := s.Count("identifier_e164"); n != 2 {
			t.Errorf("%d identifiers marked after the start, want 2", n)
		}
		ps, err := s.DB.FindPersons(f.ctx, c, caseroom.PersonFilter{Query: "+92 345 7654321"})
		if err != nil || len(ps) != 1 || ps[0].ID != f.other.ID {
			t.Errorf("search after the start: %d persons, %v", len(ps), err)
		}
	})
}

// The timeline holds every kind in time order, each as its reader's lists show it,
// and pages through with its cursor.
func TestTimeline(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMoneyFixture(t, s)
		c := f.c.ID
		report := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocMedicalReport, Title: "Examination", Text: "Findings."})
		f.pay(caseroom.NewPayment{Payer: f.father.ID, Payee: f.suspect.ID, Amount: amount(5000000), At: "2015-06"})
		if _, err := s.DB.AddIdentifier(f.ctx, c, f.suspect.ID, caseroom.NewIdentifier{Kind: "phone", Value: "0300-1234567", Source: "S-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ImportCommunications(f.ctx, c, commImport("SB/1", strings.Repeat("ab", 32), commRows(30, time.Date(2015, 6, 20, 10, 0, 0, 0, time.UTC)))); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.RecordContact(f.ctx, c, caseroom.NewContact{Person: f.victim.ID, By: "lena", At: ptr(seized), Kind: caseroom.ContactVisit, Purpose: "Explain."}); err != nil {
			t.Fatal(err)
		}
		page := func(ctx context.Context, tf caseroom.TimelineFilter) *caseroom.TimelinePage {
			t.Helper()
			p, err := s.DB.Timeline(ctx, c, tf)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		kinds := func(p *caseroom.TimelinePage) map[caseroom.TimelineKind]int {
			m := map[caseroom.TimelineKind]int{}
			for _, e := range p.Entries {
				m[e.Kind]++
			}
			return m
		}
		all := page(f.ctx, caseroom.TimelineFilter{Limit: 1000})
		for i := 1; i < len(all.Entries); i++ {
			if all.Entries[i].Time.Before(all.Entries[i-1].Time) {
				t.Fatalf("entry %d (%s) before entry %d", i, all.Entries[i].Time, i-1)
			}
		}
		k := kinds(all)
		if k[caseroom.TimelinePayment] != 1 || k[caseroom.TimelineCommunication] != 30 || k[caseroom.TimelineContact] != 1 || k[caseroom.TimelineCustody] == 0 ||
			k[caseroom.TimelineStatement] == 0 || k[caseroom.TimelineComplaint] == 0 || k[caseroom.TimelineDocument] == 0 {
			t.Errorf("the lead's timeline holds %v", k)
		}
		// Paging by the cursor gives the same entries.
		var paged []string
		tf := caseroom.TimelineFilter{Limit: 7}
		for {
			p := page(f.ctx, tf)
			for _, e := range p.Entries {
				paged = append(paged, e.ID)
			}
			if p.Next == "" {
				break
			}
			tf.After = p.Next
		}
		if len(paged) != len(all.Entries) {
			t.Errorf("paging gave %d entries, one page %d", len(paged), len(all.Entries))
		}
		for i := range paged {
			if i < len(all.Entries) && paged[i] != all.Entries[i].ID {
				t.Fatalf("entry %d: %s paged, %s in one page", i, paged[i], all.Entries[i].ID)
			}
		}
		// An investigator: no medical report, no victim-contact ledger.
		inv := page(as(f.inv), caseroom.TimelineFilter{Limit: 1000})
		for _, e := range inv.Entries {
			if e.ID == report.ID || e.Kind == caseroom.TimelineContact {
				t.Errorf("an investigator's timeline holds %+v", e)
			}
		}
		// An advocate: their client's documents, and nothing of the whole case.
		adv := page(as(f.adv), caseroom.TimelineFilter{Limit: 1000})
		for _, e := range adv.Entries {
			if e.Kind != caseroom.TimelineStatement && e.Kind != caseroom.TimelineComplaint && e.Kind != caseroom.TimelineDocument && e.Kind != caseroom.TimelineRetraction {
				t.Errorf("an advocate's timeline holds %s %s", e.Kind, e.Summary)
			}
		}
		if _, err := s.DB.Timeline(as(f.adv), c, caseroom.TimelineFilter{Person: f.suspect.ID}); caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Errorf("an advocate's timeline of a non-client: %v", err)
		}
		// Around the suspect: the payment to them and their calls, not the victim contact.
		sus := kinds(page(f.ctx, caseroom.TimelineFilter{Person: f.suspect.ID, Limit: 1000}))
		if sus[caseroom.TimelinePayment] != 1 || sus[caseroom.TimelineCommunication] != 30 || sus[caseroom.TimelineContact] != 0 {
			t.Errorf("the suspect's timeline holds %v", sus)
		}
		// A page of one kind that is exactly full still has a next page.
		calls := page(f.ctx, caseroom.TimelineFilter{Kinds: []caseroom.TimelineKind{caseroom.TimelineCommunication}, Limit: 10})
		if len(calls.Entries) != 10 || calls.Next == "" {
			t.Errorf("a full page of calls: %d entries, next %q", len(calls.Entries), calls.Next)
		}
		// Kinds and windows.
		only := page(f.ctx, caseroom.TimelineFilter{Kinds: []caseroom.TimelineKind{caseroom.TimelinePayment}})
		if len(only.Entries) != 1 || only.Entries[0].Precision != "month" {
			t.Errorf("payments only: %+v", only.Entries)
		}
		from := time.Date(2015, 6, 20, 10, 10, 0, 0, time.UTC)
		if got := kinds(page(f.ctx, caseroom.TimelineFilter{From: &from, Kinds: []caseroom.TimelineKind{caseroom.TimelineCommunication}})); got[caseroom.TimelineCommunication] != 20 {
			t.Errorf("calls from 10:10: %v", got)
		}
		for _, bad := range []caseroom.TimelineFilter{{Kinds: []caseroom.TimelineKind{"gossip"}}, {After: "not-a-cursor"}, {Limit: 5000}, {Person: "V-0999"}} {
			if _, err := s.DB.Timeline(f.ctx, c, bad); caseroom.ErrorCode(err) != caseroom.EINVALID {
				t.Errorf("Timeline(%+v) = %v, want EINVALID", bad, err)
			}
		}
	})
}
