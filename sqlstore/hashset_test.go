package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// imageHash is a perceptual hash for a test content: the PDQ hash h, and h in every
// orientation (a picture symmetric under rotation and mirroring).
func imageHash(h string, quality int) *caseroom.ImageHash {
	im := &caseroom.ImageHash{PDQ: h, Quality: quality}
	for i := range im.Dihedral {
		im.Dihedral[i] = h
	}
	return im
}

// knownSet is a set to import holding the given entries.
func knownSet(name string, entries ...caseroom.KnownHash) caseroom.NewHashSet {
	sum := sha256.Sum256(fmt.Append(nil, entries))
	return caseroom.NewHashSet{Name: name, Format: "vics", SourceSHA256: hex.EncodeToString(sum[:]),
		Entries: func(yield func(caseroom.KnownHash) error) error {
			for _, e := range entries {
				if err := yield(e); err != nil {
					return err
				}
			}
			return nil
		}}
}

// flip returns the hex hash h with its lowest n bits inverted: a hash at distance n.
func flip(h string, n int) string {
	b, _ := hex.DecodeString(h)
	for k := range n {
		b[31-k/8] ^= 1 << (k % 8)
	}
	return hex.EncodeToString(b)
}

// TestImageMatches records images and other files against a known-hash set and checks
// what each matches, the clusters, the summary, and a set imported afterwards.
func TestImageMatches(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Mirror")
		f.exhibit(f.ctx, caseroom.NewExhibit{Ref: "SB/1"})
		console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
		const x = "f8f8f0cee0f4a84f06370a22028f67f0b36e2ed596621e1d33e6b39c4e9c9b22"
		far := strings.Repeat("0", 64)
		b := fakeMedia("docs/b.bin", "content b")
		empty := fakeMedia("docs/empty.txt", "")
		set, err := s.DB.ImportHashSet(console, knownSet("National list",
			caseroom.KnownHash{MediaID: "7", Category: "1", PDQ: x, Series: "Lake"},
			caseroom.KnownHash{MediaID: "8", Category: "2", MD5: b.MD5},
			caseroom.KnownHash{MediaID: "9", Category: "2", MD5: empty.MD5})) // an empty file's MD5: matches nothing
		if err != nil || set.Entries != 3 || set.Matched != 0 {
			t.Fatalf("import: %+v, %v", set, err)
		}

		a := fakeMedia("photos/a.jpg", "content a")
		a.Image = imageHash(flip(x, 5), 90) // a re-encoded copy of the listed image
		rot := fakeMedia("photos/rotated.jpg", "content rotated")
		rot.Image = imageHash(far, 85) // rotated: only its rot90 form is near
		rot.Image.Dihedral[1] = flip(x, 9)
		c := fakeMedia("photos/c.jpg", "content c")
		c.Image = imageHash(flip(far, 64), 95)
		low := fakeMedia("photos/low.jpg", "content low")
		low.Image = imageHash(flip(x, 1), 30) // too flat to match
		if n, err := s.DB.RecordMedia(f.ctx, f.c.ID, "SB/1", []caseroom.NewMedia{a, rot, b, c, low, empty}); err != nil || n != 6 {
			t.Fatalf("record: %d, %v", n, err)
		}
		ms, err := s.DB.FindMedia(f.ctx, f.c.ID, caseroom.MediaFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		clusters := map[string]string{}
		for _, m := range ms {
			got[m.Path] = []string{}
			for _, mm := range m.Matches {
				got[m.Path] = append(got[m.Path], fmt.Sprintf("%s %s %d %s %s%s", mm.Kind, mm.By, mm.Distance, mm.Orientation, mm.HashSet+mm.Category, pathsOf(mm.Locations)))
			}
			clusters[m.Path] = m.Cluster
		}
		want := map[string][]string{
			"photos/a.jpg":       {"media pdq 4  [photos/rotated.jpg]", "known pdq 5 orig National list1"},
			"photos/rotated.jpg": {"media pdq 4 rot90 [photos/a.jpg]", "known pdq 9 rot90 National list1"},
			"docs/b.bin":         {"known md5 0  National list2"},
			"photos/c.jpg":       {},
			"photos/low.jpg":     {},
			"docs/empty.txt":     {},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("matches (-want +got):\n%s", diff)
		}
		if clusters["photos/a.jpg"] == "" || clusters["photos/a.jpg"] != clusters["photos/rotated.jpg"] || clusters["photos/c.jpg"] != "" {
			t.Errorf("clusters: %v", clusters)
		}
		sum, err := s.DB.SummariseMedia(f.ctx, f.c.ID)
		if err != nil || sum.MatchedKnown != 3 || sum.Clusters != 1 || sum.LargestCluster != 2 {
			t.Errorf("summary %+v, %v; want 3 matched, 1 cluster of 2", sum, err)
		}

		// A set imported later is matched against what is already recorded.
		later, err := s.DB.ImportHashSet(console, knownSet("Interpol list", caseroom.KnownHash{Category: "1", SHA256: c.SHA256},
			caseroom.KnownHash{Category: "1", SHA1: empty.SHA1}))
		if err != nil || later.Matched != 1 {
			t.Fatalf("later import: %+v, %v", later, err)
		}
		if sum, _ := s.DB.SummariseMedia(f.ctx, f.c.ID); sum.MatchedKnown != 4 {
			t.Errorf("after the later set, %d contents matched; want 4", sum.MatchedKnown)
		}
		sets, err := s.DB.FindHashSets(f.ctx)
		if err != nil || len(sets) != 2 || sets[0].Name != "National list" || sets[0].Entries != 3 || sets[0].Matched != 3 || sets[1].Matched != 1 {
			t.Errorf("sets: %+v, %v", sets, err)
		}
		var exported []string
		err = s.DB.ExportMediaHashes(f.ctx, f.c.ID, func(k caseroom.KnownHash) error {
			exported = append(exported, k.SHA256[:4]+":"+k.Category+":"+k.PDQ[:min(4, len(k.PDQ))])
			return nil
		})
		if err != nil || len(exported) != 6 {
			t.Errorf("export: %v, %v", exported, err)
		}
	})
}

func pathsOf(locs []caseroom.MediaLocation) string {
	if len(locs) == 0 {
		return ""
	}
	var ps []string
	for _, l := range locs {
		ps = append(ps, l.Path)
	}
	return fmt.Sprint(ps)
}

// TestHashSetImportRefuses: bad input to an import changes nothing.
func TestHashSetImportRefuses(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		f := newFixture(t, s, "sara", "Operation Refusal")
		console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
		if _, err := s.DB.ImportHashSet(console, knownSet("First", caseroom.KnownHash{MD5: strings.Repeat("a", 32)})); err != nil {
			t.Fatal(err)
		}
		before := s.Count("audit_log")
		for name, tc := range map[string]struct {
			ctx  context.Context
			set  caseroom.NewHashSet
			code string
			msg  string
		}{
			"not an admin": {f.ctx, knownSet("Second", caseroom.KnownHash{MD5: strings.Repeat("a", 32)}), caseroom.EFORBIDDEN, "administrator"},
			"name taken":   {console, knownSet("First", caseroom.KnownHash{MD5: strings.Repeat("b", 32)}), caseroom.ECONFLICT, `"First" is already imported`},
			"bad hash": {console, knownSet("Third", caseroom.KnownHash{MD5: strings.Repeat("c", 32)}, caseroom.KnownHash{SHA1: "xyz"}),
				caseroom.EINVALID, `entry 2: sha1 "xyz" is not 40 lower-case hex characters`},
			"no hash": {console, knownSet("Fourth", caseroom.KnownHash{Category: "1"}), caseroom.EINVALID, "entry 1: no hash"},
			"empty":   {console, knownSet("Fifth"), caseroom.EINVALID, "no entries"},
			"reader fails": {console, caseroom.NewHashSet{Name: "Sixth", Format: "csv", SourceSHA256: strings.Repeat("0", 64),
				Entries: func(yield func(caseroom.KnownHash) error) error {
					if err := yield(caseroom.KnownHash{MD5: strings.Repeat("d", 32)}); err != nil {
						return err
					}
					return caseroom.Errorf(caseroom.EINVALID, "line 3, column md5: not hex")
				}}, caseroom.EINVALID, "line 3"},
		} {
			_, err := s.DB.ImportHashSet(tc.ctx, tc.set)
			if caseroom.ErrorCode(err) != tc.code || !strings.Contains(caseroom.ErrorMessage(err), tc.msg) {
				t.Errorf("%s: %v; want %s containing %q", name, err, tc.code, tc.msg)
			}
		}
		if n := s.Count("audit_log"); n != before {
			t.Errorf("refused imports wrote %d audit entries", n-before)
		}
		if sets, _ := s.DB.FindHashSets(f.ctx); len(sets) != 1 {
			t.Errorf("%d sets after refused imports", len(sets))
		}
	})
}
