package app_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// The pop3 and pop3s doors of a configured App: each listens, the plain one with STLS and the
// loopback setting, the other with implicit TLS; an application passcode made by the
// credential service reads what the mailbox delivered.
func TestPOP3Doors(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		dir := t.TempDir()
		env := map[string]string{"TESSERA_DATA_DIR": dir, "TESSERA_DB_DRIVER": b.Driver, "TESSERA_DB_DSN": b.DSN,
			"TESSERA_POP3_LISTEN": "127.0.0.1:0", "TESSERA_POP3S_LISTEN": "127.0.0.1:0", "TESSERA_MAIL_PLAINTEXT_LOOPBACK": "true"}
		cfg, err := config.Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		quietNotices(t, a) // the test counts the Inbox's messages
		ctx := t.Context()
		d, err := a.Store.CreateDomain(ctx, "example.com")
		if err != nil {
			t.Fatal(err)
		}
		acct := &store.Account{Email: "ann@example.com", DomainID: d.ID, PasswordHash: "x", Role: store.RoleUser, Status: store.StatusActive}
		if err := a.Store.CreateAccount(ctx, acct); err != nil {
			t.Fatal(err)
		}
		_, sec, err := a.Credentials.Create(ctx, acct, store.KindAppPasscode, "Mail", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Mailbox.Deliver(ctx, acct.ID, []byte("Subject: door\r\n\r\nhello\r\n")); err != nil {
			t.Fatal(err)
		}
		doors, closeAll, err := a.OpenDoors(selfSigned(t))
		if err != nil {
			t.Fatal(err)
		}
		defer closeAll()
		names := map[string]app.Door{}
		for _, d := range doors {
			names[d.Name] = d
		}
		if len(names) != 2 || names["pop3"].Addr == "" || !names["pop3s"].ImplicitTLS {
			t.Fatalf("doors %+v", doors)
		}
		plain, err := net.Dial("tcp", names["pop3"].Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer plain.Close()
		secure, err := tls.Dial("tcp", names["pop3s"].Addr, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer secure.Close()
		for _, c := range []net.Conn{plain, secure} {
			c.SetDeadline(time.Now().Add(10 * time.Second))
			r := bufio.NewReader(c)
			var got []string
			for _, line := range []string{"", "USER ann@example.com", "PASS " + sec.Password, "RETR 1"} {
				if line != "" {
					io.WriteString(c, line+"\r\n")
				}
				l, _ := r.ReadString('\n')
				got = append(got, l)
			}
			body, _ := r.ReadString('.')
			if !strings.HasPrefix(got[2], "+OK") || !strings.HasPrefix(got[3], "+OK") || !strings.Contains(body, "hello") {
				t.Errorf("%s: %q then %q", c.RemoteAddr(), got, body)
			}
		}
	})
}

func selfSigned(t *testing.T) *tls.Config {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: k}}}
}
