package web

import (
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"caseroom"
)

// The tests in this file and ui_oversight_test.go drive the link graph, accountability
// and audit pages over HTTP as a browser would, against a small case the test made: a
// girl (a victim, shown by her pseudonym), her mother who complains, a suspect whose
// name holds markup and quotes, a second suspect he knows, and a third known only to
// the second.

// oversightUIEnv is a signInEnv with a case, its persons and links, the transparency
// log, and browsers signed in as the lead (lena), an investigator (ivan) and oversight
// (olga).
type oversightUIEnv struct {
	*uiCaseEnv
	victim, victimLabel        string
	mother, sus, second, third string
	complaint, statement       caseroom.Document
}

// hostileName is a suspect's name that would break a page that did not escape it.
const hostileName = `Tariq <script>alert("x")</script> 'Q' & <b>`

func newOversightUIEnv(t *testing.T) *oversightUIEnv {
	t.Helper()
	e := &oversightUIEnv{uiCaseEnv: newUICaseEnv(t, "Operation Graph")}
	e.srv.Log = e.apiEnv.log
	cases := "/api/v1/cases/" + e.caseID
	person := func(name, role string) caseroom.Person {
		return post[caseroom.Person](e.apiEnv, "lena", cases+"/persons", map[string]any{"names": []map[string]string{{"name": name}}, "roles": []string{role}})
	}
	victim := person("Hina", "victim")
	e.victim, e.victimLabel = victim.ID, victim.Pseudonym
	e.mother = person("Rukhsana", "guardian").ID
	e.sus = person(hostileName, "suspect").ID
	e.second = person("Bilal", "suspect").ID
	e.third = person("Zahid", "suspect").ID
	e.complaint = post[caseroom.Document](e.apiEnv, "lena", cases+"/documents", map[string]any{"kind": "complaint", "title": "Complaint of the mother", "text": "She reported it.", "giver": e.mother})
	e.statement = post[caseroom.Document](e.apiEnv, "lena", cases+"/documents", map[string]any{"kind": "report", "title": "Call records", "text": "They called each other."})
	link := func(from, to, typ, source string, confidence float64) {
		post[caseroom.Link](e.apiEnv, "lena", cases+"/links", map[string]any{"from": from, "to": to, "type": typ, "source": source, "confidence": confidence})
	}
	link(e.mother, e.victim, "parent_of", e.complaint.Ref, 1)
	link(e.mother, e.sus, "implicates", e.complaint.Ref, 0.7)
	link(e.sus, e.second, "knows", e.statement.Ref, 0.5)
	link(e.second, e.third, "called", e.statement.Ref, 0.9)
	return e
}

// path is the path of a page of the test case.
func (e *oversightUIEnv) path(parts ...string) string {
	return "/cases/" + e.caseID + "/" + strings.Join(parts, "/")
}

// graphSVG returns the page's inline SVG, failing unless it is well-formed XML.
func graphSVG(t *testing.T, r response) string {
	t.Helper()
	body := string(r.body)
	start, end := strings.Index(body, "<svg class=\"graph-svg"), strings.Index(body, "</svg>")
	if start < 0 || end < start {
		t.Fatalf("the page has no graph: %.300s", body)
	}
	svg := body[start : end+len("</svg>")]
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the graph is not well-formed XML: %v\n%s", err, svg)
		}
	}
	return svg
}

// svgLinks returns the targets of the SVG's links of class prefix (node, edge-label).
func svgLinks(svg, class string) []string {
	re := regexp.MustCompile(`<a href="([^"]*)" class="` + class + `[ "]`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(svg, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

func TestUIGraphWholeCase(t *testing.T) {
	e := newOversightUIEnv(t)
	start := time.Now()
	r := e.inv.get(e.path("graph"))
	t.Logf("whole-case graph of the test case rendered in %v", time.Since(start))
	mustStatus(t, r, http.StatusOK)
	svg := graphSVG(t, r)
	for _, want := range []string{`role="img"`, `<title id="graph-title">`, ">parent of<", ">implicates<", ">knows<", ">called<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the graph lacks %s", want)
		}
	}
	// The suspect's name is text, never markup, in the drawing and in the table.
	if strings.Contains(string(r.body), "<script>alert") || strings.Contains(string(r.body), "<b>") {
		t.Error("a person's name was written into the page as markup")
	}
	if !strings.Contains(svg, "Tariq &lt;script&gt;alert(&#34;x&#34;)") {
		t.Errorf("the suspect's name is not shown escaped: %s", svg)
	}
	// The victim is shown by her pseudonym; her name appears nowhere.
	docMustShow(t, "graph", r, e.victimLabel, "5 records", "4 links", "The 4 links as a table")
	if strings.Contains(string(r.body), "Hina") {
		t.Error("the graph shows the victim's name")
	}
	// Every node links to its page; every edge label to its source document.
	nodes := svgLinks(svg, "node")
	if len(nodes) != 5 {
		t.Errorf("%d node links, want 5: %q", len(nodes), nodes)
	}
	for _, h := range nodes {
		if !strings.HasPrefix(h, e.path("people")+"/") {
			t.Errorf("node links to %s, want a person's page", h)
		}
	}
	labels := svgLinks(svg, "edge-label")
	wantSources := map[string]int{e.path("documents", e.complaint.ID): 2, e.path("documents", e.statement.ID): 2}
	got := map[string]int{}
	for _, h := range labels {
		got[h]++
	}
	for src, n := range wantSources {
		if got[src] != n {
			t.Errorf("%d edge labels link to %s, want %d (labels link to %q)", got[src], src, n, labels)
		}
	}
	// A weak link is drawn dashed; the tooltip names its source and confidence.
	if !strings.Contains(svg, "edge e-contact weak") {
		t.Error("the link of confidence 0.5 is not marked weak")
	}
	if !strings.Contains(svg, "source "+e.statement.Ref+" · confidence 0.50") {
		t.Error("an edge's tooltip does not give its source and confidence")
	}
	// The legend names only the roles on the graph.
	docMustShow(t, "legend", r, `swatch n-suspect`, `swatch n-victim`, `swatch n-guardian`)
	if strings.Contains(string(r.body), "swatch n-organisation") {
		t.Error("the legend lists organisations, which the graph does not hold")
	}
}

func TestUIGraphAroundPerson(t *testing.T) {
	e := newOversightUIEnv(t)
	count := func(r response) (nodes int) {
		return len(svgLinks(graphSVG(t, r), "node"))
	}
	// One step around the victim: her mother. Two steps: the suspect the mother
	// implicates, but not the suspect he knows.
	r := e.lead.get(e.path("graph") + "?person=" + e.victim)
	mustStatus(t, r, http.StatusOK)
	if n := count(r); n != 2 {
		t.Errorf("1 step around the victim: %d nodes, want 2 (her and her mother)", n)
	}
	docMustShow(t, "focus", r, "Link graph of "+e.victimLabel, "within 1 step of", "node n-victim focus")
	r = e.lead.get(e.path("graph") + "?person=" + e.victimLabel + "&depth=2")
	mustStatus(t, r, http.StatusOK)
	if n := count(r); n != 3 {
		t.Errorf("2 steps around the victim (by pseudonym): %d nodes, want 3", n)
	}
	if strings.Contains(graphSVG(t, r), "Bilal") {
		t.Error("2 steps around the victim reach the suspect 3 steps away")
	}
	// The centre is selected in the form.
	if !strings.Contains(string(r.body), `<option value="`+e.victim+`" dir="auto" selected>`) {
		t.Error("the form does not show whom the graph is centred on")
	}

	// A person without links: the page says so.
	loner := post[caseroom.Person](e.apiEnv, "lena", "/api/v1/cases/"+e.caseID+"/persons", map[string]any{"names": []map[string]string{{"name": "Nadia"}}, "roles": []string{"witness"}})
	r = e.lead.get(e.path("graph") + "?person=" + loner.ID)
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "no links", r, "No standing links are recorded for", ">Nadia</span> yet.")

	// An unknown person is not found; a bad depth is refused.
	mustStatus(t, e.lead.get(e.path("graph")+"?person=per_nosuchperson"), http.StatusNotFound)
	mustStatus(t, e.lead.get(e.path("graph")+"?person=V-9999"), http.StatusNotFound)
	r = e.lead.get(e.path("graph") + "?person=" + e.victim + "&depth=7")
	mustStatus(t, r, http.StatusBadRequest)
	docMustShow(t, "bad depth", r, "depth: choose 1 or 2 steps")
	// Another case's graph is not found for a non-member.
	mustStatus(t, e.lead.get("/cases/cas_nosuchcase/graph"), http.StatusNotFound)
}

func TestUIGraphCorrectedAndRetractedLinks(t *testing.T) {
	e := newOversightUIEnv(t)
	cases := "/api/v1/cases/" + e.caseID
	links := decodeInto[struct{ Links []caseroom.Link }](t, e.do("lena", "GET", cases+"/links", nil)).Links
	var knows, called string
	for _, l := range links {
		switch l.Type {
		case "knows":
			knows = l.ID
		case "called":
			called = l.ID
		}
	}
	// The knows link is corrected to met; the called link is retracted.
	post[caseroom.Link](e.apiEnv, "lena", cases+"/links", map[string]any{"from": e.sus, "to": e.second, "type": "met", "source": e.statement.Ref, "corrects": knows, "reason": "They met, the records say.", "confidence": 0.8})
	post[caseroom.Link](e.apiEnv, "lena", cases+"/links", map[string]any{"from": e.second, "to": e.third, "type": "called", "source": e.statement.Ref, "corrects": called, "retracts": true, "reason": "Wrong number.", "confidence": 1})
	r := e.lead.get(e.path("graph"))
	mustStatus(t, r, http.StatusOK)
	svg := graphSVG(t, r)
	if !strings.Contains(svg, ">met<") || strings.Contains(svg, ">knows<") || strings.Contains(svg, ">called<") {
		t.Errorf("the graph does not show the standing links only (met, not knows nor called)")
	}
	docMustShow(t, "standing links", r, "4 records", "3 links")
}

// An identifier known from a medical report the reader does not read (its source
// withheld by the store) is drawn as held, but its edge neither names nor links the
// report.
func TestGraphHoldsRestrictedSource(t *testing.T) {
	person := &caseroom.Person{ID: "per_1", Names: []caseroom.PersonName{{Name: "Fictional Suspect"}}, Roles: []caseroom.PersonRole{caseroom.PersonSuspect},
		Identifiers: []caseroom.Identifier{
			{ID: "idf_1", PersonID: "per_1", Kind: caseroom.IdentifierPhone, Value: "+923001112223", SourceRestricted: true},
			{ID: "idf_2", PersonID: "per_1", Kind: caseroom.IdentifierPhone, Value: "+923004445556", Source: "R-2"},
		}}
	other := &caseroom.Person{ID: "per_2", Names: []caseroom.PersonName{{Name: "Fictional Other"}}, Roles: []caseroom.PersonRole{caseroom.PersonSuspect}}
	links := []*caseroom.Link{
		{ID: "lnk_1", From: "per_2", FromKind: caseroom.EntityPerson, To: "idf_1", ToKind: caseroom.EntityIdentifier, Type: "called", Source: "doc_1", SourceRef: "S-1", SourceKind: caseroom.EntityDocument, Confidence: 1},
		{ID: "lnk_2", From: "per_2", FromKind: caseroom.EntityPerson, To: "idf_2", ToKind: caseroom.EntityIdentifier, Type: "called", Source: "doc_1", SourceRef: "S-1", SourceKind: caseroom.EntityDocument, Confidence: 1},
	}
	g := buildGraph("case_1", links, []*caseroom.Person{person, other})
	holds := map[string]*graphEdge{}
	for _, e := range g.edges {
		if e.Type == "holds" {
			holds[e.To.ID] = e
		}
	}
	if e := holds["idf_1"]; e == nil || e.Href != "" || strings.Contains(e.Title, "MR-") || !strings.Contains(e.Title, "known from a medical report") {
		t.Errorf("the holds edge of an identifier known from a withheld medical report: %+v", e)
	}
	if e := holds["idf_2"]; e == nil || !strings.HasSuffix(e.Href, "/documents/R-2") || !strings.Contains(e.Title, "known from R-2") {
		t.Errorf("the holds edge of an identifier known from R-2: %+v", e)
	}
}

// TestUIGraphPaths finds the paths between two records on the graph page: the victim's
// mother implicates the suspect, each step names its source; the page offers the
// exports.
func TestUIGraphPaths(t *testing.T) {
	e := newOversightUIEnv(t)
	r := e.lead.get(e.path("graph") + "?from=" + e.victim + "&to=" + e.sus)
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "paths", r, `<h2 id="paths-h">1 shortest path of 2 steps</h2>`, e.victimLabel, "implicates", `(<a href="/cases/`+e.caseID+`/documents/`)
	docMustShow(t, "exports", r, "Export the case", "/export?format=ftm", "/export?format=xlsx")
	// The same record twice, or nothing chosen for one end: the form says what is wrong.
	r = e.lead.get(e.path("graph") + "?from=" + e.victim + "&to=" + e.victim)
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "from = to", r, "to: ")
	r = e.lead.get(e.path("graph") + "?from=" + e.victim)
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "no end", r, "to: name a person")
}
