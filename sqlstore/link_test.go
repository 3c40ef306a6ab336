package sqlstore_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// linkCase is a case with one of everything a link can join.
type linkCase struct {
	*fixture
	src     *caseroom.Document
	victim  *caseroom.Person
	suspect *caseroom.Person
	buyer   *caseroom.Person
	phone   *caseroom.Identifier
	shop    *caseroom.Organisation
	village *caseroom.Location
}

func newLinkCase(t *testing.T, s *testStore) *linkCase {
	t.Helper()
	f := newFixture(t, s, "alice", "Operation Alpha")
	lc := &linkCase{fixture: f}
	lc.src = f.complaint("First complaint")
	lc.victim = f.victim(f.ctx, "Hidden Person")
	lc.suspect = f.suspect("Gul Khan")
	lc.buyer = f.person(f.ctx, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "Mota"}}, Roles: []caseroom.PersonRole{"suspect"}})
	var err error
	if lc.phone, err = s.DB.AddIdentifier(f.ctx, f.c.ID, lc.victim.ID, caseroom.NewIdentifier{Kind: "phone", Value: "03001112223", Source: "C-1"}); err != nil {
		t.Fatal(err)
	}
	if lc.shop, err = s.DB.RegisterOrganisation(f.ctx, f.c.ID, caseroom.NewOrganisation{Name: "Al-Noor Video Centre", Kind: "shop"}); err != nil {
		t.Fatal(err)
	}
	if lc.village, err = s.DB.RegisterLocation(f.ctx, f.c.ID, caseroom.NewLocation{Name: "Chak 12", Kind: "village"}); err != nil {
		t.Fatal(err)
	}
	return lc
}

func TestRecordLink(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		lc := newLinkCase(t, s)
		f := lc.fixture

		got := f.link(caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Since: "2019", Until: "2023-06",
			Confidence: ptr(0.75), Source: "C-1", Note: "Met at the shop."})
		want := &caseroom.Link{ID: got.ID, CaseID: f.c.ID, CreatedAt: got.CreatedAt, CreatedBy: "alice",
			From: lc.suspect.ID, FromKind: caseroom.EntityPerson, FromLabel: "Gul Khan",
			To: lc.victim.ID, ToKind: caseroom.EntityPerson, ToLabel: "V-0001",
			Type: "knows", Since: "2019", Until: "2023-06", Confidence: 0.75,
			Source: lc.src.ID, SourceKind: caseroom.EntityDocument, SourceRef: "C-1", Note: "Met at the shop."}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("link (-want +got):\n%s", diff)
		}
		found, err := s.DB.FindLinks(f.ctx, f.c.ID, caseroom.LinkFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]*caseroom.Link{got}, found); diff != "" {
			t.Errorf("FindLinks differs from RecordLink (-recorded +found):\n%s", diff)
		}

		t.Run("every kind of entity, with labels", func(t *testing.T) {
			f := f.in(t)
			for _, tc := range []struct {
				from, to           string
				typ                caseroom.LinkType
				fromKind, toKind   caseroom.EntityKind
				fromLabel, toLabel string
			}{
				{lc.buyer.ID, lc.shop.ID, "member_of", "person", "organisation", "Mota", "Al-Noor Video Centre"},
				{lc.shop.ID, lc.village.ID, "located_at", "organisation", "location", "Al-Noor Video Centre", "Chak 12"},
				{lc.phone.ID, lc.suspect.ID, "called", "identifier", "person", "phone of V-0001", "Gul Khan"},
				{lc.suspect.ID, "C-1", "mentions", "person", "document", "Gul Khan", "C-1 First complaint"},
			} {
				l := f.link(caseroom.NewLink{From: tc.from, To: tc.to, Type: tc.typ, Source: lc.src.ID, Confidence: ptr(1.0)})
				if l.FromKind != tc.fromKind || l.ToKind != tc.toKind || l.FromLabel != tc.fromLabel || l.ToLabel != tc.toLabel {
					t.Errorf("%s link: %s %q -> %s %q, want %s %q -> %s %q", tc.typ, l.FromKind, l.FromLabel, l.ToKind, l.ToLabel,
						tc.fromKind, tc.fromLabel, tc.toKind, tc.toLabel)
				}
			}
		})
		t.Run("dates", func(t *testing.T) {
			f := f.in(t)
			for _, tc := range []struct{ since, until, wantSince, wantUntil string }{
				{"2019", "2019", "2019", "2019"},
				{"2019-06", "2019-07-01", "2019-06", "2019-07-01"},
				{"2019-06-01T10:00:00Z", "", "2019-06-01T10:00:00Z", ""},
				// Times are stored in UTC: 10:00 in Pakistan is 05:00 UTC, after 04:00 UTC.
				{"2019-06-01T10:00:00+05:00", "2019-06-01T04:30:00-01:00", "2019-06-01T05:00:00Z", "2019-06-01T05:30:00Z"},
			} {
				l := f.link(caseroom.NewLink{From: lc.suspect.ID, To: lc.buyer.ID, Type: "met", Since: tc.since, Until: tc.until, Source: "C-1", Confidence: ptr(0.5)})
				if l.Since != tc.wantSince || l.Until != tc.wantUntil {
					t.Errorf("since %q until %q stored as %q %q, want %q %q", tc.since, tc.until, l.Since, l.Until, tc.wantSince, tc.wantUntil)
				}
			}
		})

		for _, tc := range []struct {
			name  string
			nl    caseroom.NewLink
			field string
		}{
			{"no source", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Confidence: ptr(1.0)}, "source"},
			{"a blank source", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "  ", Confidence: ptr(1.0)}, "source"},
			{"an unknown source", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "S-1", Confidence: ptr(1.0)}, "source"},
			{"a person as source", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: lc.buyer.ID, Confidence: ptr(1.0)}, "source"},
			{"no from", caseroom.NewLink{To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0)}, "from"},
			{"an unknown from", caseroom.NewLink{From: "per_nobody", To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0)}, "from"},
			{"a from that is no id", caseroom.NewLink{From: "Gul Khan", To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0)}, "from"},
			{"no to", caseroom.NewLink{From: lc.suspect.ID, Type: "knows", Source: "C-1", Confidence: ptr(1.0)}, "to"},
			{"an unknown to", caseroom.NewLink{From: lc.suspect.ID, To: "V-0009", Type: "knows", Source: "C-1", Confidence: ptr(1.0)}, "to"},
			{"an unknown location", caseroom.NewLink{From: lc.suspect.ID, To: "loc_nowhere", Type: "lives_at", Source: "C-1", Confidence: ptr(1.0)}, "to"},
			{"from and to the same", caseroom.NewLink{From: lc.victim.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0)}, "to"},
			{"no confidence", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1"}, "confidence"},
			{"a negative confidence", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(-0.1)}, "confidence"},
			{"a confidence above 1", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.5)}, "confidence"},
			{"a confidence not a number", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(math.NaN())}, "confidence"},
			{"an unknown type", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "likes", Source: "C-1", Confidence: ptr(1.0)}, "type"},
			{"no type", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Source: "C-1", Confidence: ptr(1.0)}, "type"},
			{"a since not a date", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0), Since: "last year"}, "since"},
			{"an until not a date", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0), Until: "2019-13"}, "until"},
			{"until before since", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0), Since: "2020-05", Until: "2019-12"}, "until"},
			{"until before since across zones", caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0),
				Since: "2019-06-01T03:00:00Z", Until: "2019-06-01T07:00:00+05:00"}, "until"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, caseroom.EINVALID, tc.field, func() error {
					_, err := s.DB.RecordLink(f.ctx, f.c.ID, tc.nl)
					return err
				})
			})
		}
	})
}

// TestLinkCorrection checks that correcting or retracting a link adds a record and
// leaves the original as it was.
func TestLinkCorrection(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		lc := newLinkCase(t, s)
		f := lc.fixture
		orig := f.link(caseroom.NewLink{From: lc.suspect.ID, To: lc.buyer.ID, Type: "sold_to", Since: "2021", Source: "C-1", Confidence: ptr(0.9)})
		s1 := f.statement(lc.buyer.ID, "Buyer's statement")

		fix := f.link(caseroom.NewLink{From: lc.suspect.ID, To: lc.buyer.ID, Type: "sold_to", Since: "2022", Source: s1.Ref, Confidence: ptr(0.6),
			Corrects: orig.ID, Reason: "The buyer dates the first sale to 2022."})
		if fix.Corrects != orig.ID || fix.Reason == "" || fix.Retracts {
			t.Errorf("correction = %+v", fix)
		}
		retract := f.link(caseroom.NewLink{From: lc.suspect.ID, To: lc.buyer.ID, Type: "sold_to", Source: s1.Ref, Confidence: ptr(0.0),
			Corrects: fix.ID, Retracts: true, Reason: "The buyer withdrew the account."})
		if !retract.Retracts || retract.Corrects != fix.ID {
			t.Errorf("retraction = %+v", retract)
		}

		got, err := s.DB.FindLinks(f.ctx, f.c.ID, caseroom.LinkFilter{Type: "sold_to"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]*caseroom.Link{orig, fix, retract}, got); diff != "" {
			t.Errorf("links after correction (-want +got):\n%s", diff)
		}

		for _, tc := range []struct {
			name  string
			nl    caseroom.NewLink
			field string
		}{
			{"a correction without reason", caseroom.NewLink{Corrects: orig.ID}, "reason"},
			{"a reason without correction", caseroom.NewLink{Reason: "Wrong."}, "reason"},
			{"a retraction naming no link", caseroom.NewLink{Retracts: true}, "corrects"},
			{"a correction of an unknown link", caseroom.NewLink{Corrects: "lnk_nosuchlink", Reason: "Wrong."}, "corrects"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				nl := tc.nl
				nl.From, nl.To, nl.Type, nl.Source, nl.Confidence = lc.suspect.ID, lc.buyer.ID, "sold_to", "C-1", ptr(0.5)
				refused(t, s, caseroom.EINVALID, tc.field, func() error {
					_, err := s.DB.RecordLink(f.ctx, f.c.ID, nl)
					return err
				})
			})
		}
	})
}

func TestFindLinksFilter(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		lc := newLinkCase(t, s)
		f := lc.fixture
		knows := f.link(caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Source: "C-1", Confidence: ptr(1.0)})
		paid := f.link(caseroom.NewLink{From: lc.buyer.ID, To: lc.suspect.ID, Type: "paid", Source: "C-1", Confidence: ptr(0.8)})
		calls := f.link(caseroom.NewLink{From: lc.phone.ID, To: lc.buyer.ID, Type: "called", Source: "C-1", Confidence: ptr(0.7)})
		lives := f.link(caseroom.NewLink{From: "V-0001", To: lc.village.ID, Type: "lives_at", Source: "C-1", Confidence: ptr(1.0)})

		for _, tc := range []struct {
			name string
			f    caseroom.LinkFilter
			want []*caseroom.Link
		}{
			{"all", caseroom.LinkFilter{}, []*caseroom.Link{knows, paid, calls, lives}},
			{"a victim by id", caseroom.LinkFilter{Entity: lc.victim.ID}, []*caseroom.Link{knows, lives}},
			{"a victim by pseudonym", caseroom.LinkFilter{Entity: "V-0001"}, []*caseroom.Link{knows, lives}},
			{"a suspect, either end", caseroom.LinkFilter{Entity: lc.suspect.ID}, []*caseroom.Link{knows, paid}},
			{"an identifier", caseroom.LinkFilter{Entity: lc.phone.ID}, []*caseroom.Link{calls}},
			{"a type", caseroom.LinkFilter{Type: "paid"}, []*caseroom.Link{paid}},
			{"an entity and a type", caseroom.LinkFilter{Entity: lc.buyer.ID, Type: "called"}, []*caseroom.Link{calls}},
			{"a type with no links", caseroom.LinkFilter{Type: "extorted"}, []*caseroom.Link{}},
			{"an entity with no links", caseroom.LinkFilter{Entity: lc.shop.ID}, []*caseroom.Link{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.DB.FindLinks(f.ctx, f.c.ID, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("FindLinks(%+v) (-want +got):\n%s", tc.f, diff)
				}
			})
		}
		t.Run("an unknown entity", func(t *testing.T) {
			_, err := s.DB.FindLinks(f.ctx, f.c.ID, caseroom.LinkFilter{Entity: "V-0042"})
			checkError(t, err, caseroom.EINVALID, "entity")
		})
	})
}
