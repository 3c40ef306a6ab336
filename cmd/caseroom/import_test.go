package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportComms imports a CDR with caseroom import comms, again (nothing added), a
// file with a bad row (exit 1 naming the line, nothing written), and a chat file; then
// reads the suspect's contacts through the API.
func TestImportComms(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cli(t, "Import-Password-Correct-9\n", "user", "add", "alice", "--admin", "--data", data)
	token := strings.TrimSpace(cli(t, "", "token", "create", "--user", "alice", "--data", data))
	base, stop := startServer(t, "--data", data)
	var c, sus, doc struct{ ID string }
	call(t, token, "POST", base+"/api/v1/cases", `{"title":"Operation Ledger","timeZone":"Asia/Karachi"}`, &c)
	p := base + "/api/v1/cases/" + c.ID
	call(t, token, "POST", p+"/persons", `{"names":[{"name":"Fictional Suspect"}],"roles":["suspect"]}`, &sus)
	call(t, token, "POST", p+"/documents", `{"kind":"report","title":"Phone","text":"The phone is the suspect's."}`, &doc)
	if code := call(t, token, "POST", p+"/persons/"+sus.ID+"/identifiers", `{"kind":"phone","value":"+92 300 1234567","source":"`+doc.ID+`"}`, nil); code != 201 {
		t.Fatalf("identifier: %d", code)
	}
	if code := call(t, token, "POST", p+"/exhibits", `{"ref":"RG/1","description":"Phone","kind":"phone","seizedAt":"2015-07-10T09:00:00Z"}`, nil); code != 201 {
		t.Fatalf("exhibit: %d", code)
	}
	stop()

	cdr := filepath.Join(dir, "cdr.csv")
	write(t, cdr, []byte("A Party;B Party;Date/Time;Duration;Call Type\n"+
		"03001234567;+447700900123;20/06/2015 10:00:00;120;MO\n"+
		"03001234567;03219876543;20/06/2015 11:00:00;0:01:30;MT\n"+
		"03001234567;+447700900123;21/06/2015 09:30:00;60;SMS-MO\n"))
	var imp struct {
		Rows, Added, Skipped, EndpointsCreated int
		Complete                               bool
		ID                                     string
	}
	import1 := func() {
		t.Helper()
		if err := json.Unmarshal([]byte(cli(t, "", "import", "comms", "--data", data, "--case", c.ID, "--exhibit", "RG/1", "--format", "cdr", "--json", cdr)), &imp); err != nil {
			t.Fatal(err)
		}
	}
	import1()
	if imp.Rows != 3 || imp.Added != 3 || imp.EndpointsCreated != 3 || !imp.Complete {
		t.Errorf("first import: %+v", imp)
	}
	first := imp.ID
	import1()
	if imp.Added != 0 || imp.Skipped != 3 || imp.ID != first {
		t.Errorf("second import: %+v", imp)
	}

	bad := filepath.Join(dir, "bad.csv")
	write(t, bad, []byte("A Party,B Party,Date/Time\n03001234567,03219876543,2015-06-20 10:00\n03001234567,03219876543,2015-13-40 10:00\n"))
	var out, errOut bytes.Buffer
	code := runContext(context.Background(), []string{"import", "comms", "--data", data, "--case", c.ID, "--exhibit", "RG/1", "--format", "cdr", bad}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "line 3") {
		t.Errorf("bad file: exit %d, %q; want 1 naming line 3", code, errOut.String())
	}
	code = runContext(context.Background(), []string{"import", "comms", "--data", data, "--case", "cas_nosuchcase", "--exhibit", "RG/1", "--format", "cdr", cdr}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "no case") {
		t.Errorf("unknown case: exit %d, %q", code, errOut.String())
	}

	chat := filepath.Join(dir, "chat.json")
	write(t, chat, []byte(`{"format":"caseroom-chat/1","service":"skype","account":"live:fictional.suspect",
		"contacts":[{"handle":"live:buyer.uk","name":"Buyer","country":"GB","added":"2015-05-01T10:00:00Z"}],
		"messages":[{"from":"live:fictional.suspect","to":"live:buyer.uk","at":"2015-06-02T10:00:00Z"}]}`))
	if err := json.Unmarshal([]byte(cli(t, "", "import", "comms", "--data", data, "--case", c.ID, "--exhibit", "RG/1", "--format", "chat", "--json", chat)), &imp); err != nil {
		t.Fatal(err)
	}
	if imp.Added != 2 {
		t.Errorf("chat import: %+v", imp)
	}

	base, stop = startServer(t, "--data", data)
	defer stop()
	var sum struct {
		Contacts int
		Foreign  []struct {
			Endpoint struct{ Value, Country string }
		}
	}
	if code := call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/communications/summary?person="+sus.ID, "", &sum); code != 200 {
		t.Fatalf("summary: %d", code)
	}
	if sum.Contacts != 3 || len(sum.Foreign) != 1 || sum.Foreign[0].Endpoint.Value != "+447700900123" || sum.Foreign[0].Endpoint.Country != "GB" {
		t.Errorf("summary: %+v", sum)
	}
}
