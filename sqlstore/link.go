package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"caseroom"
	"caseroom/vault"
)

var _ caseroom.LinkService = (*DB)(nil)

// RecordLink stores a sourced link. See caseroom.LinkService.
func (db *DB) RecordLink(ctx context.Context, caseID string, nl caseroom.NewLink) (*caseroom.Link, error) {
	if err := validateNewLink(&nl); err != nil {
		return nil, err
	}
	id := newID(prefixLink)
	var out *caseroom.Link
	err := db.write(ctx, func(tx *Tx) error {
		role, err := tx.recorderRole(caseID)
		if err != nil {
			return err
		}
		from, _, err := tx.entityField(caseID, nl.From, "from")
		if err != nil {
			return err
		}
		to, _, err := tx.entityField(caseID, nl.To, "to")
		if err != nil {
			return err
		}
		if from == to {
			return caseroom.Errorf(caseroom.EINVALID, "to: a link joins two different records; from and to are both %s", nl.To)
		}
		src, err := tx.source(caseID, nl.Source, "source")
		if err != nil {
			return err
		}
		var corrects any
		correctedType := ""
		if nl.Corrects != "" {
			var cFrom, cTo, cSource string
			err := tx.QueryRowContext(ctx, `SELECT type, from_id, to_id, source_id FROM links WHERE id = ? AND case_id = ?`, nl.Corrects, caseID).Scan(&correctedType, &cFrom, &cTo, &cSource)
			if err == nil {
				// A link the actor may not see (it touches or cites a medical report they
				// do not read) is answered for as one that does not exist.
				var hidden map[string]bool
				if hidden, err = withheldMedicalReports(ctx, tx, caseID, role); err == nil && (hidden[cFrom] || hidden[cTo] || hidden[cSource]) {
					err = sql.ErrNoRows
				}
			}
			if isNoRows(err) {
				return caseroom.Errorf(caseroom.EINVALID, "corrects: there is no link %s in this case", nl.Corrects)
			} else if err != nil {
				return err
			}
			corrects = nl.Corrects
		}
		// A represents link decides which victims an advocate sees: a permission,
		// which only the lead grants or withdraws.
		if (nl.Type == "represents" || correctedType == "represents") && !role.CanManageMembers() {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Only the case's lead can record, correct or withdraw who represents whom: it decides what an advocate sees.")
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO links (id, case_id, from_id, to_id, type, since, until, confidence, source_id, note, corrects_id, retracts, reason, created_by, created_at, entry)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, from, to, string(nl.Type), nl.Since, nl.Until, *nl.Confidence, src, nl.Note, corrects, boolInt(nl.Retracts), nl.Reason,
			tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert link: %w", err)
		}
		if err := tx.appendAudit(seq, "link.record", "link", id, caseID); err != nil {
			return err
		}
		links, err := loadLinks(ctx, tx, db.v(), caseID, `l.id = ?`, []any{id})
		if err != nil {
			return err
		}
		out = links[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func validateNewLink(nl *caseroom.NewLink) error {
	nl.From, nl.To = strings.TrimSpace(nl.From), strings.TrimSpace(nl.To)
	if nl.From == "" {
		return caseroom.Errorf(caseroom.EINVALID, "from: required; the id or reference of a person, organisation, location, identifier or document")
	}
	if nl.To == "" {
		return caseroom.Errorf(caseroom.EINVALID, "to: required; the id or reference of a person, organisation, location, identifier or document")
	}
	if !nl.Type.Valid() {
		types := make([]string, len(caseroom.LinkTypes))
		for i, t := range caseroom.LinkTypes {
			types[i] = string(t)
		}
		return caseroom.Errorf(caseroom.EINVALID, "type: %q is not a link type; use one of %s", nl.Type, strings.Join(types, ", "))
	}
	if strings.TrimSpace(nl.Source) == "" {
		return caseroom.Errorf(caseroom.EINVALID, "source: required; a link must cite the document or exhibit it comes from")
	}
	if nl.Confidence == nil {
		return caseroom.Errorf(caseroom.EINVALID, "confidence: required; a number from 0 (doubtful) to 1 (certain)")
	}
	if c := *nl.Confidence; math.IsNaN(c) || c < 0 || c > 1 {
		return caseroom.Errorf(caseroom.EINVALID, "confidence: %v is outside 0 to 1", c)
	}
	for _, d := range []struct {
		field string
		value *string
	}{{"since", &nl.Since}, {"until", &nl.Until}} {
		if *d.value == "" {
			continue
		}
		v, ok := normalisePartialDate(*d.value)
		if !ok {
			return caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time", d.field, *d.value)
		}
		if v < caseroom.EarliestTime.Format("2006") {
			return caseroom.Errorf(caseroom.EINVALID, "%s: %s is before %d; check the year", d.field, v, caseroom.EarliestTime.Year())
		}
		*d.value = v
	}
	if nl.Since != "" && nl.Until != "" && nl.Until < nl.Since {
		return caseroom.Errorf(caseroom.EINVALID, "until: %s is before since %s", nl.Until, nl.Since)
	}
	if (nl.Corrects == "") != (strings.TrimSpace(nl.Reason) == "") {
		return caseroom.Errorf(caseroom.EINVALID, "reason: a correction names the link it corrects (corrects) and says why (reason); give both or neither")
	}
	if nl.Retracts && nl.Corrects == "" {
		return caseroom.Errorf(caseroom.EINVALID, "corrects: required to retract a link; name the link withdrawn")
	}
	if len(nl.Note) > 2000 {
		return caseroom.Errorf(caseroom.EINVALID, "note: at most 2000 bytes")
	}
	return nil
}

// normalisePartialDate accepts the precisions investigators know dates at: a year, a
// month, a day as given, or an RFC 3339 time, which is stored in UTC so that times
// given in different zones compare as text in time order.
func normalisePartialDate(s string) (string, bool) {
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil {
			return s, true
		}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "", false
	}
	return t.UTC().Format(time.RFC3339Nano), true
}

// entityField resolves a record named in a field, turning "not found" into a message
// that names the field. A medical report the actor may not read is not found.
func (tx *Tx) entityField(caseID, ref, field string) (string, caseroom.EntityKind, error) {
	id, kind, err := resolveEntity(tx.ctx, tx, caseID, ref)
	if err == nil && kind == caseroom.EntityDocument {
		err = tx.withheldDocument(caseID, ref, id)
	}
	if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
		return "", "", caseroom.Errorf(caseroom.EINVALID, "%s: %s", field, caseroom.ErrorMessage(err))
	}
	return id, kind, err
}

// FindLinks lists a case's links. See caseroom.LinkService.
func (db *DB) FindLinks(ctx context.Context, caseID string, f caseroom.LinkFilter) ([]*caseroom.Link, error) {
	q := db.reader()
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	if f.Entity != "" {
		id, kind, err := resolveEntity(ctx, q, caseID, f.Entity)
		if err == nil {
			err = sc.notFoundFor(ctx, q, db.v(), caseID, f.Entity, id, kind)
		}
		if err == nil && kind == caseroom.EntityDocument && !sc.role.ReadsMedicalReports() {
			// A medical report the member does not read is named as one that does
			// not exist would be.
			var reports map[string]bool
			if reports, err = medicalReportIDs(ctx, q, caseID, id); err == nil && reports[id] {
				err = caseroom.Errorf(caseroom.ENOTFOUND, "There is no document %s in this case.", strings.TrimSpace(f.Entity))
			}
		}
		if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
			return nil, caseroom.Errorf(caseroom.EINVALID, "entity: %s", caseroom.ErrorMessage(err))
		} else if err != nil {
			return nil, err
		}
		conds, args = append(conds, `(l.from_id = ? OR l.to_id = ?)`), append(args, id, id)
	}
	if f.Type != "" {
		conds, args = append(conds, `l.type = ?`), append(args, string(f.Type))
	}
	filter := "1 = 1"
	if len(conds) > 0 {
		filter = strings.Join(conds, " AND ")
	}
	links, err := loadLinks(ctx, q, db.v(), caseID, filter, args)
	if err != nil {
		return nil, err
	}
	hidden, err := withheldMedicalReports(ctx, q, caseID, sc.role)
	if err != nil {
		return nil, err
	}
	if sc.all() && len(hidden) == 0 {
		return links, nil
	}
	seen := links[:0]
	for _, l := range links {
		if sc.seesLink(l) && !hidden[l.Source] && !hidden[l.From] && !hidden[l.To] {
			seen = append(seen, l)
		}
	}
	return seen, nil
}

// withheldMedicalReports returns the ids of the case's medical reports (see
// medicalReportIDs) if the role does not read them, else nil. To such a reader a link
// that cites one as its source, or joins one, is as if it did not exist: its source
// reference and label would name the report.
func withheldMedicalReports(ctx context.Context, q querier, caseID string, role caseroom.Role) (map[string]bool, error) {
	if role.ReadsMedicalReports() {
		return nil, nil
	}
	return medicalReportIDs(ctx, q, caseID, "")
}

// loadLinks reads a case's links matching filter (on the alias l), with labels for
// both ends and the source's reference. Victims are labelled by pseudonym.
func loadLinks(ctx context.Context, q querier, v *vault.Vault, caseID, filter string, args []any) ([]*caseroom.Link, error) {
	labels, err := entityLabels(ctx, q, v, caseID)
	if err != nil {
		return nil, err
	}
	links := []*caseroom.Link{}
	err = scanEach(ctx, q, `SELECT l.id, l.case_id, l.from_id, l.to_id, l.type, l.since, l.until, l.confidence, l.source_id, d.ref,
			l.note, COALESCE(l.corrects_id, ''), l.retracts, l.reason, l.created_by, l.created_at
		FROM links l JOIN documents d ON d.id = l.source_id
		WHERE l.case_id = ? AND `+filter+` ORDER BY l.entry, l.id`, append([]any{caseID}, args...),
		func(scan func(...any) error) error {
			l := &caseroom.Link{}
			var typ, created string
			var retracts int64
			if err := scan(&l.ID, &l.CaseID, &l.From, &l.To, &typ, &l.Since, &l.Until, &l.Confidence, &l.Source, &l.SourceRef,
				&l.Note, &l.Corrects, &retracts, &l.Reason, &l.CreatedBy, &created); err != nil {
				return err
			}
			l.Type, l.Retracts = caseroom.LinkType(typ), retracts != 0
			l.FromKind, _ = entityKindOf(l.From)
			l.ToKind, _ = entityKindOf(l.To)
			l.SourceKind, _ = entityKindOf(l.Source)
			l.FromLabel, l.ToLabel = labels[l.From], labels[l.To]
			var err error
			l.CreatedAt, err = parseTime(created)
			links = append(links, l)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("load links: %w", err)
	}
	return links, nil
}

// entityLabels maps every record of a case a link can join to a short label. An
// identifier held by a victim is labelled by kind and pseudonym, not by its value.
func entityLabels(ctx context.Context, q querier, v *vault.Vault, caseID string) (map[string]string, error) {
	labels, err := personLabels(ctx, q, v, caseID, nil)
	if err != nil {
		return nil, err
	}
	err = scanEach(ctx, q, `SELECT i.id, i.kind, i.value, COALESCE(p.pseudonym, '')
		FROM identifiers i LEFT JOIN pseudonyms p ON p.person_id = i.person_id WHERE i.case_id = ?`, []any{caseID},
		func(scan func(...any) error) error {
			var id, kind, sealed, pseudonym string
			if err := scan(&id, &kind, &sealed, &pseudonym); err != nil {
				return err
			}
			if pseudonym != "" {
				labels[id] = kind + " of " + pseudonym
				return nil
			}
			value, err := v.Open(sealed, sealContext("identifiers", "value", id))
			if err != nil {
				return fmt.Errorf("open identifier %s: %w", id, err)
			}
			labels[id] = kind + " " + value
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("entity labels: %w", err)
	}
	queries := []string{
		`SELECT id, name FROM organisations WHERE case_id = ?`,
		`SELECT id, name FROM locations WHERE case_id = ?`,
		`SELECT id, ref || ' ' || title FROM documents WHERE case_id = ?`,
	}
	for _, query := range queries {
		err := scanEach(ctx, q, query, []any{caseID}, func(scan func(...any) error) error {
			var id, label string
			if err := scan(&id, &label); err != nil {
				return err
			}
			labels[id] = label
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("entity labels: %w", err)
		}
	}
	return labels, nil
}
