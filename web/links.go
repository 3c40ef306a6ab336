package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListLinks(w http.ResponseWriter, r *http.Request) {
	f := caseroom.LinkFilter{Entity: r.URL.Query().Get("entity"), Type: caseroom.LinkType(r.URL.Query().Get("type"))}
	if f.Type != "" && !f.Type.Valid() {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "type: %q is not a link type", f.Type))
		return
	}
	links, err := s.Links.FindLinks(r.Context(), r.PathValue("case"), f)
	respond(w, r, map[string]any{"links": links}, err)
}

func (s *Server) handleRecordLink(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(nl caseroom.NewLink) (*caseroom.Link, error) {
		return s.Links.RecordLink(r.Context(), r.PathValue("case"), nl)
	})
}
