package commsfile

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"caseroom"
	"caseroom/internal/bounded"
)

// Limits that keep memory flat on hostile input: a CSV record (one line, or several
// for quoted line breaks) and a JSON token or record may not be larger.
const (
	maxRecordBytes    = 1 << 20
	maxJSONValueBytes = 8 << 20
)

// skipBOM discards a UTF-8 byte order mark at the start of br and reports its length.
func skipBOM(br *bufio.Reader) (int, error) {
	b, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return 0, fmt.Errorf("read file: %w", err)
	}
	if string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
		return 3, nil
	}
	return 0, nil
}

// sniffComma picks the field separator from the first line that is not blank: the one
// of comma, semicolon and tab it holds most of outside quotes, a comma on a tie or when
// it holds none. It looks no further than br's buffer.
func sniffComma(br *bufio.Reader) rune {
	b, _ := br.Peek(br.Size())
	var commas, semicolons, tabs int
	quoted, seen := false, false
	for _, c := range b {
		if c == '\n' && !quoted {
			if seen {
				break
			}
			continue
		}
		if c != '\r' && c != ' ' {
			seen = true
		}
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		case c == '\t':
			tabs++
		}
	}
	switch {
	case semicolons > commas && semicolons >= tabs:
		return ';'
	case tabs > commas && tabs > semicolons:
		return '\t'
	}
	return ','
}

// newCSVReader returns a CSV reader over in with the separator comma, reusing its
// record slice and leaving the count of fields to the caller.
func newCSVReader(in io.Reader, comma rune) *csv.Reader {
	cr := csv.NewReader(in)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

// readHeader reads the first record that is not blank.
func readHeader(cr *csv.Reader) ([]string, error) {
	for {
		rec, err := cr.Read()
		if err != nil || !blank(rec) {
			return rec, err
		}
	}
}

// csvError turns an error from the CSV reader into one for the caller: EINVALID for
// malformed or oversized records, the reader's own error wrapped otherwise. prev is the
// line on which the record before the failed one ends, 0 for none.
func csvError(err error, prev int) error {
	var parse *csv.ParseError
	switch {
	case errors.Is(err, bounded.ErrTooLarge) && prev == 0:
		return invalid("header: the first line is larger than %d bytes; is this a CSV file?", maxRecordBytes)
	case errors.Is(err, bounded.ErrTooLarge):
		return invalid("line %d: the record after it is larger than %d bytes (a quote left open?)", prev, maxRecordBytes)
	case errors.As(err, &parse):
		msg := fmt.Sprintf("line %d: %v (at byte %d of the line", parse.Line, parse.Err, parse.Column)
		if parse.StartLine != parse.Line {
			msg += fmt.Sprintf("; the record starts on line %d", parse.StartLine)
		}
		return invalid("%s)", msg)
	}
	return fmt.Errorf("read CSV: %w", err)
}

// invalid returns an EINVALID *caseroom.Error.
func invalid(format string, args ...any) error {
	return caseroom.Errorf(caseroom.EINVALID, format, args...)
}

// errEmpty is the error for a file with nothing in it.
func errEmpty(what string) error {
	return invalid("the file is empty; %s", what)
}

// blank reports whether every field of a record is empty or space, as in the rows of
// commas that spreadsheets leave at the end.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// endpointKind says what a value is: an e-mail address if it has a letter and an "@",
// a handle if it has a letter otherwise, a phone number if it has no letter.
func endpointKind(v string) caseroom.IdentifierKind {
	letter, at := false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '@':
			at = true
		case 'a' <= c|0x20 && c|0x20 <= 'z':
			letter = true
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(v[i:])
			letter = letter || unicode.IsLetter(r)
			i += size - 1
		}
	}
	switch {
	case letter && at:
		return caseroom.IdentifierEmail
	case letter:
		return caseroom.IdentifierHandle
	}
	return caseroom.IdentifierPhone
}

// spreadsheetNumber reports whether v is a number a spreadsheet has written in
// scientific notation (9.23001E+11), which has lost the digits of a phone number or
// IMEI.
func spreadsheetNumber(v string) bool {
	i := 0
	for i < len(v) && '0' <= v[i] && v[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	if i < len(v) && v[i] == '.' {
		i++
		j := i
		for i < len(v) && '0' <= v[i] && v[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i == len(v) || v[i]|0x20 != 'e' {
		return false
	}
	i++
	if i < len(v) && v[i] == '+' {
		i++
	}
	j := i
	for i < len(v) && '0' <= v[i] && v[i] <= '9' {
		i++
	}
	return i > j && i == len(v)
}

// quote quotes v for a message, cut short if long.
func quote(v string) string {
	const max = 80
	if len(v) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(v[cut]) {
			cut--
		}
		return strconv.Quote(v[:cut]) + "…"
	}
	return strconv.Quote(v)
}

// checkCountry returns v as an upper-case ISO 3166-1 alpha-2 code, "" for "", or a
// problem.
func checkCountry(v string) (string, string) {
	if v == "" {
		return "", ""
	}
	if len(v) != 2 || !isASCIILetter(v[0]) || !isASCIILetter(v[1]) {
		return "", fmt.Sprintf("%s is not a country code; write the ISO 3166-1 alpha-2 code, such as PK or GB", quote(v))
	}
	return strings.ToUpper(v), ""
}

// isASCIILetter reports whether c is an ASCII letter.
func isASCIILetter(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z'
}
