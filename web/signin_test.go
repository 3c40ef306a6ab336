package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"caseroom"
	"caseroom/totp"
)

// The tests in this file drive web sign-in over real HTTP as a browser would, with a
// cookie jar, against a store and a server that share a fake clock.

// envPassword is the password newAPIEnv gives every user.
const envPassword = "correct horse battery staple"

// syncBuffer is a log sink that the server's goroutines may write concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// signInEnv is an apiEnv whose server logs to a buffer and whose store and server
// read one fake clock; "root" is an administrator with a token.
type signInEnv struct {
	*apiEnv
	now *time.Time
	log *syncBuffer
	srv *Server
}

func newSignInEnv(t *testing.T, users ...string) *signInEnv {
	t.Helper()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	e := &signInEnv{apiEnv: newAPIEnv(t, users...), now: &start, log: &syncBuffer{}}
	ctx := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	if _, err := e.db.CreateUser(ctx, caseroom.NewUser{Name: "root", Password: envPassword, Admin: true}); err != nil {
		t.Fatal(err)
	}
	tok, err := e.db.CreateToken(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["root"] = tok.Secret
	clock := func() time.Time { return *e.now }
	e.db.Now = clock
	e.apiEnv.srv.Close()
	e.srv = NewServer(e.db, slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	e.srv.Now = clock
	e.apiEnv.srv = httptest.NewServer(e.srv)
	return e
}

func (e *signInEnv) advance(d time.Duration) { *e.now = e.now.Add(d) }

// in returns a copy of e that reports failures to subtest t.
func (e *signInEnv) in(t *testing.T) *signInEnv {
	c := *e
	c.apiEnv = e.apiEnv.in(t)
	return &c
}

// browser is one browser: a cookie jar, and no following of redirects so that each
// response can be checked.
type browser struct {
	e      *signInEnv
	t      *testing.T
	client *http.Client
}

func (e *signInEnv) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := *e.apiEnv.srv.Client()
	client.Jar = jar
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{e: e, t: t, client: &client}
}

// do sends a request from the browser and checks a JSON response against the
// document, as apiEnv.send does.
func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: body}
	b.e.apiEnv.in(b.t).checkDocumented(req, r)
	return r
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.e.apiEnv.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

func (b *browser) postForm(path string, form url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest("POST", b.e.apiEnv.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	return b.do(req)
}

// api calls the JSON API with the session cookie and, if csrf is not "", the
// X-CSRF-Token header.
func (b *browser) api(method, path, csrf string, body any) response {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		j, err := jsonBody(body)
		if err != nil {
			b.t.Fatal(err)
		}
		rd = j
	}
	req, err := http.NewRequest(method, b.e.apiEnv.srv.URL+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set(CSRFHeader, csrf)
	}
	return b.do(req)
}

func jsonBody(v any) (io.Reader, error) {
	j, err := json.Marshal(v)
	return bytes.NewReader(j), err
}

// signIn posts the form and returns the response.
func (b *browser) signIn(user, password, code string) response {
	b.t.Helper()
	return b.postForm("/signin", url.Values{"user": {user}, "password": {password}, "code": {code}})
}

// mustSignIn signs in and returns the session cookie's value.
func (b *browser) mustSignIn(user, password, code string) string {
	b.t.Helper()
	r := b.signIn(user, password, code)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		b.t.Fatalf("sign in as %s: %d %s\n%s", user, r.status, r.header.Get("Location"), r.body)
	}
	return b.cookie()
}

// cookie returns the session cookie the browser holds, or "".
func (b *browser) cookie() string {
	u, _ := url.Parse(b.e.apiEnv.srv.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == SessionCookie {
			return c.Value
		}
	}
	return ""
}

// csrf reads the session's CSRF token as an API client would: from the header of a
// response to the session.
func (b *browser) csrf() string {
	b.t.Helper()
	r := b.api("GET", "/api/v1/me", "", nil)
	mustStatus(b.t, r, http.StatusOK)
	tok := r.header.Get(CSRFHeader)
	if tok == "" {
		b.t.Fatal("a session response carries no CSRF token")
	}
	return tok
}

// withCookie sends a request carrying only the given session cookie.
func (e *signInEnv) withCookie(t *testing.T, method, path, cookie string) response {
	t.Helper()
	req, err := http.NewRequest(method, e.apiEnv.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: cookie})
	return e.in(t).send(req)
}

func TestSignInPage(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser(t)
	r := b.get("/signin")
	mustStatus(t, r, http.StatusOK)
	page := string(r.body)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{
		`<html lang="en">`, `<form method="post" action="/signin">`,
		`<label for="user">`, `id="user" name="user"`, `<label for="password">`, `id="password" name="password" type="password"`,
		`<label for="code">`, `id="code" name="code"`, `autocomplete="one-time-code"`, `<button type="submit">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the sign-in page lacks %s", want)
		}
	}
	for _, banned := range []string{"<script", "http://", "https://", "src="} {
		if strings.Contains(page, banned) {
			t.Errorf("the sign-in page holds %q: it must load nothing and run no script", banned)
		}
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if b.cookie() != "" {
		t.Error("showing the form set a session cookie")
	}
}

func TestWebSignIn(t *testing.T) {
	e := newSignInEnv(t, "pat", "sam")
	b := e.browser(t)
	r := b.signIn("pat", envPassword, "")
	mustStatus(t, r, http.StatusSeeOther)
	set := r.header.Get("Set-Cookie")
	for _, want := range []string{SessionCookie + "=crs_", "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("Set-Cookie %q is Secure over plain HTTP", set)
	}
	first := b.cookie()
	if len(strings.TrimPrefix(first, "crs_")) < 26 {
		t.Fatalf("session secret %q is shorter than 128 bits", first)
	}

	t.Run("the start page and the API know the user", func(t *testing.T) {
		b.t = t
		home := b.get("/")
		if !strings.Contains(string(home.body), "signed in as <strong>pat</strong>") {
			t.Errorf("start page:\n%s", home.body)
		}
		me := b.api("GET", "/api/v1/me", "", nil)
		mustStatus(t, me, http.StatusOK)
		if u := decodeInto[caseroom.User](t, me); u.Name != "pat" {
			t.Errorf("me = %+v", u)
		}
	})

	t.Run("each sign-in gets a new session and ends the old one", func(t *testing.T) {
		b.t = t
		second := b.mustSignIn("pat", envPassword, "")
		if second == first {
			t.Fatal("the session secret was reused")
		}
		mustStatus(t, e.withCookie(t, "GET", "/api/v1/me", first), http.StatusUnauthorized)
		mustStatus(t, e.withCookie(t, "GET", "/api/v1/me", second), http.StatusOK)
		other := e.browser(t).mustSignIn("pat", envPassword, "")
		mustStatus(t, e.withCookie(t, "GET", "/api/v1/me", second), http.StatusOK)
		if other == second {
			t.Error("two browsers share a session")
		}
	})

	t.Run("unknown user and wrong password get the same answer", func(t *testing.T) {
		b := e.browser(t)
		var unknown, wrong []response
		var tUnknown, tWrong []time.Duration
		for range 3 {
			start := time.Now()
			unknown = append(unknown, b.signIn("nobody", envPassword, ""))
			tUnknown = append(tUnknown, time.Since(start))
			start = time.Now()
			wrong = append(wrong, b.signIn("sam", "not the password", ""))
			tWrong = append(tWrong, time.Since(start))
		}
		for i := range unknown {
			if unknown[i].status != http.StatusUnauthorized || wrong[i].status != unknown[i].status {
				t.Errorf("statuses %d and %d; want 401 for both", unknown[i].status, wrong[i].status)
			}
			if !bytes.Equal(unknown[i].body, wrong[i].body) {
				t.Errorf("bodies differ:\n%s\n---\n%s", unknown[i].body, wrong[i].body)
			}
			if d := headerDiff(unknown[i].header, wrong[i].header); d != "" {
				t.Errorf("headers differ: %s", d)
			}
		}
		if !strings.Contains(string(wrong[0].body), caseroom.ErrSignInFailed.Message) {
			t.Errorf("failure page:\n%s", wrong[0].body)
		}
		// Both pay for an argon2id hash. Timing is measured, not asserted (see
		// bench/README.md): a loaded machine would make any bound flaky.
		t.Logf("median time: unknown user %v, wrong password %v", median(tUnknown), median(tWrong))
	})

	t.Run("sign-out ends the session on the server", func(t *testing.T) {
		b := e.browser(t)
		cookie := b.mustSignIn("sam", envPassword, "")
		csrf := b.csrf()
		r := b.postForm("/signout", url.Values{})
		mustStatus(t, r, http.StatusForbidden)
		mustStatus(t, e.withCookie(t, "GET", "/api/v1/me", cookie), http.StatusOK)
		r = b.postForm("/signout", url.Values{"csrf": {csrf}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin?signed-out" {
			t.Fatalf("sign out: %d %s", r.status, r.header.Get("Location"))
		}
		if b.cookie() != "" {
			t.Error("the browser still holds the cookie")
		}
		// The cookie, replayed, no longer works.
		r = e.withCookie(t, "GET", "/api/v1/me", cookie)
		mustStatus(t, r, http.StatusUnauthorized)
		if page := b.get("/signin?signed-out"); !strings.Contains(string(page.body), "You have signed out.") {
			t.Errorf("after sign-out:\n%s", page.body)
		}
	})

	t.Run("a cross-site form post is refused", func(t *testing.T) {
		req, _ := http.NewRequest("POST", e.apiEnv.srv.URL+"/signin", strings.NewReader(url.Values{"user": {"pat"}, "password": {envPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		r := e.browser(t).do(req)
		mustStatus(t, r, http.StatusForbidden)
	})
	t.Run("a form without user or password", func(t *testing.T) {
		r := e.browser(t).postForm("/signin", url.Values{"user": {"pat"}})
		mustStatus(t, r, http.StatusBadRequest)
	})
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// headerDiff describes how two responses' headers differ, ignoring Date.
func headerDiff(a, b http.Header) string {
	var out []string
	for _, k := range []string{"Content-Type", "Content-Length", "Set-Cookie", "Content-Security-Policy", "Location", "Www-Authenticate"} {
		if a.Get(k) != b.Get(k) {
			out = append(out, fmt.Sprintf("%s %q vs %q", k, a.Get(k), b.Get(k)))
		}
	}
	return strings.Join(out, "; ")
}

func TestWebLockout(t *testing.T) {
	e := newSignInEnv(t, "pat")
	b := e.browser(t)
	wrong := b.signIn("pat", "not the password", "")
	for range 4 {
		b.signIn("pat", "not the password", "")
	}
	locked := b.signIn("pat", envPassword, "")
	if locked.status != wrong.status || !bytes.Equal(locked.body, wrong.body) {
		t.Fatalf("the right password on a locked account: %d\n%s\nwant what a wrong password gets", locked.status, locked.body)
	}
	r := e.do("root", "GET", "/api/v1/users/pat/account", nil)
	mustStatus(t, r, http.StatusOK)
	if a := decodeInto[caseroom.Account](t, r); !a.Locked || a.FailedAttempts != 5 {
		t.Errorf("account %+v", a)
	}
	if got := e.lastAudit(t, 3); !slices.Equal(got, []string{"pat signin.fail", "pat user.lock", "pat signin.fail"}) {
		t.Errorf("audit %v", got)
	}
	mustStatus(t, e.do("pat", "POST", "/api/v1/users/pat/unlock", nil), http.StatusForbidden)
	mustStatus(t, e.do("root", "POST", "/api/v1/users/nobody/unlock", nil), http.StatusNotFound)
	r = e.do("root", "POST", "/api/v1/users/pat/unlock", nil)
	mustStatus(t, r, http.StatusOK)
	if a := decodeInto[caseroom.Account](t, r); a.Locked || a.FailedAttempts != 0 {
		t.Errorf("after unlock %+v", a)
	}
	b.mustSignIn("pat", envPassword, "")
}

// lastAudit returns "actor action" of the newest n audit entries.
func (e *signInEnv) lastAudit(t *testing.T, n int) []string {
	t.Helper()
	es, err := e.db.FindAuditEntries(caseroom.NewContextWithUser(context.Background(), caseroom.Console), caseroom.AuditFilter{After: -1, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range es[max(0, len(es)-n):] {
		out = append(out, x.Actor+" "+x.Action)
	}
	return out
}

func TestWebCSRF(t *testing.T) {
	e := newSignInEnv(t, "pat")
	b := e.browser(t)
	b.mustSignIn("pat", envPassword, "")
	csrf := b.csrf()
	count := func() int {
		r := b.api("GET", "/api/v1/cases", "", nil)
		mustStatus(t, r, http.StatusOK)
		return len(decodeInto[struct{ Cases []caseroom.Case }](t, r).Cases)
	}
	for _, tc := range []struct{ name, token string }{{"no token", ""}, {"a wrong token", wrongToken(csrf)}, {"another session's token", e.otherCSRF(t)}} {
		t.Run(tc.name, func(t *testing.T) {
			b.t = t
			r := b.api("POST", "/api/v1/cases", tc.token, map[string]any{"title": "Forged"})
			mustStatus(t, r, http.StatusForbidden)
			if n := count(); n != 0 {
				t.Errorf("a refused request created %d cases", n)
			}
		})
	}
	t.Run("with the token", func(t *testing.T) {
		b.t = t
		mustStatus(t, b.api("POST", "/api/v1/cases", csrf, map[string]any{"title": "Operation Kite"}), http.StatusCreated)
	})
	t.Run("a bearer token needs none", func(t *testing.T) {
		mustStatus(t, e.in(t).do("pat", "POST", "/api/v1/cases", map[string]any{"title": "Operation Lark"}), http.StatusCreated)
	})
}

// otherCSRF signs root in on another browser and returns that session's CSRF token.
func (e *signInEnv) otherCSRF(t *testing.T) string {
	o := e.browser(t)
	o.mustSignIn("root", envPassword, "")
	return o.csrf()
}

func TestWebSessionExpiry(t *testing.T) {
	e := newSignInEnv(t, "pat")

	t.Run("idle", func(t *testing.T) {
		b := e.browser(t)
		b.mustSignIn("pat", envPassword, "")
		for range 3 {
			e.advance(29 * time.Minute)
			mustStatus(t, b.api("GET", "/api/v1/me", "", nil), http.StatusOK)
		}
		e.advance(30 * time.Minute)
		r := b.api("GET", "/api/v1/me", "", nil)
		mustStatus(t, r, http.StatusUnauthorized)
		if msg := r.errorMessage(t); msg != caseroom.ErrSessionExpired.Message {
			t.Errorf("API message %q", msg)
		}
		if b.cookie() != "" {
			t.Error("the expired cookie was not cleared")
		}
	})
	t.Run("an expired page asks to sign in again", func(t *testing.T) {
		b := e.browser(t)
		b.mustSignIn("pat", envPassword, "")
		e.advance(31 * time.Minute)
		r := b.get("/")
		mustStatus(t, r, http.StatusOK)
		if !strings.Contains(string(r.body), "Your session expired") || !strings.Contains(string(r.body), `action="/signin"`) {
			t.Errorf("page after expiry:\n%s", r.body)
		}
	})
	t.Run("absolute lifetime", func(t *testing.T) {
		b := e.browser(t)
		b.mustSignIn("pat", envPassword, "")
		for range 12*3 - 1 {
			e.advance(20 * time.Minute)
			mustStatus(t, b.api("GET", "/api/v1/me", "", nil), http.StatusOK)
		}
		e.advance(20 * time.Minute)
		r := b.api("GET", "/api/v1/me", "", nil)
		mustStatus(t, r, http.StatusUnauthorized)
		if msg := r.errorMessage(t); msg != caseroom.ErrSessionExpired.Message {
			t.Errorf("API message %q", msg)
		}
	})
}

func TestWebSecondFactor(t *testing.T) {
	e := newSignInEnv(t, "lena", "ivan")
	e.createCase("lena", map[string]caseroom.Role{"ivan": caseroom.RoleInvestigator})
	b := e.browser(t)

	r := b.signIn("lena", envPassword, "")
	mustStatus(t, r, http.StatusForbidden)
	if !strings.Contains(string(r.body), "Ask an administrator to enrol you") || b.cookie() != "" {
		t.Fatalf("a lead without a second factor:\n%s", r.body)
	}
	b.mustSignIn("ivan", envPassword, "")

	r = e.do("lena", "POST", "/api/v1/me/totp", nil)
	mustStatus(t, r, http.StatusCreated)
	enrolment := decodeInto[caseroom.TOTPEnrolment](t, r)
	secret, err := totp.Encoding.DecodeString(enrolment.Secret)
	if err != nil {
		t.Fatal(err)
	}
	code := func() string { return totp.Code(secret, totp.Step(*e.now), totp.Digits) }

	mustStatus(t, b.signIn("lena", envPassword, ""), http.StatusUnauthorized)
	mustStatus(t, b.signIn("lena", envPassword, wrongCode(code())), http.StatusUnauthorized)
	b.mustSignIn("lena", envPassword, code())
	// The same code again, within its window, is refused.
	e.advance(5 * time.Second)
	mustStatus(t, e.browser(t).signIn("lena", envPassword, code()), http.StatusUnauthorized)
	e.advance(totp.Period * time.Second)
	e.browser(t).mustSignIn("lena", envPassword, code())
}

func wrongCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

func TestWebDisableAndRevoke(t *testing.T) {
	e := newSignInEnv(t, "pat", "sam")
	b := e.browser(t)
	cookie := b.mustSignIn("pat", envPassword, "")

	t.Run("revoked token", func(t *testing.T) {
		e := e.in(t)
		r := e.do("sam", "GET", "/api/v1/tokens", nil)
		mustStatus(t, r, http.StatusOK)
		list := decodeInto[struct{ Tokens []caseroom.TokenInfo }](t, r)
		if len(list.Tokens) != 1 || list.Tokens[0].User != "sam" || list.Tokens[0].RevokedAt != nil {
			t.Fatalf("tokens %+v", list)
		}
		id := list.Tokens[0].ID
		mustStatus(t, e.do("pat", "POST", "/api/v1/tokens/"+id+"/revoke", nil), http.StatusNotFound)
		mustStatus(t, e.do("pat", "GET", "/api/v1/tokens?user=sam", nil), http.StatusForbidden)
		r = e.do("sam", "POST", "/api/v1/tokens/"+id+"/revoke", nil)
		mustStatus(t, r, http.StatusOK)
		if info := decodeInto[caseroom.TokenInfo](t, r); info.RevokedAt == nil || info.RevokedBy != "sam" {
			t.Errorf("revoked %+v", info)
		}
		r = e.do("sam", "GET", "/api/v1/me", nil)
		mustStatus(t, r, http.StatusUnauthorized)
		r = e.do("root", "POST", "/api/v1/tokens/"+id+"/revoke", nil)
		mustStatus(t, r, http.StatusConflict)
	})

	t.Run("disabled user", func(t *testing.T) {
		e := e.in(t)
		mustStatus(t, e.do("pat", "GET", "/api/v1/me", nil), http.StatusOK)
		mustStatus(t, e.withCookie(t, "GET", "/api/v1/me", cookie), http.StatusOK)
		mustStatus(t, e.do("pat", "POST", "/api/v1/users/sam/disable", nil), http.StatusForbidden)
		mustStatus(t, e.do("root", "POST", "/api/v1/users/root/disable", nil), http.StatusBadRequest)
		r := e.do("root", "POST", "/api/v1/users/pat/disable", nil)
		mustStatus(t, r, http.StatusOK)
		if a := decodeInto[caseroom.Account](t, r); !a.Disabled {
			t.Errorf("account %+v", a)
		}
		// The very next request of each kind is refused.
		mustStatus(t, e.do("pat", "GET", "/api/v1/me", nil), http.StatusUnauthorized)
		mustStatus(t, e.withCookie(t, "GET", "/api/v1/me", cookie), http.StatusUnauthorized)
		mustStatus(t, e.browser(t).signIn("pat", envPassword, ""), http.StatusUnauthorized)

		mustStatus(t, e.do("root", "POST", "/api/v1/users/pat/enable", nil), http.StatusOK)
		mustStatus(t, e.do("root", "POST", "/api/v1/users/pat/enable", nil), http.StatusConflict)
		e.browser(t).mustSignIn("pat", envPassword, "")
		mustStatus(t, e.do("pat", "GET", "/api/v1/me", nil), http.StatusUnauthorized)
	})
}

// TestWebSecretsStayOut signs in over the web with canary credentials, uses a second
// factor, a session and tokens, and then looks for every secret in the server's log,
// the SQLite file and its WAL.
func TestWebSecretsStayOut(t *testing.T) {
	e := newSignInEnv(t)
	const password = "Canary-Web-Password-Jx42q"
	ctx := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	if _, err := e.db.CreateUser(ctx, caseroom.NewUser{Name: "pat", Password: password}); err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	// A password typed into the user name field must not reach the log either.
	mustStatus(t, b.signIn(password, password, ""), http.StatusUnauthorized)
	b.mustSignIn("pat", password, "")
	csrf := b.csrf()
	r := b.api("POST", "/api/v1/me/totp", csrf, nil)
	mustStatus(t, r, http.StatusCreated)
	enrolment := decodeInto[caseroom.TOTPEnrolment](t, r)
	secret, _ := totp.Encoding.DecodeString(enrolment.Secret)
	e.advance(time.Minute)
	code := totp.Code(secret, totp.Step(*e.now), totp.Digits)
	session := b.mustSignIn("pat", password, code)
	csrf = b.csrf()
	tok, err := e.db.CreateToken(ctx, "pat")
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["pat"] = tok.Secret
	mustStatus(t, e.do("pat", "GET", "/api/v1/me", nil), http.StatusOK)
	mustStatus(t, b.postForm("/signout", url.Values{"csrf": {csrf}}), http.StatusSeeOther)

	canaries := map[string]string{"password": password, "session": session, "session body": strings.TrimPrefix(session, "crs_"),
		"CSRF token": csrf, "API token": tok.Secret, "TOTP secret": enrolment.Secret, "raw TOTP secret": string(secret)}
	log := e.log.Bytes()
	if !bytes.Contains(log, []byte("route=\"POST /signin\"")) || !bytes.Contains(log, []byte("actor=pat")) {
		t.Fatalf("the log shows no sign-in; the scan cannot be trusted:\n%s", log)
	}
	for name, c := range canaries {
		if bytes.Contains(log, []byte(c)) {
			t.Errorf("the server log holds the %s", name)
		}
	}
	if bytes.Contains(log, []byte(code)) {
		t.Error("the server log holds the TOTP code")
	}
	var db []byte
	for _, p := range []string{e.path, e.path + "-wal"} {
		raw, err := os.ReadFile(p)
		if err != nil && p == e.path {
			t.Fatal(err)
		}
		db = append(db, raw...)
	}
	if !bytes.Contains(db, []byte("totp.enrol")) {
		t.Fatal("the database holds no totp.enrol entry; the scan cannot be trusted")
	}
	for name, c := range canaries {
		if bytes.Contains(db, []byte(c)) {
			t.Errorf("the SQLite file or WAL holds the %s", name)
		}
	}
}

// TestWebOverTLS serves the API over TLS: the session cookie is Secure and the
// server asks for HTTPS from then on.
func TestWebOverTLS(t *testing.T) {
	e := newSignInEnv(t, "pat")
	srv := httptest.NewUnstartedServer(e.srv)
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.PostForm(srv.URL+"/signin", url.Values{"user": {"pat"}, "password": {envPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in over TLS: %d", resp.StatusCode)
	}
	if set := resp.Header.Get("Set-Cookie"); !strings.Contains(set, "; Secure") || !strings.Contains(set, "HttpOnly") {
		t.Errorf("Set-Cookie over TLS %q: want Secure and HttpOnly", set)
	}
	if h := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=") {
		t.Errorf("Strict-Transport-Security %q", h)
	}
}

// Request types of the routes added for sign-in, for the OpenAPI tests: none of the
// JSON routes takes a body, and POST /signin takes a form, which the document
// describes in words.
func TestOpenAPIAccountSchemasMatchGoTypes(t *testing.T) {
	d := loadOpenAPI(t)
	for name, goType := range map[string]any{
		"Account":       caseroom.Account{},
		"TOTPEnrolment": caseroom.TOTPEnrolment{},
		"TokenInfo":     caseroom.TokenInfo{},
	} {
		t.Run(name, func(t *testing.T) {
			s := d.schema(t, name)
			all, always := jsonFields(goType)
			if msg := diff("openapi.json", d.propertyNames(t, s), fmt.Sprintf("%T", goType), all); msg != "" {
				t.Errorf("properties: %s", msg)
			}
			required := stringList(s["required"])
			sort.Strings(required)
			if msg := diff("required", required, "fields without omitempty", always); msg != "" {
				t.Errorf("required: %s", msg)
			}
		})
	}
}

// TestSelfEnrolmentOnlyOnce: a user may enrol their own second factor once; replacing
// it is for an administrator, so a stolen session cannot swap in another.
func TestSelfEnrolmentOnlyOnce(t *testing.T) {
	e := newAPIEnv(t, "lena")
	mustStatus(t, e.do("lena", "POST", "/api/v1/me/totp", nil), http.StatusCreated)
	r := e.do("lena", "POST", "/api/v1/me/totp", nil)
	mustStatus(t, r, http.StatusConflict)
	if !strings.Contains(string(r.body), "administrator") {
		t.Errorf("the refusal does not say who can replace it: %s", r.body)
	}
	console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	if _, err := e.db.EnrolTOTP(console, "lena"); err != nil {
		t.Errorf("the console could not replace the second factor: %v", err)
	}
}

// wrongToken returns token with its first character changed, so it is surely wrong.
func wrongToken(token string) string {
	if token[0] == 'x' {
		return "y" + token[1:]
	}
	return "x" + token[1:]
}
