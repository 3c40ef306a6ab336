package web

import (
	"net/http"

	"caseroom"
)

// Payments and the money summary.

func (s *Server) handleRecordPayment(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(in caseroom.NewPayment) (*caseroom.Payment, error) {
		return s.Payments.RecordPayment(r.Context(), r.PathValue("case"), in)
	})
}

func (s *Server) handleListPayments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := caseroom.PaymentFilter{Person: q.Get("person"), Purpose: caseroom.PaymentPurpose(q.Get("purpose")), From: q.Get("from"), To: q.Get("to")}
	ps, err := s.Payments.FindPayments(r.Context(), r.PathValue("case"), f)
	respond(w, r, map[string]any{"payments": ps}, err)
}

func (s *Server) handlePaymentSummary(w http.ResponseWriter, r *http.Request) {
	sum, err := s.Payments.SummarisePayments(r.Context(), r.PathValue("case"))
	respond(w, r, sum, err)
}
