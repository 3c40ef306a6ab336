package web

// graphRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) graphRoutes() []uiRoute {
	return nil
}
