package caseroom

import (
	"context"
	"time"
)

// User is a person who signs in to Caseroom: an officer, a prosecutor, an overseer, a
// victim's representative. Users are named by their unique user name.
type User struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Admin     bool      `json:"admin"`
	CreatedAt time.Time `json:"createdAt"`

	console bool
}

// NewUser is the input to CreateUser.
type NewUser struct {
	Name     string
	Password string
	Admin    bool
}

// Token is an API token as issued: the secret is shown once and stored only as a hash.
type Token struct {
	ID        string    `json:"id"`
	User      string    `json:"user"`
	Secret    string    `json:"token"`
	CreatedAt time.Time `json:"createdAt"`
}

// UserService manages users and their API tokens.
type UserService interface {
	// CreateUser stores a new user with an argon2id hash of the password. Only an
	// administrator (or the console) may create users. Returns EINVALID for a bad
	// name or a short password, ECONFLICT if the name is taken, EFORBIDDEN otherwise.
	CreateUser(ctx context.Context, nu NewUser) (*User, error)

	// CreateToken issues a new API token for the named user. Administrators and the
	// console may issue tokens for anyone, users for themselves. Returns ENOTFOUND if
	// there is no such user.
	CreateToken(ctx context.Context, userName string) (*Token, error)

	// Authenticate returns the user holding the API token. Returns EUNAUTHORIZED if the
	// token is unknown, revoked, or its user is disabled.
	Authenticate(ctx context.Context, token string) (*User, error)

	// FindUser returns a user by name. Returns ENOTFOUND if there is none.
	FindUser(ctx context.Context, name string) (*User, error)
}
