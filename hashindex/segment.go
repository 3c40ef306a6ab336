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

// absorbTable adds the ids [g.hi, hi) to table s, in width bytes an id, in a new array
// of exactly the size needed: it counts the new ids by slot value, copies each existing
// bucket to its new place, then writes the new ids, in ascending order, after the old
// ones of their bucket. cursor is scratch of 65,536 counts.
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
	src, srcWidth := t.ids, g.width
	dst := make([]byte, int(hi-g.lo)*width+1)
	added := uint32(0) // new ids in the buckets before v
	for v := range 1 << 16 {
		oldStart, oldEnd := off[v]-added, off[v+1]
		newStart := oldStart + added
		if width == srcWidth {
			copy(dst[int(newStart)*width:], src[int(oldStart)*width:int(oldEnd)*width])
		} else {
			for i := range oldEnd - oldStart { // widening from 3 bytes to 4
				putID(dst, int(newStart+i), width, loadID(src, int(oldStart+i), srcWidth))
			}
		}
		cursor[v], added = newStart+oldEnd-oldStart, added+cursor[v]
		off[v+1] = oldEnd + added
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

// probeIsCheaper estimates whether looking up the buckets near a query costs less than
// scanning the whole segment. A bucket looked up or a hash found in one costs random
// memory reads, counted as ten hashes scanned in order, as measured at 100,000 and
// 1,000,000 hashes: probing wins up to radius 48 or so, scanning from 56.
func (g *segment) probeIsCheaper(radius int) bool {
	lookups := int64(0)
	for _, k := range subRadii(radius) {
		lookups += int64(len(masksWithin(k)))
	}
	size := int64(g.hi - g.lo)
	found := lookups * size >> 16
	return 10*(lookups+found) < size
}

// probe appends to out every hash of the segment within radius of q. A hash is found
// in every table whose sub-radius its slot meets, and reported from the first of those
// only (see foundBefore).
func (g *segment) probe(st *hashStore, q *words, radius int, out []Match) []Match {
	rad := subRadii(radius)
	sc := scratchPool.Get().(*probeScratch)
	sc.out = out
	for s := range slots {
		if rad[s] >= 0 {
			g.probeTable(st, q, radius, s, &rad, sc)
		}
	}
	out = sc.out
	sc.out = nil
	scratchPool.Put(sc)
	return out
}

// probeScratch is a query's working memory, reused across queries.
type probeScratch struct {
	ranges  [probeBlock][2]uint32
	ids     []uint32
	out     []Match
	touched uint64 // sums what the touching loops read, so that they are not optimised away
}

const (
	probeBlock  = 64  // buckets whose offsets are read before their ids are copied
	verifyBlock = 256 // ids gathered before their hashes are checked
)

var scratchPool = sync.Pool{New: func() any { return &probeScratch{ids: make([]uint32, 0, 2*verifyBlock)} }}

// probeTable appends to sc.out every hash within radius of q that table s finds: every
// hash whose slot s is within rad[s] bits of the query's.
//
// Nearly every read is a cache miss (a bucket's offsets, its ids, each id's hash), and
// memory is far slower to answer than to take requests, so the work is split into loops
// that do little but read, letting the processor keep many reads in flight: read the
// offsets of up to 64 buckets, touching the first id of each; copy their ids; and for
// each 256 ids, touch their hashes, then check them, now in cache. Measured on a
// 2-core virtual machine at 1M hashes, radius 31, this takes half the time of one loop
// that does everything in turn; checking 4,096 ids at a time instead of 256 took 1.5
// times as long at 10M hashes (their pages no longer stay in the TLB between the loops).
func (g *segment) probeTable(st *hashStore, q *words, radius, s int, rad *[slots]int, sc *probeScratch) {
	width := g.width
	mask := idMask(width)
	off := g.tables[s].offsets[:1<<16+1]
	ids := g.tables[s].ids
	qv := q.slot(s)
	ms := masksWithin(rad[s])
	sc.ids = sc.ids[:0]
	for len(ms) > 0 {
		block := ms[:min(len(ms), probeBlock)]
		ms = ms[len(block):]
		touched := uint64(0)
		for i, m := range block {
			v := qv ^ m
			lo, hi := off[v], off[int(v)+1]
			sc.ranges[i] = [2]uint32{lo, hi}
			if lo < hi {
				touched += uint64(ids[int(lo)*width])
			}
		}
		sc.touched += touched
		for _, r := range sc.ranges[:len(block)] {
			for p := int(r[0]) * width; p < int(r[1])*width; p += width {
				sc.ids = append(sc.ids, binary.LittleEndian.Uint32(ids[p:])&mask)
			}
			if len(sc.ids) >= verifyBlock {
				g.verify(st, q, radius, s, rad, sc)
			}
		}
	}
	g.verify(st, q, radius, s, rad, sc)
}

// verify checks the hashes of the ids in sc.ids, found in table s, and empties it.
func (g *segment) verify(st *hashStore, q *words, radius, s int, rad *[slots]int, sc *probeScratch) {
	chunks := st.chunks
	touched := uint64(0)
	for _, id := range sc.ids {
		touched += chunks[id>>chunkBits][id&(chunkSize-1)][0]
	}
	sc.touched += touched
	for _, id := range sc.ids {
		h := &chunks[id>>chunkBits][id&(chunkSize-1)]
		d := bits.OnesCount64(q[0]^h[0]) + bits.OnesCount64(q[1]^h[1]) +
			bits.OnesCount64(q[2]^h[2]) + bits.OnesCount64(q[3]^h[3])
		if d <= radius {
			x := words{q[0] ^ h[0], q[1] ^ h[1], q[2] ^ h[2], q[3] ^ h[3]}
			if !foundBefore(&x, s, rad) {
				sc.out = append(sc.out, Match{ID: id, Distance: d})
			}
		}
	}
	sc.ids = sc.ids[:0]
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
