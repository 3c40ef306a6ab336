package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"caseroom"
)

// TestExhibitUploadAndChain walks the exhibit API as the UI would: register SB/1, read
// it by its escaped reference, record its examination, upload a file into it and see
// it listed by its hashes, and have a second upload at the same path refused.
func TestExhibitUploadAndChain(t *testing.T) {
	e := newAPIEnv(t, "lead", "exam")
	c := e.createCase("lead", map[string]caseroom.Role{"exam": caseroom.RoleExaminer})
	base := "/api/v1/cases/" + c
	x := post[caseroom.Exhibit](e, "lead", base+"/exhibits", map[string]any{"ref": "SB/1", "description": "CD bought from a villager", "kind": "disc", "seizedAt": "2026-11-20T09:00:00Z"})
	if x.Holder != "lead" || len(x.Custody) != 1 || x.Custody[0].Event != caseroom.CustodySeized {
		t.Fatalf("registered exhibit: %+v", x)
	}
	r := e.do("exam", "GET", base+"/exhibits/SB%2F1", nil)
	mustStatus(t, r, http.StatusOK)
	if got := decodeInto[caseroom.Exhibit](t, r); got.ID != x.ID {
		t.Fatalf("exhibit by escaped reference: %+v", got)
	}
	// The examiner does not hold it: examining it in their own name breaks the chain.
	mustStatus(t, e.do("exam", "POST", base+"/exhibits/"+x.ID+"/custody", map[string]any{"event": "examined", "at": "2026-11-21T09:00:00Z"}), http.StatusConflict)
	mustStatus(t, e.do("lead", "POST", base+"/exhibits/"+x.ID+"/custody", map[string]any{"event": "transferred", "to": "exam", "at": "2026-11-21T09:00:00Z"}), http.StatusCreated)
	got := post[caseroom.Exhibit](e, "exam", base+"/exhibits/"+x.ID+"/custody", map[string]any{"event": "examined", "at": "2026-11-21T10:00:00Z", "purpose": "Listing the files"})
	if got.Holder != "exam" || len(got.Custody) != 3 {
		t.Fatalf("chain after transfer and examination: %+v", got)
	}

	content := "a benign text file found on the disc"
	m := post[caseroom.Media](e, "exam", base+"/exhibits/"+x.ID+"/media?path=notes/list.txt", content)
	want := sha256.Sum256([]byte(content))
	if m.Path != "upload/notes/list.txt" || m.SHA256 != hex.EncodeToString(want[:]) || !strings.HasPrefix(m.MIME, "text/plain") || m.Size != int64(len(content)) {
		t.Fatalf("uploaded media: %+v", m)
	}
	// The same content under another name: its record says where else it was found.
	m2 := post[caseroom.Media](e, "exam", base+"/exhibits/"+x.ID+"/media?path=copy.txt", content)
	if len(m2.AlsoFoundIn) != 1 || m2.AlsoFoundIn[0].Path != "upload/notes/list.txt" {
		t.Fatalf("copy's alsoFoundIn: %+v", m2.AlsoFoundIn)
	}
	r = e.do("lead", "GET", base+"/exhibits/"+x.ID+"/media", nil)
	mustStatus(t, r, http.StatusOK)
	if list := decodeInto[struct{ Media []caseroom.Media }](t, r); len(list.Media) != 2 {
		t.Fatalf("media after uploads: %+v", list.Media)
	}
	// Another file at the same path is refused, not dropped in silence.
	r = e.do("exam", "POST", base+"/exhibits/"+x.ID+"/media?path=notes/list.txt", "other content")
	mustStatus(t, r, http.StatusConflict)
	mustStatus(t, e.do("exam", "POST", base+"/exhibits/"+x.ID+"/media", "no path"), http.StatusBadRequest)
}
