package sqlstore

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"caseroom"
	"caseroom/vault"
)

var (
	_ caseroom.ActionService   = (*DB)(nil)
	_ caseroom.DecisionService = (*DB)(nil)
)

const (
	prefixAction        = "act"
	prefixActionSubject = "asb"
	prefixActionEvent   = "aev"
	prefixDecision      = "dec"
)

// actionRefPattern is an action's case reference.
var actionRefPattern = regexp.MustCompile(`^A-[1-9][0-9]*$`)

// Bounds on what an action holds.
const (
	maxActionTitle    = 300
	maxActionReason   = 2000
	maxActionSubjects = 100
)

func validActionKind(k caseroom.ActionKind) bool {
	for _, x := range caseroom.ActionKinds {
		if x == k {
			return true
		}
	}
	return false
}

func validActionPriority(p caseroom.ActionPriority) bool {
	for _, x := range caseroom.ActionPriorities {
		if x == p {
			return true
		}
	}
	return false
}

func validActionState(s caseroom.ActionState) bool {
	for _, x := range caseroom.ActionStates {
		if x == s {
			return true
		}
	}
	return false
}

// RaiseAction records a new action. See caseroom.ActionService.
//
// The action is numbered MAX(num)+1 in its case inside the write transaction, which
// holds the store's write lock (dialect.lockWrites), as documents are (S-12): numbers
// are dense and never reused. Raising writes the action, its subjects and its first
// event (raised) under one audit entry.
func (db *DB) RaiseAction(ctx context.Context, caseID string, na caseroom.NewAction) (*caseroom.Action, error) {
	na.Title = strings.TrimSpace(na.Title)
	na.RaisedFrom = strings.TrimSpace(na.RaisedFrom)
	if na.Priority == "" {
		na.Priority = caseroom.PriorityNormal
	}
	switch {
	case !validActionKind(na.Kind):
		return nil, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not an action kind; use one of %s", na.Kind, joinList(caseroom.ActionKinds))
	case na.Title == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "title: required; say what is to be done")
	case len(na.Title) > maxActionTitle:
		return nil, caseroom.Errorf(caseroom.EINVALID, "title: at most %d bytes", maxActionTitle)
	case !validActionPriority(na.Priority):
		return nil, caseroom.Errorf(caseroom.EINVALID, "priority: %q is not a priority; use one of %s", na.Priority, joinList(caseroom.ActionPriorities))
	case na.Due != nil && na.Due.IsZero():
		return nil, caseroom.Errorf(caseroom.EINVALID, "due: must be an RFC 3339 time such as 2026-11-22T17:00:00Z")
	case len(na.Subjects) > maxActionSubjects:
		return nil, caseroom.Errorf(caseroom.EINVALID, "subjects: at most %d", maxActionSubjects)
	}
	if na.Due != nil {
		if err := dueWithin("due", *na.Due, db.Now()); err != nil {
			return nil, err
		}
	}
	id := newID(prefixAction)
	err := db.write(ctx, func(tx *Tx) error {
		role, err := memberRole(ctx, tx, caseID, tx.actor)
		if err != nil {
			return err
		}
		if !role.CanRaiseActions() {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot raise actions; the lead and investigators can.", role)
		}
		from, err := tx.optionalDocument(caseID, na.RaisedFrom, "raisedFrom")
		if err != nil {
			return err
		}
		type subject struct{ id, kind string }
		subjects := make([]subject, 0, len(na.Subjects))
		seen := map[string]bool{}
		for i, ref := range na.Subjects {
			sid, kind, err := tx.actionSubject(caseID, strings.TrimSpace(ref))
			if err != nil {
				return caseroom.Errorf(caseroom.EINVALID, "subjects[%d]: %s", i, caseroom.ErrorMessage(err))
			}
			if seen[sid] {
				return caseroom.Errorf(caseroom.EINVALID, "subjects[%d]: %s is named twice", i, ref)
			}
			seen[sid] = true
			subjects = append(subjects, subject{sid, kind})
		}
		var num int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM actions WHERE case_id = ?`, caseID).Scan(&num); err != nil {
			return fmt.Errorf("number action: %w", err)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		var due any
		if na.Due != nil {
			due = formatTime(*na.Due)
		}
		now := formatTime(tx.now)
		if err := tx.exec(`INSERT INTO actions (id, case_id, num, ref, kind, title, raised_from_id, priority, due, raised_by, raised_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, num, fmt.Sprintf("A-%d", num), string(na.Kind), na.Title, from, string(na.Priority), due, tx.actor.Name, now, seq); err != nil {
			return fmt.Errorf("insert action: %w", err)
		}
		for i, s := range subjects {
			if err := tx.exec(`INSERT INTO action_subjects (id, action_id, case_id, pos, subject_id, subject_kind, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				newID(prefixActionSubject), id, caseID, i, s.id, s.kind, seq); err != nil {
				return fmt.Errorf("insert action subject: %w", err)
			}
		}
		if err := tx.insertActionEvent(caseID, id, 1, caseroom.ActionEventRaised, "", nil, "", seq); err != nil {
			return err
		}
		if err := tx.queueForSearch(caseID, id, "action"); err != nil {
			return err
		}
		return tx.appendAudit(seq, "action.raise", "action", id, caseID)
	})
	if err != nil {
		return nil, err
	}
	return db.readAction(ctx, caseID, id)
}

// actionSubject resolves a subject of an action: a person (id or pseudonym) or an
// exhibit (id or reference) of the case.
func (tx *Tx) actionSubject(caseID, ref string) (id, kind string, err error) {
	switch {
	case strings.HasPrefix(ref, prefixPerson+"_") || pseudonymPattern.MatchString(ref):
		id, err := resolvePerson(tx.ctx, tx, caseID, ref)
		return id, "person", err
	case strings.HasPrefix(ref, prefixExhibit+"_") || exhibitRefPattern.MatchString(ref):
		err := tx.QueryRowContext(tx.ctx, `SELECT id FROM exhibits WHERE case_id = ? AND (id = ? OR ref = ?)`, caseID, ref, ref).Scan(&id)
		if isNoRows(err) {
			return "", "", caseroom.Errorf(caseroom.ENOTFOUND, "There is no exhibit %s in this case.", ref)
		}
		return id, "exhibit", err
	}
	return "", "", caseroom.Errorf(caseroom.ENOTFOUND, "%q is neither a person (id or pseudonym such as V-0007) nor an exhibit (id or reference such as SB/3) of this case", ref)
}

// insertActionEvent appends one step to an action's history.
func (tx *Tx) insertActionEvent(caseID, actionID string, n int, ev caseroom.ActionEventKind, to string, document any, reason string, seq int64) error {
	if err := tx.exec(`INSERT INTO action_events (id, action_id, case_id, seq, event, to_user, document_id, reason, by_whom, at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		newID(prefixActionEvent), actionID, caseID, n, string(ev), to, document, reason, tx.actor.Name, formatTime(tx.now), seq); err != nil {
		return fmt.Errorf("insert action event: %w", err)
	}
	if strings.TrimSpace(reason) == "" || n == 1 {
		return nil
	}
	// A reason given is searchable with the action's title.
	return tx.queueForSearch(caseID, actionID, "action")
}

// actionStep is one transition of an action: who may make it, from which states, and
// the event it appends.
type actionStep struct {
	verb  string // the audit action is "action." + verb
	event caseroom.ActionEventKind
	from  []caseroom.ActionState
	// allowed refuses an actor who may not make the step (EFORBIDDEN).
	allowed func(role caseroom.Role, actor string, a *caseroom.Action) error
	// prepare checks the step against the action and returns the event's fields.
	prepare func(tx *Tx, a *caseroom.Action) (to string, document any, reason string, err error)
}

// leadOnly allows a step to the case's lead alone.
func leadOnly(what string) func(caseroom.Role, string, *caseroom.Action) error {
	return func(role caseroom.Role, _ string, _ *caseroom.Action) error {
		if role != caseroom.RoleLead {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Only the case's lead can %s actions; your role is %s.", what, role)
		}
		return nil
	}
}

// stepAction makes a transition in one write: the actor's role, the action's state (read
// from its latest event), the step's own checks, then the event and its audit entry.
func (db *DB) stepAction(ctx context.Context, caseID, action string, st actionStep) (*caseroom.Action, error) {
	var actionID string
	err := db.write(ctx, func(tx *Tx) error {
		role, err := memberRole(ctx, tx, caseID, tx.actor)
		if err != nil {
			return err
		}
		a, err := loadAction(ctx, tx, db.v(), caseID, action)
		if err != nil {
			return err
		}
		actionID = a.ID
		if err := st.allowed(role, tx.actor.Name, a); err != nil {
			return err
		}
		ok := false
		for _, s := range st.from {
			ok = ok || a.State == s
		}
		if !ok {
			return caseroom.Errorf(caseroom.ECONFLICT, "Action %s is %s; only an action that is %s can be %s.", a.Ref, a.State, joinOr(st.from), st.event)
		}
		var to, reason string
		var document any
		if st.prepare != nil {
			if to, document, reason, err = st.prepare(tx, a); err != nil {
				return err
			}
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.insertActionEvent(caseID, a.ID, len(a.History)+1, st.event, to, document, reason, seq); err != nil {
			return err
		}
		return tx.appendAudit(seq, "action."+st.verb, "action", a.ID, caseID)
	})
	if err != nil {
		return nil, err
	}
	return db.readAction(ctx, caseID, actionID)
}

// AllocateAction allocates an action to a member. See caseroom.ActionService.
func (db *DB) AllocateAction(ctx context.Context, caseID, action string, al caseroom.ActionAllocation) (*caseroom.Action, error) {
	to := strings.TrimSpace(al.To)
	if to == "" {
		return nil, caseroom.Errorf(caseroom.EINVALID, "to: required; name the member (user name) the action is allocated to")
	}
	return db.stepAction(ctx, caseID, action, actionStep{
		verb: "allocate", event: caseroom.ActionEventAllocated,
		from:    []caseroom.ActionState{caseroom.ActionRaised, caseroom.ActionAllocated},
		allowed: leadOnly("allocate"),
		prepare: func(tx *Tx, a *caseroom.Action) (string, any, string, error) {
			u, err := findUser(tx.ctx, tx, to)
			if err != nil {
				return "", nil, "", caseroom.Errorf(caseroom.EINVALID, "to: %q is not a member of this case; allocate actions to members (by user name)", to)
			}
			role, err := memberRole(tx.ctx, tx, caseID, u)
			if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
				return "", nil, "", caseroom.Errorf(caseroom.EINVALID, "to: %q is not a member of this case; allocate actions to members (by user name), or add them first", to)
			} else if err != nil {
				return "", nil, "", err
			}
			if !role.CanTakeActions() {
				return "", nil, "", caseroom.Errorf(caseroom.EINVALID, "to: %s is %s in this case and cannot be allocated actions", to, role)
			}
			if a.State == caseroom.ActionAllocated && a.AllocatedTo == u.Name {
				return "", nil, "", caseroom.Errorf(caseroom.ECONFLICT, "Action %s is already allocated to %s.", a.Ref, u.Name)
			}
			return u.Name, nil, "", nil
		},
	})
}

// resultChecks holds, per kind of action, what must hold before an action of that
// kind may be resulted; each returns a *caseroom.Error (ECONFLICT) saying what is
// missing. A medical examination needs its consents (checkMedicalConsents, consent.go).
var resultChecks = map[caseroom.ActionKind]func(tx *Tx, a *caseroom.Action) error{}

// ResultAction results an allocated action with a document. See caseroom.ActionService.
func (db *DB) ResultAction(ctx context.Context, caseID, action string, r caseroom.ActionResultInput) (*caseroom.Action, error) {
	document := strings.TrimSpace(r.Document)
	if document == "" {
		return nil, caseroom.Errorf(caseroom.EINVALID, "document: required; name the document (id or reference such as S-12) that results the action")
	}
	return db.stepAction(ctx, caseID, action, actionStep{
		verb: "result", event: caseroom.ActionEventResulted,
		from: []caseroom.ActionState{caseroom.ActionAllocated},
		allowed: func(role caseroom.Role, actor string, a *caseroom.Action) error {
			if role == caseroom.RoleLead || (a.AllocatedTo == actor && role.CanTakeActions()) {
				return nil
			}
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Only the member action %s is allocated to, or the lead, can result it.", a.Ref)
		},
		prepare: func(tx *Tx, a *caseroom.Action) (string, any, string, error) {
			doc, err := tx.optionalDocument(caseID, document, "document")
			if err != nil {
				return "", nil, "", err
			}
			if check := resultChecks[a.Kind]; check != nil {
				if err := check(tx, a); err != nil {
					return "", nil, "", err
				}
			}
			return "", doc, "", nil
		},
	})
}

// FileAction files a resulted action. See caseroom.ActionService.
func (db *DB) FileAction(ctx context.Context, caseID, action string) (*caseroom.Action, error) {
	return db.stepAction(ctx, caseID, action, actionStep{
		verb: "file", event: caseroom.ActionEventFiled,
		from:    []caseroom.ActionState{caseroom.ActionResulted},
		allowed: leadOnly("file"),
	})
}

// reasonStep returns the prepare of a step that needs a reason.
func reasonStep(reason string) func(*Tx, *caseroom.Action) (string, any, string, error) {
	return func(*Tx, *caseroom.Action) (string, any, string, error) { return "", nil, reason, nil }
}

// checkReason trims a reason and refuses an empty or overlong one.
func checkReason(reason, why string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", caseroom.Errorf(caseroom.EINVALID, "reason: required; say why the action is %s", why)
	}
	if len(reason) > maxActionReason {
		return "", caseroom.Errorf(caseroom.EINVALID, "reason: at most %d bytes", maxActionReason)
	}
	return reason, nil
}

// ReferBackAction sends a result back. See caseroom.ActionService.
func (db *DB) ReferBackAction(ctx context.Context, caseID, action string, r caseroom.ActionReason) (*caseroom.Action, error) {
	reason, err := checkReason(r.Reason, "referred back")
	if err != nil {
		return nil, err
	}
	return db.stepAction(ctx, caseID, action, actionStep{
		verb: "refer-back", event: caseroom.ActionEventReferredBack,
		from:    []caseroom.ActionState{caseroom.ActionResulted},
		allowed: leadOnly("refer back"),
		prepare: reasonStep(reason),
	})
}

// CancelAction cancels an action. See caseroom.ActionService.
func (db *DB) CancelAction(ctx context.Context, caseID, action string, r caseroom.ActionReason) (*caseroom.Action, error) {
	reason, err := checkReason(r.Reason, "cancelled")
	if err != nil {
		return nil, err
	}
	return db.stepAction(ctx, caseID, action, actionStep{
		verb: "cancel", event: caseroom.ActionEventCancelled,
		from:    []caseroom.ActionState{caseroom.ActionRaised, caseroom.ActionAllocated},
		allowed: leadOnly("cancel"),
		prepare: reasonStep(reason),
	})
}

// FindAction returns an action with its history. See caseroom.ActionService.
func (db *DB) FindAction(ctx context.Context, caseID, action string) (*caseroom.Action, error) {
	if err := db.checkWholeCase(ctx, caseID, "actions"); err != nil {
		return nil, err
	}
	return db.readAction(ctx, caseID, action)
}

// readAction reads one action (by id or reference) as the acting user may see it:
// a medical report is not named to a role that does not read medical reports (see
// withholdMedicalReports).
func (db *DB) readAction(ctx context.Context, caseID, action string) (*caseroom.Action, error) {
	q, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	a, err := loadAction(ctx, q, db.v(), caseID, action)
	if err != nil {
		return nil, err
	}
	if err := withholdMedicalReports(ctx, q, caseID, role, []*caseroom.Action{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// withholdMedicalReports takes out of actions, for a role that does not read medical
// reports, every reference to one (see medicalReportIDs), so that a medical report is
// to them as if it did not exist: an action raised from one shows no raisedFrom; one
// resulted with one shows no result but ResultRestricted, and its resulted events no
// document. What happened (resulted, when and by whom) still shows: the action is the
// team's, its result document is not.
func withholdMedicalReports(ctx context.Context, q querier, caseID string, role caseroom.Role, actions []*caseroom.Action) error {
	if role.ReadsMedicalReports() || len(actions) == 0 {
		return nil
	}
	ids, err := medicalReportIDs(ctx, q, caseID, "")
	if err != nil || len(ids) == 0 {
		return err
	}
	reports := map[string]bool{} // by case reference, as actions name documents
	err = scanEach(ctx, q, `SELECT id, ref FROM documents WHERE case_id = ?`, []any{caseID}, func(scan func(...any) error) error {
		var id, ref string
		if err := scan(&id, &ref); err != nil {
			return err
		}
		if ids[id] {
			reports[ref] = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("medical report references: %w", err)
	}
	for _, a := range actions {
		if reports[a.RaisedFrom] {
			a.RaisedFrom = ""
		}
		if reports[a.Result] {
			a.Result, a.ResultRestricted = "", true
		}
		for _, ev := range a.History {
			if reports[ev.Document] {
				ev.Document = ""
			}
		}
	}
	return nil
}

// FindActions lists a case's actions. See caseroom.ActionService.
func (db *DB) FindActions(ctx context.Context, caseID string, f caseroom.ActionFilter) ([]*caseroom.Action, error) {
	if f.State != "" && !validActionState(f.State) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "state: %q is not an action state; use one of %s", f.State, joinList(caseroom.ActionStates))
	}
	if err := db.checkWholeCase(ctx, caseID, "actions"); err != nil {
		return nil, err
	}
	q, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	all, err := loadActions(ctx, q, db.v(), caseID, "")
	if err != nil {
		return nil, err
	}
	if err := withholdMedicalReports(ctx, q, caseID, role, all); err != nil {
		return nil, err
	}
	out := []*caseroom.Action{}
	for _, a := range all {
		if (f.State == "" || a.State == f.State) && (f.To == "" || a.AllocatedTo == f.To) {
			out = append(out, a)
		}
	}
	return out, nil
}

// loadAction reads one action by id or reference.
func loadAction(ctx context.Context, q querier, v *vault.Vault, caseID, action string) (*caseroom.Action, error) {
	action = strings.TrimSpace(action)
	if !actionRefPattern.MatchString(action) && !strings.HasPrefix(action, prefixAction+"_") {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "%q is neither an action id nor a reference such as A-3", action)
	}
	as, err := loadActions(ctx, q, v, caseID, action)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no action %s in this case.", action)
	}
	return as[0], nil
}

// loadActions reads a case's actions (or the one named by id or reference) with their
// subjects and histories, and works out each one's state from its events.
func loadActions(ctx context.Context, q querier, v *vault.Vault, caseID, action string) ([]*caseroom.Action, error) {
	filter, args := ``, []any{caseID}
	if action != "" {
		filter, args = ` AND (a.id = ? OR a.ref = ?)`, append(args, action, action)
	}
	out := []*caseroom.Action{}
	byID := map[string]*caseroom.Action{}
	err := scanEach(ctx, q, `SELECT a.id, a.case_id, a.ref, a.kind, a.title, COALESCE(d.ref, ''), a.priority, a.due, a.raised_by, a.raised_at
		FROM actions a LEFT JOIN documents d ON d.id = a.raised_from_id WHERE a.case_id = ?`+filter+` ORDER BY a.num`, args,
		func(scan func(...any) error) error {
			a := &caseroom.Action{Subjects: []caseroom.ActionSubject{}, History: []*caseroom.ActionEvent{}}
			var kind, priority, raisedAt string
			var due *string
			if err := scan(&a.ID, &a.CaseID, &a.Ref, &kind, &a.Title, &a.RaisedFrom, &priority, &due, &a.RaisedBy, &raisedAt); err != nil {
				return err
			}
			a.Kind, a.Priority = caseroom.ActionKind(kind), caseroom.ActionPriority(priority)
			var err error
			if a.RaisedAt, err = parseTime(raisedAt); err != nil {
				return err
			}
			if due != nil {
				t, err := parseTime(*due)
				if err != nil {
					return err
				}
				a.Due = &t
			}
			out = append(out, a)
			byID[a.ID] = a
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load actions: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	cfilter, cargs := `case_id = ?`, []any{caseID}
	if action != "" {
		cfilter, cargs = `action_id = ?`, []any{out[0].ID}
	}
	var persons []string
	exhibits := map[string]string{}
	err = scanEach(ctx, q, `SELECT action_id, subject_id, subject_kind FROM action_subjects WHERE `+cfilter+` ORDER BY action_id, pos`, cargs,
		func(scan func(...any) error) error {
			var actionID string
			var s caseroom.ActionSubject
			if err := scan(&actionID, &s.ID, &s.Kind); err != nil {
				return err
			}
			if s.Kind == "person" {
				persons = append(persons, s.ID)
			} else {
				exhibits[s.ID] = ""
			}
			if a := byID[actionID]; a != nil {
				a.Subjects = append(a.Subjects, s)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load action subjects: %w", err)
	}
	err = scanEach(ctx, q, `SELECT e.id, e.action_id, e.seq, e.event, e.to_user, COALESCE(d.ref, ''), e.reason, e.by_whom, e.at
		FROM action_events e LEFT JOIN documents d ON d.id = e.document_id WHERE e.`+cfilter+` ORDER BY e.action_id, e.seq`, cargs,
		func(scan func(...any) error) error {
			ev := &caseroom.ActionEvent{}
			var actionID, event, at string
			if err := scan(&ev.ID, &actionID, &ev.Seq, &event, &ev.To, &ev.Document, &ev.Reason, &ev.By, &at); err != nil {
				return err
			}
			ev.Event = caseroom.ActionEventKind(event)
			var err error
			if ev.At, err = parseTime(at); err != nil {
				return err
			}
			if a := byID[actionID]; a != nil {
				a.History = append(a.History, ev)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load action events: %w", err)
	}
	err = loadConsents(ctx, q, func(ids []string) (map[string]string, error) { return personLabels(ctx, q, v, caseID, ids) }, cfilter, cargs, byID)
	if err != nil {
		return nil, fmt.Errorf("load consents: %w", err)
	}
	// Labels as elsewhere: victims by pseudonym, others by their first name or alias,
	// exhibits by reference.
	labels, err := personLabels(ctx, q, v, caseID, persons)
	if err != nil {
		return nil, err
	}
	if len(exhibits) > 0 {
		err = scanEach(ctx, q, `SELECT id, ref FROM exhibits WHERE case_id = ?`, []any{caseID}, func(scan func(...any) error) error {
			var id, ref string
			if err := scan(&id, &ref); err != nil {
				return err
			}
			if _, ok := exhibits[id]; ok {
				labels[id] = ref
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("load action exhibits: %w", err)
		}
	}
	for _, a := range out {
		for i := range a.Subjects {
			if a.Subjects[i].Label = labels[a.Subjects[i].ID]; a.Subjects[i].Label == "" {
				a.Subjects[i].Label = a.Subjects[i].ID
			}
		}
		applyHistory(a)
	}
	return out, nil
}

// applyHistory sets an action's state, allocation and result from its events, oldest
// first: raised; allocated (to someone); resulted (with a document); filed; referred
// back (allocated again to the same member, the result set aside); cancelled.
func applyHistory(a *caseroom.Action) {
	for _, ev := range a.History {
		switch ev.Event {
		case caseroom.ActionEventRaised:
			a.State = caseroom.ActionRaised
		case caseroom.ActionEventAllocated:
			a.State, a.AllocatedTo = caseroom.ActionAllocated, ev.To
		case caseroom.ActionEventResulted:
			a.State, a.Result = caseroom.ActionResulted, ev.Document
		case caseroom.ActionEventFiled:
			a.State = caseroom.ActionFiled
		case caseroom.ActionEventReferredBack:
			a.State, a.Result = caseroom.ActionAllocated, ""
		case caseroom.ActionEventCancelled:
			a.State = caseroom.ActionCancelled
		}
	}
}

// joinList writes a list of enum values as "a, b, c".
func joinList[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// joinOr writes a list of states as "a or b".
func joinOr(list []caseroom.ActionState) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	return strings.Join(s, " or ")
}

// RecordDecision appends a decision to the lead's log. See caseroom.DecisionService.
func (db *DB) RecordDecision(ctx context.Context, caseID string, nd caseroom.NewDecision) (*caseroom.Decision, error) {
	nd.Decision, nd.Rationale = strings.TrimSpace(nd.Decision), strings.TrimSpace(nd.Rationale)
	switch {
	case nd.Decision == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "decision: required; say what was decided")
	case len(nd.Decision) > 4000:
		return nil, caseroom.Errorf(caseroom.EINVALID, "decision: at most 4000 bytes")
	case nd.Rationale == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "rationale: required; say why")
	case len(nd.Rationale) > 20000:
		return nil, caseroom.Errorf(caseroom.EINVALID, "rationale: at most 20000 bytes")
	}
	d := &caseroom.Decision{ID: newID(prefixDecision), CaseID: caseID, Decision: nd.Decision, Rationale: nd.Rationale}
	err := db.write(ctx, func(tx *Tx) error {
		role, err := memberRole(ctx, tx, caseID, tx.actor)
		if err != nil {
			return err
		}
		if role != caseroom.RoleLead {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Only the case's lead records decisions in the decision log; your role is %s.", role)
		}
		var num int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM decisions WHERE case_id = ?`, caseID).Scan(&num); err != nil {
			return fmt.Errorf("number decision: %w", err)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		d.Number, d.DecidedBy, d.DecidedAt = int(num), tx.actor.Name, tx.now
		if err := tx.exec(`INSERT INTO decisions (id, case_id, num, decision, rationale, decided_by, decided_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, caseID, num, d.Decision, d.Rationale, d.DecidedBy, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert decision: %w", err)
		}
		if err := tx.queueForSearch(caseID, d.ID, "decision"); err != nil {
			return err
		}
		return tx.appendAudit(seq, "decision.record", "decision", d.ID, caseID)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// FindDecisions lists the case's decisions. See caseroom.DecisionService.
func (db *DB) FindDecisions(ctx context.Context, caseID string) ([]*caseroom.Decision, error) {
	_, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if !role.CanReadDecisions() {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) does not read the decision log; the lead, the prosecutor and oversight do.", role)
	}
	return loadDecisions(ctx, db.reader(), caseID, "", nil)
}

// loadDecisions reads a case's decisions, in order, those filter (a condition on
// decisions with its argument) selects if it is not "".
func loadDecisions(ctx context.Context, q querier, caseID, filter string, arg any) ([]*caseroom.Decision, error) {
	args := []any{caseID}
	if filter != "" {
		filter, args = " AND "+filter, append(args, arg)
	}
	out := []*caseroom.Decision{}
	err := scanEach(ctx, q, `SELECT id, case_id, num, decision, rationale, decided_by, decided_at FROM decisions WHERE case_id = ?`+filter+` ORDER BY num`, args,
		func(scan func(...any) error) error {
			d := &caseroom.Decision{}
			var at string
			if err := scan(&d.ID, &d.CaseID, &d.Number, &d.Decision, &d.Rationale, &d.DecidedBy, &at); err != nil {
				return err
			}
			var err error
			if d.DecidedAt, err = parseTime(at); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find decisions: %w", err)
	}
	return out, nil
}
