package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/nyaruka/phonenumbers"
	"pgregory.net/rapid"

	"caseroom"
)

// ftmLine is one entity as FtM's JSON lines write it.
type ftmLine struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

func exportFtM(t *testing.T, src Source) ([]byte, Counts) {
	t.Helper()
	var buf bytes.Buffer
	counts, err := FtM(&buf, testCase, src)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), counts
}

// parseFtM reads the lines of an FtM export, checking that each is exactly what
// encoding/json writes for it (keys in order, property names sorted, strings escaped
// the standard way), so that the same entity is always the same bytes.
func parseFtM(t *testing.T, out []byte) []ftmLine {
	t.Helper()
	var lines []ftmLine
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var l ftmLine
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %d: %v: %s", n, err, sc.Bytes())
		}
		var again bytes.Buffer
		enc := json.NewEncoder(&again)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
		if got := sc.Text() + "\n"; got != again.String() {
			t.Errorf("line %d is not in canonical form:\n got %s want %s", n, got, again.String())
		}
		lines = append(lines, l)
	}
	return lines
}

// isA reports whether schema is ancestor or extends it.
func isA(schema, ancestor string) bool {
	if schema == ancestor {
		return true
	}
	for _, p := range ftmSchemata[schema].extends {
		if isA(p, ancestor) {
			return true
		}
	}
	return false
}

var (
	ftmDateRE  = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?$`)
	ftmPhoneRE = regexp.MustCompile(`^\+[1-9]\d{6,14}$`)
	ftmEmailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.\w+$`)
)

// checkFtMValue checks one value against its property's type, as FtM validates it.
func checkFtMValue(p ftmProp, v string) error {
	if v == "" || !utf8.ValidString(v) {
		return errors.New("empty or not UTF-8")
	}
	if p.maxLength > 0 && utf8.RuneCountInString(v) > p.maxLength {
		return errors.New("longer than " + strconv.Itoa(p.maxLength))
	}
	switch p.typ {
	case "string", "text", "name", "identifier", "address":
		return nil
	case "date":
		if !ftmDateRE.MatchString(v) {
			return errors.New("not an ISO 8601 prefix")
		}
		layout := "2006-01-02T15:04:05"[:len(v)]
		if _, err := time.Parse(layout, v); err != nil {
			return err
		}
	case "phone":
		if !ftmPhoneRE.MatchString(v) {
			return errors.New("not E.164")
		}
		if n, err := phonenumbers.Parse(v, ""); err != nil || !phonenumbers.IsValidNumber(n) {
			return errors.New("not a valid number")
		}
	case "email":
		domain := v[strings.LastIndex(v, "@")+1:]
		if !ftmEmailRE.MatchString(v) || len(domain) < 4 || !strings.Contains(domain, ".") {
			return errors.New("not an e-mail address")
		}
	case "country":
		if !regexp.MustCompile(`^[a-z]{2}$`).MatchString(v) {
			return errors.New("not a lower-case ISO 3166-1 code")
		}
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return err
		}
	case "gender":
		if v != "male" && v != "female" && v != "other" {
			return errors.New("not a gender")
		}
	case "iban":
		if !validIBAN(v) {
			return errors.New("not an IBAN")
		}
	case "entity":
		if !strings.HasPrefix(v, "cr-") {
			return errors.New("not an entity id of this export")
		}
	default:
		return errors.New("type " + p.typ + " is not checked here: add a check before writing it")
	}
	return nil
}

// ftmProblems checks every entity against ftmSchemata: a known, concrete schema; only
// its properties, each value valid for the property's type; its required properties
// present; a unique id; every entity value naming an entity of the export of the
// property's range. It returns what is wrong.
func ftmProblems(lines []ftmLine) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	schemaOf := map[string]string{}
	for _, l := range lines {
		if _, dup := schemaOf[l.ID]; dup {
			bad("entity %s written twice", l.ID)
		}
		schemaOf[l.ID] = l.Schema
	}
	for _, l := range lines {
		s, ok := ftmSchemata[l.Schema]
		if !ok || s.abstract {
			bad("%s: schema %q is not a concrete FtM schema", l.ID, l.Schema)
			continue
		}
		for _, r := range s.required {
			if len(l.Properties[r]) == 0 {
				bad("%s (%s): required property %s missing", l.ID, l.Schema, r)
			}
		}
		for name, values := range l.Properties {
			p, ok := s.properties[name]
			if !ok {
				bad("%s (%s): %s is not a property of the schema", l.ID, l.Schema, name)
				continue
			}
			if len(values) == 0 {
				bad("%s (%s): %s has no values", l.ID, l.Schema, name)
			}
			for _, v := range values {
				if err := checkFtMValue(p, v); err != nil {
					bad("%s (%s): %s %q: %v", l.ID, l.Schema, name, v, err)
					continue
				}
				if p.typ == "entity" {
					target, ok := schemaOf[v]
					if !ok {
						bad("%s (%s): %s names %s, which is not in the export", l.ID, l.Schema, name, v)
					} else if !isA(target, p.rng) {
						bad("%s (%s): %s names %s, a %s, not a %s", l.ID, l.Schema, name, v, target, p.rng)
					}
				}
			}
		}
	}
	return problems
}

func TestFtMGolden(t *testing.T) {
	out, _ := exportFtM(t, fixture())
	golden(t, "case.ftm.jsonl", out)
}

func TestFtMFollowsSchemata(t *testing.T) {
	out, _ := exportFtM(t, fixture())
	lines := parseFtM(t, out)
	if len(lines) == 0 {
		t.Fatal("no entities")
	}
	for _, p := range ftmProblems(lines) {
		t.Error(p)
	}
}

// TestFtMSchemaCheckFails shows that the check catches what it is for.
func TestFtMSchemaCheckFails(t *testing.T) {
	person := ftmLine{"cr-p", "Person", map[string][]string{"name": {"A"}}}
	for _, tc := range []struct {
		name string
		line ftmLine
	}{
		{"a property of another schema", ftmLine{"cr-1", "Person", map[string][]string{"name": {"A"}, "payer": {"cr-p"}}}},
		{"a required property missing", ftmLine{"cr-1", "Payment", map[string][]string{"payer": {"cr-p"}}}},
		{"a phone not in E.164", ftmLine{"cr-1", "Person", map[string][]string{"name": {"A"}, "phone": {"0300-1234567"}}}},
		{"a date with a zone", ftmLine{"cr-1", "Person", map[string][]string{"name": {"A"}, "birthDate": {"2024-03-04T18:00:00Z"}}}},
		{"an upper-case country", ftmLine{"cr-1", "Person", map[string][]string{"name": {"A"}, "country": {"PK"}}}},
		{"a reference out of range", ftmLine{"cr-1", "Family", map[string][]string{"person": {"cr-p"}, "relative": {"cr-1"}}}},
		{"a reference to nothing", ftmLine{"cr-1", "Family", map[string][]string{"person": {"cr-p"}, "relative": {"cr-x"}}}},
		{"an abstract schema", ftmLine{"cr-1", "Thing", map[string][]string{"name": {"A"}}}},
		{"an identifier too long", ftmLine{"cr-1", "Person", map[string][]string{"name": {"A"}, "idNumber": {strings.Repeat("1", 65)}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if p := ftmProblems([]ftmLine{person, tc.line}); len(p) == 0 {
				t.Error("no problem found")
			}
		})
	}
	if p := ftmProblems([]ftmLine{person}); len(p) != 0 {
		t.Errorf("a valid person: %v", p)
	}
}

// entities maps each entity of an export by id.
func entities(t *testing.T, out []byte) map[string]ftmLine {
	m := map[string]ftmLine{}
	for _, l := range parseFtM(t, out) {
		m[l.ID] = l
	}
	return m
}

func TestFtMMapping(t *testing.T) {
	out, _ := exportFtM(t, fixture())
	got := entities(t, out)
	for _, want := range []ftmLine{
		// The victim: the pseudonym and nothing else, whatever the record carried.
		{"cr-per_victim", "Person", map[string][]string{"name": {"V-0001"}, "keywords": {"victim"}}},
		{"cr-per_father", "Person", map[string][]string{
			"name": {"Karim Fictus", "کریم فکٹس"}, "fatherName": {"Rahim Fictus"}, "gender": {"male"},
			"address": {"House 3, Street 2, Chak 99 Fictional"}, "phone": {"+923001112233"}, "idNumber": {"35202-1234567-1"},
			"keywords": {"complainant", "guardian"}, "proof": {"cr-doc_c1"}}},
		// The drama-range number is no valid phone for FtM: left out.
		{"cr-per_asif", "Person", map[string][]string{"name": {"Asif Madeup"}, "email": {"asif.madeup@example.org"},
			"keywords": {"suspect"}, "proof": {"cr-doc_s1"}}},
		{"cr-idf_handle", "UserAccount", map[string][]string{"username": {"tiko_fake"}, "service": {"Skype"}, "owner": {"cr-per_tariq"}, "proof": {"cr-doc_s1"}}},
		{"cr-idf_bank", "BankAccount", map[string][]string{"accountNumber": {"PK36SCBL0000001123456702"}, "iban": {"PK36SCBL0000001123456702"},
			"bankName": {"Fictional Bank"}, "proof": {"cr-doc_s1"}}},
		{"cr-idf_bank-owner", "Ownership", map[string][]string{"owner": {"cr-per_tariq"}, "asset": {"cr-idf_bank"}, "role": {"holder"}}},
		{"cr-enp_buyer", "UserAccount", map[string][]string{"username": {"kite_buyer_99"}, "service": {"telegram"}, "country": {"ae"}}},
		{"cr-enp_wallet-holder", "LegalEntity", map[string][]string{"name": {"holder of +923009998877"}, "phone": {"+923009998877"}, "country": {"pk"}}},
		{"cr-loc_chak", "Address", map[string][]string{"name": {"Chak 99 Fictional"}, "full": {"Chak 99 Fictional"}, "city": {"Chak 99 Fictional"},
			"latitude": {"31.5"}, "longitude": {"74.25"}, "keywords": {"village"}, "proof": {"cr-doc_c1"}}},
		{"cr-loc_house-within", "UnknownLink", map[string][]string{"subject": {"cr-loc_house"}, "object": {"cr-loc_chak"}, "role": {"within"}}},
		{"cr-doc_s1", "Document", map[string][]string{"fileName": {"S-1"}, "title": {"Statement of Karim Fictus"}, "date": {"2024-03-06T08:00:00"},
			"authoredAt": {"2024-03-06T07:30:00"}, "author": {"Karim Fictus"}, "keywords": {"statement"}}},
		{"cr-doc_p1", "Article", map[string][]string{"fileName": {"P-1"}, "title": {"Fictional Daily: video shop raided"}, "date": {"2024-03-10T09:00:00"}, "keywords": {"press"}}},
		// parent_of: the relative (father) is the parent of the person (victim).
		{"cr-lnk_parent", "Family", map[string][]string{"person": {"cr-per_victim"}, "relative": {"cr-per_father"}, "relationship": {"parent"},
			"recordId": {"lnk_parent"}, "summary": {"source C-1; confidence 1"}}},
		{"cr-lnk_knows", "Associate", map[string][]string{"person": {"cr-per_tariq"}, "associate": {"cr-per_asif"}, "relationship": {"knows"},
			"startDate": {"2023"}, "recordId": {"lnk_knows"}, "summary": {"source S-1; confidence 0.8"}}},
		{"cr-lnk_employed", "Employment", map[string][]string{"employee": {"cr-per_tariq"}, "employer": {"cr-org_shop"}, "role": {"employed by"},
			"startDate": {"2022-06"}, "recordId": {"lnk_employed"}, "summary": {"source C-1; confidence 0.9"}}},
		{"cr-lnk_member", "Membership", map[string][]string{"member": {"cr-per_asif"}, "organization": {"cr-org_shop"}, "role": {"member of"},
			"recordId": {"lnk_member"}, "summary": {"source S-1; confidence 0.6"}}},
		{"cr-lnk_lives", "UnknownLink", map[string][]string{"subject": {"cr-per_father"}, "object": {"cr-loc_house"}, "role": {"lives at"},
			"recordId": {"lnk_lives"}, "summary": {"source C-1; confidence 1"}}},
		{"cr-lnk_extorted", "UnknownLink", map[string][]string{"subject": {"cr-per_tariq"}, "object": {"cr-per_victim"}, "role": {"extorted"},
			"startDate": {"2024-03"}, "endDate": {"2024-04-01"}, "recordId": {"lnk_extorted"}, "summary": {"source S-2; confidence 0.9"},
			"description": {`Threatened to post "the video" <online>.`}}},
		{"cr-lnk_uses", "UnknownLink", map[string][]string{"subject": {"cr-per_tariq"}, "object": {"cr-idf_handle"}, "role": {"uses identifier"},
			"recordId": {"lnk_uses"}, "summary": {"source S-1; confidence 1"}}},
		{"cr-lnk_mentions", "UnknownLink", map[string][]string{"subject": {"cr-doc_p1"}, "object": {"cr-org_shop"}, "role": {"mentions"},
			"recordId": {"lnk_mentions"}, "summary": {"source P-1; confidence 1"}}},
		// The bank endpoint is the account recorded as the suspect's identifier.
		{"cr-pay_1", "Payment", map[string][]string{"payer": {"cr-per_father"}, "beneficiary": {"cr-per_tariq"}, "beneficiaryAccount": {"cr-idf_bank"},
			"amount": {"15000.00"}, "currency": {"PKR"}, "date": {"2024-03-05"}, "purpose": {"extortion"}, "transactionNumber": {"PM-1"},
			"recordId": {"pay_1"}, "summary": {"bank-transfer; source S-1"}}},
		{"cr-pay_2", "Payment", map[string][]string{"payer": {"cr-per_father"}, "beneficiary": {"cr-enp_wallet-holder"},
			"amount": {"50000.50"}, "currency": {"PKR"}, "date": {"2024-04-01T09:30:00"}, "purpose": {"extortion"}, "transactionNumber": {"PM-2"},
			"recordId": {"pay_2"}, "summary": {"mobile-wallet; source S-1"}, "description": {"Second demand, by wallet."}}},
		{"cr-com_1", "Call", map[string][]string{"caller": {"cr-per_tariq"}, "callerNumber": {"+923005556677"}, "receiver": {"cr-per_father"},
			"receiverNumber": {"+923001112233"}, "date": {"2024-03-04T18:00:00"}, "duration": {"125"}, "recordId": {"com_1"}, "summary": {"source SB/3 line 2"}}},
		{"cr-com_2", "Call", map[string][]string{"caller": {"cr-per_father"}, "callerNumber": {"+923001112233"}, "receiver": {"cr-per_tariq"},
			"receiverNumber": {"+923005556677"}, "date": {"2024-03-05T08:15:00"}, "duration": {"40"}, "recordId": {"com_2"},
			"summary": {"source SB/3 line 3; direction not recorded: caller and receiver as the file lists them"}}},
		// The victim's number is withheld: the receiver is the victim, without it.
		{"cr-com_3", "Call", map[string][]string{"callerNumber": {"+923009998877"}, "receiver": {"cr-per_victim"},
			"date": {"2024-03-06T20:00:00"}, "duration": {"0"}, "recordId": {"com_3"}, "summary": {"source SB/3 line 4"}}},
	} {
		t.Run(want.ID, func(t *testing.T) {
			if diff := cmp.Diff(want, got[want.ID]); diff != "" {
				t.Errorf("entity differs (-want +got):\n%s", diff)
			}
		})
	}
	for _, id := range []string{"cr-enp_bank", "cr-enp_fphone", "cr-enp_vphone", "cr-com_4", "cr-lnk_uses_v", "cr-lnk_met_old", "cr-idf_serial", "cr-idf_fphone"} {
		if _, ok := got[id]; ok {
			t.Errorf("%s was written; it has no entity of its own", id)
		}
	}
}

func TestFtMCounts(t *testing.T) {
	src := fixture()
	_, counts := exportFtM(t, src)
	want := Counts{
		Written: map[string]int64{"Document": 4, "Article": 1, "Organization": 1, "Address": 2, "UnknownLink": 5, "Person": 4,
			"UserAccount": 2, "BankAccount": 1, "Ownership": 1, "LegalEntity": 1, "Family": 1, "Associate": 1, "Employment": 1,
			"Membership": 1, "Payment": 2, "Call": 3},
		Skipped: map[string]int64{
			"identifier: phone not valid for FtM's phone":                                     1,
			"identifier: device_serial (FtM has no schema for a device)":                      1,
			"endpoint: the account its holder's identifier is written as":                     1,
			"link: ends at an identifier written as a property of its holder, or withheld":    1,
			"communication: sms (FtM's Message needs bodyText, which Caseroom does not hold)": 1,
		},
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("counts differ (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"documents": 1, "organisations": 1, "locations": 1, "persons": 1, "payments": 2,
		"endpoints": 1, "links": 1, "communications": 1}, src.calls); diff != "" {
		t.Errorf("Source calls differ (-want +got):\n%s", diff)
	}
}

func TestFtMRevealedVictim(t *testing.T) {
	for _, tc := range []struct {
		name   string
		person caseroom.Person
		want   map[string][]string
	}{
		{"withheld", caseroom.Person{ID: "p", Pseudonym: "V-0002", Roles: []caseroom.PersonRole{"victim"}, IdentityHidden: true, AgeBand: "14-17"},
			map[string][]string{"name": {"V-0002"}, "keywords": {"victim"}}},
		{"revealed by the caller", caseroom.Person{ID: "p", Pseudonym: "V-0002", Roles: []caseroom.PersonRole{"victim"},
			Names: []caseroom.PersonName{{Name: "Sana Fictional"}}, DateOfBirth: "2010-05-06", Sex: "female"},
			map[string][]string{"name": {"V-0002", "Sana Fictional"}, "keywords": {"victim"}, "birthDate": {"2010-05-06"}, "gender": {"female"}}},
		{"known by an alias only", caseroom.Person{ID: "p", Aliases: []caseroom.Alias{{Alias: "Kala"}}, Roles: []caseroom.PersonRole{"suspect"}},
			map[string][]string{"name": {"Kala"}, "alias": {"Kala"}, "keywords": {"suspect"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e ftmEntity
			fw := &ftmWriter{counts: newCounts(), phones: map[string]string{}}
			fw.personEntity(&e, visiblePerson(&tc.person))
			got := map[string][]string{}
			for _, p := range e.props[:e.n] {
				got[p.name] = p.values
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("properties differ (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExportsWithholdWhatTheyMust: no format writes the victim's leaked fields or any
// document's text.
func TestExportsWithholdWhatTheyMust(t *testing.T) {
	outputs := map[string][]byte{}
	var b bytes.Buffer
	if _, err := FtM(&b, testCase, fixture()); err != nil {
		t.Fatal(err)
	}
	outputs["FtM"] = bytes.Clone(b.Bytes())
	b.Reset()
	if _, err := GraphML(&b, testCase, fixture()); err != nil {
		t.Fatal(err)
	}
	outputs["GraphML"] = bytes.Clone(b.Bytes())
	var nodes, edges bytes.Buffer
	if _, err := CSV(&nodes, &edges, fixture()); err != nil {
		t.Fatal(err)
	}
	outputs["CSV"] = append(nodes.Bytes(), edges.Bytes()...)
	outputs["XLSX"] = []byte(strings.Join(workbookCells(t, fixture()), "\n"))
	for format, out := range outputs {
		if !bytes.Contains(out, []byte("V-0001")) {
			t.Errorf("%s: the victim's pseudonym is missing", format)
		}
		for _, s := range leaked {
			if bytes.Contains(out, []byte(s)) {
				t.Errorf("%s writes %q", format, s)
			}
		}
	}
}

// failingSource fails on its nth record of a kind.
type failingSource struct {
	*memSource
	kind string
}

var errSource = errors.New("the store failed")

func (f failingSource) Links(fn func(*caseroom.Link) error) error {
	if f.kind == "links" {
		return errSource
	}
	return f.memSource.Links(fn)
}

func TestWritersStopAtTheSourcesError(t *testing.T) {
	for name, run := range map[string]func(Source) error{
		"FtM":     func(s Source) error { _, err := FtM(&bytes.Buffer{}, testCase, s); return err },
		"GraphML": func(s Source) error { _, err := GraphML(&bytes.Buffer{}, testCase, s); return err },
		"CSV":     func(s Source) error { _, err := CSV(&bytes.Buffer{}, &bytes.Buffer{}, s); return err },
		"CSVZip":  func(s Source) error { _, err := CSVZip(&bytes.Buffer{}, s); return err },
		"XLSX":    func(s Source) error { _, err := XLSX(&bytes.Buffer{}, testCase, s); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := run(failingSource{fixture(), "links"})
			if !errors.Is(err, errSource) || !strings.Contains(strings.ToLower(err.Error()), "links") {
				t.Errorf("err = %v; want the Source's error, naming links", err)
			}
		})
	}
}

func TestWritersRefuseAnotherCasesRecord(t *testing.T) {
	for name, run := range map[string]func(Source) error{
		"FtM":     func(s Source) error { _, err := FtM(&bytes.Buffer{}, testCase, s); return err },
		"GraphML": func(s Source) error { _, err := GraphML(&bytes.Buffer{}, testCase, s); return err },
		"XLSX":    func(s Source) error { _, err := XLSX(&bytes.Buffer{}, testCase, s); return err },
	} {
		t.Run(name, func(t *testing.T) {
			src := fixture()
			src.persons[2].CaseID = "cas_other"
			err := run(src)
			if caseroom.ErrorCode(err) != caseroom.EINTERNAL || !strings.Contains(err.Error(), "per_tariq") {
				t.Errorf("err = %v; want EINTERNAL naming the record", err)
			}
		})
	}
}

func TestMajorUnits(t *testing.T) {
	for _, tc := range []struct {
		n      int64
		digits int
		want   string
	}{
		{1500000, 2, "15000.00"}, {5000050, 2, "50000.50"}, {5, 2, "0.05"}, {0, 2, "0.00"}, {-150, 2, "-1.50"},
		{1500, 0, "1500"}, {1500, 3, "1.500"}, {7, 4, "0.0007"}, {caseroom.MaxPaymentAmount, 2, "100000000000.00"},
	} {
		if got := majorUnits(tc.n, tc.digits); got != tc.want {
			t.Errorf("majorUnits(%d, %d) = %q; want %q", tc.n, tc.digits, got, tc.want)
		}
	}
	if got := majorFloat(caseroom.MaxPaymentAmount-1, 2); got != 99999999999.99 {
		t.Errorf("majorFloat = %v", got)
	}
}

func TestFtMValues(t *testing.T) {
	for _, tc := range []struct {
		fn       func(string) string
		in, want string
	}{
		{ftmDate, "2024", "2024"}, {ftmDate, "2024-03", "2024-03"}, {ftmDate, "2024-03-05", "2024-03-05"},
		{ftmDate, "2024-13", ""}, {ftmDate, "2024-02-30", ""}, {ftmDate, "5 March 2024", ""}, {ftmDate, "", ""},
		{ftmDate, "2024-04-01T09:30:00Z", "2024-04-01T09:30:00"}, {ftmDate, "2024-04-01T14:30:00+05:00", "2024-04-01T09:30:00"},
		{ftmPhone, "+923001112233", "+923001112233"}, {ftmPhone, "03001112233", ""}, {ftmPhone, "+447700900123", ""},
		{ftmPhone, "8558", ""}, {ftmPhone, "+92 300 1112233", ""},
		{ftmEmail, "a@example.org", "a@example.org"}, {ftmEmail, "a@b.c", ""}, {ftmEmail, "a b@example.org", ""}, {ftmEmail, "a@b@example.org", ""},
		{ftmCountry, "PK", "pk"}, {ftmCountry, "", ""}, {ftmCountry, "P1", ""},
		{ftmGender, "Female", "female"}, {ftmGender, "m", "male"}, {ftmGender, "unknown", ""},
		{ftmIdentifier, strings.Repeat("1", 65), ""}, {ftmString, strings.Repeat("é", 1030), strings.Repeat("é", 1024)},
		{ftmName, strings.Repeat("ب", 400), strings.Repeat("ب", 384)}, {ftmAddress, strings.Repeat("a", 300), strings.Repeat("a", 250)},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("%q: got %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	for s, want := range map[string]bool{
		"PK36SCBL0000001123456702": true, "GB82 WEST 1234 5698 7654 32": true, "GB82WEST12345698765433": false,
		"PK36SCBL000000112345670": false, "0300-1234567": false, "": false,
	} {
		if got := validIBAN(s); got != want {
			t.Errorf("validIBAN(%q) = %v", s, got)
		}
	}
}

// TestAppendJSONString: the encoder writes what encoding/json writes (without HTML
// escaping), for any string.
func TestAppendJSONString(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom(nil, unicode.Cc, unicode.P, unicode.Zl, unicode.Zp)),
			rapid.Custom(func(t *rapid.T) string { return string(rapid.SliceOf(rapid.Byte()).Draw(t, "bytes")) })).Draw(t, "s")
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := string(appendJSONString(nil, s)) + "\n"; got != want.String() {
			t.Fatalf("appendJSONString(%q) = %s; want %s", s, got, want.String())
		}
	})
}

func TestFtMIsDeterministic(t *testing.T) {
	a, _ := exportFtM(t, fixture())
	b, _ := exportFtM(t, fixture())
	if !bytes.Equal(a, b) {
		t.Error("two exports of the same case differ")
	}
	lines := parseFtM(t, a)
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.ID
	}
	if slices.Index(ids, "cr-doc_c1") != 0 {
		t.Errorf("documents come first; got %v", ids)
	}
}

// TestWithinAnUnexportedLocation: a location inside one the Source does not give has
// no containment link, in FtM or the graph, and is counted.
func TestWithinAnUnexportedLocation(t *testing.T) {
	src := fixture()
	src.locations[1].Within = "loc_elsewhere"
	out, counts := exportFtM(t, src)
	if bytes.Contains(out, []byte("loc_elsewhere")) || counts.Skipped["within: the containing location is not exported"] != 1 {
		t.Errorf("FtM: skipped %v; output names loc_elsewhere: %v", counts.Skipped, bytes.Contains(out, []byte("loc_elsewhere")))
	}
	for _, p := range ftmProblems(parseFtM(t, out)) {
		t.Error(p)
	}
	gout, gcounts := exportGraphML(t, src)
	if bytes.Contains(gout, []byte("loc_elsewhere")) || gcounts.Skipped["within: the containing location is not exported"] != 1 {
		t.Errorf("GraphML: skipped %v", gcounts.Skipped)
	}
}
