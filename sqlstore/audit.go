package sqlstore

import (
	"context"
	"fmt"

	"caseroom"
)

var _ caseroom.AuditService = (*DB)(nil)

// FindAuditEntries reads the audit log. See caseroom.AuditService.
func (db *DB) FindAuditEntries(ctx context.Context, f caseroom.AuditFilter) ([]*caseroom.AuditEntry, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	q := db.reader()
	if f.CaseID == "" {
		if !actor.Admin {
			return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can read the whole audit log; name a case.")
		}
	}
	var withheld map[string]bool // entries' objects the reader may not know of
	if f.CaseID != "" {
		role, err := memberRole(ctx, q, f.CaseID, actor)
		if err != nil {
			return nil, err
		}
		if role != caseroom.RoleLead && role != caseroom.RoleProsecutor && role != caseroom.RoleOversight {
			return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot read its audit log.", role)
		}
		if withheld, err = withheldAuditObjects(ctx, q, f.CaseID, role); err != nil {
			return nil, err
		}
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 1000
	case f.Limit > 10000:
		f.Limit = 10000
	}
	filter, args := `seq > ?`, []any{f.After}
	if f.CaseID != "" {
		filter, args = `case_id = ? AND seq > ?`, []any{f.CaseID, f.After}
	}
	out := []*caseroom.AuditEntry{}
	err = scanEach(ctx, q, `SELECT seq, at, actor, action, object_kind, object_id, COALESCE(case_id, ''), state_hash FROM audit_log WHERE `+filter+` ORDER BY seq LIMIT `+fmt.Sprint(f.Limit), args,
		func(scan func(...any) error) error {
			e := &caseroom.AuditEntry{}
			var at string
			if err := scan(&e.Seq, &at, &e.Actor, &e.Action, &e.ObjectKind, &e.ObjectID, &e.CaseID, &e.StateHash); err != nil {
				return err
			}
			if withheld[e.ObjectKind+" "+e.ObjectID] {
				e.Actor, e.ObjectID, e.StateHash, e.Restricted = "", "", "", true
			}
			var err error
			e.At, err = parseTime(at)
			out = append(out, e)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find audit entries: %w", err)
	}
	return out, nil
}

// withheldAuditObjects returns, as "kind id", the objects of a case's audit entries that
// a role which does not read medical reports may not know of: the medical reports (see
// medicalReportIDs) and the links that cite or join one, which are to such a reader as
// if they did not exist (see withheldMedicalReports). Their entries are shown
// Restricted: that something was done then stays in the log, not by whom or to what.
// Nil for a role that reads medical reports.
func withheldAuditObjects(ctx context.Context, q querier, caseID string, role caseroom.Role) (map[string]bool, error) {
	reports, err := withheldMedicalReports(ctx, q, caseID, role)
	if err != nil || len(reports) == 0 {
		return nil, err
	}
	withheld := map[string]bool{}
	for id := range reports {
		withheld["document "+id] = true
	}
	err = scanEach(ctx, q, `SELECT id, source_id, from_id, to_id FROM links WHERE case_id = ?`, []any{caseID},
		func(scan func(...any) error) error {
			var id, source, from, to string
			if err := scan(&id, &source, &from, &to); err != nil {
				return err
			}
			if reports[source] || reports[from] || reports[to] {
				withheld["link "+id] = true
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("withheld audit objects: %w", err)
	}
	return withheld, nil
}
