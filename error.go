// Package caseroom holds the language of the incident room: cases and their members,
// persons, organisations, locations, identifiers, documents, links and the audit log,
// the errors a user can act on, and the service interfaces that the store implements.
// It imports nothing of the project.
package caseroom

import (
	"errors"
	"fmt"
)

// Error codes used across Caseroom. The web package maps each to one HTTP status.
const (
	ECONFLICT     = "conflict"     // the request conflicts with what is stored (a duplicate reference)
	EINTERNAL     = "internal"     // something failed that the user cannot fix
	EINVALID      = "invalid"      // the input is wrong; the message names the field
	ENOTFOUND     = "not_found"    // the object does not exist or the user may not know it exists
	EFORBIDDEN    = "forbidden"    // the user may see the object but not do this to it
	EUNAUTHORIZED = "unauthorized" // no valid credentials were given
	ENOTIMPL      = "not_implemented"
	ETOOMANY      = "too_many_requests" // too many attempts, or too many at once; try again later
)

// Error is an error a user can act on: a code from the list above and a message that
// says what was wrong and what to do about it.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("caseroom error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns a new *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the *Error in err's chain, or a generic message
// for any other error so that internal details do not reach the user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
