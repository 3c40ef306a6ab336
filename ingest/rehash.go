package ingest

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"caseroom"
	"caseroom/blob"
	"caseroom/internal/scratch"
)

// Repairer is what Rehash needs of the store; *sqlstore.DB has it.
type Repairer interface {
	UnhashedContents(ctx context.Context) ([]caseroom.NewMedia, error)
	RecordContentHashes(ctx context.Context, c caseroom.NewMedia) (bool, error)
}

// RehashSummary is what a repair did.
type RehashSummary struct {
	Contents int64 `json:"contents"` // image and video contents held without their perceptual hash
	Hashed   int64 `json:"hashed"`   // of those, hashed now (and matched)
	// Failed are contents that could not be read back or recorded; Warnings those read
	// but not hashed (damaged, or a format the hashers do not read). Each is named
	// "sha256:HEX".
	Failed   []FileError `json:"failed"`
	Warnings []FileError `json:"warnings"`
}

// Rehash gives every image content held without a PDQ hash, and every video content
// without a vPDQ hash, its hash, read back from the blob store, and records it with
// what it matches (known sets and the other contents). It heals stores in which copies
// of a content met in one run kept the content from being hashed. opts.Workers
// contents are hashed at once; videos need ffmpeg (opts.Probe is implied).
func Rehash(ctx context.Context, store Repairer, blobs blob.Store, opts Options) (*RehashSummary, error) {
	todo, err := store.UnhashedContents(ctx)
	if err != nil {
		return nil, err
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &run{ctx: ctx, cancel: cancel, blobs: blobs, opts: opts, bigImage: make(chan struct{}, 1),
		video: make(chan struct{}, max(1, min(opts.Workers, runtime.NumCPU())))}
	sum := &RehashSummary{Contents: int64(len(todo))}
	var mu sync.Mutex
	var firstErr error
	work := make(chan caseroom.NewMedia)
	var workers sync.WaitGroup
	for range opts.Workers {
		workers.Go(func() {
			for c := range work {
				hashed, err := r.rehashOne(store, c)
				mu.Lock()
				switch {
				case err != nil && firstErr == nil && ctx.Err() == nil:
					firstErr = err
					cancel()
				case hashed:
					sum.Hashed++
				}
				mu.Unlock()
			}
		})
	}
	for _, c := range todo {
		select {
		case work <- c:
		case <-ctx.Done():
		}
	}
	close(work)
	workers.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sum.Failed, sum.Warnings = append([]FileError{}, r.failed...), append([]FileError{}, r.warnings...)
	return sum, nil
}

// rehashOne hashes one content read back from the blob store and records its hash. A
// content that cannot be read or hashed is reported (failed, warned); an error is
// returned only when the store cannot record.
func (r *run) rehashOne(store Repairer, c caseroom.NewMedia) (bool, error) {
	name := "sha256:" + c.SHA256
	c.Path = name
	switch {
	case strings.HasPrefix(c.MIME, "image/"):
		rc, err := r.blobs.Open(r.ctx, c.SHA256)
		if err != nil {
			r.fail(name, fmt.Errorf("cannot read the stored content: %w", err))
			return false, nil
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxImageRead))
		rc.Close()
		if err != nil {
			r.fail(name, fmt.Errorf("cannot read the stored content: %w", err))
			return false, nil
		}
		if c.Image = r.imageHash(Source{Path: name}, c, data); c.Image == nil {
			return false, nil // warned
		}
	case strings.HasPrefix(c.MIME, "video/"):
		rc, err := r.blobs.Open(r.ctx, c.SHA256)
		if err != nil {
			r.fail(name, fmt.Errorf("cannot read the stored content: %w", err))
			return false, nil
		}
		local, remove, err := scratch.Copy(rc, "video")
		rc.Close()
		if err != nil {
			r.fail(name, fmt.Errorf("cannot copy the video for ffmpeg: %w", err))
			return false, nil
		}
		defer remove()
		if c.Video = r.videoHash(name, local, c.Meta.Duration); c.Video == nil {
			return false, nil // warned
		}
	default:
		return false, nil
	}
	recorded, err := store.RecordContentHashes(r.ctx, c)
	if err != nil {
		return false, fmt.Errorf("record the hash of %s: %w", name, err)
	}
	return recorded, nil
}
