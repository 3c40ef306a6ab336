package web

// oversightRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) oversightRoutes() []uiRoute {
	return nil
}
