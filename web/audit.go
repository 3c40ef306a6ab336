package web

import (
	"encoding/base64"
	"io"
	"net/http"

	"golang.org/x/mod/sumdb/tlog"

	"caseroom"
	"caseroom/audit"
)

// The transparency log's routes are public: a witness, a court or an auditor checks
// checkpoints and proofs without an account. They reveal sizes and hashes only.

func (s *Server) auditLog() error {
	if s.Log == nil {
		return caseroom.Errorf(caseroom.ENOTFOUND, "This server publishes no audit checkpoints.")
	}
	return nil
}

// handleCheckpoint serves the latest signed checkpoint, with its witnesses'
// cosignatures, as a text/plain signed note.
func (s *Server) handleCheckpoint(w http.ResponseWriter, r *http.Request) {
	if err := s.auditLog(); err != nil {
		writeError(w, r, err)
		return
	}
	note, err := s.Log.Latest(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(note)
}

func (s *Server) handleConsistency(w http.ResponseWriter, r *http.Request) {
	if err := s.auditLog(); err != nil {
		writeError(w, r, err)
		return
	}
	oldSize, err := intQuery(r, "old", -1)
	if err != nil {
		writeError(w, r, err)
		return
	}
	newSize, err := intQuery(r, "new", -1)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.Log.Consistency(r.Context(), oldSize, newSize)
	respond(w, r, audit.ConsistencyProof{Old: oldSize, New: newSize, Proof: encodeHashes(p)}, err)
}

// InclusionProof is the response of GET /api/v1/audit/inclusion.
type InclusionProof struct {
	Index int64    `json:"index"`
	Size  int64    `json:"size"`
	Leaf  string   `json:"leaf"`  // base64 leaf hash of the entry
	Proof []string `json:"proof"` // base64 hashes, in the order of tlog.RecordProof
}

func (s *Server) handleInclusion(w http.ResponseWriter, r *http.Request) {
	if err := s.auditLog(); err != nil {
		writeError(w, r, err)
		return
	}
	index, err := intQuery(r, "index", -1)
	if err != nil {
		writeError(w, r, err)
		return
	}
	size, err := intQuery(r, "size", -1)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p, leaf, err := s.Log.Inclusion(r.Context(), index, size)
	respond(w, r, InclusionProof{Index: index, Size: size, Leaf: base64.StdEncoding.EncodeToString(leaf[:]), Proof: encodeHashes(p)}, err)
}

func encodeHashes(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

// maxNote is the largest cosigned checkpoint accepted.
const maxNote = 64 << 10

// handleCosign takes a checkpoint note with a registered witness's cosignature lines.
func (s *Server) handleCosign(w http.ResponseWriter, r *http.Request) {
	if err := s.auditLog(); err != nil {
		writeError(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxNote))
	if err != nil {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "Send the cosigned checkpoint note as the body (at most %d bytes).", maxNote))
		return
	}
	kept, err := s.Log.AddCosignature(r.Context(), body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"witnesses": kept})
}

func (s *Server) handleListWitnesses(w http.ResponseWriter, r *http.Request) {
	ws, err := s.Audit.Witnesses(r.Context())
	if ws == nil {
		ws = []*caseroom.Witness{}
	}
	respond(w, r, map[string]any{"witnesses": ws}, err)
}

// AddWitnessRequest is the body of POST /api/v1/audit/witnesses.
type AddWitnessRequest struct {
	Key string `json:"key"`
}

func (s *Server) handleAddWitness(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in AddWitnessRequest) (*caseroom.Witness, error) {
		return s.Audit.AddWitness(r.Context(), in.Key)
	})
}

// handleAuditEntries serves the whole log's entries to an administrator.
func (s *Server) handleAuditEntries(w http.ResponseWriter, r *http.Request) {
	s.writeAuditEntries(w, r, "")
}

// writeAuditEntries serves a page of the audit log, of one case or ("") all of it, as
// the query's after and limit say.
func (s *Server) writeAuditEntries(w http.ResponseWriter, r *http.Request, caseID string) {
	after, err := intQuery(r, "after", -1)
	if err != nil {
		writeError(w, r, err)
		return
	}
	limit, err := intQuery(r, "limit", 1000)
	if err != nil {
		writeError(w, r, err)
		return
	}
	entries, err := s.Audit.FindAuditEntries(r.Context(), caseroom.AuditFilter{CaseID: caseID, After: after, Limit: int(limit)})
	respond(w, r, map[string]any{"entries": entries}, err)
}
