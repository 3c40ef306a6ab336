package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/audit"
)

// outsider is the user in the access matrix who is no member of the case.
const outsider = "outsider"

// matrixUsers names one member per role, plus the outsider.
var matrixUsers = map[caseroom.Role]string{
	caseroom.RoleLead: "lead", caseroom.RoleInvestigator: "inv", caseroom.RoleIndexer: "idx",
	caseroom.RoleExaminer: "exam", caseroom.RoleMedical: "med", caseroom.RoleProtection: "prot",
	caseroom.RoleProsecutor: "pros", caseroom.RoleOversight: "over", caseroom.RoleAdvocate: "adv",
}

// accessFixture is a case with a member in every role and one record of each kind.
// The advocate represents the victim V-0001.
type accessFixture struct {
	e                                 *apiEnv
	witness                           *audit.WitnessKey // registered with the log
	exhibit                           string            // SB/1, held by the lead
	held                              map[string]string // an exhibit each exhibit handler holds (seized by them), by user
	user                              string            // whom the request is made for
	caseID, victim, suspect, document string
	n                                 int // makes each write's body unique
}

func newAccessFixture(t *testing.T) *accessFixture {
	return newAccessFixtureOn(t, "")
}

// newAccessFixtureOn is newAccessFixture on the database dsn names ("" for SQLite; see
// forEachStore).
func newAccessFixtureOn(t *testing.T, dsn string) *accessFixture {
	users := []string{outsider}
	for i := 0; i < 12; i++ {
		users = append(users, fmt.Sprintf("spare%d", i))
	}
	members := map[string]caseroom.Role{}
	for role, user := range matrixUsers {
		users = append(users, user)
		if role != caseroom.RoleLead {
			members[user] = role
		}
	}
	e := newAPIEnvOn(t, dsn, users...)
	f := &accessFixture{e: e}
	f.caseID = e.createCase("lead", members)
	base := "/api/v1/cases/" + f.caseID
	f.victim = post[caseroom.Person](e, "lead", base+"/persons", map[string]any{"names": []map[string]any{{"name": "Matrix Victim"}}, "roles": []string{"victim"}}).ID
	f.suspect = post[caseroom.Person](e, "lead", base+"/persons", map[string]any{"aliases": []string{"Matrix"}, "roles": []string{"suspect"}}).ID
	rep := post[caseroom.Person](e, "lead", base+"/persons", map[string]any{"names": []map[string]any{{"name": "Matrix Advocate"}}, "roles": []string{"representative"}}).ID
	f.document = post[caseroom.Document](e, "lead", base+"/documents", map[string]any{"kind": "statement", "title": "Statement", "text": "The victim's statement.",
		"giver": f.victim, "recordedAt": "2026-11-20T10:00:00Z"}).ID
	post[caseroom.Link](e, "lead", base+"/links", map[string]any{"from": rep, "to": f.victim, "type": "represents", "source": f.document, "confidence": 1})
	post[caseroom.Membership](e, "lead", base+"/members", map[string]any{"user": "adv", "role": "advocate", "person": rep})
	post[caseroom.Organisation](e, "lead", base+"/organisations", map[string]any{"name": "Matrix Shop"})
	post[caseroom.Location](e, "lead", base+"/locations", map[string]any{"name": "Matrix Village", "kind": "village"})
	f.exhibit = post[caseroom.Exhibit](e, "lead", base+"/exhibits", map[string]any{"ref": "SB/1", "description": "A disc", "kind": "disc", "seizedAt": "2026-11-20T09:00:00Z"}).ID
	// Files are uploaded into an exhibit by its holder: one for each who may.
	f.held = map[string]string{}
	for i, user := range exhibitHandlers {
		f.held[user] = post[caseroom.Exhibit](e, "lead", base+"/exhibits", map[string]any{"ref": fmt.Sprintf("HD/%d", i+1), "description": "A card",
			"kind": "storage", "seizedBy": user, "seizedAt": "2026-11-20T09:00:00Z"}).ID
	}
	var err error
	if f.witness, err = audit.GenerateWitnessKey("matrix.example/witness"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.AddWitness(caseroom.NewContextWithUser(context.Background(), caseroom.Console), f.witness.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	return f
}

// checkpoint signs a checkpoint of the log as it is now.
func (f *accessFixture) checkpoint() ([]byte, audit.Checkpoint) {
	signed, c, err := f.e.log.MakeCheckpoint(context.Background())
	if err != nil {
		f.e.t.Fatalf("checkpoint: %v", err)
	}
	return signed, c
}

// accessRow is one route of the matrix: how to call it, and the status each role and
// the outsider get.
type accessRow struct {
	// request returns the path and body of a call that is valid in every respect but
	// permission; it is called anew for each user, so a write can be unique.
	request func(f *accessFixture) (path string, body any)
	status  map[string]int // user -> status; missing users get def
	def     int
}

// Statuses shared by many rows.
var (
	recorders   = []string{"lead", "inv", "idx", "prot"}
	nonRecorder = []string{"exam", "med", "pros", "over", "adv"}
	revealers   = []string{"lead", "prot", "med"}
	// exhibitHandlers register exhibits, record custody and ingest files.
	exhibitHandlers = []string{"lead", "inv", "idx", "exam"}
)

// only gives status to the listed users, other to the other members, and 404 to the
// outsider.
func only(status int, users []string, other int) map[string]int {
	m := map[string]int{outsider: http.StatusNotFound}
	for _, u := range matrixUsers {
		m[u] = other
	}
	for _, u := range users {
		m[u] = status
	}
	return m
}

// accessMatrix has a row for every route in routes(), keyed "METHOD pattern".
func accessMatrix() map[string]accessRow {
	casePath := func(rest string) func(f *accessFixture) (string, any) {
		return func(f *accessFixture) (string, any) { return "/api/v1/cases/" + f.caseID + rest, nil }
	}
	write := func(rest string, body func(f *accessFixture) any) func(f *accessFixture) (string, any) {
		return func(f *accessFixture) (string, any) {
			f.n++
			return "/api/v1/cases/" + f.caseID + strings.ReplaceAll(strings.ReplaceAll(rest, "{victim}", f.victim), "{suspect}", f.suspect), body(f)
		}
	}
	everyone := only(http.StatusOK, nil, http.StatusOK)
	readAll := only(http.StatusOK, nil, http.StatusOK)
	record := only(http.StatusCreated, recorders, http.StatusForbidden)
	notAdvocate := only(http.StatusOK, nil, http.StatusOK)
	notAdvocate["adv"] = http.StatusForbidden
	public := map[string]int{}
	return map[string]accessRow{
		"GET /healthz":             {request: func(*accessFixture) (string, any) { return "/healthz", nil }, status: public, def: http.StatusOK},
		"GET /{$}":                 {request: func(*accessFixture) (string, any) { return "/", nil }, status: public, def: http.StatusOK},
		"GET /api/v1/openapi.json": {request: func(*accessFixture) (string, any) { return "/api/v1/openapi.json", nil }, status: public, def: http.StatusOK},
		"GET /api/v1/me":           {request: func(*accessFixture) (string, any) { return "/api/v1/me", nil }, status: public, def: http.StatusOK},
		"GET /api/v1/cases":        {request: func(*accessFixture) (string, any) { return "/api/v1/cases", nil }, status: public, def: http.StatusOK},
		"POST /api/v1/cases": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases", map[string]any{"title": "Another case"}
		}, status: public, def: http.StatusCreated},
		"GET /api/v1/cases/{case}":         {request: casePath(""), status: everyone},
		"GET /api/v1/cases/{case}/members": {request: casePath("/members"), status: everyone},
		"POST /api/v1/cases/{case}/members": {request: write("/members", func(f *accessFixture) any {
			return map[string]any{"user": fmt.Sprintf("spare%d", f.n%12), "role": "prosecutor"}
		}), status: only(http.StatusCreated, []string{"lead"}, http.StatusForbidden)},
		"GET /api/v1/cases/{case}/persons": {request: casePath("/persons"), status: everyone},
		"POST /api/v1/cases/{case}/persons": {request: write("/persons", func(f *accessFixture) any {
			return map[string]any{"names": []map[string]any{{"name": fmt.Sprintf("Witness %d", f.n)}}, "roles": []string{"witness"}}
		}), status: record},
		"GET /api/v1/cases/{case}/persons/{id}": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/persons/" + f.victim, nil
		}, status: everyone},
		"POST /api/v1/cases/{case}/persons/{id}/names": {request: write("/persons/{suspect}/names", func(f *accessFixture) any {
			return map[string]any{"name": fmt.Sprintf("Name %d", f.n)}
		}), status: record},
		"POST /api/v1/cases/{case}/persons/{id}/aliases": {request: write("/persons/{suspect}/aliases", func(f *accessFixture) any {
			return map[string]any{"alias": fmt.Sprintf("Alias %d", f.n)}
		}), status: record},
		"POST /api/v1/cases/{case}/persons/{id}/roles": {request: func(f *accessFixture) (string, any) {
			// A new person each time, so that adding the role is never a duplicate.
			p := post[caseroom.Person](f.e, "lead", "/api/v1/cases/"+f.caseID+"/persons", map[string]any{"aliases": []string{"Role target"}, "roles": []string{"suspect"}})
			return "/api/v1/cases/" + f.caseID + "/persons/" + p.ID + "/roles", map[string]any{"role": "witness"}
		}, status: record},
		"POST /api/v1/cases/{case}/persons/{id}/identifiers": {request: write("/persons/{suspect}/identifiers", func(f *accessFixture) any {
			return map[string]any{"kind": "phone", "value": fmt.Sprintf("+92300%07d", f.n), "source": f.document}
		}), status: record},
		"POST /api/v1/cases/{case}/persons/{id}/reveal": {request: write("/persons/{victim}/reveal", func(f *accessFixture) any {
			return map[string]any{"reason": "access matrix"}
		}), status: only(http.StatusOK, revealers, http.StatusForbidden)},
		"GET /api/v1/cases/{case}/persons/{id}/access": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/persons/" + f.victim + "/access", nil
		}, status: only(http.StatusOK, []string{"lead", "prot", "over", "adv"}, http.StatusForbidden)},
		"GET /api/v1/cases/{case}/documents": {request: casePath("/documents"), status: readAll},
		"POST /api/v1/cases/{case}/documents": {request: write("/documents", func(f *accessFixture) any {
			return map[string]any{"kind": "report", "title": fmt.Sprintf("Report %d", f.n), "text": "An officer's report."}
		}), status: record},
		"GET /api/v1/cases/{case}/documents/{id}": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/documents/" + f.document, nil
		}, status: readAll},
		"GET /api/v1/cases/{case}/links": {request: casePath("/links"), status: readAll},
		"POST /api/v1/cases/{case}/links": {request: write("/links", func(f *accessFixture) any {
			return map[string]any{"from": f.victim, "to": f.suspect, "type": "implicates", "source": f.document, "confidence": 0.9}
		}), status: record},
		"GET /api/v1/cases/{case}/organisations": {request: casePath("/organisations"), status: notAdvocate},
		"POST /api/v1/cases/{case}/organisations": {request: write("/organisations", func(f *accessFixture) any {
			return map[string]any{"name": fmt.Sprintf("Shop %d", f.n)}
		}), status: record},
		"GET /api/v1/cases/{case}/locations": {request: casePath("/locations"), status: notAdvocate},
		"POST /api/v1/cases/{case}/locations": {request: write("/locations", func(f *accessFixture) any {
			return map[string]any{"name": fmt.Sprintf("Place %d", f.n), "kind": "address"}
		}), status: record},
		"GET /signin":          {request: func(*accessFixture) (string, any) { return "/signin", nil }, status: public, def: http.StatusOK},
		"POST /signin":         {request: func(*accessFixture) (string, any) { return "/signin", map[string]any{"user": "lead"} }, status: public, def: http.StatusBadRequest}, // JSON is no form
		"POST /signout":        {request: func(*accessFixture) (string, any) { return "/signout", nil }, status: public, def: http.StatusOK},                                   // 303 to /signin, followed
		"POST /api/v1/me/totp": {request: func(*accessFixture) (string, any) { return "/api/v1/me/totp", nil }, status: public, def: http.StatusCreated},
		"GET /api/v1/tokens":   {request: func(*accessFixture) (string, any) { return "/api/v1/tokens", nil }, status: public, def: http.StatusOK},
		"POST /api/v1/tokens/{id}/revoke": {request: func(f *accessFixture) (string, any) {
			ts, err := f.e.db.FindTokens(caseroom.NewContextWithUser(context.Background(), caseroom.Console), "spare0")
			if err != nil || len(ts) == 0 {
				f.e.t.Fatalf("tokens of spare0: %v %v", ts, err)
			}
			return "/api/v1/tokens/" + ts[0].ID + "/revoke", nil
		}, status: public, def: http.StatusNotFound}, // someone else's token: as if it did not exist
		"GET /api/v1/users/{name}/account":  {request: func(*accessFixture) (string, any) { return "/api/v1/users/spare0/account", nil }, status: public, def: http.StatusForbidden},
		"POST /api/v1/users/{name}/unlock":  {request: func(*accessFixture) (string, any) { return "/api/v1/users/spare0/unlock", nil }, status: public, def: http.StatusForbidden},
		"POST /api/v1/users/{name}/disable": {request: func(*accessFixture) (string, any) { return "/api/v1/users/spare0/disable", nil }, status: public, def: http.StatusForbidden},
		"POST /api/v1/users/{name}/enable":  {request: func(*accessFixture) (string, any) { return "/api/v1/users/spare0/enable", nil }, status: public, def: http.StatusForbidden},
		"GET /api/v1/cases/{case}/audit":    {request: casePath("/audit"), status: only(http.StatusOK, []string{"lead", "pros", "over"}, http.StatusForbidden)},

		// Exhibits: handled by lead, investigator, indexer and examiner; read by all but advocates.
		"GET /api/v1/cases/{case}/exhibits": {request: casePath("/exhibits"), status: notAdvocate},
		"POST /api/v1/cases/{case}/exhibits": {request: write("/exhibits", func(f *accessFixture) any {
			return map[string]any{"ref": fmt.Sprintf("MX/%d", f.n), "description": "A phone", "kind": "phone", "seizedAt": "2026-11-20T09:00:00Z"}
		}), status: only(http.StatusCreated, exhibitHandlers, http.StatusForbidden)},
		"GET /api/v1/cases/{case}/exhibits/{id}": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/exhibits/" + f.exhibit, nil
		}, status: notAdvocate},
		"POST /api/v1/cases/{case}/exhibits/{id}/custody": {request: func(f *accessFixture) (string, any) {
			f.n++
			return "/api/v1/cases/" + f.caseID + "/exhibits/" + f.exhibit + "/custody",
				map[string]any{"event": "examined", "by": "lead", "at": time.Date(2026, 11, 21, 0, f.n, 0, 0, time.UTC), "purpose": "access matrix"}
		}, status: only(http.StatusCreated, exhibitHandlers, http.StatusForbidden)},
		"GET /api/v1/cases/{case}/exhibits/{id}/media": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/exhibits/" + f.exhibit + "/media", nil
		}, status: notAdvocate},
		"POST /api/v1/cases/{case}/exhibits/{id}/media": {request: func(f *accessFixture) (string, any) {
			f.n++
			x := f.held[f.user]
			if x == "" {
				x = f.exhibit
			}
			return fmt.Sprintf("/api/v1/cases/%s/exhibits/%s/media?path=file%d.txt", f.caseID, x, f.n), fmt.Sprintf("benign text %d", f.n)
		}, status: only(http.StatusCreated, exhibitHandlers, http.StatusForbidden)},
		"GET /api/v1/cases/{case}/media":         {request: casePath("/media"), status: notAdvocate},
		"GET /api/v1/cases/{case}/media/summary": {request: casePath("/media/summary"), status: notAdvocate},
		"GET /api/v1/cases/{case}/media/vics":    {request: casePath("/media/vics"), status: notAdvocate},

		// Actions: raised by the lead and investigators; allocated, filed, referred back
		// and cancelled by the lead; resulted by the member allocated (inv) or the lead;
		// read by every member but advocates. Each write gets a fresh action in the
		// right state (matrixAction, actions_test.go).
		"GET /api/v1/cases/{case}/actions": {request: casePath("/actions?state=raised"), status: notAdvocate},
		"POST /api/v1/cases/{case}/actions": {request: write("/actions", func(f *accessFixture) any {
			return map[string]any{"kind": "search", "title": fmt.Sprintf("Search %d", f.n), "raisedFrom": f.document, "subjects": []string{f.suspect}}
		}), status: only(http.StatusCreated, []string{"lead", "inv"}, http.StatusForbidden)},
		"GET /api/v1/cases/{case}/actions/{id}": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/actions/" + matrixAction(f, ""), nil
		}, status: notAdvocate},
		"POST /api/v1/cases/{case}/actions/{id}/allocate": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/actions/" + matrixAction(f, "") + "/allocate", map[string]any{"to": "inv"}
		}, status: only(http.StatusCreated, []string{"lead"}, http.StatusForbidden)},
		"POST /api/v1/cases/{case}/actions/{id}/result": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/actions/" + matrixAction(f, "allocate") + "/result", map[string]any{"document": f.document}
		}, status: only(http.StatusCreated, []string{"lead", "inv"}, http.StatusForbidden)},
		"POST /api/v1/cases/{case}/actions/{id}/file": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/actions/" + matrixAction(f, "result") + "/file", nil
		}, status: only(http.StatusCreated, []string{"lead"}, http.StatusForbidden)},
		"POST /api/v1/cases/{case}/actions/{id}/refer-back": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/actions/" + matrixAction(f, "result") + "/refer-back", map[string]any{"reason": "access matrix"}
		}, status: only(http.StatusCreated, []string{"lead"}, http.StatusForbidden)},
		"POST /api/v1/cases/{case}/actions/{id}/cancel": {request: func(f *accessFixture) (string, any) {
			return "/api/v1/cases/" + f.caseID + "/actions/" + matrixAction(f, "") + "/cancel", map[string]any{"reason": "access matrix"}
		}, status: only(http.StatusCreated, []string{"lead"}, http.StatusForbidden)},
		// Consents: on a fresh medical examination of the victim, recorded by the
		// recording roles and medical.
		"POST /api/v1/cases/{case}/actions/{id}/consents": {request: func(f *accessFixture) (string, any) {
			a := post[caseroom.Action](f.e, "lead", "/api/v1/cases/"+f.caseID+"/actions", map[string]any{"kind": "medical-examination", "title": "Matrix examination", "subjects": []string{f.victim}})
			return "/api/v1/cases/" + f.caseID + "/actions/" + a.ID + "/consents", map[string]any{"person": f.victim, "by": f.victim, "given": true}
		}, status: only(http.StatusCreated, append([]string{"med"}, recorders...), http.StatusForbidden)},
		// Arrests: recorded by the recording roles, read by every member but advocates.
		"GET /api/v1/cases/{case}/arrests": {request: casePath("/arrests"), status: notAdvocate},
		"POST /api/v1/cases/{case}/arrests": {request: write("/arrests", func(f *accessFixture) any {
			return map[string]any{"person": f.suspect, "at": "2026-11-21T08:00:00Z", "by": "lead", "place": "Matrix Village", "grounds": []string{f.document}}
		}), status: record},
		// Productions: on a fresh arrest, recorded by the recording roles.
		"POST /api/v1/cases/{case}/arrests/{id}/production": {request: func(f *accessFixture) (string, any) {
			a := post[caseroom.Arrest](f.e, "lead", "/api/v1/cases/"+f.caseID+"/arrests", map[string]any{"person": f.suspect, "at": "2026-11-21T08:00:00Z", "by": "lead", "place": "Matrix Village", "grounds": []string{f.document}})
			return "/api/v1/cases/" + f.caseID + "/arrests/" + a.Ref + "/production", map[string]any{"at": "2026-11-21T20:00:00Z", "court": "Matrix Magistrate", "outcome": "remanded", "by": "lead"}
		}, status: record},
		// The accountability report: lead, prosecutor and oversight.
		"GET /api/v1/cases/{case}/accountability": {request: casePath("/accountability"), status: only(http.StatusOK, []string{"lead", "pros", "over"}, http.StatusForbidden)},
		// The victim-contact ledger: recorded by the recording roles, read by the lead and oversight.
		"GET /api/v1/cases/{case}/contacts": {request: casePath("/contacts"), status: only(http.StatusOK, []string{"lead", "over"}, http.StatusForbidden)},
		"POST /api/v1/cases/{case}/contacts": {request: write("/contacts", func(f *accessFixture) any {
			return map[string]any{"person": f.victim, "by": "lead", "at": "2026-11-21T08:00:00Z", "kind": "visit", "purpose": "Access matrix"}
		}), status: record},
		// The deadline clocks: the lead, prosecutors, oversight and investigators.
		"GET /api/v1/cases/{case}/clocks": {request: casePath("/clocks"), status: only(http.StatusOK, []string{"lead", "pros", "over", "inv"}, http.StatusForbidden)},
		// The case summary: every member but advocates.
		"GET /api/v1/cases/{case}/summary": {request: casePath("/summary"), status: notAdvocate},
		// Statement safeguards: the lead sets them; every member but an advocate reads them.
		"GET /api/v1/cases/{case}/safeguards": {request: casePath("/safeguards"), status: notAdvocate},
		"POST /api/v1/cases/{case}/safeguards": {request: write("/safeguards", func(f *accessFixture) any {
			return map[string]any{"languages": map[string]any{"*": []string{"ur"}}}
		}), status: only(http.StatusCreated, []string{"lead"}, http.StatusForbidden)},
		// The decision log: recorded by the lead; read by the lead, prosecutor and oversight.
		"GET /api/v1/cases/{case}/decisions": {request: casePath("/decisions"), status: only(http.StatusOK, []string{"lead", "pros", "over"}, http.StatusForbidden)},
		"POST /api/v1/cases/{case}/decisions": {request: write("/decisions", func(f *accessFixture) any {
			return map[string]any{"decision": fmt.Sprintf("Decision %d", f.n), "rationale": "access matrix"}
		}), status: only(http.StatusCreated, []string{"lead"}, http.StatusForbidden)},

		// Money and communications: payments recorded by the recording roles and read
		// by every member but advocates; communications imported into an exhibit by its
		// handlers and read by every member but advocates; the timeline read by every
		// member (an advocate sees their clients' entries only).
		"GET /api/v1/cases/{case}/payments": {request: casePath("/payments"), status: notAdvocate},
		"POST /api/v1/cases/{case}/payments": {request: write("/payments", func(f *accessFixture) any {
			return map[string]any{"payer": f.victim, "payee": f.suspect, "amount": 1000 + f.n, "at": "2026-11", "method": "cash", "purpose": "extortion", "source": f.document}
		}), status: record},
		"GET /api/v1/cases/{case}/payments/summary": {request: casePath("/payments/summary"), status: notAdvocate},
		"POST /api/v1/cases/{case}/exhibits/{id}/communications": {request: func(f *accessFixture) (string, any) {
			f.n++
			x := f.held[f.user]
			if x == "" {
				x = f.exhibit
			}
			return fmt.Sprintf("/api/v1/cases/%s/exhibits/%s/communications?format=cdr", f.caseID, x),
				fmt.Sprintf("A Party,B Party,Date/Time,Duration\n03001234567,0321%07d,2026-11-20 10:00:00,60\n", f.n)
		}, status: only(http.StatusCreated, exhibitHandlers, http.StatusForbidden)},
		"GET /api/v1/cases/{case}/communications":         {request: casePath("/communications"), status: notAdvocate},
		"GET /api/v1/cases/{case}/communications/summary": {request: casePath("/communications/summary"), status: notAdvocate},
		"GET /api/v1/cases/{case}/endpoints":              {request: casePath("/endpoints"), status: notAdvocate},
		"GET /api/v1/cases/{case}/timeline":               {request: casePath("/timeline"), status: everyone},

		// Search: every member (an advocate finds their clients' documents only).
		"GET /api/v1/cases/{case}/search": {request: casePath("/search?q=statement"), status: everyone},
		"POST /api/v1/cases/{case}/search": {request: func(f *accessFixture) (string, any) {
			return fmt.Sprintf("/api/v1/cases/%s/search", f.caseID), map[string]any{"q": "statement"}
		}, status: everyone},

		// Link analysis: every member; an advocate does not see the suspect (404, as
		// for a record that does not exist), and reads no whole-case centrality beyond
		// their clients.
		"GET /api/v1/cases/{case}/network": {request: func(f *accessFixture) (string, any) {
			return fmt.Sprintf("/api/v1/cases/%s/network?around=%s&steps=2", f.caseID, f.suspect), nil
		}, status: only(http.StatusOK, []string{"lead", "inv", "idx", "prot", "exam", "med", "pros", "over"}, http.StatusNotFound)},
		"GET /api/v1/cases/{case}/network/paths": {request: func(f *accessFixture) (string, any) {
			return fmt.Sprintf("/api/v1/cases/%s/network/paths?from=%s&to=%s", f.caseID, f.suspect, f.victim), nil
		}, status: only(http.StatusOK, []string{"lead", "inv", "idx", "prot", "exam", "med", "pros", "over"}, http.StatusNotFound)},
		"GET /api/v1/cases/{case}/network/common": {request: func(f *accessFixture) (string, any) {
			return fmt.Sprintf("/api/v1/cases/%s/network/common?persons=%s,%s", f.caseID, f.suspect, f.victim), nil
		}, status: only(http.StatusOK, []string{"lead", "inv", "idx", "prot", "exam", "med", "pros", "over"}, http.StatusNotFound)},
		"GET /api/v1/cases/{case}/network/centrality": {request: casePath("/network/centrality"), status: everyone},
		"GET /api/v1/cases/{case}/export":             {request: casePath("/export?format=graphml"), status: notAdvocate},

		// Known-hash sets: listed by anyone signed in, imported by administrators only
		// (the matrix has none; hashsets_test.go imports as one).
		"GET /api/v1/hashsets": {request: func(*accessFixture) (string, any) { return "/api/v1/hashsets", nil }, status: public, def: http.StatusOK},
		"POST /api/v1/hashsets": {request: func(f *accessFixture) (string, any) {
			f.n++
			return fmt.Sprintf("/api/v1/hashsets?name=matrix-set-%d", f.n), fmt.Sprintf("md5,category\n%032x,1\n", f.n)
		}, status: public, def: http.StatusForbidden},

		// The transparency log: checkpoints and proofs for anyone, witnesses for admins.
		"GET /api/v1/audit/checkpoint": {request: func(f *accessFixture) (string, any) {
			f.checkpoint()
			return "/api/v1/audit/checkpoint", nil
		}, status: public, def: http.StatusOK},
		"GET /api/v1/audit/consistency": {request: func(f *accessFixture) (string, any) { return "/api/v1/audit/consistency?old=1&new=3", nil }, status: public, def: http.StatusOK},
		"GET /api/v1/audit/inclusion":   {request: func(f *accessFixture) (string, any) { return "/api/v1/audit/inclusion?index=1&size=3", nil }, status: public, def: http.StatusOK},
		"POST /api/v1/audit/cosignatures": {request: func(f *accessFixture) (string, any) {
			signed, c := f.checkpoint()
			return "/api/v1/audit/cosignatures", string(signed) + f.witness.Cosign(c.Text(), time.Now())
		}, status: public, def: http.StatusCreated},
		"GET /api/v1/audit/witnesses": {request: func(*accessFixture) (string, any) { return "/api/v1/audit/witnesses", nil }, status: public, def: http.StatusOK},
		"POST /api/v1/audit/witnesses": {request: func(f *accessFixture) (string, any) {
			k, _ := audit.GenerateWitnessKey(fmt.Sprintf("w%d.example", f.n))
			f.n++
			return "/api/v1/audit/witnesses", map[string]any{"key": k.VerifierKey()}
		}, status: public, def: http.StatusForbidden},
		"GET /api/v1/audit/entries": {request: func(*accessFixture) (string, any) { return "/api/v1/audit/entries", nil }, status: public, def: http.StatusForbidden},
	}
}

// TestAccessMatrix calls every route as a member in every role and as a non-member,
// and checks the status each gets. A route without a row in the matrix fails.
func TestAccessMatrix(t *testing.T) {
	f := newAccessFixture(t)
	matrix := accessMatrix()
	srv := &Server{}
	seen := map[string]bool{}
	for _, rt := range srv.routes() {
		key := rt.method + " " + rt.pattern
		seen[key] = true
		row, ok := matrix[key]
		if !ok {
			t.Errorf("%s has no row in the access matrix: say which roles may call it", key)
			continue
		}
		users := append([]string{outsider}, sortedUsers()...)
		for _, user := range users {
			want, ok := row.status[user]
			if !ok {
				want = row.def
			}
			f.user = user
			path, body := row.request(f)
			got := f.e.do(user, rt.method, path, body)
			if got.status != want {
				body := got.body
				if len(body) > 300 {
					body = body[:300]
				}
				t.Errorf("%s as %s (%s): status %d, want %d\n%s", key, user, matrixRole(user), got.status, want, body)
			}
		}
	}
	for key := range matrix {
		if !seen[key] {
			t.Errorf("the access matrix has a row for %s, which is not a route", key)
		}
	}
}

func sortedUsers() []string {
	var out []string
	for _, role := range caseroom.Roles {
		out = append(out, matrixUsers[role])
	}
	return out
}

func matrixRole(user string) caseroom.Role {
	for role, u := range matrixUsers {
		if u == user {
			return role
		}
	}
	return "non-member"
}

// TestRoleChangeAppliesToTheNextRequest shows that a new role, or the end of a
// membership's rights, holds from the very next request.
func TestRoleChangeAppliesToTheNextRequest(t *testing.T) {
	f := newAccessFixture(t)
	base := "/api/v1/cases/" + f.caseID
	witness := func() any {
		f.n++
		return map[string]any{"names": []map[string]any{{"name": fmt.Sprintf("Witness %d", f.n)}}, "roles": []string{"witness"}}
	}
	mustStatus(t, f.e.do("inv", "POST", base+"/persons", witness()), http.StatusCreated)
	mustStatus(t, f.e.do("inv", "GET", base+"/audit", nil), http.StatusForbidden)

	mustStatus(t, f.e.do("lead", "POST", base+"/members", map[string]any{"user": "inv", "role": "oversight"}), http.StatusCreated)
	mustStatus(t, f.e.do("inv", "POST", base+"/persons", witness()), http.StatusForbidden)
	mustStatus(t, f.e.do("inv", "GET", base+"/audit", nil), http.StatusOK)

	mustStatus(t, f.e.do("lead", "POST", base+"/members", map[string]any{"user": "inv", "role": "investigator"}), http.StatusCreated)
	mustStatus(t, f.e.do("inv", "POST", base+"/persons", witness()), http.StatusCreated)

	// The advocate's client list, too, is read on every request.
	mustStatus(t, f.e.do("adv", "GET", base+"/persons/"+f.victim, nil), http.StatusOK)
	other := post[caseroom.Person](f.e, "lead", base+"/persons", map[string]any{"names": []map[string]any{{"name": "Another Representative"}}, "roles": []string{"representative"}}).ID
	mustStatus(t, f.e.do("lead", "POST", base+"/members", map[string]any{"user": "adv", "role": "advocate", "person": other}), http.StatusCreated)
	mustStatus(t, f.e.do("adv", "GET", base+"/persons/"+f.victim, nil), http.StatusNotFound)
}

// TestMedicalReportByRole checks, through the API and for every role, that a medical
// report (kind medical-report, MR-1) is restricted from its registration: medical
// officers and the lead register one; medical officers, the lead and the prosecutor
// read and list it; to every other member it is 404 and absent from the list.
func TestMedicalReportByRole(t *testing.T) {
	f := newAccessFixture(t)
	base := "/api/v1/cases/" + f.caseID
	registers := only(http.StatusCreated, []string{"lead", "med"}, http.StatusForbidden)
	for _, user := range append([]string{outsider}, sortedUsers()...) {
		f.n++
		r := f.e.do(user, "POST", base+"/documents", map[string]any{"kind": "medical-report", "title": fmt.Sprintf("Examination %d", f.n), "text": "Findings."})
		if r.status != registers[user] {
			t.Errorf("register a medical report as %s (%s): status %d, want %d\n%s", user, matrixRole(user), r.status, registers[user], r.body)
		}
	}
	reads := only(http.StatusOK, []string{"lead", "med", "pros"}, http.StatusNotFound)
	for _, user := range append([]string{outsider}, sortedUsers()...) {
		if r := f.e.do(user, "GET", base+"/documents/MR-1", nil); r.status != reads[user] {
			t.Errorf("GET MR-1 as %s (%s): status %d, want %d", user, matrixRole(user), r.status, reads[user])
		}
		if user == outsider {
			continue
		}
		r := f.e.do(user, "GET", base+"/documents?kind=medical-report", nil)
		listed := strings.Count(string(r.body), `"ref":"MR-`)
		if want := map[bool]int{true: 2, false: 0}[reads[user] == http.StatusOK]; r.status != http.StatusOK || listed != want {
			t.Errorf("list medical reports as %s (%s): status %d, %d listed, want 200 and %d", user, matrixRole(user), r.status, listed, want)
		}
	}
}
