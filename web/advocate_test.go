package web

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"caseroom"
)

// advocateFixture is a case with three child victims, a suspect and a witness, and two
// advocates: ada, whose record represents V-0001 and V-0002, and noor, who has no
// person record. Everything ada is sent is kept, to check that no secret reached her.
type advocateFixture struct {
	e                 *apiEnv
	base              string
	label             map[string]string // id -> the test's name for it
	ids               map[string]string // the test's name -> id
	links             map[string]string // "rep V-0002" -> the id of that represents link
	sent              *strings.Builder  // every body sent to an advocate
	letterRef, suspID string
}

func newAdvocateFixture(t *testing.T) *advocateFixture {
	t.Helper()
	e := newAPIEnv(t, "lena", "olga", "ivan", "ada", "noor")
	caseID := e.createCase("lena", map[string]caseroom.Role{"olga": caseroom.RoleOversight, "ivan": caseroom.RoleInvestigator,
		"noor": caseroom.RoleAdvocate})
	f := &advocateFixture{e: e, base: "/api/v1/cases/" + caseID, label: map[string]string{}, ids: map[string]string{},
		links: map[string]string{}, sent: &strings.Builder{}}
	person := func(name string, body map[string]any) {
		p := post[caseroom.Person](e, "lena", f.base+"/persons", body)
		f.label[p.ID], f.ids[name] = name, p.ID
	}
	victim := func(name, canary string) {
		person(name, map[string]any{"names": []map[string]string{{"name": canary}}, "roles": []string{"victim"}})
	}
	victim("V-0001", "Canaryone Bibi")
	victim("V-0002", "Canarytwo Bibi")
	victim("V-0003", "Canarythree Bibi")
	person("suspect", map[string]any{"names": []map[string]string{{"name": "Tanveer Ahmed"}}, "roles": []string{"suspect"}})
	person("witness", map[string]any{"names": []map[string]string{{"name": "Rafiq Ahmed"}}, "roles": []string{"witness"}})
	person("rep", map[string]any{"names": []map[string]string{{"name": "Ada Advocate"}}, "roles": []string{"representative"}})
	person("other", map[string]any{"names": []map[string]string{{"name": "Other Advocate"}}, "roles": []string{"representative"}})
	f.suspID = f.ids["suspect"]

	f.letterRef = post[caseroom.Document](e, "lena", f.base+"/documents", map[string]any{
		"kind": "message", "title": "Secretletter of authority", "text": "The families appoint their advocates."}).Ref // M-1
	statement := func(giver, title, text string) {
		post[caseroom.Document](e, "lena", f.base+"/documents", map[string]any{"kind": "statement", "title": title, "text": text,
			"giver": f.ids[giver], "recordedAt": "2025-03-14T10:00:00Z"})
	}
	statement("V-0001", "Statement of V-0001", "He filmed us at the dera.") // S-1
	statement("V-0003", "Secretstatement of V-0003", "Secrettext.")         // S-2
	statement("suspect", "Secretstatement of the suspect", "Secret alibi.") // S-3
	// R-1, an officer report:
	post[caseroom.Document](e, "lena", f.base+"/documents", map[string]any{"kind": "report", "title": "Secretreport", "text": "The raid."})
	link := func(from, to, typ, source string) string {
		l := post[caseroom.Link](e, "lena", f.base+"/links", map[string]any{"from": f.ids[from], "to": f.ids[to], "type": typ, "source": source, "confidence": 1})
		return l.ID
	}
	f.links["rep V-0001"] = link("rep", "V-0001", "represents", f.letterRef)
	f.links["rep V-0002"] = link("rep", "V-0002", "represents", f.letterRef)
	f.links["other V-0003"] = link("other", "V-0003", "represents", f.letterRef)
	link("V-0001", "suspect", "abused", "S-1")
	link("V-0003", "suspect", "abused", "S-2")
	link("witness", "suspect", "knows", "S-3")
	post[caseroom.Organisation](e, "lena", f.base+"/organisations", map[string]any{"name": "Secretorg gang"})
	post[caseroom.Location](e, "lena", f.base+"/locations", map[string]any{"name": "Secretvillage", "kind": "village"})
	m := post[caseroom.Membership](e, "lena", f.base+"/members", map[string]any{"user": "ada", "role": "advocate", "person": f.ids["rep"]})
	if m.Person != f.ids["rep"] || m.Role != caseroom.RoleAdvocate {
		t.Fatalf("adding ada answered %+v; want the advocate standing for %s", m, f.ids["rep"])
	}
	return f
}

// as sends a request as user to path under the case; what an advocate is sent is kept.
func (f *advocateFixture) as(t *testing.T, user, method, path string, body any) response {
	t.Helper()
	r := f.e.in(t).do(user, method, f.base+path, body)
	if user == "ada" || user == "noor" {
		f.sent.Write(r.body)
		f.sent.WriteString("\n")
	}
	return r
}

// persons lists the persons at path (under the case) as user, by the test's names.
func (f *advocateFixture) persons(t *testing.T, user, path string) []string {
	t.Helper()
	r := f.as(t, user, "GET", path, nil)
	mustStatus(t, r, http.StatusOK)
	out := []string{}
	for _, p := range decodeInto[struct{ Persons []caseroom.Person }](t, r).Persons {
		out = append(out, f.label[p.ID])
	}
	return out
}

// documents lists the case's documents as user.
func (f *advocateFixture) documents(t *testing.T, user string) []caseroom.Document {
	t.Helper()
	r := f.as(t, user, "GET", "/documents", nil)
	mustStatus(t, r, http.StatusOK)
	return decodeInto[struct{ Documents []caseroom.Document }](t, r).Documents
}

func docRefs(ds []caseroom.Document) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Ref)
	}
	return out
}

// linkList lists the case's links as user, as "from type to" by the test's names.
func (f *advocateFixture) linkList(t *testing.T, user, query string) []string {
	t.Helper()
	r := f.as(t, user, "GET", "/links"+query, nil)
	mustStatus(t, r, http.StatusOK)
	out := []string{}
	for _, l := range decodeInto[struct{ Links []caseroom.Link }](t, r).Links {
		out = append(out, f.label[l.From]+" "+string(l.Type)+" "+f.label[l.To])
	}
	return out
}

// hiddenAsMissing fails unless asking user for path answers 404 with, byte for byte,
// the body that missingPath, which names no record, gets (missing in place of ref).
func (f *advocateFixture) hiddenAsMissing(t *testing.T, user, path, ref, missingPath, missing string) {
	t.Helper()
	r := f.as(t, user, "GET", path, nil)
	m := f.as(t, user, "GET", missingPath, nil)
	if m.status != http.StatusNotFound {
		t.Fatalf("GET %s, which does not exist: %d\n%s", missingPath, m.status, m.body)
	}
	if r.status != http.StatusNotFound {
		t.Errorf("%s GET %s: %d, want 404\n%s", user, path, r.status, r.body)
		return
	}
	if got, want := string(r.body), strings.ReplaceAll(string(m.body), missing, ref); got != want {
		t.Errorf("%s GET %s answers\n%s\nbut a record that does not exist answers\n%s", user, path, got, want)
	}
}

func want[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: %v; want %v", what, got, want)
	}
}

// TestAPIAdvocateSeesOnlyTheirClients drives an advocate's view of a case over HTTP:
// she reads only her clients, their statements and links to her own record; she files
// a complaint on a client's behalf that reaches the lead and oversight; everything else
// answers as if it did not exist, is refused, or writes nothing; and a retracted
// representation or a new person record applies to her very next request.
func TestAPIAdvocateSeesOnlyTheirClients(t *testing.T) {
	f := newAdvocateFixture(t)
	e := f.e

	t.Run("persons", func(t *testing.T) {
		want(t, "ada's persons", f.persons(t, "ada", "/persons"), []string{"V-0001", "V-0002", "rep"})
		want(t, "ada's victims", f.persons(t, "ada", "/persons?role=victim"), []string{"V-0001", "V-0002"})
		want(t, "ada's suspects", f.persons(t, "ada", "/persons?role=suspect"), []string{})
		want(t, "the lead's persons", f.persons(t, "lena", "/persons"),
			[]string{"V-0001", "V-0002", "V-0003", "suspect", "witness", "rep", "other"})
		for _, ref := range []string{"V-0001", f.ids["V-0002"], f.ids["rep"]} {
			r := f.as(t, "ada", "GET", "/persons/"+ref, nil)
			mustStatus(t, r, http.StatusOK)
		}
		for _, tc := range []struct {
			query     string
			lead, ada []string
		}{
			{"name=Ahmed", []string{"suspect", "witness"}, []string{}},
			{"name=Tanveer+Ahmed", []string{"suspect"}, []string{}},
			{"name=Advocate", []string{"rep", "other"}, []string{"rep"}},
			{"name=canarythree", []string{"V-0003"}, []string{}},
			{"name=advocate&role=representative", []string{"rep", "other"}, []string{"rep"}},
		} {
			want(t, "the lead's ?"+tc.query, f.persons(t, "lena", "/persons?"+tc.query), tc.lead)
			want(t, "ada's ?"+tc.query, f.persons(t, "ada", "/persons?"+tc.query), tc.ada)
		}
	})

	t.Run("a person not a client is 404 as for one who does not exist", func(t *testing.T) {
		f.hiddenAsMissing(t, "ada", "/persons/V-0003", "V-0003", "/persons/V-0099", "V-0099")
		for _, name := range []string{"V-0003", "suspect", "witness", "other"} {
			id := f.ids[name]
			fake := id[:4] + strings.Repeat("z", len(id)-4)
			f.hiddenAsMissing(t, "ada", "/persons/"+id, id, "/persons/"+fake, fake)
		}
		f.hiddenAsMissing(t, "ada", "/persons/V-0003/access", "V-0003", "/persons/V-0099/access", "V-0099")
		r := f.as(t, "ada", "POST", "/persons/V-0003/reveal", map[string]string{"reason": "To check."})
		m := f.as(t, "ada", "POST", "/persons/V-0099/reveal", map[string]string{"reason": "To check."})
		if r.status != http.StatusNotFound || string(r.body) != strings.ReplaceAll(string(m.body), "V-0099", "V-0003") {
			t.Errorf("ada reveals V-0003: %d %s; for one who does not exist: %d %s", r.status, r.body, m.status, m.body)
		}
	})

	t.Run("her client's identity access list", func(t *testing.T) {
		r := f.as(t, "ada", "GET", "/persons/V-0001/access", nil)
		mustStatus(t, r, http.StatusOK)
		if rep := decodeInto[caseroom.IdentityAccessReport](t, r); rep.Person != f.ids["V-0001"] || rep.Pseudonym != "V-0001" {
			t.Errorf("ada reads V-0001's access list: %+v", rep)
		}
	})

	t.Run("documents", func(t *testing.T) {
		want(t, "ada's documents", docRefs(f.documents(t, "ada")), []string{"S-1"})
		mustStatus(t, f.as(t, "ada", "GET", "/documents/S-1", nil), http.StatusOK)
		for _, ref := range []string{"S-2", "S-3", "R-1", f.letterRef} {
			missing := ref[:2] + "99"
			f.hiddenAsMissing(t, "ada", "/documents/"+ref, ref, "/documents/"+missing, missing)
		}
	})

	t.Run("links", func(t *testing.T) {
		want(t, "ada's links", f.linkList(t, "ada", ""), []string{"rep represents V-0001", "rep represents V-0002"})
		want(t, "ada's links of V-0001", f.linkList(t, "ada", "?entity=V-0001"), []string{"rep represents V-0001"})
		if got := f.linkList(t, "lena", ""); len(got) != 6 {
			t.Errorf("the lead's links: %v; want all 6", got)
		}
	})

	t.Run("organisations and locations are refused", func(t *testing.T) {
		for _, user := range []string{"ada", "noor"} {
			for _, path := range []string{"/organisations", "/locations"} {
				r := f.as(t, user, "GET", path, nil)
				mustStatus(t, r, http.StatusForbidden)
				if code := r.errorCode(t); code != caseroom.EFORBIDDEN {
					t.Errorf("%s GET %s: code %q", user, path, code)
				}
			}
		}
		mustStatus(t, f.as(t, "olga", "GET", "/organisations", nil), http.StatusOK)
	})

	t.Run("the members list shows the person standing for the advocate", func(t *testing.T) {
		r := f.as(t, "ada", "GET", "/members", nil)
		mustStatus(t, r, http.StatusOK)
		got := map[string]string{}
		for _, m := range decodeInto[struct{ Members []caseroom.Membership }](t, r).Members {
			got[m.User] = m.Person
		}
		want(t, "members' persons", got, map[string]string{"lena": "", "olga": "", "ivan": "", "ada": f.ids["rep"], "noor": ""})
		if !strings.Contains(string(r.body), `"person":"`+f.ids["rep"]+`"`) {
			t.Errorf("the members list does not show ada's person:\n%s", r.body)
		}
	})

	t.Run("a complaint on a client's behalf reaches the lead and oversight", func(t *testing.T) {
		r := f.as(t, "ada", "POST", "/documents", map[string]any{"kind": "complaint", "title": "Pressured to withdraw",
			"text": "The family of V-0001 was told to withdraw the case.", "giver": "V-0001"})
		mustStatus(t, r, http.StatusCreated)
		c := decodeInto[caseroom.Document](t, r)
		if c.Ref != "C-1" || c.RegisteredBy != "ada" || c.Statement == nil || c.Statement.Giver != f.ids["V-0001"] {
			t.Fatalf("ada's complaint: %+v; want C-1 registered by ada, given by V-0001", c)
		}
		for _, user := range []string{"lena", "olga"} {
			var found *caseroom.Document
			for _, d := range f.documents(t, user) {
				if d.Ref == "C-1" {
					found = &d
				}
			}
			if found == nil || found.RegisteredBy != "ada" || found.Title != "Pressured to withdraw" {
				t.Errorf("%s's documents hold C-1 as %+v; want ada's complaint", user, found)
			}
		}
		want(t, "ada's documents", docRefs(f.documents(t, "ada")), []string{"S-1", "C-1"})
		mustStatus(t, f.as(t, "ada", "GET", "/documents/C-1", nil), http.StatusOK)
	})

	t.Run("refused writes change nothing", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			body       map[string]any
			status     int
			field      string
		}{
			{"a complaint for another's client", "/documents", map[string]any{"kind": "complaint", "title": "Pressured",
				"text": "Told to withdraw.", "giver": "V-0003"}, http.StatusBadRequest, "giver"},
			{"a complaint for a suspect", "/documents", map[string]any{"kind": "complaint", "title": "Pressured",
				"text": "Told to withdraw.", "giver": f.suspID}, http.StatusBadRequest, "giver"},
			{"a complaint for no one", "/documents", map[string]any{"kind": "complaint", "title": "Pressured",
				"text": "Told to withdraw."}, http.StatusBadRequest, "giver"},
			{"a statement", "/documents", map[string]any{"kind": "statement", "title": "My client's account", "text": "Text.",
				"giver": "V-0001", "recordedAt": "2025-03-14T10:00:00Z"}, http.StatusForbidden, ""},
			{"a report", "/documents", map[string]any{"kind": "report", "title": "A report", "text": "Text."}, http.StatusForbidden, ""},
			{"a link", "/links", map[string]any{"from": f.ids["rep"], "to": "V-0001", "type": "represents", "source": "C-1",
				"confidence": 1}, http.StatusForbidden, ""},
			{"a person", "/persons", map[string]any{"names": []map[string]string{{"name": "New Witness"}}, "roles": []string{"witness"}},
				http.StatusForbidden, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.in(t)
				before := e.snapshot("lena", "lena", strings.TrimPrefix(f.base, "/api/v1/cases/"))
				r := f.as(t, "ada", "POST", tc.path, tc.body)
				mustStatus(t, r, tc.status)
				if tc.field != "" {
					if msg := r.errorMessage(t); !namesField(msg, tc.field) {
						t.Errorf("message %q does not name %s", msg, tc.field)
					}
				}
				e.requireUnchanged(before)
			})
		}
	})

	t.Run("an advocate without a person record sees no one", func(t *testing.T) {
		want(t, "noor's persons", f.persons(t, "noor", "/persons"), []string{})
		if ds := f.documents(t, "noor"); len(ds) != 0 {
			t.Errorf("noor's documents: %v", docRefs(ds))
		}
		want(t, "noor's links", f.linkList(t, "noor", ""), []string{})
		f.hiddenAsMissing(t, "noor", "/persons/V-0001", "V-0001", "/persons/V-0099", "V-0099")
	})

	t.Run("a retracted representation ends with the next request", func(t *testing.T) {
		mustStatus(t, f.as(t, "ada", "GET", "/persons/V-0002", nil), http.StatusOK)
		post[caseroom.Link](e.in(t), "lena", f.base+"/links", map[string]any{"from": f.ids["rep"], "to": "V-0002", "type": "represents",
			"source": f.letterRef, "confidence": 1, "corrects": f.links["rep V-0002"], "retracts": true,
			"reason": "The family withdrew the authority."})
		want(t, "ada's persons", f.persons(t, "ada", "/persons"), []string{"V-0001", "rep"})
		f.hiddenAsMissing(t, "ada", "/persons/V-0002", "V-0002", "/persons/V-0099", "V-0099")
		want(t, "ada's links", f.linkList(t, "ada", ""), []string{"rep represents V-0001"})
	})

	t.Run("a new person record applies to the next request", func(t *testing.T) {
		m := post[caseroom.Membership](e.in(t), "lena", f.base+"/members", map[string]any{"user": "ada", "role": "advocate", "person": f.ids["other"]})
		if m.Person != f.ids["other"] {
			t.Errorf("changing ada's person answered %+v", m)
		}
		want(t, "ada's persons", f.persons(t, "ada", "/persons"), []string{"V-0003", "other"})
		f.hiddenAsMissing(t, "ada", "/persons/V-0001", "V-0001", "/persons/V-0099", "V-0099")
		want(t, "ada's documents", docRefs(f.documents(t, "ada")), []string{"S-2", "C-1"})
		want(t, "ada's links", f.linkList(t, "ada", ""), []string{"other represents V-0003"})
		mustStatus(t, f.as(t, "ada", "GET", "/persons/V-0003/access", nil), http.StatusOK)
	})

	t.Run("no victim's name nor anything hidden reached an advocate", func(t *testing.T) {
		sent := f.sent.String()
		if !strings.Contains(sent, "Ada Advocate") {
			t.Fatal("ada was not even sent her own record's name; the check would prove nothing")
		}
		// S-2 became hers with the new person record; the rest never was.
		for _, secret := range []string{"Canary", "Bibi", "Tanveer", "Rafiq", "Secretletter", "Secretstatement of the suspect",
			"Secret alibi", "Secretreport", "Secretorg", "Secretvillage"} {
			if i := strings.Index(sent, secret); i >= 0 {
				t.Errorf("an advocate was sent %q: ...%s...", secret, sent[max(0, i-200):min(len(sent), i+100)])
			}
		}
	})
}
