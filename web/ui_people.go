package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"

	"caseroom"
)

// The people of a case: the search (names, aliases, pseudonyms, identifiers) and the
// person page in the HOLMES "nominal" sense, with everything known of the person and
// where it came from. A victim is shown by pseudonym; their identity only on the page
// that answers a reveal (POST .../reveal with a reason), never kept in the session or
// the address.

// peopleRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) peopleRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases/{case}/people", s.uiPeople},
		{"GET", "/cases/{case}/people/{id}", s.uiPerson},
		{"POST", "/cases/{case}/people/{id}/reveal", s.uiRevealPerson},
	}
}

// peopleView is the search page's data.
type peopleView struct {
	Query   string
	Role    caseroom.PersonRole
	Roles   []caseroom.PersonRole
	Results []personRow
	// Searched is set when a query or role narrowed the list.
	Searched bool
}

// personRow is one person in the search results.
type personRow struct {
	*caseroom.Person
	// Known lists the other names and the aliases, as shown to the user.
	Known []string
	// Key is the person's first identifier, if any is shown.
	Key *caseroom.Identifier
}

// uiPeople is the search: by anything a person is known by, narrowed by role.
func (s *Server) uiPeople(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "People", "people")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	q := r.URL.Query()
	v := &peopleView{Query: strings.TrimSpace(q.Get("q")), Role: caseroom.PersonRole(q.Get("role")), Roles: caseroom.PersonRoles}
	v.Searched = v.Query != "" || v.Role != ""
	p.Body = v
	persons, err := s.Persons.FindPersons(r.Context(), p.Case.ID, caseroom.PersonFilter{Query: v.Query, Role: v.Role})
	if err != nil {
		if caseroom.ErrorCode(err) != caseroom.EINVALID {
			s.uiError(w, r, p, err)
			return
		}
		p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
		s.renderUIStatus(w, r, http.StatusBadRequest, "people", p)
		return
	}
	v.Results = make([]personRow, len(persons))
	for i, per := range persons {
		row := personRow{Person: per}
		for j, n := range per.Names {
			if j > 0 || per.Pseudonym != "" {
				row.Known = append(row.Known, n.Name)
			}
		}
		for _, a := range per.Aliases {
			row.Known = append(row.Known, a.Alias)
		}
		if len(per.Identifiers) > 0 {
			row.Key = &per.Identifiers[0]
		}
		v.Results[i] = row
	}
	s.renderUI(w, r, "people", p)
}

// personView is the person page's data.
type personView struct {
	Person *caseroom.Person
	// Revealed is set on the page that answers a granted reveal: the identity shown
	// is the service's answer to it.
	Revealed bool
	// CanReveal is set when the user may ask to see this victim's identity; the
	// service decides again when asked.
	CanReveal bool
	Reason    string // the reason given, kept when a reveal is refused for bad input
	Links     []personLink
	Documents []personDocument
	// Actions and Arrests are nil when the role may not read them.
	Actions      []*caseroom.Action
	ActionsShown bool
	Arrests      []*caseroom.Arrest
	ArrestsShown bool
	// Payments are those the person made or received (or an account of theirs did),
	// and Contacts their communications' counterparts; each is shown only when the
	// service lets the reader read it (PaymentsShown, ContactsShown).
	moneyParts
	Payments      []*caseroom.Payment
	PaymentsShown bool
	Contacts      *caseroom.CommSummary
	ContactsTop   []caseroom.Counterpart
	ContactsShown bool
	// Connections are their top counterparts on the network and the paths to the
	// suspects nearest them.
	Connections *personConnections
}

// personConnections is the person page's connections panel.
type personConnections struct {
	Top      []*connection
	Suspects []suspectPath
}

// connection is a counterpart of the person: the node and the edges joining them.
type connection struct {
	Node    *caseroom.NetworkNode
	Edges   []*caseroom.NetworkEdge
	Sources int
}

// suspectPath is a shortest path from the person to a suspect.
type suspectPath struct {
	Suspect *caseroom.NetworkNode
	Path    []pathStep
}

// pathStep is one hop of a path: the edge and the node it reaches.
type pathStep struct {
	Edge *caseroom.NetworkEdge
	Node *caseroom.NetworkNode
}

// pathSteps writes each of the paths found as its hops, the nodes they reach with
// their labels.
func pathSteps(paths *caseroom.Paths) [][]pathStep {
	nodes := map[string]*caseroom.NetworkNode{}
	for _, n := range paths.Nodes {
		nodes[n.ID] = n
	}
	out := make([][]pathStep, 0, len(paths.Paths))
	for _, path := range paths.Paths {
		hops := make([]pathStep, 0, len(path.Edges))
		for i, e := range path.Edges {
			hops = append(hops, pathStep{Edge: e, Node: nodes[path.Nodes[i+1]]})
		}
		out = append(out, hops)
	}
	return out
}

// The connections panel lists this many counterparts, and paths to this many of the
// suspects within connectionSteps of the person.
const (
	connectionsShown = 8
	suspectsShown    = 5
	connectionSteps  = 3
	// connectionsCap bounds the records the panel reads on every view of the page:
	// at most 25 edges followed from each, so at most about 16,000 records three steps
	// out, whatever hubs the case holds.
	connectionsCap = 25
)

// personConnections reads the person's counterparts (one step) and the shortest path
// to each of the nearest suspects (within three steps), as the reader may see them.
func (s *Server) personConnections(ctx context.Context, caseID, personID string) (*personConnections, error) {
	net, err := s.Network.Network(ctx, caseID, caseroom.NetworkQuery{Around: personID, Steps: connectionSteps, Cap: connectionsCap})
	if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	nodes := map[string]*caseroom.NetworkNode{}
	for _, n := range net.Nodes {
		nodes[n.ID] = n
	}
	c := &personConnections{}
	byNode := map[string]*connection{}
	for _, e := range net.Edges {
		if e.From != personID && e.To != personID {
			continue
		}
		other := e.Other(personID)
		cn := byNode[other]
		if cn == nil {
			cn = &connection{Node: nodes[other]}
			byNode[other] = cn
			c.Top = append(c.Top, cn)
		}
		cn.Edges = append(cn.Edges, e)
		cn.Sources += len(e.Sources)
	}
	sort.SliceStable(c.Top, func(i, j int) bool {
		a, b := c.Top[i], c.Top[j]
		if len(a.Edges) != len(b.Edges) {
			return len(a.Edges) > len(b.Edges)
		}
		return a.Sources > b.Sources
	})
	c.Top = c.Top[:min(len(c.Top), connectionsShown)]
	for _, n := range net.Nodes {
		if n.ID == personID || !slices.Contains(n.Roles, caseroom.PersonSuspect) || len(c.Suspects) == suspectsShown {
			continue
		}
		paths, err := s.Network.Paths(ctx, caseID, caseroom.PathQuery{From: personID, To: n.ID, Max: connectionSteps, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(paths.Paths) == 0 {
			continue
		}
		c.Suspects = append(c.Suspects, suspectPath{Suspect: n, Path: pathSteps(paths)[0]})
	}
	return c, nil
}

// personContactsShown is how many of a person's top counterparts their page lists;
// the communications page lists them all.
const personContactsShown = 5

// personLink is a link to or from the person, seen from the person.
type personLink struct {
	*caseroom.Link
	Outgoing   bool   // from the person to the other party
	Other      string // the other party's label
	OtherKind  caseroom.EntityKind
	OtherPath  string // the other party's page, if it has one
	SourcePath string // the page of the link's source
	Withdrawn  bool   // a later link retracts this one
}

// personDocument is a document that concerns the person, and how.
type personDocument struct {
	Ref       string
	Doc       *caseroom.Document // the document as listed to the user
	How       []string
	Flags     []caseroom.SafeguardFlag
	Retracted bool
}

// uiPerson shows a person.
func (s *Server) uiPerson(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Person", "people")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	per, err := s.Persons.FindPerson(r.Context(), p.Case.ID, r.PathValue("id"))
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	s.renderPerson(w, r, p, per, http.StatusOK, "")
}

// uiRevealPerson asks the service to show a victim's identity, with the reason
// given, and shows it on the page that answers, and only there: the answer is not
// cached, and nothing of it is kept in the session or the address. A refusal for a
// missing reason shows the person page again with the message; a refusal of the role
// is the refusal page.
func (s *Server) uiRevealPerson(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Person", "people")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	reason := r.PostFormValue("reason")
	per, err := s.Persons.RevealIdentity(r.Context(), p.Case.ID, r.PathValue("id"), reason)
	w.Header().Set("Cache-Control", "no-store")
	if caseroom.ErrorCode(err) == caseroom.EINVALID {
		shown, ferr := s.Persons.FindPerson(r.Context(), p.Case.ID, r.PathValue("id"))
		if ferr != nil {
			s.uiError(w, r, p, ferr)
			return
		}
		p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
		s.renderPerson(w, r, p, shown, http.StatusBadRequest, reason)
		return
	}
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Flash = "Identity shown to you on this page only. The reveal was recorded with your reason; reloading or leaving the page hides it again."
	s.renderPerson(w, r, p, per, http.StatusOK, "")
}

// renderPerson gathers what concerns the person, one list call per kind of record,
// and renders the person page.
func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, p *uiPage, per *caseroom.Person, status int, reason string) {
	ctx, caseID := r.Context(), p.Case.ID
	v := &personView{Person: per, Reason: reason, Revealed: status == http.StatusOK && r.Method == http.MethodPost, moneyParts: moneyParts{page: p}}
	p.Title = per.Label()
	p.Body = v
	if per.IdentityHidden && p.User != nil {
		v.CanReveal = p.Case.Role.CanSeeIdentities() || (per.RecordedBy == p.User.Name && p.Case.Role.CanRecord())
	}
	forbidden := func(err error) bool { return caseroom.ErrorCode(err) == caseroom.EFORBIDDEN }

	links, err := s.Links.FindLinks(ctx, caseID, caseroom.LinkFilter{Entity: per.ID})
	if err != nil && !forbidden(err) {
		s.uiError(w, r, p, err)
		return
	}
	withdrawn := map[string]bool{}
	for _, l := range links {
		if l.Corrects != "" {
			withdrawn[l.Corrects] = true
		}
	}
	sourcePath := func(kind caseroom.EntityKind, ref string) string {
		switch kind {
		case caseroom.EntityDocument:
			return p.CasePath("documents", ref)
		case caseroom.EntityExhibit:
			return p.CasePath("exhibits", ref)
		case caseroom.EntityMedia:
			return p.CasePath("media", ref)
		}
		return ""
	}
	related := map[string]*personDocument{}
	concern := func(ref, how string) *personDocument {
		d := related[ref]
		if d == nil {
			d = &personDocument{Ref: ref}
			related[ref] = d
		}
		for _, h := range d.How {
			if h == how {
				return d
			}
		}
		d.How = append(d.How, how)
		return d
	}
	for _, l := range links {
		pl := personLink{Link: l, Outgoing: l.From == per.ID, SourcePath: sourcePath(l.SourceKind, l.SourceRef), Withdrawn: withdrawn[l.ID]}
		if pl.Outgoing {
			pl.Other, pl.OtherKind = l.ToLabel, l.ToKind
		} else {
			pl.Other, pl.OtherKind = l.FromLabel, l.FromKind
		}
		other := l.To
		if !pl.Outgoing {
			other = l.From
		}
		if pl.OtherKind == caseroom.EntityPerson {
			pl.OtherPath = p.CasePath("people", other)
		} else if path := sourcePath(pl.OtherKind, pl.Other); path != "" {
			pl.OtherPath = path
		}
		v.Links = append(v.Links, pl)
		if l.SourceKind == caseroom.EntityDocument {
			switch {
			case l.Type == "implicates" && !pl.Outgoing:
				concern(l.SourceRef, "implicates them")
			case l.Type == "mentions" && !pl.Outgoing:
				concern(l.SourceRef, "mentions them")
			default:
				concern(l.SourceRef, "source of a link")
			}
		}
	}

	docs, err := s.Documents.FindDocuments(ctx, caseID, caseroom.DocumentFilter{})
	if err != nil && !forbidden(err) {
		s.uiError(w, r, p, err)
		return
	}
	for _, d := range docs {
		st := d.Statement
		if st == nil {
			continue
		}
		if st.Giver == per.ID {
			pd := concern(d.Ref, "given by them")
			pd.Flags = st.SafeguardFlags
		}
		for _, pr := range st.Present {
			if pr.Person == per.ID {
				how := "present"
				if pr.Capacity != "" {
					how = "present as " + pr.Capacity
				}
				concern(d.Ref, how)
			}
		}
		if st.Interpreter == per.ID {
			concern(d.Ref, "interpreted by them")
		}
	}
	for _, n := range per.Names {
		if n.Source != "" {
			concern(n.Source, "source of a name")
		}
	}
	for _, a := range per.Aliases {
		if a.Source != "" {
			concern(a.Source, "source of an alias")
		}
	}
	for _, idf := range per.Identifiers {
		if idf.Source != "" {
			concern(idf.Source, "source of an identifier")
		}
	}

	actions, err := s.Actions.FindActions(ctx, caseID, caseroom.ActionFilter{})
	if err != nil && !forbidden(err) {
		s.uiError(w, r, p, err)
		return
	}
	v.ActionsShown = err == nil
	for _, a := range actions {
		for _, sub := range a.Subjects {
			if sub.ID == per.ID {
				v.Actions = append(v.Actions, a)
				break
			}
		}
	}
	arrests, err := s.Arrests.FindArrests(ctx, caseID)
	if err != nil && !forbidden(err) {
		s.uiError(w, r, p, err)
		return
	}
	v.ArrestsShown = err == nil
	for _, a := range arrests {
		if a.Person == per.ID {
			v.Arrests = append(v.Arrests, a)
			for _, g := range a.Grounds {
				if g.Kind == caseroom.EntityDocument {
					concern(g.Ref, "ground of "+a.Ref)
				}
			}
		}
	}

	payments, err := s.Payments.FindPayments(ctx, caseID, caseroom.PaymentFilter{Person: per.ID})
	if err != nil && !forbidden(err) {
		s.uiError(w, r, p, err)
		return
	}
	v.Payments, v.PaymentsShown = payments, err == nil
	contacts, err := s.Comms.SummariseCommunications(ctx, caseID, per.ID, "")
	if err != nil && !forbidden(err) {
		s.uiError(w, r, p, err)
		return
	}
	if v.ContactsShown = err == nil; v.ContactsShown {
		v.Contacts = contacts
		v.ContactsTop = contacts.Counterparts[:min(len(contacts.Counterparts), personContactsShown)]
	}
	if v.Connections, err = s.personConnections(ctx, caseID, per.ID); err != nil {
		s.uiError(w, r, p, err)
		return
	}

	// How a document concerns the person: their own part in it first.
	for _, d := range related {
		sort.SliceStable(d.How, func(i, j int) bool { return howRank(d.How[i]) < howRank(d.How[j]) })
	}
	// Documents in the order they were registered. Only those listed to the user are
	// shown: a document the user cannot see (such as a medical report) is not named,
	// not even by reference.
	for _, d := range docs {
		if pd := related[d.Ref]; pd != nil {
			pd.Doc = d
			pd.Retracted = len(d.RetractedBy) > 0
			v.Documents = append(v.Documents, *pd)
		}
	}
	s.renderUIStatus(w, r, status, "person", p)
}

// howRank orders the ways a document concerns a person: given, present or
// interpreted by them, then naming them, then as a source.
func howRank(how string) int {
	switch {
	case how == "given by them", strings.HasPrefix(how, "present"), how == "interpreted by them":
		return 0
	case how == "implicates them", how == "mentions them", strings.HasPrefix(how, "ground of"):
		return 1
	}
	return 2
}
