package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"caseroom": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"sql": sqlCommand,
	}})
}

// sqlCommand is the script command "sql DBFILE STATEMENT": it runs one SQL statement on
// a SQLite file directly, behind the server's back, as someone tampering with it would.
func sqlCommand(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sql DBFILE STATEMENT")
	}
	db, err := sql.Open("sqlite", ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("sql: %v", err)
	}
	defer db.Close()
	res, err := db.Exec(args[1])
	if err == nil {
		var n int64
		n, err = res.RowsAffected()
		if err == nil && n == 0 {
			err = fmt.Errorf("no row changed")
		}
	}
	if neg != (err != nil) {
		ts.Fatalf("sql %q: %v", args[1], err)
	}
}

// cli runs one command line in-process and returns its stdout; it fails the test on a
// non-zero exit.
func cli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := runContext(context.Background(), args, strings.NewReader(stdin), &out, &errOut); code != 0 {
		t.Fatalf("caseroom %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

// startServer runs "caseroom serve" in-process on a free port and returns its base URL
// and a function that stops it and waits for it to exit (see startServing).
func startServer(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	base, _, stop := startServing(t, args...)
	return base, stop
}

// call sends one API request and decodes the JSON response into out (if not nil).
func call(t *testing.T, token, method, url, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, url, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

// TestNewUserWorksACaseThroughTheAPI is the "done when": a user made with the
// CLI creates a case, adds a suspect with an alias, registers a statement and links
// the two; after a restart everything is still there.
func TestNewUserWorksACaseThroughTheAPI(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out := cli(t, "", "user", "add", "farah", "--data", data)
	if !strings.Contains(out, "Password (shown once): ") {
		t.Fatalf("user add without stdin printed no generated password: %q", out)
	}
	token := strings.TrimSpace(cli(t, "", "token", "create", "--user", "farah", "--data", data))
	if !strings.HasPrefix(token, "crt_") {
		t.Fatalf("token create printed %q", token)
	}

	base, stop := startServer(t, "--data", data)
	var c struct{ ID, Title string }
	if code := call(t, token, "POST", base+"/api/v1/cases", `{"title":"Operation Kite"}`, &c); code != 201 || c.Title != "Operation Kite" {
		t.Fatalf("create case: %d %+v", code, c)
	}
	var suspect, witness struct{ ID string }
	call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/persons",
		`{"names":[{"name":"Javed Iqbal","script":"Latn"}],"aliases":["Chhota"],"roles":["suspect"]}`, &suspect)
	call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/persons", `{"names":[{"name":"Saima Noor"}],"roles":["witness"]}`, &witness)
	var doc struct{ ID, Ref string }
	code := call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/documents", fmt.Sprintf(
		`{"kind":"statement","title":"Statement of a witness","text":"I saw Chhota at the bus stand.","giver":%q,"recordedAt":"2026-11-20T15:00:00+05:00","place":"City police station","language":"ur"}`,
		witness.ID), &doc)
	if code != 201 || doc.Ref != "S-1" {
		t.Fatalf("register statement: %d %+v", code, doc)
	}
	if code := call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/links", fmt.Sprintf(
		`{"from":%q,"to":%q,"type":"knows","source":"S-1","confidence":0.7}`, witness.ID, suspect.ID), nil); code != 201 {
		t.Fatalf("link: %d", code)
	}
	stop()

	base, stop = startServer(t, "--data", data)
	defer stop()
	var p struct{ Aliases []struct{ Alias string } }
	if code := call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/persons/"+suspect.ID, "", &p); code != 200 || len(p.Aliases) != 1 || p.Aliases[0].Alias != "Chhota" {
		t.Fatalf("suspect after restart: %d %+v", code, p)
	}
	var d struct {
		Statement struct{ RecordedAt time.Time }
	}
	call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/documents/S-1", "", &d)
	if want := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC); !d.Statement.RecordedAt.Equal(want) || d.Statement.RecordedAt.Location() != time.UTC {
		t.Fatalf("recordedAt after restart = %v, want %v in UTC", d.Statement.RecordedAt, want)
	}
	var links struct {
		Links []struct{ SourceRef, ToLabel string }
	}
	call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/links", "", &links)
	if len(links.Links) != 1 || links.Links[0].SourceRef != "S-1" || links.Links[0].ToLabel != "Javed Iqbal" {
		t.Fatalf("links after restart: %+v", links)
	}
}
