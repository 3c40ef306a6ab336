package sqlstore

import (
	"testing"

	"caseroom"
)

// FuzzNormaliseIdentifier checks that normalising any input never panics, that what it
// accepts is idempotent (a stored value normalises to itself), and that what it refuses
// is refused with a domain error naming the value field.
func FuzzNormaliseIdentifier(f *testing.F) {
	for _, s := range []string{"+92 300-1234567", "(042) 3576 1234", "Someone@Example.PK", "live:kala.77", "", "+", "++92", "a@b", "@x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		for _, kind := range caseroom.IdentifierKinds {
			got, err := normaliseIdentifier(kind, value)
			if err != nil {
				if caseroom.ErrorCode(err) != caseroom.EINVALID || caseroom.ErrorMessage(err)[:6] != "value:" {
					t.Fatalf("%s %q: error %v is not an EINVALID naming value", kind, value, err)
				}
				continue
			}
			again, err := normaliseIdentifier(kind, got)
			if err != nil || again != got {
				t.Fatalf("%s %q: normalised %q, which normalises to %q, %v", kind, value, got, again, err)
			}
		}
	})
}
