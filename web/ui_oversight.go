package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"caseroom"
	"caseroom/audit"
)

// The oversight pages: the accountability report (on what each suspect's implication
// rests, what each recording officer's statements became, contact alerts, overdue
// clocks) and the audit page (the transparency log's latest checkpoint, its witnesses,
// a verification on demand, and the case's audit entries). Who may read them is the
// services' decision: the accountability report and the case's audit entries are for
// the lead, the prosecutor and oversight.

// oversightRoutes lists the pages of this area of the web UI (see uiRoutes).
func (s *Server) oversightRoutes() []uiRoute {
	return []uiRoute{
		{"GET", "/cases/{case}/accountability", s.uiAccountability},
		{"GET", "/cases/{case}/audit", s.uiAudit},
		{"POST", "/cases/{case}/audit/verify", s.uiAuditVerify},
	}
}

// accountabilityView is the body of the accountability page.
type accountabilityView struct {
	Suspects      []caseroom.SuspectAccount
	Flagged       int
	Officers      []caseroom.OfficerAccount
	ContactAlerts []*caseroom.Contact
	OverdueClocks []caseroom.Clock
}

// uiAccountability shows the case's accountability report, the flagged first.
func (s *Server) uiAccountability(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Accountability", "accountability")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	rep, err := s.Accountability.Accountability(r.Context(), p.Case.ID)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	v := &accountabilityView{Suspects: rep.Suspects, Officers: rep.Officers, ContactAlerts: rep.ContactAlerts, OverdueClocks: rep.OverdueClocks}
	// Flagged suspects first, the most flags first; then the fewest independent
	// sources; the report's order otherwise.
	sort.SliceStable(v.Suspects, func(a, b int) bool {
		sa, sb := v.Suspects[a], v.Suspects[b]
		if len(sa.Flags) != len(sb.Flags) {
			return len(sa.Flags) > len(sb.Flags)
		}
		return sa.IndependentSources < sb.IndependentSources
	})
	for _, su := range v.Suspects {
		if len(su.Flags) > 0 {
			v.Flagged++
		}
	}
	// Officers whose statements were retracted or missed a safeguard first.
	sort.SliceStable(v.Officers, func(a, b int) bool {
		oa, ob := v.Officers[a], v.Officers[b]
		if ka, kb := oa.Retracted+oa.Flagged, ob.Retracted+ob.Flagged; ka != kb {
			return ka > kb
		}
		return oa.Officer < ob.Officer
	})
	p.Body = v
	s.renderUI(w, r, "accountability", p)
}

// auditPageSize is the number of audit entries on a page.
const auditPageSize = 50

// auditView is the body of the audit page.
type auditView struct {
	// Checkpoint is the latest signed checkpoint, nil if none (CheckpointNote says why).
	Checkpoint     *checkpointView
	CheckpointNote string
	Witnesses      []witnessView
	// CanVerify is set when this server can verify its log from the web.
	CanVerify bool
	// Verified is the result of "Verify now", if it was pressed: Intact or not.
	Verified *verifyResult
	Entries  []auditEntryView
	Total    int
	Page     int
	Pages    int
}

// auditEntryView is an audit entry with the UI section of its record, if it has one,
// and its action as people read it.
type auditEntryView struct {
	*caseroom.AuditEntry
	Page  string
	Label string
}

// auditActionLabels says what each audited action is, as people read it; the page
// shows the label with the action's name. An action without a label is shown by its
// name alone.
var auditActionLabels = map[string]string{
	"case.create":             "Case opened",
	"member.add":              "Member added",
	"person.register":         "Person registered",
	"person.name.add":         "Name added to a person",
	"person.alias.add":        "Alias added to a person",
	"person.role.add":         "Role added to a person",
	"identifier.add":          "Identifier added",
	"identity.reveal":         "Victim's identity revealed",
	"identity.reveal.refused": "Reveal of a victim's identity refused",
	"media.view.refused":      "Viewing a file's content refused",
	"organisation.register":   "Organisation registered",
	"location.register":       "Location registered",
	"document.register":       "Document registered",
	"safeguards.record":       "Safeguards recorded",
	"link.record":             "Link recorded",
	"decision.record":         "Decision recorded",
	"action.raise":            "Action raised",
	"action.allocate":         "Action allocated",
	"action.result":           "Action resulted",
	"action.file":             "Action filed",
	"action.refer-back":       "Action referred back",
	"action.cancel":           "Action cancelled",
	"action.consent":          "Consent recorded",
	"arrest.record":           "Arrest recorded",
	"arrest.production":       "Production before a magistrate recorded",
	"contact.record":          "Contact recorded",
	"payment.record":          "Payment recorded",
	"comms.import":            "Import of communications begun",
	"comms.rows":              "Communications imported",
	"comms.import.done":       "Import of communications completed",
	"identifier.normalise":    "Phone identifiers given their E.164 form",
	"exhibit.register":        "Exhibit registered",
	"custody.record":          "Custody event recorded",
	"media.ingest":            "File recorded from an exhibit",
	"content.hash":            "Perceptual hash recorded for a stored content",
	"media.view":              "File content viewed, blurred",
	"hashset.import":          "Known-hash set imported",
	"hashset.entries":         "Known-hash set entries added",
	"hashset.match":           "Contents matched to a known-hash set",
	"witness.add":             "Witness registered",
	"user.create":             "User created",
	"user.disable":            "User disabled",
	"user.enable":             "User enabled",
	"token.create":            "API token created",
	"token.revoke":            "API token revoked",
	"totp.enrol":              "Second factor enrolled",
	"signin.fail.tally":       "Failed sign-ins under unknown names, counted",
	"search":                  "Case searched (the query sealed)",
	"export":                  "Case exported",
}

// auditObjectPages maps the kinds of audited records that have a page to its section.
var auditObjectPages = map[string]string{
	"person": "people", "document": "documents", "action": "actions", "exhibit": "exhibits", "media": "media",
}

// checkpointView is a checkpoint as shown.
type checkpointView struct {
	Origin    string
	Size      int64
	Root      string
	Signature string // the log's signature, base64
	KeyHash   string // the log key's id, hex
}

// witnessView is a registered witness and its cosignature on the latest checkpoint.
type witnessView struct {
	Name    string
	AddedAt time.Time
	// Cosigned is when it cosigned the latest checkpoint; zero if it has not.
	Cosigned time.Time
	Invalid  bool // a cosignature line of its name that does not verify
}

// verifyResult is the one-line outcome of a verification.
type verifyResult struct {
	Intact  bool
	Message string
	Took    time.Duration
}

// uiAudit shows the audit page.
func (s *Server) uiAudit(w http.ResponseWriter, r *http.Request) {
	s.auditPage(w, r, nil)
}

// uiAuditVerify runs the verification of `caseroom audit verify` and shows its
// result on the audit page.
func (s *Server) uiAuditVerify(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Audit", "audit")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	// Verification is for those who may read the case's audit log: ask its service.
	if _, err := s.Audit.FindAuditEntries(r.Context(), caseroom.AuditFilter{CaseID: p.Case.ID, After: -1, Limit: 1}); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	v, ok := s.auditVerifier()
	if !ok {
		s.uiError(w, r, p, caseroom.Errorf(caseroom.ENOTFOUND, "This server cannot verify its audit log from the web; run caseroom audit verify on the store."))
		return
	}
	res, err := runVerify(r.Context(), v)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	s.auditPage(w, r, res)
}

// auditVerifySlot lets one verification run at a time: it reads the whole store.
var auditVerifySlot = make(chan struct{}, 1)

// runVerify runs v and says what it found. A finding is a result, not an error; an
// error is returned only when the store could not be read or a verification is
// already running.
func runVerify(ctx context.Context, v logVerifier) (*verifyResult, error) {
	select {
	case auditVerifySlot <- struct{}{}:
		defer func() { <-auditVerifySlot }()
	default:
		return nil, caseroom.Errorf(caseroom.ECONFLICT, "A verification of the audit log is running; try again in a moment.")
	}
	start := time.Now()
	rep, err := v.VerifyAudit(ctx)
	took := time.Since(start)
	switch {
	case err == nil:
		return &verifyResult{Intact: true, Message: auditSentence("OK: " + rep.String()), Took: took}, nil
	case audit.IsFinding(err):
		return &verifyResult{Message: auditSentence("FAILED: " + err.Error()), Took: took}, nil
	}
	return nil, fmt.Errorf("verify the audit log: %w", err)
}

// auditSentence ends s with a full stop.
func auditSentence(s string) string {
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// auditPage renders the audit page, with the result of a verification if there is one.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, verified *verifyResult) {
	p, err := s.newCasePage(r, "Audit", "audit")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	ctx := r.Context()
	page := 1
	if q := r.URL.Query().Get("page"); q != "" {
		page, err = strconv.Atoi(q)
		if err != nil || page < 1 {
			s.uiError(w, r, p, caseroom.Errorf(caseroom.EINVALID, "page: %q is not a page number.", q))
			return
		}
	}
	// The newest entries first. The service pages forwards from an entry; the
	// newest are found by reading to the end.
	var all []*caseroom.AuditEntry
	after := int64(-1)
	for {
		batch, err := s.Audit.FindAuditEntries(ctx, caseroom.AuditFilter{CaseID: p.Case.ID, After: after, Limit: 10000})
		if err != nil {
			s.uiError(w, r, p, err)
			return
		}
		all = append(all, batch...)
		if len(batch) < 10000 {
			break
		}
		after = batch[len(batch)-1].Seq
	}
	v := &auditView{Verified: verified, Total: len(all), Page: page}
	v.Pages = max(1, (len(all)+auditPageSize-1)/auditPageSize)
	if page > v.Pages {
		page, v.Page = v.Pages, v.Pages
	}
	end := len(all) - (page-1)*auditPageSize
	for i := end - 1; i >= 0 && i >= end-auditPageSize; i-- {
		v.Entries = append(v.Entries, auditEntryView{all[i], auditObjectPages[all[i].ObjectKind], auditActionLabels[all[i].Action]})
	}
	_, v.CanVerify = s.auditVerifier()
	if s.Log == nil {
		v.CheckpointNote = "This server publishes no audit checkpoints."
	} else if err := s.readCheckpoint(ctx, v); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Body = v
	s.renderUI(w, r, "audit", p)
}

// readCheckpoint fills in the latest checkpoint and the witnesses' cosignatures of it.
func (s *Server) readCheckpoint(ctx context.Context, v *auditView) error {
	ws, err := s.Audit.Witnesses(ctx)
	if err != nil {
		return err
	}
	for _, w := range ws {
		v.Witnesses = append(v.Witnesses, witnessView{Name: w.Name, AddedAt: w.AddedAt})
	}
	signed, err := s.Log.Latest(ctx)
	if caseroom.ErrorCode(err) == caseroom.ENOTFOUND {
		v.CheckpointNote = caseroom.ErrorMessage(err)
		return nil
	}
	if err != nil {
		return err
	}
	c, n, err := audit.OpenCheckpoint(signed, s.Log.Key.Verifier)
	if err != nil {
		// The page still shows the entries; verification will name what is wrong.
		v.CheckpointNote = "The latest stored checkpoint does not verify with this server's log key: " + err.Error() + ". Press Verify now."
		return nil
	}
	cv := &checkpointView{Origin: c.Origin, Size: c.Size, Root: base64.StdEncoding.EncodeToString(c.Hash[:])}
	for _, sig := range n.Sigs {
		cv.Signature, cv.KeyHash = sig.Base64, fmt.Sprintf("%08x", sig.Hash)
	}
	v.Checkpoint = cv
	for i, w := range ws {
		cosigner, err := audit.ParseCosignVerifier(w.Key)
		if err != nil {
			continue
		}
		for _, sig := range n.UnverifiedSigs {
			if sig.Name != w.Name {
				continue
			}
			t, err := cosigner.Verify(n.Text, "— "+sig.Name+" "+sig.Base64+"\n")
			if err != nil {
				v.Witnesses[i].Invalid = true
				continue
			}
			v.Witnesses[i].Cosigned = t
		}
	}
	return nil
}

// AuditVerifier recomputes the audit log from the stored records and checks it
// against its tree, its latest checkpoint (with logKey) and the checkpoint files
// given: what `caseroom audit verify` does; *sqlstore.DB is one. It returns the
// summary of a log that holds, a *audit.Finding for the first thing that does not
// match, or another error if the store could not be read.
type AuditVerifier interface {
	VerifyAudit(ctx context.Context, logKey note.Verifier, files []audit.CheckpointFile) (*audit.Report, error)
}

// logVerifier verifies this server's log with the log's key, without checkpoint
// files: the server holds none but its own.
type logVerifier struct {
	store AuditVerifier
	key   note.Verifier
}

// VerifyAudit runs the store's verification with the log's key.
func (v logVerifier) VerifyAudit(ctx context.Context) (*audit.Report, error) {
	return v.store.VerifyAudit(ctx, v.key, nil)
}

// auditVerifier returns what verifies this server's log: its store, if the store is
// an AuditVerifier and the log has its key; ok is false otherwise.
func (s *Server) auditVerifier() (v logVerifier, ok bool) {
	if s.Log == nil || s.Log.Store == nil || s.Log.Key == nil {
		return v, false
	}
	store, ok := s.Log.Store.(AuditVerifier)
	if !ok {
		return v, false
	}
	return logVerifier{store: store, key: s.Log.Key.Verifier}, true
}
