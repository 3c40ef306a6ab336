package commsfile

import (
	"io"
	"time"

	"caseroom"
)

// Reader returns the reader of a format, cdr or chat, with its options as a command
// line or a query gives them: mapping (cdr: ParseMap's form), dateOrder (cdr: dmy, mdy
// or ymd) and service (chat). Times without a zone are read in the IANA zone (the
// case's); a zone the system does not know reads as UTC. Options of the other format
// are refused, naming the option.
func Reader(format, zone, mapping, dateOrder, service string) (func(io.Reader, func(caseroom.CommRow) error) error, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	switch format {
	case "chat":
		if mapping != "" || dateOrder != "" {
			return nil, caseroom.Errorf(caseroom.EINVALID, "map, dateOrder: options of format cdr only")
		}
		o := ChatOptions{Location: loc, Service: service}
		return func(r io.Reader, fn func(caseroom.CommRow) error) error { return ReadChat(r, o, fn) }, nil
	case "cdr":
		if service != "" {
			return nil, caseroom.Errorf(caseroom.EINVALID, "service: an option of format chat only")
		}
		switch dateOrder {
		case "", "dmy", "mdy", "ymd":
		default:
			return nil, caseroom.Errorf(caseroom.EINVALID, "dateOrder: %q is not dmy, mdy or ymd", dateOrder)
		}
		o := CDROptions{Location: loc, DateOrder: dateOrder}
		if mapping != "" {
			if o.Map, err = ParseMap(mapping); err != nil {
				return nil, err
			}
		}
		return func(r io.Reader, fn func(caseroom.CommRow) error) error { return ReadCDR(r, o, fn) }, nil
	}
	return nil, caseroom.Errorf(caseroom.EINVALID, "format: %q is neither cdr (call-detail records, CSV) nor chat (a chat service's contacts and messages)", format)
}
