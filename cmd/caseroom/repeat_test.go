package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseroom/internal/testdata"
)

// TestIngestRepeatedImagesCLI is issue 21 as a new user met it: a folder holding
// a.jpg, an identical a_copy.jpg, the same file in z.zip (inner/a.jpg), a half-size
// re-encode a_small.jpg and an unrelated b.png, ingested with caseroom ingest: every
// image file has its content's PDQ hash, a.jpg, its copies and a_small.jpg form one
// cluster, b.png is on its own; caseroom ingest --rehash then finds nothing to repair.
func TestIngestRepeatedImagesCLI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cli(t, "Repeat-Password-Correct-9\n", "user", "add", "alice", "--admin", "--data", data)
	token := strings.TrimSpace(cli(t, "", "token", "create", "--user", "alice", "--data", data))
	base, stop := startServer(t, "--data", data)
	var c struct{ ID string }
	call(t, token, "POST", base+"/api/v1/cases", `{"title":"Operation Weir"}`, &c)
	if code := call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/exhibits",
		`{"ref":"DP/1","description":"Phone","kind":"phone","seizedAt":"2026-11-21T09:00:00Z"}`, nil); code != 201 {
		t.Fatalf("register exhibit: %d", code)
	}
	stop()

	orig, small, other := testdata.NearDuplicates(t, 75)
	src := filepath.Join(dir, "src")
	write(t, filepath.Join(src, "a.jpg"), orig)
	write(t, filepath.Join(src, "a_copy.jpg"), orig)
	write(t, filepath.Join(src, "a_small.jpg"), small)
	write(t, filepath.Join(src, "b.png"), other)
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("inner/a.jpg")
	w.Write(orig)
	zw.Close()
	write(t, filepath.Join(src, "z.zip"), zb.Bytes())

	cli(t, "", "ingest", "--data", data, "--case", c.ID, "--exhibit", "DP/1", "--json", src)
	base, stop = startServer(t, "--data", data)
	var list struct {
		Media []struct {
			Path, SHA256, PDQ, Cluster string
		}
	}
	if code := call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/media", "", &list); code != 200 || len(list.Media) != 5 {
		t.Fatalf("media: %d, %d files", code, len(list.Media))
	}
	stop()
	clusters := map[string]string{}
	contents := map[string]bool{}
	for _, m := range list.Media {
		if m.PDQ == "" {
			t.Errorf("%s: no PDQ hash", m.Path)
		}
		clusters[m.Path] = m.Cluster
		contents[m.SHA256] = true
	}
	if len(contents) != 3 {
		t.Errorf("%d contents; want 3", len(contents))
	}
	a := clusters["src/a.jpg"]
	for _, p := range []string{"src/a_copy.jpg", "src/z.zip!/inner/a.jpg", "src/a_small.jpg"} {
		if a == "" || clusters[p] != a {
			t.Errorf("%s in cluster %q; want a.jpg's (%q)", p, clusters[p], a)
		}
	}
	if clusters["src/b.png"] != "" {
		t.Errorf("b.png in cluster %q; want none", clusters["src/b.png"])
	}

	var rehash struct{ Contents, Hashed int }
	out := cli(t, "", "ingest", "--rehash", "--json", "--data", data)
	if err := json.Unmarshal([]byte(lastLine(out)), &rehash); err != nil || rehash.Contents != 0 {
		t.Errorf("ingest --rehash on a healthy store printed %q; want nothing to repair", out)
	}
}

// TestIngestWithoutStore runs caseroom ingest where there is no store, and into a
// store that holds no such case: each says which store it opened and what it lacks,
// and no empty store is made.
func TestIngestWithoutStore(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	write(t, filepath.Join(src, "a.bin"), []byte("a file"))
	empty := filepath.Join(dir, "nowhere")
	var out, errOut bytes.Buffer
	code := runContext(context.Background(), []string{"ingest", "--data", empty, "--case", "cas_x", "--exhibit", "DP/1", src}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "no Caseroom store in the data directory "+empty) {
		t.Errorf("ingest into no store: exit %d, %q; want it to name %s", code, errOut.String(), empty)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("the data directory %s was made (%v)", empty, err)
	}

	data := filepath.Join(dir, "data")
	cli(t, "NoCase-Password-Correct-9\n", "user", "add", "alice", "--admin", "--data", data)
	out.Reset()
	errOut.Reset()
	code = runContext(context.Background(), []string{"ingest", "--data", data, "--case", "cas_nosuchcase", "--exhibit", "DP/1", src}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "the data directory "+data) || !strings.Contains(errOut.String(), `no case "cas_nosuchcase"`) {
		t.Errorf("ingest into no such case: exit %d, %q; want it to name the store and the case", code, errOut.String())
	}
}
