package hashsets

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"caseroom"
)

// Import reads a hash set file (VICS JSON or CSV, told apart as Read does) and imports
// it under name in one transaction, recording the file's SHA-256: it reads the file twice,
// once to hash it and once to import it. Any invalid entry leaves the store unchanged and
// comes back as an EINVALID error naming the entry or line.
func Import(ctx context.Context, sets caseroom.HashSetService, name string, file io.ReadSeeker) (*caseroom.HashSet, error) {
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return nil, fmt.Errorf("read hash set: %w", err)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read hash set: %w", err)
	}
	br := bufio.NewReaderSize(file, 64<<10)
	format, offset, err := sniff(br)
	if err != nil {
		return nil, err
	}
	read := func(fn func(Entry) error) (Stats, error) { return readCSV(br, fn) } // which refuses an empty file
	if format == FormatVICS {
		read = func(fn func(Entry) error) (Stats, error) { return readVICS(br, fn, offset) }
	} else {
		format = FormatCSV
	}
	return sets.ImportHashSet(ctx, caseroom.NewHashSet{Name: name, Format: format, SourceSHA256: hex.EncodeToString(h.Sum(nil)),
		Entries: func(yield func(caseroom.KnownHash) error) error {
			_, err := read(func(e Entry) error { return yield(KnownHash(e)) })
			return err
		}})
}

// KnownHash is an entry in the form the store keeps.
func KnownHash(e Entry) caseroom.KnownHash {
	k := caseroom.KnownHash{MediaID: e.MediaID, Category: e.Category, MD5: e.MD5, SHA1: e.SHA1, SHA256: e.SHA256,
		Size: e.Size, VictimIdentified: e.VictimIdentified, OffenderIdentified: e.OffenderIdentified,
		IsDistributed: e.IsDistributed, Series: e.Series}
	if e.PDQ != nil {
		k.PDQ = e.PDQ.String()
	}
	return k
}
