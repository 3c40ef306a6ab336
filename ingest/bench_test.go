package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"caseroom"
	"caseroom/blob"
	"caseroom/ingest"
	"caseroom/sqlstore"
)

// BenchmarkIngestFolder ingests the folder CASEROOM_BENCH_INGEST_DIR (skipped if unset;
// bench/ingest.sh makes one and compares with sha256sum) into a fresh store with the
// encrypted disk blob store, as caseroom ingest does.
func BenchmarkIngestFolder(b *testing.B) {
	src := os.Getenv("CASEROOM_BENCH_INGEST_DIR")
	if src == "" {
		b.Skip("set CASEROOM_BENCH_INGEST_DIR to a folder to ingest")
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "caseroom.db"), sqlstore.Options{KeyFile: filepath.Join(dir, "vault.key")})
		if err != nil {
			b.Fatal(err)
		}
		console := caseroom.NewContextWithUser(context.Background(), caseroom.Console)
		u, err := db.CreateUser(console, caseroom.NewUser{Name: "lead", Password: "correct horse battery staple"})
		if err != nil {
			b.Fatal(err)
		}
		lead := caseroom.NewContextWithUser(context.Background(), u)
		c, err := db.CreateCase(lead, caseroom.NewCase{Title: "Bench"})
		if err != nil {
			b.Fatal(err)
		}
		at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		if _, err := db.RegisterExhibit(lead, c.ID, caseroom.NewExhibit{Ref: "SB/1", Description: "Bench", Kind: caseroom.ExhibitDisc, SeizedAt: &at}); err != nil {
			b.Fatal(err)
		}
		disk, err := blob.NewDisk(filepath.Join(dir, "blobs"))
		if err != nil {
			b.Fatal(err)
		}
		id, err := blob.LoadOrCreateKey(filepath.Join(dir, "blob.key"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := ingest.Run(lead, db, blob.NewEncrypted(disk, id), []string{src}, ingest.Options{CaseID: c.ID, Exhibit: "SB/1", Workers: benchWorkers()})
		if err != nil || sum.Errors > 0 {
			b.Fatal(sum, err)
		}
		b.SetBytes(sum.Bytes)
		b.StopTimer()
		disk.Close()
		db.Close()
	}
}

func benchWorkers() int {
	n, _ := strconv.Atoi(os.Getenv("CASEROOM_BENCH_INGEST_WORKERS"))
	return n
}
