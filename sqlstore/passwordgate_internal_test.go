package sqlstore

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"caseroom"
)

// TestPasswordGate holds both turns of a gate with room for one waiter and checks what
// further hashes get: the first waits and runs once a turn is free, the next is refused
// at once, one that waits too long is refused, one whose request ends gets its error.
func TestPasswordGate(t *testing.T) {
	g := newPasswordGate(2, 1, time.Hour)
	release := make(chan struct{})
	var running sync.WaitGroup
	var holders sync.WaitGroup
	for range 2 {
		running.Add(1)
		holders.Add(1)
		go func() {
			defer holders.Done()
			if err := g.check(context.Background(), func() { running.Done(); <-release }); err != nil {
				t.Errorf("a free turn: %v", err)
			}
		}()
	}
	running.Wait() // both turns are held

	waited := make(chan error, 1)
	ran := false
	go func() { waited <- g.check(context.Background(), func() { ran = true }) }()
	for g.waiting.Load() != 1 {
		time.Sleep(time.Millisecond) // until the waiter is queued
	}
	if err := g.check(context.Background(), func() { t.Error("a hash beyond the queue ran") }); !errors.Is(err, caseroom.ErrSignInBusy) {
		t.Errorf("beyond the queue: %v, want ErrSignInBusy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g2 := newPasswordGate(1, 5, time.Hour)
	g2.turns <- struct{}{} // held
	if err := g2.check(ctx, func() { t.Error("a hash of an ended request ran") }); !errors.Is(err, context.Canceled) {
		t.Errorf("ended request: %v, want context.Canceled", err)
	}
	g3 := newPasswordGate(1, 5, time.Millisecond)
	g3.turns <- struct{}{} // held, and never given back
	if err := g3.check(context.Background(), func() { t.Error("a hash that waited too long ran") }); !errors.Is(err, caseroom.ErrSignInBusy) {
		t.Errorf("waited too long: %v, want ErrSignInBusy", err)
	}
	if n := g3.waiting.Load(); n != 0 {
		t.Errorf("%d still counted as waiting", n)
	}

	close(release)
	holders.Wait()
	if err := <-waited; err != nil || !ran {
		t.Errorf("the waiter: %v (ran %v), want its hash run once a turn was free", err, ran)
	}
	if len(g.turns) != 0 || g.waiting.Load() != 0 {
		t.Errorf("after all: %d turns held, %d waiting", len(g.turns), g.waiting.Load())
	}
}
