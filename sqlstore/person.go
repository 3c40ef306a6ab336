package sqlstore

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"caseroom"
	"caseroom/vault"
)

var _ caseroom.PersonService = (*DB)(nil)

var (
	scriptPattern    = regexp.MustCompile(`^[A-Z][a-z]{3}$`) // ISO 15924
	pseudonymPattern = regexp.MustCompile(`^V-[0-9]+$`)
)

// validSexes lists what the sex field may hold.
var validSexes = []string{"female", "male", "other", "unknown"}

// RegisterPerson records a person. See caseroom.PersonService.
func (db *DB) RegisterPerson(ctx context.Context, caseID string, np caseroom.NewPerson) (*caseroom.Person, error) {
	if err := validateNewPerson(&np); err != nil {
		return nil, err
	}
	id := newID(prefixPerson)
	var out *caseroom.Person
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		dob, err := tx.db.v().Seal(np.DateOfBirth, sealContext("persons", "date_of_birth", id))
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO persons (id, case_id, sex, date_of_birth, age_band, recorded_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, np.Sex, dob, np.AgeBand, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert person: %w", err)
		}
		for i, n := range np.Names {
			if err := tx.insertName(caseID, id, i, n, fmt.Sprintf("names[%d].source", i), seq); err != nil {
				return err
			}
		}
		for i, a := range np.Aliases {
			if err := tx.insertAlias(caseID, id, i, a, fmt.Sprintf("aliases[%d].source", i), seq); err != nil {
				return err
			}
		}
		for _, r := range np.Roles {
			if err := tx.insertRole(caseID, id, r, seq); err != nil {
				return err
			}
		}
		for i, parent := range np.Parents {
			if err := tx.insertDetail(caseID, id, "parent", i, parent, seq); err != nil {
				return err
			}
		}
		if err := tx.insertDetail(caseID, id, "address", 0, np.Address, seq); err != nil {
			return err
		}
		if err := tx.appendAudit(seq, "person.register", "person", id, caseID); err != nil {
			return err
		}
		out, err = tx.visiblePerson(caseID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func validateNewPerson(np *caseroom.NewPerson) error {
	seen := map[caseroom.PersonRole]bool{}
	var roles []caseroom.PersonRole
	for i, r := range np.Roles {
		if !r.Valid() {
			return caseroom.Errorf(caseroom.EINVALID, "roles[%d]: %q is not a person role; use one of %s", i, r, joinPersonRoles())
		}
		if !seen[r] {
			roles = append(roles, r)
		}
		seen[r] = true
	}
	if len(roles) == 0 {
		return caseroom.Errorf(caseroom.EINVALID, "roles: required; give at least one of %s", joinPersonRoles())
	}
	np.Roles = roles
	for i := range np.Names {
		if err := validateName(&np.Names[i], fmt.Sprintf("names[%d].", i)); err != nil {
			return err
		}
	}
	for i := range np.Aliases {
		if err := validateAlias(&np.Aliases[i], fmt.Sprintf("aliases[%d].", i)); err != nil {
			return err
		}
	}
	if len(np.Names) == 0 && len(np.Aliases) == 0 && !seen[caseroom.PersonVictim] {
		return caseroom.Errorf(caseroom.EINVALID, "names: give at least one name or alias (only an unidentified victim may have neither)")
	}
	if np.Sex != "" && !contains(validSexes, np.Sex) {
		return caseroom.Errorf(caseroom.EINVALID, "sex: %q is not one of %s", np.Sex, strings.Join(validSexes, ", "))
	}
	if np.DateOfBirth != "" {
		d, err := time.Parse("2006-01-02", np.DateOfBirth)
		if err != nil {
			return caseroom.Errorf(caseroom.EINVALID, "dateOfBirth: %q is not a date; write YYYY-MM-DD", np.DateOfBirth)
		}
		if d.After(time.Now()) {
			return caseroom.Errorf(caseroom.EINVALID, "dateOfBirth: %s is in the future", np.DateOfBirth)
		}
		if err := notBeforeEarliest("dateOfBirth", d); err != nil {
			return err
		}
	}
	for i := range np.Parents {
		np.Parents[i] = strings.TrimSpace(np.Parents[i])
		if np.Parents[i] == "" || len(np.Parents[i]) > 300 {
			return caseroom.Errorf(caseroom.EINVALID, "parents[%d]: a name of 1 to 300 bytes", i)
		}
	}
	if np.Address = strings.TrimSpace(np.Address); len(np.Address) > 1000 {
		return caseroom.Errorf(caseroom.EINVALID, "address: at most 1000 bytes")
	}
	if len(np.AgeBand) > 20 {
		return caseroom.Errorf(caseroom.EINVALID, "ageBand: at most 20 characters, such as 10-14")
	}
	return nil
}

// validateName checks a name; prefix is where it sits in the request ("names[2]." or "").
func validateName(n *caseroom.PersonName, prefix string) error {
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" {
		return caseroom.Errorf(caseroom.EINVALID, "%sname: required", prefix)
	}
	if len(n.Name) > 300 {
		return caseroom.Errorf(caseroom.EINVALID, "%sname: at most 300 bytes", prefix)
	}
	if n.Script != "" && !scriptPattern.MatchString(n.Script) {
		return caseroom.Errorf(caseroom.EINVALID, "%sscript: %q is not an ISO 15924 script code such as Latn or Arab", prefix, n.Script)
	}
	return nil
}

// validateAlias checks an alias; prefix is where it sits in the request ("aliases[0]." or "").
func validateAlias(a *caseroom.Alias, prefix string) error {
	a.Alias = strings.TrimSpace(a.Alias)
	if a.Alias == "" {
		return caseroom.Errorf(caseroom.EINVALID, "%salias: required", prefix)
	}
	if len(a.Alias) > 300 {
		return caseroom.Errorf(caseroom.EINVALID, "%salias: at most 300 bytes", prefix)
	}
	if a.Kind == "" {
		a.Kind = "alias"
	}
	if a.Kind != "alias" && a.Kind != "urf" {
		return caseroom.Errorf(caseroom.EINVALID, "%skind: %q is not alias or urf", prefix, a.Kind)
	}
	return nil
}

func (tx *Tx) insertName(caseID, personID string, pos int, n caseroom.PersonName, sourceField string, seq int64) error {
	src, err := tx.optionalSource(caseID, n.Source, sourceField)
	if err != nil {
		return err
	}
	id := newID(prefixName)
	sealed, err := tx.db.v().Seal(n.Name, sealContext("person_names", "name", id))
	if err != nil {
		return err
	}
	if err := tx.exec(`INSERT INTO person_names (id, person_id, case_id, pos, name, script, source_id, created_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, personID, caseID, pos, sealed, n.Script, src, formatTime(tx.now), seq); err != nil {
		return fmt.Errorf("insert name: %w", err)
	}
	if err := tx.indexPersonName(caseID, personID, n.Name); err != nil {
		return err
	}
	return tx.indexTokens(caseID, personID, "name", vault.NameTokens(n.Name), seq)
}

func (tx *Tx) insertAlias(caseID, personID string, pos int, a caseroom.Alias, sourceField string, seq int64) error {
	src, err := tx.optionalSource(caseID, a.Source, sourceField)
	if err != nil {
		return err
	}
	id := newID(prefixAlias)
	sealed, err := tx.db.v().Seal(a.Alias, sealContext("person_aliases", "alias", id))
	if err != nil {
		return err
	}
	if err := tx.exec(`INSERT INTO person_aliases (id, person_id, case_id, pos, alias, kind, source_id, created_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, personID, caseID, pos, sealed, a.Kind, src, formatTime(tx.now), seq); err != nil {
		return fmt.Errorf("insert alias: %w", err)
	}
	if err := tx.indexPersonName(caseID, personID, a.Alias); err != nil {
		return err
	}
	return tx.indexTokens(caseID, personID, "name", vault.NameTokens(a.Alias), seq)
}

// insertDetail stores one sealed identity detail of a person; "" stores nothing.
func (tx *Tx) insertDetail(caseID, personID, kind string, pos int, value string, seq int64) error {
	if value == "" {
		return nil
	}
	id := newID("pdt")
	sealed, err := tx.db.v().Seal(value, sealContext("person_details", "value", id))
	if err != nil {
		return err
	}
	if err := tx.exec(`INSERT INTO person_details (id, person_id, case_id, kind, pos, value, created_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, personID, caseID, kind, pos, sealed, formatTime(tx.now), seq); err != nil {
		return fmt.Errorf("insert %s: %w", kind, err)
	}
	if kind == "parent" {
		return tx.indexTokens(caseID, personID, "parent", vault.NameTokens(value), seq)
	}
	return nil
}

// sealContext is the additional data a sealed value is bound to: its table, column
// and row, so that a value copied elsewhere does not open.
func sealContext(table, column, rowID string) string {
	return table + "." + column + "\x00" + rowID
}

// indexTokens adds blind-index rows for a person's tokens of one field, skipping
// tokens the person already has in that field.
func (tx *Tx) indexTokens(caseID, personID, field string, tokens []string, seq int64) error {
	for _, tok := range tokens {
		bi := tx.db.v().BlindIndex(field, tok)
		var n int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM blind_index WHERE person_id = ? AND field = ? AND token = ?`, personID, field, bi).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if err := tx.exec(`INSERT INTO blind_index (id, case_id, person_id, field, token, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			newID("bix"), caseID, personID, field, bi, seq); err != nil {
			return fmt.Errorf("index %s: %w", field, err)
		}
	}
	return nil
}

// insertRole adds a role to a person, and gives a victim the case's next pseudonym
// if the person has none yet.
func (tx *Tx) insertRole(caseID, personID string, r caseroom.PersonRole, seq int64) error {
	if err := tx.exec(`INSERT INTO person_roles (id, person_id, case_id, role, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
		newID(prefixPersonRole), personID, caseID, string(r), formatTime(tx.now), seq); err != nil {
		if tx.db.dialect.isUniqueViolation(err) {
			return caseroom.Errorf(caseroom.ECONFLICT, "role: the person already has the role %s", r)
		}
		return fmt.Errorf("insert role: %w", err)
	}
	if r != caseroom.PersonVictim {
		return nil
	}
	clear, err := personNamesInClear(tx.ctx, tx, tx.db.v(), personID)
	if err != nil {
		return err
	}
	if err := tx.markVictimTerms(caseID, personID, clear); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM pseudonyms WHERE person_id = ?`, personID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	var num int64
	if err := tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM pseudonyms WHERE case_id = ?`, caseID).Scan(&num); err != nil {
		return fmt.Errorf("next pseudonym: %w", err)
	}
	if err := tx.exec(`INSERT INTO pseudonyms (person_id, case_id, num, pseudonym, entry) VALUES (?, ?, ?, ?, ?)`,
		personID, caseID, num, fmt.Sprintf("V-%04d", num), seq); err != nil {
		return fmt.Errorf("insert pseudonym: %w", err)
	}
	return nil
}

// FindPersons lists a case's persons. See caseroom.PersonService.
func (db *DB) FindPersons(ctx context.Context, caseID string, f caseroom.PersonFilter) ([]*caseroom.Person, error) {
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if f.Role != "" && !f.Role.Valid() {
		return nil, caseroom.Errorf(caseroom.EINVALID, "role: %q is not a person role; use one of %s", f.Role, joinPersonRoles())
	}
	var hits, queryHits map[string]bool
	if f.Name != "" {
		if hits, err = db.searchByName(ctx, caseID, f.Name, sc.role, sc.actor); err != nil {
			return nil, err
		}
	}
	if f.Query != "" {
		if queryHits, err = db.searchPersons(ctx, caseID, f.Query, sc.role, sc.actor); err != nil {
			return nil, err
		}
	}
	all, err := db.readPersons(ctx, sc, caseID, "")
	if err != nil {
		return nil, err
	}
	persons := all[:0]
	for _, p := range all {
		if (hits == nil || hits[p.ID]) && (queryHits == nil || queryHits[p.ID]) && (f.Role == "" || p.HasRole(f.Role)) {
			persons = append(persons, p)
		}
	}
	return persons, nil
}

// FindPerson returns one person by id or pseudonym. See caseroom.PersonService.
func (db *DB) FindPerson(ctx context.Context, caseID, ref string) (*caseroom.Person, error) {
	if strings.TrimSpace(ref) == "" {
		// readPersons reads every person for an empty ref; one was asked for.
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "Name a person by id or by pseudonym such as V-0007.")
	}
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, err
	}
	ps, err := db.readPersons(ctx, sc, caseID, ref)
	if err != nil {
		return nil, err
	}
	return ps[0], nil
}

// readPersons loads all persons of a case, or the one named by ref, with every
// victim's identity withheld: it is shown only through RevealIdentity. sc is the
// reader's scope in the case.
func (db *DB) readPersons(ctx context.Context, sc *scope, caseID, ref string) ([]*caseroom.Person, error) {
	q := db.reader()
	var err error
	id := ""
	if ref != "" {
		if id, err = resolvePerson(ctx, q, caseID, ref); err != nil {
			return nil, err
		}
		if !sc.seesPerson(id) {
			return nil, personNotFound(ref)
		}
	}
	persons, err := loadPersons(ctx, q, db.v(), caseID, id)
	if err != nil {
		return nil, err
	}
	withholdVictims(persons)
	if err := withholdPersonSources(ctx, q, caseID, sc.role, persons); err != nil {
		return nil, err
	}
	// The statements of the persons read: of one person, or of the whole case.
	var givers []string
	if ref != "" {
		givers = make([]string, 0, len(persons))
		for _, p := range persons {
			givers = append(givers, p.ID)
		}
	}
	flags, err := statementFlagsByGiver(ctx, q, db.v(), caseID, givers)
	if err != nil {
		return nil, err
	}
	for _, p := range persons {
		p.StatementFlags = flags[p.ID]
	}
	if sc.all() {
		return persons, nil
	}
	seen := persons[:0]
	for _, p := range persons {
		if sc.seesPerson(p.ID) {
			seen = append(seen, p)
		}
	}
	return seen, nil
}

// withholdVictims withholds the identity of every victim among persons.
func withholdVictims(persons []*caseroom.Person) {
	for _, p := range persons {
		if p.HasRole(caseroom.PersonVictim) {
			withholdIdentity(p)
		}
	}
}

// withholdIdentity removes from p everything that identifies a victim.
func withholdIdentity(p *caseroom.Person) {
	p.Names = []caseroom.PersonName{}
	p.Aliases = []caseroom.Alias{}
	p.DateOfBirth = ""
	p.Parents = nil
	p.Address = ""
	p.Identifiers = []caseroom.Identifier{}
	p.IdentityHidden = true
}

// withholdPersonSources blanks, for a role that does not read medical reports, the
// source of every name, alias and identifier of persons that cites a medical report
// (see medicalReportIDs), and sets its SourceRestricted instead: the reference of a
// medical report is not shown to those who may not open it.
func withholdPersonSources(ctx context.Context, q querier, caseID string, role caseroom.Role, persons []*caseroom.Person) error {
	reports, err := medicalReportRefs(ctx, q, caseID, role)
	if err != nil || len(reports) == 0 {
		return err
	}
	for _, p := range persons {
		for i := range p.Names {
			if n := &p.Names[i]; reports[n.Source] {
				n.Source, n.SourceRestricted = "", true
			}
		}
		for i := range p.Aliases {
			if a := &p.Aliases[i]; reports[a.Source] {
				a.Source, a.SourceRestricted = "", true
			}
		}
		for i := range p.Identifiers {
			if idf := &p.Identifiers[i]; reports[idf.Source] {
				idf.Source, idf.SourceRestricted = "", true
			}
		}
	}
	return nil
}

// medicalReportRefs returns the case references of the case's medical reports (see
// medicalReportIDs) for a role that does not read them, so that a reader showing
// documents by reference can withhold them; it returns nil for a role that reads them.
func medicalReportRefs(ctx context.Context, q querier, caseID string, role caseroom.Role) (map[string]bool, error) {
	if role.ReadsMedicalReports() {
		return nil, nil
	}
	ids, err := medicalReportIDs(ctx, q, caseID, "")
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	refs := map[string]bool{}
	err = scanEach(ctx, q, `SELECT id, ref FROM documents WHERE case_id = ?`, []any{caseID}, func(scan func(...any) error) error {
		var id, ref string
		if err := scan(&id, &ref); err != nil {
			return err
		}
		if ids[id] {
			refs[ref] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("medical report references: %w", err)
	}
	return refs, nil
}

// resolvePerson turns a person id or pseudonym into the id of a person in the case.
func resolvePerson(ctx context.Context, q querier, caseID, ref string) (string, error) {
	var id string
	var err error
	switch {
	case strings.HasPrefix(ref, prefixPerson+"_"):
		err = q.QueryRowContext(ctx, `SELECT id FROM persons WHERE id = ? AND case_id = ?`, ref, caseID).Scan(&id)
	case pseudonymPattern.MatchString(ref):
		err = q.QueryRowContext(ctx, `SELECT person_id FROM pseudonyms WHERE pseudonym = ? AND case_id = ?`, ref, caseID).Scan(&id)
	default:
		return "", caseroom.Errorf(caseroom.ENOTFOUND, "%q is neither a person id nor a pseudonym such as V-0007", ref)
	}
	if isNoRows(err) {
		return "", personNotFound(ref)
	} else if err != nil {
		return "", fmt.Errorf("resolve person %s: %w", ref, err)
	}
	return id, nil
}

// loadPersons reads the persons of a case (or one, if personID is set) with their
// names, aliases, roles, pseudonyms and identifiers, in order of registration. Names
// and aliases keep the order they were given in; roles, which have no order of their
// own, are listed in the order of caseroom.PersonRoles.
func loadPersons(ctx context.Context, q querier, v *vault.Vault, caseID, personID string) ([]*caseroom.Person, error) {
	var ids []string
	if personID != "" {
		ids = []string{personID}
	}
	persons, err := loadPersonsIn(ctx, q, v, caseID, ids)
	if err == nil && personID != "" && len(persons) == 0 {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no person %s in this case.", personID)
	}
	return persons, err
}

// loadPersonsIn is loadPersons of the persons ids lists (of every person when ids is
// nil; of none when it is empty).
func loadPersonsIn(ctx context.Context, q querier, v *vault.Vault, caseID string, ids []string) ([]*caseroom.Person, error) {
	filter, args := `case_id = ?`, []any{caseID}
	cfilter, cargs := `x.case_id = ?`, []any{caseID}
	if ids != nil {
		if len(ids) == 0 {
			return []*caseroom.Person{}, nil
		}
		marks := placeholders(len(ids))
		filter, cfilter = filter+` AND id IN (`+marks+`)`, cfilter+` AND x.person_id IN (`+marks+`)`
		for _, id := range ids {
			args, cargs = append(args, id), append(cargs, id)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT id, case_id, sex, date_of_birth, age_band, recorded_by, created_at FROM persons WHERE `+filter+` ORDER BY entry, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load persons: %w", err)
	}
	persons := []*caseroom.Person{}
	byID := map[string]*caseroom.Person{}
	for rows.Next() {
		p := &caseroom.Person{Names: []caseroom.PersonName{}, Aliases: []caseroom.Alias{}, Roles: []caseroom.PersonRole{}, Identifiers: []caseroom.Identifier{}}
		var created string
		if err := rows.Scan(&p.ID, &p.CaseID, &p.Sex, &p.DateOfBirth, &p.AgeBand, &p.RecordedBy, &created); err != nil {
			rows.Close()
			return nil, err
		}
		if p.DateOfBirth, err = v.Open(p.DateOfBirth, sealContext("persons", "date_of_birth", p.ID)); err != nil {
			rows.Close()
			return nil, fmt.Errorf("open date of birth of %s: %w", p.ID, err)
		}
		if p.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		persons = append(persons, p)
		byID[p.ID] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Child rows: the same filter on person_id instead of id (cfilter).
	err = scanEach(ctx, q, `SELECT x.id, x.person_id, x.name, x.script, COALESCE(d.ref, '') FROM person_names x LEFT JOIN documents d ON d.id = x.source_id WHERE `+cfilter+` ORDER BY x.entry, x.pos`, cargs,
		func(scan func(...any) error) error {
			var rowID, pid string
			var n caseroom.PersonName
			if err := scan(&rowID, &pid, &n.Name, &n.Script, &n.Source); err != nil {
				return err
			}
			var err error
			if n.Name, err = v.Open(n.Name, sealContext("person_names", "name", rowID)); err != nil {
				return fmt.Errorf("open name %s: %w", rowID, err)
			}
			if p := byID[pid]; p != nil {
				p.Names = append(p.Names, n)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	err = scanEach(ctx, q, `SELECT x.id, x.person_id, x.alias, x.kind, COALESCE(d.ref, '') FROM person_aliases x LEFT JOIN documents d ON d.id = x.source_id WHERE `+cfilter+` ORDER BY x.entry, x.pos`, cargs,
		func(scan func(...any) error) error {
			var rowID, pid string
			var a caseroom.Alias
			if err := scan(&rowID, &pid, &a.Alias, &a.Kind, &a.Source); err != nil {
				return err
			}
			var err error
			if a.Alias, err = v.Open(a.Alias, sealContext("person_aliases", "alias", rowID)); err != nil {
				return fmt.Errorf("open alias %s: %w", rowID, err)
			}
			if p := byID[pid]; p != nil {
				p.Aliases = append(p.Aliases, a)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load aliases: %w", err)
	}
	err = scanEach(ctx, q, `SELECT x.person_id, x.role FROM person_roles x WHERE `+cfilter+` ORDER BY x.entry, x.id`, cargs,
		func(scan func(...any) error) error {
			var pid, r string
			if err := scan(&pid, &r); err != nil {
				return err
			}
			if p := byID[pid]; p != nil {
				p.Roles = append(p.Roles, caseroom.PersonRole(r))
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	for _, p := range persons {
		sortRoles(p.Roles)
	}
	err = scanEach(ctx, q, `SELECT x.person_id, x.pseudonym FROM pseudonyms x WHERE `+cfilter, cargs,
		func(scan func(...any) error) error {
			var pid, ps string
			if err := scan(&pid, &ps); err != nil {
				return err
			}
			if p := byID[pid]; p != nil {
				p.Pseudonym = ps
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load pseudonyms: %w", err)
	}
	err = scanEach(ctx, q, `SELECT x.id, x.person_id, x.kind, x.value FROM person_details x WHERE `+cfilter+` ORDER BY x.entry, x.pos`, cargs,
		func(scan func(...any) error) error {
			var rowID, pid, kind, sealed string
			if err := scan(&rowID, &pid, &kind, &sealed); err != nil {
				return err
			}
			value, err := v.Open(sealed, sealContext("person_details", "value", rowID))
			if err != nil {
				return fmt.Errorf("open %s %s: %w", kind, rowID, err)
			}
			if p := byID[pid]; p != nil {
				switch kind {
				case "parent":
					p.Parents = append(p.Parents, value)
				case "address":
					p.Address = value
				}
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load person details: %w", err)
	}
	idents, err := loadIdentifiers(ctx, q, v, cfilter, cargs)
	if err != nil {
		return nil, err
	}
	for _, idf := range idents {
		if p := byID[idf.PersonID]; p != nil {
			p.Identifiers = append(p.Identifiers, *idf)
		}
	}
	return persons, nil
}

// scanEach runs a query and calls fn for each row.
func scanEach(ctx context.Context, q querier, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AddName appends a name to a person. See caseroom.PersonService.
func (db *DB) AddName(ctx context.Context, caseID, personRef string, n caseroom.PersonName) (*caseroom.Person, error) {
	if err := validateName(&n, ""); err != nil {
		return nil, err
	}
	return db.appendToPerson(ctx, caseID, personRef, "person.name.add", func(tx *Tx, personID string, seq int64) error {
		var pos int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM person_names WHERE person_id = ?`, personID).Scan(&pos); err != nil {
			return err
		}
		return tx.insertName(caseID, personID, pos, n, "source", seq)
	})
}

// AddAlias appends an alias to a person. See caseroom.PersonService.
func (db *DB) AddAlias(ctx context.Context, caseID, personRef string, a caseroom.Alias) (*caseroom.Person, error) {
	if err := validateAlias(&a, ""); err != nil {
		return nil, err
	}
	return db.appendToPerson(ctx, caseID, personRef, "person.alias.add", func(tx *Tx, personID string, seq int64) error {
		var pos int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM person_aliases WHERE person_id = ?`, personID).Scan(&pos); err != nil {
			return err
		}
		return tx.insertAlias(caseID, personID, pos, a, "source", seq)
	})
}

// AddRole gives a person another role in the case. See caseroom.PersonService.
func (db *DB) AddRole(ctx context.Context, caseID, personRef string, r caseroom.PersonRole) (*caseroom.Person, error) {
	if !r.Valid() {
		return nil, caseroom.Errorf(caseroom.EINVALID, "role: %q is not a person role; use one of %s", r, joinPersonRoles())
	}
	return db.appendToPerson(ctx, caseID, personRef, "person.role.add", func(tx *Tx, personID string, seq int64) error {
		return tx.insertRole(caseID, personID, r, seq)
	})
}

// appendToPerson runs one append to a person as one audited write and returns the
// person as the actor may see it.
func (db *DB) appendToPerson(ctx context.Context, caseID, personRef, action string, fn func(tx *Tx, personID string, seq int64) error) (*caseroom.Person, error) {
	var out *caseroom.Person
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		personID, err := resolvePerson(ctx, tx, caseID, personRef)
		if err != nil {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := fn(tx, personID, seq); err != nil {
			return err
		}
		if err := tx.appendAudit(seq, action, "person", personID, caseID); err != nil {
			return err
		}
		out, err = tx.visiblePerson(caseID, personID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// visiblePerson loads a person inside the transaction, a victim's identity withheld,
// and the medical reports cited as sources withheld from an actor who does not read
// them.
func (tx *Tx) visiblePerson(caseID, personID string) (*caseroom.Person, error) {
	persons, err := loadPersons(tx.ctx, tx, tx.db.v(), caseID, personID)
	if err != nil {
		return nil, err
	}
	withholdVictims(persons)
	role, err := memberRole(tx.ctx, tx, caseID, tx.actor)
	if err != nil {
		return nil, err
	}
	if err := withholdPersonSources(tx.ctx, tx, caseID, role, persons); err != nil {
		return nil, err
	}
	return persons[0], nil
}

func joinPersonRoles() string {
	s := make([]string, len(caseroom.PersonRoles))
	for i, r := range caseroom.PersonRoles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sortRoles puts roles in the order of caseroom.PersonRoles.
func sortRoles(roles []caseroom.PersonRole) {
	rank := func(r caseroom.PersonRole) int {
		for i, x := range caseroom.PersonRoles {
			if x == r {
				return i
			}
		}
		return len(caseroom.PersonRoles)
	}
	sort.SliceStable(roles, func(i, j int) bool { return rank(roles[i]) < rank(roles[j]) })
}
