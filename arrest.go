package caseroom

import (
	"context"
	"time"
)

// ProductionWithin is how long after an arrest the arrested person must be produced
// before a magistrate: the arrest's clock.
const ProductionWithin = 24 * time.Hour

// Arrest is the arrest of a suspect of the case, with the records it rests on. Each
// arrest starts a clock: the person must be produced before a magistrate by Due.
type Arrest struct {
	ID          string         `json:"id"`
	CaseID      string         `json:"caseId"`
	Ref         string         `json:"ref"` // AR-1, AR-2... per case
	Person      string         `json:"person"`
	PersonLabel string         `json:"personLabel"`
	At          time.Time      `json:"at"`
	By          string         `json:"by"` // user name of the arresting officer
	Place       string         `json:"place"`
	Grounds     []ArrestGround `json:"grounds"`
	// RestrictedGrounds counts the grounds left out of Grounds because they are medical
	// reports and the reader's role does not read medical reports
	// (Role.ReadsMedicalReports).
	RestrictedGrounds int       `json:"restrictedGrounds,omitempty"`
	Due               time.Time `json:"due"` // production before a magistrate
	RecordedBy        string    `json:"recordedBy"`
	RecordedAt        time.Time `json:"recordedAt"`
	// ProducedAt is when the person was produced before a magistrate, once recorded;
	// it stops the arrest's clock. Production holds the record.
	ProducedAt *time.Time  `json:"producedAt,omitempty"`
	Production *Production `json:"production,omitempty"`
}

// ProductionOutcome is what the magistrate ordered when an arrested person was produced.
type ProductionOutcome string

// The outcomes of a production before a magistrate.
const (
	// ProductionRemanded: remanded into police or judicial custody.
	ProductionRemanded ProductionOutcome = "remanded"
	// ProductionBailed: released on bail.
	ProductionBailed ProductionOutcome = "bailed"
	// ProductionReleased: released without bail (discharged).
	ProductionReleased ProductionOutcome = "released"
	// ProductionOther: any other order; say which in the court's record.
	ProductionOther ProductionOutcome = "other"
)

// ProductionOutcomes lists the valid outcomes, in the order they are offered.
var ProductionOutcomes = []ProductionOutcome{ProductionRemanded, ProductionBailed, ProductionReleased, ProductionOther}

// Valid reports whether o is one of ProductionOutcomes.
func (o ProductionOutcome) Valid() bool {
	for _, v := range ProductionOutcomes {
		if o == v {
			return true
		}
	}
	return false
}

// Production is the record that an arrested person was produced before a magistrate.
type Production struct {
	At      time.Time         `json:"at"`
	Court   string            `json:"court"`
	Outcome ProductionOutcome `json:"outcome"`
	By      string            `json:"by"` // user name of the officer who produced the person
	// Late is whether the production came after the arrest's due time.
	Late       bool      `json:"late"`
	RecordedBy string    `json:"recordedBy"`
	RecordedAt time.Time `json:"recordedAt"`
}

// NewProduction is what recording a production takes.
type NewProduction struct {
	At      *time.Time        `json:"at"`
	Court   string            `json:"court"`
	Outcome ProductionOutcome `json:"outcome"` // remanded, bailed, released or other
	By      string            `json:"by"`      // a member, by user name
}

// ArrestGround is a document, exhibit or media record an arrest cites.
type ArrestGround struct {
	ID   string     `json:"id"`
	Kind EntityKind `json:"kind"` // document, exhibit or media
	Ref  string     `json:"ref"`  // S-12, SB/3, or the media record's path
}

// NewArrest is what recording an arrest takes.
type NewArrest struct {
	Person  string     `json:"person"` // a suspect of the case, id or reference
	At      *time.Time `json:"at"`
	By      string     `json:"by"` // a member, by user name
	Place   string     `json:"place"`
	Grounds []string   `json:"grounds"` // documents (S-12), exhibits (SB/3) or media records, id or reference
}

// ArrestService records arrests. The recording roles (lead, investigator, indexer,
// protection) record; every member but an advocate reads.
type ArrestService interface {
	// RecordArrest records an arrest and starts its production clock. Returns
	// EINVALID naming the field: a person who is not a suspect of the case, no
	// grounds, a ground that is not a document, exhibit or media record of the case,
	// an arresting officer who is not a member; EFORBIDDEN for a role that does not
	// record.
	RecordArrest(ctx context.Context, caseID string, na NewArrest) (*Arrest, error)
	// RecordProduction records that the person arrested (arrest: id or AR-n) was
	// produced before a magistrate, which stops the arrest's clock, and returns the
	// arrest. Returns ENOTFOUND if the arrest does not exist; EINVALID naming the
	// field: no time, a time before the arrest or in the future, no court, an unknown
	// outcome, an officer who is not a member; ECONFLICT if the arrest's production is
	// already recorded; EFORBIDDEN for a role that does not record.
	RecordProduction(ctx context.Context, caseID, arrest string, np NewProduction) (*Arrest, error)
	// FindArrests lists the case's arrests, oldest first.
	FindArrests(ctx context.Context, caseID string) ([]*Arrest, error)
}

// The flags of the accountability report.
const (
	// FlagSingleSource: fewer than two independent sources implicate the suspect.
	FlagSingleSource = "single-source"
	// FlagGroundsRetracted: a statement an arrest rests on was later retracted.
	FlagGroundsRetracted = "grounds-retracted"
	// FlagNamedAfterRetraction: the suspect was first named by someone after that
	// person had retracted an earlier statement.
	FlagNamedAfterRetraction = "named-after-retraction"
)

// AccountabilityReport answers the victims' representatives: on what each suspect's
// implication rests, and what each recording officer's statements became.
type AccountabilityReport struct {
	CaseID   string           `json:"caseId"`
	Suspects []SuspectAccount `json:"suspects"`
	Officers []OfficerAccount `json:"officers"`
	// ContactAlerts lists the contacts with victims or their families that raised an
	// alert, oldest first.
	ContactAlerts []*Contact `json:"contactAlerts"`
	// OverdueClocks lists the case's clocks past their due time, earliest first.
	OverdueClocks []Clock `json:"overdueClocks"`
}

// SuspectAccount is what implicates one suspect.
type SuspectAccount struct {
	Person  string              `json:"person"`
	Label   string              `json:"label"`
	Sources []ImplicationSource `json:"sources"`
	// RestrictedSources counts the sources left out of Sources because they are
	// medical reports and the reader's role (oversight) does not read medical reports;
	// IndependentSources and Flags still count them.
	RestrictedSources int `json:"restrictedSources,omitempty"`
	// IndependentSources counts distinct givers of unretracted statements and
	// complaints, and distinct exhibits and media records cited as grounds.
	IndependentSources int      `json:"independentSources"`
	Arrests            []string `json:"arrests"`
	Flags              []string `json:"flags"`
}

// ImplicationSource is one record implicating a suspect: a statement or complaint
// naming them (implicates), or an arrest ground.
type ImplicationSource struct {
	Via         string     `json:"via"` // implicates, or the arrest's reference
	Kind        EntityKind `json:"kind"`
	Ref         string     `json:"ref"`
	Giver       string     `json:"giver,omitempty"`
	GiverLabel  string     `json:"giverLabel,omitempty"`
	RetractedBy string     `json:"retractedBy,omitempty"` // the retraction's reference
}

// OfficerAccount is what one recording officer's statements became.
type OfficerAccount struct {
	Officer         string `json:"officer"`
	StatementsTaken int    `json:"statementsTaken"`
	// Retracted counts statements they took that were later retracted;
	// RetractionsTaken the retractions they recorded.
	Retracted        int `json:"retracted"`
	RetractionsTaken int `json:"retractionsTaken"`
	// Flagged counts statements they took that missed a safeguard.
	Flagged int `json:"flagged"`
}

// AccountabilityService reports on implication and retraction.
type AccountabilityService interface {
	// Accountability returns the case's report. Returns EFORBIDDEN unless the actor
	// is the lead, a prosecutor or oversight.
	Accountability(ctx context.Context, caseID string) (*AccountabilityReport, error)
}
