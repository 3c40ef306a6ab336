package caseroom

import (
	"context"
	"time"
)

// ContactKind is how a member was in contact with a victim or their family.
type ContactKind string

// The kinds of contact.
const (
	ContactVisit   ContactKind = "visit"
	ContactMeeting ContactKind = "meeting"
	ContactPhone   ContactKind = "phone"
	ContactMessage ContactKind = "message"
	ContactOther   ContactKind = "other"
)

// ContactKinds lists every kind of contact.
var ContactKinds = []ContactKind{ContactVisit, ContactMeeting, ContactPhone, ContactMessage, ContactOther}

// Contact is one entry of the victim-contact ledger: a member's contact with a victim
// of the case or with a parent, guardian or relative of one. A contact by a member
// with no open action concerning the victim raises an alert, recorded with the
// contact (pressure on victims to withdraw comes through such contacts).
type Contact struct {
	ID          string `json:"id"`
	CaseID      string `json:"caseId"`
	Ref         string `json:"ref"` // VC-1, VC-2... per case
	Person      string `json:"person"`
	PersonLabel string `json:"personLabel"`
	// Victims are the victims the contact concerns: the person, or the victims they
	// are a parent, guardian or relative of.
	Victims     []string    `json:"victims"`
	By          string      `json:"by"` // user name of the member in contact
	At          time.Time   `json:"at"`
	Kind        ContactKind `json:"kind"`
	Purpose     string      `json:"purpose"`
	Alert       bool        `json:"alert"`
	AlertReason string      `json:"alertReason,omitempty"`
	RecordedBy  string      `json:"recordedBy"`
	RecordedAt  time.Time   `json:"recordedAt"`
}

// NewContact is what recording a contact takes.
type NewContact struct {
	Person  string      `json:"person"` // a victim, or a parent, guardian or relative of one; id or pseudonym
	By      string      `json:"by"`     // a member, by user name
	At      *time.Time  `json:"at"`
	Kind    ContactKind `json:"kind"`
	Purpose string      `json:"purpose"`
}

// ContactFilter narrows FindContacts.
type ContactFilter struct {
	AlertsOnly bool
}

// ContactService keeps the victim-contact ledger. The recording roles (lead,
// investigator, indexer, protection) record contacts; the lead and oversight read them.
type ContactService interface {
	// RecordContact records a contact and whether it raises an alert. Returns EINVALID
	// naming the field: a person who is neither a victim of the case nor linked to one
	// (parent_of, guardian_of, related_to), a member unknown to the case, an unknown
	// kind, no purpose, a time missing or in the future; EFORBIDDEN for a role that
	// does not record.
	RecordContact(ctx context.Context, caseID string, nc NewContact) (*Contact, error)
	// FindContacts lists the case's contacts, oldest first. Returns EFORBIDDEN unless
	// the actor is the lead or oversight.
	FindContacts(ctx context.Context, caseID string, f ContactFilter) ([]*Contact, error)
}
