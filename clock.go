package caseroom

import (
	"context"
	"time"
)

// MedicalExaminationWithin is how long after a medical examination is raised it should
// be resulted: the default clock of a medical examination (evidence of a sexual
// offence fades within days).
const MedicalExaminationWithin = 72 * time.Hour

// EarliestTime is the earliest time or date a record may give (when something
// happened, a due time, a date of birth, a link's since and until): 1900-01-01 UTC.
// Nothing a case records happened earlier; an earlier time is a slip (a year typed as
// 0202, a time left at its zero value).
var EarliestTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// DueWithinYears is how many years ahead of now an action's due time may lie; a later
// one is a slip (the year 9999).
const DueWithinYears = 10

// ClockKind is what a deadline clock runs for.
type ClockKind string

// The kinds of deadline clock.
const (
	// ClockProduction: an arrested person is to be produced before a magistrate by the
	// arrest's due time (ProductionWithin after the arrest). Recording the production
	// stops it.
	ClockProduction ClockKind = "arrest-production"
	// ClockMedicalExamination: a medical examination, while raised or allocated, is to
	// be resulted within MedicalExaminationWithin of being raised.
	ClockMedicalExamination ClockKind = "medical-examination"
	// ClockActionDue: an action with a due time, while raised or allocated.
	ClockActionDue ClockKind = "action-due"
)

// Clock is one running deadline of a case.
type Clock struct {
	Kind    ClockKind `json:"kind"`
	Ref     string    `json:"ref"`     // the arrest's or action's reference: AR-1, A-3
	Subject string    `json:"subject"` // who or what it concerns, as shown elsewhere
	Due     time.Time `json:"due"`
	// Overdue is whether Due had passed by the server's clock when it was read.
	Overdue bool `json:"overdue"`
}

// ClockService reads a case's deadline clocks.
type ClockService interface {
	// Clocks lists the case's running clocks, earliest due first. Returns EFORBIDDEN
	// unless the actor is the lead, a prosecutor, oversight or an investigator.
	Clocks(ctx context.Context, caseID string) ([]Clock, error)
}
