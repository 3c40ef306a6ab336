package sqlstore_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/sqlstore"
)

// netCase is the acceptance story of link analysis: a victim's father paid a middleman
// who knows the top man; a shortcut from the father to the top man rests on a medical
// report, which an investigator does not read.
type netCase struct {
	*fixture
	father, middle, top, victim *caseroom.Person
	report, medical             *caseroom.Document
	inv                         *caseroom.User
}

func newNetCase(t *testing.T, s *testStore) *netCase {
	t.Helper()
	f := newFixture(t, s, "lena", "Operation Web")
	n := &netCase{fixture: f}
	n.father = f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Fazal Din", Script: "Latn"}}, Roles: []caseroom.PersonRole{caseroom.PersonWitness}})
	n.middle = f.suspect("Middle Man")
	n.top = f.suspect("Top Man")
	n.victim = f.victim(f.ctx, "Child Three")
	n.report = f.complaint("The father's complaint")
	n.medical = f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocMedicalReport, Title: "Examination", Text: "Findings."})
	n.inv = f.member("ivan", caseroom.RoleInvestigator)
	f.link(caseroom.NewLink{From: n.father.ID, To: n.victim.ID, Type: "parent_of", Source: n.report.Ref, Confidence: ptr(1.0)})
	f.link(caseroom.NewLink{From: n.middle.ID, To: n.top.ID, Type: "knows", Source: n.report.Ref, Confidence: ptr(0.9), Since: "2014", Until: "2016-05"})
	f.link(caseroom.NewLink{From: n.father.ID, To: n.top.ID, Type: "knows", Source: n.medical.ID, Confidence: ptr(0.9)})
	for _, amt := range []int64{1000000, 500000} {
		if _, err := s.DB.RecordPayment(f.ctx, f.c.ID, caseroom.NewPayment{Payer: n.father.ID, Payee: n.middle.ID, Amount: amount(amt), At: "2015-06-15T12:00:00Z",
			Method: caseroom.PaymentCash, Purpose: caseroom.PurposeExtortion, Source: n.report.Ref}); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// nodeIDs lists a network's node ids.
func nodeIDs(nodes []*caseroom.NetworkNode) []string {
	var ids []string
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	return ids
}

func TestNetworkPaths(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		n := newNetCase(t, s)
		f := n.fixture

		t.Run("the lead reads the medical report: the shortcut", func(t *testing.T) {
			p, err := s.DB.Paths(f.ctx, f.c.ID, caseroom.PathQuery{From: n.father.ID, To: n.top.ID})
			if err != nil {
				t.Fatal(err)
			}
			if p.Length != 1 || len(p.Paths) != 1 || p.Paths[0].Edges[0].Sources[0].ID != n.medical.ID {
				t.Errorf("lead's paths: %+v", p)
			}
		})
		t.Run("the investigator: through the payments and the middleman, each edge with its source", func(t *testing.T) {
			p, err := s.DB.Paths(as(n.inv), f.c.ID, caseroom.PathQuery{From: n.father.ID, To: n.top.ID})
			if err != nil {
				t.Fatal(err)
			}
			if p.Length != 2 || len(p.Paths) != 1 || p.Truncated {
				t.Fatalf("investigator's paths: %+v", p)
			}
			path := p.Paths[0]
			if want := []string{n.father.ID, n.middle.ID, n.top.ID}; !slices.Equal(path.Nodes, want) {
				t.Errorf("path nodes %v, want %v", path.Nodes, want)
			}
			paid, knows := path.Edges[0], path.Edges[1]
			if paid.Via != caseroom.ViaPayments || paid.Count != 2 || len(paid.Totals) != 1 || paid.Totals[0].Amount != 1500000 || paid.Totals[0].Text.Short == "" {
				t.Errorf("the payments edge: %+v", paid)
			}
			if len(paid.Sources) != 1 || paid.Sources[0].Ref != n.report.Ref || knows.Sources[0].Ref != n.report.Ref {
				t.Errorf("sources: %+v, %+v", paid.Sources, knows.Sources)
			}
			if got := nodeIDs(p.Nodes); !slices.Equal(got, path.Nodes) {
				t.Errorf("nodes %v", got)
			}
		})
		t.Run("avoiding single-source edges, no path", func(t *testing.T) {
			p, err := s.DB.Paths(as(n.inv), f.c.ID, caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{AvoidSingleSource: true}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Length != 0 || len(p.Paths) != 0 {
				t.Errorf("paths over single-source edges: %+v", p)
			}
		})
		t.Run("links only: no path within the investigator's reach", func(t *testing.T) {
			p, err := s.DB.Paths(as(n.inv), f.c.ID, caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{Via: []string{caseroom.ViaLink}}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Length != 0 {
				t.Errorf("links only: %+v", p)
			}
		})
		t.Run("a window before the middleman knew the top man", func(t *testing.T) {
			p, err := s.DB.Paths(as(n.inv), f.c.ID, caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{Until: "2013"}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Length != 0 {
				t.Errorf("window until 2013: %+v", p)
			}
			p, err = s.DB.Paths(as(n.inv), f.c.ID, caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{Since: "2015-06", Until: "2015-06"}})
			if err != nil || p.Length != 2 {
				t.Errorf("window of June 2015: %+v, %v", p, err)
			}
			// A payment of 2016 counts in a window of 2016 only.
			if _, err := s.DB.RecordPayment(f.ctx, f.c.ID, caseroom.NewPayment{Payer: n.father.ID, Payee: n.middle.ID, Amount: amount(7), At: "2016-02",
				Method: caseroom.PaymentCash, Purpose: caseroom.PurposeExtortion, Source: n.report.Ref}); err != nil {
				t.Fatal(err)
			}
			for _, w := range []struct {
				since string
				count int
			}{{"2016", 1}, {"2015", 3}} {
				net, err := s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.father.ID, Steps: 1,
					NetworkFilter: caseroom.NetworkFilter{Via: []string{caseroom.ViaPayments}, Since: w.since}})
				if err != nil {
					t.Fatal(err)
				}
				if len(net.Edges) != 1 || net.Edges[0].Count != w.count {
					t.Errorf("payments since %s: %+v", w.since, net.Edges)
				}
			}
		})
		t.Run("bad input", func(t *testing.T) {
			for _, tc := range []struct {
				q     caseroom.PathQuery
				field string
			}{
				{caseroom.PathQuery{From: n.father.ID, To: n.father.ID}, "to"},
				{caseroom.PathQuery{From: "per_nosuchthing", To: n.top.ID}, "from"},
				{caseroom.PathQuery{From: n.father.ID, To: ""}, "to"},
				{caseroom.PathQuery{From: n.father.ID, To: n.top.ID, Max: 9}, "max"},
				{caseroom.PathQuery{From: n.father.ID, To: n.top.ID, Limit: -1}, "limit"},
				{caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{Types: []caseroom.LinkType{"nosuchtype"}}}, "type"},
				{caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{Via: []string{"carrier pigeon"}}}, "via"},
				{caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{Since: "June"}}, "since"},
				{caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{Since: "2016", Until: "2015"}}, "until"},
				{caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{MinConfidence: 2}}, "confidence"},
				{caseroom.PathQuery{From: n.father.ID, To: n.top.ID, NetworkFilter: caseroom.NetworkFilter{Kinds: []caseroom.EntityKind{"exhibit"}}}, "kind"},
			} {
				_, err := s.DB.Paths(as(n.inv), f.c.ID, tc.q)
				checkError(t, err, caseroom.EINVALID, tc.field)
			}
			_, err := s.DB.Paths(as(n.inv), "cas_nosuchcase", caseroom.PathQuery{From: n.father.ID, To: n.top.ID})
			checkError(t, err, caseroom.ENOTFOUND, "")
		})
	})
}

func TestNetworkNeighbourhood(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		n := newNetCase(t, s)
		f := n.fixture
		phone, err := s.DB.AddIdentifier(f.ctx, f.c.ID, n.victim.ID, caseroom.NewIdentifier{Kind: "phone", Value: "03001112223", Source: n.report.Ref})
		if err != nil {
			t.Fatal(err)
		}

		net, err := s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.middle.ID, Steps: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := nodeIDs(net.Nodes); len(got) != 3 || got[0] != n.middle.ID || !slices.Contains(got, n.father.ID) || !slices.Contains(got, n.top.ID) {
			t.Errorf("1 step around the middleman: %v", got)
		}
		if len(net.Edges) != 2 {
			t.Errorf("edges: %+v", net.Edges)
		}

		net, err = s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.middle.ID, Steps: 3})
		if err != nil {
			t.Fatal(err)
		}
		steps := map[string]int{}
		labels := map[string]string{}
		for _, nd := range net.Nodes {
			steps[nd.ID], labels[nd.ID] = nd.Steps, nd.Label
		}
		if steps[n.victim.ID] != 2 || steps[phone.ID] != 3 {
			t.Errorf("steps: %v", steps)
		}
		if labels[n.victim.ID] != "V-0001" || labels[phone.ID] != "phone of V-0001" {
			t.Errorf("victim labelled %q, their phone %q", labels[n.victim.ID], labels[phone.ID])
		}
		for _, e := range net.Edges {
			for _, src := range e.Sources {
				if src.ID == n.medical.ID {
					t.Errorf("the investigator's network has an edge resting on the medical report: %+v", e)
				}
			}
		}
		var sent strings.Builder
		for _, nd := range net.Nodes {
			sent.WriteString(nd.Label + " ")
		}
		if strings.Contains(sent.String(), "Child Three") || strings.Contains(sent.String(), "03001112223") {
			t.Errorf("a victim's name or number is on the network: %s", sent.String())
		}

		t.Run("a correction replaces the link; a retraction removes it", func(t *testing.T) {
			f := f.in(t)
			links, err := s.DB.FindLinks(f.ctx, f.c.ID, caseroom.LinkFilter{Entity: n.top.ID, Type: "knows"})
			if err != nil {
				t.Fatal(err)
			}
			var knows *caseroom.Link
			for _, l := range links {
				if l.From == n.middle.ID {
					knows = l
				}
			}
			fix := f.link(caseroom.NewLink{From: n.middle.ID, To: n.top.ID, Type: "employed_by", Source: n.report.Ref, Confidence: ptr(0.8), Corrects: knows.ID, Reason: "He works for him."})
			net, err := s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.top.ID, Steps: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(net.Edges) != 1 || net.Edges[0].ID != fix.ID {
				t.Errorf("after the correction: %+v", net.Edges)
			}
			f.link(caseroom.NewLink{From: n.middle.ID, To: n.top.ID, Type: "employed_by", Source: n.report.Ref, Confidence: ptr(0.0),
				Corrects: fix.ID, Retracts: true, Reason: "Withdrawn."})
			net, err = s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.top.ID, Steps: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(net.Edges) != 0 || len(net.Nodes) != 1 {
				t.Errorf("after the retraction: %+v", net.Edges)
			}
		})

		t.Run("standing only: a link resting on a retracted statement", func(t *testing.T) {
			f := f.in(t)
			st := f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "The father's statement", Text: "He took the money.",
				Giver: n.father.ID, RecordedAt: ptr(recorded)})
			f.link(caseroom.NewLink{From: n.father.ID, To: n.middle.ID, Type: "met", Source: st.Ref, Confidence: ptr(0.7)})
			count := func(standing bool) int {
				net, err := s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.father.ID, Steps: 1,
					NetworkFilter: caseroom.NetworkFilter{Via: []string{caseroom.ViaLink}, Types: []caseroom.LinkType{"met"}, Standing: standing}})
				if err != nil {
					t.Fatal(err)
				}
				return len(net.Edges)
			}
			if count(true) != 1 {
				t.Fatal("the met link is not on the network")
			}
			f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Withdrawal", Text: "I withdraw.", Giver: n.father.ID,
				RecordedAt: ptr(recorded.Add(time.Hour)), Retracts: st.Ref, Circumstances: "Came alone."})
			if count(true) != 0 || count(false) != 1 {
				t.Errorf("standing only: %d, all: %d", count(true), count(false))
			}
		})

		t.Run("a cap on a node's edges", func(t *testing.T) {
			f := f.in(t)
			for i := range 5 {
				p := f.suspect("Hub Contact " + string(rune('A'+i)))
				f.link(caseroom.NewLink{From: n.top.ID, To: p.ID, Type: "knows", Source: n.report.Ref, Confidence: ptr(0.5)})
			}
			net, err := s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.top.ID, Steps: 1, Cap: 3})
			if err != nil {
				t.Fatal(err)
			}
			if !net.Capped || len(net.Edges) != 3 || !net.Nodes[0].Capped {
				t.Errorf("capped at 3: capped %v, %d edges", net.Capped, len(net.Edges))
			}
		})

		t.Run("links the reader may not see take no place under the cap", func(t *testing.T) {
			f := f.in(t)
			for _, name := range []string{"Hidden One", "Hidden Two"} {
				p := f.suspect(name)
				f.link(caseroom.NewLink{From: n.middle.ID, To: p.ID, Type: "knows", Source: n.medical.ID, Confidence: ptr(1.0)})
			}
			net, err := s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.middle.ID, Steps: 1, Cap: 1,
				NetworkFilter: caseroom.NetworkFilter{Via: []string{caseroom.ViaLink}}})
			if err != nil {
				t.Fatal(err)
			}
			// Of the middleman's links, the investigator sees one: the father's "met".
			if len(net.Edges) != 1 || net.Edges[0].Type != "met" || net.Capped {
				t.Errorf("capped at 1 over links resting on a medical report: %d edges, capped %v", len(net.Edges), net.Capped)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			for _, tc := range []struct {
				q     caseroom.NetworkQuery
				field string
			}{
				{caseroom.NetworkQuery{Around: n.middle.ID, Steps: 0}, "steps"},
				{caseroom.NetworkQuery{Around: n.middle.ID, Steps: 5}, "steps"},
				{caseroom.NetworkQuery{Around: n.middle.ID, Steps: 1, Cap: -1}, "cap"},
				{caseroom.NetworkQuery{Around: "per_nosuchthing", Steps: 1}, "around"},
				{caseroom.NetworkQuery{Around: n.medical.ID, Steps: 1}, "around"},
				{caseroom.NetworkQuery{Around: "V-0099", Steps: 1}, "around"},
			} {
				_, err := s.DB.Network(as(n.inv), f.c.ID, tc.q)
				checkError(t, err, caseroom.EINVALID, tc.field)
			}
		})
	})
}

// TestNetworkSharedAccount: an account two suspects hold joins them, and the payment
// from it reaches its payee through it.
func TestNetworkSharedAccount(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		n := newNetCase(t, s)
		f := n.fixture
		const account = "PK36SCBL0000001123456702"
		for _, p := range []*caseroom.Person{n.top, n.father} {
			if _, err := s.DB.AddIdentifier(f.ctx, f.c.ID, p.ID, caseroom.NewIdentifier{Kind: "bank_account", Value: account, Source: n.report.Ref}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.DB.RecordPayment(f.ctx, f.c.ID, caseroom.NewPayment{Payer: "bank_account:" + account, Payee: n.victim.ID, Amount: amount(100), At: "2016",
			Method: caseroom.PaymentBankTransfer, Purpose: caseroom.PurposeExtortion, Source: n.report.Ref}); err != nil {
			t.Fatal(err)
		}
		net, err := s.DB.Network(as(n.inv), f.c.ID, caseroom.NetworkQuery{Around: n.top.ID, Steps: 2, NetworkFilter: caseroom.NetworkFilter{Via: []string{caseroom.ViaIdentifier, caseroom.ViaPayments}}})
		if err != nil {
			t.Fatal(err)
		}
		var endpoint string
		steps := map[string]int{}
		for _, nd := range net.Nodes {
			steps[nd.ID] = nd.Steps
			if nd.Kind == caseroom.EntityEndpoint {
				endpoint = nd.ID
			}
		}
		if endpoint == "" || steps[endpoint] != 1 || steps[n.father.ID] != 2 || steps[n.victim.ID] != 2 {
			t.Errorf("around the top man, the shared account at 1 step, its other holder and its payee at 2: %v", steps)
		}
	})
}

func TestNetworkAdvocate(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		n := newNetCase(t, s)
		f := n.fixture
		adv, rep := f.advocate("amina", n.report.Ref, n.victim)
		ctx := as(adv)

		net, err := s.DB.Network(ctx, f.c.ID, caseroom.NetworkQuery{Around: n.victim.ID, Steps: 4})
		if err != nil {
			t.Fatal(err)
		}
		if got := nodeIDs(net.Nodes); !slices.Equal(got, []string{n.victim.ID, rep.ID}) {
			t.Errorf("the advocate's network around the client: %v", got)
		}
		for _, q := range []caseroom.NetworkQuery{{Around: n.father.ID, Steps: 1}, {Around: "per_nosuchthing", Steps: 1}} {
			_, err := s.DB.Network(ctx, f.c.ID, q)
			checkError(t, err, caseroom.ENOTFOUND, "")
		}
		_, err = s.DB.Paths(ctx, f.c.ID, caseroom.PathQuery{From: n.father.ID, To: n.top.ID})
		checkError(t, err, caseroom.ENOTFOUND, "")
		_, err = s.DB.Network(ctx, f.c.ID, caseroom.NetworkQuery{Around: n.victim.ID, Steps: 1, NetworkFilter: caseroom.NetworkFilter{Via: []string{caseroom.ViaPayments}}})
		checkError(t, err, caseroom.EFORBIDDEN, "")
		c, err := s.DB.Centrality(ctx, f.c.ID, caseroom.CentralityQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.Persons {
			if p.Node.ID != n.victim.ID && p.Node.ID != rep.ID {
				t.Errorf("the advocate's centrality lists %s", p.Node.ID)
			}
		}
	})
}

func TestNetworkCommonAndCentrality(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		n := newNetCase(t, s)
		f := n.fixture
		ctx := as(n.inv)

		common, err := s.DB.CommonCounterparts(ctx, f.c.ID, caseroom.CommonQuery{Persons: []string{n.father.ID, n.top.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(common.Counterparts) != 1 || common.Counterparts[0].Node.ID != n.middle.ID || len(common.Counterparts[0].Edges) != 2 {
			t.Errorf("the father and the top man share: %+v", common.Counterparts)
		}
		for _, q := range [][]string{{n.father.ID}, {n.father.ID, n.father.ID}} {
			_, err := s.DB.CommonCounterparts(ctx, f.c.ID, caseroom.CommonQuery{Persons: q})
			checkError(t, err, caseroom.EINVALID, "persons")
		}

		// To the investigator the case is the path victim - father - middle - top.
		c, err := s.DB.Centrality(ctx, f.c.ID, caseroom.CentralityQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Persons) != 4 || c.Method == "" {
			t.Fatalf("centrality: %+v", c)
		}
		got := map[string]float64{}
		for _, p := range c.Persons {
			got[p.Node.ID] = p.Betweenness
		}
		if top := c.Persons[0].Node.ID; top != n.father.ID && top != n.middle.ID {
			t.Errorf("the most central is %s", top)
		}
		if b := got[n.middle.ID]; b < 0.66 || b > 0.67 || got[n.victim.ID] != 0 {
			t.Errorf("betweenness: %v", got)
		}
		// Read as the whole case's payments (as for many parties), the same.
		restore := sqlstore.SetManyParties(1)
		again, err := s.DB.Centrality(ctx, f.c.ID, caseroom.CentralityQuery{})
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Persons) != len(c.Persons) || again.Edges != c.Edges || again.Persons[0].Betweenness != c.Persons[0].Betweenness {
			t.Errorf("centrality read as the whole case: %d persons, %d edges; by list: %d, %d", len(again.Persons), again.Edges, len(c.Persons), c.Edges)
		}
		// The lead reads the medical report: the father also knows the top man.
		c, err = s.DB.Centrality(f.ctx, f.c.ID, caseroom.CentralityQuery{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Persons) != 1 || c.Persons[0].Node.ID != n.father.ID {
			t.Errorf("the lead's most central: %+v", c.Persons)
		}
	})
}
