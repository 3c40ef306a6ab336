package ingest_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"caseroom/ingest"
	"caseroom/internal/testdata"
)

// TestIngestVideos ingests videos from a folder and as an upload (hashed from a
// temporary copy of the stored content), a video ffmpeg cannot read, and then videos
// with ffmpeg missing from PATH: each video that cannot be hashed is recorded all the
// same, with a warning naming it and saying why, and the run goes on.
func TestIngestVideos(t *testing.T) {
	testdata.NeedFFmpeg(t)
	e := newEnv(t)
	src := t.TempDir()
	clip := filepath.Join(src, "clip.mp4")
	data := makeClip(t, clip)
	// A copy cut short: the container's index (at the end) is lost.
	if err := os.WriteFile(filepath.Join(src, "cut-short.mp4"), data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	opts := e.opts("SB/1")
	opts.Probe = true
	sum, err := ingest.Run(e.lead, e.db, e.blobs, []string{src}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors != 0 || sum.New != 2 || len(sum.Warnings) != 1 || !strings.HasSuffix(sum.Warnings[0].Path, "cut-short.mp4") ||
		!strings.Contains(sum.Warnings[0].Error, "no video metadata or hash") {
		t.Fatalf("summary %+v; want both recorded, one warning about the cut-short video", sum)
	}
	media := e.media("SB/1")
	name := filepath.Base(src)
	if m := media[name+"/clip.mp4"]; m == nil || m.VideoFrames != 3 || m.Meta.Codec != "h264" {
		t.Errorf("clip: %+v; want 3 frames hashed and its codec", m)
	}
	if m := media[name+"/cut-short.mp4"]; m == nil || m.VideoFrames != 0 {
		t.Errorf("cut-short video: %+v; want it recorded without a hash", m)
	}

	// An upload has no file of its own: it is probed and hashed from a copy of the
	// stored content.
	damaged := data[:len(data)/2+7]
	up, err := ingest.RunOne(e.lead, e.db, e.blobs, ingest.SourceFromReader("upload/again.mp4", int64(len(damaged)), bytes.NewReader(damaged)), opts)
	if err != nil || up.Errors != 0 || len(up.Warnings) != 1 {
		t.Errorf("upload of a damaged video: %+v, %v; want it recorded with a warning", up, err)
	}
	reencoded := filepath.Join(t.TempDir(), "small.mp4")
	if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", clip, "-vf", "scale=128:96", "-c:v", "libx264", "-crf", "30", reencoded).CombinedOutput(); err != nil {
		t.Fatalf("re-encode: %v\n%s", err, out)
	}
	small, err := os.ReadFile(reencoded)
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := ingest.RunOne(e.lead, e.db, e.blobs, ingest.SourceFromReader("upload/small.mp4", int64(len(small)), bytes.NewReader(small)), opts); err != nil || sum.New != 1 || len(sum.Warnings) != 0 {
		t.Errorf("upload of a re-encoded copy: %+v, %v", sum, err)
	}
	m := e.media("SB/1")["upload/small.mp4"]
	if m == nil || m.VideoFrames != 3 || m.Cluster == "" || m.Cluster != e.media("SB/1")[name+"/clip.mp4"].Cluster {
		t.Errorf("uploaded re-encoded copy: %+v; want it hashed from its stored copy and in the clip's cluster", m)
	}

	// Without ffmpeg every new video is still recorded, each with a warning saying so.
	t.Setenv("PATH", t.TempDir())
	other := t.TempDir()
	for _, n := range []string{"a.mp4", "b.mp4"} {
		if err := os.WriteFile(filepath.Join(other, n), append(append([]byte(nil), data...), n...), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sum, err = ingest.Run(e.lead, e.db, e.blobs, []string{other}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors != 0 || sum.New != 2 {
		t.Errorf("without ffmpeg: %+v; want both videos recorded", sum)
	}
	hashWarnings := 0
	for _, w := range sum.Warnings {
		if strings.Contains(w.Error, "no video metadata or hash") && strings.Contains(w.Error, "Debian's ffmpeg package") {
			hashWarnings++
		}
	}
	if hashWarnings != 2 {
		t.Errorf("without ffmpeg, warnings %+v; want one per video saying ffmpeg is missing", sum.Warnings)
	}
}

// makeClip writes a benign synthetic video at p (three seconds of a Mandelbrot zoom,
// 160x120 at 10 frames a second, H.264) and returns its bytes.
func makeClip(t *testing.T, p string) []byte {
	t.Helper()
	if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "mandelbrot=size=160x120:rate=10", "-t", "3",
		"-c:v", "libx264", "-pix_fmt", "yuv420p", p).CombinedOutput(); err != nil {
		t.Fatalf("make a test video: %v\n%s", err, out)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
