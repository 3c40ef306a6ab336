package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"caseroom/hashsets"
)

// newHashSetCommand is "caseroom hashset import|list".
func newHashSetCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "hashset", Short: "Known-hash sets (Project VIC VICS JSON or CSV)", Args: cobra.NoArgs}
	var flags storeFlags
	var name string
	var asJSON bool
	imp := &cobra.Command{
		Use:   "import FILE --name NAME",
		Short: "Import a known-hash set and match every recorded content against it",
		Long: `Imports a VICS JSON (1.x or 2.0) or CSV (columns md5, sha1, sha256, pdq, category)
file of known hashes in one transaction, then records which of the store's contents
match it (by MD5, SHA-1, SHA-256, or PDQ within distance 31 in any orientation). A file
with any invalid entry is refused whole, naming the entry or line.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if name == "" {
				return fmt.Errorf("--name is required")
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			set, err := hashsets.Import(ctx, db, name, f)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(set)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Imported %q (%s): %d entries; %d recorded contents match it.\n", set.Name, set.Format, set.Entries, set.Matched)
			return nil
		},
	}
	flags.register(imp)
	imp.Flags().StringVar(&name, "name", "", "name of the set, e.g. \"Project VIC 2026-11\"")
	imp.Flags().BoolVar(&asJSON, "json", false, "print the imported set as JSON")
	var lflags storeFlags
	list := &cobra.Command{
		Use:   "list",
		Short: "List the imported known-hash sets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, err := lflags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			sets, err := db.FindHashSets(ctx)
			if err != nil {
				return err
			}
			for _, s := range sets {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%s\t%d entries\t%d matched\t%s\n", s.ID, s.Name, s.Format, s.Entries, s.Matched, s.ImportedAt.Format("2006-01-02 15:04"))
			}
			return nil
		},
	}
	lflags.register(list)
	cmd.AddCommand(imp, list)
	return cmd
}
