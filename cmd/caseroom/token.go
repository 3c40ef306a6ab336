package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"caseroom"
)

func newTokenCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var flags storeFlags
	var user string
	create := &cobra.Command{
		Use:   "create --user NAME",
		Short: "Issue a new API token for a user and print it (shown once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if user == "" {
				return fmt.Errorf("--user is required: the user the token is for")
			}
			db, err := flags.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			ctx := caseroom.NewContextWithUser(cmd.Context(), caseroom.Console)
			tok, err := db.CreateToken(ctx, user)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "API token for %s (shown once; send it as 'Authorization: Bearer <token>'):\n", user)
			fmt.Fprintln(cmd.OutOrStdout(), tok.Secret)
			return nil
		},
	}
	flags.register(create)
	create.Flags().StringVar(&user, "user", "", "user name")
	cmd.AddCommand(create)
	return cmd
}
