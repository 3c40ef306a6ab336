// Key is the spelling level of the package: one folded word becomes its search keys.
//
// The table Key reads is variants.txt, embedded in the package. Its format, byte for
// byte:
//
//   - The file is UTF-8. Lines end in LF; a CR before the LF is dropped.
//   - A '#' and everything after it on its line is a comment.
//   - Spaces (U+0020) and tabs (U+0009) at either end of what is left are dropped;
//     a line left empty is skipped.
//   - Every other line is one row: the canonical name, a ':', then the forms of the
//     row. The canonical is the text before the first ':', trimmed of spaces and tabs;
//     the forms are the text after it, split on runs of spaces and tabs. A line
//     without a ':' is an error. A row may list no form: its canonical is one anyway.
//   - The canonical must be written in Latin letters; its key is its spelling form
//     (Fold, then the Latin spelling rule of Key): "muhammad" keys as "muhamad".
//   - Each form is one word in Latin or Urdu script: letters and digits once folded.
//     A form that folds to nothing, to several words, or to ASCII digits with or
//     without letters (which Key never looks up) is an error.
//     At load a form is folded and, when it is Latin (a–z once folded), reduced to
//     its spelling form, so Hussain and husain are the same form.
//   - A form (folded and reduced) in two rows is an error, and so are two rows with
//     one key: the canonical's key counts as a form of its row.
//
// Key looks words up by their folded, reduced form; Variants lists a row's forms as
// the file writes them.
package names

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed variants.txt
var variantsTxt string

// rulesVersion names the rules of Key (and of Fold, which Key relies on). Change it
// with any change of either that can change a key: Version changes with it, and
// indexes built under the old version must be rebuilt.
const rulesVersion = "caseroom names key rules 2"

// Version identifies the table and the rules that make keys: the first 16 hex digits
// of the SHA-256 of the rules version, a zero byte and variants.txt. Keys made under
// one version are comparable only with keys made under the same version: an index
// built under another version must be rebuilt.
func Version() string { return version() }

var version = sync.OnceValue(func() string { return versionOf(rulesVersion, variantsTxt) })

// versionOf is Version for the given rules version and table.
func versionOf(rules, table string) string {
	h := sha256.New()
	h.Write([]byte(rules))
	h.Write([]byte{0})
	h.Write([]byte(table))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Key returns the search keys of one folded word (a Word.Folded), in order:
//
//  1. A Latin word (a–z) is reduced to its spelling form: ee becomes i, oo becomes u,
//     then every doubled letter is written once (hussain is husain, pappu is papu,
//     fareed is farid, mahmood is mahmud). A word of digits only, and a word of
//     ASCII letters and digits (v0007), is its own key, never changed or split.
//  2. A word whose form (folded, and for Latin reduced) is in the table of
//     variants.txt has the key of the table's row: Mohd, Muhammad and محمد all key as
//     muhamad. An Urdu-script word not in the table is its own key, and so is a word
//     of another script.
//  3. A word that is not in the table as a whole and ends in a place suffix (Latin
//     wala, wali, wal, pur, pura, kot, abad, nagar, garh; Urdu والا, والی, وال, پور,
//     پورہ, کوٹ, اباد (Fold writes آباد so), نگر, گڑھ) after a stem of at least 3
//     letters is split into stem and suffix: khanwala and خانوالا key as khan, wala,
//     as Khan Wala does. A word that begins with abdul, abdur, abdus, ghulam or
//     allah (Urdu عبدال, غلام, اللہ) followed by at least 3 letters is split after
//     it: abdulrasheed keys as abdul, rashid. An abdur or abdus before a vowel
//     shares its r or s with the rest (abdurahman is abdul, rahman). Each part is
//     keyed again by these rules, so khanwalapur is khan, wala, pur. A Latin word is
//     tried for a split as written and then in its spelling form.
//  4. An Urdu word that begins with the article ال before at least 3 letters which
//     are in the table as a whole has their key (الرشید, as in عبد الرشید, is rashid).
//
// A word the table lists whole is never split (talpur stays talpur). Keys contain
// only letters and digits. Keying is idempotent: Key(k) is [k] for every k that Key
// returns. Key returns nothing for an empty word. A string that is not a folded word
// is folded and split into words first, so any string gives letter-and-digit keys.
func Key(folded string) []string { return AppendKeys(nil, folded) }

// AppendKeys appends the keys of one folded word, as Key returns them, to dst and
// returns the extended slice. With room in dst it allocates only when a key is a new
// string: the spelling form of a Latin word outside the table that has a doubled
// letter (the), or the rest of abdurahman. A word in the table, a Latin word its
// spelling form leaves as it is and a folded Urdu word allocate nothing.
func AppendKeys(dst []string, folded string) []string {
	t := shipped()
	switch asciiKind(folded) {
	case kindEmpty:
		return dst
	case kindLatin:
		return t.appendLatin(dst, folded)
	case kindDigits, kindASCIIMixed:
		return append(dst, folded)
	}
	if t.isFoldedWord(folded) {
		return t.appendScript(dst, folded)
	}
	for _, w := range strings.FieldsFunc(Fold(folded), notWordRune) {
		dst = t.appendWord(dst, w)
	}
	return dst
}

// Variants returns the key and every written form of its row of variants.txt, Latin
// and Urdu script, as the file writes them: the key first, then the row's canonical
// and its forms in the file's order, each once. It returns nil for a string that is
// not the key of a row (pass a key that Key returned: Variants("husain"), not
// Variants("Hussain")). The slice is the caller's.
func Variants(key string) []string {
	r, ok := shipped().rows[key]
	if !ok {
		return nil
	}
	out := make([]string, 0, 1+len(r.written))
	out = append(out, key)
	for _, w := range r.written {
		if w != key {
			out = append(out, w)
		}
	}
	return out
}

// table is variants.txt loaded.
type table struct {
	// keys maps a form (folded; Latin forms in their spelling form) to its row's key.
	keys map[string]string
	// rows maps a key to its row.
	rows map[string]*row
	// order holds the rows in the file's order.
	order []*row
	// foldFixed marks the letters of the Arabic block (U+0600–U+06FF) that Fold
	// leaves as they are.
	foldFixed [0x100]bool
}

// row is one row of variants.txt.
type row struct {
	key  string
	line int
	// written holds the canonical and the forms as the file writes them, each once.
	written []string
}

// shipped is the table of the embedded variants.txt. A broken shipped table is a
// defect of the package, which TestShippedTableLoads reports; it panics here rather
// than key words by half a table.
var shipped = sync.OnceValue(func() *table {
	t, err := parseTable(variantsTxt)
	if err != nil {
		panic(fmt.Sprintf("names: the embedded table is broken: %v", err))
	}
	return t
})

// parseTable loads a table in the format of variants.txt (see the file comment of
// key.go). Errors name the line.
func parseTable(src string) (*table, error) {
	t := &table{keys: make(map[string]string), rows: make(map[string]*row)}
	for r := rune(0x600); r <= 0x6ff; r++ {
		s := string(r)
		t.foldFixed[r-0x600] = !notWordRune(r) && Fold(s) == s
	}
	lineOf := make(map[string]int) // form → line of its row, for conflict messages
	for n, line := range strings.Split(src, "\n") {
		n++
		line = strings.TrimSuffix(line, "\r")
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.Trim(line, " \t")
		if line == "" {
			continue
		}
		canonical, rest, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("variants.txt line %d: %q has no ':' after the canonical name", n, line)
		}
		canonical = strings.Trim(canonical, " \t")
		key := Fold(canonical)
		if key == "" || asciiKind(key) != kindLatin {
			return nil, fmt.Errorf("variants.txt line %d: canonical %q must be one word in Latin letters a-z", n, canonical)
		}
		key = string(spellingForm(nil, key))
		r := &row{key: key, line: n}
		written := []string{canonical}
		written = append(written, strings.FieldsFunc(rest, func(c rune) bool { return c == ' ' || c == '\t' })...)
		for _, w := range written {
			form, err := tableForm(w)
			if err != nil {
				return nil, fmt.Errorf("variants.txt line %d: %w", n, err)
			}
			if at, dup := lineOf[form]; dup {
				if at == n {
					r.written = appendOnce(r.written, w)
					continue
				}
				return nil, fmt.Errorf("variants.txt line %d: form %q (%s) is already in the row of line %d (%s): a form belongs to one row", n, w, form, at, t.keys[form])
			}
			lineOf[form] = n
			t.keys[form] = key
			r.written = appendOnce(r.written, w)
		}
		t.rows[key] = r
		t.order = append(t.order, r)
	}
	return t, nil
}

// tableForm returns a written form of the table as Key looks it up.
func tableForm(w string) (string, error) {
	f := Fold(w)
	if f == "" || strings.IndexFunc(f, notWordRune) >= 0 {
		return "", fmt.Errorf("form %q must fold to one word of letters and digits (it folds to %q)", w, f)
	}
	switch asciiKind(f) {
	case kindLatin:
		return string(spellingForm(nil, f)), nil
	case kindDigits, kindASCIIMixed:
		return "", fmt.Errorf("form %q is digits or ASCII letters with digits, which Key never changes", w)
	}
	return f, nil
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// appendWord appends the keys of w, a folded word of letters and digits.
func (t *table) appendWord(dst []string, w string) []string {
	switch asciiKind(w) {
	case kindEmpty:
		return dst
	case kindLatin:
		return t.appendLatin(dst, w)
	case kindDigits, kindASCIIMixed:
		return append(dst, w)
	}
	return t.appendScript(dst, w)
}

// appendLatin appends the keys of w, a word of a–z.
func (t *table) appendLatin(dst []string, w string) []string {
	if !hasDoubled(w) {
		// w is its own spelling form.
		if k, ok := t.keys[w]; ok {
			return append(dst, k)
		}
		if a, b, ok := splitLatin(w); ok {
			return t.appendWord(t.appendWord(dst, a), b)
		}
		return append(dst, w)
	}
	var buf [64]byte
	form := spellingForm(buf[:0], w)
	if k, ok := t.keys[string(form)]; ok {
		return append(dst, k)
	}
	if a, b, ok := splitLatin(w); ok {
		return t.appendWord(t.appendWord(dst, a), b)
	}
	f := string(form)
	if a, b, ok := splitLatin(f); ok {
		return t.appendWord(t.appendWord(dst, a), b)
	}
	return append(dst, f)
}

// hasDoubled reports whether w has a letter twice in a row, so that its spelling
// form differs from it (ee and oo are doubled letters too).
func hasDoubled(w string) bool {
	for i := 1; i < len(w); i++ {
		if w[i] == w[i-1] {
			return true
		}
	}
	return false
}

// appendScript appends the keys of w, a folded word that is not ASCII.
func (t *table) appendScript(dst []string, w string) []string {
	if k, ok := t.keys[w]; ok {
		return append(dst, k)
	}
	if a, b, ok := splitScript(w); ok {
		return t.appendWord(t.appendWord(dst, a), b)
	}
	if rest, ok := strings.CutPrefix(w, urduArticle); ok && utf8.RuneCountInString(rest) >= minPart {
		if k, ok := t.keys[rest]; ok {
			return append(dst, k)
		}
	}
	return append(dst, w)
}

// minPart is the fewest letters of the stem before a place suffix, and of the rest
// after a name prefix, that Key splits off.
const minPart = 3

// The place suffixes and name prefixes that Key splits off. No suffix ends another
// (pura ends in ura, not pur), and no prefix begins another, so at most one of each
// list fits a word and their order does not matter. Each is in the table, its Latin
// and Urdu writings in one row.
var (
	latinSuffixes = []string{"nagar", "abad", "garh", "pura", "wala", "wali", "pur", "kot", "wal"}
	latinPrefixes = []string{"ghulam", "abdul", "abdur", "abdus", "allah"}
	urduSuffixes  = []string{"پورہ", "والا", "والی", "اباد", "گڑھ", "نگر", "کوٹ", "وال", "پور"}
	urduPrefixes  = []string{"عبدال", "غلام", "اللہ"}
)

// urduArticle is the Arabic article al as Urdu writes it inside names.
const urduArticle = "ال"

// The affixes by the last byte of a suffix and the first byte of a prefix: most
// words end and begin with a byte no affix has, and are passed after one look-up.
var (
	latinSuffixesByLast  = byLastByte(latinSuffixes)
	latinPrefixesByFirst = byFirstByte(latinPrefixes)
	urduSuffixesByLast   = byLastByte(urduSuffixes)
	urduPrefixesByFirst  = byFirstByte(urduPrefixes)
)

func byLastByte(affixes []string) *[256][]string {
	var by [256][]string
	for _, a := range affixes {
		by[a[len(a)-1]] = append(by[a[len(a)-1]], a)
	}
	return &by
}

func byFirstByte(affixes []string) *[256][]string {
	var by [256][]string
	for _, a := range affixes {
		by[a[0]] = append(by[a[0]], a)
	}
	return &by
}

// splitLatin splits a Latin word (a–z) into stem and place suffix, or into name
// prefix and rest; ok is false when neither applies.
func splitLatin(w string) (a, b string, ok bool) {
	if len(w) <= minPart {
		return "", "", false
	}
	for _, s := range latinSuffixesByLast[w[len(w)-1]] {
		if len(w) >= len(s)+minPart && strings.HasSuffix(w, s) {
			return w[:len(w)-len(s)], s, true
		}
	}
	for _, p := range latinPrefixesByFirst[w[0]] {
		if len(w) >= len(p)+minPart && strings.HasPrefix(w, p) {
			rest := w[len(p):]
			// abd-ur-rahman and abd-us-sattar double the letter after the article;
			// written with it once (abdurahman), the r or s belongs to both parts.
			if (p == "abdur" || p == "abdus") && isVowel(rest[0]) {
				rest = p[len(p)-1:] + rest
			}
			return p, rest, true
		}
	}
	return "", "", false
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// splitScript splits a non-ASCII folded word into stem and Urdu place suffix, or into
// Urdu name prefix and rest; ok is false when neither applies.
func splitScript(w string) (a, b string, ok bool) {
	for _, s := range urduSuffixesByLast[w[len(w)-1]] {
		if strings.HasSuffix(w, s) && utf8.RuneCountInString(w[:len(w)-len(s)]) >= minPart {
			return w[:len(w)-len(s)], s, true
		}
	}
	for _, p := range urduPrefixesByFirst[w[0]] {
		if strings.HasPrefix(w, p) && utf8.RuneCountInString(w[len(p):]) >= minPart {
			return p, w[len(p):], true
		}
	}
	return "", "", false
}

// spellingForm appends the Latin spelling form of w (a–z) to dst: ee is i, oo is u,
// then a letter written twice or more in a row is written once. The spelling form of
// a spelling form is itself: no ee, oo or doubled letter is left.
func spellingForm(dst []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if (c == 'e' || c == 'o') && i+1 < len(w) && w[i+1] == c {
			if c == 'e' {
				c = 'i'
			} else {
				c = 'u'
			}
			i++
		}
		if n := len(dst); n > 0 && dst[n-1] == c {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// The kinds of word by their ASCII bytes.
const (
	kindEmpty      = iota
	kindLatin      // a–z only
	kindDigits     // 0–9 only
	kindASCIIMixed // a–z and 0–9
	kindOther      // anything else
)

// asciiKind tells a word of ASCII lower-case letters, of digits, or of both, from
// anything else.
func asciiKind(w string) int {
	if w == "" {
		return kindEmpty
	}
	letters, digits := false, false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case 'a' <= c && c <= 'z':
			letters = true
		case '0' <= c && c <= '9':
			digits = true
		default:
			return kindOther
		}
	}
	switch {
	case letters && digits:
		return kindASCIIMixed
	case digits:
		return kindDigits
	}
	return kindLatin
}

// isFoldedWord reports whether w is sure to be a folded word of letters and digits,
// as Words gives it: a–z, 0–9 and the letters of the Arabic block that Fold leaves as
// they are. Fold has no rule that joins or changes such letters in sequence (NFC
// composes a letter only with a mark, and marks are not among them), so a word of
// them needs no folding. Any other word is folded again by AppendKeys.
func (t *table) isFoldedWord(w string) bool {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if r < 0x600 || r > 0x6ff || !t.foldFixed[r-0x600] {
			return false
		}
		i += size
	}
	return true
}
