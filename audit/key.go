package audit

import (
	"caseroom/internal/durable"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// LogKey is the log's signing key: a note signer key (golang.org/x/mod/sumdb/note,
// Ed25519), whose name is the log's origin. Its file holds the private key string
// "PRIVATE+KEY+<origin>+<key id>+<base64>" and a newline.
type LogKey struct {
	Signer   note.Signer
	Verifier note.Verifier
	// VerifierKey is the public key in note form, "<origin>+<key id>+<base64>": what
	// witnesses, courts and auditors are given to check checkpoints.
	VerifierKey string
}

// Origin is the log's name, the first line of every checkpoint.
func (k *LogKey) Origin() string { return k.Signer.Name() }

// LoadOrCreateLogKey reads the log key at path, or creates one there if the file does
// not exist, named "caseroom.local/<random id>" so that two logs never share an origin.
func LoadOrCreateLogKey(path string) (*LogKey, error) {
	k, err := LoadLogKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	id := make([]byte, 10)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	origin := "caseroom.local/" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(id))
	skey, _, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, fmt.Errorf("make log key: %w", err)
	}
	if err := createFile(path, []byte(skey+"\n")); err != nil {
		if errors.Is(err, fs.ErrExist) { // made by another process meanwhile
			return LoadLogKey(path)
		}
		return nil, fmt.Errorf("save log key: %w", err)
	}
	return LoadLogKey(path)
}

// LoadLogKey reads the log key at path.
func LoadLogKey(path string) (*LogKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("log key: %w", err)
	}
	skey := strings.TrimSpace(string(b))
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("log key %s: %w", path, err)
	}
	// The private key string ends in base64(0x01 || Ed25519 seed).
	parts := strings.SplitN(skey, "+", 5) // PRIVATE, KEY, name, key id, key (base64 may hold '+')
	raw, err := base64.StdEncoding.DecodeString(parts[len(parts)-1])
	if err != nil || len(raw) != 1+ed25519.SeedSize {
		return nil, fmt.Errorf("log key %s: not an Ed25519 note key", path)
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(signer.Name(), pub)
	if err != nil {
		return nil, err
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	return &LogKey{Signer: signer, Verifier: verifier, VerifierKey: vkey}, nil
}

// createFile makes path's directory if need be and writes a new file there, 0600, as
// durable.Create does.
func createFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return durable.Create(path, data, 0o600)
}
