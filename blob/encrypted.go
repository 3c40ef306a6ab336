package blob

import (
	"context"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
)

// Encrypted is a Store that encrypts every blob of an inner Store with age.
//
// Each blob is stored in the inner Store as an age v1 file encrypted to the
// identity's X25519 recipient, under the sum of its plaintext: the name stays
// the SHA-256 of the content the caller wrote and reads back, so records and
// Verify work unchanged, while the inner Store holds only ciphertext. age
// authenticates each 64 KiB chunk and the end of the stream, so a changed,
// truncated or extended ciphertext fails to decrypt with an error rather
// than yielding altered plaintext. Anyone holding the identity can read
// every blob; without it, none.
type Encrypted struct {
	inner     Store
	identity  *age.X25519Identity
	recipient *age.X25519Recipient
}

// NewEncrypted returns a Store that encrypts to identity's recipient what it
// stores in inner, and decrypts with identity what it reads back.
func NewEncrypted(inner Store, identity *age.X25519Identity) *Encrypted {
	return &Encrypted{inner: inner, identity: identity, recipient: identity.Recipient()}
}

// Create starts a new blob in the inner Store and writes the age header to
// it; the content written is encrypted on its way through.
func (e *Encrypted) Create(ctx context.Context) (Writer, error) {
	iw, err := e.inner.Create(ctx)
	if err != nil {
		return nil, err
	}
	aw, err := age.Encrypt(iw, e.recipient)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("create encrypted blob: %w", err), iw.Abort())
	}
	return &encryptedWriter{inner: iw, aw: aw}, nil
}

// encryptedWriter encrypts a blob into an inner Writer.
type encryptedWriter struct {
	inner Writer
	aw    io.WriteCloser
	err   error // the first write error, which makes Commit fail
	done  bool
}

// Write encrypts p into the inner Writer.
func (w *encryptedWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, errWriterDone
	}
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.aw.Write(p)
	if err != nil {
		w.err = fmt.Errorf("write encrypted blob: %w", err)
		return n, w.err
	}
	return n, nil
}

// Commit writes the last encrypted chunk and commits the inner blob under
// sum, the plaintext's SHA-256. On error the inner blob is aborted.
func (w *encryptedWriter) Commit(sum string) error {
	if w.done {
		return fmt.Errorf("commit blob %.80s: %w", sum, errWriterDone)
	}
	w.done = true
	if err := checkSum(sum); err != nil {
		return errors.Join(fmt.Errorf("commit encrypted blob: %w", err), w.inner.Abort())
	}
	if w.err != nil {
		return errors.Join(fmt.Errorf("commit encrypted blob %s: %w", sum, w.err), w.inner.Abort())
	}
	if err := w.aw.Close(); err != nil {
		return errors.Join(fmt.Errorf("commit encrypted blob %s: finish encryption: %w", sum, err), w.inner.Abort())
	}
	return w.inner.Commit(sum)
}

// Abort discards the inner blob. It does nothing if the writer is done.
func (w *encryptedWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.inner.Abort()
}

// Sync makes the inner Store durable.
func (e *Encrypted) Sync(ctx context.Context) error { return e.inner.Sync(ctx) }

// Has reports whether the inner Store holds the blob.
func (e *Encrypted) Has(ctx context.Context, sum string) (bool, error) {
	return e.inner.Has(ctx, sum)
}

// List lists the inner Store's blobs.
func (e *Encrypted) List(ctx context.Context, fn func(sum string) error) error {
	return e.inner.List(ctx, fn)
}

// Open returns a reader of the blob's decrypted content. It fails if the
// blob was not encrypted to this identity or its header was altered; a
// reader returns an error on reaching altered or missing ciphertext. Returns
// an error wrapping ErrNotFound if absent.
func (e *Encrypted) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	r, err := e.inner.Open(ctx, sum)
	if err != nil {
		return nil, err
	}
	dr, err := age.Decrypt(r, e.identity)
	if err != nil {
		r.Close() // Already failing: the decryption error says why.
		return nil, fmt.Errorf("open blob %s: decrypt: %w", sum, err)
	}
	return &decryptingReader{sum: sum, r: dr, c: r}, nil
}

// decryptingReader reads a decrypted blob and closes the inner reader.
type decryptingReader struct {
	sum string
	r   io.Reader
	c   io.Closer
}

// Read reads decrypted content, naming the blob in any decryption error.
func (d *decryptingReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("read blob %s: decrypt: %w", d.sum, err)
	}
	return n, err
}

// Close closes the inner reader.
func (d *decryptingReader) Close() error { return d.c.Close() }
