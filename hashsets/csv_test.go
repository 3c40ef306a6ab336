package hashsets_test

import (
	"errors"
	"strings"
	"testing"

	"caseroom"
	"caseroom/hashsets"
)

func csvCases(t testing.TB) []readCase {
	return []readCase{
		{
			name: "md5, sha1 and category",
			in:   "md5,sha1,category\n" + md5A + "," + sha1A + ",1\n" + md5B + ",,2\n",
			want: []hashsets.Entry{{MD5: md5A, SHA1: sha1A, Category: "1", Line: 2}, {MD5: md5B, Category: "2", Line: 3}},
		},
		{
			name: "byte order mark, CRLF, other spellings and columns",
			in: "\xef\xbb\xbfFileName,MD5,SHA-1,SHA-256,PDQ,Category\r\n" +
				`"made-up, name.jpg",` + strings.ToUpper(md5A) + "," + sha1A + "," + sha256A + "," + strings.ToUpper(pdqA) + ",0\r\n" +
				"x.png,,,," + pdqB + ",\r\n",
			want: []hashsets.Entry{
				{MD5: md5A, SHA1: sha1A, SHA256: sha256A, PDQ: pdqHash(t, pdqA), Category: "0", Line: 2},
				{PDQ: pdqHash(t, pdqB), Line: 3},
			},
		},
		{
			name: "semicolons",
			in:   "MD5;SHA1;PhotoDNA;Image ID;Series name\n" + md5A + ";" + sha1A + ";AAMANwAB;17;Fictional, with a comma\n",
			want: []hashsets.Entry{{MD5: md5A, SHA1: sha1A, Line: 2}},
		},
		{
			name: "tabs",
			in:   "sha_256\tcategory\n" + sha256A + "\tB\n",
			want: []hashsets.Entry{{SHA256: sha256A, Category: "B", Line: 2}},
		},
		{
			name: "space around names and values",
			in:   " Md5 , Category \n " + md5A + " , 2 \n",
			want: []hashsets.Entry{{MD5: md5A, Category: "2", Line: 2}},
		},
		{
			name: "blank lines and rows of commas",
			in:   "\n\nsha1,category\n\n" + sha1A + ",1\n,\n , \n\n" + sha1B + ",2\n,,,\n",
			want: []hashsets.Entry{{SHA1: sha1A, Category: "1", Line: 5}, {SHA1: sha1B, Category: "2", Line: 9}},
		},
		{
			name: "a field over two lines",
			in:   "note,md5\n\"two\nlines\"," + md5A + "\n\"one\"," + md5B + "\n",
			want: []hashsets.Entry{{MD5: md5A, Line: 2}, {MD5: md5B, Line: 4}},
		},
		{
			name: "header only",
			in:   "md5,sha1\n",
		},
		{
			name: "empty",
			in:   "",
			err:  "the file is empty",
		},
		{
			name: "no hash column",
			in:   "name,size\nx.jpg,12\n",
			err:  "line 1: the header names no hash column; the first line must name the columns, at least one of md5, sha1, sha256 or pdq (category is optional)",
		},
		{
			name: "no header",
			in:   md5A + ",1\n" + md5B + ",2\n",
			err:  "line 1: the header names no hash column; the first line must name the columns, at least one of md5, sha1, sha256 or pdq (category is optional)",
		},
		{
			name: "a column twice",
			in:   "md5,sha1,MD5\n",
			err:  "line 1: columns 1 (md5) and 3 (MD5) both hold MD5",
		},
		{
			name: "sha1 twice by two spellings",
			in:   "sha1,SHA-1\n",
			err:  "line 1: columns 1 (sha1) and 2 (SHA-1) both hold SHA1",
		},
		{
			name: "too few fields",
			in:   "md5,sha1,category\n" + md5A + "," + sha1A + ",1\n" + md5B + ",1\n",
			want: []hashsets.Entry{{MD5: md5A, SHA1: sha1A, Category: "1", Line: 2}},
			err:  "line 3: 2 fields, but the header has 3",
		},
		{
			name: "too many fields",
			in:   "md5\n" + md5A + ",1\n",
			err:  "line 2: 2 fields, but the header has 1",
		},
		{
			name: "md5 too short",
			in:   "md5,category\n" + md5A + ",1\n\nxyz,2\n",
			want: []hashsets.Entry{{MD5: md5A, Category: "1", Line: 2}},
			err:  `line 4, column 1 (md5): "xyz" is not 32 hex characters`,
		},
		{
			name: "sha256 not hex",
			in:   "category,SHA256\n1," + strings.Repeat("z", 64) + "\n",
			err:  `line 2, column 2 (SHA256): "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" is not 64 hex characters`,
		},
		{
			name: "sha1 too long",
			in:   "sha1\n" + strings.Repeat("2a", 50) + "\n",
			err:  `line 2, column 1 (sha1): "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a"… is not 40 hex characters`,
		},
		{
			name: "pdq too short",
			in:   "md5,pdq\n" + md5A + ",abc\n",
			err:  `line 2, column 2 (pdq): "abc" is not 64 hex characters`,
		},
		{
			name: "bad hash after a line break in a field",
			in:   "note,md5\n\"two\nlines\",xyz\n",
			err:  `line 3, column 2 (md5): "xyz" is not 32 hex characters`,
		},
		{
			name: "a row without a hash",
			in:   "md5,sha1,category\n,,1\n",
			err:  "line 2: no hash; fill at least one of the columns md5, sha1",
		},
		{
			name: "control character in the category",
			in:   "md5,category\n" + md5A + ",1\x01\n",
			err:  `line 2, column 2 (category): the category "1\x01" contains a control character`,
		},
		{
			name: "bare quote",
			in:   "md5,note\n" + md5A + ",say \"x\"\n",
			err:  `line 2: bare " in non-quoted-field (at byte 38 of the line)`,
		},
		{
			name: "unclosed quote",
			in:   "md5,note\n" + md5A + ",\"open\n\n",
			err:  `line 3: extraneous or missing " in quoted-field (at byte 2 of the line; the record starts on line 2)`,
		},
	}
}

func TestReadCSV(t *testing.T) {
	for _, c := range csvCases(t) {
		t.Run(c.name, func(t *testing.T) {
			got, stats, err := collect(hashsets.ReadCSV, c.in)
			checkRead(t, c, got, err)
			if stats.Entries != len(got) {
				t.Errorf("Stats.Entries = %d, fn saw %d", stats.Entries, len(got))
			}
		})
	}
}

func TestReadCSVStats(t *testing.T) {
	in := "md5,sha1,sha256,pdq\n" + md5A + ",,," + pdqA + "\n," + sha1A + "," + sha256A + ",\n" + md5B + ",,,\n"
	_, stats, err := collect(hashsets.ReadCSV, in)
	if err != nil {
		t.Fatal(err)
	}
	want := hashsets.Stats{Entries: 3, MD5: 2, SHA1: 1, SHA256: 1, PDQ: 1}
	if stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
}

func TestReadCSVCallbackError(t *testing.T) {
	stop := errors.New("stop")
	in := "md5\n" + md5A + "\n" + md5B + "\n"
	stats, err := hashsets.ReadCSV(strings.NewReader(in), func(hashsets.Entry) error { return stop })
	if err != stop || stats.Entries != 0 {
		t.Fatalf("error = %v, Stats.Entries = %d; want the callback's error and 0", err, stats.Entries)
	}
}

func TestReadCSVReaderError(t *testing.T) {
	broken := errors.New("disk on fire")
	_, err := hashsets.ReadCSV(&failingReader{data: "md5\n" + md5A, err: broken}, func(hashsets.Entry) error { return nil })
	if !errors.Is(err, broken) || caseroom.ErrorCode(err) != caseroom.EINTERNAL {
		t.Fatalf("error = %v, want the reader's, as EINTERNAL", err)
	}
}

// Read tells the formats apart and numbers CSV lines as ReadCSV does, blank lines
// before the header included.
func TestRead(t *testing.T) {
	for _, c := range []struct {
		name, in, format string
		want             []hashsets.Entry
		err              string
	}{
		{"VICS", "\xef\xbb\xbf \r\n\t" + vics2(`{"MD5":"`+md5A+`"}`), hashsets.FormatVICS, []hashsets.Entry{{MD5: md5A, Line: 1}}, ""},
		{"VICS error offset after a byte order mark and space", "\xef\xbb\xbf\n\n" + `{"odata.metadata":"x","value":[}`, hashsets.FormatVICS, nil, "malformed JSON near byte offset 36: invalid character '}' looking for beginning of value"},
		{"JSON array", "[]", hashsets.FormatVICS, nil, "the file is not VICS JSON: the root must be an object, not an array"},
		{"CSV", "\xef\xbb\xbfmd5\n" + md5A + "\n", hashsets.FormatCSV, []hashsets.Entry{{MD5: md5A, Line: 2}}, ""},
		{"CSV after blank lines", "\r\n\n  md5\n" + md5A + "\nxyz\n", hashsets.FormatCSV, []hashsets.Entry{{MD5: md5A, Line: 4}}, `line 5, column 1 (md5): "xyz" is not 32 hex characters`},
		{"tab-separated with an unnamed first column", "\tmd5\tsha1\n7\t" + md5A + "\t" + sha1A + "\n", hashsets.FormatCSV, []hashsets.Entry{{MD5: md5A, SHA1: sha1A, Line: 2}}, ""},
		{"CSV bare quote after blank lines", "\n\nmd5\n\"x\"y\n", hashsets.FormatCSV, nil, `line 4: extraneous or missing " in quoted-field (at byte 3 of the line)`},
		{"empty", "", "", nil, "the file is empty"},
		{"only space", "\xef\xbb\xbf \n \n", "", nil, "the file is empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []hashsets.Entry
			format, _, err := hashsets.Read(strings.NewReader(c.in), func(e hashsets.Entry) error {
				got = append(got, e)
				return nil
			})
			if format != c.format {
				t.Errorf("format = %q, want %q", format, c.format)
			}
			checkRead(t, readCase{want: c.want, err: c.err}, got, err)
		})
	}
}
