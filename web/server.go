// Package web serves Caseroom's JSON API under /api/v1 (and, later, the web UI). It
// holds no business rules: every decision about who may do what is made by the
// services it calls.
package web

import (
	"context"
	"embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"caseroom"
)

//go:embed openapi.json
var staticFS embed.FS

// Server is Caseroom's HTTP server.
type Server struct {
	Users     caseroom.UserService
	Cases     caseroom.CaseService
	Persons   caseroom.PersonService
	Documents caseroom.DocumentService
	Links     caseroom.LinkService
	Places    caseroom.PlaceService
	Audit     caseroom.AuditService
	// Ping reports whether the store is open; /healthz answers 200 only when it is.
	Ping func(ctx context.Context) error
	// Logger receives one line per request; never a request body.
	Logger *slog.Logger

	mux        *http.ServeMux
	httpServer *http.Server
}

// Store is everything the server needs from one store; *sqlstore.DB satisfies it.
type Store interface {
	caseroom.UserService
	caseroom.CaseService
	caseroom.PersonService
	caseroom.DocumentService
	caseroom.LinkService
	caseroom.PlaceService
	caseroom.AuditService
	Ping(ctx context.Context) error
}

// NewServer returns a server whose services all come from one store.
func NewServer(s Store, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.Default()
	}
	srv := &Server{Users: s, Cases: s, Persons: s, Documents: s, Links: s, Places: s, Audit: s, Ping: s.Ping, Logger: logger}
	srv.mux = http.NewServeMux()
	for _, rt := range srv.routes() {
		h := rt.handler
		if !rt.public {
			h = srv.authenticate(h)
		}
		srv.mux.Handle(rt.method+" "+rt.pattern, h)
	}
	srv.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, caseroom.Errorf(caseroom.ENOTFOUND, "There is no API route %s %s; see /api/v1/openapi.json.", r.Method, r.URL.Path))
	})
	return srv
}

// route is one entry of the API: the OpenAPI test checks this table against the document.
type route struct {
	method, pattern string
	handler         http.HandlerFunc
	public          bool // served without a token
}

func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", s.handleHealth, true},
		{"GET", "/{$}", s.handleIndex, true},
		{"GET", "/api/v1/openapi.json", s.handleOpenAPI, true},
		{"GET", "/api/v1/me", s.handleMe, false},

		{"GET", "/api/v1/cases", s.handleListCases, false},
		{"POST", "/api/v1/cases", s.handleCreateCase, false},
		{"GET", "/api/v1/cases/{case}", s.handleGetCase, false},
		{"GET", "/api/v1/cases/{case}/members", s.handleListMembers, false},
		{"POST", "/api/v1/cases/{case}/members", s.handleAddMember, false},

		{"GET", "/api/v1/cases/{case}/persons", s.handleListPersons, false},
		{"POST", "/api/v1/cases/{case}/persons", s.handleRegisterPerson, false},
		{"GET", "/api/v1/cases/{case}/persons/{id}", s.handleGetPerson, false},
		{"POST", "/api/v1/cases/{case}/persons/{id}/names", s.handleAddName, false},
		{"POST", "/api/v1/cases/{case}/persons/{id}/aliases", s.handleAddAlias, false},
		{"POST", "/api/v1/cases/{case}/persons/{id}/roles", s.handleAddRole, false},
		{"POST", "/api/v1/cases/{case}/persons/{id}/identifiers", s.handleAddIdentifier, false},
		{"POST", "/api/v1/cases/{case}/persons/{id}/reveal", s.handleRevealIdentity, false},
		{"GET", "/api/v1/cases/{case}/persons/{id}/access", s.handleIdentityAccess, false},

		{"GET", "/api/v1/cases/{case}/documents", s.handleListDocuments, false},
		{"POST", "/api/v1/cases/{case}/documents", s.handleRegisterDocument, false},
		{"GET", "/api/v1/cases/{case}/documents/{id}", s.handleGetDocument, false},

		{"GET", "/api/v1/cases/{case}/links", s.handleListLinks, false},
		{"POST", "/api/v1/cases/{case}/links", s.handleRecordLink, false},

		{"GET", "/api/v1/cases/{case}/organisations", s.handleListOrganisations, false},
		{"POST", "/api/v1/cases/{case}/organisations", s.handleRegisterOrganisation, false},
		{"GET", "/api/v1/cases/{case}/locations", s.handleListLocations, false},
		{"POST", "/api/v1/cases/{case}/locations", s.handleRegisterLocation, false},

		{"GET", "/api/v1/cases/{case}/audit", s.handleCaseAudit, false},
	}
}

// ServeHTTP serves the API with security headers and one log line per request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h := rec.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	info := &requestInfo{logger: s.Logger}
	r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
	defer func() {
		if v := recover(); v != nil {
			s.Logger.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v)
			writeError(rec, r, errors.New("panic"))
		}
		s.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "ms", time.Since(start).Milliseconds(), "actor", info.actor)
	}()
	s.mux.ServeHTTP(rec, r)
}

// requestInfo carries the server's logger into the handlers, and what the request
// log line needs back out of them.
type requestInfo struct {
	logger *slog.Logger
	actor  string
}

// loggerFor returns the logger of the server serving r, or the default logger.
func loggerFor(r *http.Request) *slog.Logger {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok && info.logger != nil {
		return info.logger
	}
	return slog.Default()
}

type requestInfoKey struct{}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// authenticate resolves the bearer token to a user and puts it in the context.
func (s *Server) authenticate(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		scheme, token, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="caseroom"`)
			writeError(w, r, caseroom.Errorf(caseroom.EUNAUTHORIZED, "Send an API token as 'Authorization: Bearer <token>'; create one with 'caseroom token create --user NAME'."))
			return
		}
		u, err := s.Users.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="caseroom", error="invalid_token"`)
			writeError(w, r, err)
			return
		}
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.actor = u.Name
		}
		next(w, r.WithContext(caseroom.NewContextWithUser(r.Context(), u)))
	}
}

// ListenAndServe serves on addr until Close or ctx ends.
func (s *Server) ListenAndServe(ctx context.Context, ln net.Listener) error {
	s.httpServer = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- s.httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return s.httpServer.Shutdown(shutdownCtx)
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.Ping(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("openapi.json")
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Write([]byte(indexPage))
}

const indexPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Caseroom</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><h1>Caseroom</h1>
<p>The incident room of the joint investigation team. The JSON API is served under <code>/api/v1</code>;
its description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Send an API token as
<code>Authorization: Bearer &lt;token&gt;</code>.</p></body></html>
`

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, caseroom.UserFromContext(r.Context()))
}
