package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type meRecovery struct {
	Email         string `json:"email"`
	RecoveryEmail string `json:"recoveryEmail"`
}

// The user sets and clears their recovery address; a bad one is a 400 with the error JSON;
// each change, and every later notice, reaches the addresses through the relay with the
// Inbox's text and no secret.
func TestRecoveryEmailOwn(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		relay := apptest.StartRelay(t)
		s := apptest.Start(t, b, apptest.Options{SMTPRelay: relay.Addr, SecurityNotices: true})
		if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "bob@example.com", Password: testPw, Role: store.RoleUser}); err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		c.Login("bob@example.com", testPw)
		for _, bad := range []any{map[string]string{"recoveryEmail": "not an address"}, map[string]string{"recoveryEmail": "Bob <bob@elsewhere.org>"},
			map[string]string{"recoveryEmail": "BOB@example.com"}, map[string]string{"recoveryEmail": "bob@localhost"},
			map[string]string{"recoveryEmail": "bob@elsewhere.org\r\nBcc: x@y.org"}, map[string]string{}, "{"} {
			r := c.Do("PUT", "/api/v1/me/recovery-email", bad)
			if r.StatusCode != http.StatusBadRequest || r.ErrorCode() == "" {
				t.Fatalf("PUT %v: %d %s", bad, r.StatusCode, r.Body)
			}
		}
		var me meRecovery
		r := c.Do("PUT", "/api/v1/me/recovery-email", map[string]string{"recoveryEmail": " Bob.Private@Elsewhere.org "})
		if r.StatusCode != http.StatusOK {
			t.Fatalf("PUT: %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &me)
		if me.RecoveryEmail != "bob.private@elsewhere.org" {
			t.Fatalf("recoveryEmail = %q", me.RecoveryEmail)
		}
		c.Do("GET", "/api/v1/me", nil).JSON(t, &me)
		if me.RecoveryEmail != "bob.private@elsewhere.org" {
			t.Fatalf("GET /me recoveryEmail = %q", me.RecoveryEmail)
		}
		s.App.Notices.Flush()
		got := relay.Messages()
		if len(got) != 1 || strings.Join(got[0].To, ",") != "bob.private@elsewhere.org" || !strings.Contains(got[0].Data, "X-Tessera-Notice: recovery_changed") {
			t.Fatalf("after setting it the relay got %+v", got)
		}

		// A password change: the notice goes out with the Inbox's text, never the password.
		const next = "Quartz-Heron-2891"
		if r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": testPw, "newPassword": next}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("password change: %d %s", r.StatusCode, r.Body)
		}
		s.App.Notices.Flush()
		got = relay.Messages()
		if len(got) != 2 || !strings.Contains(got[1].Data, "X-Tessera-Notice: password_changed") ||
			!strings.Contains(got[1].Data, "The password of your account bob@example.com was changed") ||
			strings.Contains(got[1].Data, next) || strings.Contains(got[1].Data, testPw) {
			t.Fatalf("password notice relayed: %+v", got)
		}

		// Cleared: the old address hears of it, and then of nothing more.
		if r := c.Do("PUT", "/api/v1/me/recovery-email", map[string]string{"recoveryEmail": ""}); r.StatusCode != http.StatusOK {
			t.Fatalf("clear: %d %s", r.StatusCode, r.Body)
		}
		s.App.Notices.Flush()
		got = relay.Messages()
		if len(got) != 3 || strings.Join(got[2].To, ",") != "bob.private@elsewhere.org" || !strings.Contains(got[2].Data, "Your recovery address was removed") {
			t.Fatalf("after clearing: %+v", got)
		}
		if r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": next, "newPassword": testPw}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("password change: %d %s", r.StatusCode, r.Body)
		}
		s.App.Notices.Flush()
		if n := len(relay.Messages()); n != 3 {
			t.Fatalf("no recovery address, yet %d messages relayed (want still 3)", n)
		}
		c.Do("GET", "/api/v1/me", nil).JSON(t, &me)
		if me.RecoveryEmail != "" {
			t.Fatalf("cleared, yet %q", me.RecoveryEmail)
		}
	})
}

// Admins set it on accounts below their role only: a domain admin on a user of their
// domain, not on a global admin; a global admin on anyone.
func TestRecoveryEmailAdmin(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		for _, in := range []account.CreateInput{{Email: "dana@example.com", Password: testPw, Role: store.RoleDomainAdmin},
			{Email: "bob@example.com", Password: testPw, Role: store.RoleUser}, {Email: "gadm@example.com", Password: testPw, Role: store.RoleGlobalAdmin}} {
			if _, _, err := s.App.Accounts.Create(t.Context(), "test", in); err != nil {
				t.Fatal(err)
			}
		}
		dana, global := s.Client(), s.Client()
		dana.Login("dana@example.com", testPw)
		global.Login(admin, apptest.AdminPassword)
		set := func(c *apptest.Client, email, addr string) *apptest.Response {
			return c.Do("PATCH", "/api/v1/admin/accounts/"+email, map[string]string{"recoveryEmail": addr})
		}
		if r := set(dana, "gadm@example.com", "g@elsewhere.org"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin on a global admin: %d %s", r.StatusCode, r.Body)
		}
		if r := set(dana, "bob@example.com", "bob@example.com"); r.StatusCode != http.StatusBadRequest || r.ErrorCode() == "" {
			t.Fatalf("own address: %d %s", r.StatusCode, r.Body)
		}
		var got meRecovery
		r := set(dana, "bob@example.com", "bob@elsewhere.org")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("domain admin on a user: %d %s", r.StatusCode, r.Body)
		}
		if r.JSON(t, &got); got.RecoveryEmail != "bob@elsewhere.org" {
			t.Fatalf("recoveryEmail = %q", got.RecoveryEmail)
		}
		if r := set(global, "gadm@example.com", "g@elsewhere.org"); r.StatusCode != http.StatusOK {
			t.Fatalf("global admin: %d %s", r.StatusCode, r.Body)
		}
		a, err := s.App.Store.AccountByEmail(t.Context(), "gadm@example.com")
		if err != nil || a.RecoveryEmail != "g@elsewhere.org" {
			t.Fatalf("stored %q, %v", a.RecoveryEmail, err)
		}
		global.Do("GET", "/api/v1/admin/accounts/bob@example.com", nil).JSON(t, &got)
		if got.RecoveryEmail != "bob@elsewhere.org" {
			t.Fatalf("admin view: %q", got.RecoveryEmail)
		}
	})
}
