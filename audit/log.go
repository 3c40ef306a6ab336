package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"caseroom"
)

// Store keeps the tree and its checkpoints; *sqlstore.DB implements it.
type Store interface {
	// TreeHead returns the number of audit entries and the root hash of their tree,
	// read together.
	TreeHead(ctx context.Context) (int64, tlog.Hash, error)
	// ProveTree returns the proof that the tree of oldSize entries is a prefix of the
	// tree of newSize. Returns EINVALID unless 0 < oldSize <= newSize <= the log's size.
	ProveTree(ctx context.Context, oldSize, newSize int64) (tlog.TreeProof, error)
	// ProveRecord returns the leaf hash of entry index and the proof that it is in the
	// tree of size entries. Returns EINVALID unless 0 <= index < size <= the log's size.
	ProveRecord(ctx context.Context, index, size int64) (tlog.RecordProof, tlog.Hash, error)
	// SaveCheckpoint keeps a signed checkpoint of size entries; a second one of the
	// same size is ignored.
	SaveCheckpoint(ctx context.Context, size int64, signed []byte) error
	// LatestCheckpoint returns the signed checkpoint of the largest size, or nil.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// CheckpointAt returns the signed checkpoint of size entries, or nil.
	CheckpointAt(ctx context.Context, size int64) ([]byte, error)
	// Witnesses lists the registered witnesses.
	Witnesses(ctx context.Context) ([]*caseroom.Witness, error)
	// SaveCosignature keeps a witness's cosignature line on the checkpoint of size
	// entries, replacing the witness's earlier one for that size.
	SaveCosignature(ctx context.Context, size int64, witness, line string) error
	// Cosignatures returns the cosignature lines kept for the checkpoint of size.
	Cosignatures(ctx context.Context, size int64) ([]string, error)
}

// Log is the transparency log over a store's audit entries, signed with the log key.
type Log struct {
	Store Store
	Key   *LogKey
	Now   func() time.Time
}

// MakeCheckpoint signs and keeps a checkpoint of the log as it is now, unless the latest
// checkpoint already covers every entry; it returns the latest checkpoint either way.
func (l *Log) MakeCheckpoint(ctx context.Context) ([]byte, Checkpoint, error) {
	size, root, err := l.Store.TreeHead(ctx)
	if err != nil {
		return nil, Checkpoint{}, fmt.Errorf("make checkpoint: %w", err)
	}
	if size == 0 {
		return nil, Checkpoint{}, caseroom.Errorf(caseroom.ENOTFOUND, "The audit log is empty; there is nothing to checkpoint yet.")
	}
	if latest, err := l.Store.LatestCheckpoint(ctx); err != nil {
		return nil, Checkpoint{}, err
	} else if latest != nil {
		c, _, err := OpenCheckpoint(latest, l.Key.Verifier)
		if err != nil {
			return nil, c, fmt.Errorf("make checkpoint: the latest stored checkpoint: %w", err)
		}
		if c.Size >= size {
			return latest, c, nil
		}
	}
	c := Checkpoint{Origin: l.Key.Origin(), Size: size, Hash: root}
	signed, err := SignCheckpoint(c, l.Key.Signer)
	if err != nil {
		return nil, c, err
	}
	if err := l.Store.SaveCheckpoint(ctx, size, signed); err != nil {
		return nil, c, fmt.Errorf("make checkpoint: %w", err)
	}
	return signed, c, nil
}

// Latest returns the latest checkpoint with the cosignatures of the witnesses that
// have checked it, as one signed note. Returns ENOTFOUND before the first checkpoint.
func (l *Log) Latest(ctx context.Context) ([]byte, error) {
	signed, err := l.Store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if signed == nil {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "No checkpoint has been made yet; the server makes one every minute while the log grows, or run caseroom audit checkpoint.")
	}
	body, _, err := splitNote(signed)
	if err != nil {
		return nil, fmt.Errorf("latest checkpoint: %w", err)
	}
	c, err := ParseCheckpoint(body)
	if err != nil {
		return nil, fmt.Errorf("latest checkpoint: %w", err)
	}
	lines, err := l.Store.Cosignatures(ctx, c.Size)
	if err != nil {
		return nil, err
	}
	out := append([]byte{}, signed...)
	for _, line := range lines {
		out = append(out, line...)
	}
	return out, nil
}

// AddCosignature takes a checkpoint note carrying cosignature lines, checks each line by
// a registered witness against the checkpoint this log signed of that size, and keeps
// the valid ones. It returns the witnesses whose cosignatures were kept. Returns
// EINVALID for a note that is not one of this log's checkpoints or a cosignature that
// does not verify, ENOTFOUND if the log made no checkpoint of that size, EFORBIDDEN if no
// line is by a registered witness.
func (l *Log) AddCosignature(ctx context.Context, cosigned []byte) ([]string, error) {
	body, sigs, err := splitNote(cosigned)
	if err != nil {
		return nil, caseroom.Errorf(caseroom.EINVALID, "Send the checkpoint with its cosignature lines: %v.", err)
	}
	c, err := ParseCheckpoint(body)
	if err != nil {
		return nil, caseroom.Errorf(caseroom.EINVALID, "%v.", err)
	}
	stored, err := l.Store.CheckpointAt(ctx, c.Size)
	if err != nil {
		return nil, err
	}
	if stored == nil {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "This log made no checkpoint of size %d.", c.Size)
	}
	if !strings.HasPrefix(string(stored), body+"\n") {
		return nil, caseroom.Errorf(caseroom.EINVALID, "The checkpoint of size %d differs from the one this log signed.", c.Size)
	}
	witnesses, err := l.Store.Witnesses(ctx)
	if err != nil {
		return nil, err
	}
	// Check every line before keeping any: a note with one bad cosignature is refused
	// whole.
	type good struct{ name, line string }
	var valid []good
	for _, w := range witnesses {
		v, err := ParseCosignVerifier(w.Key)
		if err != nil {
			return nil, fmt.Errorf("registered witness %s: %w", w.Name, err)
		}
		for _, line := range sigs {
			t, err := v.Verify(body, line)
			if errors.Is(err, errOtherKey) {
				continue
			}
			if err != nil {
				return nil, caseroom.Errorf(caseroom.EINVALID, "%v.", err)
			}
			if l.Now != nil && t.After(l.Now().Add(10*time.Minute)) {
				return nil, caseroom.Errorf(caseroom.EINVALID, "The cosignature of %s is dated in the future (%s).", w.Name, t.Format(time.RFC3339))
			}
			if len(valid) > 0 && valid[len(valid)-1].name == w.Name {
				valid[len(valid)-1].line = line // the witness's last line counts
				continue
			}
			valid = append(valid, good{w.Name, line})
		}
	}
	var kept []string
	for _, g := range valid {
		if err := l.Store.SaveCosignature(ctx, c.Size, g.name, g.line); err != nil {
			return nil, err
		}
		kept = append(kept, g.name)
	}
	if len(kept) == 0 {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "No cosignature on this checkpoint is by a witness registered with this log; an administrator registers one with caseroom audit witness add.")
	}
	return kept, nil
}

// Run makes a checkpoint every interval while the log grows, until ctx ends. Failures
// are reported to logf and retried at the next tick.
func (l *Log) Run(ctx context.Context, every time.Duration, logf func(format string, args ...any)) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if _, _, err := l.MakeCheckpoint(ctx); err != nil && ctx.Err() == nil && caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			logf("audit checkpoint: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Consistency returns the proof that the log's first oldSize entries are a prefix of its
// first newSize. Returns EINVALID for sizes outside the log.
func (l *Log) Consistency(ctx context.Context, oldSize, newSize int64) (tlog.TreeProof, error) {
	return l.Store.ProveTree(ctx, oldSize, newSize)
}

// Inclusion returns entry index's leaf hash and the proof that it is in the log's first
// size entries. Returns EINVALID for an index or size outside the log.
func (l *Log) Inclusion(ctx context.Context, index, size int64) (tlog.RecordProof, tlog.Hash, error) {
	return l.Store.ProveRecord(ctx, index, size)
}
