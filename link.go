package caseroom

import (
	"context"
	"time"
)

// EntityKind is the kind of record a link may join or cite.
type EntityKind string

// The kinds of entity.
const (
	EntityPerson       EntityKind = "person"
	EntityOrganisation EntityKind = "organisation"
	EntityLocation     EntityKind = "location"
	EntityIdentifier   EntityKind = "identifier"
	EntityDocument     EntityKind = "document"
	EntityExhibit      EntityKind = "exhibit"
	EntityMedia        EntityKind = "media" // a file found in an exhibit; cited by arrests
)

// LinkType is the type of a relation between two entities.
type LinkType string

// LinkTypes lists the relation types a link may have.
var LinkTypes = []LinkType{
	"knows", "related_to", "parent_of", "guardian_of", "member_of", "employed_by",
	"lives_at", "located_at", "owns", "uses_identifier", "paid", "called", "messaged",
	"met", "extorted", "sold_to", "bought_from", "abused", "filmed", "appears_in",
	"implicates", "represents", "same_as", "mentions",
}

// Valid reports whether t is one of LinkTypes.
func (t LinkType) Valid() bool {
	for _, x := range LinkTypes {
		if t == x {
			return true
		}
	}
	return false
}

// Link is a typed, dated relation between two entities of a case, with the document or
// exhibit it comes from and a confidence between 0 and 1. Links are never changed: a
// correction or retraction is a new link naming the one it corrects, with a reason.
type Link struct {
	ID         string     `json:"id"`
	CaseID     string     `json:"caseId"`
	From       string     `json:"from"`
	FromKind   EntityKind `json:"fromKind"`
	FromLabel  string     `json:"fromLabel"`
	To         string     `json:"to"`
	ToKind     EntityKind `json:"toKind"`
	ToLabel    string     `json:"toLabel"`
	Type       LinkType   `json:"type"`
	Since      string     `json:"since,omitempty"`
	Until      string     `json:"until,omitempty"`
	Confidence float64    `json:"confidence"`
	Source     string     `json:"source"`
	SourceKind EntityKind `json:"sourceKind"`
	SourceRef  string     `json:"sourceRef"`
	Note       string     `json:"note,omitempty"`
	// Corrects is the id of an earlier link this one corrects; Retracted means this
	// record withdraws that link altogether.
	Corrects  string    `json:"corrects,omitempty"`
	Retracts  bool      `json:"retracts,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	CreatedBy string    `json:"createdBy"`
	CreatedAt time.Time `json:"createdAt"`
}

// NewLink is the input to RecordLink. From, To and Source take an id or a case
// reference (V-0007, S-12).
type NewLink struct {
	From       string   `json:"from"`
	To         string   `json:"to"`
	Type       LinkType `json:"type"`
	Since      string   `json:"since"`
	Until      string   `json:"until"`
	Confidence *float64 `json:"confidence"`
	Source     string   `json:"source"`
	Note       string   `json:"note"`
	Corrects   string   `json:"corrects"`
	Retracts   bool     `json:"retracts"`
	Reason     string   `json:"reason"`
}

// LinkFilter narrows FindLinks: links touching one entity, or of one type.
type LinkFilter struct {
	Entity string
	Type   LinkType
}

// LinkService records and reads links.
type LinkService interface {
	// RecordLink stores a link. Returns EINVALID naming the field when the source is
	// missing, the type unknown, the confidence outside [0,1], or an entity or the
	// source is not in the case (a medical report the actor may not read, see
	// Role.ReadsMedicalReports, counts as not in the case, and so does a link to be
	// corrected that the actor may not see); EFORBIDDEN for a `represents` link (or a
	// correction of one) by anyone but the lead, since it decides what an advocate sees.
	RecordLink(ctx context.Context, caseID string, nl NewLink) (*Link, error)

	// FindLinks lists a case's links in order of recording: to a member who does not
	// read medical reports, not the links whose source is one or that join one.
	// Returns EINVALID naming "entity" when the filter names nothing in the case (or a
	// medical report the member may not read).
	FindLinks(ctx context.Context, caseID string, f LinkFilter) ([]*Link, error)
}
