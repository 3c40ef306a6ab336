package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os/exec"
	"strings"
	"time"

	"caseroom"
	"caseroom/blob"
	"caseroom/internal/scratch"
	"caseroom/pdq"
)

// The examiner's thumbnail: a seized file's content shown only as a small, blurred,
// greyscale picture, made on request and never stored.
//
// The content is read from the blob store, decoded (an image by pdq.Decode, which
// refuses anything above thumbMaxPixels before decoding and keeps only the luminance;
// a video's frame by ffmpeg), reduced by averaging to at most thumbMaxSide pixels on
// its long side, blurred by thumbBlurPasses passes of a box blur of radius
// thumbBlurRadius (three passes approach a Gaussian of sigma about 6.5 pixels: at 160
// pixels, shapes and tones remain, faces and text do not), rounded to 8-bit grey and
// encoded as PNG.

const (
	// thumbMaxSide is the longest side of a thumbnail, in pixels.
	thumbMaxSide = 160
	// thumbBlurRadius and thumbBlurPasses set the blur, at the thumbnail's size.
	thumbBlurRadius = 6
	thumbBlurPasses = 3
	// thumbMaxPixels is the largest image decoded for a thumbnail.
	thumbMaxPixels = pdq.DefaultMaxPixels
	// thumbMaxImageBytes is the largest image file read into memory for a thumbnail.
	thumbMaxImageBytes = 200 << 20
	// videoFrameTimeout bounds ffmpeg's work for one frame.
	videoFrameTimeout = 30 * time.Second
)

// thumbnailError says why no thumbnail could be made: Error is the sentence shown to
// the examiner; the cause, which may name the server's files, goes only to the log.
type thumbnailError struct {
	msg   string
	cause error
}

func (e *thumbnailError) Error() string { return e.msg }
func (e *thumbnailError) Unwrap() error { return e.cause }

func noThumbnail(cause error, format string, args ...any) error {
	return &thumbnailError{msg: fmt.Sprintf(format, args...), cause: cause}
}

// isPicture reports whether a file's type is one a thumbnail can be made of.
func isPicture(mime string) bool {
	return strings.HasPrefix(mime, "image/") || strings.HasPrefix(mime, "video/")
}

// mediaThumbnail makes the blurred greyscale PNG of a file's content. The error says,
// in words an examiner can read, why no thumbnail could be made.
func mediaThumbnail(ctx context.Context, blobs blob.Store, m *caseroom.Media) ([]byte, error) {
	if blobs == nil {
		return nil, noThumbnail(nil, "This server has no blob store: the content is not here.")
	}
	switch {
	case strings.HasPrefix(m.MIME, "image/"):
		if m.Size > thumbMaxImageBytes {
			return nil, noThumbnail(nil, "The image is larger than %d MB; no thumbnail is made of it.", thumbMaxImageBytes>>20)
		}
		data, err := readBlob(ctx, blobs, m.SHA256, thumbMaxImageBytes)
		if err != nil {
			return nil, err
		}
		l, _, err := pdq.Decode(data, thumbMaxPixels)
		if err != nil {
			return nil, noThumbnail(err, "The image could not be decoded: %v.", err)
		}
		return encodeThumbnail(blurredThumbnail(l))
	case strings.HasPrefix(m.MIME, "video/"):
		frame, err := videoFrame(ctx, blobs, m.SHA256, m.Meta.Duration)
		if err != nil {
			return nil, err
		}
		l, _, err := pdq.Decode(frame, thumbMaxPixels)
		if err != nil {
			return nil, noThumbnail(err, "The video's frame could not be decoded: %v.", err)
		}
		return encodeThumbnail(blurredThumbnail(l))
	}
	return nil, noThumbnail(nil, "The file is neither an image nor a video: there is no picture to show.")
}

// readBlob reads a whole blob of at most limit bytes.
func readBlob(ctx context.Context, blobs blob.Store, sum string, limit int64) ([]byte, error) {
	rc, err := blobs.Open(ctx, sum)
	if err != nil {
		return nil, noThumbnail(err, "The content could not be read from the blob store.")
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, noThumbnail(err, "The content could not be read from the blob store.")
	}
	if int64(len(data)) > limit {
		return nil, noThumbnail(nil, "The content is larger than %d MB; no thumbnail is made of it.", limit>>20)
	}
	return data, nil
}

// videoFormats are the demuxers ffmpeg may use on the copy: video containers and raw
// streams only, so that a file cannot make ffmpeg read a playlist or other files.
const videoFormats = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpeg,mpegts,mpegvideo,m4v,h261,h263,h264,hevc,vc1,asf,ogg,gif,ivf,nut,mxf,dv,rm,wtv,yuv4mpegpipe,mjpeg,obu,av1"

// videoFrame returns one frame of a video as a greyscale PNG of at most 640 pixels on
// its long side: at one second in, or at the middle of a video shorter than two
// seconds, or else the first frame. ffmpeg reads a scratch copy of the content (in
// memory where the system allows, see package scratch; released on return) through the
// file: protocol.
func videoFrame(ctx context.Context, blobs blob.Store, sum string, duration float64) ([]byte, error) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		return nil, noThumbnail(err, "ffmpeg is not installed on the server, so no frame of the video can be taken (Debian: apt-get install ffmpeg).")
	}
	rc, err := blobs.Open(ctx, sum)
	if err != nil {
		return nil, noThumbnail(err, "The content could not be read from the blob store.")
	}
	path, release, err := scratch.Copy(rc, "frame")
	rc.Close()
	if err != nil {
		return nil, noThumbnail(err, "The video could not be copied for ffmpeg.")
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, videoFrameTimeout)
	defer cancel()
	at := 1.0
	if duration > 0 && duration < 2 {
		at = duration / 2
	}
	var lastErr error
	for _, seek := range []float64{at, 0} {
		frame, err := ffmpegFrame(ctx, ffmpeg, path, seek)
		if err == nil && len(frame) > 0 {
			return frame, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	if lastErr == nil {
		lastErr = errors.New("ffmpeg found no frame")
	}
	return nil, noThumbnail(lastErr, "No frame could be taken from the video: ffmpeg could not read it.")
}

// ffmpegFrame runs ffmpeg for one frame at seek seconds, as a grey PNG on its output.
func ffmpegFrame(ctx context.Context, ffmpeg, path string, seek float64) ([]byte, error) {
	cmd := exec.CommandContext(ctx, ffmpeg,
		"-nostdin", "-hide_banner", "-v", "error",
		"-protocol_whitelist", "file",
		"-format_whitelist", videoFormats,
		"-ss", fmt.Sprintf("%.3f", seek),
		"-i", "file:"+path,
		"-map", "0:v:0", "-an", "-sn", "-dn",
		"-frames:v", "1",
		"-vf", "scale=w=640:h=640:force_original_aspect_ratio=decrease,format=gray",
		"-f", "image2pipe", "-c:v", "png", "pipe:1")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("ffmpeg took too long: %w", ctx.Err())
		}
		msg := strings.TrimSpace(strings.ReplaceAll(stderr.String(), "file:"+path+": ", ""))
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return nil, fmt.Errorf("ffmpeg: %v: %s", err, msg)
	}
	return out.Bytes(), nil
}

// blurredThumbnail reduces a luminance image to at most thumbMaxSide pixels on its
// long side by averaging, blurs it, and returns it as 8-bit grey.
func blurredThumbnail(l *pdq.Luma) *image.Gray {
	small := reduceLuma(l)
	tmp := make([]float32, len(small.Pix))
	for range thumbBlurPasses {
		boxBlur(tmp, small.Pix, small.W, small.H, thumbBlurRadius, 1, small.W) // along rows
		boxBlur(small.Pix, tmp, small.H, small.W, thumbBlurRadius, small.W, 1) // along columns
	}
	return greyOf(small)
}

// reduceLuma returns l reduced to at most thumbMaxSide pixels on its long side, the
// aspect kept: each pixel of the result is the mean of the pixels of l that fall in it.
func reduceLuma(l *pdq.Luma) *pdq.Luma {
	w, h := l.W, l.H
	tw, th := w, h
	if w > thumbMaxSide || h > thumbMaxSide {
		if w >= h {
			tw, th = thumbMaxSide, max(1, (h*thumbMaxSide+w/2)/w)
		} else {
			tw, th = max(1, (w*thumbMaxSide+h/2)/h), thumbMaxSide
		}
	}
	out := pdq.NewLuma(tw, th)
	count := make([]float32, tw*th)
	for y := 0; y < h; y++ {
		ty := y * th / h
		row := l.Pix[y*w : (y+1)*w]
		for x, v := range row {
			i := ty*tw + x*tw/w
			out.Pix[i] += v
			count[i]++
		}
	}
	for i := range out.Pix {
		if count[i] > 0 {
			out.Pix[i] /= count[i]
		}
	}
	return out
}

// greyOf rounds a luminance image to 8-bit grey.
func greyOf(l *pdq.Luma) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, l.W, l.H))
	for i, v := range l.Pix {
		g.Pix[i] = uint8(min(255, max(0, v+0.5)))
	}
	return g
}

// boxBlur writes to dst the mean of each pixel's 2r+1 neighbours along one direction
// of src, the image's edge pixels repeated beyond it. The image is lines lines of n
// pixels; step is the distance between neighbours in a line, next between lines.
func boxBlur(dst, src []float32, n, lines, r, step, next int) {
	at := func(base, i int) float32 { return src[base+min(max(i, 0), n-1)*step] }
	width := float32(2*r + 1)
	for line := range lines {
		base := line * next
		var acc float32
		for i := -r; i <= r; i++ {
			acc += at(base, i)
		}
		for i := range n {
			dst[base+i*step] = acc / width
			acc += at(base, i+r+1) - at(base, i-r)
		}
	}
}

// encodeThumbnail encodes a thumbnail as PNG.
func encodeThumbnail(g *image.Gray) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		return nil, noThumbnail(err, "The thumbnail could not be encoded.")
	}
	return buf.Bytes(), nil
}
