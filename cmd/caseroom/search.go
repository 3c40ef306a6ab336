package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
)

func newSearchCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "search", Short: "Manage the search index"}
	var flags storeFlags
	var asJSON bool
	reindex := &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index of every case from the records",
		Long: `Reindex empties the search index and builds it again from the records: every
document, action, decision and exhibit, and the name keys of every person (victims'
names are withheld from the texts' clear terms). The index is derived: the records, the
audit log and 'caseroom audit verify' are untouched. A server opens the store as usual
while a rebuild runs, but finds only what is indexed so far. A store whose index was
built by another version of the terms is rebuilt at start-up without this command.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			rep, err := db.Reindex(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(rep)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Indexed %d records and the names of %d persons in %d cases in %s.\n",
				rep.Records, rep.Persons, rep.Cases, rep.Took.Round(1e6))
			return nil
		},
	}
	flags.register(reindex)
	reindex.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.AddCommand(reindex)
	return cmd
}
