package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"caseroom"
	"caseroom/sqlstore"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServerLogHoldsNoIdentity registers, searches for and reveals a victim whose
// identity is full of canaries, with good and bad requests, and checks that no line
// of the server's log holds any of them.
func TestServerLogHoldsNoIdentity(t *testing.T) {
	dir := t.TempDir()
	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "caseroom.db"), sqlstore.Options{KeyFile: filepath.Join(dir, "vault.key")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	if _, err := db.CreateUser(console, caseroom.NewUser{Name: "lead", Password: "correct horse battery staple"}); err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateToken(console, "lead")
	if err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	srv := httptest.NewServer(NewServer(db, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	defer srv.Close()
	call := func(method, path, body string) string {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.Secret)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	c := call("POST", "/api/v1/cases", `{"title":"Log check"}`)
	caseID := strings.Split(strings.Split(c, `"id":"`)[1], `"`)[0]
	base := "/api/v1/cases/" + caseID
	call("POST", base+"/persons", `{"names":[{"name":"Zarlasht Logcanary"}],"aliases":["Logcanarina"],"roles":["victim"],"dateOfBirth":"2012-03-04","parents":["Gul Logcanaryfather"],"address":"Logcanary Lane"}`)
	call("POST", base+"/persons", `{"names":[{"name":"Zarlasht Logcanary"}],"roles":["nonsense"]}`)               // refused
	call("POST", base+"/persons/V-0001/identifiers", `{"kind":"phone","value":"+92 300 7777123","source":"S-9"}`) // refused: no S-9
	call("GET", base+"/persons?name=Logcanary", "")
	if revealed := call("POST", base+"/persons/V-0001/reveal", `{"reason":"Logcanary check"}`); !strings.Contains(revealed, "Zarlasht Logcanary") {
		t.Fatalf("the control failed: the reveal did not return the canary: %s", revealed)
	}
	call("GET", base+"/persons/Logcanary", "")
	for _, canary := range []string{"Logcanary", "logcanary", "Logcanarina", "2012-03-04", "7777123"} {
		if strings.Contains(logs.String(), canary) {
			t.Errorf("the server log holds %q:\n%s", canary, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "/reveal") {
		t.Errorf("the log has no request lines; the check saw nothing:\n%s", logs.String())
	}
}
