package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"caseroom"
)

// TestBrowserSearchFromTheHeader types a phrase into the search box of a case page's
// header, as the lead, and checks that the results page shows the statements that
// hold it with the words highlighted, keeps the phrase in the box and out of the
// address, links each hit to its record's page, and fits a 1280 px screen.
func TestBrowserSearchFromTheHeader(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))
	b.do("laptop width", chromedp.EmulateViewport(1280, 900))
	b.open(site.casePath("documents"))
	// demo.go: victims' statements tell of a suspect seen "at the bus stand".
	b.do("search from the header", chromedp.SendKeys(chromedp.ID("case-search-q"), `"bus stand"`), chromedp.Submit(chromedp.ID("case-search-q")),
		chromedp.WaitVisible(`ol.search-hits mark`))
	if loc := b.location(); loc != site.casePath("search") {
		t.Errorf("the results are at %s, want %s: the query stays out of the address", loc, site.casePath("search"))
	}
	if v := get(b, "the header's box", chromedp.Evaluate[string](`document.getElementById("case-search-q").value`)); v != `"bus stand"` {
		t.Errorf("the header's box holds %q after the search, want the phrase typed", v)
	}
	marks := get(b, "the highlighted words", chromedp.Evaluate[[]string](`[...document.querySelectorAll("ol.search-hits mark")].map(m => m.textContent.toLowerCase())`))
	if len(marks) < 2 {
		t.Fatalf("the results highlight %v, want the phrase's words in each hit", marks)
	}
	for _, m := range marks {
		if m != "bus" && m != "stand" {
			t.Errorf("the results highlight %q, which is not a word of the phrase", m)
		}
	}
	// A highlight a reader can see: the <mark> has a background of its own.
	if bg := get(b, "the highlight's colour", chromedp.Evaluate[string](`getComputedStyle(document.querySelector("ol.search-hits mark")).backgroundColor`)); bg == "" || bg == "rgba(0, 0, 0, 0)" || bg == "transparent" {
		t.Errorf("a highlighted word has the background %q", bg)
	}
	if n := get(b, "statements found", chromedp.Evaluate[int](`document.querySelectorAll("#found-statement + ol.search-hits > li").length`)); n == 0 {
		t.Error("the results list no statements")
	}
	if total := b.text(".search-total"); !strings.Contains(total, "found for") {
		t.Errorf("the results say %q", total)
	}
	overflow := get(b, "page width", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if overflow {
		t.Error("at 1280 px the results page is wider than the screen")
	}
	b.screenshot("search-results")

	// The first hit opens its statement.
	ref := b.text(`#found-statement + ol.search-hits > li .hit-head a .mono`)
	b.do("open the first statement", chromedp.Click(`#found-statement + ol.search-hits > li .hit-head a`), chromedp.WaitVisible(`//h1[contains(., "`+ref+`")]`))
	if loc := b.location(); !strings.HasSuffix(loc, "/documents/"+ref) {
		t.Errorf("the hit opened %s, want the document %s", loc, ref)
	}
}
