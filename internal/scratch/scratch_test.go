package scratch

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestCopy: the copy reads back the same bytes through its path, from this process and
// from another one (as ffmpeg opens it), is in memory on Linux (no file left in the
// temporary folder), and is gone once released.
func TestCopy(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	content := make([]byte, 3<<20)
	rand.Read(content)
	path, release, err := Copy(bytes.NewReader(content), "video")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read back %d bytes, %v; want the %d written", len(got), err, len(content))
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(content)) {
		t.Errorf("stat %s: %v, %v; want a regular file of the content's size", path, fi, err)
	}
	if runtime.GOOS == "linux" {
		if !strings.HasPrefix(path, "/proc/") {
			t.Errorf("on Linux the copy is at %s, want it in memory (/proc/PID/fd/N)", path)
		}
		if entries, _ := os.ReadDir(os.Getenv("TMPDIR")); len(entries) != 0 {
			t.Errorf("the temporary folder holds %d files, want none", len(entries))
		}
		if out, err := exec.Command("wc", "-c", path).Output(); err != nil || !strings.HasPrefix(string(out), "3145728 ") {
			t.Errorf("another process reads %q, %v", out, err)
		}
	}
	release()
	if _, err := os.Stat(path); err == nil && runtime.GOOS != "linux" {
		t.Errorf("%s still exists after release", path)
	}
	if runtime.GOOS == "linux" {
		if target, _ := os.Readlink(path); strings.Contains(target, "caseroom-video") {
			t.Errorf("after release %s still points at the copy (%s)", path, target)
		}
	}
}

// TestCopyOnDisk: the file fallback is readable by this user only and removed on release.
func TestCopyOnDisk(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	path, release, err := onDisk(strings.NewReader("frames"), "video")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("stat %s: %v, %v; want mode 0600", path, fi, err)
	}
	release()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s still exists after release: %v", path, err)
	}
}
