package main

import (
	"archive/zip"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestAndBlobsVerify is issue 5 tried as a new user would: register SB/1, ingest
// a folder with copies (renamed, and inside a zip), run it again, and check the blob
// store with blobs verify; then damage, remove and add blobs behind the server's back
// and see blobs verify say so and exit 1.
func TestIngestAndBlobsVerify(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cli(t, "Ingest-Password-Correct-9\n", "user", "add", "alice", "--admin", "--data", data)
	token := strings.TrimSpace(cli(t, "", "token", "create", "--user", "alice", "--data", data))
	base, stop := startServer(t, "--data", data)
	var c struct{ ID string }
	call(t, token, "POST", base+"/api/v1/cases", `{"title":"Operation Copies"}`, &c)
	if code := call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/exhibits",
		`{"ref":"SB/1","description":"CD bought from a villager","kind":"disc","seizedAt":"2026-11-20T09:00:00Z"}`, nil); code != 201 {
		t.Fatalf("register exhibit: %d", code)
	}
	stop()

	// 6 contents; 3 copies: one renamed, two in a zip.
	src := filepath.Join(dir, "cd")
	var contents [][]byte
	for i := range 6 {
		b := make([]byte, 1000+i*5000)
		rand.Read(b)
		contents = append(contents, b)
		write(t, filepath.Join(src, "clips", "clip"+string(rune('a'+i))+".bin"), b)
	}
	write(t, filepath.Join(src, "other", "renamed.dat"), contents[2])
	zf, err := os.Create(filepath.Join(src, "other", "bundle.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	for i, b := range [][]byte{contents[0], contents[5]} {
		w, _ := zw.Create("inner/" + string(rune('x'+i)) + ".bin")
		w.Write(b)
	}
	zw.Close()
	zf.Close()

	var sum struct {
		Files, New, Copies, Skipped, Errors int
		Case                                struct{ Files, Unique, Copies int }
	}
	out := cli(t, "", "ingest", "--data", data, "--case", c.ID, "--exhibit", "SB/1", "--json", src)
	if err := json.Unmarshal([]byte(lastLine(out)), &sum); err != nil {
		t.Fatalf("ingest --json printed %q: %v", out, err)
	}
	if sum.Files != 9 || sum.New != 6 || sum.Copies != 3 || sum.Errors != 0 || sum.Case.Unique != 6 || sum.Case.Copies != 3 {
		t.Fatalf("first ingest: %+v", sum)
	}
	out = cli(t, "", "ingest", "--data", data, "--case", c.ID, "--exhibit", "SB/1", "--json", src)
	json.Unmarshal([]byte(lastLine(out)), &sum)
	if sum.Skipped != 9 || sum.New != 0 || sum.Case.Files != 9 {
		t.Fatalf("second ingest: %+v", sum)
	}

	verify := func() (int, map[string]int, string) {
		code, out, errOut := runCLI("blobs", "verify", "--data", data, "--json")
		var rep map[string]int
		if err := json.Unmarshal([]byte(lastLine(out)), &rep); err != nil {
			t.Fatalf("blobs verify --json printed %q: %v", out, err)
		}
		return code, rep, errOut
	}
	if code, rep, errOut := verify(); code != 0 || rep["blobs"] != 6 || rep["ok"] != 6 || rep["corrupt"]+rep["orphans"]+rep["missing"] != 0 {
		t.Fatalf("blobs verify on an intact store: exit %d %v %s", code, rep, errOut)
	}

	// Damage one blob, remove another, and leave a stray one.
	var files []string
	filepath.WalkDir(filepath.Join(data, "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(d.Name()) == 64 {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 6 {
		t.Fatalf("%d blob files on disk, want 6", len(files))
	}
	damaged, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	damaged[len(damaged)/2] ^= 1
	write(t, files[0], damaged)
	if err := os.Remove(files[1]); err != nil {
		t.Fatal(err)
	}
	stray, _ := os.ReadFile(files[2])
	write(t, filepath.Join(filepath.Dir(files[2]), filepath.Base(files[2])[:2]+strings.Repeat("0", 62)), stray)
	code, rep, errOut := verify()
	if code != 1 || rep["corrupt"] < 1 || rep["missing"] != 1 || rep["orphans"] != 1 {
		t.Fatalf("blobs verify after damage: exit %d %v\n%s", code, rep, errOut)
	}
	for _, word := range []string{"corrupt:", "missing:", "orphan:"} {
		if !strings.Contains(errOut, word) {
			t.Errorf("blobs verify does not name the %s blob:\n%s", strings.TrimSuffix(word, ":"), errOut)
		}
	}

	// A path that does not exist is reported and the exit status says so.
	code, out, errOut = runCLI("ingest", "--data", data, "--case", c.ID, "--exhibit", "SB/1", filepath.Join(dir, "nowhere"))
	if code != 1 || !strings.Contains(errOut, "nowhere") {
		t.Fatalf("ingest of a missing path: exit %d\n%s%s", code, out, errOut)
	}
}

func write(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
