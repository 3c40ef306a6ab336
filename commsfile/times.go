package commsfile

import (
	"fmt"
	"time"
)

// dateOrder is how a numeric date whose order its digits do not show is read.
type dateOrder uint8

// The date orders, for CDROptions.DateOrder "dmy", "mdy" and "ymd".
const (
	orderDMY dateOrder = iota // 20/06/2015, 20/06/15
	orderMDY                  // 06/20/2015, 06/20/15
	orderYMD                  // 15/06/20 (a four-digit year first is always read so)
)

// parseDateOrder reads CDROptions.DateOrder.
func parseDateOrder(s string) (dateOrder, error) {
	switch s {
	case "", "dmy", "DMY":
		return orderDMY, nil
	case "mdy", "MDY":
		return orderMDY, nil
	case "ymd", "YMD":
		return orderYMD, nil
	}
	return 0, invalid("date order %s: write dmy (day first, the default), mdy (month first) or ymd", quote(s))
}

// String returns the order as CDROptions.DateOrder writes it.
func (o dateOrder) String() string {
	return [...]string{"dmy", "mdy", "ymd"}[o]
}

// example returns a date and time written in o's order, for messages.
func (o dateOrder) example() string {
	if o == orderMDY {
		return "06/20/2015 10:00:00"
	}
	return "20/06/2015 10:00:00"
}

// civilTime is a date and time of day as a file writes it, before a zone is applied.
type civilTime struct {
	year, month, day           int
	hour, minute, second, nano int
	hasClock, hasZone          bool
	offset                     int // seconds east of UTC, when hasZone
}

// timeProblem says why text is not a usable time.
type timeProblem uint8

const (
	timeOK     timeProblem = iota
	timeSyntax             // not a layout read, or a month 13, a 31 June, an hour 25
	timeRange              // a year before 1970 or after 2100
)

// The years a communication may be dated in; outside them a date is a placeholder or a
// misread column.
const (
	minYear = 1970
	maxYear = 2100
)

// parseDateTime reads s, trimmed, as a date with an optional time of day. The layouts:
//
//	2006-01-02 15:04:05   2006-01-02T15:04:05   2006/01/02 15:04:05   2006.01.02 15:04:05
//	02/01/2006 15:04:05   02-01-2006 15:04:05   02.01.2006 15:04:05   (or 01/02/2006: order)
//	02/01/06 15:04:05     (two-digit year; day, month or year first by order)
//	02-Jan-2006 15:04:05  02-Jan-06 15:04:05    02 Jan 2006 15:04:05  02/January/2006 ...
//	20060102150405        20060102 15:04:05     20060102
//
// Months and days may have one digit, seconds may be left out or carry a fraction
// (.123 or ,123), the clock may be 12-hour (03:04:05 PM, 3:04 am), and a zone may follow
// (Z, UTC, GMT, +05:00, +0500, +05), as in RFC 3339. Two-digit years 70 to 99 are 1970
// to 1999, 00 to 69 are 2000 to 2069. The result is checked: a real date, a real time
// of day, a year from 1970 to 2100.
func parseDateTime(s string, order dateOrder) (civilTime, timeProblem) {
	s = trimSpace(s)
	var c civilTime
	if len(s) == 14 && leadingDigits(s) == 14 {
		c = civilTime{year: atoi(s[:4]), month: atoi(s[4:6]), day: atoi(s[6:8]),
			hour: atoi(s[8:10]), minute: atoi(s[10:12]), second: atoi(s[12:]), hasClock: true}
		return c, c.check()
	}
	rest, ok := c.parseDate(s, order)
	if !ok {
		return c, timeSyntax
	}
	if rest == "" {
		return c, c.check()
	}
	switch rest[0] {
	case 'T':
		rest = rest[1:]
	case ' ', ',':
		for rest != "" && (rest[0] == ' ' || rest[0] == ',') {
			rest = rest[1:]
		}
	default:
		return c, timeSyntax
	}
	if !c.parseClock(rest) {
		return c, timeSyntax
	}
	return c, c.check()
}

// parseClockOnly reads s, trimmed, as a time of day with no date (15:04:05, 15:04,
// 03:04:05 PM, with an optional fraction and zone as parseDateTime reads them).
func parseClockOnly(s string) (civilTime, timeProblem) {
	var c civilTime
	if !c.parseClock(trimSpace(s)) || c.hour > 23 || c.minute > 59 || c.second > 59 || !zoneOK(c) {
		return c, timeSyntax
	}
	return c, timeOK
}

// check validates c's fields, returning timeSyntax for a date or time of day that
// does not exist and timeRange for a year out of range.
func (c *civilTime) check() timeProblem {
	if c.month < 1 || c.month > 12 || c.day < 1 || c.day > daysIn(c.year, c.month) ||
		c.hour > 23 || c.minute > 59 || c.second > 59 || !zoneOK(*c) {
		return timeSyntax
	}
	if c.year < minYear || c.year > maxYear {
		return timeRange
	}
	return timeOK
}

// zoneOK reports whether c's zone offset is one a place has (within 18 hours).
func zoneOK(c civilTime) bool {
	return !c.hasZone || (c.offset >= -18*3600 && c.offset <= 18*3600)
}

// daysIn returns the number of days of month m of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// in returns c as a time: in its own zone if it has one, otherwise in loc.
func (c *civilTime) in(loc *time.Location) time.Time {
	if c.hasZone {
		if c.offset == 0 {
			loc = time.UTC
		} else {
			loc = time.FixedZone("", c.offset)
		}
	}
	return time.Date(c.year, time.Month(c.month), c.day, c.hour, c.minute, c.second, c.nano, loc)
}

// withDate returns the time of day c on the date d.
func (c civilTime) withDate(d civilTime) civilTime {
	c.year, c.month, c.day = d.year, d.month, d.day
	return c
}

// parseDate reads a date from the start of s into c and returns the rest of s.
func (c *civilTime) parseDate(s string, order dateOrder) (string, bool) {
	n := leadingDigits(s)
	switch {
	case n == 8 && (len(s) == 8 || s[8] == ' ' || s[8] == 'T'):
		c.year, c.month, c.day = atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8])
		return s[8:], true
	case n == 4 && len(s) > 5 && isDateSep(s[4]):
		sep := s[4]
		c.year = atoi(s[:4])
		m, rest, ok := shortNumber(s[5:])
		if !ok || rest == "" || rest[0] != sep {
			return "", false
		}
		d, rest, ok := shortNumber(rest[1:])
		if !ok {
			return "", false
		}
		c.month, c.day = m, d
		return rest, endsDate(rest)
	case n == 1 || n == 2:
		a := atoi(s[:n])
		s = s[n:]
		if s == "" || !(isDateSep(s[0]) || s[0] == ' ') {
			return "", false
		}
		sep := s[0]
		s = s[1:]
		if s != "" && isASCIILetter(s[0]) {
			k := 0
			for k < len(s) && isASCIILetter(s[k]) {
				k++
			}
			m := monthNamed(s[:k])
			if m == 0 || k == len(s) || s[k] != sep {
				return "", false
			}
			s = s[k+1:]
			y := leadingDigits(s)
			switch y {
			case 2:
				c.year = twoDigitYear(atoi(s[:2]))
			case 4:
				c.year = atoi(s[:4])
			default:
				return "", false
			}
			c.day, c.month = a, m
			return s[y:], endsDate(s[y:])
		}
		if sep == ' ' {
			return "", false
		}
		b, rest, ok := shortNumber(s)
		if !ok || rest == "" || rest[0] != sep {
			return "", false
		}
		s = rest[1:]
		y := leadingDigits(s)
		switch {
		case y == 4 && order == orderMDY:
			c.year, c.month, c.day = atoi(s[:4]), a, b
		case y == 4:
			c.year, c.month, c.day = atoi(s[:4]), b, a
		case y == 2 && order == orderDMY:
			c.year, c.month, c.day = twoDigitYear(atoi(s[:2])), b, a
		case y == 2 && order == orderMDY:
			c.year, c.month, c.day = twoDigitYear(atoi(s[:2])), a, b
		case y == 2:
			c.year, c.month, c.day = twoDigitYear(a), b, atoi(s[:2])
		default:
			return "", false
		}
		return s[y:], endsDate(s[y:])
	}
	return "", false
}

// parseClock reads all of s into c as a time of day with an optional zone.
func (c *civilTime) parseClock(s string) bool {
	h, s, ok := shortNumber(s)
	if !ok || s == "" || s[0] != ':' || leadingDigits(s[1:]) != 2 {
		return false
	}
	c.hour, c.minute = h, atoi(s[1:3])
	s = s[3:]
	if s != "" && s[0] == ':' {
		if leadingDigits(s[1:]) != 2 {
			return false
		}
		c.second = atoi(s[1:3])
		s = s[3:]
		if s != "" && (s[0] == '.' || s[0] == ',') {
			k := leadingDigits(s[1:])
			if k == 0 {
				return false
			}
			frac := s[1 : 1+k]
			if len(frac) > 9 {
				frac = frac[:9]
			}
			c.nano = atoi(frac)
			for i := len(frac); i < 9; i++ {
				c.nano *= 10
			}
			s = s[1+k:]
		}
	}
	c.hasClock = true
	s = trimSpace(s)
	if len(s) >= 2 && (s[0]|0x20 == 'a' || s[0]|0x20 == 'p') && s[1]|0x20 == 'm' && (len(s) == 2 || !isASCIILetter(s[2])) {
		if c.hour < 1 || c.hour > 12 {
			return false
		}
		c.hour %= 12
		if s[0]|0x20 == 'p' {
			c.hour += 12
		}
		s = trimSpace(s[2:])
	}
	return c.parseZone(s)
}

// parseZone reads all of s into c as a zone: nothing, Z, UTC, GMT, or an offset
// +hh:mm, +hhmm or +hh (or with -).
func (c *civilTime) parseZone(s string) bool {
	switch s {
	case "":
		return true
	case "Z", "z", "UTC", "GMT", "utc", "gmt":
		c.hasZone, c.offset = true, 0
		return true
	}
	if s[0] != '+' && s[0] != '-' {
		return false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	s = s[1:]
	var h, m int
	switch {
	case len(s) == 2 && leadingDigits(s) == 2:
		h = atoi(s)
	case len(s) == 4 && leadingDigits(s) == 4:
		h, m = atoi(s[:2]), atoi(s[2:])
	case len(s) == 5 && s[2] == ':' && leadingDigits(s[:2]) == 2 && leadingDigits(s[3:]) == 2:
		h, m = atoi(s[:2]), atoi(s[3:])
	default:
		return false
	}
	if m > 59 {
		return false
	}
	c.hasZone, c.offset = true, sign*(h*3600+m*60)
	return true
}

// endsDate reports whether what follows a date may: nothing, or a separator before
// the time of day.
func endsDate(rest string) bool {
	return rest == "" || rest[0] == ' ' || rest[0] == 'T' || rest[0] == ','
}

// isDateSep reports whether c separates the parts of a date.
func isDateSep(c byte) bool {
	return c == '-' || c == '/' || c == '.'
}

// shortNumber reads one or two digits from the start of s.
func shortNumber(s string) (int, string, bool) {
	n := leadingDigits(s)
	if n < 1 || n > 2 {
		return 0, s, false
	}
	return atoi(s[:n]), s[n:], true
}

// twoDigitYear returns the year a two-digit year stands for: 1970 to 2069.
func twoDigitYear(y int) int {
	if y >= 70 {
		return 1900 + y
	}
	return 2000 + y
}

// monthNamed returns the number of the English month named or abbreviated (three
// letters, or Sept) by s, in any case, or 0.
func monthNamed(s string) int {
	if len(s) < 3 || len(s) > 9 {
		return 0
	}
	var b [9]byte
	for i := 0; i < len(s); i++ {
		b[i] = s[i] | 0x20
	}
	l := string(b[:len(s)])
	for i, name := range monthNames {
		if l == name || l == name[:3] || (i == 8 && l == "sept") {
			return i + 1
		}
	}
	return 0
}

// monthNames are the English month names in lower case.
var monthNames = [12]string{"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december"}

// leadingDigits counts the ASCII digits at the start of s.
func leadingDigits(s string) int {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// atoi returns the value of s, which is at most 9 ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// trimSpace trims ASCII spaces and tabs from both ends of s.
func trimSpace(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// parseDuration reads a duration in seconds: a whole or decimal number of seconds
// (rounded to the nearest), or H:MM:SS or M:SS; "" is 0. It returns false for anything
// else, a negative duration or one over 100 days.
func parseDuration(s string) (int64, bool) {
	s = trimSpace(s)
	if s == "" {
		return 0, true
	}
	n := leadingDigits(s)
	if n == 0 {
		return 0, false
	}
	const max = 100 * 24 * 3600
	if n == len(s) || s[n] == '.' {
		if n > 9 {
			return 0, false
		}
		v := int64(atoi(s[:n]))
		if n < len(s) {
			frac := s[n+1:]
			if frac == "" || leadingDigits(frac) != len(frac) {
				return 0, false
			}
			if frac[0] >= '5' {
				v++
			}
		}
		return v, v <= max
	}
	// H:MM:SS or M:SS.
	var parts [3]int
	k := 0
	for {
		d := leadingDigits(s)
		if d == 0 || d > 6 || k == 3 || (k > 0 && d != 2) {
			return 0, false
		}
		parts[k] = atoi(s[:d])
		k++
		s = s[d:]
		if s == "" {
			break
		}
		if s[0] != ':' {
			return 0, false
		}
		s = s[1:]
	}
	var v int64
	switch k {
	case 2:
		if parts[1] > 59 {
			return 0, false
		}
		v = int64(parts[0])*60 + int64(parts[1])
	case 3:
		if parts[1] > 59 || parts[2] > 59 {
			return 0, false
		}
		v = int64(parts[0])*3600 + int64(parts[1])*60 + int64(parts[2])
	default:
		return 0, false
	}
	return v, v <= max
}

// describeTimeProblem writes the message for a value of a date-and-time field.
func describeTimeProblem(v string, p timeProblem, order dateOrder) string {
	if p == timeRange {
		return fmt.Sprintf("%s is not in the years %d to %d; check that the column holds when the communication was", quote(v), minYear, maxYear)
	}
	msg := fmt.Sprintf("%s is not a date and time; write 2015-06-20 10:00:00 or %s", quote(v), order.example())
	if order != orderMDY {
		if _, q := parseDateTime(v, orderMDY); q == timeOK {
			msg += " (dates are read day first; if this file writes the month first, read it with date order mdy)"
		}
	} else if _, q := parseDateTime(v, orderDMY); q == timeOK {
		msg += " (dates are read month first, as date order mdy says; this one reads day first)"
	}
	return msg
}
