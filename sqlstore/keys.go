package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"caseroom"
	"caseroom/vault"
)

// storedKey is a row of vault_keys.
type storedKey struct{ id, purpose, wrapped, created string }

func loadStoredKeys(ctx context.Context, q querier) ([]storedKey, error) {
	var keys []storedKey
	err := scanEach(ctx, q, `SELECT id, purpose, wrapped, created_at FROM vault_keys ORDER BY created_at, id`, nil,
		func(scan func(...any) error) error {
			var k storedKey
			if err := scan(&k.id, &k.purpose, &k.wrapped, &k.created); err != nil {
				return err
			}
			keys = append(keys, k)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load vault keys: %w", err)
	}
	return keys, nil
}

// openVault reads the master key and unwraps the store's keys. A new store gets a new
// key file and new keys. If the key file does not open the keys but keyFile+".new"
// does, a rotation was interrupted after the database changed: it is completed.
func (db *DB) openVault(ctx context.Context, keyFile string) error {
	if keyFile == "" {
		return errors.New("open vault: no key file given")
	}
	keys, err := loadStoredKeys(ctx, db.reader())
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		if err := db.initVault(ctx, keyFile); err != nil {
			return err
		}
		if keys, err = loadStoredKeys(ctx, db.reader()); err != nil {
			return err
		}
	}
	master, err := vault.ReadKeyFile(keyFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var v *vault.Vault
	if master != nil {
		v, err = unwrapAll(master, keys)
	}
	if master == nil || errors.Is(err, vault.ErrWrongKey) {
		pending, perr := vault.ReadKeyFile(keyFile + ".new")
		if perr != nil {
			if master == nil {
				return fmt.Errorf("open vault: the key file %s is missing; this store's identities cannot be read without the key it was made with", keyFile)
			}
			return fmt.Errorf("open vault: %s is not the key this store was made with", keyFile)
		}
		if v, err = unwrapAll(pending, keys); err != nil {
			return fmt.Errorf("open vault: neither %s nor %s.new opens this store's keys", keyFile, keyFile)
		}
		if err := os.Rename(keyFile+".new", keyFile); err != nil {
			return fmt.Errorf("open vault: complete key rotation: %w", err)
		}
	} else if err != nil {
		return err
	}
	db.vault.Store(v)
	return nil
}

// initVault makes the first data and index keys and, unless it exists, the key file.
func (db *DB) initVault(ctx context.Context, keyFile string) error {
	master, err := vault.ReadKeyFile(keyFile)
	if errors.Is(err, fs.ErrNotExist) {
		m, encoded, err := vault.NewMasterKey()
		if err != nil {
			return err
		}
		switch err := vault.CreateKeyFile(keyFile, encoded); {
		case errors.Is(err, fs.ErrExist):
			// Another process made it first; use theirs.
			if master, err = vault.ReadKeyFile(keyFile); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			master = m
		}
	} else if err != nil {
		return err
	}
	return db.write(caseroom.NewContextWithUser(ctx, caseroom.Console), func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vault_keys`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil // another process initialised the vault meanwhile
		}
		ids := []string{}
		for _, purpose := range []string{vault.PurposeData, vault.PurposeIndex} {
			id, err := tx.insertKey(master, purpose)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return tx.appendEvent("vault.init", "vault", "vault", "", ids)
	})
}

func (tx *Tx) insertKey(master *vault.MasterKey, purpose string) (string, error) {
	k, err := vault.NewKey(newID("key"), purpose)
	if err != nil {
		return "", err
	}
	wrapped, err := master.Wrap(k)
	if err != nil {
		return "", err
	}
	if err := tx.exec(`INSERT INTO vault_keys (id, purpose, wrapped, created_at) VALUES (?, ?, ?, ?)`, k.ID, purpose, wrapped, formatTime(tx.now)); err != nil {
		return "", fmt.Errorf("store vault key: %w", err)
	}
	return k.ID, nil
}

// unwrapAll opens every stored key with master and builds the vault: the newest data
// key seals, all data keys open.
func unwrapAll(master *vault.MasterKey, keys []storedKey) (*vault.Vault, error) {
	var data []*vault.Key
	var index *vault.Key
	for _, sk := range keys {
		k, err := master.Unwrap(sk.id, sk.purpose, sk.wrapped)
		if err != nil {
			return nil, err
		}
		switch sk.purpose {
		case vault.PurposeData:
			data = append(data, k)
		case vault.PurposeIndex:
			index = k
		}
	}
	if len(data) == 0 || index == nil {
		return nil, errors.New("open vault: the store has no data key or no index key")
	}
	return vault.New(data[len(data)-1], data[:len(data)-1], index)
}

// RotateKey replaces the vault's master key: it writes a new key to keyFile+".new",
// re-wraps every stored key with it and adds a fresh data key for new values in one
// transaction, then renames the new file over keyFile. Sealed values are not
// rewritten. A crash at any point leaves a store that opens (see openVault).
// Only an administrator (or the console) may rotate, and one rotation runs at a time:
// a lock on keyFile+".lock", which the system releases if the process dies.
func (db *DB) RotateKey(ctx context.Context, keyFile string) error {
	actor, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !actor.Admin {
		return caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can rotate the vault key.")
	}
	unlock, err := lockFile(keyFile + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	old, err := vault.ReadKeyFile(keyFile)
	if err != nil {
		return err
	}
	master, encoded, err := vault.NewMasterKey()
	if err != nil {
		return err
	}
	if err := vault.WriteKeyFile(keyFile+".new", encoded); err != nil {
		return err
	}
	err = db.write(ctx, func(tx *Tx) error {
		keys, err := loadStoredKeys(ctx, tx)
		if err != nil {
			return err
		}
		for _, sk := range keys {
			k, err := old.Unwrap(sk.id, sk.purpose, sk.wrapped)
			if err != nil {
				return fmt.Errorf("rotate: key %s: %w", sk.id, err)
			}
			wrapped, err := master.Wrap(k)
			if err != nil {
				return err
			}
			if err := tx.exec(`UPDATE vault_keys SET wrapped = ? WHERE id = ?`, wrapped, sk.id); err != nil {
				return fmt.Errorf("rotate: %w", err)
			}
		}
		id, err := tx.insertKey(master, vault.PurposeData)
		if err != nil {
			return err
		}
		return tx.appendEvent("vault.rotate", "vault", "vault", "", id)
	})
	if err != nil {
		os.Remove(keyFile + ".new")
		return err
	}
	if err := os.Rename(keyFile+".new", keyFile); err != nil {
		return fmt.Errorf("rotate: install the new key file: %w", err)
	}
	if err := vault.SyncDir(dirOf(keyFile)); err != nil {
		return err
	}
	keys, err := loadStoredKeys(ctx, db.reader())
	if err != nil {
		return err
	}
	v, err := unwrapAll(master, keys)
	if err != nil {
		return err
	}
	db.vault.Store(v)
	return nil
}

func dirOf(path string) string {
	if d := filepath.Dir(path); d != "" {
		return d
	}
	return "."
}

// lockFile takes an exclusive advisory lock on path, creating it, and returns the
// function that releases it. Returns ECONFLICT if another process holds it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, caseroom.Errorf(caseroom.ECONFLICT, "Another key rotation is running (it holds %s); wait for it to finish.", path)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
