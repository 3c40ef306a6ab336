package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"time"
)

// The columns of the CSV tables, in order. docs/export.md says what each holds.
var (
	CSVNodeColumns = []string{"id", "label", "kind", "roles"}
	CSVEdgeColumns = []string{"from", "to", "type", "since", "until", "confidence", "source", "amount", "currency", "count", "duration", "directed", "id"}
)

// utf8BOM starts each table, so that i2 Analyst's Notebook and Excel read it as UTF-8
// (Urdu names come out as written) rather than in the Windows code page.
const utf8BOM = "\uFEFF"

// CSV writes the case's network as two tables for i2 Analyst's Notebook's import
// (and Gephi's spreadsheet import): nodes (CSVNodeColumns) and edges (CSVEdgeColumns),
// the same nodes and edges as GraphML in the same order. Each table is UTF-8 with a
// byte order mark, a header row, fields quoted as RFC 4180 says (encoding/csv) and
// CRLF line ends. Values are written as they are: a value starting with = + - or @
// is not defused for Excel (a phone number starts with +); open the workbook (XLSX)
// to read the case in Excel.
//
// It reads the Source as GraphML does, once each.
func CSV(nodes, edges io.Writer, src Source) (Counts, error) {
	nb, eb := bufio.NewWriterSize(nodes, 64<<10), bufio.NewWriterSize(edges, 64<<10)
	sink, err := newCSVSink(nb, eb)
	if err != nil {
		return Counts{}, fmt.Errorf("export CSV: %w", err)
	}
	g := newGraphWalk(src, sink, nil, true, true)
	if err := g.run(); err != nil {
		return g.counts, fmt.Errorf("export CSV: %w", err)
	}
	if err := sink.flush(); err != nil {
		return g.counts, fmt.Errorf("export CSV: %w", err)
	}
	if err := nb.Flush(); err != nil {
		return g.counts, fmt.Errorf("export CSV: nodes: %w", err)
	}
	if err := eb.Flush(); err != nil {
		return g.counts, fmt.Errorf("export CSV: edges: %w", err)
	}
	return g.counts, nil
}

// CSVZip writes the two tables of CSV into one zip file, as nodes.csv and edges.csv,
// for a download. A zip entry is written whole before the next, so the Source is
// walked twice, once for the nodes and once for the edges: Locations, Endpoints and
// Links are read twice, the other kinds once (nodes: Persons, Organisations; edges:
// Payments, Communications). Both walks must see the same records.
func CSVZip(w io.Writer, src Source) (Counts, error) {
	zw := zip.NewWriter(w)
	counts := newCounts()
	for _, part := range []struct {
		name         string
		nodes, edges bool
	}{{"nodes.csv", true, false}, {"edges.csv", false, true}} {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return counts, fmt.Errorf("export CSV zip: %w", err)
		}
		bw := bufio.NewWriterSize(f, 64<<10)
		nw, ew := io.Discard, io.Discard
		if part.nodes {
			nw = bw
		} else {
			ew = bw
		}
		sink, err := newCSVSink(nw, ew)
		if err != nil {
			return counts, fmt.Errorf("export CSV zip: %w", err)
		}
		g := newGraphWalk(src, sink, nil, part.nodes, part.edges)
		err = g.run()
		counts.add(g.counts)
		if err != nil {
			return counts, fmt.Errorf("export CSV zip: %s: %w", part.name, err)
		}
		if err := sink.flush(); err != nil {
			return counts, fmt.Errorf("export CSV zip: %s: %w", part.name, err)
		}
		if err := bw.Flush(); err != nil {
			return counts, fmt.Errorf("export CSV zip: %s: %w", part.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return counts, fmt.Errorf("export CSV zip: %w", err)
	}
	return counts, nil
}

// zipTime is the modification time of the zip's entries: fixed, so that the same
// case exports to the same bytes.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// csvSink writes nodes and edges as rows.
type csvSink struct {
	nodes, edges *csv.Writer
	row          []string
}

func newCSVSink(nodes, edges io.Writer) (*csvSink, error) {
	s := &csvSink{nodes: csv.NewWriter(nodes), edges: csv.NewWriter(edges), row: make([]string, len(CSVEdgeColumns))}
	s.nodes.UseCRLF, s.edges.UseCRLF = true, true
	for _, t := range []struct {
		w    io.Writer
		cw   *csv.Writer
		head []string
	}{{nodes, s.nodes, CSVNodeColumns}, {edges, s.edges, CSVEdgeColumns}} {
		if _, err := io.WriteString(t.w, utf8BOM); err != nil {
			return nil, err
		}
		if err := t.cw.Write(t.head); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *csvSink) node(n *graphNode) error {
	return s.nodes.Write(append(s.row[:0], n.ID, n.Label, n.Kind, n.Roles))
}

func (s *csvSink) edge(e *graphEdge) error {
	directed := "true"
	if !e.Directed {
		directed = "false"
	}
	return s.edges.Write(append(s.row[:0], e.From, e.To, e.Type, e.Since, e.Until, e.Confidence, e.Source,
		e.Amount, e.Currency, e.Count, e.Duration, directed, e.ID))
}

func (s *csvSink) flush() error {
	s.nodes.Flush()
	s.edges.Flush()
	if err := s.nodes.Error(); err != nil {
		return fmt.Errorf("nodes: %w", err)
	}
	if err := s.edges.Error(); err != nil {
		return fmt.Errorf("edges: %w", err)
	}
	return nil
}
