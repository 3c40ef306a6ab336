//go:build !linux

package blob

import (
	"errors"
	"os"
)

// haveSyncfs reports whether Disk.Sync can flush a whole filesystem at once.
const haveSyncfs = false

// syncFilesystem is never called where syncfs(2) does not exist.
func syncFilesystem(*os.File) error {
	return errors.New("syncfs is only available on Linux")
}

// startWriteback does nothing where sync_file_range(2) does not exist.
func startWriteback(*os.File) {}
