package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"caseroom"
	"caseroom/fulltext"
	"caseroom/names"
	"caseroom/vault"
)

var _ caseroom.SearchService = (*DB)(nil)

// searchKinds are the values of the query's kind: filter.
func searchKinds() []string {
	out := []string{"document"}
	for _, k := range caseroom.DocumentKinds {
		out = append(out, string(k))
	}
	return append(out, "action", "decision", "exhibit")
}

// medicalReportsSQL selects the ids of a case's medical reports (see medicalReportIDs),
// with the case id as its two arguments.
const medicalReportsSQL = `SELECT id FROM documents WHERE case_id = ? AND kind = 'medical-report'
	UNION SELECT e.document_id FROM action_events e JOIN actions a ON a.id = e.action_id
	WHERE e.case_id = ? AND e.event = 'resulted' AND a.kind = 'medical-examination' AND e.document_id IS NOT NULL`

// searchScope is the condition on search_chunks c that keeps what the reader may
// read, with its arguments.
func (db *DB) searchScope(ctx context.Context, caseID string, sc *scope) (string, []any, error) {
	if !sc.all() {
		// An advocate: the documents their scope shows, and nothing of the whole case.
		docs, err := db.FindDocuments(ctx, caseID, caseroom.DocumentFilter{})
		if err != nil {
			return "", nil, err
		}
		if len(docs) == 0 {
			return `1 = 0`, nil, nil
		}
		args := make([]any, len(docs))
		for i, d := range docs {
			args[i] = d.ID
		}
		return `c.record_id IN (` + placeholders(len(args)) + `)`, args, nil
	}
	var conds []string
	var args []any
	if !sc.role.ReadsMedicalReports() {
		conds = append(conds, `c.record_id NOT IN (`+medicalReportsSQL+`)`)
		args = append(args, caseID, caseID)
	}
	if !sc.role.CanReadDecisions() {
		conds = append(conds, `c.kind <> 'decision'`)
	}
	if len(conds) == 0 {
		return `1 = 1`, nil, nil
	}
	return strings.Join(conds, " AND "), args, nil
}

// Search runs a query over a case. See caseroom.SearchService.
func (db *DB) Search(ctx context.Context, caseID string, req caseroom.SearchRequest) (*caseroom.SearchResult, error) {
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if err := db.catchUpSearch(ctx, caseID); err != nil {
		return nil, err
	}
	// Every read of the search is of one snapshot, on one connection: a consistent
	// result, and on SQLite one start of a read after the last write, which empties
	// the connection's page cache (and its map of the file), instead of one per query.
	rd, err := db.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	z, err := db.caseZone(ctx, rd, caseID)
	if err != nil {
		return nil, err
	}
	loc := z.loc
	an := fulltext.Analyzer{Region: z.region}
	q, err := an.Parse(req.Query, searchKinds())
	if err != nil {
		var qe *fulltext.QueryError
		if errors.As(err, &qe) {
			return nil, caseroom.Errorf(caseroom.EINVALID, "q: %s", qe.Message)
		}
		return nil, err
	}
	limit := req.Limit
	switch {
	case limit == 0:
		limit = caseroom.SearchDefaultLimit
	case limit < 0 || limit > caseroom.SearchMaxLimit:
		return nil, caseroom.Errorf(caseroom.EINVALID, "limit: give 1 to %d", caseroom.SearchMaxLimit)
	}
	offset := 0
	if req.After != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(req.After, "o"))
		if err != nil || n < 0 || !strings.HasPrefix(req.After, "o") {
			return nil, caseroom.Errorf(caseroom.EINVALID, "after: %q is not the next of a page of this search", req.After)
		}
		offset = n
	}

	// The filters.
	conds, args := []string{`c.case_id = ?`}, []any{caseID}
	if len(q.Kinds) > 0 {
		var kinds []any
		for _, k := range q.Kinds {
			if k == "document" {
				for _, d := range caseroom.DocumentKinds {
					kinds = append(kinds, string(d))
				}
				continue
			}
			kinds = append(kinds, k)
		}
		conds, args = append(conds, `c.kind IN (`+placeholders(len(kinds))+`)`), append(args, kinds...)
	}
	if q.By != "" {
		id, err := resolvePerson(ctx, rd, caseID, q.By)
		if err == nil && !sc.seesPerson(id) {
			err = personNotFound(q.By)
		}
		if err != nil {
			return nil, caseroom.Errorf(caseroom.EINVALID, "q: by:%s: %s", q.By, caseroom.ErrorMessage(err))
		}
		conds, args = append(conds, `c.giver_id = ?`), append(args, id)
	}
	if q.Ref != "" {
		conds, args = append(conds, `c.ref = ?`), append(args, strings.ToUpper(q.Ref))
	}
	if !q.From.IsZero() {
		conds, args = append(conds, `c.at >= ?`), append(args, formatTime(q.From.Start(loc)))
	}
	if !q.To.IsZero() {
		conds, args = append(conds, `c.at < ?`), append(args, formatTime(q.To.End(loc)))
	}
	scopeCond, scopeArgs, err := db.searchScope(ctx, caseID, sc)
	if err != nil {
		return nil, err
	}
	conds, args = append(conds, scopeCond), append(args, scopeArgs...)

	// Victims' name keys: asked for keyed by those who may reveal identities, hidden
	// in snippets from anyone else.
	victims, err := victimTerms(ctx, rd, caseID)
	if err != nil {
		return nil, err
	}
	v := db.v()
	reveals := sc.role.CanSeeIdentities()
	rw := func(key string) string {
		if reveals && len(victims) > 0 {
			if tok := termToken(v, key); victims[tok] {
				return keyedTerm(tok)
			}
		}
		return fulltext.Stored(key)
	}

	res := &caseroom.SearchResult{Query: req.Query, Hits: []*caseroom.SearchHit{}, Persons: []*caseroom.SearchHit{},
		Media: []*caseroom.SearchHit{}, Facets: caseroom.SearchFacets{Kind: []caseroom.SearchFacet{}, Month: []caseroom.SearchFacet{}}}
	// The matching chunks are found and scored once, into a materialized set, and one
	// statement returns both the counts by kind and month (a record has one kind and
	// one month, so the distinct records of the groups add up to the total) and the
	// page's rows, best first (a query of filters alone, newest first).
	where := strings.Join(conds, " AND ")
	source, sargs := `SELECT `+searchChunkSelect+`, 0 AS score FROM search_chunks c WHERE c.chunk = 0`, []any(nil)
	if q.Positive() {
		source, sargs = db.dialect.searchMatch(q, rw, true)
	}
	matched := `WITH m AS MATERIALIZED (SELECT c.record_id, c.chunk, c.kind, c.month, c.at, c.score FROM (` + source + `) c WHERE ` + where + `)
		SELECT 0, kind, month, COUNT(*), SUM(CASE WHEN chunk > 0 THEN 1 ELSE 0 END), '', 0.0 FROM m GROUP BY kind, month
		UNION ALL
		SELECT * FROM (SELECT 1, kind, '', 0, 0, record_id, score FROM m ORDER BY score DESC, at DESC, record_id LIMIT ?) p`
	byKind, byMonth := map[string]int{}, map[string]int{}
	type found struct {
		id, kind string
		score    float64
	}
	var page []found
	// A long record has several chunks: rows are read in order until the page has its
	// records, the best chunk of each counting; when a later chunk matched, the
	// records are counted distinct, by a query of their own.
	later := 0
	for want, first := offset+limit+1, true; ; want, first = want*4, false {
		page = page[:0]
		seen, skipped, rows := map[string]bool{}, 0, 0
		err = scanEach(ctx, rd, matched, append(append(append([]any{}, sargs...), args...), want), func(scan func(...any) error) error {
			var part, n, l int
			var f found
			var month string
			if err := scan(&part, &f.kind, &month, &n, &l, &f.id, &f.score); err != nil {
				return err
			}
			if part == 0 {
				if first {
					byKind[f.kind] += n
					byMonth[month] += n
					res.Total += n
					later += l
				}
				return nil
			}
			rows++
			if seen[f.id] {
				return nil
			}
			seen[f.id] = true
			if skipped < offset {
				skipped++
				return nil
			}
			page = append(page, f)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if len(page) > limit || rows < want {
			break
		}
	}
	if len(page) > limit {
		page = page[:limit]
		res.Next = "o" + strconv.Itoa(offset+limit)
	}
	if later > 0 {
		clear(byKind)
		clear(byMonth)
		res.Total = 0
		err = scanEach(ctx, rd, `SELECT c.kind, c.month, COUNT(DISTINCT c.record_id) FROM (`+source+`) c WHERE `+where+` GROUP BY c.kind, c.month`,
			append(append([]any{}, sargs...), args...), func(scan func(...any) error) error {
				var kind, month string
				var n int
				if err := scan(&kind, &month, &n); err != nil {
					return err
				}
				byKind[kind] += n
				byMonth[month] += n
				res.Total += n
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("search counts: %w", err)
		}
	}
	res.Facets.Kind, res.Facets.Month = facetList(byKind, false), facetList(byMonth, true)

	// The page's records, with their snippets.
	match := queryMatcher(q)
	var hide func(string) bool
	if !reveals && len(victims) > 0 {
		hide = func(key string) bool { return victims[termToken(v, key)] }
	}
	for _, f := range page {
		hit, err := db.searchHit(ctx, rd, caseID, f.kind, f.id, an, match, hide)
		if err != nil {
			return nil, err
		}
		if hit != nil {
			hit.Score = f.score
			res.Hits = append(res.Hits, hit)
		}
	}
	if req.After == "" {
		if res.Persons, err = db.searchPersonHits(ctx, rd, caseID, q, sc); err != nil {
			return nil, err
		}
		if res.Media, err = db.searchMediaHits(ctx, rd, caseID, q, sc); err != nil {
			return nil, err
		}
	}
	if err := db.auditSearch(ctx, caseID, req.Query, res.Total+len(res.Persons)+len(res.Media)); err != nil {
		return nil, err
	}
	return res, nil
}

// queryMatcher says whether a key of a text matches one of the query's words that must
// be found.
func queryMatcher(q *fulltext.Query) func(string) bool {
	exact := map[string]bool{}
	var prefixes []string
	for _, t := range q.Terms {
		if t.Not {
			continue
		}
		for i, k := range t.Keys {
			if t.Prefix && i == len(t.Keys)-1 {
				prefixes = append(prefixes, k)
			} else {
				exact[k] = true
			}
		}
	}
	return func(key string) bool {
		if exact[key] {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(key, p) {
				return true
			}
		}
		return false
	}
}

// facetList orders a facet's counts: by count, most first (by value for months, newest
// first).
func facetList(m map[string]int, byValue bool) []caseroom.SearchFacet {
	out := make([]caseroom.SearchFacet, 0, len(m))
	for v, n := range m {
		out = append(out, caseroom.SearchFacet{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if byValue {
			return out[i].Value > out[j].Value
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// searchHit loads one found record as a hit, or nil if it is gone.
func (db *DB) searchHit(ctx context.Context, q querier, caseID, kind, id string, an fulltext.Analyzer, match, hide func(string) bool) (*caseroom.SearchHit, error) {
	e, ok, err := db.searchEntryByKind(ctx, q, caseID, kind, id)
	if err != nil || !ok {
		return nil, err
	}
	at := e.at
	title, _, _ := strings.Cut(e.text, "\n") // the title, an action's or decision's first line
	hit := &caseroom.SearchHit{Kind: e.kind, ID: e.recordID, Ref: e.ref, Title: fulltext.Clip(title, 200), Date: &at,
		Snippet: an.Snippet(e.text, match, hide)}
	if e.giver != "" {
		labels, err := personLabels(ctx, q, db.v(), caseID, []string{e.giver})
		if err != nil {
			return nil, err
		}
		hit.Giver = labels[e.giver]
	}
	return hit, nil
}

// searchPersonHits returns the persons the query's words name, as the reader may see
// them: by pseudonym, blind-indexed name tokens and identifiers (as the persons list's
// search), and by the keys of their names (spelling variants and scripts). A victim is
// found by name only by a member who may reveal them.
func (db *DB) searchPersonHits(ctx context.Context, q querier, caseID string, fq *fulltext.Query, sc *scope) ([]*caseroom.SearchHit, error) {
	out := []*caseroom.SearchHit{}
	words := strings.TrimSpace(strings.Join(fq.Words(), " "))
	if words == "" {
		return out, nil
	}
	ids := map[string]bool{}
	if len(words) <= 300 && len(vault.NameTokens(words)) <= 12 {
		hits, _, err := db.lookupPersons(ctx, caseID, words, sc.role, sc.actor)
		if err != nil && caseroom.ErrorCode(err) != caseroom.EINVALID {
			return nil, err
		}
		for id := range hits {
			ids[id] = true
		}
	}
	// By keys: every key of the words among the person's name keys.
	keys := map[string]bool{}
	for _, t := range fq.Terms {
		if !t.Not && !t.Prefix {
			for _, k := range t.Keys {
				keys[k] = true
			}
		}
	}
	if n := len(keys); n > 0 && n <= 12 {
		args := []any{caseID}
		for k := range keys {
			args = append(args, termToken(db.v(), k))
		}
		args = append(args, n)
		err := scanEach(ctx, q, `SELECT t.person_id, MAX(t.victim), MAX(s.recorded_by) FROM search_person_terms t JOIN persons s ON s.id = t.person_id
			WHERE t.case_id = ? AND t.token IN (`+placeholders(n)+`) GROUP BY t.person_id HAVING COUNT(DISTINCT t.token) = ?`, args,
			func(scan func(...any) error) error {
				var id, recorder string
				var victim int
				if err := scan(&id, &victim, &recorder); err != nil {
					return err
				}
				if victim == 0 || sc.role.CanSeeIdentities() || (recorder == sc.actor.Name && sc.role.CanRecord()) {
					ids[id] = true
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("search persons by name keys: %w", err)
		}
	}
	var list []string
	for id := range ids {
		if sc.seesPerson(id) {
			list = append(list, id)
		}
	}
	if len(list) == 0 {
		return out, nil
	}
	sort.Strings(list)
	labels, err := personLabels(ctx, q, db.v(), caseID, list)
	if err != nil {
		return nil, err
	}
	for _, id := range list {
		out = append(out, &caseroom.SearchHit{Kind: "person", ID: id, Ref: labels[id], Title: labels[id]})
	}
	return out, nil
}

// searchMediaHits returns the media records whose SHA-256, SHA-1 or MD5 begins with a
// word of the query (at least 8 hex digits), for the members who read exhibits.
func (db *DB) searchMediaHits(ctx context.Context, q querier, caseID string, fq *fulltext.Query, sc *scope) ([]*caseroom.SearchHit, error) {
	out := []*caseroom.SearchHit{}
	if !sc.all() {
		return out, nil
	}
	for _, w := range fq.Words() {
		w = strings.ToLower(strings.TrimSpace(w))
		if len(w) < 8 || len(w) > 64 || strings.Trim(w, "0123456789abcdef") != "" {
			continue
		}
		err := scanEach(ctx, q, `SELECT m.id, x.ref, m.path, m.ingested_at FROM media m JOIN exhibits x ON x.id = m.exhibit_id JOIN contents k ON k.sha256 = m.sha256
			WHERE m.case_id = ? AND (m.sha256 LIKE ? OR k.sha1 LIKE ? OR k.md5 LIKE ?) ORDER BY m.entry, m.id LIMIT 50`,
			[]any{caseID, w + "%", w + "%", w + "%"}, func(scan func(...any) error) error {
				var id, ref, path, at string
				if err := scan(&id, &ref, &path, &at); err != nil {
					return err
				}
				hit := &caseroom.SearchHit{Kind: "media", ID: id, Ref: ref, Title: path}
				if t, err := parseTime(at); err == nil {
					hit.Date = &t
				}
				out = append(out, hit)
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("search media: %w", err)
		}
	}
	return out, nil
}

// auditSearch records a search: the query sealed, how many were found, under the
// audit entry search.
func (db *DB) auditSearch(ctx context.Context, caseID, query string, found int) error {
	return db.write(ctx, func(tx *Tx) error {
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		id := newID("srch")
		sealed, err := tx.db.v().Seal(query, sealContext("searches", "query", id))
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO searches (id, case_id, query, found, searched_by, searched_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, sealed, found, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("record search: %w", err)
		}
		return tx.appendAudit(seq, "search", "search", id, caseID)
	})
}

// Reindex rebuilds the search index. See caseroom.SearchService.
func (db *DB) Reindex(ctx context.Context) (*caseroom.ReindexReport, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !actor.Admin && !actor.IsConsole() {
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator rebuilds the search index.")
	}
	return db.reindex(caseroom.NewContextWithUser(ctx, caseroom.Console))
}

// reindexBatch is how many records one transaction of a rebuild indexes.
const reindexBatch = 2000

// reindex empties the index and indexes every record again, case by case, in
// transactions of reindexBatch records, then records the version of the terms. A
// rebuild cut short leaves no version, and the next start rebuilds again.
func (db *DB) reindex(ctx context.Context) (*caseroom.ReindexReport, error) {
	db.indexer.rebuilding.Store(true)
	defer db.indexer.rebuilding.Store(false)
	db.indexer.mu.Lock()
	defer db.indexer.mu.Unlock()
	start := time.Now()
	rep := &caseroom.ReindexReport{}
	err := db.writeAlone(ctx, func(tx *Tx) error {
		if err := tx.db.dialect.clearSearch(tx); err != nil {
			return err
		}
		for _, t := range []string{"search_person_terms", "search_meta"} {
			if err := tx.exec(`DELETE FROM ` + t); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reindex: %w", err)
	}
	var cases []string
	err = scanEach(ctx, db.reader(), `SELECT id FROM cases ORDER BY id`, nil, func(scan func(...any) error) error {
		var id string
		err := scan(&id)
		cases = append(cases, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, caseID := range cases {
		n, p, err := db.reindexCase(ctx, caseID)
		if err != nil {
			return nil, fmt.Errorf("reindex case %s: %w", caseID, err)
		}
		rep.Cases++
		rep.Records += n
		rep.Persons += p
	}
	err = db.writeAlone(ctx, func(tx *Tx) error {
		return tx.exec(`INSERT INTO search_meta (name, value) VALUES ('version', ?)`, names.Version())
	})
	if err != nil {
		return nil, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// reindexCase indexes one case: its persons' name keys first (so that victims' names
// are withheld from the texts), then its records.
func (db *DB) reindexCase(ctx context.Context, caseID string) (records, persons int, err error) {
	rd := db.reader()
	type person struct {
		id     string
		victim bool
	}
	var ps []person
	err = scanEach(ctx, rd, `SELECT p.id, (SELECT COUNT(*) FROM person_roles r WHERE r.person_id = p.id AND r.role = 'victim') FROM persons p WHERE p.case_id = ? ORDER BY p.id`,
		[]any{caseID}, func(scan func(...any) error) error {
			var p person
			var n int
			err := scan(&p.id, &n)
			p.victim = n > 0
			ps = append(ps, p)
			return err
		})
	if err != nil {
		return 0, 0, err
	}
	for len(ps) > 0 {
		batch := ps[:min(len(ps), reindexBatch)]
		ps = ps[len(batch):]
		err := db.writeAlone(ctx, func(tx *Tx) error {
			for _, p := range batch {
				clear, err := personNamesInClear(ctx, tx, tx.db.v(), p.id)
				if err != nil {
					return err
				}
				var keys []string
				for _, n := range clear {
					keys = append(keys, searchKeys(n)...)
				}
				if err := tx.addPersonTerms(caseID, p.id, keys, p.victim, false); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, 0, err
		}
		persons += len(batch)
	}

	// The small kinds whole, documents in batches by entry.
	var small []searchEntry
	as, err := loadActions(ctx, rd, db.v(), caseID, "")
	if err != nil {
		return 0, 0, err
	}
	for _, a := range as {
		small = append(small, actionSearchEntry(a))
	}
	ds, err := loadDecisions(ctx, rd, caseID, "", nil)
	if err != nil {
		return 0, 0, err
	}
	for _, d := range ds {
		small = append(small, decisionSearchEntry(d))
	}
	xs, err := db.loadExhibits(ctx, rd, caseID, "")
	if err != nil {
		return 0, 0, err
	}
	for _, x := range xs {
		small = append(small, exhibitSearchEntry(x))
	}
	if err := db.indexEntries(ctx, small); err != nil {
		return 0, 0, err
	}
	records = len(small)
	after := int64(-1)
	for {
		entries, last, err := documentEntries(ctx, rd, caseID, `d.entry > ? ORDER BY d.entry, d.id LIMIT ?`, []any{after, reindexBatch})
		if err != nil {
			return 0, 0, err
		}
		if len(entries) == 0 {
			return records, persons, nil
		}
		if err := db.indexEntries(ctx, entries); err != nil {
			return 0, 0, err
		}
		records += len(entries)
		after = last
	}
}

// indexEntries indexes entries in one transaction of their own, replacing what the
// index holds of them: a record registered while the rebuild runs is queued, and the
// indexer indexes it again after the rebuild, replacing what the rebuild wrote.
func (db *DB) indexEntries(ctx context.Context, entries []searchEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return db.writeAlone(ctx, func(tx *Tx) error {
		for _, e := range entries {
			if err := tx.writeSearchEntry(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// ensureSearchIndex rebuilds the index at start-up if it was built with other terms
// than this build writes (or never finished).
func (db *DB) ensureSearchIndex(ctx context.Context) error {
	var version string
	err := db.reader().QueryRowContext(ctx, `SELECT value FROM search_meta WHERE name = 'version'`).Scan(&version)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("search index version: %w", err)
	}
	if version == names.Version() {
		return nil
	}
	_, err = db.reindex(caseroom.NewContextWithUser(ctx, caseroom.Console))
	return err
}
