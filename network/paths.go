package network

import (
	"fmt"
	"slices"

	"caseroom"
)

// ShortestPaths returns every shortest path from one record to another, with i2's
// "Find Path" meaning: all the paths of the least number of edges, if that is at most
// max, the first limit of them, and whether there were more (truncated). When no path
// has max edges or fewer, length is 0 and there are no paths.
//
// A path is a sequence of distinct nodes, each joined to the next by an edge; the
// paths are ordered by their nodes' ids, compared hop by hop from from. Parallel
// edges (two links between the same two nodes, from different sources) do not make
// more paths: each hop carries the best of the edges between its two nodes (highest
// confidence, then most sources, then ID).
//
// The search is breadth first from both ends. Each round expands the smaller frontier
// (from's on a tie) with one call of expand on that side's nodes at its current
// distance, sorted, and records each new node's parents: all its neighbours one step
// nearer that side's end. The round in which the two searches meet is taken whole, so
// the nodes where they meet, and their parents, are all found; the paths are then
// read off the parents of both sides. There are at most max rounds, and fewer when
// one side runs out of nodes.
//
// Returns EINVALID if from and to are the same record or max or limit is less than 1,
// and expand's error, wrapped, if it fails.
func ShortestPaths(from, to string, max, limit int, expand Expander) (length int, paths []caseroom.NetworkPath, truncated bool, err error) {
	switch {
	case from == to:
		return 0, nil, false, caseroom.Errorf(caseroom.EINVALID, "paths: from and to are both %s; a path joins two different records", from)
	case max < 1:
		return 0, nil, false, caseroom.Errorf(caseroom.EINVALID, "paths: a longest path of %d edges finds nothing; ask for 1 or more", max)
	case limit < 1:
		return 0, nil, false, caseroom.Errorf(caseroom.EINVALID, "paths: a limit of %d paths returns nothing; ask for 1 or more", limit)
	}
	a, b := newSide(from), newSide(to)
	hop := map[[2]string]*caseroom.NetworkEdge{} // the best edge of each parent link
	var meet []string
	for a.depth+b.depth < max && len(meet) == 0 {
		s, other := a, b
		if len(b.frontier) < len(a.frontier) {
			s, other = b, a
		}
		if len(s.frontier) == 0 {
			break
		}
		found, err := expand(s.frontier)
		if err != nil {
			return 0, nil, false, fmt.Errorf("paths from %s to %s: the edges of %d nodes %d edges from %s: %w", from, to, len(s.frontier), s.depth, s.start, err)
		}
		s.step(found, hop)
		for _, id := range s.frontier {
			if has(other.dist, id) {
				meet = append(meet, id)
			}
		}
	}
	paths = []caseroom.NetworkPath{}
	if len(meet) == 0 {
		return 0, paths, false, nil
	}
	length = a.depth + b.depth

	// From's side forward: the children of each node that lead to a meeting node.
	children := map[string][]string{}
	onPath := map[string]bool{}
	var mark func(id string)
	mark = func(id string) {
		if onPath[id] {
			return
		}
		onPath[id] = true
		for _, p := range a.parents[id] {
			children[p] = append(children[p], id)
			mark(p)
		}
	}
	for _, m := range meet {
		mark(m)
	}
	for _, c := range children {
		slices.Sort(c)
	}

	// Walk the paths depth first, each node's next nodes by id: children up to the
	// meeting level, then to's side's parents down to to.
	nodes := []string{from}
	var walk func() bool
	walk = func() bool {
		last := nodes[len(nodes)-1]
		if last == to {
			if len(paths) == limit {
				truncated = true
				return false
			}
			p := caseroom.NetworkPath{Nodes: slices.Clone(nodes), Edges: make([]*caseroom.NetworkEdge, len(nodes)-1)}
			for i := range p.Edges {
				p.Edges[i] = hop[pair(nodes[i], nodes[i+1])]
			}
			paths = append(paths, p)
			return true
		}
		next := b.parents[last]
		if len(nodes) <= a.depth {
			next = children[last]
		}
		for _, id := range next {
			nodes = append(nodes, id)
			more := walk()
			nodes = nodes[:len(nodes)-1]
			if !more {
				return false
			}
		}
		return true
	}
	walk()
	return length, paths, truncated, nil
}

// side is the breadth-first search from one end, start: each node's distance from it,
// each node's parents (its neighbours one step nearer start, sorted), and the nodes at
// the current depth, sorted.
type side struct {
	start    string
	dist     map[string]int
	parents  map[string][]string
	frontier []string
	depth    int
}

func newSide(start string) *side {
	return &side{start: start, dist: map[string]int{start: 0}, parents: map[string][]string{}, frontier: []string{start}}
}

// step takes the edges of the frontier's nodes one step further: nodes seen for the
// first time become the next frontier, with every frontier node they are joined to as
// a parent, and hop keeps the best edge of each parent link.
func (s *side) step(found []*caseroom.NetworkEdge, hop map[[2]string]*caseroom.NetworkEdge) {
	var next []string
	link := func(u, v string, e *caseroom.NetworkEdge) {
		if du, ok := s.dist[u]; !ok || du != s.depth {
			return
		}
		dv, ok := s.dist[v]
		if !ok {
			s.dist[v] = s.depth + 1
			next = append(next, v)
		} else if dv != s.depth+1 {
			return
		}
		s.parents[v] = append(s.parents[v], u)
		k := pair(u, v)
		if old := hop[k]; old == nil || rank(e, old) < 0 {
			hop[k] = e
		}
	}
	for _, e := range found {
		if e.From != e.To {
			link(e.From, e.To, e)
			link(e.To, e.From, e)
		}
	}
	for _, v := range next {
		p := s.parents[v]
		slices.Sort(p)
		s.parents[v] = slices.Compact(p)
	}
	slices.Sort(next)
	s.frontier = next
	s.depth++
}

// pair is the key of the two nodes u and v, in either order.
func pair(u, v string) [2]string {
	if v < u {
		u, v = v, u
	}
	return [2]string{u, v}
}
