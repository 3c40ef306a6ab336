package hashindex

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"caseroom"
	"caseroom/pdq"
)

// maxLineLength bounds a line of a hash list, so that a file that is not one is refused
// without being held in memory.
const maxLineLength = 4096

// ReadHashList reads PDQ hashes in hex (either case), one a line, as the reference tools
// write them, and returns them with the line each came from (numbered from 1, blank lines
// counted). Spaces, tabs and a carriage return around a hash are ignored, as are blank
// lines and a UTF-8 byte-order mark. Anything else on a line is refused: the
// *caseroom.Error (EINVALID) names the first bad line and what is wrong with it, such as
// "line 7: a PDQ hash is 64 hex characters, got 63".
func ReadHashList(r io.Reader) (hashes []pdq.Hash, lines []int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), maxLineLength)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Bytes()
		if n == 1 {
			text = bytes.TrimPrefix(text, []byte("\uFEFF"))
		}
		trimmed := bytes.TrimLeft(text, " \t")
		column := 1 + len(text) - len(trimmed)
		trimmed = bytes.TrimRight(trimmed, " \t\r")
		if len(trimmed) == 0 {
			continue
		}
		h, err := parseHashLine(trimmed, column)
		if err != nil {
			return nil, nil, caseroom.Errorf(caseroom.EINVALID, "line %d: %s", n, err)
		}
		hashes = append(hashes, h)
		lines = append(lines, n)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, nil, caseroom.Errorf(caseroom.EINVALID, "line %d: longer than %d bytes; a PDQ hash is 64 hex characters", n+1, maxLineLength)
	} else if err != nil {
		return nil, nil, fmt.Errorf("read hash list: %w", err)
	}
	return hashes, lines, nil
}

// parseHashLine parses one trimmed line that starts at the given column, explaining what
// is wrong if it is not a hash.
func parseHashLine(text []byte, column int) (pdq.Hash, error) {
	i := 0
	for i < len(text) && isHex(text[i]) {
		i++
	}
	switch {
	case i == 64 && i < len(text):
		return pdq.Hash{}, fmt.Errorf("one hash a line: %s follows the hash at column %d", describe(text[i:]), column+i)
	case i < len(text):
		return pdq.Hash{}, fmt.Errorf("a PDQ hash is 64 hex characters: %s at column %d is not a hex digit", describe(text[i:]), column+i)
	}
	return pdq.ParseHash(string(text))
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// describe names the character at the start of b, quoted, or its byte in hex if b is not
// valid UTF-8 there.
func describe(b []byte) string {
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size <= 1 {
		return fmt.Sprintf("byte %#02x", b[0])
	}
	return fmt.Sprintf("%q", r)
}
