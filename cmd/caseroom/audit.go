package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"caseroom/audit"
	"caseroom/sqlstore"
)

func newAuditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "The tamper-evident audit log: its key, checkpoints, verification and witnesses",
	}
	cmd.AddCommand(newAuditKeyCommand(), newAuditCheckpointCommand(), newAuditVerifyCommand(), newAuditWitnessCommand())
	return cmd
}

func newAuditKeyCommand() *cobra.Command {
	var flags storeFlags
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Print the verifier key of the log's checkpoints (made on first use), to give to witnesses and auditors",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			key, err := audit.LoadOrCreateLogKey(flags.auditKeyFile())
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), key.VerifierKey)
			return nil
		},
	}
	flags.register(cmd)
	return cmd
}

func newAuditCheckpointCommand() *cobra.Command {
	var flags storeFlags
	cmd := &cobra.Command{
		Use:   "checkpoint",
		Short: "Sign a checkpoint of the audit log now and print it (C2SP tlog-checkpoint note)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := flags.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			log, err := flags.auditLog(db)
			if err != nil {
				return err
			}
			signed, _, err := log.MakeCheckpoint(cmd.Context())
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(signed)
			return err
		},
	}
	flags.register(cmd)
	return cmd
}

func newAuditVerifyCommand() *cobra.Command {
	var flags storeFlags
	var checkpoints []string
	var logKey string
	cmd := &cobra.Command{
		Use:   "verify [--data DIR | --db URL] [--checkpoint FILE]...",
		Short: "Recompute the audit log from the stored records and check it against its checkpoints",
		Long: `Verify recomputes every audit entry's state hash from the records it created, every
leaf from the entries and the Merkle tree from the leaves; compares them with the
stored tree; checks the latest stored checkpoint's signature and root; and checks that
every checkpoint file given (kept by a court, a witness, an auditor) is a prefix of the
log as it is now. It exits 0 with a one-line summary when all holds, and 1 naming the
first entry or record that does not match when anything was edited, deleted, reordered
or truncated. Checkpoint signatures are checked with --log-key, or the key in the data
directory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			verifier, err := logVerifier(logKey, flags.auditKeyFile())
			if err != nil {
				return err
			}
			var files []audit.CheckpointFile
			for _, name := range checkpoints {
				b, err := os.ReadFile(name)
				if err != nil {
					return fmt.Errorf("checkpoint file: %w", err)
				}
				files = append(files, audit.CheckpointFile{Name: name, Signed: b})
			}
			dsn := flags.db
			if dsn == "" {
				dsn = filepath.Join(flags.data, "caseroom.db")
				if _, err := os.Stat(dsn); err != nil {
					return fmt.Errorf("no store to verify: %w", err)
				}
			}
			db, err := sqlstore.Open(cmd.Context(), dsn, sqlstore.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer db.Close()
			// Verify allocates briefly for every row it reads; with room to spare the
			// collector runs less often (a million entries: about a third faster).
			debug.SetGCPercent(400)
			rep, err := db.VerifyAudit(cmd.Context(), verifier, files)
			if err != nil {
				if audit.IsFinding(err) {
					return fmt.Errorf("audit log verification FAILED: %w", err)
				}
				return fmt.Errorf("verify: %w", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), rep)
			return nil
		},
	}
	flags.register(cmd)
	cmd.Flags().StringArrayVar(&checkpoints, "checkpoint", nil, "a checkpoint file kept earlier; repeat for several")
	cmd.Flags().StringVar(&logKey, "log-key", "", "the log's verifier key (as printed by caseroom audit key) instead of the key file")
	return cmd
}

// logVerifier returns the verifier of the log's checkpoints: from the verifier key
// text if given, else from the signing key file, else nil.
func logVerifier(vkey, keyFile string) (note.Verifier, error) {
	if vkey != "" {
		v, err := note.NewVerifier(vkey)
		if err != nil {
			return nil, fmt.Errorf("--log-key: %w", err)
		}
		return v, nil
	}
	key, err := audit.LoadLogKey(keyFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // checkpoints cannot be checked; verify says so if there are any
	}
	if err != nil {
		return nil, err
	}
	return key.Verifier, nil
}

func newAuditWitnessCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "witness",
		Short: "Register and list the witnesses whose cosignatures the log keeps",
	}
	var addFlags, listFlags storeFlags
	add := &cobra.Command{
		Use:   "add VKEY",
		Short: "Register a witness by its verifier key (as printed by caseroom witness)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, err := addFlags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			w, err := db.AddWitness(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "registered witness %s\n", w.Name)
			return nil
		},
	}
	addFlags.register(add)
	list := &cobra.Command{
		Use:   "list",
		Short: "List the registered witnesses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, err := listFlags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			ws, err := db.Witnesses(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tADDED BY\tADDED AT\tKEY")
			for _, w := range ws {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", w.Name, w.AddedBy, w.AddedAt.Format("2006-01-02 15:04"), w.Key)
			}
			return tw.Flush()
		},
	}
	listFlags.register(list)
	cmd.AddCommand(add, list)
	return cmd
}

func newWitnessCommand() *cobra.Command {
	var logURL, logKey, state, keyFile, name string
	cmd := &cobra.Command{
		Use:   "witness --log URL --log-key KEY --state FILE [--key FILE]",
		Short: "Check from outside that a Caseroom log only grows, and cosign its checkpoint",
		Long: `Witness fetches the log's latest checkpoint, checks its signature with --log-key and,
if it saw a checkpoint before (in --state), that the log's consistency proof shows the
old checkpoint is a prefix of the new one. It then saves the new checkpoint in the
state file and, with --key, cosigns it (C2SP tlog-cosignature) and sends the
cosignature to the log. A key file that does not exist is made, and its verifier key
printed, for the log's administrator to register (caseroom audit witness add).

If the log rewrote or rolled back its history, witness exits 1 and prints both signed
checkpoints and the failed proof: evidence anyone with the log's key can check.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if logURL == "" || logKey == "" || state == "" {
				return errors.New("--log, --log-key and --state are required")
			}
			v, err := note.NewVerifier(logKey)
			if err != nil {
				return fmt.Errorf("--log-key: %w", err)
			}
			w := &audit.Witness{LogURL: logURL, LogKey: v, LogVerifierKey: logKey, StateFile: state}
			if keyFile != "" {
				k, created, err := audit.LoadOrCreateWitnessKey(keyFile, name)
				if err != nil {
					return err
				}
				if created {
					fmt.Fprintf(cmd.ErrOrStderr(), "made witness key %s; register it with the log: caseroom audit witness add %s\n", keyFile, k.VerifierKey())
				}
				w.Key = k
			}
			res, err := w.Run(cmd.Context())
			var inc *audit.Inconsistency
			if errors.As(err, &inc) {
				fmt.Fprint(cmd.OutOrStdout(), inc.Evidence())
				return err
			}
			if err != nil {
				return err
			}
			from := "first checkpoint seen"
			if res.Previous != nil {
				from = fmt.Sprintf("consistent with the %d entries seen before", res.Previous.Size)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "witness: %s at %d entries, %s\n", res.Current.Origin, res.Current.Size, from)
			if w.Key != nil {
				if res.Cosigned {
					fmt.Fprintf(cmd.OutOrStdout(), "witness: cosigned as %s\n", w.Key.Name)
				} else {
					fmt.Fprintf(cmd.ErrOrStderr(), "witness: not cosigned: %v\n", res.CosignError)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&logURL, "log", "", "the Caseroom server's base URL")
	cmd.Flags().StringVar(&logKey, "log-key", "", "the log's verifier key (caseroom audit key prints it)")
	cmd.Flags().StringVar(&state, "state", "", "file holding the last checkpoint this witness accepted")
	cmd.Flags().StringVar(&keyFile, "key", "", "the witness's cosigning key file (made if missing)")
	cmd.Flags().StringVar(&name, "name", "witness.local", "the name of a new witness key (a schema-less URL naming the witness)")
	return cmd
}
