package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/tlog"

	"caseroom"
	"caseroom/audit"
	"caseroom/sqlstore"
)

// These tests edit, delete, reorder and forge rows behind the store's back, as someone
// with access to the database would, and check that audit.Verify finds each change and
// names the entry it concerns. They also show the limit of what the store alone can
// prove: a rewrite of the records, the entries and the whole stored tree is consistent
// with itself, and only a checkpoint kept outside the database tells it from the truth.

// tamperTables is every record table (sqlstore's recordTables, canonical.go) with its key
// column and a NOT NULL text column that an edit appends to. TestTamperRecords fails if
// the database holds a table with an entry column that is not listed here, so that a
// record table added later is covered by these tests or noticed.
var tamperTables = []struct{ table, key, column string }{
	{"users", "id", "name"},
	{"tokens", "id", "secret_hash"},
	{"cases", "id", "title"},
	{"memberships", "id", "role"},
	{"persons", "id", "recorded_by"},
	{"person_names", "id", "name"},
	{"person_aliases", "id", "alias"},
	{"person_roles", "id", "role"},
	{"pseudonyms", "person_id", "pseudonym"},
	{"documents", "id", "body"},
	{"statements", "document_id", "recorded_by"},
	{"statement_presence", "id", "capacity"},
	{"identifiers", "id", "value"},
	{"organisations", "id", "name"},
	{"locations", "id", "name"},
	{"links", "id", "note"},
	{"blind_index", "id", "token"},
	{"identity_access", "id", "reason"},
	{"member_persons", "id", "id"}, // every other column references another table
	{"person_details", "id", "value"},
	{"token_revocations", "id", "revoked_by"},
	{"account_status", "id", "status"},
	{"totp_enrolments", "id", "secret"},
	{"audit_witnesses", "id", "vkey"},
	{"exhibits", "id", "description"},
	{"custody_events", "id", "purpose"},
	{"contents", "sha256", "mime"},
	{"media", "id", "path"},
	{"content_pdq", "sha256", "pdq"},
	{"hash_sets", "id", "name"},
	{"hash_set_entries", "id", "category"},
	{"matches", "id", "method"},
	{"content_vpdq", "sha256", "frames"},
	{"video_matches", "match_id", "this_pct"},
	{"actions", "id", "title"},
	{"action_subjects", "id", "subject_kind"},
	{"action_events", "id", "by_whom"},
	{"decisions", "id", "rationale"},
	{"action_consents", "id", "note"},
	{"arrests", "id", "place"},
	{"arrest_grounds", "id", "ground_kind"},
	{"retractions", "document_id", "circumstances"},
	{"safeguard_rules", "id", "languages"},
	{"contacts", "id", "purpose"},
	{"arrest_productions", "id", "court"},
	{"media_views", "id", "reason"},
	{"sign_in_tallies", "id", "first_at"},
	{"endpoints", "id", "value"},
	{"payments", "id", "note"},
	{"comm_imports", "id", "name"},
	{"comm_import_done", "import_id", "done_at"},
	{"communications", "id", "cell_id"},
	{"comm_import_batches", "id", "id"},
	{"identifier_e164", "identifier_id", "case_id"},
	{"searches", "id", "searched_by"},
	{"exports", "id", "format"},
}

// tamperStore is a store with a realistic case in it, built through the services, and a
// checkpoint of it signed with a log key and kept outside the database.
type tamperStore struct {
	*testStore
	f   *fixture
	key *audit.LogKey
	// checkpoint is the file an outside party kept of the log as built: size entries.
	checkpoint audit.CheckpointFile
	size       int64
	// at is the audit entry of each step of the build, by step name.
	at      map[string]int64
	suspect *caseroom.Person
}

// newTamperStore fills s with a case that writes a row into every record table, a
// couple of events, and a checkpoint.
func newTamperStore(t *testing.T, s *testStore) *tamperStore {
	t.Helper()
	key, err := audit.LoadOrCreateLogKey(filepath.Join(t.TempDir(), "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	ts := &tamperStore{testStore: s, key: key, at: map[string]int64{}}
	// step records the entry of the write just done, after checking that it is the
	// expected action.
	step := func(name, action string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		e := s.lastEntry()
		if e.Action != action {
			t.Fatalf("%s: last entry is %s, want %s", name, e.Action, action)
		}
		ts.at[name] = e.Seq
	}

	f := newFixture(t, s, "alice", "Operation Alpha")
	ts.f = f
	c := f.c.ID
	ivan := f.member("ivan", caseroom.RoleInvestigator)
	mustUser(t, s, "adv")
	ivanToken, err := s.DB.CreateToken(console, "ivan")
	step("token", "token.create", err)
	_, err = s.DB.CreateToken(console, "adv")
	step("advocate's token", "token.create", err)
	f.complaint("First information report")
	step("complaint", "document.register", nil)
	ts.suspect = f.person(f.ctx, caseroom.NewPerson{
		Names:   []caseroom.PersonName{{Name: "Gul Khan", Script: "Latn", Source: "C-1"}, {Name: "گل خان", Script: "Arab"}},
		Aliases: []caseroom.Alias{{Alias: "Kala", Kind: "urf", Source: "C-1"}},
		Roles:   []caseroom.PersonRole{caseroom.PersonSuspect, caseroom.PersonWitness},
		Sex:     "male", DateOfBirth: "1979-04-02", AgeBand: "40-49", Parents: []string{"Rahim Khan"}, Address: "House 4, Chak 12"})
	step("suspect", "person.register", nil)
	f.person(as(ivan), caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Hidden Person", Script: "Latn"}},
		Roles: []caseroom.PersonRole{caseroom.PersonVictim}, Sex: "female", AgeBand: "10-14",
		Parents: []string{"Bashir Ahmed"}, Address: "Street 2, Chak 12"})
	step("victim", "person.register", nil)
	rep := f.representative("Asma Advocate")
	step("representative", "person.register", nil)
	_, err = s.DB.AddMember(f.ctx, c, caseroom.NewMembership{User: "adv", Role: caseroom.RoleAdvocate, Person: rep.ID})
	step("advocate", "member.add", err)
	f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Statement of V-0001", Text: "What she said.",
		Giver: "V-0001", RecordedBy: "ivan", RecordedAt: ptr(recorded), Place: "Police station Chak 12", Language: "ur",
		Method: "written", Present: []caseroom.Presence{{Person: rep.ID, Capacity: "advocate"}}})
	step("statement", "document.register", nil)
	_, err = s.DB.AddName(f.ctx, c, ts.suspect.ID, caseroom.PersonName{Name: "Gul Muhammad", Script: "Latn", Source: "S-1"})
	step("name", "person.name.add", err)
	_, err = s.DB.AddAlias(as(ivan), c, ts.suspect.ID, caseroom.Alias{Alias: "Gullu", Kind: "alias"})
	step("alias", "person.alias.add", err)
	_, err = s.DB.AddRole(f.ctx, c, ts.suspect.ID, caseroom.PersonComplainant)
	step("role", "person.role.add", err)
	_, err = s.DB.AddIdentifier(f.ctx, c, ts.suspect.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+92 300 1234567", Source: "S-1"})
	step("identifier", "identifier.add", err)
	_, err = s.DB.RegisterOrganisation(f.ctx, c, caseroom.NewOrganisation{Name: "Al-Noor Video Centre", Kind: "shop", Note: "Sells phones.", Source: "C-1"})
	step("organisation", "organisation.register", err)
	_, err = s.DB.RegisterLocation(as(ivan), c, caseroom.NewLocation{Name: "Chak 12", Kind: "village", Lat: ptr(31.5), Lon: ptr(74.25), Source: "C-1"})
	step("location", "location.register", err)
	_, err = s.DB.RecordLink(f.ctx, c, caseroom.NewLink{From: ts.suspect.ID, To: "V-0001", Type: "knows", Source: "S-1", Confidence: ptr(0.7), Note: "Met at the shop."})
	step("link", "link.record", err)
	_, err = s.DB.RevealIdentity(f.ctx, c, "V-0001", "Arranging a medical examination.")
	step("reveal", "identity.reveal", err)
	_, err = s.DB.FindPersons(f.ctx, c, caseroom.PersonFilter{Name: "Gul"})
	step("search", "person.search.name", err)
	_, err = s.DB.Search(f.ctx, c, caseroom.SearchRequest{Query: "shop"})
	step("text search", "search", err)
	_, err = s.DB.RevokeToken(console, ivanToken.ID)
	step("revoke", "token.revoke", err)
	_, err = s.DB.DisableUser(console, "adv") // also revokes the advocate's token
	step("disable", "user.disable", err)
	_, err = s.DB.EnrolTOTP(console, "alice")
	step("totp", "totp.enrol", err)
	wk, err := audit.GenerateWitnessKey("oversight.example/witness")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DB.AddWitness(console, wk.VerifierKey())
	step("witness", "witness.add", err)
	_, err = s.DB.FindPersons(f.ctx, c, caseroom.PersonFilter{Name: "Hidden"})
	step("search again", "person.search.name", err)
	seized := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	_, err = s.DB.RegisterExhibit(f.ctx, c, caseroom.NewExhibit{Ref: "SB/1", Description: "A CD bought from a villager", Kind: caseroom.ExhibitDisc,
		SeizedFrom: ts.suspect.ID, SeizedAt: &seized, Place: "Chak 12", Seal: "S-0001"})
	step("exhibit", "exhibit.register", err)
	examined := seized.Add(time.Hour)
	_, err = s.DB.RecordCustody(f.ctx, c, "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, At: &examined, Purpose: "Listing the files."})
	step("custody", "custody.record", err)
	_, err = s.DB.RecordMedia(f.ctx, c, "SB/1", []caseroom.NewMedia{{Path: "SB1/clip.bin", Size: 3, MIME: "application/octet-stream",
		SHA256: strings.Repeat("ab", 32), SHA1: strings.Repeat("cd", 20), MD5: strings.Repeat("ef", 16)}})
	step("media", "media.ingest", err)
	// Two images, near-duplicates of each other (a content match).
	photo, resized := fakeMedia("SB1/photo.jpg", "photo"), fakeMedia("SB1/resized.jpg", "resized")
	photo.Image, resized.Image = imageHash(strings.Repeat("0f", 32), 90), imageHash(strings.Repeat("0f", 31)+"0e", 80)
	_, err = s.DB.RecordMedia(f.ctx, c, "SB/1", []caseroom.NewMedia{photo, resized})
	step("images", "media.ingest", err)
	// A known-hash set listing the clip by MD5 and the photo by PDQ: matched on import.
	_, err = s.DB.ImportHashSet(console, knownSet("National list", caseroom.KnownHash{MediaID: "41", Category: "1", MD5: strings.Repeat("ef", 16)},
		caseroom.KnownHash{MediaID: "42", Category: "2", PDQ: strings.Repeat("0f", 30) + "ffff"}))
	step("hash set", "hashset.match", err)
	// Two videos, the second a re-encoded copy of the first (a vPDQ content match).
	film, copied := fakeMedia("SB1/film.mp4", "film"), fakeMedia("SB1/copy.mp4", "copy")
	film.Video = &caseroom.VideoHash{SecondsPerHash: 1, FrameRate: 25, Frames: []caseroom.VideoFrame{
		{Number: 0, Quality: 90, PDQ: strings.Repeat("5a", 32)}, {Number: 25, Quality: 80, PDQ: strings.Repeat("33", 32), Timestamp: 1}}}
	copied.Video = &caseroom.VideoHash{SecondsPerHash: 1, FrameRate: 25, Frames: []caseroom.VideoFrame{
		{Number: 0, Quality: 85, PDQ: strings.Repeat("5a", 31) + "5b"}, {Number: 25, Quality: 80, PDQ: strings.Repeat("33", 31) + "32", Timestamp: 1}}}
	_, err = s.DB.RecordMedia(f.ctx, c, "SB/1", []caseroom.NewMedia{film, copied})
	step("videos", "media.ingest", err)
	_, err = s.DB.RaiseAction(f.ctx, c, caseroom.NewAction{Kind: caseroom.ActionExamineExhibit, Title: "List the files on SB/1",
		RaisedFrom: "C-1", Subjects: []string{"SB/1", ts.suspect.ID}, Priority: caseroom.PriorityHigh})
	step("action", "action.raise", err)
	_, err = s.DB.AllocateAction(f.ctx, c, "A-1", caseroom.ActionAllocation{To: "ivan"})
	step("allocation", "action.allocate", err)
	_, err = s.DB.RecordDecision(f.ctx, c, caseroom.NewDecision{Decision: "Examine SB/1 before the arrests.", Rationale: "The disc may name the buyers."})
	step("decision", "decision.record", err)
	_, err = s.DB.RaiseAction(f.ctx, c, caseroom.NewAction{Kind: caseroom.ActionMedicalExamination, Title: "Medical examination of V-0001",
		RaisedFrom: "S-1", Subjects: []string{"V-0001"}})
	step("medical examination", "action.raise", err)
	_, err = s.DB.RecordConsent(f.ctx, c, "A-2", caseroom.NewConsent{Person: "V-0001", By: "V-0001", Given: ptr(true), Note: "Explained in Urdu."})
	step("consent", "action.consent", err)
	_, err = s.DB.RecordArrest(f.ctx, c, caseroom.NewArrest{Person: ts.suspect.ID, At: ptr(seized), By: "ivan", Place: "Chak 12", Grounds: []string{"S-1", "SB/1"}})
	step("arrest", "arrest.record", err)
	_, err = s.DB.RecordProduction(f.ctx, c, "AR-1", caseroom.NewProduction{At: ptr(seized.Add(20 * time.Hour)), Court: "Magistrate, Chak 12", Outcome: caseroom.ProductionRemanded, By: "ivan"})
	step("production", "arrest.production", err)
	_, err = s.DB.RecordContact(f.ctx, c, caseroom.NewContact{Person: "V-0001", By: "ivan", At: ptr(recorded), Kind: caseroom.ContactVisit, Purpose: "Explain the examination."})
	step("contact", "contact.record", err)
	examiner := f.member("erum", caseroom.RoleExaminer)
	clip, err := s.DB.FindMedia(f.ctx, c, caseroom.MediaFilter{ExhibitID: "SB/1", Path: "SB1/clip.bin"})
	if err != nil || len(clip) != 1 {
		t.Fatalf("find the clip: %v (%d files)", err, len(clip))
	}
	_, err = s.DB.RecordMediaView(as(examiner), c, clip[0].ID, "Checking the clip against the complaint.")
	step("media view", "media.view", err)
	f.doc(f.ctx, caseroom.NewDocument{Kind: caseroom.DocStatement, Title: "Withdrawal", Text: "I withdraw.", Giver: "V-0001",
		RecordedAt: ptr(recorded.Add(time.Hour)), Retracts: "S-1", Circumstances: "Came with an officer."})
	step("retraction", "action.raise", nil)
	_, err = s.DB.RecordPayment(f.ctx, c, caseroom.NewPayment{Payer: "bank_account:PK36 SCBL 0000 0011 2345 6702", Payee: ts.suspect.ID,
		Amount: ptr(caseroom.MinorUnits(5000000)), At: "2026-11", Method: caseroom.PaymentBankTransfer, Purpose: caseroom.PurposeExtortion, Source: "S-1"})
	step("payment", "payment.record", err)
	_, err = s.DB.ImportCommunications(f.ctx, c, commImport("SB/1", strings.Repeat("12", 32), commRows(3, seized.Add(-48*time.Hour))))
	step("communications", "comms.import.done", err)
	_, err = s.DB.RecordSafeguardRules(f.ctx, c, caseroom.NewSafeguardRules{Languages: map[string][]string{"*": {"ur"}}})
	step("safeguards", "safeguards.record", err)
	x, err := s.DB.OpenExport(f.ctx, c, caseroom.ExportRequest{Format: caseroom.ExportFtM})
	if err == nil {
		err = x.Close()
	}
	step("export", "export", err)
	// Two failed sign-ins under a name that does not exist: the first is an entry of
	// its own, the second is tallied and written once the tally's period is over.
	for range 2 {
		if _, err := s.DB.SignIn(context.Background(), caseroom.SignIn{User: "nobody", Password: "guess"}); caseroom.ErrorCode(err) != caseroom.EUNAUTHORIZED {
			t.Fatalf("sign in as nobody: %v", err)
		}
	}
	later := s.DB.Now().Add(sqlstore.UnknownSignInPeriod)
	s.DB.Now = func() time.Time { return later }
	step("sign-in tally", "signin.fail.tally", s.DB.WriteSignInTally(context.Background()))

	signed, cp, err := (&audit.Log{Store: s.DB, Key: key}).MakeCheckpoint(context.Background())
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	ts.checkpoint, ts.size = audit.CheckpointFile{Name: "court-exhibit-7", Signed: signed}, cp.Size
	if n := int64(s.Count("audit_log")); cp.Size != n {
		t.Fatalf("checkpoint covers %d entries, the log holds %d", cp.Size, n)
	}
	return ts
}

// within returns the store for use in subtest t, so that its helpers fail t.
func (s *testStore) within(t *testing.T) *testStore {
	c := *s
	c.t = t
	return &c
}

// within returns the tamper store for use in subtest t.
func (ts *tamperStore) within(t *testing.T) *tamperStore {
	c := *ts
	c.testStore = ts.testStore.within(t)
	c.f = ts.f.in(t)
	return &c
}

// verifyLog runs audit.Verify on db with the checkpoint files given. It returns the
// report if the log verified, or the finding; any other error fails the test.
func verifyLog(t testing.TB, db *sqlstore.DB, key *audit.LogKey, files ...audit.CheckpointFile) (*audit.Report, *audit.Finding) {
	t.Helper()
	ctx := context.Background()
	snap, err := db.AuditSnapshot(ctx)
	if err != nil {
		t.Fatalf("audit snapshot: %v", err)
	}
	defer snap.Close()
	rep, err := audit.Verify(ctx, snap, key.Verifier, files)
	if err == nil {
		return rep, nil
	}
	var f *audit.Finding
	if !errors.As(err, &f) {
		t.Fatalf("verify could not read the store: %v", err)
	}
	return nil, f
}

// verify runs audit.Verify on the store with the checkpoint files given.
func (ts *tamperStore) verify(files ...audit.CheckpointFile) (*audit.Report, *audit.Finding) {
	ts.t.Helper()
	return verifyLog(ts.t, ts.DB, ts.key, files...)
}

// mustVerify fails unless the store verifies with the checkpoint files given.
func (ts *tamperStore) mustVerify(files ...audit.CheckpointFile) *audit.Report {
	ts.t.Helper()
	rep, f := ts.verify(files...)
	if f != nil {
		ts.t.Fatalf("verify: %v", f)
	}
	return rep
}

// wantFinding fails unless f is a finding about entry (-1: the whole log) whose text
// says each of words.
func wantFinding(t *testing.T, f *audit.Finding, entry int64, words ...string) {
	t.Helper()
	if f == nil {
		t.Fatalf("verify passed; want a finding about entry %d", entry)
	}
	t.Logf("finding: %v", f)
	if f.Entry != entry {
		t.Errorf("finding about entry %d, want %d: %s", f.Entry, entry, f.What)
	}
	for _, w := range words {
		if !strings.Contains(f.What, w) {
			t.Errorf("finding %q does not say %q", f.What, w)
		}
	}
}

// queryer is a raw connection that takes ? placeholders on either database.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *testStore) rawQueryer() queryer {
	if s.DB.Dialect() == "postgres" {
		return rebinding{s.raw}
	}
	return s.raw
}

// auditRows reads every audit_log row, in seq order, as a map of column to value: the
// leaf data of an entry is its JSON (encoding/json sorts the keys).
func (s *testStore) auditRows() []map[string]any {
	s.t.Helper()
	rows, err := s.rawQueryer().QueryContext(context.Background(), `SELECT * FROM audit_log ORDER BY seq`)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		s.t.Fatal(err)
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			s.t.Fatal(err)
		}
		row := map[string]any{}
		for i, c := range cols {
			switch v := vals[i].(type) {
			case []byte:
				row[c] = string(v)
			case int32:
				row[c] = int64(v)
			default:
				row[c] = v
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// leafHash is the RFC 6962 leaf hash of an audit row as auditRows reads it.
func leafHash(t *testing.T, row map[string]any) tlog.Hash {
	t.Helper()
	data, err := json.Marshal(row)
	if err != nil {
		t.Fatal(err)
	}
	return tlog.RecordHash(data)
}

// rewriteTree replaces audit_tree with the stored hashes of the log as it is now, as
// someone covering up an edit would.
func (s *testStore) rewriteTree() {
	s.t.Helper()
	var hashes []tlog.Hash
	r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x >= int64(len(hashes)) {
				return nil, fmt.Errorf("hash %d not computed yet", x)
			}
			out[i] = hashes[x]
		}
		return out, nil
	})
	for _, row := range s.auditRows() {
		data, err := json.Marshal(row)
		if err != nil {
			s.t.Fatal(err)
		}
		hs, err := tlog.StoredHashes(row["seq"].(int64), data, r)
		if err != nil {
			s.t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	s.exec(`DELETE FROM audit_tree`)
	args := make([]any, 0, 2*len(hashes))
	for i, h := range hashes {
		args = append(args, int64(i), hex.EncodeToString(h[:]))
	}
	s.exec(`INSERT INTO audit_tree (idx, hash) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?), ", len(hashes)), ", "), args...)
}

// savedRows are rows deleted by a test, kept to be put back.
type savedRows struct {
	table string
	cols  []string
	rows  [][]any
}

// cut deletes the rows of table that match where and returns them.
func (s *testStore) cut(table, where string, args ...any) savedRows {
	s.t.Helper()
	saved := s.rowsOf(table, where, args...)
	s.exec(`DELETE FROM `+table+` WHERE `+where, args...)
	return saved
}

// rowsOf reads the rows of table that match where.
func (s *testStore) rowsOf(table, where string, args ...any) savedRows {
	s.t.Helper()
	rows, err := s.rawQueryer().QueryContext(context.Background(), `SELECT * FROM `+table+` WHERE `+where, args...)
	if err != nil {
		s.t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	saved := savedRows{table: table}
	if saved.cols, err = rows.Columns(); err != nil {
		s.t.Fatal(err)
	}
	for rows.Next() {
		vals := make([]any, len(saved.cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			s.t.Fatal(err)
		}
		saved.rows = append(saved.rows, vals)
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	return saved
}

// putBack inserts saved rows again, in the order given.
func (s *testStore) putBack(saved []savedRows) {
	s.t.Helper()
	for _, sr := range saved {
		for _, row := range sr.rows {
			s.exec(`INSERT INTO `+sr.table+` (`+strings.Join(sr.cols, ", ")+`) VALUES (`+
				strings.TrimSuffix(strings.Repeat("?, ", len(row)), ", ")+`)`, row...)
		}
	}
}

// deleteRecords deletes the records of entries from <= entry < to, children before
// parents so that PostgreSQL's foreign keys allow it. It returns them, parents first.
func (s *testStore) deleteRecords(from, to int64) []savedRows {
	s.t.Helper()
	var saved []savedRows
	for _, tt := range tamperTables {
		saved = append(saved, s.rowsOf(tt.table, `entry >= ? AND entry < ?`, from, to))
	}
	for _, tt := range slices.Backward(tamperTables) {
		s.exec(`DELETE FROM `+tt.table+` WHERE entry >= ? AND entry < ?`, from, to)
	}
	return saved
}

// truncate deletes the audit entries from seq on. With records, the rows they created
// go too; with tree, so do their stored tree hashes and the checkpoints that cover them,
// which leaves a log consistent with itself. It returns what it deleted.
func (s *testStore) truncate(from int64, records, tree bool) []savedRows {
	s.t.Helper()
	saved := []savedRows{s.cut("audit_log", `seq >= ?`, from)}
	if records {
		saved = append(saved, s.deleteRecords(from, 1<<62)...)
	}
	if tree {
		saved = append(saved, s.cut("audit_tree", `idx >= ?`, tlog.StoredHashIndex(0, from)),
			s.cut("audit_checkpoints", `size > ?`, from))
	}
	return saved
}

// swapEntries exchanges the sequence numbers of two audit entries.
func (s *testStore) swapEntries(a, b int64) {
	s.t.Helper()
	s.exec(`UPDATE audit_log SET seq = -1 WHERE seq = ?`, a)
	s.exec(`UPDATE audit_log SET seq = ? WHERE seq = ?`, a, b)
	s.exec(`UPDATE audit_log SET seq = ? WHERE seq = -1`, b)
}

// recordTablesInDB lists the tables of the store that have an entry column.
func (s *testStore) recordTablesInDB() []string {
	s.t.Helper()
	var rows *sql.Rows
	var err error
	if s.DB.Dialect() == "postgres" {
		rows, err = s.raw.Query(`SELECT table_name FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'entry'`, s.schema)
	} else {
		rows, err = s.raw.Query(`SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'entry'`)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestTamperRecords checks that the intact store verifies, then edits one text column
// of one row of each record table in turn and checks that verification names the row's
// entry and its table, and passes again once the edit is undone.
func TestTamperRecords(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *testStore) {
		ts := newTamperStore(t, s)

		var listed []string
		for _, tt := range tamperTables {
			listed = append(listed, tt.table)
		}
		slices.Sort(listed)
		if diff := cmp.Diff(listed, s.recordTablesInDB()); diff != "" {
			t.Errorf("record tables in the database (+) and in tamperTables (-) differ; cover a new record table here and in sqlstore's recordTables:\n%s", diff)
		}

		rep := ts.mustVerify(ts.checkpoint)
		records := int64(0)
		for _, tt := range tamperTables {
			n := s.Count(tt.table)
			if n == 0 {
				t.Errorf("the build wrote no %s rows; extend newTamperStore so that every record table is covered", tt.table)
			}
			records += int64(n)
		}
		if want := int64(s.Count("audit_log")); rep.Entries != want {
			t.Errorf("report counts %d entries, audit_log holds %d", rep.Entries, want)
		}
		if rep.Records != records {
			t.Errorf("report counts %d records, the record tables hold %d", rep.Records, records)
		}
		if rep.Latest == nil || rep.Latest.Size != ts.size || rep.Files != 1 {
			t.Errorf("report: latest checkpoint %+v, %d files; want the checkpoint of %d entries and 1 file", rep.Latest, rep.Files, ts.size)
		}

		for _, tt := range tamperTables {
			t.Run(tt.table, func(t *testing.T) {
				ts := ts.within(t)
				var key string
				var entry int64
				err := s.rawQueryer().QueryRowContext(context.Background(),
					`SELECT `+tt.key+`, entry FROM `+tt.table+` ORDER BY entry DESC, `+tt.key+` LIMIT 1`).Scan(&key, &entry)
				if err != nil {
					t.Fatalf("pick a %s row: %v", tt.table, err)
				}
				where := ` WHERE ` + tt.key + ` = ?`
				was := ts.queryString(`SELECT `+tt.column+` FROM `+tt.table+where, key)
				ts.exec(`UPDATE `+tt.table+` SET `+tt.column+` = `+tt.column+` || 'x'`+where, key)
				if tt.column == tt.key {
					key += "x"
				}
				_, f := ts.verify()
				wantFinding(t, f, entry, tt.table, "no longer match")

				ts.exec(`UPDATE `+tt.table+` SET `+tt.column+` = ?`+where, was, key)
				ts.mustVerify(ts.checkpoint)
			})
		}
	})
}

// TestTamperEntries edits, deletes, reorders and forges audit entries and the records
// they claim, undoing each change after checking the finding; then it covers an edited
// record up step by step, its entry's state hash and then the whole stored tree, which
// only the checkpoint kept outside the database tells from the truth.
func TestTamperEntries(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *testStore) {
		ts := newTamperStore(t, s)
		for _, tc := range []struct {
			name, column, value string
			entry               int64
			words               []string
		}{
			{"actor", "actor", "ivan", ts.at["link"], []string{"leaf hash", "edited"}},
			{"action", "action", "link.retract", ts.at["link"], []string{"leaf hash", "edited"}},
			{"time", "at", "2020-01-01T00:00:00.000000000Z", ts.at["reveal"], []string{"leaf hash"}},
			{"event's object", "object_id", "cas_elsewhere", ts.at["search"], []string{"leaf hash"}},
			// An event made a write: it has no records to match.
			{"event's action", "action", "person.register", ts.at["search"], []string{"records", "missing"}},
			// A write made an event: its records now claim an event.
			{"write's action", "action", "person.search.name", ts.at["identifier"], []string{"event", "identifiers"}},
		} {
			t.Run("edited "+tc.name, func(t *testing.T) {
				ts := ts.within(t)
				was := ts.queryString(`SELECT `+tc.column+` FROM audit_log WHERE seq = ?`, tc.entry)
				ts.exec(`UPDATE audit_log SET `+tc.column+` = ? WHERE seq = ?`, tc.value, tc.entry)
				_, f := ts.verify()
				wantFinding(t, f, tc.entry, tc.words...)
				ts.exec(`UPDATE audit_log SET `+tc.column+` = ? WHERE seq = ?`, was, tc.entry)
				ts.mustVerify(ts.checkpoint)
			})
		}

		t.Run("entry deleted", func(t *testing.T) {
			ts := ts.within(t)
			seq := ts.at["organisation"]
			saved := ts.cut("audit_log", `seq = ?`, seq)
			_, f := ts.verify()
			wantFinding(t, f, seq, "missing", fmt.Sprintf("entry %d comes where entry %d should", seq+1, seq))
			ts.putBack([]savedRows{saved})
			ts.mustVerify(ts.checkpoint)
		})

		for _, tc := range []struct {
			name  string
			a, b  int64
			words []string
		}{
			// Two writes: each one's records now fail the other's state hash.
			{"writes", ts.at["organisation"], ts.at["location"], []string{"no longer match"}},
			// Two events: they have no records, only the tree tells.
			{"events", ts.at["search"], ts.at["search again"], []string{"leaf hash", "swapped"}},
			{"write and event", ts.at["reveal"], ts.at["search"], []string{"event", "identity_access"}},
		} {
			t.Run("swapped "+tc.name, func(t *testing.T) {
				ts := ts.within(t)
				ts.swapEntries(tc.a, tc.b)
				_, f := ts.verify()
				wantFinding(t, f, min(tc.a, tc.b), tc.words...)
				ts.swapEntries(tc.a, tc.b)
				ts.mustVerify(ts.checkpoint)
			})
		}

		t.Run("record claims no entry", func(t *testing.T) {
			// A row slipped in under an entry number the log never had is found too.
			ts := ts.within(t)
			ts.exec(`INSERT INTO person_roles (id, person_id, case_id, role, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
				"prl_orphan", ts.suspect.ID, ts.f.c.ID, "guardian", "2025-01-01T00:00:00.000000000Z", -1)
			_, f := ts.verify()
			wantFinding(t, f, -1, "person_roles", "prl_orphan", "no entry")
			ts.exec(`DELETE FROM person_roles WHERE id = ?`, "prl_orphan")
			ts.mustVerify(ts.checkpoint)
		})

		t.Run("record claims an event", func(t *testing.T) {
			// An event creates no records: one that claims it was added behind the
			// server's back.
			ts := ts.within(t)
			seq := ts.at["search"]
			ts.exec(`INSERT INTO person_roles (id, person_id, case_id, role, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
				"prl_forged", ts.suspect.ID, ts.f.c.ID, "guardian", "2025-01-01T00:00:00.000000000Z", seq)
			_, f := ts.verify()
			wantFinding(t, f, seq, "event", "person_roles", "added")
			ts.exec(`DELETE FROM person_roles WHERE id = ?`, "prl_forged")
			ts.mustVerify(ts.checkpoint)
		})

		t.Run("records deleted", func(t *testing.T) {
			ts := ts.within(t)
			seq := ts.at["organisation"]
			saved := ts.deleteRecords(seq, seq+1)
			_, f := ts.verify()
			wantFinding(t, f, seq, "records", "organisation.register", "missing", "deleted")
			ts.putBack(saved)
			ts.mustVerify(ts.checkpoint)
		})

		t.Run("history rewritten", func(t *testing.T) {
			ts := ts.within(t)
			seq := ts.at["statement"]
			forged := "Words never said."
			sum := sha256.Sum256([]byte(forged))
			ts.exec(`UPDATE documents SET body = ?, body_sha256 = ? WHERE entry = ?`, forged, hex.EncodeToString(sum[:]), seq)
			_, f := ts.verify()
			wantFinding(t, f, seq, "documents", "no longer match")

			// The entry's state hash recomputed as a verifier does: the leaf changes.
			ts.exec(`UPDATE audit_log SET state_hash = ? WHERE seq = ?`, ts.recomputedHash(seq), seq)
			_, f = ts.verify()
			wantFinding(t, f, seq, "leaf hash")

			// The whole stored tree recomputed: the store agrees with itself, and only the
			// checkpoints tell. First the one stored in the database.
			ts.rewriteTree()
			_, f = ts.verify()
			wantFinding(t, f, -1, "latest stored checkpoint", "does not match", "rewritten")

			// The stored checkpoints deleted too: the one kept outside still tells.
			ts.exec(`DELETE FROM audit_checkpoints`)
			_, f = ts.verify(ts.checkpoint)
			wantFinding(t, f, -1, "checkpoint "+ts.checkpoint.Name, fmt.Sprintf("size %d", ts.size), "does not match", "rewritten")

			// Without it, nothing does: this is why checkpoints are given to others.
			rep := ts.mustVerify()
			if rep.Entries != ts.size || rep.Latest != nil {
				t.Errorf("rewritten log verifies as %d entries with checkpoint %+v; want %d entries and none", rep.Entries, rep.Latest, ts.size)
			}
		})
	})
}

// TestTamperTruncation deletes the newest entries: alone, without care for the stored
// tree (a later write then fails), and with care (their records, tree hashes and
// checkpoints too), which only a checkpoint kept outside tells.
func TestTamperTruncation(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *testStore) {
		ts := newTamperStore(t, s)
		from := ts.size - 3

		t.Run("entries only", func(t *testing.T) {
			ts := ts.within(t)
			saved := ts.cut("audit_log", `seq >= ?`, from)
			_, f := ts.verify()
			if f == nil {
				t.Fatal("verify passed after the last 3 entries were deleted")
			}
			if f.Entry < from || f.Entry >= ts.size || !strings.Contains(f.What, "deleted") {
				t.Errorf("finding %v; want one about entries %d to %d saying they were deleted", f, from, ts.size-1)
			}
			ts.putBack([]savedRows{saved})
			ts.mustVerify(ts.checkpoint)
		})

		t.Run("careless", func(t *testing.T) {
			ts := ts.within(t)
			saved := ts.truncate(from, true, false)
			_, f := ts.verify()
			wantFinding(t, f, -1, fmt.Sprintf("leaf for entry %d", from), "deleted")

			// The tree still holds the deleted entries' hashes: the next entry's cannot be
			// stored, and the write fails whole.
			before := ts.Snapshot()
			tree := ts.Count("audit_tree")
			_, err := ts.DB.RegisterOrganisation(ts.f.ctx, ts.f.c.ID, caseroom.NewOrganisation{Name: "After the cut"})
			if err == nil {
				t.Fatal("a write after a careless truncation succeeded")
			}
			if !strings.Contains(err.Error(), "truncated") {
				t.Errorf("write after a careless truncation: %v; want an error saying the log was truncated", err)
			}
			if diff := cmp.Diff(before, ts.Snapshot()); diff != "" {
				t.Errorf("the failed write changed the store (-before +after):\n%s", diff)
			}
			if n := ts.Count("audit_tree"); n != tree {
				t.Errorf("the failed write changed audit_tree: %d hashes, was %d", n, tree)
			}
			ts.putBack(saved)
			ts.mustVerify(ts.checkpoint)
		})

		t.Run("careful", func(t *testing.T) {
			ts := ts.within(t)
			ts.truncate(from, true, true)
			rep := ts.mustVerify()
			if rep.Entries != from {
				t.Fatalf("truncated log verifies as %d entries, want %d", rep.Entries, from)
			}
			_, f := ts.verify(ts.checkpoint)
			wantFinding(t, f, -1, "checkpoint "+ts.checkpoint.Name, "deleted", "truncated",
				fmt.Sprintf("entries %d to %d", from, ts.size-1))

			// The store goes on from the truncated log: a write works and verifies on
			// its own, but the checkpoint taken before still tells.
			if _, err := ts.DB.RegisterOrganisation(ts.f.ctx, ts.f.c.ID, caseroom.NewOrganisation{Name: "After the cut"}); err != nil {
				t.Fatalf("write after a careful truncation: %v", err)
			}
			if e := ts.lastEntry(); e.Seq != from {
				t.Errorf("write after the truncation is entry %d, want %d", e.Seq, from)
			}
			rep = ts.mustVerify()
			if rep.Entries != from+1 {
				t.Errorf("log verifies as %d entries, want %d", rep.Entries, from+1)
			}
			_, f = ts.verify(ts.checkpoint)
			wantFinding(t, f, -1, "checkpoint "+ts.checkpoint.Name, "truncated")
		})
	})
}

// TestTamperStoredTree edits, corrupts and deletes hashes of the stored tree.
func TestTamperStoredTree(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *testStore) {
		ts := newTamperStore(t, s)
		// An interior hash: the first one stored with an entry in the middle of the log.
		interior := tlog.StoredHashIndex(0, ts.size/2)
		level := 0
		for level == 0 {
			interior++
			level, _ = tlog.SplitStoredHashIndex(interior)
		}
		leafEntry := ts.at["link"]
		leaf := tlog.StoredHashIndex(0, leafEntry)
		forged := sha256.Sum256([]byte("forged"))

		for _, tc := range []struct {
			name  string
			idx   int64
			edit  func(s *testStore, idx int64)
			entry int64
			words []string
		}{
			{"interior hash replaced", interior, func(s *testStore, idx int64) {
				s.exec(`UPDATE audit_tree SET hash = ? WHERE idx = ?`, hex.EncodeToString(forged[:]), idx)
			}, -1, []string{fmt.Sprintf("stored tree hash %d (level %d)", interior, level), "does not match", "edited"}},
			{"interior hash corrupted", interior, func(s *testStore, idx int64) {
				s.exec(`UPDATE audit_tree SET hash = hash || 'x' WHERE idx = ?`, idx)
			}, -1, []string{fmt.Sprintf("stored tree hash %d", interior), "not a hex SHA-256"}},
			{"interior hash deleted", interior, func(s *testStore, idx int64) {
				s.exec(`DELETE FROM audit_tree WHERE idx = ?`, idx)
			}, -1, []string{fmt.Sprintf("stored tree hash %d (level %d)", interior, level), "missing"}},
			{"leaf hash replaced", leaf, func(s *testStore, idx int64) {
				s.exec(`UPDATE audit_tree SET hash = ? WHERE idx = ?`, hex.EncodeToString(forged[:]), idx)
			}, leafEntry, []string{"leaf hash", "edited"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ts := ts.within(t)
				was := ts.queryString(`SELECT hash FROM audit_tree WHERE idx = ?`, tc.idx)
				tc.edit(ts.testStore, tc.idx)
				_, f := ts.verify()
				wantFinding(t, f, tc.entry, tc.words...)
				ts.exec(`DELETE FROM audit_tree WHERE idx = ?`, tc.idx)
				ts.exec(`INSERT INTO audit_tree (idx, hash) VALUES (?, ?)`, tc.idx, was)
				ts.mustVerify(ts.checkpoint)
			})
		}
	})
}

// TestTamperProofs checks inclusion and consistency proofs against tree heads taken at
// two sizes, and that sizes outside the log are refused.
func TestTamperProofs(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *testStore) {
		ts := newTamperStore(t, s)
		ctx := context.Background()
		n1, root1, err := s.DB.TreeHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cp, _, err := audit.OpenCheckpoint(ts.checkpoint.Signed, ts.key.Verifier)
		if err != nil {
			t.Fatal(err)
		}
		if n1 != cp.Size || root1 != cp.Hash {
			t.Fatalf("tree head (%d, %x) differs from the checkpoint just made (%d, %x)", n1, root1, cp.Size, cp.Hash)
		}
		for _, name := range []string{"After one", "After two", "After three"} {
			if _, err := s.DB.RegisterOrganisation(ts.f.ctx, ts.f.c.ID, caseroom.NewOrganisation{Name: name}); err != nil {
				t.Fatal(err)
			}
		}
		n2, root2, err := s.DB.TreeHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n2 != n1+3 {
			t.Fatalf("tree head size %d after 3 writes on %d", n2, n1)
		}

		rows := s.auditRows()
		for _, head := range []struct {
			size int64
			root tlog.Hash
		}{{n1, root1}, {n2, root2}} {
			for i := int64(0); i < head.size; i++ {
				p, leaf, err := s.DB.ProveRecord(ctx, i, head.size)
				if err != nil {
					t.Fatalf("prove entry %d in %d: %v", i, head.size, err)
				}
				if want := leafHash(t, rows[i]); leaf != want {
					t.Errorf("entry %d: proof's leaf %x, the row hashes to %x", i, leaf, want)
				}
				if err := tlog.CheckRecord(p, head.size, head.root, i, leaf); err != nil {
					t.Errorf("inclusion of entry %d in %d: %v", i, head.size, err)
				}
				if i == 0 && head.size > 1 {
					if err := tlog.CheckRecord(p, head.size, head.root, i, leafHash(t, rows[1])); err == nil {
						t.Errorf("the proof of entry 0 in %d accepts entry 1's leaf", head.size)
					}
				}
			}
		}
		for old := int64(1); old <= n2; old++ {
			p, err := s.DB.ProveTree(ctx, old, n2)
			if err != nil {
				t.Fatalf("prove %d in %d: %v", old, n2, err)
			}
			oldRoot, err := tlog.TreeHash(old, tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
				return readTreeHashes(s, indexes)
			}))
			if err != nil {
				t.Fatal(err)
			}
			if err := tlog.CheckTree(p, n2, root2, old, oldRoot); err != nil {
				t.Errorf("consistency of %d with %d: %v", old, n2, err)
			}
		}
		p, err := s.DB.ProveTree(ctx, n1, n2)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckTree(p, n2, root2, n1, root1); err != nil {
			t.Errorf("consistency of the checkpointed head %d with %d: %v", n1, n2, err)
		}
		if err := tlog.CheckTree(p, n2, root2, n1, root2); err == nil {
			t.Errorf("the consistency proof of %d with %d accepts a wrong old root", n1, n2)
		}

		for _, tc := range []struct {
			name string
			call func() error
		}{
			{"record index -1", func() error { _, _, err := s.DB.ProveRecord(ctx, -1, n2); return err }},
			{"record index = size", func() error { _, _, err := s.DB.ProveRecord(ctx, n1, n1); return err }},
			{"record size beyond the log", func() error { _, _, err := s.DB.ProveRecord(ctx, 0, n2+1); return err }},
			{"tree old size 0", func() error { _, err := s.DB.ProveTree(ctx, 0, n2); return err }},
			{"tree old size beyond new", func() error { _, err := s.DB.ProveTree(ctx, n1+1, n1); return err }},
			{"tree new size beyond the log", func() error { _, err := s.DB.ProveTree(ctx, n1, n2+1); return err }},
		} {
			if err := tc.call(); caseroom.ErrorCode(err) != caseroom.EINVALID {
				t.Errorf("%s: %v, want %s", tc.name, err, caseroom.EINVALID)
			}
		}
	})
}

// readTreeHashes reads stored tree hashes from the raw connection.
func readTreeHashes(s *testStore, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		b, err := hex.DecodeString(s.queryString(`SELECT hash FROM audit_tree WHERE idx = ?`, x))
		if err != nil || len(b) != len(out[i]) {
			return nil, fmt.Errorf("stored hash %d: %v", x, err)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// TestTamperEntryColumn: a record's entry column edited to something that is no entry
// number (SQLite keeps whatever it is given) is a finding, not a crash of verify.
func TestTamperEntryColumn(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		if s.schema != "" {
			t.Skip("PostgreSQL's BIGINT column holds only integers")
		}
		ts := newTamperStore(t, s)
		ts.exec(`UPDATE cases SET entry = entry + 0.5`) // still inside the first window of entries
		_, f := ts.verify()
		wantFinding(t, f, -1, "cases", "not an entry number")
	})
}
