package audit_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"caseroom"
	"caseroom/audit"
)

// fakeLog serves the transparency log's public API from an in-memory tree, as package
// web does, and can be made to misbehave.
type fakeLog struct {
	t   *testing.T
	key *audit.LogKey

	mu          sync.Mutex
	tree        *memTree
	signer      note.Signer // signs served checkpoints; the log key unless forging
	size        int64       // size of the served checkpoint; the tree's size if 0
	extraSigs   string      // cosignature lines served after the log's signature
	consistency func(w http.ResponseWriter, old, new int64) bool
	cosignReply func(w http.ResponseWriter) bool

	posted       [][]byte
	proofQueries []string
}

func newFakeLog(t *testing.T, key *audit.LogKey, tree *memTree) (*fakeLog, *httptest.Server) {
	f := &fakeLog{t: t, key: key, tree: tree, signer: key.Signer}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/audit/checkpoint", f.checkpoint)
	mux.HandleFunc("GET /api/v1/audit/consistency", f.consistencyProof)
	mux.HandleFunc("POST /api/v1/audit/cosignatures", f.cosign)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return f, srv
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// served returns the signed checkpoint the log serves now, without extra signatures.
func (f *fakeLog) served() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	size := f.size
	if size == 0 {
		size = f.tree.size()
	}
	root, err := tlog.TreeHash(size, f.tree)
	if err != nil {
		f.t.Errorf("fake log: %v", err)
		return nil
	}
	signed, err := audit.SignCheckpoint(audit.Checkpoint{Origin: f.signer.Name(), Size: size, Hash: root}, f.signer)
	if err != nil {
		f.t.Errorf("fake log: %v", err)
	}
	return signed
}

func (f *fakeLog) checkpoint(w http.ResponseWriter, r *http.Request) {
	signed := f.served()
	f.mu.Lock()
	extra := f.extraSigs
	f.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(append(signed, extra...))
}

func (f *fakeLog) consistencyProof(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.proofQueries = append(f.proofQueries, r.URL.RawQuery)
	old, err1 := strconv.ParseInt(r.URL.Query().Get("old"), 10, 64)
	new, err2 := strconv.ParseInt(r.URL.Query().Get("new"), 10, 64)
	if err1 != nil || err2 != nil {
		writeError(w, http.StatusBadRequest, caseroom.EINVALID, "old and new must be whole numbers")
		return
	}
	if f.consistency != nil && f.consistency(w, old, new) {
		return
	}
	if old <= 0 || old > new || new > f.tree.size() {
		writeError(w, http.StatusBadRequest, caseroom.EINVALID, fmt.Sprintf("A consistency proof needs 0 < old <= new <= %d (the log's size); got old=%d new=%d.", f.tree.size(), old, new))
		return
	}
	p, err := tlog.ProveTree(new, old, f.tree)
	if err != nil {
		f.t.Errorf("fake log: %v", err)
		writeError(w, http.StatusInternalServerError, caseroom.EINTERNAL, "Internal error.")
		return
	}
	proof := make([]string, len(p))
	for i, h := range p {
		proof[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	writeJSON(w, http.StatusOK, audit.ConsistencyProof{Old: old, New: new, Proof: proof})
}

func (f *fakeLog) cosign(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.posted = append(f.posted, body)
	if f.cosignReply != nil && f.cosignReply(w) {
		return
	}
	_, sigs, _ := strings.Cut(string(body), "\n\n")
	lines := strings.Split(strings.TrimSuffix(sigs, "\n"), "\n")
	name := strings.Fields(lines[len(lines)-1])[1]
	writeJSON(w, http.StatusCreated, map[string]any{"witnesses": []string{name}})
}

func (f *fakeLog) set(fn func(f *fakeLog)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *fakeLog) postedBodies() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.posted...)
}

var witnessNow = time.Date(2025, 6, 1, 12, 30, 0, 0, time.UTC)

func newTestWitness(t *testing.T, key *audit.LogKey, srv *httptest.Server, wkey *audit.WitnessKey) *audit.Witness {
	return &audit.Witness{
		LogURL:         srv.URL + "/",
		LogKey:         key.Verifier,
		LogVerifierKey: key.VerifierKey,
		StateFile:      filepath.Join(t.TempDir(), "witness", "state"),
		Key:            wkey,
		Client:         srv.Client(),
		Now:            func() time.Time { return witnessNow },
	}
}

func readState(t *testing.T, w *audit.Witness) []byte {
	t.Helper()
	b, err := os.ReadFile(w.StateFile)
	if err != nil {
		t.Fatalf("witness state: %v", err)
	}
	return b
}

// runWitness runs w and fails the test unless it accepts the checkpoint.
func runWitness(t *testing.T, w *audit.Witness) *audit.WitnessResult {
	t.Helper()
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatalf("witness run: %v", err)
	}
	return res
}

// wantInconsistency checks that err is an *Inconsistency whose evidence holds both
// signed checkpoints, and that the state file was left as it was.
func wantInconsistency(t *testing.T, w *audit.Witness, err error, prevState, current []byte) *audit.Inconsistency {
	t.Helper()
	var inc *audit.Inconsistency
	if !errors.As(err, &inc) {
		t.Fatalf("witness run = %v (%T), want an *Inconsistency", err, err)
	}
	if !bytes.Equal(inc.Previous, prevState) || !bytes.Equal(inc.Current, current) {
		t.Errorf("inconsistency holds previous %q and current %q, want %q and %q", inc.Previous, inc.Current, prevState, current)
	}
	ev := inc.Evidence()
	for _, want := range []string{string(prevState), string(current), w.LogVerifierKey, inc.Reason, witnessNow.Format(time.RFC3339)} {
		if !strings.Contains(ev, want) {
			t.Errorf("evidence does not hold %q:\n%s", want, ev)
		}
	}
	if !strings.Contains(inc.Error(), inc.Reason) {
		t.Errorf("Error() = %q does not give the reason", inc.Error())
	}
	if got := readState(t, w); !bytes.Equal(got, prevState) {
		t.Errorf("state file changed to %q after an inconsistency", got)
	}
	return inc
}

func TestWitnessFirstRunAndGrowth(t *testing.T) {
	key := newLogKey(t)
	tree := newTree(t, 5, "witness")
	f, srv := newFakeLog(t, key, tree)
	// The log serves its checkpoint with another witness's cosignature.
	other := newWitnessKey(t, "other.example/witness")
	first := f.served()
	f.set(func(f *fakeLog) {
		f.extraSigs = other.Cosign(audit.Checkpoint{Origin: key.Origin(), Size: 5, Hash: tree.root(t, 5)}.Text(), witnessNow)
	})
	wkey := newWitnessKey(t, "oversight.example/witness")
	w := newTestWitness(t, key, srv, wkey)

	res := runWitness(t, w)
	c5 := audit.Checkpoint{Origin: key.Origin(), Size: 5, Hash: tree.root(t, 5)}
	if res.Previous != nil || res.Current != c5 || !res.Cosigned || res.CosignError != nil {
		t.Fatalf("first run = %+v, want current %+v, no previous, cosigned", res, c5)
	}
	// The state holds the checkpoint with the log's signature alone.
	if got := readState(t, w); !bytes.Equal(got, first) {
		t.Errorf("state file holds %q, want the log's signed checkpoint %q", got, first)
	}
	if len(f.proofQueries) != 0 {
		t.Errorf("first run asked for consistency proofs %q", f.proofQueries)
	}

	posted := f.postedBodies()
	if len(posted) != 1 {
		t.Fatalf("%d cosignatures posted, want 1", len(posted))
	}
	got, n, err := audit.OpenCheckpoint(posted[0], key.Verifier)
	if err != nil || got != c5 {
		t.Fatalf("posted note opens as %+v, %v", got, err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(posted[0]), "\n"), "\n")
	last := lines[len(lines)-1] + "\n"
	v, err := audit.ParseCosignVerifier(wkey.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	if at, err := v.Verify(n.Text, last); err != nil || !at.Equal(witnessNow) {
		t.Errorf("last line of the posted note %q: %v, %v; want the witness's cosignature at %v", last, at, err, witnessNow)
	}
	if bytes.Contains(posted[0], []byte(other.Name)) {
		t.Error("the witness forwarded another witness's cosignature")
	}

	// The log that signed this checkpoint keeps the posted cosignature.
	store := newFakeStore()
	store.tree = *tree
	store.checkpoints[5] = first
	store.addWitness(wkey)
	l := &audit.Log{Store: store, Key: key, Now: func() time.Time { return witnessNow }}
	if kept, err := l.AddCosignature(context.Background(), posted[0]); err != nil || len(kept) != 1 {
		t.Errorf("Log.AddCosignature(posted note) = %v, %v", kept, err)
	}

	// Unchanged log: accepted again, no proof needed.
	res = runWitness(t, w)
	if res.Previous == nil || *res.Previous != c5 || res.Current != c5 {
		t.Errorf("run on an unchanged log = %+v", res)
	}
	if len(f.proofQueries) != 0 {
		t.Errorf("run on an unchanged log asked for consistency proofs %q", f.proofQueries)
	}

	// The log grows: the witness checks the proof and moves on.
	f.set(func(f *fakeLog) {
		f.extraSigs = ""
		for i := 5; i < 12; i++ {
			f.tree.add(t, fmt.Appendf(nil, "witness entry %d", i))
		}
	})
	res = runWitness(t, w)
	c12 := audit.Checkpoint{Origin: key.Origin(), Size: 12, Hash: tree.root(t, 12)}
	if res.Previous == nil || *res.Previous != c5 || res.Current != c12 || !res.Cosigned {
		t.Errorf("run after growth = %+v, want %+v after %+v", res, c12, c5)
	}
	if len(f.proofQueries) != 1 || f.proofQueries[0] != "old=5&new=12" {
		t.Errorf("consistency proofs asked for: %q, want old=5&new=12", f.proofQueries)
	}
	if got := readState(t, w); !bytes.Equal(got, f.served()) {
		t.Errorf("state after growth holds %q", got)
	}
}

func TestWitnessWithoutKey(t *testing.T) {
	key := newLogKey(t)
	f, srv := newFakeLog(t, key, newTree(t, 3, "no key"))
	w := newTestWitness(t, key, srv, nil)
	res := runWitness(t, w)
	if res.Cosigned || res.CosignError != nil || len(f.postedBodies()) != 0 {
		t.Errorf("a witness without a key cosigned: %+v, %d posts", res, len(f.postedBodies()))
	}
	if got := readState(t, w); !bytes.Equal(got, f.served()) {
		t.Error("a witness without a key kept no state")
	}
}

func TestWitnessDetects(t *testing.T) {
	// Each case starts from a witness that accepted the checkpoint of 5 entries.
	setup := func(t *testing.T) (*audit.LogKey, *fakeLog, *audit.Witness, []byte) {
		key := newLogKey(t)
		f, srv := newFakeLog(t, key, newTree(t, 5, "witness"))
		w := newTestWitness(t, key, srv, newWitnessKey(t, "oversight.example/witness"))
		runWitness(t, w)
		return key, f, w, readState(t, w)
	}
	ctx := context.Background()

	t.Run("smaller checkpoint", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) { f.size = 3 })
		_, err := w.Run(ctx)
		inc := wantInconsistency(t, w, err, state, f.served())
		if inc.Proof != nil || !strings.Contains(inc.Reason, "3") || !strings.Contains(inc.Reason, "5") {
			t.Errorf("inconsistency %+v", inc)
		}
		if len(f.postedBodies()) != 1 {
			t.Error("the witness cosigned a checkpoint it refused")
		}
	})
	t.Run("history rewritten and extended", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) { f.tree = newTree(t, 8, "rewritten") })
		_, err := w.Run(ctx)
		inc := wantInconsistency(t, w, err, state, f.served())
		if inc.Proof == nil || inc.Proof.Old != 5 || inc.Proof.New != 8 {
			t.Fatalf("inconsistency carries proof %+v, want the failed proof 5→8", inc.Proof)
		}
		p, _ := tlog.ProveTree(8, 5, f.tree)
		ev := inc.Evidence()
		for _, h := range p {
			if !strings.Contains(ev, base64.StdEncoding.EncodeToString(h[:])) {
				t.Errorf("evidence lacks proof hash %x:\n%s", h, ev)
			}
		}
		if !strings.Contains(ev, "old=5 new=8") {
			t.Errorf("evidence does not name the proof's sizes:\n%s", ev)
		}
		// The evidence can be checked by anyone: both checkpoints open with the log's
		// key and the proof fails between them.
		prev, _, err1 := audit.OpenCheckpoint(inc.Previous, w.LogKey)
		cur, _, err2 := audit.OpenCheckpoint(inc.Current, w.LogKey)
		if err1 != nil || err2 != nil {
			t.Fatalf("evidence checkpoints do not open: %v, %v", err1, err2)
		}
		if tlog.CheckTree(p, cur.Size, cur.Hash, prev.Size, prev.Hash) == nil {
			t.Error("the proof in the evidence verifies")
		}
		if len(f.postedBodies()) != 1 {
			t.Error("the witness cosigned a checkpoint it refused")
		}
	})
	t.Run("same size, different root", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) { f.tree = newTree(t, 5, "rewritten") })
		_, err := w.Run(ctx)
		wantInconsistency(t, w, err, state, f.served())
		if len(f.proofQueries) != 0 {
			t.Errorf("asked for a proof between two roots of one size: %q", f.proofQueries)
		}
	})
	t.Run("consistency refused", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) {
			f.tree.add(t, []byte("more"))
			f.consistency = func(w http.ResponseWriter, old, new int64) bool {
				writeError(w, http.StatusBadRequest, caseroom.EINVALID, "no proof for you")
				return true
			}
		})
		_, err := w.Run(ctx)
		inc := wantInconsistency(t, w, err, state, f.served())
		if !strings.Contains(inc.Reason, "no proof for you") {
			t.Errorf("reason %q does not quote the log's answer", inc.Reason)
		}
	})
	t.Run("proof for other sizes", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) {
			f.tree.add(t, []byte("more"))
			f.consistency = func(w http.ResponseWriter, old, new int64) bool {
				writeJSON(w, http.StatusOK, audit.ConsistencyProof{Old: old - 1, New: new, Proof: []string{}})
				return true
			}
		})
		_, err := w.Run(ctx)
		wantInconsistency(t, w, err, state, f.served())
	})
	t.Run("right proof, labelled for other sizes", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) {
			f.tree.add(t, []byte("more"))
			f.consistency = func(w http.ResponseWriter, old, new int64) bool {
				p, _ := tlog.ProveTree(new, old, f.tree)
				proof := []string{}
				for _, h := range p {
					proof = append(proof, base64.StdEncoding.EncodeToString(h[:]))
				}
				writeJSON(w, http.StatusOK, audit.ConsistencyProof{Old: old, New: new + 1, Proof: proof})
				return true
			}
		})
		_, err := w.Run(ctx)
		wantInconsistency(t, w, err, state, f.served())
	})
	t.Run("proof hash flipped", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) {
			f.tree.add(t, []byte("more"))
			f.consistency = func(w http.ResponseWriter, old, new int64) bool {
				p, _ := tlog.ProveTree(new, old, f.tree)
				p[0] = flipBit(p[0], 0)
				proof := []string{}
				for _, h := range p {
					proof = append(proof, base64.StdEncoding.EncodeToString(h[:]))
				}
				writeJSON(w, http.StatusOK, audit.ConsistencyProof{Old: old, New: new, Proof: proof})
				return true
			}
		})
		_, err := w.Run(ctx)
		wantInconsistency(t, w, err, state, f.served())
	})
	t.Run("unreadable proof", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) {
			f.tree.add(t, []byte("more"))
			f.consistency = func(w http.ResponseWriter, old, new int64) bool {
				w.Write([]byte("<html>not json</html>"))
				return true
			}
		})
		_, err := w.Run(ctx)
		wantInconsistency(t, w, err, state, f.served())
	})
	t.Run("signed by another key", func(t *testing.T) {
		key, f, w, state := setup(t)
		f.set(func(f *fakeLog) {
			f.tree.add(t, []byte("forged"))
			f.signer = impostorSigner(t, key.Origin())
		})
		_, err := w.Run(ctx)
		var inc *audit.Inconsistency
		if err == nil || errors.As(err, &inc) {
			t.Errorf("witness run on a checkpoint signed by another key = %v; want an error that is no evidence against the log", err)
		}
		if got := readState(t, w); !bytes.Equal(got, state) {
			t.Error("state changed after a forged checkpoint")
		}
		if len(f.postedBodies()) != 1 {
			t.Error("the witness cosigned a forged checkpoint")
		}
	})
	t.Run("log unreachable during the proof", func(t *testing.T) {
		_, f, w, state := setup(t)
		f.set(func(f *fakeLog) {
			f.tree.add(t, []byte("more"))
			f.consistency = func(w http.ResponseWriter, old, new int64) bool { panic(http.ErrAbortHandler) }
		})
		_, err := w.Run(ctx)
		var inc *audit.Inconsistency
		if err == nil || errors.As(err, &inc) {
			t.Errorf("witness run with the connection dropped = %v; want an error that is no evidence against the log", err)
		}
		if got := readState(t, w); !bytes.Equal(got, state) {
			t.Error("state changed though the proof could not be fetched")
		}
	})
	t.Run("state cannot be saved", func(t *testing.T) {
		_, f, w, _ := setup(t)
		f.set(func(f *fakeLog) {
			f.tree.add(t, []byte("more"))
			// While the witness fetches the proof, its state file becomes a
			// directory, so that saving the new state fails.
			f.consistency = func(_ http.ResponseWriter, _, _ int64) bool {
				if err := os.Remove(w.StateFile); err != nil {
					t.Error(err)
				}
				if err := os.MkdirAll(filepath.Join(w.StateFile, "x"), 0o755); err != nil {
					t.Error(err)
				}
				return false
			}
		})
		if _, err := w.Run(ctx); err == nil {
			t.Error("witness run succeeded though its state could not be saved")
		}
		if n := len(f.postedBodies()); n != 1 {
			t.Errorf("the witness cosigned a checkpoint it could not record (%d posts)", n)
		}
	})
	t.Run("corrupt state file", func(t *testing.T) {
		_, _, w, _ := setup(t)
		if err := os.WriteFile(w.StateFile, []byte("garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := w.Run(ctx)
		var inc *audit.Inconsistency
		if err == nil || errors.As(err, &inc) {
			t.Errorf("witness run with a corrupt state file = %v; want an error that is no evidence against the log", err)
		}
		if got := readState(t, w); string(got) != "garbage" {
			t.Error("a corrupt state file was overwritten: whatever the witness saw before is lost")
		}
	})
}

func TestWitnessCosignRejected(t *testing.T) {
	key := newLogKey(t)
	f, srv := newFakeLog(t, key, newTree(t, 4, "rejected"))
	f.set(func(f *fakeLog) {
		f.cosignReply = func(w http.ResponseWriter) bool {
			writeError(w, http.StatusForbidden, caseroom.EFORBIDDEN, "No cosignature on this checkpoint is by a witness registered with this log.")
			return true
		}
	})
	w := newTestWitness(t, key, srv, newWitnessKey(t, "oversight.example/witness"))
	res := runWitness(t, w)
	if res.Cosigned || res.CosignError == nil || !strings.Contains(res.CosignError.Error(), "No cosignature on this checkpoint is by a witness registered") {
		t.Errorf("run with the cosignature refused = %+v, want Cosigned false and the log's message", res)
	}
	// The checkpoint itself was checked: the state moves on.
	if got := readState(t, w); !bytes.Equal(got, f.served()) {
		t.Error("state not saved when the log refused the cosignature")
	}

	// A refusal without a JSON body still says what happened.
	f.set(func(f *fakeLog) {
		f.cosignReply = func(w http.ResponseWriter) bool {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
	})
	res = runWitness(t, w)
	if res.Cosigned || res.CosignError == nil || !strings.Contains(res.CosignError.Error(), "503") {
		t.Errorf("run with a 503 = %+v", res)
	}
}
