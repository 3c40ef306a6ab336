// Package mediainfo describes a file's content without showing it: its type
// detected from the bytes (not the name), image dimensions, the camera and
// capture time recorded in EXIF, and, through ffprobe, a video's duration,
// codec and creation time.
//
// Inspect works on the first HeadSize bytes of a file and never decodes
// pixels: it reads headers only, so it is cheap and safe to run on every
// upload. Probe runs the external ffprobe program and is meant only for
// video and audio.
package mediainfo

import (
	"bytes"
	"image"
	"io"
	"mime"
	"time"

	// Standard and extra image format decoders, registered with the image
	// package for image.DecodeConfig. Only headers are ever read.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"github.com/gabriel-vasile/mimetype"
)

// HeadSize is how many leading bytes of a file Inspect needs.
const HeadSize = 64 << 10

// Info is what is known of a file's content without showing it.
type Info struct {
	// MIME is the media type detected from the content by the mimetype
	// library, without parameters (so "text/plain", not
	// "text/plain; charset=utf-8"). Unknown content is
	// "application/octet-stream".
	MIME string `json:"mime"`
	// Extension is the detected type's usual file name extension with its
	// leading dot, such as ".jpg"; it is empty when the type has none.
	Extension string `json:"extension,omitempty"`
	// Width is the image or video width in pixels, as stored (before any
	// Orientation is applied); 0 when unknown.
	Width int `json:"width,omitempty"`
	// Height is the image or video height in pixels, as stored; 0 when
	// unknown.
	Height int `json:"height,omitempty"`
	// Camera is the EXIF Make and Model joined by a space and trimmed. When
	// the Model already begins with the Make (as in Make "Canon", Model
	// "Canon EOS 5D") the Make is not repeated.
	Camera string `json:"camera,omitempty"`
	// TakenAt is the EXIF DateTimeOriginal, or DateTime when that is absent.
	// EXIF records a wall-clock time with no time zone; it is reported as
	// recorded, in UTC, so 10:15 on the camera's clock is 10:15 UTC here
	// whatever zone the camera was in.
	TakenAt *time.Time `json:"takenAt,omitempty"`
	// Orientation is the EXIF Orientation, 1 to 8 (1 is upright, 6 means the
	// stored image must be turned 90° clockwise to display upright). It is
	// reported, never applied; 0 when absent or out of range.
	Orientation int `json:"orientation,omitempty"`
	// Duration is the length of a video or audio file in seconds, from
	// ffprobe.
	Duration float64 `json:"duration,omitempty"`
	// Codec is the codec name of the first video stream, from ffprobe, such
	// as "h264". Cover art in audio files is not counted as video.
	Codec string `json:"codec,omitempty"`
	// CreatedAt is the container's creation_time tag, from ffprobe, in UTC.
	CreatedAt *time.Time `json:"createdAt,omitempty"`
}

// Inspect describes content from its first bytes (head: up to HeadSize
// bytes; it may be shorter for a short file, and bytes past HeadSize are
// ignored so the answer does not depend on how much the caller read). It
// never returns an error for content it cannot parse: unknown or damaged
// content yields what could be found, and always at least MIME.
//
// Width and Height come from the image header when it lies within the head;
// a JPEG whose frame header follows an EXIF segment too large to fit keeps
// them 0. Camera, TakenAt and Orientation come from the EXIF in a JPEG's
// APP1 segment or in a TIFF file's own directories.
func Inspect(head []byte) Info {
	if len(head) > HeadSize {
		head = head[:HeadSize]
	}
	m := mimetype.Detect(head)
	info := Info{MIME: bareMediaType(m.String()), Extension: m.Extension()}

	if cfg, _, err := image.DecodeConfig(newPeekReader(head)); err == nil && cfg.Width > 0 && cfg.Height > 0 {
		info.Width, info.Height = cfg.Width, cfg.Height
	}

	if x, ok := findEXIF(head); ok {
		info.Camera = x.camera()
		info.TakenAt = x.takenAt()
		if x.orientation >= 1 && x.orientation <= 8 {
			info.Orientation = x.orientation
		}
	}
	return info
}

// bareMediaType drops parameters such as "; charset=utf-8" from a media
// type, keeping the type as given if it does not parse.
func bareMediaType(s string) string {
	if t, _, err := mime.ParseMediaType(s); err == nil {
		return t
	}
	return s
}

// peekReader reads a byte slice with the Peek method that image.DecodeConfig
// looks for. Without it, DecodeConfig wraps its input in a bufio.Reader,
// hiding the io.ReaderAt that the TIFF decoder uses; the TIFF decoder then
// buffers the stream itself and grows that buffer by up to 10 MB whenever a
// damaged file gives an offset far past its end.
type peekReader struct {
	*bytes.Reader
	b []byte
}

// newPeekReader returns a peekReader over b.
func newPeekReader(b []byte) peekReader {
	return peekReader{bytes.NewReader(b), b}
}

// Peek returns the next n bytes without consuming them, or fewer and
// io.EOF at the end of the data.
func (r peekReader) Peek(n int) ([]byte, error) {
	rest := r.b[r.Size()-int64(r.Len()):]
	if n > len(rest) {
		return rest, io.EOF
	}
	return rest[:n], nil
}
