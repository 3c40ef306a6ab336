package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"caseroom"
)

// The web UI: server-rendered pages under /cases, for people signed in with a session.
// Every page is built from the services' answers, so what a page shows is what the
// user's role may read; a page holds no rule of its own about who may see what.
//
// Each page is a template "ui:NAME" in templates/ui_*.html that starts with
// {{template "top" .}} and ends with {{template "bottom" .}}; its handler fills a
// uiPage and calls s.renderUI. Forms post to the page's own path (or a sub-path) with
// the session's CSRF token in the field "csrf", and answer with a redirect (303) to
// the page that shows the result, with a flash message in the query (?done=).

//go:embed static
var staticAssets embed.FS

// uiCSP is the Content-Security-Policy of every UI page: nothing from elsewhere, our
// own style sheet and script only, no inline script, images only from this site or
// drawn inline (SVG charts are part of the page).
const uiCSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// uiPage is what every UI template receives. Body holds the page's own data.
type uiPage struct {
	Title string
	User  *caseroom.User
	CSRF  string
	// Case is the case the page belongs to (nil on pages outside a case); its Role is
	// the user's role in it.
	Case *caseroom.Case
	// Section names the case navigation entry to mark as current: dashboard, people,
	// documents, actions, exhibits, media, money, communications, timeline, graph,
	// accountability, audit.
	Section string
	// Flash is a message about what the last form did; FlashError marks a refusal.
	Flash      string
	FlashError bool
	Body       any

	loc *time.Location
}

// Time formats t in the case's time zone (UTC outside a case), to the minute.
func (p *uiPage) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.location()).Format("2006-01-02 15:04")
}

// Date formats t's day in the case's time zone.
func (p *uiPage) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.location()).Format("2006-01-02")
}

// InputTime formats t for a datetime-local input in the case's time zone.
func (p *uiPage) InputTime(t time.Time) string {
	return t.In(p.location()).Format("2006-01-02T15:04")
}

func (p *uiPage) location() *time.Location {
	if p.loc != nil {
		return p.loc
	}
	return time.UTC
}

// CasePath is the path of a page of the page's case: CasePath "people" is
// /cases/{id}/people.
func (p *uiPage) CasePath(parts ...string) string {
	if p.Case == nil {
		return "/cases"
	}
	path := "/cases/" + url.PathEscape(p.Case.ID)
	for _, s := range parts {
		if s != "" {
			path += "/" + url.PathEscape(s)
		}
	}
	return path
}

// Can reports whether the user's role in the case is one of roles (comma separated).
// Pages use it only to hide controls the services would refuse anyway.
func (p *uiPage) Can(roles string) bool {
	if p.Case == nil {
		return false
	}
	for _, r := range strings.Split(roles, ",") {
		if caseroom.Role(strings.TrimSpace(r)) == p.Case.Role {
			return true
		}
	}
	return false
}

// allButAdvocates lists every role but the victims' advocates, who read only what
// concerns their clients.
const allButAdvocates = "lead,investigator,indexer,examiner,medical,protection,prosecutor,oversight"

// caseNav is the case navigation, in order. Roles, if set, lists the roles the
// entry is shown to (comma separated); the page itself is guarded by the services.
var caseNav = []struct{ Section, Label, Path, Roles string }{
	{"dashboard", "Dashboard", "", ""},
	{"people", "People", "people", ""},
	{"documents", "Documents", "documents", ""},
	{"actions", "Actions", "actions", allButAdvocates},
	{"exhibits", "Exhibits & media", "exhibits", allButAdvocates},
	{"money", "Money", "money", allButAdvocates},
	{"communications", "Communications", "communications", allButAdvocates},
	{"timeline", "Timeline", "timeline", ""},
	{"graph", "Link graph", "graph", ""},
	{"accountability", "Accountability", "accountability", "lead,prosecutor,oversight"},
	{"audit", "Audit", "audit", "lead,prosecutor,oversight"},
}

var uiFuncs = template.FuncMap{
	"caseNav": func() any { return caseNav },
	"join":    strings.Join,
	"pathEscape": func(s string) string {
		return url.PathEscape(s)
	},
	// add is for numbering rows and sizing charts.
	"add": func(a, b int) int { return a + b },
	// sourcePath is the page of a network edge's source.
	"sourcePath": func(p *uiPage, src caseroom.NetworkSource) string {
		return p.CasePath(sourcePage(src.Kind), src.ID)
	},
	// netNode is a network node with the page it opens.
	"netNode": func(p *uiPage, n *caseroom.NetworkNode) netNodeView {
		v := netNodeView{Node: n}
		switch n.Kind {
		case caseroom.EntityPerson:
			v.Href = p.CasePath("people", n.ID)
		case caseroom.EntityDocument:
			v.Href = p.CasePath("documents", n.ID)
		default:
			v.Href = p.CasePath("graph") + "?person=" + url.QueryEscape(n.ID)
		}
		return v
	},
}

// netNodeView is a network node as a page shows it: its label, linked to its page.
type netNodeView struct {
	Node *caseroom.NetworkNode
	Href string
}

// uiTemplates holds every page template; parsed once, at start-up.
var uiTemplates = template.Must(template.New("ui").Funcs(uiFuncs).ParseFS(templateFS, "templates/*.html"))

// uiRoute is a page of the web UI. Pages are served only to a signed-in user; a
// POST must carry the session's CSRF token.
type uiRoute struct {
	method, pattern string
	handler         http.HandlerFunc
}

// uiRoutes lists the pages of the web UI. Handlers live in ui_*.go, one file per
// area, each with its own list.
func (s *Server) uiRoutes() []uiRoute {
	var routes []uiRoute
	for _, area := range [][]uiRoute{
		s.dashboardRoutes(),
		s.peopleRoutes(),
		s.documentRoutes(),
		s.actionRoutes(),
		s.exhibitRoutes(),
		s.moneyRoutes(),
		s.graphRoutes(),
		s.oversightRoutes(),
		s.searchRoutes(),
	} {
		routes = append(routes, area...)
	}
	return routes
}

// servePage wraps a UI handler: it resumes the session (or sends the browser to the
// sign-in page, saying why), reads the form of a POST and checks its CSRF token, and
// puts the user in the request's context for the services.
func (s *Server) servePage(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.sessionOf(w, r)
		if errors.Is(err, caseroom.ErrSessionExpired) {
			renderPage(w, r, http.StatusUnauthorized, "signin", signInPage(caseroom.ErrSessionExpired.Message, false))
			return
		}
		if err != nil || sess == nil {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.actor = sess.User.Name
		}
		ctx := caseroom.NewContextWithUser(r.Context(), sess.User)
		r = r.WithContext(context.WithValue(ctx, sessionKey{}, sess))
		if !safeMethod(r.Method) {
			// The form is read here, once, for every page: handlers use r.PostForm (and
			// r.MultipartForm for a form that sends a file, held in memory: the whole
			// form is at most maxBody).
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			err := r.ParseForm()
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
				var tooLarge *http.MaxBytesError
				if err = r.ParseMultipartForm(maxBody); errors.As(err, &tooLarge) {
					s.uiError(w, r, nil, caseroom.Errorf(caseroom.EINVALID, "The file sent is larger than a page's form takes (%d MB); a larger file is imported with the caseroom command or the API.", maxBody>>20))
					return
				}
			}
			if err != nil {
				s.uiError(w, r, nil, caseroom.Errorf(caseroom.EINVALID, "The form could not be read; send it again."))
				return
			}
			if !validCSRF(r, sess) {
				renderPage(w, r, http.StatusForbidden, "signin", signInPage(msgBadCSRF, true))
				return
			}
			// The text rule (text.go) holds for forms as for JSON bodies.
			if err := checkForm(r.PostForm); err != nil {
				s.uiError(w, r, nil, err)
				return
			}
		}
		next(w, r)
	}
}

// checkedSignInForm wraps the sign-in handler: it reads the form and refuses one that
// breaks the text rule (a control character or invalid UTF-8 in the user name or
// code) with the sign-in page saying which field, before any store looks the user up.
// A form that cannot be read is left to next, which answers it as it answers any
// form without a user name.
func checkedSignInForm(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		if err := r.ParseForm(); err == nil {
			if err := checkForm(r.PostForm); err != nil {
				renderPage(w, r, http.StatusBadRequest, "signin", signInPage(caseroom.ErrorMessage(err), true))
				return
			}
		}
		next(w, r)
	}
}

// sessionKey is the context key of the session a page is served in.
type sessionKey struct{}

// newUIPage starts the data of a page outside a case.
func (s *Server) newUIPage(r *http.Request, title string) *uiPage {
	p := &uiPage{Title: title, User: caseroom.UserFromContext(r.Context())}
	if sess, ok := r.Context().Value(sessionKey{}).(*caseroom.Session); ok {
		p.CSRF = sess.CSRFToken
	}
	// A message about what a form did comes back in the address of the page the form
	// redirected to; it is shown only if this session's server signed it, so a link
	// from elsewhere cannot put words in the application's mouth.
	if q := r.URL.Query(); q.Get("done") != "" {
		if sess, ok := r.Context().Value(sessionKey{}).(*caseroom.Session); ok && hmac.Equal([]byte(q.Get("ds")), []byte(doneSignature(sess, q.Get("done")))) {
			p.Flash = q.Get("done")
		}
	}
	return p
}

// doneSignature signs a form's message for the session's next page (see newUIPage):
// an HMAC keyed by the session's CSRF token, which only that session and the server know.
func doneSignature(sess *caseroom.Session, msg string) string {
	mac := hmac.New(sha256.New, []byte(sess.CSRFToken))
	mac.Write([]byte("done\x00" + msg))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// newCasePage starts the data of a page of the case in the path, {case}. It returns
// an error (ENOTFOUND) if the user is not a member.
func (s *Server) newCasePage(r *http.Request, title, section string) (*uiPage, error) {
	c, err := s.Cases.FindCase(r.Context(), r.PathValue("case"))
	if err != nil {
		return nil, err
	}
	p := s.newUIPage(r, title)
	p.Case, p.Section = c, section
	if loc, err := time.LoadLocation(c.TimeZone); err == nil && c.TimeZone != "" {
		p.loc = loc
	}
	return p, nil
}

// renderUI writes the page "ui:"+name with status 200.
func (s *Server) renderUI(w http.ResponseWriter, r *http.Request, name string, p *uiPage) {
	s.renderUIStatus(w, r, http.StatusOK, name, p)
}

func (s *Server) renderUIStatus(w http.ResponseWriter, r *http.Request, status int, name string, p *uiPage) {
	writeHTML(w, r, status, "ui:"+name, p)
}

// uiError shows err as a page: what was refused and why, with the status of its code.
// Internal errors are logged and shown only as a generic message.
func (s *Server) uiError(w http.ResponseWriter, r *http.Request, p *uiPage, err error) {
	code, msg := caseroom.ErrorCode(err), caseroom.ErrorMessage(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == caseroom.EINTERNAL {
		loggerFor(r).Error("internal error", "method", r.Method, "route", r.Pattern, "err", err)
	}
	if p == nil {
		p = s.newUIPage(r, "")
	}
	switch status {
	case http.StatusNotFound:
		p.Title = "Not found"
	case http.StatusForbidden:
		p.Title = "Not allowed"
	default:
		p.Title = "Something went wrong"
	}
	p.Flash, p.FlashError = msg, true
	s.renderUIStatus(w, r, status, "error", p)
}

// redirectDone sends the browser to path after a form did its work, with a message
// saying what was done, signed for this session (see newUIPage).
func redirectDone(w http.ResponseWriter, r *http.Request, path, done string) {
	sess, ok := r.Context().Value(sessionKey{}).(*caseroom.Session)
	if done != "" && ok {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "done=" + url.QueryEscape(done) + "&ds=" + doneSignature(sess, done)
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// handleStatic serves the embedded style sheet, script and icons.
func (s *Server) handleStatic() http.Handler {
	sub, err := fs.Sub(staticAssets, "static")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The assets change only with the binary; a day's cache is safe and saves a
		// round trip per page.
		w.Header().Set("Cache-Control", "private, max-age=86400")
		files.ServeHTTP(w, r)
	}))
}
