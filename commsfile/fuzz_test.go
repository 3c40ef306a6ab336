package commsfile_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"caseroom"
	"caseroom/commsfile"
)

// checkRow fails t unless r is a row a reader may give: a line after the previous
// one, both parties trimmed and not empty, a kind Caseroom knows, a time in range and
// no negative duration.
func checkRow(t *testing.T, r caseroom.CommRow, prevLine int64) {
	t.Helper()
	for _, e := range []caseroom.RawEndpoint{r.From, r.To} {
		if e.Value == "" || strings.TrimSpace(e.Value) != e.Value {
			t.Fatalf("row %+v: endpoint %q empty or not trimmed", r, e.Value)
		}
		if !slices.Contains([]caseroom.IdentifierKind{caseroom.IdentifierPhone, caseroom.IdentifierHandle, caseroom.IdentifierEmail}, e.Kind) {
			t.Fatalf("row %+v: endpoint kind %q", r, e.Kind)
		}
	}
	if !slices.Contains(caseroom.CommKinds, r.Kind) {
		t.Fatalf("row %+v: kind %q", r, r.Kind)
	}
	if r.Line <= prevLine {
		t.Fatalf("row %+v: line %d after line %d", r, r.Line, prevLine)
	}
	if y := r.At.UTC().Year(); y < 1969 || y > 2101 {
		t.Fatalf("row %+v: year %d", r, y)
	}
	if r.Duration < 0 {
		t.Fatalf("row %+v: negative duration", r)
	}
}

func FuzzReadCDR(f *testing.F) {
	f.Add("A Party,B Party,Date/Time,Duration,Call Type,Cell ID,IMEI\n03001112233,03214445566,20/06/2015 10:00:00,65,Outgoing,410-06-1234-5678,356938035643809\n111,,20/06/2015 10:00,5,GPRS,,\n", "")
	f.Add("CALLING_NO,CALLED_NO,CALL_DATE,CALL_TIME,DURATION,CALL_TYPE\n919800000001,919800000002,20-06-2015,09:15:30,00:02:05,MTC\n", "dmy")
	f.Add("CALLING_NBR,CALLED_NBR,START_DATE,START_TIME,DURATION,DIRECTION\n5550100001,5550100002,06/20/2015,10:00:00 PM,30,OUT\n", "mdy")
	f.Add("\ufeff\"MSISDN\";\"Other Party\";\"Timestamp\"\r\n\"+92 300\";\"x@y.z\";\"2015-06-20T10:00:00.5+05:00\"\r\n", "ymd")
	f.Add("Caller\tReceiver\tStart Date Time\n1\t2\t20-Jun-15 3:04 PM\n1\t2\t20150620100000\n", "")
	f.Add("A Party,B Party,Date,Direction,Type\n1,2,20/06/2015,IN,SMS\n", "")
	f.Fuzz(func(t *testing.T, in, order string) {
		prev := int64(1)
		var skipped int64
		err := commsfile.ReadCDR(strings.NewReader(in), commsfile.CDROptions{Location: pkt, DateOrder: order, Skipped: &skipped},
			func(r caseroom.CommRow) error {
				checkRow(t, r, prev)
				if r.Kind != caseroom.CommCall && r.Kind != caseroom.CommSMS {
					t.Fatalf("row %+v: a CDR row of kind %s", r, r.Kind)
				}
				prev = r.Line
				return nil
			})
		if err != nil && caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Fatalf("error %v is not EINVALID", err)
		}
		if skipped < 0 {
			t.Fatalf("skipped %d", skipped)
		}
	})
}

func FuzzReadChat(f *testing.F) {
	for _, name := range []string{"testdata/chat.json", "testdata/chat.csv", "testdata/skype-messages.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add(`{"format":"caseroom-chat/1","account":"x","contacts":[{"phone":"1","added":"2015-05-01 10:00"}],"messages":[{"from":"a","to":"b","at":"2015-06-02T10:00:00Z","kind":"sms","duration":5}]}`)
	f.Add(`{"userId":"8:live:a","conversations":[{"id":"8:live:b","MessageList":[{"originalarrivaltime":"2015-06-02T10:00:00Z","messagetype":"Event/Call","content":"<duration>5.5</duration>","from":"8:live:b"}]}]}`)
	f.Add("from,to,at,kind,duration,country\na,b,02/06/2015 10:00,call,1:00,pk\n")
	f.Fuzz(func(t *testing.T, in string) {
		prev := int64(0)
		err := commsfile.ReadChat(strings.NewReader(in), commsfile.ChatOptions{Location: pkt, Service: "whatsapp"},
			func(r caseroom.CommRow) error {
				checkRow(t, r, prev)
				if !r.Directed {
					t.Fatalf("row %+v: a chat row not directed", r)
				}
				if c := r.To.Country; c != "" && (len(c) != 2 || strings.ToUpper(c) != c) {
					t.Fatalf("row %+v: country %q", r, c)
				}
				prev = r.Line
				return nil
			})
		if err != nil && caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Fatalf("error %v is not EINVALID", err)
		}
	})
}
