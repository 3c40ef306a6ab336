package sqlstore_test

import (
	"context"
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// This file holds the advocate's need-to-know: an advocate sees only the persons their
// own person record represents (an unretracted `represents` link), those clients'
// statements and complaints, what the advocate filed, and the links between their
// record and their clients; whatever else they ask for answers as if it did not exist.

// representative registers, acting as the lead, a person record with the role
// representative: what stands for an advocate in the case.
func (f *fixture) representative(name string) *caseroom.Person {
	f.t.Helper()
	return f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: name, Script: "Latn"}},
		Roles: []caseroom.PersonRole{caseroom.PersonRepresentative}})
}

// setPerson gives u the role in the case, with p as the person record that stands for
// them, acting as the lead.
func (f *fixture) setPerson(u *caseroom.User, role caseroom.Role, p *caseroom.Person) *caseroom.Membership {
	f.t.Helper()
	m, err := f.s.DB.AddMember(f.ctx, f.c.ID, caseroom.NewMembership{User: u.Name, Role: role, Person: p.ID})
	if err != nil {
		f.t.Fatalf("add %s as %s standing for %s: %v", u.Name, role, p.ID, err)
	}
	return m
}

// represents records, acting as the lead, that rep represents client, citing source.
func (f *fixture) represents(rep, client *caseroom.Person, source string) *caseroom.Link {
	f.t.Helper()
	return f.link(caseroom.NewLink{From: rep.ID, To: client.ID, Type: "represents", Source: source, Confidence: ptr(1.0)})
}

// advocate creates a user who is the advocate of clients: a new representative record
// ("Amina Advocate" for amina) stands for them in the case and represents each client,
// citing source. Returns the user and their record.
func (f *fixture) advocate(name, source string, clients ...*caseroom.Person) (*caseroom.User, *caseroom.Person) {
	f.t.Helper()
	u := mustUser(f.t, f.s, name)
	rep := f.representative(strings.ToUpper(name[:1]) + name[1:] + " Advocate")
	f.setPerson(u, caseroom.RoleAdvocate, rep)
	for _, c := range clients {
		f.represents(rep, c, source)
	}
	return u, rep
}

// view reads a case as one member and keeps everything the member was sent, answers
// and error messages alike, so that a test can show that no secret reached them.
type view struct {
	s      *testStore
	caseID string
	u      *caseroom.User
	sent   *strings.Builder
}

func newView(s *testStore, caseID string, u *caseroom.User) view {
	return view{s: s, caseID: caseID, u: u, sent: &strings.Builder{}}
}

func (v view) ctx() context.Context { return as(v.u) }

// keep adds an answer and an error to what the member was sent.
func (v view) keep(t *testing.T, x any, err error) {
	t.Helper()
	b, jerr := json.Marshal(x)
	if jerr != nil {
		t.Fatal(jerr)
	}
	v.sent.Write(b)
	if err != nil {
		v.sent.WriteString("\n" + caseroom.ErrorMessage(err) + "\n")
	}
}

// mustNotHaveSeen fails t if anything the member was sent holds one of secrets.
func (v view) mustNotHaveSeen(t *testing.T, secrets ...string) {
	t.Helper()
	if v.sent.Len() == 0 {
		t.Fatalf("%s was sent nothing; the check would prove nothing", v.u.Name)
	}
	for _, sec := range secrets {
		if i := strings.Index(v.sent.String(), sec); i >= 0 {
			t.Errorf("%s was sent %q: ...%s...", v.u.Name, sec, v.sent.String()[max(0, i-200):min(v.sent.Len(), i+100)])
		}
	}
}

func (v view) persons(t *testing.T, f caseroom.PersonFilter) []*caseroom.Person {
	t.Helper()
	ps, err := v.s.DB.FindPersons(v.ctx(), v.caseID, f)
	v.keep(t, ps, err)
	if err != nil {
		t.Fatalf("%s lists persons %+v: %v", v.u.Name, f, err)
	}
	return ps
}

func (v view) person(t *testing.T, ref string) (*caseroom.Person, error) {
	t.Helper()
	p, err := v.s.DB.FindPerson(v.ctx(), v.caseID, ref)
	v.keep(t, p, err)
	return p, err
}

func (v view) documents(t *testing.T, kind caseroom.DocumentKind) []*caseroom.Document {
	t.Helper()
	ds, err := v.s.DB.FindDocuments(v.ctx(), v.caseID, caseroom.DocumentFilter{Kind: kind})
	v.keep(t, ds, err)
	if err != nil {
		t.Fatalf("%s lists documents of kind %q: %v", v.u.Name, kind, err)
	}
	return ds
}

func (v view) document(t *testing.T, ref string) (*caseroom.Document, error) {
	t.Helper()
	d, err := v.s.DB.FindDocument(v.ctx(), v.caseID, ref)
	v.keep(t, d, err)
	return d, err
}

func (v view) links(t *testing.T, f caseroom.LinkFilter) []*caseroom.Link {
	t.Helper()
	ls, err := v.s.DB.FindLinks(v.ctx(), v.caseID, f)
	v.keep(t, ls, err)
	if err != nil {
		t.Fatalf("%s lists links %+v: %v", v.u.Name, f, err)
	}
	return ls
}

func (v view) access(t *testing.T, ref string) (*caseroom.IdentityAccessReport, error) {
	t.Helper()
	r, err := v.s.DB.FindIdentityAccess(v.ctx(), v.caseID, ref)
	v.keep(t, r, err)
	return r, err
}

func (v view) reveal(t *testing.T, ref, reason string) (*caseroom.Person, error) {
	t.Helper()
	p, err := v.s.DB.RevealIdentity(v.ctx(), v.caseID, ref, reason)
	v.keep(t, p, err)
	return p, err
}

func (v view) register(t *testing.T, nd caseroom.NewDocument) (*caseroom.Document, error) {
	t.Helper()
	d, err := v.s.DB.RegisterDocument(v.ctx(), v.caseID, nd)
	v.keep(t, d, err)
	return d, err
}

// labelsOf names persons by the test's labels, in the order given.
func labelsOf(label map[string]string, ps []*caseroom.Person) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, label[p.ID])
	}
	return out
}

// refsOf lists the references of documents, in the order given.
func refsOf(ds []*caseroom.Document) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Ref)
	}
	return out
}

// linksOf writes links as "from type to" with the test's labels, in the order given.
func linksOf(label map[string]string, ls []*caseroom.Link) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, label[l.From]+" "+string(l.Type)+" "+label[l.To])
	}
	return out
}

// hiddenAsMissing fails unless err is ENOTFOUND with, word for word, the message a
// record that does not exist gets (missing, asked for as missingRef), ref in its place.
func hiddenAsMissing(t *testing.T, err error, ref string, missing error, missingRef string) {
	t.Helper()
	if code := caseroom.ErrorCode(missing); code != caseroom.ENOTFOUND {
		t.Fatalf("asking for %s, which does not exist: %v (code %q), want not found", missingRef, missing, code)
	}
	if code := caseroom.ErrorCode(err); code != caseroom.ENOTFOUND {
		t.Errorf("asking for %s: %v (code %q), want not found", ref, err, code)
		return
	}
	if got, want := caseroom.ErrorMessage(err), strings.ReplaceAll(caseroom.ErrorMessage(missing), missingRef, ref); got != want {
		t.Errorf("asking for %s answers %q; a record that does not exist answers %q", ref, got, want)
	}
}

// fakeID returns an id shaped like id that names no record.
func fakeID(id string) string {
	prefix, rest, _ := strings.Cut(id, "_")
	return prefix + "_" + strings.Repeat("z", len(rest))
}

// TestAdvocateSeesOnlyTheirClients gives an advocate two of four child victims as
// clients, and checks everything they can read, file and be refused; then that
// retracting or correcting a `represents` link, or giving the advocate another person
// record, applies to the very next call.
func TestAdvocateSeesOnlyTheirClients(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		omar := f.member("omar", caseroom.RoleOversight)
		ivy := f.member("ivy", caseroom.RoleInvestigator)
		letter := f.complaint("Letters of authority") // C-1, the source of the representation

		v1 := f.victim(f.ctx, "Canaryone Bibi") // V-0001, amina's client
		v2 := f.victim(as(ivy), "Canarytwo Bibi")
		v3 := f.victim(f.ctx, "Canarythree Bibi") // zara's client
		v4 := f.victim(f.ctx, "Canaryfour Bibi")  // nobody's client
		gul := f.suspect("Gul Khan")
		tanveer := f.suspect("Tanveer Ahmed")
		rafiq := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Rafiq Ahmed"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
		amina, rep := f.advocate("amina", letter.Ref, v1, v2)
		zara, zrep := f.advocate("zara", letter.Ref, v3)
		noel := f.member("noel", caseroom.RoleAdvocate) // an advocate with no person record
		label := map[string]string{v1.ID: "v1", v2.ID: "v2", v3.ID: "v3", v4.ID: "v4", gul.ID: "gul", tanveer.ID: "tanveer",
			rafiq.ID: "rafiq", rep.ID: "rep", zrep.ID: "zrep"}

		// S-1 and C-2 are amina's clients'; S-2 is zara's client's; S-3, R-1 and S-4
		// nobody's (C-1, the letter, too).
		f.statement(v1.Pseudonym, "Statement of V-0001")
		f.statement(v3.ID, "Statement of V-0003")
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Secretstatement",
			Text: "Secrettext of Gul Khan.", Giver: gul.ID, RecordedAt: ptr(recorded)})
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Complaint of V-0002", Text: "She was threatened.", Giver: v2.ID})
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Secretreport", Text: "Secrettext of the raid."})
		s4 := f.statement(v4.ID, "Statement of V-0004")
		f.link(caseroom.NewLink{From: v1.ID, To: v2.ID, Type: "related_to", Source: "S-1", Confidence: ptr(1.0), Note: "Sisters."})
		f.link(caseroom.NewLink{From: v1.ID, To: gul.ID, Type: "abused", Source: "S-1", Confidence: ptr(0.9), Note: "Secretnote"})
		f.link(caseroom.NewLink{From: v3.ID, To: gul.ID, Type: "abused", Source: "S-2", Confidence: ptr(0.9)})
		f.link(caseroom.NewLink{From: tanveer.ID, To: gul.ID, Type: "knows", Source: "S-3", Confidence: ptr(0.5)})
		if _, err := s.DB.RegisterOrganisation(f.ctx, f.c.ID, caseroom.NewOrganisation{Name: "Secretorg gang"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.RegisterLocation(f.ctx, f.c.ID, caseroom.NewLocation{Name: "Secretvillage", Kind: "village"}); err != nil {
			t.Fatal(err)
		}
		reps := func() (l1, l2 *caseroom.Link) {
			ls, err := s.DB.FindLinks(f.ctx, f.c.ID, caseroom.LinkFilter{Entity: rep.ID})
			if err != nil || len(ls) != 2 {
				t.Fatalf("amina's record's links: %v %v", ls, err)
			}
			return ls[0], ls[1]
		}
		l1, l2 := reps()

		av, zv, nv := newView(s, f.c.ID, amina), newView(s, f.c.ID, zara), newView(s, f.c.ID, noel)
		// What a person or document that does not exist answers.
		_, missingV := s.DB.FindPerson(f.ctx, f.c.ID, "V-0099")
		_, missingP := s.DB.FindPerson(f.ctx, f.c.ID, fakeID(gul.ID))
		_, missingS := s.DB.FindDocument(f.ctx, f.c.ID, "S-99")
		_, missingD := s.DB.FindDocument(f.ctx, f.c.ID, fakeID(s4.ID))
		_, missingA := s.DB.FindIdentityAccess(f.ctx, f.c.ID, "V-0099")

		t.Run("persons", func(t *testing.T) {
			ps := av.persons(t, caseroom.PersonFilter{})
			if diff := cmp.Diff([]string{"v1", "v2", "rep"}, labelsOf(label, ps)); diff != "" {
				t.Errorf("amina's persons (-want +got):\n%s", diff)
			}
			for _, p := range ps {
				if p.HasRole(caseroom.PersonVictim) && (!p.IdentityHidden || len(p.Names) != 0) {
					t.Errorf("amina is shown her client's identity: %+v", p)
				}
			}
			if diff := cmp.Diff([]string{"v1", "v2"}, labelsOf(label, av.persons(t, caseroom.PersonFilter{Role: caseroom.PersonVictim}))); diff != "" {
				t.Errorf("amina's victims (-want +got):\n%s", diff)
			}
			if got := labelsOf(label, av.persons(t, caseroom.PersonFilter{Role: caseroom.PersonSuspect})); len(got) != 0 {
				t.Errorf("amina's suspects: %v, want none", got)
			}
			// The lead, for comparison, sees everyone.
			all, err := s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"v1", "v2", "v3", "v4", "gul", "tanveer", "rafiq", "rep", "zrep"}, labelsOf(label, all)); diff != "" {
				t.Errorf("the lead's persons (-want +got):\n%s", diff)
			}
			for _, ref := range []string{v1.Pseudonym, v1.ID, v2.ID, rep.ID} {
				if p, err := av.person(t, ref); err != nil || !(p.ID == v1.ID || p.ID == v2.ID || p.ID == rep.ID) {
					t.Errorf("amina reads %s: %+v, %v", ref, p, err)
				}
			}
		})

		t.Run("search by name", func(t *testing.T) {
			for _, tc := range []struct {
				name     string
				lead, am []string
			}{
				{"Ahmed", []string{"tanveer", "rafiq"}, []string{}},
				{"Gul Khan", []string{"gul"}, []string{}},
				{"Canarythree", []string{"v3"}, []string{}},
				{"Advocate", []string{"rep", "zrep"}, []string{"rep"}},
				{"Amina Advocate", []string{"rep"}, []string{"rep"}},
				// An advocate cannot reveal, so cannot find, even a client by her name.
				{"Canaryone", []string{"v1"}, []string{}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					lead, err := s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{Name: tc.name})
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(tc.lead, labelsOf(label, lead)); diff != "" {
						t.Errorf("the lead searches %q (-want +got):\n%s", tc.name, diff)
					}
					if diff := cmp.Diff(tc.am, labelsOf(label, av.persons(t, caseroom.PersonFilter{Name: tc.name}))); diff != "" {
						t.Errorf("amina searches %q (-want +got):\n%s", tc.name, diff)
					}
				})
			}
		})

		t.Run("a person who is not a client answers as one who does not exist", func(t *testing.T) {
			for _, ref := range []string{v3.Pseudonym, v4.ID, gul.ID, rafiq.ID, zrep.ID} {
				missing, missingRef := missingP, fakeID(gul.ID)
				if strings.HasPrefix(ref, "V-") {
					missing, missingRef = missingV, "V-0099"
				}
				p, err := av.person(t, ref)
				hiddenAsMissing(t, err, ref, missing, missingRef)
				if p != nil {
					t.Errorf("amina reads %s: %+v", ref, p)
				}
			}
		})

		t.Run("documents", func(t *testing.T) {
			if diff := cmp.Diff([]string{"S-1", "C-2"}, refsOf(av.documents(t, ""))); diff != "" {
				t.Errorf("amina's documents (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"S-1"}, refsOf(av.documents(t, caseroom.DocStatement))); diff != "" {
				t.Errorf("amina's statements (-want +got):\n%s", diff)
			}
			if got := refsOf(av.documents(t, caseroom.DocReport)); len(got) != 0 {
				t.Errorf("amina's reports: %v, want none", got)
			}
			for _, ref := range []string{"S-1", "C-2"} {
				if d, err := av.document(t, ref); err != nil || d.Ref != ref {
					t.Errorf("amina reads %s: %+v, %v", ref, d, err)
				}
			}
			for _, ref := range []string{"C-1", "S-2", "S-3", "R-1", s4.ID} {
				missing, missingRef := missingS, "S-99"
				if ref == s4.ID {
					missing, missingRef = missingD, fakeID(s4.ID)
				}
				d, err := av.document(t, ref)
				hiddenAsMissing(t, err, ref, missing, missingRef)
				if d != nil {
					t.Errorf("amina reads %s: %+v", ref, d)
				}
			}
		})

		t.Run("links", func(t *testing.T) {
			want := []string{"rep represents v1", "rep represents v2", "v1 related_to v2"}
			if diff := cmp.Diff(want, linksOf(label, av.links(t, caseroom.LinkFilter{}))); diff != "" {
				t.Errorf("amina's links (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"rep represents v1", "v1 related_to v2"}, linksOf(label, av.links(t, caseroom.LinkFilter{Entity: "V-0001"}))); diff != "" {
				t.Errorf("amina's links of V-0001 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"rep represents v1", "rep represents v2"}, linksOf(label, av.links(t, caseroom.LinkFilter{Type: "represents"}))); diff != "" {
				t.Errorf("amina's represents links (-want +got):\n%s", diff)
			}
			all, err := s.DB.FindLinks(f.ctx, f.c.ID, caseroom.LinkFilter{})
			if err != nil || len(all) != 7 {
				t.Errorf("the lead sees %d links (%v), want all 7", len(all), err)
			}
		})

		t.Run("organisations and locations are refused", func(t *testing.T) {
			for _, v := range []view{av, nv} {
				os, err := s.DB.FindOrganisations(v.ctx(), f.c.ID)
				v.keep(t, os, err)
				checkError(t, err, caseroom.EFORBIDDEN, "")
				ls, err := s.DB.FindLocations(v.ctx(), f.c.ID)
				v.keep(t, ls, err)
				checkError(t, err, caseroom.EFORBIDDEN, "")
			}
			if os, err := s.DB.FindOrganisations(as(omar), f.c.ID); err != nil || len(os) != 1 {
				t.Errorf("oversight reads organisations: %v %v", os, err)
			}
		})

		t.Run("the members list shows the person standing for each member", func(t *testing.T) {
			ms, err := s.DB.FindMembers(as(amina), f.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, m := range ms {
				got[m.User] = m.Person
			}
			want := map[string]string{"alice": "", "omar": "", "ivy": "", "amina": rep.ID, "zara": zrep.ID, "noel": ""}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("members' persons (-want +got):\n%s", diff)
			}
		})

		t.Run("the identity access list of a client, not of anyone else", func(t *testing.T) {
			rep1, err := av.access(t, v1.Pseudonym)
			if err != nil || rep1.Person != v1.ID {
				t.Fatalf("amina reads her client's access list: %+v, %v", rep1, err)
			}
			for _, ref := range []string{v3.Pseudonym, v4.Pseudonym} {
				r, err := av.access(t, ref)
				hiddenAsMissing(t, err, ref, missingA, "V-0099")
				if r != nil {
					t.Errorf("amina reads %s's access list: %+v", ref, r)
				}
			}
			// Her own reveal of a client is refused, and recorded like anyone's.
			before := s.Snapshot()
			p, err := av.reveal(t, v1.Pseudonym, "To check the family's account.")
			checkError(t, err, caseroom.EFORBIDDEN, "")
			if p != nil {
				t.Errorf("a refused reveal returned %+v", p)
			}
			want := maps.Clone(before)
			want["audit_log"]++
			want["identity_access"]++
			if diff := cmp.Diff(want, s.Snapshot()); diff != "" {
				t.Errorf("a refused reveal wrote (-want +got):\n%s", diff)
			}
			if e := s.lastEntry(); e.Action != "identity.reveal.refused" || e.Actor != "amina" || e.ObjectID != v1.ID {
				t.Errorf("last audit entry %+v, want amina's refused reveal of V-0001", e)
			}
			rep1, err = av.access(t, v1.Pseudonym)
			if err != nil || len(rep1.Entries) != 1 || rep1.Entries[0].User != "amina" || rep1.Entries[0].Granted {
				t.Errorf("after her refused reveal, amina reads the access list %+v, %v", rep1, err)
			}
			// A reveal of someone not a client is answered as for nobody, and not recorded.
			for _, ref := range []string{v3.Pseudonym, v4.ID} {
				refused(t, s, caseroom.ENOTFOUND, "", func() error {
					_, err := av.reveal(t, ref, "To check.")
					if err != nil && !strings.HasPrefix(caseroom.ErrorMessage(err), "There is no person "+ref) {
						t.Errorf("reveal of %s: %q", ref, caseroom.ErrorMessage(err))
					}
					return err
				})
			}
		})

		t.Run("a complaint on a client's behalf reaches the lead and oversight", func(t *testing.T) {
			before := s.Snapshot()
			c, err := av.register(t, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Pressured to withdraw",
				Text: "The family of V-0001 was told to withdraw the case.", Giver: v1.Pseudonym})
			if err != nil {
				t.Fatal(err)
			}
			if c.Ref != "C-3" || c.RegisteredBy != "amina" || c.Statement == nil || c.Statement.Giver != v1.ID || c.Statement.GiverLabel != "V-0001" {
				t.Errorf("amina's complaint is %+v (statement %+v); want C-3 by amina, given by V-0001", c, c.Statement)
			}
			after := s.Snapshot()
			if after["documents"] != before["documents"]+1 || after["audit_log"] != before["audit_log"]+1 {
				t.Errorf("filing a complaint wrote %v, was %v", after, before)
			}
			for _, u := range []*caseroom.User{f.lead, omar} {
				ds, err := s.DB.FindDocuments(as(u), f.c.ID, caseroom.DocumentFilter{Kind: caseroom.DocComplaint})
				if err != nil {
					t.Fatal(err)
				}
				if n := len(ds); n == 0 || ds[n-1].Ref != "C-3" || ds[n-1].RegisteredBy != "amina" || ds[n-1].Title != "Pressured to withdraw" {
					t.Errorf("%s's complaints are %v; want them to end with amina's C-3", u.Name, refsOf(ds))
				}
			}
			if diff := cmp.Diff([]string{"S-1", "C-2", "C-3"}, refsOf(av.documents(t, ""))); diff != "" {
				t.Errorf("amina's documents (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"S-2"}, refsOf(zv.documents(t, ""))); diff != "" {
				t.Errorf("zara's documents (-want +got):\n%s", diff)
			}
		})

		t.Run("refused writes change nothing", func(t *testing.T) {
			complaint := func(giver string) func(t *testing.T) error {
				return func(t *testing.T) error {
					_, err := av.register(t, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Pressured", Text: "Told to withdraw.", Giver: giver})
					return err
				}
			}
			for _, tc := range []struct {
				name, code, field string
				call              func(t *testing.T) error
			}{
				{"a complaint for another's client", caseroom.EINVALID, "giver", complaint(v3.Pseudonym)},
				{"a complaint for nobody's client", caseroom.EINVALID, "giver", complaint(v4.ID)},
				{"a complaint for a suspect", caseroom.EINVALID, "giver", complaint(gul.ID)},
				{"a complaint for a person who does not exist", caseroom.EINVALID, "giver", complaint("V-0099")},
				{"a complaint for no one", caseroom.EINVALID, "giver", complaint("")},
				{"a statement by a client", caseroom.EFORBIDDEN, "", func(t *testing.T) error {
					_, err := av.register(t, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "My client's account", Text: "Text.",
						Giver: v1.ID, RecordedAt: ptr(recorded)})
					return err
				}},
				{"a report", caseroom.EFORBIDDEN, "", func(t *testing.T) error {
					_, err := av.register(t, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "A report", Text: "Text."})
					return err
				}},
				{"a link", caseroom.EFORBIDDEN, "", func(t *testing.T) error {
					l, err := s.DB.RecordLink(av.ctx(), f.c.ID, caseroom.NewLink{From: rep.ID, To: v1.ID, Type: "represents", Source: "C-3", Confidence: ptr(1.0)})
					av.keep(t, l, err)
					return err
				}},
				{"a person", caseroom.EFORBIDDEN, "", func(t *testing.T) error {
					p, err := s.DB.RegisterPerson(av.ctx(), f.c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "New Witness"}}, Roles: []caseroom.PersonRole{"witness"}})
					av.keep(t, p, err)
					return err
				}},
				{"a name for a client", caseroom.EFORBIDDEN, "", func(t *testing.T) error {
					p, err := s.DB.AddName(av.ctx(), f.c.ID, v1.ID, caseroom.PersonName{Name: "Another Name"})
					av.keep(t, p, err)
					return err
				}},
				{"an organisation", caseroom.EFORBIDDEN, "", func(t *testing.T) error {
					o, err := s.DB.RegisterOrganisation(av.ctx(), f.c.ID, caseroom.NewOrganisation{Name: "Some shop"})
					av.keep(t, o, err)
					return err
				}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					var msg string
					refused(t, s, tc.code, tc.field, func() error {
						err := tc.call(t)
						msg = caseroom.ErrorMessage(err)
						return err
					})
					// A person not a client is refused in the words used for nobody.
					if tc.field == "giver" {
						if want := caseroom.ErrorMessage(complaint("V-0099")(t)); msg != want {
							t.Errorf("refused with %q; for a person who does not exist, %q", msg, want)
						}
					}
				})
			}
		})

		t.Run("an advocate without a person record sees no one", func(t *testing.T) {
			if ps := nv.persons(t, caseroom.PersonFilter{}); len(ps) != 0 {
				t.Errorf("noel's persons: %v", labelsOf(label, ps))
			}
			if ds := nv.documents(t, ""); len(ds) != 0 {
				t.Errorf("noel's documents: %v", refsOf(ds))
			}
			if ls := nv.links(t, caseroom.LinkFilter{}); len(ls) != 0 {
				t.Errorf("noel's links: %v", linksOf(label, ls))
			}
			_, err := nv.person(t, v1.Pseudonym)
			hiddenAsMissing(t, err, v1.Pseudonym, missingV, "V-0099")
			_, err = nv.access(t, v1.Pseudonym)
			hiddenAsMissing(t, err, v1.Pseudonym, missingA, "V-0099")
			refused(t, s, caseroom.EINVALID, "giver", func() error {
				_, err := nv.register(t, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Pressured", Text: "Told.", Giver: v1.Pseudonym})
				return err
			})
		})

		t.Run("another advocate sees only her own client", func(t *testing.T) {
			if diff := cmp.Diff([]string{"v3", "zrep"}, labelsOf(label, zv.persons(t, caseroom.PersonFilter{}))); diff != "" {
				t.Errorf("zara's persons (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"zrep represents v3"}, linksOf(label, zv.links(t, caseroom.LinkFilter{}))); diff != "" {
				t.Errorf("zara's links (-want +got):\n%s", diff)
			}
		})

		t.Run("a retracted representation ends on the next call", func(t *testing.T) {
			if _, err := av.person(t, v2.ID); err != nil {
				t.Fatalf("before the retraction amina reads V-0002: %v", err)
			}
			f.link(caseroom.NewLink{From: rep.ID, To: v2.ID, Type: "represents", Source: letter.Ref, Confidence: ptr(1.0),
				Corrects: l2.ID, Retracts: true, Reason: "The family withdrew the authority."})
			if diff := cmp.Diff([]string{"v1", "rep"}, labelsOf(label, av.persons(t, caseroom.PersonFilter{}))); diff != "" {
				t.Errorf("amina's persons (-want +got):\n%s", diff)
			}
			_, err := av.person(t, v2.Pseudonym)
			hiddenAsMissing(t, err, v2.Pseudonym, missingV, "V-0099")
			_, err = av.access(t, v2.Pseudonym)
			hiddenAsMissing(t, err, v2.Pseudonym, missingA, "V-0099")
			// C-2, V-0002's complaint, goes with her; C-3, which amina filed, stays.
			if diff := cmp.Diff([]string{"S-1", "C-3"}, refsOf(av.documents(t, ""))); diff != "" {
				t.Errorf("amina's documents (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"rep represents v1"}, linksOf(label, av.links(t, caseroom.LinkFilter{}))); diff != "" {
				t.Errorf("amina's links (-want +got):\n%s", diff)
			}
			refused(t, s, caseroom.EINVALID, "giver", func() error {
				_, err := av.register(t, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Pressured", Text: "Told.", Giver: v2.ID})
				return err
			})
		})

		t.Run("a correction naming another child moves the representation", func(t *testing.T) {
			f.link(caseroom.NewLink{From: rep.ID, To: v4.ID, Type: "represents", Source: letter.Ref, Confidence: ptr(1.0),
				Corrects: l1.ID, Reason: "The letter names V-0004, not V-0001."})
			if diff := cmp.Diff([]string{"v4", "rep"}, labelsOf(label, av.persons(t, caseroom.PersonFilter{}))); diff != "" {
				t.Errorf("amina's persons (-want +got):\n%s", diff)
			}
			_, err := av.person(t, v1.Pseudonym)
			hiddenAsMissing(t, err, v1.Pseudonym, missingV, "V-0099")
			if diff := cmp.Diff([]string{"S-4", "C-3"}, refsOf(av.documents(t, ""))); diff != "" {
				t.Errorf("amina's documents (-want +got):\n%s", diff)
			}
		})

		t.Run("another person record applies on the next call", func(t *testing.T) {
			m := f.setPerson(amina, caseroom.RoleAdvocate, zrep)
			if m.Person != zrep.ID {
				t.Errorf("AddMember answered person %q, want %s", m.Person, zrep.ID)
			}
			if diff := cmp.Diff([]string{"v3", "zrep"}, labelsOf(label, av.persons(t, caseroom.PersonFilter{}))); diff != "" {
				t.Errorf("amina's persons (-want +got):\n%s", diff)
			}
			_, err := av.person(t, v4.Pseudonym)
			hiddenAsMissing(t, err, v4.Pseudonym, missingV, "V-0099")
			if diff := cmp.Diff([]string{"S-2", "C-3"}, refsOf(av.documents(t, ""))); diff != "" {
				t.Errorf("amina's documents (-want +got):\n%s", diff)
			}
			if _, err := av.access(t, v3.Pseudonym); err != nil {
				t.Errorf("amina reads her new client's access list: %v", err)
			}
			ms, err := s.DB.FindMembers(f.ctx, f.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.User == "amina" && m.Person != zrep.ID {
					t.Errorf("the members list shows amina standing for %q, want %s", m.Person, zrep.ID)
				}
			}
		})

		t.Run("no victim's name nor anything hidden reached an advocate", func(t *testing.T) {
			for _, v := range []view{av, zv, nv} {
				v.mustNotHaveSeen(t, "Canary", "Bibi", "Gul Khan", "Tanveer", "Rafiq", "Secret")
			}
		})
	})
}

// TestAdvocateCannotProbeForRecords asks, as an advocate, about records she may not
// see through every field that names one, and checks that each answers exactly as a
// record that does not exist would, writing nothing either way: else she could count
// the case's victims (V-0001, V-0002, ...) and statements (S-1, S-2, ...).
func TestAdvocateCannotProbeForRecords(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		letter := f.complaint("Letter of authority")
		client := f.victim(f.ctx, "Canaryone Bibi")
		other := f.victim(f.ctx, "Canarytwo Bibi")   // V-0002, not her client
		f.statement(other.ID, "Statement of V-0002") // S-1
		amina, _ := f.advocate("amina", letter.Ref, client)
		ctx := as(amina)
		complaint := func(change func(nd *caseroom.NewDocument)) func() (any, error) {
			return func() (any, error) {
				nd := caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Pressured to withdraw", Text: "Told to withdraw.", Giver: client.ID}
				change(&nd)
				return s.DB.RegisterDocument(ctx, f.c.ID, nd)
			}
		}
		for _, tc := range []struct {
			name            string
			hidden, missing string
			call            func(ref string) func() (any, error)
		}{
			{"links of a person", "V-0002", "V-0099", func(ref string) func() (any, error) {
				return func() (any, error) { return s.DB.FindLinks(ctx, f.c.ID, caseroom.LinkFilter{Entity: ref}) }
			}},
			{"links of a document", "S-1", "S-99", func(ref string) func() (any, error) {
				return func() (any, error) { return s.DB.FindLinks(ctx, f.c.ID, caseroom.LinkFilter{Entity: ref}) }
			}},
			{"a complaint with a person present", "V-0002", "V-0099", func(ref string) func() (any, error) {
				return complaint(func(nd *caseroom.NewDocument) { nd.Present = []caseroom.Presence{{Person: ref, Capacity: "mother"}} })
			}},
			{"a complaint through an interpreter", "V-0002", "V-0099", func(ref string) func() (any, error) {
				return complaint(func(nd *caseroom.NewDocument) { nd.Interpreter = ref })
			}},
			{"a complaint correcting a document", "S-1", "S-99", func(ref string) func() (any, error) {
				return complaint(func(nd *caseroom.NewDocument) { nd.Corrects, nd.CorrectionReason = ref, "Wrong date." })
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				answer := func(ref string) string {
					before := s.Snapshot()
					v, err := tc.call(ref)()
					if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
						t.Errorf("naming %s wrote (-before +after):\n%s", ref, diff)
					}
					if err != nil {
						return "error " + caseroom.ErrorCode(err) + ": " + caseroom.ErrorMessage(err)
					}
					b, _ := json.Marshal(v)
					return string(b)
				}
				hidden, missing := answer(tc.hidden), answer(tc.missing)
				if want := strings.ReplaceAll(missing, tc.missing, tc.hidden); hidden != want {
					t.Errorf("naming %s, which she may not see, answers\n%s\nbut naming %s, which does not exist, answers\n%s", tc.hidden, hidden, tc.missing, missing)
				}
			})
		}
	})
}

// TestOnlyTheLeadDecidesRepresentation shows that recording, correcting or withdrawing
// a represents link — which decides what an advocate sees — is for the lead alone.
func TestOnlyTheLeadDecidesRepresentation(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		letter := f.complaint("Letter of authority")
		client := f.victim(f.ctx, "Canaryone Bibi")
		other := f.victim(f.ctx, "Canarytwo Bibi")
		_, rep := f.advocate("amina", letter.Ref, client)
		granted := f.represents(rep, client, letter.Ref)
		for _, role := range []caseroom.Role{caseroom.RoleInvestigator, caseroom.RoleIndexer, caseroom.RoleProtection} {
			u := f.member("m-"+string(role), role)
			refused(t, s, caseroom.EFORBIDDEN, "", func() error {
				_, err := s.DB.RecordLink(as(u), f.c.ID, caseroom.NewLink{From: rep.ID, To: other.ID, Type: "represents", Source: letter.Ref, Confidence: ptr(1.0)})
				return err
			})
			refused(t, s, caseroom.EFORBIDDEN, "", func() error {
				_, err := s.DB.RecordLink(as(u), f.c.ID, caseroom.NewLink{From: rep.ID, To: client.ID, Type: "knows", Source: letter.Ref, Confidence: ptr(1.0),
					Corrects: granted.ID, Retracts: true, Reason: "withdrawn"})
				return err
			})
		}
		// The lead may.
		if _, err := s.DB.RecordLink(f.ctx, f.c.ID, caseroom.NewLink{From: rep.ID, To: other.ID, Type: "represents", Source: letter.Ref, Confidence: ptr(1.0)}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAdvocateCannotProbeThroughCheckOrder names a hidden and a missing person beside
// a missing document, and a recording officer other than herself: each answer must
// not depend on whether the person exists.
func TestAdvocateCannotProbeThroughCheckOrder(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		letter := f.complaint("Letter of authority")
		client := f.victim(f.ctx, "Canaryone Bibi")
		f.victim(f.ctx, "Canarytwo Bibi") // V-0002, not her client
		amina, _ := f.advocate("amina", letter.Ref, client)
		file := func(interpreter string) error {
			_, err := s.DB.RegisterDocument(as(amina), f.c.ID, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Pressured", Text: "Told to withdraw.",
				Giver: client.ID, Corrects: "C-999", CorrectionReason: "wrong date", Interpreter: interpreter})
			return err
		}
		hidden, missing := file("V-0002"), file("V-0099")
		if caseroom.ErrorMessage(hidden) != caseroom.ErrorMessage(missing) || caseroom.ErrorCode(hidden) != caseroom.ErrorCode(missing) {
			t.Errorf("a hidden interpreter answers %v, a missing one %v", hidden, missing)
		}
		refused(t, s, caseroom.EINVALID, "recordedBy", func() error {
			_, err := s.DB.RegisterDocument(as(amina), f.c.ID, caseroom.NewDocument{Kind: caseroom.DocComplaint, Title: "Pressured", Text: "Told to withdraw.",
				Giver: client.ID, RecordedBy: "alice"})
			return err
		})
	})
}

// TestAdvocateDocumentsPointNowhereElse: a client's statement, as an advocate reads it,
// keeps the officers present but not another child present, and lists only the
// corrections the advocate may open.
func TestAdvocateDocumentsPointNowhereElse(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		letter := f.complaint("Letter of authority")
		client := f.victim(f.ctx, "Canaryone Bibi")
		other := f.victim(f.ctx, "Canarytwo Bibi")
		officer := f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Constable Rashida"}}, Roles: []caseroom.PersonRole{"officer"}})
		amina, _ := f.advocate("amina", letter.Ref, client)
		st := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Statement of V-0001", Text: "Given with others present.",
			Giver: client.ID, RecordedAt: ptr(recorded), Present: []caseroom.Presence{{Person: officer.ID, Capacity: "female officer"}, {Person: other.ID, Capacity: "sister"}}})
		// A correction the advocate may open (the client's own) and one she may not (a report).
		own := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Correction", Text: "The date was the 4th.", Giver: client.ID,
			RecordedAt: ptr(recorded), Corrects: st.Ref, CorrectionReason: "wrong date"})
		f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocReport, Title: "Officer's note", Text: "Noted.", Corrects: st.Ref, CorrectionReason: "context"})
		got, err := s.DB.FindDocument(as(amina), f.c.ID, st.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{own.Ref}, got.CorrectedBy); diff != "" {
			t.Errorf("corrections the advocate sees (-want +got):\n%s", diff)
		}
		if len(got.Statement.Present) != 1 || got.Statement.Present[0].Person != officer.ID {
			t.Errorf("present, as the advocate reads it: %+v; want only the officer", got.Statement.Present)
		}
		lead, err := s.DB.FindDocument(f.ctx, f.c.ID, st.Ref)
		if err != nil || len(lead.Statement.Present) != 2 || len(lead.CorrectedBy) != 2 {
			t.Errorf("the lead's view lost something: %+v, %v", lead, err)
		}
	})
}
