package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"caseroom"
)

// End-to-end tests of the dashboard and the people pages in headless Chromium.

func TestBrowserDashboardCharts(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))
	b.open(site.casePath())
	b.do("wait for the charts", chromedp.WaitVisible(`//h1[text()="Where the case stands"]`), chromedp.WaitVisible(`#chart-documents svg`))
	charts := get(b, "count the charts", chromedp.Evaluate[int](`document.querySelectorAll('section.chart svg[role="img"]').length`))
	if charts != 4 {
		t.Errorf("the dashboard shows %d charts, want 4 (documents, actions, arrests, media)", charts)
	}
	bars := get(b, "count the bars", chromedp.Evaluate[int](`document.querySelectorAll('#chart-documents svg rect').length`))
	if bars < 3 {
		t.Errorf("the statements and complaints chart draws %d rects, want bars for the demo's documents", bars)
	}
	if complaints := b.text(`//span[@class="l" and text()="complaints"]/preceding-sibling::span`); complaints != "18" {
		t.Errorf("dashboard shows %q complaints, want the demo's 18", complaints)
	}
	if statements := b.text(`//span[@class="l" and text()="statements"]/preceding-sibling::span`); statements == "" || statements == "0" {
		t.Errorf("dashboard shows %q statements", statements)
	}
	// The demo has three arrests, so production clocks run.
	if clocks := b.text(`#clocks-h`); !strings.Contains(clocks, "Deadline clocks") {
		t.Errorf("no clocks section: %q", clocks)
	}
	b.screenshot("dashboard")
}

func TestBrowserSearchSuspectByAlias(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))
	b.open(site.casePath("people"))
	// demo.go: the suspect Kamran Yousaf Virk is known as "Kami Video".
	b.do("search by alias", chromedp.SendKeys(chromedp.ID("q"), "kami video"), chromedp.Submit(chromedp.ID("q")),
		chromedp.WaitVisible(`//h2[contains(text(), "found")]`))
	if h := b.text("main h2"); !strings.HasPrefix(h, "1 person found") {
		t.Errorf("the search says %q, want one person", h)
	}
	b.screenshot("people")
	b.do("open the suspect", chromedp.Click(`//table[contains(@class,"people")]//a[text()="Kamran Yousaf Virk"]`),
		chromedp.WaitVisible(`//h1[text()="Kamran Yousaf Virk"]`))
	names := b.text(`#names-h + table`)
	if !strings.Contains(names, "Kami Video") || !strings.Contains(names, "alias") {
		t.Errorf("the names table does not show the alias: %q", names)
	}
	src := get(b, "count name sources", chromedp.Evaluate[int](`document.querySelectorAll('#names-h + table a[href*="/documents/"]').length`))
	if src == 0 {
		t.Errorf("no name or alias links to its source document")
	}
	links := get(b, "count links with sources", chromedp.Evaluate[int](`document.querySelectorAll('#links-h + table tbody tr td:nth-child(3) a[href*="/documents/"]').length`))
	if links == 0 {
		t.Errorf("the person's links show no source document")
	}
	if dir := get(b, "dir of names", chromedp.Evaluate[string](`document.querySelector('td.name').getAttribute('dir')`)); dir != "auto" {
		t.Errorf("a name cell has dir=%q, want auto", dir)
	}
	b.screenshot("person")
}

func TestBrowserInvestigatorSeesOnlyPseudonym(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleInvestigator))
	b.open(site.casePath("people", "V-0001"))
	if h := b.text("h1"); h != "V-0001" {
		t.Errorf("the victim's page is headed %q, want the pseudonym", h)
	}
	controls := get(b, "count reveal controls", chromedp.Evaluate[int](`document.querySelectorAll('form.reveal, #reason, button.danger').length`))
	if controls != 0 {
		t.Errorf("an investigator sees %d reveal controls", controls)
	}
	if names := get(b, "names section", chromedp.Evaluate[int](`document.querySelectorAll('#names-h, #ids-h').length`)); names != 0 {
		t.Errorf("an investigator sees the names or identifiers sections of a victim")
	}
	b.screenshot("person-victim-investigator")
}
