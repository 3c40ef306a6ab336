package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"caseroom"
	"caseroom/audit"
	"caseroom/sqlstore"
)

// storeFlags are the flags that say where the store is.
type storeFlags struct {
	data     string
	db       string
	vaultKey string
	auditKey string
	// create lets open make a new store where there is none (serve, user add); the
	// other commands work on a store that exists, and say so when they find none.
	create bool
}

func (f *storeFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.data, "data", "./caseroom-data", "data directory (SQLite database, later blobs and keys)")
	cmd.Flags().StringVar(&f.db, "db", "", "database URL (postgres://...) instead of the SQLite database in the data directory")
	cmd.Flags().StringVar(&f.vaultKey, "vault-key", "", "identity vault master key file (default DATA/vault.key); keep it apart from database backups")
	cmd.Flags().StringVar(&f.auditKey, "audit-key", "", "the audit log's checkpoint signing key file (default DATA/audit.key)")
}

// auditKeyFile is the log's signing key file: --audit-key, or audit.key in the data
// directory.
func (f *storeFlags) auditKeyFile() string {
	if f.auditKey != "" {
		return f.auditKey
	}
	return filepath.Join(f.data, "audit.key")
}

// auditLog returns the transparency log over db, with its signing key, made on first
// use.
func (f *storeFlags) auditLog(db *sqlstore.DB) (*audit.Log, error) {
	key, err := audit.LoadOrCreateLogKey(f.auditKeyFile())
	if err != nil {
		return nil, err
	}
	return &audit.Log{Store: db, Key: key, Now: db.Now}, nil
}

// open opens the store: the database at --db, or the SQLite database in the data
// directory. Where f.create is set, it creates the data directory and the database if
// needed; otherwise a data directory without a database is an error that names it,
// rather than a new, empty store made in the wrong place.
func (f *storeFlags) open(ctx context.Context) (*sqlstore.DB, error) {
	dsn := f.db
	if dsn == "" {
		dsn = filepath.Join(f.data, "caseroom.db")
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) && !f.create {
			abs, _ := filepath.Abs(f.data)
			return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no Caseroom store in the data directory %s (no caseroom.db there). Name the store's directory with --data DIR, or its database with --db URL; caseroom serve and caseroom user add make a new one.", abs)
		}
	}
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	return sqlstore.Open(ctx, dsn, sqlstore.Options{KeyFile: f.keyFile()})
}

// where names the store opened, for messages: its database URL without credentials,
// or its data directory.
func (f *storeFlags) where() string {
	if f.db != "" {
		if u, err := url.Parse(f.db); err == nil {
			return "the database " + u.Redacted()
		}
		return "the database given with --db"
	}
	abs, err := filepath.Abs(f.data)
	if err != nil {
		abs = f.data
	}
	return "the data directory " + abs
}

// atConsole opens the store and returns it with a context acting as the console
// operator, who works on the data directory directly. The caller closes the store.
func (f *storeFlags) atConsole(cmd *cobra.Command) (context.Context, *sqlstore.DB, error) {
	db, err := f.open(cmd.Context())
	if err != nil {
		return nil, nil, err
	}
	return caseroom.NewContextWithUser(cmd.Context(), caseroom.Console), db, nil
}

// keyFile is the vault key file: --vault-key, or vault.key in the data directory.
func (f *storeFlags) keyFile() string {
	if f.vaultKey != "" {
		return f.vaultKey
	}
	return filepath.Join(f.data, "vault.key")
}

// userMessage returns the message of a domain error, or the error text.
func userMessage(err error) string {
	var e *caseroom.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
