package web

import (
	"net/http"
	"strconv"

	"caseroom"
)

// Search. GET takes the query in the URL (q, limit, after), as a newcomer's curl would;
// POST takes the same fields as JSON, so that a query (which may hold a name) stays out
// of URLs that proxies and browsers keep. The web UI's search box posts. Neither is
// written to the request log; the search's audit entry holds the query, sealed.

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	req := caseroom.SearchRequest{Query: v.Get("q"), After: v.Get("after")}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "limit: %q is not a number; give 1 to %d", l, caseroom.SearchMaxLimit))
			return
		}
		req.Limit = n
	}
	res, err := s.Search.Search(r.Context(), r.PathValue("case"), req)
	respond(w, r, res, err)
}

func (s *Server) handleSearchPost(w http.ResponseWriter, r *http.Request) {
	var req caseroom.SearchRequest
	if err := decode(r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.Search.Search(r.Context(), r.PathValue("case"), req)
	respond(w, r, res, err)
}
