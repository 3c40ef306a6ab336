package commsfile_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/commsfile"
)

// pkt is the case's zone in these tests, a fixed +05:00 like Pakistan's.
var pkt = time.FixedZone("PKT", 5*3600)

func phone(v string) caseroom.RawEndpoint {
	return caseroom.RawEndpoint{Kind: caseroom.IdentifierPhone, Value: v}
}

func handle(v string) caseroom.RawEndpoint {
	return caseroom.RawEndpoint{Kind: caseroom.IdentifierHandle, Value: v}
}

func email(v string) caseroom.RawEndpoint {
	return caseroom.RawEndpoint{Kind: caseroom.IdentifierEmail, Value: v}
}

// at returns the time s (2006-01-02 15:04:05) in loc.
func at(t testing.TB, s string, loc *time.Location) time.Time {
	t.Helper()
	v, err := time.ParseInLocation(time.DateTime, s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// readCDR reads in with o (Location pkt if unset) and returns the rows.
func readCDR(in string, o commsfile.CDROptions) ([]caseroom.CommRow, error) {
	if o.Location == nil {
		o.Location = pkt
	}
	var rows []caseroom.CommRow
	err := commsfile.ReadCDR(strings.NewReader(in), o, func(r caseroom.CommRow) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

func TestReadCDRHeaders(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		o       commsfile.CDROptions
		want    []caseroom.CommRow
		skipped int64
	}{
		{
			name: "Pakistani A and B party",
			in: "A Party,B Party,Date/Time,Duration,Call Type,Cell ID,IMEI,IMSI,Site Address\n" +
				"03001112233,03214445566,20/06/2015 10:00:00,65,Outgoing,410-06-1234-5678,356938035643809,410060000000001,\"Plot 7, Fictional Road\"\n" +
				"03001112233,03214445566,20/06/2015 10:05:00,12,Incoming,410-06-1234-5679,356938035643809,410060000000001,\n" +
				"03001112233,8877,20/06/2015 11:00:00,0,SMS-MO,410-06-1234-5678,356938035643809,410060000000001,\n" +
				"03001112233,JAZZINFO,20/06/2015 11:01:00,0,SMS-MT,,356938035643809,410060000000001,\n" +
				"03001112233,,20/06/2015 12:00:00,3600,GPRS,410-06-1234-5678,356938035643809,410060000000001,\n" +
				"03001112233,internet.example,20/06/2015 13:00:00,60,Data,,,,\n",
			want: []caseroom.CommRow{
				{Line: 2, From: phone("03001112233"), To: phone("03214445566"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 10:00:00", pkt), Duration: 65, CellID: "410-06-1234-5678", IMEI: "356938035643809"},
				{Line: 3, From: phone("03214445566"), To: phone("03001112233"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 10:05:00", pkt), Duration: 12, CellID: "410-06-1234-5679", IMEI: "356938035643809"},
				{Line: 4, From: phone("03001112233"), To: phone("8877"), Directed: true, Kind: caseroom.CommSMS,
					At: at(t, "2015-06-20 11:00:00", pkt), CellID: "410-06-1234-5678", IMEI: "356938035643809"},
				{Line: 5, From: handle("JAZZINFO"), To: phone("03001112233"), Directed: true, Kind: caseroom.CommSMS,
					At: at(t, "2015-06-20 11:01:00", pkt), IMEI: "356938035643809"},
			},
			skipped: 2,
		},
		{
			name: "Indian MTS, date and time in two columns",
			in: "CALLING_NO,CALLED_NO,CALL_DATE,CALL_TIME,DURATION,FIRST_CELL,LAST_CELL,CALL_TYPE,ESN/IMEI,IMSI\n" +
				"919800000001,919800000002,20-06-2015,09:15:30,00:02:05,404-45-1001-2001,404-45-1001-2002,MOC,490154203237518,404450000000001\n" +
				"919800000001,919800000003,21-06-2015,23:59:59,7,404-45-1001-2003,,MTC,490154203237518,404450000000001\n",
			want: []caseroom.CommRow{
				{Line: 2, From: phone("919800000001"), To: phone("919800000002"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 09:15:30", pkt), Duration: 125, CellID: "404-45-1001-2001", IMEI: "490154203237518"},
				{Line: 3, From: phone("919800000003"), To: phone("919800000001"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-21 23:59:59", pkt), Duration: 7, CellID: "404-45-1001-2003", IMEI: "490154203237518"},
			},
		},
		{
			name: "US, START_DATE and START_TIME, month first, 12-hour",
			in: "CALLING_NBR,CALLED_NBR,START_DATE,START_TIME,DURATION,DIRECTION\n" +
				"5550100001,5550100002,06/20/2015,10:00:00 PM,30,OUT\n" +
				"5550100001,5550100003,06/21/2015,12:05:00 AM,1:30,IN\n",
			o: commsfile.CDROptions{DateOrder: "mdy"},
			want: []caseroom.CommRow{
				{Line: 2, From: phone("5550100001"), To: phone("5550100002"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 22:00:00", pkt), Duration: 30},
				{Line: 3, From: phone("5550100003"), To: phone("5550100001"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-21 00:05:00", pkt), Duration: 90},
			},
		},
		{
			name: "semicolons, byte order mark, CRLF, quoted fields, no direction column",
			in: "\ufeff\"MSISDN\";\"Other Party\";\"Timestamp\";\"Seconds\"\r\n" +
				"\"+92 300 1112233\";\"+44 7700 900123\";\"2015-06-20 10:00\";\"12\"\r\n" +
				"\"+92 300 1112233\";\"dealer; the fictional one\";\"2015-06-20 10:01\";\"\"\r\n",
			want: []caseroom.CommRow{
				{Line: 2, From: phone("+92 300 1112233"), To: phone("+44 7700 900123"), Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 10:00:00", pkt), Duration: 12},
				{Line: 3, From: phone("+92 300 1112233"), To: handle("dealer; the fictional one"), Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 10:01:00", pkt)},
			},
		},
		{
			name: "tabs, blank lines and rows of empty fields",
			in: "\n\nCaller\tReceiver\tStart Date Time\tCall Duration\n" +
				"0300 1112233\tsomeone@example.com\t2015-06-20T10:00:00\t5\n\n" +
				"\t\t\t\n \t \t \t \n" +
				"0300 1112233\tlive:fictional.dealer\t2015-06-20T10:00:01\t6\n\n\n",
			want: []caseroom.CommRow{
				{Line: 4, From: phone("0300 1112233"), To: email("someone@example.com"), Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 10:00:00", pkt), Duration: 5},
				{Line: 8, From: phone("0300 1112233"), To: handle("live:fictional.dealer"), Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 10:00:01", pkt), Duration: 6},
			},
		},
		{
			name: "--map for headers Caseroom does not know",
			in:   "Number,Other,When,Secs,Kind\n03001112233,03214445566,20/06/2015 10:00:00,65,MO\n",
			o:    commsfile.CDROptions{Map: map[string]string{"a": "number", "b": " Other ", "time": "WHEN", "duration": "Secs", "direction": "Kind"}},
			want: []caseroom.CommRow{
				{Line: 2, From: phone("03001112233"), To: phone("03214445566"), Directed: true, Kind: caseroom.CommCall,
					At: at(t, "2015-06-20 10:00:00", pkt), Duration: 65},
			},
		},
		{
			name: "--map overrides a built-in name",
			in:   "A Party,MSISDN,B Party,Date/Time\n111,222,333,20/06/2015 10:00:00\n",
			o:    commsfile.CDROptions{Map: map[string]string{"a": "MSISDN"}},
			want: []caseroom.CommRow{
				{Line: 2, From: phone("222"), To: phone("333"), Kind: caseroom.CommCall, At: at(t, "2015-06-20 10:00:00", pkt)},
			},
		},
		{
			name: "of two columns for a field, the better-ranked name wins",
			in:   "MSISDN,A Party,Destination,B Number,Call Start,Date/Time\n111,222,333,444,bad,20/06/2015 10:00:00\n",
			want: []caseroom.CommRow{
				{Line: 2, From: phone("222"), To: phone("444"), Kind: caseroom.CommCall, At: at(t, "2015-06-20 10:00:00", pkt)},
			},
		},
		{
			name: "a --map column is not taken by a built-in name",
			in:   "A Party,Date,Time,Duration\n111,20/06/2015 10:00:00,222,5\n",
			o:    commsfile.CDROptions{Map: map[string]string{"b": "Time", "time": "Date"}},
			want: []caseroom.CommRow{
				{Line: 2, From: phone("111"), To: phone("222"), Kind: caseroom.CommCall, At: at(t, "2015-06-20 10:00:00", pkt), Duration: 5},
			},
		},
		{
			name: "only a date column, holding the date and time",
			in:   "a_party,b_party,date\n111,222,20/06/2015 10:00:00\n",
			want: []caseroom.CommRow{{Line: 2, From: phone("111"), To: phone("222"), Kind: caseroom.CommCall, At: at(t, "2015-06-20 10:00:00", pkt)}},
		},
		{
			name: "a date column with the midnight a spreadsheet adds",
			in:   "A Party,B Party,Date,Time\n111,222,20/06/2015 00:00:00,10:00\n",
			want: []caseroom.CommRow{{Line: 2, From: phone("111"), To: phone("222"), Kind: caseroom.CommCall, At: at(t, "2015-06-20 10:00:00", pkt)}},
		},
		{
			name: "direction and kind in two columns",
			in: "A Party,B Party,Date/Time,Direction,Type\n" +
				"111,222,20/06/2015 10:00:00,IN,SMS\n" +
				"111,222,20/06/2015 10:00:01,Outgoing,Voice\n" +
				"111,222,20/06/2015 10:00:02,,SMS\n" +
				"111,,20/06/2015 10:00:03,Outgoing,Data\n",
			want: []caseroom.CommRow{
				{Line: 2, From: phone("222"), To: phone("111"), Directed: true, Kind: caseroom.CommSMS, At: at(t, "2015-06-20 10:00:00", pkt)},
				{Line: 3, From: phone("111"), To: phone("222"), Directed: true, Kind: caseroom.CommCall, At: at(t, "2015-06-20 10:00:01", pkt)},
				{Line: 4, From: phone("111"), To: phone("222"), Kind: caseroom.CommSMS, At: at(t, "2015-06-20 10:00:02", pkt)},
			},
			skipped: 1,
		},
		{
			name: "a field over two lines",
			in:   "A Party,Note,B Party,Date/Time\n111,\"two\nlines\",222,20/06/2015 10:00:00\n333,,444,20/06/2015 10:00:01\n",
			want: []caseroom.CommRow{
				{Line: 2, From: phone("111"), To: phone("222"), Kind: caseroom.CommCall, At: at(t, "2015-06-20 10:00:00", pkt)},
				{Line: 4, From: phone("333"), To: phone("444"), Kind: caseroom.CommCall, At: at(t, "2015-06-20 10:00:01", pkt)},
			},
		},
		{
			name: "header only",
			in:   "A Party,B Party,Date/Time\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skipped := int64(-1)
			tt.o.Skipped = &skipped
			got, err := readCDR(tt.in, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if skipped != tt.skipped {
				t.Errorf("Skipped = %d, want %d", skipped, tt.skipped)
			}
		})
	}
}

func TestReadCDRTimes(t *testing.T) {
	utc5 := time.FixedZone("", 5*3600)
	tests := []struct {
		in    string
		order string
		want  time.Time
	}{
		{"2015-06-20 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"2015-06-20T10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"2015-06-20 10:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"2015-6-2 9:05", "", at(t, "2015-06-02 09:05:00", pkt)},
		{"2015-06-20T10:00:00Z", "", at(t, "2015-06-20 10:00:00", time.UTC)},
		{"2015-06-20T10:00:00.123+05:00", "", at(t, "2015-06-20 10:00:00", utc5).Add(123 * time.Millisecond)},
		{"2015-06-20T10:00:00-03:30", "", at(t, "2015-06-20 10:00:00", time.FixedZone("", -12600))},
		{"2015-06-20 10:00:00 +0500", "", at(t, "2015-06-20 10:00:00", utc5)},
		{"2015-06-20 10:00:00 UTC", "", at(t, "2015-06-20 10:00:00", time.UTC)},
		{"2015/06/20 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"2015/06/20 10:00:00", "mdy", at(t, "2015-06-20 10:00:00", pkt)},
		{"2015.06.20 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"20/06/2015 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"20/06/2015 10:00:00", "dmy", at(t, "2015-06-20 10:00:00", pkt)},
		{"02/01/2015 10:00:00", "dmy", at(t, "2015-01-02 10:00:00", pkt)},
		{"02/01/2015 10:00:00", "mdy", at(t, "2015-02-01 10:00:00", pkt)},
		{"06/20/2015 10:00:00", "mdy", at(t, "2015-06-20 10:00:00", pkt)},
		{"20-06-2015 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"20.06.2015 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"20/06/15 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"06/20/15 10:00:00", "mdy", at(t, "2015-06-20 10:00:00", pkt)},
		{"15/06/20 10:00:00", "ymd", at(t, "2015-06-20 10:00:00", pkt)},
		{"20/06/99 10:00:00", "", at(t, "1999-06-20 10:00:00", pkt)},
		{"20-Jun-2015 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"20-JUN-15 10:00:00", "mdy", at(t, "2015-06-20 10:00:00", pkt)},
		{"20 June 2015 10:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"5-Sept-2015 10:00", "", at(t, "2015-09-05 10:00:00", pkt)},
		{"20/06/2015 10:00:00 PM", "", at(t, "2015-06-20 22:00:00", pkt)},
		{"20/06/2015 12:05:00 AM", "", at(t, "2015-06-20 00:05:00", pkt)},
		{"20/06/2015 12:05 pm", "", at(t, "2015-06-20 12:05:00", pkt)},
		{"1/2/2015 3:04PM", "", at(t, "2015-02-01 15:04:00", pkt)},
		{"20150620100000", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"20150620 10:00:00", "", at(t, "2015-06-20 10:00:00", pkt)},
		{"29/02/2016 10:00", "", at(t, "2016-02-29 10:00:00", pkt)},
		{"20/06/2015 10:00:00,5", "", at(t, "2015-06-20 10:00:00", pkt).Add(500 * time.Millisecond)},
		{"  2015-06-20 10:00:00  ", "", at(t, "2015-06-20 10:00:00", pkt)},
	}
	for _, tt := range tests {
		t.Run(tt.in+"/"+tt.order, func(t *testing.T) {
			rows, err := readCDR("A Party,B Party,Date/Time\n111,222,\""+tt.in+"\"\n", commsfile.CDROptions{DateOrder: tt.order})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 {
				t.Fatalf("%d rows", len(rows))
			}
			if got := rows[0].At; !got.Equal(tt.want) {
				t.Errorf("At = %v, want %v", got, tt.want)
			}
			_, wantOff := tt.want.Zone()
			if _, off := rows[0].At.Zone(); off != wantOff {
				t.Errorf("At's zone is %+d s, want %+d s", off, wantOff)
			}
		})
	}
}

func TestReadCDRDurations(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"", 0}, {"0", 0}, {"65", 65}, {" 65 ", 65}, {"65.4", 65}, {"65.5", 66}, {"65.0", 65},
		{"1:05", 65}, {"00:01:05", 65}, {"1:00:00", 3600}, {"100:00:00", 360000},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			rows, err := readCDR("A Party,B Party,Date/Time,Duration\n111,222,20/06/2015 10:00,\""+tt.in+"\"\n", commsfile.CDROptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := rows[0].Duration; got != tt.want {
				t.Errorf("Duration = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestReadCDRCallTypes(t *testing.T) {
	type want struct {
		fromA, directed bool
		kind            caseroom.CommKind
	}
	out, in, undirected := want{true, true, caseroom.CommCall}, want{false, true, caseroom.CommCall}, want{true, false, caseroom.CommCall}
	smsOut, smsIn, sms := want{true, true, caseroom.CommSMS}, want{false, true, caseroom.CommSMS}, want{true, false, caseroom.CommSMS}
	tests := map[string]want{
		"MO": out, "mo": out, "Outgoing": out, "OUT": out, "O": out, "Originating": out, "Voice MO": out, "MOC": out, "Outgoing Call": out,
		"MT": in, "Incoming": in, "in": in, "I": in, "Terminating": in, "Voice MT": in, "MTC": in, "Incoming Call": in,
		"SMS-MO": smsOut, "SMS MO": smsOut, "SMSMO": smsOut, "sms_mo": smsOut, "Outgoing SMS": smsOut, "MO SMS": smsOut,
		"SMS-MT": smsIn, "SMS MT": smsIn, "Incoming SMS": smsIn, "MT-SMS": smsIn,
		"SMS": sms, "Text": sms,
		"Voice": undirected, "Call": undirected, "": undirected,
	}
	for v, w := range tests {
		t.Run(v, func(t *testing.T) {
			rows, err := readCDR("A Party,B Party,Date/Time,Call Type\n111,222,20/06/2015 10:00,"+v+"\n", commsfile.CDROptions{})
			if err != nil {
				t.Fatal(err)
			}
			r := rows[0]
			if got := (want{r.From.Value == "111", r.Directed, r.Kind}); got != w {
				t.Errorf("got %+v, want %+v", got, w)
			}
		})
	}
	for _, v := range []string{"Data", "GPRS", "gprs", "Data Session", "INTERNET"} {
		t.Run(v, func(t *testing.T) {
			var skipped int64
			rows, err := readCDR("A Party,B Party,Date/Time,Call Type\n111,,20/06/2015 10:00,"+v+"\n111,apn.example,garbage,"+v+"\n", commsfile.CDROptions{Skipped: &skipped})
			if err != nil || len(rows) != 0 || skipped != 2 {
				t.Errorf("rows %v, skipped %d, error %v; want data rows skipped", rows, skipped, err)
			}
		})
	}
}

func TestReadCDRErrors(t *testing.T) {
	const header = "A Party,B Party,Date/Time,Duration,Call Type,IMEI\n"
	tests := []struct {
		name string
		in   string
		o    commsfile.CDROptions
		want string // the message, or its start when it ends in "…"
	}{
		{"empty file", "", commsfile.CDROptions{}, "the file is empty; …"},
		{"only blank lines", "\n\r\n\n", commsfile.CDROptions{}, "the file is empty; …"},
		{"no B party", "A Party,Date/Time\n", commsfile.CDROptions{},
			`header: no column for the B party (looked for "B Party", "B_PARTY", "Called No", ...); name it with --map b=HEADER`},
		{"no A party", "Number,B Party,Date/Time\n", commsfile.CDROptions{},
			`header: no column for the A party (looked for "A Party", "A_PARTY", "Calling No", ...); name it with --map a=HEADER`},
		{"no time", "A Party,B Party,When\n", commsfile.CDROptions{},
			`header: no column for the date and time (looked for "Date/Time", "DateTime", "Date & Time", ..., or "Date" and "Time"); name it with --map time=HEADER, or --map date=HEADER,clock=HEADER`},
		{"a --map column missing", "A Party,B Party,Date/Time\n", commsfile.CDROptions{Map: map[string]string{"b": "Called"}},
			`header: no column "Called" for the B party (given with --map b=Called)`},
		{"a --map column twice", "A Party,B Party,Date/Time\n", commsfile.CDROptions{Map: map[string]string{"a": "A Party", "b": "a_party"}},
			`header: --map gives the column "A Party" to both a and b`},
		{"a --map field unknown", "A Party,B Party,Date/Time\n", commsfile.CDROptions{Map: map[string]string{"caller": "A Party"}},
			`map: "caller" is not a field; the fields are a, b, time, date, clock, duration, direction, kind, cell, imei`},
		{"no location", header, commsfile.CDROptions{Location: nil, DateOrder: "dmy"}, ""},
		{"bad date order", header, commsfile.CDROptions{DateOrder: "ydm"},
			`date order "ydm": write dmy (day first, the default), mdy (month first) or ymd`},
		{"bad time", header + "111,222,2015-06-20 10:00,,,\n111,222,2015-13-40 10:00,,,\n", commsfile.CDROptions{},
			`line 3: time: "2015-13-40 10:00" is not a date and time; write 2015-06-20 10:00:00 or 20/06/2015 10:00:00`},
		{"month-first date read day first", header + "111,222,06/20/2015 10:00,,,\n", commsfile.CDROptions{},
			`line 2: time: "06/20/2015 10:00" is not a date and time; write 2015-06-20 10:00:00 or 20/06/2015 10:00:00 (dates are read day first; if this file writes the month first, read it with date order mdy)`},
		{"day-first date read month first", header + "111,222,20/06/2015 10:00,,,\n", commsfile.CDROptions{DateOrder: "mdy"},
			`line 2: time: "20/06/2015 10:00" is not a date and time; write 2015-06-20 10:00:00 or 06/20/2015 10:00:00 (dates are read month first, as date order mdy says; this one reads day first)`},
		{"31 June", header + "111,222,31/06/2015 10:00,,,\n", commsfile.CDROptions{}, `line 2: time: "31/06/2015 10:00" is not a date and time; …`},
		{"29 February 2015", header + "111,222,29/02/2015 10:00,,,\n", commsfile.CDROptions{}, `line 2: time: "29/02/2015 10:00" is not a date and time; …`},
		{"hour 25", header + "111,222,20/06/2015 25:00,,,\n", commsfile.CDROptions{}, `line 2: time: "20/06/2015 25:00" is not a date and time; …`},
		{"13 PM", header + "111,222,20/06/2015 13:00 PM,,,\n", commsfile.CDROptions{}, `line 2: time: "20/06/2015 13:00 PM" is not a date and time; …`},
		{"a zone Caseroom does not read", header + "111,222,20/06/2015 10:00 PKT,,,\n", commsfile.CDROptions{}, `line 2: time: "20/06/2015 10:00 PKT" is not a date and time; …`},
		{"1900", header + "111,222,01/01/1900 00:00:00,,,\n", commsfile.CDROptions{},
			`line 2: time: "01/01/1900 00:00:00" is not in the years 1970 to 2100; check that the column holds when the communication was`},
		{"2101", header + "111,222,2101-01-01 00:00,,,\n", commsfile.CDROptions{}, `line 2: time: "2101-01-01 00:00" is not in the years 1970 to 2100; …`},
		{"no time of day", header + "111,222,20/06/2015,,,\n", commsfile.CDROptions{},
			`line 2: time: "20/06/2015" has no time of day; write 20/06/2015 10:00:00`},
		{"no time of day in the only date column", "A Party,B Party,Call Date\n111,222,06/20/2015\n", commsfile.CDROptions{DateOrder: "mdy"},
			`line 2: date: "06/20/2015" has no time of day; write 06/20/2015 10:00:00, or name the column of the time of day with --map clock=HEADER`},
		{"empty time", header + "111,222, ,,,\n", commsfile.CDROptions{}, `line 2: time: empty; every row needs its date and time`},
		{"bad date", "A Party,B Party,Date,Time\n111,222,2015-06-20 10:00,10:00\n", commsfile.CDROptions{},
			`line 2: date: "2015-06-20 10:00" is not a date; write 2015-06-20 or 20/06/2015`},
		{"bad clock", "A Party,B Party,Date,Time\n111,222,20/06/2015,10h00\n", commsfile.CDROptions{},
			`line 2: clock: "10h00" is not a time of day; write 10:00:00 or 10:00:00 PM`},
		{"bad clock in START_TIME", "A Party,B Party,Start Date,Start Time\n111,222,20/06/2015,25:00\n", commsfile.CDROptions{},
			`line 2: time: "25:00" is not a date and time; …`},
		{"bad duration", header + "111,222,20/06/2015 10:00,1m5s,,\n", commsfile.CDROptions{},
			`line 2: duration: "1m5s" is not a duration; write seconds (65) or 00:01:05`},
		{"negative duration", header + "111,222,20/06/2015 10:00,-5,,\n", commsfile.CDROptions{}, `line 2: duration: "-5" is not a duration; …`},
		{"bad minutes", header + "111,222,20/06/2015 10:00,1:60,,\n", commsfile.CDROptions{}, `line 2: duration: "1:60" is not a duration; …`},
		{"unknown call type", header + "111,222,20/06/2015 10:00,5,MO\n111,222,20/06/2015 10:00,5,FWD,\n", commsfile.CDROptions{},
			`line 2: 5 fields, but the header has 6`},
		{"unknown call type value", header + "111,222,20/06/2015 10:00,5,FWD,\n", commsfile.CDROptions{},
			`line 2: kind: "FWD" is not a call type Caseroom knows; write MO, MT, SMS-MO, SMS-MT, SMS, Voice or Data (or Outgoing, Incoming)`},
		{"directions that disagree", "A Party,B Party,Date/Time,Direction,Call Type\n111,222,20/06/2015 10:00,IN,SMS-MO\n", commsfile.CDROptions{},
			`line 2: kind: "SMS-MO" says another direction than the direction column "Direction"`},
		{"empty B party", header + "111,,20/06/2015 10:00,5,MO,\n", commsfile.CDROptions{},
			`line 2: b: empty; every call and SMS needs both parties (rows of data sessions, which have none, are skipped)`},
		{"empty A party", header + " ,222,20/06/2015 10:00,5,MO,\n", commsfile.CDROptions{}, `line 2: a: empty; …`},
		{"scientific notation", header + "9.23001E+11,222,20/06/2015 10:00,5,MO,\n", commsfile.CDROptions{},
			`line 2: a: "9.23001E+11" is a number a spreadsheet wrote in scientific notation, which has lost its last digits; export the column as text`},
		{"IMEI in scientific notation", header + "111,222,20/06/2015 10:00,5,MO,3.56938E+14\n", commsfile.CDROptions{}, `line 2: imei: "3.56938E+14" is a number …`},
		{"not UTF-8", header + "111,222,20/06/2015 10:00,5,MO,\n\x96111,222,20/06/2015 10:00,5,MO,\n", commsfile.CDROptions{},
			`line 3: a: not UTF-8 text; save the file as UTF-8`},
		{"a quote left open", header + "111,\"222,20/06/2015 10:00,5,MO,\n", commsfile.CDROptions{}, `line 2: extraneous or missing " in quoted-field …`},
		{"a stray quote", header + "111,2\"22,20/06/2015 10:00,5,MO,\n", commsfile.CDROptions{}, `line 2: bare " in non-quoted-field (at byte 6 of the line)`},
		{"the line of a field after a quoted line break", "A Party,Note,B Party,Date/Time\n111,\"two\nlines\",222,bad\n", commsfile.CDROptions{},
			`line 3: time: "bad" is not a date and time; …`},
		{"a record over 1 MiB", header + "111,\"" + strings.Repeat("2", 2<<20) + "\",x,,,\n", commsfile.CDROptions{},
			`line 1: the record after it is larger than 1048576 bytes (a quote left open?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name != "no location" && tt.o.Location == nil {
				tt.o.Location = pkt
			}
			called := 0
			err := commsfile.ReadCDR(strings.NewReader(tt.in), tt.o, func(caseroom.CommRow) error { called++; return nil })
			checkInvalid(t, err, tt.want)
		})
	}
}

// checkInvalid fails t unless err is EINVALID with the message want (or, if want ends
// in "…", starting with it; any message if want is "").
func checkInvalid(t *testing.T, err error, want string) {
	t.Helper()
	if caseroom.ErrorCode(err) != caseroom.EINVALID {
		t.Fatalf("error %v, want EINVALID", err)
	}
	var e *caseroom.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not a *caseroom.Error", err)
	}
	got := e.Message
	if prefix, ok := strings.CutSuffix(want, "…"); ok {
		if !strings.HasPrefix(got, prefix) {
			t.Errorf("message\n%s\ndoes not start\n%s", got, prefix)
		}
	} else if want != "" && got != want {
		t.Errorf("message\n%s\nwant\n%s", got, want)
	}
}

func TestParseMap(t *testing.T) {
	got, err := commsfile.ParseMap(" a = Calling No ,b=Called No,TIME=Start,,")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"a": "Calling No", "b": "Called No", "time": "Start"}, got); diff != "" {
		t.Errorf("map (-want +got):\n%s", diff)
	}
	if got, err := commsfile.ParseMap(""); err != nil || len(got) != 0 {
		t.Errorf("ParseMap(\"\") = %v, %v; want an empty map", got, err)
	}
	for in, want := range map[string]string{
		"a=Calling No,b":        `map "b": write field=header, such as b=Called No`,
		"a=":                    `map "a=": write field=header, such as b=Called No`,
		"caller=Calling No":     `map "caller=Calling No": "caller" is not a field; the fields are a, b, time, date, clock, duration, direction, kind, cell, imei`,
		"a=Calling No,a=MSISDN": `map: a is given twice`,
	} {
		_, err := commsfile.ParseMap(in)
		checkInvalid(t, err, want)
	}
}
