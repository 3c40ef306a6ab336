package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// TestCaseSummary enters a small case and checks that every count of its summary
// agrees with what was entered, and who reads it.
func TestCaseSummary(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		s.DB.Now = func() time.Time { return now }
		// The fixture: complaint C-1 (no giver), victim V-0001 (age unknown, so a
		// minor), a suspect, statement S-1 by V-0001, exhibit SB/1.
		f := newActionFixture(t, s)
		c := f.c.ID
		pros := f.member("parvez", caseroom.RoleProsecutor)
		named := func(name string, roles ...caseroom.PersonRole) *caseroom.Person {
			return f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: name, Script: "Latn"}}, Roles: roles})
		}
		adult := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Adult Victim", Script: "Latn"}},
			Roles: []caseroom.PersonRole{caseroom.PersonVictim}, DateOfBirth: "1990-01-01"})
		silent := f.fixture.victim(f.ctx, "Fictional Silent Victim") // never comes forward
		witness := named("Fictional Witness", caseroom.PersonWitness)
		officer := named("Fictional Officer", caseroom.PersonOfficer)
		mother := named("Fictional Mother", caseroom.PersonGuardian)
		suspect2 := f.fixture.suspect("Fictional Second Suspect")
		named("Fictional Third Suspect", caseroom.PersonSuspect, caseroom.PersonWitness)

		// Documents: complaints C-1 (fixture), C-2 by V-0001, C-3 by the adult victim;
		// statements S-1 (fixture, victim), S-2 witness, S-3 suspect, S-4 officer, and a
		// correction of S-2, which is not counted again.
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Complaint of V-0001", Text: "x", Giver: f.victim.ID, RecordedAt: ptr(recorded)})
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Complaint of the adult", Text: "x", Giver: adult.ID, RecordedAt: ptr(recorded)})
		f.statement(witness.ID, "Statement of the witness")
		f.statement(f.suspect.ID, "Statement of the suspect")
		f.statement(officer.ID, "Statement of the officer")
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Statement of the witness, corrected", Text: "y", Giver: witness.ID,
			RecordedAt: ptr(recorded), Corrects: "S-2", CorrectionReason: "Wrong date."})
		report := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Examination", Text: "Done."})

		// Arrests: the first suspect twice, the second once: two persons arrested.
		for _, p := range []string{f.suspect.ID, f.suspect.ID, suspect2.ID} {
			if _, err := s.DB.RecordArrest(f.ctx, c, caseroom.NewArrest{Person: p, At: ptr(now.Add(-time.Hour)), By: f.inv.Name, Grounds: []string{"S-1"}}); err != nil {
				t.Fatal(err)
			}
		}
		// Exhibits: SB/1 (fixture) and SB/2; three files, two contents.
		if _, err := s.DB.RegisterExhibit(f.ctx, c, caseroom.NewExhibit{Ref: "SB/2", Description: "A phone", Kind: caseroom.ExhibitDisc, SeizedAt: ptr(seized)}); err != nil {
			t.Fatal(err)
		}
		files := []caseroom.NewMedia{fakeMedia("disk/a.bin", "content a"), fakeMedia("disk/b.bin", "content b"), fakeMedia("disk/copy/a.bin", "content a")}
		if n, err := s.DB.RecordMedia(f.ctx, c, "SB/1", files); err != nil || n != 3 {
			t.Fatalf("RecordMedia = %d, %v", n, err)
		}

		// Medical examinations: four ordered.
		f.link(caseroom.NewLink{From: mother.ID, To: f.victim.ID, Type: "parent_of", Source: "C-1", Confidence: ptr(1.0)})
		consent := func(a *caseroom.Action, person, by string, given bool) {
			t.Helper()
			if _, err := s.DB.RecordConsent(f.ctx, c, a.Ref, caseroom.NewConsent{Person: person, By: by, Given: &given}); err != nil {
				t.Fatal(err)
			}
		}
		// The minor's: consented by her and her mother, then done.
		done := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{f.victim.ID}})
		consent(done, f.victim.ID, f.victim.ID, true)
		consent(done, f.victim.ID, mother.ID, true)
		if _, err := s.DB.AllocateAction(f.ctx, c, done.Ref, caseroom.ActionAllocation{To: f.inv.Name}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ResultAction(f.ctx, c, done.Ref, caseroom.ActionResultInput{Document: report.Ref}); err != nil {
			t.Fatal(err)
		}
		// The minor's second: she consents, her mother refuses: refused, not consented.
		second := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{f.victim.ID}})
		consent(second, f.victim.ID, f.victim.ID, true)
		consent(second, f.victim.ID, mother.ID, false)
		// The adult's: she refused, then consented: consented, no longer refused.
		adults := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{adult.ID}})
		consent(adults, adult.ID, adult.ID, false)
		consent(adults, adult.ID, adult.ID, true)
		if _, err := s.DB.AllocateAction(f.ctx, c, adults.Ref, caseroom.ActionAllocation{To: f.inv.Name}); err != nil {
			t.Fatal(err)
		}
		// The silent victim's: no answer, then cancelled.
		cancelled := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{silent.ID}})
		if _, err := s.DB.CancelAction(f.ctx, c, cancelled.Ref, caseroom.ActionReason{Reason: "Not needed."}); err != nil {
			t.Fatal(err)
		}
		// Another open action, raised, with a due time in a week.
		f.raise(caseroom.NewAction{Due: ptr(now.Add(7 * 24 * time.Hour))})

		// Four days on: the three productions and the two open examinations are overdue,
		// the action due in a week is not.
		now = now.Add(96 * time.Hour)
		want := &caseroom.CaseSummary{
			CaseID:              c,
			Complaints:          3,
			VictimsCameForward:  2,
			Statements:          caseroom.StatementCounts{Total: 4, Victim: 1, Witness: 1, Suspect: 1, Other: 1},
			Suspects:            3,
			Arrested:            2,
			MedicalExaminations: caseroom.MedicalExaminationCounts{Ordered: 4, Consented: 2, Done: 1, Refused: 1},
			Exhibits:            2,
			Media: caseroom.MediaSummary{Files: 3, Unique: 2, Copies: 1, Bytes: int64(2*len("content a") + len("content b")),
				UniqueBytes: int64(len("content a") + len("content b"))},
			OpenActions:   map[caseroom.ActionState]int64{caseroom.ActionRaised: 2, caseroom.ActionAllocated: 1},
			OverdueClocks: 5,
		}
		for _, u := range []*caseroom.User{f.lead, f.inv, f.exam, f.over, pros} {
			got, err := s.DB.Summary(as(u), c)
			if err != nil {
				t.Fatalf("summary as %s: %v", u.Name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("summary as %s (-want +got):\n%s", u.Name, diff)
			}
		}
		_, err := s.DB.Summary(as(f.adv), c)
		checkError(t, err, caseroom.EFORBIDDEN, "")
		_, err = s.DB.Summary(as(f.outsider), c)
		checkError(t, err, caseroom.ENOTFOUND, "")
	})
}

// TestMedicalReportAccess checks that the document resulting a medical examination is
// read only by the medical officers, the lead and the prosecutor: to everyone else it
// is not found and not listed, while other reports stay readable.
func TestMedicalReportAccess(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		med := f.member("mehwish", caseroom.RoleMedical)
		pros := f.member("parvez", caseroom.RoleProsecutor)
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Search of the house", Text: "Nothing found."})
		report := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Examination of V-0001", Text: "Findings."})
		adult := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Adult Victim", Script: "Latn"}},
			Roles: []caseroom.PersonRole{caseroom.PersonVictim}, DateOfBirth: "1990-01-01"})
		exam := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{adult.ID}})
		if _, err := s.DB.RecordConsent(f.ctx, c, exam.Ref, caseroom.NewConsent{Person: adult.ID, By: adult.ID, Given: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AllocateAction(f.ctx, c, exam.Ref, caseroom.ActionAllocation{To: med.Name}); err != nil {
			t.Fatal(err)
		}
		reports := func(u *caseroom.User) []string {
			t.Helper()
			docs, err := s.DB.FindDocuments(as(u), c, caseroom.DocumentFilter{Kind: caseroom.DocReport})
			if err != nil {
				t.Fatal(err)
			}
			refs := []string{}
			for _, d := range docs {
				refs = append(refs, d.Ref)
			}
			return refs
		}
		// Before it results the examination, it is a report like any other.
		if diff := cmp.Diff([]string{"R-1", "R-2"}, reports(f.inv)); diff != "" {
			t.Errorf("reports before the result (-want +got):\n%s", diff)
		}
		if _, err := s.DB.ResultAction(as(med), c, exam.Ref, caseroom.ActionResultInput{Document: report.Ref}); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*caseroom.User{f.lead, med, pros} {
			if diff := cmp.Diff([]string{"R-1", "R-2"}, reports(u)); diff != "" {
				t.Errorf("reports as %s (-want +got):\n%s", u.Name, diff)
			}
			if d, err := s.DB.FindDocument(as(u), c, report.Ref); err != nil || d.Text != "Findings." {
				t.Errorf("FindDocument(%s) as %s = %+v, %v", report.Ref, u.Name, d, err)
			}
		}
		for _, u := range []*caseroom.User{f.inv, f.exam, f.over} {
			if diff := cmp.Diff([]string{"R-1"}, reports(u)); diff != "" {
				t.Errorf("reports as %s (-want +got):\n%s", u.Name, diff)
			}
			_, err := s.DB.FindDocument(as(u), c, report.Ref)
			checkError(t, err, caseroom.ENOTFOUND, "")
			_, err = s.DB.FindDocument(as(u), c, report.ID)
			checkError(t, err, caseroom.ENOTFOUND, "")
		}
	})
}

// TestMedicalReportKind checks that a document of kind medical-report (MR-1) is
// restricted from the moment it is registered, before it results anything: only
// medical officers and the lead register one; only they and the prosecutor list, read
// or cite it; to anyone else it is not found, by reference and by id, and citing it
// is refused as citing a document that does not exist.
func TestMedicalReportKind(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		med := f.member("mehwish", caseroom.RoleMedical)
		pros := f.member("parvez", caseroom.RoleProsecutor)
		prot := f.member("parveen", caseroom.RoleProtection)
		nd := caseroom.NewDocument{Kind: caseroom.DocMedicalReport, Title: "Examination of V-0001", Text: "Findings."}
		for _, u := range []*caseroom.User{f.inv, prot, pros, f.exam, f.over, f.adv} {
			_, err := s.DB.RegisterDocument(as(u), c, nd)
			checkError(t, err, caseroom.EFORBIDDEN, "")
		}
		report := f.doc(as(med), nd)
		if report.Ref != "MR-1" || report.Kind != caseroom.DocMedicalReport {
			t.Fatalf("registered %s %s, want MR-1 medical-report", report.Ref, report.Kind)
		}
		if d := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocMedicalReport, Title: "Note of the lead", Text: "Seen."}); d.Ref != "MR-2" {
			t.Fatalf("the lead's medical report is %s, want MR-2", d.Ref)
		}
		refs := func(u *caseroom.User, k caseroom.DocumentKind) []string {
			t.Helper()
			docs, err := s.DB.FindDocuments(as(u), c, caseroom.DocumentFilter{Kind: k})
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, d := range docs {
				if d.Kind == caseroom.DocMedicalReport {
					out = append(out, d.Ref)
				}
			}
			return out
		}
		for _, u := range []*caseroom.User{f.lead, med, pros} {
			for _, k := range []caseroom.DocumentKind{"", caseroom.DocMedicalReport} {
				if diff := cmp.Diff([]string{"MR-1", "MR-2"}, refs(u, k)); diff != "" {
					t.Errorf("medical reports listed to %s (kind %q) (-want +got):\n%s", u.Name, k, diff)
				}
			}
			if d, err := s.DB.FindDocument(as(u), c, "MR-1"); err != nil || d.Text != "Findings." {
				t.Errorf("FindDocument(MR-1) as %s = %+v, %v", u.Name, d, err)
			}
		}
		for _, u := range []*caseroom.User{f.inv, f.exam, f.over, prot} {
			for _, k := range []caseroom.DocumentKind{"", caseroom.DocMedicalReport} {
				if got := refs(u, k); len(got) != 0 {
					t.Errorf("%s (kind %q) is listed the medical reports %v", u.Name, k, got)
				}
			}
			for _, ref := range []string{"MR-1", report.ID} {
				_, err := s.DB.FindDocument(as(u), c, ref)
				checkError(t, err, caseroom.ENOTFOUND, "")
			}
		}
		// Citing it: in words that tell nothing to those who may not read it.
		_, err := s.DB.RaiseAction(as(f.inv), c, caseroom.NewAction{Kind: caseroom.ActionOther, Title: "Follow up", RaisedFrom: "MR-1"})
		checkError(t, err, caseroom.EINVALID, "raisedFrom")
		_, missing := s.DB.RaiseAction(as(f.inv), c, caseroom.NewAction{Kind: caseroom.ActionOther, Title: "Follow up", RaisedFrom: "MR-9"})
		if caseroom.ErrorMessage(err) != strings.Replace(caseroom.ErrorMessage(missing), "MR-9", "MR-1", 1) {
			t.Errorf("citing a hidden report says %q; citing a missing one says %q", caseroom.ErrorMessage(err), caseroom.ErrorMessage(missing))
		}
		at := s.DB.Now().Add(-time.Hour)
		_, err = s.DB.RecordArrest(as(f.inv), c, caseroom.NewArrest{Person: f.suspect.ID, At: &at, By: f.inv.Name, Place: "A village", Grounds: []string{"MR-1"}})
		checkError(t, err, caseroom.EINVALID, "grounds[0]")
		if a := f.raise(caseroom.NewAction{Kind: caseroom.ActionOther, RaisedFrom: "MR-1"}); a.RaisedFrom != "MR-1" {
			t.Errorf("the lead's action raised from MR-1 says %q", a.RaisedFrom)
		}
		// It results a medical examination as any document would, and stays restricted.
		adult := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Adult Victim", Script: "Latn"}},
			Roles: []caseroom.PersonRole{caseroom.PersonVictim}, DateOfBirth: "1990-01-01"})
		exam := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{adult.ID}})
		if _, err := s.DB.RecordConsent(as(med), c, exam.Ref, caseroom.NewConsent{Person: adult.ID, By: adult.ID, Given: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AllocateAction(f.ctx, c, exam.Ref, caseroom.ActionAllocation{To: med.Name}); err != nil {
			t.Fatal(err)
		}
		if a, err := s.DB.ResultAction(as(med), c, exam.Ref, caseroom.ActionResultInput{Document: "MR-1"}); err != nil || a.Result != "MR-1" {
			t.Fatalf("result with MR-1: %+v, %v", a, err)
		}
		_, err = s.DB.FindDocument(as(f.inv), c, "MR-1")
		checkError(t, err, caseroom.ENOTFOUND, "")
	})
}
