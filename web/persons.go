package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListPersons(w http.ResponseWriter, r *http.Request) {
	persons, err := s.Persons.FindPersons(r.Context(), r.PathValue("case"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"persons": persons})
}

func (s *Server) handleRegisterPerson(w http.ResponseWriter, r *http.Request) {
	var np caseroom.NewPerson
	if err := decode(r, &np); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.Persons.RegisterPerson(r.Context(), r.PathValue("case"), np)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) handleGetPerson(w http.ResponseWriter, r *http.Request) {
	p, err := s.Persons.FindPerson(r.Context(), r.PathValue("case"), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleAddName(w http.ResponseWriter, r *http.Request) {
	var n caseroom.PersonName
	if err := decode(r, &n); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.Persons.AddName(r.Context(), r.PathValue("case"), r.PathValue("id"), n)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) handleAddAlias(w http.ResponseWriter, r *http.Request) {
	var a caseroom.Alias
	if err := decode(r, &a); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.Persons.AddAlias(r.Context(), r.PathValue("case"), r.PathValue("id"), a)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

// addRoleRequest is the body of POST .../persons/{id}/roles.
type addRoleRequest struct {
	Role caseroom.PersonRole `json:"role"`
}

func (s *Server) handleAddRole(w http.ResponseWriter, r *http.Request) {
	var req addRoleRequest
	if err := decode(r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.Persons.AddRole(r.Context(), r.PathValue("case"), r.PathValue("id"), req.Role)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) handleAddIdentifier(w http.ResponseWriter, r *http.Request) {
	var ni caseroom.NewIdentifier
	if err := decode(r, &ni); err != nil {
		writeError(w, r, err)
		return
	}
	idf, err := s.Persons.AddIdentifier(r.Context(), r.PathValue("case"), r.PathValue("id"), ni)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, idf)
}
