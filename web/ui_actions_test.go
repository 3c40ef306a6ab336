package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"caseroom"
)

// action reads an action from the store as the lead.
func (e *docUIEnv) action(t *testing.T, ref string) *caseroom.Action {
	t.Helper()
	a, err := e.db.FindAction(e.leadCtx(t), e.caseID, ref)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// actionCount is how many actions the case holds.
func (e *docUIEnv) actionCount(t *testing.T) int {
	t.Helper()
	as, err := e.db.FindActions(e.leadCtx(t), e.caseID, caseroom.ActionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(as)
}

func TestUIActionRaiseAllocateResultFile(t *testing.T) {
	e := newDocUIEnv(t)
	mustStatus(t, e.submit(e.inv, e.path("documents", "new"), e.statementForm()), http.StatusSeeOther) // S-1

	// The form raised from a statement names it and offers its giver as the subject.
	r := e.inv.get(e.path("actions", "new") + "?from=S-1")
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "the raise form", r, `<option value="S-1" selected>`, `<option value="`+e.victim+`" dir="auto" selected>`+e.victimLabel)

	// Refused: no title. The input is kept and nothing is written.
	before := e.actionCount(t)
	raise := url.Values{"kind": {"record-statement"}, "title": {" "}, "raisedFrom": {"S-1"}, "subjects": {e.victim, e.mother}, "priority": {"high"}, "due": {"2026-03-03T17:00"}}
	r = e.submit(e.inv, e.path("actions", "new"), raise)
	mustStatus(t, r, http.StatusBadRequest)
	docMustShow(t, "the refused raise form", r, "title", `class="flash error"`, `<option value="`+e.mother+`" dir="auto" selected>`, `value="2026-03-03T17:00"`, `<option selected>high</option>`)
	if n := e.actionCount(t); n != before {
		t.Fatalf("a refused raise wrote an action: %d -> %d", before, n)
	}
	r = e.inv.postForm(e.path("actions", "new"), url.Values{"kind": {"other"}, "title": {"No token"}})
	mustStatus(t, r, http.StatusForbidden)
	if n := e.actionCount(t); n != before {
		t.Fatalf("a form without the CSRF field wrote an action: %d -> %d", before, n)
	}

	raise.Set("title", "Record the statement of the mother")
	r = e.submit(e.inv, e.path("actions", "new"), raise)
	mustStatus(t, r, http.StatusSeeOther)
	a := e.action(t, "A-1")
	if a.RaisedFrom != "S-1" || len(a.Subjects) != 2 || a.Priority != caseroom.PriorityHigh || a.Due == nil || a.Due.UTC().Format("15:04") != "12:00" {
		t.Fatalf("raised %+v", a)
	}
	docMustShow(t, "the statement's page", e.inv.get(e.path("documents", "S-1")), "A-1", "raised from it")

	// Only the lead is offered to allocate; she allocates to the investigator.
	if strings.Contains(docBody(e.inv.get(e.path("actions", "A-1"))), `action="`+e.path("actions", "A-1", "allocate")) {
		t.Error("the investigator is offered to allocate")
	}
	r = e.lead.get(e.path("actions", "A-1"))
	docMustShow(t, "the lead's action page", r, "Allocate to", "Cancel the action", "Record the statement of the mother", "2026-03-03 17:00")
	r = e.submit(e.lead, e.path("actions", "A-1", "allocate"), url.Values{"to": {"olga"}})
	mustStatus(t, r, http.StatusBadRequest) // oversight takes no actions
	docMustShow(t, "the refused allocation", r, "Refused:", "olga")
	if st := e.action(t, "A-1").State; st != caseroom.ActionRaised {
		t.Fatalf("after a refused allocation, the action is %s", st)
	}
	mustStatus(t, e.submit(e.lead, e.path("actions", "A-1", "allocate"), url.Values{"to": {"ivan"}}), http.StatusSeeOther)

	// It is in ivan's queue of open actions, and not in the queue of raised ones.
	r = e.inv.get(e.path("actions") + "?to=ivan")
	docMustShow(t, "ivan's queue", r, "A-1", "allocated to ivan", "Record the statement of the mother")
	if strings.Contains(docBody(e.inv.get(e.path("actions")+"?state=raised")), ">A-1<") {
		t.Error("the queue of raised actions shows the allocated action")
	}
	if strings.Contains(docBody(e.inv.get(e.path("actions")+"?to=lena")), ">A-1<") {
		t.Error("the lead's queue shows ivan's action")
	}
	mustStatus(t, e.inv.get(e.path("actions")+"?state=lost"), http.StatusBadRequest)

	// Refused: a cancel without a reason; the state stays.
	r = e.submit(e.lead, e.path("actions", "A-1", "cancel"), url.Values{"reason": {""}})
	mustStatus(t, r, http.StatusBadRequest)
	if st := e.action(t, "A-1").State; st != caseroom.ActionAllocated {
		t.Fatalf("after a refused cancel, the action is %s", st)
	}

	// Ivan results it with the statement S-2, and the lead files it.
	f := e.statementForm()
	f.Set("giver", e.mother)
	f["implicates"] = nil
	mustStatus(t, e.submit(e.inv, e.path("documents", "new"), f), http.StatusSeeOther) // S-2
	r = e.inv.get(e.path("actions", "A-1"))
	docMustShow(t, "the assignee's action page", r, "Result with the document", `<option value="S-2">`)
	mustStatus(t, e.submit(e.inv, e.path("actions", "A-1", "result"), url.Values{"document": {"S-2"}}), http.StatusSeeOther)
	mustStatus(t, e.submit(e.lead, e.path("actions", "A-1", "file"), url.Values{}), http.StatusSeeOther)
	a = e.action(t, "A-1")
	if a.State != caseroom.ActionFiled || a.Result != "S-2" {
		t.Fatalf("after resulting and filing: %s with %q", a.State, a.Result)
	}
	r = e.inv.get(e.path("actions", "A-1"))
	docMustShow(t, "the filed action", r, "filed", `with <a href="`+e.path("documents", "S-2")+`">S-2</a>`, "nothing more is done to it", "allocated", "to ivan")
	docMustShow(t, "the result's page", e.inv.get(e.path("documents", "S-2")), "A-1", "resulted by it")
}

// A medical examination cannot be resulted without the consents: the page says why
// (the 409's message), and once the girl and her mother have consented, it can.
func TestUIMedicalConsentFlow(t *testing.T) {
	e := newDocUIEnv(t)
	r := e.submit(e.lead, e.path("actions", "new"), url.Values{"kind": {"medical-examination"}, "title": {"Examine the girl"}, "subjects": {e.victim}, "priority": {"urgent"}})
	mustStatus(t, r, http.StatusSeeOther)
	mustStatus(t, e.submit(e.lead, e.path("actions", "A-1", "allocate"), url.Values{"to": {"ivan"}}), http.StatusSeeOther)
	mustStatus(t, e.submit(e.inv, e.path("documents", "new"), url.Values{"kind": {"report"}, "title": {"Examination done"}, "text": {"Done at the hospital."}}), http.StatusSeeOther)

	r = e.inv.get(e.path("actions", "A-1"))
	// The mother is offered as her parent.
	docMustShow(t, "the examination", r, "No consent recorded yet.", "Record an answer", "parent of "+e.victimLabel)

	r = e.submit(e.inv, e.path("actions", "A-1", "result"), url.Values{"document": {"R-1"}})
	mustStatus(t, r, http.StatusConflict)
	docMustShow(t, "the refused result", r, "Refused:", "Action A-1 cannot be resulted without", `<option value="R-1" selected>`)
	if st := e.action(t, "A-1").State; st != caseroom.ActionAllocated {
		t.Fatalf("after a refused result, the action is %s", st)
	}

	// An answer without "given" is refused with the note kept.
	r = e.submit(e.inv, e.path("actions", "A-1", "consents"), url.Values{"person": {e.victim}, "by": {e.victim}, "note": {"Asked with her mother"}})
	mustStatus(t, r, http.StatusBadRequest)
	docMustShow(t, "the refused answer", r, "given: required", `value="Asked with her mother"`)
	if n := len(e.action(t, "A-1").Consents); n != 0 {
		t.Fatalf("a refused answer recorded %d consents", n)
	}
	mustStatus(t, e.inv.postForm(e.path("actions", "A-1", "consents"), url.Values{"person": {e.victim}, "by": {e.victim}, "given": {"yes"}}), http.StatusForbidden)
	if n := len(e.action(t, "A-1").Consents); n != 0 {
		t.Fatalf("an answer without the CSRF field recorded %d consents", n)
	}

	for _, by := range []string{e.victim, e.mother} {
		mustStatus(t, e.submit(e.inv, e.path("actions", "A-1", "consents"), url.Values{"person": {e.victim}, "by": {by}, "given": {"yes"}, "note": {"In the presence of the protection officer"}}), http.StatusSeeOther)
	}
	r = e.inv.get(e.path("actions", "A-1"))
	docMustShow(t, "the consents", r, "Consents <span class=\"muted\">2</span>", "Rukhsana", "guardian", "given", "In the presence of the protection officer")
	mustStatus(t, e.submit(e.inv, e.path("actions", "A-1", "result"), url.Values{"document": {"R-1"}}), http.StatusSeeOther)
	if st := e.action(t, "A-1").State; st != caseroom.ActionResulted {
		t.Fatalf("with the consents, resulting left the action %s", st)
	}
}
