package commsfile

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"caseroom"
	"caseroom/internal/bounded"
)

// ChatOptions says how to read a chat file.
type ChatOptions struct {
	// Location is the zone of times written without one, the case's zone; required.
	Location *time.Location
	// Service is the service of the endpoints when the file does not say (our
	// layouts); a Skype export is always "skype".
	Service string
}

// The layouts ReadChat reads.
const (
	chatFormat = "caseroom-chat/1"
	// skypeService is the service of the endpoints of a Skype export.
	skypeService = "skype"
)

// ReadChat reads a chat file, telling its layout by its start, and calls fn with each
// row in file order:
//
//   - a JSON object whose first member is "format" must be our JSON layout,
//     caseroom-chat/1 (the package documentation and docs/comms-formats.md describe it);
//   - another JSON object is read as a Skype export, the messages.json of Skype's
//     "Export your data" (see below);
//   - anything else must be our CSV layout, whose header names at least from, to and
//     at.
//
// A Skype export is read one message at a time; "userId" must come before
// "conversations", as Skype writes them. The "8:" before a Skype user's id is dropped
// (8:live:rafiq.g is the handle live:rafiq.g); "4:", a phone number Skype called, is
// dropped too and the rest is a phone number. Only one-to-one conversations are read:
// those whose id is a user (8:) or a phone number (4:); group chats (19:), bots (28:) and
// Skype's own conversations (48:, such as its call logs and notifications) are skipped.
// Of the messages, "Text", "RichText" and "RichText/..." (text, files, pictures, voice
// messages, contacts and places sent) and "EndToEndEncryption/EncryptedText" are rows of
// kind message; "Event/Call..." are rows of kind call, with the duration the content's
// first <duration> element gives, 0 if none (Skype can write one call as a message when
// it starts and another, with the duration, when it ends: each is a row); all others
// ("ThreadActivity/...", "Notice", "PopCard", "Poll", "Control/...") are skipped. From is the message's "from"; To is the
// conversation's other side (the conversation when From is the export's user, the user
// otherwise). The other side's Name is the conversation's "displayName". At is the
// message's "originalarrivaltime". A row's Line is the message's number among all
// messages of the file, skipped ones included, counting from 1.
//
// Returns EINVALID, naming the record (JSON) or line (CSV) and the field, for a file of
// none of these layouts, malformed JSON or CSV, a missing or malformed required field,
// an unknown field in our layouts, a token or record over 8 MiB (JSON) or 1 MiB (CSV),
// or options without a Location. An error from fn stops the reading and is returned as
// it is.
func ReadChat(r io.Reader, o ChatOptions, fn func(caseroom.CommRow) error) error {
	if o.Location == nil {
		return invalid("no time zone given for times the file writes without one; give the case's zone")
	}
	o.Service = strings.TrimSpace(o.Service)
	br := bufio.NewReaderSize(r, 64<<10)
	offset, err := skipBOM(br)
	if err != nil {
		return err
	}
	// Look past white space for the first byte, which tells the layout.
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			if err == io.EOF {
				return errEmpty("a chat file is JSON (caseroom-chat/1 or a Skype export) or CSV with the header service,from,to,at,kind,duration")
			} else if err == bufio.ErrBufferFull {
				return invalid("not a chat file Caseroom reads: it starts with %d bytes of white space", n-1)
			}
			return fmt.Errorf("read chat file: %w", err)
		}
		switch b[n-1] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return readChatJSON(br, int64(offset), o, fn)
		case '[':
			return invalid("not a chat file Caseroom reads: a JSON array; Caseroom reads a JSON object of format %s or a Skype export (messages.json)", chatFormat)
		}
		return readChatCSV(br, o, fn)
	}
}

// chatColumns are the columns of our CSV layout, in the order Caseroom writes them.
var chatColumns = [...]string{"service", "from", "to", "at", "kind", "duration", "from_name", "to_name", "country"}

// The indexes of chatColumns.
const (
	chatService = iota
	chatFrom
	chatTo
	chatAt
	chatKind
	chatDuration
	chatFromName
	chatToName
	chatCountry
)

// readChatCSV reads our CSV layout from br.
func readChatCSV(br *bufio.Reader, o ChatOptions, fn func(caseroom.CommRow) error) error {
	in := &bounded.Reader{R: br, Limit: maxRecordBytes}
	cr := newCSVReader(in, sniffComma(br))
	header, err := readHeader(cr)
	if err == io.EOF {
		return errEmpty("a chat file is JSON (caseroom-chat/1 or a Skype export) or CSV with the header service,from,to,at,kind,duration")
	} else if err != nil {
		return csvError(err, 0)
	}
	var col [len(chatColumns)]int
	for i := range col {
		col[i] = -1
	}
	unknown := -1
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		j := indexOf(chatColumns[:], name)
		switch {
		case j < 0 && unknown < 0:
			unknown = i
		case j < 0:
		case col[j] >= 0:
			return invalid("header: columns %d and %d are both %s", col[j]+1, i+1, name)
		default:
			col[j] = i
		}
	}
	if col[chatFrom] < 0 || col[chatTo] < 0 || col[chatAt] < 0 {
		return invalid("not a chat file Caseroom reads: neither JSON nor CSV whose header names from, to and at (Caseroom's chat CSV has the header %s)", strings.Join(chatColumns[:], ","))
	}
	if unknown >= 0 {
		return invalid("header: column %d, %s, is not one of %s", unknown+1, quote(strings.TrimSpace(header[unknown])), strings.Join(chatColumns[:], ", "))
	}
	ncols := len(header)
	prev, _ := cr.FieldPos(0)
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
		if blank(rec) {
			continue
		}
		if len(rec) != ncols {
			return invalid("line %d: %d fields, but the header has %d", line, len(rec), ncols)
		}
		var v [len(chatColumns)]string
		for j, i := range col {
			if i < 0 {
				continue
			}
			if !utf8.ValidString(rec[i]) {
				at, _ := cr.FieldPos(i)
				return invalid("line %d: %s: not UTF-8 text; save the file as UTF-8", at, chatColumns[j])
			}
			v[j] = strings.TrimSpace(rec[i])
		}
		problem := func(j int, format string, args ...any) error {
			at, _ := cr.FieldPos(col[j])
			return invalid("line %d: %s: %s", at, chatColumns[j], fmt.Sprintf(format, args...))
		}
		for _, j := range []int{chatFrom, chatTo, chatAt} {
			if v[j] == "" {
				return problem(j, "empty; every row needs from, to and at")
			}
		}
		service := v[chatService]
		if service == "" {
			service = o.Service
		}
		row := caseroom.CommRow{
			Line:     int64(line),
			From:     caseroom.RawEndpoint{Kind: endpointKind(v[chatFrom]), Value: v[chatFrom], Service: service, Name: v[chatFromName]},
			To:       caseroom.RawEndpoint{Kind: endpointKind(v[chatTo]), Value: v[chatTo], Service: service, Name: v[chatToName]},
			Directed: true,
		}
		var msg string
		if row.To.Country, msg = checkCountry(v[chatCountry]); msg != "" {
			return problem(chatCountry, "%s", msg)
		}
		if row.Kind, msg = chatKindNamed(v[chatKind], true); msg != "" {
			return problem(chatKind, "%s", msg)
		}
		var ok bool
		if row.Duration, ok = parseDuration(v[chatDuration]); !ok {
			return problem(chatDuration, "%s is not a duration; write seconds (65) or 00:01:05", quote(v[chatDuration]))
		}
		if row.At, msg = chatTime(v[chatAt], o.Location); msg != "" {
			return problem(chatAt, "%s", msg)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// indexOf returns the index of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// chatKindNamed reads the kind of a chat row ("" is a message); withContact allows
// "contact".
func chatKindNamed(v string, withContact bool) (caseroom.CommKind, string) {
	switch strings.ToLower(v) {
	case "", "message":
		return caseroom.CommMessage, ""
	case "call":
		return caseroom.CommCall, ""
	case "sms":
		return caseroom.CommSMS, ""
	case "contact":
		if withContact {
			return caseroom.CommContact, ""
		}
	}
	if withContact {
		return "", fmt.Sprintf("%s is not a kind; write message, call, sms or contact", quote(v))
	}
	return "", fmt.Sprintf("%s is not a kind; write message, call or sms", quote(v))
}

// chatTime reads the time of a chat row, in loc if it has no zone, or returns a problem.
func chatTime(v string, loc *time.Location) (time.Time, string) {
	t, p := parseDateTime(v, orderDMY)
	switch {
	case p == timeRange:
		return time.Time{}, describeTimeProblem(v, p, orderDMY)
	case p != timeOK:
		return time.Time{}, fmt.Sprintf("%s is not a date and time; write 2015-06-02T10:00:00Z (RFC 3339)", quote(v))
	case !t.hasClock:
		return time.Time{}, fmt.Sprintf("%s has no time of day; write 2015-06-02T10:00:00Z (RFC 3339)", quote(v))
	}
	return t.in(loc), ""
}
