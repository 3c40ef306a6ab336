package audit

// This file is in package audit to test that a line by another witness is told apart
// from a cosignature that fails (errOtherKey).

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

const cosignBody = "caseroom.example/log\n42\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

func testWitness(t *testing.T, name string) (*WitnessKey, *CosignVerifier) {
	t.Helper()
	k, err := GenerateWitnessKey(name)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ParseCosignVerifier(k.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return k, v
}

func TestCosignVerify(t *testing.T) {
	k, v := testWitness(t, "oversight.example/witness")
	at := time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("PKT", 5*3600))
	line := k.Cosign(cosignBody, at)
	got, err := v.Verify(cosignBody, line)
	if err != nil {
		t.Fatalf("Verify(own cosignature): %v", err)
	}
	if want := time.Unix(at.Unix(), 0).UTC(); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Verify returned %v, want %v (the signing time to the second, in UTC)", got, want)
	}
}

// TestCosignatureFormat checks the cosignature line against C2SP tlog-cosignature v1
// with crypto/ed25519 alone, not with the package's verifier.
func TestCosignatureFormat(t *testing.T) {
	const name = "oversight.example/witness"
	k, _ := testWitness(t, name)
	at := time.Unix(1700000123, 0)
	line := k.Cosign(cosignBody, at)

	// The public key, from the vkey "<name>+<hex key id>+base64(0x04 || key)".
	vparts := strings.Split(k.VerifierKey(), "+")
	if len(vparts) < 3 || vparts[0] != name {
		t.Fatalf("VerifierKey() = %q", k.VerifierKey())
	}
	rawPub, err := base64.StdEncoding.DecodeString(strings.Join(vparts[2:], "+"))
	if err != nil || len(rawPub) != 1+ed25519.PublicKeySize || rawPub[0] != 0x04 {
		t.Fatalf("VerifierKey() key is not base64(0x04 || Ed25519 key): %q", k.VerifierKey())
	}
	pub := ed25519.PublicKey(rawPub[1:])
	keyID := sha256.Sum256(append([]byte(name+"\n\x04"), pub...))
	if vparts[1] != hex.EncodeToString(keyID[:4]) {
		t.Errorf("vkey key id %s, want SHA-256(name || 0x0A || 0x04 || key)[:4] = %x", vparts[1], keyID[:4])
	}

	// "— <name> <base64>\n"
	rest, ok := strings.CutPrefix(line, "— "+name+" ")
	if !ok || !strings.HasSuffix(rest, "\n") || strings.Count(line, "\n") != 1 {
		t.Fatalf("cosignature line %q is not \"— %s <base64>\\n\"", line, name)
	}
	blob, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(rest, "\n"))
	if err != nil || len(blob) != 4+8+ed25519.SignatureSize {
		t.Fatalf("cosignature %q: want base64 of 76 bytes, got %d bytes, %v", rest, len(blob), err)
	}
	if !bytes.Equal(blob[:4], keyID[:4]) {
		t.Errorf("cosignature key id %x, want %x", blob[:4], keyID[:4])
	}
	if ts := binary.BigEndian.Uint64(blob[4:12]); ts != uint64(at.Unix()) {
		t.Errorf("cosignature timestamp %d, want %d", ts, at.Unix())
	}
	msg := "cosignature/v1\ntime " + strconv.FormatInt(at.Unix(), 10) + "\n" + cosignBody
	if !ed25519.Verify(pub, []byte(msg), blob[12:]) {
		t.Errorf("the signature does not verify over %q", msg)
	}
	if ed25519.Verify(pub, []byte(cosignBody), blob[12:]) {
		t.Error("the signature is over the bare checkpoint body: a cosignature would be a log signature")
	}

	// A note with the cosignature still opens with the log's key: the line is a well
	// formed note signature by an unknown key.
	skey, vkey, err := note.GenerateKey(nil, "caseroom.example/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	signed, err := note.Sign(&note.Note{Text: cosignBody}, signer)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(append(signed, line...), note.VerifierList(verifier))
	if err != nil {
		t.Fatalf("note.Open(cosigned note): %v", err)
	}
	if len(n.UnverifiedSigs) != 1 || n.UnverifiedSigs[0].Name != name {
		t.Errorf("cosigned note's unverified signatures = %+v", n.UnverifiedSigs)
	}
}

func TestCosignVerifyFailures(t *testing.T) {
	k, v := testWitness(t, "oversight.example/witness")
	at := time.Unix(1700000000, 0)
	line := k.Cosign(cosignBody, at)
	blob, _ := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(line, "— oversight.example/witness "), "\n"))
	reline := func(b []byte) string {
		return "— oversight.example/witness " + base64.StdEncoding.EncodeToString(b) + "\n"
	}
	edit := func(i int, f func(b []byte) []byte) string {
		b := bytes.Clone(blob)
		if f != nil {
			return reline(f(b))
		}
		b[i] ^= 1
		return reline(b)
	}

	otherBody := strings.Replace(cosignBody, "\n42\n", "\n43\n", 1)
	failures := map[string]struct{ body, line string }{
		"another body":                 {otherBody, line},
		"body without final newline":   {strings.TrimSuffix(cosignBody, "\n"), line},
		"timestamp changed":            {cosignBody, edit(11, nil)},
		"signature changed":            {cosignBody, edit(40, nil)},
		"signature truncated":          {cosignBody, edit(0, func(b []byte) []byte { return b[:len(b)-1] })},
		"signature extended":           {cosignBody, edit(0, func(b []byte) []byte { return append(b, 0) })},
		"log-style signature, no time": {cosignBody, edit(0, func(b []byte) []byte { return append(b[:4:4], b[12:]...) })},
		"not base64":                   {cosignBody, "— oversight.example/witness !!!!\n"},
		"no signature":                 {cosignBody, "— oversight.example/witness\n"},
		"no dash":                      {cosignBody, "oversight.example/witness " + base64.StdEncoding.EncodeToString(blob) + "\n"},
		"too short for a key id":       {cosignBody, reline(blob[:3])},
		"time beyond int64":            {cosignBody, edit(0, func(b []byte) []byte { b[4] |= 0x80; return b })},
	}
	for name, f := range failures {
		_, err := v.Verify(f.body, f.line)
		if err == nil {
			t.Errorf("%s: Verify succeeded", name)
		} else if errors.Is(err, errOtherKey) {
			t.Errorf("%s: Verify says the line is by another key (%v): a bad cosignature would be skipped, not refused", name, err)
		}
	}

	// A different message with the same time (a body that says another root).
	if _, err := v.Verify(cosignBody, k.Cosign(otherBody, at)); err == nil || errors.Is(err, errOtherKey) {
		t.Errorf("Verify of a cosignature over another body: %v", err)
	}

	// Lines by other keys are errOtherKey, so that a note with several witnesses'
	// cosignatures is checked line by line.
	other, _ := testWitness(t, "other.example/witness")
	sameName, _ := testWitness(t, "oversight.example/witness")
	for name, l := range map[string]string{
		"another witness":              other.Cosign(cosignBody, at),
		"another key of the same name": sameName.Cosign(cosignBody, at),
		"key id changed":               edit(0, nil),
	} {
		if _, err := v.Verify(cosignBody, l); !errors.Is(err, errOtherKey) {
			t.Errorf("%s: Verify = %v, want errOtherKey", name, err)
		}
	}
}
