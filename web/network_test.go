package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"caseroom"
)

// TestAPINetwork asks the four network routes as a newcomer's curl would, checks their
// answers against the OpenAPI document (do does), and refuses bad parameters by name.
func TestAPINetwork(t *testing.T) {
	e := newAPIEnv(t, "lena", "ivan")
	c := e.createCase("lena", map[string]caseroom.Role{"ivan": caseroom.RoleInvestigator})
	base := "/api/v1/cases/" + c
	person := func(name, role string) string {
		return post[caseroom.Person](e, "lena", base+"/persons", map[string]any{"names": []map[string]any{{"name": name, "script": "Latn"}}, "roles": []string{role}}).ID
	}
	father, middle, top := person("Fazal Din", "witness"), person("Middle Man", "suspect"), person("Top Man", "suspect")
	doc := post[caseroom.Document](e, "lena", base+"/documents", map[string]any{"kind": "report", "title": "Source", "text": "The report."})
	post[caseroom.Link](e, "lena", base+"/links", map[string]any{"from": middle, "to": top, "type": "knows", "source": doc.Ref, "confidence": 0.9})
	post[caseroom.Payment](e, "lena", base+"/payments", map[string]any{"payer": father, "payee": middle, "amount": 1000000, "currency": "PKR",
		"at": "2015-06-15T12:00:00Z", "method": "cash", "purpose": "extortion", "source": doc.ID})

	r := e.do("ivan", "GET", base+"/network/paths?from="+father+"&to="+top, nil)
	mustStatus(t, r, http.StatusOK)
	paths := decodeInto[caseroom.Paths](t, r)
	if paths.Length != 2 || len(paths.Paths) != 1 || paths.Paths[0].Edges[0].Via != caseroom.ViaPayments {
		t.Errorf("paths: %+v", paths)
	}
	r = e.do("ivan", "GET", base+"/network?around="+middle+"&steps=2&via=link,payments", nil)
	mustStatus(t, r, http.StatusOK)
	if net := decodeInto[caseroom.Network](t, r); len(net.Nodes) != 3 || len(net.Edges) != 2 {
		t.Errorf("network: %+v", net)
	}
	r = e.do("ivan", "GET", base+"/network/common?persons="+url.QueryEscape(father+","+top), nil)
	mustStatus(t, r, http.StatusOK)
	if common := decodeInto[caseroom.CommonCounterparts](t, r); len(common.Counterparts) != 1 || common.Counterparts[0].Node.ID != middle {
		t.Errorf("common: %+v", common)
	}
	r = e.do("ivan", "GET", base+"/network/centrality?limit=1", nil)
	mustStatus(t, r, http.StatusOK)
	if cen := decodeInto[caseroom.Centrality](t, r); len(cen.Persons) != 1 || cen.Persons[0].Node.ID != middle {
		t.Errorf("centrality: %+v", cen)
	}

	for _, tc := range []struct{ query, field string }{
		{"network?around=" + middle + "&steps=9", "steps"},
		{"network?around=" + middle + "&steps=two", "steps"},
		{"network?around=" + middle + "&cap=0", "cap"},
		{"network?around=per_nosuchthing", "around"},
		{"network?steps=1", "around"},
		{"network?around=" + middle + "&type=nosuchtype", "type"},
		{"network?around=" + middle + "&via=pigeon", "via"},
		{"network?around=" + middle + "&kind=exhibit", "kind"},
		{"network?around=" + middle + "&since=June", "since"},
		{"network?around=" + middle + "&confidence=high", "confidence"},
		{"network?around=" + middle + "&standing=yes", "standing"},
		{"network?around=" + middle + "&depth=2", "depth"},
		{"network/paths?from=" + father + "&to=" + father, "to"},
		{"network/paths?from=" + father + "&to=" + top + "&max=99", "max"},
		{"network/paths?from=" + father + "&to=" + top + "&avoid=everything", "avoid"},
		{"network/common?persons=" + father, "persons"},
		{"network/centrality?limit=-3", "limit"},
		{"export?format=ftm&fromat=xlsx", "fromat"},
		{"export?format=pdf", "format"},
		{"export?format=ftm&reveal=yes", "reveal"},
	} {
		r := e.do("ivan", "GET", base+"/"+tc.query, nil)
		mustStatus(t, r, http.StatusBadRequest)
		if msg := r.errorMessage(t); !strings.HasPrefix(msg, tc.field+":") {
			t.Errorf("%s: the error %q does not start by naming %s", tc.query, msg, tc.field)
		}
	}
}
