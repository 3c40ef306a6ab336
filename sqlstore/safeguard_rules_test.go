package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// rules lists the rules a statement's flags name.
func rules(d *caseroom.Document) []string {
	out := []string{}
	for _, f := range d.Statement.SafeguardFlags {
		out = append(out, f.Rule)
	}
	return out
}

func TestStatementSafeguards(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		girl := f.person(f.ctx, caseroom.NewPerson{Roles: []caseroom.PersonRole{caseroom.PersonVictim}, Sex: "female", AgeBand: "10-14"})
		boy := f.person(f.ctx, caseroom.NewPerson{Roles: []caseroom.PersonRole{caseroom.PersonVictim}, Sex: "male"}) // age unknown: a minor
		woman := f.person(f.ctx, caseroom.NewPerson{Roles: []caseroom.PersonRole{caseroom.PersonVictim}, Sex: "female", DateOfBirth: "1990-01-01"})
		mother := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fictional Mother"}}, Sex: "female", Roles: []caseroom.PersonRole{caseroom.PersonGuardian}})
		f.link(caseroom.NewLink{From: mother.ID, To: girl.ID, Type: "parent_of", Source: "S-1", Confidence: ptr(1.0)})
		at := s.DB.Now().Add(-time.Minute)
		stmt := func(giver string, lang string, present ...caseroom.Presence) *caseroom.Document {
			return f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Statement", Text: "Said.", Giver: giver,
				RecordedAt: ptr(at), Language: lang, Present: present})
		}
		// Defaults: the guardian and female rules; no languages, so no interpreter rule.
		cases := []struct {
			name string
			doc  *caseroom.Document
			want []string
		}{
			{"girl alone", stmt(girl.ID, "pa"), []string{caseroom.SafeguardGuardian, caseroom.SafeguardFemale}},
			{"girl with her mother", stmt(girl.ID, "pa", caseroom.Presence{Person: mother.ID}), []string{}},
			{"boy of unknown age alone", stmt(boy.ID, ""), []string{caseroom.SafeguardGuardian}},
			{"boy with an appropriate adult", stmt(boy.ID, "", caseroom.Presence{Person: mother.ID, Capacity: "Appropriate adult"}), []string{}},
			{"adult woman alone", stmt(woman.ID, "ur"), []string{caseroom.SafeguardFemale}},
			{"adult woman with a female officer", stmt(woman.ID, "ur", caseroom.Presence{Person: mother.ID, Capacity: "female officer"}), []string{}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d, err := s.DB.FindDocument(f.ctx, c, tc.doc.Ref)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, rules(d)); diff != "" {
					t.Errorf("flags (-want +got):\n%s", diff)
				}
			})
		}
		got, err := s.DB.SafeguardRules(f.ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(caseroom.DefaultSafeguardRules(), *got); diff != "" {
			t.Errorf("rules before any are recorded (-want +got):\n%s", diff)
		}

		// Refused, nothing written: not the lead, a bad tag, a non-member.
		refusedAction(t, s, caseroom.EFORBIDDEN, "", func() error {
			_, err := s.DB.RecordSafeguardRules(as(f.inv), c, caseroom.NewSafeguardRules{})
			return err
		})
		refusedAction(t, s, caseroom.EINVALID, "languages[*]", func() error {
			_, err := s.DB.RecordSafeguardRules(f.ctx, c, caseroom.NewSafeguardRules{Languages: map[string][]string{"*": {"Urdu!"}}})
			return err
		})
		refusedAction(t, s, caseroom.EINVALID, "languages", func() error {
			_, err := s.DB.RecordSafeguardRules(f.ctx, c, caseroom.NewSafeguardRules{Languages: map[string][]string{"nobody": {"ur"}}})
			return err
		})

		// A rule set: officers work in Urdu; the female rule off. Earlier statements keep
		// their flags; later ones are judged by the new rules.
		old := cases[4].doc
		set, err := s.DB.RecordSafeguardRules(f.ctx, c, caseroom.NewSafeguardRules{FemaleForFemaleVictim: ptr(false), Languages: map[string][]string{"*": {"ur"}}})
		if err != nil {
			t.Fatal(err)
		}
		if set.ID == "" || set.FemaleForFemaleVictim || !set.GuardianForMinor || !set.InterpreterForLanguage {
			t.Errorf("rules in force = %+v", set)
		}
		at = s.DB.Now().Add(time.Second)
		if d, _ := s.DB.FindDocument(f.ctx, c, old.Ref); !cmp.Equal(rules(d), []string{caseroom.SafeguardFemale}) {
			t.Errorf("a statement recorded before the rule set: flags %v, want the old rules' female flag", rules(d))
		}
		later := stmt(woman.ID, "pa")
		if diff := cmp.Diff([]string{caseroom.SafeguardInterpreter}, rules(later)); diff != "" {
			t.Errorf("Punjabi statement by an Urdu officer (-want +got):\n%s", diff)
		}
		if d := stmt(woman.ID, "pa", caseroom.Presence{Person: mother.ID, Capacity: "interpreter"}); len(rules(d)) != 0 {
			t.Errorf("with an interpreter present: flags %v", rules(d))
		}

		// On the person, and in the accountability report.
		p, err := s.DB.FindPerson(f.ctx, c, woman.ID)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, sf := range p.StatementFlags {
			refs = append(refs, sf.Statement)
		}
		if diff := cmp.Diff([]string{old.Ref, later.Ref}, refs); diff != "" {
			t.Errorf("the victim's flagged statements (-want +got):\n%s", diff)
		}
		rep, err := s.DB.Accountability(f.ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range rep.Officers {
			// The fixture's S-1 (a victim of unknown age, alone) is flagged too.
			if o.Officer == "lena" && o.Flagged != 5 {
				t.Errorf("lena's flagged statements = %d, want 5", o.Flagged)
			}
		}
	})
}
