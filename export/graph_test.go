package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func exportGraphML(t *testing.T, src Source) ([]byte, Counts) {
	t.Helper()
	var buf bytes.Buffer
	counts, err := GraphML(&buf, testCase, src)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), counts
}

func TestGraphMLGolden(t *testing.T) {
	out, _ := exportGraphML(t, fixture())
	golden(t, "case.graphml", out)
}

// parsedGraph is a GraphML document as read back in order.
type parsedGraph struct {
	keys  map[string]string // id → for
	nodes []parsedElement
	edges []parsedElement
}

type parsedElement struct {
	id, source, target, directed string
	data                         map[string]string
}

// parseGraphML reads GraphML with encoding/xml, checking as it goes that it is in the
// GraphML namespace, that every data element uses a key declared for its element,
// that node ids are unique and that an edge comes after both its ends.
func parseGraphML(t *testing.T, out []byte) parsedGraph {
	t.Helper()
	g := parsedGraph{keys: map[string]string{}}
	declared := map[string]bool{}
	dec := xml.NewDecoder(bytes.NewReader(out))
	var cur *parsedElement
	var dataKey string
	var text strings.Builder
	attr := func(se xml.StartElement, name string) string {
		for _, a := range se.Attr {
			if a.Name.Local == name && a.Name.Space == "" {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Space != GraphMLNamespace {
				t.Errorf("element %s is not in the GraphML namespace", tok.Name.Local)
			}
			switch tok.Name.Local {
			case "graph":
				if attr(tok, "edgedefault") != "directed" {
					t.Error("edgedefault is not directed")
				}
			case "key":
				g.keys[attr(tok, "id")] = attr(tok, "for")
				if attr(tok, "attr.name") == "" || attr(tok, "attr.type") == "" {
					t.Errorf("key %s lacks attr.name or attr.type", attr(tok, "id"))
				}
			case "node":
				id := attr(tok, "id")
				if declared[id] {
					t.Errorf("node %s declared twice", id)
				}
				declared[id] = true
				g.nodes = append(g.nodes, parsedElement{id: id, data: map[string]string{}})
				cur = &g.nodes[len(g.nodes)-1]
			case "edge":
				e := parsedElement{id: attr(tok, "id"), source: attr(tok, "source"), target: attr(tok, "target"),
					directed: attr(tok, "directed"), data: map[string]string{}}
				for _, end := range []string{e.source, e.target} {
					if !declared[end] {
						t.Errorf("edge %s names %s before it is declared", e.id, end)
					}
				}
				g.edges = append(g.edges, e)
				cur = &g.edges[len(g.edges)-1]
			case "data":
				dataKey = attr(tok, "key")
				text.Reset()
			}
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			if tok.Name.Local == "data" {
				want := "node"
				if cur.source != "" {
					want = "edge"
				}
				if g.keys[dataKey] != want {
					t.Errorf("%s: data key %q is not declared for %s", cur.id, dataKey, want)
				}
				cur.data[dataKey] = text.String()
			}
		}
	}
	return g
}

func TestGraphML(t *testing.T) {
	out, counts := exportGraphML(t, fixture())
	g := parseGraphML(t, out)
	nodes := map[string]parsedElement{}
	for _, n := range g.nodes {
		nodes[n.id] = n
	}
	edges := map[string]parsedElement{}
	for _, e := range g.edges {
		edges[e.id] = e
	}
	for _, tc := range []struct {
		id   string
		want map[string]string
	}{
		{"per_victim", map[string]string{"label": "V-0001", "kind": "person", "roles": "victim"}},
		{"per_father", map[string]string{"label": "Karim Fictus", "kind": "person", "roles": "complainant,guardian"}},
		{"org_shop", map[string]string{"label": "Fictional Video & Mobile Centre", "kind": "organisation"}},
		{"enp_vphone", map[string]string{"label": "V-0001", "kind": "endpoint"}},
		{"enp_bank", map[string]string{"label": "PK36SCBL0000001123456702", "kind": "endpoint"}},
		// Declared from the links that end at them.
		{"idf_vphone", map[string]string{"label": "phone of V-0001", "kind": "identifier"}},
		{"doc_p1", map[string]string{"label": "P-1 Fictional Daily: video shop raided", "kind": "document"}},
	} {
		if diff := cmp.Diff(tc.want, nodes[tc.id].data); diff != "" {
			t.Errorf("node %s differs (-want +got):\n%s", tc.id, diff)
		}
	}
	for _, tc := range []struct {
		id, source, target, directed string
		want                         map[string]string
	}{
		{"lnk_extorted", "per_tariq", "per_victim", "", map[string]string{"type": "extorted", "since": "2024-03", "until": "2024-04-01",
			"confidence": "0.9", "source": "S-2"}},
		{"pay_2", "per_father", "enp_wallet", "", map[string]string{"type": "paid", "since": "2024-04-01T09:30:00Z", "source": "S-1",
			"amount": "50000.50", "currency": "PKR", "count": "1"}},
		{"com_2", "enp_fphone", "enp_tphone", "false", map[string]string{"type": "call", "since": "2024-03-05T08:15:00Z",
			"source": "SB/3 line 3", "count": "1", "duration": "40"}},
		{"holds:enp_vphone:per_victim", "per_victim", "enp_vphone", "", map[string]string{"type": "holds"}},
		{"within:loc_house", "loc_house", "loc_chak", "", map[string]string{"type": "within"}},
	} {
		got := edges[tc.id]
		if got.source != tc.source || got.target != tc.target || got.directed != tc.directed {
			t.Errorf("edge %s: %s → %s directed=%q; want %s → %s directed=%q", tc.id, got.source, got.target, got.directed, tc.source, tc.target, tc.directed)
		}
		if diff := cmp.Diff(tc.want, got.data); diff != "" {
			t.Errorf("edge %s differs (-want +got):\n%s", tc.id, diff)
		}
	}
	want := Counts{
		Written: map[string]int64{"node:person": 4, "node:organisation": 1, "node:location": 2, "node:endpoint": 6,
			"node:identifier": 2, "node:document": 1, "edge:within": 1, "edge:holds": 4, "edge:link": 9,
			"edge:payment": 2, "edge:communication": 4},
		Skipped: map[string]int64{},
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("counts differ (-want +got):\n%s", diff)
	}
	if len(g.nodes) != 16 || len(g.edges) != 20 {
		t.Errorf("%d nodes and %d edges; want 16 and 20", len(g.nodes), len(g.edges))
	}
}

// TestAppendXML: any string, escaped, reads back from an attribute and from text as
// itself with the characters XML cannot hold replaced by U+FFFD.
func TestAppendXML(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom([]rune{'\t', '\n', '\r', '\uFFFE', 0xD800}, unicode.Cc, unicode.P, unicode.S)),
			rapid.Custom(func(t *rapid.T) string { return string(rapid.SliceOf(rapid.Byte()).Draw(t, "bytes")) })).Draw(t, "s")
		esc := string(appendXML(nil, s))
		var v struct {
			A    string `xml:"a,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(`<x a="`+esc+`">`+esc+`</x>`), &v); err != nil {
			t.Fatalf("%q escaped as %q: %v", s, esc, err)
		}
		want := strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r < 0xD800 || r >= 0xE000 && r < 0xFFFE || r >= 0x10000 && r <= 0x10FFFF {
				return r
			}
			return '\uFFFD'
		}, strings.ToValidUTF8(s, "\uFFFD"))
		// strings.ToValidUTF8 writes one U+FFFD for a run of bad bytes; appendXML
		// one per byte: compare without them.
		strip := func(s string) string { return strings.ReplaceAll(s, "\uFFFD", "") }
		if strip(v.A) != strip(want) || strip(v.Text) != strip(want) {
			t.Fatalf("%q read back as %q and %q; want %q", s, v.A, v.Text, want)
		}
	})
}

func exportCSV(t *testing.T, src Source) (nodes, edges []byte, counts Counts) {
	t.Helper()
	var n, e bytes.Buffer
	counts, err := CSV(&n, &e, src)
	if err != nil {
		t.Fatal(err)
	}
	return n.Bytes(), e.Bytes(), counts
}

func TestCSVGolden(t *testing.T) {
	nodes, edges, _ := exportCSV(t, fixture())
	golden(t, "nodes.csv", nodes)
	golden(t, "edges.csv", edges)
}

// readCSV reads a table, which must start with a byte order mark and a header.
func readCSV(t *testing.T, b []byte, header []string) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no byte order mark")
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Error("lines do not end in CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(header, rows[0]); diff != "" {
		t.Errorf("header differs (-want +got):\n%s", diff)
	}
	return rows[1:]
}

// TestCSVIsTheGraph: the tables hold GraphML's nodes and edges, in its order.
func TestCSVIsTheGraph(t *testing.T) {
	nodes, edges, counts := exportCSV(t, fixture())
	out, gcounts := exportGraphML(t, fixture())
	g := parseGraphML(t, out)
	if diff := cmp.Diff(gcounts, counts); diff != "" {
		t.Errorf("counts differ from GraphML's (-GraphML +CSV):\n%s", diff)
	}
	nrows := readCSV(t, nodes, CSVNodeColumns)
	if len(nrows) != len(g.nodes) {
		t.Fatalf("%d node rows; GraphML has %d nodes", len(nrows), len(g.nodes))
	}
	for i, n := range g.nodes {
		want := []string{n.id, n.data["label"], n.data["kind"], n.data["roles"]}
		if diff := cmp.Diff(want, nrows[i]); diff != "" {
			t.Errorf("node row %d differs (-GraphML +CSV):\n%s", i+1, diff)
		}
	}
	erows := readCSV(t, edges, CSVEdgeColumns)
	if len(erows) != len(g.edges) {
		t.Fatalf("%d edge rows; GraphML has %d edges", len(erows), len(g.edges))
	}
	for i, e := range g.edges {
		directed := "true"
		if e.directed == "false" {
			directed = "false"
		}
		d := e.data
		want := []string{e.source, e.target, d["type"], d["since"], d["until"], d["confidence"], d["source"], d["amount"],
			d["currency"], d["count"], d["duration"], directed, e.id}
		if diff := cmp.Diff(want, erows[i]); diff != "" {
			t.Errorf("edge row %d differs (-GraphML +CSV):\n%s", i+1, diff)
		}
	}
}

func TestCSVZip(t *testing.T) {
	nodes, edges, counts := exportCSV(t, fixture())
	src := fixture()
	var buf bytes.Buffer
	zcounts, err := CSVZip(&buf, src)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(counts, zcounts); diff != "" {
		t.Errorf("counts differ from CSV's (-CSV +zip):\n%s", diff)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]byte{nodes, edges}[i]
		if !bytes.Equal(b, want) {
			t.Errorf("%s differs from CSV's table:\n%s", f.Name, b)
		}
	}
	if diff := cmp.Diff([]string{"nodes.csv", "edges.csv"}, names); diff != "" {
		t.Errorf("entries differ (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"persons": 1, "organisations": 1, "locations": 2, "endpoints": 2, "links": 2,
		"payments": 1, "communications": 1}, src.calls); diff != "" {
		t.Errorf("Source calls differ (-want +got):\n%s", diff)
	}
	var again bytes.Buffer
	if _, err := CSVZip(&again, fixture()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two zips of the same case differ")
	}
}
