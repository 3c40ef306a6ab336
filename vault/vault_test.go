package vault_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"caseroom/vault"
)

// aadName is the aad a caller would use for one person's name.
const aadName = "person_names.name\x00nam_abc"

// tb is what the helpers need: both *testing.T and *rapid.T provide it.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

func newKey(t tb, id, purpose string) *vault.Key {
	t.Helper()
	k, err := vault.NewKey(id, purpose)
	if err != nil {
		t.Fatalf("NewKey(%q, %q): %v", id, purpose, err)
	}
	return k
}

func newVault(t tb, current *vault.Key, old []*vault.Key, index *vault.Key) *vault.Vault {
	t.Helper()
	v, err := vault.New(current, old, index)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

// testVault returns a vault with one data key "dk_1" and a fresh index key.
func testVault(t tb) *vault.Vault {
	t.Helper()
	return newVault(t, newKey(t, "dk_1", vault.PurposeData), nil, newKey(t, "ix_1", vault.PurposeIndex))
}

func seal(t tb, v *vault.Vault, value, aad string) string {
	t.Helper()
	s, err := v.Seal(value, aad)
	if err != nil {
		t.Fatalf("Seal(%q): %v", value, err)
	}
	return s
}

// sealedKeyID returns the key id a sealed value names: "v1:" + id + ":" + ciphertext.
func sealedKeyID(t tb, sealed string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(sealed, "v1:")
	if !ok {
		t.Fatalf("sealed value %q does not start with v1:", sealed)
	}
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		t.Fatalf("sealed value %q has no key id", sealed)
	}
	return rest[:i]
}

func TestSealOpenRoundTrip(t *testing.T) {
	v := testVault(t)
	rapid.Check(t, func(t *rapid.T) {
		value := rapid.String().Draw(t, "value")
		aad := rapid.String().Draw(t, "aad")
		sealed := seal(t, v, value, aad)
		got, err := v.Open(sealed, aad)
		if err != nil {
			t.Fatalf("Open(Seal(%q)): %v", value, err)
		}
		if got != value {
			t.Fatalf("Open(Seal(%q)) = %q", value, got)
		}
	})
}

func TestSealRoundTripTable(t *testing.T) {
	v := testVault(t)
	for _, value := range []string{
		"a",
		"Muhammad Asif Khan",
		"طارق محمود",
		"1987-03-14",
		"AB1234567",
		strings.Repeat("x", 4096),
		"\x00\xff not utf-8",
	} {
		t.Run(value[:min(len(value), 20)], func(t *testing.T) {
			sealed := seal(t, v, value, aadName)
			// Short values may appear in random base64 by chance; long ones may not.
			if len(value) >= 8 && strings.Contains(sealed, value) {
				t.Errorf("sealed value %q holds the value in clear", sealed)
			}
			got, err := v.Open(sealed, aadName)
			if err != nil || got != value {
				t.Errorf("Open = %q, %v; want %q", got, err, value)
			}
		})
	}
}

func TestEmptyStaysEmpty(t *testing.T) {
	v := testVault(t)
	if got := seal(t, v, "", aadName); got != "" {
		t.Errorf(`Seal("") = %q, want ""`, got)
	}
	got, err := v.Open("", aadName)
	if err != nil || got != "" {
		t.Errorf(`Open("") = %q, %v; want "", nil`, got, err)
	}
}

func TestSealUsesFreshNonceAndCurrentKey(t *testing.T) {
	v := testVault(t)
	a := seal(t, v, "Muhammad Asif Khan", aadName)
	b := seal(t, v, "Muhammad Asif Khan", aadName)
	if a == b {
		t.Errorf("two seals of the same value are equal (%q): the nonce is not random", a)
	}
	for _, s := range []string{a, b} {
		if id := sealedKeyID(t, s); id != "dk_1" {
			t.Errorf("sealed value %q names key %q, want dk_1", s, id)
		}
	}
}

// TestFlippedBitFails flips every bit of sealed values whose ciphertext length covers
// each base64 tail (0, 2 and 4 padding bits): no altered value may open.
func TestFlippedBitFails(t *testing.T) {
	v := testVault(t)
	// nonce(12) + tag(16) = 28 bytes of overhead; lengths 2, 3, 4 give 30, 31, 32.
	for _, value := range []string{"ab", "abc", "abcd"} {
		t.Run(value, func(t *testing.T) {
			sealed := seal(t, v, value, aadName)
			for i := range len(sealed) * 8 {
				b := []byte(sealed)
				b[i/8] ^= 1 << (i % 8)
				if got, err := v.Open(string(b), aadName); err == nil {
					t.Errorf("bit %d flipped: %q opened to %q, want an error", i, b, got)
				}
			}
		})
	}
}

func TestFlippedBitFailsProperty(t *testing.T) {
	v := testVault(t)
	rapid.Check(t, func(t *rapid.T) {
		value := rapid.StringN(1, 64, -1).Draw(t, "value")
		sealed := seal(t, v, value, aadName)
		i := rapid.IntRange(0, len(sealed)*8-1).Draw(t, "bit")
		b := []byte(sealed)
		b[i/8] ^= 1 << (i % 8)
		got, err := v.Open(string(b), aadName)
		if err == nil {
			t.Fatalf("bit %d flipped: %q opened to %q, want an error", i, b, got)
		}
		// Past "v1:dk_1:" the key is known: the failure is the authentication.
		if i/8 >= len("v1:dk_1:") && b[i/8] != ':' && !errors.Is(err, vault.ErrWrongKey) {
			t.Fatalf("bit %d flipped in the ciphertext: error %v, want ErrWrongKey", i, err)
		}
	})
}

func TestTruncatedFails(t *testing.T) {
	v := testVault(t)
	rapid.Check(t, func(t *rapid.T) {
		value := rapid.StringN(1, 64, -1).Draw(t, "value")
		sealed := seal(t, v, value, aadName)
		// Truncating to "" is not tested: "" is the stored form of "nothing".
		n := rapid.IntRange(1, len(sealed)-1).Draw(t, "length")
		if got, err := v.Open(sealed[:n], aadName); err == nil {
			t.Fatalf("truncated to %d bytes: %q opened to %q, want an error", n, sealed[:n], got)
		}
	})
}

func TestAlteredEncodingFails(t *testing.T) {
	v := testVault(t)
	sealed := seal(t, v, "Muhammad Asif Khan", aadName)
	head, body := sealed[:len("v1:dk_1:")], sealed[len("v1:dk_1:"):]
	for name, altered := range map[string]string{
		"newline inside":  head + body[:8] + "\n" + body[8:],
		"CR LF at end":    sealed + "\r\n",
		"padding added":   sealed + "==",
		"std alphabet":    head + strings.NewReplacer("-", "+", "_", "/").Replace(body) + "+",
		"space inside":    head + body[:8] + " " + body[8:],
		"no key id":       "v1:" + body,
		"no version":      "dk_1:" + body,
		"other version":   "v2:dk_1:" + body,
		"ciphertext only": body,
	} {
		t.Run(name, func(t *testing.T) {
			if got, err := v.Open(altered, aadName); err == nil {
				t.Errorf("Open(%q) = %q, want an error", altered, got)
			}
		})
	}
}

func TestOtherAADFails(t *testing.T) {
	v := testVault(t)
	rapid.Check(t, func(t *rapid.T) {
		value := rapid.StringN(1, 64, -1).Draw(t, "value")
		aad := rapid.String().Draw(t, "aad")
		other := rapid.String().Filter(func(s string) bool { return s != aad }).Draw(t, "other aad")
		sealed := seal(t, v, value, aad)
		if got, err := v.Open(sealed, other); !errors.Is(err, vault.ErrWrongKey) {
			t.Fatalf("opened with aad %q instead of %q: %q, %v; want ErrWrongKey", other, aad, got, err)
		}
	})
}

func TestMovedValueFails(t *testing.T) {
	v := testVault(t)
	sealed := seal(t, v, "Muhammad Asif Khan", "person_names.name\x00nam_abc")
	for name, aad := range map[string]string{
		"other row":    "person_names.name\x00nam_abd",
		"other column": "person_aliases.alias\x00nam_abc",
		"no aad":       "",
	} {
		t.Run(name, func(t *testing.T) {
			if got, err := v.Open(sealed, aad); !errors.Is(err, vault.ErrWrongKey) {
				t.Errorf("Open = %q, %v; want ErrWrongKey", got, err)
			}
		})
	}
}

func TestRotatedDataKey(t *testing.T) {
	index := newKey(t, "ix_1", vault.PurposeIndex)
	oldKey := newKey(t, "dk_1", vault.PurposeData)
	current := newKey(t, "dk_2", vault.PurposeData)
	before := newVault(t, oldKey, nil, index)
	oldSealed := seal(t, before, "طارق محمود", aadName)

	after := newVault(t, current, []*vault.Key{oldKey}, index)
	if got, err := after.Open(oldSealed, aadName); err != nil || got != "طارق محمود" {
		t.Errorf("after rotation, Open(old value) = %q, %v; want the value", got, err)
	}
	newSealed := seal(t, after, "طارق محمود", aadName)
	if id := sealedKeyID(t, newSealed); id != "dk_2" {
		t.Errorf("after rotation, Seal names key %q, want dk_2", id)
	}
	if got, err := after.Open(newSealed, aadName); err != nil || got != "طارق محمود" {
		t.Errorf("after rotation, Open(new value) = %q, %v; want the value", got, err)
	}
	// The vault from before rotation does not know dk_2.
	_, err := before.Open(newSealed, aadName)
	if err == nil || !strings.Contains(err.Error(), "dk_2") {
		t.Errorf("Open with unknown key: error %v, want one naming dk_2", err)
	}
	if errors.Is(err, vault.ErrWrongKey) {
		t.Errorf("Open with unknown key: %v; want a missing-key error, not ErrWrongKey", err)
	}
	// Rotating the data key leaves the blind index as it was.
	if a, b := before.BlindIndex("name", "tariq"), after.BlindIndex("name", "tariq"); a != b {
		t.Errorf("BlindIndex changed with the data key: %s then %s", a, b)
	}
}

// TestKeyIDWithColon checks that a value sealed under any key id opens again: the
// ciphertext is base64url, which has no ':', so the id is everything before the last one.
func TestKeyIDWithColon(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.String().Draw(t, "key id")
		v := newVault(t, newKey(t, id, vault.PurposeData), nil, newKey(t, "ix", vault.PurposeIndex))
		sealed := seal(t, v, "Asif", aadName)
		if got := sealedKeyID(t, sealed); got != id {
			t.Fatalf("sealed value names key %q, want %q", got, id)
		}
		if got, err := v.Open(sealed, aadName); err != nil || got != "Asif" {
			t.Fatalf("key id %q: Open = %q, %v; want Asif", id, got, err)
		}
	})
}

func TestNewRequiresKeys(t *testing.T) {
	data := newKey(t, "dk_1", vault.PurposeData)
	index := newKey(t, "ix_1", vault.PurposeIndex)
	if _, err := vault.New(nil, nil, index); err == nil {
		t.Error("New without a current key: no error")
	}
	if _, err := vault.New(data, nil, nil); err == nil {
		t.Error("New without an index key: no error")
	}
}

func TestKeyFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.key")
	m, encoded, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(encoded), "caseroom-vault-key v1\n") {
		t.Errorf("key file encoding %q lacks the header", encoded)
	}
	// Write twice: the second write replaces the first file.
	_, first, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := vault.WriteKeyFile(path, first); err != nil {
		t.Fatal(err)
	}
	if err := vault.WriteKeyFile(path, encoded); err != nil {
		t.Fatal(err)
	}

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %v, want 0600", perm)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"vault.key"}, names); diff != "" {
		t.Errorf("directory after WriteKeyFile (-want +got):\n%s", diff)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != string(encoded) {
		t.Errorf("key file holds %q, %v; want the last key written", b, err)
	}

	read, err := vault.ReadKeyFile(path)
	if err != nil {
		t.Fatalf("ReadKeyFile: %v", err)
	}
	// The key read back unwraps what the original wrapped, and the reverse.
	k := newKey(t, "dk_1", vault.PurposeData)
	assertUnwraps(t, m, read, k)
	assertUnwraps(t, read, m, k)
}

// assertUnwraps checks that k wrapped by from unwraps with to into a key that opens
// what k sealed.
func assertUnwraps(t *testing.T, from, to *vault.MasterKey, k *vault.Key) {
	t.Helper()
	wrapped, err := from.Wrap(k)
	if err != nil {
		t.Fatalf("Wrap: %v", err)
	}
	got, err := to.Unwrap(k.ID, k.Purpose, wrapped)
	if err != nil {
		t.Fatalf("Unwrap: %v", err)
	}
	if got.ID != k.ID || got.Purpose != k.Purpose {
		t.Errorf("Unwrap gave key %s/%s, want %s/%s", got.ID, got.Purpose, k.ID, k.Purpose)
	}
	index := newKey(t, "ix", vault.PurposeIndex)
	sealed := seal(t, newVault(t, k, nil, index), "Asif", aadName)
	if v, err := newVault(t, got, nil, index).Open(sealed, aadName); err != nil || v != "Asif" {
		t.Errorf("unwrapped key opens %q, %v; want Asif", v, err)
	}
}

func TestWrapUnwrap(t *testing.T) {
	m, _, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	k := newKey(t, "dk_1", vault.PurposeData)
	assertUnwraps(t, m, m, k)

	wrapped, err := m.Wrap(k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Unwrap(k.ID, k.Purpose, wrapped); !errors.Is(err, vault.ErrWrongKey) {
		t.Errorf("Unwrap with another master key: %v, want ErrWrongKey", err)
	}
	for _, tc := range []struct{ name, id, purpose, wrapped string }{
		{"other id", "dk_2", vault.PurposeData, wrapped},
		{"other purpose", "dk_1", vault.PurposeIndex, wrapped},
		{"id and purpose run together", "dk_1\x00data", "", wrapped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := m.Unwrap(tc.id, tc.purpose, tc.wrapped); !errors.Is(err, vault.ErrWrongKey) {
				t.Errorf("Unwrap(%q, %q): %v, want ErrWrongKey", tc.id, tc.purpose, err)
			}
		})
	}
	for _, tc := range []struct{ name, wrapped string }{
		{"empty", ""},
		{"not base64", "not base64!"},
		{"shorter than a nonce", "AAAA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Unwrap("dk_1", vault.PurposeData, tc.wrapped)
			if err == nil || !strings.Contains(err.Error(), "dk_1") {
				t.Errorf("Unwrap(%q): %v, want an error naming dk_1", tc.wrapped, err)
			}
		})
	}
}

func TestWrappedFlippedBitFails(t *testing.T) {
	m, _, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	k := newKey(t, "dk_1", vault.PurposeData)
	wrapped, err := m.Wrap(k)
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		i := rapid.IntRange(0, len(wrapped)*8-1).Draw(t, "bit")
		b := []byte(wrapped)
		b[i/8] ^= 1 << (i % 8)
		if _, err := m.Unwrap(k.ID, k.Purpose, string(b)); err == nil {
			t.Fatalf("bit %d flipped: %q unwrapped, want an error", i, b)
		}
	})
}

func TestReadKeyFileMissing(t *testing.T) {
	_, err := vault.ReadKeyFile(filepath.Join(t.TempDir(), "vault.key"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadKeyFile of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestReadKeyFileMalformed(t *testing.T) {
	const header = "caseroom-vault-key v1\n"
	key32 := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" // 32 zero bytes
	for _, tc := range []struct{ name, content, want string }{
		{"empty", "", "not a Caseroom vault key file"},
		{"other file", "-----BEGIN PRIVATE KEY-----\n", "not a Caseroom vault key file"},
		{"other version", "caseroom-vault-key v2\n" + key32 + "\n", "not a Caseroom vault key file"},
		{"header only", header, "not 32 bytes"},
		{"not base64", header + "not base64!\n", "not 32 bytes"},
		{"16 bytes", header + "AAAAAAAAAAAAAAAAAAAAAA==\n", "not 32 bytes"},
		{"33 bytes", header + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "not 32 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vault.key")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := vault.ReadKeyFile(path)
			if err == nil {
				t.Fatalf("ReadKeyFile(%q): no error", tc.content)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("ReadKeyFile(%q): %q, want an error naming the file and saying %q", tc.content, err, tc.want)
			}
		})
	}
	// A key file without its final newline still reads.
	path := filepath.Join(t.TempDir(), "vault.key")
	if err := os.WriteFile(path, []byte(header+key32), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.ReadKeyFile(path); err != nil {
		t.Errorf("ReadKeyFile without a final newline: %v", err)
	}
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestBlindIndex(t *testing.T) {
	data := newKey(t, "dk_1", vault.PurposeData)
	v1 := newVault(t, data, nil, newKey(t, "ix_1", vault.PurposeIndex))
	v2 := newVault(t, data, nil, newKey(t, "ix_2", vault.PurposeIndex))

	a := v1.BlindIndex("name", "khan")
	if !hex32.MatchString(a) {
		t.Errorf("BlindIndex = %q, want 32 lower-case hex digits", a)
	}
	if b := v1.BlindIndex("name", "khan"); a != b {
		t.Errorf("BlindIndex not deterministic: %s then %s", a, b)
	}
	for name, other := range map[string]string{
		"other index key": v2.BlindIndex("name", "khan"),
		"other field":     v1.BlindIndex("identifier:passport", "khan"),
		"other token":     v1.BlindIndex("name", "khan2"),
	} {
		if other == a {
			t.Errorf("%s: BlindIndex equal (%s)", name, a)
		}
	}
	if strings.Contains(a, "khan") {
		t.Errorf("BlindIndex %q holds the token", a)
	}
}

func TestBlindIndexProperty(t *testing.T) {
	v := testVault(t)
	rapid.Check(t, func(t *rapid.T) {
		field := rapid.String().Draw(t, "field")
		token := rapid.String().Draw(t, "token")
		a := v.BlindIndex(field, token)
		if !hex32.MatchString(a) {
			t.Fatalf("BlindIndex = %q, want 32 lower-case hex digits", a)
		}
		if b := v.BlindIndex(field, token); a != b {
			t.Fatalf("BlindIndex not deterministic: %s then %s", a, b)
		}
	})
}

func TestNameTokens(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"spaces, case and hyphen", "Muhammad  ASIF-khan", []string{"muhammad", "asif", "khan"}},
		{"Urdu", "طارق محمود", []string{"طارق", "محمود"}},
		{"Urdu with vowel marks", "مُحَمَّد علی", []string{"مُحَمَّد", "علی"}},
		{"tatweel stretches a letter, not the word", "محـــمد", []string{"محمد"}},
		{"a zero-width non-joiner stays inside the word", "می\u200cخواهم", []string{"میخواهم"}},
		{"fullwidth letters", "ＭＵＨＡＭＭＡＤ　Ａｓｉｆ", []string{"muhammad", "asif"}},
		{"ligature", "ﬁrdous", []string{"firdous"}},
		{"decomposed accent", "Jose\u0301", []string{"josé"}},
		{"precomposed accent", "JOSÉ", []string{"josé"}},
		{"duplicates dropped", "Khan khan KHAN Asif", []string{"khan", "asif"}},
		{"digits kept", "Ali 2nd", []string{"ali", "2nd"}},
		{"apostrophe splits", "O'Brien", []string{"o", "brien"}},
		// W with ring above has no capital precomposed form; its lower case composes.
		{"lower case composes", "W\u030A", []string{"ẘ"}},
		{"precomposed lower case", "ẘ", []string{"ẘ"}},
		{"empty", "", nil},
		{"separators only", " -,. ", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := vault.NameTokens(tc.in)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("NameTokens(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// nameString draws names rich in what normalisation acts on: cased and fullwidth
// letters, combining marks, Arabic script, digits and separators.
var nameString = rapid.StringOf(rapid.OneOf(
	rapid.Rune(),
	rapid.RuneFrom([]rune(" -'.,\u3000\u00a0\u200c"),
		unicode.Lu, unicode.Ll, unicode.Mn, unicode.Arabic, unicode.Nd),
	rapid.RuneFrom(nil, &unicode.RangeTable{R16: []unicode.Range16{
		{Lo: 0xff10, Hi: 0xff5a, Stride: 1}, // fullwidth digits and Latin
		{Lo: 0x0300, Hi: 0x036f, Stride: 1}, // combining diacritics
		{Lo: 0x1e00, Hi: 0x1eff, Stride: 1}, // Latin extended additional
	}}),
))

func TestNameTokensProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		name := nameString.Draw(t, "name")
		tokens := vault.NameTokens(name)
		seen := map[string]bool{}
		for _, tok := range tokens {
			if tok == "" {
				t.Fatalf("NameTokens(%q) = %q holds an empty token", name, tokens)
			}
			if seen[tok] {
				t.Fatalf("NameTokens(%q) = %q holds %q twice", name, tokens, tok)
			}
			seen[tok] = true
			if strings.ContainsAny(tok, " -") {
				t.Fatalf("NameTokens(%q) = %q: token %q holds a separator", name, tokens, tok)
			}
		}
		again := vault.NameTokens(strings.Join(tokens, " "))
		if diff := cmp.Diff(tokens, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("NameTokens not idempotent on %q (-first +second):\n%s", name, diff)
		}
	})
}

// TestNameTokensJoinerBeforeMark is the case the property found: a zero-width
// non-joiner between a letter and a combining mark is dropped before normalising, so
// the two compose, and the token is the same when tokenised again.
func TestNameTokensJoinerBeforeMark(t *testing.T) {
	if got := vault.NameTokens("A\u200c\u0300"); !cmp.Equal(got, []string{"\u00e0"}) {
		t.Errorf("NameTokens(A, ZWNJ, grave) = %q; want [\"\u00e0\"]", got)
	}
}

func FuzzOpen(f *testing.F) {
	v := testVault(f)
	genuine := seal(f, v, "Muhammad Asif Khan", aadName)
	f.Add(genuine, aadName)
	f.Add("", "")
	f.Add("v1:", "")
	f.Add("v1:dk_1:", aadName)
	f.Add("v1:dk_1:AAAA", aadName)
	f.Add("v1:dk_9:"+genuine[len("v1:dk_1:"):], aadName)
	f.Add("v1::", "")
	f.Add("v1:dk_1:!!", "")
	f.Fuzz(func(t *testing.T, sealed, aad string) {
		got, err := v.Open(sealed, aad)
		if err != nil {
			return
		}
		// Only the genuine value with its own aad opens, and "" opens to "".
		switch {
		case sealed == "" && got == "":
		case sealed == genuine && aad == aadName && got == "Muhammad Asif Khan":
		default:
			t.Fatalf("Open(%q, %q) = %q, nil: an altered value opened", sealed, aad, got)
		}
	})
}

func BenchmarkSealOpen(b *testing.B) {
	v := testVault(b)
	name := "Muhammad Asif Khan Tariq Mahm" + "d" // 30 bytes
	b.SetBytes(int64(len(name)))
	b.ReportAllocs()
	for b.Loop() {
		sealed, err := v.Seal(name, aadName)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Open(sealed, aadName); err != nil {
			b.Fatal(err)
		}
	}
}
