package hashsets

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"caseroom"
	"caseroom/internal/bounded"
)

// ReadVICS reads a Project VIC VICS JSON hash set from r and calls fn with each entry in
// file order, streaming: it holds one entry at a time, however large the file.
//
// The root object must name its data model in "odata.metadata" (VICS 1.x) or
// "@odata.context" (VICS 2.0) and hold a "value" array of Media objects, or of Case
// objects that hold a "Media" array of them. Of a Media object it reads MediaID,
// Category, MD5, SHA1, MediaSize, VictimIdentified, OffenderIdentified, IsDistributed,
// Series and AlternativeHashes ({"HashName": "PDQ" or "SHA256", "HashValue": hex}; other
// hash names, such as PhotoDNA, are ignored), matching names without regard to case, and
// ignores every other field. It tolerates a byte order mark, MediaID, Category and
// MediaSize given as numbers or strings, the flags as booleans or "true"/"false" strings
// in any case, hex in either case, surrounding space, and null or "" for an absent value.
// A hash given twice must be the same both times.
//
// Returns EINVALID, naming the entry (its 1-based number, and its MediaID once read)
// and the field, for anything else: JSON that is malformed or not shaped like VICS, a
// field of the wrong type, a hash of the wrong length, an entry without a hash or larger
// than MaxEntryBytes. An error from fn stops the reading and is returned as it is. Stats
// counts the entries fn accepted.
func ReadVICS(r io.Reader, fn func(Entry) error) (Stats, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	offset, err := skipBOM(br)
	if err != nil {
		return Stats{}, err
	}
	return readVICS(br, fn, offset)
}

// maxDepth bounds the nesting of the values a reader skips token by token, as
// encoding/json bounds what it decodes.
const maxDepth = 10000

// vicsReader reads one VICS file: its structure and keys token by token, each field's
// value whole.
type vicsReader struct {
	in    *bounded.Reader
	dec   *json.Decoder
	base  int64 // bytes before what the decoder reads (a byte order mark), for offsets
	fn    func(Entry) error
	stats Stats
	n     int    // entries read so far
	cur   int    // the entry being read, 0 between entries
	curID string // its MediaID, once read
}

func readVICS(r io.Reader, fn func(Entry) error, base int64) (Stats, error) {
	v := &vicsReader{in: &bounded.Reader{R: r}, base: base, fn: fn}
	v.dec = json.NewDecoder(v.in)
	v.dec.UseNumber()
	err := v.root()
	return v.stats, err
}

// notVICS is the error for a file that is JSON but not shaped like VICS.
func notVICS(format string, args ...any) error {
	return caseroom.Errorf(caseroom.EINVALID, "the file is not VICS JSON: "+format, args...)
}

func (v *vicsReader) root() error {
	v.resetLimit()
	tok, err := v.dec.Token()
	if err == io.EOF {
		return errEmpty
	} else if err != nil {
		return v.readError(err)
	}
	if tok != json.Delim('{') {
		return notVICS("the root must be an object, not %s", describe(tok))
	}
	model, sawValue := "", false
	for v.more() {
		key, err := v.key()
		if err != nil {
			return err
		}
		switch strings.ToLower(key) {
		case "odata.metadata", "@odata.context":
			tok, err := v.scalar()
			if err != nil {
				return err
			}
			if _, ok := tok.(string); !ok {
				return notVICS("%q must be a string, not %s", key, describe(tok))
			}
			model = key
		case "value":
			if sawValue {
				return notVICS(`it has two "value" arrays`)
			}
			sawValue = true
			if err := v.values(); err != nil {
				return err
			}
		default:
			if err := v.skip(); err != nil {
				return err
			}
		}
	}
	if _, err := v.token(); err != nil { // '}'
		return err
	}
	end := v.base + v.dec.InputOffset()
	v.resetLimit()
	if _, err := v.dec.Token(); err != io.EOF {
		if err != nil && !isSyntaxError(err) {
			return v.readError(err)
		}
		return caseroom.Errorf(caseroom.EINVALID, "the file goes on after its JSON object, which ends at byte offset %d", end-1)
	}
	if model == "" {
		return notVICS(`it has neither "odata.metadata" (VICS 1.x) nor "@odata.context" (VICS 2.0)`)
	}
	if !sawValue {
		return notVICS(`it has no "value" array of media`)
	}
	return nil
}

// values reads the "value" array.
func (v *vicsReader) values() error {
	tok, err := v.token()
	if err != nil {
		return err
	}
	if tok != json.Delim('[') {
		if d, ok := tok.(json.Delim); ok && d == '{' {
			// Say so even if the rest of the object is malformed.
			return notVICS(`"value" must be an array, not an object`)
		}
		return notVICS(`"value" must be an array, not %s`, describe(tok))
	}
	for v.more() {
		if err := v.entry(true); err != nil {
			return err
		}
	}
	_, err = v.token() // ']'
	return err
}

// entryState collects an entry's fields and the first thing wrong with them.
type entryState struct {
	e       Entry
	problem string // without the "entry N" prefix
}

func (s *entryState) fail(format string, args ...any) {
	if s.problem == "" {
		s.problem = fmt.Sprintf(format, args...)
	}
}

// entry reads one object: an element of "value" (top), which is a Media object or a Case
// holding a Media array, or an element of a Case's Media array. It reads the whole object
// before reporting a wrong field, so that the message can give the MediaID.
func (v *vicsReader) entry(top bool) error {
	num := v.n + 1
	v.cur, v.curID = num, ""
	v.resetLimit()
	tok, err := v.token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return entryError(num, "", "must be an object, not "+describe(tok))
	}
	var s entryState
	isCase := false
	for v.more() {
		key, err := v.key()
		if err != nil {
			return err
		}
		switch k := strings.ToLower(key); k {
		case "mediaid", "category":
			tok, err := v.scalar()
			if err != nil {
				return err
			}
			if k == "mediaid" {
				s.id("MediaID", tok, &s.e.MediaID, maxIDBytes)
				v.curID = s.e.MediaID
			} else {
				s.id("Category", tok, &s.e.Category, maxCategoryBytes)
			}
		case "md5", "sha1", "sha256":
			tok, err := v.scalar()
			if err != nil {
				return err
			}
			name := strings.ToUpper(k)
			if str, ok := s.str(name, tok); ok {
				s.setHash(name, str)
			}
		case "mediasize":
			tok, err := v.scalar()
			if err != nil {
				return err
			}
			s.size(tok)
		case "victimidentified":
			err = v.flag(&s, "VictimIdentified", &s.e.VictimIdentified)
		case "offenderidentified":
			err = v.flag(&s, "OffenderIdentified", &s.e.OffenderIdentified)
		case "isdistributed":
			err = v.flag(&s, "IsDistributed", &s.e.IsDistributed)
		case "series":
			tok, err := v.scalar()
			if err != nil {
				return err
			}
			if str, ok := s.str("Series", tok); ok {
				str = strings.TrimSpace(str)
				if p := checkText("Series", str, maxSeriesBytes); p != "" {
					s.fail("%s", p)
				} else {
					s.e.Series = str
				}
			}
		case "alternativehashes":
			err = v.alternativeHashes(&s)
		case "media":
			if !top {
				err = v.skip()
				break
			}
			var c bool
			c, err = v.caseMedia()
			isCase = isCase || c
			v.cur, v.curID = v.n+1, ""
		default:
			err = v.skip()
		}
		if err != nil {
			return err
		}
	}
	if _, err := v.token(); err != nil { // '}'
		return err
	}
	v.cur = 0
	if isCase {
		if s.e.hasHash() {
			return entryError(v.n+1, s.e.MediaID, "has hashes and a Media array; a Case (with a Media array) has no hashes of its own")
		}
		return nil
	}
	v.n = num
	s.e.Line = num
	if s.problem == "" && !s.e.hasHash() {
		s.problem = noHash
	}
	if s.problem != "" {
		return entryError(num, s.e.MediaID, s.problem)
	}
	if err := v.fn(s.e); err != nil {
		return err
	}
	v.stats.add(&s.e)
	return nil
}

// caseMedia reads the value of a "Media" field in an element of "value": if it is an
// array, the element is a Case and the array's elements are entries.
func (v *vicsReader) caseMedia() (bool, error) {
	tok, err := v.token()
	if err != nil {
		return false, err
	}
	if tok != json.Delim('[') {
		return false, v.skipRest(tok)
	}
	for v.more() {
		if err := v.entry(false); err != nil {
			return false, err
		}
	}
	_, err = v.token() // ']'
	v.resetLimit()
	return true, err
}

// alternativeHashes reads AlternativeHashes: null, or an array of objects with HashName
// and HashValue in either order.
func (v *vicsReader) alternativeHashes(s *entryState) error {
	tok, err := v.token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('[') {
		s.fail("AlternativeHashes must be an array, not %s", describe(tok))
		return v.skipRest(tok)
	}
	for i := 1; v.more(); i++ {
		tok, err := v.token()
		if err != nil {
			return err
		}
		if tok != json.Delim('{') {
			s.fail("AlternativeHashes item %d must be an object, not %s", i, describe(tok))
			if err := v.skipRest(tok); err != nil {
				return err
			}
			continue
		}
		var name, value json.Token
		for v.more() {
			key, err := v.key()
			if err != nil {
				return err
			}
			switch strings.ToLower(key) {
			case "hashname":
				name, err = v.scalar()
			case "hashvalue":
				value, err = v.scalar()
			default:
				err = v.skip()
			}
			if err != nil {
				return err
			}
		}
		if _, err := v.token(); err != nil { // '}'
			return err
		}
		hashName, ok := name.(string)
		if !ok {
			if name != nil {
				s.fail("AlternativeHashes item %d: HashName must be a string, not %s", i, describe(name))
			}
			continue
		}
		var kind string
		switch strings.ToUpper(strings.TrimSpace(hashName)) {
		case "PDQ":
			kind = "PDQ"
		case "SHA256", "SHA-256", "SHA_256":
			kind = "SHA256"
		case "SHA1", "SHA-1", "SHA_1":
			kind = "SHA1"
		case "MD5":
			kind = "MD5"
		default:
			continue // a hash Caseroom does not use, such as PhotoDNA
		}
		switch t := value.(type) {
		case nil:
		case string:
			if strings.TrimSpace(t) != "" {
				s.setHash(kind, t)
			}
		default:
			s.fail("AlternativeHashes item %d (%s): HashValue must be a string, not %s", i, kind, describe(value))
		}
	}
	_, err = v.token() // ']'
	return err
}

// flag reads one of the VICS booleans.
func (v *vicsReader) flag(s *entryState, field string, dst **bool) error {
	tok, err := v.scalar()
	if err != nil {
		return err
	}
	var b bool
	switch t := tok.(type) {
	case nil:
		return nil
	case bool:
		b = t
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "":
			return nil
		case "true":
			b = true
		case "false":
			b = false
		default:
			s.fail("%s must be true or false, not %s", field, describe(tok))
			return nil
		}
	default:
		s.fail("%s must be true or false, not %s", field, describe(tok))
		return nil
	}
	*dst = &b
	return nil
}

// id reads MediaID or Category: a string or a number, kept as text.
func (s *entryState) id(field string, tok json.Token, dst *string, max int) {
	var str string
	switch t := tok.(type) {
	case nil:
		return
	case string:
		str = strings.TrimSpace(t)
	case json.Number:
		str = t.String()
	default:
		s.fail("%s must be a number or a string, not %s", field, describe(tok))
		return
	}
	if p := checkText(field, str, max); p != "" {
		s.fail("%s", p)
		return
	}
	*dst = str
}

// size reads MediaSize: a whole number of bytes, as a number or a string.
func (s *entryState) size(tok json.Token) {
	var str string
	switch t := tok.(type) {
	case nil:
		return
	case string:
		if str = strings.TrimSpace(t); str == "" {
			return
		}
	case json.Number:
		str = t.String()
	default:
		s.fail("MediaSize must be a whole number of bytes, not %s", describe(tok))
		return
	}
	n, err := strconv.ParseInt(str, 10, 64)
	if err != nil || n < 0 {
		s.fail("MediaSize must be a whole number of bytes, not %s", describe(tok))
		return
	}
	s.e.Size = n
}

// str reads a field that must be a string; null and "" are absent.
func (s *entryState) str(field string, tok json.Token) (string, bool) {
	switch t := tok.(type) {
	case nil:
		return "", false
	case string:
		return t, strings.TrimSpace(t) != ""
	}
	s.fail("%s must be a string, not %s", field, describe(tok))
	return "", false
}

// setHash checks a hash of the given kind (MD5, SHA1, SHA256, PDQ) and keeps it.
func (s *entryState) setHash(kind, str string) {
	n := hexLen[kind]
	if kind == "PDQ" {
		h, ok := parsePDQ(str)
		switch {
		case !ok:
			s.fail("PDQ %s is not %d hex characters", quote(str), n)
		case s.e.PDQ != nil && *s.e.PDQ != *h:
			s.fail("two different PDQ hashes, %s and %s", s.e.PDQ, h)
		default:
			s.e.PDQ = h
		}
		return
	}
	h, ok := hexHash(str, n)
	if !ok {
		s.fail("%s %s is not %d hex characters", kind, quote(str), n)
		return
	}
	dst := &s.e.MD5
	switch kind {
	case "SHA1":
		dst = &s.e.SHA1
	case "SHA256":
		dst = &s.e.SHA256
	}
	if *dst != "" && *dst != h {
		s.fail("two different %s hashes, %s and %s", kind, *dst, h)
		return
	}
	*dst = h
}

// resetLimit lets the decoder read MaxEntryBytes past where it stands.
func (v *vicsReader) resetLimit() {
	v.in.Limit = v.dec.InputOffset() + MaxEntryBytes
}

// more reports whether the array or object being read has another element.
func (v *vicsReader) more() bool {
	v.resetLimit()
	return v.dec.More()
}

// token reads the next token, turning decoder errors into messages.
func (v *vicsReader) token() (json.Token, error) {
	tok, err := v.dec.Token()
	if err != nil {
		return nil, v.readError(err)
	}
	return tok, nil
}

// key reads an object's next key.
func (v *vicsReader) key() (string, error) {
	tok, err := v.token()
	if err != nil {
		return "", err
	}
	key, ok := tok.(string)
	if !ok { // the decoder gives only strings where keys go
		return "", v.where(fmt.Sprintf("a key expected at byte offset %d", v.base+v.dec.InputOffset()))
	}
	return key, nil
}

// scalar reads a value where a scalar belongs; an object or array is skipped and
// returned as its opening delimiter, for the caller to report.
func (v *vicsReader) scalar() (json.Token, error) {
	var t valueToken
	if err := v.dec.Decode(&t); err != nil {
		return nil, v.readError(err)
	}
	return t.tok, nil
}

// skip reads and drops one value.
func (v *vicsReader) skip() error {
	if err := v.dec.Decode(&skipper{}); err != nil {
		return v.readError(err)
	}
	return nil
}

// valueToken is a JSON value read whole, as the token Decoder.Token would give for its
// start (with UseNumber): a string, json.Number, bool, nil, or json.Delim('{') or '['
// for an object or array. Reading values whole with Decode, rather than token by token,
// made ReadVICS about a quarter faster and skips nested fields in one step.
type valueToken struct{ tok json.Token }

func (t *valueToken) UnmarshalJSON(b []byte) error {
	switch b[0] { // b is one valid JSON value
	case '"':
		if inner := b[1 : len(b)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			t.tok = string(inner)
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		t.tok = s
	case 'n':
		t.tok = nil
	case 't':
		t.tok = true
	case 'f':
		t.tok = false
	case '{', '[':
		t.tok = json.Delim(b[0])
	default:
		t.tok = json.Number(b)
	}
	return nil
}

// skipper is a JSON value that Decode reads and drops.
type skipper struct{}

func (skipper) UnmarshalJSON([]byte) error { return nil }

// skipRest drops the rest of a value whose first token was tok.
func (v *vicsReader) skipRest(tok json.Token) error {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return nil
	}
	for depth := 1; depth > 0; {
		tok, err := v.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if depth++; depth > maxDepth {
				return v.where(fmt.Sprintf("JSON nested more than %d deep at byte offset %d", maxDepth, v.base+v.dec.InputOffset()-1))
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// where is the EINVALID error for a problem at the current place in the file: in an
// entry, the message names it.
func (v *vicsReader) where(problem string) error {
	if v.cur > 0 {
		return entryError(v.cur, v.curID, problem)
	}
	return caseroom.Errorf(caseroom.EINVALID, "%s", problem)
}

// readError turns an error from the decoder into one for the caller: EINVALID for
// malformed, truncated or oversized input, the reader's own error wrapped otherwise.
func (v *vicsReader) readError(err error) error {
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, bounded.ErrTooLarge):
		if v.cur > 0 {
			return entryError(v.cur, v.curID, fmt.Sprintf("larger than %d bytes", MaxEntryBytes))
		}
		return v.where(fmt.Sprintf("no complete JSON value within %d bytes after byte offset %d", MaxEntryBytes, v.base+v.dec.InputOffset()))
	case errors.As(err, &syntax):
		// The decoder's own offsets drift when Token and Decode are mixed; it stands
		// at the start of the value or at the token it could not read.
		return v.where(fmt.Sprintf("malformed JSON near byte offset %d: %v", v.base+v.dec.InputOffset(), syntax))
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return v.where("the file ends too early")
	}
	return fmt.Errorf("read VICS hash set: %w", err)
}

func isSyntaxError(err error) bool {
	var syntax *json.SyntaxError
	return errors.As(err, &syntax)
}

// describe names a token's value for a message: `the string "x"`, `the number 7`, `true`,
// `null`, `an object`, `an array`.
func describe(tok json.Token) string {
	switch t := tok.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(t)
	case string:
		return "the string " + quote(t)
	case json.Number:
		n := t.String()
		if len(n) > 40 {
			n = n[:40] + "…"
		}
		return "the number " + n
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return "an object"
	}
	return fmt.Sprintf("%v", tok)
}
