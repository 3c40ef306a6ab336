package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"caseroom"
	"caseroom/timeline"
)

var _ caseroom.TimelineService = (*DB)(nil)

// A timeline page holds defaultTimelineLimit entries unless the caller asks for up to
// maxTimelineLimit.
const (
	defaultTimelineLimit = 100
	maxTimelineLimit     = 1000
)

// Timeline lists a case's dated records. See caseroom.TimelineService.
//
// Each kind is read through the service that lists it, so that the timeline shows
// exactly what the reader's lists show (an advocate their clients' documents only,
// medical reports only to those who read them, victims by pseudonym, the
// victim-contact ledger to the lead and oversight, decisions to those who read them);
// a kind the reader's role may not list is left out rather than refused. The kinds
// that grow large (payments, communications) are read a page and one entry at a time
// (the one more tells whether there is a next page), after the cursor; the others,
// seized files' creation times included, whole.
func (db *DB) Timeline(ctx context.Context, caseID string, f caseroom.TimelineFilter) (*caseroom.TimelinePage, error) {
	if f.Limit == 0 {
		f.Limit = defaultTimelineLimit
	}
	if f.Limit < 1 || f.Limit > maxTimelineLimit {
		return nil, caseroom.Errorf(caseroom.EINVALID, "limit: %d is not between 1 and %d", f.Limit, maxTimelineLimit)
	}
	w := timeline.Window{From: f.From, To: f.To, Kinds: map[caseroom.TimelineKind]bool{}}
	for _, k := range f.Kinds {
		if !validTimelineKind(k) {
			return nil, caseroom.Errorf(caseroom.EINVALID, "kinds: %q is not a kind of timeline entry; use %s", k, joinList(caseroom.TimelineKinds))
		}
		w.Kinds[k] = true
	}
	if f.After != "" {
		k, err := timeline.ParseCursor(f.After)
		if err != nil {
			return nil, err
		}
		w.After = &k
	}
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, err
	}
	q := db.reader()
	personID := ""
	if p := strings.TrimSpace(f.Person); p != "" {
		id, err := resolvePerson(ctx, q, caseID, p)
		if err == nil && !sc.seesPerson(id) {
			err = personNotFound(p)
		}
		if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
			return nil, caseroom.Errorf(caseroom.EINVALID, "person: %s", caseroom.ErrorMessage(err))
		} else if err != nil {
			return nil, err
		}
		personID = id
	}
	// allowed turns a refusal of a kind into nothing of that kind.
	allowed := func(err error) error {
		if caseroom.ErrorCode(err) == caseroom.EFORBIDDEN {
			return nil
		}
		return err
	}
	var lists [][]caseroom.TimelineEntry
	wants := func(kinds ...caseroom.TimelineKind) bool {
		for _, k := range kinds {
			if w.WantsKind(k) {
				return true
			}
		}
		return false
	}
	if wants(caseroom.TimelineComplaint, caseroom.TimelineStatement, caseroom.TimelineDocument, caseroom.TimelineRetraction) {
		docs, err := db.FindDocuments(ctx, caseID, caseroom.DocumentFilter{})
		if err != nil {
			return nil, err
		}
		var concerns map[string]bool
		if personID != "" {
			if concerns, err = documentsConcerning(ctx, q, caseID, personID, docs); err != nil {
				return nil, err
			}
		}
		lists = append(lists, timeline.Documents(caseID, docs, concerns))
	}
	if wants(caseroom.TimelineAction, caseroom.TimelineActionStep) {
		as, err := db.FindActions(ctx, caseID, caseroom.ActionFilter{})
		if err = allowed(err); err != nil {
			return nil, err
		}
		lists = append(lists, timeline.Actions(caseID, as, personID))
	}
	if wants(caseroom.TimelineDecision) && personID == "" {
		ds, err := db.FindDecisions(ctx, caseID)
		if err = allowed(err); err != nil {
			return nil, err
		}
		lists = append(lists, timeline.Decisions(caseID, ds))
	}
	if wants(caseroom.TimelineArrest, caseroom.TimelineProduction) {
		as, err := db.FindArrests(ctx, caseID)
		if err = allowed(err); err != nil {
			return nil, err
		}
		lists = append(lists, timeline.Arrests(caseID, as, personID))
	}
	if wants(caseroom.TimelineCustody) {
		xs, err := db.FindExhibits(ctx, caseID)
		if err = allowed(err); err != nil {
			return nil, err
		}
		lists = append(lists, timeline.Custody(caseID, xs, personID))
	}
	if wants(caseroom.TimelineContact) {
		cs, err := db.FindContacts(ctx, caseID, caseroom.ContactFilter{})
		if err = allowed(err); err != nil {
			return nil, err
		}
		lists = append(lists, timeline.Contacts(caseID, cs, personID))
	}
	if wants(caseroom.TimelinePayment) && sc.all() {
		ps, err := db.timelinePayments(ctx, caseID, sc.role, personID, w, f.Limit+1)
		if err != nil {
			return nil, err
		}
		lists = append(lists, ps)
	}
	if wants(caseroom.TimelineCommunication) && sc.all() {
		var eps []string
		if personID != "" {
			if eps, err = personEndpoints(ctx, q, caseID, personID); err != nil {
				return nil, err
			}
		}
		if personID == "" || len(eps) > 0 {
			cs, err := loadCommunications(ctx, q, db.v(), caseID, eps, personID != "", w.From, w.To,
				afterCursor(w.After, caseroom.TimelineCommunication), f.Limit+1)
			if err != nil {
				return nil, err
			}
			lists = append(lists, timeline.Communications(caseID, cs))
		}
	}
	if wants(caseroom.TimelineMedia) && sc.all() && personID == "" {
		ms, err := mediaTimes(ctx, q, caseID)
		if err != nil {
			return nil, err
		}
		lists = append(lists, timeline.Media(caseID, ms))
	}
	entries, next := timeline.Page(lists, w, f.Limit)
	if entries == nil {
		entries = []caseroom.TimelineEntry{}
	}
	return &caseroom.TimelinePage{CaseID: caseID, Entries: entries, Next: next}, nil
}

func validTimelineKind(k caseroom.TimelineKind) bool {
	for _, x := range caseroom.TimelineKinds {
		if x == k {
			return true
		}
	}
	return false
}

// afterCursor writes, for a kind read by time and id, the point after which a page of
// that kind starts: "<time>|<id>", strictly after. At the cursor's own time, entries
// of a kind ordered after the cursor's all come (id ""), of a kind ordered before it
// none (id "~", after every id), and of the cursor's own kind those after its id.
func afterCursor(k *timeline.Key, kind caseroom.TimelineKind) string {
	if k == nil {
		return ""
	}
	id := k.ID
	switch {
	case string(kind) > string(k.Kind):
		id = ""
	case string(kind) < string(k.Kind):
		id = "~"
	}
	return formatTime(k.Time) + "|" + id
}

// timelinePayments reads up to limit payments after the window's cursor, as entries.
func (db *DB) timelinePayments(ctx context.Context, caseID string, role caseroom.Role, personID string, w timeline.Window, limit int) ([]caseroom.TimelineEntry, error) {
	q := db.reader()
	conds, args := []string{}, []any{}
	if personID != "" {
		parties, err := personEndpoints(ctx, q, caseID, personID)
		if err != nil {
			return nil, err
		}
		parties = append(parties, personID)
		marks := placeholders(len(parties))
		conds = append(conds, `(p.payer_id IN (`+marks+`) OR p.payee_id IN (`+marks+`))`)
		args = append(append(args, anys(parties)...), anys(parties)...)
	}
	if w.From != nil {
		conds, args = append(conds, `p.at_start >= ?`), append(args, formatTime(*w.From))
	}
	if w.To != nil {
		conds, args = append(conds, `p.at_start <= ?`), append(args, formatTime(*w.To))
	}
	if after := afterCursor(w.After, caseroom.TimelinePayment); after != "" {
		at, id, _ := strings.Cut(after, "|")
		conds, args = append(conds, `p.at_start >= ? AND (p.at_start > ? OR p.id > ?)`), append(args, at, at, id)
	}
	filter := `1 = 1`
	if len(conds) > 0 {
		filter = strings.Join(conds, ` AND `)
	}
	ps, err := loadPaymentsOrdered(ctx, q, db.v(), caseID, role, filter, args, fmt.Sprintf(` ORDER BY p.at_start, p.id LIMIT %d`, limit))
	if err != nil {
		return nil, err
	}
	loc, err := caseLocation(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	return timeline.Payments(caseID, ps, func(p *caseroom.Payment) time.Time {
		start, _, err := periodOf("at", p.At, loc)
		if err != nil {
			return p.RecordedAt
		}
		return start
	}), nil
}

// documentsConcerning returns the ids of the documents that concern a person: those
// they gave, those they were present at, those a standing link joins to them
// (mentions...) and those a standing link about them cites (a statement implicating
// them).
func documentsConcerning(ctx context.Context, q querier, caseID, personID string, docs []*caseroom.Document) (map[string]bool, error) {
	out := map[string]bool{}
	for _, d := range docs {
		if st := d.Statement; st != nil {
			if st.Giver == personID {
				out[d.ID] = true
			}
			for _, p := range st.Present {
				if p.Person == personID {
					out[d.ID] = true
				}
			}
		}
	}
	err := scanEach(ctx, q, `SELECT l.from_id, l.to_id, l.source_id FROM links l WHERE l.case_id = ? AND (l.from_id = ? OR l.to_id = ?) AND `+standingLink,
		[]any{caseID, personID, personID}, func(scan func(...any) error) error {
			var from, to, source string
			if err := scan(&from, &to, &source); err != nil {
				return err
			}
			// The document joined, or the one a link about the person rests on (a
			// statement that implicates them is the source of its implicates link).
			out[from], out[to], out[source] = true, true, true
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("documents concerning %s: %w", personID, err)
	}
	return out, nil
}

// mediaTimes reads when each of the case's files was made, as its metadata says (an
// image's EXIF time taken, a video's creation time).
func mediaTimes(ctx context.Context, q querier, caseID string) ([]timeline.MediaTime, error) {
	var out []timeline.MediaTime
	err := scanEach(ctx, q, `SELECT m.id, m.path, x.ref, c.meta FROM media m JOIN contents c ON c.sha256 = m.sha256 JOIN exhibits x ON x.id = m.exhibit_id
		WHERE m.case_id = ? AND (c.meta LIKE '%"takenAt"%' OR c.meta LIKE '%"createdAt"%')`, []any{caseID},
		func(scan func(...any) error) error {
			var mt timeline.MediaTime
			var meta string
			if err := scan(&mt.ID, &mt.Path, &mt.ExhibitRef, &meta); err != nil {
				return err
			}
			var m caseroom.MediaMeta
			if err := json.Unmarshal([]byte(meta), &m); err != nil {
				return nil // a content's metadata that does not read has no time to give
			}
			switch {
			case m.TakenAt != nil:
				mt.At, mt.Source = *m.TakenAt, "taken"
			case m.CreatedAt != nil:
				mt.At, mt.Source = *m.CreatedAt, "created"
			default:
				return nil
			}
			out = append(out, mt)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("media times: %w", err)
	}
	return out, nil
}
