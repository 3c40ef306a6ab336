package hashsets_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/hashsets"
	"caseroom/pdq"
)

// Made-up hashes: no file has them.
var (
	md5A    = strings.Repeat("0a", 16)
	md5B    = strings.Repeat("0b", 16)
	sha1A   = strings.Repeat("1a", 20)
	sha1B   = strings.Repeat("1b", 20)
	sha256A = strings.Repeat("2a", 32)
	pdqA    = strings.Repeat("3a", 32)
	pdqB    = strings.Repeat("3b", 32)
)

const (
	context1 = "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media"
	context2 = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media"
)

// vics2 is a VICS 2.0 file holding the given Media objects.
func vics2(media ...string) string {
	return `{"@odata.context":"` + context2 + `","value":[` + strings.Join(media, ",") + `]}`
}

func vics1(media ...string) string {
	return `{"odata.metadata":"` + context1 + `","value":[` + strings.Join(media, ",") + `]}`
}

func ptr[T any](v T) *T { return &v }

func pdqHash(t testing.TB, s string) *pdq.Hash {
	t.Helper()
	h, err := pdq.ParseHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return &h
}

// readCase is one input for a reader: the entries it gives before it stops, and the
// message of the error it stops with ("" for none).
type readCase struct {
	name string
	in   string
	want []hashsets.Entry
	err  string
}

func vicsCases(t testing.TB) []readCase {
	return []readCase{
		{
			name: "VICS 2.0 with numbers and fields to ignore",
			in: vics2(`{"@odata.id":"Media(1001)","MediaID":1001,"Category":1,"MD5":"` + strings.ToUpper(md5A) + `","SHA1":"` + sha1A + `",` +
				`"MediaSize":2835,"DateUpdated":"2026-01-02T03:04:05.0000Z","IsPrecategorized":"true","Comments":[{"Comment":"x"}],` +
				`"MediaFiles":[{"FileName":"made-up.jpg","FilePath":"a/b","Exif":{"Make":null}}],"Tags":null}`),
			want: []hashsets.Entry{{MediaID: "1001", Category: "1", MD5: md5A, SHA1: sha1A, Size: 2835, Line: 1}},
		},
		{
			name: "VICS 1.x with strings",
			in: vics1(`{"odata.id":"x","MediaID":"1002","Category":"2","MD5":"`+md5A+`","MediaSize":"12",`+
				`"VictimIdentified":"True","OffenderIdentified":"false","IsDistributed":true,"Series":" Fictional Series "}`,
				`{"MediaID":"A-7","Category":0,"SHA1":"`+strings.ToUpper(sha1B)+`","VictimIdentified":false,"IsDistributed":"FALSE"}`),
			want: []hashsets.Entry{
				{MediaID: "1002", Category: "2", MD5: md5A, Size: 12, VictimIdentified: ptr(true), OffenderIdentified: ptr(false), IsDistributed: ptr(true), Series: "Fictional Series", Line: 1},
				{MediaID: "A-7", Category: "0", SHA1: sha1B, VictimIdentified: ptr(false), IsDistributed: ptr(false), Line: 2},
			},
		},
		{
			name: "byte order mark and indentation",
			in:   "\xef\xbb\xbf{\n  \"@odata.context\": \"" + context2 + "\",\n  \"value\": [\n    {\n      \"MediaID\": 5,\n      \"MD5\": \"" + md5A + "\"\n    }\n  ]\n}\n",
			want: []hashsets.Entry{{MediaID: "5", MD5: md5A, Line: 1}},
		},
		{
			name: "AlternativeHashes",
			in: vics2(`{"MediaID":6,"AlternativeHashes":[{"HashName":"PhotoDNA","HashValue":"AAMANwAB"},` +
				`{"HashValue":"` + strings.ToUpper(pdqA) + `","HashName":"PDQ","Quality":100},{"HashName":"sha-256","HashValue":"` + sha256A + `"},` +
				`{"HashName":"TMK","HashValue":{"frames":[1,2]}},{"HashName":null},{}]}`),
			want: []hashsets.Entry{{MediaID: "6", SHA256: sha256A, PDQ: pdqHash(t, pdqA), Line: 1}},
		},
		{
			name: "null and empty values are absent",
			in: vics2(`{"MediaID":null,"Category":null,"MD5":"","SHA1":"` + sha1A + `","SHA256":null,"MediaSize":"",` +
				`"VictimIdentified":null,"OffenderIdentified":"","IsDistributed":null,"Series":null,"AlternativeHashes":null}`),
			want: []hashsets.Entry{{SHA1: sha1A, Line: 1}},
		},
		{
			name: "field names in any case, SHA256 at the top",
			in:   vics2(`{"mediaid":8,"CATEGORY":"3","md5":"` + md5A + `","Sha256":"` + sha256A + `","alternativehashes":[{"hashname":"pdq","hashvalue":"` + pdqA + `"}]}`),
			want: []hashsets.Entry{{MediaID: "8", Category: "3", MD5: md5A, SHA256: sha256A, PDQ: pdqHash(t, pdqA), Line: 1}},
		},
		{
			name: "the same hash twice",
			in:   vics2(`{"MediaID":9,"SHA1":"` + sha1A + `","AlternativeHashes":[{"HashName":"SHA1","HashValue":"` + strings.ToUpper(sha1A) + `"},{"HashName":"PDQ","HashValue":"` + pdqA + `"},{"HashName":"PDQ","HashValue":"` + pdqA + `"}]}`),
			want: []hashsets.Entry{{MediaID: "9", SHA1: sha1A, PDQ: pdqHash(t, pdqA), Line: 1}},
		},
		{
			name: "Media in Cases",
			in: vics2(`{"CaseID":"C-1","Name":"Fictional","Media":[{"MediaID":11,"MD5":"`+md5A+`"},{"MediaID":12,"MD5":"`+md5B+`"}],"CaseNumber":"x"}`,
				`{"Media":[]}`, `{"Media":[{"MediaID":13,"SHA1":"`+sha1A+`","Media":[1]}]}`),
			want: []hashsets.Entry{{MediaID: "11", MD5: md5A, Line: 1}, {MediaID: "12", MD5: md5B, Line: 2}, {MediaID: "13", SHA1: sha1A, Line: 3}},
		},
		{
			name: "a Case with hashes",
			in:   vics2(`{"MediaID":11,"MD5":"` + md5A + `","Media":[{"MediaID":12,"MD5":"` + md5B + `"}]}`),
			want: []hashsets.Entry{{MediaID: "12", MD5: md5B, Line: 1}},
			err:  "entry 2 (MediaID 11): has hashes and a Media array; a Case (with a Media array) has no hashes of its own",
		},
		{
			name: "other root fields, value first",
			in:   `{"odata.count":1,"value":[{"MediaID":14,"MD5":"` + md5A + `"}],"@odata.nextLink":{"x":[1]},"@odata.context":"` + context2 + `"}`,
			want: []hashsets.Entry{{MediaID: "14", MD5: md5A, Line: 1}},
		},
		{
			name: "no media",
			in:   vics2(),
		},
		{
			name: "empty file",
			in:   " \n",
			err:  "the file is empty",
		},
		{
			name: "root is an array",
			in:   `[{"MD5":"` + md5A + `"}]`,
			err:  "the file is not VICS JSON: the root must be an object, not an array",
		},
		{
			name: "root is a string",
			in:   `"media"`,
			err:  `the file is not VICS JSON: the root must be an object, not the string "media"`,
		},
		{
			name: "no metadata",
			in:   `{"value":[]}`,
			err:  `the file is not VICS JSON: it has neither "odata.metadata" (VICS 1.x) nor "@odata.context" (VICS 2.0)`,
		},
		{
			name: "metadata is a number",
			in:   `{"@odata.context":5,"value":[]}`,
			err:  `the file is not VICS JSON: "@odata.context" must be a string, not the number 5`,
		},
		{
			name: "no value",
			in:   `{"odata.metadata":"` + context1 + `"}`,
			err:  `the file is not VICS JSON: it has no "value" array of media`,
		},
		{
			name: "value is an object",
			in:   `{"odata.metadata":"` + context1 + `","value":{"MD5":"` + md5A + `"}}`,
			err:  `the file is not VICS JSON: "value" must be an array, not an object`,
		},
		{
			name: "value is null",
			in:   `{"odata.metadata":"` + context1 + `","value":null}`,
			err:  `the file is not VICS JSON: "value" must be an array, not null`,
		},
		{
			name: "two value arrays",
			in:   `{"odata.metadata":"` + context1 + `","value":[],"Value":[]}`,
			err:  `the file is not VICS JSON: it has two "value" arrays`,
		},
		{
			name: "entry is a number",
			in:   vics2(`{"MediaID":1,"MD5":"`+md5A+`"}`, `5`),
			want: []hashsets.Entry{{MediaID: "1", MD5: md5A, Line: 1}},
			err:  "entry 2: must be an object, not the number 5",
		},
		{
			name: "MD5 is a number",
			in:   vics2(`{"MediaID":7,"MD5":12345}`),
			err:  "entry 1 (MediaID 7): MD5 must be a string, not the number 12345",
		},
		{
			name: "MD5 too short, MediaID after it",
			in:   vics2(`{"MediaID":1,"MD5":"`+md5A+`"}`, `{"MD5":"xyz","MediaID":1234}`),
			want: []hashsets.Entry{{MediaID: "1", MD5: md5A, Line: 1}},
			err:  `entry 2 (MediaID 1234): MD5 "xyz" is not 32 hex characters`,
		},
		{
			name: "MD5 not hex",
			in:   vics2(`{"MediaID":7,"MD5":"` + strings.Repeat("g", 32) + `"}`),
			err:  `entry 1 (MediaID 7): MD5 "gggggggggggggggggggggggggggggggg" is not 32 hex characters`,
		},
		{
			name: "SHA1 is an MD5",
			in:   vics2(`{"MediaID":7,"SHA1":"` + md5A + `"}`),
			err:  `entry 1 (MediaID 7): SHA1 "` + md5A + `" is not 40 hex characters`,
		},
		{
			name: "SHA1 is an object",
			in:   vics2(`{"MediaID":7,"SHA1":{"Value":"` + sha1A + `"}}`),
			err:  `entry 1 (MediaID 7): SHA1 must be a string, not an object`,
		},
		{
			name: "MediaSize is an object",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","MediaSize":{"Bytes":12}}`),
			err:  "entry 1 (MediaID 7): MediaSize must be a whole number of bytes, not an object",
		},
		{
			name: "MediaSize is negative",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","MediaSize":-1}`),
			err:  "entry 1 (MediaID 7): MediaSize must be a whole number of bytes, not the number -1",
		},
		{
			name: "MediaSize is a fraction",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","MediaSize":1.5}`),
			err:  "entry 1 (MediaID 7): MediaSize must be a whole number of bytes, not the number 1.5",
		},
		{
			name: "MediaSize has a unit",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","MediaSize":"12kb"}`),
			err:  `entry 1 (MediaID 7): MediaSize must be a whole number of bytes, not the string "12kb"`,
		},
		{
			name: "VictimIdentified is yes",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","VictimIdentified":"yes"}`),
			err:  `entry 1 (MediaID 7): VictimIdentified must be true or false, not the string "yes"`,
		},
		{
			name: "IsDistributed is a number",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","IsDistributed":1}`),
			err:  `entry 1 (MediaID 7): IsDistributed must be true or false, not the number 1`,
		},
		{
			name: "OffenderIdentified is an array",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","OffenderIdentified":[true]}`),
			err:  `entry 1 (MediaID 7): OffenderIdentified must be true or false, not an array`,
		},
		{
			name: "MediaID is an object",
			in:   vics2(`{"MediaID":{"id":7},"MD5":"` + md5A + `"}`),
			err:  "entry 1: MediaID must be a number or a string, not an object",
		},
		{
			name: "MediaID is true",
			in:   vics2(`{"MediaID":true,"MD5":"` + md5A + `"}`),
			err:  "entry 1: MediaID must be a number or a string, not true",
		},
		{
			name: "MediaID too long",
			in:   vics2(`{"MediaID":"` + strings.Repeat("7", 129) + `","MD5":"` + md5A + `"}`),
			err:  "entry 1: MediaID is longer than 128 bytes",
		},
		{
			name: "Category is an array",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","Category":[1]}`),
			err:  "entry 1 (MediaID 7): Category must be a number or a string, not an array",
		},
		{
			name: "Category has a control character",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","Category":"1\u0007"}`),
			err:  `entry 1 (MediaID 7): Category "1\a" contains a control character`,
		},
		{
			name: "Series is a number",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","Series":3}`),
			err:  "entry 1 (MediaID 7): Series must be a string, not the number 3",
		},
		{
			name: "AlternativeHashes is an object",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","AlternativeHashes":{"PDQ":"` + pdqA + `"}}`),
			err:  "entry 1 (MediaID 7): AlternativeHashes must be an array, not an object",
		},
		{
			name: "AlternativeHashes item is a string",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","AlternativeHashes":["` + pdqA + `"]}`),
			err:  `entry 1 (MediaID 7): AlternativeHashes item 1 must be an object, not the string "` + pdqA + `"`,
		},
		{
			name: "HashName is a number",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","AlternativeHashes":[{"HashName":"PDQ","HashValue":"` + pdqA + `"},{"HashName":1,"HashValue":"x"}]}`),
			err:  "entry 1 (MediaID 7): AlternativeHashes item 2: HashName must be a string, not the number 1",
		},
		{
			name: "PDQ too short",
			in:   vics2(`{"MediaID":7,"AlternativeHashes":[{"HashName":"PDQ","HashValue":"abc"}]}`),
			err:  `entry 1 (MediaID 7): PDQ "abc" is not 64 hex characters`,
		},
		{
			name: "PDQ is a number",
			in:   vics2(`{"MediaID":7,"AlternativeHashes":[{"HashName":"PDQ","HashValue":5}]}`),
			err:  "entry 1 (MediaID 7): AlternativeHashes item 1 (PDQ): HashValue must be a string, not the number 5",
		},
		{
			name: "two different SHA1",
			in:   vics2(`{"MediaID":7,"SHA1":"` + sha1A + `","AlternativeHashes":[{"HashName":"SHA1","HashValue":"` + sha1B + `"}]}`),
			err:  "entry 1 (MediaID 7): two different SHA1 hashes, " + sha1A + " and " + sha1B,
		},
		{
			name: "two different PDQ",
			in:   vics2(`{"MediaID":7,"AlternativeHashes":[{"HashName":"PDQ","HashValue":"` + pdqA + `"},{"HashName":"PDQ","HashValue":"` + pdqB + `"}]}`),
			err:  "entry 1 (MediaID 7): two different PDQ hashes, " + pdqA + " and " + pdqB,
		},
		{
			name: "no hash",
			in:   vics2(`{"MediaID":7,"Category":1,"AlternativeHashes":[{"HashName":"PhotoDNA","HashValue":"AAMANwAB"}]}`),
			err:  "entry 1 (MediaID 7): no hash; give at least one of MD5, SHA1, or SHA256 or PDQ in AlternativeHashes",
		},
		{
			name: "the first problem of an entry",
			in:   vics2(`{"MediaID":7,"MD5":"x","SHA1":5}`),
			err:  `entry 1 (MediaID 7): MD5 "x" is not 32 hex characters`,
		},
		{
			name: "malformed JSON in an entry",
			in:   `{"odata.metadata":"x","value":[{"MediaID":7,"MD5" "` + md5A + `"}]}`,
			err:  `entry 1 (MediaID 7): malformed JSON near byte offset 50: expected colon after object key`,
		},
		{
			name: "malformed JSON between entries",
			in:   `{"odata.metadata":"x","value":[{"MD5":"` + md5A + `"}}`,
			want: []hashsets.Entry{{MD5: md5A, Line: 1}},
			err:  `malformed JSON near byte offset 73: invalid character '}' after array element`,
		},
		{
			name: "ends in an entry",
			in:   `{"odata.metadata":"x","value":[{"MediaID":7,"MD5":"` + md5A,
			err:  "entry 1 (MediaID 7): the file ends too early",
		},
		{
			name: "ends after an entry",
			in:   `{"odata.metadata":"x","value":[{"MediaID":7,"MD5":"` + md5A + `"}`,
			want: []hashsets.Entry{{MediaID: "7", MD5: md5A, Line: 1}},
			err:  "the file ends too early",
		},
		{
			name: "goes on after the object",
			in:   vics2() + "\n{}",
			err:  "the file goes on after its JSON object, which ends at byte offset 116",
		},
		{
			name: "nested deep",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","Junk":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}`),
			want: []hashsets.Entry{{MediaID: "7", MD5: md5A, Line: 1}},
		},
		{
			name: "nested too deep",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","Junk":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`),
			err:  "entry 1 (MediaID 7): malformed JSON near byte offset 176: invalid character '[' exceeded max depth",
		},
		{
			name: "nested too deep in AlternativeHashes",
			in:   vics2(`{"MediaID":7,"MD5":"` + md5A + `","AlternativeHashes":{"x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}}`),
			err:  "entry 1 (MediaID 7): JSON nested more than 10000 deep at byte offset 10193",
		},
	}
}

// collect runs a reader over in and returns the entries it gave and its error.
func collect(read func(io.Reader, func(hashsets.Entry) error) (hashsets.Stats, error), in string) ([]hashsets.Entry, hashsets.Stats, error) {
	var got []hashsets.Entry
	stats, err := read(strings.NewReader(in), func(e hashsets.Entry) error {
		got = append(got, e)
		return nil
	})
	return got, stats, err
}

// checkRead checks a reader's entries and error against c.
func checkRead(t *testing.T, c readCase, got []hashsets.Entry, err error) {
	t.Helper()
	if diff := cmp.Diff(c.want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if c.err == "" {
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		return
	}
	if caseroom.ErrorCode(err) != caseroom.EINVALID || caseroom.ErrorMessage(err) != c.err {
		t.Fatalf("error:\n got %v\nwant %s", err, c.err)
	}
}

func TestReadVICS(t *testing.T) {
	for _, c := range vicsCases(t) {
		t.Run(c.name, func(t *testing.T) {
			got, stats, err := collect(hashsets.ReadVICS, c.in)
			checkRead(t, c, got, err)
			if stats.Entries != len(got) {
				t.Errorf("Stats.Entries = %d, fn saw %d", stats.Entries, len(got))
			}
		})
	}
}

func TestReadVICSStats(t *testing.T) {
	in := vics2(`{"MD5":"`+md5A+`","SHA1":"`+sha1A+`"}`, `{"MD5":"`+md5B+`","AlternativeHashes":[{"HashName":"PDQ","HashValue":"`+pdqA+`"}]}`,
		`{"AlternativeHashes":[{"HashName":"SHA256","HashValue":"`+sha256A+`"}]}`)
	_, stats, err := collect(hashsets.ReadVICS, in)
	if err != nil {
		t.Fatal(err)
	}
	want := hashsets.Stats{Entries: 3, MD5: 2, SHA1: 1, SHA256: 1, PDQ: 1}
	if stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
}

// The callback's error stops the reading and comes back as it is.
func TestReadVICSCallbackError(t *testing.T) {
	stop := errors.New("stop")
	in := vics2(`{"MD5":"`+md5A+`"}`, `{"MD5":"`+md5B+`"}`, `{"MD5":"`+md5A+`"}`)
	n := 0
	stats, err := hashsets.ReadVICS(strings.NewReader(in), func(hashsets.Entry) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Fatalf("error = %v, want the callback's", err)
	}
	if n != 2 || stats.Entries != 1 {
		t.Errorf("fn called %d times, Stats.Entries = %d; want 2 and 1", n, stats.Entries)
	}
}

// failingReader gives data, then fails.
type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// A failing reader's error is not mistaken for bad input.
func TestReadVICSReaderError(t *testing.T) {
	broken := errors.New("disk on fire")
	in := vics2(`{"MD5":"` + md5A + `"}`)
	_, err := hashsets.ReadVICS(&failingReader{data: in[:60], err: broken}, func(hashsets.Entry) error { return nil })
	if !errors.Is(err, broken) || caseroom.ErrorCode(err) != caseroom.EINTERNAL {
		t.Fatalf("error = %v, want the reader's, as EINTERNAL", err)
	}
}
