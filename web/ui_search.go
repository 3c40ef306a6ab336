package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"caseroom"
)

// The search of a case: the search box in the header of every case page, and the page
// that answers it. The box posts its query, and the page's "Next results" is a form
// too: a query may hold a victim's name, and an address is logged by proxies and kept
// in the browser's history, so a query never goes into one. For the same reason GET
// runs no search (whatever its address holds) and the page's title never holds the
// query. Every search is audited by the service, with the query sealed.

// searchRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) searchRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases/{case}/search", s.uiSearchForm},
		{"POST", "/cases/{case}/search", s.uiSearch},
	}
}

// searchView is the body of the search page.
type searchView struct {
	// Query is the query as typed; After the cursor the page was read from ("" for
	// the first page).
	Query, After string
	// Searched is set when a search ran; Invalid when the service refused the query
	// (the message is the page's flash).
	Searched, Invalid bool
	Result            *caseroom.SearchResult
	// Documents are the document hits of the page by kind, in the register's order;
	// Groups the other hits, in the order actions, decisions, exhibits, persons, media.
	Documents []searchGroup
	Groups    []searchGroup
	// DocumentCount is the number of document hits on the page.
	DocumentCount int
	KindFacets    []searchFacetRow
	MonthFacets   []caseroom.SearchFacet
	// Escaped counts the snippets that held markup other than <mark> and were shown
	// as text (see snippetHTML).
	Escaped int
}

// Empty reports whether the search found nothing at all.
func (v *searchView) Empty() bool {
	r := v.Result
	return r != nil && r.Total == 0 && len(r.Hits) == 0 && len(r.Persons) == 0 && len(r.Media) == 0
}

// Summary says what the search found: "12 records, 1 person and 2 files found".
func (v *searchView) Summary() string {
	r := v.Result
	if r == nil {
		return ""
	}
	parts := []string{countNoun(int64(r.Total), "record", "records")}
	if n := len(r.Persons); n > 0 {
		parts = append(parts, countNoun(int64(n), "person", "persons"))
	}
	if n := len(r.Media); n > 0 {
		parts = append(parts, countNoun(int64(n), "file", "files"))
	}
	s := parts[0]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			s += " and " + p
		} else {
			s += ", " + p
		}
	}
	return s + " found"
}

// searchGroup is the hits of one kind on the page.
type searchGroup struct {
	// ID names the group in the page (the heading's id); Label is its heading.
	ID, Label string
	Hits      []searchHitView
}

// searchHitView is a hit as the page shows it.
type searchHitView struct {
	*caseroom.SearchHit
	KindLabel string
	// Link is the path of the record's page.
	Link string
	// Day is the hit's date in the case's time zone ("" if none).
	Day string
	// SnippetHTML is the snippet, checked (see snippetHTML).
	SnippetHTML template.HTML
}

// searchFacetRow is a count of hits of one kind, named for people.
type searchFacetRow struct {
	Label string
	Count int
}

// searchKindLabels name, in the plural, the kinds a hit or a facet may have.
var searchKindLabels = map[string]string{
	string(caseroom.DocComplaint):     "Complaints",
	string(caseroom.DocStatement):     "Statements",
	string(caseroom.DocReport):        "Officer's reports",
	string(caseroom.DocMessage):       "Messages",
	string(caseroom.DocPress):         "Press reports",
	string(caseroom.DocMedicalReport): "Medical reports",
	"action":                          "Actions",
	"decision":                        "Decisions",
	"exhibit":                         "Exhibits",
	"person":                          "Persons",
	"media":                           "Media",
}

// searchHitLabels name, in the singular, the kinds of hit other than documents
// (documentKindLabels name those).
var searchHitLabels = map[string]string{"action": "Action", "decision": "Decision", "exhibit": "Exhibit", "person": "Person", "media": "File"}

// searchOtherKinds are the kinds of hit other than documents, in the page's order.
var searchOtherKinds = []string{"action", "decision", "exhibit", "person", "media"}

// uiSearchForm shows the empty search form with the query language. It runs no
// search: a query is taken only from a posted form.
func (s *Server) uiSearchForm(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Search", "search")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	p.Body = &searchView{}
	s.renderUI(w, r, "search", p)
}

// uiSearch runs the posted query (q, and after for the next page) and shows what the
// user may read of what it found, grouped by kind. A query the service refuses is
// shown again with its message and status 400.
func (s *Server) uiSearch(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Search", "search")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	v := &searchView{Query: r.PostForm.Get("q"), After: r.PostForm.Get("after")}
	p.Body = v
	res, err := s.Search.Search(r.Context(), p.Case.ID, caseroom.SearchRequest{Query: v.Query, After: v.After})
	if caseroom.ErrorCode(err) == caseroom.EINVALID {
		// The service names the field; the page has one box, so "q: " says nothing.
		p.Flash, p.FlashError = strings.TrimPrefix(caseroom.ErrorMessage(err), "q: "), true
		v.Invalid = true
		s.renderUIStatus(w, r, http.StatusBadRequest, "search", p)
		return
	}
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	v.Searched, v.Result = true, res
	byKind := map[string][]searchHitView{}
	for _, list := range [][]*caseroom.SearchHit{res.Hits, res.Persons, res.Media} {
		for _, h := range list {
			hv, ok := searchHitOf(p, h)
			if !ok {
				v.Escaped++
			}
			byKind[h.Kind] = append(byKind[h.Kind], hv)
		}
	}
	for _, k := range caseroom.DocumentKinds {
		if hits := byKind[string(k)]; len(hits) > 0 {
			v.Documents = append(v.Documents, searchGroup{ID: "found-" + string(k), Label: searchKindLabels[string(k)], Hits: hits})
			v.DocumentCount += len(hits)
		}
	}
	for _, k := range searchOtherKinds {
		if hits := byKind[k]; len(hits) > 0 {
			v.Groups = append(v.Groups, searchGroup{ID: "found-" + k, Label: searchKindLabels[k], Hits: hits})
		}
	}
	for _, f := range res.Facets.Kind {
		label := searchKindLabels[f.Value]
		if label == "" {
			label = f.Value
		}
		v.KindFacets = append(v.KindFacets, searchFacetRow{Label: label, Count: f.Count})
	}
	v.MonthFacets = res.Facets.Month
	if v.Escaped > 0 {
		// The store promises escaped snippets; one that is not is its bug, shown here
		// as text. The log says how many, never what they held.
		loggerFor(r).Warn("search snippets held markup other than <mark>; shown as text", "route", r.Pattern, "snippets", v.Escaped)
	}
	s.renderUI(w, r, "search", p)
}

// searchHitOf makes a hit ready for the page: its label, the path of its record's
// page, its day and its checked snippet; ok is false if the snippet had to be
// escaped (see snippetHTML).
func searchHitOf(p *uiPage, h *caseroom.SearchHit) (hv searchHitView, ok bool) {
	hv = searchHitView{SearchHit: h, KindLabel: searchHitLabels[h.Kind]}
	if l, ok := documentKindLabels[caseroom.DocumentKind(h.Kind)]; ok {
		hv.KindLabel = l
	}
	if hv.KindLabel == "" {
		hv.KindLabel = h.Kind
	}
	if h.Date != nil {
		hv.Day = p.Date(*h.Date)
	}
	switch h.Kind {
	case "action":
		hv.Link = p.CasePath("actions", h.Ref)
	case "decision":
		// Decisions have no page of their own: the timeline lists them, here on the
		// decision's day.
		q := url.Values{"kinds": {string(caseroom.TimelineDecision)}}
		if hv.Day != "" {
			q.Set("from", hv.Day)
			q.Set("to", hv.Day)
		}
		hv.Link = p.CasePath("timeline") + "?" + q.Encode()
	case "exhibit":
		hv.Link = p.CasePath("exhibits", h.ID)
	case "person":
		// By id: a person's Ref is their label, which may be a name.
		hv.Link = p.CasePath("people", h.ID)
	case "media":
		hv.Link = p.CasePath("media", h.ID)
	default:
		hv.Link = p.CasePath("documents", h.Ref)
	}
	ok = true
	if h.Snippet != "" {
		hv.SnippetHTML, ok = snippetHTML(h.Snippet)
	}
	return hv, ok
}

// snippetHTML returns a hit's snippet as HTML to write as it is, after checking that
// it is what the store promises (caseroom.SearchHit): text escaped, with no markup
// but <mark> and </mark>, in that order, unnested and closed. A snippet that holds
// anything else (any other tag, a lone < or >, a <mark> left open) is escaped whole
// and shown as text, so the page runs and styles nothing of it; ok is false then.
// Character references (&amp;, &#39;) cannot make markup and are left as they are.
func snippetHTML(s string) (h template.HTML, ok bool) {
	open := false
	for rest := s; ; {
		i := strings.IndexAny(rest, "<>")
		if i < 0 {
			break
		}
		rest = rest[i:]
		switch {
		case !open && strings.HasPrefix(rest, "<mark>"):
			open, rest = true, rest[len("<mark>"):]
		case open && strings.HasPrefix(rest, "</mark>"):
			open, rest = false, rest[len("</mark>"):]
		default:
			return template.HTML(template.HTMLEscapeString(s)), false
		}
	}
	if open {
		return template.HTML(template.HTMLEscapeString(s)), false
	}
	return template.HTML(s), true
}

// SearchQuery is the query the page answers, for the header's search box: the query
// typed, on the search page; "" on every other page.
func (p *uiPage) SearchQuery() string {
	if v, ok := p.Body.(*searchView); ok {
		return v.Query
	}
	return ""
}
