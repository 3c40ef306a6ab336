package caseroom

import "context"

// CaseSummary counts what a case holds, for the team's daily briefing.
type CaseSummary struct {
	CaseID string `json:"caseId"`
	// Complaints counts the complaints registered (corrections not counted again).
	Complaints int64 `json:"complaints"`
	// VictimsCameForward counts distinct victims who gave a complaint or a statement.
	VictimsCameForward int64 `json:"victimsCameForward"`
	// Statements counts statements (corrections not counted again) by the kind of
	// their giver.
	Statements StatementCounts `json:"statements"`
	// Suspects counts the persons with the role suspect.
	Suspects int64 `json:"suspects"`
	// Arrested counts distinct persons arrested.
	Arrested int64 `json:"arrested"`
	// MedicalExaminations counts medical-examination actions and their consents.
	MedicalExaminations MedicalExaminationCounts `json:"medicalExaminations"`
	// Exhibits counts the exhibits registered.
	Exhibits int64 `json:"exhibits"`
	// Media is the media summary of the case.
	Media MediaSummary `json:"media"`
	// OpenActions counts the actions raised and allocated, by state.
	OpenActions map[ActionState]int64 `json:"openActions"`
	// OverdueClocks counts the deadline clocks past due.
	OverdueClocks int64 `json:"overdueClocks"`
}

// StatementCounts counts statements by the kind of their giver, judged from the
// giver's roles in this order: victim, witness, suspect; any other giver, or none,
// is other.
type StatementCounts struct {
	Total   int64 `json:"total"`
	Victim  int64 `json:"victim"`
	Witness int64 `json:"witness"`
	Suspect int64 `json:"suspect"`
	Other   int64 `json:"other"`
}

// MedicalExaminationCounts counts a case's medical-examination actions.
type MedicalExaminationCounts struct {
	// Ordered counts every medical-examination action raised, cancelled ones included.
	Ordered int64 `json:"ordered"`
	// Consented counts those with every required consent given (as resulting needs).
	Consented int64 `json:"consented"`
	// Done counts those resulted (or resulted and filed).
	Done int64 `json:"done"`
	// Refused counts those where the latest answer of a required party (the person,
	// or for a minor a parent or guardian) is a refusal.
	Refused int64 `json:"refused"`
}

// SummaryService counts what a case holds.
type SummaryService interface {
	// Summary returns the case's counts. Returns ENOTFOUND for a case the actor is
	// not a member of, EFORBIDDEN for an advocate.
	Summary(ctx context.Context, caseID string) (*CaseSummary, error)
}
