// Package phone writes phone numbers in one form, E.164 (+923001234567), through
// libphonenumber's Go port, so that a number written locally (0300-1234567), with its
// country code (+92 300 1234567, 0092 300 1234567) or with the code but no plus
// (923001234567) is one number, and says which country a number belongs to.
package phone

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Number is a phone number as normalised.
type Number struct {
	// E164 is the number in E.164 (+ and up to 15 digits), or, for a number that is
	// no full number (a short code such as 8558, a service number), its digits as
	// written.
	E164 string
	// Country is the ISO 3166-1 alpha-2 region the number belongs to ("" if unknown).
	Country string
	// Full is set when the number has a country code (E164 starts with +).
	Full bool
}

// Normalise reads a phone number as a person or a file writes it, with region the
// ISO 3166-1 alpha-2 code of the country a number written without its country code is
// in (the case's country, PK). It returns ok false if raw holds no digits or
// characters other than digits, spaces, a leading +, dashes, dots and brackets.
//
// The rule: a number libphonenumber can parse for the region and that is possible for
// its country (the right length) is written in E.164 with its region: the one
// libphonenumber finds for a valid number, else the main region of its country code
// (+44 7700 900123, in a range kept for drama, is still GB). Anything else is kept as
// its digits (with a leading + if written) and no country: short codes and service
// numbers in call records are such.
func Normalise(raw, region string) (Number, bool) {
	raw = strings.TrimSpace(raw)
	digits := make([]byte, 0, len(raw))
	plus := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '+' && len(digits) == 0 && !plus:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return Number{}, false
		}
	}
	if len(digits) == 0 || len(digits) > 17 {
		return Number{}, false
	}
	input := string(digits)
	if plus {
		input = "+" + input
	}
	if full, ok := e164(input, region); ok {
		// Only a form that reads back as itself: libphonenumber strips a trunk zero
		// after some country codes (+51 0...), and a number it would strip again is
		// kept as written, so that normalising is idempotent.
		if again, ok := e164(full.E164, region); ok && again == full {
			return full, true
		}
	}
	return Number{E164: input}, true
}

// e164 is libphonenumber's reading of a number, if possible for its country.
func e164(input, region string) (Number, bool) {
	n, err := phonenumbers.Parse(input, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return Number{}, false
	}
	country := phonenumbers.GetRegionCodeForNumber(n)
	if country == "" || country == "ZZ" || country == "001" {
		country = phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode()))
	}
	if country == "ZZ" || country == "001" {
		country = ""
	}
	return Number{E164: phonenumbers.Format(n, phonenumbers.E164), Country: country, Full: true}, true
}

// zoneRegions maps the time zones of the countries Caseroom's cases are likeliest to be
// in (and their neighbours) to the country a local number is in.
var zoneRegions = map[string]string{
	"Asia/Karachi": "PK", "Asia/Kolkata": "IN", "Asia/Calcutta": "IN", "Asia/Dhaka": "BD", "Asia/Kathmandu": "NP",
	"Asia/Colombo": "LK", "Asia/Kabul": "AF", "Asia/Tehran": "IR", "Asia/Dubai": "AE", "Asia/Riyadh": "SA",
	"Europe/London": "GB", "Europe/Berlin": "DE", "Europe/Paris": "FR", "Europe/Amsterdam": "NL",
	"America/New_York": "US", "America/Chicago": "US", "America/Los_Angeles": "US", "America/Toronto": "CA",
}

// DefaultRegion is the region of a case whose time zone says no country: Pakistan,
// where the cases Caseroom was built for are.
const DefaultRegion = "PK"

// RegionOfZone returns the region (ISO 3166-1 alpha-2) in which numbers written without
// a country code are read for a case in the IANA time zone tz: the zone's country if
// known, else DefaultRegion.
func RegionOfZone(tz string) string {
	if r, ok := zoneRegions[tz]; ok {
		return r
	}
	return DefaultRegion
}
