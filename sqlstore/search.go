package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"caseroom"
	"caseroom/fulltext"
	"caseroom/names"
	"caseroom/vault"
)

// The search index (migration 0020) holds, for each searchable record, its terms in
// chunks (fulltext.Chunks), each with the record's fields the filters read, written by
// the store's indexer from the queue the record's own transaction adds it to (see
// search_queue.go). It is derived from the records: `caseroom search
// reindex` (Reindex) rebuilds it, and a store whose index was built with other terms
// (names.Version) is rebuilt at start-up.
//
// Victims' names are never indexed in clear. A key of a document's text that is a key
// of a victim's name or alias (search_person_terms with victim 1) is stored as a keyed
// token, "__" and the first 20 hex digits of its blind index (field 'term'), which
// nothing can make from the word without the vault's index key. A search by a member
// who may reveal identities (caseroom.Role.CanSeeIdentities) asks for the keyed token
// of such a key, and finds the texts; anyone else's search asks for the clear key and
// does not. When a person gains a name, an alias or the victim role, the indexer
// indexes again the case's texts that hold the name's keys in clear.

// searchEntry is what the index holds of one record.
type searchEntry struct {
	recordID, caseID, kind, ref string
	at                          time.Time
	giver, registeredBy         string
	// text is everything searchable of the record, its title first.
	text string
	// month is at's month in the case's time zone, set when indexed.
	month string
}

// searchCase is what indexing a case's texts needs, loaded once per transaction.
type searchCase struct {
	analyzer fulltext.Analyzer
	loc      *time.Location
	// victimTokens are the blind tokens of the victims' name keys.
	victimTokens map[string]bool
}

// searchCase returns the case's indexing state, cached in the transaction.
func (tx *Tx) searchCase(caseID string) (*searchCase, error) {
	if sc := tx.searchCases[caseID]; sc != nil {
		return sc, nil
	}
	z, err := tx.db.caseZone(tx.ctx, tx, caseID)
	if err != nil {
		return nil, err
	}
	victims, err := victimTerms(tx.ctx, tx, caseID)
	if err != nil {
		return nil, err
	}
	sc := &searchCase{analyzer: fulltext.Analyzer{Region: z.region}, loc: z.loc, victimTokens: victims}
	if tx.searchCases == nil {
		tx.searchCases = map[string]*searchCase{}
	}
	tx.searchCases[caseID] = sc
	return sc, nil
}

// victimTerms returns the blind tokens of the keys of the case's victims' names.
func victimTerms(ctx context.Context, q querier, caseID string) (map[string]bool, error) {
	out := map[string]bool{}
	err := scanEach(ctx, q, `SELECT token FROM search_person_terms WHERE case_id = ? AND victim = 1`, []any{caseID},
		func(scan func(...any) error) error {
			var t string
			err := scan(&t)
			out[t] = true
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("victims' name terms: %w", err)
	}
	return out, nil
}

// caseZone is a case's time zone and the phone region it implies.
type caseZone struct {
	loc    *time.Location
	region string
}

// caseZone returns the case's zone, cached: a case's time zone is set when it is
// opened and never changes.
func (db *DB) caseZone(ctx context.Context, q querier, caseID string) (*caseZone, error) {
	if z, ok := db.zones.Load(caseID); ok {
		return z.(*caseZone), nil
	}
	region, err := caseRegion(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	loc, err := caseLocation(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	z := &caseZone{loc: loc, region: region}
	db.zones.Store(caseID, z)
	return z, nil
}

// termToken is the blind index of a search key, as search_person_terms holds it.
func termToken(v *vault.Vault, key string) string { return v.BlindIndex("term", key) }

// keyedTerm is the stored form of a withheld key: "__" and 20 hex digits of its blind
// token (80 bits), of the index's alphabet.
func keyedTerm(token string) string { return "__" + token[:20] }

// storedTerms returns the terms of a text as the index stores them, victims' name
// keys keyed.
func (sc *searchCase) storedTerms(v *vault.Vault, text string) []string {
	terms := sc.analyzer.Terms(text)
	out := make([]string, len(terms))
	keyed := map[string]string{}
	for i, t := range terms {
		if len(sc.victimTokens) == 0 {
			out[i] = fulltext.Stored(t.Key)
			continue
		}
		s, ok := keyed[t.Key]
		if !ok {
			s = fulltext.Stored(t.Key)
			if tok := termToken(v, t.Key); sc.victimTokens[tok] {
				s = keyedTerm(tok)
			}
			keyed[t.Key] = s
		}
		out[i] = s
	}
	return out
}

// searchIndexing is off only in a benchmark that times writes without the index.
var searchIndexing = true

// entryChunks returns the chunks of an entry's stored terms, and sets its month.
func (sc *searchCase) entryChunks(v *vault.Vault, e *searchEntry) [][]string {
	e.month = e.at.In(sc.loc).Format("2006-01")
	return fulltext.Chunks(sc.storedTerms(v, e.text))
}

// writeSearchEntry indexes a record in this transaction, replacing what the index held
// of it (for a rebuild, and for the indexer's texts that name a victim).
func (tx *Tx) writeSearchEntry(e searchEntry) error {
	sc, err := tx.searchCase(e.caseID)
	if err != nil {
		return err
	}
	if err := tx.db.dialect.deleteChunks(tx, e.recordID); err != nil {
		return err
	}
	return tx.insertChunks(&e, sc.entryChunks(tx.db.v(), &e))
}

// insertChunks stores an entry's chunks.
func (tx *Tx) insertChunks(e *searchEntry, chunks [][]string) error {
	for i, chunk := range chunks {
		if err := tx.db.dialect.insertChunk(tx, e, i, chunk); err != nil {
			return fmt.Errorf("index %s: %w", e.ref, err)
		}
	}
	return nil
}

// chunkArgs are the values of searchChunkColumns for chunk i of the entry.
func (e *searchEntry) chunkArgs(i int) []any {
	return []any{e.recordID, i, e.caseID, e.kind, e.ref, formatTime(e.at), e.month, e.giver, e.registeredBy}
}

// joinSearchText joins the searchable parts of a record, empty parts left out.
func joinSearchText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	return b.String()
}

// documentSearchEntry is the index entry of a document: its title, text, the reason
// it corrects another and the circumstances it retracts one in.
func documentSearchEntry(d *caseroom.Document) searchEntry {
	e := searchEntry{recordID: d.ID, caseID: d.CaseID, kind: string(d.Kind), ref: d.Ref, at: d.RegisteredAt,
		registeredBy: d.RegisteredBy}
	circumstances := ""
	if d.Retraction != nil {
		circumstances = d.Retraction.Circumstances
	}
	if d.Statement != nil {
		e.giver = d.Statement.Giver
		if !d.Statement.RecordedAt.IsZero() {
			e.at = d.Statement.RecordedAt
		}
	}
	e.text = joinSearchText(d.Title, d.Text, d.CorrectionReason, circumstances)
	return e
}

// documentEntries loads the index entries of a case's documents that filter (a
// condition on documents d, with args) selects, in order of entry, with the entry of
// the last; a lean read of the columns the index needs.
func documentEntries(ctx context.Context, q querier, caseID, filter string, args []any) ([]searchEntry, int64, error) {
	var out []searchEntry
	var last int64
	err := scanEach(ctx, q, `SELECT d.id, d.kind, d.ref, d.title, d.body, d.correction_reason, d.registered_by, d.registered_at,
			COALESCE(s.giver_id, ''), COALESCE(s.recorded_at, ''), COALESCE(r.circumstances, ''), d.entry
		FROM documents d LEFT JOIN statements s ON s.document_id = d.id LEFT JOIN retractions r ON r.document_id = d.id
		WHERE d.case_id = ? AND `+filter, append([]any{caseID}, args...),
		func(scan func(...any) error) error {
			e := searchEntry{caseID: caseID}
			var title, body, reason, registered, recorded, circumstances string
			if err := scan(&e.recordID, &e.kind, &e.ref, &title, &body, &reason, &e.registeredBy, &registered, &e.giver, &recorded, &circumstances, &last); err != nil {
				return err
			}
			at := registered
			if recorded != "" {
				at = recorded
			}
			t, err := parseTime(at)
			if err != nil {
				return err
			}
			e.at = t
			e.text = joinSearchText(title, body, reason, circumstances)
			out = append(out, e)
			return nil
		})
	if err != nil {
		return nil, 0, fmt.Errorf("documents to index: %w", err)
	}
	return out, last, nil
}

// actionSearchEntry is the index entry of an action: its title and the reasons given
// in its history (referred back, cancelled).
func actionSearchEntry(a *caseroom.Action) searchEntry {
	parts := []string{a.Title}
	for _, ev := range a.History {
		parts = append(parts, ev.Reason)
	}
	return searchEntry{recordID: a.ID, caseID: a.CaseID, kind: "action", ref: a.Ref, at: a.RaisedAt,
		registeredBy: a.RaisedBy, text: joinSearchText(parts...)}
}

// decisionSearchEntry is the index entry of a decision of the lead's log.
func decisionSearchEntry(d *caseroom.Decision) searchEntry {
	return searchEntry{recordID: d.ID, caseID: d.CaseID, kind: "decision", ref: fmt.Sprintf("D-%d", d.Number),
		at: d.DecidedAt, registeredBy: d.DecidedBy, text: joinSearchText(d.Decision, d.Rationale)}
}

// exhibitSearchEntry is the index entry of an exhibit: its reference, description and
// the place it was seized.
func exhibitSearchEntry(x *caseroom.Exhibit) searchEntry {
	return searchEntry{recordID: x.ID, caseID: x.CaseID, kind: "exhibit", ref: x.Ref, at: x.SeizedAt,
		registeredBy: x.RegisteredBy, text: joinSearchText(x.Ref+" "+x.Description, x.Place)}
}

// indexPersonName records the search keys of a person's name or alias and, if the
// person is a victim and a key is new to the case's victims, indexes again the case's
// texts that hold it in clear.
func (tx *Tx) indexPersonName(caseID, personID, name string) error {
	victim, err := tx.isVictim(personID)
	if err != nil {
		return err
	}
	return tx.addPersonTerms(caseID, personID, searchKeys(name), victim, true)
}

// searchKeys returns the distinct keys of a name's words.
func searchKeys(name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range names.Words(name) {
		for _, k := range names.Key(w.Folded) {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

func (tx *Tx) isVictim(personID string) (bool, error) {
	var n int
	if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM person_roles WHERE person_id = ? AND role = ?`, personID, string(caseroom.PersonVictim)).Scan(&n); err != nil {
		return false, fmt.Errorf("victim role: %w", err)
	}
	return n > 0, nil
}

// addPersonTerms stores the person's keys not stored yet and, for a victim, if
// withhold, withholds the keys from the case's texts (a rebuild of the index, which
// indexes the texts after the persons, does not).
func (tx *Tx) addPersonTerms(caseID, personID string, keys []string, victim, withhold bool) error {
	v := tx.db.v()
	for _, k := range keys {
		tok := termToken(v, k)
		var n int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM search_person_terms WHERE person_id = ? AND token = ?`, personID, tok).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if err := tx.exec(`INSERT INTO search_person_terms (case_id, person_id, token, victim) VALUES (?, ?, ?, ?)`, caseID, personID, tok, boolInt(victim)); err != nil {
				return fmt.Errorf("person terms: %w", err)
			}
		}
	}
	if !victim || !withhold || len(keys) == 0 {
		return nil
	}
	return tx.queueForSearch(caseID, personID, searchWithhold)
}

// markVictimTerms makes a person's stored keys a victim's, when the person gains the
// victim role, and withholds them from the case's texts. names are the person's names
// and aliases in clear.
func (tx *Tx) markVictimTerms(caseID, personID string, allNames []string) error {
	if err := tx.exec(`UPDATE search_person_terms SET victim = 1 WHERE person_id = ?`, personID); err != nil {
		return fmt.Errorf("victim terms: %w", err)
	}
	var keys []string
	for _, n := range allNames {
		keys = append(keys, searchKeys(n)...)
	}
	return tx.addPersonTerms(caseID, personID, keys, true, true)
}

// searchEntryOf loads the index entry of an indexed record from the record itself.
func (tx *Tx) searchEntryOf(caseID, recordID string) (searchEntry, bool, error) {
	var kind string
	err := tx.QueryRowContext(tx.ctx, `SELECT kind FROM search_chunks WHERE record_id = ? AND chunk = 0`, recordID).Scan(&kind)
	if isNoRows(err) {
		return searchEntry{}, false, nil
	} else if err != nil {
		return searchEntry{}, false, err
	}
	return tx.db.searchEntryByKind(tx.ctx, tx, caseID, kind, recordID)
}

// searchEntryByKind loads a record of a kind (as search_chunks names it) and returns
// its entry; ok false if it does not exist.
func (db *DB) searchEntryByKind(ctx context.Context, q querier, caseID, kind, id string) (searchEntry, bool, error) {
	v := db.v()
	switch kind {
	case "action":
		as, err := loadActions(ctx, q, v, caseID, id)
		if err != nil || len(as) == 0 {
			return searchEntry{}, false, err
		}
		return actionSearchEntry(as[0]), true, nil
	case "decision":
		ds, err := loadDecisions(ctx, q, caseID, `id = ?`, id)
		if err != nil || len(ds) == 0 {
			return searchEntry{}, false, err
		}
		return decisionSearchEntry(ds[0]), true, nil
	case "exhibit":
		xs, err := db.loadExhibits(ctx, q, caseID, id)
		if err != nil || len(xs) == 0 {
			return searchEntry{}, false, err
		}
		return exhibitSearchEntry(xs[0]), true, nil
	}
	es, _, err := documentEntries(ctx, q, caseID, `d.id = ?`, []any{id})
	if err != nil || len(es) == 0 {
		return searchEntry{}, false, err
	}
	return es[0], true, nil
}

// personNamesInClear opens a person's names and aliases.
func personNamesInClear(ctx context.Context, q querier, v *vault.Vault, personID string) ([]string, error) {
	var out []string
	for _, t := range []struct{ table, column string }{{"person_names", "name"}, {"person_aliases", "alias"}} {
		err := scanEach(ctx, q, `SELECT id, `+t.column+` FROM `+t.table+` WHERE person_id = ?`, []any{personID},
			func(scan func(...any) error) error {
				var id, sealed string
				if err := scan(&id, &sealed); err != nil {
					return err
				}
				clear, err := v.Open(sealed, sealContext(t.table, t.column, id))
				if err != nil {
					return fmt.Errorf("open %s %s: %w", t.column, id, err)
				}
				out = append(out, clear)
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
