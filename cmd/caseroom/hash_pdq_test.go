package main

import (
	"bytes"
	"context"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseroom/internal/testdata"
)

// pdqTestdata is the shared PDQ test set.
func pdqTestdata(t testing.TB) string { return testdata.Dir(t, "pdq") }

// TestHashPDQMatchesReference runs "caseroom hash pdq" over every image of the shared
// test set, plain, with --dihedral and with --cli512, and compares each line with the
// reference outputs.
func TestHashPDQMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		csv   string
		flags []string
		cols  func(row map[string]string) string
	}{
		{"core_godecode.csv", nil, func(r map[string]string) string { return r["pdq"] + "," + r["quality"] }},
		{"core_godecode.csv", []string{"--dihedral"}, func(r map[string]string) string {
			return strings.Join([]string{r["dih_orig"], r["dih_rot90"], r["dih_rot180"], r["dih_rot270"], r["dih_flipx"], r["dih_flipy"], r["dih_flipplus1"], r["dih_flipminus1"], r["dih_quality"]}, ",")
		}},
		{"cli512_godecode.csv", []string{"--cli512"}, func(r map[string]string) string { return r["pdq"] + "," + r["quality"] }},
	} {
		rows := testdata.PDQExpected(t, tc.csv)
		args := append([]string{"hash", "pdq"}, tc.flags...)
		var want strings.Builder
		for _, row := range rows {
			path := filepath.Join(pdqTestdata(t), row["file"])
			args = append(args, path)
			want.WriteString(tc.cols(row) + "," + path + "\n")
		}
		if got := cli(t, "", args...); got != want.String() {
			t.Errorf("hash pdq %v:\n%s\nwant:\n%s", tc.flags, got, want.String())
		}
	}
}

// TestHashPDQBadFiles: a file that is not an image, a truncated JPEG, a PNG whose header
// claims a billion pixels, and a missing file each get a line on stderr naming the file;
// the good file is still hashed, and the exit status is 1.
func TestHashPDQBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(pdqTestdata(t), "images/misc-images/wee.jpg")
	jpeg, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"notes.txt":     []byte("not an image at all\n"),
		"truncated.jpg": jpeg[:len(jpeg)/2],
		"bomb.png":      pngHeader(100000, 10000),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	args := []string{"hash", "pdq", filepath.Join(dir, "notes.txt"), good, filepath.Join(dir, "truncated.jpg"), filepath.Join(dir, "bomb.png"), filepath.Join(dir, "missing.png")}
	if code := runContext(context.Background(), args, strings.NewReader(""), &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 1 || !strings.HasSuffix(lines[0], ",100,"+good) {
		t.Errorf("stdout %q, want the one good file's line", out.String())
	}
	for _, want := range []string{
		"notes.txt: not an image in a format PDQ reads",
		"truncated.jpg: damaged",
		"bomb.png: png image of 100000x10000 is above the limit of 50000000 pixels",
		"missing.png: open",
		"some files could not be hashed",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
}

// pngHeader is the start of a PNG claiming the given size: signature and IHDR only.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte{byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h), 8, 2, 0, 0, 0}
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	b.Write([]byte{0, 0, 0, 13})
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	c := crc32.ChecksumIEEE(chunk)
	b.Write([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
	return b.Bytes()
}
