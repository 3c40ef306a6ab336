package caseroom

import (
	"context"
	"time"
)

// EntityEndpoint is the kind of an endpoint record (see Endpoint).
const EntityEndpoint EntityKind = "endpoint"

// Endpoint is a phone number, chat handle, e-mail address or bank account as the
// evidence shows it: one end of a call, a message or a payment. An endpoint is one per
// case and value (phones in E.164, so 0300-1234567 and +92 300 1234567 are one); it is
// held by a person when one of the person's identifiers has the same value.
type Endpoint struct {
	ID      string         `json:"id"`
	CaseID  string         `json:"caseId"`
	Kind    IdentifierKind `json:"kind"`
	Service string         `json:"service,omitempty"`
	// Value is the endpoint as normalised (E.164 for a phone); empty, with
	// ValueWithheld set, when the endpoint is a victim's and the reader may not see
	// victims' identities (the victim's pseudonym is in HolderLabel).
	Value         string `json:"value"`
	ValueWithheld bool   `json:"valueWithheld,omitempty"`
	// Country is the ISO 3166-1 alpha-2 code of the country a phone number belongs to
	// (or a chat contact was stated to be in); Foreign is set when that is not the
	// case's country.
	Country string `json:"country,omitempty"`
	Foreign bool   `json:"foreign,omitempty"`
	// Holders are the persons holding the endpoint (by their identifiers); more than
	// one means the same number is recorded under several persons.
	Holders []Party `json:"holders,omitempty"`
}

// Label is how the endpoint is shown: its value, or its holder's label if withheld.
func (e *Endpoint) Label() string {
	if e.ValueWithheld && len(e.Holders) > 0 {
		return e.Holders[0].Label
	}
	if e.ValueWithheld {
		return "(withheld)"
	}
	return e.Value
}

// CommKind is the kind of a communication.
type CommKind string

// The kinds of communication.
const (
	CommCall    CommKind = "call"
	CommSMS     CommKind = "sms"
	CommMessage CommKind = "message" // a chat message
	CommContact CommKind = "contact" // an entry of a contact list: the account knew the counterpart
	CommOther   CommKind = "other"
)

// CommKinds lists every kind of communication.
var CommKinds = []CommKind{CommCall, CommSMS, CommMessage, CommContact, CommOther}

// Communication is a call, message or contact between two endpoints, from the row of
// an exhibit's file it was imported from. From is who initiated it (the caller, the
// sender, the owner of a contact list) when the record says; Directed is false when it
// does not, and From and To are then as the file lists them.
type Communication struct {
	ID       string    `json:"id"`
	CaseID   string    `json:"caseId"`
	From     Endpoint  `json:"from"`
	To       Endpoint  `json:"to"`
	Directed bool      `json:"directed"`
	Kind     CommKind  `json:"kind"`
	At       time.Time `json:"at"`
	// Duration is in seconds.
	Duration int64  `json:"duration"`
	CellID   string `json:"cellId,omitempty"`
	IMEI     string `json:"imei,omitempty"`
	// Exhibit, ExhibitRef, Import and Line are the source: the exhibit, the import of
	// its file and the line of that file.
	Exhibit    string `json:"exhibit"`
	ExhibitRef string `json:"exhibitRef"`
	Import     string `json:"import"`
	Line       int64  `json:"line"`
}

// CommImport is one import of an exhibit's file of communications.
type CommImport struct {
	ID         string `json:"id"`
	CaseID     string `json:"caseId"`
	Exhibit    string `json:"exhibit"`
	ExhibitRef string `json:"exhibitRef"`
	Format     string `json:"format"` // cdr, chat
	// SHA256 is the hex digest of the file imported; importing the same file into
	// the same exhibit again resumes or adds nothing.
	SHA256 string `json:"sha256"`
	Name   string `json:"name,omitempty"`
	// Rows is how many rows the file holds, Added how many communications this call
	// recorded, Skipped how many were already recorded by an earlier (interrupted or
	// complete) import of the same file.
	Rows      int64 `json:"rows"`
	Added     int64 `json:"added"`
	Skipped   int64 `json:"skipped"`
	Endpoints int64 `json:"endpointsCreated"`
	Complete  bool  `json:"complete"`
	// Resumed is set when an earlier import of the file had been interrupted.
	Resumed    bool      `json:"resumed,omitempty"`
	ImportedBy string    `json:"importedBy"`
	ImportedAt time.Time `json:"importedAt"`
}

// CommRow is one row of a file of communications, read and checked by a reader of the
// file's format: endpoints are given as the file writes them.
type CommRow struct {
	Line     int64 // the line (CSV) or record (JSON) number in the file, from 1
	From, To RawEndpoint
	Directed bool
	Kind     CommKind
	At       time.Time
	Duration int64
	CellID   string
	IMEI     string
}

// RawEndpoint is an endpoint as a file writes it, before normalisation.
type RawEndpoint struct {
	Kind    IdentifierKind // phone, handle or email
	Value   string
	Service string
	Country string // a stated country (ISO 3166-1 alpha-2), if the file gives one
	Name    string // a display name the file gives, if any
}

// NewCommImport is the input to ImportCommunications.
type NewCommImport struct {
	Exhibit string // id or reference
	Format  string // cdr or chat
	SHA256  string // of the file, lower-case hex
	Name    string // the file's name, for the record
	// Rows calls fn with each row of the file, in order, and returns the first error
	// of fn or of reading; times the file writes without a zone are in loc, the case's
	// time zone. It is called twice: once to check every row before anything is
	// written, once to write.
	Rows func(loc *time.Location, fn func(CommRow) error) error
	// Progress, if set, is told how many rows are written so far.
	Progress func(written, total int64)
}

// CommFilter narrows FindCommunications.
type CommFilter struct {
	Person   string // communications of any endpoint the person holds
	Endpoint string // or of one endpoint, by id or value
	From, To *time.Time
	Limit    int
}

// Counterpart is one endpoint a person or endpoint was in contact with, and how much.
type Counterpart struct {
	Endpoint Endpoint `json:"endpoint"`
	// Contacts counts the communications, Outgoing those the subject initiated,
	// Incoming those the counterpart did; Duration is their total in seconds.
	Contacts int64     `json:"contacts"`
	Outgoing int64     `json:"outgoing"`
	Incoming int64     `json:"incoming"`
	Duration int64     `json:"duration"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	// SharedWith lists the other suspects who were also in contact with this
	// counterpart.
	SharedWith []Party `json:"sharedWith,omitempty"`
}

// CommPair is what sqlstore hands the contact analysis: the totals of communications
// from one endpoint to another (directed when the record said who began).
type CommPair struct {
	From, To string // endpoint ids
	Contacts int64
	Directed int64 // of Contacts, those whose direction is known
	Duration int64
	First    time.Time
	Last     time.Time
}

// CommSummary is a person's or endpoint's contacts, or the case's.
type CommSummary struct {
	CaseID string `json:"caseId"`
	// Subject is the person (or endpoint) summarised; empty for the whole case.
	Subject   *Party     `json:"subject,omitempty"`
	Endpoints []Endpoint `json:"endpoints"` // the subject's endpoints
	// Contacts is the number of communications, Counterparts ranked by contacts then
	// duration.
	Contacts     int64         `json:"contacts"`
	Counterparts []Counterpart `json:"counterparts"`
	// Foreign lists the counterparts abroad (their country is not the case's).
	Foreign []Counterpart `json:"foreign"`
	// ForeignByCountry counts foreign counterparts per country.
	ForeignByCountry map[string]int `json:"foreignByCountry"`
	// Shared lists the counterparts shared with other suspects.
	Shared []Counterpart `json:"shared"`
	First  *time.Time    `json:"first,omitempty"`
	Last   *time.Time    `json:"last,omitempty"`
}

// CommService imports and reads communications.
type CommService interface {
	// ImportCommunications records every row of a file of an exhibit as a
	// communication sourced to the exhibit and the row's line, in batches of one
	// transaction each. It first reads every row, and a file with a row that cannot be
	// used is refused whole (EINVALID naming the line). Importing the same file (by
	// SHA256) into the same exhibit again resumes an interrupted import or adds
	// nothing. Returns ENOTFOUND for an exhibit not in the case; EFORBIDDEN for a
	// role that does not handle exhibits.
	ImportCommunications(ctx context.Context, caseID string, ni NewCommImport) (*CommImport, error)
	// FindCommunications lists communications in time order, at most Limit (1..10000,
	// default 500). Returns EFORBIDDEN for a role that does not read exhibits.
	FindCommunications(ctx context.Context, caseID string, f CommFilter) ([]*Communication, error)
	// SummariseCommunications ranks a person's (or an endpoint's, or the whole
	// case's) counterparts. Returns EINVALID for a person or endpoint not in the
	// case; EFORBIDDEN for a role that does not read exhibits.
	SummariseCommunications(ctx context.Context, caseID, person, endpoint string) (*CommSummary, error)
	// FindEndpoints lists the case's endpoints; foreignOnly keeps those abroad.
	FindEndpoints(ctx context.Context, caseID string, foreignOnly bool) ([]*Endpoint, error)
}
