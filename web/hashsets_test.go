package web

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/hashsets"
	"caseroom/pdq"
)

// addAdmin creates an administrator with a token in e.
func addAdmin(t *testing.T, e *apiEnv, name string) {
	t.Helper()
	ctx := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	if _, err := e.db.CreateUser(ctx, caseroom.NewUser{Name: name, Password: "correct horse battery staple", Admin: true}); err != nil {
		t.Fatal(err)
	}
	tok, err := e.db.CreateToken(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	e.tokens[name] = tok.Secret
}

// importSet sends a set file as user, with the Content-Type given.
func importSet(e *apiEnv, user, name, contentType, body string) response {
	e.t.Helper()
	path := "/api/v1/hashsets"
	if name != "" {
		path += "?name=" + url.QueryEscape(name)
	}
	req, err := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	return e.send(req)
}

// listSets lists the imported sets' names as user.
func listSets(e *apiEnv, user string) []string {
	e.t.Helper()
	r := e.do(user, "GET", "/api/v1/hashsets", nil)
	mustStatus(e.t, r, http.StatusOK)
	var names []string
	for _, s := range decodeInto[struct{ HashSets []caseroom.HashSet }](e.t, r).HashSets {
		names = append(names, s.Name)
	}
	return names
}

// vicsSet is a VICS 2.0 file holding the Media objects given.
func vicsSet(media ...string) string {
	return `{"@odata.context":"` + hashsets.VICSContext + `","value":[` + strings.Join(media, ",") + `]}`
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestHashSetImport imports sets through the API as an administrator, and has bad
// input and other users refused without changing the list.
func TestHashSetImport(t *testing.T) {
	e := newAPIEnv(t, "inv")
	addAdmin(t, e, "root")

	vics := vicsSet(`{"MediaID":7,"Category":1,"MD5":"`+strings.Repeat("ab", 16)+`"}`,
		`{"MediaID":8,"Category":2,"AlternativeHashes":[{"HashName":"PDQ","HashValue":"`+strings.Repeat("0f", 32)+`"}]}`)
	r := importSet(e, "root", "Project VIC 2026-11", "application/json", vics)
	mustStatus(t, r, http.StatusCreated)
	set := decodeInto[caseroom.HashSet](t, r)
	if set.Name != "Project VIC 2026-11" || set.Format != "vics" || set.Entries != 2 || set.SourceSHA256 != sha256Hex(vics) || set.ImportedBy != "root" || set.ID == "" {
		t.Errorf("imported VICS set: %+v", set)
	}

	csv := "md5,sha256,category\n" + strings.Repeat("cd", 16) + ",," + "1\n," + strings.Repeat("ef", 32) + ",2\n," + strings.Repeat("01", 32) + ",\n"
	r = importSet(e, "root", "National list", "text/csv", csv)
	mustStatus(t, r, http.StatusCreated)
	if set := decodeInto[caseroom.HashSet](t, r); set.Format != "csv" || set.Entries != 3 || set.SourceSHA256 != sha256Hex(csv) {
		t.Errorf("imported CSV set: %+v", set)
	}
	want := []string{"Project VIC 2026-11", "National list"}
	if got := listSets(e, "inv"); !cmp.Equal(got, want) {
		t.Fatalf("sets listed: %q; want %q", got, want)
	}

	for _, c := range []struct {
		name, user, setName, contentType, body string
		status                                 int
		code, message                          string // what the error's code and message hold
	}{
		{"name already used", "root", "National list", "text/csv", "md5\n" + strings.Repeat("12", 16) + "\n", http.StatusConflict, caseroom.ECONFLICT, "National list"},
		{"name padded but already used", "root", "  National list ", "application/octet-stream", "md5\n" + strings.Repeat("12", 16) + "\n", http.StatusConflict, caseroom.ECONFLICT, "National list"},
		{"invalid CSV line", "root", "Bad CSV", "text/csv", "md5,category\n" + strings.Repeat("12", 16) + ",1\n" + "not-a-hash,1\n", http.StatusBadRequest, caseroom.EINVALID, "line 3"},
		{"invalid VICS entry", "root", "Bad VICS", "application/json",
			vicsSet(`{"MediaID":1,"MD5":"`+strings.Repeat("12", 16)+`"}`, `{"MediaID":2,"Category":1}`), http.StatusBadRequest, caseroom.EINVALID, "entry 2 (MediaID 2)"},
		{"no entries", "root", "Empty", "text/csv", "md5,category\n", http.StatusBadRequest, caseroom.EINVALID, "no entries"},
		{"no name", "root", "", "text/csv", "md5\n" + strings.Repeat("12", 16) + "\n", http.StatusBadRequest, caseroom.EINVALID, "name:"},
		{"blank name", "root", "   ", "text/csv", "md5\n" + strings.Repeat("12", 16) + "\n", http.StatusBadRequest, caseroom.EINVALID, "name:"},
		{"not an administrator", "inv", "Mine", "text/csv", "md5\n" + strings.Repeat("12", 16) + "\n", http.StatusForbidden, caseroom.EFORBIDDEN, "administrator"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := e.in(t)
			r := importSet(e, c.user, c.setName, c.contentType, c.body)
			mustStatus(t, r, c.status)
			if code, msg := r.errorCode(t), r.errorMessage(t); code != c.code || !strings.Contains(msg, c.message) {
				t.Errorf("error %s %q; want %s naming %q", code, msg, c.code, c.message)
			}
			if got := listSets(e, "root"); !cmp.Equal(got, want) {
				t.Errorf("sets listed after a refused import: %q; want %q", got, want)
			}
		})
	}
}

// TestHashSetImportTooLarge shows a body over the limit refused, whether its length
// is declared or it is sent in chunks, and nothing imported.
func TestHashSetImportTooLarge(t *testing.T) {
	e := newAPIEnv(t)
	addAdmin(t, e, "root")
	root, err := e.db.FindUser(caseroom.NewContextWithUser(context.Background(), caseroom.Console), "root")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{HashSets: e.db}
	body := "md5,category\n" + strings.Repeat(strings.Repeat("ab", 16)+",1\n", 3)
	const limit = 64
	for _, declared := range []bool{true, false} {
		req := httptest.NewRequest("POST", "/api/v1/hashsets?name=Big", strings.NewReader(body))
		req.ContentLength = -1 // chunked
		if declared {
			req.ContentLength = int64(len(body))
		}
		req = req.WithContext(caseroom.NewContextWithUser(req.Context(), root))
		w := httptest.NewRecorder()
		s.importHashSet(w, req, limit)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "larger than 64 bytes") {
			t.Errorf("declared %v: %d %s; want 400 saying the file is too large", declared, w.Code, w.Body)
		}
	}
	if got := listSets(e, "root"); len(got) != 0 {
		t.Errorf("sets after refused imports: %q", got)
	}
	// The same file within the limit is taken.
	req := httptest.NewRequest("POST", "/api/v1/hashsets?name=Big", strings.NewReader(body))
	req = req.WithContext(caseroom.NewContextWithUser(req.Context(), root))
	w := httptest.NewRecorder()
	s.importHashSet(w, req, int64(len(body)))
	if w.Code != http.StatusCreated {
		t.Errorf("a file at the limit: %d %s", w.Code, w.Body)
	}
}

// recorded is a file of the given content, with its digests, to record in the store.
func recorded(path, content string) caseroom.NewMedia {
	s1, m5 := sha1.Sum([]byte(content)), md5.Sum([]byte(content))
	return caseroom.NewMedia{Path: path, SHA256: sha256Hex(content), SHA1: hex.EncodeToString(s1[:]), MD5: hex.EncodeToString(m5[:]),
		Size: int64(len(content)), MIME: "application/octet-stream"}
}

// TestExportMediaHashes records files in a case, imports a set that knows two of them,
// and reads the case's VICS export back: one entry per distinct content, with its
// hashes and the category of the entry it matched.
func TestExportMediaHashes(t *testing.T) {
	e := newAPIEnv(t, "lead", "exam", outsider)
	addAdmin(t, e, "root")
	c := e.createCase("lead", map[string]caseroom.Role{"exam": caseroom.RoleExaminer})
	base := "/api/v1/cases/" + c
	post[caseroom.Exhibit](e, "lead", base+"/exhibits", map[string]any{"ref": "SB/1", "description": "A disc", "kind": "disc", "seizedAt": "2026-11-20T09:00:00Z"})

	const x = "f8f8f0cee0f4a84f06370a22028f67f0b36e2ed596621e1d33e6b39c4e9c9b22"
	photo := recorded("photos/a.jpg", "content of a photo")
	photo.Image = &caseroom.ImageHash{PDQ: x, Quality: 90}
	for i := range photo.Image.Dihedral {
		photo.Image.Dihedral[i] = x
	}
	notes, copied, other := recorded("docs/notes.txt", "notes"), recorded("docs/copy.txt", "notes"), recorded("docs/other.bin", "other")
	console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	if n, err := e.db.RecordMedia(console, c, "SB/1", []caseroom.NewMedia{photo, notes, copied, other}); err != nil || n != 4 {
		t.Fatalf("record media: %d, %v", n, err)
	}
	near, _ := hex.DecodeString(x)
	near[31] ^= 0x07 // three bits off: the same picture re-encoded
	set := vicsSet(`{"MediaID":7,"Category":2,"MD5":"`+notes.MD5+`"}`,
		`{"MediaID":8,"Category":1,"AlternativeHashes":[{"HashName":"PDQ","HashValue":"`+hex.EncodeToString(near)+`"}]}`,
		`{"MediaID":9,"Category":1,"MD5":"`+strings.Repeat("ab", 16)+`"}`)
	r := importSet(e, "root", "Project VIC", "application/json", set)
	mustStatus(t, r, http.StatusCreated)
	if got := decodeInto[caseroom.HashSet](t, r); got.Matched != 2 {
		t.Fatalf("the set matched %d contents; want 2", got.Matched)
	}

	r = e.do("exam", "GET", base+"/media/vics", nil)
	mustStatus(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename=`+c+`-hashes.json` && cd != `attachment; filename="`+c+`-hashes.json"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	var got []hashsets.Entry
	if _, err := hashsets.ReadVICS(bytes.NewReader(r.body), func(e hashsets.Entry) error {
		e.Line = 0
		got = append(got, e)
		return nil
	}); err != nil {
		t.Fatalf("the export does not read back: %v\n%s", err, r.body)
	}
	h, err := pdq.ParseHash(x)
	if err != nil {
		t.Fatal(err)
	}
	entry := func(m caseroom.NewMedia, category string, p *pdq.Hash) hashsets.Entry {
		return hashsets.Entry{Category: category, MD5: m.MD5, SHA1: m.SHA1, SHA256: m.SHA256, Size: m.Size, PDQ: p}
	}
	// One entry per distinct content, in order of SHA-256.
	want := []hashsets.Entry{entry(photo, "1", &h), entry(notes, "2", nil), entry(other, "", nil)}
	slices.SortFunc(want, func(a, b hashsets.Entry) int { return strings.Compare(a.SHA256, b.SHA256) })
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("exported entries (-want +got):\n%s", d)
	}

	// Someone outside the case does not learn that it exists.
	mustStatus(t, e.do(outsider, "GET", base+"/media/vics", nil), http.StatusNotFound)

	// A case without files exports an empty set.
	empty := e.createCase("lead", nil)
	r = e.do("lead", "GET", "/api/v1/cases/"+empty+"/media/vics", nil)
	mustStatus(t, r, http.StatusOK)
	if stats, err := hashsets.ReadVICS(bytes.NewReader(r.body), func(hashsets.Entry) error { return nil }); err != nil || stats.Entries != 0 {
		t.Errorf("empty export: %+v, %v\n%s", stats, err, r.body)
	}
}

// failingExport is a HashSetService whose export yields the entries given and then
// fails with err.
type failingExport struct {
	caseroom.HashSetService
	entries []caseroom.KnownHash
	err     error
}

func (f failingExport) ExportMediaHashes(ctx context.Context, caseID string, fn func(caseroom.KnownHash) error) error {
	for _, k := range f.entries {
		if err := fn(k); err != nil {
			return err
		}
	}
	return f.err
}

// TestExportMediaHashesCutShort shows that an export failing before its first entry
// answers with the error, and one failing later does not end as a valid file.
func TestExportMediaHashesCutShort(t *testing.T) {
	one := caseroom.KnownHash{SHA256: sha256Hex("a"), SHA1: strings.Repeat("1", 40), MD5: strings.Repeat("2", 32), Size: 1}
	var logged bytes.Buffer
	export := func(svc caseroom.HashSetService) *httptest.ResponseRecorder {
		s := &Server{HashSets: svc}
		req := httptest.NewRequest("GET", "/api/v1/cases/cas_abc/media/vics", nil)
		req.SetPathValue("case", "cas_abc")
		req = req.WithContext(context.WithValue(req.Context(), requestInfoKey{}, &requestInfo{logger: slog.New(slog.NewTextHandler(&logged, nil))}))
		w := httptest.NewRecorder()
		s.handleExportMediaHashes(w, req)
		return w
	}

	w := export(failingExport{err: caseroom.Errorf(caseroom.EFORBIDDEN, "not for advocates")})
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "not for advocates") {
		t.Errorf("refused export: %d %s", w.Code, w.Body)
	}

	logged.Reset()
	w = export(failingExport{entries: []caseroom.KnownHash{one, one}, err: errors.New("disk on fire")})
	if w.Code != http.StatusOK {
		t.Errorf("export cut short: status %d", w.Code)
	}
	if _, err := hashsets.ReadVICS(bytes.NewReader(w.Body.Bytes()), func(hashsets.Entry) error { return nil }); err == nil {
		t.Errorf("an export cut short reads as a whole file:\n%s", w.Body)
	}
	if !strings.Contains(logged.String(), "disk on fire") {
		t.Errorf("the failure was not logged: %q", logged.String())
	}

	w = export(failingExport{entries: []caseroom.KnownHash{one}})
	var n int
	if _, err := hashsets.ReadVICS(bytes.NewReader(w.Body.Bytes()), func(hashsets.Entry) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("a whole export reads back %d entries, %v:\n%s", n, err, w.Body)
	}
}
