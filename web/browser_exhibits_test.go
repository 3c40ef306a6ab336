package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"caseroom"
)

// demoUpload sends a benign synthetic picture into the demo case's first exhibit
// through the API, as the examiner, and returns the exhibit and the file's record.
func demoUpload(t *testing.T, site *demoSite, name string) (*caseroom.Exhibit, *caseroom.Media) {
	t.Helper()
	xs, err := site.DB.FindExhibits(caseroom.NewContextWithUser(context.Background(), caseroom.Console), site.CaseID)
	if err != nil || len(xs) == 0 {
		t.Fatalf("the demo case's exhibits: %v (%d)", err, len(xs))
	}
	x := xs[0]
	req, err := http.NewRequest("POST", site.URL+"/api/v1/cases/"+site.CaseID+"/exhibits/"+x.ID+"/media?by="+url.QueryEscape(x.Holder)+"&path="+url.QueryEscape(name), bytes.NewReader(gradientPNG(t, 480, 320)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+site.login(string(caseroom.RoleExaminer)).Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m caseroom.Media
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload %s: %d %v", name, resp.StatusCode, err)
	}
	return x, &m
}

// TestBrowserExhibitsAndMedia: an investigator sees an exhibit's chain and its files
// as rows of hashes, with no image and no way to reveal one; the examiner gives a
// reason, sees the blurred greyscale thumbnail, and the view is listed.
func TestBrowserExhibitsAndMedia(t *testing.T) {
	site := newDemoSite(t)
	x, m := demoUpload(t, site, "DCIM/test-pattern.png")
	b := newChrome(t, site)

	b.signIn(string(caseroom.RoleInvestigator))
	b.open(site.casePath("media"))
	if got := b.text("table.xm-media tbody"); !strings.Contains(got, "DCIM/test-pattern.png") || !strings.Contains(got, m.SHA256[:16]) {
		t.Errorf("the media list reads %q, want the uploaded file and its hash", got)
	}
	b.screenshot("media-list")
	b.open(site.casePath("exhibits"))
	b.screenshot("exhibits")
	b.do("open the exhibit", chromedp.Click(`//a[text()="`+x.Ref+`"]`), chromedp.WaitVisible(`//h2[starts-with(text(), "Chain of custody")]`))
	if got := b.text("ol.xm-chain li"); !strings.Contains(got, "seized") {
		t.Errorf("the chain's first event reads %q, want the seizure", got)
	}
	b.screenshot("exhibit")
	b.do("open the file", chromedp.Click(`//a[contains(text(), "DCIM/test-pattern.png")]`), chromedp.WaitVisible(`//h2[text()="Hashes"]`))
	if got := b.text("table.xm-hashes"); !strings.Contains(got, m.SHA256) || !strings.Contains(got, m.MD5) {
		t.Errorf("the hashes table reads %q, want the file's SHA-256 and MD5", got)
	}
	images := get(b, "count images", chromedp.Evaluate[int](`document.querySelectorAll("main img").length`))
	reveal := get(b, "look for the reveal", chromedp.Evaluate[int](`document.querySelectorAll("textarea[name=reason]").length`))
	if images != 0 || reveal != 0 {
		t.Errorf("the investigator's media page has %d images and %d reveal forms, want none", images, reveal)
	}
	b.do("sign out", chromedp.Click(`button.link`), chromedp.WaitVisible(`//p[contains(text(), "You have signed out.")]`))

	b.signIn(string(caseroom.RoleExaminer))
	b.open(site.casePath("media", m.ID))
	b.do("ask to see the content",
		chromedp.SendKeys(chromedp.ID("reason"), "Checking the test pattern against the complaint."),
		chromedp.Click(`//button[text()="View a blurred greyscale thumbnail"]`),
		chromedp.WaitVisible(`figure.xm-thumb img`))
	src := get(b, "the thumbnail's source", chromedp.Evaluate[string](`document.querySelector("figure.xm-thumb img").getAttribute("src")`))
	if !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("the thumbnail's source starts %.40q, want a data:image/png URI", src)
	}
	if got := b.text("table.xm-views"); !strings.Contains(got, site.login(string(caseroom.RoleExaminer)).User) || !strings.Contains(got, "Checking the test pattern") {
		t.Errorf("the views read %q, want the examiner's view with the reason", got)
	}
	b.screenshot("media")
	// The page that answered the request is the only place the picture is shown.
	b.open(site.casePath("media", m.ID))
	if n := get(b, "count images", chromedp.Evaluate[int](`document.querySelectorAll("main img").length`)); n != 0 {
		t.Errorf("the media page shows %d images when opened again", n)
	}
}

// TestUIExhibitsRenderTimes logs how long the area's pages take on the demo case (with
// a few files uploaded): a figure to report, not a limit.
func TestUIExhibitsRenderTimes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the demo case")
	}
	site := newDemoSite(t)
	x, m := demoUpload(t, site, "a.png")
	demoUpload(t, site, "b.png")
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	l := site.login(string(caseroom.RoleInvestigator))
	resp, err := client.PostForm(site.URL+"/signin", url.Values{"user": {l.User}, "password": {l.Password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v", err)
	}
	resp.Body.Close()
	for _, path := range []string{"exhibits", "exhibits/" + x.ID, "media", "media/" + m.ID} {
		var ds []time.Duration
		for range 15 {
			start := time.Now()
			resp, err := client.Get(site.casePath(path))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			buf.ReadFrom(resp.Body)
			resp.Body.Close()
			ds = append(ds, time.Since(start))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", path, resp.StatusCode)
			}
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("%-40s median %v, slowest %v", "/cases/{case}/"+strings.SplitN(path, "/", 2)[0]+map[bool]string{true: "/{id}"}[strings.Contains(path, "/")], ds[len(ds)/2], ds[len(ds)-1])
	}
}
