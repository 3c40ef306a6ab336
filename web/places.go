package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListOrganisations(w http.ResponseWriter, r *http.Request) {
	orgs, err := s.Places.FindOrganisations(r.Context(), r.PathValue("case"))
	respond(w, r, map[string]any{"organisations": orgs}, err)
}

func (s *Server) handleRegisterOrganisation(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(no caseroom.NewOrganisation) (*caseroom.Organisation, error) {
		return s.Places.RegisterOrganisation(r.Context(), r.PathValue("case"), no)
	})
}

func (s *Server) handleListLocations(w http.ResponseWriter, r *http.Request) {
	locs, err := s.Places.FindLocations(r.Context(), r.PathValue("case"))
	respond(w, r, map[string]any{"locations": locs}, err)
}

func (s *Server) handleRegisterLocation(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(nl caseroom.NewLocation) (*caseroom.Location, error) {
		return s.Places.RegisterLocation(r.Context(), r.PathValue("case"), nl)
	})
}
