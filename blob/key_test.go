package blob

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys", "blob.key")
	id, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := id.String() + "\n"; string(data) != want {
		t.Errorf("key file holds %d bytes, want the identity and a newline", len(data))
	}
	if got := dirEntries(t, filepath.Dir(path)); len(got) != 1 {
		t.Errorf("key directory holds %v, want only the key", got)
	}
	again, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if again.String() != id.String() {
		t.Fatal("reloading the key file gave another identity")
	}
}

func TestLoadOrCreateKeyAcceptsAgeKeygenFile(t *testing.T) {
	id := newIdentity(t)
	path := filepath.Join(t.TempDir(), "blob.key")
	content := "# created: 2026-01-02T03:04:05Z\n# public key: " + id.Recipient().String() + "\n" + id.String() + "\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != id.String() {
		t.Fatal("loaded another identity than the file holds")
	}
}

func TestLoadOrCreateKeyRefusesCorruptFile(t *testing.T) {
	a, b := newIdentity(t).String(), newIdentity(t).String()
	for _, tc := range []struct{ name, content string }{
		{"empty", ""},
		{"comments only", "# nothing here\n"},
		{"garbage", "not a key\n"},
		{"truncated", a[:40] + "\n"},
		{"one character changed", a[:40] + string(a[40]^1) + a[41:] + "\n"},
		{"two identities", a + "\n" + b + "\n"},
		{"a recipient", newIdentity(t).Recipient().String() + "\n"},
		{"huge", strings.Repeat("#", 10000) + "\n" + a + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "blob.key")
			if err := os.WriteFile(path, []byte(tc.content), 0o640); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadOrCreateKey(path); err == nil {
				t.Fatal("LoadOrCreateKey accepted a corrupt key file")
			} else if strings.Contains(err.Error(), "AGE-SECRET-KEY-1") && strings.Contains(err.Error(), a[16:]) {
				t.Fatalf("error shows the key: %v", err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != tc.content {
				t.Fatal("the corrupt key file was changed")
			}
			if got := dirEntries(t, filepath.Dir(path)); len(got) != 1 {
				t.Fatalf("key directory holds %v, want only the corrupt key", got)
			}
		})
	}
}

func TestLoadOrCreateKeyRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blob.key")
	const racers = 8
	keys := make([]string, racers)
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			id, err := LoadOrCreateKey(path)
			errs[i] = err
			if err == nil {
				keys[i] = id.String()
			}
		})
	}
	wg.Wait()
	for i := range racers {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if keys[i] != keys[0] {
			t.Fatalf("racer %d got another identity than racer 0", i)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != keys[0]+"\n" {
		t.Fatal("the key file does not hold the identity every racer got")
	}
}
