package totp

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestRFC6238Vectors checks Code against the SHA-1 test vectors of RFC 6238,
// appendix B (8 digits, 30-second steps, the ASCII secret "12345678901234567890").
func TestRFC6238Vectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		if got := Code(secret, Step(time.Unix(tc.unix, 0)), 8); got != tc.want {
			t.Errorf("T=%d: code %s, want %s", tc.unix, got, tc.want)
		}
	}
}

// TestRFC4226Vectors checks the 6-digit HOTP values of RFC 4226, appendix D.
func TestRFC4226Vectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for counter, w := range want {
		if got := Code(secret, int64(counter), 6); got != w {
			t.Errorf("counter %d: %s, want %s", counter, got, w)
		}
	}
}

func TestVerify(t *testing.T) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	step := Step(now)
	at := func(d int64) string { return Code(secret, step+d, Digits) }
	for _, tc := range []struct {
		name  string
		code  string
		after int64
		ok    bool
		step  int64
	}{
		{"current step", at(0), -1, true, step},
		{"previous step", at(-1), -1, true, step - 1},
		{"next step", at(1), -1, true, step + 1},
		{"two steps ago", at(-2), -1, false, 0},
		{"two steps ahead", at(2), -1, false, 0},
		{"reused: its step was already accepted", at(0), step, false, 0},
		{"an older code after a newer one was accepted", at(-1), step, false, 0},
		{"a later code after an earlier one", at(1), step, true, step + 1},
		{"wrong code", wrong(at(0)), -1, false, 0},
		{"too short", at(0)[:5], -1, false, 0},
		{"empty", "", -1, false, 0},
		{"eight digits", Code(secret, step, 8), -1, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Verify(secret, tc.code, now, tc.after)
			if ok != tc.ok || (ok && got != tc.step) {
				t.Errorf("Verify(%q, after %d) = %d, %v; want %d, %v", tc.code, tc.after, got, ok, tc.step, tc.ok)
			}
		})
	}
}

// wrong returns a different code of the same length.
func wrong(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

func TestURI(t *testing.T) {
	secret := []byte("12345678901234567890")
	u, err := url.Parse(URI("Caseroom", "lena", secret))
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Caseroom:lena" {
		t.Errorf("URI %s: want otpauth://totp/Caseroom:lena", u)
	}
	q := u.Query()
	if q.Get("secret") != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" || q.Get("issuer") != "Caseroom" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("URI query %v", q)
	}
	if strings.Contains(u.String(), "=") && strings.Contains(q.Get("secret"), "=") {
		t.Error("secret is padded")
	}
}

func TestStepBeforeEpoch(t *testing.T) {
	if got := Step(time.Unix(-1, 0)); got != -1 {
		t.Errorf("Step(-1s) = %d, want -1", got)
	}
}

func TestNewSecret(t *testing.T) {
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewSecret()
	if len(a) != SecretSize || string(a) == string(b) {
		t.Errorf("secrets %x and %x", a, b)
	}
}
