package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/audit"
	"caseroom/sqlstore"
)

func TestUIAccountability(t *testing.T) {
	e := newOversightUIEnv(t)
	// The investigator is refused, as the service refuses them.
	r := e.inv.get(e.path("accountability"))
	mustStatus(t, r, http.StatusForbidden)
	docMustShow(t, "refusal", r, "does not read the accountability report")

	for name, b := range map[string]*browser{"lead": e.lead, "oversight": e.over} {
		t.Run(name, func(t *testing.T) {
			r := docBrowserFor(b, t).get(e.path("accountability"))
			mustStatus(t, r, http.StatusOK)
			body := docBody(r)
			// Every suspect rests on at most one source here: all are flagged, and the
			// one the mother's complaint names shows it as his source, by her.
			docMustShow(t, "report", r, "3</span><span class=\"l\">suspects flagged", "single-source", e.complaint.Ref, "Rukhsana", "names them")
			if strings.Contains(string(r.body), "<script>alert") {
				t.Error("a suspect's name was written into the page as markup")
			}
			// The implicated suspect, with one independent source, comes before
			// the others, who have none... all flagged alike, so the fewest sources
			// first: the two with none.
			if i, j := strings.Index(body, "Bilal"), strings.Index(body, hostileName); i < 0 || j < 0 || i > j {
				t.Errorf("suspects are not sorted by flags and then fewest sources (Bilal at %d, Tariq at %d)", i, j)
			}
			// Links: the suspect's page, the source document, the giver.
			docMustShow(t, "links", r, `href="`+e.path("people", e.sus)+`"`, `href="`+e.path("documents", e.complaint.Ref)+`"`, `href="`+e.path("people", e.mother)+`"`)
		})
	}
}

func TestUIAuditPageAndVerify(t *testing.T) {
	e := newOversightUIEnv(t)
	ctx := context.Background()
	// A checkpoint, cosigned by a registered witness.
	signed, c, err := e.apiEnv.log.MakeCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wk, err := audit.GenerateWitnessKey("court.example/witness")
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, e.do("root", "POST", "/api/v1/audit/witnesses", map[string]any{"key": wk.VerifierKey()}), http.StatusCreated)
	if _, err := e.apiEnv.log.AddCosignature(ctx, append(signed, wk.Cosign(c.Text(), *e.now)...)); err != nil {
		t.Fatal(err)
	}

	// The investigator may not read the case's audit log, nor verify from its page.
	mustStatus(t, e.inv.get(e.path("audit")), http.StatusForbidden)
	mustStatus(t, e.inv.postForm(e.path("audit", "verify"), url.Values{"csrf": {e.inv.csrf()}}), http.StatusForbidden)

	start := time.Now()
	r := e.over.get(e.path("audit"))
	t.Logf("audit page rendered in %v", time.Since(start))
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "audit page", r, "Latest checkpoint", c.Origin, "court.example/witness", "Verify now", "newest first")
	if !strings.Contains(docBody(r), strings.TrimSpace(strings.Split(c.Text(), "\n")[2])) {
		t.Error("the page does not show the checkpoint's root hash")
	}
	if !strings.Contains(string(r.body), `<span class="tag good">yes</span>`) {
		t.Error("the witness's cosignature is not shown")
	}
	// The case's entries, newest first: the links recorded last lead.
	seqs := regexp.MustCompile(`<tr>\n<td class="num">(\d+)</td>`).FindAllStringSubmatch(string(r.body), -1)
	if len(seqs) < 2 {
		t.Fatalf("the page lists %d audit entries", len(seqs))
	}
	if a, b := seqs[0][1], seqs[len(seqs)-1][1]; len(a) < len(b) || (len(a) == len(b) && a <= b) {
		t.Errorf("entries run from #%s to #%s, want the newest first", a, b)
	}
	docMustShow(t, "entries", r, "link.record", "lena")

	// Without the CSRF field, nothing runs.
	mustStatus(t, e.over.postForm(e.path("audit", "verify"), url.Values{}), http.StatusForbidden)

	// Verify now: the log holds.
	r = e.over.postForm(e.path("audit", "verify"), url.Values{"csrf": {e.over.csrf()}})
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "verified", r, "Intact", "OK: audit log intact:", "latest checkpoint (size")

	// An entry edited behind the log's back is found.
	raw, err := sql.Open("sqlite", "file:"+e.apiEnv.path+"?_pragma=busy_timeout(20000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	r = e.lead.postForm(e.path("audit", "verify"), url.Values{"csrf": {e.lead.csrf()}})
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "tampered", r, "Tampering found", "FAILED: entry 1:")
}

func TestUIAuditPaging(t *testing.T) {
	e := newOversightUIEnv(t)
	r := e.lead.get(e.path("audit"))
	mustStatus(t, r, http.StatusOK)
	docMustShow(t, "first page", r, "Page 1 of")
	mustStatus(t, e.lead.get(e.path("audit")+"?page=0"), http.StatusBadRequest)
	mustStatus(t, e.lead.get(e.path("audit")+"?page=x"), http.StatusBadRequest)
	// A page past the last shows the last.
	r = e.lead.get(e.path("audit") + "?page=999")
	mustStatus(t, r, http.StatusOK)
	if strings.Contains(docBody(r), "No audit entries") {
		t.Error("a page past the last shows no entries")
	}
}

// The store is what the audit page verifies with: the same VerifyAudit as the CLI's.
var _ AuditVerifier = (*sqlstore.DB)(nil)

func TestUIAuditNavByRole(t *testing.T) {
	e := newOversightUIEnv(t)
	link := `href="` + e.path("audit") + `"`
	// The investigator may not read the case's audit log: the navigation does not
	// offer it. The lead and oversight may, and it is offered.
	for name, tc := range map[string]struct {
		b     *browser
		shown bool
	}{"investigator": {e.inv, false}, "lead": {e.lead, true}, "oversight": {e.over, true}} {
		t.Run(name, func(t *testing.T) {
			r := docBrowserFor(tc.b, t).get(e.path("people"))
			mustStatus(t, r, http.StatusOK)
			if got := strings.Contains(string(r.body), link); got != tc.shown {
				t.Errorf("the Audit entry is shown: %v, want %v", got, tc.shown)
			}
		})
	}
}

// TestAuditActionLabels checks that every action the store writes to the audit log
// has a label on the audit page, by reading the actions out of the store's source:
// the literal names given to appendAudit, appendAuditState and appendToPerson, the
// verbs of action steps ("action." + verb), and the actions named in assignments.
func TestAuditActionLabels(t *testing.T) {
	files, err := filepath.Glob("../sqlstore/*.go")
	if err != nil {
		t.Fatal(err)
	}
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`appendAudit(?:State)?\([^,]+,\s*"([a-z][a-z_.-]*)"`),
		regexp.MustCompile(`appendToPerson\([^,]+,[^,]+,[^,]+,\s*"([a-z][a-z_.-]*)"`),
		regexp.MustCompile(`\baction(?:\s*:=|\s*=|:)\s*"([a-z][a-z_.-]*\.[a-z_.-]+)"`),
	}
	verb := regexp.MustCompile(`\bverb:\s*"([a-z-]+)"`)
	found := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range patterns {
			for _, m := range p.FindAllStringSubmatch(string(src), -1) {
				if !strings.HasSuffix(m[1], ".") { // "action." + verb: the verbs below
					found[m[1]] = true
				}
			}
		}
		for _, m := range verb.FindAllStringSubmatch(string(src), -1) {
			found["action."+m[1]] = true
		}
	}
	// The source holds at least the actions of this page's cases; fewer means the
	// patterns no longer find them.
	for _, a := range []string{"media.view", "media.ingest", "action.allocate", "person.alias.add", "identity.reveal.refused", "hashset.match"} {
		if !found[a] {
			t.Errorf("the store's source yields no action %s: the patterns are out of date", a)
		}
	}
	for a := range found {
		if auditActionLabels[a] == "" {
			t.Errorf("the audit action %s has no label on the audit page (auditActionLabels)", a)
		}
	}
}

// TestUIAuditWithholdsMedicalReports: the audit page shows oversight the entry of a
// medical report as "a medical report", without its id, author or state hash; the
// lead sees it whole.
func TestUIAuditWithholdsMedicalReports(t *testing.T) {
	e := newOversightUIEnv(t)
	mr := post[caseroom.Document](e.apiEnv, "lena", "/api/v1/cases/"+e.caseID+"/documents",
		map[string]any{"kind": "medical-report", "title": "Examination", "text": "Findings."})
	over := e.over.get(e.path("audit"))
	mustStatus(t, over, http.StatusOK)
	docMustShow(t, "oversight's audit page", over, "a medical report", "withheld")
	if strings.Contains(string(over.body), mr.ID) {
		t.Errorf("oversight's audit page names the medical report %s", mr.ID)
	}
	lead := e.lead.get(e.path("audit"))
	mustStatus(t, lead, http.StatusOK)
	if !strings.Contains(string(lead.body), mr.ID) || strings.Contains(string(lead.body), "a medical report") {
		t.Errorf("the lead's audit page does not show the medical report %s whole", mr.ID)
	}
}
