package httpapi_test

import (
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// adminRequireTwoFactor on (the default of a real install): an admin session without a second
// factor gets 403 two_factor_required on every admin route, but keeps the rest of the API; the
// same admin after a TOTP login gets in; turned off, the password alone suffices again.
func TestAdminRequiresTwoFactor(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b, apptest.Options{AdminTwoFactor: true})
		clk := &clock{t: time.Now().Truncate(30 * time.Second)}
		s.App.OTP.WithClock(clk.now)

		// dana, a domain admin without 2FA, holds a password-only session throughout.
		if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "dana@example.com", Password: testPw, Role: store.RoleDomainAdmin}); err != nil {
			t.Fatal(err)
		}
		dana := s.Client()
		dana.Login("dana@example.com", testPw)
		if r := dana.Do("GET", "/api/v1/admin/accounts", nil); r.StatusCode != 403 || r.ErrorCode() != "two_factor_required" {
			t.Fatalf("domain admin without a second factor: %d %s", r.StatusCode, r.Body)
		}
		pwOnly := s.Client()
		pwOnly.Login(admin, apptest.AdminPassword)
		for _, path := range []string{"/api/v1/admin/accounts", "/api/v1/admin/settings", "/api/v1/admin/domains", "/api/v1/admin/audit"} {
			if r := pwOnly.Do("GET", path, nil); r.StatusCode != 403 || r.ErrorCode() != "two_factor_required" {
				t.Fatalf("%s without a second factor: %d %s", path, r.StatusCode, r.Body)
			}
		}
		if r := pwOnly.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
			t.Fatalf("/me: %d", r.StatusCode)
		}

		o := enrol(t, pwOnly, clk, "Phone")
		if r := pwOnly.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true}); r.StatusCode != 200 {
			t.Fatalf("2FA on: %d %s", r.StatusCode, r.Body)
		}
		// Turning 2FA on does not upgrade the session that had only the password.
		if r := pwOnly.Do("GET", "/api/v1/admin/accounts", nil); r.StatusCode != 403 {
			t.Fatalf("old session after enabling 2FA: %d", r.StatusCode)
		}

		full := s.Client()
		ch := loginChallenge(t, full, apptest.AdminPassword)
		if r := full.Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": codeAt(t, o.Secret.Secret, clk.now())}); r.StatusCode != 200 {
			t.Fatalf("second factor: %d %s", r.StatusCode, r.Body)
		}
		if r := full.Do("GET", "/api/v1/admin/accounts", nil); r.StatusCode != 200 {
			t.Fatalf("admin with a second factor: %d %s", r.StatusCode, r.Body)
		}
		// A password change keeps the session's second factor.
		if r := full.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "Lantern-Harbor-Pass-93"}); r.StatusCode != 204 {
			t.Fatalf("password change: %d %s", r.StatusCode, r.Body)
		}
		if r := full.Do("GET", "/api/v1/admin/accounts", nil); r.StatusCode != 200 {
			t.Fatalf("admin after a password change: %d %s", r.StatusCode, r.Body)
		}
		var settings map[string]any
		full.Do("PATCH", "/api/v1/admin/settings", map[string]any{"adminRequireTwoFactor": false}).JSON(t, &settings)
		if settings["adminRequireTwoFactor"] != false {
			t.Fatalf("settings: %v", settings)
		}
		if r := dana.Do("GET", "/api/v1/admin/accounts", nil); r.StatusCode != 200 {
			t.Fatalf("password-only session with the setting off: %d %s", r.StatusCode, r.Body)
		}
	})
}
