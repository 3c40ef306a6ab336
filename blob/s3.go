package blob

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says where an S3 store keeps its blobs and how to reach it.
type S3Config struct {
	// Endpoint is the host and optional port of the S3 service, without a
	// scheme: "s3.amazonaws.com", "127.0.0.1:9000".
	Endpoint string
	// Bucket is the bucket holding the blobs. It must already exist.
	Bucket string
	// Prefix is prepended to a blob's sum to form its object key. Give it a
	// trailing slash ("evidence/") to keep the blobs in a folder.
	Prefix string
	// AccessKey is the access key ID; with SecretKey empty too, requests
	// are anonymous.
	AccessKey string
	// SecretKey is the secret access key.
	SecretKey string
	// Secure selects HTTPS.
	Secure bool
	// Region is the bucket's region; empty lets the client discover it.
	Region string
	// TempDir is where Writers spool a blob before uploading it; empty means
	// os.TempDir().
	TempDir string
}

// S3 is a Store kept in an S3-compatible bucket, one object per blob under
// the key Prefix + sum. A Writer spools the blob to a temporary file, and
// Commit uploads it with a single PutObject of known size (a multipart upload
// above 16 MiB), so the object appears whole or not at all. A PUT is durable
// when it returns, so Sync has nothing to do.
//
// The upload is sent with an unsigned payload: the client does not hash the
// content a second time to sign it, so ingest is not slowed by it. Over
// HTTPS (Secure) TLS protects the content in transit; over plain HTTP only
// Verify would notice an object altered on the way.
type S3 struct {
	client  *minio.Client
	bucket  string
	prefix  string
	tempDir string
}

// NewS3 connects to the bucket described by cfg and checks that it exists.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("open S3 blob store: endpoint and bucket are required")
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.Secure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("open S3 blob store %s/%s: %w", cfg.Endpoint, cfg.Bucket, err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("open S3 blob store %s/%s: %w", cfg.Endpoint, cfg.Bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("open S3 blob store %s: bucket %q does not exist: create it first", cfg.Endpoint, cfg.Bucket)
	}
	tempDir := cfg.TempDir
	if tempDir == "" {
		tempDir = os.TempDir()
	}
	return &S3{client: client, bucket: cfg.Bucket, prefix: cfg.Prefix, tempDir: tempDir}, nil
}

// ParseS3URL parses an S3 store location of the form
//
//	s3://bucket/prefix?endpoint=host:port&secure=false&region=eu-west-1
//
// The host is the bucket. The path, if any, is the key prefix, given a
// trailing slash: s3://evidence/blobs and s3://evidence/blobs/ both store a
// blob at "blobs/<sum>"; s3://evidence stores it at "<sum>". The query
// parameters are all optional:
//
//	endpoint  host and port of the service (default s3.amazonaws.com)
//	secure    whether to use HTTPS: true or false (default true)
//	region    the bucket's region (default: discovered by the client)
//
// Any other parameter is an error, so that a misspelt one is not ignored.
// The credentials are read from the environment variables
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, never from the URL.
// TempDir is left empty.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return S3Config{}, fmt.Errorf("parse S3 URL: %w", err)
	}
	if u.Scheme != "s3" {
		return S3Config{}, fmt.Errorf("parse S3 URL %q: scheme must be s3, as in s3://bucket/prefix", raw)
	}
	if u.User != nil {
		return S3Config{}, fmt.Errorf("parse S3 URL %q: credentials belong in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not in the URL", u.Redacted())
	}
	if u.Host == "" || u.Port() != "" {
		return S3Config{}, fmt.Errorf("parse S3 URL %q: the host must be the bucket name, as in s3://bucket/prefix; give the service as ?endpoint=host:port", raw)
	}
	if u.Fragment != "" {
		return S3Config{}, fmt.Errorf("parse S3 URL %q: unexpected fragment", raw)
	}
	cfg := S3Config{
		Endpoint:  "s3.amazonaws.com",
		Bucket:    u.Host,
		Secure:    true,
		AccessKey: os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		cfg.Prefix = p + "/"
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return S3Config{}, fmt.Errorf("parse S3 URL %q: %w", raw, err)
	}
	for key, values := range q {
		if len(values) != 1 {
			return S3Config{}, fmt.Errorf("parse S3 URL %q: parameter %s given %d times", raw, key, len(values))
		}
		v := values[0]
		switch key {
		case "endpoint":
			if v == "" || strings.Contains(v, "/") {
				return S3Config{}, fmt.Errorf("parse S3 URL %q: endpoint must be host or host:port, without scheme or path", raw)
			}
			cfg.Endpoint = v
		case "secure":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return S3Config{}, fmt.Errorf("parse S3 URL %q: secure must be true or false", raw)
			}
			cfg.Secure = b
		case "region":
			cfg.Region = v
		default:
			return S3Config{}, fmt.Errorf("parse S3 URL %q: unknown parameter %q (want endpoint, secure or region)", raw, key)
		}
	}
	return cfg, nil
}

// key returns the object key of the blob named sum.
func (s *S3) key(sum string) string { return s.prefix + sum }

// Create starts a new blob spooled to a temporary file in TempDir. The
// upload at Commit runs under ctx.
func (s *S3) Create(ctx context.Context) (Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("create blob: %w", err)
	}
	f, err := os.CreateTemp(s.tempDir, "blob-s3-*")
	if err != nil {
		return nil, fmt.Errorf("create blob: %w", err)
	}
	bw := writeBuffers.Get().(*bufio.Writer)
	bw.Reset(f)
	return &s3Writer{s: s, ctx: ctx, f: f, bw: bw}, nil
}

// s3Writer spools a blob to a temporary file. f is nil once it is done.
type s3Writer struct {
	s   *S3
	ctx context.Context
	f   *os.File
	bw  *bufio.Writer
}

// Write buffers p for the spool file.
func (w *s3Writer) Write(p []byte) (int, error) {
	if w.f == nil {
		return 0, errWriterDone
	}
	n, err := w.bw.Write(p)
	if err != nil {
		return n, fmt.Errorf("write blob spool %s: %w", w.f.Name(), err)
	}
	return n, nil
}

// Commit uploads the spool file as the object Prefix + sum, replacing any
// object of that key, then removes the spool file. On error nothing is
// uploaded and the spool file is removed.
func (w *s3Writer) Commit(sum string) (err error) {
	if w.f == nil {
		return fmt.Errorf("commit blob %.80s: %w", sum, errWriterDone)
	}
	defer func() {
		if ferr := w.finish(); ferr != nil {
			err = errors.Join(err, fmt.Errorf("commit blob %.80s: %w", sum, ferr))
		}
	}()
	if err := checkSum(sum); err != nil {
		return fmt.Errorf("commit blob: %w", err)
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("commit blob %s: write %s: %w", sum, w.f.Name(), err)
	}
	size, err := w.f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = w.f.Seek(0, io.SeekStart)
	}
	if err != nil {
		return fmt.Errorf("commit blob %s: rewind %s: %w", sum, w.f.Name(), err)
	}
	_, err = w.s.client.PutObject(w.ctx, w.s.bucket, w.s.key(sum), w.f, size, minio.PutObjectOptions{
		ContentType: "application/octet-stream",
		// Do not hash the content again to sign it: the ingester has hashed
		// it once already, and Verify finds an object altered in transit.
		DisableContentSha256: true,
	})
	if err != nil {
		return fmt.Errorf("commit blob %s: upload to %s/%s: %w", sum, w.s.bucket, w.s.key(sum), err)
	}
	return nil
}

// Abort removes the spool file. It does nothing if the writer is done.
func (w *s3Writer) Abort() error {
	if w.f == nil {
		return nil
	}
	if err := w.finish(); err != nil {
		return fmt.Errorf("abort blob: %w", err)
	}
	return nil
}

// finish closes and removes the spool file and marks the writer done.
func (w *s3Writer) finish() error {
	name := w.f.Name()
	w.f.Close() // The spool is being removed: what it holds no longer matters.
	w.bw.Reset(nil)
	writeBuffers.Put(w.bw)
	w.f, w.bw = nil, nil
	return removeTemp(name)
}

// Sync does nothing: a blob is durable once its PutObject has returned.
func (s *S3) Sync(ctx context.Context) error { return nil }

// Open returns the blob's object. It checks the object exists before
// returning, since GetObject sends no request until the first read. Returns
// an error wrapping ErrNotFound if absent and ErrInvalidSum if sum is
// malformed.
func (s *S3) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := checkSum(sum); err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.key(sum), minio.GetObjectOptions{})
	if err == nil {
		if _, err = obj.Stat(); err != nil {
			obj.Close()
		}
	}
	if noSuchKey(err) {
		return nil, fmt.Errorf("open blob %s: %w", sum, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", sum, err)
	}
	return obj, nil
}

// Has reports whether the blob's object exists. Returns an error wrapping
// ErrInvalidSum if sum is malformed.
func (s *S3) Has(ctx context.Context, sum string) (bool, error) {
	if err := checkSum(sum); err != nil {
		return false, fmt.Errorf("look up blob: %w", err)
	}
	_, err := s.client.StatObject(ctx, s.bucket, s.key(sum), minio.StatObjectOptions{})
	if noSuchKey(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up blob %s: %w", sum, err)
	}
	return true, nil
}

// noSuchKey reports whether err is S3's answer for a missing object.
func noSuchKey(err error) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && resp.Code == "NoSuchKey"
}

// List calls fn with the sum of every object under Prefix whose remaining
// key is a sum; other objects are skipped. It stops at the first error fn
// returns and returns that error unchanged.
func (s *S3) List(ctx context.Context, fn func(sum string) error) error {
	objects := s.client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true})
	for obj := range objects {
		if obj.Err != nil {
			return fmt.Errorf("list blobs in %s/%s: %w", s.bucket, s.prefix, obj.Err)
		}
		sum, ok := strings.CutPrefix(obj.Key, s.prefix)
		if !ok || !ValidSum(sum) {
			continue
		}
		if err := fn(sum); err != nil {
			return err
		}
	}
	// A cancelled listing may end without an error entry: never report a
	// partial listing as complete.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("list blobs in %s/%s: %w", s.bucket, s.prefix, err)
	}
	return nil
}
