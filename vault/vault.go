// Package vault encrypts identity fields at rest and computes the keyed blind index
// used to find a person by name without storing the name in clear.
//
// Keys form an envelope: a master key, kept in a file outside the database (by default
// vault.key in the data directory), wraps the data keys, which are stored in the
// database wrapped. Rotating the master key re-wraps the data keys and adds a fresh
// data key for new writes; the stored ciphertexts stay as they are, so the rows that
// audit entries hash never change.
//
// Formats:
//
//	key file     "caseroom-vault-key v1\n" + base64(32 random bytes) + "\n", mode 0600
//	wrapped key  base64(nonce(12) || AES-256-GCM(master, key(32), aad))
//	             aad = "caseroom vault key\x00" + id + "\x00" + purpose
//	sealed value "v1:" + key id + ":" + base64url-unpadded(nonce(12) || AES-256-GCM(data key, value, aad))
//	             aad = the caller's context, e.g. "person_names.name\x00nam_abc": a
//	             ciphertext copied to another row or column does not open
//	blind index  hex(HMAC-SHA256(index key, field + "\x00" + token))[:32]
//
// The empty string is stored as the empty string: it says only that there is nothing.
package vault

import (
	"caseroom/internal/durable"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Key purposes.
const (
	PurposeData  = "data"  // encrypts field values
	PurposeIndex = "index" // keys the blind index; never replaced, or the index would no longer match
)

// MasterKey wraps and unwraps the data keys.
type MasterKey struct{ aead cipher.AEAD }

// Key is an unwrapped data or index key.
type Key struct {
	ID      string
	Purpose string
	secret  []byte
}

const keyFileHeader = "caseroom-vault-key v1\n"

// NewMasterKey returns a new random master key and its key-file encoding.
func NewMasterKey() (*MasterKey, []byte, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, nil, err
	}
	m, err := newMasterKey(secret)
	if err != nil {
		return nil, nil, err
	}
	return m, []byte(keyFileHeader + base64.StdEncoding.EncodeToString(secret) + "\n"), nil
}

func newMasterKey(secret []byte) (*MasterKey, error) {
	aead, err := newAEAD(secret)
	if err != nil {
		return nil, err
	}
	return &MasterKey{aead: aead}, nil
}

// ReadKeyFile reads a master key file. Returns an error wrapping fs.ErrNotExist if
// there is no such file.
func ReadKeyFile(path string) (*MasterKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read vault key: %w", err)
	}
	body, ok := strings.CutPrefix(string(b), keyFileHeader)
	if !ok {
		return nil, fmt.Errorf("read vault key %s: not a Caseroom vault key file", path)
	}
	secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(body))
	if err != nil || len(secret) != 32 {
		return nil, fmt.Errorf("read vault key %s: the key is not 32 bytes of base64", path)
	}
	return newMasterKey(secret)
}

// WriteKeyFile writes a key file durably: to a temporary name, synced, renamed, and the
// directory synced. An existing file at path is replaced.
func WriteKeyFile(path string, encoded []byte) error {
	if err := durable.Replace(path, encoded, 0o600); err != nil {
		return fmt.Errorf("write vault key: %w", err)
	}
	return nil
}

// CreateKeyFile writes a new key file durably like WriteKeyFile, but fails with an
// error wrapping fs.ErrExist if path exists: two processes starting on a new store
// cannot both make a key.
func CreateKeyFile(path string, encoded []byte) error {
	if err := durable.Create(path, encoded, 0o600); err != nil {
		return fmt.Errorf("create vault key: %w", err)
	}
	return nil
}

// SyncDir fsyncs a directory so that a rename in it survives a crash.
func SyncDir(dir string) error { return durable.SyncDir(dir) }

// NewKey returns a new random key with the given id and purpose.
func NewKey(id, purpose string) (*Key, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return &Key{ID: id, Purpose: purpose, secret: secret}, nil
}

func wrapAAD(id, purpose string) []byte {
	return []byte("caseroom vault key\x00" + id + "\x00" + purpose)
}

// Wrap encrypts k under the master key.
func (m *MasterKey) Wrap(k *Key) (string, error) {
	nonce := make([]byte, m.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(m.aead.Seal(nonce, nonce, k.secret, wrapAAD(k.ID, k.Purpose))), nil
}

// ErrWrongKey reports a wrapped key or sealed value that does not open with the key
// given: the wrong master key, or data that was altered.
var ErrWrongKey = errors.New("vault: the key does not open this value (wrong key, or the data was altered)")

// Unwrap decrypts a wrapped key. Returns ErrWrongKey if the master key is not the one
// that wrapped it.
func (m *MasterKey) Unwrap(id, purpose, wrapped string) (*Key, error) {
	b, err := base64.StdEncoding.DecodeString(wrapped)
	if err != nil || len(b) < m.aead.NonceSize() {
		return nil, fmt.Errorf("vault: wrapped key %s is malformed", id)
	}
	n := m.aead.NonceSize()
	secret, err := m.aead.Open(nil, b[:n], b[n:], wrapAAD(id, purpose))
	if err != nil {
		return nil, ErrWrongKey
	}
	return &Key{ID: id, Purpose: purpose, secret: secret}, nil
}

// Vault seals and opens field values and computes blind-index tokens.
type Vault struct {
	current *Key
	byID    map[string]cipher.AEAD
	index   []byte
}

// New returns a vault that seals with current, opens with any of dataKeys (current
// included), and keys the blind index with index.
func New(current *Key, dataKeys []*Key, index *Key) (*Vault, error) {
	if current == nil || index == nil {
		return nil, errors.New("vault: a current data key and an index key are required")
	}
	v := &Vault{current: current, byID: map[string]cipher.AEAD{}, index: index.secret}
	for _, k := range append([]*Key{current}, dataKeys...) {
		aead, err := newAEAD(k.secret)
		if err != nil {
			return nil, err
		}
		v.byID[k.ID] = aead
	}
	return v, nil
}

func newAEAD(secret []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(secret)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts value with the current data key, bound to aad. "" stays "".
func (v *Vault) Seal(value, aad string) (string, error) {
	if value == "" {
		return "", nil
	}
	aead := v.byID[v.current.ID]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := aead.Seal(nonce, nonce, []byte(value), []byte(aad))
	return "v1:" + v.current.ID + ":" + base64.RawURLEncoding.EncodeToString(ct), nil
}

// Open decrypts a sealed value bound to aad. "" opens to "". Returns ErrWrongKey if
// the value was altered or moved, and an error naming the key if it is unknown.
func (v *Vault) Open(sealed, aad string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	// The key id is everything up to the last ':', which base64url never holds, so an
	// id that holds ':' still opens.
	rest, ok := strings.CutPrefix(sealed, "v1:")
	i := strings.LastIndexByte(rest, ':')
	if !ok || i < 0 {
		return "", errors.New("vault: the stored value is not sealed")
	}
	keyID, b64 := rest[:i], rest[i+1:]
	aead, ok := v.byID[keyID]
	if !ok {
		return "", fmt.Errorf("vault: no data key %s", keyID)
	}
	// Only the canonical encoding opens: the decoder ignores CR and LF and the unused
	// bits of the last character, so without this check an altered value would open.
	ct, err := base64.RawURLEncoding.DecodeString(b64)
	if err != nil || len(ct) < aead.NonceSize() || base64.RawURLEncoding.EncodeToString(ct) != b64 {
		return "", ErrWrongKey
	}
	n := aead.NonceSize()
	pt, err := aead.Open(nil, ct[:n], ct[n:], []byte(aad))
	if err != nil {
		return "", ErrWrongKey
	}
	return string(pt), nil
}

// BlindIndex returns the index token of one normalised token of a field: equal inputs
// give equal tokens, and nothing about the input can be learnt without the index key.
func (v *Vault) BlindIndex(field, token string) string {
	mac := hmac.New(sha256.New, v.index)
	mac.Write([]byte(field + "\x00" + token))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}

// MAC returns a keyed tag of value in a context (a table and column, such as
// "sessions.tag"): the same construction as BlindIndex, with the context as the field.
// Nothing can make or check one without the index key, which the database holds only
// wrapped by the master key: a tag kept beside a row shows that the row was written
// by whoever holds the key.
func (v *Vault) MAC(context, value string) string { return v.BlindIndex(context, value) }

// NameTokens splits a name into the normalised tokens the blind index holds: NFKC,
// lower case, NFKC again, split at anything that is not a letter, mark or digit,
// duplicates dropped. "Muhammad  ASIF-khan" gives muhammad, asif, khan.
//
// The second NFKC makes NameTokens idempotent: a lower-case letter may compose with a
// mark where its capital does not ("W\u030A" lowers to "w\u030A", which is "ẘ").
func NameTokens(name string) []string {
	// Tatweel (U+0640) only stretches Arabic-script letters, and a zero-width
	// non-joiner (U+200C) sits inside Urdu and Persian words: neither changes the word.
	// They go before normalising, so that what they stood between composes ("A", ZWNJ,
	// a combining grave accent is "à"), and the tokens of a token are itself.
	// NFKC may make a tatweel of its own (U+FE77, a presentation form, is a tatweel and
	// a fatha): it goes too, and what is left is normalised again.
	drop := strings.NewReplacer("\u0640", "", "\u200c", "")
	s := norm.NFKC.String(strings.ToLower(norm.NFKC.String(drop.Replace(name))))
	if strings.ContainsAny(s, "\u0640\u200c") {
		s = norm.NFKC.String(drop.Replace(s))
	}
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r)
	})
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
