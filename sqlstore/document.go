package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"caseroom"
	"caseroom/vault"
)

var _ caseroom.DocumentService = (*DB)(nil)

var languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`) // BCP 47, simplified

// statementMethods lists how a statement may have been taken.
var statementMethods = []string{"written", "dictated", "audio", "video"}

// MaxDocumentText is the largest document text accepted, in bytes.
const MaxDocumentText = 4 << 20

// RegisterDocument numbers and stores a document. See caseroom.DocumentService.
func (db *DB) RegisterDocument(ctx context.Context, caseID string, nd caseroom.NewDocument) (*caseroom.Document, error) {
	prefix := nd.Kind.RefPrefix()
	if prefix == "" {
		kinds := make([]string, len(caseroom.DocumentKinds))
		for i, k := range caseroom.DocumentKinds {
			kinds[i] = string(k)
		}
		return nil, caseroom.Errorf(caseroom.EINVALID, "kind: %q is not a document kind; use one of %s", nd.Kind, strings.Join(kinds, ", "))
	}
	if err := validateNewDocument(&nd, db.Now()); err != nil {
		return nil, err
	}
	var num int64
	if nd.Ref != "" {
		p, n, ok := strings.Cut(nd.Ref, "-")
		v, err := strconv.ParseInt(n, 10, 64)
		if !ok || p != prefix || err != nil || v < 1 || n[0] == '0' {
			return nil, caseroom.Errorf(caseroom.EINVALID, "ref: %q is not a %s reference; write %s-<number>, such as %s-12", nd.Ref, nd.Kind, prefix, prefix)
		}
		num = v
	}
	id := newID(prefixDocument)
	var out *caseroom.Document
	err := db.write(ctx, func(tx *Tx) error {
		if err := tx.mayRegister(caseID, &nd); err != nil {
			return err
		}
		if num == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(num), 0) + 1 FROM documents WHERE case_id = ? AND kind = ?`, caseID, string(nd.Kind)).Scan(&num); err != nil {
				return fmt.Errorf("number document: %w", err)
			}
		} else {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents WHERE case_id = ? AND ref = ?`, caseID, nd.Ref).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return caseroom.Errorf(caseroom.ECONFLICT, "ref: %s is already registered in this case; documents are never replaced (register a correction with \"corrects\")", nd.Ref)
			}
		}
		ref := fmt.Sprintf("%s-%d", prefix, num)
		corrects, err := tx.optionalDocument(caseID, nd.Corrects, "corrects")
		if err != nil {
			return err
		}
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(nd.Text))
		if err := tx.exec(`INSERT INTO documents (id, case_id, kind, num, ref, title, body, body_sha256, external_ref, corrects_id, correction_reason, registered_by, registered_at, entry)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, caseID, string(nd.Kind), num, ref, nd.Title, nd.Text, hex.EncodeToString(sum[:]), nd.ExternalRef, corrects, nd.CorrectionReason,
			tx.actor.Name, formatTime(tx.now), seq); err != nil {
			if db.dialect.isUniqueViolation(err) {
				return caseroom.Errorf(caseroom.ECONFLICT, "ref: %s is already registered in this case", ref)
			}
			return fmt.Errorf("insert document: %w", err)
		}
		if statementField(&nd) != "" {
			if err := tx.insertStatement(caseID, id, &nd, seq); err != nil {
				return err
			}
		}
		if err := tx.insertImplications(caseID, id, &nd, seq); err != nil {
			return err
		}
		var review *retractionReview
		if nd.Retracts != "" {
			if review, err = tx.insertRetraction(caseID, id, ref, &nd, seq); err != nil {
				return err
			}
		}
		if err := tx.appendAudit(seq, "document.register", "document", id, caseID); err != nil {
			return err
		}
		if review != nil {
			if err := review.audit(tx, caseID); err != nil {
				return err
			}
		}
		docs, err := loadDocuments(ctx, tx, db.v(), caseID, `d.id = ?`, []any{id})
		if err != nil {
			return err
		}
		out = docs[0]
		return tx.queueForSearch(caseID, id, string(out.Kind))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// statementField returns the JSON name of the first field given that records how a
// statement was taken, or "" if there is none.
func statementField(nd *caseroom.NewDocument) string {
	switch {
	case nd.Giver != "":
		return "giver"
	case nd.RecordedBy != "":
		return "recordedBy"
	case nd.RecordedAt != nil:
		return "recordedAt"
	case nd.Place != "":
		return "place"
	case nd.Language != "":
		return "language"
	case nd.Interpreter != "":
		return "interpreter"
	case nd.Method != "":
		return "method"
	case len(nd.Present) > 0:
		return "present"
	case len(nd.Implicates) > 0:
		return "implicates"
	case nd.Retracts != "":
		return "retracts"
	}
	return ""
}

func validateNewDocument(nd *caseroom.NewDocument, now time.Time) error {
	nd.Title = strings.TrimSpace(nd.Title)
	if nd.Title == "" {
		return caseroom.Errorf(caseroom.EINVALID, "title: required")
	}
	if len(nd.Title) > 300 {
		return caseroom.Errorf(caseroom.EINVALID, "title: at most 300 bytes")
	}
	if strings.TrimSpace(nd.Text) == "" {
		return caseroom.Errorf(caseroom.EINVALID, "text: required; a document is registered with its text")
	}
	if len(nd.Text) > MaxDocumentText {
		return caseroom.Errorf(caseroom.EINVALID, "text: at most %d bytes", MaxDocumentText)
	}
	if len(nd.ExternalRef) > 100 {
		return caseroom.Errorf(caseroom.EINVALID, "externalRef: at most 100 bytes")
	}
	nd.Corrects, nd.CorrectionReason = strings.TrimSpace(nd.Corrects), strings.TrimSpace(nd.CorrectionReason)
	if nd.Corrects != "" && nd.CorrectionReason == "" {
		return caseroom.Errorf(caseroom.EINVALID, "correctionReason: required when a document corrects another; say what was wrong")
	}
	if nd.Corrects == "" && nd.CorrectionReason != "" {
		return caseroom.Errorf(caseroom.EINVALID, "corrects: required with correctionReason; name the document corrected")
	}
	stmt := nd.Kind == caseroom.DocStatement || nd.Kind == caseroom.DocComplaint
	if field := statementField(nd); !stmt && field != "" {
		return caseroom.Errorf(caseroom.EINVALID, "%s: only statements and complaints record who gave them, when and where; a %s does not", field, nd.Kind)
	}
	if nd.Kind == caseroom.DocStatement {
		if strings.TrimSpace(nd.Giver) == "" {
			return caseroom.Errorf(caseroom.EINVALID, "giver: required for a statement; the person who gave it, by id or pseudonym")
		}
		if nd.RecordedAt == nil {
			return caseroom.Errorf(caseroom.EINVALID, "recordedAt: required for a statement; when it was recorded, RFC 3339")
		}
	}
	if err := validateImplicationAndRetraction(nd); err != nil {
		return err
	}
	if nd.RecordedAt != nil {
		if err := notInFuture("recordedAt", *nd.RecordedAt, now); err != nil {
			return err
		}
	}
	if nd.Language != "" && !languagePattern.MatchString(nd.Language) {
		return caseroom.Errorf(caseroom.EINVALID, "language: %q is not a language tag such as ur, pa or en", nd.Language)
	}
	if nd.Method != "" && !contains(statementMethods, nd.Method) {
		return caseroom.Errorf(caseroom.EINVALID, "method: %q is not one of %s", nd.Method, strings.Join(statementMethods, ", "))
	}
	if len(nd.Place) > 300 {
		return caseroom.Errorf(caseroom.EINVALID, "place: at most 300 bytes")
	}
	for i, p := range nd.Present {
		if strings.TrimSpace(p.Person) == "" {
			return caseroom.Errorf(caseroom.EINVALID, "present[%d].person: required", i)
		}
		if len(p.Capacity) > 60 {
			return caseroom.Errorf(caseroom.EINVALID, "present[%d].capacity: at most 60 bytes", i)
		}
	}
	return nil
}

// insertStatement records how a statement or complaint was taken.
func (tx *Tx) insertStatement(caseID, docID string, nd *caseroom.NewDocument, seq int64) error {
	var giver, interpreter any
	if nd.Giver != "" {
		id, err := tx.personField(caseID, nd.Giver, "giver")
		if err != nil {
			return err
		}
		giver = id
	}
	if nd.Interpreter != "" {
		id, err := tx.personField(caseID, nd.Interpreter, "interpreter")
		if err != nil {
			return err
		}
		interpreter = id
	}
	recordedBy := strings.TrimSpace(nd.RecordedBy)
	if recordedBy == "" {
		recordedBy = tx.actor.Name
	} else {
		if _, _, err := tx.memberNamed(caseID, recordedBy, "recordedBy", "name the recording officer by user name"); err != nil {
			return err
		}
	}
	recordedAt := tx.now
	if nd.RecordedAt != nil {
		recordedAt = *nd.RecordedAt
	}
	if err := tx.exec(`INSERT INTO statements (document_id, case_id, giver_id, recorded_by, recorded_at, place, language, interpreter_id, method, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		docID, caseID, giver, recordedBy, formatTime(recordedAt), strings.TrimSpace(nd.Place), nd.Language, interpreter, nd.Method, seq); err != nil {
		return fmt.Errorf("insert statement: %w", err)
	}
	for i, p := range nd.Present {
		pid, err := tx.personField(caseID, p.Person, fmt.Sprintf("present[%d].person", i))
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO statement_presence (id, document_id, case_id, pos, person_id, capacity, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			newID(prefixPresence), docID, caseID, i, pid, strings.TrimSpace(p.Capacity), seq); err != nil {
			return fmt.Errorf("insert presence: %w", err)
		}
	}
	return nil
}

// optionalDocument resolves a document named in a field, or returns nil for "". A
// document of kind medical-report the actor may not read is refused in the words used
// for a document that does not exist (see readableDocument).
func (tx *Tx) optionalDocument(caseID, ref, field string) (any, error) {
	if ref == "" {
		return nil, nil
	}
	id, err := tx.readableDocument(caseID, ref)
	if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
		return nil, caseroom.Errorf(caseroom.EINVALID, "%s: %s", field, caseroom.ErrorMessage(err))
	} else if err != nil {
		return nil, err
	}
	return id, nil
}

// readableDocument resolves a document (id or reference) that the actor names in a
// write: ENOTFOUND if the case has none, or if it is of kind medical-report and the
// actor's role does not read medical reports, so that citing one tells nothing of it.
// (A document of another kind that became a medical report by resulting a medical
// examination may still be named, as before: the officer who resulted the examination
// with it results it again after a referral back.)
func (tx *Tx) readableDocument(caseID, ref string) (string, error) {
	id, err := resolveDocument(tx.ctx, tx, caseID, ref)
	if err != nil {
		return "", err
	}
	var kind string
	if err := tx.QueryRowContext(tx.ctx, `SELECT kind FROM documents WHERE id = ?`, id).Scan(&kind); err != nil {
		return "", fmt.Errorf("read document kind: %w", err)
	}
	if kind != string(caseroom.DocMedicalReport) {
		return id, nil
	}
	role, err := memberRole(tx.ctx, tx, caseID, tx.actor)
	if err != nil {
		return "", err
	}
	if !role.ReadsMedicalReports() {
		return "", caseroom.Errorf(caseroom.ENOTFOUND, "There is no document %s in this case.", ref)
	}
	return id, nil
}

// medicalReportIDs returns the ids of the case's medical reports (of one document
// only, if only is not ""). A medical report is a document of kind medical-report,
// restricted from the moment it is registered, or any other document that some
// resulted event of a medical-examination action names, even if the action was later
// referred back: what was a medical report stays one. Medical reports are read only by
// the roles that caseroom.Role.ReadsMedicalReports names.
func medicalReportIDs(ctx context.Context, q querier, caseID, only string) (map[string]bool, error) {
	ids := map[string]bool{}
	docFilter, eventFilter, args := ``, ``, []any{}
	if only != "" {
		docFilter, eventFilter, args = ` AND id = ?`, ` AND e.document_id = ?`, []any{only}
	}
	err := scanEach(ctx, q, `SELECT id FROM documents WHERE case_id = ? AND kind = ?`+docFilter+`
		UNION SELECT e.document_id FROM action_events e JOIN actions a ON a.id = e.action_id
		WHERE e.case_id = ? AND e.event = ? AND a.kind = ? AND e.document_id IS NOT NULL`+eventFilter,
		append(append([]any{caseID, string(caseroom.DocMedicalReport)}, args...),
			append([]any{caseID, string(caseroom.ActionEventResulted), string(caseroom.ActionMedicalExamination)}, args...)...),
		func(scan func(...any) error) error {
			var id string
			if err := scan(&id); err != nil {
				return err
			}
			ids[id] = true
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("medical reports: %w", err)
	}
	return ids, nil
}

// hideRestricted takes out of docs the medical reports, unless the member reads them.
func (s *scope) hideRestricted(ctx context.Context, q querier, caseID string, docs []*caseroom.Document) ([]*caseroom.Document, error) {
	if s.role.ReadsMedicalReports() || len(docs) == 0 {
		return docs, nil
	}
	only := ""
	if len(docs) == 1 {
		only = docs[0].ID
	}
	hidden, err := medicalReportIDs(ctx, q, caseID, only)
	if err != nil {
		return nil, err
	}
	out := docs[:0]
	for _, d := range docs {
		if !hidden[d.ID] {
			out = append(out, d)
		}
	}
	return out, nil
}

// FindDocuments lists a case's documents. See caseroom.DocumentService.
func (db *DB) FindDocuments(ctx context.Context, caseID string, f caseroom.DocumentFilter) ([]*caseroom.Document, error) {
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, err
	}
	filter, args := `1 = 1`, []any{}
	if f.Kind != "" {
		filter, args = `d.kind = ?`, []any{string(f.Kind)}
	}
	docs, err := loadDocuments(ctx, db.reader(), db.v(), caseID, filter, args)
	if err != nil {
		return nil, err
	}
	var all []*caseroom.Document
	if f.Kind == "" {
		all = docs // every document is loaded already
	}
	if docs, err = sc.trimDocuments(ctx, db.reader(), db.v(), caseID, docs, all); err != nil {
		return nil, err
	}
	return sc.hideRestricted(ctx, db.reader(), caseID, docs)
}

// FindDocument returns one document. See caseroom.DocumentService.
func (db *DB) FindDocument(ctx context.Context, caseID, ref string) (*caseroom.Document, error) {
	sc, err := db.readScope(ctx, caseID)
	if err != nil {
		return nil, err
	}
	id, err := resolveDocument(ctx, db.reader(), caseID, ref)
	if err != nil {
		return nil, err
	}
	docs, err := loadDocuments(ctx, db.reader(), db.v(), caseID, `d.id = ?`, []any{id})
	if err != nil {
		return nil, err
	}
	if docs, err = sc.trimDocuments(ctx, db.reader(), db.v(), caseID, docs, nil); err != nil {
		return nil, err
	}
	if docs, err = sc.hideRestricted(ctx, db.reader(), caseID, docs); err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no document %s in this case.", ref)
	}
	return docs[0], nil
}

// loadDocuments reads a case's documents matching filter (on the alias d), with how
// statements were taken, who was present, and which later documents correct them.
func loadDocuments(ctx context.Context, q querier, v *vault.Vault, caseID, filter string, args []any) ([]*caseroom.Document, error) {
	docs := []*caseroom.Document{}
	byID := map[string]*caseroom.Document{}
	err := scanEach(ctx, q, `SELECT d.id, d.case_id, d.ref, d.kind, d.title, d.body, d.body_sha256, d.external_ref,
			COALESCE(c.ref, ''), d.correction_reason, d.registered_by, d.registered_at,
			s.document_id, COALESCE(s.giver_id, ''), s.recorded_by, s.recorded_at, s.place, s.language, COALESCE(s.interpreter_id, ''), s.method
		FROM documents d
		LEFT JOIN documents c ON c.id = d.corrects_id
		LEFT JOIN statements s ON s.document_id = d.id
		WHERE d.case_id = ? AND `+filter+` ORDER BY d.entry, d.id`, append([]any{caseID}, args...),
		func(scan func(...any) error) error {
			d := &caseroom.Document{CorrectedBy: []string{}}
			var kind, registered string
			var sID, sRecordedBy, sRecordedAt, sPlace, sLanguage, sMethod *string
			var giver, interpreter string
			if err := scan(&d.ID, &d.CaseID, &d.Ref, &kind, &d.Title, &d.Text, &d.SHA256, &d.ExternalRef, &d.Corrects, &d.CorrectionReason,
				&d.RegisteredBy, &registered, &sID, &giver, &sRecordedBy, &sRecordedAt, &sPlace, &sLanguage, &interpreter, &sMethod); err != nil {
				return err
			}
			d.Kind = caseroom.DocumentKind(kind)
			var err error
			if d.RegisteredAt, err = parseTime(registered); err != nil {
				return err
			}
			if sID != nil {
				st := &caseroom.Statement{Giver: giver, RecordedBy: *sRecordedBy, Place: *sPlace,
					Language: *sLanguage, Interpreter: interpreter, Method: *sMethod, Present: []caseroom.Presence{}}
				if st.RecordedAt, err = parseTime(*sRecordedAt); err != nil {
					return err
				}
				d.Statement = st
			}
			docs = append(docs, d)
			byID[d.ID] = d
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	if len(docs) == 0 && strings.Contains(filter, "d.id") {
		return nil, caseroom.Errorf(caseroom.ENOTFOUND, "There is no such document in this case.")
	}
	// For a few documents (one just registered, one read), read only theirs: a write
	// must not cost more as the case grows.
	// (Corrections are looked up by corrects_id alone then: a correction is always in
	// its document's case, and SQLite would otherwise read the case's every document.)
	presenceFilter, corrections, docArgs, corrArgs := ``, `case_id = ? AND corrects_id IS NOT NULL`, []any{caseID}, []any{caseID}
	if len(docs) <= 100 {
		ids := make([]any, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		in := `(` + placeholders(len(ids)) + `)`
		if len(ids) == 0 {
			in = `(NULL)`
		}
		presenceFilter, corrections, docArgs, corrArgs = ` AND p.document_id IN `+in, `corrects_id IN `+in, append(docArgs, ids...), ids
	}
	err = scanEach(ctx, q, `SELECT p.document_id, p.person_id, p.capacity FROM statement_presence p WHERE p.case_id = ?`+presenceFilter+` ORDER BY p.document_id, p.pos`, docArgs,
		func(scan func(...any) error) error {
			var docID string
			var pr caseroom.Presence
			if err := scan(&docID, &pr.Person, &pr.Capacity); err != nil {
				return err
			}
			if d := byID[docID]; d != nil && d.Statement != nil {
				d.Statement.Present = append(d.Statement.Present, pr)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load presence: %w", err)
	}
	err = scanEach(ctx, q, `SELECT corrects_id, ref FROM documents WHERE `+corrections+` ORDER BY entry`, corrArgs,
		func(scan func(...any) error) error {
			var target, ref string
			if err := scan(&target, &ref); err != nil {
				return err
			}
			if d := byID[target]; d != nil {
				d.CorrectedBy = append(d.CorrectedBy, ref)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load corrections: %w", err)
	}
	if err := loadRetractions(ctx, q, caseID, byID); err != nil {
		return nil, err
	}
	// Labels of the persons these documents name: for a few documents, those alone.
	var named []string
	if len(docs) <= 100 {
		named = []string{}
		for _, d := range docs {
			if d.Statement != nil {
				named = append(named, d.Statement.Giver)
				for _, pr := range d.Statement.Present {
					named = append(named, pr.Person)
				}
			}
		}
	}
	labels, err := personLabels(ctx, q, v, caseID, named)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if st := d.Statement; st != nil {
			st.GiverLabel = labels[st.Giver]
			for i := range st.Present {
				st.Present[i].Label = labels[st.Present[i].Person]
			}
		}
	}
	if err := flagStatements(ctx, q, v, caseID, docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// personLabels maps each person of a case to how they are shown in other records: a
// victim's pseudonym, else the first name recorded, else the first alias. Only the
// names of persons without a pseudonym are opened. If only is not nil, just those
// persons are labelled.
func personLabels(ctx context.Context, q querier, v *vault.Vault, caseID string, only []string) (map[string]string, error) {
	labels := map[string]string{}
	filter, args := ``, []any{caseID}
	if only != nil {
		seen := map[string]bool{}
		for _, id := range only {
			if id != "" && !seen[id] {
				seen[id] = true
				args = append(args, id)
			}
		}
		if len(args) == 1 {
			return labels, nil
		}
		filter = ` AND person_id IN (` + placeholders(len(args)-1) + `)`
	}
	err := scanEach(ctx, q, `SELECT person_id, pseudonym FROM pseudonyms WHERE case_id = ?`+filter, args, func(scan func(...any) error) error {
		var id, pseudonym string
		if err := scan(&id, &pseudonym); err != nil {
			return err
		}
		labels[id] = pseudonym
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("person labels: %w", err)
	}
	// Names before aliases, each in the order given: the first row seen for a person wins.
	for _, src := range []struct{ table, column string }{{"person_names", "name"}, {"person_aliases", "alias"}} {
		err := scanEach(ctx, q, `SELECT id, person_id, `+src.column+` FROM `+src.table+` WHERE case_id = ?`+filter+` ORDER BY entry, pos`, args,
			func(scan func(...any) error) error {
				var rowID, id, sealed string
				if err := scan(&rowID, &id, &sealed); err != nil {
					return err
				}
				if _, ok := labels[id]; ok {
					return nil
				}
				label, err := v.Open(sealed, sealContext(src.table, src.column, rowID))
				if err != nil {
					return fmt.Errorf("open %s %s: %w", src.column, rowID, err)
				}
				labels[id] = label
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("person labels: %w", err)
		}
	}
	return labels, nil
}

// mayRegister refuses roles that may not register this document. Medical officers
// and the lead register medical reports, and no one else does; recording roles
// register anything else; an advocate may file a complaint on a client's behalf (it reaches
// the lead and oversight in the case's documents) and nothing else.
func (tx *Tx) mayRegister(caseID string, nd *caseroom.NewDocument) error {
	sc, err := memberScope(tx.ctx, tx, caseID, tx.actor)
	if err != nil {
		return err
	}
	if nd.Kind == caseroom.DocMedicalReport {
		if !sc.role.RegistersMedicalReports() {
			return caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot register a medical report; medical officers and the lead can.", sc.role)
		}
		return nil
	}
	if sc.role.CanRecord() {
		return nil
	}
	if sc.role != caseroom.RoleAdvocate {
		return caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) cannot record; ask the lead.", sc.role)
	}
	if nd.Kind != caseroom.DocComplaint {
		return caseroom.Errorf(caseroom.EFORBIDDEN, "An advocate can file a complaint on a client's behalf, not register a %s.", nd.Kind)
	}
	giver, err := resolvePerson(tx.ctx, tx, caseID, strings.TrimSpace(nd.Giver))
	if err != nil || !sc.clients[giver] {
		return caseroom.Errorf(caseroom.EINVALID, "giver: name the client on whose behalf you file the complaint (a person you represent)")
	}
	// Other records the complaint names must be ones the advocate may see; one she may
	// not see is refused in the words used for one that does not exist.
	check := func(field, ref string, kind caseroom.EntityKind) error {
		ref = strings.TrimSpace(ref)
		if ref == "" {
			return nil
		}
		var id string
		var err error
		if kind == caseroom.EntityPerson {
			id, err = resolvePerson(tx.ctx, tx, caseID, ref)
		} else {
			id, err = resolveDocument(tx.ctx, tx, caseID, ref)
		}
		if err == nil {
			err = sc.notFoundFor(tx.ctx, tx, tx.db.v(), caseID, ref, id, kind)
		}
		// Missing and hidden are refused here alike, at the same point and in the same
		// words, so the order of checks tells nothing either.
		if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
			return caseroom.Errorf(caseroom.EINVALID, "%s: %s", field, caseroom.ErrorMessage(err))
		}
		return err
	}
	if r := strings.TrimSpace(nd.RecordedBy); r != "" && r != tx.actor.Name {
		return caseroom.Errorf(caseroom.EINVALID, "recordedBy: an advocate records their own complaints; leave it out or give your own user name")
	}
	if err := check("corrects", nd.Corrects, caseroom.EntityDocument); err != nil {
		return err
	}
	if err := check("interpreter", nd.Interpreter, caseroom.EntityPerson); err != nil {
		return err
	}
	for i, p := range nd.Present {
		if err := check(fmt.Sprintf("present[%d].person", i), p.Person, caseroom.EntityPerson); err != nil {
			return err
		}
	}
	for i, p := range nd.Implicates {
		if err := check(fmt.Sprintf("implicates[%d]", i), p, caseroom.EntityPerson); err != nil {
			return err
		}
	}
	return nil
}
