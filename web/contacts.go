package web

import (
	"net/http"
	"strconv"

	"caseroom"
)

// The victim-contact ledger.

func (s *Server) handleRecordContact(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.NewContact) (*caseroom.Contact, error) {
		return s.Contacts.RecordContact(r.Context(), r.PathValue("case"), in)
	})
}

func (s *Server) handleListContacts(w http.ResponseWriter, r *http.Request) {
	var f caseroom.ContactFilter
	if v := r.URL.Query().Get("alerts"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			respond(w, r, nil, caseroom.Errorf(caseroom.EINVALID, "alerts: %q is neither true nor false", v))
			return
		}
		f.AlertsOnly = b
	}
	cs, err := s.Contacts.FindContacts(r.Context(), r.PathValue("case"), f)
	respond(w, r, map[string]any{"contacts": cs}, err)
}
