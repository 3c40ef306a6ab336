package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"caseroom"
)

// BenchmarkAuditAppendBatched measures the audit log's own cost per audited write, in
// transactions of 1,000 writes (as a bulk import batches them): each write inserts one
// record row (a case), computes its state hash from the stored row, appends its audit
// entry and adds the entry to the Merkle tree (leaf and stored hashes), all in the
// transaction, which is committed and fsynced once per batch.
func BenchmarkAuditAppendBatched(b *testing.B) {
	dir := b.TempDir()
	db, err := Open(context.Background(), filepath.Join(dir, "caseroom.db"), Options{KeyFile: filepath.Join(dir, "vault.key")})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := caseroom.NewContextWithUser(context.Background(), &caseroom.User{ID: "usr_bench", Name: "bench", Admin: true})
	const batch = 1000
	b.ResetTimer()
	for done := 0; done < b.N; done += batch {
		n := min(batch, b.N-done)
		err := db.write(ctx, func(tx *Tx) error {
			for i := 0; i < n; i++ {
				seq, err := tx.reserveSeq()
				if err != nil {
					return err
				}
				id := newID(prefixCase)
				if err := tx.exec(`INSERT INTO cases (id, title, time_zone, created_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
					id, fmt.Sprintf("Case %d", done+i), "UTC", "bench", formatTime(tx.now), seq); err != nil {
					return err
				}
				if err := tx.appendAudit(seq, "case.create", "case", id, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
}
