package httpapi_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// orgPolicy is the password part of a domain or COS as the API returns it.
type orgPolicy struct {
	PasswordMinLength        *int
	PasswordRequireLowercase *bool
	PasswordRequireUppercase *bool
	PasswordRequireDigit     *bool
	PasswordRequireSymbol    *bool
	AccountPasswordForMail   *bool
}

type effectivePolicy struct {
	MinLength                                                       int
	RequireLowercase, RequireUppercase, RequireDigit, RequireSymbol bool
}

func TestOrgPasswordPolicyRoles(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		var d orgPolicy
		w.global.Do("GET", "/api/v1/admin/domains/example.com", nil).JSON(t, &d)
		if d.PasswordMinLength != nil || d.PasswordRequireDigit != nil || d.AccountPasswordForMail == nil || !*d.AccountPasswordForMail {
			t.Fatalf("a new domain inherits everything and allows the password for mail: %+v", d)
		}
		body := map[string]any{"passwordMinLength": 14}
		if r := w.user.Do("PATCH", "/api/v1/admin/domains/example.com", body); r.StatusCode != http.StatusForbidden {
			t.Fatalf("user: %d", r.StatusCode)
		}
		// A domain admin reads their domain's policy but does not change it (as with 2FA).
		if r := w.dadm.Do("PATCH", "/api/v1/admin/domains/example.com", body); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin, own domain: %d", r.StatusCode)
		}
		if r := w.dadm.Do("PATCH", "/api/v1/admin/domains/other.org", body); r.StatusCode != http.StatusNotFound {
			t.Fatalf("domain admin, other domain: %d", r.StatusCode)
		}
		if r := w.dadm.Do("PATCH", "/api/v1/admin/cos/staff", body); r.StatusCode != http.StatusForbidden {
			t.Fatalf("domain admin, COS: %d", r.StatusCode)
		}
		w.dadm.Do("GET", "/api/v1/admin/domains/example.com", nil).JSON(t, &d)
		if d.PasswordMinLength != nil {
			t.Fatalf("a refused patch changed the domain: %+v", d)
		}

		// Bad values are 400 with the error JSON, and change nothing.
		for _, bad := range []struct {
			path string
			body map[string]any
		}{
			{"/api/v1/admin/domains/example.com", map[string]any{"passwordMinLength": 0}},
			{"/api/v1/admin/domains/example.com", map[string]any{"passwordMinLength": 129, "passwordRequireDigit": false}},
			{"/api/v1/admin/domains/example.com", map[string]any{"passwordMinLength": "long"}},
			{"/api/v1/admin/domains/example.com", map[string]any{"passwordRequireDigit": "yes"}},
			{"/api/v1/admin/cos/staff", map[string]any{"accountPasswordForMail": false}},
			{"/api/v1/admin/cos/staff", map[string]any{"passwordMinLength": -3}},
		} {
			if r := w.global.Do("PATCH", bad.path, bad.body); r.StatusCode != http.StatusBadRequest || r.ErrorCode() != "invalid_request" {
				t.Errorf("%s %v: %d %s", bad.path, bad.body, r.StatusCode, r.Body)
			}
		}
		w.global.Do("GET", "/api/v1/admin/domains/example.com", nil).JSON(t, &d)
		if d.PasswordMinLength != nil || d.PasswordRequireDigit != nil {
			t.Fatalf("a refused patch changed the domain: %+v", d)
		}

		// Set, keep what the body leaves out, clear with null.
		w.global.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"passwordMinLength": 14, "passwordRequireSymbol": false, "accountPasswordForMail": false}).JSON(t, &d)
		if d.PasswordMinLength == nil || *d.PasswordMinLength != 14 || d.PasswordRequireSymbol == nil || *d.PasswordRequireSymbol || *d.AccountPasswordForMail {
			t.Fatalf("after set: %+v", d)
		}
		w.global.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"passwordRequireSymbol": nil, "twoFactor": "unset"}).JSON(t, &d)
		if d.PasswordMinLength == nil || *d.PasswordMinLength != 14 || d.PasswordRequireSymbol != nil || *d.AccountPasswordForMail {
			t.Fatalf("after clearing the symbol override: %+v", d)
		}
		var c orgPolicy
		r := w.global.Do("POST", "/api/v1/admin/cos", map[string]any{"name": "strict", "passwordMinLength": 20, "passwordRequireUppercase": true})
		r.JSON(t, &c)
		if r.StatusCode != http.StatusCreated || c.PasswordMinLength == nil || *c.PasswordMinLength != 20 || c.AccountPasswordForMail != nil {
			t.Fatalf("create COS with a policy: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("POST", "/api/v1/admin/domains", map[string]any{"name": "bad.net", "passwordMinLength": 500}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("create with a bad policy: %d", r.StatusCode)
		}
		if r := w.global.Do("GET", "/api/v1/admin/domains/bad.net", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("a refused create left a domain: %d", r.StatusCode)
		}

		// Audited with old-style key=value pairs, "inherit" for a cleared override.
		var page struct {
			Items []struct{ Action, Reason string }
		}
		w.global.Do("GET", "/api/v1/admin/audit?kind=domain_updated", nil).JSON(t, &page)
		reasons := ""
		for _, it := range page.Items {
			reasons += it.Reason + "\n"
		}
		for _, want := range []string{"example.com: pw_min_length=14, pw_require_symbol=false, account_password_for_mail=false", "pw_require_symbol=inherit"} {
			if !strings.Contains(reasons, want) {
				t.Errorf("audit lacks %q:\n%s", want, reasons)
			}
		}
	})
}

// The effective policy: the user sees it and every password check applies it, COS over domain.
func TestEffectivePasswordPolicy(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		w.global.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"passwordMinLength": 14, "passwordRequireSymbol": false})
		var p effectivePolicy
		w.user.Do("GET", "/api/v1/me/password-policy", nil).JSON(t, &p)
		if p != (effectivePolicy{MinLength: 14, RequireLowercase: true, RequireUppercase: true, RequireDigit: true}) {
			t.Fatalf("bob's policy: %+v", p)
		}
		// olga's domain has no overrides: the global policy.
		olga := w.s.Client()
		olga.Login("olga@other.org", testPw)
		olga.Do("GET", "/api/v1/me/password-policy", nil).JSON(t, &p)
		if p.MinLength != 8 || !p.RequireSymbol {
			t.Fatalf("olga's policy: %+v", p)
		}

		twelve := "Quartz-Hero7" // 12 characters, every class
		r := w.user.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": testPw, "newPassword": twelve})
		if r.StatusCode != http.StatusBadRequest || strings.Join(rules(t, r), ",") != "min_length" {
			t.Fatalf("12 characters under 14: %d %s", r.StatusCode, r.Body)
		}
		if r := olga.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": testPw, "newPassword": twelve}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("the same password in a domain without overrides: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("POST", "/api/v1/admin/accounts/dana@example.com/password", map[string]any{"password": twelve}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("admin reset with 12 characters under 14: %d %s", r.StatusCode, r.Body)
		}
		var weak *account.WeakPasswordError
		if _, _, err := w.s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "new@example.com", Password: twelve}); !errors.As(err, &weak) {
			t.Fatalf("create with 12 characters under 14: %v", err)
		}
		if _, _, err := w.s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "new@other.org", Password: twelve}); err != nil {
			t.Fatalf("create in a domain without overrides: %v", err)
		}

		// A COS wins over the domain, even when it asks for less; a generated password follows it.
		w.global.Do("PATCH", "/api/v1/admin/cos/staff", map[string]any{"passwordMinLength": 10, "passwordRequireDigit": false})
		w.global.Do("PATCH", "/api/v1/admin/accounts/bob@example.com", map[string]any{"cos": "staff"})
		w.user.Login("bob@example.com", testPw)
		w.user.Do("GET", "/api/v1/me/password-policy", nil).JSON(t, &p)
		if p != (effectivePolicy{MinLength: 10, RequireLowercase: true, RequireUppercase: true}) {
			t.Fatalf("bob in staff: %+v", p)
		}
		if r := w.user.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": testPw, "newPassword": twelve}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("12 characters under the COS's 10: %d %s", r.StatusCode, r.Body)
		}
		w.global.Do("PATCH", "/api/v1/admin/cos/staff", map[string]any{"passwordMinLength": 40})
		var out struct{ Password string }
		w.global.Do("POST", "/api/v1/admin/accounts/bob@example.com/password", map[string]any{}).JSON(t, &out)
		if len(out.Password) != 40 {
			t.Fatalf("generated under a minimum of 40: %q", out.Password)
		}
	})
}

// A domain may refuse the account password on every mail service even while 2FA is off; EAS
// passwords and app passcodes keep working, and so does the web login.
func TestDomainRefusesAccountPasswordForMail(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		var pc createdCredential // every door rule 3 lets a passcode open, EAS included
		w.user.Do("POST", "/api/v1/credentials", map[string]any{"kind": "app_passcode", "label": "Laptop",
			"services": []string{"imap", "pop3", "smtp", "caldav", "carddav", "eas"}}).JSON(t, &pc)
		eas := create(t, w.user, "eas", "Phone")
		auth := func(svc authn.Service, secret string) bool {
			_, err := w.s.App.Authn.Authenticate(t.Context(), authn.Request{Service: svc, Username: "bob@example.com", Secret: secret, ClientIP: "192.0.2.9"})
			return err == nil
		}
		mail := []authn.Service{authn.EAS, authn.IMAP, authn.POP3, authn.SMTP, authn.CalDAV, authn.CardDAV}
		for _, svc := range mail {
			if !auth(svc, testPw) {
				t.Fatalf("%s with the account password before the switch", svc)
			}
		}
		w.global.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"accountPasswordForMail": false})
		for _, svc := range mail {
			if auth(svc, testPw) {
				t.Errorf("%s accepted the account password with the switch off", svc)
			}
			if !auth(svc, pc.Secret.Password) {
				t.Errorf("%s refused the app passcode", svc)
			}
		}
		if !auth(authn.EAS, eas.Secret.Password) {
			t.Error("EAS refused the EAS password")
		}
		if !auth(authn.Web, testPw) {
			t.Error("the web login refused the account password")
		}
		if h := nginxAuth(t, w.s, "imap", "bob@example.com", testPw); h.Get("Auth-Status") == "OK" {
			t.Errorf("the mail proxy let the account password in: %v", h)
		}
		// Another domain is untouched.
		if _, err := w.s.App.Authn.Authenticate(t.Context(), authn.Request{Service: authn.IMAP, Username: "olga@other.org", Secret: testPw, ClientIP: "192.0.2.9"}); err != nil {
			t.Errorf("olga's IMAP login: %v", err)
		}
		var page struct {
			Items []struct{ Reason string }
		}
		w.global.Do("GET", "/api/v1/admin/audit?kind=login_failed", nil).JSON(t, &page)
		if len(page.Items) == 0 || !strings.Contains(page.Items[0].Reason, "refuses the account password for mail") {
			t.Errorf("the refusal's reason is not audited: %+v", page.Items)
		}
		// Back on: the password works again.
		w.global.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"accountPasswordForMail": true})
		if !auth(authn.IMAP, testPw) {
			t.Error("IMAP with the account password after switching back on")
		}
	})
}
