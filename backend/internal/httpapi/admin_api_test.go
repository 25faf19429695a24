package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const testPw = "Granite-Falcon-63"

// adminWorld: a global admin, a domain admin of example.com, a user of example.com (bob) and
// a user of other.org (olga), each logged in.
type adminWorld struct {
	s                  *apptest.Server
	global, dadm, user *apptest.Client
}

func newAdminWorld(t *testing.T, b storetest.Backend) *adminWorld {
	s := apptest.Start(t, b)
	ctx := t.Context()
	s.App.Accounts.CreateDomain(ctx, "test", "other.org")
	s.App.Accounts.CreateCOS(ctx, "test", "staff")
	for _, in := range []account.CreateInput{
		{Email: "dana@example.com", Password: testPw, Role: store.RoleDomainAdmin},
		{Email: "bob@example.com", Password: testPw},
		{Email: "olga@other.org", Password: testPw},
	} {
		if _, _, err := s.App.Accounts.Create(ctx, "test", in); err != nil {
			t.Fatal(err)
		}
	}
	w := &adminWorld{s: s, global: s.Client(), dadm: s.Client(), user: s.Client()}
	w.global.Login(admin, apptest.AdminPassword)
	w.dadm.Login("dana@example.com", testPw)
	w.user.Login("bob@example.com", testPw)
	return w
}

// each checks a route for the four callers: global admin and domain admin inside the domain
// get want; the domain admin outside the domain gets 404; a user gets 403.
func (w *adminWorld) each(t *testing.T, method, inside, outside string, body any, want int) {
	t.Helper()
	// The user first: the admins' calls may end the user's sessions (logout-all, lock).
	if r := w.user.Do(method, inside, body); r.StatusCode != http.StatusForbidden {
		t.Errorf("user %s %s: %d (want 403)", method, inside, r.StatusCode)
	}
	if r := w.global.Do(method, outside, body); r.StatusCode != want {
		t.Errorf("global admin %s %s: %d %s", method, outside, r.StatusCode, r.Body)
	}
	if r := w.dadm.Do(method, inside, body); r.StatusCode != want {
		t.Errorf("domain admin inside %s %s: %d %s", method, inside, r.StatusCode, r.Body)
	}
	if r := w.dadm.Do(method, outside, body); r.StatusCode != http.StatusNotFound {
		t.Errorf("domain admin outside %s %s: %d (want 404)", method, outside, r.StatusCode)
	}
}

func TestAdminAccounts(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		var page struct {
			Items []struct{ Email string }
			Total int
		}
		w.global.Do("GET", "/api/v1/admin/accounts", nil).JSON(t, &page)
		if page.Total != 4 {
			t.Fatalf("global admin sees %d accounts", page.Total)
		}
		w.dadm.Do("GET", "/api/v1/admin/accounts?domain=other.org", nil).JSON(t, &page)
		if page.Total != 0 {
			t.Fatalf("domain admin asking for another domain: %+v", page)
		}
		w.dadm.Do("GET", "/api/v1/admin/accounts?q=B", nil).JSON(t, &page)
		if page.Total != 1 || page.Items[0].Email != "bob@example.com" {
			t.Fatalf("domain admin search: %+v", page)
		}
		if r := w.user.Do("GET", "/api/v1/admin/accounts", nil); r.StatusCode != 403 {
			t.Fatalf("user: %d", r.StatusCode)
		}
		w.each(t, "GET", "/api/v1/admin/accounts/bob@example.com", "/api/v1/admin/accounts/olga@other.org", nil, 200)
		w.each(t, "PATCH", "/api/v1/admin/accounts/bob@example.com", "/api/v1/admin/accounts/olga@other.org", map[string]string{"cos": "staff"}, 200)
		w.each(t, "POST", "/api/v1/admin/accounts/bob@example.com/logout-all", "/api/v1/admin/accounts/olga@other.org/logout-all", nil, 204)
		w.user.Login("bob@example.com", testPw)

		// Locking ends the account's sessions and its logins; only a global admin makes global admins.
		bob := w.s.Client()
		bob.Login("bob@example.com", testPw)
		if r := w.dadm.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]string{"status": "locked"}); r.StatusCode != 200 || !strings.Contains(string(r.Body), `"status":"locked"`) {
			t.Fatalf("lock: %d %s", r.StatusCode, r.Body)
		}
		if r := bob.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
			t.Fatalf("locked account's session: %d", r.StatusCode)
		}
		if r := w.dadm.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]string{"role": "global_admin"}); r.StatusCode != 403 {
			t.Fatalf("domain admin making a global admin: %d", r.StatusCode)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]string{"status": "frozen"}); r.StatusCode != 400 {
			t.Fatalf("bad status: %d", r.StatusCode)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]string{"cos": "gold"}); r.StatusCode != 400 {
			t.Fatalf("unknown COS: %d", r.StatusCode)
		}
	})
}

func TestAdminCredentialsAndDevices(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		s := w.s
		// An EAS password made by an admin for bob, shown once to the admin, opens bob's EAS.
		r := w.dadm.Do("POST", "/api/v1/admin/accounts/bob@example.com/credentials", map[string]string{"kind": "eas", "label": "Bob's phone"})
		var created struct {
			Credential struct{ ID uint64 }
			Secret     struct{ Password string }
		}
		r.JSON(t, &created)
		if r.StatusCode != 201 || created.Secret.Password == "" {
			t.Fatalf("admin creates an EAS password: %d %s", r.StatusCode, r.Body)
		}
		if code := eastest.OptionsStatus(t, s, "bob@example.com", created.Secret.Password); code != 200 {
			t.Fatalf("the admin-made EAS password: %d", code)
		}
		if r := w.global.Do("POST", "/api/v1/admin/accounts/olga@other.org/credentials", map[string]string{"kind": "otp", "label": "x"}); r.StatusCode != 400 {
			t.Fatalf("admin creating an OTP entry: %d", r.StatusCode)
		}
		w.each(t, "GET", "/api/v1/admin/accounts/bob@example.com/credentials", "/api/v1/admin/accounts/olga@other.org/credentials", nil, 200)
		olga := w.s.Client()
		olga.Login("olga@other.org", testPw)
		oc := create(t, olga, "eas", "Olga's phone")
		inside := fmt.Sprintf("/api/v1/admin/credentials/%d", created.Credential.ID)
		outside := fmt.Sprintf("/api/v1/admin/credentials/%d", oc.Credential.ID)

		// Disable: the EAS password stops working at once; enable again.
		w.each(t, "PATCH", inside, outside, map[string]string{"status": "disabled"}, 200)
		if code := eastest.OptionsStatus(t, s, "bob@example.com", created.Secret.Password); code != 401 {
			t.Fatalf("disabled EAS password: %d", code)
		}
		expires := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
		w.dadm.Do("PATCH", inside, map[string]any{"status": "enabled", "expiresAt": expires, "label": "Bob's iPhone"})
		var list struct {
			Items []struct{ Label, Status string }
		}
		w.dadm.Do("GET", "/api/v1/admin/accounts/bob@example.com/credentials", nil).JSON(t, &list)
		if list.Items[0].Label != "Bob's iPhone" || list.Items[0].Status != "expired" {
			t.Fatalf("after rename and a past expiry: %+v", list.Items)
		}
		if code := eastest.OptionsStatus(t, s, "bob@example.com", created.Secret.Password); code != 401 {
			t.Fatalf("expired EAS password: %d", code)
		}
		w.dadm.Do("PATCH", inside, map[string]any{"expiresAt": nil})
		if code := eastest.OptionsStatus(t, s, "bob@example.com", created.Secret.Password); code != 200 {
			t.Fatalf("expiry cleared: %d", code)
		}

		// A locked OTP entry is unlocked by resetting its failed attempts.
		bob, _ := s.App.Accounts.Get(t.Context(), "bob@example.com")
		otpCred := &store.Credential{AccountID: bob.ID, Kind: store.KindOTP, Label: "Authenticator", LabelKey: "k-otp", Status: store.CredLocked, FailedAttempts: 10, Services: "web"}
		if err := s.App.Store.CreateCredential(t.Context(), otpCred); err != nil {
			t.Fatal(err)
		}
		r = w.dadm.Do("PATCH", fmt.Sprintf("/api/v1/admin/credentials/%d", otpCred.ID), map[string]any{"resetFailedAttempts": true})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"status":"enabled"`) || !strings.Contains(string(r.Body), `"failedAttempts":0`) {
			t.Fatalf("unlock: %d %s", r.StatusCode, r.Body)
		}
		if r := w.dadm.Do("PATCH", inside, map[string]any{"status": "locked"}); r.StatusCode != 400 {
			t.Fatalf("setting a status other than enabled/disabled: %d", r.StatusCode)
		}

		// Devices: list, reset, wipe, remove — as the tessera mobile commands.
		p := eastest.PhoneFor(t, s, "bob@example.com", testPw, "bobphone")
		p2 := eastest.PhoneFor(t, s, "olga@other.org", testPw, "olgaphone")
		_ = p2
		w.each(t, "GET", "/api/v1/admin/accounts/bob@example.com/devices", "/api/v1/admin/accounts/olga@other.org/devices", nil, 200)
		w.each(t, "POST", "/api/v1/admin/accounts/bob@example.com/devices/bobphone/reset", "/api/v1/admin/accounts/olga@other.org/devices/olgaphone/reset", nil, 204)
		if r, _ := p.FolderSync("0"); r.HTTPStatus != 200 {
			t.Fatalf("after reset the device syncs from 0: %d", r.HTTPStatus)
		}
		w.each(t, "POST", "/api/v1/admin/accounts/bob@example.com/devices/bobphone/wipe", "/api/v1/admin/accounts/olga@other.org/devices/olgaphone/wipe", nil, 204)
		if r, _ := p.FolderSync("0"); r.Body == nil || r.Body.TextOf("Status") != "140" {
			t.Fatalf("a device with a wipe pending is sent to Provision: %v", r.Body)
		}
		w.each(t, "POST", "/api/v1/admin/accounts/bob@example.com/devices-reset", "/api/v1/admin/accounts/olga@other.org/devices-reset", nil, 204)
		w.each(t, "DELETE", "/api/v1/admin/accounts/bob@example.com/devices/bobphone", "/api/v1/admin/accounts/olga@other.org/devices/olgaphone", nil, 204)
		if r := w.global.Do("DELETE", "/api/v1/admin/accounts/bob@example.com/devices/bobphone", nil); r.StatusCode != 404 {
			t.Fatalf("removing a removed device: %d", r.StatusCode)
		}
		w.each(t, "DELETE", inside, outside, nil, 204)
	})
}

func TestAdminAudit(t *testing.T) {
	w := newAdminWorld(t, sqlite(t))
	w.s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"username": "olga@other.org", "password": "wrong-Password-1"})
	w.dadm.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]string{"cos": "staff"})
	var page struct {
		Items []struct{ Account, Kind, Actor string }
	}
	w.dadm.Do("GET", "/api/v1/admin/audit", nil).JSON(t, &page)
	for _, e := range page.Items {
		if !strings.HasSuffix(e.Account, "@example.com") {
			t.Fatalf("domain admin sees an event of %q", e.Account)
		}
	}
	w.global.Do("GET", "/api/v1/admin/audit?account=olga@other.org&kind=login_failed", nil).JSON(t, &page)
	if len(page.Items) != 1 || page.Items[0].Kind != "login_failed" {
		t.Fatalf("global filter: %+v", page.Items)
	}
	w.global.Do("GET", "/api/v1/admin/audit?actor=dana@example.com&kind=account_updated", nil).JSON(t, &page)
	if len(page.Items) != 1 || page.Items[0].Account != "bob@example.com" {
		t.Fatalf("admin action audited: %+v", page.Items)
	}
	r := w.global.Do("GET", "/api/v1/admin/audit?format=csv&kind=account_updated", nil)
	if r.StatusCode != 200 || !strings.HasPrefix(string(r.Body), "time,actor,account,kind,outcome,reason,client_ip\n") || !strings.Contains(string(r.Body), "dana@example.com,bob@example.com,account_updated") {
		t.Fatalf("CSV: %d %s", r.StatusCode, r.Body)
	}
	if r := w.global.Do("GET", "/api/v1/admin/audit?from=yesterday", nil); r.StatusCode != 400 {
		t.Fatalf("bad from: %d", r.StatusCode)
	}
	if r := w.user.Do("GET", "/api/v1/admin/audit", nil); r.StatusCode != 403 {
		t.Fatalf("user: %d", r.StatusCode)
	}
}

func TestAdminSettings(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		var v map[string]any
		w.global.Do("GET", "/api/v1/admin/settings", nil).JSON(t, &v)
		if v["passwordMinLength"] != float64(8) || v["twoFactor"] != "unset" || v["revokePasscodesOnPasswordChange"] != true {
			t.Fatalf("defaults: %v", v)
		}
		r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"passwordMinLength": 12, "twoFactor": "required", "easRequireDevicePassword": true})
		r.JSON(t, &v)
		if r.StatusCode != 200 || v["passwordMinLength"] != float64(12) || v["twoFactor"] != "required" || v["easRequireDevicePassword"] != true {
			t.Fatalf("patch: %d %s", r.StatusCode, r.Body)
		}
		// It takes effect: with 2FA required globally, bob's next login must enrol an OTP entry.
		if r := w.s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"username": "bob@example.com", "password": testPw}); !strings.Contains(string(r.Body), `"enrolmentRequired":true`) {
			t.Fatalf("login after twoFactor=required: %s", r.Body)
		}
		g, _ := w.s.App.Store.GlobalSettings(t.Context())
		if g.PwMinLength != 12 || g.TwoFactor != "required" {
			t.Fatalf("stored: %+v", g)
		}
		// All or nothing: one bad key leaves everything as it was.
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"passwordMinLength": 10, "nonsense": 1}); r.StatusCode != 400 {
			t.Fatalf("unknown key: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"passwordMinLength": 500}); r.StatusCode != 400 {
			t.Fatalf("out of range: %d", r.StatusCode)
		}
		if g, _ := w.s.App.Store.GlobalSettings(t.Context()); g.PwMinLength != 12 {
			t.Fatalf("a refused patch changed something: %d", g.PwMinLength)
		}
		if r := w.dadm.Do("GET", "/api/v1/admin/settings", nil); r.StatusCode != 403 {
			t.Fatalf("domain admin: %d", r.StatusCode)
		}
		if r := w.dadm.Do("PATCH", "/api/v1/admin/settings", map[string]any{"passwordMinLength": 9}); r.StatusCode != 403 {
			t.Fatalf("domain admin patch: %d", r.StatusCode)
		}
	})
}
