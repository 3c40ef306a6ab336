package network

import (
	"fmt"
	"slices"

	"caseroom"
)

// Hood is the neighbourhood of a record: the nodes within some steps of it and the
// edges followed between them.
type Hood struct {
	// Steps is each node's distance in edges from the start, which is 0.
	Steps map[string]int
	// Order is the nodes by distance, the start first, and at each distance by id.
	Order []string
	// Edges are the edges followed, each once: step by step, the nodes expanded at
	// a step by id, and each node's edges best first (highest confidence, then most
	// sources, then ID).
	Edges []*caseroom.NetworkEdge
	// Capped holds the nodes that had more edges than the cap.
	Capped map[string]bool
}

// Neighbourhood returns every node within steps edges of around, and the edges that
// join them. It searches breadth first, one whole frontier at a time: step d calls
// expand once with the nodes at distance d-1, sorted. A node with more than cap
// edges (counting each edge ID once, its edges to nodes already found included) has
// only the cap's best edges followed and kept, highest confidence first, then most
// sources, then ID; it is marked capped. An edge that node left out is still kept if
// the node at its other end followed it. A cap of 0 or less follows every edge.
//
// The outermost nodes, at distance steps, are not expanded: that would be the largest
// call of the search, made only to find the edges among them. So an edge joining two
// nodes that are both at distance steps is not in the answer, and those nodes are
// never marked capped; every other edge between two nodes of the answer that some
// expanded node followed is. Returns EINVALID if steps is negative, and expand's
// error, wrapped, if it fails.
func Neighbourhood(around string, steps, cap int, expand Expander) (*Hood, error) {
	if steps < 0 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "neighbourhood: %d steps is fewer than none; ask for 1 or more", steps)
	}
	h := &Hood{
		Steps:  map[string]int{around: 0},
		Order:  []string{around},
		Edges:  []*caseroom.NetworkEdge{},
		Capped: map[string]bool{},
	}
	kept := map[string]bool{} // ids of the edges in h.Edges
	frontier := []string{around}
	for d := 1; d <= steps && len(frontier) > 0; d++ {
		found, err := expand(frontier)
		if err != nil {
			return nil, fmt.Errorf("neighbourhood of %s, step %d: %w", around, d, err)
		}
		// Each frontier node's edges, each ID once; an edge joining two frontier
		// nodes is an edge of both.
		byNode := make(map[string][]*caseroom.NetworkEdge, len(frontier))
		seen := make(map[string]bool, len(found))
		for _, e := range found {
			if seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			if inFrontier(h, e.From, d) {
				byNode[e.From] = append(byNode[e.From], e)
			}
			if e.To != e.From && inFrontier(h, e.To, d) {
				byNode[e.To] = append(byNode[e.To], e)
			}
		}
		var next []string
		for _, id := range frontier {
			edges := best(byNode[id], cap)
			if len(edges) < len(byNode[id]) {
				h.Capped[id] = true
			}
			for _, e := range edges {
				if !kept[e.ID] {
					kept[e.ID] = true
					h.Edges = append(h.Edges, e)
				}
				if o := e.Other(id); !has(h.Steps, o) {
					h.Steps[o] = d
					next = append(next, o)
				}
			}
		}
		slices.Sort(next)
		h.Order = append(h.Order, next...)
		frontier = next
	}
	return h, nil
}

// best returns the k best of edges, best first (all of them when k is 0 or less),
// reordering edges. Beyond k, it keeps the k best sorted and inserts each better edge
// in its place, so a hub's thousands of edges are compared once each, not sorted.
func best(edges []*caseroom.NetworkEdge, k int) []*caseroom.NetworkEdge {
	if k <= 0 || len(edges) <= k {
		slices.SortFunc(edges, rank)
		return edges
	}
	top := edges[:k]
	slices.SortFunc(top, rank)
	for _, e := range edges[k:] {
		if rank(e, top[k-1]) < 0 {
			i, _ := slices.BinarySearchFunc(top, e, rank)
			copy(top[i+1:], top[i:k-1])
			top[i] = e
		}
	}
	return top
}

// inFrontier reports whether id is a node of the frontier expanded at step d, that is
// at distance d-1.
func inFrontier(h *Hood, id string, d int) bool {
	s, ok := h.Steps[id]
	return ok && s == d-1
}

// has reports whether m holds key.
func has(m map[string]int, key string) bool {
	_, ok := m[key]
	return ok
}
