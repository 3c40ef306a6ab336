package caseroom

import (
	"context"
	"time"
)

// DocumentKind is the kind of a registered document.
type DocumentKind string

// The kinds of document and the prefix of their case reference.
const (
	DocComplaint DocumentKind = "complaint" // a first information report: C-1
	DocStatement DocumentKind = "statement" // S-1
	DocReport    DocumentKind = "report"    // an officer's report: R-1
	DocMessage   DocumentKind = "message"   // M-1
	DocPress     DocumentKind = "press"     // a press report: P-1
	// DocMedicalReport is a medical officer's report (MR-1): restricted from the moment
	// it is registered, read only by the medical officers, the lead and the prosecutor
	// (see Role.ReadsMedicalReports), registered only by medical officers and the lead.
	DocMedicalReport DocumentKind = "medical-report"
)

// DocumentKinds lists every document kind.
var DocumentKinds = []DocumentKind{DocComplaint, DocStatement, DocReport, DocMessage, DocPress, DocMedicalReport}

// RefPrefix returns the prefix of the kind's case references ("S" for S-12), or "" if
// the kind is unknown.
func (k DocumentKind) RefPrefix() string {
	switch k {
	case DocComplaint:
		return "C"
	case DocStatement:
		return "S"
	case DocReport:
		return "R"
	case DocMessage:
		return "M"
	case DocPress:
		return "P"
	case DocMedicalReport:
		return "MR"
	}
	return ""
}

// ReadsMedicalReports reports whether the role reads medical reports (documents of
// kind medical-report, and any document that results a medical examination): the
// medical officers, the lead and the prosecutor. To anyone else such a document is as
// if it did not exist.
func (r Role) ReadsMedicalReports() bool {
	return r == RoleMedical || r == RoleLead || r == RoleProsecutor
}

// RegistersMedicalReports reports whether the role registers documents of kind
// medical-report: the medical officers and the lead.
func (r Role) RegistersMedicalReports() bool { return r == RoleMedical || r == RoleLead }

// Presence is someone present when a statement was taken, and in what capacity
// (guardian, appropriate adult, interpreter, female officer, lawyer...).
type Presence struct {
	Person   string `json:"person"`
	Label    string `json:"label,omitempty"`
	Capacity string `json:"capacity,omitempty"`
}

// UnmarshalJSON accepts a person reference as a plain string or a full object.
func (p *Presence) UnmarshalJSON(b []byte) error {
	type plain Presence
	var v plain
	err := unmarshalStringOrObject(b, &v.Person, &v)
	*p = Presence(v)
	return err
}

// Statement holds what is recorded about how a statement was taken.
type Statement struct {
	Giver      string    `json:"giver"`
	GiverLabel string    `json:"giverLabel,omitempty"`
	RecordedBy string    `json:"recordedBy"`
	RecordedAt time.Time `json:"recordedAt"`
	Place      string    `json:"place,omitempty"`
	Language   string    `json:"language,omitempty"`
	// Interpreter is the person who interpreted, if any.
	Interpreter string     `json:"interpreter,omitempty"`
	Method      string     `json:"method,omitempty"` // written, audio, video
	Present     []Presence `json:"present"`
	// SafeguardFlags lists the safeguards the statement missed under the case's rules
	// in force when it was recorded; computed when read, never stored.
	SafeguardFlags []SafeguardFlag `json:"safeguardFlags,omitempty"`
}

// Document is a registered complaint, statement, report, message, press report or
// medical report. It is immutable: a correction is a new document that names the one
// it corrects.
type Document struct {
	ID     string       `json:"id"`
	CaseID string       `json:"caseId"`
	Ref    string       `json:"ref"`
	Kind   DocumentKind `json:"kind"`
	Title  string       `json:"title"`
	Text   string       `json:"text"`
	// ExternalRef is a number given outside Caseroom, such as an FIR number.
	ExternalRef string `json:"externalRef,omitempty"`
	// Corrects is the reference of an earlier document this one corrects, with the reason.
	Corrects         string     `json:"corrects,omitempty"`
	CorrectionReason string     `json:"correctionReason,omitempty"`
	Statement        *Statement `json:"statement,omitempty"`
	RegisteredBy     string     `json:"registeredBy"`
	RegisteredAt     time.Time  `json:"registeredAt"`
	// CorrectedBy lists the references of later documents that correct this one.
	CorrectedBy []string `json:"correctedBy"`
	// SHA256 is the hex SHA-256 of Text, so a printed copy can be checked.
	SHA256 string `json:"sha256"`
	// Retraction is set on a statement that withdraws an earlier one.
	Retraction *Retraction `json:"retraction,omitempty"`
	// RetractedBy lists the references of later statements that withdraw this one.
	RetractedBy []string `json:"retractedBy,omitempty"`
}

// Retraction records that a statement withdraws an earlier statement by the same
// giver, in what circumstances and at whose request. The earlier statement is never
// changed.
type Retraction struct {
	Retracts      string `json:"retracts"` // the withdrawn statement's reference
	Circumstances string `json:"circumstances"`
	// RequestedBy is who asked for the retraction: a person of the case (id) or a
	// member (user name), if known.
	RequestedBy string `json:"requestedBy,omitempty"`
	// Review is the reference of the action raised to review the retraction
	// independently.
	Review string `json:"review"`
}

// NewDocument is the input to RegisterDocument. Statement fields are required only for
// statements: the giver and the time it was recorded.
type NewDocument struct {
	Kind             DocumentKind `json:"kind"`
	Ref              string       `json:"ref"`
	Title            string       `json:"title"`
	Text             string       `json:"text"`
	ExternalRef      string       `json:"externalRef"`
	Corrects         string       `json:"corrects"`
	CorrectionReason string       `json:"correctionReason"`

	Giver       string     `json:"giver"`
	RecordedBy  string     `json:"recordedBy"`
	RecordedAt  *time.Time `json:"recordedAt"`
	Place       string     `json:"place"`
	Language    string     `json:"language"`
	Interpreter string     `json:"interpreter"`
	Method      string     `json:"method"`
	Present     []Presence `json:"present"`

	// Implicates names the persons a statement or complaint implicates; each becomes
	// a link of type implicates from the giver, sourced to the document.
	Implicates []string `json:"implicates,omitempty"`
	// Retracts names an earlier statement by the same giver that this one withdraws,
	// with the circumstances and who requested it (a person or a member's user name).
	Retracts      string `json:"retracts,omitempty"`
	Circumstances string `json:"circumstances,omitempty"`
	RequestedBy   string `json:"requestedBy,omitempty"`
}

// DocumentFilter narrows FindDocuments.
type DocumentFilter struct {
	Kind DocumentKind
}

// DocumentService registers and reads documents.
type DocumentService interface {
	// RegisterDocument numbers the document in its case by kind (S-12) and stores it
	// for good. A given Ref must have the kind's prefix and be unused. Returns
	// EINVALID naming the field, ECONFLICT for a reference already used, ENOTFOUND
	// for an unknown case, EFORBIDDEN if the actor may not record.
	RegisterDocument(ctx context.Context, caseID string, nd NewDocument) (*Document, error)

	// FindDocuments lists a case's documents in order of registration.
	FindDocuments(ctx context.Context, caseID string, f DocumentFilter) ([]*Document, error)

	// FindDocument returns a document by id or reference. Returns ENOTFOUND if absent.
	FindDocument(ctx context.Context, caseID, ref string) (*Document, error)
}
