package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// VerifyReport counts what Verify found.
type VerifyReport struct {
	// Blobs is the number of blobs checked.
	Blobs int
	// OK is the number whose content hashes to their name.
	OK int
	// Corrupt is the number that could not be read, opened or decrypted, or
	// whose content does not hash to their name.
	Corrupt int
}

// Verify reads every blob that s lists in full, hashes it with SHA-256 and
// compares the result with the blob's name, using one goroutine per CPU.
//
// It calls fn, if not nil, for every corrupt blob only, with a non-nil error
// saying what is wrong: ErrCorrupt (wrapped) for content that hashes to
// another sum, otherwise the error that kept the blob from being opened,
// read or decrypted. Calls to fn are serialized, in no particular order, so
// fn need not be safe for concurrent use. A blob listed but then missing is
// counted as corrupt.
//
// The returned error is that of the listing or of ctx; the blobs checked
// before it are counted in the report.
func Verify(ctx context.Context, s Store, fn func(sum string, err error)) (VerifyReport, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu     sync.Mutex // guards report and calls to fn
		report VerifyReport
		wg     sync.WaitGroup
	)
	sums := make(chan string)
	for range runtime.NumCPU() {
		wg.Go(func() {
			buf := make([]byte, 256<<10)
			for sum := range sums {
				err := verifyBlob(ctx, s, sum, buf)
				if ctx.Err() != nil {
					continue // Cancelled: neither sound nor corrupt.
				}
				mu.Lock()
				report.Blobs++
				if err == nil {
					report.OK++
				} else {
					report.Corrupt++
					if fn != nil {
						fn(sum, err)
					}
				}
				mu.Unlock()
			}
		})
	}
	err := s.List(ctx, func(sum string) error {
		select {
		case sums <- sum:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(sums)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return report, fmt.Errorf("verify blobs: %w", err)
	}
	return report, nil
}

// verifyBlob reads the blob named sum and checks its content hashes to sum.
func verifyBlob(ctx context.Context, s Store, sum string, buf []byte) error {
	r, err := s.Open(ctx, sum)
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha256.New()
	// Hide any WriterTo of r so that the copy goes through buf.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{r}, buf); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("blob %s: content hashes to %s: %w", sum, got, ErrCorrupt)
	}
	return nil
}
