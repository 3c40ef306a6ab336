package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"caseroom"
)

// commBenchCase makes a case with a suspect holding 0300-1234567 and an exhibit BN/1.
func commBenchCase(b *testing.B, s *testStore) (context.Context, string, string) {
	u := mustUser(b, s, "lena")
	ctx := as(u)
	c, err := s.DB.CreateCase(ctx, caseroom.NewCase{Title: "Operation Bench"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB.RegisterExhibit(ctx, c.ID, caseroom.NewExhibit{Ref: "BN/1", Description: "A phone", Kind: caseroom.ExhibitPhone, SeizedAt: ptr(seized)}); err != nil {
		b.Fatal(err)
	}
	doc, err := s.DB.RegisterDocument(ctx, c.ID, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Subscriber", Text: "The phone is the suspect's."})
	if err != nil {
		b.Fatal(err)
	}
	p, err := s.DB.RegisterPerson(ctx, c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Bench Suspect"}}, Roles: []caseroom.PersonRole{caseroom.PersonSuspect}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB.AddIdentifier(ctx, c.ID, p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "0300-1234567", Source: doc.Ref}); err != nil {
		b.Fatal(err)
	}
	return ctx, c.ID, p.ID
}

// benchCDR is n calls from the subscriber to 3,000 counterparts, 29 seconds apart.
func benchCDR(n int) func(*time.Location, func(caseroom.CommRow) error) error {
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	return func(_ *time.Location, fn func(caseroom.CommRow) error) error {
		for i := range n {
			if err := fn(caseroom.CommRow{Line: int64(i + 2), Kind: caseroom.CommCall, Directed: true, Duration: int64(i % 900),
				From: caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: "03001234567"},
				To:   caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: fmt.Sprintf("0321%07d", i%3000)},
				At:   start.Add(time.Duration(i) * 29 * time.Second), CellID: "410-06-1234-5678", IMEI: "356938035643809"}); err != nil {
				return err
			}
		}
		return nil
	}
}

// BenchmarkCommunicationsReads reads, after importing 30,000 calls with 3,000
// counterparts, the suspect's communications summary and a 500-entry page of their
// timeline.
func BenchmarkCommunicationsReads(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		ctx, c, person := commBenchCase(b, s)
		if _, err := s.DB.ImportCommunications(ctx, c, caseroom.NewCommImport{Exhibit: "BN/1", Format: "cdr", SHA256: strings.Repeat("ab", 32), Rows: benchCDR(30000)}); err != nil {
			b.Fatal(err)
		}
		b.Run("summary", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.DB.SummariseCommunications(ctx, c, person, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("timeline", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.DB.Timeline(ctx, c, caseroom.TimelineFilter{Person: person, Limit: 500}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkImportCommunications imports b.N rows of calls between a subscriber and
// 3,000 counterparts, in one import, and reports rows per second.
func BenchmarkImportCommunications(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		ctx, c, _ := commBenchCase(b, s)
		rows := benchCDR(b.N)
		b.ResetTimer()
		imp, err := s.DB.ImportCommunications(ctx, c, caseroom.NewCommImport{Exhibit: "BN/1", Format: "cdr", SHA256: strings.Repeat("ab", 32), Rows: rows})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if imp.Added != int64(b.N) {
			b.Fatalf("added %d of %d", imp.Added, b.N)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkRecordPayment records b.N payments, one after another, in a case that grows
// by them.
func BenchmarkRecordPayment(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		ctx, c, person := commBenchCase(b, s)
		payer, err := s.DB.RegisterPerson(ctx, c, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Bench Father"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
		if err != nil {
			b.Fatal(err)
		}
		amount := caseroom.MinorUnits(5000000)
		b.ResetTimer()
		for range b.N {
			if _, err := s.DB.RecordPayment(ctx, c, caseroom.NewPayment{Payer: payer.ID, Payee: person, Amount: &amount, At: "2015-06",
				Method: caseroom.PaymentCash, Purpose: caseroom.PurposeExtortion, Source: "R-1"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
