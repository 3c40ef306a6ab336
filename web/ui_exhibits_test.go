package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"caseroom"
)

// The exhibits and media pages, driven over HTTP with a session as a browser would:
// what each role sees, the custody form, and the examiner's reasoned, recorded reveal.

// exhibitsEnv is a case with a lead (lena), an investigator (imran), an examiner
// (erum) and oversight (omar); an exhibit SB/1 with a synthetic picture uploaded into
// it, and a second case with a file of its own.
type exhibitsEnv struct {
	*apiEnv
	caseID, exhibitID string
	photo             *caseroom.Media
	otherCase         *caseroom.Media
}

// gradientPNG is a benign synthetic picture: a colour gradient crossed by a grid.
func gradientPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(255 * x / w), uint8(255 * y / h), 128, 255}
			if x%12 < 2 || y%12 < 2 {
				c = color.RGBA{0, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func newExhibitsEnv(t *testing.T) *exhibitsEnv {
	t.Helper()
	e := &exhibitsEnv{apiEnv: newAPIEnv(t, "lena", "imran", "erum", "omar")}
	e.caseID = e.createCase("lena", map[string]caseroom.Role{"imran": caseroom.RoleInvestigator, "erum": caseroom.RoleExaminer, "omar": caseroom.RoleOversight})
	seized := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	x := post[caseroom.Exhibit](e.apiEnv, "lena", "/api/v1/cases/"+e.caseID+"/exhibits",
		caseroom.NewExhibit{Ref: "SB/1", Description: "A phone found at the shop", Kind: caseroom.ExhibitPhone, SeizedAt: &seized, Place: "Chak 12", Seal: "S-0001"})
	e.exhibitID = x.ID
	e.photo = e.upload("erum", e.caseID, x.ID, "DCIM/pattern.png", gradientPNG(t, 480, 320))
	other := e.createCase("lena", nil)
	y := post[caseroom.Exhibit](e.apiEnv, "lena", "/api/v1/cases/"+other+"/exhibits",
		caseroom.NewExhibit{Ref: "GK/1", Description: "Another case's disc", Kind: caseroom.ExhibitDisc, SeizedAt: &seized})
	e.otherCase = e.upload("lena", other, y.ID, "other.png", gradientPNG(t, 64, 64))
	return e
}

// upload sends a file into an exhibit through the API, as examined by lena (who holds
// every exhibit here), and returns its record.
func (e *exhibitsEnv) upload(user, caseID, exhibitID, name string, data []byte) *caseroom.Media {
	e.t.Helper()
	r := e.do(user, "POST", "/api/v1/cases/"+caseID+"/exhibits/"+exhibitID+"/media?by=lena&path="+url.QueryEscape(name), string(data))
	mustStatus(e.t, r, http.StatusCreated)
	m := decodeInto[caseroom.Media](e.t, r)
	return &m
}

// views reads the recorded views of the photo at the console.
func (e *exhibitsEnv) views() []*caseroom.MediaView {
	e.t.Helper()
	vs, err := e.db.FindMediaViews(caseroom.NewContextWithUser(context.Background(), caseroom.Console), e.caseID, e.photo.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return vs
}

// session is a signed-in browser: a cookie jar, redirects not followed.
type session struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string
}

// page is one answer to the session.
type page struct {
	status int
	header http.Header
	body   string
}

// main is the page's main element: what the page shows besides the header.
func (p page) main() string {
	if i := strings.Index(p.body, `<main`); i >= 0 {
		return p.body[i:]
	}
	return ""
}

func (e *exhibitsEnv) signIn(t *testing.T, user string) *session {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := *e.srv.Client()
	client.Jar = jar
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s := &session{t: t, base: e.srv.URL, client: &client}
	if p := s.post("/signin", url.Values{"user": {user}, "password": {envPassword}}); p.status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d\n%s", user, p.status, p.body)
	}
	// The CSRF token, as a form carries it.
	p := s.get("/cases")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token on the cases page")
	}
	s.csrf = m[1]
	return s
}

func (s *session) send(req *http.Request) page {
	s.t.Helper()
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (s *session) get(path string) page {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.base+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.send(req)
}

// post sends a form as is (add the csrf field with form()).
func (s *session) post(path string, v url.Values) page {
	s.t.Helper()
	req, err := http.NewRequest("POST", s.base+path, strings.NewReader(v.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.send(req)
}

// form is v with the session's CSRF token.
func (s *session) form(v url.Values) url.Values {
	v.Set("csrf", s.csrf)
	return v
}

func wantStatus(t *testing.T, p page, status int) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d\n%s", p.status, status, p.main())
	}
}

func wantIn(t *testing.T, what, body string, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not show %q", what, w)
		}
	}
}

// thumbnailOf returns the PNG of the page's inline thumbnail, or nil.
func thumbnailOf(t *testing.T, p page) []byte {
	t.Helper()
	m := regexp.MustCompile(`<img src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(p.body)
	if m == nil {
		return nil
	}
	data, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatalf("thumbnail data: %v", err)
	}
	return data
}

func TestUIExhibitPages(t *testing.T) {
	e := newExhibitsEnv(t)
	inv := e.signIn(t, "imran")
	c := "/cases/" + e.caseID

	t.Run("exhibits list", func(t *testing.T) {
		p := inv.get(c + "/exhibits")
		wantStatus(t, p, http.StatusOK)
		wantIn(t, "the exhibits list", p.main(), "SB/1", "A phone found at the shop", "phone", `href="`+c+`/exhibits/`+e.exhibitID+`"`,
			`href="`+c+`/media?exhibit=`+e.exhibitID+`">1</a>`)
	})
	t.Run("exhibit page", func(t *testing.T) {
		p := inv.get(c + "/exhibits/" + e.exhibitID)
		wantStatus(t, p, http.StatusOK)
		wantIn(t, "the exhibit page", p.main(), "Exhibit <span class=\"mono\">SB/1</span>", "Chain of custody", "seized", "S-0001",
			"Record the next custody event", "DCIM/pattern.png", "image/png", e.photo.SHA256[:16])
		if strings.Contains(p.main(), "<img") {
			t.Errorf("the exhibit page shows an image")
		}
		// By reference too.
		wantStatus(t, inv.get(c+"/exhibits/SB%2F1"), http.StatusOK)
		wantStatus(t, inv.get(c+"/exhibits/SB%2F9"), http.StatusNotFound)
	})
	t.Run("media list", func(t *testing.T) {
		p := inv.get(c + "/media")
		wantStatus(t, p, http.StatusOK)
		wantIn(t, "the media list", p.main(), "unique contents", "matched known sets", "clusters of near-duplicates", "DCIM/pattern.png", e.photo.SHA256[:16])
		if strings.Contains(p.main(), "<img") {
			t.Errorf("the media list shows an image")
		}
		p = inv.get(c + "/media?matched=known")
		wantStatus(t, p, http.StatusOK)
		if strings.Contains(p.main(), "DCIM/pattern.png") {
			t.Errorf("the filter on known matches lists a file with none")
		}
		wantIn(t, "the filtered list", p.main(), "that match these filters")
		p = inv.get(c + "/media?exhibit=SB%2F1")
		wantIn(t, "the list of SB/1's files", p.main(), "DCIM/pattern.png")
	})
	t.Run("media page", func(t *testing.T) {
		p := inv.get(c + "/media/" + e.photo.ID)
		wantStatus(t, p, http.StatusOK)
		wantIn(t, "the media page", p.main(), e.photo.SHA256, e.photo.SHA1, e.photo.MD5, e.photo.PDQ, "quality", "480 × 320 pixels",
			"The content of this file is not shown", "The lead, the examiner and oversight see who has viewed")
		if strings.Contains(p.main(), "<img") || strings.Contains(p.body, "data:image") {
			t.Errorf("the media page shows an image by default")
		}
		if strings.Contains(p.body, "View a blurred greyscale thumbnail") {
			t.Errorf("an investigator is offered the reveal")
		}
		if cc := p.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		wantStatus(t, inv.get(c+"/media/med_nosuchfile"), http.StatusNotFound)
		wantStatus(t, inv.get(c+"/media/"+e.otherCase.ID), http.StatusNotFound)
	})
}

func TestUICustodyForm(t *testing.T) {
	e := newExhibitsEnv(t)
	inv := e.signIn(t, "imran")
	path := "/cases/" + e.caseID + "/exhibits/" + e.exhibitID
	chain := func() int {
		x, err := e.db.FindExhibit(caseroom.NewContextWithUser(context.Background(), caseroom.Console), e.caseID, e.exhibitID)
		if err != nil {
			t.Fatal(err)
		}
		return len(x.Custody)
	}
	// The case's zone is UTC: the form's times are read in it.
	form := func(event, by, to, at, purpose string) url.Values {
		return inv.form(url.Values{"event": {event}, "by": {by}, "to": {to}, "at": {at}, "purpose": {purpose}, "place": {"Police station"}})
	}

	for _, tc := range []struct {
		name     string
		v        url.Values
		status   int
		message  string
		keptText string
	}{
		{"before the seizure", form("sealed", "lena", "", "2026-11-19T09:00", "Sealed in a bag marked SB/1"), http.StatusConflict, "before the chain", "Sealed in a bag marked SB/1"},
		{"by someone who does not hold it", form("examined", "imran", "", "2026-11-21T09:00", "Listing the files"), http.StatusConflict, "does not hold", "Listing the files"},
		{"a transfer to no one", form("transferred", "lena", "", "2026-11-21T09:00", "To the lab"), http.StatusBadRequest, "to: required", "To the lab"},
		{"a time that is not one", form("sealed", "lena", "", "yesterday", "Sealed"), http.StatusBadRequest, "is not a date and time", "yesterday"},
		{"an unknown event", form("lost", "lena", "", "2026-11-21T09:00", "Lost"), http.StatusBadRequest, "not a custody event", "Lost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := chain()
			p := inv.post(path+"/custody", tc.v)
			wantStatus(t, p, tc.status)
			wantIn(t, "the refused form", p.main(), tc.message, tc.keptText, `class="flash error"`)
			if chain() != before {
				t.Errorf("a refused event was recorded")
			}
		})
	}
	t.Run("without the CSRF token", func(t *testing.T) {
		v := form("sealed", "lena", "", "2026-11-21T09:00", "Sealed")
		v.Del("csrf")
		before := chain()
		wantStatus(t, inv.post(path+"/custody", v), http.StatusForbidden)
		if chain() != before {
			t.Errorf("an event without the CSRF token was recorded")
		}
	})
	t.Run("recorded", func(t *testing.T) {
		p := inv.post(path+"/custody", form("transferred", "lena", "imran", "2026-11-21T09:00", "To the examiner's lab"))
		wantStatus(t, p, http.StatusSeeOther)
		if loc := p.header.Get("Location"); !strings.HasPrefix(loc, path+"?done=") {
			t.Fatalf("redirect to %q", loc)
		}
		p = inv.get(p.header.Get("Location"))
		wantIn(t, "the exhibit page after the transfer", p.main(), "Recorded: SB/1 transferred", "To the examiner&#39;s lab", `<p class="xm-holder" dir="auto">imran</p>`)
	})
	t.Run("oversight sees no form and is refused", func(t *testing.T) {
		over := e.signIn(t, "omar")
		p := over.get(path)
		wantStatus(t, p, http.StatusOK)
		if strings.Contains(p.body, "Record the next custody event") {
			t.Errorf("oversight is offered the custody form")
		}
		before := chain()
		wantStatus(t, over.post(path+"/custody", over.form(url.Values{"event": {"sealed"}, "at": {"2026-11-22T09:00"}})), http.StatusForbidden)
		if chain() != before {
			t.Errorf("oversight's event was recorded")
		}
	})
}

func TestUIMediaReveal(t *testing.T) {
	e := newExhibitsEnv(t)
	exam := e.signIn(t, "erum")
	inv := e.signIn(t, "imran")
	over := e.signIn(t, "omar")
	c := "/cases/" + e.caseID
	view := c + "/media/" + e.photo.ID + "/view"
	const reason = "Comparing with the complainant's description of the room."

	t.Run("the examiner is offered the reveal, nothing shown", func(t *testing.T) {
		p := exam.get(c + "/media/" + e.photo.ID)
		wantStatus(t, p, http.StatusOK)
		wantIn(t, "the examiner's media page", p.main(), "View a blurred greyscale thumbnail", `name="reason"`, "No one has viewed this content.")
		if strings.Contains(p.main(), "<img") {
			t.Errorf("the media page shows an image before the examiner asks")
		}
	})
	t.Run("refusals write nothing", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			s      *session
			path   string
			v      url.Values
			status int
		}{
			{"investigator", inv, view, inv.form(url.Values{"reason": {"Curious."}}), http.StatusForbidden},
			{"oversight", over, view, over.form(url.Values{"reason": {"Inspecting."}}), http.StatusForbidden},
			{"empty reason", exam, view, exam.form(url.Values{"reason": {"   "}}), http.StatusBadRequest},
			{"no CSRF token", exam, view, url.Values{"reason": {reason}}, http.StatusForbidden},
			{"unknown file", exam, c + "/media/med_nosuchfile/view", exam.form(url.Values{"reason": {reason}}), http.StatusNotFound},
			{"another case's file", exam, c + "/media/" + e.otherCase.ID + "/view", exam.form(url.Values{"reason": {reason}}), http.StatusNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := tc.s.post(tc.path, tc.v)
				wantStatus(t, p, tc.status)
				if strings.Contains(p.body, "data:image") {
					t.Errorf("a refused request shows the content")
				}
				if n := len(e.views()); n != 0 {
					t.Errorf("a refused request recorded %d views", n)
				}
			})
		}
		p := exam.post(view, exam.form(url.Values{"reason": {"   "}}))
		wantIn(t, "the refusal of an empty reason", p.main(), "reason: required", "View a blurred greyscale thumbnail")
		// Not reachable by a GET.
		if p := exam.get(view); p.status == http.StatusOK || strings.Contains(p.body, "data:image") {
			t.Errorf("GET %s answers %d", view, p.status)
		}
	})
	t.Run("the examiner gives a reason and sees the blurred thumbnail", func(t *testing.T) {
		before := time.Now().Add(-time.Second)
		p := exam.post(view, exam.form(url.Values{"reason": {reason}}))
		wantStatus(t, p, http.StatusOK)
		if cc := p.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		data := thumbnailOf(t, p)
		if data == nil {
			t.Fatalf("no inline thumbnail on the answer:\n%s", p.main())
		}
		g := decodeThumbnail(t, data)
		if b := g.Bounds(); b.Dx() != 160 || b.Dy() != 107 {
			t.Errorf("thumbnail of a 480x320 picture is %dx%d, want 160x107", b.Dx(), b.Dy())
		}
		// The source's grid of dark lines every 12 pixels (4 at the thumbnail's size)
		// is gone: neighbouring pixels barely differ.
		if _, sd, detail := greyStats(g); detail > 1 || sd > 40 {
			t.Errorf("thumbnail keeps detail: sd %.1f, neighbour difference %.2f", sd, detail)
		}
		vs := e.views()
		if len(vs) != 1 {
			t.Fatalf("%d views recorded, want 1", len(vs))
		}
		v := vs[0]
		if v.User != "erum" || v.Role != caseroom.RoleExaminer || v.Reason != reason || v.MediaID != e.photo.ID || v.SHA256 != e.photo.SHA256 {
			t.Errorf("recorded view %+v", v)
		}
		if v.At.Before(before) || v.At.After(time.Now().Add(time.Second)) {
			t.Errorf("view recorded at %v, want the server's time now", v.At)
		}
		wantIn(t, "the answer", p.main(), "Your view was recorded", "Blurred and greyscale on purpose", html.EscapeString(reason))
	})
	t.Run("the views are listed to the lead's circle, not to the investigator", func(t *testing.T) {
		for _, s := range []*session{exam, over} {
			p := s.get(c + "/media/" + e.photo.ID)
			wantIn(t, "the media page's views", p.main(), "erum", html.EscapeString(reason))
			if strings.Contains(p.main(), "<img") {
				t.Errorf("the media page shows the content again after a view")
			}
		}
		p := inv.get(c + "/media/" + e.photo.ID)
		if strings.Contains(p.main(), html.EscapeString(reason)) {
			t.Errorf("the investigator sees the views")
		}
	})
	t.Run("the audit page says what the view was", func(t *testing.T) {
		p := over.get(c + "/audit")
		wantStatus(t, p, http.StatusOK)
		wantIn(t, "the audit page", p.main(), `File content viewed, blurred <span class="muted mono">media.view</span>`,
			`Exhibit registered`, `File recorded from an exhibit <span class="muted mono">media.ingest</span>`)
	})
}

// TestUIMediaFilters filters the media list by cluster and by known-set match: the
// service does the filtering, and the next page carries the filters.
func TestUIMediaFilters(t *testing.T) {
	e := newExhibitsEnv(t)
	console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	// A near-duplicate of the photo (its PDQ three bits off), and an unrelated file
	// that a known set lists.
	h, err := hex.DecodeString(e.photo.PDQ)
	if err != nil || len(h) != 32 {
		t.Fatalf("the photo's PDQ %q", e.photo.PDQ)
	}
	h[31] ^= 0x07
	near := caseroom.NewMedia{Path: "DCIM/pattern-small.jpg", SHA256: sha256Hex("small"), SHA1: strings.Repeat("1", 40), MD5: strings.Repeat("2", 32), Size: 5, MIME: "image/jpeg",
		Image: &caseroom.ImageHash{PDQ: hex.EncodeToString(h), Quality: 90}}
	for i := range near.Image.Dihedral {
		near.Image.Dihedral[i] = near.Image.PDQ
	}
	listed := caseroom.NewMedia{Path: "notes/listed.txt", SHA256: sha256Hex("listed"), SHA1: strings.Repeat("3", 40), MD5: strings.Repeat("4", 32), Size: 6, MIME: "text/plain"}
	if _, err := e.db.RecordMedia(console, e.caseID, "SB/1", []caseroom.NewMedia{near, listed}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ImportHashSet(console, caseroom.NewHashSet{Name: "National list", Format: "vics", SourceSHA256: sha256Hex("National list"),
		Entries: func(yield func(caseroom.KnownHash) error) error {
			return yield(caseroom.KnownHash{MediaID: "1", Category: "1", MD5: listed.MD5})
		}}); err != nil {
		t.Fatal(err)
	}
	ms, err := e.db.FindMedia(console, e.caseID, caseroom.MediaFilter{ID: e.photo.ID})
	if err != nil || len(ms) != 1 || ms[0].Cluster == "" {
		t.Fatalf("the photo and its near-duplicate form no cluster: %+v, %v", ms, err)
	}
	cluster := ms[0].Cluster
	inv := e.signIn(t, "imran")
	c := "/cases/" + e.caseID
	for _, tc := range []struct {
		query      string
		shown, not []string
	}{
		{"cluster=" + cluster, []string{"DCIM/pattern.png", "DCIM/pattern-small.jpg"}, []string{"notes/listed.txt"}},
		{"matched=known", []string{"notes/listed.txt"}, []string{"DCIM/pattern.png", "DCIM/pattern-small.jpg"}},
		{"matched=known&cluster=" + cluster, nil, []string{"DCIM/pattern.png", "DCIM/pattern-small.jpg", "notes/listed.txt"}},
	} {
		p := inv.get(c + "/media?" + tc.query)
		wantStatus(t, p, http.StatusOK)
		wantIn(t, "?"+tc.query, p.main(), tc.shown...)
		for _, w := range tc.not {
			if strings.Contains(p.main(), w) {
				t.Errorf("?%s lists %s", tc.query, w)
			}
		}
	}
	// The exhibits list counts the files of SB/1 from the exhibit itself.
	p := inv.get(c + "/exhibits")
	wantIn(t, "the exhibits list", p.main(), `href="`+c+`/media?exhibit=`+e.exhibitID+`">3</a>`)
}
