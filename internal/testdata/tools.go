package testdata

import (
	"os"
	"os/exec"
	"testing"
)

// NeedFFmpeg skips the test when ffmpeg or ffprobe is not on PATH, or fails it if $CI
// is set: .ci/run installs Debian's ffmpeg package, and under CI the tests that need it
// must run.
func NeedFFmpeg(t testing.TB) {
	t.Helper()
	for _, name := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not on PATH; CI must install Debian's ffmpeg package", name)
			}
			t.Skipf("%s not on PATH; install Debian's ffmpeg package to run this test", name)
		}
	}
}
