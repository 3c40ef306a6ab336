package blob

import (
	"bytes"
	"caseroom/internal/durable"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"filippo.io/age"
)

// maxKeyFileSize bounds what LoadOrCreateKey reads: an identity file is one
// 74-character line, perhaps with the comments age-keygen writes.
const maxKeyFileSize = 4096

// LoadOrCreateKey returns the age X25519 identity stored at path, creating
// the file if it does not exist.
//
// The file holds the identity as age writes it ("AGE-SECRET-KEY-1…") on
// one line; blank lines and lines starting with '#' are ignored, so a file
// made by age-keygen is accepted. A new file is written 0600 to a temporary
// file in the same directory, fsynced, and hard-linked to path, which fails
// if path exists: when two processes race to create it, both end up with
// the winner's identity. A file that exists but does not hold exactly one
// identity is an error, and is left untouched: the blobs encrypted to the
// identity it held are unreadable without it, so restore it from a backup.
func LoadOrCreateKey(path string) (*age.X25519Identity, error) {
	id, err := loadKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return id, err
	}
	id, err = age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("create key %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create key %s: %w", path, err)
	}
	if err := durable.Create(path, []byte(id.String()+"\n"), 0o600); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadKey(path) // Another process won the race: use its identity.
		}
		return nil, fmt.Errorf("create key %s: %w", path, err)
	}
	return id, nil
}

// loadKey reads the identity at path. Returns an error wrapping
// fs.ErrNotExist if there is no file.
func loadKey(path string) (*age.X25519Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load key %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("load key %s: %w", path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("load key %s: file is larger than %d bytes: not an age identity file; it was left untouched", path, maxKeyFileSize)
	}
	var lines [][]byte
	for line := range bytes.Lines(data) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		lines = append(lines, line)
	}
	if len(lines) != 1 {
		return nil, fmt.Errorf("load key %s: want exactly one AGE-SECRET-KEY-1 line, found %d; the file was left untouched", path, len(lines))
	}
	id, err := age.ParseX25519Identity(string(lines[0]))
	if err != nil {
		return nil, fmt.Errorf("load key %s: %w; the file was left untouched", path, err)
	}
	return id, nil
}
