package httpapi_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func rules(t *testing.T, r *apptest.Response) []string {
	t.Helper()
	var e struct {
		Error struct {
			Code    string
			Details []struct{ Rule string }
		}
	}
	r.JSON(t, &e)
	var out []string
	for _, d := range e.Error.Details {
		out = append(out, d.Rule)
	}
	sort.Strings(out)
	return out
}

func TestChangePassword(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c, other := s.Client(), s.Client()
		c.Login(admin, apptest.AdminPassword)
		other.Login(admin, apptest.AdminPassword)

		change := func(cur, next string) *apptest.Response {
			return c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": cur, "newPassword": next})
		}
		for _, tc := range []struct {
			pw   string
			want string
		}{
			{"short", "digit,min_length,symbol,uppercase"},
			{"alllowercase-only", "digit,uppercase"},
			{"P@ssw0rd", "common_password"},
			{"Summer2024!", "common_password"},
			{"Admin-Secret-99", "contains_username"},
			{apptest.AdminPassword, "not_current"},
			{strings.Repeat("Aa1!", 33), "max_length"},
		} {
			r := change(apptest.AdminPassword, tc.pw)
			if r.StatusCode != 400 || r.ErrorCode() != "weak_password" || strings.Join(rules(t, r), ",") != tc.want {
				t.Errorf("new password %q: %d %s (want rules %s)", tc.pw, r.StatusCode, r.Body, tc.want)
			}
		}
		if r := change("Wrong-current-1!", "Brand-New-Pass-42"); r.StatusCode != 401 || r.ErrorCode() != "invalid_credentials" {
			t.Fatalf("wrong current password: %d %s", r.StatusCode, r.Body)
		}
		oldCookie := c.Cookie("tessera_session")
		if r := change(apptest.AdminPassword, "Brand-New-Pass-42"); r.StatusCode != 204 {
			t.Fatalf("change: %d %s", r.StatusCode, r.Body)
		}
		if c.Cookie("tessera_session") == oldCookie {
			t.Fatal("session cookie not re-issued")
		}
		if r := c.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
			t.Fatalf("this session must stay logged in: %d", r.StatusCode)
		}
		if r := other.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
			t.Fatalf("other session must end: %d", r.StatusCode)
		}
		replay := s.Client()
		replay.SetCookie("tessera_session", oldCookie)
		if r := replay.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
			t.Fatalf("pre-change token still works: %d", r.StatusCode)
		}
		if r := s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": apptest.AdminPassword}); r.StatusCode != 401 {
			t.Fatalf("old password still logs in: %d", r.StatusCode)
		}
		s.Client().Login(admin, "Brand-New-Pass-42")
	})
}

// A wrong current password counts as a failed login: guessing through this form is throttled too.
func TestChangePasswordWrongCurrentIsThrottled(t *testing.T) {
	s := apptest.Start(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	for i := 0; i < 5; i++ {
		r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": "Guess-" + strings.Repeat("x", i) + "1!", "newPassword": "Brand-New-Pass-42"})
		if r.StatusCode != 401 {
			t.Fatalf("guess %d: %d", i, r.StatusCode)
		}
	}
	r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "Brand-New-Pass-42"})
	if r.StatusCode != 429 {
		t.Fatalf("6th try: %d %s", r.StatusCode, r.Body)
	}
	// The guesses count on this browser's own counter (it has a device cookie): its login waits too.
	if r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": apptest.AdminPassword}); r.StatusCode != 429 {
		t.Fatalf("login after guessing through the change form: %d", r.StatusCode)
	}
}

func TestPasswordPolicyFollowsGlobalSettings(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		var p struct {
			MinLength, MaxLength                                            int
			RequireLowercase, RequireUppercase, RequireDigit, RequireSymbol bool
		}
		c.Do("GET", "/api/v1/me/password-policy", nil).JSON(t, &p)
		if p.MinLength != 8 || p.MaxLength != 128 || !p.RequireLowercase || !p.RequireUppercase || !p.RequireDigit || !p.RequireSymbol {
			t.Fatalf("default policy = %+v", p)
		}
		g, _ := s.App.Store.GlobalSettings(t.Context())
		g.PwMinLength, g.PwRequireSymbol, g.PwRequireUpper = 16, false, false
		if err := s.App.Store.SaveGlobalSettings(t.Context(), g); err != nil {
			t.Fatal(err)
		}
		c.Do("GET", "/api/v1/me/password-policy", nil).JSON(t, &p)
		if p.MinLength != 16 || p.RequireSymbol || p.RequireUppercase || !p.RequireDigit {
			t.Fatalf("configured policy = %+v", p)
		}
		r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "lamp ocean track 7"})
		if r.StatusCode != 204 {
			t.Fatalf("a 18-character passphrase under the relaxed policy: %d %s", r.StatusCode, r.Body)
		}
		r = c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": "lamp ocean track 7", "newPassword": "Short-Pass-1!"})
		if r.StatusCode != 400 || strings.Join(rules(t, r), ",") != "min_length" {
			t.Fatalf("13 characters under min 16: %d %s", r.StatusCode, r.Body)
		}
	})
}
