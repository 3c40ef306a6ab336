package export

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"

	"caseroom"
)

// genSource is a generated case of any size: persons (one in ten a victim known by
// pseudonym, each with a phone number), a few organisations, locations, documents and
// endpoints, and links of every common type between random persons, organisations and
// locations. Each record is made afresh when it is given, as a store would read it.
// probe, if set, is called every probeEvery records.
type genSource struct {
	persons, links, payments, comms int
	probe                           func()
	n                               int
}

const probeEvery = 50_000

func (g *genSource) tick() {
	g.n++
	if g.probe != nil && g.n%probeEvery == 0 {
		g.probe()
	}
}

func genID(prefix string, i int) string { return prefix + strconv.Itoa(i) }

func genPhone(i int) string { return "+92300" + fmt.Sprintf("%07d", i%10_000_000) }

func (g *genSource) Persons(fn func(*caseroom.Person) error) error {
	for i := 0; i < g.persons; i++ {
		p := &caseroom.Person{ID: genID("per_", i), CaseID: testCase.ID, Roles: []caseroom.PersonRole{caseroom.PersonSuspect},
			CreatedAt: time.Unix(1709000000+int64(i), 0)}
		if i%10 == 0 {
			p.Pseudonym, p.Roles, p.IdentityHidden = fmt.Sprintf("V-%04d", i/10+1), []caseroom.PersonRole{caseroom.PersonVictim}, true
		} else {
			p.Names = []caseroom.PersonName{{Name: "Fictional Person " + strconv.Itoa(i), Script: "Latn", Source: "S-1"}}
			p.Aliases = []caseroom.Alias{{Alias: "Fictus " + strconv.Itoa(i), Kind: "alias"}}
			p.Parents = []string{"Fictional Parent " + strconv.Itoa(i)}
			p.Identifiers = []caseroom.Identifier{{ID: genID("idf_", i), PersonID: p.ID, Kind: caseroom.IdentifierPhone, Value: genPhone(i), Source: "S-1"}}
		}
		if err := fn(p); err != nil {
			return err
		}
		g.tick()
	}
	return nil
}

func (g *genSource) Organisations(fn func(*caseroom.Organisation) error) error {
	for i := 0; i < 100; i++ {
		if err := fn(&caseroom.Organisation{ID: genID("org_", i), CaseID: testCase.ID, Name: "Fictional Shop " + strconv.Itoa(i), Kind: "shop", Source: "C-1"}); err != nil {
			return err
		}
	}
	return nil
}

func (g *genSource) Locations(fn func(*caseroom.Location) error) error {
	for i := 0; i < 100; i++ {
		if err := fn(&caseroom.Location{ID: genID("loc_", i), CaseID: testCase.ID, Name: "Chak " + strconv.Itoa(i) + " Fictional", Kind: "village"}); err != nil {
			return err
		}
	}
	return nil
}

func (g *genSource) Endpoints(fn func(*caseroom.Endpoint) error) error {
	for i := 1; i < 1000 && i < g.persons; i += 10 {
		holder := caseroom.Party{ID: genID("per_", i), Kind: caseroom.EntityPerson, Label: "Fictional Person " + strconv.Itoa(i)}
		if err := fn(&caseroom.Endpoint{ID: genID("enp_", i), CaseID: testCase.ID, Kind: caseroom.IdentifierPhone, Value: genPhone(i),
			Country: "PK", Holders: []caseroom.Party{holder}}); err != nil {
			return err
		}
	}
	return nil
}

func (g *genSource) Documents(fn func(*caseroom.Document) error) error {
	for i := 1; i <= 10; i++ {
		if err := fn(&caseroom.Document{ID: genID("doc_", i), CaseID: testCase.ID, Ref: "S-" + strconv.Itoa(i), Kind: caseroom.DocStatement,
			Title: "Statement " + strconv.Itoa(i), RegisteredAt: time.Unix(1709000000, 0)}); err != nil {
			return err
		}
	}
	return nil
}

var genLinkTypes = []caseroom.LinkType{"knows", "parent_of", "related_to", "met", "extorted", "member_of", "employed_by", "lives_at"}

func (g *genSource) Links(fn func(*caseroom.Link) error) error {
	x := uint64(88172645463325252)
	next := func(n int) int { // xorshift: the same links every time
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return int(x % uint64(n))
	}
	for i := 0; i < g.links; i++ {
		t := genLinkTypes[i%len(genLinkTypes)]
		l := &caseroom.Link{ID: genID("lnk_", i), CaseID: testCase.ID, From: genID("per_", next(g.persons)), FromKind: caseroom.EntityPerson,
			To: genID("per_", next(g.persons)), ToKind: caseroom.EntityPerson, Type: t, Confidence: 0.75, Since: "2023-05",
			Source: "doc_1", SourceKind: caseroom.EntityDocument, SourceRef: "S-1", CreatedAt: time.Unix(1709000000+int64(i), 0)}
		switch t {
		case "member_of", "employed_by":
			l.To, l.ToKind = genID("org_", next(100)), caseroom.EntityOrganisation
		case "lives_at":
			l.To, l.ToKind = genID("loc_", next(100)), caseroom.EntityLocation
		}
		l.FromLabel, l.ToLabel = l.From, l.To
		if err := fn(l); err != nil {
			return err
		}
		g.tick()
	}
	return nil
}

func (g *genSource) Payments(fn func(*caseroom.Payment) error) error {
	for i := 0; i < g.payments; i++ {
		if err := fn(&caseroom.Payment{ID: genID("pay_", i), CaseID: testCase.ID, Ref: "PM-" + strconv.Itoa(i+1),
			Payer:  caseroom.Party{ID: genID("per_", i%g.persons), Kind: caseroom.EntityPerson},
			Payee:  caseroom.Party{ID: genID("enp_", 1+10*(i%50)), Kind: caseroom.EntityEndpoint},
			Amount: caseroom.MinorUnits(100000 + i), Currency: "PKR", At: "2024-03-05", Method: caseroom.PaymentMobileWallet,
			Purpose: caseroom.PurposeExtortion, SourceRef: "S-1"}); err != nil {
			return err
		}
	}
	return nil
}

func (g *genSource) Communications(fn func(*caseroom.Communication) error) error {
	a := caseroom.Endpoint{ID: "enp_1", Kind: caseroom.IdentifierPhone, Value: genPhone(1), Holders: []caseroom.Party{{ID: "per_1"}}}
	for i := 0; i < g.comms; i++ {
		b := caseroom.Endpoint{ID: genID("enp_", 11+10*(i%50)), Kind: caseroom.IdentifierPhone, Value: genPhone(11 + 10*(i%50))}
		if err := fn(&caseroom.Communication{ID: genID("com_", i), CaseID: testCase.ID, From: a, To: b, Directed: true,
			Kind: caseroom.CommCall, At: time.Unix(1709000000+int64(i), 0), Duration: int64(i % 600), ExhibitRef: "SB/1", Line: int64(i + 2)}); err != nil {
			return err
		}
		g.tick()
	}
	return nil
}

// liveHeap measures the most heap in use, after a collection, at the probes of a run.
type liveHeap struct{ max uint64 }

func (h *liveHeap) probe() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.max = max(h.max, m.HeapAlloc)
}

// TestFtMConstantMemory: exporting eight times the persons and links takes no more
// live heap: nothing per person or link is kept.
func TestFtMConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("exports 990,000 records")
	}
	measure := func(persons, links int) uint64 {
		var h liveHeap
		g := &genSource{persons: persons, links: links, payments: 100, comms: 10_000, probe: h.probe}
		counts, err := FtM(io.Discard, testCase, g)
		if err != nil {
			t.Fatal(err)
		}
		if counts.Written["Person"] != int64(persons) {
			t.Fatalf("wrote %d persons; want %d", counts.Written["Person"], persons)
		}
		return h.max
	}
	measure(10_000, 100_000) // warm up: the first run grows the runtime's own tables
	small := measure(10_000, 100_000)
	large := measure(80_000, 800_000)
	t.Logf("most live heap: %d KiB for 10,000 persons and 100,000 links; %d KiB for 80,000 and 800,000", small>>10, large>>10)
	if large > small+1<<20 {
		t.Errorf("live heap grew from %d KiB to %d KiB with the case: the export keeps records", small>>10, large>>10)
	}
}

// TestFtMGeneratedCaseFollowsSchemata checks a generated case's entities as the
// fixture's are checked.
func TestFtMGeneratedCaseFollowsSchemata(t *testing.T) {
	var buf bytes.Buffer
	if _, err := FtM(&buf, testCase, &genSource{persons: 200, links: 2000, payments: 20, comms: 50}); err != nil {
		t.Fatal(err)
	}
	for _, p := range ftmProblems(parseFtM(t, buf.Bytes())) {
		t.Error(p)
	}
}

// BenchmarkFtM exports 100,000 persons and 1,000,000 links (and 1,000 payments and
// 100,000 calls) to io.Discard, reporting the most live heap seen during the run.
//
//	go test ./export -run '^$' -bench BenchmarkFtM -benchtime 1x
func BenchmarkFtM(b *testing.B) {
	b.ReportAllocs()
	var h liveHeap
	var records int64
	for b.Loop() {
		g := &genSource{persons: 100_000, links: 1_000_000, payments: 1000, comms: 100_000, probe: h.probe}
		counts, err := FtM(io.Discard, testCase, g)
		if err != nil {
			b.Fatal(err)
		}
		records = 0
		for _, n := range counts.Written {
			records += n
		}
	}
	b.ReportMetric(float64(h.max)/(1<<20), "live-MiB")
	b.ReportMetric(float64(records), "entities")
}
