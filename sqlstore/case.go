package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // case time zones must resolve on machines without zoneinfo

	"caseroom"
)

var _ caseroom.CaseService = (*DB)(nil)

// CreateCase opens a case with the actor as its lead. See caseroom.CaseService.
func (db *DB) CreateCase(ctx context.Context, nc caseroom.NewCase) (*caseroom.Case, error) {
	nc.Title = strings.TrimSpace(nc.Title)
	if nc.Title == "" {
		return nil, caseroom.Errorf(caseroom.EINVALID, "title: required")
	}
	if len(nc.Title) > 200 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "title: at most 200 characters")
	}
	if nc.TimeZone == "" {
		nc.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(nc.TimeZone); err != nil {
		return nil, caseroom.Errorf(caseroom.EINVALID, "timeZone: %q is not a known time zone; use an IANA name such as Asia/Karachi", nc.TimeZone)
	}
	c := &caseroom.Case{ID: newID(prefixCase), Title: nc.Title, TimeZone: nc.TimeZone, Role: caseroom.RoleLead}
	err := db.write(ctx, func(tx *Tx) error {
		if tx.actor.IsConsole() {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "A case must be opened by a user, who becomes its lead.")
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		c.CreatedBy, c.CreatedAt = tx.actor.Name, tx.now
		if err := tx.exec(`INSERT INTO cases (id, title, time_zone, created_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			c.ID, c.Title, c.TimeZone, c.CreatedBy, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert case: %w", err)
		}
		if err := tx.exec(`INSERT INTO memberships (id, case_id, user_id, role, added_by, added_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			newID(prefixMembership), c.ID, tx.actor.ID, string(caseroom.RoleLead), tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert lead membership: %w", err)
		}
		return tx.appendAudit(seq, "case.create", "case", c.ID, c.ID)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// currentMembershipSQL selects a user's membership in force in each case: the latest.
const currentMembershipSQL = `m.entry = (SELECT MAX(m2.entry) FROM memberships m2 WHERE m2.case_id = m.case_id AND m2.user_id = m.user_id)`

// FindCases returns the actor's cases. See caseroom.CaseService.
func (db *DB) FindCases(ctx context.Context) ([]*caseroom.Case, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.reader().QueryContext(ctx, `SELECT c.id, c.title, c.time_zone, c.created_by, c.created_at, m.role
		FROM cases c JOIN memberships m ON m.case_id = c.id
		WHERE m.user_id = ? AND m.role <> '' AND `+currentMembershipSQL+` ORDER BY c.entry DESC`, actor.ID)
	if err != nil {
		return nil, fmt.Errorf("find cases: %w", err)
	}
	defer rows.Close()
	cases := []*caseroom.Case{}
	for rows.Next() {
		c := &caseroom.Case{}
		var created, role string
		if err := rows.Scan(&c.ID, &c.Title, &c.TimeZone, &c.CreatedBy, &created, &role); err != nil {
			return nil, err
		}
		c.Role = caseroom.Role(role)
		if c.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	return cases, rows.Err()
}

// FindCase returns a case the actor is a member of. See caseroom.CaseService.
func (db *DB) FindCase(ctx context.Context, id string) (*caseroom.Case, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	role, err := memberRole(ctx, db.reader(), id, actor)
	if err != nil {
		return nil, err
	}
	c, err := findCase(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	c.Role = role
	return c, nil
}

func findCase(ctx context.Context, q querier, id string) (*caseroom.Case, error) {
	c := &caseroom.Case{}
	var created string
	err := q.QueryRowContext(ctx, `SELECT id, title, time_zone, created_by, created_at FROM cases WHERE id = ?`, id).
		Scan(&c.ID, &c.Title, &c.TimeZone, &c.CreatedBy, &created)
	if isNoRows(err) {
		return nil, caseNotFound(id)
	} else if err != nil {
		return nil, fmt.Errorf("find case: %w", err)
	}
	c.CreatedAt, err = parseTime(created)
	return c, err
}

func caseNotFound(id string) error {
	return caseroom.Errorf(caseroom.ENOTFOUND, "There is no case %q, or you are not a member of it.", id)
}

// memberRole returns the actor's role in the case, or ENOTFOUND when the case does not
// exist or the actor is not a member: an outsider cannot learn that a case exists.
func memberRole(ctx context.Context, q querier, caseID string, actor *caseroom.User) (caseroom.Role, error) {
	var role string
	err := q.QueryRowContext(ctx, `SELECT m.role FROM memberships m WHERE m.case_id = ? AND m.user_id = ? ORDER BY m.entry DESC LIMIT 1`,
		caseID, actor.ID).Scan(&role)
	if isNoRows(err) || (err == nil && role == "") {
		return "", caseNotFound(caseID)
	} else if err != nil {
		return "", fmt.Errorf("membership: %w", err)
	}
	return caseroom.Role(role), nil
}

// readerRole returns the actor's role in the case, for a read (ENOTFOUND to an outsider,
// as memberRole), with the reader to read with.
func (db *DB) readerRole(ctx context.Context, caseID string) (querier, caseroom.Role, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, "", err
	}
	q := db.reader()
	role, err := memberRole(ctx, q, caseID, actor)
	return q, role, err
}

// memberNamed finds the user of that name and their role in the case. A name that is
// not a user, or a user who is not a member, is EINVALID: "<field>: "name" is not a
// member of this case; <hint>".
func (tx *Tx) memberNamed(caseID, name, field, hint string) (*caseroom.User, caseroom.Role, error) {
	u, err := findUser(tx.ctx, tx, name)
	var role caseroom.Role
	if err == nil {
		role, err = memberRole(tx.ctx, tx, caseID, u)
	}
	if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
		return nil, "", caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a member of this case; %s", field, name, hint)
	} else if err != nil {
		return nil, "", err
	}
	return u, role, nil
}

// recorderRole returns the actor's role in the case and refuses roles that may not
// record. Used at the start of every write to a case's records.
func (tx *Tx) recorderRole(caseID string) (caseroom.Role, error) {
	role, err := memberRole(tx.ctx, tx, caseID, tx.actor)
	if err != nil {
		return "", err
	}
	if !role.CanRecord() {
		return "", caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot record; ask the lead.", role)
	}
	return role, nil
}

// AddMember gives a user a role in a case. See caseroom.CaseService.
func (db *DB) AddMember(ctx context.Context, caseID string, nm caseroom.NewMembership) (*caseroom.Membership, error) {
	if nm.User == "" {
		return nil, caseroom.Errorf(caseroom.EINVALID, "user: required")
	}
	if !nm.Role.Valid() {
		return nil, caseroom.Errorf(caseroom.EINVALID, "role: %q is not a role; use one of %s", nm.Role, joinRoles())
	}
	m := &caseroom.Membership{ID: newID(prefixMembership), CaseID: caseID, User: nm.User, Role: nm.Role}
	err := db.write(ctx, func(tx *Tx) error {
		if !tx.actor.Admin {
			role, err := memberRole(ctx, tx, caseID, tx.actor)
			if err != nil {
				return err
			}
			if !role.CanManageMembers() {
				return caseroom.Errorf(caseroom.EFORBIDDEN, "Only the case's lead can add members.")
			}
		}
		if _, err := findCase(ctx, tx, caseID); err != nil {
			return err
		}
		u, err := findUser(ctx, tx, nm.User)
		if err != nil {
			return caseroom.Errorf(caseroom.EINVALID, "user: there is no user named %q", nm.User)
		}
		var personID string
		if nm.Person != "" {
			if personID, err = tx.personField(caseID, nm.Person, "person"); err != nil {
				return err
			}
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		m.AddedBy, m.AddedAt = tx.actor.Name, tx.now
		if err := tx.exec(`INSERT INTO memberships (id, case_id, user_id, role, added_by, added_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			m.ID, caseID, u.ID, string(m.Role), m.AddedBy, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert membership: %w", err)
		}
		if personID != "" {
			if err := tx.exec(`INSERT INTO member_persons (id, case_id, user_id, person_id, entry) VALUES (?, ?, ?, ?, ?)`,
				newID("mpe"), caseID, u.ID, personID, seq); err != nil {
				return fmt.Errorf("insert member person: %w", err)
			}
		}
		if m.Person, err = memberPerson(ctx, tx, caseID, u.ID); err != nil {
			return err
		}
		return tx.appendAudit(seq, "member.add", "membership", m.ID, caseID)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FindMembers returns a case's current members. See caseroom.CaseService.
func (db *DB) FindMembers(ctx context.Context, caseID string) ([]*caseroom.Membership, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := memberRole(ctx, db.reader(), caseID, actor); err != nil {
		return nil, err
	}
	rows, err := db.reader().QueryContext(ctx, `SELECT m.id, m.case_id, u.name, m.role, m.added_by, m.added_at,
			COALESCE((SELECT mp.person_id FROM member_persons mp WHERE mp.case_id = m.case_id AND mp.user_id = m.user_id ORDER BY mp.entry DESC LIMIT 1), '')
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.case_id = ? AND m.role <> '' AND `+currentMembershipSQL+` ORDER BY u.name`, caseID)
	if err != nil {
		return nil, fmt.Errorf("find members: %w", err)
	}
	defer rows.Close()
	members := []*caseroom.Membership{}
	for rows.Next() {
		m := &caseroom.Membership{}
		var role, added string
		if err := rows.Scan(&m.ID, &m.CaseID, &m.User, &role, &m.AddedBy, &added, &m.Person); err != nil {
			return nil, err
		}
		m.Role = caseroom.Role(role)
		if m.AddedAt, err = parseTime(added); err != nil {
			return nil, err
		}
		members = append(members, m)
	}
	return members, rows.Err()
}

func joinRoles() string {
	s := make([]string, len(caseroom.Roles))
	for i, r := range caseroom.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// actorOf returns the acting user of ctx, or EUNAUTHORIZED.
func actorOf(ctx context.Context) (*caseroom.User, error) {
	u := caseroom.UserFromContext(ctx)
	if u == nil {
		return nil, caseroom.Errorf(caseroom.EUNAUTHORIZED, "Sign in first.")
	}
	return u, nil
}
