package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/audit"
	"caseroom/blob"
	"caseroom/sqlstore"
)

// The tests in this file drive the whole JSON API over HTTP, through the real router
// and a real SQLite store in a temporary directory, as a client would. Every JSON
// response is also checked against the schema openapi.json documents for its route
// and status (see apiEnv.checkDocumented).

// apiEnv is a server on a store in a temporary directory, with a few users.
type apiEnv struct {
	t    *testing.T
	path string
	// dsn, if set, names the database to open instead of the SQLite file at path (a
	// PostgreSQL schema of the test's own, see newAPIEnvOn); the key files and blobs
	// still live beside path.
	dsn    string
	db     *sqlstore.DB
	srv    *httptest.Server
	doc    *openAPIDoc
	tokens map[string]string // user name -> API token
	log    *audit.Log
}

// newAPIEnv opens a fresh SQLite store and creates the named users, each with a token.
func newAPIEnv(t *testing.T, users ...string) *apiEnv {
	t.Helper()
	return newAPIEnvOn(t, "", users...)
}

// newAPIEnvOn is newAPIEnv on the database dsn names ("" for a fresh SQLite file;
// see testStoreDSN).
func newAPIEnvOn(t *testing.T, dsn string, users ...string) *apiEnv {
	t.Helper()
	e := &apiEnv{t: t, path: filepath.Join(t.TempDir(), "caseroom.db"), dsn: dsn, doc: loadOpenAPI(t), tokens: map[string]string{}}
	e.start()
	ctx := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	for _, name := range users {
		if _, err := e.db.CreateUser(ctx, caseroom.NewUser{Name: name, Password: "correct horse battery staple"}); err != nil {
			t.Fatalf("create user %s: %v", name, err)
		}
		tok, err := e.db.CreateToken(ctx, name)
		if err != nil {
			t.Fatalf("create token for %s: %v", name, err)
		}
		e.tokens[name] = tok.Secret
	}
	t.Cleanup(e.stop)
	return e
}

// start opens the store at e.path and serves it, as the server does on start.
func (e *apiEnv) start() {
	e.t.Helper()
	dsn := e.path
	if e.dsn != "" {
		dsn = e.dsn
	}
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{KeyFile: e.path + ".key"})
	if err != nil {
		e.t.Fatalf("open store: %v", err)
	}
	e.db = db
	key, err := audit.LoadOrCreateLogKey(e.path + ".audit.key")
	if err != nil {
		e.t.Fatalf("log key: %v", err)
	}
	e.log = &audit.Log{Store: db, Key: key, Now: db.Now}
	srv := NewServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.Log = e.log
	blobs, err := blob.NewDisk(e.path + ".blobs")
	if err != nil {
		e.t.Fatalf("blob store: %v", err)
	}
	e.t.Cleanup(func() { blobs.Close() })
	srv.Blobs = blobs
	e.srv = httptest.NewServer(srv)
}

func (e *apiEnv) stop() {
	if e.srv != nil {
		e.srv.Close()
		e.srv = nil
	}
	if e.db != nil {
		if err := e.db.Close(); err != nil {
			e.t.Errorf("close store: %v", err)
		}
		e.db = nil
	}
}

// in returns a copy of e that reports failures to t, for use inside subtest t
// (FailNow must be called on the test whose goroutine is running).
func (e *apiEnv) in(t *testing.T) *apiEnv {
	c := *e
	c.t = t
	return &c
}

// restart stops the server, closes the store, and opens the same file again.
func (e *apiEnv) restart() {
	e.t.Helper()
	e.stop()
	e.start()
}

// response is one HTTP response, its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("response %d is not a JSON object: %v\n%s", r.status, err, r.body)
	}
	return v
}

// errorCode and errorMessage read {"error":{"code","message"}}.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (r response) errorMessage(t *testing.T) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}

// do sends a request as user (or with no token if user is ""), with body as JSON: a
// string is sent as it is, anything else is marshalled. A JSON response is checked
// against the schema openapi.json gives for the route and status.
func (e *apiEnv) do(user, method, path string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if user != "" {
		tok, ok := e.tokens[user]
		if !ok {
			e.t.Fatalf("no token for %s", user)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return e.send(req)
}

func (e *apiEnv) send(req *http.Request) response {
	e.t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: b}
	e.checkDocumented(req, r)
	return r
}

// checkDocumented checks a JSON response against openapi.json: the route must
// document the status, and the body must fit its schema. A request no route serves
// must get the JSON error that the /api/ fallback writes.
func (e *apiEnv) checkDocumented(req *http.Request, r response) {
	e.t.Helper()
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		return
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		e.t.Errorf("%s %s: %d response is not JSON: %v", req.Method, req.URL.Path, r.status, err)
		return
	}
	var schema any = map[string]any{"$ref": "#/components/schemas/Error"}
	if op := e.doc.operationFor(req.Method, req.URL.EscapedPath()); op != nil {
		resp, ok := op["responses"].(map[string]any)[strconv.Itoa(r.status)]
		if !ok {
			e.t.Errorf("%s %s answered %d, which openapi.json does not document:\n%s", req.Method, req.URL.Path, r.status, r.body)
			return
		}
		content, _ := e.doc.resolve(e.t, resp)["content"].(map[string]any)
		media, ok := content["application/json"].(map[string]any)
		if !ok {
			e.t.Errorf("%s %s: %d response is JSON but documented as %v", req.Method, req.URL.Path, r.status, content)
			return
		}
		schema = media["schema"]
	} else if r.status != http.StatusNotFound {
		e.t.Errorf("%s %s matches no documented route but answered %d", req.Method, req.URL.Path, r.status)
	}
	for _, p := range e.doc.check(schema, v, "body") {
		e.t.Errorf("%s %s %d: %s", req.Method, req.URL.Path, r.status, p)
	}
}

// operationFor finds the documented operation serving method and path, matching
// path parameters to any one non-empty segment.
func (d *openAPIDoc) operationFor(method, path string) map[string]any {
	segs := strings.Split(path, "/")
	for key, op := range d.operations() {
		m, p, _ := strings.Cut(key, " ")
		if m != method && !(m == "GET" && method == "HEAD") {
			continue
		}
		tsegs := strings.Split(p, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		match := true
		for i := range tsegs {
			if strings.HasPrefix(tsegs[i], "{") {
				match = match && segs[i] != ""
			} else {
				match = match && tsegs[i] == segs[i]
			}
		}
		if match {
			return op
		}
	}
	return nil
}

// decodeInto decodes a response body into a Go value.
func decodeInto[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, r.body)
	}
	return v
}

// mustStatus fails the test unless r has the status.
func mustStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d; want %d\n%s", r.status, want, r.body)
	}
}

// createCase opens a case as lead and adds the members with their roles.
func (e *apiEnv) createCase(lead string, members map[string]caseroom.Role) string {
	e.t.Helper()
	r := e.do(lead, "POST", "/api/v1/cases", map[string]any{"title": "Operation Test"})
	mustStatus(e.t, r, http.StatusCreated)
	id := decodeInto[caseroom.Case](e.t, r).ID
	for user, role := range members {
		mustStatus(e.t, e.do(lead, "POST", "/api/v1/cases/"+id+"/members", map[string]any{"user": user, "role": role}), http.StatusCreated)
	}
	return id
}

// post sends a body that must be accepted with 201 and decodes the result.
func post[T any](e *apiEnv, user, path string, body any) T {
	e.t.Helper()
	r := e.do(user, "POST", path, body)
	mustStatus(e.t, r, http.StatusCreated)
	return decodeInto[T](e.t, r)
}

// TestAPIDoneWhen is the path of the "Done when": a new user opens a case,
// adds a suspect with an alias, registers a statement and links the two; after a
// restart everything is still there.
func TestAPIDoneWhen(t *testing.T) {
	e := newAPIEnv(t, "lena")

	r := e.do("lena", "POST", "/api/v1/cases", `{"title":"Operation Kasur"}`)
	mustStatus(t, r, http.StatusCreated)
	c := decodeInto[caseroom.Case](t, r)
	if c.ID == "" || c.Title != "Operation Kasur" || c.CreatedBy != "lena" || c.Role != caseroom.RoleLead {
		t.Fatalf("created case %+v; want an id, the title, lena as creator and lead", c)
	}
	base := "/api/v1/cases/" + c.ID

	suspect := post[caseroom.Person](e, "lena", base+"/persons", map[string]any{
		"names":   []map[string]string{{"name": "Tanveer Ahmed", "script": "Latn"}},
		"aliases": []any{"Tanni", map[string]string{"alias": "Bhola", "kind": "urf"}},
		"roles":   []string{"suspect"},
	})
	wantAliases := []caseroom.Alias{{Alias: "Tanni", Kind: "alias"}, {Alias: "Bhola", Kind: "urf"}}
	if suspect.ID == "" || suspect.Pseudonym != "" || !reflect.DeepEqual(suspect.Aliases, wantAliases) {
		t.Fatalf("registered suspect %+v; want an id, no pseudonym and aliases %v", suspect, wantAliases)
	}

	stmt := post[caseroom.Document](e, "lena", base+"/documents", map[string]any{
		"kind": "statement", "title": "Statement of Tanveer Ahmed", "text": "I was at the dera on the night of 4 August.",
		"giver": suspect.ID, "recordedAt": "2025-03-14T15:00:00+05:00", "place": "Ganda Singh Wala police station",
		"language": "pa",
	})
	if stmt.ID == "" || stmt.Ref != "S-1" {
		t.Fatalf("registered statement %+v; want an id and ref S-1", stmt)
	}
	if stmt.Statement == nil || stmt.Statement.Giver != suspect.ID || stmt.Statement.RecordedBy != "lena" {
		t.Fatalf("statement details %+v; want giver %s recorded by lena", stmt.Statement, suspect.ID)
	}

	link := post[caseroom.Link](e, "lena", base+"/links", map[string]any{
		"from": "S-1", "to": suspect.ID, "type": "implicates", "source": "S-1", "confidence": 0.8,
	})
	if link.From != stmt.ID || link.To != suspect.ID || link.SourceRef != "S-1" || link.ToLabel != "Tanveer Ahmed" {
		t.Fatalf("recorded link %+v; want S-1 implicating the suspect, sourced S-1", link)
	}

	e.restart()

	r = e.do("lena", "GET", base+"/persons/"+suspect.ID, nil)
	mustStatus(t, r, http.StatusOK)
	if got := decodeInto[caseroom.Person](t, r); !reflect.DeepEqual(got.Aliases, wantAliases) {
		t.Errorf("after restart the suspect's aliases are %v; want %v", got.Aliases, wantAliases)
	}
	r = e.do("lena", "GET", base+"/documents/S-1", nil)
	mustStatus(t, r, http.StatusOK)
	if got := decodeInto[caseroom.Document](t, r); got.ID != stmt.ID || got.Text != stmt.Text {
		t.Errorf("after restart S-1 is %+v; want the statement registered", got)
	}
	r = e.do("lena", "GET", base+"/links?entity="+suspect.ID, nil)
	mustStatus(t, r, http.StatusOK)
	if got := decodeInto[struct{ Links []caseroom.Link }](t, r).Links; len(got) != 1 || got[0].ID != link.ID {
		t.Errorf("after restart the suspect's links are %+v; want the one recorded", got)
	}
	r = e.do("lena", "GET", "/api/v1/cases", nil)
	mustStatus(t, r, http.StatusOK)
	if got := decodeInto[struct{ Cases []caseroom.Case }](t, r).Cases; len(got) != 1 || got[0].ID != c.ID {
		t.Errorf("after restart lena's cases are %+v; want the one opened", got)
	}
}

// TestAPITimesAreUTC shows that a time given with an offset comes back as the same
// instant in UTC, and that times the server sets are UTC too.
func TestAPITimesAreUTC(t *testing.T) {
	e := newAPIEnv(t, "lena")
	base := "/api/v1/cases/" + e.createCase("lena", nil)
	witness := post[caseroom.Person](e, "lena", base+"/persons", map[string]any{"names": []map[string]string{{"name": "Rafiq"}}, "roles": []string{"witness"}})
	r := e.do("lena", "POST", base+"/documents", map[string]any{
		"kind": "statement", "title": "Statement of Rafiq", "text": "I saw the car.", "giver": witness.ID,
		"recordedAt": "2025-03-14T15:00:00+05:00",
	})
	mustStatus(t, r, http.StatusCreated)
	raw := string(r.body)
	if !strings.Contains(raw, `"recordedAt":"2025-03-14T10:00:00Z"`) {
		t.Errorf("recordedAt given as 15:00+05:00 is not returned as 10:00Z:\n%s", raw)
	}
	doc := decodeInto[caseroom.Document](t, r)
	for name, tm := range map[string]time.Time{"registeredAt": doc.RegisteredAt, "person createdAt": witness.CreatedAt} {
		if tm.Location() != time.UTC {
			t.Errorf("%s %v is not in UTC", name, tm)
		}
	}
	// The same holds when read back (and apiEnv.do checks every date-time field).
	r = e.do("lena", "GET", base+"/documents/"+doc.ID, nil)
	mustStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), `"recordedAt":"2025-03-14T10:00:00Z"`) {
		t.Errorf("read back, recordedAt is not 10:00Z:\n%s", r.body)
	}
}

func TestAPIPublicRoutes(t *testing.T) {
	e := newAPIEnv(t)
	tests := []struct {
		path, contentType, contains string
	}{
		{"/healthz", "application/json", `"status":"ok"`},
		{"/api/v1/openapi.json", "application/json", `"openapi"`},
		{"/", "text/html", "/api/v1/openapi.json"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			e := e.in(t)
			r := e.do("", "GET", tt.path, nil)
			mustStatus(t, r, http.StatusOK)
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q; want %s", ct, tt.contentType)
			}
			if !strings.Contains(string(r.body), tt.contains) {
				t.Errorf("body does not contain %s:\n%.300s", tt.contains, r.body)
			}
		})
	}
	t.Run("openapi.json is the document tested", func(t *testing.T) {
		e := e.in(t)
		want, err := staticFS.ReadFile("openapi.json")
		if err != nil {
			t.Fatal(err)
		}
		if r := e.do("", "GET", "/api/v1/openapi.json", nil); !bytes.Equal(r.body, want) {
			t.Error("the served document differs from openapi.json")
		}
	})
	t.Run("healthz answers 503 once the store is closed", func(t *testing.T) {
		if err := e.db.Close(); err != nil {
			t.Fatal(err)
		}
		e.db = nil // closed; stop must not close it again
		r := e.in(t).do("", "GET", "/healthz", nil)
		mustStatus(t, r, http.StatusServiceUnavailable)
	})
}

func TestAPIAuthentication(t *testing.T) {
	e := newAPIEnv(t, "lena")
	caseID := e.createCase("lena", nil)
	before := e.snapshot("lena", "lena", caseID)
	tests := []struct {
		name, authorization string
	}{
		{"no header", ""},
		{"not bearer", "Basic bGVuYTpwYXNzd29yZA=="},
		{"bearer without token", "Bearer "},
		{"unknown token", "Bearer crt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{"not a token", "Bearer let-me-in"},
		{"token without scheme", e.tokens["lena"]},
	}
	requests := []struct{ method, path, body string }{
		{"GET", "/api/v1/me", ""},
		{"GET", "/api/v1/cases", ""},
		{"POST", "/api/v1/cases", `{"title":"Sneaky"}`},
		{"GET", "/api/v1/cases/" + caseID + "/persons", ""},
		{"POST", "/api/v1/cases/" + caseID + "/persons", `{"names":[{"name":"X"}],"roles":["suspect"]}`},
	}
	for _, tt := range tests {
		for _, rq := range requests {
			t.Run(tt.name+"/"+rq.method+" "+rq.path, func(t *testing.T) {
				e := e.in(t)
				var body io.Reader
				if rq.body != "" {
					body = strings.NewReader(rq.body)
				}
				req, err := http.NewRequest(rq.method, e.srv.URL+rq.path, body)
				if err != nil {
					t.Fatal(err)
				}
				if tt.authorization != "" {
					req.Header.Set("Authorization", tt.authorization)
				}
				r := e.send(req)
				mustStatus(t, r, http.StatusUnauthorized)
				if code := r.errorCode(t); code != caseroom.EUNAUTHORIZED {
					t.Errorf("error code %q; want %s", code, caseroom.EUNAUTHORIZED)
				}
				if h := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer ") {
					t.Errorf("WWW-Authenticate %q; want a Bearer challenge", h)
				}
			})
		}
	}
	e.requireUnchanged(before)

	t.Run("a good token is accepted", func(t *testing.T) {
		e := e.in(t)
		r := e.do("lena", "GET", "/api/v1/me", nil)
		mustStatus(t, r, http.StatusOK)
		if u := decodeInto[caseroom.User](t, r); u.Name != "lena" {
			t.Errorf("me is %+v; want lena", u)
		}
	})
}

// snapshot is what a client can see of a case: its audit log, records and members.
type snapshot struct {
	lead, reader, caseID string
	reads                map[string]string // path -> body
}

// snapshot reads a case as a client would. The audit log is read by lead; the persons
// by reader. Reading records nothing: only a reveal or a search by name is recorded.
func (e *apiEnv) snapshot(lead, reader, caseID string) snapshot {
	e.t.Helper()
	base := "/api/v1/cases/" + caseID
	s := snapshot{lead: lead, reader: reader, caseID: caseID, reads: map[string]string{}}
	for _, read := range []struct{ user, path string }{
		{lead, "/api/v1/cases"},
		{lead, base + "/audit"},
		{lead, base + "/members"},
		{reader, base + "/persons"},
		{lead, base + "/documents"},
		{lead, base + "/links"},
		{lead, base + "/organisations"},
		{lead, base + "/locations"},
	} {
		r := e.do(read.user, "GET", read.path, nil)
		mustStatus(e.t, r, http.StatusOK)
		s.reads[read.path] = string(r.body)
	}
	var audit struct{ Entries []caseroom.AuditEntry }
	if err := json.Unmarshal([]byte(s.reads[base+"/audit"]), &audit); err != nil || len(audit.Entries) == 0 {
		e.t.Fatalf("the case's audit log is empty or unreadable (%v); a snapshot could not show a change", err)
	}
	return s
}

// requireUnchanged fails the test if the case reads differently from before.
func (e *apiEnv) requireUnchanged(before snapshot) {
	e.t.Helper()
	after := e.snapshot(before.lead, before.reader, before.caseID)
	for path, b := range before.reads {
		if after.reads[path] != b {
			e.t.Errorf("%s changed:\nbefore %s\nafter  %s", path, b, after.reads[path])
		}
	}
}

// badInputFixture is a case with a suspect (who gave statement S-1), a victim (V-0001)
// and a link, with lena as lead, ivan an investigator and olga from the oversight body.
type badInputFixture struct {
	e                 *apiEnv
	caseID, base      string
	suspect, document string
}

func newBadInputFixture(t *testing.T) *badInputFixture {
	e := newAPIEnv(t, "lena", "ivan", "olga", "otto")
	f := &badInputFixture{e: e}
	f.caseID = e.createCase("lena", map[string]caseroom.Role{"ivan": caseroom.RoleInvestigator, "olga": caseroom.RoleOversight})
	f.base = "/api/v1/cases/" + f.caseID
	f.suspect = post[caseroom.Person](e, "lena", f.base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Tanveer Ahmed"}}, "aliases": []string{"Tanni"}, "roles": []string{"suspect"}}).ID
	f.document = post[caseroom.Document](e, "lena", f.base+"/documents", map[string]any{
		"kind": "statement", "title": "Statement of Tanveer Ahmed", "text": "I know nothing.", "giver": f.suspect,
		"recordedAt": "2025-03-14T10:00:00Z"}).ID
	post[caseroom.Link](e, "lena", f.base+"/links", map[string]any{
		"from": "S-1", "to": f.suspect, "type": "mentions", "source": "S-1", "confidence": 1})
	post[caseroom.Person](e, "lena", f.base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Nazia Bibi"}}, "roles": []string{"victim"}})
	post[caseroom.Organisation](e, "lena", f.base+"/organisations", map[string]any{"name": "Husain Khanwala gang", "source": "S-1"})
	post[caseroom.Location](e, "lena", f.base+"/locations", map[string]any{"name": "Husain Khanwala", "kind": "village"})
	return f
}

// statement returns the body of a valid statement with some fields replaced.
func (f *badInputFixture) statement(changes map[string]any) map[string]any {
	body := map[string]any{"kind": "statement", "title": "Second statement", "text": "Further.", "giver": f.suspect,
		"recordedAt": "2025-03-15T10:00:00Z"}
	for k, v := range changes {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	return body
}

// link returns the body of a valid link with some fields replaced.
func (f *badInputFixture) link(changes map[string]any) map[string]any {
	body := map[string]any{"from": f.suspect, "to": "S-1", "type": "mentions", "source": "S-1", "confidence": 0.5}
	for k, v := range changes {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	return body
}

// TestAPIRefusesBadInput sends requests that must be refused with a 4xx whose
// message starts with the field at fault, and checks that nothing was written.
func TestAPIRefusesBadInput(t *testing.T) {
	f := newBadInputFixture(t)
	e, base, suspect := f.e, f.base, f.suspect
	person := base + "/persons/" + suspect
	tests := []struct {
		name         string
		user         string
		method, path string
		body         any
		status       int
		field        string // the message must start with the field (see namesField)
	}{
		// Decoding: unknown fields, wrong types, malformed bodies.
		{"unknown field", "lena", "POST", "/api/v1/cases", `{"title":"X","colour":"red"}`, 400, "colour"},
		{"unknown nested field", "lena", "POST", base + "/persons", `{"names":[{"name":"A","nickname":"B"}],"roles":["suspect"]}`, 400, "names.nickname"},
		{"unknown field in an alias", "lena", "POST", person + "/aliases", `{"alias":"A","language":"pa"}`, 400, "language"},
		{"string for a number", "lena", "POST", base + "/links", f.link(map[string]any{"confidence": "high"}), 400, "confidence"},
		{"string for an array", "lena", "POST", base + "/persons", `{"names":"x","roles":["suspect"]}`, 400, "names"},
		{"number for a string", "lena", "POST", "/api/v1/cases", `{"title":5}`, 400, "title"},
		{"number for a nested string", "lena", "POST", base + "/persons", `{"names":[{"name":5}],"roles":["suspect"]}`, 400, "names.name"},
		{"number for an alias", "lena", "POST", base + "/persons", `{"aliases":[5],"roles":["suspect"]}`, 400, "aliases"},
		{"number for a presence", "lena", "POST", base + "/documents", f.statement(map[string]any{"present": []int{5}}), 400, "present"},
		{"string for a bool", "lena", "POST", base + "/links", f.link(map[string]any{"retracts": "yes"}), 400, "retracts"},
		{"string for coordinates", "lena", "POST", base + "/locations", `{"name":"Kasur","lat":"north","lon":74.4}`, 400, "lat"},
		{"not a time", "lena", "POST", base + "/documents", f.statement(map[string]any{"recordedAt": "yesterday"}), 400, "recordedAt"},
		{"number for a time", "lena", "POST", base + "/documents", f.statement(map[string]any{"recordedAt": 1700000000}), 400, "recordedAt"},
		{"array for the body", "lena", "POST", "/api/v1/cases", `[]`, 400, "body"},
		{"number for an alias body", "lena", "POST", person + "/aliases", `5`, 400, "body"},
		{"a bare string for an alias body", "lena", "POST", person + "/aliases", `"Kala"`, 400, "body"},
		{"null for the body", "lena", "POST", "/api/v1/cases", `null`, 400, "body"},
		{"malformed JSON for a route without a body", "lena", "POST", "/api/v1/me/totp", `{"x":`, 400, "body"},
		{"a field for a route without a body", "lena", "POST", "/api/v1/me/totp", `{"secret":"x"}`, 400, "secret"},
		// The text rule (text.go).
		{"NUL in a title", "lena", "POST", "/api/v1/cases", `{"title":"Kite\u0000"}`, 400, "title"},
		{"a line break in a title", "lena", "POST", "/api/v1/cases", `{"title":"Kite\nHawk"}`, 400, "title"},
		{"NUL in a nested source", "lena", "POST", base + "/persons", `{"names":[{"name":"A","source":"S-1\u0000"}],"roles":["suspect"]}`, 400, "names[0].source"},
		{"invalid UTF-8 in a title", "lena", "POST", "/api/v1/cases", "{\"title\":\"Kite\xff\"}", 400, "title"},
		{"NUL in the path", "lena", "POST", "/api/v1/cases/%00/persons", `{"names":[{"name":"A"}],"roles":["suspect"]}`, 400, "path"},
		{"NUL in a query", "lena", "GET", base + "/persons?q=a%00", nil, 400, "q"},
		{"empty body", "lena", "POST", "/api/v1/cases", ``, 400, "body"},
		{"two objects", "lena", "POST", "/api/v1/cases", `{"title":"A"}{"title":"B"}`, 400, "body"},
		{"malformed JSON", "lena", "POST", "/api/v1/cases", `{"title":"A",}`, 400, "body"},
		{"truncated JSON", "lena", "POST", "/api/v1/cases", `{"title":"A"`, 400, "body"},
		{"body too large", "lena", "POST", base + "/documents", `{"kind":"report","title":"Big","text":"` + strings.Repeat("x", maxBody) + `"}`, 400, "body"},
		// Missing required fields and bad values.
		{"case without title", "lena", "POST", "/api/v1/cases", `{}`, 400, "title"},
		{"unknown time zone", "lena", "POST", "/api/v1/cases", `{"title":"X","timeZone":"Mars/Olympus"}`, 400, "timeZone"},
		{"member without user", "lena", "POST", base + "/members", `{"role":"investigator"}`, 400, "user"},
		{"unknown user", "lena", "POST", base + "/members", `{"user":"nobody","role":"investigator"}`, 400, "user"},
		{"unknown role", "lena", "POST", base + "/members", `{"user":"otto","role":"boss"}`, 400, "role"},
		{"person without roles", "lena", "POST", base + "/persons", `{"names":[{"name":"A"}]}`, 400, "roles"},
		{"unknown person role", "lena", "POST", base + "/persons", `{"names":[{"name":"A"}],"roles":["villain"]}`, 400, "roles[0]"},
		{"suspect without a name", "lena", "POST", base + "/persons", `{"roles":["suspect"]}`, 400, "names"},
		{"empty name", "lena", "POST", base + "/persons", `{"names":[{"name":" "}],"roles":["suspect"]}`, 400, "names[0].name"},
		{"bad script", "lena", "POST", base + "/persons", `{"names":[{"name":"A","script":"latin"}],"roles":["suspect"]}`, 400, "names[0].script"},
		{"unknown name source", "lena", "POST", base + "/persons", `{"names":[{"name":"A","source":"S-99"}],"roles":["suspect"]}`, 400, "names[0].source"},
		{"bad date of birth", "lena", "POST", base + "/persons", `{"names":[{"name":"A"}],"roles":["suspect"],"dateOfBirth":"last May"}`, 400, "dateOfBirth"},
		{"name without name", "lena", "POST", person + "/names", `{"script":"Latn"}`, 400, "name"},
		{"blank alias", "lena", "POST", person + "/aliases", `{"alias":" "}`, 400, "alias"},
		{"unknown alias kind", "lena", "POST", person + "/aliases", `{"alias":"A","kind":"nickname"}`, 400, "kind"},
		{"unknown role added", "lena", "POST", person + "/roles", `{"role":"hero"}`, 400, "role"},
		{"identifier without source", "lena", "POST", person + "/identifiers", `{"kind":"phone","value":"+92 300 1234567"}`, 400, "source"},
		{"unknown identifier kind", "lena", "POST", person + "/identifiers", `{"kind":"fax","value":"1","source":"S-1"}`, 400, "kind"},
		{"reveal without reason", "lena", "POST", base + "/persons/V-0001/reveal", `{}`, 400, "reason"},
		{"reveal with a blank reason", "lena", "POST", base + "/persons/V-0001/reveal", `{"reason":"  "}`, 400, "reason"},
		{"reveal with too long a reason", "lena", "POST", base + "/persons/V-0001/reveal", map[string]string{"reason": strings.Repeat("x", 1001)}, 400, "reason"},
		{"number for a reason", "lena", "POST", base + "/persons/V-0001/reveal", `{"reason":5}`, 400, "reason"},
		{"unknown field in a reveal", "lena", "POST", base + "/persons/V-0001/reveal", `{"reason":"x","urgent":true}`, 400, "urgent"},
		{"reveal without body", "lena", "POST", base + "/persons/V-0001/reveal", ``, 400, "body"},
		{"document without title", "lena", "POST", base + "/documents", `{"kind":"report","text":"X"}`, 400, "title"},
		{"document without text", "lena", "POST", base + "/documents", `{"kind":"report","title":"X"}`, 400, "text"},
		{"unknown document kind", "lena", "POST", base + "/documents", `{"kind":"memo","title":"X","text":"Y"}`, 400, "kind"},
		{"statement without giver", "lena", "POST", base + "/documents", f.statement(map[string]any{"giver": nil}), 400, "giver"},
		{"statement without time", "lena", "POST", base + "/documents", f.statement(map[string]any{"recordedAt": nil}), 400, "recordedAt"},
		{"statement in the future", "lena", "POST", base + "/documents", f.statement(map[string]any{"recordedAt": "2999-01-01T00:00:00Z"}), 400, "recordedAt"},
		{"unknown giver", "lena", "POST", base + "/documents", f.statement(map[string]any{"giver": "V-0099"}), 400, "giver"},
		{"unknown person present", "lena", "POST", base + "/documents", f.statement(map[string]any{"present": []string{"per_nothere"}}), 400, "present[0].person"},
		{"reference of another kind", "lena", "POST", base + "/documents", f.statement(map[string]any{"ref": "R-3"}), 400, "ref"},
		{"correction without reason", "lena", "POST", base + "/documents", `{"kind":"report","title":"X","text":"Y","corrects":"S-1"}`, 400, "correctionReason"},
		{"link without source", "lena", "POST", base + "/links", f.link(map[string]any{"source": nil}), 400, "source"},
		{"link with blank source", "lena", "POST", base + "/links", f.link(map[string]any{"source": "  "}), 400, "source"},
		{"link with unknown source", "lena", "POST", base + "/links", f.link(map[string]any{"source": "S-99"}), 400, "source"},
		{"link without confidence", "lena", "POST", base + "/links", f.link(map[string]any{"confidence": nil}), 400, "confidence"},
		{"confidence above 1", "lena", "POST", base + "/links", f.link(map[string]any{"confidence": 1.5}), 400, "confidence"},
		{"confidence out of range", "lena", "POST", base + "/links", `{"from":"S-1","to":"S-1","type":"mentions","source":"S-1","confidence":1e999}`, 400, "confidence"},
		{"unknown link type", "lena", "POST", base + "/links", f.link(map[string]any{"type": "likes"}), 400, "type"},
		{"link from an unknown person", "lena", "POST", base + "/links", f.link(map[string]any{"from": "per_nothere"}), 400, "from"},
		{"link to an unknown victim", "lena", "POST", base + "/links", f.link(map[string]any{"to": "V-0042"}), 400, "to"},
		{"link to itself", "lena", "POST", base + "/links", f.link(map[string]any{"to": suspect}), 400, "to"},
		{"bad since", "lena", "POST", base + "/links", f.link(map[string]any{"since": "spring"}), 400, "since"},
		{"organisation without name", "lena", "POST", base + "/organisations", `{"kind":"gang"}`, 400, "name"},
		{"lat without lon", "lena", "POST", base + "/locations", `{"name":"Kasur","lat":31.1}`, 400, "lat"},
		{"unknown location kind", "lena", "POST", base + "/locations", `{"name":"Kasur","kind":"planet"}`, 400, "kind"},
		{"location within nothing", "lena", "POST", base + "/locations", `{"name":"Kasur","within":"loc_nothere"}`, 400, "within"},
		// Query parameters.
		{"unknown document kind filter", "lena", "GET", base + "/documents?kind=memo", nil, 400, "kind"},
		{"empty name search", "lena", "GET", base + "/persons?name=", nil, 400, "name"},
		{"name search without a letter or digit", "lena", "GET", base + "/persons?name=%20-%21%2F", nil, 400, "name"},
		{"name search with an unknown role", "lena", "GET", base + "/persons?name=Tanveer&role=villain", nil, 400, "role"},
		{"unknown person role filter", "ivan", "GET", base + "/persons?role=villain", nil, 400, "role"},
		{"unknown link type filter", "lena", "GET", base + "/links?type=likes", nil, 400, "type"},
		{"limit not a number", "lena", "GET", base + "/audit?limit=ten", nil, 400, "limit"},
		{"after with trailing junk", "lena", "GET", base + "/audit?after=5abc", nil, 400, "after"},
		// Conflicts.
		{"duplicate document reference", "lena", "POST", base + "/documents", f.statement(map[string]any{"ref": "S-1"}), 409, "ref"},
		{"role the person has", "lena", "POST", person + "/roles", `{"role":"suspect"}`, 409, "role"},
		// Roles that may not.
		{"investigator adds a member", "ivan", "POST", base + "/members", `{"user":"otto","role":"investigator"}`, 403, ""},
		{"investigator reads the audit log", "ivan", "GET", base + "/audit", nil, 403, ""},
		{"oversight registers a person", "olga", "POST", base + "/persons", `{"names":[{"name":"A"}],"roles":["witness"]}`, 403, ""},
		{"oversight registers a document", "olga", "POST", base + "/documents", `{"kind":"report","title":"X","text":"Y"}`, 403, ""},
		{"oversight records a link", "olga", "POST", base + "/links", f.link(nil), 403, ""},
		{"investigator reads who has seen a victim", "ivan", "GET", base + "/persons/V-0001/access", nil, 403, ""},
		// Records that do not exist.
		{"unknown person", "lena", "GET", base + "/persons/per_nothere", nil, 404, ""},
		{"links filtered by an unknown record", "lena", "GET", base + "/links?entity=per_nothere", nil, 400, "entity"},
		{"links filtered by garbage", "lena", "GET", base + "/links?entity=garbage", nil, 400, "entity"},
		{"unknown pseudonym", "lena", "GET", base + "/persons/V-0099", nil, 404, ""},
		{"unknown document", "lena", "GET", base + "/documents/S-99", nil, 404, ""},
		{"name for an unknown person", "lena", "POST", base + "/persons/V-0099/names", `{"name":"A"}`, 404, ""},
		{"reveal of an unknown person", "lena", "POST", base + "/persons/V-0099/reveal", `{"reason":"Safeguarding"}`, 404, ""},
		{"access list of an unknown person", "lena", "GET", base + "/persons/per_nothere/access", nil, 404, ""},
		{"unknown case", "lena", "GET", "/api/v1/cases/cas_nothere", nil, 404, ""},
		{"person in an unknown case", "lena", "POST", "/api/v1/cases/cas_nothere/persons", `{"names":[{"name":"A"}],"roles":["witness"]}`, 404, ""},
		// Routes that do not exist.
		{"unknown route", "lena", "GET", "/api/v1/suspects", nil, 404, ""},
		{"unknown version", "lena", "POST", "/api/v2/cases", `{"title":"X"}`, 404, ""},
		{"unknown method", "lena", "DELETE", base, nil, 404, ""},
		{"trailing slash", "lena", "GET", base + "/persons/", nil, 404, ""},
		{"unknown route without token", "", "GET", "/api/v1/nothing", nil, 404, ""},
	}
	before := e.snapshot("lena", "ivan", f.caseID)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e.in(t)
			r := e.do(tt.user, tt.method, tt.path, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d; want %d\n%s", r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type %q; want JSON", ct)
			}
			wantCode := map[int]string{400: caseroom.EINVALID, 403: caseroom.EFORBIDDEN, 404: caseroom.ENOTFOUND, 409: caseroom.ECONFLICT}[tt.status]
			if code := r.errorCode(t); code != wantCode {
				t.Errorf("error code %q; want %q", code, wantCode)
			}
			msg := r.errorMessage(t)
			if tt.field != "" && !namesField(msg, tt.field) {
				t.Errorf("message %q does not start with the field %q", msg, tt.field)
			}
			if msg == "" {
				t.Error("empty error message")
			}
		})
	}
	e.requireUnchanged(before)
}

// namesField reports whether an error message starts with the field at fault, as its
// path in the request body: "field:" or "parent.field:".
func namesField(msg, field string) bool {
	path, _, ok := strings.Cut(msg, ":")
	return ok && path == field
}

// TestAPIHidesCasesFromNonMembers shows that to a user who is not a member, a case
// and everything under it answers exactly as a case that does not exist.
func TestAPIHidesCasesFromNonMembers(t *testing.T) {
	f := newBadInputFixture(t)
	e := f.e
	const fake = "cas_aaaaaaaaaaaaaaaa"
	requests := []struct {
		method, path string
		body         any
	}{
		{"GET", "", nil},
		{"GET", "/members", nil},
		{"POST", "/members", `{"user":"otto","role":"lead"}`},
		{"GET", "/persons", nil},
		{"POST", "/persons", `{"names":[{"name":"A"}],"roles":["witness"]}`},
		{"GET", "/persons/" + f.suspect, nil},
		{"POST", "/persons/" + f.suspect + "/names", `{"name":"B"}`},
		{"POST", "/persons/" + f.suspect + "/aliases", `{"alias":"C"}`},
		{"POST", "/persons/" + f.suspect + "/roles", `{"role":"witness"}`},
		{"POST", "/persons/" + f.suspect + "/identifiers", `{"kind":"phone","value":"+923001234567","source":"S-1"}`},
		{"POST", "/persons/V-0001/reveal", `{"reason":"Safeguarding"}`},
		{"POST", "/persons/" + f.suspect + "/reveal", `{"reason":"Safeguarding"}`},
		{"GET", "/persons/V-0001/access", nil},
		{"GET", "/persons?name=Tanveer", nil},
		{"GET", "/persons?role=victim", nil},
		{"GET", "/documents", nil},
		{"POST", "/documents", `{"kind":"report","title":"X","text":"Y"}`},
		{"GET", "/documents/S-1", nil},
		{"GET", "/documents/" + f.document, nil},
		{"GET", "/links", nil},
		{"POST", "/links", f.link(nil)},
		{"GET", "/organisations", nil},
		{"POST", "/organisations", `{"name":"X"}`},
		{"GET", "/locations", nil},
		{"POST", "/locations", `{"name":"X"}`},
		{"GET", "/audit", nil},
	}
	before := e.snapshot("lena", "ivan", f.caseID)
	for _, rq := range requests {
		t.Run(rq.method+" "+rq.path, func(t *testing.T) {
			e := e.in(t)
			r := e.do("otto", rq.method, "/api/v1/cases/"+f.caseID+rq.path, rq.body)
			mustStatus(t, r, http.StatusNotFound)
			if code := r.errorCode(t); code != caseroom.ENOTFOUND {
				t.Errorf("error code %q; want %s", code, caseroom.ENOTFOUND)
			}
			for _, secret := range []string{"Operation Test", "Tanveer", "Tanni", "Nazia", "S-1 "} {
				if strings.Contains(string(r.body), secret) {
					t.Errorf("the answer to a non-member reveals %q:\n%s", secret, r.body)
				}
			}
			// The answer for a case that does not exist, with the ids swapped, is the same.
			other := e.do("otto", rq.method, "/api/v1/cases/"+fake+rq.path, rq.body)
			if got, want := string(r.body), strings.ReplaceAll(string(other.body), fake, f.caseID); got != want {
				t.Errorf("a real case answers\n%s\nbut one that does not exist answers\n%s", got, want)
			}
		})
	}
	r := e.do("otto", "GET", "/api/v1/cases", nil)
	mustStatus(t, r, http.StatusOK)
	if got := decodeInto[struct{ Cases []caseroom.Case }](t, r).Cases; len(got) != 0 {
		t.Errorf("a non-member's case list holds %+v", got)
	}
	e.requireUnchanged(before)
}

// victimFixture is a case with a victim whose name, alias, date of birth and phone
// number are canaries, recorded by inez (an investigator), with her statement S-1, a
// suspect and links; and a member in every role, the advocate ada representing her.
type victimFixture struct {
	e        *apiEnv
	caseID   string
	base     string
	victim   caseroom.Person
	suspect  caseroom.Person
	canaries []string
}

// roleOf is each member's role in the victim fixture's case.
var roleOf = map[string]caseroom.Role{
	"lena": caseroom.RoleLead, "inez": caseroom.RoleInvestigator, "ivan": caseroom.RoleInvestigator,
	"indra": caseroom.RoleIndexer, "pia": caseroom.RoleProtection, "mo": caseroom.RoleMedical,
	"pat": caseroom.RoleProsecutor, "olga": caseroom.RoleOversight, "ada": caseroom.RoleAdvocate,
}

func newVictimFixture(t *testing.T) *victimFixture {
	t.Helper()
	e := newAPIEnv(t, "lena", "inez", "ivan", "indra", "pia", "mo", "pat", "olga", "ada")
	members := map[string]caseroom.Role{}
	for user, role := range roleOf {
		if user != "lena" {
			members[user] = role
		}
	}
	f := &victimFixture{e: e, canaries: []string{"Canaryname", "Canaryalias", "Canarysecond", "2011-05-01", "5550199"}}
	f.caseID = e.createCase("lena", members)
	f.base = "/api/v1/cases/" + f.caseID

	// inez, an investigator, records the victim, her statement, her phone and links.
	r := e.do("inez", "POST", f.base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Canaryname Bibi"}}, "aliases": []string{"Canaryalias"},
		"roles": []string{"victim", "complainant"}, "sex": "female", "dateOfBirth": "2011-05-01",
	})
	mustStatus(t, r, http.StatusCreated)
	f.mustNotShow(t, "the recording officer registering the victim", r)
	f.victim = decodeInto[caseroom.Person](t, r)
	if f.victim.Pseudonym != "V-0001" || !f.victim.IdentityHidden || len(f.victim.Names) != 0 || len(f.victim.Aliases) != 0 || f.victim.DateOfBirth != "" {
		t.Fatalf("registering the victim returned %+v; want pseudonym V-0001 and the identity withheld", f.victim)
	}
	// Appending to a victim answers with the identity withheld too, even to the recorder.
	for _, add := range []struct {
		path string
		body any
	}{
		{"/names", map[string]string{"name": "Canarysecond Bibi", "script": "Latn"}},
		{"/aliases", map[string]string{"alias": "Canarysecond"}},
	} {
		r := e.do("inez", "POST", f.base+"/persons/V-0001"+add.path, add.body)
		mustStatus(t, r, http.StatusCreated)
		f.mustNotShow(t, "POST "+add.path+" to the victim", r)
		if p := decodeInto[caseroom.Person](t, r); !p.IdentityHidden || p.Pseudonym != "V-0001" {
			t.Errorf("POST %s to the victim returned %+v; want V-0001 with the identity withheld", add.path, p)
		}
	}
	f.suspect = post[caseroom.Person](e, "inez", f.base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Tanveer Ahmed"}}, "roles": []string{"suspect"}})
	post[caseroom.Document](e, "inez", f.base+"/documents", map[string]any{
		"kind": "statement", "title": "Statement of V-0001", "text": "He filmed us at the dera.", "giver": "V-0001",
		"recordedAt": "2025-03-14T10:00:00Z", "present": []any{map[string]string{"person": "V-0001", "capacity": "self"}},
	})
	phone := post[caseroom.Identifier](e, "inez", f.base+"/persons/V-0001/identifiers", map[string]any{
		"kind": "phone", "value": "+92 300 5550199", "source": "S-1"})
	post[caseroom.Link](e, "inez", f.base+"/links", map[string]any{
		"from": "V-0001", "to": f.suspect.ID, "type": "knows", "source": "S-1", "confidence": 0.9})
	post[caseroom.Link](e, "inez", f.base+"/links", map[string]any{
		"from": phone.ID, "to": f.suspect.ID, "type": "called", "source": "S-1", "confidence": 0.7})
	// ada is the victim's advocate: the lead records her as the victim's representative
	// and names that record as the one standing for her in the case.
	letter := post[caseroom.Document](e, "lena", f.base+"/documents", map[string]any{
		"kind": "message", "title": "Letter of authority", "text": "The family appoints Ada as the child's advocate."})
	rep := post[caseroom.Person](e, "lena", f.base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Ada Advocate"}}, "roles": []string{"representative"}})
	post[caseroom.Link](e, "lena", f.base+"/links", map[string]any{
		"from": rep.ID, "to": "V-0001", "type": "represents", "source": letter.Ref, "confidence": 1})
	post[caseroom.Membership](e, "lena", f.base+"/members", map[string]any{"user": "ada", "role": "advocate", "person": rep.ID})
	return f
}

// mustNotShow fails the test if the response holds any of the victim's canaries.
func (f *victimFixture) mustNotShow(t *testing.T, what string, r response) {
	t.Helper()
	for _, c := range f.canaries {
		if strings.Contains(string(r.body), c) {
			t.Errorf("%s: the response shows the victim's %q:\n%s", what, c, r.body)
		}
	}
}

// mustShowIdentity fails the test unless p is the victim with her whole identity.
func (f *victimFixture) mustShowIdentity(t *testing.T, p caseroom.Person) {
	t.Helper()
	var names, aliases []string
	for _, n := range p.Names {
		names = append(names, n.Name)
	}
	for _, a := range p.Aliases {
		aliases = append(aliases, a.Alias)
	}
	if p.ID != f.victim.ID || p.Pseudonym != "V-0001" || p.IdentityHidden ||
		!reflect.DeepEqual(names, []string{"Canaryname Bibi", "Canarysecond Bibi"}) ||
		!reflect.DeepEqual(aliases, []string{"Canaryalias", "Canarysecond"}) ||
		p.DateOfBirth != "2011-05-01" || len(p.Identifiers) != 1 || !strings.Contains(p.Identifiers[0].Value, "5550199") {
		t.Errorf("revealed %+v; want V-0001 with both names, both aliases, the date of birth and the phone", p)
	}
}

// access reads the victim's access list as user, who must be allowed to.
func (f *victimFixture) access(t *testing.T, user string) caseroom.IdentityAccessReport {
	t.Helper()
	r := f.e.in(t).do(user, "GET", f.base+"/persons/V-0001/access", nil)
	mustStatus(t, r, http.StatusOK)
	f.mustNotShow(t, "the access list", r)
	return decodeInto[caseroom.IdentityAccessReport](t, r)
}

// auditActions counts a case's audit entries by "action actor".
func (e *apiEnv) auditActions(caseID string) map[string]int {
	e.t.Helper()
	r := e.do("lena", "GET", "/api/v1/cases/"+caseID+"/audit?limit=10000", nil)
	mustStatus(e.t, r, http.StatusOK)
	n := map[string]int{}
	for _, entry := range decodeInto[struct{ Entries []caseroom.AuditEntry }](e.t, r).Entries {
		n[entry.Action+" "+entry.Actor]++
	}
	return n
}

// TestAPIWithholdsVictimsIdentities reads the case as each role: nobody, the lead and
// the recording officer included, is sent the victim's identity by a GET, and reading
// is not recorded as seeing it.
func TestAPIWithholdsVictimsIdentities(t *testing.T) {
	f := newVictimFixture(t)
	e, base := f.e, f.base
	for _, user := range []string{"lena", "pia", "mo", "inez", "ivan", "indra", "pat", "olga", "ada"} {
		t.Run(user+" ("+string(roleOf[user])+")", func(t *testing.T) {
			e := e.in(t)
			before := e.auditActions(f.caseID)
			for _, path := range []string{"/persons", "/persons?role=victim", "/persons/V-0001", "/persons/" + f.victim.ID} {
				r := e.do(user, "GET", base+path, nil)
				mustStatus(t, r, http.StatusOK)
				f.mustNotShow(t, "GET "+path, r)
				var p caseroom.Person
				if strings.HasPrefix(path, "/persons?") || path == "/persons" {
					for _, x := range decodeInto[struct{ Persons []caseroom.Person }](t, r).Persons {
						if x.ID == f.victim.ID {
							p = x
						}
					}
				} else {
					p = decodeInto[caseroom.Person](t, r)
				}
				if p.Pseudonym != "V-0001" || !p.IdentityHidden || len(p.Names) != 0 || len(p.Aliases) != 0 ||
					p.DateOfBirth != "" || len(p.Identifiers) != 0 {
					t.Errorf("GET %s: the victim is %+v; want V-0001 with identityHidden and no names, aliases, date of birth or identifiers", path, p)
				}
				if p.Sex != "female" || !reflect.DeepEqual(p.Roles, []caseroom.PersonRole{caseroom.PersonVictim, caseroom.PersonComplainant}) {
					t.Errorf("GET %s: the victim's sex %q and roles %v are withheld too; want female, victim and complainant", path, p.Sex, p.Roles)
				}
			}
			// Documents and links label the victim by pseudonym.
			for _, path := range []string{"/documents", "/documents/S-1", "/links", "/links?entity=V-0001"} {
				r := e.do(user, "GET", base+path, nil)
				mustStatus(t, r, http.StatusOK)
				f.mustNotShow(t, "GET "+path, r)
				if !strings.Contains(string(r.body), `"V-0001"`) {
					t.Errorf("GET %s does not label the victim V-0001:\n%s", path, r.body)
				}
			}
			if after := e.auditActions(f.caseID); !reflect.DeepEqual(after, before) {
				t.Errorf("reading the case changed the audit log from %v to %v", before, after)
			}
		})
	}
	t.Run("the audit log records no identity.view", func(t *testing.T) {
		for key := range e.in(t).auditActions(f.caseID) {
			if strings.HasPrefix(key, "identity.") {
				t.Errorf("the audit log holds %s, though no identity was revealed", key)
			}
		}
	})
}

// TestAPIRevealsIdentityWithReason shows that a victim's identity is shown only by a
// reveal with a reason, only to the lead, protection, medical and the recording
// officer; that every reveal and refusal is recorded in the victim's access list and
// the audit log; and who may read that list.
func TestAPIRevealsIdentityWithReason(t *testing.T) {
	f := newVictimFixture(t)
	e, base := f.e, f.base
	reveal := base + "/persons/V-0001/reveal"

	t.Run("without a reason: 400 and nothing written", func(t *testing.T) {
		e := e.in(t)
		before := e.snapshot("lena", "lena", f.caseID)
		accessBefore := f.access(t, "olga")
		for _, body := range []string{`{}`, `{"reason":""}`, `{"reason":" \t\n "}`} {
			for _, user := range []string{"lena", "inez"} {
				r := e.do(user, "POST", reveal, body)
				mustStatus(t, r, http.StatusBadRequest)
				f.mustNotShow(t, "a reveal without reason", r)
				if msg := r.errorMessage(t); !namesField(msg, "reason") {
					t.Errorf("%s %s: message %q does not start with reason:", user, body, msg)
				}
			}
		}
		e.requireUnchanged(before)
		if after := f.access(t, "olga"); !reflect.DeepEqual(after, accessBefore) {
			t.Errorf("the access list changed from %+v to %+v", accessBefore, after)
		}
	})

	for _, tt := range []struct {
		user    string
		granted bool
	}{
		{"lena", true}, // lead
		{"pia", true},  // protection
		{"mo", true},   // medical
		{"inez", true}, // recorded the victim
		{"ivan", false},
		{"indra", false},
		{"pat", false},
		{"olga", false},
		{"ada", false},
	} {
		t.Run(tt.user+" ("+string(roleOf[tt.user])+") reveals", func(t *testing.T) {
			e := e.in(t)
			auditBefore := e.auditActions(f.caseID)
			reason := "Check the victim's age against the birth certificate, asked by " + tt.user
			r := e.do(tt.user, "POST", reveal, map[string]string{"reason": reason})
			if tt.granted {
				mustStatus(t, r, http.StatusOK)
				f.mustShowIdentity(t, decodeInto[caseroom.Person](t, r))
			} else {
				mustStatus(t, r, http.StatusForbidden)
				f.mustNotShow(t, "a refused reveal", r)
				if code := r.errorCode(t); code != caseroom.EFORBIDDEN {
					t.Errorf("error code %q; want %s", code, caseroom.EFORBIDDEN)
				}
			}
			// Granted or not, the request is the last entry of the access list.
			rep := f.access(t, "olga")
			if rep.Person != f.victim.ID || rep.Pseudonym != "V-0001" || len(rep.Entries) == 0 {
				t.Fatalf("access list %+v; want V-0001's with this request", rep)
			}
			last := rep.Entries[len(rep.Entries)-1]
			if last.User != tt.user || last.Role != roleOf[tt.user] || last.Reason != reason || last.Granted != tt.granted || last.ID == "" || last.At.IsZero() {
				t.Errorf("last access entry %+v; want %s as %s, reason %q, granted %v", last, tt.user, roleOf[tt.user], reason, tt.granted)
			}
			action := map[bool]string{true: "identity.reveal", false: "identity.reveal.refused"}[tt.granted]
			auditAfter := e.auditActions(f.caseID)
			if got := auditAfter[action+" "+tt.user] - auditBefore[action+" "+tt.user]; got != 1 {
				t.Errorf("the audit log gained %d %s entries by %s; want 1", got, action, tt.user)
			}
		})
	}

	t.Run("the access list has every request and counts the viewers", func(t *testing.T) {
		rep := f.access(t, "ada")
		var granted, refused []string
		for _, a := range rep.Entries {
			if a.Granted {
				granted = append(granted, a.User)
			} else {
				refused = append(refused, a.User)
			}
		}
		if want := []string{"lena", "pia", "mo", "inez"}; !reflect.DeepEqual(granted, want) {
			t.Errorf("granted requests by %v; want %v", granted, want)
		}
		if want := []string{"ivan", "indra", "pat", "olga", "ada"}; !reflect.DeepEqual(refused, want) {
			t.Errorf("refused requests by %v; want %v", refused, want)
		}
		var viewers []string
		for _, v := range rep.Viewers {
			viewers = append(viewers, v.User)
			if v.Reveals != 1 {
				t.Errorf("viewer %+v; want 1 reveal", v)
			}
		}
		if want := []string{"lena", "pia", "mo", "inez"}; !reflect.DeepEqual(viewers, want) {
			t.Errorf("viewers %v; want %v (refused requests do not count)", viewers, want)
		}
	})

	t.Run("repeated reveals raise the viewer's count", func(t *testing.T) {
		e := e.in(t)
		viewer := func(rep caseroom.IdentityAccessReport, user string) caseroom.IdentityViewer {
			for _, v := range rep.Viewers {
				if v.User == user {
					return v
				}
			}
			return caseroom.IdentityViewer{}
		}
		before := viewer(f.access(t, "olga"), "lena")
		for i, ref := range []string{"V-0001", f.victim.ID} {
			r := e.do("lena", "POST", base+"/persons/"+ref+"/reveal", map[string]string{"reason": "Safeguarding referral " + strconv.Itoa(i)})
			mustStatus(t, r, http.StatusOK)
			f.mustShowIdentity(t, decodeInto[caseroom.Person](t, r))
		}
		rep := f.access(t, "olga")
		after := viewer(rep, "lena")
		if after.Reveals != before.Reveals+2 || after.Last.Before(before.Last) {
			t.Errorf("lena as a viewer went from %+v to %+v; want two more reveals and a later last", before, after)
		}
		if last := rep.Entries[len(rep.Entries)-1]; !after.Last.Equal(last.At) {
			t.Errorf("lena's last reveal %v; want the time of the last entry, %v", after.Last, last.At)
		}
		// The refused still count nothing.
		if v := viewer(rep, "ivan"); v.Reveals != 0 {
			t.Errorf("ivan, who was refused, is a viewer: %+v", v)
		}
	})

	t.Run("who may read the access list", func(t *testing.T) {
		for user, role := range roleOf {
			e := e.in(t)
			r := e.do(user, "GET", base+"/persons/V-0001/access", nil)
			switch role {
			case caseroom.RoleLead, caseroom.RoleProtection, caseroom.RoleOversight, caseroom.RoleAdvocate:
				if r.status != http.StatusOK {
					t.Errorf("%s (%s) reads the access list: %d; want 200\n%s", user, role, r.status, r.body)
				}
			default:
				if r.status != http.StatusForbidden || r.errorCode(t) != caseroom.EFORBIDDEN {
					t.Errorf("%s (%s) reads the access list: %d; want 403\n%s", user, role, r.status, r.body)
				}
			}
			f.mustNotShow(t, user+" reading the access list", r)
		}
	})

	t.Run("the audit log never holds the identity", func(t *testing.T) {
		r := e.in(t).do("lena", "GET", base+"/audit?limit=10000", nil)
		mustStatus(t, r, http.StatusOK)
		f.mustNotShow(t, "the audit log", r)
	})

	t.Run("a reveal of someone who is not a victim shows what GET shows", func(t *testing.T) {
		e := e.in(t)
		r := e.do("ivan", "POST", base+"/persons/"+f.suspect.ID+"/reveal", `{"reason":"curious"}`)
		mustStatus(t, r, http.StatusOK)
		if p := decodeInto[caseroom.Person](t, r); p.ID != f.suspect.ID || p.IdentityHidden || len(p.Names) != 1 || p.Names[0].Name != "Tanveer Ahmed" {
			t.Errorf("revealed suspect %+v; want Tanveer Ahmed", p)
		}
	})
}

// TestAPISearchesPersonsByName searches a case's persons by a word of a name or an
// alias, and by role: a victim is found only by a role that may reveal her, and is
// still returned without her identity.
func TestAPISearchesPersonsByName(t *testing.T) {
	e := newAPIEnv(t, "lena", "ivan")
	caseID := e.createCase("lena", map[string]caseroom.Role{"ivan": caseroom.RoleInvestigator})
	base := "/api/v1/cases/" + caseID
	suspect := post[caseroom.Person](e, "lena", base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Tanveer Ahmed"}}, "aliases": []any{"Bhola"}, "roles": []string{"suspect"}})
	witness := post[caseroom.Person](e, "lena", base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Rafiq Ahmed"}}, "roles": []string{"witness"}})
	victim := post[caseroom.Person](e, "lena", base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Canaryname Ahmed"}}, "aliases": []any{"Canaryalias"}, "roles": []string{"victim"}})
	// ivan may find the victim he recorded himself, though not lena's.
	own := post[caseroom.Person](e, "ivan", base+"/persons", map[string]any{
		"names": []map[string]string{{"name": "Canaryother Khan"}}, "roles": []string{"victim"}})

	find := func(t *testing.T, user, query string) (ids []string, body string) {
		t.Helper()
		r := e.in(t).do(user, "GET", base+"/persons?"+query, nil)
		mustStatus(t, r, http.StatusOK)
		for _, p := range decodeInto[struct{ Persons []caseroom.Person }](t, r).Persons {
			ids = append(ids, p.ID)
		}
		return ids, string(r.body)
	}
	tests := []struct {
		name, user, query string
		want              []string
	}{
		{"a word of the name", "ivan", "name=Tanveer", []string{suspect.ID}},
		{"in any case", "ivan", "name=tAnVeEr", []string{suspect.ID}},
		{"the whole name", "ivan", "name=Tanveer+Ahmed", []string{suspect.ID}},
		{"the words in another order", "ivan", "name=ahmed%20tanveer", []string{suspect.ID}},
		{"an alias", "ivan", "name=bhola", []string{suspect.ID}},
		{"a word and an alias", "ivan", "name=BHOLA+ahmed", []string{suspect.ID}},
		{"every word must match", "ivan", "name=Tanveer+Rafiq", nil},
		{"part of a word does not match", "ivan", "name=Tanv", nil},
		{"nobody", "ivan", "name=Nobody", nil},
		{"a shared word, investigator", "ivan", "name=Ahmed", []string{suspect.ID, witness.ID}},
		{"a shared word, lead", "lena", "name=Ahmed", []string{suspect.ID, witness.ID, victim.ID}},
		{"a victim's name, lead", "lena", "name=canaryname", []string{victim.ID}},
		{"a victim's alias, lead", "lena", "name=CANARYALIAS", []string{victim.ID}},
		{"a victim's name, investigator", "ivan", "name=canaryname", nil},
		{"a victim's alias, investigator", "ivan", "name=canaryalias", nil},
		{"a victim the investigator recorded", "ivan", "name=khan", []string{own.ID}},
		{"that victim, lead", "lena", "name=Canaryother", []string{own.ID}},
		{"victims", "ivan", "role=victim", []string{victim.ID, own.ID}},
		{"suspects", "lena", "role=suspect", []string{suspect.ID}},
		{"interpreters", "lena", "role=interpreter", nil},
		{"name and role", "lena", "name=ahmed&role=witness", []string{witness.ID}},
		{"a victim by name and role, lead", "lena", "name=ahmed&role=victim", []string{victim.ID}},
		{"a victim by name and role, investigator", "ivan", "name=ahmed&role=victim", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.in(t).auditActions(caseID)
			got, body := find(t, tt.user, tt.query)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GET persons?%s as %s found %v; want %v", tt.query, tt.user, got, tt.want)
			}
			// A victim found is still returned without her identity.
			for _, c := range []string{"Canaryname", "Canaryalias", "Canaryother", "Khan"} {
				if strings.Contains(body, c) {
					t.Errorf("GET persons?%s as %s shows %q:\n%s", tt.query, tt.user, c, body)
				}
			}
			// Each search by name is recorded.
			wantSearches := 0
			if strings.Contains(tt.query, "name=") {
				wantSearches = 1
			}
			after := e.in(t).auditActions(caseID)
			key := "person.search.name " + tt.user
			if got := after[key] - before[key]; got != wantSearches {
				t.Errorf("the audit log gained %d %s entries; want %d", got, key, wantSearches)
			}
		})
	}
	// Refused searches are in TestAPIRefusesBadInput, which checks that they write nothing.
}

// TestAPIInternalErrorsAreLoggedNotShown shows that a failure the user cannot fix
// (here, the store closed under the server) answers 500 with a generic message, and
// that the details go to the server's logger.
func TestAPIInternalErrorsAreLoggedNotShown(t *testing.T) {
	e := newAPIEnv(t, "lena")
	var logged bytes.Buffer
	srv := httptest.NewServer(NewServer(e.db, slog.New(slog.NewTextHandler(&logged, nil))))
	defer srv.Close()
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	e.db = nil // closed; stop must not close it again
	req, err := http.NewRequest("GET", srv.URL+"/api/v1/cases", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.tokens["lena"])
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := response{status: resp.StatusCode, header: resp.Header, body: body}
	mustStatus(t, r, http.StatusInternalServerError)
	if code, msg := r.errorCode(t), r.errorMessage(t); code != caseroom.EINTERNAL || msg != "Internal error." {
		t.Errorf("error %q %q; want internal with the generic message", code, msg)
	}
	if !strings.Contains(logged.String(), "internal error") || !strings.Contains(logged.String(), "closed") {
		t.Errorf("the server's log does not hold the internal error:\n%s", logged.String())
	}
}

// TestAddWitnessRefusedBeforeTheKeyIsRead: a user who may not register a witness is
// told so (403), whatever the key; the key's faults are for an administrator (400).
func TestAddWitnessRefusedBeforeTheKeyIsRead(t *testing.T) {
	e := newAPIEnv(t, "pat")
	for _, key := range []string{"not a key", "", "court.example/witness+00000000+AAAA"} {
		r := e.do("pat", "POST", "/api/v1/audit/witnesses", map[string]any{"key": key})
		mustStatus(t, r, http.StatusForbidden)
	}
	ctx := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	if _, err := e.db.CreateUser(ctx, caseroom.NewUser{Name: "root", Password: "correct horse battery staple", Admin: true}); err != nil {
		t.Fatal(err)
	}
	tok, err := e.db.CreateToken(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["root"] = tok.Secret
	mustStatus(t, e.do("root", "POST", "/api/v1/audit/witnesses", map[string]any{"key": "not a key"}), http.StatusBadRequest)
}
