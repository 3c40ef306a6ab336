package blob

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Disk is a Store kept in a directory tree on a local filesystem.
//
// Layout, for a store rooted at dir:
//
//	dir/ab/abcd…      a committed blob: its file name is its full 64-digit sum,
//	                  ab its first two digits (256 directories: a million blobs
//	                  are about 4,000 a directory, which ext4 and XFS index;
//	                  a second level would cost a mkdir for nearly every blob
//	                  of an ingest's first hundred thousand)
//	dir/tmp/blob-<run>-<random>
//	                  a blob being written; <run> is 16 hex digits drawn when
//	                  the Disk was opened, so a later run can tell its own
//	                  temporary files from those a crash left behind
//
// Files are created 0600 and directories 0700. A blob is written to a
// temporary file through a 256 KiB buffer, and Commit renames it into place,
// which replaces any blob already stored under the same sum atomically.
// Commit does not fsync; Sync does, for every blob committed before it (on
// Linux with a single syncfs of the store's filesystem, elsewhere with an
// fsync of each committed file and of each directory whose entries changed).
type Disk struct {
	dir    string
	tmp    string
	run    string    // prefix of this Disk's temporary file names
	opened time.Time // when NewDisk ran; older temporary files are stale

	// root is dir, kept open so that syncfs reports every writeback error
	// on the filesystem since NewDisk, even one another process saw first.
	root *os.File

	// syncfs selects one syncfs per Sync over an fsync per file and
	// directory. It is true on Linux; tests turn it off to cover the other.
	syncfs bool

	// syncMu serializes Sync, so that a Sync never returns before a
	// concurrent one has finished with blobs committed before both.
	syncMu sync.Mutex
	// syncErr is the first error Sync met. Once the filesystem has failed to
	// write, nothing committed since can be promised durable: every later
	// Sync returns this error.
	syncErr error

	// made holds the blob directories known to exist.
	made sync.Map

	mu           sync.Mutex
	pendingFiles map[string]struct{} // committed files not yet fsynced (when !syncfs)
	pendingDirs  map[string]struct{} // directories with changed entries (when !syncfs)
}

const (
	// tempPrefix starts the name of every temporary blob file.
	tempPrefix = "blob-"
	// writeBufferSize is the size of the buffer between a Writer and its file.
	writeBufferSize = 256 << 10
)

// writeBuffers recycles the Writers' buffers: an ingest creates many small
// blobs, and a fresh 256 KiB buffer for each would keep the collector busy.
var writeBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, writeBufferSize) }}

// NewDisk opens the store rooted at dir, creating dir, dir/tmp and the 256
// blob directories (0700) if they do not exist, so that storing a blob never
// waits on a mkdir. Call CleanTemp once at start to remove the temporary files
// a crash left behind, and Close when done.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("open disk blob store: no directory given")
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("open disk blob store %s: %w", dir, err)
	}
	d0, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("open disk blob store %s: %w", dir, err)
	}
	if len(d0) < 257 { // tmp and the 256 blob directories
		for i := 0; i < 256; i++ {
			if err := os.Mkdir(filepath.Join(dir, fmt.Sprintf("%02x", i)), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
				return nil, fmt.Errorf("open disk blob store %s: %w", dir, err)
			}
		}
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, fmt.Errorf("open disk blob store %s: draw run id: %w", dir, err)
	}
	d := &Disk{
		dir:    dir,
		tmp:    tmp,
		run:    tempPrefix + hex.EncodeToString(id[:]) + "-",
		opened: time.Now(),
		syncfs: haveSyncfs,
	}
	if haveSyncfs {
		root, err := os.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("open disk blob store %s: %w", dir, err)
		}
		d.root = root
	}
	return d, nil
}

// Close releases the handle on the store's directory that Sync uses. The
// Disk must not be used after Close.
func (d *Disk) Close() error {
	if d.root == nil {
		return nil
	}
	if err := d.root.Close(); err != nil {
		return fmt.Errorf("close disk blob store %s: %w", d.dir, err)
	}
	return nil
}

// path returns the final path of the blob named sum, which must be valid.
func (d *Disk) path(sum string) string {
	return filepath.Join(d.dir, sum[0:2], sum)
}

// Create starts a new blob in a temporary file under dir/tmp.
func (d *Disk) Create(ctx context.Context) (Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("create blob: %w", err)
	}
	f, err := os.CreateTemp(d.tmp, d.run+"*")
	if err != nil {
		return nil, fmt.Errorf("create blob: %w", err)
	}
	bw := writeBuffers.Get().(*bufio.Writer)
	bw.Reset(f)
	return &diskWriter{d: d, f: f, bw: bw}, nil
}

// diskWriter writes a blob to its temporary file. f is nil once the writer
// is done (committed, aborted or failed).
type diskWriter struct {
	d  *Disk
	f  *os.File
	bw *bufio.Writer
}

// Write buffers p for the temporary file.
func (w *diskWriter) Write(p []byte) (int, error) {
	if w.f == nil {
		return 0, errWriterDone
	}
	n, err := w.bw.Write(p)
	if err != nil {
		return n, fmt.Errorf("write blob %s: %w", w.f.Name(), err)
	}
	return n, nil
}

// Commit flushes and closes the temporary file and renames it to the blob's
// final path, creating its directories. On error nothing is left behind.
func (w *diskWriter) Commit(sum string) error {
	if w.f == nil {
		return fmt.Errorf("commit blob %.80s: %w", sum, errWriterDone)
	}
	if err := checkSum(sum); err != nil {
		return errors.Join(fmt.Errorf("commit blob: %w", err), w.discard())
	}
	if err := w.bw.Flush(); err != nil {
		return errors.Join(fmt.Errorf("commit blob %s: write %s: %w", sum, w.f.Name(), err), w.discard())
	}
	tmp := w.f.Name()
	startWriteback(w.f)
	err := w.f.Close()
	w.release()
	if err != nil {
		return errors.Join(fmt.Errorf("commit blob %s: close %s: %w", sum, tmp, err), removeTemp(tmp))
	}
	final := w.d.path(sum)
	if err := w.d.mkdirs(filepath.Dir(final)); err != nil {
		return errors.Join(fmt.Errorf("commit blob %s: %w", sum, err), removeTemp(tmp))
	}
	// Replacing a blob that exists: it may be durable and recorded (another process
	// stored the same content meanwhile), so the new file must be on disk before it
	// takes the name; a rename over it with unwritten data could lose both on a crash.
	if _, err := os.Lstat(final); err == nil {
		if err := fsyncPath(tmp); err != nil {
			return errors.Join(fmt.Errorf("commit blob %s: %w", sum, err), removeTemp(tmp))
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		return errors.Join(fmt.Errorf("commit blob %s: %w", sum, err), removeTemp(tmp))
	}
	w.d.committed(final)
	return nil
}

// Abort removes the temporary file. It does nothing if the writer is done.
func (w *diskWriter) Abort() error {
	if w.f == nil {
		return nil
	}
	if err := w.discard(); err != nil {
		return fmt.Errorf("abort blob: %w", err)
	}
	return nil
}

// discard closes and removes the temporary file and finishes the writer.
func (w *diskWriter) discard() error {
	name := w.f.Name()
	w.f.Close() // The file is being removed: what it holds no longer matters.
	w.release()
	return removeTemp(name)
}

// release returns the buffer to the pool and marks the writer done.
func (w *diskWriter) release() {
	w.bw.Reset(nil)
	writeBuffers.Put(w.bw)
	w.bw = nil
	w.f = nil
}

// removeTemp removes a temporary file, which CleanTemp would otherwise
// remove at the next start.
func removeTemp(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove temporary blob file: %w", err)
	}
	return nil
}

// mkdirs makes a blob's directory, once per Disk: the 65,536 leaf directories are
// made as they are first needed and then known.
func (d *Disk) mkdirs(dir string) error {
	if _, ok := d.made.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	d.made.Store(dir, true)
	return nil
}

// committed records what the next Sync must flush for the blob at final.
func (d *Disk) committed(final string) {
	if d.syncfs {
		return // One syncfs flushes the data and the renames alike.
	}
	leaf := filepath.Dir(final)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pendingFiles == nil {
		d.pendingFiles = make(map[string]struct{})
		d.pendingDirs = make(map[string]struct{})
	}
	d.pendingFiles[final] = struct{}{}
	// The rename changed leaf; MkdirAll may have changed its parent and dir.
	d.pendingDirs[leaf] = struct{}{}
	d.pendingDirs[filepath.Dir(leaf)] = struct{}{}
	d.pendingDirs[d.dir] = struct{}{}
}

// Sync makes every blob committed before it durable. On Linux it issues one
// syncfs on the store's filesystem, which also flushes unrelated dirty data
// of that filesystem; elsewhere it fsyncs each committed file, then each
// directory whose entries changed.
//
// A failed Sync is final: the filesystem may have lost any blob committed
// since the last successful Sync, so every later Sync of this Disk fails
// with the same error. Reopen the store and commit again the blobs that no
// durable record points at.
func (d *Disk) Sync(ctx context.Context) error {
	d.syncMu.Lock()
	defer d.syncMu.Unlock()
	if d.syncErr != nil {
		return d.syncErr
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sync blob store %s: %w", d.dir, err)
	}
	var err error
	if d.syncfs {
		err = syncFilesystem(d.root)
	} else {
		err = d.syncPending(ctx)
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			// Nothing failed to write: what was not flushed is pending again.
			return fmt.Errorf("sync blob store %s: %w", d.dir, err)
		}
	}
	if err != nil {
		d.syncErr = fmt.Errorf("sync blob store %s: %w", d.dir, err)
		return d.syncErr
	}
	return nil
}

// syncPending fsyncs the files and then the directories recorded by
// committed. If ctx ends first, what was not flushed stays pending.
func (d *Disk) syncPending(ctx context.Context) error {
	d.mu.Lock()
	files, dirs := d.pendingFiles, d.pendingDirs
	d.pendingFiles, d.pendingDirs = nil, nil
	d.mu.Unlock()

	requeue := func(files, dirs map[string]struct{}) {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.pendingFiles == nil {
			d.pendingFiles = make(map[string]struct{})
			d.pendingDirs = make(map[string]struct{})
		}
		for p := range files {
			d.pendingFiles[p] = struct{}{}
		}
		for p := range dirs {
			d.pendingDirs[p] = struct{}{}
		}
	}
	for p := range files {
		if err := ctx.Err(); err != nil {
			requeue(files, dirs)
			return err
		}
		if err := fsyncPath(p); err != nil {
			return err
		}
		delete(files, p)
	}
	if runtime.GOOS == "windows" {
		return nil // Windows cannot flush a directory; NTFS journals its entries.
	}
	for p := range dirs {
		if err := ctx.Err(); err != nil {
			requeue(files, dirs)
			return err
		}
		if err := fsyncPath(p); err != nil {
			return err
		}
		delete(dirs, p)
	}
	return nil
}

// fsyncPath opens the file or directory at p and fsyncs it.
func fsyncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("fsync %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", p, err)
	}
	return nil
}

// Open returns the blob's file. Returns an error wrapping ErrNotFound if
// absent and ErrInvalidSum if sum is malformed.
func (d *Disk) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := checkSum(sum); err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	f, err := os.Open(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open blob %s: %w", sum, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", sum, err)
	}
	return f, nil
}

// Has reports whether the blob's file exists. Returns an error wrapping
// ErrInvalidSum if sum is malformed.
func (d *Disk) Has(ctx context.Context, sum string) (bool, error) {
	if err := checkSum(sum); err != nil {
		return false, fmt.Errorf("look up blob: %w", err)
	}
	info, err := os.Stat(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up blob %s: %w", sum, err)
	}
	if !info.Mode().IsRegular() {
		return false, fmt.Errorf("look up blob %s: %s is not a regular file", sum, d.path(sum))
	}
	return true, nil
}

// List calls fn with the sum of every committed blob. It reads only the
// final layout: temporary files, and files whose name is not a sum or that
// lie in another sum's directory, are skipped. It stops at the first error
// fn returns and returns that error unchanged.
func (d *Disk) List(ctx context.Context, fn func(sum string) error) error {
	top, err := os.ReadDir(d.dir)
	if err != nil {
		return fmt.Errorf("list blobs in %s: %w", d.dir, err)
	}
	for _, a := range top {
		if !a.IsDir() || !hexPair(a.Name()) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("list blobs in %s: %w", d.dir, err)
		}
		leaf, err := os.ReadDir(filepath.Join(d.dir, a.Name()))
		if err != nil {
			return fmt.Errorf("list blobs in %s: %w", d.dir, err)
		}
		for _, e := range leaf {
			sum := e.Name()
			if !e.Type().IsRegular() || !ValidSum(sum) || !strings.HasPrefix(sum, a.Name()) {
				continue
			}
			if err := fn(sum); err != nil {
				return err
			}
		}
	}
	return nil
}

// hexPair reports whether s is two lower-case hex digits, the name of a
// directory level of the layout.
func hexPair(s string) bool {
	return len(s) == 2 && lowerHex(s[0]) && lowerHex(s[1])
}

// staleTemp is how long a temporary file must have been left untouched before
// CleanTemp takes it for a crash's leftover rather than another process's blob in
// progress (a server receiving an upload while caseroom ingest starts).
const staleTemp = time.Hour

// CleanTemp removes the temporary files that an earlier run left in dir/tmp
// when it crashed or was killed while writing. It removes only files named
// like temporary blob files, not written by this Disk, and last modified
// before NewDisk opened it; it never touches committed blobs. Call it once at
// start, before another process opens the same store: a file that another
// live process has left untouched since then would be removed, and that
// process's Commit would then fail (an error, not a lost blob).
func (d *Disk) CleanTemp() error {
	entries, err := os.ReadDir(d.tmp)
	if err != nil {
		return fmt.Errorf("clean temporary blob files in %s: %w", d.tmp, err)
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, tempPrefix) || strings.HasPrefix(name, d.run) {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !info.ModTime().Before(d.opened.Add(-staleTemp)) {
			continue
		}
		if err := os.Remove(filepath.Join(d.tmp, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("clean temporary blob files in %s: %w", d.tmp, err)
	}
	return nil
}
