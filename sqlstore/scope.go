package sqlstore

import (
	"context"
	"fmt"

	"caseroom"
	"caseroom/vault"
)

// scope is what a member may see of a case. Every role but advocate reads every
// record (victims' identities withheld); an advocate reads only their clients — the
// persons their representative record has a `represents` link to that no later link
// corrects or retracts (a correction replaces the link it names) — and those clients'
// statements and complaints, and what the advocate registered.
type scope struct {
	role  caseroom.Role
	actor *caseroom.User
	// clients is nil for roles that read everything.
	clients map[string]bool
	// self is the person record that stands for the member, if any.
	self string
}

// memberScope returns the actor's scope in a case, or ENOTFOUND for a non-member.
func memberScope(ctx context.Context, q querier, caseID string, actor *caseroom.User) (*scope, error) {
	role, err := memberRole(ctx, q, caseID, actor)
	if err != nil {
		return nil, err
	}
	s := &scope{role: role, actor: actor}
	if role.CanReadAll() {
		return s, nil
	}
	s.clients = map[string]bool{}
	if s.self, err = memberPerson(ctx, q, caseID, actor.ID); err != nil || s.self == "" {
		return s, err
	}
	err = scanEach(ctx, q, `SELECT l.to_id FROM links l
		WHERE l.case_id = ? AND l.from_id = ? AND l.type = 'represents' AND l.retracts = 0
		AND NOT EXISTS (SELECT 1 FROM links r WHERE r.corrects_id = l.id)`, []any{caseID, s.self},
		func(scan func(...any) error) error {
			var id string
			if err := scan(&id); err != nil {
				return err
			}
			s.clients[id] = true
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("clients: %w", err)
	}
	return s, nil
}

// memberPerson returns the person record standing for a member, or "".
func memberPerson(ctx context.Context, q querier, caseID, userID string) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT person_id FROM member_persons WHERE case_id = ? AND user_id = ? ORDER BY entry DESC LIMIT 1`, caseID, userID).Scan(&id)
	if isNoRows(err) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("member person: %w", err)
	}
	return id, nil
}

// all reports whether the scope covers every record of the case.
func (s *scope) all() bool { return s.clients == nil }

// seesPerson reports whether the member may see the person at all.
func (s *scope) seesPerson(id string) bool {
	return s.all() || s.clients[id] || (id != "" && id == s.self)
}

// seesDocument reports whether the member may see a document.
func (s *scope) seesDocument(d *caseroom.Document) bool {
	if s.all() || d.RegisteredBy == s.actor.Name {
		return true
	}
	return d.Statement != nil && s.clients[d.Statement.Giver]
}

// seesLink reports whether the member may see a link: for an advocate, only links
// between their own record and their clients.
func (s *scope) seesLink(l *caseroom.Link) bool {
	return s.all() || (s.seesPerson(l.From) && s.seesPerson(l.To))
}

// wholeCase refuses, for an advocate, lists that cover the whole case.
func (s *scope) wholeCase(what string) error {
	if s.all() {
		return nil
	}
	return caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) sees only your clients' records, not the case's %s.", s.role, what)
}

// personNotFound is the answer for a person the member may not see: the same as for a
// person who does not exist.
func personNotFound(ref string) error {
	return caseroom.Errorf(caseroom.ENOTFOUND, "There is no person %s in this case.", ref)
}

// notFoundFor returns, for a record the member may not see, the error that naming a
// missing record of the same kind gives, so that an advocate cannot tell the two
// apart; nil if the member may see it.
func (s *scope) notFoundFor(ctx context.Context, q querier, v *vault.Vault, caseID, ref, id string, kind caseroom.EntityKind) error {
	if s.all() {
		return nil
	}
	switch kind {
	case caseroom.EntityPerson:
		if s.seesPerson(id) {
			return nil
		}
		return personNotFound(ref)
	case caseroom.EntityDocument:
		docs, err := loadDocuments(ctx, q, v, caseID, `d.id = ?`, []any{id})
		if err != nil {
			return err
		}
		if s.seesDocument(docs[0]) {
			return nil
		}
		return caseroom.Errorf(caseroom.ENOTFOUND, "There is no document %s in this case.", ref)
	}
	return caseroom.Errorf(caseroom.ENOTFOUND, "There is no %s %s in this case.", kind, ref)
}

// readScope returns the scope of the acting user of ctx in a case, for reads outside a
// transaction: EUNAUTHORIZED without an actor, ENOTFOUND for a non-member.
func (db *DB) readScope(ctx context.Context, caseID string) (*scope, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	return memberScope(ctx, db.reader(), caseID, actor)
}

// trimDocuments keeps the documents the member may see and, for an advocate, takes out
// of them what points outside their scope: references to corrections they cannot
// open, and other victims present (officers, guardians, interpreters and others
// present stay: who was in the room is what a victim's lawyer needs to know).
// all is every document of the case if the caller has it, else nil.
func (s *scope) trimDocuments(ctx context.Context, q querier, v *vault.Vault, caseID string, docs, all []*caseroom.Document) ([]*caseroom.Document, error) {
	if s.all() {
		return docs, nil
	}
	if all == nil {
		var err error
		if all, err = loadDocuments(ctx, q, v, caseID, `1 = 1`, nil); err != nil {
			return nil, err
		}
	}
	visible := map[string]bool{}
	for _, d := range all {
		if s.seesDocument(d) {
			visible[d.Ref] = true
		}
	}
	otherVictim := func(id, label string) bool { return pseudonymPattern.MatchString(label) && !s.seesPerson(id) }
	out := docs[:0]
	for _, d := range docs {
		if !visible[d.Ref] {
			continue
		}
		refs := []string{}
		for _, r := range d.CorrectedBy {
			if visible[r] {
				refs = append(refs, r)
			}
		}
		d.CorrectedBy = refs
		if len(d.RetractedBy) > 0 {
			refs := []string{}
			for _, r := range d.RetractedBy {
				if visible[r] {
					refs = append(refs, r)
				}
			}
			d.RetractedBy = refs
		}
		if d.Corrects != "" && !visible[d.Corrects] {
			d.Corrects, d.CorrectionReason = "", ""
		}
		if st := d.Statement; st != nil {
			present := []caseroom.Presence{}
			for _, p := range st.Present {
				if !otherVictim(p.Person, p.Label) {
					present = append(present, p)
				}
			}
			st.Present = present
		}
		out = append(out, d)
	}
	return out, nil
}
