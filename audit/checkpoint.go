// Package audit makes Caseroom's audit log a transparency log: an RFC 6962 Merkle tree
// over the audit entries (kept by package sqlstore with golang.org/x/mod/sumdb/tlog),
// signed checkpoints, inclusion and consistency proofs, verification of a whole store
// against its checkpoints, and outside witnesses that cosign what they have checked.
package audit

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint is a tree head in the C2SP tlog-checkpoint format. Its text, the body of a
// signed note, is exactly three lines, each ending in a newline:
//
//	<origin>                    the log's name, the name of its signing key
//	<size>                      number of entries, decimal, no leading zeros
//	<base64 root hash>          standard base64 of the 32-byte RFC 6962 root
//
// The note is signed with the log's Ed25519 note key (golang.org/x/mod/sumdb/note), and
// witnesses add their cosignature lines (see cosign.go) after the log's.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
}

// Text returns the checkpoint's note body.
func (c Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Hash[:]))
}

// ParseCheckpoint parses a checkpoint note body. Extension lines after the third are
// refused: this log writes none.
func ParseCheckpoint(text string) (Checkpoint, error) {
	var c Checkpoint
	lines := strings.SplitAfter(text, "\n")
	if len(lines) != 4 || lines[3] != "" {
		return c, fmt.Errorf("checkpoint: want three lines (origin, size, root hash), got %q", text)
	}
	c.Origin = strings.TrimSuffix(lines[0], "\n")
	if c.Origin == "" {
		return c, fmt.Errorf("checkpoint: empty origin line")
	}
	sizeText := strings.TrimSuffix(lines[1], "\n")
	size, err := strconv.ParseInt(sizeText, 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != sizeText {
		return c, fmt.Errorf("checkpoint: size %q is not a decimal number", sizeText)
	}
	c.Size = size
	hash, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(lines[2], "\n"))
	if err != nil || len(hash) != len(c.Hash) || base64.StdEncoding.EncodeToString(hash) != strings.TrimSuffix(lines[2], "\n") {
		return c, fmt.Errorf("checkpoint: root hash %q is not base64 of 32 bytes", strings.TrimSuffix(lines[2], "\n"))
	}
	copy(c.Hash[:], hash)
	return c, nil
}

// SignCheckpoint returns the signed note of c.
func SignCheckpoint(c Checkpoint, signer note.Signer) ([]byte, error) {
	if c.Origin != signer.Name() {
		return nil, fmt.Errorf("sign checkpoint: origin %q is not the signer's name %q", c.Origin, signer.Name())
	}
	return note.Sign(&note.Note{Text: c.Text()}, signer)
}

// OpenCheckpoint verifies a signed checkpoint with the log's verifier and parses it.
// Signatures by other keys (cosignatures) are left in the note's UnverifiedSigs.
func OpenCheckpoint(signed []byte, log note.Verifier) (Checkpoint, *note.Note, error) {
	n, err := note.Open(signed, note.VerifierList(log))
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("checkpoint signature: %w", err)
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return c, nil, err
	}
	if c.Origin != log.Name() {
		return c, nil, fmt.Errorf("checkpoint: origin %q is not the log's name %q", c.Origin, log.Name())
	}
	return c, n, nil
}

// splitNote splits a signed note into its body (ending in a newline) and its signature
// lines.
func splitNote(signed []byte) (body string, sigs []string, err error) {
	i := bytes.LastIndex(signed, []byte("\n\n"))
	if i < 0 {
		return "", nil, fmt.Errorf("not a signed note: no blank line before the signatures")
	}
	body = string(signed[:i+1])
	for _, line := range strings.SplitAfter(string(signed[i+2:]), "\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\n") || !strings.HasPrefix(line, "— ") {
			return "", nil, fmt.Errorf("not a signed note: malformed signature line %q", line)
		}
		sigs = append(sigs, line)
	}
	return body, sigs, nil
}
