package demo

import (
	"context"
	"time"

	"caseroom"
)

// The morning's state of the case: the lead's decisions, actions in every state (one
// past due), medical examinations with the consents given, refused or objected to,
// arrests (one produced in time, one produced late, one whose production clock is
// running) and the victim-contact ledger (one contact raising an alert).
//
// Actions, decisions and consents take the server's time when they are recorded, so
// they are dated the moment the demo starts; the times this file gives (action due
// times, the latest arrest, contacts) are counted from sd.now, so that the clocks read
// the same whenever the demo is started: the production clock of AR-3 runs for about
// 19 more hours, the medical examinations' clocks for 72, and A-5 is a few hours past
// due. The two earlier arrests, made in the first week of November as the officers'
// statements tell, were produced before a magistrate and run no clock.

// as returns the context of the demo user holding role.
func (sd *seeder) as(role caseroom.Role) context.Context {
	return caseroom.NewContextWithUser(sd.base, sd.users[role])
}

// step runs one call of the morning's state, keeping the first error as seed does;
// what names the record for the error.
func step[T any](sd *seeder, what string, call func() (T, error)) T {
	var zero T
	if sd.err != nil {
		return zero
	}
	v, err := call()
	if err != nil {
		sd.fail("%s: %w", what, err)
		return zero
	}
	return v
}

// raise raises an action as the lead and, if to is not "", allocates it.
func (sd *seeder) raise(na caseroom.NewAction, to caseroom.Role) *caseroom.Action {
	a := step(sd, "raise action "+na.Title, func() (*caseroom.Action, error) { return sd.s.RaiseAction(sd.ctx, sd.caseID, na) })
	if a != nil && to != "" {
		step(sd, "allocate "+a.Ref, func() (*caseroom.Action, error) {
			return sd.s.AllocateAction(sd.ctx, sd.caseID, a.Ref, caseroom.ActionAllocation{To: demoUsers[to]})
		})
	}
	return a
}

func (sd *seeder) decisions() {
	for _, nd := range []caseroom.NewDecision{
		{Decision: "Medical examinations of the victims go ahead only with the written consent of the victim and of a parent or guardian.",
			Rationale: "The victims are minors. Their representatives have asked that the families be advised before any examination."},
		{Decision: "Every contact with a victim or a victim's family is made by the protection officer or by an officer holding an action about that victim, and is entered in the contact ledger.",
			Rationale: "The representatives say that families were pressed to withdraw their complaints. Contacts outside an action are to be visible to oversight."},
		{Decision: "No suspect is charged on the word of a single witness; the prosecutor reviews each arrest that rests on one statement.",
			Rationale: "The representatives say that some men were named who had nothing to do with the matter."},
	} {
		step(sd, "decision", func() (*caseroom.Decision, error) { return sd.s.RecordDecision(sd.ctx, sd.caseID, nd) })
	}
}

// consent records an answer to a medical examination as the lead.
func (sd *seeder) consent(a *caseroom.Action, person, by string, given bool, note string) {
	if a == nil {
		return
	}
	step(sd, "consent on "+a.Ref, func() (*caseroom.Action, error) {
		return sd.s.RecordConsent(sd.ctx, sd.caseID, a.Ref, caseroom.NewConsent{Person: person, By: by, Given: &given, Note: note})
	})
}

// medicalExaminations raises examinations for three of the ten victims the report asks
// them for: V-0001's is consented and done, with the medical officer's report (MR-1);
// V-0003 consented, the representative objects and the parent has not yet answered;
// V-0005's parent asked for more time (a refusal for now).
func (sd *seeder) medicalExaminations() {
	if sd.err != nil || sd.examsRequested == nil {
		return
	}
	exam := func(v int, to caseroom.Role) *caseroom.Action {
		p := sd.victims[v].person.Pseudonym
		return sd.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Title: "Medical examination of " + p,
			RaisedFrom: sd.examsRequested.Ref, Subjects: []string{p}, Priority: caseroom.PriorityHigh}, to)
	}
	v1, v3, v5 := sd.victims[0].person.Pseudonym, sd.victims[2].person.Pseudonym, sd.victims[4].person.Pseudonym
	done := exam(0, caseroom.RoleMedical)
	sd.consent(done, v1, v1, true, "Consent given in writing at the station.")
	sd.consent(done, v1, sd.guardians[0].ID, true, "Written consent of the parent, who was present throughout.")
	report := step(sd, "medical report", func() (*caseroom.Document, error) {
		return sd.s.RegisterDocument(sd.as(caseroom.RoleMedical), sd.caseID, caseroom.NewDocument{
			Kind:  caseroom.DocMedicalReport,
			Title: "Medical examination of " + v1,
			Text: "The examination of " + v1 + " was carried out with the written consent of the child and of a parent, " +
				"in the parent's presence, at the district hospital. The findings are recorded on the standard form held by the medical officer.",
		})
	})
	if report != nil && done != nil {
		step(sd, "result "+done.Ref, func() (*caseroom.Action, error) {
			return sd.s.ResultAction(sd.as(caseroom.RoleMedical), sd.caseID, done.Ref, caseroom.ActionResultInput{Document: report.Ref})
		})
	}
	waiting := exam(2, caseroom.RoleMedical)
	sd.consent(waiting, v3, v3, true, "Consent given in writing at the station.")
	if rep := sd.representative; rep != nil {
		sd.consent(waiting, v3, rep.ID, false, "The representative asks that the family be advised before the examination.")
	}
	refused := exam(4, "")
	sd.consent(refused, v5, sd.guardians[4].ID, false, "The family asks for more time before deciding.")
}

// actions raises the day's other lines of enquiry, in every state.
func (sd *seeder) actions() {
	if sd.err != nil {
		return
	}
	inTwoDays, tomorrow, pastDue := sd.now.Add(48*time.Hour), sd.now.Add(24*time.Hour), sd.now.Add(-3*time.Hour)
	sd.raise(caseroom.NewAction{Kind: caseroom.ActionRecordStatement, Title: "Record the statement of the shopkeeper next to the Roshan Video Centre",
		RaisedFrom: "R-1", Due: &inTwoDays}, caseroom.RoleInvestigator)
	// Entered from the paper action book, where it fell due this morning.
	sd.raise(caseroom.NewAction{Kind: caseroom.ActionTraceIdentifier, Title: "Trace the subscriber of the phone of the man known as 'Mithu'",
		Subjects: []string{sd.suspects[13].ID}, Priority: caseroom.PriorityUrgent, Due: &pastDue}, caseroom.RoleExaminer)
	examined := sd.raise(caseroom.NewAction{Kind: caseroom.ActionExamineExhibit, Title: "List and hash the files on the desktop computer SB/3",
		Subjects: []string{"SB/3"}}, caseroom.RoleExaminer)
	listing := sd.register("report", caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Forensic examination of SB/3",
		Text: "The desktop computer SB/3 was imaged under seal at the laboratory. The files were listed and hashed; none was opened. The list is kept with the image."})
	if examined != nil && listing != nil {
		step(sd, "result "+examined.Ref, func() (*caseroom.Action, error) {
			return sd.s.ResultAction(sd.as(caseroom.RoleExaminer), sd.caseID, examined.Ref, caseroom.ActionResultInput{Document: listing.Ref})
		})
		step(sd, "file "+examined.Ref, func() (*caseroom.Action, error) { return sd.s.FileAction(sd.ctx, sd.caseID, examined.Ref) })
	}
	sd.raise(caseroom.NewAction{Kind: caseroom.ActionSearch, Title: "Search the back room of the Roshan Video Centre",
		Subjects: []string{sd.suspects[7].ID}, Priority: caseroom.PriorityHigh}, "")
	dup := sd.raise(caseroom.NewAction{Kind: caseroom.ActionIdentifyVictim, Title: "Identify the boy the control room message mentions"}, "")
	if dup != nil {
		step(sd, "cancel "+dup.Ref, func() (*caseroom.Action, error) {
			return sd.s.CancelAction(sd.ctx, sd.caseID, dup.Ref, caseroom.ActionReason{Reason: "He is a victim registered already; no new identification is needed."})
		})
	}
	sd.raise(caseroom.NewAction{Kind: caseroom.ActionOther, Title: "Welfare visit to the family of " + sd.victims[3].person.Pseudonym,
		Subjects: []string{sd.victims[3].person.Pseudonym}, Due: &tomorrow}, caseroom.RoleProtection)
}

// arrests records three arrests with their grounds: Tariq Mehmood's, produced the next
// morning; Kamran Yousaf Virk's, produced late; Rizwan Latif's this morning, on one
// statement, whose production clock runs.
func (sd *seeder) arrests() {
	if sd.err != nil {
		return
	}
	court := "Judicial Magistrate, Qandeelabad (fictional)"
	arrest := func(suspect int, at time.Time, by caseroom.Role, place string, grounds ...string) *caseroom.Arrest {
		return step(sd, "arrest of "+suspectLabel(suspect), func() (*caseroom.Arrest, error) {
			return sd.s.RecordArrest(sd.ctx, sd.caseID, caseroom.NewArrest{Person: sd.suspects[suspect].ID, At: &at, By: demoUsers[by],
				Place: place, Grounds: grounds})
		})
	}
	produce := func(a *caseroom.Arrest, after time.Duration, outcome caseroom.ProductionOutcome, by caseroom.Role) {
		if a == nil {
			return
		}
		at := a.At.Add(after)
		step(sd, "production of "+a.Ref, func() (*caseroom.Arrest, error) {
			return sd.s.RecordProduction(sd.ctx, sd.caseID, a.Ref, caseroom.NewProduction{At: &at, Court: court, Outcome: outcome, By: demoUsers[by]})
		})
	}
	first := arrest(0, time.Date(2026, time.November, 4, 6, 30, 0, 0, time.UTC), caseroom.RoleInvestigator,
		"His house in "+villageSpecs[suspectSpecs[0].village].name, sd.complaintNaming(0).Ref, sd.statements[0].Ref, "SB/2")
	produce(first, 20*time.Hour, caseroom.ProductionRemanded, caseroom.RoleInvestigator)
	second := arrest(7, time.Date(2026, time.November, 9, 8, 0, 0, 0, time.UTC), caseroom.RoleLead,
		"Roshan Video Centre, Chak Anarkot bazaar", sd.complaintNaming(7).Ref, sd.statements[7].Ref)
	produce(second, 27*time.Hour, caseroom.ProductionBailed, caseroom.RoleLead)
	arrest(10, sd.now.Add(-5*time.Hour), caseroom.RoleInvestigator, "Bus stand, "+villageSpecs[suspectSpecs[10].village].name, sd.statements[10].Ref)
}

// contacts fills the contact ledger: three contacts by members holding an action about
// the victim, and one by an officer who holds none, which raises an alert.
func (sd *seeder) contacts() {
	if sd.err != nil {
		return
	}
	contact := func(v int, by caseroom.Role, ago time.Duration, kind caseroom.ContactKind, purpose string) {
		at := sd.now.Add(-ago)
		step(sd, "contact with the family of "+sd.victims[v].person.Pseudonym, func() (*caseroom.Contact, error) {
			return sd.s.RecordContact(sd.ctx, sd.caseID, caseroom.NewContact{Person: sd.guardians[sd.victims[v].guardian].ID,
				By: demoUsers[by], At: &at, Kind: kind, Purpose: purpose})
		})
	}
	contact(2, caseroom.RoleMedical, 3*time.Hour, caseroom.ContactPhone, "Arranged a time for the medical examination.")
	contact(3, caseroom.RoleProtection, 2*time.Hour, caseroom.ContactVisit, "Welfare visit to the family at home.")
	contact(4, caseroom.RoleLead, 20*time.Hour, caseroom.ContactMeeting, "Explained the medical examination and the consent form; the family asked for more time.")
	contact(6, caseroom.RoleInvestigator, 26*time.Hour, caseroom.ContactVisit, "Visited the family at home to go over the complaint.")
}
