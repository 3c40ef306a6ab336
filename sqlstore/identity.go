package sqlstore

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"caseroom"
	"caseroom/vault"
)

// MaxRevealReason is the longest reason accepted for a reveal, in bytes.
const MaxRevealReason = 1000

// RevealIdentity shows a victim's identity to those allowed. See caseroom.PersonService.
func (db *DB) RevealIdentity(ctx context.Context, caseID, personRef, reason string) (*caseroom.Person, error) {
	reason = strings.TrimSpace(reason)
	var out *caseroom.Person
	refused := false
	err := db.write(ctx, func(tx *Tx) error {
		sc, err := memberScope(ctx, tx, caseID, tx.actor)
		if err != nil {
			return err
		}
		role := sc.role
		personID, err := resolvePerson(ctx, tx, caseID, personRef)
		if err != nil {
			return err
		}
		if !sc.seesPerson(personID) {
			return personNotFound(personRef)
		}
		persons, err := loadPersons(ctx, tx, db.v(), caseID, personID)
		if err != nil {
			return err
		}
		if err := withholdPersonSources(ctx, tx, caseID, role, persons); err != nil {
			return err
		}
		p := persons[0]
		if !p.HasRole(caseroom.PersonVictim) {
			out = p // nothing is withheld from anyone
			return nil
		}
		granted := role.CanSeeIdentities() || (p.RecordedBy == tx.actor.Name && role.CanRecord())
		// A reveal needs a reason; a refusal is recorded with whatever reason was given.
		if granted && reason == "" {
			return caseroom.Errorf(caseroom.EINVALID, "reason: required; say why you need to see who %s is", p.Pseudonym)
		}
		if len(reason) > MaxRevealReason {
			return caseroom.Errorf(caseroom.EINVALID, "reason: at most %d bytes", MaxRevealReason)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		id := newID("iac")
		if err := tx.exec(`INSERT INTO identity_access (id, case_id, person_id, user_name, role, reason, granted, at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, personID, tx.actor.Name, string(role), reason, boolInt(granted), formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("record identity access: %w", err)
		}
		action := "identity.reveal"
		if !granted {
			action = "identity.reveal.refused"
		}
		if err := tx.appendAudit(seq, action, "person", personID, caseID); err != nil {
			return err
		}
		if granted {
			out = p
		} else {
			refused = true // committed, then refused
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if refused {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case cannot see a victim's identity; the lead, protection and medical officers and the recording officer can. This request was recorded.")
	}
	return out, nil
}

// FindIdentityAccess lists who asked to see a victim's identity. See
// caseroom.PersonService.
func (db *DB) FindIdentityAccess(ctx context.Context, caseID, personRef string) (*caseroom.IdentityAccessReport, error) {
	q := db.reader()
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, err
	}
	role := sc.role
	personID, err := resolvePerson(ctx, q, caseID, personRef)
	if err != nil {
		return nil, err
	}
	if !sc.seesPerson(personID) {
		return nil, personNotFound(personRef)
	}
	switch role {
	case caseroom.RoleLead, caseroom.RoleProtection, caseroom.RoleOversight, caseroom.RoleAdvocate:
	default:
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot read who has seen a victim's identity.", role)
	}
	rep := &caseroom.IdentityAccessReport{Person: personID, Viewers: []caseroom.IdentityViewer{}, Entries: []caseroom.IdentityAccess{}}
	err = q.QueryRowContext(ctx, `SELECT COALESCE(MAX(pseudonym), '') FROM pseudonyms WHERE person_id = ?`, personID).Scan(&rep.Pseudonym)
	if err != nil {
		return nil, err
	}
	viewers := map[string]int{}
	err = scanEach(ctx, q, `SELECT id, user_name, role, reason, granted, at FROM identity_access WHERE person_id = ? ORDER BY entry`, []any{personID},
		func(scan func(...any) error) error {
			var a caseroom.IdentityAccess
			var r, at string
			var granted int64
			if err := scan(&a.ID, &a.User, &r, &a.Reason, &granted, &at); err != nil {
				return err
			}
			a.Role, a.Granted = caseroom.Role(r), granted != 0
			var err error
			if a.At, err = parseTime(at); err != nil {
				return err
			}
			rep.Entries = append(rep.Entries, a)
			if a.Granted {
				i, ok := viewers[a.User]
				if !ok {
					i = len(rep.Viewers)
					viewers[a.User] = i
					rep.Viewers = append(rep.Viewers, caseroom.IdentityViewer{User: a.User})
				}
				rep.Viewers[i].Reveals++
				rep.Viewers[i].Last = a.At
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find identity access: %w", err)
	}
	return rep, nil
}

// searchByName returns the ids of persons of a case whose names or aliases hold every
// token of name, victims only if the actor may reveal them, and audits the search.
func (db *DB) searchByName(ctx context.Context, caseID, name string, role caseroom.Role, actor *caseroom.User) (map[string]bool, error) {
	if len(name) > 300 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: at most 300 bytes")
	}
	tokens := vault.NameTokens(name)
	if len(tokens) == 0 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: give a name to search for, with at least one letter or digit")
	}
	if len(tokens) > 12 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: at most 12 words")
	}
	args := []any{caseID}
	marks := make([]string, len(tokens))
	for i, tok := range tokens {
		args = append(args, db.v().BlindIndex("name", tok))
		marks[i] = "?"
	}
	args = append(args, len(tokens))
	hits := map[string]bool{}
	err := scanEach(ctx, db.reader(), `SELECT b.person_id, COALESCE(MAX(p.pseudonym), ''), MAX(s.recorded_by)
		FROM blind_index b JOIN persons s ON s.id = b.person_id LEFT JOIN pseudonyms p ON p.person_id = b.person_id
		WHERE b.case_id = ? AND b.field = 'name' AND b.token IN (`+strings.Join(marks, ", ")+`)
		GROUP BY b.person_id HAVING COUNT(DISTINCT b.token) = ?`, args,
		func(scan func(...any) error) error {
			var id, pseudonym, recorder string
			if err := scan(&id, &pseudonym, &recorder); err != nil {
				return err
			}
			if pseudonym == "" || role.CanSeeIdentities() || (recorder == actor.Name && role.CanRecord()) {
				hits[id] = true
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("search by name: %w", err)
	}
	ids := make([]string, 0, len(hits))
	for id := range hits {
		ids = append(ids, id)
	}
	err = db.write(ctx, func(tx *Tx) error {
		// A random salt, not stored, so that the hash cannot be used to test which
		// name or person a user searched for.
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		return tx.appendEvent("person.search.name", "case", caseID, caseID, map[string]any{"tokens": args[1 : len(args)-1], "found": ids, "salt": salt})
	})
	if err != nil {
		return nil, err
	}
	return hits, nil
}
