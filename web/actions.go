package web

import (
	"net/http"

	"caseroom"
)

// The actions of a case (HOLMES lines of enquiry) and the lead's decision log. {id} is
// an action's id or its reference.

func (s *Server) handleListActions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	as, err := s.Actions.FindActions(r.Context(), r.PathValue("case"), caseroom.ActionFilter{State: caseroom.ActionState(q.Get("state")), To: q.Get("to")})
	respond(w, r, map[string]any{"actions": as}, err)
}

func (s *Server) handleRaiseAction(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(na caseroom.NewAction) (*caseroom.Action, error) {
		return s.Actions.RaiseAction(r.Context(), r.PathValue("case"), na)
	})
}

func (s *Server) handleGetAction(w http.ResponseWriter, r *http.Request) {
	a, err := s.Actions.FindAction(r.Context(), r.PathValue("case"), r.PathValue("id"))
	respond(w, r, a, err)
}

func (s *Server) handleAllocateAction(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.ActionAllocation) (*caseroom.Action, error) {
		return s.Actions.AllocateAction(r.Context(), r.PathValue("case"), r.PathValue("id"), in)
	})
}

func (s *Server) handleResultAction(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.ActionResultInput) (*caseroom.Action, error) {
		return s.Actions.ResultAction(r.Context(), r.PathValue("case"), r.PathValue("id"), in)
	})
}

// handleFileAction takes no body.
func (s *Server) handleFileAction(w http.ResponseWriter, r *http.Request) {
	a, err := s.Actions.FileAction(r.Context(), r.PathValue("case"), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) handleReferBackAction(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.ActionReason) (*caseroom.Action, error) {
		return s.Actions.ReferBackAction(r.Context(), r.PathValue("case"), r.PathValue("id"), in)
	})
}

func (s *Server) handleCancelAction(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.ActionReason) (*caseroom.Action, error) {
		return s.Actions.CancelAction(r.Context(), r.PathValue("case"), r.PathValue("id"), in)
	})
}

func (s *Server) handleListDecisions(w http.ResponseWriter, r *http.Request) {
	ds, err := s.Decisions.FindDecisions(r.Context(), r.PathValue("case"))
	respond(w, r, map[string]any{"decisions": ds}, err)
}

func (s *Server) handleRecordDecision(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(nd caseroom.NewDecision) (*caseroom.Decision, error) {
		return s.Decisions.RecordDecision(r.Context(), r.PathValue("case"), nd)
	})
}
