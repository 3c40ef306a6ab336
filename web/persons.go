package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListPersons(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := caseroom.PersonFilter{Name: q.Get("name"), Query: q.Get("q"), Role: caseroom.PersonRole(q.Get("role"))}
	if q.Has("name") && f.Name == "" {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "name: give a name to search for, or leave the parameter out"))
		return
	}
	if q.Has("q") && f.Query == "" {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "q: give a name, alias, pseudonym or identifier to search for, or leave the parameter out"))
		return
	}
	persons, err := s.Persons.FindPersons(r.Context(), r.PathValue("case"), f)
	respond(w, r, map[string]any{"persons": persons}, err)
}

func (s *Server) handleRegisterPerson(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(np caseroom.NewPerson) (*caseroom.Person, error) {
		return s.Persons.RegisterPerson(r.Context(), r.PathValue("case"), np)
	})
}

func (s *Server) handleGetPerson(w http.ResponseWriter, r *http.Request) {
	p, err := s.Persons.FindPerson(r.Context(), r.PathValue("case"), r.PathValue("id"))
	respond(w, r, p, err)
}

func (s *Server) handleAddName(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(n caseroom.PersonName) (*caseroom.Person, error) {
		return s.Persons.AddName(r.Context(), r.PathValue("case"), r.PathValue("id"), n)
	})
}

func (s *Server) handleAddAlias(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(a caseroom.Alias) (*caseroom.Person, error) {
		return s.Persons.AddAlias(r.Context(), r.PathValue("case"), r.PathValue("id"), a)
	})
}

// addRoleRequest is the body of POST .../persons/{id}/roles.
type addRoleRequest struct {
	Role caseroom.PersonRole `json:"role"`
}

func (s *Server) handleAddRole(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(req addRoleRequest) (*caseroom.Person, error) {
		return s.Persons.AddRole(r.Context(), r.PathValue("case"), r.PathValue("id"), req.Role)
	})
}

func (s *Server) handleAddIdentifier(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(ni caseroom.NewIdentifier) (*caseroom.Identifier, error) {
		return s.Persons.AddIdentifier(r.Context(), r.PathValue("case"), r.PathValue("id"), ni)
	})
}

// revealRequest is the body of POST .../persons/{id}/reveal.
type revealRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) handleRevealIdentity(w http.ResponseWriter, r *http.Request) {
	var req revealRequest
	if err := decode(r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.Persons.RevealIdentity(r.Context(), r.PathValue("case"), r.PathValue("id"), req.Reason)
	respond(w, r, p, err)
}

func (s *Server) handleIdentityAccess(w http.ResponseWriter, r *http.Request) {
	rep, err := s.Persons.FindIdentityAccess(r.Context(), r.PathValue("case"), r.PathValue("id"))
	respond(w, r, rep, err)
}
