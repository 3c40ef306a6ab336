// Package totp implements time-based one-time passwords: HOTP (RFC 4226) over a
// time-step counter (RFC 6238), with HMAC-SHA1, 30-second steps and 6 digits, which
// is what authenticator apps expect from an otpauth:// URI that names no parameters.
//
// The algorithm, as implemented by Code:
//
//	counter = floor(unix seconds / 30)                 (Step)
//	mac     = HMAC-SHA1(secret, counter as 8 bytes, big-endian)
//	offset  = mac[19] & 0x0f
//	bin     = (mac[offset..offset+4] as big-endian uint32) & 0x7fffffff
//	code    = bin mod 10^digits, zero-padded to digits
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"time"
)

// Period is the length of one time step in seconds.
const Period = 30

// Digits is the length of the codes Verify accepts.
const Digits = 6

// SecretSize is the length in bytes of the secrets NewSecret makes: 160 bits, the
// size of an HMAC-SHA1 key that RFC 4226 recommends.
const SecretSize = 20

// Skew is how many steps before and after the current one Verify accepts, to allow
// for clock drift and a code typed as it changes.
const Skew = 1

// Encoding is how secrets are written for people and apps: base32 without padding.
var Encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random secret of SecretSize bytes.
func NewSecret() ([]byte, error) {
	b := make([]byte, SecretSize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("totp secret: %w", err)
	}
	return b, nil
}

// Step returns the time step that t falls in.
func Step(t time.Time) int64 {
	return floorDiv(t.Unix(), Period)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Code returns the HOTP code of secret at counter, with the given number of digits
// (6 to 8).
func Code(secret []byte, counter int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// Verify reports whether code is the Digits-digit code of secret for a step within
// Skew of t's step and later than after (the last step whose code was accepted, so
// that a code cannot be used twice; pass a negative number if none was). It returns
// the step matched. Codes are compared in constant time.
func Verify(secret []byte, code string, t time.Time, after int64) (int64, bool) {
	if len(code) != Digits {
		return 0, false
	}
	now := Step(t)
	matched, ok := int64(0), false
	for step := now - Skew; step <= now+Skew; step++ {
		want := Code(secret, step, Digits)
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && step > after && !ok {
			matched, ok = step, true
		}
	}
	return matched, ok
}

// URI returns the otpauth:// URI that authenticator apps read (often from a QR code)
// to enrol account at issuer.
func URI(issuer, account string, secret []byte) string {
	q := url.Values{}
	q.Set("secret", Encoding.EncodeToString(secret))
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(Digits))
	q.Set("period", fmt.Sprint(Period))
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: q.Encode()}
	return u.String()
}
