package money_test

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"caseroom"
	"caseroom/money"
)

// lookup returns the currency with the code, failing the test if there is none.
func lookup(t testing.TB, code string) money.Currency {
	t.Helper()
	c, err := money.LookupCurrency(code)
	if err != nil {
		t.Fatalf("LookupCurrency(%q): %v", code, err)
	}
	return c
}

func TestText(t *testing.T) {
	chf := money.Currency{Code: "CHF", Digits: 2} // no English name: written with the code
	for _, tc := range []struct {
		code   string
		c      *money.Currency // instead of LookupCurrency(code)
		amount caseroom.MinorUnits
		want   caseroom.AmountText
	}{
		{code: "PKR", amount: 8000000000, want: caseroom.AmountText{SouthAsian: "8,00,00,000.00", International: "80,000,000.00", Short: "8 crore", Words: "eight crore rupees"}},
		{code: "PKR", amount: 5000000, want: caseroom.AmountText{SouthAsian: "50,000.00", International: "50,000.00", Short: "50 thousand", Words: "fifty thousand rupees"}},
		{code: "PKR", amount: 25000000, want: caseroom.AmountText{SouthAsian: "2,50,000.00", International: "250,000.00", Short: "2.5 lakh", Words: "two lakh fifty thousand rupees"}},
		{code: "PKR", amount: 1250000000, want: caseroom.AmountText{SouthAsian: "1,25,00,000.00", International: "12,500,000.00", Short: "1.25 crore", Words: "one crore twenty-five lakh rupees"}},
		{code: "PKR", amount: 50000, want: caseroom.AmountText{SouthAsian: "500.00", International: "500.00", Short: "500", Words: "five hundred rupees"}},
		{code: "PKR", amount: 2500050, want: caseroom.AmountText{SouthAsian: "25,000.50", International: "25,000.50", Short: "25 thousand", Words: "twenty-five thousand rupees and fifty paisa"}},
		{code: "PKR", amount: 12345678900, want: caseroom.AmountText{SouthAsian: "12,34,56,789.00", International: "123,456,789.00", Short: "12.34 crore", Words: "twelve crore thirty-four lakh fifty-six thousand seven hundred eighty-nine rupees"}},
		{code: "PKR", amount: 100, want: caseroom.AmountText{SouthAsian: "1.00", International: "1.00", Short: "1", Words: "one rupee"}},
		{code: "PKR", amount: 101, want: caseroom.AmountText{SouthAsian: "1.01", International: "1.01", Short: "1", Words: "one rupee and one paisa"}},
		{code: "PKR", amount: 1, want: caseroom.AmountText{SouthAsian: "0.01", International: "0.01", Short: "0", Words: "one paisa"}},
		{code: "PKR", amount: 0, want: caseroom.AmountText{SouthAsian: "0.00", International: "0.00", Short: "0", Words: "zero rupees"}},
		{code: "PKR", amount: 99999900, want: caseroom.AmountText{SouthAsian: "9,99,999.00", International: "999,999.00", Short: "9.99 lakh", Words: "nine lakh ninety-nine thousand nine hundred ninety-nine rupees"}},
		{code: "PKR", amount: 9999999999, want: caseroom.AmountText{SouthAsian: "9,99,99,999.99", International: "99,999,999.99", Short: "9.99 crore", Words: "nine crore ninety-nine lakh ninety-nine thousand nine hundred ninety-nine rupees and ninety-nine paisa"}},
		{code: "PKR", amount: 1_000_000_000_000, want: caseroom.AmountText{SouthAsian: "10,00,00,00,000.00", International: "10,000,000,000.00", Short: "10 arab", Words: "ten arab rupees"}},
		{code: "PKR", amount: caseroom.MaxPaymentAmount, want: caseroom.AmountText{SouthAsian: "1,00,00,00,00,000.00", International: "100,000,000,000.00", Short: "1 kharab", Words: "one kharab rupees"}},
		{code: "PKR", amount: 11_001_100_011_000, want: caseroom.AmountText{SouthAsian: "1,10,01,10,00,110.00", International: "110,011,000,110.00", Short: "1.1 kharab", Words: "one kharab ten arab one crore ten lakh one hundred ten rupees"}},
		{code: "PKR", amount: -8000000000, want: caseroom.AmountText{SouthAsian: "-8,00,00,000.00", International: "-80,000,000.00", Short: "-8 crore", Words: "minus eight crore rupees"}},
		{code: "PKR", amount: math.MinInt64, want: caseroom.AmountText{
			SouthAsian: "-92,23,37,20,36,85,47,758.08", International: "-92,233,720,368,547,758.08", Short: "-922337.2 kharab",
			Words: "minus nine lakh twenty-two thousand three hundred thirty-seven kharab twenty arab thirty-six crore eighty-five lakh forty-seven thousand seven hundred fifty-eight rupees and eight paisa"}},
		{code: "INR", amount: 25000000, want: caseroom.AmountText{SouthAsian: "2,50,000.00", International: "250,000.00", Short: "2.5 lakh", Words: "two lakh fifty thousand rupees"}},
		{code: "BDT", amount: 8000000000, want: caseroom.AmountText{SouthAsian: "8,00,00,000.00", International: "80,000,000.00", Short: "8 crore", Words: "eight crore taka"}},
		{code: "USD", amount: 8000000000, want: caseroom.AmountText{SouthAsian: "8,00,00,000.00", International: "80,000,000.00", Short: "80 million", Words: "eighty million dollars"}},
		{code: "USD", amount: 101, want: caseroom.AmountText{SouthAsian: "1.01", International: "1.01", Short: "1", Words: "one dollar and one cent"}},
		{code: "USD", amount: 1_234_500_000_000, want: caseroom.AmountText{SouthAsian: "12,34,50,00,000.00", International: "12,345,000,000.00", Short: "12.34 billion", Words: "twelve billion three hundred forty-five million dollars"}},
		{code: "USD", amount: 1_000_000_100, want: caseroom.AmountText{SouthAsian: "1,00,00,001.00", International: "10,000,001.00", Short: "10 million", Words: "ten million one dollars"}},
		{code: "GBP", amount: 8000000000, want: caseroom.AmountText{SouthAsian: "8,00,00,000.00", International: "80,000,000.00", Short: "80 million", Words: "eighty million pounds"}},
		{code: "GBP", amount: 250, want: caseroom.AmountText{SouthAsian: "2.50", International: "2.50", Short: "2", Words: "two pounds and fifty pence"}},
		{code: "GBP", amount: 1, want: caseroom.AmountText{SouthAsian: "0.01", International: "0.01", Short: "0", Words: "one penny"}},
		{code: "EUR", amount: 1234567891, want: caseroom.AmountText{SouthAsian: "1,23,45,678.91", International: "12,345,678.91", Short: "12.34 million", Words: "twelve million three hundred forty-five thousand six hundred seventy-eight euros and ninety-one cents"}},
		{code: "EUR", amount: 1_500_000_000_000_000, want: caseroom.AmountText{SouthAsian: "1,50,00,00,00,00,000.00", International: "15,000,000,000,000.00", Short: "15 trillion", Words: "fifteen trillion euros"}},
		{code: "JPY", amount: 800000, want: caseroom.AmountText{SouthAsian: "8,00,000", International: "800,000", Short: "800 thousand", Words: "eight hundred thousand yen"}},
		{code: "JPY", amount: 1, want: caseroom.AmountText{SouthAsian: "1", International: "1", Short: "1", Words: "one yen"}},
		{code: "JPY", amount: math.MaxInt64, want: caseroom.AmountText{
			SouthAsian: "92,23,37,20,36,85,47,75,807", International: "9,223,372,036,854,775,807", Short: "9223372.03 trillion",
			Words: "nine quintillion two hundred twenty-three quadrillion three hundred seventy-two trillion thirty-six billion eight hundred fifty-four million seven hundred seventy-five thousand eight hundred seven yen"}},
		{code: "KWD", amount: 1500, want: caseroom.AmountText{SouthAsian: "1.500", International: "1.500", Short: "1", Words: "one dinar and five hundred fils"}},
		{code: "CHF", c: &chf, amount: 5000000, want: caseroom.AmountText{SouthAsian: "50,000.00", International: "50,000.00", Short: "50 thousand", Words: "fifty thousand CHF"}},
		{code: "CHF", c: &chf, amount: 5000025, want: caseroom.AmountText{SouthAsian: "50,000.25", International: "50,000.25", Short: "50 thousand", Words: "fifty thousand CHF and twenty-five minor units"}},
		{code: "CHF", c: &chf, amount: 1, want: caseroom.AmountText{SouthAsian: "0.01", International: "0.01", Short: "0", Words: "one minor unit"}},
		{code: "XYZ", c: &money.Currency{Code: "XYZ", Digits: 5}, amount: 1, want: caseroom.AmountText{SouthAsian: "0.00001", International: "0.00001", Short: "0", Words: "one minor unit"}},
		{code: "XYZ", c: &money.Currency{Code: "XYZ", Digits: -1}, amount: 1234, want: caseroom.AmountText{SouthAsian: "1,234", International: "1,234", Short: "1.23 thousand", Words: "one thousand two hundred thirty-four XYZ"}},
		{code: "XYZ", c: &money.Currency{Code: "XYZ", Digits: 2, Name: "widgets"}, amount: 1_101, want: caseroom.AmountText{SouthAsian: "11.01", International: "11.01", Short: "11", Words: "eleven widgets and one cent"}},
	} {
		c := tc.c
		if c == nil {
			cc := lookup(t, tc.code)
			c = &cc
		}
		if got := money.Text(tc.amount, *c); got != tc.want {
			t.Errorf("Text(%d, %s): %s", tc.amount, tc.code, cmp.Diff(tc.want, got))
		}
	}
}

func TestTextSmallNumbersInWords(t *testing.T) {
	jpy := lookup(t, "JPY")
	pkr := lookup(t, "PKR")
	for n, want := range map[caseroom.MinorUnits]string{
		11: "eleven", 19: "nineteen", 20: "twenty", 21: "twenty-one", 40: "forty", 99: "ninety-nine",
		100: "one hundred", 110: "one hundred ten", 1000: "one thousand", 1001: "one thousand one",
		100000: "one hundred thousand", 1000001: "one million one",
	} {
		if got := money.Text(n, jpy).Words; got != want+" yen" {
			t.Errorf("Text(%d, JPY).Words = %q; want %q", n, got, want+" yen")
		}
	}
	if got := money.Text(10000000, pkr).Words; got != "one lakh rupees" {
		t.Errorf("Text(1,00,000.00 PKR).Words = %q; want one lakh rupees", got)
	}
}

var (
	southAsianForm    = regexp.MustCompile(`^-?(\d{1,3}|\d{1,2}(,\d\d)*,\d{3})(\.\d+)?$`)
	internationalForm = regexp.MustCompile(`^-?\d{1,3}(,\d{3})*(\.\d+)?$`)
	shortForm         = regexp.MustCompile(`^-?(\d+)(?:\.(\d{1,2}))?(?: (thousand|lakh|crore|arab|kharab|million|billion|trillion))?$`)
)

// currencies generates the currencies the properties run on: named and not, South
// Asian and not, and every number of digits from 0 to 4.
func currencies() *rapid.Generator[money.Currency] {
	return rapid.Custom(func(t *rapid.T) money.Currency {
		code := rapid.SampledFrom([]string{"PKR", "INR", "USD", "GBP", "JPY", "KWD", "CLF", "CHF"}).Draw(t, "code")
		c, err := money.LookupCurrency(code)
		if err != nil {
			t.Fatalf("LookupCurrency(%q): %v", code, err)
		}
		return c
	})
}

// TestTextDigitsProperty: both groupings write the same digits, grouped as they
// should be, with c.Digits after the point, and they read back to the amount.
func TestTextDigitsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := currencies().Draw(t, "currency")
		amount := caseroom.MinorUnits(rapid.Int64().Draw(t, "amount"))
		txt := money.Text(amount, c)
		if !southAsianForm.MatchString(txt.SouthAsian) || !internationalForm.MatchString(txt.International) {
			t.Fatalf("Text(%d, %s) = %q, %q: badly grouped", amount, c.Code, txt.SouthAsian, txt.International)
		}
		sa, intl := strings.ReplaceAll(txt.SouthAsian, ",", ""), strings.ReplaceAll(txt.International, ",", "")
		if sa != intl {
			t.Fatalf("Text(%d, %s): %q and %q differ without commas", amount, c.Code, txt.SouthAsian, txt.International)
		}
		whole, frac, point := strings.Cut(sa, ".")
		if point != (c.Digits > 0) || len(frac) != c.Digits {
			t.Fatalf("Text(%d, %s) = %q: want %d digits after the point", amount, c.Code, sa, c.Digits)
		}
		if back, err := strconv.ParseInt(whole+frac, 10, 64); err != nil || caseroom.MinorUnits(back) != amount {
			t.Fatalf("Text(%d, %s) = %q reads back as %d, %v", amount, c.Code, sa, back, err)
		}
	})
}

// TestTextShortProperty: Short cuts the major part to at most two decimals of its
// unit, so the amount is at least what Short says and less than a hundredth of the
// unit more.
func TestTextShortProperty(t *testing.T) {
	exps := map[string]int{"": 0, "thousand": 3, "lakh": 5, "crore": 7, "arab": 9, "kharab": 11, "million": 6, "billion": 9, "trillion": 12}
	rapid.Check(t, func(t *rapid.T) {
		c := currencies().Draw(t, "currency")
		amount := caseroom.MinorUnits(rapid.Int64Range(0, math.MaxInt64).Draw(t, "amount"))
		s := money.Text(amount, c).Short
		m := shortForm.FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("Text(%d, %s).Short = %q", amount, c.Code, s)
		}
		unit, exp := m[3], exps[m[3]]
		if unit == "" && m[2] != "" || strings.HasSuffix(m[2], "0") {
			t.Fatalf("Text(%d, %s).Short = %q: decimals where none belong", amount, c.Code, s)
		}
		lakhs := unit == "lakh" || unit == "crore" || unit == "arab" || unit == "kharab"
		if unit != "" && unit != "thousand" && lakhs != (c.Code == "PKR" || c.Code == "INR") {
			t.Fatalf("Text(%d, %s).Short = %q: wrong scale", amount, c.Code, s)
		}
		major := uint64(amount)
		for range c.Digits {
			major /= 10
		}
		hundredths, _ := strconv.ParseUint(m[1]+(m[2] + "00")[:2], 10, 64)
		step := uint64(1)
		for range exp {
			step *= 10
		}
		lo, hundredth := hundredths/100, uint64(1) // exp is 0 or at least 3
		if exp > 0 {
			hundredth = step / 100
			lo = hundredths * hundredth
		}
		if major < lo || major-lo >= hundredth {
			t.Fatalf("Text(%d, %s).Short = %q but the major part is %d", amount, c.Code, s, major)
		}
		if exp > 0 && major/step == 0 {
			t.Fatalf("Text(%d, %s).Short = %q: a unit larger than the amount", amount, c.Code, s)
		}
	})
}

// TestTextWordsProperty: the words read back to the amount.
func TestTextWordsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := currencies().Draw(t, "currency")
		amount := caseroom.MinorUnits(rapid.OneOf(
			rapid.Int64Range(0, 1_000_000),
			rapid.Int64Range(0, caseroom.MaxPaymentAmount),
			rapid.Int64Range(0, math.MaxInt64),
		).Draw(t, "amount"))
		w := money.Text(amount, c).Words
		got, ok := readWords(w, c)
		if !ok || got != uint64(amount) {
			t.Fatalf("Text(%d, %s).Words = %q reads back as %d (%v)", amount, c.Code, w, got, ok)
		}
	})
}

// readWords reads an amount in words back, for the property: the parts either side
// of " and " are a number and a unit name.
func readWords(w string, c money.Currency) (uint64, bool) {
	scale := uint64(1)
	for range c.Digits {
		scale *= 10
	}
	var total uint64
	for _, part := range strings.Split(w, " and ") {
		n, unit, ok := readNumber(part)
		if !ok {
			return 0, false
		}
		switch unit {
		case "rupees", "rupee", "dollars", "dollar", "pounds", "pound", "yen", "dinar", "dinars", c.Code:
			total += n * scale
		case "paisa", "cents", "cent", "pence", "penny", "fils", "minor units", "minor unit":
			total += n
		default:
			return 0, false
		}
	}
	return total, true
}

var (
	smallWords = map[string]uint64{}
	scaleWords = map[string]uint64{"thousand": 1e3, "lakh": 1e5, "million": 1e6, "crore": 1e7, "arab": 1e9,
		"billion": 1e9, "trillion": 1e12, "quadrillion": 1e15, "quintillion": 1e18}
)

func init() {
	for i, w := range strings.Fields("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen") {
		smallWords[w] = uint64(i)
	}
	for i, w := range strings.Fields("twenty thirty forty fifty sixty seventy eighty ninety") {
		smallWords[w] = uint64(20 + 10*i)
	}
}

// readNumber reads the number words at the start of s and returns the rest as the
// unit.
func readNumber(s string) (n uint64, unit string, ok bool) {
	words := strings.Fields(s)
	var total, current uint64
	i := 0
	for ; i < len(words); i++ {
		w := words[i]
		if tens, ones, hyphen := strings.Cut(w, "-"); hyphen {
			t, ok1 := smallWords[tens]
			o, ok2 := smallWords[ones]
			if !ok1 || !ok2 || t < 20 || o == 0 || o > 9 {
				return 0, "", false
			}
			current += t + o
		} else if v, ok := smallWords[w]; ok {
			current += v
		} else if w == "hundred" {
			current *= 100
		} else if w == "kharab" {
			total = (total + current) * 1e11
			current = 0
		} else if v, ok := scaleWords[w]; ok {
			total += current * v
			current = 0
		} else {
			break
		}
	}
	if i == 0 {
		return 0, "", false
	}
	return total + current, strings.Join(words[i:], " "), true
}
