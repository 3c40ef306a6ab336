package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListCases(w http.ResponseWriter, r *http.Request) {
	cases, err := s.Cases.FindCases(r.Context())
	respond(w, r, map[string]any{"cases": cases}, err)
}

func (s *Server) handleCreateCase(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(nc caseroom.NewCase) (*caseroom.Case, error) {
		return s.Cases.CreateCase(r.Context(), nc)
	})
}

func (s *Server) handleGetCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.Cases.FindCase(r.Context(), r.PathValue("case"))
	respond(w, r, c, err)
}

func (s *Server) handleListMembers(w http.ResponseWriter, r *http.Request) {
	members, err := s.Cases.FindMembers(r.Context(), r.PathValue("case"))
	respond(w, r, map[string]any{"members": members}, err)
}

func (s *Server) handleAddMember(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(nm caseroom.NewMembership) (*caseroom.Membership, error) {
		return s.Cases.AddMember(r.Context(), r.PathValue("case"), nm)
	})
}

func (s *Server) handleCaseAudit(w http.ResponseWriter, r *http.Request) {
	s.writeAuditEntries(w, r, r.PathValue("case"))
}
