package blob_test

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"caseroom/blob"
)

// Example shows an ingest: hash while streaming into a Writer, Commit under
// the SHA-256, Sync, and only then record the blob.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "blob-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	disk, err := blob.NewDisk(filepath.Join(dir, "blobs"))
	if err != nil {
		log.Fatal(err)
	}
	defer disk.Close()
	if err := disk.CleanTemp(); err != nil {
		log.Fatal(err)
	}
	key, err := blob.LoadOrCreateKey(filepath.Join(dir, "blob.key"))
	if err != nil {
		log.Fatal(err)
	}
	store := blob.NewEncrypted(disk, key)

	w, err := store.Create(ctx)
	if err != nil {
		log.Fatal(err)
	}
	s256, s1, m5 := sha256.New(), sha1.New(), md5.New()
	if _, err := io.Copy(io.MultiWriter(w, s256, s1, m5), strings.NewReader("exhibit 1\n")); err != nil {
		w.Abort()
		log.Fatal(err)
	}
	sum := hex.EncodeToString(s256.Sum(nil))
	if err := w.Commit(sum); err != nil {
		log.Fatal(err)
	}
	if err := store.Sync(ctx); err != nil {
		log.Fatal(err)
	}
	// Now, and not before, commit the database record pointing at sum.

	r, err := store.Open(ctx, sum)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	content, err := io.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %q\n", sum[:12], content)
	// Output: e1c71bd250dc "exhibit 1\n"
}
