package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"caseroom"
)

var _ caseroom.ExhibitService = (*DB)(nil)

const (
	prefixExhibit = "exh"
	prefixCustody = "cus"
	prefixMedia   = "med"
	prefixMatch   = "mat"
)

// exhibitRefPattern is an officer-initials reference: letters, a slash, a number (SB/3).
var exhibitRefPattern = regexp.MustCompile(`^[A-Z]{1,6}/[1-9][0-9]{0,5}$`)

// exhibitRole returns the actor's role and refuses roles that do not handle exhibits.
// The console operator (caseroom ingest on the data directory) handles every case's
// exhibits, as the lead would; its writes are audited as the console's.
func (tx *Tx) exhibitRole(caseID string) (caseroom.Role, error) {
	if tx.actor.IsConsole() {
		if err := caseExists(tx.ctx, tx, caseID); err != nil {
			return "", err
		}
		return caseroom.RoleLead, nil
	}
	role, err := memberRole(tx.ctx, tx, caseID, tx.actor)
	if err != nil {
		return "", err
	}
	if !role.CanHandleExhibits() {
		return "", caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot record exhibits; the lead, investigators, indexers and examiners can.", role)
	}
	return role, nil
}

func validExhibitKind(k caseroom.ExhibitKind) bool {
	for _, x := range caseroom.ExhibitKinds {
		if x == k {
			return true
		}
	}
	return false
}

// RegisterExhibit records a seized item and its seizure. See caseroom.ExhibitService.
func (db *DB) RegisterExhibit(ctx context.Context, caseID string, ne caseroom.NewExhibit) (*caseroom.Exhibit, error) {
	ne.Ref = strings.TrimSpace(ne.Ref)
	ne.Description = strings.TrimSpace(ne.Description)
	switch {
	case !exhibitRefPattern.MatchString(ne.Ref):
		return nil, caseroom.Errorf(caseroom.EINVALID, "ref: %q is not an exhibit reference; write the officer's initials, a slash and a number, such as SB/3", ne.Ref)
	case ne.Description == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "description: required")
	case len(ne.Description) > 2000 || len(ne.Place) > 300 || len(ne.SeizedBy) > 200 || len(ne.Seal) > 100:
		return nil, caseroom.Errorf(caseroom.EINVALID, "description: at most 2000 bytes (place 300, seizedBy 200, seal 100)")
	case !validExhibitKind(ne.Kind):
		return nil, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not an exhibit kind; use one of disc, phone, computer, storage, document, other", ne.Kind)
	case ne.SeizedAt == nil || ne.SeizedAt.IsZero():
		return nil, caseroom.Errorf(caseroom.EINVALID, "seizedAt: required (RFC 3339, such as 2026-11-20T09:00:00Z)")
	}
	if err := notInFuture("seizedAt", *ne.SeizedAt, db.Now()); err != nil {
		return nil, err
	}
	id := newID(prefixExhibit)
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.exhibitRole(caseID); err != nil {
			return err
		}
		var from any
		if ne.SeizedFrom != "" {
			pid, err := resolvePerson(ctx, tx, caseID, ne.SeizedFrom)
			if err != nil {
				return caseroom.Errorf(caseroom.EINVALID, "seizedFrom: %s", caseroom.ErrorMessage(err))
			}
			from = pid
		}
		by := strings.TrimSpace(ne.SeizedBy)
		if by == "" {
			by = tx.actor.Name
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM exhibits WHERE case_id = ? AND ref = ?`, caseID, ne.Ref).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return caseroom.Errorf(caseroom.ECONFLICT, "ref: exhibit %s is already registered in this case", ne.Ref)
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		at := formatTime(*ne.SeizedAt)
		if err := tx.exec(`INSERT INTO exhibits (id, case_id, ref, description, kind, seized_from_id, seized_by, seized_at, place, registered_by, registered_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, ne.Ref, ne.Description, string(ne.Kind), from, by, at, ne.Place, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert exhibit: %w", err)
		}
		if err := tx.exec(`INSERT INTO custody_events (id, exhibit_id, case_id, seq, event, by_whom, to_whom, at, place, seal, purpose, recorded_by, recorded_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			newID(prefixCustody), id, caseID, 1, string(caseroom.CustodySeized), by, "", at, ne.Place, ne.Seal, "seizure", tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert seizure: %w", err)
		}
		if err := tx.queueForSearch(caseID, id, "exhibit"); err != nil {
			return err
		}
		return tx.appendAudit(seq, "exhibit.register", "exhibit", id, caseID)
	})
	if err != nil {
		return nil, err
	}
	return db.loadExhibit(ctx, db.reader(), caseID, id)
}

// custodyTransitions says, for each event, whether it passes the exhibit to its To
// (transferred, returned), ends the chain (returned, destroyed), and needs a To.
var custodyTransitions = map[caseroom.CustodyEventKind]struct{ hands, ends, needsTo bool }{
	caseroom.CustodySealed:      {},
	caseroom.CustodyTransferred: {hands: true, needsTo: true},
	caseroom.CustodyExamined:    {},
	caseroom.CustodyCopied:      {},
	caseroom.CustodyReturned:    {hands: true, ends: true, needsTo: true},
	caseroom.CustodyDestroyed:   {ends: true},
}

// RecordCustody appends an event to an exhibit's chain. See caseroom.ExhibitService.
func (db *DB) RecordCustody(ctx context.Context, caseID, exhibit string, ev caseroom.NewCustodyEvent) (*caseroom.Exhibit, error) {
	rule, ok := custodyTransitions[ev.Event]
	switch {
	case ev.Event == caseroom.CustodySeized:
		return nil, caseroom.Errorf(caseroom.EINVALID, "event: an exhibit is seized once, when it is registered")
	case !ok:
		return nil, caseroom.Errorf(caseroom.EINVALID, "event: %q is not a custody event; use one of sealed, transferred, examined, copied, returned, destroyed", ev.Event)
	case ev.At == nil || ev.At.IsZero():
		return nil, caseroom.Errorf(caseroom.EINVALID, "at: required (RFC 3339)")
	case rule.needsTo && strings.TrimSpace(ev.To) == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "to: required for %s: who receives the exhibit", ev.Event)
	case !rule.needsTo && strings.TrimSpace(ev.To) != "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "to: only a transfer or a return hands the exhibit to someone")
	case len(ev.By) > 200 || len(ev.To) > 200 || len(ev.Place) > 300 || len(ev.Seal) > 100 || len(ev.Purpose) > 2000:
		return nil, caseroom.Errorf(caseroom.EINVALID, "purpose: at most 2000 bytes (by and to 200, place 300, seal 100)")
	}
	if err := notInFuture("at", *ev.At, db.Now()); err != nil {
		return nil, err
	}
	var exhibitID string
	err := db.write(ctx, func(tx *Tx) error {
		if _, err := tx.exhibitRole(caseID); err != nil {
			return err
		}
		x, err := db.loadExhibit(ctx, tx, caseID, exhibit)
		if err != nil {
			return err
		}
		exhibitID = x.ID
		last := x.Custody[len(x.Custody)-1]
		by := strings.TrimSpace(ev.By)
		if by == "" {
			by = tx.actor.Name
		}
		if err := x.CustodyAllows(by); err != nil {
			return err
		}
		switch {
		case ev.At.Before(last.At):
			return caseroom.Errorf(caseroom.ECONFLICT, "at: %s is before the chain's last event (%s at %s); events are recorded in order", ev.At.UTC().Format(time.RFC3339), last.Event, last.At.Format(time.RFC3339))
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		id := newID(prefixCustody)
		if err := tx.exec(`INSERT INTO custody_events (id, exhibit_id, case_id, seq, event, by_whom, to_whom, at, place, seal, purpose, recorded_by, recorded_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, x.ID, caseID, last.Seq+1, string(ev.Event), by, strings.TrimSpace(ev.To), formatTime(*ev.At), ev.Place, ev.Seal, ev.Purpose, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert custody event: %w", err)
		}
		return tx.appendAudit(seq, "custody.record", "exhibit", x.ID, caseID)
	})
	if err != nil {
		return nil, err
	}
	return db.loadExhibit(ctx, db.reader(), caseID, exhibitID)
}

// exhibitsReadable refuses an actor who may not read the case's exhibits and media:
// non-members (as if the case did not exist) and advocates. The console reads them.
func (db *DB) exhibitsReadable(ctx context.Context, caseID, what string) error {
	if actor := caseroom.UserFromContext(ctx); actor.IsConsole() {
		return caseExists(ctx, db.reader(), caseID)
	}
	return db.checkWholeCase(ctx, caseID, what)
}

// caseExists returns ENOTFOUND for a case that does not exist.
func caseExists(ctx context.Context, q querier, caseID string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases WHERE id = ?`, caseID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return caseNotFound(caseID)
	}
	return nil
}

// FindExhibit returns an exhibit with its chain. See caseroom.ExhibitService.
func (db *DB) FindExhibit(ctx context.Context, caseID, exhibit string) (*caseroom.Exhibit, error) {
	if err := db.exhibitsReadable(ctx, caseID, "exhibits"); err != nil {
		return nil, err
	}
	return db.loadExhibit(ctx, db.reader(), caseID, exhibit)
}

// FindExhibits lists a case's exhibits. See caseroom.ExhibitService.
func (db *DB) FindExhibits(ctx context.Context, caseID string) ([]*caseroom.Exhibit, error) {
	if err := db.exhibitsReadable(ctx, caseID, "exhibits"); err != nil {
		return nil, err
	}
	return db.loadExhibits(ctx, db.reader(), caseID, "")
}

// loadExhibit reads one exhibit by id or reference.
func (db *DB) loadExhibit(ctx context.Context, q querier, caseID, exhibit string) (*caseroom.Exhibit, error) {
	xs, err := db.loadExhibits(ctx, q, caseID, exhibit)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no exhibit %q in this case.", exhibit)
	}
	return xs[0], nil
}

// loadExhibits reads a case's exhibits (or the one named by id or reference) with their
// chains and the number of their files (one grouped query), and works out who holds
// each.
func (db *DB) loadExhibits(ctx context.Context, q querier, caseID, exhibit string) ([]*caseroom.Exhibit, error) {
	filter, args := ``, []any{caseID}
	if exhibit != "" {
		filter, args = ` AND (x.id = ? OR x.ref = ?)`, append(args, exhibit, exhibit)
	}
	out := []*caseroom.Exhibit{}
	byID := map[string]*caseroom.Exhibit{}
	var persons []string
	err := scanEach(ctx, q, `SELECT x.id, x.case_id, x.ref, x.description, x.kind, COALESCE(x.seized_from_id, ''), x.seized_by, x.seized_at, x.place, x.registered_by, x.registered_at
		FROM exhibits x WHERE x.case_id = ?`+filter+` ORDER BY x.entry, x.id`, args,
		func(scan func(...any) error) error {
			x := &caseroom.Exhibit{Custody: []*caseroom.CustodyEvent{}}
			var kind, seizedAt, registeredAt string
			if err := scan(&x.ID, &x.CaseID, &x.Ref, &x.Description, &kind, &x.SeizedFrom, &x.SeizedBy, &seizedAt, &x.Place, &x.RegisteredBy, &registeredAt); err != nil {
				return err
			}
			x.Kind = caseroom.ExhibitKind(kind)
			var err error
			if x.SeizedAt, err = parseTime(seizedAt); err != nil {
				return err
			}
			if x.RegisteredAt, err = parseTime(registeredAt); err != nil {
				return err
			}
			out = append(out, x)
			byID[x.ID] = x
			persons = append(persons, x.SeizedFrom)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load exhibits: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	cfilter, cargs := `case_id = ?`, []any{caseID}
	if exhibit != "" {
		cfilter, cargs = `exhibit_id = ?`, []any{out[0].ID}
	}
	err = scanEach(ctx, q, `SELECT id, exhibit_id, seq, event, by_whom, to_whom, at, place, seal, purpose, recorded_by, recorded_at FROM custody_events WHERE `+cfilter+` ORDER BY exhibit_id, seq`, cargs,
		func(scan func(...any) error) error {
			ev := &caseroom.CustodyEvent{}
			var exhibitID, event, at, recordedAt string
			if err := scan(&ev.ID, &exhibitID, &ev.Seq, &event, &ev.By, &ev.To, &at, &ev.Place, &ev.Seal, &ev.Purpose, &ev.RecordedBy, &recordedAt); err != nil {
				return err
			}
			ev.Event = caseroom.CustodyEventKind(event)
			var err error
			if ev.At, err = parseTime(at); err != nil {
				return err
			}
			if ev.RecordedAt, err = parseTime(recordedAt); err != nil {
				return err
			}
			if x := byID[exhibitID]; x != nil {
				x.Custody = append(x.Custody, ev)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load custody: %w", err)
	}
	// By exhibit id, so that the count reads the index of (exhibit_id, path) alone.
	nfilter := `exhibit_id IN (SELECT id FROM exhibits WHERE case_id = ?)`
	if exhibit != "" {
		nfilter = `exhibit_id = ?`
	}
	err = scanEach(ctx, q, `SELECT exhibit_id, COUNT(*) FROM media WHERE `+nfilter+` GROUP BY exhibit_id`, cargs,
		func(scan func(...any) error) error {
			var exhibitID string
			var n int64
			if err := scan(&exhibitID, &n); err != nil {
				return err
			}
			if x := byID[exhibitID]; x != nil {
				x.Files = n
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("count exhibits' files: %w", err)
	}
	labels, err := personLabels(ctx, q, db.v(), caseID, persons)
	if err != nil {
		return nil, err
	}
	for _, x := range out {
		x.SeizedFromLabel = labels[x.SeizedFrom]
		x.Holder = holderOf(x.Custody)
	}
	return out, nil
}

// holderOf follows a chain: the seizer holds the exhibit, a transfer passes it on, a
// return or destruction ends the chain.
func holderOf(chain []*caseroom.CustodyEvent) string {
	holder := ""
	for _, ev := range chain {
		switch ev.Event {
		case caseroom.CustodySeized:
			holder = ev.By
		case caseroom.CustodyTransferred:
			holder = ev.To
		case caseroom.CustodyReturned, caseroom.CustodyDestroyed:
			holder = ""
		}
	}
	return holder
}

// exhibitForMedia resolves an exhibit for ingest and checks that the actor may ingest
// the files: files brought into an exhibit by a member are an examination of it, so
// each file's By (the member by default) must hold it, as for a custody event. The
// console operator ingests a device's files at the data directory, as the exhibit's
// holder directs.
func (tx *Tx) exhibitForMedia(caseID, exhibit string, files []caseroom.NewMedia) (string, error) {
	if _, err := tx.exhibitRole(caseID); err != nil {
		return "", err
	}
	if tx.actor.IsConsole() || len(files) == 0 {
		return exhibitID(tx.ctx, tx, caseID, exhibit)
	}
	x, err := tx.db.loadExhibit(tx.ctx, tx, caseID, exhibit)
	if err != nil {
		return "", err
	}
	checked := map[string]bool{}
	for _, f := range files {
		by := strings.TrimSpace(f.By)
		if by == "" {
			by = tx.actor.Name
		}
		if checked[by] {
			continue
		}
		if err := x.CustodyAllows(by); err != nil {
			return "", err
		}
		checked[by] = true
	}
	return x.ID, nil
}

// exhibitID resolves an exhibit's id or reference to its id, or returns ENOTFOUND.
func exhibitID(ctx context.Context, q querier, caseID, exhibit string) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM exhibits WHERE case_id = ? AND (id = ? OR ref = ?)`, caseID, exhibit, exhibit).Scan(&id)
	if isNoRows(err) {
		return "", caseroom.Errorf(caseroom.ENOTFOUND, "There is no exhibit %q in this case.", exhibit)
	}
	return id, err
}

// RecordMedia records files found in an exhibit. See caseroom.ExhibitService.
func (db *DB) RecordMedia(ctx context.Context, caseID, exhibit string, files []caseroom.NewMedia) (int, error) {
	for i, f := range files {
		switch {
		case f.Path == "" || len(f.Path) > 4096 || !utf8.ValidString(f.Path) || strings.ContainsRune(f.Path, 0):
			return 0, caseroom.Errorf(caseroom.EINVALID, "files[%d].path: required: valid UTF-8 without NUL, at most 4096 bytes", i)
		case !lowerHex(f.SHA256, 64) || !lowerHex(f.SHA1, 40) || !lowerHex(f.MD5, 32):
			return 0, caseroom.Errorf(caseroom.EINVALID, "files[%d]: sha256, sha1 and md5 are required, in lower-case hex", i)
		case f.Size < 0:
			return 0, caseroom.Errorf(caseroom.EINVALID, "files[%d].size: negative", i)
		case len(f.By) > 200 || !utf8.ValidString(f.By):
			return 0, caseroom.Errorf(caseroom.EINVALID, "files[%d].by: at most 200 bytes of UTF-8", i)
		}
		if err := validImageHash(f.Image); err != nil {
			return 0, caseroom.Errorf(caseroom.EINVALID, "files[%d].image: %v", i, err)
		}
		if err := validVideoHash(f.Video); err != nil {
			return 0, caseroom.Errorf(caseroom.EINVALID, "files[%d].video: %v", i, err)
		}
	}
	var marks matchMarks
	var err error
	if marks.pdq, err = db.pdq.refresh(ctx, db.reader()); err != nil {
		return 0, err
	}
	if marks.frames, err = db.frames.refresh(ctx, db.reader()); err != nil {
		return 0, err
	}
	recorded := 0
	err = db.write(ctx, func(tx *Tx) error {
		recorded = 0
		exhibitID, err := tx.exhibitForMedia(caseID, exhibit, files)
		if err != nil || len(files) == 0 {
			return err
		}
		// What is recorded already, in two queries for the whole batch.
		paths, sums := make([]any, 0, len(files)), make([]any, 0, len(files))
		for _, f := range files {
			paths, sums = append(paths, f.Path), append(sums, f.SHA256)
		}
		known, held := map[string]bool{}, map[string]bool{}
		collect := func(into map[string]bool) func(scan func(...any) error) error {
			return func(scan func(...any) error) error {
				var v string
				if err := scan(&v); err != nil {
					return err
				}
				into[v] = true
				return nil
			}
		}
		if err := scanEach(tx.ctx, tx, `SELECT path FROM media WHERE exhibit_id = ? AND path IN (`+placeholders(len(paths))+`)`, append([]any{exhibitID}, paths...), collect(known)); err != nil {
			return err
		}
		if err := scanEach(tx.ctx, tx, `SELECT sha256 FROM contents WHERE sha256 IN (`+placeholders(len(sums))+`)`, sums, collect(held)); err != nil {
			return err
		}
		// Contents held that a file brings a perceptual hash for: which have one.
		var carried []any
		for _, f := range files {
			if held[f.SHA256] && (f.Image != nil || f.Video != nil) {
				carried = append(carried, f.SHA256)
			}
		}
		hashed, err := perceptualHashes(tx.ctx, tx, carried)
		if err != nil {
			return err
		}
		actor, now := tx.actor.Name, formatTime(tx.now)
		for _, f := range files {
			if known[f.Path] {
				continue
			}
			known[f.Path] = true
			seq, err := tx.reserveSeq()
			if err != nil {
				return err
			}
			// The rows as stored, for the entry's state hash (see appendAuditState).
			state := map[string][]map[string]any{}
			if !held[f.SHA256] {
				meta, err := json.Marshal(f.Meta)
				if err != nil {
					return err
				}
				if err := tx.exec(`INSERT INTO contents (sha256, sha1, md5, size, mime, meta, stored_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
					f.SHA256, f.SHA1, f.MD5, f.Size, f.MIME, string(meta), now, seq); err != nil {
					return fmt.Errorf("insert content: %w", err)
				}
				held[f.SHA256] = true
				state["contents"] = []map[string]any{{"sha256": f.SHA256, "sha1": f.SHA1, "md5": f.MD5, "size": f.Size,
					"mime": f.MIME, "meta": string(meta), "stored_at": now, "entry": seq}}
				if err := tx.recordContentMatches(seq, state, f, marks); err != nil {
					return err
				}
				hashed[f.SHA256] = hashKinds{image: f.Image != nil, video: f.Video != nil}
			} else if err := tx.recordMissingHashes(seq, state, f, marks, hashed); err != nil {
				return err
			}
			var mod any
			if f.ModTime != nil {
				mod = formatTime(*f.ModTime)
			}
			id := newID(prefixMedia)
			if err := tx.exec(`INSERT INTO media (id, case_id, exhibit_id, sha256, path, mod_time, ingested_by, ingested_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, caseID, exhibitID, f.SHA256, f.Path, mod, actor, now, seq); err != nil {
				return fmt.Errorf("insert media: %w", err)
			}
			state["media"] = []map[string]any{{"id": id, "case_id": caseID, "exhibit_id": exhibitID, "sha256": f.SHA256, "path": f.Path,
				"mod_time": mod, "ingested_by": actor, "ingested_at": now, "entry": seq}}
			if err := tx.appendAuditState(seq, "media.ingest", "media", id, caseID, state); err != nil {
				return err
			}
			recorded++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return recorded, nil
}

// lowerHex reports whether s is n lower-case hex digits.
func lowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// IngestedPaths returns the paths recorded for an exhibit. See caseroom.ExhibitService.
func (db *DB) IngestedPaths(ctx context.Context, caseID, exhibit string) (map[string]int64, error) {
	x, err := db.FindExhibit(ctx, caseID, exhibit)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	err = scanEach(ctx, db.reader(), `SELECT m.path, c.size FROM media m JOIN contents c ON c.sha256 = m.sha256 WHERE m.exhibit_id = ?`, []any{x.ID}, func(scan func(...any) error) error {
		var p string
		var size int64
		if err := scan(&p, &size); err != nil {
			return err
		}
		out[p] = size
		return nil
	})
	return out, err
}

// HasContent reports whether a content is recorded. See caseroom.ExhibitService.
func (db *DB) HasContent(ctx context.Context, sha256 string) (bool, error) {
	var n int
	err := db.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM contents WHERE sha256 = ?`, sha256).Scan(&n)
	return n > 0, err
}

// ContentSums calls fn with the SHA-256 of every recorded content, for checking the
// blob store against the records (caseroom blobs verify).
func (db *DB) ContentSums(ctx context.Context, fn func(sum string) error) error {
	return scanEach(ctx, db.reader(), `SELECT sha256 FROM contents`, nil, func(scan func(...any) error) error {
		var s string
		if err := scan(&s); err != nil {
			return err
		}
		return fn(s)
	})
}

// FindMedia lists a case's files. See caseroom.ExhibitService.
//
// The filters on the file, its exhibit and a known-set match are SQL conditions. A
// cluster is not stored: the case's clusters are worked out once (caseClusters), and
// the cluster's contents become a condition on the content, in chunks of at most
// mediaChunk contents, each chunk's page merged by media id. The clusters worked out
// serve the listed files' Cluster too.
func (db *DB) FindMedia(ctx context.Context, caseID string, f caseroom.MediaFilter) ([]*caseroom.Media, error) {
	if err := db.exhibitsReadable(ctx, caseID, "media"); err != nil {
		return nil, err
	}
	q := db.reader()
	filter, args := ``, []any{caseID}
	if f.ID != "" {
		filter, args = filter+` AND m.id = ?`, append(args, f.ID)
	}
	if f.ExhibitID != "" {
		id, err := exhibitID(ctx, q, caseID, f.ExhibitID)
		if err != nil {
			return nil, err
		}
		filter, args = filter+` AND m.exhibit_id = ?`, append(args, id)
		if f.Path != "" {
			filter, args = filter+` AND m.path = ?`, append(args, f.Path)
		}
	}
	if f.MatchedKnown {
		filter += ` AND EXISTS (SELECT 1 FROM matches k WHERE k.sha256 = m.sha256 AND k.kind = 'known')`
	}
	if f.After != "" {
		filter, args = filter+` AND m.id > ?`, append(args, f.After)
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 1000
	case f.Limit > 10000:
		f.Limit = 10000
	}
	var clusters map[string]string
	var out []*caseroom.Media
	var err error
	if f.Cluster == "" {
		if out, err = scanMedia(ctx, q, filter, args, f.Limit); err != nil {
			return nil, err
		}
	} else {
		if clusters, _, err = caseClusters(ctx, q, caseID); err != nil {
			return nil, err
		}
		var members []any
		for sum, name := range clusters {
			if name == f.Cluster {
				members = append(members, sum)
			}
		}
		out = []*caseroom.Media{}
		for start := 0; start < len(members); start += mediaChunk {
			chunk := members[start:min(start+mediaChunk, len(members))]
			page, err := scanMedia(ctx, q, filter+` AND m.sha256 IN (`+placeholders(len(chunk))+`)`, append(append([]any{}, args...), chunk...), f.Limit)
			if err != nil {
				return nil, err
			}
			out = append(out, page...)
		}
		slices.SortFunc(out, func(a, b *caseroom.Media) int { return strings.Compare(a.ID, b.ID) })
		out = out[:min(len(out), f.Limit)]
	}
	bySum := map[string][]*caseroom.Media{}
	for _, m := range out {
		bySum[m.SHA256] = append(bySum[m.SHA256], m)
	}
	// Where else in the case each content was found.
	sums := make([]any, 0, len(bySum))
	for s := range bySum {
		sums = append(sums, s)
	}
	err = locations(ctx, q, caseID, sums, func(sum string, loc caseroom.MediaLocation) {
		for _, m := range bySum[sum] {
			if m.ID != loc.MediaID {
				m.AlsoFoundIn = append(m.AlsoFoundIn, loc)
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("find copies: %w", err)
	}
	for _, m := range out {
		m.Matches = []caseroom.MediaMatch{}
	}
	if err := addMatches(ctx, q, caseID, bySum, clusters); err != nil {
		return nil, err
	}
	return out, nil
}

// mediaChunk is how many contents one query of FindMedia names.
const mediaChunk = 400

// scanMedia reads at most limit of a case's files (the case is args[0]) that pass
// filter, in order of media id, without their copies and matches.
func scanMedia(ctx context.Context, q querier, filter string, args []any, limit int) ([]*caseroom.Media, error) {
	out := []*caseroom.Media{}
	err := scanEach(ctx, q, `SELECT m.id, m.case_id, m.exhibit_id, x.ref, m.path, m.mod_time, m.sha256, c.sha1, c.md5, c.size, c.mime, c.meta, m.ingested_by, m.ingested_at
		FROM media m JOIN exhibits x ON x.id = m.exhibit_id JOIN contents c ON c.sha256 = m.sha256
		WHERE m.case_id = ?`+filter+` ORDER BY m.id LIMIT `+fmt.Sprint(limit), args,
		func(scan func(...any) error) error {
			m := &caseroom.Media{AlsoFoundIn: []caseroom.MediaLocation{}}
			var mod *string
			var meta, at string
			if err := scan(&m.ID, &m.CaseID, &m.ExhibitID, &m.ExhibitRef, &m.Path, &mod, &m.SHA256, &m.SHA1, &m.MD5, &m.Size, &m.MIME, &meta, &m.IngestedBy, &at); err != nil {
				return err
			}
			var err error
			if m.IngestedAt, err = parseTime(at); err != nil {
				return err
			}
			if mod != nil {
				t, err := parseTime(*mod)
				if err != nil {
					return err
				}
				m.ModTime = &t
			}
			if err := json.Unmarshal([]byte(meta), &m.Meta); err != nil {
				return fmt.Errorf("media %s meta: %w", m.ID, err)
			}
			out = append(out, m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("find media: %w", err)
	}
	return out, nil
}

// SummariseMedia counts a case's files. See caseroom.ExhibitService.
func (db *DB) SummariseMedia(ctx context.Context, caseID string) (*caseroom.MediaSummary, error) {
	if err := db.exhibitsReadable(ctx, caseID, "media"); err != nil {
		return nil, err
	}
	s := &caseroom.MediaSummary{}
	err := db.reader().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT m.sha256), COALESCE(SUM(c.size), 0) FROM media m JOIN contents c ON c.sha256 = m.sha256 WHERE m.case_id = ?`, caseID).
		Scan(&s.Files, &s.Unique, &s.Bytes)
	if err != nil {
		return nil, fmt.Errorf("summarise media: %w", err)
	}
	err = db.reader().QueryRowContext(ctx, `SELECT COALESCE(SUM(c.size), 0) FROM contents c WHERE c.sha256 IN (SELECT sha256 FROM media WHERE case_id = ?)`, caseID).Scan(&s.UniqueBytes)
	if err != nil {
		return nil, fmt.Errorf("summarise media: %w", err)
	}
	s.Copies = s.Files - s.Unique
	if err := summariseMatches(ctx, db.reader(), caseID, s); err != nil {
		return nil, err
	}
	return s, nil
}
