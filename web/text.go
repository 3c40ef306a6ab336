package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"caseroom"
)

// The text rule. Every string a request carries (a field of a JSON body, at any depth;
// a field of a form; a path segment or query parameter) is checked here, where it is
// decoded, before any store sees it:
//
//   - it must be valid UTF-8: encoding/json would otherwise replace a bad byte with
//     U+FFFD without a word, and PostgreSQL refuses it;
//   - it must hold no control character: none of U+0000 to U+001F and no U+007F
//     (PostgreSQL's text cannot hold U+0000 at all; the others are never meant);
//   - except that free text written by a person (the fields named in freeText) may
//     hold tabs and line breaks (U+0009, U+000A, U+000D).
//
// A string that breaks the rule is refused with EINVALID naming the field by its path
// in the request ("names[0].source: ..."), so the API and the web forms refuse it in
// the same words on every store.

// freeText names the fields, by their JSON and form name, whose values are free text
// that may run over several lines: a document's text, a description, a note, a reason.
// Every other string (titles, names, references, user names, kinds) is one line.
var freeText = map[string]bool{
	"text":             true, // a document's text
	"description":      true, // an exhibit's description
	"note":             true, // a link's, an organisation's, a consent's note
	"reason":           true, // a reveal's, a refer-back's, a cancellation's, a correction's reason; a media view's
	"correctionReason": true,
	"circumstances":    true, // of a retraction
	"rationale":        true, // of a decision
	"decision":         true,
	"purpose":          true, // of a custody event, of a contact
	"address":          true, // a person's or a location's address
}

// checkText returns EINVALID naming field if s breaks the text rule; multiline says
// whether s may hold tabs and line breaks.
func checkText(field, s string, multiline bool) error {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return caseroom.Errorf(caseroom.EINVALID, "%s: is not valid UTF-8 (byte %d); send text as UTF-8", field, i)
			}
		case r == '\t' || r == '\n' || r == '\r':
			if !multiline {
				return caseroom.Errorf(caseroom.EINVALID, "%s: contains a control character (U+%04X) at byte %d; this field takes a single line, without tabs or line breaks", field, r, i)
			}
		case r < 0x20 || r == 0x7f:
			return caseroom.Errorf(caseroom.EINVALID, "%s: contains a control character (U+%04X) at byte %d; remove it", field, r, i)
		}
	}
	return nil
}

// checkStrings applies the text rule to every string in v, a decoded request body:
// string fields of structs, at any depth, elements of slices and arrays, keys and
// values of maps. Each is named by its JSON path: "names[0].source", "subjects[2]",
// "languages.lena[0]".
func checkStrings(v any) error {
	return walkStrings(reflect.ValueOf(v), "", false)
}

func walkStrings(v reflect.Value, path string, multiline bool) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkStrings(v.Elem(), path, multiline)
	case reflect.String:
		return checkText(orBody(path), v.String(), multiline)
	case reflect.Struct:
		if v.Type() == timeType {
			return nil
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-":
				continue
			case name == "" && f.Anonymous:
				// encoding/json lifts an embedded struct's fields into its parent.
				if err := walkStrings(v.Field(i), path, multiline); err != nil {
					return err
				}
				continue
			case name == "":
				name = f.Name
			}
			if err := walkStrings(v.Field(i), joinPath(path, name), freeText[name]); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes, not text
		}
		for i := range v.Len() {
			if err := walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), multiline); err != nil {
				return err
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			if k.Kind() == reflect.String {
				if err := checkText(orBody(path), k.String(), false); err != nil {
					return err
				}
			}
			if err := walkStrings(v.MapIndex(k), joinPath(path, fmt.Sprint(k)), multiline); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func orBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// checkUTF8 returns EINVALID if body, a JSON request body, is not valid UTF-8, naming
// the member whose string holds the first bad byte (see jsonPathAt).
func checkUTF8(body []byte) error {
	if utf8.Valid(body) {
		return nil
	}
	at := 0
	for at < len(body) {
		r, size := utf8.DecodeRune(body[at:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		at += size
	}
	return caseroom.Errorf(caseroom.EINVALID, "%s: is not valid UTF-8 (byte %d of the body); send text as UTF-8", orBody(jsonPathAt(body, at)), at)
}

// jsonPathAt returns the path ("names[0].source") of the string in the JSON document
// body that holds byte offset at, or "" if none does (the offset is outside every
// string, or body is not JSON up to there). It follows the document token by token,
// keeping the stack of objects and arrays it is in.
func jsonPathAt(body []byte, at int) string {
	type frame struct {
		object  bool
		key     string // the member being read, in an object
		wantKey bool   // the next token is a member's name
		index   int    // the element being read, in an array
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				fmt.Fprintf(&b, "[%d]", f.index)
			}
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].wantKey = true
			}
			continue
		}
		if top != nil && top.object && top.wantKey {
			top.key, top.wantKey = fmt.Sprint(tok), false
			if dec.InputOffset() > int64(at) {
				return path()
			}
			continue
		}
		if top != nil && !top.object {
			top.index++
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, &frame{object: d == '{', wantKey: d == '{', index: -1})
			continue
		}
		if dec.InputOffset() > int64(at) {
			if _, ok := tok.(string); ok {
				return path()
			}
			return ""
		}
		if top != nil && top.object {
			top.wantKey = true
		}
	}
}

// checkForm applies the text rule to every field of a submitted form. The password of
// the sign-in form is left alone: it is hashed, never stored or shown, and may be
// anything its owner chose.
func checkForm(form url.Values) error {
	for _, name := range slices.Sorted(maps.Keys(form)) {
		if err := checkText("form field", name, false); err != nil {
			return err
		}
		if name == "password" {
			continue
		}
		for _, v := range form[name] {
			if err := checkText(name, v, freeText[name]); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkURL applies the text rule to the request's path, after unescaping (a segment
// such as %00 in place of a case's id), and to every query parameter's name and value.
func checkURL(u *url.URL) error {
	if err := checkText("path", u.Path, false); err != nil {
		return err
	}
	// A pair that cannot be parsed is left out, as r.URL.Query() leaves it out for
	// the handlers.
	q, _ := url.ParseQuery(u.RawQuery)
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if err := checkText("query parameter", name, false); err != nil {
			return err
		}
		for _, v := range q[name] {
			if err := checkText(name, v, false); err != nil {
				return err
			}
		}
	}
	return nil
}
