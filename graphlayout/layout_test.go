package graphlayout

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// randomGraph is a graph of n boxes of varied widths and m edges, some parallel, from
// a fixed seed.
func randomGraph(seed uint64, n, m int) ([]Node, []Edge) {
	r := rand.New(rand.NewPCG(seed, 1))
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i] = Node{W: 60 + float64(r.IntN(160)), H: 40}
	}
	edges := make([]Edge, m)
	for i := range edges {
		a, b := r.IntN(n), r.IntN(n)
		edges[i] = Edge{From: a, To: b, LabelW: 50 + float64(r.IntN(40)), LabelH: 16}
	}
	return nodes, edges
}

func TestLayoutDeterministic(t *testing.T) {
	nodes, edges := randomGraph(1, 60, 120)
	a := Layout(nodes, edges, Options{})
	b := Layout(nodes, edges, Options{})
	if !reflect.DeepEqual(a, b) {
		t.Error("the same graph laid out twice gives two pictures")
	}
}

func TestLayoutNoOverlap(t *testing.T) {
	for _, tc := range []struct {
		name       string
		seed       uint64
		n, m, root int
	}{
		{"sparse, several parts", 2, 40, 25, -1},
		{"dense", 3, 30, 120, -1},
		{"around a root", 4, 50, 90, 7},
		{"demo scale", 5, 80, 150, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nodes, edges := randomGraph(tc.seed, tc.n, tc.m)
			opt := Options{Gap: 16, Margin: 24, Root: tc.root}
			res := Layout(nodes, edges, opt)
			for i := range nodes {
				p := res.Nodes[i]
				if p.X-nodes[i].W/2 < opt.Margin-0.01 || p.Y-nodes[i].H/2 < opt.Margin-0.01 ||
					p.X+nodes[i].W/2 > res.Width+0.01 || p.Y+nodes[i].H/2 > res.Height+0.01 {
					t.Errorf("node %d at %v lies outside the drawing %vx%v", i, p, res.Width, res.Height)
				}
				for j := i + 1; j < len(nodes); j++ {
					q := res.Nodes[j]
					if math.Abs(p.X-q.X) < (nodes[i].W+nodes[j].W)/2 && math.Abs(p.Y-q.Y) < (nodes[i].H+nodes[j].H)/2 {
						t.Errorf("nodes %d and %d overlap", i, j)
					}
				}
			}
			for k, e := range edges {
				path := res.Edges[k]
				if e.From == e.To {
					if path != (Path{}) {
						t.Errorf("edge %d joins node %d to itself but has a path", k, e.From)
					}
					continue
				}
				// Ends lie on the borders of the boxes, not inside them.
				for _, end := range []struct {
					p Point
					n int
				}{{path.Start, e.From}, {path.End, e.To}} {
					c, nd := res.Nodes[end.n], nodes[end.n]
					if math.Abs(end.p.X-c.X) < nd.W/2-0.01 && math.Abs(end.p.Y-c.Y) < nd.H/2-0.01 {
						t.Errorf("edge %d ends inside node %d", k, end.n)
					}
				}
			}
		})
	}
}

func TestLayoutParallelEdgesBendApart(t *testing.T) {
	nodes := []Node{{W: 80, H: 40}, {W: 80, H: 40}}
	edges := []Edge{{From: 0, To: 1, LabelW: 60, LabelH: 16}, {From: 1, To: 0, LabelW: 60, LabelH: 16}, {From: 0, To: 1, LabelW: 60, LabelH: 16}}
	res := Layout(nodes, edges, Options{})
	seen := map[Point]bool{}
	for _, p := range res.Edges {
		if seen[p.Ctrl] {
			t.Errorf("two edges between the same nodes share the curve through %v", p.Ctrl)
		}
		seen[p.Ctrl] = true
	}
	for i := range res.Edges {
		for j := i + 1; j < len(res.Edges); j++ {
			a, b := res.Edges[i].Label, res.Edges[j].Label
			if math.Abs(a.X-b.X) < 60 && math.Abs(a.Y-b.Y) < 16 {
				t.Errorf("the labels of edges %d and %d overlap", i, j)
			}
		}
	}
}

func TestLayoutEmptyAndOutOfRange(t *testing.T) {
	res := Layout(nil, nil, Options{})
	if res.Width <= 0 || res.Height <= 0 || len(res.Nodes) != 0 {
		t.Errorf("empty graph: %+v", res)
	}
	res = Layout([]Node{{W: 50, H: 30}}, []Edge{{From: 0, To: 5}}, Options{})
	if res.Edges[0] != (Path{}) {
		t.Errorf("an edge to a node that does not exist has a path: %+v", res.Edges[0])
	}
}

// BenchmarkLayout lays out a graph the size of the demo case's whole network.
func BenchmarkLayout(b *testing.B) {
	nodes, edges := randomGraph(5, 80, 150)
	for b.Loop() {
		Layout(nodes, edges, Options{})
	}
}
