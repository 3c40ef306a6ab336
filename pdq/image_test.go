package pdq

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// smoothImage is a benign synthetic RGB picture: smooth colour gradients.
func smoothImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(128 + 100*math.Sin(float64(x)/17)),
				G: uint8(128 + 100*math.Cos(float64(y)/13)),
				B: uint8(128 + 100*math.Sin(float64(x+y)/29)),
				A: 255,
			})
		}
	}
	return img
}

func mustHash(t *testing.T, data []byte) (Hash, int, Info) {
	t.Helper()
	l, info, err := Decode(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	h, q := l.Hash()
	return h, q, info
}

// TestFormatsAgree: the same pixels stored as PNG, GIF, BMP, TIFF and lossless WebP
// (made by ffmpeg, when it is installed) hash the same.
func TestFormatsAgree(t *testing.T) {
	rgb := smoothImage(200, 150)
	pal := image.NewPaletted(rgb.Bounds(), nil)
	for i := range 256 {
		pal.Palette = append(pal.Palette, color.NRGBA{uint8(i), uint8(255 - i), uint8(i / 2), 255})
	}
	for y := range 150 {
		for x := range 200 {
			pal.SetColorIndex(x, y, uint8((x*7+y*3)%256))
		}
	}
	encode := func(img image.Image, enc func(*bytes.Buffer, image.Image) error) []byte {
		var b bytes.Buffer
		if err := enc(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	pngEnc := func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) }
	for name, tc := range map[string]struct {
		img  image.Image
		encs map[string]func(*bytes.Buffer, image.Image) error
	}{
		"rgb": {rgb, map[string]func(*bytes.Buffer, image.Image) error{
			"bmp":  func(b *bytes.Buffer, m image.Image) error { return bmp.Encode(b, m) },
			"tiff": func(b *bytes.Buffer, m image.Image) error { return tiff.Encode(b, m, nil) },
		}},
		"paletted": {pal, map[string]func(*bytes.Buffer, image.Image) error{
			"gif":  func(b *bytes.Buffer, m image.Image) error { return gif.Encode(b, m, nil) },
			"bmp":  func(b *bytes.Buffer, m image.Image) error { return bmp.Encode(b, m) },
			"tiff": func(b *bytes.Buffer, m image.Image) error { return tiff.Encode(b, m, nil) },
		}},
	} {
		want, wq, _ := mustHash(t, encode(tc.img, pngEnc))
		if wq < 50 {
			t.Fatalf("%s: quality %d of the synthetic picture is too low to mean anything", name, wq)
		}
		for format, enc := range tc.encs {
			got, q, info := mustHash(t, encode(tc.img, enc))
			if got != want || q != wq || info.Format != format {
				t.Errorf("%s as %s: %s,%d (%s), want %s,%d as PNG", name, format, got, q, info.Format, want, wq)
			}
		}
	}

	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Log("ffmpeg is not installed: WebP not checked")
		return
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "in.png")
	if err := os.WriteFile(src, encode(rgb, pngEnc), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "out.webp")
	if out, err := exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-i", src, "-c:v", "libwebp", "-lossless", "1", dst).CombinedOutput(); err != nil {
		t.Skipf("ffmpeg cannot write lossless WebP here: %v %s", err, out)
	}
	data, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := mustHash(t, encode(rgb, pngEnc))
	if got, _, info := mustHash(t, data); got != want || info.Format != "webp" {
		t.Errorf("lossless WebP: %s (%s), want %s", got, info.Format, want)
	}
}

// TestPremultipliedAlpha: alpha alone changes nothing, and the fast path for a
// premultiplied *image.RGBA with translucent pixels gives what the generic NRGBA
// conversion gives.
func TestPremultipliedAlpha(t *testing.T) {
	n := smoothImage(120, 90)
	opaque := FromImage(n)
	for i := 3; i < len(n.Pix); i += 4 {
		n.Pix[i] = uint8(i / 4 % 256)
	}
	withAlpha := FromImage(n)
	if h1, _ := opaque.Hash(); func() bool { h2, _ := withAlpha.Hash(); return h1 != h2 }() {
		t.Error("alpha changed the hash")
	}
	rgba := image.NewRGBA(n.Bounds())
	for y := range 90 {
		for x := range 120 {
			rgba.Set(x, y, n.At(x, y))
		}
	}
	a, b := FromImage(rgba), FromImage(nrgbaView{rgba})
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			t.Fatalf("pixel %d: RGBA path %g, generic path %g", i, a.Pix[i], b.Pix[i])
		}
	}
}

// nrgbaView hides an image's concrete type so FromImage takes its generic path.
type nrgbaView struct{ image.Image }

// TestDecodeRefuses: bad input gets an error that says what was wrong.
func TestDecodeRefuses(t *testing.T) {
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, smoothImage(300, 200), nil); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		data      []byte
		maxPixels int
		want      string
	}{
		"empty":        {nil, 0, "not an image in a format PDQ reads"},
		"text":         {[]byte("hello"), 0, "not an image in a format PDQ reads"},
		"truncated":    {jpg.Bytes()[:jpg.Len()*2/3], 0, "damaged jpeg image"},
		"header only":  {jpg.Bytes()[:20], 0, "damaged image header"},
		"over a limit": {jpg.Bytes(), 300*200 - 1, "jpeg image of 300x200 is above the limit of 59999 pixels"},
	} {
		_, _, err := Decode(tc.data, tc.maxPixels)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, tc.want)
		}
	}
	if _, _, err := Decode(jpg.Bytes(), 300*200); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

// TestSmallImages: below 5 pixels either way the hash is zero with quality 0; at 5 it
// is hashed.
func TestSmallImages(t *testing.T) {
	for _, sz := range [][2]int{{4, 100}, {100, 4}, {1, 1}} {
		l := smoothLuma(sz[0], sz[1])
		if h, q := l.Hash(); h != (Hash{}) || q != 0 {
			t.Errorf("%v: %s,%d", sz, h, q)
		}
		if d, q := smoothLuma(sz[0], sz[1]).Dihedral(); d != ([8]Hash{}) || q != 0 {
			t.Errorf("%v dihedral: %v,%d", sz, d, q)
		}
	}
	if h, _ := smoothLuma(5, 5).Hash(); h == (Hash{}) {
		t.Error("5x5 hashed to zero")
	}
}

// TestHashText: the hex form round-trips, and bad hex is refused with the reason.
func TestHashText(t *testing.T) {
	const s = "f8f8f0cee0f4a84f06370a22028f67f0b36e2ed596621e1d33e6b39c4e9c9b22"
	h, err := ParseHash(strings.ToUpper(s))
	if err != nil || h.String() != s {
		t.Fatalf("%s %v", h, err)
	}
	if !h.Bit(1) || h.Bit(0) || !h.Bit(255) {
		t.Errorf("bits 0, 1, 255 of %s: %v %v %v", s, h.Bit(0), h.Bit(1), h.Bit(255))
	}
	var zero Hash
	if d := Distance(&h, &zero); d != 128 {
		t.Errorf("distance to zero %d", d)
	}
	for _, bad := range []string{"", s[:63], s + "0", "g" + s[1:]} {
		if _, err := ParseHash(bad); err == nil || !strings.Contains(err.Error(), "64 hex characters") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// FuzzDecode: no input makes Decode panic or hash an image above the pixel limit.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"images/misc-images/wee.jpg", "synthetic/smooth-5x5.png", "synthetic/grey-300x200.png", "images/misc-images/modes/P.png"} {
		data, err := os.ReadFile(filepath.Join(pdqDir(f), name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	var b bytes.Buffer
	gif.Encode(&b, smoothImage(8, 8), nil)
	f.Add(b.Bytes())
	b.Reset()
	bmp.Encode(&b, smoothImage(8, 8))
	f.Add(b.Bytes())
	b.Reset()
	tiff.Encode(&b, smoothImage(8, 8), nil)
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		l, info, err := Decode(data, 1<<20)
		if err != nil {
			return
		}
		if l.W*l.H > 1<<20 || l.W != info.Width || l.H != info.Height {
			t.Fatalf("decoded %dx%d (info %dx%d) past the limit", l.W, l.H, info.Width, info.Height)
		}
		l.Hash()
	})
}

// FuzzParseHash: ParseHash accepts exactly 64 hex digits, and what it accepts prints
// back as the same digits in lower case.
func FuzzParseHash(f *testing.F) {
	f.Add("f8f8f0cee0f4a84f06370a22028f67f0b36e2ed596621e1d33e6b39c4e9c9b22")
	f.Add("F8F8F0CEE0F4A84F06370A22028F67F0B36E2ED596621E1D33E6B39C4E9C9B22")
	f.Add("xyz")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHash(s)
		if err != nil {
			return
		}
		if h.String() != strings.ToLower(s) {
			t.Fatalf("%q parsed to %s", s, h)
		}
	})
}
