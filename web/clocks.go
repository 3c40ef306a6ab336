package web

import "net/http"

// The deadline clocks.

func (s *Server) handleClocks(w http.ResponseWriter, r *http.Request) {
	cs, err := s.Clocks.Clocks(r.Context(), r.PathValue("case"))
	respond(w, r, map[string]any{"clocks": cs}, err)
}

// The case summary.

func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) {
	sum, err := s.Summary.Summary(r.Context(), r.PathValue("case"))
	respond(w, r, sum, err)
}
