// Package names normalises the names, words and places of a case as the people of
// the case write them, in Urdu script and in Latin script, so that two writings of
// the same word compare equal: the search index and its queries use it, and so does
// person matching. It imports nothing of the project.
//
// Fold is the script-level normalisation (Unicode forms, case, Arabic-script
// variants, marks, digits). Key adds the spelling level: Roman-Urdu spelling variants
// and the transliteration table of variants.txt, so that Hussain, Husain and حسین
// give one key where the table says they are one name.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

var folder = cases.Fold()

// Fold returns s normalised for comparison:
//
//   - format characters are dropped: zero-width space, non-joiner and joiner, the
//     direction marks and embeddings, word joiner, byte-order mark, soft hyphen, and
//     the Arabic tatweel (U+0640), which only stretches a word;
//   - NFKC, which also turns Arabic presentation forms (U+FB50–U+FEFF, as PDF
//     extraction leaves them) into letters, and full-width forms into ASCII;
//   - Unicode case folding;
//   - every combining mark is dropped after canonical decomposition: Latin accents
//     (é is e), Arabic harakat, shadda, sukun, superscript alef and Quranic marks,
//     and the hamza and madda that sit on a letter (أ إ آ are ا, ؤ is و, ئ is ی, ۓ is
//     ے, ۂ is ہ);
//   - Arabic letters are written as Urdu writes them: kaf ك is ک, yeh ي and alef
//     maksura ى are ی, heh ه, teh marbuta ة and ۃ, and ae ە are ہ, alef wasla ٱ is ا; ے, ھ, ں and the
//     retroflex letters stay, since each makes a different word;
//   - Arabic-Indic (٠–٩), Urdu/Persian (۰–۹) and Devanagari (०–९) digits are ASCII
//     digits.
//
// Fold is idempotent: Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	if isPlainLower(s) || isStable(s) {
		return s
	}
	if isASCII(s) {
		return strings.ToLower(s)
	}
	// NFKC of a presentation form or a ligature can make letters that fold further
	// (U+FDF2 is a ligature of allah with marks): passes repeat until nothing moves.
	out := foldOnce(s)
	for i := 0; i < 3 && !isPlainLower(out); i++ {
		again := foldOnce(out)
		if again == out {
			break
		}
		out = again
	}
	return out
}

// foldOnce is one pass of Fold.
func foldOnce(s string) string {
	s = norm.NFD.String(folder.String(norm.NFKC.String(strings.Map(dropFormat, s))))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) || dropFormat(r) < 0 {
			continue
		}
		b.WriteRune(foldLetter(r))
	}
	return norm.NFC.String(b.String())
}

// isPlainLower reports whether s is ASCII with no upper-case letter: Fold leaves it
// as it is.
func isPlainLower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// isStable reports whether Fold leaves s as it is because every character is a
// lower-case ASCII letter or digit or an Arabic-script letter Fold neither maps nor
// decomposes: most Urdu words, so that they skip the normalisation passes.
func isStable(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x80:
			if !('a' <= r && r <= 'z' || '0' <= r && r <= '9') {
				return false
			}
		case '\u0621' <= r && r <= '\u063a', '\u0641' <= r && r <= '\u064a',
			'\u0679' <= r && r <= '\u06bf', '\u06c1' == r, '\u06cc' == r, '\u06d2' == r:
			switch r {
			case 'آ', 'أ', 'ؤ', 'إ', 'ئ', 'ة', 'ك', 'ه', 'ى', 'ي':
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// dropFormat returns -1 for the characters Fold drops before anything else.
func dropFormat(r rune) rune {
	switch {
	case r == '\u0640', r == '\u00ad', r == '\ufeff',
		'\u200b' <= r && r <= '\u200f',
		'\u202a' <= r && r <= '\u202e',
		'\u2060' <= r && r <= '\u2064':
		return -1
	}
	return r
}

// foldLetter writes one Arabic-script letter or digit as Urdu and ASCII write it.
func foldLetter(r rune) rune {
	switch {
	case r == 'ك':
		return 'ک'
	case r == 'ٱ':
		return 'ا'
	case r == 'ي', r == 'ى', r == 'ې':
		return 'ی'
	case r == 'ه', r == 'ة', r == 'ۃ', r == 'ە':
		return 'ہ'
	case '٠' <= r && r <= '٩':
		return '0' + (r - '٠')
	case '۰' <= r && r <= '۹':
		return '0' + (r - '۰')
	case '०' <= r && r <= '९':
		return '0' + (r - '०')
	}
	return r
}

// Word is one word of a text: a run of letters, marks and digits (with the format
// characters Fold drops), as Words finds it.
type Word struct {
	// Start and End are the byte offsets of the word in the text.
	Start, End int
	// Folded is the word as Fold writes it.
	Folded string
}

// Words splits text into its words, in order, with their offsets. Anything that is
// not a letter, mark or digit separates words, except the format characters Fold drops
// (a zero-width non-joiner or a tatweel inside an Urdu word does not split it).
func Words(text string) []Word {
	var out []Word
	for _, sp := range Spans(text) {
		for _, f := range FoldWord(text[sp[0]:sp[1]]) {
			out = append(out, Word{Start: sp[0], End: sp[1], Folded: f})
		}
	}
	return out
}

// Spans returns the byte spans of the words of text, as Words finds them, without
// folding them.
func Spans(text string) [][2]int {
	out := make([][2]int, 0, len(text)/6)
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		var in bool
		size := 1
		if c < 0x80 {
			in = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			in = unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || (start >= 0 && dropFormat(r) < 0)
		}
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// FoldWord folds one word as Spans found it. It gives one folded word, none if
// nothing is left, or several where folding leaves a character that is not a word
// character (a ligature's parts, a fraction's slash) and the word falls apart there.
func FoldWord(raw string) []string {
	f := Fold(raw)
	if f == "" {
		return nil
	}
	if strings.IndexFunc(f, notWordRune) < 0 {
		return []string{f}
	}
	return strings.FieldsFunc(f, notWordRune)
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
