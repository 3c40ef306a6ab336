package caseroom

import (
	"context"
	"time"
)

// Case is an operation: the unit of need-to-know. Everything else belongs to one case.
type Case struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	TimeZone  string    `json:"timeZone"`
	CreatedBy string    `json:"createdBy"`
	CreatedAt time.Time `json:"createdAt"`
	// Role is the acting user's role in the case, filled in when read through a service.
	Role Role `json:"role,omitempty"`
}

// NewCase is the input to CreateCase.
type NewCase struct {
	Title string `json:"title"`
	// TimeZone is an IANA zone name in which the case's times are shown; default UTC.
	TimeZone string `json:"timeZone,omitempty"`
}

// Role is a member's role in one case.
type Role string

// The roles of a case.
const (
	RoleLead         Role = "lead"         // senior investigating officer
	RoleInvestigator Role = "investigator" // an officer of the team
	RoleIndexer      Role = "indexer"      // data entry
	RoleExaminer     Role = "examiner"     // examines seized media
	RoleMedical      Role = "medical"      // medical officer
	RoleProtection   Role = "protection"   // child-protection officer
	RoleProsecutor   Role = "prosecutor"
	RoleOversight    Role = "oversight" // the independent body: reads and audits
	RoleAdvocate     Role = "advocate"  // a victim's representative
)

// Roles lists every role in the order shown to users.
var Roles = []Role{RoleLead, RoleInvestigator, RoleIndexer, RoleExaminer, RoleMedical,
	RoleProtection, RoleProsecutor, RoleOversight, RoleAdvocate}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// CanRecord reports whether members with this role may register persons, documents,
// identifiers, organisations, locations and links.
func (r Role) CanRecord() bool {
	switch r {
	case RoleLead, RoleInvestigator, RoleIndexer, RoleProtection:
		return true
	}
	return false
}

// CanHandleExhibits reports whether the role registers exhibits, records their custody
// and ingests the files found in them: lead, investigator, indexer and examiner.
func (r Role) CanHandleExhibits() bool {
	switch r {
	case RoleLead, RoleInvestigator, RoleIndexer, RoleExaminer:
		return true
	}
	return false
}

// CanReadAll reports whether the role reads every record of the case (victims'
// identities withheld). An advocate reads only their clients' records.
func (r Role) CanReadAll() bool { return r != RoleAdvocate }

// CanManageMembers reports whether members with this role may add members or change roles.
func (r Role) CanManageMembers() bool { return r == RoleLead }

// CanSeeIdentities reports whether the role may see every victim's identity. The
// officer who recorded a person may also reveal that person's identity while their role
// can record (see Person.RecordedBy).
func (r Role) CanSeeIdentities() bool {
	switch r {
	case RoleLead, RoleProtection, RoleMedical:
		return true
	}
	return false
}

// Membership is a user's role in a case. A change of role is a new membership record;
// the latest one for a user is in force.
type Membership struct {
	ID     string `json:"id"`
	CaseID string `json:"caseId"`
	User   string `json:"user"`
	Role   Role   `json:"role"`
	// Person is the person record that stands for the member in the case, if any: for
	// an advocate, the representative whose `represents` links name their clients.
	Person  string    `json:"person,omitempty"`
	AddedBy string    `json:"addedBy"`
	AddedAt time.Time `json:"addedAt"`
}

// NewMembership is the input to AddMember.
type NewMembership struct {
	User string `json:"user"`
	Role Role   `json:"role"`
	// Person is the person record (id or reference) that stands for the member; an
	// advocate needs one to see their clients.
	Person string `json:"person"`
}

// CaseService manages cases and their members.
type CaseService interface {
	// CreateCase opens a new case; the acting user becomes its lead. Returns EINVALID
	// for a missing title or unknown time zone.
	CreateCase(ctx context.Context, nc NewCase) (*Case, error)

	// FindCases returns the cases the acting user is a member of, newest first.
	FindCases(ctx context.Context) ([]*Case, error)

	// FindCase returns a case the acting user is a member of. Returns ENOTFOUND if the
	// case does not exist or the user is not a member.
	FindCase(ctx context.Context, id string) (*Case, error)

	// AddMember gives a user a role in a case, or changes their role (a new membership
	// record; the old one stays). Only the case's lead or an administrator may do this.
	// Returns ENOTFOUND for an unknown case, EINVALID for an unknown user or role,
	// EFORBIDDEN if the actor may not manage members.
	AddMember(ctx context.Context, caseID string, nm NewMembership) (*Membership, error)

	// FindMembers returns the current members of a case with their roles.
	FindMembers(ctx context.Context, caseID string) ([]*Membership, error)
}
