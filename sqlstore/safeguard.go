package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"caseroom"
	"caseroom/vault"
)

var _ caseroom.SafeguardService = (*DB)(nil)

const prefixSafeguardRules = "sgr"

// maxSafeguardLanguages bounds the officers and the languages of one rule set.
const maxSafeguardLanguages = 100

// RecordSafeguardRules records a rule set. See caseroom.SafeguardService.
func (db *DB) RecordSafeguardRules(ctx context.Context, caseID string, nr caseroom.NewSafeguardRules) (*caseroom.SafeguardRules, error) {
	on := func(b *bool) bool { return b == nil || *b }
	langs := map[string][]string{}
	if len(nr.Languages) > maxSafeguardLanguages {
		return nil, caseroom.Errorf(caseroom.EINVALID, "languages: at most %d officers", maxSafeguardLanguages)
	}
	for user, tags := range nr.Languages {
		user = strings.TrimSpace(user)
		if user == "" {
			return nil, caseroom.Errorf(caseroom.EINVALID, "languages: a key is empty; name an officer by user name, or \"*\" for every officer")
		}
		if len(tags) == 0 || len(tags) > maxSafeguardLanguages {
			return nil, caseroom.Errorf(caseroom.EINVALID, "languages[%s]: list between 1 and %d language tags such as ur, pa or en", user, maxSafeguardLanguages)
		}
		clean := make([]string, 0, len(tags))
		for _, tag := range tags {
			tag = strings.TrimSpace(tag)
			if !languagePattern.MatchString(tag) {
				return nil, caseroom.Errorf(caseroom.EINVALID, "languages[%s]: %q is not a language tag such as ur, pa or en", user, tag)
			}
			if !contains(clean, tag) {
				clean = append(clean, tag)
			}
		}
		sort.Strings(clean)
		langs[user] = clean
	}
	languages, err := json.Marshal(langs) // keys sorted: one encoding per rule set
	if err != nil {
		return nil, err
	}
	id := newID(prefixSafeguardRules)
	err = db.write(ctx, func(tx *Tx) error {
		role, err := memberRole(ctx, tx, caseID, tx.actor)
		if err != nil {
			return err
		}
		if role != caseroom.RoleLead {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot set the statement safeguards; the lead does.", role)
		}
		for user := range langs {
			if user == "*" {
				continue
			}
			if _, _, err := tx.memberNamed(caseID, user, "languages", `name officers by user name, or "*" for every officer`); err != nil {
				return err
			}
		}
		var num int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM safeguard_rules WHERE case_id = ?`, caseID).Scan(&num); err != nil {
			return fmt.Errorf("number safeguard rules: %w", err)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO safeguard_rules (id, case_id, num, guardian, female, interpreter, languages, recorded_by, recorded_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, num, boolInt(on(nr.GuardianForMinor)), boolInt(on(nr.FemaleForFemaleVictim)), boolInt(on(nr.InterpreterForLanguage)),
			string(languages), tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert safeguard rules: %w", err)
		}
		return tx.appendAudit(seq, "safeguards.record", "safeguards", id, caseID)
	})
	if err != nil {
		return nil, err
	}
	return db.SafeguardRules(ctx, caseID)
}

// SafeguardRules returns the rules in force. See caseroom.SafeguardService.
func (db *DB) SafeguardRules(ctx context.Context, caseID string) (*caseroom.SafeguardRules, error) {
	if err := db.checkWholeCase(ctx, caseID, "the statement safeguards"); err != nil {
		return nil, err
	}
	sets, err := loadSafeguardRules(ctx, db.reader(), caseID)
	if err != nil {
		return nil, err
	}
	r := rulesInForce(sets, db.Now())
	return &r, nil
}

// loadSafeguardRules reads a case's rule sets, oldest first.
func loadSafeguardRules(ctx context.Context, q querier, caseID string) ([]caseroom.SafeguardRules, error) {
	var out []caseroom.SafeguardRules
	err := scanEach(ctx, q, `SELECT id, guardian, female, interpreter, languages, recorded_by, recorded_at FROM safeguard_rules WHERE case_id = ? ORDER BY num`, []any{caseID},
		func(scan func(...any) error) error {
			var r caseroom.SafeguardRules
			var g, f, i int64
			var langs, at string
			if err := scan(&r.ID, &g, &f, &i, &langs, &r.RecordedBy, &at); err != nil {
				return err
			}
			r.GuardianForMinor, r.FemaleForFemaleVictim, r.InterpreterForLanguage = g != 0, f != 0, i != 0
			if err := json.Unmarshal([]byte(langs), &r.Languages); err != nil {
				return fmt.Errorf("safeguard rules %s: languages: %w", r.ID, err)
			}
			t, err := parseTime(at)
			if err != nil {
				return err
			}
			r.RecordedAt = &t
			out = append(out, r)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load safeguard rules: %w", err)
	}
	return out, nil
}

// rulesInForce returns the latest rule set recorded at or before t, or the defaults.
func rulesInForce(sets []caseroom.SafeguardRules, t time.Time) caseroom.SafeguardRules {
	r := caseroom.DefaultSafeguardRules()
	for _, s := range sets {
		if !s.RecordedAt.After(t) {
			r = s
		}
	}
	return r
}

// flagStatements sets the safeguard flags of the statements among docs. Each is judged
// by the rule set in force at its recordedAt (the defaults before the first):
//
//   - guardian-for-minor: if the giver is a minor (as for consents: by date of birth,
//     else by age band, else, the age unknown, as a minor), someone present is a parent
//     or guardian of theirs (a standing parent_of or guardian_of link to the giver) or
//     is present in a capacity naming a guardian, parent or appropriate adult. A giver
//     with the role officer is taken to be an adult;
//   - female-for-female-victim: if the giver is a victim recorded as female, someone
//     present is in a capacity naming "female" (female officer, female relative), or
//     is recorded as female and is an officer (role officer), a guardian (role
//     guardian), or a parent or guardian of the giver. A victim whose sex is not
//     recorded is not judged: the rule names what it cannot check rather than guess;
//   - interpreter-for-language: if the statement's language is recorded and is not
//     among the recording officer's languages in the rule set (their own entry, else
//     "*"), an interpreter is named or someone is present as an interpreter. Where the
//     rule set records no languages for the officer, their language is unknown and the
//     statement is not judged.
//
// Complaints, which record a giver too, are not judged: the rules are about statements.
func flagStatements(ctx context.Context, q querier, v *vault.Vault, caseID string, docs []*caseroom.Document) error {
	var stmts []*caseroom.Document
	for _, d := range docs {
		if d.Kind == caseroom.DocStatement && d.Statement != nil && d.Statement.Giver != "" {
			stmts = append(stmts, d)
		}
	}
	if len(stmts) == 0 {
		return nil
	}
	sets, err := loadSafeguardRules(ctx, q, caseID)
	if err != nil {
		return err
	}
	persons := map[string]*caseroom.Person{}
	need := map[string]bool{}
	for _, d := range stmts {
		need[d.Statement.Giver] = true
		for _, p := range d.Statement.Present {
			need[p.Person] = true
		}
	}
	if len(need) > 20 {
		all, err := loadPersons(ctx, q, v, caseID, "")
		if err != nil {
			return err
		}
		for _, p := range all {
			persons[p.ID] = p
		}
	} else {
		for id := range need {
			ps, err := loadPersons(ctx, q, v, caseID, id)
			if err != nil {
				return err
			}
			persons[id] = ps[0]
		}
	}
	guardianOf := map[[2]string]bool{} // (guardian, child)
	err = scanEach(ctx, q, `SELECT l.from_id, l.to_id FROM links l WHERE l.case_id = ? AND l.type IN ('parent_of', 'guardian_of') AND `+standingLink,
		[]any{caseID}, func(scan func(...any) error) error {
			var from, to string
			if err := scan(&from, &to); err != nil {
				return err
			}
			guardianOf[[2]string{from, to}] = true
			return nil
		})
	if err != nil {
		return fmt.Errorf("safeguards: guardians: %w", err)
	}
	for _, d := range stmts {
		st := d.Statement
		rules := rulesInForce(sets, st.RecordedAt)
		giver := persons[st.Giver]
		if giver == nil {
			continue
		}
		var flags []caseroom.SafeguardFlag
		present := func(ok func(p *caseroom.Person, capacity string) bool) bool {
			for _, pr := range st.Present {
				if ok(persons[pr.Person], strings.ToLower(pr.Capacity)) {
					return true
				}
			}
			return false
		}
		if rules.GuardianForMinor {
			if minor, _, why := giver.Minor(st.RecordedAt); minor && !giver.HasRole(caseroom.PersonOfficer) && !present(func(p *caseroom.Person, c string) bool {
				return (p != nil && guardianOf[[2]string{p.ID, giver.ID}]) ||
					strings.Contains(c, "guardian") || strings.Contains(c, "parent") || strings.Contains(c, "appropriate adult")
			}) {
				flags = append(flags, caseroom.SafeguardFlag{Rule: caseroom.SafeguardGuardian,
					Reason: "a minor (" + why + ") gave it without a parent, guardian or appropriate adult present"})
			}
		}
		if rules.FemaleForFemaleVictim && giver.HasRole(caseroom.PersonVictim) && giver.Sex == "female" && !present(func(p *caseroom.Person, c string) bool {
			if strings.Contains(c, "female") {
				return true
			}
			return p != nil && p.Sex == "female" && (p.HasRole(caseroom.PersonOfficer) || p.HasRole(caseroom.PersonGuardian) || guardianOf[[2]string{p.ID, giver.ID}])
		}) {
			flags = append(flags, caseroom.SafeguardFlag{Rule: caseroom.SafeguardFemale,
				Reason: "a female victim gave it without a female officer or female relative present"})
		}
		if rules.InterpreterForLanguage && st.Language != "" {
			langs, ok := rules.Languages[st.RecordedBy]
			if !ok {
				langs, ok = rules.Languages["*"]
			}
			if ok && !contains(langs, st.Language) && st.Interpreter == "" && !present(func(_ *caseroom.Person, c string) bool { return strings.Contains(c, "interpreter") }) {
				flags = append(flags, caseroom.SafeguardFlag{Rule: caseroom.SafeguardInterpreter,
					Reason: fmt.Sprintf("taken in %s by %s, who works in %s, without an interpreter", st.Language, st.RecordedBy, strings.Join(langs, ", "))})
			}
		}
		st.SafeguardFlags = flags
	}
	return nil
}

// statementFlagsByGiver returns, per giver, the flagged statements of the case: of the
// givers named, or of every giver when givers is nil.
func statementFlagsByGiver(ctx context.Context, q querier, v *vault.Vault, caseID string, givers []string) (map[string][]caseroom.StatementFlags, error) {
	filter, args := `d.kind = ?`, []any{string(caseroom.DocStatement)}
	if givers != nil {
		if len(givers) == 0 {
			return map[string][]caseroom.StatementFlags{}, nil
		}
		filter += ` AND s.giver_id IN (` + placeholders(len(givers)) + `)`
		for _, g := range givers {
			args = append(args, g)
		}
	}
	docs, err := loadDocuments(ctx, q, v, caseID, filter, args)
	if err != nil {
		return nil, err
	}
	out := map[string][]caseroom.StatementFlags{}
	for _, d := range docs {
		if st := d.Statement; st != nil && len(st.SafeguardFlags) > 0 {
			out[st.Giver] = append(out[st.Giver], caseroom.StatementFlags{Statement: d.Ref, Flags: st.SafeguardFlags})
		}
	}
	return out, nil
}
