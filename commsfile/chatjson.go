package commsfile

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"caseroom"
	"caseroom/internal/bounded"
)

// jsonReader walks a JSON document one token at a time, so that no more than one
// token, or one record decoded whole, is held.
type jsonReader struct {
	dec    *json.Decoder
	in     *bounded.Reader
	offset int64  // bytes before the decoder's input: a byte order mark, white space
	where  string // the record being read, for messages ("record 3 (message 1)")
}

// newJSONReader returns a jsonReader over br, which starts offset bytes into the file.
func newJSONReader(br *bufio.Reader, offset int64) *jsonReader {
	in := &bounded.Reader{R: br, Limit: maxJSONValueBytes}
	dec := json.NewDecoder(in)
	dec.UseNumber()
	return &jsonReader{dec: dec, in: in, offset: offset}
}

// token returns the next token, allowing it up to maxJSONValueBytes.
func (j *jsonReader) token() (json.Token, error) {
	j.in.Limit = j.in.N + maxJSONValueBytes
	t, err := j.dec.Token()
	if err != nil {
		return nil, j.fail(err)
	}
	return t, nil
}

// decode decodes the next value into v, allowing it up to maxJSONValueBytes.
func (j *jsonReader) decode(v any) error {
	j.in.Limit = j.in.N + maxJSONValueBytes
	if err := j.dec.Decode(v); err != nil {
		return j.fail(err)
	}
	return nil
}

// fail turns an error of the decoder into one for the caller.
func (j *jsonReader) fail(err error) error {
	where := ""
	if j.where != "" {
		where = j.where + ": "
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, bounded.ErrTooLarge):
		return invalid("%sa JSON value is larger than %d bytes", where, maxJSONValueBytes)
	case errors.As(err, &syntax):
		return invalid("%sthe JSON is malformed after byte %d: %s", where, j.offset+syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the record"
		}
		return invalid("%s%s: a JSON %s where %s belongs", where, field, typ.Value, jsonTypeName(typ.Type.Kind().String()))
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("%sthe JSON ends early, after byte %d", where, j.offset+j.dec.InputOffset())
	}
	return fmt.Errorf("read chat file: %w", err)
}

// jsonTypeName says a Go kind as JSON calls it, with an article.
func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "true or false"
	}
	return "a number"
}

// errorf returns an EINVALID error about the current record.
func (j *jsonReader) errorf(format string, args ...any) error {
	if j.where == "" {
		return invalid(format, args...)
	}
	return invalid("%s: %s", j.where, fmt.Sprintf(format, args...))
}

// delim reads the next token, which must be d (or, if orNull, null, then it reports
// false).
func (j *jsonReader) delim(d json.Delim, what string, orNull bool) (bool, error) {
	t, err := j.token()
	if err != nil {
		return false, err
	}
	if t == nil && orNull {
		return false, nil
	}
	if t != d {
		return false, j.errorf("%s: %s where %s belongs", what, describeToken(t), map[json.Delim]string{'{': "an object", '[': "an array"}[d])
	}
	return true, nil
}

// describeToken says what a token is, for messages.
func describeToken(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "the string " + quote(v)
	case json.Number:
		return "the number " + v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return "null"
}

// object reads an object, calling member with each key; member must read the value.
// An empty object is fine.
func (j *jsonReader) object(what string, orNull bool, member func(key string) error) error {
	if ok, err := j.delim('{', what, orNull); err != nil || !ok {
		return err
	}
	for j.dec.More() {
		t, err := j.token()
		if err != nil {
			return err
		}
		key, ok := t.(string)
		if !ok {
			return j.errorf("%s: a key must be a string", what)
		}
		if err := member(key); err != nil {
			return err
		}
	}
	_, err := j.token() // '}'
	return err
}

// array reads an array (null is taken for an empty one), calling elem for each element;
// elem must read it.
func (j *jsonReader) array(what string, elem func() error) error {
	if ok, err := j.delim('[', what, true); err != nil || !ok {
		return err
	}
	for j.dec.More() {
		if err := elem(); err != nil {
			return err
		}
	}
	_, err := j.token() // ']'
	return err
}

// skip reads a value, of any size, without keeping it.
func (j *jsonReader) skip() error {
	depth := 0
	for {
		t, err := j.token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// str reads a string value (null is ""), trimmed.
func (j *jsonReader) str(field string) (string, error) {
	t, err := j.token()
	if err != nil {
		return "", err
	}
	switch v := t.(type) {
	case string:
		return strings.TrimSpace(v), nil
	case nil:
		return "", nil
	}
	return "", j.errorf("%s: %s where a string belongs", field, describeToken(t))
}

// seconds reads a whole number of seconds, 0 or more (null is 0).
func (j *jsonReader) seconds(field string) (int64, error) {
	t, err := j.token()
	if err != nil {
		return 0, err
	}
	switch v := t.(type) {
	case nil:
		return 0, nil
	case json.Number:
		n, err := strconv.ParseInt(v.String(), 10, 64)
		if err != nil || n < 0 || n > 100*24*3600 {
			return 0, j.errorf("%s: %s is not a duration; write a whole number of seconds, such as 65", field, v)
		}
		return n, nil
	}
	return 0, j.errorf("%s: %s where a whole number of seconds belongs", field, describeToken(t))
}

// readChatJSON reads a chat file that is a JSON object: our layout when its first
// member is "format", a Skype export otherwise.
func readChatJSON(br *bufio.Reader, offset int64, o ChatOptions, fn func(caseroom.CommRow) error) error {
	j := newJSONReader(br, offset)
	if _, err := j.delim('{', "the file", false); err != nil {
		return err
	}
	if !j.dec.More() {
		return invalid("not a chat file Caseroom reads: an empty JSON object")
	}
	t, err := j.token()
	if err != nil {
		return err
	}
	key, _ := t.(string)
	if key == "format" {
		err = readOurJSON(j, o, fn)
	} else {
		err = readSkype(j, key, o.Location, fn)
	}
	if err != nil {
		return err
	}
	// Nothing may follow the object but white space.
	end := j.offset + j.dec.InputOffset()
	if _, err := j.dec.Token(); err != io.EOF {
		if err == nil {
			return invalid("the JSON goes on after the object ends, after byte %d", end)
		}
		return j.fail(err)
	}
	return nil
}

// ourMembers are the members of our JSON layout, in the order they must come.
var ourMembers = []string{"format", "service", "account", "contacts", "messages"}

// readOurJSON reads the rest of our JSON layout, after the key "format".
func readOurJSON(j *jsonReader, o ChatOptions, fn func(caseroom.CommRow) error) error {
	format, err := j.str("format")
	if err != nil {
		return err
	}
	if format != chatFormat {
		if strings.HasPrefix(format, "caseroom-chat/") {
			return invalid("format %s is not one this Caseroom reads; it reads %s", quote(format), chatFormat)
		}
		return invalid("not a chat file Caseroom reads: format %s; Caseroom reads %s", quote(format), chatFormat)
	}
	service, account := o.Service, ""
	var records, contacts int64
	last := 0 // the index in ourMembers of the member read last
	for j.dec.More() {
		t, err := j.token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		i := indexOf(ourMembers, key)
		switch {
		case i < 0:
			return invalid("member %s is not one of %s", quote(key), strings.Join(ourMembers, ", "))
		case i <= last:
			return invalid("member %s comes after %s (or twice); write the members in the order %s", quote(key), quote(ourMembers[last]), strings.Join(ourMembers, ", "))
		}
		last = i
		switch key {
		case "service":
			s, err := j.str(key)
			if err != nil {
				return err
			}
			if s != "" {
				service = s
			}
		case "account":
			if account, err = j.str(key); err != nil {
				return err
			}
		case "contacts":
			err = j.array(key, func() error {
				records++
				contacts++
				j.where = fmt.Sprintf("record %d (contact %d)", records, contacts)
				row, err := j.ourContact(account, service, o)
				if err != nil {
					return err
				}
				row.Line = records
				j.where = ""
				return fn(row)
			})
		case "messages":
			var messages int64
			err = j.array(key, func() error {
				records++
				messages++
				j.where = fmt.Sprintf("record %d (message %d)", records, messages)
				row, err := j.ourMessage(service, o)
				if err != nil {
					return err
				}
				row.Line = records
				j.where = ""
				return fn(row)
			})
		}
		if err != nil {
			return err
		}
	}
	_, err = j.token() // '}'
	return err
}

// ourContact reads a contact object of our layout.
func (j *jsonReader) ourContact(account, service string, o ChatOptions) (caseroom.CommRow, error) {
	row := caseroom.CommRow{Kind: caseroom.CommContact, Directed: true}
	var added string
	var unknown []string
	kinds := 0
	err := j.object("the contact", false, func(key string) error {
		var err error
		switch key {
		case "handle", "phone", "email":
			var v string
			if v, err = j.str(key); err == nil && v != "" {
				kinds++
				row.To.Kind, row.To.Value = map[string]caseroom.IdentifierKind{
					"handle": caseroom.IdentifierHandle, "phone": caseroom.IdentifierPhone, "email": caseroom.IdentifierEmail}[key], v
			}
		case "name":
			row.To.Name, err = j.str(key)
		case "country":
			var v, msg string
			if v, err = j.str(key); err == nil {
				if row.To.Country, msg = checkCountry(v); msg != "" {
					err = j.errorf("%s: %s", key, msg)
				}
			}
		case "added":
			added, err = j.str(key)
		default:
			unknown = append(unknown, quote(key))
			err = j.skip()
		}
		return err
	})
	switch {
	case err != nil:
		return row, err
	case len(unknown) > 0:
		return row, j.errorf("unknown %s %s; a contact has handle (or phone or email), name, country and added", plural(len(unknown), "field", "fields"), strings.Join(unknown, ", "))
	case kinds == 0:
		return row, j.errorf("no handle, phone or email; give the contact in one of them")
	case kinds > 1:
		return row, j.errorf("more than one of handle, phone and email; give the contact in one of them")
	case account == "":
		return row, j.errorf("no account: a contact list needs the account it belongs to; give \"account\" before \"contacts\"")
	case added == "":
		return row, j.errorf("added: missing; give when the contact was added, such as 2015-05-01T10:00:00Z")
	}
	var msg string
	if row.At, msg = chatTime(added, o.Location); msg != "" {
		return row, j.errorf("added: %s", msg)
	}
	row.From = caseroom.RawEndpoint{Kind: endpointKind(account), Value: account, Service: service}
	row.To.Service = service
	return row, nil
}

// ourMessage reads a message object of our layout.
func (j *jsonReader) ourMessage(service string, o ChatOptions) (caseroom.CommRow, error) {
	row := caseroom.CommRow{Kind: caseroom.CommMessage, Directed: true}
	var from, to, at, kind string
	var unknown []string
	err := j.object("the message", false, func(key string) error {
		var err error
		switch key {
		case "from":
			from, err = j.str(key)
		case "to":
			to, err = j.str(key)
		case "at":
			at, err = j.str(key)
		case "kind":
			kind, err = j.str(key)
		case "duration":
			row.Duration, err = j.seconds(key)
		default:
			unknown = append(unknown, quote(key))
			err = j.skip()
		}
		return err
	})
	if err != nil {
		return row, err
	}
	if len(unknown) > 0 {
		return row, j.errorf("unknown %s %s; a message has from, to, at, kind and duration", plural(len(unknown), "field", "fields"), strings.Join(unknown, ", "))
	}
	for _, f := range []struct{ name, v string }{{"from", from}, {"to", to}, {"at", at}} {
		if f.v == "" {
			return row, j.errorf("%s: missing; every message has from, to and at", f.name)
		}
	}
	var msg string
	if row.Kind, msg = chatKindNamed(kind, false); msg != "" {
		return row, j.errorf("kind: %s", msg)
	}
	if row.At, msg = chatTime(at, o.Location); msg != "" {
		return row, j.errorf("at: %s", msg)
	}
	row.From = caseroom.RawEndpoint{Kind: endpointKind(from), Value: from, Service: service}
	row.To = caseroom.RawEndpoint{Kind: endpointKind(to), Value: to, Service: service}
	return row, nil
}

// plural returns one if n is 1, many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
