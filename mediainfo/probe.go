package mediainfo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrNoFFprobe is wrapped by the error Probe returns when the ffprobe
// program is not on PATH, so video metadata cannot be read.
var ErrNoFFprobe = errors.New("ffprobe not found on PATH: install Debian's ffmpeg package, which provides it")

// maxProbeOutput bounds how much of ffprobe's output is kept. Its JSON for
// an ordinary file is a few kilobytes.
const maxProbeOutput = 4 << 20

// maxProbeMessage bounds how much of ffprobe's error output goes into an
// error message.
const maxProbeMessage = 512

// Probe adds video/audio metadata from ffprobe run on the file at path:
// Duration, Codec, CreatedAt, and Width and Height from the first video
// stream. It is meant only for MIME types starting with video/ or audio/.
//
// ffprobe runs as "ffprobe -v error -print_format json -show_format
// -show_streams -protocol_whitelist file -i file:ABSPATH". The file:
// prefix and the whitelist keep a hostile file name or a playlist inside
// the file from making ffprobe open anything but local files. ctx bounds
// how long ffprobe may run; callers should give it a deadline, since
// ffprobe is killed only when ctx ends.
//
// On failure Probe returns info unchanged and an error: one wrapping
// ErrNoFFprobe if ffprobe is not on PATH, or one naming the file, with
// ffprobe's message, if ffprobe fails (as it does on a corrupt or
// mislabelled video). If ctx ended, the error wraps ctx.Err().
func Probe(ctx context.Context, path string, info Info) (Info, error) {
	bin, err := exec.LookPath("ffprobe")
	if err != nil {
		return info, fmt.Errorf("probe %s: %w", path, ErrNoFFprobe)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return info, fmt.Errorf("probe %s: %w", path, err)
	}

	cmd := exec.CommandContext(ctx, bin,
		"-v", "error",
		"-print_format", "json",
		"-show_format", "-show_streams",
		"-protocol_whitelist", "file",
		"-i", "file:"+abs)
	var stdout, stderr cappedBuffer
	stdout.limit, stderr.limit = maxProbeOutput, maxProbeMessage
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return info, fmt.Errorf("probe %s: ffprobe: %w", path, ctxErr)
		}
		if msg := oneLine(stderr.String()); msg != "" {
			return info, fmt.Errorf("probe %s: ffprobe: %w: %s", path, err, msg)
		}
		return info, fmt.Errorf("probe %s: ffprobe: %w", path, err)
	}
	if stdout.overflow {
		return info, fmt.Errorf("probe %s: ffprobe output larger than %d bytes", path, maxProbeOutput)
	}
	probed, err := parseProbeOutput(stdout.Bytes(), info)
	if err != nil {
		return info, fmt.Errorf("probe %s: %w", path, err)
	}
	return probed, nil
}

// parseProbeOutput adds to info what ffprobe's JSON output says (see apply), or
// returns info unchanged and an error if the output is not JSON of that shape.
func parseProbeOutput(b []byte, info Info) (Info, error) {
	var out ffprobeOutput
	if err := json.Unmarshal(b, &out); err != nil {
		return info, fmt.Errorf("read ffprobe output: %w", err)
	}
	return out.apply(info), nil
}

// ffprobeOutput is the part of ffprobe's JSON that Probe reads.
type ffprobeOutput struct {
	Streams []struct {
		CodecType   string `json:"codec_type"`
		CodecName   string `json:"codec_name"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		Duration    string `json:"duration"`
		Disposition struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
	} `json:"streams"`
	Format struct {
		Duration string            `json:"duration"`
		Tags     map[string]string `json:"tags"`
	} `json:"format"`
}

// apply copies what ffprobe found into info. The duration is the
// container's, else the longest stream's.
func (out ffprobeOutput) apply(info Info) Info {
	if d, ok := parseSeconds(out.Format.Duration); ok {
		info.Duration = d
	} else {
		for _, s := range out.Streams {
			if d, ok := parseSeconds(s.Duration); ok && d > info.Duration {
				info.Duration = d
			}
		}
	}
	for _, s := range out.Streams {
		if s.CodecType != "video" || s.Disposition.AttachedPic != 0 {
			continue
		}
		info.Codec = s.CodecName
		if s.Width > 0 && s.Height > 0 {
			info.Width, info.Height = s.Width, s.Height
		}
		break
	}
	for k, v := range out.Format.Tags {
		if strings.EqualFold(k, "creation_time") {
			if t, ok := parseCreationTime(v); ok {
				info.CreatedAt = &t
			}
			break
		}
	}
	return info
}

// parseSeconds parses ffprobe's decimal seconds, rejecting negative and
// non-finite values.
func parseSeconds(s string) (float64, bool) {
	d, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
		return 0, false
	}
	return d, true
}

// parseCreationTime parses a creation_time tag: RFC 3339 as ffmpeg writes
// it ("2026-11-20T10:15:00.000000Z"), or a zoneless "2006-01-02 15:04:05"
// taken as UTC. A time that falls outside the years 0 to 9999 in UTC (as
// "0000-01-01T00:30:00+01:00" does) is refused: it has no RFC 3339 form, so
// the media record could not keep it.
func parseCreationTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t = t.UTC(); t.Year() < 0 || t.Year() > 9999 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// oneLine joins the non-blank lines of ffprobe's error output with "; ".
func oneLine(s string) string {
	var lines []string
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "; ")
}

// cappedBuffer keeps the first limit bytes written to it and discards the
// rest, so a runaway child process cannot exhaust memory and is never
// blocked on a full pipe.
type cappedBuffer struct {
	bytes.Buffer
	limit    int
	overflow bool
}

// Write keeps what fits under the limit and always reports success.
func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); len(p) > room {
		b.overflow = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
