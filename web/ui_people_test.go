package web

import (
	"context"
	"encoding/base32"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/totp"
)

// Tests of the people pages over HTTP, as a browser without script would use them,
// against the whole server on the seeded demo case.

// pageClient is one signed-in browser session without a browser: a cookie jar, no
// following of redirects, and the session's CSRF token.
type pageClient struct {
	t    *testing.T
	site *demoSite
	c    *http.Client
	csrf string
}

// signInPages signs a demo user (by role or name) in through the sign-in form.
func signInPages(t *testing.T, site *demoSite, userOrRole string) *pageClient {
	t.Helper()
	l := site.login(userOrRole)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	pc := &pageClient{t: t, site: site, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	form := url.Values{"user": {l.User}, "password": {l.Password}}
	if l.TOTP != "" {
		secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(l.TOTP))
		if err != nil {
			t.Fatal(err)
		}
		form.Set("code", totp.Code(secret, totp.Step(time.Now()), 6))
	}
	if status, body := pc.post("/signin", form); status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d\n%s", l.User, status, body)
	}
	req, _ := http.NewRequest("GET", site.URL+"/api/v1/me", nil)
	resp, err := pc.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if pc.csrf = resp.Header.Get(CSRFHeader); pc.csrf == "" {
		t.Fatal("no CSRF token for the session")
	}
	return pc
}

func (pc *pageClient) send(req *http.Request) (int, string, http.Header) {
	pc.t.Helper()
	req.Header.Set("Accept", "text/html")
	resp, err := pc.c.Do(req)
	if err != nil {
		pc.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		pc.t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// get fetches a page by path.
func (pc *pageClient) get(path string) (int, string) {
	pc.t.Helper()
	req, err := http.NewRequest("GET", pc.site.URL+path, nil)
	if err != nil {
		pc.t.Fatal(err)
	}
	status, body, _ := pc.send(req)
	return status, body
}

// post submits a form as it is, without adding the CSRF token.
func (pc *pageClient) post(path string, form url.Values) (int, string) {
	pc.t.Helper()
	status, body, _ := pc.postHeader(path, form)
	return status, body
}

func (pc *pageClient) postHeader(path string, form url.Values) (int, string, http.Header) {
	pc.t.Helper()
	req, err := http.NewRequest("POST", pc.site.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		pc.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return pc.send(req)
}

// casePage is the path of a page of the demo case.
func (pc *pageClient) casePage(parts ...string) string {
	return strings.TrimPrefix(pc.site.casePath(parts...), pc.site.URL)
}

// timePage fetches a page n times and returns the median time to the whole answer.
func (pc *pageClient) timePage(path string, n int) time.Duration {
	pc.t.Helper()
	ds := make([]time.Duration, n)
	for i := range ds {
		start := time.Now()
		if status, body := pc.get(path); status != http.StatusOK {
			pc.t.Fatalf("GET %s: %d\n%s", path, status, body)
		}
		ds[i] = time.Since(start)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[n/2]
}

// revealedName reads a victim's first name as the service reveals it to the lead:
// the canary the pages must not show anyone who has not asked.
func revealedName(t *testing.T, site *demoSite, pseudonym string) string {
	t.Helper()
	ctx := context.Background()
	lead, err := site.DB.Authenticate(ctx, site.login(string(caseroom.RoleLead)).Token)
	if err != nil {
		t.Fatal(err)
	}
	p, err := site.DB.RevealIdentity(caseroom.NewContextWithUser(ctx, lead), site.CaseID, pseudonym, "Test: the canary the pages must not show.")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Names) == 0 {
		t.Fatalf("%s has no name to look for", pseudonym)
	}
	return p.Names[0].Name
}

// rowCount counts the rows of the people table.
func rowCount(body string) int {
	i := strings.Index(body, `<table class="list people">`)
	if i < 0 {
		return 0
	}
	j := strings.Index(body[i:], "</table>")
	return strings.Count(body[i:i+j], "<tr>") - 1 // less the header
}

func TestUIPeopleSearch(t *testing.T) {
	site := newDemoSite(t)
	victimName := revealedName(t, site, "V-0001")
	lead := signInPages(t, site, string(caseroom.RoleLead))
	inv := signInPages(t, site, string(caseroom.RoleInvestigator))

	for _, tc := range []struct {
		name, query, role string
		who               *pageClient
		want              string // a person the results show
		rows              int    // how many, or -1 for any
	}{
		{"everyone", "", "", lead, "V-0001", -1},
		{"suspects only", "", "suspect", lead, "Kamran Yousaf Virk", 15},
		{"an alias (demo.go: Kami Video)", "kami video", "", lead, "Kamran Yousaf Virk", 1},
		{"one word of an alias", "Lamba", "", inv, "Lamba", 1},
		{"a handle (demo.go: kami.video.demo)", "kami.video.demo", "", inv, "Kamran Yousaf Virk", 1},
		{"a pseudonym as typed", "v1", "", inv, "V-0001", 1},
		{"a victim's name, by the lead", victimName, "", lead, "V-0001", -1},
		{"a victim's name, by an investigator", victimName, "", inv, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := lead.casePage("people") + "?" + url.Values{"q": {tc.query}, "role": {tc.role}}.Encode()
			status, body := tc.who.get(path)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", path, status, body)
			}
			if tc.want != "" && !strings.Contains(body, ">"+tc.want+"<") {
				t.Errorf("the results do not show %q", tc.want)
			}
			if n := rowCount(body); tc.rows >= 0 && n != tc.rows {
				t.Errorf("%d rows, want %d", n, tc.rows)
			}
			if tc.query != "" && !strings.Contains(body, `value="`+tc.query+`"`) {
				t.Errorf("the search box does not keep the query")
			}
		})
	}

	t.Run("victims are pseudonymised for an investigator", func(t *testing.T) {
		_, body := inv.get(inv.casePage("people"))
		if strings.Contains(body, victimName) {
			t.Errorf("the list shows the victim's name %q to an investigator", victimName)
		}
		if !strings.Contains(body, ">V-0001<") {
			t.Errorf("the list does not show V-0001")
		}
	})

	t.Run("bad input is refused with the message, the input kept", func(t *testing.T) {
		long := strings.Repeat("x", 301)
		status, body := lead.get(lead.casePage("people") + "?q=" + long + "&role=suspect")
		if status != http.StatusBadRequest || !strings.Contains(body, "at most 300 bytes") || !strings.Contains(body, `value="`+long+`"`) {
			t.Errorf("a 301-byte query: %d\n%s", status, body)
		}
		status, body = lead.get(lead.casePage("people") + "?role=chief")
		if status != http.StatusBadRequest || !strings.Contains(body, "is not a person role") {
			t.Errorf("an unknown role: %d\n%s", status, body)
		}
	})

	lead.t, inv.t = t, t
	t.Logf("render time (median of 10): people list %v, search %v",
		lead.timePage(lead.casePage("people"), 10), lead.timePage(lead.casePage("people")+"?q=kami+video", 10))
}

func TestUIPersonPage(t *testing.T) {
	site := newDemoSite(t)
	victimName := revealedName(t, site, "V-0001")
	lead := signInPages(t, site, string(caseroom.RoleLead))
	inv := signInPages(t, site, string(caseroom.RoleInvestigator))

	// Kamran Yousaf Virk's id, from the search.
	_, body := lead.get(lead.casePage("people") + "?q=Kami+Video")
	m := regexp.MustCompile(`/people/(per_[A-Za-z0-9_-]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no person link in the search results:\n%s", body)
	}
	suspect := m[1]

	t.Run("a suspect: names, aliases, identifiers and links with their sources", func(t *testing.T) {
		status, body := inv.get(inv.casePage("people", suspect))
		if status != http.StatusOK {
			t.Fatalf("%d\n%s", status, body)
		}
		for _, want := range []string{
			`<h1 dir="auto">Kamran Yousaf Virk</h1>`,
			`<td dir="auto" class="name">Kami Video</td>`,
			"kami.video.demo", "Links (", "Documents that concern them", "implicates",
			`href="/cases/` + site.CaseID + `/graph?person=` + suspect + `"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not show %q", want)
			}
		}
		if !regexp.MustCompile(`class="name">Kami Video</td><td>alias</td><td><a href="/cases/[^"]+/documents/C-\d+">C-\d+</a>`).MatchString(body) {
			t.Errorf("the alias does not link to its source document")
		}
		if strings.Contains(body, "Reveal identity") {
			t.Errorf("a suspect's page offers a reveal")
		}
		// The connections panel: counterparts, and paths to other suspects with
		// the sources of their steps.
		if !strings.Contains(body, `<h2 id="connections-h">Connections</h2>`) || !strings.Contains(body, "Paths to the nearest suspects") {
			t.Errorf("the page has no connections panel with paths to suspects")
		}
	})

	victim := inv.casePage("people", "V-0001")
	reveal := victim + "/reveal"
	t.Run("a victim, for an investigator: pseudonym only, no reveal", func(t *testing.T) {
		status, body := inv.get(victim)
		if status != http.StatusOK || !strings.Contains(body, `<h1 dir="auto">V-0001</h1>`) {
			t.Fatalf("%d\n%s", status, body)
		}
		if strings.Contains(body, victimName) || strings.Contains(body, `name="reason"`) {
			t.Errorf("an investigator sees the victim's name or a reveal form")
		}
	})

	t.Run("a forged reveal by an investigator is refused, nothing shown", func(t *testing.T) {
		before := lastAuditAction(t, site)
		status, body := inv.post(reveal, url.Values{"csrf": {inv.csrf}, "reason": {"I want to know."}})
		if status != http.StatusForbidden || strings.Contains(body, victimName) {
			t.Errorf("%d, shows the name: %v\n%s", status, strings.Contains(body, victimName), body)
		}
		if after := lastAuditAction(t, site); after == before || after != "identity.reveal.refused" {
			t.Errorf("the refusal is not recorded: last audit action %q", after)
		}
	})

	t.Run("a reveal without the CSRF token is refused", func(t *testing.T) {
		status, body := lead.post(reveal, url.Values{"reason": {"Safeguarding visit."}})
		if status != http.StatusForbidden || strings.Contains(body, victimName) {
			t.Errorf("%d\n%s", status, body)
		}
	})

	t.Run("a reveal without a reason is refused with the message", func(t *testing.T) {
		status, body := lead.post(reveal, url.Values{"csrf": {lead.csrf}, "reason": {"  "}})
		if status != http.StatusBadRequest || strings.Contains(body, victimName) {
			t.Errorf("%d, shows the name: %v", status, strings.Contains(body, victimName))
		}
		if !strings.Contains(body, `class="flash error" role="alert">reason:`) || !strings.Contains(body, `name="reason"`) {
			t.Errorf("the page does not say why, or loses the form:\n%s", body)
		}
	})

	t.Run("the lead's reveal shows the identity on that page only", func(t *testing.T) {
		status, body := lead.get(victim)
		if status != http.StatusOK || !strings.Contains(body, `name="reason"`) || strings.Contains(body, victimName) {
			t.Fatalf("the lead's view before revealing: %d, form %v, name %v", status, strings.Contains(body, `name="reason"`), strings.Contains(body, victimName))
		}
		status, body, h := lead.postHeader(reveal, url.Values{"csrf": {lead.csrf}, "reason": {"Safeguarding visit planning."}})
		if status != http.StatusOK || !strings.Contains(body, victimName) || !strings.Contains(body, "identity revealed to you") {
			t.Errorf("the reveal: %d, shows the name: %v", status, strings.Contains(body, victimName))
		}
		if cc := h.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the revealed page may be cached: Cache-Control %q", cc)
		}
		if _, body := lead.get(victim); strings.Contains(body, victimName) {
			t.Errorf("the identity stays shown after the reveal's page")
		}
	})

	lead.t = t
	t.Logf("render time (median of 10): suspect page %v, victim page %v",
		lead.timePage(lead.casePage("people", suspect), 10), lead.timePage(victim, 10))
}

// lastAuditAction is the action of the store's latest audit entry.
func lastAuditAction(t *testing.T, site *demoSite) string {
	t.Helper()
	es, err := site.DB.FindAuditEntries(caseroom.NewContextWithUser(context.Background(), caseroom.Console), caseroom.AuditFilter{After: -1, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		return ""
	}
	return es[len(es)-1].Action
}

// A medical report cited as the source of a suspect's alias or identifier, or as an
// arrest ground, is not named on the person page to a member who does not read
// medical reports: the source shows as "a medical report", without a link, and the
// report is not listed among the documents. The lead sees it as cited.
func TestUIPersonPageWithholdsMedicalReports(t *testing.T) {
	site := newDemoSite(t)
	ctx := context.Background()
	leadUser, err := site.DB.Authenticate(ctx, site.login("lead").Token)
	if err != nil {
		t.Fatal(err)
	}
	asLead := caseroom.NewContextWithUser(ctx, leadUser)
	c := site.CaseID
	mr, err := site.DB.RegisterDocument(asLead, c, caseroom.NewDocument{Kind: caseroom.DocMedicalReport, Title: "Examination of the suspect", Text: "Findings."})
	if err != nil {
		t.Fatal(err)
	}
	sus, err := site.DB.RegisterPerson(asLead, c, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Blue Suspect", Script: "Latn"}},
		Roles: []caseroom.PersonRole{caseroom.PersonSuspect}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.DB.AddAlias(asLead, c, sus.ID, caseroom.Alias{Alias: "Blue", Kind: "alias", Source: mr.Ref}); err != nil {
		t.Fatal(err)
	}
	if _, err := site.DB.AddIdentifier(asLead, c, sus.ID, caseroom.NewIdentifier{Kind: caseroom.IdentifierPhone, Value: "+92 300 1112223", Source: mr.Ref}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour)
	if _, err := site.DB.RecordArrest(asLead, c, caseroom.NewArrest{Person: sus.ID, At: &at, By: leadUser.Name, Grounds: []string{mr.Ref}}); err != nil {
		t.Fatal(err)
	}

	lead := signInPages(t, site, string(caseroom.RoleLead))
	status, body := lead.get(lead.casePage("people", sus.ID))
	if status != http.StatusOK {
		t.Fatalf("the lead: %d\n%s", status, body)
	}
	if !regexp.MustCompile(`class="name">Blue</td><td>alias</td><td><a href="/cases/[^"]+/documents/` + mr.Ref + `">` + mr.Ref + `</a>`).MatchString(body) {
		t.Errorf("the lead's page does not link the alias to %s", mr.Ref)
	}
	for _, role := range []caseroom.Role{caseroom.RoleInvestigator, caseroom.RoleOversight} {
		pc := signInPages(t, site, string(role))
		status, body := pc.get(pc.casePage("people", sus.ID))
		if status != http.StatusOK {
			t.Fatalf("%s: %d\n%s", role, status, body)
		}
		if strings.Contains(body, "MR-") || strings.Contains(body, mr.ID) {
			t.Errorf("the %s's page names the medical report:\n%s", role, body)
		}
		if !strings.Contains(body, `class="name">Blue</td><td>alias</td><td><span class="muted">a medical report</span>`) {
			t.Errorf("the %s's page does not say the alias comes from a medical report", role)
		}
	}
}
