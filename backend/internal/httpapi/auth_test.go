package httpapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const admin = "admin@example.com"

func TestLoginAndMe(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := s.Client()
		if r := c.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 || r.ErrorCode() != "unauthenticated" {
			t.Fatalf("me before login: %d %s", r.StatusCode, r.Body)
		}
		r := c.Login(" Admin@Example.COM ", apptest.AdminPassword)
		var body struct {
			Account struct{ Email, Role, Domain string }
		}
		r.JSON(t, &body)
		if body.Account.Email != admin || body.Account.Role != "global_admin" || body.Account.Domain != "example.com" {
			t.Fatalf("login body = %s", r.Body)
		}
		var session *http.Cookie
		for _, ck := range r.Cookies() {
			if ck.Name == "tessera_session" {
				session = ck
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Secure {
			t.Fatalf("session cookie = %+v", session)
		}
		me := c.Do("GET", "/api/v1/me", nil)
		var m struct{ Email string }
		me.JSON(t, &m)
		if me.StatusCode != 200 || m.Email != admin {
			t.Fatalf("me: %d %s", me.StatusCode, me.Body)
		}
	})
}

// Every wrong combination gets the same answer, whether or not the account exists.
func TestLoginFailuresAreGeneric(t *testing.T) {
	s := apptest.Start(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	var bodies []string
	for _, tc := range []struct{ user, pw string }{
		{admin, "wrong-Password-1!"},
		{"nobody@example.com", "wrong-Password-1!"},
		{"nobody@nowhere.test", apptest.AdminPassword},
		{"not-an-email", "x"},
	} {
		r := s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"username": tc.user, "password": tc.pw})
		if r.StatusCode != 401 || r.ErrorCode() != "invalid_credentials" {
			t.Fatalf("%s: %d %s", tc.user, r.StatusCode, r.Body)
		}
		bodies = append(bodies, string(r.Body))
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Fatalf("failure bodies differ: %q vs %q", b, bodies[0])
		}
	}
	// The reason is in the audit log, not in the response.
	events, _ := s.App.Store.ListAudit(t.Context(), store.AuditFilter{Action: audit.ActionLoginFailed})
	reasons := map[string]bool{}
	for _, e := range events {
		reasons[e.Reason] = true
	}
	if !reasons["web: wrong password"] || !reasons["web: no such account"] {
		t.Fatalf("audit reasons = %v", reasons)
	}
}

func TestLockedAccountCannotLogIn(t *testing.T) {
	s := apptest.Start(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	if err := s.App.Store.Gorm().Exec("UPDATE accounts SET status = 'locked' WHERE email = ?", admin).Error; err != nil {
		t.Fatal(err)
	}
	if r := c.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
		t.Fatalf("session of a locked account: %d", r.StatusCode)
	}
	r := s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": apptest.AdminPassword})
	if r.StatusCode != 401 || r.ErrorCode() != "invalid_credentials" {
		t.Fatalf("locked login: %d %s", r.StatusCode, r.Body)
	}
}

func TestThrottlePerAccount(t *testing.T) {
	s := apptest.Start(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	c := s.Client()
	bad := map[string]string{"username": admin, "password": "Wrong-password-1"}
	for i := 0; i < 5; i++ {
		if r := c.Do("POST", "/api/v1/auth/login", bad); r.StatusCode != 401 {
			t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
		}
	}
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": apptest.AdminPassword})
	if r.StatusCode != 429 || r.ErrorCode() != "too_many_attempts" {
		t.Fatalf("6th attempt, even with the right password: %d %s", r.StatusCode, r.Body)
	}
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 900 {
		t.Fatalf("Retry-After = %q", r.Header.Get("Retry-After"))
	}
	// The same answer for an account that does not exist: throttling reveals nothing either.
	for i := 0; i < 5; i++ {
		c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "ghost@example.com", "password": "x"})
	}
	if r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "ghost@example.com", "password": "x"}); r.StatusCode != 429 {
		t.Fatalf("nonexistent account not throttled alike: %d", r.StatusCode)
	}
}

func TestThrottlePerAddress(t *testing.T) {
	s := apptest.Start(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	c := s.Client()
	// Spraying many accounts from one address: each account stays under its own limit.
	for i := 0; i < 20; i++ {
		r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "user" + strconv.Itoa(i) + "@example.com", "password": "Guess-1!"})
		if r.StatusCode != 401 {
			t.Fatalf("spray %d: %d", i, r.StatusCode)
		}
	}
	if r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": apptest.AdminPassword}); r.StatusCode != 429 {
		t.Fatalf("address over its limit: %d %s", r.StatusCode, r.Body)
	}
}

func TestLogoutKillsTokenAtOnce(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		stolen := c.Cookie("tessera_session")
		if r := c.Do("POST", "/api/v1/auth/logout", nil); r.StatusCode != 204 {
			t.Fatalf("logout: %d %s", r.StatusCode, r.Body)
		}
		if c.Cookie("tessera_session") != "" {
			t.Fatal("logout did not clear the cookie")
		}
		thief := s.Client()
		thief.SetCookie("tessera_session", stolen)
		if r := thief.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
			t.Fatalf("logged-out token still works: %d", r.StatusCode)
		}
	})
}

func TestLogoutAllEndsEverySession(t *testing.T) {
	s := apptest.Start(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	phone, laptop := s.Client(), s.Client()
	phone.Login(admin, apptest.AdminPassword)
	laptop.Login(admin, apptest.AdminPassword)
	if r := laptop.Do("POST", "/api/v1/auth/logout-all", nil); r.StatusCode != 204 {
		t.Fatalf("logout-all: %d", r.StatusCode)
	}
	if r := phone.Do("GET", "/api/v1/me", nil); r.StatusCode != 401 {
		t.Fatalf("other session survived logout-all: %d", r.StatusCode)
	}
	phone.Login(admin, apptest.AdminPassword) // a fresh login works again
	if r := phone.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("fresh login after logout-all: %d", r.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	s := apptest.Start(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	c := s.Client()
	c.NoCSRF = true
	c.Login(admin, apptest.AdminPassword) // login itself is exempt
	if r := c.Do("POST", "/api/v1/auth/logout", nil); r.StatusCode != 403 || r.ErrorCode() != "csrf" {
		t.Fatalf("logout without CSRF header: %d %s", r.StatusCode, r.Body)
	}
	c.Header.Set("X-CSRF-Token", "forged")
	if r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "Another-Strong-Pass-7"}); r.StatusCode != 403 || r.ErrorCode() != "csrf" {
		t.Fatalf("password change with a forged CSRF header: %d %s", r.StatusCode, r.Body)
	}
	// A CSRF value that matches the cookie but belongs to another session is refused too.
	other := s.Client()
	other.Login(admin, apptest.AdminPassword)
	c.Header.Set("X-CSRF-Token", other.Cookie("tessera_csrf"))
	c.SetCookie("tessera_csrf", other.Cookie("tessera_csrf"))
	if r := c.Do("POST", "/api/v1/auth/logout", nil); r.StatusCode != 403 {
		t.Fatalf("CSRF value of another session accepted: %d", r.StatusCode)
	}
	if r := c.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("session must survive refused requests: %d", r.StatusCode)
	}
}

func TestSecureCookiesAndHSTSBehindHTTPS(t *testing.T) {
	s := apptest.Start(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"}, apptest.Options{PublicURL: "https://mail.example.com"})
	r := s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": apptest.AdminPassword})
	for _, ck := range r.Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s lacks Secure behind https", ck.Name)
		}
	}
	if got := r.Header.Get("Strict-Transport-Security"); got == "" {
		t.Error("no HSTS behind https")
	}
}

// The account package's error values are what the API maps; keep them distinct.
func TestErrorsDistinct(t *testing.T) {
	if authn.ErrInvalidCredentials == account.ErrUnauthenticated {
		t.Fatal("distinct errors expected")
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
