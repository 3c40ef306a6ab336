package caseroom

import (
	"context"
	"time"
)

// TimelineKind is the kind of a dated record on a case's timeline.
type TimelineKind string

// The kinds of timeline entry.
const (
	TimelineComplaint     TimelineKind = "complaint"      // a complaint, when made
	TimelineStatement     TimelineKind = "statement"      // a statement, when taken
	TimelineDocument      TimelineKind = "document"       // another document, when registered
	TimelineRetraction    TimelineKind = "retraction"     // a retraction of a statement
	TimelineAction        TimelineKind = "action"         // an action raised
	TimelineActionStep    TimelineKind = "action-step"    // an action allocated, resulted, closed...
	TimelineDecision      TimelineKind = "decision"       // a policy decision
	TimelineArrest        TimelineKind = "arrest"         // an arrest
	TimelineProduction    TimelineKind = "production"     // an arrested person produced before a magistrate
	TimelineCustody       TimelineKind = "custody"        // a custody event of an exhibit (seizure included)
	TimelineMedia         TimelineKind = "media"          // a seized file's creation time, as its metadata says
	TimelinePayment       TimelineKind = "payment"        // a payment
	TimelineCommunication TimelineKind = "communication"  // a call, message or contact
	TimelineContact       TimelineKind = "victim-contact" // a member's contact with a victim or family
)

// TimelineKinds lists every kind of timeline entry.
var TimelineKinds = []TimelineKind{TimelineComplaint, TimelineStatement, TimelineDocument, TimelineRetraction,
	TimelineAction, TimelineActionStep, TimelineDecision, TimelineArrest, TimelineProduction, TimelineCustody,
	TimelineMedia, TimelinePayment, TimelineCommunication, TimelineContact}

// TimelineEntry is one dated record of a case. Entries are ordered by Time, then Kind,
// then ID; an entry known only to a day, month or year (Precision) is placed at the
// start of that period.
type TimelineEntry struct {
	Time time.Time `json:"time"`
	// Precision is "time", "day", "month" or "year".
	Precision string       `json:"precision"`
	Kind      TimelineKind `json:"kind"`
	ID        string       `json:"id"`
	Ref       string       `json:"ref,omitempty"`
	// Summary says what happened, victims by pseudonym unless the reader may see them.
	Summary string `json:"summary"`
	// Persons are the persons the entry concerns.
	Persons []Party `json:"persons,omitempty"`
	// Link is the path of the record's page in the web UI or, where it has none,
	// of its API route.
	Link string `json:"link"`
}

// TimelineFilter narrows Timeline. After is the cursor of the last entry of the
// previous page (TimelinePage.Next); Limit is 1..1000, default 100.
type TimelineFilter struct {
	Person string
	From   *time.Time
	To     *time.Time
	Kinds  []TimelineKind
	After  string
	Limit  int
}

// TimelinePage is one page of a timeline.
type TimelinePage struct {
	CaseID  string          `json:"caseId"`
	Entries []TimelineEntry `json:"entries"`
	// Next is the cursor for the next page, empty on the last.
	Next string `json:"next,omitempty"`
}

// TimelineService reads a case's timeline.
type TimelineService interface {
	// Timeline lists the case's dated records (or those concerning one person) in
	// time order, each as its reader may see it: an advocate sees only their clients'
	// entries, medical reports appear only to those who read them, victims by
	// pseudonym. Returns EINVALID for an unknown kind, a bad cursor or limit, or a
	// person not in the case.
	Timeline(ctx context.Context, caseID string, f TimelineFilter) (*TimelinePage, error)
}
