package main

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"caseroom/audit"
	"caseroom/demo"
	"caseroom/sqlstore"
)

func newDemoCommand() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve a fictional case on a fresh temporary data directory, to try Caseroom out",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := os.MkdirTemp("", "caseroom-demo-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			db, err := sqlstore.Open(cmd.Context(), filepath.Join(dir, "caseroom.db"), sqlstore.Options{KeyFile: filepath.Join(dir, "vault.key")})
			if err != nil {
				return err
			}
			defer db.Close()
			fmt.Fprintln(cmd.ErrOrStderr(), "Seeding a fictional case ...")
			res, err := demo.Seed(cmd.Context(), db)
			if err != nil {
				return fmt.Errorf("seed demo case: %w", err)
			}
			key, err := audit.LoadOrCreateLogKey(filepath.Join(dir, "audit.key"))
			if err != nil {
				return err
			}
			log := &audit.Log{Store: db, Key: key, Now: db.Now}
			blobs, release, err := (&blobFlags{}).open(cmd.Context(), dir)
			if err != nil {
				return err
			}
			defer release()
			return serve(cmd.Context(), cmd, db, log, blobs, addr, func(url string) {
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "Caseroom demo serving on %s\n", url)
				fmt.Fprintf(out, "Data directory (deleted on exit): %s\n", dir)
				fmt.Fprintf(out, "Case: %s\n\nLogins (fictional people; API tokens go in 'Authorization: Bearer <token>'):\n", res.CaseID)
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "USER\tROLE\tPASSWORD\tTOTP SECRET\tTOKEN")
				for _, l := range res.Logins {
					role := string(l.Role)
					if role == "" {
						role = "admin"
					}
					totp := l.TOTP
					if totp == "" {
						totp = "-"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.User, role, l.Password, totp, l.Token)
				}
				tw.Flush()
				fmt.Fprintf(out, "\nTry: curl -H 'Authorization: Bearer %s' %s/api/v1/cases/%s/persons\n", res.Logins[0].Token, url, res.CaseID)
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	return cmd
}
