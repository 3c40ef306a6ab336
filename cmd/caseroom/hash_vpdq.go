package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"

	"github.com/spf13/cobra"

	"caseroom"
	"caseroom/vpdq"
)

var errVideosFailed = errors.New("some videos could not be hashed")

// vpdqFlags are the options of the two vPDQ commands that say how a video is hashed.
type vpdqFlags struct {
	secondsPerHash float64
	everyFrame     bool
	downscale      string
}

func (f *vpdqFlags) register(cmd *cobra.Command) {
	cmd.Flags().Float64Var(&f.secondsPerHash, "seconds-per-hash", 1, "hash one frame every this many seconds")
	cmd.Flags().BoolVar(&f.everyFrame, "every-frame", false, "hash every frame (not with --seconds-per-hash)")
	cmd.Flags().StringVar(&f.downscale, "downscale", "", "scale frames to WxH (such as 128x128) before hashing")
}

var sizeFlag = regexp.MustCompile(`^([0-9]{1,6})x([0-9]{1,6})$`)

// options checks the flags and turns them into vpdq.Options.
func (f *vpdqFlags) options(cmd *cobra.Command) (vpdq.Options, error) {
	var opt vpdq.Options
	if f.everyFrame && cmd.Flags().Changed("seconds-per-hash") {
		return opt, caseroom.Errorf(caseroom.EINVALID, "give --every-frame or --seconds-per-hash, not both")
	}
	if !f.everyFrame {
		if !(f.secondsPerHash > 0) {
			return opt, caseroom.Errorf(caseroom.EINVALID, "--seconds-per-hash must be a number of seconds above 0; got %v", f.secondsPerHash)
		}
		opt.SecondsPerHash = f.secondsPerHash
	}
	opt.EveryFrame = f.everyFrame
	if f.downscale != "" {
		m := sizeFlag.FindStringSubmatch(f.downscale)
		if m == nil {
			return opt, caseroom.Errorf(caseroom.EINVALID, "--downscale is WIDTHxHEIGHT in pixels, such as 128x128; got %q", f.downscale)
		}
		opt.Width, _ = strconv.Atoi(m[1])
		opt.Height, _ = strconv.Atoi(m[2])
	}
	if err := opt.Validate(); err != nil {
		return opt, caseroom.Errorf(caseroom.EINVALID, "%v", err)
	}
	return opt, nil
}

// newHashVPDQCommand is "caseroom hash vpdq [--seconds-per-hash S | --every-frame]
// [--downscale WxH] VIDEO...".
func newHashVPDQCommand() *cobra.Command {
	var flags vpdqFlags
	cmd := &cobra.Command{
		Use:   "vpdq [--seconds-per-hash S | --every-frame] [--downscale WxH] VIDEO...",
		Short: "Print the vPDQ hash of each video: a PDQ hash per sampled frame",
		Long: `Prints one line per hashed frame in the format of Meta's vpdq-hash-video:
FRAME,QUALITY,PDQHEX,TIMESTAMP, where FRAME counts decoded frames from 0 and TIMESTAMP
is FRAME divided by the average frame rate, in seconds with 3 decimals.

A frame is hashed every --seconds-per-hash seconds (1 by default: frames whose number is
a multiple of seconds x frame rate, truncated), or every frame with --every-frame.
Frames are hashed as stored (a display rotation is not applied), at the video's size or
scaled to --downscale WxH. Videos are decoded with ffmpeg, which must be on PATH (Debian's
ffmpeg package).

With several videos, each one's lines follow a line "# PATH". A file that cannot be
hashed is named on stderr with the reason, and the others are still hashed; the exit
status is then 1. A damaged or truncated video whose decoding ends early counts as
failed: its partial hash is not printed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			opt, err := flags.options(cmd)
			if err != nil {
				return err
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			failed := false
			for _, path := range paths {
				res, err := vpdq.HashFile(cmd.Context(), path, opt)
				if ctxErr := cmd.Context().Err(); ctxErr != nil {
					out.Flush()
					return ctxErr
				}
				if err != nil {
					failed = true
					out.Flush()
					fmt.Fprintf(cmd.ErrOrStderr(), "caseroom: %s: %v\n", path, err)
					continue
				}
				if len(paths) > 1 {
					fmt.Fprintf(out, "# %s\n", path)
				}
				if err := vpdq.WriteFrames(out, res.Frames); err != nil {
					return err
				}
			}
			if err := out.Flush(); err != nil {
				return err
			}
			if failed {
				return errVideosFailed
			}
			return nil
		},
	}
	flags.register(cmd)
	return cmd
}

// newHashVPDQMatchCommand is "caseroom hash vpdq-match A B".
func newHashVPDQMatchCommand() *cobra.Command {
	var flags vpdqFlags
	var distance, quality int
	var queryThreshold, comparedThreshold float64
	cmd := &cobra.Command{
		Use:   "vpdq-match [--distance 31] [--quality 50] [--query-threshold 0] [--compared-threshold 80] A B",
		Short: "Match two videos by their vPDQ hashes",
		Long: `Compares video A (the query) with video B (the compared video) with the
python-threatexchange rules: in each, frames of quality below --quality are left out and
a hash repeated in several frames counts once; a frame matches when some frame of the
other video is within --distance bits. Prints one line:

  QUERY_PCT,COMPARED_PCT,IS_MATCH

QUERY_PCT is the percentage of A's frames matched in B, COMPARED_PCT of B's in A (4
decimals each), and IS_MATCH is true when QUERY_PCT >= --query-threshold and
COMPARED_PCT >= --compared-threshold, else false. The exit status is 0 either way.

A and B are each a video or a hash file as "caseroom hash vpdq" prints it for one video
(a file whose first line is a hash line is read as a hash file; any other file is
hashed as a video, with --seconds-per-hash, --every-frame and --downscale).`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if distance < 0 || distance > 256 {
				return caseroom.Errorf(caseroom.EINVALID, "--distance is the most bits in which two frames may differ, from 0 to 256; got %d", distance)
			}
			if quality < 0 || quality > 100 {
				return caseroom.Errorf(caseroom.EINVALID, "--quality is a PDQ quality from 0 to 100; got %d", quality)
			}
			for name, v := range map[string]float64{"--query-threshold": queryThreshold, "--compared-threshold": comparedThreshold} {
				if !(v >= 0 && v <= 100) {
					return caseroom.Errorf(caseroom.EINVALID, "%s is a percentage from 0 to 100; got %v", name, v)
				}
			}
			opt, err := flags.options(cmd)
			if err != nil {
				return err
			}
			a, err := readVPDQInput(cmd.Context(), args[0], opt)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			b, err := readVPDQInput(cmd.Context(), args[1], opt)
			if err != nil {
				return fmt.Errorf("%s: %w", args[1], err)
			}
			q, c := vpdq.Match(a, b, distance, quality)
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%.4f,%.4f,%t\n", q, c, vpdq.IsMatch(q, c, queryThreshold, comparedThreshold))
			return err
		},
	}
	flags.register(cmd)
	cmd.Flags().IntVar(&distance, "distance", vpdq.DefaultDistance, "the most bits in which two matching frames differ")
	cmd.Flags().IntVar(&quality, "quality", vpdq.DefaultQuality, "leave out frames of a lower PDQ quality")
	cmd.Flags().Float64Var(&queryThreshold, "query-threshold", vpdq.DefaultQueryThreshold, "percentage of A's frames that must match")
	cmd.Flags().Float64Var(&comparedThreshold, "compared-threshold", vpdq.DefaultComparedThreshold, "percentage of B's frames that must match")
	return cmd
}

// readVPDQInput returns the frames of a hash file, or of a video hashed with opt: a file
// whose first line that is not blank parses as a hash line is a hash file.
func readVPDQInput(ctx context.Context, path string, opt vpdq.Options) ([]vpdq.Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	first, _, _ := bytes.Cut(bytes.TrimLeft(head[:n], "\r\n"), []byte("\n"))
	first = bytes.TrimRight(first, "\r")
	if bytes.HasPrefix(first, []byte("# ")) {
		return nil, errors.New("holds the hashes of several videos (lines headed \"# PATH\"); give a file with one video's lines")
	}
	if _, err := vpdq.ParseFrame(string(first)); err == nil {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		frames, err := vpdq.ReadFrames(f)
		if err != nil {
			return nil, fmt.Errorf("hash file: %w", err)
		}
		return frames, nil
	}
	res, err := vpdq.HashFile(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	return res.Frames, nil
}
