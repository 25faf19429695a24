package httpapi_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

type otpSecret struct {
	Credential struct {
		ID                  uint64
		Status, Description string
		ExpiresAt           *time.Time
	}
	Secret struct {
		OTPAuthURL, Secret, QRCode string
		PINCodes                   []string
	}
}

// clock is the OTP service's time in a test: TOTP steps on demand, no sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) step()          { c.mu.Lock(); c.t = c.t.Add(30 * time.Second); c.mu.Unlock() }

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// enrol creates and confirms an OTP entry for the logged-in client.
func enrol(t *testing.T, c *apptest.Client, clk *clock, label string) otpSecret {
	t.Helper()
	r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "otp", "label": label})
	var o otpSecret
	r.JSON(t, &o)
	if r.StatusCode != 201 || o.Credential.Status != "pending" || len(o.Secret.PINCodes) != 10 || !strings.HasPrefix(o.Secret.OTPAuthURL, "otpauth://totp/") ||
		o.Credential.ExpiresAt == nil || o.Credential.ExpiresAt.Before(time.Now().Add(59*time.Minute)) {
		t.Fatalf("create otp (pending, discarded in an hour): %d %s", r.StatusCode, r.Body)
	}
	if r := c.Do("POST", fmt.Sprintf("/api/v1/credentials/%d/confirm", o.Credential.ID), map[string]string{"code": "000000"}); r.StatusCode != 400 || r.ErrorCode() != "invalid_code" {
		t.Fatalf("confirm with a wrong code: %d %s", r.StatusCode, r.Body)
	}
	r = c.Do("POST", fmt.Sprintf("/api/v1/credentials/%d/confirm", o.Credential.ID), map[string]string{"code": codeAt(t, o.Secret.Secret, clk.now())})
	if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"status":"enabled"`) || !strings.Contains(string(r.Body), `"expiresAt":null`) {
		t.Fatalf("confirm: %d %s", r.StatusCode, r.Body)
	}
	clk.step()
	return o
}

func startWithClock(t *testing.T, b storetest.Backend) (*apptest.Server, *clock) {
	s := apptest.Start(t, b)
	clk := &clock{t: time.Now().Truncate(30 * time.Second)}
	s.App.OTP.WithClock(clk.now)
	return s, clk
}

func loginChallenge(t *testing.T, c *apptest.Client, pw string) string {
	t.Helper()
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": pw})
	var body struct {
		TwoFactorRequired bool
		Challenge         string
		Account           any
	}
	r.JSON(t, &body)
	if r.StatusCode != 200 || !body.TwoFactorRequired || body.Challenge == "" || body.Account != nil || c.Cookie("tessera_session") != "" {
		t.Fatalf("login with 2FA on: %d %s", r.StatusCode, r.Body)
	}
	return body.Challenge
}

func TestTwoFactorLogin(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s, clk := startWithClock(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		if r := c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true}); r.StatusCode != 409 || r.ErrorCode() != "no_otp" {
			t.Fatalf("2FA on without an entry: %d %s", r.StatusCode, r.Body)
		}
		o := enrol(t, c, clk, "Phone")
		if o.Credential.Description != "Tessera: admin@example.com" {
			t.Fatalf("description = %q", o.Credential.Description)
		}
		if r := c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true}); r.StatusCode != 200 || !strings.Contains(string(r.Body), `"enabled":true`) {
			t.Fatalf("2FA on: %d %s", r.StatusCode, r.Body)
		}
		c.Do("POST", "/api/v1/auth/logout", nil)

		// TOTP.
		u := s.Client()
		ch := loginChallenge(t, u, apptest.AdminPassword)
		code := codeAt(t, o.Secret.Secret, clk.now())
		r := u.Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": code})
		if r.StatusCode != 200 || u.Cookie("tessera_session") == "" {
			t.Fatalf("second factor: %d %s", r.StatusCode, r.Body)
		}
		if r := u.Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": code}); r.StatusCode != 401 || r.ErrorCode() != "challenge_expired" {
			t.Fatalf("challenge used twice: %d %s", r.StatusCode, r.Body)
		}
		// The same time step again, through a new login: a replay.
		ch = loginChallenge(t, s.Client(), apptest.AdminPassword)
		if r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": code}); r.StatusCode != 401 || r.ErrorCode() != "code_already_used" {
			t.Fatalf("replayed TOTP: %d %s", r.StatusCode, r.Body)
		}
		// PIN codes: spaces and dashes ignored, either case, single use.
		pin := o.Secret.PINCodes[3]
		ch = loginChallenge(t, s.Client(), apptest.AdminPassword)
		if r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": strings.ToLower(pin[:4] + "-" + pin[4:])}); r.StatusCode != 200 {
			t.Fatalf("PIN: %d %s", r.StatusCode, r.Body)
		}
		ch = loginChallenge(t, s.Client(), apptest.AdminPassword)
		if r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": pin}); r.StatusCode != 401 || r.ErrorCode() != "invalid_code" {
			t.Fatalf("reused PIN: %d %s", r.StatusCode, r.Body)
		}
		// With 2FA on, the account password no longer opens EAS.
		if code := eastest.OptionsStatus(t, s, admin, apptest.AdminPassword); code != 401 {
			t.Fatalf("EAS with the account password under 2FA: %d", code)
		}
		// The list shows the entry with its failed attempts (the two refusals above).
		var list struct {
			Items []struct {
				Kind           string
				FailedAttempts int
				Status         string
			}
		}
		full := s.Client()
		ch = loginChallenge(t, full, apptest.AdminPassword)
		clk.step()
		full.Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": ch, "code": codeAt(t, o.Secret.Secret, clk.now())})
		full.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Status != "enabled" || list.Items[0].FailedAttempts != 0 {
			t.Fatalf("list after a success: %+v", list.Items)
		}
	})
}

// Two logins racing with the same PIN: exactly one gets in.
func TestPINSingleUseUnderConcurrency(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s, clk := startWithClock(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		o := enrol(t, c, clk, "Phone")
		c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true})
		const n = 8
		challenges := make([]string, n)
		for i := range challenges {
			challenges[i] = loginChallenge(t, s.Client(), apptest.AdminPassword)
		}
		var wg sync.WaitGroup
		codes := make([]int, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r := s.Client().Do("POST", "/api/v1/auth/login/second-factor", map[string]string{"challenge": challenges[i], "code": o.Secret.PINCodes[0]})
				codes[i] = r.StatusCode
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, code := range codes {
			if code == 200 {
				ok++
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d concurrent logins passed with one PIN: %v", ok, n, codes)
		}
	})
}

// A code from oathtool, an implementation nobody here wrote, is accepted.
func TestOathtoolCodeAccepted(t *testing.T) {
	oathtool := testenv.RequireTool(t, "oathtool", "oathtool")
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "otp", "label": "Phone"})
	var o otpSecret
	r.JSON(t, &o)
	out, err := exec.Command(oathtool, "--totp", "-b", o.Secret.Secret).Output()
	if err != nil {
		t.Fatal(err)
	}
	r = c.Do("POST", fmt.Sprintf("/api/v1/credentials/%d/confirm", o.Credential.ID), map[string]string{"code": strings.TrimSpace(string(out))})
	if r.StatusCode != 200 {
		t.Fatalf("oathtool code: %d %s", r.StatusCode, r.Body)
	}
	// The QR code holds the same otpauth:// URL (zbarimg, when installed).
	if zbar := testenv.OptionalTool(t, "zbarimg", "zbar-tools"); zbar != "" {
		file := filepath.Join(t.TempDir(), "otp.png")
		writeDataURL(t, o.Secret.QRCode, file)
		got, err := exec.Command(zbar, "-q", "--raw", file).Output()
		if err != nil || strings.TrimSpace(string(got)) != o.Secret.OTPAuthURL {
			t.Fatalf("QR decodes to %q (%v), want %q", got, err, o.Secret.OTPAuthURL)
		}
	}
}

func TestPolicyRequiresEnrolment(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s, clk := startWithClock(t, b)
		if err := s.App.Policy.Set(t.Context(), policy.LevelDomain, "example.com", policy.Required); err != nil {
			t.Fatal(err)
		}
		c := s.Client()
		r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": admin, "password": apptest.AdminPassword})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"enrolmentRequired":true`) || c.Cookie("tessera_session") == "" {
			t.Fatalf("login under a policy that requires 2FA: %d %s", r.StatusCode, r.Body)
		}
		// The restricted session can enrol and nothing else.
		if r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "Brand-New-Pass-42"}); r.StatusCode != 403 || r.ErrorCode() != "enrolment_required" {
			t.Fatalf("password change in an enrolment session: %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "eas", "label": "Phone"}); r.StatusCode != 403 {
			t.Fatalf("EAS password in an enrolment session: %d %s", r.StatusCode, r.Body)
		}
		var tf struct {
			Enabled  bool
			LockedBy *string
		}
		c.Do("GET", "/api/v1/me/two-factor", nil).JSON(t, &tf)
		if !tf.Enabled || tf.LockedBy == nil || *tf.LockedBy != "domain" {
			t.Fatalf("two-factor state = %+v", tf)
		}
		enrol(t, c, clk, "Phone") // confirming upgrades the session
		if r := c.Do("GET", "/api/v1/me/password-policy", nil); r.StatusCode != 200 {
			t.Fatalf("after enrolment the session is full: %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": false}); r.StatusCode != 409 || r.ErrorCode() != "policy_locked" {
			t.Fatalf("turning off what the domain requires: %d %s", r.StatusCode, r.Body)
		}
		// The next login asks for the second factor.
		loginChallenge(t, s.Client(), apptest.AdminPassword)
		// A COS that forbids 2FA wins over the domain: no second factor.
		if _, err := s.App.Accounts.CreateCOS(t.Context(), "test", "relaxed"); err != nil {
			t.Fatal(err)
		}
		s.App.Store.Gorm().Exec("UPDATE accounts SET cos_id = (SELECT id FROM cos WHERE name = 'relaxed')")
		if err := s.App.Policy.Set(t.Context(), policy.LevelCOS, "relaxed", policy.Forbidden); err != nil {
			t.Fatal(err)
		}
		s.Client().Login(admin, apptest.AdminPassword)
		if code := eastest.OptionsStatus(t, s, admin, apptest.AdminPassword); code != 200 {
			t.Fatalf("EAS with the account password when the COS forbids 2FA: %d", code)
		}
	})
}

func TestLockAfterTenFailures(t *testing.T) {
	s, clk := startWithClock(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	o := enrol(t, c, clk, "Phone")
	enrol(t, c, clk, "Tablet")
	acct, _ := s.App.Store.AccountByEmail(t.Context(), admin)
	for i := 0; i < 9; i++ {
		if err := s.App.OTP.Verify(t.Context(), acct, "000000", "192.0.2.1"); err == nil {
			t.Fatal("wrong code accepted")
		}
	}
	var list struct {
		Items []struct {
			Label          string
			Status         string
			FailedAttempts int
		}
	}
	c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
	for _, it := range list.Items {
		if it.Status != "enabled" || it.FailedAttempts != 9 {
			t.Fatalf("after 9 failures: %+v", list.Items)
		}
	}
	s.App.OTP.Verify(t.Context(), acct, "000000", "192.0.2.1")
	c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
	for _, it := range list.Items {
		if it.Status != "locked" || it.FailedAttempts != 10 {
			t.Fatalf("after 10 failures: %+v", list.Items)
		}
	}
	// A locked entry's codes no longer work, PINs included.
	if err := s.App.OTP.Verify(t.Context(), acct, codeAt(t, o.Secret.Secret, clk.now()), ""); err == nil {
		t.Fatal("locked entry's TOTP accepted")
	}
	if err := s.App.OTP.Verify(t.Context(), acct, o.Secret.PINCodes[0], ""); err == nil {
		t.Fatal("locked entry's PIN accepted")
	}
}

func TestPinSheet(t *testing.T) {
	s, clk := startWithClock(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	o := enrol(t, c, clk, "Phone — Authenticator")
	other := enrol(t, c, clk, "Tablet")
	url := "/api/v1/credentials/" + strconv.FormatUint(o.Credential.ID, 10) + "/pin-sheet"
	r := c.Do("POST", url, map[string]any{"pinCodes": o.Secret.PINCodes})
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.Body), "%PDF-") {
		t.Fatalf("pin sheet: %d %s %.20q", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	if pdftotext := testenv.OptionalTool(t, "pdftotext", "poppler-utils"); pdftotext != "" {
		file := filepath.Join(t.TempDir(), "sheet.pdf")
		os.WriteFile(file, r.Body, 0o600)
		out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(out), " ", "")
		for _, want := range append([]string{admin, "Phone—Authenticator"}, o.Secret.PINCodes...) {
			if !strings.Contains(text, want) {
				t.Errorf("sheet text lacks %q", want)
			}
		}
	}
	for name, codes := range map[string][]string{
		"another entry's PIN": {other.Secret.PINCodes[0]},
		"made-up code":        {"ABCDEFGH"},
		"none":                {},
		"duplicates":          {o.Secret.PINCodes[0], o.Secret.PINCodes[0]},
	} {
		if r := c.Do("POST", url, map[string]any{"pinCodes": codes}); r.StatusCode != 400 || r.ErrorCode() != "invalid_pin_codes" {
			t.Errorf("%s: %d %s", name, r.StatusCode, r.Body)
		}
	}
	// A PIN that was used can no longer be printed.
	acct, _ := s.App.Store.AccountByEmail(t.Context(), admin)
	c.Do("PUT", "/api/v1/me/two-factor", map[string]bool{"enabled": true})
	if err := s.App.OTP.Verify(t.Context(), acct, o.Secret.PINCodes[0], ""); err != nil {
		t.Fatal(err)
	}
	if r := c.Do("POST", url, map[string]any{"pinCodes": o.Secret.PINCodes}); r.StatusCode != 400 {
		t.Fatalf("sheet with a used PIN: %d", r.StatusCode)
	}
	if r := c.Do("POST", url+"?paper=letter", map[string]any{"pinCodes": o.Secret.PINCodes[1:]}); r.StatusCode != 200 {
		t.Fatalf("letter sheet of the unused PINs: %d %s", r.StatusCode, r.Body)
	}
	if r := c.Do("POST", url+"?paper=a3", map[string]any{"pinCodes": o.Secret.PINCodes[1:]}); r.StatusCode != 400 {
		t.Fatalf("unknown paper: %d", r.StatusCode)
	}
}

func TestPendingEntriesDiscardedAfterAnHour(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "otp", "label": "Never confirmed"})
	s.App.Housekeep(t.Context())
	var list struct{ Items []any }
	if c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list); len(list.Items) != 1 {
		t.Fatalf("a fresh pending entry was discarded: %v", list.Items)
	}
	s.App.Store.Gorm().Exec("UPDATE credentials SET created_at = ?", time.Now().Add(-61*time.Minute).UTC())
	s.App.Housekeep(t.Context())
	if c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list); len(list.Items) != 0 {
		t.Fatalf("an hour-old pending entry survived: %v", list.Items)
	}
	var pins int64
	s.App.Store.Gorm().Table("pin_codes").Count(&pins)
	if pins != 0 {
		t.Fatalf("%d PIN codes of discarded entries left", pins)
	}
}
