package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"caseroom"
	"caseroom/counterparts"
	"caseroom/vault"
)

// maxCommLimit bounds a page of communications.
const maxCommLimit = 10000

// maxCounterparts bounds the counterparts a summary ranks in full.
const maxCounterparts = 200

// commSubject resolves the subject of a communications query: a person's endpoints,
// or one endpoint (by id or value), or none (the whole case). party describes it.
func (db *DB) commSubject(ctx context.Context, q querier, caseID, person, endpoint string) ([]string, *caseroom.Party, error) {
	person, endpoint = strings.TrimSpace(person), strings.TrimSpace(endpoint)
	switch {
	case person != "" && endpoint != "":
		return nil, nil, caseroom.Errorf(caseroom.EINVALID, "endpoint: give a person or an endpoint, not both")
	case person != "":
		id, err := resolvePerson(ctx, q, caseID, person)
		if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
			return nil, nil, caseroom.Errorf(caseroom.EINVALID, "person: %s", caseroom.ErrorMessage(err))
		} else if err != nil {
			return nil, nil, err
		}
		eps, err := personEndpoints(ctx, q, caseID, id)
		if err != nil {
			return nil, nil, err
		}
		labels, err := personLabels(ctx, q, db.v(), caseID, []string{id})
		if err != nil {
			return nil, nil, err
		}
		return eps, &caseroom.Party{ID: id, Kind: caseroom.EntityPerson, Label: labels[id]}, nil
	case endpoint != "":
		id, err := db.findEndpoint(ctx, q, caseID, endpoint)
		if err != nil {
			return nil, nil, err
		}
		return []string{id}, &caseroom.Party{ID: id, Kind: caseroom.EntityEndpoint}, nil
	}
	return nil, nil, nil
}

// findEndpoint resolves an endpoint by id, or by value as any kind normalises it.
func (db *DB) findEndpoint(ctx context.Context, q querier, caseID, ref string) (string, error) {
	if len(ref) > maxIdentifierValue+maxIdentifierService {
		return "", caseroom.Errorf(caseroom.EINVALID, "endpoint: at most %d bytes", maxIdentifierValue)
	}
	region, err := caseRegion(ctx, q, caseID)
	if err != nil {
		return "", err
	}
	var conds []string
	args := []any{caseID}
	if strings.HasPrefix(ref, prefixEndpoint+"_") {
		conds, args = append(conds, `id = ?`), append(args, ref)
	} else {
		raw := []caseroom.RawEndpoint{{Kind: caseroom.IdentifierPhone, Value: ref}, {Kind: caseroom.IdentifierEmail, Value: ref},
			{Kind: caseroom.IdentifierHandle, Value: ref}, {Kind: caseroom.IdentifierBankAccount, Value: ref}}
		if r, ok := parseEndpointRef(ref); ok {
			raw = []caseroom.RawEndpoint{r}
		}
		for _, r := range raw {
			if n, err := normaliseEndpoint(r, region, "endpoint"); err == nil {
				conds, args = append(conds, `(kind = ? AND value = ?)`), append(args, n.kind, n.value)
			}
		}
	}
	if len(conds) == 0 {
		return "", caseroom.Errorf(caseroom.EINVALID, "endpoint: %q is not an endpoint of this case", ref)
	}
	var id string
	err = q.QueryRowContext(ctx, `SELECT id FROM endpoints WHERE case_id = ? AND (`+strings.Join(conds, " OR ")+`) ORDER BY id LIMIT 1`, args...).Scan(&id)
	if isNoRows(err) {
		return "", caseroom.Errorf(caseroom.EINVALID, "endpoint: %q is not an endpoint of this case", ref)
	}
	return id, err
}

// FindCommunications lists communications in time order. See caseroom.CommService.
// For a person or endpoint, the communications from and to their endpoints are read
// as two ordered, bounded scans (by the indexes on from and on to) and merged.
func (db *DB) FindCommunications(ctx context.Context, caseID string, f caseroom.CommFilter) ([]*caseroom.Communication, error) {
	if err := db.exhibitsReadable(ctx, caseID, "communications"); err != nil {
		return nil, err
	}
	if f.Limit == 0 {
		f.Limit = 500
	}
	if f.Limit < 1 || f.Limit > maxCommLimit {
		return nil, caseroom.Errorf(caseroom.EINVALID, "limit: %d is not between 1 and %d", f.Limit, maxCommLimit)
	}
	q := db.reader()
	eps, subject, err := db.commSubject(ctx, q, caseID, f.Person, f.Endpoint)
	if err != nil {
		return nil, err
	}
	if subject != nil && len(eps) == 0 {
		return []*caseroom.Communication{}, nil
	}
	return loadCommunications(ctx, q, db.v(), caseID, eps, subject != nil, f.From, f.To, "", f.Limit)
}

// loadCommunications reads up to limit communications in order of time then id, after
// the cursor (time and id, "" for none) and within the window: of the endpoints eps if
// bySubject, else of the whole case.
func loadCommunications(ctx context.Context, q querier, v *vault.Vault, caseID string, eps []string, bySubject bool, from, to *time.Time, after string, limit int) ([]*caseroom.Communication, error) {
	window, wargs := ``, []any{}
	if from != nil {
		window, wargs = window+` AND c.at >= ?`, append(wargs, formatTime(*from))
	}
	if to != nil {
		window, wargs = window+` AND c.at <= ?`, append(wargs, formatTime(*to))
	}
	if after != "" {
		at, id, _ := strings.Cut(after, "|")
		// c.at >= ? first, so that the scan starts at the cursor in the index.
		window, wargs = window+` AND c.at >= ? AND (c.at > ? OR c.id > ?)`, append(wargs, at, at, id)
	}
	const cols = `SELECT c.id, c.from_id, c.to_id, c.directed, c.kind, c.at, c.duration, c.cell_id, c.imei, c.import_id, c.line, i.exhibit_id, x.ref
		FROM communications c JOIN comm_imports i ON i.id = c.import_id JOIN exhibits x ON x.id = i.exhibit_id WHERE `
	seen := map[string]bool{}
	var out []*caseroom.Communication
	read := func(where string, args []any) error {
		return scanEach(ctx, q, cols+where+window+` ORDER BY c.at, c.id LIMIT ?`, append(append(args, wargs...), limit),
			func(scan func(...any) error) error {
				c := &caseroom.Communication{CaseID: caseID}
				var directed int64
				var kind, at string
				if err := scan(&c.ID, &c.From.ID, &c.To.ID, &directed, &kind, &at, &c.Duration, &c.CellID, &c.IMEI, &c.Import, &c.Line, &c.Exhibit, &c.ExhibitRef); err != nil {
					return err
				}
				if seen[c.ID] {
					return nil
				}
				seen[c.ID] = true
				c.Directed, c.Kind = directed != 0, caseroom.CommKind(kind)
				var err error
				c.At, err = parseTime(at)
				out = append(out, c)
				return err
			})
	}
	if !bySubject {
		if err := read(`c.case_id = ?`, []any{caseID}); err != nil {
			return nil, fmt.Errorf("load communications: %w", err)
		}
	} else {
		for _, column := range []string{"from_id", "to_id"} {
			for _, ep := range eps {
				// One endpoint at a time: each scan follows its index in time order.
				if err := read(`c.`+column+` = ?`, []any{ep}); err != nil {
					return nil, fmt.Errorf("load communications: %w", err)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	var ids []string
	for _, c := range out {
		ids = append(ids, c.From.ID, c.To.ID)
	}
	endpoints, err := loadEndpoints(ctx, q, v, caseID, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		if e := endpoints[c.From.ID]; e != nil {
			c.From = *e
		}
		if e := endpoints[c.To.ID]; e != nil {
			c.To = *e
		}
	}
	if out == nil {
		out = []*caseroom.Communication{}
	}
	return out, nil
}

// SummariseCommunications ranks counterparts. See caseroom.CommService. It reads the
// running pair totals (comm_pairs), not the communications, so that its cost follows
// the number of distinct counterparts rather than of calls.
func (db *DB) SummariseCommunications(ctx context.Context, caseID, person, endpoint string) (*caseroom.CommSummary, error) {
	if err := db.exhibitsReadable(ctx, caseID, "communications"); err != nil {
		return nil, err
	}
	q := db.reader()
	eps, subject, err := db.commSubject(ctx, q, caseID, person, endpoint)
	if err != nil {
		return nil, err
	}
	in := counterparts.Input{Subject: map[string]bool{}, Limit: maxCounterparts}
	for _, e := range eps {
		in.Subject[e] = true
	}
	if subject == nil {
		if in.Pairs, err = loadPairs(ctx, q, caseID, `1 = 1`, nil); err != nil {
			return nil, err
		}
	} else if len(eps) > 0 {
		for chunk := range slices.Chunk(eps, 400) {
			marks := placeholders(len(chunk))
			args := append(anys(chunk), anys(chunk)...)
			ps, err := loadPairs(ctx, q, caseID, `(from_id IN (`+marks+`) OR to_id IN (`+marks+`))`, args)
			if err != nil {
				return nil, err
			}
			in.Pairs = append(in.Pairs, ps...)
		}
		in.Pairs = uniquePairs(in.Pairs)
	}
	ids := append([]string{}, eps...)
	for _, p := range in.Pairs {
		ids = append(ids, p.From, p.To)
	}
	if in.Endpoints, err = loadEndpoints(ctx, q, db.v(), caseID, ids); err != nil {
		return nil, err
	}
	if subject != nil {
		if in.Others, err = sharedWithSuspects(ctx, q, db.v(), caseID, subject.ID, in); err != nil {
			return nil, err
		}
	}
	s := counterparts.Summarise(in)
	s.CaseID, s.Subject = caseID, subject
	if subject != nil && subject.Kind == caseroom.EntityEndpoint {
		if e := in.Endpoints[subject.ID]; e != nil {
			subject.Label = e.Label()
		}
	}
	s.Endpoints = []caseroom.Endpoint{}
	for _, id := range eps {
		if e := in.Endpoints[id]; e != nil {
			s.Endpoints = append(s.Endpoints, *e)
		}
	}
	return s, nil
}

// loadPairs reads pair totals matching a filter.
func loadPairs(ctx context.Context, q querier, caseID, filter string, args []any) ([]caseroom.CommPair, error) {
	var out []caseroom.CommPair
	err := scanEach(ctx, q, `SELECT from_id, to_id, contacts, directed, duration, first_at, last_at FROM comm_pairs WHERE case_id = ? AND `+filter,
		append([]any{caseID}, args...), func(scan func(...any) error) error {
			var p caseroom.CommPair
			var first, last string
			if err := scan(&p.From, &p.To, &p.Contacts, &p.Directed, &p.Duration, &first, &last); err != nil {
				return err
			}
			var err error
			if p.First, err = parseTime(first); err != nil {
				return err
			}
			p.Last, err = parseTime(last)
			out = append(out, p)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("load pair totals: %w", err)
	}
	return out, nil
}

// uniquePairs drops pairs read twice (by two chunks of endpoints).
func uniquePairs(ps []caseroom.CommPair) []caseroom.CommPair {
	seen := map[[2]string]bool{}
	out := ps[:0]
	for _, p := range ps {
		k := [2]string{p.From, p.To}
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// sharedWithSuspects maps each counterpart of the subject to the other suspects (not
// the subject) holding an endpoint in contact with it.
func sharedWithSuspects(ctx context.Context, q querier, v *vault.Vault, caseID, subject string, in counterparts.Input) (map[string][]caseroom.Party, error) {
	suspects, err := personsWithRole(ctx, q, v, caseID, caseroom.PersonSuspect)
	if err != nil {
		return nil, err
	}
	holder := map[string][]caseroom.Party{} // endpoint -> suspects holding it
	for _, s := range suspects {
		if s.ID == subject {
			continue
		}
		eps, err := personEndpoints(ctx, q, caseID, s.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range eps {
			if !in.Subject[e] {
				holder[e] = append(holder[e], s)
			}
		}
	}
	out := map[string][]caseroom.Party{}
	if len(holder) == 0 {
		return out, nil
	}
	var suspectEps []string
	for e := range holder {
		suspectEps = append(suspectEps, e)
	}
	seen := map[string]map[string]bool{}
	note := func(counterpart, other string) {
		for _, s := range holder[other] {
			if seen[counterpart] == nil {
				seen[counterpart] = map[string]bool{}
			}
			if !seen[counterpart][s.ID] {
				seen[counterpart][s.ID] = true
				out[counterpart] = append(out[counterpart], s)
			}
		}
	}
	for chunk := range slices.Chunk(uniqueStrings(suspectEps), 400) {
		marks := placeholders(len(chunk))
		ps, err := loadPairs(ctx, q, caseID, `(from_id IN (`+marks+`) OR to_id IN (`+marks+`))`, append(anys(chunk), anys(chunk)...))
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			note(p.To, p.From)
			note(p.From, p.To)
		}
	}
	for k, ps := range out {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Label < ps[j].Label })
		out[k] = ps
	}
	return out, nil
}

// anys converts strings to query arguments.
func anys(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
