package export

import (
	"flag"
	"testing"
	"time"

	"caseroom"
	goldenfile "caseroom/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// memSource is a Source over records held in memory, counting the calls of each method.
type memSource struct {
	persons        []*caseroom.Person
	organisations  []*caseroom.Organisation
	locations      []*caseroom.Location
	endpoints      []*caseroom.Endpoint
	documents      []*caseroom.Document
	links          []*caseroom.Link
	payments       []*caseroom.Payment
	communications []*caseroom.Communication
	calls          map[string]int
}

func each[T any](s *memSource, kind string, records []T, fn func(T) error) error {
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	s.calls[kind]++
	for _, r := range records {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *memSource) Persons(fn func(*caseroom.Person) error) error {
	return each(s, "persons", s.persons, fn)
}
func (s *memSource) Organisations(fn func(*caseroom.Organisation) error) error {
	return each(s, "organisations", s.organisations, fn)
}
func (s *memSource) Locations(fn func(*caseroom.Location) error) error {
	return each(s, "locations", s.locations, fn)
}
func (s *memSource) Endpoints(fn func(*caseroom.Endpoint) error) error {
	return each(s, "endpoints", s.endpoints, fn)
}
func (s *memSource) Documents(fn func(*caseroom.Document) error) error {
	return each(s, "documents", s.documents, fn)
}
func (s *memSource) Links(fn func(*caseroom.Link) error) error {
	return each(s, "links", s.links, fn)
}
func (s *memSource) Payments(fn func(*caseroom.Payment) error) error {
	return each(s, "payments", s.payments, fn)
}
func (s *memSource) Communications(fn func(*caseroom.Communication) error) error {
	return each(s, "communications", s.communications, fn)
}

var testCase = &caseroom.Case{ID: "cas_kite", Title: "Operation Fictional Kite", TimeZone: "Asia/Karachi"}

// leaked holds what the fixture's victim record carries beyond its pseudonym, as a
// Source that withheld too little would give it, and the documents' texts: no export
// may write any of it.
var leaked = []string{"LEAKED-ADDRESS", "2011-02-03", "+923331234567", "LEAKED-PARENT", "TEXT-C1", "TEXT-S1", "TEXT-S2", "TEXT-MR1", "TEXT-P1"}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// fixture is a small fictional case: a victim (V-0001) whose identity is withheld,
// her father, two suspects, a shop, a village and a house in it, phones, a bank
// account (held by a suspect, also recorded as his identifier), an unattributed mobile
// wallet, a foreign chat handle, a statement-sourced set of links (one a correction
// the Source has already resolved: the link it corrects is not given), two payments in
// PKR, three calls and an SMS. Every name is made up.
func fixture() *memSource {
	const cas = "cas_kite"
	victim := caseroom.Party{ID: "per_victim", Kind: caseroom.EntityPerson, Label: "V-0001"}
	father := caseroom.Party{ID: "per_father", Kind: caseroom.EntityPerson, Label: "Karim Fictus"}
	tariq := caseroom.Party{ID: "per_tariq", Kind: caseroom.EntityPerson, Label: "Tariq Imaginary"}
	fphone := caseroom.Endpoint{ID: "enp_fphone", CaseID: cas, Kind: caseroom.IdentifierPhone, Value: "+923001112233", Country: "PK", Holders: []caseroom.Party{father}}
	tphone := caseroom.Endpoint{ID: "enp_tphone", CaseID: cas, Kind: caseroom.IdentifierPhone, Value: "+923005556677", Country: "PK", Holders: []caseroom.Party{tariq}}
	bank := caseroom.Endpoint{ID: "enp_bank", CaseID: cas, Kind: caseroom.IdentifierBankAccount, Service: "fictional bank", Value: "PK36SCBL0000001123456702", Holders: []caseroom.Party{tariq}}
	wallet := caseroom.Endpoint{ID: "enp_wallet", CaseID: cas, Kind: caseroom.IdentifierPhone, Value: "+923009998877", Country: "PK"}
	vphone := caseroom.Endpoint{ID: "enp_vphone", CaseID: cas, Kind: caseroom.IdentifierPhone, ValueWithheld: true, Country: "PK", Holders: []caseroom.Party{victim}}
	buyer := caseroom.Endpoint{ID: "enp_buyer", CaseID: cas, Kind: caseroom.IdentifierHandle, Service: "telegram", Value: "kite_buyer_99", Country: "AE", Foreign: true}
	stmt := func(giver, label, recorded string) *caseroom.Statement {
		return &caseroom.Statement{Giver: giver, GiverLabel: label, RecordedBy: "io.fictional", RecordedAt: at(recorded)}
	}
	return &memSource{
		documents: []*caseroom.Document{
			{ID: "doc_c1", CaseID: cas, Ref: "C-1", Kind: caseroom.DocComplaint, Title: "Complaint of the father of V-0001", Text: "TEXT-C1 never exported",
				ExternalRef: "FIR 12/2024", RegisteredBy: "io.fictional", RegisteredAt: at("2024-03-06T05:00:00Z")},
			{ID: "doc_s1", CaseID: cas, Ref: "S-1", Kind: caseroom.DocStatement, Title: "Statement of Karim Fictus", Text: "TEXT-S1 never exported",
				Statement: stmt("per_father", "Karim Fictus", "2024-03-06T07:30:00Z"), RegisteredBy: "io.fictional", RegisteredAt: at("2024-03-06T08:00:00Z")},
			{ID: "doc_s2", CaseID: cas, Ref: "S-2", Kind: caseroom.DocStatement, Title: "Statement of V-0001", Text: "TEXT-S2 never exported",
				Statement: stmt("per_victim", "V-0001", "2024-03-07T10:00:00Z"), RegisteredBy: "wpc.fictional", RegisteredAt: at("2024-03-07T11:00:00Z")},
			{ID: "doc_mr1", CaseID: cas, Ref: "MR-1", Kind: caseroom.DocMedicalReport, Title: "Medical examination of V-0001", Text: "TEXT-MR1 never exported",
				RegisteredBy: "mo.fictional", RegisteredAt: at("2024-03-07T12:00:00Z")},
			{ID: "doc_p1", CaseID: cas, Ref: "P-1", Kind: caseroom.DocPress, Title: "Fictional Daily: video shop raided", Text: "TEXT-P1 never exported",
				RegisteredBy: "io.fictional", RegisteredAt: at("2024-03-10T09:00:00Z")},
		},
		organisations: []*caseroom.Organisation{
			{ID: "org_shop", CaseID: cas, Name: "Fictional Video & Mobile Centre", Kind: "shop", Note: "Sells phones & memory cards.", Source: "C-1",
				CreatedBy: "io.fictional", CreatedAt: at("2024-03-06T09:00:00Z")},
		},
		locations: []*caseroom.Location{
			{ID: "loc_chak", CaseID: cas, Name: "Chak 99 Fictional", Kind: "village", Lat: ptr(31.5), Lon: ptr(74.25), Source: "C-1",
				CreatedBy: "io.fictional", CreatedAt: at("2024-03-06T09:10:00Z")},
			{ID: "loc_house", CaseID: cas, Name: "House 3", Kind: "address", Address: "House 3, Street 2, Chak 99 Fictional", Within: "loc_chak", Source: "S-1",
				CreatedBy: "io.fictional", CreatedAt: at("2024-03-06T09:20:00Z")},
		},
		persons: []*caseroom.Person{
			{ID: "per_victim", CaseID: cas, Pseudonym: "V-0001", Roles: []caseroom.PersonRole{caseroom.PersonVictim}, IdentityHidden: true,
				// What a Source that withheld too little would leave: never exported.
				Sex: "female", DateOfBirth: "2011-02-03", Address: "LEAKED-ADDRESS", Parents: []string{"LEAKED-PARENT"},
				Identifiers: []caseroom.Identifier{{ID: "idf_vphone", PersonID: "per_victim", Kind: caseroom.IdentifierPhone, Value: "+923331234567", Source: "S-2"}},
				RecordedBy:  "wpc.fictional", CreatedAt: at("2024-03-06T06:00:00Z")},
			{ID: "per_father", CaseID: cas,
				Names: []caseroom.PersonName{{Name: "Karim Fictus", Script: "Latn", Source: "C-1"}, {Name: "کریم فکٹس", Script: "Arab", Source: "C-1"}},
				Roles: []caseroom.PersonRole{caseroom.PersonComplainant, caseroom.PersonGuardian},
				Sex:   "male", AgeBand: "40-49", Parents: []string{"Rahim Fictus"}, Address: "House 3, Street 2, Chak 99 Fictional",
				Identifiers: []caseroom.Identifier{
					{ID: "idf_fphone", PersonID: "per_father", Kind: caseroom.IdentifierPhone, Value: "+923001112233", Source: "C-1"},
					{ID: "idf_cnic", PersonID: "per_father", Kind: caseroom.IdentifierNationalID, Value: "35202-1234567-1", Source: "C-1"},
				},
				RecordedBy: "io.fictional", CreatedAt: at("2024-03-06T05:30:00Z")},
			{ID: "per_tariq", CaseID: cas,
				Names:   []caseroom.PersonName{{Name: "Tariq Imaginary", Script: "Latn", Source: "S-1"}},
				Aliases: []caseroom.Alias{{Alias: "Tiko", Kind: "alias", Source: "S-1"}},
				Roles:   []caseroom.PersonRole{caseroom.PersonSuspect}, Sex: "male", AgeBand: "30-39",
				Identifiers: []caseroom.Identifier{
					{ID: "idf_handle", PersonID: "per_tariq", Kind: caseroom.IdentifierHandle, Value: "tiko_fake", Service: "Skype", Source: "S-1"},
					{ID: "idf_bank", PersonID: "per_tariq", Kind: caseroom.IdentifierBankAccount, Value: "PK36SCBL0000001123456702", Service: "Fictional Bank", Source: "S-1"},
					{ID: "idf_tphone", PersonID: "per_tariq", Kind: caseroom.IdentifierPhone, Value: "+923005556677", Source: "S-1"},
					{ID: "idf_serial", PersonID: "per_tariq", Kind: caseroom.IdentifierDeviceSerial, Value: "SN-FAKE-0001", Source: "S-1"},
				},
				RecordedBy: "io.fictional", CreatedAt: at("2024-03-06T10:00:00Z")},
			{ID: "per_asif", CaseID: cas,
				Names: []caseroom.PersonName{{Name: "Asif Madeup", Script: "Latn", Source: "S-1"}},
				Roles: []caseroom.PersonRole{caseroom.PersonSuspect},
				Identifiers: []caseroom.Identifier{
					{ID: "idf_email", PersonID: "per_asif", Kind: caseroom.IdentifierEmail, Value: "asif.madeup@example.org", Source: "S-1"},
					// A number in a range kept for drama: possible, not valid.
					{ID: "idf_aphone", PersonID: "per_asif", Kind: caseroom.IdentifierPhone, Value: "+447700900123", Source: "S-1"},
				},
				RecordedBy: "io.fictional", CreatedAt: at("2024-03-06T10:05:00Z")},
		},
		endpoints: []*caseroom.Endpoint{&fphone, &tphone, &bank, &wallet, &vphone, &buyer},
		links: []*caseroom.Link{
			{ID: "lnk_parent", CaseID: cas, From: "per_father", FromKind: caseroom.EntityPerson, FromLabel: "Karim Fictus",
				To: "per_victim", ToKind: caseroom.EntityPerson, ToLabel: "V-0001", Type: "parent_of", Confidence: 1,
				Source: "doc_c1", SourceKind: caseroom.EntityDocument, SourceRef: "C-1", CreatedBy: "io.fictional", CreatedAt: at("2024-03-06T06:10:00Z")},
			// A correction of an earlier link ("met"), which the Source has resolved:
			// the earlier one is not given.
			{ID: "lnk_knows", CaseID: cas, From: "per_tariq", FromKind: caseroom.EntityPerson, FromLabel: "Tariq Imaginary",
				To: "per_asif", ToKind: caseroom.EntityPerson, ToLabel: "Asif Madeup", Type: "knows", Since: "2023", Confidence: 0.8,
				Source: "doc_s1", SourceKind: caseroom.EntityDocument, SourceRef: "S-1", Corrects: "lnk_met_old", Reason: "they knew each other for a year, not met once",
				CreatedBy: "io.fictional", CreatedAt: at("2024-03-08T06:00:00Z")},
			{ID: "lnk_employed", CaseID: cas, From: "per_tariq", FromKind: caseroom.EntityPerson, FromLabel: "Tariq Imaginary",
				To: "org_shop", ToKind: caseroom.EntityOrganisation, ToLabel: "Fictional Video & Mobile Centre", Type: "employed_by", Since: "2022-06", Confidence: 0.9,
				Source: "doc_c1", SourceKind: caseroom.EntityDocument, SourceRef: "C-1", CreatedBy: "io.fictional", CreatedAt: at("2024-03-06T09:30:00Z")},
			{ID: "lnk_member", CaseID: cas, From: "per_asif", FromKind: caseroom.EntityPerson, FromLabel: "Asif Madeup",
				To: "org_shop", ToKind: caseroom.EntityOrganisation, ToLabel: "Fictional Video & Mobile Centre", Type: "member_of", Confidence: 0.6,
				Source: "doc_s1", SourceKind: caseroom.EntityDocument, SourceRef: "S-1", CreatedBy: "io.fictional", CreatedAt: at("2024-03-06T09:31:00Z")},
			{ID: "lnk_lives", CaseID: cas, From: "per_father", FromKind: caseroom.EntityPerson, FromLabel: "Karim Fictus",
				To: "loc_house", ToKind: caseroom.EntityLocation, ToLabel: "House 3", Type: "lives_at", Confidence: 1,
				Source: "doc_c1", SourceKind: caseroom.EntityDocument, SourceRef: "C-1", CreatedBy: "io.fictional", CreatedAt: at("2024-03-06T09:32:00Z")},
			{ID: "lnk_extorted", CaseID: cas, From: "per_tariq", FromKind: caseroom.EntityPerson, FromLabel: "Tariq Imaginary",
				To: "per_victim", ToKind: caseroom.EntityPerson, ToLabel: "V-0001", Type: "extorted", Since: "2024-03", Until: "2024-04-01", Confidence: 0.9,
				Source: "doc_s2", SourceKind: caseroom.EntityDocument, SourceRef: "S-2", Note: "Threatened to post \"the video\" <online>.",
				CreatedBy: "wpc.fictional", CreatedAt: at("2024-03-07T12:00:00Z")},
			{ID: "lnk_uses", CaseID: cas, From: "per_tariq", FromKind: caseroom.EntityPerson, FromLabel: "Tariq Imaginary",
				To: "idf_handle", ToKind: caseroom.EntityIdentifier, ToLabel: "handle tiko_fake", Type: "uses_identifier", Confidence: 1,
				Source: "doc_s1", SourceKind: caseroom.EntityDocument, SourceRef: "S-1", CreatedBy: "io.fictional", CreatedAt: at("2024-03-08T07:00:00Z")},
			{ID: "lnk_uses_v", CaseID: cas, From: "per_tariq", FromKind: caseroom.EntityPerson, FromLabel: "Tariq Imaginary",
				To: "idf_vphone", ToKind: caseroom.EntityIdentifier, ToLabel: "phone of V-0001", Type: "called", Confidence: 0.7,
				Source: "doc_s2", SourceKind: caseroom.EntityDocument, SourceRef: "S-2", CreatedBy: "wpc.fictional", CreatedAt: at("2024-03-08T07:10:00Z")},
			{ID: "lnk_mentions", CaseID: cas, From: "doc_p1", FromKind: caseroom.EntityDocument, FromLabel: "P-1 Fictional Daily: video shop raided",
				To: "org_shop", ToKind: caseroom.EntityOrganisation, ToLabel: "Fictional Video & Mobile Centre", Type: "mentions", Confidence: 1,
				Source: "doc_p1", SourceKind: caseroom.EntityDocument, SourceRef: "P-1", CreatedBy: "io.fictional", CreatedAt: at("2024-03-10T09:10:00Z")},
		},
		payments: []*caseroom.Payment{
			{ID: "pay_1", CaseID: cas, Ref: "PM-1", Payer: father, Payee: caseroom.Party{ID: "enp_bank", Kind: caseroom.EntityEndpoint, Label: "PK36SCBL0000001123456702"},
				Amount: 1500000, Currency: "PKR", At: "2024-03-05", Method: caseroom.PaymentBankTransfer, Purpose: caseroom.PurposeExtortion,
				Source: "doc_s1", SourceKind: caseroom.EntityDocument, SourceRef: "S-1", RecordedBy: "io.fictional", RecordedAt: at("2024-03-06T08:30:00Z")},
			{ID: "pay_2", CaseID: cas, Ref: "PM-2", Payer: father, Payee: caseroom.Party{ID: "enp_wallet", Kind: caseroom.EntityEndpoint, Label: "+923009998877"},
				Amount: 5000050, Currency: "PKR", At: "2024-04-01T09:30:00Z", Method: caseroom.PaymentMobileWallet, Purpose: caseroom.PurposeExtortion,
				Source: "doc_s1", SourceKind: caseroom.EntityDocument, SourceRef: "S-1", Note: "Second demand, by wallet.",
				RecordedBy: "io.fictional", RecordedAt: at("2024-04-02T08:30:00Z")},
		},
		communications: []*caseroom.Communication{
			{ID: "com_1", CaseID: cas, From: tphone, To: fphone, Directed: true, Kind: caseroom.CommCall, At: at("2024-03-04T18:00:00Z"), Duration: 125,
				CellID: "410-01-1234-5678", Exhibit: "exh_sb3", ExhibitRef: "SB/3", Import: "imp_1", Line: 2},
			{ID: "com_2", CaseID: cas, From: fphone, To: tphone, Directed: false, Kind: caseroom.CommCall, At: at("2024-03-05T08:15:00Z"), Duration: 40,
				Exhibit: "exh_sb3", ExhibitRef: "SB/3", Import: "imp_1", Line: 3},
			{ID: "com_3", CaseID: cas, From: wallet, To: vphone, Directed: true, Kind: caseroom.CommCall, At: at("2024-03-06T20:00:00Z"), Duration: 0,
				Exhibit: "exh_sb3", ExhibitRef: "SB/3", Import: "imp_1", Line: 4},
			{ID: "com_4", CaseID: cas, From: tphone, To: wallet, Directed: true, Kind: caseroom.CommSMS, At: at("2024-03-06T20:05:00Z"),
				Exhibit: "exh_sb3", ExhibitRef: "SB/3", Import: "imp_1", Line: 5},
		},
	}
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}
