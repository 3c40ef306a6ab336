// Package ingest brings the files of a seized device into the case: it walks folders
// and the zip archives in them, reads each file once while computing its SHA-256, SHA-1
// and MD5 and writing it to the blob store, keeps one blob per content, and records
// every file as media of the exhibit. It is resumable: files already recorded are not
// read again, and a record is committed only after its blob is durable.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"caseroom"
	"caseroom/blob"
	"caseroom/mediainfo"
)

// Store is what ingest needs of the case's records; *sqlstore.DB has it.
type Store interface {
	FindExhibit(ctx context.Context, caseID, exhibit string) (*caseroom.Exhibit, error)
	IngestedPaths(ctx context.Context, caseID, exhibit string) (map[string]int64, error)
	HasContent(ctx context.Context, sha256 string) (bool, error)
	RecordMedia(ctx context.Context, caseID, exhibit string, files []caseroom.NewMedia) (int, error)
}

// Options say what to ingest and how.
type Options struct {
	CaseID  string
	Exhibit string // id or reference
	// Workers read and hash files in parallel; default the number of CPUs.
	Workers int
	// Batch is how many files are recorded per transaction; default 256.
	Batch int
	// Probe runs ffprobe on video and audio files for their duration and codec, and
	// hashes each new video content with vPDQ (ffmpeg, one frame a second). A file in
	// an archive or an upload is first copied back from the blob store to a
	// temporary file, as the tools need a file.
	Probe bool
	// By is who holds the exhibit, when a member ingests into it: the member by
	// default (see caseroom.NewMedia.By).
	By string
	// Progress, if set, is called about five times a second and once at the end.
	Progress func(Progress)
}

// Progress is how far a run has come.
type Progress struct {
	Files, TotalFiles int64
	Bytes, TotalBytes int64
	Elapsed           time.Duration
}

// Summary is what a run did.
type Summary struct {
	Files   int64 `json:"files"`   // files seen, including those recorded by an earlier run
	Bytes   int64 `json:"bytes"`   // bytes read
	New     int64 `json:"new"`     // contents stored for the first time
	Copies  int64 `json:"copies"`  // files whose content was already held
	Skipped int64 `json:"skipped"` // files an earlier run recorded, not read again
	// Taken are files read but not recorded because another run recorded a file at
	// the same path meanwhile (two uploads of one name at once): not this file.
	Taken  int64       `json:"taken"`
	Errors int64       `json:"errors"` // files that could not be read or stored
	Failed []FileError `json:"failed"`
	// Warnings are about files ingested all the same: a video ffprobe could not read.
	Warnings []FileError `json:"warnings"`
}

// FileError is a file that could not be ingested, and why.
type FileError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// probeTimeout bounds one ffprobe run.
const probeTimeout = 30 * time.Second

// run is one ingest.
type run struct {
	ctx    context.Context
	cancel context.CancelFunc // stops the run when its records cannot be kept
	store  Store
	blobs  blob.Store
	opts   Options

	files, bytes, newContents, copies, skipped, taken atomic.Int64

	mu       sync.Mutex
	failed   []FileError
	warnings []FileError
	claimed  map[string]*claim // contents stored (or being stored) in this run, by SHA-256
	bigImage chan struct{}     // held while a large image is hashed (see imageHash)
	video    chan struct{}     // a place for each video hashed at once (see videoHash)
}

// claim is a content first met in this run: done closes once its blob is committed (or
// failed, then err is set), so that copies are recorded only after it, with its type,
// metadata and perceptual hashes. A copy may be recorded before the content's first
// file (it reaches the recorder first, or in an earlier batch), and the content is
// recorded with whichever file is recorded first: each must carry all of it.
type claim struct {
	done  chan struct{}
	err   error
	mime  string
	meta  caseroom.MediaMeta
	image *caseroom.ImageHash
	video *caseroom.VideoHash
}

// describes sets what was learnt of the content from m, its first file.
func (c *claim) describes(m caseroom.NewMedia) {
	c.mime, c.meta, c.image, c.video = m.MIME, m.Meta, m.Image, m.Video
}

// describe sets the type and technical metadata of a new content from its first bytes,
// and from ffprobe for a video or audio file on disk. It reports whether ffprobe failed
// (the warning is given): a video ffprobe cannot read is not hashed either.
func (r *run) describe(ctx context.Context, m *caseroom.NewMedia, head []byte, local string) (probeFailed bool) {
	info := mediainfo.Inspect(head)
	if r.opts.Probe && local != "" && (strings.HasPrefix(info.MIME, "video/") || strings.HasPrefix(info.MIME, "audio/")) {
		ctx, cancel := context.WithTimeout(ctx, probeTimeout)
		probed, err := mediainfo.Probe(ctx, local, info)
		cancel()
		if err != nil {
			what := "no video metadata"
			if strings.HasPrefix(info.MIME, "video/") {
				what = "no video metadata or hash"
			}
			r.warn(m.Path, fmt.Errorf("%s: %w", what, err))
			probeFailed = true
		} else {
			info = probed
		}
	}
	m.MIME = info.MIME
	m.Meta = caseroom.MediaMeta{Width: info.Width, Height: info.Height, Camera: info.Camera, TakenAt: info.TakenAt,
		Orientation: info.Orientation, Duration: info.Duration, Codec: info.Codec, CreatedAt: info.CreatedAt}
	return probeFailed
}

// result is a file read and stored, to record.
type result struct {
	media   caseroom.NewMedia
	waitFor *claim // the content's first file, if this is a copy met in this run
}

// warn notes something about a file that was ingested all the same.
func (r *run) warn(path string, err error) {
	r.mu.Lock()
	r.warnings = append(r.warnings, FileError{Path: path, Error: err.Error()})
	r.mu.Unlock()
}

func (r *run) fail(path string, err error) {
	r.mu.Lock()
	r.failed = append(r.failed, FileError{Path: path, Error: err.Error()})
	r.mu.Unlock()
}

// Run ingests the files and folders at paths into the exhibit. Files that cannot be
// read are reported in the summary and do not stop the run; an error is returned only
// if the run as a whole cannot go on (the exhibit is unknown, the store fails).
func Run(ctx context.Context, store Store, blobs blob.Store, paths []string, opts Options) (*Summary, error) {
	if len(paths) == 0 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "Name at least one file or folder to ingest.")
	}
	seen := map[string]string{}
	for _, p := range paths {
		base := filepath.Base(filepath.Clean(p))
		if other, ok := seen[base]; ok {
			return nil, caseroom.Errorf(caseroom.EINVALID, "%s and %s have the same name, %s, and their files would be recorded under the same paths; ingest them in separate runs, or into separate exhibits", other, p, base)
		}
		seen[base] = p
	}
	w := &walker{roots: paths}
	defer w.Close() // once runSources returns: its workers read archive entries after the walk ends
	var totalFiles, totalBytes int64
	w.walk(false, func(s Source) error { totalFiles++; totalBytes += s.Size; return nil }, func(string, error) {})
	return runSources(ctx, store, blobs, opts, totalFiles, totalBytes, func(emit func(Source) error, fail func(string, error)) error {
		return w.walk(true, emit, fail)
	})
}

// RunOne ingests one file read from src (an upload), as Run does.
func RunOne(ctx context.Context, store Store, blobs blob.Store, src Source, opts Options) (*Summary, error) {
	return runSources(ctx, store, blobs, opts, 1, src.Size, func(emit func(Source) error, fail func(string, error)) error {
		return emit(src)
	})
}

func runSources(ctx context.Context, store Store, blobs blob.Store, opts Options, totalFiles, totalBytes int64,
	walk func(emit func(Source) error, fail func(string, error)) error) (*Summary, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Batch <= 0 {
		opts.Batch = 256
	}
	if _, err := store.FindExhibit(ctx, opts.CaseID, opts.Exhibit); err != nil {
		return nil, err
	}
	// Recording nothing checks that the actor may record media, before any blob is written.
	if _, err := store.RecordMedia(ctx, opts.CaseID, opts.Exhibit, nil); err != nil {
		return nil, err
	}
	done, err := store.IngestedPaths(ctx, opts.CaseID, opts.Exhibit)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &run{ctx: ctx, cancel: cancel, store: store, blobs: blobs, opts: opts, claimed: map[string]*claim{}, bigImage: make(chan struct{}, 1), video: make(chan struct{}, max(1, min(opts.Workers, runtime.NumCPU())))}
	start := time.Now()

	// Progress, five times a second.
	progressDone := make(chan struct{})
	report := func() {
		if opts.Progress != nil {
			opts.Progress(Progress{Files: r.files.Load(), TotalFiles: totalFiles, Bytes: r.bytes.Load(), TotalBytes: totalBytes, Elapsed: time.Since(start)})
		}
	}
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-progressDone:
				return
			case <-t.C:
				report()
			}
		}
	}()

	sources := make(chan Source, opts.Workers*2)
	results := make(chan result, opts.Batch)
	var workers sync.WaitGroup
	for range opts.Workers {
		workers.Go(func() {
			var buf []byte // this worker's buffer for files read whole
			for src := range sources {
				var res result
				var ok bool
				res, ok, buf = r.process(src, buf)
				if ok {
					select {
					case results <- res:
					case <-ctx.Done():
					}
				}
			}
		})
	}
	recorded := make(chan error, 1)
	go func() { recorded <- r.record(results) }()

	walkErr := walk(func(src Source) error {
		if size, ok := done[src.Path]; ok {
			r.files.Add(1)
			if src.Size >= 0 && size != src.Size {
				// Not the file an earlier run recorded here: another card's DCIM, say.
				r.fail(src.Path, fmt.Errorf("an earlier run recorded a file of %d bytes at this path; this one has %d: ingest it into another exhibit, or from a folder of another name", size, src.Size))
				return nil
			}
			r.skipped.Add(1)
			return nil
		}
		select {
		case sources <- src:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}, func(path string, err error) {
		var special notRegularError
		if errors.As(err, &special) {
			r.warn(path, err) // in the summary, not a failure: nothing there to read
			return
		}
		r.files.Add(1)
		r.fail(path, err)
	})
	close(sources)
	workers.Wait()
	close(results)
	recErr := <-recorded
	close(progressDone)
	report()

	if recErr != nil {
		return nil, recErr
	}
	if walkErr != nil {
		return nil, walkErr
	}
	sum := &Summary{Files: r.files.Load(), Bytes: r.bytes.Load(), New: r.newContents.Load(), Copies: r.copies.Load(),
		Skipped: r.skipped.Load(), Taken: r.taken.Load(), Failed: r.failed, Warnings: r.warnings}
	sum.Errors = int64(len(sum.Failed))
	if sum.Failed == nil {
		sum.Failed = []FileError{}
	}
	if sum.Warnings == nil {
		sum.Warnings = []FileError{}
	}
	return sum, nil
}

// record commits results in batches: the blob store is synced first, so that no record
// points at a blob that is not durable.
func (r *run) record(results <-chan result) error {
	var batch []result
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		for _, res := range batch {
			if res.waitFor != nil {
				<-res.waitFor.done
			}
		}
		files := make([]caseroom.NewMedia, 0, len(batch))
		for _, res := range batch {
			if res.waitFor != nil && res.waitFor.err != nil {
				r.fail(res.media.Path, fmt.Errorf("its content could not be stored: %w", res.waitFor.err))
				r.copies.Add(-1)
				continue
			}
			if c := res.waitFor; c != nil {
				res.media.MIME, res.media.Meta, res.media.Image, res.media.Video = c.mime, c.meta, c.image, c.video
			}
			files = append(files, res.media)
		}
		batch = batch[:0]
		if err := r.blobs.Sync(r.ctx); err != nil {
			return fmt.Errorf("make blobs durable: %w", err)
		}
		n, err := r.store.RecordMedia(r.ctx, r.opts.CaseID, r.opts.Exhibit, files)
		if err != nil {
			return fmt.Errorf("record media: %w", err)
		}
		// The paths of this run are distinct and were not recorded when it began: a
		// file left out was recorded at its path by another run since.
		r.taken.Add(int64(len(files) - n))
		return nil
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case res, ok := <-results:
			if !ok {
				return flush()
			}
			batch = append(batch, res)
			if len(batch) >= r.opts.Batch {
				if err := flush(); err != nil {
					return r.abort(err, results)
				}
			}
		case <-tick.C:
			if err := flush(); err != nil {
				return r.abort(err, results)
			}
		}
	}
}

// abort stops the run after a failure to record, and drains the results so that the
// workers end: nothing more is read or stored that could not be recorded.
func (r *run) abort(err error, results <-chan result) error {
	r.cancel()
	for range results {
	}
	return err
}

// maxPath is the longest path inside an exhibit that a media record holds.
const maxPath = 4096

// errTruncated is a source that ended before its end: a cut-off archive entry or upload.
var errTruncated = errors.New("the data ends before the file does (truncated)")

// truncationReader turns a source's own io.ErrUnexpectedEOF into errTruncated, so that
// io.ReadFull's io.ErrUnexpectedEOF (a short, complete file) keeps its meaning.
type truncationReader struct{ r io.Reader }

func (t truncationReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err == io.ErrUnexpectedEOF {
		err = errTruncated
	}
	return n, err
}

// wholeLimit is the size up to which a file is read into memory whole, hashed, and
// written to the blob store only if its content is new; a larger file is written while
// it is read, and its blob dropped if it turns out to be a copy.
const wholeLimit = 16 << 20

// process reads one file once: hashes it three ways and stores it if its content is
// new. buf is the worker's buffer, returned (perhaps grown) for the next file.
func (r *run) process(src Source, buf []byte) (result, bool, []byte) {
	r.files.Add(1)
	failed := func(err error) (result, bool, []byte) {
		r.fail(src.Path, err)
		return result{}, false, buf
	}
	if len(src.Path) > maxPath {
		return failed(fmt.Errorf("its path is %d bytes long, more than the %d a record holds", len(src.Path), maxPath))
	}
	rc, err := src.Open()
	if err != nil {
		return failed(fmt.Errorf("cannot open: %w", err))
	}
	defer rc.Close()
	in := truncationReader{rc}
	var d digests
	var w blob.Writer // set once the content is being written
	defer func() {
		if w != nil {
			w.Abort() // a no-op once committed
		}
	}()
	var n int64
	if src.Size >= 0 && src.Size <= wholeLimit {
		// Read whole (one byte more, to see a file that grew), then hash.
		if int64(cap(buf)) < src.Size+1 {
			buf = make([]byte, src.Size+1, max(src.Size+1, 1<<20))
		}
		k, err := io.ReadFull(in, buf[:src.Size+1])
		switch {
		case err == io.ErrUnexpectedEOF || err == io.EOF:
		case err != nil:
			return failed(fmt.Errorf("read failed after %d bytes: %w", k, err))
		default:
			return failed(fmt.Errorf("the file grew while it was read: more than %d bytes", src.Size))
		}
		r.bytes.Add(int64(k))
		n = int64(k)
		d.sumWhole(buf[:k])
	} else {
		var err error
		if w, err = r.blobs.Create(r.ctx); err != nil {
			return failed(fmt.Errorf("cannot store: %w", err))
		}
		if n, err = d.stream(r.ctx, in, w, &r.bytes); err != nil {
			return failed(err)
		}
	}
	if err := r.ctx.Err(); err != nil {
		return failed(err)
	}
	if src.Size >= 0 && n != src.Size {
		return failed(fmt.Errorf("the file changed or was cut short while it was read: %d bytes read, %d expected", n, src.Size))
	}
	head := d.head
	if w == nil {
		head = buf[:min(n, mediainfo.HeadSize)]
	}
	m := caseroom.NewMedia{Path: src.Path, By: r.opts.By, ModTime: src.ModTime, Size: n, SHA256: d.sha256, SHA1: d.sha1, MD5: d.md5}

	// The first file of a content in this run stores it; the others are copies.
	r.mu.Lock()
	c, seen := r.claimed[m.SHA256]
	if !seen {
		c = &claim{done: make(chan struct{})}
		r.claimed[m.SHA256] = c
	}
	r.mu.Unlock()
	if seen {
		r.copies.Add(1)
		return result{media: m, waitFor: c}, true, buf
	}
	defer close(c.done)
	held, err := r.store.HasContent(r.ctx, m.SHA256)
	if err != nil {
		c.err = err
		return failed(err)
	}
	if held {
		r.copies.Add(1)
		return result{media: m}, true, buf
	}
	// A new content: what it is is looked at once, here (copies share it).
	probeFailed := r.describe(r.ctx, &m, head, src.Local)
	defer func() { c.describes(m) }() // before done closes (deferred earlier, so run later)
	if strings.HasPrefix(m.MIME, "image/") {
		var data []byte
		if w == nil {
			data = buf[:n]
		}
		m.Image = r.imageHash(src, m, data)
	}
	if w == nil { // read whole: write it now
		if w, err = r.blobs.Create(r.ctx); err == nil {
			_, err = w.Write(buf[:n])
		}
		if err != nil {
			c.err = err
			return failed(fmt.Errorf("cannot store: %w", err))
		}
	}
	if err := w.Commit(m.SHA256); err != nil {
		c.err = err
		return failed(fmt.Errorf("cannot store: %w", err))
	}
	if r.opts.Probe && strings.HasPrefix(m.MIME, "video/") && !probeFailed {
		local := src.Local
		if local == "" {
			// In an archive or an upload: the tools read a copy of the stored content.
			tmp, remove, err := r.spool(m.SHA256)
			if err != nil {
				r.warn(m.Path, fmt.Errorf("no video metadata or hash: cannot copy the video to a temporary file: %w", err))
			} else {
				defer remove()
				local = tmp
				probeFailed = r.describe(r.ctx, &m, head, local)
			}
		}
		if local != "" && !probeFailed {
			m.Video = r.videoHash(m.Path, local, m.Meta.Duration)
		}
	}
	r.newContents.Add(1)
	return result{media: m}, true, buf
}
