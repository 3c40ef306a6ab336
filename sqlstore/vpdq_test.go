package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"caseroom"
)

// frameHash is a distinct made-up frame hash for (video, n).
func frameHash(video string, n int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s frame %d", video, n))
	return hex.EncodeToString(sum[:])
}

// videoHash hashes frames first..last of a made-up scene at one frame a second of a
// 25 fps video, each hash moved by bits, with the given quality.
func videoHash(scene string, first, last, bits, quality int) *caseroom.VideoHash {
	v := &caseroom.VideoHash{SecondsPerHash: 1, FrameRate: 25}
	for i := first; i <= last; i++ {
		n := (i - first) * 25
		v.Frames = append(v.Frames, caseroom.VideoFrame{Number: n, Quality: quality, PDQ: flip(frameHash(scene, i), bits), Timestamp: float64(n) / 25})
	}
	return v
}

// videoMatches describes a file's matches: "kind by this%/other% [paths]" for videos,
// "known vpdq DIST frame N SET" for a known entry matched by a frame.
func videoMatches(t *testing.T, s *testStore, f *fixture) (map[string][]string, map[string]string) {
	t.Helper()
	ms, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got, clusters := map[string][]string{}, map[string]string{}
	for _, m := range ms {
		got[m.Path] = []string{}
		for _, mm := range m.Matches {
			switch {
			case mm.Video != nil:
				got[m.Path] = append(got[m.Path], fmt.Sprintf("%s %s %.2f/%.2f %s", mm.Kind, mm.By, mm.Video.ThisInOther, mm.Video.OtherInThis, pathsOf(mm.Locations)))
			case mm.Frame != nil:
				got[m.Path] = append(got[m.Path], fmt.Sprintf("%s %s %d frame %d %s", mm.Kind, mm.By, mm.Distance, *mm.Frame, mm.HashSet))
			default:
				got[m.Path] = append(got[m.Path], fmt.Sprintf("%s %s %d", mm.Kind, mm.By, mm.Distance))
			}
		}
		clusters[m.Path] = m.Cluster
	}
	return got, clusters
}

// TestVideoMatches records videos (their vPDQ frame hashes) and checks that copies and
// clips are matched with both percentages, across batches and a reopen, that they form
// one cluster, and that known-set entries are matched by a frame, at ingest and at
// import.
func TestVideoMatches(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Reel")
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)

		// A set known before ingest lists one frame of the scene.
		if _, err := s.DB.ImportHashSet(console, knownSet("Before", caseroom.KnownHash{MediaID: "1", Category: "1", PDQ: flip(frameHash("lake", 4), 6)})); err != nil {
			t.Fatal(err)
		}
		orig := fakeMedia("videos/lake.mp4", "lake")
		orig.Video = videoHash("lake", 0, 9, 0, 90)
		reencoded := fakeMedia("videos/lake-small.mp4", "lake small") // every frame a little off
		reencoded.Video = videoHash("lake", 0, 9, 3, 80)
		other := fakeMedia("videos/road.mp4", "road")
		other.Video = videoHash("road", 0, 9, 0, 90)
		flat := fakeMedia("videos/lake-dark.mp4", "lake dark") // the same scene, too flat to match
		flat.Video = videoHash("lake", 0, 9, 1, 30)
		// One batch: the second video is matched against the first within the transaction.
		if n, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", []caseroom.NewMedia{orig, reencoded, other, flat}); err != nil || n != 4 {
			t.Fatalf("record: %d, %v", n, err)
		}
		// After a reopen, from the rebuilt index: a 3-second cut of the scene.
		s.Reopen()
		cut := fakeMedia("videos/lake-cut.mp4", "lake cut")
		cut.Video = videoHash("lake", 3, 5, 2, 85)
		if _, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", []caseroom.NewMedia{cut}); err != nil {
			t.Fatal(err)
		}
		got, clusters := videoMatches(t, s, f)
		want := map[string][]string{
			"videos/lake.mp4": {"media vpdq 100.00/100.00 [videos/lake-small.mp4]", "media vpdq 30.00/100.00 [videos/lake-cut.mp4]",
				"known vpdq 6 frame 100 Before"},
			"videos/lake-small.mp4": {"media vpdq 100.00/100.00 [videos/lake.mp4]", "media vpdq 30.00/100.00 [videos/lake-cut.mp4]",
				"known vpdq 3 frame 100 Before"},
			"videos/lake-cut.mp4": {"media vpdq 100.00/30.00 [videos/lake.mp4]", "media vpdq 100.00/30.00 [videos/lake-small.mp4]",
				"known vpdq 4 frame 25 Before"},
			"videos/road.mp4":      {},
			"videos/lake-dark.mp4": {},
		}
		if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("matches (-want +got):\n%s", diff)
		}
		if c := clusters["videos/lake.mp4"]; c == "" || clusters["videos/lake-small.mp4"] != c || clusters["videos/lake-cut.mp4"] != c || clusters["videos/road.mp4"] != "" {
			t.Errorf("clusters: %v", clusters)
		}
		sum, err := s.DB.SummariseMedia(f.ctx, f.c.ID)
		if err != nil || sum.Clusters != 1 || sum.LargestCluster != 3 || sum.MatchedKnown != 3 {
			t.Errorf("summary %+v, %v; want 1 cluster of 3 and 3 matched known", sum, err)
		}
		ms, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{ExhibitID: "SB/1", Path: "videos/lake.mp4"})
		if err != nil || len(ms) != 1 || ms[0].VideoFrames != 10 || ms[0].VideoSecondsPerHash != 1 {
			t.Errorf("video facts: %+v, %v", ms, err)
		}

		// A set imported afterwards is matched against the videos' frames.
		later, err := s.DB.ImportHashSet(console, knownSet("After", caseroom.KnownHash{MediaID: "2", Category: "2", PDQ: frameHash("road", 7)}))
		if err != nil || later.Matched != 1 {
			t.Fatalf("later import: %+v, %v", later, err)
		}
		if got, _ := videoMatches(t, s, f); !cmp.Equal(got["videos/road.mp4"], []string{"known vpdq 0 frame 175 After"}) {
			t.Errorf("road after the later set: %v", got["videos/road.mp4"])
		}
	})
}

// TestVideoHashBadInput refuses a video hash that is not one, naming what is wrong,
// and writes nothing.
func TestVideoHashBadInput(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Reel")
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		for name, tc := range map[string]struct {
			change func(v *caseroom.VideoHash)
			field  string
		}{
			"bad hash":        {func(v *caseroom.VideoHash) { v.Frames[1].PDQ = "xyz" }, "files[0].video"},
			"out of order":    {func(v *caseroom.VideoHash) { v.Frames[2].Number = 0 }, "files[0].video"},
			"quality":         {func(v *caseroom.VideoHash) { v.Frames[0].Quality = 101 }, "files[0].video"},
			"no frame rate":   {func(v *caseroom.VideoHash) { v.FrameRate = 0 }, "files[0].video"},
			"negative period": {func(v *caseroom.VideoHash) { v.SecondsPerHash = -1 }, "files[0].video"},
		} {
			t.Run(name, func(t *testing.T) {
				m := fakeMedia("videos/bad.mp4", "bad")
				m.Video = videoHash("bad", 0, 3, 0, 90)
				tc.change(m.Video)
				refused(t, s, caseroom.EINVALID, tc.field, func() error {
					_, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", []caseroom.NewMedia{m})
					return err
				})
			})
		}
	})
}
