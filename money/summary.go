package money

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"caseroom"
)

// Summarise adds up the standing payments (see caseroom.Payment.Standing); withdrawn
// and corrected ones are ignored. CaseID and RestrictedPayments are left for the
// caller to set.
//
// The totals:
//   - Total is the sum per currency, Payments the number of standing payments.
//   - ByPurpose has one total per purpose present, in the order of
//     caseroom.PaymentPurposes (a purpose not in that list follows, by name).
//   - ByPayer and ByPayee have one total per party id, with Label and Kind from the
//     party as the earliest payment names it.
//   - ExtortionByFamily has, for each family, the extortion paid by any member (the
//     victim and the members listed); Key and Label are the victim's. A payment whose
//     payer is in two families counts in both, so these totals may add up to more
//     than the extortion paid. A family that paid nothing is left out.
//   - ReceivedBySuspect has, for each suspect, what was paid to the suspect's party
//     id for any purpose (a payment to an account the suspect holds counts only if the
//     caller passes that account as a suspect). A suspect paid nothing is left out.
//   - ExtortionByMonth has the extortion paid per month of the payment's time, months
//     in order and without gaps filled; payments known only to a year are counted in
//     UndatedExtortion.
//
// Every total has its amounts per currency in code order, each written out by Text
// (a currency LookupCurrency refuses is still summed, on its own, and written with
// two digits and its code: "pkr" is not PKR), and lists its payments' refs in time
// order: by At, a partial date before the dates within it (2024-03, then
// 2024-03-05, then 2024-03-05T09:00:00Z) and an RFC 3339 time by its moment in UTC,
// then by the number of the ref (PM-2 before PM-10).
//
// Totals per party and per family are largest first. As amounts in different
// currencies cannot be compared, currencies are ranked, the one most payments are in
// first (then by code), and two totals are compared by their amount in each currency
// in rank order, a missing currency counting as nothing; then by more payments, then
// by Label and Key.
//
// Each amount must be from 1 to caseroom.MaxPaymentAmount (10^13), so up to 922,337
// standing payments in one currency always add up within int64. Summarise never
// wraps a sum: it returns EINVALID if a standing payment's amount is out of that
// range or its time is not YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339, or if the payments
// in one currency add up to more than int64 holds; the message names what to correct.
// It changes none of its arguments.
//
// Summarise reads each payment once and puts them in time order by counting them out
// per date, so its time grows about linearly with the payments (see
// BenchmarkSummarise).
func Summarise(payments []*caseroom.Payment, families []caseroom.Family, suspects []caseroom.Party) (*caseroom.MoneySummary, error) {
	if len(payments) > math.MaxInt32 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "money summary: %d payments are more than one summary adds up (%d)", len(payments), math.MaxInt32)
	}
	s := &summer{party: map[string]int32{}, purpose: map[caseroom.PaymentPurpose]int32{}, texts: map[textKey]caseroom.AmountText{}}
	for _, f := range families {
		s.partyIndex(f.Victim.ID)
		for _, m := range f.Members {
			s.partyIndex(m.ID)
		}
	}
	for _, sp := range suspects {
		s.partyIndex(sp.ID)
	}
	for _, pp := range caseroom.PaymentPurposes {
		s.purposeIndex(pp)
	}
	entries, keys, err := s.read(payments)
	if err != nil {
		return nil, err
	}
	s.rankCurrencies(entries)

	// The grand total, with checked sums: every other total adds up a subset of the
	// same payments (each at most once), so none can overflow if this does not.
	total := s.newTally("", "", "", 0)
	for i := range entries {
		e := &entries[i]
		if total.sums[e.cur] > math.MaxInt64-e.amount {
			return nil, caseroom.Errorf(caseroom.EINVALID, "money summary: the standing payments in %s add up to more than %d minor units, the most a total holds; look for amounts recorded wrongly and correct them", s.cur[e.cur], int64(math.MaxInt64))
		}
		total.sums[e.cur] += e.amount
	}

	keys = inTimeOrder(keys, entries, payments)

	// Who belongs to which family, and which parties are suspects.
	famOf := make([][]int32, len(s.asPayer))
	famCap := make([]int, len(families))
	for fi, f := range families {
		for _, id := range append([]string{f.Victim.ID}, partyIDs(f.Members)...) {
			if id == "" {
				continue
			}
			pi := s.party[id]
			if l := famOf[pi]; len(l) > 0 && l[len(l)-1] == int32(fi) {
				continue // listed twice in one family
			}
			famOf[pi] = append(famOf[pi], int32(fi))
			famCap[fi] += s.asPayer[pi]
		}
	}
	suspectOf := make([]int32, len(s.asPayer))
	for i := range suspectOf {
		suspectOf[i] = -1
	}
	for si, sp := range suspects {
		if pi := s.party[sp.ID]; sp.ID != "" && suspectOf[pi] < 0 {
			suspectOf[pi] = int32(si)
		}
	}

	extortion := s.purpose[caseroom.PurposeExtortion]
	byPurpose := make([]*tally, len(s.purposes))
	byPayer := make([]*tally, len(s.asPayer))
	byPayee := make([]*tally, len(s.asPayer))
	byFamily := make([]*tally, len(families))
	bySuspect := make([]*tally, len(suspects))
	byMonth := map[int32]*tally{}
	undated := 0
	for _, k := range keys {
		e := &entries[k.i]
		t := byPurpose[e.purpose]
		if t == nil {
			pp := string(s.purposes[e.purpose])
			t = s.newTally(pp, pp, "", s.perPurpose[e.purpose])
			byPurpose[e.purpose] = t
		}
		t.add(e)
		if t = byPayer[e.payer]; t == nil {
			t = s.newTally(payments[e.idx].Payer.ID, payments[e.idx].Payer.Label, payments[e.idx].Payer.Kind, s.asPayer[e.payer])
			byPayer[e.payer] = t
		}
		t.add(e)
		if t = byPayee[e.payee]; t == nil {
			t = s.newTally(payments[e.idx].Payee.ID, payments[e.idx].Payee.Label, payments[e.idx].Payee.Kind, s.asPayee[e.payee])
			byPayee[e.payee] = t
		}
		t.add(e)
		if si := suspectOf[e.payee]; si >= 0 {
			if bySuspect[si] == nil {
				sp := suspects[si]
				bySuspect[si] = s.newTally(sp.ID, sp.Label, sp.Kind, s.asPayee[e.payee])
			}
			bySuspect[si].add(e)
		}
		if e.purpose != extortion {
			continue
		}
		for _, fi := range famOf[e.payer] {
			if byFamily[fi] == nil {
				f := families[fi]
				byFamily[fi] = s.newTally(f.Victim.ID, f.Victim.Label, f.Victim.Kind, famCap[fi])
				byFamily[fi].members = slices.Clone(f.Members)
			}
			byFamily[fi].add(e)
		}
		if e.month == 0 {
			undated++
			continue
		}
		if t = byMonth[e.month]; t == nil {
			t = s.newTally("", "", "", 0)
			byMonth[e.month] = t
		}
		t.sums[e.cur] += e.amount
		t.count++
	}

	sum := &caseroom.MoneySummary{
		Total:             s.amounts(total.sums),
		Payments:          len(entries),
		ByPurpose:         []caseroom.MoneyTotal{},
		ByPayer:           s.ordered(byPayer),
		ByPayee:           s.ordered(byPayee),
		ExtortionByFamily: s.ordered(byFamily),
		ReceivedBySuspect: s.ordered(bySuspect),
		ExtortionByMonth:  make([]caseroom.MoneyMonth, 0, len(byMonth)),
		UndatedExtortion:  undated,
	}
	// The purposes of caseroom.PaymentPurposes in order, then any others by name.
	others := byPurpose[len(caseroom.PaymentPurposes):]
	slices.SortFunc(others, func(a, b *tally) int { return strings.Compare(a.key, b.key) })
	for _, t := range byPurpose {
		if t != nil {
			sum.ByPurpose = append(sum.ByPurpose, s.moneyTotal(t))
		}
	}
	months := make([]int32, 0, len(byMonth))
	for m := range byMonth {
		months = append(months, m)
	}
	slices.Sort(months)
	for _, m := range months {
		t := byMonth[m]
		sum.ExtortionByMonth = append(sum.ExtortionByMonth, caseroom.MoneyMonth{
			Month: fmt.Sprintf("%04d-%02d", m/13, m%13), Amounts: s.amounts(t.sums), Count: t.count})
	}
	return sum, nil
}

// summer holds what the totals of one summary share.
type summer struct {
	// Parties, purposes and currencies are numbered as first seen, so that their
	// totals are found by index rather than by hashing a string for each payment.
	party            map[string]int32
	asPayer, asPayee []int // payments per party, for the capacity of its lists
	purpose          map[caseroom.PaymentPurpose]int32
	purposes         []caseroom.PaymentPurpose
	perPurpose       []int
	codes            []string // currency codes, as first seen
	perCode          []int

	cur      []string   // currency codes, sorted, once ranked
	currency []Currency // the currencies of cur
	rank     []int      // indexes of cur, the currency of most payments first
	texts    map[textKey]caseroom.AmountText
}

// entry is a standing payment with what adding it up needs.
type entry struct {
	ref     string
	amount  int64
	idx     int32 // index of the payment
	month   int32 // year*13 + month, or 0 if known only to a year
	cur     int32 // index of the currency
	purpose int32 // index of the purpose
	payer   int32 // index of the payer's party
	payee   int32 // index of the payee's party
}

// sortKey is what an entry is put in time order by: small and without pointers, so
// that sorting moves little and the collector need not look at it.
type sortKey struct {
	tod    int64  // see parseAt
	refNum uint64 // the number of the ref; the largest uint64 if it has none
	date   int32  // see parseAt
	i      int32  // index of the entry
}

// inTimeOrder returns the keys in time order (see parseAt), then in the order of
// the numbers of their refs (PM-2 before PM-10; a ref without a number last), then
// of their refs and payment ids. Dates span a small range (a few thousand values
// over years of payments), so the keys are first counted out by date, in one pass,
// and only those of one date compared; a wider range falls back to a comparison sort.
func inTimeOrder(keys []sortKey, entries []entry, payments []*caseroom.Payment) []sortKey {
	if len(keys) < 2 {
		return keys
	}
	compare := func(a, b sortKey) int {
		if c := cmp.Compare(a.date, b.date); c != 0 {
			return c
		}
		if c := cmp.Compare(a.tod, b.tod); c != 0 {
			return c
		}
		if c := cmp.Compare(a.refNum, b.refNum); c != 0 {
			return c
		}
		ea, eb := &entries[a.i], &entries[b.i]
		if c := strings.Compare(ea.ref, eb.ref); c != 0 {
			return c
		}
		return strings.Compare(payments[ea.idx].ID, payments[eb.idx].ID)
	}
	lo, hi := keys[0].date, keys[0].date
	for _, k := range keys {
		lo, hi = min(lo, k.date), max(hi, k.date)
	}
	if int64(hi)-int64(lo) > 4*int64(len(keys)) {
		slices.SortFunc(keys, compare)
		return keys
	}
	start := make([]int, int(hi-lo)+2) // start[d-lo] is where date d begins
	for _, k := range keys {
		start[k.date-lo+1]++
	}
	for d := 1; d < len(start); d++ {
		start[d] += start[d-1]
	}
	next := slices.Clone(start)
	sorted := make([]sortKey, len(keys))
	for _, k := range keys {
		d := k.date - lo
		sorted[next[d]] = k
		next[d]++
	}
	for d := 0; d+1 < len(start); d++ {
		if start[d+1]-start[d] > 1 {
			slices.SortFunc(sorted[start[d]:start[d+1]], compare)
		}
	}
	return sorted
}

// partyIndex returns the number of the party with the id, numbering it if new.
func (s *summer) partyIndex(id string) int32 {
	i, ok := s.party[id]
	if !ok {
		i = int32(len(s.asPayer))
		s.party[id] = i
		s.asPayer = append(s.asPayer, 0)
		s.asPayee = append(s.asPayee, 0)
	}
	return i
}

// purposeIndex returns the number of the purpose, numbering it if new; the purposes
// of caseroom.PaymentPurposes are numbered first, in order.
func (s *summer) purposeIndex(pp caseroom.PaymentPurpose) int32 {
	for i, x := range s.purposes[:min(len(s.purposes), len(caseroom.PaymentPurposes))] {
		if x == pp {
			return int32(i) // the usual purposes, without hashing
		}
	}
	i, ok := s.purpose[pp]
	if !ok {
		i = int32(len(s.purposes))
		s.purpose[pp] = i
		s.purposes = append(s.purposes, pp)
		s.perPurpose = append(s.perPurpose, 0)
	}
	return i
}

// read checks the standing payments and returns them as entries, with their keys
// for sorting. Currency indexes are into s.codes.
func (s *summer) read(payments []*caseroom.Payment) ([]entry, []sortKey, error) {
	entries := make([]entry, 0, len(payments))
	keys := make([]sortKey, 0, len(payments))
	lastCode, lastCur := "", int32(-1)
	for i, p := range payments {
		if p == nil {
			return nil, nil, fmt.Errorf("summarise payments: payment %d is nil", i)
		}
		if !p.Standing() {
			continue
		}
		if p.Amount < 1 || p.Amount > caseroom.MaxPaymentAmount {
			return nil, nil, caseroom.Errorf(caseroom.EINVALID, "payment %s: amount %d is not from 1 to %d minor units; record a correction", p.Ref, p.Amount, int64(caseroom.MaxPaymentAmount))
		}
		date, tod, ok := parseAt(p.At)
		if !ok {
			return nil, nil, caseroom.Errorf(caseroom.EINVALID, "payment %s: time %q is not YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time; record a correction", p.Ref, p.At)
		}
		if lastCur < 0 || p.Currency != lastCode {
			lastCode, lastCur = p.Currency, int32(slices.Index(s.codes, p.Currency))
			if lastCur < 0 {
				lastCur = int32(len(s.codes))
				s.codes = append(s.codes, p.Currency)
				s.perCode = append(s.perCode, 0)
			}
		}
		s.perCode[lastCur]++
		e := entry{ref: p.Ref, amount: int64(p.Amount), idx: int32(i), cur: lastCur, purpose: s.purposeIndex(p.Purpose),
			payer: s.partyIndex(p.Payer.ID), payee: s.partyIndex(p.Payee.ID)}
		if m := date / 32; m%13 != 0 {
			e.month = m
		}
		s.perPurpose[e.purpose]++
		s.asPayer[e.payer]++
		s.asPayee[e.payee]++
		k := sortKey{date: date, tod: tod, refNum: math.MaxUint64, i: int32(len(entries))}
		if num, numbered := refNumber(p.Ref); numbered {
			k.refNum = num
		}
		keys = append(keys, k)
		entries = append(entries, e)
	}
	return entries, keys, nil
}

// rankCurrencies sorts the currencies by code, renumbers the entries' currencies to
// match, and ranks the currencies for ordering totals: the one most payments are in
// first, then by code.
func (s *summer) rankCurrencies(entries []entry) {
	s.cur = slices.Sorted(slices.Values(s.codes))
	renumber := make([]int32, len(s.codes))
	count := make([]int, len(s.cur))
	for i, c := range s.codes {
		renumber[i] = int32(slices.Index(s.cur, c))
		count[renumber[i]] = s.perCode[i]
	}
	for i := range entries {
		entries[i].cur = renumber[entries[i].cur]
	}
	s.rank = make([]int, len(s.cur))
	for i := range s.rank {
		s.rank[i] = i
	}
	slices.SortStableFunc(s.rank, func(a, b int) int { return cmp.Compare(count[b], count[a]) })
	for _, c := range s.cur {
		cc, err := LookupCurrency(c)
		if err != nil {
			cc = Currency{Code: c, Digits: 2} // still summed, on its own
		}
		s.currency = append(s.currency, cc)
	}
}

// textKey is an amount in a currency, by index.
type textKey struct {
	cur    int
	amount int64
}

// tally is a total being added up.
type tally struct {
	key, label string
	kind       caseroom.EntityKind
	members    []caseroom.Party
	sums       []int64 // by currency index
	count      int
	refs       []string
}

// newTally starts a total with room for n refs.
func (s *summer) newTally(key, label string, kind caseroom.EntityKind, n int) *tally {
	return &tally{key: key, label: label, kind: kind, sums: make([]int64, len(s.cur)), refs: make([]string, 0, n)}
}

// add counts the payment in the total. It cannot overflow: see Summarise.
func (t *tally) add(e *entry) {
	t.sums[e.cur] += e.amount
	t.count++
	t.refs = append(t.refs, e.ref)
}

// amounts writes the sums that are not zero, in currency code order.
func (s *summer) amounts(sums []int64) []caseroom.MoneyAmount {
	out := make([]caseroom.MoneyAmount, 0, 1)
	for i, v := range sums {
		if v == 0 {
			continue // every amount is positive: no payment in this currency
		}
		k := textKey{i, v}
		text, ok := s.texts[k]
		if !ok {
			text = Text(caseroom.MinorUnits(v), s.currency[i])
			s.texts[k] = text
		}
		out = append(out, caseroom.MoneyAmount{Currency: s.cur[i], Amount: caseroom.MinorUnits(v), Text: text})
	}
	return out
}

// moneyTotal writes a total out.
func (s *summer) moneyTotal(t *tally) caseroom.MoneyTotal {
	return caseroom.MoneyTotal{Key: t.key, Label: t.label, Kind: t.kind, Amounts: s.amounts(t.sums), Count: t.count, Payments: t.refs, Members: t.members}
}

// ordered writes the totals that are not nil, largest first (see Summarise).
func (s *summer) ordered(ts []*tally) []caseroom.MoneyTotal {
	ts = slices.DeleteFunc(ts, func(t *tally) bool { return t == nil })
	slices.SortFunc(ts, func(a, b *tally) int {
		for _, i := range s.rank {
			if c := cmp.Compare(b.sums[i], a.sums[i]); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		if c := strings.Compare(a.label, b.label); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	out := make([]caseroom.MoneyTotal, len(ts))
	for i, t := range ts {
		out[i] = s.moneyTotal(t)
	}
	return out
}

// parseAt checks a payment time and returns it as two numbers that compare in time
// order, a partial date before every time within it:
//
//	date  (year*13 + month)*32 + day, month and day 0 where not known
//	tod   0 for a date; for an RFC 3339 time, 1 + nanoseconds since midnight UTC
//
// An RFC 3339 time counts on its date in UTC, which must be in the years 0000 to 9999.
func parseAt(at string) (date int32, tod int64, ok bool) {
	switch {
	case len(at) == 4 && digits(at):
		y, _ := strconv.Atoi(at)
		return int32(y) * 13 * 32, 0, true
	case (len(at) == 7 || len(at) == 10) && validDate(at):
		y, _ := strconv.Atoi(at[:4])
		m := int32(at[5]-'0')*10 + int32(at[6]-'0')
		d := int32(0)
		if len(at) == 10 {
			d = int32(at[8]-'0')*10 + int32(at[9]-'0')
		}
		return (int32(y)*13+m)*32 + d, 0, true
	case len(at) > 10 && at[10] == 'T':
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return 0, 0, false
		}
		t = t.UTC()
		y, m, d := t.Date()
		if y < 0 || y > 9999 {
			return 0, 0, false // an offset took it out of the four-digit years
		}
		midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		return (int32(y)*13+int32(m))*32 + int32(d), 1 + int64(t.Sub(midnight)), true
	}
	return 0, 0, false
}

// validDate reports whether d is a valid YYYY-MM or YYYY-MM-DD.
func validDate(d string) bool {
	if !digits(d[:4]) || d[4] != '-' || !digits(d[5:7]) {
		return false
	}
	m := (d[5]-'0')*10 + d[6] - '0'
	if m < 1 || m > 12 {
		return false
	}
	if len(d) == 7 {
		return true
	}
	if d[7] != '-' || !digits(d[8:10]) {
		return false
	}
	y, _ := strconv.Atoi(d[:4])
	day := (d[8]-'0')*10 + d[9] - '0'
	days := byte(31)
	switch {
	case m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0):
		days = 29
	case m == 2:
		days = 28
	case m == 4 || m == 6 || m == 9 || m == 11:
		days = 30
	}
	return day >= 1 && day <= days
}

// digits reports whether s is all ASCII digits.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// refNumber returns the number after the last "-" of a ref: 10 for PM-10.
func refNumber(ref string) (uint64, bool) {
	n, err := strconv.ParseUint(ref[strings.LastIndexByte(ref, '-')+1:], 10, 64)
	return n, err == nil
}

// partyIDs returns the ids of the parties.
func partyIDs(ps []caseroom.Party) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}
