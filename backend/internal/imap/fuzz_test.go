package imap_test

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// syncBuffer is a log sink the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// FuzzSession feeds arbitrary bytes as a logged-in client's input (a mailbox selected). The
// server must not panic (go-imap recovers a panic and logs it: the log is checked) and must
// keep serving: a new connection logs in and gets NOOP answered.
func FuzzSession(f *testing.F) {
	for _, seed := range []string{
		"a FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODYSTRUCTURE ENVELOPE)\r\n",
		"a UID FETCH 1:* (BODY[1.MIME]<0.10>)\r\n",
		"a SEARCH OR (FROM x SUBJECT y) NOT (SEEN) UID 1:* LARGER 10\r\n",
		"a STORE 1 +FLAGS (\\Seen $kw)\r\nb STORE 1:* -FLAGS.SILENT (\\Flagged)\r\n",
		"a APPEND INBOX (\\Seen) {11+}\r\nSubject: x\r\n\r\n",
		"a APPEND INBOX {99999999999}\r\n",
		"a CREATE x/y\r\nb RENAME x/y z\r\nc DELETE z\r\nd LIST \"\" *\r\n",
		"a COPY 1 Drafts\r\nb MOVE 1 INBOX\r\nc EXPUNGE\r\nd UID EXPUNGE 1:*\r\n",
		"a IDLE\r\nDONE\r\n", "a IDLE\r\nb NOOP\r\nc IDLE\r\ndone\r\nd IDLE\r\n\r\n", "a+ IDLE\r\nDONE\r\n",
		"a EXAMINE INBOX\r\nb IDLE\r\nDONE\r\nc STORE 1 +FLAGS (\\Seen)\r\nd UNSELECT\r\ne IDLE\r\nDONE\r\n", "a NOOP\r\n{5}\r\n", "a SELECT {3}\r\n", "\x00\xff\r\n", "a FROB\r\n",
		"a STATUS INBOX (MESSAGES UNSEEN UIDNEXT)\r\nb EXAMINE INBOX\r\nc CLOSE\r\n",
	} {
		f.Add([]byte(seed))
	}
	logs := &syncBuffer{}
	e := start(f, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(f.TempDir(), "t.db")}, envOpts{cfg: func(c *config.Config) {}})
	e.srv.Close()
	// A server whose log the test reads.
	e.app.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := e.app.NewIMAPServer(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	go srv.Serve(ln)
	f.Cleanup(func() { srv.Close() })
	e.addr = ln.Addr().String()
	e.deliver("a@example.org", "fuzz", "body")

	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := net.Dial("tcp", e.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "l LOGIN "+userEmail+" "+e.pass+"\r\ns SELECT INBOX\r\n")
		c.Write(in)
		io.WriteString(c, "\r\nzz LOGOUT\r\n")
		c.(*net.TCPConn).CloseWrite()
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		io.Copy(io.Discard, c)

		if strings.Contains(logs.String(), "panic") {
			t.Fatalf("the server panicked on %q:\n%s", in, logs.String())
		}
		probe, err := net.DialTimeout("tcp", e.addr, time.Second)
		if err != nil {
			t.Fatalf("the server stopped serving: %v", err)
		}
		defer probe.Close()
		io.WriteString(probe, "p LOGIN "+userEmail+" "+e.pass+"\r\nq NOOP\r\nr LOGOUT\r\n")
		probe.SetReadDeadline(time.Now().Add(3 * time.Second))
		got, _ := io.ReadAll(io.LimitReader(probe, 4096))
		if !strings.Contains(string(got), "q OK") {
			t.Fatalf("after %q, a new session got %q", in, got)
		}
	})
}
