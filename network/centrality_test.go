package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"caseroom"
	"github.com/google/go-cmp/cmp"
)

func TestCentrality(t *testing.T) {
	everyone := func(string) bool { return true }
	for _, tc := range []struct {
		name     string
		edges    []*caseroom.NetworkEdge
		isPerson func(string) bool
		want     []Score
		method   string
	}{
		{"a star's centre lies on every path; parallel edges count once",
			links("1 c l1", "2 l2 c", "3 c l3", "4 c l4", "5 l1 c", "6 c c"), everyone,
			[]Score{{"c", 4, 1}, {"l1", 1, 0}, {"l2", 1, 0}, {"l3", 1, 0}, {"l4", 1, 0}},
			"Exact betweenness (Brandes' algorithm) over 5 nodes and 4 edges, directions ignored and parallel edges counted once."},
		{"the middle of a path", links("1 a b", "2 b c"), everyone, []Score{{"b", 2, 1}, {"a", 1, 0}, {"c", 1, 0}}, ""},
		{"only persons are listed", links("1 a b", "2 b c"), func(id string) bool { return id != "b" },
			[]Score{{"a", 1, 0}, {"c", 1, 0}}, ""},
		// a–b–c–d–a and c–e: c is on a–e, b–e, d–e and half of b–d; b and d each on
		// half of a–c and half of a–e; a on half of b–d.
		{"a square with a tail", links("1 a b", "2 b c", "3 c d", "4 d a", "5 c e"), everyone,
			[]Score{{"c", 3, 3.5 / 6}, {"b", 2, 1.0 / 6}, {"d", 2, 1.0 / 6}, {"a", 2, 0.5 / 6}, {"e", 1, 0}}, ""},
		{"two nodes", links("1 a b"), everyone, []Score{{"a", 1, 0}, {"b", 1, 0}}, ""},
		{"nothing", nil, everyone, []Score{},
			"Exact betweenness (Brandes' algorithm) over 0 nodes and 0 edges, directions ignored and parallel edges counted once."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, method := Centrality(tc.edges, tc.isPerson, 100, 1)
			if diff := cmp.Diff(tc.want, rows, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if tc.method != "" && method != tc.method {
				t.Errorf("method %q, want %q", method, tc.method)
			}
		})
	}
}

// Sampled betweenness is reproducible from its seed, says it is an estimate, and on
// a graph of 400 nodes half of them as sources come within a few hundredths of the
// exact figures.
func TestCentralitySampled(t *testing.T) {
	edges := randomGraph(7, 400, 1200, 0, 0)
	everyone := func(string) bool { return true }
	exact, exactMethod := Centrality(edges, everyone, 0, 0)
	if !strings.HasPrefix(exactMethod, "Exact") {
		t.Errorf("samples 0: method %q, want exact", exactMethod)
	}
	sampled, method := Centrality(edges, everyone, 200, 42)
	again, _ := Centrality(edges, everyone, 200, 42)
	if diff := cmp.Diff(sampled, again); diff != "" {
		t.Errorf("the same seed gives other figures (-first +second):\n%s", diff)
	}
	if want := fmt.Sprintf("Betweenness estimated from the shortest paths out of 200 of the %d nodes, drawn at random (Brandes and Pich, 2007)", len(exact)); !strings.HasPrefix(method, want) {
		t.Errorf("method %q, want it to start %q", method, want)
	}
	byID := map[string]float64{}
	for _, s := range exact {
		byID[s.ID] = s.Betweenness
	}
	worst := 0.0
	for _, s := range sampled {
		worst = max(worst, math.Abs(s.Betweenness-byID[s.ID]))
	}
	if worst > 0.01 || worst == 0 {
		t.Errorf("the estimate is off by up to %.4f, want some error below 0.01", worst)
	}
	if other, _ := Centrality(edges, everyone, 200, 43); cmp.Equal(other, sampled) {
		t.Error("another seed gives the same estimate")
	}
	// Drawn from leaves only, a star's centre is estimated at 11/10 of its share.
	star := links("1 c l1", "2 c l2", "3 c l3", "4 c l4", "5 c l5", "6 c l6", "7 c l7", "8 c l8", "9 c l9", "10 c l10")
	for seed := range uint64(20) {
		if rows, _ := Centrality(star, everyone, 4, seed); rows[0].ID != "c" || rows[0].Betweenness > 1 || rows[0].Betweenness < 0.8 {
			t.Errorf("seed %d: the star's centre scores %v, want at most 1", seed, rows[0])
		}
	}
}

// randomGraph is m edges drawn among n nodes from seed, with parallel edges and edges
// from a node to itself; the first hubs nodes have hubDegree edges more each.
func randomGraph(seed uint64, n, m, hubs, hubDegree int) []*caseroom.NetworkEdge {
	r := rand.New(rand.NewPCG(seed, 2))
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("n%06d", i)
	}
	sources := [][]caseroom.NetworkSource{{{ID: "s1"}}, {{ID: "s1"}, {ID: "s2"}}, {{ID: "s1"}, {ID: "s2"}, {ID: "s3"}}}
	edges := make([]caseroom.NetworkEdge, m)
	out := make([]*caseroom.NetworkEdge, m)
	for i := range edges {
		from := r.IntN(n)
		if i < hubs*hubDegree {
			from = i % hubs
		}
		edges[i] = caseroom.NetworkEdge{
			ID: fmt.Sprintf("e%07d", i), From: ids[from], To: ids[r.IntN(n)], Via: caseroom.ViaLink, Type: "associate",
			Confidence: []float64{0.5, 0.8, 1}[r.IntN(3)], Sources: sources[r.IntN(3)],
		}
		out[i] = &edges[i]
	}
	return out
}
