package web

import (
	"net/http"

	"caseroom"
)

func (s *Server) handleListDocuments(w http.ResponseWriter, r *http.Request) {
	f := caseroom.DocumentFilter{Kind: caseroom.DocumentKind(r.URL.Query().Get("kind"))}
	if f.Kind != "" && f.Kind.RefPrefix() == "" {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not a document kind", f.Kind))
		return
	}
	docs, err := s.Documents.FindDocuments(r.Context(), r.PathValue("case"), f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": docs})
}

func (s *Server) handleRegisterDocument(w http.ResponseWriter, r *http.Request) {
	var nd caseroom.NewDocument
	if err := decode(r, &nd); err != nil {
		writeError(w, r, err)
		return
	}
	d, err := s.Documents.RegisterDocument(r.Context(), r.PathValue("case"), nd)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, d)
}

func (s *Server) handleGetDocument(w http.ResponseWriter, r *http.Request) {
	d, err := s.Documents.FindDocument(r.Context(), r.PathValue("case"), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}
