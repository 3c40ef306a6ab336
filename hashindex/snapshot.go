package hashindex

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"caseroom/pdq"
)

// The snapshot format, version 1 (all integers little-endian):
//
//	offset  size      field
//	0       8         magic "CRHASHIX"
//	8       4         version, 1
//	12      8         count: the number of hashes
//	20      32*count  the hashes in id order, each as the 32 bytes of its pdq.Hash (the
//	                  order of its hex form)
//	20+32*count  4    CRC-32C (Castagnoli) of every byte before it
//
// Nothing may follow. The tables are not stored: ReadIndex rebuilds them, which takes
// less time than reading them would. The checksum finds accidental damage, not
// deliberate change; the database, not the snapshot, is the record.
const (
	snapshotMagic   = "CRHASHIX"
	snapshotVersion = 1
	headerSize      = 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrBadSnapshot is wrapped by the errors ReadIndex returns for input that is not a
// snapshot it can read: another kind of file, another version, truncated or damaged.
// Rebuild the index from the hashes' source then.
var ErrBadSnapshot = errors.New("hashindex: not a readable index snapshot")

// WriteTo writes the index as a snapshot (format above) and returns the number of bytes
// written. Adds wait until it is done.
func (x *Index) WriteTo(w io.Writer) (int64, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	buf := make([]byte, 0, 64<<10)
	buf = append(buf, snapshotMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, snapshotVersion)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(x.st.n))
	var written int64
	crc := uint32(0)
	flush := func() error {
		crc = crc32.Update(crc, castagnoli, buf)
		n, err := w.Write(buf)
		written += int64(n)
		buf = buf[:0]
		if err != nil {
			return fmt.Errorf("hashindex: write snapshot: %w", err)
		}
		return nil
	}
	for _, c := range x.st.chunks {
		for i := range c {
			if len(buf)+32 > cap(buf) {
				if err := flush(); err != nil {
					return written, err
				}
			}
			h := c[i].hash()
			buf = append(buf, h[:]...)
		}
	}
	if err := flush(); err != nil {
		return written, err
	}
	n, err := w.Write(binary.LittleEndian.AppendUint32(nil, crc))
	written += int64(n)
	if err != nil {
		return written, fmt.Errorf("hashindex: write snapshot: %w", err)
	}
	return written, nil
}

// ReadIndex reads a snapshot written by WriteTo and rebuilds the tables. It reads the
// whole input, checks the checksum before building anything, and wraps ErrBadSnapshot
// for input of another kind or version, truncated, damaged or followed by more bytes.
// Memory grows with the input actually read, whatever count the header claims.
func ReadIndex(r io.Reader) (*Index, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrBadSnapshot}, args...)...)
	}
	readFull := func(b []byte, what string) error {
		_, err := io.ReadFull(r, b)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return bad("it ends within %s (truncated)", what)
		} else if err != nil {
			return fmt.Errorf("hashindex: read snapshot: %w", err)
		}
		return nil
	}
	var hdr [headerSize]byte
	if err := readFull(hdr[:], "the header"); err != nil {
		return nil, err
	}
	if string(hdr[:8]) != snapshotMagic {
		return nil, bad("it does not start with %q", snapshotMagic)
	}
	if v := binary.LittleEndian.Uint32(hdr[8:]); v != snapshotVersion {
		return nil, bad("it is version %d; this build reads version %d", v, snapshotVersion)
	}
	count := binary.LittleEndian.Uint64(hdr[12:])
	if count > MaxLen {
		return nil, bad("it claims %d hashes, more than an index holds (%d)", count, uint64(MaxLen))
	}
	crc := crc32.Update(0, castagnoli, hdr[:])
	x := New()
	const block = 2048
	buf := make([]byte, 32*block)
	hs := make([]pdq.Hash, block)
	for done := uint64(0); done < count; {
		k := int(min(count-done, block))
		if err := readFull(buf[:32*k], fmt.Sprintf("hash %d of %d", done+1, count)); err != nil {
			return nil, err
		}
		crc = crc32.Update(crc, castagnoli, buf[:32*k])
		for i := range k {
			copy(hs[i][:], buf[32*i:])
		}
		x.st.addAll(hs[:k], int(count-done))
		done += uint64(k)
	}
	var sum [4]byte
	if err := readFull(sum[:], "the checksum"); err != nil {
		return nil, err
	}
	if binary.LittleEndian.Uint32(sum[:]) != crc {
		return nil, bad("its checksum does not match its content (damaged)")
	}
	var more [1]byte
	if n, err := io.ReadFull(r, more[:]); n > 0 {
		return nil, bad("more bytes follow its checksum")
	} else if err != io.EOF {
		return nil, fmt.Errorf("hashindex: read snapshot: %w", err)
	}
	x.settle()
	return x, nil
}
