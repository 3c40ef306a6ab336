package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// TestDeadlineClocks checks the three clocks against the store's clock, who reads
// them, and that the overdue ones reach the accountability report.
func TestDeadlineClocks(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		s.DB.Now = func() time.Time { return now }
		f := newActionFixture(t, s)
		c := f.c.ID
		pros := f.member("parvez", caseroom.RoleProsecutor)
		arrestAt := now.Add(-2 * time.Hour)
		if _, err := s.DB.RecordArrest(f.ctx, c, caseroom.NewArrest{Person: f.suspect.ID, At: &arrestAt, By: f.inv.Name, Grounds: []string{"S-1"}}); err != nil {
			t.Fatal(err)
		}
		exam := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Subjects: []string{f.victim.ID}})
		soon := now.Add(time.Hour)
		trace := f.raise(caseroom.NewAction{Kind: caseroom.ActionTraceIdentifier, Title: "Trace the number", Due: &soon})
		done := f.raise(caseroom.NewAction{Due: &soon})
		if _, err := s.DB.CancelAction(f.ctx, c, done.Ref, caseroom.ActionReason{Reason: "Not needed."}); err != nil {
			t.Fatal(err)
		}
		type clock struct {
			Kind    caseroom.ClockKind
			Ref     string
			Due     time.Time
			Overdue bool
		}
		read := func(u *caseroom.User) []clock {
			t.Helper()
			cs, err := s.DB.Clocks(as(u), c)
			if err != nil {
				t.Fatal(err)
			}
			out := []clock{}
			for _, x := range cs {
				out = append(out, clock{x.Kind, x.Ref, x.Due.UTC(), x.Overdue})
			}
			return out
		}
		// Now: nothing overdue; the cancelled action has no clock.
		want := []clock{
			{caseroom.ClockActionDue, trace.Ref, soon, false},
			{caseroom.ClockProduction, "AR-1", arrestAt.Add(24 * time.Hour), false},
			{caseroom.ClockMedicalExamination, exam.Ref, now.Add(72 * time.Hour), false},
		}
		if diff := cmp.Diff(want, read(pros)); diff != "" {
			t.Errorf("clocks now (-want +got):\n%s", diff)
		}
		// Two days on: the action and the production are overdue, the examination not.
		now = now.Add(48 * time.Hour)
		want[0].Overdue, want[1].Overdue = true, true
		if diff := cmp.Diff(want, read(f.inv)); diff != "" {
			t.Errorf("clocks two days on (-want +got):\n%s", diff)
		}
		rep, err := s.DB.Accountability(f.ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		var overdue []string
		for _, x := range rep.OverdueClocks {
			overdue = append(overdue, string(x.Kind)+" "+x.Ref)
		}
		if diff := cmp.Diff([]string{"action-due " + trace.Ref, "arrest-production AR-1"}, overdue); diff != "" {
			t.Errorf("accountability overdue clocks (-want +got):\n%s", diff)
		}
		// Four days on, the examination too.
		now = now.Add(48 * time.Hour)
		if rep, err = s.DB.Accountability(f.ctx, c); err != nil {
			t.Fatal(err)
		}
		if len(rep.OverdueClocks) != 3 {
			t.Errorf("overdue clocks after 96 hours: %+v, want 3", rep.OverdueClocks)
		}
		_, err = s.DB.Clocks(as(f.exam), c)
		checkError(t, err, caseroom.EFORBIDDEN, "")
	})
}
