package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"caseroom"
)

// The graph formats (GraphML and the CSV tables) write the case as one network: a node
// per record, an edge per relation. Both come from one walk over the Source, so they
// hold the same nodes and edges in the same order.

// graphNode is one node: a person, organisation, location, endpoint, or an identifier
// or document a link ends at. Roles are a person's, comma-separated.
type graphNode struct {
	ID, Label, Kind, Roles string
}

// graphEdge is one edge. Every field but From, To and Type may be empty. Directed is
// false for a communication whose record does not say who began it.
type graphEdge struct {
	ID, From, To, Type string
	Directed           bool
	Since, Until       string
	Confidence, Source string
	Amount, Currency   string
	Count, Duration    string
}

// graphSink receives the nodes and edges of a walk. An edge comes only after both its
// ends.
type graphSink interface {
	node(*graphNode) error
	edge(*graphEdge) error
}

// graphWalk walks a Source into a sink. The order (see docs/export.md): persons,
// organisations, locations and the edges from a location to the one containing it,
// endpoints and the edges from their holders, links (each preceded by its ends when
// they are an identifier or a document not yet declared), payments, communications.
//
// It keeps the ids of the locations (for the "within" edges, written after them all)
// and of the identifiers and documents declared from links, never persons, links,
// payments or communications.
type graphWalk struct {
	src    Source
	sink   graphSink
	c      *caseroom.Case
	counts Counts
	// nodes and edges say what is written: CSVZip walks twice, once for each.
	nodes, edges bool
	// declared holds the identifiers and documents declared from links.
	declared map[string]bool
	// locations holds the ids of the locations; within the edges from a location to
	// the one containing it, until every location is declared.
	locations map[string]bool
	within    [][2]string
	amounts   amounts
	n         graphNode
	e         graphEdge
}

func newGraphWalk(src Source, sink graphSink, c *caseroom.Case, nodes, edges bool) *graphWalk {
	return &graphWalk{src: src, sink: sink, c: c, counts: newCounts(), nodes: nodes, edges: edges,
		declared: map[string]bool{}, locations: map[string]bool{}, amounts: amounts{}}
}

// run walks the Source, calling only the methods whose records give what is written.
func (g *graphWalk) run() error {
	type step struct {
		what string
		run  func() error
	}
	var steps []step
	if g.nodes {
		steps = append(steps,
			step{"persons", func() error { return g.src.Persons(g.person) }},
			step{"organisations", func() error { return g.src.Organisations(g.organisation) }})
	}
	steps = append(steps,
		step{"locations", func() error { return g.src.Locations(g.location) }},
		step{"locations", g.writeWithin},
		step{"endpoints", func() error { return g.src.Endpoints(g.endpoint) }},
		step{"links", func() error { return g.src.Links(g.link) }})
	if g.edges {
		steps = append(steps,
			step{"payments", func() error { return g.src.Payments(g.payment) }},
			step{"communications", func() error { return g.src.Communications(g.communication) }})
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return nil
}

func (g *graphWalk) node(id, label string, kind caseroom.EntityKind, roles string) error {
	if !g.nodes {
		return nil
	}
	g.n = graphNode{ID: id, Label: label, Kind: string(kind), Roles: roles}
	g.counts.wrote("node:" + string(kind))
	return g.sink.node(&g.n)
}

// edge writes g.e, counted as via ("link", "holds", "payment"...).
func (g *graphWalk) edge(via string) error {
	if !g.edges {
		return nil
	}
	g.counts.wrote("edge:" + via)
	return g.sink.edge(&g.e)
}

func (g *graphWalk) person(p *caseroom.Person) error {
	if err := checkCase(g.c, "person", p.ID, p.CaseID); err != nil {
		return err
	}
	p = visiblePerson(p)
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	return g.node(p.ID, p.Label(), caseroom.EntityPerson, strings.Join(roles, ","))
}

func (g *graphWalk) organisation(o *caseroom.Organisation) error {
	if err := checkCase(g.c, "organisation", o.ID, o.CaseID); err != nil {
		return err
	}
	return g.node(o.ID, o.Name, caseroom.EntityOrganisation, "")
}

func (g *graphWalk) location(l *caseroom.Location) error {
	if err := checkCase(g.c, "location", l.ID, l.CaseID); err != nil {
		return err
	}
	g.locations[l.ID] = true
	if l.Within != "" {
		g.within = append(g.within, [2]string{l.ID, l.Within})
	}
	return g.node(l.ID, l.Name, caseroom.EntityLocation, "")
}

// writeWithin writes an edge "within" from each location to the one containing it,
// once both are declared.
func (g *graphWalk) writeWithin() error {
	for _, w := range g.within {
		if !g.locations[w[1]] {
			g.counts.skip("within: the containing location is not exported")
			continue
		}
		g.e = graphEdge{ID: "within:" + w[0], From: w[0], To: w[1], Type: "within", Directed: true}
		if err := g.edge("within"); err != nil {
			return err
		}
	}
	g.within = nil
	return nil
}

// endpoint writes the endpoint's node and an edge "holds" from each holder.
func (g *graphWalk) endpoint(ep *caseroom.Endpoint) error {
	if err := checkCase(g.c, "endpoint", ep.ID, ep.CaseID); err != nil {
		return err
	}
	if err := g.node(ep.ID, ep.Label(), caseroom.EntityEndpoint, ""); err != nil {
		return err
	}
	for _, h := range ep.Holders {
		g.e = graphEdge{ID: "holds:" + ep.ID + ":" + h.ID, From: h.ID, To: ep.ID, Type: caseroom.EdgeHolds, Directed: true}
		if err := g.edge("holds"); err != nil {
			return err
		}
	}
	return nil
}

// declare writes the node of a link's end that is neither a person, an organisation
// nor a location (an identifier, a document) the first time a link names it, labelled
// as the link labels it.
func (g *graphWalk) declare(id string, kind caseroom.EntityKind, label string) error {
	switch kind {
	case caseroom.EntityPerson, caseroom.EntityOrganisation, caseroom.EntityLocation:
		return nil
	}
	if g.declared[id] {
		return nil
	}
	g.declared[id] = true
	if label == "" {
		label = id
	}
	return g.node(id, label, kind, "")
}

func (g *graphWalk) link(l *caseroom.Link) error {
	if err := checkCase(g.c, "link", l.ID, l.CaseID); err != nil {
		return err
	}
	if err := g.declare(l.From, l.FromKind, l.FromLabel); err != nil {
		return err
	}
	if err := g.declare(l.To, l.ToKind, l.ToLabel); err != nil {
		return err
	}
	g.e = graphEdge{ID: l.ID, From: l.From, To: l.To, Type: string(l.Type), Directed: true,
		Since: l.Since, Until: l.Until, Confidence: decimal(l.Confidence), Source: l.SourceRef}
	return g.edge("link")
}

func (g *graphWalk) payment(p *caseroom.Payment) error {
	if err := checkCase(g.c, "payment", p.ID, p.CaseID); err != nil {
		return err
	}
	amount, err := g.amounts.major(p.Amount, p.Currency)
	if err != nil {
		return fmt.Errorf("payment %s: %w", p.Ref, err)
	}
	g.e = graphEdge{ID: p.ID, From: p.Payer.ID, To: p.Payee.ID, Type: caseroom.EdgePaid, Directed: true,
		Since: p.At, Source: p.SourceRef, Amount: amount, Currency: p.Currency, Count: "1"}
	return g.edge("payment")
}

// communication writes one edge per communication, between the two endpoints, with
// a duration for a call (and for anything else that has one).
func (g *graphWalk) communication(m *caseroom.Communication) error {
	if err := checkCase(g.c, "communication", m.ID, m.CaseID); err != nil {
		return err
	}
	g.e = graphEdge{ID: m.ID, From: m.From.ID, To: m.To.ID, Type: string(m.Kind), Directed: m.Directed,
		Since: isoTime(m.At), Source: commSource(m), Count: "1"}
	if m.Kind == caseroom.CommCall || m.Duration > 0 {
		g.e.Duration = strconv.FormatInt(m.Duration, 10)
	}
	return g.edge("communication")
}

// GraphMLNamespace is the GraphML namespace, http://graphml.graphdrawing.org/xmlns.
const GraphMLNamespace = "http://graphml.graphdrawing.org/xmlns"

// graphmlKey is one <key> declaration.
type graphmlKey struct{ id, domain, typ string }

// graphmlNodeKeys and graphmlEdgeKeys are the attributes declared, in order. A key's
// id is also its attr.name; node and edge keys have distinct ids.
var (
	graphmlNodeKeys = []graphmlKey{{"label", "node", "string"}, {"kind", "node", "string"}, {"roles", "node", "string"}}
	graphmlEdgeKeys = []graphmlKey{{"type", "edge", "string"}, {"since", "edge", "string"}, {"until", "edge", "string"},
		{"confidence", "edge", "double"}, {"source", "edge", "string"}, {"amount", "edge", "double"},
		{"currency", "edge", "string"}, {"count", "edge", "long"}, {"duration", "edge", "long"}}
)

// GraphML writes the case's network as GraphML (the GraphMLNamespace schema) for
// Gephi and yEd: <key> declarations for the node attributes label, kind and roles and
// the edge attributes type, since, until, confidence, source, amount, currency, count
// and duration; then one <graph edgedefault="directed">, with a <node> per person,
// organisation, location and endpoint, and per identifier or document a link ends at,
// and an <edge> per standing link, per holder of an endpoint, per location within
// another, per payment and per communication (not added up: Gephi adds parallel edges
// up on import if asked). A node is always written before the edges that name it.
// Node and edge ids are the records' ids. docs/export.md has the byte layout.
//
// It reads Persons, Organisations, Locations, Endpoints, Links, Payments and
// Communications, once each, and keeps what graphWalk keeps.
func GraphML(w io.Writer, c *caseroom.Case, src Source) (Counts, error) {
	gw := &graphmlWriter{bw: bufio.NewWriterSize(w, 64<<10)}
	gw.header(c)
	g := newGraphWalk(src, gw, c, true, true)
	if err := g.run(); err != nil {
		return g.counts, fmt.Errorf("export GraphML: %w", err)
	}
	gw.bw.WriteString("  </graph>\n</graphml>\n")
	if err := gw.bw.Flush(); err != nil {
		return g.counts, fmt.Errorf("export GraphML: %w", err)
	}
	return g.counts, nil
}

// graphmlWriter writes GraphML. Writes go to a bufio.Writer, whose first error
// sticks and is returned by Flush.
type graphmlWriter struct {
	bw  *bufio.Writer
	buf []byte
}

func (gw *graphmlWriter) header(c *caseroom.Case) {
	b := gw.buf[:0]
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<graphml xmlns="`+GraphMLNamespace+`" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="`+
		GraphMLNamespace+` http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`+"\n"...)
	for _, k := range append(append([]graphmlKey{}, graphmlNodeKeys...), graphmlEdgeKeys...) {
		b = append(b, `  <key id="`+k.id+`" for="`+k.domain+`" attr.name="`+k.id+`" attr.type="`+k.typ+`"/>`+"\n"...)
	}
	b = append(b, `  <graph id="`...)
	caseID, title := "case", ""
	if c != nil {
		caseID, title = c.ID, c.Title
	}
	b = appendXML(b, caseID)
	b = append(b, `" edgedefault="directed">`+"\n"...)
	if title != "" {
		b = append(b, `    <desc>`...)
		b = appendXML(b, title)
		b = append(b, "</desc>\n"...)
	}
	gw.bw.Write(b)
	gw.buf = b
}

func (gw *graphmlWriter) node(n *graphNode) error {
	b := gw.buf[:0]
	b = append(b, `    <node id="`...)
	b = appendXML(b, n.ID)
	b = append(b, `">`...)
	b = appendData(b, "label", n.Label)
	b = appendData(b, "kind", n.Kind)
	b = appendData(b, "roles", n.Roles)
	b = append(b, "</node>\n"...)
	_, err := gw.bw.Write(b)
	gw.buf = b
	return err
}

func (gw *graphmlWriter) edge(e *graphEdge) error {
	b := gw.buf[:0]
	b = append(b, `    <edge id="`...)
	b = appendXML(b, e.ID)
	b = append(b, `" source="`...)
	b = appendXML(b, e.From)
	b = append(b, `" target="`...)
	b = appendXML(b, e.To)
	b = append(b, '"')
	if !e.Directed {
		b = append(b, ` directed="false"`...)
	}
	b = append(b, '>')
	b = appendData(b, "type", e.Type)
	b = appendData(b, "since", e.Since)
	b = appendData(b, "until", e.Until)
	b = appendData(b, "confidence", e.Confidence)
	b = appendData(b, "source", e.Source)
	b = appendData(b, "amount", e.Amount)
	b = appendData(b, "currency", e.Currency)
	b = appendData(b, "count", e.Count)
	b = appendData(b, "duration", e.Duration)
	b = append(b, "</edge>\n"...)
	_, err := gw.bw.Write(b)
	gw.buf = b
	return err
}

// appendData appends <data key="key">value</data>, or nothing for an empty value.
func appendData(b []byte, key, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, `<data key="`+key+`">`...)
	b = appendXML(b, value)
	return append(b, "</data>"...)
}

// appendXML appends s escaped for XML text and attribute values: & < > " ' as
// entities, tab, line feed and carriage return as character references (so that an
// attribute keeps them), and every character XML 1.0 does not allow (other control
// characters, U+FFFE, U+FFFF, invalid UTF-8) as U+FFFD.
func appendXML(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\'':
			b = append(b, "&apos;"...)
		case r == '\t':
			b = append(b, "&#x9;"...)
		case r == '\n':
			b = append(b, "&#xA;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			b = append(b, "\uFFFD"...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}
