package sqlstore

import (
	"context"
	"fmt"

	"caseroom"
)

var _ caseroom.SummaryService = (*DB)(nil)

// Summary counts what a case holds. See caseroom.SummaryService.
//
// The counts:
//   - complaints and statements: documents of those kinds that are not corrections of
//     another (a correction is the same document again);
//   - victims who came forward: distinct persons with the role victim who gave a
//     complaint or a statement;
//   - statements by the kind of their giver, by the giver's roles, victim before
//     witness before suspect; a giver with none of these, or no giver, is other;
//   - suspects: persons with the role suspect; arrested: distinct persons arrested;
//   - medical examinations: every medical-examination action is ordered; consented
//     when it concerns a person and every required consent is given (what resulting
//     it needs, see consentGaps); done when resulted or filed; refused when the latest
//     answer of a required party is a refusal;
//   - exhibits; media (the media summary); open actions (raised, allocated) by state;
//     overdue clocks (see caseClocks).
func (db *DB) Summary(ctx context.Context, caseID string) (*caseroom.CaseSummary, error) {
	if err := db.exhibitsReadable(ctx, caseID, "summary"); err != nil {
		return nil, err
	}
	q := db.reader()
	s := &caseroom.CaseSummary{CaseID: caseID, OpenActions: map[caseroom.ActionState]int64{caseroom.ActionRaised: 0, caseroom.ActionAllocated: 0}}
	counts := []struct {
		what  string
		into  *int64
		query string
		args  []any
	}{
		{"complaints", &s.Complaints, `SELECT COUNT(*) FROM documents WHERE case_id = ? AND kind = ? AND corrects_id IS NULL`, []any{caseID, string(caseroom.DocComplaint)}},
		{"victims who came forward", &s.VictimsCameForward, `SELECT COUNT(DISTINCT s.giver_id) FROM statements s
			JOIN documents d ON d.id = s.document_id
			JOIN person_roles r ON r.person_id = s.giver_id AND r.case_id = s.case_id AND r.role = ?
			WHERE s.case_id = ? AND d.kind IN (?, ?)`, []any{string(caseroom.PersonVictim), caseID, string(caseroom.DocComplaint), string(caseroom.DocStatement)}},
		{"suspects", &s.Suspects, `SELECT COUNT(DISTINCT person_id) FROM person_roles WHERE case_id = ? AND role = ?`, []any{caseID, string(caseroom.PersonSuspect)}},
		{"arrested", &s.Arrested, `SELECT COUNT(DISTINCT person_id) FROM arrests WHERE case_id = ?`, []any{caseID}},
		{"exhibits", &s.Exhibits, `SELECT COUNT(*) FROM exhibits WHERE case_id = ?`, []any{caseID}},
	}
	for _, c := range counts {
		if err := q.QueryRowContext(ctx, c.query, c.args...).Scan(c.into); err != nil {
			return nil, fmt.Errorf("summary %s: %w", c.what, err)
		}
	}
	roles := map[string]map[string]bool{}
	err := scanEach(ctx, q, `SELECT person_id, role FROM person_roles WHERE case_id = ?`, []any{caseID}, func(scan func(...any) error) error {
		var person, role string
		if err := scan(&person, &role); err != nil {
			return err
		}
		if roles[person] == nil {
			roles[person] = map[string]bool{}
		}
		roles[person][role] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("summary roles: %w", err)
	}
	err = scanEach(ctx, q, `SELECT COALESCE(s.giver_id, '') FROM documents d LEFT JOIN statements s ON s.document_id = d.id
		WHERE d.case_id = ? AND d.kind = ? AND d.corrects_id IS NULL`, []any{caseID, string(caseroom.DocStatement)}, func(scan func(...any) error) error {
		var giver string
		if err := scan(&giver); err != nil {
			return err
		}
		s.Statements.Total++
		r := roles[giver]
		switch {
		case r[string(caseroom.PersonVictim)]:
			s.Statements.Victim++
		case r[string(caseroom.PersonWitness)]:
			s.Statements.Witness++
		case r[string(caseroom.PersonSuspect)]:
			s.Statements.Suspect++
		default:
			s.Statements.Other++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("summary statements: %w", err)
	}
	actions, err := loadActions(ctx, q, db.v(), caseID, "")
	if err != nil {
		return nil, err
	}
	now := db.Now()
	for _, a := range actions {
		if a.State == caseroom.ActionRaised || a.State == caseroom.ActionAllocated {
			s.OpenActions[a.State]++
		}
		if a.Kind != caseroom.ActionMedicalExamination {
			continue
		}
		m := &s.MedicalExaminations
		m.Ordered++
		if a.State == caseroom.ActionResulted || a.State == caseroom.ActionFiled {
			m.Done++
		}
		missing, refused, err := consentGaps(ctx, q, db.v(), a, now)
		if err != nil {
			return nil, err
		}
		concernsPerson := false
		for _, sub := range a.Subjects {
			concernsPerson = concernsPerson || sub.Kind == "person"
		}
		if concernsPerson && len(missing) == 0 {
			m.Consented++
		}
		if refused {
			m.Refused++
		}
	}
	media, err := db.SummariseMedia(ctx, caseID)
	if err != nil {
		return nil, err
	}
	s.Media = *media
	clocks, err := caseClocks(ctx, q, db.v(), caseID, now)
	if err != nil {
		return nil, err
	}
	for _, c := range clocks {
		if c.Overdue {
			s.OverdueClocks++
		}
	}
	return s, nil
}
