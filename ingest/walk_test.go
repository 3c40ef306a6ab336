package ingest_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/ingest"
)

// This file holds how an ingest walks what it is given: folders, files and zip
// archives named as roots, the paths files are recorded under, and the files and
// folders it cannot read, which are reported without stopping the run.

// TestWalkPaths ingests roots of every sort and checks the path each file is recorded
// under: the root's base name, the path below it, and "!/" into an archive.
func TestWalkPaths(t *testing.T) {
	e := newEnv(t)
	top := t.TempDir()
	a, b, c, d := randomBytes(t, 100), randomBytes(t, 200), randomBytes(t, 300), randomBytes(t, 400)
	inner := randomBytes(t, 50)

	writeFile(t, filepath.Join(top, "phone", "DCIM", "Camera", "img 0001.jpg"), a)
	writeFile(t, filepath.Join(top, "phone", "Documents", "notes ü.txt"), b)
	writeZip(t, filepath.Join(top, "phone", "Backup", "OLD.ZIP"), zipEntry{name: "data/c.bin", content: c})
	// An archive inside an archive is kept as a file, not opened.
	var nested bytes.Buffer
	zw := zip.NewWriter(&nested)
	w, err := zw.Create("deep.bin")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(inner)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeZip(t, filepath.Join(top, "phone", "outer.zip"), zipEntry{name: "nested.zip", content: nested.Bytes()}, zipEntry{name: "/rooted.bin", content: d})
	// An empty archive has no files.
	writeZip(t, filepath.Join(top, "phone", "empty.zip"))
	// A symbolic link is not followed: its target is ingested where it is.
	if err := os.Symlink(filepath.Join(top, "phone", "Documents"), filepath.Join(top, "phone", "link-to-documents")); err != nil {
		t.Fatal(err)
	}
	// A file and an archive named as roots.
	writeFile(t, filepath.Join(top, "loose", "single.bin"), d)
	writeZip(t, filepath.Join(top, "loose", "export.zip"), zipEntry{name: "a.bin", content: a})

	sum := e.run(filepath.Join(top, "phone")+string(filepath.Separator), filepath.Join(top, "loose", "single.bin"), filepath.Join(top, "loose", "export.zip"))
	files := map[string][]byte{
		"phone/DCIM/Camera/img 0001.jpg":   a,
		"phone/Documents/notes ü.txt":      b,
		"phone/Backup/OLD.ZIP!/data/c.bin": c,
		"phone/outer.zip!/nested.zip":      nested.Bytes(),
		"phone/outer.zip!/rooted.bin":      d,
		"single.bin":                       d,
		"export.zip!/a.bin":                a,
	}
	if sum.Files != 7 || sum.Errors != 0 || sum.New != 5 || sum.Copies != 2 {
		t.Errorf("summary = %+v; want 7 files, 5 new, 2 copies", sum)
	}
	e.checkMedia("SB/1", files)
	e.checkBlobs()
}

// TestWalkUnreadable ingests a folder holding what cannot be read: each is reported
// by its path in the exhibit, and the rest is ingested.
func TestWalkUnreadable(t *testing.T) {
	e := newEnv(t)
	root, files := card(t)

	// A damaged archive: the first half of one.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"one.bin", "two.bin"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(randomBytes(t, 4000))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "broken.zip"), buf.Bytes()[:buf.Len()/2])
	missing := filepath.Join(t.TempDir(), "no-such-folder")

	sum := e.run(missing, root)
	if sum.Files != 10 || sum.Errors != 2 || sum.New != 5 || sum.Copies != 3 || len(sum.Failed) != 2 {
		t.Errorf("summary = %+v; want 10 files, 2 errors, 5 new, 3 copies", sum)
	}
	failed := map[string]string{}
	for _, f := range sum.Failed {
		failed[f.Path] = f.Error
	}
	if msg, ok := failed[missing]; !ok || !strings.Contains(msg, "no such file") {
		t.Errorf("the missing folder is reported as %q (%v); failed: %v", msg, ok, sum.Failed)
	}
	if msg, ok := failed["card/broken.zip"]; !ok || !strings.Contains(msg, "zip") {
		t.Errorf("the damaged archive is reported as %q (%v); failed: %v", msg, ok, sum.Failed)
	}
	e.checkMedia("SB/1", files)
	e.checkBlobs()
}

// TestWalkUnreadableByPermission ingests a file and a folder the ingest may not read.
func TestWalkUnreadableByPermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their permissions")
	}
	e := newEnv(t)
	root, files := card(t)
	locked, hidden := randomBytes(t, 900), randomBytes(t, 800)
	writeFile(t, filepath.Join(root, "locked.bin"), locked)
	writeFile(t, filepath.Join(root, "closed", "hidden.bin"), hidden)
	for _, p := range []string{filepath.Join(root, "locked.bin"), filepath.Join(root, "closed")} {
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "closed"), 0o755) })

	sum := e.run(root)
	failed := map[string]string{}
	for _, f := range sum.Failed {
		failed[f.Path] = f.Error
	}
	if sum.Errors != 2 || len(failed) != 2 || !strings.Contains(failed["card/locked.bin"], "permission denied") || !strings.Contains(failed["card/closed"], "permission denied") {
		t.Errorf("summary = %+v; want card/locked.bin and card/closed refused", sum)
	}
	e.checkMedia("SB/1", files)

	// Once readable, the next run ingests them and only them.
	for _, p := range []string{filepath.Join(root, "locked.bin"), filepath.Join(root, "closed")} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sum = e.run(root)
	if sum.Errors != 0 || sum.New != 2 || sum.Skipped != int64(len(files)) {
		t.Errorf("run once readable = %+v; want 2 new, %d skipped", sum, len(files))
	}
	files["card/locked.bin"], files["card/closed/hidden.bin"] = locked, hidden
	e.checkMedia("SB/1", files)
	e.checkBlobs()
}

// TestWalkDamagedEntry ingests an archive whose directory is sound but one of whose
// entries is cut short: that entry is an error, not a shorter file.
func TestWalkDamagedEntry(t *testing.T) {
	e := newEnv(t)
	root := filepath.Join(t.TempDir(), "disc")
	good, whole := randomBytes(t, 3000), randomBytes(t, 64<<10)

	var compressed bytes.Buffer
	fw, err := flate.NewWriter(&compressed, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(whole)
	fw.Close()
	cut := compressed.Bytes()[:compressed.Len()/2]

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("good.bin")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(good)
	// The header promises the whole file; half of its compressed data follows.
	w, err = zw.CreateRaw(&zip.FileHeader{Name: "cut.bin", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(whole),
		CompressedSize64: uint64(len(cut)), UncompressedSize64: uint64(len(whole))})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(cut)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "archive.zip"), buf.Bytes())

	sum := e.run(root)
	if sum.Errors != 1 || len(sum.Failed) != 1 || sum.Failed[0].Path != "disc/archive.zip!/cut.bin" || sum.New != 1 {
		t.Errorf("summary = %+v; want one error for disc/archive.zip!/cut.bin and good.bin new", sum)
	}
	e.checkMedia("SB/1", map[string][]byte{"disc/archive.zip!/good.bin": good})
	e.checkBlobs()
}

// TestWalkSameBaseName ingests two folders of the same name from different places
// (two cards' DCIM): every file is either recorded or reported, none is lost without a
// word, and no blob is left that no record points at.
func TestWalkSameBaseName(t *testing.T) {
	e := newEnv(t)
	first, second := filepath.Join(t.TempDir(), "DCIM"), filepath.Join(t.TempDir(), "DCIM")
	a, b := randomBytes(t, 1000), randomBytes(t, 1000)
	writeFile(t, filepath.Join(first, "photo.bin"), a)
	writeFile(t, filepath.Join(second, "photo.bin"), b)

	sum, err := ingest.Run(e.lead, e.db, e.blobs, []string{first, second}, e.opts("SB/1"))
	if caseroom.ErrorCode(err) == caseroom.EINVALID {
		// Refusing such roots is fine, if nothing is stored.
		if n := len(e.blobSums()); n != 0 || len(e.media("SB/1")) != 0 {
			t.Errorf("a refused run stored %d blobs", n)
		}
		return
	} else if err != nil {
		t.Fatal(err)
	}
	recorded := e.media("SB/1")
	stored := map[string]bool{}
	for _, m := range recorded {
		stored[m.SHA256] = true
	}
	for _, content := range [][]byte{a, b} {
		s256, _, _ := digests(content)
		if !stored[s256] && sum.Errors == 0 {
			t.Errorf("a file of content %s was neither recorded nor reported; summary %+v, recorded %v", s256[:12], sum, sortedKeys(recorded))
		}
	}
	if diff := cmp.Diff(e.contentSums(), e.blobSums()); diff != "" {
		t.Errorf("blobs differ from the contents recorded (-recorded +stored):\n%s", diff)
	}
}
