package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"caseroom/web"
)

func newServeCommand() *cobra.Command {
	var flags storeFlags
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the API and web UI",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := flags.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			return serve(cmd.Context(), cmd, db, addr, nil)
		},
	}
	flags.register(cmd)
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	return cmd
}

// serve listens on addr and serves the store until ctx ends. ready, if set, is called
// with the base URL once the server accepts connections.
func serve(ctx context.Context, cmd *cobra.Command, store web.Store, addr string, ready func(url string)) error {
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	url := "http://" + ln.Addr().String()
	srv := web.NewServer(store, logger)
	if ready != nil {
		ready(url)
	} else {
		fmt.Fprintf(cmd.OutOrStdout(), "Caseroom serving on %s\n", url)
	}
	start := time.Now()
	err = srv.ListenAndServe(ctx, ln)
	logger.Info("stopped", "uptime", time.Since(start).Round(time.Second).String())
	return err
}
