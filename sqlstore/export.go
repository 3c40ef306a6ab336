package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"caseroom"
)

// Exports (see caseroom.ExportService and docs/export.md): the store audits the
// export and streams the case's records, as the exporter may read them, to the writers
// of the export package.

// OpenExport audits an export and returns its reader. See caseroom.ExportService.
//
// The console (caseroom export on the data directory) exports as the case's lead
// would: the whole case, medical reports included, and names only when it asks.
func (db *DB) OpenExport(ctx context.Context, caseID string, req caseroom.ExportRequest) (caseroom.ExportReader, error) {
	if !slices.Contains(caseroom.ExportFormats, req.Format) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "format: %q is not an export format; use one of %s", req.Format, strings.Join(caseroom.ExportFormats, ", "))
	}
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var sc *scope
	if actor.IsConsole() {
		if err := caseExists(ctx, db.reader(), caseID); err != nil {
			return nil, err
		}
		sc = &scope{role: caseroom.RoleLead, actor: actor}
	} else {
		if sc, err = db.readScope(ctx, caseID); err != nil {
			return nil, err
		}
		if err := sc.wholeCase("export"); err != nil {
			return nil, err
		}
		if req.Reveal && !sc.role.CanSeeIdentities() {
			return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "reveal: your role in this case (%s) may not reveal victims' identities; export without reveal, and victims are named by pseudonym", sc.role)
		}
	}
	// The export is audited before anything is read, so that one cut short is on
	// the record too.
	err = db.write(ctx, func(tx *Tx) error {
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		id := newID("exp")
		if err := tx.exec(`INSERT INTO exports (id, case_id, format, revealed, exported_by, exported_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, req.Format, boolInt(req.Reveal), tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("record export: %w", err)
		}
		return tx.appendAudit(seq, "export", "export", id, caseID)
	})
	if err != nil {
		return nil, err
	}
	rd, err := db.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	x := &exportReader{db: db, ctx: ctx, q: rd, close: rd.Close, caseID: caseID, sc: sc, reveal: req.Reveal}
	if x.c, err = findCase(ctx, rd, caseID); err != nil {
		rd.Close()
		return nil, err
	}
	x.c.Role = sc.role
	if x.hidden, err = withheldMedicalReports(ctx, rd, caseID, sc.role); err != nil {
		rd.Close()
		return nil, err
	}
	if x.reports, err = medicalReportRefs(ctx, rd, caseID, sc.role); err != nil {
		rd.Close()
		return nil, err
	}
	return x, nil
}

// exportReader is an ExportReader over one snapshot.
type exportReader struct {
	c       *caseroom.Case
	db      *DB
	ctx     context.Context
	q       querier
	close   func() error
	caseID  string
	sc      *scope
	reveal  bool
	hidden  map[string]bool // medical reports withheld, by id
	reports map[string]bool // the same, by reference
	// eps and labels are read once, when first asked for (endpoints, linkLabels).
	eps    map[string]*caseroom.Endpoint
	labels map[string]string
}

func (x *exportReader) Close() error { return x.close() }

func (x *exportReader) Case() *caseroom.Case { return x.c }

// exportPage is the number of records read at a time.
const exportPage = 1000

// Persons reads the persons a thousand at a time, in order of id.
func (x *exportReader) Persons(fn func(*caseroom.Person) error) error {
	after := ""
	for {
		var ids []string
		err := scanEach(x.ctx, x.q, `SELECT id FROM persons WHERE case_id = ? AND id > ? ORDER BY id LIMIT ?`, []any{x.caseID, after, exportPage},
			func(scan func(...any) error) error {
				var id string
				err := scan(&id)
				ids = append(ids, id)
				return err
			})
		if err != nil {
			return fmt.Errorf("export persons: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		after = ids[len(ids)-1]
		persons, err := loadPersonsIn(x.ctx, x.q, x.db.v(), x.caseID, ids)
		if err != nil {
			return err
		}
		if !x.reveal {
			withholdVictims(persons)
		}
		if err := withholdPersonSources(x.ctx, x.q, x.caseID, x.sc.role, persons); err != nil {
			return err
		}
		slices.SortFunc(persons, func(a, b *caseroom.Person) int { return strings.Compare(a.ID, b.ID) })
		for _, p := range persons {
			if err := fn(p); err != nil {
				return err
			}
		}
	}
}

func (x *exportReader) Organisations(fn func(*caseroom.Organisation) error) error {
	os, err := loadOrganisations(x.ctx, x.q, x.caseID, x.reports)
	if err != nil {
		return err
	}
	return each(os, fn)
}

func (x *exportReader) Locations(fn func(*caseroom.Location) error) error {
	ls, err := loadLocations(x.ctx, x.q, x.caseID, x.reports)
	if err != nil {
		return err
	}
	return each(ls, fn)
}

// Endpoints reads the case's endpoints with their holders, in order of id; the value
// of one a victim holds is withheld, as on the lists, even when names are revealed
// (a reveal names the victims; their numbers stay on their person records).
func (x *exportReader) Endpoints(fn func(*caseroom.Endpoint) error) error {
	eps, err := x.endpoints()
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(eps))
	for id := range eps {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := fn(eps[id]); err != nil {
			return err
		}
	}
	return nil
}

// Documents reads the documents the exporter may read, without their texts (an
// export names documents; it does not carry them).
func (x *exportReader) Documents(fn func(*caseroom.Document) error) error {
	return scanEach(x.ctx, x.q, `SELECT d.id, d.ref, d.kind, d.title, d.external_ref, COALESCE(c.id, ''), COALESCE(c.ref, ''), d.correction_reason,
			d.registered_by, d.registered_at, COALESCE(s.giver_id, ''), s.recorded_at
		FROM documents d LEFT JOIN documents c ON c.id = d.corrects_id LEFT JOIN statements s ON s.document_id = d.id
		WHERE d.case_id = ? ORDER BY d.entry, d.id`, []any{x.caseID},
		func(scan func(...any) error) error {
			d := &caseroom.Document{CaseID: x.caseID, CorrectedBy: []string{}}
			var kind, registered, giver, corrected string
			var recorded *string
			if err := scan(&d.ID, &d.Ref, &kind, &d.Title, &d.ExternalRef, &corrected, &d.Corrects, &d.CorrectionReason,
				&d.RegisteredBy, &registered, &giver, &recorded); err != nil {
				return err
			}
			if x.hidden[d.ID] {
				return nil
			}
			if x.hidden[corrected] {
				d.Corrects = "" // a medical report the exporter may not read is not named
			}
			d.Kind = caseroom.DocumentKind(kind)
			var err error
			if d.RegisteredAt, err = parseTime(registered); err != nil {
				return err
			}
			if recorded != nil {
				d.Statement = &caseroom.Statement{Giver: giver, Present: []caseroom.Presence{}}
				if d.Statement.RecordedAt, err = parseTime(*recorded); err != nil {
					return err
				}
			}
			return fn(d)
		})
}

// Links streams the standing links, labelled, not those resting on or joining a
// medical report the exporter may not read.
func (x *exportReader) Links(fn func(*caseroom.Link) error) error {
	labels, err := x.linkLabels()
	if err != nil {
		return err
	}
	return scanEach(x.ctx, x.q, `SELECT l.id, l.from_id, l.to_id, l.type, l.since, l.until, l.confidence, l.source_id, d.ref, l.note, l.created_by, l.created_at
		FROM links l JOIN documents d ON d.id = l.source_id WHERE l.case_id = ? AND `+standingLink+` ORDER BY l.entry, l.id`, []any{x.caseID},
		func(scan func(...any) error) error {
			l := &caseroom.Link{CaseID: x.caseID}
			var typ, created string
			if err := scan(&l.ID, &l.From, &l.To, &typ, &l.Since, &l.Until, &l.Confidence, &l.Source, &l.SourceRef, &l.Note, &l.CreatedBy, &created); err != nil {
				return err
			}
			if x.hidden[l.Source] || x.hidden[l.From] || x.hidden[l.To] {
				return nil
			}
			l.Type = caseroom.LinkType(typ)
			l.FromKind, _ = entityKindOf(l.From)
			l.ToKind, _ = entityKindOf(l.To)
			l.SourceKind = caseroom.EntityDocument
			l.FromLabel, l.ToLabel = labels[l.From], labels[l.To]
			var err error
			if l.CreatedAt, err = parseTime(created); err != nil {
				return err
			}
			return fn(l)
		})
}

// Payments reads the standing payments, in time order.
func (x *exportReader) Payments(fn func(*caseroom.Payment) error) error {
	ps, err := loadPayments(x.ctx, x.q, x.db.v(), x.caseID, x.sc.role, `1 = 1`, nil)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.Standing() {
			if err := fn(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// Communications streams the communications in order of time, five thousand at a
// time, with their endpoints.
func (x *exportReader) Communications(fn func(*caseroom.Communication) error) error {
	eps, err := x.endpoints()
	if err != nil {
		return err
	}
	after := ""
	for {
		page, err := loadCommunications(x.ctx, x.q, x.db.v(), x.caseID, nil, false, nil, nil, after, 5000)
		if err != nil {
			return err
		}
		for _, c := range page {
			if e := eps[c.From.ID]; e != nil {
				c.From = *e
			}
			if e := eps[c.To.ID]; e != nil {
				c.To = *e
			}
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(page) < 5000 {
			return nil
		}
		last := page[len(page)-1]
		after = formatTime(last.At) + "|" + last.ID
	}
}

// endpoints reads the case's endpoints with their holders once: the writers read them
// more than once (Endpoints, Communications; CSVZip calls Endpoints twice), and the
// reader reads one snapshot.
func (x *exportReader) endpoints() (map[string]*caseroom.Endpoint, error) {
	if x.eps == nil {
		eps, err := loadEndpoints(x.ctx, x.q, x.db.v(), x.caseID, nil)
		if err != nil {
			return nil, err
		}
		x.eps = eps
	}
	return x.eps, nil
}

// linkLabels reads, once, the labels of every record a link can join (see
// entityLabels), with the victims by name when the exporter revealed them.
func (x *exportReader) linkLabels() (map[string]string, error) {
	if x.labels != nil {
		return x.labels, nil
	}
	labels, err := entityLabels(x.ctx, x.q, x.db.v(), x.caseID)
	if err != nil {
		return nil, err
	}
	if x.reveal {
		// The victims by name, the first of their names (the exporter asked).
		victims, err := scanPseudonyms(x.ctx, x.q, x.caseID)
		if err != nil {
			return nil, err
		}
		for id := range victims {
			names, err := personNamesInClear(x.ctx, x.q, x.db.v(), id)
			if err != nil {
				return nil, err
			}
			if len(names) > 0 {
				labels[id] = names[0]
			}
		}
	}
	x.labels = labels
	return labels, nil
}

// each calls fn on every element of list, stopping at its first error.
func each[T any](list []*T, fn func(*T) error) error {
	for _, v := range list {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}
