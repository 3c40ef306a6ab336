package audit_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	"pgregory.net/rapid"

	"caseroom/audit"
	goldenfile "caseroom/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}

// goldenCheckpoint is a fixed checkpoint: its text must never change, or every
// checkpoint that courts and witnesses hold stops verifying.
func goldenCheckpoint() audit.Checkpoint {
	return audit.Checkpoint{
		Origin: "caseroom.example/log",
		Size:   1234,
		Hash:   sha256.Sum256([]byte("caseroom golden checkpoint")),
	}
}

// fixedLogSigner returns a note signer made from a fixed Ed25519 seed, so that signed
// notes are reproducible (Ed25519 signatures are deterministic).
func fixedLogSigner(t *testing.T, name string) (note.Signer, note.Verifier) {
	t.Helper()
	seed := sha256.Sum256([]byte("caseroom golden log key"))
	pub := ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		t.Fatal(err)
	}
	id := strings.Split(vkey, "+")[1]
	skey := "PRIVATE+KEY+" + name + "+" + id + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, seed[:]...))
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return signer, verifier
}

// fixedWitnessKey returns a witness key made from a fixed seed.
func fixedWitnessKey(t *testing.T, name string) *audit.WitnessKey {
	t.Helper()
	seed := sha256.Sum256([]byte("caseroom golden witness key"))
	pub := ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
	id := sha256.Sum256(append([]byte(name+"\n\x04"), pub...))
	k, err := audit.ParseWitnessKey("PRIVATE+KEY+" + name + "+" + hex.EncodeToString(id[:4]) + "+" +
		base64.StdEncoding.EncodeToString(append([]byte{4}, seed[:]...)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCheckpointText(t *testing.T) {
	c := goldenCheckpoint()
	want := "caseroom.example/log\n1234\n" + base64.StdEncoding.EncodeToString(c.Hash[:]) + "\n"
	if got := c.Text(); got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
	golden(t, "checkpoint.golden", []byte(c.Text()))

	// Size zero is written "0", not as an empty line.
	if got := (audit.Checkpoint{Origin: "o", Size: 0}).Text(); !strings.HasPrefix(got, "o\n0\n") {
		t.Errorf("Text() of size 0 = %q", got)
	}
}

// TestSignedCheckpointGolden pins the whole signed note, with a cosignature, made with
// fixed keys: the bytes a witness or a court receives.
func TestSignedCheckpointGolden(t *testing.T) {
	c := goldenCheckpoint()
	signer, verifier := fixedLogSigner(t, c.Origin)
	signed, err := audit.SignCheckpoint(c, signer)
	if err != nil {
		t.Fatal(err)
	}
	w := fixedWitnessKey(t, "oversight.example/witness")
	cosigned := append(signed, w.Cosign(c.Text(), time.Unix(1700000000, 0))...)
	golden(t, "checkpoint-cosigned.golden", cosigned)

	got, n, err := audit.OpenCheckpoint(cosigned, verifier)
	if err != nil {
		t.Fatalf("OpenCheckpoint(golden note): %v", err)
	}
	if got != c || len(n.Sigs) != 1 || len(n.UnverifiedSigs) != 1 {
		t.Errorf("golden note opens as %+v with %d signatures and %d unverified, want %+v, 1 and 1", got, len(n.Sigs), len(n.UnverifiedSigs), c)
	}
}

func TestParseCheckpointRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := audit.Checkpoint{
			Origin: rapid.StringMatching(`[^\n]{1,40}`).Draw(t, "origin"),
			Size:   rapid.Int64Min(0).Draw(t, "size"),
			Hash:   tlog.Hash(rapid.SliceOfN(rapid.Byte(), tlog.HashSize, tlog.HashSize).Draw(t, "hash")),
		}
		got, err := audit.ParseCheckpoint(c.Text())
		if err != nil {
			t.Fatalf("ParseCheckpoint(%q): %v", c.Text(), err)
		}
		if got != c {
			t.Fatalf("ParseCheckpoint(Text()) = %+v, want %+v", got, c)
		}
	})
}

func TestParseCheckpointRejects(t *testing.T) {
	root := base64.StdEncoding.EncodeToString(make([]byte, 32)) // "AAAA…AA="
	ok := "example.com/log\n12\n" + root + "\n"
	if _, err := audit.ParseCheckpoint(ok); err != nil {
		t.Fatalf("ParseCheckpoint(%q): %v", ok, err)
	}
	for name, text := range map[string]string{
		"empty":                          "",
		"missing final newline":          "example.com/log\n12\n" + root,
		"extension line":                 ok + "extra\n",
		"extension line without newline": ok + "extra",
		"blank fourth line":              ok + "\n",
		"two lines":                      "example.com/log\n12\n",
		"empty origin":                   "\n12\n" + root + "\n",
		"CRLF line endings":              "example.com/log\r\n12\r\n" + root + "\r\n",
		"size with leading zero":         "example.com/log\n012\n" + root + "\n",
		"size with plus sign":            "example.com/log\n+12\n" + root + "\n",
		"negative size":                  "example.com/log\n-12\n" + root + "\n",
		"minus zero":                     "example.com/log\n-0\n" + root + "\n",
		"size not digits":                "example.com/log\n1a\n" + root + "\n",
		"size hexadecimal":               "example.com/log\n0x12\n" + root + "\n",
		"size with underscore":           "example.com/log\n1_2\n" + root + "\n",
		"size with space":                "example.com/log\n 12\n" + root + "\n",
		"empty size":                     "example.com/log\n\n" + root + "\n",
		"size overflows int64":           "example.com/log\n9223372036854775808\n" + root + "\n",
		"root of 31 bytes":               "example.com/log\n12\n" + base64.StdEncoding.EncodeToString(make([]byte, 31)) + "\n",
		"root of 33 bytes":               "example.com/log\n12\n" + base64.StdEncoding.EncodeToString(make([]byte, 33)) + "\n",
		"root without padding":           "example.com/log\n12\n" + strings.TrimSuffix(root, "=") + "\n",
		"root in URL base64":             "example.com/log\n12\n" + base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32)) + "\n",
		"root in hex":                    "example.com/log\n12\n" + hex.EncodeToString(make([]byte, 32)) + "\n",
		"empty root":                     "example.com/log\n12\n\n",
		// The same 32 bytes, spelt differently: the parsed checkpoint's Text would not
		// be the text that was signed.
		"root with nonzero padding bits": "example.com/log\n12\n" + root[:42] + "B=\n",
		"root with a carriage return":    "example.com/log\n12\n" + root[:20] + "\r" + root[20:] + "\n",
	} {
		if c, err := audit.ParseCheckpoint(text); err == nil {
			t.Errorf("%s: ParseCheckpoint(%q) = %+v, want an error", name, text, c)
		}
	}
}

func FuzzParseCheckpoint(f *testing.F) {
	c := goldenCheckpoint()
	f.Add(c.Text())
	f.Add("o\n0\n" + base64.StdEncoding.EncodeToString(make([]byte, 32)) + "\n")
	f.Add(c.Text() + "extra\n")
	f.Add("caseroom.example/log\n01\nAAAA\n")
	f.Add("\n\n\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := audit.ParseCheckpoint(text)
		if err != nil {
			return
		}
		if got := c.Text(); got != text {
			t.Fatalf("ParseCheckpoint(%q) = %+v, whose Text() is %q: two texts for one checkpoint", text, c, got)
		}
		if c.Origin == "" || c.Size < 0 {
			t.Fatalf("ParseCheckpoint(%q) = %+v: empty origin or negative size accepted", text, c)
		}
	})
}

func TestSignAndOpenCheckpoint(t *testing.T) {
	key := newLogKey(t)
	tree := newTree(t, 7, "sign")
	c := audit.Checkpoint{Origin: key.Origin(), Size: 7, Hash: tree.root(t, 7)}
	signed, err := audit.SignCheckpoint(c, key.Signer)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(signed, []byte(c.Text()+"\n— "+key.Origin()+" ")) {
		t.Errorf("signed checkpoint is not the body, a blank line and the log's signature line:\n%s", signed)
	}
	got, n, err := audit.OpenCheckpoint(signed, key.Verifier)
	if err != nil {
		t.Fatalf("OpenCheckpoint: %v", err)
	}
	if got != c || n.Text != c.Text() || len(n.Sigs) != 1 || n.Sigs[0].Name != key.Origin() {
		t.Errorf("OpenCheckpoint = %+v, %+v; want %+v signed once by %s", got, n, c, key.Origin())
	}

	// The public key as given to witnesses and courts opens it too.
	v, err := note.NewVerifier(key.VerifierKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := audit.OpenCheckpoint(signed, v); err != nil {
		t.Errorf("OpenCheckpoint with note.NewVerifier(VerifierKey): %v", err)
	}

	t.Run("signer is not the origin", func(t *testing.T) {
		other := c
		other.Origin = "other.example/log"
		if _, err := audit.SignCheckpoint(other, key.Signer); err == nil {
			t.Error("SignCheckpoint signed a checkpoint whose origin is not the signer's name")
		}
	})
	t.Run("signed by another key of the same name", func(t *testing.T) {
		forged := signedCheckpoint(t, impostorSigner(t, key.Origin()), tree, 7)
		if _, _, err := audit.OpenCheckpoint(forged, key.Verifier); err == nil {
			t.Error("OpenCheckpoint accepted a checkpoint signed by another key")
		}
	})
	t.Run("signed by another log", func(t *testing.T) {
		other := newLogKey(t)
		forged := signedCheckpoint(t, other.Signer, tree, 7)
		if _, _, err := audit.OpenCheckpoint(forged, key.Verifier); err == nil {
			t.Error("OpenCheckpoint accepted another log's checkpoint")
		}
	})
	t.Run("size edited", func(t *testing.T) {
		edited := bytes.Replace(signed, []byte("\n7\n"), []byte("\n8\n"), 1)
		if bytes.Equal(edited, signed) {
			t.Fatal("test did not edit the note")
		}
		if _, _, err := audit.OpenCheckpoint(edited, key.Verifier); err == nil {
			t.Error("OpenCheckpoint accepted a checkpoint whose size was edited after signing")
		}
	})
	t.Run("root edited", func(t *testing.T) {
		other := tree.root(t, 6)
		edited := bytes.Replace(signed, []byte(base64.StdEncoding.EncodeToString(c.Hash[:])), []byte(base64.StdEncoding.EncodeToString(other[:])), 1)
		if _, _, err := audit.OpenCheckpoint(edited, key.Verifier); err == nil {
			t.Error("OpenCheckpoint accepted a checkpoint whose root was edited after signing")
		}
	})
	t.Run("different origin signed by the log key", func(t *testing.T) {
		body := audit.Checkpoint{Origin: "other.example/log", Size: 7, Hash: c.Hash}.Text()
		n, err := note.Sign(&note.Note{Text: body}, key.Signer)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = audit.OpenCheckpoint(n, key.Verifier)
		if err == nil || !strings.Contains(err.Error(), "origin") {
			t.Errorf("OpenCheckpoint of another origin's checkpoint signed with the log key: err = %v, want an error about the origin", err)
		}
	})
	t.Run("signed note that is no checkpoint", func(t *testing.T) {
		n, err := note.Sign(&note.Note{Text: c.Text() + "extension\n"}, key.Signer)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := audit.OpenCheckpoint(n, key.Verifier); err == nil {
			t.Error("OpenCheckpoint accepted a signed note of four lines")
		}
	})
	t.Run("not a note", func(t *testing.T) {
		for _, b := range [][]byte{nil, []byte(c.Text()), signed[:len(signed)-1]} {
			if _, _, err := audit.OpenCheckpoint(b, key.Verifier); err == nil {
				t.Errorf("OpenCheckpoint(%q) succeeded", b)
			}
		}
	})
}
