package hashindex

import (
	"cmp"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"caseroom/internal/testdata"
	"caseroom/pdq"
)

// pdqTestdata is the shared folder of PDQ test vectors (ThreatExchange's needles and
// haystack, and every pair within distance 63 as computed independently).
func pdqTestdata(t testing.TB) string { return testdata.Dir(t, "pdq") }

func readHashFile(t testing.TB, path string) ([]pdq.Hash, []int) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hs, lines, err := ReadHashList(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return hs, lines
}

type pair struct{ Needle, Haystack, Distance int }

// TestNeedlesInHaystack finds every needle's matches in the haystack at radii from 0 to
// 63 and compares them with the expected pairs, for an index built at once (scanned, as
// so few hashes are) and for indexes forced to probe with the hashes split between base,
// delta and pending run, with 3- and 4-byte ids.
func TestNeedlesInHaystack(t *testing.T) {
	dir := pdqTestdata(t)
	needles, needleLines := readHashFile(t, filepath.Join(dir, "hashlists", "needles.txt"))
	haystack, haystackLines := readHashFile(t, filepath.Join(dir, "hashlists", "haystack.txt"))
	if len(needles) != 100 || len(haystack) != 1350 {
		t.Fatalf("read %d needles and %d haystack hashes, want 100 and 1350", len(needles), len(haystack))
	}
	expected := readPairs(t, filepath.Join(dir, "expected", "mih_needles_vs_haystack_le63.csv"))

	builds := map[string]func() *Index{
		"at once": func() *Index { x := New(); x.AddAll(haystack); return x },
		"probing, one by one": func() *Index {
			x := New()
			x.alwaysProbe, x.minPending, x.minDelta = true, 30, 300
			for _, h := range haystack {
				x.Add(h)
			}
			return x
		},
		"probing, wide ids": func() *Index {
			x := New()
			x.alwaysProbe, x.minPending, x.minDelta, x.narrowLimit = true, 0, 0, 100
			x.AddAll(haystack[:700])
			x.AddAll(haystack[700:])
			return x
		},
	}
	for name, build := range builds {
		t.Run(name, func(t *testing.T) {
			x := build()
			for _, r := range []int{0, 4, 15, 16, 20, 24, 31, 32, 40, 47, 48, 55, 62, 63} {
				var want, got []pair
				for _, p := range expected {
					if p.Distance <= r {
						want = append(want, p)
					}
				}
				if r == 31 && len(want) != 250 {
					t.Fatalf("the expected file has %d pairs within 31, its README says 250", len(want))
				}
				for i, ms := range x.QueryBatch(needles, r, 0) {
					// By needle line, then haystack line: ids follow the haystack's lines.
					ms = slices.Clone(ms)
					slices.SortFunc(ms, func(a, b Match) int { return cmp.Compare(a.ID, b.ID) })
					for _, m := range ms {
						got = append(got, pair{needleLines[i], haystackLines[m.ID], m.Distance})
					}
				}
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Fatalf("radius %d: pairs differ from the expected file (-want +got):\n%s", r, diff)
				}
			}
		})
	}
}

func readPairs(t testing.TB, path string) []pair {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if gocmp.Diff([]string{"needle_line", "haystack_line", "distance"}, rows[0]) != "" {
		t.Fatalf("%s: header %q", path, rows[0])
	}
	var out []pair
	for _, row := range rows[1:] {
		var p [3]int
		for i := range p {
			if p[i], err = strconv.Atoi(row[i]); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		out = append(out, pair{p[0], p[1], p[2]})
	}
	if len(out) == 0 {
		t.Fatalf("%s: no pairs", path)
	}
	return out
}
