package caseroom

import (
	"bytes"
	"encoding/json"
)

// unmarshalStringOrObject decodes b, a JSON string or object: a string is stored in
// *str (the field a short form stands for, such as a person reference), an object is
// decoded into obj with unknown fields refused. obj must not itself implement
// json.Unmarshaler through this function, or it would recurse.
func unmarshalStringOrObject(b []byte, str *string, obj any) error {
	if err := json.Unmarshal(b, str); err == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(obj)
}
