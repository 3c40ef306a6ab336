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

// minNumberDigits is the fewest digits a number in groups needs to gain a joined term:
// fewer are dates and amounts rather than phone numbers or CNICs.
const minNumberDigits = 7

// Terms returns the terms of text in order.
func (a Analyzer) Terms(text string) []Term {
	words := names.Words(text)
	out := make([]Term, 0, len(words)+len(words)/8)
	for i := 0; i < len(words); i++ {
		w := words[i]
		for _, k := range names.Key(w.Folded) {
			out = append(out, Term{Key: k, Start: w.Start, End: w.End})
		}
		if !allDigits(w.Folded) {
			continue
		}
		// A run of digit groups joined by single separators: a number in groups.
		j := i
		for j+1 < len(words) && allDigits(words[j+1].Folded) && groupSeparator(text[words[j].End:words[j+1].Start]) {
			j++
		}
		if j == i && len(w.Folded) < minNumberDigits {
			continue
		}
		for k := i + 1; k <= j; k++ {
			for _, key := range names.Key(words[k].Folded) {
				out = append(out, Term{Key: key, Start: words[k].Start, End: words[k].End})
			}
		}
		out = append(out, a.numberTerms(text, words[i:j+1])...)
		i = j
	}
	return out
}

// numberTerms returns the extra terms of a number written in the groups ws: its digits
// joined, if it has several groups, and its E.164 digits if it is a full phone number
// of another form.
func (a Analyzer) numberTerms(text string, ws []names.Word) []Term {
	start, end := ws[0].Start, ws[len(ws)-1].End
	var joined strings.Builder
	for _, w := range ws {
		joined.WriteString(w.Folded)
	}
	digits := joined.String()
	if len(digits) < minNumberDigits {
		return nil
	}
	var out []Term
	if len(ws) > 1 {
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
	if n, ok := phone.Normalise(raw, region); ok && n.Full {
		if e := strings.TrimPrefix(n.E164, "+"); e != digits {
			out = append(out, Term{Key: e, Start: start, End: end})
		}
	}
	return out
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
