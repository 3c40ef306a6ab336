package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"caseroom"
)

func TestCreateUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		root, err := s.DB.CreateUser(console, caseroom.NewUser{Name: "root", Password: "a long admin password", Admin: true})
		if err != nil {
			t.Fatalf("console creates an administrator: %v", err)
		}
		pat := mustUser(t, s, "pat")

		t.Run("an administrator creates users", func(t *testing.T) {
			u, err := s.DB.CreateUser(as(root), caseroom.NewUser{Name: "o.khan-2", Password: "twelve chars"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.DB.FindUser(console, "o.khan-2")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(u, got, cmpopts.IgnoreUnexported(caseroom.User{})); diff != "" {
				t.Errorf("FindUser differs from CreateUser (-created +found):\n%s", diff)
			}
			if got.Admin {
				t.Error("a user created without Admin is an administrator")
			}
			if r, _ := s.DB.FindUser(console, "root"); !r.Admin {
				t.Error("root was created as an administrator but is not one")
			}
		})

		for _, tc := range []struct {
			name        string
			ctx         context.Context
			nu          caseroom.NewUser
			code, field string
		}{
			{"a user who is not an administrator", as(pat), caseroom.NewUser{Name: "mallory", Password: "long enough password"}, caseroom.EFORBIDDEN, ""},
			{"no one signed in", context.Background(), caseroom.NewUser{Name: "mallory", Password: "long enough password"}, caseroom.EUNAUTHORIZED, ""},
			{"a name already taken", console, caseroom.NewUser{Name: "pat", Password: "long enough password"}, caseroom.ECONFLICT, "name"},
			{"no name", console, caseroom.NewUser{Password: "long enough password"}, caseroom.EINVALID, "name"},
			{"upper case", console, caseroom.NewUser{Name: "Pat2", Password: "long enough password"}, caseroom.EINVALID, "name"},
			{"a space", console, caseroom.NewUser{Name: "pat two", Password: "long enough password"}, caseroom.EINVALID, "name"},
			{"one letter", console, caseroom.NewUser{Name: "p", Password: "long enough password"}, caseroom.EINVALID, "name"},
			{"a leading digit", console, caseroom.NewUser{Name: "2pat", Password: "long enough password"}, caseroom.EINVALID, "name"},
			{"the console's name", console, caseroom.NewUser{Name: "console", Password: "long enough password"}, caseroom.EINVALID, "name"},
			{"a short password", console, caseroom.NewUser{Name: "newbie", Password: "elevenchars"}, caseroom.EINVALID, "password"},
		} {
			t.Run("refused: "+tc.name, func(t *testing.T) {
				refused(t, s, tc.code, tc.field, func() error {
					_, err := s.DB.CreateUser(tc.ctx, tc.nu)
					return err
				})
			})
		}
	})
}

func TestTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		pat := mustUser(t, s, "pat")
		sam := mustUser(t, s, "sam")

		tok, err := s.DB.CreateToken(console, "pat")
		if err != nil {
			t.Fatal(err)
		}
		if tok.User != "pat" || !strings.HasPrefix(tok.Secret, "crt_") {
			t.Fatalf("token = %+v, want one for pat starting crt_", tok)
		}
		own, err := s.DB.CreateToken(as(sam), "sam")
		if err != nil {
			t.Fatalf("a user issues a token for themselves: %v", err)
		}

		t.Run("authenticate", func(t *testing.T) {
			for _, tc := range []struct {
				secret string
				want   *caseroom.User
			}{{tok.Secret, pat}, {own.Secret, sam}} {
				got, err := s.DB.Authenticate(context.Background(), tc.secret)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(caseroom.User{})); diff != "" {
					t.Errorf("Authenticate (-want +got):\n%s", diff)
				}
			}
		})

		t.Run("secret is stored only as a hash", func(t *testing.T) {
			var n int
			q := `SELECT COUNT(*) FROM tokens WHERE secret_hash = ?`
			if s.DB.Dialect() == "postgres" {
				q = dollars(q)
			}
			if err := s.raw.QueryRow(q, tok.Secret).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Error("the token's secret is stored in clear")
			}
		})

		for _, secret := range []string{"", "crt_unknown", "garbage", lastCharChanged(tok.Secret), strings.TrimPrefix(tok.Secret, "crt_")} {
			t.Run("unknown token "+secret, func(t *testing.T) {
				u, err := s.DB.Authenticate(context.Background(), secret)
				checkError(t, err, caseroom.EUNAUTHORIZED, "")
				if u != nil {
					t.Errorf("an unknown token authenticated %s", u.Name)
				}
			})
		}

		t.Run("refused: a token for someone else", func(t *testing.T) {
			refused(t, s, caseroom.EFORBIDDEN, "", func() error {
				_, err := s.DB.CreateToken(as(sam), "pat")
				return err
			})
		})
		t.Run("refused: a token for an unknown user", func(t *testing.T) {
			refused(t, s, caseroom.ENOTFOUND, "", func() error {
				_, err := s.DB.CreateToken(console, "nobody")
				return err
			})
		})
	})
}

func TestCheckPassword(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *testStore) {
		if _, err := s.DB.CreateUser(console, caseroom.NewUser{Name: "pat", Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			user, password string
			want           bool
		}{
			{"pat", "correct horse battery", true},
			{"pat", "correct horse batterY", false},
			{"pat", "", false},
			{"nobody", "correct horse battery", false},
		} {
			t.Run(tc.user+"/"+tc.password, func(t *testing.T) {
				got, err := s.DB.CheckPassword(context.Background(), tc.user, tc.password)
				if err != nil {
					t.Fatal(err)
				}
				if got != tc.want {
					t.Errorf("CheckPassword(%q, %q) = %v, want %v", tc.user, tc.password, got, tc.want)
				}
			})
		}
	})
}

// lastCharChanged returns s with its last character replaced by another one.
func lastCharChanged(s string) string {
	if strings.HasSuffix(s, "x") {
		return s[:len(s)-1] + "y"
	}
	return s[:len(s)-1] + "x"
}
