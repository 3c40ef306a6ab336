package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// This file holds the actions (HOLMES lines of enquiry) and the lead's decision log:
// numbering, every transition, who may make it, and refusals that change nothing.

// actionTables are the tables of actions and decisions, which Snapshot does not count.
var actionTables = []string{"actions", "action_subjects", "action_events", "decisions",
	"action_consents", "arrests", "arrest_grounds", "retractions", "links", "documents", "statements", "safeguard_rules", "contacts"}

// refusedAction runs a call that must fail with code (naming field, if set) and checks
// that no table changed: the audit log, the action tables and the others.
func refusedAction(t *testing.T, s *testStore, code, field string, call func() error) {
	t.Helper()
	snap := func() map[string]int {
		out := s.Snapshot()
		for _, table := range actionTables {
			out[table] = s.Count(table)
		}
		return out
	}
	before := snap()
	checkError(t, call(), code, field)
	if diff := cmp.Diff(before, snap()); diff != "" {
		t.Errorf("refused call changed the store (-before +after):\n%s", diff)
	}
}

// actionFixture is a case with an investigator, an examiner, an oversight member and
// an advocate; a complaint (C-1), a statement of a victim (S-1), a suspect, and an
// exhibit SB/1.
type actionFixture struct {
	*fixture
	inv, exam, over, adv, outsider *caseroom.User
	victim, suspect                *caseroom.Person
}

func newActionFixture(t *testing.T, s *testStore) *actionFixture {
	t.Helper()
	f := &actionFixture{fixture: newFixture(t, s, "lena", "Operation Heron")}
	f.inv = f.member("imran", caseroom.RoleInvestigator)
	f.exam = f.member("erum", caseroom.RoleExaminer)
	f.over = f.member("omar", caseroom.RoleOversight)
	f.outsider = mustUser(t, s, "nobody")
	f.complaint("First information report")
	f.victim = f.fixture.victim(f.ctx, "Fictional Victim")
	f.suspect = f.fixture.suspect("Fictional Suspect")
	f.statement(f.victim.ID, "Statement of V-0001")
	rep := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Advocate", Script: "Latn"}},
		Roles: []caseroom.PersonRole{caseroom.PersonRepresentative}})
	f.adv = mustUser(t, s, "asma")
	if _, err := s.DB.AddMember(f.ctx, f.c.ID, caseroom.NewMembership{User: "asma", Role: caseroom.RoleAdvocate, Person: rep.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.RegisterExhibit(f.ctx, f.c.ID, caseroom.NewExhibit{Ref: "SB/1", Description: "A disc", Kind: caseroom.ExhibitDisc, SeizedAt: ptr(seized)}); err != nil {
		t.Fatal(err)
	}
	return f
}

// raise raises an action as the lead and fails the test on error.
func (f *actionFixture) raise(na caseroom.NewAction) *caseroom.Action {
	f.t.Helper()
	if na.Kind == "" {
		na.Kind = caseroom.ActionOther
	}
	if na.Title == "" {
		na.Title = "Something to do"
	}
	a, err := f.s.DB.RaiseAction(f.ctx, f.c.ID, na)
	if err != nil {
		f.t.Fatalf("raise %+v: %v", na, err)
	}
	return a
}

func TestActionsAreNumberedPerCase(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		due := time.Date(2026, 11, 22, 17, 0, 0, 0, time.FixedZone("PKT", 5*60*60))
		a1 := f.raise(caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Title: "Medical examination of V-0001",
			RaisedFrom: "S-1", Subjects: []string{"V-0001", "SB/1"}, Due: &due})
		a2, err := s.DB.RaiseAction(as(f.inv), f.c.ID, caseroom.NewAction{Kind: caseroom.ActionTraceIdentifier, Title: "Trace the phone", Priority: caseroom.PriorityUrgent})
		if err != nil {
			t.Fatal(err)
		}
		if a1.Ref != "A-1" || a2.Ref != "A-2" {
			t.Fatalf("refs %s, %s; want A-1, A-2", a1.Ref, a2.Ref)
		}
		if a1.State != caseroom.ActionRaised || a1.Priority != caseroom.PriorityNormal || a1.RaisedFrom != "S-1" || a1.RaisedBy != "lena" {
			t.Errorf("raised action: %+v", a1)
		}
		if a1.Due == nil || !a1.Due.Equal(due) || a1.Due.Location() != time.UTC {
			t.Errorf("due %v; want %v in UTC", a1.Due, due)
		}
		wantSubjects := []caseroom.ActionSubject{{ID: f.victim.ID, Kind: "person", Label: "V-0001"}, {Kind: "exhibit", Label: "SB/1"}}
		if len(a1.Subjects) != 2 {
			t.Fatalf("subjects %+v", a1.Subjects)
		}
		wantSubjects[1].ID = a1.Subjects[1].ID
		if diff := cmp.Diff(wantSubjects, a1.Subjects); diff != "" {
			t.Errorf("subjects (-want +got):\n%s", diff)
		}
		if len(a1.History) != 1 || a1.History[0].Event != caseroom.ActionEventRaised || a1.History[0].Seq != 1 {
			t.Errorf("history %+v", a1.History)
		}
		if e := s.lastEntry(); e.Action != "action.raise" || e.ObjectID != a2.ID || e.Actor != "imran" {
			t.Errorf("last audit entry %+v", e)
		}
		// Another case numbers its own from 1.
		g := newFixture(t, s, "zara", "Operation Finch")
		b, err := s.DB.RaiseAction(g.ctx, g.c.ID, caseroom.NewAction{Kind: caseroom.ActionSearch, Title: "Search the shop"})
		if err != nil || b.Ref != "A-1" {
			t.Fatalf("other case's first action: %+v, %v", b, err)
		}
		// By reference and by id.
		for _, ref := range []string{"A-2", a2.ID} {
			got, err := s.DB.FindAction(as(f.over), f.c.ID, ref)
			if err != nil || got.ID != a2.ID {
				t.Errorf("find %s: %+v, %v", ref, got, err)
			}
		}
		if _, err := s.DB.FindAction(f.ctx, f.c.ID, "A-9"); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			t.Errorf("find A-9: %v; want not found", err)
		}
		if _, err := s.DB.FindAction(f.ctx, g.c.ID, "A-2"); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			t.Errorf("find another case's A-2: %v; want not found", err)
		}
	})
}

func TestActionLifecycle(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		a := f.raise(caseroom.NewAction{Kind: caseroom.ActionExamineExhibit, Title: "List the files on SB/1", Subjects: []string{"SB/1"}})
		step := func(name string, got *caseroom.Action, err error, state caseroom.ActionState, action string) *caseroom.Action {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got.State != state {
				t.Fatalf("%s: state %s; want %s", name, got.State, state)
			}
			if e := s.lastEntry(); e.Action != action || e.ObjectID != a.ID || e.CaseID != c {
				t.Fatalf("%s: last audit entry %+v; want %s", name, e, action)
			}
			return got
		}
		got, err := s.DB.AllocateAction(f.ctx, c, "A-1", caseroom.ActionAllocation{To: "imran"})
		got = step("allocate", got, err, caseroom.ActionAllocated, "action.allocate")
		if got.AllocatedTo != "imran" {
			t.Fatalf("allocated to %q", got.AllocatedTo)
		}
		// Reallocated to the examiner, who results it.
		got, err = s.DB.AllocateAction(f.ctx, c, "A-1", caseroom.ActionAllocation{To: "erum"})
		step("reallocate", got, err, caseroom.ActionAllocated, "action.allocate")
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Examination of SB/1", Text: "Twelve files listed."})
		got, err = s.DB.ResultAction(as(f.exam), c, a.ID, caseroom.ActionResultInput{Document: "R-1"})
		got = step("result", got, err, caseroom.ActionResulted, "action.result")
		if got.Result != "R-1" {
			t.Fatalf("result %q", got.Result)
		}
		got, err = s.DB.ReferBackAction(f.ctx, c, "A-1", caseroom.ActionReason{Reason: "List the deleted files too."})
		got = step("refer back", got, err, caseroom.ActionAllocated, "action.refer-back")
		if got.AllocatedTo != "erum" || got.Result != "" {
			t.Fatalf("after refer-back: allocated to %q, result %q", got.AllocatedTo, got.Result)
		}
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Examination of SB/1, deleted files", Text: "Three deleted files."})
		got, err = s.DB.ResultAction(as(f.exam), c, "A-1", caseroom.ActionResultInput{Document: "R-2"})
		step("result again", got, err, caseroom.ActionResulted, "action.result")
		got, err = s.DB.FileAction(f.ctx, c, "A-1")
		got = step("file", got, err, caseroom.ActionFiled, "action.file")
		want := []caseroom.ActionEventKind{caseroom.ActionEventRaised, caseroom.ActionEventAllocated, caseroom.ActionEventAllocated,
			caseroom.ActionEventResulted, caseroom.ActionEventReferredBack, caseroom.ActionEventResulted, caseroom.ActionEventFiled}
		var events []caseroom.ActionEventKind
		for i, ev := range got.History {
			events = append(events, ev.Event)
			if ev.Seq != i+1 {
				t.Errorf("event %d has seq %d", i, ev.Seq)
			}
		}
		if diff := cmp.Diff(want, events); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		if h := got.History[4]; h.Reason != "List the deleted files too." || h.By != "lena" {
			t.Errorf("refer-back event %+v", h)
		}
		if got.Result != "R-2" || got.History[3].Document != "R-1" {
			t.Errorf("result %q, first result event %+v", got.Result, got.History[3])
		}
		// Nothing was ever updated: one action row, one event row per step.
		if n := s.Count("actions"); n != 1 {
			t.Errorf("%d action rows; want 1", n)
		}
		if n := s.Count("action_events"); n != len(want) {
			t.Errorf("%d event rows; want %d", n, len(want))
		}

		// Cancelling, from raised and from allocated, with a reason.
		b := f.raise(caseroom.NewAction{Title: "Trace the seller"})
		got, err = s.DB.CancelAction(f.ctx, c, b.Ref, caseroom.ActionReason{Reason: "Duplicate of A-1."})
		check := func(name string, got *caseroom.Action, err error, state caseroom.ActionState, action string) {
			t.Helper()
			if err != nil || got.State != state || s.lastEntry().Action != action {
				t.Fatalf("%s: %+v, %v; want %s by %s", name, got, err, state, action)
			}
		}
		check("cancel raised", got, err, caseroom.ActionCancelled, "action.cancel")
		d := f.raise(caseroom.NewAction{Title: "Search the shop"})
		_, err = s.DB.AllocateAction(f.ctx, c, d.Ref, caseroom.ActionAllocation{To: "imran"})
		check("allocate", &caseroom.Action{State: caseroom.ActionAllocated}, err, caseroom.ActionAllocated, "action.allocate")
		got, err = s.DB.CancelAction(f.ctx, c, d.Ref, caseroom.ActionReason{Reason: "The shop has closed."})
		check("cancel allocated", got, err, caseroom.ActionCancelled, "action.cancel")
		if got.History[2].Reason != "The shop has closed." {
			t.Errorf("cancel event %+v", got.History[2])
		}
		// The lead, too, may result an action allocated to someone else.
		e := f.raise(caseroom.NewAction{Title: "Record the shopkeeper's statement", Kind: caseroom.ActionRecordStatement})
		if _, err := s.DB.AllocateAction(f.ctx, c, e.Ref, caseroom.ActionAllocation{To: "imran"}); err != nil {
			t.Fatal(err)
		}
		got, err = s.DB.ResultAction(f.ctx, c, e.Ref, caseroom.ActionResultInput{Document: "S-1"})
		check("lead results", got, err, caseroom.ActionResulted, "action.result")
	})
}

func TestActionRefusals(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		db := s.DB
		raise := func(ctx func() *caseroom.User, na caseroom.NewAction) func() error {
			return func() error { _, err := db.RaiseAction(as(ctx()), c, na); return err }
		}
		lead := func() *caseroom.User { return f.lead }
		ok := caseroom.NewAction{Kind: caseroom.ActionSearch, Title: "Search the house"}
		with := func(change func(*caseroom.NewAction)) caseroom.NewAction { na := ok; change(&na); return na }
		for _, tt := range []struct {
			name, code, field string
			call              func() error
		}{
			{"bad kind", caseroom.EINVALID, "kind", raise(lead, with(func(na *caseroom.NewAction) { na.Kind = "raid" }))},
			{"no title", caseroom.EINVALID, "title", raise(lead, with(func(na *caseroom.NewAction) { na.Title = "  " }))},
			{"bad priority", caseroom.EINVALID, "priority", raise(lead, with(func(na *caseroom.NewAction) { na.Priority = "asap" }))},
			{"unknown document", caseroom.EINVALID, "raisedFrom", raise(lead, with(func(na *caseroom.NewAction) { na.RaisedFrom = "S-9" }))},
			{"unknown subject", caseroom.EINVALID, "subjects[1]", raise(lead, with(func(na *caseroom.NewAction) { na.Subjects = []string{"V-0001", "V-0099"} }))},
			{"unknown exhibit", caseroom.EINVALID, "subjects[0]", raise(lead, with(func(na *caseroom.NewAction) { na.Subjects = []string{"SB/7"} }))},
			{"subject not a person or exhibit", caseroom.EINVALID, "subjects[0]", raise(lead, with(func(na *caseroom.NewAction) { na.Subjects = []string{"S-1"} }))},
			{"subject twice", caseroom.EINVALID, "subjects[1]", raise(lead, with(func(na *caseroom.NewAction) { na.Subjects = []string{"V-0001", f.victim.ID} }))},
			{"examiner raises", caseroom.EFORBIDDEN, "", raise(func() *caseroom.User { return f.exam }, ok)},
			{"oversight raises", caseroom.EFORBIDDEN, "", raise(func() *caseroom.User { return f.over }, ok)},
			{"outsider raises", caseroom.ENOTFOUND, "", raise(func() *caseroom.User { return f.outsider }, ok)},
		} {
			t.Run(tt.name, func(t *testing.T) { refusedAction(t, s.within(t), tt.code, tt.field, tt.call) })
		}

		a := f.raise(caseroom.NewAction{Kind: caseroom.ActionArrest, Title: "Arrest the suspect", Subjects: []string{f.suspect.ID}})
		allocate := func(u *caseroom.User, to string) func() error {
			return func() error {
				_, err := db.AllocateAction(as(u), c, a.Ref, caseroom.ActionAllocation{To: to})
				return err
			}
		}
		result := func(u *caseroom.User, doc string) func() error {
			return func() error {
				_, err := db.ResultAction(as(u), c, a.Ref, caseroom.ActionResultInput{Document: doc})
				return err
			}
		}
		cancel := func(u *caseroom.User, reason string) func() error {
			return func() error {
				_, err := db.CancelAction(as(u), c, a.Ref, caseroom.ActionReason{Reason: reason})
				return err
			}
		}
		for _, tt := range []struct {
			name, code, field string
			call              func() error
		}{
			{"allocate to a non-member", caseroom.EINVALID, "to", allocate(f.lead, "nobody")},
			{"allocate to no user", caseroom.EINVALID, "to", allocate(f.lead, "ghost")},
			{"allocate to oversight", caseroom.EINVALID, "to", allocate(f.lead, "omar")},
			{"allocate to an advocate", caseroom.EINVALID, "to", allocate(f.lead, "asma")},
			{"allocate to nobody", caseroom.EINVALID, "to", allocate(f.lead, "")},
			{"investigator allocates", caseroom.EFORBIDDEN, "", allocate(f.inv, "imran")},
			{"outsider allocates", caseroom.ENOTFOUND, "", allocate(f.outsider, "imran")},
			{"result before allocation", caseroom.ECONFLICT, "", result(f.lead, "S-1")},
			{"file before result", caseroom.ECONFLICT, "", func() error { _, err := db.FileAction(f.ctx, c, a.Ref); return err }},
			{"refer back before result", caseroom.ECONFLICT, "", func() error {
				_, err := db.ReferBackAction(f.ctx, c, a.Ref, caseroom.ActionReason{Reason: "No."})
				return err
			}},
			{"cancel without reason", caseroom.EINVALID, "reason", cancel(f.lead, " ")},
			{"investigator cancels", caseroom.EFORBIDDEN, "", cancel(f.inv, "Not needed.")},
			{"unknown action", caseroom.ENOTFOUND, "", func() error { _, err := db.FileAction(f.ctx, c, "A-77"); return err }},
		} {
			t.Run(tt.name, func(t *testing.T) { refusedAction(t, s.within(t), tt.code, tt.field, tt.call) })
		}

		if err := allocate(f.lead, "imran")(); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, code, field string
			call              func() error
		}{
			{"allocate twice to the same member", caseroom.ECONFLICT, "", allocate(f.lead, "imran")},
			{"result by another member", caseroom.EFORBIDDEN, "", result(f.exam, "S-1")},
			{"result by oversight", caseroom.EFORBIDDEN, "", result(f.over, "S-1")},
			{"result without a document", caseroom.EINVALID, "document", result(f.inv, "")},
			{"result with an unknown document", caseroom.EINVALID, "document", result(f.inv, "R-9")},
		} {
			t.Run(tt.name, func(t *testing.T) { refusedAction(t, s.within(t), tt.code, tt.field, tt.call) })
		}

		if err := result(f.inv, "S-1")(); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, code, field string
			call              func() error
		}{
			{"result twice", caseroom.ECONFLICT, "", result(f.inv, "S-1")},
			{"cancel a resulted action", caseroom.ECONFLICT, "", cancel(f.lead, "Too late.")},
			{"refer back without reason", caseroom.EINVALID, "reason", func() error {
				_, err := db.ReferBackAction(f.ctx, c, a.Ref, caseroom.ActionReason{})
				return err
			}},
			{"investigator files", caseroom.EFORBIDDEN, "", func() error { _, err := db.FileAction(as(f.inv), c, a.Ref); return err }},
			{"allocate a resulted action", caseroom.ECONFLICT, "", allocate(f.lead, "erum")},
		} {
			t.Run(tt.name, func(t *testing.T) { refusedAction(t, s.within(t), tt.code, tt.field, tt.call) })
		}
		got, err := db.FindAction(f.ctx, c, a.Ref)
		if err != nil || got.State != caseroom.ActionResulted || len(got.History) != 3 {
			t.Fatalf("after the refusals: %+v, %v", got, err)
		}
	})
}

func TestActionQueues(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		for i := 0; i < 5; i++ {
			f.raise(caseroom.NewAction{Title: "Action"})
		}
		alloc := func(ref, to string) {
			t.Helper()
			if _, err := s.DB.AllocateAction(f.ctx, c, ref, caseroom.ActionAllocation{To: to}); err != nil {
				t.Fatal(err)
			}
		}
		alloc("A-1", "imran")
		alloc("A-2", "imran")
		alloc("A-3", "erum")
		if _, err := s.DB.ResultAction(as(f.inv), c, "A-2", caseroom.ActionResultInput{Document: "S-1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.CancelAction(f.ctx, c, "A-5", caseroom.ActionReason{Reason: "Not needed."}); err != nil {
			t.Fatal(err)
		}
		refs := func(fl caseroom.ActionFilter) []string {
			t.Helper()
			as, err := s.DB.FindActions(as(f.exam), c, fl)
			if err != nil {
				t.Fatalf("find %+v: %v", fl, err)
			}
			out := []string{}
			for _, a := range as {
				out = append(out, a.Ref)
			}
			return out
		}
		for _, tt := range []struct {
			filter caseroom.ActionFilter
			want   []string
		}{
			{caseroom.ActionFilter{}, []string{"A-1", "A-2", "A-3", "A-4", "A-5"}},
			{caseroom.ActionFilter{State: caseroom.ActionRaised}, []string{"A-4"}},
			{caseroom.ActionFilter{State: caseroom.ActionAllocated}, []string{"A-1", "A-3"}},
			{caseroom.ActionFilter{State: caseroom.ActionResulted}, []string{"A-2"}},
			{caseroom.ActionFilter{State: caseroom.ActionCancelled}, []string{"A-5"}},
			{caseroom.ActionFilter{State: caseroom.ActionFiled}, []string{}},
			{caseroom.ActionFilter{To: "imran"}, []string{"A-1", "A-2"}},
			{caseroom.ActionFilter{To: "imran", State: caseroom.ActionAllocated}, []string{"A-1"}},
			{caseroom.ActionFilter{To: "erum"}, []string{"A-3"}},
		} {
			if diff := cmp.Diff(tt.want, refs(tt.filter)); diff != "" {
				t.Errorf("queue %+v (-want +got):\n%s", tt.filter, diff)
			}
		}
		_, err := s.DB.FindActions(f.ctx, c, caseroom.ActionFilter{State: "open"})
		checkError(t, err, caseroom.EINVALID, "state")
		_, err = s.DB.FindActions(as(f.adv), c, caseroom.ActionFilter{})
		checkError(t, err, caseroom.EFORBIDDEN, "")
		_, err = s.DB.FindAction(as(f.adv), c, "A-1")
		checkError(t, err, caseroom.EFORBIDDEN, "")
		_, err = s.DB.FindActions(as(f.outsider), c, caseroom.ActionFilter{})
		checkError(t, err, caseroom.ENOTFOUND, "")
	})
}

func TestDecisionLog(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		pros := f.member("parveen", caseroom.RoleProsecutor)
		d1, err := s.DB.RecordDecision(f.ctx, c, caseroom.NewDecision{Decision: "Medical examinations only with consent.", Rationale: "The representatives object."})
		if err != nil {
			t.Fatal(err)
		}
		if e := s.lastEntry(); e.Action != "decision.record" || e.ObjectID != d1.ID || e.Actor != "lena" {
			t.Errorf("audit entry %+v", e)
		}
		d2, err := s.DB.RecordDecision(f.ctx, c, caseroom.NewDecision{Decision: "Arrest only with a cited ground.", Rationale: "Allegations of false implication."})
		if err != nil {
			t.Fatal(err)
		}
		if d1.Number != 1 || d2.Number != 2 || d2.DecidedBy != "lena" || d2.DecidedAt.IsZero() {
			t.Errorf("decisions %+v, %+v", d1, d2)
		}
		for _, u := range []*caseroom.User{f.lead, pros, f.over} {
			ds, err := s.DB.FindDecisions(as(u), c)
			if err != nil {
				t.Fatalf("%s reads the log: %v", u.Name, err)
			}
			if diff := cmp.Diff([]*caseroom.Decision{d1, d2}, ds); diff != "" {
				t.Errorf("%s reads (-want +got):\n%s", u.Name, diff)
			}
		}
		for _, u := range []*caseroom.User{f.inv, f.exam, f.adv} {
			_, err := s.DB.FindDecisions(as(u), c)
			checkError(t, err, caseroom.EFORBIDDEN, "")
		}
		_, err = s.DB.FindDecisions(as(f.outsider), c)
		checkError(t, err, caseroom.ENOTFOUND, "")
		record := func(u *caseroom.User, nd caseroom.NewDecision) func() error {
			return func() error { _, err := s.DB.RecordDecision(as(u), c, nd); return err }
		}
		good := caseroom.NewDecision{Decision: "Decided.", Rationale: "Because."}
		refusedAction(t, s, caseroom.EINVALID, "decision", record(f.lead, caseroom.NewDecision{Rationale: "Because."}))
		refusedAction(t, s, caseroom.EINVALID, "rationale", record(f.lead, caseroom.NewDecision{Decision: "Decided."}))
		refusedAction(t, s, caseroom.EFORBIDDEN, "", record(f.inv, good))
		refusedAction(t, s, caseroom.EFORBIDDEN, "", record(pros, good))
		refusedAction(t, s, caseroom.ENOTFOUND, "", record(f.outsider, good))
	})
}
