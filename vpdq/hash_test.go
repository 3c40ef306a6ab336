package vpdq

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"caseroom/internal/testdata"
	"caseroom/pdq"
)

// sampleDir is the shared vPDQ test set.
func sampleDir(t testing.TB) string { return testdata.Dir(t, "vpdq") }

// sampleVideos lists the test set's videos by base name (without .mp4).
func sampleVideos(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(sampleDir(t), "videos", "*.mp4"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no sample videos: %v", err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".mp4"))
	}
	return names
}

// expectedFrames reads one of the reference hash files (name without .txt).
func expectedFrames(t testing.TB, name string) []Frame {
	t.Helper()
	f, err := os.Open(filepath.Join(sampleDir(t), "expected", "sample-hashes", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	frames, err := ReadFrames(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(frames) == 0 {
		t.Fatalf("%s: no frames", name)
	}
	return frames
}

func hashSample(t *testing.T, name string, opt Options) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := HashFile(ctx, filepath.Join(sampleDir(t), "videos", name+".mp4"), opt)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// TestHashFileMatchesReference hashes every frame of every sample video, at its own
// size and downscaled to 128x128, and compares with the reference's files line by line
// as the upstream regression test does: the same frames and timestamps, and where both
// qualities are at least 50, hashes within distance 31 (decoders and YUV conversions
// differ slightly, so equality is not expected).
func TestHashFileMatchesReference(t *testing.T) {
	testdata.NeedFFmpeg(t)
	for _, name := range sampleVideos(t) {
		for _, tc := range []struct {
			suffix string
			opt    Options
		}{
			{"", Options{EveryFrame: true}},
			{"-128x128", Options{EveryFrame: true, Width: 128, Height: 128}},
		} {
			ref := name + tc.suffix
			if _, err := os.Stat(filepath.Join(sampleDir(t), "expected", "sample-hashes", ref+".txt")); err != nil {
				continue // test-padded-dimensions has no 128x128 file
			}
			t.Run(ref, func(t *testing.T) {
				t.Parallel()
				want := expectedFrames(t, ref)
				res := hashSample(t, name, tc.opt)
				compareFrames(t, res.Frames, want)
			})
		}
	}
}

// compareFrames checks got against the reference's frames.
func compareFrames(t *testing.T, got, want []Frame) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d frames, reference has %d", len(got), len(want))
	}
	maxD, sum, n := 0, 0, 0
	for i := range want {
		g, w := got[i], want[i]
		if g.Number != w.Number || g.String()[strings.LastIndexByte(g.String(), ','):] != w.String()[strings.LastIndexByte(w.String(), ','):] {
			t.Errorf("frame %d: number/timestamp %d,%.3f, reference %d,%.3f", i, g.Number, g.Timestamp, w.Number, w.Timestamp)
		}
		if g.Quality < DefaultQuality || w.Quality < DefaultQuality {
			continue
		}
		d := pdq.Distance(&g.Hash, &w.Hash)
		if d > DefaultDistance {
			t.Errorf("frame %d: distance %d to the reference (%s vs %s)", g.Number, d, g, w)
		}
		maxD, sum, n = max(maxD, d), sum+d, n+1
	}
	if n == 0 {
		t.Fatal("no frame of quality >= 50 to compare")
	}
	t.Logf("%d frames, %d compared: distance to the reference max %d, mean %.2f", len(want), n, maxD, float64(sum)/float64(n))
}

// TestHashFileOnePerSecond: by default one frame a second is hashed, the frames the
// reference picks (frame numbers that are multiples of the frame rate), with hashes
// near the reference's for those frames.
func TestHashFileOnePerSecond(t *testing.T) {
	testdata.NeedFFmpeg(t)
	for _, name := range sampleVideos(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := hashSample(t, name, Options{})
			if res.Interval != 30 || res.FrameRate != 30 {
				t.Errorf("interval %d at %v fps, want 30 at 30", res.Interval, res.FrameRate)
			}
			var want []Frame
			for _, f := range expectedFrames(t, name) {
				if f.Number%30 == 0 {
					want = append(want, f)
				}
			}
			compareFrames(t, res.Frames, want)
		})
	}
}

// TestHashFileIgnoresRotation: like the reference, a display rotation in the container is
// not applied: the stored frames are hashed, at their stored size.
func TestHashFileIgnoresRotation(t *testing.T) {
	testdata.NeedFFmpeg(t)
	src := filepath.Join(sampleDir(t), "videos", "test-padded-dimensions.mp4")
	rotated := filepath.Join(t.TempDir(), "rotated.mp4")
	if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", src, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated).CombinedOutput(); err != nil {
		t.Fatalf("make rotated copy: %v: %s", err, out)
	}
	opt := Options{SecondsPerHash: 2}
	want := hashSample(t, "test-padded-dimensions", opt)
	got, err := HashFile(context.Background(), rotated, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Frames) != 3 || got.Interval != 60 {
		t.Errorf("%d frames every %d, want 3 every 60", len(got.Frames), got.Interval)
	}
	if got.Width != 1080 || got.Height != 1080 || !slices.Equal(got.Frames, want.Frames) {
		t.Errorf("rotated copy hashed at %dx%d as\n%v\nwant\n%v", got.Width, got.Height, got.Frames, want.Frames)
	}
}

// TestHashFileBadInput: each kind of bad file gets an error that says what is wrong,
// wrapping the error a caller can test for.
func TestHashFileBadInput(t *testing.T) {
	testdata.NeedFFmpeg(t)
	dir := t.TempDir()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(sampleDir(t), "videos", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	padded, sd, door := read("test-padded-dimensions.mp4"), read("pattern-sd-grey-bar.mp4"), read("doorknob-hd-no-bar.mp4")
	// doorknob's moov box comes first: zeroing everything after the start of its media
	// data keeps a valid container whose frames cannot be decoded.
	zeroed := slices.Clone(door)
	mdat := strings.Index(string(zeroed), "mdat")
	clear(zeroed[mdat+4:])
	files := map[string][]byte{
		"notes.txt":         []byte("frame,quality\nnot a video\n"),
		"empty.mp4":         nil,
		"-rf:evil.mp4":      []byte("x"), // a name ffmpeg would read as an option or protocol
		"no-moov.mp4":       padded[:len(padded)/2],
		"half.mp4":          sd[:len(sd)/2],
		"zeroed-frames.mp4": zeroed,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		target error
		msg    string
	}{
		{"notes.txt", ErrNotVideo, "Invalid data found"},
		{"empty.mp4", ErrNotVideo, "the file is empty"},
		{"-rf:evil.mp4", ErrNotVideo, "Invalid data found"},
		{"no-moov.mp4", ErrNotVideo, "moov atom not found"},
		{"half.mp4", ErrDamaged, "frames hashed where the 206 frames the container lists give 206"},
		{"zeroed-frames.mp4", ErrNoFrames, "Invalid NAL unit size"},
		{"missing.mp4", os.ErrNotExist, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := HashFile(context.Background(), filepath.Join(dir, tc.name), Options{EveryFrame: tc.name == "half.mp4"})
			if !errors.Is(err, tc.target) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %v, want one wrapping %v and saying %q", err, tc.target, tc.msg)
			}
			t.Log(err)
			if tc.target == ErrDamaged && (len(res.Frames) < 50 || len(res.Frames) >= 206) {
				t.Errorf("%d frames kept from the damaged video, want the part that decoded", len(res.Frames))
			}
		})
	}
}

// TestHashFileWithoutFFmpeg: with ffmpeg missing from PATH the error says so and how
// to install it.
func TestHashFileWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := HashFile(context.Background(), "video.mp4", Options{})
	if !errors.Is(err, ErrNoFFmpeg) || !strings.Contains(err.Error(), "Debian's ffmpeg") {
		t.Fatalf("error %v, want ErrNoFFmpeg naming the package", err)
	}
}

// TestHashFileCancelled: an ended context stops ffmpeg and is reported.
func TestHashFileCancelled(t *testing.T) {
	testdata.NeedFFmpeg(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := HashFile(ctx, filepath.Join(sampleDir(t), "videos", "pattern-hd-no-bar.mp4"), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

// TestOptions checks option validation and the reference's frame interval.
func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		opt Options
		ok  bool
	}{
		{Options{}, true},
		{Options{SecondsPerHash: 0.5}, true},
		{Options{EveryFrame: true, Width: 128, Height: 128}, true},
		{Options{EveryFrame: true, SecondsPerHash: 1}, false},
		{Options{SecondsPerHash: -1}, false},
		{Options{Width: 128}, false},
		{Options{Width: 4, Height: 4}, false},
		{Options{Width: -5, Height: 5}, false},
		{Options{Width: 100000, Height: 100000}, false},
	} {
		if err := tc.opt.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: Validate() = %v, want ok=%v", tc.opt, err, tc.ok)
		}
	}
	for _, tc := range []struct {
		opt  Options
		rate float64
		want int
	}{
		{Options{}, 30, 30},
		{Options{}, 29.97, 29},
		{Options{SecondsPerHash: 2}, 25, 50},
		{Options{SecondsPerHash: 0.5}, 1, 1}, // truncates to 0: every frame
		{Options{EveryFrame: true}, 60, 1},
	} {
		if got := tc.opt.Interval(tc.rate); got != tc.want {
			t.Errorf("%+v at %v fps: interval %d, want %d", tc.opt, tc.rate, got, tc.want)
		}
	}
}
