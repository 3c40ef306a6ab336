// Package hashindex finds every stored PDQ hash within a Hamming radius of a query,
// exactly, by multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming
// Space with Multi-Index Hashing", CVPR 2012).
//
// A 256-bit hash is cut into 16 slots of 16 bits: slot s is bytes 2s and 2s+1 of the
// pdq.Hash (byte 2s the low half). If two hashes differ in at most r = 16a + b bits
// (0 <= b < 16), then either one of slots 0..b differs in at most a bits, or one of
// slots b+1..15 differs in at most a-1 bits: otherwise the total would be at least
// (b+1)(a+1) + (15-b)a = r+1. So a query looks up, in each of 16 tables keyed by one
// slot, every slot value within that slot's sub-radius of the query's, and checks the
// full distance of each hash found. A hash near the query is found in several tables;
// it is reported only from the first table whose sub-radius it meets, so no set of seen
// ids is needed. The result is exactly the brute-force answer for every radius from 0 to
// 256; the work grows with the sub-radius a = radius/16 (17 lookups a table at radius 31,
// 697 at radius 63), and where probing would touch more than a linear scan a query scans.
//
// # Layout
//
// Hashes live in chunks of 65,536 (2 MiB each), never reallocated, so a hash's id is its
// position in insertion order. Each table is in compressed sparse row form: 65,537
// uint32 offsets, and the ids sorted by slot value (ascending id within a value), each id
// in 3 bytes while every id is below 2^24 and in 4 bytes beyond. Ten million hashes take
// 320 MB of hashes and 480 MB of tables: 80.4 bytes a hash of heap, measured.
//
// Hashes added one at a time go first to a pending run that queries scan linearly. When
// it passes max(2,048, delta/8) hashes it is merged into a delta segment (the same
// tables over the ids added since the last merge into the base); when the delta and
// pending together pass max(65,536, base/8) they are merged into the base. A merge
// rebuilds each table of the segment in a new array (about half a second for the base at
// ten million hashes); until the next garbage collection the old arrays stay on the heap,
// so adding one at a time can briefly need up to three times the memory that adding all
// at once (AddAll, ReadIndex) needs. Each merge grows its segment by at least an eighth,
// so an id is copied a bounded number of times (about 18 in each table) and Add is
// amortised O(1); a query scans at most max(8,192, Len/64) pending hashes.
package hashindex

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"caseroom/pdq"
)

// MaxLen is the most hashes an Index holds: ids are uint32.
const MaxLen = 1<<32 - 1

// MaxRadius is the largest meaningful radius: two PDQ hashes differ in at most 256 bits.
// Query treats a larger radius as MaxRadius.
const MaxRadius = 256

// Match is a stored hash within the radius of a query: its id and its Hamming distance.
type Match struct {
	ID       uint32
	Distance int
}

// Index is a set of PDQ hashes, each known by a dense id (0, 1, 2, ... in the order
// added), searchable by Hamming radius. Its methods are safe for concurrent use: queries
// share a read lock and run in parallel; Add and AddAll take the write lock, so a query
// waits while an add merges.
type Index struct {
	mu    sync.RWMutex
	st    hashStore
	base  segment // ids [0, base.hi)
	delta segment // ids [base.hi, delta.hi); pending ids [delta.hi, st.n) are only in st

	// Tuning, fixed by New; tests lower the thresholds to reach every code path with
	// few hashes.
	minPending  int    // pending hashes tolerated before a merge into the delta
	minDelta    int    // delta and pending hashes tolerated before a merge into the base
	narrowLimit uint64 // a segment whose ids are all below this stores them in 3 bytes
	alwaysProbe bool   // never fall back to a linear scan of a segment
}

// New returns an empty Index.
func New() *Index {
	return &Index{minPending: 2048, minDelta: 1 << 16, narrowLimit: 1 << 24}
}

// Len is the number of hashes in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.st.n
}

// Hash returns the hash with the given id. It panics if id >= Len(), as indexing a slice
// out of range does: ids come from Add, never from outside input.
func (x *Index) Hash(id uint32) pdq.Hash {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if int64(id) >= int64(x.st.n) {
		panic("hashindex: id out of range")
	}
	return x.st.at(id).hash()
}

// Add stores h and returns its id: Len() before the call. It panics if the index already
// holds MaxLen hashes.
func (x *Index) Add(h pdq.Hash) uint32 {
	x.mu.Lock()
	defer x.mu.Unlock()
	id := x.st.add(wordsOf(&h))
	x.settle()
	return id
}

// AddAll stores the hashes in order and returns the id of the first; the others follow
// it. Adding many at once builds the tables once, at their exact size. It panics if the
// index would hold more than MaxLen hashes.
func (x *Index) AddAll(hs []pdq.Hash) uint32 {
	x.mu.Lock()
	defer x.mu.Unlock()
	first := uint32(x.st.n)
	x.st.addAll(hs, len(hs))
	x.settle()
	return first
}

// settle merges pending hashes into the delta, or everything above the base into the
// base, once they pass their thresholds (see the package comment).
func (x *Index) settle() {
	n := uint64(x.st.n)
	nb, nd := uint64(x.base.hi), uint64(x.delta.hi-x.base.hi)
	pending := n - uint64(x.delta.hi)
	if pending <= max(uint64(x.minPending), nd/8) {
		return
	}
	if n-nb > max(uint64(x.minDelta), nb/8) {
		x.base.absorb(&x.st, uint32(n), x.narrowLimit)
		x.delta.reset(uint32(n))
	} else {
		x.delta.absorb(&x.st, uint32(n), x.narrowLimit)
	}
}

// Query returns every stored hash within radius bits of h (distance <= radius), sorted
// by distance and then id. A negative radius matches nothing.
func (x *Index) Query(h pdq.Hash, radius int) []Match {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.query(&h, radius)
}

// QueryBatch runs Query for each hash on up to workers goroutines (all CPUs if workers
// <= 0) and returns the results in the order of hs. All queries see the same state of
// the index: adds wait until the batch is done.
func (x *Index) QueryBatch(hs []pdq.Hash, radius int, workers int) [][]Match {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([][]Match, len(hs))
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const step = 16 // queries a worker takes at a time
	workers = min(workers, (len(hs)+step-1)/step)
	if workers <= 1 {
		for i := range hs {
			out[i] = x.query(&hs[i], radius)
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(step)) - step
				if lo >= len(hs) {
					return
				}
				for i := lo; i < min(lo+step, len(hs)); i++ {
					out[i] = x.query(&hs[i], radius)
				}
			}
		})
	}
	wg.Wait()
	return out
}

// query is Query under the caller's read lock.
func (x *Index) query(h *pdq.Hash, radius int) []Match {
	if radius < 0 {
		return nil
	}
	radius = min(radius, MaxRadius)
	q := wordsOf(h)
	var out []Match
	for _, g := range []*segment{&x.base, &x.delta} {
		if g.hi == g.lo {
			continue
		}
		if x.alwaysProbe || g.probeIsCheaper(radius) {
			out = g.probe(&x.st, &q, radius, out)
		} else {
			out = x.st.scan(&q, radius, g.lo, g.hi, out)
		}
	}
	out = x.st.scan(&q, radius, x.delta.hi, uint32(x.st.n), out)
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// words is a hash as four little-endian 64-bit words: word i is bytes 8i..8i+7 of the
// pdq.Hash, so slot s (bytes 2s, 2s+1) is bits 16(s%4)..16(s%4)+15 of word s/4.
type words [4]uint64

func wordsOf(h *pdq.Hash) words {
	var w words
	for i := range w {
		b := h[8*i : 8*i+8]
		w[i] = uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
	}
	return w
}

func (w *words) hash() pdq.Hash {
	var h pdq.Hash
	for i, v := range w {
		for j := range 8 {
			h[8*i+j] = byte(v >> (8 * j))
		}
	}
	return h
}

// slot is the 16-bit value of slot s.
func (w *words) slot(s int) uint16 { return uint16(w[s>>2] >> (16 * (s & 3))) }

// hashStore holds the hashes in chunks that never move, so adding never copies the
// hashes already stored.
type hashStore struct {
	chunks [][]words
	n      int
}

const (
	chunkBits = 16
	chunkSize = 1 << chunkBits
)

func (st *hashStore) at(id uint32) *words {
	return &st.chunks[id>>chunkBits][id&(chunkSize-1)]
}

func (st *hashStore) add(w words) uint32 {
	if st.n == MaxLen {
		panic("hashindex: the index is full (MaxLen hashes)")
	}
	st.grow(1)
	c := &st.chunks[len(st.chunks)-1]
	*c = append(*c, w)
	st.n++
	return uint32(st.n - 1)
}

// addAll appends hs; more says how many are still to come in all (at least len(hs)), so a
// new chunk is allocated once at the size it will reach, but never larger than the
// hashes actually given plus one chunk.
func (st *hashStore) addAll(hs []pdq.Hash, more int) {
	if uint64(st.n)+uint64(len(hs)) > MaxLen {
		panic("hashindex: the index would hold more than MaxLen hashes")
	}
	for i := range hs {
		st.grow(more - i)
		c := &st.chunks[len(st.chunks)-1]
		*c = append(*c, wordsOf(&hs[i]))
	}
	st.n += len(hs)
}

// grow makes room in the last chunk for one more hash, starting a chunk with room for
// min(chunkSize, more) when the last is full.
func (st *hashStore) grow(more int) {
	if k := len(st.chunks); k > 0 && len(st.chunks[k-1]) < chunkSize {
		return
	}
	st.chunks = append(st.chunks, make([]words, 0, min(chunkSize, max(more, 1))))
}

// scan appends to out every hash with id in [lo, hi) within radius of q.
func (st *hashStore) scan(q *words, radius int, lo, hi uint32, out []Match) []Match {
	q0, q1, q2, q3 := q[0], q[1], q[2], q[3]
	for id := uint64(lo); id < uint64(hi); {
		c := st.chunks[id>>chunkBits]
		start := int(id & (chunkSize - 1))
		c = c[start:min(len(c), start+int(uint64(hi)-id))]
		for j := range c {
			h := &c[j]
			d := bits.OnesCount64(q0^h[0]) + bits.OnesCount64(q1^h[1]) +
				bits.OnesCount64(q2^h[2]) + bits.OnesCount64(q3^h[3])
			if d <= radius {
				out = append(out, Match{ID: uint32(id) + uint32(j), Distance: d})
			}
		}
		id += uint64(len(c))
	}
	return out
}
