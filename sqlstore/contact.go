package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"caseroom"
	"caseroom/vault"
)

var _ caseroom.ContactService = (*DB)(nil)

const prefixContact = "con"

// maxContactPurpose bounds a contact's purpose.
const maxContactPurpose = 2000

func validContactKind(k caseroom.ContactKind) bool {
	for _, x := range caseroom.ContactKinds {
		if x == k {
			return true
		}
	}
	return false
}

// RecordContact records a contact with a victim or their family. See
// caseroom.ContactService.
//
// The victims a contact concerns are the person, if a victim of the case, and every
// victim the person has a standing parent_of, guardian_of or related_to link to
// (related_to is read in both directions). The alert rule: the contact raises an alert
// unless the member in contact has an open action (raised or allocated) concerning one
// of those victims (or the person contacted) that they raised or that is allocated to
// them. The victims, the alert and its reason are stored with the contact, as they
// stood when it was recorded; the contact is numbered VC-n in its case and written
// under one audit entry (contact.record).
func (db *DB) RecordContact(ctx context.Context, caseID string, nc caseroom.NewContact) (*caseroom.Contact, error) {
	nc.Person, nc.By, nc.Purpose = strings.TrimSpace(nc.Person), strings.TrimSpace(nc.By), strings.TrimSpace(nc.Purpose)
	switch {
	case nc.Person == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "person: required; the victim, or a parent, guardian or relative of one, by id or pseudonym")
	case nc.By == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "by: required; the member in contact, by user name")
	case nc.At == nil || nc.At.IsZero():
		return nil, caseroom.Errorf(caseroom.EINVALID, "at: required; when the contact took place, RFC 3339 such as 2026-11-21T08:00:00Z")
	case !validContactKind(nc.Kind):
		return nil, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not a kind of contact; use one of %s", nc.Kind, joinList(caseroom.ContactKinds))
	case nc.Purpose == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "purpose: required; say why the contact was made")
	case len(nc.Purpose) > maxContactPurpose:
		return nil, caseroom.Errorf(caseroom.EINVALID, "purpose: at most %d bytes", maxContactPurpose)
	}
	if err := notInFuture("at", *nc.At, db.Now()); err != nil {
		return nil, err
	}
	id := newID(prefixContact)
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		person, err := tx.personField(caseID, nc.Person, "person")
		if err != nil {
			return err
		}
		victims, err := contactVictims(ctx, tx, caseID, person)
		if err != nil {
			return err
		}
		if len(victims) == 0 {
			return caseroom.Errorf(caseroom.EINVALID, "person: %s is neither a victim of this case nor linked to one as parent, guardian or relative (parent_of, guardian_of or related_to); the ledger records contacts with victims and their families", nc.Person)
		}
		u, _, err := tx.memberNamed(caseID, nc.By, "by", "name the member in contact by user name")
		if err != nil {
			return err
		}
		reason, err := contactAlert(ctx, tx, db.v(), caseID, u.Name, person, victims)
		if err != nil {
			return err
		}
		var num int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM contacts WHERE case_id = ?`, caseID).Scan(&num); err != nil {
			return fmt.Errorf("number contact: %w", err)
		}
		vj, err := json.Marshal(victims)
		if err != nil {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO contacts (id, case_id, num, ref, person_id, victims, by_whom, at, kind, purpose, alert, alert_reason, recorded_by, recorded_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, num, fmt.Sprintf("VC-%d", num), person, string(vj), u.Name, formatTime(*nc.At), string(nc.Kind), nc.Purpose,
			boolInt(reason != ""), reason, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert contact: %w", err)
		}
		return tx.appendAudit(seq, "contact.record", "contact", id, caseID)
	})
	if err != nil {
		return nil, err
	}
	cs, err := loadContacts(ctx, db.reader(), db.v(), caseID, id, false)
	if err != nil {
		return nil, err
	}
	return cs[0], nil
}

// contactVictims returns the victims a contact with person concerns, in a stable order.
func contactVictims(ctx context.Context, q querier, caseID, person string) ([]string, error) {
	var victims []string
	err := scanEach(ctx, q, `SELECT r.person_id FROM person_roles r WHERE r.case_id = ? AND r.role = ? AND (r.person_id = ?
		OR r.person_id IN (SELECT l.to_id FROM links l WHERE l.case_id = ? AND l.from_id = ? AND l.type IN ('parent_of', 'guardian_of', 'related_to') AND `+standingLink+`)
		OR r.person_id IN (SELECT l.from_id FROM links l WHERE l.case_id = ? AND l.to_id = ? AND l.type = 'related_to' AND `+standingLink+`))
		ORDER BY r.person_id`,
		[]any{caseID, string(caseroom.PersonVictim), person, caseID, person, caseID, person}, func(scan func(...any) error) error {
			var id string
			if err := scan(&id); err != nil {
				return err
			}
			victims = append(victims, id)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("contact victims: %w", err)
	}
	return victims, nil
}

// contactAlert returns why a contact by member with person raises an alert, or "" if
// the member has an open action concerning the person or one of the victims.
func contactAlert(ctx context.Context, q querier, v *vault.Vault, caseID, member, person string, victims []string) (string, error) {
	actions, err := loadActions(ctx, q, v, caseID, "")
	if err != nil {
		return "", err
	}
	concerned := map[string]bool{person: true}
	for _, id := range victims {
		concerned[id] = true
	}
	for _, a := range actions {
		open := a.State == caseroom.ActionRaised || a.State == caseroom.ActionAllocated
		theirs := a.AllocatedTo == member || a.RaisedBy == member
		if !open || !theirs {
			continue
		}
		for _, s := range a.Subjects {
			if s.Kind == "person" && concerned[s.ID] {
				return "", nil
			}
		}
	}
	return fmt.Sprintf("%s has no open action (raised by them or allocated to them) concerning this victim", member), nil
}

// FindContacts lists the case's contacts. See caseroom.ContactService.
func (db *DB) FindContacts(ctx context.Context, caseID string, f caseroom.ContactFilter) ([]*caseroom.Contact, error) {
	q, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if role != caseroom.RoleLead && role != caseroom.RoleOversight {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) does not read the victim-contact ledger; the lead and oversight do.", role)
	}
	return loadContacts(ctx, q, db.v(), caseID, "", f.AlertsOnly)
}

// loadContacts reads a case's contacts (or one, by id), oldest first.
func loadContacts(ctx context.Context, q querier, v *vault.Vault, caseID, id string, alertsOnly bool) ([]*caseroom.Contact, error) {
	filter, args := ``, []any{caseID}
	if id != "" {
		filter, args = filter+` AND id = ?`, append(args, id)
	}
	if alertsOnly {
		filter += ` AND alert = 1`
	}
	out := []*caseroom.Contact{}
	var persons []string
	err := scanEach(ctx, q, `SELECT id, case_id, ref, person_id, victims, by_whom, at, kind, purpose, alert, alert_reason, recorded_by, recorded_at FROM contacts WHERE case_id = ?`+filter+` ORDER BY num`, args,
		func(scan func(...any) error) error {
			c := &caseroom.Contact{}
			var victims, at, kind, recorded string
			var alert int64
			if err := scan(&c.ID, &c.CaseID, &c.Ref, &c.Person, &victims, &c.By, &at, &kind, &c.Purpose, &alert, &c.AlertReason, &c.RecordedBy, &recorded); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(victims), &c.Victims); err != nil {
				return fmt.Errorf("contact %s victims: %w", c.ID, err)
			}
			var err error
			if c.At, err = parseTime(at); err != nil {
				return err
			}
			if c.RecordedAt, err = parseTime(recorded); err != nil {
				return err
			}
			c.Kind, c.Alert = caseroom.ContactKind(kind), alert != 0
			out = append(out, c)
			persons = append(persons, c.Person)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load contacts: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	labels, err := personLabels(ctx, q, v, caseID, persons)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		c.PersonLabel = labels[c.Person]
	}
	return out, nil
}
