package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"caseroom"
)

var _ caseroom.PlaceService = (*DB)(nil)

// RegisterOrganisation records an organisation. See caseroom.PlaceService.
func (db *DB) RegisterOrganisation(ctx context.Context, caseID string, no caseroom.NewOrganisation) (*caseroom.Organisation, error) {
	no.Name, no.Kind = strings.TrimSpace(no.Name), strings.TrimSpace(no.Kind)
	if no.Name == "" {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: required")
	}
	if len(no.Name) > 300 || len(no.Kind) > 60 || len(no.Note) > 2000 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: at most 300 bytes, kind 60, note 2000")
	}
	o := &caseroom.Organisation{ID: newID(prefixOrganisation), CaseID: caseID, Name: no.Name, Kind: no.Kind, Note: no.Note}
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		src, err := tx.optionalSource(caseID, no.Source, "source")
		if err != nil {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		o.CreatedBy, o.CreatedAt = tx.actor.Name, tx.now
		if err := tx.exec(`INSERT INTO organisations (id, case_id, name, kind, note, source_id, created_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.ID, caseID, o.Name, o.Kind, o.Note, src, o.CreatedBy, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert organisation: %w", err)
		}
		if src != nil {
			// Shown by reference, as FindOrganisations shows it, even if given by id.
			if err := tx.QueryRowContext(ctx, `SELECT ref FROM documents WHERE id = ?`, src).Scan(&o.Source); err != nil {
				return fmt.Errorf("organisation source: %w", err)
			}
		}
		return tx.appendAudit(seq, "organisation.register", "organisation", o.ID, caseID)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// FindOrganisations lists a case's organisations. See caseroom.PlaceService.
func (db *DB) FindOrganisations(ctx context.Context, caseID string) ([]*caseroom.Organisation, error) {
	role, err := db.wholeCaseRole(ctx, caseID, "organisations")
	if err != nil {
		return nil, err
	}
	reports, err := medicalReportRefs(ctx, db.reader(), caseID, role)
	if err != nil {
		return nil, err
	}
	return loadOrganisations(ctx, db.reader(), caseID, reports)
}

// loadOrganisations reads the case's organisations, a source among reports (see
// medicalReportRefs) withheld.
func loadOrganisations(ctx context.Context, q querier, caseID string, reports map[string]bool) ([]*caseroom.Organisation, error) {
	out := []*caseroom.Organisation{}
	err := scanEach(ctx, q, `SELECT o.id, o.case_id, o.name, o.kind, o.note, COALESCE(d.ref, ''), o.created_by, o.created_at
		FROM organisations o LEFT JOIN documents d ON d.id = o.source_id WHERE o.case_id = ? ORDER BY o.entry, o.id`, []any{caseID},
		func(scan func(...any) error) error {
			o := &caseroom.Organisation{}
			var created string
			if err := scan(&o.ID, &o.CaseID, &o.Name, &o.Kind, &o.Note, &o.Source, &o.CreatedBy, &created); err != nil {
				return err
			}
			withholdPlaceSource(reports, &o.Source, &o.SourceRestricted)
			var err error
			o.CreatedAt, err = parseTime(created)
			out = append(out, o)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find organisations: %w", err)
	}
	return out, nil
}

// RegisterLocation records a location. See caseroom.PlaceService.
func (db *DB) RegisterLocation(ctx context.Context, caseID string, nl caseroom.NewLocation) (*caseroom.Location, error) {
	nl.Name, nl.Kind = strings.TrimSpace(nl.Name), strings.TrimSpace(nl.Kind)
	if nl.Name == "" {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: required")
	}
	if nl.Kind == "" {
		nl.Kind = "other"
	}
	if !contains(caseroom.LocationKinds, nl.Kind) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not one of %s", nl.Kind, strings.Join(caseroom.LocationKinds, ", "))
	}
	if (nl.Lat == nil) != (nl.Lon == nil) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "lat: give both lat and lon, or neither")
	}
	// Written as !(in range) so that NaN is refused too.
	if nl.Lat != nil && !(*nl.Lat >= -90 && *nl.Lat <= 90) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "lat: %v is outside -90 to 90", *nl.Lat)
	}
	if nl.Lon != nil && !(*nl.Lon >= -180 && *nl.Lon <= 180) {
		return nil, caseroom.Errorf(caseroom.EINVALID, "lon: %v is outside -180 to 180", *nl.Lon)
	}
	if len(nl.Name) > 300 || len(nl.Address) > 1000 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: at most 300 bytes, address 1000")
	}
	l := &caseroom.Location{ID: newID(prefixLocation), CaseID: caseID, Name: nl.Name, Kind: nl.Kind, Address: nl.Address, Lat: nl.Lat, Lon: nl.Lon}
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		src, err := tx.optionalSource(caseID, nl.Source, "source")
		if err != nil {
			return err
		}
		var within any
		if nl.Within != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM locations WHERE id = ? AND case_id = ?`, nl.Within, caseID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return caseroom.Errorf(caseroom.EINVALID, "within: there is no location %s in this case", nl.Within)
			}
			within, l.Within = nl.Within, nl.Within
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		l.CreatedBy, l.CreatedAt = tx.actor.Name, tx.now
		if err := tx.exec(`INSERT INTO locations (id, case_id, name, kind, address, lat, lon, within_id, source_id, created_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.ID, caseID, l.Name, l.Kind, l.Address, nl.Lat, nl.Lon, within, src, l.CreatedBy, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert location: %w", err)
		}
		if src != nil {
			// Shown by reference, as FindLocations shows it, even if given by id.
			if err := tx.QueryRowContext(ctx, `SELECT ref FROM documents WHERE id = ?`, src).Scan(&l.Source); err != nil {
				return fmt.Errorf("location source: %w", err)
			}
		}
		return tx.appendAudit(seq, "location.register", "location", l.ID, caseID)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// FindLocations lists a case's locations. See caseroom.PlaceService.
func (db *DB) FindLocations(ctx context.Context, caseID string) ([]*caseroom.Location, error) {
	role, err := db.wholeCaseRole(ctx, caseID, "locations")
	if err != nil {
		return nil, err
	}
	reports, err := medicalReportRefs(ctx, db.reader(), caseID, role)
	if err != nil {
		return nil, err
	}
	return loadLocations(ctx, db.reader(), caseID, reports)
}

// loadLocations reads the case's locations, a source among reports (see
// medicalReportRefs) withheld.
func loadLocations(ctx context.Context, q querier, caseID string, reports map[string]bool) ([]*caseroom.Location, error) {
	out := []*caseroom.Location{}
	err := scanEach(ctx, q, `SELECT l.id, l.case_id, l.name, l.kind, l.address, l.lat, l.lon, COALESCE(l.within_id, ''), COALESCE(d.ref, ''), l.created_by, l.created_at
		FROM locations l LEFT JOIN documents d ON d.id = l.source_id WHERE l.case_id = ? ORDER BY l.entry, l.id`, []any{caseID},
		func(scan func(...any) error) error {
			l := &caseroom.Location{}
			var created string
			if err := scan(&l.ID, &l.CaseID, &l.Name, &l.Kind, &l.Address, &l.Lat, &l.Lon, &l.Within, &l.Source, &l.CreatedBy, &created); err != nil {
				return err
			}
			withholdPlaceSource(reports, &l.Source, &l.SourceRestricted)
			var err error
			l.CreatedAt, err = parseTime(created)
			out = append(out, l)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find locations: %w", err)
	}
	return out, nil
}

// checkWholeCase returns ENOTFOUND unless the actor is a member of the case, and
// EFORBIDDEN if their role does not read the whole case (an advocate).
func (db *DB) checkWholeCase(ctx context.Context, caseID, what string) error {
	_, err := db.wholeCaseRole(ctx, caseID, what)
	return err
}

// wholeCaseRole is checkWholeCase, returning the reader's role.
func (db *DB) wholeCaseRole(ctx context.Context, caseID, what string) (caseroom.Role, error) {
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return "", err
	}
	return sc.role, sc.wholeCase(what)
}

// withholdPlaceSource blanks a source that is a medical report the reader may not read
// (reports: see medicalReportRefs).
func withholdPlaceSource(reports map[string]bool, source *string, restricted *bool) {
	if reports[*source] {
		*source, *restricted = "", true
	}
}
