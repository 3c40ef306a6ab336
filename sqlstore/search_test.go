package sqlstore_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/sqlstore"
)

func hitRefs(hits []*caseroom.SearchHit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Ref)
	}
	slices.Sort(out)
	return out
}

func (f *fixture) search(q string) *caseroom.SearchResult {
	f.t.Helper()
	res, err := f.s.DB.Search(f.ctx, f.c.ID, caseroom.SearchRequest{Query: q})
	if err != nil {
		f.t.Fatalf("search %q: %v", q, err)
	}
	return res
}

// searchCase is a case with three statements, a report and an action, as the
// acceptance check builds it.
type searchCase struct {
	*fixture
	v1, v2          *caseroom.Person
	s1, s2, s3, rep *caseroom.Document
	act             *caseroom.Action
}

func newSearchCase(t *testing.T, s *testStore) *searchCase {
	f := newFixture(t, s, "lena", "Operation Lantern")
	sc := &searchCase{fixture: f}
	sc.v1, sc.v2 = f.victim(f.ctx, "Client Child"), f.victim(f.ctx, "Other Child")
	st := func(giver *caseroom.Person, title, text string, day int) *caseroom.Document {
		at := time.Date(2015, 8, day, 10, 0, 0, 0, time.UTC)
		return f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: title, Text: text, Giver: giver.ID, RecordedAt: &at})
	}
	sc.s1 = st(sc.v1, "Statement one", "The man they call Pappu took us to the tubewell near Husain Khan Wala at night.", 1)
	sc.s2 = st(sc.v2, "Statement two", "Pappu and two others waited by the canal with a camera. He called from 0300-1234567.", 2)
	sc.s3 = st(sc.v2, "Statement three", "Nothing about that man here, only the bus stop in بستی قندیل پور.", 3)
	sc.rep = f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Visit to Basti Qandeelpur", Text: "The team visited the village of Basti Qandeelpur; the canal bank was searched."})
	var err error
	sc.act, err = s.DB.RaiseAction(f.ctx, f.c.ID, caseroom.NewAction{Kind: caseroom.ActionTraceIdentifier, Title: "Trace the man called Pappu"})
	if err != nil {
		t.Fatalf("raise action: %v", err)
	}
	return sc
}

func TestSearch(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		c := newSearchCase(t, s)
		for _, tt := range []struct {
			q    string
			want []string
		}{
			{"pappu", []string{"A-1", c.s1.Ref, c.s2.Ref}},
			{"PAPPU kind:statement", []string{c.s1.Ref, c.s2.Ref}},
			{"pappu -camera", []string{"A-1", c.s1.Ref}},
			{`"two others"`, []string{c.s2.Ref}},
			{`"others two"`, []string{}},
			{"pap*", []string{"A-1", c.s1.Ref, c.s2.Ref}},
			{"حسین خانوالا", []string{c.s1.Ref}},
			{"Hussain Khanwala", []string{c.s1.Ref}},
			{"Basti Qandeelpur", []string{c.rep.Ref, c.s3.Ref}},
			{"بستی قندیل پور", []string{c.rep.Ref, c.s3.Ref}},
			{"canal from:2015-08-02 to:2015-08", []string{c.s2.Ref}},
			{"canal ref:" + c.rep.Ref, []string{c.rep.Ref}},
			{"by:" + c.v2.Pseudonym, []string{c.s2.Ref, c.s3.Ref}},
			{"03001234567", []string{c.s2.Ref}},
			{"+92 300 1234567", []string{c.s2.Ref}},
			{"nosuchword", []string{}},
		} {
			if got := hitRefs(c.search(tt.q).Hits); !slices.Equal(got, sortedCopy(tt.want)) {
				t.Errorf("search %q = %v, want %v", tt.q, got, sortedCopy(tt.want))
			}
		}
		res := c.search("pappu")
		if res.Total != 3 {
			t.Errorf("total = %d, want 3", res.Total)
		}
		var snip string
		for _, h := range res.Hits {
			if h.Ref == c.s1.Ref {
				snip = h.Snippet
				if h.Giver != c.v1.Pseudonym {
					t.Errorf("giver = %q, want %q", h.Giver, c.v1.Pseudonym)
				}
			}
		}
		if !strings.Contains(snip, "<mark>Pappu</mark>") {
			t.Errorf("snippet %q does not mark Pappu", snip)
		}
		kinds := map[string]int{}
		for _, f := range res.Facets.Kind {
			kinds[f.Value] = f.Count
		}
		if kinds["statement"] != 2 || kinds["action"] != 1 {
			t.Errorf("kind facets = %v", res.Facets.Kind)
		}
		for _, bad := range []string{"", `"unbalanced`, "kind:nosuchkind pappu", "from:2015-13-45 pappu", "nosuch:x", strings.Repeat("a", 1200), "-pappu"} {
			_, err := s.DB.Search(c.ctx, c.c.ID, caseroom.SearchRequest{Query: bad})
			checkError(t, err, caseroom.EINVALID, "q")
		}
	})
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}

// searchAs runs a search acting as u.
func (f *fixture) searchAs(u *caseroom.User, q string) *caseroom.SearchResult {
	f.t.Helper()
	res, err := f.s.DB.Search(as(u), f.c.ID, caseroom.SearchRequest{Query: q})
	if err != nil {
		f.t.Fatalf("search %q as %s: %v", q, u.Name, err)
	}
	return res
}

// TestSearchNeedToKnow: what a member may not read is never found, counted or shown.
func TestSearchNeedToKnow(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		c := newSearchCase(t, s)
		letter := c.doc(c.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Letter of authority", Text: "The advocate acts for the child."})
		adv, _ := c.advocate("amina", letter.ID, c.v1)
		inv := c.member("imran", caseroom.RoleInvestigator)
		med := c.member("mehwish", caseroom.RoleMedical)
		over := c.member("omar", caseroom.RoleOversight)
		mr := c.doc(as(med), caseroom.NewDocument{Kind: caseroom.DocMedicalReport, Title: "Examination", Text: "Findings about Pappu's victim near the canal."})
		if _, err := s.DB.RecordDecision(c.ctx, c.c.ID, caseroom.NewDecision{Decision: "Trace Pappu's telephone", Rationale: "He called the families."}); err != nil {
			t.Fatal(err)
		}

		// The advocate: the client's statement only, counted alone.
		res := c.searchAs(adv, "pappu")
		if got := hitRefs(res.Hits); !slices.Equal(got, []string{c.s1.Ref}) || res.Total != 1 {
			t.Errorf("advocate finds %v (total %d), want only %s", got, res.Total, c.s1.Ref)
		}
		if len(res.Facets.Kind) != 1 || res.Facets.Kind[0] != (caseroom.SearchFacet{Value: "statement", Count: 1}) {
			t.Errorf("advocate's facets = %v", res.Facets.Kind)
		}
		// by: a person outside the advocate's scope is as unknown as a missing one.
		_, err := s.DB.Search(as(adv), c.c.ID, caseroom.SearchRequest{Query: "by:" + c.v2.Pseudonym})
		checkError(t, err, caseroom.EINVALID, "q")

		// Medical reports: medical officers find them, investigators neither find nor count them.
		if got := hitRefs(c.searchAs(med, "pappu").Hits); !slices.Contains(got, mr.Ref) {
			t.Errorf("medical officer does not find %s: %v", mr.Ref, got)
		}
		res = c.searchAs(inv, "pappu")
		if slices.Contains(hitRefs(res.Hits), mr.Ref) || res.Total != 3 {
			t.Errorf("investigator finds %v (total %d): the medical report or the decision shows", hitRefs(res.Hits), res.Total)
		}
		for _, f := range res.Facets.Kind {
			if f.Value == "medical-report" || f.Value == "decision" {
				t.Errorf("investigator's facets count %s", f.Value)
			}
		}
		// Decisions: the lead and oversight find them.
		if got := hitRefs(c.searchAs(over, "telephone").Hits); !slices.Equal(got, []string{"D-1"}) {
			t.Errorf("oversight finds %v, want D-1", got)
		}
	})
}

// TestSearchVictimNames: a victim's name in a text is found only by a member who may
// reveal identities; others neither find it nor see it in snippets, even for a text
// registered before the person was known as a victim.
func TestSearchVictimNames(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "lena", "Operation Lantern")
		inv := f.member("imran", caseroom.RoleInvestigator)
		prot := f.member("parveen", caseroom.RoleProtection)
		before := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Visit", Text: "Zarmeena Gul was seen near the canal with Pappu."})
		w := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Zarmeena Gul", Script: "Latn"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
		// A witness's name is searchable by all.
		if got := hitRefs(f.searchAs(inv, "zarmeena").Hits); !slices.Equal(got, []string{before.Ref}) {
			t.Fatalf("investigator finds %v for a witness's name, want %s", got, before.Ref)
		}
		if _, err := s.DB.AddRole(f.ctx, f.c.ID, w.ID, caseroom.PersonVictim); err != nil {
			t.Fatal(err)
		}
		after := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Second visit", Text: "Zarmeena said nothing more."})
		for _, tt := range []struct {
			who  *caseroom.User
			want []string
		}{{inv, []string{}}, {prot, []string{before.Ref, after.Ref}}, {f.lead, []string{before.Ref, after.Ref}}} {
			res := f.searchAs(tt.who, "zarmeena")
			if got := hitRefs(res.Hits); !slices.Equal(got, sortedCopy(tt.want)) {
				t.Errorf("%s finds %v for a victim's name, want %v", tt.who.Name, got, tt.want)
			}
			for _, p := range res.Persons {
				if tt.who == inv && p.ID == w.ID {
					t.Errorf("investigator finds the victim by name")
				}
			}
		}
		// Other words of the text still find it, and the snippet withholds the name.
		res := f.searchAs(inv, "canal pappu")
		if len(res.Hits) != 1 || strings.Contains(res.Hits[0].Snippet, "Zarmeena") || !strings.Contains(res.Hits[0].Snippet, "[withheld]") {
			t.Errorf("investigator's snippet = %+v", res.Hits)
		}
		res = f.searchAs(prot, "canal pappu")
		if len(res.Hits) != 1 || !strings.Contains(res.Hits[0].Snippet, "Zarmeena") {
			t.Errorf("protection officer's snippet = %+v", res.Hits)
		}
		// A rebuilt index withholds the same.
		if _, err := s.DB.Reindex(console); err != nil {
			t.Fatal(err)
		}
		if got := hitRefs(f.searchAs(inv, "zarmeena").Hits); len(got) != 0 {
			t.Errorf("after reindex the investigator finds %v", got)
		}
		if got := hitRefs(f.searchAs(prot, "zarmeena").Hits); len(got) != 2 {
			t.Errorf("after reindex the protection officer finds %v", got)
		}
	})
}

// TestSearchAudited: every search is a record under the audit entry search, with the
// query sealed, and audit verify holds.
func TestSearchAudited(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		c := newSearchCase(t, s)
		n := s.Count("searches")
		c.search("pappu canal")
		if s.Count("searches") != n+1 {
			t.Fatalf("searches = %d, want %d", s.Count("searches"), n+1)
		}
		es := s.entries()
		if last := es[len(es)-1]; last.Action != "search" || last.Actor != c.lead.Name {
			t.Errorf("last audit entry = %+v", last)
		}
		var q string
		if err := s.raw.QueryRow(`SELECT query FROM searches ORDER BY entry DESC LIMIT 1`).Scan(&q); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(q, "pappu") {
			t.Errorf("the query is stored in clear: %q", q)
		}
		// Paging: one hit a page, all three in turn.
		var seen []string
		after := ""
		for range 5 {
			res, err := s.DB.Search(c.ctx, c.c.ID, caseroom.SearchRequest{Query: "pappu", Limit: 1, After: after})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, hitRefs(res.Hits)...)
			if after = res.Next; after == "" {
				break
			}
		}
		if slices.Sort(seen); !slices.Equal(seen, []string{"A-1", c.s1.Ref, c.s2.Ref}) {
			t.Errorf("pages give %v", seen)
		}
	})
}

// TestSearchLongText: a text longer than one chunk is found by a word in any chunk and
// by a phrase across two chunks, counted once, and shown once.
func TestSearchLongText(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "lena", "Operation Lantern")
		var b strings.Builder
		for i := range 20000 {
			switch i {
			case 100:
				b.WriteString("tubewell ")
			case 7990: // the chunk boundary falls inside this phrase
				b.WriteString("green motorcycle near the canal ")
			case 19000:
				b.WriteString("tubewell ")
			default:
				b.WriteString("filler ")
			}
		}
		long := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Long report", Text: b.String()})
		short := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Short", Text: "A tubewell."})
		if err := s.DB.IndexSearchQueue(f.ctx); err != nil {
			t.Fatal(err)
		}
		if n := s.Count("search_chunks"); n < 4 {
			t.Fatalf("%d chunks; the long text should take three", n)
		}
		for q, want := range map[string][]string{
			"tubewell":                          {long.Ref, short.Ref},
			`"green motorcycle near the canal"`: {long.Ref},
			"filler":                            {long.Ref},
		} {
			res := f.search(q)
			if got := hitRefs(res.Hits); !slices.Equal(got, sortedCopy(want)) || res.Total != len(want) {
				t.Errorf("search %s = %v (total %d), want %v", q, got, res.Total, want)
			}
		}
	})
}

// TestSearchQueue: a write queues its record and the store's indexer indexes it with
// no search asking; a record queued when the store stopped (a crash after the commit)
// is indexed when it is opened again; a search indexes what its case has queued before
// it runs.
func TestSearchQueue(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "lena", "Operation Lantern")
		waitIndexed := func(what string) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Second); s.Count("search_queue") > 0; {
				if time.Now().After(deadline) {
					t.Fatalf("%s: %d rows still queued after 10 s", what, s.Count("search_queue"))
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		chunksOf := func(id string) int {
			n, err := strconv.Atoi(s.queryString(`SELECT CAST(COUNT(*) AS TEXT) FROM search_chunks WHERE record_id = ?`, id))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		d := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Visit", Text: "The tubewell by the canal."})
		waitIndexed("a new document")
		if chunksOf(d.ID) != 1 {
			t.Fatalf("the indexer left %d chunks of the document", chunksOf(d.ID))
		}

		// Registered while nothing was queued, then queued as a write that committed
		// just before a crash leaves it (queued twice: gen 2).
		restore := sqlstore.SetSearchIndexing(false)
		lost := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Night report", Text: "A green motorcycle at the bus stop."})
		restore()
		s.exec(`INSERT INTO search_queue (record_id, kind, case_id, gen) VALUES (?, ?, ?, 2)`, lost.ID, string(lost.Kind), f.c.ID)
		s.Reopen()
		waitIndexed("after a restart")
		if chunksOf(lost.ID) != 1 {
			t.Fatalf("after a restart the queued document has %d chunks", chunksOf(lost.ID))
		}
		if got := hitRefs(f.searchAs(f.lead, "motorcycle").Hits); !slices.Equal(got, []string{lost.Ref}) {
			t.Fatalf("motorcycle finds %v, want %s", got, lost.Ref)
		}

		// A search catches up on its case's queue, however soon after the write; a
		// record queued again is indexed once, as it is now.
		for i := range 20 {
			doc := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: fmt.Sprintf("Report %d", i), Text: fmt.Sprintf("Word%d by the canal.", i)})
			if got := hitRefs(f.searchAs(f.lead, fmt.Sprintf("word%d", i)).Hits); !slices.Equal(got, []string{doc.Ref}) {
				t.Fatalf("search straight after registering %s finds %v", doc.Ref, got)
			}
		}
		a, err := s.DB.RaiseAction(f.ctx, f.c.ID, caseroom.NewAction{Kind: caseroom.ActionTraceIdentifier, Title: "Trace the caller"})
		if err != nil {
			t.Fatal(err)
		}
		s.exec(`UPDATE search_queue SET gen = gen + 5 WHERE record_id = ?`, a.ID)
		if got := hitRefs(f.searchAs(f.lead, "caller").Hits); !slices.Equal(got, []string{a.Ref}) {
			t.Fatalf("caller finds %v, want %s", got, a.Ref)
		}
		if n := chunksOf(a.ID); n != 1 {
			t.Fatalf("the action queued again has %d chunks", n)
		}
		if n := s.Count("search_queue"); n != 0 {
			t.Fatalf("%d rows queued after the search", n)
		}
	})
}
