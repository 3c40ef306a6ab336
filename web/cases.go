package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListCases(w http.ResponseWriter, r *http.Request) {
	cases, err := s.Cases.FindCases(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": cases})
}

func (s *Server) handleCreateCase(w http.ResponseWriter, r *http.Request) {
	var nc caseroom.NewCase
	if err := decode(r, &nc); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.Cases.CreateCase(r.Context(), nc)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) handleGetCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.Cases.FindCase(r.Context(), r.PathValue("case"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) handleListMembers(w http.ResponseWriter, r *http.Request) {
	members, err := s.Cases.FindMembers(r.Context(), r.PathValue("case"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": members})
}

func (s *Server) handleAddMember(w http.ResponseWriter, r *http.Request) {
	var nm caseroom.NewMembership
	if err := decode(r, &nm); err != nil {
		writeError(w, r, err)
		return
	}
	m, err := s.Cases.AddMember(r.Context(), r.PathValue("case"), nm)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

func (s *Server) handleCaseAudit(w http.ResponseWriter, r *http.Request) {
	after, err := intQuery(r, "after", -1)
	if err != nil {
		writeError(w, r, err)
		return
	}
	limit, err := intQuery(r, "limit", 1000)
	if err != nil {
		writeError(w, r, err)
		return
	}
	entries, err := s.Audit.FindAuditEntries(r.Context(), caseroom.AuditFilter{CaseID: r.PathValue("case"), After: after, Limit: int(limit)})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
