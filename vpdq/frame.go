// Package vpdq computes and matches vPDQ video hashes, Meta's open standard for finding
// copies and clips of a video: a PDQ hash of sampled frames, matched as a bag of frames.
//
// Hashing decodes the video with the ffmpeg and ffprobe commands (HashFile); matching
// follows the python-threatexchange rules (Match, IsMatch) and, against many videos at
// once, goes through a hash index of their frames (FrameIndex).
//
// # Hash format
//
// A video's hash is a list of frames, written one line per frame as the reference
// vpdq-hash-video writes them:
//
//	frameNumber,quality,pdqHex,timestampSeconds
//
// for example "30,100,e2f1017837246bac…6c8d055c,1.000". frameNumber counts decoded
// frames from 0; quality is PDQ's 0 to 100; pdqHex is the 64 hex digits of pdq.Hash;
// timestampSeconds is frameNumber divided by the stream's average frame rate, computed
// in float32 as the reference does and written with 3 decimals (it is not the packet's
// presentation time).
package vpdq

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"caseroom/pdq"
)

// Frame is the hash of one frame of a video.
type Frame struct {
	Number    int      // decoded frame counter, from 0
	Quality   int      // PDQ quality, 0 to 100
	Hash      pdq.Hash // PDQ hash of the frame's pixels
	Timestamp float64  // Number / average frame rate, in seconds
}

// String returns the frame as one line of the hash format, without a newline.
func (f Frame) String() string {
	return fmt.Sprintf("%d,%d,%s,%.3f", f.Number, f.Quality, f.Hash, f.Timestamp)
}

// Timestamp is the reference's time of frame number n at the given average frame rate:
// the division is done in float32, as vpdq-hash-video does, so that the 3 decimals
// written agree with its files.
func Timestamp(n int, frameRate float64) float64 {
	if frameRate <= 0 {
		return 0
	}
	return float64(float32(n) / float32(frameRate))
}

// maxLine bounds one line of a hash file: a valid line is under 100 bytes.
const maxLine = 1024

// ReadFrames reads a hash in the line format. Empty lines (such as a final newline) are
// skipped; any other line that is not frameNumber,quality,pdqHex,timestamp with a
// frame number and timestamp that are not negative and a quality from 0 to 100 is an
// error naming the line number.
func ReadFrames(r io.Reader) ([]Frame, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxLine)
	var frames []Frame
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f, err := ParseFrame(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		frames = append(frames, f)
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, fmt.Errorf("line %d: longer than %d bytes, not a vPDQ hash line", len(frames)+1, maxLine)
		}
		return nil, err
	}
	return frames, nil
}

// ParseFrame parses one line of the hash format (without its newline).
func ParseFrame(line string) (Frame, error) {
	parts := strings.Split(line, ",")
	if len(parts) != 4 {
		return Frame{}, fmt.Errorf("want frameNumber,quality,pdqHex,timestamp, got %d fields", len(parts))
	}
	var f Frame
	var err error
	if f.Number, err = strconv.Atoi(parts[0]); err != nil || f.Number < 0 {
		return Frame{}, fmt.Errorf("frame number %q is not a whole number >= 0", parts[0])
	}
	if f.Quality, err = strconv.Atoi(parts[1]); err != nil || f.Quality < 0 || f.Quality > 100 {
		return Frame{}, fmt.Errorf("quality %q is not a whole number from 0 to 100", parts[1])
	}
	if f.Hash, err = pdq.ParseHash(parts[2]); err != nil {
		return Frame{}, fmt.Errorf("hash %q: %w", parts[2], err)
	}
	f.Timestamp, err = strconv.ParseFloat(parts[3], 64)
	if err != nil || f.Timestamp < 0 || math.IsInf(f.Timestamp, 0) || math.IsNaN(f.Timestamp) {
		return Frame{}, fmt.Errorf("timestamp %q is not a number of seconds >= 0", parts[3])
	}
	return f, nil
}

// WriteFrames writes frames in the line format, one line each.
func WriteFrames(w io.Writer, frames []Frame) error {
	bw := bufio.NewWriter(w)
	for _, f := range frames {
		bw.WriteString(f.String())
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
