package web

import (
	"crypto/sha256"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Sign-in attempts are rate-limited per source address and per user name, each with a
// token bucket: a bucket holds up to burst attempts and gets one back every so often;
// an attempt that finds either bucket empty is refused with 429 and Retry-After,
// before its password is hashed, and changes nothing (no audit entry, no failure
// counted). The name's bucket is taken whether or not the user exists, so the answer
// says nothing of which names do. Lockout after caseroom.MaxFailedSignIns failures
// still guards each account; the buckets keep guessing, and the argon2id work and
// audit entries it costs, to a trickle.
//
// The buckets are kept in memory, at most maxBuckets of each kind, so that the limiter
// cannot itself be made to fill the server's memory by inventing names or addresses.
// When the set is full, buckets that have filled up again are forgotten (a new bucket
// is full too), else the one used longest ago: a flood of new keys can make the
// limiter forget a key early, never grow.
//
// The source address is the connection's: behind a reverse proxy every attempt comes
// from the proxy's address and shares its bucket (limit there too). An IPv6 address
// counts by its /64, which one host usually holds whole.
const (
	addressBurst = 30
	addressEvery = 2 * time.Second // 30 a minute
	nameBurst    = 10
	nameEvery    = 6 * time.Second // 10 a minute
	maxBuckets   = 4096
)

// busyRetryAfter is the Retry-After of a sign-in the store was too busy to check
// (caseroom.ErrSignInBusy).
const busyRetryAfter = 5 * time.Second

// signInLimiter limits sign-in attempts per source address and per user name.
type signInLimiter struct {
	mu        sync.Mutex
	byAddress tokenBuckets
	byName    tokenBuckets
}

func newSignInLimiter() *signInLimiter {
	return &signInLimiter{
		byAddress: newTokenBuckets(addressBurst, addressEvery, maxBuckets),
		byName:    newTokenBuckets(nameBurst, nameEvery, maxBuckets),
	}
}

// allow takes one attempt from the buckets of r's source address and of the user name,
// and returns 0; or, if either is empty, takes none and returns how long until both
// have an attempt again.
func (l *signInLimiter) allow(r *http.Request, name string, now time.Time) time.Duration {
	address, nameKey := sourceAddress(r), nameKey(name)
	l.mu.Lock()
	defer l.mu.Unlock()
	if wait := max(l.byAddress.wait(address, now), l.byName.wait(nameKey, now)); wait > 0 {
		return wait
	}
	l.byAddress.take(address, now)
	l.byName.take(nameKey, now)
	return 0
}

// sourceAddress is the key of r's source address: the IP address of the connection,
// an IPv6 address cut to its /64.
func sourceAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip4 := ip.To4(); ip4 != nil {
		return ip4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String()
}

// nameKey is the key of a user name as typed: 16 bytes of the SHA-256 of it in lower
// case. Names are kept hashed, at a fixed size: people type passwords into the name
// field, and a key must not grow with what is typed.
func nameKey(name string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(name)))
	return string(sum[:16])
}

// tokenBuckets is a bounded set of token buckets, one per key. It is not safe for
// concurrent use.
type tokenBuckets struct {
	burst   float64       // attempts a full bucket holds
	every   time.Duration // one attempt comes back this often
	max     int           // buckets kept at most
	buckets map[string]bucket
}

// bucket is the attempts left in one bucket, as reckoned at a time.
type bucket struct {
	tokens float64
	at     time.Time
}

func newTokenBuckets(burst int, every time.Duration, max int) tokenBuckets {
	return tokenBuckets{burst: float64(burst), every: every, max: max, buckets: map[string]bucket{}}
}

// level returns key's bucket as it stands at now; a key without one has a full one.
func (b *tokenBuckets) level(key string, now time.Time) bucket {
	k, ok := b.buckets[key]
	if !ok {
		return bucket{tokens: b.burst, at: now}
	}
	return bucket{tokens: b.refilled(k, now), at: now}
}

// refilled is the attempts in k at now.
func (b *tokenBuckets) refilled(k bucket, now time.Time) float64 {
	if !now.After(k.at) {
		return k.tokens
	}
	return min(b.burst, k.tokens+float64(now.Sub(k.at))/float64(b.every))
}

// wait returns 0 if key's bucket holds an attempt at now, else how long until it does.
func (b *tokenBuckets) wait(key string, now time.Time) time.Duration {
	k := b.level(key, now)
	if k.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - k.tokens) * float64(b.every))
}

// take takes an attempt from key's bucket, which holds one (see wait), making room
// for a new bucket if the set is full.
func (b *tokenBuckets) take(key string, now time.Time) {
	k := b.level(key, now)
	k.tokens--
	if _, ok := b.buckets[key]; !ok && len(b.buckets) >= b.max {
		b.evict(now)
	}
	b.buckets[key] = k
}

// evict forgets the buckets that are full again at now or, if none is, the one used
// longest ago.
func (b *tokenBuckets) evict(now time.Time) {
	oldest, found := "", false
	var oldestAt time.Time
	for key, k := range b.buckets {
		if b.refilled(k, now) >= b.burst {
			delete(b.buckets, key)
			continue
		}
		if !found || k.at.Before(oldestAt) {
			oldest, oldestAt, found = key, k.at, true
		}
	}
	if len(b.buckets) >= b.max {
		delete(b.buckets, oldest)
	}
}
