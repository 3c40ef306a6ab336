package sqlstore_test

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

func TestOrganisations(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")

		var registered []*caseroom.Organisation
		for _, no := range []caseroom.NewOrganisation{
			{Name: " Al-Noor Video Centre ", Kind: " shop ", Note: "Sold CDs.", Source: "C-1"},
			{Name: "Village council", Source: src.ID}, // by id; listed by reference
			{Name: "Unnamed buyers abroad"},
		} {
			o, err := s.DB.RegisterOrganisation(f.ctx, f.c.ID, no)
			if err != nil {
				t.Fatal(err)
			}
			registered = append(registered, o)
		}
		if o := registered[0]; o.Name != "Al-Noor Video Centre" || o.Kind != "shop" || o.Source != "C-1" || o.CreatedBy != "alice" || o.CaseID != f.c.ID {
			t.Errorf("organisation = %+v", o)
		}
		if o := registered[1]; o.Source != "C-1" {
			t.Errorf("source given by id is shown as %q, want the reference C-1", o.Source)
		}
		got, err := s.DB.FindOrganisations(f.ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(registered, got); diff != "" {
			t.Errorf("FindOrganisations differs from what was registered (-registered +found):\n%s", diff)
		}

		for _, tc := range []struct {
			name  string
			no    caseroom.NewOrganisation
			field string
		}{
			{"no name", caseroom.NewOrganisation{Name: "  ", Kind: "shop"}, "name"},
			{"a long name", caseroom.NewOrganisation{Name: strings.Repeat("n", 301)}, "name"},
			{"an unknown source", caseroom.NewOrganisation{Name: "Shop", Source: "S-3"}, "source"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, caseroom.EINVALID, tc.field, func() error {
					_, err := s.DB.RegisterOrganisation(f.ctx, f.c.ID, tc.no)
					return err
				})
			})
		}
	})
}

func TestLocations(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "alice", "Operation Alpha")
		src := f.complaint("First complaint")

		district, err := s.DB.RegisterLocation(f.ctx, f.c.ID, caseroom.NewLocation{Name: "Kasur", Kind: "district"})
		if err != nil {
			t.Fatal(err)
		}
		village, err := s.DB.RegisterLocation(f.ctx, f.c.ID, caseroom.NewLocation{Name: "Chak 12", Kind: "village", Within: district.ID,
			Lat: ptr(31.1167), Lon: ptr(74.45), Source: src.ID})
		if err != nil {
			t.Fatal(err)
		}
		house, err := s.DB.RegisterLocation(f.ctx, f.c.ID, caseroom.NewLocation{Name: "House of Gul Khan", Address: "Street 4, Chak 12",
			Within: village.ID, Lat: ptr(-90.0), Lon: ptr(180.0)})
		if err != nil {
			t.Fatal(err)
		}
		if house.Kind != "other" || village.Within != district.ID || village.Source != "C-1" {
			t.Errorf("kind %q (want other), within %q (want %s), source %q (want C-1)", house.Kind, village.Within, district.ID, village.Source)
		}
		got, err := s.DB.FindLocations(f.ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]*caseroom.Location{district, village, house}, got); diff != "" {
			t.Errorf("FindLocations differs from what was registered (-registered +found):\n%s", diff)
		}

		other := newFixture(t, s, "bob", "Operation Bravo")
		foreign, err := s.DB.RegisterLocation(other.ctx, other.c.ID, caseroom.NewLocation{Name: "Elsewhere"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			nl    caseroom.NewLocation
			field string
		}{
			{"no name", caseroom.NewLocation{Kind: "village"}, "name"},
			{"an unknown kind", caseroom.NewLocation{Name: "Chak 13", Kind: "hamlet"}, "kind"},
			{"lat without lon", caseroom.NewLocation{Name: "Chak 13", Lat: ptr(31.0)}, "lat"},
			{"lon without lat", caseroom.NewLocation{Name: "Chak 13", Lon: ptr(74.0)}, "lat"},
			{"lat above 90", caseroom.NewLocation{Name: "Chak 13", Lat: ptr(90.5), Lon: ptr(74.0)}, "lat"},
			{"lat below -90", caseroom.NewLocation{Name: "Chak 13", Lat: ptr(-91.0), Lon: ptr(74.0)}, "lat"},
			{"lon above 180", caseroom.NewLocation{Name: "Chak 13", Lat: ptr(31.0), Lon: ptr(180.1)}, "lon"},
			{"lon below -180", caseroom.NewLocation{Name: "Chak 13", Lat: ptr(31.0), Lon: ptr(-181.0)}, "lon"},
			{"lat not a number", caseroom.NewLocation{Name: "Chak 13", Lat: ptr(math.NaN()), Lon: ptr(74.0)}, "lat"},
			{"lon not a number", caseroom.NewLocation{Name: "Chak 13", Lat: ptr(31.0), Lon: ptr(math.NaN())}, "lon"},
			{"lon infinite", caseroom.NewLocation{Name: "Chak 13", Lat: ptr(31.0), Lon: ptr(math.Inf(1))}, "lon"},
			{"within an unknown location", caseroom.NewLocation{Name: "Chak 13", Within: "loc_nowhere"}, "within"},
			{"within another case's location", caseroom.NewLocation{Name: "Chak 13", Within: foreign.ID}, "within"},
			{"within a person", caseroom.NewLocation{Name: "Chak 13", Within: f.suspect("Gul Khan").ID}, "within"},
			{"an unknown source", caseroom.NewLocation{Name: "Chak 13", Source: "R-1"}, "source"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, caseroom.EINVALID, tc.field, func() error {
					_, err := s.DB.RegisterLocation(f.ctx, f.c.ID, tc.nl)
					return err
				})
			})
		}
	})
}
