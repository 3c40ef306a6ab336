package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// selfSigned writes an ECDSA P-256 certificate for 127.0.0.1 and its key as PEM files
// in dir, and returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "caseroom test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// startServing runs "caseroom serve" in-process on a free port with args and returns
// the base URL it prints, what it logs, and a function that stops it.
func startServing(t *testing.T, args ...string) (string, *strings.Builder, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logged := &strings.Builder{}
	lr, lw := io.Pipe()
	logDone := make(chan struct{})
	go func() { io.Copy(logged, lr); close(logDone) }()
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), pw, lw)
		pw.Close()
		lw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed no address: %v", err)
	}
	go io.Copy(io.Discard, pr)
	base := regexp.MustCompile(`https?://\S+`).FindString(line)
	stop := func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited with %d", code)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop")
		}
		<-logDone
	}
	return base, logged, stop
}

// TestServeTLS serves HTTPS with a certificate the test makes: a TLS 1.2 or 1.3
// client gets in, a TLS 1.1 client does not, and the session cookie is Secure.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	const password = "Tls-Canary-Password-77q"
	cli(t, password+"\n", "user", "add", "pat", "--data", data)
	certFile, keyFile, pool := selfSigned(t, dir)
	base, logged, stop := startServing(t, "--data", data, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		stop()
		t.Fatalf("serve printed %q; want an https URL", base)
	}
	client := func(min, max uint16) *http.Client {
		return &http.Client{
			Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: min, MaxVersion: max}},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}

	for _, v := range []struct {
		name string
		ver  uint16
	}{{"TLS 1.2", tls.VersionTLS12}, {"TLS 1.3", tls.VersionTLS13}} {
		t.Run(v.name, func(t *testing.T) {
			resp, err := client(v.ver, v.ver).Get(base + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.TLS == nil || resp.TLS.Version != v.ver {
				t.Errorf("status %d, TLS %+v", resp.StatusCode, resp.TLS)
			}
		})
	}
	t.Run("TLS 1.1 is refused", func(t *testing.T) {
		resp, err := client(tls.VersionTLS10, tls.VersionTLS11).Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			t.Fatalf("a TLS 1.1 client got %d", resp.StatusCode)
		}
		t.Logf("TLS 1.1 client: %v", err)
	})
	t.Run("the session cookie is Secure", func(t *testing.T) {
		resp, err := client(tls.VersionTLS12, 0).PostForm(base+"/signin", url.Values{"user": {"pat"}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		set := resp.Header.Get("Set-Cookie")
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(set, "caseroom_session=crs_") || !strings.Contains(set, "; Secure") {
			t.Errorf("sign in over HTTPS: %d, Set-Cookie %q", resp.StatusCode, set)
		}
		if h := resp.Header.Get("Strict-Transport-Security"); h == "" {
			t.Error("no Strict-Transport-Security header over HTTPS")
		}
	})
	stop()
	if log := logged.String(); strings.Contains(log, password) || strings.Contains(log, "crs_") {
		t.Errorf("the server log holds a password or session:\n%s", log)
	} else if !strings.Contains(log, `route="POST /signin"`) {
		t.Errorf("the server log shows no sign-in:\n%s", log)
	}
}

// TestAccountControlsAtTheConsole uses the CLI on a store while the server runs: a
// revoked token, a disabled user and an unlocked account take effect on the server's
// very next request.
func TestAccountControlsAtTheConsole(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	const password = "Console-Password-42xy"
	cli(t, password+"\n", "user", "add", "pat", "--data", data)
	first := strings.TrimSpace(cli(t, "", "token", "create", "--user", "pat", "--data", data))
	second := strings.TrimSpace(cli(t, "", "token", "create", "--user", "pat", "--data", data))
	base, stop := startServer(t, "--data", data)
	defer stop()
	me := func(token string) int { return call(t, token, "GET", base+"/api/v1/me", "", nil) }
	if me(first) != 200 || me(second) != 200 {
		t.Fatal("fresh tokens do not work")
	}

	// token list shows the ids, newest first; revoke the oldest.
	list := cli(t, "", "token", "list", "--user", "pat", "--data", data)
	ids := regexp.MustCompile(`(?m)^tok_[a-z2-7]+`).FindAllString(list, -1)
	if len(ids) != 2 {
		t.Fatalf("token list:\n%s", list)
	}
	out := cli(t, "", "token", "revoke", ids[1], "--data", data)
	if !strings.Contains(out, "Revoked API token "+ids[1]+" of pat") {
		t.Errorf("revoke printed %q", out)
	}
	if me(first) != 401 || me(second) != 200 {
		t.Errorf("after revoking the first token: first %d, second %d; want 401, 200", me(first), me(second))
	}

	// Five wrong passwords lock the account; the console unlocks it.
	signIn := func(pw string) int {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(base+"/signin", url.Values{"user": {"pat"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range 5 {
		signIn("wrong password")
	}
	if got := signIn(password); got != 401 {
		t.Fatalf("a locked account signed in: %d", got)
	}
	cli(t, "", "user", "unlock", "pat", "--data", data)
	if got := signIn(password); got != 303 {
		t.Fatalf("after unlock: %d", got)
	}

	// Disabling ends the remaining token at once; enabling does not bring it back.
	cli(t, "", "user", "disable", "pat", "--data", data)
	if got := me(second); got != 401 {
		t.Errorf("a disabled user's token: %d", got)
	}
	cli(t, "", "user", "enable", "pat", "--data", data)
	if got := me(second); got != 401 {
		t.Errorf("a token of a user disabled and enabled again: %d", got)
	}
	if got := signIn(password); got != 303 {
		t.Errorf("an enabled user signs in: %d", got)
	}
}
