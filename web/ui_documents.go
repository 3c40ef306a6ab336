package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"caseroom"
)

// The documents of a case: the register (list by kind), the form that registers a
// complaint, statement or other document, and the page of one document with what
// corrects, retracts or was raised from it.

// documentRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) documentRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases/{case}/documents", s.uiDocuments},
		{"GET", "/cases/{case}/documents/new", s.uiNewDocument},
		{"POST", "/cases/{case}/documents/new", s.uiRegisterDocument},
		{"GET", "/cases/{case}/documents/{id}", s.uiDocument},
	}
}

// presenceCapacities are the capacities offered for someone present when a statement
// was taken. The safeguard rules read them: "guardian", "appropriate adult",
// "female", "interpreter" in a capacity meet the rule that asks for one.
var presenceCapacities = []string{"guardian", "appropriate adult", "female officer", "female relative", "interpreter", "lawyer", "other"}

// statementMethodChoices are the ways a statement may be taken (as the store accepts).
var statementMethodChoices = []string{"written", "dictated", "audio", "video"}

// documentKindLabels names each kind of document for people.
var documentKindLabels = map[caseroom.DocumentKind]string{
	caseroom.DocComplaint:     "Complaint",
	caseroom.DocStatement:     "Statement",
	caseroom.DocReport:        "Officer's report",
	caseroom.DocMessage:       "Message",
	caseroom.DocPress:         "Press report",
	caseroom.DocMedicalReport: "Medical report",
}

// documentKindTab is one kind in the register's filter, with how many the user sees.
type documentKindTab struct {
	Kind    caseroom.DocumentKind
	Label   string
	Prefix  string
	Count   int
	Current bool
}

// documentList is the body of the register page.
type documentList struct {
	Kind      caseroom.DocumentKind
	Tabs      []documentKindTab
	Total     int
	Documents []*caseroom.Document
}

// uiDocuments lists the case's documents, narrowed to one kind by ?kind=.
func (s *Server) uiDocuments(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Documents", "documents")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	kind := caseroom.DocumentKind(r.URL.Query().Get("kind"))
	if kind != "" && kind.RefPrefix() == "" {
		s.uiError(w, r, p, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not a document kind.", kind))
		return
	}
	// One call for every kind: the counts of the filter come from the same list.
	all, err := s.Documents.FindDocuments(r.Context(), p.Case.ID, caseroom.DocumentFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	body := &documentList{Kind: kind, Total: len(all)}
	counts := map[caseroom.DocumentKind]int{}
	for _, d := range all {
		counts[d.Kind]++
		if kind == "" || d.Kind == kind {
			body.Documents = append(body.Documents, d)
		}
	}
	for _, k := range caseroom.DocumentKinds {
		if k == caseroom.DocMedicalReport && counts[k] == 0 && !p.Case.Role.ReadsMedicalReports() {
			continue
		}
		body.Tabs = append(body.Tabs, documentKindTab{Kind: k, Label: documentKindLabels[k], Prefix: k.RefPrefix(), Count: counts[k], Current: k == kind})
	}
	// Newest first: the register is read for what came in last.
	slices.Reverse(body.Documents)
	p.Body = body
	s.renderUI(w, r, "documents", p)
}

// documentForm is what the registration form holds: the input as typed, so that a
// refused form comes back as the user left it.
type documentForm struct {
	Kind, Title, Text, ExternalRef                         string
	Giver, RecordedBy, RecordedAt, Place, Language, Method string
	Interpreter                                            string
	Present                                                []caseroom.Presence
	Implicates                                             []string
	Retracts, Circumstances, RequestedBy, Corrects, Reason string
}

// Implicated reports whether the form names person id as implicated.
func (f *documentForm) Implicated(id string) bool { return slices.Contains(f.Implicates, id) }

// IsStatement reports whether the form's kind records who gave it, when and where.
func (f *documentForm) IsStatement() bool {
	return f.Kind == string(caseroom.DocStatement) || f.Kind == string(caseroom.DocComplaint)
}

// personChoice is a person offered in the form, with the facts the safeguard rules
// read about them, for the flags shown as the form is filled in.
type personChoice struct {
	ID, Label, Roles string
	// Minor is "yes", "no" or "unknown" (the rules then treat the person as a minor);
	// MinorWhy says how it was judged.
	Minor, MinorWhy string
	Female          bool
	Victim, Officer bool
	GuardianRole    bool
	// Guardians lists (space separated) the persons with a standing parent_of or
	// guardian_of link to this person.
	Guardians string
}

// memberChoice is a member offered as recording officer, with the languages the
// case's safeguard rules record for them ("" when unknown).
type memberChoice struct {
	User, Role, Languages string
}

// documentFormPage is the body of the registration page.
type documentFormPage struct {
	Form       *documentForm
	Kinds      []documentKindTab
	Persons    []personChoice
	Members    []memberChoice
	Statements []*caseroom.Document
	Documents  []*caseroom.Document
	Rules      *caseroom.SafeguardRules
	// DefaultLanguages are the languages of officers the rules do not list ("*").
	DefaultLanguages string
	Capacities       []string
	Methods          []string
	// PresentRows is how many "present" rows the form shows without the script.
	PresentRows []caseroom.Presence
}

// uiNewDocument shows the registration form, empty but for the recording officer
// (the user), the time (now) and the kind (?kind=, a statement by default).
func (s *Server) uiNewDocument(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Register a document", "documents")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	kind := r.URL.Query().Get("kind")
	if caseroom.DocumentKind(kind).RefPrefix() == "" {
		kind = string(caseroom.DocStatement)
	}
	f := &documentForm{Kind: kind, RecordedBy: p.User.Name, RecordedAt: p.InputTime(s.now()),
		Giver: r.URL.Query().Get("giver"), Corrects: r.URL.Query().Get("corrects"), Retracts: r.URL.Query().Get("retracts")}
	s.renderDocumentForm(w, r, p, f, http.StatusOK)
}

// uiRegisterDocument registers the form's document through the same service call
// (and input type) as the JSON API, and shows it; a refusal shows the form again
// with the input kept and the service's message.
func (s *Server) uiRegisterDocument(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Register a document", "documents")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	f := readDocumentForm(r)
	nd, err := f.newDocument(p.location())
	if err == nil {
		var d *caseroom.Document
		if d, err = s.Documents.RegisterDocument(r.Context(), p.Case.ID, nd); err == nil {
			done := "Registered " + d.Ref + "."
			if d.Statement != nil && len(d.Statement.SafeguardFlags) > 0 {
				done += " It is flagged: it missed " + strconv.Itoa(len(d.Statement.SafeguardFlags)) + " safeguard(s)."
			}
			redirectDone(w, r, p.CasePath("documents", d.Ref), done)
			return
		}
	}
	p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
	status, ok := statusOf[caseroom.ErrorCode(err)]
	if !ok || status >= 500 {
		s.uiError(w, r, p, err)
		return
	}
	s.renderDocumentForm(w, r, p, f, status)
}

// readDocumentForm reads the posted form as typed.
func readDocumentForm(r *http.Request) *documentForm {
	v := r.PostForm
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := &documentForm{Kind: get("kind"), Title: get("title"), Text: v.Get("text"), ExternalRef: get("externalRef"),
		Giver: get("giver"), RecordedBy: get("recordedBy"), RecordedAt: get("recordedAt"), Place: get("place"),
		Language: get("language"), Method: get("method"), Interpreter: get("interpreter"),
		Retracts: get("retracts"), Circumstances: get("circumstances"), RequestedBy: get("requestedBy"),
		Corrects: get("corrects"), Reason: get("correctionReason")}
	persons, capacities := v["presentPerson"], v["presentCapacity"]
	for i, person := range persons {
		pr := caseroom.Presence{Person: strings.TrimSpace(person)}
		if i < len(capacities) {
			pr.Capacity = strings.TrimSpace(capacities[i])
		}
		if pr.Person != "" {
			f.Present = append(f.Present, pr)
		}
	}
	for _, id := range v["implicates"] {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(f.Implicates, id) {
			f.Implicates = append(f.Implicates, id)
		}
	}
	return f
}

// newDocument turns the form into the service's input. The fields of how a statement
// was taken are sent only for complaints and statements: the form offers them, with
// a time and officer filled in, whatever the kind chosen.
func (f *documentForm) newDocument(loc *time.Location) (caseroom.NewDocument, error) {
	nd := caseroom.NewDocument{Kind: caseroom.DocumentKind(f.Kind), Title: f.Title, Text: f.Text, ExternalRef: f.ExternalRef,
		Corrects: f.Corrects, CorrectionReason: f.Reason}
	if !f.IsStatement() {
		return nd, nil
	}
	nd.Giver, nd.RecordedBy, nd.Place, nd.Language, nd.Method, nd.Interpreter = f.Giver, f.RecordedBy, f.Place, f.Language, f.Method, f.Interpreter
	nd.Present, nd.Implicates = f.Present, f.Implicates
	nd.Retracts, nd.Circumstances, nd.RequestedBy = f.Retracts, f.Circumstances, f.RequestedBy
	if f.RecordedAt != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", f.RecordedAt, loc)
		if err != nil {
			return nd, caseroom.Errorf(caseroom.EINVALID, "recordedAt: %q is not a date and time; give the day and the time it was recorded", f.RecordedAt)
		}
		nd.RecordedAt = &t
	}
	return nd, nil
}

// renderDocumentForm shows the registration form with what it needs to offer: the
// case's persons (with the facts the safeguard rules read), members, statements and
// documents, and the rules in force.
func (s *Server) renderDocumentForm(w http.ResponseWriter, r *http.Request, p *uiPage, f *documentForm, status int) {
	ctx, caseID := r.Context(), p.Case.ID
	persons, err := s.Persons.FindPersons(ctx, caseID, caseroom.PersonFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	members, err := s.Cases.FindMembers(ctx, caseID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	docs, err := s.Documents.FindDocuments(ctx, caseID, caseroom.DocumentFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	rules, err := s.Safeguards.SafeguardRules(ctx, caseID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	guardians := map[string][]string{} // child -> parents and guardians
	for _, t := range []caseroom.LinkType{"parent_of", "guardian_of"} {
		links, err := s.Links.FindLinks(ctx, caseID, caseroom.LinkFilter{Type: t})
		if err != nil {
			s.uiError(w, r, p, err)
			return
		}
		for _, l := range standingLinks(links) {
			guardians[l.To] = append(guardians[l.To], l.From)
		}
	}
	now := s.now()
	body := &documentFormPage{Form: f, Rules: rules, Capacities: presenceCapacities, Methods: statementMethodChoices,
		DefaultLanguages: strings.Join(rules.Languages["*"], " ")}
	for _, k := range caseroom.DocumentKinds {
		if k == caseroom.DocMedicalReport && !p.Case.Role.RegistersMedicalReports() {
			continue
		}
		body.Kinds = append(body.Kinds, documentKindTab{Kind: k, Label: documentKindLabels[k], Prefix: k.RefPrefix(), Current: string(k) == f.Kind})
	}
	for _, ps := range persons {
		c := personChoice{ID: ps.ID, Label: ps.Label(), Female: ps.Sex == "female",
			Victim: ps.HasRole(caseroom.PersonVictim), Officer: ps.HasRole(caseroom.PersonOfficer),
			GuardianRole: ps.HasRole(caseroom.PersonGuardian), Guardians: strings.Join(guardians[ps.ID], " ")}
		roles := make([]string, len(ps.Roles))
		for i, role := range ps.Roles {
			roles[i] = string(role)
		}
		c.Roles = strings.Join(roles, ", ")
		// The flags shown while the form is filled in judge a minor as the store
		// does (caseroom.Person.Minor); the flags recorded are the store's own.
		minor, known, why := ps.Minor(now)
		c.Minor, c.MinorWhy = "unknown", why
		if known && minor {
			c.Minor = "yes"
		} else if known {
			c.Minor = "no"
		}
		body.Persons = append(body.Persons, c)
	}
	for _, m := range members {
		mc := memberChoice{User: m.User, Role: string(m.Role)}
		if langs, ok := rules.Languages[m.User]; ok {
			mc.Languages = strings.Join(langs, " ")
		}
		body.Members = append(body.Members, mc)
	}
	for _, d := range docs {
		if d.Kind == caseroom.DocStatement {
			body.Statements = append(body.Statements, d)
		}
	}
	body.Documents = docs
	body.PresentRows = append(append([]caseroom.Presence{}, f.Present...), make([]caseroom.Presence, max(1, 3-len(f.Present)))...)
	p.Body = body
	s.renderUIStatus(w, r, status, "document-form", p)
}

// standingLinks returns the links that stand: not withdrawn or replaced by a later
// link, and not themselves a withdrawal.
func standingLinks(links []*caseroom.Link) []*caseroom.Link {
	replaced := map[string]bool{}
	for _, l := range links {
		if l.Corrects != "" {
			replaced[l.Corrects] = true
		}
	}
	var out []*caseroom.Link
	for _, l := range links {
		if !replaced[l.ID] && !l.Retracts {
			out = append(out, l)
		}
	}
	return out
}

// documentView is the body of one document's page.
type documentView struct {
	Doc              *caseroom.Document
	KindLabel        string
	InterpreterLabel string
	// Implicated are the implicates links sourced to the document; Links the others.
	Implicated []*caseroom.Link
	Links      []*caseroom.Link
	// Raised are the actions raised from it; Results those it resulted.
	Raised  []*caseroom.Action
	Results []*caseroom.Action
	// RequestedByLabel shows who asked for a retraction; RequestedByPerson is set
	// when that was a person of the case (else it was a member).
	RequestedByLabel, RequestedByPerson string
}

// uiDocument shows one document by id or reference. A medical report the user may
// not read does not exist for them (the service answers ENOTFOUND).
func (s *Server) uiDocument(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Document", "documents")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	ctx, caseID := r.Context(), p.Case.ID
	d, err := s.Documents.FindDocument(ctx, caseID, r.PathValue("id"))
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Title = d.Ref + " " + d.Title
	v := &documentView{Doc: d, KindLabel: documentKindLabels[d.Kind]}
	if st := d.Statement; st != nil && st.Interpreter != "" {
		v.InterpreterLabel = st.Interpreter
		for _, pr := range st.Present {
			if pr.Person == st.Interpreter && pr.Label != "" {
				v.InterpreterLabel = pr.Label
			}
		}
		if v.InterpreterLabel == st.Interpreter {
			if ip, err := s.Persons.FindPerson(ctx, caseID, st.Interpreter); err == nil {
				v.InterpreterLabel = ip.Label()
			}
		}
	}
	links, err := s.Links.FindLinks(ctx, caseID, caseroom.LinkFilter{})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	for _, l := range links {
		if l.Source != d.ID && l.SourceRef != d.Ref {
			continue
		}
		if l.Type == "implicates" {
			v.Implicated = append(v.Implicated, l)
		} else {
			v.Links = append(v.Links, l)
		}
	}
	if rt := d.Retraction; rt != nil && rt.RequestedBy != "" {
		v.RequestedByLabel = rt.RequestedBy
		if rp, err := s.Persons.FindPerson(ctx, caseID, rt.RequestedBy); err == nil {
			v.RequestedByPerson, v.RequestedByLabel = rp.ID, rp.Label()
		}
	}
	// A member who may not read actions (an advocate) reads the document without them.
	actions, err := s.Actions.FindActions(ctx, caseID, caseroom.ActionFilter{})
	if err != nil && caseroom.ErrorCode(err) != caseroom.EFORBIDDEN {
		s.uiError(w, r, p, err)
		return
	}
	for _, a := range actions {
		if a.RaisedFrom == d.Ref {
			v.Raised = append(v.Raised, a)
		}
		if a.Result == d.Ref {
			v.Results = append(v.Results, a)
		}
	}
	p.Body = v
	s.renderUI(w, r, "document", p)
}
