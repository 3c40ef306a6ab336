package hashindex

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"caseroom/pdq"
)

// bruteForce is the answer Query must give: every hash within radius, by distance then id.
func bruteForce(hs []pdq.Hash, q pdq.Hash, radius int) []Match {
	var out []Match
	for i := range hs {
		if d := pdq.Distance(&hs[i], &q); d <= radius {
			out = append(out, Match{ID: uint32(i), Distance: d})
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func randomHash(rng *rand.Rand) pdq.Hash {
	var h pdq.Hash
	for i := 0; i < 32; i += 8 {
		v := rng.Uint64()
		for j := range 8 {
			h[i+j] = byte(v >> (8 * j))
		}
	}
	return h
}

// nearCopy flips d distinct bits of h, chosen at random.
func nearCopy(rng *rand.Rand, h pdq.Hash, d int) pdq.Hash {
	for _, k := range rng.Perm(256)[:min(d, 256)] {
		h[k/8] ^= 1 << (k % 8)
	}
	return h
}

// spreadCopy flips d distinct bits of h spread as evenly as they can be over the 16
// slots (d/16 or d/16+1 in each, the extra ones in random slots): the copies that sit
// exactly on the pigeonhole bound, the hardest case for multi-index hashing.
func spreadCopy(rng *rand.Rand, h pdq.Hash, d int) pdq.Hash {
	d = min(d, 256)
	extra := rng.Perm(16)[:d%16]
	for s := range 16 {
		n := d / 16
		if slices.Contains(extra, s) {
			n++
		}
		for _, b := range rng.Perm(16)[:n] {
			k := 16*s + b // bit b of slot s: bytes 2s, 2s+1
			h[k/8] ^= 1 << (k % 8)
		}
	}
	return h
}

// checkTables verifies a segment's layout: offsets run from 0 to the size, each bucket
// holds the ids with that slot value in ascending order, and every id of the segment
// is in every table once.
func checkTables(t interface {
	Helper()
	Fatalf(string, ...any)
}, x *Index, g *segment) {
	t.Helper()
	size := int(g.hi - g.lo)
	if size == 0 {
		return
	}
	for s := range slots {
		tb := &g.tables[s]
		if got := int(tb.offsets[1<<16]); got != size || tb.offsets[0] != 0 {
			t.Fatalf("table %d: offsets run from %d to %d, want 0 to %d", s, tb.offsets[0], got, size)
		}
		seen := make([]bool, size)
		for v := range 1 << 16 {
			prev := int64(-1)
			for i := tb.offsets[v]; i < tb.offsets[v+1]; i++ {
				id := loadID(tb.ids, int(i), g.width)
				if id < g.lo || id >= g.hi || seen[id-g.lo] || int64(id) <= prev {
					t.Fatalf("table %d bucket %#x: id %d out of place (segment [%d,%d))", s, v, id, g.lo, g.hi)
				}
				if sv := x.st.at(id).slot(s); int(sv) != v {
					t.Fatalf("table %d: id %d in bucket %#x, its slot value is %#x", s, id, v, sv)
				}
				seen[id-g.lo], prev = true, int64(id)
			}
		}
	}
	if g.width == 3 && uint64(g.hi)-1 >= x.narrowLimit {
		t.Fatalf("segment [%d,%d) keeps 3-byte ids past the narrow limit %d", g.lo, g.hi, x.narrowLimit)
	}
}

// TestQueryIsBruteForce adds random hashes and near-copies one by one and in batches,
// with thresholds low enough that the pending run, the delta and the base all fill and
// merge, and the ids widen from 3 bytes to 4; every query in between must give exactly
// the brute-force answer.
func TestQueryIsBruteForce(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		x := New()
		x.minPending = rapid.IntRange(0, 40).Draw(rt, "minPending")
		x.minDelta = rapid.IntRange(0, 300).Draw(rt, "minDelta")
		x.narrowLimit = uint64(rapid.IntRange(1, 1<<24).Draw(rt, "narrowLimit"))
		x.alwaysProbe = rapid.Bool().Draw(rt, "alwaysProbe")
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(rt, "seed"), 1))
		var stored []pdq.Hash
		// near picks a hash close to a stored one (or a fresh one if none is stored yet).
		near := func(label string) pdq.Hash {
			if len(stored) == 0 || rapid.IntRange(0, 3).Draw(rt, label+" kind") == 0 {
				return randomHash(rng)
			}
			h := stored[rng.IntN(len(stored))]
			d := rapid.IntRange(0, 70).Draw(rt, label+" distance")
			if rapid.Bool().Draw(rt, label+" spread") {
				return spreadCopy(rng, h, d)
			}
			return nearCopy(rng, h, d)
		}
		for step := range rapid.IntRange(1, 40).Draw(rt, "steps") {
			switch rapid.IntRange(0, 2).Draw(rt, fmt.Sprint("action ", step)) {
			case 0:
				h := near("add")
				if id := x.Add(h); int(id) != len(stored) {
					rt.Fatalf("Add returned id %d, want %d", id, len(stored))
				}
				stored = append(stored, h)
			case 1:
				batch := make([]pdq.Hash, rapid.IntRange(0, 120).Draw(rt, "batch"))
				for i := range batch {
					batch[i] = near("batch")
				}
				if first := x.AddAll(batch); int(first) != len(stored) {
					rt.Fatalf("AddAll returned id %d, want %d", first, len(stored))
				}
				stored = append(stored, batch...)
			case 2:
				q := near("query")
				r := rapid.IntRange(-1, 63).Draw(rt, "radius")
				if rapid.IntRange(0, 9).Draw(rt, "wide") == 0 {
					r = rapid.IntRange(64, 300).Draw(rt, "wide radius")
				}
				want := bruteForce(stored, q, r)
				if diff := gocmp.Diff(want, x.Query(q, r)); diff != "" {
					rt.Fatalf("Query(radius %d) differs from brute force (-want +got):\n%s", r, diff)
				}
			}
			checkTables(rt, x, &x.base)
			checkTables(rt, x, &x.delta)
			if x.Len() != len(stored) {
				rt.Fatalf("Len() = %d, want %d", x.Len(), len(stored))
			}
		}
		for i, h := range stored {
			if got := x.Hash(uint32(i)); got != h {
				rt.Fatalf("Hash(%d) = %s, want %s", i, got, h)
			}
		}
	})
}

// TestEveryRadiusAtThePigeonholeBound stores copies of one hash at every distance from 0
// to 80, with the flipped bits spread evenly over the slots, and queries at every radius
// from 0 to 80 by probing: each copy must be found exactly when its distance is within
// the radius.
func TestEveryRadiusAtThePigeonholeBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	q := randomHash(rng)
	var hs []pdq.Hash
	for d := 0; d <= 80; d++ {
		for range 4 {
			hs = append(hs, spreadCopy(rng, q, d))
		}
	}
	for range 2000 {
		hs = append(hs, randomHash(rng))
	}
	x := New()
	x.alwaysProbe, x.minPending, x.minDelta = true, 0, 0
	x.AddAll(hs)
	if x.base.hi != uint32(len(hs)) {
		t.Fatalf("AddAll of %d hashes left %d outside the base", len(hs), len(hs)-int(x.base.hi))
	}
	for r := 0; r <= 80; r++ {
		if diff := gocmp.Diff(bruteForce(hs, q, r), x.Query(q, r)); diff != "" {
			t.Fatalf("radius %d (-want +got):\n%s", r, diff)
		}
	}
}

func TestQueryBatchEqualsQuery(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var hs, qs []pdq.Hash
	for range 5000 {
		hs = append(hs, randomHash(rng))
	}
	for i := range 300 {
		qs = append(qs, nearCopy(rng, hs[i*7], i%40))
	}
	x := New()
	x.AddAll(hs)
	for _, workers := range []int{0, 1, 3, 1000} {
		got := x.QueryBatch(qs, 31, workers)
		for i, q := range qs {
			if diff := gocmp.Diff(bruteForce(hs, q, 31), got[i]); diff != "" {
				t.Fatalf("workers %d, query %d (-want +got):\n%s", workers, i, diff)
			}
		}
	}
	if got := x.QueryBatch(nil, 31, 0); len(got) != 0 {
		t.Fatalf("QueryBatch(nil) = %v", got)
	}
}

// TestQueriesDuringAdds runs queries while hashes are added and merged (run with -race):
// a query must find every match among the hashes added before it started, and report
// nothing false.
func TestQueriesDuringAdds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	all := make([]pdq.Hash, 20000)
	for i := range all {
		if i > 0 && i%3 == 0 {
			all[i] = nearCopy(rng, all[rng.IntN(i)], rng.IntN(40))
		} else {
			all[i] = randomHash(rng)
		}
	}
	x := New()
	x.minPending, x.minDelta = 64, 1024
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 5))
			for {
				select {
				case <-done:
					return
				default:
				}
				before := x.Len()
				if before == 0 {
					continue
				}
				q := nearCopy(rng, all[rng.IntN(before)], rng.IntN(30))
				got := x.Query(q, 31)
				after := x.Len()
				for _, m := range got {
					if int(m.ID) >= after || pdq.Distance(&all[m.ID], &q) != m.Distance || m.Distance > 31 {
						t.Errorf("false match %+v", m)
						return
					}
				}
				for _, m := range bruteForce(all[:before], q, 31) {
					if !slices.Contains(got, m) {
						t.Errorf("match %+v among the first %d hashes not found", m, before)
						return
					}
				}
			}
		})
	}
	for i := 0; i < len(all); {
		if i%2 == 0 {
			x.Add(all[i])
			i++
		} else {
			k := min(len(all)-i, rng.IntN(300))
			x.AddAll(all[i : i+k])
			i += k
		}
	}
	close(done)
	wg.Wait()
}

func TestSubRadiiMeetThePigeonholeBound(t *testing.T) {
	// The smallest total distance that escapes every probe must exceed the radius.
	for r := 0; r <= 256; r++ {
		rad := subRadii(r)
		escape := 0
		for _, k := range rad {
			escape += min(k+1, 16)
		}
		if escape <= r && escape < 256 {
			t.Errorf("radius %d: sub-radii %v miss a hash at distance %d", r, rad, escape)
		}
	}
	if n := len(masksWithin(1)); n != 17 {
		t.Errorf("masks within 1 bit: %d, want 17", n)
	}
	if n := len(masksWithin(3)); n != 697 {
		t.Errorf("masks within 3 bits: %d, want 697", n)
	}
}

func TestNegativeAndHugeRadius(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	x := New()
	hs := []pdq.Hash{randomHash(rng), randomHash(rng)}
	x.AddAll(hs)
	if got := x.Query(hs[0], -1); got != nil {
		t.Errorf("radius -1 matched %v", got)
	}
	if got := x.Query(hs[0], 1000); len(got) != 2 {
		t.Errorf("radius 1000 matched %v, want both hashes", got)
	}
}
