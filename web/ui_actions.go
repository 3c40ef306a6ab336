package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"caseroom"
)

// The actions of a case (HOLMES lines of enquiry): the queues by state and by
// officer, the form that raises an action (from a document or not), and the page of
// one action with its history and the forms for what can be done to it in its state,
// the consents of a medical examination among them.

// actionRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) actionRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases/{case}/actions", s.uiActions},
		{"GET", "/cases/{case}/actions/new", s.uiNewAction},
		{"POST", "/cases/{case}/actions/new", s.uiRaiseAction},
		{"GET", "/cases/{case}/actions/{id}", s.uiAction},
		{"POST", "/cases/{case}/actions/{id}/allocate", s.uiActionStep},
		{"POST", "/cases/{case}/actions/{id}/result", s.uiActionStep},
		{"POST", "/cases/{case}/actions/{id}/file", s.uiActionStep},
		{"POST", "/cases/{case}/actions/{id}/refer-back", s.uiActionStep},
		{"POST", "/cases/{case}/actions/{id}/cancel", s.uiActionStep},
		{"POST", "/cases/{case}/actions/{id}/consents", s.uiActionStep},
	}
}

// actionKindLabels names each kind of action for people.
var actionKindLabels = map[caseroom.ActionKind]string{
	caseroom.ActionRecordStatement:    "Record a statement",
	caseroom.ActionMedicalExamination: "Medical examination",
	caseroom.ActionArrest:             "Arrest",
	caseroom.ActionSearch:             "Search",
	caseroom.ActionTraceIdentifier:    "Trace an identifier",
	caseroom.ActionExamineExhibit:     "Examine an exhibit",
	caseroom.ActionIdentifyVictim:     "Identify a victim",
	caseroom.ActionOther:              "Other",
}

// actionTab is one queue of the actions page, with how many actions it holds.
type actionTab struct {
	State   string // "" for every state, "open" for raised and allocated
	Label   string
	Count   int
	Current bool
}

// actionRow is an action in a queue.
type actionRow struct {
	*caseroom.Action
	Overdue bool
}

// actionList is the body of the actions page.
type actionList struct {
	State, To string
	Tabs      []actionTab
	Officers  []*caseroom.Membership
	Actions   []actionRow
}

// isOpen reports whether an action still waits for work: raised or allocated.
func isOpen(st caseroom.ActionState) bool {
	return st == caseroom.ActionRaised || st == caseroom.ActionAllocated
}

// uiActions shows the case's actions, a queue at a time: by state (?state=, "open"
// for raised and allocated, the default) and by officer (?to=, "me" for the user).
func (s *Server) uiActions(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Actions", "actions")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	q := r.URL.Query()
	state, to := q.Get("state"), strings.TrimSpace(q.Get("to"))
	if !q.Has("state") {
		state = "open"
	}
	if to == "me" {
		to = p.User.Name
	}
	if state != "" && state != "open" && !slices.Contains(caseroom.ActionStates, caseroom.ActionState(state)) {
		s.uiError(w, r, p, caseroom.Errorf(caseroom.EINVALID, "state: %q is not a state of an action.", state))
		return
	}
	// One call for the officer's queue; the states are counted and filtered here.
	all, err := s.Actions.FindActions(r.Context(), p.Case.ID, caseroom.ActionFilter{To: to})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	members, err := s.Cases.FindMembers(r.Context(), p.Case.ID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	body := &actionList{State: state, To: to}
	for _, m := range members {
		if m.Role.CanTakeActions() {
			body.Officers = append(body.Officers, m)
		}
	}
	counts := map[string]int{}
	now := s.now()
	for _, a := range all {
		counts[string(a.State)]++
		if isOpen(a.State) {
			counts["open"]++
		}
		if state == "" || string(a.State) == state || (state == "open" && isOpen(a.State)) {
			body.Actions = append(body.Actions, actionRow{Action: a, Overdue: isOpen(a.State) && a.Due != nil && a.Due.Before(now)})
		}
	}
	body.Tabs = append(body.Tabs, actionTab{State: "open", Label: "Open", Count: counts["open"]})
	for _, st := range caseroom.ActionStates {
		body.Tabs = append(body.Tabs, actionTab{State: string(st), Label: strings.ToUpper(string(st[:1])) + string(st[1:]), Count: counts[string(st)]})
	}
	body.Tabs = append(body.Tabs, actionTab{State: "", Label: "All", Count: len(all)})
	for i := range body.Tabs {
		body.Tabs[i].Current = body.Tabs[i].State == state
	}
	p.Body = body
	s.renderUI(w, r, "actions", p)
}

// actionForm is the raise form as typed.
type actionForm struct {
	Kind, Title, RaisedFrom, Priority, Due string
	Subjects                               []string
}

// Subject reports whether the form names id as a subject.
func (f *actionForm) Subject(id string) bool { return slices.Contains(f.Subjects, id) }

// actionFormPage is the body of the raise page.
type actionFormPage struct {
	Form       *actionForm
	Kinds      []caseroom.ActionKind
	KindLabels map[caseroom.ActionKind]string
	Priorities []caseroom.ActionPriority
	Documents  []*caseroom.Document
	Persons    []*caseroom.Person
	Exhibits   []*caseroom.Exhibit
	// From is the document the action is raised from, when the form came from one.
	From *caseroom.Document
}

// uiNewAction shows the form that raises an action, from a document if ?from= names one.
func (s *Server) uiNewAction(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Raise an action", "actions")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	f := &actionForm{Kind: string(caseroom.ActionOther), Priority: string(caseroom.PriorityNormal), RaisedFrom: r.URL.Query().Get("from")}
	s.renderActionForm(w, r, p, f, http.StatusOK)
}

// uiRaiseAction raises the form's action and shows it; a refusal shows the form
// again, as typed, with the service's message.
func (s *Server) uiRaiseAction(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Raise an action", "actions")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	v := r.PostForm
	f := &actionForm{Kind: v.Get("kind"), Title: strings.TrimSpace(v.Get("title")), RaisedFrom: v.Get("raisedFrom"),
		Priority: v.Get("priority"), Due: strings.TrimSpace(v.Get("due"))}
	for _, id := range v["subjects"] {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(f.Subjects, id) {
			f.Subjects = append(f.Subjects, id)
		}
	}
	na := caseroom.NewAction{Kind: caseroom.ActionKind(f.Kind), Title: f.Title, RaisedFrom: f.RaisedFrom,
		Subjects: f.Subjects, Priority: caseroom.ActionPriority(f.Priority)}
	if f.Due != "" {
		t, perr := time.ParseInLocation("2006-01-02T15:04", f.Due, p.location())
		if perr != nil {
			err = caseroom.Errorf(caseroom.EINVALID, "due: %q is not a date and time; give the day and the time it is due", f.Due)
		}
		na.Due = &t
	}
	if err == nil {
		var a *caseroom.Action
		if a, err = s.Actions.RaiseAction(r.Context(), p.Case.ID, na); err == nil {
			redirectDone(w, r, p.CasePath("actions", a.Ref), "Raised "+a.Ref+".")
			return
		}
	}
	status, ok := statusOf[caseroom.ErrorCode(err)]
	if !ok || status >= 500 {
		s.uiError(w, r, p, err)
		return
	}
	p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
	s.renderActionForm(w, r, p, f, status)
}

// renderActionForm shows the raise form with the documents, persons and exhibits it
// offers.
func (s *Server) renderActionForm(w http.ResponseWriter, r *http.Request, p *uiPage, f *actionForm, status int) {
	ctx, caseID := r.Context(), p.Case.ID
	docs, err := s.Documents.FindDocuments(ctx, caseID, caseroom.DocumentFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	persons, err := s.Persons.FindPersons(ctx, caseID, caseroom.PersonFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	exhibits, err := s.Exhibits.FindExhibits(ctx, caseID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	body := &actionFormPage{Form: f, Kinds: caseroom.ActionKinds, KindLabels: actionKindLabels, Priorities: caseroom.ActionPriorities,
		Documents: docs, Persons: persons, Exhibits: exhibits}
	for _, d := range docs {
		if f.RaisedFrom != "" && (d.Ref == f.RaisedFrom || d.ID == f.RaisedFrom) {
			body.From, f.RaisedFrom = d, d.Ref
		}
	}
	if body.From != nil && f.Title == "" && status == http.StatusOK {
		// Raised from a statement, the action most often concerns its giver.
		if st := body.From.Statement; st != nil && st.Giver != "" && len(f.Subjects) == 0 {
			f.Subjects = []string{st.Giver}
		}
	}
	p.Body = body
	s.renderUIStatus(w, r, status, "action-form", p)
}

// actionInput is what the user typed in one of the action page's forms, kept when
// the form is refused.
type actionInput struct {
	Form, To, Document, Reason string
	Person, By, Given, Note    string
}

// consentParty is someone who may answer for a person examined: the person, a
// parent or guardian, a representative.
type consentParty struct {
	ID, Label, Capacity string
}

// actionView is the body of one action's page.
type actionView struct {
	Action     *caseroom.Action
	KindLabel  string
	Overdue    bool
	Input      actionInput
	Error      string // the message of the form refused, shown beside it
	Officers   []*caseroom.Membership
	Documents  []*caseroom.Document
	Persons    []caseroom.ActionSubject // the persons examined
	Parties    []consentParty
	IsAssignee bool
}

// uiAction shows one action by id or reference.
func (s *Server) uiAction(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Action", "actions")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	s.renderAction(w, r, p, actionInput{}, http.StatusOK)
}

// uiActionStep does one of the action page's forms (its last path element says
// which) and shows the action again: with what was done, or with the refusal beside
// the form and the input kept.
func (s *Server) uiActionStep(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Action", "actions")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	v := r.PostForm
	in := actionInput{Form: r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], To: v.Get("to"), Document: v.Get("document"),
		Reason: strings.TrimSpace(v.Get("reason")), Person: v.Get("person"), By: v.Get("by"), Given: v.Get("given"), Note: strings.TrimSpace(v.Get("note"))}
	ctx, caseID, id := r.Context(), p.Case.ID, r.PathValue("id")
	var a *caseroom.Action
	var done string
	switch in.Form {
	case "allocate":
		a, err = s.Actions.AllocateAction(ctx, caseID, id, caseroom.ActionAllocation{To: in.To})
		done = "Allocated %s to " + in.To + "."
	case "result":
		a, err = s.Actions.ResultAction(ctx, caseID, id, caseroom.ActionResultInput{Document: in.Document})
		done = "Resulted %s with " + in.Document + "."
	case "file":
		a, err = s.Actions.FileAction(ctx, caseID, id)
		done = "Filed %s."
	case "refer-back":
		a, err = s.Actions.ReferBackAction(ctx, caseID, id, caseroom.ActionReason{Reason: in.Reason})
		done = "Referred %s back."
	case "cancel":
		a, err = s.Actions.CancelAction(ctx, caseID, id, caseroom.ActionReason{Reason: in.Reason})
		done = "Cancelled %s."
	case "consents":
		var given *bool
		switch in.Given {
		case "yes":
			given = new(true)
		case "no":
			given = new(false)
		}
		a, err = s.Consents.RecordConsent(ctx, caseID, id, caseroom.NewConsent{Person: in.Person, By: in.By, Given: given, Note: in.Note})
		done = "Recorded the answer on %s."
	}
	if err == nil && a != nil {
		redirectDone(w, r, p.CasePath("actions", a.Ref), strings.Replace(done, "%s", a.Ref, 1))
		return
	}
	status, ok := statusOf[caseroom.ErrorCode(err)]
	if !ok || status >= 500 || status == http.StatusNotFound {
		s.uiError(w, r, p, err)
		return
	}
	p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
	s.renderAction(w, r, p, in, status)
}

// renderAction shows the action of the path with the forms its state allows.
func (s *Server) renderAction(w http.ResponseWriter, r *http.Request, p *uiPage, in actionInput, status int) {
	ctx, caseID := r.Context(), p.Case.ID
	a, err := s.Actions.FindAction(ctx, caseID, r.PathValue("id"))
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Title = a.Ref + " " + a.Title
	v := &actionView{Action: a, KindLabel: actionKindLabels[a.Kind], Input: in, IsAssignee: a.AllocatedTo == p.User.Name,
		Overdue: isOpen(a.State) && a.Due != nil && a.Due.Before(s.now())}
	if p.FlashError {
		v.Error = p.Flash
	}
	if isOpen(a.State) && p.Can("lead") {
		members, err := s.Cases.FindMembers(ctx, caseID)
		if err != nil {
			s.uiError(w, r, p, err)
			return
		}
		for _, m := range members {
			if m.Role.CanTakeActions() {
				v.Officers = append(v.Officers, m)
			}
		}
	}
	if a.State == caseroom.ActionAllocated && (v.IsAssignee || p.Can("lead")) {
		docs, err := s.Documents.FindDocuments(ctx, caseID, caseroom.DocumentFilter{})
		if err != nil {
			s.uiError(w, r, p, err)
			return
		}
		slices.Reverse(docs) // the latest first: a result is usually just registered
		v.Documents = docs
	}
	if a.Kind == caseroom.ActionMedicalExamination {
		for _, sub := range a.Subjects {
			if sub.Kind != "person" {
				continue
			}
			v.Persons = append(v.Persons, sub)
			v.Parties = append(v.Parties, consentParty{ID: sub.ID, Label: sub.Label, Capacity: "the person examined"})
			links, err := s.Links.FindLinks(ctx, caseID, caseroom.LinkFilter{Entity: sub.ID})
			if err != nil {
				s.uiError(w, r, p, err)
				return
			}
			for _, l := range standingLinks(links) {
				switch {
				case l.To == sub.ID && (l.Type == "parent_of" || l.Type == "guardian_of"):
					v.Parties = append(v.Parties, consentParty{ID: l.From, Label: l.FromLabel, Capacity: strings.Replace(string(l.Type), "_", " ", 1) + " " + sub.Label})
				case l.To == sub.ID && l.Type == "represents":
					v.Parties = append(v.Parties, consentParty{ID: l.From, Label: l.FromLabel, Capacity: "represents " + sub.Label + " (objects only)"})
				}
			}
		}
	}
	p.Body = v
	s.renderUIStatus(w, r, status, "action", p)
}
