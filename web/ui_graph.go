package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"caseroom"
	"caseroom/graphlayout"
)

// The link graph: the case's standing links drawn as an SVG laid out on the server
// (package graphlayout), inline in the page, with a table of the same edges for those
// who do not read pictures. The whole case, or the network one or two steps around
// one record (?person=ID or a pseudonym, &depth=1|2).
//
// Nodes are whatever the links join: persons (drawn by their most telling role),
// organisations, locations, identifiers. An identifier a drawn person holds is joined
// to them by a dotted "holds" edge citing the document it is known from. Every node
// links to its page (a person's page, or the graph centred on it); every edge links to
// the document or exhibit it comes from.

// graphRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) graphRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases/{case}/graph", s.uiGraph},
	}
}

// maxGraphNodes is the most nodes the page draws (the layout of 1,000 takes about
// 0.8 s, bench/README.md); a larger network is listed in the
// table only, with a hint to centre the graph on someone.
const maxGraphNodes = 1000

// graphNode is a drawn node.
type graphNode struct {
	ID, Label, Kind string
	// Role is the person's most telling role ("" for other kinds); Class styles it.
	Role, Class string
	// Short is the label as drawn (long labels are cut); Sub the second line.
	Short, Sub string
	Href       string
	Focus      bool
	X, Y, W, H float64
	R          float64 // corner radius
}

// graphEdge is a drawn edge: one standing link, or an identifier's holder.
type graphEdge struct {
	From, To   *graphNode
	Type       string // the link type, or "holds"
	Label      string // the type as drawn
	Class      string
	Href       string // the source's page
	SourceRef  string
	Confidence float64
	Derived    bool // drawn from an identifier's holder, not a link record
	// Since and Until are the link's dates, as recorded (partial dates), for the
	// chart's time filter.
	Since, Until string
	Title        string
	D            string // the SVG path
	Marker       string
	LX, LY       float64 // label centre
	LW, LH       float64
}

// graphView is the body of the graph page.
type graphView struct {
	Focus     *graphNode
	FocusName string
	Depth     int
	Nodes     []*graphNode
	Edges     []*graphEdge
	Width     float64
	Height    float64
	TooMany   bool
	// Wide is set for a drawing too wide to scale down to the page legibly: it
	// scrolls instead.
	Wide bool
	// Large is set for a drawing wider than a tablet: there it scrolls rather than
	// shrink past reading.
	Large bool
	// Scale is the size the drawing is shown at: a wide one is shown smaller, but
	// never so small its labels cannot be read.
	Scale     float64
	Choices   []*graphNode
	Legend    []graphLegend
	EdgeKinds []graphLegend
	// From and To are the records of the path form; Paths their shortest paths
	// (nil until asked), each hop with the edge and the record it reaches.
	From, To string
	Paths    *caseroom.Paths
	Hops     [][]pathStep
	First    *caseroom.NetworkNode
	// Exports is set for a role that may export the case.
	Exports bool
}

// graphLegend is an entry of the legend: a style and what it means.
type graphLegend struct{ Class, Label string }

// personRolePriority orders person roles by how much they say on the graph.
var personRolePriority = []caseroom.PersonRole{
	caseroom.PersonSuspect, caseroom.PersonVictim, caseroom.PersonWitness, caseroom.PersonGuardian,
	caseroom.PersonComplainant, caseroom.PersonRepresentative, caseroom.PersonOfficer, caseroom.PersonInterpreter,
}

// edgeClass groups link types into the few styles of the drawing.
func edgeClass(t string) string {
	switch t {
	case "implicates":
		return "e-implicates"
	case "extorted", "abused", "filmed", "appears_in":
		return "e-offence"
	case "paid", "sold_to", "bought_from", "owns":
		return "e-money"
	case "parent_of", "guardian_of", "related_to":
		return "e-family"
	case "knows", "called", "messaged", "met", "member_of", "employed_by":
		return "e-contact"
	case "lives_at", "located_at":
		return "e-place"
	case "represents":
		return "e-legal"
	}
	return "e-identity"
}

var graphEdgeKinds = []graphLegend{
	{"e-implicates", "implicates (named in a statement)"},
	{"e-offence", "extorted, abused, filmed"},
	{"e-money", "paid, bought, sold, owns"},
	{"e-family", "family"},
	{"e-contact", "knows, called, met, member of"},
	{"e-place", "lives at, located at"},
	{"e-legal", "represents"},
	{"e-identity", "identifiers, same as"},
}

// uiGraph draws the link graph of the case, or of the network around one record.
func (s *Server) uiGraph(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Link graph", "graph")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	depth := 1
	switch q.Get("depth") {
	case "", "1":
	case "2":
		depth = 2
	default:
		s.uiError(w, r, p, caseroom.Errorf(caseroom.EINVALID, "depth: choose 1 or 2 steps around the person."))
		return
	}
	links, err := s.Links.FindLinks(ctx, p.Case.ID, caseroom.LinkFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	persons, err := s.Persons.FindPersons(ctx, p.Case.ID, caseroom.PersonFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	g := buildGraph(p.Case.ID, links, persons)
	v := &graphView{Depth: depth, Legend: g.legend(), EdgeKinds: graphEdgeKinds}
	v.Choices = g.choices()
	if focus := strings.TrimSpace(q.Get("person")); focus != "" {
		id := focus
		if g.nodes[id] == nil {
			// A pseudonym or a person without links: ask the person service, which
			// answers ENOTFOUND for a record the case does not hold.
			person, err := s.Persons.FindPerson(ctx, p.Case.ID, focus)
			if err != nil {
				s.uiError(w, r, p, err)
				return
			}
			id = person.ID
			if g.nodes[id] == nil {
				g.addPerson(p.Case.ID, person)
			}
		}
		g.keepAround(id, depth)
		v.Focus = g.nodes[id]
		v.Focus.Focus = true
		v.FocusName = v.Focus.Label
		p.Title = "Link graph of " + v.Focus.Label
	}
	v.Exports = p.Case.Role != caseroom.RoleAdvocate
	if v.From, v.To = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to")); v.From != "" || v.To != "" {
		paths, err := s.Network.Paths(ctx, p.Case.ID, caseroom.PathQuery{From: v.From, To: v.To})
		if caseroom.ErrorCode(err) == caseroom.EINVALID {
			p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
		} else if err != nil {
			s.uiError(w, r, p, err)
			return
		} else {
			v.Paths = paths
			v.Hops = pathSteps(paths)
			for _, n := range paths.Nodes {
				if n.ID == paths.From {
					v.First = n
				}
			}
		}
	}
	v.Nodes, v.Edges = g.list()
	if len(v.Nodes) > maxGraphNodes {
		v.TooMany = true
	} else {
		layoutGraph(v)
	}
	p.Body = v
	s.renderUI(w, r, "graph", p)
}

// caseGraph is the graph of a case's standing links, before layout.
type caseGraph struct {
	nodes map[string]*graphNode
	order []string // node ids in order of first appearance
	edges []*graphEdge
}

// buildGraph makes the nodes and edges of the standing links: a link corrected by a
// later one is replaced by it, a retracted one is left out. Each person's most telling
// role comes from persons.
func buildGraph(caseID string, links []*caseroom.Link, persons []*caseroom.Person) *caseGraph {
	g := &caseGraph{nodes: map[string]*graphNode{}}
	byID := map[string]*caseroom.Person{}
	for _, p := range persons {
		byID[p.ID] = p
	}
	superseded := map[string]bool{}
	for _, l := range links {
		if l.Corrects != "" {
			superseded[l.Corrects] = true
		}
	}
	casePath := "/cases/" + url.PathEscape(caseID)
	node := func(id string, kind caseroom.EntityKind, label string) *graphNode {
		if n := g.nodes[id]; n != nil {
			return n
		}
		n := &graphNode{ID: id, Label: label, Kind: string(kind)}
		if n.Label == "" {
			n.Label = id
		}
		switch kind {
		case caseroom.EntityPerson:
			n.Href = casePath + "/people/" + url.PathEscape(id)
			n.Class, n.Sub = "n-person", "person"
			if p := byID[id]; p != nil {
				for _, r := range personRolePriority {
					if p.HasRole(r) {
						n.Role, n.Class, n.Sub = string(r), "n-"+string(r), string(r)
						break
					}
				}
			}
		default:
			n.Href = casePath + "/graph?person=" + url.QueryEscape(id)
			n.Class, n.Sub = "n-"+string(kind), string(kind)
		}
		g.nodes[id] = n
		g.order = append(g.order, id)
		return n
	}
	for _, l := range links {
		if l.Retracts || superseded[l.ID] {
			continue
		}
		from, to := node(l.From, l.FromKind, l.FromLabel), node(l.To, l.ToKind, l.ToLabel)
		e := &graphEdge{From: from, To: to, Type: string(l.Type), SourceRef: l.SourceRef, Confidence: l.Confidence, Since: l.Since, Until: l.Until}
		e.Href = casePath + "/" + sourcePage(l.SourceKind) + "/" + url.PathEscape(l.Source)
		g.edges = append(g.edges, e)
	}
	// The holders of identifiers on the graph.
	for _, p := range persons {
		for _, idf := range p.Identifiers {
			n := g.nodes[idf.ID]
			if n == nil {
				continue
			}
			holder := node(p.ID, caseroom.EntityPerson, p.Label())
			e := &graphEdge{From: holder, To: n, Type: "holds", SourceRef: idf.Source, Confidence: 1, Derived: true}
			if idf.SourceRestricted {
				// Known from a medical report the user does not read: neither named
				// nor linked.
				e.SourceRef = "a medical report"
			} else if idf.Source != "" {
				e.Href = casePath + "/documents/" + url.PathEscape(idf.Source)
			}
			g.edges = append(g.edges, e)
		}
	}
	for _, e := range g.edges {
		e.Label = strings.ReplaceAll(e.Type, "_", " ")
		e.Class = edgeClass(e.Type)
		e.Marker = "url(#arrow-" + strings.TrimPrefix(e.Class, "e-") + ")"
		src := e.SourceRef
		if src == "" {
			src = "no source"
		}
		if e.Derived {
			e.Title = fmt.Sprintf("%s holds %s · known from %s", e.From.Label, e.To.Label, src)
		} else {
			e.Title = fmt.Sprintf("%s %s %s · source %s · confidence %.2f", e.From.Label, e.Label, e.To.Label, src, e.Confidence)
		}
	}
	return g
}

// sourcePage is the UI section of a link's source.
func sourcePage(k caseroom.EntityKind) string {
	switch k {
	case caseroom.EntityExhibit:
		return "exhibits"
	case caseroom.EntityMedia:
		return "media"
	}
	return "documents"
}

// addPerson adds a person who has no links, so the page can say so.
func (g *caseGraph) addPerson(caseID string, p *caseroom.Person) {
	n := &graphNode{ID: p.ID, Label: p.Label(), Kind: string(caseroom.EntityPerson), Class: "n-person", Sub: "person",
		Href: "/cases/" + url.PathEscape(caseID) + "/people/" + url.PathEscape(p.ID)}
	for _, r := range personRolePriority {
		if p.HasRole(r) {
			n.Role, n.Class, n.Sub = string(r), "n-"+string(r), string(r)
			break
		}
	}
	g.nodes[p.ID] = n
	g.order = append(g.order, p.ID)
}

// keepAround keeps only the nodes within depth steps of id and the edges among them.
func (g *caseGraph) keepAround(id string, depth int) {
	adj := map[string][]string{}
	for _, e := range g.edges {
		adj[e.From.ID] = append(adj[e.From.ID], e.To.ID)
		adj[e.To.ID] = append(adj[e.To.ID], e.From.ID)
	}
	dist := map[string]int{id: 0}
	frontier := []string{id}
	for step := 1; step <= depth; step++ {
		var next []string
		for _, v := range frontier {
			for _, w := range adj[v] {
				if _, ok := dist[w]; !ok {
					dist[w] = step
					next = append(next, w)
				}
			}
		}
		frontier = next
	}
	var order []string
	for _, v := range g.order {
		if _, ok := dist[v]; ok {
			order = append(order, v)
		} else {
			delete(g.nodes, v)
		}
	}
	// The focus first, so the layout starts from it.
	sort.SliceStable(order, func(a, b int) bool { return order[a] == id && order[b] != id })
	g.order = order
	var edges []*graphEdge
	for _, e := range g.edges {
		if g.nodes[e.From.ID] != nil && g.nodes[e.To.ID] != nil {
			edges = append(edges, e)
		}
	}
	g.edges = edges
}

// list returns the nodes in order and the edges.
func (g *caseGraph) list() ([]*graphNode, []*graphEdge) {
	nodes := make([]*graphNode, len(g.order))
	for i, id := range g.order {
		nodes[i] = g.nodes[id]
	}
	return nodes, g.edges
}

// choices lists the nodes one can centre the graph on: persons first, by label.
func (g *caseGraph) choices() []*graphNode {
	out := make([]*graphNode, 0, len(g.nodes))
	for _, id := range g.order {
		out = append(out, g.nodes[id])
	}
	sort.SliceStable(out, func(a, b int) bool {
		pa, pb := out[a].Kind == string(caseroom.EntityPerson), out[b].Kind == string(caseroom.EntityPerson)
		if pa != pb {
			return pa
		}
		return out[a].Label < out[b].Label
	})
	return out
}

// legend lists the node styles the graph uses, in a fixed order.
func (g *caseGraph) legend() []graphLegend {
	used := map[string]bool{}
	for _, n := range g.nodes {
		used[n.Class] = true
	}
	var out []graphLegend
	for _, r := range personRolePriority {
		if used["n-"+string(r)] {
			out = append(out, graphLegend{"n-" + string(r), string(r)})
		}
	}
	for _, k := range []string{"person", "organisation", "location", "identifier", "document", "exhibit", "media"} {
		if used["n-"+k] {
			out = append(out, graphLegend{"n-" + k, k})
		}
	}
	return out
}

// Sizes of the drawing, in SVG units (CSS pixels at 100 %).
const (
	graphNameChar  = 8.0 // average width of a character of a node's name (14px)
	graphLabelChar = 6.9 // of an edge label (12px)
	graphNodeH     = 42
	graphMaxName   = 26 // characters of a name drawn before it is cut
	// graphMaxScaledWidth is the widest drawing scaled down to fit the page (about
	// 1200 px wide on a laptop); a wider one scrolls at full size.
	graphMaxScaledWidth = 1800
)

// layoutGraph sizes the nodes and labels, lays them out and writes the SVG geometry.
func layoutGraph(v *graphView) {
	index := make(map[*graphNode]int, len(v.Nodes))
	nodes := make([]graphlayout.Node, len(v.Nodes))
	for i, n := range v.Nodes {
		index[n] = i
		n.Short = n.Label
		if utf8.RuneCountInString(n.Short) > graphMaxName {
			n.Short = string([]rune(n.Short)[:graphMaxName-1]) + "…"
		}
		chars := max(utf8.RuneCountInString(n.Short), utf8.RuneCountInString(n.Sub)*10/13)
		n.W, n.H = float64(chars)*graphNameChar+26, graphNodeH
		switch n.Kind {
		case string(caseroom.EntityLocation):
			n.R = graphNodeH / 2
			n.W += 12
		case string(caseroom.EntityOrganisation), string(caseroom.EntityIdentifier):
			n.R = 2
		default:
			n.R = 8
		}
		nodes[i] = graphlayout.Node{W: n.W, H: n.H}
	}
	edges := make([]graphlayout.Edge, len(v.Edges))
	for i, e := range v.Edges {
		e.LW = float64(utf8.RuneCountInString(e.Label))*graphLabelChar + 10
		e.LH = 17
		edges[i] = graphlayout.Edge{From: index[e.From], To: index[e.To], LabelW: e.LW, LabelH: e.LH}
	}
	root := -1
	if v.Focus != nil {
		root = index[v.Focus]
	}
	res := graphlayout.Layout(nodes, edges, graphlayout.Options{EdgeLength: graphEdgeLength, Gap: 24, Margin: 24, Root: root})
	for i, n := range v.Nodes {
		n.X, n.Y = res.Nodes[i].X, res.Nodes[i].Y
	}
	for i, e := range v.Edges {
		pth := res.Edges[i]
		if e.From == e.To {
			continue // listed in the table, not drawn
		}
		e.D = fmt.Sprintf("M%.1f %.1fQ%.1f %.1f %.1f %.1f", pth.Start.X, pth.Start.Y, pth.Ctrl.X, pth.Ctrl.Y, pth.End.X, pth.End.Y)
		e.LX, e.LY = pth.Label.X, pth.Label.Y
	}
	v.Width, v.Height = res.Width, res.Height
	v.Wide = v.Width > graphMaxScaledWidth
	v.Large = v.Width > 1100
	v.Scale = 1
	if v.Wide {
		v.Scale = max(0.7, graphMaxScaledWidth/v.Width)
	}
}

// graphNum formats a coordinate for the SVG.
func graphNum(x float64) string { return fmt.Sprintf("%.1f", x) }

// Left and Top are the corner of the node's box; NameY and SubY the baselines of its
// two lines; CX the centre, for the text.
func (n *graphNode) Left() string  { return graphNum(n.X - n.W/2) }
func (n *graphNode) Top() string   { return graphNum(n.Y - n.H/2) }
func (n *graphNode) CX() string    { return graphNum(n.X) }
func (n *graphNode) NameY() string { return graphNum(n.Y - 2) }
func (n *graphNode) SubY() string  { return graphNum(n.Y + 14) }
func (n *graphNode) Width() string { return graphNum(n.W) }
func (n *graphNode) Height() string {
	return graphNum(n.H)
}
func (n *graphNode) Radius() string { return graphNum(n.R) }

// LabelLeft and LabelTop are the corner of the edge label's box; LabelX and LabelY
// the baseline of its text.
func (e *graphEdge) LabelLeft() string { return graphNum(e.LX - e.LW/2) }
func (e *graphEdge) LabelTop() string  { return graphNum(e.LY - e.LH/2) }
func (e *graphEdge) LabelX() string    { return graphNum(e.LX) }
func (e *graphEdge) LabelY() string    { return graphNum(e.LY + 4) }
func (e *graphEdge) LabelWidth() string {
	return graphNum(e.LW)
}
func (e *graphEdge) LabelHeight() string { return graphNum(e.LH) }

// Size is the drawing's width and height, formatted.
func (v *graphView) W() string { return graphNum(v.Width) }
func (v *graphView) H() string { return graphNum(v.Height) }

// ShownW and ShownH are the size the drawing takes on the page, at Scale.
func (v *graphView) ShownW() string { return graphNum(v.Width * v.Scale) }
func (v *graphView) ShownH() string { return graphNum(v.Height * v.Scale) }

// graphEdgeLength is the preferred length of an edge, in SVG units (hubs push each
// other further apart: see graphlayout).
var graphEdgeLength = 60.0
