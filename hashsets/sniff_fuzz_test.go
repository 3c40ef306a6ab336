package hashsets_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/hashsets"
)

// importRecorder is a caseroom.HashSetService that keeps what Import gives it.
type importRecorder struct {
	caseroom.HashSetService
	format  string
	entries []caseroom.KnownHash
}

func (r *importRecorder) ImportHashSet(ctx context.Context, ns caseroom.NewHashSet) (*caseroom.HashSet, error) {
	r.format = ns.Format
	return &caseroom.HashSet{Name: ns.Name}, ns.Entries(func(k caseroom.KnownHash) error {
		r.entries = append(r.entries, k)
		return nil
	})
}

// sniffedFormat is the format Read documents for in: by the first byte that is not a
// byte order mark or white space, '{' or '[' for VICS, another for CSV, none for an
// empty file; white space filling Read's 64 KiB look-ahead is left for CSV.
func sniffedFormat(in []byte) string {
	in = bytes.TrimPrefix(in, []byte("\xef\xbb\xbf"))
	i := bytes.IndexFunc(in, func(r rune) bool { return r != ' ' && r != '\t' && r != '\r' && r != '\n' })
	switch {
	case i < 0 && len(in) < 64<<10:
		return ""
	case i < 0 || i >= 64<<10:
		return hashsets.FormatCSV
	case in[i] == '{' || in[i] == '[':
		return hashsets.FormatVICS
	}
	return hashsets.FormatCSV
}

// FuzzReadFormat builds a hash set file from a byte order mark or none, pad bytes of
// white space and a fuzzed rest, and checks how the format is told: Read picks the
// format its documentation says, and reads as that format's reader does; and Import
// (which tells the format apart on its own, to record it) picks the same and imports the
// same entries, or fails the same way.
func FuzzReadFormat(f *testing.F) {
	for _, c := range append(vicsCases(f), csvCases(f)...) {
		f.Add(false, uint16(0), uint8(0), c.in)
		f.Add(true, uint16(3), uint8(1), c.in)
	}
	vics := vicsCases(f)[0].in
	f.Add(false, uint16(1), uint8(1), "\tmd5\n"+strings.Repeat("0", 32)+"\n")
	f.Add(true, uint16(0), uint8(0), "")
	f.Add(false, uint16(200), uint8(3), "")
	f.Add(false, uint16(0), uint8(0), `["not","vics"]`)
	// Past Read's look-ahead: white space to its end and beyond.
	f.Add(false, uint16(64<<10-1), uint8(0), vics)
	f.Add(false, uint16(64<<10-1), uint8(0), "")
	f.Add(true, uint16(64<<10-3), uint8(0), vics)
	f.Add(true, uint16(64<<10-2), uint8(2), vics)
	f.Add(true, uint16(64<<10-1), uint8(0), vics)
	f.Fuzz(func(t *testing.T, bom bool, pad uint16, space uint8, rest string) {
		var b bytes.Buffer
		if bom {
			b.WriteString("\xef\xbb\xbf")
		}
		for i := range int(pad) {
			b.WriteByte(" \t\r\n"[(int(space)+i)%4])
		}
		b.WriteString(rest)
		in := b.Bytes()

		var got []hashsets.Entry
		format, stats, err := hashsets.Read(bytes.NewReader(in), func(e hashsets.Entry) error {
			got = append(got, e)
			return nil
		})
		if want := sniffedFormat(in); format != want {
			t.Fatalf("Read took %q for %s, want %q", format, short(in), want)
		}
		if format == "" && caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Fatalf("Read of an empty file = %v, want EINVALID", err)
		}
		if err != nil && caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Fatalf("Read error %v is not EINVALID", err)
		}
		if stats.Entries != len(got) {
			t.Fatalf("Stats.Entries = %d, fn saw %d", stats.Entries, len(got))
		}
		if format != "" {
			read := hashsets.ReadCSV
			if format == hashsets.FormatVICS {
				read = hashsets.ReadVICS
			}
			var direct []hashsets.Entry
			_, derr := read(bytes.NewReader(in), func(e hashsets.Entry) error {
				direct = append(direct, e)
				return nil
			})
			if diff := cmp.Diff(direct, got); diff != "" || caseroom.ErrorMessage(derr) != caseroom.ErrorMessage(err) {
				t.Fatalf("Read (%v) and the %s reader (%v) differ on %s:\n%s", err, format, derr, short(in), diff)
			}
		}

		rec := &importRecorder{}
		_, ierr := hashsets.Import(context.Background(), rec, "fuzzed", bytes.NewReader(in))
		if format == "" {
			if rec.format != hashsets.FormatCSV || caseroom.ErrorCode(ierr) != caseroom.EINVALID {
				t.Fatalf("Import of an empty file took %q and returned %v", rec.format, ierr)
			}
			return
		}
		if rec.format != format {
			t.Fatalf("Import took %q for %s, Read %q", rec.format, short(in), format)
		}
		var want []caseroom.KnownHash
		for _, e := range got {
			want = append(want, hashsets.KnownHash(e))
		}
		if diff := cmp.Diff(want, rec.entries); diff != "" || caseroom.ErrorMessage(ierr) != caseroom.ErrorMessage(err) {
			t.Fatalf("Import (%v) and Read (%v) differ on %s (-Read +Import):\n%s", ierr, err, short(in), diff)
		}
	})
}

// short describes in for a failure message without printing 64 KiB of white space.
func short(in []byte) string {
	if len(in) <= 200 {
		return fmt.Sprintf("%q", in)
	}
	return fmt.Sprintf("%q…%q (%d bytes)", in[:60], in[len(in)-100:], len(in))
}
