package web

import (
	"net/http"
	"strings"
	"testing"

	"caseroom"
)

// matrixAction raises a fresh action in the access fixture's case as the lead and
// takes it as far as upto says: "" (raised), "allocate" (allocated to inv) or
// "result" (resulted with the fixture's statement). It returns the action's id.
func matrixAction(f *accessFixture, upto string) string {
	e := f.e
	base := "/api/v1/cases/" + f.caseID + "/actions"
	a := post[caseroom.Action](e, "lead", base, map[string]any{"kind": "other", "title": "Matrix action"})
	if upto == "allocate" || upto == "result" {
		post[caseroom.Action](e, "lead", base+"/"+a.ID+"/allocate", map[string]any{"to": "inv"})
	}
	if upto == "result" {
		post[caseroom.Action](e, "lead", base+"/"+a.ID+"/result", map[string]any{"document": f.document})
	}
	return a.ID
}

// TestAPIActions walks an action through the API as the lead and an investigator
// would: raise A-1 from a statement about a victim, allocate it, result it, refer it
// back, result it again, file it; read the queues; and see bad requests refused with
// a message and nothing written.
func TestAPIActions(t *testing.T) {
	e := newAPIEnv(t, "lena", "inv", "exam", "adv", "stranger")
	c := e.createCase("lena", map[string]caseroom.Role{"inv": caseroom.RoleInvestigator, "exam": caseroom.RoleExaminer})
	base := "/api/v1/cases/" + c
	victim := post[caseroom.Person](e, "lena", base+"/persons", map[string]any{"names": []map[string]any{{"name": "Fictional Girl"}}, "roles": []string{"victim"}})
	post[caseroom.Document](e, "lena", base+"/documents", map[string]any{"kind": "statement", "title": "Statement", "text": "What V-0001 said.",
		"giver": victim.ID, "recordedAt": "2026-11-20T10:00:00Z"})
	post[caseroom.Document](e, "lena", base+"/documents", map[string]any{"kind": "report", "title": "Medical report", "text": "Findings."})

	a := post[caseroom.Action](e, "inv", base+"/actions", map[string]any{"kind": "medical-examination", "title": "Medical examination of V-0001",
		"raisedFrom": "S-1", "subjects": []string{"V-0001"}, "priority": "urgent", "due": "2026-11-21T12:00:00+05:00"})
	if a.Ref != "A-1" || a.State != caseroom.ActionRaised || a.RaisedFrom != "S-1" || len(a.Subjects) != 1 || a.Subjects[0].Label != "V-0001" {
		t.Fatalf("raised: %+v", a)
	}
	if a.Due == nil || a.Due.UTC().Hour() != 7 {
		t.Fatalf("due %v; want 07:00 UTC", a.Due)
	}
	// A victim's name never appears in the action.
	r := e.do("lena", "GET", base+"/actions/A-1", nil)
	mustStatus(t, r, http.StatusOK)
	if strings.Contains(string(r.body), "Fictional Girl") {
		t.Fatalf("the action shows the victim's name:\n%s", r.body)
	}

	// Allocation to someone who is not a member: 400, with a message, nothing written.
	before := countAudit(e.auditActions(c), "")
	r = e.do("lena", "POST", base+"/actions/A-1/allocate", map[string]any{"to": "stranger"})
	mustStatus(t, r, http.StatusBadRequest)
	if msg := r.errorMessage(t); !strings.HasPrefix(msg, "to:") || !strings.Contains(msg, "not a member") {
		t.Errorf("message %q", msg)
	}
	mustStatus(t, e.do("inv", "POST", base+"/actions/A-1/allocate", map[string]any{"to": "inv"}), http.StatusForbidden)
	mustStatus(t, e.do("lena", "POST", base+"/actions/A-1/cancel", map[string]any{}), http.StatusBadRequest)
	mustStatus(t, e.do("lena", "POST", base+"/actions/A-1/allocate", map[string]any{"to": "inv", "extra": 1}), http.StatusBadRequest)
	if after := countAudit(e.auditActions(c), ""); after != before {
		t.Fatalf("refused requests wrote audit entries: %d -> %d", before, after)
	}

	post[caseroom.Action](e, "lena", base+"/actions/A-1/allocate", map[string]any{"to": "inv"})
	mustStatus(t, e.do("exam", "POST", base+"/actions/A-1/result", map[string]any{"document": "R-1"}), http.StatusForbidden)
	// A medical examination is not resulted without the consents: the victim's, and
	// (her age being unrecorded, so treated as a minor) a parent's or guardian's.
	r = e.do("inv", "POST", base+"/actions/A-1/result", map[string]any{"document": "R-1"})
	mustStatus(t, r, http.StatusConflict)
	if msg := r.errorMessage(t); !strings.Contains(msg, "the victim's consent") || !strings.Contains(msg, "guardian's consent for a minor") {
		t.Errorf("message %q", msg)
	}
	mother := post[caseroom.Person](e, "lena", base+"/persons", map[string]any{"names": []map[string]any{{"name": "Fictional Mother"}}, "roles": []string{"guardian"}})
	other := post[caseroom.Person](e, "lena", base+"/persons", map[string]any{"names": []map[string]any{{"name": "Fictional Neighbour"}}, "roles": []string{"witness"}})
	before = countAudit(e.auditActions(c), "")
	r = e.do("lena", "POST", base+"/actions/A-1/consents", map[string]any{"person": "V-0001", "by": other.ID, "given": true})
	mustStatus(t, r, http.StatusBadRequest)
	if msg := r.errorMessage(t); !strings.HasPrefix(msg, "by:") || !strings.Contains(msg, "neither") {
		t.Errorf("consent by a stranger: %q", msg)
	}
	mustStatus(t, e.do("lena", "POST", base+"/actions/A-1/consents", map[string]any{"person": "V-0001", "by": "V-0001"}), http.StatusBadRequest)
	mustStatus(t, e.do("exam", "POST", base+"/actions/A-1/consents", map[string]any{"person": "V-0001", "by": "V-0001", "given": true}), http.StatusForbidden)
	if after := countAudit(e.auditActions(c), ""); after != before {
		t.Fatalf("refused consents wrote audit entries: %d -> %d", before, after)
	}
	post[caseroom.Action](e, "inv", base+"/actions/A-1/consents", map[string]any{"person": "V-0001", "by": "V-0001", "given": true, "note": "Explained in Urdu."})
	r = e.do("inv", "POST", base+"/actions/A-1/result", map[string]any{"document": "R-1"})
	mustStatus(t, r, http.StatusConflict)
	if msg := r.errorMessage(t); strings.Contains(msg, "the victim's consent") || !strings.Contains(msg, "guardian") {
		t.Errorf("with the victim's consent: %q", msg)
	}
	post[caseroom.Link](e, "lena", base+"/links", map[string]any{"from": mother.ID, "to": "V-0001", "type": "parent_of", "source": "S-1", "confidence": 1})
	withConsents := post[caseroom.Action](e, "inv", base+"/actions/A-1/consents", map[string]any{"person": "V-0001", "by": mother.ID, "given": true})
	if len(withConsents.Consents) != 2 || withConsents.Consents[1].Capacity != caseroom.ConsentGuardian || withConsents.Consents[0].PersonLabel != "V-0001" {
		t.Fatalf("consents: %+v", withConsents.Consents)
	}
	// R-1 now results a medical examination, so it is a medical report, which an
	// investigator does not read: the answer withholds it; the lead sees it.
	got := post[caseroom.Action](e, "inv", base+"/actions/A-1/result", map[string]any{"document": "R-1"})
	if got.State != caseroom.ActionResulted || got.Result != "" || !got.ResultRestricted {
		t.Fatalf("resulted: %+v", got)
	}
	r = e.do("lena", "GET", base+"/actions/A-1", nil)
	mustStatus(t, r, http.StatusOK)
	if lead := decodeInto[caseroom.Action](t, r); lead.Result != "R-1" || lead.ResultRestricted {
		t.Fatalf("resulted, to the lead: %+v", lead)
	}
	r = e.do("inv", "POST", base+"/actions/A-1/result", map[string]any{"document": "R-1"})
	mustStatus(t, r, http.StatusConflict)
	if !strings.Contains(r.errorMessage(t), "resulted") {
		t.Errorf("resulting twice: %q", r.errorMessage(t))
	}
	got = post[caseroom.Action](e, "lena", base+"/actions/"+a.ID+"/refer-back", map[string]any{"reason": "Say who was present."})
	if got.State != caseroom.ActionAllocated || got.AllocatedTo != "inv" {
		t.Fatalf("referred back: %+v", got)
	}
	post[caseroom.Action](e, "inv", base+"/actions/A-1/result", map[string]any{"document": "R-1"})
	got = post[caseroom.Action](e, "lena", base+"/actions/A-1/file", nil)
	if got.State != caseroom.ActionFiled || len(got.History) != 6 {
		t.Fatalf("filed: %+v", got)
	}

	// Queues.
	post[caseroom.Action](e, "lena", base+"/actions", map[string]any{"kind": "search", "title": "Search the shop"})
	b := post[caseroom.Action](e, "lena", base+"/actions", map[string]any{"kind": "trace-identifier", "title": "Trace the phone"})
	post[caseroom.Action](e, "lena", base+"/actions/"+b.Ref+"/allocate", map[string]any{"to": "exam"})
	list := func(user, query string) []string {
		t.Helper()
		r := e.do(user, "GET", base+"/actions"+query, nil)
		mustStatus(t, r, http.StatusOK)
		var refs []string
		for _, a := range decodeInto[struct{ Actions []caseroom.Action }](t, r).Actions {
			refs = append(refs, a.Ref)
		}
		return refs
	}
	for query, want := range map[string]string{
		"":                         "A-1 A-2 A-3",
		"?state=raised":            "A-2",
		"?state=filed":             "A-1",
		"?to=exam":                 "A-3",
		"?to=inv&state=allocated":  "",
		"?state=allocated&to=exam": "A-3",
	} {
		if got := strings.Join(list("exam", query), " "); got != want {
			t.Errorf("GET actions%s = %q; want %q", query, got, want)
		}
	}
	mustStatus(t, e.do("lena", "GET", base+"/actions?state=open", nil), http.StatusBadRequest)
	mustStatus(t, e.do("lena", "GET", base+"/actions/A-9", nil), http.StatusNotFound)
	mustStatus(t, e.do("stranger", "GET", base+"/actions", nil), http.StatusNotFound)

	acts := e.auditActions(c)
	for action, n := range map[string]int{"action.raise": 3, "action.allocate": 2, "action.result": 2, "action.refer-back": 1, "action.file": 1} {
		if got := countAudit(acts, action); got != n {
			t.Errorf("audit log holds %d %s; want %d", got, action, n)
		}
	}
}

// TestAPIDecisionLog records two decisions as the lead and reads them back; others
// may neither write nor (but for prosecutor and oversight) read the log.
func TestAPIDecisionLog(t *testing.T) {
	e := newAPIEnv(t, "lena", "inv", "pros")
	c := e.createCase("lena", map[string]caseroom.Role{"inv": caseroom.RoleInvestigator, "pros": caseroom.RoleProsecutor})
	base := "/api/v1/cases/" + c
	d := post[caseroom.Decision](e, "lena", base+"/decisions", map[string]any{"decision": "No arrests on a single source.", "rationale": "Claims of false implication."})
	if d.Number != 1 || d.DecidedBy != "lena" || d.DecidedAt.IsZero() {
		t.Fatalf("decision %+v", d)
	}
	post[caseroom.Decision](e, "lena", base+"/decisions", map[string]any{"decision": "Medical examinations with consent only.", "rationale": "The representatives object."})
	r := e.do("lena", "POST", base+"/decisions", map[string]any{"decision": "Without a reason."})
	mustStatus(t, r, http.StatusBadRequest)
	if !strings.HasPrefix(r.errorMessage(t), "rationale:") {
		t.Errorf("message %q", r.errorMessage(t))
	}
	// The author and time are the server's, not the client's.
	mustStatus(t, e.do("lena", "POST", base+"/decisions", map[string]any{"decision": "x", "rationale": "y", "decidedBy": "someone"}), http.StatusBadRequest)
	mustStatus(t, e.do("inv", "POST", base+"/decisions", map[string]any{"decision": "x", "rationale": "y"}), http.StatusForbidden)
	mustStatus(t, e.do("inv", "GET", base+"/decisions", nil), http.StatusForbidden)
	r = e.do("pros", "GET", base+"/decisions", nil)
	mustStatus(t, r, http.StatusOK)
	ds := decodeInto[struct{ Decisions []caseroom.Decision }](t, r).Decisions
	if len(ds) != 2 || ds[0].Number != 1 || ds[1].Number != 2 || ds[1].Rationale != "The representatives object." {
		t.Fatalf("decisions read by the prosecutor: %+v", ds)
	}
	if n := countAudit(e.auditActions(c), "decision.record"); n != 2 {
		t.Errorf("audit log holds %d decision.record; want 2", n)
	}
}

// countAudit sums auditActions' counts ("action actor") for one action, or for all
// with "".
func countAudit(counts map[string]int, action string) int {
	n := 0
	for key, c := range counts {
		if action == "" || strings.HasPrefix(key, action+" ") {
			n += c
		}
	}
	return n
}
