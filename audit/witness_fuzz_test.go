package audit_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"caseroom"
	"caseroom/audit"
)

// The fuzz targets of this file use keys made from fixed seeds, so that the inputs in
// testdata/fuzz and in the fuzz cache stay signed by the keys the targets check with.

// seededLogKey returns the log key made from seed.
func seededLogKey(f *testing.F, seed byte) *audit.LogKey {
	f.Helper()
	skey, _, err := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{seed}, ed25519.SeedSize)), "caseroom.example/log")
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "log.key")
	if err := os.WriteFile(path, []byte(skey+"\n"), 0o600); err != nil {
		f.Fatal(err)
	}
	k, err := audit.LoadLogKey(path)
	if err != nil {
		f.Fatal(err)
	}
	return k
}

// seededWitnessKey returns the witness key named name made from seed, through its key
// file's text: "PRIVATE+KEY+<name>+<hex key ID>+base64(0x04 || seed)".
func seededWitnessKey(f *testing.F, name string, seed byte) *audit.WitnessKey {
	f.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	id := sha256.Sum256(append([]byte(name+"\n\x04"), priv.Public().(ed25519.PublicKey)...))
	k, err := audit.ParseWitnessKey("PRIVATE+KEY+" + name + "+" + hex.EncodeToString(id[:4]) + "+" +
		base64.StdEncoding.EncodeToString(append([]byte{0x04}, priv.Seed()...)))
	if err != nil {
		f.Fatal(err)
	}
	return k
}

// cosignatureTime returns the time a cosignature line states, from its 8 bytes after
// the key ID, and whether the line is long enough to state one.
func cosignatureTime(line string) (time.Time, bool) {
	_, b64, _ := strings.Cut(strings.TrimPrefix(strings.TrimSuffix(line, "\n"), "— "), " ")
	blob, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(blob) < 12 || binary.BigEndian.Uint64(blob[4:12]) > 1<<63-1 {
		return time.Time{}, false
	}
	return time.Unix(int64(binary.BigEndian.Uint64(blob[4:12])), 0), true
}

// FuzzAddCosignature posts a fuzzed cosigned checkpoint to a log with two registered
// witnesses, as POST /api/v1/audit/cosignatures (open to anyone) does, and checks: a
// refusal is EINVALID, ENOTFOUND or EFORBIDDEN and keeps nothing; what is kept is, for
// each registered witness named, exactly the line that witness writes (Cosign at the
// time the line states); and the checkpoint the log then serves with its cosignatures
// is still a note that note.Open (so every witness) can read.
func FuzzAddCosignature(f *testing.F) {
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := newFakeStore()
	l := &audit.Log{Store: s, Key: seededLogKey(f, 1), Now: func() time.Time { return now }}
	var signed [][]byte
	var bodies []string
	for _, e := range []string{"a", "b", "c", "d"} {
		s.tree.add(f, []byte(e))
		if s.tree.size() < 3 {
			continue
		}
		sig, c, err := l.MakeCheckpoint(ctx)
		if err != nil {
			f.Fatal(err)
		}
		signed, bodies = append(signed, sig), append(bodies, c.Text())
	}
	w1 := seededWitnessKey(f, "oversight.example/witness", 2)
	w2 := seededWitnessKey(f, "ombudsman.example", 3)
	s.witnesses = []*caseroom.Witness{{ID: "wit_1", Name: w1.Name, Key: w1.VerifierKey()}, {ID: "wit_2", Name: w2.Name, Key: w2.VerifierKey()}}
	keys := map[string]*audit.WitnessKey{w1.Name: w1, w2.Name: w2}
	stranger := seededWitnessKey(f, "stranger.example", 4)

	latest, body := signed[1], bodies[1]
	good := w1.Cosign(body, now)
	f.Add(append(bytes.Clone(latest), good...))
	f.Add(append(bytes.Clone(latest), w1.Cosign(body, now.Add(-time.Hour))+w2.Cosign(body, now)...))
	f.Add(append(bytes.Clone(signed[0]), w2.Cosign(bodies[0], now)...))
	f.Add(append(bytes.Clone(latest), w1.Cosign(body, now.Add(-time.Hour))+good...))
	f.Add(append(bytes.Clone(latest), stranger.Cosign(body, now)+good...))
	f.Add(append(bytes.Clone(latest), w1.Cosign(bodies[0], now)...))
	f.Add(append(bytes.Clone(latest), w1.Cosign(body, now.Add(24*time.Hour))...))
	f.Add(append(bytes.Clone(latest), good[:len(good)-8]+"\n"...))
	f.Add(bytes.Clone(latest))
	f.Add([]byte(body + "\n" + good))
	f.Add([]byte(body))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, cosigned []byte) {
		s.mu.Lock()
		s.cosigs = map[int64]map[string]string{}
		s.mu.Unlock()
		kept, err := l.AddCosignature(ctx, cosigned)
		var stored []string
		for size := range int64(5) {
			lines, _ := s.Cosignatures(ctx, size)
			stored = append(stored, lines...)
		}
		if err != nil {
			if code := caseroom.ErrorCode(err); code != caseroom.EINVALID && code != caseroom.ENOTFOUND && code != caseroom.EFORBIDDEN {
				t.Fatalf("AddCosignature(%q) = %v, code %s", cosigned, err, code)
			}
			if len(stored) != 0 {
				t.Fatalf("AddCosignature(%q) refused it (%v) but kept %q", cosigned, err, stored)
			}
			return
		}
		if len(kept) == 0 || len(kept) != len(stored) {
			t.Fatalf("AddCosignature(%q) kept %v, and the store holds %q", cosigned, kept, stored)
		}
		for i, name := range kept {
			if keys[name] == nil || slices.Contains(kept[i+1:], name) {
				t.Fatalf("AddCosignature(%q) kept %v: not each a registered witness once", cosigned, kept)
			}
		}
		body := string(cosigned[:bytes.LastIndex(cosigned, []byte("\n\n"))+1])
		for _, line := range stored {
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "— "), " ")
			at, ok := cosignatureTime(line)
			if k := keys[name]; k == nil || !ok || k.Cosign(body, at) != line {
				t.Fatalf("AddCosignature(%q) kept the line %q, which is not as its witness writes it", cosigned, line)
			}
		}
		served, err := l.Latest(ctx)
		if err != nil {
			t.Fatalf("Latest after AddCosignature(%q): %v", cosigned, err)
		}
		if _, _, err := audit.OpenCheckpoint(served, l.Key.Verifier); err != nil {
			t.Fatalf("after AddCosignature(%q) the log serves %q, which does not open: %v", cosigned, served, err)
		}
	})
}

// roundTrip answers a witness's requests in memory.
type roundTrip func(*http.Request) (int, []byte)

func (rt roundTrip) RoundTrip(r *http.Request) (*http.Response, error) {
	status, body := rt(r)
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
}

// FuzzWitnessConsistencyProof runs a witness that saw the checkpoint of old entries
// against a log that serves an honest checkpoint of 7 and, as its consistency proof, the
// fuzzed body (with 200 OK). It checks: the witness either accepts, and then the body
// held the log's true proof from old to 7 and the state file moved to the new
// checkpoint; or it reports an *Inconsistency whose evidence holds both checkpoints,
// and the state file is as it was. Nothing else: the log did answer.
func FuzzWitnessConsistencyProof(f *testing.F) {
	const size = 7
	key := seededLogKey(f, 1)
	tree := newTree(f, size, "fuzz")
	signed := make([][]byte, size+1)
	proofs := make([]audit.ConsistencyProof, size)
	for n := int64(1); n <= size; n++ {
		var err error
		signed[n], err = audit.SignCheckpoint(audit.Checkpoint{Origin: key.Origin(), Size: n, Hash: tree.root(f, n)}, key.Signer)
		if err != nil {
			f.Fatal(err)
		}
		if n == size {
			break
		}
		p, err := tlog.ProveTree(size, n, tree)
		if err != nil {
			f.Fatal(err)
		}
		proofs[n] = audit.ConsistencyProof{Old: n, New: size, Proof: []string{}}
		for _, h := range p {
			proofs[n].Proof = append(proofs[n].Proof, base64.StdEncoding.EncodeToString(h[:]))
		}
	}
	var body []byte
	w := &audit.Witness{
		LogURL:         "https://log.example/",
		LogKey:         key.Verifier,
		LogVerifierKey: key.VerifierKey,
		StateFile:      filepath.Join(f.TempDir(), "witness", "state"),
		Now:            func() time.Time { return time.Date(2025, 6, 1, 12, 30, 0, 0, time.UTC) },
		Client: &http.Client{Transport: roundTrip(func(r *http.Request) (int, []byte) {
			switch r.URL.Path {
			case "/api/v1/audit/checkpoint":
				return http.StatusOK, signed[size]
			case "/api/v1/audit/consistency":
				return http.StatusOK, body
			}
			return http.StatusNotFound, nil
		})},
	}
	if err := os.MkdirAll(filepath.Dir(w.StateFile), 0o700); err != nil {
		f.Fatal(err)
	}

	for old := int64(1); old < size; old++ {
		b, _ := json.Marshal(proofs[old])
		f.Add(uint8(old-1), b)
	}
	honest, _ := json.Marshal(proofs[3])
	f.Add(uint8(2), append([]byte(" \n"), honest...))
	f.Add(uint8(3), honest) // the proof from 3, for a witness that saw 4
	f.Add(uint8(2), bytes.Replace(honest, []byte(`"old":3`), []byte(`"old":4`), 1))
	p := proofs[3]
	p.Proof = slices.Clone(p.Proof)
	p.Proof[0] = base64.StdEncoding.EncodeToString(make([]byte, 32))
	b, _ := json.Marshal(p)
	f.Add(uint8(2), b)
	p.Proof = p.Proof[1:]
	b, _ = json.Marshal(p)
	f.Add(uint8(2), b)
	f.Add(uint8(2), honest[:len(honest)/2])
	f.Add(uint8(2), []byte(`{"old":3,"new":7,"proof":null}`))
	f.Add(uint8(2), []byte(`{"old":3,"new":7,"proof":["AAAA"]}`))
	f.Add(uint8(0), []byte(`[]`))
	f.Add(uint8(0), []byte{})
	f.Fuzz(func(t *testing.T, o uint8, proof []byte) {
		old := 1 + int64(o)%(size-1)
		body = proof
		if err := os.WriteFile(w.StateFile, signed[old], 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := w.Run(context.Background())
		state, rerr := os.ReadFile(w.StateFile)
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			var inc *audit.Inconsistency
			if !errors.As(err, &inc) {
				t.Fatalf("witness run from %d with proof %q = %v (%T), want an *Inconsistency", old, proof, err, err)
			}
			if ev := inc.Evidence(); !strings.Contains(ev, string(signed[old])) || !strings.Contains(ev, string(signed[size])) {
				t.Fatalf("evidence does not hold both checkpoints:\n%s", ev)
			}
			if !bytes.Equal(state, signed[old]) {
				t.Fatalf("state file changed to %q after an inconsistency", state)
			}
			return
		}
		var got audit.ConsistencyProof
		if jerr := json.Unmarshal(proof, &got); jerr != nil || got.Old != old || got.New != size || len(got.Proof) != len(proofs[old].Proof) {
			t.Fatalf("witness run from %d accepted the proof %q (%+v, %v); the log's is %+v", old, proof, got, jerr, proofs[old])
		}
		for i, h := range got.Proof {
			if b, _ := base64.StdEncoding.DecodeString(h); base64.StdEncoding.EncodeToString(b) != proofs[old].Proof[i] {
				t.Fatalf("witness run from %d accepted the proof %q; the log's is %+v", old, proof, proofs[old])
			}
		}
		if res.Previous == nil || res.Previous.Size != old || res.Current.Size != size || !bytes.Equal(state, signed[size]) {
			t.Fatalf("witness run from %d = %+v, state %q; want the move from %d to %d kept", old, res, state, old, size)
		}
	})
}
