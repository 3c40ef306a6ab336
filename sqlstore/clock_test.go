package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/sqlstore"
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

func TestProductionStopsClock(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		s.DB.Now = func() time.Time { return now }
		f := newActionFixture(t, s)
		c := f.c.ID
		arrestAt := now.Add(-30 * time.Hour) // due six hours ago
		ar, err := s.DB.RecordArrest(f.ctx, c, caseroom.NewArrest{Person: f.suspect.ID, At: &arrestAt, By: f.inv.Name, Grounds: []string{"S-1"}})
		if err != nil {
			t.Fatal(err)
		}
		clocksOf := func() []caseroom.ClockKind {
			t.Helper()
			cs, err := s.DB.Clocks(f.ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			var kinds []caseroom.ClockKind
			for _, x := range cs {
				if x.Ref == ar.Ref {
					kinds = append(kinds, x.Kind)
				}
			}
			return kinds
		}
		if got := clocksOf(); len(got) != 1 {
			t.Fatalf("clocks of %s before production: %v, want one", ar.Ref, got)
		}
		good := caseroom.NewProduction{At: ptr(arrestAt.Add(26 * time.Hour)), Court: "Judicial Magistrate, Chak 12", Outcome: caseroom.ProductionRemanded, By: f.inv.Name}
		for _, tc := range []struct {
			name  string
			edit  func(np *caseroom.NewProduction)
			code  string
			field string
		}{
			{"missing at", func(np *caseroom.NewProduction) { np.At = nil }, caseroom.EINVALID, "at"},
			{"before the arrest", func(np *caseroom.NewProduction) { np.At = ptr(arrestAt.Add(-time.Minute)) }, caseroom.EINVALID, "at"},
			{"in the future", func(np *caseroom.NewProduction) { np.At = ptr(now.Add(time.Hour)) }, caseroom.EINVALID, "at"},
			{"no court", func(np *caseroom.NewProduction) { np.Court = " " }, caseroom.EINVALID, "court"},
			{"unknown outcome", func(np *caseroom.NewProduction) { np.Outcome = "adjourned" }, caseroom.EINVALID, "outcome"},
			{"officer not a member", func(np *caseroom.NewProduction) { np.By = "nobody" }, caseroom.EINVALID, "by"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := s.Count("audit_log")
				np := good
				tc.edit(&np)
				_, err := s.DB.RecordProduction(f.ctx, c, ar.Ref, np)
				checkError(t, err, tc.code, tc.field)
				if n := s.Count("audit_log"); n != before {
					t.Errorf("refused production wrote %d audit entries", n-before)
				}
				if n := s.Count("arrest_productions"); n != 0 {
					t.Errorf("refused production left %d rows", n)
				}
			})
		}
		_, err = s.DB.RecordProduction(as(f.exam), c, ar.Ref, good)
		checkError(t, err, caseroom.EFORBIDDEN, "")
		_, err = s.DB.RecordProduction(f.ctx, c, "AR-9", good)
		checkError(t, err, caseroom.ENOTFOUND, "")

		got, err := s.DB.RecordProduction(f.ctx, c, ar.Ref, good)
		if err != nil {
			t.Fatal(err)
		}
		if e := s.lastEntry(); e.Action != "arrest.production" {
			t.Errorf("last audit entry %s, want arrest.production", e.Action)
		}
		if got.ProducedAt == nil || !got.ProducedAt.Equal(*good.At) || got.Production == nil || !got.Production.Late ||
			got.Production.Outcome != caseroom.ProductionRemanded || got.Production.Court != good.Court {
			t.Errorf("arrest after production: %+v %+v, want produced late at %s", got.ProducedAt, got.Production, good.At)
		}
		if kinds := clocksOf(); len(kinds) != 0 {
			t.Errorf("clocks of %s after production: %v, want none", ar.Ref, kinds)
		}
		rep, err := s.DB.Accountability(f.ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range rep.OverdueClocks {
			if x.Ref == ar.Ref {
				t.Errorf("produced arrest still overdue: %+v", x)
			}
		}

		before := s.Count("audit_log")
		_, err = s.DB.RecordProduction(f.ctx, c, ar.ID, good)
		checkError(t, err, caseroom.ECONFLICT, "")
		if n := s.Count("audit_log"); n != before {
			t.Errorf("second production wrote %d audit entries", n-before)
		}
	})
}

// TestTimesInTheFuture checks the one rule every write that takes a time something
// happened applies: up to five minutes (sqlstore.FutureSkew) ahead of the
// server's clock is accepted, later is refused with EINVALID naming the field, in the
// same words everywhere, and nothing is written.
func TestTimesInTheFuture(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		s.DB.Now = func() time.Time { return now }
		f := newActionFixture(t, s)
		c := f.c.ID
		past := now.Add(-time.Hour)
		arrest, err := s.DB.RecordArrest(f.ctx, c, caseroom.NewArrest{Person: f.suspect.ID, At: &past, By: f.inv.Name, Grounds: []string{"S-1"}})
		if err != nil {
			t.Fatal(err)
		}
		writes := []timedWrite{
			{"statement recordedAt", "recordedAt", func(at time.Time) error {
				_, err := s.DB.RegisterDocument(f.ctx, c, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Statement", Text: "Said.", Giver: f.victim.ID, RecordedAt: &at})
				return err
			}},
			{"arrest at", "at", func(at time.Time) error {
				_, err := s.DB.RecordArrest(f.ctx, c, caseroom.NewArrest{Person: f.suspect.ID, At: &at, By: f.inv.Name, Grounds: []string{"S-1"}})
				return err
			}},
			{"contact at", "at", func(at time.Time) error {
				_, err := s.DB.RecordContact(f.ctx, c, caseroom.NewContact{Person: f.victim.ID, By: f.inv.Name, At: &at, Kind: caseroom.ContactPhone, Purpose: "A call."})
				return err
			}},
			{"production at", "at", func(at time.Time) error {
				_, err := s.DB.RecordProduction(f.ctx, c, arrest.Ref, caseroom.NewProduction{At: &at, Court: "A magistrate", Outcome: caseroom.ProductionRemanded, By: f.inv.Name})
				return err
			}},
		}
		checkFutureRefused(t, s, now, writes)
	})
}

// timedWrite is a write that takes the time something happened, and the field it goes in.
type timedWrite struct {
	name, field string
	write       func(at time.Time) error
}

// checkFutureRefused checks each write against the one rule for times in the future:
// later than sqlstore.FutureSkew past now is refused (EINVALID naming the field, in the
// same words everywhere) and writes nothing; within the skew is taken. A time before
// caseroom.EarliestTime (1900) is refused in the same way.
func checkFutureRefused(t *testing.T, s *testStore, now time.Time, writes []timedWrite) {
	t.Helper()
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			early := caseroom.EarliestTime.Add(-time.Second)
			snap := s.Snapshot()
			err := w.write(early)
			checkError(t, err, caseroom.EINVALID, w.field)
			if want := w.field + ": 1899-12-31T23:59:59Z is before 1900; check the year"; caseroom.ErrorMessage(err) != want {
				t.Errorf("message %q, want %q", caseroom.ErrorMessage(err), want)
			}
			if diff := cmp.Diff(snap, s.Snapshot()); diff != "" {
				t.Errorf("a time before 1900 changed the store (-before +after):\n%s", diff)
			}
			late := now.Add(sqlstore.FutureSkew + time.Minute)
			before := s.Count("audit_log")
			err = w.write(late)
			checkError(t, err, caseroom.EINVALID, w.field)
			want := w.field + ": " + late.Format(time.RFC3339) + " is in the future (the server's time is " + now.Format(time.RFC3339) + "); give when it happened"
			if msg := caseroom.ErrorMessage(err); msg != want {
				t.Errorf("message %q, want %q", msg, want)
			}
			if after := s.Count("audit_log"); after != before {
				t.Errorf("a refused write added %d audit entries", after-before)
			}
			if err := w.write(now.Add(sqlstore.FutureSkew - time.Minute)); err != nil {
				t.Errorf("a time within the skew: %v", err)
			}
		})
	}
}

// TestTimeBounds checks the plain bounds on the other times and dates a write takes:
// an action's due time from 1900 to caseroom.DueWithinYears (ten) years ahead, a date
// of birth and a link's since and until from 1900. Out of bounds is refused with
// EINVALID naming the field, and nothing is written.
func TestTimeBounds(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		s.DB.Now = func() time.Time { return now }
		f := newActionFixture(t, s)
		c := f.c.ID
		due := func(at time.Time) func() error {
			return func() error {
				_, err := s.DB.RaiseAction(f.ctx, c, caseroom.NewAction{Kind: caseroom.ActionOther, Title: "Due some day", Due: &at})
				return err
			}
		}
		person := func(dob string) func() error {
			return func() error {
				_, err := s.DB.RegisterPerson(f.ctx, c, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Old Witness"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}, DateOfBirth: dob})
				return err
			}
		}
		link := func(since, until string) func() error {
			return func() error {
				_, err := s.DB.RecordLink(f.ctx, c, caseroom.NewLink{From: f.suspect.ID, To: f.victim.ID, Type: "knows", Source: "S-1", Confidence: ptr(1.0), Since: since, Until: until})
				return err
			}
		}
		for _, tc := range []struct {
			name, field string
			call        func() error
		}{
			{"a due time in the year 9999", "due", due(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))},
			{"a due time just over ten years ahead", "due", due(now.AddDate(10, 0, 0).Add(time.Second))},
			{"a due time before 1900", "due", due(time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC))},
			{"a date of birth before 1900", "dateOfBirth", person("1899-12-31")},
			{"a link since the year 1066", "since", link("1066", "")},
			{"a link until before 1900", "until", link("", "1899-06")},
		} {
			t.Run(tc.name, func(t *testing.T) { refused(t, s, caseroom.EINVALID, tc.field, tc.call) })
		}
		for _, tc := range []struct {
			name string
			call func() error
		}{
			{"a due time ten years ahead", due(now.AddDate(10, 0, 0))},
			{"a date of birth in 1900", person("1900-01-01")},
			{"a link since 1900", link("1900", "")},
		} {
			if err := tc.call(); err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
	})
}
