package ingest_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"caseroom"
	"caseroom/ingest"
	"caseroom/internal/testdata"
)

// This file holds issue 21: a content that occurs more than once (in one folder, in an
// archive, across runs, in runs racing each other, as uploads) is hashed once and
// matched like any other, and a store whose repeated contents were left unhashed is
// repaired by Rehash.

// photos returns three benign test images: a photo, its re-encode at half size (a
// near-duplicate: a few bits of PDQ apart) and an unrelated picture.
func photos(t *testing.T) (orig, small, other []byte) { return testdata.NearDuplicates(t, 80) }

// repeatFolder writes the folder of the issue under a new temporary folder: a.jpg, an
// identical a_copy.jpg, the same file in z.zip (inner/a.jpg), its half-size re-encode
// a_small.jpg and an unrelated b.png. It returns the folder.
func repeatFolder(t *testing.T, name string, orig, small, other []byte) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), name)
	writeFile(t, filepath.Join(root, "a.jpg"), orig)
	writeFile(t, filepath.Join(root, "a_copy.jpg"), orig)
	writeZip(t, filepath.Join(root, "z.zip"), zipEntry{name: "inner/a.jpg", content: orig})
	writeFile(t, filepath.Join(root, "a_small.jpg"), small)
	writeFile(t, filepath.Join(root, "b.png"), other)
	return root
}

// checkHashedAndClustered checks that every image file of the exhibit has its
// content's PDQ hash, that the files in together form one cluster, and that the files
// in alone are in none.
func (e *env) checkHashedAndClustered(exhibit string, together, alone []string) {
	e.t.Helper()
	got := e.media(exhibit)
	for p, m := range got {
		if strings.HasPrefix(m.MIME, "image/") && m.PDQ == "" {
			e.t.Errorf("%s (%s): no PDQ hash", p, m.MIME)
		}
	}
	cluster := ""
	for _, p := range together {
		m := got[p]
		switch {
		case m == nil:
			e.t.Errorf("%s: not recorded", p)
		case m.Cluster == "":
			e.t.Errorf("%s: in no cluster; want it with %v", p, together)
		case cluster == "":
			cluster = m.Cluster
		case m.Cluster != cluster:
			e.t.Errorf("%s: in cluster %s; want %s, with %v", p, m.Cluster, cluster, together)
		}
	}
	for _, p := range alone {
		if m := got[p]; m == nil {
			e.t.Errorf("%s: not recorded", p)
		} else if m.Cluster != "" {
			e.t.Errorf("%s: in cluster %s; want none", p, m.Cluster)
		}
	}
}

// TestIngestRepeatedImages is issue 21's "done when": the folder gives four hashed
// image contents' files, one cluster of a.jpg (with its copies) and a_small.jpg, and
// b.png on its own, however the run is split into workers and batches.
func TestIngestRepeatedImages(t *testing.T) {
	orig, small, other := photos(t)
	for _, tc := range []struct {
		name           string
		workers, batch int
	}{
		{"one worker, one file a batch", 1, 1},
		{"three workers, small batches", 3, 2},
		{"three workers, one batch", 3, 256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			src := repeatFolder(t, "src", orig, small, other)
			opts := e.opts("SB/1")
			opts.Workers, opts.Batch = tc.workers, tc.batch
			sum, err := ingest.Run(e.lead, e.db, e.blobs, []string{src}, opts)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Files != 5 || sum.New != 3 || sum.Copies != 2 || sum.Errors != 0 {
				t.Errorf("summary %+v; want 5 files, 3 new, 2 copies", sum)
			}
			e.checkHashedAndClustered("SB/1", []string{"src/a.jpg", "src/a_copy.jpg", "src/z.zip!/inner/a.jpg", "src/a_small.jpg"}, []string{"src/b.png"})
			if s := e.summary(); s.Files != 5 || s.Unique != 3 || s.Clusters != 1 {
				t.Errorf("media summary %+v; want 5 files, 3 unique, 1 cluster", s)
			}
			e.verifyLog()
		})
	}
}

// TestIngestRepeatedAcrossRuns ingests a content in one run and its copies and
// near-duplicate in others: into the same exhibit, into another, by two runs at once,
// and as uploads.
func TestIngestRepeatedAcrossRuns(t *testing.T) {
	orig, small, other := photos(t)

	t.Run("a later run", func(t *testing.T) {
		e := newEnv(t)
		first := filepath.Join(t.TempDir(), "first")
		writeFile(t, filepath.Join(first, "a.jpg"), orig)
		e.run(first)
		e.exhibit(e.caseID, "SB/2")
		second := repeatFolder(t, "second", orig, small, other)
		if _, err := ingest.Run(e.lead, e.db, e.blobs, []string{second}, e.opts("SB/2")); err != nil {
			t.Fatal(err)
		}
		e.checkHashedAndClustered("", []string{"first/a.jpg", "second/a.jpg", "second/a_copy.jpg", "second/z.zip!/inner/a.jpg", "second/a_small.jpg"}, []string{"second/b.png"})
	})

	t.Run("two runs at once", func(t *testing.T) {
		e := newEnv(t)
		e.exhibit(e.caseID, "SB/2")
		src := repeatFolder(t, "src", orig, small, other)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, x := range []string{"SB/1", "SB/2"} {
			wg.Go(func() {
				opts := e.opts(x)
				opts.Batch = 1
				_, errs[i] = ingest.Run(e.lead, e.db, e.blobs, []string{src}, opts)
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		e.checkHashedAndClustered("SB/1", []string{"src/a.jpg", "src/a_copy.jpg", "src/z.zip!/inner/a.jpg", "src/a_small.jpg"}, []string{"src/b.png"})
		e.checkHashedAndClustered("SB/2", []string{"src/a.jpg", "src/a_copy.jpg", "src/z.zip!/inner/a.jpg", "src/a_small.jpg"}, []string{"src/b.png"})
		e.verifyLog()
	})

	t.Run("uploads", func(t *testing.T) {
		e := newEnv(t)
		for _, f := range []struct {
			path    string
			content []byte
		}{{"upload/a.jpg", orig}, {"upload/a_copy.jpg", orig}, {"upload/a_small.jpg", small}, {"upload/b.png", other}} {
			sum, err := ingest.RunOne(e.lead, e.db, e.blobs, ingest.SourceFromReader(f.path, int64(len(f.content)), bytes.NewReader(f.content)), e.opts("SB/1"))
			if err != nil || sum.Errors != 0 {
				t.Fatalf("upload %s: %+v, %v", f.path, sum, err)
			}
		}
		e.checkHashedAndClustered("SB/1", []string{"upload/a.jpg", "upload/a_copy.jpg", "upload/a_small.jpg"}, []string{"upload/b.png"})
	})
}

// TestRehashRepairsStore makes a store as ingest left it before issue 21 was fixed (a
// repeated image's content recorded without its PDQ hash, so neither it nor its copies
// match its near-duplicate), repairs it with Rehash, and checks the cluster is found,
// the repair audited, and a second repair finds nothing to do.
func TestRehashRepairsStore(t *testing.T) {
	orig, small, _ := photos(t)
	// A store made before the fix: ingest a.jpg's content recorded without a hash by
	// giving RecordMedia what the old code gave it.
	fresh := newEnv(t)
	sums := map[string]caseroom.NewMedia{}
	for path, content := range map[string][]byte{"old/a.jpg": orig, "old/a_copy.jpg": orig} {
		s256, s1, m5 := digests(content)
		w, err := fresh.blobs.Create(fresh.lead)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(s256); err != nil {
			t.Fatal(err)
		}
		sums[path] = caseroom.NewMedia{Path: path, Size: int64(len(content)), SHA256: s256, SHA1: s1, MD5: m5, MIME: "image/jpeg"}
	}
	if err := fresh.blobs.Sync(fresh.lead); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.db.RecordMedia(fresh.lead, fresh.caseID, "SB/1", []caseroom.NewMedia{sums["old/a_copy.jpg"], sums["old/a.jpg"]}); err != nil {
		t.Fatal(err)
	}
	smallDir := filepath.Join(t.TempDir(), "old")
	writeFile(t, filepath.Join(smallDir, "a_small.jpg"), small)
	fresh.run(smallDir)
	if m := fresh.media("SB/1")["old/a.jpg"]; m == nil || m.PDQ != "" || m.Cluster != "" {
		t.Fatalf("the broken store's old/a.jpg = %+v; want it recorded without a hash or cluster", m)
	}

	console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	// Only the console operator or an administrator repairs.
	if _, err := ingest.Rehash(fresh.lead, fresh.db, fresh.blobs, ingest.Options{}); caseroom.ErrorCode(err) != caseroom.EFORBIDDEN {
		t.Errorf("rehash as the case's lead: %v; want EFORBIDDEN", err)
	}
	sum, err := ingest.Rehash(console, fresh.db, fresh.blobs, ingest.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Contents != 1 || sum.Hashed != 1 || len(sum.Failed) != 0 || len(sum.Warnings) != 0 {
		t.Errorf("rehash summary %+v; want the one content hashed", sum)
	}
	fresh.checkHashedAndClustered("SB/1", []string{"old/a.jpg", "old/a_copy.jpg", "old/a_small.jpg"}, nil)
	entries, err := fresh.db.FindAuditEntries(console, caseroom.AuditFilter{After: -1})
	if err != nil {
		t.Fatal(err)
	}
	var hashed []*caseroom.AuditEntry
	for _, en := range entries {
		if en.Action == "content.hash" {
			hashed = append(hashed, en)
		}
	}
	if len(hashed) != 1 || hashed[0].ObjectID != sums["old/a.jpg"].SHA256 || hashed[0].Actor != caseroom.Console.Name {
		t.Errorf("content.hash entries %+v; want one, for the content, by the console", hashed)
	}
	fresh.verifyLog()

	// Healed: nothing is left to do.
	if sum, err := ingest.Rehash(console, fresh.db, fresh.blobs, ingest.Options{}); err != nil || sum.Contents != 0 || sum.Hashed != 0 {
		t.Errorf("a second rehash = %+v, %v; want nothing to do", sum, err)
	}
}

// TestRehashVideo repairs a video content recorded without its vPDQ hash: Rehash
// copies it out of the blob store for ffmpeg and records its frames.
func TestRehashVideo(t *testing.T) {
	testdata.NeedFFmpeg(t)
	e := newEnv(t)
	data := makeClip(t, filepath.Join(t.TempDir(), "clip.mp4"))
	s256, s1, m5 := digests(data)
	w, err := e.blobs.Create(e.lead)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(s256); err != nil {
		t.Fatal(err)
	}
	if err := e.blobs.Sync(e.lead); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.RecordMedia(e.lead, e.caseID, "SB/1", []caseroom.NewMedia{{Path: "old/clip.mp4", Size: int64(len(data)), SHA256: s256, SHA1: s1, MD5: m5,
		MIME: "video/mp4", Meta: caseroom.MediaMeta{Duration: 3}}}); err != nil {
		t.Fatal(err)
	}
	console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	sum, err := ingest.Rehash(console, e.db, e.blobs, ingest.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Contents != 1 || sum.Hashed != 1 || len(sum.Warnings) != 0 || len(sum.Failed) != 0 {
		t.Fatalf("rehash summary %+v; want the video hashed", sum)
	}
	if m := e.media("SB/1")["old/clip.mp4"]; m == nil || m.VideoFrames != 3 {
		t.Errorf("clip after the repair: %+v; want 3 frames hashed", m)
	}
	e.verifyLog()
}
