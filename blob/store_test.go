package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"filippo.io/age"
	"github.com/google/go-cmp/cmp"
)

// damager is a Store under test that can change a blob's stored bytes
// behind the store's back, as a failing disk or a tampering hand would.
type damager interface {
	damage(t *testing.T, sum string)
}

// fixture is a Store under test with the means to reach underneath it.
type fixture struct {
	Store
	// rewrite replaces the stored bytes of the blob named sum with
	// change(stored bytes), bypassing the Store.
	rewrite func(t *testing.T, sum string, change func([]byte) []byte)
	// corrupt is the change damage applies.
	corrupt func([]byte) []byte
}

// damage changes the blob's stored bytes with f.corrupt.
func (f fixture) damage(t *testing.T, sum string) {
	t.Helper()
	f.rewrite(t, sum, f.corrupt)
}

// invert changes every byte of a plain blob: its content no longer matches
// its name.
func invert(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = ^c
	}
	return out
}

// flipLast flips the bits of the last byte of an age file, inside the tag
// of its final chunk: the header still decrypts, the payload does not.
func flipLast(b []byte) []byte {
	out := bytes.Clone(b)
	out[len(out)-1] ^= 0xff
	return out
}

// encrypted wraps a fixture in Encrypted with a fresh identity; its damage
// flips a byte of the ciphertext in the inner store.
func encrypted(t *testing.T, inner fixture) fixture {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return fixture{Store: NewEncrypted(inner.Store, id), rewrite: inner.rewrite, corrupt: flipLast}
}

func TestDisk(t *testing.T) {
	testStore(t, func(t *testing.T) Store { f, _ := newDiskFixture(t); return f })
}

func TestS3(t *testing.T) {
	testStore(t, func(t *testing.T) Store { return newS3Fixture(t, "").fixture })
}

func TestEncryptedDisk(t *testing.T) {
	testStore(t, func(t *testing.T) Store { f, _ := newDiskFixture(t); return encrypted(t, f) })
}

func TestEncryptedS3(t *testing.T) {
	testStore(t, func(t *testing.T) Store { return encrypted(t, newS3Fixture(t, "blobs/").fixture) })
}

// testStore runs the behaviour every Store must show against the stores
// newStore makes, one fresh store per subtest. The stores must implement
// damager, for the Verify test.
func testStore(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()

	t.Run("RoundTrip", func(t *testing.T) {
		for _, tc := range []struct {
			name    string
			content []byte
		}{
			{"empty", nil},
			{"one byte", []byte{0}},
			{"small", []byte("exhibit 7: shopping list, milk, eggs\n")},
			{"one age chunk", randomBytes(t, 64<<10)},
			{"one write buffer plus one", randomBytes(t, 256<<10+1)},
			{"multi-MB", randomBytes(t, 5<<20+12345)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := newStore(t)
				sum := sumOf(tc.content)
				if ok, err := s.Has(ctx, sum); err != nil || ok {
					t.Fatalf("before Commit, Has = %v, %v; want false, nil", ok, err)
				}
				if got := put(t, s, tc.content); got != sum {
					t.Fatalf("put returned %s, want %s", got, sum)
				}
				if ok, err := s.Has(ctx, sum); err != nil || !ok {
					t.Fatalf("after Commit, Has = %v, %v; want true, nil", ok, err)
				}
				if got := read(t, s, sum); !bytes.Equal(got, tc.content) {
					t.Fatalf("Open returned %d bytes that differ from the %d written", len(got), len(tc.content))
				}
			})
		}
	})

	t.Run("ListListsExactlyTheCommitted", func(t *testing.T) {
		s := newStore(t)
		var want []string
		for i := range 3 {
			want = append(want, put(t, s, []byte(fmt.Sprintf("committed %d", i))))
		}
		aborted := create(t, s, []byte("aborted"))
		if err := aborted.Abort(); err != nil {
			t.Fatal(err)
		}
		open := create(t, s, []byte("still being written"))
		defer open.Abort()
		refused := create(t, s, []byte("refused"))
		if err := refused.Commit("not a sum"); err == nil {
			t.Fatal("Commit with a malformed sum succeeded")
		}
		slices.Sort(want)
		if diff := cmp.Diff(want, list(t, s)); diff != "" {
			t.Fatalf("List (-want +got):\n%s", diff)
		}
	})

	t.Run("ListReturnsTheCallbackError", func(t *testing.T) {
		s := newStore(t)
		put(t, s, []byte("a"))
		put(t, s, []byte("b"))
		stop := errors.New("stop")
		calls := 0
		err := s.List(ctx, func(string) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("List = %v after %d calls; want the callback's error after 1 call", err, calls)
		}
	})

	t.Run("AbortLeavesNothing", func(t *testing.T) {
		s := newStore(t)
		content := []byte("never committed")
		w := create(t, s, content)
		if err := w.Abort(); err != nil {
			t.Fatalf("Abort: %v", err)
		}
		if err := w.Abort(); err != nil {
			t.Fatalf("second Abort: %v", err)
		}
		if _, err := w.Write([]byte("more")); err == nil {
			t.Error("Write after Abort succeeded")
		}
		if err := w.Commit(sumOf(content)); err == nil {
			t.Error("Commit after Abort succeeded")
		}
		assertAbsent(t, s, sumOf(content))
		if got := list(t, s); len(got) != 0 {
			t.Fatalf("List after Abort = %v, want nothing", got)
		}
	})

	t.Run("AbortAfterCommitKeepsTheBlob", func(t *testing.T) {
		s := newStore(t)
		content := []byte("kept")
		w := create(t, s, content)
		if err := w.Commit(sumOf(content)); err != nil {
			t.Fatal(err)
		}
		if err := w.Abort(); err != nil {
			t.Fatalf("Abort after Commit: %v", err)
		}
		if err := w.Commit(sumOf(content)); err == nil {
			t.Error("second Commit succeeded")
		}
		if _, err := w.Write([]byte("more")); err == nil {
			t.Error("Write after Commit succeeded")
		}
		if got := read(t, s, sumOf(content)); !bytes.Equal(got, content) {
			t.Fatalf("Open = %q, want %q", got, content)
		}
	})

	t.Run("MalformedSumIsRefused", func(t *testing.T) {
		good := sumOf([]byte("x"))
		for _, tc := range []struct{ name, sum string }{
			{"empty", ""},
			{"short", good[:63]},
			{"long", good + "0"},
			{"upper case", strings.ToUpper(good)},
			{"not hex", "g" + good[1:]},
			{"path", "../" + good[3:]},
			{"slash", good[:10] + "/" + good[11:]},
			{"space", " " + good[1:]},
			{"NUL", "\x00" + good[1:]},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := newStore(t)
				w := create(t, s, []byte("x"))
				if err := w.Commit(tc.sum); !errors.Is(err, ErrInvalidSum) {
					t.Fatalf("Commit(%q) = %v, want ErrInvalidSum", tc.sum, err)
				}
				if err := w.Abort(); err != nil {
					t.Fatalf("Abort after refused Commit: %v", err)
				}
				if got := list(t, s); len(got) != 0 {
					t.Fatalf("List after refused Commit = %v, want nothing", got)
				}
				if _, err := s.Open(ctx, tc.sum); !errors.Is(err, ErrInvalidSum) {
					t.Errorf("Open(%q) = %v, want ErrInvalidSum", tc.sum, err)
				}
				if _, err := s.Has(ctx, tc.sum); !errors.Is(err, ErrInvalidSum) {
					t.Errorf("Has(%q) = %v, want ErrInvalidSum", tc.sum, err)
				}
			})
		}
	})

	t.Run("CommitReplacesAnExistingBlob", func(t *testing.T) {
		s := newStore(t)
		full := randomBytes(t, 300<<10)
		sum := sumOf(full)
		// What a crash before Sync may leave: a short blob under the full sum.
		w := create(t, s, full[:1000])
		if err := w.Commit(sum); err != nil {
			t.Fatal(err)
		}
		w = create(t, s, full)
		if err := w.Commit(sum); err != nil {
			t.Fatalf("second Commit: %v", err)
		}
		if got := read(t, s, sum); !bytes.Equal(got, full) {
			t.Fatalf("Open returned %d bytes, want the %d of the second write", len(got), len(full))
		}
		if diff := cmp.Diff([]string{sum}, list(t, s)); diff != "" {
			t.Fatalf("List (-want +got):\n%s", diff)
		}
	})

	t.Run("OpenMissingIsNotFound", func(t *testing.T) {
		s := newStore(t)
		put(t, s, []byte("present"))
		assertAbsent(t, s, sumOf([]byte("absent")))
	})

	t.Run("Sync", func(t *testing.T) {
		s := newStore(t)
		if err := s.Sync(ctx); err != nil {
			t.Fatalf("Sync of an empty store: %v", err)
		}
		var sums []string
		for i := range 5 {
			sums = append(sums, put(t, s, []byte(fmt.Sprintf("batch one %d", i))))
		}
		if err := s.Sync(ctx); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		sums = append(sums, put(t, s, []byte("batch two")))
		if err := s.Sync(ctx); err != nil {
			t.Fatalf("second Sync: %v", err)
		}
		slices.Sort(sums)
		if diff := cmp.Diff(sums, list(t, s)); diff != "" {
			t.Fatalf("List after Sync (-want +got):\n%s", diff)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		const workers, each = 8, 10
		shared := []byte("every worker commits this one")
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for g := range workers {
			wg.Go(func() {
				for i := range each {
					if err := commit(s, []byte(fmt.Sprintf("worker %d blob %d", g, i))); err != nil {
						errs <- err
						return
					}
				}
				if err := commit(s, shared); err != nil {
					errs <- err
					return
				}
				if err := s.Sync(ctx); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		want := []string{sumOf(shared)}
		for g := range workers {
			for i := range each {
				want = append(want, sumOf([]byte(fmt.Sprintf("worker %d blob %d", g, i))))
			}
		}
		slices.Sort(want)
		if diff := cmp.Diff(want, list(t, s)); diff != "" {
			t.Fatalf("List (-want +got):\n%s", diff)
		}
		if got := read(t, s, sumOf(shared)); !bytes.Equal(got, shared) {
			t.Fatalf("shared blob = %q, want %q", got, shared)
		}
	})

	t.Run("Verify", func(t *testing.T) {
		s := newStore(t)
		d, ok := s.(damager)
		if !ok {
			t.Fatalf("store %T cannot damage a blob: wrap it in a fixture", s)
		}
		var good []string
		for _, c := range [][]byte{nil, []byte("sound"), randomBytes(t, 200<<10)} {
			good = append(good, put(t, s, c))
		}
		bad := put(t, s, randomBytes(t, 100<<10))
		d.damage(t, bad)

		failed := map[string]error{} // Verify serializes its calls to fn.
		report, err := Verify(ctx, s, func(sum string, err error) {
			if _, dup := failed[sum]; dup || err == nil {
				t.Errorf("fn(%s, %v) called twice or with a nil error", sum, err)
			}
			failed[sum] = err
		})
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if want := (VerifyReport{Blobs: 4, OK: 3, Corrupt: 1}); report != want {
			t.Errorf("report = %+v, want %+v", report, want)
		}
		if len(failed) != 1 || failed[bad] == nil {
			t.Fatalf("fn got errors %v, want one for %s", failed, bad)
		}
		t.Logf("damaged blob: %v", failed[bad])
		for _, sum := range good {
			if got := read(t, s, sum); sumOf(got) != sum {
				t.Errorf("sound blob %s reads back as %s", sum, sumOf(got))
			}
		}
	})

	t.Run("VerifyCancelled", func(t *testing.T) {
		s := newStore(t)
		put(t, s, []byte("a"))
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := Verify(cctx, s, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("Verify with a cancelled context = %v, want context.Canceled", err)
		}
		if _, err := s.Create(cctx); err == nil {
			t.Fatal("Create with a cancelled context succeeded")
		}
	})
}

// randomBytes returns n random bytes.
func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// sumOf returns the blob name of content.
func sumOf(content []byte) string {
	h := sha256.Sum256(content)
	return hex.EncodeToString(h[:])
}

// create starts a blob in s and writes content to it in uneven pieces.
func create(t testing.TB, s Store, content []byte) Writer {
	t.Helper()
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if err := writeUneven(w, content); err != nil {
		w.Abort()
		t.Fatal(err)
	}
	return w
}

// writeUneven writes content to w in pieces of varying sizes, as a reader
// of an evidence image would.
func writeUneven(w io.Writer, content []byte) error {
	sizes := []int{1, 7919, 100 << 10, 13, 1 << 20}
	for i := 0; len(content) > 0; i++ {
		n := min(sizes[i%len(sizes)], len(content))
		if _, err := w.Write(content[:n]); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		content = content[n:]
	}
	return nil
}

// commit stores content in s under its sum.
func commit(s Store, content []byte) error {
	w, err := s.Create(context.Background())
	if err != nil {
		return err
	}
	if err := writeUneven(w, content); err != nil {
		return errors.Join(err, w.Abort())
	}
	return w.Commit(sumOf(content))
}

// put stores content in s and returns its sum.
func put(t testing.TB, s Store, content []byte) string {
	t.Helper()
	if err := commit(s, content); err != nil {
		t.Fatalf("put: %v", err)
	}
	return sumOf(content)
}

// read returns the content of the blob named sum.
func read(t testing.TB, s Store, sum string) []byte {
	t.Helper()
	r, err := s.Open(context.Background(), sum)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", sum, err)
	}
	return b
}

// list returns the sorted sums s lists.
func list(t testing.TB, s Store) []string {
	t.Helper()
	sums := []string{}
	if err := s.List(context.Background(), func(sum string) error {
		sums = append(sums, sum)
		return nil
	}); err != nil {
		t.Fatalf("List: %v", err)
	}
	slices.Sort(sums)
	return sums
}

// assertAbsent checks that s does not hold the blob named sum.
func assertAbsent(t *testing.T, s Store, sum string) {
	t.Helper()
	ctx := context.Background()
	if ok, err := s.Has(ctx, sum); err != nil || ok {
		t.Errorf("Has = %v, %v; want false, nil", ok, err)
	}
	r, err := s.Open(ctx, sum)
	if err == nil {
		r.Close()
	}
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Open = %v, want an error wrapping ErrNotFound", err)
	}
}

// dirEntries returns the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
