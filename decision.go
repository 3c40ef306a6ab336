package caseroom

import (
	"context"
	"time"
)

// Decision is an entry of the lead's decision log: what the senior investigating
// officer decided and why. The log is append-only; a changed mind is a new decision.
type Decision struct {
	ID        string    `json:"id"`
	CaseID    string    `json:"caseId"`
	Number    int       `json:"number"` // 1, 2, ... in the case
	Decision  string    `json:"decision"`
	Rationale string    `json:"rationale"`
	DecidedBy string    `json:"decidedBy"`
	DecidedAt time.Time `json:"decidedAt"`
}

// NewDecision is what recording a decision takes; the author and time are the
// server's.
type NewDecision struct {
	Decision  string `json:"decision"`
	Rationale string `json:"rationale"`
}

// DecisionService keeps the lead's decision log. Only the lead records; the lead, the
// prosecutor and oversight read.
type DecisionService interface {
	// RecordDecision appends a decision to the case's log. Returns EINVALID naming a
	// missing field, EFORBIDDEN unless the actor is the case's lead, ENOTFOUND for an
	// unknown case.
	RecordDecision(ctx context.Context, caseID string, nd NewDecision) (*Decision, error)
	// FindDecisions lists the case's decisions, oldest first. Returns EFORBIDDEN unless
	// the actor is the lead, a prosecutor or oversight.
	FindDecisions(ctx context.Context, caseID string) ([]*Decision, error)
}

// CanReadDecisions reports whether the role reads the lead's decision log: the lead,
// the prosecutor and oversight.
func (r Role) CanReadDecisions() bool {
	return r == RoleLead || r == RoleProsecutor || r == RoleOversight
}
