package vpdq

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom/pdq"
)

// matchTable reads expected/match_pytx_d31_q50.csv as its lines and the hash-file names
// it covers.
func matchTable(t *testing.T) (lines []string, names []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sampleDir(t), "expected", "match_pytx_d31_q50.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if !seen[r[0]] {
			seen[r[0]] = true
			names = append(names, r[0])
		}
	}
	return strings.SplitAfter(string(b), "\n"), names
}

// formatMatchRow is a row of the pytx match table.
func formatMatchRow(query, target string, qp, cp float64) string {
	return fmt.Sprintf("%s,%s,%.4f,%.4f,%t\n", query, target, qp, cp, IsMatch(qp, cp, DefaultQueryThreshold, DefaultComparedThreshold))
}

// TestMatchTable reproduces the pytx match table byte for byte from the reference hash
// files, with Match and with a FrameIndex holding all sixteen videos.
func TestMatchTable(t *testing.T) {
	lines, names := matchTable(t)
	if len(names) != 16 || len(lines) != 1+256+1 {
		t.Fatalf("table of %d names, %d lines; want 16 and 258", len(names), len(lines))
	}
	hashes := map[string][]Frame{}
	idx := NewFrameIndex(DefaultQuality)
	for i, n := range names {
		hashes[n] = expectedFrames(t, n)
		idx.Add(int64(i), hashes[n])
	}
	want := strings.Join(lines, "")
	var got, fromIndex strings.Builder
	got.WriteString(lines[0])
	fromIndex.WriteString(lines[0])
	for _, q := range names {
		byVideo := map[int64]VideoMatch{}
		for _, m := range idx.Query(hashes[q], DefaultDistance) {
			byVideo[m.ID] = m
		}
		for j, c := range names {
			qp, cp := Match(hashes[q], hashes[c], DefaultDistance, DefaultQuality)
			got.WriteString(formatMatchRow(q, c, qp, cp))
			m := byVideo[int64(j)]
			fromIndex.WriteString(formatMatchRow(q, c, m.QueryPct, m.ComparedPct))
			if want := minDistance(hashes[q], hashes[c]); m.QueryMatched > 0 && m.MinDistance != want {
				t.Errorf("%s in %s: smallest distance %d, want %d", q, c, m.MinDistance, want)
			}
		}
	}
	if diff := cmp.Diff(want, got.String()); diff != "" {
		t.Errorf("Match table differs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, fromIndex.String()); diff != "" {
		t.Errorf("FrameIndex table differs (-want +got):\n%s", diff)
	}
}

// TestMatchRules checks each pytx rule on small lists: repeated hashes count once, low
// quality frames are left out, distance 31 matches and 32 does not, and an empty list
// scores 0.
func TestMatchRules(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b, c := randomHash(rng), randomHash(rng), randomHash(rng)
	frame := func(h pdq.Hash, q int) Frame { return Frame{Quality: q, Hash: h} }
	for _, tc := range []struct {
		name         string
		query, other []Frame
		wantQ, wantC float64
	}{
		{"identical", []Frame{frame(a, 100)}, []Frame{frame(a, 100)}, 100, 100},
		{"distance 31 matches", []Frame{frame(a, 100)}, []Frame{frame(flip(a, 31), 100)}, 100, 100},
		{"distance 32 does not", []Frame{frame(a, 100)}, []Frame{frame(flip(a, 32), 100)}, 0, 0},
		{"repeats count once", []Frame{frame(a, 100), frame(a, 100), frame(a, 100), frame(b, 100)}, []Frame{frame(a, 100)}, 50, 100},
		{"low quality left out", []Frame{frame(a, 100), frame(b, 49)}, []Frame{frame(a, 50), frame(c, 10)}, 100, 100},
		{"first of a repeat decides", []Frame{frame(a, 10), frame(a, 100), frame(b, 100)}, []Frame{frame(b, 100)}, 100, 100},
		{"empty", nil, []Frame{frame(a, 100)}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, c := Match(tc.query, tc.other, 31, 50)
			if q != tc.wantQ || c != tc.wantC {
				t.Errorf("Match = %v, %v; want %v, %v", q, c, tc.wantQ, tc.wantC)
			}
		})
	}
	if !IsMatch(0, 80, 0, 80) || IsMatch(100, 79.99, 0, 80) || IsMatch(49, 100, 50, 80) {
		t.Error("IsMatch thresholds are not inclusive lower bounds")
	}
}

// TestMatchLargeListsUseIndex: lists too long to compare pair by pair give the same
// percentages through the hash index as by brute force.
func TestMatchLargeListsUseIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	query := correlatedFrames(rng, 700, 20)
	compared := append(correlatedFrames(rng, 500, 20), query[:300]...)
	for i := range compared[500:] {
		compared[500+i].Hash = flip(compared[500+i].Hash, rng.IntN(40))
	}
	if len(query)*len(compared) <= bruteLimit {
		t.Fatal("lists too short to take the index path")
	}
	gotQ, gotC := Match(query, compared, 31, 50)
	q, c := Prepare(query, 50), Prepare(compared, 50)
	wantQ, wantC := percent(bruteCount(q, c, 31), len(q)), percent(bruteCount(c, q, 31), len(c))
	if gotQ != wantQ || gotC != wantC {
		t.Errorf("Match = %v, %v; brute force %v, %v", gotQ, gotC, wantQ, wantC)
	}
	if gotQ == 0 || gotQ == 100 {
		t.Errorf("query percentage %v: the test should match some frames, not all", gotQ)
	}
}

// TestFrameIndexEmptyVideos: videos with no frame of enough quality take no ids but
// do not shift the ids of the videos after them.
func TestFrameIndexEmptyVideos(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	a, b := randomHash(rng), randomHash(rng)
	idx := NewFrameIndex(50)
	idx.Add(10, nil)
	idx.Add(11, []Frame{{Quality: 0, Hash: a}})
	idx.Add(12, []Frame{{Quality: 100, Hash: a}})
	idx.Add(13, nil)
	idx.Add(14, []Frame{{Quality: 100, Hash: b}, {Quality: 100, Hash: a}})
	idx.Add(15, nil)
	got := idx.Query([]Frame{{Quality: 90, Hash: a}}, 31)
	want := []VideoMatch{
		{ID: 12, QueryMatched: 1, QueryFrames: 1, ComparedMatched: 1, ComparedFrames: 1, QueryPct: 100, ComparedPct: 100},
		{ID: 14, QueryMatched: 1, QueryFrames: 1, ComparedMatched: 1, ComparedFrames: 2, QueryPct: 100, ComparedPct: 50},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Query (-want +got):\n%s", diff)
	}
	if v, f := idx.Len(); v != 6 || f != 3 {
		t.Errorf("Len = %d videos, %d frames; want 6, 3", v, f)
	}
}

// minDistance is the smallest distance between two lists' prepared frames, by brute force.
func minDistance(a, b []Frame) int {
	best := 256
	for _, x := range Prepare(a, DefaultQuality) {
		for _, y := range Prepare(b, DefaultQuality) {
			best = min(best, pdq.Distance(&x.Hash, &y.Hash))
		}
	}
	return best
}

func bruteCount(a, b []Frame, d int) int {
	n := 0
	for i := range a {
		for j := range b {
			if pdq.Distance(&a[i].Hash, &b[j].Hash) <= d {
				n++
				break
			}
		}
	}
	return n
}

func randomHash(rng *rand.Rand) pdq.Hash {
	var h pdq.Hash
	for i := range h {
		h[i] = byte(rng.UintN(256))
	}
	return h
}

// flip returns h with its first n bits inverted.
func flip(h pdq.Hash, n int) pdq.Hash {
	for k := range n {
		h[k/8] ^= 1 << (k % 8)
	}
	return h
}

// correlatedFrames makes n frames in scenes of about sceneLen frames: within a scene
// each frame is its scene's hash with a few random bits changed, as consecutive frames
// of a video are.
func correlatedFrames(rng *rand.Rand, n, sceneLen int) []Frame {
	frames := make([]Frame, n)
	var scene pdq.Hash
	for i := range frames {
		if i%sceneLen == 0 {
			scene = randomHash(rng)
		}
		h := scene
		for range rng.IntN(12) {
			k := rng.IntN(256)
			h[k/8] ^= 1 << (k % 8)
		}
		frames[i] = Frame{Number: i, Quality: 50 + rng.IntN(51), Hash: h}
	}
	return frames
}
