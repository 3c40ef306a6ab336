package hashsets

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"caseroom"
	"caseroom/internal/bounded"
)

// ReadCSV reads a CSV hash set from r and calls fn with each entry in file order,
// streaming: it holds one record at a time.
//
// The first record is a header. Columns are recognised by name, without regard to case
// or surrounding space: md5, sha1 (or sha-1, sha_1), sha256 (or sha-256, sha_256), pdq
// and category; other columns are ignored, and the header must name at least one hash
// column. Fields are separated by commas, or by semicolons or tabs if the header line has
// one and no comma. A byte order mark, CRLF line ends, quoted fields, blank lines and
// rows whose every field is blank are tolerated; hex may be in either case.
//
// Returns EINVALID, naming the 1-based line and, for a bad value, the column (its
// 1-based number and name in the header), for: a header without a hash column or with
// one named twice, a row with another number of fields than the header, a hash of the
// wrong length, a row without any hash, a record larger than MaxEntryBytes, or malformed
// quoting. An error from fn stops the reading and is returned as it is. Stats counts the
// entries fn accepted.
func ReadCSV(r io.Reader, fn func(Entry) error) (Stats, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if _, err := skipBOM(br); err != nil {
		return Stats{}, err
	}
	return readCSV(br, fn)
}

// csvColumn is a recognised column: its index, what it holds, and its name as written.
type csvColumn struct {
	index int
	kind  string // MD5, SHA1, SHA256, PDQ or Category
	name  string
}

// columnKind says what a header name stands for, or "" for a column to ignore.
func columnKind(name string) string {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "md5":
		return "MD5"
	case "sha1", "sha-1", "sha_1":
		return "SHA1"
	case "sha256", "sha-256", "sha_256":
		return "SHA256"
	case "pdq":
		return "PDQ"
	case "category":
		return "Category"
	}
	return ""
}

// readCSV reads from br, which starts after any byte order mark.
func readCSV(br *bufio.Reader, fn func(Entry) error) (Stats, error) {
	var stats Stats
	in := &bounded.Reader{R: br, Limit: MaxEntryBytes}
	cr := csv.NewReader(in)
	cr.Comma = sniffComma(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return stats, errEmpty
	} else if err != nil {
		return stats, csvError(err, 0)
	}
	headerLine, _ := cr.FieldPos(0)
	nfields := len(header)
	var cols []csvColumn
	var hashNames []string
	for i, name := range header {
		kind := columnKind(name)
		if kind == "" {
			continue
		}
		for _, c := range cols {
			if c.kind == kind {
				return stats, caseroom.Errorf(caseroom.EINVALID, "line %d: columns %d (%s) and %d (%s) both hold %s", headerLine, c.index+1, c.name, i+1, strings.TrimSpace(name), kind)
			}
		}
		cols = append(cols, csvColumn{i, kind, strings.TrimSpace(name)})
		if kind != "Category" {
			hashNames = append(hashNames, strings.TrimSpace(name))
		}
	}
	if len(hashNames) == 0 {
		return stats, caseroom.Errorf(caseroom.EINVALID, "line %d: the header names no hash column; the first line must name the columns, at least one of md5, sha1, sha256 or pdq (category is optional)", headerLine)
	}
	noHash := fmt.Sprintf("no hash; fill at least one of the columns %s", strings.Join(hashNames, ", "))
	prev := headerLine // the last line of the record read last
	for {
		in.Limit = cr.InputOffset() + MaxEntryBytes
		rec, err := cr.Read()
		if err == io.EOF {
			return stats, nil
		} else if err != nil {
			return stats, csvError(err, prev)
		}
		line, _ := cr.FieldPos(0)           // a record has at least one field
		prev, _ = cr.FieldPos(len(rec) - 1) // its last field's line
		if len(rec) != nfields {
			if blank(rec) {
				continue
			}
			return stats, caseroom.Errorf(caseroom.EINVALID, "line %d: %d fields, but the header has %d", line, len(rec), nfields)
		}
		e := Entry{Line: line}
		for _, c := range cols {
			v := strings.TrimSpace(rec[c.index])
			if v == "" {
				continue
			}
			problem := ""
			switch c.kind {
			case "MD5", "SHA1", "SHA256":
				h, ok := hexHash(v, hexLen[c.kind])
				if !ok {
					problem = fmt.Sprintf("%s is not %d hex characters", quote(v), hexLen[c.kind])
				}
				switch c.kind {
				case "MD5":
					e.MD5 = h
				case "SHA1":
					e.SHA1 = h
				case "SHA256":
					e.SHA256 = h
				}
			case "PDQ":
				h, ok := parsePDQ(v)
				if !ok {
					problem = fmt.Sprintf("%s is not %d hex characters", quote(v), hexLen[c.kind])
				}
				e.PDQ = h
			case "Category":
				if problem = checkText("the category", v, maxCategoryBytes); problem == "" {
					e.Category = strings.Clone(v) // not to pin the whole line
				}
			}
			if problem != "" {
				at, _ := cr.FieldPos(c.index) // after a quoted line break, not the record's line
				return stats, caseroom.Errorf(caseroom.EINVALID, "line %d, column %d (%s): %s", at, c.index+1, c.name, problem)
			}
		}
		if !e.hasHash() {
			if blank(rec) {
				continue
			}
			return stats, caseroom.Errorf(caseroom.EINVALID, "line %d: %s", line, noHash)
		}
		if err := fn(e); err != nil {
			return stats, err
		}
		stats.add(&e)
	}
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

// sniffComma picks the field separator from the header line: a comma if it has one,
// otherwise a semicolon or a tab if it has one of those.
func sniffComma(br *bufio.Reader) rune {
	b, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	switch {
	case bytes.IndexByte(b, ',') >= 0:
		return ','
	case bytes.IndexByte(b, ';') >= 0:
		return ';'
	case bytes.IndexByte(b, '\t') >= 0:
		return '\t'
	}
	return ','
}

// csvError turns an error from the CSV reader into one for the caller: EINVALID for
// malformed or oversized records, the reader's own error wrapped otherwise. prev is the
// line on which the record before the failed one ends, 0 for none.
func csvError(err error, prev int) error {
	var parse *csv.ParseError
	switch {
	case errors.Is(err, bounded.ErrTooLarge) && prev == 0:
		return caseroom.Errorf(caseroom.EINVALID, "the header is larger than %d bytes", MaxEntryBytes)
	case errors.Is(err, bounded.ErrTooLarge):
		// Blank lines may come between prev and the record.
		return caseroom.Errorf(caseroom.EINVALID, "the record after line %d is larger than %d bytes", prev, MaxEntryBytes)
	case errors.As(err, &parse):
		msg := fmt.Sprintf("line %d: %v (at byte %d of the line", parse.Line, parse.Err, parse.Column)
		if parse.StartLine != parse.Line {
			msg += fmt.Sprintf("; the record starts on line %d", parse.StartLine)
		}
		return caseroom.Errorf(caseroom.EINVALID, "%s)", msg)
	}
	return fmt.Errorf("read CSV hash set: %w", err)
}
