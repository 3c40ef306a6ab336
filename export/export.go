// Package export writes a case's records in the formats analysts take to other tools:
// FollowTheMoney entities as JSON lines for Aleph (FtM), GraphML for Gephi and yEd
// (GraphML), node and edge tables for i2 Analyst's Notebook (CSV, CSVZip) and an Excel
// workbook (XLSX). docs/export.md writes each format down byte for byte.
//
// Every writer reads the case from a Source, which gives the records as the exporting
// member may read them: need-to-know applied, victims labelled by pseudonym and their
// identity withheld unless the member revealed it, medical reports the member may not
// read left out. The writers stream: each record is written as it comes and dropped, so
// a case of a million links takes no more memory than a small one. What a writer keeps
// while it runs is said on each writer; none keeps persons, links, payments or
// communications.
//
// Two rules hold in every format, whatever the Source gives:
//   - a person with a pseudonym and no names (a victim whose identity is withheld) is
//     written as the pseudonym and roles alone: no date of birth, parentage, address,
//     sex or identifier, even if the record carried one (see visiblePerson);
//   - no document's text is written, only its reference, title and dates.
package export

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"caseroom"
	"caseroom/money"
)

// Source streams a case's records to an export, each kind in a stable order. Each
// method calls fn once per record and stops at fn's first error, which it returns.
// A writer may call a method more than once (CSVZip and FtM do, see there): each call
// must give the same records, so a Source reads the case in one snapshot.
//
// Every end of a link, payment or communication must be a record the Source gives
// (persons, organisations, locations, endpoints) or an identifier or document, which
// links name by id and label: the graph formats declare those from the link itself.
type Source interface {
	Persons(fn func(*caseroom.Person) error) error
	Organisations(fn func(*caseroom.Organisation) error) error
	Locations(fn func(*caseroom.Location) error) error
	Endpoints(fn func(*caseroom.Endpoint) error) error
	Documents(fn func(*caseroom.Document) error) error
	Links(fn func(*caseroom.Link) error) error                   // standing links only
	Payments(fn func(*caseroom.Payment) error) error             // standing payments only
	Communications(fn func(*caseroom.Communication) error) error // every communication
}

// Counts is what one export wrote and what it left out, so that the caller can audit
// an export: Written per FtM schema ("Person", "Family"), per graph element ("node:person",
// "edge:link") or per workbook sheet ("Persons", rows below the header); Skipped per
// reason ("Communication: sms (FtM Message needs bodyText, which Caseroom does not
// hold)"). A record written as several entities counts once per entity.
type Counts struct {
	Written map[string]int64 `json:"written"`
	Skipped map[string]int64 `json:"skipped,omitempty"`
}

func newCounts() Counts {
	return Counts{Written: map[string]int64{}, Skipped: map[string]int64{}}
}

func (c *Counts) wrote(key string) { c.Written[key]++ }

func (c *Counts) skip(reason string) { c.Skipped[reason]++ }

// add adds the figures of o to c.
func (c *Counts) add(o Counts) {
	for k, n := range o.Written {
		c.Written[k] += n
	}
	for k, n := range o.Skipped {
		c.Skipped[k] += n
	}
}

// visiblePerson returns the person as every export writes them. A person with a
// pseudonym and no names is a victim whose identity the reader may not see: only the
// id, case, pseudonym and roles are kept, whatever else the record carries, so that a
// Source that withheld too little still exports nothing identifying. A victim with
// names (revealed by the caller) and anyone without a pseudonym are returned as given.
func visiblePerson(p *caseroom.Person) *caseroom.Person {
	if p.Pseudonym == "" || len(p.Names) > 0 {
		return p
	}
	return &caseroom.Person{ID: p.ID, CaseID: p.CaseID, Pseudonym: p.Pseudonym, Roles: p.Roles, IdentityHidden: true}
}

// checkCase refuses a record of another case: a Source mixing cases would leak a case
// to a member of another.
func checkCase(c *caseroom.Case, kind, id, caseID string) error {
	if c != nil && caseID != c.ID {
		return caseroom.Errorf(caseroom.EINTERNAL, "export of case %s: %s %s belongs to case %q", c.ID, kind, id, caseID)
	}
	return nil
}

// amounts writes payments' amounts in major units, caching each currency's digits.
type amounts map[string]int

// digits returns the number of minor-unit digits of the currency.
func (a amounts) digits(code string) (int, error) {
	if d, ok := a[code]; ok {
		return d, nil
	}
	cur, err := money.LookupCurrency(code)
	if err != nil {
		return 0, err
	}
	a[code] = cur.Digits
	return cur.Digits, nil
}

// major writes an amount of minor units in major units, as a decimal with the
// currency's digits and no grouping: 1500000 PKR is "15000.00", 1500 JPY "1500",
// 1500 KWD "1.500".
func (a amounts) major(amount caseroom.MinorUnits, code string) (string, error) {
	d, err := a.digits(code)
	if err != nil {
		return "", err
	}
	return majorUnits(int64(amount), d), nil
}

// majorUnits writes n minor units as a decimal with d digits after the point.
func majorUnits(n int64, d int) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	s := strconv.FormatUint(u, 10)
	if d > 0 {
		if len(s) <= d {
			s = strings.Repeat("0", d-len(s)+1) + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// majorFloat is n minor units in major units as a number, for a spreadsheet cell.
// Amounts are at most caseroom.MaxPaymentAmount (10^13), which a float64 holds
// exactly with its minor digits.
func majorFloat(n int64, d int) float64 {
	f, _ := strconv.ParseFloat(majorUnits(n, d), 64)
	return f
}

// isoTime writes a time in UTC as RFC 3339 (2024-03-04T18:00:00Z), or "" for the zero
// time.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// decimal writes a number as the shortest decimal that reads back as it, without an
// exponent: 1, 0.8, 31.5204.
func decimal(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// commSource is where a communication is known from: its exhibit and the line of the
// file imported ("SB/3 line 42").
func commSource(m *caseroom.Communication) string {
	switch {
	case m.ExhibitRef != "" && m.Line > 0:
		return fmt.Sprintf("%s line %d", m.ExhibitRef, m.Line)
	case m.ExhibitRef != "":
		return m.ExhibitRef
	}
	return ""
}

// words writes a link type as words: "lives_at" is "lives at".
func words(t caseroom.LinkType) string { return strings.ReplaceAll(string(t), "_", " ") }
