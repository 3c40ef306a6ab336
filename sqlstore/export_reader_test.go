package sqlstore_test

import (
	"encoding/json"
	"strings"
	"testing"

	"caseroom"
)

// exported is everything an export reader gave, written out as text, with the ids of
// the records per kind.
type exported struct {
	text string
	ids  map[string][]string
}

func readExport(t *testing.T, x caseroom.ExportReader) exported {
	t.Helper()
	defer x.Close()
	var b strings.Builder
	out := exported{ids: map[string][]string{}}
	add := func(kind, id string, v any) error {
		out.ids[kind] = append(out.ids[kind], id)
		j, err := json.Marshal(v)
		b.Write(append(j, '\n'))
		return err
	}
	for _, err := range []error{
		x.Persons(func(p *caseroom.Person) error { return add("person", p.ID, p) }),
		x.Organisations(func(o *caseroom.Organisation) error { return add("organisation", o.ID, o) }),
		x.Locations(func(l *caseroom.Location) error { return add("location", l.ID, l) }),
		x.Endpoints(func(e *caseroom.Endpoint) error { return add("endpoint", e.ID, e) }),
		x.Documents(func(d *caseroom.Document) error { return add("document", d.ID, d) }),
		x.Links(func(l *caseroom.Link) error { return add("link", l.ID, l) }),
		x.Payments(func(p *caseroom.Payment) error { return add("payment", p.ID, p) }),
		x.Communications(func(c *caseroom.Communication) error { return add("communication", c.ID, c) }),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	out.text = b.String()
	return out
}

func TestOpenExport(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		n := newNetCase(t, s)
		f := n.fixture
		before := len(s.entries())

		x, err := s.DB.OpenExport(as(n.inv), f.c.ID, caseroom.ExportRequest{Format: caseroom.ExportFtM})
		if err != nil {
			t.Fatal(err)
		}
		if e := s.lastEntry(); e.Action != "export" || len(s.entries()) != before+1 {
			t.Errorf("the export is not audited before it reads: last entry %s", e.Action)
		}
		if x.Case().ID != f.c.ID || x.Case().Role != caseroom.RoleInvestigator {
			t.Errorf("case %+v", x.Case())
		}
		got := readExport(t, x)
		if len(got.ids["person"]) != 4 || len(got.ids["payment"]) != 2 || len(got.ids["link"]) != 2 {
			t.Errorf("the investigator's export: %d persons, %d payments, %d links", len(got.ids["person"]), len(got.ids["payment"]), len(got.ids["link"]))
		}
		for _, secret := range []string{"Child Three", n.medical.ID, n.medical.Ref} {
			if strings.Contains(got.text, secret) {
				t.Errorf("the investigator's export holds %q", secret)
			}
		}
		if !strings.Contains(got.text, "V-0001") {
			t.Errorf("the victim is not exported by pseudonym")
		}

		t.Run("the lead reveals, and it is recorded", func(t *testing.T) {
			x, err := s.DB.OpenExport(f.ctx, f.c.ID, caseroom.ExportRequest{Format: caseroom.ExportXLSX, Reveal: true})
			if err != nil {
				t.Fatal(err)
			}
			got := readExport(t, x)
			if !strings.Contains(got.text, "Child Three") || len(got.ids["link"]) != 3 {
				t.Errorf("the lead's revealed export lacks the victim's name or the medical report's link")
			}
			if s.queryString(`SELECT format || ' ' || CAST(revealed AS TEXT) || ' ' || exported_by FROM exports ORDER BY entry DESC LIMIT 1`) != "xlsx 1 lena" {
				t.Errorf("the exports row does not record the reveal")
			}
		})
		t.Run("refusals write nothing", func(t *testing.T) {
			adv, _ := f.advocate("amina", n.report.Ref, n.victim)
			before := len(s.entries())
			for _, tc := range []struct {
				ctx  caseroom.User
				req  caseroom.ExportRequest
				code string
			}{
				{*n.inv, caseroom.ExportRequest{Format: "pdf"}, caseroom.EINVALID},
				{*n.inv, caseroom.ExportRequest{Format: caseroom.ExportFtM, Reveal: true}, caseroom.EFORBIDDEN},
				{*adv, caseroom.ExportRequest{Format: caseroom.ExportFtM}, caseroom.EFORBIDDEN},
			} {
				u := tc.ctx
				_, err := s.DB.OpenExport(as(&u), f.c.ID, tc.req)
				checkError(t, err, tc.code, "")
			}
			if len(s.entries()) != before {
				t.Errorf("a refused export wrote an audit entry")
			}
		})
	})
}
