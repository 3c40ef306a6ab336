// Package pdq computes Meta's PDQ perceptual image hash in pure Go, bit for bit as the
// reference C++ core does (float32 throughout, no fused multiply-add): luminance, two
// passes of a Jarosz box blur, decimation to 64x64, a 16x16 DCT, a median threshold, the
// image-domain quality metric and the eight dihedral hashes.
package pdq
