package audit_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"caseroom/audit"
)

type leafRow struct {
	seq     int64
	leaf    tlog.Hash
	records int
}

// fakeSnapshot is a store as Verify reads it: the leaf hashes recomputed from the audit
// rows, the stored tree hashes, the latest stored checkpoint.
type fakeSnapshot struct {
	leaves []leafRow
	stored []tlog.Hash
	gone   map[int64]bool // stored hashes deleted: their index is skipped
	latest []byte

	leavesErr, storedErr, latestErr error
}

// snapshotOf returns the snapshot of an intact store holding tree; entry i created
// i%3 records.
func snapshotOf(tree *memTree) *fakeSnapshot {
	s := &fakeSnapshot{stored: slices.Clone(tree.stored)}
	for i := range tree.size() {
		s.leaves = append(s.leaves, leafRow{seq: i, leaf: tlog.RecordHash(tree.data[i]), records: int(i % 3)})
	}
	return s
}

func (s *fakeSnapshot) Leaves(ctx context.Context, fn func(seq int64, leaf tlog.Hash, records int) error) error {
	if s.leavesErr != nil {
		return s.leavesErr
	}
	for _, l := range s.leaves {
		if err := fn(l.seq, l.leaf, l.records); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeSnapshot) StoredHashes(ctx context.Context, fn func(index int64, h tlog.Hash) error) error {
	if s.storedErr != nil {
		return s.storedErr
	}
	for i, h := range s.stored {
		if s.gone[int64(i)] {
			continue
		}
		if err := fn(int64(i), h); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeSnapshot) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	return s.latest, s.latestErr
}

// wantFinding checks that err is a *Finding about entry, whose message says each of words.
func wantFinding(t *testing.T, err error, entry int64, words ...string) {
	t.Helper()
	var f *audit.Finding
	if !errors.As(err, &f) || !audit.IsFinding(err) {
		t.Fatalf("Verify = %v (%T), want a *Finding", err, err)
	}
	if f.Entry != entry {
		t.Errorf("finding %q is about entry %d, want %d", f.What, f.Entry, entry)
	}
	for _, w := range words {
		if !strings.Contains(f.Error(), w) {
			t.Errorf("finding %q does not say %q", f.Error(), w)
		}
	}
	if entry >= 0 && !strings.HasPrefix(f.Error(), fmt.Sprintf("entry %d: ", entry)) {
		t.Errorf("finding %q does not start with the entry", f.Error())
	}
}

func TestVerifyIntact(t *testing.T) {
	ctx := context.Background()
	key := newLogKey(t)
	tree := newTree(t, 21, "verify")
	snap := snapshotOf(tree)
	snap.latest = signedCheckpoint(t, key.Signer, tree, 21)
	files := []audit.CheckpointFile{
		{Name: "court-2025-01.txt", Signed: signedCheckpoint(t, key.Signer, tree, 10)},
		{Name: "witness.state", Signed: signedCheckpoint(t, key.Signer, tree, 21)},
		{Name: "first", Signed: signedCheckpoint(t, key.Signer, tree, 1)},
	}
	rep, err := audit.Verify(ctx, snap, key.Verifier, files)
	if err != nil {
		t.Fatalf("Verify of an intact log: %v", err)
	}
	wantRecords := int64(0)
	for i := range int64(21) {
		wantRecords += i % 3
	}
	root, _ := tlog.TreeHash(21, tree)
	if rep.Entries != 21 || rep.Records != wantRecords || rep.Root != root || rep.Files != 3 {
		t.Errorf("report %+v, want 21 entries, %d records, root %x, 3 files", rep, wantRecords, root)
	}
	if rep.Latest == nil || *rep.Latest != (audit.Checkpoint{Origin: key.Origin(), Size: 21, Hash: root}) {
		t.Errorf("report's latest checkpoint %+v", rep.Latest)
	}
	s := rep.String()
	for _, w := range []string{"intact", "21 entries", fmt.Sprintf("%d records", wantRecords), base64.StdEncoding.EncodeToString(root[:]), key.Origin(), "3 checkpoint file"} {
		if !strings.Contains(s, w) {
			t.Errorf("report %q does not say %q", s, w)
		}
	}

	// The latest checkpoint may be older than the log.
	snap.latest = signedCheckpoint(t, key.Signer, tree, 15)
	if rep, err := audit.Verify(ctx, snap, key.Verifier, nil); err != nil || rep.Latest.Size != 15 || rep.Files != 0 {
		t.Errorf("Verify with an older latest checkpoint = %+v, %v", rep, err)
	}

	// No checkpoint yet.
	snap.latest = nil
	rep, err = audit.Verify(ctx, snap, key.Verifier, nil)
	if err != nil || rep.Latest != nil || rep.Entries != 21 {
		t.Fatalf("Verify without checkpoints = %+v, %v", rep, err)
	}
	if s := rep.String(); !strings.Contains(s, "intact") || !strings.Contains(s, "no checkpoint") {
		t.Errorf("report %q", s)
	}

	// An empty log is intact.
	rep, err = audit.Verify(ctx, &fakeSnapshot{}, key.Verifier, nil)
	if err != nil || rep.Entries != 0 || rep.Records != 0 {
		t.Errorf("Verify of an empty log = %+v, %v", rep, err)
	}
}

func TestVerifyFindings(t *testing.T) {
	ctx := context.Background()
	key := newLogKey(t)
	const n = 21
	tree := newTree(t, n, "verify")
	bigger := newTree(t, n+4, "verify") // the same log before its last 4 entries were deleted
	rewritten := newTree(t, n, "verify")
	rewritten.data[3] = []byte("rewritten entry 3")

	t.Run("gap in the entries", func(t *testing.T) {
		snap := snapshotOf(tree)
		snap.leaves = slices.Delete(snap.leaves, 5, 6)
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, 5, "missing", "6")
	})
	t.Run("first entry missing", func(t *testing.T) {
		snap := snapshotOf(tree)
		snap.leaves = snap.leaves[1:]
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, 0, "missing")
	})
	t.Run("entry edited", func(t *testing.T) {
		snap := snapshotOf(tree)
		snap.leaves[7].leaf = tlog.RecordHash([]byte("edited"))
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, 7, "leaf hash")
	})
	t.Run("entries swapped", func(t *testing.T) {
		snap := snapshotOf(tree)
		snap.leaves[11].leaf, snap.leaves[12].leaf = snap.leaves[12].leaf, snap.leaves[11].leaf
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, 11)
	})
	t.Run("stored leaf hash changed", func(t *testing.T) {
		for _, i := range []int64{0, 7, n - 1} {
			snap := snapshotOf(tree)
			x := tlog.StoredHashIndex(0, i)
			snap.stored[x] = flipBit(snap.stored[x], 3)
			_, err := audit.Verify(ctx, snap, key.Verifier, nil)
			wantFinding(t, err, i, "leaf hash")
		}
	})
	t.Run("interior stored hash changed", func(t *testing.T) {
		for _, x := range []int64{tlog.StoredHashIndex(1, 2), tlog.StoredHashIndex(4, 0)} {
			snap := snapshotOf(tree)
			snap.stored[x] = flipBit(snap.stored[x], 200)
			_, err := audit.Verify(ctx, snap, key.Verifier, nil)
			wantFinding(t, err, -1, "stored tree", fmt.Sprint(x))
		}
	})
	t.Run("stored hash missing", func(t *testing.T) {
		snap := snapshotOf(tree)
		snap.gone = map[int64]bool{tlog.StoredHashIndex(0, 6): true}
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, 6, "missing")
		snap.gone = map[int64]bool{tlog.StoredHashIndex(2, 1): true}
		_, err = audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, -1, "missing", fmt.Sprint(tlog.StoredHashIndex(2, 1)))
		// The last stored hash of 21 entries is entry 20's leaf hash (20 is even:
		// it completes no subtree); of 22 entries, the level-1 hash over 20 and 21.
		snap = snapshotOf(tree)
		snap.stored = snap.stored[:len(snap.stored)-1]
		_, err = audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, n-1, "missing")

		snap = snapshotOf(bigger)
		snap.leaves, snap.stored = snap.leaves[:n+1], snap.stored[:tlog.StoredHashCount(n+1)-1]
		_, err = audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, -1, "missing", "level 1")
	})
	t.Run("entries deleted from the end", func(t *testing.T) {
		snap := snapshotOf(bigger)
		snap.leaves = snap.leaves[:n] // the rows are gone, their stored hashes are not
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, -1, "deleted", fmt.Sprint(n-1))
	})
	t.Run("checkpoint file larger than the log", func(t *testing.T) {
		files := []audit.CheckpointFile{{Name: "court.txt", Signed: signedCheckpoint(t, key.Signer, bigger, n+4)}}
		_, err := audit.Verify(ctx, snapshotOf(tree), key.Verifier, files)
		wantFinding(t, err, -1, "court.txt", "truncated", fmt.Sprintf("entries %d to %d", n, n+3))
	})
	t.Run("latest stored checkpoint larger than the log", func(t *testing.T) {
		snap := snapshotOf(tree)
		snap.latest = signedCheckpoint(t, key.Signer, bigger, n+1)
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, -1, "latest stored checkpoint", "truncated")
	})
	t.Run("history rewritten consistently", func(t *testing.T) {
		// Whoever rewrote entry 3 also recomputed every stored hash: only the
		// checkpoints signed before tell.
		rw := &memTree{}
		for _, d := range rewritten.data {
			rw.add(t, d)
		}
		snap := snapshotOf(rw)
		if _, err := audit.Verify(ctx, snap, key.Verifier, nil); err != nil {
			t.Fatalf("a consistently rewritten store without checkpoints: %v", err)
		}
		files := []audit.CheckpointFile{{Name: "court.txt", Signed: signedCheckpoint(t, key.Signer, tree, 8)}}
		_, err := audit.Verify(ctx, snap, key.Verifier, files)
		wantFinding(t, err, -1, "court.txt", "rewritten")

		snap.latest = signedCheckpoint(t, key.Signer, tree, n)
		_, err = audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, -1, "latest stored checkpoint", "rewritten")

		// A checkpoint of the entries before the rewritten one still matches.
		files = []audit.CheckpointFile{{Name: "early.txt", Signed: signedCheckpoint(t, key.Signer, tree, 3)}}
		snap.latest = nil
		if _, err := audit.Verify(ctx, snap, key.Verifier, files); err != nil {
			t.Errorf("a checkpoint of entries 0-2, which were not rewritten: %v", err)
		}
	})
	t.Run("checkpoint file signed by another key", func(t *testing.T) {
		files := []audit.CheckpointFile{
			{Name: "good.txt", Signed: signedCheckpoint(t, key.Signer, tree, 5)},
			{Name: "forged.txt", Signed: signedCheckpoint(t, impostorSigner(t, key.Origin()), tree, 5)},
		}
		_, err := audit.Verify(ctx, snapshotOf(tree), key.Verifier, files)
		wantFinding(t, err, -1, "forged.txt")
	})
	t.Run("latest stored checkpoint signed by another key", func(t *testing.T) {
		snap := snapshotOf(tree)
		snap.latest = signedCheckpoint(t, impostorSigner(t, key.Origin()), tree, n)
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, -1, "latest stored checkpoint")
	})
	t.Run("checkpoint file that is no note", func(t *testing.T) {
		files := []audit.CheckpointFile{{Name: "empty.txt", Signed: nil}}
		_, err := audit.Verify(ctx, snapshotOf(tree), key.Verifier, files)
		wantFinding(t, err, -1, "empty.txt")
	})
	t.Run("finding reported by the snapshot", func(t *testing.T) {
		snap := snapshotOf(tree)
		snap.leavesErr = &audit.Finding{Entry: 4, What: "record row changed"}
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		wantFinding(t, err, 4, "record row changed")
	})
}

func TestIsFinding(t *testing.T) {
	ctx := context.Background()
	key := newLogKey(t)
	tree := newTree(t, 5, "read errors")
	readErr := errors.New("database is locked")
	for name, snap := range map[string]*fakeSnapshot{
		"leaves":     {leavesErr: readErr},
		"stored":     func() *fakeSnapshot { s := snapshotOf(tree); s.storedErr = readErr; return s }(),
		"checkpoint": func() *fakeSnapshot { s := snapshotOf(tree); s.latestErr = readErr; return s }(),
	} {
		_, err := audit.Verify(ctx, snap, key.Verifier, nil)
		if !errors.Is(err, readErr) || audit.IsFinding(err) {
			t.Errorf("%s: Verify = %v; want the read error, not a finding", name, err)
		}
	}
	f := &audit.Finding{Entry: -1, What: "x"}
	if !audit.IsFinding(f) || !audit.IsFinding(fmt.Errorf("verify: %w", f)) {
		t.Error("IsFinding does not recognise a (wrapped) *Finding")
	}
	if audit.IsFinding(nil) || audit.IsFinding(readErr) {
		t.Error("IsFinding(nil or a read error) is true")
	}
	if got := f.Error(); got != "x" {
		t.Errorf("whole-log finding reads %q, want its What alone", got)
	}
	if got := (&audit.Finding{Entry: 3, What: "y"}).Error(); got != "entry 3: y" {
		t.Errorf("entry finding reads %q", got)
	}
}
