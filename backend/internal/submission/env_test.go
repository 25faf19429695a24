package submission_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/submission"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
)

const accountPassword = "Harbor-Lantern-Pass-84"

// env is a submission server over a real store, the real authn, credential and mailbox
// services, with a plain (STARTTLS) listener and an implicit-TLS one.
type env struct {
	st         *store.Store
	mb         *mailbox.Service
	creds      *credential.Service
	accounts   map[string]*store.Account // by email
	passcode   map[string]string         // application passcode by email
	easPass    string                    // alice's EAS password
	passcodeID uint64                    // alice's passcode credential
	srv        *submission.Server
	addr       string // STARTTLS port
	tlsAddr    string // implicit TLS port
	port       int
	tlsPort    int
	served     chan error
}

// users of every env: alice sends, bob and carol receive.
var users = []string{"alice@example.com", "bob@example.com", "carol@example.com"}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newEnv builds the env; limits, when given, replaces the lenient throttling policy.
func newEnv(t testing.TB, st *store.Store, o submission.Options, relay string, limits ...throttle.Policy) *env {
	t.Helper()
	ctx := context.Background()
	key := []byte("test-secret-key-0123456789abcdef-0123456789")
	h := authn.NewHasher(key)
	aud := audit.New(st, quietLog())
	lenient := throttle.Policy{Free: 100000, Base: time.Second, Max: time.Minute, Window: time.Hour}
	if len(limits) > 0 {
		lenient = limits[0]
	}
	auth := authn.New(authn.Deps{Store: st, Hasher: h, AccountLimits: throttle.NewMemory(lenient),
		AddressLimits: throttle.NewMemory(lenient), Audit: aud, Log: quietLog()})
	e := &env{st: st, accounts: map[string]*store.Account{}, passcode: map[string]string{}}
	e.creds = credential.New(credential.Deps{Store: st, Hasher: h, Sealer: otp.NewSealer(key), Audit: aud,
		PublicURL: "https://mail.example.com", Issuer: "Tessera"})
	d, err := st.CreateDomain(ctx, "example.com")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := password.Hash(accountPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range users {
		a := &store.Account{Email: email, DomainID: d.ID, PasswordHash: hash, Role: store.RoleUser, Status: store.StatusActive}
		if err := st.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		e.accounts[email] = a
		c, sec, err := e.creds.Create(ctx, a, store.KindAppPasscode, "Thunderbird", "")
		if err != nil {
			t.Fatal(err)
		}
		e.passcode[email] = sec.Password
		if email == users[0] {
			e.passcodeID = c.ID
			_, sec, err := e.creds.Create(ctx, a, store.KindEAS, "Phone", "")
			if err != nil {
				t.Fatal(err)
			}
			e.easPass = sec.Password
		}
	}
	e.mb = mailbox.New(st, mailbox.NewLocalNotifier())
	if o.TLS == nil {
		o.TLS = serverTLS(t)
	}
	e.srv = submission.New(submission.Deps{Auth: auth, Sender: mailbox.NewSender(e.mb, st, relay), Log: quietLog()}, o)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr, e.port = ln.Addr().String(), ln.Addr().(*net.TCPAddr).Port
	e.tlsAddr, e.tlsPort = tln.Addr().String(), tln.Addr().(*net.TCPAddr).Port
	e.served = make(chan error, 2)
	go func() { e.served <- e.srv.Serve(ln) }()
	go func() { e.served <- e.srv.Serve(tls.NewListener(tln, o.TLS)) }()
	t.Cleanup(func() { e.close(t) })
	return e
}

// close stops the server once and checks that both Serves returned as documented.
func (e *env) close(t testing.TB) {
	if e.srv == nil {
		return
	}
	if err := e.srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	for range 2 {
		select {
		case err := <-e.served:
			if !errors.Is(err, submission.ErrServerClosed) {
				t.Errorf("Serve returned %v after Close, want ErrServerClosed", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Serve still running after Close")
		}
	}
	e.srv = nil
}

// folder lists the live items of one of an account's default folders.
func (e *env) folder(t testing.TB, email string, typ int) []store.Item {
	t.Helper()
	ctx := context.Background()
	f, err := e.mb.FolderByType(ctx, e.accounts[email].ID, typ)
	if err != nil {
		t.Fatal(err)
	}
	items, err := e.mb.Changes(ctx, f.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func (e *env) inbox(t testing.TB, email string) []store.Item {
	return e.folder(t, email, mailbox.TypeInbox)
}

// serverTLS is a throw-away self-signed certificate for 127.0.0.1 and localhost.
func serverTLS(t testing.TB) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
}

// clientTLS trusts nothing and checks nothing: the certificate is the test's own.
func clientTLS() *tls.Config {
	return &tls.Config{InsecureSkipVerify: true, ServerName: "localhost"} //nolint:gosec // a test's self-signed certificate
}

// message is a small message from alice; extra header lines may follow From.
func message(subject, body string, headers ...string) string {
	hs := ""
	for _, h := range headers {
		hs += h + "\r\n"
	}
	return "From: Alice <alice@example.com>\r\n" + hs + "Subject: " + subject + "\r\n" +
		"Message-ID: <" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@example.com>\r\n" +
		"Date: Tue, 17 Nov 2026 08:30:00 +0000\r\n\r\n" + body + "\r\n"
}
