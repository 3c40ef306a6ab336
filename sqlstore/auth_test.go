package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"caseroom"
	"caseroom/sqlstore"
	"caseroom/totp"
)

// authClock is a fake clock for the store: tests move it to cross idle timeouts,
// lifetimes and TOTP steps.
type authClock struct{ now time.Time }

func (c *authClock) advance(d time.Duration) { c.now = c.now.Add(d) }

// useClock makes the store read the time from a new fake clock, at a TOTP step
// boundary.
func useClock(s *testStore) *authClock {
	c := &authClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s.DB.Now = func() time.Time { return c.now }
	return c
}

const authPassword = "correct horse battery staple"

// authUser creates a user with authPassword.
func authUser(t *testing.T, s *testStore, name string, admin bool) *caseroom.User {
	t.Helper()
	u, err := s.DB.CreateUser(console, caseroom.NewUser{Name: name, Password: authPassword, Admin: admin})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// fixturePassword is the password mustUser gives a user.
func fixturePassword(name string) string { return "pw-" + name + "-long-enough" }

func signIn(t *testing.T, s *testStore, name, password, code string) *caseroom.Session {
	t.Helper()
	sess, err := s.DB.SignIn(context.Background(), caseroom.SignIn{User: name, Password: password, Code: code})
	if err != nil {
		t.Fatalf("sign in as %s: %v", name, err)
	}
	return sess
}

// signInFails checks that a sign-in fails with the one generic answer.
func signInFails(t *testing.T, s *testStore, name, password, code string) {
	t.Helper()
	sess, err := s.DB.SignIn(context.Background(), caseroom.SignIn{User: name, Password: password, Code: code})
	if !errors.Is(err, caseroom.ErrSignInFailed) {
		t.Fatalf("sign in as %s: err = %v, want ErrSignInFailed", name, err)
	}
	if sess != nil {
		t.Fatal("a failed sign-in returned a session")
	}
}

// lastActions returns the actions and actors of the newest n audit entries.
func lastActions(s *testStore, n int) []string {
	es := s.entries()
	var out []string
	for _, e := range es[max(0, len(es)-n):] {
		out = append(out, e.Actor+" "+e.Action)
	}
	return out
}

func wantActions(t *testing.T, s *testStore, want ...string) {
	t.Helper()
	got := lastActions(s, len(want))
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("last audit entries %q; want %q", got, want)
	}
}

func TestSignInAndSessions(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		clock := useClock(s)
		pat := authUser(t, s, "pat", false)

		a := signIn(t, s, "pat", authPassword, "")
		wantActions(t, s, "pat signin")
		if !strings.HasPrefix(a.Secret, "crs_") || len(a.Secret) < 4+26 {
			t.Fatalf("session secret %q: want crs_ and at least 128 bits", a.Secret)
		}
		if a.User.ID != pat.ID || a.CSRFToken == "" || a.CSRFToken == a.Secret {
			t.Fatalf("session %+v", a)
		}
		if want := clock.now.Add(sqlstore.DefaultIdleTimeout); !a.ExpiresAt.Equal(want) {
			t.Errorf("expires at %v, want %v", a.ExpiresAt, want)
		}
		b := signIn(t, s, "pat", authPassword, "")
		if a.Secret == b.Secret || a.CSRFToken == b.CSRFToken {
			t.Error("two sign-ins share a session secret or CSRF token")
		}

		t.Run("resume", func(t *testing.T) {
			clock.advance(time.Minute)
			got, err := s.DB.ResumeSession(context.Background(), a.Secret)
			if err != nil {
				t.Fatal(err)
			}
			if got.User.Name != "pat" || got.CSRFToken != a.CSRFToken || !got.LastSeenAt.Equal(clock.now) || got.Secret != a.Secret {
				t.Errorf("resumed %+v", got)
			}
		})
		for _, secret := range []string{"", "crs_", "crs_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", strings.TrimPrefix(a.Secret, "crs_"), a.CSRFToken} {
			t.Run("unknown session "+secret, func(t *testing.T) {
				_, err := s.DB.ResumeSession(context.Background(), secret)
				checkError(t, err, caseroom.EUNAUTHORIZED, "")
				if errors.Is(err, caseroom.ErrSessionExpired) {
					t.Error("an unknown session is said to have expired")
				}
			})
		}
		t.Run("sign out ends the session on the server", func(t *testing.T) {
			if err := s.DB.SignOut(context.Background(), b.Secret); err != nil {
				t.Fatal(err)
			}
			wantActions(t, s, "pat signout")
			_, err := s.DB.ResumeSession(context.Background(), b.Secret)
			checkError(t, err, caseroom.EUNAUTHORIZED, "")
			if _, err := s.DB.ResumeSession(context.Background(), a.Secret); err != nil {
				t.Errorf("signing out one session ended another: %v", err)
			}
			if err := s.DB.SignOut(context.Background(), b.Secret); err != nil {
				t.Errorf("signing out twice: %v", err)
			}
		})
		t.Run("only hashes are stored", func(t *testing.T) {
			n := s.queryString(`SELECT CAST(COUNT(*) AS TEXT) FROM sessions WHERE secret_hash = ? OR secret_hash = ?`, a.Secret, strings.TrimPrefix(a.Secret, "crs_"))
			if n != "0" {
				t.Error("a session secret is stored in clear")
			}
		})
	})
}

func TestSessionTimeouts(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		clock := useClock(s)
		authUser(t, s, "pat", false)
		resume := func(secret string) error {
			_, err := s.DB.ResumeSession(context.Background(), secret)
			return err
		}

		t.Run("idle", func(t *testing.T) {
			sess := signIn(t, s, "pat", authPassword, "")
			for range 4 {
				clock.advance(29 * time.Minute)
				if err := resume(sess.Secret); err != nil {
					t.Fatalf("a session used every 29 minutes ended: %v", err)
				}
			}
			clock.advance(30 * time.Minute)
			if err := resume(sess.Secret); !errors.Is(err, caseroom.ErrSessionExpired) {
				t.Fatalf("after 30 idle minutes: %v; want ErrSessionExpired", err)
			}
			err := resume(sess.Secret)
			checkError(t, err, caseroom.EUNAUTHORIZED, "")
		})
		t.Run("absolute lifetime", func(t *testing.T) {
			sess := signIn(t, s, "pat", authPassword, "")
			for i := 1; i < 12*3; i++ {
				clock.advance(20 * time.Minute)
				if err := resume(sess.Secret); err != nil {
					t.Fatalf("ended after %v: %v", time.Duration(i)*20*time.Minute, err)
				}
			}
			clock.advance(20 * time.Minute)
			if err := resume(sess.Secret); !errors.Is(err, caseroom.ErrSessionExpired) {
				t.Fatalf("after 12 busy hours: %v; want ErrSessionExpired", err)
			}
		})
		t.Run("configured policy", func(t *testing.T) {
			s.DB.Sessions = sqlstore.SessionPolicy{IdleTimeout: 5 * time.Minute, Lifetime: time.Hour}
			defer func() { s.DB.Sessions = sqlstore.SessionPolicy{} }()
			sess := signIn(t, s, "pat", authPassword, "")
			clock.advance(4 * time.Minute)
			if err := resume(sess.Secret); err != nil {
				t.Fatal(err)
			}
			clock.advance(5 * time.Minute)
			if err := resume(sess.Secret); !errors.Is(err, caseroom.ErrSessionExpired) {
				t.Fatalf("after 5 idle minutes with a 5-minute timeout: %v", err)
			}
		})
	})
}

// TestUnknownSignInFlood makes 64 sign-in attempts at once under names that do not
// exist, and checks that each is refused (ErrSignInFailed, or ErrSignInBusy from the
// password gate), and that the audit log grows by one entry at once and one tally
// when the period is over, however many there were: a flood cannot grow the log.
func TestUnknownSignInFlood(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		clock := useClock(s)
		authUser(t, s, "sam", false)
		before := len(s.entries())
		const attempts = 64
		errs := make(chan error, attempts)
		for i := range attempts {
			go func() {
				_, err := s.DB.SignIn(context.Background(), caseroom.SignIn{User: fmt.Sprintf("nobody%d", i), Password: "a guess"})
				errs <- err
			}()
		}
		failed, busy := 0, 0
		for range attempts {
			switch err := <-errs; err {
			case caseroom.ErrSignInFailed:
				failed++
			case caseroom.ErrSignInBusy:
				busy++
			default:
				t.Errorf("an attempt under an unknown name: %v, want ErrSignInFailed or ErrSignInBusy", err)
			}
		}
		t.Logf("%d refused as failed, %d as busy", failed, busy)
		if failed == 0 {
			t.Fatal("no attempt was checked")
		}
		if got := lastActions(s, len(s.entries())-before); !slices.Equal(got, []string{"(unknown) signin.fail"}) {
			t.Fatalf("the flood wrote %v, want the one entry of its first failure", got)
		}
		// A wrong password of a known user is still an entry of its own.
		signInFails(t, s, "sam", "wrong password", "")
		wantActions(t, s, "(unknown) signin.fail", "sam signin.fail")

		// Within the period, the tally waits.
		if err := s.DB.WriteSignInTally(context.Background()); err != nil {
			t.Fatal(err)
		}
		wantActions(t, s, "(unknown) signin.fail", "sam signin.fail")
		clock.advance(sqlstore.UnknownSignInPeriod)
		if err := s.DB.WriteSignInTally(context.Background()); err != nil {
			t.Fatal(err)
		}
		wantActions(t, s, "(unknown) signin.fail", "sam signin.fail", "(unknown) signin.fail.tally")
		var failures int
		var first, last string
		if err := s.raw.QueryRow(`SELECT failures, first_at, last_at FROM sign_in_tallies`).Scan(&failures, &first, &last); err != nil {
			t.Fatal(err)
		}
		if failures != failed-1 || first == "" || last < first {
			t.Errorf("tally of %d failures from %s to %s, want %d (all but the first)", failures, first, last, failed-1)
		}
		if err := s.DB.WriteSignInTally(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := s.Count("sign_in_tallies"); n != 1 {
			t.Errorf("%d tallies after writing again with nothing counted, want 1", n)
		}

		// A failure within the new period is counted; the first after it writes the
		// tally (of two); the first after a quiet period is an entry of its own.
		signInFails(t, s, "nobody", "a guess", "")
		wantActions(t, s, "sam signin.fail", "(unknown) signin.fail.tally")
		clock.advance(sqlstore.UnknownSignInPeriod)
		signInFails(t, s, "nobody", "a guess", "")
		wantActions(t, s, "(unknown) signin.fail.tally", "(unknown) signin.fail.tally")
		clock.advance(sqlstore.UnknownSignInPeriod)
		signInFails(t, s, "nobody", "a guess", "")
		wantActions(t, s, "(unknown) signin.fail.tally", "(unknown) signin.fail.tally", "(unknown) signin.fail")
		if n := s.Count("sign_in_tallies"); n != 2 {
			t.Errorf("%d tallies, want 2", n)
		}
	})
}

func TestSignInFailuresAndLockout(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		useClock(s)
		root := authUser(t, s, "root", true)
		pat := authUser(t, s, "pat", false)
		authUser(t, s, "sam", false)

		t.Run("unknown user and wrong password answer alike", func(t *testing.T) {
			_, errUnknown := s.DB.SignIn(context.Background(), caseroom.SignIn{User: "nobody", Password: authPassword})
			_, errWrong := s.DB.SignIn(context.Background(), caseroom.SignIn{User: "sam", Password: "wrong password"})
			if errUnknown != errWrong || errUnknown != caseroom.ErrSignInFailed {
				t.Errorf("unknown user: %v; wrong password: %v; want the same ErrSignInFailed", errUnknown, errWrong)
			}
			es := s.entries()
			unknown, wrong := es[len(es)-2], es[len(es)-1]
			if unknown.Actor != "(unknown)" || unknown.Action != "signin.fail" || strings.Contains(unknown.ObjectID, "nobody") {
				t.Errorf("unknown user's attempt audited as %+v", unknown)
			}
			if wrong.Actor != "sam" || wrong.Action != "signin.fail" {
				t.Errorf("wrong password audited as %+v", wrong)
			}
		})

		t.Run("a success resets the count", func(t *testing.T) {
			authUser(t, s, "kim", false)
			for range 4 {
				signInFails(t, s, "kim", "wrong password", "")
			}
			signIn(t, s, "kim", authPassword, "")
			for range 4 {
				signInFails(t, s, "kim", "wrong password", "")
			}
			signIn(t, s, "kim", authPassword, "")
		})

		t.Run("five failures lock the account", func(t *testing.T) {
			for i := range 5 {
				signInFails(t, s, "pat", "wrong password", "")
				if i == 3 {
					if a, _ := s.DB.FindAccount(console, "pat"); a.Locked || a.FailedAttempts != 4 {
						t.Fatalf("after 4 failures: %+v", a)
					}
				}
			}
			wantActions(t, s, "pat signin.fail", "pat user.lock")
			a, err := s.DB.FindAccount(console, "pat")
			if err != nil || !a.Locked || a.FailedAttempts != 5 {
				t.Fatalf("after 5 failures: %+v %v", a, err)
			}
			signInFails(t, s, "pat", authPassword, "")
			wantActions(t, s, "pat signin.fail")
		})

		t.Run("only an administrator unlocks", func(t *testing.T) {
			_, err := s.DB.UnlockUser(as(pat), "pat")
			checkError(t, err, caseroom.EFORBIDDEN, "")
			_, err = s.DB.UnlockUser(as(root), "nobody")
			checkError(t, err, caseroom.ENOTFOUND, "")
			a, err := s.DB.UnlockUser(as(root), "pat")
			if err != nil || a.Locked || a.FailedAttempts != 0 {
				t.Fatalf("unlock: %+v %v", a, err)
			}
			wantActions(t, s, "root user.unlock")
			signIn(t, s, "pat", authPassword, "")
		})
	})
}

func TestSecondFactor(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		clock := useClock(s)
		root := authUser(t, s, "root", true)
		f := newFixture(t, s, "lena", "Operation Alpha")
		ivan := f.member("ivan", caseroom.RoleInvestigator)
		code := func(e *caseroom.TOTPEnrolment, d time.Duration) string {
			secret, err := totp.Encoding.DecodeString(e.Secret)
			if err != nil {
				t.Fatal(err)
			}
			return totp.Code(secret, totp.Step(clock.now.Add(d)), totp.Digits)
		}

		t.Run("a lead without a second factor cannot sign in", func(t *testing.T) {
			_, err := s.DB.SignIn(context.Background(), caseroom.SignIn{User: "lena", Password: fixturePassword("lena")})
			if !errors.Is(err, caseroom.ErrSecondFactorRequired) || !strings.Contains(caseroom.ErrorMessage(err), "administrator") {
				t.Fatalf("err = %v; want ErrSecondFactorRequired", err)
			}
			wantActions(t, s, "lena signin.refuse")
			signInFails(t, s, "lena", "wrong password", "")
			if a, _ := s.DB.FindAccount(console, "lena"); a.FailedAttempts != 1 {
				t.Errorf("refusals counted as failures: %+v", a)
			}
		})
		t.Run("an investigator needs none", func(t *testing.T) {
			signIn(t, s, "ivan", fixturePassword("ivan"), "")
		})

		t.Run("only an administrator enrols someone else", func(t *testing.T) {
			_, err := s.DB.EnrolTOTP(as(ivan), "lena")
			checkError(t, err, caseroom.EFORBIDDEN, "")
			_, err = s.DB.EnrolTOTP(as(root), "nobody")
			checkError(t, err, caseroom.ENOTFOUND, "")
		})

		e, err := s.DB.EnrolTOTP(as(root), "lena")
		if err != nil {
			t.Fatal(err)
		}
		wantActions(t, s, "root totp.enrol")
		if !strings.HasPrefix(e.URI, "otpauth://totp/Caseroom:lena?") || !strings.Contains(e.URI, "secret="+e.Secret) || len(e.Secret) != 32 {
			t.Fatalf("enrolment %+v", e)
		}
		t.Run("the secret is stored sealed", func(t *testing.T) {
			stored := s.queryString(`SELECT secret FROM totp_enrolments`)
			if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, e.Secret) {
				t.Errorf("stored secret %q", stored)
			}
			last := s.lastEntry()
			if got := s.recomputedHash(last.Seq); got != last.StateHash {
				t.Errorf("totp.enrol state hash does not recompute")
			}
		})

		t.Run("the code is required and checked", func(t *testing.T) {
			// One failure so far; three more here, as a fifth would lock.
			signInFails(t, s, "lena", fixturePassword("lena"), "")
			signInFails(t, s, "lena", fixturePassword("lena"), code(e, -2*totp.Period*time.Second))
			signInFails(t, s, "lena", "wrong password", code(e, 0))
			sess := signIn(t, s, "lena", fixturePassword("lena"), code(e, 0))
			if !sess.SecondFactor {
				t.Error("session does not record the second factor")
			}
		})
		t.Run("a code is not accepted twice", func(t *testing.T) {
			clock.advance(10 * time.Second)
			signInFails(t, s, "lena", fixturePassword("lena"), code(e, 0))
			signInFails(t, s, "lena", fixturePassword("lena"), code(e, -totp.Period*time.Second))
			signIn(t, s, "lena", fixturePassword("lena"), code(e, totp.Period*time.Second))
		})
		t.Run("the clock may be one step off", func(t *testing.T) {
			clock.advance(5 * time.Minute)
			signIn(t, s, "lena", fixturePassword("lena"), code(e, -totp.Period*time.Second))
		})
		t.Run("the secret survives a restart", func(t *testing.T) {
			s.Reopen()
			s.DB.Now = func() time.Time { return clock.now }
			clock.advance(time.Minute)
			signIn(t, s, "lena", fixturePassword("lena"), code(e, 0))
		})
		t.Run("a user enrols themselves", func(t *testing.T) {
			own, err := s.DB.EnrolTOTP(as(ivan), "ivan")
			if err != nil {
				t.Fatal(err)
			}
			wantActions(t, s, "ivan totp.enrol")
			signInFails(t, s, "ivan", fixturePassword("ivan"), "")
			signIn(t, s, "ivan", fixturePassword("ivan"), code(own, 0))
		})
		t.Run("a new role that needs a second factor ends a session without one", func(t *testing.T) {
			sam := f.member("sam", caseroom.RoleIndexer)
			sess := signIn(t, s, "sam", fixturePassword("sam"), "")
			f.setRole(sam, caseroom.RoleProtection)
			_, err := s.DB.ResumeSession(context.Background(), sess.Secret)
			checkError(t, err, caseroom.EUNAUTHORIZED, "")
		})
	})
}

func TestDisableAndRevoke(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		useClock(s)
		root := authUser(t, s, "root", true)
		pat := authUser(t, s, "pat", false)
		sam := authUser(t, s, "sam", false)
		tok1, _ := s.DB.CreateToken(console, "pat")
		tok2, _ := s.DB.CreateToken(console, "pat")
		samTok, _ := s.DB.CreateToken(console, "sam")
		sess := signIn(t, s, "pat", authPassword, "")
		authenticates := func(secret string) bool {
			_, err := s.DB.Authenticate(context.Background(), secret)
			return err == nil
		}

		t.Run("revoke", func(t *testing.T) {
			_, err := s.DB.RevokeToken(as(sam), tok1.ID)
			checkError(t, err, caseroom.ENOTFOUND, "")
			_, err = s.DB.RevokeToken(as(pat), "tok_nonesuch")
			checkError(t, err, caseroom.ENOTFOUND, "")
			info, err := s.DB.RevokeToken(as(pat), tok1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if info.RevokedAt == nil || info.RevokedBy != "pat" || info.User != "pat" {
				t.Errorf("revoked token %+v", info)
			}
			last := s.lastEntry()
			if last.Action != "token.revoke" || last.ObjectID != tok1.ID || s.recomputedHash(last.Seq) != last.StateHash {
				t.Errorf("revocation entry %+v", last)
			}
			if authenticates(tok1.Secret) {
				t.Error("a revoked token still authenticates")
			}
			if !authenticates(tok2.Secret) {
				t.Error("revoking one token stopped another")
			}
			_, err = s.DB.RevokeToken(as(root), tok1.ID)
			checkError(t, err, caseroom.ECONFLICT, "")
			if _, err := s.DB.RevokeToken(as(root), samTok.ID); err != nil {
				t.Errorf("an administrator revokes anyone's token: %v", err)
			}
			list, err := s.DB.FindTokens(as(pat), "pat")
			if err != nil || len(list) != 2 {
				t.Fatalf("tokens: %v %v", list, err)
			}
			for _, ti := range list {
				if (ti.ID == tok1.ID) != (ti.RevokedAt != nil) {
					t.Errorf("listed %+v", ti)
				}
			}
			_, err = s.DB.FindTokens(as(sam), "pat")
			checkError(t, err, caseroom.EFORBIDDEN, "")
		})

		t.Run("disable", func(t *testing.T) {
			_, err := s.DB.DisableUser(as(sam), "pat")
			checkError(t, err, caseroom.EFORBIDDEN, "")
			_, err = s.DB.DisableUser(as(root), "root")
			checkError(t, err, caseroom.EINVALID, "name")
			a, err := s.DB.DisableUser(as(root), "pat")
			if err != nil || !a.Disabled {
				t.Fatalf("disable: %+v %v", a, err)
			}
			last := s.lastEntry()
			if last.Action != "user.disable" || last.Actor != "root" || s.recomputedHash(last.Seq) != last.StateHash {
				t.Errorf("disable entry %+v", last)
			}
			if authenticates(tok2.Secret) {
				t.Error("a disabled user's token still authenticates")
			}
			if _, err := s.DB.ResumeSession(context.Background(), sess.Secret); err == nil {
				t.Error("a disabled user's session goes on")
			}
			signInFails(t, s, "pat", authPassword, "")
		})
		t.Run("enable", func(t *testing.T) {
			_, err := s.DB.EnableUser(as(pat), "pat")
			checkError(t, err, caseroom.EFORBIDDEN, "")
			if _, err := s.DB.EnableUser(as(root), "pat"); err != nil {
				t.Fatal(err)
			}
			wantActions(t, s, "root user.enable")
			_, err = s.DB.EnableUser(as(root), "pat")
			checkError(t, err, caseroom.ECONFLICT, "")
			signIn(t, s, "pat", authPassword, "")
			if authenticates(tok2.Secret) {
				t.Error("enabling a user brought back a token revoked when they were disabled")
			}
			if _, err := s.DB.CreateToken(as(pat), "pat"); err != nil {
				t.Errorf("an enabled user makes a new token: %v", err)
			}
		})
	})
}

// TestSecretsAtRest signs in with canary credentials, enrols a second factor and
// makes tokens, then looks for every secret in what a copy of the database holds.
func TestSecretsAtRest(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		clock := useClock(s)
		const password = "Canary-Password-Zq81xv"
		if _, err := s.DB.CreateUser(console, caseroom.NewUser{Name: "pat", Password: password, Admin: true}); err != nil {
			t.Fatal(err)
		}
		tok, _ := s.DB.CreateToken(console, "pat")
		e, err := s.DB.EnrolTOTP(console, "pat")
		if err != nil {
			t.Fatal(err)
		}
		secret, _ := totp.Encoding.DecodeString(e.Secret)
		code := totp.Code(secret, totp.Step(clock.now), totp.Digits)
		sess := signIn(t, s, "pat", password, code)
		clock.advance(time.Minute)
		signInFails(t, s, "pat", password+"x", "")
		if _, err := s.DB.RevokeToken(console, tok.ID); err != nil {
			t.Fatal(err)
		}
		canaries := map[string][]byte{
			"password": []byte(password), "token": []byte(tok.Secret), "token body": []byte(strings.TrimPrefix(tok.Secret, "crt_")),
			"session": []byte(sess.Secret), "session body": []byte(strings.TrimPrefix(sess.Secret, "crs_")), "CSRF token": []byte(sess.CSRFToken),
			"TOTP secret": []byte(e.Secret), "raw TOTP secret": secret,
		}
		check := func(what string, raw []byte) {
			t.Helper()
			if !bytes.Contains(raw, []byte("totp.enrol")) && !bytes.Contains(raw, []byte("signin")) {
				t.Fatalf("%s holds no audit entries; the scan cannot be trusted", what)
			}
			for name, c := range canaries {
				if i := bytes.Index(raw, c); i >= 0 {
					t.Errorf("%s holds the %s at byte %d", what, name, i)
				}
			}
		}
		switch s.DB.Dialect() {
		case "sqlite":
			var all []byte
			for _, p := range []string{s.dsn, s.dsn + "-wal"} {
				b, err := os.ReadFile(p)
				if errors.Is(err, fs.ErrNotExist) && p != s.dsn {
					continue
				} else if err != nil {
					t.Fatal(err)
				}
				all = append(all, b...)
			}
			check("the SQLite file and WAL", all)
		case "postgres":
			check("pg_dump", pgDumpAny(t, os.Getenv("CASEROOM_TEST_POSTGRES"), s.schema))
		}
		// The audit log holds what happened, without the code.
		for _, e := range s.entries() {
			if strings.Contains(e.ObjectID+e.Actor+e.Action, code) {
				t.Errorf("audit entry %+v holds the TOTP code", e)
			}
		}
	})
}

// pgDumpAny dumps one schema of the database at url.
func pgDumpAny(t *testing.T, url, schema string) []byte {
	t.Helper()
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		bin = "/usr/lib/postgresql/15/bin/pg_dump"
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "--dbname="+url, "--schema="+schema, "--no-owner", "--no-privileges")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, stderr.Bytes())
	}
	return out
}

// TestAccountStateBehindTheServersBack writes the operational tables of signing in
// (sessions, sign_in_state), which are outside the audit log, directly, as someone with
// write access to the database but not the vault's master key would: a session forged
// for an administrator, a session moved to another user or made younger, and a lock
// cleared. None of it works, and each forged session is audited once.
func TestAccountStateBehindTheServersBack(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		clock := useClock(s)
		root := authUser(t, s, "root", true)
		pat := authUser(t, s, "pat", false)
		resume := func(secret string) error {
			_, err := s.DB.ResumeSession(context.Background(), secret)
			return err
		}
		hashOf := func(secret string) string {
			sum := sha256.Sum256([]byte(secret))
			return hex.EncodeToString(sum[:])
		}
		refusedAsForged := func(t *testing.T, secret, user string) {
			t.Helper()
			if err := resume(secret); caseroom.ErrorCode(err) != caseroom.EUNAUTHORIZED {
				t.Fatalf("resume: %v, want EUNAUTHORIZED", err)
			}
			e := s.lastEntry()
			if e.Action != "session.forged" || e.ObjectID != user || e.Actor != "(unknown)" {
				t.Errorf("last entry %+v, want session.forged of %s", e, user)
			}
			if n := s.queryString(`SELECT CAST(COUNT(*) AS TEXT) FROM sessions WHERE secret_hash = ?`, hashOf(secret)); n != "0" {
				t.Error("the forged session's row was kept")
			}
			before := len(s.entries())
			if err := resume(secret); caseroom.ErrorCode(err) != caseroom.EUNAUTHORIZED || len(s.entries()) != before {
				t.Errorf("again: %v, %d new entries; want EUNAUTHORIZED and none", err, len(s.entries())-before)
			}
		}

		t.Run("a session genuinely made resumes, again and again", func(t *testing.T) {
			sess := signIn(t, s, "pat", authPassword, "")
			for range 3 {
				clock.advance(time.Minute)
				if err := resume(sess.Secret); err != nil {
					t.Fatal(err)
				}
			}
		})
		t.Run("a session forged for an administrator", func(t *testing.T) {
			s := s.within(t)
			secret := "crs_" + strings.Repeat("a", 52)
			now := clock.now.UTC().Format("2006-01-02T15:04:05.000000000Z")
			s.exec(`INSERT INTO sessions (secret_hash, user_id, second_factor, created_at, last_seen_at, tag) VALUES (?, ?, 1, ?, ?, ?)`,
				hashOf(secret), root.ID, now, now, "")
			refusedAsForged(t, secret, root.ID)
		})
		t.Run("a session moved to an administrator", func(t *testing.T) {
			s := s.within(t)
			sess := signIn(t, s, "pat", authPassword, "")
			s.exec(`UPDATE sessions SET user_id = ? WHERE secret_hash = ?`, root.ID, hashOf(sess.Secret))
			refusedAsForged(t, sess.Secret, root.ID)
		})
		t.Run("a session made younger", func(t *testing.T) {
			s := s.within(t)
			sess := signIn(t, s, "pat", authPassword, "")
			s.exec(`UPDATE sessions SET created_at = ? WHERE secret_hash = ?`, clock.now.Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000000000Z"), hashOf(sess.Secret))
			refusedAsForged(t, sess.Secret, pat.ID)
		})
		t.Run("a lock cleared in sign_in_state", func(t *testing.T) {
			s := s.within(t)
			authUser(t, s, "kim", false)
			for range caseroom.MaxFailedSignIns {
				signInFails(t, s, "kim", "wrong password", "")
			}
			s.exec(`DELETE FROM sign_in_state`)
			signInFails(t, s, "kim", authPassword, "")
			a, err := s.DB.FindAccount(as(root), "kim")
			if err != nil || !a.Locked {
				t.Errorf("account %+v (%v), want locked", a, err)
			}
			if _, err := s.DB.UnlockUser(as(root), "kim"); err != nil {
				t.Fatal(err)
			}
			signIn(t, s, "kim", authPassword, "")
		})
	})
}
