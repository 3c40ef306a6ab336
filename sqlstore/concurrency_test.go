package sqlstore_test

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// TestConcurrentWrites registers 20 statements and 10 victims in one case at once:
// every write succeeds, references and pseudonyms are dense and distinct, and the
// audit log has one entry per write with no gap.
func TestConcurrentWrites(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		giver := f.suspect("Gul Khan")
		before := len(s.entries())

		const statements, victims = 20, 10
		docs := make([]*caseroom.Document, statements)
		persons := make([]*caseroom.Person, victims)
		errs := make([]error, statements+victims)
		var wg sync.WaitGroup
		for i := range statements {
			wg.Go(func() {
				docs[i], errs[i] = s.DB.RegisterDocument(f.ctx, f.c.ID, caseroom.NewDocument{Kind: "statement",
					Title: fmt.Sprintf("Statement %d", i), Text: fmt.Sprintf("Text %d", i), Giver: giver.ID, RecordedAt: ptr(recorded)})
			})
		}
		for i := range victims {
			wg.Go(func() {
				persons[i], errs[statements+i] = s.DB.RegisterPerson(f.ctx, f.c.ID, caseroom.NewPerson{Roles: []caseroom.PersonRole{"victim"}})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}

		var refs, wantRefs, pseudonyms, wantPseudonyms []string
		for i, d := range docs {
			refs = append(refs, d.Ref)
			wantRefs = append(wantRefs, fmt.Sprintf("S-%d", i+1))
		}
		for i, p := range persons {
			pseudonyms = append(pseudonyms, p.Pseudonym)
			wantPseudonyms = append(wantPseudonyms, fmt.Sprintf("V-%04d", i+1))
		}
		sort.Slice(refs, func(i, j int) bool { return refNum(refs[i]) < refNum(refs[j]) })
		sort.Strings(pseudonyms)
		if diff := cmp.Diff(wantRefs, refs); diff != "" {
			t.Errorf("statement references (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantPseudonyms, pseudonyms); diff != "" {
			t.Errorf("pseudonyms (-want +got):\n%s", diff)
		}

		es := s.entries()
		if len(es) != before+statements+victims {
			t.Fatalf("audit entries = %d, want %d", len(es), before+statements+victims)
		}
		objects := map[string]bool{}
		for i, e := range es {
			if e.Seq != int64(i) {
				t.Fatalf("entry %d has seq %d: the log has a gap or a duplicate", i, e.Seq)
			}
			objects[e.ObjectID] = true
			if i >= before && s.recomputedHash(e.Seq) != e.StateHash {
				t.Errorf("entry %d (%s %s) does not match its rows", e.Seq, e.Action, e.ObjectID)
			}
		}
		for _, d := range docs {
			if !objects[d.ID] {
				t.Errorf("no audit entry for %s", d.Ref)
			}
		}
		for _, p := range persons {
			if !objects[p.ID] {
				t.Errorf("no audit entry for %s", p.Pseudonym)
			}
		}
	})
}

func refNum(ref string) int {
	n, _ := strconv.Atoi(ref[strings.Index(ref, "-")+1:])
	return n
}
