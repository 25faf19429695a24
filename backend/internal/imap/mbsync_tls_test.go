package imap_test

import (
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// mbsync over STARTTLS, on a door that refuses login before TLS: the front does STARTTLS
// (go-imap never sees the TLS), and mbsync, checking the certificate, syncs the Inbox.
func TestMbsyncStartTLS(t *testing.T) {
	bin := testenv.RequireTool(t, "mbsync", "isync")
	e := start(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")}, envOpts{noPlaintext: true})
	e.deliver("Alice <alice@example.org>", "over tls", "secret numbers")
	cfg := selfSigned(t)
	srv := e.app.NewIMAPServer(cfg)
	t.Cleanup(func() { srv.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)

	dir := t.TempDir()
	certPath := filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cfg.Certificates[0].Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	maildir := filepath.Join(dir, "mail")
	if err := os.MkdirAll(maildir, 0o700); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(ln.Addr().String(), ":")
	rc := fmt.Sprintf(`IMAPAccount tessera
Host %s
Port %s
User %s
Pass %s
SSLType STARTTLS
CertificateFile %s
AuthMechs LOGIN

IMAPStore remote
Account tessera

MaildirStore local
Path %s/
Inbox %s/INBOX

Channel inbox
Far :remote:INBOX
Near :local:INBOX
Create Near
SyncState *
Sync Pull
`, host, port, userEmail, e.pass, certPath, maildir, maildir)
	rcPath := filepath.Join(dir, "mbsyncrc")
	if err := os.WriteFile(rcPath, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-c", rcPath, "-a").CombinedOutput()
	t.Logf("mbsync: %s", out)
	if err != nil {
		t.Fatalf("mbsync: %v", err)
	}
	var found bool
	for _, sub := range []string{"cur", "new"} {
		es, _ := os.ReadDir(filepath.Join(maildir, "INBOX", sub))
		for _, x := range es {
			b, _ := os.ReadFile(filepath.Join(maildir, "INBOX", sub, x.Name()))
			found = found || strings.Contains(string(b), "secret numbers")
		}
	}
	if !found {
		t.Fatal("the message did not arrive over STARTTLS")
	}
}
