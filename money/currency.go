// Package money knows currencies, writes amounts out the ways documents do, and adds up
// a case's standing payments into a money summary. It is pure: it reads no store and
// keeps no state.
//
// Amounts are caseroom.MinorUnits: whole numbers of a currency's minor units (paisa
// for PKR). A currency's Digits says how many of the amount's last decimal digits are
// the minor part: PKR 2, so 8000000000 is Rs 8,00,00,000.00; JPY 0; KWD 3.
package money

import (
	"caseroom"

	"golang.org/x/text/currency"
)

// Currency is an ISO 4217 currency as amounts are written in it.
type Currency struct {
	// Code is the ISO 4217 code, in capitals: PKR.
	Code string
	// Digits is the number of minor-unit digits: PKR 2, JPY 0, KWD 3.
	Digits int
	// Name is the English name of the major unit, plural, for amounts in words:
	// rupees, dollars, pounds, euros, yen. It is "" for a currency without one, and
	// words then use the code.
	Name string
}

// unitNames are the English words for a currency's units.
type unitNames struct {
	major, majorOne string // rupees, rupee
	minor, minorOne string // paisa, paisa; "" for a currency with no minor unit
}

// names holds the currencies whose units have English names here: the currencies of
// South Asia and those that payments in a Pakistani case are most often made in.
// Others are written with their code.
var names = map[string]unitNames{
	"PKR": {"rupees", "rupee", "paisa", "paisa"},
	"INR": {"rupees", "rupee", "paisa", "paisa"},
	"NPR": {"rupees", "rupee", "paisa", "paisa"},
	"LKR": {"rupees", "rupee", "cents", "cent"},
	"BDT": {"taka", "taka", "poisha", "poisha"},
	"USD": {"dollars", "dollar", "cents", "cent"},
	"EUR": {"euros", "euro", "cents", "cent"},
	"GBP": {"pounds", "pound", "pence", "penny"},
	"JPY": {"yen", "yen", "", ""},
	"AED": {"dirhams", "dirham", "fils", "fils"},
	"SAR": {"riyals", "riyal", "halalas", "halala"},
	"KWD": {"dinars", "dinar", "fils", "fils"},
}

// southAsian lists the currencies whose amounts are written in the South Asian scale
// (thousand, lakh, crore, arab, kharab) in short and in words.
var southAsian = map[string]bool{"PKR": true, "INR": true, "BDT": true, "NPR": true}

// notMoney lists the ISO 4217 codes that name no money anyone pays in: XXX (no
// currency), XTS (reserved for testing), the precious metals, the bond-market and
// other units of account, and the SDR. LookupCurrency refuses them.
var notMoney = map[string]string{
	"XXX": "the code for no currency",
	"XTS": "reserved for testing",
	"XAU": "gold", "XAG": "silver", "XPT": "platinum", "XPD": "palladium",
	"XBA": "a bond-market unit", "XBB": "a bond-market unit", "XBC": "a bond-market unit", "XBD": "a bond-market unit",
	"XDR": "the IMF's special drawing right", "XSU": "the Sucre unit of account",
	"XUA": "the ADB unit of account", "XEU": "the European currency unit of account",
	"XFO": "the gold franc", "XFU": "the UIC franc", "XRE": "a RINET funds code",
}

// isoDigits holds the ISO 4217 minor-unit digits of the current currencies for which
// CLDR, and so golang.org/x/text/currency, gives other digits. CLDR's digits are how
// many decimals are usually shown (it says 0 for PKR, as rupee prices drop the
// paisa); ISO 4217's are what an amount in minor units is counted in, and payments
// count PKR in paisa.
var isoDigits = map[string]int{
	"AFN": 2, "ALL": 2, "AMD": 2, "COP": 2, "GYD": 2, "IDR": 2, "IQD": 3, "IRR": 2,
	"KPW": 2, "LAK": 2, "LBP": 2, "MGA": 2, "MMK": 2, "MNT": 2, "MRO": 2, "MUR": 2,
	"PKR": 2, "RSD": 2, "SLL": 2, "SOS": 2, "SYP": 2, "TZS": 2, "UZS": 2, "YER": 2,
}

// LookupCurrency returns the currency with the ISO 4217 code, written in capitals
// ("PKR"; "pkr" is refused so that one currency is never stored two ways). The code
// must be one golang.org/x/text/currency knows, current or historical, and must name
// money: XXX, XTS, the metals and the units of account are refused. Digits are the
// ISO 4217 minor-unit digits (CLDR's rounding digits, corrected where ISO differs).
// Returns EINVALID, with a message saying what to write, for any other code.
func LookupCurrency(code string) (Currency, error) {
	if !capitals(code) {
		if len(code) == 3 && capitals(upper(code)) {
			return Currency{}, caseroom.Errorf(caseroom.EINVALID, "currency: %q is not an ISO 4217 currency code: codes are written in capitals; write %s", code, upper(code))
		}
		return Currency{}, caseroom.Errorf(caseroom.EINVALID, "currency: %q is not an ISO 4217 currency code; write PKR, USD, GBP...", code)
	}
	if what, ok := notMoney[code]; ok {
		return Currency{}, caseroom.Errorf(caseroom.EINVALID, "currency: %q is not money but %s; write the currency paid in: PKR, USD, GBP...", code, what)
	}
	u, err := currency.ParseISO(code)
	if err != nil {
		return Currency{}, caseroom.Errorf(caseroom.EINVALID, "currency: %q is not an ISO 4217 currency code; write PKR, USD, GBP...", code)
	}
	digits, _ := currency.Standard.Rounding(u)
	if d, ok := isoDigits[code]; ok {
		digits = d
	}
	return Currency{Code: code, Digits: digits, Name: names[code].major}, nil
}

// capitals reports whether s is three ASCII capital letters.
func capitals(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// upper returns s with ASCII lower-case letters made capitals.
func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
