package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"caseroom"
)

var _ caseroom.CommService = (*DB)(nil)

const prefixCommImport, prefixCommBatch = "cmi", "cmb"

// commBatch is how many rows one transaction of an import writes, under one audit
// entry. Each row is its own INSERT: a statement that inserts many rows makes SQLite
// keep a statement journal of every page it touches, which costs more than the
// statements saved.
var commBatch = 20000

// maxCommText bounds a cell id or IMEI.
const maxCommText = 100

// commColumns are the columns of a communications row, in insert order.
var commColumns = []string{"id", "case_id", "import_id", "line", "from_id", "to_id", "directed", "kind", "at", "duration", "cell_id", "imei", "entry"}

// ImportCommunications records the rows of an exhibit's file. See caseroom.CommService.
//
// The import runs in three steps. First every row is read and checked (its endpoints
// normalised, its kind and time valid), and nothing is written if one fails. Then the
// import is recorded (comms.import), or found if this file was imported into this
// exhibit before. Then the rows are written in batches of commBatch, each one
// transaction under one audit entry (comms.rows) holding its communications and the
// endpoints they first name; rows an earlier run of the same file wrote are skipped,
// so an interrupted import resumes where it stopped. A last entry
// (comms.import.done) marks the import complete.
func (db *DB) ImportCommunications(ctx context.Context, caseID string, ni caseroom.NewCommImport) (*caseroom.CommImport, error) {
	switch {
	case ni.Format != "cdr" && ni.Format != "chat":
		return nil, caseroom.Errorf(caseroom.EINVALID, "format: %q is neither cdr (call-detail records) nor chat (a chat service's contacts and messages)", ni.Format)
	case !lowerHex(ni.SHA256, 64):
		return nil, caseroom.Errorf(caseroom.EINVALID, "sha256: 64 lower-case hex characters, the digest of the file")
	case ni.Rows == nil:
		return nil, caseroom.Errorf(caseroom.EINVALID, "rows: required")
	case strings.TrimSpace(ni.Exhibit) == "":
		return nil, caseroom.Errorf(caseroom.EINVALID, "exhibit: required; the exhibit the file comes from")
	case len(ni.Name) > 1000 || !utf8.ValidString(ni.Name):
		return nil, caseroom.Errorf(caseroom.EINVALID, "name: at most 1000 bytes of text")
	}
	q := db.reader()
	z, err := db.caseZone(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	region, loc := z.region, z.loc
	// Read before any write: who may import, and into which exhibit.
	var exhibitID, exhibitRef string
	err = db.write(ctx, func(tx *Tx) error {
		if _, err := tx.exhibitRole(caseID); err != nil {
			return err
		}
		return tx.QueryRowContext(tx.ctx, `SELECT id, ref FROM exhibits WHERE case_id = ? AND (id = ? OR ref = ?)`, caseID, ni.Exhibit, ni.Exhibit).Scan(&exhibitID, &exhibitRef)
	})
	if isNoRows(err) {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no exhibit %q in this case.", ni.Exhibit)
	} else if err != nil {
		return nil, err
	}

	norm := newEndpointNormaliser(region)
	now := db.Now()
	var rows, lastLine int64
	err = ni.Rows(loc, func(r caseroom.CommRow) error {
		if _, _, err := norm.pair(r); err != nil {
			return err
		}
		if err := checkCommRow(r, lastLine, now); err != nil {
			return err
		}
		rows++
		lastLine = r.Line
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rows == 0 {
		return nil, caseroom.Errorf(caseroom.EINVALID, "The file holds no communications.")
	}

	imp, done, err := db.startCommImport(ctx, caseID, exhibitID, exhibitRef, ni, rows)
	if err != nil || done {
		return imp, err
	}
	w := &commWriter{db: db, caseID: caseID, imp: imp, norm: norm, ids: map[endpointKey]string{}, progress: ni.Progress}
	if err := w.loadEndpoints(ctx); err != nil {
		return nil, err
	}
	if err := w.writeAll(ctx, loc, ni.Rows); err != nil {
		return nil, err
	}
	err = db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM comm_import_done WHERE import_id = ?`, imp.ID).Scan(&n); err != nil || n > 0 {
			return err
		}
		var written int64
		if err := tx.QueryRowContext(tx.ctx, `SELECT COALESCE(SUM(rows), 0) FROM comm_import_batches WHERE import_id = ?`, imp.ID).Scan(&written); err != nil {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO comm_import_done (import_id, case_id, written, done_at, entry) VALUES (?, ?, ?, ?, ?)`,
			imp.ID, caseID, written, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("complete import: %w", err)
		}
		return tx.appendAudit(seq, "comms.import.done", "comm_import", imp.ID, caseID)
	})
	if err != nil {
		return nil, err
	}
	imp.Complete = true
	return imp, nil
}

// checkCommRow checks what normalising the endpoints does not: lines in order, a
// kind, a time that is neither before caseroom.EarliestTime nor in the future, a
// duration that is not negative, short cell ids and IMEIs.
func checkCommRow(r caseroom.CommRow, lastLine int64, now time.Time) error {
	field := func(name string) string { return fmt.Sprintf("line %d: %s", r.Line, name) }
	switch {
	case r.Line <= lastLine:
		return caseroom.Errorf(caseroom.EINVALID, "line %d: rows out of order (after line %d)", r.Line, lastLine)
	case !validCommKind(r.Kind):
		return caseroom.Errorf(caseroom.EINVALID, "%s: %q is not a kind of communication; use one of %s", field("kind"), r.Kind, joinList(caseroom.CommKinds))
	case r.At.IsZero():
		return caseroom.Errorf(caseroom.EINVALID, "%s: required", field("time"))
	case r.Duration < 0 || r.Duration > 366*24*3600:
		return caseroom.Errorf(caseroom.EINVALID, "%s: %d seconds is not a duration", field("duration"), r.Duration)
	case len(r.CellID) > maxCommText || len(r.IMEI) > maxCommText || !utf8.ValidString(r.CellID) || !utf8.ValidString(r.IMEI):
		return caseroom.Errorf(caseroom.EINVALID, "%s: cell id and IMEI at most %d bytes of text each", field("cell"), maxCommText)
	}
	return notInFuture(field("time"), r.At, now)
}

func validCommKind(k caseroom.CommKind) bool {
	for _, x := range caseroom.CommKinds {
		if x == k {
			return true
		}
	}
	return false
}

// endpointNormaliser normalises the endpoints of rows, remembering what it has
// normalised: a file of calls names few numbers many times, and parsing a phone number
// costs microseconds.
type endpointNormaliser struct {
	region string
	seen   map[caseroom.RawEndpoint]normalEndpoint
}

func newEndpointNormaliser(region string) *endpointNormaliser {
	return &endpointNormaliser{region: region, seen: map[caseroom.RawEndpoint]normalEndpoint{}}
}

func (n *endpointNormaliser) one(raw caseroom.RawEndpoint, field string) (normalEndpoint, error) {
	raw.Name = "" // a display name does not make another endpoint
	if e, ok := n.seen[raw]; ok {
		return e, nil
	}
	e, err := normaliseEndpoint(raw, n.region, field)
	if err != nil {
		return e, err
	}
	if len(n.seen) > 1<<18 {
		clear(n.seen) // bound the memory of a file of very many numbers
	}
	n.seen[raw] = e
	return e, nil
}

// pair normalises a row's two endpoints.
func (n *endpointNormaliser) pair(r caseroom.CommRow) (normalEndpoint, normalEndpoint, error) {
	from, err := n.one(r.From, fmt.Sprintf("line %d: from", r.Line))
	if err != nil {
		return from, from, err
	}
	to, err := n.one(r.To, fmt.Sprintf("line %d: to", r.Line))
	if err != nil {
		return from, to, err
	}
	if from.endpointKey == to.endpointKey {
		return from, to, caseroom.Errorf(caseroom.EINVALID, "line %d: both ends are %s", r.Line, from.value)
	}
	return from, to, nil
}

// startCommImport records the import of a file into an exhibit, or finds the earlier
// one of the same file. done is set, with the import's figures, when that earlier
// import is complete: there is nothing to write.
func (db *DB) startCommImport(ctx context.Context, caseID, exhibitID, exhibitRef string, ni caseroom.NewCommImport, rows int64) (*caseroom.CommImport, bool, error) {
	imp := &caseroom.CommImport{CaseID: caseID, Exhibit: exhibitID, ExhibitRef: exhibitRef, Format: ni.Format, SHA256: ni.SHA256, Name: ni.Name, Rows: rows}
	done := false
	err := db.write(ctx, func(tx *Tx) error {
		var at string
		var complete int
		err := tx.QueryRowContext(tx.ctx, `SELECT i.id, i.format, i.rows, i.imported_by, i.imported_at, (SELECT COUNT(*) FROM comm_import_done d WHERE d.import_id = i.id)
			FROM comm_imports i WHERE i.case_id = ? AND i.exhibit_id = ? AND i.sha256 = ?`, caseID, exhibitID, ni.SHA256).
			Scan(&imp.ID, &imp.Format, &imp.Rows, &imp.ImportedBy, &at, &complete)
		if err == nil {
			if imp.ImportedAt, err = parseTime(at); err != nil {
				return err
			}
			if complete > 0 {
				done, imp.Complete, imp.Skipped = true, true, rows
			} else {
				imp.Resumed = true
			}
			return nil
		} else if !isNoRows(err) {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		imp.ID, imp.ImportedBy, imp.ImportedAt = newID(prefixCommImport), tx.actor.Name, tx.now
		if err := tx.exec(`INSERT INTO comm_imports (id, case_id, exhibit_id, format, sha256, name, rows, imported_by, imported_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			imp.ID, caseID, exhibitID, ni.Format, ni.SHA256, ni.Name, rows, imp.ImportedBy, formatTime(tx.now), seq); err != nil {
			return fmt.Errorf("insert import: %w", err)
		}
		return tx.appendAudit(seq, "comms.import", "comm_import", imp.ID, caseID)
	})
	if err != nil {
		return nil, false, err
	}
	return imp, done, nil
}

// commWriter writes an import's rows in batches.
type commWriter struct {
	db       *DB
	caseID   string
	imp      *caseroom.CommImport
	norm     *endpointNormaliser
	ids      map[endpointKey]string // the case's endpoints, by key
	written  int64                  // rows of this file in the store, this run's and earlier runs'
	progress func(written, total int64)
}

// loadEndpoints reads the case's endpoints, to reuse them.
func (w *commWriter) loadEndpoints(ctx context.Context) error {
	return scanEach(ctx, w.db.reader(), `SELECT id, kind, service, value FROM endpoints WHERE case_id = ?`, []any{w.caseID},
		func(scan func(...any) error) error {
			var id string
			var k endpointKey
			if err := scan(&id, &k.kind, &k.service, &k.value); err != nil {
				return err
			}
			w.ids[k] = id
			return nil
		})
}

// commPairTotal adds up a batch's communications from one endpoint to another.
type commPairTotal struct {
	contacts, directed, duration int64
	first, last                  string
}

// errImportStopped tells the reader of a file to stop: a batch could not be written.
var errImportStopped = errors.New("import stopped")

// writeAll reads the file once more and writes its rows in batches. The file is read
// (and parsed) in a goroutine of its own, a batch ahead of the writes, so that reading
// one batch overlaps writing the one before. The first error of either stops both.
func (w *commWriter) writeAll(ctx context.Context, loc *time.Location, rows func(*time.Location, func(caseroom.CommRow) error) error) error {
	batches := make(chan []caseroom.CommRow, 1)
	stop := make(chan struct{})
	read := make(chan error, 1)
	go func() {
		defer close(batches)
		var b []caseroom.CommRow
		send := func() error {
			select {
			case batches <- b:
				b = nil
				return nil
			case <-stop:
				return errImportStopped
			}
		}
		err := rows(loc, func(r caseroom.CommRow) error {
			if b = append(b, r); len(b) >= commBatch {
				return send()
			}
			return nil
		})
		if err == nil && len(b) > 0 {
			err = send()
		}
		read <- err
	}()
	for b := range batches {
		if err := w.flush(ctx, b); err != nil {
			close(stop)
			for range batches { // let the reader finish
			}
			<-read
			return err
		}
	}
	return <-read
}

// flush writes a batch in one transaction: rows an earlier run wrote are skipped.
func (w *commWriter) flush(ctx context.Context, batch []caseroom.CommRow) error {
	if len(batch) == 0 {
		return nil
	}
	var created map[endpointKey]string
	var added, skipped int64
	err := w.db.writeAlone(ctx, func(tx *Tx) error {
		created, added, skipped = map[endpointKey]string{}, 0, 0
		var maxLine int64
		if err := tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(last_line), 0) FROM comm_import_batches WHERE import_id = ?`, w.imp.ID).Scan(&maxLine); err != nil {
			return err
		}
		if batch[len(batch)-1].Line <= maxLine {
			skipped = int64(len(batch))
			return nil
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		now := formatTime(tx.now)
		state := map[string][]map[string]any{}
		endpointOf := func(n normalEndpoint) (string, error) {
			if id, ok := w.ids[n.endpointKey]; ok {
				return id, nil
			}
			if id, ok := created[n.endpointKey]; ok {
				return id, nil
			}
			id := newID(prefixEndpoint)
			row := endpointRow(id, w.caseID, n, endpointToken(tx.db.v(), n.endpointKey), tx.actor.Name, now, seq)
			if err := tx.insertEndpoint(row); err != nil {
				return "", err
			}
			state["endpoints"] = append(state["endpoints"], row)
			created[n.endpointKey] = id
			return id, nil
		}
		pairs := map[[2]string]*commPairTotal{}
		insert := `INSERT INTO communications (` + strings.Join(commColumns, ", ") + `) VALUES (` + placeholders(len(commColumns)) + `)`
		values := make([]any, len(commColumns))
		for _, r := range batch {
			if r.Line <= maxLine {
				skipped++
				continue
			}
			fromN, toN, err := w.norm.pair(r)
			if err != nil {
				return err
			}
			from, err := endpointOf(fromN)
			if err != nil {
				return err
			}
			to, err := endpointOf(toN)
			if err != nil {
				return err
			}
			at := formatTime(r.At)
			row := map[string]any{"id": fmt.Sprintf("%s.%010d", w.imp.ID, r.Line), "case_id": w.caseID, "import_id": w.imp.ID, "line": r.Line,
				"from_id": from, "to_id": to, "directed": boolInt(r.Directed), "kind": string(r.Kind), "at": at, "duration": r.Duration,
				"cell_id": r.CellID, "imei": r.IMEI, "entry": seq}
			state["communications"] = append(state["communications"], row)
			for i, c := range commColumns {
				values[i] = row[c]
			}
			if err := tx.exec(insert, values...); err != nil {
				return fmt.Errorf("insert communication: %w", err)
			}
			p := pairs[[2]string{from, to}]
			if p == nil {
				p = &commPairTotal{first: at, last: at}
				pairs[[2]string{from, to}] = p
			}
			p.contacts++
			p.directed += boolInt(r.Directed)
			p.duration += r.Duration
			p.first, p.last = min(p.first, at), max(p.last, at)
			added++
		}
		for k, p := range pairs {
			if err := tx.exec(`INSERT INTO comm_pairs (case_id, from_id, to_id, contacts, directed, duration, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (case_id, from_id, to_id) DO UPDATE SET contacts = comm_pairs.contacts + excluded.contacts,
				directed = comm_pairs.directed + excluded.directed, duration = comm_pairs.duration + excluded.duration,
				first_at = CASE WHEN excluded.first_at < comm_pairs.first_at THEN excluded.first_at ELSE comm_pairs.first_at END,
				last_at = CASE WHEN excluded.last_at > comm_pairs.last_at THEN excluded.last_at ELSE comm_pairs.last_at END`,
				w.caseID, k[0], k[1], p.contacts, p.directed, p.duration, p.first, p.last); err != nil {
				return fmt.Errorf("pair totals: %w", err)
			}
		}
		var last int64
		for _, r := range batch {
			last = max(last, r.Line)
		}
		batchRow := map[string]any{"id": newID(prefixCommBatch), "import_id": w.imp.ID, "last_line": last, "rows": added, "entry": seq}
		if err := tx.exec(`INSERT INTO comm_import_batches (id, import_id, last_line, rows, entry) VALUES (?, ?, ?, ?, ?)`,
			batchRow["id"], batchRow["import_id"], batchRow["last_line"], batchRow["rows"], batchRow["entry"]); err != nil {
			return fmt.Errorf("record batch: %w", err)
		}
		state["comm_import_batches"] = []map[string]any{batchRow}
		return tx.appendAuditState(seq, "comms.rows", "comm_import", w.imp.ID, w.caseID, state)
	})
	if err != nil {
		return err
	}
	for k, id := range created {
		w.ids[k] = id
	}
	w.imp.Added += added
	w.imp.Skipped += skipped
	w.imp.Endpoints += int64(len(created))
	w.written += added + skipped
	if w.progress != nil {
		w.progress(w.written, w.imp.Rows)
	}
	return nil
}
