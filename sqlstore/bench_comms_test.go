package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"caseroom"
)

// BenchmarkImportCommunications imports b.N rows of calls between a subscriber and
// 3,000 counterparts, in one import, and reports rows per second.
func BenchmarkImportCommunications(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		u := mustUser(b, s, "lena")
		ctx := as(u)
		c, err := s.DB.CreateCase(ctx, caseroom.NewCase{Title: "Operation Bench"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.DB.RegisterExhibit(ctx, c.ID, caseroom.NewExhibit{Ref: "BN/1", Description: "A phone", Kind: caseroom.ExhibitPhone, SeizedAt: ptr(seized)}); err != nil {
			b.Fatal(err)
		}
		start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
		rows := func(_ *time.Location, fn func(caseroom.CommRow) error) error {
			for i := range b.N {
				if err := fn(caseroom.CommRow{Line: int64(i + 2), Kind: caseroom.CommCall, Directed: true, Duration: int64(i % 900),
					From: caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: "03001234567"},
					To:   caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: fmt.Sprintf("0321%07d", i%3000)},
					At:   start.Add(time.Duration(i) * 29 * time.Second), CellID: "410-06-1234-5678", IMEI: "356938035643809"}); err != nil {
					return err
				}
			}
			return nil
		}
		b.ResetTimer()
		imp, err := s.DB.ImportCommunications(ctx, c.ID, caseroom.NewCommImport{Exhibit: "BN/1", Format: "cdr", SHA256: strings.Repeat("ab", 32), Rows: rows})
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
