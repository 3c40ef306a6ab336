package web

// actionRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) actionRoutes() []uiRoute {
	return nil
}
