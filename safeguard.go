package caseroom

import (
	"context"
	"time"
)

// The statement safeguards a case's rule set can require.
const (
	// SafeguardGuardian: a parent, guardian or appropriate adult is present when a
	// minor gives a statement.
	SafeguardGuardian = "guardian-for-minor"
	// SafeguardFemale: a female officer or female relative is present when a female
	// victim gives a statement (every victim of this kind of case is the victim of a
	// sexual offence).
	SafeguardFemale = "female-for-female-victim"
	// SafeguardInterpreter: an interpreter is present when the statement's language is
	// not one the recording officer works in.
	SafeguardInterpreter = "interpreter-for-language"
)

// SafeguardRules is the rule set in force in a case: which safeguards a statement
// must meet, and the languages recording officers work in. A case has the defaults
// (every rule on, no languages) until the lead records a rule set; a new rule set never
// changes an older one, and a statement is judged by the rule set in force when it was
// recorded (its recordedAt).
type SafeguardRules struct {
	ID                     string `json:"id,omitempty"` // "" for the defaults
	GuardianForMinor       bool   `json:"guardianForMinor"`
	FemaleForFemaleVictim  bool   `json:"femaleForFemaleVictim"`
	InterpreterForLanguage bool   `json:"interpreterForLanguage"`
	// Languages maps a recording officer's user name to the language tags they take
	// statements in; the key "*" gives those of every officer not listed.
	Languages  map[string][]string `json:"languages"`
	RecordedBy string              `json:"recordedBy,omitempty"`
	RecordedAt *time.Time          `json:"recordedAt,omitempty"`
}

// DefaultSafeguardRules returns the rules in force before any rule set is recorded.
func DefaultSafeguardRules() SafeguardRules {
	return SafeguardRules{GuardianForMinor: true, FemaleForFemaleVictim: true, InterpreterForLanguage: true, Languages: map[string][]string{}}
}

// NewSafeguardRules is what recording a rule set takes; a rule left out is on.
type NewSafeguardRules struct {
	GuardianForMinor       *bool               `json:"guardianForMinor,omitempty"`
	FemaleForFemaleVictim  *bool               `json:"femaleForFemaleVictim,omitempty"`
	InterpreterForLanguage *bool               `json:"interpreterForLanguage,omitempty"`
	Languages              map[string][]string `json:"languages,omitempty"`
}

// SafeguardFlag is one safeguard a statement missed, and why it applied.
type SafeguardFlag struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

// StatementFlags is one statement's missed safeguards, as shown on its giver.
type StatementFlags struct {
	Statement string          `json:"statement"` // S-12
	Flags     []SafeguardFlag `json:"flags"`
}

// SafeguardService keeps a case's statement safeguard rules.
type SafeguardService interface {
	// RecordSafeguardRules records a new rule set, in force from now. Returns EINVALID
	// naming the field (a language tag that is not one, an officer who is not a
	// member), EFORBIDDEN unless the actor is the lead.
	RecordSafeguardRules(ctx context.Context, caseID string, nr NewSafeguardRules) (*SafeguardRules, error)
	// SafeguardRules returns the rules in force now (the defaults if none was
	// recorded). Every member but an advocate reads them.
	SafeguardRules(ctx context.Context, caseID string) (*SafeguardRules, error)
}
