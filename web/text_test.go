package web

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"caseroom"
)

// TestCheckText is the text rule on single strings: UTF-8 without control characters;
// tabs and line breaks in free text only.
func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		name, s   string
		multiline bool
		want      string // "" for accepted, else the message
	}{
		{"plain", "Operation Kite", false, ""},
		{"Urdu", "کالا", false, ""},
		{"emoji and U+FFFD as sent", "ok \U0001F600 \uFFFD", false, ""},
		{"empty", "", false, ""},
		{"NUL", "a\x00b", false, "title: contains a control character (U+0000) at byte 1; remove it"},
		{"NUL in free text", "a\x00b", true, "title: contains a control character (U+0000) at byte 1; remove it"},
		{"escape", "\x1b[31mred", false, "title: contains a control character (U+001B) at byte 0; remove it"},
		{"DEL", "a\x7f", false, "title: contains a control character (U+007F) at byte 1; remove it"},
		{"line break in one line", "a\nb", false, "title: contains a control character (U+000A) at byte 1; this field takes a single line, without tabs or line breaks"},
		{"tab in one line", "a\tb", false, "title: contains a control character (U+0009) at byte 1; this field takes a single line, without tabs or line breaks"},
		{"line breaks and tabs in free text", "a\r\n\tb", true, ""},
		{"invalid UTF-8", "ab\xff", false, "title: is not valid UTF-8 (byte 2); send text as UTF-8"},
		{"a lone continuation byte", "\x80", true, "title: is not valid UTF-8 (byte 0); send text as UTF-8"},
		{"C1 controls are letters' neighbours, not refused", "a\u0085b", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkText("title", tc.s, tc.multiline)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && caseroom.ErrorCode(err) != caseroom.EINVALID:
				t.Errorf("error %v; want EINVALID %q", err, tc.want)
			case tc.want != "" && caseroom.ErrorMessage(err) != tc.want:
				t.Errorf("message %q; want %q", caseroom.ErrorMessage(err), tc.want)
			}
		})
	}
}

// TestDecodeAppliesTheTextRule decodes bodies into request types and checks that the
// string breaking the rule is named by its path, and that free text keeps its lines.
func TestDecodeAppliesTheTextRule(t *testing.T) {
	for _, tc := range []struct {
		name  string
		body  string
		into  func() any
		field string // "" for accepted
	}{
		{"a case's title", `{"title":"Kite\u0000"}`, func() any { return &caseroom.NewCase{} }, "title"},
		{"a name's source", `{"names":[{"name":"A"},{"name":"B","source":"S-1\u0000"}],"roles":["suspect"]}`, func() any { return &caseroom.NewPerson{} }, "names[1].source"},
		{"an alias given as a string", `{"aliases":["A","\u0007"],"roles":["suspect"]}`, func() any { return &caseroom.NewPerson{} }, "aliases[1].alias"},
		{"a parent", `{"parents":["x\ny"],"roles":["suspect"]}`, func() any { return &caseroom.NewPerson{} }, "parents[0]"},
		{"an address over lines", `{"address":"1 Mall Road\nLahore","roles":["suspect"]}`, func() any { return &caseroom.NewPerson{} }, ""},
		{"a statement's text over lines", `{"kind":"statement","title":"T","text":"She said:\n\tno.\r\n"}`, func() any { return &caseroom.NewDocument{} }, ""},
		{"a document's title over lines", `{"kind":"report","title":"T\nU","text":"x"}`, func() any { return &caseroom.NewDocument{} }, "title"},
		{"someone present", `{"kind":"statement","present":["per_a",{"person":"per_b","capacity":"guardian\u0000"}]}`, func() any { return &caseroom.NewDocument{} }, "present[1].capacity"},
		{"a subject", `{"kind":"other","title":"T","subjects":["V-0001","V-0002\u001f"]}`, func() any { return &caseroom.NewAction{} }, "subjects[1]"},
		{"a language of an officer", `{"languages":{"lena":["ur","pa\u0000"]}}`, func() any { return &caseroom.NewSafeguardRules{} }, "languages.lena[1]"},
		{"an officer's name as a key", `{"languages":{"le\u0000na":["ur"]}}`, func() any { return &caseroom.NewSafeguardRules{} }, "languages"},
		{"a custody event's purpose over lines", `{"event":"examined","purpose":"Imaging.\nHash check."}`, func() any { return &caseroom.NewCustodyEvent{} }, ""},
		{"a custody event's kind", `{"event":"examined\u0000"}`, func() any { return &caseroom.NewCustodyEvent{} }, "event"},
		{"invalid UTF-8 in a link's from", "{\"from\":\"S-1\xff\",\"to\":\"x\"}", func() any { return &caseroom.NewLink{} }, "from"},
		{"invalid UTF-8 in a nested name", "{\"names\":[{\"name\":\"ok\"},{\"name\":\"A\xc3\"}]}", func() any { return &caseroom.NewPerson{} }, "names[1].name"},
		{"invalid UTF-8 in a member's name", "{\"ti\xfftle\":\"x\"}", func() any { return &caseroom.NewCase{} }, "ti\uFFFDtle"},
		{"invalid UTF-8 outside any string", "{\"title\":\"x\"}\xff", func() any { return &caseroom.NewCase{} }, "body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := decodeBody([]byte(tc.body), tc.into())
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if caseroom.ErrorCode(err) != caseroom.EINVALID || !namesField(caseroom.ErrorMessage(err), tc.field) {
				t.Fatalf("error %v; want EINVALID naming %q", err, tc.field)
			}
		})
	}
}

// TestDecodeIsStrict checks the shape of a body: one JSON object and nothing more.
func TestDecodeIsStrict(t *testing.T) {
	for _, body := range []string{``, ` `, `null`, `"Kala"`, `5`, `true`, `[]`, `[{"title":"x"}]`, `{"title":"x"} {}`, `{"title":"x"}x`,
		`{"title":"x"`, `{"title":}`, `{"title":"x","colour":"red"}`, `{"title":5}`} {
		err := decodeBody([]byte(body), &caseroom.NewCase{})
		if caseroom.ErrorCode(err) != caseroom.EINVALID {
			t.Errorf("%q: error %v; want EINVALID", body, err)
		}
	}
	for _, body := range []string{`{"title":"x"}`, " {\"title\":\"x\"}\n", `{}`} {
		if err := decodeBody([]byte(body), &caseroom.NewCase{}); err != nil {
			t.Errorf("%q: %v", body, err)
		}
	}
}

func TestCheckForm(t *testing.T) {
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"a statement over lines", url.Values{"title": {"T"}, "text": {"Line one.\r\nLine two."}}, ""},
		{"a title with a NUL", url.Values{"title": {"T\x00"}}, "title"},
		{"a second value", url.Values{"implicates": {"per_a", "per_b\x00"}}, "implicates"},
		{"a reason with an escape", url.Values{"reason": {"ok\x1b"}}, "reason"},
		{"a giver over lines", url.Values{"giver": {"a\r\nb"}}, "giver"},
		{"invalid UTF-8", url.Values{"place": {"Kasur\xff"}}, "place"},
		{"a field name", url.Values{"ti\x00tle": {"T"}}, "form field"},
		{"any password", url.Values{"user": {"lena"}, "password": {"pass\x00word\xff"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkForm(tc.form)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !namesField(caseroom.ErrorMessage(err), tc.field) {
				t.Fatalf("error %v; want one naming %q", err, tc.field)
			}
		})
	}
}

// FuzzDecodeBody feeds arbitrary bodies to the decoder of a request with strings at
// every depth: it must not panic, it refuses with EINVALID only, and whatever it
// accepts holds no string that breaks the text rule.
func FuzzDecodeBody(f *testing.F) {
	for _, seed := range []string{`{"kind":"statement","title":"T","text":"a\nb","present":["per_a",{"person":"p"}]}`,
		"{\"title\":\"\xff\"}", `{"names":[{"name":"A\u0000"}]}`, `"x"`, `{"a":1}{}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var nd caseroom.NewDocument
		err := decodeBody(body, &nd)
		if err != nil {
			if caseroom.ErrorCode(err) != caseroom.EINVALID {
				t.Fatalf("error %v; want EINVALID", err)
			}
			return
		}
		if !utf8.Valid(body) {
			t.Fatalf("accepted a body that is not UTF-8: %q", body)
		}
		for _, s := range []string{nd.Title, nd.Ref, nd.Giver, nd.Place} {
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Fatalf("accepted %q", s)
			}
		}
	})
}
