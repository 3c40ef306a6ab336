package sqlstore_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"caseroom"
	"caseroom/export"
)

// BenchmarkNetworkScale times link analysis on a case of N persons (default 2,000;
// bench/network.sh runs 100,000) and 10 links per person (1,000,000 at 100,000), of
// which a few hubs hold 10,000 each: the 2-step neighbourhood of a typical person and
// the shortest paths between two persons, p50 and p95 over 200 queries each. The
// persons are registered through the store (8 writers); the links are written straight
// into the links table in one transaction, since a million RecordLink calls would take
// most of an hour and the reads do not care how the rows came. The store is then not
// one whose audit log verifies.
func BenchmarkNetworkScale(b *testing.B) {
	n := envSize(b, "CASEROOM_BENCH_NETWORK_PERSONS", 2000)
	forEachStoreB(b, func(b *testing.B, s *testStore) { networkScale(b, s, n) })
}

func networkScale(b *testing.B, s *testStore, n int) {
	u := mustUser(b, s, "lena")
	ctx := as(u)
	c, err := s.DB.CreateCase(ctx, caseroom.NewCase{Title: "Operation Bench"})
	if err != nil {
		b.Fatal(err)
	}
	src, err := s.DB.RegisterDocument(ctx, c.ID, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Source", Text: "The analyst's report."})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	ids := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				p, err := s.DB.RegisterPerson(ctx, c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: fmt.Sprintf("Person %d", i), Script: "Latn"}},
					Roles: []caseroom.PersonRole{caseroom.PersonSuspect}})
				if err != nil {
					errs <- err
					return
				}
				ids[i] = p.ID
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	registered := time.Since(start)

	// The links: 10 per person to random others, and 5 hubs of 10,000 (at 100,000).
	start = time.Now()
	r := rand.New(rand.NewPCG(17, 17))
	links := 10 * n
	hubs := min(5, n/100)
	tx, err := s.raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	insert := `INSERT INTO links (id, case_id, from_id, to_id, type, since, until, confidence, source_id, note, corrects_id, retracts, reason, created_by, created_at, entry)
		VALUES (?, ?, ?, ?, ?, '', '', ?, ?, '', NULL, 0, '', 'lena', '2026-12-07T00:00:00.000000000Z', 1)`
	if s.DB.Dialect() == "postgres" {
		insert = dollars(insert)
	}
	stmt, err := tx.Prepare(insert)
	if err != nil {
		b.Fatal(err)
	}
	types := []string{"knows", "related_to", "met", "called", "paid", "employed_by"}
	for i := range links {
		from := ids[r.IntN(n)]
		if i < links/10 && hubs > 0 {
			from = ids[i%hubs]
		}
		to := ids[r.IntN(n)]
		if to == from {
			continue
		}
		if _, err := stmt.Exec(fmt.Sprintf("lnk_bench%08d", i), c.ID, from, to, types[r.IntN(len(types))], 0.5+r.Float64()/2, src.ID); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	s.exec(`ANALYZE`)
	b.Logf("%s: %d persons registered in %s; %d links written in %s", s.DB.Dialect(), n, registered.Round(time.Second), links, time.Since(start).Round(time.Second))

	typical := func() string { return ids[hubs+r.IntN(n-hubs)] }
	var hood, paths []time.Duration
	var sizes, lengths []int
	b.ResetTimer()
	for range 200 {
		t0 := time.Now()
		net, err := s.DB.Network(ctx, c.ID, caseroom.NetworkQuery{Around: typical(), Steps: 2})
		if err != nil {
			b.Fatal(err)
		}
		hood = append(hood, time.Since(t0))
		sizes = append(sizes, len(net.Nodes))

		t0 = time.Now()
		p, err := s.DB.Paths(ctx, c.ID, caseroom.PathQuery{From: typical(), To: typical()})
		if err != nil {
			b.Fatal(err)
		}
		paths = append(paths, time.Since(t0))
		lengths = append(lengths, p.Length)
	}
	b.StopTimer()
	for _, d := range [][]time.Duration{hood, paths} {
		slices.Sort(d)
	}
	slices.Sort(sizes)
	slices.Sort(lengths)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(hood[len(hood)/2]), "hood2-p50-ms")
	b.ReportMetric(ms(hood[len(hood)*95/100]), "hood2-p95-ms")
	b.ReportMetric(ms(paths[len(paths)/2]), "paths-p50-ms")
	b.ReportMetric(ms(paths[len(paths)*95/100]), "paths-p95-ms")
	b.Logf("%s: %d persons, %d links: 2-step neighbourhood p50 %s p95 %s (nodes p50 %d, max %d); shortest paths p50 %s p95 %s (length p50 %d, max %d)",
		s.DB.Dialect(), n, links, hood[len(hood)/2].Round(time.Millisecond/10), hood[len(hood)*95/100].Round(time.Millisecond/10),
		sizes[len(sizes)/2], sizes[len(sizes)-1], paths[len(paths)/2].Round(time.Millisecond/10), paths[len(paths)*95/100].Round(time.Millisecond/10),
		lengths[len(lengths)/2], lengths[len(lengths)-1])

	// The whole case as FtM, through the store's export reader, to nowhere: the time,
	// and the most heap in use while it ran (sampled every 50 ms).
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	t0 := time.Now()
	x, err := s.DB.OpenExport(ctx, c.ID, caseroom.ExportRequest{Format: caseroom.ExportFtM})
	if err != nil {
		b.Fatal(err)
	}
	counts, err := export.Write(io.Discard, caseroom.ExportFtM, x)
	x.Close()
	took := time.Since(t0)
	close(stop)
	<-sampled
	if err != nil {
		b.Fatal(err)
	}
	var entities int64
	for _, n := range counts.Written {
		entities += n
	}
	b.ReportMetric(took.Seconds(), "ftm-s")
	b.ReportMetric(float64(peak-min(peak, base.HeapInuse))/(1<<20), "ftm-heap-MiB")
	b.Logf("%s: FtM export of the case: %d entities in %s, heap in use at most %.0f MiB above the %.0f MiB before it",
		s.DB.Dialect(), entities, took.Round(time.Millisecond), float64(peak-min(peak, base.HeapInuse))/(1<<20), float64(base.HeapInuse)/(1<<20))
}
