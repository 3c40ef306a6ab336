package vpdq

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// The frame-index benchmarks search the frames of 1,000 videos of 1,000 hashed frames
// each (1,000,000 frame hashes) at radius 31. Frames are correlated as a video's are:
// each video is scenes of 20 frames, each frame its scene's hash with up to 11 random
// bits changed, so a query near one frame finds its whole scene.
const (
	benchVideos      = 1000
	benchFramesVideo = 1000
)

var (
	benchOnce  sync.Once
	benchIndex *FrameIndex
	benchVids  [][]Frame
)

func benchFrameIndex(b *testing.B) (*FrameIndex, [][]Frame) {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		defer func() { b.Logf("built an index of %d frames in %v", benchVideos*benchFramesVideo, time.Since(start)) }()
		rng := rand.New(rand.NewPCG(9, 10))
		benchIndex = NewFrameIndex(DefaultQuality)
		for v := range benchVideos {
			frames := correlatedFrames(rng, benchFramesVideo, 20)
			benchVids = append(benchVids, frames)
			benchIndex.Add(int64(v), frames)
		}
	})
	if _, n := benchIndex.Len(); n < benchVideos*benchFramesVideo*9/10 {
		b.Fatalf("index holds %d frames", n)
	}
	return benchIndex, benchVids
}

// reportQuantiles reports the median and 99th percentile of the durations.
func reportQuantiles(b *testing.B, d []time.Duration, unit string) {
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "median-µs/"+unit)
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds()), "p99-µs/"+unit)
}

// BenchmarkFrameIndexQuery queries one frame at a time: half are indexed frames with
// 0 to 15 bits changed (a re-encoded copy), half random hashes (an unknown video).
func BenchmarkFrameIndexQuery(b *testing.B) {
	idx, vids := benchFrameIndex(b)
	rng := rand.New(rand.NewPCG(11, 12))
	queries := make([][]Frame, 4096)
	for i := range queries {
		h := randomHash(rng)
		if i%2 == 0 {
			h = vids[rng.IntN(len(vids))][rng.IntN(benchFramesVideo)].Hash
			for range rng.IntN(16) {
				k := rng.IntN(256)
				h[k/8] ^= 1 << (k % 8)
			}
		}
		queries[i] = []Frame{{Quality: 100, Hash: h}}
	}
	var took []time.Duration
	hits := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		m := idx.Query(queries[i%len(queries)], DefaultDistance)
		took = append(took, time.Since(start))
		hits += len(m)
	}
	reportQuantiles(b, took, "query")
	b.ReportMetric(float64(hits)/float64(len(took)), "videos/query")
}

// BenchmarkFrameIndexQueryVideo queries a whole video of 60 hashed frames (a minute at
// one frame a second): a re-encoded copy of the first 60 frames of an indexed video.
func BenchmarkFrameIndexQueryVideo(b *testing.B) {
	idx, vids := benchFrameIndex(b)
	rng := rand.New(rand.NewPCG(13, 14))
	queries := make([][]Frame, 256)
	for i := range queries {
		src := vids[rng.IntN(len(vids))][:60]
		q := make([]Frame, len(src))
		for j, f := range src {
			for range rng.IntN(8) {
				k := rng.IntN(256)
				f.Hash[k/8] ^= 1 << (k % 8)
			}
			q[j] = f
		}
		queries[i] = q
	}
	var took []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if m := idx.Query(queries[i%len(queries)], DefaultDistance); len(m) == 0 {
			b.Fatal("copy not found")
		}
		took = append(took, time.Since(start))
	}
	reportQuantiles(b, took, "video")
}
