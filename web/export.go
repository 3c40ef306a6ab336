package web

import (
	"fmt"
	"net/http"

	"caseroom"
	"caseroom/export"
)

// handleExport streams an export of the case as a file to download. The store audits
// it (action export) before anything is read; a failure half-way is logged, and the
// client sees a cut-off file (the status line has gone).
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	p := &networkParams{v: r.URL.Query()}
	p.check("format", "reveal")
	req := caseroom.ExportRequest{Format: p.v.Get("format"), Reveal: p.bool("reveal", "true")}
	if p.err != nil {
		writeError(w, r, p.err)
		return
	}
	x, err := s.Exports.OpenExport(r.Context(), r.PathValue("case"), req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer x.Close()
	w.Header().Set("Content-Type", export.ContentType(req.Format))
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", export.FileName(x.Case(), req.Format)))
	w.Header().Set("Cache-Control", "no-store")
	if _, err := export.Write(w, req.Format, x); err != nil {
		s.Logger.Error("export cut short", "case", r.PathValue("case"), "format", req.Format, "error", err)
	}
}
