package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strconv"
	"strings"
	"time"

	"caseroom"
	"caseroom/totp"
)

var _ caseroom.AccountService = (*DB)(nil)

// Defaults of SessionPolicy.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultSessionLifetime = 12 * time.Hour
)

// SessionPolicy says how long web sessions last. Zero fields take the defaults.
type SessionPolicy struct {
	// IdleTimeout ends a session not used for this long.
	IdleTimeout time.Duration
	// Lifetime ends a session this long after sign-in, however busy.
	Lifetime time.Duration
}

func (p SessionPolicy) idle() time.Duration {
	if p.IdleTimeout > 0 {
		return p.IdleTimeout
	}
	return DefaultIdleTimeout
}

func (p SessionPolicy) lifetime() time.Duration {
	if p.Lifetime > 0 {
		return p.Lifetime
	}
	return DefaultSessionLifetime
}

// Prefixes of the secrets handed out and of record ids.
const (
	sessionSecretPrefix = "crs_"
	prefixRevocation    = "rvk"
	prefixAccountStatus = "acs"
	prefixTOTP          = "otp"
)

// Account status values in account_status.status.
const (
	statusDisabled = "disabled"
	statusEnabled  = "enabled"
)

// unknownActor is the audit actor of a sign-in with a user name that does not
// exist. What was typed is not recorded: people type passwords into the name field.
// The name cannot be a user's, as user names start with a letter.
var unknownActor = &caseroom.User{Name: "(unknown)"}

// disabledSQL is true when the latest account_status row of user u says disabled.
const disabledSQL = `COALESCE((SELECT a.status FROM account_status a WHERE a.user_id = u.id ORDER BY a.entry DESC LIMIT 1), '` + statusEnabled + `') = '` + statusDisabled + `'`

// SignIn checks a user's credentials and begins a session. See
// caseroom.AccountService.
//
// The password is checked before the write lock is taken, with the same argon2id
// work for an unknown user (against a dummy hash) as for a known one, and for a
// locked or disabled account as for an open one; every failure returns the same
// error. The hash waits for a turn of the password gate (passwordgate.go) and is not
// computed at all, nothing being written, when the gate answers ErrSignInBusy. Each
// attempt is one transaction that updates the failure count and appends the audit
// entries: signin, signin.fail, signin.refuse (a right password without a needed
// second factor), user.lock (the attempt that locked the account). Failures under
// unknown names are tallied instead (see UnknownSignInPeriod).
func (db *DB) SignIn(ctx context.Context, in caseroom.SignIn) (*caseroom.Session, error) {
	u := &caseroom.User{}
	var admin int64
	var hash, created string
	err := db.reader().QueryRowContext(ctx, `SELECT id, name, admin, password_hash, created_at FROM users WHERE name = ?`, in.User).
		Scan(&u.ID, &u.Name, &admin, &hash, &created)
	known := err == nil
	if err != nil && !isNoRows(err) {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	if !known {
		hash = dummyHash()
	}
	passwordOK, err := db.checkPassword(ctx, hash, in.Password)
	if err != nil {
		return nil, err
	}
	passwordOK = passwordOK && known
	actor := unknownActor
	if known {
		u.Admin = admin != 0
		if u.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		actor = u
	}
	secret, err := newSecret(sessionSecretPrefix)
	if err != nil {
		return nil, err
	}
	var sess *caseroom.Session
	var refusal error
	err = db.write(caseroom.NewContextWithUser(ctx, actor), func(tx *Tx) error {
		if !known {
			refusal = caseroom.ErrSignInFailed
			return tx.failUnknownSignIn()
		}
		st, err := loadSignInState(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		disabled, err := isDisabled(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		fail := func(reason string, counts bool) error {
			refusal = caseroom.ErrSignInFailed
			if err := tx.appendEvent("signin.fail", "user", u.ID, "", map[string]string{"user": u.ID, "reason": reason}); err != nil {
				return err
			}
			if !counts {
				return nil
			}
			st.failures++
			if st.failures >= caseroom.MaxFailedSignIns && st.lockedAt == "" {
				st.lockedAt = formatTime(tx.now)
				if err := tx.appendEvent("user.lock", "user", u.ID, "", map[string]any{"user": u.ID, "failures": st.failures}); err != nil {
					return err
				}
			}
			return tx.saveSignInState(u.ID, st)
		}
		switch {
		case disabled:
			return fail("disabled", false)
		case st.lockedAt != "":
			return fail("locked", false)
		case !passwordOK:
			return fail("password", true)
		}
		enrolled, totpSecret, err := tx.db.totpSecret(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		needed := enrolled
		if !needed {
			if needed, err = seesIdentities(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		if needed && !enrolled {
			refusal = caseroom.ErrSecondFactorRequired
			return tx.appendEvent("signin.refuse", "user", u.ID, "", map[string]string{"user": u.ID, "reason": "no second factor"})
		}
		if needed {
			step, ok := totp.Verify(totpSecret, strings.TrimSpace(in.Code), tx.now, st.lastStep)
			if !ok {
				return fail("code", true)
			}
			st.lastStep = step
		}
		st.failures = 0
		if err := tx.saveSignInState(u.ID, st); err != nil {
			return err
		}
		hash, at := tokenHash(secret), formatTime(tx.now)
		if err := tx.exec(`INSERT INTO sessions (secret_hash, user_id, second_factor, created_at, last_seen_at, tag) VALUES (?, ?, ?, ?, ?, ?)`,
			hash, u.ID, boolInt(needed), at, at, db.sessionTag(hash, u.ID, boolInt(needed), at, at)); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		// Sessions that timed out long ago are of no more use, even to say "expired".
		if err := tx.exec(`DELETE FROM sessions WHERE user_id = ? AND (last_seen_at < ? OR created_at < ?)`,
			u.ID, formatTime(tx.now.Add(-db.Sessions.idle())), formatTime(tx.now.Add(-db.Sessions.lifetime()))); err != nil {
			return fmt.Errorf("purge sessions: %w", err)
		}
		sess = db.session(secret, u, needed, tx.now, tx.now)
		return tx.appendEvent("signin", "user", u.ID, "", map[string]any{"user": u.ID, "secondFactor": needed})
	})
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	return sess, nil
}

// session builds the Session for a secret.
func (db *DB) session(secret string, u *caseroom.User, secondFactor bool, created, lastSeen time.Time) *caseroom.Session {
	expires, end := lastSeen.Add(db.Sessions.idle()), created.Add(db.Sessions.lifetime())
	if end.Before(expires) {
		expires = end
	}
	return &caseroom.Session{Secret: secret, CSRFToken: csrfToken(secret), User: u, SecondFactor: secondFactor,
		CreatedAt: created, LastSeenAt: lastSeen, ExpiresAt: expires, EndsAt: end}
}

// csrfToken derives a session's CSRF token from its secret: the base32 HMAC-SHA256 of
// a fixed label keyed with the secret. It proves knowledge of the cookie without
// being the cookie, and needs no storage.
func csrfToken(secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("caseroom csrf token v1"))
	return idEncoding.EncodeToString(mac.Sum(nil))
}

// newSecret returns prefix and 256 random bits in base32.
func newSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random secret: %w", err)
	}
	return prefix + idEncoding.EncodeToString(b), nil
}

// ResumeSession returns the session of a cookie. See caseroom.AccountService.
//
// A session ends when it has been idle for the policy's idle timeout, when it is older
// than its lifetime, when its user is disabled, and when its user has come to need a
// second factor (a new role) that the sign-in did not check.
func (db *DB) ResumeSession(ctx context.Context, secret string) (*caseroom.Session, error) {
	invalid := caseroom.Errorf(caseroom.EUNAUTHORIZED, "You are not signed in; sign in at /signin.")
	if !strings.HasPrefix(secret, sessionSecretPrefix) {
		return nil, invalid
	}
	hash := tokenHash(secret)
	u := &caseroom.User{}
	var admin, secondFactor int64
	var disabled bool
	var created, userCreated, lastSeen, tag string
	err := db.reader().QueryRowContext(ctx, `SELECT u.id, u.name, u.admin, u.created_at, s.second_factor, s.created_at, s.last_seen_at, s.tag, `+disabledSQL+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.secret_hash = ?`, hash).
		Scan(&u.ID, &u.Name, &admin, &userCreated, &secondFactor, &created, &lastSeen, &tag, &disabled)
	if isNoRows(err) {
		return nil, invalid
	} else if err != nil {
		return nil, fmt.Errorf("resume session: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(tag), []byte(db.sessionTag(hash, u.ID, secondFactor, created, lastSeen))) != 1 {
		return nil, db.refuseForgedSession(ctx, hash, u.ID, invalid)
	}
	u.Admin = admin != 0
	if u.CreatedAt, err = parseTime(userCreated); err != nil {
		return nil, err
	}
	createdAt, err := parseTime(created)
	if err != nil {
		return nil, err
	}
	lastSeenAt, err := parseTime(lastSeen)
	if err != nil {
		return nil, err
	}
	now := db.Now().UTC()
	end := func(why error) (*caseroom.Session, error) {
		if _, err := db.execState(ctx, `DELETE FROM sessions WHERE secret_hash = ?`, hash); err != nil {
			return nil, fmt.Errorf("end session: %w", err)
		}
		return nil, why
	}
	if disabled {
		return end(invalid)
	}
	if now.Sub(lastSeenAt) >= db.Sessions.idle() || now.Sub(createdAt) >= db.Sessions.lifetime() {
		return end(caseroom.ErrSessionExpired)
	}
	if secondFactor == 0 {
		needs, err := seesIdentities(ctx, db.reader(), u.ID)
		if err != nil {
			return nil, err
		}
		if needs {
			return end(caseroom.Errorf(caseroom.EUNAUTHORIZED, "Your role has changed and now needs a second factor; sign in again."))
		}
	}
	seen := formatTime(now)
	if _, err := db.execState(ctx, `UPDATE sessions SET last_seen_at = ?, tag = ? WHERE secret_hash = ?`,
		seen, db.sessionTag(hash, u.ID, secondFactor, created, seen), hash); err != nil {
		return nil, fmt.Errorf("resume session: %w", err)
	}
	return db.session(secret, u, secondFactor != 0, createdAt, now), nil
}

// sessionTag is the tag of a session row: the vault's keyed hash (see vault.Vault.MAC)
// of its columns as stored, with the context "sessions.tag":
//
//	secret_hash + "\x00" + user_id + "\x00" + second_factor (decimal) + "\x00" + created_at + "\x00" + last_seen_at
//
// The key is the vault's index key, held in the database only wrapped by the master
// key, so whoever can write the database but lacks the master key cannot make a row
// that the server accepts as a session.
func (db *DB) sessionTag(secretHash, userID string, secondFactor int64, createdAt, lastSeenAt string) string {
	return db.v().MAC("sessions.tag", strings.Join([]string{secretHash, userID, strconv.FormatInt(secondFactor, 10), createdAt, lastSeenAt}, "\x00"))
}

// refuseForgedSession ends a session whose row does not match its tag: written or
// altered behind the server's back. The row is deleted and the attempt audited as
// session.forged (actor "(unknown)", object the user the row named); the answer is
// invalid, as for a session that does not exist. One entry per forged row at most:
// the row is gone after the first.
func (db *DB) refuseForgedSession(ctx context.Context, hash, userID string, invalid error) error {
	err := db.write(caseroom.NewContextWithUser(ctx, unknownActor), func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE secret_hash = ?`, hash).Scan(&n); err != nil || n == 0 {
			return err
		}
		if err := tx.exec(`DELETE FROM sessions WHERE secret_hash = ?`, hash); err != nil {
			return err
		}
		return tx.appendEvent("session.forged", "user", userID, "", map[string]string{"user": userID, "session": hash})
	})
	if err != nil {
		return fmt.Errorf("refuse a forged session: %w", err)
	}
	return invalid
}

// execState runs a statement outside any transaction. Only the plain tables of
// operational state (sessions) are written this way; records are written by Tx.
func (db *DB) execState(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := db.db.ExecContext(ctx, db.dialect.rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SignOut ends a session. See caseroom.AccountService.
func (db *DB) SignOut(ctx context.Context, secret string) error {
	hash := tokenHash(secret)
	var userID, name string
	err := db.reader().QueryRowContext(ctx, `SELECT u.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.secret_hash = ?`, hash).Scan(&userID, &name)
	if isNoRows(err) {
		return nil
	} else if err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	actor := caseroom.UserFromContext(ctx)
	if actor == nil {
		actor = &caseroom.User{ID: userID, Name: name}
	}
	return db.write(caseroom.NewContextWithUser(ctx, actor), func(tx *Tx) error {
		if err := tx.exec(`DELETE FROM sessions WHERE secret_hash = ?`, hash); err != nil {
			return fmt.Errorf("sign out: %w", err)
		}
		return tx.appendEvent("signout", "user", userID, "", map[string]string{"user": userID})
	})
}

// signInState is a row of sign_in_state.
type signInState struct {
	exists   bool
	failures int64
	lockedAt string // "" when not locked
	lastStep int64  // -1 when no code was ever accepted
}

// loadSignInState reads the user's row of sign_in_state. The row is operational state,
// outside the audit log; whether the account is locked is also read from the log,
// where every lock and unlock is an entry: an account whose latest user.lock entry
// is later than its latest user.unlock is locked, whatever the row says, so that
// clearing the row behind the server's back does not unlock it.
func loadSignInState(ctx context.Context, q querier, userID string) (signInState, error) {
	st := signInState{exists: true}
	var locked *string
	err := q.QueryRowContext(ctx, `SELECT failures, locked_at, last_totp_step FROM sign_in_state WHERE user_id = ?`, userID).Scan(&st.failures, &locked, &st.lastStep)
	if isNoRows(err) {
		st = signInState{lastStep: -1}
	} else if err != nil {
		return st, fmt.Errorf("sign-in state: %w", err)
	}
	if locked != nil {
		st.lockedAt = *locked
	}
	if st.lockedAt == "" {
		var action, at string
		err := q.QueryRowContext(ctx, `SELECT action, at FROM audit_log WHERE object_id = ? AND action IN ('user.lock', 'user.unlock') ORDER BY seq DESC LIMIT 1`, userID).Scan(&action, &at)
		if err != nil && !isNoRows(err) {
			return st, fmt.Errorf("sign-in state: locks: %w", err)
		}
		if action == "user.lock" {
			st.lockedAt, st.failures = at, max(st.failures, caseroom.MaxFailedSignIns)
		}
	}
	return st, nil
}

// saveSignInState writes st; the write lock makes the insert-or-update safe.
func (tx *Tx) saveSignInState(userID string, st signInState) error {
	var err error
	if st.exists {
		err = tx.exec(`UPDATE sign_in_state SET failures = ?, locked_at = ?, last_totp_step = ? WHERE user_id = ?`, st.failures, nullable(st.lockedAt), st.lastStep, userID)
	} else {
		err = tx.exec(`INSERT INTO sign_in_state (user_id, failures, locked_at, last_totp_step) VALUES (?, ?, ?, ?)`, userID, st.failures, nullable(st.lockedAt), st.lastStep)
	}
	if err != nil {
		return fmt.Errorf("save sign-in state: %w", err)
	}
	return nil
}

func isDisabled(ctx context.Context, q querier, userID string) (bool, error) {
	var disabled bool
	if err := q.QueryRowContext(ctx, `SELECT `+disabledSQL+` FROM users u WHERE u.id = ?`, userID).Scan(&disabled); err != nil {
		return false, fmt.Errorf("account status: %w", err)
	}
	return disabled, nil
}

// seesIdentities reports whether the user now holds, in any case, a role that can see
// victims' identities; such users must sign in with a second factor.
func seesIdentities(ctx context.Context, q querier, userID string) (bool, error) {
	found := false
	err := scanEach(ctx, q, `SELECT m.role FROM memberships m WHERE m.user_id = ? AND m.role <> '' AND `+currentMembershipSQL, []any{userID},
		func(scan func(...any) error) error {
			var role string
			if err := scan(&role); err != nil {
				return err
			}
			found = found || caseroom.Role(role).CanSeeIdentities()
			return nil
		})
	if err != nil {
		return false, fmt.Errorf("roles of user: %w", err)
	}
	return found, nil
}

// totpSecret returns the user's enrolled TOTP secret, opened from the vault.
func (db *DB) totpSecret(ctx context.Context, q querier, userID string) (bool, []byte, error) {
	var id, sealed string
	err := q.QueryRowContext(ctx, `SELECT id, secret FROM totp_enrolments WHERE user_id = ? ORDER BY entry DESC LIMIT 1`, userID).Scan(&id, &sealed)
	if isNoRows(err) {
		return false, nil, nil
	} else if err != nil {
		return false, nil, fmt.Errorf("second factor: %w", err)
	}
	encoded, err := db.v().Open(sealed, sealContext("totp_enrolments", "secret", id))
	if err != nil {
		return false, nil, fmt.Errorf("open second factor %s: %w", id, err)
	}
	secret, err := totp.Encoding.DecodeString(encoded)
	if err != nil {
		return false, nil, fmt.Errorf("second factor %s: %w", id, err)
	}
	return true, secret, nil
}

// TOTPIssuer names Caseroom in authenticator apps.
const TOTPIssuer = "Caseroom"

// EnrolTOTP gives a user a new second factor. See caseroom.AccountService.
func (db *DB) EnrolTOTP(ctx context.Context, userName string) (*caseroom.TOTPEnrolment, error) {
	secret, err := totp.NewSecret()
	if err != nil {
		return nil, err
	}
	encoded := totp.Encoding.EncodeToString(secret)
	enrolment := &caseroom.TOTPEnrolment{User: userName, Secret: encoded, URI: totp.URI(TOTPIssuer, userName, secret)}
	err = db.write(ctx, func(tx *Tx) error {
		u, err := findUser(ctx, tx, userName)
		if err != nil {
			return err
		}
		if !tx.actor.Admin && tx.actor.ID != u.ID {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can enrol a second factor for someone else.")
		}
		if !tx.actor.Admin {
			// Whoever holds a stolen session must not be able to swap in their own
			// second factor: replacing one is for an administrator.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM totp_enrolments WHERE user_id = ?`, u.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return caseroom.Errorf(caseroom.ECONFLICT, "You already have a second factor; ask an administrator to replace it.")
			}
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		id := newID(prefixTOTP)
		sealed, err := tx.db.v().Seal(encoded, sealContext("totp_enrolments", "secret", id))
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO totp_enrolments (id, user_id, secret, enrolled_by, enrolled_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			id, u.ID, sealed, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert second factor: %w", err)
		}
		enrolment.EnrolledAt = tx.now
		return tx.appendAudit(seq, "totp.enrol", "user", u.ID, "")
	})
	if err != nil {
		return nil, err
	}
	return enrolment, nil
}

// adminTarget finds the user an administrator's action is about, refusing others.
func (tx *Tx) adminTarget(userName, what string) (*caseroom.User, error) {
	if !tx.actor.Admin {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can %s users.", what)
	}
	return findUser(tx.ctx, tx, userName)
}

// UnlockUser clears failed sign-ins. See caseroom.AccountService.
func (db *DB) UnlockUser(ctx context.Context, userName string) (*caseroom.Account, error) {
	err := db.write(ctx, func(tx *Tx) error {
		u, err := tx.adminTarget(userName, "unlock")
		if err != nil {
			return err
		}
		st, err := loadSignInState(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		wasLocked := st.lockedAt != ""
		st.failures, st.lockedAt = 0, ""
		if err := tx.saveSignInState(u.ID, st); err != nil {
			return err
		}
		return tx.appendEvent("user.unlock", "user", u.ID, "", map[string]any{"user": u.ID, "wasLocked": wasLocked})
	})
	if err != nil {
		return nil, err
	}
	return db.FindAccount(ctx, userName)
}

// DisableUser disables a user. See caseroom.AccountService.
func (db *DB) DisableUser(ctx context.Context, userName string) (*caseroom.Account, error) {
	err := db.write(ctx, func(tx *Tx) error {
		u, err := tx.adminTarget(userName, "disable")
		if err != nil {
			return err
		}
		if u.ID == tx.actor.ID {
			return caseroom.Errorf(caseroom.EINVALID, "name: you cannot disable yourself; ask another administrator")
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO account_status (id, user_id, status, changed_by, changed_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			newID(prefixAccountStatus), u.ID, statusDisabled, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		// Every live token is revoked under the same entry, so that enabling the
		// user again does not bring back a token that may have leaked meanwhile.
		var live []string
		err = scanEach(ctx, tx, `SELECT t.id FROM tokens t WHERE t.user_id = ? AND NOT EXISTS (SELECT 1 FROM token_revocations r WHERE r.token_id = t.id) ORDER BY t.id`,
			[]any{u.ID}, func(scan func(...any) error) error {
				var id string
				err := scan(&id)
				live = append(live, id)
				return err
			})
		if err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		for _, id := range live {
			if err := tx.insertRevocation(id, seq); err != nil {
				return err
			}
		}
		if err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
			return fmt.Errorf("disable user: end sessions: %w", err)
		}
		return tx.appendAudit(seq, "user.disable", "user", u.ID, "")
	})
	if err != nil {
		return nil, err
	}
	return db.FindAccount(ctx, userName)
}

// EnableUser enables a disabled user. See caseroom.AccountService.
func (db *DB) EnableUser(ctx context.Context, userName string) (*caseroom.Account, error) {
	err := db.write(ctx, func(tx *Tx) error {
		u, err := tx.adminTarget(userName, "enable")
		if err != nil {
			return err
		}
		disabled, err := isDisabled(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if !disabled {
			return caseroom.Errorf(caseroom.ECONFLICT, "User %q is not disabled.", userName)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO account_status (id, user_id, status, changed_by, changed_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			newID(prefixAccountStatus), u.ID, statusEnabled, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("enable user: %w", err)
		}
		return tx.appendAudit(seq, "user.enable", "user", u.ID, "")
	})
	if err != nil {
		return nil, err
	}
	return db.FindAccount(ctx, userName)
}

// FindAccount returns a user's sign-in state. See caseroom.AccountService.
func (db *DB) FindAccount(ctx context.Context, userName string) (*caseroom.Account, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	q := db.reader()
	u, err := findUser(ctx, q, userName)
	if err != nil {
		return nil, err
	}
	if !actor.Admin && actor.ID != u.ID {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can see another user's account.")
	}
	a := &caseroom.Account{User: u.Name}
	if a.Disabled, err = isDisabled(ctx, q, u.ID); err != nil {
		return nil, err
	}
	st, err := loadSignInState(ctx, q, u.ID)
	if err != nil {
		return nil, err
	}
	a.Locked, a.FailedAttempts = st.lockedAt != "", int(st.failures)
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM totp_enrolments WHERE user_id = ?`, u.ID).Scan(&n); err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	a.TOTPEnrolled = n > 0
	return a, nil
}

func (tx *Tx) insertRevocation(tokenID string, seq int64) error {
	if err := tx.exec(`INSERT INTO token_revocations (id, token_id, revoked_by, revoked_at, entry) VALUES (?, ?, ?, ?, ?)`,
		newID(prefixRevocation), tokenID, tx.actor.Name, formatTime(tx.now), seq); err != nil {
		return fmt.Errorf("revoke token %s: %w", tokenID, err)
	}
	return nil
}

// RevokeToken revokes an API token. See caseroom.AccountService.
func (db *DB) RevokeToken(ctx context.Context, tokenID string) (*caseroom.TokenInfo, error) {
	var info *caseroom.TokenInfo
	err := db.write(ctx, func(tx *Tx) error {
		t, err := findToken(ctx, tx, tokenID)
		if err != nil {
			return err
		}
		if !tx.actor.Admin && t.userID != tx.actor.ID {
			return caseroom.Errorf(caseroom.ENOTFOUND, "There is no API token %q.", tokenID)
		}
		if t.RevokedAt != nil {
			return caseroom.Errorf(caseroom.ECONFLICT, "API token %s was already revoked at %s.", tokenID, t.RevokedAt.Format(time.RFC3339))
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.insertRevocation(t.ID, seq); err != nil {
			return err
		}
		if err := tx.appendAudit(seq, "token.revoke", "token", t.ID, ""); err != nil {
			return err
		}
		if t, err = findToken(ctx, tx, tokenID); err != nil {
			return err
		}
		info = &t.TokenInfo
		return nil
	})
	if err != nil {
		return nil, err
	}
	return info, nil
}

// FindTokens lists a user's API tokens. See caseroom.AccountService.
func (db *DB) FindTokens(ctx context.Context, userName string) ([]*caseroom.TokenInfo, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	u, err := findUser(ctx, db.reader(), userName)
	if err != nil {
		return nil, err
	}
	if !actor.Admin && actor.ID != u.ID {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "You can only list your own tokens.")
	}
	out := []*caseroom.TokenInfo{}
	err = scanEach(ctx, db.reader(), tokenSelect+` WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id`, []any{u.ID},
		func(scan func(...any) error) error {
			t, err := scanToken(scan)
			if err != nil {
				return err
			}
			out = append(out, &t.TokenInfo)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	return out, nil
}

// storedToken is a token as read, with its owner's id.
type storedToken struct {
	caseroom.TokenInfo
	userID string
}

const tokenSelect = `SELECT t.id, t.user_id, u.name, t.created_at, r.revoked_at, r.revoked_by
	FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN token_revocations r ON r.token_id = t.id`

func scanToken(scan func(...any) error) (storedToken, error) {
	var t storedToken
	var created string
	var revokedAt, revokedBy *string
	if err := scan(&t.ID, &t.userID, &t.User, &created, &revokedAt, &revokedBy); err != nil {
		return t, err
	}
	var err error
	if t.CreatedAt, err = parseTime(created); err != nil {
		return t, err
	}
	if revokedAt != nil {
		at, err := parseTime(*revokedAt)
		if err != nil {
			return t, err
		}
		t.RevokedAt, t.RevokedBy = &at, *revokedBy
	}
	return t, nil
}

func findToken(ctx context.Context, q querier, id string) (storedToken, error) {
	var t storedToken
	found := false
	err := scanEach(ctx, q, tokenSelect+` WHERE t.id = ?`, []any{id}, func(scan func(...any) error) error {
		var err error
		t, err = scanToken(scan)
		found = true
		return err
	})
	if err != nil {
		return t, fmt.Errorf("find token: %w", err)
	}
	if !found {
		return t, caseroom.Errorf(caseroom.ENOTFOUND, "There is no API token %q.", id)
	}
	return t, nil
}
