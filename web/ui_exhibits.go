package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"caseroom"
)

// The exhibits and media pages: exhibits with their chains of custody, and the files
// found in them as rows of hashes and facts. No page shows a file's content, except the
// answer to an examiner's reasoned request: a blurred greyscale thumbnail, made for
// that one response and recorded as a view (see thumbnail.go).

// exhibitRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) exhibitRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases/{case}/exhibits", s.uiExhibits},
		{"GET", "/cases/{case}/exhibits/{id}", s.uiExhibit},
		{"POST", "/cases/{case}/exhibits/{id}/custody", s.uiRecordCustody},
		{"GET", "/cases/{case}/media", s.uiMedia},
		{"GET", "/cases/{case}/media/{id}", s.uiMediaFile},
		{"POST", "/cases/{case}/media/{id}/view", s.uiViewMedia},
	}
}

// mediaFormat writes the figures of the media pages; the pages' data embed it.
type mediaFormat struct{}

// Bytes writes a size in bytes as people read it: 1.4 MB.
func (mediaFormat) Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n)/unit, 0
	for f >= unit && i < 4 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", f, "KMGTP"[i])
}

// Short is the start of a hash, enough to tell files apart in a list.
func (mediaFormat) Short(sum string) string {
	if len(sum) > 16 {
		return sum[:16] + "…"
	}
	return sum
}

// Count writes a number with the noun that fits it: "1 file", "3 files".
func (mediaFormat) Count(n any, one, many string) string {
	if s := fmt.Sprint(n); s != "1" {
		return s + " " + many
	}
	return "1 " + one
}

// Seconds writes a duration given in seconds: 1:02:03 or 2:03.
func (mediaFormat) Seconds(f float64) string {
	d := time.Duration(f * float64(time.Second)).Round(time.Second)
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}

// mediaParts gives the area's shared templates (xm-tabs, xm-summary,
// xm-media-table) what they need besides their subject: the page and the formatting.
// The pages' data embed it.
type mediaParts struct {
	mediaFormat
	page     *uiPage
	filtered bool
}

// xmPart is the argument of a shared template: Current is its subject.
type xmPart struct {
	Page     *uiPage
	Fmt      mediaFormat
	Current  any
	Filtered bool
}

// Part is the argument of a shared template about current.
func (m mediaParts) Part(current any) xmPart {
	return xmPart{Page: m.page, Current: current, Filtered: m.filtered}
}

// exhibitRow is an exhibit in the list.
type exhibitRow struct {
	*caseroom.Exhibit
}

// State is what last happened to the exhibit, by its chain.
func (x exhibitRow) State() caseroom.CustodyEventKind { return exhibitState(x.Exhibit) }

func exhibitState(x *caseroom.Exhibit) caseroom.CustodyEventKind {
	if len(x.Custody) == 0 {
		return ""
	}
	return x.Custody[len(x.Custody)-1].Event
}

// uiExhibits lists the case's exhibits.
func (s *Server) uiExhibits(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Exhibits", "exhibits")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	xs, err := s.Exhibits.FindExhibits(r.Context(), p.Case.ID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	sum, err := s.Exhibits.SummariseMedia(r.Context(), p.Case.ID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	rows := make([]exhibitRow, len(xs))
	for i, x := range xs {
		rows[i] = exhibitRow{Exhibit: x}
	}
	p.Body = struct {
		mediaParts
		Exhibits []exhibitRow
		Summary  *caseroom.MediaSummary
	}{mediaParts: mediaParts{page: p}, Exhibits: rows, Summary: sum}
	s.renderUI(w, r, "exhibits", p)
}

// custodyForm is the custody form's input, as typed.
type custodyForm struct {
	Event, By, To, At, Place, Seal, Purpose string
}

// exhibitPage is the exhibit page's data.
type exhibitPage struct {
	mediaParts
	Exhibit *caseroom.Exhibit
	State   caseroom.CustodyEventKind
	Media   []*caseroom.Media
	More    bool // the exhibit holds more files than listed
	Events  []caseroom.CustodyEventKind
	Form    custodyForm
	// Import is the form that imports a file of communications into the exhibit
	// (see uiImportCommunications), as typed; ImportLimit the largest file it sends.
	Import      commsImportForm
	ImportLimit int64
}

// exhibitMediaLimit is how many files the exhibit page lists; the media list pages on.
const exhibitMediaLimit = 100

// uiExhibit shows an exhibit: its facts, its chain of custody, and its files.
func (s *Server) uiExhibit(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Exhibit", "exhibits")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	body, err := s.exhibitPage(r, p, custodyForm{At: p.InputTime(s.now())})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Body = body
	s.renderUI(w, r, "exhibit", p)
}

// exhibitPage reads what the exhibit page shows.
func (s *Server) exhibitPage(r *http.Request, p *uiPage, form custodyForm) (*exhibitPage, error) {
	x, err := s.Exhibits.FindExhibit(r.Context(), p.Case.ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	ms, err := s.Exhibits.FindMedia(r.Context(), p.Case.ID, caseroom.MediaFilter{ExhibitID: x.ID, Limit: exhibitMediaLimit + 1})
	if err != nil {
		return nil, err
	}
	body := &exhibitPage{mediaParts: mediaParts{page: p}, Exhibit: x, State: exhibitState(x), Media: ms, Form: form,
		Import: commsImportForm{Format: "cdr"}, ImportLimit: commsUploadLimit}
	if len(ms) > exhibitMediaLimit {
		body.Media, body.More = ms[:exhibitMediaLimit], true
	}
	for _, k := range caseroom.CustodyEventKinds {
		if k != caseroom.CustodySeized {
			body.Events = append(body.Events, k)
		}
	}
	p.Title = "Exhibit " + x.Ref
	return body, nil
}

// uiRecordCustody records the next event of an exhibit's chain. A refusal shows the
// exhibit page again with the service's message and the input kept.
func (s *Server) uiRecordCustody(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Exhibit", "exhibits")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	form := custodyForm{Event: r.PostFormValue("event"), By: strings.TrimSpace(r.PostFormValue("by")), To: strings.TrimSpace(r.PostFormValue("to")),
		At: r.PostFormValue("at"), Place: strings.TrimSpace(r.PostFormValue("place")), Seal: strings.TrimSpace(r.PostFormValue("seal")),
		Purpose: strings.TrimSpace(r.PostFormValue("purpose"))}
	ev := caseroom.NewCustodyEvent{Event: caseroom.CustodyEventKind(form.Event), By: form.By, To: form.To, Place: form.Place, Seal: form.Seal, Purpose: form.Purpose}
	if form.At != "" {
		at, perr := time.ParseInLocation("2006-01-02T15:04", form.At, p.location())
		if perr != nil {
			err = caseroom.Errorf(caseroom.EINVALID, "at: %q is not a date and time; use the picker or write 2026-11-20T09:00", form.At)
		} else {
			ev.At = &at
		}
	}
	var x *caseroom.Exhibit
	if err == nil {
		x, err = s.Exhibits.RecordCustody(r.Context(), p.Case.ID, r.PathValue("id"), ev)
	}
	if err == nil {
		redirectDone(w, r, p.CasePath("exhibits", x.ID), fmt.Sprintf("Recorded: %s %s, event %d of its chain.", x.Ref, ev.Event, len(x.Custody)))
		return
	}
	switch caseroom.ErrorCode(err) {
	case caseroom.EINVALID, caseroom.ECONFLICT:
	default:
		s.uiError(w, r, p, err)
		return
	}
	body, perr := s.exhibitPage(r, p, form)
	if perr != nil {
		s.uiError(w, r, p, perr)
		return
	}
	p.Body = body
	p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
	s.renderUIStatus(w, r, statusOf[caseroom.ErrorCode(err)], "exhibit", p)
}

// mediaListPage is the media list's data.
type mediaListPage struct {
	mediaParts
	Summary  *caseroom.MediaSummary
	Exhibits []*caseroom.Exhibit
	Media    []*caseroom.Media
	// The filters, as given.
	Exhibit, Cluster string
	Known            bool
	// Next is the query of the next page, "" on the last.
	Next     string
	Filtered bool
}

// mediaPageSize is how many files the media list shows at once.
const mediaPageSize = 100

// uiMedia lists the case's files with the media summary; filters by exhibit, by
// cluster of near-duplicates, and to files matching a known-hash set, all applied by
// the service.
func (s *Server) uiMedia(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Media", "exhibits")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	q := r.URL.Query()
	body := &mediaListPage{Exhibit: q.Get("exhibit"), Cluster: q.Get("cluster"), Known: q.Get("matched") == "known"}
	body.Filtered = body.Exhibit != "" || body.Cluster != "" || body.Known
	body.mediaParts = mediaParts{page: p, filtered: body.Filtered}
	if body.Summary, err = s.Exhibits.SummariseMedia(r.Context(), p.Case.ID); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	if body.Exhibits, err = s.Exhibits.FindExhibits(r.Context(), p.Case.ID); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	// One more than a page: if it comes, there is a next page, after the last shown.
	ms, err := s.Exhibits.FindMedia(r.Context(), p.Case.ID, caseroom.MediaFilter{ExhibitID: body.Exhibit, Cluster: body.Cluster,
		MatchedKnown: body.Known, Limit: mediaPageSize + 1, After: q.Get("after")})
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	body.Media = ms
	if len(ms) > mediaPageSize {
		body.Media = ms[:mediaPageSize]
		body.Next = mediaQuery(body, body.Media[mediaPageSize-1].ID)
	}
	p.Body = body
	s.renderUI(w, r, "media", p)
}

// mediaQuery is the query string of the media list with b's filters, after a file.
func mediaQuery(b *mediaListPage, after string) string {
	v := make([]string, 0, 4)
	if b.Exhibit != "" {
		v = append(v, "exhibit="+url.QueryEscape(b.Exhibit))
	}
	if b.Cluster != "" {
		v = append(v, "cluster="+url.QueryEscape(b.Cluster))
	}
	if b.Known {
		v = append(v, "matched=known")
	}
	return strings.Join(append(v, "after="+url.QueryEscape(after)), "&")
}

// mediaPage is the media page's data.
type mediaPage struct {
	mediaParts
	Media *caseroom.Media
	Name  string // the file's name, the last element of its path
	Known []caseroom.MediaMatch
	Near  []caseroom.MediaMatch
	// Views are the past views of the content, for a reader who may read them;
	// ViewsHidden is set for one who may not.
	Views       []*caseroom.MediaView
	ViewsHidden bool
	// Picture is set for an image or a video, of which a thumbnail can be made.
	Picture bool
	Reason  string
	// The answer to an examiner's request: the view recorded and its thumbnail (a
	// data: URI, never stored), or why none could be made.
	View           *caseroom.MediaView
	Thumbnail      template.URL
	ThumbnailError string
}

// uiMediaFile shows a file as rows of facts: no content.
func (s *Server) uiMediaFile(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "File", "exhibits")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	body, err := s.mediaPage(r, p)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Body = body
	s.renderUI(w, r, "media-file", p)
}

// mediaPage reads what the media page shows.
func (s *Server) mediaPage(r *http.Request, p *uiPage) (*mediaPage, error) {
	id := r.PathValue("id")
	ms, err := s.Exhibits.FindMedia(r.Context(), p.Case.ID, caseroom.MediaFilter{ID: id, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no file %q in this case.", id)
	}
	m := ms[0]
	body := &mediaPage{mediaParts: mediaParts{page: p}, Media: m, Picture: isPicture(m.MIME)}
	for _, x := range m.Matches {
		if x.Kind == "known" {
			body.Known = append(body.Known, x)
		} else {
			body.Near = append(body.Near, x)
		}
	}
	if p.Case.Role.CanReadMediaViews() {
		if body.Views, err = s.MediaViews.FindMediaViews(r.Context(), p.Case.ID, m.ID); err != nil {
			return nil, err
		}
	} else {
		body.ViewsHidden = true
	}
	p.Title = "File " + baseName(m.Path)
	body.Name = baseName(m.Path)
	return body, nil
}

// baseName is the last element of a path inside an exhibit.
func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 && i < len(path)-1 {
		return path[i+1:]
	}
	return path
}

// uiViewMedia is the examiner's reasoned request to see a file's content: the view
// is recorded first (refused with 403, 400 or 404 and nothing written), then the page
// answers with the blurred greyscale thumbnail inline.
func (s *Server) uiViewMedia(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "File", "exhibits")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	reason := r.PostFormValue("reason")
	view, err := s.MediaViews.RecordMediaView(r.Context(), p.Case.ID, r.PathValue("id"), reason)
	if err != nil && caseroom.ErrorCode(err) != caseroom.EINVALID {
		s.uiError(w, r, p, err)
		return
	}
	body, perr := s.mediaPage(r, p)
	if perr != nil {
		s.uiError(w, r, p, perr)
		return
	}
	if err != nil {
		body.Reason = reason
		p.Flash, p.FlashError = caseroom.ErrorMessage(err), true
		p.Body = body
		s.renderUIStatus(w, r, http.StatusBadRequest, "media-file", p)
		return
	}
	body.View = view
	png, terr := mediaThumbnail(r.Context(), s.Blobs, body.Media)
	if terr != nil {
		loggerFor(r).Warn("media thumbnail", "media", body.Media.ID, "err", errors.Unwrap(terr))
		body.ThumbnailError = terr.Error()
	} else {
		body.Thumbnail = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	p.Flash = "Your view was recorded, with your reason, at " + p.Time(view.At) + "."
	p.Body = body
	s.renderUI(w, r, "media-file", p)
}
