package pop3_test

import (
	"bytes"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// FuzzSession feeds arbitrary client bytes to a session, before login and after one (the
// first byte chooses), over a real SQLite store. The server must not panic (a recovered panic
// is logged, and the log is checked) and must serve the next connection.
func FuzzSession(f *testing.F) {
	st, err := store.Open("sqlite", filepath.Join(f.TempDir(), "tessera.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	if err := st.Migrate(); err != nil {
		f.Fatal(err)
	}
	e := newEnvFree(f, st, pop3.Options{PlaintextLoopback: true, IdleTimeout: 2 * time.Second, MaxBadCommands: 50}, 1<<30)
	for _, seed := range []string{
		"\x00CAPA\r\nUSER ann@example.com\r\nPASS x\r\nQUIT\r\n",
		"\x00AUTH PLAIN\r\n*\r\nAUTH PLAIN =\r\nAUTH PLAIN AGFubkBleGFtcGxlLmNvbQB4\r\nSTAT\r\n",
		"\x00STLS\r\n\x16\x03\x01\x00\x05hello",
		"\x01STAT\r\nLIST\r\nUIDL 1\r\nTOP 1 3\r\nRETR 1\r\nDELE 1\r\nRSET\r\nDELE 2\r\nQUIT\r\n",
		"\x01LIST 4294967296\r\nTOP 1 99999999999999\r\nRETR -1\r\nDELE 0\r\nNOOP x\r\n" + strings.Repeat("A", 600) + "\r\nQUIT",
		"\x01UIDL\nRETR 2\n\n\n\r\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		if len(e.live(t)) < 2 {
			e.deliver(t, msg("fuzz one", "line\r\n.dot\r\n"), msg("fuzz two", "x\r\n"))
		}
		authorised := in[0]&1 == 1
		c, err := net.Dial("tcp", e.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		if authorised {
			io.WriteString(c, "AUTH PLAIN "+plain("", userEmail, e.passcode)+"\r\n")
		}
		c.Write(in[1:])
		c.(*net.TCPConn).CloseWrite()
		out, _ := io.ReadAll(c) // until the server hangs up (EOF, the idle timeout or QUIT)
		if authorised && !bytes.Contains(out, []byte("+OK Logged in")) {
			t.Fatalf("login failed: %q", out)
		}
		if logs := e.logs.String(); strings.Contains(logs, "panic") {
			t.Fatalf("server panicked:\n%s", logs)
		}
		// The server still serves.
		next := dial(t, e.addr)
		next.ok("CAPA")
		next.multi()
		next.conn.Close()
	})
}
