package hashsets_test

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"caseroom"
	"caseroom/hashsets"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// streamed feeds what write writes to read through a pipe, and checks that the live heap
// stays small while read goes through the entries: it samples the heap after a
// collection every 10000 entries. It returns the number of entries read.
func streamed(t *testing.T, write func(w io.Writer), read func(io.Reader, func(hashsets.Entry) error) (hashsets.Stats, error)) int {
	const bound = 8 << 20
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriter(pw)
		write(bw)
		pw.CloseWithError(bw.Flush())
	}()
	in := &countingReader{r: pr}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, uint64(0)
	n := 0
	stats, err := read(in, func(e hashsets.Entry) error {
		if n++; n%10000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	pr.Close()
	if err != nil {
		t.Fatal(err)
	}
	if stats.Entries != n {
		t.Errorf("Stats.Entries = %d, fn saw %d", stats.Entries, n)
	}
	if in.n < 4*bound {
		t.Fatalf("only %d bytes of input: too few to show that memory stays below %d", in.n, bound)
	}
	if peak > base+bound {
		t.Errorf("live heap grew by %d bytes reading %d bytes; want less than %d", peak-base, in.n, bound)
	}
	t.Logf("%d entries, %d bytes: live heap grew by at most %d bytes", n, in.n, int64(peak)-int64(base))
	return n
}

const streamEntries = 200_000

func TestReadVICSStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 200000 entries")
	}
	n := streamed(t, func(w io.Writer) {
		fmt.Fprintf(w, `{"@odata.context":%q,"value":[`, context2)
		for i := range streamEntries {
			if i > 0 {
				io.WriteString(w, ",\n")
			}
			fmt.Fprintf(w, `{"MediaID":%d,"Category":%d,"MD5":"%032x","SHA1":"%040x","MediaSize":%d,"IsDistributed":"true",`+
				`"AlternativeHashes":[{"HashName":"PDQ","HashValue":"%064x"}],"MediaFiles":[{"FileName":"made-up-%d.jpg"}]}`,
				i+1, i%3, i, i, 1000+i, i, i)
		}
		io.WriteString(w, "]}")
	}, hashsets.ReadVICS)
	if n != streamEntries {
		t.Errorf("read %d entries, want %d", n, streamEntries)
	}
}

func TestReadCSVStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 200000 entries")
	}
	n := streamed(t, func(w io.Writer) {
		io.WriteString(w, "FileName,md5,sha1,sha256,pdq,category\r\n")
		for i := range streamEntries {
			fmt.Fprintf(w, "made-up-%d.jpg,%032x,%040x,%064x,%064x,%d\r\n", i, i, i, i, i, i%3)
		}
	}, hashsets.ReadCSV)
	if n != streamEntries {
		t.Errorf("read %d entries, want %d", n, streamEntries)
	}
}

// endless gives prefix, then the byte fill for ever.
type endless struct {
	prefix string
	fill   byte
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.prefix)
	e.prefix = e.prefix[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.fill
	}
	return len(p), nil
}

// A value without end stops the reader at MaxEntryBytes instead of filling memory.
func TestReadTooLarge(t *testing.T) {
	big := strings.Repeat("a", hashsets.MaxEntryBytes)
	for _, c := range []struct {
		name string
		read func(io.Reader, func(hashsets.Entry) error) (hashsets.Stats, error)
		in   io.Reader
		err  string
	}{
		{"VICS entry", hashsets.ReadVICS, &endless{prefix: `{"odata.metadata":"x","value":[{"MediaID":7,"Comments":"`, fill: 'a'},
			"entry 1 (MediaID 7): larger than 1048576 bytes"},
		{"VICS entry nested deep", hashsets.ReadVICS, &endless{prefix: `{"odata.metadata":"x","value":[{"MediaID":7,"Comments":`, fill: '['},
			"entry 1 (MediaID 7): malformed JSON near byte offset 55: invalid character '[' exceeded max depth"},
		{"VICS second entry", hashsets.ReadVICS, strings.NewReader(vics2(`{"MD5":"`+md5A+`"}`, `{"MediaID":8,"MD5":"`+md5B+`","Comments":"`+big+`"}`)),
			"entry 2 (MediaID 8): larger than 1048576 bytes"},
		{"VICS outside the entries", hashsets.ReadVICS, &endless{prefix: `{"odata.metadata":"`, fill: 'a'},
			"no complete JSON value within 1048576 bytes after byte offset 18"},
		{"VICS space between entries", hashsets.ReadVICS, &endless{prefix: strings.TrimSuffix(vics2(`{"MD5":"`+md5A+`"}`), "]}"), fill: ' '},
			"no complete JSON value within 1048576 bytes after byte offset 157"},
		{"CSV header", hashsets.ReadCSV, &endless{prefix: "md5,", fill: 'a'},
			"the header is larger than 1048576 bytes"},
		{"CSV record", hashsets.ReadCSV, &endless{prefix: "md5,note\n" + md5A + ",x\n\n" + md5B + ",", fill: 'a'},
			"the record after line 2 is larger than 1048576 bytes"},
		{"CSV quoted field", hashsets.ReadCSV, &endless{prefix: "md5,note\n" + md5A + ",\"", fill: '\n'},
			"the record after line 1 is larger than 1048576 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.read(c.in, func(hashsets.Entry) error { return nil })
			if caseroom.ErrorCode(err) != caseroom.EINVALID || caseroom.ErrorMessage(err) != c.err {
				t.Fatalf("error:\n got %v\nwant %s", err, c.err)
			}
		})
	}
}

// benchVICS is n made-up entries in the shape of a VICS 2.0 export.
func benchVICS(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"@odata.context":%q,"value":[`, context2)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"@odata.id":"Media(%d)","MediaID":%d,"Category":%d,"MD5":"%032X","SHA1":"%040X","MediaSize":%d,`+
			`"DateUpdated":"2026-01-02T03:04:05.0000Z","IsPrecategorized":"false","VictimIdentified":false,"IsDistributed":"true","Series":null,`+
			`"AlternativeHashes":[{"HashName":"PhotoDNA","HashValue":"AAMANwABAD0AAQA9HgEBQ5oAFlFMAA0dAwYXcQMHDYcZBg2GUgotfcYAabpdABVPIyn"},{"HashName":"PDQ","HashValue":"%064x"}],`+
			`"MediaFiles":[{"FileName":"made-up-%d.jpg","FilePath":"a/b/c","Exif":{"Make":null,"Model":null}}]}`,
			i+1, i+1, i%3, i, i, 1000+i, i, i)
	}
	b.WriteString("]}")
	return b.String()
}

func BenchmarkReadVICS(b *testing.B) {
	in := benchVICS(10000)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := hashsets.ReadVICS(strings.NewReader(in), func(hashsets.Entry) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadCSV(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("FileName,md5,sha1,sha256,pdq,category\r\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "made-up-%d.jpg,%032x,%040x,%064x,%064x,%d\r\n", i, i, i, i, i, i%3)
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := hashsets.ReadCSV(strings.NewReader(in), func(hashsets.Entry) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
