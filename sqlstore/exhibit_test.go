package sqlstore_test

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// This file holds the exhibits: their registration, their chains of custody, who may
// handle them, and the files found in them with where else each content was found.

// seized is when the exhibits of these tests were seized.
var seized = time.Date(2025, 6, 3, 9, 30, 0, 0, time.UTC)

// exhibitTables are the tables of exhibits and media, which Snapshot does not count.
var exhibitTables = []string{"exhibits", "custody_events", "contents", "media"}

// exhibitSnapshot is Snapshot with the exhibit and media tables.
func (s *testStore) exhibitSnapshot() map[string]int {
	s.t.Helper()
	out := s.Snapshot()
	for _, table := range exhibitTables {
		out[table] = s.Count(table)
	}
	return out
}

// refusedExhibit is refused for calls that may write exhibits, custody or media: it
// checks that no table changed, those included.
func refusedExhibit(t *testing.T, s *testStore, code, field string, call func() error) {
	t.Helper()
	before := s.exhibitSnapshot()
	checkError(t, call(), code, field)
	if diff := cmp.Diff(before, s.exhibitSnapshot()); diff != "" {
		t.Errorf("refused call changed the store (-before +after):\n%s", diff)
	}
}

// exhibit registers an exhibit acting as ctx.
func (f *fixture) exhibit(ctx context.Context, ne caseroom.NewExhibit) *caseroom.Exhibit {
	f.t.Helper()
	if ne.SeizedAt == nil {
		ne.SeizedAt = ptr(seized)
	}
	if ne.Kind == "" {
		ne.Kind = caseroom.ExhibitDisc
	}
	if ne.Description == "" {
		ne.Description = "Exhibit " + ne.Ref
	}
	x, err := f.s.DB.RegisterExhibit(ctx, f.c.ID, ne)
	if err != nil {
		f.t.Fatalf("register exhibit %s: %v", ne.Ref, err)
	}
	return x
}

// custody records a custody event acting as ctx.
func (f *fixture) custody(ctx context.Context, exhibit string, ev caseroom.NewCustodyEvent) *caseroom.Exhibit {
	f.t.Helper()
	x, err := f.s.DB.RecordCustody(ctx, f.c.ID, exhibit, ev)
	if err != nil {
		f.t.Fatalf("record %s on %s: %v", ev.Event, exhibit, err)
	}
	return x
}

// sinceSeizure is seized plus d, as a pointer for NewCustodyEvent.At.
func sinceSeizure(d time.Duration) *time.Time { return ptr(seized.Add(d)) }

func TestExhibitRegister(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Lantern")
		sus := f.suspect("Tomas Fictus")
		vic := f.victim(f.ctx, "Mira Example")
		if vic.Pseudonym == "" {
			t.Fatalf("victim got no pseudonym: %+v", vic)
		}

		phone, err := s.DB.RegisterExhibit(f.ctx, f.c.ID, caseroom.NewExhibit{Ref: " SB/1 ", Description: " Grey phone, cracked screen ",
			Kind: caseroom.ExhibitPhone, SeizedFrom: sus.ID, SeizedAt: ptr(seized), Place: "12 Example Lane", Seal: "EV-0001"})
		if err != nil {
			t.Fatal(err)
		}
		e := s.lastEntry()
		want := &caseroom.Exhibit{ID: phone.ID, CaseID: f.c.ID, Ref: "SB/1", Description: "Grey phone, cracked screen", Kind: caseroom.ExhibitPhone,
			SeizedFrom: sus.ID, SeizedFromLabel: "Tomas Fictus", SeizedBy: "sara", SeizedAt: seized, Place: "12 Example Lane", Holder: "sara",
			Custody: []*caseroom.CustodyEvent{{ID: phone.Custody[0].ID, Seq: 1, Event: caseroom.CustodySeized, By: "sara", At: seized,
				Place: "12 Example Lane", Seal: "EV-0001", Purpose: "seizure", RecordedBy: "sara", RecordedAt: phone.RegisteredAt}},
			RegisteredBy: "sara", RegisteredAt: phone.RegisteredAt}
		if diff := cmp.Diff(want, phone); diff != "" {
			t.Errorf("registered exhibit (-want +got):\n%s", diff)
		}
		if e.Action != "exhibit.register" || e.ObjectKind != "exhibit" || e.ObjectID != phone.ID || e.CaseID != f.c.ID || e.Actor != "sara" {
			t.Errorf("audit entry = %+v", e)
		}
		if n := s.entryRows(e.Seq); n != 2 {
			t.Errorf("the registration's entry covers %d rows, want 2 (the exhibit and its seizure)", n)
		}
		if got := s.recomputedHash(e.Seq); got != e.StateHash {
			t.Errorf("state hash %s, recomputed from the rows %s", e.StateHash, got)
		}

		// Seized from a victim, named by pseudonym: shown by pseudonym, never by name.
		disc := f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/2", Kind: caseroom.ExhibitDisc, SeizedFrom: vic.Pseudonym})
		if disc.SeizedFrom != vic.ID || disc.SeizedFromLabel != vic.Pseudonym {
			t.Errorf("seized from victim %s (%s): seizedFrom %q, label %q", vic.ID, vic.Pseudonym, disc.SeizedFrom, disc.SeizedFromLabel)
		}
		// Seized by someone else than the one registering: they hold it.
		laptop := f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/3", Kind: caseroom.ExhibitComputer, SeizedBy: "PC Ward", SeizedFrom: vic.ID})
		if laptop.SeizedBy != "PC Ward" || laptop.Holder != "PC Ward" || laptop.Custody[0].By != "PC Ward" || laptop.RegisteredBy != "sara" || laptop.Custody[0].RecordedBy != "sara" {
			t.Errorf("seized by PC Ward, registered by sara: %+v, seizure %+v", laptop, laptop.Custody[0])
		}

		// Found again by id and by reference, and listed in order of registration.
		for _, key := range []string{phone.ID, "SB/1"} {
			got, err := s.DB.FindExhibit(f.ctx, f.c.ID, key)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(phone, got); diff != "" {
				t.Errorf("FindExhibit(%s) differs from what was registered (-registered +found):\n%s", key, diff)
			}
		}
		all, err := s.DB.FindExhibits(f.ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]*caseroom.Exhibit{phone, disc, laptop}, all); diff != "" {
			t.Errorf("FindExhibits (-registered +found):\n%s", diff)
		}
		b, err := json.Marshal(all)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "Mira") {
			t.Errorf("the exhibits name the victim: %s", b)
		}

		// The same reference in another case is another exhibit.
		other, err := s.DB.CreateCase(f.ctx, caseroom.NewCase{Title: "Operation Ember"})
		if err != nil {
			t.Fatal(err)
		}
		x, err := s.DB.RegisterExhibit(f.ctx, other.ID, caseroom.NewExhibit{Ref: "SB/1", Description: "Another phone", Kind: caseroom.ExhibitPhone, SeizedAt: ptr(seized)})
		if err != nil {
			t.Fatalf("SB/1 in another case: %v", err)
		}
		if x.ID == phone.ID || x.CaseID != other.ID {
			t.Errorf("SB/1 of the other case = %+v", x)
		}
		if got, err := s.DB.FindExhibit(f.ctx, f.c.ID, "SB/1"); err != nil || got.ID != phone.ID {
			t.Errorf("SB/1 of the first case after the other's: %+v, %v", got, err)
		}
		if _, err := s.DB.FindExhibit(f.ctx, f.c.ID, x.ID); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			t.Errorf("the other case's exhibit found by id in the first: %v", err)
		}

		future := time.Now().Add(24 * time.Hour)
		for _, tc := range []struct {
			name        string
			ne          caseroom.NewExhibit
			code, field string
		}{
			{"a lower-case ref", caseroom.NewExhibit{Ref: "sb3"}, caseroom.EINVALID, "ref"},
			{"a ref numbered 0", caseroom.NewExhibit{Ref: "SB/0"}, caseroom.EINVALID, "ref"},
			{"a ref with a leading 0", caseroom.NewExhibit{Ref: "SB/03"}, caseroom.EINVALID, "ref"},
			{"no ref", caseroom.NewExhibit{Ref: ""}, caseroom.EINVALID, "ref"},
			{"a ref without initials", caseroom.NewExhibit{Ref: "/3"}, caseroom.EINVALID, "ref"},
			{"no description", caseroom.NewExhibit{Ref: "SB/9", Description: "  "}, caseroom.EINVALID, "description"},
			{"an unknown kind", caseroom.NewExhibit{Ref: "SB/9", Kind: "tablet"}, caseroom.EINVALID, "kind"},
			{"no seizure time", caseroom.NewExhibit{Ref: "SB/9", SeizedAt: &time.Time{}}, caseroom.EINVALID, "seizedAt"},
			{"a seizure in the future", caseroom.NewExhibit{Ref: "SB/9", SeizedAt: &future}, caseroom.EINVALID, "seizedAt"},
			{"an unknown pseudonym", caseroom.NewExhibit{Ref: "SB/9", SeizedFrom: "V-0099"}, caseroom.EINVALID, "seizedFrom"},
			{"an unknown person id", caseroom.NewExhibit{Ref: "SB/9", SeizedFrom: "per_nobody"}, caseroom.EINVALID, "seizedFrom"},
			{"a name for seizedFrom", caseroom.NewExhibit{Ref: "SB/9", SeizedFrom: "Tomas Fictus"}, caseroom.EINVALID, "seizedFrom"},
			{"a reference already used", caseroom.NewExhibit{Ref: "SB/2"}, caseroom.ECONFLICT, "ref"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				ne := tc.ne
				if ne.Description == "" {
					ne.Description = "A disc"
				}
				if ne.Kind == "" {
					ne.Kind = caseroom.ExhibitDisc
				}
				if ne.SeizedAt == nil {
					ne.SeizedAt = ptr(seized)
				} else if ne.SeizedAt.IsZero() {
					ne.SeizedAt = nil
				}
				refusedExhibit(t, s, tc.code, tc.field, func() error {
					_, err := s.DB.RegisterExhibit(f.ctx, f.c.ID, ne)
					return err
				})
			})
		}
		t.Run("refused: a person of another case", func(t *testing.T) {
			stranger, err := s.DB.RegisterPerson(f.ctx, other.ID, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "Otto Elsewhere", Script: "Latn"}},
				Roles: []caseroom.PersonRole{caseroom.PersonSuspect}})
			if err != nil {
				t.Fatal(err)
			}
			refusedExhibit(t, s, caseroom.EINVALID, "seizedFrom", func() error {
				_, err := s.DB.RegisterExhibit(f.ctx, f.c.ID, caseroom.NewExhibit{Ref: "SB/9", Description: "A disc", Kind: caseroom.ExhibitDisc, SeizedAt: ptr(seized), SeizedFrom: stranger.ID})
				return err
			})
		})
		t.Run("refused: an unknown case", func(t *testing.T) {
			refusedExhibit(t, s, caseroom.ENOTFOUND, "", func() error {
				_, err := s.DB.RegisterExhibit(f.ctx, "cas_nonexistent", caseroom.NewExhibit{Ref: "SB/9", Description: "A disc", Kind: caseroom.ExhibitDisc, SeizedAt: ptr(seized)})
				return err
			})
		})
	})
}

// TestExhibitRoles checks who may register exhibits and record their custody and
// media (the lead, investigators, indexers, examiners and the console), who may only
// read them (the other roles but the advocate), and who may not see them at all.
func TestExhibitRoles(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Lantern")
		sb1 := f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		one := []caseroom.NewMedia{fakeMedia("disk/a.bin", "content a")}

		for i, role := range []caseroom.Role{caseroom.RoleInvestigator, caseroom.RoleIndexer, caseroom.RoleExaminer} {
			t.Run("handles: "+string(role), func(t *testing.T) {
				f := f.in(t)
				u := f.member("user-"+string(role), role)
				ref := []string{"IV/1", "IX/1", "EX/1"}[i]
				x := f.exhibit(as(u), caseroom.NewExhibit{Ref: ref})
				if x.SeizedBy != u.Name || x.Holder != u.Name || x.RegisteredBy != u.Name {
					t.Errorf("exhibit registered by %s: %+v", u.Name, x)
				}
				x = f.custody(as(u), ref, caseroom.NewCustodyEvent{Event: caseroom.CustodySealed, At: sinceSeizure(time.Hour), Seal: "EV-9"})
				if last := x.Custody[len(x.Custody)-1]; last.By != u.Name || last.RecordedBy != u.Name {
					t.Errorf("sealed by %s: %+v", u.Name, last)
				}
				if n, err := s.DB.RecordMedia(as(u), f.c.ID, ref, one); err != nil || n != 1 {
					t.Errorf("RecordMedia as %s = %d, %v", role, n, err)
				}
			})
		}

		for _, role := range []caseroom.Role{caseroom.RoleProtection, caseroom.RoleMedical, caseroom.RoleProsecutor, caseroom.RoleOversight} {
			t.Run("reads only: "+string(role), func(t *testing.T) {
				f := f.in(t)
				ctx := as(f.member("user-"+string(role), role))
				refusedExhibit(t, s, caseroom.EFORBIDDEN, "", func() error {
					_, err := s.DB.RegisterExhibit(ctx, f.c.ID, caseroom.NewExhibit{Ref: "XX/1", Description: "A disc", Kind: caseroom.ExhibitDisc, SeizedAt: ptr(seized)})
					return err
				})
				refusedExhibit(t, s, caseroom.EFORBIDDEN, "", func() error {
					_, err := s.DB.RecordCustody(ctx, f.c.ID, "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, By: "sara", At: sinceSeizure(time.Hour)})
					return err
				})
				for _, files := range [][]caseroom.NewMedia{nil, one} {
					refusedExhibit(t, s, caseroom.EFORBIDDEN, "", func() error {
						_, err := s.DB.RecordMedia(ctx, f.c.ID, "SB/1", files)
						return err
					})
				}
				if xs, err := s.DB.FindExhibits(ctx, f.c.ID); err != nil || len(xs) == 0 {
					t.Errorf("FindExhibits as %s = %d exhibits, %v", role, len(xs), err)
				}
				if x, err := s.DB.FindExhibit(ctx, f.c.ID, "SB/1"); err != nil || x.ID != sb1.ID {
					t.Errorf("FindExhibit as %s = %+v, %v", role, x, err)
				}
				if _, err := s.DB.FindMedia(ctx, f.c.ID, caseroom.MediaFilter{}); err != nil {
					t.Errorf("FindMedia as %s: %v", role, err)
				}
				if _, err := s.DB.SummariseMedia(ctx, f.c.ID); err != nil {
					t.Errorf("SummariseMedia as %s: %v", role, err)
				}
			})
		}

		// An advocate reads their clients' records, not the case's exhibits and media;
		// a user who is not a member is told the case does not exist.
		for _, tc := range []struct {
			name string
			ctx  context.Context
			code string
		}{
			{"advocate", as(f.member("amina", caseroom.RoleAdvocate)), caseroom.EFORBIDDEN},
			{"not a member", as(mustUser(t, s, "nils")), caseroom.ENOTFOUND},
		} {
			t.Run("kept out: "+tc.name, func(t *testing.T) {
				refusedExhibit(t, s, tc.code, "", func() error {
					_, err := s.DB.RegisterExhibit(tc.ctx, f.c.ID, caseroom.NewExhibit{Ref: "XX/1", Description: "A disc", Kind: caseroom.ExhibitDisc, SeizedAt: ptr(seized)})
					return err
				})
				refusedExhibit(t, s, tc.code, "", func() error {
					_, err := s.DB.RecordCustody(tc.ctx, f.c.ID, "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, By: "sara", At: sinceSeizure(time.Hour)})
					return err
				})
				refusedExhibit(t, s, tc.code, "", func() error {
					_, err := s.DB.RecordMedia(tc.ctx, f.c.ID, "SB/1", nil)
					return err
				})
				for name, read := range map[string]func() error{
					"FindExhibits":   func() error { _, err := s.DB.FindExhibits(tc.ctx, f.c.ID); return err },
					"FindExhibit":    func() error { _, err := s.DB.FindExhibit(tc.ctx, f.c.ID, "SB/1"); return err },
					"FindMedia":      func() error { _, err := s.DB.FindMedia(tc.ctx, f.c.ID, caseroom.MediaFilter{}); return err },
					"SummariseMedia": func() error { _, err := s.DB.SummariseMedia(tc.ctx, f.c.ID); return err },
					"IngestedPaths":  func() error { _, err := s.DB.IngestedPaths(tc.ctx, f.c.ID, "SB/1"); return err },
				} {
					if got := caseroom.ErrorCode(read()); got != tc.code {
						t.Errorf("%s as %s: code %q, want %q", name, tc.name, got, tc.code)
					}
				}
			})
		}

		// The console (caseroom ingest at the server) handles every case's exhibits.
		t.Run("console", func(t *testing.T) {
			f := f.in(t)
			x := f.exhibit(console, caseroom.NewExhibit{Ref: "CO/1"})
			if x.SeizedBy != "console" || x.Holder != "console" || x.RegisteredBy != "console" {
				t.Errorf("registered at the console: %+v", x)
			}
			if e := s.lastEntry(); e.Actor != "console" || e.Action != "exhibit.register" || e.ObjectID != x.ID {
				t.Errorf("audit entry = %+v", e)
			}
			f.custody(console, "CO/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyTransferred, To: "sara", At: sinceSeizure(time.Hour)})
			if x := f.custody(f.ctx, "CO/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, At: sinceSeizure(2 * time.Hour)}); x.Holder != "sara" {
				t.Errorf("holder after the console handed it to sara: %q", x.Holder)
			}
			if n, err := s.DB.RecordMedia(console, f.c.ID, "CO/1", []caseroom.NewMedia{fakeMedia("card/a.bin", "content a")}); err != nil || n != 1 {
				t.Errorf("RecordMedia at the console = %d, %v", n, err)
			}
			if xs, err := s.DB.FindExhibits(console, f.c.ID); err != nil || len(xs) != 5 {
				t.Errorf("FindExhibits at the console = %d exhibits, %v; want 5", len(xs), err)
			}
			if sum, err := s.DB.SummariseMedia(console, f.c.ID); err != nil || sum.Files != 4 {
				t.Errorf("SummariseMedia at the console = %+v, %v; want 4 files", sum, err)
			}
			refusedExhibit(t, s, caseroom.ENOTFOUND, "", func() error {
				_, err := s.DB.RegisterExhibit(console, "cas_nonexistent", caseroom.NewExhibit{Ref: "CO/1", Description: "A disc", Kind: caseroom.ExhibitDisc, SeizedAt: ptr(seized)})
				return err
			})
			if _, err := s.DB.FindExhibits(console, "cas_nonexistent"); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
				t.Errorf("FindExhibits of an unknown case at the console: %v", err)
			}
		})
	})
}

// TestExhibitCustody follows an exhibit from its seizure to its return: each event is by
// whoever holds it, in order, and nothing follows the end of the chain.
func TestExhibitCustody(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Lantern")
		omar := f.member("omar", caseroom.RoleExaminer)
		ina := f.member("ina", caseroom.RoleIndexer)
		x := f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1", Kind: caseroom.ExhibitStorage})

		refuse := func(t *testing.T, ctx context.Context, ev caseroom.NewCustodyEvent, code, field, mention string) {
			t.Helper()
			refusedExhibit(t, s, code, field, func() error {
				_, err := s.DB.RecordCustody(ctx, f.c.ID, "SB/1", ev)
				if err != nil && mention != "" && !strings.Contains(caseroom.ErrorMessage(err), mention) {
					t.Errorf("error %q does not mention %q", caseroom.ErrorMessage(err), mention)
				}
				return err
			})
		}
		future := time.Now().Add(24 * time.Hour)

		// Held by sara, the seizer.
		x = f.custody(f.ctx, "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodySealed, At: sinceSeizure(time.Hour), Seal: "EV-0002", Place: "Station"})
		if x.Holder != "sara" {
			t.Errorf("holder after sealing = %q, want sara", x.Holder)
		}
		if e := s.lastEntry(); e.Action != "custody.record" || e.ObjectKind != "exhibit" || e.ObjectID != x.ID || s.recomputedHash(e.Seq) != e.StateHash {
			t.Errorf("audit entry of the sealing = %+v", e)
		}
		// An indexer records, for sara, what sara did.
		x = f.custody(as(ina), "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, By: "sara", At: sinceSeizure(90 * time.Minute), Purpose: "Look at the label"})
		if last := x.Custody[len(x.Custody)-1]; last.By != "sara" || last.RecordedBy != "ina" {
			t.Errorf("examination recorded by ina for sara: %+v", last)
		}
		for _, tc := range []struct {
			name                 string
			ctx                  context.Context
			ev                   caseroom.NewCustodyEvent
			code, field, mention string
		}{
			{"an event by someone not holding it", as(omar), caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, At: sinceSeizure(2 * time.Hour)}, caseroom.ECONFLICT, "by", "sara"},
			{"an event for someone not holding it", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyCopied, By: "omar", At: sinceSeizure(2 * time.Hour)}, caseroom.ECONFLICT, "by", "sara"},
			{"a transfer to nobody", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyTransferred, At: sinceSeizure(2 * time.Hour)}, caseroom.EINVALID, "to", ""},
			{"a return to nobody", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyReturned, To: "  ", At: sinceSeizure(2 * time.Hour)}, caseroom.EINVALID, "to", ""},
			{"an examination handing it on", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, To: "omar", At: sinceSeizure(2 * time.Hour)}, caseroom.EINVALID, "to", ""},
			{"a destruction handing it on", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyDestroyed, To: "omar", At: sinceSeizure(2 * time.Hour)}, caseroom.EINVALID, "to", ""},
			{"a second seizure", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodySeized, At: sinceSeizure(2 * time.Hour)}, caseroom.EINVALID, "event", ""},
			{"an unknown event", f.ctx, caseroom.NewCustodyEvent{Event: "lost", At: sinceSeizure(2 * time.Hour)}, caseroom.EINVALID, "event", ""},
			{"no time", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined}, caseroom.EINVALID, "at", ""},
			{"a time in the future", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, At: &future}, caseroom.EINVALID, "at", ""},
			{"an event before the last", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyCopied, At: sinceSeizure(80 * time.Minute)}, caseroom.ECONFLICT, "at", ""},
			{"an event before the seizure", f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyCopied, At: sinceSeizure(-time.Hour)}, caseroom.ECONFLICT, "at", ""},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) { refuse(t, tc.ctx, tc.ev, tc.code, tc.field, tc.mention) })
		}
		refusedExhibit(t, s, caseroom.ENOTFOUND, "", func() error {
			_, err := s.DB.RecordCustody(f.ctx, f.c.ID, "SB/9", caseroom.NewCustodyEvent{Event: caseroom.CustodySealed, At: sinceSeizure(2 * time.Hour)})
			return err
		})

		// sara hands it to omar, who then holds it; an event at the same time as the
		// last is in order.
		x = f.custody(f.ctx, "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyTransferred, To: "omar", At: sinceSeizure(2 * time.Hour), Purpose: "Examination"})
		if x.Holder != "omar" {
			t.Errorf("holder after the transfer = %q, want omar", x.Holder)
		}
		t.Run("refused: the former holder", func(t *testing.T) {
			refuse(t, f.ctx, caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, At: sinceSeizure(3 * time.Hour)}, caseroom.ECONFLICT, "by", "omar")
		})
		f.custody(as(omar), "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, At: sinceSeizure(2 * time.Hour)})
		f.custody(as(omar), "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyCopied, At: sinceSeizure(3 * time.Hour), Purpose: "Forensic image"})
		x = f.custody(as(omar), "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyReturned, To: "Owner's solicitor", At: sinceSeizure(4 * time.Hour)})
		if x.Holder != "" {
			t.Errorf("holder after the return = %q, want none", x.Holder)
		}
		wantChain := []struct {
			event   caseroom.CustodyEventKind
			by, to  string
			at      time.Duration
			recBy   string
			purpose string
		}{
			{caseroom.CustodySeized, "sara", "", 0, "sara", "seizure"},
			{caseroom.CustodySealed, "sara", "", time.Hour, "sara", ""},
			{caseroom.CustodyExamined, "sara", "", 90 * time.Minute, "ina", "Look at the label"},
			{caseroom.CustodyTransferred, "sara", "omar", 2 * time.Hour, "sara", "Examination"},
			{caseroom.CustodyExamined, "omar", "", 2 * time.Hour, "omar", ""},
			{caseroom.CustodyCopied, "omar", "", 3 * time.Hour, "omar", "Forensic image"},
			{caseroom.CustodyReturned, "omar", "Owner's solicitor", 4 * time.Hour, "omar", ""},
		}
		if len(x.Custody) != len(wantChain) {
			t.Fatalf("chain has %d events, want %d", len(x.Custody), len(wantChain))
		}
		for i, w := range wantChain {
			ev := x.Custody[i]
			if ev.Seq != i+1 || ev.Event != w.event || ev.By != w.by || ev.To != w.to || !ev.At.Equal(seized.Add(w.at)) || ev.RecordedBy != w.recBy || ev.Purpose != w.purpose {
				t.Errorf("event %d = %+v, want seq %d %+v", i, ev, i+1, w)
			}
		}
		if got, err := s.DB.FindExhibit(f.ctx, f.c.ID, x.ID); err != nil {
			t.Fatal(err)
		} else if diff := cmp.Diff(x, got); diff != "" {
			t.Errorf("FindExhibit after the chain (-recorded +found):\n%s", diff)
		}

		// Nothing follows the return, not even by its last holder.
		for _, ev := range []caseroom.NewCustodyEvent{
			{Event: caseroom.CustodyExamined, At: sinceSeizure(5 * time.Hour)},
			{Event: caseroom.CustodyTransferred, To: "sara", At: sinceSeizure(5 * time.Hour)},
			{Event: caseroom.CustodyDestroyed, At: sinceSeizure(5 * time.Hour)},
			{Event: caseroom.CustodyReturned, To: "omar", At: sinceSeizure(5 * time.Hour)},
		} {
			t.Run("refused after the return: "+string(ev.Event), func(t *testing.T) {
				refuse(t, as(omar), ev, caseroom.ECONFLICT, "", "returned")
				refuse(t, as(omar), caseroom.NewCustodyEvent{Event: ev.Event, To: ev.To, By: "Owner's solicitor", At: ev.At}, caseroom.ECONFLICT, "", "returned")
			})
		}

		// A destroyed exhibit has no holder and its chain has ended.
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/2"})
		y := f.custody(f.ctx, "SB/2", caseroom.NewCustodyEvent{Event: caseroom.CustodyDestroyed, At: sinceSeizure(time.Hour), Purpose: "Court order"})
		if y.Holder != "" {
			t.Errorf("holder after destruction = %q", y.Holder)
		}
		refusedExhibit(t, s, caseroom.ECONFLICT, "", func() error {
			_, err := s.DB.RecordCustody(f.ctx, f.c.ID, "SB/2", caseroom.NewCustodyEvent{Event: caseroom.CustodySealed, At: sinceSeizure(2 * time.Hour)})
			return err
		})

		// Each exhibit keeps its own chain, numbered from 1.
		xs, err := s.DB.FindExhibits(f.ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(xs) != 2 || xs[0].Ref != "SB/1" || xs[1].Ref != "SB/2" {
			t.Fatalf("FindExhibits = %v", exhibitRefs(xs))
		}
		if diff := cmp.Diff(x, xs[0]); diff != "" {
			t.Errorf("SB/1 as listed (-recorded +listed):\n%s", diff)
		}
		if len(xs[1].Custody) != 2 || xs[1].Custody[0].Seq != 1 || xs[1].Custody[1].Seq != 2 {
			t.Errorf("SB/2's chain = %+v", xs[1].Custody)
		}
	})
}

func exhibitRefs(xs []*caseroom.Exhibit) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Ref)
	}
	return out
}

// fakeMedia is a file at p whose content is the text content (never stored: only its
// digests and size are recorded).
func fakeMedia(p, content string) caseroom.NewMedia {
	s256, s1, m5 := sha256.Sum256([]byte(content)), sha1.Sum([]byte(content)), md5.Sum([]byte(content))
	return caseroom.NewMedia{Path: p, SHA256: hex.EncodeToString(s256[:]), SHA1: hex.EncodeToString(s1[:]), MD5: hex.EncodeToString(m5[:]),
		Size: int64(len(content)), MIME: "application/octet-stream"}
}

// TestExhibitMedia records files in two exhibits, some holding the same content, and checks
// that each file is listed with where else its content was found, and counted once as
// a content.
func TestExhibitMedia(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Lantern")
		sb1 := f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/2", Kind: caseroom.ExhibitPhone})
		const a, b, c = "content a: a gradient", "content b, somewhat longer than a", "c"
		modified := time.Date(2024, 2, 29, 23, 59, 58, 0, time.UTC)
		taken := time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC)

		disk := []caseroom.NewMedia{fakeMedia("disk/a.png", a), fakeMedia("disk/b.bin", b), fakeMedia("disk/copies/a-copy.png", a)}
		disk[0].ModTime, disk[0].MIME = &modified, "image/png"
		disk[0].Meta = caseroom.MediaMeta{Width: 64, Height: 48, Camera: "Examplecam 1", TakenAt: &taken, Orientation: 1}
		phone := []caseroom.NewMedia{fakeMedia("phone/DCIM/a.png", a), fakeMedia("phone/c.txt", c)}

		before := len(s.entries())
		if n, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", disk); err != nil || n != 3 {
			t.Fatalf("RecordMedia SB/1 = %d, %v; want 3", n, err)
		}
		if n, err := s.DB.RecordMedia(f.ctx, f.c.ID, sb1.ID, nil); err != nil || n != 0 {
			t.Fatalf("RecordMedia with no files = %d, %v", n, err)
		}
		if n, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/2", phone); err != nil || n != 2 {
			t.Fatalf("RecordMedia SB/2 = %d, %v; want 2", n, err)
		}

		// Every file has its own audit entry, whose hash its rows reproduce: the first
		// file of a content with the content, the others alone.
		es := s.entries()[before:]
		if len(es) != 5 {
			t.Fatalf("recording 5 files appended %d audit entries, want 5", len(es))
		}
		ids := map[string]bool{}
		for i, e := range es {
			if e.Action != "media.ingest" || e.ObjectKind != "media" || e.CaseID != f.c.ID || e.Actor != "sara" || ids[e.ObjectID] {
				t.Errorf("entry %d = %+v", i, e)
			}
			ids[e.ObjectID] = true
			if got := s.recomputedHash(e.Seq); got != e.StateHash {
				t.Errorf("entry %d: state hash %s, recomputed from the rows %s", i, e.StateHash, got)
			}
			wantRows := map[int]int{0: 2, 1: 2, 2: 1, 3: 1, 4: 2}[i]
			if n := s.entryRows(e.Seq); n != wantRows {
				t.Errorf("entry %d covers %d rows, want %d", i, n, wantRows)
			}
		}

		ms, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byPath := map[string]*caseroom.Media{}
		for _, m := range ms {
			byPath[m.Path] = m
			if !ids[m.ID] {
				t.Errorf("media %s (%s) has no audit entry of its own", m.ID, m.Path)
			}
		}
		if len(ms) != 5 || len(byPath) != 5 {
			t.Fatalf("FindMedia = %d files (%d paths), want 5", len(ms), len(byPath))
		}
		loc := func(ref, p string) caseroom.MediaLocation {
			return caseroom.MediaLocation{MediaID: byPath[p].ID, ExhibitRef: ref, Path: p}
		}
		wantAlso := map[string][]caseroom.MediaLocation{
			"disk/a.png":             {loc("SB/1", "disk/copies/a-copy.png"), loc("SB/2", "phone/DCIM/a.png")},
			"disk/b.bin":             {},
			"disk/copies/a-copy.png": {loc("SB/1", "disk/a.png"), loc("SB/2", "phone/DCIM/a.png")},
			"phone/DCIM/a.png":       {loc("SB/1", "disk/a.png"), loc("SB/1", "disk/copies/a-copy.png")},
			"phone/c.txt":            {},
		}
		for p, want := range wantAlso {
			if diff := cmp.Diff(want, byPath[p].AlsoFoundIn); diff != "" {
				t.Errorf("%s: also found in (-want +got):\n%s", p, diff)
			}
		}
		got := byPath["disk/a.png"]
		want := &caseroom.Media{ID: got.ID, CaseID: f.c.ID, ExhibitID: sb1.ID, ExhibitRef: "SB/1", Path: "disk/a.png", ModTime: &modified,
			SHA256: disk[0].SHA256, SHA1: disk[0].SHA1, MD5: disk[0].MD5, Size: int64(len(a)), MIME: "image/png", Meta: disk[0].Meta,
			IngestedBy: "sara", IngestedAt: got.IngestedAt, AlsoFoundIn: got.AlsoFoundIn, Matches: []caseroom.MediaMatch{}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("media (-want +got):\n%s", diff)
		}
		// A copy shows the content as first recorded.
		if cp := byPath["phone/DCIM/a.png"]; cp.ExhibitRef != "SB/2" || cp.MIME != "image/png" || cp.Meta.Width != 64 || cp.ModTime != nil || cp.SHA1 != disk[0].SHA1 {
			t.Errorf("copy = %+v", cp)
		}

		// One exhibit's files, still with the copies found elsewhere; and pages.
		ms2, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{ExhibitID: "SB/2"})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms2) != 2 {
			t.Fatalf("FindMedia SB/2 = %d files, want 2", len(ms2))
		}
		for _, m := range ms2 {
			if diff := cmp.Diff(wantAlso[m.Path], m.AlsoFoundIn); m.ExhibitRef != "SB/2" || diff != "" {
				t.Errorf("SB/2 file %s: exhibit %s, also found in (-want +got):\n%s", m.Path, m.ExhibitRef, diff)
			}
		}
		var paged []*caseroom.Media
		for after := ""; ; {
			page, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{Limit: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			if len(page) > 2 {
				t.Fatalf("a page of 2 has %d files", len(page))
			}
			paged = append(paged, page...)
			after = page[len(page)-1].ID
		}
		if diff := cmp.Diff(ms, paged); diff != "" {
			t.Errorf("FindMedia by pages of 2 (-all at once +paged):\n%s", diff)
		}
		if _, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{ExhibitID: "SB/9"}); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			t.Errorf("FindMedia of an unknown exhibit: %v", err)
		}

		wantSum := &caseroom.MediaSummary{Files: 5, Unique: 3, Copies: 2, Bytes: int64(3*len(a) + len(b) + len(c)), UniqueBytes: int64(len(a) + len(b) + len(c))}
		sum, err := s.DB.SummariseMedia(f.ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantSum, sum); diff != "" {
			t.Errorf("summary (-want +got):\n%s", diff)
		}

		// Another case holding one of the contents: each case sees only its own files.
		other, err := s.DB.CreateCase(f.ctx, caseroom.NewCase{Title: "Operation Ember"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.RegisterExhibit(f.ctx, other.ID, caseroom.NewExhibit{Ref: "KM/1", Description: "Card", Kind: caseroom.ExhibitStorage, SeizedAt: ptr(seized)}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.DB.RecordMedia(f.ctx, other.ID, "KM/1", []caseroom.NewMedia{fakeMedia("card/a.png", a)}); err != nil || n != 1 {
			t.Fatalf("RecordMedia in the other case = %d, %v", n, err)
		}
		if sum, err := s.DB.SummariseMedia(f.ctx, f.c.ID); err != nil || cmp.Diff(wantSum, sum) != "" {
			t.Errorf("summary after another case recorded a copy = %+v, %v; want %+v", sum, err, wantSum)
		}
		if sum, err := s.DB.SummariseMedia(f.ctx, other.ID); err != nil || cmp.Diff(&caseroom.MediaSummary{Files: 1, Unique: 1, Bytes: int64(len(a)), UniqueBytes: int64(len(a))}, sum) != "" {
			t.Errorf("summary of the other case = %+v, %v", sum, err)
		}
		if again, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{}); err != nil || cmp.Diff(ms, again) != "" {
			t.Errorf("FindMedia after another case recorded a copy differs: %v, %s", err, cmp.Diff(ms, again))
		}
		om, err := s.DB.FindMedia(f.ctx, other.ID, caseroom.MediaFilter{})
		if err != nil || len(om) != 1 || len(om[0].AlsoFoundIn) != 0 {
			t.Errorf("the other case's file = %+v, %v; want no copies from another case", om, err)
		}

		// A path already recorded is left as it is, whatever content it is given now;
		// the same path twice in one call is recorded once.
		before2 := s.exhibitSnapshot()
		if n, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", []caseroom.NewMedia{fakeMedia("disk/a.png", a), fakeMedia("disk/b.bin", "other content")}); err != nil || n != 0 {
			t.Errorf("recording paths again = %d, %v; want 0, nil", n, err)
		}
		if diff := cmp.Diff(before2, s.exhibitSnapshot()); diff != "" {
			t.Errorf("recording paths again changed the store (-before +after):\n%s", diff)
		}
		if n, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", []caseroom.NewMedia{fakeMedia("disk/d.bin", "d"), fakeMedia("disk/d.bin", "e")}); err != nil || n != 1 {
			t.Errorf("one path twice in a call = %d, %v; want 1", n, err)
		}
		// The same path in another exhibit is another file.
		if n, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/2", []caseroom.NewMedia{fakeMedia("disk/a.png", a)}); err != nil || n != 1 {
			t.Errorf("an SB/1 path in SB/2 = %d, %v; want 1", n, err)
		}

		paths, err := s.DB.IngestedPaths(f.ctx, f.c.ID, "SB/1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]int64{"disk/a.png": int64(len(a)), "disk/b.bin": int64(len(b)), "disk/copies/a-copy.png": int64(len(a)), "disk/d.bin": 1}, paths); diff != "" {
			t.Errorf("IngestedPaths SB/1 (-want +got):\n%s", diff)
		}
		if _, err := s.DB.IngestedPaths(f.ctx, f.c.ID, "SB/9"); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			t.Errorf("IngestedPaths of an unknown exhibit: %v", err)
		}
		for content, want := range map[string]bool{a: true, c: true, "d": true, "e": false, "never seen": false} {
			if has, err := s.DB.HasContent(f.ctx, fakeMedia("x", content).SHA256); err != nil || has != want {
				t.Errorf("HasContent(%q) = %v, %v; want %v", content, has, err, want)
			}
		}

		// Refused: malformed files (the whole call), a role that may not, an unknown
		// exhibit or case.
		prosecutor := as(f.member("pia", caseroom.RoleProsecutor))
		nbad := 0
		bad := func(edit func(m *caseroom.NewMedia)) []caseroom.NewMedia {
			nbad++ // paths of their own, should one case be recorded
			m := fakeMedia(fmt.Sprintf("disk/new-%d.bin", nbad), "new content")
			edit(&m)
			return []caseroom.NewMedia{fakeMedia(fmt.Sprintf("disk/fine-%d.bin", nbad), "fine content"), m}
		}
		for _, tc := range []struct {
			name        string
			ctx         context.Context
			exhibit     string
			files       []caseroom.NewMedia
			code, field string
		}{
			{"no path", f.ctx, "SB/1", bad(func(m *caseroom.NewMedia) { m.Path = "" }), caseroom.EINVALID, "files[1].path"},
			{"a short sha256", f.ctx, "SB/1", bad(func(m *caseroom.NewMedia) { m.SHA256 = m.SHA256[:63] }), caseroom.EINVALID, "files[1]"},
			{"a short sha1", f.ctx, "SB/1", bad(func(m *caseroom.NewMedia) { m.SHA1 = m.SHA1[:39] }), caseroom.EINVALID, "files[1]"},
			{"no md5", f.ctx, "SB/1", bad(func(m *caseroom.NewMedia) { m.MD5 = "" }), caseroom.EINVALID, "files[1]"},
			{"a sha256 not in hex", f.ctx, "SB/1", bad(func(m *caseroom.NewMedia) { m.SHA256 = strings.Repeat("zz", 32) }), caseroom.EINVALID, "files[1]"},
			{"a sha256 in upper case", f.ctx, "SB/1", bad(func(m *caseroom.NewMedia) { m.SHA256 = strings.ToUpper(m.SHA256) }), caseroom.EINVALID, "files[1]"},
			{"an md5 not in hex", f.ctx, "SB/1", bad(func(m *caseroom.NewMedia) { m.MD5 = strings.Repeat("-", 32) }), caseroom.EINVALID, "files[1]"},
			{"a negative size", f.ctx, "SB/1", bad(func(m *caseroom.NewMedia) { m.Size = -1 }), caseroom.EINVALID, "files[1].size"},
			{"a prosecutor, no files", prosecutor, "SB/1", nil, caseroom.EFORBIDDEN, ""},
			{"a prosecutor", prosecutor, "SB/1", bad(func(*caseroom.NewMedia) {}), caseroom.EFORBIDDEN, ""},
			{"an unknown exhibit", f.ctx, "SB/9", bad(func(*caseroom.NewMedia) {}), caseroom.ENOTFOUND, ""},
			{"an unknown exhibit, no files", f.ctx, "SB/9", nil, caseroom.ENOTFOUND, ""},
			{"another case's exhibit", f.ctx, "KM/1", nil, caseroom.ENOTFOUND, ""},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refusedExhibit(t, s, tc.code, tc.field, func() error {
					_, err := s.DB.RecordMedia(tc.ctx, f.c.ID, tc.exhibit, tc.files)
					return err
				})
			})
		}
		if _, err := s.DB.RecordMedia(f.ctx, "cas_nonexistent", "SB/1", nil); caseroom.ErrorCode(err) != caseroom.ENOTFOUND {
			t.Errorf("RecordMedia in an unknown case: %v", err)
		}
	})
}

// TestMediaFilters checks that every filter of FindMedia, alone and combined, lists
// exactly the files of the unfiltered list that pass it, in the same order and with
// the same facts, and that paging through a filtered list misses and repeats nothing.
func TestMediaFilters(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Mirror")
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/2"})
		console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
		const x = "f8f8f0cee0f4a84f06370a22028f67f0b36e2ed596621e1d33e6b39c4e9c9b22"
		far := strings.Repeat("0", 64)
		known := fakeMedia("docs/known.bin", "a listed document")
		if _, err := s.DB.ImportHashSet(console, knownSet("National list",
			caseroom.KnownHash{MediaID: "1", Category: "1", PDQ: x}, caseroom.KnownHash{MediaID: "2", Category: "2", MD5: known.MD5})); err != nil {
			t.Fatal(err)
		}
		// Three near-duplicates of the listed image (a cluster, all matching the set);
		// two images near each other only (a second cluster); one image alone.
		near := func(p, content, h string) caseroom.NewMedia {
			m := fakeMedia(p, content)
			m.Image = imageHash(h, 90)
			return m
		}
		sb1 := []caseroom.NewMedia{near("a.jpg", "a", flip(x, 3)), near("b.jpg", "b", flip(x, 5)), near("d.jpg", "d", far), known, fakeMedia("plain.txt", "plain")}
		sb2 := []caseroom.NewMedia{near("c.jpg", "c", flip(x, 7)), near("e.jpg", "e", flip(far, 2)), near("copy-of-a.jpg", "a", flip(x, 3)),
			near("alone.jpg", "alone", flip(far, 128))}
		if _, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", sb1); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/2", sb2); err != nil {
			t.Fatal(err)
		}
		all, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byPath := map[string]*caseroom.Media{}
		for _, m := range all {
			byPath[m.Path] = m
		}
		lake, dark := byPath["a.jpg"].Cluster, byPath["d.jpg"].Cluster
		if lake == "" || dark == "" || lake == dark || byPath["c.jpg"].Cluster != lake || byPath["e.jpg"].Cluster != dark || byPath["alone.jpg"].Cluster != "" {
			t.Fatalf("the fixture's clusters are not as meant: a %q, c %q, d %q, e %q, alone %q", lake, byPath["c.jpg"].Cluster, dark, byPath["e.jpg"].Cluster, byPath["alone.jpg"].Cluster)
		}
		matchedKnown := func(m *caseroom.Media) bool {
			for _, mm := range m.Matches {
				if mm.Kind == "known" {
					return true
				}
			}
			return false
		}
		sb2ID := byPath["c.jpg"].ExhibitID
		for _, tc := range []struct {
			name   string
			filter caseroom.MediaFilter
			keep   func(m *caseroom.Media) bool
			want   int
		}{
			{"one file by id", caseroom.MediaFilter{ID: byPath["b.jpg"].ID}, func(m *caseroom.Media) bool { return m.Path == "b.jpg" }, 1},
			{"a cluster", caseroom.MediaFilter{Cluster: lake}, func(m *caseroom.Media) bool { return m.Cluster == lake }, 4},
			{"the other cluster", caseroom.MediaFilter{Cluster: dark}, func(m *caseroom.Media) bool { return m.Cluster == dark }, 2},
			{"an unknown cluster", caseroom.MediaFilter{Cluster: strings.Repeat("f", 64)}, func(*caseroom.Media) bool { return false }, 0},
			{"matched known", caseroom.MediaFilter{MatchedKnown: true}, matchedKnown, 5},
			{"a cluster in an exhibit", caseroom.MediaFilter{Cluster: lake, ExhibitID: "SB/2"}, func(m *caseroom.Media) bool { return m.Cluster == lake && m.ExhibitID == sb2ID }, 2},
			{"a cluster matched known", caseroom.MediaFilter{Cluster: dark, MatchedKnown: true}, func(*caseroom.Media) bool { return false }, 0},
			{"a file by id outside the cluster", caseroom.MediaFilter{ID: byPath["d.jpg"].ID, Cluster: lake}, func(*caseroom.Media) bool { return false }, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				want := []*caseroom.Media{}
				for _, m := range all {
					if tc.keep(m) {
						want = append(want, m)
					}
				}
				if len(want) != tc.want {
					t.Fatalf("the fixture has %d such files, want %d", len(want), tc.want)
				}
				got, err := s.DB.FindMedia(f.ctx, f.c.ID, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("filtered (-unfiltered, kept +filtered):\n%s", diff)
				}
				paged := []*caseroom.Media{}
				for p := tc.filter; ; {
					p.Limit = 1
					page, err := s.DB.FindMedia(f.ctx, f.c.ID, p)
					if err != nil {
						t.Fatal(err)
					}
					if len(page) == 0 {
						break
					}
					paged = append(paged, page...)
					p.After = page[len(page)-1].ID
				}
				if diff := cmp.Diff(want, paged); diff != "" {
					t.Errorf("paged by one (-at once +paged):\n%s", diff)
				}
			})
		}
	})
}

// TestExhibitFileCounts checks that an exhibit, listed or read, counts the files
// recorded as found in it, and only those.
func TestExhibitFileCounts(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Mirror")
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/2"})
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/3"})
		if _, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", []caseroom.NewMedia{fakeMedia("a", "a"), fakeMedia("b", "b"), fakeMedia("copy of a", "a")}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/2", []caseroom.NewMedia{fakeMedia("a", "a")}); err != nil {
			t.Fatal(err)
		}
		// Another case's exhibit of the same reference, with files of its own.
		g := newFixture(t, s, "gul", "Operation Kestrel")
		g.exhibit(g.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		if _, err := s.DB.RecordMedia(g.ctx, g.c.ID, "SB/1", []caseroom.NewMedia{fakeMedia("a", "a"), fakeMedia("z", "z")}); err != nil {
			t.Fatal(err)
		}
		xs, err := s.DB.FindExhibits(f.ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, x := range xs {
			got[x.Ref] = x.Files
		}
		if diff := cmp.Diff(map[string]int64{"SB/1": 3, "SB/2": 1, "SB/3": 0}, got); diff != "" {
			t.Errorf("files by exhibit (-want +got):\n%s", diff)
		}
		for ref, want := range map[string]int64{"SB/1": 3, "SB/3": 0} {
			if x, err := s.DB.FindExhibit(f.ctx, f.c.ID, ref); err != nil || x.Files != want {
				t.Errorf("FindExhibit %s: %v; files %d, want %d", ref, err, x.Files, want)
			}
		}
		if x, err := s.DB.FindExhibit(g.ctx, g.c.ID, "SB/1"); err != nil || x.Files != 2 {
			t.Errorf("the other case's SB/1: %+v, %v; want 2 files", x, err)
		}
	})
}

// TestExhibitTimesNotInFuture checks that a seizure and a custody event dated past the
// server's clock and its skew are refused with the message every such time gets, and
// that a time within the skew is taken.
func TestExhibitTimesNotInFuture(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		s.DB.Now = func() time.Time { return now }
		f := newFixture(t, s, "sara", "Operation Mirror")
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		n := 1
		checkFutureRefused(t, s, now, []timedWrite{
			{"seizure", "seizedAt", func(at time.Time) error {
				n++
				_, err := s.DB.RegisterExhibit(f.ctx, f.c.ID, caseroom.NewExhibit{Ref: fmt.Sprintf("SB/%d", n), Description: "A disc", Kind: caseroom.ExhibitDisc, SeizedAt: &at})
				return err
			}},
			{"custody event", "at", func(at time.Time) error {
				_, err := s.DB.RecordCustody(f.ctx, f.c.ID, "SB/1", caseroom.NewCustodyEvent{Event: caseroom.CustodyExamined, At: &at})
				return err
			}},
		})
	})
}
