// Package network holds the graph algorithms of a case's network as pure functions
// over the root package's edges: the neighbourhood of a record, every shortest path
// between two records, the counterparts several persons share, and the degree and
// betweenness centrality of persons. It reads no database: the store loads the edges,
// applies the query's filter and need-to-know, and hands them over, either all at
// once (Common, Centrality) or through an Expander that the search calls one frontier
// at a time (Neighbourhood, ShortestPaths).
//
// Edges are followed either way: Directed is shown to the user but does not restrict
// a walk. Every answer is deterministic: the same edges give the same answer in the
// same order, whatever order the store returns them in.
package network

import (
	"cmp"
	"strings"

	"caseroom"
)

// Expander returns every edge touching any of ids that the query may follow (already
// filtered and need-to-know applied by the caller). It may return an edge more than
// once across calls (and both ends may be in ids); the algorithms deduplicate by edge
// ID. The ids are sorted and each is named once; an edge touching none of them is
// ignored.
type Expander func(ids []string) ([]*caseroom.NetworkEdge, error)

// rank orders edges best first: the highest confidence, then the most sources, then
// the smaller ID. It is a total order on edges with distinct IDs, so a cap or the
// choice of one edge among parallel ones never depends on the order edges came in.
func rank(a, b *caseroom.NetworkEdge) int {
	if c := cmp.Compare(b.Confidence, a.Confidence); c != 0 {
		return c
	}
	if c := cmp.Compare(len(b.Sources), len(a.Sources)); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}
