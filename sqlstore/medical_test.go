package sqlstore_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// This file holds what shows of a medical report outside the documents: the actions it
// results or was raised from, and the links that cite it. To a member who does not read
// medical reports (anyone but medical officers, the lead and the prosecutor) it must be
// as if it did not exist; to those who read it, it shows as before.

// medicalFixture is an action fixture with a medical officer, a prosecutor and a
// protection officer; a medical report MR-1, an adult victim, and two medical
// examinations of her: A-1 resulted with MR-1, A-2 resulted with the report R-1 (which
// so becomes a medical report too). A-3 is raised from MR-1; A-4 is a search resulted
// with the report R-2, which stays an ordinary report.
type medicalFixture struct {
	*actionFixture
	med, pros, prot *caseroom.User
	adult           *caseroom.Person
	mr, r1, r2      *caseroom.Document
}

func newMedicalFixture(t *testing.T, s *testStore) *medicalFixture {
	t.Helper()
	f := &medicalFixture{actionFixture: newActionFixture(t, s)}
	c := f.c.ID
	f.med = f.member("mehwish", caseroom.RoleMedical)
	f.pros = f.member("parvez", caseroom.RoleProsecutor)
	f.prot = f.member("parveen", caseroom.RoleProtection)
	f.mr = f.doc(as(f.med), caseroom.NewDocument{Kind: caseroom.DocMedicalReport, Title: "Examination of the victim", Text: "Findings."})
	f.r1 = f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Note of the examination", Text: "Findings."})
	f.r2 = f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Search of the house", Text: "Nothing found."})
	f.adult = f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Adult Victim", Script: "Latn"}},
		Roles: []caseroom.PersonRole{caseroom.PersonVictim}, DateOfBirth: "1990-01-01"})
	for _, doc := range []string{f.mr.Ref, f.r1.Ref} {
		exam := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{f.adult.ID}})
		if _, err := s.DB.RecordConsent(as(f.med), c, exam.Ref, caseroom.NewConsent{Person: f.adult.ID, By: f.adult.ID, Given: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AllocateAction(f.ctx, c, exam.Ref, caseroom.ActionAllocation{To: f.med.Name}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ResultAction(as(f.med), c, exam.Ref, caseroom.ActionResultInput{Document: doc}); err != nil {
			t.Fatal(err)
		}
	}
	f.raise(caseroom.NewAction{Kind: caseroom.ActionOther, Title: "Follow up the findings", RaisedFrom: f.mr.Ref})
	search := f.raise(caseroom.NewAction{Kind: caseroom.ActionSearch, Title: "Search the house", RaisedFrom: "S-1"})
	if _, err := s.DB.AllocateAction(f.ctx, c, search.Ref, caseroom.ActionAllocation{To: f.inv.Name}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.ResultAction(as(f.inv), c, search.Ref, caseroom.ActionResultInput{Document: f.r2.Ref}); err != nil {
		t.Fatal(err)
	}
	return f
}

// readers and others split the members by whether they read medical reports.
func (f *medicalFixture) readers() []*caseroom.User { return []*caseroom.User{f.lead, f.med, f.pros} }
func (f *medicalFixture) others() []*caseroom.User {
	return []*caseroom.User{f.inv, f.exam, f.over, f.prot}
}

// actionView is what an action shows of its documents.
type actionView struct {
	RaisedFrom, Result string
	Restricted         bool
	Resulted           []string // the document of every resulted event
}

func viewOf(a *caseroom.Action) actionView {
	v := actionView{RaisedFrom: a.RaisedFrom, Result: a.Result, Restricted: a.ResultRestricted}
	for _, ev := range a.History {
		if ev.Event == caseroom.ActionEventResulted {
			v.Resulted = append(v.Resulted, ev.Document)
		}
	}
	return v
}

func TestActionsWithholdMedicalReports(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMedicalFixture(t, s)
		c := f.c.ID
		read := map[string]actionView{
			"A-1": {Result: "MR-1", Resulted: []string{"MR-1"}},
			"A-2": {Result: "R-1", Resulted: []string{"R-1"}},
			"A-3": {RaisedFrom: "MR-1"},
			"A-4": {RaisedFrom: "S-1", Result: "R-2", Resulted: []string{"R-2"}},
		}
		withheld := map[string]actionView{
			"A-1": {Restricted: true, Resulted: []string{""}},
			"A-2": {Restricted: true, Resulted: []string{""}},
			"A-3": {},
			"A-4": read["A-4"],
		}
		check := func(u *caseroom.User, want map[string]actionView) {
			t.Helper()
			all, err := s.DB.FindActions(as(u), c, caseroom.ActionFilter{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]actionView{}
			for _, a := range all {
				got[a.Ref] = viewOf(a)
				one, err := s.DB.FindAction(as(u), c, a.Ref)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(viewOf(a), viewOf(one)); diff != "" {
					t.Errorf("FindAction(%s) as %s differs from the list (-list +one):\n%s", a.Ref, u.Name, diff)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("actions as %s (%s) (-want +got):\n%s", u.Name, mustRole(t, s, f.fixture, u), diff)
			}
			// Nothing in the actions' JSON names the reports.
			b, err := json.Marshal(all)
			if err != nil {
				t.Fatal(err)
			}
			reads := want["A-1"].Result != ""
			for _, d := range []*caseroom.Document{f.mr, f.r1} {
				if named := strings.Contains(string(b), `"`+d.Ref+`"`) || strings.Contains(string(b), d.ID); named != reads {
					t.Errorf("the actions' JSON as %s names %s: %v, want %v", u.Name, d.Ref, named, reads)
				}
			}
			if restricted := strings.Contains(string(b), `"resultRestricted":true`); restricted == reads {
				t.Errorf("the actions' JSON as %s has resultRestricted: %v", u.Name, restricted)
			}
		}
		for _, u := range f.readers() {
			check(u, read)
		}
		for _, u := range f.others() {
			check(u, withheld)
		}
		// The queues filter as before.
		resulted, err := s.DB.FindActions(as(f.inv), c, caseroom.ActionFilter{State: caseroom.ActionResulted})
		if err != nil || len(resulted) != 3 {
			t.Fatalf("resulted queue as the investigator: %d actions, %v", len(resulted), err)
		}

		// Each step answers with the action as its actor may see it: the lead refers
		// A-2 back and a protection officer, allocated it, results it again with R-1.
		if a, err := s.DB.ReferBackAction(f.ctx, c, "A-2", caseroom.ActionReason{Reason: "Incomplete."}); err != nil || a.ResultRestricted {
			t.Fatalf("refer back: %+v, %v", a, err)
		}
		a, err := s.DB.AllocateAction(f.ctx, c, "A-2", caseroom.ActionAllocation{To: f.prot.Name})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(actionView{Resulted: []string{"R-1"}}, viewOf(a)); diff != "" {
			t.Errorf("A-2 referred back, to the lead (-want +got):\n%s", diff)
		}
		a, err = s.DB.ResultAction(as(f.prot), c, "A-2", caseroom.ActionResultInput{Document: "R-1"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(actionView{Restricted: true, Resulted: []string{"", ""}}, viewOf(a)); diff != "" {
			t.Errorf("A-2 resulted again, to the protection officer (-want +got):\n%s", diff)
		}
		if a, err = s.DB.FindAction(as(f.pros), c, "A-2"); err != nil || a.Result != "R-1" {
			t.Errorf("A-2 to the prosecutor: %+v, %v", a, err)
		}
		// A consent recorded answers likewise.
		exam := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{f.adult.ID}, RaisedFrom: "R-1"})
		if exam.RaisedFrom != "R-1" {
			t.Errorf("raised from R-1, the lead is shown %q", exam.RaisedFrom)
		}
		a, err = s.DB.RecordConsent(as(f.prot), c, exam.Ref, caseroom.NewConsent{Person: f.adult.ID, By: f.adult.ID, Given: ptr(true)})
		if err != nil || a.RaisedFrom != "" {
			t.Errorf("consent recorded by the protection officer: raisedFrom %q, %v", a.RaisedFrom, err)
		}
	})
}

// mustRole returns u's role in the fixture's case, for messages.
func mustRole(t *testing.T, s *testStore, f *fixture, u *caseroom.User) caseroom.Role {
	t.Helper()
	ms, err := s.DB.FindMembers(f.ctx, f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.User == u.Name {
			return m.Role
		}
	}
	return ""
}

func TestLinksWithholdMedicalReports(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMedicalFixture(t, s)
		c := f.c.ID
		mother := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Mother", Script: "Latn"}},
			Roles: []caseroom.PersonRole{caseroom.PersonGuardian}})
		byStatement := f.link(caseroom.NewLink{From: mother.ID, To: f.adult.ID, Type: "parent_of", Source: "S-1", Confidence: ptr(1.0)})
		byReport := f.link(caseroom.NewLink{From: mother.ID, To: f.adult.ID, Type: "related_to", Source: "MR-1", Confidence: ptr(0.8)})
		byResult := f.link(caseroom.NewLink{From: f.suspect.ID, To: f.adult.ID, Type: "knows", Source: "R-1", Confidence: ptr(0.5)})
		toReport := f.link(caseroom.NewLink{From: f.adult.ID, To: "MR-1", Type: "mentions", Source: "S-1", Confidence: ptr(1.0)})
		ids := func(ls []*caseroom.Link) []string {
			out := []string{}
			for _, l := range ls {
				out = append(out, l.ID)
			}
			return out
		}
		find := func(u *caseroom.User, lf caseroom.LinkFilter) []string {
			t.Helper()
			ls, err := s.DB.FindLinks(as(u), c, lf)
			if err != nil {
				t.Fatalf("FindLinks(%+v) as %s: %v", lf, u.Name, err)
			}
			return ids(ls)
		}
		all := []string{byStatement.ID, byReport.ID, byResult.ID, toReport.ID}
		for _, u := range f.readers() {
			if diff := cmp.Diff(all, find(u, caseroom.LinkFilter{})); diff != "" {
				t.Errorf("links as %s (-want +got):\n%s", u.Name, diff)
			}
			if diff := cmp.Diff(all, find(u, caseroom.LinkFilter{Entity: f.adult.ID})); diff != "" {
				t.Errorf("the victim's links as %s (-want +got):\n%s", u.Name, diff)
			}
			if diff := cmp.Diff([]string{toReport.ID}, find(u, caseroom.LinkFilter{Entity: "MR-1"})); diff != "" {
				t.Errorf("MR-1's links as %s (-want +got):\n%s", u.Name, diff)
			}
		}
		for _, u := range f.others() {
			if diff := cmp.Diff([]string{byStatement.ID}, find(u, caseroom.LinkFilter{})); diff != "" {
				t.Errorf("links as %s (-want +got):\n%s", u.Name, diff)
			}
			for _, e := range []string{f.adult.ID, mother.ID} {
				if diff := cmp.Diff([]string{byStatement.ID}, find(u, caseroom.LinkFilter{Entity: e})); diff != "" {
					t.Errorf("links of %s as %s (-want +got):\n%s", e, u.Name, diff)
				}
			}
			if got := find(u, caseroom.LinkFilter{Type: "related_to"}); len(got) != 0 {
				t.Errorf("related_to links as %s: %v", u.Name, got)
			}
			// Naming a report as the entity is answered as naming a missing document.
			_, hidden := s.DB.FindLinks(as(u), c, caseroom.LinkFilter{Entity: "MR-1"})
			_, missing := s.DB.FindLinks(as(u), c, caseroom.LinkFilter{Entity: "MR-9"})
			checkError(t, hidden, caseroom.EINVALID, "entity")
			if caseroom.ErrorMessage(hidden) != strings.Replace(caseroom.ErrorMessage(missing), "MR-9", "MR-1", 1) {
				t.Errorf("as %s, a hidden report as entity says %q; a missing one %q", u.Name, caseroom.ErrorMessage(hidden), caseroom.ErrorMessage(missing))
			}
		}

		// Citing a medical report: refused to recorders who do not read it, in the words
		// for a document that does not exist, and nothing written; the lead may.
		record := func(u *caseroom.User, nl caseroom.NewLink) error {
			nl.Type, nl.Confidence = "related_to", ptr(1.0)
			if nl.From == "" {
				nl.From = mother.ID
			}
			if nl.To == "" {
				nl.To = f.suspect.ID
			}
			_, err := s.DB.RecordLink(as(u), c, nl)
			return err
		}
		for _, u := range []*caseroom.User{f.inv, f.prot} {
			for _, tc := range []struct{ field, hidden, missing string }{
				{"source", "MR-1", "MR-9"},
				{"source", f.mr.ID, "doc_missing"},
				{"source", "R-1", "R-9"}, // resulted a medical examination
				{"from", "MR-1", "MR-9"},
				{"to", "R-1", "R-9"},
			} {
				nl := func(ref string) caseroom.NewLink {
					switch tc.field {
					case "from":
						return caseroom.NewLink{From: ref, Source: "S-1"}
					case "to":
						return caseroom.NewLink{To: ref, Source: "S-1"}
					}
					return caseroom.NewLink{Source: ref}
				}
				var hidden error
				refused(t, s, caseroom.EINVALID, tc.field, func() error { hidden = record(u, nl(tc.hidden)); return hidden })
				missing := record(u, nl(tc.missing))
				if caseroom.ErrorMessage(hidden) != strings.Replace(caseroom.ErrorMessage(missing), tc.missing, tc.hidden, 1) {
					t.Errorf("as %s, citing %s as %s says %q; citing a missing one says %q", u.Name, tc.hidden, tc.field,
						caseroom.ErrorMessage(hidden), caseroom.ErrorMessage(missing))
				}
			}
			// A link they do not see cannot be corrected either: it does not exist to them.
			var hidden error
			refused(t, s, caseroom.EINVALID, "corrects", func() error {
				hidden = record(u, caseroom.NewLink{Source: "S-1", Corrects: byReport.ID, Reason: "Wrong person."})
				return hidden
			})
			missing := record(u, caseroom.NewLink{Source: "S-1", Corrects: "lnk_missing", Reason: "Wrong person."})
			if caseroom.ErrorMessage(hidden) != strings.Replace(caseroom.ErrorMessage(missing), "lnk_missing", byReport.ID, 1) {
				t.Errorf("as %s, correcting a hidden link says %q; a missing one %q", u.Name, caseroom.ErrorMessage(hidden), caseroom.ErrorMessage(missing))
			}
		}
		for _, src := range []string{"MR-1", "R-1"} {
			if err := record(f.lead, caseroom.NewLink{Source: src}); err != nil {
				t.Errorf("the lead cites %s: %v", src, err)
			}
		}
		if err := record(f.lead, caseroom.NewLink{Source: "S-1", Corrects: byReport.ID, Reason: "Wrong relation."}); err != nil {
			t.Errorf("the lead corrects a link cited to MR-1: %v", err)
		}
		// An ordinary report is cited as before.
		if err := record(f.inv, caseroom.NewLink{Source: "R-2"}); err != nil {
			t.Errorf("the investigator cites R-2: %v", err)
		}
	})
}

// TestPersonSourcesWithholdMedicalReports checks that a medical report cited as the
// source of a suspect's name, alias or identifier, or as an arrest ground, is not named
// to those who do not read medical reports: the source is left out and marked
// restricted, the ground left out and counted, and the accountability report lists
// it only to the lead and the prosecutor.
func TestPersonSourcesWithholdMedicalReports(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMedicalFixture(t, s)
		c, sus := f.c.ID, f.suspect.ID
		if _, err := s.DB.AddName(f.ctx, c, sus, caseroom.PersonName{Name: "Fictional Blue Suspect", Script: "Latn", Source: "MR-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AddAlias(f.ctx, c, sus, caseroom.Alias{Alias: "Blue", Kind: "alias", Source: "MR-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AddAlias(f.ctx, c, sus, caseroom.Alias{Alias: "Green", Kind: "alias", Source: "S-1"}); err != nil {
			t.Fatal(err)
		}
		// R-1 is a medical report because it resulted a medical examination.
		if _, err := s.DB.AddIdentifier(f.ctx, c, sus, caseroom.NewIdentifier{Kind: caseroom.IdentifierPhone, Value: "+92 300 1234567", Source: "R-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AddIdentifier(f.ctx, c, sus, caseroom.NewIdentifier{Kind: caseroom.IdentifierPhone, Value: "+92 300 7654321", Source: "R-2"}); err != nil {
			t.Fatal(err)
		}
		at := s.DB.Now().Add(-time.Hour)
		if _, err := s.DB.RecordArrest(f.ctx, c, caseroom.NewArrest{Person: sus, At: &at, By: f.inv.Name, Grounds: []string{"S-1", "MR-1", "R-1"}}); err != nil {
			t.Fatal(err)
		}

		// sourcesOf is what a person shows of the sources of their names, aliases and
		// identifiers: the reference, or "restricted".
		sourcesOf := func(p *caseroom.Person) []string {
			var out []string
			add := func(src string, restricted bool) {
				if restricted {
					src = "restricted:" + src
				}
				out = append(out, src)
			}
			for _, n := range p.Names {
				add(n.Source, n.SourceRestricted)
			}
			for _, a := range p.Aliases {
				add(a.Source, a.SourceRestricted)
			}
			for _, idf := range p.Identifiers {
				add(idf.Source, idf.SourceRestricted)
			}
			return out
		}
		type arrestView struct {
			Grounds    []string
			Restricted int
		}
		viewArrests := func(as []*caseroom.Arrest) []arrestView {
			out := []arrestView{}
			for _, a := range as {
				v := arrestView{Restricted: a.RestrictedGrounds}
				for _, g := range a.Grounds {
					v.Grounds = append(v.Grounds, g.Ref)
				}
				out = append(out, v)
			}
			return out
		}
		// sources: the suspect's first name, then the two names added, the aliases
		// Blue and Green, the identifiers.
		first := f.suspect.Names[0].Source
		readSources := []string{first, "MR-1", "MR-1", "S-1", "R-1", "R-2"}
		withheldSources := []string{first, "restricted:", "restricted:", "S-1", "restricted:", "R-2"}
		readArrests := []arrestView{{Grounds: []string{"S-1", "MR-1", "R-1"}}}
		withheldArrests := []arrestView{{Grounds: []string{"S-1"}, Restricted: 2}}

		check := func(u *caseroom.User, reads bool) {
			t.Helper()
			wantSources, wantArrests := readSources, readArrests
			if !reads {
				wantSources, wantArrests = withheldSources, withheldArrests
			}
			one, err := s.DB.FindPerson(as(u), c, sus)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantSources, sourcesOf(one)); diff != "" {
				t.Errorf("FindPerson as %s (-want +got):\n%s", u.Name, diff)
			}
			all, err := s.DB.FindPersons(as(u), c, caseroom.PersonFilter{})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range all {
				if p.ID == sus {
					found = true
					if diff := cmp.Diff(wantSources, sourcesOf(p)); diff != "" {
						t.Errorf("FindPersons as %s (-want +got):\n%s", u.Name, diff)
					}
				}
			}
			if !found {
				t.Errorf("FindPersons as %s: the suspect is not listed", u.Name)
			}
			arrests, err := s.DB.FindArrests(as(u), c)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantArrests, viewArrests(arrests)); diff != "" {
				t.Errorf("FindArrests as %s (-want +got):\n%s", u.Name, diff)
			}
			// Nothing in the JSON names the reports.
			b, err := json.Marshal([]any{one, all, arrests})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range []*caseroom.Document{f.mr, f.r1} {
				if named := strings.Contains(string(b), `"`+d.Ref+`"`) || strings.Contains(string(b), d.ID); named != reads {
					t.Errorf("the JSON as %s names %s: %v, want %v", u.Name, d.Ref, named, reads)
				}
			}
			if restricted := strings.Contains(string(b), `"sourceRestricted":true`) && strings.Contains(string(b), `"restrictedGrounds":2`); restricted == reads {
				t.Errorf("the JSON as %s marks restricted sources: %v", u.Name, restricted)
			}
		}
		for _, u := range f.readers() {
			check(u, true)
		}
		for _, u := range f.others() {
			check(u, false)
		}

		// A write answers with the person and the arrest as their actor may see them.
		p, err := s.DB.AddAlias(as(f.inv), c, sus, caseroom.Alias{Alias: "Red", Kind: "alias", Source: "S-1"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{first, "restricted:", "restricted:", "S-1", "S-1", "restricted:", "R-2"}, sourcesOf(p)); diff != "" {
			t.Errorf("AddAlias as the investigator answers (-want +got):\n%s", diff)
		}
		produced := s.DB.Now()
		a, err := s.DB.RecordProduction(as(f.inv), c, "AR-1", caseroom.NewProduction{At: &produced, Court: "Court of the magistrate", Outcome: "remanded", By: f.inv.Name})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(withheldArrests, viewArrests([]*caseroom.Arrest{a})); diff != "" {
			t.Errorf("RecordProduction as the investigator answers (-want +got):\n%s", diff)
		}

		// The accountability report lists the medical reports to the lead and the
		// prosecutor; to oversight it counts them, and the figures stay the same.
		type accountView struct {
			Sources            []string
			Restricted         int
			IndependentSources int
			Flags              []string
		}
		account := func(u *caseroom.User, reads bool) accountView {
			t.Helper()
			rep, err := s.DB.Accountability(as(u), c)
			if err != nil {
				t.Fatal(err)
			}
			for _, acc := range rep.Suspects {
				if acc.Person == sus {
					v := accountView{Restricted: acc.RestrictedSources, IndependentSources: acc.IndependentSources, Flags: acc.Flags}
					for _, src := range acc.Sources {
						v.Sources = append(v.Sources, src.Via+" "+src.Ref)
					}
					b, err := json.Marshal(rep)
					if err != nil {
						t.Fatal(err)
					}
					for _, d := range []*caseroom.Document{f.mr, f.r1} {
						if named := strings.Contains(string(b), `"`+d.Ref+`"`) || strings.Contains(string(b), d.ID); named != reads {
							t.Errorf("the accountability report as %s names %s: %v, want %v", u.Name, d.Ref, named, reads)
						}
					}
					return v
				}
			}
			t.Fatalf("the accountability report as %s has no account of the suspect", u.Name)
			return accountView{}
		}
		read := account(f.lead, true)
		if diff := cmp.Diff([]string{"AR-1 S-1", "AR-1 MR-1", "AR-1 R-1"}, read.Sources); diff != "" || read.Restricted != 0 {
			t.Errorf("the accountability report as the lead: restricted %d (-want +got):\n%s", read.Restricted, diff)
		}
		if diff := cmp.Diff(read, account(f.pros, true)); diff != "" {
			t.Errorf("the accountability report as the prosecutor (-lead +prosecutor):\n%s", diff)
		}
		withheld := read
		withheld.Sources, withheld.Restricted = []string{"AR-1 S-1"}, 2
		if diff := cmp.Diff(withheld, account(f.over, false)); diff != "" {
			t.Errorf("the accountability report as oversight (-want +got):\n%s", diff)
		}
	})
}

// TestConsentMinorRule checks that resulting a medical examination asks for a parent's
// or guardian's consent exactly for those caseroom.Person.Minor counts as minors,
// saying how the age was judged.
func TestConsentMinorRule(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		report := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Examination", Text: "Done."})
		adultDOB := s.DB.Now().AddDate(-18, 0, -1).Format("2006-01-02")
		minorDOB := s.DB.Now().AddDate(-18, 0, 1).Format("2006-01-02")
		for _, tc := range []struct {
			np  caseroom.NewPerson
			why string // "" if no guardian's consent is needed
		}{
			{caseroom.NewPerson{DateOfBirth: adultDOB, AgeBand: "10-14"}, ""},
			{caseroom.NewPerson{DateOfBirth: minorDOB, AgeBand: "adult"}, "by date of birth"},
			{caseroom.NewPerson{AgeBand: "15-19"}, "by age band 15-19"},
			{caseroom.NewPerson{AgeBand: "18+"}, ""},
			{caseroom.NewPerson{AgeBand: "adult"}, ""},
			{caseroom.NewPerson{}, "age not recorded, so treated as a minor"},
		} {
			tc.np.Roles = []caseroom.PersonRole{caseroom.PersonVictim}
			p := f.person(f.ctx, tc.np)
			exam := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{p.ID}})
			if _, err := s.DB.RecordConsent(f.ctx, c, exam.Ref, caseroom.NewConsent{Person: p.ID, By: p.ID, Given: ptr(true)}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DB.AllocateAction(f.ctx, c, exam.Ref, caseroom.ActionAllocation{To: f.inv.Name}); err != nil {
				t.Fatal(err)
			}
			_, err := s.DB.ResultAction(f.ctx, c, exam.Ref, caseroom.ActionResultInput{Document: report.Ref})
			if tc.why == "" {
				if err != nil {
					t.Errorf("%+v: %v", tc.np, err)
				}
				continue
			}
			checkError(t, err, caseroom.ECONFLICT, "")
			want := "Action " + exam.Ref + " cannot be resulted without a parent's or guardian's consent for a minor (" + p.Pseudonym + ", " + tc.why + "): record the missing consents first."
			if got := caseroom.ErrorMessage(err); got != want {
				t.Errorf("%+v:\n got %q\nwant %q", tc.np, got, want)
			}
		}
	})
}

// TestPlaceAndRevealSourcesWithholdMedicalReports: an organisation or location taken
// from a medical report, and a person's sources as a reveal answers them, show the report
// to those who read medical reports and to nobody else.
func TestPlaceAndRevealSourcesWithholdMedicalReports(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMedicalFixture(t, s)
		c, sus := f.c.ID, f.suspect.ID
		if _, err := s.DB.RegisterOrganisation(f.ctx, c, caseroom.NewOrganisation{Name: "Fictional Clinic Shop", Source: "MR-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.RegisterLocation(f.ctx, c, caseroom.NewLocation{Name: "Fictional Clinic Lane", Kind: "address", Source: "MR-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AddAlias(f.ctx, c, sus, caseroom.Alias{Alias: "Blue", Kind: "alias", Source: "MR-1"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			u     *caseroom.User
			reads bool
		}{{f.med, true}, {f.pros, true}, {f.inv, false}, {f.prot, false}} {
			orgs, err := s.DB.FindOrganisations(as(tc.u), c)
			if err != nil || len(orgs) != 1 {
				t.Fatalf("organisations as %s: %v, %v", tc.u.Name, orgs, err)
			}
			locs, err := s.DB.FindLocations(as(tc.u), c)
			if err != nil || len(locs) != 1 {
				t.Fatalf("locations as %s: %v, %v", tc.u.Name, locs, err)
			}
			if got := orgs[0].Source == "MR-1" && locs[0].Source == "MR-1"; got != tc.reads {
				t.Errorf("as %s the places' sources are %q and %q; want MR-1 shown: %v", tc.u.Name, orgs[0].Source, locs[0].Source, tc.reads)
			}
			if restricted := orgs[0].SourceRestricted && locs[0].SourceRestricted; restricted == tc.reads {
				t.Errorf("as %s the places' sources are marked restricted: %v", tc.u.Name, restricted)
			}
			p, err := s.DB.RevealIdentity(as(tc.u), c, sus, "Checking the alias for the report.")
			if err != nil {
				t.Fatalf("reveal of a suspect as %s: %v", tc.u.Name, err)
			}
			b, _ := json.Marshal(p)
			if named := strings.Contains(string(b), `"MR-1"`); named != tc.reads {
				t.Errorf("the reveal as %s names MR-1: %v, want %v", tc.u.Name, named, tc.reads)
			}
		}
	})
}

// TestCaseAuditWithholdsMedicalReports reads the case's audit log as the lead, the
// prosecutor and oversight: the entries about the medical reports (MR-1, R-1 which
// became one) and about the links that cite or join one name them, who wrote them and
// their state only to those who read medical reports; to oversight they are
// Restricted, in their place in the log, with nothing of the report.
func TestCaseAuditWithholdsMedicalReports(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newMedicalFixture(t, s)
		c := f.c.ID
		byStatement := f.link(caseroom.NewLink{From: f.suspect.ID, To: f.adult.ID, Type: "knows", Source: "S-1", Confidence: ptr(1.0)})
		byReport := f.link(caseroom.NewLink{From: f.suspect.ID, To: f.adult.ID, Type: "knows", Source: "MR-1", Confidence: ptr(0.8)})
		toReport := f.link(caseroom.NewLink{From: f.adult.ID, To: "R-1", Type: "mentions", Source: "S-1", Confidence: ptr(1.0)})
		read := func(u *caseroom.User) []*caseroom.AuditEntry {
			t.Helper()
			es, err := s.DB.FindAuditEntries(as(u), caseroom.AuditFilter{CaseID: c, After: -1})
			if err != nil {
				t.Fatalf("case audit as %s: %v", u.Name, err)
			}
			return es
		}
		withheld := map[string]bool{f.mr.ID: true, f.r1.ID: true, byReport.ID: true, toReport.ID: true}
		full := read(f.lead)
		for _, u := range []*caseroom.User{f.lead, f.pros} {
			if diff := cmp.Diff(full, read(u)); diff != "" {
				t.Errorf("the case audit as %s differs from the lead's (-lead +%s):\n%s", u.Name, u.Name, diff)
			}
		}
		seen := map[string]bool{}
		for _, e := range full {
			if e.Restricted {
				t.Errorf("entry %d is restricted for the lead", e.Seq)
			}
			seen[e.ObjectID] = true
		}
		for id := range withheld {
			if !seen[id] {
				t.Fatalf("the lead's case audit has no entry about %s", id)
			}
		}
		over := read(f.over)
		if len(over) != len(full) {
			t.Fatalf("oversight reads %d entries, the lead %d: none is left out", len(over), len(full))
		}
		restricted := 0
		for i, e := range over {
			lead := full[i]
			if !withheld[lead.ObjectID] {
				if diff := cmp.Diff(lead, e); diff != "" {
					t.Errorf("entry %d (%s %s) as oversight (-lead +oversight):\n%s", lead.Seq, lead.Action, lead.ObjectID, diff)
				}
				continue
			}
			restricted++
			want := &caseroom.AuditEntry{Seq: lead.Seq, At: lead.At, Action: lead.Action, ObjectKind: lead.ObjectKind, CaseID: lead.CaseID, Restricted: true}
			if diff := cmp.Diff(want, e); diff != "" {
				t.Errorf("entry %d (%s %s) as oversight (-want +got):\n%s", lead.Seq, lead.Action, lead.ObjectID, diff)
			}
		}
		if restricted != 4 {
			t.Errorf("%d entries restricted for oversight, want 4 (MR-1, R-1 and two links)", restricted)
		}
		if !slices.ContainsFunc(over, func(e *caseroom.AuditEntry) bool { return e.ObjectID == byStatement.ID }) {
			t.Error("oversight does not see the entry of the link cited to a statement")
		}
	})
}
