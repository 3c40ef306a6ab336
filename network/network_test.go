package network

import (
	"fmt"
	"slices"

	"caseroom"
	"pgregory.net/rapid"
)

// edge is a link id from one node to another with a confidence and a number of sources.
func edge(id, from, to string, confidence float64, sources int) *caseroom.NetworkEdge {
	e := &caseroom.NetworkEdge{ID: id, From: from, To: to, Type: "associate", Via: caseroom.ViaLink, Confidence: confidence}
	for i := range sources {
		e.Sources = append(e.Sources, caseroom.NetworkSource{ID: fmt.Sprintf("%s-s%d", id, i), Kind: caseroom.EntityDocument})
	}
	return e
}

// links is edges of confidence 1 and one source each, written "id from to".
func links(specs ...string) []*caseroom.NetworkEdge {
	var out []*caseroom.NetworkEdge
	for _, s := range specs {
		var id, from, to string
		fmt.Sscan(s, &id, &from, &to)
		out = append(out, edge(id, from, to, 1, 1))
	}
	return out
}

// memory is an Expander over edges held in memory, as the store's would be over its
// tables; it records each call's ids. It returns an edge joining two of the ids twice,
// as a store reading each end's rows may.
type memory struct {
	edges []*caseroom.NetworkEdge
	adj   map[string][]*caseroom.NetworkEdge
	calls [][]string
	err   error // returned by every call when set
}

func newMemory(edges []*caseroom.NetworkEdge) *memory {
	m := &memory{edges: edges, adj: map[string][]*caseroom.NetworkEdge{}}
	for _, e := range edges {
		m.adj[e.From] = append(m.adj[e.From], e)
		if e.To != e.From {
			m.adj[e.To] = append(m.adj[e.To], e)
		}
	}
	return m
}

func (m *memory) expand(ids []string) ([]*caseroom.NetworkEdge, error) {
	m.calls = append(m.calls, slices.Clone(ids))
	if m.err != nil {
		return nil, m.err
	}
	var out []*caseroom.NetworkEdge
	for _, id := range ids {
		out = append(out, m.adj[id]...)
	}
	return out, nil
}

// distances is each node's distance from start, by a plain breadth-first search over
// edges (either way), one node at a time.
func distances(edges []*caseroom.NetworkEdge, start string) map[string]int {
	adj := map[string][]string{}
	for _, e := range edges {
		adj[e.From] = append(adj[e.From], e.To)
		adj[e.To] = append(adj[e.To], e.From)
	}
	d := map[string]int{start: 0}
	queue := []string{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range adj[v] {
			if _, ok := d[w]; !ok {
				d[w] = d[v] + 1
				queue = append(queue, w)
			}
		}
	}
	return d
}

// randomEdges draws a small graph of nodes n0..n(n-1), with parallel edges, edges from
// a node to itself, and confidences and sources that tie.
func randomEdges(t *rapid.T) (n int, edges []*caseroom.NetworkEdge) {
	n = rapid.IntRange(2, 20).Draw(t, "nodes")
	m := rapid.IntRange(n/2, 3*n).Draw(t, "edges")
	node := rapid.IntRange(0, n-1)
	for i := range m {
		from, to := node.Draw(t, "from"), node.Draw(t, "to")
		conf := rapid.SampledFrom([]float64{0.5, 1}).Draw(t, "confidence")
		edges = append(edges, edge(fmt.Sprintf("e%02d", i), fmt.Sprintf("n%d", from), fmt.Sprintf("n%d", to), conf, rapid.IntRange(0, 2).Draw(t, "sources")))
	}
	return n, edges
}

// ids is the edges' IDs in order.
func ids(edges []*caseroom.NetworkEdge) []string {
	var out []string
	for _, e := range edges {
		out = append(out, e.ID)
	}
	return out
}
