// Package testdata finds the shared reference files the tests compare with: the folder
// testdata in the workplace's shared folder beside the repository (../shared/testdata
// from the repository root), or the folder named by $CASEROOM_TESTDATA.
package testdata

import (
	"bytes"
	"encoding/csv"
	"image"
	"image/jpeg"
	_ "image/png" // the unrelated picture's format, for image.Decode's callers
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/draw"
)

// Dir returns the shared test-data folder name (such as "pdq"). When it cannot be found
// the test is skipped with a message, or fails if $CI is set: under CI the reference
// vectors must be checked, not silently passed over.
func Dir(t testing.TB, name string) string {
	t.Helper()
	var tried []string
	for _, base := range candidates() {
		dir := filepath.Join(base, name)
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		tried = append(tried, dir)
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("shared test data %q not found (tried %v); set CASEROOM_TESTDATA to the shared testdata folder", name, tried)
	}
	t.Skipf("shared test data %q not found (tried %v); set CASEROOM_TESTDATA to the shared testdata folder", name, tried)
	return ""
}

// candidates are the folders that may hold the shared test data, in order.
func candidates() []string {
	var out []string
	if d := os.Getenv("CASEROOM_TESTDATA"); d != "" {
		out = append(out, d)
	}
	// From the test's package folder up to the repository root (the folder with go.mod),
	// then its sibling shared/testdata.
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				out = append(out, filepath.Join(filepath.Dir(dir), "shared", "testdata"))
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	return append(out, "/work/shared/testdata")
}

// PDQExpected reads one of the PDQ test set's expected-output CSV files (pdq/expected/
// name) as rows keyed by column name. A file without rows fails the test.
func PDQExpected(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(Dir(t, "pdq"), "expected", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, col := range recs[0] {
			row[col] = rec[i]
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no rows", name)
	}
	return rows
}

// NearDuplicates returns three benign images of the PDQ test set: a photo (bridge-mods/
// aaa-orig.jpg), its re-encode at half size as a JPEG of the given quality (a
// near-duplicate, a few bits of PDQ apart), and an unrelated picture (misc-images/c.png).
func NearDuplicates(t testing.TB, quality int) (orig, half, other []byte) {
	t.Helper()
	dir := Dir(t, "pdq")
	orig, err := os.ReadFile(filepath.Join(dir, "images/bridge-mods/aaa-orig.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(orig))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	small := image.NewRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	draw.BiLinear.Scale(small, small.Bounds(), img, b, draw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, small, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	if other, err = os.ReadFile(filepath.Join(dir, "images/misc-images/c.png")); err != nil {
		t.Fatal(err)
	}
	return orig, buf.Bytes(), other
}
