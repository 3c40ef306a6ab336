package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"caseroom"
	"caseroom/sqlstore"
)

// The search benchmark's corpus: mixed Urdu and English statements of about 5 kB each
// (see benchText), so that 100,000 documents are about 500 MB.
var (
	benchEnglish = strings.Fields(`the a and of to in was he she they said that it on at with by from for his her
		their we us our came went took gave told asked called seen night day house village canal road bus stop school
		shop market video camera phone number money rupees paid demanded family mother father brother sister son
		daughter child children police station officer complaint statement report man men woman women two three
		four five first last again when where after before near behind inside outside car motorcycle tubewell field
		mosque bazaar morning evening week month year threatened beat hurt frightened afraid ran home door room
		window wall tree water well bridge river street corner friend uncle cousin neighbour stranger group`)
	benchUrdu = strings.Fields(`اور کے کی میں سے نے کو تھا تھی ہے گیا آیا کہا بتایا پولیس تھانہ گاؤں گھر بازار
		نہر سڑک موبائل فون پیسے روپے بچہ بچی والد والدہ بھائی بہن رات دن صبح شام دکان ویڈیو کیمرہ دھمکی`)
	benchNames = strings.Fields(`Muhammad Ramzan Pappu Jhana Tariq Mehmood Naveed Akhtar Shahid Iqbal Zafar Abbas
		Dogar Mansoor Bhatti Sajid Joiya Irfan Rafiq Kamran Yousaf Virk Asif Nawaz Husain Khan Wala Basti Qandeelpur
		Dhok Samarwal Chak Anarkot محمد رمضان طارق محمود نوید اختر شاہد اقبال حسین خانوالا بستی قندیل پور`)
)

// benchVocab is the corpus's vocabulary, most frequent first: the English and Urdu
// words above, then 20,000 made-up words (Latin and Urdu letters) for the long tail a
// real case's texts have.
var benchVocab = func() []string {
	out := append(append([]string{}, benchEnglish...), benchUrdu...)
	r := rand.New(rand.NewPCG(3, 3))
	latin, urdu := []rune("bcdfghjklmnprstvwyz"), []rune("بپتٹجچدڈرزسشفقکگلمنوہی")
	vowels, uvowels := []rune("aeiou"), []rune("اوی")
	for i := range 20000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			if i%3 == 2 {
				b.WriteRune(urdu[r.IntN(len(urdu))])
				b.WriteRune(uvowels[r.IntN(len(uvowels))])
			} else {
				b.WriteRune(latin[r.IntN(len(latin))])
				b.WriteRune(vowels[r.IntN(len(vowels))])
			}
		}
		out = append(out, b.String())
	}
	return out
}()

// benchText writes one document of about size bytes: words of benchVocab by Zipf's
// law (s 1.1), one word in fifty a name or place, one in a hundred one of the case's
// 500 phone numbers.
func benchText(r *rand.Rand, size int) string {
	var b strings.Builder
	b.Grow(size + 64)
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(benchVocab)-1))
	for b.Len() < size {
		switch x := r.IntN(100); {
		case x < 97:
			b.WriteString(benchVocab[zipf.Uint64()])
		case x < 99:
			b.WriteString(benchNames[r.IntN(len(benchNames))])
		default:
			fmt.Fprintf(&b, "0300-%07d", 1000000+r.IntN(500)) // a case's few hundred numbers
		}
		if r.IntN(12) == 0 {
			b.WriteString(". ")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// BenchmarkSearchScale builds a case of CASEROOM_BENCH_SEARCH_DOCS documents (default
// 2,000; the figure is 100,000, about 500 MB) through RegisterDocument, 8
// writers at once; then times a rebuild of the index (Reindex), two-word queries (p50
// and p99 over 200 queries of word pairs drawn from the vocabulary, as the lead), and
// registering one document with and without the index's writes, side by side, printing
// the ratio. Run it with bench/search.sh, on SQLite and (with CASEROOM_TEST_POSTGRES)
// on PostgreSQL.
func BenchmarkSearchScale(b *testing.B) {
	n := envSize(b, "CASEROOM_BENCH_SEARCH_DOCS", 2000)
	if dir := os.Getenv("CASEROOM_BENCH_SEARCH_KEEP"); dir != "" {
		if pg := os.Getenv("CASEROOM_TEST_POSTGRES"); pg != "" && os.Getenv("STORE") == "postgres" {
			b.Run("postgres", func(b *testing.B) { searchScale(b, keptStoreAt(b, pg, filepath.Join(dir, "vault.key")), n) })
			return
		}
		b.Run("sqlite", func(b *testing.B) { searchScale(b, keptStore(b, dir), n) })
		return
	}
	forEachStoreB(b, func(b *testing.B, s *testStore) { searchScale(b, s, n) })
}

// envSize is the size a scale benchmark is run at: the number in the environment
// variable name, or def.
func envSize(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q is not a positive number", name, v)
	}
	return n
}

// keptStore opens (or creates) a SQLite store in dir that outlives the benchmark, so
// that queries can be timed again without building the case again
// (CASEROOM_BENCH_SEARCH_KEEP=dir).
func keptStore(b *testing.B, dir string) *testStore { return keptStoreT(b, dir) }

func keptStoreT(b testing.TB, dir string) *testStore {
	return keptStoreAt(b, filepath.Join(dir, "caseroom.db"), filepath.Join(dir, "vault.key"))
}

// keptStoreAt opens the store at dsn (a SQLite file, or with STORE=postgres the
// PostgreSQL database CASEROOM_TEST_POSTGRES names, as it is: use a database of its own)
// with its vault key in keyFile.
func keptStoreAt(b testing.TB, dsn, keyFile string) *testStore {
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{KeyFile: keyFile})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return &testStore{t: b, DB: db, dsn: dsn, keyFile: keyFile}
}

func searchScale(b *testing.B, s *testStore, n int) {
	var c *caseroom.Case
	var bytes int64
	u, err := s.DB.FindUser(console, "lena")
	if err != nil {
		u = mustUser(b, s, "lena")
	}
	ctx := as(u)
	if cs, err := s.DB.FindCases(ctx); err == nil && len(cs) > 0 {
		c = cs[0]
		b.Logf("the kept case %s: its queries timed again, nothing else", c.ID)
	} else {
		if c, err = s.DB.CreateCase(ctx, caseroom.NewCase{Title: "Operation Bench"}); err != nil {
			b.Fatal(err)
		}
		bytes = buildSearchCase(b, s, ctx, c, n)
	}
	kept := bytes == 0
	b.ResetTimer()
	for i := 0; i < b.N && !kept; i++ {
		rep, err := s.DB.Reindex(console)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(rep.Took.Seconds(), "index-s")
		if bytes > 0 {
			b.ReportMetric(float64(bytes)/1e6/rep.Took.Seconds(), "index-MB/s")
		}
	}
	b.StopTimer()

	// Two-word queries: 150 of the words an officer types (names, places, words of
	// rank 100 to 5,000), and 50 of two of the 50 commonest words, the worst case
	// (they are in nearly every document).
	r := rand.New(rand.NewPCG(7, 7))
	word := func(common bool) string {
		switch {
		case common:
			return benchVocab[r.IntN(50)]
		case r.IntN(3) == 0:
			return benchNames[r.IntN(len(benchNames))]
		}
		return benchVocab[100+r.IntN(4900)]
	}
	// The time of a query grows with the records it matches (every match is scored),
	// so the matches are reported too, and the queries matching at most 1,000.
	var took, common, selective []time.Duration
	var found []int
	for i := range 200 {
		isCommon := i%4 == 3
		q := word(isCommon) + " " + word(isCommon)
		t0 := time.Now()
		res, err := s.DB.Search(ctx, c.ID, caseroom.SearchRequest{Query: q})
		if err != nil {
			b.Fatalf("search %q: %v", q, err)
		}
		d := time.Since(t0)
		switch {
		case isCommon:
			common = append(common, d)
		default:
			took = append(took, d)
			found = append(found, res.Total)
			if res.Total <= 1000 {
				selective = append(selective, d)
			}
		}
	}
	slices.Sort(took)
	slices.Sort(common)
	slices.Sort(selective)
	slices.Sort(found)
	p50, p99 := took[len(took)/2], took[len(took)*99/100]
	b.ReportMetric(float64(found[len(found)/2]), "query-matches-p50")
	if len(selective) > 0 {
		b.ReportMetric(float64(selective[len(selective)/2].Microseconds())/1000, "selective-p50-ms")
		b.Logf("%d of %d queries match at most 1,000 records: p50 %s, max %s", len(selective), len(took),
			selective[len(selective)/2].Round(time.Millisecond/10), selective[len(selective)-1].Round(time.Millisecond/10))
	}
	b.Logf("records matched by the queries: p50 %d, p90 %d, max %d", found[len(found)/2], found[len(found)*9/10], found[len(found)-1])
	b.ReportMetric(float64(p50.Microseconds())/1000, "query-p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "query-p99-ms")
	b.ReportMetric(float64(common[len(common)/2].Microseconds())/1000, "common-p50-ms")
	b.ReportMetric(float64(common[len(common)-1].Microseconds())/1000, "common-max-ms")

	if kept {
		b.Logf("%s: %d docs; query p50 %s p99 %s (two of the commonest words: p50 %s, max %s)", s.DB.Dialect(), n,
			p50.Round(time.Millisecond/10), p99.Round(time.Millisecond/10), common[len(common)/2].Round(time.Millisecond/10), common[len(common)-1].Round(time.Millisecond/10))
		return
	}

	// One document at a time, with and without the index, alternating, 20 ms
	// apart (the time a user waits for); then 200 back to back each way, with the
	// time until the last is indexed (what the index costs in all).
	var with, without time.Duration
	const m = 40
	for i := range 2 * m {
		on := i%2 == 0
		restore := sqlstore.SetSearchIndexing(on)
		text := benchText(r, 5000)
		time.Sleep(20 * time.Millisecond)
		t0 := time.Now()
		_, err := s.DB.RegisterDocument(ctx, c.ID, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "One more", Text: text})
		d := time.Since(t0)
		restore()
		if err != nil {
			b.Fatal(err)
		}
		if on {
			with += d
		} else {
			without += d
		}
	}
	burst := func(on bool) time.Duration {
		defer sqlstore.SetSearchIndexing(on)()
		texts := make([]string, 200)
		for i := range texts {
			texts[i] = benchText(r, 5000)
		}
		t0 := time.Now()
		for _, text := range texts {
			if _, err := s.DB.RegisterDocument(ctx, c.ID, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Burst", Text: text}); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.DB.IndexSearchQueue(ctx); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	burstWith, burstWithout := burst(true), burst(false)
	b.ReportMetric(float64(with.Microseconds())/m/1000, "register-ms")
	b.ReportMetric(float64(without.Microseconds())/m/1000, "register-noindex-ms")
	b.ReportMetric(float64(with)/float64(without), "register-ratio")
	b.ReportMetric(float64(burstWith)/float64(burstWithout), "burst-ratio")
	b.Logf("%s: %d docs; query p50 %s p99 %s (two of the commonest words: p50 %s, max %s); register %s with the index, %s without (ratio %.2f); 200 back to back and indexed %s, without the index %s (ratio %.2f)", s.DB.Dialect(), n,
		p50.Round(time.Millisecond/10), p99.Round(time.Millisecond/10), common[len(common)/2].Round(time.Millisecond/10), common[len(common)-1].Round(time.Millisecond/10),
		with/m, without/m, float64(with)/float64(without), burstWith.Round(time.Millisecond), burstWithout.Round(time.Millisecond), float64(burstWith)/float64(burstWithout))
}

// buildSearchCase registers n documents of benchText in c, 8 writers at once, and
// waits for the queue to be indexed.
func buildSearchCase(b *testing.B, s *testStore, ctx context.Context, c *caseroom.Case, n int) (bytes int64) {
	var mu sync.Mutex
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for i := w; i < n; i += 8 {
				text := benchText(r, 4000+r.IntN(2000))
				mu.Lock()
				bytes += int64(len(text))
				mu.Unlock()
				if _, err := s.DB.RegisterDocument(ctx, c.ID, caseroom.NewDocument{Kind: caseroom.DocReport, Title: fmt.Sprintf("Report %d", i), Text: text}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	registered := time.Since(start)
	if err := s.DB.IndexSearchQueue(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: registered %d documents (%.0f MB) in %s, all indexed by the queue after %s", s.DB.Dialect(), n, float64(bytes)/1e6,
		registered.Round(time.Second), time.Since(start).Round(time.Second))
	return bytes
}

// BenchmarkRegisterDocumentIndexed registers 5 kB reports with and without the search
// index (the bound: within 20% of the write time without it), two ways:
//   - paced: one at a time with 20 ms between them (50 a second, more than any desk
//     types), timing each registration alone: the write time a user waits for, with the
//     indexer at work in the pauses;
//   - burst: back to back, and then until the indexer has indexed them all: what the
//     index costs in all, as in a bulk import.
func BenchmarkRegisterDocumentIndexed(b *testing.B) {
	for _, mode := range []string{"paced", "burst"} {
		for _, on := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/index=%v", mode, on), func(b *testing.B) {
				forEachStoreB(b, func(b *testing.B, s *testStore) {
					u := mustUser(b, s, "lena")
					ctx := as(u)
					c, err := s.DB.CreateCase(ctx, caseroom.NewCase{Title: "Operation Bench"})
					if err != nil {
						b.Fatal(err)
					}
					defer sqlstore.SetSearchIndexing(on)()
					r := rand.New(rand.NewPCG(1, 2))
					texts := make([]string, 64)
					for i := range texts {
						texts[i] = benchText(r, 5000)
					}
					b.ResetTimer()
					for i := range b.N {
						if mode == "paced" {
							b.StopTimer()
							time.Sleep(20 * time.Millisecond)
							b.StartTimer()
						}
						if _, err := s.DB.RegisterDocument(ctx, c.ID, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Report", Text: texts[i%len(texts)]}); err != nil {
							b.Fatal(err)
						}
					}
					if mode == "burst" {
						if err := s.DB.IndexSearchQueue(ctx); err != nil {
							b.Fatal(err)
						}
					}
				})
			})
		}
	}
}
