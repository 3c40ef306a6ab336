package fulltext

import (
	"html"
	"strings"
	"unicode/utf8"
)

// SnippetWords is about how many words a snippet shows.
const SnippetWords = 28

// snippetLead is how many words a snippet shows before its first match.
const snippetLead = 8

// snippetScan bounds the part of a text a snippet is looked for in.
const snippetScan = 256 << 10

// Withheld is what a snippet shows in place of a word the reader may not see.
const Withheld = "[withheld]"

// Snippet returns the part of text where the query's keys are densest, about
// SnippetWords words long, as HTML: escaped, each matching word in <mark>…</mark>, a
// word that hide says is withheld written as Withheld, and "…" where the text is cut.
// match and hide are given each term's key; hide may be nil. A text with no matching
// word gives its beginning.
func (a Analyzer) Snippet(text string, match, hide func(key string) bool) string {
	// A snippet is found in the first snippetScan bytes of a long text.
	if len(text) > snippetScan {
		text = Clip(text, snippetScan)
	}
	terms := a.Terms(text)
	if len(terms) == 0 {
		return html.EscapeString(Clip(text, 200))
	}
	// The words (by span) and whether each matches or is hidden.
	type word struct {
		start, end  int
		match, hide bool
	}
	var words []word
	for _, t := range terms {
		m, h := match(t.Key), hide != nil && hide(t.Key)
		if n := len(words); n > 0 && words[n-1].start == t.Start {
			words[n-1].match = words[n-1].match || m
			words[n-1].hide = words[n-1].hide || h
			continue
		}
		if n := len(words); n > 0 && t.Start < words[n-1].end {
			// A number's extra term spans words already listed: it marks them.
			for i := n - 1; i >= 0 && words[i].start >= t.Start; i-- {
				words[i].match = words[i].match || m
			}
			continue
		}
		words = append(words, word{start: t.Start, end: t.End, match: m, hide: h})
	}
	// The window of SnippetWords words with the most matches, earliest first.
	best, bestAt, run := -1, 0, 0
	for i := range words {
		if words[i].match {
			run++
		}
		if i >= SnippetWords && words[i-SnippetWords].match {
			run--
		}
		if run > best {
			best, bestAt = run, max(0, i-SnippetWords+1)
		}
	}
	// Begin a few words before the window's first match.
	first := bestAt
	for first < len(words) && first < bestAt+SnippetWords && !words[first].match {
		first++
	}
	if first == len(words) || first == bestAt+SnippetWords {
		first = 0
	}
	from := max(0, first-snippetLead)
	to := min(len(words), from+SnippetWords)
	var b strings.Builder
	start := words[from].start
	if from > 0 {
		b.WriteString("… ")
	} else {
		start = 0
	}
	at := start
	for _, w := range words[from:to] {
		b.WriteString(html.EscapeString(text[at:w.start]))
		switch {
		case w.hide:
			b.WriteString(Withheld)
		case w.match:
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(text[w.start:w.end]))
			b.WriteString("</mark>")
		default:
			b.WriteString(html.EscapeString(text[w.start:w.end]))
		}
		at = w.end
	}
	if to < len(words) {
		b.WriteString(" …")
	} else {
		b.WriteString(html.EscapeString(text[at:]))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Clip returns s cut to at most n bytes at a rune boundary, with an ellipsis if cut.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
