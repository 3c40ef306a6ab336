package mediainfo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/image/bmp"

	"caseroom/internal/testdata"
	"golang.org/x/image/tiff"
)

// gradient is a benign synthetic test picture: a colour ramp with a
// filled square.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(255 * x / w), uint8(255 * y / h), 128, 255}
			if x > w/4 && x < w/2 && y > h/4 && y < h/2 {
				c = color.NRGBA{255, 255, 255, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, gradient(w, h)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, gradient(w, h), &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White})
	for y := range h {
		for x := range w {
			if (x/4+y/4)%2 == 0 { // checkerboard
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeBMP(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := bmp.Encode(&buf, gradient(w, h)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeTIFF(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := tiff.Encode(&buf, gradient(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webpLosslessHeader builds the header of a lossless (VP8L) WebP file,
// which is all DecodeConfig reads: "RIFF", size, "WEBP", a "VP8L" chunk
// whose payload is the signature byte 0x2F and a little-endian 32-bit word
// holding width-1 (bits 0-13), height-1 (bits 14-27), an alpha hint (bit
// 28) and version 0 (bits 29-31). There is no image data after it.
func webpLosslessHeader(w, h int) []byte {
	var b []byte
	b = append(b, "RIFF"...)
	b = binary.LittleEndian.AppendUint32(b, 4+8+6)
	b = append(b, "WEBPVP8L"...)
	b = binary.LittleEndian.AppendUint32(b, 5)
	b = append(b, 0x2F)
	b = binary.LittleEndian.AppendUint32(b, uint32(w-1)|uint32(h-1)<<14)
	return append(b, 0) // pad the odd-sized chunk
}

func TestInspectFormats(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want Info
	}{
		{"png", encodePNG(t, 40, 30), Info{MIME: "image/png", Extension: ".png", Width: 40, Height: 30}},
		{"jpeg", encodeJPEG(t, 33, 17), Info{MIME: "image/jpeg", Extension: ".jpg", Width: 33, Height: 17}},
		{"gif", encodeGIF(t, 20, 10), Info{MIME: "image/gif", Extension: ".gif", Width: 20, Height: 10}},
		{"bmp", encodeBMP(t, 7, 5), Info{MIME: "image/bmp", Extension: ".bmp", Width: 7, Height: 5}},
		{"tiff", encodeTIFF(t, 9, 4), Info{MIME: "image/tiff", Extension: ".tiff", Width: 9, Height: 4}},
		{"webp", webpLosslessHeader(64, 48), Info{MIME: "image/webp", Extension: ".webp", Width: 64, Height: 48}},
		{"text", []byte("Statement of witness\n"), Info{MIME: "text/plain", Extension: ".txt"}},
		{"pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), Info{MIME: "application/pdf", Extension: ".pdf"}},
		{"binary", []byte{0x00, 0x01, 0x02, 0xfe, 0xff, 0x00, 0x9c}, Info{MIME: "application/octet-stream"}},
		// mimetype calls empty content text/plain.
		{"empty", nil, Info{MIME: "text/plain", Extension: ".txt"}},
		{"png cut after 20 bytes", encodePNG(t, 40, 30)[:20], Info{MIME: "image/png", Extension: ".png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Inspect(tt.head)); diff != "" {
				t.Errorf("Inspect mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The test pictures in the shared PDQ test set are real JPEGs and PNGs of
// benign scenes; their sizes are listed in its README.
func TestInspectSharedTestdata(t *testing.T) {
	tests := []struct {
		path string
		want Info
	}{
		{"images/misc-images/wee.jpg", Info{MIME: "image/jpeg", Extension: ".jpg", Width: 34, Height: 42}},
		{"images/reg-test-input/pen-and-coaster.png", Info{MIME: "image/png", Extension: ".png", Width: 924, Height: 735}},
		{"synthetic/smooth-63x65.png", Info{MIME: "image/png", Extension: ".png", Width: 63, Height: 65}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			head := readHead(t, filepath.Join(testdata.Dir(t, "pdq"), tt.path))
			got := Inspect(head)
			// Orientation and camera depend on the photo's EXIF, which the
			// README does not list; only the type and size are checked.
			got.Camera, got.TakenAt, got.Orientation = "", nil, 0
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Inspect mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// readHead reads the first HeadSize bytes of the file at path, as a
// caller of Inspect would.
func readHead(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, HeadSize))
	if err != nil {
		t.Fatal(err)
	}
	return head
}

// byteOrder is a TIFF byte order that tests can both read and append
// with.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// tiffEntry is one IFD entry for buildTIFF. data holds the value bytes,
// already in the TIFF's byte order; if field is set, it is written as the
// entry's value field instead, so tests can plant bad offsets.
type tiffEntry struct {
	tag   uint16
	typ   uint16
	count uint32
	data  []byte
	field *uint32
}

func asciiTag(tag uint16, s string) tiffEntry {
	b := append([]byte(s), 0)
	return tiffEntry{tag: tag, typ: typeASCII, count: uint32(len(b)), data: b}
}

func shortTag(o byteOrder, tag, v uint16) tiffEntry {
	return tiffEntry{tag: tag, typ: typeShort, count: 1, data: o.AppendUint16(nil, v)}
}

func rawTag(tag, typ uint16, count, field uint32) tiffEntry {
	return tiffEntry{tag: tag, typ: typ, count: count, field: &field}
}

// buildTIFF lays out a TIFF structure: header, IFD0 at offset 8, the Exif
// IFD (if exif is not nil, with a pointer to it added to IFD0) right after,
// then the values too large for their entries. Entries are written in the
// order given.
func buildTIFF(o byteOrder, ifd0, exif []tiffEntry) []byte {
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	exifOff := 0
	if exif != nil {
		exifOff = 8 + ifdSize(len(ifd0)+1)
		ifd0 = append(ifd0, rawTag(tagExifIFD, typeLong, 1, uint32(exifOff)))
	}
	dataOff := 8 + ifdSize(len(ifd0))
	if exif != nil {
		dataOff += ifdSize(len(exif))
	}

	var b, data []byte
	if o == byteOrder(binary.LittleEndian) {
		b = append(b, "II"...)
	} else {
		b = append(b, "MM"...)
	}
	b = o.AppendUint16(b, 42)
	b = o.AppendUint32(b, 8)
	writeIFD := func(entries []tiffEntry) {
		b = o.AppendUint16(b, uint16(len(entries)))
		for _, e := range entries {
			b = o.AppendUint16(b, e.tag)
			b = o.AppendUint16(b, e.typ)
			b = o.AppendUint32(b, e.count)
			switch {
			case e.field != nil:
				b = o.AppendUint32(b, *e.field)
			case len(e.data) <= 4:
				b = append(b, e.data...)
				b = append(b, make([]byte, 4-len(e.data))...)
			default:
				b = o.AppendUint32(b, uint32(dataOff+len(data)))
				data = append(data, e.data...)
				if len(data)%2 == 1 {
					data = append(data, 0)
				}
			}
		}
		b = o.AppendUint32(b, 0) // no next IFD
	}
	writeIFD(ifd0)
	if exif != nil {
		writeIFD(exif)
	}
	return append(b, data...)
}

// jpegWithEXIF inserts an APP1 EXIF segment holding tiffData right after
// the SOI marker of jpg.
func jpegWithEXIF(t testing.TB, jpg, tiffData []byte) []byte {
	t.Helper()
	payload := append([]byte("Exif\x00\x00"), tiffData...)
	if len(payload)+2 > 0xFFFF {
		t.Fatalf("EXIF payload of %d bytes does not fit in a JPEG segment", len(payload))
	}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1)
	out = binary.BigEndian.AppendUint16(out, uint16(len(payload)+2))
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// cameraTags are the EXIF tags of the test camera, in IFD0 and the Exif
// IFD.
func cameraTags(o byteOrder) (ifd0, exif []tiffEntry) {
	ifd0 = []tiffEntry{
		asciiTag(tagMake, "Caseroom"),
		asciiTag(tagModel, "TestCam"),
		shortTag(o, tagOrientation, 6),
		asciiTag(tagDateTime, "2026:11:21 09:00:00"),
	}
	exif = []tiffEntry{asciiTag(tagDateTimeOriginal, "2026:11:20 10:15:00")}
	return ifd0, exif
}

func timePtr(t time.Time) *time.Time { return &t }

var testCamTaken = timePtr(time.Date(2026, 11, 20, 10, 15, 0, 0, time.UTC))

func TestInspectEXIF(t *testing.T) {
	jpg := encodeJPEG(t, 32, 24)
	for _, o := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		t.Run(o.String(), func(t *testing.T) {
			ifd0, exif := cameraTags(o)
			got := Inspect(jpegWithEXIF(t, jpg, buildTIFF(o, ifd0, exif)))
			want := Info{
				MIME: "image/jpeg", Extension: ".jpg", Width: 32, Height: 24,
				Camera: "Caseroom TestCam", TakenAt: testCamTaken, Orientation: 6,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Inspect mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInspectEXIFValues checks how tag values become Info fields.
func TestInspectEXIFValues(t *testing.T) {
	le := binary.LittleEndian
	tests := []struct {
		name        string
		ifd0, exif  []tiffEntry
		camera      string
		takenAt     *time.Time
		orientation int
	}{
		{
			name:    "DateTime when there is no DateTimeOriginal",
			ifd0:    []tiffEntry{asciiTag(tagDateTime, "2025:01:02 03:04:05")},
			takenAt: timePtr(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)),
		},
		{
			name:    "DateTimeOriginal wins over DateTime",
			ifd0:    []tiffEntry{asciiTag(tagDateTime, "2025:01:02 03:04:05")},
			exif:    []tiffEntry{asciiTag(tagDateTimeOriginal, "2026:11:20 10:15:00")},
			takenAt: testCamTaken,
		},
		{
			name:    "zero DateTimeOriginal falls back to DateTime",
			ifd0:    []tiffEntry{asciiTag(tagDateTime, "2025:01:02 03:04:05")},
			exif:    []tiffEntry{asciiTag(tagDateTimeOriginal, "0000:00:00 00:00:00")},
			takenAt: timePtr(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)),
		},
		{
			name: "blank and garbled dates are no time",
			ifd0: []tiffEntry{asciiTag(tagDateTime, "                   ")},
			exif: []tiffEntry{asciiTag(tagDateTimeOriginal, "yesterday")},
		},
		{
			name:    "dashed date",
			exif:    []tiffEntry{asciiTag(tagDateTimeOriginal, "2024-02-29 23:59:59")},
			takenAt: timePtr(time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)),
		},
		{
			name:   "make not repeated when the model starts with it",
			ifd0:   []tiffEntry{asciiTag(tagMake, "Canon"), asciiTag(tagModel, "Canon EOS 5D")},
			camera: "Canon EOS 5D",
		},
		{
			name:   "padding, NULs and control characters dropped",
			ifd0:   []tiffEntry{asciiTag(tagMake, "  Caseroom \x00junk"), asciiTag(tagModel, "Test\x07Cam\xff  ")},
			camera: "Caseroom TestCam",
		},
		{
			name:   "model only",
			ifd0:   []tiffEntry{asciiTag(tagModel, "TestCam")},
			camera: "TestCam",
		},
		{
			name:   "short text held inside the entry",
			ifd0:   []tiffEntry{asciiTag(tagMake, "Abc")},
			camera: "Abc",
		},
		{
			name:   "make of the wrong type ignored",
			ifd0:   []tiffEntry{shortTag(le, tagMake, 7), asciiTag(tagModel, "TestCam")},
			camera: "TestCam",
		},
		{
			name:        "orientation as LONG",
			ifd0:        []tiffEntry{{tag: tagOrientation, typ: typeLong, count: 1, data: le.AppendUint32(nil, 8)}},
			orientation: 8,
		},
		{
			name: "orientation out of range",
			ifd0: []tiffEntry{shortTag(le, tagOrientation, 9)},
		},
		{
			name: "orientation 0",
			ifd0: []tiffEntry{shortTag(le, tagOrientation, 0)},
		},
	}
	jpg := encodeJPEG(t, 8, 8)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exif := tt.exif
			if exif == nil {
				exif = []tiffEntry{} // still write an Exif IFD
			}
			got := Inspect(jpegWithEXIF(t, jpg, buildTIFF(le, tt.ifd0, exif)))
			want := Info{
				MIME: "image/jpeg", Extension: ".jpg", Width: 8, Height: 8,
				Camera: tt.camera, TakenAt: tt.takenAt, Orientation: tt.orientation,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Inspect mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInspectTIFFEXIF reads the camera tags from a TIFF file's own IFD0.
func TestInspectTIFFEXIF(t *testing.T) {
	o := binary.BigEndian
	ifd0 := []tiffEntry{
		shortTag(o, 0x0100, 2), // ImageWidth
		shortTag(o, 0x0101, 3), // ImageLength
		shortTag(o, 0x0102, 8), // BitsPerSample
		shortTag(o, 0x0103, 1), // Compression: none
		shortTag(o, 0x0106, 1), // PhotometricInterpretation: BlackIsZero
		asciiTag(tagMake, "Caseroom"),
		asciiTag(tagModel, "Scanner 2"),
		{tag: 0x0111, typ: typeLong, count: 1, data: o.AppendUint32(nil, 0)}, // StripOffsets, patched below
		shortTag(o, tagOrientation, 3),
		shortTag(o, 0x0115, 1), // SamplesPerPixel
		shortTag(o, 0x0116, 3), // RowsPerStrip
		shortTag(o, 0x0117, 6), // StripByteCounts
		asciiTag(tagDateTime, "2026:11:20 10:15:00"),
	}
	b := buildTIFF(o, ifd0, nil)
	// Point StripOffsets (entry 7) at six grey pixels appended at the end.
	o.PutUint32(b[8+2+12*7+8:], uint32(len(b)))
	b = append(b, 0, 50, 100, 150, 200, 250)

	want := Info{
		MIME: "image/tiff", Extension: ".tiff", Width: 2, Height: 3,
		Camera: "Caseroom Scanner 2", TakenAt: testCamTaken, Orientation: 3,
	}
	if diff := cmp.Diff(want, Inspect(b)); diff != "" {
		t.Errorf("Inspect mismatch (-want +got):\n%s", diff)
	}
}

// TestInspectLargeEXIF checks that a JPEG whose frame header lies past
// HeadSize, behind a full-size EXIF segment, still yields its EXIF but no
// dimensions, even when the caller passes the whole file.
func TestInspectLargeEXIF(t *testing.T) {
	o := binary.LittleEndian
	ifd0, exif := cameraTags(o)
	const maxTIFF = 0xFFFF - 2 - 6 // segment length field and "Exif\0\0"
	small := buildTIFF(o, ifd0, exif)
	pad := (maxTIFF - len(small) - 12) &^ 1 // one more entry, held outside it; even, so unpadded
	ifd0 = append(ifd0, tiffEntry{tag: 0xC4A5, typ: typeUndefined, count: uint32(pad), data: bytes.Repeat([]byte{0x55}, pad)})
	big := buildTIFF(o, ifd0, exif)
	if len(big) > maxTIFF {
		t.Fatalf("test TIFF is %d bytes, want at most %d", len(big), maxTIFF)
	}
	file := jpegWithEXIF(t, encodeJPEG(t, 32, 24), big)
	if len(file) <= HeadSize {
		t.Fatalf("test JPEG is %d bytes, want more than HeadSize", len(file))
	}
	// The padding's value is stored before those of the Exif IFD, so
	// DateTimeOriginal lies past the head and DateTime stands in for it.
	want := Info{
		MIME: "image/jpeg", Extension: ".jpg",
		Camera: "Caseroom TestCam", TakenAt: timePtr(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)), Orientation: 6,
	}
	if diff := cmp.Diff(want, Inspect(file)); diff != "" {
		t.Errorf("Inspect mismatch (-want +got):\n%s", diff)
	}
}

// malformedEXIF are damaged EXIF structures, each with what should still
// be read from it.
func malformedEXIF() []struct {
	name string
	tiff []byte
	want Info // only Camera, TakenAt and Orientation
} {
	le, be := binary.LittleEndian, binary.BigEndian
	good := func() []byte { i, e := cameraTags(le); return buildTIFF(le, i, e) }
	patch := func(b []byte, at int, v uint32) []byte { le.PutUint32(b[at:], v); return b }
	patch16 := func(b []byte, at int, v uint16) []byte { le.PutUint16(b[at:], v); return b }
	all := Info{Camera: "Caseroom TestCam", TakenAt: testCamTaken, Orientation: 6}

	return []struct {
		name string
		tiff []byte
		want Info
	}{
		{"intact", good(), all},
		{"IFD0 offset past the end", patch(good(), 4, 0xFFFFFFF0), Info{}},
		{"IFD0 offset at the last byte", func() []byte { b := good(); return patch(b, 4, uint32(len(b)-1)) }(), Info{}},
		{"IFD0 entry count 65535", patch16(good(), 8, 0xFFFF), all},
		{"Exif IFD entry count 65535", func() []byte {
			b := good()
			// IFD0 has 5 entries, so the Exif IFD starts at 8+2+60+4.
			return patch16(b, 8+2+12*5+4, 0xFFFF)
		}(), all},
		{"Exif IFD pointer past the end", buildTIFF(le, []tiffEntry{
			asciiTag(tagMake, "Caseroom"), rawTag(tagExifIFD, typeLong, 1, 0xFFFFFF00),
		}, nil), Info{Camera: "Caseroom"}},
		{"Exif IFD pointer to IFD0", buildTIFF(le, []tiffEntry{
			asciiTag(tagMake, "Caseroom"), rawTag(tagExifIFD, typeLong, 1, 8),
		}, nil), Info{Camera: "Caseroom"}},
		{"Make offset past the end", buildTIFF(le, []tiffEntry{
			rawTag(tagMake, typeASCII, 20, 0xFFFFFFF0), asciiTag(tagModel, "TestCam"),
		}, nil), Info{Camera: "TestCam"}},
		{"Make count overflowing the size", buildTIFF(be, []tiffEntry{
			rawTag(tagMake, typeASCII, 0xFFFFFFFF, 8), asciiTag(tagModel, "TestCam"),
		}, nil), Info{Camera: "TestCam"}},
		{"DOUBLE count overflowing 32 bits", buildTIFF(le, []tiffEntry{
			rawTag(tagOrientation, 12, 0x20000001, 8), asciiTag(tagModel, "TestCam"),
		}, nil), Info{Camera: "TestCam"}},
		{"orientation with zero count", buildTIFF(le, []tiffEntry{
			rawTag(tagOrientation, typeShort, 0, 6),
		}, nil), Info{}},
		{"unknown entry type", buildTIFF(le, []tiffEntry{
			rawTag(tagMake, 99, 4, 0x41414141), asciiTag(tagModel, "TestCam"),
		}, nil), Info{Camera: "TestCam"}},
		{"cut inside IFD0", good()[:8+2+12*2+5], Info{}}, // Make's value is held past the cut; Model too
		{"header only", good()[:8], Info{}},
		{"short header", []byte("II*\x00\x08"), Info{}},
		{"wrong magic", patch16(good(), 2, 43), Info{}},
		{"unknown byte order", append([]byte("XX"), good()[2:]...), Info{}},
	}
}

// TestInspectMalformedEXIF checks that damaged EXIF in a JPEG or as a TIFF
// file never panics, keeps the MIME type, and yields what is intact.
func TestInspectMalformedEXIF(t *testing.T) {
	jpg := encodeJPEG(t, 16, 16)
	for _, tt := range malformedEXIF() {
		t.Run(tt.name, func(t *testing.T) {
			got := Inspect(jpegWithEXIF(t, jpg, tt.tiff))
			want := tt.want
			want.MIME, want.Extension, want.Width, want.Height = "image/jpeg", ".jpg", 16, 16
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("in JPEG: Inspect mismatch (-want +got):\n%s", diff)
			}
			if !isTIFFHeader(tt.tiff) {
				return
			}
			got = Inspect(tt.tiff)
			got.MIME, got.Extension = "", "" // mimetype may or may not call a damaged TIFF a TIFF
			want = tt.want
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("as TIFF: Inspect mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInspectDamagedJPEGSegments checks the JPEG segment walk on broken
// segment structures.
func TestInspectDamagedJPEGSegments(t *testing.T) {
	ifd0, exif := cameraTags(binary.LittleEndian)
	withEXIF := jpegWithEXIF(t, encodeJPEG(t, 16, 16), buildTIFF(binary.LittleEndian, ifd0, exif))
	tests := []struct {
		name       string
		head       []byte
		wantCamera string
	}{
		{"EXIF segment cut short", withEXIF[:60], ""},
		{"EXIF segment cut after the Make", withEXIF[:2+4+6+8+2+12*5+4+2+12+4+9], "Caseroom"},
		{"segment length 0", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x00, 'E', 'x', 'i', 'f', 0, 0}, ""},
		{"segment length 1", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, ""},
		{"length cut in half", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00}, ""},
		{"only fill bytes", []byte{0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xFF}, ""},
		{"not a marker", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34}, ""},
		{"image data before EXIF", append([]byte{0xFF, 0xD8, 0xFF, 0xDA}, withEXIF[2:]...), ""},
		{"fill bytes and RST before EXIF", append([]byte{0xFF, 0xD8, 0xFF, 0xFF, 0xD0}, withEXIF[2:]...), "Caseroom TestCam"},
		{"XMP APP1 before EXIF", append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x07, 'h', 't', 't', 'p', ':'}, withEXIF[2:]...), "Caseroom TestCam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Inspect(tt.head)
			if got.MIME != "image/jpeg" {
				t.Errorf("MIME = %q, want image/jpeg", got.MIME)
			}
			if got.Camera != tt.wantCamera {
				t.Errorf("Camera = %q, want %q", got.Camera, tt.wantCamera)
			}
		})
	}
}

// TestInspectTruncated cuts real files at every length: no panics, and
// the type is known as soon as the magic bytes are.
func TestInspectTruncated(t *testing.T) {
	ifd0, exif := cameraTags(binary.BigEndian)
	tests := []struct {
		name     string
		file     []byte
		mime     string
		magicLen int
	}{
		{"png", encodePNG(t, 10, 10), "image/png", 8},
		{"jpeg", jpegWithEXIF(t, encodeJPEG(t, 10, 10), buildTIFF(binary.BigEndian, ifd0, exif)), "image/jpeg", 3},
		{"gif", encodeGIF(t, 10, 10), "image/gif", 6},
		{"tiff", encodeTIFF(t, 10, 10), "image/tiff", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for n := range len(tt.file) + 1 {
				got := Inspect(tt.file[:n])
				if n >= tt.magicLen && got.MIME != tt.mime {
					t.Fatalf("cut at %d: MIME = %q, want %q", n, got.MIME, tt.mime)
				}
				checkInvariants(t, got)
			}
			if got := Inspect(tt.file); got.Width != 10 || got.Height != 10 {
				t.Errorf("whole file: %dx%d, want 10x10", got.Width, got.Height)
			}
		})
	}
}

// TestInspectBoundedMemory checks that a damaged TIFF cannot make Inspect
// allocate far more than its input: offsets far past the end must not be
// buffered up to.
func TestInspectBoundedMemory(t *testing.T) {
	le := binary.LittleEndian
	farIFD := []byte("II*\x00\xf0\xff\xff\x7f")
	fullIFD := le.AppendUint16([]byte("II*\x00\x08\x00\x00\x00"), 0xFFFF)
	farStrips := buildTIFF(le, []tiffEntry{
		shortTag(le, 0x0100, 2), shortTag(le, 0x0101, 2),
		rawTag(0x0111, typeLong, 4, 0x7FFFFF00),
		rawTag(0x0140, typeShort, 768, 0x7FFFFF00), // ColorMap
	}, nil)
	for _, tt := range []struct {
		name string
		head []byte
	}{{"IFD0 far past the end", farIFD}, {"IFD0 of 65535 entries", fullIFD}, {"values far past the end", farStrips}} {
		t.Run(tt.name, func(t *testing.T) {
			const runs = 10
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range runs {
				checkInvariants(t, Inspect(tt.head))
			}
			runtime.ReadMemStats(&after)
			if perRun := (after.TotalAlloc - before.TotalAlloc) / runs; perRun > 2<<20 {
				t.Errorf("Inspect of %d bytes allocated %d bytes", len(tt.head), perRun)
			}
		})
	}
}

func TestInspectRandom(t *testing.T) {
	r := rand.New(rand.NewChaCha8([32]byte{'c', 'a', 's', 'e'}))
	prefixes := [][]byte{nil, {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', '*', 0}, []byte("MM\x00*"), []byte("\x89PNG\r\n\x1a\n")}
	for i := range 400 {
		b := make([]byte, r.IntN(4096))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		prefix := prefixes[i%len(prefixes)]
		b = append(append([]byte{}, prefix...), b...)
		got := Inspect(b)
		checkInvariants(t, got)
		if bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}) && got.MIME != "image/jpeg" {
			t.Errorf("random bytes after a JPEG header: MIME = %q", got.MIME)
		}
	}
}

// checkInvariants checks what must hold of any Info from Inspect.
func checkInvariants(t testing.TB, info Info) {
	t.Helper()
	if info.MIME == "" {
		t.Fatal("empty MIME")
	}
	if info.Width < 0 || info.Height < 0 || (info.Width == 0) != (info.Height == 0) {
		t.Fatalf("dimensions %dx%d", info.Width, info.Height)
	}
	if info.Orientation < 0 || info.Orientation > 8 {
		t.Fatalf("orientation %d", info.Orientation)
	}
	if !utf8.ValidString(info.Camera) || len(info.Camera) > 2*maxTextLen+1 {
		t.Fatalf("camera %q", info.Camera)
	}
	if info.Duration != 0 || info.Codec != "" || info.CreatedAt != nil {
		t.Fatalf("Inspect set ffprobe fields: %+v", info)
	}
}

func FuzzInspect(f *testing.F) {
	ifd0, exif := cameraTags(binary.LittleEndian)
	jpg := encodeJPEG(f, 8, 8)
	f.Add([]byte{})
	f.Add(encodePNG(f, 5, 4))
	f.Add(jpegWithEXIF(f, jpg, buildTIFF(binary.LittleEndian, ifd0, exif)))
	f.Add(buildTIFF(binary.BigEndian, ifd0, exif))
	f.Add(encodeGIF(f, 4, 4))
	f.Add(encodeBMP(f, 3, 2))
	f.Add(encodeTIFF(f, 3, 2))
	f.Add(webpLosslessHeader(3, 2))
	for _, tt := range malformedEXIF() {
		f.Add(tt.tiff)
		f.Add(jpegWithEXIF(f, jpg[:2], tt.tiff))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		checkInvariants(t, Inspect(head))
	})
}
