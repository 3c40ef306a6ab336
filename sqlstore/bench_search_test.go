package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"os"
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
	n := 2000
	if v := os.Getenv("CASEROOM_BENCH_SEARCH_DOCS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		u := mustUser(b, s, "lena")
		ctx := as(u)
		c, err := s.DB.CreateCase(ctx, caseroom.NewCase{Title: "Operation Bench"})
		if err != nil {
			b.Fatal(err)
		}
		var bytes int64
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
		b.Logf("%s: registered %d documents (%.0f MB) in %s", s.DB.Dialect(), n, float64(bytes)/1e6, time.Since(start).Round(time.Second))

		b.ResetTimer()
		for range b.N {
			rep, err := s.DB.Reindex(console)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(rep.Took.Seconds(), "index-s")
			b.ReportMetric(float64(bytes)/1e6/rep.Took.Seconds(), "index-MB/s")
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
		var took, common []time.Duration
		for i := range 200 {
			isCommon := i%4 == 3
			q := word(isCommon) + " " + word(isCommon)
			t0 := time.Now()
			if _, err := s.DB.Search(ctx, c.ID, caseroom.SearchRequest{Query: q}); err != nil {
				b.Fatalf("search %q: %v", q, err)
			}
			if isCommon {
				common = append(common, time.Since(t0))
			} else {
				took = append(took, time.Since(t0))
			}
		}
		slices.Sort(took)
		slices.Sort(common)
		p50, p99 := took[len(took)/2], took[len(took)*99/100]
		b.ReportMetric(float64(p50.Microseconds())/1000, "query-p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "query-p99-ms")
		b.ReportMetric(float64(common[len(common)/2].Microseconds())/1000, "common-p50-ms")
		b.ReportMetric(float64(common[len(common)-1].Microseconds())/1000, "common-max-ms")

		// One document, with and without the index's writes, alternating.
		var with, without time.Duration
		const m = 40
		for i := range 2 * m {
			on := i%2 == 0
			restore := sqlstore.SetSearchIndexing(on)
			text := benchText(r, 5000)
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
		b.ReportMetric(float64(with.Microseconds())/m/1000, "register-ms")
		b.ReportMetric(float64(without.Microseconds())/m/1000, "register-noindex-ms")
		b.ReportMetric(float64(with)/float64(without), "register-ratio")
		b.Logf("%s: %d docs; query p50 %s p99 %s (two of the commonest words: p50 %s, max %s); register %s with the index, %s without (ratio %.2f)", s.DB.Dialect(), n,
			p50.Round(time.Millisecond/10), p99.Round(time.Millisecond/10), common[len(common)/2].Round(time.Millisecond/10), common[len(common)-1].Round(time.Millisecond/10), with/m, without/m, float64(with)/float64(without))
	})
}

// BenchmarkRegisterDocumentIndexed registers 5 kB reports one at a time, with and
// without the search index's writes (the bound: within 20% of the write time
// without them).
func BenchmarkRegisterDocumentIndexed(b *testing.B) {
	for _, on := range []bool{true, false} {
		b.Run(fmt.Sprintf("index=%v", on), func(b *testing.B) {
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
					if _, err := s.DB.RegisterDocument(ctx, c.ID, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Report", Text: texts[i%len(texts)]}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
