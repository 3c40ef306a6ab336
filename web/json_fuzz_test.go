package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// decodeTargets are request bodies of the API that FuzzDecode decodes into: ones with
// times, nested objects, arrays and the types that decode themselves (an alias or a
// person present: a string or an object).
var decodeTargets = []struct {
	name string
	new  func() any
}{
	{"NewPerson", func() any { return new(caseroom.NewPerson) }},
	{"NewDocument", func() any { return new(caseroom.NewDocument) }},
	{"NewArrest", func() any { return new(caseroom.NewArrest) }},
	{"NewAction", func() any { return new(caseroom.NewAction) }},
	{"NewCustodyEvent", func() any { return new(caseroom.NewCustodyEvent) }},
	{"AddWitnessRequest", func() any { return new(AddWitnessRequest) }},
}

// FuzzDecode decodes a fuzzed request body into one of the API's request types, as
// every POST handler does, and checks: it never panics; a refusal is a *caseroom.Error
// with code EINVALID and a message; and an accepted body, written back with
// encoding/json, is accepted again as the same request.
func FuzzDecode(f *testing.F) {
	for _, seed := range []struct {
		target uint8
		body   string
	}{
		{0, `{"names":[{"name":"Imran Qureshi","script":"Latn"},{"name":"عمران قریشی","script":"Arab","source":"S-12"}],` +
			`"aliases":["Immi",{"alias":"Kaka","kind":"urf","source":"S-3"}],"roles":["suspect"],"sex":"male","ageBand":"adult","address":"House 12, Street 4, Lahore"}`},
		{0, `{"names":[{"name":"Ayesha"}],"aliases":[{"alias":"A","kind":"alias","extra":1}]}`},
		{0, `{"names":"Ayesha"}`},
		{0, `{"aliases":[7]}`},
		{1, `{"kind":"statement","title":"Statement of the complainant","text":"On 20 November…","giver":"per_abc","recordedBy":"lena",` +
			`"recordedAt":"2026-11-20T10:15:00+05:00","place":"Police Station Civil Lines","language":"ur","method":"written",` +
			`"present":["per_def",{"person":"per_ghi","capacity":"interpreter"}]}`},
		{1, `{"kind":"complaint","recordedAt":"20/11/2026"}`},
		{1, `{"present":[{"person":"p","unknown":true}]}`},
		{2, `{"person":"per_abc","at":"2026-11-20T10:15:00Z","by":"ivan","place":"Model Town","grounds":["S-12","SB/3"]}`},
		{2, `{"person":"per_abc","at":null,"grounds":"S-12"}`},
		{3, `{"kind":"interview","title":"Trace the caller","subjects":["per_abc","SB/1"],"priority":"high","due":"2026-12-01T00:00:00Z"}`},
		{3, `{"title":1e999}`},
		{4, `{"event":"transferred","to":"olga","at":"2026-11-21T09:00:00Z","seal":"S-0042","purpose":"forensic examination"}`},
		{5, `{"key":"oversight.example/witness+7d788d1f+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"}`},
		{5, `{"key":"a"} {"key":"b"}`},
		{5, `{"key":"a"`},
		{5, `[]`},
		{5, `null`},
		{5, ``},
		{5, `{"Key":"a","KEY":"b"}`},
		{5, "{\"key\":\"\xff\"}"},
	} {
		f.Add(seed.target, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		tt := decodeTargets[int(target)%len(decodeTargets)]
		v := tt.new()
		err := decode(httptest.NewRequest("POST", "/", bytes.NewReader(body)), v)
		if err != nil {
			var e *caseroom.Error
			if !errors.As(err, &e) || e.Code != caseroom.EINVALID || e.Message == "" {
				t.Fatalf("decode(%q) into %s = %#v, want a *caseroom.Error with code %s and a message", body, tt.name, err, caseroom.EINVALID)
			}
			return
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("decode(%q) into %s accepted %+v, which does not encode: %v", body, tt.name, v, err)
		}
		w := tt.new()
		if err := decode(httptest.NewRequest("POST", "/", bytes.NewReader(again)), w); err != nil {
			t.Fatalf("decode(%q) into %s accepted %+v, but not its encoding %s: %v", body, tt.name, v, again, err)
		}
		if diff := cmp.Diff(v, w); diff != "" {
			t.Fatalf("decode(%q) into %s, encoded as %s, decodes otherwise (-first +again):\n%s", body, tt.name, again, diff)
		}
	})
}
