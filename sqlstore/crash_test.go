package sqlstore_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"caseroom"
	"caseroom/audit"
	"caseroom/sqlstore"
)

// An audit entry and its stored tree hashes are written in one transaction, so a crash
// between them is impossible: a committed entry always has its hashes, and an entry
// whose transaction did not commit leaves nothing behind. TestCrashLoop tests that by
// killing a writing process at random moments and verifying the store after each kill.
//
// It runs on SQLite only: killing a PostgreSQL client only ends its connection, and the
// server rolls back what was not committed, which the server, not this code, guarantees.
// With SQLite the killed process is the database engine itself, mid-write, with its WAL
// and locks left behind.

var crashIterations = flag.Int("crash.iterations", 0,
	"kill-and-verify rounds of TestCrashLoop (default 3, or $CASEROOM_CRASH_ITERATIONS)")

// crashWriterEnv names the SQLite database TestCrashWriter writes to; without it, that
// test skips.
const crashWriterEnv = "CASEROOM_CRASH_WRITER"

// crashReady is what the writer prints once its first write has committed.
const crashReady = "crash writer: writing"

// crashRounds is the number of rounds to run: the flag, else the environment, else 3.
func crashRounds(t *testing.T) int {
	if *crashIterations > 0 {
		return *crashIterations
	}
	if v := os.Getenv("CASEROOM_CRASH_ITERATIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("CASEROOM_CRASH_ITERATIONS=%q is not a positive number", v)
		}
		return n
	}
	return 3
}

// TestCrashLoop starts TestCrashWriter in a child process writing to a store, kills it
// with SIGKILL after a random 50 to 400 ms, then opens the store, verifies it against
// every checkpoint made so far, makes a new checkpoint, and repeats. Every round must
// verify: no entry without its hashes, no records without their entry, and no
// committed entry lost or changed since the checkpoints before.
func TestCrashLoop(t *testing.T) {
	rounds := crashRounds(t)
	ctx := context.Background()
	dir := t.TempDir()
	path, keyFile := filepath.Join(dir, "caseroom.db"), filepath.Join(dir, "vault.key")
	logKey, err := audit.LoadOrCreateLogKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(ctx, path, sqlstore.Options{KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(console, caseroom.NewUser{Name: "writer", Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateCase(as(u), caseroom.NewCase{Title: "Operation Crash"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	var files []audit.CheckpointFile
	var entries int64
	for round := 1; round <= rounds; round++ {
		wait := 50*time.Millisecond + rand.N(350*time.Millisecond)
		killWriter(t, path, wait)

		db, err := sqlstore.Open(ctx, path, sqlstore.Options{KeyFile: keyFile})
		if err != nil {
			t.Fatalf("round %d: open after the kill: %v", round, err)
		}
		rep, f := verifyLog(t, db, logKey, files...)
		if f != nil {
			db.Close()
			t.Fatalf("round %d: killed %v into writing, the store does not verify: %v", round, wait, f)
		}
		if rep.Entries < entries {
			t.Fatalf("round %d: %d entries, fewer than the %d before", round, rep.Entries, entries)
		}
		t.Logf("round %d: killed %v into writing; %d entries (%d new), %d records; consistent with %d checkpoint(s)",
			round, wait, rep.Entries, rep.Entries-entries, rep.Records, rep.Files)
		entries = rep.Entries
		signed, _, err := (&audit.Log{Store: db, Key: logKey}).MakeCheckpoint(ctx)
		if err != nil {
			t.Fatalf("round %d: checkpoint: %v", round, err)
		}
		files = append(files, audit.CheckpointFile{Name: fmt.Sprintf("after kill %d", round), Signed: signed})
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// killWriter runs TestCrashWriter on the store at path in a child process, waits until
// it is writing, lets it write for wait, and kills it.
func killWriter(t *testing.T, path string, wait time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashWriterEnv+"="+path)
	var output bytes.Buffer
	var mu sync.Mutex
	cmd.Stderr = &lockedWriter{mu: &mu, w: &output}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			mu.Lock()
			output.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if !signalled && sc.Text() == crashReady {
				close(ready)
				signalled = true
			}
		}
	}()
	select {
	case <-ready:
	case <-done:
		cmd.Wait()
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("crash writer ended before writing:\n%s", output.String())
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("crash writer did not start writing within 2 minutes")
	}
	time.Sleep(wait)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatalf("kill crash writer: %v", err)
	}
	<-done
	cmd.Wait()
	if cmd.ProcessState.Exited() {
		// It ended by itself rather than by the kill: it failed.
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("crash writer exited with %v before it was killed:\n%s", cmd.ProcessState, output.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestCrashWriter is the child process of TestCrashLoop: it registers persons and
// documents in the store named by $CASEROOM_CRASH_WRITER until it is killed.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashWriterEnv)
	if path == "" {
		t.Skip("the writer process of TestCrashLoop; set " + crashWriterEnv + " to run it")
	}
	// A writer whose parent died stops by itself.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := sqlstore.Open(ctx, path, sqlstore.Options{KeyFile: filepath.Join(filepath.Dir(path), "vault.key")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.FindUser(ctx, "writer")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := db.FindCases(as(u))
	if err != nil || len(cases) != 1 {
		t.Fatalf("the writer's case: %v, %v", cases, err)
	}
	c := cases[0].ID
	writer := caseroom.NewContextWithUser(ctx, u)
	// Four writers at once, so that kills also land in group commits of several
	// writes (see DB.write); each write is one of three kinds.
	var ready sync.Once
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Go(func() {
			for i := w; ctx.Err() == nil; i += 4 {
				var err error
				switch i % 3 {
				case 0:
					_, err = db.RegisterPerson(writer, c, caseroom.NewPerson{
						Names:   []caseroom.PersonName{{Name: fmt.Sprintf("Person %d Khan", i), Script: "Latn"}},
						Aliases: []caseroom.Alias{{Alias: fmt.Sprintf("Alias %d", i)}},
						Roles:   []caseroom.PersonRole{caseroom.PersonSuspect, caseroom.PersonWitness},
						Parents: []string{"Parent Khan"}, Address: "Chak 12"})
				case 1:
					_, err = db.RegisterPerson(writer, c, caseroom.NewPerson{
						Names: []caseroom.PersonName{{Name: fmt.Sprintf("Victim %d", i)}}, Roles: []caseroom.PersonRole{caseroom.PersonVictim}})
				case 2:
					_, err = db.RegisterDocument(writer, c, caseroom.NewDocument{Kind: caseroom.DocComplaint,
						Title: fmt.Sprintf("Complaint %d", i), Text: fmt.Sprintf("The text of complaint %d.", i)})
				}
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					t.Errorf("write %d: %v", i, err)
					return
				}
				ready.Do(func() { fmt.Println(crashReady) })
			}
		})
	}
	wg.Wait()
}
