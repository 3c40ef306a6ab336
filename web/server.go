// Package web serves Caseroom's JSON API under /api/v1 (and, later, the web UI). It
// holds no business rules: every decision about who may do what is made by the
// services it calls.
package web

import (
	"context"
	"crypto/tls"
	"embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"caseroom"
	"caseroom/audit"
	"caseroom/blob"
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
	Accounts  caseroom.AccountService
	Exhibits  caseroom.ExhibitService
	HashSets  caseroom.HashSetService
	Actions   caseroom.ActionService
	Decisions caseroom.DecisionService
	Consents  caseroom.ConsentService
	Arrests   caseroom.ArrestService
	// Accountability builds the accountability report.
	Accountability caseroom.AccountabilityService
	// Safeguards keeps the statement safeguard rules.
	Safeguards caseroom.SafeguardService
	// Contacts keeps the victim-contact ledger.
	Contacts caseroom.ContactService
	// Clocks reads the deadline clocks.
	Clocks caseroom.ClockService
	// Summary counts what a case holds.
	Summary caseroom.SummaryService
	// Payments records and adds up payments.
	Payments caseroom.PaymentService
	// Comms imports and reads communications.
	Comms caseroom.CommService
	// Timeline reads a case's dated records in order.
	Timeline caseroom.TimelineService
	// Search searches a case's record.
	Search caseroom.SearchService
	// Network answers who connects to whom.
	Network caseroom.NetworkService
	// Exports opens exports of a case.
	Exports caseroom.ExportService
	// MediaViews records and lists examiners' views of media content.
	MediaViews caseroom.MediaViewService
	// Blobs stores uploaded files; without it uploads answer 501.
	Blobs blob.Store
	// Log is the transparency log over the audit entries; without it the audit
	// checkpoint and proof routes answer 404.
	Log *audit.Log
	// Ping reports whether the store is open; /healthz answers 200 only when it is.
	Ping func(ctx context.Context) error
	// Logger receives one line per request; never a request body, a cookie or a
	// query string.
	Logger *slog.Logger
	// Now returns the current time; tests may replace it (with the store's clock).
	Now func() time.Time
	// TLSConfig, if set, makes ListenAndServe serve HTTPS with it.
	TLSConfig *tls.Config

	mux         *http.ServeMux
	crossOrigin *http.CrossOriginProtection
	// signIns limits sign-in attempts per source address and user name
	// (signinlimit.go).
	signIns    *signInLimiter
	httpServer *http.Server
	uploads    keyLocks // one upload at a time to each path of an exhibit
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
	caseroom.AccountService
	caseroom.ExhibitService
	caseroom.HashSetService
	caseroom.ActionService
	caseroom.DecisionService
	caseroom.ConsentService
	caseroom.ArrestService
	caseroom.AccountabilityService
	caseroom.SafeguardService
	caseroom.ContactService
	caseroom.ClockService
	caseroom.SummaryService
	caseroom.MediaViewService
	caseroom.PaymentService
	caseroom.CommService
	caseroom.TimelineService
	caseroom.SearchService
	caseroom.NetworkService
	caseroom.ExportService
	Ping(ctx context.Context) error
}

// NewServer returns a server whose services all come from one store.
func NewServer(s Store, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.Default()
	}
	srv := &Server{Users: s, Cases: s, Persons: s, Documents: s, Links: s, Places: s, Audit: s, Accounts: s, Exhibits: s, HashSets: s, Actions: s, Decisions: s, Consents: s, Arrests: s, Accountability: s, Safeguards: s, Contacts: s, Clocks: s, Summary: s, MediaViews: s, Payments: s, Comms: s, Timeline: s, Search: s, Network: s, Exports: s, Ping: s.Ping, Logger: logger, Now: time.Now}
	srv.signIns = newSignInLimiter()
	srv.mux = http.NewServeMux()
	for _, rt := range srv.routes() {
		h := rt.handler
		if !rt.public {
			h = srv.authenticate(h)
		}
		srv.mux.Handle(rt.method+" "+rt.pattern, h)
	}
	for _, rt := range srv.uiRoutes() {
		srv.mux.Handle(rt.method+" "+rt.pattern, srv.servePage(rt.handler))
	}
	srv.mux.Handle("GET /static/", srv.handleStatic())
	srv.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, caseroom.Errorf(caseroom.ENOTFOUND, "There is no API route %s %s; see /api/v1/openapi.json.", r.Method, r.URL.Path))
	})
	// Browsers say where a request comes from; a state-changing request from another
	// site is refused before any handler sees it (login CSRF included). Clients that
	// are not browsers send neither header and pass.
	srv.crossOrigin = http.NewCrossOriginProtection()
	srv.crossOrigin.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			renderPage(w, r, http.StatusForbidden, "signin", signInPage(msgBadCSRF, true))
			return
		}
		writeError(w, r, caseroom.Errorf(caseroom.EFORBIDDEN, "Cross-site requests are refused; nothing was changed."))
	}))
	return srv
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
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

		{"GET", "/signin", s.handleSignInPage, true},
		{"POST", "/signin", checkedSignInForm(s.handleSignIn), true},
		{"POST", "/signout", s.handleSignOut, true},
		{"POST", "/api/v1/me/totp", noBody(s.handleEnrolTOTP), false},
		{"GET", "/api/v1/tokens", s.handleListTokens, false},
		{"POST", "/api/v1/tokens/{id}/revoke", noBody(s.handleRevokeToken), false},
		{"GET", "/api/v1/users/{name}/account", s.handleGetAccount, false},
		{"POST", "/api/v1/users/{name}/unlock", noBody(s.handleUnlockUser), false},
		{"POST", "/api/v1/users/{name}/disable", noBody(s.handleDisableUser), false},
		{"POST", "/api/v1/users/{name}/enable", noBody(s.handleEnableUser), false},

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
		{"GET", "/api/v1/cases/{case}/network", s.handleNetwork, false},
		{"GET", "/api/v1/cases/{case}/network/paths", s.handleNetworkPaths, false},
		{"GET", "/api/v1/cases/{case}/network/common", s.handleNetworkCommon, false},
		{"GET", "/api/v1/cases/{case}/network/centrality", s.handleNetworkCentrality, false},
		{"GET", "/api/v1/cases/{case}/export", s.handleExport, false},

		{"GET", "/api/v1/cases/{case}/organisations", s.handleListOrganisations, false},
		{"POST", "/api/v1/cases/{case}/organisations", s.handleRegisterOrganisation, false},
		{"GET", "/api/v1/cases/{case}/locations", s.handleListLocations, false},
		{"POST", "/api/v1/cases/{case}/locations", s.handleRegisterLocation, false},

		{"GET", "/api/v1/cases/{case}/audit", s.handleCaseAudit, false},

		{"GET", "/api/v1/cases/{case}/exhibits", s.handleListExhibits, false},
		{"POST", "/api/v1/cases/{case}/exhibits", s.handleRegisterExhibit, false},
		{"GET", "/api/v1/cases/{case}/exhibits/{id}", s.handleGetExhibit, false},
		{"POST", "/api/v1/cases/{case}/exhibits/{id}/custody", s.handleRecordCustody, false},
		{"GET", "/api/v1/cases/{case}/exhibits/{id}/media", s.handleExhibitMedia, false},
		{"POST", "/api/v1/cases/{case}/exhibits/{id}/media", s.handleUploadMedia, false},
		{"GET", "/api/v1/cases/{case}/media", s.handleCaseMedia, false},
		{"GET", "/api/v1/cases/{case}/media/summary", s.handleMediaSummary, false},
		{"GET", "/api/v1/cases/{case}/media/vics", s.handleExportMediaHashes, false},

		{"GET", "/api/v1/cases/{case}/actions", s.handleListActions, false},
		{"POST", "/api/v1/cases/{case}/actions", s.handleRaiseAction, false},
		{"GET", "/api/v1/cases/{case}/actions/{id}", s.handleGetAction, false},
		{"POST", "/api/v1/cases/{case}/actions/{id}/allocate", s.handleAllocateAction, false},
		{"POST", "/api/v1/cases/{case}/actions/{id}/result", s.handleResultAction, false},
		{"POST", "/api/v1/cases/{case}/actions/{id}/file", noBody(s.handleFileAction), false},
		{"POST", "/api/v1/cases/{case}/actions/{id}/refer-back", s.handleReferBackAction, false},
		{"POST", "/api/v1/cases/{case}/actions/{id}/cancel", s.handleCancelAction, false},
		{"POST", "/api/v1/cases/{case}/actions/{id}/consents", s.handleRecordConsent, false},
		{"GET", "/api/v1/cases/{case}/arrests", s.handleListArrests, false},
		{"POST", "/api/v1/cases/{case}/arrests", s.handleRecordArrest, false},
		{"POST", "/api/v1/cases/{case}/arrests/{id}/production", s.handleRecordProduction, false},
		{"GET", "/api/v1/cases/{case}/accountability", s.handleAccountability, false},
		{"GET", "/api/v1/cases/{case}/contacts", s.handleListContacts, false},
		{"POST", "/api/v1/cases/{case}/contacts", s.handleRecordContact, false},
		{"GET", "/api/v1/cases/{case}/clocks", s.handleClocks, false},
		{"GET", "/api/v1/cases/{case}/summary", s.handleSummary, false},
		{"GET", "/api/v1/cases/{case}/safeguards", s.handleGetSafeguards, false},
		{"POST", "/api/v1/cases/{case}/safeguards", s.handleRecordSafeguards, false},
		{"GET", "/api/v1/cases/{case}/decisions", s.handleListDecisions, false},
		{"GET", "/api/v1/cases/{case}/payments", s.handleListPayments, false},
		{"POST", "/api/v1/cases/{case}/payments", s.handleRecordPayment, false},
		{"GET", "/api/v1/cases/{case}/payments/summary", s.handlePaymentSummary, false},
		{"POST", "/api/v1/cases/{case}/exhibits/{id}/communications", s.handleImportCommunications, false},
		{"GET", "/api/v1/cases/{case}/communications", s.handleListCommunications, false},
		{"GET", "/api/v1/cases/{case}/communications/summary", s.handleCommSummary, false},
		{"GET", "/api/v1/cases/{case}/endpoints", s.handleListEndpoints, false},
		{"GET", "/api/v1/cases/{case}/timeline", s.handleTimeline, false},
		{"GET", "/api/v1/cases/{case}/search", s.handleSearch, false},
		{"POST", "/api/v1/cases/{case}/search", s.handleSearchPost, false},
		{"POST", "/api/v1/cases/{case}/decisions", s.handleRecordDecision, false},

		{"GET", "/api/v1/hashsets", s.handleListHashSets, false},
		{"POST", "/api/v1/hashsets", s.handleImportHashSet, false},

		{"GET", "/api/v1/audit/checkpoint", s.handleCheckpoint, true},
		{"GET", "/api/v1/audit/consistency", s.handleConsistency, true},
		{"GET", "/api/v1/audit/inclusion", s.handleInclusion, true},
		{"POST", "/api/v1/audit/cosignatures", s.handleCosign, true},
		{"GET", "/api/v1/audit/witnesses", s.handleListWitnesses, false},
		{"POST", "/api/v1/audit/witnesses", s.handleAddWitness, false},
		{"GET", "/api/v1/audit/entries", s.handleAuditEntries, false},
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
	if r.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	info := &requestInfo{logger: s.Logger}
	r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
	defer func() {
		if v := recover(); v != nil {
			s.Logger.Error("panic serving request", "method", r.Method, "route", r.Pattern, "panic", v)
			writeError(rec, r, errors.New("panic"))
		}
		// The route's pattern, not the path: a path may hold whatever a user typed into
		// it, such as a name, and no log line may hold an identity.
		s.Logger.Info("request", "method", r.Method, "route", r.Pattern, "case", loggableID(r.PathValue("case")),
			"status", rec.status, "ms", time.Since(start).Milliseconds(), "actor", info.actor)
	}()
	// The text rule (text.go) holds for the path and the query as for bodies: no
	// handler sees a control character or invalid UTF-8 in an id or a search.
	if err := checkURL(r.URL); err != nil {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeError(rec, r, err)
		} else {
			http.Error(rec, caseroom.ErrorMessage(err), http.StatusBadRequest)
		}
		return
	}
	s.crossOrigin.Handler(s.mux).ServeHTTP(rec, r)
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

// authenticate resolves the request's credentials to a user and puts it in the
// context. An Authorization header takes a bearer API token; without one, the session
// cookie is used, and a request that could change anything must then also carry the
// session's CSRF token (see validCSRF). Every response to a session request carries
// the token in the X-CSRF-Token header, for clients that call the API with the cookie.
func (s *Server) authenticate(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var u *caseroom.User
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" && r.Header.Get("Authorization") == "" {
			sess, err := s.sessionOf(w, r)
			if err != nil {
				if wantsHTML(r) && caseroom.ErrorCode(err) == caseroom.EUNAUTHORIZED {
					renderPage(w, r, http.StatusUnauthorized, "signin", signInPage(caseroom.ErrorMessage(err), false))
					return
				}
				w.Header().Set("WWW-Authenticate", `Bearer realm="caseroom"`)
				writeError(w, r, err)
				return
			}
			if !safeMethod(r.Method) && !validCSRF(r, sess) {
				writeError(w, r, caseroom.Errorf(caseroom.EFORBIDDEN, "Send the session's CSRF token in the %s header (it comes in that header of every response to this session); nothing was changed.", CSRFHeader))
				return
			}
			w.Header().Set(CSRFHeader, sess.CSRFToken)
			u = sess.User
		} else {
			auth := r.Header.Get("Authorization")
			scheme, token, ok := strings.Cut(auth, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="caseroom"`)
				writeError(w, r, caseroom.Errorf(caseroom.EUNAUTHORIZED, "Send an API token as 'Authorization: Bearer <token>'; create one with 'caseroom token create --user NAME'. Or sign in at /signin."))
				return
			}
			var err error
			if u, err = s.Users.Authenticate(r.Context(), strings.TrimSpace(token)); err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="caseroom", error="invalid_token"`)
				writeError(w, r, err)
				return
			}
		}
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.actor = u.Name
		}
		next(w, r.WithContext(caseroom.NewContextWithUser(r.Context(), u)))
	}
}

// ListenAndServe serves on ln until ctx ends, over TLS if TLSConfig is set.
func (s *Server) ListenAndServe(ctx context.Context, ln net.Listener) error {
	s.httpServer = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		TLSConfig:         s.TLSConfig,
		// TLS handshake failures and the like go to the server's log, not stderr.
		ErrorLog: slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		if s.TLSConfig != nil {
			errc <- s.httpServer.ServeTLS(ln, "", "")
		} else {
			errc <- s.httpServer.Serve(ln)
		}
	}()
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

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, caseroom.UserFromContext(r.Context()))
}

// loggableID returns s if it has the shape of an id the server made ("cas_" and
// lower-case base32), else "": anything else came from a user and stays out of logs.
func loggableID(s string) string {
	prefix, rest, ok := strings.Cut(s, "_")
	if !ok || len(prefix) != 3 || rest == "" {
		return ""
	}
	for _, c := range prefix + rest {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return ""
		}
	}
	return s
}
