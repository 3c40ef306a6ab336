//go:build linux

package scratch

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// inMemory copies r into a memfd and returns its path under /proc, which other processes
// of this user can open (and seek) like a file. If r holds more than MaxInMemory bytes it
// returns no path and, in spill, the bytes read so far (from the start), for the caller
// to write elsewhere. If memfd_create is not available it returns no path and no spill,
// having read nothing.
func inMemory(r io.Reader, name string) (path string, release func(), spill io.ReadCloser, err error) {
	fd, err := unix.MemfdCreate("caseroom-"+name, unix.MFD_CLOEXEC)
	if err != nil {
		return "", nil, nil, nil // no memfd here: a file will do
	}
	f := os.NewFile(uintptr(fd), "memfd:caseroom-"+name)
	n, err := io.Copy(f, io.LimitReader(r, MaxInMemory+1))
	if err != nil {
		f.Close()
		return "", nil, nil, err
	}
	if n > MaxInMemory {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return "", nil, nil, errors.Join(errors.New("scratch: rewind the in-memory copy"), err)
		}
		return "", nil, f, nil
	}
	return fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), f.Fd()), func() { f.Close() }, nil, nil
}
