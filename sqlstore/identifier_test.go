package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

func TestAddIdentifier(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")
		p := f.suspect("Gul Khan")

		var added []caseroom.Identifier
		for _, tc := range []struct {
			kind                   caseroom.IdentifierKind
			value, service         string
			wantValue, wantService string
		}{
			{"phone", "+92 300-1234567", "", "+923001234567", ""},
			{"phone", "(042) 111-222.333", "", "+9242111222333", ""}, // E.164, the case in Pakistan
			{"email", " Gul.Khan@Example.PK ", "", "gul.khan@example.pk", ""},
			{"handle", "live:gul_k77", " Skype ", "live:gul_k77", "Skype"},
			{"bank_account", "PK36SCBL0000001123456702", "Standard Chartered", "PK36SCBL0000001123456702", "Standard Chartered"},
			{"national_id", "35202-1234567-1", "", "35202-1234567-1", ""},
			{"device_serial", "R58M12ABCDE", "", "R58M12ABCDE", ""},
		} {
			t.Run(string(tc.kind)+" "+tc.value, func(t *testing.T) {
				// The source is given by id; it is shown by reference.
				idf, err := s.DB.AddIdentifier(f.ctx, f.c.ID, p.ID, caseroom.NewIdentifier{Kind: tc.kind, Value: tc.value, Service: tc.service, Source: src.ID})
				if err != nil {
					t.Fatal(err)
				}
				want := caseroom.Identifier{ID: idf.ID, PersonID: p.ID, Kind: tc.kind, Value: tc.wantValue, Service: tc.wantService,
					Source: src.Ref, AddedBy: "alice", CreatedAt: idf.CreatedAt}
				if diff := cmp.Diff(want, *idf); diff != "" {
					t.Errorf("identifier (-want +got):\n%s", diff)
				}
				added = append(added, *idf)
			})
		}
		t.Run("listed with the person", func(t *testing.T) {
			got, err := s.DB.FindPerson(f.ctx, f.c.ID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(added, got.Identifiers); diff != "" {
				t.Errorf("identifiers (-added +found):\n%s", diff)
			}
		})
		t.Run("a victim's, by pseudonym", func(t *testing.T) {
			v := f.in(t).victim(f.ctx, "Hidden Person")
			idf, err := s.DB.AddIdentifier(f.ctx, f.c.ID, "V-0001", caseroom.NewIdentifier{Kind: "phone", Value: "03001112223", Source: "C-1"})
			if err != nil {
				t.Fatal(err)
			}
			if idf.PersonID != v.ID {
				t.Errorf("identifier held by %s, want %s", idf.PersonID, v.ID)
			}
		})

		other := newFixture(t, s, "bob", "Operation Bravo")
		foreign := other.complaint("Another case's complaint")
		for _, tc := range []struct {
			name        string
			person      string
			ni          caseroom.NewIdentifier
			code, field string
		}{
			{"an unknown kind", p.ID, caseroom.NewIdentifier{Kind: "fax", Value: "123456", Source: "C-1"}, caseroom.EINVALID, "kind"},
			{"no kind", p.ID, caseroom.NewIdentifier{Value: "123456", Source: "C-1"}, caseroom.EINVALID, "kind"},
			{"no value", p.ID, caseroom.NewIdentifier{Kind: "handle", Value: "  ", Source: "C-1"}, caseroom.EINVALID, "value"},
			{"a phone with letters", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "call 0300", Source: "C-1"}, caseroom.EINVALID, "value"},
			{"a phone with a + inside", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "0300+1234567", Source: "C-1"}, caseroom.EINVALID, "value"},
			{"a phone too short", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "1234", Source: "C-1"}, caseroom.EINVALID, "value"},
			{"a phone too long", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+1234567890123456", Source: "C-1"}, caseroom.EINVALID, "value"},
			{"an e-mail without @", p.ID, caseroom.NewIdentifier{Kind: "email", Value: "gul.khan.example.pk", Source: "C-1"}, caseroom.EINVALID, "value"},
			{"an e-mail without a domain", p.ID, caseroom.NewIdentifier{Kind: "email", Value: "gul@", Source: "C-1"}, caseroom.EINVALID, "value"},
			{"no source", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+923001234567"}, caseroom.EINVALID, "source"},
			{"an unknown source", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+923001234567", Source: "S-9"}, caseroom.EINVALID, "source"},
			{"another case's document", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+923001234567", Source: foreign.ID}, caseroom.EINVALID, "source"},
			{"a service of 1 MB", p.ID, caseroom.NewIdentifier{Kind: "handle", Value: "live:gul_k77", Service: strings.Repeat("S", 1<<20), Source: "C-1"}, caseroom.EINVALID, "service"},
			{"a service of 101 bytes", p.ID, caseroom.NewIdentifier{Kind: "handle", Value: "live:gul_k77", Service: strings.Repeat("S", 101), Source: "C-1"}, caseroom.EINVALID, "service"},
			{"a service not UTF-8", p.ID, caseroom.NewIdentifier{Kind: "handle", Value: "live:gul_k77", Service: "Sky\xffpe", Source: "C-1"}, caseroom.EINVALID, "service"},
			{"a value of 1 MB", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: strings.Repeat("1", 1<<20), Source: "C-1"}, caseroom.EINVALID, "value"},
			{"a source of 1 MB", p.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+923001234567", Source: strings.Repeat("S", 1<<20)}, caseroom.EINVALID, "source"},
			{"an unknown person", "per_nobody", caseroom.NewIdentifier{Kind: "phone", Value: "+923001234567", Source: "C-1"}, caseroom.ENOTFOUND, ""},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				var err error
				refused(t, s, tc.code, tc.field, func() error {
					_, err = s.DB.AddIdentifier(f.ctx, f.c.ID, tc.person, tc.ni)
					return err
				})
				if msg := caseroom.ErrorMessage(err); len(msg) > 300 {
					t.Errorf("the message repeats the input: %d bytes", len(msg))
				}
			})
		}
	})
}
