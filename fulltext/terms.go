// Package fulltext turns the texts of a case and the queries of its members into the
// terms of the search index, and renders what was found: the terms of a text, the
// query language, and highlighted snippets. It is the one place where indexing and
// querying meet, so that both see a text the same way; the stores (SQLite FTS5 and
// PostgreSQL tsvector) only hold and match the terms it writes.
//
// # Terms
//
// A text's terms are, in order, the keys of its words (names.Words, names.Key): each
// word folded (Unicode forms, case, Arabic-script variants, marks, digits), its
// Roman-Urdu spelling reduced, looked up in the transliteration table, and compounds
// split, so "Husain Khan Wala", "Hussain Khanwala" and "حسین خانوالا" have the same
// terms. A number written in groups (0300-1234567, 35202-1234567-1, +92 300 1234567)
// is followed by one more term, its digits joined, and another, its E.164 digits, when
// it is a phone number of the case's country: a number is found however it is written.
//
// A term is stored as its key when the key is ASCII letters and digits; any other key
// (Urdu script, accents Fold keeps) is stored as "_" and the hexadecimal of its UTF-8
// bytes, so that both engines' own tokenizers see only [a-z0-9_] and cannot split or
// fold a term differently. Hex keeps prefixes: a prefix query on Urdu words works.
package fulltext

import (
	"encoding/hex"
	"strings"
	"sync"

	"caseroom/names"
	"caseroom/phone"
)

// Term is one term of a text with the span of the text it stands for.
type Term struct {
	// Key is the term as matched (see Stored for the form the index holds).
	Key string
	// Start and End are byte offsets of the word (or number) in the text.
	Start, End int
}

// Analyzer writes texts as terms. Region is the ISO 3166-1 alpha-2 country of the
// case, for phone numbers written without their country code ("" means PK).
type Analyzer struct {
	Region string
}

// minNumberDigits is the fewest digits a number needs to gain its extra terms: fewer
// are dates and amounts rather than phone numbers or CNICs.
const minNumberDigits = 7

// Terms returns the terms of text in order.
func (a Analyzer) Terms(text string) []Term {
	spans := names.Spans(text)
	out := make([]Term, 0, len(spans)+len(spans)/8)
	// Words repeat: each distinct word is folded and keyed once.
	memo := make(map[string][]string, 256)
	keysOf := func(sp [2]int) []string {
		raw := text[sp[0]:sp[1]]
		if ks, ok := memo[raw]; ok {
			return ks
		}
		var ks []string
		for _, f := range names.FoldWord(raw) {
			ks = names.AppendKeys(ks, f)
		}
		memo[raw] = ks
		return ks
	}
	number := func(ks []string) bool { return len(ks) == 1 && allDigits(ks[0]) }
	for i := 0; i < len(spans); i++ {
		ks := keysOf(spans[i])
		for _, k := range ks {
			out = append(out, Term{Key: k, Start: spans[i][0], End: spans[i][1]})
		}
		if !number(ks) {
			continue
		}
		// A run of digit groups joined by single separators: a number in groups.
		groups := []string{ks[0]}
		j := i
		for j+1 < len(spans) && groupSeparator(text[spans[j][1]:spans[j+1][0]]) {
			next := keysOf(spans[j+1])
			if !number(next) {
				break
			}
			j++
			groups = append(groups, next[0])
			out = append(out, Term{Key: next[0], Start: spans[j][0], End: spans[j][1]})
		}
		// A number in groups begins with a group of three digits or more, or with a +:
		// 12 08 2015 is a date.
		plus := spans[i][0] > 0 && text[spans[i][0]-1] == '+'
		if (j == i && len(ks[0]) < minNumberDigits) || (j > i && len(ks[0]) < 3 && !plus) {
			i = j
			continue
		}
		out = append(out, a.numberTerms(text, spans[i][0], spans[j][1], groups)...)
		i = j
	}
	return out
}

// numberTerms returns the extra terms of a number written in groups from start to end: its digits
// joined, if it has several groups, and its E.164 digits if it is a full phone number
// of another form.
func (a Analyzer) numberTerms(text string, start, end int, groups []string) []Term {
	digits := strings.Join(groups, "")
	if len(digits) < minNumberDigits {
		return nil
	}
	var out []Term
	if len(groups) > 1 {
		out = append(out, Term{Key: digits, Start: start, End: end})
	}
	raw := digits
	if start > 0 && text[start-1] == '+' {
		raw = "+" + digits
	}
	region := a.Region
	if region == "" {
		region = phone.DefaultRegion
	}
	if e := e164Digits(raw, region); e != "" && e != digits {
		out = append(out, Term{Key: e, Start: start, End: end})
	}
	return out
}

// e164Cache remembers the E.164 digits of numbers seen ("" for none): a case's texts
// name the same numbers again and again, and libphonenumber's parse costs tens of
// microseconds. It is emptied when full.
var e164Cache = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

const e164CacheSize = 1 << 16

// e164Digits returns the E.164 digits (without +) of a full phone number of region, or "".
func e164Digits(raw, region string) string {
	key := region + ":" + raw
	e164Cache.Lock()
	e, ok := e164Cache.m[key]
	e164Cache.Unlock()
	if ok {
		return e
	}
	if n, ok := phone.Normalise(raw, region); ok && n.Full {
		e = strings.TrimPrefix(n.E164, "+")
	}
	e164Cache.Lock()
	if len(e164Cache.m) >= e164CacheSize {
		clear(e164Cache.m)
	}
	e164Cache.m[key] = e
	e164Cache.Unlock()
	return e
}

// groupSeparator reports whether between two digit groups stands one separator a
// number is written with: a space, a dash, a dot or a slash.
func groupSeparator(s string) bool {
	return s == " " || s == "-" || s == "." || s == "/" || s == "\u00a0"
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Stored returns a key as the index holds it: itself if it is ASCII lower-case
// letters and digits, else "_" and the hex of its bytes.
func Stored(key string) string {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return "_" + hex.EncodeToString([]byte(key))
		}
	}
	return key
}

// MaxChunkTerms is the most terms one stored chunk of a text holds; a longer text is
// stored in chunks that overlap by ChunkOverlap terms, so that a phrase of up to that
// many words is found where two chunks meet. PostgreSQL keeps positions only up to
// 16,383 in a tsvector; chunks keep every position exact on both stores.
const (
	MaxChunkTerms = 8000
	ChunkOverlap  = 32
)

// Chunks splits stored terms into the chunks the index holds (one for most texts).
func Chunks(stored []string) [][]string {
	if len(stored) <= MaxChunkTerms {
		return [][]string{stored}
	}
	var out [][]string
	for start := 0; ; start += MaxChunkTerms - ChunkOverlap {
		end := min(start+MaxChunkTerms, len(stored))
		out = append(out, stored[start:end])
		if end == len(stored) {
			return out
		}
	}
}
