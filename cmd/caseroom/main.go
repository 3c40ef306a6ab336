// Command caseroom is the incident-room server and its command-line tools.
//
//	caseroom serve [--addr 127.0.0.1:8080] [--data ./caseroom-data] [--db URL] [--tls-cert F --tls-key F]
//	caseroom user add|totp|unlock|disable|enable NAME
//	caseroom token create --user NAME | list --user NAME | revoke ID
//	caseroom key rotate
//	caseroom audit key | checkpoint | verify [--checkpoint FILE]... | witness add VKEY | witness list
//	caseroom witness --log URL --log-key KEY --state FILE [--key FILE]
//	caseroom ingest --case ID --exhibit REF [--json] PATH...
//	caseroom blobs verify [--json]
//	caseroom hash pdq [--dihedral] [--cli512] FILE... | compare [--radius 31] NEEDLES HAYSTACK
//	caseroom hashset import FILE --name NAME | list
//	caseroom demo [--addr 127.0.0.1:8080]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line until it finishes or the process is interrupted, and
// returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runContext(ctx, args, stdin, stdout, stderr)
}

// runContext executes the command line until it finishes or ctx ends.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCommand(stdin, stdout, stderr)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "caseroom:", userMessage(err))
		return 1
	}
	return 0
}

func newRootCommand(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "caseroom",
		Short:         "Caseroom: the incident room of a joint investigation team",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newServeCommand(), newUserCommand(), newTokenCommand(), newKeyCommand(), newAuditCommand(), newWitnessCommand(), newIngestCommand(), newBlobsCommand(), newHashCommand(), newHashSetCommand(), newImportCommand(), newSearchCommand(), newExportCommand(), newDemoCommand())
	return root
}
