package web

import (
	"bytes"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"caseroom"
)

// SessionCookie is the name of the cookie that holds a web session's secret.
const SessionCookie = "caseroom_session"

// CSRFHeader and csrfField carry a session's CSRF token on state-changing requests.
const (
	CSRFHeader = "X-CSRF-Token"
	csrfField  = "csrf"
)

// maxFormBody is the largest sign-in form accepted.
const maxFormBody = 16 << 10

//go:embed templates/*.html
var templateFS embed.FS

// pageData is what the page templates show.
type pageData struct {
	Title   string
	Message string
	IsError bool
	User    string
	CSRF    string
}

// Messages of the sign-in page.
const (
	msgSignedOut    = "You have signed out."
	msgMissingField = "Enter your user name and password."
	msgSignInError  = "Signing in failed on the server; try again, and tell an administrator if it goes on failing."
	msgBadCSRF      = "The form was stale or did not come from this site; nothing was changed. Reload the page and try again."
	// msgTooManySignIns takes the seconds to wait.
	msgTooManySignIns = "Too many sign-in attempts from your address or under this user name; nothing was checked. Wait %d seconds and try again."
)

// tooManySignIns refuses a sign-in attempt with 429, saying in Retry-After and on the
// page how long to wait.
func tooManySignIns(w http.ResponseWriter, r *http.Request, wait time.Duration, message string) {
	w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(wait)))
	renderPage(w, r, http.StatusTooManyRequests, "signin", signInPage(message, true))
}

// retrySeconds is wait in whole seconds, rounded up, at least 1.
func retrySeconds(wait time.Duration) int {
	return max(1, int((wait+time.Second-1)/time.Second))
}

// renderPage writes a page outside the UI's layout (the sign-in form) with the status.
// Pages load nothing from elsewhere.
func renderPage(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	writeHTML(w, r, status, name, data)
}

// writeHTML renders the template name with data and writes it with the status and the
// UI's Content-Security-Policy; a template that fails is logged and answered with 500.
func writeHTML(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := uiTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		loggerFor(r).Error("render page", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", uiCSP)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func signInPage(message string, isError bool) pageData {
	return pageData{Title: "Sign in", Message: message, IsError: isError}
}

// sessionOf resumes the session of r's cookie. It returns nil and no error if r has
// no session cookie, and clears the cookie of a session that has ended.
func (s *Server) sessionOf(w http.ResponseWriter, r *http.Request) (*caseroom.Session, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	sess, err := s.Accounts.ResumeSession(r.Context(), c.Value)
	if err != nil {
		clearSessionCookie(w, r)
		return nil, err
	}
	return sess, nil
}

// setSessionCookie gives the browser the session's secret. The cookie is not
// readable by scripts, is sent only to this site and, over TLS, only over TLS; it
// lasts no longer than the session's absolute lifetime.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, sess *caseroom.Session) {
	maxAge := int(sess.EndsAt.Sub(s.now()).Seconds())
	if maxAge <= 0 {
		maxAge = -1
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Secret, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// validCSRF reports whether r carries the session's CSRF token, in the X-CSRF-Token
// header or, for a form, the "csrf" field. Tokens are compared in constant time.
func validCSRF(r *http.Request, sess *caseroom.Session) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" && isForm(r) {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) == 1
}

func isForm(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
}

// safeMethod reports whether a request with this method changes nothing.
func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// wantsHTML reports whether r is a browser's request for a page rather than an API call.
func wantsHTML(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, "/api/") && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// handleSignInPage serves the sign-in form. A session that has just expired is
// said to have; a live one goes to the start page.
func (s *Server) handleSignInPage(w http.ResponseWriter, r *http.Request) {
	sess, err := s.sessionOf(w, r)
	switch {
	case errors.Is(err, caseroom.ErrSessionExpired):
		renderPage(w, r, http.StatusOK, "signin", signInPage(caseroom.ErrSessionExpired.Message, false))
	case sess != nil:
		http.Redirect(w, r, "/", http.StatusSeeOther)
	case r.URL.Query().Has("signed-out"):
		renderPage(w, r, http.StatusOK, "signin", signInPage(msgSignedOut, false))
	default:
		renderPage(w, r, http.StatusOK, "signin", signInPage("", false))
	}
}

// handleSignIn checks the form and begins a new session. Every failure to sign in
// gets the same status and page, whatever its cause. An attempt beyond the rate of its
// source address or user name (signinlimit.go), or one the store is too busy to check,
// is refused with 429 and Retry-After before anything is checked or changed.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil || !isForm(r) {
		renderPage(w, r, http.StatusBadRequest, "signin", signInPage(msgMissingField, true))
		return
	}
	in := caseroom.SignIn{User: strings.TrimSpace(r.PostForm.Get("user")), Password: r.PostForm.Get("password"), Code: strings.TrimSpace(r.PostForm.Get("code"))}
	if in.User == "" || in.Password == "" {
		renderPage(w, r, http.StatusBadRequest, "signin", signInPage(msgMissingField, true))
		return
	}
	if wait := s.signIns.allow(r, in.User, s.now()); wait > 0 {
		tooManySignIns(w, r, wait, fmt.Sprintf(msgTooManySignIns, retrySeconds(wait)))
		return
	}
	// A session already in this browser ends: each sign-in gets a new one.
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.Accounts.SignOut(r.Context(), c.Value); err != nil {
			loggerFor(r).Error("end previous session", "err", err)
		}
	}
	sess, err := s.Accounts.SignIn(r.Context(), in)
	switch {
	case err == nil:
	case errors.Is(err, caseroom.ErrSecondFactorRequired):
		renderPage(w, r, http.StatusForbidden, "signin", signInPage(caseroom.ErrSecondFactorRequired.Message, true))
		return
	case caseroom.ErrorCode(err) == caseroom.ETOOMANY:
		tooManySignIns(w, r, busyRetryAfter, caseroom.ErrorMessage(err))
		return
	case caseroom.ErrorCode(err) == caseroom.EUNAUTHORIZED:
		renderPage(w, r, http.StatusUnauthorized, "signin", signInPage(caseroom.ErrSignInFailed.Message, true))
		return
	default:
		loggerFor(r).Error("sign in", "err", err)
		renderPage(w, r, http.StatusInternalServerError, "signin", signInPage(msgSignInError, true))
		return
	}
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		info.actor = sess.User.Name
	}
	s.setSessionCookie(w, r, sess)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// handleSignOut ends the session of the cookie, which the form must prove with the
// session's CSRF token.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	sess, err := s.sessionOf(w, r)
	if err != nil || sess == nil {
		clearSessionCookie(w, r)
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	if !validCSRF(r, sess) {
		renderPage(w, r, http.StatusForbidden, "signin", signInPage(msgBadCSRF, true))
		return
	}
	if err := s.Accounts.SignOut(r.Context(), sess.Secret); err != nil {
		loggerFor(r).Error("sign out", "err", err)
		renderPage(w, r, http.StatusInternalServerError, "signin", signInPage(msgSignInError, true))
		return
	}
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		info.actor = sess.User.Name
	}
	clearSessionCookie(w, r)
	http.Redirect(w, r, "/signin?signed-out", http.StatusSeeOther)
}

// handleIndex serves the start page: who is signed in, or the sign-in form.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	sess, err := s.sessionOf(w, r)
	switch {
	case errors.Is(err, caseroom.ErrSessionExpired):
		renderPage(w, r, http.StatusOK, "signin", signInPage(caseroom.ErrSessionExpired.Message, false))
	case sess != nil:
		// The start page of a signed-in user is the list of their cases.
		s.servePage(s.uiCases)(w, r)
	default:
		// Nobody is signed in: the start page is the sign-in form.
		renderPage(w, r, http.StatusOK, "signin", signInPage("", false))
	}
}

// handleListTokens lists the API tokens of the requesting user, or of ?user= for an
// administrator.
func (s *Server) handleListTokens(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("user")
	if name == "" {
		name = caseroom.UserFromContext(r.Context()).Name
	}
	tokens, err := s.Accounts.FindTokens(r.Context(), name)
	respond(w, r, map[string]any{"tokens": tokens}, err)
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) {
	t, err := s.Accounts.RevokeToken(r.Context(), r.PathValue("id"))
	respond(w, r, t, err)
}

func (s *Server) handleEnrolTOTP(w http.ResponseWriter, r *http.Request) {
	e, err := s.Accounts.EnrolTOTP(r.Context(), caseroom.UserFromContext(r.Context()).Name)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

func (s *Server) handleGetAccount(w http.ResponseWriter, r *http.Request) {
	a, err := s.Accounts.FindAccount(r.Context(), r.PathValue("name"))
	respond(w, r, a, err)
}

func (s *Server) handleUnlockUser(w http.ResponseWriter, r *http.Request) {
	a, err := s.Accounts.UnlockUser(r.Context(), r.PathValue("name"))
	respond(w, r, a, err)
}

func (s *Server) handleDisableUser(w http.ResponseWriter, r *http.Request) {
	a, err := s.Accounts.DisableUser(r.Context(), r.PathValue("name"))
	respond(w, r, a, err)
}

func (s *Server) handleEnableUser(w http.ResponseWriter, r *http.Request) {
	a, err := s.Accounts.EnableUser(r.Context(), r.PathValue("name"))
	respond(w, r, a, err)
}
