package vpdq

import (
	"slices"
	"sync"

	"caseroom/hashindex"
	"caseroom/pdq"
)

// The python-threatexchange defaults for matching two videos.
const (
	// DefaultDistance is the largest Hamming distance at which two frames match.
	DefaultDistance = 31
	// DefaultQuality is the lowest frame quality that takes part in matching.
	DefaultQuality = 50
	// DefaultQueryThreshold is the percentage of the query's frames that must match.
	DefaultQueryThreshold = 0.0
	// DefaultComparedThreshold is the percentage of the compared video's frames that
	// must match.
	DefaultComparedThreshold = 80.0
)

// Prepare returns the frames that take part in matching, in order: those of quality at
// least minQuality, each hash kept once (its first frame), as python-threatexchange's
// match_VPDQ_hash_brute does (it drops repeated hashes first and then low quality,
// so a hash whose first frame is of low quality is dropped even if a later frame with
// the same hash is not).
func Prepare(frames []Frame, minQuality int) []Frame {
	seen := make(map[pdq.Hash]bool, len(frames))
	out := make([]Frame, 0, len(frames))
	for _, f := range frames {
		if seen[f.Hash] {
			continue
		}
		seen[f.Hash] = true
		if f.Quality >= minQuality {
			out = append(out, f)
		}
	}
	return out
}

// bruteLimit is the largest product of the two lists' lengths that Match compares pair
// by pair; above it the compared list goes into a hash index.
const bruteLimit = 1 << 18

// Match compares two videos' frames with the python-threatexchange rules: each list is
// prepared (Prepare with quality), and a frame is matched when some frame of the other
// list is within distance bits of it. It returns the percentage of the query's prepared
// frames matched in compared and of compared's matched in the query (0 for a list
// with no frame left).
func Match(query, compared []Frame, distance, quality int) (queryPct, comparedPct float64) {
	q, c := Prepare(query, quality), Prepare(compared, quality)
	qm, cm := make([]bool, len(q)), make([]bool, len(c))
	if len(q)*len(c) <= bruteLimit {
		for i := range q {
			for j := range c {
				if pdq.Distance(&q[i].Hash, &c[j].Hash) <= distance {
					qm[i], cm[j] = true, true
				}
			}
		}
	} else {
		idx := hashindex.New()
		idx.AddAll(hashesOf(c))
		for i, m := range idx.QueryBatch(hashesOf(q), distance, 0) {
			for _, hit := range m {
				qm[i], cm[hit.ID] = true, true
			}
		}
	}
	return percent(count(qm), len(q)), percent(count(cm), len(c))
}

// IsMatch tells whether two videos match: the query's percentage is at least
// queryThreshold and the compared video's at least comparedThreshold (the defaults are
// DefaultQueryThreshold and DefaultComparedThreshold).
func IsMatch(queryPct, comparedPct, queryThreshold, comparedThreshold float64) bool {
	return queryPct >= queryThreshold && comparedPct >= comparedThreshold
}

func hashesOf(frames []Frame) []pdq.Hash {
	hs := make([]pdq.Hash, len(frames))
	for i, f := range frames {
		hs[i] = f.Hash
	}
	return hs
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// percent is n*100/total as python computes it (an exact integer product, then one
// rounded division), or 0 when total is 0.
func percent(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(n*100) / float64(total)
}

// FrameIndex holds the prepared frames of many videos in one hash index, so that a
// video can be matched against all of them at once, with the same result as Match
// against each. Each video is known by an id the caller chooses (an exhibit's, say).
// Its methods are safe for concurrent use.
type FrameIndex struct {
	quality int

	mu     sync.RWMutex
	idx    *hashindex.Index
	starts []uint32 // first hash id of each video, ascending
	videos []int64  // the caller's id of each video, in the order added
	sizes  []int    // number of prepared frames of each video
}

// NewFrameIndex returns an empty index that keeps frames of quality at least quality
// (DefaultQuality is the usual value).
func NewFrameIndex(quality int) *FrameIndex {
	return &FrameIndex{quality: quality, idx: hashindex.New()}
}

// Add prepares a video's frames (Prepare with the index's quality) and adds them under
// the given id. Adding the same id twice indexes the video twice.
func (x *FrameIndex) Add(id int64, frames []Frame) {
	p := Prepare(frames, x.quality)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.starts = append(x.starts, uint32(x.idx.Len()))
	x.videos = append(x.videos, id)
	x.sizes = append(x.sizes, len(p))
	if len(p) > 0 {
		x.idx.AddAll(hashesOf(p))
	}
}

// Len returns the number of videos and of frames held.
func (x *FrameIndex) Len() (videos, frames int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.videos), x.idx.Len()
}

// VideoMatch is one indexed video that shares frames with a query: the numbers and
// percentages of the query's prepared frames matched in it and of its frames matched in
// the query, as Match computes them, and the smallest distance between a matched pair.
type VideoMatch struct {
	ID                    int64
	QueryMatched          int
	QueryFrames           int
	ComparedMatched       int
	ComparedFrames        int
	QueryPct, ComparedPct float64
	MinDistance           int
}

// Query matches a video's frames against every indexed video and returns those with at
// least one frame matched, in the order they were added. The query's frames are
// prepared with the index's quality; two frames match within distance bits.
func (x *FrameIndex) Query(frames []Frame, distance int) []VideoMatch {
	q := Prepare(frames, x.quality)
	x.mu.RLock()
	defer x.mu.RUnlock()
	type tally struct {
		query    int
		compared map[uint32]bool
		distance int
	}
	hits := map[int]*tally{}
	for _, f := range q {
		matchedIn := map[int]bool{}
		for _, m := range x.idx.Query(f.Hash, distance) {
			v := x.videoOf(m.ID)
			t := hits[v]
			if t == nil {
				t = &tally{compared: map[uint32]bool{}, distance: m.Distance}
				hits[v] = t
			}
			t.compared[m.ID] = true
			t.distance = min(t.distance, m.Distance)
			if !matchedIn[v] {
				matchedIn[v] = true
				t.query++
			}
		}
	}
	order := make([]int, 0, len(hits))
	for v := range hits {
		order = append(order, v)
	}
	slices.Sort(order)
	out := make([]VideoMatch, 0, len(order))
	for _, v := range order {
		t := hits[v]
		out = append(out, VideoMatch{
			ID:              x.videos[v],
			QueryMatched:    t.query,
			QueryFrames:     len(q),
			ComparedMatched: len(t.compared),
			ComparedFrames:  x.sizes[v],
			QueryPct:        percent(t.query, len(q)),
			ComparedPct:     percent(len(t.compared), x.sizes[v]),
			MinDistance:     t.distance,
		})
	}
	return out
}

// videoOf returns the position of the video that hash id belongs to.
func (x *FrameIndex) videoOf(id uint32) int {
	i, found := slices.BinarySearch(x.starts, id)
	if found {
		// Videos with no frames share their start with the next one: take the last.
		for i+1 < len(x.starts) && x.starts[i+1] == id {
			i++
		}
		return i
	}
	return i - 1
}
