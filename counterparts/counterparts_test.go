package counterparts

import (
	"testing"
	"time"

	"caseroom"
)

func at(day int) time.Time { return time.Date(2015, 6, day, 10, 0, 0, 0, time.UTC) }

func TestSummarise(t *testing.T) {
	eps := map[string]*caseroom.Endpoint{
		"me": {ID: "me", Value: "+923001234567", Country: "PK"}, "me2": {ID: "me2", Value: "live:me"},
		"uk": {ID: "uk", Value: "+447700900123", Country: "GB", Foreign: true},
		"lo": {ID: "lo", Value: "+923219876543", Country: "PK"},
		"de": {ID: "de", Value: "+491512345678", Country: "DE", Foreign: true},
	}
	other := caseroom.Party{ID: "per_2", Kind: caseroom.EntityPerson, Label: "Second Suspect"}
	in := Input{
		Subject:   map[string]bool{"me": true, "me2": true},
		Endpoints: eps,
		Others:    map[string][]caseroom.Party{"uk": {other}},
		Pairs: []caseroom.CommPair{
			{From: "me", To: "uk", Contacts: 3, Directed: 3, Duration: 300, First: at(2), Last: at(9)},
			{From: "uk", To: "me", Contacts: 2, Directed: 1, Duration: 100, First: at(1), Last: at(5)},
			{From: "me", To: "lo", Contacts: 5, Directed: 5, Duration: 50, First: at(3), Last: at(4)},
			{From: "me2", To: "de", Contacts: 1, Directed: 1, Duration: 0, First: at(7), Last: at(7)},
			{From: "me", To: "me2", Contacts: 9, Directed: 9, First: at(1), Last: at(1)}, // the subject's own: not counted
			{From: "lo", To: "de", Contacts: 4, Directed: 4, First: at(1), Last: at(30)}, // not the subject's
		},
	}
	s := Summarise(in)
	if s.Contacts != 11 {
		t.Errorf("contacts %d, want 11", s.Contacts)
	}
	// uk and lo have 5 contacts each; uk has the longer duration, so it ranks first.
	var order []string
	for _, c := range s.Counterparts {
		order = append(order, c.Endpoint.ID)
	}
	if got := order; len(got) != 3 || got[0] != "uk" || got[1] != "lo" || got[2] != "de" {
		t.Fatalf("ranking %v, want uk lo de", got)
	}
	uk := s.Counterparts[0]
	if uk.Contacts != 5 || uk.Outgoing != 3 || uk.Incoming != 1 || uk.Duration != 400 || !uk.First.Equal(at(1)) || !uk.Last.Equal(at(9)) {
		t.Errorf("uk: %+v", uk)
	}
	if len(s.Foreign) != 2 || s.Foreign[0].Endpoint.ID != "uk" || s.ForeignByCountry["GB"] != 1 || s.ForeignByCountry["DE"] != 1 {
		t.Errorf("foreign: %+v %v", s.Foreign, s.ForeignByCountry)
	}
	if len(s.Shared) != 1 || s.Shared[0].SharedWith[0] != other {
		t.Errorf("shared: %+v", s.Shared)
	}
	if s.First == nil || !s.First.Equal(at(1)) || !s.Last.Equal(at(30)) {
		t.Errorf("first %v last %v", s.First, s.Last)
	}
	in.Limit = 1
	if s := Summarise(in); len(s.Counterparts) != 1 || len(s.Foreign) != 2 {
		t.Errorf("with a limit of 1: %d counterparts, %d foreign (the foreign list is not bounded)", len(s.Counterparts), len(s.Foreign))
	}
	// The whole case: every endpoint's contacts with any other, each pair counted once.
	whole := Summarise(Input{Pairs: in.Pairs, Endpoints: eps})
	if whole.Contacts != 24 || whole.Counterparts[0].Endpoint.ID != "me" {
		t.Errorf("whole case: %d contacts, first %s", whole.Contacts, whole.Counterparts[0].Endpoint.ID)
	}
	if empty := Summarise(Input{}); empty.Contacts != 0 || empty.Counterparts == nil || empty.First != nil {
		t.Errorf("no pairs: %+v", empty)
	}
}
