package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"testing"

	"caseroom"
	"caseroom/audit"
)

// BenchmarkVerify measures caseroom audit verify's work on a log of
// CASEROOM_BENCH_VERIFY_ENTRIES entries (default 20,000; the figure is for
// 1,000,000): recompute every entry's state hash from its records, every leaf, the
// tree, and compare with the stored tree. Three entries in four create a case and
// its lead's membership (two record rows); the fourth is an event with no records.
// The store is built once at CASEROOM_BENCH_DB if set (and reused while it has the
// right size), else in a temporary directory.
func BenchmarkVerify(b *testing.B) {
	n := int64(20000)
	if s := os.Getenv("CASEROOM_BENCH_VERIFY_ENTRIES"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		n = v
	}
	path := os.Getenv("CASEROOM_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "caseroom.db")
	}
	ctx := context.Background()
	db, err := Open(ctx, path, Options{KeyFile: path + ".key"})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	size, err := logSize(ctx, db.reader())
	if err != nil {
		b.Fatal(err)
	}
	if size < n {
		b.Logf("building a log of %d entries in %s", n, path)
		if err := buildBenchLog(db, n-size); err != nil {
			b.Fatal(err)
		}
	}
	// As caseroom audit verify runs: the collector gets room (see cmd/caseroom/audit.go).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, err := db.AuditSnapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := audit.Verify(ctx, snap, nil, nil)
		snap.Close()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Entries < n {
			b.Fatalf("verified %d entries, want %d", rep.Entries, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// buildBenchLog appends count entries in transactions of 5,000.
func buildBenchLog(db *DB, count int64) error {
	ctx := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
	var userID string
	err := db.write(ctx, func(tx *Tx) error {
		userID = newID(prefixUser)
		seq, err := tx.reserveSeq()
		if err != nil {
			return err
		}
		if err := tx.exec(`INSERT INTO users (id, name, admin, password_hash, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
			userID, "bench-"+userID, 0, "x", formatTime(tx.now), seq); err != nil {
			return err
		}
		return tx.appendAudit(seq, "user.create", "user", userID, "")
	})
	if err != nil {
		return err
	}
	for done := int64(1); done < count; done += 5000 {
		batch := min(5000, count-done)
		err := db.write(ctx, func(tx *Tx) error {
			for i := int64(0); i < batch; i++ {
				if i%4 == 3 {
					if err := tx.appendEvent("signin", "user", userID, "", map[string]any{"user": userID, "n": done + i}); err != nil {
						return err
					}
					continue
				}
				seq, err := tx.reserveSeq()
				if err != nil {
					return err
				}
				id := newID(prefixCase)
				if err := tx.exec(`INSERT INTO cases (id, title, time_zone, created_by, created_at, entry) VALUES (?, ?, ?, ?, ?, ?)`,
					id, fmt.Sprintf("Operation %d", done+i), "Asia/Karachi", "bench", formatTime(tx.now), seq); err != nil {
					return err
				}
				if err := tx.exec(`INSERT INTO memberships (id, case_id, user_id, role, added_by, added_at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					newID(prefixMembership), id, userID, "lead", "bench", formatTime(tx.now), seq); err != nil {
					return err
				}
				if err := tx.appendAudit(seq, "case.create", "case", id, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
