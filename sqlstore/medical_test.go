package sqlstore_test

import (
	"encoding/json"
	"strings"
	"testing"

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
