package httpapi_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// operatorCert writes a certificate and key as an operator gives them (TESSERA_TLS_CERT/KEY).
func operatorCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "mail.example.com"},
		DNSNames: []string{"mail.example.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

// With the operator's certificate the downloaded profile is signed with it: openssl verifies
// the signature, and plistlib reads the signed content.
func TestAppleProfileSigned(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	dir := t.TempDir()
	certFile, keyFile := operatorCert(t, dir)
	s := apptest.Start(t, sqlite(t), apptest.Options{PublicURL: "https://mail.example.com", Configure: func(c *config.Config) {
		c.TLSCert, c.TLSKey = certFile, keyFile
	}})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	eas := createWithProfile(t, c, "eas", "iPhone")
	r := c.Do("GET", "/api/v1/me/apple-profiles/"+eas.Secret.AppleProfile.Token, nil)
	if r.StatusCode != 200 || len(r.Body) == 0 || r.Body[0] != 0x30 { // DER: a SEQUENCE
		t.Fatalf("not a signed profile: %d %.40q", r.StatusCode, r.Body)
	}
	in, out := filepath.Join(dir, "signed.mobileconfig"), filepath.Join(dir, "content.plist")
	os.WriteFile(in, r.Body, 0o600)
	if msg, err := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-in", in, "-CAfile", certFile,
		"-purpose", "any", "-out", out).CombinedOutput(); err != nil {
		t.Fatalf("openssl cms -verify: %v\n%s", err, msg)
	}
	content, _ := os.ReadFile(out)
	if got := checkProfile(t, content); !strings.Contains(got, "com.apple.eas.account Host=mail.example.com SSL=True") ||
		!strings.Contains(got, "Password="+eas.Secret.Password) {
		t.Fatalf("signed content:\n%s", got)
	}
}
