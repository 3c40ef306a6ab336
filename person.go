package caseroom

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// PersonRole is a part a person plays in a case. A person may have several.
type PersonRole string

// The roles a person can have in a case.
const (
	PersonVictim         PersonRole = "victim"
	PersonSuspect        PersonRole = "suspect"
	PersonWitness        PersonRole = "witness"
	PersonComplainant    PersonRole = "complainant"
	PersonGuardian       PersonRole = "guardian"
	PersonRepresentative PersonRole = "representative"
	PersonOfficer        PersonRole = "officer"
	PersonInterpreter    PersonRole = "interpreter"
)

// PersonRoles lists every person role.
var PersonRoles = []PersonRole{PersonVictim, PersonSuspect, PersonWitness, PersonComplainant,
	PersonGuardian, PersonRepresentative, PersonOfficer, PersonInterpreter}

// Valid reports whether r is one of PersonRoles.
func (r PersonRole) Valid() bool {
	for _, x := range PersonRoles {
		if r == x {
			return true
		}
	}
	return false
}

// PersonName is one of a person's names as written in one script, with where it came
// from. Script is an ISO 15924 code such as "Latn" or "Arab".
type PersonName struct {
	Name   string `json:"name"`
	Script string `json:"script,omitempty"`
	// Source is the reference of the document the name was taken from, if any.
	Source string `json:"source,omitempty"`
	// SourceRestricted is set, and Source left empty, when the name was taken from a
	// medical report and the reader's role does not read medical reports
	// (Role.ReadsMedicalReports). It is ignored on input.
	SourceRestricted bool `json:"sourceRestricted,omitempty"`
}

// Alias is a name a person is known by: an alias, or an "urf" (also-known-as) name.
type Alias struct {
	Alias  string `json:"alias"`
	Kind   string `json:"kind"` // "alias" or "urf"
	Source string `json:"source,omitempty"`
	// SourceRestricted is set, and Source left empty, when the alias was taken from a
	// medical report and the reader's role does not read medical reports. It is
	// ignored on input.
	SourceRestricted bool `json:"sourceRestricted,omitempty"`
}

// UnmarshalJSON accepts an alias as a plain string or a full object.
func (a *Alias) UnmarshalJSON(b []byte) error {
	type plain Alias
	var v plain
	err := unmarshalStringOrObject(b, &v.Alias, &v)
	*a = Alias(v)
	return err
}

// Person is a nominal: anyone the case concerns. A victim is known by a case pseudonym
// (V-0001); their identity (names, aliases, date of birth, identifiers) is shown only to
// those allowed to see it, and IdentityHidden is set when it was withheld. Names,
// aliases, parents, address, date of birth and identifiers are sealed at rest.
type Person struct {
	ID          string       `json:"id"`
	CaseID      string       `json:"caseId"`
	Pseudonym   string       `json:"pseudonym,omitempty"`
	Names       []PersonName `json:"names"`
	Aliases     []Alias      `json:"aliases"`
	Roles       []PersonRole `json:"roles"`
	Sex         string       `json:"sex,omitempty"`
	DateOfBirth string       `json:"dateOfBirth,omitempty"`
	AgeBand     string       `json:"ageBand,omitempty"`
	// Parents is the person's parentage as recorded ("son of ..."), in order.
	Parents     []string     `json:"parents,omitempty"`
	Address     string       `json:"address,omitempty"`
	Identifiers []Identifier `json:"identifiers"`
	RecordedBy  string       `json:"recordedBy"`
	CreatedAt   time.Time    `json:"createdAt"`

	IdentityHidden bool `json:"identityHidden,omitempty"`
	// StatementFlags lists the person's statements that missed a safeguard.
	StatementFlags []StatementFlags `json:"statementFlags,omitempty"`
}

// HasRole reports whether the person has role r in the case.
func (p *Person) HasRole(r PersonRole) bool {
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Label is how the person is shown to someone who may not see victims' identities:
// the pseudonym for a victim, else the first name, else the first alias.
func (p *Person) Label() string {
	switch {
	case p.Pseudonym != "":
		return p.Pseudonym
	case len(p.Names) > 0:
		return p.Names[0].Name
	case len(p.Aliases) > 0:
		return p.Aliases[0].Alias
	}
	return p.ID
}

// Minor says whether the person counts as a minor on the day at, whether their age is
// known, and on what basis, in words ("by date of birth", "by age band 14-17", "age not
// recorded, so treated as a minor"). The rule, the one consents and statement safeguards
// follow: by date of birth, if recorded (under 18 on that day); else by age band, if it
// starts with a number (a band starting under 18 is a minor, "15-19" included) or says
// "adult"; else the age is unknown (known false) and the person counts as a minor
// (minor true): in a case about children, a guardian's word is the safe assumption until
// an age is recorded. A date of birth withheld from the reader counts as not recorded.
func (p *Person) Minor(at time.Time) (minor, known bool, why string) {
	if p.DateOfBirth != "" {
		if dob, err := time.Parse("2006-01-02", p.DateOfBirth); err == nil {
			return dob.AddDate(18, 0, 0).After(at), true, "by date of birth"
		}
	}
	band := strings.ToLower(strings.TrimSpace(p.AgeBand))
	digits := 0
	for digits < len(band) && digits < 3 && band[digits] >= '0' && band[digits] <= '9' {
		digits++
	}
	if digits > 0 {
		n, _ := strconv.Atoi(band[:digits])
		return n < 18, true, "by age band " + p.AgeBand
	}
	if strings.Contains(band, "adult") {
		return false, true, "by age band " + p.AgeBand
	}
	return true, false, "age not recorded, so treated as a minor"
}

// NewPerson is the input to RegisterPerson.
type NewPerson struct {
	Names       []PersonName `json:"names"`
	Aliases     []Alias      `json:"aliases"`
	Roles       []PersonRole `json:"roles"`
	Sex         string       `json:"sex"`
	DateOfBirth string       `json:"dateOfBirth"`
	AgeBand     string       `json:"ageBand"`
	Parents     []string     `json:"parents"`
	Address     string       `json:"address"`
}

// PersonFilter narrows FindPersons. Filters given together must all match.
type PersonFilter struct {
	// Name matches names and aliases token by token, case and accents of form folded.
	Name string
	Role PersonRole
	// Query matches a person by anything they are known by, for a search box: every
	// token of it in their names or aliases (as Name), their pseudonym (V-0007, also
	// written V-7 or v7), or an identifier (phone number, handle, e-mail address,
	// account, national ID or serial) equal to it once written the way identifiers are
	// stored (a phone number's spaces and dashes dropped, an e-mail address
	// lower-cased; a handle as given, lower-cased, or without a leading @). Names and
	// identifiers are searched through the blind index, never in plaintext; a victim
	// matches by name or identifier only for those who may reveal them, by pseudonym
	// for everyone; the search is audited like a name search.
	Query string
}

// IdentityAccess is one request to see a victim's identity.
type IdentityAccess struct {
	ID      string    `json:"id"`
	User    string    `json:"user"`
	Role    Role      `json:"role"`
	Reason  string    `json:"reason"`
	Granted bool      `json:"granted"`
	At      time.Time `json:"at"`
}

// IdentityViewer is one user who has seen a victim's identity, and how often.
type IdentityViewer struct {
	User    string    `json:"user"`
	Reveals int       `json:"reveals"`
	Last    time.Time `json:"last"`
}

// IdentityAccessReport is the "who has seen this identity" list of one victim.
type IdentityAccessReport struct {
	Person    string           `json:"person"`
	Pseudonym string           `json:"pseudonym"`
	Viewers   []IdentityViewer `json:"viewers"`
	Entries   []IdentityAccess `json:"entries"`
}

// IdentifierKind is the kind of an identifier a person holds.
type IdentifierKind string

// The kinds of identifier.
const (
	IdentifierPhone        IdentifierKind = "phone"
	IdentifierHandle       IdentifierKind = "handle"
	IdentifierEmail        IdentifierKind = "email"
	IdentifierBankAccount  IdentifierKind = "bank_account"
	IdentifierNationalID   IdentifierKind = "national_id"
	IdentifierDeviceSerial IdentifierKind = "device_serial"
)

// IdentifierKinds lists every identifier kind.
var IdentifierKinds = []IdentifierKind{IdentifierPhone, IdentifierHandle, IdentifierEmail,
	IdentifierBankAccount, IdentifierNationalID, IdentifierDeviceSerial}

// Valid reports whether k is one of IdentifierKinds.
func (k IdentifierKind) Valid() bool {
	for _, x := range IdentifierKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Identifier is a phone number, handle, e-mail address, bank account, national ID or
// device serial held by a person, with the document or exhibit it is known from.
type Identifier struct {
	ID       string         `json:"id"`
	PersonID string         `json:"person"`
	Kind     IdentifierKind `json:"kind"`
	Value    string         `json:"value"`
	// Service names where a handle or account lives (Skype, WhatsApp, a bank).
	Service string `json:"service,omitempty"`
	Source  string `json:"source"`
	// SourceRestricted is set, and Source left empty, when the identifier is known
	// from a medical report and the reader's role does not read medical reports.
	SourceRestricted bool      `json:"sourceRestricted,omitempty"`
	AddedBy          string    `json:"addedBy"`
	CreatedAt        time.Time `json:"createdAt"`
}

// NewIdentifier is the input to AddIdentifier.
type NewIdentifier struct {
	Kind    IdentifierKind `json:"kind"`
	Value   string         `json:"value"`
	Service string         `json:"service"`
	Source  string         `json:"source"`
}

// PersonService registers persons and appends to what is known of them. Nothing is
// updated in place: a new name, alias, role or identifier is a new record.
type PersonService interface {
	// RegisterPerson records a person in a case. A victim gets the case's next
	// pseudonym. Returns EINVALID naming the field for bad input, ENOTFOUND for an
	// unknown case, EFORBIDDEN if the actor's role may not record.
	RegisterPerson(ctx context.Context, caseID string, np NewPerson) (*Person, error)

	// FindPersons returns the persons of a case, every victim's identity withheld.
	// A name filter matches persons whose names or aliases hold every token of it,
	// through the blind index; victims match only for those who may reveal them, and
	// the search is audited; a query filter matches as PersonFilter.Query says.
	// Returns EINVALID for a name with no letters or digits, or an empty or overlong
	// query.
	FindPersons(ctx context.Context, caseID string, f PersonFilter) ([]*Person, error)

	// FindPerson returns a person by id or pseudonym, a victim's identity withheld.
	// Returns ENOTFOUND if the case or the person does not exist.
	FindPerson(ctx context.Context, caseID, ref string) (*Person, error)

	// RevealIdentity returns a victim's full identity to the lead, protection and
	// medical roles and to the officer who recorded the victim, and records the reveal
	// with its reason. Returns EINVALID if an allowed user gives no reason; EFORBIDDEN
	// for anyone else, and the refusal is recorded too, with whatever reason was given.
	RevealIdentity(ctx context.Context, caseID, personRef, reason string) (*Person, error)

	// FindIdentityAccess lists who asked to see a victim's identity, when and why,
	// granted or refused, with a count per user. Readable by the lead, protection,
	// oversight and advocates; EFORBIDDEN for other roles.
	FindIdentityAccess(ctx context.Context, caseID, personRef string) (*IdentityAccessReport, error)

	// AddName, AddAlias and AddRole append to a person. Returns ENOTFOUND for an
	// unknown person, EINVALID for bad input.
	AddName(ctx context.Context, caseID, personRef string, n PersonName) (*Person, error)
	AddAlias(ctx context.Context, caseID, personRef string, a Alias) (*Person, error)
	AddRole(ctx context.Context, caseID, personRef string, r PersonRole) (*Person, error)

	// AddIdentifier records an identifier held by a person, citing the document it is
	// known from. Returns EINVALID without a source or for an unknown kind.
	AddIdentifier(ctx context.Context, caseID, personRef string, ni NewIdentifier) (*Identifier, error)
}
