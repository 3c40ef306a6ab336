package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListPersons(w http.ResponseWriter, r *http.Request) {
	persons, err := s.Persons.FindPersons(r.Context(), r.PathValue("case"))
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
