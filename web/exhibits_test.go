package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
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

// TestCaseMediaFilters lists a case's files through the API by id, by cluster of
// near-duplicates and by a match to a known set, and has bad filter values refused.
func TestCaseMediaFilters(t *testing.T) {
	e := newAPIEnv(t, "lead", "exam")
	c := e.createCase("lead", map[string]caseroom.Role{"exam": caseroom.RoleExaminer})
	base := "/api/v1/cases/" + c
	post[caseroom.Exhibit](e, "lead", base+"/exhibits", map[string]any{"ref": "SB/1", "description": "A disc", "kind": "disc", "seizedAt": "2026-11-20T09:00:00Z"})
	console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)

	const x = "f8f8f0cee0f4a84f06370a22028f67f0b36e2ed596621e1d33e6b39c4e9c9b22"
	picture := func(path, content string, bitsOff byte) caseroom.NewMedia {
		m := recorded(path, content)
		h, _ := hex.DecodeString(x)
		h[31] ^= bitsOff
		m.Image = &caseroom.ImageHash{PDQ: hex.EncodeToString(h), Quality: 90}
		for i := range m.Image.Dihedral {
			m.Image.Dihedral[i] = m.Image.PDQ
		}
		return m
	}
	// Two near-duplicates of a picture; a document a known set lists; another file.
	files := []caseroom.NewMedia{picture("a.jpg", "a", 0), picture("a-small.jpg", "a small", 0x07), recorded("listed.txt", "listed"), recorded("other.txt", "other")}
	if n, err := e.db.RecordMedia(console, c, "SB/1", files); err != nil || n != len(files) {
		t.Fatalf("record media: %d, %v", n, err)
	}
	listed := files[2]
	if _, err := e.db.ImportHashSet(console, caseroom.NewHashSet{Name: "National list", Format: "vics", SourceSHA256: sha256Hex("National list"),
		Entries: func(yield func(caseroom.KnownHash) error) error {
			return yield(caseroom.KnownHash{MediaID: "1", Category: "1", MD5: listed.MD5})
		}}); err != nil {
		t.Fatal(err)
	}

	list := func(query string) []string {
		t.Helper()
		r := e.do("exam", "GET", base+"/media?"+query, nil)
		mustStatus(t, r, http.StatusOK)
		var paths []string
		for _, m := range decodeInto[struct{ Media []caseroom.Media }](t, r).Media {
			paths = append(paths, m.Path)
		}
		slices.Sort(paths)
		return paths
	}
	all := decodeInto[struct{ Media []caseroom.Media }](t, e.do("exam", "GET", base+"/media", nil)).Media
	var cluster, otherID string
	for _, m := range all {
		switch m.Path {
		case "a.jpg":
			cluster = m.Cluster
		case "other.txt":
			otherID = m.ID
		}
	}
	if cluster == "" {
		t.Fatalf("the near-duplicates form no cluster: %+v", all)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"cluster=" + cluster, []string{"a-small.jpg", "a.jpg"}},
		{"matchedKnown=true", []string{"listed.txt"}},
		{"matchedKnown=false", []string{"a-small.jpg", "a.jpg", "listed.txt", "other.txt"}},
		{"id=" + otherID, []string{"other.txt"}},
		{"id=med_nosuchfile", nil},
		{"cluster=" + cluster + "&matchedKnown=true", nil},
		{"cluster=" + strings.Repeat("0", 64), nil},
	} {
		if got := list(tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("?%s = %v, want %v", tc.query, got, tc.want)
		}
	}
	// Paged by one, the cluster's two files, each once.
	first := decodeInto[struct{ Media []caseroom.Media }](t, e.do("exam", "GET", base+"/media?limit=1&cluster="+cluster, nil)).Media
	if len(first) != 1 {
		t.Fatalf("a page of one has %d files", len(first))
	}
	second := decodeInto[struct{ Media []caseroom.Media }](t, e.do("exam", "GET", base+"/media?limit=1&cluster="+cluster+"&after="+first[0].ID, nil)).Media
	if len(second) != 1 || second[0].Cluster != cluster || second[0].ID == first[0].ID {
		t.Errorf("the second page of the cluster: %+v", second)
	}
	for _, q := range []string{"cluster=abc", "cluster=" + strings.Repeat("G", 64), "matchedKnown=yes", "matchedKnown=1", "id=SB/1"} {
		r := e.do("exam", "GET", base+"/media?"+q, nil)
		mustStatus(t, r, http.StatusBadRequest)
	}

	// An exhibit counts its files, listed and read.
	r := e.do("exam", "GET", base+"/exhibits/SB%2F1", nil)
	mustStatus(t, r, http.StatusOK)
	if x := decodeInto[caseroom.Exhibit](t, r); x.Files != int64(len(files)) {
		t.Errorf("exhibit files = %d, want %d", x.Files, len(files))
	}
	r = e.do("exam", "GET", base+"/exhibits", nil)
	mustStatus(t, r, http.StatusOK)
	if xs := decodeInto[struct{ Exhibits []caseroom.Exhibit }](t, r).Exhibits; len(xs) != 1 || xs[0].Files != int64(len(files)) {
		t.Errorf("exhibits listed: %+v, want SB/1 with %d files", xs, len(files))
	}
}
