package demo

import (
	"fmt"
	"strings"
	"time"

	"caseroom"
)

// The money of the demo case: what the victims' families paid the suspects under
// threat, as their complaints tell it, and what the suspects were paid for copies
// sold, as the financial enquiry found it.
//
// Every family whose complaint alleges a demand for money (the even-numbered
// complaints, see extorts) paid: in cash to the suspect the complaint names, by
// transfer to one of the three suspects' bank accounts, or by mobile wallet to a
// suspect's phone number. The complaint says how much in all and since when
// (paidSentence); each payment cites it. Together the families paid about Rs 1.2 crore,
// part of the 80 million rupees the families allege. One transfer is recorded as the
// complaint gives it and corrected from the bank's record.

// suspectAccounts are the suspects' bank accounts (by suspect index) the financial
// enquiry found. The values are invented, written like Pakistani IBANs with check
// digits 00, which no real IBAN has.
var suspectAccounts = map[int]string{0: "PK00QNDL0000004471002318", 7: "PK00QNDL0000009932104455", 9: "PK00QNDL0000002207718860"}

// bankAccount is an account number and the (invented) bank that holds it.
type bankAccount struct{ number, bank string }

// familyAccounts are the bank accounts (by guardian index) that three families paid
// from, as the financial enquiry found them.
var familyAccounts = map[int]bankAccount{
	0:  {"PK00ANKR0000001187340021", "Anarkot Rural Bank (fictional)"},
	4:  {"PK00QNDL0000006650912274", "Qandeel Bank (fictional)"},
	12: {"PK00ANKR0000003029817745", "Anarkot Rural Bank (fictional)"},
}

// familyPhoneGuardians are the guardians whose phone numbers their complaints give:
// Tariq Mehmood's phone is in contact with them (see callRecords), and three of them
// paid by mobile wallet from them.
var familyPhoneGuardians = []int{0, 2, 4, 10, 16}

// familyPayment is one payment a family's complaint tells of.
type familyPayment struct {
	at     string // when, as precisely as the complaint says: YYYY, YYYY-MM or YYYY-MM-DD
	rupees int64
	method caseroom.PaymentMethod
	// to is the suspect whose bank account or phone a transfer or wallet payment went
	// to; a cash payment goes to the suspect the complaint names.
	to int
	// fromAccount is set when the family paid from its own account or phone (an
	// endpoint the guardian holds) rather than as a person.
	fromAccount bool
	// bankRupees, if not 0, is the amount the bank's record gives for a transfer
	// whose amount the complaint gives wrongly: a correction records it.
	bankRupees int64
}

// familyPayments lists, by complaint (and guardian) index, what each family paid, in
// time order.
var familyPayments = map[int][]familyPayment{
	0: { // the family of V-0001; Tariq Mehmood
		{at: "2024-03", rupees: 150_000, method: caseroom.PaymentCash},
		{at: "2024-10", rupees: 200_000, method: caseroom.PaymentCash},
		{at: "2025-02-14", rupees: 500_000, method: caseroom.PaymentBankTransfer, to: 0, fromAccount: true},
		{at: "2025-08-03", rupees: 350_000, method: caseroom.PaymentBankTransfer, to: 0, fromAccount: true, bankRupees: 305_000},
		{at: "2026-03-11", rupees: 75_000, method: caseroom.PaymentMobileWallet, to: 0, fromAccount: true},
		{at: "2026-09", rupees: 100_000, method: caseroom.PaymentCash},
	},
	2: { // Shahid Iqbal, who named Nasir Sarwar Cheema's account
		{at: "2025-01", rupees: 100_000, method: caseroom.PaymentCash},
		{at: "2025-06-10", rupees: 40_000, method: caseroom.PaymentMobileWallet, to: 2},
		{at: "2025-11", rupees: 250_000, method: caseroom.PaymentCash},
		{at: "2026-04-02", rupees: 600_000, method: caseroom.PaymentBankTransfer, to: 9},
	},
	4: { // Mansoor Ahmad Bhatti, who named Kamran Yousaf Virk's account
		{at: "2024-07", rupees: 300_000, method: caseroom.PaymentCash},
		{at: "2025-03-18", rupees: 1_000_000, method: caseroom.PaymentBankTransfer, to: 7, fromAccount: true},
		{at: "2025-12-05", rupees: 850_000, method: caseroom.PaymentBankTransfer, to: 7, fromAccount: true},
		{at: "2026-07", rupees: 200_000, method: caseroom.PaymentCash},
	},
	6: { // Irfan Rafiq
		{at: "2026-08", rupees: 50_000, method: caseroom.PaymentCash},
		{at: "2026-10-03", rupees: 25_000, method: caseroom.PaymentMobileWallet, to: 6},
	},
	8: { // Asif Nawaz; the complainant does not remember the months
		{at: "2025", rupees: 100_000, method: caseroom.PaymentCash},
	},
	10: { // Rizwan Latif, who named Tariq Mehmood's number and account
		{at: "2025-05", rupees: 80_000, method: caseroom.PaymentCash},
		{at: "2025-10-12", rupees: 120_000, method: caseroom.PaymentMobileWallet, to: 0, fromAccount: true},
		{at: "2026-06-30", rupees: 400_000, method: caseroom.PaymentBankTransfer, to: 0},
	},
	12: { // Faisal Hanif Gill, who named Nasir Sarwar Cheema's account
		{at: "2024-11-20", rupees: 1_500_000, method: caseroom.PaymentBankTransfer, to: 9, fromAccount: true},
		{at: "2025-07", rupees: 500_000, method: caseroom.PaymentCash},
		{at: "2026-02-08", rupees: 2_000_000, method: caseroom.PaymentBankTransfer, to: 9, fromAccount: true},
		{at: "2026-08-17", rupees: 1_200_000, method: caseroom.PaymentBankTransfer, to: 9, fromAccount: true},
	},
	14: { // the man known as 'Lamba'
		{at: "2026-09", rupees: 150_000, method: caseroom.PaymentCash},
	},
	16: { // Naveed Akhtar, who named Tariq Mehmood's number and account
		{at: "2025-04", rupees: 200_000, method: caseroom.PaymentCash},
		{at: "2025-09-09", rupees: 60_000, method: caseroom.PaymentMobileWallet, to: 0, fromAccount: true},
		{at: "2026-05-22", rupees: 750_000, method: caseroom.PaymentBankTransfer, to: 0},
	},
}

// paidSentence is what complaint i adds about the money the family paid, or "" if it
// tells of none: the sum the complaint gives, since when and how.
func paidSentence(i int) string {
	ps := familyPayments[i]
	if len(ps) == 0 {
		return ""
	}
	var sum int64
	var ways []string
	seen := map[caseroom.PaymentMethod]bool{}
	for _, p := range ps {
		sum += p.rupees
		if !seen[p.method] {
			seen[p.method] = true
			ways = append(ways, map[caseroom.PaymentMethod]string{
				caseroom.PaymentCash:         "in cash",
				caseroom.PaymentBankTransfer: "by transfer to a bank account he named",
				caseroom.PaymentMobileWallet: "by mobile wallet to a number he gave",
			}[p.method])
		}
	}
	how := ways[0]
	if n := len(ways); n > 1 {
		how = strings.Join(ways[:n-1], ", ") + " and " + ways[n-1]
	}
	return fmt.Sprintf("The complainant states that the family has paid Rs %s in all on his demands since %s, %s. ",
		rupeesText(sum), monthText(ps[0].at), how)
}

// firstPaid returns when family i first paid, as its complaint says (YYYY or YYYY-MM),
// or "" if it tells of no payment.
func firstPaid(i int) string {
	if ps := familyPayments[i]; len(ps) > 0 {
		return ps[0].at[:min(len(ps[0].at), 7)]
	}
	return ""
}

// correctedTransfer returns the payment the bank's record corrects, if one does.
func correctedTransfer() (familyPayment, bool) {
	for i := 0; i < numComplaints; i++ {
		for _, p := range familyPayments[i] {
			if p.bankRupees != 0 {
				return p, true
			}
		}
	}
	return familyPayment{}, false
}

// moneyReportText is the financial enquiry's report: the accounts, the families'
// transfers (with the one the bank gives another amount for) and the sales.
func moneyReportText() string {
	text := "Enquiries with the bank found three accounts held by suspects and regular transfers between them " +
		"from 2024 onwards, and transfers into them from the accounts of three complainants' families. "
	if p, ok := correctedTransfer(); ok {
		at, _ := time.Parse("2006-01-02", p.at)
		text += fmt.Sprintf("The bank's record of the transfer of %s is for Rs %s, where the complaint gives Rs %s. ",
			at.Format("2 January 2006"), rupeesText(p.bankRupees), rupeesText(p.rupees))
	}
	return text + "The mobile-wallet account of " + suspectLabel(0) + "'s number received small payments from local " +
		"numbers, each a multiple of Rs 50, the price of a copy at the Roshan Video Centre. The account of " +
		suspectLabel(7) + " received transfers from accounts in the United Kingdom and the United States, in pounds " +
		"sterling and US dollars. The complainants together allege demands of about 80 million rupees over several " +
		"years; the payments found so far account for part of that sum."
}

// rupeesText writes a whole number of rupees with South Asian grouping: 13,75,000.
func rupeesText(n int64) string {
	s := fmt.Sprint(n)
	if len(s) <= 3 {
		return s
	}
	head, tail := s[:len(s)-3], s[len(s)-3:]
	var groups []string
	for len(head) > 2 {
		groups = append([]string{head[len(head)-2:]}, groups...)
		head = head[:len(head)-2]
	}
	return strings.Join(append(append([]string{head}, groups...), tail), ",")
}

// monthText writes a partial date as a complaint does: "March 2024", or "2025".
func monthText(at string) string {
	if t, err := time.Parse("2006-01", at[:min(len(at), 7)]); err == nil {
		return t.Format("January 2006")
	}
	return at
}

// localNumber writes a Pakistani mobile number in E.164 (+923121234567) as people
// write it locally: 0312-1234567.
func localNumber(e164 string) string {
	if len(e164) != 13 || !strings.HasPrefix(e164, "+92") {
		return e164
	}
	return "0" + e164[3:6] + "-" + e164[6:]
}

// newMobile returns a Pakistani mobile number in E.164 that no one in the demo has
// yet, drawn from the seeder's generator.
func (sd *seeder) newMobile() string {
	for {
		n := fmt.Sprintf("+923%02d%07d", sd.rnd.IntN(50), sd.rnd.IntN(10000000))
		if !sd.usedNumbers[n] {
			sd.usedNumbers[n] = true
			return n
		}
	}
}

// familyIdentifiers records the phone numbers the complaints of familyPhoneGuardians
// give for the complainant, and the bank accounts the financial enquiry found the
// families paid from.
func (sd *seeder) familyIdentifiers() {
	sd.familyPhones = map[int]*caseroom.Identifier{}
	for _, g := range familyPhoneGuardians {
		sd.familyPhones[g] = sd.identifier(sd.guardians[g], caseroom.NewIdentifier{Kind: caseroom.IdentifierPhone,
			Value: sd.newMobile(), Source: sd.complaints[g].Ref})
	}
	for _, g := range []int{0, 4, 12} { // in order, for the same records on every seed
		a := familyAccounts[g]
		sd.identifier(sd.guardians[g], caseroom.NewIdentifier{Kind: caseroom.IdentifierBankAccount, Value: a.number,
			Service: a.bank, Source: sd.moneyReport.Ref})
	}
}

// pay records a payment as the indexer, who enters what the documents tell.
func (sd *seeder) pay(np caseroom.NewPayment) *caseroom.Payment {
	return step(sd, fmt.Sprintf("payment of %d %s from %s", int64(*np.Amount), np.Currency, np.Payer), func() (*caseroom.Payment, error) {
		return sd.s.RecordPayment(sd.as(caseroom.RoleIndexer), sd.caseID, np)
	})
}

func paisa(rupees int64) *caseroom.MinorUnits {
	m := caseroom.MinorUnits(rupees * 100)
	return &m
}

// payments records the families' payments (familyPayments), the correction of one
// from the bank's record, and the sales: copies sold locally at Rs 50 each, paid in
// batches by mobile wallet to Tariq Mehmood's number, and transfers from abroad to
// Kamran Yousaf Virk's account.
func (sd *seeder) payments() {
	if sd.err != nil {
		return
	}
	for i := 0; i < numComplaints; i++ {
		g := sd.guardians[i]
		named := sd.victims[i].suspects[0]
		for _, p := range familyPayments[i] {
			np := caseroom.NewPayment{Payer: g.ID, Amount: paisa(p.rupees), Currency: "PKR", At: p.at, Method: p.method,
				Purpose: caseroom.PurposeExtortion, Source: sd.complaints[i].Ref}
			switch p.method {
			case caseroom.PaymentCash:
				np.Payee = sd.suspects[named].ID
			case caseroom.PaymentBankTransfer:
				np.Payee = "bank_account:" + suspectAccounts[p.to]
				if p.fromAccount {
					np.Payer = "bank_account:" + familyAccounts[i].number
				}
			case caseroom.PaymentMobileWallet:
				np.Payee = "phone:" + localNumber(sd.phones[p.to].Value)
				if p.fromAccount {
					np.Payer = "phone:" + localNumber(sd.familyPhones[i].Value)
				}
			}
			pm := sd.pay(np)
			if pm != nil && p.bankRupees != 0 {
				np.Amount, np.Source, np.Corrects = paisa(p.bankRupees), sd.moneyReport.Ref, pm.Ref
				np.Reason = fmt.Sprintf("The bank's record of the transfer is for Rs %s; the complaint gives Rs %s.",
					rupeesText(p.bankRupees), rupeesText(p.rupees))
				sd.pay(np)
			}
		}
	}

	// Local sales: five buyers' numbers (which Tariq Mehmood's phone is in touch
	// with, see callRecords) paying for 20 to 200 copies at a time.
	wallet := "phone:" + localNumber(sd.phones[0].Value)
	sd.buyers = nil
	for range 5 {
		sd.buyers = append(sd.buyers, sd.newMobile())
	}
	for k := range 14 {
		copies := int64(20 + 10*sd.rnd.IntN(19))
		at := time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 43*k+sd.rnd.IntN(30))
		sd.pay(caseroom.NewPayment{Payer: "phone:" + localNumber(sd.buyers[sd.rnd.IntN(len(sd.buyers))]), Payee: wallet,
			Amount: paisa(50 * copies), Currency: "PKR", At: at.Format("2006-01-02"), Method: caseroom.PaymentMobileWallet,
			Purpose: caseroom.PurposeSale, Source: sd.moneyReport.Ref, Note: fmt.Sprintf("%d copies at Rs 50.", copies)})
	}
	// Sales abroad, by transfer to the shop owner's account. The accounts are
	// invented, IBAN-like with check digits 00.
	abroad := []struct {
		from, currency, at string
		amount             caseroom.MinorUnits // pence or cents
	}{
		{"GB00QLNT60161331926819", "GBP", "2025-04-17", 18000},
		{"US00DEMO0000044712093", "USD", "2025-09-02", 30000},
		{"GB00QLNT60161331926819", "GBP", "2026-01-20", 24000},
		{"GB00WSTR40051577120034", "GBP", "2026-06-11", 31000},
		{"US00DEMO0000044712093", "USD", "2026-09-28", 45000},
	}
	for _, a := range abroad {
		amount := a.amount
		sd.pay(caseroom.NewPayment{Payer: "bank_account:" + a.from, Payee: "bank_account:" + suspectAccounts[7], Amount: &amount,
			Currency: a.currency, At: a.at, Method: caseroom.PaymentBankTransfer, Purpose: caseroom.PurposeSale, Source: sd.moneyReport.Ref,
			Note: "Transfer from abroad, as the bank's record shows it."})
	}
}
