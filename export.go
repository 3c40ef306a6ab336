package caseroom

import "context"

// The formats a case exports to (see docs/export.md).
const (
	ExportFtM     = "ftm"     // FollowTheMoney entities, JSON lines, for Aleph
	ExportGraphML = "graphml" // GraphML, for Gephi and yEd
	ExportCSV     = "csv"     // nodes.csv and edges.csv in a zip, for i2 Analyst's Notebook
	ExportXLSX    = "xlsx"    // an Excel workbook
)

// ExportFormats lists the formats.
var ExportFormats = []string{ExportFtM, ExportGraphML, ExportCSV, ExportXLSX}

// ExportRequest asks for an export of a case. Reveal asks for victims' names instead
// of their pseudonyms; only a role that may reveal identities may ask.
type ExportRequest struct {
	Format string
	Reveal bool
}

// ExportReader streams a case's records to an export, as the exporter may read them,
// from one snapshot: victims by pseudonym unless revealed, no medical report (nor
// what rests on one) the exporter may not read, standing links and payments only.
// Each method calls fn once per record, in a stable order, and stops at fn's first
// error. Close it when done.
type ExportReader interface {
	// Case is the case exported, with the exporter's role in it.
	Case() *Case
	Persons(fn func(*Person) error) error
	Organisations(fn func(*Organisation) error) error
	Locations(fn func(*Location) error) error
	Endpoints(fn func(*Endpoint) error) error
	Documents(fn func(*Document) error) error
	Links(fn func(*Link) error) error
	Payments(fn func(*Payment) error) error
	Communications(fn func(*Communication) error) error
	Close() error
}

// ExportService opens exports.
type ExportService interface {
	// OpenExport audits an export of the case (action export: the format, and
	// whether names were revealed) and returns its reader. EINVALID for an unknown
	// format; EFORBIDDEN for an advocate (an export is of the whole case) and for a
	// reveal by a role that may not reveal identities.
	OpenExport(ctx context.Context, caseID string, req ExportRequest) (ExportReader, error)
}
