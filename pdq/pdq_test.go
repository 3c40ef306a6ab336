package pdq

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"caseroom/internal/testdata"
)

// pdqDir is the shared PDQ test set: images and the reference C++ outputs.
func pdqDir(t testing.TB) string { return testdata.Dir(t, "pdq") }

// readCSV reads one of the expected-output files as rows keyed by column name.
func readCSV(t testing.TB, name string) []map[string]string { return testdata.PDQExpected(t, name) }

func decodeFile(t testing.TB, name string) (*Luma, Info, image.Image) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(pdqDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	l, info, err := Decode(data, 0)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	img, _, err := image.Decode(bytesReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return l, info, img
}

func clone(l *Luma) *Luma {
	c := NewLuma(l.W, l.H)
	copy(c.Pix, l.Pix)
	return c
}

// TestCoreVectors checks every row of core_godecode.csv bit for bit: the hash and
// quality of pdqHash256FromFloatLuma and the eight dihedral hashes and their quality.
func TestCoreVectors(t *testing.T) {
	for _, row := range readCSV(t, "core_godecode.csv") {
		t.Run(row["file"], func(t *testing.T) {
			l, info, img := decodeFile(t, row["file"])
			if w, h := strconv.Itoa(info.Width), strconv.Itoa(info.Height); w != row["width"] || h != row["height"] {
				t.Errorf("size %sx%s, want %sx%s", w, h, row["width"], row["height"])
			}
			_, grey := img.(*image.Gray)
			if grey != (row["luma"] == "grey") {
				t.Errorf("grey path %v, want luma %s", grey, row["luma"])
			}
			h, q := clone(l).Hash()
			if h.String() != row["pdq"] || strconv.Itoa(q) != row["quality"] {
				t.Errorf("pdq %s,%d\nwant %s,%s", h, q, row["pdq"], row["quality"])
			}
			d, dq := l.Dihedral()
			for k, name := range Orientations {
				if want := row["dih_"+name]; d[k].String() != want {
					t.Errorf("%s: %s\n want %s (distance %d)", name, d[k], want, distanceHex(t, d[k], want))
				}
			}
			if strconv.Itoa(dq) != row["dih_quality"] {
				t.Errorf("dihedral quality %d, want %s", dq, row["dih_quality"])
			}
		})
	}
}

// TestCLI512Vectors checks the command-line-compatible mode (squash to 512x512 by
// nearest neighbour first) against cli512_godecode.csv, bit for bit.
func TestCLI512Vectors(t *testing.T) {
	for _, row := range readCSV(t, "cli512_godecode.csv") {
		t.Run(row["file"], func(t *testing.T) {
			l, _, _ := decodeFile(t, row["file"])
			l = l.Squash512()
			h, q := clone(l).Hash()
			if h.String() != row["pdq"] || strconv.Itoa(q) != row["quality"] {
				t.Errorf("pdq %s,%d\nwant %s,%s", h, q, row["pdq"], row["quality"])
			}
			d, _ := l.Dihedral()
			for k, name := range Orientations {
				if want := row["dih_"+name]; d[k].String() != want {
					t.Errorf("%s: %s\n want %s", name, d[k], want)
				}
			}
		})
	}
}

func distanceHex(t testing.TB, h Hash, s string) int {
	w, err := ParseHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return Distance(&h, &w)
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// TestHashes: Hashes agrees with Hash and Dihedral, at 64x64 (where Hash does not blur)
// and at other sizes.
func TestHashes(t *testing.T) {
	for _, sz := range [][2]int{{64, 64}, {100, 80}, {5, 5}, {4, 4}} {
		a, b, c := smoothLuma(sz[0], sz[1]), smoothLuma(sz[0], sz[1]), smoothLuma(sz[0], sz[1])
		h, q, forms := a.Hashes()
		wh, wq := b.Hash()
		wf, _ := c.Dihedral()
		if h != wh || q != wq || forms != wf {
			t.Errorf("%v: Hashes %s,%d,%v; want %s,%d,%v", sz, h, q, forms, wh, wq, wf)
		}
	}
}
