package fulltext

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The query language, as a member types it in the search box:
//
//	pappu canal            both words (every word must be found)
//	"two others"           the words next to each other, in that order
//	-camera                not this word (nor -"a phrase")
//	pap*                   a word that begins so (at least 2 letters before the *)
//	kind:statement         only statements (kind:document for every document kind,
//	                       kind:action, kind:decision, kind:exhibit; repeat for several)
//	by:V-0007              only what this person gave (a pseudonym, id or reference)
//	from:2015-06-01        on or after this day (or month 2015-06, or year 2015)
//	to:2015-06-30          on or before this day (or month, or year)
//	ref:S-12               only the record with this reference
//
// Words are matched by their keys (see Terms), so spelling variants and scripts are
// one. Filters' names are case-insensitive. Nothing in a query reaches an engine's own
// syntax: a query is parsed here and the engines are given terms of [a-z0-9_].

// MaxQueryBytes is the longest query accepted.
const MaxQueryBytes = 1000

// maxQueryTerms is the most words and phrases a query may hold.
const maxQueryTerms = 32

// Query is a parsed query.
type Query struct {
	// Terms are the words and phrases, in the order typed.
	Terms []QueryTerm
	// Kinds, By, Ref, From and To are the filters; zero when not given.
	Kinds    []string
	By, Ref  string
	From, To Period
}

// QueryTerm is one word or phrase of a query.
type QueryTerm struct {
	// Text is the word or phrase as typed.
	Text string
	// Keys are its terms' keys: one for a word, several for a phrase or a word the
	// table splits; a phrase matches its keys next to each other in order.
	Keys []string
	// Prefix is set when the last key matches any key that begins with it.
	Prefix bool
	// Not is set for a term that must not be found.
	Not bool
}

// Period is a day, month or year of a from: or to: filter, as typed.
type Period struct {
	Year, Month, Day int // Month and Day 0 when not given
}

// IsZero reports whether no period was given.
func (p Period) IsZero() bool { return p.Year == 0 }

// Start returns the first instant of the period in loc.
func (p Period) Start(loc *time.Location) time.Time {
	m, d := max(p.Month, 1), max(p.Day, 1)
	return time.Date(p.Year, time.Month(m), d, 0, 0, 0, 0, loc)
}

// End returns the first instant after the period in loc.
func (p Period) End(loc *time.Location) time.Time {
	s := p.Start(loc)
	switch {
	case p.Day > 0:
		return s.AddDate(0, 0, 1)
	case p.Month > 0:
		return s.AddDate(0, 1, 0)
	}
	return s.AddDate(1, 0, 0)
}

// QueryError is a query that cannot be run; its message says what is wrong, for the
// member who typed it.
type QueryError struct{ Message string }

func (e *QueryError) Error() string { return e.Message }

func queryErr(format string, args ...any) error {
	return &QueryError{Message: fmt.Sprintf(format, args...)}
}

// Positive reports whether the query has a term that must be found.
func (q *Query) Positive() bool {
	for _, t := range q.Terms {
		if !t.Not {
			return true
		}
	}
	return false
}

// Words returns the query's words and phrases that must be found, as typed, for the
// searches that work on the typed text (persons by name, identifiers, references).
func (q *Query) Words() []string {
	var out []string
	for _, t := range q.Terms {
		if !t.Not {
			out = append(out, t.Text)
		}
	}
	return out
}

// Parse reads a query. kinds lists the values kind: accepts. A query that cannot be
// run is a *QueryError.
func (a Analyzer) Parse(s string, kinds []string) (*Query, error) {
	if len(s) > MaxQueryBytes {
		return nil, queryErr("the query is %d bytes long; at most %d are searched", len(s), MaxQueryBytes)
	}
	if !utf8.ValidString(s) {
		return nil, queryErr("the query is not valid UTF-8 text")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, queryErr("the query is empty; type a word, a \"phrase\", a name, a number or a filter such as kind:statement")
	}
	q := &Query{}
	toks, err := splitQuery(s)
	if err != nil {
		return nil, err
	}
	toks = joinNumberGroups(toks)
	for _, t := range toks {
		if t.filter != "" {
			if err := q.setFilter(t.filter, t.text, kinds); err != nil {
				return nil, err
			}
			continue
		}
		qt := QueryTerm{Text: t.text, Not: t.not, Prefix: t.prefix}
		terms := a.Terms(t.text)
		if len(terms) == 0 {
			if t.quoted {
				return nil, queryErr("the phrase %q holds no word to search for", t.text)
			}
			continue // punctuation alone
		}
		if n := numberKey(t.text, terms); n != "" && !t.prefix {
			qt.Keys = []string{n}
		} else {
			for _, term := range terms {
				qt.Keys = append(qt.Keys, term.Key)
			}
		}
		if t.prefix && utf8.RuneCountInString(qt.Keys[len(qt.Keys)-1]) < 2 {
			return nil, queryErr("%q: a word ending in * needs at least 2 letters before the *", t.text+"*")
		}
		q.Terms = append(q.Terms, qt)
		if len(q.Terms) > maxQueryTerms {
			return nil, queryErr("the query has more than %d words and phrases", maxQueryTerms)
		}
	}
	if !q.Positive() && len(q.Terms) > 0 && q.noFilter() {
		return nil, queryErr("the query only excludes; say what to look for as well")
	}
	if len(q.Terms) == 0 && q.noFilter() {
		return nil, queryErr("the query holds no word to search for")
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Start(time.UTC).Before(q.To.End(time.UTC)) {
		return nil, queryErr("from: %s is after to: %s", q.From, q.To)
	}
	return q, nil
}

func (q *Query) noFilter() bool {
	return len(q.Kinds) == 0 && q.By == "" && q.Ref == "" && q.From.IsZero() && q.To.IsZero()
}

// String writes the period as typed: 2015, 2015-06 or 2015-06-01.
func (p Period) String() string {
	switch {
	case p.Day > 0:
		return fmt.Sprintf("%04d-%02d-%02d", p.Year, p.Month, p.Day)
	case p.Month > 0:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// numberKey returns, for a word or phrase that is one number written in groups (a
// phone number, a CNIC), the term a text holds for it however written: the last of
// its terms (E.164 digits for a phone number, else its digits joined); "" otherwise.
func numberKey(text string, terms []Term) string {
	if strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) }) >= 0 {
		return ""
	}
	last := terms[len(terms)-1]
	if !allDigits(last.Key) || len(terms) == 1 {
		return ""
	}
	digits := 0
	for _, t := range terms {
		if t.Start != last.Start || t.End != last.End {
			digits += len(t.Key)
		}
	}
	if digits < minNumberDigits && len(last.Key) < minNumberDigits {
		return ""
	}
	return last.Key
}

var filterNames = []string{"kind", "by", "from", "to", "ref"}

func (q *Query) setFilter(name, value string, kinds []string) error {
	if value == "" {
		return queryErr("%s: give a value after the colon, such as %s", name, filterExample(name))
	}
	switch name {
	case "kind":
		v := strings.ToLower(value)
		for _, k := range kinds {
			if k == v {
				q.Kinds = append(q.Kinds, v)
				return nil
			}
		}
		return queryErr("kind:%s: not a kind of record; use one of %s", value, strings.Join(kinds, ", "))
	case "by":
		if q.By != "" {
			return queryErr("by: given twice; search one person's records at a time")
		}
		q.By = value
	case "ref":
		if q.Ref != "" {
			return queryErr("ref: given twice")
		}
		q.Ref = value
	case "from", "to":
		p, err := parsePeriod(value)
		if err != nil {
			return queryErr("%s:%s: %v", name, value, err)
		}
		if name == "from" {
			q.From = p
		} else {
			q.To = p
		}
	}
	return nil
}

func filterExample(name string) string {
	switch name {
	case "kind":
		return "kind:statement"
	case "by":
		return "by:V-0007"
	case "ref":
		return "ref:S-12"
	}
	return name + ":2015-06-01"
}

// parsePeriod reads 2015, 2015-06 or 2015-06-01.
func parsePeriod(s string) (Period, error) {
	const want = "write a date as 2015-06-01, a month as 2015-06 or a year as 2015"
	layouts := []struct {
		layout string
		parts  int
	}{{"2006-01-02", 3}, {"2006-01", 2}, {"2006", 1}}
	for _, l := range layouts {
		if len(s) != len(l.layout) {
			continue
		}
		t, err := time.Parse(l.layout, s)
		if err != nil {
			return Period{}, fmt.Errorf("not a real date; %s", want)
		}
		p := Period{Year: t.Year()}
		if l.parts > 1 {
			p.Month = int(t.Month())
		}
		if l.parts > 2 {
			p.Day = t.Day()
		}
		if p.Year < 1900 {
			return Period{}, fmt.Errorf("a year before 1900; %s", want)
		}
		return p, nil
	}
	return Period{}, fmt.Errorf("not a date; %s", want)
}

// queryToken is one piece of a query as split.
type queryToken struct {
	text   string
	filter string // the filter's name, for name:value
	quoted bool
	not    bool
	prefix bool
}

// splitQuery splits a query at white space outside quotes.
func splitQuery(s string) ([]queryToken, error) {
	var out []queryToken
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		t := queryToken{}
		if s[i] == '-' && i+1 < len(s) && !isSpaceAt(s, i+1) {
			t.not = true
			i++
		}
		// name:value, where name is a word of ASCII letters.
		if j := strings.IndexByte(s[i:], ':'); j > 0 && isFilterName(s[i:i+j]) {
			name := strings.ToLower(s[i : i+j])
			if !contains(filterNames, name) {
				return nil, queryErr("%s: is not a filter; use kind:, by:, from:, to: or ref: (or put the word in quotes)", s[i:i+j])
			}
			if t.not {
				return nil, queryErr("-%s: a filter cannot be excluded", name)
			}
			t.filter = name
			i += j + 1
		}
		if i < len(s) && (s[i] == '"' || strings.HasPrefix(s[i:], "“")) {
			open := 1
			if s[i] != '"' {
				open = len("“")
			}
			end := strings.IndexAny(s[i+open:], "\"”")
			if end < 0 {
				return nil, queryErr("a quotation mark is not closed: %s", clip(s[i:]))
			}
			t.text, t.quoted = s[i+open:i+open+end], true
			i += open + end
			_, closeSize := utf8.DecodeRuneInString(s[i:])
			i += closeSize
		} else {
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r) {
					break
				}
				if r == '"' || r == '“' || r == '”' {
					return nil, queryErr("a quotation mark inside a word: %s; put the whole phrase in quotes", clip(s[i:]))
				}
				j += size
			}
			t.text = s[i:j]
			i = j
		}
		if t.filter == "" && strings.HasSuffix(t.text, "*") {
			t.text, t.prefix = strings.TrimRight(t.text, "*"), true
		} else if t.filter == "" && i < len(s) && s[i] == '*' && t.quoted {
			t.prefix = true
			i++
		}
		out = append(out, t)
	}
	return out, nil
}

// joinNumberGroups joins plain words of digits typed next to each other (+92 300
// 1234567) into one number.
func joinNumberGroups(toks []queryToken) []queryToken {
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if plainNumber(t) {
			j := i
			for j+1 < len(toks) && plainNumber(toks[j+1]) && !strings.HasPrefix(toks[j+1].text, "+") {
				j++
			}
			if j > i {
				parts := make([]string, 0, j-i+1)
				for _, p := range toks[i : j+1] {
					parts = append(parts, p.text)
				}
				t.text = strings.Join(parts, " ")
				i = j
			}
		}
		out = append(out, t)
	}
	return out
}

func plainNumber(t queryToken) bool {
	if t.filter != "" || t.quoted || t.not || t.prefix || t.text == "" {
		return false
	}
	for i, r := range t.text {
		if !(unicode.IsDigit(r) || r == '-' || r == '.' || (r == '+' && i == 0)) {
			return false
		}
	}
	return true
}

func isFilterName(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

func clip(s string) string { return Clip(s, 40) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
