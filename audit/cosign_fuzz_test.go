package audit

// This file is in package audit to compare what the parsers accept with the canonical
// text of the key or line they accepted, which needs the verifier's key.

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

// fuzzWitness is a witness key of a fixed seed, so that seeds stay valid across runs.
func fuzzWitness() *WitnessKey {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	return &WitnessKey{Name: "oversight.example/witness", priv: ed25519.NewKeyFromSeed(seed)}
}

// verifierKeyText is the vkey of v as VerifierKey writes it.
func verifierKeyText(v *CosignVerifier) string {
	return v.Name + "+" + hex.EncodeToString(v.keyID[:]) + "+" + base64.StdEncoding.EncodeToString(append([]byte{cosignatureAlg}, v.pub...))
}

// FuzzParseWitnessKey checks that a witness key file's text is accepted only in the
// form String writes, and that an accepted key cosigns what its verifier key accepts.
func FuzzParseWitnessKey(f *testing.F) {
	k := fuzzWitness()
	other, err := GenerateWitnessKey("other.example")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(k.String())
	f.Add(k.String() + "\n")
	f.Add(other.String())
	f.Add(strings.Replace(k.String(), "oversight", "impostor", 1))
	f.Add("PRIVATE+KEY+a b+00000000+BAAA")
	f.Add("PRIVATE+KEY+name+id")
	f.Add(k.VerifierKey())
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseWitnessKey(s)
		if err != nil {
			return
		}
		if got := k.String(); got != strings.TrimSpace(s) {
			t.Fatalf("ParseWitnessKey(%q) accepted a key whose String() is %q", s, got)
		}
		v, err := ParseCosignVerifier(k.VerifierKey())
		if err != nil || v.Name != k.Name {
			t.Fatalf("ParseWitnessKey(%q): its verifier key %q is refused (%v) or names %q", s, k.VerifierKey(), err, v.Name)
		}
		at := time.Unix(1764000000, 0).UTC()
		if got, err := v.Verify(cosignBody, k.Cosign(cosignBody, at)); err != nil || !got.Equal(at) {
			t.Fatalf("ParseWitnessKey(%q): its own cosignature verifies as %v, %v", s, got, err)
		}
	})
}

// FuzzParseCosignVerifier checks that a witness's vkey is accepted only in the form
// VerifierKey writes: one key, one text, so that the key registered (and kept in the
// audit log) is the one the witness published.
func FuzzParseCosignVerifier(f *testing.F) {
	k := fuzzWitness()
	vkey := k.VerifierKey()
	f.Add(vkey)
	f.Add(" " + vkey + "\n")
	f.Add(strings.ToUpper(vkey))
	f.Add(strings.Replace(vkey, "+", "++", 1))
	f.Add("oversight.example/witness+00000000+" + strings.SplitN(vkey, "+", 3)[2])
	f.Add("name+id")
	f.Add("a b+00000000+BAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, vkey string) {
		v, err := ParseCosignVerifier(vkey)
		if err != nil {
			return
		}
		if validKeyName(v.Name) != nil {
			t.Fatalf("ParseCosignVerifier(%q) accepted the name %q", vkey, v.Name)
		}
		if got := verifierKeyText(v); got != strings.TrimSpace(vkey) {
			t.Fatalf("ParseCosignVerifier(%q) accepted the key written %q: two texts for one key", vkey, got)
		}
	})
}

// FuzzVerifyCosignature checks that a cosignature line on a checkpoint is accepted only
// as the witness writes it: as Cosign would write it at the time Verify returns.
// (Ed25519 signatures are deterministic, and crypto/ed25519 refuses the malleable ones.)
func FuzzVerifyCosignature(f *testing.F) {
	k := fuzzWitness()
	v, err := ParseCosignVerifier(k.VerifierKey())
	if err != nil {
		f.Fatal(err)
	}
	other, err := GenerateWitnessKey("other.example")
	if err != nil {
		f.Fatal(err)
	}
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	line := k.Cosign(cosignBody, at)
	f.Add(line)
	f.Add(strings.TrimSuffix(line, "\n"))
	f.Add(k.Cosign(cosignBody, time.Unix(0, 0)))
	f.Add(k.Cosign("caseroom.example/log\n41\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", at))
	f.Add(other.Cosign(cosignBody, at))
	f.Add(strings.Replace(line, "oversight", "impostor", 1))
	f.Add(line[:len(line)-10] + "\n")
	f.Add("— oversight.example/witness AAAA\n")
	f.Add("— \n")
	f.Add("")
	f.Fuzz(func(t *testing.T, line string) {
		got, err := v.Verify(cosignBody, line)
		if err != nil {
			return
		}
		if want := k.Cosign(cosignBody, got); strings.TrimSuffix(line, "\n") != strings.TrimSuffix(want, "\n") {
			t.Fatalf("Verify accepted %q (time %v), which is not the witness's line %q", line, got, want)
		}
		if got.Location() != time.UTC {
			t.Fatalf("Verify(%q) returned %v, not in UTC", line, got)
		}
	})
}
