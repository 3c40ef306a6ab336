package web

// exhibitRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) exhibitRoutes() []uiRoute {
	return nil
}
