package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"caseroom"
	"caseroom/commsfile"
)

func newImportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import records from an exhibit's files",
	}
	cmd.AddCommand(newImportCommsCommand())
	return cmd
}

func newImportCommsCommand() *cobra.Command {
	var flags storeFlags
	var caseID, exhibit, format, mapping, dateOrder, service string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "comms --case ID --exhibit REF --format cdr|chat FILE",
		Short: "Import an exhibit's call-detail records or chat export as communications",
		Long: `Import comms reads FILE, a file of the exhibit, as call-detail records (--format cdr,
CSV with a header; columns found by their usual names, others named with --map
a=HEADER,b=HEADER,time=HEADER,...) or as a chat service's contacts and messages
(--format chat: Caseroom's own layout or a Skype export; see docs/comms-formats.md).
Every row becomes a communication between two endpoints (phone numbers in E.164),
sourced to the exhibit and the row's line. The file is checked whole first: a row that
cannot be read is reported by its line and nothing is written. Rows are then written in
batches, one transaction each; run the same command again after an interruption and it
resumes, or, once the file is imported, adds nothing. With --json the summary is one
JSON object on stdout.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if caseID == "" || exhibit == "" {
				return errors.New("--case and --exhibit are required")
			}
			if format != "cdr" && format != "chat" {
				return fmt.Errorf("--format: %q is neither cdr nor chat", format)
			}
			file := args[0]
			sum, err := fileSHA256(file)
			if err != nil {
				return err
			}
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			read, err := commsfile.Reader(format, mapping, dateOrder, service)
			if err != nil {
				return err
			}
			progress, finish := rowProgress(cmd.ErrOrStderr())
			imp, err := db.ImportCommunications(ctx, caseID, caseroom.NewCommImport{
				Exhibit: exhibit, Format: format, SHA256: sum, Name: filepath.Base(file), Progress: progress,
				Rows: func(loc *time.Location, fn func(caseroom.CommRow) error) error {
					f, err := os.Open(file)
					if err != nil {
						return err
					}
					defer f.Close()
					return read(f, loc, fn)
				},
			})
			finish()
			if caseroom.ErrorCode(err) == caseroom.ENOTFOUND && strings.Contains(caseroom.ErrorMessage(err), "no case") {
				return caseroom.Errorf(caseroom.ENOTFOUND, "Opened %s: it holds no case %q. Check the case's id, or name the right store with --data or --db.", flags.where(), caseID)
			} else if err != nil {
				return err
			}
			if asJSON {
				b, err := json.Marshal(imp)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), string(b))
				return nil
			}
			state := "complete"
			if imp.Resumed {
				state = "resumed and complete"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d rows, %d communications added, %d already recorded, %d new endpoints; import %s %s\n",
				file, imp.Rows, imp.Added, imp.Skipped, imp.Endpoints, imp.ID, state)
			return nil
		},
	}
	flags.register(cmd)
	cmd.Flags().StringVar(&caseID, "case", "", "the case's id")
	cmd.Flags().StringVar(&exhibit, "exhibit", "", "the exhibit's reference (RG/1) or id")
	cmd.Flags().StringVar(&format, "format", "", "cdr (call-detail records, CSV) or chat (contacts and messages)")
	cmd.Flags().StringVar(&mapping, "map", "", "cdr: columns named otherwise, as field=HEADER,... (fields: a, b, time, date, clock, duration, direction, cell, imei)")
	cmd.Flags().StringVar(&dateOrder, "date-order", "", "cdr: how numeric dates are written: dmy (default), mdy or ymd")
	cmd.Flags().StringVar(&service, "service", "", "chat: the service (skype, whatsapp...) when the file does not say")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as one JSON object")
	return cmd
}

// fileSHA256 returns the hex SHA-256 of a file.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// rowProgress shows an import's progress on w: a bar on a terminal, a line every two
// seconds otherwise.
func rowProgress(w io.Writer) (func(written, total int64), func()) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(written, total int64) {
				if bar == nil {
					bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(w), progressbar.OptionShowCount(),
						progressbar.OptionSetDescription("rows"), progressbar.OptionSetPredictTime(true), progressbar.OptionSetWidth(30),
						progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
				}
				bar.Set64(written)
			}, func() {
				if bar != nil {
					bar.Finish()
				}
			}
	}
	var last time.Time
	return func(written, total int64) {
		if time.Since(last) < 2*time.Second && written < total {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "import: %d/%d rows\n", written, total)
	}, func() {}
}
