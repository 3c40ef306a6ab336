package phone

import (
	"testing"

	"pgregory.net/rapid"
)

func TestNormalise(t *testing.T) {
	for _, tc := range []struct{ raw, e164, country string }{
		{"0300-1234567", "+923001234567", "PK"},
		{"+92 300 1234567", "+923001234567", "PK"},
		{"923001234567", "+923001234567", "PK"},
		{"0092 300 1234567", "+923001234567", "PK"},
		{"03001234567", "+923001234567", "PK"},
		{"(0300) 123-4567", "+923001234567", "PK"},
		{"03219876543", "+923219876543", "PK"},
		{"923335550001", "+923335550001", "PK"},
		{"+447700900123", "+447700900123", "GB"},
		{"0049 151 2345678", "+491512345678", "DE"},
		{"00971 50 123 4567", "+971501234567", "AE"},
		{"+1 202 555 0143", "+12025550143", "US"},
		{"042-35761234", "+924235761234", "PK"}, // a Lahore landline
		{"8558", "8558", ""},                    // a short code stays as written
		{"+510000000000", "+510000000000", ""},  // libphonenumber would strip a zero each time: kept as written
	} {
		n, ok := Normalise(tc.raw, "PK")
		if !ok || n.E164 != tc.e164 || n.Country != tc.country {
			t.Errorf("Normalise(%q) = %+v, %v; want %s %s", tc.raw, n, ok, tc.e164, tc.country)
		}
	}
	for _, bad := range []string{"", "   ", "abc", "0300-123456x", "++92300", "12345678901234567890", "+"} {
		if n, ok := Normalise(bad, "PK"); ok {
			t.Errorf("Normalise(%q) = %+v, want refused", bad, n)
		}
	}
}

// Normalising is idempotent: the E.164 form of a number normalises to itself.
func TestNormaliseIdempotent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := rapid.StringMatching(`\+?[0-9 ()-]{1,20}`).Draw(t, "raw")
		n, ok := Normalise(raw, "PK")
		if !ok {
			return
		}
		again, ok := Normalise(n.E164, "PK")
		if !ok || again != n {
			t.Fatalf("Normalise(%q) = %+v, then %+v", raw, n, again)
		}
	})
}
