package mediainfo

import (
	"bytes"
	"encoding/binary"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file is a small EXIF reader: just enough of TIFF to find five tags,
// written to be safe on hostile input. Every offset is checked against the
// data before use, arithmetic is done in uint64 so it cannot overflow, no
// directory chain is followed (only IFD0 and the Exif IFD it points to), and
// nothing is allocated in proportion to a count read from the file.
//
// Where EXIF is found:
//
//   - JPEG: the file is a sequence of segments, each "FF xx" (marker) then,
//     except for SOI (D8), TEM (01) and RSTn (D0-D7), a big-endian uint16
//     length that counts itself but not the marker. EXIF is the first APP1
//     (E1) segment whose payload starts with "Exif\0\0"; the TIFF structure
//     follows those six bytes. The scan stops at SOS (DA) or EOI (D9), after
//     which entropy-coded data follows.
//   - TIFF: the file itself is the TIFF structure.
//
// The TIFF structure (all offsets from its first byte):
//
//	0  2  byte order: "II" little-endian or "MM" big-endian
//	2  2  42
//	4  4  offset of IFD0
//
// An IFD (image file directory) is a uint16 entry count, then that many
// 12-byte entries, then the uint32 offset of the next IFD (ignored here).
// An entry is:
//
//	0  2  tag
//	2  2  type: 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 6 SBYTE,
//	      7 UNDEFINED, 8 SSHORT, 9 SLONG, 10 SRATIONAL, 11 FLOAT,
//	      12 DOUBLE, 13 IFD
//	4  4  count of values
//	8  4  the values themselves if they fit in 4 bytes (left-justified),
//	      else the offset of the values
//
// Tags read: IFD0 0x010F Make (ASCII), 0x0110 Model (ASCII), 0x0112
// Orientation (SHORT), 0x0132 DateTime (ASCII), 0x8769 Exif IFD offset
// (LONG); Exif IFD 0x9003 DateTimeOriginal (ASCII). Dates are
// "YYYY:MM:DD HH:MM:SS".

// TIFF tags and types read by parseTIFF.
const (
	tagMake             = 0x010F
	tagModel            = 0x0110
	tagOrientation      = 0x0112
	tagDateTime         = 0x0132
	tagExifIFD          = 0x8769
	tagDateTimeOriginal = 0x9003

	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeUndefined = 7
	typeIFD       = 13
)

// maxTextLen bounds the bytes kept from an EXIF text value.
const maxTextLen = 128

// exifTags holds the EXIF values Inspect reports, as found.
type exifTags struct {
	make, model                string
	dateTime, dateTimeOriginal string
	orientation                int
}

// camera joins Make and Model, without repeating the Make when the Model
// already starts with it.
func (x exifTags) camera() string {
	mk, model := x.make, x.model
	if mk != "" && len(model) >= len(mk) && strings.EqualFold(model[:len(mk)], mk) {
		mk = ""
	}
	return strings.TrimSpace(mk + " " + model)
}

// takenAt parses DateTimeOriginal, else DateTime, as a UTC wall-clock time.
func (x exifTags) takenAt() *time.Time {
	for _, s := range []string{x.dateTimeOriginal, x.dateTime} {
		if t, ok := parseEXIFTime(s); ok {
			return &t
		}
	}
	return nil
}

// exifTimeLayouts are the date layouts accepted: the standard one and the
// dashed variant some software writes.
var exifTimeLayouts = []string{"2006:01:02 15:04:05", "2006-01-02 15:04:05"}

// parseEXIFTime parses an EXIF date as UTC. Blank or zero dates
// ("0000:00:00 00:00:00", which cameras write when the clock is unset) are
// not times.
func parseEXIFTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range exifTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// findEXIF finds and parses the EXIF in a JPEG or TIFF head.
func findEXIF(head []byte) (exifTags, bool) {
	switch {
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		if tiff, ok := jpegEXIF(head); ok {
			return parseTIFF(tiff)
		}
	case isTIFFHeader(head):
		return parseTIFF(head)
	}
	return exifTags{}, false
}

// isTIFFHeader reports whether b starts with a TIFF byte-order mark and 42.
func isTIFFHeader(b []byte) bool {
	return bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*"))
}

// exifPrefix starts the payload of a JPEG APP1 segment that holds EXIF.
var exifPrefix = []byte("Exif\x00\x00")

// jpegEXIF returns the TIFF structure in a JPEG's first EXIF APP1 segment,
// cut short if the segment runs past the end of b.
func jpegEXIF(b []byte) ([]byte, bool) {
	pos := 2 // after SOI
	for pos < len(b) {
		if b[pos] != 0xFF {
			return nil, false // not at a marker: damaged
		}
		for pos < len(b) && b[pos] == 0xFF { // fill bytes
			pos++
		}
		if pos >= len(b) {
			return nil, false
		}
		marker := b[pos]
		pos++
		switch {
		case marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			continue // no length
		case marker == 0xDA || marker == 0xD9:
			return nil, false // image data or end: no EXIF before it
		}
		if pos+2 > len(b) {
			return nil, false
		}
		length := int(binary.BigEndian.Uint16(b[pos:]))
		if length < 2 {
			return nil, false
		}
		end := min(pos+length, len(b))
		payload := b[pos+2 : end]
		if marker == 0xE1 && bytes.HasPrefix(payload, exifPrefix) {
			return payload[len(exifPrefix):], true
		}
		pos = end
	}
	return nil, false
}

// tiffData is a TIFF structure and its byte order.
type tiffData struct {
	b     []byte
	order binary.ByteOrder
}

// parseTIFF reads the tags Inspect reports from IFD0 and the Exif IFD of a
// TIFF structure. Damaged parts are skipped; what could be read is returned.
func parseTIFF(b []byte) (exifTags, bool) {
	var t tiffData
	switch {
	case len(b) < 8:
		return exifTags{}, false
	case b[0] == 'I' && b[1] == 'I':
		t = tiffData{b, binary.LittleEndian}
	case b[0] == 'M' && b[1] == 'M':
		t = tiffData{b, binary.BigEndian}
	default:
		return exifTags{}, false
	}
	if t.order.Uint16(b[2:]) != 42 {
		return exifTags{}, false
	}

	var x exifTags
	exifIFD, hasExifIFD := uint32(0), false
	t.eachEntry(t.order.Uint32(b[4:]), func(tag, typ uint16, count uint32, field []byte) {
		switch tag {
		case tagMake:
			x.make = t.text(typ, count, field)
		case tagModel:
			x.model = t.text(typ, count, field)
		case tagDateTime:
			x.dateTime = t.text(typ, count, field)
		case tagOrientation:
			if v, ok := t.firstUint(typ, count, field); ok && v <= 8 {
				x.orientation = int(v)
			}
		case tagExifIFD:
			if typ == typeLong || typ == typeIFD {
				if v, ok := t.firstUint(typeLong, count, field); ok {
					exifIFD, hasExifIFD = v, true
				}
			}
		}
	})
	if hasExifIFD {
		t.eachEntry(exifIFD, func(tag, typ uint16, count uint32, field []byte) {
			if tag == tagDateTimeOriginal {
				x.dateTimeOriginal = t.text(typ, count, field)
			}
		})
	}
	return x, true
}

// eachEntry calls fn for each whole entry of the IFD at off, stopping at
// the end of the data whatever the entry count says.
func (t tiffData) eachEntry(off uint32, fn func(tag, typ uint16, count uint32, field []byte)) {
	start := uint64(off)
	if start+2 > uint64(len(t.b)) {
		return
	}
	n := uint64(t.order.Uint16(t.b[start:]))
	for i := range n {
		e := start + 2 + 12*i
		if e+12 > uint64(len(t.b)) {
			return
		}
		entry := t.b[e : e+12]
		fn(t.order.Uint16(entry), t.order.Uint16(entry[2:]), t.order.Uint32(entry[4:]), entry[8:12])
	}
}

// typeSize is the byte size of one value of each TIFF type; 0 for unknown
// types.
func typeSize(typ uint16) uint64 {
	switch typ {
	case 1, 2, 6, 7:
		return 1
	case 3, 8:
		return 2
	case 4, 9, 11, 13:
		return 4
	case 5, 10, 12:
		return 8
	}
	return 0
}

// values returns the bytes of an entry's values, from the entry itself or
// from the offset it holds, or false if they lie outside the data.
func (t tiffData) values(typ uint16, count uint32, field []byte) ([]byte, bool) {
	size := typeSize(typ) * uint64(count)
	if size == 0 {
		return nil, false
	}
	if size <= 4 {
		return field[:size], true
	}
	off := uint64(t.order.Uint32(field))
	if off+size > uint64(len(t.b)) {
		return nil, false
	}
	return t.b[off : off+size], true
}

// text returns an ASCII (or UNDEFINED) entry as a clean string: cut at the
// first NUL, at most maxTextLen bytes, invalid UTF-8 and control characters
// dropped, spaces trimmed. Anything else yields "".
func (t tiffData) text(typ uint16, count uint32, field []byte) string {
	if typ != typeASCII && typ != typeUndefined {
		return ""
	}
	v, ok := t.values(typ, count, field)
	if !ok {
		return ""
	}
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	if len(v) > maxTextLen {
		v = v[:maxTextLen]
	}
	var sb strings.Builder
	for len(v) > 0 {
		r, n := utf8.DecodeRune(v)
		v = v[n:]
		if (r == utf8.RuneError && n == 1) || !unicode.IsPrint(r) {
			continue
		}
		sb.WriteRune(r)
	}
	return strings.TrimSpace(sb.String())
}

// firstUint returns the first value of a SHORT or LONG entry.
func (t tiffData) firstUint(typ uint16, count uint32, field []byte) (uint32, bool) {
	if typ != typeShort && typ != typeLong {
		return 0, false
	}
	v, ok := t.values(typ, count, field)
	if !ok {
		return 0, false
	}
	if typ == typeShort {
		return uint32(t.order.Uint16(v)), true
	}
	return t.order.Uint32(v), true
}
