package pdq

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// TestFillRGB24MatchesFromImage: a padded RGB24 buffer gives the same luminance, and so
// the same hash, as the same pixels as an image; a short buffer or stride is refused.
func TestFillRGB24MatchesFromImage(t *testing.T) {
	const w, h, stride = 37, 23, 3*37 + 5
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, stride*h)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			r, g, b := uint8(rng.UintN(256)), uint8(rng.UintN(256)), uint8(rng.UintN(256))
			copy(buf[y*stride+3*x:], []byte{r, g, b})
			img.SetNRGBA(x, y, color.NRGBA{r, g, b, 255})
		}
		buf[y*stride+3*w] = 0xff // padding must be ignored
	}
	want := FromImage(img)
	l := NewLuma(w, h)
	if err := l.FillRGB24(buf, stride); err != nil {
		t.Fatal(err)
	}
	for i := range want.Pix {
		if l.Pix[i] != want.Pix[i] {
			t.Fatalf("pixel %d: %v, want %v", i, l.Pix[i], want.Pix[i])
		}
	}
	gotHash, gotQ := l.Hash()
	wantHash, wantQ := want.Hash()
	if gotHash != wantHash || gotQ != wantQ {
		t.Errorf("hash %s,%d, want %s,%d", gotHash, gotQ, wantHash, wantQ)
	}
	if err := l.FillRGB24(buf, 3*w-1); err == nil {
		t.Error("stride below 3*width accepted")
	}
	if err := l.FillRGB24(buf[:len(buf)-stride], stride); err == nil {
		t.Error("short buffer accepted")
	}
}
