package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"caseroom"
	"caseroom/commsfile"
	"caseroom/internal/scratch"
)

// Communications: imports from an exhibit's file, lists, summaries, endpoints, and the
// case timeline.

// maxCommsUpload bounds a file of communications sent in a request (a CDR of ten
// million rows is under 1 GiB); it is held in memory while it is read twice.
const maxCommsUpload = scratch.MaxInMemory

// handleImportCommunications reads the request's body as a file of the exhibit, in the
// format of ?format= (cdr or chat), and imports it. Options: ?map= (cdr: columns named
// otherwise, a=HEADER,b=HEADER,...), ?dateOrder= (cdr: dmy, mdy or ymd), ?service= (chat:
// the service when the file does not say), ?name= (the file's name, for the record).
// 201 when rows were added, 200 when the file was imported before and nothing was.
func (s *Server) handleImportCommunications(w http.ResponseWriter, r *http.Request) {
	ctx, caseID, exhibit := r.Context(), r.PathValue("case"), r.PathValue("id")
	q := r.URL.Query()
	format := q.Get("format")
	if format != "cdr" && format != "chat" {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "format: %q is neither cdr (call-detail records, CSV) nor chat (a chat service's contacts and messages)", format))
		return
	}
	// Who may import, into which exhibit: refused before the body is read.
	if _, err := s.Exhibits.RecordMedia(ctx, caseID, exhibit, nil); err != nil {
		writeError(w, r, err)
		return
	}
	read, err := commsfile.Reader(format, q.Get("map"), q.Get("dateOrder"), q.Get("service"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	h := sha256.New()
	path, release, err := scratch.Copy(io.TeeReader(http.MaxBytesReader(w, r.Body, maxCommsUpload), h), "comms")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "The file is larger than %d bytes; import it with caseroom import comms.", int64(maxCommsUpload)))
			return
		}
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "The file could not be read: %v.", err))
		return
	}
	defer release()
	imp, err := s.Comms.ImportCommunications(ctx, caseID, caseroom.NewCommImport{
		Exhibit: exhibit, Format: format, SHA256: hex.EncodeToString(h.Sum(nil)), Name: q.Get("name"),
		Rows: func(loc *time.Location, fn func(caseroom.CommRow) error) error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			return read(f, loc, fn)
		},
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if imp.Added == 0 {
		status = http.StatusOK
	}
	writeJSON(w, status, imp)
}

func (s *Server) handleListCommunications(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := caseroom.CommFilter{Person: q.Get("person"), Endpoint: q.Get("endpoint")}
	var err error
	if f.From, f.To, f.Limit, err = queryWindow(r); err != nil {
		writeError(w, r, err)
		return
	}
	cs, err := s.Comms.FindCommunications(r.Context(), r.PathValue("case"), f)
	respond(w, r, map[string]any{"communications": cs}, err)
}

func (s *Server) handleCommSummary(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sum, err := s.Comms.SummariseCommunications(r.Context(), r.PathValue("case"), q.Get("person"), q.Get("endpoint"))
	respond(w, r, sum, err)
}

func (s *Server) handleListEndpoints(w http.ResponseWriter, r *http.Request) {
	foreign := false
	if v := r.URL.Query().Get("foreign"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "foreign: %q is neither true nor false", v))
			return
		}
		foreign = b
	}
	eps, err := s.Comms.FindEndpoints(r.Context(), r.PathValue("case"), foreign)
	respond(w, r, map[string]any{"endpoints": eps}, err)
}

func (s *Server) handleTimeline(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := caseroom.TimelineFilter{Person: q.Get("person"), After: q.Get("after")}
	var err error
	if f.From, f.To, f.Limit, err = queryWindow(r); err != nil {
		writeError(w, r, err)
		return
	}
	for _, k := range strings.Split(q.Get("kinds"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			f.Kinds = append(f.Kinds, caseroom.TimelineKind(k))
		}
	}
	page, err := s.Timeline.Timeline(r.Context(), r.PathValue("case"), f)
	respond(w, r, page, err)
}

// queryWindow reads the from, to and limit parameters of a list (limit 0 if absent;
// the service says what a limit may be).
func queryWindow(r *http.Request) (from, to *time.Time, limit int, err error) {
	q := r.URL.Query()
	if from, err = queryTime(q.Get("from"), "from"); err != nil {
		return
	}
	if to, err = queryTime(q.Get("to"), "to"); err != nil {
		return
	}
	n, err := intQuery(r, "limit", 0)
	return from, to, int(max(min(n, 1<<31), -1)), err
}

// queryTime reads a time bound of a query: a date (the start of that day in UTC for
// from, its end for to) or an RFC 3339 time; nil if empty.
func queryTime(v, field string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return nil, caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a date (2015-06-01) or an RFC 3339 time", field, v)
	}
	if field == "to" {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return &t, nil
}
