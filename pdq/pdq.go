package pdq

import "math"

// Every float32 expression below is written so that each product and sum is rounded to
// float32 on its own, as the reference's g++ build without FMA does: a Go compiler may
// fuse x*y+z unless the product is converted explicitly, so products are wrapped in
// float32(...). Loop orders follow the reference wherever the order changes a rounding.

// MinDimension is the smallest width or height hashed; a smaller image gets the zero
// hash with quality 0, as in the reference.
const MinDimension = 5

// Luma is an image's luminance as the reference computes it: W*H float32 values, row
// by row. Hashing blurs it in place, so a Luma is hashed once.
type Luma struct {
	W, H int
	Pix  []float32
	tmp  []float32 // second buffer for the blur, allocated on first use
}

// NewLuma returns a zeroed Luma of the given size.
func NewLuma(w, h int) *Luma {
	return &Luma{W: w, H: h, Pix: make([]float32, w*h)}
}

// lumaCoefficients are the reference's float constants 0.299, 0.587 and 0.114: C double
// literals rounded to float, so computed at run time from float64 values to keep the
// double-then-float rounding of the reference.
var lumaR, lumaG, lumaB = lumaCoefficients()

func lumaCoefficients() (r, g, b float32) {
	d := [3]float64{0.299, 0.587, 0.114}
	return float32(d[0]), float32(d[1]), float32(d[2])
}

// lumaOf is the reference's fillFloatLumaFromRGB for one pixel.
func lumaOf(r, g, b uint8) float32 {
	return float32(float32(lumaR*float32(r))+float32(lumaG*float32(g))) + float32(lumaB*float32(b))
}

// Hash computes the PDQ hash and quality as the reference's pdqHash256FromFloatLuma
// does: an image of exactly 64x64 is not blurred. It overwrites l.Pix.
func (l *Luma) Hash() (Hash, int) {
	if l.W < MinDimension || l.H < MinDimension {
		return Hash{}, 0
	}
	var a [64][64]float32
	if l.W == 64 && l.H == 64 {
		for i := range 64 {
			copy(a[i][:], l.Pix[i*64:(i+1)*64])
		}
	} else {
		l.downsample(&a)
	}
	quality := qualityOf(&a)
	var b [16][16]float32
	dct64To16(&a, &b)
	return hashBits(&b), quality
}

// Dihedral computes the hashes of the image in its eight orientations and the quality,
// as the reference's pdqDihedralHash256esFromFloatLuma does (always blurring, even at
// 64x64). The order is Orientations'. It overwrites l.Pix.
func (l *Luma) Dihedral() ([8]Hash, int) {
	var out [8]Hash
	if l.W < MinDimension || l.H < MinDimension {
		return out, 0
	}
	var a [64][64]float32
	l.downsample(&a)
	quality := qualityOf(&a)
	var b, t [16][16]float32
	dct64To16(&a, &b)
	out[0] = hashBits(&b)
	for k, f := range dihedralTransforms {
		for i := range 16 {
			for j := range 16 {
				f(&b, &t, i, j)
			}
		}
		out[k+1] = hashBits(&t)
	}
	return out, quality
}

// Orientations names the eight hashes Dihedral returns, in order.
var Orientations = [8]string{"orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipplus1", "flipminus1"}

// dihedralTransforms turn the DCT of the original into the DCT of a rotated or flipped
// image (rot90 … flipminus1), one coefficient at a time: (i, j) of a goes to t.
var dihedralTransforms = [7]func(a, t *[16][16]float32, i, j int){
	func(a, t *[16][16]float32, i, j int) { t[j][i] = signIf(j&1 == 0, a[i][j]) },     // rot90
	func(a, t *[16][16]float32, i, j int) { t[i][j] = signIf((i+j)&1 == 1, a[i][j]) }, // rot180
	func(a, t *[16][16]float32, i, j int) { t[j][i] = signIf(i&1 == 0, a[i][j]) },     // rot270
	func(a, t *[16][16]float32, i, j int) { t[i][j] = signIf(i&1 == 0, a[i][j]) },     // flipx
	func(a, t *[16][16]float32, i, j int) { t[i][j] = signIf(j&1 == 0, a[i][j]) },     // flipy
	func(a, t *[16][16]float32, i, j int) { t[j][i] = a[i][j] },                       // flipplus1
	func(a, t *[16][16]float32, i, j int) { t[j][i] = signIf((i+j)&1 == 1, a[i][j]) }, // flipminus1
}

func signIf(negate bool, v float32) float32 {
	if negate {
		return -v
	}
	return v
}

// downsample blurs l with two passes of box filters along rows then columns (the
// Jarosz tent filter) and picks 64x64 samples at the target centres.
func (l *Luma) downsample(out *[64][64]float32) {
	if len(l.tmp) < len(l.Pix) {
		l.tmp = make([]float32, len(l.Pix))
	}
	rowWindow := jaroszWindow(l.W, 64)
	colWindow := jaroszWindow(l.H, 64)
	for range 2 {
		boxRows(l.Pix, l.tmp, l.H, l.W, rowWindow)
		boxCols(l.tmp, l.Pix, l.H, l.W, colWindow)
	}
	for i := range 64 {
		si := int((float64(i) + 0.5) * float64(l.H) / 64)
		row := l.Pix[si*l.W:]
		for j := range 64 {
			out[i][j] = row[int((float64(j)+0.5)*float64(l.W)/64)]
		}
	}
}

// jaroszWindow is the box size for one of two passes that shrink old to new samples.
func jaroszWindow(old, new int) int {
	return (old + 2*new - 1) / (2 * new)
}

// boxPhases splits a box filter of the given window over n samples into the reference's
// four phases: accumulate only, write with a growing window, write with the full
// window, write with a shrinking window.
func boxPhases(n, window int) (p1, p2, p3, p4 int) {
	half := (window + 2) / 2
	return half - 1, window - half + 1, n - window, half - 1
}

// boxRows runs the box filter along every row of in (rows x cols) into out. A row's
// running sum is one long chain of dependent additions, so four rows are filtered side
// by side to keep the processor busy; each row still sees the reference's sequence of
// operations.
func boxRows(in, out []float32, rows, cols, window int) {
	p1, p2, p3, p4 := boxPhases(cols, window)
	row := func(m []float32, r int) []float32 { return m[r*cols : (r+1)*cols] }
	r := 0
	for ; r+4 <= rows && p3 > 0; r += 4 {
		var s [4]float32
		for k := range s {
			s[k] = boxHead(row(in, r+k), row(out, r+k), p1, p2)
		}
		w := float32(p1 + p2)
		d0, d1, d2, d3 := row(out, r)[p2:][:p3], row(out, r+1)[p2:][:p3], row(out, r+2)[p2:][:p3], row(out, r+3)[p2:][:p3]
		i0, i1, i2, i3 := row(in, r), row(in, r+1), row(in, r+2), row(in, r+3)
		a0, a1, a2, a3 := i0[p1+p2:][:len(d0)], i1[p1+p2:][:len(d0)], i2[p1+p2:][:len(d0)], i3[p1+p2:][:len(d0)]
		b0, b1, b2, b3 := i0[:len(d0)], i1[:len(d0)], i2[:len(d0)], i3[:len(d0)]
		d1, d2, d3 = d1[:len(d0)], d2[:len(d0)], d3[:len(d0)]
		s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
		for k := range d0 {
			s0 += a0[k]
			s1 += a1[k]
			s2 += a2[k]
			s3 += a3[k]
			s0 -= b0[k]
			s1 -= b1[k]
			s2 -= b2[k]
			s3 -= b3[k]
			d0[k] = s0 / w
			d1[k] = s1 / w
			d2[k] = s2 / w
			d3[k] = s3 / w
		}
		for k, sum := range [4]float32{s0, s1, s2, s3} {
			boxTail(row(in, r+k), row(out, r+k), sum, p1+p2, p2, p3, p4)
		}
	}
	for ; r < rows; r++ {
		in, out := row(in, r), row(out, r)
		sum := boxHead(in, out, p1, p2)
		if p3 > 0 {
			w := float32(p1 + p2)
			dst := out[p2:][:p3]
			add, sub := in[p1+p2:][:len(dst)], in[:len(dst)]
			for k := range dst {
				sum += add[k]
				sum -= sub[k]
				dst[k] = sum / w
			}
		}
		boxTail(in, out, sum, p1+p2, p2, p3, p4)
	}
}

// boxHead is phases 1 and 2 of the reference's box1DFloat (stride 1): accumulate p1
// samples, then write p2 outputs with a growing window. It returns the running sum.
func boxHead(in, out []float32, p1, p2 int) float32 {
	var sum float32
	for i := range p1 {
		sum += in[i]
	}
	for i := range p2 {
		sum += in[p1+i]
		out[i] = sum / float32(p1+i+1)
	}
	return sum
}

// boxTail is phase 4 of box1DFloat: p4 outputs with a shrinking window, starting after
// the p3 outputs of phase 3 (whose window is the full size).
func boxTail(in, out []float32, sum float32, size, p2, p3, p4 int) {
	li, oi := max(p3, 0), p2+max(p3, 0)
	for i := range p4 {
		sum -= in[li+i]
		size--
		out[oi+i] = sum / float32(size)
	}
}

// boxCols runs the box filter down every column of in (rows x cols) into out. Each
// column's sums see exactly the reference's sequence of operations; the columns are
// walked side by side, a row at a time, so memory is read in order.
func boxCols(in, out []float32, rows, cols, window int) {
	p1, p2, p3, p4 := boxPhases(rows, window)
	sum := make([]float32, cols)
	row := func(r int) []float32 { return in[r*cols : (r+1)*cols] }
	ri, li, oi, size := 0, 0, 0, 0
	for range p1 {
		for j, v := range row(ri) {
			sum[j] += v
		}
		size++
		ri++
	}
	for range p2 {
		size++
		w := float32(size)
		dst := out[oi*cols : (oi+1)*cols]
		for j, v := range row(ri) {
			s := sum[j] + v
			sum[j] = s
			dst[j] = s / w
		}
		ri++
		oi++
	}
	w := float32(size)
	for range max(p3, 0) {
		add, sub := row(ri), row(li)
		dst := out[oi*cols : (oi+1)*cols]
		sum := sum[:len(add)]
		sub = sub[:len(add)]
		dst = dst[:len(add)]
		for j, v := range add {
			s := sum[j] + v
			s -= sub[j]
			sum[j] = s
			dst[j] = s / w
		}
		ri++
		li++
		oi++
	}
	for range p4 {
		size--
		w := float32(size)
		dst := out[oi*cols : (oi+1)*cols]
		for j, v := range row(li) {
			s := sum[j] - v
			sum[j] = s
			dst[j] = s / w
		}
		li++
		oi++
	}
}

// qualityOf is the reference's image-domain quality metric: the sum of quantised
// gradients between neighbours, scaled to 0-100.
func qualityOf(a *[64][64]float32) int {
	sum := 0
	grad := func(u, v float32) int {
		d := int(float32(float32(u-v)*100) / 255)
		if d < 0 {
			return -d
		}
		return d
	}
	for i := range 63 {
		for j := range 64 {
			sum += grad(a[i][j], a[i+1][j])
		}
	}
	for i := range 64 {
		for j := range 63 {
			sum += grad(a[i][j], a[i][j+1])
		}
	}
	return min(sum/90, 100)
}

// dctMatrix is the 16x64 matrix of DCT-II basis rows 1 to 16 the reference uses: float
// scale times a double cosine, rounded to float.
var dctMatrix = func() (m [16][64]float32) {
	scale := float32(math.Sqrt(2.0 / 64.0))
	for i := range 16 {
		for j := range 64 {
			m[i][j] = float32(float64(scale) * math.Cos(math.Pi/2.0/64.0*float64(i+1)*float64(2*j+1)))
		}
	}
	return m
}()

// dct64To16 is B = D A Dᵀ, summing in the reference's order.
func dct64To16(a *[64][64]float32, b *[16][16]float32) {
	var t [16][64]float32
	for i := range 16 {
		d := &dctMatrix[i]
		for j := range 64 {
			var s float32
			for k := range 64 {
				s += float32(d[k] * a[k][j])
			}
			t[i][j] = s
		}
	}
	for i := range 16 {
		ti := &t[i]
		for j := range 16 {
			d := &dctMatrix[j]
			var s float32
			for k := range 64 {
				s += float32(ti[k] * d[k])
			}
			b[i][j] = s
		}
	}
}

// hashBits sets bit i*16+j of the hash when coefficient (i, j) is above the median.
func hashBits(b *[16][16]float32) Hash {
	m := torben(b)
	var h Hash
	for i := range 16 {
		for j := range 16 {
			if b[i][j] > m {
				h.setBit(i*16 + j)
			}
		}
	}
	return h
}

// torben is Torben Mogensen's median (N. Devillard's implementation, public domain) as
// the reference uses it: the lower median of the 256 values.
func torben(b *[16][16]float32) float32 {
	m := b[:]
	lo, hi := m[0][0], m[0][0]
	for _, row := range m {
		for _, v := range row {
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
		}
	}
	const half = (256 + 1) / 2
	var less, greater, equal int
	var guess, maxLT, minGT float32
	for {
		guess = (lo + hi) / 2
		less, greater, equal = 0, 0, 0
		maxLT, minGT = lo, hi
		for _, row := range m {
			for _, v := range row {
				switch {
				case v < guess:
					less++
					if v > maxLT {
						maxLT = v
					}
				case v > guess:
					greater++
					if v < minGT {
						minGT = v
					}
				default:
					equal++
				}
			}
		}
		if less <= half && greater <= half {
			break
		}
		if less > greater {
			hi = maxLT
		} else {
			lo = minGT
		}
	}
	switch {
	case less >= half:
		return maxLT
	case less+equal >= half:
		return guess
	default:
		return minGT
	}
}

// Hashes returns what Hash returns together with the eight dihedral hashes, blurring
// once: the dihedral original equals Hash's hash except for a 64x64 image, which Hash
// does not blur and which is then hashed twice. It overwrites l.Pix.
func (l *Luma) Hashes() (h Hash, quality int, forms [8]Hash) {
	if l.W == 64 && l.H == 64 {
		c := NewLuma(64, 64)
		copy(c.Pix, l.Pix)
		h, quality = c.Hash()
		forms, _ = l.Dihedral()
		return h, quality, forms
	}
	forms, quality = l.Dihedral()
	return forms[0], quality, forms
}
