package network

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"
)

// The scale of a large case: 100,000 nodes and 1,000,000 edges, five of the nodes
// hubs with 10,000 edges more each, held in memory as the store would read them.
const (
	benchNodes     = 100_000
	benchEdges     = 1_000_000
	benchHubs      = 5
	benchHubDegree = 10_000
)

var bigGraph = sync.OnceValue(func() *memory {
	return newMemory(randomGraph(21, benchNodes, benchEdges, benchHubs, benchHubDegree))
})

// benchNode is a node drawn at random; hub nodes are n000000 to n000004.
func benchNode(r *rand.Rand) string { return fmt.Sprintf("n%06d", r.IntN(benchNodes)) }

// BenchmarkNeighbourhood times two steps around a random node (and around a hub) with
// the default cap of 200, and reports the median and 95th percentile per call and
// the mean number of nodes found.
func BenchmarkNeighbourhood(b *testing.B) {
	m := bigGraph()
	for _, tc := range []struct {
		name string
		hub  bool
	}{{"random", false}, {"hub", true}} {
		b.Run(tc.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			var times []time.Duration
			nodes := 0
			for b.Loop() {
				around := benchNode(r)
				if tc.hub {
					around = fmt.Sprintf("n%06d", r.IntN(benchHubs))
				}
				start := time.Now()
				h, err := Neighbourhood(around, 2, 200, m.expand)
				times = append(times, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				nodes += len(h.Order)
				m.calls = nil
			}
			percentiles(b, times)
			b.ReportMetric(float64(nodes)/float64(b.N), "nodes/op")
		})
	}
}

// BenchmarkShortestPaths times every shortest path of at most 6 edges, up to 20,
// between two random nodes, and reports the median and 95th percentile per call and
// the mean length.
func BenchmarkShortestPaths(b *testing.B) {
	m := bigGraph()
	r := rand.New(rand.NewPCG(3, 4))
	var times []time.Duration
	edges := 0
	for b.Loop() {
		from, to := benchNode(r), benchNode(r)
		if from == to {
			continue
		}
		start := time.Now()
		length, _, _, err := ShortestPaths(from, to, 6, 20, m.expand)
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		edges += length
		m.calls = nil
	}
	percentiles(b, times)
	b.ReportMetric(float64(edges)/float64(len(times)), "length/op")
}

// BenchmarkCentrality times the centrality of the persons of the large case (every
// tenth node) estimated from 100 sources, the graph built from the edges included.
func BenchmarkCentrality(b *testing.B) {
	m := bigGraph()
	isPerson := func(id string) bool { return id[len(id)-1] == '0' }
	for b.Loop() {
		Centrality(m.edges, isPerson, 100, 1)
	}
}

// percentiles reports the median and the 95th percentile of times.
func percentiles(b *testing.B, times []time.Duration) {
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	at := func(p float64) float64 { return times[int(p*float64(len(times)-1))].Seconds() * 1000 }
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}
