// Package timeline puts a case's dated records in one order: it turns each kind of
// record (as its reader may see it) into timeline entries, and merges the kinds into
// pages with a cursor. It is pure: sqlstore loads the records and decides who sees
// what.
//
// The order is by time, then kind, then id; an entry known only to a day, month or year
// sits at the start of that period. A page's cursor is the key (time, kind, id) of its
// last entry, written as base64url of "<RFC 3339 time with nanoseconds>|<kind>|<id>";
// the next page holds the entries after that key.
package timeline

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"time"

	"caseroom"
)

// Key is an entry's place in the order.
type Key struct {
	Time time.Time
	Kind caseroom.TimelineKind
	ID   string
}

// KeyOf returns an entry's key.
func KeyOf(e caseroom.TimelineEntry) Key { return Key{e.Time, e.Kind, e.ID} }

// Compare orders keys: -1 if k is before o, 0 if equal, +1 if after.
func (k Key) Compare(o Key) int {
	if c := k.Time.Compare(o.Time); c != 0 {
		return c
	}
	if c := strings.Compare(string(k.Kind), string(o.Kind)); c != 0 {
		return c
	}
	return strings.Compare(k.ID, o.ID)
}

// Cursor writes the key as a page cursor.
func (k Key) Cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(k.Time.UTC().Format(time.RFC3339Nano) + "|" + string(k.Kind) + "|" + k.ID))
}

// ParseCursor reads a cursor written by Cursor.
func ParseCursor(s string) (Key, error) {
	bad := caseroom.Errorf(caseroom.EINVALID, "after: not a cursor of this timeline; pass the next value of the previous page")
	if len(s) > 400 {
		return Key{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Key{}, bad
	}
	parts := strings.SplitN(string(b), "|", 3)
	if len(parts) != 3 {
		return Key{}, bad
	}
	t, err := time.Parse(time.RFC3339Nano, parts[0])
	if err != nil {
		return Key{}, bad
	}
	return Key{t.UTC(), caseroom.TimelineKind(parts[1]), parts[2]}, nil
}

// Window is what a page keeps: entries of the kinds wanted (all if Kinds is empty),
// within From and To (inclusive; nil for no bound), after the cursor After.
type Window struct {
	Kinds map[caseroom.TimelineKind]bool
	From  *time.Time
	To    *time.Time
	After *Key
}

// Wants reports whether an entry of kind k at time t after key is in the window.
func (w Window) Wants(e caseroom.TimelineEntry) bool {
	switch {
	case len(w.Kinds) > 0 && !w.Kinds[e.Kind]:
		return false
	case w.From != nil && e.Time.Before(*w.From):
		return false
	case w.To != nil && e.Time.After(*w.To):
		return false
	case w.After != nil && KeyOf(e).Compare(*w.After) <= 0:
		return false
	}
	return true
}

// WantsKind reports whether the window keeps entries of kind k.
func (w Window) WantsKind(k caseroom.TimelineKind) bool { return len(w.Kinds) == 0 || w.Kinds[k] }

// Page merges the entries of every list (each in any order) into the first limit
// entries in the window, in order, and the cursor of the next page ("" if none is
// left).
func Page(lists [][]caseroom.TimelineEntry, w Window, limit int) ([]caseroom.TimelineEntry, string) {
	var all []caseroom.TimelineEntry
	for _, l := range lists {
		for _, e := range l {
			if w.Wants(e) {
				all = append(all, e)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return KeyOf(all[i]).Compare(KeyOf(all[j])) < 0 })
	if len(all) <= limit {
		return all, ""
	}
	all = all[:limit]
	return all, KeyOf(all[limit-1]).Cursor()
}

// entry builds an entry at an exact time.
func entry(t time.Time, kind caseroom.TimelineKind, id, ref, summary, link string, persons ...caseroom.Party) caseroom.TimelineEntry {
	return caseroom.TimelineEntry{Time: t.UTC(), Precision: "time", Kind: kind, ID: id, Ref: ref, Summary: summary, Link: link, Persons: nonEmpty(persons)}
}

func nonEmpty(ps []caseroom.Party) []caseroom.Party {
	out := ps[:0:0]
	for _, p := range ps {
		if p.ID != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func person(id, label string) caseroom.Party {
	return caseroom.Party{ID: id, Kind: caseroom.EntityPerson, Label: label}
}

// Documents turns documents into entries: a complaint when registered, a statement
// when taken (a retraction as kind retraction), any other document when registered.
// concerns, if not nil, keeps only the documents it holds (by id).
func Documents(caseID string, docs []*caseroom.Document, concerns map[string]bool) []caseroom.TimelineEntry {
	var out []caseroom.TimelineEntry
	for _, d := range docs {
		if concerns != nil && !concerns[d.ID] {
			continue
		}
		link := "/cases/" + caseID + "/documents/" + d.Ref
		switch {
		case d.Statement != nil && d.Retraction != nil:
			out = append(out, entry(d.Statement.RecordedAt, caseroom.TimelineRetraction, d.ID, d.Ref,
				fmt.Sprintf("%s by %s withdraws %s: %s", d.Ref, d.Statement.GiverLabel, d.Retraction.Retracts, d.Title), link,
				person(d.Statement.Giver, d.Statement.GiverLabel)))
		case d.Statement != nil:
			out = append(out, entry(d.Statement.RecordedAt, caseroom.TimelineStatement, d.ID, d.Ref,
				fmt.Sprintf("Statement %s by %s taken: %s", d.Ref, d.Statement.GiverLabel, d.Title), link,
				person(d.Statement.Giver, d.Statement.GiverLabel)))
		case d.Kind == caseroom.DocComplaint:
			out = append(out, entry(d.RegisteredAt, caseroom.TimelineComplaint, d.ID, d.Ref, fmt.Sprintf("Complaint %s: %s", d.Ref, d.Title), link))
		default:
			out = append(out, entry(d.RegisteredAt, caseroom.TimelineDocument, d.ID, d.Ref, fmt.Sprintf("%s %s registered: %s", d.Kind, d.Ref, d.Title), link))
		}
	}
	return out
}

// Actions turns actions into entries: the raising as kind action, each later step as
// action-step. person, if not "", keeps the actions with that person as a subject.
func Actions(caseID string, actions []*caseroom.Action, personID string) []caseroom.TimelineEntry {
	var out []caseroom.TimelineEntry
	for _, a := range actions {
		if personID != "" && !actionConcerns(a, personID) {
			continue
		}
		link := "/cases/" + caseID + "/actions/" + a.Ref
		out = append(out, entry(a.RaisedAt, caseroom.TimelineAction, a.ID, a.Ref, fmt.Sprintf("Action %s raised by %s: %s", a.Ref, a.RaisedBy, a.Title), link))
		for _, ev := range a.History {
			if ev.Seq <= 1 {
				continue
			}
			what := fmt.Sprintf("Action %s %s by %s", a.Ref, ev.Event, ev.By)
			if ev.To != "" {
				what += " to " + ev.To
			}
			if ev.Document != "" {
				what += ", result " + ev.Document
			}
			out = append(out, entry(ev.At, caseroom.TimelineActionStep, ev.ID, a.Ref, what, link))
		}
	}
	return out
}

func actionConcerns(a *caseroom.Action, personID string) bool {
	for _, s := range a.Subjects {
		if s.ID == personID {
			return true
		}
	}
	return false
}

// Decisions turns policy decisions into entries.
func Decisions(caseID string, ds []*caseroom.Decision) []caseroom.TimelineEntry {
	var out []caseroom.TimelineEntry
	for _, d := range ds {
		ref := fmt.Sprintf("D-%d", d.Number)
		out = append(out, entry(d.DecidedAt, caseroom.TimelineDecision, d.ID, ref, fmt.Sprintf("Decision %s by %s: %s", ref, d.DecidedBy, d.Decision),
			"/api/v1/cases/"+caseID+"/decisions"))
	}
	return out
}

// Arrests turns arrests and productions into entries; personID, if not "", keeps
// that person's.
func Arrests(caseID string, as []*caseroom.Arrest, personID string) []caseroom.TimelineEntry {
	var out []caseroom.TimelineEntry
	for _, a := range as {
		if personID != "" && a.Person != personID {
			continue
		}
		link := "/cases/" + caseID + "/people/" + a.Person
		p := person(a.Person, a.PersonLabel)
		out = append(out, entry(a.At, caseroom.TimelineArrest, a.ID, a.Ref, fmt.Sprintf("Arrest %s of %s by %s at %s", a.Ref, a.PersonLabel, a.By, a.Place), link, p))
		if pr := a.Production; pr != nil {
			what := fmt.Sprintf("%s produced before %s: %s", a.PersonLabel, pr.Court, pr.Outcome)
			if pr.Late {
				what += " (late)"
			}
			out = append(out, entry(pr.At, caseroom.TimelineProduction, a.ID+"/production", a.Ref, what, link, p))
		}
	}
	return out
}

// Custody turns exhibits' custody events into entries; personID, if not "", keeps the
// exhibits seized from that person.
func Custody(caseID string, xs []*caseroom.Exhibit, personID string) []caseroom.TimelineEntry {
	var out []caseroom.TimelineEntry
	for _, x := range xs {
		if personID != "" && x.SeizedFrom != personID {
			continue
		}
		link := "/cases/" + caseID + "/exhibits/" + x.ID
		for _, ev := range x.Custody {
			what := fmt.Sprintf("Exhibit %s %s by %s", x.Ref, ev.Event, ev.By)
			if ev.To != "" {
				what += " to " + ev.To
			}
			if ev.Seq == 1 && x.SeizedFromLabel != "" {
				what += " from " + x.SeizedFromLabel
			}
			out = append(out, entry(ev.At, caseroom.TimelineCustody, ev.ID, x.Ref, what, link, person(x.SeizedFrom, x.SeizedFromLabel)))
		}
	}
	return out
}

// Payments turns payments into entries, each at the start of the period it is known
// to.
func Payments(caseID string, ps []*caseroom.Payment, start func(*caseroom.Payment) time.Time) []caseroom.TimelineEntry {
	var out []caseroom.TimelineEntry
	for _, p := range ps {
		what := fmt.Sprintf("Payment %s: %s paid %s %s %s (%s, %s)", p.Ref, p.Payer.Label, p.Payee.Label, p.Currency, p.AmountText.International, p.Purpose, p.Method)
		if !p.Standing() {
			what += ", since corrected"
		}
		e := entry(start(p), caseroom.TimelinePayment, p.ID, p.Ref, what, "/cases/"+caseID+"/money#"+p.Ref)
		e.Precision = Precision(p.At)
		for _, x := range []caseroom.Party{p.Payer, p.Payee} {
			if x.Kind == caseroom.EntityPerson {
				e.Persons = append(e.Persons, x)
			}
		}
		out = append(out, e)
	}
	return out
}

// Precision says how precisely a date written YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339
// is known.
func Precision(at string) string {
	switch len(at) {
	case 4:
		return "year"
	case 7:
		return "month"
	case 10:
		return "day"
	}
	return "time"
}

// Communications turns communications into entries.
func Communications(caseID string, cs []*caseroom.Communication) []caseroom.TimelineEntry {
	out := make([]caseroom.TimelineEntry, 0, len(cs))
	for _, c := range cs {
		arrow := "→"
		if !c.Directed {
			arrow = "–"
		}
		what := fmt.Sprintf("%s %s %s %s", c.Kind, c.From.Label(), arrow, c.To.Label())
		if c.Duration > 0 {
			what += fmt.Sprintf(", %ds", c.Duration)
		}
		if c.To.Foreign && c.To.Country != "" {
			what += " (abroad: " + c.To.Country + ")"
		} else if c.From.Foreign && c.From.Country != "" {
			what += " (abroad: " + c.From.Country + ")"
		}
		what += fmt.Sprintf("; %s line %d", c.ExhibitRef, c.Line)
		var persons []caseroom.Party
		persons = append(persons, c.From.Holders...)
		persons = append(persons, c.To.Holders...)
		out = append(out, entry(c.At, caseroom.TimelineCommunication, c.ID, "", what, "/cases/"+caseID+"/communications?endpoint="+c.From.ID, persons...))
	}
	return out
}

// Contacts turns victim-contact ledger entries into entries; personID, if not "",
// keeps the contacts with that person or concerning them.
func Contacts(caseID string, cs []*caseroom.Contact, personID string) []caseroom.TimelineEntry {
	var out []caseroom.TimelineEntry
	for _, c := range cs {
		if personID != "" && c.Person != personID && !contains(c.Victims, personID) {
			continue
		}
		what := fmt.Sprintf("%s: %s %s with %s (%s)", c.Ref, c.By, c.Kind, c.PersonLabel, c.Purpose)
		if c.Alert {
			what += "; alert: " + c.AlertReason
		}
		out = append(out, entry(c.At, caseroom.TimelineContact, c.ID, c.Ref, what, "/cases/"+caseID+"/accountability", person(c.Person, c.PersonLabel)))
	}
	return out
}

// Media turns seized files' creation times into entries.
func Media(caseID string, ms []MediaTime) []caseroom.TimelineEntry {
	out := make([]caseroom.TimelineEntry, 0, len(ms))
	for _, m := range ms {
		out = append(out, entry(m.At, caseroom.TimelineMedia, m.ID, m.ExhibitRef, fmt.Sprintf("File %s of %s created (%s)", m.Path, m.ExhibitRef, m.Source),
			"/cases/"+caseID+"/media/"+m.ID))
	}
	return out
}

// MediaTime is when a seized file's content was made, as its metadata says.
type MediaTime struct {
	ID, Path, ExhibitRef string
	At                   time.Time
	Source               string // "taken" (an image's EXIF) or "created" (a video's container)
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
