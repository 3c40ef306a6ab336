package ingest

// This file is in package ingest to walk with the walker itself: a fuzzed archive needs
// no database or blob store to show what an ingest would be given.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// zipSeed returns an archive of the named entries, each holding its own name as
// content; a name ending in "/" is a folder, one ending in ".raw" is stored, not
// compressed.
func zipSeed(f *testing.F, comment string, names ...string) []byte {
	f.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2026, 11, 20, 10, 15, 0, 0, time.UTC)}
		if strings.HasSuffix(name, ".raw") {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			f.Fatal(err)
		}
		if !strings.HasSuffix(name, "/") {
			w.Write([]byte(strings.Repeat(name, 20)))
		}
	}
	if comment != "" {
		zw.SetComment(comment)
	}
	if err := zw.Close(); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// damagedEntrySeed returns an archive whose directory is sound but whose one entry's
// compressed data is cut short (TestWalkDamagedEntry's archive, small).
func damagedEntrySeed(f *testing.F) []byte {
	whole := bytes.Repeat([]byte("evidence "), 500)
	var compressed bytes.Buffer
	fw, _ := flate.NewWriter(&compressed, flate.BestSpeed)
	fw.Write(whole)
	fw.Close()
	cut := compressed.Bytes()[:compressed.Len()/2]
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "cut.bin", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(whole),
		CompressedSize64: uint64(len(cut)), UncompressedSize64: uint64(len(whole))})
	if err != nil {
		f.Fatal(err)
	}
	w.Write(cut)
	if err := zw.Close(); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// hugeEntrySeed returns an archive whose one stored entry declares, in its zip64 extra
// field, a size past what an int64 holds.
func hugeEntrySeed(f *testing.F) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "huge.bin", Method: zip.Store, CompressedSize64: 5, UncompressedSize64: 1<<63 + 5})
	if err != nil {
		f.Fatal(err)
	}
	w.Write([]byte("small"))
	if err := zw.Close(); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzWalkZip walks a folder holding a fuzzed zip archive beside a plain file, as an
// ingest does, and checks what the ingest would be told: the plain file always; the
// archive either failed with an error and none of its entries reported, or every file
// entry archive/zip finds in it reported once, under a path of its own below the
// archive's: emitted, with a size that is not negative, or failed with an error; the
// counting walk and the ingesting walk agree; and reading an emitted entry either fails
// or gives exactly its size in bytes.
func FuzzWalkZip(f *testing.F) {
	two := zipSeed(f, "", "DCIM/img 0001.jpg", "notes.raw")
	f.Add([]byte{})
	f.Add(zipSeed(f, ""))
	f.Add(two)
	f.Add(two[:len(two)/2])
	f.Add(two[:len(two)-1])
	f.Add(zipSeed(f, "exported 2026-11-20", "Backup/", "Backup/old.raw", "/rooted.bin", "../up.bin"))
	f.Add(zipSeed(f, "", "same.bin", "same.bin", "Same.bin"))
	f.Add(zipSeed(f, "", "caf\xe9.jpg", "nul\x00.bin"))
	f.Add(zipSeed(f, "", "inner.zip"))
	f.Add(damagedEntrySeed(f))
	f.Add(hugeEntrySeed(f))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add([]byte("not a zip archive at all"))

	root := filepath.Join(f.TempDir(), "card")
	if err := os.MkdirAll(root, 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "plain.txt"), []byte("plain"), 0o644); err != nil {
		f.Fatal(err)
	}
	const archive = "card/a.zip"
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(root, "a.zip"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		// The file entries archive/zip finds, in the walk's order.
		var want []*zip.File
		z, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if zerr == nil {
			for _, f := range z.File {
				if !f.FileInfo().IsDir() {
					want = append(want, f)
				}
			}
			slices.SortStableFunc(want, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
		}

		w := &walker{roots: []string{root}}
		defer w.Close()
		var counted []Source
		if err := w.walk(false, func(s Source) error { counted = append(counted, s); return nil }, func(string, error) {}); err != nil {
			t.Fatalf("counting walk: %v", err)
		}
		// What the walk reports of the archive's entries, in order: each emitted, or
		// failed with an error.
		type report struct {
			path string
			src  *Source
			err  error
		}
		var emitted []Source
		var entries []report
		failed := map[string]error{} // failures other than of an entry
		err := w.walk(true, func(s Source) error {
			emitted = append(emitted, s)
			if strings.HasPrefix(unquoted(s.Path), archive+"!/") {
				entries = append(entries, report{path: s.Path, src: &s})
			}
			return nil
		}, func(p string, err error) {
			if err == nil {
				t.Errorf("%s reported as failed without an error", p)
			}
			if strings.HasPrefix(unquoted(p), archive+"!/") {
				entries = append(entries, report{path: p, err: err})
				return
			}
			if _, dup := failed[p]; dup {
				t.Errorf("%s reported as failed twice", p)
			}
			failed[p] = err
		})
		if err != nil {
			t.Fatalf("walk: %v", err)
		}

		if len(counted) != len(emitted) {
			t.Fatalf("the counting walk saw %d files, the ingesting walk %d", len(counted), len(emitted))
		}
		seen := map[string]bool{}
		for i, s := range emitted {
			if c := counted[i]; c.Path != s.Path || c.Size != s.Size {
				t.Errorf("the two walks disagree on file %d: %q (%d bytes) and %q (%d bytes)", i, c.Path, c.Size, s.Path, s.Size)
			}
			if s.Size < 0 {
				t.Errorf("%q emitted with size %d", s.Path, s.Size)
			}
			if s.ModTime != nil && s.ModTime.Location() != time.UTC {
				t.Errorf("%q: modification time %v is not in UTC", s.Path, s.ModTime)
			}
			if s.Path != "card/plain.txt" && !strings.HasPrefix(unquoted(s.Path), archive+"!/") {
				t.Errorf("emitted %q, neither the plain file nor an entry of the archive", s.Path)
			}
		}
		for _, e := range entries {
			if seen[e.path] {
				t.Errorf("%q reported twice", e.path)
			}
			seen[e.path] = true
		}
		if !slices.ContainsFunc(emitted, func(s Source) bool { return s.Path == "card/plain.txt" }) {
			t.Errorf("the plain file beside the archive was not emitted")
		}

		if zerr != nil {
			if failed[archive] == nil || len(failed) != 1 || len(entries) != 0 {
				t.Fatalf("archive/zip refuses it (%v), but the walk failed %v and reported %d entries", zerr, failed, len(entries))
			}
			return
		}
		if len(failed) != 0 {
			t.Fatalf("archive/zip reads it, but the walk failed %v", failed)
		}
		if len(entries) != len(want) {
			t.Fatalf("the archive has %d file entries; the walk reported %d", len(want), len(entries))
		}
		for i, e := range entries {
			// The entry's path, or that with "#2", "#3"... for a name met before.
			path, name := unquoted(e.path), archive+"!/"+strings.TrimPrefix(want[i].Name, "/")
			if n, ok := strings.CutPrefix(path, name); !ok || n != "" && !regexp.MustCompile(`^#[0-9]+$`).MatchString(n) {
				t.Errorf("entry %d reported as %q, for the entry named %q", i, e.path, want[i].Name)
			}
			if e.src == nil {
				continue
			}
			if e.src.Local != "" {
				t.Errorf("entry %q has a local path %q", e.path, e.src.Local)
			}
			checkRead(t, *e.src)
		}
	})
}

// unquoted undoes recordablePath's quoting.
func unquoted(p string) string {
	if u, err := strconv.Unquote(p); err == nil && strings.HasPrefix(p, `"`) {
		return u
	}
	return p
}

// checkRead reads s as an ingest does: either the read fails, or it gives exactly
// s.Size bytes.
func checkRead(t *testing.T, s Source) {
	t.Helper()
	rc, err := s.Open()
	if err != nil {
		return
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(truncationReader{rc}, s.Size+1))
	if err == nil && n != s.Size {
		t.Errorf("%q: read %d bytes without an error; its size is %d", s.Path, n, s.Size)
	}
}
