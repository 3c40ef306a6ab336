package sqlstore_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"caseroom"
)

// This file holds the safeguards of issue 7's second increment: consents to medical
// examinations, implication, arrests with grounds, retractions and the accountability
// report. Every refusal is checked to change nothing.

func TestMedicalExaminationNeedsConsents(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		prot := f.member("parveen", caseroom.RoleProtection)
		minor := f.person(f.ctx, caseroom.NewPerson{Roles: []caseroom.PersonRole{caseroom.PersonVictim}, AgeBand: "10-14"})
		adult := f.person(f.ctx, caseroom.NewPerson{Roles: []caseroom.PersonRole{caseroom.PersonVictim}, DateOfBirth: "1990-01-01"})
		mother := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Mother"}}, Roles: []caseroom.PersonRole{caseroom.PersonGuardian}})
		neighbour := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Neighbour"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
		rep := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Lawyer"}}, Roles: []caseroom.PersonRole{caseroom.PersonRepresentative}})
		f.link(caseroom.NewLink{From: mother.ID, To: minor.ID, Type: "guardian_of", Source: "S-1", Confidence: ptr(1.0)})
		f.link(caseroom.NewLink{From: rep.ID, To: minor.ID, Type: "represents", Source: "S-1", Confidence: ptr(1.0)})
		report := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Examination", Text: "Done."})
		exam := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{minor.ID}})
		if _, err := s.DB.AllocateAction(f.ctx, c, exam.Ref, caseroom.ActionAllocation{To: prot.Name}); err != nil {
			t.Fatal(err)
		}
		consent := func(by string, given bool) error {
			_, err := s.DB.RecordConsent(as(prot), c, exam.Ref, caseroom.NewConsent{Person: minor.ID, By: by, Given: &given})
			return err
		}
		result := func() error {
			_, err := s.DB.ResultAction(as(prot), c, exam.Ref, caseroom.ActionResultInput{Document: report.Ref})
			return err
		}
		wantMissing := func(parts ...string) {
			t.Helper()
			err := result()
			checkError(t, err, caseroom.ECONFLICT, "")
			for _, p := range parts {
				if !strings.Contains(caseroom.ErrorMessage(err), p) {
					t.Errorf("message %q does not name %q", caseroom.ErrorMessage(err), p)
				}
			}
		}
		refusedAction(t, s, caseroom.ECONFLICT, "", result)
		wantMissing("the victim's consent", "a parent's or guardian's consent for a minor")

		// Refused, nothing written: a stranger, a representative's "consent", no answer,
		// a person the action does not concern, a member who does not record.
		refusedAction(t, s, caseroom.EINVALID, "by", func() error { return consent(neighbour.ID, true) })
		refusedAction(t, s, caseroom.EINVALID, "given", func() error { return consent(rep.ID, true) })
		refusedAction(t, s, caseroom.EINVALID, "given", func() error {
			_, err := s.DB.RecordConsent(as(prot), c, exam.Ref, caseroom.NewConsent{Person: minor.ID, By: minor.ID})
			return err
		})
		refusedAction(t, s, caseroom.EINVALID, "person", func() error {
			_, err := s.DB.RecordConsent(as(prot), c, exam.Ref, caseroom.NewConsent{Person: adult.ID, By: adult.ID, Given: ptr(true)})
			return err
		})
		refusedAction(t, s, caseroom.EFORBIDDEN, "", func() error {
			_, err := s.DB.RecordConsent(as(f.exam), c, exam.Ref, caseroom.NewConsent{Person: minor.ID, By: minor.ID, Given: ptr(true)})
			return err
		})
		other := f.raise(caseroom.NewAction{Kind: caseroom.ActionSearch, Subjects: []string{minor.ID}})
		refusedAction(t, s, caseroom.ECONFLICT, "", func() error {
			_, err := s.DB.RecordConsent(as(prot), c, other.Ref, caseroom.NewConsent{Person: minor.ID, By: minor.ID, Given: ptr(true)})
			return err
		})

		// The representative objects: recorded, shown, and it does not decide.
		if err := consent(rep.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := consent(minor.ID, true); err != nil {
			t.Fatal(err)
		}
		wantMissing("a parent's or guardian's consent for a minor")
		if err := consent(mother.ID, false); err != nil {
			t.Fatal(err)
		}
		wantMissing("refused")
		if err := consent(mother.ID, true); err != nil { // the latest answer counts
			t.Fatal(err)
		}
		if err := consent(minor.ID, false); err != nil {
			t.Fatal(err)
		}
		wantMissing("the victim's consent")
		if err := consent(minor.ID, true); err != nil {
			t.Fatal(err)
		}
		a, err := s.DB.ResultAction(as(prot), c, exam.Ref, caseroom.ActionResultInput{Document: report.Ref})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Consents) != 6 || a.Consents[0].Capacity != caseroom.ConsentRepresentative || a.Consents[0].Given {
			t.Fatalf("consents: %+v", a.Consents)
		}
		refusedAction(t, s, caseroom.ECONFLICT, "", func() error { return consent(minor.ID, true) }) // resulted

		// An adult needs only their own consent.
		ex2 := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{adult.ID}})
		if _, err := s.DB.AllocateAction(f.ctx, c, ex2.Ref, caseroom.ActionAllocation{To: prot.Name}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.RecordConsent(as(prot), c, ex2.Ref, caseroom.NewConsent{Person: adult.ID, By: adult.ID, Given: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ResultAction(as(prot), c, ex2.Ref, caseroom.ActionResultInput{Document: report.Ref}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestImplicationArrestRetractionAccountability(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		prot := f.member("parveen", caseroom.RoleProtection)
		other := f.fixture.victim(f.ctx, "Second Victim")
		bystander := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Bystander"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
		recorded := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		statement := func(giver string, nd caseroom.NewDocument) (*caseroom.Document, error) {
			nd.Kind, nd.Giver, nd.RecordedAt = caseroom.DocStatement, giver, &recorded
			if nd.Title == "" {
				nd.Title = "Statement"
			}
			if nd.Text == "" {
				nd.Text = "Taken to the farmhouse."
			}
			return s.DB.RegisterDocument(f.ctx, c, nd)
		}

		// Implicates: unknown person or no giver refused, nothing written.
		refusedAction(t, s, caseroom.EINVALID, "implicates[1]", func() error {
			_, err := statement("V-0001", caseroom.NewDocument{Implicates: []string{f.suspect.ID, "per_nobody"}})
			return err
		})
		refusedAction(t, s, caseroom.EINVALID, "giver", func() error {
			_, err := s.DB.RegisterDocument(f.ctx, c, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "C", Text: "x", Implicates: []string{f.suspect.ID}})
			return err
		})
		s2, err := statement("V-0001", caseroom.NewDocument{Implicates: []string{f.suspect.ID}})
		if err != nil {
			t.Fatal(err)
		}
		links, err := s.DB.FindLinks(f.ctx, c, caseroom.LinkFilter{Type: "implicates"})
		if err != nil || len(links) != 1 || links[0].From != f.victim.ID || links[0].To != f.suspect.ID || links[0].SourceRef != s2.Ref {
			t.Fatalf("implicates links %+v, %v", links, err)
		}

		// Arrests: not a suspect, no grounds, a ground not of the case: refused.
		at := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
		arrest := func(na caseroom.NewArrest) error {
			if na.At == nil {
				na.At = &at
			}
			if na.By == "" {
				na.By = "lena"
			}
			_, err := s.DB.RecordArrest(f.ctx, c, na)
			return err
		}
		refusedAction(t, s, caseroom.EINVALID, "person", func() error { return arrest(caseroom.NewArrest{Person: bystander.ID, Grounds: []string{s2.Ref}}) })
		refusedAction(t, s, caseroom.EINVALID, "grounds", func() error { return arrest(caseroom.NewArrest{Person: f.suspect.ID}) })
		refusedAction(t, s, caseroom.EINVALID, "grounds[1]", func() error {
			return arrest(caseroom.NewArrest{Person: f.suspect.ID, Grounds: []string{s2.Ref, "S-99"}})
		})
		refusedAction(t, s, caseroom.EINVALID, "by", func() error {
			return arrest(caseroom.NewArrest{Person: f.suspect.ID, By: "nobody", Grounds: []string{s2.Ref}})
		})
		refusedAction(t, s, caseroom.EFORBIDDEN, "", func() error {
			_, err := s.DB.RecordArrest(as(f.exam), c, caseroom.NewArrest{Person: f.suspect.ID, At: &at, By: "lena", Grounds: []string{s2.Ref}})
			return err
		})
		ar, err := s.DB.RecordArrest(f.ctx, c, caseroom.NewArrest{Person: f.suspect.ID, At: &at, By: "lena", Place: "Chak 7", Grounds: []string{s2.Ref, "SB/1"}})
		if err != nil {
			t.Fatal(err)
		}
		if ar.Ref != "AR-1" || !ar.Due.Equal(at.Add(24*time.Hour)) || len(ar.Grounds) != 2 || ar.Grounds[1].Ref != "SB/1" {
			t.Fatalf("arrest %+v", ar)
		}

		// Retraction by someone else: refused, nothing written.
		refusedAction(t, s, caseroom.ECONFLICT, "retracts", func() error {
			_, err := statement(other.ID, caseroom.NewDocument{Retracts: s2.Ref, Circumstances: "Came with an officer."})
			return err
		})
		refusedAction(t, s, caseroom.EINVALID, "circumstances", func() error {
			_, err := statement("V-0001", caseroom.NewDocument{Retracts: s2.Ref})
			return err
		})
		before := s2.Text
		r, err := statement("V-0001", caseroom.NewDocument{Text: "I withdraw.", Retracts: s2.Ref, Circumstances: "Came with an officer.", RequestedBy: "imran",
			Present: []caseroom.Presence{{Person: bystander.ID, Capacity: "neighbour"}}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Retraction == nil || r.Retraction.Retracts != s2.Ref || r.Retraction.RequestedBy != "imran" {
			t.Fatalf("retraction %+v", r.Retraction)
		}
		refusedAction(t, s, caseroom.ECONFLICT, "retracts", func() error {
			_, err := statement("V-0001", caseroom.NewDocument{Retracts: s2.Ref, Circumstances: "Again."})
			return err
		})
		old, err := s.DB.FindDocument(f.ctx, c, s2.Ref)
		if err != nil || old.Text != before || !slices.Equal(old.RetractedBy, []string{r.Ref}) {
			t.Fatalf("retracted statement %+v, %v", old, err)
		}
		review, err := s.DB.FindAction(f.ctx, c, r.Retraction.Review)
		if err != nil || review.Title != "Independent review of retraction of "+s2.Ref+" (by "+r.Ref+")" || review.AllocatedTo != prot.Name || review.Kind != caseroom.ActionOther {
			t.Fatalf("review %+v, %v", review, err)
		}

		// After her retraction, the first victim names someone new.
		late := f.fixture.suspect("Late Suspect")
		if _, err := statement("V-0001", caseroom.NewDocument{Implicates: []string{late.ID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.Accountability(as(f.inv), c); caseroom.ErrorCode(err) != caseroom.EFORBIDDEN {
			t.Fatalf("investigator reads the report: %v", err)
		}
		rep, err := s.DB.Accountability(as(f.over), c)
		if err != nil {
			t.Fatal(err)
		}
		flags := map[string][]string{}
		for _, a := range rep.Suspects {
			flags[a.Person] = a.Flags
		}
		if got := flags[f.suspect.ID]; !slices.Equal(got, []string{caseroom.FlagSingleSource, caseroom.FlagGroundsRetracted}) {
			t.Errorf("suspect flags %v", got)
		}
		if got := flags[late.ID]; !slices.Equal(got, []string{caseroom.FlagSingleSource, caseroom.FlagNamedAfterRetraction}) {
			t.Errorf("late suspect flags %v", got)
		}
		var lena *caseroom.OfficerAccount
		for i := range rep.Officers {
			if rep.Officers[i].Officer == "lena" {
				lena = &rep.Officers[i]
			}
		}
		if lena == nil || lena.StatementsTaken != 4 || lena.Retracted != 1 || lena.RetractionsTaken != 1 {
			t.Errorf("officers %+v", rep.Officers)
		}
	})
}
