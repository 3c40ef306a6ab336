// Package blob stores seized evidence files by content.
//
// A blob is named by its sum: the lower-case hexadecimal SHA-256 of its
// plaintext content, 64 characters long. The store never recomputes the sum
// on write: the caller (the bulk ingester) hashes the bytes in the same pass
// that streams them into a [Writer] and hands the sum to [Writer.Commit],
// which only checks its form. [Verify] re-reads every blob and compares its
// content with its name, which is how damage or a wrong sum is found later.
//
// Durability is batched. [Writer.Commit] makes a blob visible but not
// durable; [Store.Sync] makes every blob committed before it durable. A
// record pointing at a blob must be committed to the database only after a
// Sync that followed the blob's Commit has returned without error. Because
// a blob file left behind by a crash before Sync may be incomplete, a Commit
// of an already stored sum replaces the stored blob rather than trusting it.
//
// Three implementations are provided: [Disk] (a directory tree), [S3] (an
// S3-compatible bucket) and [Encrypted], a decorator that encrypts what any
// other Store holds with age.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// ErrNotFound is returned (wrapped) when a blob does not exist.
var ErrNotFound = errors.New("blob not found")

// ErrInvalidSum is returned (wrapped) when a sum is not 64 lower-case
// hexadecimal digits.
var ErrInvalidSum = errors.New("invalid blob sum: want 64 lower-case hex digits of SHA-256")

// ErrCorrupt is returned (wrapped) by [Verify] to fn for a blob whose content
// does not hash to its name.
var ErrCorrupt = errors.New("blob content does not match its sum")

// errWriterDone is returned by a Writer used after Commit or Abort.
var errWriterDone = errors.New("blob writer already committed or aborted")

// Store is a content-addressed blob store.
//
// All methods are safe for concurrent use. A single Writer is not: it belongs
// to the goroutine that created it.
type Store interface {
	// Create starts a new blob. Write its content, then Commit it under its SHA-256 or Abort it.
	Create(ctx context.Context) (Writer, error)
	// Sync makes every blob committed so far durable (disk: fsync of the files and directories, or one syncfs of the store's filesystem; S3: nothing to do, a PUT is durable).
	Sync(ctx context.Context) error
	// Open returns a reader of the blob's plaintext content. Returns an error wrapping ErrNotFound if absent.
	Open(ctx context.Context, sum string) (io.ReadCloser, error)
	// Has reports whether the blob exists.
	Has(ctx context.Context, sum string) (bool, error)
	// List calls fn with the sum of every blob, in no particular order.
	List(ctx context.Context, fn func(sum string) error) error
}

// Writer receives a new blob's content.
type Writer interface {
	io.Writer
	// Commit stores the content written under sum (64 lower-case hex digits, checked for form, not recomputed). A blob already stored under sum is replaced atomically (rename over it): the caller commits a blob only when no durable record points at it yet, and a file left by a crash before Sync may be incomplete. After Commit the blob is visible to Open/Has/List; it is durable after the next Sync.
	Commit(sum string) error
	// Abort discards what was written. Safe to call after Commit (then a no-op) and more than once.
	Abort() error
}

// ValidSum reports whether s is 64 lower-case hex digits.
func ValidSum(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !lowerHex(s[i]) {
			return false
		}
	}
	return true
}

// lowerHex reports whether c is a lower-case hex digit.
func lowerHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f'
}

// checkSum returns an error wrapping ErrInvalidSum if sum is malformed. The
// sum is quoted and cut to 80 characters, since it may come from outside.
func checkSum(sum string) error {
	if !ValidSum(sum) {
		return fmt.Errorf("blob sum %.80q: %w", sum, ErrInvalidSum)
	}
	return nil
}
