package hashindex

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"caseroom/pdq"
)

func snapshot(t testing.TB, x *Index) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := x.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v; wrote %d bytes", n, err, buf.Len())
	}
	return buf.Bytes()
}

// TestSnapshotFormat pins the documented layout: magic, version, count, the hashes in
// hex byte order, CRC-32C.
func TestSnapshotFormat(t *testing.T) {
	a, _ := pdq.ParseHash(strings.Repeat("0123456789abcdef", 4))
	b, _ := pdq.ParseHash(strings.Repeat("f", 63) + "e")
	x := New()
	x.Add(a)
	x.Add(b)
	want := []byte("CRHASHIX\x01\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00")
	want = append(want, a[:]...)
	want = append(want, b[:]...)
	want = binary.LittleEndian.AppendUint32(want, crc32.Checksum(want, crc32.MakeTable(crc32.Castagnoli)))
	if got := snapshot(t, x); !bytes.Equal(got, want) {
		t.Fatalf("snapshot\n got %x\nwant %x", got, want)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{0, 1, 100, 70000} {
		var hs []pdq.Hash
		for i := range n {
			if i > 0 && i%4 == 0 {
				hs = append(hs, nearCopy(rng, hs[rng.IntN(i)], rng.IntN(20)))
			} else {
				hs = append(hs, randomHash(rng))
			}
		}
		x := New()
		for _, h := range hs { // one by one: pending, delta and base all hold some
			x.Add(h)
		}
		data := snapshot(t, x)
		y, err := ReadIndex(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%d hashes: %v", n, err)
		}
		if y.Len() != n {
			t.Fatalf("read %d hashes, wrote %d", y.Len(), n)
		}
		for i := range hs {
			if y.Hash(uint32(i)) != hs[i] {
				t.Fatalf("hash %d differs after the round trip", i)
			}
		}
		if n > 0 {
			checkTables(t, y, &y.base)
			for range 50 {
				q := nearCopy(rng, hs[rng.IntN(n)], rng.IntN(40))
				if diff := gocmp.Diff(x.Query(q, 31), y.Query(q, 31)); diff != "" {
					t.Fatalf("query after the round trip (-before +after):\n%s", diff)
				}
			}
		}
		if again := snapshot(t, y); !bytes.Equal(again, data) {
			t.Fatalf("%d hashes: the snapshot of the read index differs from the one read", n)
		}
	}
}

func TestReadIndexRefusesBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	x := New()
	for range 5 {
		x.Add(randomHash(rng))
	}
	good := snapshot(t, x)
	mustRefuse := func(name string, data []byte, message string) {
		t.Helper()
		_, err := ReadIndex(bytes.NewReader(data))
		if !errors.Is(err, ErrBadSnapshot) || !strings.Contains(err.Error(), message) {
			t.Errorf("%s: ReadIndex = %v, want ErrBadSnapshot saying %q", name, err, message)
		}
	}
	for n := range len(good) {
		mustRefuse("truncated", good[:n], "truncated")
	}
	for i := range good {
		for bit := range 8 {
			bad := bytes.Clone(good)
			bad[i] ^= 1 << bit
			mustRefuse("flipped bit", bad, "")
		}
	}
	mustRefuse("trailing byte", append(bytes.Clone(good), 0), "more bytes follow")
	mustRefuse("other file", []byte("PK\x03\x04 this is a zip archive, not a snapshot"), `does not start with "CRHASHIX"`)
	v2 := bytes.Clone(good)
	v2[8] = 2
	mustRefuse("version 2", v2, "version 2; this build reads version 1")
	flipped := bytes.Clone(good)
	flipped[headerSize+5] ^= 0x10
	mustRefuse("damaged hash", flipped, "checksum does not match")
}

// TestReadIndexHostileCount: a header claiming four billion hashes, followed by a few,
// must be refused without allocating for the claim.
func TestReadIndexHostileCount(t *testing.T) {
	data := []byte("CRHASHIX\x01\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00")
	data = append(data, make([]byte, 32*10)...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadIndex(bytes.NewReader(data))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrBadSnapshot) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("ReadIndex = %v, want a truncated snapshot", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Fatalf("reading 340 bytes claiming 2^32-1 hashes allocated %d bytes", got)
	}
	tooMany := []byte("CRHASHIX\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00")
	if _, err := ReadIndex(bytes.NewReader(tooMany)); !errors.Is(err, ErrBadSnapshot) || !strings.Contains(err.Error(), "more than an index holds") {
		t.Fatalf("ReadIndex(2^32 hashes) = %v", err)
	}
}

func TestReadIndexPassesOnReadErrors(t *testing.T) {
	broken := errors.New("disk on fire")
	_, err := ReadIndex(io.MultiReader(strings.NewReader("CRHASH"), &failingReader{broken}))
	if !errors.Is(err, broken) || errors.Is(err, ErrBadSnapshot) {
		t.Fatalf("ReadIndex = %v, want the read error, not ErrBadSnapshot", err)
	}
}

func TestWriteToReportsWriteErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	x := New()
	for range 5000 { // more than one 64 KiB buffer
		x.Add(randomHash(rng))
	}
	total := int64(len(snapshot(t, x)))
	broken := errors.New("disk full")
	for _, room := range []int64{0, 10, 70000, total - 2} {
		w := &limitedWriter{room: room, err: broken}
		n, err := x.WriteTo(w)
		if !errors.Is(err, broken) || n != w.written {
			t.Errorf("room for %d bytes: WriteTo = %d, %v; %d bytes written", room, n, err, w.written)
		}
	}
}

// limitedWriter takes room bytes, then fails.
type limitedWriter struct {
	room, written int64
	err           error
}

func (w *limitedWriter) Write(b []byte) (int, error) {
	n := int(min(int64(len(b)), w.room-w.written))
	w.written += int64(n)
	if n < len(b) {
		return n, w.err
	}
	return n, nil
}

type failingReader struct{ err error }

func (r *failingReader) Read([]byte) (int, error) { return 0, r.err }

// FuzzReadIndex: any input is refused or read, never a panic; what is read writes back
// to exactly the bytes read, as the format has one encoding for each index.
func FuzzReadIndex(f *testing.F) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, n := range []int{0, 1, 3} {
		x := New()
		for range n {
			x.Add(randomHash(rng))
		}
		f.Add(snapshot(f, x))
	}
	f.Add([]byte("CRHASHIX\x01\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ReadIndex(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrBadSnapshot) {
				t.Fatalf("ReadIndex from memory = %v, not ErrBadSnapshot", err)
			}
			return
		}
		if again := snapshot(t, x); !bytes.Equal(again, data) {
			t.Fatalf("read %x, writes back %x", data, again)
		}
	})
}
