package web

import (
	"net/http"

	"caseroom"
)

// Consents to medical examinations, arrests, and the accountability report.

func (s *Server) handleRecordConsent(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.NewConsent) (*caseroom.Action, error) {
		return s.Consents.RecordConsent(r.Context(), r.PathValue("case"), r.PathValue("id"), in)
	})
}

func (s *Server) handleRecordArrest(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.NewArrest) (*caseroom.Arrest, error) {
		return s.Arrests.RecordArrest(r.Context(), r.PathValue("case"), in)
	})
}

func (s *Server) handleRecordProduction(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.NewProduction) (*caseroom.Arrest, error) {
		return s.Arrests.RecordProduction(r.Context(), r.PathValue("case"), r.PathValue("id"), in)
	})
}

func (s *Server) handleListArrests(w http.ResponseWriter, r *http.Request) {
	as, err := s.Arrests.FindArrests(r.Context(), r.PathValue("case"))
	respond(w, r, map[string]any{"arrests": as}, err)
}

func (s *Server) handleAccountability(w http.ResponseWriter, r *http.Request) {
	rep, err := s.Accountability.Accountability(r.Context(), r.PathValue("case"))
	respond(w, r, rep, err)
}

func (s *Server) handleRecordSafeguards(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.NewSafeguardRules) (*caseroom.SafeguardRules, error) {
		return s.Safeguards.RecordSafeguardRules(r.Context(), r.PathValue("case"), in)
	})
}

func (s *Server) handleGetSafeguards(w http.ResponseWriter, r *http.Request) {
	rules, err := s.Safeguards.SafeguardRules(r.Context(), r.PathValue("case"))
	respond(w, r, rules, err)
}
