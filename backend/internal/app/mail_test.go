package app

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/tlsconf"
)

func testConfig(t *testing.T) config.Config {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.SecretKey = "test-secret-key-0123456789abcdef-0123456789"
	cfg.PublicURL = "https://mail.example.com"
	return cfg
}

// Serve with mail doors configured loads (here: generates) the certificate before it says it
// is ready, and stops cleanly, doors included, when its context ends.
func TestServeWithMailDoors(t *testing.T) {
	cfg := testConfig(t)
	cfg.IMAPListen, cfg.IMAPSListen = "127.0.0.1:0", "127.0.0.1:0"
	a, err := Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.Serve(ctx, func(string) { close(ready) })
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve never got ready")
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, tlsconf.SelfSignedCert)); err != nil {
		t.Fatalf("no certificate generated: %v", err)
	}
	m, err := a.MailTLS()
	if err != nil || !m.SelfSigned() {
		t.Fatalf("MailTLS: %v", err)
	}
	cert, err := m.Config().GetCertificate(&tls.ClientHelloInfo{})
	if err != nil || cert.Leaf.VerifyHostname("mail.example.com") != nil {
		t.Fatalf("certificate for the public host: %v", err)
	}
	for _, d := range a.MailDoors() {
		if d.Addr == "" || d.Addr == "127.0.0.1:0" {
			t.Errorf("door %s opened without its address: %q", d.Name, d.Addr)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve after shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not stop")
	}
	if len(a.MailDoors()) != 0 {
		t.Fatal("doors still listed after shutdown")
	}
}

// A certificate path that does not exist stops the start with a sentence naming it.
func TestServeBadCertificate(t *testing.T) {
	cfg := testConfig(t)
	cfg.IMAPSListen = "127.0.0.1:0"
	cfg.TLSCert, cfg.TLSKey = filepath.Join(cfg.DataDir, "nope.pem"), filepath.Join(cfg.DataDir, "nope.key")
	a, err := Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	err = a.Serve(context.Background(), func(string) { t.Error("ready without a certificate") })
	if err == nil || !contains(err.Error(), "nope.pem") {
		t.Fatalf("got %v", err)
	}
}

// Without doors nothing about TLS happens: no certificate is generated.
func TestServeWithoutMailDoors(t *testing.T) {
	cfg := testConfig(t)
	a, err := Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, func(string) { cancel() }) }()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, tlsconf.SelfSignedCert)); err == nil {
		t.Fatal("a certificate was generated without doors")
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestDoorsLine(t *testing.T) {
	got := DoorsLine([]Door{
		{Name: "pop3s", Addr: "127.0.0.1:1995", ImplicitTLS: true},
		{Name: "imaps", Addr: "127.0.0.1:1993", ImplicitTLS: true},
		{Name: "submission", Addr: "127.0.0.1:1587"},
		{Name: "pop3", Addr: "127.0.0.1:1110"},
		{Name: "imap", Addr: "127.0.0.1:1143"},
	})
	want := "IMAP 127.0.0.1:1143 (STARTTLS), IMAPS 127.0.0.1:1993, Submission 127.0.0.1:1587 (STARTTLS), POP3 127.0.0.1:1110 (STLS), POP3S 127.0.0.1:1995"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
