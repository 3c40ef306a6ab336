package audit_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"caseroom"
	"caseroom/audit"
)

// fakeStore is an in-memory audit.Store that behaves as sqlstore's does.
type fakeStore struct {
	mu          sync.Mutex
	tree        memTree
	checkpoints map[int64][]byte
	witnesses   []*caseroom.Witness
	cosigs      map[int64]map[string]string // size → witness → line
	saves       int                         // calls of SaveCheckpoint
}

var _ audit.Store = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	return &fakeStore{checkpoints: map[int64][]byte{}, cosigs: map[int64]map[string]string{}}
}

func (s *fakeStore) append(t *testing.T, data string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tree.add(t, []byte(data))
}

func (s *fakeStore) addWitness(k *audit.WitnessKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.witnesses = append(s.witnesses, &caseroom.Witness{ID: "wit_" + k.Name, Name: k.Name, Key: k.VerifierKey()})
}

func (s *fakeStore) TreeHead(ctx context.Context) (int64, tlog.Hash, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.tree.size()
	if n == 0 {
		return 0, tlog.Hash{}, nil
	}
	h, err := tlog.TreeHash(n, &s.tree)
	return n, h, err
}

func (s *fakeStore) ProveTree(ctx context.Context, oldSize, newSize int64) (tlog.TreeProof, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if oldSize <= 0 || oldSize > newSize || newSize > s.tree.size() {
		return nil, caseroom.Errorf(caseroom.EINVALID, "A consistency proof needs 0 < old <= new <= %d; got old=%d new=%d.", s.tree.size(), oldSize, newSize)
	}
	return tlog.ProveTree(newSize, oldSize, &s.tree)
}

func (s *fakeStore) ProveRecord(ctx context.Context, index, size int64) (tlog.RecordProof, tlog.Hash, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if index < 0 || index >= size || size > s.tree.size() {
		return nil, tlog.Hash{}, caseroom.Errorf(caseroom.EINVALID, "An inclusion proof needs 0 <= index < size <= %d.", s.tree.size())
	}
	p, err := tlog.ProveRecord(size, index, &s.tree)
	return p, s.tree.leaf(index), err
}

func (s *fakeStore) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saves++
	if _, ok := s.checkpoints[size]; !ok {
		s.checkpoints[size] = bytes.Clone(signed)
	}
	return nil
}

func (s *fakeStore) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sizes := slices.Sorted(maps.Keys(s.checkpoints))
	if len(sizes) == 0 {
		return nil, nil
	}
	return bytes.Clone(s.checkpoints[sizes[len(sizes)-1]]), nil
}

func (s *fakeStore) CheckpointAt(ctx context.Context, size int64) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.checkpoints[size]), nil
}

func (s *fakeStore) Witnesses(ctx context.Context) ([]*caseroom.Witness, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.witnesses), nil
}

func (s *fakeStore) SaveCosignature(ctx context.Context, size int64, witness, line string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cosigs[size] == nil {
		s.cosigs[size] = map[string]string{}
	}
	s.cosigs[size][witness] = line
	return nil
}

func (s *fakeStore) Cosignatures(ctx context.Context, size int64) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, w := range slices.Sorted(maps.Keys(s.cosigs[size])) {
		out = append(out, s.cosigs[size][w])
	}
	return out, nil
}

func newTestLog(t *testing.T) (*audit.Log, *fakeStore) {
	t.Helper()
	s := newFakeStore()
	return &audit.Log{Store: s, Key: newLogKey(t)}, s
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := caseroom.ErrorCode(err); got != code {
		t.Errorf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

func TestMakeCheckpoint(t *testing.T) {
	ctx := context.Background()
	l, s := newTestLog(t)

	_, _, err := l.MakeCheckpoint(ctx)
	wantCode(t, "MakeCheckpoint of an empty log", err, caseroom.ENOTFOUND)
	if len(s.checkpoints) != 0 {
		t.Fatal("a checkpoint of the empty log was kept")
	}

	for _, e := range []string{"a", "b", "c"} {
		s.append(t, e)
	}
	signed, c, err := l.MakeCheckpoint(ctx)
	if err != nil {
		t.Fatalf("MakeCheckpoint: %v", err)
	}
	want := audit.Checkpoint{Origin: l.Key.Origin(), Size: 3, Hash: s.tree.root(t, 3)}
	if c != want {
		t.Errorf("MakeCheckpoint = %+v, want %+v", c, want)
	}
	opened, _, err := audit.OpenCheckpoint(signed, l.Key.Verifier)
	if err != nil || opened != want {
		t.Errorf("the signed checkpoint opens as %+v, %v; want %+v", opened, err, want)
	}
	if !bytes.Equal(s.checkpoints[3], signed) {
		t.Error("the checkpoint was not kept in the store")
	}

	// Nothing new: the same checkpoint, none signed or saved.
	saves := s.saves
	again, c2, err := l.MakeCheckpoint(ctx)
	if err != nil || !bytes.Equal(again, signed) || c2 != want {
		t.Errorf("MakeCheckpoint with no new entries = %+v, %v; want the latest checkpoint", c2, err)
	}
	if s.saves != saves || len(s.checkpoints) != 1 {
		t.Errorf("MakeCheckpoint with no new entries saved a checkpoint (%d saves, %d kept)", s.saves-saves, len(s.checkpoints))
	}

	// The log grows: a new checkpoint of the new size, consistent with the old.
	s.append(t, "d")
	s.append(t, "e")
	signed5, c5, err := l.MakeCheckpoint(ctx)
	if err != nil || c5.Size != 5 || c5.Hash != s.tree.root(t, 5) {
		t.Fatalf("MakeCheckpoint after growth = %+v, %v", c5, err)
	}
	if latest, _ := s.LatestCheckpoint(ctx); !bytes.Equal(latest, signed5) {
		t.Error("the new checkpoint is not the latest in the store")
	}
	p, err := l.Consistency(ctx, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.CheckTree(p, 5, c5.Hash, 3, c.Hash); err != nil {
		t.Errorf("consistency proof 3→5: %v", err)
	}
	rp, leaf, err := l.Inclusion(ctx, 1, 5)
	if err != nil {
		t.Fatal(err)
	}
	if leaf != tlog.RecordHash([]byte("b")) || tlog.CheckRecord(rp, 5, c5.Hash, 1, leaf) != nil {
		t.Error("inclusion proof of entry 1 in 5 does not verify")
	}
	_, err = l.Consistency(ctx, 3, 6)
	wantCode(t, "Consistency beyond the log", err, caseroom.EINVALID)

	// A stored latest checkpoint that does not open (another key, edited) is an error,
	// not silently replaced.
	s.checkpoints[5] = signedCheckpoint(t, impostorSigner(t, l.Key.Origin()), &s.tree, 5)
	s.append(t, "f")
	if _, _, err := l.MakeCheckpoint(ctx); err == nil {
		t.Error("MakeCheckpoint accepted a latest stored checkpoint signed by another key")
	}
}

func TestLatest(t *testing.T) {
	ctx := context.Background()
	l, s := newTestLog(t)
	_, err := l.Latest(ctx)
	wantCode(t, "Latest before the first checkpoint", err, caseroom.ENOTFOUND)

	s.append(t, "a")
	s.append(t, "b")
	signed, c, err := l.MakeCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Latest(ctx)
	if err != nil || !bytes.Equal(got, signed) {
		t.Fatalf("Latest without cosignatures = %q, %v; want the signed checkpoint", got, err)
	}

	w1, w2 := newWitnessKey(t, "b.example/witness"), newWitnessKey(t, "a.example/witness")
	s.addWitness(w1)
	s.addWitness(w2)
	at := time.Unix(1700000000, 0)
	for _, w := range []*audit.WitnessKey{w1, w2} {
		if _, err := l.AddCosignature(ctx, append(bytes.Clone(signed), w.Cosign(c.Text(), at)...)); err != nil {
			t.Fatalf("AddCosignature by %s: %v", w.Name, err)
		}
	}
	got, err = l.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, signed) {
		t.Fatalf("Latest does not start with the log's signed checkpoint:\n%s", got)
	}
	lines := strings.SplitAfter(string(got[len(signed):]), "\n")
	lines = slices.DeleteFunc(lines, func(l string) bool { return l == "" })
	if len(lines) != 2 {
		t.Fatalf("Latest has %d lines after the log's signature, want 2 cosignatures:\n%s", len(lines), got)
	}
	opened, n, err := audit.OpenCheckpoint(got, l.Key.Verifier)
	if err != nil || opened != c {
		t.Fatalf("OpenCheckpoint(Latest) = %+v, %v", opened, err)
	}
	if len(n.Sigs) != 1 || len(n.UnverifiedSigs) != 2 {
		t.Errorf("Latest opens with %d verified and %d unverified signatures, want 1 and 2", len(n.Sigs), len(n.UnverifiedSigs))
	}
	for _, w := range []*audit.WitnessKey{w1, w2} {
		v, _ := audit.ParseCosignVerifier(w.VerifierKey())
		ok := false
		for _, line := range lines {
			if tm, err := v.Verify(n.Text, line); err == nil && tm.Equal(at) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("Latest carries no valid cosignature by %s", w.Name)
		}
	}

	// A new checkpoint has no cosignatures yet: the old ones are not carried over.
	s.append(t, "c")
	signed3, _, err := l.MakeCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := l.Latest(ctx); err != nil || !bytes.Equal(got, signed3) {
		t.Errorf("Latest after a new checkpoint = %q, %v; want the new checkpoint alone", got, err)
	}
}

func TestAddCosignature(t *testing.T) {
	ctx := context.Background()
	l, s := newTestLog(t)
	for _, e := range []string{"a", "b", "c", "d"} {
		s.append(t, e)
	}
	signed, c, err := l.MakeCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := newWitnessKey(t, "oversight.example/witness")
	s.addWitness(w)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	l.Now = func() time.Time { return now }
	cosigned := func(w *audit.WitnessKey, at time.Time) []byte {
		return append(bytes.Clone(signed), w.Cosign(c.Text(), at)...)
	}

	kept, err := l.AddCosignature(ctx, cosigned(w, now))
	if err != nil || !slices.Equal(kept, []string{w.Name}) {
		t.Fatalf("AddCosignature by a registered witness = %v, %v; want [%s]", kept, err, w.Name)
	}
	lines, _ := s.Cosignatures(ctx, 4)
	if len(lines) != 1 || lines[0] != w.Cosign(c.Text(), now) {
		t.Errorf("stored cosignatures %q, want the witness's line", lines)
	}

	// A later cosignature replaces the earlier one (within the clock skew allowed).
	later := now.Add(5 * time.Minute)
	if _, err := l.AddCosignature(ctx, cosigned(w, later)); err != nil {
		t.Errorf("AddCosignature 5 minutes ahead of the log's clock: %v", err)
	}
	if lines, _ := s.Cosignatures(ctx, 4); len(lines) != 1 || lines[0] != w.Cosign(c.Text(), later) {
		t.Errorf("stored cosignatures after a second one: %q", lines)
	}

	t.Run("unregistered witness", func(t *testing.T) {
		stranger := newWitnessKey(t, "stranger.example/witness")
		_, err := l.AddCosignature(ctx, cosigned(stranger, now))
		wantCode(t, "AddCosignature by an unregistered witness", err, caseroom.EFORBIDDEN)
		// Another key under a registered witness's name is no registered witness.
		impostor := newWitnessKey(t, w.Name)
		_, err = l.AddCosignature(ctx, cosigned(impostor, now))
		wantCode(t, "AddCosignature by another key under a registered name", err, caseroom.EFORBIDDEN)
		// The log's signature alone is no cosignature.
		_, err = l.AddCosignature(ctx, signed)
		wantCode(t, "AddCosignature without a cosignature", err, caseroom.EFORBIDDEN)
	})
	t.Run("tampered cosignature", func(t *testing.T) {
		line := w.Cosign(c.Text(), now)
		prefix := "— " + w.Name + " "
		blob, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(line, prefix), "\n"))
		if err != nil || len(blob) != 76 {
			t.Fatalf("cosignature line %q", line)
		}
		blob[50] ^= 1 // a bit of the Ed25519 signature
		bad := prefix + base64.StdEncoding.EncodeToString(blob) + "\n"
		_, err = l.AddCosignature(ctx, append(bytes.Clone(signed), bad...))
		wantCode(t, "AddCosignature with a tampered signature", err, caseroom.EINVALID)
	})
	t.Run("body differs from the stored checkpoint", func(t *testing.T) {
		other := newTree(t, 4, "rewritten")
		forged := audit.Checkpoint{Origin: c.Origin, Size: 4, Hash: other.root(t, 4)}
		// Signed by someone else (the log never signed this root) and cosigned.
		note := signedCheckpoint(t, impostorSigner(t, c.Origin), other, 4)
		_, err := l.AddCosignature(ctx, append(note, w.Cosign(forged.Text(), now)...))
		wantCode(t, "AddCosignature of a checkpoint with another root", err, caseroom.EINVALID)

		// The right root under another origin.
		renamed := audit.Checkpoint{Origin: "other.example/log", Size: 4, Hash: c.Hash}
		body := []byte(renamed.Text() + "\n" + strings.SplitN(string(signed), "\n\n", 2)[1])
		_, err = l.AddCosignature(ctx, append(body, w.Cosign(renamed.Text(), now)...))
		wantCode(t, "AddCosignature of a checkpoint with another origin", err, caseroom.EINVALID)
	})
	t.Run("cosignature over another body", func(t *testing.T) {
		other := audit.Checkpoint{Origin: c.Origin, Size: 3, Hash: s.tree.root(t, 3)}
		_, err := l.AddCosignature(ctx, append(bytes.Clone(signed), w.Cosign(other.Text(), now)...))
		wantCode(t, "AddCosignature whose cosignature signs another checkpoint", err, caseroom.EINVALID)
	})
	t.Run("size never checkpointed", func(t *testing.T) {
		c3 := audit.Checkpoint{Origin: c.Origin, Size: 3, Hash: s.tree.root(t, 3)}
		signed3, err := audit.SignCheckpoint(c3, l.Key.Signer)
		if err != nil {
			t.Fatal(err)
		}
		_, err = l.AddCosignature(ctx, append(signed3, w.Cosign(c3.Text(), now)...))
		wantCode(t, "AddCosignature of a size never checkpointed", err, caseroom.ENOTFOUND)
	})
	t.Run("dated in the future", func(t *testing.T) {
		_, err := l.AddCosignature(ctx, cosigned(w, now.Add(24*time.Hour)))
		wantCode(t, "AddCosignature dated a day ahead", err, caseroom.EINVALID)
		if lines, _ := s.Cosignatures(ctx, 4); len(lines) != 1 || lines[0] != w.Cosign(c.Text(), later) {
			t.Errorf("a refused cosignature replaced the stored one: %q", lines)
		}
	})
	t.Run("not a note", func(t *testing.T) {
		for _, b := range [][]byte{nil, []byte("garbage"), []byte(c.Text()), []byte(c.Text() + "\nnot a signature line\n")} {
			_, err := l.AddCosignature(ctx, b)
			wantCode(t, "AddCosignature("+string(b)+")", err, caseroom.EINVALID)
		}
	})
	if t.Failed() {
		return
	}
	// After all the refusals the stored cosignature is still the good one.
	if lines, _ := s.Cosignatures(ctx, 4); len(lines) != 1 || lines[0] != w.Cosign(c.Text(), later) {
		t.Errorf("stored cosignatures after refusals: %q", lines)
	}
}

func TestAddCosignatureSeveralWitnesses(t *testing.T) {
	ctx := context.Background()
	l, s := newTestLog(t)
	s.append(t, "a")
	signed, c, err := l.MakeCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w1, w2 := newWitnessKey(t, "one.example/witness"), newWitnessKey(t, "two.example/witness")
	stranger := newWitnessKey(t, "stranger.example/witness")
	s.addWitness(w1)
	s.addWitness(w2)
	at := time.Unix(1700000000, 0)
	note := append(bytes.Clone(signed), stranger.Cosign(c.Text(), at)+w2.Cosign(c.Text(), at)+w1.Cosign(c.Text(), at)...)
	kept, err := l.AddCosignature(ctx, note)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(kept)
	if !slices.Equal(kept, []string{w1.Name, w2.Name}) {
		t.Errorf("kept %v, want both registered witnesses and not the stranger", kept)
	}
	if lines, _ := s.Cosignatures(ctx, 1); len(lines) != 2 {
		t.Errorf("%d cosignatures stored, want 2", len(lines))
	}
}
