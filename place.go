package caseroom

import (
	"context"
	"time"
)

// Organisation is a group, business or body: a gang, a shop, a village council.
type Organisation struct {
	ID     string `json:"id"`
	CaseID string `json:"caseId"`
	Name   string `json:"name"`
	Kind   string `json:"kind,omitempty"`
	Note   string `json:"note,omitempty"`
	Source string `json:"source,omitempty"`
	// SourceRestricted is set, and Source left empty, when the source is a medical
	// report the reader may not read.
	SourceRestricted bool      `json:"sourceRestricted,omitempty"`
	CreatedBy        string    `json:"createdBy"`
	CreatedAt        time.Time `json:"createdAt"`
}

// NewOrganisation is the input to RegisterOrganisation.
type NewOrganisation struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Note   string `json:"note"`
	Source string `json:"source"`
}

// LocationKinds lists the kinds of location.
var LocationKinds = []string{"village", "district", "address", "building", "point", "station", "other"}

// Location is a place: a village, an address, a building, a point.
type Location struct {
	ID      string   `json:"id"`
	CaseID  string   `json:"caseId"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Address string   `json:"address,omitempty"`
	Lat     *float64 `json:"lat,omitempty"`
	Lon     *float64 `json:"lon,omitempty"`
	// Within is the id of a larger location containing this one.
	Within string `json:"within,omitempty"`
	Source string `json:"source,omitempty"`
	// SourceRestricted is set, and Source left empty, when the source is a medical
	// report the reader may not read.
	SourceRestricted bool      `json:"sourceRestricted,omitempty"`
	CreatedBy        string    `json:"createdBy"`
	CreatedAt        time.Time `json:"createdAt"`
}

// NewLocation is the input to RegisterLocation.
type NewLocation struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Address string   `json:"address"`
	Lat     *float64 `json:"lat"`
	Lon     *float64 `json:"lon"`
	Within  string   `json:"within"`
	Source  string   `json:"source"`
}

// PlaceService registers organisations and locations.
type PlaceService interface {
	// RegisterOrganisation records an organisation. Returns EINVALID without a name.
	RegisterOrganisation(ctx context.Context, caseID string, no NewOrganisation) (*Organisation, error)
	// FindOrganisations lists a case's organisations.
	FindOrganisations(ctx context.Context, caseID string) ([]*Organisation, error)
	// RegisterLocation records a location. Returns EINVALID without a name, for an
	// unknown kind or coordinates out of range.
	RegisterLocation(ctx context.Context, caseID string, nl NewLocation) (*Location, error)
	// FindLocations lists a case's locations.
	FindLocations(ctx context.Context, caseID string) ([]*Location, error)
}
