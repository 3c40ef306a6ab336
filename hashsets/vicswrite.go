package hashsets

import (
	"bufio"
	"encoding/json"
	"io"
	"iter"
	"strconv"
)

// VICSContext is the "@odata.context" that VICSWriter writes: the VICS 2.0 default data
// model, which tools check for before they read a file (IPED compares it exactly).
const VICSContext = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media"

// VICSWriter writes a VICS 2.0 hash set entry by entry. It writes hashes and categories
// only: per Media object MediaID, Category, MD5, SHA1, MediaSize (when not 0) and
// AlternativeHashes holding SHA256 and PDQ, each only when present. It leaves out the
// VICS flags and the series. The layout, one Media object per line:
//
//	{"@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media","value":[
//	{"MediaID":7,"Category":1,"MD5":"…","SHA1":"…","MediaSize":2835,"AlternativeHashes":[{"HashName":"SHA256","HashValue":"…"},{"HashName":"PDQ","HashValue":"…"}]},
//	…
//	]}
//
// MediaID and Category are written as JSON numbers when they are whole numbers of up to
// 15 digits without leading zeros (so that they survive readers that keep numbers as
// doubles), as strings otherwise. Hex is written lowercase. What it writes, ReadVICS reads
// back as the same entries, less the fields it leaves out.
type VICSWriter struct {
	w   *bufio.Writer
	n   int // entries written
	buf []byte
}

// NewVICSWriter starts a VICS hash set on w. Close must be called to end it.
func NewVICSWriter(w io.Writer) *VICSWriter {
	vw := &VICSWriter{w: bufio.NewWriter(w)}
	vw.w.WriteString(`{"@odata.context":"` + VICSContext + `","value":[`) // errors come back on Flush
	return vw
}

// Write writes one entry. Returns EINVALID, writing nothing, for an entry without a hash
// or with a hash, MediaID or Category that ReadVICS would refuse; the writer stays usable.
// Otherwise returns the underlying writer's error, if it has failed.
func (vw *VICSWriter) Write(e Entry) error {
	e, problem := normalise(e)
	if problem != "" {
		return entryError(vw.n+1, "", problem)
	}
	b := vw.buf[:0]
	if vw.n > 0 {
		b = append(b, ',')
	}
	b = append(b, "\n{"...)
	sep := false
	field := func(name string) {
		if sep {
			b = append(b, ',')
		}
		sep = true
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
	}
	if e.MediaID != "" {
		field("MediaID")
		b = appendNumberOrString(b, e.MediaID)
	}
	if e.Category != "" {
		field("Category")
		b = appendNumberOrString(b, e.Category)
	}
	if e.MD5 != "" {
		field("MD5")
		b = strconv.AppendQuote(b, e.MD5) // hex needs no escaping
	}
	if e.SHA1 != "" {
		field("SHA1")
		b = strconv.AppendQuote(b, e.SHA1)
	}
	if e.Size != 0 {
		field("MediaSize")
		b = strconv.AppendInt(b, e.Size, 10)
	}
	if e.SHA256 != "" || e.PDQ != nil {
		field("AlternativeHashes")
		b = append(b, '[')
		if e.SHA256 != "" {
			b = append(b, `{"HashName":"SHA256","HashValue":"`...)
			b = append(b, e.SHA256...)
			b = append(b, `"}`...)
		}
		if e.PDQ != nil {
			if e.SHA256 != "" {
				b = append(b, ',')
			}
			b = append(b, `{"HashName":"PDQ","HashValue":"`...)
			b = append(b, e.PDQ.String()...)
			b = append(b, `"}`...)
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	vw.buf = b
	if _, err := vw.w.Write(b); err != nil {
		return err
	}
	vw.n++
	return nil
}

// Close ends the hash set and flushes it to the underlying writer. It does not close that
// writer.
func (vw *VICSWriter) Close() error {
	vw.w.WriteString("\n]}\n")
	return vw.w.Flush()
}

// WriteVICS writes entries to w as a VICS 2.0 hash set, as VICSWriter does. It stops at
// the first entry that VICSWriter refuses, returning EINVALID, or at the first error
// from w; what it wrote by then is not a complete file.
func WriteVICS(w io.Writer, entries iter.Seq[Entry]) error {
	vw := NewVICSWriter(w)
	for e := range entries {
		if err := vw.Write(e); err != nil {
			return err
		}
	}
	return vw.Close()
}

// appendNumberOrString appends s as a JSON number if it is a whole number of up to 15
// digits without a leading zero, otherwise as a JSON string.
func appendNumberOrString(b []byte, s string) []byte {
	if isSmallWholeNumber(s) {
		return append(b, s...)
	}
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

func isSmallWholeNumber(s string) bool {
	if len(s) == 0 || len(s) > 15 || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
