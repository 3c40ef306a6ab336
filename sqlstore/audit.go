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
	} else {
		role, err := memberRole(ctx, q, f.CaseID, actor)
		if err != nil {
			return nil, err
		}
		if role != caseroom.RoleLead && role != caseroom.RoleProsecutor && role != caseroom.RoleOversight {
			return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot read its audit log.", role)
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
