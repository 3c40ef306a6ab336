package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"filippo.io/age"
)

func TestEncryptedStoresCiphertext(t *testing.T) {
	ctx := context.Background()
	inner, _ := newDiskFixture(t)
	id := newIdentity(t)
	e := NewEncrypted(inner, id)
	plain := randomBytes(t, 100<<10)
	sum := put(t, e, plain)
	stored := read(t, inner, sum)
	if bytes.Contains(stored, plain[:32]) {
		t.Fatal("the stored file contains the plaintext's first 32 bytes")
	}
	if !bytes.HasPrefix(stored, []byte("age-encryption.org/v1\n")) {
		t.Fatalf("the stored file starts %q, want an age v1 header", stored[:min(len(stored), 30)])
	}
	// The stored file is an ordinary age file: age itself decrypts it.
	r, err := age.Decrypt(bytes.NewReader(stored), id)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("age.Decrypt of the stored file = %d bytes, %v; want the plaintext", len(got), err)
	}
	if ok, err := inner.Has(ctx, sum); err != nil || !ok {
		t.Fatalf("inner Has = %v, %v; want the blob under its plaintext sum", ok, err)
	}
}

func TestEncryptedWrongIdentity(t *testing.T) {
	ctx := context.Background()
	inner, _ := newDiskFixture(t)
	sum := put(t, NewEncrypted(inner, newIdentity(t)), []byte("for the right key only"))
	r, err := NewEncrypted(inner, newIdentity(t)).Open(ctx, sum)
	if err == nil {
		got, rerr := io.ReadAll(r)
		r.Close()
		t.Fatalf("Open with the wrong identity succeeded and read %q, %v", got, rerr)
	}
	if errors.Is(err, ErrNotFound) {
		t.Fatalf("Open with the wrong identity = %v, want a decryption error, not ErrNotFound", err)
	}
	var noMatch *age.NoIdentityMatchError
	if !errors.As(err, &noMatch) {
		t.Errorf("Open with the wrong identity = %v, want age.NoIdentityMatchError", err)
	}
}

// TestEncryptedTampering checks that every kind of change to the ciphertext
// is an error on Open or read, never altered plaintext.
func TestEncryptedTampering(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change func([]byte) []byte
	}{
		{"header byte", func(b []byte) []byte { b = bytes.Clone(b); b[30] ^= 1; return b }},
		{"middle chunk byte", func(b []byte) []byte { b = bytes.Clone(b); b[len(b)-40000] ^= 1; return b }},
		{"last byte", flipLast},
		{"cut after the first chunk", func(b []byte) []byte { return b[:payloadStart(b)+16+(64<<10+16)] }},
		{"cut short", func(b []byte) []byte { return b[:len(b)-1] }},
		{"extended", func(b []byte) []byte { return append(bytes.Clone(b), 0) }},
		{"emptied", func([]byte) []byte { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inner, _ := newDiskFixture(t)
			e := NewEncrypted(inner, newIdentity(t))
			plain := randomBytes(t, 150<<10) // three age chunks
			sum := put(t, e, plain)
			inner.rewrite(t, sum, tc.change)
			if r, err := e.Open(ctx, sum); err == nil {
				got, err := io.ReadAll(r)
				r.Close()
				if err == nil {
					t.Fatalf("read %d bytes (equal to the plaintext: %v) without error", len(got), bytes.Equal(got, plain))
				}
			}
			report, err := Verify(ctx, e, nil)
			if err != nil || report.Corrupt != 1 {
				t.Fatalf("Verify = %+v, %v; want the blob corrupt", report, err)
			}
		})
	}
}

func TestEncryptedCommitErrors(t *testing.T) {
	inner, _ := newDiskFixture(t)
	e := NewEncrypted(inner, newIdentity(t))
	w := create(t, e, []byte("x"))
	if err := w.Commit("ABC"); !errors.Is(err, ErrInvalidSum) {
		t.Fatalf("Commit with a bad sum = %v, want ErrInvalidSum", err)
	}
	if got := dirEntries(t, inner.Store.(*Disk).tmp); len(got) != 0 {
		t.Fatalf("inner tmp holds %v after a refused Commit, want nothing", got)
	}
}

// payloadStart returns the offset in the age file b where the header ends
// and the 16-byte nonce, then the chunks of 64 KiB plus a 16-byte tag, begin.
func payloadStart(b []byte) int {
	mac := bytes.Index(b, []byte("\n--- ")) + 1
	return mac + bytes.IndexByte(b[mac:], '\n') + 1
}

// newIdentity returns a fresh age identity.
func newIdentity(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}
