package vpdq

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadWriteFramesRoundTrip: every reference hash file reads and writes back byte
// for byte, so the line format, the hex and the 3-decimal timestamps are the reference's.
func TestReadWriteFramesRoundTrip(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(sampleDir(t), "expected", "sample-hashes", "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no hash files: %v", err)
	}
	for _, p := range paths {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		frames, err := ReadFrames(bytes.NewReader(want))
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		var got bytes.Buffer
		if err := WriteFrames(&got, frames); err != nil {
			t.Fatal(err)
		}
		if got.String() != string(want) {
			t.Errorf("%s: written back differently", filepath.Base(p))
		}
		// The timestamps are the reference's float32 frame / rate.
		for _, f := range frames {
			got, want := (Frame{Timestamp: Timestamp(f.Number, 30)}).String(), (Frame{Timestamp: f.Timestamp}).String()
			if got != want {
				t.Fatalf("%s frame %d: Timestamp gives %s, file has %s", filepath.Base(p), f.Number, got, want)
			}
		}
	}
}

// TestReadFramesErrors: a bad line is refused with its line number and what is wrong.
func TestReadFramesErrors(t *testing.T) {
	const good = "0,100,e2f1017837246bacc5dea21b648fbfd62f435c89db299a2497667e216c8d055c,0.000\n"
	for _, tc := range []struct{ in, want string }{
		{good + "1,100,e2f1,0.033\n", "line 2: hash \"e2f1\""},
		{good + "\n" + "x,100," + good[6:], "line 3: frame number \"x\""},
		{"0,101," + good[6:], "line 1: quality \"101\""},
		{"-1,100," + good[6:], "line 1: frame number \"-1\""},
		{strings.Replace(good, "0.000", "-1", 1), "line 1: timestamp \"-1\""},
		{strings.Replace(good, "0.000", "NaN", 1), "line 1: timestamp \"NaN\""},
		{"0,100,abc\n", "line 1: want frameNumber,quality,pdqHex,timestamp, got 3 fields"},
		{"hello world\n", "line 1: want frameNumber"},
		{strings.Repeat("x", 5000), "line 1: longer than 1024 bytes"},
	} {
		_, err := ReadFrames(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadFrames(%.40q) error %v, want %q", tc.in, err, tc.want)
		}
	}
	frames, err := ReadFrames(strings.NewReader(good + "\r\n\n"))
	if err != nil || len(frames) != 1 {
		t.Errorf("trailing blank lines: %v, %d frames", err, len(frames))
	}
}

// FuzzReadFrames: whatever the input, ReadFrames does not panic, and what it accepts
// writes out and reads back to the same frames.
func FuzzReadFrames(f *testing.F) {
	f.Add("0,100,e2f1017837246bacc5dea21b648fbfd62f435c89db299a2497667e216c8d055c,0.000\n")
	f.Add("1,5,E2F1017837246BACC5DEA21B648FBFD62F435C89DB299A2497667E216C8D055C,1e3\n\n")
	f.Add("a,b,c,d")
	f.Fuzz(func(t *testing.T, in string) {
		frames, err := ReadFrames(strings.NewReader(in))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteFrames(&buf, frames); err != nil {
			t.Fatal(err)
		}
		again, err := ReadFrames(&buf)
		if err != nil {
			t.Fatalf("written frames do not read back: %v\n%s", err, buf.String())
		}
		if len(again) != len(frames) {
			t.Fatalf("%d frames read back, want %d", len(again), len(frames))
		}
		for i := range frames {
			if again[i].Number != frames[i].Number || again[i].Quality != frames[i].Quality || again[i].Hash != frames[i].Hash {
				t.Fatalf("frame %d read back as %v, want %v", i, again[i], frames[i])
			}
		}
	})
}
