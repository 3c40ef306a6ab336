package money

import (
	"strconv"
	"strings"

	"caseroom"
)

// Text writes an amount of minor units of c the four ways documents do:
//
//	SouthAsian     8,00,00,000.00  the last three digits, then groups of two (lakh, crore)
//	International  80,000,000.00   groups of three
//	Short          8 crore         see below
//	Words          eight crore rupees
//
// The minor part follows a point in as many digits as c.Digits (none for JPY). A
// negative amount, which no payment has, is written with a leading "-" ("minus" in
// words).
//
// Short writes the major part in the largest unit it reaches, with at most two
// decimals, cut (not rounded, so that a short total never overstates what was paid
// and 99,99,999 stays "99.99 lakh") and without trailing zeros; the minor part is
// left out. PKR, INR, BDT and NPR use thousand, lakh (10^5), crore (10^7), arab (10^9)
// and kharab (10^11): "2.5 lakh", "1.25 crore"; other currencies thousand, million,
// billion and trillion: "80 million". An amount under a thousand is written whole:
// "500".
//
// Words writes plain lower-case English, in the same scale as Short (numbers of
// kharab above ninety-nine are themselves written in that scale): "twelve crore
// thirty-four lakh fifty-six thousand seven hundred eighty-nine rupees", "twenty-five
// thousand rupees and fifty paisa", "one rupee", "eighty million pounds". The minor
// unit is named paisa (PKR, INR, NPR), cents (USD, EUR, any other named currency with
// two digits), pence (GBP) and so on; a currency with no Name is written with its
// code and "minor units": "fifty thousand CHF".
func Text(amount caseroom.MinorUnits, c Currency) caseroom.AmountText {
	neg := amount < 0
	mag := uint64(amount)
	if neg {
		mag = -mag // two's complement: right for the most negative amount too
	}
	digits := max(c.Digits, 0)
	s := strconv.FormatUint(mag, 10)
	if len(s) <= digits {
		s = strings.Repeat("0", digits+1-len(s)) + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	sa := southAsian[c.Code]

	return caseroom.AmountText{
		SouthAsian:    grouped(neg, whole, frac, groupSouthAsian),
		International: grouped(neg, whole, frac, groupThrees),
		Short:         short(neg, whole, sa),
		Words:         words(neg, whole, frac, c, sa),
	}
}

// grouped writes the amount with its whole part grouped by group.
func grouped(neg bool, whole, frac string, group func([]byte, string) []byte) string {
	b := make([]byte, 0, len(whole)+len(whole)/2+len(frac)+2)
	if neg {
		b = append(b, '-')
	}
	b = group(b, whole)
	if frac != "" {
		b = append(b, '.')
		b = append(b, frac...)
	}
	return string(b)
}

// groupSouthAsian appends a string of digits with commas the South Asian way:
// 80000000 is 8,00,00,000.
func groupSouthAsian(b []byte, d string) []byte {
	if len(d) <= 3 {
		return append(b, d...)
	}
	head, tail := d[:len(d)-3], d[len(d)-3:]
	first := len(head) % 2
	if first == 0 {
		first = 2
	}
	b = append(b, head[:first]...)
	for i := first; i < len(head); i += 2 {
		b = append(b, ',', head[i], head[i+1])
	}
	return append(append(b, ','), tail...)
}

// groupThrees appends a string of digits with commas every three: 80,000,000.
func groupThrees(b []byte, d string) []byte {
	first := len(d) % 3
	if first == 0 {
		first = 3
	}
	b = append(b, d[:min(first, len(d))]...)
	for i := first; i < len(d); i += 3 {
		b = append(b, ',', d[i], d[i+1], d[i+2])
	}
	return b
}

// scaleUnit is a power of ten with a name.
type scaleUnit struct {
	name string
	exp  int
}

// The scales of Short, largest first.
var (
	shortSouthAsian = []scaleUnit{{"kharab", 11}, {"arab", 9}, {"crore", 7}, {"lakh", 5}, {"thousand", 3}}
	shortIntl       = []scaleUnit{{"trillion", 12}, {"billion", 9}, {"million", 6}, {"thousand", 3}}
)

// short writes the whole part d (digits, no leading zeros but for "0") in the largest
// unit of the scale that it reaches.
func short(neg bool, d string, sa bool) string {
	scale := shortIntl
	if sa {
		scale = shortSouthAsian
	}
	b := make([]byte, 0, 24)
	if neg {
		b = append(b, '-')
	}
	n := len(d)
	for _, u := range scale {
		if n <= u.exp {
			continue
		}
		b = append(b, d[:n-u.exp]...)
		if dec := strings.TrimRight(d[n-u.exp:n-u.exp+2], "0"); dec != "" {
			b = append(append(b, '.'), dec...)
		}
		b = append(append(b, ' '), u.name...)
		return string(b)
	}
	return string(append(b, d...))
}

// words writes an amount in words from its whole and minor digits.
func words(neg bool, whole, frac string, c Currency, sa bool) string {
	major, _ := strconv.ParseUint(whole, 10, 64) // no larger than the amount
	minor := uint64(0)
	if frac != "" {
		minor, _ = strconv.ParseUint(frac, 10, 64)
	}
	majorName, majorOne, minorName, minorOne := unitWords(c)
	num := appendNumberWords
	if sa {
		num = appendNumberWordsSouthAsian
	}
	b := make([]byte, 0, 64)
	if neg {
		b = append(b, "minus "...)
	}
	if major > 0 || minor == 0 {
		b = appendNamed(num(b, major), major, majorName, majorOne)
	}
	if minor > 0 {
		if major > 0 {
			b = append(b, " and "...)
		}
		b = appendNamed(num(b, minor), minor, minorName, minorOne)
	}
	return string(b)
}

// appendNamed appends the unit name, singular for one, after a space.
func appendNamed(b []byte, n uint64, plural, one string) []byte {
	name := plural
	if n == 1 {
		name = one
	}
	if name == "" {
		return b
	}
	return append(append(b, ' '), name...)
}

// unitWords returns the names of c's major and minor units, plural and singular.
func unitWords(c Currency) (major, majorOne, minor, minorOne string) {
	if c.Name == "" {
		return c.Code, c.Code, "minor units", "minor unit"
	}
	if n, ok := names[c.Code]; ok && n.major == c.Name && n.minor != "" {
		return n.major, n.majorOne, n.minor, n.minorOne
	} else if ok && n.major == c.Name {
		return n.major, n.majorOne, "minor units", "minor unit"
	}
	if c.Digits == 2 {
		return c.Name, c.Name, "cents", "cent"
	}
	return c.Name, c.Name, "minor units", "minor unit"
}

var (
	onesWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tensWords = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
)

// appendUnderHundred appends 0 < n < 100: "eighty-nine".
func appendUnderHundred(b []byte, n uint64) []byte {
	if n < 20 {
		return append(b, onesWords[n]...)
	}
	b = append(b, tensWords[n/10]...)
	if n%10 != 0 {
		b = append(append(b, '-'), onesWords[n%10]...)
	}
	return b
}

// appendUnderThousand appends 0 < n < 1000: "seven hundred eighty-nine".
func appendUnderThousand(b []byte, n uint64) []byte {
	if n < 100 {
		return appendUnderHundred(b, n)
	}
	b = append(append(b, onesWords[n/100]...), " hundred"...)
	if n%100 != 0 {
		b = appendUnderHundred(append(b, ' '), n%100)
	}
	return b
}

// intlScale is the international short scale, largest first; it reaches past the
// largest uint64.
var intlScale = []struct {
	name string
	pow  uint64
}{
	{" quintillion", 1e18}, {" quadrillion", 1e15}, {" trillion", 1e12},
	{" billion", 1e9}, {" million", 1e6}, {" thousand", 1e3},
}

// appendNumberWords appends n in the international scale: "eighty million".
func appendNumberWords(b []byte, n uint64) []byte {
	if n == 0 {
		return append(b, "zero"...)
	}
	start := len(b)
	for _, u := range intlScale {
		if q := n / u.pow; q > 0 {
			b = append(appendUnderThousand(space(b, start), q), u.name...)
			n %= u.pow
		}
	}
	if n > 0 {
		b = appendUnderThousand(space(b, start), n)
	}
	return b
}

// saScale is the South Asian scale below kharab, largest first: each unit's count is
// under a hundred.
var saScale = []struct {
	name string
	pow  uint64
}{{" arab", 1e9}, {" crore", 1e7}, {" lakh", 1e5}, {" thousand", 1e3}}

// appendNumberWordsSouthAsian appends n in the South Asian scale: "twelve crore
// thirty-four lakh". A count of kharab over ninety-nine is written in the same scale:
// "ten lakh kharab".
func appendNumberWordsSouthAsian(b []byte, n uint64) []byte {
	if n == 0 {
		return append(b, "zero"...)
	}
	start := len(b)
	if q := n / 1e11; q > 0 {
		b = append(appendNumberWordsSouthAsian(b, q), " kharab"...)
		n %= 1e11
	}
	for _, u := range saScale {
		if q := n / u.pow; q > 0 {
			b = append(appendUnderHundred(space(b, start), q), u.name...)
			n %= u.pow
		}
	}
	if n > 0 {
		b = appendUnderThousand(space(b, start), n)
	}
	return b
}

// space appends a space if anything follows start.
func space(b []byte, start int) []byte {
	if len(b) > start {
		return append(b, ' ')
	}
	return b
}
