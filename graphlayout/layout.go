// Package graphlayout places the nodes and edge labels of a graph of up to about a
// thousand nodes for drawing: a force-directed layout of each connected part, a pass
// that moves overlapping nodes apart, the parts packed in rows, and each edge's curve
// and label placed where the label covers no node and no other label.
//
// The layout is deterministic: the same nodes and edges, in the same order, give the
// same coordinates, so the same graph always draws the same picture. It uses no
// randomness and no maps in any order that matters.
package graphlayout

import (
	"math"
	"sort"
)

// Node is a box to place: its width and height in drawing units.
type Node struct {
	W, H float64
}

// Edge joins node From to node To (indices into the nodes) and carries a label box of
// LabelW by LabelH (zero for none). Several edges may join the same two nodes: they
// are drawn as curves bent apart.
type Edge struct {
	From, To       int
	LabelW, LabelH float64
}

// Point is a position in drawing units; Y grows downwards, as in SVG.
type Point struct {
	X, Y float64
}

// Path is where an edge is drawn: a quadratic Bézier curve from Start through the
// control point Ctrl to End (a straight line when Ctrl is the midpoint), with Start
// and End on the borders of the two nodes' boxes, and the centre of its label.
type Path struct {
	Start, Ctrl, End, Label Point
}

// Options tunes the layout. The zero value is usable.
type Options struct {
	// EdgeLength is the preferred distance between the centres of joined nodes
	// (default 150).
	EdgeLength float64
	// Gap is the least space kept between two node boxes (default 16).
	Gap float64
	// Margin is the space around the drawing (default 24).
	Margin float64
	// Root is the index of a node to start from (it is placed first, in the middle of
	// its part); -1 or out of range picks the node with the most edges.
	Root int
}

// Result is a placed graph: node centres and edge paths in the order given, and the
// size of the drawing.
type Result struct {
	Nodes         []Point
	Edges         []Path
	Width, Height float64
}

// iterations is the number of force-directed steps per part; enough for a few hundred
// nodes to settle.
const iterations = 300

// Layout places nodes and edges. Edges whose ends are out of range are given a zero
// Path and otherwise ignored.
func Layout(nodes []Node, edges []Edge, opt Options) Result {
	if opt.EdgeLength <= 0 {
		opt.EdgeLength = 150
	}
	if opt.Gap <= 0 {
		opt.Gap = 16
	}
	if opt.Margin <= 0 {
		opt.Margin = 24
	}
	n := len(nodes)
	res := Result{Nodes: make([]Point, n), Edges: make([]Path, len(edges))}
	if n == 0 {
		res.Width, res.Height = 2*opt.Margin, 2*opt.Margin
		return res
	}
	adj := neighbours(n, edges)
	root := opt.Root
	if root < 0 || root >= n {
		root = -1
	}
	parts := components(n, adj, root)
	pos := make([]Point, n)
	for _, part := range parts {
		placePart(part, adj, nodes, pos, opt)
		// Screens are wider than tall, and boxes are wider than tall: stretch the
		// part across and squeeze it down before moving overlapping boxes apart.
		for _, v := range part {
			pos[v].X *= 1.15
			pos[v].Y *= 0.85
		}
		separate(part, nodes, pos, opt.Gap)
	}
	pack(parts, nodes, pos, opt)
	// Size of the drawing: every node inside the margin.
	for i := range nodes {
		res.Width = math.Max(res.Width, pos[i].X+nodes[i].W/2+opt.Margin)
		res.Height = math.Max(res.Height, pos[i].Y+nodes[i].H/2+opt.Margin)
	}
	res.Nodes = pos
	res.Edges = route(nodes, edges, pos, opt)
	for i, p := range res.Edges {
		if p == (Path{}) {
			continue
		}
		res.Width = math.Max(res.Width, p.Label.X+edges[i].LabelW/2+opt.Margin)
		res.Height = math.Max(res.Height, p.Label.Y+edges[i].LabelH/2+opt.Margin)
	}
	return res
}

// neighbours lists each node's distinct neighbours in ascending order (self-edges and
// edges out of range left out).
func neighbours(n int, edges []Edge) [][]int {
	seen := map[[2]int]bool{}
	adj := make([][]int, n)
	for _, e := range edges {
		a, b := e.From, e.To
		if a < 0 || b < 0 || a >= n || b >= n || a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		if seen[[2]int{a, b}] {
			continue
		}
		seen[[2]int{a, b}] = true
		adj[a] = append(adj[a], b)
		adj[b] = append(adj[b], a)
	}
	for _, l := range adj {
		sort.Ints(l)
	}
	return adj
}

// components returns the connected parts, each in breadth-first order from its node
// with the most neighbours (root's part from root), the part holding root first, then
// the larger parts first.
func components(n int, adj [][]int, root int) [][]int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(adj[order[a]]) > len(adj[order[b]]) })
	if root >= 0 {
		order = append([]int{root}, order...)
	}
	done := make([]bool, n)
	var parts [][]int
	for _, start := range order {
		if done[start] {
			continue
		}
		part := []int{start}
		done[start] = true
		for k := 0; k < len(part); k++ {
			for _, m := range adj[part[k]] {
				if !done[m] {
					done[m] = true
					part = append(part, m)
				}
			}
		}
		parts = append(parts, part)
	}
	first := 0
	if root >= 0 {
		first = 1
	}
	rest := parts[first:]
	sort.SliceStable(rest, func(a, b int) bool { return len(rest[a]) > len(rest[b]) })
	return parts
}

// placePart runs a Fruchterman–Reingold layout of one part, starting from a spiral in
// breadth-first order so that near nodes start near each other.
//
// The root, if it is in the part, stays where it starts: in the middle.
func placePart(part []int, adj [][]int, nodes []Node, pos []Point, opt Options) {
	pinned := -1
	if opt.Root >= 0 && opt.Root < len(nodes) {
		pinned = opt.Root
	}
	k := opt.EdgeLength
	const golden = 2.399963229728653 // the golden angle, in radians
	for i, v := range part {
		r := k * 0.5 * math.Sqrt(float64(i))
		pos[v] = Point{r * math.Cos(float64(i)*golden), r * math.Sin(float64(i)*golden)}
	}
	m := len(part)
	if m < 2 {
		return
	}
	disp := make([]Point, m)
	index := make(map[int]int, m)
	for i, v := range part {
		index[v] = i
	}
	degree := make([]float64, m)
	for i, v := range part {
		degree[i] = math.Sqrt(float64(len(adj[v]) + 1))
	}
	temp := k * math.Sqrt(float64(m)) / 3
	repel := func(i, j int) {
		a, b := pos[part[i]], pos[part[j]]
		dx, dy := a.X-b.X, a.Y-b.Y
		d2 := dx*dx + dy*dy
		if d2 < 1e-4 {
			// Two nodes on one spot: nudge them apart along a fixed direction.
			dx, dy, d2 = float64(j-i), 1, float64((j-i)*(j-i)+1)
		}
		// Larger boxes push harder, so long labels get room, and hubs push each
		// other harder, so that each keeps room for its own leaves (as in
		// ForceAtlas2).
		size := (nodes[part[i]].W + nodes[part[j]].W) / 2
		f := k * math.Max(k, size) * degree[i] * degree[j] / d2
		disp[i].X += dx * f
		disp[i].Y += dy * f
		disp[j].X -= dx * f
		disp[j].Y -= dy * f
	}
	for it := 0; it < iterations; it++ {
		for i := range disp {
			disp[i] = Point{}
		}
		if m <= exactRepulsion {
			for i := 0; i < m; i++ {
				for j := i + 1; j < m; j++ {
					repel(i, j)
				}
			}
		} else {
			gridRepulsion(part, pos, cutoffSteps*k, repel)
		}
		for i, v := range part {
			for _, w := range adj[v] {
				if w < v {
					continue
				}
				j := index[w]
				dx, dy := pos[v].X-pos[w].X, pos[v].Y-pos[w].Y
				d := math.Hypot(dx, dy)
				f := d / k
				disp[i].X -= dx * f
				disp[i].Y -= dy * f
				disp[j].X += dx * f
				disp[j].Y += dy * f
			}
			// A light pull to the middle keeps leaves from drifting far out.
			disp[i].X -= pos[v].X * 0.02
			disp[i].Y -= pos[v].Y * 0.02
		}
		for i, v := range part {
			d := math.Hypot(disp[i].X, disp[i].Y)
			if d < 1e-9 || v == pinned {
				continue
			}
			step := math.Min(d, temp)
			pos[v].X += disp[i].X / d * step
			pos[v].Y += disp[i].Y / d * step
		}
		temp = math.Max(temp*0.985, 1)
	}
}

// A part of up to exactRepulsion nodes is laid out with every pair pushing apart;
// a larger one (a chart of up to a thousand records) with only the pairs within
// cutoffSteps edge lengths of each other, found in a grid of cells that size: the
// grid variant of Fruchterman and Reingold, linear in the nodes instead of quadratic.
const (
	exactRepulsion = 300
	cutoffSteps    = 2
)

// gridRepulsion calls repel(i, j) for every pair i < j of the part's nodes (by their
// index in part) within cutoff of each other, in a fixed order.
func gridRepulsion(part []int, pos []Point, cutoff float64, repel func(i, j int)) {
	type cell struct{ x, y int }
	at := func(p Point) cell { return cell{int(math.Floor(p.X / cutoff)), int(math.Floor(p.Y / cutoff))} }
	grid := make(map[cell][]int, len(part))
	for i, v := range part {
		c := at(pos[v])
		grid[c] = append(grid[c], i)
	}
	c2 := cutoff * cutoff
	for i, v := range part {
		c := at(pos[v])
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				for _, j := range grid[cell{c.x + dx, c.y + dy}] {
					if j <= i {
						continue
					}
					d := Point{pos[v].X - pos[part[j]].X, pos[v].Y - pos[part[j]].Y}
					if d.X*d.X+d.Y*d.Y <= c2 {
						repel(i, j)
					}
				}
			}
		}
	}
}

// separate moves apart the boxes of a part that overlap (with gap between them),
// along the axis where they overlap least.
func separate(part []int, nodes []Node, pos []Point, gap float64) {
	for pass := 0; pass < 100; pass++ {
		moved := false
		for a := 0; a < len(part); a++ {
			i := part[a]
			for b := a + 1; b < len(part); b++ {
				j := part[b]
				dx, dy := pos[j].X-pos[i].X, pos[j].Y-pos[i].Y
				ox := (nodes[i].W+nodes[j].W)/2 + gap - math.Abs(dx)
				oy := (nodes[i].H+nodes[j].H)/2 + gap - math.Abs(dy)
				if ox <= 0 || oy <= 0 {
					continue
				}
				moved = true
				if ox < oy {
					s := sign(dx, i, j) * (ox/2 + 0.5)
					pos[i].X -= s
					pos[j].X += s
				} else {
					s := sign(dy, i, j) * (oy/2 + 0.5)
					pos[i].Y -= s
					pos[j].Y += s
				}
			}
		}
		if !moved {
			return
		}
	}
}

// sign is the direction to push j away from i: that of d, or a fixed one when they
// are level.
func sign(d float64, i, j int) float64 {
	switch {
	case d > 0:
		return 1
	case d < 0:
		return -1
	case i < j:
		return 1
	}
	return -1
}

// pack moves each part so that the parts sit in rows, the first part at the top left,
// none overlapping, the rows no wider than about a wide screen's proportions allow.
func pack(parts [][]int, nodes []Node, pos []Point, opt Options) {
	type box struct{ minX, minY, maxX, maxY float64 }
	boxes := make([]box, len(parts))
	var area, widest float64
	for p, part := range parts {
		b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, v := range part {
			b.minX = math.Min(b.minX, pos[v].X-nodes[v].W/2)
			b.minY = math.Min(b.minY, pos[v].Y-nodes[v].H/2)
			b.maxX = math.Max(b.maxX, pos[v].X+nodes[v].W/2)
			b.maxY = math.Max(b.maxY, pos[v].Y+nodes[v].H/2)
		}
		boxes[p] = b
		w, h := b.maxX-b.minX+2*opt.Gap, b.maxY-b.minY+2*opt.Gap
		area += w * h
		widest = math.Max(widest, w)
	}
	rowWidth := math.Max(widest, math.Sqrt(area*1.8))
	x, y, rowHeight := opt.Margin, opt.Margin, 0.0
	for p, part := range parts {
		b := boxes[p]
		w, h := b.maxX-b.minX, b.maxY-b.minY
		if x > opt.Margin && x+w > opt.Margin+rowWidth {
			x, y, rowHeight = opt.Margin, y+rowHeight+2*opt.Gap, 0
		}
		for _, v := range part {
			pos[v].X += x - b.minX
			pos[v].Y += y - b.minY
		}
		x += w + 2*opt.Gap
		rowHeight = math.Max(rowHeight, h)
	}
}

// route draws each edge: parallel edges between the same two nodes bend apart; ends
// stop at the node boxes; labels go where they cover no node and no earlier label,
// trying the middle first.
func route(nodes []Node, edges []Edge, pos []Point, opt Options) []Path {
	n := len(nodes)
	out := make([]Path, len(edges))
	// Number the edges of each pair of nodes, to bend them apart.
	groups := map[[2]int][]int{}
	var keys [][2]int
	for i, e := range edges {
		if e.From < 0 || e.To < 0 || e.From >= n || e.To >= n || e.From == e.To {
			continue
		}
		k := [2]int{min(e.From, e.To), max(e.From, e.To)}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	type rect struct{ x0, y0, x1, y1 float64 }
	var taken []rect
	for i, p := range pos {
		taken = append(taken, rect{p.X - nodes[i].W/2 - 2, p.Y - nodes[i].H/2 - 2, p.X + nodes[i].W/2 + 2, p.Y + nodes[i].H/2 + 2})
	}
	overlaps := func(r rect) int {
		c := 0
		for _, t := range taken {
			if r.x0 < t.x1 && t.x0 < r.x1 && r.y0 < t.y1 && t.y0 < r.y1 {
				c++
			}
		}
		return c
	}
	const bend = 22.0
	for _, k := range keys {
		g := groups[k]
		a, b := pos[k[0]], pos[k[1]]
		dx, dy := b.X-a.X, b.Y-a.Y
		d := math.Hypot(dx, dy)
		if d < 1e-9 {
			d = 1
		}
		nx, ny := -dy/d, dx/d // normal of the segment from the lower to the higher index
		for r, ei := range g {
			e := edges[ei]
			off := (float64(r) - float64(len(g)-1)/2) * bend
			mid := Point{(a.X+b.X)/2 + nx*off, (a.Y+b.Y)/2 + ny*off}
			// The curve passes through mid at t=1/2 when the control point is twice as far out.
			ctrl := Point{(a.X+b.X)/2 + nx*off*2, (a.Y+b.Y)/2 + ny*off*2}
			from, to := pos[e.From], pos[e.To]
			p := Path{
				Start: clip(from, ctrl, nodes[e.From], 2),
				End:   clip(to, ctrl, nodes[e.To], 6),
				Ctrl:  ctrl,
				Label: mid,
			}
			if e.LabelW > 0 {
				best, bestCount := mid, -1
				for _, t := range []float64{0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8} {
					c := bezier(from, ctrl, to, t)
					r := rect{c.X - e.LabelW/2, c.Y - e.LabelH/2, c.X + e.LabelW/2, c.Y + e.LabelH/2}
					cnt := overlaps(r)
					if bestCount < 0 || cnt < bestCount {
						best, bestCount = c, cnt
					}
					if cnt == 0 {
						break
					}
				}
				p.Label = best
				taken = append(taken, rect{best.X - e.LabelW/2, best.Y - e.LabelH/2, best.X + e.LabelW/2, best.Y + e.LabelH/2})
			}
			out[ei] = p
		}
	}
	return out
}

// bezier is the point at t on the quadratic curve a, c, b.
func bezier(a, c, b Point, t float64) Point {
	u := 1 - t
	return Point{u*u*a.X + 2*u*t*c.X + t*t*b.X, u*u*a.Y + 2*u*t*c.Y + t*t*b.Y}
}

// clip returns where the ray from the centre c of box nd towards p leaves the box,
// pushed out by gap.
func clip(c, p Point, nd Node, gap float64) Point {
	dx, dy := p.X-c.X, p.Y-c.Y
	if dx == 0 && dy == 0 {
		return c
	}
	hw, hh := nd.W/2+gap, nd.H/2+gap
	t := math.Inf(1)
	if dx != 0 {
		t = math.Min(t, hw/math.Abs(dx))
	}
	if dy != 0 {
		t = math.Min(t, hh/math.Abs(dy))
	}
	return Point{c.X + dx*t, c.Y + dy*t}
}
