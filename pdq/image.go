package pdq

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for Decode
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"caseroom/mediainfo"
)

// DefaultMaxPixels is the largest image Decode accepts unless told otherwise: 50
// megapixels, above any camera the team meets and far below what a decompression bomb
// claims. Hashing needs about 12 bytes per pixel at its peak.
const DefaultMaxPixels = 50_000_000

// Info describes a decoded image.
type Info struct {
	Format        string // "jpeg", "png", "gif", "bmp", "tiff" or "webp"
	Width, Height int    // as stored
	// Orientation is the EXIF orientation (1 to 8, 0 when absent). It is reported, not
	// applied: the hash is of the stored pixels.
	Orientation int
}

// Decode decodes a JPEG, PNG, GIF (first frame), BMP, TIFF or WebP image and returns its
// luminance. It refuses an image above maxPixels (DefaultMaxPixels when 0) before
// decoding it, and turns a decoder's panic on hostile input into an error.
func Decode(data []byte, maxPixels int) (l *Luma, info Info, err error) {
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if errors.Is(err, image.ErrFormat) {
		return nil, info, errors.New("not an image in a format PDQ reads (JPEG, PNG, GIF, BMP, TIFF, WebP)")
	}
	if err != nil {
		return nil, info, fmt.Errorf("damaged image header: %w", err)
	}
	info = Info{Format: format, Width: cfg.Width, Height: cfg.Height}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, info, fmt.Errorf("%s image has no pixels (%dx%d)", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return nil, info, fmt.Errorf("%s image of %dx%d is above the limit of %d pixels", format, cfg.Width, cfg.Height, maxPixels)
	}
	defer func() {
		if p := recover(); p != nil {
			l, err = nil, fmt.Errorf("%s decoder failed on damaged input: %v", format, p)
		}
	}()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, info, fmt.Errorf("damaged %s image: %w", format, err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, info, fmt.Errorf("%s image decodes to %dx%d, its header says %dx%d", format, b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	info.Orientation = mediainfo.Inspect(data).Orientation
	return FromImage(img), info, nil
}

// FromImage computes the luminance of an image's stored pixels the way the test vectors
// were made: grey images (*image.Gray) use the grey byte itself; every other image is
// turned into 8-bit R, G, B (YCbCr and CMYK with the standard library's conversions,
// the rest through non-premultiplied NRGBA, alpha dropped) and weighted 0.299, 0.587,
// 0.114 in float32.
func FromImage(img image.Image) *Luma {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	l := NewLuma(w, h)
	switch m := img.(type) {
	case *image.Gray:
		for y := range h {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:w]
			dst := l.Pix[y*w:][:w]
			for x, v := range src {
				dst[x] = float32(v)
			}
		}
	case *image.YCbCr:
		for y := range h {
			dst := l.Pix[y*w:][:w]
			for x := range dst {
				px, py := b.Min.X+x, b.Min.Y+y
				ci := m.COffset(px, py)
				r, g, bb := color.YCbCrToRGB(m.Y[m.YOffset(px, py)], m.Cb[ci], m.Cr[ci])
				dst[x] = lumaOf(r, g, bb)
			}
		}
	case *image.NRGBA:
		for y := range h {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:4*w]
			dst := l.Pix[y*w:][:w]
			for x := range dst {
				dst[x] = lumaOf(src[4*x], src[4*x+1], src[4*x+2])
			}
		}
	case *image.RGBA:
		for y := range h {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:4*w]
			dst := l.Pix[y*w:][:w]
			for x := range dst {
				p := src[4*x : 4*x+4]
				if p[3] == 0xff {
					dst[x] = lumaOf(p[0], p[1], p[2])
				} else {
					dst[x] = nrgbaLuma(color.RGBA{p[0], p[1], p[2], p[3]})
				}
			}
		}
	case *image.CMYK:
		for y := range h {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:4*w]
			dst := l.Pix[y*w:][:w]
			for x := range dst {
				dst[x] = lumaOf(color.CMYKToRGB(src[4*x], src[4*x+1], src[4*x+2], src[4*x+3]))
			}
		}
	case *image.Paletted:
		pal := make([]float32, 256)
		for i, c := range m.Palette {
			pal[i] = nrgbaLuma(c)
		}
		for y := range h {
			src := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:w]
			dst := l.Pix[y*w:][:w]
			for x, v := range src {
				dst[x] = pal[v]
			}
		}
	default:
		for y := range h {
			dst := l.Pix[y*w:][:w]
			for x := range dst {
				dst[x] = nrgbaLuma(img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
	}
	return l
}

func nrgbaLuma(c color.Color) float32 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return lumaOf(n.R, n.G, n.B)
}

// Squash512 returns l squashed to 512x512 by nearest neighbour when it is wider or
// taller than 512, as the reference command-line hasher does before hashing (CImg's
// resize: output x takes input x*W/512, rounded down; the aspect ratio is not kept). A
// smaller image is returned as it is.
func (l *Luma) Squash512() *Luma {
	const n = 512
	if l.W <= n && l.H <= n {
		return l
	}
	out := NewLuma(n, n)
	cols := make([]int, n)
	for x := range cols {
		cols[x] = x * l.W / n
	}
	for y := range n {
		src := l.Pix[(y*l.H/n)*l.W:][:l.W]
		dst := out.Pix[y*n:][:n]
		for x, sx := range cols {
			dst[x] = src[sx]
		}
	}
	return out
}
