package web

// End-to-end tests of the web UI in a real headless Chromium (Debian's chromium
// package), driven with chromedp, against the whole server on a seeded demo case.
// Without Chromium the tests skip with a message; under CI (CI set) they fail.

import (
	"context"
	"encoding/base32"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"caseroom"
	"caseroom/audit"
	"caseroom/blob"
	"caseroom/demo"
	"caseroom/sqlstore"
	"caseroom/totp"
)

// demoSite is the whole server, serving a freshly seeded demo case on 127.0.0.1:0.
type demoSite struct {
	t      testing.TB
	URL    string
	CaseID string
	DB     *sqlstore.DB
	logins map[string]demo.Login
}

// newDemoSite seeds the demo case into a new store and serves it until the test ends.
func newDemoSite(t testing.TB) *demoSite {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "caseroom.db")
	db, err := sqlstore.Open(context.Background(), path, sqlstore.Options{KeyFile: path + ".key"})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	res, err := demo.Seed(context.Background(), db)
	if err != nil {
		db.Close()
		t.Fatalf("seed demo: %v", err)
	}
	key, err := audit.LoadOrCreateLogKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatalf("log key: %v", err)
	}
	srv := NewServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.Log = &audit.Log{Store: db, Key: key, Now: db.Now}
	blobs, err := blob.NewDisk(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatalf("blob store: %v", err)
	}
	srv.Blobs = blobs
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		blobs.Close()
		db.Close()
	})
	s := &demoSite{t: t, URL: "http://" + ln.Addr().String(), CaseID: res.CaseID, DB: db, logins: map[string]demo.Login{}}
	for _, l := range res.Logins {
		s.logins[l.User] = l
		if l.Role != "" {
			s.logins[string(l.Role)] = l
		}
	}
	return s
}

// login returns the demo login of a user, by user name or by role in the demo case.
func (s *demoSite) login(userOrRole string) demo.Login {
	s.t.Helper()
	l, ok := s.logins[userOrRole]
	if !ok {
		s.t.Fatalf("no demo login %q", userOrRole)
	}
	return l
}

// casePath is the path of a page of the demo case.
func (s *demoSite) casePath(parts ...string) string {
	return s.URL + "/cases/" + s.CaseID + strings.Join(append([]string{""}, parts...), "/")
}

// chromiumPath finds Chromium, or skips the test (fails it under CI) when there is none.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is not installed, and CI is set: the browser tests must run (.ci/run installs Debian's chromium package)")
	}
	t.Skip("Chromium is not installed (Debian: apt-get install chromium); skipping the browser tests")
	return ""
}

// chrome is one headless Chromium with one tab, closed when the test ends.
type chrome struct {
	t    *testing.T
	site *demoSite
	ctx  context.Context
}

// newChrome starts a headless Chromium for the test. It uses no network but the
// test's server: background networking, sync and component updates are off.
func newChrome(t *testing.T, site *demoSite) *chrome {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1366, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// Start the browser now, so that a failure to start is reported as such.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &chrome{t: t, site: site, ctx: ctx}
}

// do runs the steps in order with a time limit, failing the test on an error.
func (b *chrome) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v (page %s)", what, err, b.location())
	}
}

// get runs one action that returns a value, failing the test on an error.
func get[T any](b *chrome, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v (page %s)", what, err, b.location())
	}
	return v
}

// location is the address of the page shown, for messages.
func (b *chrome) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

// text returns the visible text of the first element matching sel (CSS or XPath).
func (b *chrome) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(get(b, "read "+sel, chromedp.Text(sel)))
}

// open navigates to url and waits for the page's main element.
func (b *chrome) open(url string) {
	b.t.Helper()
	b.do("open "+url, chromedp.Navigate(url), chromedp.WaitVisible("main"))
}

// totpUsed keeps, per second-factor secret (each demo site enrols its own), the last
// time step whose code was used: a store accepts a code once, so a second sign-in of
// the same user on the same site within 30 seconds waits for the next.
var totpUsed sync.Map

// signIn signs in through the form as a demo user (by name or role), with the
// authentication code of their second factor if they have one, and waits for the
// list of cases.
func (b *chrome) signIn(userOrRole string) {
	b.t.Helper()
	l := b.site.login(userOrRole)
	b.open(b.site.URL + "/signin")
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(chromedp.ID("user"), l.User),
		chromedp.SendKeys(chromedp.ID("password"), l.Password),
	}
	if l.TOTP != "" {
		steps = append(steps, chromedp.SendKeys(chromedp.ID("code"), b.code(l)))
	}
	steps = append(steps, chromedp.Submit(chromedp.ID("password")), chromedp.WaitVisible(`//h1[text()="Your cases"]`))
	b.do("sign in as "+l.User, steps...)
}

// code is the current authentication code of a demo login, never one used before.
func (b *chrome) code(l demo.Login) string {
	b.t.Helper()
	return totpCode(b.t, l)
}

// totpCode is the current authentication code of a demo login, never one used before
// in this test binary (a code is accepted once: a second sign-in of the same user
// within 30 seconds waits for the next one).
func totpCode(t testing.TB, l demo.Login) string {
	t.Helper()
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(l.TOTP))
	if err != nil {
		t.Fatalf("TOTP secret of %s: %v", l.User, err)
	}
	step := totp.Step(time.Now())
	if last, ok := totpUsed.Load(l.TOTP); ok && last.(int64) >= step {
		time.Sleep(time.Until(time.Unix((last.(int64)+1)*30, 0)))
		step = totp.Step(time.Now())
	}
	totpUsed.Store(l.TOTP, step)
	return totp.Code(secret, step, 6)
}

// screenshot saves a full-page PNG named name.png into $CASEROOM_SCREENSHOTS, if set.
func (b *chrome) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("CASEROOM_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(b, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatalf("save screenshot: %v", err)
	}
}

func TestBrowserSignInAndDashboard(t *testing.T) {
	site := newDemoSite(t)
	b := newChrome(t, site)
	b.signIn(string(caseroom.RoleLead))
	if who := b.text(".who"); !strings.Contains(who, "lead.rana") {
		t.Errorf("header says %q, want the signed-in user", who)
	}
	b.do("open the demo case", chromedp.Click(`//a[contains(text(), "Operation Quiet Lantern")]`), chromedp.WaitVisible(`//h1[text()="Where the case stands"]`))
	complaints := b.text(`//span[@class="l" and text()="complaints"]/preceding-sibling::span`)
	if complaints != "18" {
		t.Errorf("dashboard shows %q complaints, want the demo's 18", complaints)
	}
	b.screenshot("signin-dashboard")

	// Signing out ends the session: the case's pages send the browser to sign in.
	b.do("sign out", chromedp.Click(`button.link`), chromedp.WaitVisible(`//p[contains(text(), "You have signed out.")]`))
	b.open(site.casePath())
	if h := b.text("h1"); h != "Sign in to Caseroom" {
		t.Errorf("after signing out, the dashboard shows %q", h)
	}
}
