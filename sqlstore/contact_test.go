package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// TestVictimContactLedger checks the alert rule of the victim-contact ledger, who reads
// it, the accountability report's contact alerts, and refusals that write nothing.
func TestVictimContactLedger(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		mother := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Mother"}}, Roles: []caseroom.PersonRole{caseroom.PersonGuardian}})
		neighbour := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Neighbour"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
		f.link(caseroom.NewLink{From: mother.ID, To: f.victim.ID, Type: "guardian_of", Source: "S-1", Confidence: ptr(1.0)})
		contact := func(person, by string) (*caseroom.Contact, error) {
			return s.DB.RecordContact(as(f.inv), c, caseroom.NewContact{Person: person, By: by, At: ptr(seized), Kind: caseroom.ContactVisit, Purpose: "Explain the next steps."})
		}
		must := func(person, by string) *caseroom.Contact {
			t.Helper()
			ct, err := contact(person, by)
			if err != nil {
				t.Fatal(err)
			}
			return ct
		}

		// No open action: an alert naming the member.
		first := must(f.victim.ID, f.inv.Name)
		if !first.Alert || !strings.Contains(first.AlertReason, f.inv.Name) || first.Ref != "VC-1" {
			t.Errorf("contact without an action: %+v, want VC-1 with an alert naming %s", first, f.inv.Name)
		}
		if diff := cmp.Diff([]string{f.victim.ID}, first.Victims); diff != "" {
			t.Errorf("victims (-want +got):\n%s", diff)
		}
		// An open action about the victim allocated to the member: no alert, for the
		// victim and for her guardian; the lead raised it, so none for her either.
		a := f.raise(caseroom.NewAction{Kind: caseroom.ActionRecordStatement, Subjects: []string{f.victim.ID}})
		if _, err := s.DB.AllocateAction(f.ctx, c, a.Ref, caseroom.ActionAllocation{To: f.inv.Name}); err != nil {
			t.Fatal(err)
		}
		for _, ct := range []*caseroom.Contact{must(f.victim.ID, f.inv.Name), must(mother.ID, f.inv.Name), must(f.victim.Pseudonym, "lena")} {
			if ct.Alert {
				t.Errorf("%s by %s with an open action: alert %q", ct.PersonLabel, ct.By, ct.AlertReason)
			}
		}
		// Another member, and the same member once the action is cancelled: alerts.
		if ct := must(mother.ID, f.exam.Name); !ct.Alert {
			t.Errorf("contact by %s without an action raised no alert", f.exam.Name)
		}
		if _, err := s.DB.CancelAction(f.ctx, c, a.Ref, caseroom.ActionReason{Reason: "Taken elsewhere."}); err != nil {
			t.Fatal(err)
		}
		if ct := must(f.victim.ID, f.inv.Name); !ct.Alert {
			t.Errorf("contact after the action was cancelled raised no alert")
		}

		// Refused, nothing written.
		refusedAction(t, s, caseroom.EINVALID, "person", func() error { _, err := contact(neighbour.ID, f.inv.Name); return err })
		refusedAction(t, s, caseroom.EINVALID, "person", func() error { _, err := contact(f.suspect.ID, f.inv.Name); return err })
		refusedAction(t, s, caseroom.EINVALID, "by", func() error { _, err := contact(f.victim.ID, f.outsider.Name); return err })
		refusedAction(t, s, caseroom.EINVALID, "kind", func() error {
			_, err := s.DB.RecordContact(as(f.inv), c, caseroom.NewContact{Person: f.victim.ID, By: f.inv.Name, At: ptr(seized), Kind: "visitation", Purpose: "x"})
			return err
		})
		refusedAction(t, s, caseroom.EINVALID, "purpose", func() error {
			_, err := s.DB.RecordContact(as(f.inv), c, caseroom.NewContact{Person: f.victim.ID, By: f.inv.Name, At: ptr(seized), Kind: caseroom.ContactPhone})
			return err
		})
		refusedAction(t, s, caseroom.EFORBIDDEN, "", func() error {
			_, err := s.DB.RecordContact(as(f.exam), c, caseroom.NewContact{Person: f.victim.ID, By: f.inv.Name, At: ptr(seized), Kind: caseroom.ContactPhone, Purpose: "x"})
			return err
		})

		// The lead and oversight read the ledger; alerts=true narrows it.
		refs := func(cs []*caseroom.Contact) []string {
			out := []string{}
			for _, ct := range cs {
				out = append(out, ct.Ref)
			}
			return out
		}
		all, err := s.DB.FindContacts(as(f.over), c, caseroom.ContactFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"VC-1", "VC-2", "VC-3", "VC-4", "VC-5", "VC-6"}, refs(all)); diff != "" {
			t.Errorf("ledger (-want +got):\n%s", diff)
		}
		alerts, err := s.DB.FindContacts(f.ctx, c, caseroom.ContactFilter{AlertsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"VC-1", "VC-5", "VC-6"}, refs(alerts)); diff != "" {
			t.Errorf("alerts (-want +got):\n%s", diff)
		}
		_, err = s.DB.FindContacts(as(f.inv), c, caseroom.ContactFilter{})
		checkError(t, err, caseroom.EFORBIDDEN, "")
		rep, err := s.DB.Accountability(f.ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"VC-1", "VC-5", "VC-6"}, refs(rep.ContactAlerts)); diff != "" {
			t.Errorf("accountability contact alerts (-want +got):\n%s", diff)
		}
	})
}
