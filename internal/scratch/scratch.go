// Package scratch holds a plaintext copy of seized content for the external tools that
// read only files (ffprobe, ffmpeg) while they run. Where the system allows (Linux), the
// copy lives in memory (memfd_create): it is never written to a disk, and it is gone as
// soon as it is released or the process ends, a crash included. Elsewhere, or for content
// larger than MaxInMemory, it is a temporary file readable by this user only, removed on
// release.
package scratch

import (
	"io"
	"os"
)

// MaxInMemory is the largest content kept in memory; larger content goes to a file.
const MaxInMemory = 1 << 30

// Copy copies r to a new scratch file named for name (a label, not a path) and returns a
// path the tools can open and a func that releases it. Call release when done.
func Copy(r io.Reader, name string) (string, func(), error) {
	path, release, spill, err := inMemory(r, name)
	switch {
	case err != nil:
		return "", nil, err
	case path != "":
		return path, release, nil
	case spill != nil:
		// Too large for memory: what was read so far, then the rest, to a file.
		defer spill.Close()
		return onDisk(io.MultiReader(spill, r), name)
	}
	return onDisk(r, name)
}

// onDisk copies r to a temporary file readable by this user only.
func onDisk(r io.Reader, name string) (string, func(), error) {
	f, err := os.CreateTemp("", "caseroom-"+name+"-*")
	if err != nil {
		return "", nil, err
	}
	release := func() { os.Remove(f.Name()) }
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		release()
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		release()
		return "", nil, err
	}
	return f.Name(), release, nil
}
