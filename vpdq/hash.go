package vpdq

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"caseroom/pdq"
)

// Errors that HashFile wraps, so that a caller can tell them apart with errors.Is.
var (
	// ErrNoFFmpeg: the ffmpeg or ffprobe command is not on PATH.
	ErrNoFFmpeg = errors.New("ffmpeg or ffprobe not found on PATH: install Debian's ffmpeg package, which provides both")
	// ErrNotVideo: ffprobe cannot read the file as a video (not a video, an unknown
	// format, or a container too damaged to open).
	ErrNotVideo = errors.New("not a video ffmpeg can read")
	// ErrNoFrames: the file opens as a video but no frame decodes.
	ErrNoFrames = errors.New("no decodable frames")
	// ErrDamaged: decoding stopped early or reported errors and fewer frames came out
	// than the container lists. The Result holds the frames that were hashed.
	ErrDamaged = errors.New("damaged or truncated video")
)

// Options tell HashFile which frames to hash and at what size.
type Options struct {
	// SecondsPerHash is the time between hashed frames (1 when 0): frame n is hashed
	// when n is a multiple of Interval.
	SecondsPerHash float64
	// EveryFrame hashes every frame; SecondsPerHash must then be 0.
	EveryFrame bool
	// Width and Height, when both set, scale every frame to that size (ffmpeg's area
	// filter) before hashing; when both 0, frames are hashed at the stream's size.
	Width, Height int
}

// Validate returns an error describing the first option that is out of range.
func (o Options) Validate() error {
	switch {
	case o.SecondsPerHash < 0 || o.SecondsPerHash != o.SecondsPerHash || o.SecondsPerHash > 1e6:
		return fmt.Errorf("seconds per hash %v: want a positive number of seconds", o.SecondsPerHash)
	case o.EveryFrame && o.SecondsPerHash != 0:
		return errors.New("hash every frame or one every N seconds, not both")
	case o.Width < 0 || o.Height < 0 || (o.Width == 0) != (o.Height == 0):
		return fmt.Errorf("downscale size %dx%d: want a width and a height, both at least %d", o.Width, o.Height, pdq.MinDimension)
	case o.Width != 0 && (o.Width < pdq.MinDimension || o.Height < pdq.MinDimension):
		return fmt.Errorf("downscale size %dx%d: PDQ needs at least %dx%d", o.Width, o.Height, pdq.MinDimension, pdq.MinDimension)
	case int64(o.Width)*int64(o.Height) > pdq.DefaultMaxPixels:
		return fmt.Errorf("downscale size %dx%d is above %d pixels", o.Width, o.Height, pdq.DefaultMaxPixels)
	}
	return nil
}

// Interval is the number of frames between hashed frames at the given average frame
// rate: 1 for EveryFrame, else SecondsPerHash x frameRate truncated to a whole number,
// and at least 1 (the reference's frameMod).
func (o Options) Interval(frameRate float64) int {
	s := o.SecondsPerHash
	if o.EveryFrame {
		return 1
	}
	if s == 0 {
		s = 1
	}
	k := s * frameRate
	if k < 1 || k != k {
		return 1
	}
	if k > 1<<30 {
		return 1 << 30
	}
	return int(k)
}

// Result is a video's hash and what was learned of the video on the way.
type Result struct {
	Frames        []Frame
	Width, Height int     // size of the frames hashed (after any downscale)
	FrameRate     float64 // average frame rate used for timestamps (frames per second)
	Interval      int     // frames between hashed frames
	Duration      float64 // seconds, from the container (0 when unknown)
}

// formatWhitelist lists the demuxers ffmpeg may use on a file: video containers and
// raw video streams. It keeps ffmpeg from treating a file as a playlist, a concat list
// or an image sequence that would make it open other files.
const formatWhitelist = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpeg,mpegts,mpegvideo,m4v,h261,h263,h264,hevc,vc1,asf,ogg,gif,ivf,nut,mxf,dv,rm,wtv,yuv4mpegpipe,swf,mjpeg,obu,av1"

// maxStderr bounds how much of a command's error output is kept.
const maxStderr = 16 << 10

// HashFile hashes the video at path with ffmpeg, as the reference vpdq-hash-video does
// (see Options for which frames and at what size).
//
// The video is first probed with ffprobe (first video stream: size, average frame rate,
// frame count). Then ffmpeg decodes that stream and pipes the selected frames as raw
// RGB24: ffmpeg runs as
//
//	ffmpeg -nostdin -v error -noautorotate -protocol_whitelist file -format_whitelist …
//	  -i file:ABSPATH -map 0:v:0 -vf select=not(mod(n\,K)),scale=W:H:flags=area:
//	  in_color_matrix=bt601,format=rgb24 -fps_mode passthrough -f rawvideo pipe:1
//
// Frames are counted as the decoder outputs them (select's n), so frame numbers are
// the reference's whatever the timestamps; passthrough keeps ffmpeg from dropping or
// repeating frames to a constant rate. As in the reference, frames are hashed as stored:
// a display rotation and the sample aspect ratio are not applied, every frame is scaled
// to the first video stream's size, and YUV is converted with the BT.601 matrix and the
// area filter. Only selected frames are converted to RGB (at one frame a second of a
// 30 fps video this halves ffmpeg's time). Memory is bounded: a few frame buffers are
// reused (see hashFrames). -fps_mode needs ffmpeg 5.1 or later.
//
// The file is opened only as a local file (file: protocol, absolute path), so a name
// starting with "-" or holding ":" is safe. ctx bounds ffprobe and ffmpeg: when it ends
// they are killed and the error wraps ctx.Err().
//
// Errors wrap ErrNoFFmpeg, ErrNotVideo, ErrNoFrames or ErrDamaged where those apply,
// with ffmpeg's own message. A truncated or damaged video whose decoding produced fewer
// frames than the container lists returns the frames that were hashed together with an
// error wrapping ErrDamaged: the caller decides whether a partial hash is of use.
func HashFile(ctx context.Context, path string, opt Options) (Result, error) {
	if err := opt.Validate(); err != nil {
		return Result{}, err
	}
	ffprobe, err := exec.LookPath("ffprobe")
	if err != nil {
		return Result{}, ErrNoFFmpeg
	}
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		return Result{}, ErrNoFFmpeg
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Result{}, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return Result{}, err
	}
	if !fi.Mode().IsRegular() {
		return Result{}, fmt.Errorf("%w: not a regular file", ErrNotVideo)
	}
	if fi.Size() == 0 {
		return Result{}, fmt.Errorf("%w: the file is empty", ErrNotVideo)
	}
	input := "file:" + abs

	st, err := probe(ctx, ffprobe, input)
	if err != nil {
		return Result{}, err
	}
	res := Result{Width: st.width, Height: st.height, FrameRate: st.frameRate, Duration: st.duration}
	if opt.Width > 0 {
		res.Width, res.Height = opt.Width, opt.Height
	}
	if int64(res.Width)*int64(res.Height) > pdq.DefaultMaxPixels {
		return Result{}, fmt.Errorf("%w: frames of %dx%d are above %d pixels", ErrNotVideo, res.Width, res.Height, pdq.DefaultMaxPixels)
	}
	res.Interval = opt.Interval(st.frameRate)

	filter := fmt.Sprintf("scale=%d:%d:flags=area:in_color_matrix=bt601,format=rgb24", res.Width, res.Height)
	if res.Interval > 1 {
		filter = fmt.Sprintf(`select=not(mod(n\,%d)),`, res.Interval) + filter
	}
	cmd := exec.CommandContext(ctx, ffmpeg,
		"-nostdin", "-hide_banner", "-v", "error",
		"-noautorotate",
		"-protocol_whitelist", "file",
		"-format_whitelist", formatWhitelist,
		"-i", input,
		"-map", "0:v:0", "-an", "-sn", "-dn",
		"-vf", filter,
		"-fps_mode", "passthrough",
		"-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1")
	var stderr cappedBuffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Result{}, err
	}
	if err := cmd.Start(); err != nil {
		return Result{}, fmt.Errorf("start ffmpeg: %w", err)
	}
	frames, readErr := hashFrames(stdout, res)
	if readErr != nil {
		cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	res.Frames = frames
	if ctxErr := ctx.Err(); ctxErr != nil {
		return res, fmt.Errorf("ffmpeg: %w", ctxErr)
	}
	msg := summary(strings.ReplaceAll(stderr.String(), input+": ", ""))
	switch {
	case readErr != nil:
		return res, fmt.Errorf("read ffmpeg output: %w", readErr)
	case len(frames) == 0 && waitErr != nil:
		return res, fmt.Errorf("%w: ffmpeg: %v%s", ErrNoFrames, waitErr, msg)
	case len(frames) == 0:
		return res, fmt.Errorf("%w%s", ErrNoFrames, msg)
	case waitErr != nil:
		return res, fmt.Errorf("%w: ffmpeg: %v after %d hashed frames%s", ErrDamaged, waitErr, len(frames), msg)
	}
	if want := (st.frames + res.Interval - 1) / res.Interval; st.frames > 0 && len(frames) < want && msg != "" {
		return res, fmt.Errorf("%w: %d frames hashed where the %d frames the container lists give %d%s", ErrDamaged, len(frames), st.frames, want, msg)
	}
	return res, nil
}

// hashFrames reads raw RGB24 frames of res's size from r until it ends and hashes
// them; frame i is the decoder's frame i x res.Interval. Frames are hashed on up to
// four goroutines while the next ones are read: memory stays bounded at one more frame
// buffer than hashers, each hasher with its own Luma. A frame cut short at the end (ffmpeg
// was killed or failed, which its exit status reports) is dropped.
func hashFrames(r io.Reader, res Result) ([]Frame, error) {
	workers := min(runtime.GOMAXPROCS(0), 4)
	stride := 3 * res.Width
	free := make(chan []byte, workers+1)
	for range workers + 1 {
		free <- make([]byte, stride*res.Height)
	}
	type job struct {
		i   int
		buf []byte
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var frames []Frame
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			l := pdq.NewLuma(res.Width, res.Height)
			for j := range jobs {
				err := l.FillRGB24(j.buf, stride) // cannot fail: the buffer is the frame's size
				free <- j.buf
				if err != nil {
					continue
				}
				h, q := l.Hash()
				n := j.i * res.Interval
				mu.Lock()
				frames = append(frames, Frame{Number: n, Quality: q, Hash: h, Timestamp: Timestamp(n, res.FrameRate)})
				mu.Unlock()
			}
		})
	}
	var readErr error
	for i := 0; ; i++ {
		buf := <-free
		if _, err := io.ReadFull(r, buf); err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				readErr = err
			}
			break
		}
		jobs <- job{i, buf}
	}
	close(jobs)
	wg.Wait()
	slices.SortFunc(frames, func(a, b Frame) int { return a.Number - b.Number })
	return frames, readErr
}

// stream is what HashFile needs to know of the first video stream.
type stream struct {
	width, height int
	frameRate     float64
	frames        int     // frame count the container lists, 0 when unknown
	duration      float64 // seconds, 0 when unknown
}

// probe runs ffprobe on input for its first video stream.
func probe(ctx context.Context, ffprobe, input string) (stream, error) {
	cmd := exec.CommandContext(ctx, ffprobe,
		"-v", "error",
		"-protocol_whitelist", "file",
		"-format_whitelist", formatWhitelist,
		"-select_streams", "v:0",
		"-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate,nb_frames:format=duration",
		"-of", "json",
		input)
	var stdout, stderr cappedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return stream{}, fmt.Errorf("ffprobe: %w", ctxErr)
		}
		return stream{}, fmt.Errorf("%w: ffprobe: %v%s", ErrNotVideo, err, summary(strings.ReplaceAll(stderr.String(), input+": ", "")))
	}
	var out struct {
		Streams []struct {
			Width        int    `json:"width"`
			Height       int    `json:"height"`
			AvgFrameRate string `json:"avg_frame_rate"`
			RFrameRate   string `json:"r_frame_rate"`
			NbFrames     string `json:"nb_frames"`
		} `json:"streams"`
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return stream{}, fmt.Errorf("read ffprobe output: %w", err)
	}
	if len(out.Streams) == 0 {
		return stream{}, fmt.Errorf("%w: it has no video stream", ErrNotVideo)
	}
	s := out.Streams[0]
	if s.Width < pdq.MinDimension || s.Height < pdq.MinDimension {
		return stream{}, fmt.Errorf("%w: its video stream is %dx%d, below the %dx%d PDQ hashes", ErrNotVideo, s.Width, s.Height, pdq.MinDimension, pdq.MinDimension)
	}
	// Like the reference: the average frame rate, or r_frame_rate when it is unknown.
	rate := parseRate(s.AvgFrameRate)
	if rate == 0 {
		rate = parseRate(s.RFrameRate)
	}
	if rate == 0 {
		return stream{}, fmt.Errorf("%w: its video stream has no frame rate", ErrNotVideo)
	}
	st := stream{width: s.Width, height: s.Height, frameRate: rate}
	if n, err := strconv.Atoi(s.NbFrames); err == nil && n > 0 {
		st.frames = n
	}
	if d, err := strconv.ParseFloat(out.Format.Duration, 64); err == nil && d > 0 {
		st.duration = d
	}
	return st, nil
}

// parseRate parses ffprobe's "num/den", returning 0 for "0/0" or anything unreadable.
func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return 0
	}
	n, err1 := strconv.ParseInt(num, 10, 64)
	d, err2 := strconv.ParseInt(den, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 || d <= 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// summary turns a command's error output into ": first line; second line; third line"
// (at most 300 bytes), or "" when there was none.
func summary(stderr string) string {
	var lines []string
	for _, l := range strings.Split(stderr, "\n") {
		l = logPrefix.ReplaceAllString(strings.TrimSpace(l), "$1: ")
		if l != "" && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
		if len(lines) == 3 {
			break
		}
	}
	if len(lines) == 0 {
		return ""
	}
	s := strings.Join(lines, "; ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return ": " + s
}

// logPrefix is the "[h264 @ 0x55d0c0a8e700] " that starts ffmpeg's messages.
var logPrefix = regexp.MustCompile(`^\[([^\]@]+?) @ 0x[0-9a-f]+\] `)

// cappedBuffer keeps the first maxStderr bytes written to it and drops the rest, so a
// command's chatter cannot fill memory.
type cappedBuffer struct{ bytes.Buffer }

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := maxStderr - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
