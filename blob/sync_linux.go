//go:build linux

package blob

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// haveSyncfs reports whether Disk.Sync can flush a whole filesystem at once.
const haveSyncfs = true

// syncFilesystem flushes the filesystem holding f with syncfs(2). Since
// Linux 5.8 it reports any writeback error on that filesystem since f was
// opened.
func syncFilesystem(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return fmt.Errorf("syncfs %s: %w", f.Name(), err)
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		for {
			serr = unix.Syncfs(int(fd))
			if serr != unix.EINTR {
				return
			}
		}
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("syncfs %s: %w", f.Name(), err)
	}
	return nil
}

// startWriteback asks the kernel to start writing f's data to disk now, without
// waiting for it, so that the next Sync has less left to wait for.
func startWriteback(f *os.File) {
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			unix.SyncFileRange(int(fd), 0, 0, unix.SYNC_FILE_RANGE_WRITE)
		})
	}
}
