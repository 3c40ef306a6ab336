package commsfile

import (
	"io"
	"time"

	"caseroom"
)

// Reader returns the reader of a format, cdr or chat, with its options as a command
// line or a query gives them: mapping (cdr: ParseMap's form), dateOrder (cdr: dmy, mdy
// or ymd) and service (chat). The reader reads times without a zone in loc (the
// case's). Options of the other format are refused, naming the option.
func Reader(format, mapping, dateOrder, service string) (func(r io.Reader, loc *time.Location, fn func(caseroom.CommRow) error) error, error) {
	var err error
	switch format {
	case "chat":
		if mapping != "" || dateOrder != "" {
			return nil, caseroom.Errorf(caseroom.EINVALID, "map, dateOrder: options of format cdr only")
		}
		return func(r io.Reader, loc *time.Location, fn func(caseroom.CommRow) error) error {
			return ReadChat(r, ChatOptions{Location: loc, Service: service}, fn)
		}, nil
	case "cdr":
		if service != "" {
			return nil, caseroom.Errorf(caseroom.EINVALID, "service: an option of format chat only")
		}
		switch dateOrder {
		case "", "dmy", "mdy", "ymd":
		default:
			return nil, caseroom.Errorf(caseroom.EINVALID, "dateOrder: %q is not dmy, mdy or ymd", dateOrder)
		}
		var m map[string]string
		if mapping != "" {
			if m, err = ParseMap(mapping); err != nil {
				return nil, err
			}
		}
		return func(r io.Reader, loc *time.Location, fn func(caseroom.CommRow) error) error {
			return ReadCDR(r, CDROptions{Map: m, Location: loc, DateOrder: dateOrder}, fn)
		}, nil
	}
	return nil, caseroom.Errorf(caseroom.EINVALID, "format: %q is neither cdr (call-detail records, CSV) nor chat (a chat service's contacts and messages)", format)
}
