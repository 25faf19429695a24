package submission_test

import (
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/submission"
)

// FuzzSession feeds arbitrary client bytes into a session, logged in (first byte odd: AUTH
// PLAIN in plain text, allowed on loopback here) or not. The server must answer without
// panicking, end the connection when the client's bytes end, and then serve another one.
func FuzzSession(f *testing.F) {
	for _, seed := range []string{
		"\x00EHLO x\r\nMAIL FROM:<alice@example.com>\r\nQUIT\r\n",
		"\x01MAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n" + message("Fuzz", "x") + ".\r\nQUIT\r\n",
		"\x01MAIL FROM:<alice@example.com> SIZE=10\r\nRCPT TO:<bob@example.com>\r\nBDAT 5 LAST\r\nabcde",
		"\x01MAIL FROM:<alice@example.com>\r\nRCPT TO:<carol@example.com>\r\nDATA\r\nFrom: alice@example.com\r\nSender: <<\r\n\r\n.\r\n",
		"\x00EHLO x\r\nAUTH LOGIN\r\nYWxpY2U=\r\n*\r\nAUTH PLAIN =\r\nSTARTTLS\r\n\x16\x03\x01garbage",
		"\x01RCPT TO:<\"a b\"@example.com>\r\nMAIL FROM:<>\r\nDATA\r\nRSET\r\nVRFY x\r\nNOOP\r\n",
		"\x00" + strings.Repeat("A", 3000) + "\r\n",
	} {
		f.Add([]byte(seed))
	}
	st, err := store.Open("sqlite", filepath.Join(f.TempDir(), "tessera.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	if err := st.Migrate(); err != nil {
		f.Fatal(err)
	}
	e := newEnv(f, st, submission.Options{PlaintextLoopback: true, MaxSize: 64 << 10, ReadTimeout: 5 * time.Second}, "")
	prelude := "EHLO fuzz.test\r\nAUTH PLAIN " + plain("alice@example.com", e.passcode["alice@example.com"]) + "\r\n"
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		data := in[1:]
		if in[0]&1 == 1 {
			data = append([]byte(prelude), data...)
		}
		conn, err := net.Dial("tcp", e.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(20 * time.Second))
		go func() {
			conn.Write(data)
			conn.(*net.TCPConn).CloseWrite()
		}()
		if _, err := io.Copy(io.Discard, conn); err != nil && !isReset(err) {
			t.Fatalf("the server did not end the connection after the client's bytes: %v", err)
		}
		// Another connection is served as usual.
		r := dialRaw(t, e.addr, false)
		r.do("NOOP", 250, "")
		r.do("QUIT", 221, "")
	})
}

// isReset: the server may close while unread bytes remain (too many errors), which resets.
func isReset(err error) bool {
	return strings.Contains(err.Error(), "connection reset")
}
