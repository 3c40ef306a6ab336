package sqlstore

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"caseroom"
)

// documentRefPattern matches a document's case reference: C-1, S-12, R-3, M-7, P-1.
var documentRefPattern = regexp.MustCompile(`^[A-Z]{1,3}-[0-9]+$`)

// resolveDocument turns a document id or case reference into the id of a document in
// the case.
func resolveDocument(ctx context.Context, q querier, caseID, ref string) (string, error) {
	var id string
	var err error
	switch {
	case strings.HasPrefix(ref, prefixDocument+"_"):
		err = q.QueryRowContext(ctx, `SELECT id FROM documents WHERE id = ? AND case_id = ?`, ref, caseID).Scan(&id)
	case documentRefPattern.MatchString(ref) && !pseudonymPattern.MatchString(ref):
		err = q.QueryRowContext(ctx, `SELECT id FROM documents WHERE ref = ? AND case_id = ?`, ref, caseID).Scan(&id)
	default:
		return "", caseroom.Errorf(caseroom.ENOTFOUND, "%q is neither a document id nor a reference such as S-12", ref)
	}
	if isNoRows(err) {
		return "", caseroom.Errorf(caseroom.ENOTFOUND, "There is no document %s in this case.", ref)
	} else if err != nil {
		return "", fmt.Errorf("resolve document %s: %w", ref, err)
	}
	return id, nil
}

// maxSourceRef is the longest source accepted: ids and references are far shorter.
const maxSourceRef = 100

// source resolves the document (later also exhibit) a record cites. A missing source
// is refused with a message naming field.
func (tx *Tx) source(caseID, ref, field string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", caseroom.Errorf(caseroom.EINVALID, "%s: required; cite the document or exhibit this comes from (an id or a reference such as S-12)", field)
	}
	if len(ref) > maxSourceRef {
		// Not repeated in the message: it could be anything, of any size.
		return "", caseroom.Errorf(caseroom.EINVALID, "%s: at most %d bytes; cite a document by its id or a reference such as S-12", field, maxSourceRef)
	}
	id, err := resolveDocument(tx.ctx, tx, caseID, ref)
	if err == nil {
		err = tx.withheldDocument(caseID, ref, id)
	}
	if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
		return "", caseroom.Errorf(caseroom.EINVALID, "%s: %s", field, caseroom.ErrorMessage(err))
	}
	return id, err
}

// withheldDocument returns, for a medical report (see medicalReportIDs) that the actor's
// role does not read, the error naming a document that does not exist gives, so that
// citing one tells nothing of it; nil for any other document. Unlike readableDocument
// it counts every medical report, of kind medical-report or not: a record cited to a
// document its reader may not open would show that document's reference.
func (tx *Tx) withheldDocument(caseID, ref, id string) error {
	reports, err := medicalReportIDs(tx.ctx, tx, caseID, id)
	if err != nil || !reports[id] {
		return err
	}
	role, err := memberRole(tx.ctx, tx, caseID, tx.actor)
	if err != nil {
		return err
	}
	if role.ReadsMedicalReports() {
		return nil
	}
	return caseroom.Errorf(caseroom.ENOTFOUND, "There is no document %s in this case.", ref)
}

// optionalSource is source for fields that may be empty; it returns nil for "".
func (tx *Tx) optionalSource(caseID, ref, field string) (any, error) {
	if strings.TrimSpace(ref) == "" {
		return nil, nil
	}
	id, err := tx.source(caseID, ref, field)
	if err != nil {
		return nil, err
	}
	return id, nil
}

// personField resolves a person named in a request field, turning "not found" into
// a message that names the field.
func (tx *Tx) personField(caseID, ref, field string) (string, error) {
	id, err := resolvePerson(tx.ctx, tx, caseID, strings.TrimSpace(ref))
	if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
		return "", caseroom.Errorf(caseroom.EINVALID, "%s: %s", field, caseroom.ErrorMessage(err))
	}
	return id, err
}

// resolveEntity turns an id or case reference (V-0007, S-12) into the id and kind of
// a record of the case that a link may join.
func resolveEntity(ctx context.Context, q querier, caseID, ref string) (string, caseroom.EntityKind, error) {
	ref = strings.TrimSpace(ref)
	if pseudonymPattern.MatchString(ref) {
		id, err := resolvePerson(ctx, q, caseID, ref)
		return id, caseroom.EntityPerson, err
	}
	if documentRefPattern.MatchString(ref) {
		id, err := resolveDocument(ctx, q, caseID, ref)
		return id, caseroom.EntityDocument, err
	}
	kind, ok := entityKindOf(ref)
	if !ok {
		return "", "", caseroom.Errorf(caseroom.ENOTFOUND, "%q is not the id or reference of anything in this case", ref)
	}
	table := map[caseroom.EntityKind]string{
		caseroom.EntityPerson:       "persons",
		caseroom.EntityOrganisation: "organisations",
		caseroom.EntityLocation:     "locations",
		caseroom.EntityIdentifier:   "identifiers",
		caseroom.EntityDocument:     "documents",
	}[kind]
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = ? AND case_id = ?`, ref, caseID).Scan(&n); err != nil {
		return "", "", fmt.Errorf("resolve %s: %w", ref, err)
	}
	if n == 0 {
		return "", "", caseroom.Errorf(caseroom.ENOTFOUND, "There is no %s %s in this case.", kind, ref)
	}
	return ref, kind, nil
}
