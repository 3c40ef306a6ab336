package network

import (
	"testing"

	"caseroom"
	"github.com/google/go-cmp/cmp"
)

func TestCommon(t *testing.T) {
	// x is joined to p1 twice and to p2 and p3; w and y to each of them once; z to p1
	// and p2 only; p1 and p2 to each other; w to itself.
	edges := []*caseroom.NetworkEdge{
		edge("xp1b", "x", "p1", 0.5, 1), edge("xp1a", "p1", "x", 1, 1), edge("xp2", "p2", "x", 1, 1), edge("xp3", "x", "p3", 1, 1),
		edge("y1", "y", "p1", 1, 1), edge("y2", "y", "p2", 1, 1), edge("y3", "p3", "y", 1, 1),
		edge("wc", "w", "p3", 1, 1), edge("wb", "w", "p2", 1, 1), edge("wa", "w", "p1", 1, 1), edge("ww", "w", "w", 1, 1),
		edge("z1", "z", "p1", 1, 1), edge("z2", "z", "p2", 1, 1),
		edge("p1p2", "p1", "p2", 1, 1),
	}
	edges = append(edges, edges[2]) // xp2 again, as a second read may return it
	for _, tc := range []struct {
		name    string
		persons []string
		want    map[string][]string // node: its edges' IDs
		order   []string
	}{
		{"three persons", []string{"p1", "p2", "p3"},
			map[string][]string{"x": {"xp1a", "xp1b", "xp2", "xp3"}, "w": {"wa", "wb", "wc"}, "y": {"y1", "y2", "y3"}}, []string{"x", "w", "y"}},
		{"edges by person in the order given", []string{"p3", "p1", "p2"},
			map[string][]string{"x": {"xp3", "xp1a", "xp1b", "xp2"}, "w": {"wc", "wa", "wb"}, "y": {"y3", "y1", "y2"}}, []string{"x", "w", "y"}},
		{"two persons, one named twice", []string{"p1", "p2", "p1"},
			map[string][]string{"x": {"xp1a", "xp1b", "xp2"}, "w": {"wa", "wb"}, "y": {"y1", "y2"}, "z": {"z1", "z2"}}, []string{"x", "w", "y", "z"}},
		{"one person shares every neighbour but the persons", []string{"p3"},
			map[string][]string{"x": {"xp3"}, "w": {"wc"}, "y": {"y3"}}, []string{"w", "x", "y"}},
		{"no persons", nil, map[string][]string{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string][]string{}
			var order []string
			for _, s := range Common(tc.persons, edges) {
				got[s.ID] = ids(s.Edges)
				order = append(order, s.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("shared (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.order, order); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}
