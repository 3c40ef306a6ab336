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
	respond(w, r, map[string]any{"documents": docs}, err)
}

func (s *Server) handleRegisterDocument(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(nd caseroom.NewDocument) (*caseroom.Document, error) {
		return s.Documents.RegisterDocument(r.Context(), r.PathValue("case"), nd)
	})
}

func (s *Server) handleGetDocument(w http.ResponseWriter, r *http.Request) {
	d, err := s.Documents.FindDocument(r.Context(), r.PathValue("case"), r.PathValue("id"))
	respond(w, r, d, err)
}
