package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runCLI runs one command line in-process and returns its exit status, stdout and
// stderr.
func runCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := runContext(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// fetch GETs url and returns the body of a 200 response.
func fetch(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

// TestAuditDoneWhen is the "done when", tried as a new user would: serve,
// create a statement, save the checkpoint; edit the statement text in the database;
// verify against the saved checkpoint fails and names the statement. Then a witness
// that has cosigned the log sees it truncated and rewritten, refuses it, and prints
// the evidence.
func TestAuditDoneWhen(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cli(t, "Audit-Password-Correct-9\n", "user", "add", "alice", "--admin", "--data", data)
	token := strings.TrimSpace(cli(t, "", "token", "create", "--user", "alice", "--data", data))
	base, stop := startServer(t, "--data", data)
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()

	var c, p, doc struct{ ID, Ref string }
	call(t, token, "POST", base+"/api/v1/cases", `{"title":"Operation Ledger"}`, &c)
	call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/persons", `{"names":[{"name":"Imran Ali"}],"roles":["witness"]}`, &p)
	if code := call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/documents", fmt.Sprintf(
		`{"kind":"statement","title":"Payment","text":"He paid 5000 rupees at the shop.","giver":%q,"recordedAt":"2026-11-20T10:00:00Z"}`, p.ID), &doc); code != 201 {
		t.Fatalf("statement: %d", code)
	}

	// A witness, with a key of its own, checks the log for the first time. The log's
	// administrator has not registered it yet, so its cosignature is not kept.
	cli(t, "", "audit", "checkpoint", "--data", data)
	vkey := strings.TrimSpace(cli(t, "", "audit", "key", "--data", data))
	state, wkey := filepath.Join(dir, "witness.state"), filepath.Join(dir, "witness.key")
	witness := func() (int, string, string) {
		return runCLI("witness", "--log", base, "--log-key", vkey, "--state", state, "--key", wkey, "--name", "oversight.example/witness")
	}
	code, out, errOut := witness()
	if code != 0 || !strings.Contains(out, "first checkpoint seen") || !strings.Contains(errOut, "not cosigned") {
		t.Fatalf("first witness run: %d\n%s\n%s", code, out, errOut)
	}
	wvkey := regexp.MustCompile(`witness add (\S+)`).FindStringSubmatch(errOut)
	if wvkey == nil {
		t.Fatalf("the witness did not print its key: %s", errOut)
	}
	cli(t, "", "audit", "witness", "add", wvkey[1], "--data", data)

	// The log grows; the witness checks the consistency proof and cosigns, and the
	// server serves the cosignature with the checkpoint.
	call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/persons", `{"names":[{"name":"Bilal Shah"}],"roles":["witness"]}`, nil)
	cli(t, "", "audit", "checkpoint", "--data", data)
	code, out, errOut = witness()
	if code != 0 || !strings.Contains(out, "consistent with the") || !strings.Contains(out, "cosigned as oversight.example/witness") {
		t.Fatalf("second witness run: %d\n%s\n%s", code, out, errOut)
	}
	saved := fetch(t, base+"/api/v1/audit/checkpoint")
	if !strings.Contains(saved, "\n— oversight.example/witness ") {
		t.Fatalf("the checkpoint carries no cosignature:\n%s", saved)
	}
	cpFile := filepath.Join(dir, "saved.cp")
	if err := os.WriteFile(cpFile, []byte(saved), 0o644); err != nil {
		t.Fatal(err)
	}
	stop()
	stopped = true

	// Untouched, the store verifies against the saved, cosigned checkpoint.
	if code, out, errOut := runCLI("audit", "verify", "--data", data, "--checkpoint", cpFile); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify untouched: %d\n%s%s", code, out, errOut)
	}

	// Someone edits the statement's text behind the server's back.
	dbFile := filepath.Join(data, "caseroom.db")
	tamper := func(stmts ...string) {
		t.Helper()
		db, err := sql.Open("sqlite", dbFile)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range stmts {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	original, err := os.ReadFile(dbFile)
	if err != nil {
		t.Fatal(err)
	}
	tamper(`UPDATE documents SET body = replace(body, '5000', '500') WHERE ref = 'S-1'`)
	code, out, errOut = runCLI("audit", "verify", "--data", data, "--checkpoint", cpFile)
	if code != 1 || !strings.Contains(errOut, "document.register of document "+doc.ID) || !strings.Contains(errOut, "documents 1 row") {
		t.Fatalf("verify after editing the statement: exit %d, want 1 naming document %s\n%s%s", code, doc.ID, out, errOut)
	}
	if err := os.WriteFile(dbFile, original, 0o600); err != nil {
		t.Fatal(err)
	}

	// Someone truncates the log carefully: the last entries, their records, their tree
	// hashes and the checkpoints that covered them.
	var size int64
	{
		db, err := sql.Open("sqlite", dbFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT MAX(seq) + 1 FROM audit_log`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	cut := size - 3
	var stmts []string
	for _, table := range []string{"persons", "person_names", "person_roles", "blind_index", "person_details", "pseudonyms", "audit_witnesses", "documents", "statements"} {
		stmts = append(stmts, fmt.Sprintf(`DELETE FROM %s WHERE entry >= %d`, table, cut))
	}
	stmts = append(stmts, fmt.Sprintf(`DELETE FROM audit_log WHERE seq >= %d`, cut), `DELETE FROM audit_tree`, `DELETE FROM audit_checkpoints`, `DELETE FROM audit_cosignatures`)
	tamper(stmts...)
	if code, out, errOut := runCLI("audit", "verify", "--data", data, "--checkpoint", cpFile); code != 1 || !strings.Contains(errOut, "truncated") && !strings.Contains(errOut, "deleted") {
		t.Fatalf("verify after truncation: exit %d, want 1 naming the truncation\n%s%s", code, out, errOut)
	}

	// The server, restarted on the truncated store, rebuilds nothing by itself: with the
	// tree gone, it refuses to write. Rebuild the tree as a careful forger would, by
	// migrating again, and serve.
	tamper(`DELETE FROM schema_migrations WHERE name = 'migrations/0005_audit_tree.sql'`,
		`DROP TABLE audit_tree`, `DROP TABLE audit_checkpoints`, `DROP TABLE audit_witnesses`, `DROP TABLE audit_cosignatures`)
	base, stop = startServer(t, "--data", data)
	stopped = false

	// The shorter log is served: the witness refuses it and prints the evidence. (The
	// server checkpoints on start too, but in the background; this one is certain.)
	cli(t, "", "audit", "checkpoint", "--data", data)
	code, out, errOut = witness()
	if code != 1 || !strings.Contains(out, "CASEROOM WITNESS EVIDENCE") || !strings.Contains(out, "older checkpoint replayed, or the log truncated") {
		t.Fatalf("witness on the truncated log: exit %d, want 1 with evidence\n%s%s", code, out, errOut)
	}

	// The forger writes new entries until the log is longer than before: the witness's
	// consistency proof fails, and it prints both checkpoints and the failed proof.
	for i := 0; i < 6; i++ {
		call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/persons", fmt.Sprintf(`{"names":[{"name":"Forged %d"}],"roles":["witness"]}`, i), nil)
	}
	cli(t, "", "audit", "checkpoint", "--data", data)
	before, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = witness()
	if code != 1 || !strings.Contains(out, "the consistency proof from") || !strings.Contains(out, "-- consistency proof served by the log") {
		t.Fatalf("witness on the rewritten log: exit %d, want 1 with the failed proof\n%s%s", code, out, errOut)
	}
	if n := strings.Count(out, "\n— caseroom.local/"); n != 2 {
		t.Errorf("the evidence holds %d signed checkpoints, want 2:\n%s", n, out)
	}
	after, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the witness replaced its state with a checkpoint it refused")
	}
}
