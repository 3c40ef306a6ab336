package web

// A crawl of the whole web UI on the demo case, as several roles: every link a page
// shows must work, and every page must keep the UI's promises that a browser would
// not report: every form control labelled, every image described, nothing the
// Content-Security-Policy would block (inline script or style), the language set.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"caseroom"
)

// httpSession is a signed-in web session over plain HTTP (no browser).
type httpSession struct {
	t      testing.TB
	site   *demoSite
	client *http.Client
}

// signInHTTP signs a demo user in through the sign-in form, with their second factor.
func signInHTTP(t testing.TB, site *demoSite, userOrRole string) *httpSession {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &httpSession{t: t, site: site, client: &http.Client{Jar: jar}}
	l := site.login(userOrRole)
	form := url.Values{"user": {l.User}, "password": {l.Password}}
	if l.TOTP != "" {
		form.Set("code", totpCode(t, l))
	}
	resp, err := s.client.PostForm(site.URL+"/signin", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Your cases") {
		t.Fatalf("sign in as %s: %d\n%.400s", l.User, resp.StatusCode, body)
	}
	return s
}

// get fetches a page and returns its status, body and how long the server took.
func (s *httpSession) get(path string) (int, []byte, time.Duration) {
	s.t.Helper()
	start := time.Now()
	resp, err := s.client.Get(s.site.URL + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, body, time.Since(start)
}

// idPattern replaces record ids and references in a path, so that pages are grouped
// by what they are (the person page, the document page) for the timing figures.
var idPattern = regexp.MustCompile(`[a-z]{3}_[a-z2-7]{16,}|\b(?:[A-Z]{1,2}|SB%2F)-?\d+\b|V-\d{4}`)

// pageProblems lists what is wrong with a page's HTML, and returns the same-site
// links it shows (paths under /cases, without their fragment).
func pageProblems(body []byte) (problems []string, links []string) {
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		return []string{"not HTML: " + err.Error()}, nil
	}
	ids, labelFor := map[string]bool{}, map[string]bool{}
	var controls []*html.Node
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			a := attrs(n)
			if id := a["id"]; id != "" {
				if ids[id] {
					problems = append(problems, "duplicate id "+id)
				}
				ids[id] = true
			}
			if _, ok := a["style"]; ok {
				problems = append(problems, "inline style on <"+n.Data+"> (blocked by the CSP)")
			}
			for k := range a {
				if strings.HasPrefix(k, "on") {
					problems = append(problems, "inline handler "+k+" on <"+n.Data+"> (blocked by the CSP)")
				}
			}
			switch n.Data {
			case "html":
				if a["lang"] == "" {
					problems = append(problems, "<html> without lang")
				}
			case "script":
				if a["src"] == "" {
					problems = append(problems, "inline <script> (blocked by the CSP)")
				}
			case "style":
				problems = append(problems, "<style> block (blocked by the CSP)")
			case "img":
				if _, ok := a["alt"]; !ok {
					problems = append(problems, "<img> without alt")
				}
			case "label":
				if f := a["for"]; f != "" {
					labelFor[f] = true
				}
				inLabel = true
			case "input", "select", "textarea":
				switch a["type"] {
				case "hidden", "submit", "button", "reset", "image":
				default:
					if !inLabel && a["aria-label"] == "" && a["aria-labelledby"] == "" {
						controls = append(controls, n)
					}
				}
			case "a":
				if href := a["href"]; strings.HasPrefix(href, "/cases") {
					href, _, _ = strings.Cut(href, "#")
					links = append(links, href)
				} else if strings.HasPrefix(href, "http") {
					problems = append(problems, "link to another site: "+href)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(doc, false)
	for _, c := range controls {
		if a := attrs(c); a["id"] == "" || !labelFor[a["id"]] {
			problems = append(problems, fmt.Sprintf("<%s name=%q id=%q> has no label", c.Data, a["name"], a["id"]))
		}
	}
	return problems, links
}

func attrs(n *html.Node) map[string]string {
	m := make(map[string]string, len(n.Attr))
	for _, a := range n.Attr {
		m[a.Key] = a.Val
	}
	return m
}

// crawl visits every page reachable by links from /cases as one user, at most limit
// pages and at most perKind pages of each kind, and checks each. It returns the
// server time of each page kind.
func crawl(t *testing.T, s *httpSession, limit, perKind int) map[string][]time.Duration {
	t.Helper()
	seen := map[string]bool{"/cases": true}
	queue := []string{"/cases"}
	kinds := map[string]int{}
	times := map[string][]time.Duration{}
	for len(queue) > 0 && len(seen) <= limit {
		path := queue[0]
		queue = queue[1:]
		status, body, took := s.get(path)
		kind := idPattern.ReplaceAllString(path, "{id}")
		if status != http.StatusOK {
			t.Errorf("%s: %d: a page links to it but it does not open\n%.300s", path, status, body)
			continue
		}
		times[kind] = append(times[kind], took)
		problems, links := pageProblems(body)
		for _, p := range problems {
			t.Errorf("%s: %s", path, p)
		}
		for _, l := range links {
			if seen[l] {
				continue
			}
			k := idPattern.ReplaceAllString(l, "{id}")
			if kinds[k] >= perKind {
				continue
			}
			seen[l] = true
			kinds[k]++
			queue = append(queue, l)
		}
	}
	return times
}

// TestUICrawl crawls the demo case as the lead, an investigator and an advocate:
// every link shown opens, and every page is labelled, CSP-clean and self-contained.
// It logs the server time of each kind of page (median), the figures in bench/README.md.
func TestUICrawl(t *testing.T) {
	site := newDemoSite(t)
	for _, role := range []string{"lead", "investigator", "advocate"} {
		t.Run(role, func(t *testing.T) {
			s := signInHTTP(t, site, role)
			times := crawl(t, s, 250, 3)
			var kinds []string
			for k := range times {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			var lines []string
			for _, k := range kinds {
				ds := slices.Clone(times[k])
				slices.Sort(ds)
				lines = append(lines, fmt.Sprintf("%-60s %3d pages, median %6.1f ms, max %6.1f ms", k, len(ds),
					float64(ds[len(ds)/2].Microseconds())/1000, float64(ds[len(ds)-1].Microseconds())/1000))
			}
			t.Logf("%d kinds of page as %s:\n%s", len(kinds), role, strings.Join(lines, "\n"))
			if role == "lead" && len(kinds) < 15 {
				t.Errorf("the lead's crawl reached only %d kinds of page; the UI's links are missing", len(kinds))
			}
		})
	}
}

// BenchmarkUIPages times each kind of page of the web UI on the demo case, as the lead,
// over HTTP with a signed-in session (the figures in bench/README.md):
//
//	go test ./web -run '^$' -bench UIPages -benchtime 20x
func BenchmarkUIPages(b *testing.B) {
	site := newDemoSite(b)
	s := signInHTTP(b, site, "lead")
	ctx := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	lead, err := site.DB.FindUser(ctx, site.login("lead").User)
	if err != nil {
		b.Fatal(err)
	}
	ctx = caseroom.NewContextWithUser(context.Background(), lead)
	suspects, err := site.DB.FindPersons(ctx, site.CaseID, caseroom.PersonFilter{Role: caseroom.PersonSuspect})
	if err != nil || len(suspects) == 0 {
		b.Fatalf("suspects: %v", err)
	}
	victims, err := site.DB.FindPersons(ctx, site.CaseID, caseroom.PersonFilter{Role: caseroom.PersonVictim})
	if err != nil || len(victims) == 0 {
		b.Fatalf("victims: %v", err)
	}
	c := "/cases/" + site.CaseID
	for _, page := range []struct{ name, path string }{
		{"cases", "/cases"},
		{"dashboard", c},
		{"people", c + "/people"},
		{"people-search", c + "/people?q=Tari"},
		{"suspect", c + "/people/" + suspects[0].ID},
		{"victim", c + "/people/" + victims[0].ID},
		{"documents", c + "/documents"},
		{"document", c + "/documents/S-7"},
		{"document-form", c + "/documents/new"},
		{"actions", c + "/actions"},
		{"action", c + "/actions/A-1"},
		{"action-form", c + "/actions/new?from=S-7"},
		{"exhibits", c + "/exhibits"},
		{"exhibit", c + "/exhibits/SB%2F1"},
		{"media", c + "/media"},
		{"graph-case", c + "/graph"},
		{"graph-suspect", c + "/graph?person=" + suspects[0].ID + "&depth=2"},
		{"accountability", c + "/accountability"},
		{"audit", c + "/audit"},
	} {
		b.Run(page.name, func(b *testing.B) {
			for b.Loop() {
				if status, body, _ := s.get(page.path); status != http.StatusOK {
					b.Fatalf("%s: %d\n%.300s", page.path, status, body)
				}
			}
		})
	}
}

// TestUIFlashMessagesAreSigned: the message a form's redirect carries is shown on the
// next page, but the same words put into a link by someone else are not: only the
// session's own server signs them.
func TestUIFlashMessagesAreSigned(t *testing.T) {
	site := newDemoSite(t)
	s := signInHTTP(t, site, "lead")
	c := "/cases/" + site.CaseID
	_, page, _ := s.get(c + "/actions/new")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF field on the raise-an-action form")
	}
	s.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := s.client.PostForm(site.URL+c+"/actions/new", url.Values{"csrf": {string(m[1])}, "kind": {"other"},
		"title": {"Check the bus company's ticket records"}, "priority": {"normal"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "done=") || !strings.Contains(loc, "ds=") {
		t.Fatalf("raising an action answered %d, Location %q", resp.StatusCode, loc)
	}
	s.client.CheckRedirect = nil
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	msg := u.Query().Get("done")
	if _, body, _ := s.get(u.RequestURI()); !strings.Contains(html.UnescapeString(string(body)), msg) {
		t.Errorf("the page after the form does not show %q", msg)
	}
	forged := c + "?done=" + url.QueryEscape("Your session is locked: call 0300-0000000 to unlock it.")
	if _, body, _ := s.get(forged); strings.Contains(string(body), "0300-0000000") {
		t.Error("a message put into a link by someone else is shown as the application's")
	}
	if _, body, _ := s.get(forged + "&ds=" + u.Query().Get("ds")); strings.Contains(string(body), "0300-0000000") {
		t.Error("another message's signature lets a forged message through")
	}
}

// TestUIUnreadableForm: a form the server cannot read (here, larger than it takes) is
// answered with a page that says so, and nothing is written.
func TestUIUnreadableForm(t *testing.T) {
	site := newDemoSite(t)
	s := signInHTTP(t, site, "lead")
	before := s.actionCount(t)
	big := url.Values{"kind": {"other"}, "title": {strings.Repeat("x", 9<<20)}, "priority": {"normal"}}
	resp, err := s.client.PostForm(site.URL+"/cases/"+site.CaseID+"/actions/new", big)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "The form could not be read; send it again.") {
		t.Errorf("an oversized form: %d\n%.300s", resp.StatusCode, body)
	}
	if after := s.actionCount(t); after != before {
		t.Errorf("%d actions after the refused form, %d before", after, before)
	}
}

// actionCount is the number of actions of the demo case, as its lead sees them.
func (s *httpSession) actionCount(t *testing.T) int {
	t.Helper()
	lead, err := s.site.DB.FindUser(caseroom.NewContextWithUser(context.Background(), caseroom.Console), s.site.login("lead").User)
	if err != nil {
		t.Fatal(err)
	}
	as, err := s.site.DB.FindActions(caseroom.NewContextWithUser(context.Background(), lead), s.site.CaseID, caseroom.ActionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(as)
}
