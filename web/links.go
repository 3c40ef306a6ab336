package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListLinks(w http.ResponseWriter, r *http.Request) {
	f := caseroom.LinkFilter{Entity: r.URL.Query().Get("entity"), Type: caseroom.LinkType(r.URL.Query().Get("type"))}
	links, err := s.Links.FindLinks(r.Context(), r.PathValue("case"), f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"links": links})
}

func (s *Server) handleRecordLink(w http.ResponseWriter, r *http.Request) {
	var nl caseroom.NewLink
	if err := decode(r, &nl); err != nil {
		writeError(w, r, err)
		return
	}
	l, err := s.Links.RecordLink(r.Context(), r.PathValue("case"), nl)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, l)
}
