package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"caseroom"
)

// xlsxSheet is one sheet of the workbook: its name and its columns' headers and
// widths (in characters).
type xlsxSheet struct {
	name    string
	headers []string
	widths  []float64
}

// The workbook's sheets, in order. docs/export.md says what each column holds.
var (
	xlsxPersons = xlsxSheet{"Persons",
		[]string{"ID", "Pseudonym", "Label", "Names", "Aliases", "Roles", "Sex", "Date of birth", "Age band", "Parents", "Address", "Identifiers", "Identity withheld", "Recorded by", "Recorded at"},
		[]float64{24, 10, 24, 32, 24, 20, 8, 12, 10, 24, 32, 40, 10, 14, 26}}
	xlsxOrganisations = xlsxSheet{"Organisations",
		[]string{"ID", "Name", "Kind", "Note", "Source", "Recorded by", "Recorded at"},
		[]float64{24, 32, 12, 40, 10, 14, 26}}
	xlsxLocations = xlsxSheet{"Locations",
		[]string{"ID", "Name", "Kind", "Address", "Latitude", "Longitude", "Within", "Source", "Recorded by", "Recorded at"},
		[]float64{24, 32, 12, 40, 12, 12, 24, 10, 14, 26}}
	xlsxEndpoints = xlsxSheet{"Endpoints",
		[]string{"ID", "Kind", "Service", "Value", "Country", "Foreign", "Holders", "Holder IDs"},
		[]float64{24, 12, 12, 28, 8, 8, 32, 32}}
	xlsxLinks = xlsxSheet{"Links",
		[]string{"ID", "Type", "From", "From kind", "From label", "To", "To kind", "To label", "Since", "Until", "Confidence", "Source", "Source kind", "Note", "Corrects", "Reason", "Recorded by", "Recorded at"},
		[]float64{24, 14, 24, 12, 28, 24, 12, 28, 12, 12, 10, 10, 10, 40, 24, 32, 14, 26}}
	xlsxPayments = xlsxSheet{"Payments",
		[]string{"ID", "Ref", "At", "Payer", "Payer kind", "Payer label", "Payee", "Payee kind", "Payee label", "Amount", "Currency", "Method", "Purpose", "Source", "Note", "Corrects", "Reason", "Recorded by", "Recorded at"},
		[]float64{24, 8, 22, 24, 12, 28, 24, 12, 28, 16, 8, 14, 10, 10, 40, 8, 32, 14, 26}}
	xlsxCommunications = xlsxSheet{"Communications",
		[]string{"ID", "Kind", "At", "From", "From endpoint", "From holders", "To", "To endpoint", "To holders", "Directed", "Duration (s)", "Cell ID", "IMEI", "Exhibit", "Line"},
		[]float64{24, 8, 26, 20, 24, 24, 20, 24, 24, 8, 10, 20, 18, 10, 8}}
	xlsxDocuments = xlsxSheet{"Documents",
		[]string{"ID", "Ref", "Kind", "Title", "External ref", "Registered by", "Registered at", "Giver", "Statement recorded at", "Corrects", "Corrected by", "Withdraws", "Withdrawn by"},
		[]float64{24, 8, 14, 48, 16, 14, 26, 20, 26, 10, 14, 10, 14}}
)

// XLSX writes the case as an Excel workbook for reading: a sheet each of Persons,
// Organisations, Locations, Endpoints, Links, Payments, Communications and Documents
// (titles only, never texts), each with a bold header row frozen above the rows.
// Amounts are numbers in major units (15000.00 for 1500000 paisa) with the currency in
// its own column; dates and times are text, ISO 8601: a partial date as recorded
// (2024, 2024-03, 2024-03-05) and a time in the case's time zone with its offset
// (2024-03-04T23:00:00+05:00). A sheet that outgrows Excel's 1,048,576 rows goes on
// in another of the same name and a number ("Communications 2").
//
// Rows are written with excelize's StreamWriter: each sheet is built in memory up to
// 16 MiB and then in a temporary file (removed before XLSX returns); the workbook is
// assembled when every sheet is written. It reads each kind of the Source once.
func XLSX(w io.Writer, c *caseroom.Case, src Source) (Counts, error) {
	x := &xlsxWriter{f: excelize.NewFile(), c: c, counts: newCounts(), amounts: amounts{}, amountStyles: map[int]int{}, loc: time.UTC}
	defer x.f.Close()
	if c != nil && c.TimeZone != "" {
		if loc, err := time.LoadLocation(c.TimeZone); err == nil {
			x.loc = loc
		}
	}
	var err error
	if x.bold, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return x.counts, fmt.Errorf("export workbook: %w", err)
	}
	steps := []struct {
		sheet xlsxSheet
		run   func() error
	}{
		{xlsxPersons, func() error { return src.Persons(x.person) }},
		{xlsxOrganisations, func() error { return src.Organisations(x.organisation) }},
		{xlsxLocations, func() error { return src.Locations(x.location) }},
		{xlsxEndpoints, func() error { return src.Endpoints(x.endpoint) }},
		{xlsxLinks, func() error { return src.Links(x.link) }},
		{xlsxPayments, func() error { return src.Payments(x.payment) }},
		{xlsxCommunications, func() error { return src.Communications(x.communication) }},
		{xlsxDocuments, func() error { return src.Documents(x.document) }},
	}
	for i, s := range steps {
		if err := x.begin(s.sheet, i == 0); err != nil {
			return x.counts, fmt.Errorf("export workbook: %s: %w", s.sheet.name, err)
		}
		if err := s.run(); err != nil {
			return x.counts, fmt.Errorf("export workbook: %s: %w", s.sheet.name, err)
		}
		if err := x.sw.Flush(); err != nil {
			return x.counts, fmt.Errorf("export workbook: %s: %w", s.sheet.name, err)
		}
	}
	if err := x.f.Write(w); err != nil {
		return x.counts, fmt.Errorf("export workbook: %w", err)
	}
	return x.counts, nil
}

// xlsxMaxRows is the most rows a sheet holds, its header included: Excel's limit. A
// test lowers it.
var xlsxMaxRows = excelize.TotalRows

// xlsxWriter is one workbook being written, one sheet at a time.
type xlsxWriter struct {
	f            *excelize.File
	c            *caseroom.Case
	counts       Counts
	amounts      amounts
	amountStyles map[int]int // minor-unit digits → number style
	bold         int
	loc          *time.Location
	// The sheet being written: its spec, part (1, 2... past Excel's row limit),
	// writer and last row written.
	sheet xlsxSheet
	part  int
	sw    *excelize.StreamWriter
	row   int
	cells []any
}

// begin starts a sheet (part 1), the workbook's first sheet taking the place of the
// blank Sheet1 a new file has.
func (x *xlsxWriter) begin(s xlsxSheet, first bool) error {
	x.sheet, x.part = s, 1
	if first {
		if err := x.f.SetSheetName("Sheet1", s.name); err != nil {
			return err
		}
		return x.open(s.name)
	}
	return x.newSheet(s.name)
}

func (x *xlsxWriter) newSheet(name string) error {
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	return x.open(name)
}

// open starts the stream writer of a sheet and writes its widths, panes and header.
func (x *xlsxWriter) open(name string) error {
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, wd := range x.sheet.widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	head := make([]any, len(x.sheet.headers))
	for i, h := range x.sheet.headers {
		head[i] = excelize.Cell{StyleID: x.bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	x.sw, x.row = sw, 1
	return nil
}

// put writes one row of values: strings (empty ones left blank), numbers and cells.
func (x *xlsxWriter) put(values ...any) error {
	if x.row == xlsxMaxRows {
		if err := x.sw.Flush(); err != nil {
			return err
		}
		x.part++
		if err := x.newSheet(fmt.Sprintf("%s %d", x.sheet.name, x.part)); err != nil {
			return err
		}
	}
	x.cells = x.cells[:0]
	for _, v := range values {
		if s, ok := v.(string); ok && s == "" {
			v = nil
		}
		x.cells = append(x.cells, v)
	}
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	if err := x.sw.SetRow(cell, x.cells); err != nil {
		return err
	}
	x.counts.wrote(x.sheet.name)
	return nil
}

// at writes a time in the case's zone, RFC 3339 with its offset.
func (x *xlsxWriter) at(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(x.loc).Format(time.RFC3339)
}

// amount is a cell holding an amount in major units, formatted with the currency's
// digits (#,##0.00 for PKR).
func (x *xlsxWriter) amount(n caseroom.MinorUnits, currency string) (any, error) {
	d, err := x.amounts.digits(currency)
	if err != nil {
		return nil, err
	}
	style, ok := x.amountStyles[d]
	if !ok {
		format := "#,##0"
		if d > 0 {
			format += "." + strings.Repeat("0", d)
		}
		if style, err = x.f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
			return nil, err
		}
		x.amountStyles[d] = style
	}
	return excelize.Cell{StyleID: style, Value: majorFloat(int64(n), d)}, nil
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// list joins values for one cell.
func list(values []string) string { return strings.Join(values, "; ") }

func (x *xlsxWriter) person(p *caseroom.Person) error {
	if err := checkCase(x.c, "person", p.ID, p.CaseID); err != nil {
		return err
	}
	p = visiblePerson(p)
	var names, aliases, roles, idfs []string
	for _, n := range p.Names {
		names = append(names, n.Name)
	}
	for _, a := range p.Aliases {
		aliases = append(aliases, a.Alias)
	}
	for _, r := range p.Roles {
		roles = append(roles, string(r))
	}
	for _, idf := range p.Identifiers {
		s := string(idf.Kind) + " " + idf.Value
		if idf.Service != "" {
			s += " (" + idf.Service + ")"
		}
		idfs = append(idfs, s)
	}
	return x.put(p.ID, p.Pseudonym, p.Label(), list(names), list(aliases), list(roles), p.Sex, p.DateOfBirth,
		p.AgeBand, list(p.Parents), p.Address, list(idfs), yes(p.IdentityHidden), p.RecordedBy, x.at(p.CreatedAt))
}

func (x *xlsxWriter) organisation(o *caseroom.Organisation) error {
	if err := checkCase(x.c, "organisation", o.ID, o.CaseID); err != nil {
		return err
	}
	return x.put(o.ID, o.Name, o.Kind, o.Note, o.Source, o.CreatedBy, x.at(o.CreatedAt))
}

func (x *xlsxWriter) location(l *caseroom.Location) error {
	if err := checkCase(x.c, "location", l.ID, l.CaseID); err != nil {
		return err
	}
	var lat, lon any
	if l.Lat != nil && l.Lon != nil {
		lat, lon = *l.Lat, *l.Lon
	}
	return x.put(l.ID, l.Name, l.Kind, l.Address, lat, lon, l.Within, l.Source, l.CreatedBy, x.at(l.CreatedAt))
}

func partyLabels(ps []caseroom.Party) (labels, ids []string) {
	for _, p := range ps {
		labels = append(labels, p.Label)
		ids = append(ids, p.ID)
	}
	return labels, ids
}

func (x *xlsxWriter) endpoint(ep *caseroom.Endpoint) error {
	if err := checkCase(x.c, "endpoint", ep.ID, ep.CaseID); err != nil {
		return err
	}
	value := ep.Value
	if ep.ValueWithheld {
		value = "(withheld)"
	}
	labels, ids := partyLabels(ep.Holders)
	return x.put(ep.ID, string(ep.Kind), ep.Service, value, ep.Country, yes(ep.Foreign), list(labels), list(ids))
}

func (x *xlsxWriter) link(l *caseroom.Link) error {
	if err := checkCase(x.c, "link", l.ID, l.CaseID); err != nil {
		return err
	}
	return x.put(l.ID, string(l.Type), l.From, string(l.FromKind), l.FromLabel, l.To, string(l.ToKind), l.ToLabel,
		l.Since, l.Until, l.Confidence, l.SourceRef, string(l.SourceKind), l.Note, l.Corrects, l.Reason, l.CreatedBy, x.at(l.CreatedAt))
}

func (x *xlsxWriter) payment(p *caseroom.Payment) error {
	if err := checkCase(x.c, "payment", p.ID, p.CaseID); err != nil {
		return err
	}
	amount, err := x.amount(p.Amount, p.Currency)
	if err != nil {
		return fmt.Errorf("payment %s: %w", p.Ref, err)
	}
	return x.put(p.ID, p.Ref, p.At, p.Payer.ID, string(p.Payer.Kind), p.Payer.Label, p.Payee.ID, string(p.Payee.Kind), p.Payee.Label,
		amount, p.Currency, string(p.Method), string(p.Purpose), p.SourceRef, p.Note, p.Corrects, p.Reason, p.RecordedBy, x.at(p.RecordedAt))
}

func (x *xlsxWriter) communication(m *caseroom.Communication) error {
	if err := checkCase(x.c, "communication", m.ID, m.CaseID); err != nil {
		return err
	}
	fromHolders, _ := partyLabels(m.From.Holders)
	toHolders, _ := partyLabels(m.To.Holders)
	var line any
	if m.Line > 0 {
		line = m.Line
	}
	return x.put(m.ID, string(m.Kind), x.at(m.At), m.From.Label(), m.From.ID, list(fromHolders), m.To.Label(), m.To.ID, list(toHolders),
		yesNo(m.Directed), m.Duration, m.CellID, m.IMEI, m.ExhibitRef, line)
}

func (x *xlsxWriter) document(d *caseroom.Document) error {
	if err := checkCase(x.c, "document", d.ID, d.CaseID); err != nil {
		return err
	}
	var giver, recorded, withdraws string
	if s := d.Statement; s != nil {
		giver, recorded = s.GiverLabel, x.at(s.RecordedAt)
	}
	if d.Retraction != nil {
		withdraws = d.Retraction.Retracts
	}
	return x.put(d.ID, d.Ref, string(d.Kind), d.Title, d.ExternalRef, d.RegisteredBy, x.at(d.RegisteredAt), giver, recorded,
		d.Corrects, list(d.CorrectedBy), withdraws, list(d.RetractedBy))
}
