package network

import (
	"cmp"
	"slices"
	"strings"

	"caseroom"
)

// Shared is a node joined to every one of some persons, and the edges that join it
// to them.
type Shared struct {
	ID    string
	Edges []*caseroom.NetworkEdge
}

// Common returns the nodes joined by an edge to every one of persons, other than the
// persons themselves, each with all its edges to them (each edge ID once): ordered
// by number of edges, most first, then by id; a node's edges go by person in the
// order persons are given, and each person's best first (highest confidence, then
// most sources, then ID). An edge between two of the persons makes neither a shared
// node. No persons share nothing; one person shares every neighbour.
func Common(persons []string, edges []*caseroom.NetworkEdge) []Shared {
	order := map[string]int{} // person -> its place in persons
	for _, p := range persons {
		if _, ok := order[p]; !ok {
			order[p] = len(order)
		}
	}
	byNode := map[string][]*caseroom.NetworkEdge{}
	seen := map[string]bool{}
	for _, e := range edges {
		_, from := order[e.From]
		_, to := order[e.To]
		if from == to || seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		node := e.To
		if to {
			node = e.From
		}
		byNode[node] = append(byNode[node], e)
	}
	out := []Shared{}
	for node, es := range byNode {
		joined := map[string]bool{}
		for _, e := range es {
			joined[e.Other(node)] = true
		}
		if len(order) > 0 && len(joined) == len(order) {
			slices.SortFunc(es, func(a, b *caseroom.NetworkEdge) int {
				if c := cmp.Compare(order[a.Other(node)], order[b.Other(node)]); c != 0 {
					return c
				}
				return rank(a, b)
			})
			out = append(out, Shared{ID: node, Edges: es})
		}
	}
	slices.SortFunc(out, func(a, b Shared) int {
		if c := cmp.Compare(len(b.Edges), len(a.Edges)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
