package imap_test

import (
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/lmtp"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// A message delivered over LMTP (by Python's smtplib.LMTP) reaches an IDLE session at once and
// reads back whole.
func TestLMTPToIdle(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	e := start(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")})
	lm := lmtp.New(e.app.Mailbox, e.app.Accounts, lmtp.Options{Domain: "localhost"}, testLog())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go lm.Serve(ln)
	defer lm.Close()

	c := e.login()
	c.ok("SELECT INBOX")
	c.idle()
	e.waitIdle(1)
	host, port, _ := strings.Cut(ln.Addr().String(), ":")
	script := `import smtplib, sys
s = smtplib.LMTP(sys.argv[1], int(sys.argv[2]))
s.sendmail("alice@example.org", [sys.argv[3]], b"From: alice@example.org\r\nTo: " + sys.argv[3].encode() + b"\r\nSubject: via LMTP\r\n\r\nDelivered by smtplib.\r\n")
s.quit()`
	if out, err := exec.Command(py, "-c", script, host, port, userEmail).CombinedOutput(); err != nil {
		t.Fatalf("smtplib.LMTP: %v: %s", err, out)
	}
	if l := c.line(); l != "* 1 EXISTS" {
		t.Fatalf("IDLE after LMTP: %q", l)
	}
	c.done()
	mustHave(t, c.ok("FETCH 1 (BODY[])"), "Subject: via LMTP", "Delivered by smtplib.", `\Seen`)
}
