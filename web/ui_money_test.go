package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/money"
	"caseroom/totp"
)

// The money, communications and timeline pages, the payment form, the person page's
// payments and contacts and the exhibit page's import of communications, driven over
// HTTP with a session as a browser would, against a small fictional case the test
// made: a girl (a victim, shown by her pseudonym) whose father paid a suspect under
// threat, the suspect's phone seized as SB/1 with its call records imported, and an
// advocate (ada) who represents the girl.

// moneyEnv is the case of these tests, with the lead (lena), an investigator (ivan),
// oversight (olga) and the girl's advocate (ada).
type moneyEnv struct {
	*apiEnv
	caseID                                   string
	victim, victimLabel, father, sus, other  string
	complaint, statement, secret, exhibitRef string
	exhibitID                                string
}

// moneyCalls is the number of calls of the suspect's phone the fixture imports: more
// than a page of the timeline (100 entries).
const moneyCalls = 120

// secretTitle is the title of the suspect's statement, which the girl's advocate
// must not see.
const secretTitle = "Statement of the suspect about the shop"

func newMoneyEnv(t *testing.T) *moneyEnv {
	t.Helper()
	e := &moneyEnv{apiEnv: newAPIEnv(t, "lena", "ivan", "olga", "ada")}
	r := e.do("lena", "POST", "/api/v1/cases", map[string]any{"title": "Operation Ledger", "timeZone": "Asia/Karachi"})
	mustStatus(t, r, http.StatusCreated)
	e.caseID = decodeInto[caseroom.Case](t, r).ID
	base := "/api/v1/cases/" + e.caseID
	for user, role := range map[string]caseroom.Role{"ivan": caseroom.RoleInvestigator, "olga": caseroom.RoleOversight} {
		mustStatus(t, e.do("lena", "POST", base+"/members", map[string]any{"user": user, "role": role}), http.StatusCreated)
	}
	person := func(name, role string) caseroom.Person {
		return post[caseroom.Person](e.apiEnv, "lena", base+"/persons", map[string]any{"names": []map[string]string{{"name": name}}, "roles": []string{role}})
	}
	victim := person("Hina Fictional", "victim")
	e.victim, e.victimLabel = victim.ID, victim.Pseudonym
	e.father = person("Fictional Father", "guardian").ID
	e.sus = person("Tariq Fictional", "suspect").ID
	e.other = person("Bilal Fictional", "suspect").ID
	rep := person("Ada Advocate", "representative").ID
	doc := func(kind, title, giver string) string {
		body := map[string]any{"kind": kind, "title": title, "text": "Fictional text."}
		if giver != "" {
			body["giver"], body["recordedAt"] = giver, "2015-09-01T10:00:00Z"
		}
		return post[caseroom.Document](e.apiEnv, "lena", base+"/documents", body).Ref
	}
	e.complaint = doc("complaint", "Complaint of the father", e.father)
	e.statement = doc("statement", "Statement of the girl", e.victim)
	e.secret = doc("statement", secretTitle, e.sus)
	link := func(from, to, typ, source string) {
		post[caseroom.Link](e.apiEnv, "lena", base+"/links", map[string]any{"from": from, "to": to, "type": typ, "source": source, "confidence": 1})
	}
	link(e.father, e.victim, "parent_of", e.complaint)
	link(rep, e.victim, "represents", e.complaint)
	mustStatus(t, e.do("lena", "POST", base+"/members", map[string]any{"user": "ada", "role": "advocate", "person": rep}), http.StatusCreated)
	post[caseroom.Identifier](e.apiEnv, "lena", base+"/persons/"+e.sus+"/identifiers", map[string]any{"kind": "phone", "value": "0300-1234567", "source": e.complaint})
	post[caseroom.Identifier](e.apiEnv, "lena", base+"/persons/"+e.other+"/identifiers", map[string]any{"kind": "phone", "value": "0321-9876543", "source": e.complaint})

	// Eight crore rupees paid by the father in two payments, and one recorded in
	// error and withdrawn.
	pay := func(body map[string]any) caseroom.Payment {
		return post[caseroom.Payment](e.apiEnv, "lena", base+"/payments", body)
	}
	pay(map[string]any{"payer": e.father, "payee": e.sus, "amount": 5_00_00_000_00, "at": "2015-06", "method": "cash", "purpose": "extortion", "source": e.complaint})
	pay(map[string]any{"payer": e.father, "payee": e.sus, "amount": 3_00_00_000_00, "at": "2015-08-02", "method": "bank-transfer", "purpose": "extortion", "source": e.complaint})
	wrong := pay(map[string]any{"payer": e.father, "payee": e.other, "amount": 99_900, "at": "2015-07", "method": "cash", "purpose": "extortion", "source": e.complaint})
	pay(map[string]any{"payer": e.father, "payee": e.other, "amount": 99_900, "at": "2015-07", "method": "cash", "purpose": "extortion", "source": e.complaint,
		"corrects": wrong.Ref, "retracts": true, "reason": "Recorded twice."})

	seized := time.Date(2015, 10, 1, 9, 0, 0, 0, time.UTC)
	x := post[caseroom.Exhibit](e.apiEnv, "lena", base+"/exhibits",
		caseroom.NewExhibit{Ref: "SB/1", Description: "The suspect's phone", Kind: caseroom.ExhibitPhone, SeizedAt: &seized, Place: "Chak 12", Seal: "S-0001", SeizedFrom: e.sus})
	e.exhibitID, e.exhibitRef = x.ID, x.Ref
	r = e.do("lena", "POST", base+"/exhibits/"+x.ID+"/communications?format=cdr&name=cdr.csv", moneyCDR(moneyCalls))
	mustStatus(t, r, http.StatusCreated)
	return e
}

// moneyCDR is a file of n calls of the suspect's phone, a minute apart from 20 June
// 2015: to a number in the United Kingdom, to the other suspect, and from a third
// number, in turn.
func moneyCDR(n int) string {
	var b strings.Builder
	b.WriteString("A Party,B Party,Date/Time,Duration,Direction\n")
	peers := []string{"+447700900123", "03219876543", "03335550001"}
	start := time.Date(2015, 6, 20, 10, 0, 0, 0, time.UTC) // written as is: the case's time
	for i := range n {
		dir := "MO"
		if i%3 == 2 {
			dir = "MT"
		}
		fmt.Fprintf(&b, "03001234567,%s,%s,%d,%s\n", peers[i%3], start.Add(time.Duration(i)*time.Minute).Format("2006-01-02 15:04:05"), 30+i, dir)
	}
	return b.String()
}

// path is the path of a page of the test case.
func (e *moneyEnv) path(parts ...string) string {
	return "/cases/" + e.caseID + "/" + strings.Join(parts, "/")
}

// signIn signs user in through the form and returns the session, with its CSRF
// token; the lead (lena) with her second factor, which the first sign-in enrols. The
// money and search pages' tests share it.
func (e *apiEnv) signIn(t *testing.T, user string) *session {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := *e.srv.Client()
	client.Jar = jar
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s := &session{t: t, base: e.srv.URL, client: &client}
	form := url.Values{"user": {user}, "password": {envPassword}}
	if user == "lena" {
		r := e.do("lena", "POST", "/api/v1/me/totp", nil)
		mustStatus(t, r, http.StatusCreated)
		secret, err := totp.Encoding.DecodeString(decodeInto[caseroom.TOTPEnrolment](t, r).Secret)
		if err != nil {
			t.Fatal(err)
		}
		form.Set("code", totp.Code(secret, totp.Step(time.Now()), totp.Digits))
	}
	if p := s.post("/signin", form); p.status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d\n%s", user, p.status, p.body)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(s.get("/cases").body)
	if m == nil {
		t.Fatalf("no CSRF token on the cases page")
	}
	s.csrf = m[1]
	return s
}

// leadCtx acts as the lead, to read the store directly.
func (e *moneyEnv) leadCtx(t *testing.T) context.Context {
	t.Helper()
	u, err := e.db.Authenticate(context.Background(), e.tokens["lena"])
	if err != nil {
		t.Fatal(err)
	}
	return caseroom.NewContextWithUser(context.Background(), u)
}

// text is a page's main element with entities decoded.
func text(p page) string { return html.UnescapeString(p.main()) }

func TestUIMoneyPage(t *testing.T) {
	e := newMoneyEnv(t)
	lead := e.signIn(t, "lena")
	p := lead.get(e.path("money"))
	wantStatus(t, p, http.StatusOK)
	body := text(p)
	eightCrore := "Rs 8,00,00,000.00 (80,000,000.00; eight crore rupees)"
	wantIn(t, "the money page", body, eightCrore, "standing payments", "Extortion per victim's family", "Received per suspect", "Per payer", "Per payee")
	// The family's row: the victim by pseudonym, her father, the total and its payments.
	row := regexp.MustCompile(`(?s)<table class="list mc-families">.*?</table>`).FindString(p.body)
	wantIn(t, "the family table", html.UnescapeString(row), e.victimLabel, "Fictional Father", eightCrore, `href="#PM-1"`, `href="#PM-2"`)
	if strings.Contains(row, "Hina") || strings.Contains(p.body, "Hina") {
		t.Error("the money page names the victim")
	}
	if strings.Contains(row, `href="#PM-3"`) {
		t.Error("the family's total lists the withdrawn payment")
	}
	// The payments, each with its anchor; the withdrawn one struck out, its withdrawal marked.
	for _, ref := range []string{"PM-1", "PM-2", "PM-3", "PM-4"} {
		if !strings.Contains(p.body, `id="`+ref+`"`) {
			t.Errorf("no anchor for %s, which the timeline links to", ref)
		}
	}
	wantIn(t, "the payments", body, `<tr id="PM-3" class="superseded">`, "withdrawn by", "withdraws", "Recorded twice.", "2015-06", "2015-08-02")
	// The chart of extortion per month, in crore, with the exact numbers beside it.
	svg := regexp.MustCompile(`(?s)<svg [^>]*class="barchart".*?</svg>`).FindString(p.body)
	if svg == "" {
		t.Fatal("the money page has no chart")
	}
	if n := svgElements(t, svg)["rect"]; n < 3 {
		t.Errorf("the chart has %d rects, want the legend and a bar for June and August", n)
	}
	wantIn(t, "the chart", svg, "Extortion paid per month (PKR, crore)", "2015-06", "2015-07", "2015-08")
	wantIn(t, "the chart's numbers", body, "Rs 5,00,00,000.00 (50,000,000.00; five crore rupees)")
	// The lead records payments: the form is there.
	wantIn(t, "the lead's page", p.body, `<form method="post" action="`+e.path("money")+`"`, `name="amount"`)

	// Oversight reads the money but records none.
	over := e.signIn(t, "olga").get(e.path("money"))
	wantStatus(t, over, http.StatusOK)
	wantIn(t, "oversight's page", text(over), eightCrore)
	if strings.Contains(over.body, `name="amount"`) {
		t.Error("oversight is offered the payment form")
	}

	// The advocate is refused the money, and the navigation offers it only to others.
	ada := e.signIn(t, "ada")
	refused := ada.get(e.path("money"))
	wantStatus(t, refused, http.StatusForbidden)
	wantIn(t, "the advocate's refusal", text(refused), "Not allowed", "sees only your clients' records")
	if strings.Contains(refused.body, "8,00,00,000") {
		t.Error("the advocate's refusal shows an amount")
	}
	nav := func(s *session) string {
		p := s.get(e.path("people"))
		return regexp.MustCompile(`(?s)<nav class="case-nav".*?</nav>`).FindString(p.body)
	}
	if n := nav(ada); strings.Contains(n, e.path("money")) || strings.Contains(n, e.path("communications")) || !strings.Contains(n, e.path("timeline")) {
		t.Errorf("the advocate's navigation: %s", n)
	}
	if n := nav(lead); !strings.Contains(n, e.path("money")) || !strings.Contains(n, e.path("communications")) || !strings.Contains(n, e.path("timeline")) {
		t.Errorf("the lead's navigation: %s", n)
	}
}

func TestUIRecordPayment(t *testing.T) {
	e := newMoneyEnv(t)
	inv := e.signIn(t, "ivan")
	count := func() int {
		ps, err := e.db.FindPayments(e.leadCtx(t), e.caseID, caseroom.PaymentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	before := count()
	form := func(amount string) url.Values {
		return inv.form(url.Values{"payer": {e.father}, "payee": {""}, "payeeAccount": {"phone:0321-9876543"}, "amount": {amount},
			"currency": {"PKR"}, "at": {"2015-09"}, "method": {"mobile-wallet"}, "purpose": {"extortion"}, "source": {e.complaint},
			"note": {"Sent to the number he gave."}})
	}

	// A bad amount is refused naming the field; the input is kept.
	p := inv.post(e.path("money"), form("12.345"))
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "the refusal", text(p), `amount: "12.345" has 3 decimals`, `value="12.345"`, `value="phone:0321-9876543"`, "Sent to the number he gave.")
	wantIn(t, "the refusal", p.body, `id="amount" name="amount" type="text" inputmode="decimal" value="12.345" maxlength="40" required autocomplete="off" aria-invalid="true"`,
		`<option value="`+e.father+`" selected`, `<option value="`+e.complaint+`" selected`, `<option value="mobile-wallet" selected`)
	if n := count(); n != before {
		t.Fatalf("%d payments after a refused form, %d before", n, before)
	}
	// Refusals of the service name their field too: a date in the future.
	p = inv.post(e.path("money"), func() url.Values { f := form("100"); f.Set("at", "2999-01"); return f }())
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "the refusal of a future date", p.body, `id="at" name="at" type="text" value="2999-01" maxlength="40" required autocomplete="off" aria-invalid="true"`)

	// "1,250.50" rupees is recorded as 125050 paisa, exactly.
	p = inv.post(e.path("money"), form("1,250.50"))
	wantStatus(t, p, http.StatusSeeOther)
	loc := p.header.Get("Location")
	ps, err := e.db.FindPayments(e.leadCtx(t), e.caseID, caseroom.PaymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != before+1 {
		t.Fatalf("%d payments after the form, want %d", len(ps), before+1)
	}
	var got *caseroom.Payment
	for _, pm := range ps {
		if pm.Ref == "PM-5" {
			got = pm
		}
	}
	if got == nil || got.Amount != 125050 || got.Currency != "PKR" || got.Payee.Kind != caseroom.EntityEndpoint || got.At != "2015-09" ||
		got.Method != caseroom.PaymentMobileWallet || got.RecordedBy != "ivan" {
		t.Fatalf("the payment recorded: %+v", got)
	}
	after := inv.get(strings.TrimPrefix(loc, e.srv.URL))
	wantStatus(t, after, http.StatusOK)
	wantIn(t, "the page after the form", text(after), "Recorded PM-5: Rs 1,250.50 (one thousand two hundred fifty rupees and fifty paisa) from Fictional Father to +923219876543.",
		`id="PM-5"`)

	// A correction from the same form: PM-5 withdrawn.
	f := form("1,250.50")
	f.Set("corrects", "PM-5")
	f.Set("retracts", "yes")
	f.Set("reason", "The father corrected his account.")
	wantStatus(t, inv.post(e.path("money"), f), http.StatusSeeOther)
	page := inv.get(e.path("money"))
	wantIn(t, "the page after the withdrawal", page.body, `<tr id="PM-5" class="superseded">`)

	// Oversight does not record: the service refuses, and nothing is written.
	over := e.signIn(t, "olga")
	n := count()
	wantStatus(t, over.post(e.path("money"), over.form(form("100"))), http.StatusForbidden)
	if count() != n {
		t.Error("oversight's form recorded a payment")
	}
}

func TestParseAmount(t *testing.T) {
	cur := func(code string) money.Currency {
		c, err := money.LookupCurrency(code)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		in, code string
		want     caseroom.MinorUnits
	}{
		{"1,250.50", "PKR", 125050},
		{"1250.5", "PKR", 125050},
		{"12,50,000", "PKR", 125000000},
		{"1,250,000.00", "PKR", 125000000},
		{"8,00,00,000.00", "PKR", 8000000000},
		{"0.01", "PKR", 1},
		{" 500 ", "PKR", 50000},
		{"007", "PKR", 700},
		{".5", "PKR", 50},
		{"1,250", "JPY", 1250},
		{"1.5", "KWD", 1500},
		{"1.234", "KWD", 1234},
		{"1,00,00,00,00,000", "PKR", caseroom.MaxPaymentAmount},
	} {
		got, err := parseAmount(tc.in, cur(tc.code))
		if err != nil || got != tc.want {
			t.Errorf("parseAmount(%q, %s) = %d, %v; want %d", tc.in, tc.code, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, code, says string }{
		{"12.345", "PKR", "has 3 decimals"},
		{"1.5", "JPY", "has no minor unit"},
		{"1,25", "PKR", "is not an amount"},
		{"12,5", "PKR", "is not an amount"},
		{"1234,567", "PKR", "is not an amount"},
		{"-5", "PKR", "is not an amount"},
		{"1e3", "PKR", "is not an amount"},
		{"Rs 50", "PKR", "is not an amount"},
		{"1.2.3", "PKR", "is not an amount"},
		{".", "PKR", "is not an amount"},
		{"", "PKR", "required"},
		{"1,00,00,00,00,000.01", "PKR", "more than one payment can be"},
		{"99999999999999999999", "PKR", "more than one payment can be"},
	} {
		_, err := parseAmount(tc.in, cur(tc.code))
		if msg := caseroom.ErrorMessage(err); caseroom.ErrorCode(err) != caseroom.EINVALID || !strings.HasPrefix(msg, "amount: ") || !strings.Contains(msg, tc.says) {
			t.Errorf("parseAmount(%q, %s): %v; want EINVALID naming amount, saying %q", tc.in, tc.code, err, tc.says)
		}
	}
}

func TestUICommunicationsPage(t *testing.T) {
	e := newMoneyEnv(t)
	lead := e.signIn(t, "lena")

	p := lead.get(e.path("communications") + "?person=" + e.sus)
	wantStatus(t, p, http.StatusOK)
	body := text(p)
	wantIn(t, "the suspect's communications", body, `<h1>Communications of <span dir="auto">Tariq Fictional</span></h1>`, "+923001234567", "Top counterparts",
		"+447700900123", "Bilal Fictional", "Foreign contacts", "GB", "Latest communications", "line 2", e.exhibitRef)
	svg := regexp.MustCompile(`(?s)<svg [^>]*class="barchart".*?</svg>`).FindString(p.body)
	if svg == "" {
		t.Fatal("the communications page has no chart")
	}
	wantIn(t, "the chart", svg, "outgoing", "incoming")
	// Each counterpart had 40 calls: 40 contacts in the table.
	if !regexp.MustCompile(`<td class="num">40</td>`).MatchString(p.body) {
		t.Error("the table does not show 40 contacts with a counterpart")
	}
	// The latest communications, the last call last.
	if rows := strings.Count(regexp.MustCompile(`(?s)<table class="list mc-comms">.*?</table>`).FindString(p.body), "<tr>") - 1; rows != moneyCalls {
		t.Errorf("the list shows %d communications, want all %d", rows, moneyCalls)
	}
	// The file's times are the case's (Asia/Karachi), and shown so.
	wantIn(t, "the list", body, "2015-06-20 11:59:00")

	// One endpoint; the whole case; the endpoints abroad.
	p = lead.get(e.path("communications") + "?endpoint=" + url.QueryEscape("+447700900123"))
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the foreign number's page", text(p), `Communications of <span dir="auto">+447700900123</span>`, "+923001234567")
	p = lead.get(e.path("communications"))
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the case's communications", text(p), "The most active endpoints", `The case's endpoints abroad <span class="muted">(1)</span>`, "+447700900123")
	// A person not in the case is refused with the page, saying so.
	p = lead.get(e.path("communications") + "?person=nobody")
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "the refusal", text(p), "person:")

	// The advocate is refused.
	wantStatus(t, e.signIn(t, "ada").get(e.path("communications")), http.StatusForbidden)
}

// latestComms is a CommService whose FindCommunications lists from a fixed history
// of calls, as the store does (from the earliest, at most Limit, after From), for
// latestCommunications.
type latestComms struct {
	caseroom.CommService
	calls []*caseroom.Communication
	asked int
}

func (l *latestComms) FindCommunications(_ context.Context, _ string, f caseroom.CommFilter) ([]*caseroom.Communication, error) {
	l.asked++
	var out []*caseroom.Communication
	for _, c := range l.calls {
		if (f.From == nil || !c.At.Before(*f.From)) && len(out) < f.Limit {
			out = append(out, c)
		}
	}
	return out, nil
}

// TestLatestCommunications: with more communications than the service lists at once,
// the page still finds the latest.
func TestLatestCommunications(t *testing.T) {
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		n     int
		every time.Duration
	}{
		{"few", 150, time.Minute},
		{"many, dense", 25000, time.Second},
		{"many, sparse", 12000, 3 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &latestComms{}
			for i := range tc.n {
				l.calls = append(l.calls, &caseroom.Communication{ID: fmt.Sprint(i), At: start.Add(time.Duration(i) * tc.every)})
			}
			last := l.calls[tc.n-1].At
			s := &Server{Comms: l}
			req, _ := http.NewRequest("GET", "/", nil)
			got, err := s.latestCommunications(req, "c", caseroom.CommFilter{}, &last, 200)
			if err != nil {
				t.Fatal(err)
			}
			want := min(tc.n, 200)
			if len(got) != want || got[len(got)-1].ID != fmt.Sprint(tc.n-1) || got[0].ID != fmt.Sprint(tc.n-want) {
				t.Fatalf("got %d communications, %s to %s; want the last %d", len(got), got[0].ID, got[len(got)-1].ID, want)
			}
			t.Logf("%d calls to the service", l.asked)
		})
	}
}

func TestUITimelinePage(t *testing.T) {
	e := newMoneyEnv(t)
	lead := e.signIn(t, "lena")
	p := lead.get(e.path("timeline"))
	wantStatus(t, p, http.StatusOK)
	body := text(p)
	// The first page: the payment of June 2015 at a month's precision, linked to its
	// row on the money page; the complaint; the calls; and a link to later entries.
	wantIn(t, "the timeline", p.body, `<td class="da-nowrap mono">2015-06</td>`, `href="`+e.path("money")+`#PM-1"`, "kind-communication", "Later entries")
	wantIn(t, "the timeline", body, "Tariq Fictional")
	rows := func(p page) int {
		return strings.Count(regexp.MustCompile(`(?s)<table class="list mc-timeline">.*?</table>`).FindString(p.body), "<tr>") - 1
	}
	if n := rows(p); n != 100 {
		t.Errorf("the first page shows %d entries, want 100", n)
	}
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next"`).FindStringSubmatch(p.body)
	if next == nil {
		t.Fatal("no link to the next page")
	}
	p2 := lead.get(html.UnescapeString(next[1]))
	wantStatus(t, p2, http.StatusOK)
	if n := rows(p2); n < 1 || strings.Contains(p2.body, `rel="next"`) && n < 100 {
		t.Errorf("the second page shows %d entries", n)
	}
	wantIn(t, "the second page", p2.body, "Back to the start", "PM-2")

	// Filtered to payments: the four, in order, nothing else.
	p = lead.get(e.path("timeline") + "?kinds=payment")
	wantStatus(t, p, http.StatusOK)
	if n := rows(p); n != 4 || strings.Contains(p.body, "kind-communication") {
		t.Errorf("filtered to payments, the page shows %d entries", n)
	}
	wantIn(t, "the filter", p.body, `value="payment" checked`)
	// Filtered by dates in the case's zone: June 2015 only.
	p = lead.get(e.path("timeline") + "?kinds=payment&from=2015-06-01&to=2015-06-30")
	if n := rows(p); n != 1 {
		t.Errorf("payments of June 2015: %d entries, want 1", n)
	}
	p = lead.get(e.path("timeline") + "?from=June")
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "a bad date", text(p), `from: "June" is not a date`)

	// The advocate sees only her client's entries: the girl's statement and the
	// father's complaint about her, no payment, call or the suspect's statement.
	ada := e.signIn(t, "ada")
	p = ada.get(e.path("timeline"))
	wantStatus(t, p, http.StatusOK)
	body = text(p)
	wantIn(t, "the advocate's timeline", body, e.statement, e.victimLabel)
	for _, hidden := range []string{secretTitle, e.secret, "PM-1", "kind-communication", "+92300", "Hina"} {
		if strings.Contains(body, hidden) {
			t.Errorf("the advocate's timeline shows %q", hidden)
		}
	}
	// Her client's own timeline, from the person page.
	p = ada.get(e.path("people", e.victim))
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the client's page", p.body, `href="`+e.path("timeline")+`?person=`+e.victim+`"`)
	if strings.Contains(p.body, `id="payments-h"`) || strings.Contains(p.body, `id="contacts-h"`) {
		t.Error("the advocate's person page shows payments or contacts, which the services refuse her")
	}
	wantStatus(t, ada.get(e.path("timeline")+"?person="+e.victim), http.StatusOK)
}

func TestUIPersonMoneyAndContacts(t *testing.T) {
	e := newMoneyEnv(t)
	lead := e.signIn(t, "lena")
	p := lead.get(e.path("people", e.sus))
	wantStatus(t, p, http.StatusOK)
	body := text(p)
	wantIn(t, "the suspect's page", body, "Payments (2)", "Rs 5,00,00,000.00 (50,000,000.00; five crore rupees)", "Contacts (120 communications)",
		"+447700900123", "1 abroad", "All their counterparts and communications")
	wantIn(t, "the suspect's page", p.body, `href="`+e.path("money")+`#PM-1"`, `href="`+e.path("communications")+`?person=`+e.sus+`"`,
		`href="`+e.path("timeline")+`?person=`+e.sus+`"`)
	// The father: his payments, the withdrawn one marked.
	p = lead.get(e.path("people", e.father))
	wantIn(t, "the father's page", text(p), "Payments (4)", "not counted", "No communication of theirs is recorded")
}

// multipartForm builds a multipart body of the fields and one file.
func multipartForm(t *testing.T, fields map[string]string, name, content string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(content))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), &buf
}

func TestUIImportCommunicationsForm(t *testing.T) {
	e := newMoneyEnv(t)
	inv := e.signIn(t, "ivan")
	p := inv.get(e.path("exhibits", e.exhibitID))
	wantStatus(t, p, http.StatusOK)
	wantIn(t, "the exhibit page", p.body, `enctype="multipart/form-data"`, `action="`+e.path("exhibits", e.exhibitID, "communications")+`"`, `type="file"`)

	upload := func(s *session, fields map[string]string, name, content string) page {
		t.Helper()
		fields["csrf"] = s.csrf
		ct, body := multipartForm(t, fields, name, content)
		req, err := http.NewRequest("POST", s.base+e.path("exhibits", e.exhibitID, "communications"), body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ct)
		return s.send(req)
	}
	cdr := "CALLING_NO;CALLED_NO;CALL_DATE;CALL_TIME;DURATION\n03001234567;03335550002;21/06/2015;09:00:00;61\n" +
		"03335550002;03001234567;21/06/2015;09:05:00;12\n03001234567;+971501234567;22/06/2015;20:00:00;300\n"
	p = upload(inv, map[string]string{"format": "cdr", "dateOrder": "dmy"}, "small-cdr.csv", cdr)
	wantStatus(t, p, http.StatusSeeOther)
	loc := strings.TrimPrefix(p.header.Get("Location"), e.srv.URL)
	after := inv.get(loc)
	wantStatus(t, after, http.StatusOK)
	wantIn(t, "the exhibit page after the import", text(after), "3 communications imported (0 already recorded) from small-cdr.csv into SB/1.")
	cs, err := e.db.FindCommunications(e.leadCtx(t), e.caseID, caseroom.CommFilter{Endpoint: "+971501234567"})
	if err != nil || len(cs) != 1 || cs[0].ExhibitRef != "SB/1" || cs[0].Line != 4 || cs[0].Duration != 300 {
		t.Fatalf("the call abroad: %v, %+v", err, cs)
	}
	// The same file again adds nothing, and says so.
	p = upload(inv, map[string]string{"format": "cdr", "dateOrder": "dmy"}, "small-cdr.csv", cdr)
	wantStatus(t, p, http.StatusSeeOther)
	wantIn(t, "the second import", text(inv.get(strings.TrimPrefix(p.header.Get("Location"), e.srv.URL))), "0 communications imported (3 already recorded)")

	// A file with a bad row is refused whole, naming the line; the options are kept.
	bad := "A Party,B Party,Date/Time,Duration\n03001234567,03335550003,2015-06-23 10:00:00,10\n03001234567,03335550003,not a date,10\n"
	p = upload(inv, map[string]string{"format": "cdr", "map": "", "dateOrder": "ymd"}, "bad.csv", bad)
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "the refusal", text(p), "line 3", "Choose the file again", `<option value="ymd" selected>`)
	if cs, _ := e.db.FindCommunications(e.leadCtx(t), e.caseID, caseroom.CommFilter{Endpoint: "03335550003"}); len(cs) != 0 {
		t.Errorf("a refused file recorded %d communications", len(cs))
	}
	// No file, or options of the other format, are refused naming the field.
	p = upload(inv, map[string]string{"format": "cdr"}, "", "")
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "no file", text(p), "file: choose the file")
	p = upload(inv, map[string]string{"format": "chat", "dateOrder": "dmy"}, "chat.json", "[]")
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "a chat with a date order", text(p), "map, dateOrder: options of format cdr only")

	// A file larger than the form takes is refused with a page that says so.
	p = upload(inv, map[string]string{"format": "cdr"}, "huge.csv", "A Party,B Party,Date/Time\n"+strings.Repeat("03001234567,03335550005,2015-06-24 10:00:00\n", 9<<20/44))
	wantStatus(t, p, http.StatusBadRequest)
	wantIn(t, "a file too large", text(p), "The file sent is larger than a page's form takes (8 MB)")
	if cs, _ := e.db.FindCommunications(e.leadCtx(t), e.caseID, caseroom.CommFilter{Endpoint: "03335550005"}); len(cs) != 0 {
		t.Errorf("a file too large recorded %d communications", len(cs))
	}

	// Oversight does not handle exhibits: no form, and the service refuses the post.
	over := e.signIn(t, "olga")
	if strings.Contains(over.get(e.path("exhibits", e.exhibitID)).body, `enctype="multipart/form-data"`) {
		t.Error("oversight is offered the import form")
	}
	p = upload(over, map[string]string{"format": "cdr"}, "other.csv", "A Party,B Party,Date/Time\n03001234567,03335550004,2015-06-24 10:00:00\n")
	wantStatus(t, p, http.StatusForbidden)
}
