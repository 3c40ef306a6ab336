package web

import "net/http"

// dashboardRoutes lists the list of cases and each case's dashboard (ui_dashboard.go).
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
