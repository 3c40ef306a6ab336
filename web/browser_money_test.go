package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"caseroom"
)

// The money and timeline pages in a real browser, on the demo case with payments and
// call records added: the chart is drawn and the family's total shown; a payment
// recorded through the form counts; the timeline pages forward.

// seedMoney records, as the demo's lead, two payments under threat by a victim's
// parent to a suspect (eight crore rupees together) and 150 calls of the suspect's
// phone imported into SB/1, and returns the victim's pseudonym, the parent and the
// suspect.
func seedMoney(t *testing.T, site *demoSite) (victim string, parent, suspect *caseroom.Person) {
	t.Helper()
	ctx := context.Background()
	lead, err := site.DB.Authenticate(ctx, site.login("lead").Token)
	if err != nil {
		t.Fatal(err)
	}
	ctx = caseroom.NewContextWithUser(ctx, lead)
	links, err := site.DB.FindLinks(ctx, site.CaseID, caseroom.LinkFilter{Type: "parent_of"})
	if err != nil || len(links) == 0 {
		t.Fatalf("the demo's parents: %v (%d links)", err, len(links))
	}
	victim = links[0].ToLabel
	if parent, err = site.DB.FindPerson(ctx, site.CaseID, links[0].From); err != nil {
		t.Fatal(err)
	}
	suspects, err := site.DB.FindPersons(ctx, site.CaseID, caseroom.PersonFilter{Role: caseroom.PersonSuspect})
	if err != nil || len(suspects) == 0 {
		t.Fatalf("the demo's suspects: %v", err)
	}
	suspect = suspects[0]
	docs, err := site.DB.FindDocuments(ctx, site.CaseID, caseroom.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	source := ""
	for _, d := range docs {
		if strings.HasPrefix(d.Title, "Financial enquiry") {
			source = d.Ref
		}
	}
	if source == "" {
		t.Fatal("the demo has no financial enquiry to cite")
	}
	for _, p := range []struct {
		amount caseroom.MinorUnits
		at     string
	}{{5_00_00_000_00, "2024-03"}, {3_00_00_000_00, "2024-07-15"}} {
		amount := p.amount
		if _, err := site.DB.RecordPayment(ctx, site.CaseID, caseroom.NewPayment{Payer: parent.ID, Payee: suspect.ID, Amount: &amount, At: p.at,
			Method: caseroom.PaymentCash, Purpose: caseroom.PurposeExtortion, Source: source}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	rows := func(_ *time.Location, fn func(caseroom.CommRow) error) error {
		for i := range 150 {
			r := caseroom.CommRow{Line: int64(i + 2), Kind: caseroom.CommCall, Directed: true, Duration: int64(20 + i),
				From: caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: "0300-7654321"},
				To:   caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: []string{"+447700900456", "0321-1112223"}[i%2]},
				At:   start.Add(time.Duration(i) * time.Hour)}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := site.DB.ImportCommunications(ctx, site.CaseID, caseroom.NewCommImport{Exhibit: "SB/1", Format: "cdr",
		SHA256: strings.Repeat("ab", 32), Name: "calls.csv", Rows: rows}); err != nil {
		t.Fatal(err)
	}
	return victim, parent, suspect
}

func TestBrowserMoneyAndTimeline(t *testing.T) {
	site := newDemoSite(t)
	victim, parent, suspect := seedMoney(t, site)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))

	// The money page, from the case's navigation.
	b.open(site.casePath())
	b.do("open the money page", chromedp.Click(`//nav[@class="case-nav"]//a[text()="Money"]`), chromedp.WaitVisible(`//h1[text()="Money"]`))
	bars := get(b, "the chart", chromedp.Evaluate[int](`document.querySelectorAll("svg.barchart rect[fill]").length`))
	if bars < 3 { // the legend's swatch, March and July
		t.Errorf("the extortion chart has %d rects", bars)
	}
	if w := get(b, "the chart's width", chromedp.Evaluate[float64](`document.querySelector("svg.barchart").getBoundingClientRect().width`)); w < 300 {
		t.Errorf("the chart is drawn %.0f px wide", w)
	}
	family := b.text(`table.mc-families tbody tr`)
	ps, err := site.DB.FindPayments(asLead(site), site.CaseID, caseroom.PaymentFilter{Person: parent.ID})
	if err != nil || len(ps) < 2 {
		t.Fatalf("the parent's payments: %d, %v", len(ps), err)
	}
	sum, err := site.DB.SummarisePayments(asLead(site), site.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	total := ""
	for _, f := range sum.ExtortionByFamily {
		if f.Label == victim {
			total = f.Amounts[0].Text.SouthAsian
		}
	}
	for _, want := range []string{victim, "Rs " + total, ps[0].Ref, ps[1].Ref} {
		if !strings.Contains(family, want) {
			t.Errorf("the family's row %q does not show %q", family, want)
		}
	}
	b.screenshot("money")

	// A payment through the form: 1,250.50 rupees from the parent to an account.
	all, err := site.DB.FindPayments(asLead(site), site.CaseID, caseroom.PaymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	next := fmt.Sprintf("PM-%d", len(all)+1)
	b.do("record a payment",
		chooseOption("payer", parent.ID),
		chromedp.SendKeys(chromedp.ID("payeeAccount"), "phone:0345-1234567"),
		chromedp.SendKeys(chromedp.ID("amount"), "1,250.50"),
		chromedp.SendKeys(chromedp.ID("at"), "2024-09"),
		chooseOption("source", "R-1"),
		chromedp.Click(`//button[text()="Record the payment"]`),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(text(), "Recorded `+next+`: Rs 1,250.50 (one thousand two hundred fifty rupees and fifty paisa)")]`))
	if row := b.text(`#` + next); !strings.Contains(row, "+923451234567") {
		t.Errorf("the new payment's row: %q", row)
	}

	// The suspect's page links to their timeline; the timeline pages forward.
	b.open(site.casePath("people", suspect.ID))
	b.do("open the suspect's timeline", chromedp.Click(`//p[@class="person-actions"]/a[text()="Timeline"]`), chromedp.WaitVisible(`table.mc-timeline`))
	b.waitLocation("?person=" + suspect.ID)

	b.open(site.casePath("timeline"))
	entries := func() (int, string) {
		n := get(b, "count the entries", chromedp.Evaluate[int](`document.querySelectorAll("table.mc-timeline tbody tr").length`))
		return n, b.text(`table.mc-timeline tbody tr`)
	}
	n, first := entries()
	if n != 100 {
		t.Errorf("the timeline's first page shows %d entries, want 100", n)
	}
	b.do("page forward", chromedp.Click(`//a[@rel="next"]`), chromedp.WaitVisible(`//a[text()="Back to the start"]`))
	if !strings.Contains(b.location(), "after=") {
		t.Errorf("the next page is at %s", b.location())
	}
	n2, first2 := entries()
	if n2 == 0 || first2 == first {
		t.Errorf("the second page shows %d entries, the first %q (the first page's: %q)", n2, first2, first)
	}
	b.screenshot("timeline")
	// Filtered to payments, every one is there (a page holds 100), the first shown at
	// its precision.
	all, err = site.DB.FindPayments(asLead(site), site.CaseID, caseroom.PaymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b.open(site.casePath("timeline") + "?kinds=payment")
	if n, _ := entries(); n != min(len(all), 100) {
		t.Errorf("the timeline of payments shows %d entries, want %d", n, min(len(all), 100))
	}
	if when := b.text(`table.mc-timeline tbody tr td`); len(all[0].At) <= 7 && when != all[0].At {
		t.Errorf("the first payment is shown at %q, want %s", when, all[0].At)
	}
	first1 := all[0].Ref
	b.do("follow the payment", chromedp.Click(`//table[contains(@class,"mc-timeline")]//a[text()="`+first1+`"]`), chromedp.WaitVisible(`#`+first1))
	b.waitLocation("/money#" + first1)

	// The phone's communications: its two counterparts charted, the one abroad listed.
	b.open(site.casePath("communications") + "?endpoint=" + "%2B923007654321")
	b.do("see the phone's contacts", chromedp.WaitVisible(`svg.barchart`), chromedp.WaitVisible(`//h2[text()="Foreign contacts"]`))
	if abroad := b.text(`ul.mc-foreign`); !strings.Contains(abroad, "+447700900456") {
		t.Errorf("the foreign contacts are %q", abroad)
	}
	b.screenshot("communications")
}

// asLead is a context acting as the demo's lead.
func asLead(site *demoSite) context.Context {
	ctx := context.Background()
	lead, err := site.DB.Authenticate(ctx, site.login("lead").Token)
	if err != nil {
		panic(err)
	}
	return caseroom.NewContextWithUser(ctx, lead)
}
