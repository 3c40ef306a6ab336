package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"caseroom"
	"caseroom/sqlstore"
)

func newUserCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users"}
	flags := storeFlags{create: true} // the first user is made on a new store
	var admin bool
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Create a user; the password is read from stdin, or generated and printed once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, generated, err := readPassword(cmd.InOrStdin())
			if err != nil {
				return err
			}
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			u, err := db.CreateUser(ctx, caseroom.NewUser{Name: args[0], Password: password, Admin: admin})
			if err != nil {
				return err
			}
			kind := "user"
			if u.Admin {
				kind = "administrator"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Created %s %s.\n", kind, u.Name)
			if generated {
				fmt.Fprintf(cmd.OutOrStdout(), "Password (shown once): %s\n", password)
			}
			return nil
		},
	}
	flags.register(add)
	add.Flags().BoolVar(&admin, "admin", false, "make the user an administrator (creates users, manages any case's members)")
	cmd.AddCommand(add)
	cmd.AddCommand(
		accountCommand("unlock NAME", "Unlock a user locked out by failed sign-ins", "Unlocked", (*sqlstore.DB).UnlockUser),
		accountCommand("disable NAME", "Disable a user: ends their sessions and revokes their API tokens at once", "Disabled", (*sqlstore.DB).DisableUser),
		accountCommand("enable NAME", "Let a disabled user sign in again (their old API tokens stay revoked)", "Enabled", (*sqlstore.DB).EnableUser),
		newTOTPCommand(),
	)
	return cmd
}

// accountCommand is a "user" subcommand that changes one user's account state at the
// console.
func accountCommand(use, short, done string, change func(*sqlstore.DB, context.Context, string) (*caseroom.Account, error)) *cobra.Command {
	var flags storeFlags
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			if _, err := change(db, ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s.\n", done, args[0])
			return nil
		},
	}
	flags.register(cmd)
	return cmd
}

func newTOTPCommand() *cobra.Command {
	var flags storeFlags
	cmd := &cobra.Command{
		Use:   "totp NAME",
		Short: "Enrol a second factor (TOTP) for a user, replacing any other; prints the secret once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, db, err := flags.atConsole(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			e, err := db.EnrolTOTP(ctx, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Enrolled a second factor for %s. Give them these (shown once) for their authenticator app:\n", e.User)
			fmt.Fprintf(out, "URI:    %s\n", e.URI)
			fmt.Fprintf(out, "Secret: %s\n", e.Secret)
			return nil
		},
	}
	flags.register(cmd)
	return cmd
}

// readPassword reads one line from stdin when it is not a terminal. With nothing to
// read (a terminal, or empty input) it generates a password.
func readPassword(stdin io.Reader) (password string, generated bool, err error) {
	if f, ok := stdin.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", false, fmt.Errorf("read password from stdin: %w", err)
		}
		if line = strings.TrimRight(line, "\r\n"); line != "" {
			return line, false, nil
		}
	}
	return generatePassword(), true, nil
}

// generatePassword returns 20 characters from an alphabet without look-alikes
// (about 113 bits).
func generatePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	return randomString(alphabet, 20)
}

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic(err)
		}
		// Reject values that would bias the choice.
		if int(buf[0]) >= 256-256%len(alphabet) {
			continue
		}
		b[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(b)
}
