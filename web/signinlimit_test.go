package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"caseroom"
)

// TestSignInRateLimits drives sign-in attempts from one address past the limits and
// checks statuses, Retry-After, that a name's limit is the same whether or not the
// user exists, that refused attempts change nothing, and that the audit log grows by
// one entry for all the failures under unknown names.
func TestSignInRateLimits(t *testing.T) {
	e := newSignInEnv(t, "sam")
	b := e.browser(t)
	entries := func() int { return len(e.lastAudit(t, 1<<30)) }
	before := entries()

	t.Run("a user name's limit, alike for a known and an unknown name", func(t *testing.T) {
		b.t = t
		// sam's wrong passwords lock the account after 5; the limit still counts them.
		var lastUnknown, lastKnown response
		for i := range nameBurst {
			if r := b.signIn("ghost", "a guess", ""); r.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d under an unknown name: %d, want 401", i+1, r.status)
			}
			if r := b.signIn("sam", "a guess", ""); r.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d under sam: %d, want 401", i+1, r.status)
			}
		}
		lastUnknown, lastKnown = b.signIn("ghost", "a guess", ""), b.signIn("sam", envPassword, "")
		for _, r := range []response{lastUnknown, lastKnown} {
			mustStatus(t, r, http.StatusTooManyRequests)
			if got := r.header.Get("Retry-After"); got != fmt.Sprint(int(nameEvery/time.Second)) {
				t.Errorf("Retry-After %q, want %d", got, int(nameEvery/time.Second))
			}
			if !strings.Contains(string(r.body), "Too many sign-in attempts") {
				t.Errorf("page:\n%s", r.body)
			}
		}
		if !bytes.Equal(lastUnknown.body, lastKnown.body) || headerDiff(lastUnknown.header, lastKnown.header) != "" {
			t.Errorf("the limit answers a known and an unknown name differently:\n%s\n---\n%s", lastUnknown.body, lastKnown.body)
		}
		// The refused attempt with sam's right password was not checked: the account
		// stays as the failures left it.
		r := e.do("root", "GET", "/api/v1/users/sam/account", nil)
		if a := decodeInto[caseroom.Account](t, r); a.FailedAttempts != caseroom.MaxFailedSignIns {
			t.Errorf("account %+v, want %d failures", a, caseroom.MaxFailedSignIns)
		}
		e.advance(nameEvery)
		mustStatus(t, b.signIn("ghost", "a guess", ""), http.StatusUnauthorized)
		mustStatus(t, b.signIn("ghost", "a guess", ""), http.StatusTooManyRequests)
	})

	t.Run("a source address's limit", func(t *testing.T) {
		b.t = t
		e.advance(time.Hour) // every bucket full again
		for i := range addressBurst {
			if r := b.signIn(fmt.Sprintf("nobody%d", i), "a guess", ""); r.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d, want 401", i+1, r.status)
			}
		}
		r := b.signIn("someone-new", "a guess", "")
		mustStatus(t, r, http.StatusTooManyRequests)
		if got := r.header.Get("Retry-After"); got != fmt.Sprint(int(addressEvery/time.Second)) {
			t.Errorf("Retry-After %q, want %d", got, int(addressEvery/time.Second))
		}
		e.advance(addressEvery)
		mustStatus(t, b.signIn("someone-new", "a guess", ""), http.StatusUnauthorized)
	})

	t.Run("the audit log", func(t *testing.T) {
		// sam's 10 failures (the 5 that locked the account, the lock, 5 while locked)
		// are entries of their own; of the 42 failures under unknown names, the first
		// is an entry and the first after an hour wrote the tally of those before it.
		want := before + nameBurst + 1 + 2
		if got := entries(); got != want {
			t.Errorf("the log grew by %d entries, want %d: %v", got-before, want-before, e.lastAudit(t, got-before))
		}
		e.advance(time.Hour)
		if err := e.db.WriteSignInTally(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := e.lastAudit(t, 1); got[0] != "(unknown) signin.fail.tally" {
			t.Errorf("last entry %v, want the tally", got)
		}
	})
}

// busyAccounts answers every sign-in as a store checking too many passwords at once.
type busyAccounts struct{ caseroom.AccountService }

func (busyAccounts) SignIn(context.Context, caseroom.SignIn) (*caseroom.Session, error) {
	return nil, caseroom.ErrSignInBusy
}

func TestSignInBusy(t *testing.T) {
	e := newSignInEnv(t, "sam")
	e.srv.Accounts = busyAccounts{e.srv.Accounts}
	r := e.browser(t).signIn("sam", envPassword, "")
	mustStatus(t, r, http.StatusTooManyRequests)
	if got := r.header.Get("Retry-After"); got != "5" {
		t.Errorf("Retry-After %q, want 5", got)
	}
	if !strings.Contains(string(r.body), caseroom.ErrSignInBusy.Message) {
		t.Errorf("page:\n%s", r.body)
	}
}

// TestTokenBucketsBounded fills a set of buckets past its bound with new keys and
// checks that it keeps at most its bound, forgetting buckets that are full again
// before any other, and otherwise the one used longest ago.
func TestTokenBucketsBounded(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b := newTokenBuckets(2, time.Second, 3)
	b.take("a", now)
	b.take("b", now.Add(time.Millisecond))
	b.take("c", now.Add(2*time.Millisecond))
	b.take("d", now.Add(3*time.Millisecond)) // full: a, used longest ago, goes
	if _, ok := b.buckets["a"]; ok || len(b.buckets) != 3 {
		t.Errorf("after d: %d buckets, a kept %v", len(b.buckets), ok)
	}
	later := now.Add(500 * time.Millisecond)
	b.take("b", later) // b is short of a whole attempt
	if w := b.wait("b", later); w <= 0 {
		t.Errorf("b's wait %v, want > 0", w)
	}
	// At +1.1s c and d have filled up again (one token back each), b has not.
	refilled := now.Add(1100 * time.Millisecond)
	b.take("e", refilled)
	if len(b.buckets) > 3 {
		t.Errorf("%d buckets, bound 3", len(b.buckets))
	}
	for _, k := range []string{"c", "d"} {
		if _, ok := b.buckets[k]; ok {
			t.Errorf("%s, full again, was kept", k)
		}
	}
	if _, ok := b.buckets["b"]; !ok {
		t.Error("b, still short of attempts, was forgotten before full buckets")
	}
	for i := range 10000 {
		b.take(fmt.Sprint("k", i), refilled)
	}
	if len(b.buckets) > 3 {
		t.Errorf("%d buckets after a flood of keys, bound 3", len(b.buckets))
	}
}

func TestSourceAddress(t *testing.T) {
	for _, tc := range []struct{ remote, want string }{
		{"192.0.2.7:5555", "192.0.2.7"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::"},
		{"[2001:db8:1:2:ffff::1]:443", "2001:db8:1:2::"},
		{"[::ffff:192.0.2.7]:80", "192.0.2.7"},
	} {
		r := httptest.NewRequest("POST", "/signin", nil)
		r.RemoteAddr = tc.remote
		if got := sourceAddress(r); got != tc.want {
			t.Errorf("sourceAddress(%s) = %s, want %s", tc.remote, got, tc.want)
		}
	}
}
