package audit

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Cosignatures follow C2SP tlog-cosignature v1 with Ed25519 (signature type 0x04):
//
//	key ID       SHA-256(<name> || "\n" || 0x04 || public key)[:4]
//	vkey         <name>+<hex key ID>+base64(0x04 || public key)
//	signed text  "cosignature/v1\n" || "time <unix seconds>\n" || checkpoint note body
//	note line    "— <name> " base64(key ID || 8-byte big-endian time || 64-byte signature) "\n"
//
// A witness key file holds "PRIVATE+KEY+<name>+<hex key ID>+base64(0x04 || seed)" and a
// newline, in the style of a note private key.

const cosignatureAlg = 0x04

// WitnessKey is a witness's Ed25519 cosigning key.
type WitnessKey struct {
	Name string
	priv ed25519.PrivateKey
}

// CosignVerifier checks one witness's cosignatures.
type CosignVerifier struct {
	Name  string
	pub   ed25519.PublicKey
	keyID [4]byte
}

func cosignKeyID(name string, pub ed25519.PublicKey) [4]byte {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write([]byte{cosignatureAlg})
	h.Write(pub)
	var id [4]byte
	copy(id[:], h.Sum(nil))
	return id
}

func validKeyName(name string) error {
	if name == "" || strings.ContainsAny(name, "+") || strings.IndexFunc(name, unicode.IsSpace) >= 0 {
		return fmt.Errorf("witness name %q: must be non-empty, without spaces or '+'", name)
	}
	return nil
}

// GenerateWitnessKey makes a new witness key named name (a schema-less URL such as
// "oversight.example/witness").
func GenerateWitnessKey(name string) (*WitnessKey, error) {
	if err := validKeyName(name); err != nil {
		return nil, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &WitnessKey{Name: name, priv: priv}, nil
}

// String returns the private key string kept in the witness's key file.
func (k *WitnessKey) String() string {
	pub := k.priv.Public().(ed25519.PublicKey)
	id := cosignKeyID(k.Name, pub)
	return "PRIVATE+KEY+" + k.Name + "+" + hex.EncodeToString(id[:]) + "+" +
		base64.StdEncoding.EncodeToString(append([]byte{cosignatureAlg}, k.priv.Seed()...))
}

// VerifierKey returns the witness's public key as a vkey, to register with the log.
func (k *WitnessKey) VerifierKey() string {
	pub := k.priv.Public().(ed25519.PublicKey)
	id := cosignKeyID(k.Name, pub)
	return k.Name + "+" + hex.EncodeToString(id[:]) + "+" + base64.StdEncoding.EncodeToString(append([]byte{cosignatureAlg}, pub...))
}

// ParseWitnessKey parses a private key string made by WitnessKey.String.
func ParseWitnessKey(s string) (*WitnessKey, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "PRIVATE+KEY+")
	parts := strings.SplitN(rest, "+", 3) // name, key id, key (base64 may hold '+')
	if !ok || len(parts) != 3 {
		return nil, errors.New("witness key: want PRIVATE+KEY+<name>+<key id>+<key>")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != cosignatureAlg {
		return nil, errors.New("witness key: not an Ed25519 cosignature key")
	}
	k := &WitnessKey{Name: parts[0], priv: ed25519.NewKeyFromSeed(raw[1:])}
	if err := validKeyName(k.Name); err != nil {
		return nil, err
	}
	if k.String() != strings.TrimSpace(s) {
		return nil, errors.New("witness key: key id does not match the key")
	}
	return k, nil
}

// LoadOrCreateWitnessKey reads the witness key at path, or makes one named name there
// (created reports which).
func LoadOrCreateWitnessKey(path, name string) (k *WitnessKey, created bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		k, err = ParseWitnessKey(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	if k, err = GenerateWitnessKey(name); err != nil {
		return nil, false, err
	}
	if err := createFile(path, []byte(k.String()+"\n")); err != nil {
		if errors.Is(err, fs.ErrExist) { // made by another process meanwhile
			k, _, err := LoadOrCreateWitnessKey(path, name)
			return k, false, err
		}
		return nil, false, fmt.Errorf("save witness key: %w", err)
	}
	return k, true, nil
}

// ParseCosignVerifier parses a witness's vkey.
func ParseCosignVerifier(vkey string) (*CosignVerifier, error) {
	parts := strings.SplitN(strings.TrimSpace(vkey), "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("witness key %q: want <name>+<key id>+<key>", vkey)
	}
	if err := validKeyName(parts[0]); err != nil {
		return nil, err
	}
	// Only the canonical base64: DecodeString also takes line breaks inside it, which
	// would register one key under two texts.
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != cosignatureAlg || base64.StdEncoding.EncodeToString(raw) != parts[2] {
		return nil, fmt.Errorf("witness key %q: not an Ed25519 cosignature (0x04) key", vkey)
	}
	v := &CosignVerifier{Name: parts[0], pub: ed25519.PublicKey(raw[1:])}
	v.keyID = cosignKeyID(v.Name, v.pub)
	if hex.EncodeToString(v.keyID[:]) != parts[1] {
		return nil, fmt.Errorf("witness key %q: key id does not match the key", vkey)
	}
	return v, nil
}

func cosignedMessage(body string, t int64) []byte {
	return []byte("cosignature/v1\ntime " + strconv.FormatInt(t, 10) + "\n" + body)
}

// Cosign returns the witness's signature line on the checkpoint note body, at time t.
func (k *WitnessKey) Cosign(body string, t time.Time) string {
	ts := t.Unix()
	sig := ed25519.Sign(k.priv, cosignedMessage(body, ts))
	id := cosignKeyID(k.Name, k.priv.Public().(ed25519.PublicKey))
	blob := make([]byte, 0, 4+8+len(sig))
	blob = append(blob, id[:]...)
	blob = binary.BigEndian.AppendUint64(blob, uint64(ts))
	blob = append(blob, sig...)
	return "— " + k.Name + " " + base64.StdEncoding.EncodeToString(blob) + "\n"
}

// errOtherKey says a signature line is not by this verifier's key.
var errOtherKey = errors.New("signature is by another key")

// Verify checks that line is this witness's valid cosignature on body and returns the
// time it states. Lines by other keys return an error wrapping errOtherKey.
func (v *CosignVerifier) Verify(body, line string) (time.Time, error) {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "— ")
	name, b64, ok2 := strings.Cut(rest, " ")
	if !ok || !ok2 {
		return time.Time{}, fmt.Errorf("malformed signature line %q", line)
	}
	// Only the canonical base64, as Cosign writes it: DecodeString also takes carriage
	// returns inside it (which make the log's served note one that note.Open refuses)
	// and other padding bits, and the line is kept as sent.
	blob, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(blob) < 4 || base64.StdEncoding.EncodeToString(blob) != b64 {
		return time.Time{}, fmt.Errorf("malformed signature line %q", line)
	}
	if name != v.Name || !bytes.Equal(blob[:4], v.keyID[:]) {
		return time.Time{}, errOtherKey
	}
	if len(blob) != 4+8+ed25519.SignatureSize {
		return time.Time{}, fmt.Errorf("cosignature of %s: wrong length", v.Name)
	}
	ts := binary.BigEndian.Uint64(blob[4:12])
	if ts > 1<<63-1 || !ed25519.Verify(v.pub, cosignedMessage(body, int64(ts)), blob[12:]) {
		return time.Time{}, fmt.Errorf("cosignature of %s does not verify", v.Name)
	}
	return time.Unix(int64(ts), 0).UTC(), nil
}
