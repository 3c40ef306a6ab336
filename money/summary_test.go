package money_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/money"
)

// The parties of the test case; every name is made up.
var (
	zara   = caseroom.Party{ID: "per-1", Kind: caseroom.EntityPerson, Label: "Zara Fictus"}      // victim, family A
	omar   = caseroom.Party{ID: "per-2", Kind: caseroom.EntityPerson, Label: "Omar Fictus"}      // her father
	uncle  = caseroom.Party{ID: "per-3", Kind: caseroom.EntityPerson, Label: "Sami Fictus"}      // uncle in families A and B
	bilal  = caseroom.Party{ID: "per-4", Kind: caseroom.EntityPerson, Label: "Bilal Imaginary"}  // victim, family B
	mother = caseroom.Party{ID: "per-5", Kind: caseroom.EntityPerson, Label: "Rani Imaginary"}   // his mother
	hina   = caseroom.Party{ID: "per-6", Kind: caseroom.EntityPerson, Label: "Hina Madeup"}      // victim, family C, paid nothing
	kamran = caseroom.Party{ID: "per-9", Kind: caseroom.EntityPerson, Label: "Kamran Nadir"}     // suspect
	tariq  = caseroom.Party{ID: "per-8", Kind: caseroom.EntityPerson, Label: "Tariq Invented"}   // suspect, paid nothing
	wallet = caseroom.Party{ID: "end-1", Kind: caseroom.EntityIdentifier, Label: "0300-0000000"} // a mobile wallet
	trader = caseroom.Party{ID: "org-1", Kind: caseroom.EntityOrganisation, Label: "Fictional Traders"}
)

func payment(ref string, payer, payee caseroom.Party, amount caseroom.MinorUnits, cur, at string, purpose caseroom.PaymentPurpose) *caseroom.Payment {
	return &caseroom.Payment{ID: "pay-" + ref, Ref: ref, Payer: payer, Payee: payee, Amount: amount, Currency: cur, At: at, Purpose: purpose}
}

// testPayments are the payments of the test case, out of order. PM-5 is corrected by
// PM-6; PM-8 is withdrawn by PM-9.
func testPayments() []*caseroom.Payment {
	ext, sale := caseroom.PurposeExtortion, caseroom.PurposeSale
	pm5 := payment("PM-5", omar, kamran, 99_999_900, "PKR", "2024-02-10", ext)
	pm5.CorrectedBy = []string{"PM-6"}
	pm6 := payment("PM-6", omar, kamran, 9_999_900, "PKR", "2024-02-10", ext)
	pm6.Corrects = "PM-5"
	pm8 := payment("PM-8", bilal, kamran, 3_000_000, "PKR", "2024-03-01", ext)
	pm8.CorrectedBy = []string{"PM-9"}
	pm9 := payment("PM-9", bilal, kamran, 3_000_000, "PKR", "2024-03-01", ext)
	pm9.Corrects, pm9.Retracts = "PM-8", true
	return []*caseroom.Payment{
		payment("PM-11", trader, kamran, 20_000_000, "PKR", "2024-03-05", sale),
		payment("PM-2", zara, wallet, 2_500_050, "PKR", "2024-03-05", ext),
		pm9,
		payment("PM-3", uncle, kamran, 10_000_000, "PKR", "2024-02-03T15:00:00+05:00", ext), // 10:00 UTC
		payment("PM-1", omar, kamran, 5_000_000, "PKR", "2024-01-15", ext),
		pm5,
		payment("PM-10", kamran, trader, 150_000, "USD", "2024-03-05", sale),
		payment("PM-4", mother, kamran, 1_000_000, "PKR", "2024", ext),
		pm6,
		payment("PM-12", zara, kamran, 100, "PKR", "2024-02-03", caseroom.PurposeOther),
		pm8,
		payment("PM-13", zara, wallet, 4_000_000, "PKR", "2024-01", ext),
	}
}

var testFamilies = []caseroom.Family{
	{Victim: zara, Members: []caseroom.Party{zara, omar, uncle}},
	{Victim: bilal, Members: []caseroom.Party{bilal, mother, uncle}},
	{Victim: hina, Members: []caseroom.Party{hina}},
}

// amounts writes hand-computed sums as MoneyAmounts: "PKR", 100, "USD", 5...
func amounts(t *testing.T, pairs ...any) []caseroom.MoneyAmount {
	t.Helper()
	out := []caseroom.MoneyAmount{}
	for i := 0; i < len(pairs); i += 2 {
		code, amount := pairs[i].(string), caseroom.MinorUnits(pairs[i+1].(int))
		c, err := money.LookupCurrency(code)
		if err != nil {
			c = money.Currency{Code: code, Digits: 2}
		}
		out = append(out, caseroom.MoneyAmount{Currency: code, Amount: amount, Text: money.Text(amount, c)})
	}
	return out
}

func refs(s string) []string { return strings.Fields(s) }

func TestSummarise(t *testing.T) {
	got, err := money.Summarise(testPayments(), testFamilies, []caseroom.Party{kamran, tariq})
	if err != nil {
		t.Fatal(err)
	}
	pkr := func(n int) []caseroom.MoneyAmount { return amounts(t, "PKR", n) }
	want := &caseroom.MoneySummary{
		// 5,000,000 + 2,500,050 + 10,000,000 + 1,000,000 + 9,999,900 + 20,000,000 + 100 + 4,000,000
		Total:    amounts(t, "PKR", 52_500_050, "USD", 150_000),
		Payments: 9, // not PM-5, PM-8, PM-9
		ByPurpose: []caseroom.MoneyTotal{
			{Key: "extortion", Label: "extortion", Amounts: pkr(32_499_950), Count: 6, Payments: refs("PM-4 PM-13 PM-1 PM-3 PM-6 PM-2")},
			{Key: "sale", Label: "sale", Amounts: amounts(t, "PKR", 20_000_000, "USD", 150_000), Count: 2, Payments: refs("PM-10 PM-11")},
			{Key: "other", Label: "other", Amounts: pkr(100), Count: 1, Payments: refs("PM-12")},
		},
		// By PKR, the currency most payments are in, before USD.
		ByPayer: []caseroom.MoneyTotal{
			{Key: "org-1", Label: "Fictional Traders", Kind: caseroom.EntityOrganisation, Amounts: pkr(20_000_000), Count: 1, Payments: refs("PM-11")},
			{Key: "per-2", Label: "Omar Fictus", Kind: caseroom.EntityPerson, Amounts: pkr(14_999_900), Count: 2, Payments: refs("PM-1 PM-6")},
			{Key: "per-3", Label: "Sami Fictus", Kind: caseroom.EntityPerson, Amounts: pkr(10_000_000), Count: 1, Payments: refs("PM-3")},
			{Key: "per-1", Label: "Zara Fictus", Kind: caseroom.EntityPerson, Amounts: pkr(6_500_150), Count: 3, Payments: refs("PM-13 PM-12 PM-2")},
			{Key: "per-5", Label: "Rani Imaginary", Kind: caseroom.EntityPerson, Amounts: pkr(1_000_000), Count: 1, Payments: refs("PM-4")},
			{Key: "per-9", Label: "Kamran Nadir", Kind: caseroom.EntityPerson, Amounts: amounts(t, "USD", 150_000), Count: 1, Payments: refs("PM-10")},
		},
		ByPayee: []caseroom.MoneyTotal{
			{Key: "per-9", Label: "Kamran Nadir", Kind: caseroom.EntityPerson, Amounts: pkr(46_000_000), Count: 6, Payments: refs("PM-4 PM-1 PM-12 PM-3 PM-6 PM-11")},
			{Key: "end-1", Label: "0300-0000000", Kind: caseroom.EntityIdentifier, Amounts: pkr(6_500_050), Count: 2, Payments: refs("PM-13 PM-2")},
			{Key: "org-1", Label: "Fictional Traders", Kind: caseroom.EntityOrganisation, Amounts: amounts(t, "USD", 150_000), Count: 1, Payments: refs("PM-10")},
		},
		// PM-3, paid by the uncle, counts in both families; PM-12 is not extortion;
		// PM-8 was withdrawn; family C paid nothing.
		ExtortionByFamily: []caseroom.MoneyTotal{
			{Key: "per-1", Label: "Zara Fictus", Kind: caseroom.EntityPerson, Amounts: pkr(31_499_950), Count: 5, Payments: refs("PM-13 PM-1 PM-3 PM-6 PM-2"), Members: testFamilies[0].Members},
			{Key: "per-4", Label: "Bilal Imaginary", Kind: caseroom.EntityPerson, Amounts: pkr(11_000_000), Count: 2, Payments: refs("PM-4 PM-3"), Members: testFamilies[1].Members},
		},
		ReceivedBySuspect: []caseroom.MoneyTotal{
			{Key: "per-9", Label: "Kamran Nadir", Kind: caseroom.EntityPerson, Amounts: pkr(46_000_000), Count: 6, Payments: refs("PM-4 PM-1 PM-12 PM-3 PM-6 PM-11")},
		},
		ExtortionByMonth: []caseroom.MoneyMonth{
			{Month: "2024-01", Amounts: pkr(9_000_000), Count: 2},
			{Month: "2024-02", Amounts: pkr(19_999_900), Count: 2},
			{Month: "2024-03", Amounts: pkr(2_500_050), Count: 1},
		},
		UndatedExtortion: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summarise (-want +got):\n%s", diff)
	}
	if tx := got.Total[0].Text; tx.SouthAsian != "5,25,000.50" || tx.Words != "five lakh twenty-five thousand rupees and fifty paisa" {
		t.Errorf("total text = %+v; want 5,25,000.50, five lakh twenty-five thousand rupees and fifty paisa", tx)
	}
}

func TestSummariseEmpty(t *testing.T) {
	got, err := money.Summarise(nil, testFamilies, []caseroom.Party{kamran})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"caseId":"","total":[],"payments":0,"byPurpose":[],"byPayer":[],"byPayee":[],"extortionByFamily":[],"receivedBySuspect":[],"extortionByMonth":[]}`
	if string(b) != want {
		t.Errorf("Summarise of nothing = %s; want %s (lists empty, not null)", b, want)
	}
}

func TestSummariseOnlyWithdrawn(t *testing.T) {
	ps := testPayments()
	for _, p := range ps {
		p.CorrectedBy = []string{"PM-99"}
	}
	got, err := money.Summarise(ps, testFamilies, []caseroom.Party{kamran})
	if err != nil || got.Payments != 0 || len(got.Total) != 0 || len(got.ByPayer) != 0 || len(got.ExtortionByFamily) != 0 {
		t.Errorf("Summarise of corrected payments = %+v, %v; want nothing counted", got, err)
	}
}

func TestSummariseOrder(t *testing.T) {
	p := func(n int) caseroom.Party {
		return caseroom.Party{ID: fmt.Sprintf("per-%d", n), Kind: caseroom.EntityPerson, Label: fmt.Sprintf("Person %c", 'A'+n)}
	}
	ext := caseroom.PurposeExtortion
	payers := func(ps []*caseroom.Payment) []string {
		t.Helper()
		got, err := money.Summarise(ps, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, m := range got.ByPayer {
			order = append(order, m.Key)
		}
		return order
	}

	// PKR has five payments, USD four: totals compare in PKR, then in USD.
	ps := []*caseroom.Payment{
		payment("PM-1", p(1), kamran, 100, "USD", "2024-05-01", ext),
		payment("PM-2", p(2), kamran, 1_000_000_000, "PKR", "2024-05-01", ext),
		payment("PM-3", p(3), kamran, 50, "USD", "2024-05-02", ext),
		payment("PM-4", p(3), kamran, 10, "PKR", "2024-05-02", ext),
		payment("PM-5", p(4), kamran, 50, "USD", "2024-05-02", ext),
		payment("PM-6", p(4), kamran, 10, "PKR", "2024-05-02", ext),
		payment("PM-7", p(4), kamran, 60, "PKR", "2024-05-02", caseroom.PurposeOther),
		payment("PM-8", p(6), kamran, 50, "USD", "2024-05-02", ext),
		payment("PM-9", p(6), kamran, 70, "PKR", "2024-05-02", ext),
	}
	// per-2 Rs 1,00,00,000; per-4 Rs 0.80; per-6 Rs 0.70; per-3 Rs 0.10; per-1 only $1.
	if got, want := payers(ps), refs("per-2 per-4 per-6 per-3 per-1"); !cmp.Equal(want, got) {
		t.Errorf("ByPayer order, PKR first = %v; want %v", got, want)
	}

	// USD has three payments, PKR two: per-1's $1.00 is more than per-2's
	// Rs 1,00,00,000, and per-3, level with per-1 in USD, is ahead by its Rs 0.05.
	ps = []*caseroom.Payment{
		payment("PM-1", p(1), kamran, 100, "USD", "2024-05-01", ext),
		payment("PM-2", p(2), kamran, 1_000_000_000, "PKR", "2024-05-01", ext),
		payment("PM-3", p(3), kamran, 100, "USD", "2024-05-02", ext),
		payment("PM-4", p(3), kamran, 5, "PKR", "2024-05-02", ext),
		payment("PM-5", p(4), kamran, 1, "USD", "2024-05-02", ext),
	}
	if got, want := payers(ps), refs("per-3 per-1 per-4 per-2"); !cmp.Equal(want, got) {
		t.Errorf("ByPayer order, USD first = %v; want %v", got, want)
	}

	// Ties: equal amounts; more payments first, then by label.
	tie := []*caseroom.Payment{
		payment("PM-1", p(1), kamran, 100, "PKR", "2024", ext),
		payment("PM-2", p(2), kamran, 50, "PKR", "2024", ext),
		payment("PM-3", p(2), kamran, 50, "PKR", "2024", ext),
		payment("PM-4", p(0), kamran, 100, "PKR", "2024", ext),
	}
	// per-2 (Person C) has two payments; per-0 (Person A) and per-1 (Person B) one.
	if got, want := payers(tie), refs("per-2 per-0 per-1"); !cmp.Equal(want, got) {
		t.Errorf("ByPayer order on ties = %v; want %v", got, want)
	}
}

func TestSummariseTimeOrder(t *testing.T) {
	ext := caseroom.PurposeExtortion
	ps := []*caseroom.Payment{
		payment("PM-10", zara, kamran, 1, "PKR", "2024-03-05", ext),
		payment("PM-2", zara, kamran, 1, "PKR", "2024-03-05", ext),
		payment("PM-1", zara, kamran, 1, "PKR", "2024-03-05T00:00:00.5Z", ext),
		payment("PM-3", zara, kamran, 1, "PKR", "2024-03-05T00:00:00Z", ext),
		payment("PM-4", zara, kamran, 1, "PKR", "2024-03-04T23:00:00-02:00", ext), // 01:00 on the 5th, UTC
		payment("PM-5", zara, kamran, 1, "PKR", "2024-03", ext),
		payment("PM-6", zara, kamran, 1, "PKR", "2024", ext),
		payment("PM-7", zara, kamran, 1, "PKR", "2023-12-31", ext),
	}
	got, err := money.Summarise(ps, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := refs("PM-7 PM-6 PM-5 PM-2 PM-10 PM-3 PM-1 PM-4"); !cmp.Equal(want, got.ByPayer[0].Payments) {
		t.Errorf("payments in time order = %v; want %v", got.ByPayer[0].Payments, want)
	}
	months := []caseroom.MoneyMonth{
		{Month: "2023-12", Amounts: amounts(t, "PKR", 1), Count: 1},
		{Month: "2024-03", Amounts: amounts(t, "PKR", 6), Count: 6},
	}
	if diff := cmp.Diff(months, got.ExtortionByMonth); diff != "" || got.UndatedExtortion != 1 {
		t.Errorf("ExtortionByMonth (-want +got):\n%s\nundated %d; want 1", diff, got.UndatedExtortion)
	}
}

func TestSummariseFamilies(t *testing.T) {
	ext := caseroom.PurposeExtortion
	ps := []*caseroom.Payment{
		payment("PM-1", omar, kamran, 100, "PKR", "2024-01", ext),
		payment("PM-2", zara, kamran, 200, "PKR", "2024-01", ext),
		payment("PM-3", uncle, kamran, 400, "PKR", "2024-01", ext),
		payment("PM-4", mother, kamran, 800, "PKR", "2024-01", caseroom.PurposeSale), // not extortion
		payment("PM-5", hina, kamran, 1600, "PKR", "2024-01", ext),                   // in no family
	}
	families := []caseroom.Family{
		// Omar listed twice and the victim not among the members: still each
		// payment once, and the victim's own payments count.
		{Victim: zara, Members: []caseroom.Party{omar, omar}},
		{Victim: bilal, Members: []caseroom.Party{bilal, mother, uncle}},
		{Victim: caseroom.Party{}, Members: []caseroom.Party{{}}}, // no ids: matches nothing
	}
	got, err := money.Summarise(ps, families, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []caseroom.MoneyTotal{
		{Key: "per-4", Label: "Bilal Imaginary", Kind: caseroom.EntityPerson, Amounts: amounts(t, "PKR", 400), Count: 1, Payments: refs("PM-3"), Members: families[1].Members},
		{Key: "per-1", Label: "Zara Fictus", Kind: caseroom.EntityPerson, Amounts: amounts(t, "PKR", 300), Count: 2, Payments: refs("PM-1 PM-2"), Members: families[0].Members},
	}
	if diff := cmp.Diff(want, got.ExtortionByFamily); diff != "" {
		t.Errorf("ExtortionByFamily (-want +got):\n%s", diff)
	}
}

func TestSummariseUnknownCurrency(t *testing.T) {
	ps := []*caseroom.Payment{
		payment("PM-1", zara, kamran, 12345, "XXQ", "2024", caseroom.PurposeOther),
		payment("PM-2", zara, kamran, 5, "XXQ", "2024", caseroom.PurposeOther),
		payment("PM-3", zara, kamran, 100, "pkr", "2024", caseroom.PurposeOther), // not PKR
		payment("PM-4", zara, kamran, 100, "PKR", "2024", caseroom.PurposeOther),
	}
	got, err := money.Summarise(ps, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []caseroom.MoneyAmount{
		{Currency: "PKR", Amount: 100, Text: caseroom.AmountText{SouthAsian: "1.00", International: "1.00", Short: "1", Words: "one rupee"}},
		{Currency: "XXQ", Amount: 12350, Text: caseroom.AmountText{SouthAsian: "123.50", International: "123.50", Short: "123", Words: "one hundred twenty-three XXQ and fifty minor units"}},
		{Currency: "pkr", Amount: 100, Text: caseroom.AmountText{SouthAsian: "1.00", International: "1.00", Short: "1", Words: "one pkr"}},
	}
	if diff := cmp.Diff(want, got.Total); diff != "" {
		t.Errorf("Total (-want +got):\n%s", diff)
	}
}

func TestSummariseRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		amount caseroom.MinorUnits
		at     string
		msg    string
	}{
		{"zero", 0, "2024", `payment PM-7: amount 0 is not from 1 to 10000000000000 minor units`},
		{"negative", -5, "2024", `payment PM-7: amount -5 is not`},
		{"too large", caseroom.MaxPaymentAmount + 1, "2024", `amount 10000000000001 is not`},
		{"no time", 1, "", `payment PM-7: time "" is not YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time`},
		{"month 13", 1, "2024-13", `time "2024-13" is not`},
		{"30 February", 1, "2024-02-30", `time "2024-02-30" is not`},
		{"words", 1, "last week", `time "last week" is not`},
		{"bad RFC 3339", 1, "2024-02-03T25:00:00Z", `time "2024-02-03T25:00:00Z" is not`},
		{"short year", 1, "24-01", `time "24-01" is not`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := append(testPayments(), payment("PM-7", zara, kamran, tc.amount, "PKR", tc.at, caseroom.PurposeExtortion))
			got, err := money.Summarise(ps, nil, nil)
			if caseroom.ErrorCode(err) != caseroom.EINVALID || !strings.Contains(caseroom.ErrorMessage(err), tc.msg) {
				t.Errorf("Summarise = %v, %v; want EINVALID saying %q", got, err, tc.msg)
			}
			// The same payment corrected is ignored.
			ps[len(ps)-1].CorrectedBy = []string{"PM-8"}
			if _, err := money.Summarise(ps, nil, nil); err != nil {
				t.Errorf("Summarise with the bad payment corrected: %v", err)
			}
		})
	}
	if _, err := money.Summarise([]*caseroom.Payment{nil}, nil, nil); err == nil {
		t.Error("Summarise of a nil payment: no error")
	}
	if got, err := money.Summarise([]*caseroom.Payment{payment("PM-1", zara, kamran, 1, "PKR", "2024-02-29", caseroom.PurposeOther)}, nil, nil); err != nil || got.Payments != 1 {
		t.Errorf("Summarise of a payment on 29 February 2024 = %v, %v", got, err)
	}
}

// TestSummariseOverflow: 922,337 payments of the largest amount fit in a total; one
// more does not, and Summarise says so instead of wrapping.
func TestSummariseOverflow(t *testing.T) {
	if testing.Short() {
		t.Skip("a million payments")
	}
	big := payment("PM-1", zara, kamran, caseroom.MaxPaymentAmount, "PKR", "2024", caseroom.PurposeExtortion)
	ps := make([]*caseroom.Payment, 922_337)
	for i := range ps {
		ps[i] = big
	}
	got, err := money.Summarise(ps, nil, nil)
	if err != nil || got.Total[0].Amount != 922_337*caseroom.MaxPaymentAmount {
		t.Fatalf("Summarise of 922,337 payments of %d = %v, %v", caseroom.MaxPaymentAmount, got.Total, err)
	}
	// Another currency is a total of its own.
	got, err = money.Summarise(append(ps, payment("PM-2", zara, kamran, caseroom.MaxPaymentAmount, "USD", "2024", caseroom.PurposeExtortion)), nil, nil)
	if err != nil || len(got.Total) != 2 {
		t.Fatalf("Summarise with one USD payment more = %v, %v", got.Total, err)
	}
	_, err = money.Summarise(append(ps, big), nil, nil)
	if caseroom.ErrorCode(err) != caseroom.EINVALID || !strings.Contains(caseroom.ErrorMessage(err), "the standing payments in PKR add up to more than 9223372036854775807 minor units") {
		t.Errorf("Summarise of 922,338 payments of %d: %v; want EINVALID", caseroom.MaxPaymentAmount, err)
	}
}

func FuzzSummariseTime(f *testing.F) {
	for _, s := range []string{"2024", "2024-02", "2024-02-29", "2023-02-29", "2024-02-03T10:00:00Z", "2024-02-03T10:00:00+05:00", "2024-00", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, at string) {
		ps := []*caseroom.Payment{payment("PM-1", zara, kamran, 1, "PKR", at, caseroom.PurposeExtortion)}
		got, err := money.Summarise(ps, nil, nil)
		if err != nil {
			if caseroom.ErrorCode(err) != caseroom.EINVALID {
				t.Fatalf("Summarise at %q: %v; want EINVALID", at, err)
			}
			return
		}
		switch {
		case len(at) == 4:
			if got.UndatedExtortion != 1 || len(got.ExtortionByMonth) != 0 {
				t.Fatalf("Summarise at %q: %+v; want undated", at, got)
			}
		case len(got.ExtortionByMonth) != 1 || got.ExtortionByMonth[0].Count != 1:
			t.Fatalf("Summarise at %q: months %+v", at, got.ExtortionByMonth)
		case len(at) <= 10 && got.ExtortionByMonth[0].Month != at[:7]:
			t.Fatalf("Summarise at %q: month %q", at, got.ExtortionByMonth[0].Month)
		}
	})
}

// benchCase makes n payments among the families and suspects of a large case: most
// extortion in PKR from family members to suspects and their wallets, some sales,
// a few in USD and AED, one in twenty corrected.
func benchCase(n, nFamilies, nSuspects int) ([]*caseroom.Payment, []caseroom.Family, []caseroom.Party) {
	r := rand.New(rand.NewPCG(1, 2))
	person := func(i int) caseroom.Party {
		return caseroom.Party{ID: fmt.Sprintf("per-%d", i), Kind: caseroom.EntityPerson, Label: fmt.Sprintf("Person %d", i)}
	}
	var families []caseroom.Family
	var members []caseroom.Party
	id := 0
	for range nFamilies {
		f := caseroom.Family{Victim: person(id)}
		for range 1 + r.IntN(4) {
			f.Members = append(f.Members, person(id))
			members = append(members, person(id))
			id++
		}
		families = append(families, f)
	}
	var suspects, payees []caseroom.Party
	for range nSuspects {
		s := person(id)
		id++
		suspects = append(suspects, s)
		payees = append(payees, s, caseroom.Party{ID: "end-" + s.ID, Kind: caseroom.EntityIdentifier, Label: "wallet of " + s.Label})
	}
	ps := make([]*caseroom.Payment, n)
	for i := range ps {
		p := &caseroom.Payment{
			ID: fmt.Sprintf("pay-%d", i), Ref: fmt.Sprintf("PM-%d", i+1),
			Payer: members[r.IntN(len(members))], Payee: payees[r.IntN(len(payees))],
			Amount: caseroom.MinorUnits(1 + r.Int64N(100_000_000)), Currency: "PKR", Purpose: caseroom.PurposeExtortion,
		}
		switch day := r.IntN(1000); {
		case day < 50:
			p.At = fmt.Sprintf("%d", 2020+day%5)
		case day < 200:
			p.At = fmt.Sprintf("%d-%02d-%02dT%02d:%02d:00Z", 2020+day%5, 1+day%12, 1+day%28, day%24, day%60)
		default:
			p.At = fmt.Sprintf("%d-%02d-%02d", 2020+day%5, 1+day%12, 1+day%28)
		}
		switch k := r.IntN(100); {
		case k < 10:
			p.Purpose, p.Payer, p.Payee = caseroom.PurposeSale, suspects[r.IntN(len(suspects))], members[r.IntN(len(members))]
		case k < 13:
			p.Currency = "USD"
		case k < 15:
			p.Currency = "AED"
		}
		if r.IntN(20) == 0 {
			p.CorrectedBy = []string{"PM-0"}
		}
		ps[i] = p
	}
	return ps, families, suspects
}

// BenchmarkSummarise adds up 100,000 payments among 300 families and 20 suspects,
// given in random order and in time order (as FindPayments lists them).
// The figure to compare is against the 50 ms the summary page may take.
func BenchmarkSummarise(b *testing.B) {
	ps, families, suspects := benchCase(100_000, 300, 20)
	b.Run("random", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := money.Summarise(ps, families, suspects); err != nil {
				b.Fatal(err)
			}
		}
	})
	// In time order, copied afresh in that order as a store decoding its rows would
	// make them, so that reading them walks memory in turn.
	sorted := slices.Clone(ps)
	slices.SortStableFunc(sorted, func(a, b *caseroom.Payment) int { return strings.Compare(a.At, b.At) })
	for i, p := range sorted {
		c := *p
		c.ID, c.Ref, c.At, c.Currency = strings.Clone(p.ID), strings.Clone(p.Ref), strings.Clone(p.At), strings.Clone(p.Currency)
		c.Payer.ID, c.Payee.ID = strings.Clone(p.Payer.ID), strings.Clone(p.Payee.ID)
		sorted[i] = &c
	}
	b.Run("time-order", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := money.Summarise(sorted, families, suspects); err != nil {
				b.Fatal(err)
			}
		}
	})
}
