package sqlstore_test

import (
	"context"
	"testing"

	"caseroom"
)

// TestBadInputChangesNothing sends one bad request after another to every service
// and checks that each is refused with the right code and leaves every table as it
// was. Several fail only after the store has begun writing rows (a name stored before
// an alias's source is found missing; a statement row before an unknown person
// present), so the whole write must roll back.
func TestBadInputChangesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		lc := newLinkCase(t, s)
		f := lc.fixture
		c := f.c.ID
		s1 := f.statement(lc.suspect.ID, "First statement")
		ext := as(mustUser(t, s, "examiner"))
		f.setRole(caseroom.UserFromContext(ext), caseroom.RoleExaminer)
		nobody := context.Background()

		for _, tc := range []struct {
			name string
			code string
			call func() error
		}{
			// Failing inside the transaction, after rows were written.
			{"person whose second alias cites a missing source", caseroom.EINVALID, func() error {
				_, err := s.DB.RegisterPerson(f.ctx, c, caseroom.NewPerson{Names: []caseroom.PersonName{{Name: "A", Source: "C-1"}},
					Aliases: []caseroom.Alias{{Alias: "B"}, {Alias: "C", Source: "S-99"}}, Roles: []caseroom.PersonRole{"victim", "suspect"}})
				return err
			}},
			{"statement with an unknown person present second", caseroom.EINVALID, func() error {
				_, err := s.DB.RegisterDocument(f.ctx, c, caseroom.NewDocument{Kind: "statement", Title: "T", Text: "T", Giver: "V-0001",
					RecordedAt: ptr(recorded), Present: []caseroom.Presence{{Person: lc.buyer.ID}, {Person: "per_nobody"}}})
				return err
			}},
			{"statement recorded by a non-member", caseroom.EINVALID, func() error {
				_, err := s.DB.RegisterDocument(f.ctx, c, caseroom.NewDocument{Kind: "statement", Title: "T", Text: "T", Giver: "V-0001",
					RecordedAt: ptr(recorded), RecordedBy: "console"})
				return err
			}},
			{"complaint with a duplicate reference", caseroom.ECONFLICT, func() error {
				_, err := s.DB.RegisterDocument(f.ctx, c, caseroom.NewDocument{Kind: "complaint", Ref: "C-1", Title: "T", Text: "T"})
				return err
			}},
			{"victim role a second time", caseroom.ECONFLICT, func() error {
				_, err := s.DB.AddRole(f.ctx, c, "V-0001", caseroom.PersonVictim)
				return err
			}},
			// Refused before anything is written.
			{"link without source", caseroom.EINVALID, func() error {
				_, err := s.DB.RecordLink(f.ctx, c, caseroom.NewLink{From: lc.suspect.ID, To: "V-0001", Type: "knows", Confidence: ptr(1.0)})
				return err
			}},
			{"link to an unknown person", caseroom.EINVALID, func() error {
				_, err := s.DB.RecordLink(f.ctx, c, caseroom.NewLink{From: lc.suspect.ID, To: "V-0077", Type: "knows", Source: s1.Ref, Confidence: ptr(1.0)})
				return err
			}},
			{"identifier without source", caseroom.EINVALID, func() error {
				_, err := s.DB.AddIdentifier(f.ctx, c, lc.suspect.ID, caseroom.NewIdentifier{Kind: "phone", Value: "03001234567"})
				return err
			}},
			{"name for a person of no case", caseroom.ENOTFOUND, func() error {
				_, err := s.DB.AddName(f.ctx, c, "per_nobody", caseroom.PersonName{Name: "X"})
				return err
			}},
			{"location out of range", caseroom.EINVALID, func() error {
				_, err := s.DB.RegisterLocation(f.ctx, c, caseroom.NewLocation{Name: "X", Lat: ptr(100.0), Lon: ptr(0.0)})
				return err
			}},
			{"organisation without name", caseroom.EINVALID, func() error {
				_, err := s.DB.RegisterOrganisation(f.ctx, c, caseroom.NewOrganisation{Kind: "shop"})
				return err
			}},
			{"member with an unknown role", caseroom.EINVALID, func() error {
				_, err := s.DB.AddMember(f.ctx, c, caseroom.NewMembership{User: "examiner", Role: "boss"})
				return err
			}},
			{"case without title", caseroom.EINVALID, func() error {
				_, err := s.DB.CreateCase(f.ctx, caseroom.NewCase{})
				return err
			}},
			{"user with a taken name", caseroom.ECONFLICT, func() error {
				_, err := s.DB.CreateUser(console, caseroom.NewUser{Name: "alice", Password: "long enough password"})
				return err
			}},
			{"token for an unknown user", caseroom.ENOTFOUND, func() error {
				_, err := s.DB.CreateToken(console, "nobody")
				return err
			}},
			{"a write to an unknown case", caseroom.ENOTFOUND, func() error {
				_, err := s.DB.RegisterOrganisation(f.ctx, "cas_nosuchcase", caseroom.NewOrganisation{Name: "X"})
				return err
			}},
			// Refused for who is asking.
			{"examiner registers a person", caseroom.EFORBIDDEN, func() error {
				_, err := s.DB.RegisterPerson(ext, c, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "X"}}, Roles: []caseroom.PersonRole{"witness"}})
				return err
			}},
			{"examiner views persons", "", func() error {
				// A read writes no audit entry, whoever reads.
				_, err := s.DB.FindPersons(ext, c, caseroom.PersonFilter{})
				return err
			}},
			{"lead views persons", "", func() error {
				_, err := s.DB.FindPersons(f.ctx, c, caseroom.PersonFilter{Role: caseroom.PersonVictim})
				return err
			}},
			{"lead views a victim", "", func() error {
				_, err := s.DB.FindPerson(f.ctx, c, "V-0001")
				return err
			}},
			{"reveal without a reason", caseroom.EINVALID, func() error {
				_, err := s.DB.RevealIdentity(f.ctx, c, "V-0001", " ")
				return err
			}},
			{"reveal of an unknown person", caseroom.ENOTFOUND, func() error {
				_, err := s.DB.RevealIdentity(f.ctx, c, "V-0042", "A reason.")
				return err
			}},
			{"search for a name without letters", caseroom.EINVALID, func() error {
				_, err := s.DB.FindPersons(f.ctx, c, caseroom.PersonFilter{Name: "--"})
				return err
			}},
			{"search by name with an unknown role", caseroom.EINVALID, func() error {
				_, err := s.DB.FindPersons(f.ctx, c, caseroom.PersonFilter{Name: "Gul", Role: "boss"})
				return err
			}},
			{"examiner reads who has seen a victim", caseroom.EFORBIDDEN, func() error {
				_, err := s.DB.FindIdentityAccess(ext, c, "V-0001")
				return err
			}},
			{"lead rotates the vault key", caseroom.EFORBIDDEN, func() error {
				return s.DB.RotateKey(f.ctx, s.keyFile)
			}},
			{"signed out: register person", caseroom.EUNAUTHORIZED, func() error {
				_, err := s.DB.RegisterPerson(nobody, c, caseroom.NewPerson{Aliases: []caseroom.Alias{{Alias: "X"}}, Roles: []caseroom.PersonRole{"witness"}})
				return err
			}},
			{"signed out: find persons", caseroom.EUNAUTHORIZED, func() error {
				_, err := s.DB.FindPersons(nobody, c, caseroom.PersonFilter{})
				return err
			}},
			{"signed out: create token", caseroom.EUNAUTHORIZED, func() error {
				_, err := s.DB.CreateToken(nobody, "alice")
				return err
			}},
			{"signed out: search by name", caseroom.EUNAUTHORIZED, func() error {
				_, err := s.DB.FindPersons(nobody, c, caseroom.PersonFilter{Name: "Gul"})
				return err
			}},
			{"signed out: reveal", caseroom.EUNAUTHORIZED, func() error {
				_, err := s.DB.RevealIdentity(nobody, c, "V-0001", "A reason.")
				return err
			}},
			{"signed out: rotate the vault key", caseroom.EUNAUTHORIZED, func() error {
				return s.DB.RotateKey(nobody, s.keyFile)
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				refused(t, s, tc.code, "", tc.call)
			})
		}
	})
}
