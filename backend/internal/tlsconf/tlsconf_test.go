package tlsconf

import (
	"bytes"
	"crypto/tls"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSelfSignedGeneratedThenReused(t *testing.T) {
	dir := t.TempDir()
	m, err := Load(Options{DataDir: dir, PublicURL: "https://mail.example.com:8443"})
	if err != nil {
		t.Fatal(err)
	}
	if !m.SelfSigned() {
		t.Fatal("not self-signed")
	}
	leaf := m.current().Leaf
	for _, h := range []string{"mail.example.com", "localhost", "127.0.0.1", "::1"} {
		if err := leaf.VerifyHostname(h); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
	if life := leaf.NotAfter.Sub(leaf.NotBefore); life < 700*24*time.Hour || life > 740*24*time.Hour {
		t.Errorf("lifetime %s", life)
	}
	if leaf.PublicKeyAlgorithm.String() != "ECDSA" {
		t.Errorf("key %s", leaf.PublicKeyAlgorithm)
	}
	fi, err := os.Stat(filepath.Join(dir, SelfSignedKey))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	fp := m.Fingerprint()
	if len(fp) != 32*3-1 || strings.ToUpper(fp) != fp || strings.Count(fp, ":") != 31 {
		t.Fatalf("fingerprint %q", fp)
	}
	again, err := Load(Options{DataDir: dir, PublicURL: "https://mail.example.com:8443"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Fingerprint() != fp {
		t.Fatal("a second start made a new certificate")
	}
	// Another public host: the old certificate does not name it, so a new one is made.
	other, err := Load(Options{DataDir: dir, PublicURL: "https://imap.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if other.Fingerprint() == fp || other.current().Leaf.VerifyHostname("imap.example.org") != nil {
		t.Fatal("the new host got the old certificate")
	}
}

// handshake connects to a TLS server using m and returns the fingerprint it presented.
func handshake(t *testing.T, m *Manager) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", m.Config())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return Fingerprint(c.ConnectionState().PeerCertificates[0].Raw)
}

// operatorPair writes a certificate pair as an operator (or certbot) would, into dir.
func operatorPair(t *testing.T, dir, host string, mod time.Time) (certFile, keyFile string) {
	t.Helper()
	src := t.TempDir()
	if err := generate(src, host, time.Now()); err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "fullchain.pem"), filepath.Join(dir, "privkey.pem")
	for from, to := range map[string]string{SelfSignedCert: certFile, SelfSignedKey: keyFile} {
		raw, err := os.ReadFile(filepath.Join(src, from))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(to, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	return certFile, keyFile
}

func TestReloadAfterTheFilesChange(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := operatorPair(t, dir, "one.example.com", time.Now().Add(-time.Hour))
	var logs bytes.Buffer
	m, err := Load(Options{CertFile: certFile, KeyFile: keyFile, CheckEvery: time.Nanosecond, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if m.SelfSigned() {
		t.Fatal("an operator's certificate called self-signed")
	}
	first := handshake(t, m)
	if first != m.Fingerprint() {
		t.Fatalf("served %s, Fingerprint says %s", first, m.Fingerprint())
	}
	operatorPair(t, dir, "two.example.com", time.Now())
	second := handshake(t, m)
	if second == first {
		t.Fatal("the renewed certificate was not served")
	}
	if m.current().Leaf.VerifyHostname("two.example.com") != nil {
		t.Fatal("not the renewed certificate")
	}
	if !strings.Contains(logs.String(), "TLS certificate reloaded") {
		t.Errorf("reload not logged: %s", logs.String())
	}

	// A broken renewal keeps the working certificate and says why.
	if err := os.WriteFile(certFile, []byte("-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	os.Chtimes(certFile, future, future)
	if got := handshake(t, m); got != second {
		t.Fatalf("after a broken file the server presents %s, want the previous %s", got, second)
	}
	if !strings.Contains(logs.String(), "does not load; keeping the previous one") {
		t.Errorf("broken file not logged: %s", logs.String())
	}
	if n := strings.Count(logs.String(), "does not load"); n != 1 {
		t.Errorf("broken file logged %d times", n)
	}
	if got := handshake(t, m); got != second {
		t.Fatal("second handshake after a broken file")
	}
}

func TestChecksAtMostEveryInterval(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := operatorPair(t, dir, "one.example.com", time.Now().Add(-time.Hour))
	m, err := Load(Options{CertFile: certFile, KeyFile: keyFile, CheckEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	first := m.Fingerprint()
	operatorPair(t, dir, "two.example.com", time.Now())
	if m.Fingerprint() != first {
		t.Fatal("the files were looked at before the interval passed")
	}
	m.lastLook = time.Now().Add(-2 * time.Hour)
	if m.Fingerprint() == first {
		t.Fatal("the files were not looked at after the interval")
	}
}

func TestBadPathsAtStart(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := operatorPair(t, dir, "one.example.com", time.Now())
	cases := map[string]Options{
		"no such file": {CertFile: filepath.Join(dir, "missing.pem"), KeyFile: keyFile},
		"missing.pem":  {CertFile: certFile, KeyFile: filepath.Join(dir, "missing.pem")},
		"privkey.pem":  {CertFile: keyFile, KeyFile: keyFile}, // a key where the certificate belongs
		"together":     {CertFile: certFile},
	}
	for want, o := range cases {
		_, err := Load(o)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: got %v, want an error naming %q", o, err, want)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "plain"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(Options{DataDir: filepath.Join(dir, "plain", "sub")}); err == nil {
		t.Error("a data directory under a file was accepted")
	}
}

// A generated certificate about to expire, or one that no longer loads, is replaced at start.
func TestSelfSignedRenewedWhenExpiringOrBroken(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-selfSignedLifetime + 10*24*time.Hour) // 10 days left
	if err := generate(dir, "mail.example.com", old); err != nil {
		t.Fatal(err)
	}
	first, err := loadPair(filepath.Join(dir, SelfSignedCert), filepath.Join(dir, SelfSignedKey))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(Options{DataDir: dir, PublicURL: "https://mail.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Fingerprint() == Fingerprint(first.Certificate[0]) || time.Until(m.current().Leaf.NotAfter) < 700*24*time.Hour {
		t.Fatal("an expiring certificate was kept")
	}
	renewed := m.Fingerprint()
	if err := os.WriteFile(filepath.Join(dir, SelfSignedKey), []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err = Load(Options{DataDir: dir, PublicURL: "https://mail.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Fingerprint() == renewed {
		t.Fatal("a certificate whose key is broken was kept")
	}
}
