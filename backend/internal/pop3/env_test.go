package pop3_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
)

const (
	userEmail   = "ann@example.com"
	userPass    = "account password 1" // with spaces: PASS takes the rest of the line
	twoFAEmail  = "bob@example.com"
	twoFAPass   = "bob's password 22"
	testLimiter = 8 // failures before the throttle waits (throttle.Policy.Free)
)

// env is a POP3 server on a plain and an implicit-TLS listener, over a real store, the real
// mailbox, authenticator and credential services: nothing of the path a login takes is faked.
type env struct {
	st        *store.Store
	mb        *mailbox.Service
	auth      *authn.Authenticator
	creds     *credential.Service
	acct      *store.Account // ann: 2FA off
	twoFA     *store.Account // bob: 2FA on
	passcode  string         // ann's application passcode
	pcID      uint64
	easPass   string // ann's EAS password: never opens POP3
	inbox     uint64
	srv       *pop3.Server
	served    chan error
	addr      string // plain, STLS offered
	tlsAddr   string // implicit TLS
	certPEM   []byte
	certFP    string // SHA-256 of the certificate, hex
	clientTLS *tls.Config
	logs      *lockedBuffer // the server's log
}

// lockedBuffer is a log sink the server's goroutines write to while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newEnv(t testing.TB, st *store.Store, o pop3.Options) *env {
	return newEnvFree(t, st, o, testLimiter)
}

// newEnvFree is newEnv with free failures per account and address before throttling.
func newEnvFree(t testing.TB, st *store.Store, o pop3.Options, free int) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{st: st}
	d, err := st.CreateDomain(ctx, "example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		email, pw string
		twoFA     bool
		into      **store.Account
	}{{userEmail, userPass, false, &e.acct}, {twoFAEmail, twoFAPass, true, &e.twoFA}} {
		h, err := password.Hash(a.pw)
		if err != nil {
			t.Fatal(err)
		}
		acct := &store.Account{Email: a.email, DomainID: d.ID, PasswordHash: h, Role: store.RoleUser,
			Status: store.StatusActive, TwoFactorEnabled: a.twoFA}
		if err := st.CreateAccount(ctx, acct); err != nil {
			t.Fatal(err)
		}
		*a.into = acct
	}
	key := make([]byte, 32)
	rand.Read(key)
	e.logs = &lockedBuffer{}
	var w io.Writer = e.logs
	if os.Getenv("POP3_TEST_LOG") != "" {
		w = io.MultiWriter(e.logs, os.Stderr)
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hasher := authn.NewHasher(key)
	auditor := audit.New(st, log)
	pol := throttle.Policy{Free: free, Base: 2 * time.Second, Max: time.Minute, Window: time.Hour}
	e.auth = authn.New(authn.Deps{Store: st, Hasher: hasher, AccountLimits: throttle.NewMemory(pol),
		AddressLimits: throttle.NewMemory(throttle.Policy{Free: max(free, 1000), Base: time.Second, Max: time.Minute, Window: time.Hour}),
		Audit:         auditor, Log: log})
	e.creds = credential.New(credential.Deps{Store: st, Hasher: hasher, Sealer: otp.NewSealer(key), Audit: auditor})
	c, sec, err := e.creds.Create(ctx, e.acct, store.KindAppPasscode, "Mail app", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	e.passcode, e.pcID = sec.Password, c.ID
	_, sec, err = e.creds.Create(ctx, e.acct, store.KindEAS, "Phone", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	e.easPass = sec.Password
	e.mb = mailbox.New(st, mailbox.NewLocalNotifier())
	f, err := e.mb.FolderByType(ctx, e.acct.ID, mailbox.TypeInbox)
	if err != nil {
		t.Fatal(err)
	}
	e.inbox = f.ID
	serverTLS := e.makeCert(t)
	e.srv = pop3.New(pop3.Deps{Auth: e.auth, Mailbox: e.mb, Log: log, TLS: serverTLS, Options: o})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr, e.tlsAddr = ln.Addr().String(), tln.Addr().String()
	e.served = make(chan error, 2)
	go func() { e.served <- e.srv.Serve(ln) }()
	go func() { e.served <- e.srv.Serve(tls.NewListener(tln, serverTLS)) }()
	t.Cleanup(func() { e.close(t) })
	return e
}

// close stops the server once and checks that both Serve calls returned ErrServerClosed.
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
			if !errors.Is(err, pop3.ErrServerClosed) {
				t.Errorf("Serve returned %v after Close, want ErrServerClosed", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve still running after Close")
		}
	}
	e.srv = nil
}

// makeCert generates a throw-away self-signed certificate for 127.0.0.1 and localhost.
func (e *env) makeCert(t testing.TB) *tls.Config {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	sum := sha256.Sum256(der)
	e.certFP = hex.EncodeToString(sum[:])
	e.certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	e.clientTLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: k}}, MinVersion: tls.VersionTLS12}
}

// certFile writes the certificate for a client that takes a CA file.
func (e *env) certFile(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(p, e.certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// deliver puts messages into ann's Inbox, returning their item ids.
func (e *env) deliver(t testing.TB, raws ...string) []uint64 {
	t.Helper()
	var ids []uint64
	for _, r := range raws {
		it, err := e.mb.Deliver(context.Background(), e.acct.ID, []byte(r))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	return ids
}

// live lists the ids of ann's live Inbox messages.
func (e *env) live(t testing.TB) []uint64 {
	t.Helper()
	items, err := e.mb.Messages(context.Background(), e.acct.ID, e.inbox)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

// tombstones lists the ids of ann's deleted Inbox items (what EAS devices are told of).
func (e *env) tombstones(t *testing.T) map[uint64]bool {
	t.Helper()
	items, err := e.mb.Changes(context.Background(), e.inbox, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64]bool{}
	for _, it := range items {
		if it.Deleted {
			out[it.ID] = true
		}
	}
	return out
}

func msg(subject, body string) string {
	return "From: sender@example.org\r\nTo: ann@example.com\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@example.org>\r\n\r\n" + body
}

// login is STLS and USER/PASS with ann's passcode.
func (e *env) login(t testing.TB) *client {
	t.Helper()
	c := dial(t, e.addr)
	c.stls(e.clientTLS)
	c.ok("USER " + userEmail)
	c.ok("PASS " + e.passcode)
	return c
}
