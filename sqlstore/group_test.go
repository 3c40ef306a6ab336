package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"caseroom/audit"
)

// TestGroupCommitIsolatesFailedWrites runs writes from many goroutines at once, so that
// they share group commits, and makes some fail after writing rows (one in four returns
// an error, one in four panics). Only the writes that succeeded are in the store, the
// audit log has one dense entry each, and the store verifies.
func TestGroupCommitIsolatesFailedWrites(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		u := mustUser(t, s, "alice")
		before := s.Count("audit_log")
		const writes = 60
		errs := make([]error, writes)
		var wg sync.WaitGroup
		for i := range writes {
			wg.Go(func() {
				var fail error
				if i%4 == 1 {
					fail = fmt.Errorf("write %d refused", i)
				}
				errs[i] = s.DB.WriteCaseForTest(as(u), fmt.Sprintf("Group %d", i), fail, i%4 == 3)
			})
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch i % 4 {
			case 1:
				if err == nil || !strings.Contains(err.Error(), "refused") {
					t.Errorf("write %d: %v, want its own error", i, err)
				}
			case 3:
				if err == nil || !strings.Contains(err.Error(), "panicked") {
					t.Errorf("write %d: %v, want the panic as an error", i, err)
				}
			default:
				if err != nil {
					t.Errorf("write %d: %v", i, err)
				}
				ok++
			}
		}
		for i := range writes {
			var n int
			s.raw.QueryRow(dollars(`SELECT COUNT(*) FROM cases WHERE title = ?`), fmt.Sprintf("Group %d", i)).Scan(&n)
			if want := map[bool]int{true: 1, false: 0}[i%4 == 0 || i%4 == 2]; n != want {
				t.Errorf("case of write %d stored %d times, want %d", i, n, want)
			}
		}
		if got := s.Count("audit_log") - before; got != ok {
			t.Errorf("%d new audit entries, want %d", got, ok)
		}
		snap, err := s.DB.AuditSnapshot(as(u))
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Close()
		rep, err := audit.Verify(as(u), snap, nil, nil)
		if err != nil {
			t.Fatalf("verify after failed writes in groups: %v", err)
		}
		if rep.Entries != int64(s.Count("audit_log")) {
			t.Errorf("verified %d entries of %d", rep.Entries, s.Count("audit_log"))
		}
	})
}
