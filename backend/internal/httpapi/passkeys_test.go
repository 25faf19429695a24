package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// The page's origin: a host name (browsers take no IP address as a relying-party id).
const passkeyURL = "http://localhost:8080"

type passkeyOptions struct {
	Ceremony  string
	PublicKey json.RawMessage
}

func beginPasskey(t *testing.T, c *apptest.Client, path string, body any) passkeyOptions {
	t.Helper()
	r := c.Do("POST", path, body)
	var o passkeyOptions
	r.JSON(t, &o)
	if r.StatusCode != 200 || o.Ceremony == "" || len(o.PublicKey) == 0 {
		t.Fatalf("%s: %d %s", path, r.StatusCode, r.Body)
	}
	return o
}

// enrolPasskey registers a new key of a for the logged-in client and returns it with its id.
func enrolPasskey(t *testing.T, c *apptest.Client, a *softAuthenticator, label string) (*softKey, uint64) {
	t.Helper()
	o := beginPasskey(t, c, "/api/v1/passkeys/register/begin", nil)
	if !strings.Contains(string(o.PublicKey), `"residentKey":"required"`) || !strings.Contains(string(o.PublicKey), `"userVerification":"required"`) {
		t.Fatalf("creation options ask for no discoverable, verified credential: %s", o.PublicKey)
	}
	cred, k := a.create(t, o.PublicKey)
	r := c.Do("POST", "/api/v1/passkeys/register/finish", map[string]any{"ceremony": o.Ceremony, "label": label, "credential": cred})
	var body struct{ Credential struct{ ID uint64 } }
	r.JSON(t, &body)
	if r.StatusCode != 201 {
		t.Fatalf("register: %d %s", r.StatusCode, r.Body)
	}
	return k, body.Credential.ID
}

// passkeyUser makes an account with 2FA on and one passkey; it returns its authenticator and key.
func passkeyUser(t *testing.T, s *apptest.Server, email string) (*softAuthenticator, *softKey, uint64) {
	t.Helper()
	if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: email, Password: testPw, Role: store.RoleUser}); err != nil {
		t.Fatal(err)
	}
	c := s.Client()
	if r := c.Login(email, testPw); r.StatusCode != 200 {
		t.Fatalf("login %s: %d %s", email, r.StatusCode, r.Body)
	}
	a := &softAuthenticator{origin: passkeyURL, aaguid: uuid.MustParse("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")}
	k, id := enrolPasskey(t, c, a, "Laptop")
	if r := c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true}); r.StatusCode != 200 {
		t.Fatalf("2FA on with a passkey only: %d %s", r.StatusCode, r.Body)
	}
	return a, k, id
}

// passkeyChallenge logs in with the password and returns the second step's challenge.
func passkeyChallenge(t *testing.T, c *apptest.Client, email string) string {
	t.Helper()
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": email, "password": testPw})
	var body struct {
		Challenge string
		Methods   []string
	}
	r.JSON(t, &body)
	if r.StatusCode != 200 || body.Challenge == "" || fmt.Sprint(body.Methods) != "[passkey]" {
		t.Fatalf("login with 2FA on: %d %s", r.StatusCode, r.Body)
	}
	return body.Challenge
}

func TestPasskeyRegisterAndSecondFactor(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b, apptest.Options{PublicURL: passkeyURL})
		a, k, id := passkeyUser(t, s, "pia@example.com")

		u := s.Client()
		u.Login("pia@example.com", testPw) // ignored: the challenge below is a new login
		u = s.Client()
		ch := passkeyChallenge(t, u, "pia@example.com")
		o := beginPasskey(t, u, "/api/v1/auth/login/passkey/begin", map[string]string{"challenge": ch})
		assertion := a.get(t, o.PublicKey, k)
		finish := map[string]any{"challenge": ch, "ceremony": o.Ceremony, "credential": assertion}
		if r := u.Do("POST", "/api/v1/auth/login/passkey/finish", finish); r.StatusCode != 200 || u.Cookie("tessera_session") == "" {
			t.Fatalf("second factor with the passkey: %d %s", r.StatusCode, r.Body)
		}
		// The list shows it with its authenticator's name and its last use.
		r := u.Do("GET", "/api/v1/credentials", nil)
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"kind":"passkey"`) || !strings.Contains(string(r.Body), `"authenticator":"Google Password Manager"`) ||
			strings.Contains(string(r.Body), `"lastUsedAt":null`) {
			t.Fatalf("credentials: %s", r.Body)
		}

		// Replayed: the same answer again (challenge and ceremony used), then the same
		// assertion in a new login's ceremony (its challenge is another).
		if r := s.Client().Do("POST", "/api/v1/auth/login/passkey/finish", finish); r.StatusCode != 401 {
			t.Fatalf("replayed answer: %d %s", r.StatusCode, r.Body)
		}
		c2 := s.Client()
		ch2 := passkeyChallenge(t, c2, "pia@example.com")
		o2 := beginPasskey(t, c2, "/api/v1/auth/login/passkey/begin", map[string]string{"challenge": ch2})
		if r := c2.Do("POST", "/api/v1/auth/login/passkey/finish", map[string]any{"challenge": ch2, "ceremony": o2.Ceremony, "credential": assertion}); r.StatusCode != 401 || r.ErrorCode() != "passkey_refused" {
			t.Fatalf("replayed assertion: %d %s", r.StatusCode, r.Body)
		}
		if r := c2.Do("POST", "/api/v1/auth/login/passkey/finish", map[string]any{"challenge": ch2, "ceremony": o2.Ceremony, "credential": a.get(t, o2.PublicKey, k)}); r.StatusCode != 401 || r.ErrorCode() != "passkey_expired" {
			t.Fatalf("a ceremony works once, even refused: %d %s", r.StatusCode, r.Body)
		}

		// Wrong origin: a page elsewhere that got hold of the options.
		c3 := s.Client()
		ch3 := passkeyChallenge(t, c3, "pia@example.com")
		o3 := beginPasskey(t, c3, "/api/v1/auth/login/passkey/begin", map[string]string{"challenge": ch3})
		evil := &softAuthenticator{origin: "https://login.example.net", keys: a.keys}
		if r := c3.Do("POST", "/api/v1/auth/login/passkey/finish", map[string]any{"challenge": ch3, "ceremony": o3.Ceremony, "credential": evil.get(t, o3.PublicKey, k)}); r.StatusCode != 401 || r.ErrorCode() != "passkey_refused" {
			t.Fatalf("wrong origin: %d %s", r.StatusCode, r.Body)
		}

		// Counter regression: a copy of the key still at an old count.
		c4 := s.Client()
		ch4 := passkeyChallenge(t, c4, "pia@example.com")
		o4 := beginPasskey(t, c4, "/api/v1/auth/login/passkey/begin", map[string]string{"challenge": ch4})
		if r := c4.Do("POST", "/api/v1/auth/login/passkey/finish", map[string]any{"challenge": ch4, "ceremony": o4.Ceremony, "credential": a.get(t, o4.PublicKey, k, 1)}); r.StatusCode != 401 || r.ErrorCode() != "passkey_refused" {
			t.Fatalf("counter regression: %d %s", r.StatusCode, r.Body)
		}
		events, err := s.App.Store.ListAudit(t.Context(), store.AuditFilter{Account: "pia@example.com", Action: "passkey_refused"})
		if err != nil || !anyReason(events, "sign counter did not increase") {
			t.Fatalf("counter regression not audited: %v %+v", err, events)
		}

		// Another account's passkey answers pia's login: refused.
		ba, bk, _ := passkeyUser(t, s, "bo@example.com")
		c5 := s.Client()
		ch5 := passkeyChallenge(t, c5, "pia@example.com")
		o5 := beginPasskey(t, c5, "/api/v1/auth/login/passkey/begin", map[string]string{"challenge": ch5})
		if r := c5.Do("POST", "/api/v1/auth/login/passkey/finish", map[string]any{"challenge": ch5, "ceremony": o5.Ceremony, "credential": ba.get(t, o5.PublicKey, bk)}); r.StatusCode != 401 || r.ErrorCode() != "passkey_refused" {
			t.Fatalf("another account's passkey: %d %s", r.StatusCode, r.Body)
		}

		// Deleted like any credential: listed no more, and its key opens nothing.
		if r := u.Do("DELETE", fmt.Sprintf("/api/v1/credentials/%d", id), nil); r.StatusCode != 204 {
			t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
		}
		if r := u.Do("GET", "/api/v1/credentials", nil); strings.Contains(string(r.Body), "passkey") {
			t.Fatalf("credentials after the delete: %s", r.Body)
		}
		o6 := beginPasskey(t, u, "/api/v1/auth/passkey/begin", nil)
		if r := s.Client().Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": o6.Ceremony, "credential": a.get(t, o6.PublicKey, k)}); r.StatusCode != 401 || r.ErrorCode() != "passkey_refused" {
			t.Fatalf("deleted passkey: %d %s", r.StatusCode, r.Body)
		}
	})
}

func TestPasskeyPasswordless(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b, apptest.Options{PublicURL: passkeyURL})
		a, k, _ := passkeyUser(t, s, "pia@example.com")
		ba, bk, _ := passkeyUser(t, s, "bo@example.com")

		c := s.Client()
		o := beginPasskey(t, c, "/api/v1/auth/passkey/begin", nil)
		if !strings.Contains(string(o.PublicKey), `"userVerification":"required"`) || strings.Contains(string(o.PublicKey), "allowCredentials") {
			t.Fatalf("request options: %s", o.PublicKey)
		}
		finish := map[string]any{"ceremony": o.Ceremony, "credential": a.get(t, o.PublicKey, k)}
		r := c.Do("POST", "/api/v1/auth/passkey/finish", finish)
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"email":"pia@example.com"`) || c.Cookie("tessera_session") == "" {
			t.Fatalf("passwordless: %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("GET", "/api/v1/me", nil); r.StatusCode != 200 {
			t.Fatalf("session of a passwordless sign-in: %d %s", r.StatusCode, r.Body)
		}
		if r := s.Client().Do("POST", "/api/v1/auth/passkey/finish", finish); r.StatusCode != 401 || r.ErrorCode() != "passkey_expired" {
			t.Fatalf("replayed passwordless: %d %s", r.StatusCode, r.Body)
		}

		// bo's key claiming to be pia's (her user handle): refused.
		o = beginPasskey(t, c, "/api/v1/auth/passkey/begin", nil)
		forged := *bk
		forged.userHandle = k.userHandle
		if r := s.Client().Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": o.Ceremony, "credential": ba.get(t, o.PublicKey, &forged)}); r.StatusCode != 401 || r.ErrorCode() != "passkey_refused" {
			t.Fatalf("another account's passkey with pia's handle: %d %s", r.StatusCode, r.Body)
		}
		// Wrong origin.
		o = beginPasskey(t, c, "/api/v1/auth/passkey/begin", nil)
		evil := &softAuthenticator{origin: "http://localhost:8081"}
		if r := s.Client().Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": o.Ceremony, "credential": evil.get(t, o.PublicKey, k)}); r.StatusCode != 401 || r.ErrorCode() != "passkey_refused" {
			t.Fatalf("wrong origin: %d %s", r.StatusCode, r.Body)
		}

		// The setting turned off for the domain: refused, with a clear code.
		adm := s.Client()
		adm.Login(admin, apptest.AdminPassword)
		if r := adm.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"passkeyLogin": false}); r.StatusCode != 200 || !strings.Contains(string(r.Body), `"passkeyLogin":false`) {
			t.Fatalf("domain passkeyLogin off: %d %s", r.StatusCode, r.Body)
		}
		o = beginPasskey(t, c, "/api/v1/auth/passkey/begin", nil)
		if r := s.Client().Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": o.Ceremony, "credential": a.get(t, o.PublicKey, k)}); r.StatusCode != 403 || r.ErrorCode() != "passkey_login_disabled" {
			t.Fatalf("passwordless turned off: %d %s", r.StatusCode, r.Body)
		}
		// Malformed answers are a 400, never a 500.
		o = beginPasskey(t, c, "/api/v1/auth/passkey/begin", nil)
		for _, bad := range []any{map[string]any{"ceremony": o.Ceremony}, map[string]any{"ceremony": o.Ceremony, "credential": map[string]string{"id": "x"}}} {
			if r := s.Client().Do("POST", "/api/v1/auth/passkey/finish", bad); r.StatusCode != 400 {
				t.Fatalf("malformed %v: %d %s", bad, r.StatusCode, r.Body)
			}
		}
	})
}

func anyReason(events []store.AuditEvent, part string) bool {
	for _, e := range events {
		if strings.Contains(e.Reason, part) {
			return true
		}
	}
	return false
}
