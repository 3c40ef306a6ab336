// Package counterparts ranks whom a person (or a phone, or a whole case) was in
// contact with, from the totals of communications between pairs of endpoints: how
// often and how long, first and last contact, which counterparts are abroad and which
// other suspects were in contact with the same counterpart. It is pure: sqlstore loads
// the pair totals and the endpoints, and decides what the reader may see.
package counterparts

import (
	"sort"
	"time"

	"caseroom"
)

// Input is what a summary is computed from.
type Input struct {
	// Subject is the set of endpoints summarised (a person's phones and handles); empty
	// for the whole case, whose counterparts are then every endpoint, ranked.
	Subject map[string]bool
	// Pairs are the pair totals touching the subject (every pair for the whole case).
	Pairs []caseroom.CommPair
	// Endpoints describes every endpoint named by Pairs.
	Endpoints map[string]*caseroom.Endpoint
	// Others maps a counterpart's endpoint id to the other suspects in contact with
	// it (not the subject).
	Others map[string][]caseroom.Party
	// Limit bounds Counterparts (0: no bound); Foreign and Shared are not bounded.
	Limit int
}

// Summarise ranks the counterparts of the subject. Counterparts are ordered by number
// of contacts, then total duration, then the endpoint's label; Foreign holds those whose
// endpoint is abroad and Shared those another suspect was also in contact with, each in
// the same order. A pair between two of the subject's own endpoints counts for neither.
func Summarise(in Input) *caseroom.CommSummary {
	s := &caseroom.CommSummary{Counterparts: []caseroom.Counterpart{}, Foreign: []caseroom.Counterpart{}, Shared: []caseroom.Counterpart{}, ForeignByCountry: map[string]int{}}
	byID := map[string]*caseroom.Counterpart{}
	add := func(id string, p caseroom.CommPair, outgoing, incoming int64) {
		c := byID[id]
		if c == nil {
			c = &caseroom.Counterpart{First: p.First, Last: p.Last}
			if e := in.Endpoints[id]; e != nil {
				c.Endpoint = *e
			} else {
				c.Endpoint = caseroom.Endpoint{ID: id}
			}
			byID[id] = c
		}
		c.Contacts += p.Contacts
		c.Outgoing += outgoing
		c.Incoming += incoming
		c.Duration += p.Duration
		if p.First.Before(c.First) {
			c.First = p.First
		}
		if p.Last.After(c.Last) {
			c.Last = p.Last
		}
	}
	var first, last time.Time
	for _, p := range in.Pairs {
		if first.IsZero() || p.First.Before(first) {
			first = p.First
		}
		if p.Last.After(last) {
			last = p.Last
		}
		if len(in.Subject) == 0 {
			// The whole case: each endpoint's contacts with any other.
			add(p.From, p, p.Directed, 0)
			add(p.To, p, 0, p.Directed)
			s.Contacts += p.Contacts
			continue
		}
		fromSubject, toSubject := in.Subject[p.From], in.Subject[p.To]
		switch {
		case fromSubject && toSubject:
			continue
		case fromSubject:
			add(p.To, p, p.Directed, 0)
		case toSubject:
			add(p.From, p, 0, p.Directed)
		default:
			continue
		}
		s.Contacts += p.Contacts
	}
	if !first.IsZero() {
		s.First, s.Last = &first, &last
	}
	all := make([]caseroom.Counterpart, 0, len(byID))
	for id, c := range byID {
		c.SharedWith = in.Others[id]
		all = append(all, *c)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Contacts != b.Contacts {
			return a.Contacts > b.Contacts
		}
		if a.Duration != b.Duration {
			return a.Duration > b.Duration
		}
		if a.Endpoint.Label() != b.Endpoint.Label() {
			return a.Endpoint.Label() < b.Endpoint.Label()
		}
		return a.Endpoint.ID < b.Endpoint.ID
	})
	for _, c := range all {
		if c.Endpoint.Foreign {
			s.Foreign = append(s.Foreign, c)
			s.ForeignByCountry[c.Endpoint.Country]++
		}
		if len(c.SharedWith) > 0 {
			s.Shared = append(s.Shared, c)
		}
	}
	if in.Limit > 0 && len(all) > in.Limit {
		all = all[:in.Limit]
	}
	s.Counterparts = all
	return s
}
