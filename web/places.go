package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListOrganisations(w http.ResponseWriter, r *http.Request) {
	orgs, err := s.Places.FindOrganisations(r.Context(), r.PathValue("case"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"organisations": orgs})
}

func (s *Server) handleRegisterOrganisation(w http.ResponseWriter, r *http.Request) {
	var no caseroom.NewOrganisation
	if err := decode(r, &no); err != nil {
		writeError(w, r, err)
		return
	}
	o, err := s.Places.RegisterOrganisation(r.Context(), r.PathValue("case"), no)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, o)
}

func (s *Server) handleListLocations(w http.ResponseWriter, r *http.Request) {
	locs, err := s.Places.FindLocations(r.Context(), r.PathValue("case"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"locations": locs})
}

func (s *Server) handleRegisterLocation(w http.ResponseWriter, r *http.Request) {
	var nl caseroom.NewLocation
	if err := decode(r, &nl); err != nil {
		writeError(w, r, err)
		return
	}
	l, err := s.Places.RegisterLocation(r.Context(), r.PathValue("case"), nl)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, l)
}
