package hashindex

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/pdq"
)

const (
	hashA = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157"
	hashB = "e162474a56babaadce4ccfe2231f4abdcac5342e31032bdd2eaca68bca87d516"
)

func TestReadHashList(t *testing.T) {
	a, _ := pdq.ParseHash(hashA)
	b, _ := pdq.ParseHash(hashB)
	tests := []struct {
		name  string
		input string
		want  []pdq.Hash
		lines []int
	}{
		{"empty", "", nil, nil},
		{"one, no final newline", hashA, []pdq.Hash{a}, []int{1}},
		{"blank lines keep their numbers", "\n" + hashA + "\n\n  \n" + hashB + "\n\n", []pdq.Hash{a, b}, []int{2, 5}},
		{"CRLF, spaces, tabs, upper case", " \t" + strings.ToUpper(hashA) + " \r\n" + hashB + "\r\n", []pdq.Hash{a, b}, []int{1, 2}},
		{"byte-order mark", "\uFEFF" + hashA + "\n", []pdq.Hash{a}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, lines, err := ReadHashList(strings.NewReader(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(tt.want, hs); diff != "" {
				t.Errorf("hashes (-want +got):\n%s", diff)
			}
			if diff := gocmp.Diff(tt.lines, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadHashListNamesTheBadLine(t *testing.T) {
	tests := []struct {
		name, input, message string
	}{
		{"short", hashA + "\n\n" + hashA[:63] + "\n", "line 3: a PDQ hash is 64 hex characters, got 63"},
		{"long", hashA + "0\n", "line 1: a PDQ hash is 64 hex characters, got 65"},
		{"not hex", hashA + "\n" + hashA[:10] + "g" + hashA[11:] + "\n", `line 2: a PDQ hash is 64 hex characters: 'g' at column 11 is not a hex digit`},
		{"column counts leading spaces", "   xyz\n", `line 1: a PDQ hash is 64 hex characters: 'x' at column 4 is not a hex digit`},
		{"extra field", hashA + ",12\n", `line 1: one hash a line: ',' follows the hash at column 65`},
		{"two hashes", hashA + " " + hashB + "\n", `line 1: one hash a line: ' ' follows the hash at column 65`},
		{"0x prefix", "0x" + hashA + "\n", `line 1: a PDQ hash is 64 hex characters: 'x' at column 2 is not a hex digit`},
		{"binary", "\x00\xff\n", `line 1: a PDQ hash is 64 hex characters: '\x00' at column 1 is not a hex digit`},
		{"not UTF-8", "ab\xff\n", `line 1: a PDQ hash is 64 hex characters: byte 0xff at column 3 is not a hex digit`},
		{"header line", "hash\n" + hashA, `line 1: a PDQ hash is 64 hex characters: 'h' at column 1 is not a hex digit`},
		{"a huge line", hashA + "\n" + strings.Repeat("a", 1<<20), "line 2: longer than 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadHashList(strings.NewReader(tt.input))
			if caseroom.ErrorCode(err) != caseroom.EINVALID || !strings.HasPrefix(caseroom.ErrorMessage(err), tt.message) {
				t.Fatalf("ReadHashList = %v, want EINVALID %q", err, tt.message)
			}
		})
	}
}

func TestReadHashListPassesOnReadErrors(t *testing.T) {
	broken := errors.New("disk on fire")
	_, _, err := ReadHashList(io.MultiReader(strings.NewReader(hashA+"\n"), &failingReader{broken}))
	if !errors.Is(err, broken) {
		t.Fatalf("ReadHashList = %v, want the read error", err)
	}
}

// FuzzReadHashList: any input is read or refused with EINVALID, never a panic; each hash
// read is the text of the line it names.
func FuzzReadHashList(f *testing.F) {
	f.Add([]byte(hashA + "\n\n" + hashB + "\r\n"))
	f.Add([]byte("\uFEFF " + hashA + " \n" + hashB[:40]))
	f.Add([]byte(hashA + ",1,2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		hs, lines, err := ReadHashList(bytes.NewReader(data))
		if err != nil {
			if caseroom.ErrorCode(err) != caseroom.EINVALID || !strings.HasPrefix(caseroom.ErrorMessage(err), "line ") {
				t.Fatalf("ReadHashList from memory = %v, want EINVALID naming a line", err)
			}
			return
		}
		if len(hs) != len(lines) {
			t.Fatalf("%d hashes, %d line numbers", len(hs), len(lines))
		}
		physical := strings.Split(string(data), "\n")
		for i, h := range hs {
			text := strings.ToLower(strings.Trim(strings.TrimPrefix(physical[lines[i]-1], "\uFEFF"), " \t\r"))
			if h.String() != text {
				t.Fatalf("hash %d is %s, line %d is %q", i, h, lines[i], physical[lines[i]-1])
			}
		}
	})
}
