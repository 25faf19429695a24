package httpapi_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type otpListed struct {
	ID           uint64
	Label        string
	LastUsedAt   *time.Time
	PINCodesLeft *int
}

// otpByLabel lists the OTP entries a list route answers, by label.
func otpByLabel(t *testing.T, c *apptest.Client, path string) map[string]otpListed {
	t.Helper()
	var list struct {
		Items []struct {
			otpListed
			Kind string
		}
	}
	if r := c.Do("GET", path, nil); r.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
	} else {
		r.JSON(t, &list)
	}
	out := map[string]otpListed{}
	for _, it := range list.Items {
		if it.Kind == "otp" {
			out[it.Label] = it.otpListed
		} else if it.PINCodesLeft != nil {
			t.Errorf("%s %q has pinCodesLeft", it.Kind, it.Label)
		}
	}
	return out
}

// A TOTP login and a PIN login each record the last use of the entry whose code matched, and
// only that one; the PIN login leaves one PIN code fewer. The user's list and the admin's show it.
func TestSecondFactorRecordsUseAndPINsLeft(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s, clk := startWithClock(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		phone := enrol(t, c, clk, "Phone")
		tablet := enrol(t, c, clk, "Tablet")
		if r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "eas", "label": "Car"}); r.StatusCode != 201 {
			t.Fatalf("eas: %d %s", r.StatusCode, r.Body)
		}
		for label, e := range otpByLabel(t, c, "/api/v1/credentials") {
			if e.LastUsedAt != nil || e.PINCodesLeft == nil || *e.PINCodesLeft != 10 {
				t.Fatalf("%s before any login: %+v", label, e)
			}
		}
		c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true})

		// TOTP of the tablet: the tablet's last use is now, the phone's still never.
		clk.step()
		totpAt := clk.now()
		u := s.Client()
		ch := loginChallenge(t, u, apptest.AdminPassword)
		if r := u.Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": codeAt(t, tablet.Secret.Secret, totpAt)}); r.StatusCode != 200 {
			t.Fatalf("TOTP login: %d %s", r.StatusCode, r.Body)
		}
		got := otpByLabel(t, u, "/api/v1/credentials")
		if e := got["Tablet"]; e.LastUsedAt == nil || !e.LastUsedAt.Equal(totpAt) || *e.PINCodesLeft != 10 {
			t.Fatalf("tablet after its TOTP login (at %v): %+v", totpAt, e)
		}
		if e := got["Phone"]; e.LastUsedAt != nil || *e.PINCodesLeft != 10 {
			t.Fatalf("phone after the tablet's TOTP login: %+v", e)
		}

		// A PIN of the phone, a minute later: the phone's last use, one PIN code fewer.
		clk.step()
		clk.step()
		pinAt := clk.now()
		ch = loginChallenge(t, s.Client(), apptest.AdminPassword)
		if r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": phone.Secret.PINCodes[2]}); r.StatusCode != 200 {
			t.Fatalf("PIN login: %d %s", r.StatusCode, r.Body)
		}
		for _, path := range []string{"/api/v1/credentials", "/api/v1/admin/accounts/" + url.PathEscape(admin) + "/credentials"} {
			got = otpByLabel(t, u, path)
			if e := got["Phone"]; e.LastUsedAt == nil || !e.LastUsedAt.Equal(pinAt) || *e.PINCodesLeft != 9 {
				t.Fatalf("%s: phone after its PIN login (at %v): %+v", path, pinAt, e)
			}
			if e := got["Tablet"]; e.LastUsedAt == nil || !e.LastUsedAt.Equal(totpAt) || *e.PINCodesLeft != 10 {
				t.Fatalf("%s: tablet after the phone's PIN login: %+v", path, e)
			}
		}

		// A used PIN and a wrong code change neither.
		for _, code := range []string{phone.Secret.PINCodes[2], "000000"} {
			ch = loginChallenge(t, s.Client(), apptest.AdminPassword)
			if r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": code}); r.StatusCode != 401 || r.ErrorCode() != "invalid_code" {
				t.Fatalf("%s: %d %s", code, r.StatusCode, r.Body)
			}
		}
		if e := otpByLabel(t, u, "/api/v1/credentials")["Phone"]; !e.LastUsedAt.Equal(pinAt) || *e.PINCodesLeft != 9 {
			t.Fatalf("phone after refused codes: %+v", e)
		}
	})
}

// A TOTP code of a time step already used is told apart from a wrong one, after the password
// step only; it still counts as a failed attempt.
func TestReplayedTOTPSaysAlreadyUsed(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s, clk := startWithClock(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		o := enrol(t, c, clk, "Phone")
		c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true})
		code := codeAt(t, o.Secret.Secret, clk.now())
		ch := loginChallenge(t, s.Client(), apptest.AdminPassword)
		if r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": code}); r.StatusCode != 200 {
			t.Fatalf("first use: %d %s", r.StatusCode, r.Body)
		}
		ch = loginChallenge(t, s.Client(), apptest.AdminPassword)
		r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": code})
		if r.StatusCode != 401 || r.ErrorCode() != "code_already_used" {
			t.Fatalf("replayed TOTP: %d %s", r.StatusCode, r.Body)
		}
		// A wrong code is still invalid_code.
		ch = loginChallenge(t, s.Client(), apptest.AdminPassword)
		if r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": "000000"}); r.StatusCode != 401 || r.ErrorCode() != "invalid_code" {
			t.Fatalf("wrong TOTP: %d %s", r.StatusCode, r.Body)
		}
		// Without the password nobody reaches the second step: a wrong password is what it was.
		if r := s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": "wrong-password"}); r.StatusCode != 401 || r.ErrorCode() != "invalid_credentials" {
			t.Fatalf("wrong password: %d %s", r.StatusCode, r.Body)
		}
		if e := otpByLabel(t, c, "/api/v1/credentials")["Phone"]; e.ID != o.Credential.ID {
			t.Fatalf("entry: %+v", e)
		}
		var list struct {
			Items []struct{ FailedAttempts int }
		}
		c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].FailedAttempts != 2 {
			t.Fatalf("the replay and the wrong code count as failures: %+v", list.Items)
		}
	})
}
