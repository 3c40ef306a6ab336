package web

import "net/http"

func (s *Server) dashboardRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases", s.uiCases},
		{"GET", "/cases/{case}", s.uiDashboard},
	}
}

// uiCases lists the cases the user is a member of.
func (s *Server) uiCases(w http.ResponseWriter, r *http.Request) {
	p := s.newUIPage(r, "Cases")
	cases, err := s.Cases.FindCases(r.Context())
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Body = cases
	s.renderUI(w, r, "cases", p)
}

// uiDashboard is the case's start page: where the case stands.
func (s *Server) uiDashboard(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Dashboard", "dashboard")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	sum, err := s.Summary.Summary(r.Context(), p.Case.ID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Body = sum
	s.renderUI(w, r, "dashboard", p)
}
