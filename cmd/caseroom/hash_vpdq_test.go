package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseroom/internal/testdata"
	"caseroom/pdq"
	"caseroom/vpdq"
)

// vpdqTestdata is the shared vPDQ test set.
func vpdqTestdata(t testing.TB) string { return testdata.Dir(t, "vpdq") }

// readVPDQLines parses hash lines, failing the test on an error.
func readVPDQLines(t *testing.T, text string) []vpdq.Frame {
	t.Helper()
	frames, err := vpdq.ReadFrames(strings.NewReader(text))
	if err != nil {
		t.Fatalf("%v in:\n%s", err, text)
	}
	return frames
}

// TestHashVPDQPrintsReferenceFormat: for one video the output is exactly the reference
// line format, the frames the reference hashes at one a second, near its hashes.
func TestHashVPDQPrintsReferenceFormat(t *testing.T) {
	testdata.NeedFFmpeg(t)
	dir := vpdqTestdata(t)
	out := cli(t, "", "hash", "vpdq", filepath.Join(dir, "videos", "test-padded-dimensions.mp4"))
	got := readVPDQLines(t, out)
	var buf bytes.Buffer
	vpdq.WriteFrames(&buf, got)
	if buf.String() != out {
		t.Errorf("output is not in the canonical line format:\n%s", out)
	}
	ref, err := os.ReadFile(filepath.Join(dir, "expected", "sample-hashes", "test-padded-dimensions.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var want []vpdq.Frame
	for _, f := range readVPDQLines(t, string(ref)) {
		if f.Number%30 == 0 {
			want = append(want, f)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d frames, want %d:\n%s", len(got), len(want), out)
	}
	for i := range want {
		if got[i].Number != want[i].Number || got[i].Timestamp != want[i].Timestamp || pdq.Distance(&got[i].Hash, &want[i].Hash) > 31 {
			t.Errorf("line %d: %s, reference %s", i+1, got[i], want[i])
		}
	}
}

// TestHashVPDQSeveralFilesOneBad: with several videos each block is headed by its path;
// a file that is not a video is named on stderr, the others are still hashed, and the
// exit status is 1.
func TestHashVPDQSeveralFilesOneBad(t *testing.T) {
	testdata.NeedFFmpeg(t)
	dir := vpdqTestdata(t)
	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("not a video\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "videos", "test-padded-dimensions.mp4")
	b := filepath.Join(dir, "videos", "doorknob-hd-no-bar.mp4")
	code, out, errOut := runCLI("hash", "vpdq", "--seconds-per-hash", "2", a, notes, b)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	blocks := strings.Split(out, "# ")
	if len(blocks) != 3 || blocks[0] != "" || !strings.HasPrefix(blocks[1], a+"\n") || !strings.HasPrefix(blocks[2], b+"\n") {
		t.Fatalf("stdout is not a block for each good video:\n%s", out)
	}
	for i, want := range []int{3, 2} { // 150 frames and 120 frames, one every 60
		_, lines, _ := strings.Cut(blocks[i+1], "\n")
		if n := len(readVPDQLines(t, lines)); n != want {
			t.Errorf("block %d: %d frames, want %d", i+1, n, want)
		}
	}
	for _, want := range []string{notes + ": not a video ffmpeg can read", "some videos could not be hashed"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q does not say %q", errOut, want)
		}
	}
}

// TestHashVPDQWithoutFFmpeg: with ffmpeg missing from PATH each video fails with a
// message naming the package to install.
func TestHashVPDQWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	code, out, errOut := runCLI("hash", "vpdq", "a.mp4", "b.mp4")
	if code != 1 || out != "" || strings.Count(errOut, "Debian's ffmpeg package") != 2 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing, the package named for each file", code, out, errOut)
	}
}

// TestHashVPDQMatch: the match of two reference hash files is the pytx table's row; a
// video and a hash file can be mixed.
func TestHashVPDQMatch(t *testing.T) {
	dir := vpdqTestdata(t)
	hashes := func(name string) string { return filepath.Join(dir, "expected", "sample-hashes", name+".txt") }
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{hashes("pattern-hd-no-bar"), hashes("pattern-longer-no-bar")}, "100.0000,87.9310,true\n"},
		{[]string{hashes("pattern-longer-no-bar"), hashes("pattern-hd-no-bar")}, "87.9310,100.0000,true\n"},
		{[]string{"--compared-threshold", "90", hashes("pattern-hd-no-bar"), hashes("pattern-longer-no-bar")}, "100.0000,87.9310,false\n"},
		{[]string{hashes("pattern-hd-no-bar"), hashes("doorknob-hd-no-bar")}, "0.0000,0.0000,false\n"},
		{[]string{"--quality", "0", "--distance", "256", hashes("pattern-hd-no-bar"), hashes("doorknob-hd-no-bar")}, "100.0000,100.0000,true\n"},
	} {
		if got := cli(t, "", append([]string{"hash", "vpdq-match"}, tc.args...)...); got != tc.want {
			t.Errorf("vpdq-match %v = %q, want %q", tc.args, got, tc.want)
		}
	}
	t.Run("video", func(t *testing.T) {
		testdata.NeedFFmpeg(t)
		got := cli(t, "", "hash", "vpdq-match", "--every-frame", filepath.Join(dir, "videos", "test-padded-dimensions.mp4"), hashes("test-padded-dimensions"))
		if got != "100.0000,100.0000,true\n" {
			t.Errorf("video against its own reference hashes: %q", got)
		}
	})
}

// TestHashVPDQBadArguments: bad flags and bad hash files are refused with a clear
// message and exit status 1.
func TestHashVPDQBadArguments(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("0,100,e2f1017837246bacc5dea21b648fbfd62f435c89db299a2497667e216c8d055c,0.000\n1,100,zz,0.033\n"), 0o600)
	several := filepath.Join(dir, "several.txt")
	os.WriteFile(several, []byte("# a.mp4\n0,100,e2f1017837246bacc5dea21b648fbfd62f435c89db299a2497667e216c8d055c,0.000\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"vpdq", "--every-frame", "--seconds-per-hash", "2", "a.mp4"}, "give --every-frame or --seconds-per-hash, not both"},
		{[]string{"vpdq", "--seconds-per-hash", "0", "a.mp4"}, "--seconds-per-hash must be a number of seconds above 0"},
		{[]string{"vpdq", "--seconds-per-hash", "-2", "a.mp4"}, "--seconds-per-hash must be a number of seconds above 0"},
		{[]string{"vpdq", "--downscale", "128", "a.mp4"}, "--downscale is WIDTHxHEIGHT"},
		{[]string{"vpdq", "--downscale", "-1x5", "a.mp4"}, "--downscale is WIDTHxHEIGHT"},
		{[]string{"vpdq", "--downscale", "2x2", "a.mp4"}, "PDQ needs at least 5x5"},
		{[]string{"vpdq"}, "requires at least 1 arg"},
		{[]string{"vpdq-match", "--distance", "-1", "a", "b"}, "--distance is the most bits"},
		{[]string{"vpdq-match", "--quality", "101", "a", "b"}, "--quality is a PDQ quality from 0 to 100"},
		{[]string{"vpdq-match", "--compared-threshold", "-5", "a", "b"}, "--compared-threshold is a percentage"},
		{[]string{"vpdq-match", bad, bad}, bad + ": hash file: line 2: hash \"zz\""},
		{[]string{"vpdq-match", filepath.Join(dir, "missing.txt"), bad}, "missing.txt: open"},
		{[]string{"vpdq-match", several, bad}, "several.txt: holds the hashes of several videos"},
		{[]string{"vpdq-match", "a"}, "accepts 2 arg(s)"},
	} {
		code, _, errOut := runCLI(append([]string{"hash"}, tc.args...)...)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("hash %v: exit %d, stderr %q; want 1 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
