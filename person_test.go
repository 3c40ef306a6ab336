package caseroom_test

import (
	"testing"
	"time"

	"caseroom"
)

// TestPersonMinor checks the one rule for who counts as a minor: by date of birth, else
// by an age band that starts with a number or says adult, else (age unknown) a minor.
func TestPersonMinor(t *testing.T) {
	on := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name         string
		p            caseroom.Person
		minor, known bool
		why          string
	}{
		{"under 18 by date of birth", caseroom.Person{DateOfBirth: "2010-05-01", AgeBand: "adult"}, true, true, "by date of birth"},
		{"18 the day before", caseroom.Person{DateOfBirth: "2008-11-19"}, false, true, "by date of birth"},
		{"18 on the day", caseroom.Person{DateOfBirth: "2008-11-20"}, false, true, "by date of birth"},
		{"18 the day after", caseroom.Person{DateOfBirth: "2008-11-21"}, true, true, "by date of birth"},
		{"adult by date of birth, child's band", caseroom.Person{DateOfBirth: "1990-01-01", AgeBand: "10-14"}, false, true, "by date of birth"},
		{"unreadable date of birth, band", caseroom.Person{DateOfBirth: "1990", AgeBand: "10-14"}, true, true, "by age band 10-14"},
		{"band under 18", caseroom.Person{AgeBand: "10-14"}, true, true, "by age band 10-14"},
		{"band straddling 18", caseroom.Person{AgeBand: "15-19"}, true, true, "by age band 15-19"},
		{"band from 18", caseroom.Person{AgeBand: "18+"}, false, true, "by age band 18+"},
		{"band with spaces", caseroom.Person{AgeBand: " 17 "}, true, true, "by age band  17 "},
		{"band of four digits", caseroom.Person{AgeBand: "1000"}, false, true, "by age band 1000"},
		{"adult band", caseroom.Person{AgeBand: "Adult"}, false, true, "by age band Adult"},
		{"words only", caseroom.Person{AgeBand: "teenager"}, true, false, "age not recorded, so treated as a minor"},
		{"nothing recorded", caseroom.Person{}, true, false, "age not recorded, so treated as a minor"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			minor, known, why := tc.p.Minor(on)
			if minor != tc.minor || known != tc.known || why != tc.why {
				t.Errorf("Minor = %v, %v, %q; want %v, %v, %q", minor, known, why, tc.minor, tc.known, tc.why)
			}
		})
	}
}
