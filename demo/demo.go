// Package demo seeds a fictional case, "Operation Quiet Lantern", for trying Caseroom
// out: a team of users, one per role, and a case at the scale of the one Caseroom is
// built for — 18 complaints, 15 suspects (some known only by an alias), 24 victims each
// heard in a guardian's presence (a parent, linked to them), 6 police officers, two
// victims' representatives, the suspects' phones, handles and bank accounts, and about
// 140 sourced links; the payments the families made under threat and the suspects'
// sales (money.go); the call records of one suspect's phone and the Skype contact list
// of another's account (comms.go) — and the state of the case on the morning the demo
// starts: the lead's decisions, actions in every state, medical examinations with their
// consents, three arrests with their grounds and production clocks, and the
// victim-contact ledger (morning.go).
//
// Every person, place, organisation, number and account in it is invented. Statement
// texts are procedural and bland: who was seen where, who asked whom for money. The
// package uses only the root package's service interfaces, so it seeds any store.
//
// The content is deterministic (names are combined with a fixed-seed generator); only
// the passwords, tokens and record ids differ between runs.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	mathrand "math/rand/v2"
	"strings"
	"time"

	"caseroom"
)

// Services is what Seed needs; *sqlstore.DB satisfies it.
type Services interface {
	caseroom.UserService
	caseroom.CaseService
	caseroom.PersonService
	caseroom.DocumentService
	caseroom.LinkService
	caseroom.PlaceService
	caseroom.AccountService
	caseroom.ExhibitService
	caseroom.ActionService
	caseroom.DecisionService
	caseroom.ConsentService
	caseroom.ArrestService
	caseroom.ContactService
	caseroom.PaymentService
	caseroom.CommService
}

// Login is a demo user with their password, their role in the demo case and an API
// token. Role is empty for the administrator, who is not a member of the case.
type Login struct {
	User     string
	Password string
	Role     caseroom.Role
	Token    string
	// TOTP is the base32 second-factor secret of users whose role can reveal
	// identities (they cannot sign in on the web without it), or "".
	TOTP string
}

// Result is what Seed made: the demo case's id and the logins, the lead first and
// the administrator last.
type Result struct {
	CaseID string
	Logins []Login
}

// CaseTitle is the title of the demo case.
const CaseTitle = "Operation Quiet Lantern (fictional demo)"

// CaseTimeZone is the time zone the demo case's times are shown in.
const CaseTimeZone = "Asia/Karachi"

// AdminUser is the name of the demo administrator, who is not a member of the case.
const AdminUser = "admin"

// demoUsers names the demo user who holds each case role.
var demoUsers = map[caseroom.Role]string{
	caseroom.RoleLead:         "lead.rana",
	caseroom.RoleInvestigator: "inv.shah",
	caseroom.RoleIndexer:      "idx.butt",
	caseroom.RoleExaminer:     "exam.malik",
	caseroom.RoleMedical:      "med.qureshi",
	caseroom.RoleProtection:   "prot.kazmi",
	caseroom.RoleProsecutor:   "pros.javed",
	caseroom.RoleOversight:    "oversight.rizvi",
	caseroom.RoleAdvocate:     "adv.farooq",
}

// Seed creates the demo users and the demo case in s and returns their logins. It
// creates users and tokens as caseroom.Console and does the case work as the lead;
// any user ctx carries is ignored. Seed fails with ECONFLICT if the demo users exist
// already: it is meant for a fresh store. It prints nothing.
func Seed(ctx context.Context, s Services) (*Result, error) {
	console := caseroom.NewContextWithUser(ctx, caseroom.Console)
	res := &Result{}
	var lead *caseroom.User
	users := map[caseroom.Role]*caseroom.User{}
	for _, role := range append(append([]caseroom.Role{}, caseroom.Roles...), "") {
		name, admin := demoUsers[role], false
		if role == "" {
			name, admin = AdminUser, true
		}
		password, err := newPassword()
		if err != nil {
			return nil, fmt.Errorf("demo: password for %s: %w", name, err)
		}
		u, err := s.CreateUser(console, caseroom.NewUser{Name: name, Password: password, Admin: admin})
		if err != nil {
			return nil, fmt.Errorf("demo: create user %s: %w", name, err)
		}
		tok, err := s.CreateToken(console, name)
		if err != nil {
			return nil, fmt.Errorf("demo: token for %s: %w", name, err)
		}
		if role == caseroom.RoleLead {
			lead = u
		}
		users[role] = u
		login := Login{User: name, Password: password, Role: role, Token: tok.Secret}
		if role.CanSeeIdentities() {
			enrolment, err := s.EnrolTOTP(console, name)
			if err != nil {
				return nil, fmt.Errorf("demo: second factor for %s: %w", name, err)
			}
			login.TOTP = enrolment.Secret
		}
		res.Logins = append(res.Logins, login)
	}

	leadCtx := caseroom.NewContextWithUser(ctx, lead)
	c, err := s.CreateCase(leadCtx, caseroom.NewCase{Title: CaseTitle, TimeZone: CaseTimeZone})
	if err != nil {
		return nil, fmt.Errorf("demo: create case: %w", err)
	}
	res.CaseID = c.ID
	for _, l := range res.Logins {
		if l.Role == "" || l.Role == caseroom.RoleLead {
			continue
		}
		if _, err := s.AddMember(leadCtx, c.ID, caseroom.NewMembership{User: l.User, Role: l.Role}); err != nil {
			return nil, fmt.Errorf("demo: add member %s: %w", l.User, err)
		}
	}

	sd := &seeder{ctx: leadCtx, s: s, caseID: c.ID, rnd: mathrand.New(mathrand.NewPCG(2026, 1108)), usedNames: map[string]bool{},
		usedNumbers: map[string]bool{}, base: ctx, users: users, now: time.Now().UTC().Truncate(time.Minute)}
	sd.seed()
	if sd.err != nil {
		return nil, fmt.Errorf("demo: %w", sd.err)
	}
	return res, nil
}

// passwordAlphabet has 32 letters and digits that are hard to confuse (no 0/o, 1/l).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// newPassword returns 16 characters from passwordAlphabet drawn with crypto/rand:
// 80 bits, above the store's 12-character minimum.
func newPassword() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = passwordAlphabet[int(b[i])%len(passwordAlphabet)] // 256 is a multiple of 32: no bias
	}
	return string(b), nil
}

// seeder registers the case's content as the lead. It keeps the first error and does
// nothing after it, so that seed reads as the story of the case rather than as error
// checks; err says which step failed.
type seeder struct {
	ctx    context.Context // the lead's
	s      Services
	caseID string
	rnd    *mathrand.Rand
	err    error
	// base is the context Seed was given; users holds the demo user of each role,
	// for the steps other members take (see as).
	base  context.Context
	users map[caseroom.Role]*caseroom.User
	// now is when seeding began: the morning's actions, arrests still awaiting
	// production and contacts are timed from it, so that their clocks run from the
	// moment the demo starts (see morning.go).
	now time.Time

	district, station *caseroom.Location
	villages          []*caseroom.Location
	shop, gang        *caseroom.Organisation
	officers          []officer
	guardians         []*caseroom.Person
	victims           []victim
	suspects          []*caseroom.Person
	complaints        []*caseroom.Document
	statements        []*caseroom.Document         // the victims' statements, by victim index
	examsRequested    *caseroom.Document           // the report requesting medical examinations
	representative    *caseroom.Person             // the representative of the first five victims
	phones            map[int]*caseroom.Identifier // by suspect index
	usedNames         map[string]bool              // generated full names, kept unique
	usedNumbers       map[string]bool              // phone numbers given out (E.164), kept unique
	moneyReport       *caseroom.Document           // the financial enquiry's report
	familyPhones      map[int]*caseroom.Identifier // by guardian index (see familyIdentifiers)
	buyers            []string                     // the local numbers that paid for copies (E.164)
}

type officer struct {
	person *caseroom.Person
	rank   string
	name   string
	female bool
}

type victim struct {
	person   *caseroom.Person
	female   bool
	ageBand  string
	village  int
	guardian int
	// suspects are the indexes of the suspects the victim's complaint and statement name.
	suspects []int
}

func (sd *seeder) fail(format string, args ...any) {
	if sd.err == nil {
		sd.err = fmt.Errorf(format, args...)
	}
}

func conf(c float64) *float64 { return &c }

// day returns a time on the given day of November 2026 (UTC) at a pseudo-random
// working hour; negative or zero days fall in October.
func (sd *seeder) day(d int) time.Time {
	return time.Date(2026, time.November, d, 4+sd.rnd.IntN(9), 5*sd.rnd.IntN(12), 0, 0, time.UTC)
}

func (sd *seeder) register(what string, nd caseroom.NewDocument) *caseroom.Document {
	if sd.err != nil {
		return nil
	}
	d, err := sd.s.RegisterDocument(sd.ctx, sd.caseID, nd)
	if err != nil {
		sd.fail("register %s %q: %w", what, nd.Title, err)
		return nil
	}
	return d
}

func (sd *seeder) person(what string, np caseroom.NewPerson) *caseroom.Person {
	if sd.err != nil {
		return nil
	}
	p, err := sd.s.RegisterPerson(sd.ctx, sd.caseID, np)
	if err != nil {
		sd.fail("register %s: %w", what, err)
		return nil
	}
	return p
}

func (sd *seeder) identifier(p *caseroom.Person, ni caseroom.NewIdentifier) *caseroom.Identifier {
	if sd.err != nil {
		return nil
	}
	idf, err := sd.s.AddIdentifier(sd.ctx, sd.caseID, p.ID, ni)
	if err != nil {
		sd.fail("add %s %s to %s: %w", ni.Kind, ni.Value, p.Label(), err)
		return nil
	}
	return idf
}

// link records a link between two records by id or reference, citing source.
func (sd *seeder) link(from, to string, typ caseroom.LinkType, source string, confidence float64, since, note string) {
	if sd.err != nil {
		return
	}
	_, err := sd.s.RecordLink(sd.ctx, sd.caseID, caseroom.NewLink{
		From: from, To: to, Type: typ, Source: source, Confidence: conf(confidence), Since: since, Note: note,
	})
	if err != nil {
		sd.fail("record %s link %s -> %s: %w", typ, from, to, err)
	}
}

// confidence returns a pseudo-random confidence in [lo, hi], to two places.
func (sd *seeder) confidence(lo, hi float64) float64 {
	return float64(int((lo+sd.rnd.Float64()*(hi-lo))*100+0.5)) / 100
}

// seed runs the steps in order, each building on the records of the ones before, and
// stops at the first error.
func (sd *seeder) seed() {
	steps := []func(){
		sd.places, sd.registerOfficers, sd.registerFamilies, sd.registerComplaints, sd.registerSuspects,
		sd.officerStatements, sd.victimStatements, sd.representatives, sd.reports, sd.identifiers,
		sd.financesAndCalls, sd.correspondence, sd.exhibits,
		// Money and communications (money.go, comms.go).
		sd.familyIdentifiers, sd.payments, sd.callRecords, sd.chatContacts,
		// The state of the case on the morning the demo starts (morning.go).
		sd.decisions, sd.medicalExaminations, sd.actions, sd.arrests, sd.contacts,
	}
	for _, step := range steps {
		if sd.err != nil {
			return
		}
		step()
	}
}

// Invented places: a district, its police station and three villages. The
// coordinates are made up, in central Punjab.
var villageSpecs = []struct {
	name     string
	lat, lon float64
}{
	{"Basti Qandeelpur", 30.912, 73.184},
	{"Dhok Samarwal", 30.947, 73.221},
	{"Chak Anarkot", 30.881, 73.256},
}

const stationName = "Police Station Qandeelabad Saddar"

func (sd *seeder) places() {
	r1 := sd.register("report", caseroom.NewDocument{
		Kind:  caseroom.DocReport,
		Title: "Formation of the joint investigation team",
		Text: "The joint investigation team was formed on 30 October 2026 to enquire into complaints from " +
			"Basti Qandeelpur, Dhok Samarwal and Chak Anarkot in Qandeelabad district. The team is based at " +
			stationName + ". Complainants name a group of men they call the Neeli Patang group, several of " +
			"whom are said to meet at the Roshan Video Centre in the Chak Anarkot bazaar.",
	})
	if sd.err != nil {
		return
	}
	loc := func(nl caseroom.NewLocation) *caseroom.Location {
		if sd.err != nil {
			return nil
		}
		nl.Source = r1.Ref
		l, err := sd.s.RegisterLocation(sd.ctx, sd.caseID, nl)
		if err != nil {
			sd.fail("register location %s: %w", nl.Name, err)
		}
		return l
	}
	sd.district = loc(caseroom.NewLocation{Name: "Qandeelabad District", Kind: "district", Lat: conf(30.93), Lon: conf(73.2)})
	if sd.err != nil {
		return
	}
	sd.station = loc(caseroom.NewLocation{Name: stationName, Kind: "station", Address: "GT Road, Qandeelabad",
		Lat: conf(30.925), Lon: conf(73.205), Within: sd.district.ID})
	for _, v := range villageSpecs {
		sd.villages = append(sd.villages, loc(caseroom.NewLocation{Name: v.name, Kind: "village",
			Lat: conf(v.lat), Lon: conf(v.lon), Within: sd.district.ID}))
	}
	org := func(no caseroom.NewOrganisation) *caseroom.Organisation {
		if sd.err != nil {
			return nil
		}
		no.Source = r1.Ref
		o, err := sd.s.RegisterOrganisation(sd.ctx, sd.caseID, no)
		if err != nil {
			sd.fail("register organisation %s: %w", no.Name, err)
		}
		return o
	}
	sd.shop = org(caseroom.NewOrganisation{Name: "Roshan Video Centre", Kind: "business",
		Note: "Video, CD and mobile-phone accessories shop in the Chak Anarkot bazaar."})
	sd.gang = org(caseroom.NewOrganisation{Name: "Neeli Patang group", Kind: "gang",
		Note: "Name complainants use for the group of men named in their complaints."})
	if sd.err != nil {
		return
	}
	sd.link(sd.shop.ID, sd.villages[2].ID, "located_at", r1.Ref, 1, "", "")
}

// Name parts for the fixed-seed combinations. All combinations are fictional.
var (
	maleFirst = []string{"Muhammad Aslam", "Bashir Ahmad", "Ghulam Rasool", "Nazir Ahmad", "Muhammad Sadiq",
		"Rafiq Ahmad", "Khalid Mehmood", "Arshad Ali", "Pervez Akhtar", "Ghulam Sarwar", "Muhammad Yousaf",
		"Muhammad Hanif", "Abdul Latif", "Abdul Rasheed", "Muhammad Siddique", "Liaqat Ali", "Muhammad Ashraf",
		"Muhammad Akram", "Manzoor Ahmad", "Shaukat Ali", "Zulfiqar Ali", "Muhammad Anwar", "Allah Ditta", "Noor Muhammad"}
	femaleFirst = []string{"Naseem Bibi", "Parveen Akhtar", "Shamim Bibi", "Rukhsana Kausar", "Nasreen Bibi",
		"Razia Sultana", "Sughran Bibi", "Bushra Bibi", "Shazia Parveen", "Amina Bibi", "Fouzia Bibi", "Samina Kausar"}
	surnames = []string{"Gill", "Bhatti", "Arain", "Dogar", "Joiya", "Virk", "Cheema", "Warraich", "Kharal",
		"Sial", "Chadhar", "Wattoo", "Bhutta", "Hiraj"}
	boyFirst = []string{"Bilal", "Hamza", "Usman", "Ali Raza", "Faizan", "Saqib", "Adnan", "Waqas", "Zeeshan",
		"Danish", "Asad", "Umair", "Ahsan", "Shahzaib", "Awais", "Haris", "Noman", "Talha"}
	girlFirst = []string{"Ayesha", "Sana", "Iqra", "Hina", "Mehwish", "Rabia", "Sidra", "Maryam", "Areeba", "Laiba"}
	ageBands  = []string{"8-10", "10-12", "12-14", "14-16"}
)

// pick returns an element of list not yet in used (by value), and marks it used.
// The lists are longer than the number of picks made from them.
func (sd *seeder) pick(list []string, used map[string]bool) string {
	for {
		s := list[sd.rnd.IntN(len(list))]
		if !used[s] {
			used[s] = true
			return s
		}
	}
}

func (sd *seeder) fullName(first []string, used map[string]bool) string {
	for {
		n := first[sd.rnd.IntN(len(first))] + " " + surnames[sd.rnd.IntN(len(surnames))]
		if !used[n] {
			used[n] = true
			return n
		}
	}
}

// officerRanks gives the six officers' ranks; the fifth is a woman constable, who
// sits in on the girls' statements.
var officerRanks = []string{"Inspector", "Sub-Inspector", "Sub-Inspector", "Assistant Sub-Inspector", "Lady Constable", "Head Constable"}

func (sd *seeder) registerOfficers() {
	used := sd.usedNames
	for _, rank := range officerRanks {
		female := rank == "Lady Constable"
		first := maleFirst
		if female {
			first = femaleFirst
		}
		name := sd.fullName(first, used)
		p := sd.person("officer "+name, caseroom.NewPerson{
			Names: []caseroom.PersonName{{Name: name, Script: "Latn"}},
			Roles: []caseroom.PersonRole{caseroom.PersonOfficer},
			Sex:   map[bool]string{true: "female", false: "male"}[female],
		})
		sd.officers = append(sd.officers, officer{person: p, rank: rank, name: name, female: female})
	}
}

// Numbers of the demo case.
const (
	numVictims    = 24
	numComplaints = 18
)

// registerFamilies registers each victim's guardian (a parent) and the victim. The
// first numComplaints guardians are also complainants.
func (sd *seeder) registerFamilies() {
	used := sd.usedNames
	for i := 0; i < numVictims; i++ {
		mother := i%5 == 3
		first := maleFirst
		if mother {
			first = femaleFirst
		}
		name := sd.fullName(first, used)
		roles := []caseroom.PersonRole{caseroom.PersonGuardian}
		if i < numComplaints {
			roles = append(roles, caseroom.PersonComplainant)
		}
		g := sd.person("guardian "+name, caseroom.NewPerson{
			Names: []caseroom.PersonName{{Name: name, Script: "Latn"}},
			Roles: roles,
			Sex:   map[bool]string{true: "female", false: "male"}[mother],
		})
		sd.guardians = append(sd.guardians, g)
	}
	for i := 0; i < numVictims; i++ {
		female := i%3 == 1
		first := boyFirst
		if female {
			first = girlFirst
		}
		surname := ""
		if g := sd.guardians[i]; g != nil {
			surname = g.Names[0].Name[strings.LastIndex(g.Names[0].Name, " ")+1:]
		}
		name := sd.pick(first, used) + " " + surname // first names are not reused
		v := victim{female: female, ageBand: ageBands[sd.rnd.IntN(len(ageBands))], village: i % 3, guardian: i}
		v.person = sd.person("victim", caseroom.NewPerson{
			Names:   []caseroom.PersonName{{Name: name, Script: "Latn"}},
			Roles:   []caseroom.PersonRole{caseroom.PersonVictim},
			Sex:     map[bool]string{true: "female", false: "male"}[female],
			AgeBand: v.ageBand,
		})
		sd.victims = append(sd.victims, v)
	}
}

// suspectSpec describes one suspect: names in Latin and Urdu script, aliases, village.
// A suspect with no name is known only by aliases.
type suspectSpec struct {
	name, urdu string
	aliases    []caseroom.Alias
	village    int
}

var suspectSpecs = []suspectSpec{
	{name: "Tariq Mehmood", urdu: "طارق محمود", aliases: []caseroom.Alias{{Alias: "Tari", Kind: "urf"}}, village: 0},
	{name: "Naveed Akhtar", urdu: "نوید اختر", aliases: []caseroom.Alias{{Alias: "Neela", Kind: "alias"}}, village: 0},
	{name: "Shahid Iqbal", urdu: "شاہد اقبال", village: 1},
	{name: "Zafar Abbas Dogar", aliases: []caseroom.Alias{{Alias: "Zafri", Kind: "urf"}}, village: 1},
	{name: "Mansoor Ahmad Bhatti", village: 2},
	{name: "Sajid Ali Joiya", aliases: []caseroom.Alias{{Alias: "Saji", Kind: "alias"}}, village: 0},
	{name: "Irfan Rafiq", village: 1},
	{name: "Kamran Yousaf Virk", aliases: []caseroom.Alias{{Alias: "Kami Video", Kind: "alias"}}, village: 2},
	{name: "Asif Nawaz", village: 2},
	{name: "Nasir Sarwar Cheema", aliases: []caseroom.Alias{{Alias: "Pehlwan", Kind: "urf"}}, village: 1},
	{name: "Rizwan Latif", village: 0},
	{name: "Nadeem Ashraf", village: 2},
	{name: "Faisal Hanif Gill", village: 1},
	{aliases: []caseroom.Alias{{Alias: "Mithu", Kind: "alias"}}, village: 0},
	{aliases: []caseroom.Alias{{Alias: "Lamba", Kind: "alias"}, {Alias: "Lamba Driver", Kind: "urf"}}, village: 2},
}

// suspectLabel is how statements and complaints write a suspect: the name, or the
// alias in quotes for a suspect known only by alias.
func suspectLabel(i int) string {
	if s := suspectSpecs[i]; s.name != "" {
		return s.name
	}
	return "a man known as '" + suspectSpecs[i].aliases[0].Alias + "'"
}

// firNumber returns complaint i's FIR number at the police station.
func (sd *seeder) firNumber(i int) string { return fmt.Sprintf("FIR %d/2026", 112+7*i+sd.rnd.IntN(5)) }

// registerComplaints registers one complaint per complainant guardian, each naming
// the victim's first suspect; the victim's statement names that suspect and, for
// some victims, a second one.
func (sd *seeder) registerComplaints() {
	for i := range sd.victims {
		v := &sd.victims[i]
		main := i % len(suspectSpecs)
		v.suspects = []int{main}
		if i%4 == 0 {
			other := (main + 1 + sd.rnd.IntN(len(suspectSpecs)-1)) % len(suspectSpecs)
			v.suspects = append(v.suspects, other)
		}
	}
	for i := 0; i < numComplaints && sd.err == nil; i++ {
		v, g := sd.victims[i], sd.guardians[i]
		child := "son"
		if v.female {
			child = "daughter"
		}
		if g.Sex == "female" {
			child = "her " + child
		} else {
			child = "his " + child
		}
		// Document texts are stored in clear; a guardian's name beside a victim's
		// pseudonym would identify the child, so the complainant is the giver of record
		// (whose name the vault seals) and the text does not name them.
		text := fmt.Sprintf("The complainant, of %s, states that %s came to the family's house several times "+
			"in September and October 2026. ", villageSpecs[v.village].name, suspectLabel(v.suspects[0]))
		if extorts(i) {
			text += fmt.Sprintf("On the last visit he demanded Rs %s and said the family would regret it if it "+
				"was not paid. ", rupeesText(int64(1000*(50+25*sd.rnd.IntN(8)))))
			text += paidSentence(i)
		} else {
			text += "He asked the family not to speak to the police and left a telephone number. "
		}
		text += fmt.Sprintf("The complainant asks that a case be registered and that %s, recorded as %s, be heard "+
			"as a witness in the presence of a parent.", child, v.person.Pseudonym)
		at := sd.day(-4 + i/2) // 27 October to 4 November
		d := sd.register("complaint", caseroom.NewDocument{
			Kind:        caseroom.DocComplaint,
			Title:       "Complaint from " + villageSpecs[v.village].name,
			Text:        text,
			ExternalRef: sd.firNumber(i),
			Giver:       g.ID,
			RecordedAt:  &at,
			Place:       stationName,
			Language:    []string{"ur", "pa"}[i%2],
			Method:      "written",
		})
		sd.complaints = append(sd.complaints, d)
	}
}

// extorts reports whether complaint i alleges a demand for money.
func extorts(i int) bool { return i%2 == 0 }

// complaintNaming returns the first complaint naming suspect i, or nil.
func (sd *seeder) complaintNaming(suspect int) *caseroom.Document {
	for i, c := range sd.complaints {
		if sd.victims[i].suspects[0] == suspect {
			return c
		}
	}
	return nil
}

func (sd *seeder) registerSuspects() {
	for i, spec := range suspectSpecs {
		if sd.err != nil {
			return
		}
		src := sd.complaintNaming(i)
		if src == nil {
			sd.fail("suspect %d is named in no complaint", i)
			return
		}
		np := caseroom.NewPerson{Roles: []caseroom.PersonRole{caseroom.PersonSuspect}, Sex: "male"}
		if spec.name != "" {
			np.Names = append(np.Names, caseroom.PersonName{Name: spec.name, Script: "Latn", Source: src.Ref})
		}
		if spec.urdu != "" {
			np.Names = append(np.Names, caseroom.PersonName{Name: spec.urdu, Script: "Arab", Source: src.Ref})
		}
		for _, a := range spec.aliases {
			a.Source = src.Ref
			np.Aliases = append(np.Aliases, a)
		}
		sd.suspects = append(sd.suspects, sd.person("suspect "+suspectLabel(i), np))
	}
}

// arrestGroups lists which suspects each officer's statement reports arresting.
var arrestGroups = [][]int{{0, 1, 5}, {2, 3, 6}, {4, 7}, {8, 9, 12}, {10, 11}, {13, 14}}

func (sd *seeder) officerStatements() {
	for i, o := range sd.officers {
		if sd.err != nil {
			return
		}
		group := arrestGroups[i]
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s states that between %d and %d November 2026 he went with a police party "+
			"and arrested the following persons on the strength of the complaints registered at %s. ",
			o.rank, o.name, 1+3*i, 3+3*i, stationName)
		if o.female {
			b.Reset()
			fmt.Fprintf(&b, "%s %s states that between %d and %d November 2026 she accompanied a police party "+
				"that arrested the following persons on the strength of the complaints registered at %s. ",
				o.rank, o.name, 1+3*i, 3+3*i, stationName)
		}
		for _, s := range group {
			fmt.Fprintf(&b, "%s was arrested at his house in %s; a mobile phone was taken from him, sealed in "+
				"the presence of two witnesses and entered in the station register. ",
				upperFirst(suspectLabel(s)), villageSpecs[suspectSpecs[s].village].name)
		}
		for k := 1; k < len(group); k++ {
			fmt.Fprintf(&b, "%s told the police party that he knows %s. ", upperFirst(suspectLabel(group[k-1])), suspectLabel(group[k]))
		}
		at := sd.day(3 + 3*i)
		d := sd.register("officer statement", caseroom.NewDocument{
			Kind:       caseroom.DocStatement,
			Title:      fmt.Sprintf("Statement of %s %s on arrests", o.rank, o.name),
			Text:       strings.TrimSpace(b.String()),
			Giver:      o.person.ID,
			RecordedAt: &at,
			Place:      stationName,
			Language:   []string{"ur", "pa"}[i%2],
			Method:     "written",
		})
		if sd.err != nil {
			return
		}
		for _, s := range group {
			sd.link(sd.suspects[s].ID, sd.villages[suspectSpecs[s].village].ID, "lives_at", d.Ref, 0.95, "", "")
		}
		for k := 1; k < len(group); k++ {
			sd.link(sd.suspects[group[k-1]].ID, sd.suspects[group[k]].ID, "knows", d.Ref, sd.confidence(0.6, 0.9), "", "")
		}
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// victimStatementTexts are the bland, procedural accounts victims give: where they saw
// a suspect and what he asked. %[1]s is the pseudonym, %[2]s the suspect, %[3]s the
// village, %[4]s "he"/"she", %[5]s "his"/"her".
var victimStatementTexts = []string{
	"%[1]s states that %[4]s knows %[2]s from the bazaar in %[3]s, that %[4]s saw him at the bus stand in October 2026 and that he asked about %[5]s brother's phone number.",
	"%[1]s states that %[2]s often sat outside the Roshan Video Centre in Chak Anarkot and that he asked %[1]s several times where %[5]s father worked.",
	"%[1]s states that %[2]s came to the house in %[3]s twice in October 2026 and spoke with %[5]s father about money, and that %[4]s was sent out of the room.",
	"%[1]s states that %[4]s was given a telephone number by %[2]s near the school gate in %[3]s and was told to pass it to %[5]s father.",
}

func (sd *seeder) victimStatements() {
	ladyConstable := sd.officers[4].person
	for i, v := range sd.victims {
		if sd.err != nil {
			return
		}
		he, his, whose := "he", "his", "father"
		if v.female {
			he, his = "she", "her"
		}
		if sd.guardians[v.guardian].Sex == "female" {
			whose = "mother"
		}
		text := fmt.Sprintf(victimStatementTexts[i%len(victimStatementTexts)],
			v.person.Pseudonym, suspectLabel(v.suspects[0]), villageSpecs[v.village].name, he, his)
		if len(v.suspects) > 1 {
			text += fmt.Sprintf(" %s states that %s was with him on one of these occasions.", upperFirst(he), suspectLabel(v.suspects[1]))
		}
		text += fmt.Sprintf(" The statement was read back in the presence of %s %s, who agreed it was correct.", his, whose)
		present := []caseroom.Presence{{Person: sd.guardians[v.guardian].ID, Capacity: "guardian"}}
		if v.female {
			present = append(present, caseroom.Presence{Person: ladyConstable.ID, Capacity: "female officer"})
		}
		recordedBy := demoUsers[caseroom.RoleLead]
		if i%2 == 1 {
			recordedBy = demoUsers[caseroom.RoleInvestigator]
		}
		var implicates []string
		for _, s := range v.suspects {
			implicates = append(implicates, sd.suspects[s].ID)
		}
		at := sd.day(3 + (17*i)/numVictims) // 3 to 19 November
		d := sd.register("victim statement", caseroom.NewDocument{
			Kind:       caseroom.DocStatement,
			Title:      "Statement of " + v.person.Pseudonym,
			Text:       text,
			Giver:      v.person.Pseudonym,
			RecordedBy: recordedBy,
			RecordedAt: &at,
			Place:      stationName,
			Language:   []string{"pa", "pa", "ur"}[i%3],
			Method:     "written",
			Present:    present,
			Implicates: implicates, // links from the victim to each suspect named, sourced to the statement
		})
		if sd.err != nil {
			return
		}
		sd.statements = append(sd.statements, d)
		// The guardian is the victim's parent, as the complaint (or, for victims whose
		// family filed none, the statement) records; the link lets the parent answer
		// for the child, as for a medical examination.
		parentSource := d.Ref
		if i < numComplaints {
			parentSource = sd.complaints[i].Ref
		}
		sd.link(sd.guardians[v.guardian].ID, v.person.Pseudonym, "parent_of", parentSource, 1, "", "")
		if i < numComplaints {
			// The complaint was registered before the suspects were, so its
			// implication is linked now: from the complainant, sourced to it.
			c := sd.complaints[i]
			sd.link(sd.guardians[v.guardian].ID, sd.suspects[v.suspects[0]].ID, "implicates", c.Ref, 0.7, "", "")
			if extorts(i) {
				since, note := firstPaid(i), "Demands for money and payments reported in the complaint."
				if since == "" {
					since, note = "2026-09", "Demand for money reported in the complaint."
				}
				sd.link(sd.suspects[v.suspects[0]].ID, sd.guardians[v.guardian].ID, "extorted", c.Ref,
					sd.confidence(0.6, 0.8), since, note)
			}
		}
	}
}

// representatives registers the two victims' representatives, each representing
// several victims, as recorded in the victims' families' complaints.
func (sd *seeder) representatives() {
	reps := []struct {
		name    string
		clients []int
	}{
		{"Farzana Rauf", []int{0, 1, 2, 3, 4}},
		{"Imtiaz Haider Chaudhry", []int{5, 6, 7, 8}},
	}
	for i, r := range reps {
		p := sd.person("representative "+r.name, caseroom.NewPerson{
			Names: []caseroom.PersonName{{Name: r.name, Script: "Latn"}},
			Roles: []caseroom.PersonRole{caseroom.PersonRepresentative},
		})
		if sd.err != nil {
			return
		}
		for _, v := range r.clients {
			sd.link(p.ID, sd.victims[v].person.Pseudonym, "represents", sd.complaints[v].Ref, 1, "2026-11", "")
		}
		if i == 0 {
			sd.representative = p
			// The demo advocate is this representative: they see these five clients.
			_, err := sd.s.AddMember(sd.ctx, sd.caseID, caseroom.NewMembership{User: demoUsers[caseroom.RoleAdvocate], Role: caseroom.RoleAdvocate, Person: p.ID})
			if err != nil {
				sd.fail("advocate's person record: %w", err)
			}
		}
	}
}

func (sd *seeder) reports() {
	var ten []string
	for i := 0; i < 10; i++ {
		ten = append(ten, sd.victims[2*i].person.Pseudonym)
	}
	sd.examsRequested = sd.register("report", caseroom.NewDocument{
		Kind:  caseroom.DocReport,
		Title: "Medical examinations requested",
		Text: "Medical examinations have been requested for ten victims: " + strings.Join(ten, ", ") + ". " +
			"Each examination awaits the written consent of the victim and of a guardian. The victims' " +
			"representatives have said they object and have asked to be heard first.",
	})
}

// identifiers records the suspects' phones, two Skype handles and three bank
// accounts, each citing the complaint or statement it is known from.
func (sd *seeder) identifiers() {
	sd.phones = map[int]*caseroom.Identifier{}
	for _, s := range []int{0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13} {
		src := sd.complaintNaming(s)
		if sd.err != nil || src == nil {
			return
		}
		number := fmt.Sprintf("+92 3%02d %07d", sd.rnd.IntN(50), sd.rnd.IntN(10000000))
		sd.phones[s] = sd.identifier(sd.suspects[s], caseroom.NewIdentifier{Kind: caseroom.IdentifierPhone, Value: number, Source: src.Ref})
		if sd.phones[s] != nil {
			sd.usedNumbers[sd.phones[s].Value] = true
		}
	}
	for _, s := range []int{1, 7} {
		src := sd.complaintNaming(s)
		if sd.err != nil || src == nil {
			return
		}
		sd.identifier(sd.suspects[s], caseroom.NewIdentifier{Kind: caseroom.IdentifierHandle, Value: suspectHandles[s], Service: "Skype", Source: src.Ref})
	}
}

// financesAndCalls registers the cybercrime unit's call-record analysis and the
// financial enquiry, and the links they support: calls between the suspects' phones,
// payments between suspects, the bank accounts, membership of the group and the shop.
func (sd *seeder) financesAndCalls() {
	callPairs := [][2]int{{0, 1}, {0, 5}, {1, 13}, {2, 3}, {3, 9}, {4, 7}, {7, 12}}
	var pairs []string
	for _, p := range callPairs {
		a, b := sd.phones[p[0]], sd.phones[p[1]]
		if a == nil || b == nil {
			sd.fail("call pair %v: a suspect has no phone", p)
			return
		}
		pairs = append(pairs, a.Value+" with "+b.Value)
	}
	calls := sd.register("report", caseroom.NewDocument{
		Kind:  caseroom.DocReport,
		Title: "Call data analysis of the suspects' phones",
		Text: "The cybercrime unit obtained call data records for the suspects' numbers for January to October 2026. " +
			"These numbers called one another frequently: " + strings.Join(pairs, "; ") + ". The Skype accounts " +
			"of two suspects were used for calls with accounts outside Pakistan, which are being traced.",
	})
	money := sd.register("report", caseroom.NewDocument{
		Kind:  caseroom.DocReport,
		Title: "Financial enquiry: bank accounts and transfers",
		Text:  moneyReportText(),
	})
	sd.moneyReport = money
	if sd.err != nil {
		return
	}
	for _, p := range callPairs {
		a, b := sd.phones[p[0]], sd.phones[p[1]]
		sd.link(a.ID, b.ID, "called", calls.Ref, sd.confidence(0.85, 1), "2026-01", fmt.Sprintf("%d calls", 5+sd.rnd.IntN(60)))
	}
	for _, s := range []int{0, 7, 9} {
		sd.identifier(sd.suspects[s], caseroom.NewIdentifier{Kind: caseroom.IdentifierBankAccount, Value: suspectAccounts[s],
			Service: "Qandeel Bank (fictional)", Source: money.Ref})
	}
	payments := [][2]int{{7, 0}, {9, 0}, {1, 0}, {3, 9}, {5, 7}, {12, 9}}
	for _, p := range payments {
		sd.link(sd.suspects[p[0]].ID, sd.suspects[p[1]].ID, "paid", money.Ref, sd.confidence(0.7, 1), "2025",
			"Transfers totalling Rs "+rupeesText(int64(1000*(100+50*sd.rnd.IntN(20)))))
	}
	// Further acquaintance found in the call records.
	for _, p := range [][2]int{{0, 7}, {4, 8}, {11, 8}} {
		sd.link(sd.suspects[p[0]].ID, sd.suspects[p[1]].ID, "knows", calls.Ref, sd.confidence(0.5, 0.8), "", "")
	}
	r1 := "R-1"
	for _, s := range []int{0, 1, 5, 7, 9, 13} {
		sd.link(sd.suspects[s].ID, sd.gang.ID, "member_of", r1, sd.confidence(0.5, 0.8), "", "")
	}
	sd.link(sd.suspects[7].ID, sd.shop.ID, "owns", r1, 0.9, "2019", "")
	sd.link(sd.suspects[8].ID, sd.shop.ID, "employed_by", r1, 0.7, "", "")
	sd.link(sd.suspects[11].ID, sd.shop.ID, "employed_by", r1, 0.6, "", "")
}

// correspondence registers messages and press reports.
func (sd *seeder) correspondence() {
	docs := []caseroom.NewDocument{
		{Kind: caseroom.DocMessage, Title: "Control room: two further arrests",
			Text: "Message from the district control room, 12 November 2026: two further persons named in the complaints were arrested today and are held at " + stationName + "."},
		{Kind: caseroom.DocMessage, Title: "Cybercrime unit: subscriber data requested",
			Text: "Message from the cybercrime unit: subscriber data and call records have been requested from the operators for twelve numbers linked to the suspects."},
		{Kind: caseroom.DocMessage, Title: "Victims' representatives: objection to medical examinations",
			Text: "Message from the victims' representatives: they object to the medical examinations requested for ten victims until the families have been advised, and say that some families were pressed by police to withdraw their complaints. They ask that this be recorded and examined."},
		{Kind: caseroom.DocPress, Title: "Daily Qandeel: arrests in three villages",
			Text: "A local newspaper reports that police in Qandeelabad district have arrested fifteen men after complaints from three villages, and that a joint investigation team has been formed."},
		{Kind: caseroom.DocPress, Title: "Weekly Sada: families allege pressure",
			Text: "A weekly paper quotes the victims' representatives, who say that families were pressed to withdraw their complaints and that some men were named who had nothing to do with the matter. The police say every complaint is being examined."},
		{Kind: caseroom.DocPress, Title: "Evening Post: extortion estimated at 80 million rupees",
			Text: "An evening paper reports that families say they paid about 80 million rupees over several years to men who threatened them. The investigation team declined to comment."},
	}
	for _, nd := range docs {
		sd.register(string(nd.Kind), nd)
	}
}

// exhibits registers the items seized from the ring (no files: the demo holds no
// media), each with a chain of custody: seized, sealed, taken to the forensic
// laboratory, examined there.
func (sd *seeder) exhibits() {
	specs := []struct {
		ref, description string
		kind             caseroom.ExhibitKind
		suspect          int
	}{
		{"SB/1", "CD-R in a paper sleeve, sold at a phone shop", caseroom.ExhibitDisc, 0},
		{cdrExhibit, "Mobile phone, black, cracked screen", caseroom.ExhibitPhone, cdrSuspect},
		{chatExhibit, "Desktop computer from the back room of the shop", caseroom.ExhibitComputer, chatSuspect},
		{"AK/1", "USB memory stick, 16 GB", caseroom.ExhibitStorage, 2},
		{"AK/2", "Notebook with names and amounts", caseroom.ExhibitDocument, 2},
	}
	lab := "Punjab Forensic Science Agency (fictional desk 4)"
	for i, spec := range specs {
		if sd.err != nil {
			return
		}
		seized := sd.day(3 + i).Add(10 * time.Hour)
		ne := caseroom.NewExhibit{Ref: spec.ref, Description: spec.description, Kind: spec.kind, SeizedAt: &seized,
			Place: stationName, Seal: fmt.Sprintf("QS-%04d", 311+i)}
		if spec.suspect < len(sd.suspects) {
			ne.SeizedFrom = sd.suspects[spec.suspect].ID
		}
		x, err := sd.s.RegisterExhibit(sd.ctx, sd.caseID, ne)
		if err != nil {
			sd.fail("exhibit %s: %v", spec.ref, err)
			return
		}
		sealed, sent, examined := seized.Add(30*time.Minute), seized.Add(26*time.Hour), seized.Add(74*time.Hour)
		for _, ev := range []caseroom.NewCustodyEvent{
			{Event: caseroom.CustodySealed, At: &sealed, Seal: ne.Seal, Place: stationName},
			{Event: caseroom.CustodyTransferred, To: lab, At: &sent, Purpose: "Forensic examination", Place: stationName},
			{Event: caseroom.CustodyExamined, By: lab, At: &examined, Purpose: "Listing and hashing the files; nothing viewed", Place: lab},
		} {
			if _, err := sd.s.RecordCustody(sd.ctx, sd.caseID, x.ID, ev); err != nil {
				sd.fail("custody of %s: %v", spec.ref, err)
				return
			}
		}
	}
}
