package caseroom

import (
	"context"
	"time"
)

// ActionKind is the sort of enquiry an action asks for.
type ActionKind string

// The kinds of action.
const (
	ActionRecordStatement    ActionKind = "record-statement"
	ActionMedicalExamination ActionKind = "medical-examination"
	ActionArrest             ActionKind = "arrest"
	ActionSearch             ActionKind = "search"
	ActionTraceIdentifier    ActionKind = "trace-identifier"
	ActionExamineExhibit     ActionKind = "examine-exhibit"
	ActionIdentifyVictim     ActionKind = "identify-victim"
	ActionOther              ActionKind = "other"
)

// ActionKinds lists every action kind.
var ActionKinds = []ActionKind{ActionRecordStatement, ActionMedicalExamination, ActionArrest, ActionSearch,
	ActionTraceIdentifier, ActionExamineExhibit, ActionIdentifyVictim, ActionOther}

// ActionPriority says how soon an action should be done.
type ActionPriority string

// The priorities of an action, lowest first.
const (
	PriorityLow    ActionPriority = "low"
	PriorityNormal ActionPriority = "normal"
	PriorityHigh   ActionPriority = "high"
	PriorityUrgent ActionPriority = "urgent"
)

// ActionPriorities lists every priority, lowest first.
var ActionPriorities = []ActionPriority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// ActionState is where an action stands: the state its latest event left it in.
type ActionState string

// The states of an action. An action is raised, allocated to a member, resulted with a
// document, and filed by the lead; a result may be referred back (the action is then
// allocated again); a raised or allocated action may be cancelled with a reason.
const (
	ActionRaised    ActionState = "raised"
	ActionAllocated ActionState = "allocated"
	ActionResulted  ActionState = "resulted"
	ActionFiled     ActionState = "filed"
	ActionCancelled ActionState = "cancelled"
)

// ActionStates lists every state in the order an action meets them.
var ActionStates = []ActionState{ActionRaised, ActionAllocated, ActionResulted, ActionFiled, ActionCancelled}

// ActionEventKind is one step in an action's history.
type ActionEventKind string

// The events of an action's history.
const (
	ActionEventRaised       ActionEventKind = "raised"
	ActionEventAllocated    ActionEventKind = "allocated"
	ActionEventResulted     ActionEventKind = "resulted"
	ActionEventFiled        ActionEventKind = "filed"
	ActionEventReferredBack ActionEventKind = "referred-back"
	ActionEventCancelled    ActionEventKind = "cancelled"
)

// ActionEventKinds lists every kind of action event.
var ActionEventKinds = []ActionEventKind{ActionEventRaised, ActionEventAllocated, ActionEventResulted,
	ActionEventFiled, ActionEventReferredBack, ActionEventCancelled}

// Action is a numbered line of enquiry (HOLMES sense), A-1, A-2... per case. It is
// never changed in place: each step is an ActionEvent, and State, AllocatedTo and
// Result are read from the history.
type Action struct {
	ID     string     `json:"id"`
	CaseID string     `json:"caseId"`
	Ref    string     `json:"ref"`
	Kind   ActionKind `json:"kind"`
	Title  string     `json:"title"`
	// RaisedFrom is the reference of the document the action was raised from, if any
	// the reader may read: empty for a medical report to a role that does not read
	// medical reports (Role.ReadsMedicalReports).
	RaisedFrom string          `json:"raisedFrom,omitempty"`
	Subjects   []ActionSubject `json:"subjects"`
	Priority   ActionPriority  `json:"priority"`
	Due        *time.Time      `json:"due,omitempty"`
	State      ActionState     `json:"state"`
	// AllocatedTo is the user name of the member the action is allocated to, if any.
	AllocatedTo string `json:"allocatedTo,omitempty"`
	// Result is the reference of the document that resulted the action, while resulted
	// or filed. To a role that does not read medical reports a result that is one is
	// withheld: Result is empty and ResultRestricted set, and the history's events do
	// not name it either.
	Result string `json:"result,omitempty"`
	// ResultRestricted is set when the action is resulted or filed with a medical
	// report the reader may not read, so Result is left empty.
	ResultRestricted bool           `json:"resultRestricted,omitempty"`
	RaisedBy         string         `json:"raisedBy"`
	RaisedAt         time.Time      `json:"raisedAt"`
	History          []*ActionEvent `json:"history"`
	// Consents lists, for a medical examination, every consent, refusal and
	// objection recorded, oldest first.
	Consents []*Consent `json:"consents,omitempty"`
}

// ActionSubject is a person or exhibit an action concerns. Label shows it as elsewhere:
// a victim by pseudonym, an exhibit by its reference.
type ActionSubject struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"` // person or exhibit
	Label string `json:"label"`
}

// ActionEvent is one step of an action's history; the latest gives its state.
type ActionEvent struct {
	ID       string          `json:"id"`
	Seq      int             `json:"seq"` // 1 for raising it, then in order
	Event    ActionEventKind `json:"event"`
	To       string          `json:"to,omitempty"`       // allocated: to whom
	Document string          `json:"document,omitempty"` // resulted: the result document's reference, unless a medical report the reader may not read
	Reason   string          `json:"reason,omitempty"`   // referred back, cancelled
	By       string          `json:"by"`
	At       time.Time       `json:"at"`
}

// NewAction is what raising an action takes.
type NewAction struct {
	Kind       ActionKind     `json:"kind"`
	Title      string         `json:"title"`
	RaisedFrom string         `json:"raisedFrom,omitempty"` // a document of the case, id or reference
	Subjects   []string       `json:"subjects,omitempty"`   // persons (id or pseudonym) or exhibits (id or reference) of the case
	Priority   ActionPriority `json:"priority,omitempty"`   // default normal
	Due        *time.Time     `json:"due,omitempty"`
}

// ActionAllocation names the member an action is allocated to.
type ActionAllocation struct {
	To string `json:"to"` // a user name
}

// ActionResultInput names the document that results an action.
type ActionResultInput struct {
	Document string `json:"document"` // a document of the case, id or reference
}

// ActionReason is the reason for referring a result back or cancelling an action.
type ActionReason struct {
	Reason string `json:"reason"`
}

// ActionFilter narrows FindActions: the queue of one state, of one officer, or both.
type ActionFilter struct {
	State ActionState
	To    string // user name of the member the actions are allocated to
}

// ActionService keeps a case's actions. The lead and investigators raise actions; the
// lead allocates, files, refers back and cancels them; the member an action is
// allocated to (or the lead) results it. Every member but an advocate reads them.
// Every method takes the action by id or reference.
type ActionService interface {
	// RaiseAction records a new action, numbered next in the case. Returns EINVALID
	// naming the field (an unknown kind, priority, document or subject), EFORBIDDEN if
	// the actor may not raise actions, ENOTFOUND for an unknown case.
	RaiseAction(ctx context.Context, caseID string, na NewAction) (*Action, error)
	// AllocateAction allocates a raised action (or reallocates an allocated one) to a
	// member. Returns EINVALID if the user is not a member who can take actions,
	// ECONFLICT if the action is resulted, filed or cancelled.
	AllocateAction(ctx context.Context, caseID, action string, a ActionAllocation) (*Action, error)
	// ResultAction results an allocated action with a document of the case. Returns
	// ECONFLICT unless the action is allocated (resulting twice included), EFORBIDDEN
	// unless the actor is the member it is allocated to or the lead.
	ResultAction(ctx context.Context, caseID, action string, r ActionResultInput) (*Action, error)
	// FileAction files a resulted action. Returns ECONFLICT unless it is resulted.
	FileAction(ctx context.Context, caseID, action string) (*Action, error)
	// ReferBackAction sends a result back to the member the action is allocated to,
	// with a reason. Returns EINVALID without a reason, ECONFLICT unless resulted.
	ReferBackAction(ctx context.Context, caseID, action string, r ActionReason) (*Action, error)
	// CancelAction cancels a raised or allocated action with a reason. Returns
	// EINVALID without a reason, ECONFLICT in any other state.
	CancelAction(ctx context.Context, caseID, action string, r ActionReason) (*Action, error)
	// FindAction returns an action with its history. Returns ENOTFOUND if the case has
	// no such action.
	FindAction(ctx context.Context, caseID, action string) (*Action, error)
	// FindActions lists a case's actions in number order, narrowed by the filter.
	FindActions(ctx context.Context, caseID string, f ActionFilter) ([]*Action, error)
}

// CanRaiseActions reports whether the role raises actions: the lead and investigators.
func (r Role) CanRaiseActions() bool { return r == RoleLead || r == RoleInvestigator }

// CanTakeActions reports whether a member with the role may be allocated actions:
// every officer of the team, not oversight and not a victim's advocate.
func (r Role) CanTakeActions() bool { return r != RoleOversight && r != RoleAdvocate && r.Valid() }

// ConsentCapacity is in what capacity someone answered for a medical examination.
type ConsentCapacity string

// The capacities in which a consent or objection is recorded: the person examined, a
// parent or guardian of theirs (a link parent_of or guardian_of from them to the
// person), or the person's representative (a link represents), whose word is recorded
// as an objection only.
const (
	ConsentSelf           ConsentCapacity = "self"
	ConsentGuardian       ConsentCapacity = "guardian"
	ConsentRepresentative ConsentCapacity = "representative"
)

// Consent is one recorded answer to a medical examination: consent given or refused
// by the person examined or a parent or guardian, or an objection by their
// representative. Answers are never changed; the latest by each party counts.
type Consent struct {
	ID          string          `json:"id"`
	Person      string          `json:"person"` // whose consent: the person examined
	PersonLabel string          `json:"personLabel"`
	By          string          `json:"by"` // who answered
	ByLabel     string          `json:"byLabel"`
	Capacity    ConsentCapacity `json:"capacity"`
	Given       bool            `json:"given"`
	Note        string          `json:"note,omitempty"`
	RecordedBy  string          `json:"recordedBy"`
	RecordedAt  time.Time       `json:"recordedAt"`
}

// NewConsent is what recording a consent takes: whose (a person the action concerns),
// by whom, and whether it was given (false for a refusal or an objection).
type NewConsent struct {
	Person string `json:"person"`
	By     string `json:"by"`
	Given  *bool  `json:"given"`
	Note   string `json:"note,omitempty"`
}

// ConsentService records the consents to a medical examination.
type ConsentService interface {
	// RecordConsent records a consent, refusal or objection on an action of kind
	// medical-examination. Returns EINVALID naming the field (no answer, a person the
	// action does not concern, someone who is neither that person, a parent or
	// guardian of theirs, nor their representative; a representative's consent, since
	// a representative only objects), ECONFLICT for another kind of action or one
	// resulted, filed or cancelled, EFORBIDDEN unless the actor records (lead,
	// investigator, indexer, protection) or is medical.
	RecordConsent(ctx context.Context, caseID, action string, nc NewConsent) (*Action, error)
}
