package sqlstore_test

import (
	"testing"

	"caseroom"
)

func TestHarness(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		u := mustUser(t, s, "alice")
		c, err := s.DB.CreateCase(as(u), caseroom.NewCase{Title: "Operation Test"})
		if err != nil {
			t.Fatal(err)
		}
		s.Reopen()
		if _, err := s.DB.FindCase(as(u), c.ID); err != nil {
			t.Fatal(err)
		}
		if got := s.Snapshot()["audit_log"]; got != 2 {
			t.Fatalf("audit entries = %d, want 2", got)
		}
	})
}
