package fulltext

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var an = Analyzer{Region: "PK"}

func keys(text string) []string {
	var out []string
	for _, t := range an.Terms(text) {
		out = append(out, t.Key)
	}
	return out
}

func TestTermsAcrossScriptsAndSpellings(t *testing.T) {
	for _, group := range [][]string{
		{"Husain Khan Wala", "Hussain Khanwala", "حسین خانوالا", "HUSSAIN khan-wala"},
		{"Basti Qandeelpur", "بستی قندیل پور"},
		{"Pappu", "papu", "PAPPU"},
	} {
		want := keys(group[0])
		for _, text := range group[1:] {
			if got := keys(text); !slices.Equal(got, want) {
				t.Errorf("terms of %q = %v, want those of %q: %v", text, got, group[0], want)
			}
		}
	}
	if slices.Equal(keys("Hasan"), keys("Husain")) {
		t.Errorf("Hasan and Husain have the same terms %v", keys("Hasan"))
	}
}

func TestTermsOfNumbers(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"call 0300-1234567 now", []string{"cal", "0300", "1234567", "03001234567", "923001234567", "now"}},
		{"+92 300 1234567", []string{"92", "300", "1234567", "923001234567"}},
		{"03001234567", []string{"03001234567", "923001234567"}},
		{"CNIC 35202-1234567-1", []string{"cnic", "35202", "1234567", "1", "3520212345671"}},
		{"۰۳۰۰-۱۲۳۴۵۶۷", []string{"0300", "1234567", "03001234567", "923001234567"}},
		{"on 12 08 2015", []string{"on", "12", "08", "2015"}}, // too few digits to be a number
	} {
		if got := keys(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("terms of %q = %v, want %v", tt.text, got, tt.want)
		}
	}
	// Every writing of one number, as a query, asks for a term every writing holds.
	writings := []string{"0300-1234567", "03001234567", "+92 300 1234567", "+923001234567", "0300 1234567"}
	for _, q := range writings {
		pq, err := an.Parse(q, nil)
		if err != nil {
			t.Fatalf("parse %q: %v", q, err)
		}
		for _, text := range writings {
			if !slices.Contains(keys(text), pq.Terms[0].Keys[0]) || len(pq.Terms) != 1 || len(pq.Terms[0].Keys) != 1 {
				t.Errorf("query %q asks for %v, not among the terms of %q: %v", q, pq.Terms, text, keys(text))
			}
		}
	}
}

func TestTermSpans(t *testing.T) {
	text := "Pappu's camera, near حسین."
	for _, term := range an.Terms(text) {
		w := text[term.Start:term.End]
		if strings.ContainsAny(w, " ,.'") {
			t.Errorf("term %q spans %q", term.Key, w)
		}
	}
}

func TestStored(t *testing.T) {
	for key, want := range map[string]string{"husain": "husain", "0300": "0300", "حسین": "_d8add8b3db8cd986"} {
		if got := Stored(key); got != want {
			t.Errorf("Stored(%q) = %q, want %q", key, got, want)
		}
	}
	// A prefix of a word is a prefix of its stored form.
	if !strings.HasPrefix(Stored("حسین"), Stored("حس")) {
		t.Errorf("stored forms lose prefixes")
	}
}

var kinds = []string{"document", "statement", "report", "action"}

func TestParse(t *testing.T) {
	q, err := an.Parse(`pappu "two others" -camera tub* kind:statement KIND:report by:V-0007 from:2015-06 to:2015 ref:S-12`, kinds)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Terms) != 4 || q.Terms[1].Text != "two others" || len(q.Terms[1].Keys) != 2 || !q.Terms[2].Not || !q.Terms[3].Prefix {
		t.Errorf("terms = %+v", q.Terms)
	}
	if !slices.Equal(q.Kinds, []string{"statement", "report"}) || q.By != "V-0007" || q.Ref != "S-12" {
		t.Errorf("filters = %+v", q)
	}
	loc := time.FixedZone("PKT", 5*3600)
	if q.From.Start(loc) != time.Date(2015, 6, 1, 0, 0, 0, 0, loc) || q.To.End(loc) != time.Date(2016, 1, 1, 0, 0, 0, 0, loc) {
		t.Errorf("from %v to %v", q.From.Start(loc), q.To.End(loc))
	}
	if got := q.FTS5(nil); got != `("papu" AND "two others" AND "tub" *) NOT "camera"` {
		t.Errorf("FTS5 = %s", got)
	}
	if got := q.TSQuery(nil); got != `'papu' & ( 'two' <-> 'others' ) & 'tub':* & !'camera'` {
		t.Errorf("TSQuery = %s", got)
	}
	// Filters alone are a query.
	if q, err := an.Parse("kind:statement", kinds); err != nil || q.Positive() || q.FTS5(nil) != "" {
		t.Errorf("filters alone: %+v %v", q, err)
	}
}

func TestParseRefuses(t *testing.T) {
	for q, want := range map[string]string{
		"\t":                      "empty",
		"   ":                     "empty",
		`"unbalanced`:             "not closed",
		`pa"ppu`:                  "inside a word",
		"kind:nosuchkind pappu":   "not a kind",
		"from:2015-13-45 pappu":   "not a real date",
		"from:yesterday":          "not a date",
		"to:":                     "give a value",
		"nosuch:x":                "not a filter",
		"-pappu":                  "only excludes",
		"-kind:statement":         "cannot be excluded",
		"p*":                      "at least 2 letters",
		"from:2016 to:2015":       "after",
		strings.Repeat("a ", 600): "bytes long",
		strings.Repeat("w ", 40):  "more than",
		"\xff":                    "UTF-8",
		`""`:                      "no word",
	} {
		_, err := an.Parse(q, kinds)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%.30q) = %v, want an error saying %q", q, err, want)
		}
		if _, ok := err.(*QueryError); err != nil && !ok {
			t.Errorf("Parse(%.30q) error is %T, not a *QueryError", q, err)
		}
	}
}

func TestSnippet(t *testing.T) {
	text := "Before. " + strings.Repeat("filler words here ", 30) + "The man they call Pappu took us <there> & back. " + strings.Repeat("more text ", 30)
	q, _ := an.Parse("pappu", nil)
	match := func(k string) bool { return slices.Contains(q.Terms[0].Keys, k) }
	s := an.Snippet(text, match, nil)
	if !strings.Contains(s, "<mark>Pappu</mark>") || !strings.Contains(s, "&lt;there&gt; &amp;") || !strings.HasPrefix(s, "… ") || !strings.HasSuffix(s, " …") {
		t.Errorf("snippet = %q", s)
	}
	hide := func(k string) bool { return k == "man" }
	if s := an.Snippet(text, match, hide); strings.Contains(s, "man") || !strings.Contains(s, Withheld) {
		t.Errorf("snippet with a withheld word = %q", s)
	}
	if s := an.Snippet("No match at all here.", match, nil); s != "No match at all here." {
		t.Errorf("snippet without a match = %q", s)
	}
	// A number's extra term marks the groups it stands for.
	q, _ = an.Parse("03001234567", nil)
	if s := an.Snippet("He called from 0300-1234567 twice.", func(k string) bool { return k == q.Terms[0].Keys[0] }, nil); !strings.Contains(s, "<mark>0300</mark>-<mark>1234567</mark>") {
		t.Errorf("number snippet = %q", s)
	}
}

// safeEngineInput is what a query may hand to FTS5 or to a tsquery cast: quoted terms
// of the index's alphabet and the operators fulltext writes.
var safeEngineInput = regexp.MustCompile(`^(?:"[a-z0-9_ ]+"(?: \*)?|\(|\)|AND|NOT|'[a-z0-9_]+'(?::\*)?|&|!|<->|\s)*$`)

func FuzzParse(f *testing.F) {
	for _, s := range []string{`pappu "two others" -camera tub* kind:statement`, `"`, `a:b`, "حسین خانوالا", "+92 300 1234567", "-x y*", "“curly”"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := an.Parse(s, kinds)
		if err != nil {
			if _, ok := err.(*QueryError); !ok {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		for _, e := range []string{q.FTS5(nil), q.TSQuery(nil)} {
			if !safeEngineInput.MatchString(strings.ReplaceAll(strings.ReplaceAll(e, "(", " ( "), ")", " ) ")) {
				t.Fatalf("engine input %q from %q", e, s)
			}
		}
	})
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"Husain Khan Wala 0300-1234567", "مُحَمَّد\u200cعلی", "ﻣﺤﻤﺪ", "½ ﷲ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, term := range an.Terms(s) {
			if term.Key == "" || term.Start < 0 || term.End > len(s) || term.Start >= term.End {
				t.Fatalf("term %+v of %q", term, s)
			}
			if st := Stored(term.Key); strings.Trim(st, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
				t.Fatalf("stored %q", st)
			}
		}
		_ = an.Snippet(s, func(string) bool { return true }, nil)
	})
}

// BenchmarkTerms measures the terms of a 5 kB mixed Urdu and English statement (words
// repeat as in a real text), in MB/s.
func BenchmarkTerms(b *testing.B) {
	words := strings.Fields("the man they call Pappu took us to the tubewell near Husain Khan Wala at night and گاؤں کے لوگ نہر پر تھے پولیس نے کہا 0300-1234567 Basti Qandeelpur بستی قندیل پور He said")
	var sb strings.Builder
	for i := 0; sb.Len() < 5000; i++ {
		sb.WriteString(words[(i*7)%len(words)])
		sb.WriteByte(' ')
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		an.Terms(text)
	}
}
