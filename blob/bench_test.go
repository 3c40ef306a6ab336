package blob

import (
	"context"
	"testing"
)

// benchmarkWrite writes 64 MiB blobs to the store newStore returns, as the
// ingester does: 1 MiB writes, a Commit under a sum it already knows, one
// Sync for the batch.
func benchmarkWrite(b *testing.B, newStore func(b *testing.B) Store) {
	const size = 64 << 20
	content := randomBytes(b, size)
	sum := sumOf(content)
	s := newStore(b)
	ctx := context.Background()
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		w, err := s.Create(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for p := content; len(p) > 0; p = p[1<<20:] {
			if _, err := w.Write(p[:1<<20]); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Commit(sum); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Sync(ctx); err != nil {
		b.Fatal(err)
	}
}

func newBenchDisk(b *testing.B) *Disk {
	d, err := NewDisk(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	return d
}

func BenchmarkDiskEncryptedWrite(b *testing.B) {
	benchmarkWrite(b, func(b *testing.B) Store { return NewEncrypted(newBenchDisk(b), newIdentity(b)) })
}

func BenchmarkDiskWrite(b *testing.B) {
	benchmarkWrite(b, func(b *testing.B) Store { return newBenchDisk(b) })
}
