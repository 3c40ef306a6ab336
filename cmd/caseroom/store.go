package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"caseroom"
	"caseroom/sqlstore"
)

// storeFlags are the flags that say where the store is.
type storeFlags struct {
	data string
	db   string
}

func (f *storeFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.data, "data", "./caseroom-data", "data directory (SQLite database, later blobs and keys)")
	cmd.Flags().StringVar(&f.db, "db", "", "database URL (postgres://...) instead of the SQLite database in the data directory")
}

// open creates the data directory if needed and opens the store.
func (f *storeFlags) open(ctx context.Context) (*sqlstore.DB, error) {
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	dsn := f.db
	if dsn == "" {
		dsn = filepath.Join(f.data, "caseroom.db")
	}
	return sqlstore.Open(ctx, dsn)
}

// userMessage returns the message of a domain error, or the error text.
func userMessage(err error) string {
	var e *caseroom.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
