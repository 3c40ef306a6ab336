package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newKeyCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "key", Short: "Manage the identity vault's key"}
	var flags storeFlags
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Replace the vault's master key: re-wrap the data keys and start a new data key",
		Long: `Replace the identity vault's master key. The data keys stored in the database are
re-wrapped with a new master key and a fresh data key seals new values; values already
stored stay as they are, so the audit log's hashes of them still hold. The new key is
written beside the old file first and renamed over it once the database has committed,
so an interruption leaves a store that opens.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.RotateKey(ctx, flags.keyFile()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Rotated the vault key in %s. Keep a copy of it apart from the database's backups: without it no identity can be read.\n", flags.keyFile())
			return nil
		},
	}
	flags.register(rotate)
	cmd.AddCommand(rotate)
	return cmd
}
