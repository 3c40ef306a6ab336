package export

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"caseroom"
	"caseroom/internal/jsonstr"
)

// FtMCommit is the commit of github.com/alephdata/followthemoney whose schemata
// (followthemoney/schema/*.yaml) the FtM export follows.
const FtMCommit = "c70a89ffa59ea785956f6095643310da3735b7fb"

// FtM writes the case as FollowTheMoney entities for Aleph, one JSON object a line:
// {"id":"cr-...","schema":"Person","properties":{"name":["..."]}}, every value an array
// of strings, property names sorted, values in the order the record gives them, each
// once. Entity ids are "cr-" and the record's id; an entity derived from a record is
// named by that record ("cr-" and the link's id for a Family). docs/export.md gives
// the mapping record by record; FtMCommit the schemata followed.
//
// It reads the Source in this order: Documents, Organisations, Locations, Persons,
// Payments (only the endpoints that are parties), Endpoints, Links, Payments again,
// Communications. While it runs it keeps the documents' references, the locations'
// ids, the persons' handle and bank-account identifiers, the endpoints that are
// payment parties and the answers of up to 4,096 phone-number checks; never persons,
// links, payments or communications.
//
// Records FtM has no place for are left out and counted in Counts.Skipped: messages,
// SMS and contacts (FtM's Message needs a body text, which Caseroom does not hold),
// links ending at an identifier that is written as a property of its holder, values a
// property's type refuses (a phone number that is not a valid E.164 number).
func FtM(w io.Writer, c *caseroom.Case, src Source) (Counts, error) {
	fw := &ftmWriter{
		bw:        bufio.NewWriterSize(w, 64<<10),
		c:         c,
		counts:    newCounts(),
		docRefs:   map[string]string{},
		docIDs:    map[string]bool{},
		accounts:  map[string]string{},
		idfs:      map[string]bool{},
		parties:   map[string]*ftmParty{},
		locations: map[string]bool{},
		amounts:   amounts{},
		phones:    map[string]string{},
	}
	steps := []struct {
		what string
		run  func() error
	}{
		{"documents", func() error { return src.Documents(fw.document) }},
		{"organisations", func() error { return src.Organisations(fw.organisation) }},
		{"locations", func() error { return src.Locations(fw.location) }},
		{"locations", fw.writeWithin},
		{"persons", func() error { return src.Persons(fw.person) }},
		{"payment parties", func() error { return src.Payments(fw.paymentParties) }},
		{"endpoints", func() error { return src.Endpoints(fw.endpoint) }},
		{"links", func() error { return src.Links(fw.link) }},
		{"payments", func() error { return src.Payments(fw.payment) }},
		{"communications", func() error { return src.Communications(fw.communication) }},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return fw.counts, fmt.Errorf("export FtM: %s: %w", s.what, err)
		}
	}
	if err := fw.bw.Flush(); err != nil {
		return fw.counts, fmt.Errorf("export FtM: %w", err)
	}
	return fw.counts, nil
}

// ftmWriter is one FtM export under way.
type ftmWriter struct {
	bw       *bufio.Writer
	c        *caseroom.Case
	counts   Counts
	ent, sub ftmEntity
	line     []byte
	// docRefs maps a document's reference (S-12) to its entity id, for the proof of
	// records that cite documents by reference; docIDs holds the documents written.
	docRefs map[string]string
	docIDs  map[string]bool
	// accounts maps a person's handle or bank-account identifier (accountKey, NUL,
	// person id) to the entity written for it, so that an endpoint of the same value
	// held by that person alone is that entity, not a second one. idfs holds the
	// identifiers written as entities, which links may end at.
	accounts map[string]string
	idfs     map[string]bool
	// parties holds the endpoints that are payers or payees, nil until the endpoint
	// pass has resolved them.
	parties map[string]*ftmParty
	// locations holds the locations written; within the pairs of a location and the
	// one containing it, until every location is written.
	locations map[string]bool
	within    [][2]string
	amounts   amounts
	phones    map[string]string
}

// ftmParty is an endpoint as a payment party: the legal entity that pays or is paid
// (the endpoint's one holder, or an entity standing for its unknown holder) and, for a
// bank account, the BankAccount.
type ftmParty struct{ legal, account string }

// ftmID is the entity id of a record.
func ftmID(id string) string { return "cr-" + id }

func (fw *ftmWriter) write(e *ftmEntity) error {
	fw.line = e.appendJSON(fw.line[:0])
	if _, err := fw.bw.Write(fw.line); err != nil {
		return err
	}
	fw.counts.wrote(e.schema)
	return nil
}

// proof returns the entity id of the document with the reference, if it was written.
func (fw *ftmWriter) proof(ref string) string { return fw.docRefs[ref] }

// document writes a Document (an Article for a press report): the reference as the
// file name, since Document requires one and Caseroom documents are registered texts
// without a file; the title and dates; never the text.
func (fw *ftmWriter) document(d *caseroom.Document) error {
	if err := checkCase(fw.c, "document", d.ID, d.CaseID); err != nil {
		return err
	}
	e := &fw.ent
	schema := "Document"
	if d.Kind == caseroom.DocPress {
		schema = "Article"
	}
	e.reset(schema, ftmID(d.ID))
	e.add("fileName", ftmString(d.Ref))
	e.add("title", ftmString(d.Title))
	e.add("date", ftmTime(d.RegisteredAt))
	e.add("keywords", ftmString(string(d.Kind)))
	if s := d.Statement; s != nil {
		e.add("authoredAt", ftmTime(s.RecordedAt))
		e.add("author", ftmString(s.GiverLabel))
	}
	var notes []string
	if d.ExternalRef != "" {
		notes = append(notes, "external reference "+d.ExternalRef)
	}
	if d.Corrects != "" {
		notes = append(notes, "corrects "+d.Corrects)
	}
	if len(d.CorrectedBy) > 0 {
		notes = append(notes, "corrected by "+strings.Join(d.CorrectedBy, ", "))
	}
	if d.Retraction != nil && d.Retraction.Retracts != "" {
		notes = append(notes, "withdraws "+d.Retraction.Retracts)
	}
	if len(d.RetractedBy) > 0 {
		notes = append(notes, "withdrawn by "+strings.Join(d.RetractedBy, ", "))
	}
	e.add("notes", ftmText(strings.Join(notes, "; ")))
	if err := fw.write(e); err != nil {
		return err
	}
	if d.Ref != "" {
		fw.docRefs[d.Ref] = e.id
	}
	fw.docIDs[d.ID] = true
	return nil
}

// organisation writes an Organization.
func (fw *ftmWriter) organisation(o *caseroom.Organisation) error {
	if err := checkCase(fw.c, "organisation", o.ID, o.CaseID); err != nil {
		return err
	}
	e := &fw.ent
	e.reset("Organization", ftmID(o.ID))
	e.add("name", ftmName(o.Name))
	e.add("classification", ftmString(o.Kind))
	e.add("notes", ftmText(o.Note))
	e.add("proof", fw.proof(o.Source))
	return fw.write(e)
}

// location writes an Address; the UnknownLink to the location containing it follows
// the locations (see writeWithin).
func (fw *ftmWriter) location(l *caseroom.Location) error {
	if err := checkCase(fw.c, "location", l.ID, l.CaseID); err != nil {
		return err
	}
	e := &fw.ent
	e.reset("Address", ftmID(l.ID))
	e.add("name", ftmName(l.Name))
	full := l.Address
	if full == "" {
		full = l.Name
	}
	e.add("full", ftmAddress(full))
	if l.Kind == "village" {
		e.add("city", ftmString(l.Name))
	}
	if l.Lat != nil && l.Lon != nil {
		e.add("latitude", decimal(*l.Lat))
		e.add("longitude", decimal(*l.Lon))
	}
	e.add("keywords", ftmString(l.Kind))
	e.add("proof", fw.proof(l.Source))
	fw.locations[l.ID] = true
	if l.Within != "" {
		fw.within = append(fw.within, [2]string{l.ID, l.Within})
	}
	return fw.write(e)
}

// writeWithin writes, once every location is written, an UnknownLink (role "within")
// from each location to the one containing it, if that was written.
func (fw *ftmWriter) writeWithin() error {
	for _, w := range fw.within {
		if !fw.locations[w[1]] {
			fw.counts.skip("within: the containing location is not exported")
			continue
		}
		s := &fw.sub
		s.reset("UnknownLink", ftmID(w[0])+"-within")
		s.add("subject", ftmID(w[0]))
		s.add("object", ftmID(w[1]))
		s.add("role", "within")
		if err := fw.write(s); err != nil {
			return err
		}
	}
	fw.within = nil
	return nil
}

// person writes a Person, with a UserAccount for each handle and a BankAccount (and
// its Ownership) for each bank account the person holds.
func (fw *ftmWriter) person(p *caseroom.Person) error {
	if err := checkCase(fw.c, "person", p.ID, p.CaseID); err != nil {
		return err
	}
	p = visiblePerson(p)
	e := &fw.ent
	fw.personEntity(e, p)
	if err := fw.write(e); err != nil {
		return err
	}
	for i := range p.Identifiers {
		idf := &p.Identifiers[i]
		s := &fw.sub
		switch idf.Kind {
		case caseroom.IdentifierHandle:
			s.reset("UserAccount", ftmID(idf.ID))
			s.add("username", ftmString(idf.Value))
			s.add("service", ftmString(idf.Service))
			s.add("owner", e.id)
			s.add("proof", fw.proof(idf.Source))
		case caseroom.IdentifierBankAccount:
			ftmBankAccount(s, ftmID(idf.ID), idf.Value, idf.Service, "")
			s.add("proof", fw.proof(idf.Source))
		default:
			continue // a property of the person, see personEntity
		}
		if len(s.get(s.mainProperty())) == 0 {
			fw.counts.skip("identifier: " + string(idf.Kind) + " too long for its FtM property")
			continue
		}
		if err := fw.write(s); err != nil {
			return err
		}
		fw.idfs[idf.ID] = true
		fw.accounts[accountKey(idf.Kind, idf.Value)+"\x00"+p.ID] = s.id
		if idf.Kind == caseroom.IdentifierBankAccount {
			if err := fw.ownership(s.id, e.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// personEntity fills e with the Person entity of p (as visiblePerson leaves it): the
// pseudonym first and then the names as name; aliases as alias; the first parent as
// fatherName; phone numbers (valid E.164 only), e-mail addresses and national IDs as
// phone, email and idNumber; roles as keywords; the documents names and identifiers
// were taken from as proof. What does not fit is counted.
func (fw *ftmWriter) personEntity(e *ftmEntity, p *caseroom.Person) {
	docRefs, counts := fw.docRefs, &fw.counts
	e.reset("Person", ftmID(p.ID))
	e.add("name", ftmName(p.Pseudonym))
	for _, n := range p.Names {
		e.add("name", ftmName(n.Name))
		e.add("proof", docRefs[n.Source])
	}
	if len(e.get("name")) == 0 {
		e.add("name", ftmName(p.Label()))
	}
	for _, a := range p.Aliases {
		e.add("alias", ftmName(a.Alias))
		e.add("proof", docRefs[a.Source])
	}
	if len(p.Parents) > 0 {
		e.add("fatherName", ftmString(p.Parents[0]))
	}
	e.add("birthDate", ftmDate(p.DateOfBirth))
	e.add("gender", ftmGender(p.Sex))
	e.add("address", ftmAddress(p.Address))
	for _, r := range p.Roles {
		e.add("keywords", string(r))
	}
	for _, idf := range p.Identifiers {
		var prop, v string
		switch idf.Kind {
		case caseroom.IdentifierPhone:
			prop, v = "phone", fw.phone(idf.Value)
		case caseroom.IdentifierEmail:
			prop, v = "email", ftmEmail(idf.Value)
		case caseroom.IdentifierNationalID:
			prop, v = "idNumber", ftmIdentifier(idf.Value)
		case caseroom.IdentifierDeviceSerial:
			counts.skip("identifier: device_serial (FtM has no schema for a device)")
			continue
		default:
			continue // an entity of its own, see ftmWriter.person
		}
		if v == "" {
			counts.skip("identifier: " + string(idf.Kind) + " not valid for FtM's " + prop)
			continue
		}
		e.add(prop, v)
		e.add("proof", docRefs[idf.Source])
	}
}

// ftmBankAccount fills e with a BankAccount: the number as accountNumber, and as iban
// too when it is a valid IBAN; the bank as bankName.
func ftmBankAccount(e *ftmEntity, id, number, bank, country string) {
	e.reset("BankAccount", id)
	e.add("accountNumber", ftmIdentifier(number))
	if validIBAN(number) {
		e.add("iban", ftmIdentifier(strings.ToUpper(strings.ReplaceAll(number, " ", ""))))
	}
	e.add("bankName", ftmString(bank))
	e.add("country", country)
}

// ownership writes the Ownership of a bank account by its holder.
func (fw *ftmWriter) ownership(account, owner string) error {
	s := &fw.sub
	s.reset("Ownership", account+"-owner")
	s.add("owner", owner)
	s.add("asset", account)
	s.add("role", "holder")
	return fw.write(s)
}

// accountKey is a handle, e-mail address or bank account written the one way that
// an identifier and an endpoint of the same account share: lower-cased, a handle
// without a leading @, a bank account without spaces.
func accountKey(kind caseroom.IdentifierKind, value string) string {
	v := strings.ToLower(strings.TrimSpace(value))
	switch kind {
	case caseroom.IdentifierHandle:
		v = strings.TrimPrefix(v, "@")
	case caseroom.IdentifierBankAccount:
		v = strings.ReplaceAll(v, " ", "")
	}
	return string(kind) + ":" + v
}

// paymentParties notes the endpoints that pay or are paid, for the endpoint pass.
func (fw *ftmWriter) paymentParties(p *caseroom.Payment) error {
	for _, party := range []caseroom.Party{p.Payer, p.Payee} {
		if party.Kind == caseroom.EntityEndpoint {
			fw.parties[party.ID] = nil
		}
	}
	return nil
}

// endpoint writes a UserAccount for a handle or e-mail address and a BankAccount (and
// its Ownership by a single holder) for a bank account; a phone number is no entity
// of its own but its holders' phone and calls' numbers. An endpoint whose value is
// withheld (a victim's) is no entity either. An endpoint that pays or is paid gets,
// when it has no single holder, a LegalEntity standing for its unknown holder
// ("cr-" and the endpoint's id, "-holder"), since a Payment needs a payer and a
// beneficiary.
func (fw *ftmWriter) endpoint(ep *caseroom.Endpoint) error {
	if err := checkCase(fw.c, "endpoint", ep.ID, ep.CaseID); err != nil {
		return err
	}
	holder := ""
	if len(ep.Holders) == 1 {
		holder = ftmID(ep.Holders[0].ID)
	}
	account := ""
	switch {
	case ep.Kind == caseroom.IdentifierPhone:
	case ep.ValueWithheld || ep.Value == "":
		fw.counts.skip("endpoint: value withheld")
	case len(ep.Holders) == 1 && fw.accounts[accountKey(ep.Kind, ep.Value)+"\x00"+ep.Holders[0].ID] != "":
		account = fw.accounts[accountKey(ep.Kind, ep.Value)+"\x00"+ep.Holders[0].ID]
		fw.counts.skip("endpoint: the account its holder's identifier is written as")
	default:
		e := &fw.ent
		if ep.Kind == caseroom.IdentifierBankAccount {
			ftmBankAccount(e, ftmID(ep.ID), ep.Value, ep.Service, ftmCountry(ep.Country))
		} else {
			e.reset("UserAccount", ftmID(ep.ID))
			e.add("username", ftmString(ep.Value))
			e.add("service", ftmString(ep.Service))
			if ep.Kind == caseroom.IdentifierEmail {
				e.add("email", ftmEmail(ep.Value))
			}
			e.add("country", ftmCountry(ep.Country))
			e.add("owner", holder)
		}
		if len(e.get(e.mainProperty())) == 0 {
			fw.counts.skip("endpoint: value too long for its FtM property")
			break
		}
		if err := fw.write(e); err != nil {
			return err
		}
		account = e.id
		if ep.Kind == caseroom.IdentifierBankAccount && holder != "" {
			if err := fw.ownership(e.id, holder); err != nil {
				return err
			}
		}
	}
	if _, party := fw.parties[ep.ID]; !party {
		return nil
	}
	p := &ftmParty{legal: holder}
	if ep.Kind == caseroom.IdentifierBankAccount {
		p.account = account
	}
	if holder == "" {
		e := &fw.ent
		e.reset("LegalEntity", ftmID(ep.ID)+"-holder")
		e.add("name", ftmName("holder of "+ep.Label()))
		if !ep.ValueWithheld {
			switch ep.Kind {
			case caseroom.IdentifierPhone:
				e.add("phone", fw.phone(ep.Value))
			case caseroom.IdentifierEmail:
				e.add("email", ftmEmail(ep.Value))
			}
		}
		e.add("country", ftmCountry(ep.Country))
		if err := fw.write(e); err != nil {
			return err
		}
		p.legal = e.id
	}
	fw.parties[ep.ID] = p
	return nil
}

// ftmEnd is one end of a link as FtM sees it.
type ftmEnd struct {
	id     string
	person bool // a Person
	org    bool // an Organization
}

func (e ftmEnd) legal() bool { return e.person || e.org }

// end resolves the end of a link to an entity written, or says why there is none.
func (fw *ftmWriter) end(id string, kind caseroom.EntityKind) (ftmEnd, string) {
	switch kind {
	case caseroom.EntityPerson:
		return ftmEnd{id: ftmID(id), person: true}, ""
	case caseroom.EntityOrganisation:
		return ftmEnd{id: ftmID(id), org: true}, ""
	case caseroom.EntityLocation:
		return ftmEnd{id: ftmID(id)}, ""
	case caseroom.EntityDocument:
		if fw.docIDs[id] {
			return ftmEnd{id: ftmID(id)}, ""
		}
		return ftmEnd{}, "a document not exported"
	case caseroom.EntityIdentifier:
		if fw.idfs[id] {
			return ftmEnd{id: ftmID(id)}, ""
		}
		return ftmEnd{}, "an identifier written as a property of its holder, or withheld"
	}
	return ftmEnd{}, "a record of kind " + string(kind) + ", which FtM has no entity for"
}

// link writes a link as the FtM schema its type and ends fit (see docs/export.md):
// Family, Associate, Employment, Membership, Representation, else UnknownLink, with
// its dates, its id as recordId, its source and confidence as summary and its note as
// description.
func (fw *ftmWriter) link(l *caseroom.Link) error {
	if err := checkCase(fw.c, "link", l.ID, l.CaseID); err != nil {
		return err
	}
	from, why := fw.end(l.From, l.FromKind)
	if why == "" {
		var to ftmEnd
		to, why = fw.end(l.To, l.ToKind)
		if why == "" {
			ftmLink(&fw.ent, l, from, to)
			return fw.write(&fw.ent)
		}
	}
	fw.counts.skip("link: ends at " + why)
	return nil
}

// ftmLink fills e with the entity of link l between from and to.
func ftmLink(e *ftmEntity, l *caseroom.Link, from, to ftmEnd) {
	id := ftmID(l.ID)
	switch {
	case (l.Type == "parent_of" || l.Type == "guardian_of") && from.person && to.person:
		// FtM's relationship is "from the person's perspective": the relative is
		// the parent (guardian) of the person.
		e.reset("Family", id)
		e.add("person", to.id)
		e.add("relative", from.id)
		e.add("relationship", strings.TrimSuffix(string(l.Type), "_of"))
	case l.Type == "related_to" && from.person && to.person:
		e.reset("Family", id)
		e.add("person", from.id)
		e.add("relative", to.id)
		e.add("relationship", "relative")
	case (l.Type == "knows" || l.Type == "met" || l.Type == "employed_by" || l.Type == "member_of") && from.person && to.person:
		e.reset("Associate", id)
		e.add("person", from.id)
		e.add("associate", to.id)
		e.add("relationship", words(l.Type))
	case l.Type == "employed_by" && from.person && to.org:
		e.reset("Employment", id)
		e.add("employee", from.id)
		e.add("employer", to.id)
		e.add("role", words(l.Type))
	case l.Type == "member_of" && from.legal() && to.org:
		e.reset("Membership", id)
		e.add("member", from.id)
		e.add("organization", to.id)
		e.add("role", words(l.Type))
	case l.Type == "represents" && from.legal() && to.legal():
		e.reset("Representation", id)
		e.add("agent", from.id)
		e.add("client", to.id)
		e.add("role", words(l.Type))
	default:
		e.reset("UnknownLink", id)
		e.add("subject", from.id)
		e.add("object", to.id)
		e.add("role", words(l.Type))
	}
	e.add("startDate", ftmDate(l.Since))
	e.add("endDate", ftmDate(l.Until))
	e.add("recordId", l.ID)
	var sum []string
	if l.SourceRef != "" {
		sum = append(sum, "source "+l.SourceRef)
	}
	sum = append(sum, "confidence "+decimal(l.Confidence))
	e.add("summary", ftmText(strings.Join(sum, "; ")))
	e.add("description", ftmText(l.Note))
}

// party resolves a payer or payee to its legal entity and bank account.
func (fw *ftmWriter) party(p caseroom.Party) (*ftmParty, bool) {
	switch p.Kind {
	case caseroom.EntityPerson, caseroom.EntityOrganisation:
		return &ftmParty{legal: ftmID(p.ID)}, true
	case caseroom.EntityEndpoint:
		r := fw.parties[p.ID]
		return r, r != nil
	}
	return nil, false
}

// payment writes a Payment: amount in major units, currency, date, purpose, the
// reference as transactionNumber, the id as recordId, method and source as summary.
func (fw *ftmWriter) payment(p *caseroom.Payment) error {
	if err := checkCase(fw.c, "payment", p.ID, p.CaseID); err != nil {
		return err
	}
	payer, ok1 := fw.party(p.Payer)
	payee, ok2 := fw.party(p.Payee)
	if !ok1 || !ok2 {
		fw.counts.skip("payment: a party not exported")
		return nil
	}
	amount, err := fw.amounts.major(p.Amount, p.Currency)
	if err != nil {
		return fmt.Errorf("payment %s: %w", p.Ref, err)
	}
	e := &fw.ent
	e.reset("Payment", ftmID(p.ID))
	e.add("payer", payer.legal)
	e.add("payerAccount", payer.account)
	e.add("beneficiary", payee.legal)
	e.add("beneficiaryAccount", payee.account)
	e.add("amount", amount)
	e.add("currency", p.Currency)
	e.add("date", ftmDate(p.At))
	e.add("purpose", ftmText(string(p.Purpose)))
	e.add("transactionNumber", ftmString(p.Ref))
	e.add("recordId", p.ID)
	var sum []string
	if p.Method != "" {
		sum = append(sum, string(p.Method))
	}
	if p.SourceRef != "" {
		sum = append(sum, "source "+p.SourceRef)
	}
	e.add("summary", ftmText(strings.Join(sum, "; ")))
	e.add("description", ftmText(p.Note))
	return fw.write(e)
}

// communication writes a call as a Call: caller and receiver the endpoints' single
// holders, their numbers in E.164, date, duration in seconds. Other kinds are counted
// and left out: FtM's Message requires a bodyText, and Caseroom keeps no message
// bodies.
func (fw *ftmWriter) communication(m *caseroom.Communication) error {
	if err := checkCase(fw.c, "communication", m.ID, m.CaseID); err != nil {
		return err
	}
	if m.Kind != caseroom.CommCall {
		fw.counts.skip("communication: " + string(m.Kind) + " (FtM's Message needs bodyText, which Caseroom does not hold)")
		return nil
	}
	e := &fw.ent
	e.reset("Call", ftmID(m.ID))
	e.add("caller", singleHolder(&m.From))
	e.add("callerNumber", fw.endpointPhone(&m.From))
	e.add("receiver", singleHolder(&m.To))
	e.add("receiverNumber", fw.endpointPhone(&m.To))
	e.add("date", ftmTime(m.At))
	e.add("duration", strconv.FormatInt(m.Duration, 10))
	e.add("recordId", m.ID)
	sum := []string{}
	if s := commSource(m); s != "" {
		sum = append(sum, "source "+s)
	}
	if !m.Directed {
		sum = append(sum, "direction not recorded: caller and receiver as the file lists them")
	}
	e.add("summary", ftmText(strings.Join(sum, "; ")))
	return fw.write(e)
}

// singleHolder is the entity id of an endpoint's holder when it has exactly one.
func singleHolder(ep *caseroom.Endpoint) string {
	if len(ep.Holders) == 1 {
		return ftmID(ep.Holders[0].ID)
	}
	return ""
}

// endpointPhone is an endpoint's number when it is a phone whose value is shown.
func (fw *ftmWriter) endpointPhone(ep *caseroom.Endpoint) string {
	if ep.Kind != caseroom.IdentifierPhone || ep.ValueWithheld {
		return ""
	}
	return fw.phone(ep.Value)
}

// phoneCacheSize bounds the numbers whose checks are remembered: call records name a
// few numbers many times, and libphonenumber's check is the export's dearest step.
const phoneCacheSize = 4096

// phone is ftmPhone, remembering the answers for up to phoneCacheSize numbers (all
// forgotten when full, so that memory stays bounded).
func (fw *ftmWriter) phone(s string) string {
	if v, ok := fw.phones[s]; ok {
		return v
	}
	if len(fw.phones) >= phoneCacheSize {
		clear(fw.phones)
	}
	v := ftmPhone(s)
	fw.phones[s] = v
	return v
}

// ftmEntity is one entity being written. It is reused from record to record, so
// writing takes no allocation per entity once its slices have grown.
type ftmEntity struct {
	id, schema string
	props      []ftmProperty
	n          int // the properties in use
}

type ftmProperty struct {
	name   string
	values []string
}

func (e *ftmEntity) reset(schema, id string) { e.schema, e.id, e.n = schema, id, 0 }

// add appends values to a property, leaving out empty ones and those it has.
func (e *ftmEntity) add(name string, values ...string) {
	var p *ftmProperty
	for i := 0; i < e.n; i++ {
		if e.props[i].name == name {
			p = &e.props[i]
			break
		}
	}
	for _, v := range values {
		if v == "" {
			continue
		}
		if p == nil {
			if e.n == len(e.props) {
				e.props = append(e.props, ftmProperty{})
			}
			p = &e.props[e.n]
			e.n++
			p.name, p.values = name, p.values[:0]
		}
		if !slices.Contains(p.values, v) {
			p.values = append(p.values, v)
		}
	}
}

// get returns a property's values.
func (e *ftmEntity) get(name string) []string {
	for i := 0; i < e.n; i++ {
		if e.props[i].name == name {
			return e.props[i].values
		}
	}
	return nil
}

// mainProperty is the property without which an account entity means nothing.
func (e *ftmEntity) mainProperty() string {
	if e.schema == "BankAccount" {
		return "accountNumber"
	}
	return "username"
}

// appendJSON appends the entity as one line of JSON, properties sorted by name.
func (e *ftmEntity) appendJSON(b []byte) []byte {
	props := e.props[:e.n]
	slices.SortFunc(props, func(x, y ftmProperty) int { return strings.Compare(x.name, y.name) })
	b = append(b, `{"id":`...)
	b = appendJSONString(b, e.id)
	b = append(b, `,"schema":`...)
	b = appendJSONString(b, e.schema)
	b = append(b, `,"properties":{`...)
	for i, p := range props {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p.name)
		b = append(b, `:[`...)
		for j, v := range p.values {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v)
		}
		b = append(b, ']')
	}
	return append(b, "}}\n"...)
}

// appendJSONString appends s as a JSON string, as encoding/json writes it without
// HTML escaping (see jsonstr.Append).
func appendJSONString(b []byte, s string) []byte { return jsonstr.Append(b, s, false) }

// The value cleaners below return a value in the form its FtM property type takes, or
// "" (left out) for one the type would refuse. Lengths are the types' max_length at
// FtMCommit.

// ftmString is a value of type string (at most 1024 characters; longer is cut).
func ftmString(s string) string { return cut(strings.TrimSpace(s), 1024) }

// ftmText is a value of type text (at most 65000 characters).
func ftmText(s string) string { return cut(strings.TrimSpace(s), 65000) }

// ftmName is a value of type name (at most 384 characters, rigour's MAX_NAME_LENGTH,
// past which FtM's name matching cuts a name; Caseroom keeps names to 300 bytes).
func ftmName(s string) string { return cut(strings.TrimSpace(s), 384) }

// ftmAddress is a value of type address (at most 250 characters).
func ftmAddress(s string) string { return cut(strings.TrimSpace(s), 250) }

// ftmIdentifier is a value of type identifier: at most 64 characters, else left out
// (a cut identifier would be another).
func ftmIdentifier(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 64 {
		return ""
	}
	return s
}

// cut shortens s to at most n characters.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// ftmDate writes a partial date (YYYY, YYYY-MM, YYYY-MM-DD) as given and an RFC 3339
// time in UTC without its zone (2024-03-04T18:00:00), as FtM's date type takes them;
// anything else is "".
func ftmDate(s string) string {
	if s == "" {
		return ""
	}
	for _, layout := range []string{"2006", "2006-01", "2006-01-02"} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return s
			}
			return ""
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return ftmTime(t)
	}
	return ""
}

// ftmTime writes a time in UTC as FtM's date type takes it: 2024-03-04T18:00:00.
func ftmTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

// ftmPhone is a phone number in E.164 that libphonenumber finds valid, as FtM's phone
// type requires; "" for anything else (a short code, a number in a range kept for
// drama).
func ftmPhone(s string) string {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return ""
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return ""
		}
	}
	n, err := phonenumbers.Parse(s, "")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return ""
	}
	return s
}

// ftmEmail is an e-mail address FtM's email type accepts: something@domain.tld with
// no spaces, the domain at least four characters with a dot.
func ftmEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 1 || strings.ContainsAny(s, " \t\r\n") || strings.Count(s, "@") != 1 {
		return ""
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	if len(domain) < 4 || dot < 1 || dot == len(domain)-1 {
		return ""
	}
	return s
}

// ftmCountry is an ISO 3166-1 alpha-2 code in lower case, as FtM's country type
// writes it (PK is "pk").
func ftmCountry(s string) string {
	if len(s) != 2 {
		return ""
	}
	s = strings.ToLower(s)
	if s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z' {
		return ""
	}
	return s
}

// ftmGender is a sex as FtM's gender type writes it: male, female or other.
func ftmGender(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "male", "m", "man":
		return "male"
	case "female", "f", "woman":
		return "female"
	case "other", "o":
		return "other"
	}
	return ""
}

// validIBAN reports whether s is an IBAN whose check digits are right (ISO 13616:
// the number, its first four characters moved to the end and letters written as
// 10..35, is 1 modulo 97). Spaces are ignored.
func validIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9' {
		return false
	}
	r := 0
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return r == 1
}
