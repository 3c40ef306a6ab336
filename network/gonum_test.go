package network

import (
	"math"
	"testing"
	"time"

	"caseroom"
	gnetwork "gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

// gonumGraph is the simple undirected graph of edges for gonum, node i being ids[i].
func gonumGraph(edges []*caseroom.NetworkEdge) (*simple.UndirectedGraph, []string) {
	index := map[string]int64{}
	var ids []string
	for _, e := range edges {
		for _, id := range []string{e.From, e.To} {
			if _, ok := index[id]; !ok {
				index[id] = int64(len(ids))
				ids = append(ids, id)
			}
		}
	}
	g := simple.NewUndirectedGraph()
	for i := range ids {
		g.AddNode(simple.Node(i))
	}
	for _, e := range edges {
		if e.From != e.To {
			g.SetEdge(simple.Edge{F: simple.Node(index[e.From]), T: simple.Node(index[e.To])})
		}
	}
	return g, ids
}

// Our exact betweenness is gonum's. Gonum sums the dependencies over ordered pairs
// (s, t), each undirected pair twice, and does not normalise: divided by (n-1)(n-2)
// it is ours.
func TestBetweennessIsGonums(t *testing.T) {
	for _, tc := range []struct {
		seed       uint64
		n, m, hubs int
	}{{1, 30, 40, 0}, {2, 100, 300, 1}, {3, 200, 200, 0}, {4, 300, 1500, 2}, {5, 60, 1000, 0}} {
		edges := randomGraph(tc.seed, tc.n, tc.m, tc.hubs, tc.n/5)
		rows, _ := Centrality(edges, func(string) bool { return true }, 0, 0)
		g, ids := gonumGraph(edges)
		theirs := gnetwork.Betweenness(g)
		n := float64(len(ids))
		if len(rows) != len(ids) {
			t.Fatalf("seed %d: %d rows for %d nodes", tc.seed, len(rows), len(ids))
		}
		ours := map[string]Score{}
		for _, s := range rows {
			ours[s.ID] = s
		}
		nonzero := 0
		for i, id := range ids {
			want := theirs[int64(i)] / ((n - 1) * (n - 2))
			if math.Abs(ours[id].Betweenness-want) > 1e-9 {
				t.Errorf("seed %d: %s has betweenness %v, gonum %v", tc.seed, id, ours[id].Betweenness, want)
			}
			if d := g.From(int64(i)).Len(); ours[id].Degree != d {
				t.Errorf("seed %d: %s has degree %d, gonum %d", tc.seed, id, ours[id].Degree, d)
			}
			if want > 0 {
				nonzero++
			}
		}
		if nonzero < len(ids)/4 {
			t.Errorf("seed %d: only %d of %d nodes lie between others; the graph tests little", tc.seed, nonzero, len(ids))
		}
	}
}

// BenchmarkBetweenness times our exact betweenness (from the edges, the graph built
// included) and gonum's (on its graph, built beforehand) on one random graph of 2,000
// nodes and 10,000 edges.
func BenchmarkBetweenness(b *testing.B) {
	edges := randomGraph(11, 2000, 10000, 0, 0)
	g, _ := gonumGraph(edges)
	var ours, theirs time.Duration
	for b.Loop() {
		start := time.Now()
		Centrality(edges, func(string) bool { return true }, 0, 0)
		ours += time.Since(start)
		start = time.Now()
		gnetwork.Betweenness(g)
		theirs += time.Since(start)
	}
	b.ReportMetric(ours.Seconds()*1000/float64(b.N), "ours-ms/op")
	b.ReportMetric(theirs.Seconds()*1000/float64(b.N), "gonum-ms/op")
	b.ReportMetric(float64(theirs)/float64(ours), "gonum/ours")
}
