package ingest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/blob"
	"caseroom/ingest"
	"caseroom/sqlstore"
)

// This file holds the ingest of folders into an exhibit: what a run reports and
// records, the blobs it keeps, how it resumes, and what it refuses. walk_test.go holds
// how folders and archives are walked.

// seized is when the test exhibits were seized.
var seized = time.Date(2025, 6, 3, 9, 30, 0, 0, time.UTC)

// env is a fresh store with a case led by nadia, its exhibit SB/1, and an encrypted
// blob store on disk, as caseroom ingest sets them up.
type env struct {
	t      *testing.T
	db     *sqlstore.DB
	disk   *blob.Disk
	blobs  blob.Store
	dir    string // the blob store's directory
	lead   context.Context
	caseID string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "caseroom.db"), sqlstore.Options{KeyFile: filepath.Join(dir, "vault.key")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, dir: filepath.Join(dir, "blobs")}
	u := e.user("nadia")
	e.lead = caseroom.NewContextWithUser(context.Background(), u)
	c, err := db.CreateCase(e.lead, caseroom.NewCase{Title: "Operation Lantern"})
	if err != nil {
		t.Fatal(err)
	}
	e.caseID = c.ID
	e.exhibit(e.caseID, "SB/1")
	if e.disk, err = blob.NewDisk(e.dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.disk.Close() })
	id, err := blob.LoadOrCreateKey(filepath.Join(dir, "blob.key"))
	if err != nil {
		t.Fatal(err)
	}
	e.blobs = blob.NewEncrypted(e.disk, id)
	return e
}

// user creates a user at the console.
func (e *env) user(name string) *caseroom.User {
	e.t.Helper()
	console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	u, err := e.db.CreateUser(console, caseroom.NewUser{Name: name, Password: "correct horse battery staple"})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// member creates a user with a role in the case and returns their context.
func (e *env) member(name string, role caseroom.Role) context.Context {
	e.t.Helper()
	u := e.user(name)
	if _, err := e.db.AddMember(e.lead, e.caseID, caseroom.NewMembership{User: name, Role: role}); err != nil {
		e.t.Fatal(err)
	}
	return caseroom.NewContextWithUser(context.Background(), u)
}

// exhibit registers an exhibit in a case, acting as the lead.
func (e *env) exhibit(caseID, ref string) *caseroom.Exhibit {
	e.t.Helper()
	x, err := e.db.RegisterExhibit(e.lead, caseID, caseroom.NewExhibit{Ref: ref, Description: "Memory card " + ref, Kind: caseroom.ExhibitStorage, SeizedAt: &seized})
	if err != nil {
		e.t.Fatal(err)
	}
	return x
}

// opts are the options of a run into exhibit.
func (e *env) opts(exhibit string) ingest.Options {
	return ingest.Options{CaseID: e.caseID, Exhibit: exhibit, Workers: 3, Batch: 4}
}

// run ingests paths into SB/1 as the lead and fails the test if the run fails.
func (e *env) run(paths ...string) *ingest.Summary {
	e.t.Helper()
	sum, err := ingest.Run(e.lead, e.db, e.blobs, paths, e.opts("SB/1"))
	if err != nil {
		e.t.Fatalf("ingest %v: %v", paths, err)
	}
	return sum
}

// blobSums lists the blob store.
func (e *env) blobSums() map[string]bool {
	e.t.Helper()
	out := map[string]bool{}
	if err := e.disk.List(context.Background(), func(sum string) error { out[sum] = true; return nil }); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// contentSums lists the contents recorded.
func (e *env) contentSums() map[string]bool {
	e.t.Helper()
	out := map[string]bool{}
	if err := e.db.ContentSums(context.Background(), func(sum string) error { out[sum] = true; return nil }); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// tempFiles counts the blob store's temporary files: blobs begun and not finished.
func (e *env) tempFiles() int {
	e.t.Helper()
	es, err := os.ReadDir(filepath.Join(e.dir, "tmp"))
	if err != nil {
		e.t.Fatal(err)
	}
	return len(es)
}

// checkBlobs checks that the blob store holds exactly one blob per recorded content,
// that each reads back to its sum, and that no blob was left half written.
func (e *env) checkBlobs() {
	e.t.Helper()
	blobs, contents := e.blobSums(), e.contentSums()
	if diff := cmp.Diff(contents, blobs); diff != "" {
		e.t.Errorf("blobs differ from the contents recorded (-recorded +stored):\n%s", diff)
	}
	report, err := blob.Verify(context.Background(), e.blobs, func(sum string, err error) {
		if err != nil {
			e.t.Errorf("blob %s: %v", sum, err)
		}
	})
	if err != nil || report.OK != len(blobs) || report.Corrupt != 0 {
		e.t.Errorf("verify = %+v, %v; want %d blobs OK", report, err, len(blobs))
	}
	if n := e.tempFiles(); n != 0 {
		e.t.Errorf("%d temporary blob files left", n)
	}
}

// media returns an exhibit's files by path.
func (e *env) media(exhibit string) map[string]*caseroom.Media {
	e.t.Helper()
	ms, err := e.db.FindMedia(e.lead, e.caseID, caseroom.MediaFilter{ExhibitID: exhibit})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]*caseroom.Media{}
	for _, m := range ms {
		out[m.Path] = m
	}
	return out
}

// summary counts the case's media.
func (e *env) summary() *caseroom.MediaSummary {
	e.t.Helper()
	s, err := e.db.SummariseMedia(e.lead, e.caseID)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// checkMedia checks that the exhibit's files are exactly want (content by path), each
// with the digests and size of its content.
func (e *env) checkMedia(exhibit string, want map[string][]byte) {
	e.t.Helper()
	got := e.media(exhibit)
	if diff := cmp.Diff(sortedKeys(want), sortedKeys(got)); diff != "" {
		e.t.Errorf("%s: files recorded (-want +got):\n%s", exhibit, diff)
	}
	for p, content := range want {
		m := got[p]
		if m == nil {
			continue
		}
		s256, s1, m5 := digests(content)
		if m.SHA256 != s256 || m.SHA1 != s1 || m.MD5 != m5 || m.Size != int64(len(content)) {
			e.t.Errorf("%s: sha256 %s sha1 %s md5 %s size %d; want %s %s %s %d", p, m.SHA256, m.SHA1, m.MD5, m.Size, s256, s1, m5, len(content))
		}
	}
}

// wantSummary is what SummariseMedia should say of files (content by path).
func wantSummary(files map[string][]byte) *caseroom.MediaSummary {
	s := &caseroom.MediaSummary{}
	seen := map[string]bool{}
	for _, c := range files {
		s.Files++
		s.Bytes += int64(len(c))
		if sum, _, _ := digests(c); !seen[sum] {
			seen[sum] = true
			s.Unique++
			s.UniqueBytes += int64(len(c))
		}
	}
	s.Copies = s.Files - s.Unique
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// digests returns the hex SHA-256, SHA-1 and MD5 of b.
func digests(b []byte) (string, string, string) {
	s256, s1, m5 := sha256.Sum256(b), sha1.Sum(b), md5.Sum(b)
	return hex.EncodeToString(s256[:]), hex.EncodeToString(s1[:]), hex.EncodeToString(m5[:])
}

// randomBytes returns n random bytes: content no other test file shares.
func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// gradientPNG is a benign synthetic image: a w×h colour gradient.
func gradientPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes a file, making its folders.
func writeFile(t *testing.T, p string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

// zipEntry is a file of a zip archive written by writeZip; a name ending in / is a
// folder.
type zipEntry struct {
	name    string
	content []byte
	stored  bool // not compressed
}

// zipModified is when the entries of the test archives were last modified.
var zipModified = time.Date(2024, 5, 6, 7, 8, 10, 0, time.UTC)

// writeZip writes a zip archive of entries at p.
func writeZip(t *testing.T, p string, entries ...zipEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, en := range entries {
		h := &zip.FileHeader{Name: en.name, Method: zip.Deflate, Modified: zipModified}
		if en.stored {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(en.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, p, buf.Bytes())
}

// fileModified is the modification time given to card/a.bin.
var fileModified = time.Date(2023, 12, 24, 18, 0, 0, 0, time.UTC)

// card writes a memory card's folder, named card, under a new temporary folder:
// random files, copies of them under other names and in a zip archive, an empty file,
// a gradient image and nested folders. It returns the folder and the files an ingest
// of it should record, content by path in the exhibit.
func card(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "card")
	a := randomBytes(t, 3000)
	b := randomBytes(t, 300<<10+17) // more than one read of 256 KiB
	x := randomBytes(t, 5000)
	img := gradientPNG(t, 64, 48)
	writeFile(t, filepath.Join(root, "a.bin"), a)
	if err := os.Chtimes(filepath.Join(root, "a.bin"), fileModified, fileModified); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "sub", "b.bin"), b)
	writeFile(t, filepath.Join(root, "sub", "deeper", "a-copy.bin"), a)
	writeFile(t, filepath.Join(root, "empty.txt"), nil)
	writeFile(t, filepath.Join(root, "img", "gradient.png"), img)
	writeZip(t, filepath.Join(root, "b", "bundle.zip"),
		zipEntry{name: "inner/"},
		zipEntry{name: "inner/x.bin", content: x},
		zipEntry{name: "inner/a.bin", content: a, stored: true},
		zipEntry{name: "b-copy.bin", content: b})
	if err := os.MkdirAll(filepath.Join(root, "empty-folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	return root, map[string][]byte{
		"card/a.bin":                     a,
		"card/sub/b.bin":                 b,
		"card/sub/deeper/a-copy.bin":     a,
		"card/empty.txt":                 {},
		"card/img/gradient.png":          img,
		"card/b/bundle.zip!/inner/x.bin": x,
		"card/b/bundle.zip!/inner/a.bin": a,
		"card/b/bundle.zip!/b-copy.bin":  b,
	}
}

// counts are a summary's numbers.
type counts struct{ Files, Bytes, New, Copies, Skipped, Errors int64 }

func countsOf(s *ingest.Summary) counts {
	return counts{Files: s.Files, Bytes: s.Bytes, New: s.New, Copies: s.Copies, Skipped: s.Skipped, Errors: s.Errors}
}

// totalBytes is the size of all files.
func totalBytes(files map[string][]byte) int64 {
	var n int64
	for _, c := range files {
		n += int64(len(c))
	}
	return n
}

func TestIngestFolder(t *testing.T) {
	e := newEnv(t)
	root, files := card(t)

	var mu sync.Mutex
	var last ingest.Progress
	opts := e.opts("SB/1")
	opts.Progress = func(p ingest.Progress) { mu.Lock(); last = p; mu.Unlock() }
	sum, err := ingest.Run(e.lead, e.db, e.blobs, []string{root}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := counts{Files: 8, Bytes: totalBytes(files), New: 5, Copies: 3}
	if diff := cmp.Diff(want, countsOf(sum)); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if sum.Failed == nil || len(sum.Failed) != 0 {
		t.Errorf("failed = %#v, want an empty list", sum.Failed)
	}
	if last.Files != 8 || last.TotalFiles != 8 || last.Bytes != want.Bytes || last.TotalBytes != want.Bytes {
		t.Errorf("last progress = %+v; want all 8 files and %d bytes of 8 and %d", last, want.Bytes, want.Bytes)
	}

	e.checkMedia("SB/1", files)
	e.checkBlobs()
	if n := len(e.blobSums()); n != 5 {
		t.Errorf("%d blobs, want 5: one per content", n)
	}
	if diff := cmp.Diff(wantSummary(files), e.summary()); diff != "" {
		t.Errorf("media summary (-want +got):\n%s", diff)
	}

	ms := e.media("SB/1")
	if m := ms["card/a.bin"]; m.ModTime == nil || !m.ModTime.Equal(fileModified) || m.IngestedBy != "nadia" || m.ExhibitRef != "SB/1" {
		t.Errorf("card/a.bin = %+v; want modified %s, ingested by nadia", m, fileModified)
	}
	if m := ms["card/b/bundle.zip!/inner/x.bin"]; m.ModTime == nil || !m.ModTime.Equal(zipModified) {
		t.Errorf("zip entry modified %v, want %s", m.ModTime, zipModified)
	}
	if m := ms["card/img/gradient.png"]; m.MIME != "image/png" || m.Meta.Width != 64 || m.Meta.Height != 48 {
		t.Errorf("gradient image: mime %q, %d×%d; want image/png 64×48", m.MIME, m.Meta.Width, m.Meta.Height)
	}
	var also []string
	for _, l := range ms["card/a.bin"].AlsoFoundIn {
		also = append(also, l.ExhibitRef+" "+l.Path)
	}
	sort.Strings(also)
	if diff := cmp.Diff([]string{"SB/1 card/b/bundle.zip!/inner/a.bin", "SB/1 card/sub/deeper/a-copy.bin"}, also); diff != "" {
		t.Errorf("card/a.bin also found in (-want +got):\n%s", diff)
	}

	// The blob holds the content, encrypted at rest.
	s256, _, _ := digests(files["card/sub/b.bin"])
	if got := readBlob(t, e.blobs, s256); !bytes.Equal(got, files["card/sub/b.bin"]) {
		t.Errorf("blob %s reads back %d bytes, not the file's %d", s256, len(got), len(files["card/sub/b.bin"]))
	}
	if raw := readBlob(t, e.disk, s256); bytes.Contains(raw, files["card/sub/b.bin"][:64]) {
		t.Errorf("blob %s is stored in the clear", s256)
	}

	// Every file has its own audit entry.
	es, err := e.db.FindAuditEntries(e.lead, caseroom.AuditFilter{After: -1, CaseID: e.caseID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	objects := map[string]bool{}
	for _, en := range es {
		if en.Action == "media.ingest" {
			objects[en.ObjectID] = true
		}
	}
	for p, m := range ms {
		if !objects[m.ID] {
			t.Errorf("%s (%s) has no media.ingest audit entry", p, m.ID)
		}
	}
	if len(objects) != len(ms) {
		t.Errorf("%d media.ingest entries for %d files", len(objects), len(ms))
	}
}

// readBlob reads a whole blob.
func readBlob(t *testing.T, s blob.Store, sum string) []byte {
	t.Helper()
	r, err := s.Open(context.Background(), sum)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIngestResume runs an ingest again, and again after files were added: what was
// recorded is not read again.
func TestIngestResume(t *testing.T) {
	e := newEnv(t)
	root, files := card(t)
	e.run(root)
	blobs := e.blobSums()

	sum := e.run(root)
	want := counts{Files: 8, Skipped: 8}
	if diff := cmp.Diff(want, countsOf(sum)); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(blobs, e.blobSums()); diff != "" {
		t.Errorf("second run changed the blobs (-before +after):\n%s", diff)
	}

	// A copy and a new file added since.
	late := randomBytes(t, 777)
	writeFile(t, filepath.Join(root, "sub", "again.bin"), files["card/a.bin"])
	writeFile(t, filepath.Join(root, "late.bin"), late)
	files["card/sub/again.bin"] = files["card/a.bin"]
	files["card/late.bin"] = late
	sum = e.run(root)
	want = counts{Files: 10, Skipped: 8, New: 1, Copies: 1, Bytes: int64(len(late) + len(files["card/a.bin"]))}
	if diff := cmp.Diff(want, countsOf(sum)); diff != "" {
		t.Errorf("run after adding two files (-want +got):\n%s", diff)
	}
	e.checkMedia("SB/1", files)
	e.checkBlobs()
	if diff := cmp.Diff(wantSummary(files), e.summary()); diff != "" {
		t.Errorf("media summary (-want +got):\n%s", diff)
	}
}

// cancellingStore cancels a run once it has recorded some batches, as an interrupted
// ingest (Ctrl-C, a lost connection) stops between two.
type cancellingStore struct {
	ingest.Store
	cancel  context.CancelFunc
	after   int
	mu      sync.Mutex
	batches int
}

func (s *cancellingStore) RecordMedia(ctx context.Context, caseID, exhibit string, files []caseroom.NewMedia) (int, error) {
	n, err := s.Store.RecordMedia(ctx, caseID, exhibit, files)
	if len(files) > 0 && err == nil {
		s.mu.Lock()
		if s.batches++; s.batches == s.after {
			s.cancel()
		}
		s.mu.Unlock()
	}
	return n, err
}

// TestIngestInterrupted stops a run after some batches, then runs it again: the second
// run records the rest, the totals are exact, and every blob is a recorded content.
func TestIngestInterrupted(t *testing.T) {
	e := newEnv(t)
	root, files := card(t)
	common := randomBytes(t, 1500)
	for i := range 16 {
		content := common
		if i%2 == 0 {
			content = randomBytes(t, 1000+i)
		}
		p := fmt.Sprintf("many/f%02d.bin", i)
		writeFile(t, filepath.Join(root, filepath.FromSlash(p)), content)
		files["card/"+p] = content
	}

	ctx, cancel := context.WithCancel(e.lead)
	defer cancel()
	store := &cancellingStore{Store: e.db, cancel: cancel, after: 2}
	opts := e.opts("SB/1")
	opts.Workers, opts.Batch = 2, 2
	if _, err := ingest.Run(ctx, store, e.blobs, []string{root}, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want context.Canceled", err)
	}
	done := len(e.media("SB/1"))
	if done == 0 || done >= len(files) {
		t.Fatalf("the interrupted run recorded %d of %d files; want some", done, len(files))
	}
	// Whatever is recorded has its blob.
	blobs := e.blobSums()
	for sum := range e.contentSums() {
		if !blobs[sum] {
			t.Errorf("content %s is recorded without its blob", sum)
		}
	}
	if n := e.tempFiles(); n != 0 {
		t.Errorf("the interrupted run left %d temporary blob files", n)
	}

	sum := e.run(root)
	if sum.Errors != 0 || sum.Files != int64(len(files)) || sum.Skipped != int64(done) || sum.New+sum.Copies+sum.Skipped != sum.Files {
		t.Errorf("run after the interruption = %+v; want %d files, %d skipped, the rest new or copies", sum, len(files), done)
	}
	e.checkMedia("SB/1", files)
	if diff := cmp.Diff(wantSummary(files), e.summary()); diff != "" {
		t.Errorf("media summary (-want +got):\n%s", diff)
	}
	e.checkBlobs()
}

// TestIngestCopiesInParallel ingests many files of one content with parallel workers:
// one is new, the rest copies, and one blob is kept.
func TestIngestCopiesInParallel(t *testing.T) {
	e := newEnv(t)
	root := filepath.Join(t.TempDir(), "copies")
	content := randomBytes(t, 40<<10)
	files := map[string][]byte{}
	for i := range 20 {
		writeFile(t, filepath.Join(root, fmt.Sprintf("c%02d.bin", i)), content)
		files[fmt.Sprintf("copies/c%02d.bin", i)] = content
	}
	opts := e.opts("SB/1")
	opts.Workers, opts.Batch = 4, 3
	sum, err := ingest.Run(e.lead, e.db, e.blobs, []string{root}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := counts{Files: 20, New: 1, Copies: 19, Bytes: 20 * int64(len(content))}
	if diff := cmp.Diff(want, countsOf(sum)); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	e.checkMedia("SB/1", files)
	e.checkBlobs()
	if n := len(e.blobSums()); n != 1 {
		t.Errorf("%d blobs for one content", n)
	}
	for p, m := range e.media("SB/1") {
		if len(m.AlsoFoundIn) != 19 {
			t.Errorf("%s also found in %d files, want 19", p, len(m.AlsoFoundIn))
		}
	}

	// The same content in another exhibit is a copy: no blob is written.
	e.exhibit(e.caseID, "SB/2")
	sum, err = ingest.Run(e.lead, e.db, e.blobs, []string{filepath.Join(root, "c00.bin")}, e.opts("SB/2"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 0 || sum.Copies != 1 || sum.Errors != 0 {
		t.Errorf("a known content in SB/2 = %+v; want one copy", sum)
	}
	e.checkMedia("SB/2", map[string][]byte{"c00.bin": content})
	if n := len(e.blobSums()); n != 1 {
		t.Errorf("%d blobs for one content", n)
	}
}

// TestIngestRefused runs ingests that may not run: nothing is read or stored.
func TestIngestRefused(t *testing.T) {
	e := newEnv(t)
	root, _ := card(t)
	other, err := e.db.CreateCase(e.lead, caseroom.NewCase{Title: "Operation Ember"})
	if err != nil {
		t.Fatal(err)
	}
	otherX := e.exhibit(other.ID, "KM/1")
	prosecutor := e.member("pia", caseroom.RoleProsecutor)
	advocate := e.member("amina", caseroom.RoleAdvocate)
	stranger := caseroom.NewContextWithUser(context.Background(), e.user("nils"))

	for _, tc := range []struct {
		name    string
		ctx     context.Context
		exhibit string
		paths   []string
		code    string
	}{
		{"another case's exhibit, by id", e.lead, otherX.ID, []string{root}, caseroom.ENOTFOUND},
		{"an unknown exhibit", e.lead, "SB/9", []string{root}, caseroom.ENOTFOUND},
		{"a prosecutor", prosecutor, "SB/1", []string{root}, caseroom.EFORBIDDEN},
		{"an advocate", advocate, "SB/1", []string{root}, caseroom.EFORBIDDEN},
		{"not a member", stranger, "SB/1", []string{root}, caseroom.ENOTFOUND},
		{"nothing to ingest", e.lead, "SB/1", nil, caseroom.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum, err := ingest.Run(tc.ctx, e.db, e.blobs, tc.paths, e.opts(tc.exhibit))
			if caseroom.ErrorCode(err) != tc.code {
				t.Errorf("Run = %+v, %v; want code %s", sum, err, tc.code)
			}
			if tc.paths != nil {
				src := ingest.SourceFromReader("upload/a.bin", 3, strings.NewReader("abc"))
				if _, err := ingest.RunOne(tc.ctx, e.db, e.blobs, src, e.opts(tc.exhibit)); caseroom.ErrorCode(err) != tc.code {
					t.Errorf("RunOne: %v; want code %s", err, tc.code)
				}
			}
			if n := len(e.blobSums()); n != 0 {
				t.Errorf("a refused ingest stored %d blobs", n)
			}
			if n := e.tempFiles(); n != 0 {
				t.Errorf("a refused ingest left %d temporary blob files", n)
			}
			if s := e.summary(); s.Files != 0 {
				t.Errorf("a refused ingest recorded %d files", s.Files)
			}
		})
	}
	if s, err := e.db.SummariseMedia(e.lead, other.ID); err != nil || s.Files != 0 {
		t.Errorf("the other case has %+v, %v", s, err)
	}
}

// failingReader returns n bytes of content, then err.
type failingReader struct {
	content []byte
	n       int
	err     error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	k := copy(p, r.content[:min(len(p), r.n)])
	r.content, r.n = r.content[k:], r.n-k
	return k, nil
}

// TestIngestOne ingests uploads: one that arrives whole, and ones that do not, which
// must leave no record and no blob.
func TestIngestOne(t *testing.T) {
	e := newEnv(t)
	content := randomBytes(t, 1<<20)

	// An upload read whole, of known size or not.
	for _, tc := range []struct {
		path string
		size int64
	}{{"upload/whole.bin", int64(len(content))}, {"upload/unsized.bin", -1}} {
		sum, err := ingest.RunOne(e.lead, e.db, e.blobs, ingest.SourceFromReader(tc.path, tc.size, bytes.NewReader(content)), e.opts("SB/1"))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Files != 1 || sum.Errors != 0 || sum.New+sum.Copies != 1 || sum.Bytes != int64(len(content)) {
			t.Errorf("upload %s = %+v", tc.path, sum)
		}
	}
	files := map[string][]byte{"upload/whole.bin": content, "upload/unsized.bin": content}
	e.checkMedia("SB/1", files)
	// The same upload again is already recorded.
	sum, err := ingest.RunOne(e.lead, e.db, e.blobs, ingest.SourceFromReader("upload/whole.bin", int64(len(content)), bytes.NewReader(content)), e.opts("SB/1"))
	if err != nil || sum.Skipped != 1 || sum.Bytes != 0 {
		t.Errorf("the same upload again = %+v, %v; want it skipped", sum, err)
	}

	for _, tc := range []struct {
		name string
		r    io.Reader
		size int64
		why  string // what the error says, if known
	}{
		{"the device goes away", &failingReader{content: content, n: 300 << 10, err: errors.New("device went away")}, int64(len(content)), "device went away"},
		{"the device goes away, size unknown", &failingReader{content: content, n: 300 << 10, err: errors.New("device went away")}, -1, "device went away"},
		// net/http's body reader says io.ErrUnexpectedEOF when a body is cut short.
		{"the upload is cut short", &failingReader{content: content, n: 100 << 10, err: io.ErrUnexpectedEOF}, int64(len(content)), ""},
		{"the upload is cut short, size unknown", &failingReader{content: content, n: 100 << 10, err: io.ErrUnexpectedEOF}, -1, ""},
		{"the upload ends before its size", &failingReader{content: content, n: 100 << 10, err: io.EOF}, int64(len(content)), ""},
	} {
		t.Run("fails: "+tc.name, func(t *testing.T) {
			p := "upload/" + strings.ReplaceAll(tc.name, " ", "-") + ".bin"
			blobs := e.blobSums()
			sum, err := ingest.RunOne(e.lead, e.db, e.blobs, ingest.SourceFromReader(p, tc.size, tc.r), e.opts("SB/1"))
			if err != nil {
				t.Fatal(err)
			}
			if sum.Errors != 1 || len(sum.Failed) != 1 || sum.Failed[0].Path != p || sum.New != 0 || sum.Copies != 0 {
				t.Errorf("summary = %+v; want one error for %s", sum, p)
			} else if msg := sum.Failed[0].Error; tc.why != "" && !strings.Contains(msg, tc.why) {
				t.Errorf("error %q does not say %q", msg, tc.why)
			}
			if m := e.media("SB/1")[p]; m != nil {
				t.Errorf("recorded %s: %d bytes, sha256 %s", p, m.Size, m.SHA256)
			}
			if diff := cmp.Diff(blobs, e.blobSums()); diff != "" {
				t.Errorf("blobs changed (-before +after):\n%s", diff)
			}
			if n := e.tempFiles(); n != 0 {
				t.Errorf("%d temporary blob files left", n)
			}
		})
	}
	e.checkMedia("SB/1", files)
	e.checkBlobs()
}

// failingStore is a store whose database fails once files are to be recorded.
type failingStore struct{ ingest.Store }

func (s failingStore) RecordMedia(ctx context.Context, caseID, exhibit string, files []caseroom.NewMedia) (int, error) {
	if len(files) > 0 {
		return 0, errors.New("database went away")
	}
	return s.Store.RecordMedia(ctx, caseID, exhibit, files)
}

// TestIngestStoreFails runs an ingest whose records cannot be written: the run fails
// with the store's error and stops, rather than read and store the rest of the device
// for nothing.
func TestIngestStoreFails(t *testing.T) {
	e := newEnv(t)
	root := filepath.Join(t.TempDir(), "many")
	const files = 200
	for i := range files {
		writeFile(t, filepath.Join(root, fmt.Sprintf("f%03d.bin", i)), randomBytes(t, 2000))
	}
	opts := e.opts("SB/1")
	opts.Workers, opts.Batch = 2, 2
	sum, err := ingest.Run(e.lead, failingStore{e.db}, e.blobs, []string{root}, opts)
	if err == nil || !strings.Contains(err.Error(), "database went away") {
		t.Fatalf("Run = %+v, %v; want the store's error", sum, err)
	}
	if n := len(e.blobSums()); n > files/10 {
		t.Errorf("the run stored %d of %d files after the store had failed on the first batch", n, files)
	}
	if n := e.tempFiles(); n != 0 {
		t.Errorf("%d temporary blob files left", n)
	}
}
