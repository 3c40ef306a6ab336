package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"caseroom"
)

// maxBody is the largest request body accepted: a long statement fits.
const maxBody = 8 << 20

// decode reads one JSON object from the request body into v. Unknown fields, wrong
// types and trailing data are refused with an EINVALID error naming the field.
func decode(r *http.Request, v any) error {
	body := http.MaxBytesReader(nil, r.Body, maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return caseroom.Errorf(caseroom.EINVALID, "body: send exactly one JSON object")
	}
	return nil
}

func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	var timeErr *time.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return caseroom.Errorf(caseroom.EINVALID, "body: required; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return caseroom.Errorf(caseroom.EINVALID, "body: the JSON ends too early")
	case errors.As(err, &syntax):
		return caseroom.Errorf(caseroom.EINVALID, "body: malformed JSON at byte %d: %v", syntax.Offset, syntax)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return caseroom.Errorf(caseroom.EINVALID, "%s: must be %s, not %s", field, jsonTypeName(typ.Type.String()), typ.Value)
	case errors.As(err, &tooBig):
		return caseroom.Errorf(caseroom.EINVALID, "body: larger than %d bytes", tooBig.Limit)
	case errors.As(err, &timeErr):
		return caseroom.Errorf(caseroom.EINVALID, "time: %q is not an RFC 3339 time such as 2026-11-20T10:00:00Z", timeErr.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return caseroom.Errorf(caseroom.EINVALID, "%s: unknown field; see /api/v1/openapi.json for the fields this route takes", name)
	}
	return caseroom.Errorf(caseroom.EINVALID, "body: %v", err)
}

// jsonTypeName names a Go type as a JSON type for error messages.
func jsonTypeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.Contains(goType, "float"), strings.Contains(goType, "int"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string" || strings.HasPrefix(goType, "caseroom."):
		return "a string"
	case strings.HasPrefix(goType, "map"), strings.HasPrefix(goType, "struct"):
		return "an object"
	}
	return "a " + goType
}

// writeJSON writes v with the status code.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		slog.Default().Error("write response", "err", err)
	}
}

// statusOf maps an error code to its HTTP status. This is the only such mapping.
var statusOf = map[string]int{
	caseroom.EINVALID:      http.StatusBadRequest,
	caseroom.EUNAUTHORIZED: http.StatusUnauthorized,
	caseroom.EFORBIDDEN:    http.StatusForbidden,
	caseroom.ENOTFOUND:     http.StatusNotFound,
	caseroom.ECONFLICT:     http.StatusConflict,
	caseroom.ENOTIMPL:      http.StatusNotImplemented,
	caseroom.EINTERNAL:     http.StatusInternalServerError,
}

// writeError writes err as {"error":{"code","message"}}. Internal errors are logged
// and shown only as a generic message.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := caseroom.ErrorCode(err), caseroom.ErrorMessage(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == caseroom.EINTERNAL {
		slog.Default().Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// intQuery reads an optional integer query parameter.
func intQuery(r *http.Request, name string, def int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	var v int64
	if _, err := fmt.Sscan(s, &v); err != nil {
		return 0, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a whole number", name, s)
	}
	return v, nil
}
