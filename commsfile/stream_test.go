package commsfile_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"caseroom"
	"caseroom/commsfile"
)

// errStop is what the callbacks of these tests return.
var errStop = errors.New("stop here")

func TestCallbackErrorStopsReading(t *testing.T) {
	files := map[string]string{
		"CDR":        "A Party,B Party,Date/Time\n111,222,20/06/2015 10:00\n111,333,20/06/2015 10:01\nbad row\n",
		"our JSON":   readFile(t, "testdata/chat.json"),
		"our CSV":    readFile(t, "testdata/chat.csv"),
		"Skype":      readFile(t, "testdata/skype-messages.json"),
		"our JSON 2": `{"format":"caseroom-chat/1","messages":[{"from":"a","to":"b","at":"2015-06-02T10:00:00Z"},{"bad":1}]}`,
	}
	for name, in := range files {
		t.Run(name, func(t *testing.T) {
			calls := 0
			fn := func(caseroom.CommRow) error {
				calls++
				return fmt.Errorf("write row: %w", errStop)
			}
			var err error
			if name == "CDR" {
				err = commsfile.ReadCDR(strings.NewReader(in), commsfile.CDROptions{Location: pkt}, fn)
			} else {
				err = commsfile.ReadChat(strings.NewReader(in), commsfile.ChatOptions{Location: pkt}, fn)
			}
			if !errors.Is(err, errStop) || err.Error() != "write row: stop here" {
				t.Errorf("error %v, want fn's error as it is", err)
			}
			if caseroom.ErrorCode(err) != caseroom.EINTERNAL {
				t.Errorf("fn's error became %s", caseroom.ErrorCode(err))
			}
			if calls != 1 {
				t.Errorf("fn called %d times, want once", calls)
			}
		})
	}
}

// generator is a long file: head, then body(i) for i = 0, 1, ..., until 64 MiB,
// counting what has been read of it.
type generator struct {
	head string
	body func(i int) string
	buf  []byte
	i    int
	read int64
}

func (g *generator) Read(p []byte) (int, error) {
	if g.read >= 64<<20 {
		return 0, io.EOF
	}
	if g.head != "" {
		g.buf, g.head = append(g.buf, g.head...), ""
	}
	for len(g.buf) < len(p) {
		g.buf = append(g.buf, g.body(g.i)...)
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	g.read += int64(n)
	return n, nil
}

// TestStreams checks that each reader gives rows as it reads: the first rows of a long
// file (one Skype conversation of 64 MiB, say) come after only a little of it is read.
func TestStreams(t *testing.T) {
	tests := []struct {
		name string
		g    *generator
		read func(io.Reader, func(caseroom.CommRow) error) error
	}{
		{"CDR", &generator{
			head: "A Party,B Party,Date/Time,Duration,Call Type\n",
			body: func(i int) string {
				return fmt.Sprintf("0300%07d,0321%07d,20/06/2015 10:%02d:00,%d,MO\n", i, i, i%60, i%600)
			},
		}, func(r io.Reader, fn func(caseroom.CommRow) error) error {
			return commsfile.ReadCDR(r, commsfile.CDROptions{Location: pkt}, fn)
		}},
		{"Skype", &generator{
			head: `{"userId":"8:live:rafiq.fictional","conversations":[{"id":"8:live:buyer.fictional","MessageList":[`,
			body: func(i int) string {
				return `{"originalarrivaltime":"2015-06-02T10:00:00Z","messagetype":"RichText","content":"` + strings.Repeat("x", i%500) +
					`","conversationid":"8:live:buyer.fictional","from":"8:live:rafiq.fictional"},`
			},
		}, chatReader},
		{"our JSON", &generator{
			head: `{"format":"caseroom-chat/1","messages":[`,
			body: func(i int) string {
				return `{"from":"a","to":"b","at":"2015-06-02T10:00:00Z","duration":` + fmt.Sprint(i) + `},`
			},
		}, chatReader},
		{"our CSV", &generator{
			head: "from,to,at\n",
			body: func(i int) string { return fmt.Sprintf("a%d,b,2015-06-02T10:00:00Z\n", i) },
		}, chatReader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const rows = 20000
			n := 0
			err := tt.read(tt.g, func(caseroom.CommRow) error {
				if n++; n == rows {
					return errStop
				}
				return nil
			})
			if err != errStop {
				t.Fatalf("error %v after %d rows", err, n)
			}
			// 20,000 rows are a few MB; the readers buffer 64 KiB and one record.
			if max := int64(rows*600 + 1<<20); tt.g.read > max {
				t.Errorf("read %d bytes for %d rows", tt.g.read, rows)
			}
		})
	}
}

func chatReader(r io.Reader, fn func(caseroom.CommRow) error) error {
	return commsfile.ReadChat(r, commsfile.ChatOptions{Location: pkt}, fn)
}
