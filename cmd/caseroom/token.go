package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
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
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			tok, err := db.CreateToken(ctx, user)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "API token %s for %s (shown once; send it as 'Authorization: Bearer <token>'):\n", tok.ID, user)
			fmt.Fprintln(cmd.OutOrStdout(), tok.Secret)
			return nil
		},
	}
	flags.register(create)
	create.Flags().StringVar(&user, "user", "", "user name")
	cmd.AddCommand(create, newTokenRevokeCommand(), newTokenListCommand())
	return cmd
}

func newTokenRevokeCommand() *cobra.Command {
	var flags storeFlags
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token for good, by its id (tok_...; see 'caseroom token list')",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			t, err := db.RevokeToken(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Revoked API token %s of %s.\n", t.ID, t.User)
			return nil
		},
	}
	flags.register(cmd)
	return cmd
}

func newTokenListCommand() *cobra.Command {
	var flags storeFlags
	var user string
	cmd := &cobra.Command{
		Use:   "list --user NAME",
		Short: "List a user's API tokens (ids and dates, never the secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if user == "" {
				return fmt.Errorf("--user is required: whose tokens to list")
			}
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			tokens, err := db.FindTokens(ctx, user)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCREATED\tREVOKED")
			for _, t := range tokens {
				revoked := "-"
				if t.RevokedAt != nil {
					revoked = t.RevokedAt.Format(time.RFC3339) + " by " + t.RevokedBy
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", t.ID, t.CreatedAt.Format(time.RFC3339), revoked)
			}
			return tw.Flush()
		},
	}
	flags.register(cmd)
	cmd.Flags().StringVar(&user, "user", "", "user name")
	return cmd
}
