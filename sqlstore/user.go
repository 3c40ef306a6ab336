package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"

	"caseroom"
)

var _ caseroom.UserService = (*DB)(nil)

// userNamePattern is what a user name may look like: lower case, 2 to 32 characters.
var userNamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// MinPasswordLength is the shortest password CreateUser accepts.
const MinPasswordLength = 12

// CreateUser stores a new user. See caseroom.UserService.
func (db *DB) CreateUser(ctx context.Context, nu caseroom.NewUser) (*caseroom.User, error) {
	if !userNamePattern.MatchString(nu.Name) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: %q is not a valid user name; use 2 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter", nu.Name)
	}
	if nu.Name == caseroom.Console.Name {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: %q is reserved", nu.Name)
	}
	if len([]rune(nu.Password)) < MinPasswordLength {
		return nil, caseroom.Errorf(caseroom.EINVALID, "password: must be at least %d characters", MinPasswordLength)
	}
	u := &caseroom.User{ID: newID(prefixUser), Name: nu.Name, Admin: nu.Admin}
	var hash string
	var err error
	if gateErr := db.passwords.wait(ctx, func() { hash, err = hashPassword(nu.Password) }); gateErr != nil {
		return nil, gateErr
	}
	if err != nil {
		return nil, err
	}
	err = db.write(ctx, func(tx *Tx) error {
		if !tx.actor.Admin {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can create users.")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, nu.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return caseroom.Errorf(caseroom.ECONFLICT, "name: a user named %q already exists", nu.Name)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		u.CreatedAt = tx.now
		if err := tx.exec(`INSERT INTO users (id, name, admin, password_hash, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			u.ID, u.Name, boolInt(u.Admin), hash, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		return tx.appendAudit(seq, "user.create", "user", u.ID, "")
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// CreateToken issues an API token. See caseroom.UserService.
func (db *DB) CreateToken(ctx context.Context, userName string) (*caseroom.Token, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	tok := &caseroom.Token{ID: newID(prefixToken), User: userName, Secret: "crt_" + idEncoding.EncodeToString(secret)}
	err := db.write(ctx, func(tx *Tx) error {
		u, err := findUser(ctx, tx, userName)
		if err != nil {
			return err
		}
		if !tx.actor.Admin && tx.actor.ID != u.ID {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "You can only create tokens for yourself.")
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		tok.CreatedAt = tx.now
		if err := tx.exec(`INSERT INTO tokens (id, user_id, secret_hash, created_at, entry) VALUES (?, ?, ?, ?, ?)`,
			tok.ID, u.ID, tokenHash(tok.Secret), formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return tx.appendAudit(seq, "token.create", "token", tok.ID, "")
	})
	if err != nil {
		return nil, err
	}
	return tok, nil
}

// Authenticate returns the user holding an API token. See caseroom.UserService.
func (db *DB) Authenticate(ctx context.Context, token string) (*caseroom.User, error) {
	if !strings.HasPrefix(token, "crt_") {
		return nil, caseroom.Errorf(caseroom.EUNAUTHORIZED, "The API token is not valid.")
	}
	u := &caseroom.User{}
	var admin int64
	var created string
	// A revoked token and a disabled user's token are refused like an unknown one.
	err := db.reader().QueryRowContext(ctx, `SELECT u.id, u.name, u.admin, u.created_at FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.secret_hash = ? AND NOT EXISTS (SELECT 1 FROM token_revocations r WHERE r.token_id = t.id) AND NOT `+disabledSQL,
		tokenHash(token)).Scan(&u.ID, &u.Name, &admin, &created)
	if isNoRows(err) {
		return nil, caseroom.Errorf(caseroom.EUNAUTHORIZED, "The API token is not valid.")
	} else if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	u.Admin = admin != 0
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	return u, nil
}

// FindUser returns a user by name. See caseroom.UserService.
func (db *DB) FindUser(ctx context.Context, name string) (*caseroom.User, error) {
	return findUser(ctx, db.reader(), name)
}

func findUser(ctx context.Context, q querier, name string) (*caseroom.User, error) {
	u := &caseroom.User{}
	var admin int64
	var created string
	err := q.QueryRowContext(ctx, `SELECT id, name, admin, created_at FROM users WHERE name = ?`, name).Scan(&u.ID, &u.Name, &admin, &created)
	if isNoRows(err) {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no user named %q.", name)
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	u.Admin = admin != 0
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	return u, nil
}

// CheckPassword reports whether password is the named user's password. It takes the
// same time for an unknown user as for a wrong password. Returns
// caseroom.ErrSignInBusy when too many passwords are being checked at once.
func (db *DB) CheckPassword(ctx context.Context, name, password string) (bool, error) {
	var stored string
	err := db.reader().QueryRowContext(ctx, `SELECT password_hash FROM users WHERE name = ?`, name).Scan(&stored)
	known := err == nil
	if err != nil && !isNoRows(err) {
		return false, err
	}
	if !known {
		stored = dummyHash()
	}
	ok, err := db.checkPassword(ctx, stored, password)
	return ok && known, err
}

// checkPassword verifies password against the stored hash in one of the password
// gate's turns (see passwordgate.go). Returns caseroom.ErrSignInBusy if no turn comes
// soon enough.
func (db *DB) checkPassword(ctx context.Context, stored, password string) (bool, error) {
	var ok bool
	err := db.passwords.check(ctx, func() { ok = verifyPassword(stored, password) })
	return ok, err
}

// Argon2id parameters (RFC 9106, second recommended option scaled to a small server).
// Stored hashes carry their parameters, so these can be raised later.
var (
	argonTime    uint32 = 2
	argonMemory  uint32 = 64 * 1024
	argonThreads uint8  = 2
)

// dummyHash is hashed against when there is no user, so that a wrong name costs what a
// wrong password does. Made on first use: every command line would pay for it at start.
// It is made outside the password gate: it must be had before a turn is taken, or the
// first callers would hold every turn waiting for it.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("not a real password")
	return h
})

// hashPassword returns the PHC-format argon2id hash of password with a random salt:
// $argon2id$v=19$m=MEMORY,t=TIME,p=THREADS$SALT$HASH (salt and hash in unpadded base64).
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

func verifyPassword(stored, password string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// tokenHash is how tokens are stored: the hex SHA-256 of the token. Tokens carry 256
// random bits, so a fast hash is enough.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
