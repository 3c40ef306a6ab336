// Package hashsets reads known-hash sets, the lists of hashes and categories that national
// and international databases publish so that seized files can be matched without anyone
// viewing them, and writes a case's hashes in the same form. It handles hashes and
// categories only, never media.
//
// Two formats are read, both streamed one entry at a time:
//
//   - Project VIC VICS JSON (ReadVICS), an OData feed. VICS 1.x names its data model in
//     "odata.metadata", VICS 2.0 in "@odata.context"; either way the root object's "value"
//     array holds Media objects:
//
//     {"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media",
//     "value": [{"MediaID": 1, "Category": 1, "MD5": "…", "SHA1": "…", "MediaSize": 2835,
//     "AlternativeHashes": [{"HashName": "PDQ", "HashValue": "…"}]}]}
//
//     Some exports nest Media in Case objects instead ("value": [{"CaseID": …, "Media":
//     [...]}]); an element of "value" that has a "Media" array is read as such a Case.
//
//   - CSV with a header row (ReadCSV): columns md5, sha1, sha256, pdq and category.
//
// Read tells the two apart by the first byte. WriteVICS writes VICS 2.0.
//
// Every hash is checked (MD5 32, SHA-1 40, SHA-256 64, PDQ 64 hex characters) and kept
// as lowercase hex. An entry must carry at least one hash. Anything wrong in the input
// makes the reader stop and return a *caseroom.Error with code EINVALID whose message
// names the entry (VICS) or line and column (CSV) and the field. The callback has
// already seen the entries before the bad one, so a caller imports a whole set in one
// transaction and rolls it back on error: then bad input changes nothing.
package hashsets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"caseroom"
	"caseroom/pdq"
)

// Entry is one known hash set entry: the hashes of one file and what the set says about it.
type Entry struct {
	// MediaID is the set's identifier of the media (VICS MediaID, a number or a string
	// in the wild, kept as text); "" when absent and always "" from CSV.
	MediaID string
	// Category is the set's category as given ("0", "1", "2", or a letter in some
	// national sets); "" when absent.
	Category string
	// MD5, SHA1 and SHA256 are lowercase hex of 32, 40 and 64 characters, "" when absent.
	MD5, SHA1, SHA256 string
	// PDQ is the perceptual hash (VICS AlternativeHashes, CSV column pdq), nil when absent.
	PDQ *pdq.Hash
	// Size is the file's size in bytes (VICS MediaSize), 0 when absent.
	Size int64
	// VictimIdentified, OffenderIdentified and IsDistributed are the VICS flags, nil
	// when absent.
	VictimIdentified, OffenderIdentified, IsDistributed *bool
	// Series is the VICS series name, "" when absent.
	Series string
	// Line says where the entry was read: for CSV the 1-based line on which its record
	// starts (the header is line 1 of a file without leading blank lines); for VICS its
	// 1-based number among the Media objects of the file, counted across Cases, which
	// is the number error messages give.
	Line int
}

// Stats counts the entries a reader passed to its callback.
type Stats struct {
	Entries int // entries accepted
	MD5     int // entries with an MD5
	SHA1    int // entries with a SHA-1
	SHA256  int // entries with a SHA-256
	PDQ     int // entries with a PDQ hash
}

func (s *Stats) add(e *Entry) {
	s.Entries++
	if e.MD5 != "" {
		s.MD5++
	}
	if e.SHA1 != "" {
		s.SHA1++
	}
	if e.SHA256 != "" {
		s.SHA256++
	}
	if e.PDQ != nil {
		s.PDQ++
	}
}

// MaxEntryBytes bounds what a reader holds at once: a VICS entry (or any other JSON value
// in the file) or a CSV record longer than this is an error, so hostile input cannot make
// a reader buffer without limit.
const MaxEntryBytes = 1 << 20

// Names that Read returns for the format it found.
const (
	FormatVICS = "vics"
	FormatCSV  = "csv"
)

// Limits on the text fields; longer values are errors.
const (
	maxIDBytes       = 128
	maxCategoryBytes = 64
	maxSeriesBytes   = 1024
)

// Read reads a hash set in either format, telling them apart by the first byte that is
// not a byte order mark or white space: '{' (or '[', to say why it is not VICS) is VICS
// JSON, anything else CSV. It returns FormatVICS or FormatCSV, and otherwise behaves as
// ReadVICS or ReadCSV. Returns EINVALID for a file that is empty or only white space.
func Read(r io.Reader, fn func(Entry) error) (string, Stats, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	format, offset, err := sniff(br)
	switch {
	case err != nil:
		return "", Stats{}, err
	case format == "":
		return "", Stats{}, errEmpty
	case format == FormatVICS:
		stats, err := readVICS(br, fn, offset)
		return FormatVICS, stats, err
	}
	stats, err := readCSV(br, fn)
	return FormatCSV, stats, err
}

// sniff tells the format of the hash set in br apart as Read documents, reading past a
// byte order mark (offset is its length) and no further: FormatVICS, FormatCSV, or ""
// for a file that is empty or only white space. br must have Read's 64 KiB buffer, which
// is how far it looks.
func sniff(br *bufio.Reader) (format string, offset int64, err error) {
	offset, err = skipBOM(br)
	if err != nil {
		return "", 0, err
	}
	// Look without consuming: white space can matter to CSV (a tab before the first
	// column name). More than a buffer of white space is left for CSV to refuse.
	b, err := br.Peek(br.Size())
	if err != nil && err != io.EOF {
		return "", 0, fmt.Errorf("read hash set: %w", err)
	}
	i := bytes.IndexFunc(b, func(r rune) bool { return r != ' ' && r != '\t' && r != '\r' && r != '\n' })
	switch {
	case i < 0 && err == io.EOF:
		return "", offset, nil
	case i >= 0 && (b[i] == '{' || b[i] == '['):
		return FormatVICS, offset, nil
	}
	return FormatCSV, offset, nil
}

var errEmpty = caseroom.Errorf(caseroom.EINVALID, "the file is empty")

// skipBOM drops a UTF-8 byte order mark at the start of br and returns its length. It
// returns the reader's error here, as bufio would forget it.
func skipBOM(br *bufio.Reader) (int64, error) {
	b, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return 0, fmt.Errorf("read hash set: %w", err)
	}
	if string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
		return 3, nil
	}
	return 0, nil
}

// hexHash returns s, trimmed of surrounding space, as lowercase hex if it is n hex
// characters.
func hexHash(s string, n int) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != n {
		return "", false
	}
	b := []byte(s)
	for i, c := range b {
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			b[i] = c + ('a' - 'A')
		default:
			return "", false
		}
	}
	return string(b), true
}

// hexLen is the length in hex characters of each kind of hash, by the name messages use.
var hexLen = map[string]int{"MD5": 32, "SHA1": 40, "SHA256": 64, "PDQ": 64}

// parsePDQ reads a PDQ hash, trimmed of surrounding space.
func parsePDQ(s string) (*pdq.Hash, bool) {
	h, err := pdq.ParseHash(strings.TrimSpace(s))
	if err != nil {
		return nil, false
	}
	return &h, true
}

// checkText says what is wrong with a text field, or "" if nothing is.
func checkText(field, s string, max int) string {
	if len(s) > max {
		return fmt.Sprintf("%s is longer than %d bytes", field, max)
	}
	if !utf8.ValidString(s) {
		return fmt.Sprintf("%s %s is not valid UTF-8", field, quote(s))
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		return fmt.Sprintf("%s %s contains a control character", field, quote(s))
	}
	return ""
}

// quote quotes s for a message, cut short if long: input can be hostile.
func quote(s string) string {
	const max = 72
	if len(s) > max {
		return fmt.Sprintf("%q…", s[:max])
	}
	return fmt.Sprintf("%q", s)
}

// hasHash reports whether e carries at least one hash.
func (e *Entry) hasHash() bool {
	return e.MD5 != "" || e.SHA1 != "" || e.SHA256 != "" || e.PDQ != nil
}

// normalise checks e as VICSWriter needs it and returns it as ReadVICS would give it
// back (lowercase hex, text trimmed), or says what is wrong.
func normalise(e Entry) (Entry, string) {
	for _, f := range []struct {
		name string
		v    *string
	}{{"MD5", &e.MD5}, {"SHA1", &e.SHA1}, {"SHA256", &e.SHA256}} {
		if *f.v == "" {
			continue
		}
		h, ok := hexHash(*f.v, hexLen[f.name])
		if !ok {
			return e, fmt.Sprintf("%s %s is not %d hex characters", f.name, quote(*f.v), hexLen[f.name])
		}
		*f.v = h
	}
	e.MediaID = strings.TrimSpace(e.MediaID) // as ReadVICS trims them
	e.Category = strings.TrimSpace(e.Category)
	e.Series = strings.TrimSpace(e.Series)
	if p := checkText("MediaID", e.MediaID, maxIDBytes); p != "" {
		return e, p
	}
	if p := checkText("Category", e.Category, maxCategoryBytes); p != "" {
		return e, p
	}
	if p := checkText("Series", e.Series, maxSeriesBytes); p != "" {
		return e, p
	}
	if e.Size < 0 {
		return e, fmt.Sprintf("MediaSize %d is negative", e.Size)
	}
	if !e.hasHash() {
		return e, noHash
	}
	return e, ""
}

const noHash = "no hash; give at least one of MD5, SHA1, or SHA256 or PDQ in AlternativeHashes"

// entryError is the EINVALID error for a problem with VICS entry n.
func entryError(n int, mediaID, problem string) error {
	return caseroom.Errorf(caseroom.EINVALID, "%s%s", entryPrefix(n, mediaID), problem)
}

// entryPrefix is "entry 17 (MediaID 1234): ", the start of messages about an entry.
func entryPrefix(n int, mediaID string) string {
	if mediaID == "" {
		return fmt.Sprintf("entry %d: ", n)
	}
	return fmt.Sprintf("entry %d (MediaID %s): ", n, mediaID)
}
