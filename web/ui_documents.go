package web

// documentRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) documentRoutes() []uiRoute {
	return nil
}
