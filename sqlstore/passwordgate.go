package sqlstore

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"caseroom"
)

// Bounds of password hashing. An argon2id hash holds argonMemory (64 MiB) while it is
// computed, and anyone can make the server compute one by trying to sign in: without
// a bound, n attempts at once would take n × 64 MiB (32 took a probe's server to
// 4.2 GB). Hashes wait for one of a few turns instead.
const (
	// maxPasswordHashes is how many hashes are computed at once, at most: 128 MiB of
	// argon2 state, about twice that with the garbage collector's headroom. Each hash
	// runs argonThreads threads, so a server with fewer cores than two hashes' threads
	// gets one turn (see passwordTurns): a second would not check passwords faster
	// there, only hold another 64 MiB.
	maxPasswordHashes = 2
	// maxPasswordWaiting is how many sign-ins may wait for a turn; one more is refused
	// at once with caseroom.ErrSignInBusy.
	maxPasswordWaiting = 32
	// maxPasswordWait is how long a sign-in waits for a turn before it is refused with
	// caseroom.ErrSignInBusy: some fifty hashes' time on a small server.
	maxPasswordWait = 5 * time.Second
)

// passwordTurns is the number of turns of a store's password gate: as many hashes as
// the cores can run at once, argonThreads threads each, between 1 and
// maxPasswordHashes.
func passwordTurns() int {
	return max(1, min(maxPasswordHashes, runtime.NumCPU()/int(argonThreads)))
}

// passwordGate bounds how many password hashes are computed at once (see above).
type passwordGate struct {
	turns   chan struct{}
	waiting atomic.Int64
	// maxWaiting and maxWait bound the queue of a bounded wait (see check).
	maxWaiting int64
	maxWait    time.Duration
}

func newPasswordGate(turns, maxWaiting int, maxWait time.Duration) *passwordGate {
	return &passwordGate{turns: make(chan struct{}, turns), maxWaiting: int64(maxWaiting), maxWait: maxWait}
}

// check runs hash in a turn, for a sign-in: it waits at most maxWait, behind at most
// maxWaiting others, and returns caseroom.ErrSignInBusy without running hash when it
// would have to wait longer or behind more. It returns ctx's error if ctx ends first.
func (g *passwordGate) check(ctx context.Context, hash func()) error {
	select {
	case g.turns <- struct{}{}:
	default:
		if g.waiting.Add(1) > g.maxWaiting {
			g.waiting.Add(-1)
			return caseroom.ErrSignInBusy
		}
		timer := time.NewTimer(g.maxWait)
		select {
		case g.turns <- struct{}{}:
			timer.Stop()
			g.waiting.Add(-1)
		case <-timer.C:
			g.waiting.Add(-1)
			return caseroom.ErrSignInBusy
		case <-ctx.Done():
			timer.Stop()
			g.waiting.Add(-1)
			return ctx.Err()
		}
	}
	defer func() { <-g.turns }()
	hash()
	return nil
}

// wait runs hash in a turn however long it waits, for an administrator's command
// (creating a user); it returns ctx's error if ctx ends first.
func (g *passwordGate) wait(ctx context.Context, hash func()) error {
	select {
	case g.turns <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.turns }()
	hash()
	return nil
}
