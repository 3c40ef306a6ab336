package timeline

import (
	"testing"
	"time"

	"caseroom"
	"pgregory.net/rapid"
)

func TestCursorRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := Key{Time: time.Unix(rapid.Int64Range(-2e9, 4e9).Draw(t, "s"), rapid.Int64Range(0, 999999999).Draw(t, "ns")).UTC(),
			Kind: caseroom.TimelineKind(rapid.SampledFrom(caseroom.TimelineKinds).Draw(t, "kind")), ID: rapid.StringMatching(`[a-z0-9_.|]{0,40}`).Draw(t, "id")}
		got, err := ParseCursor(k.Cursor())
		if err != nil || got.Compare(k) != 0 || !got.Time.Equal(k.Time) {
			t.Fatalf("cursor of %+v read back as %+v, %v", k, got, err)
		}
	})
	for _, bad := range []string{"", "!!", "bm90IGEgY3Vyc29y", Key{}.Cursor()[:3]} {
		if _, err := ParseCursor(bad); caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Errorf("ParseCursor(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func e(day int, kind caseroom.TimelineKind, id string) caseroom.TimelineEntry {
	return caseroom.TimelineEntry{Time: time.Date(2015, 6, day, 0, 0, 0, 0, time.UTC), Kind: kind, ID: id}
}

// Paging through a merged timeline a page at a time gives every entry once, in order,
// whatever the page size, with ties at one time ordered by kind then id.
func TestPageMergesAndPages(t *testing.T) {
	lists := [][]caseroom.TimelineEntry{
		{e(3, caseroom.TimelinePayment, "pay_2"), e(1, caseroom.TimelinePayment, "pay_1")},
		{e(3, caseroom.TimelineCommunication, "c2"), e(3, caseroom.TimelineCommunication, "c1"), e(5, caseroom.TimelineCommunication, "c3")},
		{e(2, caseroom.TimelineStatement, "s1"), e(3, caseroom.TimelineStatement, "s2")},
	}
	want := []string{"pay_1", "s1", "c1", "c2", "pay_2", "s2", "c3"}
	for size := 1; size <= 8; size++ {
		var got []string
		w := Window{}
		for range 20 {
			page, next := Page(lists, w, size)
			for _, x := range page {
				got = append(got, x.ID)
			}
			if next == "" {
				break
			}
			k, err := ParseCursor(next)
			if err != nil {
				t.Fatal(err)
			}
			w.After = &k
		}
		if len(got) != len(want) {
			t.Fatalf("page size %d: %v, want %v", size, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("page size %d: %v, want %v", size, got, want)
			}
		}
	}
	from, to := time.Date(2015, 6, 2, 0, 0, 0, 0, time.UTC), time.Date(2015, 6, 3, 0, 0, 0, 0, time.UTC)
	page, _ := Page(lists, Window{From: &from, To: &to, Kinds: map[caseroom.TimelineKind]bool{caseroom.TimelineCommunication: true, caseroom.TimelineStatement: true}}, 10)
	if len(page) != 4 || page[0].ID != "s1" || page[3].ID != "s2" {
		t.Errorf("window: %+v", page)
	}
}

func TestDocumentsAndPrecision(t *testing.T) {
	taken := time.Date(2015, 6, 1, 10, 0, 0, 0, time.UTC)
	docs := []*caseroom.Document{
		{ID: "d1", Ref: "S-1", Kind: caseroom.DocStatement, Title: "Father", Statement: &caseroom.Statement{Giver: "p1", GiverLabel: "V-0001", RecordedAt: taken}, RegisteredAt: taken.Add(48 * time.Hour)},
		{ID: "d2", Ref: "S-2", Kind: caseroom.DocStatement, Title: "Withdrawal", Statement: &caseroom.Statement{Giver: "p1", GiverLabel: "V-0001", RecordedAt: taken.Add(time.Hour)},
			Retraction: &caseroom.Retraction{Retracts: "S-1"}},
		{ID: "d3", Ref: "C-1", Kind: caseroom.DocComplaint, Title: "FIR", RegisteredAt: taken},
	}
	es := Documents("cas_1", docs, nil)
	if len(es) != 3 || es[0].Kind != caseroom.TimelineStatement || !es[0].Time.Equal(taken) || es[1].Kind != caseroom.TimelineRetraction || es[2].Kind != caseroom.TimelineComplaint {
		t.Errorf("entries: %+v", es)
	}
	if es[0].Link != "/cases/cas_1/documents/S-1" || len(es[0].Persons) != 1 || es[0].Persons[0].Label != "V-0001" {
		t.Errorf("statement entry: %+v", es[0])
	}
	if got := Documents("cas_1", docs, map[string]bool{"d3": true}); len(got) != 1 || got[0].ID != "d3" {
		t.Errorf("concerning d3 only: %+v", got)
	}
	for at, want := range map[string]string{"2015": "year", "2015-06": "month", "2015-06-15": "day", "2015-06-15T12:00:00Z": "time"} {
		if got := Precision(at); got != want {
			t.Errorf("Precision(%s) = %s, want %s", at, got, want)
		}
	}
}
