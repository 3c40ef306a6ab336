package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"caseroom"
	"caseroom/export"
)

func newExportCommand() *cobra.Command {
	var flags storeFlags
	var caseID, format, out string
	var reveal bool
	cmd := &cobra.Command{
		Use:   "export --case ID --format ftm|graphml|csv|xlsx [--out FILE]",
		Short: "Export a case for the tools analysts use",
		Long: `Export writes a case's persons, organisations, locations, endpoints, documents
(titles, never texts), standing links, payments and communications in one of four
formats (docs/export.md): ftm, FollowTheMoney entities as JSON lines for Aleph;
graphml, for Gephi and yEd; csv, nodes.csv and edges.csv in a zip, for i2 Analyst's
Notebook; xlsx, an Excel workbook. Victims are named by pseudonym; --reveal names
them, and the export records that it did. It writes to standard output, or to --out.
The console exports the whole case as its lead reads it; every export is audited
(action export) before anything is read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if caseID == "" {
				return errors.New("--case is required")
			}
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			x, err := db.OpenExport(ctx, caseID, caseroom.ExportRequest{Format: format, Reveal: reveal})
			if err != nil {
				return err
			}
			defer x.Close()
			var w io.Writer = cmd.OutOrStdout()
			if out != "" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			bw := bufio.NewWriterSize(w, 1<<16)
			counts, err := export.Write(bw, format, x)
			if err == nil {
				err = bw.Flush()
			}
			if f, ok := w.(*os.File); ok && out != "" && err == nil {
				err = f.Close()
			}
			if err != nil {
				return err
			}
			keys := make([]string, 0, len(counts.Written))
			for k := range counts.Written {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%d %s", counts.Written[k], k))
			}
			skipped := make([]string, 0, len(counts.Skipped))
			for k := range counts.Skipped {
				skipped = append(skipped, k)
			}
			sort.Strings(skipped)
			for _, k := range skipped {
				parts = append(parts, fmt.Sprintf("%d left out (%s)", counts.Skipped[k], k))
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Exported case %s as %s: %s.\n", caseID, format, strings.Join(parts, ", "))
			return nil
		},
	}
	flags.register(cmd)
	cmd.Flags().StringVar(&caseID, "case", "", "the case's id")
	cmd.Flags().StringVar(&format, "format", "", "ftm, graphml, csv or xlsx")
	cmd.Flags().StringVar(&out, "out", "", "the file to write (default standard output)")
	cmd.Flags().BoolVar(&reveal, "reveal", false, "name victims instead of giving their pseudonyms (recorded)")
	return cmd
}
