package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// TestMediaViews checks that only the case's examiner views a file's content, with a
// reason, that each view is a record under the audit log with the server's time, who
// reads the views, and that every refusal writes nothing.
func TestMediaViews(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newActionFixture(t, s)
		c := f.c.ID
		now := time.Date(2026, 11, 29, 10, 15, 0, 0, time.UTC)
		s.DB.Now = func() time.Time { return now }
		if _, err := s.DB.RecordMedia(f.ctx, c, "SB/1", []caseroom.NewMedia{fakeMedia("disc/photo.png", "a photo"), fakeMedia("disc/other.bin", "other")}); err != nil {
			t.Fatal(err)
		}
		files, err := s.DB.FindMedia(f.ctx, c, caseroom.MediaFilter{ExhibitID: "SB/1", Path: "disc/photo.png"})
		if err != nil || len(files) != 1 {
			t.Fatalf("find the photo: %v (%d files)", err, len(files))
		}
		photo := files[0]
		// Another case, with a file of its own.
		g := newFixture(t, s, "gul", "Operation Kestrel")
		g.exhibit(g.ctx, caseroom.NewExhibit{Ref: "GK/1"})
		if _, err := s.DB.RecordMedia(g.ctx, g.c.ID, "GK/1", []caseroom.NewMedia{fakeMedia("elsewhere.png", "elsewhere")}); err != nil {
			t.Fatal(err)
		}
		elsewhere, err := s.DB.FindMedia(g.ctx, g.c.ID, caseroom.MediaFilter{})
		if err != nil || len(elsewhere) != 1 {
			t.Fatalf("find the other case's file: %v", err)
		}

		// FindMedia reads one file by its id as it lists it among the others.
		got, err := s.DB.FindMedia(as(f.inv), c, caseroom.MediaFilter{ID: photo.ID})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]*caseroom.Media{photo}, got); diff != "" {
			t.Errorf("FindMedia by id (-by path +by id):\n%s", diff)
		}
		for _, tc := range []struct {
			name, caseID, media string
			as                  *caseroom.User
			code                string // "": no error and no file
		}{
			{"unknown file", c, "med_nosuchfile", f.inv, ""},
			{"another case's file", c, elsewhere[0].ID, f.inv, ""},
			{"outsider", c, photo.ID, f.outsider, caseroom.ENOTFOUND},
			{"advocate", c, photo.ID, f.adv, caseroom.EFORBIDDEN},
		} {
			t.Run("find "+tc.name, func(t *testing.T) {
				ms, err := s.DB.FindMedia(as(tc.as), tc.caseID, caseroom.MediaFilter{ID: tc.media})
				if tc.code == "" {
					if err != nil || len(ms) != 0 {
						t.Errorf("FindMedia = %d files, %v; want none", len(ms), err)
					}
					return
				}
				checkError(t, err, tc.code, "")
			})
		}

		// The examiner views it: recorded with the server's time, under its own entry.
		view, err := s.DB.RecordMediaView(as(f.exam), c, photo.ID, "  Comparing with the complainant's description.  ")
		if err != nil {
			t.Fatalf("examiner's view: %v", err)
		}
		want := &caseroom.MediaView{ID: view.ID, CaseID: c, MediaID: photo.ID, SHA256: photo.SHA256, User: f.exam.Name,
			Role: caseroom.RoleExaminer, Reason: "Comparing with the complainant's description.", At: now}
		if diff := cmp.Diff(want, view); diff != "" {
			t.Errorf("view (-want +got):\n%s", diff)
		}
		e := s.lastEntry()
		if e.Action != "media.view" || e.ObjectID != photo.ID || e.Actor != f.exam.Name {
			t.Errorf("audit entry %s of %s by %s, want media.view of %s by %s", e.Action, e.ObjectID, e.Actor, photo.ID, f.exam.Name)
		}
		if rows := s.entryState(e.Seq)["media_views"]; len(rows) != 1 || rows[0]["reason"] != want.Reason {
			t.Errorf("entry %d's state holds media_views %v, want the view", e.Seq, rows)
		}

		// Refusals: no view written. A member whose role may not view is refused and the
		// attempt is recorded as an event (as a refused reveal of an identity is); any
		// other refusal writes nothing.
		long := strings.Repeat("x", caseroom.MaxViewReason+1)
		for _, tc := range []struct {
			name, caseID, media, reason string
			as                          *caseroom.User
			code, field                 string
		}{
			{"investigator", c, photo.ID, "Curious.", f.inv, caseroom.EFORBIDDEN, ""},
			{"lead", c, photo.ID, "Reviewing.", f.lead, caseroom.EFORBIDDEN, ""},
			{"oversight", c, photo.ID, "Inspecting.", f.over, caseroom.EFORBIDDEN, ""},
			{"advocate", c, photo.ID, "For my client.", f.adv, caseroom.EFORBIDDEN, ""},
			{"outsider", c, photo.ID, "Curious.", f.outsider, caseroom.ENOTFOUND, ""},
			{"console", c, photo.ID, "Maintenance.", caseroom.Console, caseroom.EFORBIDDEN, ""},
			{"empty reason", c, photo.ID, "   ", f.exam, caseroom.EINVALID, "reason"},
			{"overlong reason", c, photo.ID, long, f.exam, caseroom.EINVALID, "reason"},
			{"unknown file", c, "med_nosuchfile", "Checking.", f.exam, caseroom.ENOTFOUND, ""},
			{"another case's file", c, elsewhere[0].ID, "Checking.", f.exam, caseroom.ENOTFOUND, ""},
		} {
			t.Run("view "+tc.name, func(t *testing.T) {
				views, entries := s.Count("media_views"), s.Count("audit_log")
				_, err := s.DB.RecordMediaView(as(tc.as), tc.caseID, tc.media, tc.reason)
				checkError(t, err, tc.code, tc.field)
				wantEntries := entries
				if tc.code == caseroom.EFORBIDDEN && tc.as != caseroom.Console {
					wantEntries++
					if e := s.lastEntry(); e.Action != "media.view.refused" || e.Actor != tc.as.Name || e.ObjectID != tc.media || e.CaseID != c {
						t.Errorf("the refused attempt is recorded as %+v", e)
					}
					if !strings.Contains(caseroom.ErrorMessage(err), "This request was recorded.") {
						t.Errorf("the refusal does not say it was recorded: %q", caseroom.ErrorMessage(err))
					}
				}
				if s.Count("media_views") != views || s.Count("audit_log") != wantEntries {
					t.Errorf("a refused view wrote: %d views (was %d), %d entries (was %d, want %d)", s.Count("media_views"), views, s.Count("audit_log"), entries, wantEntries)
				}
			})
		}

		// A second view, later; the lead, the examiner and oversight read both, in order.
		now = now.Add(time.Hour)
		second, err := s.DB.RecordMediaView(as(f.exam), c, photo.ID, "Second look for the report.")
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*caseroom.User{f.lead, f.exam, f.over} {
			views, err := s.DB.FindMediaViews(as(u), c, photo.ID)
			if err != nil {
				t.Fatalf("%s reads the views: %v", u.Name, err)
			}
			if diff := cmp.Diff([]*caseroom.MediaView{view, second}, views); diff != "" {
				t.Errorf("views read by %s (-want +got):\n%s", u.Name, diff)
			}
		}
		if views, err := s.DB.FindMediaViews(console, c, photo.ID); err != nil || len(views) != 2 {
			t.Errorf("the console reads %d views, %v; want 2", len(views), err)
		}
		if views, err := s.DB.FindMediaViews(f.ctx, c, files[0].ID); err != nil || len(views) != 2 {
			t.Errorf("views of the photo: %d, %v", len(views), err)
		}
		other, err := s.DB.FindMedia(f.ctx, c, caseroom.MediaFilter{ExhibitID: "SB/1", Path: "disc/other.bin"})
		if err != nil || len(other) != 1 {
			t.Fatal(err)
		}
		if views, err := s.DB.FindMediaViews(f.ctx, c, other[0].ID); err != nil || len(views) != 0 {
			t.Errorf("views of a file never viewed: %v, %v; want none", views, err)
		}
		for _, tc := range []struct {
			name, media string
			as          *caseroom.User
			code        string
		}{
			{"investigator", photo.ID, f.inv, caseroom.EFORBIDDEN},
			{"advocate", photo.ID, f.adv, caseroom.EFORBIDDEN},
			{"outsider", photo.ID, f.outsider, caseroom.ENOTFOUND},
			{"unknown file", "med_nosuchfile", f.lead, caseroom.ENOTFOUND},
			{"another case's file", elsewhere[0].ID, f.lead, caseroom.ENOTFOUND},
		} {
			t.Run("read views "+tc.name, func(t *testing.T) {
				_, err := s.DB.FindMediaViews(as(tc.as), c, tc.media)
				checkError(t, err, tc.code, "")
			})
		}
	})
}
