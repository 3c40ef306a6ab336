package ingest

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"sync/atomic"

	"caseroom/mediainfo"
)

// digests are a content's three hashes, in hex, and its first bytes.
type digests struct {
	sha256, sha1, md5 string
	head              []byte
}

// parallelFrom is the size from which MD5, the slowest of the three, runs on a core of
// its own.
const parallelFrom = 256 << 10

// sumWhole hashes content held in memory.
func (d *digests) sumWhole(b []byte) {
	m := md5.New()
	done := make(chan struct{})
	if len(b) >= parallelFrom {
		go func() { m.Write(b); close(done) }()
	} else {
		m.Write(b)
		close(done)
	}
	s256, s1 := sha256.Sum256(b), sha1.Sum(b)
	<-done
	d.sha256, d.sha1, d.md5 = hex.EncodeToString(s256[:]), hex.EncodeToString(s1[:]), hex.EncodeToString(m.Sum(nil))
}

// chunkSize is how much of a large file is read at a time.
const chunkSize = 1 << 20

// stream hashes what it reads from in, writing it to w as it goes, and keeps the head.
// MD5 runs beside the rest on chunks handed over through a small ring of buffers.
func (d *digests) stream(ctx context.Context, in io.Reader, w io.Writer, counter *atomic.Int64) (int64, error) {
	md5h := md5.New()
	chunks := make(chan []byte, 3)
	free := make(chan []byte, 3)
	for range 3 {
		free <- make([]byte, chunkSize)
	}
	md5Done := make(chan struct{})
	go func(h hash.Hash) {
		for c := range chunks {
			h.Write(c)
			free <- c[:cap(c)]
		}
		close(md5Done)
	}(md5h)
	sha256h, sha1h := sha256.New(), sha1.New()
	var n int64
	var failure error
	for failure == nil {
		buf := <-free
		k, err := io.ReadFull(in, buf)
		if k > 0 {
			c := buf[:k]
			sha256h.Write(c)
			sha1h.Write(c)
			if len(d.head) < mediainfo.HeadSize {
				d.head = append(d.head, c[:min(k, mediainfo.HeadSize-len(d.head))]...)
			}
			if _, werr := w.Write(c); werr != nil {
				failure = fmt.Errorf("cannot store: %w", werr)
			}
			n += int64(k)
			counter.Add(int64(k))
			chunks <- c
		} else {
			free <- buf
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil && failure == nil {
			failure = fmt.Errorf("read failed after %d bytes: %w", n, err)
		}
		if ctx.Err() != nil && failure == nil {
			failure = ctx.Err()
		}
	}
	close(chunks)
	<-md5Done
	if failure != nil {
		return n, failure
	}
	d.sha256, d.sha1, d.md5 = hex.EncodeToString(sha256h.Sum(nil)), hex.EncodeToString(sha1h.Sum(nil)), hex.EncodeToString(md5h.Sum(nil))
	return n, nil
}
