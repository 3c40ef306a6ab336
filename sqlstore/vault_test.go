package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
	"caseroom/sqlstore"
	"caseroom/vault"
)

// The identity canaries of TestIdentityAtRest: what a copy of the database must not
// show. Lower-case forms too, as the blind index works on normalised tokens.
var restCanaries = []string{
	"Canarywala", "canarywala", "Noorzadi", "noorzadi", "کنیری", "نورزادی",
	"Canaryparent", "canaryparent", "Canarystreet", "canarystreet",
	"Canarykins", "canarykins", "Canaryjaan", "canaryjaan", "2011-02-03", "7654321",
}

// restMarker is statement text, which is stored in clear: the control that shows the
// scan would find a canary if one were there.
const restMarker = "Statement-text-marker-Qz7w"

// TestIdentityAtRest writes a victim's identity full of canaries and looks for them in
// what an attacker with a copy of the database would have: the SQLite file and its
// WAL, read while the store is open and after it is closed, or a pg_dump of the
// PostgreSQL schema.
func TestIdentityAtRest(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")
		v := f.person(f.ctx, caseroom.NewPerson{
			Names:   []caseroom.PersonName{{Name: "Noorzadi Canarywala", Script: "Latn", Source: src.Ref}, {Name: "نورزادی کنیری", Script: "Arab"}},
			Aliases: []caseroom.Alias{{Alias: "Canarykins", Kind: "urf"}}, Roles: []caseroom.PersonRole{"victim", "complainant"},
			Sex: "female", DateOfBirth: "2011-02-03", Parents: []string{"Allah Ditta Canaryparent"}, Address: "House 7, Canarystreet, Dhok"})
		if len(v.Parents) > 0 || v.Address != "" || len(v.Names) > 0 || !v.IdentityHidden {
			t.Fatalf("registering a victim answered with their identity: %+v", v)
		}
		if _, err := s.DB.AddIdentifier(f.ctx, f.c.ID, v.ID, caseroom.NewIdentifier{Kind: "phone", Value: "+92 333 7654321", Source: src.Ref}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.AddAlias(f.ctx, f.c.ID, v.Pseudonym, caseroom.Alias{Alias: "Canaryjaan"}); err != nil {
			t.Fatal(err)
		}
		f.doc(f.ctx, caseroom.NewDocument{Kind: "statement", Title: "Statement of V-0001", Text: restMarker + " The child describes the events.",
			Giver: v.Pseudonym, RecordedAt: ptr(recorded)})
		// A search and a reveal must store nothing of the identity either.
		if ps, err := s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{Name: "Noorzadi Canarywala"}); err != nil || len(ps) != 1 {
			t.Fatalf("search for the canary: %v %v", ps, err)
		}
		revealed, err := s.DB.RevealIdentity(f.ctx, f.c.ID, "V-0001", "Protection planning.")
		if err != nil {
			t.Fatal(err)
		}
		if len(revealed.Names) != 2 || revealed.Names[1].Name != "نورزادی کنیری" || revealed.DateOfBirth != "2011-02-03" ||
			len(revealed.Identifiers) != 1 || revealed.Identifiers[0].Value != "+923337654321" || len(revealed.Aliases) != 2 ||
			len(revealed.Parents) != 1 || revealed.Parents[0] != "Allah Ditta Canaryparent" || revealed.Address != "House 7, Canarystreet, Dhok" {
			t.Fatalf("the canaries are not where the test expects them: %+v", revealed)
		}

		switch s.DB.Dialect() {
		case "sqlite":
			scanSQLite(t, s.dsn, "while the store is open")
			if err := s.DB.Close(); err != nil {
				t.Fatal(err)
			}
			scanSQLite(t, s.dsn, "after the store is closed")
			// With the last connection closed, SQLite folds the WAL into the file.
			if err := s.raw.Close(); err != nil {
				t.Fatal(err)
			}
			scanSQLite(t, s.dsn, "after every connection is closed")
		case "postgres":
			dump := pgDump(t, os.Getenv("CASEROOM_TEST_POSTGRES"), s.schema)
			checkAtRest(t, "pg_dump --schema="+s.schema, dump)
		default:
			t.Fatalf("no scan for %s", s.DB.Dialect())
		}
	})
}

// scanSQLite reads the database file and its WAL from disk and checks them.
func scanSQLite(t *testing.T, path, when string) {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) && p != path {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %s: %d bytes", filepath.Base(p), when, len(b))
		checkAtRest(t, filepath.Base(p)+" "+when, b)
		all = append(all, b...)
	}
	if !bytes.Contains(all, []byte(restMarker)) {
		t.Errorf("%s: the statement text is in neither the file nor the WAL; the scan cannot be trusted", when)
	}
}

// checkAtRest fails if raw holds any canary.
func checkAtRest(t *testing.T, what string, raw []byte) {
	t.Helper()
	for _, c := range restCanaries {
		if i := bytes.Index(raw, []byte(c)); i >= 0 {
			t.Errorf("%s holds the canary %q at byte %d", what, c, i)
		}
	}
}

// pgDump dumps one schema of the database at url.
func pgDump(t *testing.T, url, schema string) []byte {
	t.Helper()
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		bin = "/usr/lib/postgresql/15/bin/pg_dump"
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("pg_dump is needed to check the PostgreSQL store at rest: %v", err)
		}
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "--dbname="+url, "--schema="+schema, "--no-owner", "--no-privileges")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, stderr.Bytes())
	}
	if !bytes.Contains(out, []byte(restMarker)) {
		t.Fatalf("the dump of %s lacks the statement text; the scan cannot be trusted", schema)
	}
	return out
}

// TestVaultKeys checks the vault's key handling: a new store makes its key, only
// that key opens the store again, rotation re-wraps the keys and seals new values with
// a new data key, an interrupted rotation completes on the next open, and only an
// administrator may rotate.
func TestVaultKeys(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		f := newFixture(t, s, "alice", "Operation Alpha")
		root, err := s.DB.CreateUser(console, caseroom.NewUser{Name: "root", Password: "a long admin password", Admin: true})
		if err != nil {
			t.Fatal(err)
		}
		v1 := f.victim(f.ctx, "Noorzadi Canarywala")

		// nameOf reveals a victim's first name as the lead.
		nameOf := func(t *testing.T, v *caseroom.Person) string {
			t.Helper()
			p, err := s.DB.RevealIdentity(f.ctx, f.c.ID, v.ID, "Checking the vault.")
			if err != nil {
				t.Fatalf("reveal %s: %v", v.Pseudonym, err)
			}
			return p.Names[0].Name
		}
		// keyOf returns the id of the data key that sealed a victim's name.
		keyOf := func(t *testing.T, v *caseroom.Person) string {
			t.Helper()
			sealed := s.queryString(`SELECT name FROM person_names WHERE person_id = ?`, v.ID)
			parts := strings.Split(sealed, ":")
			if len(parts) != 3 || parts[0] != "v1" || parts[1] == "" {
				t.Fatalf("stored name %q is not a sealed value v1:<key>:<data>", sealed)
			}
			return parts[1]
		}
		dataKeys := func(t *testing.T) map[string]bool {
			t.Helper()
			keys := map[string]bool{}
			rows, err := s.raw.Query(`SELECT id FROM vault_keys WHERE purpose = 'data'`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				keys[id] = true
			}
			return keys
		}
		// wrapped lists the stored keys as stored, to show they did not change.
		wrapped := func(t *testing.T) string {
			t.Helper()
			return s.queryString(`SELECT COALESCE(STRING_AGG(id || '=' || wrapped, ','), '') FROM (SELECT id, wrapped FROM vault_keys ORDER BY id) k`)
		}
		readKey := func(t *testing.T, path string) []byte {
			t.Helper()
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		noFile := func(t *testing.T, path string) {
			t.Helper()
			if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s exists (%v), want no such file", path, err)
			}
		}
		// openFails opens the store with keyFile, which must fail naming it.
		openFails := func(t *testing.T, keyFile, want string) {
			t.Helper()
			db, err := sqlstore.Open(ctx, s.dsn, sqlstore.Options{KeyFile: keyFile})
			if err == nil {
				db.Close()
				t.Fatalf("the store opened with %s", keyFile)
			}
			if !strings.Contains(err.Error(), keyFile) || !strings.Contains(err.Error(), want) {
				t.Errorf("opening with %s: %q, want a message naming the key file and saying %q", keyFile, err, want)
			}
		}
		firstKey := readKey(t, s.keyFile)

		t.Run("a new store makes its key", func(t *testing.T) {
			st, err := os.Stat(s.keyFile)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
			}
			if !bytes.HasPrefix(firstKey, []byte("caseroom-vault-key v1\n")) {
				t.Errorf("key file starts %q", firstKey[:min(len(firstKey), 22)])
			}
			if n := s.Count("vault_keys"); n != 2 {
				t.Errorf("vault_keys = %d rows, want a data key and an index key", n)
			}
			if keys := dataKeys(t); !keys[keyOf(t, v1)] || len(keys) != 1 {
				t.Errorf("the name is sealed with %s, want the data key of %v", keyOf(t, v1), keys)
			}
			if e := s.entries()[0]; e.Action != "vault.init" || e.Actor != "console" {
				t.Errorf("first entry = %+v, want vault.init by console", e)
			}
		})

		t.Run("the same key opens the store again", func(t *testing.T) {
			s.Reopen()
			if got := nameOf(t, v1); got != "Noorzadi Canarywala" {
				t.Errorf("name after reopen = %q", got)
			}
			inits := 0
			for _, e := range s.entries() {
				if e.Action == "vault.init" {
					inits++
				}
			}
			if inits != 1 || s.Count("vault_keys") != 2 {
				t.Errorf("after reopening: %d vault.init entries and %d keys, want 1 and 2", inits, s.Count("vault_keys"))
			}
		})

		t.Run("another key does not open the store", func(t *testing.T) {
			other := filepath.Join(t.TempDir(), "other.key")
			_, encoded, err := vault.NewMasterKey()
			if err != nil {
				t.Fatal(err)
			}
			if err := vault.WriteKeyFile(other, encoded); err != nil {
				t.Fatal(err)
			}
			openFails(t, other, "not the key")
			if !bytes.Equal(readKey(t, other), encoded) {
				t.Error("a failed open changed the key file")
			}
			noFile(t, other+".new")
		})

		t.Run("a missing key file does not open the store", func(t *testing.T) {
			missing := filepath.Join(t.TempDir(), "vault.key")
			openFails(t, missing, "missing")
			noFile(t, missing) // an existing store never gets a new key
			if _, err := sqlstore.Open(ctx, s.dsn, sqlstore.Options{}); err == nil {
				t.Error("the store opened without a key file")
			}
		})

		t.Run("only an administrator rotates the key", func(t *testing.T) {
			ivan := f.member("ivan", caseroom.RoleInvestigator)
			before, keysBefore := s.Snapshot(), wrapped(t)
			for _, u := range []*caseroom.User{f.lead, ivan} {
				err := s.DB.RotateKey(as(u), s.keyFile)
				checkError(t, err, caseroom.EFORBIDDEN, "")
			}
			if !bytes.Equal(readKey(t, s.keyFile), firstKey) {
				t.Error("a refused rotation changed the key file")
			}
			noFile(t, s.keyFile+".new")
			if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
				t.Errorf("a refused rotation changed the store (-before +after):\n%s", diff)
			}
			if wrapped(t) != keysBefore {
				t.Error("a refused rotation re-wrapped the stored keys")
			}
			if got := nameOf(t, v1); got != "Noorzadi Canarywala" {
				t.Errorf("name after a refused rotation = %q", got)
			}
		})

		var v2 *caseroom.Person
		t.Run("rotation", func(t *testing.T) {
			oldKeys := dataKeys(t)
			oldWrapped := wrapped(t)
			if err := s.DB.RotateKey(console, s.keyFile); err != nil {
				t.Fatal(err)
			}
			rotated := readKey(t, s.keyFile)
			if bytes.Equal(rotated, firstKey) {
				t.Fatal("the key file did not change")
			}
			noFile(t, s.keyFile+".new")
			if e := s.lastEntry(); e.Action != "vault.rotate" || e.Actor != "console" {
				t.Errorf("last entry = %+v, want vault.rotate by console", e)
			}
			if wrapped(t) == oldWrapped {
				t.Error("the stored keys were not re-wrapped")
			}
			// Old values still open, in this process and after a restart.
			if got := nameOf(t, v1); got != "Noorzadi Canarywala" {
				t.Errorf("old name after rotation = %q", got)
			}
			// New values are sealed with the one new data key.
			v2 = f.in(t).victim(f.ctx, "Second Canary")
			newKeys := dataKeys(t)
			if len(newKeys) != len(oldKeys)+1 {
				t.Fatalf("data keys %v after rotation, want one more than %v", newKeys, oldKeys)
			}
			if k := keyOf(t, v2); oldKeys[k] || !newKeys[k] {
				t.Errorf("a new name is sealed with %s; want the new data key (old ones: %v)", k, oldKeys)
			}
			if keyOf(t, v1) == keyOf(t, v2) {
				t.Error("the new value's key id prefix did not change")
			}
			// The blind index key stays: names sealed before and after are found.
			ps, err := s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{Name: "canary"})
			if err != nil || len(ps) != 1 || ps[0].ID != v2.ID {
				t.Errorf("search after rotation: %v %v", ps, err)
			}
			ps, err = s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{Name: "canarywala"})
			if err != nil || len(ps) != 1 || ps[0].ID != v1.ID {
				t.Errorf("search for an older name after rotation: %v %v", ps, err)
			}

			s.Reopen()
			if a, b := nameOf(t, v1), nameOf(t, v2); a != "Noorzadi Canarywala" || b != "Second Canary" {
				t.Errorf("names after rotation and restart = %q, %q", a, b)
			}
			// The old key no longer opens the store.
			old := filepath.Join(t.TempDir(), "old.key")
			if err := os.WriteFile(old, firstKey, 0o600); err != nil {
				t.Fatal(err)
			}
			openFails(t, old, "not the key")
		})

		t.Run("an interrupted rotation completes on open", func(t *testing.T) {
			if v2 == nil {
				t.Skip("needs the rotation above")
			}
			before := readKey(t, s.keyFile)
			if err := s.DB.RotateKey(as(root), s.keyFile); err != nil { // an administrator, not only the console
				t.Fatal(err)
			}
			after := readKey(t, s.keyFile)
			// As if the process died after the database took the new wrapping but before
			// the new key file replaced the old.
			if err := os.Rename(s.keyFile, s.keyFile+".new"); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(s.keyFile, before, 0o600); err != nil {
				t.Fatal(err)
			}
			s.Reopen()
			if !bytes.Equal(readKey(t, s.keyFile), after) {
				t.Error("opening did not install the new key file")
			}
			noFile(t, s.keyFile+".new")
			v3 := f.in(t).victim(f.ctx, "Third Canary")
			if a, b, c := nameOf(t, v1), nameOf(t, v2), nameOf(t, v3); a != "Noorzadi Canarywala" || b != "Second Canary" || c != "Third Canary" {
				t.Errorf("names after a completed rotation = %q, %q, %q", a, b, c)
			}
			s.Reopen() // and the store opens normally from now on
			if got := nameOf(t, v3); got != "Third Canary" {
				t.Errorf("name after another restart = %q", got)
			}
		})
	})
}

// TestSealedValuesBoundToRow copies sealed values between rows behind the store's
// back: each must fail to open rather than show one person's identity as another's.
func TestSealedValuesBoundToRow(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		for i, tc := range []struct {
			name string
			// copy moves a sealed value of person a onto a row of person b.
			copy string
		}{
			{"a name onto another person's name", `UPDATE person_names SET name = (SELECT name FROM person_names WHERE person_id = ?) WHERE person_id = ?`},
			{"a name onto another person's alias", `UPDATE person_aliases SET alias = (SELECT name FROM person_names WHERE person_id = ?) WHERE person_id = ?`},
			{"a date of birth onto another person", `UPDATE persons SET date_of_birth = (SELECT date_of_birth FROM persons WHERE id = ?) WHERE id = ?`},
			{"an identifier onto another", `UPDATE identifiers SET value = (SELECT value FROM identifiers WHERE person_id = ?) WHERE person_id = ?`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				// A case of its own, so that one tampering does not spoil the next.
				f := newFixture(t, s, "lead"+string(rune('a'+i)), "Operation "+tc.name)
				src := f.complaint("First complaint")
				var ps [2]*caseroom.Person
				for j, name := range []string{"Gul Khan", "Shafiq Ahmed"} {
					ps[j] = f.person(f.ctx, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: name}}, Aliases: []caseroom.Alias{{Alias: "Alias " + name}},
						Roles: []caseroom.PersonRole{"suspect"}, DateOfBirth: "199" + string(rune('0'+j)) + "-01-01"})
					if _, err := s.DB.AddIdentifier(f.ctx, f.c.ID, ps[j].ID, caseroom.NewIdentifier{Kind: "phone", Value: "0300111222" + string(rune('0'+j)), Source: src.Ref}); err != nil {
						t.Fatal(err)
					}
				}
				a, b := ps[0], ps[1]
				s.exec(tc.copy, a.ID, b.ID)

				got, err := s.DB.FindPerson(f.ctx, f.c.ID, b.ID)
				if err == nil {
					t.Fatalf("a value copied from %s reads back as %s's: %+v", a.ID, b.ID, got)
				}
				if code := caseroom.ErrorCode(err); code != caseroom.EINTERNAL {
					t.Errorf("error code %s, want %s", code, caseroom.EINTERNAL)
				}
				if m := err.Error(); strings.Contains(m, "Gul Khan") || strings.Contains(m, "1990") || strings.Contains(m, "03001112220") {
					t.Errorf("the error shows a's identity: %s", m)
				}
				if _, err := s.DB.FindPersons(f.ctx, f.c.ID, caseroom.PersonFilter{}); err == nil {
					t.Error("FindPersons shows the case despite the moved value")
				}
				// a's own row is untouched and still opens.
				if p, err := s.DB.FindPerson(f.ctx, f.c.ID, a.ID); err != nil || p.Names[0].Name != "Gul Khan" {
					t.Errorf("the person the value came from: %+v %v", p, err)
				}
			})
		}
	})
}

// TestConcurrentRotations runs rotations at once, as two operators might: each one
// either completes or is refused with ECONFLICT, and the store always reopens with
// its key file.
func TestConcurrentRotations(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		u := mustUser(t, s, "alice")
		c, err := s.DB.CreateCase(as(u), caseroom.NewCase{Title: "Rotations"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.RegisterPerson(as(u), c.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Before Rotation"}}, Roles: []caseroom.PersonRole{caseroom.PersonVictim}}); err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 3; round++ {
			errs := make(chan error, 4)
			for i := 0; i < 4; i++ {
				go func() { errs <- s.DB.RotateKey(console, s.keyFile) }()
			}
			done := 0
			for i := 0; i < 4; i++ {
				err := <-errs
				switch caseroom.ErrorCode(err) {
				case "":
					done++
				case caseroom.ECONFLICT:
				default:
					t.Fatalf("round %d: rotation failed: %v", round, err)
				}
			}
			if done == 0 {
				t.Fatalf("round %d: no rotation completed", round)
			}
			s.Reopen()
			p, err := s.DB.RevealIdentity(as(u), c.ID, "V-0001", "check the rotation")
			if err != nil || len(p.Names) != 1 || p.Names[0].Name != "Before Rotation" {
				t.Fatalf("round %d: after rotation the name reads %+v, %v", round, p, err)
			}
		}
	})
}
