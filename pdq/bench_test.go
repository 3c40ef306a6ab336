package pdq

import (
	"crypto/sha256"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// smoothLuma is a w x h luminance of smooth gradients (a benign synthetic picture).
func smoothLuma(w, h int) *Luma {
	l := NewLuma(w, h)
	for y := range h {
		for x := range w {
			v := 128 + 60*math.Sin(float64(x)/37) + 60*math.Cos(float64(y)/23+float64(x)/91)
			l.Pix[y*w+x] = float32(v)
		}
	}
	return l
}

// benchmarkHash times PDQ alone (blur, decimation, quality, DCT, median) on a decoded
// w x h luminance; the copy of the pixels it hashes is outside the timer.
func benchmarkHash(b *testing.B, w, h int, dihedral bool) {
	src := smoothLuma(w, h)
	l := NewLuma(w, h)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		copy(l.Pix, src.Pix)
		b.StartTimer()
		if dihedral {
			l.Dihedral()
		} else {
			l.Hash()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
}

func BenchmarkHash512(b *testing.B)      { benchmarkHash(b, 512, 512, false) }
func BenchmarkHash1024(b *testing.B)     { benchmarkHash(b, 1024, 1024, false) }
func BenchmarkDihedral1024(b *testing.B) { benchmarkHash(b, 1024, 1024, true) }

// BenchmarkFilesEndToEnd decodes, hashes (PDQ) and takes the SHA-256 of every reference
// image, on all cores, and reports images per second.
func BenchmarkFilesEndToEnd(b *testing.B) {
	var files [][]byte
	for _, row := range readCSV(b, "core_godecode.csv") {
		data, err := os.ReadFile(filepath.Join(pdqDir(b), row["file"]))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			data := files[i%len(files)]
			i++
			sha256.Sum256(data)
			l, _, err := Decode(data, 0)
			if err != nil {
				b.Error(err)
				return
			}
			l.Hash()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
}
