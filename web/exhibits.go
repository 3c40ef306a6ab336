package web

import (
	"fmt"
	"net/http"
	"path"
	"strings"
	"sync"

	"caseroom"
	"caseroom/ingest"
)

func (s *Server) handleListExhibits(w http.ResponseWriter, r *http.Request) {
	xs, err := s.Exhibits.FindExhibits(r.Context(), r.PathValue("case"))
	respond(w, r, map[string]any{"exhibits": xs}, err)
}

func (s *Server) handleRegisterExhibit(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(ne caseroom.NewExhibit) (*caseroom.Exhibit, error) {
		return s.Exhibits.RegisterExhibit(r.Context(), r.PathValue("case"), ne)
	})
}

// handleGetExhibit serves an exhibit with its chain. {id} is its id or its reference
// with the slash escaped (SB%2F3).
func (s *Server) handleGetExhibit(w http.ResponseWriter, r *http.Request) {
	x, err := s.Exhibits.FindExhibit(r.Context(), r.PathValue("case"), r.PathValue("id"))
	respond(w, r, x, err)
}

func (s *Server) handleRecordCustody(w http.ResponseWriter, r *http.Request) {
	create(w, r, func(ev caseroom.NewCustodyEvent) (*caseroom.Exhibit, error) {
		return s.Exhibits.RecordCustody(r.Context(), r.PathValue("case"), r.PathValue("id"), ev)
	})
}

func (s *Server) handleExhibitMedia(w http.ResponseWriter, r *http.Request) {
	s.writeMedia(w, r, caseroom.MediaFilter{ExhibitID: r.PathValue("id")})
}

// handleCaseMedia lists the case's files, filtered by ?exhibit=, ?id=, ?cluster= (a
// cluster's name: a SHA-256 in lower-case hex) and ?matchedKnown=true.
func (s *Server) handleCaseMedia(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := caseroom.MediaFilter{ExhibitID: q.Get("exhibit"), ID: q.Get("id"), Cluster: q.Get("cluster")}
	if f.ID != "" && !strings.HasPrefix(f.ID, "med_") {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "id: %q is not a media id; media ids begin med_", f.ID))
		return
	}
	if f.Cluster != "" && !isSHA256Hex(f.Cluster) {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "cluster: %q is not a cluster's name; give the SHA-256 that names it, in lower-case hex", f.Cluster))
		return
	}
	switch v := q.Get("matchedKnown"); v {
	case "", "false":
	case "true":
		f.MatchedKnown = true
	default:
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "matchedKnown: %q is neither true nor false", v))
		return
	}
	s.writeMedia(w, r, f)
}

// isSHA256Hex reports whether s is a SHA-256 in lower-case hex.
func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// maxMediaPage is the most files one page of media lists.
const maxMediaPage = 10000

// keyLocks is a mutex per key, made on first use and dropped when no one holds or
// waits for it.
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int // holding or waiting
}

// lock locks key and returns the function that unlocks it.
func (k *keyLocks) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// writeMedia answers with the files that pass f, paged by ?limit= and ?after=.
func (s *Server) writeMedia(w http.ResponseWriter, r *http.Request, f caseroom.MediaFilter) {
	limit, err := intQuery(r, "limit", 1000)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if limit < 1 || limit > maxMediaPage {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "limit: %d is not 1 to %d files a page", limit, maxMediaPage))
		return
	}
	f.Limit, f.After = int(limit), r.URL.Query().Get("after")
	ms, err := s.Exhibits.FindMedia(r.Context(), r.PathValue("case"), f)
	respond(w, r, map[string]any{"media": ms}, err)
}

func (s *Server) handleMediaSummary(w http.ResponseWriter, r *http.Request) {
	sum, err := s.Exhibits.SummariseMedia(r.Context(), r.PathValue("case"))
	respond(w, r, sum, err)
}

// maxUpload is the largest file one upload takes; larger evidence is ingested from the
// device with caseroom ingest.
const maxUpload = 4 << 30

// handleUploadMedia ingests one file sent as the request body, named by ?path=, into
// the exhibit: the same operation as caseroom ingest, for uploads from the UI.
func (s *Server) handleUploadMedia(w http.ResponseWriter, r *http.Request) {
	if s.Blobs == nil {
		writeError(w, r, caseroom.Errorf(caseroom.ENOTIMPL, "This server has no blob store."))
		return
	}
	name := strings.TrimSpace(r.URL.Query().Get("path"))
	if name == "" || len(name) > 4096 || strings.ContainsRune(name, 0) {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "path: required: the file's name or path inside the exhibit, as a query parameter"))
		return
	}
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	size := r.ContentLength
	if size > maxUpload {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "The file is larger than %d bytes; ingest it with caseroom ingest.", int64(maxUpload)))
		return
	}
	// One upload to a path at a time: a second waits, then finds the first recorded
	// and is refused before its body is read. (Another process writing the same store
	// is caught by the run's Taken count below.)
	unlock := s.uploads.lock(r.PathValue("case") + "\x00" + r.PathValue("id") + "\x00" + name)
	defer unlock()
	// An upload is an examination of the exhibit: by its holder (?by=, the uploader
	// by default), refused before the body is read as a custody event would be.
	by := strings.TrimSpace(r.URL.Query().Get("by"))
	if by == "" {
		by = caseroom.UserFromContext(r.Context()).Name
	}
	if _, err := s.Exhibits.RecordMedia(r.Context(), r.PathValue("case"), r.PathValue("id"), nil); err != nil {
		writeError(w, r, err) // may not record media here: before anything is said of the chain
		return
	}
	x, err := s.Exhibits.FindExhibit(r.Context(), r.PathValue("case"), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := x.CustodyAllows(by); err != nil {
		writeError(w, r, err)
		return
	}
	recorded := func() ([]*caseroom.Media, error) {
		return s.Exhibits.FindMedia(r.Context(), r.PathValue("case"), caseroom.MediaFilter{ExhibitID: r.PathValue("id"), Path: "upload/" + name, Limit: 1})
	}
	// Cameras reuse names: a file at that path already is another file, named apart.
	if ms, err := recorded(); err != nil {
		writeError(w, r, err)
		return
	} else if len(ms) > 0 {
		writeError(w, r, caseroom.Errorf(caseroom.ECONFLICT, "path: a file is already recorded at upload/%s in this exhibit; give this one another name", name))
		return
	}
	body := http.MaxBytesReader(w, r.Body, maxUpload)
	sum, err := ingest.RunOne(r.Context(), s.Exhibits, s.Blobs, ingest.SourceFromReader("upload/"+name, size, body),
		ingest.Options{CaseID: r.PathValue("case"), Exhibit: r.PathValue("id"), By: by, Workers: 1, Probe: true})
	if err != nil {
		writeError(w, r, err)
		return
	}
	if sum.Errors > 0 {
		writeError(w, r, caseroom.Errorf(caseroom.EINVALID, "The upload could not be stored: %s.", sum.Failed[0].Error))
		return
	}
	if sum.Skipped > 0 || sum.Taken > 0 {
		// Its body was not read: a file is recorded at that path already. Cameras reuse
		// names; the uploader must name this one apart.
		writeError(w, r, caseroom.Errorf(caseroom.ECONFLICT, "path: a file is already recorded at upload/%s in this exhibit; give this one another name", name))
		return
	}
	// The record, with where else in this case its content was found. Not the run's
	// summary: whether the content was new to the store would tell the uploader that a
	// file is held in some other case.
	ms, err := recorded()
	if err == nil && len(ms) == 0 {
		err = fmt.Errorf("upload %s: recorded but not found", name)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ms[0])
}
