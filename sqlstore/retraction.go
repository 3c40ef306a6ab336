package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"caseroom"
)

// Bounds on implication and retraction.
const (
	maxImplicates    = 100
	maxCircumstances = 20000
)

// validateImplicationAndRetraction checks the fields by which a statement or complaint
// names whom it implicates and a statement withdraws an earlier one.
func validateImplicationAndRetraction(nd *caseroom.NewDocument) error {
	nd.Retracts, nd.Circumstances, nd.RequestedBy = strings.TrimSpace(nd.Retracts), strings.TrimSpace(nd.Circumstances), strings.TrimSpace(nd.RequestedBy)
	if len(nd.Implicates) > 0 && strings.TrimSpace(nd.Giver) == "" {
		return caseroom.Errorf(caseroom.EINVALID, "giver: required with implicates; an implication is a link from the person who gave the %s", nd.Kind)
	}
	if len(nd.Implicates) > maxImplicates {
		return caseroom.Errorf(caseroom.EINVALID, "implicates: at most %d persons", maxImplicates)
	}
	if nd.Retracts == "" {
		switch {
		case nd.Circumstances != "":
			return caseroom.Errorf(caseroom.EINVALID, "retracts: required with circumstances; name the statement withdrawn (such as S-12)")
		case nd.RequestedBy != "":
			return caseroom.Errorf(caseroom.EINVALID, "retracts: required with requestedBy; name the statement withdrawn (such as S-12)")
		}
		return nil
	}
	switch {
	case nd.Kind != caseroom.DocStatement:
		return caseroom.Errorf(caseroom.EINVALID, "retracts: a retraction is a statement by the person who made the one withdrawn; a %s cannot retract", nd.Kind)
	case nd.Circumstances == "":
		return caseroom.Errorf(caseroom.EINVALID, "circumstances: required for a retraction; say how it came about (who came, where, who asked)")
	case len(nd.Circumstances) > maxCircumstances:
		return caseroom.Errorf(caseroom.EINVALID, "circumstances: at most %d bytes", maxCircumstances)
	case len(nd.RequestedBy) > 300:
		return caseroom.Errorf(caseroom.EINVALID, "requestedBy: at most 300 bytes")
	}
	return nil
}

// insertImplications records, for each person a statement or complaint implicates, a
// link of type implicates from the giver to the person, sourced to the document,
// confidence 1 (that the document names them is certain; whether it is true is what
// the accountability report weighs). The links share the document's audit entry.
func (tx *Tx) insertImplications(caseID, docID string, nd *caseroom.NewDocument, seq int64) error {
	if len(nd.Implicates) == 0 {
		return nil
	}
	giver, err := tx.personField(caseID, nd.Giver, "giver")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, ref := range nd.Implicates {
		field := fmt.Sprintf("implicates[%d]", i)
		person, err := tx.personField(caseID, ref, field)
		if err != nil {
			return err
		}
		switch {
		case person == giver:
			return caseroom.Errorf(caseroom.EINVALID, "%s: %s is the giver; a %s implicates others", field, ref, nd.Kind)
		case seen[person]:
			return caseroom.Errorf(caseroom.EINVALID, "%s: %s is named twice", field, ref)
		}
		seen[person] = true
		if err := tx.exec(`INSERT INTO links (id, case_id, from_id, to_id, type, since, until, confidence, source_id, note, corrects_id, retracts, reason, created_by, created_at, entry)
			VALUES (?, ?, ?, ?, 'implicates', '', '', 1, ?, '', NULL, 0, '', ?, ?, ?)`,
			newID(prefixLink), caseID, giver, person, docID, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert implication: %w", err)
		}
	}
	return nil
}

// retractionReview is the review action a retraction raises, written under entries of
// its own after the document's: raised, then (if the case has a protection officer)
// allocated.
type retractionReview struct {
	actionID  string
	raised    int64
	allocated int64 // -1 if left raised
}

// audit appends the review action's entries.
func (r *retractionReview) audit(tx *Tx, caseID string) error {
	if err := tx.appendAudit(r.raised, "action.raise", "action", r.actionID, caseID); err != nil {
		return err
	}
	if r.allocated < 0 {
		return nil
	}
	return tx.appendAudit(r.allocated, "action.allocate", "action", r.actionID, caseID)
}

// insertRetraction records that the statement docID withdraws the one nd.Retracts, by
// the same giver, and raises the action "Independent review of retraction of S-12"
// (kind other, priority high, about the giver, raised from the retraction), allocated
// to the case's first protection officer if it has one. The withdrawn statement is
// not touched. Refused: a statement not of the case, one by someone else, one
// already retracted.
func (tx *Tx) insertRetraction(caseID, docID, ref string, nd *caseroom.NewDocument, seq int64) (*retractionReview, error) {
	target, err := tx.optionalDocument(caseID, nd.Retracts, "retracts")
	if err != nil {
		return nil, err
	}
	var kind, targetRef, targetGiver string
	err = tx.QueryRowContext(tx.ctx, `SELECT d.kind, d.ref, COALESCE(s.giver_id, '') FROM documents d LEFT JOIN statements s ON s.document_id = d.id WHERE d.id = ?`, target).
		Scan(&kind, &targetRef, &targetGiver)
	if err != nil {
		return nil, fmt.Errorf("read retracted document: %w", err)
	}
	if kind != string(caseroom.DocStatement) && kind != string(caseroom.DocComplaint) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "retracts: %s is a %s; only statements and complaints are retracted", targetRef, kind)
	}
	giver, err := tx.personField(caseID, nd.Giver, "giver")
	if err != nil {
		return nil, err
	}
	if targetGiver != giver {
		return nil, caseroom.Errorf(caseroom.ECONFLICT, "retracts: %s was not given by %s; only the person who gave a statement can retract it", targetRef, nd.Giver)
	}
	var earlier string
	err = tx.QueryRowContext(tx.ctx, `SELECT d.ref FROM retractions r JOIN documents d ON d.id = r.document_id WHERE r.retracts_id = ?`, target).Scan(&earlier)
	if err == nil {
		return nil, caseroom.Errorf(caseroom.ECONFLICT, "retracts: %s is already retracted by %s", targetRef, earlier)
	} else if !isNoRows(err) {
		return nil, err
	}
	requestedBy := ""
	if nd.RequestedBy != "" {
		if id, err := resolvePerson(tx.ctx, tx, caseID, nd.RequestedBy); err == nil {
			requestedBy = id
		} else if caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			return nil, err
		} else if u, err := findUser(tx.ctx, tx, nd.RequestedBy); err == nil {
			if _, err := memberRole(tx.ctx, tx, caseID, u); err != nil {
				return nil, caseroom.Errorf(caseroom.EINVALID, "requestedBy: %q is neither a person of this case (id or pseudonym) nor a member (user name)", nd.RequestedBy)
			}
			requestedBy = u.Name
		} else {
			return nil, caseroom.Errorf(caseroom.EINVALID, "requestedBy: %q is neither a person of this case (id or pseudonym) nor a member (user name)", nd.RequestedBy)
		}
	}

	// The review action, numbered next in the case.
	r := &retractionReview{actionID: newID(prefixAction), allocated: -1}
	if r.raised, err = tx.reserveSeq(); err != nil {
		return nil, err
	}
	var num int64
	if err := tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM actions WHERE case_id = ?`, caseID).Scan(&num); err != nil {
		return nil, fmt.Errorf("number action: %w", err)
	}
	now := formatTime(tx.now)
	if err := tx.exec(`INSERT INTO actions (id, case_id, num, ref, kind, title, raised_from_id, priority, due, raised_by, raised_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
		r.actionID, caseID, num, fmt.Sprintf("A-%d", num), string(caseroom.ActionOther), "Independent review of retraction of "+targetRef+" (by "+ref+")",
		docID, string(caseroom.PriorityHigh), tx.actor.Name, now, r.raised); err != nil {
		return nil, fmt.Errorf("insert review action: %w", err)
	}
	if err := tx.exec(`INSERT INTO action_subjects (id, action_id, case_id, pos, subject_id, subject_kind, entry) VALUES (?, ?, ?, 0, ?, 'person', ?)`,
		newID(prefixActionSubject), r.actionID, caseID, giver, r.raised); err != nil {
		return nil, fmt.Errorf("insert review subject: %w", err)
	}
	if err := tx.insertActionEvent(caseID, r.actionID, 1, caseroom.ActionEventRaised, "", nil, "", r.raised); err != nil {
		return nil, err
	}
	var protection string
	err = tx.QueryRowContext(tx.ctx, `SELECT u.name FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.case_id = ? AND m.role = ? AND m.entry = (SELECT MAX(m2.entry) FROM memberships m2 WHERE m2.case_id = m.case_id AND m2.user_id = m.user_id)
		ORDER BY m.entry LIMIT 1`, caseID, string(caseroom.RoleProtection)).Scan(&protection)
	if err != nil && !isNoRows(err) {
		return nil, fmt.Errorf("find a protection officer: %w", err)
	}
	if protection != "" {
		if r.allocated, err = tx.reserveSeq(); err != nil {
			return nil, err
		}
		if err := tx.insertActionEvent(caseID, r.actionID, 2, caseroom.ActionEventAllocated, protection, nil, "", r.allocated); err != nil {
			return nil, err
		}
	}
	if err := tx.exec(`INSERT INTO retractions (document_id, case_id, retracts_id, circumstances, requested_by, review_id, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		docID, caseID, target, nd.Circumstances, requestedBy, r.actionID, seq); err != nil {
		return nil, fmt.Errorf("insert retraction: %w", err)
	}
	return r, nil
}

// loadRetractions sets Retraction on the documents of byID that withdraw another and
// RetractedBy on those withdrawn.
func loadRetractions(ctx context.Context, q querier, caseID string, byID map[string]*caseroom.Document) error {
	if len(byID) == 0 {
		return nil
	}
	err := scanEach(ctx, q, `SELECT r.document_id, d.ref, r.retracts_id, t.ref, r.circumstances, r.requested_by, a.ref
		FROM retractions r JOIN documents d ON d.id = r.document_id JOIN documents t ON t.id = r.retracts_id JOIN actions a ON a.id = r.review_id
		WHERE r.case_id = ? ORDER BY r.entry`, []any{caseID},
		func(scan func(...any) error) error {
			var docID, docRef, targetID string
			rt := &caseroom.Retraction{}
			if err := scan(&docID, &docRef, &targetID, &rt.Retracts, &rt.Circumstances, &rt.RequestedBy, &rt.Review); err != nil {
				return err
			}
			if d := byID[docID]; d != nil {
				d.Retraction = rt
			}
			if d := byID[targetID]; d != nil {
				d.RetractedBy = append(d.RetractedBy, docRef)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("load retractions: %w", err)
	}
	return nil
}
