package httpapi_test

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type mailSettingsBody struct {
	Username string `json:"username"`
	Servers  []struct {
		Protocol, Host, Security, Username string
		Port                               int
	} `json:"servers"`
	Certificate *struct {
		SelfSigned bool   `json:"selfSigned"`
		SHA256     string `json:"sha256"`
	} `json:"certificate"`
	DAV *string `json:"dav"`
}

// The settings a user types into a mail app: every door that is on, with the public URL's
// host, the account's own address and the fingerprint of the certificate the doors present.
func TestMailSettings(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		var dataDir string
		s := apptest.Start(t, b, apptest.Options{PublicURL: "https://mail.example.com", Configure: func(c *config.Config) {
			c.IMAPListen, c.IMAPSListen = "127.0.0.1:1143", "127.0.0.1:1993"
			c.SubmissionListen, c.SubmissionsListen = "0.0.0.0:1587", "0.0.0.0:1465"
			c.POP3SListen = "127.0.0.1:1995" // POP3 with STLS stays off
			dataDir = c.DataDir
		}})
		if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "erin@example.com", Password: testPw, Role: store.RoleUser}); err != nil {
			t.Fatal(err)
		}
		if r := s.Client().Do("GET", "/api/v1/me/mail-settings", nil); r.StatusCode != 401 {
			t.Fatalf("without a session: %d", r.StatusCode)
		}
		c := s.Client()
		c.Login("erin@example.com", testPw)
		r := c.Do("GET", "/api/v1/me/mail-settings", nil)
		if r.StatusCode != 200 {
			t.Fatalf("%d %s", r.StatusCode, r.Body)
		}
		var got mailSettingsBody
		r.JSON(t, &got)
		var lines []string
		for _, sv := range got.Servers {
			if sv.Host != "mail.example.com" || sv.Username != "erin@example.com" {
				t.Errorf("server %+v", sv)
			}
			lines = append(lines, fmt.Sprintf("%s %d %s", sv.Protocol, sv.Port, sv.Security))
		}
		want := "imap 1993 tls, imap 1143 starttls, pop3 1995 tls, smtp 1465 tls, smtp 1587 starttls"
		if strings.Join(lines, ", ") != want || got.Username != "erin@example.com" {
			t.Fatalf("got %s (%s), want %s", strings.Join(lines, ", "), got.Username, want)
		}
		// Calendar and contacts apps start discovery at the public URL's /dav/.
		if got.DAV == nil || !strings.HasSuffix(*got.DAV, "/dav/") || !strings.HasPrefix(*got.DAV, "http") {
			t.Fatalf("dav %v", got.DAV)
		}
		// The fingerprint is the one of the certificate file the doors serve.
		pemBytes, err := os.ReadFile(filepath.Join(dataDir, "tls-cert.pem"))
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(pemBytes)
		sum := sha256.Sum256(block.Bytes)
		if got.Certificate == nil || !got.Certificate.SelfSigned || got.Certificate.SHA256 != colonHex(sum[:]) {
			t.Fatalf("certificate %+v, file's SHA-256 %s", got.Certificate, colonHex(sum[:]))
		}
		// The doors' TLS configuration presents that same certificate.
		m, err := s.App.MailTLS()
		if err != nil {
			t.Fatal(err)
		}
		cert, err := m.Config().GetCertificate(&tls.ClientHelloInfo{})
		if err != nil || colonHex(sha256Of(cert.Certificate[0])) != got.Certificate.SHA256 {
			t.Fatalf("served certificate differs: %v", err)
		}
	})
}

// Without doors there is nothing to type in: no servers and no certificate (none generated).
func TestMailSettingsNoDoors(t *testing.T) {
	var dataDir string
	s := apptest.Start(t, sqlite(t), apptest.Options{Configure: func(c *config.Config) { dataDir = c.DataDir }})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	r := c.Do("GET", "/api/v1/me/mail-settings", nil)
	var got mailSettingsBody
	r.JSON(t, &got)
	if r.StatusCode != 200 || len(got.Servers) != 0 || got.Certificate != nil || got.Username != admin || got.DAV == nil {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "tls-cert.pem")); err == nil {
		t.Fatal("a certificate was generated though no door is on")
	}
}

func sha256Of(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, ":")
}

// With Tessera's own plain doors on and TESSERA_MAIL_UPSTREAMS unset, nginx is sent to them.
func TestNginxAuthGoesToOwnDoors(t *testing.T) {
	s := apptest.Start(t, sqlite(t), apptest.Options{Configure: func(c *config.Config) {
		c.IMAPListen, c.POP3Listen, c.SubmissionListen = "127.0.0.1:1143", "0.0.0.0:1110", "127.0.0.1:1587"
	}})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	pc := create(t, c, "app_passcode", "Laptop")
	for proto, port := range map[string]string{"imap": "1143", "pop3": "1110", "smtp": "1587"} {
		h := nginxAuth(t, s, proto, admin, pc.Secret.Password)
		if h.Get("Auth-Status") != "OK" || h.Get("Auth-Server") != "127.0.0.1" || h.Get("Auth-Port") != port {
			t.Errorf("%s: %v", proto, h)
		}
	}
}
