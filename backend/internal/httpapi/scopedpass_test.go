package httpapi_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

type listedPasscode struct {
	ID              uint64
	Kind, Label     string
	Services        []string
	ExpiresAt       *time.Time
	LastUsedAt      *time.Time
	LastUsedAddress string
}

// A passcode made with doors and an expiry lists them; its last use shows when and from
// where; bad scopes are 400s, and only a passcode takes one.
func TestScopedPasscodeAPI(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		r := c.Do("POST", "/api/v1/credentials", map[string]any{"kind": "app_passcode", "label": "Thunderbird", "services": []string{"smtp", "imap"}, "expiresInDays": 90})
		var made struct {
			Credential listedPasscode
			Secret     struct{ Password string }
		}
		r.JSON(t, &made)
		if r.StatusCode != 201 || strings.Join(made.Credential.Services, ",") != "imap,smtp" || made.Credential.ExpiresAt == nil ||
			made.Credential.ExpiresAt.Before(time.Now().Add(89*24*time.Hour)) || made.Credential.LastUsedAddress != "" {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		r = c.Do("POST", "/api/v1/credentials", map[string]any{"kind": "app_passcode", "label": "Default"})
		r.JSON(t, &made)
		if r.StatusCode != 201 || strings.Join(made.Credential.Services, ",") != "imap,pop3,smtp,caldav,carddav" || made.Credential.ExpiresAt != nil {
			t.Fatalf("create with the defaults: %d %s", r.StatusCode, r.Body)
		}
		for name, body := range map[string]map[string]any{
			"no door":        {"kind": "app_passcode", "label": "A", "services": []string{}},
			"web door":       {"kind": "app_passcode", "label": "B", "services": []string{"web"}},
			"7 days":         {"kind": "app_passcode", "label": "C", "expiresInDays": 7},
			"scoped eas pwd": {"kind": "eas", "label": "D", "services": []string{"eas"}},
			"expiring otp":   {"kind": "otp", "label": "E", "expiresInDays": 30},
		} {
			if r := c.Do("POST", "/api/v1/credentials", body); r.StatusCode != 400 {
				t.Errorf("%s: %d %s", name, r.StatusCode, r.Body)
			}
		}
		if _, err := s.App.Authn.Authenticate(t.Context(), authn.Request{Service: authn.POP3, Username: admin, Secret: made.Secret.Password, ClientIP: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
		var list struct{ Items []listedPasscode }
		c.Do("GET", "/api/v1/credentials", nil).JSON(t, &list)
		found := false
		for _, it := range list.Items {
			if it.Label == "Default" {
				found = true
				if it.LastUsedAddress != "203.0.113.9" || it.LastUsedAt == nil {
					t.Errorf("after a POP3 login from 203.0.113.9: %+v", it)
				}
			} else if it.LastUsedAddress != "" {
				t.Errorf("%s never used, has address %q", it.Label, it.LastUsedAddress)
			}
		}
		if !found {
			t.Fatalf("list: %+v", list.Items)
		}
		// The admin's view shows the same, and the admin may narrow the doors, never widen them.
		r = c.Do("PATCH", fmt.Sprintf("/api/v1/admin/credentials/%d", made.Credential.ID), map[string]any{"services": []string{"imap", "eas"}})
		if r.StatusCode != 400 {
			t.Errorf("widen to eas: %d %s", r.StatusCode, r.Body)
		}
		r = c.Do("PATCH", fmt.Sprintf("/api/v1/admin/credentials/%d", made.Credential.ID), map[string]any{"services": []string{"imap"}})
		var patched listedPasscode
		r.JSON(t, &patched)
		if r.StatusCode != 200 || strings.Join(patched.Services, ",") != "imap" || patched.LastUsedAddress != "203.0.113.9" {
			t.Errorf("narrow to imap: %d %s", r.StatusCode, r.Body)
		}
		if _, err := s.App.Authn.Authenticate(t.Context(), authn.Request{Service: authn.POP3, Username: admin, Secret: made.Secret.Password, ClientIP: "203.0.113.9"}); err == nil {
			t.Error("the narrowed passcode still opens POP3")
		}
	})
}

// New PIN codes replace an entry's unused ones: the old stop at once, the new work once, the
// list counts them, and the sheet prints them.
func TestRenewPINCodes(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s, clk := startWithClock(t, b)
		c := s.Client()
		c.Login(admin, apptest.AdminPassword)
		o := enrol(t, c, clk, "Phone")
		acct, err := s.App.Store.AccountForAuth(t.Context(), admin)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.App.OTP.Verify(t.Context(), acct, o.Secret.PINCodes[0], ""); err != nil {
			t.Fatalf("an old PIN before renewal: %v", err)
		}
		path := fmt.Sprintf("/api/v1/credentials/%d/pin-codes", o.Credential.ID)
		r := c.Do("POST", path, nil)
		var renewed struct {
			Credential struct{ PINCodesLeft int }
			Secret     struct{ PINCodes []string }
		}
		r.JSON(t, &renewed)
		if r.StatusCode != 200 || len(renewed.Secret.PINCodes) != 10 || renewed.Credential.PINCodesLeft != 10 {
			t.Fatalf("renew: %d %s", r.StatusCode, r.Body)
		}
		if got := otpByLabel(t, c, "/api/v1/credentials")["Phone"]; got.PINCodesLeft == nil || *got.PINCodesLeft != 10 {
			t.Fatalf("listed after renewal: %+v", got)
		}
		for _, old := range o.Secret.PINCodes[1:3] {
			if err := s.App.OTP.Verify(t.Context(), acct, old, ""); err == nil {
				t.Errorf("old PIN %s accepted after renewal", old)
			}
		}
		if err := s.App.OTP.Verify(t.Context(), acct, renewed.Secret.PINCodes[0], ""); err != nil {
			t.Errorf("new PIN refused: %v", err)
		}
		if err := s.App.OTP.Verify(t.Context(), acct, renewed.Secret.PINCodes[0], ""); err == nil {
			t.Error("new PIN accepted twice")
		}
		sheet := fmt.Sprintf("/api/v1/credentials/%d/pin-sheet", o.Credential.ID)
		if r := c.Do("POST", sheet, map[string]any{"pinCodes": o.Secret.PINCodes[3:]}); r.StatusCode != 400 {
			t.Errorf("sheet of the old codes: %d", r.StatusCode)
		}
		r = c.Do("POST", sheet, map[string]any{"pinCodes": renewed.Secret.PINCodes[1:]})
		if r.StatusCode != 200 || !strings.HasPrefix(string(r.Body), "%PDF-") {
			t.Fatalf("sheet of the new codes: %d %.40q", r.StatusCode, r.Body)
		}
		pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
		file := filepath.Join(t.TempDir(), "sheet.pdf")
		if err := os.WriteFile(file, r.Body, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(out), " ", "")
		for _, want := range renewed.Secret.PINCodes[1:] {
			if !strings.Contains(text, want) {
				t.Errorf("sheet lacks the new code %s", want)
			}
		}
		for _, old := range o.Secret.PINCodes {
			if strings.Contains(text, old) {
				t.Errorf("sheet shows the old code %s", old)
			}
		}
		// Someone else's entry, an unknown id, a pending entry.
		other := s.Client()
		if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "bob@example.com", Password: testPw}); err != nil {
			t.Fatal(err)
		}
		other.Login("bob@example.com", testPw)
		if r := other.Do("POST", path, nil); r.StatusCode != 404 {
			t.Errorf("bob renewing the admin's codes: %d", r.StatusCode)
		}
		if r := c.Do("POST", "/api/v1/credentials/999999/pin-codes", nil); r.StatusCode != 404 {
			t.Errorf("unknown id: %d", r.StatusCode)
		}
		pending := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "otp", "label": "Later"})
		var p otpSecret
		pending.JSON(t, &p)
		if r := c.Do("POST", fmt.Sprintf("/api/v1/credentials/%d/pin-codes", p.Credential.ID), nil); r.StatusCode != 400 {
			t.Errorf("pending entry: %d %s", r.StatusCode, r.Body)
		}
	})
}

// With TESSERA_BREACHED_PASSWORDS_FILE, a change to a password of the list is a 400
// weak_password with the rule breached_password; one not in the list goes through.
func TestChangeToBreachedPassword(t *testing.T) {
	s := apptest.Start(t, sqlite(t), apptest.Options{Configure: func(c *config.Config) {
		c.BreachedPasswordsFile = filepath.Join("..", "password", "testdata", "pwned-sample.txt")
	}})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "Summer-Breach-2024!"})
	if r.StatusCode != 400 || r.ErrorCode() != "weak_password" || strings.Join(rules(t, r), ",") != "breached_password" ||
		!strings.Contains(string(r.Body), "data breaches (3 times)") {
		t.Fatalf("breached password: %d %s", r.StatusCode, r.Body)
	}
	if r := c.Do("PUT", "/api/v1/me/password", map[string]string{"currentPassword": apptest.AdminPassword, "newPassword": "Harbor-Lantern-Pass-84"}); r.StatusCode != 204 {
		t.Fatalf("a password not in the list: %d %s", r.StatusCode, r.Body)
	}
}
