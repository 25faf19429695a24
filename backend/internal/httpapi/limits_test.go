package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type cosLimits struct {
	Name                  string
	MaxCredentialsPerKind *int
	PinCodesPerEntry      *int
}

// COS limits: global admins set and clear them, domain admins read them, users get nothing;
// they decide the credentials and PIN codes of the COS's accounts, others keep the global values.
func TestAdminCOSLimits(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		if r := w.global.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]any{"cos": "staff"}); r.StatusCode != http.StatusOK {
			t.Fatalf("assign COS: %d %s", r.StatusCode, r.Body)
		}
		var v cosLimits
		w.global.Do("GET", "/api/v1/admin/cos/staff", nil).JSON(t, &v)
		if v.MaxCredentialsPerKind != nil || v.PinCodesPerEntry != nil {
			t.Fatalf("a new COS inherits: %+v", v)
		}
		limits := map[string]any{"maxCredentialsPerKind": 1, "pinCodesPerEntry": 6}
		for _, c := range []struct {
			who  string
			r    func() int
			want int
		}{
			{"user", func() int { return w.user.Do("PATCH", "/api/v1/admin/cos/staff", limits).StatusCode }, http.StatusForbidden},
			{"domain admin", func() int { return w.dadm.Do("PATCH", "/api/v1/admin/cos/staff", limits).StatusCode }, http.StatusForbidden},
			{"domain admin create", func() int {
				return w.dadm.Do("POST", "/api/v1/admin/cos", map[string]any{"name": "x", "pinCodesPerEntry": 6}).StatusCode
			}, http.StatusForbidden},
			{"user read", func() int { return w.user.Do("GET", "/api/v1/admin/cos/staff", nil).StatusCode }, http.StatusForbidden},
		} {
			if got := c.r(); got != c.want {
				t.Errorf("%s: %d, want %d", c.who, got, c.want)
			}
		}
		r := w.global.Do("PATCH", "/api/v1/admin/cos/staff", limits)
		r.JSON(t, &v)
		if r.StatusCode != http.StatusOK || v.MaxCredentialsPerKind == nil || *v.MaxCredentialsPerKind != 1 || v.PinCodesPerEntry == nil || *v.PinCodesPerEntry != 6 {
			t.Fatalf("global admin sets limits: %d %s", r.StatusCode, r.Body)
		}
		w.dadm.Do("GET", "/api/v1/admin/cos/staff", nil).JSON(t, &v)
		if v.PinCodesPerEntry == nil || *v.PinCodesPerEntry != 6 {
			t.Fatalf("domain admin reads the limits: %+v", v)
		}
		// Out of range, wrong type, or on a domain: 400 and nothing changes.
		for _, bad := range []struct {
			path string
			body map[string]any
		}{
			{"/api/v1/admin/cos/staff", map[string]any{"pinCodesPerEntry": 3}},
			{"/api/v1/admin/cos/staff", map[string]any{"pinCodesPerEntry": 21}},
			{"/api/v1/admin/cos/staff", map[string]any{"maxCredentialsPerKind": 0, "pinCodesPerEntry": 8}},
			{"/api/v1/admin/cos/staff", map[string]any{"maxCredentialsPerKind": "many"}},
			{"/api/v1/admin/domains/example.com", map[string]any{"maxCredentialsPerKind": 5}},
		} {
			if r := w.global.Do("PATCH", bad.path, bad.body); r.StatusCode != http.StatusBadRequest || r.ErrorCode() != "invalid_request" {
				t.Errorf("%s %v: %d %s", bad.path, bad.body, r.StatusCode, r.Body)
			}
		}
		// A patch without the limits leaves them.
		w.global.Do("PATCH", "/api/v1/admin/cos/staff", map[string]any{"twoFactor": "unset"}).JSON(t, &v)
		if v.MaxCredentialsPerKind == nil || *v.MaxCredentialsPerKind != 1 || *v.PinCodesPerEntry != 6 {
			t.Fatalf("limits after an unrelated patch: %+v", v)
		}

		// Effect: bob (staff) gets 6 PIN codes and one credential per kind; olga the global values.
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"pinCodesPerEntry": 12}); r.StatusCode != http.StatusOK {
			t.Fatalf("global pinCodesPerEntry: %d %s", r.StatusCode, r.Body)
		}
		if n := len(newOTP(t, w.user, "Phone").Secret.PINCodes); n != 6 {
			t.Fatalf("bob's PIN codes: %d, want 6 (COS)", n)
		}
		if r := w.user.Do("POST", "/api/v1/credentials", map[string]string{"kind": "otp", "label": "Second"}); r.StatusCode != http.StatusConflict || r.ErrorCode() != "limit_reached" {
			t.Fatalf("second OTP entry with COS limit 1: %d %s", r.StatusCode, r.Body)
		}
		olga := w.s.Client()
		olga.Login("olga@other.org", testPw)
		if n := len(newOTP(t, olga, "Phone").Secret.PINCodes); n != 12 {
			t.Fatalf("olga's PIN codes: %d, want 12 (global)", n)
		}
		newOTP(t, olga, "Second") // the global limit (25) applies to her

		// null goes back to inheriting.
		r = w.global.Do("PATCH", "/api/v1/admin/cos/staff", map[string]any{"maxCredentialsPerKind": nil, "pinCodesPerEntry": nil})
		r.JSON(t, &v)
		if r.StatusCode != http.StatusOK || v.MaxCredentialsPerKind != nil || v.PinCodesPerEntry != nil {
			t.Fatalf("clear: %d %s", r.StatusCode, r.Body)
		}
		if n := len(newOTP(t, w.user, "Second").Secret.PINCodes); n != 12 {
			t.Fatalf("bob's PIN codes after clearing: %d, want 12", n)
		}

		// Create with limits.
		r = w.global.Do("POST", "/api/v1/admin/cos", map[string]any{"name": "interns", "pinCodesPerEntry": 4})
		r.JSON(t, &v)
		if r.StatusCode != http.StatusCreated || v.PinCodesPerEntry == nil || *v.PinCodesPerEntry != 4 || v.MaxCredentialsPerKind != nil {
			t.Fatalf("create with a limit: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("POST", "/api/v1/admin/cos", map[string]any{"name": "bad", "pinCodesPerEntry": 50}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("create with a bad limit: %d", r.StatusCode)
		}
		if r := w.global.Do("GET", "/api/v1/admin/cos/bad", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("a refused create left a COS: %d", r.StatusCode)
		}
		var page struct{ Items []struct{ Reason string } }
		w.global.Do("GET", "/api/v1/admin/audit?kind=cos_updated", nil).JSON(t, &page)
		if len(page.Items) == 0 || page.Items[0].Reason != "interns: pin_codes_per_entry=4" {
			t.Fatalf("limit change audited: %+v", page.Items)
		}
	})
}

type otpCreated struct {
	Secret struct{ PINCodes []string }
}

func newOTP(t *testing.T, c *apptest.Client, label string) otpCreated {
	t.Helper()
	r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "otp", "label": label})
	var o otpCreated
	r.JSON(t, &o)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create OTP %q: %d %s", label, r.StatusCode, r.Body)
	}
	return o
}

// The settings of migration 0011: shown with their defaults, changed by global admins only,
// validated; sessionLifetimeMinutes decides the lifetime of the next login's session.
func TestAdminSettingsLimits(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		var v map[string]any
		w.global.Do("GET", "/api/v1/admin/settings", nil).JSON(t, &v)
		for k, want := range map[string]float64{"pinCodesPerEntry": 10, "easHeartbeatMinSeconds": 60, "easHeartbeatMaxSeconds": 3540,
			"easMaxDevicesPerAccount": 20, "sessionLifetimeMinutes": 720} {
			if v[k] != want {
				t.Errorf("default %s = %v, want %v", k, v[k], want)
			}
		}
		for _, c := range []*apptest.Client{w.user, w.dadm} {
			if r := c.Do("GET", "/api/v1/admin/settings", nil); r.StatusCode != http.StatusForbidden {
				t.Fatalf("settings read by a non-global caller: %d", r.StatusCode)
			}
		}
		change := map[string]any{"pinCodesPerEntry": 8, "easMaxDevicesPerAccount": 3, "sessionLifetimeMinutes": 30}
		if r := w.user.Do("PATCH", "/api/v1/admin/settings", change); r.StatusCode != http.StatusForbidden {
			t.Fatalf("user: %d", r.StatusCode)
		}
		if r := w.dadm.Do("PATCH", "/api/v1/admin/settings", change); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin: %d", r.StatusCode)
		}
		for _, bad := range []map[string]any{{"pinCodesPerEntry": 3}, {"pinCodesPerEntry": 21}, {"easMaxDevicesPerAccount": -1},
			{"sessionLifetimeMinutes": 0}, {"easHeartbeatMinSeconds": 9}, {"easHeartbeatMinSeconds": 100, "easHeartbeatMaxSeconds": 99}} {
			if r := w.global.Do("PATCH", "/api/v1/admin/settings", bad); r.StatusCode != http.StatusBadRequest || r.ErrorCode() != "invalid_request" {
				t.Errorf("%v: %d %s", bad, r.StatusCode, r.Body)
			}
		}
		r := w.global.Do("PATCH", "/api/v1/admin/settings", change)
		r.JSON(t, &v)
		if r.StatusCode != http.StatusOK || v["pinCodesPerEntry"] != float64(8) || v["easMaxDevicesPerAccount"] != float64(3) || v["sessionLifetimeMinutes"] != float64(30) {
			t.Fatalf("global admin: %d %s", r.StatusCode, r.Body)
		}
		// A new login lasts 30 minutes: its cookies and its token.
		bob := w.s.Client()
		login := bob.Login("bob@example.com", testPw)
		found := false
		for _, ck := range login.Cookies() {
			if ck.Name == "tessera_session" {
				found = true
				if ck.MaxAge < 29*60 || ck.MaxAge > 30*60 {
					t.Fatalf("session cookie Max-Age %d, want 30 minutes", ck.MaxAge)
				}
			}
		}
		if !found {
			t.Fatal("no session cookie")
		}
		claims, err := w.s.App.Accounts.Authenticate(t.Context(), bob.Cookie("tessera_session"))
		if err != nil || time.Until(claims.Claims.ExpiresAt.Time) > 30*time.Minute {
			t.Fatalf("token expiry: %+v %v", claims, err)
		}
		if n := len(newOTP(t, bob, "Phone").Secret.PINCodes); n != 8 {
			t.Fatalf("PIN codes with the global setting 8: %d", n)
		}
	})
}
