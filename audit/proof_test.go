package audit_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
	"pgregory.net/rapid"
)

// The audit log is only worth something if anyone can check it with an RFC 6962
// implementation of their own. These tests pin down how the package uses
// golang.org/x/mod/sumdb/tlog: the tree is RFC 6962's, inclusion and consistency proofs
// verify, and a proof, root or leaf that differs in a single bit does not.

// mth is RFC 6962's Merkle Tree Hash, section 2.1, written from the RFC and not from tlog.
func mth(leaves [][]byte) tlog.Hash {
	switch len(leaves) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return sha256.Sum256(append([]byte{0x00}, leaves[0]...))
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	l, r := mth(leaves[:k]), mth(leaves[k:])
	return sha256.Sum256(slices.Concat([]byte{0x01}, l[:], r[:]))
}

func mustHex(t *testing.T, s string) tlog.Hash {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		t.Fatalf("bad hash %q", s)
	}
	return tlog.Hash(b)
}

// TestTreeMatchesRFC6962Vectors checks the tree against the reference roots and proofs
// that the Certificate Transparency implementations share.
func TestTreeMatchesRFC6962Vectors(t *testing.T) {
	leaves := []string{"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"}
	roots := []string{
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	}
	tree := &memTree{}
	for _, l := range leaves {
		b, _ := hex.DecodeString(l)
		tree.add(t, b)
	}
	for n := range int64(len(leaves)) + 1 {
		if got, want := tree.root(t, n), mustHex(t, roots[n]); got != want {
			t.Errorf("root of %d leaves = %x, RFC 6962 reference %x", n, got, want)
		}
	}
	// Inclusion proof of leaf 0 in the tree of 8.
	p, err := tlog.ProveRecord(8, 0, tree)
	if err != nil {
		t.Fatal(err)
	}
	want := tlog.RecordProof{
		mustHex(t, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
		mustHex(t, "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
		mustHex(t, "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
	}
	if !slices.Equal(p, want) {
		t.Errorf("inclusion proof of leaf 0 in 8 = %x, reference %x", p, want)
	}
}

// TestProofLaws is the property test: for any tree of 1 to 300 leaves of random data,
// any size m <= n and index i < m, the inclusion and consistency proofs verify, and
// flipping any single bit of a proof hash, a root or the leaf makes them fail.
func TestProofLaws(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 300).Draw(t, "n")
		// Leaf data: a few distinct random values, or a random value per leaf, so that
		// trees with repeated leaves are drawn as well.
		pool := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 0, 40), 1, n).Draw(t, "pool")
		picks := rapid.SliceOfN(rapid.IntRange(0, len(pool)-1), n, n).Draw(t, "picks")

		tree := &memTree{}
		for _, p := range picks {
			data := pool[p]
			// The two ways of building the stored hashes agree.
			byHash, err := tlog.StoredHashesForRecordHash(tree.size(), tlog.RecordHash(data), tree)
			if err != nil {
				t.Fatal(err)
			}
			before := len(tree.stored)
			tree.add(t, data)
			if !slices.Equal(tree.stored[before:], byHash) {
				t.Fatalf("leaf %d: StoredHashes and StoredHashesForRecordHash differ", before)
			}
			if tree.leaf(tree.size()-1) != tlog.RecordHash(data) {
				t.Fatalf("stored leaf hash of entry %d is not RecordHash of its data", tree.size()-1)
			}
		}
		if got := int64(len(tree.stored)); got != tlog.StoredHashCount(int64(n)) {
			t.Fatalf("%d stored hashes for %d leaves, want StoredHashCount = %d", got, n, tlog.StoredHashCount(int64(n)))
		}

		m := int64(rapid.IntRange(1, n).Draw(t, "m"))
		i := int64(rapid.IntRange(0, int(m)-1).Draw(t, "i"))
		N := int64(n)
		rootM, rootN := tree.root(t, m), tree.root(t, N)
		if want := mth(tree.data[:m]); rootM != want {
			t.Fatalf("TreeHash(%d) = %x, RFC 6962 MTH = %x", m, rootM, want)
		}
		if want := mth(tree.data); rootN != want {
			t.Fatalf("TreeHash(%d) = %x, RFC 6962 MTH = %x", N, rootN, want)
		}
		leaf := tree.leaf(i)

		// Inclusion.
		rp, err := tlog.ProveRecord(m, i, tree)
		if err != nil {
			t.Fatalf("ProveRecord(%d, %d): %v", m, i, err)
		}
		if err := tlog.CheckRecord(rp, m, rootM, i, leaf); err != nil {
			t.Fatalf("inclusion of %d in %d does not verify: %v", i, m, err)
		}
		for j := range rp {
			bit := rapid.IntRange(0, 8*tlog.HashSize-1).Draw(t, fmt.Sprintf("record proof bit %d", j))
			bad := slices.Clone(rp)
			bad[j] = flipBit(bad[j], bit)
			if tlog.CheckRecord(bad, m, rootM, i, leaf) == nil {
				t.Fatalf("inclusion of %d in %d verifies with bit %d of proof hash %d flipped", i, m, bit, j)
			}
		}
		bit := rapid.IntRange(0, 8*tlog.HashSize-1).Draw(t, "leaf bit")
		if tlog.CheckRecord(rp, m, rootM, i, flipBit(leaf, bit)) == nil {
			t.Fatalf("inclusion of %d in %d verifies with bit %d of the leaf flipped", i, m, bit)
		}
		bit = rapid.IntRange(0, 8*tlog.HashSize-1).Draw(t, "record root bit")
		if tlog.CheckRecord(rp, m, flipBit(rootM, bit), i, leaf) == nil {
			t.Fatalf("inclusion of %d in %d verifies with bit %d of the root flipped", i, m, bit)
		}

		// Consistency.
		tp, err := tlog.ProveTree(N, m, tree)
		if err != nil {
			t.Fatalf("ProveTree(%d, %d): %v", N, m, err)
		}
		if err := tlog.CheckTree(tp, N, rootN, m, rootM); err != nil {
			t.Fatalf("consistency of %d with %d does not verify: %v", m, N, err)
		}
		for j := range tp {
			bit := rapid.IntRange(0, 8*tlog.HashSize-1).Draw(t, fmt.Sprintf("tree proof bit %d", j))
			bad := slices.Clone(tp)
			bad[j] = flipBit(bad[j], bit)
			if tlog.CheckTree(bad, N, rootN, m, rootM) == nil {
				t.Fatalf("consistency of %d with %d verifies with bit %d of proof hash %d flipped", m, N, bit, j)
			}
		}
		bit = rapid.IntRange(0, 8*tlog.HashSize-1).Draw(t, "new root bit")
		if tlog.CheckTree(tp, N, flipBit(rootN, bit), m, rootM) == nil {
			t.Fatalf("consistency of %d with %d verifies with bit %d of the new root flipped", m, N, bit)
		}
		bit = rapid.IntRange(0, 8*tlog.HashSize-1).Draw(t, "old root bit")
		if tlog.CheckTree(tp, N, rootN, m, flipBit(rootM, bit)) == nil {
			t.Fatalf("consistency of %d with %d verifies with bit %d of the old root flipped", m, N, bit)
		}
	})
}

// TestProofsFailForAnyFlippedBit flips every bit of every proof hash, not a sampled
// one, for every index and size pair of a small ragged tree.
func TestProofsFailForAnyFlippedBit(t *testing.T) {
	tree := newTree(t, 13, "exhaustive")
	for n := int64(1); n <= tree.size(); n++ {
		rootN := tree.root(t, n)
		for m := int64(1); m <= n; m++ {
			rootM := tree.root(t, m)
			tp, err := tlog.ProveTree(n, m, tree)
			if err != nil {
				t.Fatal(err)
			}
			if err := tlog.CheckTree(tp, n, rootN, m, rootM); err != nil {
				t.Fatalf("consistency %d→%d: %v", m, n, err)
			}
			for j := range tp {
				for bit := range 8 * tlog.HashSize {
					bad := slices.Clone(tp)
					bad[j] = flipBit(bad[j], bit)
					if tlog.CheckTree(bad, n, rootN, m, rootM) == nil {
						t.Fatalf("consistency %d→%d verifies with bit %d of hash %d flipped", m, n, bit, j)
					}
				}
			}
			if m == n {
				continue
			}
			i := m // inclusion of entry m (< n) in the tree of n
			rp, err := tlog.ProveRecord(n, i, tree)
			if err != nil {
				t.Fatal(err)
			}
			for j := range rp {
				for bit := range 8 * tlog.HashSize {
					bad := slices.Clone(rp)
					bad[j] = flipBit(bad[j], bit)
					if tlog.CheckRecord(bad, n, rootN, i, tree.leaf(i)) == nil {
						t.Fatalf("inclusion of %d in %d verifies with bit %d of hash %d flipped", i, n, bit, j)
					}
				}
			}
		}
	}
}
