package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"caseroom"
)

// The link graph, accountability and audit pages in a real browser, on the demo case.

// waitLocation waits until the browser's address ends with suffix, failing the test
// after a few seconds.
func (b *chrome) waitLocation(suffix string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.HasSuffix(b.location(), suffix) {
		if time.Now().After(deadline) {
			b.t.Fatalf("the browser is at %s, want a page ending in %s", b.location(), suffix)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBrowserGraph(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))

	// The whole case, with its legend and the links as a table.
	b.open(site.casePath("graph"))
	b.do("see the whole case", chromedp.WaitVisible(`svg.graph-svg`), chromedp.WaitVisible(`.graph-legend`))
	b.screenshot("graph-case")

	// The lead centres the graph on a suspect with the form, two steps out.
	suspect := get(b, "a suspect on the graph", chromedp.AttributeValue(`svg.graph-svg a.node.n-suspect`, "href")).Value
	id := suspect[strings.LastIndex(suspect, "/")+1:]
	b.do("centre on the suspect",
		chromedp.SetValue(chromedp.ID("graph-person"), id),
		chromedp.SetValue(chromedp.ID("graph-depth"), "2"),
		chromedp.Click(`//button[text()="Show"]`),
		chromedp.WaitVisible(`svg.graph-svg a.node.focus`))
	b.waitLocation("depth=2")
	labels := get(b, "edge labels", chromedp.Evaluate[[]string](`[...document.querySelectorAll("svg.graph-svg .edge-label text")].map(t => t.textContent)`))
	if !strings.Contains(","+strings.Join(labels, ",")+",", ",implicates,") {
		t.Errorf("the suspect's graph has edge labels %q, want implicates among them", labels)
	}
	// No two nodes overlap.
	overlaps := get(b, "node boxes", chromedp.Evaluate[int](`(() => {
		const r = [...document.querySelectorAll("svg.graph-svg .node rect")].map(e => e.getBoundingClientRect());
		let n = 0;
		for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
			if (r[i].left < r[j].right && r[j].left < r[i].right && r[i].top < r[j].bottom && r[j].top < r[i].bottom) n++;
		return n;
	})()`))
	if overlaps != 0 {
		t.Errorf("%d pairs of nodes overlap on the suspect's graph", overlaps)
	}
	b.screenshot("graph")
	// On a tablet the drawing shrinks to the screen and the form stacks.
	if os.Getenv("CASEROOM_SCREENSHOTS") != "" {
		b.do("tablet", chromedp.EmulateViewport(768, 1024))
		b.screenshot("graph-tablet")
		b.do("laptop", chromedp.EmulateViewport(1366, 900))
	}

	// An edge label opens the document the link comes from.
	src := get(b, "an edge's source", chromedp.AttributeValue(`svg.graph-svg a.edge-label.e-implicates`, "href")).Value
	if !strings.Contains(src, "/documents/") {
		t.Errorf("an implicates label links to %q, want its source document", src)
	}
	// A node opens the person's page.
	b.do("open the suspect from the graph", chromedp.Click(`svg.graph-svg a.node.focus text.name`))
	b.waitLocation("/people/" + id)
}

func TestBrowserOversight(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleOversight))

	b.open(site.casePath())
	b.do("open the accountability report", chromedp.Click(`//nav[@aria-label="Case"]//a[text()="Accountability"]`), chromedp.WaitVisible(`//h1[text()="Accountability"]`))
	// Flagged suspects come first: no flagged row after one without flags.
	order := get(b, "rows", chromedp.Evaluate[[]bool](`[...document.querySelectorAll("table.accountability tbody tr")].map(tr => tr.classList.contains("flagged"))`))
	if len(order) == 0 {
		t.Error("the report lists no suspects")
	}
	for i := 1; i < len(order); i++ {
		if order[i] && !order[i-1] {
			t.Errorf("suspect %d is flagged but comes after one without flags", i+1)
		}
	}
	b.screenshot("accountability")

	b.do("open the audit page", chromedp.Click(`//nav[@aria-label="Case"]//a[text()="Audit"]`), chromedp.WaitVisible(`//h1[text()="Audit"]`))
	b.do("verify the log", chromedp.Click(`//button[text()="Verify now"]`), chromedp.WaitVisible(`.verify-result`))
	if res := b.text(".verify-result"); !strings.Contains(res, "OK: audit log intact") {
		t.Errorf("verification says %q, want OK", res)
	}
	b.screenshot("audit")

	// An investigator's navigation has no Accountability entry.
	b.do("sign out", chromedp.Click(`button.link`), chromedp.WaitVisible(`//p[contains(text(), "You have signed out.")]`))
	b.signIn(string(caseroom.RoleInvestigator))
	b.open(site.casePath())
	nav := b.text(`nav.case-nav`)
	if strings.Contains(nav, "Accountability") {
		t.Errorf("the investigator's navigation offers %q", nav)
	}
}

// TestBrowserGraphChart works the chart's controls in a real browser: a link type off
// hides its links, zoom moves the view box, Alt+click hides a record and the button
// shows it again, and the paths the page found are drawn over the chart.
func TestBrowserGraphChart(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))
	b.open(site.casePath("graph"))
	b.do("see the chart's controls", chromedp.WaitVisible(`.graph-tools .graph-types input[type=checkbox]`))

	visible := func(sel string) int {
		return get(b, "visible "+sel, chromedp.Evaluate[int](`[...document.querySelectorAll(`+"`"+sel+"`"+`)].filter(e => getComputedStyle(e).display !== "none").length`))
	}
	first := get(b, "the first link type", chromedp.Evaluate[string](`document.querySelector(".graph-types input").value`))
	sel := `svg.graph-svg .edges .edge[data-type="` + first + `"]`
	if visible(sel) == 0 {
		t.Fatalf("no %s link is drawn to start with", first)
	}
	b.do("switch the type off", chromedp.Click(`.graph-types input[value="`+first+`"]`))
	if n := visible(sel); n != 0 {
		t.Errorf("%d %s links still shown with the type off", n, first)
	}
	b.do("switch it on again", chromedp.Click(`.graph-types input[value="`+first+`"]`))

	width := func() float64 {
		return get(b, "view box", chromedp.Evaluate[float64](`document.querySelector("svg.graph-svg").viewBox.baseVal.width`))
	}
	w0 := width()
	b.do("zoom in", chromedp.Click(`//button[text()="Zoom in"]`))
	if w := width(); w >= w0 {
		t.Errorf("zoom in: view box %v wide, was %v", w, w0)
	}
	b.do("fit", chromedp.Click(`//button[text()="Fit"]`))
	if w := width(); w != w0 {
		t.Errorf("fit: view box %v wide, want %v", w, w0)
	}

	nodes := visible(`svg.graph-svg .node`)
	b.do("hide a record", chromedp.Evaluate[chromedp.Void](`(() => { document.querySelector("svg.graph-svg .node").dispatchEvent(new MouseEvent("click", {altKey: true, bubbles: true, cancelable: true})); })()`))
	if n := visible(`svg.graph-svg .node`); n != nodes-1 {
		t.Errorf("after hiding one of %d records, %d shown", nodes, n)
	}
	b.do("show it again", chromedp.Click(`//button[starts-with(text(), "Show hidden records")]`))
	if n := visible(`svg.graph-svg .node`); n != nodes {
		t.Errorf("after showing the hidden, %d of %d records shown", n, nodes)
	}

	// Centred on a record one step out, Shift+click on a neighbour adds its links from
	// the network API; dragging a record moves it and its links follow.
	focus := get(b, "a record with links", chromedp.Evaluate[string](`document.querySelector('svg.graph-svg .edges .edge[data-type="implicates"]').dataset.from`))
	b.open(site.casePath("graph") + "?person=" + focus)
	b.do("see the focused chart", chromedp.WaitVisible(`.graph-tools .graph-status`))
	before := visible(`svg.graph-svg .node`)
	b.do("expand a neighbour", chromedp.Evaluate[chromedp.Void](`(() => {
		const n = document.querySelector("svg.graph-svg .node:not(.focus)");
		n.dispatchEvent(new MouseEvent("click", {shiftKey: true, bubbles: true, cancelable: true}));
	})()`), chromedp.WaitVisible(`//p[contains(@class, "graph-status")][starts-with(text(), "Added")]`))
	if after := visible(`svg.graph-svg .node`); after <= before {
		t.Errorf("expanding a neighbour: %d records shown, %d before", after, before)
	}
	if n := visible(`svg.graph-svg .edges .edge.added`); n == 0 {
		t.Error("expanding a neighbour drew no link")
	}
	moved := get(b, "drag a record", chromedp.Evaluate[string](`(() => {
		const n = document.querySelector("svg.graph-svg .node");
		const r = n.querySelector("rect").getBoundingClientRect();
		const at = (type, dx) => n.dispatchEvent(new PointerEvent(type, {pointerId: 7, clientX: r.left + r.width / 2 + dx, clientY: r.top + r.height / 2, bubbles: true}));
		at("pointerdown", 0); at("pointermove", 30); at("pointermove", 60); at("pointerup", 60);
		return (n.getAttribute("transform") || "") + " " + n.getAttribute("class");
	})()`))
	if !strings.Contains(moved, "translate(") || !strings.Contains(moved, "pinned") {
		t.Errorf("dragging a record: %q", moved)
	}
	b.screenshot("graph-expanded")

	// A path between a victim and the suspect one of their family implicates.
	b.open(site.casePath("graph"))
	b.do("see the chart again", chromedp.WaitVisible(`.graph-tools`))
	ids := get(b, "a link's ends", chromedp.Evaluate[[]string](`(() => { const e = document.querySelector('svg.graph-svg .edges .edge[data-type="implicates"]'); return [e.dataset.from, e.dataset.to]; })()`))
	b.open(site.casePath("graph") + "?from=" + ids[0] + "&to=" + ids[1])
	b.do("see the path", chromedp.WaitVisible(`.paths-found li.shown`))
	if n := visible(`svg.graph-svg .edges .edge.on-path`); n == 0 {
		t.Error("the path found is not drawn on the chart")
	}
	b.screenshot("graph-path")
}

// TestBrowserGraphThousand draws a chart of about a thousand records (the demo case
// and 920 more suspects, linked at random) and pans it in Chromium, logging the
// server's time to draw the page and the frames' times while panning (figures in
// bench/README.md; nothing is asserted of them).
func TestBrowserGraphThousand(t *testing.T) {
	site := newDemoSite(t)
	lead, err := site.DB.FindUser(caseroom.NewContextWithUser(context.Background(), caseroom.Console), site.logins["lead"].User)
	if err != nil {
		t.Fatal(err)
	}
	ctx := caseroom.NewContextWithUser(context.Background(), lead)
	src, err := site.DB.RegisterDocument(ctx, site.CaseID, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Analyst's chart", Text: "Links for the chart."})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 9))
	confidence := 0.8
	var ids []string
	for i := range 920 {
		p, err := site.DB.RegisterPerson(ctx, site.CaseID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: fmt.Sprintf("Chart Person %d", i), Script: "Latn"}},
			Roles: []caseroom.PersonRole{caseroom.PersonSuspect}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
		if i > 0 {
			to := ids[r.IntN(len(ids)-1)]
			if _, err := site.DB.RecordLink(ctx, site.CaseID, caseroom.NewLink{From: p.ID, To: to, Type: "knows", Source: src.ID, Confidence: &confidence}); err != nil {
				t.Fatal(err)
			}
		}
	}
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))
	t0 := time.Now()
	b.open(site.casePath("graph"))
	b.do("see the chart", chromedp.WaitVisible(`svg.graph-svg`))
	loaded := time.Since(t0)
	nodes := get(b, "records drawn", chromedp.Evaluate[int](`document.querySelectorAll("svg.graph-svg .node").length`))
	if nodes < 1000 {
		t.Fatalf("%d records drawn, want the whole case of about 1,000", nodes)
	}
	// A drag of the background, one pointer move a frame, as a user pans.
	frames := get(b, "frame times while panning", chromedp.Evaluate[[]float64](`new Promise((done) => {
		const svg = document.querySelector("svg.graph-svg"), r = svg.getBoundingClientRect(), times = [];
		const at = (type, dx) => svg.dispatchEvent(new PointerEvent(type, {pointerId: 9, clientX: r.left + 5 + dx, clientY: r.top + 5 + dx / 2, bubbles: true}));
		const x0 = svg.viewBox.baseVal.x;
		at("pointerdown", 0);
		let last = performance.now(), n = 0;
		const step = (now) => {
			times.push(now - last); last = now;
			at("pointermove", n * 3);
			if (++n < 120) { requestAnimationFrame(step); return; }
			at("pointerup", n * 3);
			done(svg.viewBox.baseVal.x === x0 ? [] : times.slice(1)); // none: the drag did not move the view
		};
		requestAnimationFrame(step);
	})`, chromedp.EvalAwaitPromise))
	if len(frames) == 0 {
		t.Fatal("dragging the chart's background did not move the view")
	}
	slices.Sort(frames)
	t.Logf("%d records: page drawn and shown in %s; panning, frame time p50 %.1f ms, p95 %.1f ms, max %.1f ms",
		nodes, loaded.Round(time.Millisecond), frames[len(frames)/2], frames[len(frames)*95/100], frames[len(frames)-1])
	b.screenshot("graph-thousand")
}
