package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	htmlparse "golang.org/x/net/html"

	"caseroom"
)

// The search box in the header of the case pages and the search page, driven over
// HTTP with a session as a browser would, against a small fictional case the test
// made: a girl (a victim, shown by her pseudonym) who saw a man at a bus stand by a
// canal, the suspect's own statement, a statement in Urdu, an action, an exhibit, a
// decision of the lead, more than a page of messages about a lantern, and the girl's
// advocate (ada).

// searchEnv is the case of these tests, with the lead (lena), an investigator (ivan)
// and the girl's advocate (ada).
type searchEnv struct {
	*apiEnv
	caseID                      string
	victimLabel                 string
	girl, suspect, urdu, letter string // document references
	action, exhibitID           string
}

// searchLanterns is how many messages about the lantern the case holds: more than a
// page of hits (caseroom.SearchDefaultLimit).
const searchLanterns = caseroom.SearchDefaultLimit + 3

func newSearchEnv(t *testing.T) *searchEnv {
	t.Helper()
	e := &searchEnv{apiEnv: newAPIEnv(t, "lena", "ivan", "ada")}
	r := e.do("lena", "POST", "/api/v1/cases", map[string]any{"title": "Operation Canal Lantern", "timeZone": "Asia/Karachi"})
	mustStatus(t, r, http.StatusCreated)
	e.caseID = decodeInto[caseroom.Case](t, r).ID
	base := "/api/v1/cases/" + e.caseID
	mustStatus(t, e.do("lena", "POST", base+"/members", map[string]any{"user": "ivan", "role": caseroom.RoleInvestigator}), http.StatusCreated)
	person := func(name, role string) caseroom.Person {
		return post[caseroom.Person](e.apiEnv, "lena", base+"/persons", map[string]any{"names": []map[string]string{{"name": name}}, "roles": []string{role}})
	}
	victim := person("Hina Fictional", "victim")
	e.victimLabel = victim.Pseudonym
	sus := person("Tariq Fictional", "suspect")
	rep := person("Ada Advocate", "representative")
	doc := func(body map[string]any) string {
		return post[caseroom.Document](e.apiEnv, "lena", base+"/documents", body).Ref
	}
	e.letter = doc(map[string]any{"kind": "message", "title": "Letter of authority", "text": "The family appoints its advocate."})
	e.girl = doc(map[string]any{"kind": "statement", "title": "Statement of the girl", "giver": victim.ID, "recordedAt": "2026-10-05T10:00:00Z",
		"text": "She saw the man at the bus stand by the canal in October, twice."})
	e.suspect = doc(map[string]any{"kind": "statement", "title": "Statement of the suspect at the bus stand", "giver": sus.ID, "recordedAt": "2026-11-02T10:00:00Z",
		"text": "He says he sold tickets at the bus stand all of October."})
	e.urdu = doc(map[string]any{"kind": "statement", "title": "نہر کے پاس کا بیان", "giver": sus.ID, "recordedAt": "2026-11-03T10:00:00Z",
		"text": "وہ نہر کے پاس بس اسٹاپ پر کھڑا تھا۔"})
	for i := range searchLanterns {
		doc(map[string]any{"kind": "message", "title": fmt.Sprintf("Lantern message %d", i+1), "text": "A lantern was seen on the roof of the shop."})
	}
	post[caseroom.Link](e.apiEnv, "lena", base+"/links", map[string]any{"from": rep.ID, "to": victim.ID, "type": "represents", "source": e.letter, "confidence": 1})
	mustStatus(t, e.do("lena", "POST", base+"/members", map[string]any{"user": "ada", "role": "advocate", "person": rep.ID}), http.StatusCreated)
	e.action = post[caseroom.Action](e.apiEnv, "lena", base+"/actions", map[string]any{"kind": "other", "title": "Find the conductor of the canal bus",
		"raisedFrom": e.girl}).Ref
	seized := time.Date(2026, 11, 4, 9, 0, 0, 0, time.UTC)
	e.exhibitID = post[caseroom.Exhibit](e.apiEnv, "lena", base+"/exhibits", caseroom.NewExhibit{Ref: "SB/1", Description: "Ticket book found at the canal bus stand",
		Kind: caseroom.ExhibitDocument, SeizedAt: &seized}).ID
	post[caseroom.Decision](e.apiEnv, "lena", base+"/decisions", map[string]any{"decision": "Trace the canal bus company's ticket records", "rationale": "The girl saw him at its stand."})
	return e
}

// path is the path of a page of the test case.
func (e *searchEnv) path(parts ...string) string {
	return "/cases/" + e.caseID + "/" + strings.Join(parts, "/")
}

// search posts q (and after, if not "") to the case's search page, as the header's
// box does.
func (e *searchEnv) search(s *session, q, after string) page {
	s.t.Helper()
	v := url.Values{"q": {q}}
	if after != "" {
		v.Set("after", after)
	}
	return s.post(e.path("search"), s.form(v))
}

// searchForms returns the attributes of each form of the page with the given class,
// with the names and values of its inputs (name -> value) under "input:".
func searchForms(t *testing.T, body, class string) []map[string]string {
	t.Helper()
	doc, err := htmlparse.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	var walk func(n *htmlparse.Node, form map[string]string)
	walk = func(n *htmlparse.Node, form map[string]string) {
		if n.Type == htmlparse.ElementNode {
			a := attrs(n)
			switch {
			case n.Data == "form" && (class == "" || strings.Contains(" "+a["class"]+" ", " "+class+" ")):
				form = a
				out = append(out, form)
			case n.Data == "input" && form != nil && a["name"] != "":
				form["input:"+a["name"]] = a["value"]
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, form)
		}
	}
	walk(doc, nil)
	return out
}

func TestUISearchBoxInTheHeader(t *testing.T) {
	e := newSearchEnv(t)
	ivan := e.signIn(t, "ivan")
	for _, path := range []string{e.path(""), e.path("documents"), e.path("documents", e.girl), e.path("people")} {
		p := ivan.get(strings.TrimSuffix(path, "/"))
		wantStatus(t, p, http.StatusOK)
		forms := searchForms(t, p.body, "case-search")
		if len(forms) != 1 {
			t.Fatalf("%s: %d search forms in the header, want 1", path, len(forms))
		}
		f := forms[0]
		if f["method"] != "post" || f["action"] != e.path("search") {
			t.Errorf("%s: the header's search form is %s %s; want post to %s", path, f["method"], f["action"], e.path("search"))
		}
		if f["input:csrf"] != ivan.csrf {
			t.Errorf("%s: the header's search form carries the CSRF token %q, want the session's", path, f["input:csrf"])
		}
		if _, ok := f["input:q"]; !ok || f["input:q"] != "" {
			t.Errorf("%s: the header's search box: %v", path, f)
		}
		if !strings.Contains(p.body, `placeholder="Search this case: words, &quot;phrases&quot;, names, numbers"`) {
			t.Errorf("%s: the search box has no placeholder saying what it takes", path)
		}
	}
	// Outside a case there is no case to search.
	if forms := searchForms(t, ivan.get("/cases").body, "case-search"); len(forms) != 0 {
		t.Errorf("the list of cases has %d search forms in its header", len(forms))
	}
	// Signed out, the search page sends the browser to sign in.
	client := *e.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	anon := &session{t: t, base: e.srv.URL, client: &client}
	if p := anon.get(e.path("search")); p.status != http.StatusSeeOther {
		t.Errorf("the search page signed out: %d, want a redirect to sign in", p.status)
	}
	// GET shows the form and the query language, and runs no search, whatever the
	// address holds.
	p := ivan.get(e.path("search") + "?q=canal")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the empty search page", text(p), "How to search", "kind:statement", `"bus stand"`, "-camera", "pap*", "by:V-0007", "from:", "ref:S-12")
	if strings.Contains(p.body, "<mark>") || strings.Contains(p.body, `value="canal"`) {
		t.Error("GET ran the search in its address")
	}
	// Without a CSRF token the search is refused.
	if p := ivan.post(e.path("search"), url.Values{"q": {"canal"}}); p.status != http.StatusForbidden {
		t.Errorf("a search without the CSRF token: %d, want 403", p.status)
	}
}

func TestUISearchFindsAStatementByItsWords(t *testing.T) {
	e := newSearchEnv(t)
	ivan := e.signIn(t, "ivan")
	p := e.search(ivan, "twice", "")
	wantStatus(t, p, http.StatusOK)
	body := text(p)
	wantIn(t, "the results", p.body, `<mark>twice</mark>`, `href="`+e.path("documents", e.girl)+`"`, `<p class="snippet" dir="auto">`)
	wantIn(t, "the results", body, "1 record found for ", "Statement of the girl", "Statements", e.victimLabel, "2026-10-05")
	if strings.Contains(body, "Hina") {
		t.Error("the results name the victim; she is shown by her pseudonym")
	}
	// The query stays in the boxes.
	if f := searchForms(t, p.body, "case-search"); len(f) != 1 || f[0]["input:q"] != "twice" {
		t.Errorf("the header's box after the search: %v", f)
	}
	if f := searchForms(t, p.body, "search-page"); len(f) != 1 || f[0]["input:q"] != "twice" {
		t.Errorf("the page's box after the search: %v", f)
	}

	// Every kind the investigator reads, grouped, each linked to its record's page;
	// the lead's decisions are not among them.
	p = e.search(ivan, "canal", "")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the results for canal", p.body, `id="found-documents"`, `id="found-statement"`, `id="found-action"`, `id="found-exhibit"`,
		`href="`+e.path("actions", e.action)+`"`, `href="`+e.path("exhibits", e.exhibitID)+`"`, "<mark>canal</mark>")
	if strings.Contains(p.body, `id="found-decision"`) {
		t.Error("an investigator's search shows the lead's decisions")
	}
	lena := e.signIn(t, "lena")
	p = e.search(lena, "canal", "")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the lead's results for canal", p.body, `id="found-decision"`, `href="`+e.path("timeline")+`?from=`)
	wantIn(t, "the lead's facets", text(p), "By kind", "By month", "Decisions", "2026-11")
	// The decision's link opens the timeline on the decision.
	m := regexp.MustCompile(`href="(/cases/[^"]+/timeline\?[^"]+)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no link to the decision")
	}
	if tl := lena.get(html.UnescapeString(m[1])); tl.status != http.StatusOK || !strings.Contains(text(tl), "Trace the canal bus company") {
		t.Errorf("the decision's link %s: %d, or the timeline does not show the decision", m[1], tl.status)
	}

	// Urdu: the hit in Urdu is laid out by its own direction.
	p = e.search(ivan, "نہر", "")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the Urdu hit", p.body, `<span dir="auto">نہر کے پاس کا بیان</span>`, `<mark>نہر</mark>`)

	// Nothing found: said so, with what to try.
	p = e.search(ivan, "zeppelin", "")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "an empty search", text(p), "Nothing found for ", "zeppelin", "Check the spelling", "fewer words", "found only by members who may reveal identities")
}

func TestUISearchBadQuery(t *testing.T) {
	e := newSearchEnv(t)
	ivan := e.signIn(t, "ivan")
	for _, tc := range []struct{ q, message string }{
		{"kind:nonsense canal", "kind:nonsense: not a kind of record"},
		{"-canal", "the query only excludes; say what to look for as well"},
		{"   ", "the query is empty"},
	} {
		t.Run(tc.q, func(t *testing.T) {
			s := *ivan
			s.t = t
			p := e.search(&s, tc.q, "")
			wantStatus(t, p, http.StatusBadRequest)
			wantIn(t, "the refused search", text(p), `<p class="flash error" role="alert">`+tc.message)
			if strings.Contains(text(p), "q: ") {
				t.Error("the message keeps the field's prefix q:")
			}
			// The message comes before the page's box, which keeps the query as typed.
			if i, j := strings.Index(p.body, tc.message), strings.Index(p.body, `id="search-q"`); i < 0 || j < i {
				t.Error("the message is not above the search box")
			}
			if f := searchForms(t, p.body, "search-page"); len(f) != 1 || f[0]["input:q"] != tc.q {
				t.Errorf("the box after the refusal: %v", f)
			}
			wantIn(t, "the refused search", p.body, `aria-invalid="true"`)
		})
	}
	// A cursor that is not one of the search's is refused too.
	p := e.search(ivan, "canal", "nonsense")
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "a bad cursor", text(p), "after: ")
}

func TestUISearchAdvocateSeesOnlyTheClientsDocument(t *testing.T) {
	e := newSearchEnv(t)
	ada := e.signIn(t, "ada")
	p := e.search(ada, "bus", "")
	wantStatus(t, p, http.StatusOK)
	body := text(p)
	wantIn(t, "the advocate's results", body, "1 record found", "Statement of the girl", e.girl)
	for _, hidden := range []string{"Statement of the suspect", e.suspect, "conductor", "Ticket book", "Trace the canal", "Hina", `id="found-action"`, `id="found-exhibit"`} {
		if strings.Contains(body, hidden) {
			t.Errorf("the advocate's search shows %q", hidden)
		}
	}
	// The advocate's facets count only what she may read.
	facets := regexp.MustCompile(`(?s)<aside class="card search-facets".*?</aside>`).FindString(body)
	wantIn(t, "the advocate's facets", facets, "Statements</span> <span class=\"num\">1</span>")
	if strings.Contains(facets, "Actions") || strings.Contains(facets, "Exhibits") {
		t.Errorf("the advocate's facets count records she may not read:\n%s", facets)
	}
}

func TestUISearchQueryNeverInAnAddress(t *testing.T) {
	e := newSearchEnv(t)
	lena := e.signIn(t, "lena")
	// A query of every kind of hit, more than a page of them, the suspect's name
	// (found as a person) among the words.
	const q = "lantern"
	p := e.search(lena, q, "")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the first page", text(p), fmt.Sprintf("%d records found", searchLanterns), "Next results")
	noQueryInAddresses(t, p.body, q)
	next := searchForms(t, p.body, "inline")
	var after string
	for _, f := range next {
		if f["input:after"] != "" {
			after = f["input:after"]
			if f["method"] != "post" || f["action"] != e.path("search") || f["input:q"] != q || f["input:csrf"] != lena.csrf {
				t.Errorf("the next page's form: %v", f)
			}
		}
	}
	if after == "" {
		t.Fatal("no form for the next results")
	}
	p = e.search(lena, q, after)
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the next page", text(p), fmt.Sprintf("3 on this page of %d", searchLanterns), "First results")
	noQueryInAddresses(t, p.body, q)

	// A person found by name: linked by id, never by the name.
	p = e.search(lena, "Tariq", "")
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the persons found", p.body, `id="found-person"`, "Tariq Fictional")
	noQueryInAddresses(t, p.body, "Tariq")
	// The page's title, which browsers keep in their history, holds no query.
	if title := regexp.MustCompile(`<title>(.*?)</title>`).FindStringSubmatch(p.body); title == nil || strings.Contains(title[1], "Tariq") {
		t.Errorf("the page's title: %v", title)
	}
}

// noQueryInAddresses fails if an address on the page (a link, a form's action, an
// image's or script's source) holds the query, as typed or escaped.
func noQueryInAddresses(t *testing.T, body, q string) {
	t.Helper()
	doc, err := htmlparse.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	forms := []string{strings.ToLower(q), strings.ToLower(url.QueryEscape(q)), strings.ToLower(url.PathEscape(q))}
	var walk func(n *htmlparse.Node)
	walk = func(n *htmlparse.Node) {
		if n.Type == htmlparse.ElementNode {
			if n.Data == "form" && attrs(n)["method"] != "post" {
				t.Errorf("a form sends by %q, which puts its fields in the address", attrs(n)["method"])
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "href", "action", "src", "formaction":
					v := strings.ToLower(a.Val)
					for _, f := range forms {
						if strings.Contains(v, f) {
							t.Errorf("<%s %s=%q> holds the query", n.Data, a.Key, a.Val)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// TestUISearchPagesKeepThePromises checks the search pages as the crawl checks every
// page (labels, no inline script or style), and that every link of the results opens.
func TestUISearchPagesKeepThePromises(t *testing.T) {
	e := newSearchEnv(t)
	lena := e.signIn(t, "lena")
	for name, p := range map[string]page{
		"the empty page":  lena.get(e.path("search")),
		"the results":     e.search(lena, "canal", ""),
		"a refused query": e.search(lena, "kind:nonsense", ""),
		"nothing found":   e.search(lena, "zeppelin", ""),
	} {
		problems, links := pageProblems([]byte(p.body))
		for _, pr := range problems {
			t.Errorf("%s: %s", name, pr)
		}
		if name != "the results" {
			continue
		}
		for _, l := range links {
			if r := lena.get(html.UnescapeString(l)); r.status != http.StatusOK {
				t.Errorf("%s: the link %s answers %d", name, l, r.status)
			}
		}
	}
}

func TestSnippetHTML(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
		want     string
	}{
		{"plain text", "the bus stand", true, "the bus stand"},
		{"escaped text", "Tom &amp; Jerry &lt;b&gt; &#39;x&#39;", true, "Tom &amp; Jerry &lt;b&gt; &#39;x&#39;"},
		{"marks", "at the <mark>bus</mark> <mark>stand</mark> …", true, "at the <mark>bus</mark> <mark>stand</mark> …"},
		{"Urdu", "وہ <mark>نہر</mark> کے پاس", true, "وہ <mark>نہر</mark> کے پاس"},
		{"a script", "<mark>bus</mark><script>alert(1)</script>", false, "&lt;mark&gt;bus&lt;/mark&gt;&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"a mark with an attribute", `<mark onclick="x()">bus</mark>`, false, "&lt;mark onclick=&#34;x()&#34;&gt;bus&lt;/mark&gt;"},
		{"another tag", "<b>bus</b>", false, "&lt;b&gt;bus&lt;/b&gt;"},
		{"a mark left open", "<mark>bus", false, "&lt;mark&gt;bus"},
		{"marks nested", "<mark><mark>bus</mark></mark>", false, "&lt;mark&gt;&lt;mark&gt;bus&lt;/mark&gt;&lt;/mark&gt;"},
		{"a close without an open", "bus</mark>", false, "bus&lt;/mark&gt;"},
		{"a lone >", "a > b", false, "a &gt; b"},
		{"an upper-case mark", "<MARK>bus</MARK>", false, "&lt;MARK&gt;bus&lt;/MARK&gt;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := snippetHTML(tc.in)
			if ok != tc.ok || string(got) != tc.want {
				t.Errorf("snippetHTML(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// poisonedSearch is a search service whose first hit's snippet holds a script, as a
// store's bug might leave it.
type poisonedSearch struct{ caseroom.SearchService }

func (p poisonedSearch) Search(ctx context.Context, caseID string, req caseroom.SearchRequest) (*caseroom.SearchResult, error) {
	res, err := p.SearchService.Search(ctx, caseID, req)
	if err == nil && len(res.Hits) > 0 {
		res.Hits[0].Snippet = `the <mark>canal</mark><script>alert("poisoned")</script><img src=x onerror=alert(2)>`
	}
	return res, err
}

func TestUISearchEscapesAnUnsafeSnippet(t *testing.T) {
	e := newSearchEnv(t)
	srv := e.srv.Config.Handler.(*Server)
	srv.Search = poisonedSearch{srv.Search}
	ivan := e.signIn(t, "ivan")
	p := e.search(ivan, "twice", "")
	wantStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, "<script>alert") || strings.Contains(p.body, "<img src=x") {
		t.Fatal("the page writes the snippet's script as markup")
	}
	wantIn(t, "the escaped snippet", p.body, `&lt;script&gt;alert(&#34;poisoned&#34;)&lt;/script&gt;`, `&lt;mark&gt;canal&lt;/mark&gt;`)
}
