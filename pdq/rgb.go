package pdq

import "fmt"

// FillRGB24 sets l's luminance from packed 8-bit RGB pixels, as the reference's
// fillFloatLumaFromRGB reads a video frame: l.H rows of l.W pixels, three bytes per pixel
// (red, green, blue), each row starting stride bytes after the previous one (stride is at
// least 3*l.W; a decoder may pad rows). It reuses l's memory, so one Luma can be filled
// and hashed frame after frame. It returns an error if stride is too small or buf too
// short for the rows.
func (l *Luma) FillRGB24(buf []byte, stride int) error {
	if stride < 3*l.W {
		return fmt.Errorf("rgb24 stride %d is below 3 x width %d", stride, l.W)
	}
	if l.H > 0 && len(buf) < (l.H-1)*stride+3*l.W {
		return fmt.Errorf("rgb24 buffer of %d bytes is too short for %dx%d with stride %d", len(buf), l.W, l.H, stride)
	}
	if len(l.Pix) != l.W*l.H {
		l.Pix = make([]float32, l.W*l.H)
	}
	for y := range l.H {
		src := buf[y*stride : y*stride+3*l.W]
		dst := l.Pix[y*l.W : (y+1)*l.W]
		for x := range dst {
			dst[x] = lumaOf(src[3*x], src[3*x+1], src[3*x+2])
		}
	}
	return nil
}
