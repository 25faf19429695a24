package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const tempPw = "Copper-Willow-Temp-27"

// restrictedRoutes are a sample of what a session with a pending password change may not use.
var restrictedRoutes = []struct {
	method, path string
	body         any
}{
	{"GET", "/api/v1/credentials", nil},
	{"POST", "/api/v1/credentials", map[string]string{"kind": "eas", "label": "Phone"}},
	{"GET", "/api/v1/me/two-factor", nil},
	{"PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true}},
	{"GET", "/api/v1/me/devices", nil},
	{"POST", "/api/v1/auth/logout-all", nil},
	{"GET", "/api/v1/admin/accounts", nil},
}

func assertRestricted(t *testing.T, c *apptest.Client, who string) {
	t.Helper()
	for _, rt := range restrictedRoutes {
		if r := c.Do(rt.method, rt.path, rt.body); r.StatusCode != http.StatusForbidden || r.ErrorCode() != "password_change_required" {
			t.Errorf("%s: %s %s with a change pending: %d %s", who, rt.method, rt.path, r.StatusCode, r.Body)
		}
	}
}

type meFlag struct {
	Email              string
	MustChangePassword bool
}

func TestAdminResetRequiresChange(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		body := map[string]any{"password": tempPw, "requireChange": true}
		// Who may: global admin anywhere, domain admin in her domain only, a user not at all.
		w.each(t, "POST", "/api/v1/admin/accounts/bob@example.com/password", "/api/v1/admin/accounts/olga@other.org/password", body, http.StatusNoContent)
		for _, email := range []string{"bob@example.com", "olga@other.org"} {
			if !mustAccount(t, w, email).MustChangePassword {
				t.Fatalf("%s: flag not stored", email)
			}
		}
		// The admin view tells that a change is pending; the audit says it was required.
		var shown meFlag
		w.dadm.Do("GET", "/api/v1/admin/accounts/bob@example.com", nil).JSON(t, &shown)
		if !shown.MustChangePassword {
			t.Fatalf("admin account view: %+v", shown)
		}
		var page struct {
			Items []struct{ Account, Reason string }
		}
		w.global.Do("GET", "/api/v1/admin/audit?kind=password_set&actor=dana@example.com", nil).JSON(t, &page)
		if len(page.Items) == 0 || page.Items[0].Account != "bob@example.com" || !strings.Contains(page.Items[0].Reason, "change required") {
			t.Fatalf("reset audited: %+v", page.Items)
		}

		// Bob logs in with the temporary password: the session is restricted.
		bob := w.s.Client()
		var login struct{ Account meFlag }
		bob.Login("bob@example.com", tempPw).JSON(t, &login)
		if !login.Account.MustChangePassword {
			t.Fatalf("login answer: %+v", login)
		}
		var me meFlag
		if r := bob.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
			t.Fatalf("me: %d %s", r.StatusCode, r.Body)
		} else if r.JSON(t, &me); !me.MustChangePassword {
			t.Fatalf("me: %+v", me)
		}
		if r := bob.Do("GET", "/api/v1/me/password-policy", nil); r.StatusCode != 200 {
			t.Fatalf("password policy for the change page: %d %s", r.StatusCode, r.Body)
		}
		assertRestricted(t, bob, "bob")
		// The temporary password opens no other door.
		if code := eastest.OptionsStatus(t, w.s, "bob@example.com", tempPw); code != http.StatusUnauthorized {
			t.Fatalf("EAS with the temporary password: %d", code)
		}
		// Logging out works.
		leaving := w.s.Client()
		leaving.Login("bob@example.com", tempPw)
		if r := leaving.Do("POST", "/api/v1/auth/logout", nil); r.StatusCode != http.StatusNoContent {
			t.Fatalf("logout with a change pending: %d %s", r.StatusCode, r.Body)
		}

		// The change frees this very session: no new login.
		if r := bob.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": tempPw, "newPassword": "Bright-Orchard-Own-58"}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("change: %d %s", r.StatusCode, r.Body)
		}
		bob.Do("GET", "/api/v1/me", nil).JSON(t, &me)
		if me.MustChangePassword || mustAccount(t, w, "bob@example.com").MustChangePassword {
			t.Fatalf("flag after the change: %+v", me)
		}
		for _, rt := range restrictedRoutes[:3] {
			if r := bob.Do(rt.method, rt.path, rt.body); r.StatusCode/100 != 2 {
				t.Errorf("after the change %s %s: %d %s", rt.method, rt.path, r.StatusCode, r.Body)
			}
		}
		if r := bob.Do("GET", "/api/v1/admin/accounts", nil); r.StatusCode != http.StatusForbidden || r.ErrorCode() != "forbidden" {
			t.Fatalf("a user on an admin route after the change: %d %s", r.StatusCode, r.Body)
		}
		if code := eastest.OptionsStatus(t, w.s, "bob@example.com", "Bright-Orchard-Own-58"); code != http.StatusOK {
			t.Fatalf("EAS with the user's own password: %d", code)
		}

		// Without requireChange nothing is pending (and a later reset clears an earlier one).
		if r := w.global.Do("POST", "/api/v1/admin/accounts/olga@other.org/password", map[string]any{"password": "Silver-Meadow-Reset-31"}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("reset without requireChange: %d %s", r.StatusCode, r.Body)
		}
		if mustAccount(t, w, "olga@other.org").MustChangePassword {
			t.Fatal("a reset without requireChange left the flag")
		}

		// A domain admin whose change is pending cannot administer either.
		if r := w.global.Do("POST", "/api/v1/admin/accounts/dana@example.com/password", body); r.StatusCode != http.StatusNoContent {
			t.Fatalf("reset dana: %d %s", r.StatusCode, r.Body)
		}
		dana := w.s.Client()
		dana.Login("dana@example.com", tempPw)
		assertRestricted(t, dana, "dana")
	})
}

// With 2FA on, the second factor comes first; then the session is held to the change.
func TestPasswordChangeAfterSecondFactor(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s, clk := startWithClock(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		o := enrol(t, c, clk, "Phone")
		if r := c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true}); r.StatusCode != 200 {
			t.Fatalf("2FA on: %d %s", r.StatusCode, r.Body)
		}
		if _, err := s.App.Accounts.SetPassword(t.Context(), "test", admin, tempPw, true); err != nil {
			t.Fatal(err)
		}
		u := s.Client()
		ch := loginChallenge(t, u, tempPw)
		if r := u.Do("GET", "/api/v1/me", nil); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a session before the second factor: %d", r.StatusCode)
		}
		var login struct{ Account meFlag }
		r := u.Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": codeAt(t, o.Secret.Secret, clk.now())})
		if r.JSON(t, &login); r.StatusCode != 200 || !login.Account.MustChangePassword {
			t.Fatalf("second factor: %d %s", r.StatusCode, r.Body)
		}
		assertRestricted(t, u, "after the second factor")
		if r := u.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": tempPw, "newPassword": "Bright-Orchard-Own-58"}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("change: %d %s", r.StatusCode, r.Body)
		}
		if r := u.Do("GET", "/api/v1/credentials", nil); r.StatusCode != 200 {
			t.Fatalf("after the change: %d %s", r.StatusCode, r.Body)
		}
	})
}

// When policy requires 2FA and there is no OTP entry, enrolment comes first, then the change.
func TestPasswordChangeAfterEnrolment(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s, clk := startWithClock(t, b)
		if err := s.App.Policy.Set(t.Context(), policy.LevelDomain, "example.com", policy.Required); err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Accounts.SetPassword(t.Context(), "test", admin, tempPw, true); err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": tempPw})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"enrolmentRequired":true`) {
			t.Fatalf("login: %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": tempPw, "newPassword": "Bright-Orchard-Own-58"}); r.StatusCode != 403 || r.ErrorCode() != "enrolment_required" {
			t.Fatalf("change before enrolment: %d %s", r.StatusCode, r.Body)
		}
		enrol(t, c, clk, "Phone") // allowed in the enrolment session; confirming upgrades it
		assertRestricted(t, c, "after enrolment")
		if r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": tempPw, "newPassword": "Bright-Orchard-Own-58"}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("change: %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("GET", "/api/v1/me/two-factor", nil); r.StatusCode != 200 {
			t.Fatalf("after the change: %d %s", r.StatusCode, r.Body)
		}
	})
}
