package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"caseroom"
)

// TestUploadRace sends eight uploads of different files to one path at once, ten
// rounds: exactly one is acknowledged (201) and recorded with its own bytes, every
// other is refused with 409. Then eight uploads to eight paths at once are each
// acknowledged and recorded with their own bytes.
func TestUploadRace(t *testing.T) {
	e := newAPIEnv(t, "lead")
	c := e.createCase("lead", nil)
	base := "/api/v1/cases/" + c
	x := post[caseroom.Exhibit](e, "lead", base+"/exhibits", map[string]any{"ref": "SB/1", "description": "A phone", "kind": "phone", "seizedAt": "2026-11-20T09:00:00Z"})
	const clients = 8
	sumOf := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	race := func(path func(i int) string, content func(i int) string) []response {
		var wg sync.WaitGroup
		out := make([]response, clients)
		for i := range clients {
			wg.Go(func() {
				out[i] = e.do("lead", "POST", base+"/exhibits/"+x.ID+"/media?path="+path(i), content(i))
			})
		}
		wg.Wait()
		return out
	}
	recordedAt := func(p string) []caseroom.Media {
		r := e.do("lead", "GET", base+"/exhibits/"+x.ID+"/media?limit=10000", nil)
		mustStatus(t, r, http.StatusOK)
		var at []caseroom.Media
		for _, m := range decodeInto[struct{ Media []caseroom.Media }](t, r).Media {
			if m.Path == p {
				at = append(at, m)
			}
		}
		return at
	}
	for round := range 10 {
		name := fmt.Sprintf("DCIM/IMG_%04d.txt", round)
		content := func(i int) string { return fmt.Sprintf("round %d, client %d: a benign text", round, i) }
		answers := race(func(int) string { return name }, content)
		winners := 0
		for i, r := range answers {
			switch r.status {
			case http.StatusCreated:
				winners++
				m := decodeInto[caseroom.Media](t, r)
				if m.SHA256 != sumOf(content(i)) {
					t.Errorf("round %d: client %d's 201 describes content %s, not the bytes it sent (%s)", round, i, m.SHA256, sumOf(content(i)))
				}
				if at := recordedAt("upload/" + name); len(at) != 1 || at[0].SHA256 != sumOf(content(i)) {
					t.Errorf("round %d: client %d was told its file is stored, but the path holds %+v", round, i, at)
				}
			case http.StatusConflict:
				if !strings.Contains(string(r.body), "already recorded") {
					t.Errorf("round %d: client %d's 409 says %s", round, i, r.body)
				}
			default:
				t.Errorf("round %d: client %d: status %d: %s", round, i, r.status, r.body)
			}
		}
		if winners != 1 {
			t.Errorf("round %d: %d uploads acknowledged; want exactly one", round, winners)
		}
	}

	content := func(i int) string { return fmt.Sprintf("path %d: a benign text", i) }
	for i, r := range race(func(i int) string { return fmt.Sprintf("many/%d.txt", i) }, content) {
		if r.status != http.StatusCreated {
			t.Errorf("upload to its own path %d: status %d: %s", i, r.status, r.body)
			continue
		}
		if at := recordedAt(fmt.Sprintf("upload/many/%d.txt", i)); len(at) != 1 || at[0].SHA256 != sumOf(content(i)) {
			t.Errorf("upload to its own path %d: recorded %+v", i, at)
		}
	}
}

// TestUploadFollowsCustody: an upload is an examination of the exhibit, refused as a
// custody event is: by someone who does not hold it (unless it names the holder, by=),
// and after the exhibit was returned; each refusal stores nothing.
func TestUploadFollowsCustody(t *testing.T) {
	e := newAPIEnv(t, "lead", "exam")
	c := e.createCase("lead", map[string]caseroom.Role{"exam": caseroom.RoleExaminer})
	base := "/api/v1/cases/" + c
	x := post[caseroom.Exhibit](e, "lead", base+"/exhibits", map[string]any{"ref": "SB/1", "description": "A disc", "kind": "disc", "seizedAt": "2026-11-20T09:00:00Z"})
	upload := func(user, query, content string) response {
		return e.do(user, "POST", base+"/exhibits/"+x.ID+"/media?"+query, content)
	}
	files := func() int {
		r := e.do("lead", "GET", base+"/exhibits/"+x.ID+"/media", nil)
		mustStatus(t, r, http.StatusOK)
		return len(decodeInto[struct{ Media []caseroom.Media }](t, r).Media)
	}
	custody := e.do("exam", "POST", base+"/exhibits/"+x.ID+"/custody", map[string]any{"event": "examined", "at": "2026-11-21T09:00:00Z"})
	mustStatus(t, custody, http.StatusConflict)
	r := upload("exam", "path=a.txt", "a benign text")
	mustStatus(t, r, http.StatusConflict)
	if !strings.Contains(string(r.body), "exam does not hold exhibit SB/1; lead does") || string(r.body) != string(custody.body) {
		t.Errorf("the upload's refusal %s; want the custody event's, %s", r.body, custody.body)
	}
	mustStatus(t, upload("exam", "by=lead&path=a.txt", "a benign text"), http.StatusCreated) // on the holder's behalf
	mustStatus(t, e.do("lead", "POST", base+"/exhibits/"+x.ID+"/custody", map[string]any{"event": "transferred", "to": "exam", "at": "2026-11-21T10:00:00Z"}), http.StatusCreated)
	mustStatus(t, upload("exam", "path=b.txt", "another benign text"), http.StatusCreated)
	mustStatus(t, upload("lead", "path=c.txt", "a third benign text"), http.StatusConflict)
	mustStatus(t, e.do("exam", "POST", base+"/exhibits/"+x.ID+"/custody", map[string]any{"event": "returned", "to": "The shop's owner", "at": "2026-11-22T10:00:00Z"}), http.StatusCreated)
	before := files()
	r = upload("exam", "path=d.txt", "a fourth benign text")
	mustStatus(t, r, http.StatusConflict)
	if !strings.Contains(string(r.body), "its chain of custody has ended") {
		t.Errorf("an upload after the return: %s", r.body)
	}
	if files() != before || before != 2 {
		t.Errorf("%d files before the refused upload, %d after; want 2 and 2", before, files())
	}
}

// TestMediaLimit: a page size that is not 1 to 10000 is refused, naming the parameter.
func TestMediaLimit(t *testing.T) {
	e := newAPIEnv(t, "lead")
	c := e.createCase("lead", nil)
	for _, limit := range []string{"-5", "0", "10001", "ten"} {
		r := e.do("lead", "GET", "/api/v1/cases/"+c+"/media?limit="+limit, nil)
		mustStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(string(r.body), "limit") {
			t.Errorf("limit=%s: %s", limit, r.body)
		}
	}
	mustStatus(t, e.do("lead", "GET", "/api/v1/cases/"+c+"/media?limit=1", nil), http.StatusOK)
}
