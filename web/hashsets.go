package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"

	"caseroom"
	"caseroom/hashsets"
	"caseroom/pdq"
)

// maxHashSet is the largest known-hash set file an import over the API takes. National
// sets run to millions of entries; a larger file is imported at the console with
// caseroom hashset import.
const maxHashSet = 2 << 30

func (s *Server) handleListHashSets(w http.ResponseWriter, r *http.Request) {
	sets, err := s.HashSets.FindHashSets(r.Context())
	respond(w, r, map[string]any{"hashSets": sets}, err)
}

// handleImportHashSet imports the known-hash set sent as the request body (VICS JSON
// or CSV, whatever its Content-Type says), named by ?name=.
func (s *Server) handleImportHashSet(w http.ResponseWriter, r *http.Request) {
	s.importHashSet(w, r, maxHashSet)
}

// importHashSet serves an import of at most limit bytes. The body is spooled to a
// temporary file, removed afterwards, because hashsets.Import reads it twice: once to
// hash it and once to import it.
func (s *Server) importHashSet(w http.ResponseWriter, r *http.Request, limit int64) {
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	if name == "" {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "name: required: the set's name, as a query parameter (?name=Project VIC 2026-11)"))
		return
	}
	// Refuse early what the store would refuse anyway, before spooling up to 2 GiB to
	// disk: the store still decides (see HashSetService).
	if u := caseroom.UserFromContext(r.Context()); u == nil || !u.Admin {
		writeError(w, r, caseroom.Errorf(caseroom.EFORBIDDEN, "Only an administrator can import a known-hash set."))
		return
	}
	if r.ContentLength > limit {
		writeError(w, r, tooLargeHashSet(limit))
		return
	}
	f, err := os.CreateTemp("", "caseroom-hashset-*")
	if err != nil {
		writeError(w, r, fmt.Errorf("import hash set: spool: %w", err))
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := io.Copy(f, http.MaxBytesReader(w, r.Body, limit)); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = tooLargeHashSet(limit)
		} else {
			err = fmt.Errorf("import hash set: spool: %w", err)
		}
		writeError(w, r, err)
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		writeError(w, r, fmt.Errorf("import hash set: spool: %w", err))
		return
	}
	set, err := hashsets.Import(r.Context(), s.HashSets, name, f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, set)
}

func tooLargeHashSet(limit int64) error {
	return caseroom.Errorf(caseroom.EINVALID, "body: the file is larger than %d bytes; import it at the console with caseroom hashset import", limit)
}

// handleExportMediaHashes streams the case's distinct contents as a VICS 2.0 hash set:
// their hashes, and the category of a known-hash set each matched. An error before the
// first entry is written as usual. After that the status is sent and only the stream
// can be cut: the closing "]}" is then left out, so that no reader takes a partial
// export for a whole one, and the error is logged.
func (s *Server) handleExportMediaHashes(w http.ResponseWriter, r *http.Request) {
	caseID := r.PathValue("case")
	var vw *hashsets.VICSWriter
	start := func() {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": caseID + "-hashes.json"}))
		w.WriteHeader(http.StatusOK)
		vw = hashsets.NewVICSWriter(w)
	}
	err := s.HashSets.ExportMediaHashes(r.Context(), caseID, func(k caseroom.KnownHash) error {
		e, err := vicsEntry(k)
		if err != nil {
			return err
		}
		if vw == nil {
			start()
		}
		return vw.Write(e)
	})
	switch {
	case err != nil && vw == nil:
		writeError(w, r, err)
		return
	case err != nil:
		loggerFor(r).Error("export media hashes: cut short", "route", r.Pattern, "case", loggableID(caseID), "err", err)
		return
	case vw == nil: // a case without contents
		start()
	}
	if err := vw.Close(); err != nil {
		loggerFor(r).Warn("export media hashes: write", "route", r.Pattern, "case", loggableID(caseID), "err", err)
	}
}

// vicsEntry is a content's hashes as a VICS entry.
func vicsEntry(k caseroom.KnownHash) (hashsets.Entry, error) {
	e := hashsets.Entry{MediaID: k.MediaID, Category: k.Category, MD5: k.MD5, SHA1: k.SHA1, SHA256: k.SHA256, Size: k.Size,
		VictimIdentified: k.VictimIdentified, OffenderIdentified: k.OffenderIdentified, IsDistributed: k.IsDistributed, Series: k.Series}
	if k.PDQ != "" {
		h, err := pdq.ParseHash(k.PDQ)
		if err != nil {
			return e, fmt.Errorf("export content %s: stored PDQ hash: %w", k.SHA256, err)
		}
		e.PDQ = &h
	}
	return e, nil
}
