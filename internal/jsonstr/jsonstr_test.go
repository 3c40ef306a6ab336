package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Append writes what encoding/json writes, with and without HTML escaping.
func TestAppendAsEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "a\nb\tc\r\b\f\x00\x1f", "<a href='x'>&</a>", "حسین خانوالا", "\u2028\u2029", "bad \xff\xfe utf-8", "\U0001F600"} {
		for _, html := range []bool{true, false} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got := string(Append(nil, s, html)) + "\n"; got != want.String() {
				t.Errorf("Append(%q, escapeHTML %v) = %s; want %s", s, html, got, want.String())
			}
		}
	}
}

// FuzzAppend compares Append with encoding/json on any string.
func FuzzAppend(f *testing.F) {
	f.Add("<&>\"\\\n\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, html := range []bool{true, false} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got := string(Append(nil, s, html)) + "\n"; got != want.String() {
				t.Fatalf("Append(%q, %v) = %s; want %s", s, html, got, want.String())
			}
		}
	})
}
