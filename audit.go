package caseroom

import (
	"context"
	"time"
)

// AuditEntry records one change or one sensitive read: who did what to which object in
// which case, and the SHA-256 of the object's canonical state after the change. Entries
// are numbered densely from 0 in the order they were committed.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	ObjectKind string    `json:"objectKind"`
	ObjectID   string    `json:"objectId"`
	CaseID     string    `json:"caseId,omitempty"`
	StateHash  string    `json:"stateHash"`
	// Restricted is set, and Actor, ObjectID and StateHash left empty, when the entry
	// is about a medical report (or a link that cites or joins one) and the reader's
	// role does not read medical reports.
	Restricted bool `json:"restricted,omitempty"`
}

// AuditFilter narrows FindAuditEntries.
type AuditFilter struct {
	CaseID string
	After  int64 // entries with Seq > After; -1 for all (entry 0 is the first)
	Limit  int
}

// AuditService reads the audit log.
type AuditService interface {
	// FindAuditEntries returns entries in order. Reading a case's entries needs the
	// lead, prosecutor or oversight role; the whole log needs an administrator. A
	// case's entries about medical reports are Restricted for a role that does not
	// read them.
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	// AddWitness registers a witness by its cosignature verifier key, so that the log
	// keeps and serves its cosignatures. Returns EFORBIDDEN unless the actor is an
	// administrator, EINVALID for a key that is not an Ed25519 cosignature vkey,
	// ECONFLICT if a witness of that name is registered.
	AddWitness(ctx context.Context, key string) (*Witness, error)
	// Witnesses lists the registered witnesses.
	Witnesses(ctx context.Context) ([]*Witness, error)
}

// Witness is an outside party registered to cosign the audit log's checkpoints: a court,
// the oversight body, the victims' lawyers. Its key is a C2SP vkey for Ed25519
// cosignatures (name+keyid+base64(0x04||public key)).
type Witness struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Key     string    `json:"key"`
	AddedBy string    `json:"addedBy"`
	AddedAt time.Time `json:"addedAt"`
}
