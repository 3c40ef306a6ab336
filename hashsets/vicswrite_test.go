package hashsets_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"caseroom"
	"caseroom/hashsets"
	"caseroom/pdq"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// The export of a few entries matches testdata/vics2.golden.json byte for byte.
func TestWriteVICSGolden(t *testing.T) {
	entries := []hashsets.Entry{
		{MediaID: "1001", Category: "1", MD5: strings.ToUpper(md5A), SHA1: sha1A, SHA256: sha256A, PDQ: pdqHash(t, pdqA), Size: 2835},
		{MediaID: "A-7", Category: "0", SHA1: sha1B, VictimIdentified: ptr(true), Series: "Fictional"},
		{MediaID: "0042", Category: "B", PDQ: pdqHash(t, pdqB)},
		{MD5: md5B},
	}
	var buf bytes.Buffer
	if err := hashsets.WriteVICS(&buf, slices.Values(entries)); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "vics2.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("export differs from %s (-want +got); run with -update if intended:\n%s", golden, diff)
	}
}

func TestWriteVICSEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := hashsets.WriteVICS(&buf, slices.Values([]hashsets.Entry(nil))); err != nil {
		t.Fatal(err)
	}
	got, _, err := collect(hashsets.ReadVICS, buf.String())
	if err != nil || len(got) != 0 {
		t.Fatalf("read back %d entries, error %v; want none", len(got), err)
	}
}

// written is what ReadVICS gives back for e written as the n-th entry: the written
// fields, normalised as the reader normalises them.
func written(e hashsets.Entry, n int) hashsets.Entry {
	return hashsets.Entry{
		MediaID:  strings.TrimSpace(e.MediaID),
		Category: strings.TrimSpace(e.Category),
		MD5:      strings.ToLower(e.MD5),
		SHA1:     strings.ToLower(e.SHA1),
		SHA256:   strings.ToLower(e.SHA256),
		PDQ:      e.PDQ,
		Size:     e.Size,
		Line:     n,
	}
}

// Whatever VICSWriter writes, ReadVICS reads back as the same entries.
func TestWriteVICSRoundTrip(t *testing.T) {
	hex := func(n int) *rapid.Generator[string] {
		return rapid.Custom(func(t *rapid.T) string {
			b := rapid.SliceOfN(rapid.Byte(), n/2, n/2).Draw(t, "bytes")
			s := strings.ToLower(string(bytesToHex(b)))
			if rapid.Bool().Draw(t, "upper") {
				s = strings.ToUpper(s)
			}
			return s
		})
	}
	maybe := func(g *rapid.Generator[string]) *rapid.Generator[string] {
		return rapid.OneOf(rapid.Just(""), g)
	}
	text := rapid.OneOf(
		rapid.StringMatching(`[0-9]{1,20}`),
		rapid.StringMatching(`-?[0-9]{1,3}(\.[0-9])?(e[0-9])?`),
		rapid.StringMatching(` ?[A-Za-z0-9 ._/<>&"\\-]{1,30} ?`),
		rapid.StringMatching(`[\p{L}\p{N}]{1,10}`),
	)
	entry := rapid.Custom(func(t *rapid.T) hashsets.Entry {
		e := hashsets.Entry{
			MediaID:  maybe(text).Draw(t, "MediaID"),
			Category: maybe(text).Draw(t, "Category"),
			MD5:      maybe(hex(32)).Draw(t, "MD5"),
			SHA1:     maybe(hex(40)).Draw(t, "SHA1"),
			SHA256:   maybe(hex(64)).Draw(t, "SHA256"),
			Size:     rapid.Int64Range(0, 1<<50).Draw(t, "Size"),
			Series:   maybe(text).Draw(t, "Series"),
		}
		if rapid.Bool().Draw(t, "has PDQ") {
			var h pdq.Hash
			copy(h[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "PDQ"))
			e.PDQ = &h
		}
		if rapid.Bool().Draw(t, "flag") {
			e.IsDistributed = ptr(true)
		}
		if e.MD5 == "" && e.SHA1 == "" && e.SHA256 == "" && e.PDQ == nil {
			e.SHA1 = hex(40).Draw(t, "SHA1 after all")
		}
		return e
	})
	rapid.Check(t, func(t *rapid.T) {
		entries := rapid.SliceOfN(entry, 0, 20).Draw(t, "entries")
		var buf bytes.Buffer
		if err := hashsets.WriteVICS(&buf, slices.Values(entries)); err != nil {
			t.Fatal(err)
		}
		var want []hashsets.Entry
		for i, e := range entries {
			want = append(want, written(e, i+1))
		}
		got, _, err := collect(hashsets.ReadVICS, buf.String())
		if err != nil {
			t.Fatalf("%v in\n%s", err, buf.String())
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("read back (-want +got):\n%s", diff)
		}
	})
}

func bytesToHex(b []byte) []byte {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return out
}

// The writer refuses an entry that could not be read back, writes nothing for it, and
// goes on.
func TestVICSWriterRefuses(t *testing.T) {
	var buf bytes.Buffer
	vw := hashsets.NewVICSWriter(&buf)
	if err := vw.Write(hashsets.Entry{MediaID: "1", MD5: md5A}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		e   hashsets.Entry
		err string
	}{
		{hashsets.Entry{MediaID: "2"}, "entry 2: no hash; give at least one of MD5, SHA1, or SHA256 or PDQ in AlternativeHashes"},
		{hashsets.Entry{MD5: "xyz"}, `entry 2: MD5 "xyz" is not 32 hex characters`},
		{hashsets.Entry{SHA1: md5A}, `entry 2: SHA1 "` + md5A + `" is not 40 hex characters`},
		{hashsets.Entry{SHA256: sha1A}, `entry 2: SHA256 "` + sha1A + `" is not 64 hex characters`},
		{hashsets.Entry{MD5: md5A, Category: "1\n"}, ""}, // trimmed, as the reader trims
		{hashsets.Entry{MD5: md5A, Category: "1\x00"}, `entry 3: Category "1\x00" contains a control character`},
		{hashsets.Entry{MD5: md5A, MediaID: strings.Repeat("7", 129)}, "entry 3: MediaID is longer than 128 bytes"},
		{hashsets.Entry{MD5: md5A, Size: -1}, "entry 3: MediaSize -1 is negative"},
	} {
		err := vw.Write(c.e)
		if c.err == "" {
			if err != nil {
				t.Errorf("Write(%+v): %v", c.e, err)
			}
			continue
		}
		if caseroom.ErrorCode(err) != caseroom.EINVALID || caseroom.ErrorMessage(err) != c.err {
			t.Errorf("Write(%+v):\n got %v\nwant %s", c.e, err, c.err)
		}
	}
	if err := vw.Close(); err != nil {
		t.Fatal(err)
	}
	got, _, err := collect(hashsets.ReadVICS, buf.String())
	if err != nil {
		t.Fatal(err)
	}
	want := []hashsets.Entry{{MediaID: "1", MD5: md5A, Line: 1}, {MD5: md5A, Category: "1", Line: 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriteVICSWriterError(t *testing.T) {
	full := errors.New("disk full")
	entries := slices.Repeat([]hashsets.Entry{{MD5: md5A}}, 1000) // more than a buffer
	if err := hashsets.WriteVICS(failingWriter{full}, slices.Values(entries)); !errors.Is(err, full) {
		t.Fatalf("error = %v, want the writer's", err)
	}
}
