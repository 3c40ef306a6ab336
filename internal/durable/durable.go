// Package durable writes small files (keys, a witness's state) so that after a crash
// the path holds either nothing or the whole new contents, never a part.
package durable

import (
	"os"
	"path/filepath"
	"runtime"
)

// Create writes data to a new file at path with permissions perm: to a temporary file
// in the same directory, synced, then hard-linked to path, and the directory synced.
// It fails with an error wrapping fs.ErrExist if path exists, so that of two processes
// creating the same file, one wins and the other can read the winner's.
func Create(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm, os.Link)
}

// Replace writes data to path like Create, but renames the temporary file over any file
// already at path.
func Replace(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm, os.Rename)
}

func write(path string, data []byte, perm os.FileMode, place func(tmp, path string) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a link, path keeps the file; after a rename, nothing is there
	err = f.Chmod(perm)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := place(tmp, path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// SyncDir fsyncs a directory so that a new name in it survives a crash. Windows cannot
// open a directory to sync it; NTFS journals its entries.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
