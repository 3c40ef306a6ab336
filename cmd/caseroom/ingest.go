package main

import (
	"context"
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
	"caseroom/blob"
	"caseroom/ingest"
	"caseroom/sqlstore"
)

// blobFlags say where the blob store is.
type blobFlags struct {
	blobs   string
	blobKey string
	plain   bool
}

func (f *blobFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.blobs, "blobs", "", "blob store: a folder (default DATA/blobs) or s3://bucket/prefix?endpoint=host:port (keys from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
	cmd.Flags().StringVar(&f.blobKey, "blob-key", "", "age key that encrypts blobs at rest (default DATA/blob.key, made on first use)")
	cmd.Flags().BoolVar(&f.plain, "blobs-unencrypted", false, "store blobs without encryption (only where the storage is encrypted otherwise)")
}

// open returns the blob store: on disk in the data directory by default, encrypted with
// the age key kept beside it. The returned function releases it.
func (f *blobFlags) open(ctx context.Context, data string) (blob.Store, func(), error) {
	var inner blob.Store
	release := func() {}
	if strings.HasPrefix(f.blobs, "s3://") {
		cfg, err := blob.ParseS3URL(f.blobs)
		if err != nil {
			return nil, nil, err
		}
		s, err := blob.NewS3(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		inner = s
	} else {
		dir := f.blobs
		if dir == "" {
			dir = filepath.Join(data, "blobs")
		}
		d, err := blob.NewDisk(dir)
		if err != nil {
			return nil, nil, err
		}
		if err := d.CleanTemp(); err != nil {
			d.Close()
			return nil, nil, err
		}
		inner, release = d, func() { d.Close() }
	}
	if f.plain {
		return inner, release, nil
	}
	keyFile := f.blobKey
	if keyFile == "" {
		keyFile = filepath.Join(data, "blob.key")
	}
	id, err := blob.LoadOrCreateKey(keyFile)
	if err != nil {
		release()
		return nil, nil, err
	}
	return blob.NewEncrypted(inner, id), release, nil
}

// atConsoleWithBlobs opens the store as the console operator and the blob store beside
// it; release closes both.
func atConsoleWithBlobs(cmd *cobra.Command, flags *storeFlags, bflags *blobFlags) (context.Context, *sqlstore.DB, blob.Store, func(), error) {
	ctx, db, err := flags.atConsole(cmd)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	blobs, closeBlobs, err := bflags.open(ctx, flags.data)
	if err != nil {
		db.Close()
		return nil, nil, nil, nil, err
	}
	return ctx, db, blobs, func() { closeBlobs(); db.Close() }, nil
}

func newIngestCommand() *cobra.Command {
	var flags storeFlags
	var bflags blobFlags
	var caseID, exhibit string
	var asJSON, rehash bool
	var workers int
	cmd := &cobra.Command{
		Use:   "ingest --case ID --exhibit REF PATH... | ingest --rehash",
		Short: "Store the files of a seized device (folders, zip archives) and record them as media of an exhibit",
		Long: `Ingest walks the folders given (and the zip archives in them), reads each file once
while computing its SHA-256, SHA-1 and MD5 and writing it to the blob store (encrypted
at rest), stores each content once, and records every file as media of the exhibit,
with where else its content was found. A file that cannot be read is reported and the
run goes on. Run it again after an interruption: files already recorded are not read
again. With --json the summary is one JSON object on stdout. Exit status 1 if any file
failed.

With --rehash (and no case, exhibit or paths) it repairs the store instead: every image
content held without a PDQ hash and every video content without a vPDQ hash is read
back from the blob store, hashed, and matched against the known sets and the other
contents, each under an audit entry (content.hash). Exit status 1 if a content could
not be read back.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if rehash {
				if caseID != "" || exhibit != "" || len(args) > 0 {
					return errors.New("--rehash repairs the whole store: give it no --case, --exhibit or paths")
				}
				ctx, db, blobs, release, err := atConsoleWithBlobs(cmd, &flags, &bflags)
				if err != nil {
					return err
				}
				defer release()
				sum, err := ingest.Rehash(ctx, db, blobs, ingest.Options{Workers: workers, Probe: true})
				if err != nil {
					return err
				}
				return printRehashSummary(cmd.OutOrStdout(), cmd.ErrOrStderr(), sum, asJSON)
			}
			if caseID == "" || exhibit == "" {
				return errors.New("--case and --exhibit are required")
			}
			if len(args) == 0 {
				return errors.New("name at least one file or folder to ingest")
			}
			ctx, db, blobs, release, err := atConsoleWithBlobs(cmd, &flags, &bflags)
			if err != nil {
				return err
			}
			defer release()
			if _, err := db.FindExhibits(ctx, caseID); caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
				return caseroom.Errorf(caseroom.ENOTFOUND, "Opened %s: it holds no case %q. Check the case's id (caseroom serve lists the cases at /api/v1/cases), or name the right store with --data or --db.", flags.where(), caseID)
			} else if err != nil {
				return err
			}
			progress, finish := progressReporter(cmd.ErrOrStderr())
			sum, err := ingest.Run(ctx, db, blobs, args, ingest.Options{CaseID: caseID, Exhibit: exhibit, Workers: workers, Probe: true, Progress: progress})
			finish()
			if err != nil {
				return err
			}
			return printIngestSummary(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), db, caseID, sum, asJSON)
		},
	}
	flags.register(cmd)
	bflags.register(cmd)
	cmd.Flags().StringVar(&caseID, "case", "", "the case's id")
	cmd.Flags().StringVar(&exhibit, "exhibit", "", "the exhibit's reference (SB/1) or id")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as one JSON object")
	cmd.Flags().BoolVar(&rehash, "rehash", false, "hash every image and video content held without its perceptual hash, and match it")
	cmd.Flags().IntVar(&workers, "workers", 0, "files read at once (default: the number of CPUs)")
	return cmd
}

// printRehashSummary prints what a repair did; exit status 1 if a content could not be
// read back.
func printRehashSummary(out, errOut io.Writer, sum *ingest.RehashSummary, asJSON bool) error {
	if asJSON {
		b, err := json.Marshal(sum)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, string(b))
	} else {
		fmt.Fprintf(out, "%d contents without a perceptual hash: %d hashed now, %d could not be hashed, %d could not be read\n",
			sum.Contents, sum.Hashed, len(sum.Warnings), len(sum.Failed))
		for _, w := range sum.Warnings {
			fmt.Fprintf(errOut, "not hashed: %s: %s\n", w.Path, w.Error)
		}
		for _, f := range sum.Failed {
			fmt.Fprintf(errOut, "failed: %s: %s\n", f.Path, f.Error)
		}
	}
	if len(sum.Failed) > 0 {
		return errors.New("some contents could not be read back from the blob store; see above (caseroom blobs verify checks the store)")
	}
	return nil
}

// errFilesFailed makes the exit status 1 once the summary is printed.
var errFilesFailed = errors.New("some files could not be ingested; see the summary")

func printIngestSummary(ctx context.Context, out, errOut io.Writer, db *sqlstore.DB, caseID string, sum *ingest.Summary, asJSON bool) error {
	total, err := db.SummariseMedia(ctx, caseID)
	if err != nil {
		return err
	}
	if asJSON {
		b, err := json.Marshal(struct {
			*ingest.Summary
			Case *caseroom.MediaSummary `json:"case"`
		}{sum, total})
		if err != nil {
			return err
		}
		fmt.Fprintln(out, string(b))
	} else {
		fmt.Fprintf(out, "%d files, %s read: %d new contents, %d copies, %d already recorded, %d failed\n",
			sum.Files, humanBytes(sum.Bytes), sum.New, sum.Copies, sum.Skipped, sum.Errors)
		fmt.Fprintf(out, "case media: %d files, %d unique contents, %d copies, %s\n", total.Files, total.Unique, total.Copies, humanBytes(total.Bytes))
		for _, f := range sum.Failed {
			fmt.Fprintf(errOut, "failed: %s: %s\n", f.Path, f.Error)
		}
	}
	if sum.Errors > 0 {
		return errFilesFailed
	}
	return nil
}

// progressReporter shows progress on w: a bar on a terminal, a plain line every two
// seconds otherwise. finish ends the display.
func progressReporter(w io.Writer) (func(ingest.Progress), func()) {
	f, isFile := w.(*os.File)
	if isFile && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(p ingest.Progress) {
				if bar == nil {
					bar = progressbar.NewOptions64(p.TotalBytes, progressbar.OptionSetWriter(w), progressbar.OptionShowBytes(true),
						progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionSetWidth(30),
						progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
				}
				bar.Describe(fmt.Sprintf("%d/%d files", p.Files, p.TotalFiles))
				bar.Set64(p.Bytes)
			}, func() {
				if bar != nil {
					bar.Finish()
				}
			}
	}
	var last time.Time
	return func(p ingest.Progress) {
		if time.Since(last) < 2*time.Second && p.Files < p.TotalFiles {
			return
		}
		last = time.Now()
		rate := float64(p.Bytes) / max(p.Elapsed.Seconds(), 0.001)
		left := "?"
		if rate > 0 && p.TotalBytes >= p.Bytes {
			left = time.Duration(float64(p.TotalBytes-p.Bytes) / rate * float64(time.Second)).Round(time.Second).String()
		}
		fmt.Fprintf(w, "ingest: %d/%d files, %s/%s, %s/s, %s left\n", p.Files, p.TotalFiles, humanBytes(p.Bytes), humanBytes(p.TotalBytes), humanBytes(int64(rate)), left)
	}, func() {}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func newBlobsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "blobs", Short: "The blob store of seized files"}
	var flags storeFlags
	var bflags blobFlags
	var asJSON bool
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Re-read every blob and check its SHA-256, and check records and blobs against each other",
		Long: `Verify re-reads (and decrypts) every blob and checks that its content has the SHA-256
it is stored under; lists orphans (blobs no record points at) and missing blobs
(records whose blob is absent). Exit status 1 if anything is wrong.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, blobs, release, err := atConsoleWithBlobs(cmd, &flags, &bflags)
			if err != nil {
				return err
			}
			defer release()
			var problems []string
			rep, err := blob.Verify(ctx, blobs, func(sum string, err error) {
				problems = append(problems, fmt.Sprintf("corrupt: %s: %v", sum, err))
			})
			if err != nil {
				return err
			}
			stored := map[string]bool{}
			if err := blobs.List(ctx, func(sum string) error { stored[sum] = true; return nil }); err != nil {
				return err
			}
			recorded := map[string]bool{}
			missing := 0
			if err := db.ContentSums(ctx, func(sum string) error {
				recorded[sum] = true
				if !stored[sum] {
					missing++
					problems = append(problems, "missing: "+sum+" is recorded but has no blob")
				}
				return nil
			}); err != nil {
				return err
			}
			orphans := 0
			for sum := range stored {
				if !recorded[sum] {
					orphans++
					problems = append(problems, "orphan: "+sum+" is stored but no record points at it")
				}
			}
			report := map[string]int{"blobs": rep.Blobs, "ok": rep.OK, "corrupt": rep.Corrupt, "orphans": orphans, "missing": missing}
			if asJSON {
				b, _ := json.Marshal(report)
				fmt.Fprintln(cmd.OutOrStdout(), string(b))
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "%d blobs: %d ok, %d corrupt, %d orphans, %d missing\n", rep.Blobs, rep.OK, rep.Corrupt, orphans, missing)
			}
			for _, p := range problems {
				fmt.Fprintln(cmd.ErrOrStderr(), p)
			}
			if rep.Corrupt+orphans+missing > 0 {
				return errors.New("the blob store does not match its records")
			}
			return nil
		},
	}
	flags.register(verify)
	bflags.register(verify)
	verify.Flags().BoolVar(&asJSON, "json", false, "print the report as one JSON object")
	cmd.AddCommand(verify)
	return cmd
}
