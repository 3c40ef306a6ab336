package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"caseroom"
)

// BenchmarkRegisterStatement measures one audited write: a statement with its giver
// and a person present, numbered, stored and hashed into its audit entry.
func BenchmarkRegisterStatement(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		u, c, giver := benchCase(b, s)
		at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_, err := s.DB.RegisterDocument(as(u), c.ID, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Statement",
				Text: "The witness describes the bus stand.", Giver: giver.ID, RecordedAt: &at, Present: []caseroom.Presence{{Person: giver.ID}}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFindPersons measures listing a case of 300 persons (the demo case has ~90)
// as an investigator, with victims' identities withheld.
func BenchmarkFindPersons(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		u, c, _ := benchCase(b, s)
		for i := 0; i < 300; i++ {
			role := caseroom.PersonSuspect
			if i%3 == 0 {
				role = caseroom.PersonVictim
			}
			if _, err := s.DB.RegisterPerson(as(u), c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: fmt.Sprintf("Person %d", i)}},
				Aliases: []caseroom.Alias{{Alias: fmt.Sprintf("P%d", i)}}, Roles: []caseroom.PersonRole{role}}); err != nil {
				b.Fatal(err)
			}
		}
		inv := mustUser(b, s, "inv")
		if _, err := s.DB.AddMember(as(u), c.ID, caseroom.NewMembership{User: "inv", Role: caseroom.RoleInvestigator}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			ps, err := s.DB.FindPersons(as(inv), c.ID, caseroom.PersonFilter{})
			if err != nil || len(ps) != 301 {
				b.Fatal(len(ps), err)
			}
		}
	})
}

func benchCase(b *testing.B, s *testStore) (*caseroom.User, *caseroom.Case, *caseroom.Person) {
	u := mustUser(b, s, "lead")
	c, err := s.DB.CreateCase(as(u), caseroom.NewCase{Title: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	p, err := s.DB.RegisterPerson(as(u), c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Giver"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
	if err != nil {
		b.Fatal(err)
	}
	return u, c, p
}

// BenchmarkRegisterStatementParallel measures audited writes from many writers at once
// (64 goroutines, as many officers and API clients), which share group commits: each
// statement still has its own audit entry, leaf and tree hashes, and its caller returns
// only after the commit that holds it is durable.
func BenchmarkRegisterStatementParallel(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		u, c, giver := benchCase(b, s)
		at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		b.SetParallelism(32)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, err := s.DB.RegisterDocument(as(u), c.ID, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Statement",
					Text: "The witness describes the bus stand.", Giver: giver.ID, RecordedAt: &at, Present: []caseroom.Presence{{Person: giver.ID}}})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	})
}

// BenchmarkCreateCaseParallel measures the smallest audited write of the API, from 64
// writers at once: a case and its lead's membership, one audit entry with its state
// hash, leaf and tree hashes, committed in shared group commits.
func BenchmarkCreateCaseParallel(b *testing.B) {
	forEachStoreB(b, func(b *testing.B, s *testStore) {
		u := mustUser(b, s, "lead")
		b.SetParallelism(32)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.DB.CreateCase(as(u), caseroom.NewCase{Title: "Bench"}); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	})
}
