package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"caseroom"
	"caseroom/blob"
	"caseroom/pdq"
)

// checkerboard is a synthetic w×h image of black and white squares of side sq,
// tinted so that it has colour.
func checkerboard(w, h, sq int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{20, 30, 200, 255}
			if (x/sq+y/sq)%2 == 0 {
				c = color.RGBA{250, 240, 40, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// greyStats returns the mean and the standard deviation of a grey image, and the
// mean absolute difference between horizontally and vertically adjacent pixels (how
// much fine detail it has).
func greyStats(g *image.Gray) (mean, sd, detail float64) {
	b := g.Bounds()
	n := float64(b.Dx() * b.Dy())
	for _, v := range g.Pix {
		mean += float64(v)
	}
	mean /= n
	pairs := 0.0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			v := float64(g.GrayAt(x, y).Y)
			sd += (v - mean) * (v - mean)
			if x+1 < b.Max.X {
				detail += math.Abs(v - float64(g.GrayAt(x+1, y).Y))
				pairs++
			}
			if y+1 < b.Max.Y {
				detail += math.Abs(v - float64(g.GrayAt(x, y+1).Y))
				pairs++
			}
		}
	}
	return mean, math.Sqrt(sd / n), detail / pairs
}

// decodeThumbnail decodes a thumbnail PNG and checks that it is stored as grey.
func decodeThumbnail(t testing.TB, data []byte) *image.Gray {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode the thumbnail: %v", err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("the thumbnail is a %T, want greyscale (*image.Gray)", img)
	}
	return g
}

func TestBlurredThumbnail(t *testing.T) {
	for _, tc := range []struct {
		name          string
		w, h, sq      int
		wantW, wantH  int
		maxSD, maxDet float64
	}{
		// Squares of 16 pixels: 10 pixels once reduced; the blur leaves almost no trace.
		{"landscape checkerboard", 640, 480, 16, 160, 120, 6, 1},
		{"portrait checkerboard", 300, 900, 30, 53, 160, 6, 1},
		// Squares of 2 pixels average out in the reduction alone.
		{"fine checkerboard", 1000, 1000, 2, 160, 160, 2, 0.5},
		// A small image keeps its size and is blurred as much.
		{"small checkerboard", 60, 40, 4, 60, 40, 6, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := checkerboard(tc.w, tc.h, tc.sq)
			l, _, err := pdq.Decode(encodePNG(t, src), 0)
			if err != nil {
				t.Fatal(err)
			}
			_, srcSD, srcDetail := greyStats(greyOf(reduceLuma(l)))
			data, err := encodeThumbnail(blurredThumbnail(l))
			if err != nil {
				t.Fatal(err)
			}
			g := decodeThumbnail(t, data)
			if b := g.Bounds(); b.Dx() != tc.wantW || b.Dy() != tc.wantH {
				t.Errorf("thumbnail of %dx%d is %dx%d, want %dx%d", tc.w, tc.h, b.Dx(), b.Dy(), tc.wantW, tc.wantH)
			}
			mean, sd, detail := greyStats(g)
			t.Logf("source: sd %.1f, detail %.1f; thumbnail: mean %.1f, sd %.2f, detail %.2f", srcSD, srcDetail, mean, sd, detail)
			if sd > tc.maxSD || detail > tc.maxDet {
				t.Errorf("thumbnail keeps contrast: sd %.2f (max %.1f), neighbour difference %.2f (max %.1f); the source had %.1f and %.1f",
					sd, tc.maxSD, detail, tc.maxDet, srcSD, srcDetail)
			}
		})
	}
}

// TestBlurredThumbnailKeepsBroadShapes checks that the blur is not a grey square: a
// picture half dark, half light still shows which half is which.
func TestBlurredThumbnailKeepsBroadShapes(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 400, 200))
	for y := range 200 {
		for x := range 400 {
			if x >= 200 {
				img.SetGray(x, y, color.Gray{230})
			} else {
				img.SetGray(x, y, color.Gray{25})
			}
		}
	}
	l, _, err := pdq.Decode(encodePNG(t, img), 0)
	if err != nil {
		t.Fatal(err)
	}
	g := blurredThumbnail(l)
	left, right := g.GrayAt(10, 40).Y, g.GrayAt(150, 40).Y
	if left > 40 || right < 215 {
		t.Errorf("far from the edge the halves are %d and %d, want about 25 and 230", left, right)
	}
	if mid := g.GrayAt(80, 40).Y; mid < 60 || mid > 195 {
		t.Errorf("at the edge the grey is %d, want a blend", mid)
	}
}

// putBlob stores data in a disk blob store under its SHA-256 and returns the sum.
func putBlob(t *testing.T, store blob.Store, data []byte) string {
	t.Helper()
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	w, err := store.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(hexSum); err != nil {
		t.Fatal(err)
	}
	return hexSum
}

// hugePNGHeader is a valid PNG header claiming w×h pixels, with no pixels after it.
func hugePNGHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit grey
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestMediaThumbnail(t *testing.T) {
	store, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	media := func(mime string, data []byte) *caseroom.Media {
		return &caseroom.Media{MIME: mime, Size: int64(len(data)), SHA256: putBlob(t, store, data)}
	}

	t.Run("image", func(t *testing.T) {
		data, err := mediaThumbnail(ctx, store, media("image/png", encodePNG(t, checkerboard(320, 240, 8))))
		if err != nil {
			t.Fatal(err)
		}
		if b := decodeThumbnail(t, data).Bounds(); b.Dx() != 160 || b.Dy() != 120 {
			t.Errorf("thumbnail is %v, want 160x120", b)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			m    *caseroom.Media
			want string
		}{
			{"above the pixel limit", media("image/png", hugePNGHeader(100000, 100000)), "above the limit"},
			{"not an image", media("image/png", []byte("not a picture at all")), "could not be decoded"},
			{"neither image nor video", media("application/pdf", []byte("%PDF-1.4")), "neither an image nor a video"},
			{"absent from the store", &caseroom.Media{MIME: "image/png", SHA256: strings.Repeat("0", 64)}, "could not be read"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := mediaThumbnail(ctx, store, tc.m)
				var te *thumbnailError
				if !errors.As(err, &te) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want a thumbnailError saying %q", err, tc.want)
				}
				if strings.Contains(err.Error(), os.TempDir()) {
					t.Errorf("the message shown names a server path: %v", err)
				}
			})
		}
	})
	t.Run("video", func(t *testing.T) {
		ffmpeg, err := exec.LookPath("ffmpeg")
		if err != nil {
			t.Skip("ffmpeg is not installed")
		}
		// A synthetic test pattern: ffmpeg's own testsrc, two seconds.
		path := filepath.Join(t.TempDir(), "pattern.mp4")
		out, err := exec.Command(ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=10",
			"-pix_fmt", "yuv420p", path).CombinedOutput()
		if err != nil {
			t.Skipf("ffmpeg cannot make a test video here: %v %s", err, out)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := media("video/mp4", data)
		m.Meta.Duration = 2
		thumb, err := mediaThumbnail(ctx, store, m)
		if err != nil {
			t.Fatalf("thumbnail of a video: %v", err)
		}
		g := decodeThumbnail(t, thumb)
		if b := g.Bounds(); b.Dx() != 160 || b.Dy() != 120 {
			t.Errorf("video thumbnail is %v, want 160x120", b)
		}
		// The frame goes through the same reduction and blur as an image.
		frame, err := videoFrame(ctx, store, m.SHA256, m.Meta.Duration)
		if err != nil {
			t.Fatal(err)
		}
		l, _, err := pdq.Decode(frame, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := blurredThumbnail(l); !bytes.Equal(g.Pix, want.Pix) {
			t.Errorf("the video's thumbnail is not its frame reduced and blurred")
		}
		_, frameSD, _ := greyStats(greyOf(reduceLuma(l)))
		if _, sd, _ := greyStats(g); sd >= frameSD {
			t.Errorf("the blur kept the frame's contrast: sd %.1f, the frame's %.1f", sd, frameSD)
		}
		// Not a video: ffmpeg fails, and the message says so without its details.
		_, err = mediaThumbnail(ctx, store, media("video/mp4", []byte("not a video")))
		if err == nil || !strings.Contains(err.Error(), "No frame could be taken") {
			t.Errorf("thumbnail of a damaged video: %v, want a message that no frame could be taken", err)
		}
	})
}
