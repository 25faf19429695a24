package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// TestSubmissionDoors: both submission doors open from the configuration, one with STARTTLS and
// one with implicit TLS, and a message sent through each reaches the Inbox.
func TestSubmissionDoors(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.SecretKey = "0123456789abcdef0123456789abcdef0123456789"
	cfg.SubmissionListen, cfg.SubmissionsListen = "127.0.0.1:0", "127.0.0.1:0"
	a, err := Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	doors, closeAll, err := a.OpenDoors(&tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	ctx := context.Background()
	g, err := a.Store.GlobalSettings(ctx) // no security notices: the test counts the Inbox's messages
	if err != nil {
		t.Fatal(err)
	}
	g.SecurityNoticesOff, _ = notice.ParseEnabled("none")
	if err := a.Store.SaveGlobalSettings(ctx, g); err != nil {
		t.Fatal(err)
	}
	d, err := a.Store.CreateDomain(ctx, "example.com")
	if err != nil {
		t.Fatal(err)
	}
	acct := &store.Account{Email: "alice@example.com", DomainID: d.ID, PasswordHash: "x", Role: store.RoleUser, Status: store.StatusActive}
	if err := a.Store.CreateAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
	_, sec, err := a.Credentials.Create(ctx, acct, store.KindAppPasscode, "Thunderbird", "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, door := range doors {
		names = append(names, door.Name)
		insecure := &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the test's own certificate
		var c *smtp.Client
		if door.ImplicitTLS {
			c, err = smtp.DialTLS(door.Addr, insecure)
		} else {
			c, err = smtp.DialStartTLS(door.Addr, insecure)
		}
		if err != nil {
			t.Fatalf("%s: %v", door.Name, err)
		}
		if err := c.Auth(sasl.NewPlainClient("", "alice@example.com", sec.Password)); err != nil {
			t.Fatalf("%s: AUTH: %v", door.Name, err)
		}
		msg := "From: alice@example.com\r\nTo: alice@example.com\r\nSubject: via " + door.Name + "\r\n\r\nhi\r\n"
		if err := c.SendMail("alice@example.com", []string{"alice@example.com"}, strings.NewReader(msg)); err != nil {
			t.Fatalf("%s: %v", door.Name, err)
		}
		c.Close()
	}
	if strings.Join(names, ",") != "submission,submissions" {
		t.Fatalf("doors = %v", names)
	}
	f, err := a.Mailbox.FolderByType(ctx, acct.ID, mailbox.TypeInbox)
	if err != nil {
		t.Fatal(err)
	}
	items, err := a.Mailbox.Changes(ctx, f.ID, 0, 10)
	if err != nil || len(items) != 2 || items[0].Subject != "via submission" || items[1].Subject != "via submissions" {
		t.Fatalf("inbox = %d items (%v)", len(items), err)
	}
}
