package hashsets_test

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/hashsets"
)

var lowerHex = regexp.MustCompile(`^[0-9a-f]*$`)

// checkEntry fails t unless e is an entry a reader may give: lowercase hex of the right
// lengths, at least one hash, a line number, no negative size.
func checkEntry(t *testing.T, e hashsets.Entry) {
	t.Helper()
	for _, h := range []struct {
		v string
		n int
	}{{e.MD5, 32}, {e.SHA1, 40}, {e.SHA256, 64}} {
		if h.v != "" && (len(h.v) != h.n || !lowerHex.MatchString(h.v)) {
			t.Fatalf("entry %+v: %q is not %d lowercase hex characters", e, h.v, h.n)
		}
	}
	if e.MD5 == "" && e.SHA1 == "" && e.SHA256 == "" && e.PDQ == nil {
		t.Fatalf("entry %+v has no hash", e)
	}
	if e.Line < 1 || e.Size < 0 {
		t.Fatalf("entry %+v: Line < 1 or Size < 0", e)
	}
}

// fuzzRead runs read over in and checks: every entry is valid; a refusal is EINVALID;
// Read gives the same entries and error when it picks this format; and what was read
// survives WriteVICS and ReadVICS.
func fuzzRead(t *testing.T, format string, read func(io.Reader, func(hashsets.Entry) error) (hashsets.Stats, error), in string) {
	var got []hashsets.Entry
	stats, err := read(strings.NewReader(in), func(e hashsets.Entry) error {
		checkEntry(t, e)
		got = append(got, e)
		return nil
	})
	if stats.Entries != len(got) {
		t.Fatalf("Stats.Entries = %d, fn saw %d", stats.Entries, len(got))
	}
	if err != nil && caseroom.ErrorCode(err) != caseroom.EINVALID {
		t.Fatalf("error %v is not EINVALID", err)
	}

	var viaRead []hashsets.Entry
	f, _, readErr := hashsets.Read(strings.NewReader(in), func(e hashsets.Entry) error {
		viaRead = append(viaRead, e)
		return nil
	})
	if f == format {
		if diff := cmp.Diff(got, viaRead); diff != "" {
			t.Fatalf("Read gives other entries (-%s +Read):\n%s", format, diff)
		}
		if caseroom.ErrorMessage(err) != caseroom.ErrorMessage(readErr) {
			t.Fatalf("Read fails with %v, the %s reader with %v", readErr, format, err)
		}
	}

	if err != nil {
		return
	}
	var buf bytes.Buffer
	if err := hashsets.WriteVICS(&buf, slices.Values(got)); err != nil {
		t.Fatalf("WriteVICS refuses what was read: %v", err)
	}
	var want, back []hashsets.Entry
	for i, e := range got {
		want = append(want, written(e, i+1))
	}
	if _, err := hashsets.ReadVICS(&buf, func(e hashsets.Entry) error {
		back = append(back, e)
		return nil
	}); err != nil {
		t.Fatalf("ReadVICS refuses what WriteVICS wrote: %v", err)
	}
	if diff := cmp.Diff(want, back); diff != "" {
		t.Fatalf("read back (-want +got):\n%s", diff)
	}
}

func FuzzReadVICS(f *testing.F) {
	for _, c := range vicsCases(f) {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, hashsets.FormatVICS, hashsets.ReadVICS, in)
	})
}

func FuzzReadCSV(f *testing.F) {
	for _, c := range csvCases(f) {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, hashsets.FormatCSV, hashsets.ReadCSV, in)
	})
}
