package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"caseroom"
	"caseroom/commsfile"
	"caseroom/money"
)

// The money, communications and timeline pages (issue 15): what the case's standing
// payments add up to, with the form that records a payment; whom a person, a phone
// or the whole case was in contact with; and every dated record of the case in time
// order. As on every page, what is shown is what the services return to the reader: an
// advocate is refused the money and communications pages by the services, and sees
// only their clients' entries on the timeline. The exhibit page's form that imports a
// file of communications into the exhibit posts here too.

// moneyRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) moneyRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases/{case}/money", s.uiMoney},
		{"POST", "/cases/{case}/money", s.uiRecordPayment},
		{"GET", "/cases/{case}/communications", s.uiCommunications},
		{"GET", "/cases/{case}/timeline", s.uiTimeline},
		{"POST", "/cases/{case}/exhibits/{id}/communications", s.uiImportCommunications},
	}
}

// moneyParts writes what the area's pages share: amounts, parties, sources, durations
// and times at their precision. The pages' data embed it.
type moneyParts struct {
	page *uiPage
}

// Amount writes an amount as documents in the case write it: the South Asian grouping
// first, then the international grouping and the words, "Rs 8,00,00,000.00
// (80,000,000.00; eight crore rupees)". The international form is left out where it is
// the same ("Rs 50,000.00 (fifty thousand rupees)"). Rupees are written Rs, other
// currencies by their ISO 4217 code.
func (moneyParts) Amount(a caseroom.MoneyAmount) string {
	sign := a.Currency
	if a.Currency == "PKR" {
		sign = "Rs"
	}
	t := a.Text
	if t.International == t.SouthAsian || t.International == "" {
		return fmt.Sprintf("%s %s (%s)", sign, t.SouthAsian, t.Words)
	}
	return fmt.Sprintf("%s %s (%s; %s)", sign, t.SouthAsian, t.International, t.Words)
}

// Paid writes a payment's amount as Amount does.
func (m moneyParts) Paid(p *caseroom.Payment) string {
	return m.Amount(caseroom.MoneyAmount{Currency: p.Currency, Amount: p.Amount, Text: p.AmountText})
}

// PartyPath is the page of a payer or payee: a person's page, an endpoint's
// communications; "" for an organisation, which has no page.
func (m moneyParts) PartyPath(pt caseroom.Party) string {
	switch pt.Kind {
	case caseroom.EntityPerson:
		return m.page.CasePath("people", pt.ID)
	case caseroom.EntityEndpoint:
		return m.page.CasePath("communications") + "?endpoint=" + url.QueryEscape(pt.ID)
	}
	return ""
}

// PersonPath is the page of a person by id.
func (m moneyParts) PersonPath(id string) string { return m.page.CasePath("people", id) }

// EndpointPath is the communications page of one endpoint.
func (m moneyParts) EndpointPath(id string) string {
	return m.page.CasePath("communications") + "?endpoint=" + url.QueryEscape(id)
}

// SourcePath is the page of the record a payment is known from.
func (m moneyParts) SourcePath(p *caseroom.Payment) string {
	switch p.SourceKind {
	case caseroom.EntityDocument:
		return m.page.CasePath("documents", p.SourceRef)
	case caseroom.EntityExhibit:
		return m.page.CasePath("exhibits", p.Source)
	case caseroom.EntityMedia:
		return m.page.CasePath("media", p.Source)
	}
	return ""
}

// partyLink is a payer, payee or person as a template shows it: a label, linked to
// its page if it has one.
type partyLink struct {
	Label string
	Kind  caseroom.EntityKind
	Path  string
}

// Party is a payer or payee as the mc-party template shows it.
func (m moneyParts) Party(pt caseroom.Party) partyLink {
	return partyLink{Label: pt.Label, Kind: pt.Kind, Path: m.PartyPath(pt)}
}

// totalsPart is the argument of the mc-totals template: a table of money totals.
type totalsPart struct {
	moneyParts
	Rows           []caseroom.MoneyTotal
	Heading, Empty string
}

// Totals is the argument of the mc-totals template for rows, with the heading of the
// first column and what is said when there are none.
func (m moneyParts) Totals(rows []caseroom.MoneyTotal, heading, empty string) totalsPart {
	return totalsPart{moneyParts: m, Rows: rows, Heading: heading, Empty: empty}
}

// TotalParty is the party a total is of.
func (m moneyParts) TotalParty(t caseroom.MoneyTotal) partyLink {
	return m.Party(caseroom.Party{ID: t.Key, Kind: t.Kind, Label: t.Label})
}

// endpointPart is an endpoint as the mc-endpoint template shows it.
type endpointPart struct {
	ID, Label, Service, Country string
	Kind                        caseroom.IdentifierKind
	Foreign                     bool
	Path                        string
	Holders                     []partyLink
}

// EndpointView is e as the mc-endpoint and mc-holders templates show it: its label (its
// value, or its holder's pseudonym if the value is withheld), linked to its
// communications, and its holders linked to their pages.
func (m moneyParts) EndpointView(e caseroom.Endpoint) endpointPart {
	ep := endpointPart{ID: e.ID, Label: e.Label(), Service: e.Service, Country: e.Country, Kind: e.Kind, Foreign: e.Foreign, Path: m.EndpointPath(e.ID)}
	for _, h := range e.Holders {
		ep.Holders = append(ep.Holders, m.Party(h))
	}
	return ep
}

// counterpartsPart is the argument of the mc-counterparts template.
type counterpartsPart struct {
	moneyParts
	Rows    []caseroom.Counterpart
	Caption string
	// Shared adds the column of the other suspects in contact with each.
	Shared bool
}

// Counterparts is the argument of the mc-counterparts template for rows.
func (m moneyParts) Counterparts(rows []caseroom.Counterpart, caption string, shared bool) counterpartsPart {
	return counterpartsPart{moneyParts: m, Rows: rows, Caption: caption, Shared: shared}
}

// Duration writes a number of seconds as h:mm:ss, or m:ss under an hour.
func (moneyParts) Duration(sec int64) string {
	if sec < 0 {
		sec = 0
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// When writes a timeline entry's time at the precision it is known to, in the case's
// time zone: "2015-06-15 12:00" for a time, "2015-06-15" for a day, "2015-06" for a
// month, "2015" for a year.
func (m moneyParts) When(e caseroom.TimelineEntry) string {
	t := e.Time.In(m.page.location())
	switch e.Precision {
	case "day":
		return t.Format("2006-01-02")
	case "month":
		return t.Format("2006-01")
	case "year":
		return t.Format("2006")
	}
	return t.Format("2006-01-02 15:04")
}

// Seconds writes a time to the second in the case's time zone, for communications.
func (m moneyParts) Seconds(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(m.page.location()).Format("2006-01-02 15:04:05")
}

// ---- The money page ----

// moneyView is the money page's data.
type moneyView struct {
	moneyParts
	Summary  *caseroom.MoneySummary
	Payments []paymentRow
	Charts   []*moneyChart
	// CanRecord is set for the roles that record payments; the service decides again.
	CanRecord bool
	Form      paymentForm
	// FormError is the field the last refusal named, if it is one of the form's.
	FormError string
	Persons   []*caseroom.Person
	Documents []*caseroom.Document
	Exhibits  []*caseroom.Exhibit
	Methods   []caseroom.PaymentMethod
	Purposes  []caseroom.PaymentPurpose
}

// paymentRow is a payment in the list, with how its correction stands.
type paymentRow struct {
	*caseroom.Payment
	// Withdrawn is set when a later payment withdraws this one (Retracts); Corrected
	// when a later one corrects it otherwise. By lists those later payments.
	Withdrawn, Corrected bool
}

// moneyChart is the chart of extortion paid per month in one currency, with the exact
// figures it draws.
type moneyChart struct {
	ID       string
	Currency string
	// Unit is the unit the bars are drawn in: crore, lakh, thousand, million...; ""
	// for whole units of the currency.
	Unit string
	*barChart
	Months []caseroom.MoneyMonth
}

// paymentForm is the payment form's input, as typed.
type paymentForm struct {
	Payer, PayerAccount, Payee, PayeeAccount string
	Amount, Currency, At                     string
	Method, Purpose, Source, Note            string
	Corrects, Reason                         string
	Retracts                                 bool
}

// paymentFormFields are the service's and the form's names of the fields a refusal
// may name.
var paymentFormFields = []string{"payer", "payee", "amount", "currency", "at", "method", "purpose", "source", "note", "corrects", "reason"}

// uiMoney shows the case's money: totals, the tables of who paid whom, the chart of
// extortion per month and the list of payments, with the form that records one.
func (s *Server) uiMoney(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Money", "money")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	s.renderMoney(w, r, p, http.StatusOK, paymentForm{Currency: "PKR", Method: string(caseroom.PaymentCash), Purpose: string(caseroom.PurposeExtortion)}, "")
}

// renderMoney reads what the money page shows and renders it with the form as given.
func (s *Server) renderMoney(w http.ResponseWriter, r *http.Request, p *uiPage, status int, form paymentForm, formError string) {
	ctx, caseID := r.Context(), p.Case.ID
	sum, err := s.Payments.SummarisePayments(ctx, caseID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	ps, err := s.Payments.FindPayments(ctx, caseID, caseroom.PaymentFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	v := &moneyView{moneyParts: moneyParts{page: p}, Summary: sum, Payments: paymentRows(ps), Form: form, FormError: formError,
		CanRecord: p.Case.Role.CanRecord(), Methods: caseroom.PaymentMethods, Purposes: caseroom.PaymentPurposes}
	if v.Charts, err = extortionCharts(sum.ExtortionByMonth); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	if v.CanRecord {
		forbidden := func(err error) bool { return caseroom.ErrorCode(err) == caseroom.EFORBIDDEN }
		if v.Persons, err = s.Persons.FindPersons(ctx, caseID, caseroom.PersonFilter{}); err != nil {
			s.uiError(w, r, p, err)
			return
		}
		if v.Documents, err = s.Documents.FindDocuments(ctx, caseID, caseroom.DocumentFilter{}); err != nil {
			s.uiError(w, r, p, err)
			return
		}
		if v.Exhibits, err = s.Exhibits.FindExhibits(ctx, caseID); err != nil && !forbidden(err) {
			s.uiError(w, r, p, err)
			return
		}
	}
	p.Body = v
	s.renderUIStatus(w, r, status, "money", p)
}

// paymentRows marks each payment with how later ones correct it.
func paymentRows(ps []*caseroom.Payment) []paymentRow {
	retraction := map[string]bool{}
	for _, p := range ps {
		if p.Retracts {
			retraction[p.Ref] = true
		}
	}
	rows := make([]paymentRow, len(ps))
	for i, p := range ps {
		row := paymentRow{Payment: p}
		for _, by := range p.CorrectedBy {
			if retraction[by] {
				row.Withdrawn = true
			} else {
				row.Corrected = true
			}
		}
		rows[i] = row
	}
	return rows
}

// chartUnits are the units an amount's short form may end in, and their size in the
// currency's major unit.
var chartUnits = map[string]float64{"thousand": 1e3, "lakh": 1e5, "million": 1e6, "crore": 1e7, "arab": 1e9, "billion": 1e9,
	"kharab": 1e11, "trillion": 1e12}

// extortionCharts draws the extortion paid per month, one chart per currency (amounts
// in different currencies are never added up). Bars are drawn in the unit of the
// largest month's short form (crore, lakh, million...), so that the axis reads "2.5"
// rather than 25000000; the exact amounts are in the table under the chart. Months
// between the first and the last with nothing paid are drawn as empty bars, up to
// twenty years of them.
func extortionCharts(months []caseroom.MoneyMonth) ([]*moneyChart, error) {
	var currencies []string
	largest := map[string]caseroom.MoneyAmount{}
	for _, m := range months {
		for _, a := range m.Amounts {
			if _, ok := largest[a.Currency]; !ok {
				currencies = append(currencies, a.Currency)
			}
			if a.Amount >= largest[a.Currency].Amount {
				largest[a.Currency] = a
			}
		}
	}
	var charts []*moneyChart
	labels, index := monthBuckets(months)
	for _, code := range currencies {
		cur, err := money.LookupCurrency(code)
		if err != nil {
			return nil, fmt.Errorf("chart of extortion in %s: %w", code, err)
		}
		c := &moneyChart{ID: "chart-extortion-" + strings.ToLower(code), Currency: code}
		scale := math.Pow10(cur.Digits)
		if f := strings.Fields(largest[code].Text.Short); len(f) == 2 && chartUnits[f[1]] > 0 {
			c.Unit = f[1]
			scale *= chartUnits[f[1]]
		}
		values := make([]float64, len(labels))
		for _, m := range months {
			for _, a := range m.Amounts {
				if a.Currency == code {
					values[index(m.Month)] += float64(a.Amount) / scale
					c.Months = append(c.Months, caseroom.MoneyMonth{Month: m.Month, Amounts: []caseroom.MoneyAmount{a}, Count: m.Count})
				}
			}
		}
		unit := code
		if c.Unit != "" {
			unit = code + ", " + c.Unit
		}
		c.barChart = &barChart{Title: fmt.Sprintf("Extortion paid per month (%s)", unit), Categories: labels,
			Series: []chartSeries{{Name: "Extortion (" + unit + ")", Values: values}}, Empty: "No extortion recorded", MaxLabels: 8}
		charts = append(charts, c)
	}
	return charts, nil
}

// monthBuckets returns the months from the first to the last of months (YYYY-MM, in
// order), every month between them included if they span at most 240, and the index
// of a month among them.
func monthBuckets(months []caseroom.MoneyMonth) ([]string, func(string) int) {
	var labels []string
	at := map[string]int{}
	add := func(m string) {
		if _, ok := at[m]; !ok {
			at[m] = len(labels)
			labels = append(labels, m)
		}
	}
	if len(months) > 0 {
		first, err1 := time.Parse("2006-01", months[0].Month)
		last, err2 := time.Parse("2006-01", months[len(months)-1].Month)
		if err1 == nil && err2 == nil && !last.Before(first) && last.Sub(first) <= 240*31*24*time.Hour {
			for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
				add(m.Format("2006-01"))
			}
		}
	}
	for _, m := range months {
		add(m.Month)
	}
	sort.Strings(labels)
	for i, m := range labels {
		at[m] = i
	}
	return labels, func(m string) int { return at[m] }
}

// uiRecordPayment records a payment from the form. The amount is typed in the
// currency's major unit (rupees) and converted exactly to its minor units (paisa). A
// refusal shows the money page again with the input kept and the field named.
func (s *Server) uiRecordPayment(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Money", "money")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	f := r.PostForm
	form := paymentForm{Payer: f.Get("payer"), PayerAccount: strings.TrimSpace(f.Get("payerAccount")), Payee: f.Get("payee"),
		PayeeAccount: strings.TrimSpace(f.Get("payeeAccount")), Amount: strings.TrimSpace(f.Get("amount")),
		Currency: strings.ToUpper(strings.TrimSpace(f.Get("currency"))), At: strings.TrimSpace(f.Get("at")), Method: f.Get("method"),
		Purpose: f.Get("purpose"), Source: f.Get("source"), Note: strings.TrimSpace(f.Get("note")), Corrects: f.Get("corrects"),
		Reason: strings.TrimSpace(f.Get("reason")), Retracts: f.Get("retracts") != ""}
	np := caseroom.NewPayment{Currency: form.Currency, At: form.At, Method: caseroom.PaymentMethod(form.Method),
		Purpose: caseroom.PaymentPurpose(form.Purpose), Source: form.Source, Note: form.Note, Corrects: form.Corrects,
		Retracts: form.Retracts, Reason: form.Reason}
	np.Payer, err = formParty("payer", form.Payer, form.PayerAccount)
	if err == nil {
		np.Payee, err = formParty("payee", form.Payee, form.PayeeAccount)
	}
	if err == nil {
		code := form.Currency
		if code == "" {
			code = "PKR"
		}
		var cur money.Currency
		if cur, err = money.LookupCurrency(code); err == nil {
			var amount caseroom.MinorUnits
			if amount, err = parseAmount(form.Amount, cur); err == nil {
				np.Amount = &amount
			}
		}
	}
	var pm *caseroom.Payment
	if err == nil {
		pm, err = s.Payments.RecordPayment(r.Context(), p.Case.ID, np)
	}
	if err == nil {
		parts := moneyParts{page: p}
		redirectDone(w, r, p.CasePath("money"), fmt.Sprintf("Recorded %s: %s from %s to %s.", pm.Ref, parts.Paid(pm), pm.Payer.Label, pm.Payee.Label))
		return
	}
	if caseroom.ErrorCode(err) != caseroom.EINVALID {
		s.uiError(w, r, p, err)
		return
	}
	p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
	s.renderMoney(w, r, p, http.StatusBadRequest, form, errorField(caseroom.ErrorMessage(err), paymentFormFields))
}

// formParty is the payer or payee the form gives: the person chosen, or the account
// (or pseudonym) written instead.
func formParty(field, chosen, written string) (string, error) {
	if chosen != "" && written != "" {
		return "", caseroom.Errorf(caseroom.EINVALID, "%s: choose a person or write an account, not both", field)
	}
	if written != "" {
		return written, nil
	}
	return chosen, nil
}

// errorField is the field a refusal's message names ("amount: ..." names amount), if
// it is one of fields; "" otherwise. A message naming several ("note, reason: ...")
// names the first.
func errorField(msg string, fields []string) string {
	head, _, ok := strings.Cut(msg, ":")
	if !ok {
		return ""
	}
	head, _, _ = strings.Cut(head, ",")
	head = strings.TrimSpace(head)
	for _, f := range fields {
		if f == head {
			return f
		}
	}
	return ""
}

// parseAmount reads an amount as a person types it in the major unit of c (rupees
// for PKR) and returns it in c's minor units (paisa), exactly: no floating point is
// involved. The amount is digits with at most c.Digits decimals after a point
// ("1250.50"); the whole part may be grouped with commas, in the South Asian way
// (12,50,000) or the international (1,250,000), and spaces are ignored. The minor
// units are the whole part's digits followed by the decimals padded to c.Digits:
// "1,250.50" rupees is "1250" + "50" = 125050 paisa, "1,250.5" is 125050 too.
// Returns EINVALID naming the field amount for anything else: a sign, more decimals
// than the currency has ("12.345" rupees), a comma not grouping three or two digits,
// or an amount above caseroom.MaxPaymentAmount.
func parseAmount(s string, c money.Currency) (caseroom.MinorUnits, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\t' {
			return -1
		}
		return r
	}, s)
	example := "1,250.50"
	if c.Digits == 0 {
		example = "1,250"
	}
	if s == "" {
		return 0, caseroom.Errorf(caseroom.EINVALID, "amount: required; write it in %s, such as %s", majorUnit(c), example)
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !groupedDigits(whole) || !allDigits(frac) || (hasPoint && frac == "" && whole == "") {
		return 0, caseroom.Errorf(caseroom.EINVALID, "amount: %q is not an amount; write digits, grouped with commas if you like, with up to %d decimals after a point, such as %s", s, c.Digits, example)
	}
	if len(frac) > c.Digits {
		if c.Digits == 0 {
			return 0, caseroom.Errorf(caseroom.EINVALID, "amount: %q has decimals, but %s has no minor unit; write a whole number", s, c.Code)
		}
		return 0, caseroom.Errorf(caseroom.EINVALID, "amount: %q has %d decimals, but an amount in %s has at most %d", s, len(frac), c.Code, c.Digits)
	}
	digits := strings.TrimLeft(strings.ReplaceAll(whole, ",", ""), "0") + frac + strings.Repeat("0", c.Digits-len(frac))
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		digits = "0"
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > caseroom.MaxPaymentAmount {
		max := money.Text(caseroom.MaxPaymentAmount, c)
		return 0, caseroom.Errorf(caseroom.EINVALID, "amount: %q is more than one payment can be; the most is %s %s", s, c.Code, max.International)
	}
	return caseroom.MinorUnits(n), nil
}

// majorUnit names a currency's major unit for a message: "rupees (PKR)", or its code.
func majorUnit(c money.Currency) string {
	if c.Name != "" {
		return c.Name + " (" + c.Code + ")"
	}
	return c.Code
}

// allDigits reports whether s is ASCII digits only (or empty).
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// groupedDigits reports whether s is digits (or empty), or digits grouped by commas
// as amounts are written: the last group of three, those before it of two or three
// (12,50,000 and 1,250,000; not 1,25 or 12,5).
func groupedDigits(s string) bool {
	groups := strings.Split(s, ",")
	if len(groups) == 1 {
		return allDigits(s)
	}
	for i, g := range groups {
		switch {
		case !allDigits(g) || g == "":
			return false
		case i == 0 && len(g) > 3:
			return false
		case i == len(groups)-1 && len(g) != 3:
			return false
		case i > 0 && len(g) != 2 && len(g) != 3:
			return false
		}
	}
	return true
}

// ---- The communications page ----

// commsView is the communications page's data.
type commsView struct {
	moneyParts
	// Person and Endpoint are the subject as asked for (?person=, ?endpoint=).
	Person, Endpoint string
	Persons          []*caseroom.Person
	Summary          *caseroom.CommSummary
	// Top are the counterparts listed (at most commsTopShown); More how many others the
	// summary ranks.
	Top       []caseroom.Counterpart
	More      int
	Chart     *barChart
	ChartTop  []caseroom.Counterpart
	Countries []countryCount
	// Communications are the subject's latest, in time order.
	Communications []*caseroom.Communication
	Abroad         []caseroom.Endpoint
}

// countryCount is the number of foreign counterparts in one country.
type countryCount struct {
	Country string
	N       int
}

// The communications page lists the first commsTopShown counterparts, charts the
// first commsChartBars, and lists the latest commsListed communications.
const (
	commsTopShown  = 50
	commsChartBars = 10
	commsListed    = 200
)

// uiCommunications shows whom the case, a person (?person=) or an endpoint
// (?endpoint=) was in contact with: the top counterparts, foreign contacts by country,
// counterparts shared with other suspects, a chart of the top ten, the subject's latest
// communications and the case's endpoints abroad.
func (s *Server) uiCommunications(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Communications", "communications")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	ctx, caseID, q := r.Context(), p.Case.ID, r.URL.Query()
	v := &commsView{moneyParts: moneyParts{page: p}, Person: strings.TrimSpace(q.Get("person")), Endpoint: strings.TrimSpace(q.Get("endpoint"))}
	p.Body = v
	// The whole case's endpoints abroad first: it is refused to a role that does not
	// read communications, before anything else is read.
	abroad, err := s.Comms.FindEndpoints(ctx, caseID, true)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	for _, e := range abroad {
		v.Abroad = append(v.Abroad, *e)
	}
	sort.SliceStable(v.Abroad, func(i, j int) bool {
		if v.Abroad[i].Country != v.Abroad[j].Country {
			return v.Abroad[i].Country < v.Abroad[j].Country
		}
		return v.Abroad[i].Label() < v.Abroad[j].Label()
	})
	if v.Persons, err = s.Persons.FindPersons(ctx, caseID, caseroom.PersonFilter{}); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	sum, err := s.Comms.SummariseCommunications(ctx, caseID, v.Person, v.Endpoint)
	if caseroom.ErrorCode(err) == caseroom.EINVALID {
		p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
		s.renderUIStatus(w, r, http.StatusBadRequest, "communications", p)
		return
	}
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	v.Summary = sum
	if sum.Subject != nil {
		p.Title = "Communications of " + sum.Subject.Label
	}
	v.Top = sum.Counterparts
	if len(v.Top) > commsTopShown {
		v.Top, v.More = v.Top[:commsTopShown], len(v.Top)-commsTopShown
	}
	v.ChartTop = sum.Counterparts[:min(len(sum.Counterparts), commsChartBars)]
	v.Chart = counterpartChart(sum, v.ChartTop)
	for c, n := range sum.ForeignByCountry {
		v.Countries = append(v.Countries, countryCount{c, n})
	}
	sort.Slice(v.Countries, func(i, j int) bool {
		if v.Countries[i].N != v.Countries[j].N {
			return v.Countries[i].N > v.Countries[j].N
		}
		return v.Countries[i].Country < v.Countries[j].Country
	})
	f := caseroom.CommFilter{Person: v.Person, Endpoint: v.Endpoint}
	if v.Communications, err = s.latestCommunications(r, caseID, f, sum.Last, commsListed); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	s.renderUI(w, r, "communications", p)
}

// counterpartChart draws the contacts with each of the top counterparts, split into
// those the subject began, those the counterpart began, and those whose direction the
// record does not say. Bars are numbered by rank; the table beside the chart names
// each.
func counterpartChart(sum *caseroom.CommSummary, top []caseroom.Counterpart) *barChart {
	title := "Contacts of the case's most active endpoints"
	if sum.Subject != nil {
		title = "Contacts of " + sum.Subject.Label + " with their top counterparts"
	}
	c := &barChart{Title: title, Empty: "No communications recorded", Series: []chartSeries{{Name: "outgoing"}, {Name: "incoming"}, {Name: "direction not known"}}}
	for i, cp := range top {
		c.Categories = append(c.Categories, strconv.Itoa(i+1))
		c.Series[0].Values = append(c.Series[0].Values, float64(cp.Outgoing))
		c.Series[1].Values = append(c.Series[1].Values, float64(cp.Incoming))
		c.Series[2].Values = append(c.Series[2].Values, float64(max(cp.Contacts-cp.Outgoing-cp.Incoming, 0)))
	}
	if sum.Subject == nil {
		// Across the whole case an endpoint's contacts are not its own or another's.
		c.Series = []chartSeries{{Name: "contacts"}}
		for _, cp := range top {
			c.Series[0].Values = append(c.Series[0].Values, float64(cp.Contacts))
		}
	}
	return c
}

// latestCommunications returns the latest n communications of the filter's subject
// (or of the case), in time order. FindCommunications lists from the earliest, a page
// of at most commsPage at a time, so the latest are found by a window that ends after
// the last contact (last, from the summary): the whole span is asked for first, and,
// if it holds more than a page, a window back from the last contact that widens
// (doubling from an hour) until it holds at least n, and narrows by halves when it
// holds a page or more. It stops after commsSearchSteps windows with what it has.
func (s *Server) latestCommunications(r *http.Request, caseID string, f caseroom.CommFilter, last *time.Time, n int) ([]*caseroom.Communication, error) {
	const commsPage, commsSearchSteps = 2000, 40
	ctx := r.Context()
	f.Limit = commsPage
	cs, err := s.Comms.FindCommunications(ctx, caseID, f)
	if err != nil || len(cs) < commsPage || last == nil {
		return tail(cs, n), err
	}
	// narrow holds fewer than n (0: none known), wide a page or more (0: none known).
	var narrow, wide time.Duration
	window := time.Hour
	for range commsSearchSteps {
		from := last.Add(-window)
		f.From = &from
		got, err := s.Comms.FindCommunications(ctx, caseID, f)
		if err != nil {
			return nil, err
		}
		switch {
		case len(got) >= commsPage:
			wide = window
		case len(got) >= n:
			return tail(got, n), nil
		default:
			narrow, cs = window, got
		}
		if wide == 0 {
			window *= 2
		} else {
			window = narrow + (wide-narrow)/2
		}
		if wide != 0 && wide-narrow < time.Second {
			break
		}
	}
	return tail(cs, n), nil
}

// tail is the last n of cs.
func tail(cs []*caseroom.Communication, n int) []*caseroom.Communication {
	if len(cs) > n {
		return cs[len(cs)-n:]
	}
	return cs
}

// ---- The timeline ----

// timelineView is the timeline page's data.
type timelineView struct {
	moneyParts
	Persons []*caseroom.Person
	// The filter, as given.
	Person, From, To string
	Kinds            []timelineKindOption
	Filtered         bool
	Page             *caseroom.TimelinePage
	// Paged is set past the first page; First and Next are the addresses of the
	// first and the next page with the same filter ("" for none).
	Paged       bool
	First, Next string
}

// timelineKindOption is a kind of entry as the filter offers it.
type timelineKindOption struct {
	Kind    caseroom.TimelineKind
	Label   string
	Checked bool
}

// timelineKindLabels say what each kind of entry is, as people read it.
var timelineKindLabels = map[caseroom.TimelineKind]string{
	caseroom.TimelineComplaint:     "Complaints",
	caseroom.TimelineStatement:     "Statements",
	caseroom.TimelineDocument:      "Other documents",
	caseroom.TimelineRetraction:    "Retractions",
	caseroom.TimelineAction:        "Actions raised",
	caseroom.TimelineActionStep:    "Action steps",
	caseroom.TimelineDecision:      "Policy decisions",
	caseroom.TimelineArrest:        "Arrests",
	caseroom.TimelineProduction:    "Productions before a magistrate",
	caseroom.TimelineCustody:       "Custody of exhibits",
	caseroom.TimelineMedia:         "Seized files created",
	caseroom.TimelinePayment:       "Payments",
	caseroom.TimelineCommunication: "Calls and messages",
	caseroom.TimelineContact:       "Contacts with victims",
}

// uiTimeline shows the case's dated records in time order, a page of the service's
// default size at a time, filtered by person, dates and kinds; ?after= is the cursor
// of the page's last entry that the service returns as next.
func (s *Server) uiTimeline(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Timeline", "timeline")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	ctx, caseID, q := r.Context(), p.Case.ID, r.URL.Query()
	v := &timelineView{moneyParts: moneyParts{page: p}, Person: strings.TrimSpace(q.Get("person")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	p.Body = v
	f := caseroom.TimelineFilter{Person: v.Person, After: q.Get("after")}
	chosen := map[caseroom.TimelineKind]bool{}
	for _, ks := range q["kinds"] {
		for _, k := range strings.Split(ks, ",") {
			if k = strings.TrimSpace(k); k != "" && !chosen[caseroom.TimelineKind(k)] {
				chosen[caseroom.TimelineKind(k)] = true
				f.Kinds = append(f.Kinds, caseroom.TimelineKind(k))
			}
		}
	}
	for _, k := range caseroom.TimelineKinds {
		v.Kinds = append(v.Kinds, timelineKindOption{Kind: k, Label: timelineKindLabels[k], Checked: chosen[k]})
	}
	v.Filtered = v.Person != "" || v.From != "" || v.To != "" || len(f.Kinds) > 0
	v.Paged = f.After != ""
	if v.Persons, err = s.Persons.FindPersons(ctx, caseID, caseroom.PersonFilter{}); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	f.From, err = dayBound(v.From, "from", p.location(), false)
	if err == nil {
		f.To, err = dayBound(v.To, "to", p.location(), true)
	}
	if err == nil {
		v.Page, err = s.Timeline.Timeline(ctx, caseID, f)
	}
	if caseroom.ErrorCode(err) == caseroom.EINVALID {
		p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
		s.renderUIStatus(w, r, http.StatusBadRequest, "timeline", p)
		return
	}
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	filter := url.Values{}
	for key, val := range map[string]string{"person": v.Person, "from": v.From, "to": v.To} {
		if val != "" {
			filter.Set(key, val)
		}
	}
	for _, k := range f.Kinds {
		filter.Add("kinds", string(k))
	}
	v.First = p.CasePath("timeline")
	if len(filter) > 0 {
		v.First += "?" + filter.Encode()
	}
	if v.Page.Next != "" {
		filter.Set("after", v.Page.Next)
		v.Next = p.CasePath("timeline") + "?" + filter.Encode()
	}
	s.renderUI(w, r, "timeline", p)
}

// dayBound reads a date of the timeline's filter as the start of that day in the
// case's time zone (the end of it for the upper bound); nil if empty. Returns
// EINVALID naming the field for anything but a date.
func dayBound(v, field string, loc *time.Location, end bool) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, loc)
	if err != nil {
		return nil, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a date; write 2015-06-01 or use the picker", field, v)
	}
	if end {
		t = t.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	return &t, nil
}

// ---- Importing a file of communications from the exhibit page ----

// commsImportForm is the exhibit page's import form, as typed (the file itself is
// never kept: it is chosen again after a refusal).
type commsImportForm struct {
	Format, Map, DateOrder, Service string
}

// uiImportCommunications imports the file of communications uploaded with the
// exhibit page's form into the exhibit, as the API's import does (see
// handleImportCommunications): the file is read with the reader of its format (cdr or
// chat, with the form's column map, date order and service), in the case's time
// zone, and recorded by the service, which decides who may import into which exhibit.
// The upload is part of the page's form, so it is bounded by the form's size
// (maxBody); larger files are imported with caseroom import comms or the API. A
// refusal for the file or the options shows the exhibit page again with the message.
func (s *Server) uiImportCommunications(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Exhibit", "exhibits")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	form := commsImportForm{Format: r.PostFormValue("format"), Map: strings.TrimSpace(r.PostFormValue("map")),
		DateOrder: r.PostFormValue("dateOrder"), Service: strings.TrimSpace(r.PostFormValue("service"))}
	imp, err := s.importUploadedComms(r, p, form)
	if err == nil {
		msg := fmt.Sprintf("%s imported (%d already recorded) from %s into %s.", countNoun(imp.Added, "communication", "communications"), imp.Skipped, imp.Name, imp.ExhibitRef)
		redirectDone(w, r, p.CasePath("exhibits", imp.Exhibit), msg)
		return
	}
	if caseroom.ErrorCode(err) != caseroom.EINVALID {
		s.uiError(w, r, p, err)
		return
	}
	body, perr := s.exhibitPage(r, p, custodyForm{At: p.InputTime(s.now())})
	if perr != nil {
		s.uiError(w, r, p, perr)
		return
	}
	body.Import = form
	p.Body = body
	p.Flash, p.FlashError = caseroom.ErrorMessage(err)+" Choose the file again to send it.", true
	s.renderUIStatus(w, r, http.StatusBadRequest, "exhibit", p)
}

// importUploadedComms reads the form's file and imports it into the exhibit of the
// path.
func (s *Server) importUploadedComms(r *http.Request, p *uiPage, form commsImportForm) (*caseroom.CommImport, error) {
	if form.Format != "cdr" && form.Format != "chat" {
		return nil, caseroom.Errorf(caseroom.EINVALID, "format: %q is neither cdr (call-detail records, CSV) nor chat (a chat service's contacts and messages)", form.Format)
	}
	var fh *multipart.FileHeader
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		fh = r.MultipartForm.File["file"][0]
	}
	if fh == nil || fh.Size == 0 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "file: choose the file of communications to import (call-detail records as CSV, or a chat export)")
	}
	read, err := commsfile.Reader(form.Format, form.Map, form.DateOrder, form.Service)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	if err := copyFile(h, fh); err != nil {
		return nil, caseroom.Errorf(caseroom.EINVALID, "file: the file could not be read: %v; send it again", err)
	}
	return s.Comms.ImportCommunications(r.Context(), p.Case.ID, caseroom.NewCommImport{
		Exhibit: r.PathValue("id"), Format: form.Format, SHA256: hex.EncodeToString(h.Sum(nil)), Name: path.Base(strings.ReplaceAll(fh.Filename, `\`, "/")),
		Rows: func(loc *time.Location, fn func(caseroom.CommRow) error) error {
			f, err := fh.Open()
			if err != nil {
				return err
			}
			defer f.Close()
			return read(f, loc, fn)
		},
	})
}

// copyFile copies an uploaded file to w.
func copyFile(w io.Writer, fh *multipart.FileHeader) error {
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// countNoun writes a number with the noun that fits it: "1 communication", "3
// communications".
func countNoun(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

// commsUploadLimit is the largest file the exhibit page's form sends, in bytes: the
// form's bound less room for its other fields.
const commsUploadLimit = maxBody - 64<<10
