package httpapi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

type withProfile struct {
	Credential struct{ ID uint64 }
	Secret     struct {
		Password     string
		AppleProfile *struct {
			Token, URL, QRCode, ExpiresAt string
		}
	}
}

func createWithProfile(t *testing.T, c *apptest.Client, kind, label string) withProfile {
	t.Helper()
	r := c.Do("POST", "/api/v1/credentials", map[string]any{"kind": kind, "label": label, "appleProfile": true})
	if r.StatusCode != 201 {
		t.Fatalf("create %s: %d %s", kind, r.StatusCode, r.Body)
	}
	var out withProfile
	r.JSON(t, &out)
	return out
}

// checkProfile parses a profile with Python's plistlib and returns its lines.
func checkProfile(t *testing.T, body []byte) string {
	t.Helper()
	py := testenv.RequireTool(t, "python3", "python3")
	file := filepath.Join(t.TempDir(), "tessera.mobileconfig")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/check_mobileconfig.py", file).CombinedOutput()
	if err != nil {
		t.Fatalf("plistlib: %v\n%s", err, out)
	}
	return string(out)
}

// The Apple profile of a new application passcode and EAS password: made only when asked,
// downloaded once (with the owner's session or the one-time URL alone), never by another
// account, holding the payloads of the doors that are on.
func TestAppleProfile(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b, apptest.Options{PublicURL: "https://mail.example.com", Configure: func(c *config.Config) {
			c.IMAPListen, c.IMAPSListen = "127.0.0.1:1143", "127.0.0.1:1993"
			c.SubmissionListen = "127.0.0.1:1587"
		}})
		for _, e := range []string{"erin@example.com", "frank@example.com"} {
			if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: e, Password: testPw, Role: store.RoleUser}); err != nil {
				t.Fatal(err)
			}
		}
		erin, frank, phone := s.Client(), s.Client(), s.Client()
		erin.Login("erin@example.com", testPw)
		frank.Login("frank@example.com", testPw)

		pc := createWithProfile(t, erin, "app_passcode", "Laptop")
		ap := pc.Secret.AppleProfile
		if ap == nil || ap.URL != "https://mail.example.com/api/v1/apple-profiles/"+ap.Token {
			t.Fatalf("apple profile %+v", ap)
		}
		// Another account, signed in, gets nothing, and the profile stays for its owner.
		if r := frank.Do("GET", "/api/v1/me/apple-profiles/"+ap.Token, nil); r.StatusCode != 404 || r.ErrorCode() != "profile_gone" {
			t.Fatalf("other account: %d %s", r.StatusCode, r.Body)
		}
		if r := phone.Do("GET", "/api/v1/me/apple-profiles/"+ap.Token, nil); r.StatusCode != 401 {
			t.Fatalf("no session on /me: %d", r.StatusCode)
		}
		r := erin.Do("GET", "/api/v1/me/apple-profiles/"+ap.Token, nil)
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/x-apple-aspen-config" ||
			!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("download: %d %v %s", r.StatusCode, r.Header, r.Body)
		}
		got := checkProfile(t, r.Body)
		id := "com.example.mail.tessera.account"
		pw := pc.Secret.Password
		for _, want := range []string{
			"profile " + id,
			"com.apple.mail.managed EmailAccountType=EmailTypeIMAP EmailAddress=erin@example.com IncomingMailServerHostName=mail.example.com IncomingMailServerPortNumber=1993 IncomingMailServerUseSSL=True IncomingMailServerUsername=erin@example.com IncomingPassword=" + pw + " OutgoingMailServerHostName=mail.example.com OutgoingMailServerPortNumber=1587 OutgoingMailServerUseSSL=True OutgoingPassword=" + pw,
			"com.apple.caldav.account CalDAVHostName=mail.example.com CalDAVPort=443 CalDAVPrincipalURL=https://mail.example.com/dav/ CalDAVUseSSL=True CalDAVUsername=erin@example.com CalDAVPassword=" + pw,
			"com.apple.carddav.account CardDAVHostName=mail.example.com CardDAVPort=443 CardDAVPrincipalURL=https://mail.example.com/dav/ CardDAVUseSSL=True CardDAVUsername=erin@example.com CardDAVPassword=" + pw,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("profile lacks %q:\n%s", want, got)
			}
		}
		if !strings.Contains(got, ".credential"+strconv.FormatUint(pc.Credential.ID, 10)+" ") {
			t.Errorf("identifier not per credential:\n%s", got)
		}
		// Once: neither the owner nor the one-time URL gets it again.
		if r := erin.Do("GET", "/api/v1/me/apple-profiles/"+ap.Token, nil); r.StatusCode != 404 || r.ErrorCode() != "profile_gone" {
			t.Fatalf("second download: %d %s", r.StatusCode, r.Body)
		}
		if r := phone.Do("GET", "/api/v1/apple-profiles/"+ap.Token, nil); r.StatusCode != 404 || r.ErrorCode() != "profile_gone" {
			t.Fatalf("second download by URL: %d %s", r.StatusCode, r.Body)
		}

		// An EAS password's profile, fetched by a phone with the one-time URL only.
		eas := createWithProfile(t, erin, "eas", "iPhone")
		path := strings.TrimPrefix(eas.Secret.AppleProfile.URL, "https://mail.example.com")
		r = phone.Do("GET", path, nil)
		if r.StatusCode != 200 {
			t.Fatalf("phone download: %d %s", r.StatusCode, r.Body)
		}
		got = checkProfile(t, r.Body)
		if want := "com.apple.eas.account Host=mail.example.com SSL=True EmailAddress=erin@example.com UserName=erin@example.com Password=" + eas.Secret.Password; !strings.Contains(got, want) || strings.Count(got, "\n") != 2 {
			t.Fatalf("eas profile lacks %q:\n%s", want, got)
		}
		if r := phone.Do("GET", path, nil); r.StatusCode != 404 {
			t.Fatalf("phone second download: %d", r.StatusCode)
		}

		// Only when asked, and only for the kinds that have a password.
		if r := erin.Do("POST", "/api/v1/credentials", map[string]any{"kind": "app_passcode", "label": "Plain"}); r.StatusCode != 201 ||
			strings.Contains(string(r.Body), "appleProfile") {
			t.Fatalf("not asked for: %d %s", r.StatusCode, r.Body)
		}
		if otp := createWithProfile(t, erin, "otp", "Phone OTP"); otp.Secret.AppleProfile != nil {
			t.Fatal("an OTP entry has no Apple profile")
		}
		// Deleting the credential deletes its waiting profile.
		gone := createWithProfile(t, erin, "app_passcode", "Short-lived")
		if r := erin.Do("DELETE", "/api/v1/credentials/"+strconv.FormatUint(gone.Credential.ID, 10), nil); r.StatusCode != 204 {
			t.Fatalf("delete: %d", r.StatusCode)
		}
		if r := phone.Do("GET", "/api/v1/apple-profiles/"+gone.Secret.AppleProfile.Token, nil); r.StatusCode != 404 {
			t.Fatalf("deleted credential's profile: %d", r.StatusCode)
		}
		if r := phone.Do("GET", "/api/v1/apple-profiles/..%2F..", nil); r.StatusCode != 404 {
			t.Fatalf("odd token: %d", r.StatusCode)
		}
	})
}

// The QR code beside the profile decodes, with zbarimg, to the one-time URL.
func TestAppleProfileQRCode(t *testing.T) {
	zbar := testenv.RequireTool(t, "zbarimg", "zbar-tools")
	s := apptest.Start(t, sqlite(t), apptest.Options{PublicURL: "https://mail.example.com"})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	ap := createWithProfile(t, c, "eas", "iPhone").Secret.AppleProfile
	file := filepath.Join(t.TempDir(), "qr.png")
	writeDataURL(t, ap.QRCode, file)
	out, err := exec.Command(zbar, "-q", "--raw", file).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := strings.TrimRight(string(out), "\n"); got != ap.URL {
		t.Fatalf("QR decodes to %q, want %q", got, ap.URL)
	}
}
