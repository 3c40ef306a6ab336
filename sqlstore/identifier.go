package sqlstore

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"caseroom"
	"caseroom/phone"
	"caseroom/vault"
)

// AddIdentifier records an identifier held by a person. See caseroom.PersonService.
func (db *DB) AddIdentifier(ctx context.Context, caseID, personRef string, ni caseroom.NewIdentifier) (*caseroom.Identifier, error) {
	if !ni.Kind.Valid() {
		kinds := make([]string, len(caseroom.IdentifierKinds))
		for i, k := range caseroom.IdentifierKinds {
			kinds[i] = string(k)
		}
		return nil, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not an identifier kind; use one of %s", ni.Kind, strings.Join(kinds, ", "))
	}
	value, err := normaliseIdentifier(ni.Kind, ni.Value)
	if err != nil {
		return nil, err
	}
	service := strings.TrimSpace(ni.Service)
	if len(service) > maxIdentifierService || !utf8.ValidString(service) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "service: at most %d bytes of text, the name of where the identifier lives (Skype, WhatsApp, a bank)", maxIdentifierService)
	}
	idf := &caseroom.Identifier{ID: newID(prefixIdentifier), Kind: ni.Kind, Value: value, Service: service}
	err = db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		personID, err := resolvePerson(ctx, tx, caseID, personRef)
		if err != nil {
			return err
		}
		src, err := tx.source(caseID, ni.Source, "source")
		if err != nil {
			return err
		}
		if idf.Kind == caseroom.IdentifierPhone {
			// Stored in E.164 (see package phone), so that the number written locally
			// and with its country code is one identifier.
			region, err := caseRegion(tx.ctx, tx, caseID)
			if err != nil {
				return err
			}
			if n, ok := phone.Normalise(idf.Value, region); ok && n.Full && len(n.E164) <= maxIdentifierValue {
				idf.Value = n.E164
			}
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		idf.PersonID, idf.AddedBy, idf.CreatedAt = personID, tx.actor.Name, tx.now
		sealed, err := tx.db.v().Seal(idf.Value, sealContext("identifiers", "value", idf.ID))
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO identifiers (id, case_id, person_id, kind, value, service, source_id, added_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			idf.ID, caseID, personID, string(idf.Kind), sealed, idf.Service, src, idf.AddedBy, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert identifier: %w", err)
		}
		if err := tx.indexTokens(caseID, personID, "identifier:"+string(idf.Kind), []string{idf.Value}, seq); err != nil {
			return err
		}
		if idf.Kind == caseroom.IdentifierPhone {
			if err := tx.exec(`INSERT INTO identifier_e164 (identifier_id, case_id, entry) VALUES (?, ?, ?)`, idf.ID, caseID, seq); err != nil {
				return fmt.Errorf("mark identifier: %w", err)
			}
		}
		if err := tx.appendAudit(seq, "identifier.add", "identifier", idf.ID, caseID); err != nil {
			return err
		}
		var victim int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pseudonyms WHERE person_id = ?`, personID).Scan(&victim); err != nil {
			return err
		}
		if victim > 0 {
			idf.Value = "" // a victim's identifier is part of their identity: shown only by a reveal
		}
		return tx.QueryRowContext(ctx, `SELECT ref FROM documents WHERE id = ?`, src).Scan(&idf.Source)
	})
	if err != nil {
		return nil, err
	}
	return idf, nil
}

// Bounds of an identifier's fields, in bytes.
const (
	maxIdentifierValue   = 200
	maxIdentifierService = 100
)

// normaliseIdentifier checks an identifier's value and writes it in one form, so that
// the same phone number written two ways is one value: phones keep a leading + and
// their digits; e-mail addresses are lower-cased. A value too long is refused before
// it is read further, so that no message repeats it.
func normaliseIdentifier(kind caseroom.IdentifierKind, value string) (string, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return "", caseroom.Errorf(caseroom.EINVALID, "value: required")
	}
	if len(value) > maxIdentifierValue {
		return "", caseroom.Errorf(caseroom.EINVALID, "value: at most %d bytes", maxIdentifierValue)
	}
	if !utf8.ValidString(value) {
		return "", caseroom.Errorf(caseroom.EINVALID, "value: not valid UTF-8 text")
	}
	out, err := normaliseValidIdentifier(kind, value)
	if err != nil {
		return "", err
	}
	if len(out) > maxIdentifierValue {
		return "", caseroom.Errorf(caseroom.EINVALID, "value: at most %d bytes", maxIdentifierValue)
	}
	return out, nil
}

func normaliseValidIdentifier(kind caseroom.IdentifierKind, value string) (string, error) {
	switch kind {
	case caseroom.IdentifierPhone:
		var b strings.Builder
		for i, r := range value {
			switch {
			case r >= '0' && r <= '9':
				b.WriteRune(r)
			case r == '+' && i == 0:
				b.WriteRune(r)
			case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
			default:
				return "", caseroom.Errorf(caseroom.EINVALID, "value: %q is not a phone number; use digits, spaces, dashes and an optional leading +", value)
			}
		}
		digits := strings.TrimPrefix(b.String(), "+")
		if len(digits) < 5 || len(digits) > 15 {
			return "", caseroom.Errorf(caseroom.EINVALID, "value: a phone number has 5 to 15 digits, %q has %d", value, len(digits))
		}
		return b.String(), nil
	case caseroom.IdentifierEmail:
		at := strings.LastIndex(value, "@")
		if at < 1 || at == len(value)-1 || strings.ContainsAny(value, " \t") {
			return "", caseroom.Errorf(caseroom.EINVALID, "value: %q is not an e-mail address", value)
		}
		return strings.ToLower(value), nil
	}
	return value, nil
}

// loadIdentifiers reads identifiers matching a filter on the alias x.
func loadIdentifiers(ctx context.Context, q querier, v *vault.Vault, filter string, args []any) ([]*caseroom.Identifier, error) {
	var out []*caseroom.Identifier
	err := scanEach(ctx, q, `SELECT x.id, x.person_id, x.kind, x.value, x.service, d.ref, x.added_by, x.created_at
		FROM identifiers x JOIN documents d ON d.id = x.source_id WHERE `+filter+` ORDER BY x.entry, x.id`, args,
		func(scan func(...any) error) error {
			idf := &caseroom.Identifier{}
			var kind, created string
			if err := scan(&idf.ID, &idf.PersonID, &kind, &idf.Value, &idf.Service, &idf.Source, &idf.AddedBy, &created); err != nil {
				return err
			}
			idf.Kind = caseroom.IdentifierKind(kind)
			var err error
			if idf.Value, err = v.Open(idf.Value, sealContext("identifiers", "value", idf.ID)); err != nil {
				return fmt.Errorf("open identifier %s: %w", idf.ID, err)
			}
			t, err := parseTime(created)
			idf.CreatedAt = t
			out = append(out, idf)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("load identifiers: %w", err)
	}
	return out, nil
}

// loosePseudonym is a pseudonym as someone might type it in a search box: V-0007,
// v-7, V7.
var loosePseudonym = regexp.MustCompile(`^[Vv]-?0*([0-9]{1,9})$`)

// searchPersons returns the ids of the persons of a case that a search box's query
// names (see caseroom.PersonFilter.Query): by pseudonym, by every name token in their
// names or aliases, or by an identifier equal to the query as identifiers are stored.
// Names and identifiers are matched through the blind index, and a victim so matched
// only if the actor may reveal them. The search is audited as a name search is, with
// the blind tokens looked up, never the query.
func (db *DB) searchPersons(ctx context.Context, caseID, query string, role caseroom.Role, actor *caseroom.User) (map[string]bool, error) {
	hits, looked, err := db.lookupPersons(ctx, caseID, query, role, actor)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(hits))
	for id := range hits {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	err = db.write(ctx, func(tx *Tx) error {
		// A random salt, not stored, as for a name search: the entry's hash cannot be
		// used to test what was searched for.
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		return tx.appendEvent("person.search.name", "case", caseID, caseID, map[string]any{"tokens": looked, "found": ids, "salt": salt})
	})
	if err != nil {
		return nil, err
	}
	return hits, nil
}

// lookupPersons is searchPersons without its audit entry: the persons found and the
// blind tokens looked up.
func (db *DB) lookupPersons(ctx context.Context, caseID, query string, role caseroom.Role, actor *caseroom.User) (map[string]bool, []any, error) {
	query = strings.TrimSpace(query)
	if len(query) > 300 {
		return nil, nil, caseroom.Errorf(caseroom.EINVALID, "q: at most 300 bytes")
	}
	if query == "" || !utf8.ValidString(query) {
		return nil, nil, caseroom.Errorf(caseroom.EINVALID, "q: give a name, alias, pseudonym or identifier to search for")
	}
	tokens := vault.NameTokens(query)
	if len(tokens) > 12 {
		return nil, nil, caseroom.Errorf(caseroom.EINVALID, "q: at most 12 words")
	}
	q := db.reader()
	hits := map[string]bool{}
	if m := loosePseudonym.FindStringSubmatch(query); m != nil {
		num, _ := strconv.ParseInt(m[1], 10, 64)
		err := scanEach(ctx, q, `SELECT person_id FROM pseudonyms WHERE case_id = ? AND num = ?`, []any{caseID, num},
			func(scan func(...any) error) error {
				var id string
				err := scan(&id)
				hits[id] = true
				return err
			})
		if err != nil {
			return nil, nil, fmt.Errorf("search by pseudonym: %w", err)
		}
	}

	// mayMatch says whether a person found by name or identifier is shown: anyone but
	// a victim, and a victim only to those who may reveal them.
	mayMatch := func(pseudonym, recorder string) bool {
		return pseudonym == "" || role.CanSeeIdentities() || (recorder == actor.Name && role.CanRecord())
	}
	var looked []any // the blind tokens looked up, for the audit entry
	collect := func(query string, args []any) error {
		return scanEach(ctx, q, query, args, func(scan func(...any) error) error {
			var id, pseudonym, recorder string
			if err := scan(&id, &pseudonym, &recorder); err != nil {
				return err
			}
			if mayMatch(pseudonym, recorder) {
				hits[id] = true
			}
			return nil
		})
	}
	const found = `SELECT b.person_id, COALESCE(MAX(p.pseudonym), ''), MAX(s.recorded_by)
		FROM blind_index b JOIN persons s ON s.id = b.person_id LEFT JOIN pseudonyms p ON p.person_id = b.person_id
		WHERE b.case_id = ? AND `

	if len(tokens) > 0 {
		args := []any{caseID}
		marks := make([]string, len(tokens))
		for i, tok := range tokens {
			args = append(args, db.v().BlindIndex("name", tok))
			marks[i] = "?"
		}
		looked = append(looked, args[1:]...)
		args = append(args, len(tokens))
		if err := collect(found+`b.field = 'name' AND b.token IN (`+strings.Join(marks, ", ")+`)
			GROUP BY b.person_id HAVING COUNT(DISTINCT b.token) = ?`, args); err != nil {
			return nil, nil, fmt.Errorf("search by name: %w", err)
		}
	}

	// Every kind of identifier the query could be, each written as stored.
	candidates := []string{query, strings.ToLower(query)}
	if h, ok := strings.CutPrefix(query, "@"); ok {
		candidates = append(candidates, h, strings.ToLower(h))
	}
	args, terms, seen := []any{caseID}, []string{}, map[string]bool{}
	for _, kind := range caseroom.IdentifierKinds {
		for _, c := range candidates {
			value, err := normaliseIdentifier(kind, c)
			if err != nil {
				continue
			}
			field := "identifier:" + string(kind)
			bi := db.v().BlindIndex(field, value)
			if seen[field+bi] {
				continue
			}
			seen[field+bi] = true
			args = append(args, field, bi)
			looked = append(looked, bi)
			terms = append(terms, "(b.field = ? AND b.token = ?)")
		}
	}
	// A phone number as any writing of it is stored since phones are kept in E.164.
	if region, err := caseRegion(ctx, q, caseID); err != nil {
		return nil, nil, err
	} else if n, ok := phone.Normalise(query, region); ok && n.Full {
		bi := db.v().BlindIndex("identifier:phone", n.E164)
		if !seen["identifier:phone"+bi] {
			seen["identifier:phone"+bi] = true
			args = append(args, "identifier:phone", bi)
			looked = append(looked, bi)
			terms = append(terms, "(b.field = ? AND b.token = ?)")
		}
	}
	if len(terms) > 0 {
		if err := collect(found+`(`+strings.Join(terms, " OR ")+`) GROUP BY b.person_id`, args); err != nil {
			return nil, nil, fmt.Errorf("search by identifier: %w", err)
		}
	}

	return hits, looked, nil
}

// normaliseOldPhones gives every phone identifier recorded before phones were stored
// in E.164 its E.164 form as a new fact: a blind_index row for the E.164 value (so that
// the person is found by the number however it is written, and holds the endpoints of
// that number), and a row of identifier_e164 marking the identifier done, under one
// audit entry (identifier.normalise) per case, by the console. The identifier's value
// as first recorded is never changed. Run at start-up; a store with nothing to do
// costs one query.
func (db *DB) normaliseOldPhones(ctx context.Context) error {
	type old struct{ id, caseID, personID, sealed string }
	var todo []old
	err := scanEach(ctx, db.reader(), `SELECT x.id, x.case_id, x.person_id, x.value FROM identifiers x
		LEFT JOIN identifier_e164 e ON e.identifier_id = x.id WHERE x.kind = 'phone' AND e.identifier_id IS NULL ORDER BY x.case_id, x.entry`, nil,
		func(scan func(...any) error) error {
			var o old
			err := scan(&o.id, &o.caseID, &o.personID, &o.sealed)
			todo = append(todo, o)
			return err
		})
	if err != nil || len(todo) == 0 {
		return err
	}
	ctx = caseroom.NewContextWithUser(ctx, caseroom.Console)
	for len(todo) > 0 {
		caseID := todo[0].caseID
		n := 1
		for n < len(todo) && todo[n].caseID == caseID {
			n++
		}
		batch := todo[:n]
		todo = todo[n:]
		err := db.write(ctx, func(tx *Tx) error {
			region, err := caseRegion(tx.ctx, tx, caseID)
			if err != nil {
				return err
			}
			seq, err := tx.reserveSeq()
			if err != nil {
				return err
			}
			for _, o := range batch {
				value, err := tx.db.v().Open(o.sealed, sealContext("identifiers", "value", o.id))
				if err != nil {
					return fmt.Errorf("open identifier %s: %w", o.id, err)
				}
				if num, ok := phone.Normalise(value, region); ok && num.Full {
					if err := tx.indexTokens(caseID, o.personID, "identifier:phone", []string{num.E164}, seq); err != nil {
						return err
					}
				}
				if err := tx.exec(`INSERT INTO identifier_e164 (identifier_id, case_id, entry) VALUES (?, ?, ?)`, o.id, caseID, seq); err != nil {
					return fmt.Errorf("mark identifier: %w", err)
				}
			}
			return tx.appendAudit(seq, "identifier.normalise", "case", caseID, caseID)
		})
		if err != nil {
			return fmt.Errorf("normalise phone identifiers of case %s: %w", caseID, err)
		}
	}
	return nil
}
