package blob

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// s3Fixture is an S3 store on an in-process fake S3 server.
type s3Fixture struct {
	fixture
	s3     *S3
	cfg    S3Config
	raw    *minio.Client // reaches the bucket without the store
	server *httptest.Server
}

// testBucket is the bucket the fake S3 server holds.
const testBucket = "evidence"

// newS3Fixture serves a fake S3 on 127.0.0.1 and opens a store on it with
// the given key prefix; its damage overwrites an object with other bytes.
func newS3Fixture(t *testing.T, prefix string) s3Fixture {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(testBucket); err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(server.Close)
	cfg := S3Config{
		Endpoint:  strings.TrimPrefix(server.URL, "http://"),
		Bucket:    testBucket,
		Prefix:    prefix,
		AccessKey: "test-access",
		SecretKey: "test-secret",
		Region:    "us-east-1",
		TempDir:   t.TempDir(),
	}
	s, err := NewS3(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Region: cfg.Region,
	})
	if err != nil {
		t.Fatal(err)
	}
	rewrite := func(t *testing.T, sum string, change func([]byte) []byte) {
		t.Helper()
		ctx := context.Background()
		b := getObject(t, raw, prefix+sum)
		b = change(b)
		if _, err := raw.PutObject(ctx, testBucket, prefix+sum, bytes.NewReader(b), int64(len(b)), minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return s3Fixture{
		fixture: fixture{Store: s, rewrite: rewrite, corrupt: invert},
		s3:      s,
		cfg:     cfg,
		raw:     raw,
		server:  server,
	}
}

// getObject returns the bytes of the object at key, bypassing the store.
func getObject(t *testing.T, raw *minio.Client, key string) []byte {
	t.Helper()
	obj, err := raw.GetObject(context.Background(), testBucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	return b
}

func TestS3KeysAndListing(t *testing.T) {
	ctx := context.Background()
	f := newS3Fixture(t, "blobs/")
	content := []byte("stored under the prefix")
	sum := put(t, f.s3, content)
	if got := getObject(t, f.raw, "blobs/"+sum); !bytes.Equal(got, content) {
		t.Fatalf("object blobs/%s = %q, want %q", sum, got, content)
	}
	// Objects outside the prefix or not named by a sum are not blobs.
	for _, key := range []string{sumOf([]byte("outside")), "blobs/notes.txt", "blobs/sub/" + sumOf([]byte("deeper")), "blobsx" + sumOf([]byte("x"))} {
		if _, err := f.raw.PutObject(ctx, testBucket, key, strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{sum}, list(t, f.s3)); diff != "" {
		t.Fatalf("List (-want +got):\n%s", diff)
	}
}

func TestS3LargeBlobUsesMultipart(t *testing.T) {
	f := newS3Fixture(t, "")
	content := randomBytes(t, 17<<20) // above minio's 16 MiB single-PUT limit
	sum := put(t, f.s3, content)
	if got := read(t, f.s3, sum); !bytes.Equal(got, content) {
		t.Fatalf("Open returned %d bytes that differ from the %d written", len(got), len(content))
	}
}

func TestS3LeavesNoSpoolFiles(t *testing.T) {
	f := newS3Fixture(t, "")
	sum := sumOf([]byte("content"))
	for _, tc := range []struct {
		name    string
		finish  func(w Writer, cancel func()) error
		wantErr bool
	}{
		{"commit", func(w Writer, _ func()) error { return w.Commit(sum) }, false},
		{"abort", func(w Writer, _ func()) error { return w.Abort() }, false},
		{"refused commit", func(w Writer, _ func()) error { return w.Commit("bad") }, true},
		{"failed upload", func(w Writer, cancel func()) error { cancel(); return w.Commit(sum) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			w, err := f.s3.Create(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := writeUneven(w, []byte("content")); err != nil {
				t.Fatal(err)
			}
			if got := dirEntries(t, f.cfg.TempDir); len(got) != 1 {
				t.Fatalf("spool directory while writing holds %v, want one file", got)
			}
			if err := tc.finish(w, cancel); (err != nil) != tc.wantErr {
				t.Fatalf("finish = %v, want error: %v", err, tc.wantErr)
			}
			if got := dirEntries(t, f.cfg.TempDir); len(got) != 0 {
				t.Fatalf("spool directory holds %v, want nothing", got)
			}
		})
	}
}

func TestNewS3RefusesMissingBucket(t *testing.T) {
	f := newS3Fixture(t, "")
	cfg := f.cfg
	cfg.Bucket = "no-such-bucket"
	if _, err := NewS3(context.Background(), cfg); err == nil {
		t.Fatal("NewS3 of a missing bucket succeeded")
	}
	cfg.Bucket = ""
	if _, err := NewS3(context.Background(), cfg); err == nil {
		t.Fatal("NewS3 without a bucket succeeded")
	}
}

func TestParseS3URL(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKID")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "SECRET")
	for _, tc := range []struct {
		raw     string
		want    S3Config
		wantErr string
	}{
		{raw: "s3://evidence", want: S3Config{Endpoint: "s3.amazonaws.com", Bucket: "evidence", Secure: true}},
		{raw: "s3://evidence/", want: S3Config{Endpoint: "s3.amazonaws.com", Bucket: "evidence", Secure: true}},
		{raw: "s3://evidence/blobs", want: S3Config{Endpoint: "s3.amazonaws.com", Bucket: "evidence", Prefix: "blobs/", Secure: true}},
		{raw: "s3://evidence/case/blobs/", want: S3Config{Endpoint: "s3.amazonaws.com", Bucket: "evidence", Prefix: "case/blobs/", Secure: true}},
		{
			raw:  "s3://evidence/blobs?endpoint=minio.lan:9000&secure=false&region=eu-west-1",
			want: S3Config{Endpoint: "minio.lan:9000", Bucket: "evidence", Prefix: "blobs/", Region: "eu-west-1"},
		},
		{raw: "https://evidence/blobs", wantErr: "scheme must be s3"},
		{raw: "s3:///blobs", wantErr: "host must be the bucket"},
		{raw: "s3://evidence:9000/blobs", wantErr: "host must be the bucket"},
		{raw: "s3://key:secret@evidence/blobs", wantErr: "credentials belong in AWS_ACCESS_KEY_ID"},
		{raw: "s3://evidence?secure=maybe", wantErr: "secure must be true or false"},
		{raw: "s3://evidence?endpont=x", wantErr: `unknown parameter "endpont"`},
		{raw: "s3://evidence?region=a&region=b", wantErr: "given 2 times"},
		{raw: "s3://evidence?endpoint=http://x", wantErr: "without scheme"},
		{raw: "s3://evidence?endpoint=", wantErr: "without scheme"},
		{raw: "s3://evidence#top", wantErr: "fragment"},
		{raw: "s3://evidence/%zz", wantErr: "parse S3 URL"},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			got, err := ParseS3URL(tc.raw)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "secret@") {
					t.Fatalf("error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.want.AccessKey, tc.want.SecretKey = "AKID", "SECRET"
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseS3URL(f *testing.F) {
	for _, s := range []string{"s3://evidence/blobs?endpoint=h:1&secure=false&region=r", "s3://b", "s3://b/%41/", "s3://u:p@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cfg, err := ParseS3URL(raw)
		if err != nil {
			return
		}
		if cfg.Bucket == "" || cfg.Endpoint == "" {
			t.Fatalf("ParseS3URL(%q) = %+v without bucket or endpoint", raw, cfg)
		}
		if cfg.Prefix != "" && (!strings.HasSuffix(cfg.Prefix, "/") || strings.HasPrefix(cfg.Prefix, "/")) {
			t.Fatalf("ParseS3URL(%q) prefix %q, want empty or relative with a trailing slash", raw, cfg.Prefix)
		}
	})
}

func FuzzValidSum(f *testing.F) {
	pattern := regexp.MustCompile(`^[0-9a-f]{64}$`)
	f.Add(sumOf(nil))
	f.Add(strings.ToUpper(sumOf(nil)))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidSum(s), pattern.MatchString(s); got != want {
			t.Fatalf("ValidSum(%q) = %v, want %v", s, got, want)
		}
	})
}
