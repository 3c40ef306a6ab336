package main

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/draw"

	"caseroom/pdq"
)

// TestKnownSetFlagsCopies is issue 6's "done when": a VICS file listing an image (by its
// PDQ hash) is imported, then a folder with a resized and a rotated copy of the image
// and an unrelated picture is ingested; both copies are flagged as matching the set,
// and form one cluster, and the unrelated picture is not.
func TestKnownSetFlagsCopies(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cli(t, "Hashset-Password-Correct-9\n", "user", "add", "alice", "--admin", "--data", data)
	token := strings.TrimSpace(cli(t, "", "token", "create", "--user", "alice", "--data", data))
	base, stop := startServer(t, "--data", data)
	var c struct{ ID string }
	call(t, token, "POST", base+"/api/v1/cases", `{"title":"Operation Lake"}`, &c)
	if code := call(t, token, "POST", base+"/api/v1/cases/"+c.ID+"/exhibits",
		`{"ref":"SB/2","description":"Phone","kind":"phone","seizedAt":"2026-11-21T09:00:00Z"}`, nil); code != 201 {
		t.Fatalf("register exhibit: %d", code)
	}
	stop()

	// The listed image: a benign test photo. Its hash goes in the set; it is not seized.
	orig := filepath.Join(pdqTestdata(t), "images/bridge-mods/aaa-orig.jpg")
	raw, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	l, _, err := pdq.Decode(raw, 0)
	if err != nil {
		t.Fatal(err)
	}
	listed, _ := l.Hash()
	img, _, err := image.Decode(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	resized := image.NewRGBA(image.Rect(0, 0, b.Dx()/3, b.Dy()/3))
	draw.BiLinear.Scale(resized, resized.Bounds(), img, b, draw.Src, nil)
	rotated := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			rotated.Set(b.Dy()-1-y, x, img.At(b.Min.X+x, b.Min.Y+y)) // 90° clockwise
		}
	}
	src := filepath.Join(dir, "phone")
	save := func(name string, enc func(*os.File) error) {
		t.Helper()
		if err := os.MkdirAll(src, 0o700); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := enc(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	save("small.jpg", func(f *os.File) error { return jpeg.Encode(f, resized, &jpeg.Options{Quality: 70}) })
	save("turned.png", func(f *os.File) error { return png.Encode(f, rotated) })
	unrelated, err := os.ReadFile(filepath.Join(pdqTestdata(t), "synthetic/smooth-640x480.png"))
	if err != nil {
		t.Fatal(err)
	}
	save("other.png", func(f *os.File) error { _, err := f.Write(unrelated); return err })

	otherMD5 := md5.Sum([]byte("a file the set lists by MD5 alone"))
	vics := fmt.Sprintf(`{"@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media",
"value":[{"MediaID":101,"Category":1,"MD5":"%s","VictimIdentified":"false"},
{"MediaID":102,"Category":1,"Series":"Lake","AlternativeHashes":[{"HashName":"PDQ","HashValue":"%s"}]}]}`,
		hex.EncodeToString(otherMD5[:]), strings.ToUpper(listed.String()))
	setFile := filepath.Join(dir, "known.json")
	if err := os.WriteFile(setFile, []byte("\ufeff"+vics), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := cli(t, "", "hashset", "import", setFile, "--name", "Project VIC sample", "--data", data); !strings.Contains(out, "2 entries; 0 recorded contents match it") {
		t.Errorf("hashset import printed %q", out)
	}
	cli(t, "", "ingest", "--data", data, "--case", c.ID, "--exhibit", "SB/2", "--json", src)

	base, stop = startServer(t, "--data", data)
	defer stop()
	var list struct {
		Media []struct {
			Path       string
			PDQ        string
			PDQQuality int
			Cluster    string
			Matches    []struct {
				Kind, By, Orientation, HashSet, Category, KnownMediaID, Series string
				Distance                                                       int
			}
		}
	}
	if code := call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/media", "", &list); code != 200 || len(list.Media) != 3 {
		t.Fatalf("media: %d, %d files", code, len(list.Media))
	}
	for _, m := range list.Media {
		var known []string
		for _, mm := range m.Matches {
			if mm.Kind == "known" {
				known = append(known, fmt.Sprintf("%s %s/%s %s %d", mm.By, mm.HashSet, mm.KnownMediaID, mm.Orientation, mm.Distance))
				if mm.Distance > 31 || mm.Category != "1" || mm.Series != "Lake" {
					t.Errorf("%s: match %+v", m.Path, mm)
				}
			}
		}
		t.Logf("%s: pdq %s quality %d cluster %q known %v", m.Path, m.PDQ, m.PDQQuality, m.Cluster, known)
		switch m.Path {
		case "phone/small.jpg":
			if len(known) != 1 || !strings.HasPrefix(known[0], "pdq Project VIC sample/102 orig ") {
				t.Errorf("resized copy: known matches %v", known)
			}
		case "phone/turned.png":
			if len(known) != 1 || !strings.HasPrefix(known[0], "pdq Project VIC sample/102 rot") {
				t.Errorf("rotated copy: known matches %v", known)
			}
		case "phone/other.png":
			if len(known) != 0 || m.Cluster != "" {
				t.Errorf("unrelated picture: known %v, cluster %q", known, m.Cluster)
			}
		default:
			t.Errorf("unexpected file %q", m.Path)
		}
	}
	var sum struct{ Files, Unique, MatchedKnown, Clusters, LargestCluster int }
	call(t, token, "GET", base+"/api/v1/cases/"+c.ID+"/media/summary", "", &sum)
	if sum.Files != 3 || sum.MatchedKnown != 2 || sum.Clusters != 1 || sum.LargestCluster != 2 {
		t.Errorf("summary %+v; want 3 files, 2 matched known, 1 cluster of 2", sum)
	}
}
