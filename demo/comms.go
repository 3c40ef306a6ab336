package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"caseroom"
)

// The communications of the demo case: the operator's call-detail records of Tariq
// Mehmood's number for January to October 2026, imported into his phone (SB/2), and
// the Skype contact list and some messages of Naveed Akhtar's account, found on the
// desktop computer from the back room of the shop (SB/3). Both are made row by row
// from the seeder's generator; no file is written.

// The exhibits the communications are imported into (see exhibits).
const (
	cdrExhibit  = "SB/2" // Tariq Mehmood's phone
	chatExhibit = "SB/3" // the shop's desktop computer, seized from Naveed Akhtar
)

// cdrSuspect is the suspect whose number's records are imported; chatSuspect the one
// whose chat account's are.
const (
	cdrSuspect  = 0
	chatSuspect = 1
)

// suspectHandles are the suspects' Skype handles, by suspect index.
var suspectHandles = map[int]string{1: "neela.demo.786", 7: "kami.video.demo"}

// foreignNumbers are the numbers abroad in Tariq Mehmood's records, written as the
// operator writes them (00 and the country code). They are in ranges kept for drama
// and fiction (+44 7700 900, +1 202 555 01, +49 30 23125) or, for the UAE, which
// keeps none, a run of zeros.
var foreignNumbers = []string{"00447700900417", "0012025550178", "00493023125447", "00971500000318"}

// pkt is Pakistan's time, the case's zone: UTC+5 all year.
var pkt = time.FixedZone("PKT", 5*3600)

// cdrCounterpart is a number Tariq Mehmood's phone was in contact with, and how.
type cdrCounterpart struct {
	number   string  // as the operator writes it
	rows     int     // how many records
	outgoing float64 // the share the subject began
	sms      float64 // the share that are SMS
	meanCall float64 // mean length of an answered call, in seconds
	// late is set for a number mostly in contact in September and October 2026,
	// when the complaints say the last demands were made.
	late bool
}

// cdrCells are the cells Tariq Mehmood's phone used (410 Pakistan, 06 the operator,
// then location area and cell), with how often: his village, Qandeelabad town, the
// Chak Anarkot bazaar and Dhok Samarwal.
var cdrCells = []struct {
	id     string
	weight int
}{
	{"410-06-3121-0417", 30}, {"410-06-3121-0418", 20}, {"410-06-3120-2231", 10},
	{"410-06-3124-1102", 15}, {"410-06-3124-1107", 15}, {"410-06-3122-0655", 10},
}

// operatorNumber writes a number in E.164 as the operator's records do: a Pakistani
// number without the plus (923121234567).
func operatorNumber(e164 string) string { return e164[1:] }

// digestOf is the SHA-256 the demo gives an import: of a label, since there is no
// file.
func digestOf(label string) string {
	sum := sha256.Sum256([]byte("caseroom demo: " + label))
	return hex.EncodeToString(sum[:])
}

// imei returns a 15-digit IMEI: 14 digits from the generator, after an invented type
// allocation code, and the Luhn check digit.
func (sd *seeder) imei() string {
	body := fmt.Sprintf("3571240%07d", sd.rnd.IntN(10000000))
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 { // every second digit from the right, starting with the last
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return body + fmt.Sprint((10-sum%10)%10)
}

// callRecords imports the records of Tariq Mehmood's number: calls and SMS both
// ways with Kamran Yousaf Virk (most of them), Naveed Akhtar and Sajid Ali Joiya (as
// the call-data analysis found), five complainants' families, the five local buyers
// who paid his wallet and one other local number, and four numbers abroad. About
// 2,700 rows, ordered by time, numbered as the lines of a CSV file after its header.
func (sd *seeder) callRecords() {
	if sd.err != nil {
		return
	}
	subject := sd.phones[cdrSuspect]
	var parties []cdrCounterpart
	for _, s := range []struct {
		suspect, rows int
		mean          float64
	}{{7, 720, 140}, {1, 220, 100}, {5, 180, 90}} {
		parties = append(parties, cdrCounterpart{number: operatorNumber(sd.phones[s.suspect].Value),
			rows: s.rows + sd.rnd.IntN(60), outgoing: 0.5, sms: 0.3, meanCall: s.mean})
	}
	for _, g := range familyPhoneGuardians {
		parties = append(parties, cdrCounterpart{number: operatorNumber(sd.familyPhones[g].Value),
			rows: 60 + sd.rnd.IntN(50), outgoing: 0.7, sms: 0.35, meanCall: 75, late: true})
	}
	for _, n := range append(slices.Clone(sd.buyers), sd.newMobile()) {
		parties = append(parties, cdrCounterpart{number: operatorNumber(n), rows: 100 + sd.rnd.IntN(100), outgoing: 0.5, sms: 0.4, meanCall: 60})
	}
	for _, n := range foreignNumbers {
		parties = append(parties, cdrCounterpart{number: n, rows: 25 + sd.rnd.IntN(40), outgoing: 0.3, sms: 0.3, meanCall: 320})
	}

	start := time.Date(2026, time.January, 1, 0, 0, 0, 0, pkt)
	lateStart := time.Date(2026, time.September, 1, 0, 0, 0, 0, pkt)
	end := time.Date(2026, time.November, 1, 0, 0, 0, 0, pkt)
	days := func(from time.Time) int { return int(end.Sub(from).Hours() / 24) }
	cellWeights := 0
	for _, c := range cdrCells {
		cellWeights += c.weight
	}
	cell := func() string {
		n := sd.rnd.IntN(cellWeights)
		for _, c := range cdrCells {
			if n -= c.weight; n < 0 {
				return c.id
			}
		}
		return cdrCells[0].id
	}
	own := caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: localNumber(subject.Value)}
	imei := sd.imei()
	var rows []caseroom.CommRow
	for _, p := range parties {
		other := caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: p.number}
		for range p.rows {
			from := start
			if p.late && sd.rnd.IntN(10) < 6 {
				from = lateStart
			}
			at := from.AddDate(0, 0, sd.rnd.IntN(days(from))).
				Add(time.Duration(8+sd.rnd.IntN(16))*time.Hour + time.Duration(sd.rnd.IntN(3600))*time.Second)
			r := caseroom.CommRow{From: own, To: other, Directed: true, Kind: caseroom.CommCall, At: at, CellID: cell(), IMEI: imei}
			if sd.rnd.Float64() >= p.outgoing {
				r.From, r.To = other, own
			}
			switch {
			case sd.rnd.Float64() < p.sms:
				r.Kind = caseroom.CommSMS
			case sd.rnd.IntN(100) < 12: // unanswered: the operator records no duration
			default:
				r.Duration = min(5+int64(sd.rnd.ExpFloat64()*p.meanCall), 3600)
			}
			rows = append(rows, r)
		}
	}
	slices.SortStableFunc(rows, func(a, b caseroom.CommRow) int { return a.At.Compare(b.At) })
	for i := range rows {
		rows[i].Line = int64(i + 2) // line 1 is the header
	}
	name := fmt.Sprintf("CDR %s 2026-01-01 to 2026-10-31.csv", own.Value)
	sd.importComms(caseroom.NewCommImport{Exhibit: cdrExhibit, Format: "cdr", SHA256: digestOf(name), Name: name}, rows)
}

// chatContact is an entry of Naveed Akhtar's Skype contact list.
type chatContact struct {
	handle, name, country string
	added                 time.Time
	// messages and calls are how many of each followed, from 2025 (or the contact's
	// adding) to October 2026.
	messages, calls int
}

// chatContacts imports the contact list of Naveed Akhtar's Skype account and the
// messages and calls with the accounts abroad in it, as the laboratory exported them
// from the desktop computer.
func (sd *seeder) chatContacts() {
	if sd.err != nil {
		return
	}
	const service = "skype"
	contacts := []chatContact{
		{handle: suspectHandles[7], name: "Kami", added: time.Date(2023, time.May, 6, 14, 2, 0, 0, pkt), messages: 6},
		{handle: "live:demo.markt.uk", name: "Mark T", country: "GB", added: time.Date(2024, time.August, 19, 22, 40, 0, 0, pkt), messages: 5, calls: 2},
		{handle: "live:demo.danp.uk", name: "Dan P", country: "GB", added: time.Date(2025, time.February, 2, 23, 15, 0, 0, pkt), messages: 3},
		{handle: "live:demo.robw.us", name: "Rob W", country: "US", added: time.Date(2024, time.November, 30, 7, 5, 0, 0, pkt), messages: 4, calls: 1},
		{handle: "demo.keller.de", name: "J Keller", country: "DE", added: time.Date(2025, time.June, 14, 1, 30, 0, 0, pkt), messages: 3},
		{handle: "live:demo.sami.ae", name: "Sami K", country: "AE", added: time.Date(2025, time.October, 8, 20, 10, 0, 0, pkt), messages: 2},
	}
	account := caseroom.RawEndpoint{Kind: caseroom.IdentifierHandle, Value: suspectHandles[chatSuspect], Service: service}
	var rows, messages []caseroom.CommRow
	since, end := time.Date(2025, time.January, 1, 0, 0, 0, 0, pkt), time.Date(2026, time.November, 1, 0, 0, 0, 0, pkt)
	for _, c := range contacts {
		other := caseroom.RawEndpoint{Kind: caseroom.IdentifierHandle, Value: c.handle, Service: service, Country: c.country, Name: c.name}
		rows = append(rows, caseroom.CommRow{Line: int64(len(rows) + 1), From: account, To: other, Directed: true, Kind: caseroom.CommContact, At: c.added})
		for k := range c.messages + c.calls {
			from := since
			if c.added.After(since) {
				from = c.added
			}
			at := from.Add(time.Duration(sd.rnd.Int64N(int64(end.Sub(from)/time.Second))) * time.Second)
			r := caseroom.CommRow{From: account, To: other, Directed: true, Kind: caseroom.CommMessage, At: at}
			if sd.rnd.IntN(2) == 0 {
				r.From, r.To = other, account
			}
			if k >= c.messages {
				r.Kind, r.Duration = caseroom.CommCall, 120+int64(sd.rnd.IntN(1500))
			}
			messages = append(messages, r)
		}
	}
	slices.SortStableFunc(messages, func(a, b caseroom.CommRow) int { return a.At.Compare(b.At) })
	for _, m := range messages {
		m.Line = int64(len(rows) + 1) // records are numbered contacts first, then messages
		rows = append(rows, m)
	}
	name := fmt.Sprintf("skype-%s.json", account.Value)
	sd.importComms(caseroom.NewCommImport{Exhibit: chatExhibit, Format: "chat", SHA256: digestOf(name), Name: name}, rows)
}

// importComms imports rows into an exhibit as the examiner.
func (sd *seeder) importComms(ni caseroom.NewCommImport, rows []caseroom.CommRow) {
	ni.Rows = func(_ *time.Location, fn func(caseroom.CommRow) error) error {
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	step(sd, "import "+ni.Name+" into "+ni.Exhibit, func() (*caseroom.CommImport, error) {
		return sd.s.ImportCommunications(sd.as(caseroom.RoleExaminer), sd.caseID, ni)
	})
}
