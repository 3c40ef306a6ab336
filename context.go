package caseroom

import "context"

type contextKey int

const userContextKey contextKey = iota

// NewContextWithUser returns a copy of ctx that carries the acting user. Every service
// call reads its actor from the context; the audit log records it.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the acting user carried by ctx, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// Console is the actor for work done at the server's console with direct access to
// the data directory (creating the first users, issuing tokens). It has the rights of
// an administrator and is recorded in the audit log as "console".
var Console = &User{Name: "console", Admin: true, console: true}

// IsConsole reports whether u is the console operator rather than a stored user.
func (u *User) IsConsole() bool { return u != nil && u.console }
