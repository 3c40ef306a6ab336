package ingest

import (
	"fmt"
	"io"

	"caseroom"
	"caseroom/pdq"
)

// bigImage is the number of pixels above which an image is hashed by one worker at a
// time: decoding and blurring take about 12 bytes per pixel at the peak.
const bigImage = 12_000_000

// maxImageRead bounds the bytes read back from a file too large to have been read whole
// to hash it as an image.
const maxImageRead = 256 << 20

// imageHash computes a new image content's perceptual hash from data (the file read
// whole), or by reading the file again when it was streamed. An image that cannot be
// decoded is recorded without one, with a warning.
func (r *run) imageHash(src Source, m caseroom.NewMedia, data []byte) *caseroom.ImageHash {
	if int64(m.Meta.Width)*int64(m.Meta.Height) > bigImage {
		select {
		case r.bigImage <- struct{}{}:
			defer func() { <-r.bigImage }()
		case <-r.ctx.Done():
			return nil
		}
	}
	if data == nil {
		rc, err := src.Open()
		if err != nil {
			r.warn(m.Path, fmt.Errorf("no perceptual hash: cannot open again: %w", err))
			return nil
		}
		data, err = io.ReadAll(io.LimitReader(rc, maxImageRead))
		rc.Close()
		if err != nil {
			r.warn(m.Path, fmt.Errorf("no perceptual hash: %w", err))
			return nil
		}
	}
	l, _, err := pdq.Decode(data, pdq.DefaultMaxPixels)
	if err != nil {
		r.warn(m.Path, fmt.Errorf("no perceptual hash: %w", err))
		return nil
	}
	h, quality, forms := l.Hashes()
	im := &caseroom.ImageHash{PDQ: h.String(), Quality: quality}
	for i, f := range forms {
		im.Dihedral[i] = f.String()
	}
	return im
}
