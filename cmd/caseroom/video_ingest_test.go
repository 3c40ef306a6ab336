package main

import (
	"archive/zip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"caseroom/internal/testdata"
)

// ffmpegMake runs ffmpeg to make a test video (benign synthetic pictures only).
func ffmpegMake(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("ffmpeg", append([]string{"-nostdin", "-v", "error", "-y"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, out)
	}
}

// TestIngestFindsVideoCopies is issue 9's "done when": a folder with a video, a
// re-encoded copy of it, and a 3-second cut of it is ingested; the three are recorded as
// one cluster of copies, the cut with its percentages (all of its frames found in the
// others, 30% of theirs found in it), and their ffprobe metadata. A truncated video, a
// file that is no video though named .mp4, and a copy inside a zip archive go through
// the same run: the first is reported and kept, the second has no video hash, the
// third is matched from its temporary copy.
func TestIngestFindsVideoCopies(t *testing.T) {
	testdata.NeedFFmpeg(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "phone")
	if err := os.MkdirAll(src, 0o700); err != nil {
		t.Fatal(err)
	}
	in := func(name string) string { return filepath.Join(src, name) }
	// A zooming fractal: every second of it looks different, unlike a static pattern.
	ffmpegMake(t, "-f", "lavfi", "-i", "mandelbrot=size=320x240:rate=25", "-t", "10", "-c:v", "libx264", "-pix_fmt", "yuv420p", in("film.mp4"))
	ffmpegMake(t, "-i", in("film.mp4"), "-vf", "scale=240:180", "-c:v", "libx264", "-crf", "30", in("film-small.mp4"))
	ffmpegMake(t, "-ss", "4", "-i", in("film.mp4"), "-t", "3", "-c:v", "libx264", in("film-cut.mp4"))
	whole, err := os.ReadFile(in("film.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in("film-truncated.mp4"), whole[:len(whole)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in("notes.mp4"), []byte("Not a video: a note about the seizure.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ffmpegMake(t, "-i", in("film.mp4"), "-c:v", "mpeg4", "-q:v", "5", filepath.Join(dir, "film.avi"))
	zf, err := os.Create(in("backup.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	w, err := zw.Create("old/film.avi")
	if err != nil {
		t.Fatal(err)
	}
	avi, err := os.ReadFile(filepath.Join(dir, "film.avi"))
	if err != nil {
		t.Fatal(err)
	}
	w.Write(avi)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()

	data := filepath.Join(dir, "data")
	cli(t, "Video-Password-Correct-9\n", "user", "add", "alice", "--admin", "--data", data)
	token := strings.TrimSpace(cli(t, "", "token", "create", "--user", "alice", "--data", data))
	base, stop := startServer(t, "--data", data)
	var c struct{ ID string }
	call(t, token, "POST", base+"/api/v1/cases", `{"title":"Operation Reel"}`, &c)
	if code := call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/exhibits",
		`{"ref":"SB/4","description":"Phone","kind":"phone","seizedAt":"2026-11-21T09:00:00Z"}`, nil); code != 201 {
		t.Fatalf("register exhibit: %d", code)
	}
	stop()

	code, out, errOut := runCLI("ingest", "--data", data, "--case", c.ID, "--exhibit", "SB/4", "--json", src)
	if code != 0 {
		t.Fatalf("ingest exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "film-truncated.mp4") || !strings.Contains(out, "no video metadata or hash") {
		t.Errorf("the truncated video is not reported among the warnings:\n%s", out)
	}

	base, stop = startServer(t, "--data", data)
	defer stop()
	type match struct {
		Kind, By, SHA256 string
		Video            *struct{ ThisInOther, OtherInThis float64 }
		Locations        []struct{ Path string }
	}
	type mediaRow struct {
		Path, SHA256, MIME, Cluster string
		VideoFrames                 int
		Meta                        struct {
			Duration float64
			Codec    string
			Width    int
		}
		Matches []match
	}
	var list struct{ Media []mediaRow }
	if code := call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/media", "", &list); code != 200 || len(list.Media) != 6 {
		t.Fatalf("media: %d, %d files", code, len(list.Media))
	}
	byPath := map[string]int{}
	for i, m := range list.Media {
		byPath[m.Path] = i
		var ms []string
		for _, mm := range m.Matches {
			if mm.Video != nil && len(mm.Locations) > 0 {
				ms = append(ms, fmt.Sprintf("%s %.2f/%.2f", mm.Locations[0].Path, mm.Video.ThisInOther, mm.Video.OtherInThis))
			}
		}
		t.Logf("%s: %s %d frames, %.1f s %s %dpx, cluster %.8s, matches %v", m.Path, m.MIME, m.VideoFrames, m.Meta.Duration, m.Meta.Codec, m.Meta.Width, m.Cluster, ms)
	}
	get := func(p string) int {
		i, ok := byPath[p]
		if !ok {
			t.Fatalf("no media at %s", p)
		}
		return i
	}
	film, small, cut, zipped := list.Media[get("phone/film.mp4")], list.Media[get("phone/film-small.mp4")], list.Media[get("phone/film-cut.mp4")], list.Media[get("phone/backup.zip!/old/film.avi")]
	if film.VideoFrames != 10 || small.VideoFrames != 10 || cut.VideoFrames != 3 || zipped.VideoFrames != 10 {
		t.Errorf("frames hashed: film %d, small %d, cut %d, zipped %d; want 10, 10, 3, 10", film.VideoFrames, small.VideoFrames, cut.VideoFrames, zipped.VideoFrames)
	}
	if film.Meta.Codec != "h264" || film.Meta.Duration < 9.9 || film.Meta.Width != 320 || zipped.Meta.Codec != "mpeg4" {
		t.Errorf("ffprobe metadata: film %+v, zipped %+v", film.Meta, zipped.Meta)
	}
	if film.Cluster == "" || small.Cluster != film.Cluster || cut.Cluster != film.Cluster || zipped.Cluster != film.Cluster {
		t.Errorf("clusters: film %q, small %q, cut %q, zipped %q; want one", film.Cluster, small.Cluster, cut.Cluster, zipped.Cluster)
	}
	pct := func(from mediaRow, to string) *struct{ ThisInOther, OtherInThis float64 } {
		for _, mm := range from.Matches {
			if mm.SHA256 == to && mm.By == "vpdq" {
				return mm.Video
			}
		}
		return nil
	}
	if v := pct(cut, film.SHA256); v == nil || v.ThisInOther != 100 || v.OtherInThis != 30 {
		t.Errorf("cut vs film: %+v; want 100%% of the cut in the film, 30%% of the film in the cut", v)
	}
	if v := pct(film, cut.SHA256); v == nil || v.ThisInOther != 30 || v.OtherInThis != 100 {
		t.Errorf("film vs cut: %+v; want 30/100", v)
	}
	if v := pct(small, film.SHA256); v == nil || v.ThisInOther < 80 || v.OtherInThis < 80 {
		t.Errorf("re-encoded copy vs film: %+v; want both 80%% or more", v)
	}
	if notes := list.Media[get("phone/notes.mp4")]; notes.VideoFrames != 0 || notes.Cluster != "" || strings.HasPrefix(notes.MIME, "video/") {
		t.Errorf("the note named .mp4: %+v", notes)
	}
	var sum struct{ Files, Clusters, LargestCluster int }
	call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/media/summary", "", &sum)
	if sum.Files != 6 || sum.Clusters != 1 || sum.LargestCluster != 4 {
		t.Errorf("summary %+v; want 6 files, 1 cluster of 4", sum)
	}
}
