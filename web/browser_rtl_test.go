package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"caseroom"
)

// TestBrowserUrduNamesRightToLeft opens a suspect whose name is also recorded in Urdu
// script, found by an alias, and checks that the browser lays the Urdu name out right
// to left while the Latin one stays left to right (dir="auto" on names), and that the
// page holds together at a tablet's width.
func TestBrowserUrduNamesRightToLeft(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))
	b.open(site.casePath("people") + "?q=Tari")
	b.do("open the suspect found by the alias Tari", chromedp.Click(`//a[contains(., "Tariq Mehmood")]`), chromedp.WaitVisible(`//h1[contains(., "Tariq Mehmood")]`))
	direction := func(text string) string {
		t.Helper()
		js := `(() => { for (const el of document.querySelectorAll("main [dir=auto]")) { if (el.textContent.trim() === ` + jsString(text) + `) return getComputedStyle(el).direction; } return "missing"; })()`
		return get(b, "direction of "+text, chromedp.Evaluate[string](js))
	}
	if d := direction("طارق محمود"); d != "rtl" {
		t.Errorf("the Urdu name is laid out %s, want rtl", d)
	}
	if d := direction("Tariq Mehmood"); d != "ltr" {
		t.Errorf("the Latin name is laid out %s, want ltr", d)
	}
	// At a tablet's width nothing is wider than the screen but the graph and tables,
	// which scroll inside their own boxes.
	b.do("tablet width", chromedp.EmulateViewport(768, 1024))
	overflow := get(b, "page width", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if overflow {
		t.Errorf("at 768 px the person page is wider than the screen")
	}
	b.screenshot("person-tablet")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
