package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"caseroom"
	"caseroom/vault"
)

var (
	_ caseroom.ArrestService         = (*DB)(nil)
	_ caseroom.AccountabilityService = (*DB)(nil)
)

const (
	prefixArrest       = "arr"
	prefixArrestGround = "agr"
	prefixProduction   = "apr"
)

// maxArrestGrounds bounds the records one arrest cites.
const maxArrestGrounds = 100

// RecordArrest records an arrest with its grounds. See caseroom.ArrestService.
//
// The arrest is numbered AR-n in its case inside the write transaction, and its due
// time is the arrest's time plus caseroom.ProductionWithin (24 hours). The arrest and
// its grounds share one audit entry (arrest.record).
func (db *DB) RecordArrest(ctx context.Context, caseID string, na caseroom.NewArrest) (*caseroom.Arrest, error) {
	na.Person, na.By, na.Place = strings.TrimSpace(na.Person), strings.TrimSpace(na.By), strings.TrimSpace(na.Place)
	switch {
	case na.Person == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "person: required; the suspect arrested, by id")
	case na.At == nil || na.At.IsZero():
		return nil, caseroom.Errorf(caseroom.EINVALID, "at: required; when the arrest was made, RFC 3339 such as 2026-11-21T08:00:00Z")
	case na.By == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "by: required; the arresting officer, a member of the case by user name")
	case len(na.Place) > 300:
		return nil, caseroom.Errorf(caseroom.EINVALID, "place: at most 300 bytes")
	case len(na.Grounds) == 0:
		return nil, caseroom.Errorf(caseroom.EINVALID, "grounds: required; an arrest must cite at least one document (S-12), exhibit (SB/3) or media record of the case it rests on")
	case len(na.Grounds) > maxArrestGrounds:
		return nil, caseroom.Errorf(caseroom.EINVALID, "grounds: at most %d", maxArrestGrounds)
	}
	if err := notInFuture("at", *na.At, db.Now()); err != nil {
		return nil, err
	}
	id := newID(prefixArrest)
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		person, err := tx.personField(caseID, na.Person, "person")
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM person_roles WHERE person_id = ? AND role = ?`, person, string(caseroom.PersonSuspect)).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return caseroom.Errorf(caseroom.EINVALID, "person: %s is not a suspect of this case; only a suspect is arrested (add the role suspect first, with the grounds for it)", na.Person)
		}
		u, _, err := tx.memberNamed(caseID, na.By, "by", "name the arresting officer by user name")
		if err != nil {
			return err
		}
		type ground struct{ id, kind string }
		grounds := make([]ground, 0, len(na.Grounds))
		seen := map[string]bool{}
		for i, ref := range na.Grounds {
			gid, kind, err := tx.citedRecord(caseID, strings.TrimSpace(ref))
			if err != nil {
				return caseroom.Errorf(caseroom.EINVALID, "grounds[%d]: %s", i, caseroom.ErrorMessage(err))
			}
			if seen[gid] {
				return caseroom.Errorf(caseroom.EINVALID, "grounds[%d]: %s is cited twice", i, ref)
			}
			seen[gid] = true
			grounds = append(grounds, ground{gid, kind})
		}
		var num int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM arrests WHERE case_id = ?`, caseID).Scan(&num); err != nil {
			return fmt.Errorf("number arrest: %w", err)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO arrests (id, case_id, num, ref, person_id, at, by_whom, place, due, recorded_by, recorded_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, num, fmt.Sprintf("AR-%d", num), person, formatTime(*na.At), u.Name, na.Place, formatTime(na.At.Add(caseroom.ProductionWithin)),
			tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert arrest: %w", err)
		}
		for i, g := range grounds {
			if err := tx.exec(`INSERT INTO arrest_grounds (id, arrest_id, case_id, pos, ground_id, ground_kind, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				newID(prefixArrestGround), id, caseID, i, g.id, g.kind, seq); err != nil {
				return fmt.Errorf("insert arrest ground: %w", err)
			}
		}
		return tx.appendAudit(seq, "arrest.record", "arrest", id, caseID)
	})
	if err != nil {
		return nil, err
	}
	return db.readArrest(ctx, caseID, id)
}

// RecordProduction records an arrested person's production before a magistrate. See
// caseroom.ArrestService.
//
// The production must fall between the arrest and now (with FutureSkew's grace, as
// everywhere); it is late if after the arrest's due time, which stays visible on
// the arrest. One audit entry (arrest.production).
func (db *DB) RecordProduction(ctx context.Context, caseID, arrest string, np caseroom.NewProduction) (*caseroom.Arrest, error) {
	np.Court, np.By = strings.TrimSpace(np.Court), strings.TrimSpace(np.By)
	switch {
	case np.At == nil || np.At.IsZero():
		return nil, caseroom.Errorf(caseroom.EINVALID, "at: required; when the person was produced before the magistrate, RFC 3339 such as 2026-11-21T20:00:00Z")
	case np.Court == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "court: required; the magistrate or court the person was produced before")
	case len(np.Court) > 300:
		return nil, caseroom.Errorf(caseroom.EINVALID, "court: at most 300 bytes")
	case !np.Outcome.Valid():
		return nil, caseroom.Errorf(caseroom.EINVALID, "outcome: %q is not an outcome; use one of %s", np.Outcome, joinProductionOutcomes())
	case np.By == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "by: required; the officer who produced the person, a member of the case by user name")
	}
	if err := notInFuture("at", *np.At, db.Now()); err != nil {
		return nil, err
	}
	var id string
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		var ref, at string
		err := tx.QueryRowContext(ctx, `SELECT id, ref, at FROM arrests WHERE case_id = ? AND (id = ? OR ref = ?)`, caseID, arrest, arrest).Scan(&id, &ref, &at)
		if isNoRows(err) {
			return caseroom.Errorf(caseroom.ENOTFOUND, "There is no arrest %s in this case.", arrest)
		} else if err != nil {
			return fmt.Errorf("find arrest %s: %w", arrest, err)
		}
		arrestedAt, err := parseTime(at)
		if err != nil {
			return err
		}
		if np.At.Before(arrestedAt) {
			return caseroom.Errorf(caseroom.EINVALID, "at: %s is before the arrest %s (%s)", np.At.Format(time.RFC3339), ref, arrestedAt.Format(time.RFC3339))
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM arrest_productions WHERE arrest_id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("find production of %s: %w", ref, err)
		}
		if n > 0 {
			return caseroom.Errorf(caseroom.ECONFLICT, "The production of %s is already recorded; a production record is never changed.", ref)
		}
		u, _, err := tx.memberNamed(caseID, np.By, "by", "name the officer who produced the person by user name")
		if err != nil {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO arrest_productions (id, arrest_id, case_id, at, court, outcome, by_whom, recorded_by, recorded_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			newID(prefixProduction), id, caseID, formatTime(*np.At), np.Court, string(np.Outcome), u.Name, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert production of %s: %w", ref, err)
		}
		return tx.appendAudit(seq, "arrest.production", "arrest", id, caseID)
	})
	if err != nil {
		return nil, err
	}
	return db.readArrest(ctx, caseID, id)
}

// joinProductionOutcomes lists the valid outcomes for a message.
func joinProductionOutcomes() string {
	var names []string
	for _, o := range caseroom.ProductionOutcomes {
		names = append(names, string(o))
	}
	return strings.Join(names, ", ")
}

// citedRecord resolves a record an arrest or a payment cites: a document (id or S-12), an exhibit
// (id or SB/3) or a media record (id) of the case.
func (tx *Tx) citedRecord(caseID, ref string) (string, string, error) {
	switch {
	case strings.HasPrefix(ref, prefixMedia+"_"):
		var id string
		err := tx.QueryRowContext(tx.ctx, `SELECT id FROM media WHERE id = ? AND case_id = ?`, ref, caseID).Scan(&id)
		if isNoRows(err) {
			return "", "", caseroom.Errorf(caseroom.ENOTFOUND, "There is no media record %s in this case.", ref)
		}
		return id, string(caseroom.EntityMedia), err
	case strings.HasPrefix(ref, prefixExhibit+"_") || exhibitRefPattern.MatchString(ref):
		id, kind, err := tx.actionSubject(caseID, ref)
		return id, kind, err
	case strings.HasPrefix(ref, prefixDocument+"_") || documentRefPattern.MatchString(ref):
		id, err := tx.readableDocument(caseID, ref) // a medical report only for those who read it
		return id, string(caseroom.EntityDocument), err
	}
	return "", "", caseroom.Errorf(caseroom.ENOTFOUND, "%q is neither a document (id or reference such as S-12), an exhibit (id or reference such as SB/3) nor a media record (id) of this case", ref)
}

// FindArrests lists the case's arrests. See caseroom.ArrestService.
func (db *DB) FindArrests(ctx context.Context, caseID string) ([]*caseroom.Arrest, error) {
	if err := db.checkWholeCase(ctx, caseID, "arrests"); err != nil {
		return nil, err
	}
	q, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	arrests, err := loadArrests(ctx, q, db.v(), caseID, "")
	if err != nil {
		return nil, err
	}
	if err := withholdMedicalGrounds(ctx, q, caseID, role, arrests); err != nil {
		return nil, err
	}
	return arrests, nil
}

// readArrest returns one arrest, by id, as the actor may see it, after a write.
func (db *DB) readArrest(ctx context.Context, caseID, id string) (*caseroom.Arrest, error) {
	q, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	as, err := loadArrests(ctx, q, db.v(), caseID, id)
	if err != nil {
		return nil, err
	}
	if err := withholdMedicalGrounds(ctx, q, caseID, role, as); err != nil {
		return nil, err
	}
	return as[0], nil
}

// withholdMedicalGrounds takes out of the arrests' grounds, for a role that does not
// read medical reports, every medical report (see medicalReportIDs), and counts them
// in RestrictedGrounds: an arrest's reader learns that it rests on more than they are
// shown, not on which document.
func withholdMedicalGrounds(ctx context.Context, q querier, caseID string, role caseroom.Role, arrests []*caseroom.Arrest) error {
	if role.ReadsMedicalReports() || len(arrests) == 0 {
		return nil
	}
	reports, err := medicalReportIDs(ctx, q, caseID, "")
	if err != nil || len(reports) == 0 {
		return err
	}
	for _, a := range arrests {
		kept := a.Grounds[:0]
		for _, g := range a.Grounds {
			if g.Kind == caseroom.EntityDocument && reports[g.ID] {
				a.RestrictedGrounds++
				continue
			}
			kept = append(kept, g)
		}
		a.Grounds = kept
	}
	return nil
}

// loadArrests reads a case's arrests (or one, by id) with their grounds.
func loadArrests(ctx context.Context, q querier, v *vault.Vault, caseID, id string) ([]*caseroom.Arrest, error) {
	filter, args := ``, []any{caseID}
	if id != "" {
		filter, args = ` AND id = ?`, append(args, id)
	}
	out := []*caseroom.Arrest{}
	byID := map[string]*caseroom.Arrest{}
	var persons []string
	err := scanEach(ctx, q, `SELECT id, case_id, ref, person_id, at, by_whom, place, due, recorded_by, recorded_at FROM arrests WHERE case_id = ?`+filter+` ORDER BY num`, args,
		func(scan func(...any) error) error {
			a := &caseroom.Arrest{Grounds: []caseroom.ArrestGround{}}
			var at, due, recorded string
			if err := scan(&a.ID, &a.CaseID, &a.Ref, &a.Person, &at, &a.By, &a.Place, &due, &a.RecordedBy, &recorded); err != nil {
				return err
			}
			var err error
			if a.At, err = parseTime(at); err != nil {
				return err
			}
			if a.Due, err = parseTime(due); err != nil {
				return err
			}
			if a.RecordedAt, err = parseTime(recorded); err != nil {
				return err
			}
			out = append(out, a)
			byID[a.ID] = a
			persons = append(persons, a.Person)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load arrests: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	err = scanEach(ctx, q, `SELECT g.arrest_id, g.ground_id, g.ground_kind, COALESCE(d.ref, e.ref, me.ref || ':' || m.path, g.ground_id)
		FROM arrest_grounds g LEFT JOIN documents d ON d.id = g.ground_id LEFT JOIN exhibits e ON e.id = g.ground_id
		LEFT JOIN media m ON m.id = g.ground_id LEFT JOIN exhibits me ON me.id = m.exhibit_id
		WHERE g.case_id = ? ORDER BY g.arrest_id, g.pos`, []any{caseID},
		func(scan func(...any) error) error {
			var arrestID, kind string
			var g caseroom.ArrestGround
			if err := scan(&arrestID, &g.ID, &kind, &g.Ref); err != nil {
				return err
			}
			g.Kind = caseroom.EntityKind(kind)
			if a := byID[arrestID]; a != nil {
				a.Grounds = append(a.Grounds, g)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load arrest grounds: %w", err)
	}
	err = scanEach(ctx, q, `SELECT arrest_id, at, court, outcome, by_whom, recorded_by, recorded_at FROM arrest_productions WHERE case_id = ?`, []any{caseID},
		func(scan func(...any) error) error {
			var arrestID, at, outcome, recorded string
			p := &caseroom.Production{}
			if err := scan(&arrestID, &at, &p.Court, &outcome, &p.By, &p.RecordedBy, &recorded); err != nil {
				return err
			}
			var err error
			if p.At, err = parseTime(at); err != nil {
				return err
			}
			if p.RecordedAt, err = parseTime(recorded); err != nil {
				return err
			}
			p.Outcome = caseroom.ProductionOutcome(outcome)
			if a := byID[arrestID]; a != nil {
				p.Late = p.At.After(a.Due)
				a.Production, a.ProducedAt = p, &p.At
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load productions: %w", err)
	}
	labels, err := personLabels(ctx, q, v, caseID, persons)
	if err != nil {
		return nil, err
	}
	for _, a := range out {
		a.PersonLabel = labels[a.Person]
	}
	return out, nil
}

// Accountability builds the case's accountability report. See
// caseroom.AccountabilityService.
//
// For each suspect, its sources are the standing implicates links to them (each a
// statement or complaint naming them) and the grounds of their arrests. Independent
// sources are counted as distinct: givers of unretracted statements and complaints;
// unretracted documents without a giver; exhibits (a media record counts as its
// exhibit: files of one seized device are one source). Flags: single-source (fewer
// than two), grounds-retracted (an arrest ground is a retracted statement or
// complaint), named-after-retraction (someone's first document naming the suspect
// was registered after that person had retracted an earlier statement).
func (db *DB) Accountability(ctx context.Context, caseID string) (*caseroom.AccountabilityReport, error) {
	q, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if role != caseroom.RoleLead && role != caseroom.RoleProsecutor && role != caseroom.RoleOversight {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) does not read the accountability report; the lead, the prosecutor and oversight do.", role)
	}
	type doc struct {
		ref, kind, giver, recordedBy string
		entry                        int64
		retractedBy                  string
		retracts                     bool
	}
	docs := map[string]*doc{}
	err = scanEach(ctx, q, `SELECT d.id, d.ref, d.kind, d.entry, COALESCE(s.giver_id, ''), COALESCE(s.recorded_by, '')
		FROM documents d LEFT JOIN statements s ON s.document_id = d.id WHERE d.case_id = ?`, []any{caseID},
		func(scan func(...any) error) error {
			var id string
			d := &doc{}
			if err := scan(&id, &d.ref, &d.kind, &d.entry, &d.giver, &d.recordedBy); err != nil {
				return err
			}
			docs[id] = d
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("accountability documents: %w", err)
	}
	retractionsBy := map[string][]int64{} // giver -> entries of their retractions
	err = scanEach(ctx, q, `SELECT document_id, retracts_id FROM retractions WHERE case_id = ?`, []any{caseID},
		func(scan func(...any) error) error {
			var id, target string
			if err := scan(&id, &target); err != nil {
				return err
			}
			r, t := docs[id], docs[target]
			if r == nil || t == nil {
				return nil
			}
			r.retracts, t.retractedBy = true, r.ref
			retractionsBy[r.giver] = append(retractionsBy[r.giver], r.entry)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("accountability retractions: %w", err)
	}
	var suspects []string
	err = scanEach(ctx, q, `SELECT r.person_id FROM person_roles r JOIN persons p ON p.id = r.person_id WHERE r.case_id = ? AND r.role = ? ORDER BY p.entry, p.id`,
		[]any{caseID, string(caseroom.PersonSuspect)}, func(scan func(...any) error) error {
			var id string
			if err := scan(&id); err != nil {
				return err
			}
			suspects = append(suspects, id)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("accountability suspects: %w", err)
	}
	labels, err := personLabels(ctx, q, db.v(), caseID, nil)
	if err != nil {
		return nil, err
	}
	accounts := map[string]*caseroom.SuspectAccount{}
	report := &caseroom.AccountabilityReport{CaseID: caseID, Suspects: []caseroom.SuspectAccount{}, Officers: []caseroom.OfficerAccount{}}
	for _, id := range suspects {
		accounts[id] = &caseroom.SuspectAccount{Person: id, Label: labels[id], Sources: []caseroom.ImplicationSource{}, Arrests: []string{}, Flags: []string{}}
	}
	independent := map[string]map[string]bool{}
	count := func(suspect, key string) {
		if independent[suspect] == nil {
			independent[suspect] = map[string]bool{}
		}
		independent[suspect][key] = true
	}
	// Medical reports are listed as sources only to those who read them; to oversight
	// they are counted in RestrictedSources, and still count as sources below.
	var withheld map[string]bool
	if !role.ReadsMedicalReports() {
		if withheld, err = medicalReportIDs(ctx, q, caseID, ""); err != nil {
			return nil, err
		}
	}
	firstNamed := map[[2]string]int64{} // (suspect, giver) -> entry of the first document naming them
	err = scanEach(ctx, q, `SELECT l.from_id, l.to_id, l.source_id FROM links l WHERE l.case_id = ? AND l.type = 'implicates' AND `+standingLink+` ORDER BY l.entry, l.id`,
		[]any{caseID}, func(scan func(...any) error) error {
			var from, to, source string
			if err := scan(&from, &to, &source); err != nil {
				return err
			}
			acc, d := accounts[to], docs[source]
			if acc == nil || d == nil {
				return nil
			}
			if withheld[source] {
				acc.RestrictedSources++
			} else {
				acc.Sources = append(acc.Sources, caseroom.ImplicationSource{Via: "implicates", Kind: caseroom.EntityDocument, Ref: d.ref,
					Giver: from, GiverLabel: labels[from], RetractedBy: d.retractedBy})
			}
			if d.retractedBy == "" {
				count(to, from)
			}
			if k := [2]string{to, from}; firstNamed[k] == 0 || d.entry < firstNamed[k] {
				firstNamed[k] = d.entry
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("accountability implications: %w", err)
	}
	arrests, err := loadArrests(ctx, q, db.v(), caseID, "")
	if err != nil {
		return nil, err
	}
	exhibitOf := map[string]string{}
	err = scanEach(ctx, q, `SELECT g.ground_id, m.exhibit_id FROM arrest_grounds g JOIN media m ON m.id = g.ground_id WHERE g.case_id = ?`, []any{caseID},
		func(scan func(...any) error) error {
			var id, exhibit string
			if err := scan(&id, &exhibit); err != nil {
				return err
			}
			exhibitOf[id] = exhibit
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("accountability media grounds: %w", err)
	}
	groundsRetracted := map[string]bool{}
	for _, a := range arrests {
		acc := accounts[a.Person]
		if acc == nil {
			continue
		}
		acc.Arrests = append(acc.Arrests, a.Ref)
		for _, g := range a.Grounds {
			src := caseroom.ImplicationSource{Via: a.Ref, Kind: g.Kind, Ref: g.Ref}
			switch g.Kind {
			case caseroom.EntityDocument:
				d := docs[g.ID]
				src.Giver, src.GiverLabel, src.RetractedBy = d.giver, labels[d.giver], d.retractedBy
				switch {
				case d.retractedBy != "":
					groundsRetracted[a.Person] = true
				case d.giver != "":
					count(a.Person, d.giver)
				default:
					count(a.Person, g.ID)
				}
			case caseroom.EntityMedia:
				count(a.Person, exhibitOf[g.ID])
			default:
				count(a.Person, g.ID)
			}
			if g.Kind == caseroom.EntityDocument && withheld[g.ID] {
				acc.RestrictedSources++
				continue
			}
			acc.Sources = append(acc.Sources, src)
		}
	}
	for _, id := range suspects {
		acc := accounts[id]
		acc.IndependentSources = len(independent[id])
		if acc.IndependentSources < 2 {
			acc.Flags = append(acc.Flags, caseroom.FlagSingleSource)
		}
		if groundsRetracted[id] {
			acc.Flags = append(acc.Flags, caseroom.FlagGroundsRetracted)
		}
		for k, first := range firstNamed {
			if k[0] != id {
				continue
			}
			if slicesAnyBefore(retractionsBy[k[1]], first) {
				acc.Flags = append(acc.Flags, caseroom.FlagNamedAfterRetraction)
				break
			}
		}
		report.Suspects = append(report.Suspects, *acc)
	}
	officers := map[string]*caseroom.OfficerAccount{}
	statements, err := loadDocuments(ctx, q, db.v(), caseID, `d.kind = ?`, []any{string(caseroom.DocStatement)})
	if err != nil {
		return nil, err
	}
	flagged := map[string]int{}
	for _, d := range statements {
		if d.Statement != nil && len(d.Statement.SafeguardFlags) > 0 {
			flagged[d.Statement.RecordedBy]++
		}
	}
	for _, d := range docs {
		if d.kind != string(caseroom.DocStatement) || d.recordedBy == "" {
			continue
		}
		o := officers[d.recordedBy]
		if o == nil {
			o = &caseroom.OfficerAccount{Officer: d.recordedBy}
			officers[d.recordedBy] = o
		}
		o.StatementsTaken++
		if d.retractedBy != "" {
			o.Retracted++
		}
		if d.retracts {
			o.RetractionsTaken++
		}
		o.Flagged = flagged[d.recordedBy]
	}
	for _, o := range officers {
		report.Officers = append(report.Officers, *o)
	}
	sort.Slice(report.Officers, func(i, j int) bool { return report.Officers[i].Officer < report.Officers[j].Officer })
	if report.ContactAlerts, err = loadContacts(ctx, q, db.v(), caseID, "", true); err != nil {
		return nil, err
	}
	clocks, err := caseClocks(ctx, q, db.v(), caseID, db.Now())
	if err != nil {
		return nil, err
	}
	report.OverdueClocks = []caseroom.Clock{}
	for _, c := range clocks {
		if c.Overdue {
			report.OverdueClocks = append(report.OverdueClocks, c)
		}
	}
	return report, nil
}

// slicesAnyBefore reports whether some entry of list comes before e.
func slicesAnyBefore(list []int64, e int64) bool {
	for _, x := range list {
		if x < e {
			return true
		}
	}
	return false
}
