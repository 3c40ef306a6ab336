package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"caseroom"
	"caseroom/money"
	"caseroom/vault"
)

var _ caseroom.PaymentService = (*DB)(nil)

const prefixPayment = "pay"

// defaultCurrency is the currency of a payment that names none: the case's, rupees.
const defaultCurrency = "PKR"

// maxPaymentNote bounds a payment's note and a correction's reason.
const maxPaymentNote = 2000

// paymentRefPattern is a payment's case reference, PM-12.
func isPaymentRef(s string) bool {
	n, ok := strings.CutPrefix(s, "PM-")
	if !ok || n == "" || len(n) > 12 {
		return false
	}
	_, err := strconv.ParseUint(n, 10, 64)
	return err == nil && n[0] != '0'
}

// RecordPayment records a payment. See caseroom.PaymentService.
//
// The payer and payee are resolved in the write: a person (id or pseudonym), an
// organisation or an endpoint (id, or written kind:value, created if the case has no
// such endpoint yet). The source is a document, exhibit or media record of the case,
// as for an arrest's grounds. The payment is numbered PM-n in its case and written,
// with any endpoint it creates, under one audit entry (payment.record).
func (db *DB) RecordPayment(ctx context.Context, caseID string, np caseroom.NewPayment) (*caseroom.Payment, error) {
	cur, err := validateNewPayment(&np)
	if err != nil {
		return nil, err
	}
	id := newID(prefixPayment)
	err = db.write(ctx, func(tx *Tx) error {
		if _, err := tx.recorderRole(caseID); err != nil {
			return err
		}
		loc, err := caseLocation(tx.ctx, tx, caseID)
		if err != nil {
			return err
		}
		start, end, err := periodOf("at", np.At, loc)
		if err != nil {
			return err
		}
		if err := notInFuture("at", start, db.Now()); err != nil {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		payer, payerKind, err := tx.party(caseID, np.Payer, "payer", seq)
		if err != nil {
			return err
		}
		payee, payeeKind, err := tx.party(caseID, np.Payee, "payee", seq)
		if err != nil {
			return err
		}
		if payer == payee {
			return caseroom.Errorf(caseroom.EINVALID, "payee: the payer and the payee are both %s", np.Payee)
		}
		src, srcKind, err := tx.citedRecord(caseID, strings.TrimSpace(np.Source))
		if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
			return caseroom.Errorf(caseroom.EINVALID, "source: %s", caseroom.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		var corrects any
		if np.Corrects != "" {
			var cid string
			err := tx.QueryRowContext(tx.ctx, `SELECT id FROM payments WHERE case_id = ? AND (id = ? OR ref = ?)`, caseID, np.Corrects, np.Corrects).Scan(&cid)
			if isNoRows(err) {
				return caseroom.Errorf(caseroom.EINVALID, "corrects: there is no payment %s in this case", np.Corrects)
			} else if err != nil {
				return err
			}
			corrects = cid
		}
		var num int64
		if err := tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM payments WHERE case_id = ?`, caseID).Scan(&num); err != nil {
			return fmt.Errorf("number payment: %w", err)
		}
		if err := tx.exec(`INSERT INTO payments (id, case_id, num, ref, payer_id, payer_kind, payee_id, payee_kind, amount, currency, at, at_start, at_end,
			method, purpose, source_id, source_kind, note, corrects_id, retracts, reason, recorded_by, recorded_at, entry)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, num, fmt.Sprintf("PM-%d", num), payer, string(payerKind), payee, string(payeeKind), int64(*np.Amount), cur.Code,
			np.At, formatTime(start), formatTime(end), string(np.Method), string(np.Purpose), src, srcKind, np.Note, corrects,
			boolInt(np.Retracts), np.Reason, tx.actor.Name, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert payment: %w", err)
		}
		return tx.appendAudit(seq, "payment.record", "payment", id, caseID)
	})
	if err != nil {
		return nil, err
	}
	q, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	ps, err := loadPayments(ctx, q, db.v(), caseID, role, `p.id = ?`, []any{id})
	if err != nil {
		return nil, err
	}
	return ps[0], nil
}

// validateNewPayment checks what can be checked without the store and returns the
// payment's currency.
func validateNewPayment(np *caseroom.NewPayment) (money.Currency, error) {
	np.Payer, np.Payee, np.At = strings.TrimSpace(np.Payer), strings.TrimSpace(np.Payee), strings.TrimSpace(np.At)
	np.Note, np.Reason, np.Corrects = strings.TrimSpace(np.Note), strings.TrimSpace(np.Reason), strings.TrimSpace(np.Corrects)
	np.Currency = strings.TrimSpace(np.Currency)
	if np.Currency == "" {
		np.Currency = defaultCurrency
	}
	switch {
	case np.Payer == "":
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "payer: required; a person (id or pseudonym), an organisation, or an account written kind:value such as bank_account:PK36SCBL0000001123456702")
	case np.Payee == "":
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "payee: required; a person (id or pseudonym), an organisation, or an account written kind:value such as phone:0300-1234567")
	case len(np.Payer) > maxSourceRef+maxIdentifierValue || len(np.Payee) > maxSourceRef+maxIdentifierValue:
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "payer, payee: at most %d bytes each", maxSourceRef+maxIdentifierValue)
	case np.Amount == nil:
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "amount: required; an integer in the currency's minor units (paisa for PKR: Rs 50,000 is 5000000)")
	case *np.Amount <= 0:
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "amount: %d is not a positive amount", *np.Amount)
	case *np.Amount > caseroom.MaxPaymentAmount:
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "amount: at most %d minor units", caseroom.MaxPaymentAmount)
	case np.At == "":
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "at: required; when the payment was made: 2015-06, 2015-06-15 or 2015-06-15T12:00:00Z")
	case !caseroom.ValidPaymentMethod(np.Method):
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "method: %q is not a payment method; use one of %s", np.Method, joinList(caseroom.PaymentMethods))
	case !caseroom.ValidPaymentPurpose(np.Purpose):
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "purpose: %q is not a payment purpose; use one of %s", np.Purpose, joinList(caseroom.PaymentPurposes))
	case strings.TrimSpace(np.Source) == "":
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "source: required; cite the document (S-12), exhibit (SB/3) or media record the payment is known from")
	case len(np.Source) > maxSourceRef:
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "source: at most %d bytes; cite a record by its id or reference", maxSourceRef)
	case len(np.Note) > maxPaymentNote || len(np.Reason) > maxPaymentNote:
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "note, reason: at most %d bytes each", maxPaymentNote)
	case (np.Corrects == "") != (np.Reason == ""):
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "reason: a correction names the payment it corrects (corrects) and says why (reason); give both or neither")
	case np.Retracts && np.Corrects == "":
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "corrects: required to withdraw a payment; name the payment withdrawn")
	case !utf8.ValidString(np.Note) || !utf8.ValidString(np.Reason):
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "note, reason: not valid UTF-8 text")
	}
	v, ok := normalisePartialDate(np.At)
	if !ok {
		return money.Currency{}, caseroom.Errorf(caseroom.EINVALID, "at: %q is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time", np.At)
	}
	np.At = v
	return money.LookupCurrency(np.Currency)
}

// periodOf returns the first and last instant of a date as normalisePartialDate writes
// it: a year, month or day in the case's zone, or the instant of a time.
func periodOf(field, at string, loc *time.Location) (time.Time, time.Time, error) {
	for _, p := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	} {
		if t, err := time.ParseInLocation(p.layout, at, loc); err == nil {
			if t.Before(caseroom.EarliestTime) {
				return time.Time{}, time.Time{}, caseroom.Errorf(caseroom.EINVALID, "%s: %s is before %d; check the year", field, at, caseroom.EarliestTime.Year())
			}
			return t.UTC(), p.next(t).Add(-time.Nanosecond).UTC(), nil
		}
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, time.Time{}, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time", field, at)
	}
	if t.Before(caseroom.EarliestTime) {
		return time.Time{}, time.Time{}, caseroom.Errorf(caseroom.EINVALID, "%s: %s is before %d; check the year", field, at, caseroom.EarliestTime.Year())
	}
	return t.UTC(), t.UTC(), nil
}

// caseLocation returns the case's time zone.
func caseLocation(ctx context.Context, q querier, caseID string) (*time.Location, error) {
	var tz string
	err := q.QueryRowContext(ctx, `SELECT time_zone FROM cases WHERE id = ?`, caseID).Scan(&tz)
	if isNoRows(err) {
		return nil, caseNotFound(caseID)
	} else if err != nil {
		return nil, fmt.Errorf("case zone: %w", err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC, nil // a zone the system no longer knows: UTC
	}
	return loc, nil
}

// party resolves a payer or payee: a person, an organisation or an endpoint (id or
// kind:value, created under seq if new).
func (tx *Tx) party(caseID, ref, field string, seq int64) (string, caseroom.EntityKind, error) {
	if raw, ok := parseEndpointRef(ref); ok {
		region, err := caseRegion(tx.ctx, tx, caseID)
		if err != nil {
			return "", "", err
		}
		n, err := normaliseEndpoint(raw, region, field)
		if err != nil {
			return "", "", err
		}
		id, err := tx.endpoint(caseID, n, seq)
		return id, caseroom.EntityEndpoint, err
	}
	if strings.HasPrefix(ref, prefixEndpoint+"_") {
		var n int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM endpoints WHERE id = ? AND case_id = ?`, ref, caseID).Scan(&n); err != nil {
			return "", "", err
		}
		if n == 0 {
			return "", "", caseroom.Errorf(caseroom.EINVALID, "%s: there is no endpoint %s in this case", field, ref)
		}
		return ref, caseroom.EntityEndpoint, nil
	}
	id, kind, err := tx.entityField(caseID, ref, field)
	if err != nil {
		return "", "", err
	}
	if kind != caseroom.EntityPerson && kind != caseroom.EntityOrganisation {
		return "", "", caseroom.Errorf(caseroom.EINVALID, "%s: %s is a %s; a payer or payee is a person, an organisation or an account (kind:value, such as bank_account:PK36SCBL0000001123456702)", field, ref, kind)
	}
	return id, kind, nil
}

// FindPayments lists the case's payments. See caseroom.PaymentService.
func (db *DB) FindPayments(ctx context.Context, caseID string, f caseroom.PaymentFilter) ([]*caseroom.Payment, error) {
	role, err := db.wholeCaseRole(ctx, caseID, "payments")
	if err != nil {
		return nil, err
	}
	q := db.reader()
	conds, args := []string{}, []any{}
	if p := strings.TrimSpace(f.Person); p != "" {
		id, kind, err := resolveEntity(ctx, q, caseID, p)
		if strings.HasPrefix(p, prefixEndpoint+"_") {
			id, kind, err = p, caseroom.EntityEndpoint, nil
		}
		if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
			return nil, caseroom.Errorf(caseroom.EINVALID, "person: %s", caseroom.ErrorMessage(err))
		} else if err != nil {
			return nil, err
		}
		parties := []string{id}
		if kind == caseroom.EntityPerson {
			eps, err := personEndpoints(ctx, q, caseID, id)
			if err != nil {
				return nil, err
			}
			parties = append(parties, eps...)
		}
		marks := placeholders(len(parties))
		conds = append(conds, `(p.payer_id IN (`+marks+`) OR p.payee_id IN (`+marks+`))`)
		for range 2 {
			for _, x := range parties {
				args = append(args, x)
			}
		}
	}
	if f.Purpose != "" {
		if !caseroom.ValidPaymentPurpose(f.Purpose) {
			return nil, caseroom.Errorf(caseroom.EINVALID, "purpose: %q is not a payment purpose; use one of %s", f.Purpose, joinList(caseroom.PaymentPurposes))
		}
		conds, args = append(conds, `p.purpose = ?`), append(args, string(f.Purpose))
	}
	loc, err := caseLocation(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	if f.From != "" {
		start, _, err := periodOf("from", f.From, loc)
		if err != nil {
			return nil, err
		}
		conds, args = append(conds, `p.at_end >= ?`), append(args, formatTime(start))
	}
	if f.To != "" {
		_, end, err := periodOf("to", f.To, loc)
		if err != nil {
			return nil, err
		}
		conds, args = append(conds, `p.at_start <= ?`), append(args, formatTime(end))
	}
	filter := `1 = 1`
	if len(conds) > 0 {
		filter = strings.Join(conds, ` AND `)
	}
	return loadPayments(ctx, q, db.v(), caseID, role, filter, args)
}

// loadPayments reads the case's payments matching a filter on the alias p, in time
// order, as a member of the role sees them: parties labelled (victims by pseudonym),
// a source that is a medical report withheld from a role that does not read them.
func loadPayments(ctx context.Context, q querier, v *vault.Vault, caseID string, role caseroom.Role, filter string, args []any) ([]*caseroom.Payment, error) {
	return loadPaymentsOrdered(ctx, q, v, caseID, role, filter, args, ` ORDER BY p.at_start, p.num`)
}

// loadPaymentsOrdered is loadPayments with the query's ORDER BY (and LIMIT) given.
func loadPaymentsOrdered(ctx context.Context, q querier, v *vault.Vault, caseID string, role caseroom.Role, filter string, args []any, order string) ([]*caseroom.Payment, error) {
	out := []*caseroom.Payment{}
	var corrects []string
	err := scanEach(ctx, q, `SELECT p.id, p.ref, p.payer_id, p.payer_kind, p.payee_id, p.payee_kind, p.amount, p.currency, p.at, p.method, p.purpose,
		p.source_id, p.source_kind, p.note, COALESCE(c.ref, ''), p.retracts, p.reason, p.recorded_by, p.recorded_at
		FROM payments p LEFT JOIN payments c ON c.id = p.corrects_id WHERE p.case_id = ? AND `+filter+order, append([]any{caseID}, args...),
		func(scan func(...any) error) error {
			p := &caseroom.Payment{CaseID: caseID}
			var payerKind, payeeKind, method, purpose, srcKind, recorded string
			var amount, retracts int64
			if err := scan(&p.ID, &p.Ref, &p.Payer.ID, &payerKind, &p.Payee.ID, &payeeKind, &amount, &p.Currency, &p.At, &method, &purpose,
				&p.Source, &srcKind, &p.Note, &p.Corrects, &retracts, &p.Reason, &p.RecordedBy, &recorded); err != nil {
				return err
			}
			p.Payer.Kind, p.Payee.Kind, p.SourceKind = caseroom.EntityKind(payerKind), caseroom.EntityKind(payeeKind), caseroom.EntityKind(srcKind)
			p.Amount, p.Retracts = caseroom.MinorUnits(amount), retracts != 0
			p.Method, p.Purpose = caseroom.PaymentMethod(method), caseroom.PaymentPurpose(purpose)
			var err error
			if p.RecordedAt, err = parseTime(recorded); err != nil {
				return err
			}
			if p.Corrects != "" {
				corrects = append(corrects, p.Corrects)
			}
			out = append(out, p)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load payments: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := describePayments(ctx, q, v, caseID, role, out); err != nil {
		return nil, err
	}
	return out, nil
}

// describePayments fills in what the rows of payments leave out: the parties' labels,
// the sources' references (withholding medical reports from a role that does not read
// them), the amounts in text, and which later payments correct each.
func describePayments(ctx context.Context, q querier, v *vault.Vault, caseID string, role caseroom.Role, ps []*caseroom.Payment) error {
	labels, err := partyLabels(ctx, q, v, caseID, ps)
	if err != nil {
		return err
	}
	var reports map[string]bool
	if !role.ReadsMedicalReports() {
		if reports, err = medicalReportIDs(ctx, q, caseID, ""); err != nil {
			return err
		}
	}
	refs, err := sourceRefs(ctx, q, caseID)
	if err != nil {
		return err
	}
	correctedBy := map[string][]string{}
	// The corrections of the payments described: for a few (a payment just written),
	// looked up by the index on corrects_id, not by reading every payment of the case.
	corrections, cargs := `SELECT c.ref, p.ref FROM payments p JOIN payments c ON c.id = p.corrects_id WHERE c.case_id = ? ORDER BY p.num`, []any{caseID}
	if len(ps) <= 500 {
		ids := make([]any, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		corrections = `SELECT c.ref, p.ref FROM payments p JOIN payments c ON c.id = p.corrects_id WHERE p.corrects_id IN (` + placeholders(len(ids)) + `) ORDER BY p.num`
		cargs = ids
	}
	err = scanEach(ctx, q, corrections, cargs,
		func(scan func(...any) error) error {
			var corrected, by string
			err := scan(&corrected, &by)
			correctedBy[corrected] = append(correctedBy[corrected], by)
			return err
		})
	if err != nil {
		return fmt.Errorf("payment corrections: %w", err)
	}
	currencies := map[string]money.Currency{}
	for _, p := range ps {
		p.Payer.Label, p.Payee.Label = labels[p.Payer.ID], labels[p.Payee.ID]
		p.CorrectedBy = correctedBy[p.Ref]
		if reports[p.Source] {
			p.Source, p.SourceKind, p.SourceRestricted = "", "", true
		} else {
			p.SourceRef = refs[p.Source]
		}
		cur, ok := currencies[p.Currency]
		if !ok {
			if cur, err = money.LookupCurrency(p.Currency); err != nil {
				cur = money.Currency{Code: p.Currency, Digits: 2}
			}
			currencies[p.Currency] = cur
		}
		p.AmountText = money.Text(p.Amount, cur)
	}
	return nil
}

// partyLabels labels every payer and payee of ps: persons as personLabels does,
// organisations by name, endpoints by value (a victim's by the victim's pseudonym).
func partyLabels(ctx context.Context, q querier, v *vault.Vault, caseID string, ps []*caseroom.Payment) (map[string]string, error) {
	var persons, endpoints []string
	for _, p := range ps {
		for _, x := range []caseroom.Party{p.Payer, p.Payee} {
			switch x.Kind {
			case caseroom.EntityPerson:
				persons = append(persons, x.ID)
			case caseroom.EntityEndpoint:
				endpoints = append(endpoints, x.ID)
			}
		}
	}
	labels, err := personLabels(ctx, q, v, caseID, uniqueStrings(persons))
	if err != nil {
		return nil, err
	}
	if err := scanMap(ctx, q, labels, `SELECT id, name FROM organisations WHERE case_id = ?`, caseID); err != nil {
		return nil, fmt.Errorf("organisation labels: %w", err)
	}
	if len(endpoints) > 0 {
		eps, err := loadEndpoints(ctx, q, v, caseID, endpoints)
		if err != nil {
			return nil, err
		}
		for id, e := range eps {
			labels[id] = e.Label()
		}
	}
	return labels, nil
}

// sourceRefs maps the ids of the case's documents and exhibits to their references.
// A media record is cited by its id.
func sourceRefs(ctx context.Context, q querier, caseID string) (map[string]string, error) {
	refs := map[string]string{}
	for _, table := range []string{"documents", "exhibits"} {
		if err := scanMap(ctx, q, refs, `SELECT id, ref FROM `+table+` WHERE case_id = ?`, caseID); err != nil {
			return nil, fmt.Errorf("source refs: %w", err)
		}
	}
	return refs, nil
}

// SummarisePayments adds up the case's standing payments. See
// caseroom.PaymentService. The families are every victim of the case with the
// persons linked to them by standing parent_of or guardian_of links (to the victim)
// or related_to links (either way); the suspects every person with the role suspect.
// An endpoint held by one person counts as that person's: a payment to a suspect's
// mobile wallet is received by the suspect.
func (db *DB) SummarisePayments(ctx context.Context, caseID string) (*caseroom.MoneySummary, error) {
	role, err := db.wholeCaseRole(ctx, caseID, "payments")
	if err != nil {
		return nil, err
	}
	q := db.reader()
	ps, err := loadPayments(ctx, q, db.v(), caseID, role, `1 = 1`, nil)
	if err != nil {
		return nil, err
	}
	if err := attributeEndpoints(ctx, q, db.v(), caseID, ps); err != nil {
		return nil, err
	}
	families, err := victimFamilies(ctx, q, db.v(), caseID)
	if err != nil {
		return nil, err
	}
	suspects, err := personsWithRole(ctx, q, db.v(), caseID, caseroom.PersonSuspect)
	if err != nil {
		return nil, err
	}
	s, err := money.Summarise(ps, families, suspects)
	if err != nil {
		return nil, err
	}
	s.CaseID = caseID
	return s, nil
}

// attributeEndpoints replaces, in payments, a party that is an endpoint held by
// exactly one person with that person, for adding up.
func attributeEndpoints(ctx context.Context, q querier, v *vault.Vault, caseID string, ps []*caseroom.Payment) error {
	var ids []string
	for _, p := range ps {
		for _, x := range []caseroom.Party{p.Payer, p.Payee} {
			if x.Kind == caseroom.EntityEndpoint {
				ids = append(ids, x.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	eps, err := loadEndpoints(ctx, q, v, caseID, ids)
	if err != nil {
		return err
	}
	for _, p := range ps {
		for _, x := range []*caseroom.Party{&p.Payer, &p.Payee} {
			if e := eps[x.ID]; x.Kind == caseroom.EntityEndpoint && e != nil && len(e.Holders) == 1 {
				*x = e.Holders[0]
			}
		}
	}
	return nil
}

// victimFamilies returns each victim of the case with their family: the persons with
// a standing parent_of or guardian_of link to the victim or a related_to link either
// way, as contactVictims reads a family.
func victimFamilies(ctx context.Context, q querier, v *vault.Vault, caseID string) ([]caseroom.Family, error) {
	pseudonyms, err := scanPseudonyms(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	relatives := map[string][]string{}
	err = scanEach(ctx, q, `SELECT l.from_id, l.to_id, l.type FROM links l WHERE l.case_id = ? AND l.type IN ('parent_of', 'guardian_of', 'related_to') AND `+standingLink+` ORDER BY l.entry`,
		[]any{caseID}, func(scan func(...any) error) error {
			var from, to, typ string
			if err := scan(&from, &to, &typ); err != nil {
				return err
			}
			if pseudonyms[to] != "" {
				relatives[to] = append(relatives[to], from)
			}
			if typ == "related_to" && pseudonyms[from] != "" {
				relatives[from] = append(relatives[from], to)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("victim families: %w", err)
	}
	var all []string
	for _, rs := range relatives {
		all = append(all, rs...)
	}
	labels, err := personLabels(ctx, q, v, caseID, uniqueStrings(all))
	if err != nil {
		return nil, err
	}
	victims := make([]string, 0, len(pseudonyms))
	for id := range pseudonyms {
		victims = append(victims, id)
	}
	sort.Slice(victims, func(i, j int) bool { return pseudonyms[victims[i]] < pseudonyms[victims[j]] })
	out := make([]caseroom.Family, 0, len(victims))
	for _, id := range victims {
		victim := caseroom.Party{ID: id, Kind: caseroom.EntityPerson, Label: pseudonyms[id]}
		f := caseroom.Family{Victim: victim, Members: []caseroom.Party{victim}}
		for _, r := range uniqueStrings(relatives[id]) {
			if r == id {
				continue
			}
			label := labels[r]
			if p := pseudonyms[r]; p != "" {
				label = p
			}
			f.Members = append(f.Members, caseroom.Party{ID: r, Kind: caseroom.EntityPerson, Label: label})
		}
		out = append(out, f)
	}
	return out, nil
}

// personsWithRole returns the case's persons with a role, labelled.
func personsWithRole(ctx context.Context, q querier, v *vault.Vault, caseID string, role caseroom.PersonRole) ([]caseroom.Party, error) {
	var ids []string
	err := scanEach(ctx, q, `SELECT DISTINCT person_id FROM person_roles WHERE case_id = ? AND role = ? ORDER BY person_id`, []any{caseID, string(role)},
		func(scan func(...any) error) error {
			var id string
			err := scan(&id)
			ids = append(ids, id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("persons with role %s: %w", role, err)
	}
	labels, err := personLabels(ctx, q, v, caseID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]caseroom.Party, len(ids))
	for i, id := range ids {
		out[i] = caseroom.Party{ID: id, Kind: caseroom.EntityPerson, Label: labels[id]}
	}
	return out, nil
}
