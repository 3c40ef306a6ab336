package blob

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// newDiskFixture returns a Disk in a fresh directory, as a fixture whose
// damage overwrites a blob's file with other bytes of the same length.
func newDiskFixture(t *testing.T) (fixture, *Disk) {
	t.Helper()
	d, err := NewDisk(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	rewrite := func(t *testing.T, sum string, change func([]byte) []byte) {
		t.Helper()
		p := d.path(sum)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, change(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return fixture{Store: d, rewrite: rewrite, corrupt: invert}, d
}

func TestDiskLayout(t *testing.T) {
	_, d := newDiskFixture(t)
	sum := put(t, d, []byte("layout"))
	want := filepath.Join(d.dir, sum[:2], sum)
	for _, tc := range []struct {
		path string
		mode os.FileMode
	}{
		{want, 0o600},
		{filepath.Dir(want), 0o700 | os.ModeDir},
		{filepath.Dir(filepath.Dir(want)), 0o700 | os.ModeDir},
		{d.tmp, 0o700 | os.ModeDir},
	} {
		info, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode() != tc.mode {
			t.Errorf("%s has mode %v, want %v", tc.path, info.Mode(), tc.mode)
		}
	}
	if got := dirEntries(t, d.tmp); len(got) != 0 {
		t.Errorf("tmp after Commit holds %v, want nothing", got)
	}
}

func TestDiskLeavesNoTemporaryFiles(t *testing.T) {
	_, d := newDiskFixture(t)
	for _, tc := range []struct {
		name   string
		finish func(w Writer) error
	}{
		{"commit", func(w Writer) error { return w.Commit(sumOf([]byte("content"))) }},
		{"abort", func(w Writer) error { return w.Abort() }},
		{"refused commit", func(w Writer) error {
			if err := w.Commit("bad"); err == nil {
				return errors.New("Commit with a bad sum succeeded")
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := create(t, d, []byte("content"))
			if got := dirEntries(t, d.tmp); len(got) != 1 {
				t.Fatalf("tmp while writing holds %v, want one file", got)
			}
			if err := tc.finish(w); err != nil {
				t.Fatal(err)
			}
			if got := dirEntries(t, d.tmp); len(got) != 0 {
				t.Fatalf("tmp holds %v, want nothing", got)
			}
		})
	}
}

func TestDiskListSkipsForeignFiles(t *testing.T) {
	_, d := newDiskFixture(t)
	sum := put(t, d, []byte("listed"))
	other := sumOf([]byte("misplaced"))
	for _, p := range []string{
		filepath.Join(d.tmp, other),            // a temporary file named like a blob
		filepath.Join(d.dir, sum[:2], other),   // a blob in another blob's directory
		filepath.Join(d.dir, sum[:2], "notes"), // not a sum
		filepath.Join(d.dir, "ZZ", other),      // not a layout directory
		filepath.Join(d.dir, other),            // at the top
	} {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("misplaced"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{sum}, list(t, d)); diff != "" {
		t.Fatalf("List (-want +got):\n%s", diff)
	}
}

func TestDiskCleanTemp(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "blobs")
	crashed, err := NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer crashed.Close()
	kept := put(t, crashed, []byte("committed before the crash"))
	create(t, crashed, []byte("being written when the run crashed")) // never finished
	long := time.Now().Add(-time.Hour)
	for _, name := range dirEntries(t, crashed.tmp) {
		if err := os.Chtimes(filepath.Join(crashed.tmp, name), long, long); err != nil {
			t.Fatal(err)
		}
	}
	stale := dirEntries(t, crashed.tmp)

	d, err := NewDisk(dir) // the next run
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	inFlight := create(t, d, []byte("being written by this run"))
	for _, name := range dirEntries(t, d.tmp) {
		// Even an old modification time does not expose this run's own files.
		if !slices.Contains(stale, name) {
			if err := os.Chtimes(filepath.Join(d.tmp, name), long, long); err != nil {
				t.Fatal(err)
			}
		}
	}
	survivors := []string{
		"blob-0123456789abcdef-live", // another process's file, written since this run opened
		"notes.txt",                  // not a temporary blob file
	}
	for _, name := range survivors {
		if err := os.WriteFile(filepath.Join(d.tmp, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(d.tmp, survivors[0]), future, future); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(d.tmp, survivors[1]), long, long); err != nil {
		t.Fatal(err)
	}

	if err := d.CleanTemp(); err != nil {
		t.Fatalf("CleanTemp: %v", err)
	}
	left := dirEntries(t, d.tmp)
	for _, name := range stale {
		if slices.Contains(left, name) {
			t.Errorf("stale temporary file %s survived", name)
		}
	}
	for _, name := range survivors {
		if !slices.Contains(left, name) {
			t.Errorf("CleanTemp removed %s", name)
		}
	}
	if len(left) != len(survivors)+1 {
		t.Errorf("tmp holds %v, want the survivors and this run's file", left)
	}
	if err := inFlight.Commit(sumOf([]byte("being written by this run"))); err != nil {
		t.Fatalf("Commit of this run's blob after CleanTemp: %v", err)
	}
	want := []string{kept, sumOf([]byte("being written by this run"))}
	slices.Sort(want)
	if diff := cmp.Diff(want, list(t, d)); diff != "" {
		t.Fatalf("List after CleanTemp (-want +got):\n%s", diff)
	}
	if report, err := Verify(ctx, d, nil); err != nil || report.OK != 2 {
		t.Fatalf("Verify after CleanTemp = %+v, %v; want 2 sound blobs", report, err)
	}
}

func TestDiskVerifyReportsTruncatedBlob(t *testing.T) {
	f, d := newDiskFixture(t)
	sound := put(t, d, []byte("sound"))
	cut := put(t, d, randomBytes(t, 1<<20))
	f.rewrite(t, cut, func(b []byte) []byte { return b[:len(b)/2] })
	failed := map[string]error{}
	report, err := Verify(context.Background(), d, func(sum string, err error) { failed[sum] = err })
	if err != nil {
		t.Fatal(err)
	}
	if want := (VerifyReport{Blobs: 2, OK: 1, Corrupt: 1}); report != want {
		t.Errorf("report = %+v, want %+v", report, want)
	}
	if _, called := failed[sound]; !errors.Is(failed[cut], ErrCorrupt) || called {
		t.Errorf("fn errors = %v, want ErrCorrupt for %s only", failed, cut)
	}
}

// TestDiskSyncPerFile covers the Sync used where syncfs does not exist:
// an fsync of every committed file and changed directory.
func TestDiskSyncPerFile(t *testing.T) {
	ctx := context.Background()
	_, d := newDiskFixture(t)
	d.syncfs = false
	a := put(t, d, []byte("a"))
	put(t, d, []byte("b"))
	if n := len(d.pendingFiles); n != 2 {
		t.Fatalf("%d files pending, want 2", n)
	}
	if err := d.Sync(ctx); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if len(d.pendingFiles) != 0 || len(d.pendingDirs) != 0 {
		t.Fatalf("after Sync, pending = %v, %v; want nothing", d.pendingFiles, d.pendingDirs)
	}

	// A cancelled Sync leaves what it did not flush pending.
	put(t, d, []byte("c"))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := d.Sync(cctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sync with a cancelled context = %v, want context.Canceled", err)
	}
	if err := d.Sync(ctx); err != nil || len(d.pendingFiles) != 0 {
		t.Fatalf("Sync after a cancelled one = %v with %d files pending, want success", err, len(d.pendingFiles))
	}

	// A failed Sync makes every later Sync fail: nothing since can be
	// promised durable.
	put(t, d, []byte("a")) // a commit whose file then vanishes cannot be flushed
	if err := os.Remove(d.path(a)); err != nil {
		t.Fatal(err)
	}
	if err := d.Sync(ctx); err == nil {
		t.Fatal("Sync of a vanished file succeeded")
	}
	put(t, d, []byte("e"))
	if err := d.Sync(ctx); err == nil {
		t.Fatal("Sync after a failed Sync succeeded")
	}
}

func TestNewDiskRefusesEmptyDir(t *testing.T) {
	if _, err := NewDisk(""); err == nil {
		t.Fatal("NewDisk(\"\") succeeded")
	}
}
