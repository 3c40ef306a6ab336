package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"caseroom"
)

// chooseOption chooses an option of a select as a user would, by its value, and lets
// the page hear the change.
func chooseOption(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const s = document.getElementById(%q);
		s.value = %q;
		if (s.value !== %q) { throw new Error("no option " + %q + " in #" + %q); }
		s.dispatchEvent(new Event("change", { bubbles: true }));
	})()`, id, value, value, value, id))
}

// dashboardCounts reads the demo dashboard's statements count and its open actions
// by state.
func dashboardCounts(b *chrome) (statements int, open map[string]int) {
	b.t.Helper()
	b.open(b.site.casePath())
	n, err := strconv.Atoi(b.text(`//span[@class="l" and text()="statements"]/preceding-sibling::span`))
	if err != nil {
		b.t.Fatalf("the dashboard's statements count: %v", err)
	}
	open = get(b, "read the open actions", chromedp.Evaluate[map[string]int](`(() => {
		const out = {};
		const h = [...document.querySelectorAll("h3")].find((e) => e.textContent.trim() === "Open actions");
		if (!h) { throw new Error("the dashboard shows no open actions"); }
		h.parentElement.querySelectorAll("dt").forEach((dt) => { out[dt.textContent.trim()] = parseInt(dt.nextElementSibling.textContent, 10); });
		return out;
	})()`))
	return n, open
}

// The lead registers a statement of a minor victim through the form, seeing the
// safeguard flag appear as she fills it in, reads it, and sees the dashboard count
// it; then raises an action from it, allocates it to the investigator, and sees it
// in the investigator's queue and in the dashboard's open actions.
func TestBrowserRegisterStatementAndRaiseAction(t *testing.T) {
	site := newDemoSite(t)
	ctx := context.Background()
	lead, err := site.DB.Authenticate(ctx, site.login("lead").Token)
	if err != nil {
		t.Fatal(err)
	}
	victims, err := site.DB.FindPersons(caseroom.NewContextWithUser(ctx, lead), site.CaseID, caseroom.PersonFilter{Role: caseroom.PersonVictim})
	if err != nil || len(victims) == 0 {
		t.Fatalf("the demo's victims: %v (%d)", err, len(victims))
	}
	victim := victims[0] // a child: the demo's victims are 8 to 16

	b := newChrome(t, site)
	b.signIn("lead")
	statements, open := dashboardCounts(b)

	// (a) Register a statement of the victim, with no one present yet.
	b.open(site.casePath("documents", "new"))
	b.do("fill in the statement",
		chooseOption("kind", "statement"),
		chromedp.SendKeys(chromedp.ID("title"), "Further statement about the shop"),
		chromedp.SendKeys(chromedp.ID("text"), "She said the man at the shop\nasked for her phone number."),
		chromedp.SendKeys(chromedp.ID("place"), "Women's desk, police station"),
		chooseOption("giver", victim.ID),
		chromedp.WaitVisible(`//ul[@id="safeguard-flags"]/li[@class="flag" and contains(text(), "A minor")]`),
	)
	b.screenshot("document-form")
	// Her guardian present in that capacity meets the rule: the flag goes.
	b.do("add the guardian",
		chooseOption("present-capacity-0", "appropriate adult"),
		chromedp.WaitNotPresent(`//ul[@id="safeguard-flags"]/li[contains(text(), "A minor")]`),
		chooseOption("present-capacity-0", ""),
		chromedp.WaitVisible(`//ul[@id="safeguard-flags"]/li[contains(text(), "A minor")]`),
	)
	b.do("register", chromedp.Click(`//button[text()="Register"]`), chromedp.WaitVisible(`//h1[contains(., "Further statement about the shop")]`))
	ref := strings.Fields(b.text("h1"))[0]
	if !strings.HasPrefix(ref, "S-") {
		t.Fatalf("the new document's page is headed %q", b.text("h1"))
	}
	if flash := b.text(".flash"); !strings.Contains(flash, "Registered "+ref) {
		t.Errorf("the flash says %q", flash)
	}
	if flags := b.text(".card.flagged"); !strings.Contains(flags, "guardian-for-minor") {
		t.Errorf("the statement shows the flags %q, want the server's guardian-for-minor", flags)
	}
	if text := get(b, "read the text", chromedp.Text(".doc-text")); !strings.Contains(text, "the shop\nasked") {
		t.Errorf("the text is shown as %q, its line breaks lost", text)
	}
	if giver := b.text(`//dt[text()="Given by"]/following-sibling::dd[1]`); giver != victim.Pseudonym {
		t.Errorf("the giver is shown as %q, want the pseudonym %s", giver, victim.Pseudonym)
	}
	b.screenshot("document")
	b.open(site.casePath("documents") + "?kind=statement")
	if row := b.text(`//table[contains(@class, "documents")]//tr[td/a[text()="` + ref + `"]]`); !strings.Contains(row, victim.Pseudonym) || !strings.Contains(row, "guardian-for-minor") {
		t.Errorf("the statements list shows %s as %q", ref, row)
	}
	b.screenshot("documents")
	b.open(site.casePath("documents", ref))

	// (b) Raise an action from it, and allocate it.
	b.do("raise an action", chromedp.Click(`//a[text()="Raise an action from this document"]`), chromedp.WaitVisible(chromedp.ID("title")))
	if from := get(b, "read raisedFrom", chromedp.Value(chromedp.ID("raisedFrom"))); from != ref {
		t.Errorf("the action form is raised from %q, want %s", from, ref)
	}
	b.do("raise it",
		chromedp.SendKeys(chromedp.ID("title"), "Trace the shopkeeper's phone"),
		chooseOption("kind", "trace-identifier"),
		chromedp.Click(`//button[text()="Raise the action"]`),
		chromedp.WaitVisible(`//h1[contains(., "Trace the shopkeeper's phone")]`))
	action := strings.Fields(b.text("h1"))[0]
	inv := site.login("investigator").User
	b.do("allocate it", chooseOption("allocate-to", inv), chromedp.Click(`//button[text()="Allocate"]`),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "Allocated")]`))
	b.screenshot("action")

	b.open(site.casePath("actions") + "?to=" + inv)
	if row := b.text(`//table[contains(@class, "actions")]//tr[td/a[text()="` + action + `"]]`); !strings.Contains(row, inv) || !strings.Contains(row, "allocated") {
		t.Errorf("in %s's queue, %s shows as %q", inv, action, row)
	}
	b.screenshot("actions")

	statements2, open2 := dashboardCounts(b)
	if statements2 != statements+1 {
		t.Errorf("the dashboard counts %d statements, want %d+1", statements2, statements)
	}
	if open2["allocated"] != open["allocated"]+1 || open2["raised"] != open["raised"] {
		t.Errorf("the dashboard's open actions went from %v to %v, want one more allocated", open, open2)
	}
}
