package commsfile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"caseroom"
	"caseroom/internal/bounded"
)

// CDROptions says how to read a CDR file.
type CDROptions struct {
	// Map names, for a field, the header of the column that holds it in this file
	// (see ParseMap), in place of the built-in names.
	Map map[string]string
	// Location is the zone of times written without one, the case's zone; required.
	Location *time.Location
	// DateOrder is how numeric dates whose digits do not show their order are read:
	// "dmy" (the default, as Pakistani operators write them), "mdy" or "ymd".
	DateOrder string
	// Skipped, if not nil, is set to the number of rows of data sessions skipped.
	Skipped *int64
}

// cdrField is a field of a CDR row.
type cdrField int

// The fields of a CDR row, in the order ParseMap lists them.
const (
	fieldA cdrField = iota
	fieldB
	fieldTime
	fieldDate
	fieldClock
	fieldDuration
	fieldDirection
	fieldKind
	fieldCell
	fieldIMEI
	numFields
)

// fieldNames are the names ParseMap and messages use for the fields.
var fieldNames = [numFields]string{"a", "b", "time", "date", "clock", "duration", "direction", "kind", "cell", "imei"}

// fieldWhat says in words what each field holds, for messages.
var fieldWhat = [numFields]string{"the A party", "the B party", "the date and time", "the date",
	"the time of day", "the duration", "the direction", "the call type", "the cell", "the IMEI"}

// builtinHeaders are the header names each field is found by, best first: when several
// columns match names of one field, the one matching the earlier name is read.
var builtinHeaders = [numFields][]string{
	fieldA: {"A Party", "A_PARTY", "Calling No", "A Number", "Calling Number", "CALLING_NBR",
		"A Party Number", "Calling Party", "MSISDN", "Subscriber", "Caller", "Originating Number", "Source"},
	fieldB: {"B Party", "B_PARTY", "Called No", "B Number", "Called Number", "CALLED_NBR",
		"B Party Number", "Called Party", "DESTPHONE", "Dialed Digits", "Dialled Digits", "Dialed Number",
		"Other Party", "Other Number", "Receiver", "Destination"},
	fieldTime: {"Date/Time", "DateTime", "Date & Time", "Start Date Time", "Start Time", "STARTTIME",
		"Call Start", "Call Date Time", "Timestamp", "Time Stamp"},
	fieldDate:      {"Date", "CALL_DATE", "Start Date", "Call Date"},
	fieldClock:     {"Time", "CALL_TIME", "Call Time"},
	fieldDuration:  {"Duration", "Call Duration", "DUR", "Duration (sec)", "Duration (s)", "Duration (secs)", "Seconds"},
	fieldDirection: {"Direction", "Call Direction", "M_R", "MO/MT", "In/Out"},
	fieldKind:      {"Call Type", "CALL_TYPE", "Type", "Event Type", "Record Type", "Service Type", "Usage Type"},
	fieldCell:      {"Cell ID", "CELL_ID", "First Cell", "FIRST_CELL", "First Cell ID", "1st Cell", "Cell", "Site ID", "CGI", "Cell Global ID"},
	fieldIMEI:      {"IMEI", "ESN/IMEI", "Handset IMEI", "IMEI Number"},
}

// builtinByKey finds a field and the rank of its name by a header name's key.
var builtinByKey = func() map[string]builtinName {
	m := make(map[string]builtinName)
	for f, names := range builtinHeaders {
		for rank, name := range names {
			k := headerKey(name)
			if prev, ok := m[k]; ok && prev.field != cdrField(f) {
				panic(fmt.Sprintf("commsfile: header %q names both %s and %s", name, fieldNames[prev.field], fieldNames[f]))
			} else if !ok {
				m[k] = builtinName{cdrField(f), rank}
			}
		}
	}
	return m
}()

// builtinName is a field and the rank of one of its built-in header names.
type builtinName struct {
	field cdrField
	rank  int
}

// headerKey returns the form in which header names are compared: lower case, without
// white space, "_", "-", "/" or ".".
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '_' || r == '-' || r == '/' || r == '.' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// ParseMap reads a list of field=header pairs separated by commas, such as
// "a=Calling No,b=Called No,time=Start", into a CDROptions.Map. The fields are a, b,
// time, date, clock, duration, direction, kind, cell and imei; space around names is
// ignored. Returns EINVALID for an unknown field, a field given twice or a pair
// without a header.
func ParseMap(s string) (map[string]string, error) {
	m := make(map[string]string)
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		field, header, ok := strings.Cut(pair, "=")
		field, header = strings.ToLower(strings.TrimSpace(field)), strings.TrimSpace(header)
		if !ok || header == "" {
			return nil, invalid("map %s: write field=header, such as b=Called No", quote(strings.TrimSpace(pair)))
		}
		if fieldNamed(field) < 0 {
			return nil, invalid("map %s: %s is not a field; the fields are %s", quote(strings.TrimSpace(pair)), quote(field), strings.Join(fieldNames[:], ", "))
		}
		if _, dup := m[field]; dup {
			return nil, invalid("map: %s is given twice", field)
		}
		m[field] = header
	}
	return m, nil
}

// fieldNamed returns the field named name, or -1.
func fieldNamed(name string) cdrField {
	for f, n := range fieldNames {
		if n == name {
			return cdrField(f)
		}
	}
	return -1
}

// cdrReader holds what reading a CDR file's rows needs: where each field is.
type cdrReader struct {
	col   [numFields]int    // index of each field's column, -1 for none
	name  [numFields]string // each field's header as written
	ncols int
	// timeField is the field whose column holds the date and time (time, or date or
	// clock when the file has only one of them); a time of day alone in it is taken
	// with the date column's date when there is one.
	timeField cdrField
	// split is set when the date and the time of day are in separate columns.
	split bool
	loc   *time.Location
	order dateOrder
	cr    *csv.Reader
}

// ReadCDR reads a CDR, a CSV file of calls and messages of one subscriber, and calls fn
// with each row in file order.
//
// The first line that is not blank is the header. Columns are found by the header
// names below (compared in lower case, ignoring white space, "_", "-", "/" and "."), or
// by o.Map; other columns are ignored:
//
//   - a, the subscriber whose records these are: A Party, Calling No, A Number, Calling
//     Number, CALLING_NBR, A Party Number, Calling Party, MSISDN, Subscriber, Caller,
//     Originating Number, Source (required).
//   - b, the other party: B Party, Called No, B Number, Called Number, CALLED_NBR, B
//     Party Number, Called Party, DESTPHONE, Dialed Digits, Dialled Digits, Dialed
//     Number, Other Party, Other Number, Receiver, Destination (required).
//   - time, the date and time in one column: Date/Time, DateTime, Date & Time, Start
//     Date Time, Start Time, STARTTIME, Call Start, Call Date Time, Timestamp, Time
//     Stamp; or date (Date, CALL_DATE, Start Date, Call Date) and clock (Time,
//     CALL_TIME, Call Time) in two. One of these is required: a file with only a date
//     or only a clock column must write the date and time in it; a time of day alone in
//     the time column is taken with the date column's date (START_DATE, START_TIME).
//   - duration: Duration, Call Duration, DUR, Duration (sec), Duration (s), Duration
//     (secs), Seconds; whole or decimal seconds (rounded), H:MM:SS or M:SS; 0 if absent.
//   - direction (Direction, Call Direction, M_R, MO/MT, In/Out) and kind (Call Type,
//     CALL_TYPE, Type, Event Type, Record Type, Service Type, Usage Type), read alike.
//   - cell: Cell ID, CELL_ID, First Cell, FIRST_CELL, First Cell ID, 1st Cell, Cell,
//     Site ID, CGI, Cell Global ID; kept as text.
//   - imei: IMEI, ESN/IMEI, Handset IMEI, IMEI Number; kept as text.
//
// When several columns match names of one field, the one matching the name listed
// first is read; a column o.Map names is not matched by built-in names.
//
// The direction and kind columns hold, in any case and ignoring space, "-" and "_":
// MO, MOC, Outgoing, Out, O, Originating, Voice MO, Outgoing Call (a call from a to b);
// MT, MTC, Incoming, In, I, Terminating, Voice MT, Incoming Call (a call from b to a);
// SMS-MO, SMS MO, SMSMO, MO SMS, Outgoing SMS, SMS Out (an SMS from a to b); SMS-MT, MT
// SMS, Incoming SMS, SMS In (an SMS from b to a); SMS (an SMS, direction unknown);
// Voice, Call (a call, direction unknown); Data, GPRS, Data Session, Internet, MMS Data
// (a data session). When a file has both columns, each says what it says (Incoming in
// one, SMS in the other is an incoming SMS). An empty value, or no such column, says
// nothing: the row is then a call whose direction is unknown.
//
// A directed row has From the initiator (a for outgoing, b for incoming) and Directed
// set; an undirected one has From a and To b. Data sessions are skipped without being
// read further, whatever their B party (often an APN): they are no contact with anyone.
// o.Skipped, if set, counts them.
//
// Dates and times are read in the layouts 2006-01-02 15:04:05, 2006-01-02T15:04:05,
// 2006/01/02 15:04:05, 02/01/2006 15:04:05, 02-01-2006 15:04:05, 02.01.2006 15:04:05,
// 02/01/06 15:04:05, 02-Jan-2006 15:04:05, 02-Jan-06 15:04:05, 02 Jan 2006 15:04:05
// and 20060102150405, with or without seconds, with fractions of a second, 12-hour
// (03:04:05 PM) or 24-hour; o.DateOrder says whether a numeric date with the year last
// is day or month first. A time with a zone (Z, +05:00, as RFC 3339) is in that zone,
// one without in o.Location. Years before 1970 and after 2100 are refused.
//
// The separator is a comma, semicolon or tab, whichever the header line holds most of;
// quoted fields, a byte order mark, CRLF line ends, blank lines and rows of empty fields
// are tolerated. Each value is trimmed of surrounding space.
//
// Returns EINVALID, naming the line and field, for: a header without a column for a,
// b or a time, or with a column o.Map names missing; a row with another number of
// fields than the header; an empty a or b (in a row that is not a data session); a time,
// duration or call type that cannot be read; a number a spreadsheet wrote in scientific
// notation (9.23E+11); a field read that is not UTF-8; malformed quoting or a record
// over 1 MiB. Also EINVALID for options without a Location or with an unknown DateOrder
// or Map field. An error from fn stops the reading and is returned as it is.
func ReadCDR(r io.Reader, o CDROptions, fn func(caseroom.CommRow) error) error {
	if o.Skipped != nil {
		*o.Skipped = 0
	}
	if o.Location == nil {
		return invalid("no time zone given for times the file writes without one; give the case's zone")
	}
	order, err := parseDateOrder(o.DateOrder)
	if err != nil {
		return err
	}
	var mapped [numFields]string
	for f, h := range o.Map {
		field := fieldNamed(strings.ToLower(strings.TrimSpace(f)))
		if field < 0 {
			return invalid("map: %s is not a field; the fields are %s", quote(f), strings.Join(fieldNames[:], ", "))
		}
		if strings.TrimSpace(h) == "" {
			return invalid("map: no header given for %s; write %s=HEADER", fieldNames[field], fieldNames[field])
		}
		mapped[field] = h
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if _, err := skipBOM(br); err != nil {
		return err
	}
	in := &bounded.Reader{R: br, Limit: maxRecordBytes}
	cr := newCSVReader(in, sniffComma(br))
	header, err := readHeader(cr)
	if err == io.EOF {
		return errEmpty("a CDR starts with a header line naming the columns, such as A Party,B Party,Date/Time,Duration,Call Type")
	} else if err != nil {
		return csvError(err, 0)
	}
	headerLine, _ := cr.FieldPos(0)
	c := cdrReader{loc: o.Location, order: order, ncols: len(header), cr: cr}
	if err := c.findColumns(header, &mapped); err != nil {
		return err
	}
	prev := headerLine // the last line of the record read last
	var skipped int64
	for {
		in.Limit = cr.InputOffset() + maxRecordBytes
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return csvError(err, prev)
		}
		line, _ := cr.FieldPos(0)
		prev, _ = cr.FieldPos(len(rec) - 1)
		if len(rec) != c.ncols {
			if blank(rec) {
				continue
			}
			return invalid("line %d: %d fields, but the header has %d", line, len(rec), c.ncols)
		}
		row, data, err := c.row(rec)
		if err != nil {
			if blank(rec) {
				continue
			}
			return err
		}
		if data {
			skipped++
			if o.Skipped != nil {
				*o.Skipped = skipped
			}
			continue
		}
		row.Line = int64(line)
		if err := fn(row); err != nil {
			return err
		}
	}
}

// findColumns finds each field's column in header: the one mapped names, for a field
// it names, otherwise the one matching the field's best-ranked built-in name.
func (c *cdrReader) findColumns(header []string, mapped *[numFields]string) error {
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = headerKey(h)
	}
	for f := range c.col {
		c.col[f] = -1
	}
	for f, want := range mapped {
		if want == "" {
			continue
		}
		k := headerKey(want)
		i := slices.Index(keys, k)
		if i < 0 || k == "" {
			return invalid("header: no column %s for %s (given with --map %s=%s)", quote(strings.TrimSpace(want)), fieldWhat[f], fieldNames[f], strings.TrimSpace(want))
		}
		if other := slices.Index(c.col[:], i); other >= 0 {
			return invalid("header: --map gives the column %s to both %s and %s", quote(strings.TrimSpace(header[i])), fieldNames[other], fieldNames[f])
		}
		c.col[f], c.name[f] = i, strings.TrimSpace(header[i])
	}
	var rank [numFields]int
	for i, k := range keys {
		b, ok := builtinByKey[k]
		if !ok || mapped[b.field] != "" || slices.Index(c.col[:], i) >= 0 {
			continue
		}
		if c.col[b.field] >= 0 && rank[b.field] <= b.rank {
			continue
		}
		c.col[b.field], c.name[b.field], rank[b.field] = i, strings.TrimSpace(header[i]), b.rank
	}
	for _, f := range []cdrField{fieldA, fieldB} {
		if c.col[f] < 0 {
			return invalid("header: no column for %s (looked for %s); name it with --map %s=HEADER", fieldWhat[f], lookedFor(f), fieldNames[f])
		}
	}
	switch {
	case c.col[fieldTime] >= 0:
		c.timeField = fieldTime
	case c.col[fieldDate] >= 0 && c.col[fieldClock] >= 0:
		c.timeField, c.split = fieldDate, true
	case c.col[fieldDate] >= 0:
		c.timeField = fieldDate
	case c.col[fieldClock] >= 0:
		c.timeField = fieldClock
	default:
		return invalid("header: no column for the date and time (looked for %s, or %s and %s); name it with --map time=HEADER, or --map date=HEADER,clock=HEADER",
			lookedFor(fieldTime), quote(builtinHeaders[fieldDate][0]), quote(builtinHeaders[fieldClock][0]))
	}
	return nil
}

// lookedFor lists the first built-in names of field f for a message.
func lookedFor(f cdrField) string {
	names := builtinHeaders[f]
	var b strings.Builder
	for i, n := range names {
		if i == 3 {
			b.WriteString(", ...")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(n))
	}
	return b.String()
}

// callType is what the direction and kind columns say about a row.
type callType struct {
	kind callKind
	dir  int8 // 1 from a to b, -1 from b to a, 0 unknown
}

// callKind is the kind of a CDR row.
type callKind uint8

const (
	kindUnknown callKind = iota
	kindCall
	kindSMS
	kindData
)

// callTypes holds the values of the direction and kind columns by their key (lower
// case, without space, "-", "_", "/" or ".").
var callTypes = func() map[string]callType {
	m := make(map[string]callType)
	add := func(t callType, names ...string) {
		for _, n := range names {
			m[headerKey(n)] = t
		}
	}
	add(callType{kindUnknown, 1}, "MO", "Outgoing", "Out", "O", "Originating", "Outgoing Call", "Out Call")
	add(callType{kindCall, 1}, "MOC", "Voice MO", "MO Voice", "MO Call", "Outgoing Voice", "Voice Out", "Call Out")
	add(callType{kindUnknown, -1}, "MT", "Incoming", "In", "I", "Terminating", "Incoming Call", "In Call")
	add(callType{kindCall, -1}, "MTC", "Voice MT", "MT Voice", "MT Call", "Incoming Voice", "Voice In", "Call In")
	add(callType{kindSMS, 1}, "SMS-MO", "MO SMS", "MO-SMS", "Outgoing SMS", "SMS Out", "SMS Outgoing", "SMS Sent")
	add(callType{kindSMS, -1}, "SMS-MT", "MT SMS", "MT-SMS", "Incoming SMS", "SMS In", "SMS Incoming", "SMS Received")
	add(callType{kindSMS, 0}, "SMS", "Text")
	add(callType{kindCall, 0}, "Voice", "Call", "Voice Call")
	add(callType{kindData, 0}, "Data", "GPRS", "Data Session", "Internet", "MMS Data", "GPRS Data", "PDP")
	return m
}()

// lookupCallType finds v, trimmed, in callTypes without allocating for short values.
func lookupCallType(v string) (callType, bool) {
	var buf [24]byte
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == ' ' || c == '\t' || c == '_' || c == '-' || c == '/' || c == '.':
			continue
		case c >= utf8.RuneSelf:
			t, ok := callTypes[headerKey(v)]
			return t, ok
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if n == len(buf) {
			return callType{}, false
		}
		buf[n] = c
		n++
	}
	t, ok := callTypes[string(buf[:n])]
	return t, ok
}

// value returns field f of rec trimmed, "" if the file has no column for it, or a
// problem if it is not UTF-8.
func (c *cdrReader) value(rec []string, f cdrField) (string, error) {
	i := c.col[f]
	if i < 0 {
		return "", nil
	}
	v := rec[i]
	if !utf8.ValidString(v) {
		return "", c.problem(f, "not UTF-8 text; save the file as UTF-8")
	}
	return trimField(v), nil
}

// trimField trims white space from both ends of v.
func trimField(v string) string {
	if v == "" || (v[0] > ' ' && v[len(v)-1] > ' ') {
		return v
	}
	return strings.TrimSpace(v)
}

// problem returns the EINVALID error for field f of the current row.
func (c *cdrReader) problem(f cdrField, format string, args ...any) error {
	line, _ := c.cr.FieldPos(c.col[f])
	return invalid("line %d: %s: %s", line, fieldNames[f], fmt.Sprintf(format, args...))
}

// row reads one record, which has as many fields as the header. data is set for a
// data session, which is not read further.
func (c *cdrReader) row(rec []string) (row caseroom.CommRow, data bool, err error) {
	var t callType
	for _, f := range [2]cdrField{fieldDirection, fieldKind} {
		v, err := c.value(rec, f)
		if err != nil || v == "" {
			if err != nil {
				return row, false, err
			}
			continue
		}
		ct, ok := lookupCallType(v)
		if !ok {
			return row, false, c.problem(f, "%s is not a call type Caseroom knows; write MO, MT, SMS-MO, SMS-MT, SMS, Voice or Data (or Outgoing, Incoming)", quote(v))
		}
		if ct.kind != kindUnknown {
			if t.kind != kindUnknown && t.kind != ct.kind {
				return row, false, c.problem(f, "%s says another kind of communication than the %s column %s", quote(v), fieldNames[fieldDirection], quote(c.name[fieldDirection]))
			}
			t.kind = ct.kind
		}
		if ct.dir != 0 {
			if t.dir != 0 && t.dir != ct.dir {
				return row, false, c.problem(f, "%s says another direction than the %s column %s", quote(v), fieldNames[fieldDirection], quote(c.name[fieldDirection]))
			}
			t.dir = ct.dir
		}
	}
	if t.kind == kindData {
		return row, true, nil
	}
	var ends [2]caseroom.RawEndpoint
	for i, f := range [2]cdrField{fieldA, fieldB} {
		v, err := c.value(rec, f)
		switch {
		case err != nil:
			return row, false, err
		case v == "":
			return row, false, c.problem(f, "empty; every call and SMS needs both parties (rows of data sessions, which have none, are skipped)")
		case spreadsheetNumber(v):
			return row, false, c.problem(f, "%s is a number a spreadsheet wrote in scientific notation, which has lost its last digits; export the column as text", quote(v))
		}
		ends[i] = caseroom.RawEndpoint{Kind: endpointKind(v), Value: v}
	}
	if row.At, err = c.time(rec); err != nil {
		return row, false, err
	}
	dur, err := c.value(rec, fieldDuration)
	if err != nil {
		return row, false, err
	}
	var ok bool
	if row.Duration, ok = parseDuration(dur); !ok {
		return row, false, c.problem(fieldDuration, "%s is not a duration; write seconds (65) or 00:01:05", quote(dur))
	}
	if row.CellID, err = c.value(rec, fieldCell); err != nil {
		return row, false, err
	}
	if row.IMEI, err = c.value(rec, fieldIMEI); err != nil {
		return row, false, err
	}
	if spreadsheetNumber(row.IMEI) {
		return row, false, c.problem(fieldIMEI, "%s is a number a spreadsheet wrote in scientific notation, which has lost its last digits; export the column as text", quote(row.IMEI))
	}
	row.Kind = caseroom.CommCall
	if t.kind == kindSMS {
		row.Kind = caseroom.CommSMS
	}
	row.From, row.To = ends[0], ends[1]
	switch t.dir {
	case 1:
		row.Directed = true
	case -1:
		row.From, row.To, row.Directed = ends[1], ends[0], true
	}
	return row, false, nil
}

// time reads the row's date and time.
func (c *cdrReader) time(rec []string) (time.Time, error) {
	if c.split {
		return c.dateAndClock(rec, fieldClock)
	}
	f := c.timeField
	v, err := c.value(rec, f)
	if err != nil {
		return time.Time{}, err
	}
	if v == "" {
		return time.Time{}, c.problem(f, "empty; every row needs its date and time")
	}
	t, p := parseDateTime(v, c.order)
	switch {
	case p == timeSyntax && f == fieldTime && c.col[fieldDate] >= 0:
		// A time of day alone, as in START_DATE and START_TIME.
		if _, q := parseClockOnly(v); q == timeOK {
			return c.dateAndClock(rec, fieldTime)
		}
	case p == timeOK && !t.hasClock && f == fieldTime:
		return time.Time{}, c.problem(f, "%s has no time of day; write %s", quote(v), c.order.example())
	case p == timeOK && !t.hasClock:
		return time.Time{}, c.problem(f, "%s has no time of day; write %s, or name the column of the time of day with --map clock=HEADER", quote(v), c.order.example())
	}
	if p != timeOK {
		return time.Time{}, c.problem(f, "%s", describeTimeProblem(v, p, c.order))
	}
	return t.in(c.loc), nil
}

// dateAndClock reads the date from the date column and the time of day from the
// column of clockField.
func (c *cdrReader) dateAndClock(rec []string, clockField cdrField) (time.Time, error) {
	dv, err := c.value(rec, fieldDate)
	if err != nil {
		return time.Time{}, err
	}
	if dv == "" {
		return time.Time{}, c.problem(fieldDate, "empty; every row needs its date")
	}
	d, p := parseDateTime(dv, c.order)
	if p == timeOK && d.hasClock && (d.hour != 0 || d.minute != 0 || d.second != 0 || d.nano != 0 || d.hasZone) {
		p = timeSyntax // a date column may carry the midnight a spreadsheet adds, no other time
	}
	switch p {
	case timeRange:
		return time.Time{}, c.problem(fieldDate, "%s", describeTimeProblem(dv, p, c.order))
	case timeSyntax:
		ex := c.order.example()
		return time.Time{}, c.problem(fieldDate, "%s is not a date; write 2015-06-20 or %s", quote(dv), ex[:len(ex)-9])
	}
	cv, err := c.value(rec, clockField)
	if err != nil {
		return time.Time{}, err
	}
	if cv == "" {
		return time.Time{}, c.problem(clockField, "empty; every row needs its time of day")
	}
	t, q := parseClockOnly(cv)
	if q != timeOK {
		return time.Time{}, c.problem(clockField, "%s is not a time of day; write 10:00:00 or 10:00:00 PM", quote(cv))
	}
	t = t.withDate(d)
	return t.in(c.loc), nil
}
