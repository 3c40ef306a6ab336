package caseroom

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// PaymentMethod is how money changed hands.
type PaymentMethod string

// The payment methods.
const (
	PaymentCash         PaymentMethod = "cash"
	PaymentBankTransfer PaymentMethod = "bank-transfer"
	PaymentMobileWallet PaymentMethod = "mobile-wallet"
	PaymentOther        PaymentMethod = "other"
)

// PaymentMethods lists every payment method.
var PaymentMethods = []PaymentMethod{PaymentCash, PaymentBankTransfer, PaymentMobileWallet, PaymentOther}

// PaymentPurpose is what a payment was for, as the evidence tells it.
type PaymentPurpose string

// The payment purposes.
const (
	PurposeExtortion PaymentPurpose = "extortion" // paid under threat, by a victim or their family
	PurposeSale      PaymentPurpose = "sale"      // paid for material sold
	PurposeOther     PaymentPurpose = "other"
)

// PaymentPurposes lists every payment purpose.
var PaymentPurposes = []PaymentPurpose{PurposeExtortion, PurposeSale, PurposeOther}

// MaxPaymentAmount is the largest amount one payment may have, in minor units: large
// enough for any payment (10^13 paisa is a hundred billion rupees), small enough that
// 922,337 payments of that amount still add up within an int64; a sum that would not
// is refused (see money.Summarise), never wrapped.
const MaxPaymentAmount = 10_000_000_000_000

// MinorUnits is an amount of money as a whole number of a currency's minor units (paisa
// for PKR, cents for USD, yen for JPY): never a float. Its JSON form is an integer; a
// number with a fraction or an exponent is refused with a message saying so.
type MinorUnits int64

// UnmarshalJSON accepts a JSON integer only.
func (m *MinorUnits) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if strings.ContainsAny(s, ".eE") {
		return Errorf(EINVALID, "amount: %s is not a whole number; amounts are integers in the currency's minor units (paisa for PKR: Rs 500.50 is 50050)", s)
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return Errorf(EINVALID, "amount: not a number; give an integer in the currency's minor units (paisa for PKR)")
	}
	v, err := n.Int64()
	if err != nil {
		return Errorf(EINVALID, "amount: %s is out of range", s)
	}
	*m = MinorUnits(v)
	return nil
}

// Party is one side of a payment: a person, an organisation or an endpoint (a bank
// account, a mobile-wallet number...), with how the reader may see it.
type Party struct {
	ID    string     `json:"id"`
	Kind  EntityKind `json:"kind"`
	Label string     `json:"label"`
}

// Payment is a sourced record that money passed from a payer to a payee. Payments are
// never changed: a correction is a new payment naming the one it corrects (with
// Retracts set to withdraw it altogether), and only standing payments (see Standing)
// count in totals.
type Payment struct {
	ID     string `json:"id"`
	CaseID string `json:"caseId"`
	Ref    string `json:"ref"` // PM-1, PM-2... per case
	Payer  Party  `json:"payer"`
	Payee  Party  `json:"payee"`
	// Amount is in minor units of Currency (ISO 4217).
	Amount   MinorUnits `json:"amount"`
	Currency string     `json:"currency"`
	// AmountText writes Amount in the ways documents do.
	AmountText AmountText `json:"amountText"`
	// At is when, at the precision known: YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339
	// time in UTC.
	At      string         `json:"at"`
	Method  PaymentMethod  `json:"method"`
	Purpose PaymentPurpose `json:"purpose"`
	// Source is the id of the document, exhibit or media record the payment is known
	// from, SourceKind its kind and SourceRef its reference. SourceRestricted is set,
	// and the three left empty, when the source is a medical report the reader's role
	// does not read.
	Source           string     `json:"source,omitempty"`
	SourceKind       EntityKind `json:"sourceKind,omitempty"`
	SourceRef        string     `json:"sourceRef,omitempty"`
	SourceRestricted bool       `json:"sourceRestricted,omitempty"`
	Note             string     `json:"note,omitempty"`
	Corrects         string     `json:"corrects,omitempty"` // ref of the payment corrected
	Retracts         bool       `json:"retracts,omitempty"`
	Reason           string     `json:"reason,omitempty"`
	// CorrectedBy lists the refs of later payments that correct this one.
	CorrectedBy []string  `json:"correctedBy,omitempty"`
	RecordedBy  string    `json:"recordedBy"`
	RecordedAt  time.Time `json:"recordedAt"`
}

// Standing reports whether the payment counts: it is no withdrawal and no later payment
// corrects it.
func (p *Payment) Standing() bool { return !p.Retracts && len(p.CorrectedBy) == 0 }

// AmountText is an amount written out: with South Asian digit grouping (8,00,00,000.00),
// with international grouping (80,000,000.00), in short (8 crore) and in words (eight
// crore rupees).
type AmountText struct {
	SouthAsian    string `json:"southAsian"`
	International string `json:"international"`
	Short         string `json:"short"`
	Words         string `json:"words"`
}

// NewPayment is the input to RecordPayment. Payer and Payee take a person (id or
// pseudonym), an organisation or endpoint id, or an endpoint written kind:value
// (bank_account:PK36SCBL0000001123456702, phone:0300-1234567), which is created or
// reused.
type NewPayment struct {
	Payer    string         `json:"payer"`
	Payee    string         `json:"payee"`
	Amount   *MinorUnits    `json:"amount"`
	Currency string         `json:"currency"` // ISO 4217; the case's currency (PKR) if empty
	At       string         `json:"at"`
	Method   PaymentMethod  `json:"method"`
	Purpose  PaymentPurpose `json:"purpose"`
	Source   string         `json:"source"` // a document (S-12), exhibit (SB/3) or media record
	Note     string         `json:"note"`
	Corrects string         `json:"corrects"` // the payment corrected, id or PM-n
	Retracts bool           `json:"retracts"`
	Reason   string         `json:"reason"`
}

// PaymentFilter narrows FindPayments. From and To bound the payment's time (dates or
// partial dates, inclusive); a payment known only to a month or year is in the window
// if its period overlaps it.
type PaymentFilter struct {
	Person  string // payer or payee, or the holder of an endpoint that is
	Purpose PaymentPurpose
	From    string
	To      string
}

// MoneyTotal is one total of a money summary: the sum of the standing payments it
// lists, per currency.
type MoneyTotal struct {
	// Key is what the total is of: a purpose, or a party's id.
	Key   string `json:"key"`
	Label string `json:"label"`
	// Kind is the party's kind, for totals per party.
	Kind     EntityKind    `json:"kind,omitempty"`
	Amounts  []MoneyAmount `json:"amounts"`
	Count    int           `json:"count"`
	Payments []string      `json:"payments"` // refs, in time order
	// Members lists, for a victim family, the persons whose payments count: the victim
	// and those linked to them as parent, guardian or relative.
	Members []Party `json:"members,omitempty"`
}

// MoneyAmount is a sum in one currency.
type MoneyAmount struct {
	Currency string     `json:"currency"`
	Amount   MinorUnits `json:"amount"`
	Text     AmountText `json:"text"`
}

// MoneyMonth is the extortion paid in one month, for the chart.
type MoneyMonth struct {
	Month   string        `json:"month"` // YYYY-MM
	Amounts []MoneyAmount `json:"amounts"`
	Count   int           `json:"count"`
}

// MoneySummary is what a case's standing payments add up to.
type MoneySummary struct {
	CaseID    string        `json:"caseId"`
	Total     []MoneyAmount `json:"total"`
	Payments  int           `json:"payments"`
	ByPurpose []MoneyTotal  `json:"byPurpose"`
	ByPayer   []MoneyTotal  `json:"byPayer"`
	ByPayee   []MoneyTotal  `json:"byPayee"`
	// ExtortionByFamily is extortion paid by each victim's family: the victim and the
	// persons linked to them by parent_of, guardian_of or related_to.
	ExtortionByFamily []MoneyTotal `json:"extortionByFamily"`
	// ReceivedBySuspect is what was paid to each suspect, for any purpose.
	ReceivedBySuspect []MoneyTotal `json:"receivedBySuspect"`
	// ExtortionByMonth is extortion paid per month, by the month the payment is dated
	// in (a payment known only to a year is left out and counted in UndatedExtortion).
	ExtortionByMonth []MoneyMonth `json:"extortionByMonth"`
	UndatedExtortion int          `json:"undatedExtortion,omitempty"`
	// RestrictedPayments counts payments left out because the reader may not see them.
	RestrictedPayments int `json:"restrictedPayments,omitempty"`
}

// Family is a victim and those linked to them as family: what a money summary groups
// extortion by.
type Family struct {
	Victim  Party
	Members []Party // the victim first, then the relatives
}

// PaymentService records and reads payments.
type PaymentService interface {
	// RecordPayment records a payment. Returns EINVALID naming the field: no payer or
	// payee (or one not in the case), no amount, an amount that is not a whole
	// positive number of minor units or above MaxPaymentAmount, an unknown currency,
	// no time or a time that is not a date, an unknown method or purpose, no source
	// or a source not in the case (a medical report the actor does not read counts as
	// not in the case); EFORBIDDEN for a role that does not record.
	RecordPayment(ctx context.Context, caseID string, np NewPayment) (*Payment, error)
	// FindPayments lists the case's payments in time order. Returns EINVALID for a
	// filter that names nothing in the case or a date that is not one; EFORBIDDEN for
	// an advocate (payments cover the whole case).
	FindPayments(ctx context.Context, caseID string, f PaymentFilter) ([]*Payment, error)
	// SummarisePayments adds up the case's standing payments (see MoneySummary).
	// Returns EFORBIDDEN for an advocate.
	SummarisePayments(ctx context.Context, caseID string) (*MoneySummary, error)
}

// ValidPaymentMethod reports whether m is one of PaymentMethods.
func ValidPaymentMethod(m PaymentMethod) bool {
	for _, x := range PaymentMethods {
		if x == m {
			return true
		}
	}
	return false
}

// ValidPaymentPurpose reports whether p is one of PaymentPurposes.
func ValidPaymentPurpose(p PaymentPurpose) bool {
	for _, x := range PaymentPurposes {
		if x == p {
			return true
		}
	}
	return false
}

// String writes an amount as digits and currency, for messages.
func (a MoneyAmount) String() string { return fmt.Sprintf("%s %s", a.Currency, a.Text.International) }
