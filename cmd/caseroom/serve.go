package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"caseroom"
	"caseroom/audit"
	"caseroom/blob"
	"caseroom/sqlstore"
	"caseroom/web"
)

func newServeCommand() *cobra.Command {
	flags := storeFlags{create: true} // serve starts on its embedded default, made on first use
	var bflags blobFlags
	var addr, certFile, keyFile string
	var idle, lifetime, checkpointEvery time.Duration
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the API and web UI",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tlsConfig, err := loadTLS(certFile, keyFile)
			if err != nil {
				return err
			}
			if idle <= 0 || lifetime <= 0 {
				return errors.New("--session-idle and --session-lifetime must be positive")
			}
			db, err := flags.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			db.Sessions = sqlstore.SessionPolicy{IdleTimeout: idle, Lifetime: lifetime}
			log, err := flags.auditLog(db)
			if err != nil {
				return err
			}
			blobs, release, err := bflags.open(cmd.Context(), flags.data)
			if err != nil {
				return err
			}
			defer release()
			// Contents left without their perceptual hash (stores made before ingest gave
			// every occurrence of a content its hash) are not matched until repaired.
			if todo, err := db.UnhashedContents(caseroom.NewContextWithUser(cmd.Context(), caseroom.Console)); err != nil {
				return err
			} else if len(todo) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "caseroom: %d image or video contents are held without a perceptual hash and are not matched; run caseroom ingest --rehash to hash them\n", len(todo))
			}
			return serveWith(cmd.Context(), cmd, db, log, blobs, checkpointEvery, addr, tlsConfig, nil)
		},
	}
	flags.register(cmd)
	bflags.register(cmd)
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().StringVar(&certFile, "tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
	cmd.Flags().StringVar(&keyFile, "tls-key", "", "the PEM private key of --tls-cert")
	cmd.Flags().DurationVar(&idle, "session-idle", sqlstore.DefaultIdleTimeout, "end a web session unused for this long")
	cmd.Flags().DurationVar(&lifetime, "session-lifetime", sqlstore.DefaultSessionLifetime, "end a web session this long after sign-in")
	cmd.Flags().DurationVar(&checkpointEvery, "checkpoint-every", time.Minute, "sign a checkpoint of the audit log this often while it grows")
	return cmd
}

// loadTLS returns the TLS configuration for --tls-cert and --tls-key, or nil if
// neither is given. TLS 1.2 is the oldest version served.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("--tls-cert and --tls-key go together: give both to serve HTTPS")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate: %w", err)
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, nil
}

// serve listens on addr and serves the store over plain HTTP until ctx ends, signing a
// checkpoint of log every minute while it grows. ready, if set, is called with the base
// URL once the server accepts connections.
func serve(ctx context.Context, cmd *cobra.Command, store web.Store, log *audit.Log, blobs blob.Store, addr string, ready func(url string)) error {
	return serveWith(ctx, cmd, store, log, blobs, time.Minute, addr, nil, ready)
}

// serveWith is serve, checkpointing every checkpointEvery, over TLS when tlsConfig is set.
func serveWith(ctx context.Context, cmd *cobra.Command, store web.Store, log *audit.Log, blobs blob.Store, checkpointEvery time.Duration, addr string, tlsConfig *tls.Config, ready func(url string)) error {
	if checkpointEvery <= 0 {
		return errors.New("--checkpoint-every must be positive")
	}
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String()
	srv := web.NewServer(store, logger)
	srv.TLSConfig = tlsConfig
	srv.Log = log
	srv.Blobs = blobs
	runCtx, stopCheckpoints := context.WithCancel(ctx)
	checkpointsDone := make(chan struct{})
	go func() {
		defer close(checkpointsDone)
		log.Run(runCtx, checkpointEvery, func(format string, args ...any) { logger.Error(fmt.Sprintf(format, args...)) })
	}()
	defer func() { stopCheckpoints(); <-checkpointsDone }()
	if t, ok := store.(signInTallier); ok {
		talliesDone := make(chan struct{})
		go func() {
			defer close(talliesDone)
			writeSignInTallies(runCtx, t, logger)
		}()
		defer func() { stopCheckpoints(); <-talliesDone }()
	}
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

// signInTallier writes the tally of failed sign-ins under unknown user names once its
// period is over; *sqlstore.DB is one (see sqlstore.UnknownSignInPeriod).
type signInTallier interface {
	WriteSignInTally(ctx context.Context) error
}

// writeSignInTallies has t write its tally, if its period is over, every ten seconds
// until ctx ends, so that the failures of a flood that stopped reach the log at most
// ten seconds after their period rather than wait for the next failure. Nothing to
// write costs one read.
func writeSignInTallies(ctx context.Context, t signInTallier, logger *slog.Logger) {
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := t.WriteSignInTally(ctx); err != nil && ctx.Err() == nil {
				logger.Error("write the tally of failed sign-ins", "err", err)
			}
		}
	}
}
