package mediainfo

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom/internal/testdata"
)

// ffmpeg runs ffmpeg with args to make a test file.
func ffmpeg(t *testing.T, args ...string) {
	t.Helper()
	args = append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}, args...)
	if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// testVideo makes a one-second 64x48 test-pattern video (ffmpeg's testsrc:
// colour bars and a counter) in dir, with libx264 if available, else
// mpeg4. It returns its path and codec name.
func testVideo(t *testing.T, dir string) (path, codec string) {
	t.Helper()
	encoder, codec := "mpeg4", "mpeg4"
	if out, err := exec.Command("ffmpeg", "-hide_banner", "-encoders").Output(); err == nil && strings.Contains(string(out), " libx264 ") {
		encoder, codec = "libx264", "h264"
	}
	path = filepath.Join(dir, "testsrc.mp4")
	ffmpeg(t, "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "1",
		"-c:v", encoder, "-pix_fmt", "yuv420p",
		"-metadata", "creation_time=2026-11-20T10:15:00Z", path)
	return path, codec
}

func probeContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestProbeVideo(t *testing.T) {
	testdata.NeedFFmpeg(t)
	path, codec := testVideo(t, t.TempDir())

	info := Inspect(readHead(t, path))
	if info.MIME != "video/mp4" {
		t.Fatalf("Inspect: MIME = %q, want video/mp4", info.MIME)
	}
	got, err := Probe(probeContext(t), path, info)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.Duration-1) > 0.2 {
		t.Errorf("Duration = %v, want 1 ± 0.2", got.Duration)
	}
	got.Duration = 0
	want := Info{
		MIME: "video/mp4", Extension: ".mp4", Width: 64, Height: 48, Codec: codec,
		CreatedAt: timePtr(time.Date(2026, 11, 20, 10, 15, 0, 0, time.UTC)),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Probe mismatch (-want +got):\n%s", diff)
	}
}

// TestProbeAudio checks that an audio file gets a duration but no video
// codec or size.
func TestProbeAudio(t *testing.T) {
	testdata.NeedFFmpeg(t)
	path := filepath.Join(t.TempDir(), "tone.m4a")
	ffmpeg(t, "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path)

	got, err := Probe(probeContext(t), path, Inspect(readHead(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.MIME, "audio/") {
		t.Errorf("MIME = %q, want audio/...", got.MIME)
	}
	if math.Abs(got.Duration-1) > 0.2 {
		t.Errorf("Duration = %v, want 1 ± 0.2", got.Duration)
	}
	if got.Codec != "" || got.Width != 0 || got.Height != 0 {
		t.Errorf("audio has video fields: codec %q, %dx%d", got.Codec, got.Width, got.Height)
	}
}

// TestProbeFileNameIsNotAProtocol checks that a relative file name that
// looks like an ffmpeg protocol ("concat:...") is opened as a local file.
func TestProbeFileNameIsNotAProtocol(t *testing.T) {
	testdata.NeedFFmpeg(t)
	dir := t.TempDir()
	path, codec := testVideo(t, dir)
	if err := os.Rename(path, filepath.Join(dir, "concat:clip.mp4")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	got, err := Probe(probeContext(t), "concat:clip.mp4", Info{MIME: "video/mp4"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Codec != codec {
		t.Errorf("Codec = %q, want %q", got.Codec, codec)
	}
}

func TestProbeNotAVideo(t *testing.T) {
	testdata.NeedFFmpeg(t)
	path := filepath.Join(t.TempDir(), "statement.mp4")
	if err := os.WriteFile(path, []byte("This is a witness statement, not a video.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	info := Info{MIME: "text/plain", Extension: ".txt"}
	got, err := Probe(probeContext(t), path, info)
	if err == nil {
		t.Fatalf("Probe of a text file succeeded: %+v", got)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
	if errors.Is(err, ErrNoFFprobe) {
		t.Errorf("error %q wraps ErrNoFFprobe", err)
	}
	if diff := cmp.Diff(info, got); diff != "" {
		t.Errorf("Probe changed info on error (-want +got):\n%s", diff)
	}
}

func TestProbeMissingFile(t *testing.T) {
	testdata.NeedFFmpeg(t)
	path := filepath.Join(t.TempDir(), "gone.mp4")
	if _, err := Probe(probeContext(t), path, Info{}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Probe of a missing file: error %v, want one naming %s", err, path)
	}
}

func TestProbeCancelled(t *testing.T) {
	testdata.NeedFFmpeg(t)
	path, _ := testVideo(t, t.TempDir())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	info := Info{MIME: "video/mp4"}
	got, err := Probe(ctx, path, info)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Probe with a cancelled context: error %v, want context.Canceled", err)
	}
	if diff := cmp.Diff(info, got); diff != "" {
		t.Errorf("Probe changed info on error (-want +got):\n%s", diff)
	}
}

func TestProbeNoFFprobe(t *testing.T) {
	t.Setenv("PATH", "")
	info := Info{MIME: "video/mp4", Extension: ".mp4"}
	got, err := Probe(t.Context(), "/nonexistent/clip.mp4", info)
	if !errors.Is(err, ErrNoFFprobe) {
		t.Errorf("error %v, want ErrNoFFprobe", err)
	}
	if diff := cmp.Diff(info, got); diff != "" {
		t.Errorf("Probe changed info on error (-want +got):\n%s", diff)
	}
}

// TestFFprobeOutput checks how ffprobe's JSON becomes Info fields, without
// running ffprobe.
func TestFFprobeOutput(t *testing.T) {
	tests := []struct {
		name string
		json string
		want Info
	}{
		{
			name: "video",
			json: `{"streams":[{"codec_type":"audio","codec_name":"aac"},
				{"codec_type":"video","codec_name":"h264","width":1920,"height":1080},
				{"codec_type":"video","codec_name":"mjpeg","width":10,"height":10}],
				"format":{"duration":"12.500000","tags":{"creation_time":"2026-11-20T10:15:00.000000Z"}}}`,
			want: Info{Width: 1920, Height: 1080, Codec: "h264", Duration: 12.5,
				CreatedAt: timePtr(time.Date(2026, 11, 20, 10, 15, 0, 0, time.UTC))},
		},
		{
			name: "cover art is not video",
			json: `{"streams":[{"codec_type":"audio","codec_name":"mp3","duration":"3.0"},
				{"codec_type":"video","codec_name":"png","width":300,"height":300,"disposition":{"attached_pic":1}}],
				"format":{"duration":"3.0"}}`,
			want: Info{Duration: 3},
		},
		{
			name: "longest stream when the container has no duration",
			json: `{"streams":[{"codec_type":"video","codec_name":"vp9","duration":"4.2"},
				{"codec_type":"audio","codec_name":"opus","duration":"4.5"}],"format":{}}`,
			want: Info{Codec: "vp9", Duration: 4.5},
		},
		{
			name: "unusable values ignored",
			json: `{"streams":[{"codec_type":"video","codec_name":"h264","width":0,"height":480}],
				"format":{"duration":"N/A","tags":{"creation_time":"last week"}}}`,
			want: Info{Codec: "h264"},
		},
		{
			name: "negative and infinite durations ignored",
			json: `{"streams":[{"codec_type":"audio","duration":"inf"}],"format":{"duration":"-1"}}`,
			want: Info{},
		},
		{
			name: "creation time in another zone and key case",
			json: `{"format":{"tags":{"CREATION_TIME":"2026-11-20T11:15:00+01:00"}}}`,
			want: Info{CreatedAt: timePtr(time.Date(2026, 11, 20, 10, 15, 0, 0, time.UTC))},
		},
		{
			name: "zoneless creation time",
			json: `{"format":{"tags":{"creation_time":"2026-11-20 10:15:00"}}}`,
			want: Info{CreatedAt: timePtr(time.Date(2026, 11, 20, 10, 15, 0, 0, time.UTC))},
		},
		{name: "empty", json: `{}`, want: Info{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out ffprobeOutput
			if err := json.Unmarshal([]byte(tt.json), &out); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.apply(Info{})); diff != "" {
				t.Errorf("apply mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCappedBuffer(t *testing.T) {
	b := cappedBuffer{limit: 5}
	for _, s := range []string{"abc", "defg", "hi"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if b.String() != "abcde" || !b.overflow {
		t.Errorf("kept %q, overflow %v; want \"abcde\", true", b.String(), b.overflow)
	}
}
