package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseroom/audit"
)

// TestIngestOddPaths: two entries of one archive with the same name are two files, a
// path a record cannot hold fails that file alone, and a name that is not UTF-8 is
// kept, quoted, with every byte.
func TestIngestOddPaths(t *testing.T) {
	e := newEnv(t)
	root := filepath.Join(t.TempDir(), "card")
	a, b, c, d := randomBytes(t, 500), randomBytes(t, 600), randomBytes(t, 700), randomBytes(t, 800)
	writeZip(t, filepath.Join(root, "twice.zip"), zipEntry{name: "photo.bin", content: a}, zipEntry{name: "photo.bin", content: b})
	writeZip(t, filepath.Join(root, "long.zip"), zipEntry{name: strings.Repeat("x", 4200), content: c})
	writeFile(t, filepath.Join(root, "caf\xe9.bin"), d)

	sum := e.run(root)
	if sum.Files != 4 || sum.New != 3 || sum.Errors != 1 {
		t.Fatalf("summary %+v; want 4 files, 3 new, 1 error (the long path)", sum)
	}
	if !strings.Contains(sum.Failed[0].Error, "path is") {
		t.Errorf("the long path failed with %q", sum.Failed[0].Error)
	}
	got := e.media("SB/1")
	for _, p := range []string{"card/twice.zip!/photo.bin", "card/twice.zip!/photo.bin#2", `"card/caf\xe9.bin"`} {
		if got[p] == nil {
			t.Errorf("no media at %s; recorded %v", p, sortedKeys(got))
		}
	}
	e.checkBlobs()
	e.verifyLog()

	// A second run records nothing more and stores nothing more.
	again := e.run(root)
	if again.New != 0 || again.Skipped != 3 {
		t.Errorf("second run %+v; want 3 skipped, nothing new", again)
	}
	e.checkBlobs()
}

// verifyLog checks the audit log against the records, as caseroom audit verify does:
// the media entries' state hashes are computed from the values written, and must match
// the rows as stored.
func (e *env) verifyLog() {
	e.t.Helper()
	snap, err := e.db.AuditSnapshot(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	defer snap.Close()
	if _, err := audit.Verify(context.Background(), snap, nil, nil); err != nil {
		e.t.Fatalf("verify after ingest: %v", err)
	}
}

// TestIngestVerifies: a folder with copies, file times and a zip ingests into a log
// that verifies.
func TestIngestVerifies(t *testing.T) {
	e := newEnv(t)
	root, _ := card(t)
	e.run(root)
	e.verifyLog()
}

// TestIngestSymlink: a symbolic link in a device's folder is named in the summary's
// warnings, not followed, not counted as a failure.
func TestIngestSymlink(t *testing.T) {
	e := newEnv(t)
	root := filepath.Join(t.TempDir(), "phone")
	writeFile(t, filepath.Join(root, "a.bin"), randomBytes(t, 100))
	if err := os.Symlink("/etc/hostname", filepath.Join(root, "link")); err != nil {
		t.Skip(err)
	}
	sum := e.run(root)
	if sum.Files != 1 || sum.Errors != 0 || len(sum.Warnings) != 1 || sum.Warnings[0].Path != "phone/link" || !strings.Contains(sum.Warnings[0].Error, "symbolic link") {
		t.Fatalf("summary %+v", sum)
	}
}

// TestIngestOtherFileAtRecordedPath: a later run that meets, at a path an earlier run
// recorded, a file of another size (another card's DCIM) reports it rather than
// taking it for done.
func TestIngestOtherFileAtRecordedPath(t *testing.T) {
	e := newEnv(t)
	first, second := filepath.Join(t.TempDir(), "DCIM"), filepath.Join(t.TempDir(), "DCIM")
	writeFile(t, filepath.Join(first, "photo.bin"), randomBytes(t, 1000))
	writeFile(t, filepath.Join(second, "photo.bin"), randomBytes(t, 1200))
	e.run(first)
	sum := e.run(second)
	if sum.Errors != 1 || sum.Skipped != 0 || !strings.Contains(sum.Failed[0].Error, "earlier run recorded a file of 1000 bytes") {
		t.Fatalf("summary %+v", sum)
	}
	e.checkBlobs()
}
