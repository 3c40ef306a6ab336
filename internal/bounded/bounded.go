// Package bounded limits how much of an input a streaming decoder may read ahead: the
// readers of outside files (known-hash sets, call records, chat exports) raise the limit
// at the start of each record, so that one record too large is refused instead of
// buffered whole.
package bounded

import (
	"errors"
	"io"
)

// ErrTooLarge is what Reader returns past its limit.
var ErrTooLarge = errors.New("input past the limit")

// Reader passes reads through until Limit bytes have been read in all (N), then fails
// with ErrTooLarge. Its user raises Limit at the start of each record. Errors other
// than io.EOF are sticky.
type Reader struct {
	R     io.Reader
	N     int64 // bytes read so far
	Limit int64
	err   error
}

// Read implements io.Reader.
func (b *Reader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.N >= b.Limit {
		return 0, ErrTooLarge
	}
	if room := b.Limit - b.N; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.R.Read(p)
	b.N += int64(n)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}
