package audit

import (
	"bytes"
	"caseroom/internal/durable"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Witness checks a log from outside: it fetches the latest checkpoint, checks the log's
// signature and that the log only grew since the checkpoint it saw last (a consistency
// proof), keeps the new checkpoint in its state file, and cosigns it.
type Witness struct {
	// LogURL is the server's base URL, e.g. https://caseroom.example.
	LogURL string
	// LogKey verifies the log's signature.
	LogKey note.Verifier
	// LogVerifierKey is the log's key as text, written into evidence.
	LogVerifierKey string
	// StateFile holds the last checkpoint this witness accepted.
	StateFile string
	// Key, if set, cosigns each accepted checkpoint and sends the cosignature to the log.
	Key    *WitnessKey
	Client *http.Client
	Now    func() time.Time
}

// WitnessResult says what a witness run accepted.
type WitnessResult struct {
	// Previous is the checkpoint seen before this run, nil on the first run.
	Previous *Checkpoint
	Current  Checkpoint
	// Cosigned reports whether the log kept the cosignature; CosignError says why not.
	Cosigned    bool
	CosignError error
}

// Inconsistency is proof that a log rewrote or rolled back its history: two checkpoints
// it signed that cannot both be true, and the proof that failed. Its Evidence is
// self-contained text that anyone with the log's key can check.
type Inconsistency struct {
	Reason   string
	Previous []byte // the signed checkpoint seen before
	Current  []byte // the signed checkpoint served now
	Proof    *ConsistencyProof
	LogKey   string
	At       time.Time
}

// ConsistencyProof is a consistency proof as the API serves it (GET
// /api/v1/audit/consistency): the hashes of a tlog.TreeProof in order, in base64.
type ConsistencyProof struct {
	Old   int64    `json:"old"`
	New   int64    `json:"new"`
	Proof []string `json:"proof"`
}

func (e *Inconsistency) Error() string { return "the log is not append-only: " + e.Reason }

// Evidence returns the inconsistency as portable text.
func (e *Inconsistency) Evidence() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CASEROOM WITNESS EVIDENCE\nreason: %s\nlog key: %s\nchecked at: %s\n", e.Reason, e.LogKey, e.At.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "\n-- checkpoint seen before (signed by the log) --\n%s", e.Previous)
	fmt.Fprintf(&b, "-- checkpoint served now (signed by the log) --\n%s", e.Current)
	if e.Proof != nil {
		fmt.Fprintf(&b, "-- consistency proof served by the log (old=%d new=%d) --\n", e.Proof.Old, e.Proof.New)
		for _, h := range e.Proof.Proof {
			b.WriteString(h + "\n")
		}
		if len(e.Proof.Proof) == 0 {
			b.WriteString("(empty)\n")
		}
	}
	b.WriteString("-- end --\n")
	return b.String()
}

func (w *Witness) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Witness) client() *http.Client {
	if w.Client != nil {
		return w.Client
	}
	return &http.Client{Timeout: time.Minute}
}

// get fetches path from the log and returns the body of a 200 response.
func (w *Witness) get(ctx context.Context, path string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(w.LogURL, "/")+path, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := w.client().Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return body, resp.StatusCode, fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return body, resp.StatusCode, nil
}

// Run does one witness round. It returns an *Inconsistency if the log's history
// changed; the state file is then left as it was.
func (w *Witness) Run(ctx context.Context) (*WitnessResult, error) {
	signed, _, err := w.get(ctx, "/api/v1/audit/checkpoint")
	if err != nil {
		return nil, fmt.Errorf("fetch checkpoint: %w", err)
	}
	cur, n, err := OpenCheckpoint(signed, w.LogKey)
	if err != nil {
		return nil, fmt.Errorf("the served checkpoint: %w", err)
	}
	// Keep only the log's own signature in the state and in evidence.
	signed, err = note.Sign(&note.Note{Text: n.Text, Sigs: n.Sigs}) // re-encodes the verified signatures
	if err != nil {
		return nil, err
	}
	res := &WitnessResult{Current: cur}
	prevSigned, err := os.ReadFile(w.StateFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("witness state: %w", err)
	}
	if err == nil {
		prev, _, err := OpenCheckpoint(prevSigned, w.LogKey)
		if err != nil {
			return nil, fmt.Errorf("witness state %s: %w", w.StateFile, err)
		}
		res.Previous = &prev
		evidence := func(reason string, proof *ConsistencyProof) error {
			return &Inconsistency{Reason: reason, Previous: prevSigned, Current: signed, Proof: proof, LogKey: w.LogVerifierKey, At: w.now()}
		}
		switch {
		case cur.Size < prev.Size:
			return nil, evidence(fmt.Sprintf("the log served a checkpoint of %d entries after one of %d: an older checkpoint replayed, or the log truncated", cur.Size, prev.Size), nil)
		case cur.Size == prev.Size && cur.Hash != prev.Hash:
			return nil, evidence(fmt.Sprintf("two different roots for the same %d entries: the log's history was rewritten", cur.Size), nil)
		case cur.Size > prev.Size:
			body, status, err := w.get(ctx, fmt.Sprintf("/api/v1/audit/consistency?old=%d&new=%d", prev.Size, cur.Size))
			if err != nil && (status == 0 || status >= 500 || status == http.StatusTooManyRequests) {
				// Not reachable or not working: no statement by the log, so no evidence.
				return nil, fmt.Errorf("fetch consistency proof: %w", err)
			}
			if err != nil {
				return nil, evidence(fmt.Sprintf("the log cannot prove that its %d entries extend the %d seen before (%v)", cur.Size, prev.Size, err), nil)
			}
			var p ConsistencyProof
			if err := json.Unmarshal(body, &p); err != nil {
				return nil, evidence(fmt.Sprintf("the log's consistency proof is unreadable: %v", err), nil)
			}
			proof, err := decodeProof(p.Proof)
			if err != nil || p.Old != prev.Size || p.New != cur.Size {
				return nil, evidence("the log's consistency proof is malformed", &p)
			}
			if err := tlog.CheckTree(proof, cur.Size, cur.Hash, prev.Size, prev.Hash); err != nil {
				return nil, evidence(fmt.Sprintf("the consistency proof from %d to %d entries fails (%v): the first %d entries were rewritten", prev.Size, cur.Size, err, prev.Size), &p)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(w.StateFile), 0o700); err != nil {
		return nil, fmt.Errorf("save witness state: %w", err)
	}
	if err := durable.Replace(w.StateFile, signed, 0o644); err != nil {
		return nil, fmt.Errorf("save witness state: %w", err)
	}
	if w.Key != nil {
		res.CosignError = w.cosign(ctx, signed, cur)
		res.Cosigned = res.CosignError == nil
	}
	return res, nil
}

func decodeProof(lines []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(lines))
	for i, s := range lines {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != len(out[i]) {
			return nil, fmt.Errorf("proof hash %d: not base64 of 32 bytes", i)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// cosign sends the checkpoint with this witness's cosignature to the log.
func (w *Witness) cosign(ctx context.Context, signed []byte, c Checkpoint) error {
	body := append(append([]byte{}, signed...), w.Key.Cosign(c.Text(), w.now())...)
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimSuffix(w.LogURL, "/")+"/api/v1/audit/cosignatures", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := w.client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		var e struct {
			Error struct{ Message string }
		}
		if json.Unmarshal(msg, &e) == nil && e.Error.Message != "" {
			return fmt.Errorf("the log did not keep the cosignature: %s", e.Error.Message)
		}
		return fmt.Errorf("the log did not keep the cosignature: %s", resp.Status)
	}
	return nil
}
