package caseroom

import (
	"context"
	"time"
)

// SignIn is the input to AccountService.SignIn: what a person types into the sign-in
// form. Code is the six-digit code of their authenticator app, needed once a second
// factor is enrolled.
type SignIn struct {
	User     string
	Password string
	Code     string
}

// Session is a web session: the server-side state behind the session cookie.
type Session struct {
	// Secret is the session token the browser holds in its cookie. It is set only
	// by SignIn; the store keeps nothing but its hash.
	Secret string
	// CSRFToken must accompany every state-changing request made with the session
	// cookie, as the form field "csrf" or the X-CSRF-Token header. It is derived from
	// the secret, so it too is never stored.
	CSRFToken string
	User      *User
	// SecondFactor reports whether the sign-in that began the session checked a TOTP
	// code.
	SecondFactor bool
	CreatedAt    time.Time
	LastSeenAt   time.Time
	// ExpiresAt is when the session ends unless used again: the earlier of the idle
	// timeout after LastSeenAt and EndsAt.
	ExpiresAt time.Time
	// EndsAt is the end of the session's absolute lifetime, however busy it is.
	EndsAt time.Time
}

// Account is the sign-in state of a user, as an administrator sees it.
type Account struct {
	User           string `json:"user"`
	Disabled       bool   `json:"disabled"`
	Locked         bool   `json:"locked"`
	FailedAttempts int    `json:"failedAttempts"`
	TOTPEnrolled   bool   `json:"totpEnrolled"`
}

// TOTPEnrolment is a newly enrolled second factor. Secret and URI are shown once, to
// be entered into (or scanned by) an authenticator app; the store keeps the secret
// sealed.
type TOTPEnrolment struct {
	User       string    `json:"user"`
	Secret     string    `json:"secret"` // base32, as authenticator apps take it
	URI        string    `json:"uri"`    // otpauth://totp/...
	EnrolledAt time.Time `json:"enrolledAt"`
}

// TokenInfo describes an API token without its secret.
type TokenInfo struct {
	ID        string     `json:"id"`
	User      string     `json:"user"`
	CreatedAt time.Time  `json:"createdAt"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
	RevokedBy string     `json:"revokedBy,omitempty"`
}

// MaxFailedSignIns is how many failed sign-ins in a row lock an account.
const MaxFailedSignIns = 5

// ErrSignInFailed is the one answer to a sign-in that fails for a wrong password, an
// unknown user, a wrong or missing code, a locked or a disabled account: telling
// them apart would help whoever is guessing.
var ErrSignInFailed = &Error{Code: EUNAUTHORIZED, Message: "The user name, password or code is wrong."}

// ErrSignInBusy refuses a sign-in the server cannot check now: it checks only a few
// passwords at once (each check takes 64 MiB for a moment) and as many more are
// already waiting their turn.
var ErrSignInBusy = &Error{Code: ETOOMANY, Message: "The server is checking too many sign-ins at once; wait a few seconds and try again."}

// ErrSessionExpired is returned for a session that timed out, so that the user can be
// told why they must sign in again.
var ErrSessionExpired = &Error{Code: EUNAUTHORIZED, Message: "Your session expired; sign in again."}

// ErrSecondFactorRequired refuses a correct password of a user who may see victims'
// identities but has no second factor enrolled.
var ErrSecondFactorRequired = &Error{Code: EFORBIDDEN, Message: "Your role in a case lets you see victims' identities, so you must sign in with a second factor, and you have none yet. Ask an administrator to enrol you ('caseroom user totp NAME')."}

// AccountService signs users in and out of the web UI and manages what decides
// whether they can: sessions, failed attempts and lockout, second factors, disabled
// accounts and revoked API tokens. Every sign-in, failure, lockout, unlock,
// enrolment, revocation and change of account state is an audit entry; no secret
// (password, token, session, TOTP secret or code) is stored in clear or audited.
type AccountService interface {
	// SignIn checks a user's password and, when the user has a second factor or
	// holds a role that can see identities, their TOTP code, and begins a session.
	// MaxFailedSignIns failures in a row lock the account until an administrator
	// unlocks it. Returns ErrSignInFailed for every kind of failure alike, and
	// ErrSecondFactorRequired for a right password of a user who needs a second
	// factor but has none, and ErrSignInBusy (ETOOMANY) when too many passwords are
	// being checked at once to check this one soon.
	SignIn(ctx context.Context, in SignIn) (*Session, error)

	// ResumeSession returns the session whose cookie holds secret and marks it as
	// used now. Returns ErrSessionExpired if it timed out, EUNAUTHORIZED if there is
	// no such session (signed out, or the user was disabled).
	ResumeSession(ctx context.Context, secret string) (*Session, error)

	// SignOut ends the session whose cookie holds secret. Ending an unknown session
	// is not an error.
	SignOut(ctx context.Context, secret string) error

	// EnrolTOTP gives the named user a new second factor, replacing any other.
	// Administrators and the console may enrol anyone; users may enrol themselves
	// once. Returns ENOTFOUND for an unknown user, ECONFLICT when a user who already
	// has a second factor asks for another, EFORBIDDEN otherwise.
	EnrolTOTP(ctx context.Context, userName string) (*TOTPEnrolment, error)

	// UnlockUser clears a user's failed sign-ins and lock. Administrators only.
	// Returns ENOTFOUND for an unknown user, EFORBIDDEN for anyone else.
	UnlockUser(ctx context.Context, userName string) (*Account, error)

	// DisableUser stops a user from signing in and ends at once every session of
	// theirs and every API token (tokens stay revoked if the user is enabled again).
	// Administrators only, and not themselves. Returns ENOTFOUND, EFORBIDDEN, or
	// EINVALID for disabling oneself.
	DisableUser(ctx context.Context, userName string) (*Account, error)

	// EnableUser lets a disabled user sign in again. Administrators only. Returns
	// ENOTFOUND or EFORBIDDEN.
	EnableUser(ctx context.Context, userName string) (*Account, error)

	// FindAccount returns a user's sign-in state. Administrators, and users for
	// themselves. Returns ENOTFOUND for an unknown user, EFORBIDDEN otherwise.
	FindAccount(ctx context.Context, userName string) (*Account, error)

	// RevokeToken revokes an API token for good. Its owner or an administrator may.
	// Returns ENOTFOUND for an unknown token or one the actor may not know of,
	// ECONFLICT if it is already revoked.
	RevokeToken(ctx context.Context, tokenID string) (*TokenInfo, error)

	// FindTokens lists a user's API tokens, newest first, without their secrets.
	// Administrators may list anyone's, users their own. Returns ENOTFOUND for an
	// unknown user, EFORBIDDEN otherwise.
	FindTokens(ctx context.Context, userName string) ([]*TokenInfo, error)
}
