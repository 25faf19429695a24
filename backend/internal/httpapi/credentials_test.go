package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type createdCredential struct {
	Credential struct {
		ID       uint64
		Kind     string
		Label    string
		Status   string
		Services []string
	}
	Secret struct {
		Password, Payload, QRCode string
	}
}

func create(t *testing.T, c *apptest.Client, kind, label string) createdCredential {
	t.Helper()
	r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": kind, "label": label})
	if r.StatusCode != 201 {
		t.Fatalf("create %s %q: %d %s", kind, label, r.StatusCode, r.Body)
	}
	var out createdCredential
	r.JSON(t, &out)
	return out
}

var grouped = regexp.MustCompile(`^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$`)

func TestCreateListDeleteCredentials(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		var list struct{ Items []map[string]any }
		c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("new account has credentials: %v", list.Items)
		}
		eas := create(t, c, "eas", "  My phone  ")
		if !grouped.MatchString(eas.Secret.Password) || eas.Credential.Label != "My phone" || eas.Credential.Status != "enabled" ||
			strings.Join(eas.Credential.Services, ",") != "eas" {
			t.Fatalf("eas = %+v", eas)
		}
		pc := create(t, c, "app_passcode", "Thunderbird")
		if strings.Join(pc.Credential.Services, ",") != "imap,pop3,smtp,caldav,carddav" { // the default: no EAS
			t.Fatalf("passcode services = %v", pc.Credential.Services)
		}
		app := create(t, c, "mobile_app", "Carbonio app on Pixel 9 — 日本語")
		var payload struct {
			V                       int
			Server, Username, Token string
		}
		if err := json.Unmarshal([]byte(app.Secret.Payload), &payload); err != nil || payload.V != 1 || payload.Username != admin ||
			payload.Server != "http://127.0.0.1:8080" || len(payload.Token) < 40 || app.Secret.Password != "" {
			t.Fatalf("mobile app secret = %+v (%v)", app.Secret, err)
		}
		png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(app.Secret.QRCode, "data:image/png;base64,"))
		if err != nil || string(png[1:4]) != "PNG" {
			t.Fatalf("qrCode is not a PNG data URL: %.40s", app.Secret.QRCode)
		}

		r := c.Do("GET", "/api/v1/credentials", nil)
		r.JSON(t, &list)
		if len(list.Items) != 3 {
			t.Fatalf("list = %s", r.Body)
		}
		// The secret is shown once: nothing after creation contains it.
		for _, secret := range []string{eas.Secret.Password, strings.ReplaceAll(eas.Secret.Password, "-", ""), pc.Secret.Password, payload.Token} {
			if strings.Contains(string(r.Body), secret) {
				t.Fatalf("list response contains a secret")
			}
		}
		// Nor the database: rows hold keyed hashes, the audit log labels only.
		var dump []string
		s.App.Store.Gorm().Raw("SELECT secret_hash FROM credentials").Scan(&dump)
		var reasons []string
		s.App.Store.Gorm().Raw("SELECT reason FROM audit_events").Scan(&reasons)
		all := strings.Join(append(dump, reasons...), "\n")
		for _, secret := range []string{strings.ReplaceAll(eas.Secret.Password, "-", ""), strings.ReplaceAll(pc.Secret.Password, "-", ""), payload.Token} {
			if strings.Contains(all, secret) || strings.Contains(all, secret[:8]) {
				t.Fatalf("a secret is stored in the clear")
			}
		}
		if r := c.Do("DELETE", "/api/v1/credentials/"+strconv.FormatUint(eas.Credential.ID, 10), nil); r.StatusCode != 204 {
			t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("DELETE", "/api/v1/credentials/"+strconv.FormatUint(eas.Credential.ID, 10), nil); r.StatusCode != 404 {
			t.Fatalf("second delete: %d", r.StatusCode)
		}
		c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Fatalf("after delete: %v", list.Items)
		}
	})
}

func TestLabelsAndLimits(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	create(t, c, "eas", "Phone")
	for _, tc := range []struct {
		kind, label string
		status      int
		code        string
	}{
		{"eas", "phone", 409, "label_taken"},
		{"eas", " PHONE ", 409, "label_taken"},
		{"app_passcode", "Phone", 201, ""},
		{"eas", "", 400, "invalid_request"},
		{"eas", "   ", 400, "invalid_request"},
		{"eas", strings.Repeat("é", 65), 400, "invalid_request"},
		{"eas", strings.Repeat("é", 64), 201, ""},
		{"eas", "tab\there", 400, "invalid_request"},
		{"password", "x", 400, "invalid_request"},
	} {
		r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": tc.kind, "label": tc.label})
		if r.StatusCode != tc.status || (tc.code != "" && r.ErrorCode() != tc.code) {
			t.Errorf("%s %q: %d %s, want %d %s", tc.kind, tc.label, r.StatusCode, r.Body, tc.status, tc.code)
		}
	}
	g, _ := s.App.Store.GlobalSettings(t.Context())
	g.MaxCredentialsPerKind = 3
	s.App.Store.SaveGlobalSettings(t.Context(), g)
	create(t, c, "eas", "Tablet") // eas now has Phone, éé…, Tablet
	if r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "eas", "label": "Watch"}); r.StatusCode != 409 || r.ErrorCode() != "limit_reached" {
		t.Fatalf("4th EAS password with limit 3: %d %s", r.StatusCode, r.Body)
	}
	create(t, c, "app_passcode", "Laptop") // other kinds have their own count
}

// A request can never see or touch another account's credentials.
func TestCredentialsAreScopedToTheAccount(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		if _, _, err := s.App.Accounts.Create(t.Context(), "test", accountInput("bob@example.com", "Granite-Falcon-63")); err != nil {
			t.Fatal(err)
		}
		alice, bob := s.Client(), s.Client()
		alice.Login(admin, apptest.AdminPassword)
		bob.Login("bob@example.com", "Granite-Falcon-63")
		mine := create(t, alice, "eas", "Phone")
		if r := bob.Do("DELETE", "/api/v1/credentials/"+strconv.FormatUint(mine.Credential.ID, 10), nil); r.StatusCode != 404 {
			t.Fatalf("bob deleted alice's credential: %d", r.StatusCode)
		}
		var list struct{ Items []any }
		bob.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("bob sees %v", list.Items)
		}
		// Alice's EAS password does not open Bob's mailbox.
		if code := eastest.OptionsStatus(t, s, "bob@example.com", mine.Secret.Password); code != 401 {
			t.Fatalf("alice's EAS password for bob: %d", code)
		}
		for _, bad := range []string{"abc", "-1", "99999999999999999999999"} {
			if r := alice.Do("DELETE", "/api/v1/credentials/"+bad, nil); r.StatusCode != 404 {
				t.Errorf("DELETE %s: %d", bad, r.StatusCode)
			}
		}
	})
}

func accountInput(email, pw string) account.CreateInput {
	return account.CreateInput{Email: email, Password: pw}
}

func TestPasswordChangeRevokesPasscodesNotEASPasswords(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	eas := create(t, c, "eas", "Phone")
	pc := create(t, c, "app_passcode", "Laptop")
	if r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "Brand-New-Pass-42"}); r.StatusCode != 204 {
		t.Fatalf("change: %d %s", r.StatusCode, r.Body)
	}
	var list struct{ Items []struct{ Kind string } }
	c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].Kind != "eas" {
		t.Fatalf("after the change: %+v", list.Items)
	}
	if code := eastest.OptionsStatus(t, s, admin, eas.Secret.Password); code != 200 {
		t.Fatalf("EAS password after a password change: %d", code)
	}
	if code := eastest.OptionsStatus(t, s, admin, pc.Secret.Password); code != 401 {
		t.Fatalf("revoked passcode still opens EAS: %d", code)
	}
	// With the setting off, passcodes survive.
	g, _ := s.App.Store.GlobalSettings(t.Context())
	g.RevokePasscodesOnPasswordChange = false
	s.App.Store.SaveGlobalSettings(t.Context(), g)
	create(t, c, "app_passcode", "Laptop")
	c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": "Brand-New-Pass-42", "newPassword": "Newer-Pass-Word-43"})
	c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
	if len(list.Items) != 2 {
		t.Fatalf("setting off, after the change: %+v", list.Items)
	}
}
