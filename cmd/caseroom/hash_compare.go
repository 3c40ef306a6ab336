package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"caseroom"
	"caseroom/hashindex"
	"caseroom/pdq"
)

// newHashCompareCommand is "caseroom hash compare": every pair of a needle and a haystack
// hash within a Hamming radius, found with the multi-index hash index.
func newHashCompareCommand() *cobra.Command {
	var radius int
	cmd := &cobra.Command{
		Use:   "compare [--radius 31] NEEDLES HAYSTACK",
		Short: "Print every pair of hashes within a Hamming radius",
		Long: `Compare reads two lists of PDQ hashes, 64 hex characters a line (blank lines are
skipped but counted), and prints as CSV every pair of a needle and a haystack hash that
differ in at most --radius bits: needle_line,haystack_line,distance, with a header line,
by needle line and then haystack line; lines are numbered from 1. 31 is the usual PDQ
match threshold. A malformed line stops it with exit status 1, naming the file and line.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if radius < 0 || radius > hashindex.MaxRadius {
				return caseroom.Errorf(caseroom.EINVALID, "--radius is the number of bits in which a pair may differ, from 0 to %d; got %d", hashindex.MaxRadius, radius)
			}
			needles, needleLines, err := readHashListFile(args[0])
			if err != nil {
				return err
			}
			haystack, haystackLines, err := readHashListFile(args[1])
			if err != nil {
				return err
			}
			index := hashindex.New()
			index.AddAll(haystack)
			out := bufio.NewWriter(cmd.OutOrStdout())
			fmt.Fprintln(out, "needle_line,haystack_line,distance")
			const batch = 1024 // needles searched at once: the output is written as it comes
			for start := 0; start < len(needles); start += batch {
				end := min(start+batch, len(needles))
				for i, matches := range index.QueryBatch(needles[start:end], radius, 0) {
					slices.SortFunc(matches, func(a, b hashindex.Match) int { return cmp.Compare(a.ID, b.ID) })
					for _, m := range matches {
						fmt.Fprintf(out, "%d,%d,%d\n", needleLines[start+i], haystackLines[m.ID], m.Distance)
					}
				}
			}
			return out.Flush()
		},
	}
	cmd.Flags().IntVar(&radius, "radius", 31, "the most bits in which a pair may differ (0 to 256)")
	return cmd
}

// readHashListFile reads a hash list (hashindex.ReadHashList) from a file, and names the
// file in the error if a line is malformed.
func readHashListFile(path string) ([]pdq.Hash, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	hashes, lines, err := hashindex.ReadHashList(f)
	if caseroom.ErrorCode(err) == caseroom.EINVALID {
		return nil, nil, caseroom.Errorf(caseroom.EINVALID, "%s: %s", path, caseroom.ErrorMessage(err))
	} else if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return hashes, lines, nil
}
