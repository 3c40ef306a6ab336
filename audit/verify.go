package audit

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Finding is what verification found that does not match: the first entry, record,
// stored hash or checkpoint that tells of an edit, deletion, reordering or truncation.
type Finding struct {
	// Entry is the audit entry concerned, or -1 when the finding is about the whole log.
	Entry int64
	// What says what does not match and why, in words for an investigator or a court.
	What string
}

func (f *Finding) Error() string {
	if f.Entry < 0 {
		return f.What
	}
	return fmt.Sprintf("entry %d: %s", f.Entry, f.What)
}

// Snapshot is one consistent reading of a store, for Verify. sqlstore implements it.
type Snapshot interface {
	// Leaves calls fn, in order from entry 0, with each entry's leaf hash recomputed
	// from its stored audit row and the number of records it created, after checking
	// those records against the entry's state hash. It returns a *Finding for the
	// first entry or record that does not match, or a gap in the entries.
	Leaves(ctx context.Context, fn func(seq int64, leaf tlog.Hash, records int) error) error
	// StoredHashes calls fn with every stored tree hash, in index order. Verify calls
	// it while Leaves runs, from another goroutine.
	StoredHashes(ctx context.Context, fn func(index int64, h tlog.Hash) error) error
	// LatestCheckpoint returns the stored checkpoint of the largest size, or nil.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
}

// A Snapshot may also have a method Size(ctx) (int64, error) saying how many entries
// it holds, so that Verify can allocate once.

// CheckpointFile is a checkpoint someone kept: a court, a witness, an auditor.
type CheckpointFile struct {
	Name   string
	Signed []byte
}

// Report sums up a log that verified.
type Report struct {
	Entries int64
	Records int64
	Root    tlog.Hash
	// Latest is the latest stored checkpoint, nil if none was made yet.
	Latest *Checkpoint
	// Files counts the checkpoint files the log was shown consistent with.
	Files int
}

func (r *Report) String() string {
	s := fmt.Sprintf("audit log intact: %d entries, %d records, root %s", r.Entries, r.Records, base64.StdEncoding.EncodeToString(r.Root[:]))
	if r.Latest != nil {
		s += fmt.Sprintf("; latest checkpoint (size %d) signed by %s matches", r.Latest.Size, r.Latest.Origin)
	} else {
		s += "; no checkpoint stored yet"
	}
	return s + fmt.Sprintf("; consistent with %d checkpoint file(s)", r.Files)
}

// Verify recomputes every leaf from the stored records and the tree from the leaves,
// compares the tree with the stored hashes, checks the latest stored checkpoint's
// signature and root, and checks that every given checkpoint file, signed by the log,
// is a prefix of the log as it is now. It returns a *Finding for the first thing that
// does not match, or another error if the store could not be read.
func Verify(ctx context.Context, snap Snapshot, logKey note.Verifier, files []CheckpointFile) (*Report, error) {
	rep := &Report{}
	var hashes []tlog.Hash // every stored hash of the recomputed tree, by tlog index
	mem := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= int64(len(hashes)) {
				return nil, fmt.Errorf("tree hash %d not computed", x)
			}
			out[i] = hashes[x]
		}
		return out, nil
	})
	// The stored tree is read while the leaves are recomputed, then compared.
	type storedHash struct {
		index int64
		hash  tlog.Hash
	}
	var stored []storedHash
	if sized, ok := snap.(interface {
		Size(context.Context) (int64, error)
	}); ok {
		if n, err := sized.Size(ctx); err == nil && n > 0 {
			hashes = make([]tlog.Hash, 0, tlog.StoredHashCount(n))
			stored = make([]storedHash, 0, tlog.StoredHashCount(n))
		}
	}
	storedCtx, stopStored := context.WithCancel(ctx)
	storedErr := make(chan error, 1)
	go func() {
		storedErr <- snap.StoredHashes(storedCtx, func(index int64, h tlog.Hash) error {
			stored = append(stored, storedHash{index, h})
			return nil
		})
	}()
	err := snap.Leaves(ctx, func(seq int64, leaf tlog.Hash, records int) error {
		if seq != rep.Entries {
			return &Finding{Entry: rep.Entries, What: fmt.Sprintf("missing: entry %d comes where entry %d should (entries were deleted, or numbered again)", seq, rep.Entries)}
		}
		hs, err := tlog.StoredHashesForRecordHash(seq, leaf, mem)
		if err != nil {
			return err
		}
		hashes = append(hashes, hs...)
		rep.Entries++
		rep.Records += int64(records)
		return nil
	})
	if err != nil {
		stopStored()
		<-storedErr
		return nil, err
	}
	err = <-storedErr
	stopStored()
	if err != nil {
		return nil, err
	}
	var next int64
	for _, sh := range stored {
		index, h := sh.index, sh.hash
		if index != next {
			return nil, missingHashFinding(next)
		}
		next++
		if index >= int64(len(hashes)) {
			level, n := tlog.SplitStoredHashIndex(index)
			if level == 0 {
				return nil, &Finding{Entry: -1, What: fmt.Sprintf("the stored tree holds a leaf for entry %d but the log ends at entry %d: entries were deleted from the end of the log", n, rep.Entries-1)}
			}
			return nil, &Finding{Entry: -1, What: fmt.Sprintf("the stored tree holds hashes beyond the last entry (%d): entries were deleted from the end of the log", rep.Entries-1)}
		}
		if h != hashes[index] {
			return nil, changedHashFinding(index)
		}
	}
	if next < int64(len(hashes)) {
		return nil, missingHashFinding(next)
	}
	// RFC 6962: the root of the empty tree is SHA-256 of nothing, as tlog computes it.
	if rep.Root, err = tlog.TreeHash(rep.Entries, mem); err != nil {
		return nil, err
	}
	check := func(name string, signed []byte) (*Checkpoint, error) {
		if logKey == nil {
			return nil, fmt.Errorf("cannot check %s: no log key to check its signature with", name)
		}
		c, _, err := OpenCheckpoint(signed, logKey)
		if err != nil {
			return nil, &Finding{Entry: -1, What: fmt.Sprintf("%s: %v", name, err)}
		}
		if c.Size > rep.Entries {
			return nil, &Finding{Entry: -1, What: fmt.Sprintf("%s covers %d entries but the log now holds only %d: entries %d to %d were deleted (the log was truncated)", name, c.Size, rep.Entries, rep.Entries, c.Size-1)}
		}
		if c.Size > 0 {
			root, err := tlog.TreeHash(c.Size, mem)
			if err != nil {
				return nil, err
			}
			if root != c.Hash {
				return nil, &Finding{Entry: -1, What: fmt.Sprintf("%s (size %d, root %s) does not match the first %d entries as they are now (root %s): entries were rewritten, removed or reordered after it was signed",
					name, c.Size, base64.StdEncoding.EncodeToString(c.Hash[:]), c.Size, base64.StdEncoding.EncodeToString(root[:]))}
			}
		}
		return &c, nil
	}
	latest, err := snap.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if latest != nil {
		if rep.Latest, err = check("the latest stored checkpoint", latest); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		if _, err := check("checkpoint "+f.Name, f.Signed); err != nil {
			return nil, err
		}
		rep.Files++
	}
	return rep, nil
}

// changedHashFinding reports a stored tree hash that differs from the one recomputed
// from the entries.
func changedHashFinding(index int64) *Finding {
	level, n := tlog.SplitStoredHashIndex(index)
	if level == 0 {
		return &Finding{Entry: n, What: "the entry no longer matches the leaf hash stored when it was written: the audit entry was edited, or entries were swapped"}
	}
	return &Finding{Entry: -1, What: fmt.Sprintf("stored tree hash %d (level %d) does not match the entries: the stored tree was edited", index, level)}
}

// missingHashFinding reports a stored tree hash that is not there.
func missingHashFinding(index int64) *Finding {
	level, n := tlog.SplitStoredHashIndex(index)
	if level == 0 {
		return &Finding{Entry: n, What: "the leaf hash stored when the entry was written is missing: the stored tree was deleted or truncated"}
	}
	return &Finding{Entry: -1, What: fmt.Sprintf("stored tree hash %d (level %d) is missing: the stored tree was deleted or truncated", index, level)}
}

// IsFinding reports whether err is a verification finding rather than a failure to
// read the store.
func IsFinding(err error) bool {
	var f *Finding
	return errors.As(err, &f)
}
