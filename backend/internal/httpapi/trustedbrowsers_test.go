package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type trustedList struct {
	Items []struct {
		ID                 uint64
		Browser, UserAgent string
		IP                 string
		Current            bool
		CreatedAt          time.Time
		ExpiresAt          time.Time
	}
}

// trustWorld is the admin world with bob and dana on TOTP (2FA on), the OTP clock stepped by hand.
type trustWorld struct {
	*adminWorld
	clk             *clock
	bobOTP, danaOTP string
	bobID, danaID   uint64
	bobPw           string
}

func newTrustWorld(t *testing.T, b storetest.Backend) *trustWorld {
	w := &trustWorld{adminWorld: newAdminWorld(t, b), clk: &clock{t: time.Now().Truncate(30 * time.Second)}, bobPw: testPw}
	w.s.App.OTP.WithClock(w.clk.now)
	for _, u := range []struct {
		c      *apptest.Client
		secret *string
		id     *uint64
	}{{w.user, &w.bobOTP, &w.bobID}, {w.dadm, &w.danaOTP, &w.danaID}} {
		*u.secret = enrol(t, u.c, w.clk, "Phone").Secret.Secret
		if r := u.c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true}); r.StatusCode != 200 {
			t.Fatalf("2FA on: %d %s", r.StatusCode, r.Body)
		}
		var me struct{ ID uint64 }
		u.c.Do("GET", "/api/v1/me", nil).JSON(t, &me)
		*u.id = me.ID
	}
	return w
}

type loginBody struct {
	TwoFactorRequired bool
	Challenge         string
	RememberDays      int
	Account           *struct{ Email string }
}

func passwordStep(t *testing.T, c *apptest.Client, email, pw string) (*apptest.Response, loginBody) {
	t.Helper()
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": email, "password": pw})
	var body loginBody
	if r.StatusCode == 200 {
		r.JSON(t, &body)
	}
	return r, body
}

// trustedCookieSet is the trusted-browser cookie a response set ("" if none).
func trustedCookieSet(r *apptest.Response, accountID uint64) string {
	for _, ck := range r.Cookies() {
		if ck.Name == fmt.Sprintf("tessera_trusted_%d", accountID) && ck.MaxAge > 0 {
			return ck.Value
		}
	}
	return ""
}

// login2FA logs c in with the password and a TOTP code, ticking "remember" as asked; it
// returns the trusted-browser token set, if any, and the rememberDays offered.
func (w *trustWorld) login2FA(t *testing.T, c *apptest.Client, email, secret string, id uint64, remember bool) (token string, days int) {
	t.Helper()
	pw := testPw
	if email == "bob@example.com" {
		pw = w.bobPw
	}
	r, body := passwordStep(t, c, email, pw)
	if r.StatusCode != 200 || !body.TwoFactorRequired || body.Challenge == "" {
		t.Fatalf("password step of %s: want a challenge, got %d %s", email, r.StatusCode, r.Body)
	}
	r = c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": body.Challenge, "code": codeAt(t, secret, w.clk.now()), "remember": remember})
	w.clk.step()
	if r.StatusCode != 200 || c.Cookie("tessera_session") == "" {
		t.Fatalf("second factor: %d %s", r.StatusCode, r.Body)
	}
	return trustedCookieSet(r, id), body.RememberDays
}

// skips: a password login of c goes straight in (true) or asks for the second factor (false).
func skips(t *testing.T, c *apptest.Client, email, pw string) bool {
	t.Helper()
	r, body := passwordStep(t, c, email, pw)
	if r.StatusCode != 200 {
		t.Fatalf("password step: %d %s", r.StatusCode, r.Body)
	}
	if body.Account != nil && !body.TwoFactorRequired {
		c.Do("POST", "/api/v1/auth/logout", nil)
		return true
	}
	if !body.TwoFactorRequired || body.Challenge == "" {
		t.Fatalf("neither in nor a challenge: %s", r.Body)
	}
	return false
}

func auditCount(t *testing.T, s *apptest.Server, action string) int {
	events, err := s.App.Store.ListAudit(t.Context(), store.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return len(events)
}

// A remembered browser skips the second factor, never the password; its cookie is useless to
// another account and to another browser without it; the user forgets it from the list.
func TestTrustedBrowserSkipsSecondFactor(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newTrustWorld(t, b)
		ff := uaClient(w.s, firefoxUA)
		// Not ticked: nothing remembered.
		if tok, days := w.login2FA(t, ff, "bob@example.com", w.bobOTP, w.bobID, false); tok != "" || days != 30 {
			t.Fatalf("unticked: token %q, days %d", tok, days)
		}
		ff.Do("POST", "/api/v1/auth/logout", nil)
		if skips(t, ff, "bob@example.com", testPw) {
			t.Fatal("an unticked browser skipped the second factor")
		}
		tok, days := w.login2FA(t, ff, "bob@example.com", w.bobOTP, w.bobID, true)
		if tok == "" || days != 30 {
			t.Fatalf("ticked: token %q, days %d", tok, days)
		}
		var list trustedList
		ff.Do("GET", "/api/v1/me/trusted-browsers", nil).JSON(t, &list)
		if len(list.Items) != 1 || !list.Items[0].Current || list.Items[0].Browser != "Firefox on Linux" || list.Items[0].IP != "127.0.0.1" ||
			list.Items[0].ExpiresAt.Sub(list.Items[0].CreatedAt) != 30*24*time.Hour {
			t.Fatalf("list: %+v", list)
		}
		ff.Do("POST", "/api/v1/auth/logout", nil)
		// Never the password: a wrong one is refused as ever.
		if r, _ := passwordStep(t, ff, "bob@example.com", "Wrong-Password-11"); r.StatusCode != 401 {
			t.Fatalf("wrong password from a trusted browser: %d %s", r.StatusCode, r.Body)
		}
		if !skips(t, ff, "bob@example.com", testPw) {
			t.Fatal("the remembered browser was asked for the second factor")
		}
		if auditCount(t, w.s, audit.ActionTrustedBrowserAdded) != 1 || auditCount(t, w.s, audit.ActionTrustedBrowserUsed) != 1 {
			t.Fatal("audit of added/used missing")
		}
		// Another browser: the second factor. The same token under dana's cookie name: useless.
		if skips(t, w.s.Client(), "bob@example.com", testPw) {
			t.Fatal("a browser without the cookie skipped")
		}
		thief := w.s.Client()
		thief.SetCookie(fmt.Sprintf("tessera_trusted_%d", w.danaID), tok)
		thief.SetCookie(fmt.Sprintf("tessera_trusted_%d", w.bobID), tok)
		if skips(t, thief, "dana@example.com", testPw) {
			t.Fatal("bob's trusted cookie opened dana's account")
		}
		// A made-up token is nothing either.
		forged := uaClient(w.s, firefoxUA)
		forged.SetCookie(fmt.Sprintf("tessera_trusted_%d", w.bobID), strings.Repeat("A", 43))
		if skips(t, forged, "bob@example.com", testPw) {
			t.Fatal("a forged token skipped")
		}
		// Dana cannot forget bob's browser through her own list.
		if r := w.dadm.Do("DELETE", fmt.Sprintf("/api/v1/me/trusted-browsers/%d", list.Items[0].ID), nil); r.StatusCode != 404 {
			t.Fatalf("forget another account's browser: %d", r.StatusCode)
		}
		if r := w.user.Do("DELETE", "/api/v1/me/trusted-browsers/x", nil); r.StatusCode != 400 {
			t.Fatalf("bad id: %d", r.StatusCode)
		}
		// The user forgets it: the second factor again.
		if r := w.user.Do("DELETE", fmt.Sprintf("/api/v1/me/trusted-browsers/%d", list.Items[0].ID), nil); r.StatusCode != 204 {
			t.Fatalf("forget: %d %s", r.StatusCode, r.Body)
		}
		if skips(t, ff, "bob@example.com", testPw) {
			t.Fatal("a forgotten browser skipped")
		}
		if r := w.user.Do("DELETE", fmt.Sprintf("/api/v1/me/trusted-browsers/%d", list.Items[0].ID), nil); r.StatusCode != 404 {
			t.Fatalf("forget twice: %d", r.StatusCode)
		}
		if auditCount(t, w.s, audit.ActionTrustedBrowserRevoked) != 1 {
			t.Fatal("audit of revoked missing")
		}
	})
}

// An administrator forgets a browser of an account they manage (roles below their own only);
// a password change or reset forgets them all; the period ends.
func TestTrustedBrowserRevoked(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newTrustWorld(t, b)
		ff := uaClient(w.s, firefoxUA)
		remember := func() {
			t.Helper()
			if tok, _ := w.login2FA(t, ff, "bob@example.com", w.bobOTP, w.bobID, true); tok == "" {
				t.Fatal("not remembered")
			}
			ff.Do("POST", "/api/v1/auth/logout", nil)
			if !skips(t, ff, "bob@example.com", w.bobPw) {
				t.Fatal("remembered browser asked for the second factor")
			}
		}
		// By an administrator.
		remember()
		var list trustedList
		w.dadm.Do("GET", "/api/v1/admin/accounts/bob@example.com/trusted-browsers", nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Current || list.Items[0].Browser != "Firefox on Linux" {
			t.Fatalf("admin list: %+v", list)
		}
		bobPath := fmt.Sprintf("/api/v1/admin/accounts/bob@example.com/trusted-browsers/%d", list.Items[0].ID)
		if r := w.user.Do("DELETE", bobPath, nil); r.StatusCode != http.StatusForbidden {
			t.Fatalf("user as admin: %d", r.StatusCode)
		}
		// A domain admin on her peer and on the global admin: refused; on olga's domain: not found.
		if r := w.dadm.Do("GET", "/api/v1/admin/accounts/"+admin+"/trusted-browsers", nil); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin on the global admin: %d", r.StatusCode)
		}
		if r := w.dadm.Do("DELETE", "/api/v1/admin/accounts/"+admin+"/trusted-browsers/1", nil); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin forgets the global admin's: %d", r.StatusCode)
		}
		if r := w.dadm.Do("GET", "/api/v1/admin/accounts/olga@other.org/trusted-browsers", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("domain admin outside: %d", r.StatusCode)
		}
		if r := w.global.Do("DELETE", fmt.Sprintf("/api/v1/admin/accounts/dana@example.com/trusted-browsers/%d", list.Items[0].ID), nil); r.StatusCode != 404 {
			t.Fatalf("bob's browser under dana's path: %d", r.StatusCode)
		}
		if r := w.dadm.Do("DELETE", bobPath, nil); r.StatusCode != 204 {
			t.Fatalf("admin forgets: %d %s", r.StatusCode, r.Body)
		}
		if skips(t, ff, "bob@example.com", w.bobPw) {
			t.Fatal("browser forgotten by an admin skipped")
		}
		// By the user's own password change.
		remember()
		u := w.s.Client()
		w.login2FA(t, u, "bob@example.com", w.bobOTP, w.bobID, false)
		if r := u.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": w.bobPw, "newPassword": "Maple-Harbor-Stone-58"}); r.StatusCode != 204 {
			t.Fatalf("change password: %d %s", r.StatusCode, r.Body)
		}
		w.bobPw = "Maple-Harbor-Stone-58"
		if skips(t, ff, "bob@example.com", w.bobPw) {
			t.Fatal("trusted browser survived a password change")
		}
		// By an administrator's reset.
		remember()
		if r := w.global.Do("POST", "/api/v1/admin/accounts/bob@example.com/password", map[string]any{"password": "Cedar-Lantern-Gate-93"}); r.StatusCode != 204 {
			t.Fatalf("reset: %d %s", r.StatusCode, r.Body)
		}
		w.bobPw = "Cedar-Lantern-Gate-93"
		if skips(t, ff, "bob@example.com", w.bobPw) {
			t.Fatal("trusted browser survived a password reset")
		}
		// The period ends: 30 days later the second factor is asked again.
		remember()
		w.s.App.Accounts.SetClock(func() time.Time { return time.Now().Add(30*24*time.Hour + time.Minute) })
		defer w.s.App.Accounts.SetClock(time.Now)
		if skips(t, ff, "bob@example.com", w.bobPw) {
			t.Fatal("an expired trusted browser skipped")
		}
		w.s.App.Accounts.SetClock(func() time.Time { return time.Now().Add(29 * 24 * time.Hour) })
		if !skips(t, ff, "bob@example.com", w.bobPw) {
			t.Fatal("a trusted browser within its period was asked")
		}
		events, _ := w.s.App.Store.ListAudit(t.Context(), store.AuditFilter{Action: audit.ActionTrustedBrowserRevoked})
		if len(events) != 3 {
			t.Fatalf("revocations audited: %+v", events)
		}
	})
}

// trustedBrowserDays 0 turns it off: no offer, no cookie, remembered browsers asked again; a
// domain overrides the global level and a COS the domain.
func TestTrustedBrowserPolicy(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newTrustWorld(t, b)
		ff := uaClient(w.s, firefoxUA)
		w.login2FA(t, ff, "bob@example.com", w.bobOTP, w.bobID, true)
		ff.Do("POST", "/api/v1/auth/logout", nil)
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"trustedBrowserDays": 0}); r.StatusCode != 200 {
			t.Fatalf("setting: %d %s", r.StatusCode, r.Body)
		}
		if skips(t, ff, "bob@example.com", testPw) {
			t.Fatal("remembered browser skipped with the setting at 0")
		}
		other := w.s.Client()
		if tok, days := w.login2FA(t, other, "bob@example.com", w.bobOTP, w.bobID, true); tok != "" || days != 0 {
			t.Fatalf("setting 0: token %q, days %d", tok, days)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"trustedBrowserDays": 7}); r.StatusCode != 200 ||
			!strings.Contains(string(r.Body), `"trustedBrowserDays":7`) {
			t.Fatalf("domain override: %d %s", r.StatusCode, r.Body)
		}
		if _, days := w.login2FA(t, w.s.Client(), "bob@example.com", w.bobOTP, w.bobID, false); days != 7 {
			t.Fatalf("domain override: days %d", days)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/cos/staff", map[string]any{"trustedBrowserDays": 2}); r.StatusCode != 200 {
			t.Fatalf("cos override: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]string{"cos": "staff"}); r.StatusCode != 200 {
			t.Fatalf("assign cos: %d %s", r.StatusCode, r.Body)
		}
		if _, days := w.login2FA(t, w.s.Client(), "bob@example.com", w.bobOTP, w.bobID, false); days != 2 {
			t.Fatalf("cos override: days %d", days)
		}
		for _, bad := range []any{-1, 366, "x"} {
			if r := w.global.Do("PATCH", "/api/v1/admin/cos/staff", map[string]any{"trustedBrowserDays": bad}); r.StatusCode != 400 {
				t.Fatalf("cos %v: %d %s", bad, r.StatusCode, r.Body)
			}
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"trustedBrowserDays": 400}); r.StatusCode != 400 {
			t.Fatalf("setting 400: %d", r.StatusCode)
		}
	})
}
