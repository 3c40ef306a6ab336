package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"caseroom"
	"caseroom/pdq"
	"caseroom/vpdq"
)

// Video contents are matched as bags of frames (vPDQ, the python-threatexchange
// rules): each video's distinct frame hashes of quality MinMatchQuality or more are
// compared with the other's at distance MatchRadius or less, and the share of each
// video's frames found in the other is its percentage. Two videos are recorded as a
// match when either percentage reaches VideoMatchPercent: a copy (both high) or a clip
// cut from the other (high one way).

// maxVideoFrames bounds the frames of one video hash: a frame a second of a 24-hour
// recording is 86,400.
const maxVideoFrames = 1_000_000

// frameIndex is the in-memory index over the frames of every video content the store
// holds (a vpdq.FrameIndex, each video known by its position in videos), brought up to
// date before each batch like pdqIndex.
type frameIndex struct {
	mu     sync.Mutex // guards videos and mark, and makes refreshes one at a time
	idx    *vpdq.FrameIndex
	videos []string // SHA-256 of each indexed video, by its id in idx
	mark   int64
}

// matchable returns a video's frames that take part in matching (vpdq.Prepare: each
// distinct hash once, quality MinMatchQuality or more): their hashes, and the number of
// each one's frame.
func matchable(frames []vpdq.Frame) ([]pdq.Hash, []int) {
	prepared := vpdq.Prepare(frames, caseroom.MinMatchQuality)
	hashes, numbers := make([]pdq.Hash, len(prepared)), make([]int, len(prepared))
	for i, f := range prepared {
		hashes[i], numbers[i] = f.Hash, f.Number
	}
	return hashes, numbers
}

// vpdqFrames converts a checked video hash's frames (see validVideoHash).
func vpdqFrames(frames []caseroom.VideoFrame) ([]vpdq.Frame, error) {
	out := make([]vpdq.Frame, len(frames))
	for i, f := range frames {
		h, err := pdq.ParseHash(f.PDQ)
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", f.Number, err)
		}
		out[i] = vpdq.Frame{Number: f.Number, Quality: f.Quality, Hash: h, Timestamp: f.Timestamp}
	}
	return out, nil
}

// formatFrames writes frames as stored: the reference text format, one
// "frame,quality,hex,timestamp" line each.
func formatFrames(frames []vpdq.Frame) string {
	var b strings.Builder
	b.Grow(len(frames) * 80)
	vpdq.WriteFrames(&b, frames) // a strings.Builder does not fail
	return b.String()
}

// parseFrames reads frames stored by formatFrames.
func parseFrames(s string) ([]vpdq.Frame, error) {
	frames, err := vpdq.ReadFrames(strings.NewReader(s))
	if err != nil {
		return nil, fmt.Errorf("stored video frames: %w", err)
	}
	return frames, nil
}

// eachVideo calls fn for each stored video hash that cond selects (a WHERE clause over
// content_vpdq, or "" for all), in the order recorded, with its frames and its audit
// entry.
func eachVideo(ctx context.Context, q querier, cond string, args []any, fn func(sum string, frames []vpdq.Frame, entry int64) error) error {
	query := `SELECT sha256, frames, entry FROM content_vpdq`
	if cond != "" {
		query += ` WHERE ` + cond
	}
	return scanEach(ctx, q, query+` ORDER BY entry`, args, func(scan func(...any) error) error {
		var sum, text string
		var entry int64
		if err := scan(&sum, &text, &entry); err != nil {
			return err
		}
		frames, err := parseFrames(text)
		if err != nil {
			return fmt.Errorf("video %s: %w", sum, err)
		}
		return fn(sum, frames, entry)
	})
}

// validVideoHash checks a video hash given with a new content: nil, or frames with
// valid numbers, qualities, hashes and times.
func validVideoHash(v *caseroom.VideoHash) error {
	if v == nil {
		return nil
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case !finite(v.SecondsPerHash) || v.SecondsPerHash < 0:
		return fmt.Errorf("secondsPerHash %v is not 0 (every frame) or more", v.SecondsPerHash)
	case !finite(v.FrameRate) || v.FrameRate <= 0:
		return fmt.Errorf("frameRate %v is not a positive number", v.FrameRate)
	case len(v.Frames) > maxVideoFrames:
		return fmt.Errorf("%d frames: at most %d", len(v.Frames), maxVideoFrames)
	}
	last := -1
	for i, f := range v.Frames {
		switch {
		case f.Number <= last:
			return fmt.Errorf("frames[%d]: frame %d does not follow frame %d", i, f.Number, last)
		case f.Quality < 0 || f.Quality > 100:
			return fmt.Errorf("frames[%d]: quality %d is not 0 to 100", i, f.Quality)
		case !lowerHex(f.PDQ, 64):
			return fmt.Errorf("frames[%d]: pdq %q is not 64 lower-case hex characters", i, f.PDQ)
		case !finite(f.Timestamp) || f.Timestamp < 0:
			return fmt.Errorf("frames[%d]: timestamp %v is not 0 or more", i, f.Timestamp)
		}
		last = f.Number
	}
	return nil
}

// refresh adds the videos committed since the last refresh (see pdqIndex.refresh).
func (x *frameIndex) refresh(ctx context.Context, q querier) (int64, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	type video struct {
		sum    string
		frames []vpdq.Frame
	}
	var added []video
	newMark := x.mark
	err := eachVideo(ctx, q, `entry > ?`, []any{x.mark}, func(sum string, frames []vpdq.Frame, entry int64) error {
		added = append(added, video{sum, frames})
		newMark = max(newMark, entry)
		return nil
	})
	if err != nil {
		return x.mark, err
	}
	if x.idx == nil {
		x.idx = vpdq.NewFrameIndex(caseroom.MinMatchQuality)
	}
	for _, v := range added {
		x.idx.Add(int64(len(x.videos)), v.frames)
		x.videos = append(x.videos, v.sum)
	}
	x.mark = newMark
	return x.mark, nil
}

// query matches a video's frames against the indexed videos, by their SHA-256.
func (x *frameIndex) query(frames []vpdq.Frame) map[string]vpdq.VideoMatch {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := map[string]vpdq.VideoMatch{}
	if x.idx != nil {
		for _, m := range x.idx.Query(frames, caseroom.MatchRadius) {
			out[x.videos[m.ID]] = m
		}
	}
	return out
}

// percent is n of total as a percentage with 4 decimals, as stored.
func percent(n, total int) string {
	if total == 0 {
		return "0.0000"
	}
	return strconv.FormatFloat(float64(n)*100/float64(total), 'f', 4, 64)
}

// recordVideoMatches records a new video content's vPDQ hash, and what it matches:
// other videos held (frames compared both ways), and known-set entries whose PDQ hash
// is within MatchRadius of one of its frames. mark is the frame index's, pdqMark the
// PDQ index's (rows added since are compared directly, as in matchesPDQ).
func (tx *Tx) recordVideoMatches(seq int64, state map[string][]map[string]any, f caseroom.NewMedia, mark, pdqMark int64) error {
	v := f.Video
	frames, err := vpdqFrames(v.Frames)
	if err != nil {
		return err
	}
	text := formatFrames(frames)
	sph, rate := strconv.FormatFloat(v.SecondsPerHash, 'f', -1, 64), strconv.FormatFloat(v.FrameRate, 'f', -1, 64)
	if err := tx.exec(`INSERT INTO content_vpdq (sha256, seconds_per_hash, frame_rate, frame_count, frames, entry) VALUES (?, ?, ?, ?, ?, ?)`,
		f.SHA256, sph, rate, len(v.Frames), text, seq); err != nil {
		return fmt.Errorf("insert content_vpdq: %w", err)
	}
	state["content_vpdq"] = []map[string]any{{"sha256": f.SHA256, "seconds_per_hash": sph, "frame_rate": rate,
		"frame_count": int64(len(v.Frames)), "frames": text, "entry": seq}}
	hashes, numbers := matchable(frames)
	if len(hashes) == 0 {
		return nil
	}

	// Other videos: the index holds those committed up to mark; the rows added since
	// (committed since, or earlier in this transaction) go into an index of their own.
	// A video in both (indexed by a later refresh) is the same match either way.
	matched := tx.db.frames.query(frames)
	recent, recentSums := vpdq.NewFrameIndex(caseroom.MinMatchQuality), []string{}
	err = eachVideo(tx.ctx, tx, `entry > ? AND sha256 <> ?`, []any{mark, f.SHA256}, func(sum string, others []vpdq.Frame, _ int64) error {
		recent.Add(int64(len(recentSums)), others)
		recentSums = append(recentSums, sum)
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range recent.Query(frames, caseroom.MatchRadius) {
		matched[recentSums[m.ID]] = m
	}
	for _, other := range slices.Sorted(maps.Keys(matched)) {
		m := matched[other]
		if other == f.SHA256 || m.QueryMatched*100 < caseroom.VideoMatchPercent*m.QueryFrames && m.ComparedMatched*100 < caseroom.VideoMatchPercent*m.ComparedFrames {
			continue
		}
		id, err := tx.insertMatch(seq, state, f.SHA256, "content", other, "vpdq", m.MinDistance, "")
		if err != nil {
			return err
		}
		if err := tx.insertVideoMatch(seq, state, id, percent(m.QueryMatched, m.QueryFrames), percent(m.ComparedMatched, m.ComparedFrames), nil); err != nil {
			return err
		}
	}

	// Known-set entries matched by a frame: each once, by its closest frame.
	cands, err := tx.matchesPDQ(f.SHA256, hashes, pdqMark)
	if err != nil {
		return err
	}
	slices.SortFunc(cands, func(a, b pdqCandidate) int {
		return cmp.Or(cmp.Compare(a.distance, b.distance), cmp.Compare(a.ref.key, b.ref.key))
	})
	for _, c := range cands {
		if !c.ref.known {
			continue
		}
		id, err := tx.insertMatch(seq, state, f.SHA256, "known", c.ref.key, "vpdq", c.distance, "")
		if err != nil {
			return err
		}
		frame := int64(numbers[c.orientation])
		if err := tx.insertVideoMatch(seq, state, id, "", "", &frame); err != nil {
			return err
		}
	}
	return nil
}

// insertVideoMatch records the details of a vPDQ match: the percentages of a match
// between videos ("" for none), or the frame that matched a known entry.
func (tx *Tx) insertVideoMatch(seq int64, state map[string][]map[string]any, matchID string, thisPct, otherPct string, frame *int64) error {
	var this, other, fr any
	if thisPct != "" {
		this, other = thisPct, otherPct
	}
	if frame != nil {
		fr = *frame
	}
	if err := tx.exec(`INSERT INTO video_matches (match_id, this_pct, other_pct, frame, entry) VALUES (?, ?, ?, ?, ?)`,
		matchID, this, other, fr, seq); err != nil {
		return fmt.Errorf("insert video match: %w", err)
	}
	state["video_matches"] = append(state["video_matches"], map[string]any{"match_id": matchID, "this_pct": this,
		"other_pct": other, "frame": fr, "entry": seq})
	return nil
}
