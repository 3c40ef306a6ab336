package network

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"caseroom"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestNeighbourhood(t *testing.T) {
	// a is joined to b and c, which are joined to each other; b and c to d, b to g,
	// d to g, then a tail d–e–f.
	graph := links("ab a b", "ac a c", "bc b c", "bd b d", "cd c d", "bg b g", "dg d g", "de d e", "ef e f")
	// A hub h with five leaves; l1 is also joined to x.
	hub := []*caseroom.NetworkEdge{
		edge("h1", "h", "l1", 0.9, 1), edge("h2", "h", "l2", 0.9, 2), edge("h3", "h", "l3", 0.5, 3),
		edge("h4", "h", "l4", 1, 1), edge("h5", "h", "l5", 0.9, 1), edge("l1x", "l1", "x", 1, 1),
	}
	for _, tc := range []struct {
		name       string
		edges      []*caseroom.NetworkEdge
		around     string
		steps, cap int
		dist       map[string]int
		order      []string
		edgeIDs    []string
		capped     []string
		calls      [][]string
	}{
		{"no steps", graph, "a", 0, 0, map[string]int{"a": 0}, []string{"a"}, nil, nil, nil},
		{"one step leaves out b–c, both outermost", graph, "a", 1, 0,
			map[string]int{"a": 0, "b": 1, "c": 1}, []string{"a", "b", "c"}, []string{"ab", "ac"}, nil, [][]string{{"a"}}},
		{"two steps keep b–c but not d–g", graph, "a", 2, 0,
			map[string]int{"a": 0, "b": 1, "c": 1, "d": 2, "g": 2}, []string{"a", "b", "c", "d", "g"},
			[]string{"ab", "ac", "bc", "bd", "bg", "cd"}, nil, [][]string{{"a"}, {"b", "c"}}},
		{"three steps", graph, "a", 3, 0,
			map[string]int{"a": 0, "b": 1, "c": 1, "d": 2, "g": 2, "e": 3}, []string{"a", "b", "c", "d", "g", "e"},
			[]string{"ab", "ac", "bc", "bd", "bg", "cd", "de", "dg"}, nil, [][]string{{"a"}, {"b", "c"}, {"d", "g"}}},
		{"stops when nothing is left", graph, "a", 8, 0,
			map[string]int{"a": 0, "b": 1, "c": 1, "d": 2, "g": 2, "e": 3, "f": 4}, []string{"a", "b", "c", "d", "g", "e", "f"},
			[]string{"ab", "ac", "bc", "bd", "bg", "cd", "de", "dg", "ef"}, nil, [][]string{{"a"}, {"b", "c"}, {"d", "g"}, {"e"}, {"f"}}},
		{"a hub capped at three keeps its best", hub, "h", 1, 3,
			map[string]int{"h": 0, "l1": 1, "l2": 1, "l4": 1}, []string{"h", "l1", "l2", "l4"},
			[]string{"h4", "h2", "h1"}, []string{"h"}, [][]string{{"h"}}},
		{"the hub's leaves expanded", hub, "h", 2, 3,
			map[string]int{"h": 0, "l1": 1, "l2": 1, "l4": 1, "x": 2}, []string{"h", "l1", "l2", "l4", "x"},
			[]string{"h4", "h2", "h1", "l1x"}, []string{"h"}, [][]string{{"h"}, {"l1", "l2", "l4"}}},
		{"an edge the capped hub leaves out stays when its other end followed it", hub, "l3", 2, 3,
			map[string]int{"l3": 0, "h": 1, "l1": 2, "l2": 2, "l4": 2}, []string{"l3", "h", "l1", "l2", "l4"},
			[]string{"h3", "h4", "h2", "h1"}, []string{"h"}, [][]string{{"l3"}, {"h"}}},
		{"no cap", hub, "h", 1, 0,
			map[string]int{"h": 0, "l1": 1, "l2": 1, "l3": 1, "l4": 1, "l5": 1}, []string{"h", "l1", "l2", "l3", "l4", "l5"},
			[]string{"h4", "h2", "h1", "h5", "h3"}, nil, [][]string{{"h"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMemory(tc.edges)
			h, err := Neighbourhood(tc.around, tc.steps, tc.cap, m.expand)
			if err != nil {
				t.Fatal(err)
			}
			capped := map[string]bool{}
			for _, id := range tc.capped {
				capped[id] = true
			}
			for _, d := range []struct {
				what      string
				got, want any
			}{
				{"steps", h.Steps, tc.dist}, {"order", h.Order, tc.order}, {"edges", ids(h.Edges), tc.edgeIDs},
				{"capped", h.Capped, capped}, {"expand calls", m.calls, tc.calls},
			} {
				if diff := cmp.Diff(d.want, d.got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", d.what, diff)
				}
			}
		})
	}
}

func TestNeighbourhoodErrors(t *testing.T) {
	failed := errors.New("the store is down")
	m := newMemory(links("ab a b"))
	m.err = failed
	if _, err := Neighbourhood("a", 2, 0, m.expand); !errors.Is(err, failed) {
		t.Errorf("the expander's error is %v, want %v", err, failed)
	}
	if _, err := Neighbourhood("a", -1, 0, m.expand); caseroom.ErrorCode(err) != caseroom.EINVALID {
		t.Errorf("negative steps: %v, want %s", err, caseroom.EINVALID)
	}
}

// Without a cap, the neighbourhood is every node within steps of the start at its
// breadth-first distance, in order of distance and id, and every edge with both ends
// in it but two ends at the outermost step, each once.
func TestNeighbourhoodProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n, edges := randomEdges(t)
		steps := rapid.IntRange(0, 5).Draw(t, "steps")
		around := fmt.Sprintf("n%d", rapid.IntRange(0, n-1).Draw(t, "around"))
		h, err := Neighbourhood(around, steps, 0, newMemory(edges).expand)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for id, d := range distances(edges, around) {
			if d <= steps {
				want[id] = d
			}
		}
		if diff := cmp.Diff(want, h.Steps); diff != "" {
			t.Fatalf("steps (-brute force +got):\n%s", diff)
		}
		if !slices.IsSortedFunc(h.Order, func(a, b string) int {
			if c := want[a] - want[b]; c != 0 {
				return c
			}
			return strings.Compare(a, b)
		}) || len(h.Order) != len(want) || h.Order[0] != around {
			t.Fatalf("order %v is not the nodes by distance and id", h.Order)
		}
		var wantEdges []string
		for _, e := range edges {
			df, okf := want[e.From]
			dt, okt := want[e.To]
			if okf && okt && min(df, dt) < steps {
				wantEdges = append(wantEdges, e.ID)
			}
		}
		got := ids(h.Edges)
		slices.Sort(got)
		if diff := cmp.Diff(wantEdges, got); diff != "" {
			t.Fatalf("edges (-want +got):\n%s", diff)
		}
	})
}
