package hashindex

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"caseroom/pdq"
)

// The benchmarks search indexes of 100,000 and 1,000,000 hashes (and 10,000,000 with
// CASEROOM_BENCH_MIH_10M=1) at radius 31, the PDQ match threshold. 90% of the hashes are
// random and 10% are in clusters of ten near-copies (up to 15 bits from the cluster's
// first); the queries are half near-copies of stored hashes (0 to 40 bits away) and half
// fresh random hashes. With CASEROOM_BENCH_MIH_DUMP=DIR the data are written to
// DIR/base-N.bin and DIR/queries-N.bin (raw 32-byte hashes) for bench/faiss_mih.py.
const benchRadius = 31

func benchSizes() []int {
	sizes := []int{100_000, 1_000_000}
	if os.Getenv("CASEROOM_BENCH_MIH_10M") == "1" {
		sizes = append(sizes, 10_000_000)
	}
	return sizes
}

type benchData struct {
	hashes, queries []pdq.Hash
	index           *Index
}

var (
	benchMu    sync.Mutex
	benchCache = map[int]*benchData{}
)

// flipBits flips d distinct bits of h chosen at random.
func flipBits(rng *rand.Rand, h pdq.Hash, d int) pdq.Hash {
	var flipped [4]uint64
	for k := 0; k < d; {
		b := rng.IntN(256)
		if flipped[b/64]>>(b%64)&1 == 0 {
			flipped[b/64] |= 1 << (b % 64)
			h[b/8] ^= 1 << (b % 8)
			k++
		}
	}
	return h
}

// benchDataset returns the hashes and queries for n (the same for every run) and the
// index of the hashes, built once, checked against brute force on a sample of queries.
func benchDataset(b *testing.B, n int) *benchData { return benchDatasetT(b, n) }

func benchDatasetT(b testing.TB, n int) *benchData {
	benchMu.Lock()
	defer benchMu.Unlock()
	if d := benchCache[n]; d != nil {
		return d
	}
	rng := rand.New(rand.NewPCG(uint64(n), 31))
	hs := make([]pdq.Hash, 0, n)
	for len(hs) < n*9/10 {
		hs = append(hs, randomHash(rng))
	}
	for len(hs) < n {
		centre := randomHash(rng)
		hs = append(hs, centre)
		for i := 1; i < 10 && len(hs) < n; i++ {
			hs = append(hs, flipBits(rng, centre, rng.IntN(16)))
		}
	}
	rng.Shuffle(len(hs), func(i, j int) { hs[i], hs[j] = hs[j], hs[i] })
	qs := make([]pdq.Hash, 2000)
	for i := range qs {
		if i%2 == 0 {
			qs[i] = flipBits(rng, hs[rng.IntN(n)], rng.IntN(41))
		} else {
			qs[i] = randomHash(rng)
		}
	}
	if dir := os.Getenv("CASEROOM_BENCH_MIH_DUMP"); dir != "" {
		for name, list := range map[string][]pdq.Hash{"base": hs, "queries": qs} {
			raw := make([]byte, 0, 32*len(list))
			for i := range list {
				raw = append(raw, list[i][:]...)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.bin", name, n)), raw, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	start := time.Now()
	x := New()
	x.AddAll(hs)
	b.Logf("n=%d: index built in %.2fs", n, time.Since(start).Seconds())
	// Exactness on a sample, as the benchmark measures it (a test failure, not a figure).
	sample := 200
	if n > 1_000_000 {
		sample = 40
	}
	for i := range sample {
		q := qs[i*len(qs)/sample]
		if diff := gocmp.Diff(bruteForce(hs, q, benchRadius), x.Query(q, benchRadius)); diff != "" {
			b.Fatalf("n=%d: query %d differs from brute force (-want +got):\n%s", n, i, diff)
		}
	}
	d := &benchData{hashes: hs, queries: qs, index: x}
	benchCache[n] = d
	return d
}

// BenchmarkQuery times single queries one after another and reports their median and
// 99th percentile.
func BenchmarkQuery(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			d := benchDataset(b, n)
			var times []time.Duration
			matches := 0
			i := 0
			for b.Loop() {
				q := d.queries[i%len(d.queries)]
				t := time.Now()
				ms := d.index.Query(q, benchRadius)
				times = append(times, time.Since(t))
				matches += len(ms)
				i++
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e3, "median-µs")
			b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds())/1e3, "p99-µs")
			b.ReportMetric(float64(matches)/float64(i), "matches/query")
		})
	}
}

// BenchmarkQueryBatch runs the 2,000 queries as one QueryBatch on all CPUs.
func BenchmarkQueryBatch(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			d := benchDataset(b, n)
			for b.Loop() {
				d.index.QueryBatch(d.queries, benchRadius, 0)
			}
			b.ReportMetric(float64(b.N*len(d.queries))/b.Elapsed().Seconds(), "queries/s")
		})
	}
}

// heapObjects is the bytes of live and not yet swept heap objects; reading it does not
// stop the world.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// measureHeap runs build and reports the heap it leaves in use (after a collection) and
// its peak while it runs (garbage not yet collected included), in bytes per hash.
func measureHeap(b *testing.B, n int, build func() *Index) *Index {
	runtime.GC()
	before := heapObjects()
	peak := before
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, heapObjects())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	x := build()
	close(stop)
	wg.Wait()
	runtime.GC()
	after := heapObjects()
	b.ReportMetric(float64(after-before)/float64(n), "heap-B/hash")
	b.ReportMetric(float64(max(peak, after)-before)/float64(n), "peak-B/hash")
	return x
}

// BenchmarkBuild adds all the hashes at once to an empty index.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			hs := benchDataset(b, n).hashes
			for b.Loop() {
				measureHeap(b, n, func() *Index {
					x := New()
					x.AddAll(hs)
					return x
				})
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/build")
		})
	}
}

// BenchmarkAddOneByOne adds the hashes one Add at a time, merging as it goes.
func BenchmarkAddOneByOne(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			hs := benchDataset(b, n).hashes
			for b.Loop() {
				measureHeap(b, n, func() *Index {
					x := New()
					for _, h := range hs {
						x.Add(h)
					}
					return x
				})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/add")
		})
	}
}

// BenchmarkReadIndex reads a snapshot held in memory and rebuilds the tables.
func BenchmarkReadIndex(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var buf bytes.Buffer
			if _, err := benchDataset(b, n).index.WriteTo(&buf); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := ReadIndex(bytes.NewReader(buf.Bytes())); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/read")
		})
	}
}
