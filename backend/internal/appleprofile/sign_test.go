package appleprofile_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/appleprofile"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// chain makes a CA and a server certificate it issued, as an operator's certificate would be.
func chain(t *testing.T) (leaf *tls.Certificate, caPEM []byte) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "mail.example.com"},
		DNSNames: []string{"mail.example.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
}

// A signed profile verifies with openssl (a CMS implementation nobody here wrote) against the
// CA, and its content is the profile unchanged.
func TestSignVerifiesWithOpenSSL(t *testing.T) {
	openssl := testenv.RequireTool(t, "openssl", "openssl")
	leaf, caPEM := chain(t)
	profile, err := appleprofile.Build(req(1, 2), servers)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := appleprofile.Sign(profile, leaf)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, ca, out := filepath.Join(dir, "p.mobileconfig"), filepath.Join(dir, "ca.pem"), filepath.Join(dir, "out.plist")
	os.WriteFile(in, signed, 0o600)
	os.WriteFile(ca, caPEM, 0o600)
	if msg, err := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-in", in, "-CAfile", ca,
		"-purpose", "any", "-out", out).CombinedOutput(); err != nil {
		t.Fatalf("openssl cms -verify: %v\n%s", err, msg)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, profile) {
		t.Fatal("the signed content is not the profile")
	}
	// Another CA does not vouch for it.
	_, otherCA := chain(t)
	os.WriteFile(ca, otherCA, 0o600)
	if err := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-in", in, "-CAfile", ca, "-purpose", "any",
		"-out", out).Run(); err == nil {
		t.Fatal("verified against the wrong CA")
	}
}
