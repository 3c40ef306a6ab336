package pdq

import (
	"encoding/hex"
	"fmt"
	"math/bits"
)

// Hash is a 256-bit PDQ hash in the byte order of its hex form: the C++ reference's
// Hash256::format() writes 16-bit word 15 first and word 0 last, so bit k of the hash
// (DCT coefficient row k/16, column k%16) is bit k%8 of byte 31-k/8.
type Hash [32]byte

// Bit reports bit k (0 to 255) of the hash.
func (h *Hash) Bit(k int) bool { return h[31-k/8]>>(k%8)&1 == 1 }

func (h *Hash) setBit(k int) { h[31-k/8] |= 1 << (k % 8) }

// String is the 64-character lowercase hex form.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText writes the hex form, so a Hash is a JSON string.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads the hex form.
func (h *Hash) UnmarshalText(b []byte) error {
	p, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = p
	return nil
}

// ParseHash reads a 64-character hex PDQ hash (either case).
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 64 {
		return h, fmt.Errorf("a PDQ hash is 64 hex characters, got %d", len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("a PDQ hash is 64 hex characters: %w", err)
	}
	return h, nil
}

// Distance is the Hamming distance between two hashes: the number of differing bits.
func Distance(a, b *Hash) int {
	n := 0
	for i := 0; i < 32; i += 8 {
		n += bits.OnesCount64(le64(a[i:]) ^ le64(b[i:]))
	}
	return n
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}
