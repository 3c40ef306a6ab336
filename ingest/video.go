package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"caseroom"
	"caseroom/internal/scratch"
	"caseroom/vpdq"
)

// videoSecondsPerHash is how far apart the frames hashed of a video are: one a second,
// the vPDQ default.
const videoSecondsPerHash = 1

// videoTimeout bounds the hashing of one video: a base, plus ten seconds per minute of
// video (hashing runs at some 20 to 40 times real time).
func videoTimeout(duration float64) time.Duration {
	return 5*time.Minute + time.Duration(duration/6*float64(time.Second))
}

// videoHash computes a new video content's vPDQ hash with ffmpeg, at most one video
// per core at once (ffmpeg decodes a video with about one and a half cores; two at once
// on two cores ingest a third faster than one, see bench/README.md). A video that
// cannot be hashed is recorded without one, with a warning saying why; a damaged video
// keeps the frames that decoded.
func (r *run) videoHash(path, local string, duration float64) *caseroom.VideoHash {
	select {
	case r.video <- struct{}{}:
		defer func() { <-r.video }()
	case <-r.ctx.Done():
		return nil
	}
	ctx, cancel := context.WithTimeout(r.ctx, videoTimeout(duration))
	defer cancel()
	res, err := vpdq.HashFile(ctx, local, vpdq.Options{SecondsPerHash: videoSecondsPerHash})
	switch {
	case err == nil:
	case errors.Is(err, vpdq.ErrDamaged) && len(res.Frames) > 0:
		r.warn(path, fmt.Errorf("video hash of the %d frames that decoded: %w", len(res.Frames), err))
	default:
		r.warn(path, fmt.Errorf("no video hash: %w", err))
		return nil
	}
	v := &caseroom.VideoHash{SecondsPerHash: videoSecondsPerHash, FrameRate: res.FrameRate, Frames: make([]caseroom.VideoFrame, len(res.Frames))}
	for i, f := range res.Frames {
		v.Frames[i] = caseroom.VideoFrame{Number: f.Number, Quality: f.Quality, PDQ: f.Hash.String(), Timestamp: f.Timestamp}
	}
	return v
}

// spool copies a stored content to a scratch file (in memory where the system allows,
// see package scratch), for the tools that need a file (ffprobe, ffmpeg), and returns
// its path and a func that releases it.
func (r *run) spool(sum string) (string, func(), error) {
	rc, err := r.blobs.Open(r.ctx, sum)
	if err != nil {
		return "", nil, err
	}
	defer rc.Close()
	return scratch.Copy(rc, "video")
}
