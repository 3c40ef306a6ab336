package commsfile_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/commsfile"
)

// readChat reads in with o (Location pkt if unset) and returns the rows.
func readChat(in string, o commsfile.ChatOptions) ([]caseroom.CommRow, error) {
	if o.Location == nil {
		o.Location = pkt
	}
	var rows []caseroom.CommRow
	err := commsfile.ReadChat(strings.NewReader(in), o, func(r caseroom.CommRow) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// on returns e with service s, and name and country if given.
func on(e caseroom.RawEndpoint, s string, nameCountry ...string) caseroom.RawEndpoint {
	e.Service = s
	if len(nameCountry) > 0 {
		e.Name = nameCountry[0]
	}
	if len(nameCountry) > 1 {
		e.Country = nameCountry[1]
	}
	return e
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadChatLayouts(t *testing.T) {
	rafiq, buyer := handle("live:rafiq.g"), handle("live:buyer.uk")
	rafiqSkype := on(handle("live:rafiq.fictional"), "skype")
	buyerSkype := on(handle("live:buyer.fictional"), "skype", "Buyer Fictional")
	tests := []struct {
		name string
		file string
		o    commsfile.ChatOptions
		want []caseroom.CommRow
	}{
		{
			name: "our JSON",
			file: "testdata/chat.json",
			o:    commsfile.ChatOptions{Service: "ignored, the file says"},
			want: []caseroom.CommRow{
				{Line: 1, From: on(rafiq, "skype"), To: on(buyer, "skype", "Buyer UK", "GB"), Directed: true, Kind: caseroom.CommContact,
					At: at(t, "2015-05-01 10:00:00", time.UTC)},
				{Line: 2, From: on(rafiq, "skype"), To: on(phone("+447700900123"), "skype", "Courier"), Directed: true, Kind: caseroom.CommContact,
					At: at(t, "2015-05-02 09:00:00", pkt)},
				{Line: 3, From: on(rafiq, "skype"), To: on(email("fictional.supplier@example.com"), "skype", "", "AE"), Directed: true, Kind: caseroom.CommContact,
					At: at(t, "2015-05-03 06:00:00", time.UTC)},
				{Line: 4, From: on(rafiq, "skype"), To: on(buyer, "skype"), Directed: true, Kind: caseroom.CommMessage,
					At: at(t, "2015-06-02 10:00:00", time.UTC)},
				{Line: 5, From: on(buyer, "skype"), To: on(rafiq, "skype"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-02 10:05:00", time.UTC), Duration: 64},
				{Line: 6, From: on(rafiq, "skype"), To: on(phone("+447700900123"), "skype"), Directed: true, Kind: caseroom.CommSMS,
					At: at(t, "2015-06-02 10:10:00", time.UTC).Add(500 * time.Millisecond)},
				{Line: 7, From: on(rafiq, "skype"), To: on(buyer, "skype"), Directed: true, Kind: caseroom.CommMessage,
					At: at(t, "2015-06-02 10:15:00", time.UTC)},
			},
		},
		{
			name: "our CSV",
			file: "testdata/chat.csv",
			o:    commsfile.ChatOptions{Service: "signal"},
			want: []caseroom.CommRow{
				{Line: 2, From: on(phone("+923001112233"), "whatsapp", "Rafiq G"), To: on(phone("+447700900123"), "whatsapp", "Courier", "GB"),
					Directed: true, Kind: caseroom.CommMessage, At: at(t, "2015-06-02 10:00:00", time.UTC)},
				{Line: 3, From: on(phone("+923001112233"), "signal"), To: on(buyer, "signal", "Buyer UK", "GB"),
					Directed: true, Kind: caseroom.CommCall, At: at(t, "2015-06-02 15:00:00", pkt), Duration: 64},
				{Line: 4, From: on(handle("fictional_dealer"), "telegram"), To: on(phone("+923001112233"), "telegram"),
					Directed: true, Kind: caseroom.CommMessage, At: at(t, "2015-06-02 16:00:00", pkt)},
			},
		},
		{
			name: "Skype export",
			file: "testdata/skype-messages.json",
			o:    commsfile.ChatOptions{Service: "ignored, Skype is Skype"},
			want: []caseroom.CommRow{
				{Line: 1, From: rafiqSkype, To: buyerSkype, Directed: true, Kind: caseroom.CommMessage,
					At: at(t, "2015-06-02 10:00:00", time.UTC).Add(123 * time.Millisecond)},
				{Line: 2, From: buyerSkype, To: rafiqSkype, Directed: true, Kind: caseroom.CommMessage,
					At: at(t, "2015-06-02 10:01:00", time.UTC)},
				{Line: 3, From: buyerSkype, To: rafiqSkype, Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-02 10:05:00", time.UTC), Duration: 64},
				// 4, ThreadActivity, is skipped.
				{Line: 5, From: rafiqSkype, To: buyerSkype, Directed: true, Kind: caseroom.CommMessage,
					At: at(t, "2015-06-02 10:08:20", time.UTC)},
				// 6, a Notice, 7, in a group, are skipped.
				{Line: 8, From: rafiqSkype, To: on(phone("+447700900123"), "skype", "+44 7700 900123"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-02 13:00:00", time.UTC)},
				// 9, in Skype's call logs, is skipped.
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readChat(readFile(t, tt.file), tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadChatTolerates(t *testing.T) {
	msg := caseroom.CommRow{Line: 1, From: handle("a.b"), To: handle("c.d"), Directed: true, Kind: caseroom.CommMessage,
		At: at(t, "2015-06-02 10:00:00", time.UTC)}
	tests := []struct{ name, in string }{
		{"a byte order mark and white space", "\ufeff \r\n\t{\"format\":\"caseroom-chat/1\",\n\"messages\":[\n{\"from\":\"a.b\",\"to\":\"c.d\",\"at\":\"2015-06-02T10:00:00Z\"}\n]\n}\n\n"},
		{"null arrays and members", `{"format":"caseroom-chat/1","service":null,"account":null,"contacts":null,"messages":[{"from":"a.b","to":"c.d","at":"2015-06-02T10:00:00Z","kind":null}]}`},
		{"CSV after blank lines, semicolons, any column order", "\ufeff\n\nAT;From;TO\n\n2015-06-02T10:00:00Z;a.b;c.d\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readChat(tt.in, commsfile.ChatOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := msg
			if strings.Contains(tt.in, "AT;") {
				want.Line = 5
			}
			if diff := cmp.Diff([]caseroom.CommRow{want}, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
	rows, err := readChat(`{"format":"caseroom-chat/1"}`, commsfile.ChatOptions{})
	if err != nil || len(rows) != 0 {
		t.Errorf("an empty file of our layout: rows %v, error %v", rows, err)
	}
}

func TestReadChatErrors(t *testing.T) {
	const ours = `{"format":"caseroom-chat/1",`
	const msg = `{"from":"a","to":"b","at":"2015-06-02T10:00:00Z"}`
	skype := func(messages string) string {
		return `{"userId":"8:live:rafiq.fictional","exportDate":"2020-03-01T12:00","conversations":[{"id":"8:live:buyer.fictional","MessageList":[` + messages + `]}]}`
	}
	const skypeMsg = `{"originalarrivaltime":"2015-06-02T10:00:00.123Z","messagetype":"RichText","conversationid":"8:live:buyer.fictional","from":"8:live:rafiq.fictional"}`
	tests := []struct{ name, in, want string }{
		{"empty", "", "the file is empty; …"},
		{"white space", " \n\t\r\n", "the file is empty; …"},
		{"a JSON array", `[{"from":"a"}]`, "not a chat file Caseroom reads: a JSON array; …"},
		{"another JSON object", `{"name":"x","values":[1,2]}`, "not a chat file Caseroom reads: a JSON object that is neither of format caseroom-chat/1 (its first member \"format\") nor a Skype export (with \"userId\" and \"conversations\")"},
		{"an empty JSON object", `{}`, "not a chat file Caseroom reads: an empty JSON object"},
		{"text", "Hello, this is a letter.\nNot a chat.\n", "not a chat file Caseroom reads: neither JSON nor CSV whose header names from, to and at (Caseroom's chat CSV has the header service,from,to,at,kind,duration,from_name,to_name,country)"},
		{"a CDR", "A Party,B Party,Date/Time\n111,222,20/06/2015 10:00\n", "not a chat file Caseroom reads: neither JSON nor CSV …"},

		{"another format", `{"format":"vcard"}`, `not a chat file Caseroom reads: format "vcard"; Caseroom reads caseroom-chat/1`},
		{"a later version", `{"format":"caseroom-chat/2","messages":[]}`, `format "caseroom-chat/2" is not one this Caseroom reads; it reads caseroom-chat/1`},
		{"format not first", `{"service":"skype","format":"caseroom-chat/1"}`, `"format" must be the first member of a caseroom-chat/1 file`},
		{"members out of order", ours + `"messages":[],"account":"x"}`, `member "account" comes after "messages" (or twice); write the members in the order format, service, account, contacts, messages`},
		{"a member twice", ours + `"service":"a","service":"b"}`, `member "service" comes after "service" (or twice); …`},
		{"an unknown member", ours + `"owner":"x"}`, `member "owner" is not one of format, service, account, contacts, messages`},
		{"contacts not an array", ours + `"account":"x","contacts":{"handle":"y"}}`, `contacts: an object where an array belongs`},
		{"a message not an object", ours + `"messages":["x"]}`, `record 1 (message 1): the message: the string "x" where an object belongs`},
		{"unknown contact fields", ours + `"account":"x","contacts":[{"handle":"y","added":"2015-05-01T10:00:00Z","nick":"z","notes":{"a":[1]}}]}`,
			`record 1 (contact 1): unknown fields "nick", "notes"; a contact has handle (or phone or email), name, country and added`},
		{"a contact without added", ours + `"account":"x","contacts":[{"handle":"y","added":"2015-05-01T10:00:00Z"},{"handle":"z"}]}`,
			`record 2 (contact 2): added: missing; give when the contact was added, such as 2015-05-01T10:00:00Z`},
		{"a contact with two kinds", ours + `"account":"x","contacts":[{"handle":"y","phone":"123","added":"2015-05-01T10:00:00Z"}]}`,
			`record 1 (contact 1): more than one of handle, phone and email; give the contact in one of them`},
		{"a contact without a value", ours + `"account":"x","contacts":[{"handle":" ","added":"2015-05-01T10:00:00Z"}]}`,
			`record 1 (contact 1): no handle, phone or email; give the contact in one of them`},
		{"contacts without an account", ours + `"contacts":[{"handle":"y","added":"2015-05-01T10:00:00Z"}]}`,
			`record 1 (contact 1): no account: a contact list needs the account it belongs to; give "account" before "contacts"`},
		{"a bad country", ours + `"account":"x","contacts":[{"handle":"y","country":"Pakistan","added":"2015-05-01T10:00:00Z"}]}`,
			`record 1 (contact 1): country: "Pakistan" is not a country code; write the ISO 3166-1 alpha-2 code, such as PK or GB`},
		{"a name not a string", ours + `"account":"x","contacts":[{"handle":"y","name":7,"added":"2015-05-01T10:00:00Z"}]}`,
			`record 1 (contact 1): name: the number 7 where a string belongs`},
		{"a message without at", ours + `"account":"x","contacts":[{"handle":"y","added":"2015-05-01T10:00:00Z"}],"messages":[` + msg + `,{"from":"a","to":"b"}]}`,
			`record 3 (message 2): at: missing; every message has from, to and at`},
		{"a bad at", ours + `"messages":[{"from":"a","to":"b","at":"yesterday"}]}`,
			`record 1 (message 1): at: "yesterday" is not a date and time; write 2015-06-02T10:00:00Z (RFC 3339)`},
		{"an at of 1969", ours + `"messages":[{"from":"a","to":"b","at":"1969-12-31T23:00:00Z"}]}`,
			`record 1 (message 1): at: "1969-12-31T23:00:00Z" is not in the years 1970 to 2100; …`},
		{"an at without a time of day", ours + `"messages":[{"from":"a","to":"b","at":"2015-06-02"}]}`,
			`record 1 (message 1): at: "2015-06-02" has no time of day; write 2015-06-02T10:00:00Z (RFC 3339)`},
		{"a bad kind", ours + `"messages":[{"from":"a","to":"b","at":"2015-06-02T10:00:00Z","kind":"contact"}]}`,
			`record 1 (message 1): kind: "contact" is not a kind; write message, call or sms`},
		{"a fractional duration", ours + `"messages":[{"from":"a","to":"b","at":"2015-06-02T10:00:00Z","duration":1.5}]}`,
			`record 1 (message 1): duration: 1.5 is not a duration; write a whole number of seconds, such as 65`},
		{"a negative duration", ours + `"messages":[{"from":"a","to":"b","at":"2015-06-02T10:00:00Z","duration":-1}]}`,
			`record 1 (message 1): duration: -1 is not a duration; …`},
		{"a duration as a string", ours + `"messages":[{"from":"a","to":"b","at":"2015-06-02T10:00:00Z","duration":"65"}]}`,
			`record 1 (message 1): duration: the string "65" where a whole number of seconds belongs`},
		{"unknown message field", ours + `"messages":[{"from":"a","to":"b","at":"2015-06-02T10:00:00Z","text":"hi"}]}`,
			`record 1 (message 1): unknown field "text"; a message has from, to, at, kind and duration`},
		{"malformed JSON", ours + `"messages":[` + msg + `,{"from":"a",,}]}`,
			`record 2 (message 2): the JSON is malformed after byte 102: invalid character ',' looking for beginning of object key string`},
		{"JSON cut short", ours + `"messages":[` + msg + `,{"from":"a"`, `record 2 (message 2): the JSON ends early, after byte …`},
		{"JSON after the object", ours + `"messages":[]} {}`, `the JSON goes on after the object ends, after byte 42`},

		{"conversations before userId", `{"conversations":[],"userId":"8:live:x"}`, `"conversations" comes before "userId"; Caseroom reads a Skype export as Skype writes it, userId first`},
		{"an empty userId", `{"userId":"","conversations":[]}`, `userId: empty; a Skype export names the user whose export it is`},
		{"a Skype message without from", skype(skypeMsg + `,{"originalarrivaltime":"2015-06-02T10:00:00Z","messagetype":"Text"}`), `record 2: from: missing`},
		{"a Skype message with a bad time", skype(`{"originalarrivaltime":"02.06.2015 10h","messagetype":"Text","from":"8:live:x"}`),
			`record 1: originalarrivaltime: "02.06.2015 10h" is not a date and time; write 2015-06-02T10:00:00Z (RFC 3339)`},
		{"a Skype message without a time", skype(`{"messagetype":"Event/Call","from":"8:live:x"}`), `record 1: originalarrivaltime: missing`},
		{"a Skype from of another type", skype(`{"originalarrivaltime":"2015-06-02T10:00:00Z","messagetype":"Text","from":8}`),
			`record 1: from: a JSON number where a string belongs`},
		{"a Skype message not an object", skype(`"x"`), `record 1: the record: a JSON string where an object belongs`},

		{"an unknown CSV column", "from,to,at,text\na,b,2015-06-02T10:00:00Z,hi\n", `header: column 4, "text", is not one of service, from, to, at, kind, duration, from_name, to_name, country`},
		{"a CSV column twice", "from,to,at,From\n", `header: columns 1 and 4 are both from`},
		{"an empty from", "from,to,at\na,b,2015-06-02T10:00:00Z\n ,b,2015-06-02T10:00:00Z\n", `line 3: from: empty; every row needs from, to and at`},
		{"a bad CSV time", "from,to,at\na,b,20/06/2015 25:00\n", `line 2: at: "20/06/2015 25:00" is not a date and time; write 2015-06-02T10:00:00Z (RFC 3339)`},
		{"a bad CSV kind", "from,to,at,kind\na,b,2015-06-02T10:00:00Z,chat\n", `line 2: kind: "chat" is not a kind; write message, call, sms or contact`},
		{"a bad CSV duration", "from,to,at,duration\na,b,2015-06-02T10:00:00Z,long\n", `line 2: duration: "long" is not a duration; write seconds (65) or 00:01:05`},
		{"a bad CSV country", "from,to,at,country\na,b,2015-06-02T10:00:00Z,GBR\n", `line 2: country: "GBR" is not a country code; …`},
		{"a CSV row short of fields", "from,to,at,kind\na,b,2015-06-02T10:00:00Z\n", `line 2: 3 fields, but the header has 4`},
		{"CSV not UTF-8", "from,to,at,to_name\na,b,2015-06-02T10:00:00Z,Caf\xe9\n", `line 2: to_name: not UTF-8 text; save the file as UTF-8`},
		{"CSV quoting", "from,to,at\na,\"b,2015-06-02T10:00:00Z\n", `line 2: extraneous or missing " in quoted-field …`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readChat(tt.in, commsfile.ChatOptions{})
			checkInvalid(t, err, tt.want)
		})
	}
	t.Run("no location", func(t *testing.T) {
		err := commsfile.ReadChat(strings.NewReader(readFile(t, "testdata/chat.json")), commsfile.ChatOptions{}, func(caseroom.CommRow) error { return nil })
		checkInvalid(t, err, "no time zone given for times the file writes without one; give the case's zone")
	})
}
