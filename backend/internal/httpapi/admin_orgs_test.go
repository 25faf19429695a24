package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type orgView struct {
	Name                     string
	TwoFactor                string
	EASRequireDevicePassword bool
	EASEnabled               bool
	Accounts                 int
}

type orgList struct{ Items []orgView }

func TestAdminDomains(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		// Reading: every caller as the matrix says; the domain admin only sees their domain.
		w.each(t, "GET", "/api/v1/admin/domains/example.com", "/api/v1/admin/domains/other.org", nil, http.StatusOK)
		var list orgList
		w.global.Do("GET", "/api/v1/admin/domains", nil).JSON(t, &list)
		if len(list.Items) != 2 || list.Items[0].Name != "example.com" || list.Items[0].Accounts != 3 || list.Items[1].Accounts != 1 {
			t.Fatalf("global admin's domains: %+v", list.Items)
		}
		w.dadm.Do("GET", "/api/v1/admin/domains", nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "example.com" {
			t.Fatalf("domain admin's domains: %+v", list.Items)
		}
		if r := w.user.Do("GET", "/api/v1/admin/domains", nil); r.StatusCode != http.StatusForbidden {
			t.Fatalf("user lists domains: %d", r.StatusCode)
		}

		// Changing: global admins only; a domain admin is refused in their domain, and
		// outside it the domain does not exist.
		patch := map[string]any{"twoFactor": "required", "easRequireDevicePassword": true}
		if r := w.dadm.Do("PATCH", "/api/v1/admin/domains/example.com", patch); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin patches own domain: %d", r.StatusCode)
		}
		if r := w.dadm.Do("PATCH", "/api/v1/admin/domains/other.org", patch); r.StatusCode != http.StatusNotFound {
			t.Fatalf("domain admin patches another domain: %d", r.StatusCode)
		}
		var d orgView
		w.global.Do("PATCH", "/api/v1/admin/domains/Other.org", patch).JSON(t, &d)
		if d.TwoFactor != "required" || !d.EASRequireDevicePassword {
			t.Fatalf("after patch: %+v", d)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/domains/other.org", map[string]any{"twoFactor": "sometimes"}); r.StatusCode != http.StatusBadRequest || r.ErrorCode() != "invalid_request" {
			t.Fatalf("bad policy: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/domains/other.org", map[string]any{"easEnabled": false}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("COS field on a domain: %d", r.StatusCode)
		}
		// The policy reaches the account: olga must now enrol 2FA.
		two, err := w.s.App.Policy.Decide(t.Context(), mustAccount(t, w, "olga@other.org"))
		if err != nil || !two.Enabled {
			t.Fatalf("domain policy not applied: %+v %v", two, err)
		}

		// Create with a policy; a bad policy creates nothing.
		if r := w.global.Do("POST", "/api/v1/admin/domains", map[string]any{"name": "new.net", "twoFactor": "maybe"}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("create with bad policy: %d", r.StatusCode)
		}
		if r := w.global.Do("GET", "/api/v1/admin/domains/new.net", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("a refused create left a domain: %d", r.StatusCode)
		}
		r := w.global.Do("POST", "/api/v1/admin/domains", map[string]any{"name": "New.net", "twoFactor": "forbidden"})
		r.JSON(t, &d)
		if r.StatusCode != http.StatusCreated || d.Name != "new.net" || d.TwoFactor != "forbidden" || d.Accounts != 0 {
			t.Fatalf("create: %d %+v", r.StatusCode, d)
		}
		if r := w.global.Do("POST", "/api/v1/admin/domains", map[string]any{"name": "new.net"}); r.StatusCode != http.StatusConflict {
			t.Fatalf("duplicate: %d", r.StatusCode)
		}
		if r := w.global.Do("POST", "/api/v1/admin/domains", map[string]any{"name": "not a domain"}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("bad name: %d", r.StatusCode)
		}
		if r := w.dadm.Do("POST", "/api/v1/admin/domains", map[string]any{"name": "mine.net"}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin creates: %d", r.StatusCode)
		}

		// Delete only when empty.
		if r := w.global.Do("DELETE", "/api/v1/admin/domains/other.org", nil); r.StatusCode != http.StatusConflict || r.ErrorCode() != "in_use" {
			t.Fatalf("delete with accounts: %d %s", r.StatusCode, r.Body)
		}
		if r := w.dadm.Do("DELETE", "/api/v1/admin/domains/new.net", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("domain admin deletes another domain: %d", r.StatusCode)
		}
		if r := w.global.Do("DELETE", "/api/v1/admin/domains/new.net", nil); r.StatusCode != http.StatusNoContent {
			t.Fatalf("delete empty: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("DELETE", "/api/v1/admin/domains/new.net", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("delete twice: %d", r.StatusCode)
		}
		var page struct {
			Items []struct{ Action, Reason string }
		}
		w.global.Do("GET", "/api/v1/admin/audit?kind=domain_updated", nil).JSON(t, &page)
		if len(page.Items) == 0 || page.Items[0].Reason == "" {
			t.Fatalf("domain change not audited: %+v", page.Items)
		}
	})
}

func TestAdminCOS(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		// bob joins "staff" so that it is in use.
		if r := w.global.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]any{"cos": "staff"}); r.StatusCode != http.StatusOK {
			t.Fatalf("assign COS: %d %s", r.StatusCode, r.Body)
		}
		var list orgList
		w.dadm.Do("GET", "/api/v1/admin/cos", nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Name != "staff" || list.Items[0].Accounts != 1 || !list.Items[0].EASEnabled {
			t.Fatalf("COS list for a domain admin: %+v", list.Items)
		}
		if r := w.user.Do("GET", "/api/v1/admin/cos", nil); r.StatusCode != http.StatusForbidden {
			t.Fatalf("user lists COS: %d", r.StatusCode)
		}
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/api/v1/admin/cos", map[string]any{"name": "x"}},
			{"PATCH", "/api/v1/admin/cos/staff", map[string]any{"easEnabled": false}},
			{"DELETE", "/api/v1/admin/cos/staff", nil},
		} {
			if r := w.dadm.Do(c.method, c.path, c.body); r.StatusCode != http.StatusForbidden {
				t.Fatalf("domain admin %s %s: %d", c.method, c.path, r.StatusCode)
			}
		}
		var v orgView
		w.global.Do("PATCH", "/api/v1/admin/cos/staff", map[string]any{"easEnabled": false, "twoFactor": "required"}).JSON(t, &v)
		if v.EASEnabled || v.TwoFactor != "required" {
			t.Fatalf("after patch: %+v", v)
		}
		// The COS now keeps bob off EAS.
		if ok, err := w.s.App.Store.EASEnabledFor(t.Context(), mustAccount(t, w, "bob@example.com").COSID); err != nil || ok {
			t.Fatalf("EAS still enabled for bob: %v %v", ok, err)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/cos/nope", map[string]any{"easEnabled": true}); r.StatusCode != http.StatusNotFound {
			t.Fatalf("patch missing COS: %d", r.StatusCode)
		}
		if r := w.global.Do("DELETE", "/api/v1/admin/cos/staff", nil); r.StatusCode != http.StatusConflict {
			t.Fatalf("delete used COS: %d", r.StatusCode)
		}
		r := w.global.Do("POST", "/api/v1/admin/cos", map[string]any{"name": "interns", "easEnabled": false})
		r.JSON(t, &v)
		if r.StatusCode != http.StatusCreated || v.Name != "interns" || v.EASEnabled {
			t.Fatalf("create: %d %+v", r.StatusCode, v)
		}
		if r := w.global.Do("POST", "/api/v1/admin/cos", map[string]any{"name": "bad", "easRequireDevicePassword": true}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("domain field on a COS: %d", r.StatusCode)
		}
		if r := w.global.Do("DELETE", "/api/v1/admin/cos/interns", nil); r.StatusCode != http.StatusNoContent {
			t.Fatalf("delete unused: %d", r.StatusCode)
		}
		w.global.Do("GET", "/api/v1/admin/cos", nil).JSON(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("after delete: %+v", list.Items)
		}
	})
}

func mustAccount(t *testing.T, w *adminWorld, email string) *store.Account {
	t.Helper()
	a, err := w.s.App.Store.AccountByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAdminResetPassword(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		// The matrix, with a password the policy accepts (each call sets it again).
		body := map[string]any{"password": "Meadow-Lantern-48"}
		w.each(t, "POST", "/api/v1/admin/accounts/bob@example.com/password", "/api/v1/admin/accounts/olga@other.org/password", body, http.StatusNoContent)
		if r := w.s.Client().Login("bob@example.com", "Meadow-Lantern-48"); r.StatusCode != http.StatusOK {
			t.Fatalf("bob with the new password: %d", r.StatusCode)
		}
		// Generated: shown once, works, and ends the account's sessions.
		bob := w.s.Client()
		bob.Login("bob@example.com", "Meadow-Lantern-48")
		var out struct{ Password string }
		r := w.dadm.Do("POST", "/api/v1/admin/accounts/bob@example.com/password", map[string]any{})
		r.JSON(t, &out)
		if r.StatusCode != http.StatusOK || len(out.Password) < 16 || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("generated: %d %q %q", r.StatusCode, out.Password, r.Header.Get("Cache-Control"))
		}
		if r := bob.Do("GET", "/api/v1/me", nil); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bob's session after the reset: %d", r.StatusCode)
		}
		if r := w.s.Client().Login("bob@example.com", out.Password); r.StatusCode != http.StatusOK {
			t.Fatalf("bob with the generated password: %d", r.StatusCode)
		}
		// The policy applies; a weak password changes nothing.
		if r := w.global.Do("POST", "/api/v1/admin/accounts/bob@example.com/password", map[string]any{"password": "short"}); r.StatusCode != http.StatusBadRequest || r.ErrorCode() != "weak_password" {
			t.Fatalf("weak: %d %s", r.StatusCode, r.Body)
		}
		if r := w.s.Client().Login("bob@example.com", out.Password); r.StatusCode != http.StatusOK {
			t.Fatalf("a refused reset changed the password: %d", r.StatusCode)
		}
		// A domain admin cannot take over a global admin of her domain.
		if r := w.dadm.Do("POST", "/api/v1/admin/accounts/"+admin+"/password", map[string]any{}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin resets the global admin: %d %s", r.StatusCode, r.Body)
		}
		var page struct {
			Items []struct{ Actor, Account string }
		}
		w.global.Do("GET", "/api/v1/admin/audit?kind=password_set&actor=dana@example.com", nil).JSON(t, &page)
		if len(page.Items) < 2 || page.Items[0].Account != "bob@example.com" {
			t.Fatalf("resets audited: %+v", page.Items)
		}
	})
}
