package httpapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
)

func accountInput(email, pw string) account.CreateInput {
	return account.CreateInput{Email: email, Password: pw}
}

func TestEASBasicAuthAndOptions(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	eas := create(t, c, "eas", "Phone")

	req, _ := http.NewRequest("OPTIONS", s.URL+"/Microsoft-Server-ActiveSync", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), `Basic realm="`) {
		t.Fatalf("no credentials: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	for _, user := range []string{admin, `EXAMPLE\admin@example.com`, `example.com\admin`} {
		req, _ := http.NewRequest("OPTIONS", s.URL+"/Microsoft-Server-ActiveSync", nil)
		req.SetBasicAuth(user, strings.ToLower(strings.ReplaceAll(eas.Secret.Password, "-", "")))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("MS-ASProtocolVersions") != "12.1,14.0,14.1,16.0,16.1" ||
			!strings.Contains(h.Get("MS-ASProtocolCommands"), "FolderSync") || h.Get("MS-Server-ActiveSync") == "" ||
			h.Get("Allow") != "OPTIONS,POST" {
			t.Fatalf("OPTIONS as %s: %d %v", user, resp.StatusCode, h)
		}
	}
	// The account password works for EAS while 2FA is off, and not once it is on.
	if code := easOptions(t, s, admin, apptest.AdminPassword); code != 200 {
		t.Fatalf("account password, 2FA off: %d", code)
	}
	s.App.Store.Gorm().Exec("UPDATE accounts SET two_factor_enabled = true")
	if code := easOptions(t, s, admin, apptest.AdminPassword); code != 401 {
		t.Fatalf("account password, 2FA on: %d", code)
	}
	if code := easOptions(t, s, admin, eas.Secret.Password); code != 200 {
		t.Fatalf("EAS password, 2FA on: %d", code)
	}
	// An unprovisioned 12.1 device is sent to Provision with HTTP 449; an unknown command is 501.
	for cmd, want := range map[string]int{"FolderSync": 449, "Frobnicate": 501} {
		req, _ = http.NewRequest("POST", s.URL+"/Microsoft-Server-ActiveSync?Cmd="+cmd+"&User=admin&DeviceId=abc&DeviceType=iPhone", nil)
		req.SetBasicAuth(admin, eas.Secret.Password)
		resp, _ = http.DefaultClient.Do(req)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d", cmd, resp.StatusCode, want)
		}
	}
}

func TestAppLogin(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	app := create(t, c, "mobile_app", "Phone app")
	eas := create(t, c, "eas", "Phone")
	token := app.Secret.Payload[strings.Index(app.Secret.Payload, `"token":"`)+9 : len(app.Secret.Payload)-2]

	phone := s.Client()
	for _, bad := range []string{eas.Secret.Password, apptest.AdminPassword, token + "x"} {
		if r := phone.Do("POST", "/api/v1/auth/app-login", map[string]string{"username": admin, "token": bad}); r.StatusCode != 401 || r.ErrorCode() != "invalid_credentials" {
			t.Fatalf("app login with a wrong secret: %d %s", r.StatusCode, r.Body)
		}
	}
	r := phone.Do("POST", "/api/v1/auth/app-login", map[string]string{"username": admin, "token": token})
	var out struct{ AccessToken, ExpiresAt string }
	r.JSON(t, &out)
	if r.StatusCode != 200 || out.AccessToken == "" {
		t.Fatalf("app login: %d %s", r.StatusCode, r.Body)
	}
	if phone.Cookie("tessera_session") != "" {
		t.Fatal("app login set a web session cookie")
	}
	phone.Header.Set("Authorization", "Bearer "+out.AccessToken)
	if r := phone.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("me with the app token: %d %s", r.StatusCode, r.Body)
	}
	// An app token cannot manage credentials or the password.
	if r := phone.Do("GET", "/api/v1/credentials", nil); r.StatusCode != 403 || r.ErrorCode() != "forbidden" {
		t.Fatalf("credentials with the app token: %d %s", r.StatusCode, r.Body)
	}
	if r := phone.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "Another-Strong-Pass-7"}); r.StatusCode != 403 {
		t.Fatalf("password change with the app token: %d %s", r.StatusCode, r.Body)
	}
	// A web cookie is not an app token and vice versa.
	if r := s.Client().Do("POST", "/api/v1/auth/app-login", map[string]string{"username": admin, "token": c.Cookie("tessera_session")}); r.StatusCode != 401 {
		t.Fatalf("session cookie as app token: %d", r.StatusCode)
	}
	// Deleting the credential kills the app's access at once.
	if r := c.Do("DELETE", "/api/v1/credentials/"+strconv.FormatUint(app.Credential.ID, 10), nil); r.StatusCode != 204 {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if r := phone.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
		t.Fatalf("app token after the credential was deleted: %d", r.StatusCode)
	}
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
	if code := easOptions(t, s, admin, eas.Secret.Password); code != 200 {
		t.Fatalf("EAS password after a password change: %d", code)
	}
	if code := easOptions(t, s, admin, pc.Secret.Password); code != 401 {
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
