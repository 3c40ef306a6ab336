package sqlstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

func TestDocumentNumbering(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		a := newFixture(t, s, "alice", "Operation Alpha")
		b := newFixture(t, s, "bob", "Operation Bravo")
		aGiver, bGiver := a.suspect("Gul Khan"), b.suspect("Gul Khan")
		register := func(f *fixture, giver *caseroom.Person, kind caseroom.DocumentKind) string {
			nd := caseroom.NewDocument{Kind: kind, Title: "A " + string(kind), Text: "Text of a " + string(kind)}
			if kind == caseroom.DocStatement {
				nd.Giver, nd.RecordedAt = giver.ID, ptr(recorded)
			}
			return f.doc(f.ctx, nd).Ref
		}
		for i, tc := range []struct {
			f     *fixture
			giver *caseroom.Person
			kind  caseroom.DocumentKind
			want  string
		}{
			{a, aGiver, caseroom.DocComplaint, "C-1"},
			{a, aGiver, caseroom.DocComplaint, "C-2"},
			{a, aGiver, caseroom.DocStatement, "S-1"},
			{a, aGiver, caseroom.DocReport, "R-1"},
			{b, bGiver, caseroom.DocComplaint, "C-1"},
			{a, aGiver, caseroom.DocStatement, "S-2"},
			{a, aGiver, caseroom.DocMessage, "M-1"},
			{a, aGiver, caseroom.DocPress, "P-1"},
			{b, bGiver, caseroom.DocStatement, "S-1"},
			{a, aGiver, caseroom.DocComplaint, "C-3"},
			{b, bGiver, caseroom.DocReport, "R-1"},
		} {
			if got := register(tc.f, tc.giver, tc.kind); got != tc.want {
				t.Errorf("document %d (%s in %s) = %s, want %s", i, tc.kind, tc.f.c.Title, got, tc.want)
			}
		}
	})
}

func TestExplicitDocumentRef(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		giver := f.suspect("Gul Khan")
		stmt := func(ref string) caseroom.NewDocument {
			return caseroom.NewDocument{Kind: "statement", Ref: ref, Title: "Statement " + ref, Text: "Text", Giver: giver.ID, RecordedAt: ptr(recorded)}
		}
		for _, tc := range []struct{ ref, want string }{
			{"", "S-1"},
			{"S-5", "S-5"},
			{"", "S-6"},
			{"S-3", "S-3"}, // a gap may be filled, say when paper records are entered late
			{"", "S-7"},
		} {
			if got := f.doc(f.ctx, stmt(tc.ref)).Ref; got != tc.want {
				t.Errorf("ref %q registered as %s, want %s", tc.ref, got, tc.want)
			}
		}
		if d := f.doc(f.ctx, caseroom.NewDocument{Kind: "complaint", Ref: "C-12", Title: "FIR", Text: "FIR"}); d.Ref != "C-12" {
			t.Errorf("explicit complaint ref = %s, want C-12", d.Ref)
		}

		for _, tc := range []struct {
			name, ref   string
			code, field string
		}{
			{"a reference in use", "S-5", caseroom.ECONFLICT, "ref"},
			{"an automatic reference in use", "S-1", caseroom.ECONFLICT, "ref"},
			{"another kind's prefix", "C-7", caseroom.EINVALID, "ref"},
			{"lower case", "s-8", caseroom.EINVALID, "ref"},
			{"zero", "S-0", caseroom.EINVALID, "ref"},
			{"a leading zero", "S-08", caseroom.EINVALID, "ref"},
			{"no number", "S-", caseroom.EINVALID, "ref"},
			{"no dash", "S8", caseroom.EINVALID, "ref"},
			{"letters", "S-eight", caseroom.EINVALID, "ref"},
			{"negative", "S--8", caseroom.EINVALID, "ref"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, tc.code, tc.field, func() error {
					_, err := s.DB.RegisterDocument(f.ctx, f.c.ID, stmt(tc.ref))
					return err
				})
			})
		}
	})
}

func TestStatement(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		f.member("ivan", caseroom.RoleInvestigator)
		mustUser(t, s, "olga") // a user, not a member of the case
		v1 := f.victim(f.ctx, "Hidden Person")
		v2 := f.victim(f.ctx, "Hidden Sibling")
		mother := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Razia Bibi"}}, Roles: []caseroom.PersonRole{"guardian"}})
		interp := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Tariq Mahmood"}}, Roles: []caseroom.PersonRole{"interpreter"}})

		nd := caseroom.NewDocument{Kind: "statement", Title: "Statement of V-0001", Text: "The witness states...",
			Giver: "V-0001", RecordedBy: "ivan", RecordedAt: ptr(recorded), Place: " Police Station Saddar ", Language: "pa",
			Interpreter: interp.ID, Method: "written",
			Present: []caseroom.Presence{{Person: mother.ID, Capacity: "guardian"}, {Person: "V-0002", Capacity: "sibling"}}}
		d := f.doc(f.ctx, nd)
		want := &caseroom.Statement{
			Giver: v1.ID, GiverLabel: "V-0001", RecordedBy: "ivan",
			RecordedAt: time.Date(2024, 3, 14, 5, 30, 0, 0, time.UTC),
			Place:      "Police Station Saddar", Language: "pa", Interpreter: interp.ID, Method: "written",
			Present: []caseroom.Presence{
				{Person: mother.ID, Label: "Razia Bibi", Capacity: "guardian"},
				{Person: v2.ID, Label: "V-0002", Capacity: "sibling"},
			},
		}
		if diff := cmp.Diff(want, d.Statement); diff != "" {
			t.Errorf("statement (-want +got):\n%s", diff)
		}
		found, err := s.DB.FindDocument(f.ctx, f.c.ID, d.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d, found); diff != "" {
			t.Errorf("FindDocument differs from RegisterDocument (-registered +found):\n%s", diff)
		}

		t.Run("recordedAt is stored in UTC", func(t *testing.T) {
			if !found.Statement.RecordedAt.Equal(recorded) || found.Statement.RecordedAt.Location() != time.UTC {
				t.Errorf("recordedAt = %v, want %v in UTC", found.Statement.RecordedAt, recorded)
			}
			stored := s.queryString(`SELECT recorded_at FROM statements WHERE document_id = ?`, d.ID)
			if stored != "2024-03-14T05:30:00.000000000Z" {
				t.Errorf("stored recorded_at = %q, want 2024-03-14T05:30:00.000000000Z", stored)
			}
		})
		t.Run("recordedBy defaults to the registering user", func(t *testing.T) {
			f := f.in(t)
			d := f.statement(mother.ID, "Statement of the mother")
			if d.Statement.RecordedBy != "alice" || d.Statement.GiverLabel != "Razia Bibi" || len(d.Statement.Present) != 0 {
				t.Errorf("statement = %+v", d.Statement)
			}
		})
		t.Run("a complaint may say who made it", func(t *testing.T) {
			f := f.in(t)
			d := f.doc(f.ctx, caseroom.NewDocument{Kind: "complaint", Title: "FIR", Text: "FIR text", ExternalRef: "FIR 112/2024", Giver: mother.ID})
			if d.Statement == nil || d.Statement.Giver != mother.ID || d.ExternalRef != "FIR 112/2024" {
				t.Errorf("complaint = %+v, statement %+v", d, d.Statement)
			}
		})

		future := time.Now().Add(time.Hour)
		with := func(change func(nd *caseroom.NewDocument)) caseroom.NewDocument {
			nd := caseroom.NewDocument{Kind: "statement", Title: "Statement", Text: "Text", Giver: mother.ID, RecordedAt: ptr(recorded)}
			change(&nd)
			return nd
		}
		for _, tc := range []struct {
			name  string
			nd    caseroom.NewDocument
			field string
		}{
			{"no giver", with(func(nd *caseroom.NewDocument) { nd.Giver = "" }), "giver"},
			{"no recordedAt", with(func(nd *caseroom.NewDocument) { nd.RecordedAt = nil }), "recordedAt"},
			{"recordedAt in the future", with(func(nd *caseroom.NewDocument) { nd.RecordedAt = &future }), "recordedAt"},
			{"an unknown giver", with(func(nd *caseroom.NewDocument) { nd.Giver = "V-0099" }), "giver"},
			{"a giver by name", with(func(nd *caseroom.NewDocument) { nd.Giver = "Razia Bibi" }), "giver"},
			{"recordedBy not a member", with(func(nd *caseroom.NewDocument) { nd.RecordedBy = "olga" }), "recordedBy"},
			{"recordedBy not a user", with(func(nd *caseroom.NewDocument) { nd.RecordedBy = "nobody" }), "recordedBy"},
			{"an unknown interpreter", with(func(nd *caseroom.NewDocument) { nd.Interpreter = "per_nobody" }), "interpreter"},
			{"an unknown person present", with(func(nd *caseroom.NewDocument) {
				nd.Present = []caseroom.Presence{{Person: mother.ID}, {Person: "V-0042"}}
			}), "present[1].person"},
			{"a presence without person", with(func(nd *caseroom.NewDocument) { nd.Present = []caseroom.Presence{{Capacity: "guardian"}} }), "present[0].person"},
			{"a bad language", with(func(nd *caseroom.NewDocument) { nd.Language = "Punjabi" }), "language"},
			{"a bad method", with(func(nd *caseroom.NewDocument) { nd.Method = "telepathy" }), "method"},
			{"a long place", with(func(nd *caseroom.NewDocument) { nd.Place = strings.Repeat("p", 301) }), "place"},
			{"a report with a giver", caseroom.NewDocument{Kind: "report", Title: "Report", Text: "Text", Giver: mother.ID}, "giver"},
			{"a report with a place", caseroom.NewDocument{Kind: "report", Title: "Report", Text: "Text", Place: "Saddar"}, "place"},
			{"a press report with people present", caseroom.NewDocument{Kind: "press", Title: "News", Text: "Text", Present: []caseroom.Presence{{Person: mother.ID}}}, "present"},
			{"an unknown kind", caseroom.NewDocument{Kind: "memo", Title: "Memo", Text: "Text"}, "kind"},
			{"no kind", caseroom.NewDocument{Title: "Memo", Text: "Text"}, "kind"},
			{"no title", with(func(nd *caseroom.NewDocument) { nd.Title = " " }), "title"},
			{"no text", with(func(nd *caseroom.NewDocument) { nd.Text = " \n " }), "text"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, caseroom.EINVALID, tc.field, func() error {
					_, err := s.DB.RegisterDocument(f.ctx, f.c.ID, tc.nd)
					return err
				})
			})
		}
	})
}

func TestDocumentCorrection(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		giver := f.suspect("Gul Khan")
		s1 := f.statement(giver.ID, "First statement")
		body := s.queryString(`SELECT body FROM documents WHERE id = ?`, s1.ID)

		s2 := f.doc(f.ctx, caseroom.NewDocument{Kind: "statement", Title: "Correction", Text: "The date was the 12th, not the 21st.",
			Giver: giver.ID, RecordedAt: ptr(recorded), Corrects: "S-1", CorrectionReason: "The date of the incident was misheard."})
		r1 := f.doc(f.ctx, caseroom.NewDocument{Kind: "report", Title: "Note on S-1", Text: "S-1 was taken without a female officer.",
			Corrects: s1.ID, CorrectionReason: "Circumstances omitted."})
		if s2.Corrects != "S-1" || s2.CorrectionReason != "The date of the incident was misheard." || r1.Corrects != "S-1" {
			t.Errorf("corrections name %q and %q, want S-1", s2.Corrects, r1.Corrects)
		}

		got, err := s.DB.FindDocument(f.ctx, f.c.ID, "S-1")
		if err != nil {
			t.Fatal(err)
		}
		want := *s1
		want.CorrectedBy = []string{"S-2", "R-1"}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("corrected document (-want +got):\n%s", diff)
		}
		if now := s.queryString(`SELECT body FROM documents WHERE id = ?`, s1.ID); now != body {
			t.Errorf("the corrected document's stored body changed from %q to %q", body, now)
		}

		other := newFixture(t, s, "bob", "Operation Bravo")
		foreign := other.complaint("Another case's complaint")
		for _, tc := range []struct {
			name             string
			corrects, reason string
			field            string
		}{
			{"a correction without reason", "S-1", " ", "correctionReason"},
			{"a reason without correction", "", "Because.", "corrects"},
			{"an unknown document", "S-9", "Because.", "corrects"},
			{"another case's document", foreign.ID, "Because.", "corrects"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, caseroom.EINVALID, tc.field, func() error {
					_, err := s.DB.RegisterDocument(f.ctx, f.c.ID, caseroom.NewDocument{Kind: "report", Title: "Correction", Text: "Text",
						Corrects: tc.corrects, CorrectionReason: tc.reason})
					return err
				})
			})
		}
	})
}

func TestFindDocuments(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		giver := f.suspect("Gul Khan")
		text := "Bayan: ہم نے دیکھا\r\nLine two.\n"
		c1 := f.doc(f.ctx, caseroom.NewDocument{Kind: "complaint", Title: "FIR", Text: text, ExternalRef: "FIR 112/2024"})
		s1 := f.statement(giver.ID, "First statement")
		r1 := f.doc(f.ctx, caseroom.NewDocument{Kind: "report", Title: "Arrest", Text: "Arrested at 10:00."})
		s2 := f.statement(giver.ID, "Second statement")

		t.Run("sha256 of the text", func(t *testing.T) {
			sum := sha256.Sum256([]byte(text))
			if c1.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("sha256 = %s, want %x", c1.SHA256, sum)
			}
			if c1.Text != text {
				t.Errorf("text = %q, want it exactly as given %q", c1.Text, text)
			}
		})
		t.Run("by id and by reference", func(t *testing.T) {
			for _, ref := range []string{c1.ID, c1.Ref} {
				got, err := s.DB.FindDocument(f.ctx, f.c.ID, ref)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c1, got); diff != "" {
					t.Errorf("FindDocument(%s) (-registered +found):\n%s", ref, diff)
				}
			}
		})
		t.Run("kind filter", func(t *testing.T) {
			for _, tc := range []struct {
				kind caseroom.DocumentKind
				want []*caseroom.Document
			}{
				{"", []*caseroom.Document{c1, s1, r1, s2}},
				{caseroom.DocStatement, []*caseroom.Document{s1, s2}},
				{caseroom.DocReport, []*caseroom.Document{r1}},
				{caseroom.DocPress, []*caseroom.Document{}},
			} {
				got, err := s.DB.FindDocuments(f.ctx, f.c.ID, caseroom.DocumentFilter{Kind: tc.kind})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("FindDocuments(%q) (-want +got):\n%s", tc.kind, diff)
				}
			}
		})
		t.Run("absent", func(t *testing.T) {
			other := newFixture(t, s, "bob", "Operation Bravo")
			oc := other.complaint("Another case's complaint")
			other.statement(other.suspect("Someone").ID, "Another case's statement")
			for _, ref := range []string{"C-9", "P-1", "garbage", "", "doc_nosuchdocument", oc.ID, "V-0001"} {
				_, err := s.DB.FindDocument(f.ctx, f.c.ID, ref)
				checkError(t, err, caseroom.ENOTFOUND, "")
			}
			// S-2 exists in this case only; the other case has S-1 alone.
			_, err := s.DB.FindDocument(other.ctx, other.c.ID, "S-2")
			checkError(t, err, caseroom.ENOTFOUND, "")
		})
	})
}
