package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"caseroom"
	"caseroom/totp"
)

// The tests in this file and ui_actions_test.go drive the documents and actions
// pages over HTTP as a browser would (cookies, forms, the CSRF field), against a small
// case whose every record the test made: a girl of 12-14 (a victim, so shown by her
// pseudonym), her mother, a suspect, and a complaint.

// uiCaseEnv is a signInEnv with a case (in Asia/Karachi) led by lena, with ivan as an
// investigator and olga as oversight, and browsers signed in as each of them (lena
// with her second factor).
type uiCaseEnv struct {
	*signInEnv
	caseID          string
	lead, inv, over *browser
}

func newUICaseEnv(t *testing.T, title string) *uiCaseEnv {
	t.Helper()
	e := &uiCaseEnv{signInEnv: newSignInEnv(t, "lena", "ivan", "olga")}
	r := e.do("lena", "POST", "/api/v1/cases", map[string]any{"title": title, "timeZone": "Asia/Karachi"})
	mustStatus(t, r, http.StatusCreated)
	e.caseID = decodeInto[caseroom.Case](t, r).ID
	for user, role := range map[string]caseroom.Role{"ivan": caseroom.RoleInvestigator, "olga": caseroom.RoleOversight} {
		mustStatus(t, e.do("lena", "POST", "/api/v1/cases/"+e.caseID+"/members", map[string]any{"user": user, "role": role}), http.StatusCreated)
	}
	r = e.do("lena", "POST", "/api/v1/me/totp", nil)
	mustStatus(t, r, http.StatusCreated)
	secret, err := totp.Encoding.DecodeString(decodeInto[caseroom.TOTPEnrolment](t, r).Secret)
	if err != nil {
		t.Fatal(err)
	}
	e.lead = e.browser(t)
	e.lead.mustSignIn("lena", envPassword, totp.Code(secret, totp.Step(*e.now), totp.Digits))
	e.inv = e.browser(t)
	e.inv.mustSignIn("ivan", envPassword, "")
	e.over = e.browser(t)
	e.over.mustSignIn("olga", envPassword, "")
	return e
}

// docUIEnv is a uiCaseEnv with the persons of the documents tests.
type docUIEnv struct {
	*uiCaseEnv
	victim, victimLabel, mother, sus string
}

func newDocUIEnv(t *testing.T) *docUIEnv {
	t.Helper()
	e := &docUIEnv{uiCaseEnv: newUICaseEnv(t, "Operation Test")}
	cases := "/api/v1/cases/" + e.caseID
	victim := post[caseroom.Person](e.apiEnv, "lena", cases+"/persons", map[string]any{"names": []map[string]string{{"name": "Hina"}}, "roles": []string{"victim"}, "sex": "female", "ageBand": "12-14"})
	mother := post[caseroom.Person](e.apiEnv, "lena", cases+"/persons", map[string]any{"names": []map[string]string{{"name": "Rukhsana"}}, "roles": []string{"guardian"}, "sex": "female"})
	sus := post[caseroom.Person](e.apiEnv, "lena", cases+"/persons", map[string]any{"names": []map[string]string{{"name": "Tariq"}}, "roles": []string{"suspect"}, "sex": "male"})
	e.victim, e.victimLabel, e.mother, e.sus = victim.ID, victim.Pseudonym, mother.ID, sus.ID
	c1 := post[caseroom.Document](e.apiEnv, "lena", cases+"/documents", map[string]any{"kind": "complaint", "title": "Complaint of the mother", "text": "She reported it.", "giver": mother.ID})
	post[caseroom.Link](e.apiEnv, "lena", cases+"/links", map[string]any{"from": mother.ID, "to": victim.ID, "type": "parent_of", "source": c1.Ref, "confidence": 1})
	return e
}

// path is the path of a page of the test case.
func (e *docUIEnv) path(parts ...string) string {
	return "/cases/" + e.caseID + "/" + strings.Join(parts, "/")
}

// submit posts a form from b with the session's CSRF field.
func (e *docUIEnv) submit(b *browser, path string, form url.Values) response {
	b.t.Helper()
	form.Set("csrf", b.csrf())
	return b.postForm(path, form)
}

// leadCtx is a context acting as the lead, to read the store directly.
func (e *docUIEnv) leadCtx(t *testing.T) context.Context {
	t.Helper()
	u, err := e.db.Authenticate(context.Background(), e.tokens["lena"])
	if err != nil {
		t.Fatal(err)
	}
	return caseroom.NewContextWithUser(context.Background(), u)
}

// documents returns the references of the case's documents, as the lead reads them.
func (e *docUIEnv) documents(t *testing.T) []string {
	t.Helper()
	docs, err := e.db.FindDocuments(e.leadCtx(t), e.caseID, caseroom.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	refs := make([]string, len(docs))
	for i, d := range docs {
		refs[i] = d.Ref
	}
	return refs
}

// docBody is a response's body as text, entities decoded, for looking for phrases.
func docBody(r response) string { return html.UnescapeString(string(r.body)) }

// docMustShow fails unless the page holds every phrase.
func docMustShow(t *testing.T, what string, r response, phrases ...string) {
	t.Helper()
	body := docBody(r)
	for _, p := range phrases {
		if !strings.Contains(body, p) {
			t.Errorf("%s: the page does not show %q", what, p)
		}
	}
}

// docBrowserFor returns a copy of b that reports failures to subtest t.
func docBrowserFor(b *browser, t *testing.T) *browser {
	c := *b
	c.t = t
	return &c
}

// statementForm is a valid statement of the victim with nobody present.
func (e *docUIEnv) statementForm() url.Values {
	return url.Values{"kind": {"statement"}, "title": {"Statement of the girl"}, "text": {"She was asked to come to the shop.\nShe went twice."},
		"giver": {e.victim}, "recordedBy": {"ivan"}, "recordedAt": {"2026-03-02T10:30"}, "place": {"Police station"},
		"language": {"ur"}, "method": {"written"}, "presentPerson": {"", ""}, "presentCapacity": {"", ""}, "implicates": {e.sus}}
}

func TestUIRegisterStatement(t *testing.T) {
	e := newDocUIEnv(t)
	r := e.inv.get(e.path("documents", "new"))
	mustStatus(t, r, http.StatusOK)
	// The form carries the rules and the facts they read, for the flags shown while
	// filling it in: the girl is a minor by her age band, a female victim, and her
	// mother is her parent.
	docMustShow(t, "the form", r, `data-rule-guardian="true"`, e.victimLabel, `data-minor="yes" data-minor-why="by age band 12-14" data-female="true" data-victim="true"`,
		`data-guardians="`+e.mother+`"`, `name="csrf"`)
	if strings.Contains(docBody(r), "Hina") {
		t.Error("the form shows the victim's name; victims are listed by pseudonym")
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}

	before := len(e.documents(t))
	r = e.submit(e.inv, e.path("documents", "new"), e.statementForm())
	mustStatus(t, r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); !strings.HasPrefix(loc, e.path("documents", "S-1")+"?done=") {
		t.Fatalf("after registering, the browser is sent to %q", loc)
	}
	if after := len(e.documents(t)); after != before+1 {
		t.Fatalf("%d documents after registering, want %d", after, before+1)
	}
	r = e.inv.get(e.path("documents", "S-1") + "?done=Registered")
	mustStatus(t, r, http.StatusOK)
	// The server's own flags: a minor and a female victim, with no one present.
	docMustShow(t, "the statement", r, "S-1", "Statement of the girl", e.victimLabel, "guardian-for-minor", "female-for-female-victim",
		"She was asked to come to the shop.\nShe went twice.", "2026-03-02 10:30", "Police station", "Tariq", "Raise an action from this document")
	if !strings.Contains(docBody(r), `class="card doc-text" dir="auto"`) {
		t.Error("the text is not shown with dir=auto")
	}
	// Recorded at 10:30 in Karachi is 05:30 UTC.
	d, err := e.db.FindDocument(e.leadCtx(t), e.caseID, "S-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Statement.RecordedAt.UTC().Format("15:04"); got != "05:30" {
		t.Errorf("recorded at %s UTC, want 05:30 (10:30 in the case's time zone)", got)
	}

	// With her mother present, the next statement misses no safeguard.
	f := e.statementForm()
	f.Set("title", "Second statement")
	f["presentPerson"], f["presentCapacity"] = []string{e.mother}, []string{"guardian"}
	r = e.submit(e.inv, e.path("documents", "new"), f)
	mustStatus(t, r, http.StatusSeeOther)
	r = e.inv.get(e.path("documents", "S-2"))
	docMustShow(t, "the second statement", r, "Rukhsana", "guardian")
	if strings.Contains(docBody(r), "guardian-for-minor") {
		t.Error("a statement with the girl's mother present is flagged")
	}

	// The register lists both, narrowed by kind.
	r = e.inv.get(e.path("documents") + "?kind=statement")
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "the statements", r, "S-1", "S-2", "guardian-for-minor")
	if strings.Contains(docBody(r), ">C-1<") {
		t.Error("the statements list shows the complaint")
	}
	docMustShow(t, "every document", e.inv.get(e.path("documents")), "C-1", "S-2")
	mustStatus(t, e.inv.get(e.path("documents")+"?kind=memo"), http.StatusBadRequest)
}

func TestUIRegisterDocumentRefusals(t *testing.T) {
	e := newDocUIEnv(t)
	mustStatus(t, e.submit(e.inv, e.path("documents", "new"), e.statementForm()), http.StatusSeeOther) // S-1
	for _, tc := range []struct {
		name    string
		change  func(url.Values)
		status  int
		message string
		kept    string
	}{
		{"no title", func(f url.Values) { f.Set("title", " ") }, http.StatusBadRequest, "title: required", "She was asked to come to the shop."},
		{"no text", func(f url.Values) { f.Set("text", "") }, http.StatusBadRequest, "text: required", "Statement of the girl"},
		{"bad time", func(f url.Values) { f.Set("recordedAt", "yesterday") }, http.StatusBadRequest, "recordedAt:", "yesterday"},
		{"future time", func(f url.Values) { f.Set("recordedAt", "2027-01-01T10:00") }, http.StatusBadRequest, "recordedAt", "2027-01-01T10:00"},
		{"no giver", func(f url.Values) { f.Set("giver", "") }, http.StatusBadRequest, "giver: required", "Police station"},
		{"unknown giver", func(f url.Values) { f.Set("giver", "V-9999") }, http.StatusBadRequest, "giver", "Police station"},
		{"bad language", func(f url.Values) { f.Set("language", "Urdu!") }, http.StatusBadRequest, "language:", "Urdu!"},
		{"correction without a reason", func(f url.Values) { f.Set("corrects", "S-1") }, http.StatusBadRequest, "correctionReason", `value="S-1" selected`},
		{"retracts another's statement", func(f url.Values) {
			f.Set("giver", e.mother)
			f.Set("retracts", "S-1")
			f.Set("circumstances", "She came back alone.")
		}, http.StatusConflict, "retracts", "She came back alone."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.documents(t)
			f := e.statementForm()
			f["presentPerson"], f["presentCapacity"] = []string{e.mother}, []string{"appropriate adult"}
			tc.change(f)
			r := e.submit(docBrowserFor(e.inv, t), e.path("documents", "new"), f)
			mustStatus(t, r, tc.status)
			docMustShow(t, tc.name, r, tc.message, tc.kept, `class="flash error"`, "Register a document",
				// The person present and the capacity are kept too.
				`<option value="`+e.mother+`" dir="auto" data-female="true" data-officer="false" data-guardian="true" selected>`, `<option selected>appropriate adult</option>`)
			if after := e.documents(t); len(after) != len(before) {
				t.Errorf("a refused form wrote a document: %v -> %v", before, after)
			}
		})
	}

	t.Run("no CSRF field", func(t *testing.T) {
		before := e.documents(t)
		r := e.inv.postForm(e.path("documents", "new"), e.statementForm())
		mustStatus(t, r, http.StatusForbidden)
		if after := e.documents(t); len(after) != len(before) {
			t.Errorf("a form without the CSRF field wrote a document: %v -> %v", before, after)
		}
	})
	t.Run("a member who may not record", func(t *testing.T) {
		b := e.browser(t)
		b.mustSignIn("olga", envPassword, "")
		before := e.documents(t)
		r := e.submit(b, e.path("documents", "new"), e.statementForm())
		mustStatus(t, r, http.StatusForbidden)
		if after := e.documents(t); len(after) != len(before) {
			t.Errorf("oversight registered a document: %v -> %v", before, after)
		}
	})
	t.Run("not a member", func(t *testing.T) {
		r := docBrowserFor(e.inv, t).get("/cases/nosuchcase/documents")
		mustStatus(t, r, http.StatusNotFound)
	})
}

// A medical report is not there for a member whose role does not read them; the
// lead reads it.
func TestUIMedicalReportHidden(t *testing.T) {
	e := newDocUIEnv(t)
	r := e.submit(e.lead, e.path("documents", "new"), url.Values{"kind": {"medical-report"}, "title": {"Examination of V"}, "text": {"Findings."},
		"recordedBy": {"lena"}, "recordedAt": {"2026-03-02T10:00"}})
	mustStatus(t, r, http.StatusSeeOther)
	docMustShow(t, "the lead", e.lead.get(e.path("documents", "MR-1")), "Examination of V")
	mustStatus(t, e.inv.get(e.path("documents", "MR-1")), http.StatusNotFound)
	if strings.Contains(docBody(e.inv.get(e.path("documents"))), "MR-1") {
		t.Error("the investigator's register lists the medical report")
	}
	if strings.Contains(docBody(e.inv.get(e.path("documents", "new"))), `value="medical-report"`) {
		t.Error("an investigator is offered to register a medical report")
	}
}

// A retraction and a correction show on both documents: what withdraws or corrects
// it, and what it withdraws or corrects.
func TestUIRetractionAndCorrection(t *testing.T) {
	e := newDocUIEnv(t)
	mustStatus(t, e.submit(e.inv, e.path("documents", "new"), e.statementForm()), http.StatusSeeOther) // S-1
	// The retraction form, as linked from S-1, names the giver and the statement.
	r := e.inv.get(e.path("documents", "new") + "?kind=statement&giver=" + e.victim + "&retracts=S-1")
	docMustShow(t, "the retraction form", r, `<option value="S-1" data-giver="`+e.victim+`" selected>`, "<details class=\"retracts\" open>")

	f := e.statementForm()
	f.Set("title", "Withdrawal")
	f["implicates"] = nil
	f.Set("retracts", "S-1")
	f.Set("circumstances", "She came back with her uncle.")
	f.Set("requestedBy", e.mother)
	mustStatus(t, e.submit(e.inv, e.path("documents", "new"), f), http.StatusSeeOther) // S-2
	docMustShow(t, "the retraction", e.inv.get(e.path("documents", "S-2")), "Retracts", ">S-1</a>", "She came back with her uncle.", ">Rukhsana</a>", "Review")
	docMustShow(t, "the retracted statement", e.inv.get(e.path("documents", "S-1")), "retracted by S-2", "Retracted by")
	docMustShow(t, "the register", e.inv.get(e.path("documents")), "retracted by S-2", "retracts S-1")

	r = e.submit(e.inv, e.path("documents", "new"), url.Values{"kind": {"complaint"}, "title": {"Complaint, corrected"}, "text": {"She reported it on Monday."},
		"giver": {e.mother}, "recordedAt": {"2026-03-02T11:00"}, "corrects": {"C-1"}, "correctionReason": {"The day was wrong."}})
	mustStatus(t, r, http.StatusSeeOther)
	docMustShow(t, "the correction", e.inv.get(e.path("documents", "C-2")), "Corrects", ">C-1</a>", "The day was wrong.")
	docMustShow(t, "the corrected complaint", e.inv.get(e.path("documents", "C-1")), "corrected by C-2")
}
