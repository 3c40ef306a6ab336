package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"caseroom"
	"caseroom/money"
	"caseroom/network"
)

// The network of a case (see caseroom.NetworkService): the store loads the edges a
// query may follow, a frontier of nodes at a time, with need-to-know applied, and the
// network package walks them.

// netReader reads the edges of one network query from one snapshot.
type netReader struct {
	db     *DB
	ctx    context.Context
	q      querier
	caseID string
	sc     *scope
	f      caseroom.NetworkFilter
	// via are the ways of edge followed; types the link types (nil: all).
	via   map[string]bool
	types map[string]bool
	kinds map[caseroom.EntityKind]bool
	// hidden are the medical reports the reader may not read; retracted the sources a
	// retraction names (when the filter asks for standing links only).
	hidden, retracted map[string]bool
	from, until       string // the window, as day bounds (YYYY-MM-DD), or ""
	// cap, when set (a neighbourhood), is the most edges the query follows from one
	// node: links reads at most one more than that of a node's links each way, the
	// most confident first, so that a hub costs the cap and not its degree.
	cap int
}

// newNetReader checks a query's filter and prepares its reads. Payments and
// communications are whole-case lists: a role that may not read them is refused them
// here too.
func (db *DB) newNetReader(ctx context.Context, q querier, caseID string, sc *scope, f caseroom.NetworkFilter) (*netReader, error) {
	r := &netReader{db: db, ctx: ctx, q: q, caseID: caseID, sc: sc, f: f, via: map[string]bool{}}
	for _, v := range f.Via {
		if !slices.Contains(caseroom.NetworkVia, v) {
			return nil, caseroom.Errorf(caseroom.EINVALID, "via: %q is not a way of edge; use one of %s", v, joinList(caseroom.NetworkVia))
		}
		r.via[v] = true
	}
	if len(f.Via) == 0 {
		for _, v := range caseroom.NetworkVia {
			r.via[v] = true
		}
		// Payments and communications are whole-case lists: a role that may not
		// read them does not follow them.
		if !sc.all() {
			r.via[caseroom.ViaPayments], r.via[caseroom.ViaCommunications] = false, false
		}
	} else if (r.via[caseroom.ViaPayments] || r.via[caseroom.ViaCommunications]) && !sc.all() {
		what := caseroom.ViaPayments
		if !r.via[what] {
			what = caseroom.ViaCommunications
		}
		return nil, sc.wholeCase(what)
	}
	if len(f.Types) > 0 {
		r.types = map[string]bool{}
		for _, t := range f.Types {
			if !t.Valid() {
				return nil, caseroom.Errorf(caseroom.EINVALID, "type: %q is not a link type; use one of %s", t, joinList(caseroom.LinkTypes))
			}
			r.types[string(t)] = true
		}
	}
	if len(f.Kinds) > 0 {
		r.kinds = map[caseroom.EntityKind]bool{}
		for _, k := range f.Kinds {
			if !slices.Contains(networkKinds, k) {
				return nil, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not a kind of record on a network; use one of %s", k, joinList(networkKinds))
			}
			r.kinds[k] = true
		}
	}
	if f.MinConfidence < 0 || f.MinConfidence > 1 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "confidence: %v is not between 0 and 1", f.MinConfidence)
	}
	for _, w := range []struct {
		name, value string
		bound       *string
		end         bool
	}{{"since", f.Since, &r.from, false}, {"until", f.Until, &r.until, true}} {
		if w.value == "" {
			continue
		}
		d, ok := normalisePartialDate(w.value)
		if !ok {
			return nil, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a date; write YYYY, YYYY-MM or YYYY-MM-DD", w.name, w.value)
		}
		*w.bound = dayBound(d, w.end)
	}
	if r.from != "" && r.until != "" && r.from > r.until {
		return nil, caseroom.Errorf(caseroom.EINVALID, "until: %s is before since %s", f.Until, f.Since)
	}
	var err error
	if r.hidden, err = withheldMedicalReports(ctx, q, caseID, sc.role); err != nil {
		return nil, err
	}
	if f.Standing {
		r.retracted = map[string]bool{}
		err := scanEach(ctx, q, `SELECT retracts_id FROM retractions WHERE case_id = ?`, []any{caseID}, func(scan func(...any) error) error {
			var id string
			err := scan(&id)
			r.retracted[id] = true
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("retracted sources: %w", err)
		}
	}
	return r, nil
}

// networkKinds are the kinds of record a network holds.
var networkKinds = []caseroom.EntityKind{caseroom.EntityPerson, caseroom.EntityOrganisation, caseroom.EntityLocation,
	caseroom.EntityIdentifier, caseroom.EntityEndpoint, caseroom.EntityDocument}

// dayBound is the first (or, with end, the last) day a partial date covers.
func dayBound(d string, end bool) string {
	switch len(d) {
	case 4:
		if end {
			return d + "-12-31"
		}
		return d + "-01-01"
	case 7:
		if end {
			return d + "-31" // as a string bound, past every day of the month
		}
		return d + "-01"
	}
	return d
}

// inWindow reports whether an edge dated since..until (partial dates, either may be
// empty) meets the reader's window. An undated edge does.
func (r *netReader) inWindow(since, until string) bool {
	if r.from != "" && until != "" && dayBound(until, true) < r.from {
		return false
	}
	if r.until != "" && since != "" && dayBound(since, false) > r.until {
		return false
	}
	return true
}

// keeps reports whether a node may be on the network: of a kind the filter keeps, and
// readable.
func (r *netReader) keeps(id string) bool {
	kind := nodeKind(id)
	if kind == "" || (r.kinds != nil && !r.kinds[kind]) || r.hidden[id] {
		return false
	}
	return r.sc.all() || (kind == caseroom.EntityPerson && r.sc.seesPerson(id))
}

// nodeKind is the kind of record an id names on a network, or "".
func nodeKind(id string) caseroom.EntityKind {
	if strings.HasPrefix(id, prefixEndpoint+"_") {
		return caseroom.EntityEndpoint
	}
	k, _ := entityKindOf(id)
	return k
}

// expand returns the edges touching ids that the query follows. It is the network
// package's Expander.
func (r *netReader) expand(ids []string) ([]*caseroom.NetworkEdge, error) {
	var out []*caseroom.NetworkEdge
	for chunk := range slices.Chunk(ids, 400) {
		if r.via[caseroom.ViaLink] {
			links, err := r.links(chunk)
			if err != nil {
				return nil, err
			}
			out = append(out, links...)
		}
		if r.via[caseroom.ViaIdentifier] {
			held, err := r.holders(chunk)
			if err != nil {
				return nil, err
			}
			out = append(out, held...)
		}
	}
	if r.via[caseroom.ViaPayments] || r.via[caseroom.ViaCommunications] {
		more, err := r.money(ids)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	kept := out[:0]
	for _, e := range out {
		if r.follows(e) {
			kept = append(kept, e)
		}
	}
	return kept, nil
}

// follows reports whether the query follows an edge: both ends kept (see keeps), not
// a loop, and with avoid=single-source resting on two records or more.
func (r *netReader) follows(e *caseroom.NetworkEdge) bool {
	return r.keeps(e.From) && r.keeps(e.To) && e.From != e.To && (!r.f.AvoidSingleSource || !e.SingleSource())
}

// links reads the standing links touching ids: neither retracting nor corrected by a
// later link, of the filter's types, confidence and window, not resting on a medical
// report the reader may not read (or, with Standing, on a retracted statement).
func (r *netReader) links(ids []string) ([]*caseroom.NetworkEdge, error) {
	conds, args := []string{`l.case_id = ?`, standingLink}, []any{r.caseID}
	if r.types != nil {
		types := make([]any, 0, len(r.types))
		for t := range r.types {
			types = append(types, t)
		}
		conds, args = append(conds, `l.type IN (`+placeholders(len(types))+`)`), append(args, types...)
	}
	if r.f.MinConfidence > 0 {
		conds, args = append(conds, `l.confidence >= ?`), append(args, r.f.MinConfidence)
	}
	where := strings.Join(conds, " AND ")
	const query = `SELECT l.id, l.from_id, l.to_id, l.type, l.since, l.until, l.confidence, l.source_id, COALESCE(d.ref, '')
		FROM links l LEFT JOIN documents d ON d.id = l.source_id WHERE `
	var out []*caseroom.NetworkEdge
	kept := 0 // the links scan has kept of the node read
	scan := func(scan func(...any) error) error {
		e := &caseroom.NetworkEdge{Via: caseroom.ViaLink, Directed: true}
		var src caseroom.NetworkSource
		if err := scan(&e.ID, &e.From, &e.To, &e.Type, &e.Since, &e.Until, &e.Confidence, &src.ID, &src.Ref); err != nil {
			return err
		}
		if r.hidden[src.ID] || r.retracted[src.ID] || !r.inWindow(e.Since, e.Until) {
			return nil
		}
		if !r.sc.all() && !(r.sc.seesPerson(e.From) && r.sc.seesPerson(e.To)) {
			return nil
		}
		src.Kind = caseroom.EntityDocument
		e.Directed = directedLink(caseroom.LinkType(e.Type))
		e.Sources = []caseroom.NetworkSource{src}
		if r.follows(e) {
			out = append(out, e)
			kept++
		}
		return nil
	}
	for _, column := range []string{"from_id", "to_id"} {
		// The nodes with more links this way than the cap are read one by one, the
		// most confident first, and only one more than the cap (so that the network
		// still knows them capped); the others all at once.
		var hubs map[string]bool
		if r.cap > 0 {
			var err error
			if hubs, err = r.overCap(column, ids); err != nil {
				return nil, err
			}
		}
		var rest []any
		for _, id := range ids {
			if hubs[id] {
				// Page by page, until one more than the cap of the links the
				// reader may follow are kept: what the reader may not see neither
				// takes a place nor shows where it would have been.
				page := max(r.cap+1, 256)
				kept = 0
				for offset := 0; kept <= r.cap; offset += page {
					rows := 0
					err := scanEach(r.ctx, r.q, query+where+` AND l.`+column+` = ? ORDER BY l.confidence DESC, l.id LIMIT ? OFFSET ?`,
						append(append([]any{}, args...), id, page, offset), func(sc func(...any) error) error {
							rows++
							return scan(sc)
						})
					if err != nil {
						return nil, fmt.Errorf("network links: %w", err)
					}
					if rows < page {
						break
					}
				}
				continue
			}
			rest = append(rest, id)
		}
		if len(rest) == 0 {
			continue
		}
		err := scanEach(r.ctx, r.q, query+where+` AND l.`+column+` IN (`+placeholders(len(rest))+`)`, append(append([]any{}, args...), rest...), scan)
		if err != nil {
			return nil, fmt.Errorf("network links: %w", err)
		}
	}
	return out, nil
}

// overCap returns those of ids with more links (standing or not) than the cap in
// column (from_id or to_id), counted in the index alone.
func (r *netReader) overCap(column string, ids []string) (map[string]bool, error) {
	args := append(anys(ids), r.cap)
	hubs := map[string]bool{}
	err := scanEach(r.ctx, r.q, `SELECT `+column+` FROM links WHERE `+column+` IN (`+placeholders(len(ids))+`) GROUP BY `+column+` HAVING COUNT(*) > ?`, args,
		func(scan func(...any) error) error {
			var id string
			err := scan(&id)
			hubs[id] = true
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("network degrees: %w", err)
	}
	return hubs, nil
}

// directedLink says whether a link type's direction means something.
func directedLink(t caseroom.LinkType) bool {
	switch t {
	case "knows", "related_to", "met", "same_as":
		return false
	}
	return true
}

// holders reads the identifiers held by the persons among ids, and the holders of the
// identifiers among them.
func (r *netReader) holders(ids []string) ([]*caseroom.NetworkEdge, error) {
	persons := idsOfKind(ids, caseroom.EntityPerson)
	var out []*caseroom.NetworkEdge
	scan := func(column string, in []string) error {
		if len(in) == 0 {
			return nil
		}
		return scanEach(r.ctx, r.q, `SELECT i.id, i.person_id, i.source_id, COALESCE(d.ref, '') FROM identifiers i LEFT JOIN documents d ON d.id = i.source_id
			WHERE i.case_id = ? AND i.`+column+` IN (`+placeholders(len(in))+`)`, append([]any{r.caseID}, anys(in)...),
			func(scan func(...any) error) error {
				var idf, person string
				var src caseroom.NetworkSource
				if err := scan(&idf, &person, &src.ID, &src.Ref); err != nil {
					return err
				}
				e := &caseroom.NetworkEdge{ID: caseroom.EdgeHolds + ":" + idf, From: person, To: idf, Type: caseroom.EdgeHolds,
					Via: caseroom.ViaIdentifier, Directed: true, Confidence: 1, Sources: []caseroom.NetworkSource{}}
				// An identifier known from a medical report the reader may not read is
				// still the person's; its source is not named. One known from a
				// retracted statement is left out when only standing edges are asked.
				if r.retracted[src.ID] {
					return nil
				}
				if src.ID != "" && !r.hidden[src.ID] {
					src.Kind = caseroom.EntityDocument
					e.Sources = append(e.Sources, src)
				}
				out = append(out, e)
				return nil
			})
	}
	if err := scan("person_id", persons); err != nil {
		return nil, fmt.Errorf("network identifiers: %w", err)
	}
	if err := scan("id", idsOfKind(ids, caseroom.EntityIdentifier)); err != nil {
		return nil, fmt.Errorf("network identifiers: %w", err)
	}
	// The endpoints (numbers, handles, accounts in payments and communications) the
	// persons hold, and the holders of the endpoints among ids: so that a number two
	// suspects share joins them.
	held, err := endpointHolders(r.ctx, r.q, r.caseID, persons)
	if err != nil {
		return nil, err
	}
	if eps := idsOfKind(ids, caseroom.EntityEndpoint); len(eps) > 0 {
		loaded, err := loadEndpoints(r.ctx, r.q, r.db.v(), r.caseID, eps)
		if err != nil {
			return nil, err
		}
		for id, e := range loaded {
			for _, h := range e.Holders {
				held = append(held, [2]string{h.ID, id})
			}
		}
	}
	for _, h := range held {
		out = append(out, &caseroom.NetworkEdge{ID: caseroom.EdgeHolds + ":" + h[0] + ":" + h[1], From: h[0], To: h[1], Type: caseroom.EdgeHolds,
			Via: caseroom.ViaIdentifier, Directed: true, Confidence: 1, Sources: []caseroom.NetworkSource{}})
	}
	return out, nil
}

// money reads the standing payments and the communications touching ids, added up
// per pair of parties. An endpoint held by exactly one person counts as that person's
// (as the money summary counts it); the endpoints of the persons among ids are theirs.
func (r *netReader) money(ids []string) ([]*caseroom.NetworkEdge, error) {
	held, err := heldEndpoints(r.ctx, r.q, r.caseID, idsOfKind(ids, caseroom.EntityPerson))
	if err != nil {
		return nil, err
	}
	parties := uniqueStrings(append(append([]string{}, ids...), held...))
	var pays []*caseroom.Payment
	var comms []caseroom.CommPair
	if r.via[caseroom.ViaPayments] {
		if pays, err = r.payments(parties); err != nil {
			return nil, err
		}
	}
	if r.via[caseroom.ViaCommunications] {
		if comms, err = r.commPairs(parties); err != nil {
			return nil, err
		}
	}
	// The endpoints' holders.
	var ends []string
	for _, p := range pays {
		ends = append(ends, p.Payer.ID, p.Payee.ID)
	}
	for _, c := range comms {
		ends = append(ends, c.From, c.To)
	}
	owner := map[string]string{}
	if eps := idsOfKind(uniqueStrings(ends), caseroom.EntityEndpoint); len(eps) > 0 {
		loaded, err := loadEndpoints(r.ctx, r.q, r.db.v(), r.caseID, eps)
		if err != nil {
			return nil, err
		}
		for id, e := range loaded {
			if len(e.Holders) == 1 {
				owner[id] = e.Holders[0].ID
			}
		}
	}
	party := func(id string) string {
		if o := owner[id]; o != "" {
			return o
		}
		return id
	}
	// Each payment and each pair total is read once (one query each), and added to
	// the edge of its two parties: directed for payments, either way for contacts.
	type pair struct{ a, b string }
	var out []*caseroom.NetworkEdge
	paid := map[pair]*caseroom.NetworkEdge{}
	for _, p := range pays {
		// A payment outside the window does not count (a pair's communications are
		// totals: they count when their first to last contact meets the window).
		day := p.At[:min(10, len(p.At))]
		if !r.inWindow(day, day) {
			continue
		}
		k := pair{party(p.Payer.ID), party(p.Payee.ID)}
		e := paid[k]
		if e == nil {
			e = &caseroom.NetworkEdge{ID: caseroom.ViaPayments + ":" + k.a + ":" + k.b, From: k.a, To: k.b, Type: caseroom.EdgePaid,
				Via: caseroom.ViaPayments, Directed: true, Confidence: 1, Sources: []caseroom.NetworkSource{}}
			paid[k] = e
			out = append(out, e)
		}
		e.Count++
		addTotal(&e.Totals, p.Currency, p.Amount)
		widen(e, day)
		if src := (caseroom.NetworkSource{ID: p.Source, Kind: p.SourceKind, Ref: p.SourceRef}); p.Source != "" && !slices.Contains(e.Sources, src) {
			e.Sources = append(e.Sources, src)
		}
	}
	for _, e := range out {
		for i := range e.Totals {
			c, err := money.LookupCurrency(e.Totals[i].Currency)
			if err != nil {
				return nil, err
			}
			e.Totals[i].Text = money.Text(e.Totals[i].Amount, c)
		}
	}
	talked := map[pair]*caseroom.NetworkEdge{}
	for _, c := range comms {
		a, b := party(c.From), party(c.To)
		if a > b {
			a, b = b, a
		}
		k := pair{a, b}
		e := talked[k]
		if e == nil {
			e = &caseroom.NetworkEdge{ID: caseroom.ViaCommunications + ":" + a + ":" + b, From: a, To: b, Type: caseroom.EdgeCalled,
				Via: caseroom.ViaCommunications, Confidence: 1, Sources: []caseroom.NetworkSource{}}
			talked[k] = e
			out = append(out, e)
		}
		e.Count += int(c.Contacts)
		e.Duration += c.Duration
		widen(e, c.First.UTC().Format(dateLayout))
		widen(e, c.Last.UTC().Format(dateLayout))
	}
	kept := out[:0]
	for _, e := range out {
		if r.inWindow(e.Since, e.Until) {
			kept = append(kept, e)
		}
	}
	return kept, nil
}

// idsOfKind returns those of ids that name records of kind, in order.
func idsOfKind(ids []string, kind caseroom.EntityKind) []string {
	var out []string
	for _, id := range ids {
		if nodeKind(id) == kind {
			out = append(out, id)
		}
	}
	return out
}

// widen stretches an edge's dates to cover day (YYYY-MM-DD or a partial date).
func widen(e *caseroom.NetworkEdge, day string) {
	if day == "" {
		return
	}
	if e.Since == "" || day < e.Since {
		e.Since = day
	}
	if e.Until == "" || day > e.Until {
		e.Until = day
	}
}

// addTotal adds an amount to the total of its currency.
func addTotal(totals *[]caseroom.MoneyAmount, currency string, amount caseroom.MinorUnits) {
	for i := range *totals {
		if (*totals)[i].Currency == currency {
			(*totals)[i].Amount += amount
			return
		}
	}
	*totals = append(*totals, caseroom.MoneyAmount{Currency: currency, Amount: amount})
	sort.Slice(*totals, func(i, j int) bool { return (*totals)[i].Currency < (*totals)[j].Currency })
}

// heldEndpoints returns the endpoints the persons hold (by their identifiers).
func heldEndpoints(ctx context.Context, q querier, caseID string, persons []string) ([]string, error) {
	pairs, err := endpointHolders(ctx, q, caseID, persons)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, p[1])
	}
	return uniqueStrings(out), nil
}

// endpointHolders returns the (person, endpoint) pairs of the endpoints the persons
// hold, by their identifiers.
func endpointHolders(ctx context.Context, q querier, caseID string, persons []string) ([][2]string, error) {
	var out [][2]string
	for chunk := range slices.Chunk(persons, 400) {
		args := append([]any{caseID}, anys(chunk)...)
		err := scanEach(ctx, q, `SELECT DISTINCT b.person_id, e.id FROM endpoints e JOIN blind_index b ON b.case_id = e.case_id AND b.token = e.token
			WHERE e.case_id = ? AND b.person_id IN (`+placeholders(len(chunk))+`) AND b.field = 'identifier:' || e.kind`, args,
			func(scan func(...any) error) error {
				var pair [2]string
				err := scan(&pair[0], &pair[1])
				out = append(out, pair)
				return err
			})
		if err != nil {
			return nil, fmt.Errorf("held endpoints: %w", err)
		}
	}
	return out, nil
}

// dateLayout is a day as edges' dates write it.
const dateLayout = "2006-01-02"

// payments reads the standing payments with a payer or payee among parties. A payment
// resting on a medical report the reader may not read counts, its source unnamed (as
// on the payments list).
//
// Many parties (a centrality of the whole case) are read as the whole case's payments,
// in one query, and kept here.
func (r *netReader) payments(parties []string) ([]*caseroom.Payment, error) {
	filter, args, touches := partiesFilter("p.payer_id", "p.payee_id", parties)
	ps, err := loadPayments(r.ctx, r.q, r.db.v(), r.caseID, r.sc.role, filter, args)
	if err != nil {
		return nil, err
	}
	kept := ps[:0]
	for _, p := range ps {
		if p.Standing() && !r.retracted[p.Source] && touches(p.Payer.ID, p.Payee.ID) {
			kept = append(kept, p)
		}
	}
	return kept, nil
}

// manyParties is the most parties read by a list of them; more are read as the
// whole case. A variable for the tests.
var manyParties = 2000

// partiesFilter is a filter on two columns naming any of parties, with its arguments,
// and a check that a row's two ends touch one of them (always true of the rows of a
// list; for many parties the filter reads the whole case and the check picks).
func partiesFilter(from, to string, parties []string) (string, []any, func(a, b string) bool) {
	if len(parties) > manyParties {
		set := make(map[string]bool, len(parties))
		for _, p := range parties {
			set[p] = true
		}
		return `1 = 1`, nil, func(a, b string) bool { return set[a] || set[b] }
	}
	marks := placeholders(len(parties))
	args := append(anys(parties), anys(parties)...)
	return `(` + from + ` IN (` + marks + `) OR ` + to + ` IN (` + marks + `))`, args, func(string, string) bool { return true }
}

// commPairs reads the communication totals of the pairs of endpoints with an end
// among parties.
func (r *netReader) commPairs(parties []string) ([]caseroom.CommPair, error) {
	filter, args, touches := partiesFilter("from_id", "to_id", parties)
	ps, err := loadPairs(r.ctx, r.q, r.caseID, filter, args)
	if err != nil {
		return nil, err
	}
	kept := ps[:0]
	for _, p := range ps {
		if touches(p.From, p.To) {
			kept = append(kept, p)
		}
	}
	return kept, nil
}

// networkStart resolves a query's start (or end) named by field: an id, a victim's
// pseudonym or a document's reference. To a member who reads the whole case a
// reference to nothing is EINVALID naming the field; to an advocate, who reads only
// some records, a record they may not read and one that does not exist are both
// ENOTFOUND, and alike.
func (r *netReader) start(field, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", caseroom.Errorf(caseroom.EINVALID, "%s: name a person or another record of the case", field)
	}
	id, kind, err := ref, caseroom.EntityEndpoint, error(nil)
	if nodeKind(ref) == caseroom.EntityEndpoint {
		var n int
		if err = r.q.QueryRowContext(r.ctx, `SELECT COUNT(*) FROM endpoints WHERE id = ? AND case_id = ?`, ref, r.caseID).Scan(&n); err == nil && n == 0 {
			err = caseroom.Errorf(caseroom.ENOTFOUND, "There is no endpoint %s in this case.", ref)
		}
	} else {
		id, kind, err = resolveEntity(r.ctx, r.q, r.caseID, ref)
	}
	if err == nil && (r.hidden[id] || !slices.Contains(networkKinds, kind) || !(r.sc.all() || r.sc.seesPerson(id))) {
		err = caseroom.Errorf(caseroom.ENOTFOUND, "There is no %s %s in this case.", kind, ref)
		if kind == caseroom.EntityPerson {
			err = personNotFound(ref)
		}
	}
	if caseroom.ErrorCode(err) == caseroom.ENOTFOUND && r.sc.all() {
		return "", caseroom.Errorf(caseroom.EINVALID, "%s: %s", field, caseroom.ErrorMessage(err))
	}
	return id, err
}

// describe returns the nodes of ids, labelled as the lists label them: victims by
// pseudonym, an identifier or endpoint a victim holds by its kind and the holder's
// pseudonym.
func (r *netReader) describe(ids []string, steps map[string]int, capped map[string]bool) ([]*caseroom.NetworkNode, error) {
	byKind := map[caseroom.EntityKind][]string{}
	for _, id := range ids {
		byKind[nodeKind(id)] = append(byKind[nodeKind(id)], id)
	}
	labels, err := personLabels(r.ctx, r.q, r.db.v(), r.caseID, append([]string{}, byKind[caseroom.EntityPerson]...))
	if err != nil {
		return nil, err
	}
	roles := map[string][]caseroom.PersonRole{}
	for chunk := range slices.Chunk(byKind[caseroom.EntityPerson], 400) {
		args := append([]any{r.caseID}, anys(chunk)...)
		err := scanEach(r.ctx, r.q, `SELECT person_id, role FROM person_roles WHERE case_id = ? AND person_id IN (`+placeholders(len(chunk))+`) ORDER BY entry, id`, args,
			func(scan func(...any) error) error {
				var id, role string
				err := scan(&id, &role)
				roles[id] = append(roles[id], caseroom.PersonRole(role))
				return err
			})
		if err != nil {
			return nil, fmt.Errorf("network roles: %w", err)
		}
	}
	if err := r.otherLabels(byKind, labels); err != nil {
		return nil, err
	}
	nodes := make([]*caseroom.NetworkNode, 0, len(ids))
	for _, id := range ids {
		n := &caseroom.NetworkNode{ID: id, Kind: nodeKind(id), Label: labels[id], Roles: roles[id], Steps: steps[id], Capped: capped[id]}
		if n.Label == "" {
			n.Label = id
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// otherLabels adds to labels those of the identifiers, endpoints, organisations,
// locations and documents of byKind.
func (r *netReader) otherLabels(byKind map[caseroom.EntityKind][]string, labels map[string]string) error {
	v := r.db.v()
	if eps := byKind[caseroom.EntityEndpoint]; len(eps) > 0 {
		loaded, err := loadEndpoints(r.ctx, r.q, v, r.caseID, eps)
		if err != nil {
			return err
		}
		for id, e := range loaded {
			labels[id] = e.Label()
		}
	}
	queries := map[caseroom.EntityKind]string{
		caseroom.EntityIdentifier:   `SELECT i.id, i.kind, i.value, COALESCE(p.pseudonym, '') FROM identifiers i LEFT JOIN pseudonyms p ON p.person_id = i.person_id WHERE i.case_id = ? AND i.id IN `,
		caseroom.EntityOrganisation: `SELECT id, name, '', '' FROM organisations WHERE case_id = ? AND id IN `,
		caseroom.EntityLocation:     `SELECT id, name, '', '' FROM locations WHERE case_id = ? AND id IN `,
		caseroom.EntityDocument:     `SELECT id, ref || ' ' || title, '', '' FROM documents WHERE case_id = ? AND id IN `,
	}
	for kind, query := range queries {
		for chunk := range slices.Chunk(byKind[kind], 400) {
			args := append([]any{r.caseID}, anys(chunk)...)
			err := scanEach(r.ctx, r.q, query+`(`+placeholders(len(chunk))+`)`, args, func(scan func(...any) error) error {
				var id, label, sealed, pseudonym string
				if err := scan(&id, &label, &sealed, &pseudonym); err != nil {
					return err
				}
				if kind != caseroom.EntityIdentifier {
					labels[id] = label
					return nil
				}
				if pseudonym != "" {
					labels[id] = label + " of " + pseudonym
					return nil
				}
				value, err := v.Open(sealed, sealContext("identifiers", "value", id))
				if err != nil {
					return fmt.Errorf("open identifier %s: %w", id, err)
				}
				labels[id] = label + " " + value
				return nil
			})
			if err != nil {
				return fmt.Errorf("network labels: %w", err)
			}
		}
	}
	return nil
}

// networkRead opens a snapshot and a reader for a query of the acting member.
func (db *DB) networkRead(ctx context.Context, caseID string, f caseroom.NetworkFilter) (*netReader, func(), error) {
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, nil, err
	}
	rd, err := db.snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	r, err := db.newNetReader(ctx, rd, caseID, sc, f)
	if err != nil {
		rd.Close()
		return nil, nil, err
	}
	return r, func() { rd.Close() }, nil
}

// Network returns the neighbourhood of a record. See caseroom.NetworkService.
func (db *DB) Network(ctx context.Context, caseID string, q caseroom.NetworkQuery) (*caseroom.Network, error) {
	if q.Steps < 1 || q.Steps > caseroom.NetworkMaxSteps {
		return nil, caseroom.Errorf(caseroom.EINVALID, "steps: give 1 to %d", caseroom.NetworkMaxSteps)
	}
	if q.Cap == 0 {
		q.Cap = caseroom.NetworkDefaultCap
	}
	if q.Cap < 1 || q.Cap > caseroom.NetworkMaxCap {
		return nil, caseroom.Errorf(caseroom.EINVALID, "cap: give 1 to %d", caseroom.NetworkMaxCap)
	}
	r, done, err := db.networkRead(ctx, caseID, q.NetworkFilter)
	if err != nil {
		return nil, err
	}
	defer done()
	r.cap = q.Cap
	around, err := r.start("around", q.Around)
	if err != nil {
		return nil, err
	}
	hood, err := network.Neighbourhood(around, q.Steps, q.Cap, r.expand)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	nodes, err := r.describe(hood.Order, hood.Steps, hood.Capped)
	if err != nil {
		return nil, err
	}
	return &caseroom.Network{CaseID: caseID, Around: around, Steps: q.Steps, Nodes: nodes, Edges: nonNilEdges(hood.Edges), Capped: len(hood.Capped) > 0}, nil
}

func nonNilEdges(es []*caseroom.NetworkEdge) []*caseroom.NetworkEdge {
	if es == nil {
		return []*caseroom.NetworkEdge{}
	}
	return es
}

// Paths returns the shortest paths between two records. See caseroom.NetworkService.
func (db *DB) Paths(ctx context.Context, caseID string, q caseroom.PathQuery) (*caseroom.Paths, error) {
	if q.Max == 0 {
		q.Max = caseroom.PathsDefaultMax
	}
	if q.Max < 1 || q.Max > caseroom.PathsMaxLength {
		return nil, caseroom.Errorf(caseroom.EINVALID, "max: give 1 to %d", caseroom.PathsMaxLength)
	}
	if q.Limit == 0 {
		q.Limit = caseroom.PathsDefaultLimit
	}
	if q.Limit < 1 || q.Limit > caseroom.PathsMaxLimit {
		return nil, caseroom.Errorf(caseroom.EINVALID, "limit: give 1 to %d", caseroom.PathsMaxLimit)
	}
	r, done, err := db.networkRead(ctx, caseID, q.NetworkFilter)
	if err != nil {
		return nil, err
	}
	defer done()
	from, err := r.start("from", q.From)
	if err != nil {
		return nil, err
	}
	to, err := r.start("to", q.To)
	if err != nil {
		return nil, err
	}
	if from == to {
		return nil, caseroom.Errorf(caseroom.EINVALID, "to: %s is the path's start too; name two different records", strings.TrimSpace(q.To))
	}
	length, paths, truncated, err := network.ShortestPaths(from, to, q.Max, q.Limit, r.expand)
	if err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	res := &caseroom.Paths{CaseID: caseID, From: from, To: to, Length: length, Paths: paths, Truncated: truncated}
	if res.Paths == nil {
		res.Paths = []caseroom.NetworkPath{}
	}
	var ids []string
	steps := map[string]int{}
	for _, p := range paths {
		for i, id := range p.Nodes {
			if _, ok := steps[id]; !ok {
				steps[id] = i
				ids = append(ids, id)
			}
		}
	}
	if res.Nodes, err = r.describe(ids, steps, nil); err != nil {
		return nil, err
	}
	return res, nil
}

// The most persons a CommonQuery names.
const commonMaxPersons = 10

// CommonCounterparts returns the counterparts two or more persons share. See
// caseroom.NetworkService.
func (db *DB) CommonCounterparts(ctx context.Context, caseID string, q caseroom.CommonQuery) (*caseroom.CommonCounterparts, error) {
	if len(q.Persons) < 2 || len(q.Persons) > commonMaxPersons {
		return nil, caseroom.Errorf(caseroom.EINVALID, "persons: name 2 to %d persons", commonMaxPersons)
	}
	r, done, err := db.networkRead(ctx, caseID, q.NetworkFilter)
	if err != nil {
		return nil, err
	}
	defer done()
	var ids []string
	for _, ref := range q.Persons {
		id, err := r.start("persons", ref)
		if err != nil {
			return nil, err
		}
		if slices.Contains(ids, id) {
			return nil, caseroom.Errorf(caseroom.EINVALID, "persons: %s is named twice", strings.TrimSpace(ref))
		}
		ids = append(ids, id)
	}
	edges, err := r.expand(ids)
	if err != nil {
		return nil, err
	}
	shared := network.Common(ids, edges)
	all := append([]string{}, ids...)
	for _, s := range shared {
		all = append(all, s.ID)
	}
	nodes, err := r.describe(all, nil, nil)
	if err != nil {
		return nil, err
	}
	res := &caseroom.CommonCounterparts{CaseID: caseID, Persons: nodes[:len(ids)], Counterparts: []*caseroom.SharedCounterpart{}}
	for i, s := range shared {
		res.Counterparts = append(res.Counterparts, &caseroom.SharedCounterpart{Node: nodes[len(ids)+i], Edges: s.Edges})
	}
	return res, nil
}

// Betweenness is exact on a network of up to centralityExact nodes (about half a
// second at 2,000), and estimated from centralitySamples sources on a larger one
// (about 30 ms a source at 100,000 nodes and 1,000,000 edges).
const (
	centralityExact   = 2000
	centralitySamples = 100
)

// Centrality ranks the persons of a case by betweenness and degree over the edges
// the filter follows. See caseroom.NetworkService.
func (db *DB) Centrality(ctx context.Context, caseID string, q caseroom.CentralityQuery) (*caseroom.Centrality, error) {
	if q.Limit < 0 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "limit: give a number of persons, or 0 for all")
	}
	r, done, err := db.networkRead(ctx, caseID, q.NetworkFilter)
	if err != nil {
		return nil, err
	}
	defer done()
	ids, err := r.allNodes()
	if err != nil {
		return nil, err
	}
	edges, err := r.expand(ids)
	if err != nil {
		return nil, err
	}
	samples := 0
	if len(ids) > centralityExact {
		samples = centralitySamples
	}
	scores, method := network.Centrality(edges, func(id string) bool { return nodeKind(id) == caseroom.EntityPerson }, samples, 1)
	if q.Limit > 0 && len(scores) > q.Limit {
		scores = scores[:q.Limit]
	}
	persons := make([]string, len(scores))
	for i, s := range scores {
		persons[i] = s.ID
	}
	nodes, err := r.describe(persons, nil, nil)
	if err != nil {
		return nil, err
	}
	distinct, onNetwork := map[string]bool{}, map[string]bool{}
	for _, id := range ids {
		onNetwork[id] = true
	}
	for _, e := range edges {
		distinct[e.ID], onNetwork[e.From], onNetwork[e.To] = true, true, true
	}
	res := &caseroom.Centrality{CaseID: caseID, Method: method, Nodes: len(onNetwork), Edges: len(distinct), Persons: []*caseroom.Central{}}
	for i, s := range scores {
		res.Persons = append(res.Persons, &caseroom.Central{Node: nodes[i], Degree: s.Degree, Betweenness: s.Betweenness})
	}
	return res, nil
}

// allNodes returns every record of the case the reader may put on a network.
func (r *netReader) allNodes() ([]string, error) {
	var ids []string
	for _, table := range []string{"persons", "organisations", "locations", "identifiers", "endpoints"} {
		err := scanEach(r.ctx, r.q, `SELECT id FROM `+table+` WHERE case_id = ? ORDER BY id`, []any{r.caseID}, func(scan func(...any) error) error {
			var id string
			if err := scan(&id); err != nil {
				return err
			}
			if r.keeps(id) {
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("network nodes: %w", err)
		}
	}
	return ids, nil
}
