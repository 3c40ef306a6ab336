package ingest

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Source is one file to ingest: a file in a folder, or an entry of a zip archive in one.
type Source struct {
	// Path is where the file is inside the exhibit: the root's base name, then the path
	// below it with slashes; an archive's entries follow the archive's path and "!/".
	Path    string
	Size    int64
	ModTime *time.Time
	// Local is the file's own path on disk, for tools that need one (ffprobe); "" for
	// an archive's entries.
	Local string
	open  func() (io.ReadCloser, error)
}

// Open opens the file for reading.
func (s Source) Open() (io.ReadCloser, error) { return s.open() }

// SourceFromReader makes a Source of one upload, read once from r.
func SourceFromReader(p string, size int64, r io.Reader) Source {
	return Source{Path: p, Size: size, open: func() (io.ReadCloser, error) { return io.NopCloser(r), nil }}
}

// notRegularError is a folder entry that is not a file: a symbolic link, a device, a
// socket. It is reported, not followed or read.
type notRegularError struct{ mode fs.FileMode }

func (e notRegularError) Error() string {
	kind := "special file"
	if e.mode&fs.ModeSymlink != 0 {
		kind = "symbolic link"
	}
	return fmt.Sprintf("a %s (%s): not followed or read", kind, e.mode.Type())
}

// recordablePath returns p as a media record keeps it: as it is if it is valid UTF-8
// without NUL bytes, else Go-quoted ("caf\xe9.jpg", with the quotes), which keeps
// every byte and tells the two forms apart.
func recordablePath(p string) string {
	if utf8.ValidString(p) && !strings.ContainsRune(p, 0) {
		return p
	}
	return strconv.Quote(p)
}

// walker lists the files below some roots, in a fixed order (so that two walks agree),
// expanding zip archives. Archives opened stay open until Close.
type walker struct {
	roots []string
	zips  []*zip.ReadCloser
	seen  map[string]int // paths emitted in this walk, for naming the duplicates apart
}

// unique returns p, or p with "#2", "#3"... if this walk has emitted p before: two
// entries of one archive may bear the same name, and each is its own file.
func (w *walker) unique(p string) string {
	if w.seen == nil {
		w.seen = map[string]int{}
	}
	w.seen[p]++
	if n := w.seen[p]; n > 1 {
		return fmt.Sprintf("%s#%d", p, n)
	}
	return p
}

// isArchive says whether a file is walked as a zip archive rather than stored.
func isArchive(name string) bool { return strings.EqualFold(filepath.Ext(name), ".zip") }

// walk calls fn with every file, and fail with every file or folder that cannot be
// read; it stops only if fn returns an error. A root that does not exist is a failure.
func (w *walker) walk(keepOpen bool, fn func(Source) error, fail func(path string, err error)) error {
	w.seen = nil
	for _, root := range w.roots {
		info, err := os.Stat(root)
		if err != nil {
			fail(root, fmt.Errorf("cannot read %s: %w", root, errors.Unwrap(err)))
			continue
		}
		base := filepath.Base(filepath.Clean(root))
		if !info.IsDir() {
			if err := w.file(root, base, info, keepOpen, fn, fail); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			rel, _ := filepath.Rel(root, p)
			inside := path.Join(base, filepath.ToSlash(rel))
			if err != nil {
				fail(inside, err)
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if !d.Type().IsRegular() {
				fail(recordablePath(inside), notRegularError{d.Type()})
				return nil
			}
			info, err := d.Info()
			if err != nil {
				fail(inside, err)
				return nil
			}
			return w.file(p, inside, info, keepOpen, fn, fail)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// file emits one file, or an archive's entries.
func (w *walker) file(local, inside string, info fs.FileInfo, keepOpen bool, fn func(Source) error, fail func(string, error)) error {
	mod := info.ModTime().UTC()
	if !isArchive(local) {
		return fn(Source{Path: w.unique(recordablePath(inside)), Size: info.Size(), ModTime: &mod, Local: local,
			open: func() (io.ReadCloser, error) { return os.Open(local) }})
	}
	z, err := zip.OpenReader(local)
	if err != nil {
		fail(inside, fmt.Errorf("not a readable zip archive (truncated or damaged?): %w", err))
		return nil
	}
	if keepOpen {
		w.zips = append(w.zips, z)
	} else {
		defer z.Close()
	}
	files := append([]*zip.File(nil), z.File...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for _, f := range files {
		if f.FileInfo().IsDir() {
			continue
		}
		mod := f.Modified.UTC()
		var modp *time.Time
		if !f.Modified.IsZero() {
			modp = &mod
		}
		f := f
		p := w.unique(recordablePath(inside + "!/" + strings.TrimPrefix(f.Name, "/")))
		if f.UncompressedSize64 > math.MaxInt64 {
			// Only a damaged or hostile archive says so; a negative Size would upset
			// the ingest's totals and its checks of sizes.
			fail(p, fmt.Errorf("the archive gives it a size of %d bytes, more than any file holds (damaged archive?)", f.UncompressedSize64))
			continue
		}
		if err := fn(Source{Path: p, Size: int64(f.UncompressedSize64), ModTime: modp,
			open: func() (io.ReadCloser, error) { return f.Open() }}); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the archives kept open.
func (w *walker) Close() {
	for _, z := range w.zips {
		z.Close()
	}
	w.zips = nil
}
