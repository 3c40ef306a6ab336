package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"caseroom"
	"caseroom/vault"
)

var _ caseroom.ConsentService = (*DB)(nil)

const prefixConsent = "cns"

func init() {
	resultChecks[caseroom.ActionMedicalExamination] = checkMedicalConsents
}

// RecordConsent records a consent, refusal or objection. See caseroom.ConsentService.
//
// Who may answer for person P (a person the action concerns):
//   - P themself (capacity self), consent or refusal;
//   - a parent or guardian: a person with a standing link parent_of or guardian_of to
//     P (capacity guardian), consent or refusal;
//   - P's representative: a person with a standing link represents to P (capacity
//     representative), an objection (given false) only: a representative does not
//     consent on a victim's behalf.
//
// A standing link is one neither retracted nor corrected by a later link.
func (db *DB) RecordConsent(ctx context.Context, caseID, action string, nc caseroom.NewConsent) (*caseroom.Action, error) {
	nc.Person, nc.By, nc.Note = strings.TrimSpace(nc.Person), strings.TrimSpace(nc.By), strings.TrimSpace(nc.Note)
	switch {
	case nc.Person == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "person: required; whose consent it is (the person to be examined), by id or pseudonym")
	case nc.By == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "by: required; who gave or refused consent (the person, a parent or guardian, or their representative), by id or pseudonym")
	case nc.Given == nil:
		return nil, caseroom.Errorf(caseroom.EINVALID, "given: required; true for consent, false for a refusal or an objection")
	case len(nc.Note) > maxActionReason:
		return nil, caseroom.Errorf(caseroom.EINVALID, "note: at most %d bytes", maxActionReason)
	}
	var actionID string
	err := db.write(ctx, func(tx *Tx) error {
		role, err := memberRole(ctx, tx, caseID, tx.actor)
		if err != nil {
			return err
		}
		if !role.CanRecord() && role != caseroom.RoleMedical {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot record consents; the lead, investigators, indexers, protection and medical officers can.", role)
		}
		a, err := loadAction(ctx, tx, db.v(), caseID, action)
		if err != nil {
			return err
		}
		actionID = a.ID
		if a.Kind != caseroom.ActionMedicalExamination {
			return caseroom.Errorf(caseroom.ECONFLICT, "Consents are recorded on medical examinations; action %s is of kind %s.", a.Ref, a.Kind)
		}
		if a.State != caseroom.ActionRaised && a.State != caseroom.ActionAllocated {
			return caseroom.Errorf(caseroom.ECONFLICT, "Action %s is %s; consents are recorded while it is raised or allocated.", a.Ref, a.State)
		}
		person, err := tx.personField(caseID, nc.Person, "person")
		if err != nil {
			return err
		}
		concerned := false
		for _, s := range a.Subjects {
			concerned = concerned || (s.Kind == "person" && s.ID == person)
		}
		if !concerned {
			return caseroom.Errorf(caseroom.EINVALID, "person: %s is not a person action %s concerns; consents are recorded for the person to be examined", nc.Person, a.Ref)
		}
		by, err := tx.personField(caseID, nc.By, "by")
		if err != nil {
			return err
		}
		capacity, err := consentCapacity(ctx, tx, caseID, person, by)
		if err != nil {
			return err
		}
		if capacity == "" {
			return caseroom.Errorf(caseroom.EINVALID, "by: %s is neither %s, nor a parent or guardian of theirs (a parent_of or guardian_of link), nor their representative (a represents link); record that relation, with its source, first", nc.By, nc.Person)
		}
		if capacity == caseroom.ConsentRepresentative && *nc.Given {
			return caseroom.Errorf(caseroom.EINVALID, "given: %s is %s's representative, who may object (given false) but cannot consent on their behalf; the person, or for a minor a parent or guardian, consents", nc.By, nc.Person)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		id := newID(prefixConsent)
		if err := tx.exec(`INSERT INTO action_consents (id, action_id, case_id, person_id, by_id, capacity, given, note, recorded_by, recorded_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, a.ID, caseID, person, by, string(capacity), boolInt(*nc.Given), nc.Note, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert consent: %w", err)
		}
		return tx.appendAudit(seq, "action.consent", "action", a.ID, caseID)
	})
	if err != nil {
		return nil, err
	}
	return db.readAction(ctx, caseID, actionID)
}

// standingLink is the condition that link l (alias) stands: not a retraction, and
// neither corrected nor withdrawn by a later link.
const standingLink = `l.retracts = 0 AND NOT EXISTS (SELECT 1 FROM links r WHERE r.corrects_id = l.id)`

// consentCapacity says in what capacity by answers for person, or "" if in none.
func consentCapacity(ctx context.Context, q querier, caseID, person, by string) (caseroom.ConsentCapacity, error) {
	if by == person {
		return caseroom.ConsentSelf, nil
	}
	var types []string
	err := scanEach(ctx, q, `SELECT l.type FROM links l WHERE l.case_id = ? AND l.from_id = ? AND l.to_id = ? AND `+standingLink,
		[]any{caseID, by, person}, func(scan func(...any) error) error {
			var t string
			if err := scan(&t); err != nil {
				return err
			}
			types = append(types, t)
			return nil
		})
	if err != nil {
		return "", fmt.Errorf("consent capacity: %w", err)
	}
	if contains(types, "parent_of") || contains(types, "guardian_of") {
		return caseroom.ConsentGuardian, nil
	}
	if contains(types, "represents") {
		return caseroom.ConsentRepresentative, nil
	}
	return "", nil
}

// checkMedicalConsents is the result check of a medical examination: for every person
// it concerns, the latest answer of that person is a consent and, for a minor, some
// parent or guardian's latest answer is a consent and none's is a refusal. A
// representative's objection is recorded and shown but does not decide.
func checkMedicalConsents(tx *Tx, a *caseroom.Action) error {
	var persons []caseroom.ActionSubject
	for _, s := range a.Subjects {
		if s.Kind == "person" {
			persons = append(persons, s)
		}
	}
	if len(persons) == 0 {
		return caseroom.Errorf(caseroom.ECONFLICT, "Action %s names no person to be examined, so no consent can have been given; a medical examination concerns a person (raise it again with the person as a subject).", a.Ref)
	}
	missing, _, err := consentGaps(tx.ctx, tx, tx.db.v(), a, tx.now)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return caseroom.Errorf(caseroom.ECONFLICT, "Action %s cannot be resulted without %s: record the missing consents first.", a.Ref, strings.Join(missing, " and "))
	}
	return nil
}

// consentGaps says which required consents of a medical examination are missing, in
// words, and whether a required party's latest answer is a refusal. For every person
// the action concerns, their own latest answer must be a consent and, for a minor, some
// parent or guardian's latest answer a consent and none's a refusal. A
// representative's objection is recorded and shown but does not decide.
func consentGaps(ctx context.Context, q querier, v *vault.Vault, a *caseroom.Action, now time.Time) (missing []string, refusedAny bool, err error) {
	for _, s := range a.Subjects {
		if s.Kind != "person" {
			continue
		}
		latest := map[string]*caseroom.Consent{} // by answering person, the latest answer
		for _, c := range a.Consents {
			if c.Person == s.ID {
				latest[c.By] = c
			}
		}
		if c := latest[s.ID]; c == nil || !c.Given {
			what := "the victim's consent (" + s.Label + ")"
			if c != nil {
				refusedAny = true
				what += ": " + s.Label + " refused"
			}
			missing = append(missing, what)
		}
		ps, err := loadPersons(ctx, q, v, a.CaseID, s.ID)
		if err != nil {
			return nil, false, err
		}
		minor, _, why := ps[0].Minor(now)
		if !minor {
			continue
		}
		yes, refused := false, ""
		for _, c := range latest {
			if c.Capacity != caseroom.ConsentGuardian {
				continue
			}
			if c.Given {
				yes = true
			} else {
				refused = c.ByLabel
			}
		}
		switch {
		case refused != "":
			refusedAny = true
			missing = append(missing, fmt.Sprintf("a parent's or guardian's consent for a minor (%s, %s): %s refused", s.Label, why, refused))
		case !yes:
			missing = append(missing, fmt.Sprintf("a parent's or guardian's consent for a minor (%s, %s)", s.Label, why))
		}
	}
	return missing, refusedAny, nil
}

// loadConsents reads the consents of a case's actions (or of one action) onto them,
// oldest first.
func loadConsents(ctx context.Context, q querier, labels func([]string) (map[string]string, error), cfilter string, cargs []any, byID map[string]*caseroom.Action) error {
	var all []*caseroom.Consent
	owner := map[*caseroom.Consent]string{}
	err := scanEach(ctx, q, `SELECT id, action_id, person_id, by_id, capacity, given, note, recorded_by, recorded_at FROM action_consents WHERE `+cfilter+` ORDER BY entry, id`, cargs,
		func(scan func(...any) error) error {
			c := &caseroom.Consent{}
			var actionID, capacity, at string
			var given int64
			if err := scan(&c.ID, &actionID, &c.Person, &c.By, &capacity, &given, &c.Note, &c.RecordedBy, &at); err != nil {
				return err
			}
			c.Capacity, c.Given = caseroom.ConsentCapacity(capacity), given != 0
			var err error
			if c.RecordedAt, err = parseTime(at); err != nil {
				return err
			}
			all = append(all, c)
			owner[c] = actionID
			return nil
		})
	if err != nil || len(all) == 0 {
		return err
	}
	var ids []string
	for _, c := range all {
		ids = append(ids, c.Person, c.By)
	}
	ls, err := labels(ids)
	if err != nil {
		return err
	}
	for _, c := range all {
		c.PersonLabel, c.ByLabel = ls[c.Person], ls[c.By]
		if a := byID[owner[c]]; a != nil {
			a.Consents = append(a.Consents, c)
		}
	}
	return nil
}
