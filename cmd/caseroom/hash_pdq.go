package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"caseroom/pdq"
)

// maxImageFile bounds the bytes read from one file by "hash pdq": no image format the
// command decodes needs more for DefaultMaxPixels.
const maxImageFile = 1 << 30

var errImagesFailed = errors.New("some files could not be hashed")

// newHashPDQCommand is "caseroom hash pdq [--dihedral] [--cli512] FILE...".
func newHashPDQCommand() *cobra.Command {
	var dihedral, cli512 bool
	var maxPixels int
	cmd := &cobra.Command{
		Use:   "pdq [--dihedral] [--cli512] FILE...",
		Short: "Print the PDQ hash and quality of each image",
		Long: `Prints one line per file: HEX,QUALITY,PATH; with --dihedral the hashes of the
eight orientations: ORIG,ROT90,ROT180,ROT270,FLIPX,FLIPY,FLIPPLUS1,FLIPMINUS1,QUALITY,PATH.

Images are hashed as stored (an EXIF orientation is not applied) with the reference
core's algorithm, bit for bit. --cli512 first squashes an image wider or taller than
512 pixels to 512x512, as Meta's pdq-photo-hasher does. JPEG, PNG, GIF, BMP, TIFF and
WebP are read. A file that cannot be hashed is named on stderr with the reason, the
others are still hashed, and the exit status is 1.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			type result struct {
				line string
				err  error
			}
			results := make([]chan result, len(paths))
			for i := range results {
				results[i] = make(chan result, 1)
			}
			work := make(chan int)
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Go(func() {
					for i := range work {
						line, err := hashImageFile(paths[i], dihedral, cli512, maxPixels)
						results[i] <- result{line, err}
					}
				})
			}
			go func() {
				defer close(work)
				for i := range paths {
					select {
					case work <- i:
					case <-cmd.Context().Done():
						return
					}
				}
			}()
			failed := false
			for i, path := range paths {
				var r result
				select {
				case r = <-results[i]:
				case <-cmd.Context().Done():
					return cmd.Context().Err()
				}
				if r.err != nil {
					failed = true
					fmt.Fprintf(cmd.ErrOrStderr(), "caseroom: %s: %v\n", path, r.err)
					continue
				}
				fmt.Fprintln(cmd.OutOrStdout(), r.line)
			}
			wg.Wait()
			if failed {
				return errImagesFailed
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dihedral, "dihedral", false, "print the hashes of all eight rotations and flips")
	cmd.Flags().BoolVar(&cli512, "cli512", false, "squash images larger than 512 pixels to 512x512 first, as the reference command-line tool does")
	cmd.Flags().IntVar(&maxPixels, "max-pixels", pdq.DefaultMaxPixels, "refuse images with more pixels than this (decompression bombs)")
	return cmd
}

// hashImageFile returns the output line for one file.
func hashImageFile(path string, dihedral, cli512 bool, maxPixels int) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImageFile+1))
	if err != nil {
		return "", err
	}
	if len(data) > maxImageFile {
		return "", fmt.Errorf("larger than %d bytes, too large for an image", maxImageFile)
	}
	l, _, err := pdq.Decode(data, maxPixels)
	if err != nil {
		return "", err
	}
	if cli512 {
		l = l.Squash512()
	}
	var fields []string
	var quality int
	if dihedral {
		var hs [8]pdq.Hash
		hs, quality = l.Dihedral()
		for _, h := range hs {
			fields = append(fields, h.String())
		}
	} else {
		var h pdq.Hash
		h, quality = l.Hash()
		fields = append(fields, h.String())
	}
	return strings.Join(append(fields, strconv.Itoa(quality), path), ","), nil
}
