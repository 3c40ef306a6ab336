package export

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

func exportXLSX(t *testing.T, src Source) (*excelize.File, Counts) {
	t.Helper()
	var buf bytes.Buffer
	counts, err := XLSX(&buf, testCase, src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, counts
}

// workbookCells returns every cell of the workbook of src, sheet by sheet.
func workbookCells(t *testing.T, src Source) []string {
	f, _ := exportXLSX(t, src)
	var cells []string
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			cells = append(cells, row...)
		}
	}
	return cells
}

func TestXLSX(t *testing.T) {
	f, counts := exportXLSX(t, fixture())
	sheets := []string{"Persons", "Organisations", "Locations", "Endpoints", "Links", "Payments", "Communications", "Documents"}
	if diff := cmp.Diff(sheets, f.GetSheetList()); diff != "" {
		t.Fatalf("sheets differ (-want +got):\n%s", diff)
	}
	for _, sheet := range sheets {
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: header row not frozen: %+v", sheet, panes)
		}
		style, err := f.GetCellStyle(sheet, "A1")
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(style)
		if err != nil {
			t.Fatal(err)
		}
		if s.Font == nil || !s.Font.Bold {
			t.Errorf("%s: header not bold", sheet)
		}
	}
	for _, tc := range []struct{ sheet, cell, want string }{
		{"Persons", "A1", "ID"},
		{"Persons", "B2", "V-0001"},
		{"Persons", "D2", ""}, // names withheld
		{"Persons", "K2", ""}, // the leaked address is not written
		{"Persons", "M2", "yes"},
		{"Persons", "D3", "Karim Fictus; کریم فکٹس"},
		{"Persons", "L4", "handle tiko_fake (Skype); bank_account PK36SCBL0000001123456702 (Fictional Bank); phone +923005556677; device_serial SN-FAKE-0001"},
		{"Persons", "O3", "2024-03-06T10:30:00+05:00"},
		{"Locations", "E2", "31.5"},
		{"Endpoints", "D6", "(withheld)"},
		{"Links", "K3", "0.8"},
		{"Links", "O3", "lnk_met_old"},
		{"Payments", "B2", "PM-1"},
		{"Payments", "C2", "2024-03-05"},
		{"Payments", "J2", "15000"},
		{"Payments", "J3", "50000.5"},
		{"Payments", "K3", "PKR"},
		{"Communications", "C2", "2024-03-04T23:00:00+05:00"},
		{"Communications", "J3", "no"},
		{"Communications", "K2", "125"},
		{"Communications", "I4", "V-0001"},
		{"Documents", "D5", "Medical examination of V-0001"},
	} {
		got, err := f.GetCellValue(tc.sheet, tc.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s!%s = %q; want %q", tc.sheet, tc.cell, got, tc.want)
		}
	}
	// Amounts are numbers, shown with the currency's two digits.
	if typ, err := f.GetCellType("Payments", "J2"); err != nil || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("Payments!J2 is of type %v (%v); want a number", typ, err)
	}
	style, _ := f.GetCellStyle("Payments", "J2")
	if s, err := f.GetStyle(style); err != nil || s.CustomNumFmt == nil || *s.CustomNumFmt != "#,##0.00" {
		t.Errorf("Payments!J2 style %+v, %v; want #,##0.00", s, err)
	}
	want := map[string]int64{"Persons": 4, "Organisations": 1, "Locations": 2, "Endpoints": 6, "Links": 9, "Payments": 2, "Communications": 4, "Documents": 5}
	if diff := cmp.Diff(want, counts.Written); diff != "" {
		t.Errorf("counts differ (-want +got):\n%s", diff)
	}
}

// TestXLSXRowLimit: a sheet past the row limit goes on in a numbered sheet.
func TestXLSXRowLimit(t *testing.T) {
	was := xlsxMaxRows
	xlsxMaxRows = 3 // the header and two rows
	defer func() { xlsxMaxRows = was }()
	f, counts := exportXLSX(t, fixture())
	sheets := f.GetSheetList()
	if diff := cmp.Diff([]string{"Persons", "Persons 2", "Organisations", "Locations", "Endpoints", "Endpoints 2", "Endpoints 3",
		"Links", "Links 2", "Links 3", "Links 4", "Links 5", "Payments", "Communications", "Communications 2", "Documents", "Documents 2", "Documents 3"}, sheets); diff != "" {
		t.Fatalf("sheets differ (-want +got):\n%s", diff)
	}
	for _, tc := range []struct{ sheet, cell, want string }{
		{"Persons", "A3", "per_father"}, {"Persons 2", "A1", "ID"}, {"Persons 2", "A2", "per_tariq"}, {"Persons 2", "A3", "per_asif"},
	} {
		if got, _ := f.GetCellValue(tc.sheet, tc.cell); got != tc.want {
			t.Errorf("%s!%s = %q; want %q", tc.sheet, tc.cell, got, tc.want)
		}
	}
	if counts.Written["Persons"] != 4 {
		t.Errorf("counted %d persons; want 4", counts.Written["Persons"])
	}
}
