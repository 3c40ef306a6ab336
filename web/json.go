package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"caseroom"
)

// maxBody is the largest request body accepted: a long statement fits.
const maxBody = 8 << 20

// decode reads one JSON object from the request body into v, which must be a pointer
// to a struct. Unknown fields, wrong types, a body that is not an object and trailing
// data are refused with an EINVALID error whose message starts with the field at fault
// ("names.name: ..."), and so is a string that breaks the text rule (text.go): invalid
// UTF-8, or a control character.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		return decodeError(err, v, body)
	}
	return decodeBody(body, v)
}

// decodeBody is decode of a body already read.
func decodeBody(body []byte, v any) error {
	if err := checkUTF8(body); err != nil {
		return err
	}
	if err := notAnObject(body); err != nil {
		return err
	}
	if err := decodeStrict(body, v); err != nil {
		return decodeError(err, v, body)
	}
	return checkStrings(v)
}

// notAnObject returns EINVALID if body is well-formed JSON but not an object: a string
// (which a type that also takes a short form, such as an alias, would accept), a
// number, true or false, null (which would decode as an empty object) or an array.
func notAnObject(body []byte) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] == '{' || !json.Valid(trimmed) {
		return nil // empty or malformed: decodeStrict says what is wrong
	}
	kind := "a number"
	switch trimmed[0] {
	case '"':
		kind = "a string"
	case '[':
		kind = "an array"
	case 'n':
		kind = "null"
	case 't', 'f':
		kind = "true or false"
	}
	return caseroom.Errorf(caseroom.EINVALID, "body: must be a JSON object, not %s; see /api/v1/openapi.json for the fields this route takes", kind)
}

// noBody wraps the handler of a route that takes no body: a request may send none, or
// an empty JSON object ({}); anything else (malformed JSON, fields, trailing data) is
// refused as decode would refuse it, before the handler runs.
func noBody(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var none struct{}
		body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
		if err != nil {
			writeError(w, r, decodeError(err, &none, body))
			return
		}
		if len(bytes.TrimSpace(body)) > 0 {
			if err := decodeBody(body, &none); err != nil {
				writeError(w, r, err)
				return
			}
		}
		next(w, r)
	}
}

// errTrailingData reports a body holding more than one JSON value.
var errTrailingData = errors.New("trailing data after the JSON object")

// decodeStrict decodes exactly one JSON value from body into v, refusing unknown fields.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailingData
	}
	return nil
}

// decodeError turns an error from decoding body into v into an EINVALID error that
// names the field. encoding/json names the field only for type errors; for the rest
// (unknown fields, bad times) failingMember finds it.
func decodeError(err error, v any, body []byte) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return caseroom.Errorf(caseroom.EINVALID, "body: larger than %d bytes", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return caseroom.Errorf(caseroom.EINVALID, "body: required; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return caseroom.Errorf(caseroom.EINVALID, "body: the JSON ends too early")
	case errors.Is(err, errTrailingData):
		return caseroom.Errorf(caseroom.EINVALID, "body: send exactly one JSON object")
	case errors.As(err, &syntax):
		return caseroom.Errorf(caseroom.EINVALID, "body: malformed JSON at byte %d: %v", syntax.Offset, syntax)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		if strings.HasPrefix(typ.Value, "number ") {
			return caseroom.Errorf(caseroom.EINVALID, "%s: %s is out of range", field, strings.TrimPrefix(typ.Value, "number "))
		}
		want := typ.Type
		// A type that decodes itself (an alias: a string or an object) reports the type
		// it decoded into internally; name the field's own type instead.
		if own := typeAt(reflect.TypeOf(v), typ.Field); own != nil && want.Kind() != reflect.Slice && decodesItself(own) {
			want = own
		}
		return caseroom.Errorf(caseroom.EINVALID, "%s: must be %s, not %s", field, jsonTypeName(want), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if member := failingMember(body, v); member != "" && member != name {
			name = member + "." + name
		}
		return caseroom.Errorf(caseroom.EINVALID, "%s: unknown field; see /api/v1/openapi.json for the fields this route takes", name)
	}
	field := failingMember(body, v)
	if field == "" {
		field = "body"
	}
	if own := typeAt(reflect.TypeOf(v), field); own == timeType {
		return caseroom.Errorf(caseroom.EINVALID, "%s: must be an RFC 3339 time such as 2026-11-20T10:00:00Z", field)
	}
	return caseroom.Errorf(caseroom.EINVALID, "%s: %v", field, err)
}

// failingMember returns the name of the first member of the JSON object body (in
// name order) that cannot be decoded on its own into a new value of v's type, or ""
// if body is not an object or no single member fails.
func failingMember(body []byte, v any) string {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return ""
	}
	t := reflect.TypeOf(v).Elem()
	for _, name := range slices.Sorted(maps.Keys(members)) {
		one, err := json.Marshal(map[string]json.RawMessage{name: members[name]})
		if err != nil {
			return ""
		}
		if decodeStrict(one, reflect.New(t).Interface()) != nil {
			return name
		}
	}
	return ""
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// typeAt returns the Go type that the JSON at path ("names.name", as encoding/json
// writes paths; "" for the whole body) decodes into within t, looking through
// pointers and slices, or nil if there is no such field.
func typeAt(t reflect.Type, path string) reflect.Type {
	if path == "" {
		return elemType(t)
	}
	for _, name := range strings.Split(path, ".") {
		t = elemType(t)
		if t.Kind() != reflect.Struct {
			return nil
		}
		f, ok := fieldByJSONName(t, name)
		if !ok {
			return nil
		}
		t = f.Type
	}
	return elemType(t)
}

// elemType looks through pointers and slices to the type of one element.
func elemType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

// fieldByJSONName finds the field of struct type t that JSON calls name.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if strings.EqualFold(tag, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// decodesItself reports whether t has its own UnmarshalJSON, other than time.Time.
func decodesItself(t reflect.Type) bool {
	return t != timeType && (t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType))
}

// jsonTypeName names, for an error message, the JSON that decodes into t.
func jsonTypeName(t reflect.Type) string {
	switch {
	case t == timeType:
		return "an RFC 3339 time such as 2026-11-20T10:00:00Z"
	case decodesItself(t):
		return "a string or an object"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	}
	return "a " + t.String()
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

// create decodes the request body into an I, passes it to record, and writes what
// record returns with 201 Created. A decoding or service error is written instead.
func create[I, O any](w http.ResponseWriter, r *http.Request, record func(I) (O, error)) {
	var in I
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	out, err := record(in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// respond writes v with 200 OK, or err if it is not nil.
func respond(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// statusOf maps an error code to its HTTP status. This is the only such mapping.
var statusOf = map[string]int{
	caseroom.EINVALID:      http.StatusBadRequest,
	caseroom.EUNAUTHORIZED: http.StatusUnauthorized,
	caseroom.EFORBIDDEN:    http.StatusForbidden,
	caseroom.ENOTFOUND:     http.StatusNotFound,
	caseroom.ECONFLICT:     http.StatusConflict,
	caseroom.ENOTIMPL:      http.StatusNotImplemented,
	caseroom.ETOOMANY:      http.StatusTooManyRequests,
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
		loggerFor(r).Error("internal error", "method", r.Method, "route", r.Pattern, "err", err)
	}
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// intQuery reads an optional integer query parameter.
func intQuery(r *http.Request, name string, def int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a whole number", name, s)
	}
	return v, nil
}
