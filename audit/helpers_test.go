package audit_test

import (
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"caseroom/audit"
)

// tb is what the helpers need: *testing.T and *rapid.T both provide it.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// memTree is an in-memory tlog tree: its leaves' record data and every stored hash, in
// tlog.StoredHashIndex order, as sqlstore keeps them in audit_tree.
type memTree struct {
	data   [][]byte
	stored []tlog.Hash
}

func (m *memTree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.stored)) {
			return nil, fmt.Errorf("memTree: no stored hash %d (have %d)", x, len(m.stored))
		}
		out[i] = m.stored[x]
	}
	return out, nil
}

// add appends a leaf of record data.
func (m *memTree) add(t tb, data []byte) {
	t.Helper()
	hs, err := tlog.StoredHashes(int64(len(m.data)), data, m)
	if err != nil {
		t.Fatalf("StoredHashes(%d): %v", len(m.data), err)
	}
	m.stored = append(m.stored, hs...)
	m.data = append(m.data, data)
}

func (m *memTree) size() int64 { return int64(len(m.data)) }

// leaf returns the stored leaf hash of entry i.
func (m *memTree) leaf(i int64) tlog.Hash { return m.stored[tlog.StoredHashIndex(0, i)] }

// root returns the root hash of the first n leaves.
func (m *memTree) root(t tb, n int64) tlog.Hash {
	t.Helper()
	h, err := tlog.TreeHash(n, m)
	if err != nil {
		t.Fatalf("TreeHash(%d): %v", n, err)
	}
	return h
}

// newTree returns a tree of n leaves whose data is "<prefix> entry <i>".
func newTree(t tb, n int, prefix string) *memTree {
	t.Helper()
	m := &memTree{}
	for i := range n {
		m.add(t, fmt.Appendf(nil, "%s entry %d", prefix, i))
	}
	return m
}

// newLogKey makes a log key in a fresh temporary directory.
func newLogKey(t *testing.T) *audit.LogKey {
	t.Helper()
	k, err := audit.LoadOrCreateLogKey(filepath.Join(t.TempDir(), "log.key"))
	if err != nil {
		t.Fatalf("LoadOrCreateLogKey: %v", err)
	}
	return k
}

// impostorSigner returns a note signer with the given name but a key of its own: what
// someone who does not hold the log's key would sign with.
func impostorSigner(t *testing.T, name string) note.Signer {
	t.Helper()
	skey, _, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signedCheckpoint signs the checkpoint of tree's first n leaves with signer, named
// as the checkpoint's origin.
func signedCheckpoint(t *testing.T, signer note.Signer, tree *memTree, n int64) []byte {
	t.Helper()
	c := audit.Checkpoint{Origin: signer.Name(), Size: n, Hash: tree.root(t, n)}
	signed, err := audit.SignCheckpoint(c, signer)
	if err != nil {
		t.Fatalf("SignCheckpoint: %v", err)
	}
	return signed
}

func newWitnessKey(t *testing.T, name string) *audit.WitnessKey {
	t.Helper()
	k, err := audit.GenerateWitnessKey(name)
	if err != nil {
		t.Fatalf("GenerateWitnessKey(%q): %v", name, err)
	}
	return k
}

func flipBit(h tlog.Hash, bit int) tlog.Hash {
	h[bit/8] ^= 1 << (bit % 8)
	return h
}
