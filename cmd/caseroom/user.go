package main

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"caseroom"
)

func newUserCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users"}
	var flags storeFlags
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
			db, err := flags.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			ctx := caseroom.NewContextWithUser(cmd.Context(), caseroom.Console)
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
