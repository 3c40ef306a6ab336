package export

import (
	"fmt"
	"io"
	"strings"

	"caseroom"
)

// Write writes the case src reads in one of caseroom.ExportFormats.
func Write(w io.Writer, format string, src interface {
	Source
	Case() *caseroom.Case
}) (Counts, error) {
	switch format {
	case caseroom.ExportFtM:
		return FtM(w, src.Case(), src)
	case caseroom.ExportGraphML:
		return GraphML(w, src.Case(), src)
	case caseroom.ExportCSV:
		return CSVZip(w, src)
	case caseroom.ExportXLSX:
		return XLSX(w, src.Case(), src)
	}
	return Counts{}, caseroom.Errorf(caseroom.EINVALID, "format: %q is not an export format; use one of %s", format, strings.Join(caseroom.ExportFormats, ", "))
}

// ContentType is the media type of a format's file.
func ContentType(format string) string {
	switch format {
	case caseroom.ExportFtM:
		return "application/x-ndjson"
	case caseroom.ExportGraphML:
		return "application/graphml+xml"
	case caseroom.ExportCSV:
		return "application/zip"
	case caseroom.ExportXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}

// FileName is the name a format's file of a case is offered under:
// caseroom-<case id>.<extension>.
func FileName(c *caseroom.Case, format string) string {
	ext := map[string]string{caseroom.ExportFtM: "ftm.json", caseroom.ExportGraphML: "graphml", caseroom.ExportCSV: "csv.zip", caseroom.ExportXLSX: "xlsx"}[format]
	if ext == "" {
		ext = "bin"
	}
	return fmt.Sprintf("caseroom-%s.%s", c.ID, ext)
}
