package money_test

import (
	"strings"
	"testing"

	"golang.org/x/text/currency"

	"caseroom"
	"caseroom/money"
)

func TestLookupCurrency(t *testing.T) {
	for _, want := range []money.Currency{
		{Code: "PKR", Digits: 2, Name: "rupees"}, // CLDR says 0; payments count paisa
		{Code: "INR", Digits: 2, Name: "rupees"},
		{Code: "BDT", Digits: 2, Name: "taka"},
		{Code: "USD", Digits: 2, Name: "dollars"},
		{Code: "GBP", Digits: 2, Name: "pounds"},
		{Code: "EUR", Digits: 2, Name: "euros"},
		{Code: "JPY", Digits: 0, Name: "yen"},
		{Code: "KWD", Digits: 3, Name: "dinars"},
		{Code: "AED", Digits: 2, Name: "dirhams"},
		{Code: "IQD", Digits: 3}, // CLDR says 0
		{Code: "AFN", Digits: 2}, // CLDR says 0
		{Code: "CHF", Digits: 2}, // no English name here: words use the code
		{Code: "XOF", Digits: 0}, // the CFA franc is money, though it starts with X
		{Code: "XCD", Digits: 2}, // and so is the East Caribbean dollar
		{Code: "CLF", Digits: 4}, // a funds code, kept
		{Code: "DEM", Digits: 2}, // historical, kept: payments may be old
	} {
		got, err := money.LookupCurrency(want.Code)
		if err != nil || got != want {
			t.Errorf("LookupCurrency(%q) = %+v, %v; want %+v", want.Code, got, err, want)
		}
	}
}

func TestLookupCurrencyRefuses(t *testing.T) {
	for _, tc := range []struct{ code, msg string }{
		{"XXQ", `currency: "XXQ" is not an ISO 4217 currency code; write PKR, USD, GBP...`},
		{"pkr", `currency: "pkr" is not an ISO 4217 currency code: codes are written in capitals; write PKR`},
		{"Usd", `codes are written in capitals; write USD`},
		{"XXX", `"XXX" is not money but the code for no currency`},
		{"XTS", `"XTS" is not money but reserved for testing`},
		{"XAU", `not money but gold`},
		{"XDR", `not money`},
		{"", `currency: "" is not an ISO 4217 currency code`},
		{"PK", `"PK" is not an ISO 4217`},
		{"PKRS", `"PKRS" is not an ISO 4217`},
		{" PKR", `is not an ISO 4217`},
		{"P1R", `is not an ISO 4217`},
		{"RUPEES", `is not an ISO 4217`},
	} {
		c, err := money.LookupCurrency(tc.code)
		if caseroom.ErrorCode(err) != caseroom.EINVALID || !strings.Contains(caseroom.ErrorMessage(err), tc.msg) {
			t.Errorf("LookupCurrency(%q) = %+v, %v; want EINVALID saying %q", tc.code, c, err, tc.msg)
		}
	}
}

// TestLookupCurrencyDigitsAreISO checks every current currency x/text knows against
// the ISO 4217 list of currencies whose minor unit is not two digits, written out
// here from the standard rather than from CLDR.
func TestLookupCurrencyDigitsAreISO(t *testing.T) {
	iso := map[string]int{
		"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
		"RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
		"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
		"CLF": 4, "UYW": 4,
	}
	n := 0
	for q := currency.Query(currency.NonTender); q.Next(); {
		code := q.Unit().String()
		c, err := money.LookupCurrency(code)
		if err != nil {
			if !strings.HasPrefix(code, "X") {
				t.Errorf("LookupCurrency(%q): %v; want a currency", code, err)
			}
			continue
		}
		n++
		want, ok := iso[code]
		if !ok {
			want = 2
		}
		if c.Digits != want {
			t.Errorf("LookupCurrency(%q).Digits = %d; ISO 4217 says %d", code, c.Digits, want)
		}
	}
	if n < 150 {
		t.Errorf("only %d current currencies checked", n)
	}
}

func FuzzLookupCurrency(f *testing.F) {
	for _, s := range []string{"PKR", "pkr", "XXX", "XXQ", "", "JPY", "KWD", "\xff\xfeA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		c, err := money.LookupCurrency(code)
		if err != nil {
			if caseroom.ErrorCode(err) != caseroom.EINVALID {
				t.Fatalf("LookupCurrency(%q): %v; want EINVALID", code, err)
			}
			return
		}
		if c.Code != code || len(code) != 3 || strings.ToUpper(code) != code || c.Digits < 0 || c.Digits > 4 {
			t.Fatalf("LookupCurrency(%q) = %+v", code, c)
		}
		txt := money.Text(123456789, c)
		if strings.ReplaceAll(txt.SouthAsian, ",", "") != strings.ReplaceAll(txt.International, ",", "") || txt.Words == "" {
			t.Fatalf("Text(123456789, %+v) = %+v", c, txt)
		}
	})
}
