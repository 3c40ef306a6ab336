package hashindex

import (
	"encoding/binary"
	"math/bits"
	"runtime"
	"sync"
)

const slots = 16 // tables, one per 16-bit slot of the hash

// segment indexes the contiguous ids [lo, hi) in 16 tables, one per slot.
type segment struct {
	lo, hi uint32
	width  int // bytes an id takes in the tables: 3, or 4 once an id reaches the narrow limit
	tables [slots]table
}

// table lists a segment's ids by the value of one slot, in compressed sparse row form:
// the ids whose slot value is v are entries offsets[v] to offsets[v+1]-1 of ids, in
// ascending order. Entry i is the little-endian integer in ids[i*width : (i+1)*width];
// ids has one spare byte at the end so that a 4-byte load of the last 3-byte entry stays
// in bounds.
type table struct {
	offsets []uint32 // 65,537 once the segment holds anything
	ids     []byte
}

// reset empties the segment, which will next hold ids from lo. It keeps the offsets'
// memory and frees the entries'.
func (g *segment) reset(lo uint32) {
	g.lo, g.hi, g.width = lo, lo, 0
	for s := range g.tables {
		clear(g.tables[s].offsets)
		g.tables[s].ids = nil
	}
}

// absorb adds the ids [g.hi, hi) to the segment, the tables on all CPUs at once.
func (g *segment) absorb(st *hashStore, hi uint32, narrowLimit uint64) {
	width := 3
	if g.width == 4 || uint64(hi)-1 >= narrowLimit {
		width = 4
	}
	workers := min(runtime.GOMAXPROCS(0), slots)
	var next sync.Mutex
	s := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			cursor := make([]uint32, 1<<16)
			for {
				next.Lock()
				t := s
				s++
				next.Unlock()
				if t >= slots {
					return
				}
				g.absorbTable(t, st, hi, width, cursor)
			}
		})
	}
	wg.Wait()
	g.hi, g.width = hi, width
}

// absorbTable adds the ids [g.hi, hi) to table s, in width bytes an id. It counts the
// new ids by slot value, moves each existing bucket to its new place from the last
// bucket to the first (a bucket only ever moves towards the end, so nothing is
// overwritten before it is read), then writes the new ids, in ascending order, after the
// old ones of their bucket. The entries are moved in place when the table's spare
// capacity suffices and the width is unchanged; otherwise into a new array with an
// eighth to spare (none if the table was empty, as when a whole index is built at once).
// cursor is scratch of 65,536 counts.
func (g *segment) absorbTable(s int, st *hashStore, hi uint32, width int, cursor []uint32) {
	t := &g.tables[s]
	if t.offsets == nil {
		t.offsets = make([]uint32, 1<<16+1)
	}
	off := t.offsets[:1<<16+1]
	clear(cursor)
	for id := g.hi; id < hi; id++ {
		cursor[st.at(id).slot(s)]++
	}
	old := int(g.hi - g.lo)
	total := int(hi - g.lo)
	need := total*width + 1
	src, srcWidth := t.ids, g.width
	dst := src
	if srcWidth != width || cap(src) < need {
		spare := 0
		if old > 0 {
			spare = total / 8 * width
		}
		dst = make([]byte, need, need+spare)
	} else {
		dst = src[:need]
	}
	added := uint32(hi - g.hi) // new ids in buckets 0..v
	oldEnd := off[1<<16]
	for v := 1<<16 - 1; v >= 0; v-- {
		oldStart := off[v]
		newEnd := oldEnd + added
		added -= cursor[v]
		newStart := oldStart + added
		if n := oldEnd - oldStart; n > 0 {
			if width == srcWidth {
				copy(dst[int(newStart)*width:], src[int(oldStart)*width:int(oldEnd)*width])
			} else {
				for i := range n { // widening from 3 bytes to 4: dst is a new array
					putID(dst, int(newStart+i), width, loadID(src, int(oldStart+i), srcWidth))
				}
			}
		}
		cursor[v] = newStart + (oldEnd - oldStart)
		off[v+1] = newEnd
		oldEnd = oldStart
	}
	for id := g.hi; id < hi; id++ {
		v := st.at(id).slot(s)
		putID(dst, int(cursor[v]), width, id)
		cursor[v]++
	}
	t.ids = dst
}

func putID(b []byte, i, width int, id uint32) {
	if width == 3 {
		b = b[3*i : 3*i+3]
		b[0], b[1], b[2] = byte(id), byte(id>>8), byte(id>>16)
		return
	}
	binary.LittleEndian.PutUint32(b[4*i:], id)
}

func loadID(b []byte, i, width int) uint32 {
	return binary.LittleEndian.Uint32(b[i*width:]) & idMask(width)
}

func idMask(width int) uint32 { return ^uint32(0) >> (32 - 8*width) }

// subRadii are the per-slot radii for a query radius r = 16a + b (see the package
// comment): a for slots 0..b, a-1 for the others; -1 means the slot is not probed.
func subRadii(r int) (rad [slots]int) {
	a, b := r/slots, r%slots
	for s := range rad {
		rad[s] = a - 1
		if s <= b {
			rad[s] = a
		}
	}
	return rad
}

// masks holds every 16-bit value ordered by popcount; masks[:upTo[k]] are those with at
// most k bits set (upTo[k] for k >= 16 is all of them).
var masks, upTo = func() ([]uint16, [17]int) {
	var count [18]int
	for v := range 1 << 16 {
		count[bits.OnesCount16(uint16(v))+1]++
	}
	for k := 1; k < len(count); k++ {
		count[k] += count[k-1]
	}
	var upTo [17]int
	copy(upTo[:], count[1:])
	m := make([]uint16, 1<<16)
	for v := range 1 << 16 {
		k := bits.OnesCount16(uint16(v))
		m[count[k]] = uint16(v)
		count[k]++
	}
	return m, upTo
}()

func masksWithin(k int) []uint16 {
	if k < 0 {
		return nil
	}
	return masks[:upTo[min(k, 16)]]
}

// probeIsCheaper estimates whether looking up the buckets near a query touches less
// than scanning the segment: each hash found costs a random memory access, counted as
// four hashes scanned in order.
func (g *segment) probeIsCheaper(radius int) bool {
	rad := subRadii(radius)
	lookups := 0
	for _, k := range rad {
		lookups += len(masksWithin(k))
	}
	size := int64(g.hi - g.lo)
	found := int64(lookups) * size >> 16
	return int64(lookups)+4*found < size
}

// probe appends to out every hash of the segment within radius of q.
func (g *segment) probe(st *hashStore, q *words, radius int, out []Match) []Match {
	rad := subRadii(radius)
	width := g.width
	mask := idMask(width)
	for s := range slots {
		if rad[s] < 0 {
			continue
		}
		off := g.tables[s].offsets[:1<<16+1]
		ids := g.tables[s].ids
		qv := q.slot(s)
		for _, m := range masksWithin(rad[s]) {
			v := qv ^ m
			lo, hi := int(off[v]), int(off[int(v)+1])
			for p := lo * width; p < hi*width; p += width {
				id := binary.LittleEndian.Uint32(ids[p:]) & mask
				h := &st.chunks[id>>chunkBits][id&(chunkSize-1)]
				x := words{q[0] ^ h[0], q[1] ^ h[1], q[2] ^ h[2], q[3] ^ h[3]}
				d := bits.OnesCount64(x[0]) + bits.OnesCount64(x[1]) + bits.OnesCount64(x[2]) + bits.OnesCount64(x[3])
				if d <= radius && !foundBefore(&x, s, &rad) {
					out = append(out, Match{ID: id, Distance: d})
				}
			}
		}
	}
	return out
}

// foundBefore reports whether a hash that differs from the query by x lies within the
// sub-radius of a slot before s, and so was reported from that slot's table.
func foundBefore(x *words, s int, rad *[slots]int) bool {
	for t := range s {
		if bits.OnesCount16(x.slot(t)) <= rad[t] {
			return true
		}
	}
	return false
}
