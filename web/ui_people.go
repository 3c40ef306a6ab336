package web

// peopleRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) peopleRoutes() []uiRoute {
	return nil
}
