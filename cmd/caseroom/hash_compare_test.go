package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestHashCompareReproducesGroundTruth runs hash compare on ThreatExchange's needles and
// haystack: at radius 63 its output is the expected file byte for byte, and at smaller
// radii (31 by default) the file's lines within the radius.
func TestHashCompareReproducesGroundTruth(t *testing.T) {
	dir := pdqTestdata(t)
	needles := filepath.Join(dir, "hashlists", "needles.txt")
	haystack := filepath.Join(dir, "hashlists", "haystack.txt")
	want, err := os.ReadFile(filepath.Join(dir, "expected", "mih_needles_vs_haystack_le63.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cli(t, "", "hash", "compare", "--radius", "63", needles, haystack); got != string(want) {
		t.Fatalf("radius 63: output differs from the expected file:\n%s", firstDifference(got, string(want)))
	}
	for _, radius := range []string{"", "0", "16", "31", "47"} {
		args := []string{"hash", "compare", needles, haystack}
		r := 31
		if radius != "" {
			args = append(args, "--radius", radius)
			r, _ = strconv.Atoi(radius)
		}
		var filtered bytes.Buffer
		for i, line := range strings.SplitAfter(string(want), "\n") {
			fields := strings.Split(strings.TrimSpace(line), ",")
			if d, err := strconv.Atoi(fields[len(fields)-1]); i == 0 || err == nil && d <= r {
				filtered.WriteString(line)
			}
		}
		if r == 31 && strings.Count(filtered.String(), "\n") != 251 {
			t.Fatalf("the expected file has %d lines within 31, not a header and 250", strings.Count(filtered.String(), "\n"))
		}
		if got := cli(t, "", args...); got != filtered.String() {
			t.Fatalf("radius %q: output differs from the expected file filtered:\n%s", radius, firstDifference(got, filtered.String()))
		}
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ": got " + strconv.Quote(gl) + ", want " + strconv.Quote(wl)
		}
	}
	return "(no line differs)"
}
