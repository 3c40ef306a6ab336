package network

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"caseroom"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestShortestPaths(t *testing.T) {
	// s reaches t through a or b in two edges, and through c and d in three; a and t
	// are joined twice, the second time on two sources. e–f is apart.
	graph := []*caseroom.NetworkEdge{
		edge("sa", "s", "a", 1, 1), edge("sb", "s", "b", 1, 1), edge("at1", "a", "t", 1, 1), edge("at2", "t", "a", 1, 2),
		edge("bt", "b", "t", 0.5, 1), edge("sc", "s", "c", 1, 1), edge("cd", "c", "d", 1, 1), edge("dt", "d", "t", 1, 1),
		edge("ef", "e", "f", 1, 1),
	}
	for _, tc := range []struct {
		name       string
		from, to   string
		max, limit int
		length     int
		paths      [][]string // each path's nodes, then its edges' IDs
		truncated  bool
		calls      [][]string
	}{
		{"two of equal length, the best of the parallel edges", "s", "t", 6, 20, 2,
			[][]string{{"s", "a", "t", "sa", "at2"}, {"s", "b", "t", "sb", "bt"}}, false, [][]string{{"s"}, {"t"}}},
		{"the limit truncates", "s", "t", 6, 1, 2, [][]string{{"s", "a", "t", "sa", "at2"}}, true, [][]string{{"s"}, {"t"}}},
		{"no path within max", "s", "t", 1, 20, 0, nil, false, [][]string{{"s"}}},
		{"apart", "s", "f", 6, 20, 0, nil, false, [][]string{{"s"}, {"f"}, {"e"}}},
		{"one edge", "a", "s", 6, 20, 1, [][]string{{"a", "s", "sa"}}, false, [][]string{{"a"}}},
		{"the shorter of two ways", "c", "b", 6, 20, 2, [][]string{{"c", "s", "b", "sc", "sb"}}, false, [][]string{{"c"}, {"b"}}},
		{"two ways, both sides expanded", "a", "b", 6, 20, 2,
			[][]string{{"a", "s", "b", "sa", "sb"}, {"a", "t", "b", "at2", "bt"}}, false, [][]string{{"a"}, {"b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMemory(graph)
			length, paths, truncated, err := ShortestPaths(tc.from, tc.to, tc.max, tc.limit, m.expand)
			if err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, p := range paths {
				got = append(got, append(slices.Clone(p.Nodes), ids(p.Edges)...))
			}
			if length != tc.length || truncated != tc.truncated {
				t.Errorf("length %d, truncated %v; want %d, %v", length, truncated, tc.length, tc.truncated)
			}
			if diff := cmp.Diff(tc.paths, got); diff != "" {
				t.Errorf("paths (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.calls, m.calls); diff != "" {
				t.Errorf("expand calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShortestPathsErrors(t *testing.T) {
	failed := errors.New("the store is down")
	m := newMemory(links("ab a b"))
	m.err = failed
	if _, _, _, err := ShortestPaths("a", "b", 6, 20, m.expand); !errors.Is(err, failed) {
		t.Errorf("the expander's error is %v, want %v", err, failed)
	}
	for _, tc := range []struct {
		name       string
		from, to   string
		max, limit int
	}{
		{"from is to", "a", "a", 6, 20},
		{"max 0", "a", "b", 0, 20},
		{"limit 0", "a", "b", 6, 0},
	} {
		if _, _, _, err := ShortestPaths(tc.from, tc.to, tc.max, tc.limit, newMemory(nil).expand); caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Errorf("%s: %v, want %s", tc.name, err, caseroom.EINVALID)
		}
	}
}

// On random graphs, the length is the breadth-first distance if it is at most max;
// the paths are the first limit of all the shortest ones, counted by brute force, in
// order; each is simple, runs from from to to, and each hop carries the best edge
// between its two nodes.
func TestShortestPathsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n, edges := randomEdges(t)
		from := fmt.Sprintf("n%d", rapid.IntRange(0, n/2-1).Draw(t, "from"))
		to := fmt.Sprintf("n%d", rapid.IntRange(n/2, n-1).Draw(t, "to"))
		max := rapid.IntRange(1, 8).Draw(t, "max")
		limit := rapid.IntRange(1, 12).Draw(t, "limit")
		length, paths, truncated, err := ShortestPaths(from, to, max, limit, newMemory(edges).expand)
		if err != nil {
			t.Fatal(err)
		}
		d, ok := distances(edges, from)[to]
		if !ok || d > max {
			if length != 0 || len(paths) != 0 || truncated {
				t.Fatalf("no path of at most %d edges, but length %d, %d paths, truncated %v", max, length, len(paths), truncated)
			}
			return
		}
		count := countShortest(edges, from)[to]
		if length != d || len(paths) != min(count, limit) || truncated != (count > limit) {
			t.Fatalf("length %d, %d paths, truncated %v; want %d, %d of %d", length, len(paths), truncated, d, min(count, limit), count)
		}
		bestOf := map[[2]string]*caseroom.NetworkEdge{}
		for _, e := range edges {
			k := pair(e.From, e.To)
			if b := bestOf[k]; b == nil || e.Confidence > b.Confidence ||
				e.Confidence == b.Confidence && (len(e.Sources) > len(b.Sources) || len(e.Sources) == len(b.Sources) && e.ID < b.ID) {
				bestOf[k] = e
			}
		}
		for i, p := range paths {
			if len(p.Nodes) != d+1 || len(p.Edges) != d || p.Nodes[0] != from || p.Nodes[d] != to {
				t.Fatalf("path %v does not run from %s to %s in %d edges", p.Nodes, from, to, d)
			}
			if s := slices.Clone(p.Nodes); len(slices.Compact(slices.Sorted(slices.Values(s)))) != len(s) {
				t.Fatalf("path %v passes a node twice", p.Nodes)
			}
			for j, e := range p.Edges {
				if pair(e.From, e.To) != pair(p.Nodes[j], p.Nodes[j+1]) || e != bestOf[pair(e.From, e.To)] {
					t.Fatalf("path %v: edge %d is %s (%s–%s), not the best edge joining %s and %s", p.Nodes, j, e.ID, e.From, e.To, p.Nodes[j], p.Nodes[j+1])
				}
			}
			if i > 0 && slices.Compare(paths[i-1].Nodes, p.Nodes) >= 0 {
				t.Fatalf("paths %v and %v are out of order", paths[i-1].Nodes, p.Nodes)
			}
		}
	})
}

// countShortest is the number of shortest paths (sequences of nodes) from start to
// each node.
func countShortest(edges []*caseroom.NetworkEdge, start string) map[string]int {
	d := distances(edges, start)
	joined := map[[2]string]bool{}
	for _, e := range edges {
		if e.From != e.To {
			joined[[2]string{e.From, e.To}], joined[[2]string{e.To, e.From}] = true, true
		}
	}
	count := map[string]int{start: 1}
	for step := 1; ; step++ {
		more := false
		for p := range joined {
			if du, ok := d[p[0]]; ok && du == step-1 && d[p[1]] == step {
				count[p[1]] += count[p[0]]
				more = true
			}
		}
		if !more {
			return count
		}
	}
}
