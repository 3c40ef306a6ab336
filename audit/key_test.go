package audit_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"caseroom/audit"
)

// checkLogKey checks that k's signatures verify with k.Verifier and with a verifier made
// from k.VerifierKey alone, as a witness or a court would make it.
func checkLogKey(t *testing.T, k *audit.LogKey) {
	t.Helper()
	signed, err := note.Sign(&note.Note{Text: "a note to sign\n"}, k.Signer)
	if err != nil {
		t.Fatalf("sign with %s: %v", k.Origin(), err)
	}
	if _, err := note.Open(signed, note.VerifierList(k.Verifier)); err != nil {
		t.Errorf("key %s: a signature by Signer does not verify with Verifier: %v", k.Origin(), err)
	}
	v, err := note.NewVerifier(k.VerifierKey)
	if err != nil {
		t.Fatalf("note.NewVerifier(%q): %v", k.VerifierKey, err)
	}
	if _, err := note.Open(signed, note.VerifierList(v)); err != nil {
		t.Errorf("key %s: a signature by Signer does not verify with VerifierKey %q: %v", k.Origin(), k.VerifierKey, err)
	}
	if v.Name() != k.Origin() || k.Verifier.Name() != k.Origin() || k.Verifier.KeyHash() != k.Signer.KeyHash() {
		t.Errorf("key %s: verifier named %s/%s, hashes %08x/%08x", k.Origin(), v.Name(), k.Verifier.Name(), k.Verifier.KeyHash(), k.Signer.KeyHash())
	}
}

func TestLoadOrCreateLogKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "log.key") // the directory is made too
	k1, err := audit.LoadOrCreateLogKey(path)
	if err != nil {
		t.Fatalf("first call: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no key file after the first call: %v", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600: the log's private key must not be readable by others", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "PRIVATE+KEY+"+k1.Origin()+"+") || !strings.HasSuffix(string(b), "\n") {
		t.Errorf("key file holds %q, want PRIVATE+KEY+%s+… and a newline", b, k1.Origin())
	}
	if !strings.HasPrefix(k1.Origin(), "caseroom.local/") || len(k1.Origin()) <= len("caseroom.local/") {
		t.Errorf("origin %q, want caseroom.local/<random id>", k1.Origin())
	}
	if !strings.HasPrefix(k1.VerifierKey, k1.Origin()+"+") {
		t.Errorf("VerifierKey %q does not name the origin %q", k1.VerifierKey, k1.Origin())
	}
	checkLogKey(t, k1)

	k2, err := audit.LoadOrCreateLogKey(path)
	if err != nil {
		t.Fatalf("second call: %v", err)
	}
	if k2.VerifierKey != k1.VerifierKey {
		t.Errorf("second call returned key %q, first %q: the log key changed", k2.VerifierKey, k1.VerifierKey)
	}
	if b2, _ := os.ReadFile(path); string(b2) != string(b) {
		t.Error("the second call rewrote the key file")
	}
	// A checkpoint signed with the first key opens with the reloaded one.
	signed := signedCheckpoint(t, k1.Signer, newTree(t, 3, "reload"), 3)
	if _, _, err := audit.OpenCheckpoint(signed, k2.Verifier); err != nil {
		t.Errorf("checkpoint signed before reloading the key: %v", err)
	}

	// Two logs never share an origin.
	if other := newLogKey(t); other.Origin() == k1.Origin() {
		t.Errorf("two new log keys share the origin %q", other.Origin())
	}
}

// TestLogKeysWithPlusInBase64 makes many keys, so that base64 key material holding '+'
// (about half of all keys) is read back right: a key split on every '+' lost it.
func TestLogKeysWithPlusInBase64(t *testing.T) {
	dir := t.TempDir()
	plus := 0
	for i := range 200 {
		path := filepath.Join(dir, fmt.Sprintf("log%d.key", i))
		k, err := audit.LoadOrCreateLogKey(path)
		if err != nil {
			t.Fatalf("key %d: %v", i, err)
		}
		b, _ := os.ReadFile(path)
		parts := strings.SplitN(strings.TrimSpace(string(b)), "+", 5)
		if strings.Contains(parts[4], "+") || strings.Contains(strings.SplitN(k.VerifierKey, "+", 3)[2], "+") {
			plus++
		}
		checkLogKey(t, k)
		if t.Failed() {
			t.Fatalf("key file %q", b)
		}
	}
	if plus == 0 {
		t.Fatal("none of 200 keys had '+' in its base64; the test exercised nothing")
	}

	// Keys made by note.GenerateKey load with exactly the verifier key it made.
	plus = 0
	for i := range 200 {
		skey, vkey, err := note.GenerateKey(rand.Reader, "caseroom.test/log")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("gen%d.key", i))
		if err := os.WriteFile(path, []byte(skey+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		k, err := audit.LoadLogKey(path)
		if err != nil {
			t.Fatalf("LoadLogKey(%q): %v", skey, err)
		}
		if k.VerifierKey != vkey {
			t.Fatalf("LoadLogKey(%q).VerifierKey = %q, want %q", skey, k.VerifierKey, vkey)
		}
		if strings.Count(skey, "+") > 4 || strings.Count(vkey, "+") > 2 {
			plus++
		}
	}
	if plus == 0 {
		t.Fatal("none of 200 generated keys had '+' in its base64")
	}
}

func TestLoadOrCreateLogKeyConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.key")
	keys := make([]*audit.LogKey, 8)
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = audit.LoadOrCreateLogKey(path) })
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if keys[i].VerifierKey != keys[0].VerifierKey {
			t.Errorf("concurrent calls returned different keys: %q and %q", keys[0].VerifierKey, keys[i].VerifierKey)
		}
	}
}

func TestCorruptLogKey(t *testing.T) {
	skey, _, err := note.GenerateKey(rand.Reader, "caseroom.test/log")
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"empty":              "",
		"garbage":            "not a key at all\n",
		"public key":         "caseroom.test/log+01234567+AQIDBA==\n",
		"truncated":          skey[:len(skey)-10] + "\n",
		"bad base64":         skey[:len(skey)-4] + "!!!!\n",
		"no key material":    "PRIVATE+KEY+caseroom.test/log+01234567+\n",
		"too few fields":     "PRIVATE+KEY+caseroom.test/log\n",
		"wrong key id":       strings.Replace(skey, strings.Split(skey, "+")[3], "00000000", 1) + "\n",
		"binary":             "\x00\xff\xfe\n",
		"unknown algorithm":  "PRIVATE+KEY+caseroom.test/log+01234567+" + base64.StdEncoding.EncodeToString(append([]byte{9}, make([]byte, 32)...)) + "\n",
		"two keys in a file": skey + "\n" + skey + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log.key")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if k, err := audit.LoadLogKey(path); err == nil {
				t.Errorf("LoadLogKey(%q) = %s, want an error", content, k.VerifierKey)
			}
			if k, err := audit.LoadOrCreateLogKey(path); err == nil {
				t.Errorf("LoadOrCreateLogKey(%q) = %s, want an error", content, k.VerifierKey)
			}
			if b, _ := os.ReadFile(path); string(b) != content {
				t.Errorf("LoadOrCreateLogKey replaced a corrupt key file: the old key might have been recoverable")
			}
		})
	}
}

func TestWitnessKeyRoundTrip(t *testing.T) {
	plus := 0
	for i := range 200 {
		k := newWitnessKey(t, "oversight.example/witness")
		s := k.String()
		if !strings.HasPrefix(s, "PRIVATE+KEY+oversight.example/witness+") {
			t.Fatalf("String() = %q", s)
		}
		if strings.Count(s, "+") > 4 || strings.Count(k.VerifierKey(), "+") > 2 {
			plus++
		}
		k2, err := audit.ParseWitnessKey(s + "\n")
		if err != nil {
			t.Fatalf("key %d: ParseWitnessKey(%q): %v", i, s, err)
		}
		if k2.String() != s || k2.Name != k.Name || k2.VerifierKey() != k.VerifierKey() {
			t.Fatalf("ParseWitnessKey(%q) = %q, %q", s, k2.String(), k2.VerifierKey())
		}
		v, err := audit.ParseCosignVerifier(k.VerifierKey())
		if err != nil {
			t.Fatalf("ParseCosignVerifier(%q): %v", k.VerifierKey(), err)
		}
		if v.Name != k.Name {
			t.Fatalf("verifier named %q, key %q", v.Name, k.Name)
		}
		body := "caseroom.example/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
		at := time.Unix(1700000000+int64(i), 0)
		if got, err := v.Verify(body, k2.Cosign(body, at)); err != nil || !got.Equal(at) {
			t.Fatalf("key %d: cosignature by the parsed key: %v, %v", i, got, err)
		}
	}
	if plus == 0 {
		t.Fatal("none of 200 witness keys had '+' in its base64")
	}
}

func TestWitnessKeyRefusals(t *testing.T) {
	for _, name := range []string{"", "has space", "tab\there", "new\nline", "plus+sign", "nbsp\u00a0name"} {
		if _, err := audit.GenerateWitnessKey(name); err == nil {
			t.Errorf("GenerateWitnessKey(%q) succeeded", name)
		}
	}

	k := newWitnessKey(t, "oversight.example/witness")
	s, vkey := k.String(), k.VerifierKey()
	sParts, vParts := strings.SplitN(s, "+", 5), strings.SplitN(vkey, "+", 3)
	wrongID := func(id string) string {
		b, _ := hex.DecodeString(id)
		b[0] ^= 1
		return hex.EncodeToString(b)
	}
	other := newWitnessKey(t, "other.example/witness")

	for name, bad := range map[string]string{
		"empty":              "",
		"public key":         vkey,
		"wrong key id":       strings.Join([]string{"PRIVATE", "KEY", sParts[2], wrongID(sParts[3]), sParts[4]}, "+"),
		"key id not hex":     strings.Join([]string{"PRIVATE", "KEY", sParts[2], "zzzzzzzz", sParts[4]}, "+"),
		"another name":       strings.Join([]string{"PRIVATE", "KEY", "renamed.example/witness", sParts[3], sParts[4]}, "+"),
		"name with space":    strings.Join([]string{"PRIVATE", "KEY", "a b", sParts[3], sParts[4]}, "+"),
		"another key's seed": strings.Join([]string{"PRIVATE", "KEY", sParts[2], sParts[3], strings.SplitN(other.String(), "+", 5)[4]}, "+"),
		"note key algorithm": strings.Join([]string{"PRIVATE", "KEY", sParts[2], sParts[3], base64.StdEncoding.EncodeToString(append([]byte{1}, make([]byte, 32)...))}, "+"),
		"short seed":         strings.Join([]string{"PRIVATE", "KEY", sParts[2], sParts[3], base64.StdEncoding.EncodeToString([]byte{4, 1, 2, 3})}, "+"),
		"missing fields":     "PRIVATE+KEY+" + sParts[2],
	} {
		if _, err := audit.ParseWitnessKey(bad); err == nil {
			t.Errorf("%s: ParseWitnessKey(%q) succeeded", name, bad)
		}
	}

	for name, bad := range map[string]string{
		"empty":              "",
		"wrong key id":       vParts[0] + "+" + wrongID(vParts[1]) + "+" + vParts[2],
		"another name":       "renamed.example/witness+" + vParts[1] + "+" + vParts[2],
		"another key":        vParts[0] + "+" + vParts[1] + "+" + strings.SplitN(other.VerifierKey(), "+", 3)[2],
		"name with space":    "a b+" + vParts[1] + "+" + vParts[2],
		"empty name":         "+" + vParts[1] + "+" + vParts[2],
		"note key algorithm": vParts[0] + "+" + vParts[1] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, make([]byte, 32)...)),
		"private key":        s,
		"two fields":         vParts[0] + "+" + vParts[1],
	} {
		if _, err := audit.ParseCosignVerifier(bad); err == nil {
			t.Errorf("%s: ParseCosignVerifier(%q) succeeded", name, bad)
		}
	}
}

func TestLoadOrCreateWitnessKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "witness", "witness.key")
	k1, created, err := audit.LoadOrCreateWitnessKey(path, "oversight.example/witness")
	if err != nil || !created {
		t.Fatalf("first call: created %v, %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("witness key file mode %v, want 0600", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(path); string(b) != k1.String()+"\n" {
		t.Errorf("key file holds %q, want the key string and a newline", b)
	}
	k2, created, err := audit.LoadOrCreateWitnessKey(path, "ignored.example/name")
	if err != nil || created {
		t.Fatalf("second call: created %v, %v", created, err)
	}
	if k2.String() != k1.String() || k2.Name != "oversight.example/witness" {
		t.Errorf("second call returned %q, first %q", k2.String(), k1.String())
	}

	if _, _, err := audit.LoadOrCreateWitnessKey(filepath.Join(t.TempDir(), "w.key"), "bad name"); err == nil {
		t.Error("LoadOrCreateWitnessKey made a key with a space in its name")
	}

	corrupt := filepath.Join(t.TempDir(), "corrupt.key")
	if err := os.WriteFile(corrupt, []byte("PRIVATE+KEY+garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := audit.LoadOrCreateWitnessKey(corrupt, "oversight.example/witness"); err == nil {
		t.Error("LoadOrCreateWitnessKey accepted a corrupt key file")
	}
	if b, _ := os.ReadFile(corrupt); string(b) != "PRIVATE+KEY+garbage\n" {
		t.Error("LoadOrCreateWitnessKey replaced a corrupt key file")
	}
}
