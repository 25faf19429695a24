package submission_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/submission"
)

// TestSizeLimitIsExact: a message of exactly MaxSize bytes goes, one byte more is 552, and a
// MAIL FROM announcing more than SIZE is refused before the body.
func TestSizeLimitIsExact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		msg := message("Exactly", "at the limit", "To: bob@example.com")
		e := newEnv(t, st, submission.Options{MaxSize: int64(len(msg))}, "")
		r := e.login(t, "alice@example.com")
		if code, text := r.send("alice@example.com", []string{"bob@example.com"}, msg); code != 250 {
			t.Fatalf("at the limit: %d %s", code, text)
		}
		if code, text := r.send("alice@example.com", []string{"bob@example.com"}, strings.Replace(msg, "at the limit", "at the limit!", 1)); code != 552 || !strings.HasPrefix(text, "5.3.4") {
			t.Fatalf("one byte over: %d %s, want 552 5.3.4", code, text)
		}
		r.do("MAIL FROM:<alice@example.com> SIZE="+strconv.Itoa(len(msg)+2), 552, "5.3.4")
		if got := e.inbox(t, "bob@example.com"); len(got) != 1 || got[0].Size != int64(len(msg)) {
			t.Fatalf("bob's inbox = %d items, want the one at the limit", len(got))
		}
	})
}

// TestRevokedBetweenAuthAndMail: a passcode deleted after AUTH sends nothing more.
func TestRevokedBetweenAuthAndMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		r := e.login(t, "alice@example.com")
		if code, text := r.send("alice@example.com", []string{"bob@example.com"}, message("Before", "x")); code != 250 {
			t.Fatalf("before the deletion: %d %s", code, text)
		}
		if err := e.creds.Delete(context.Background(), e.accounts["alice@example.com"], e.passcodeID, ""); err != nil {
			t.Fatal(err)
		}
		r.do("MAIL FROM:<alice@example.com>", 535, "5.7.8 Authentication credentials no longer valid")
		r.do("MAIL FROM:<alice@example.com>", 530, "5.7.0 Authentication required")
		r2 := dialRaw(t, e.tlsAddr, true)
		r2.ehlo()
		r2.do("AUTH PLAIN "+plain("alice@example.com", e.passcode["alice@example.com"]), 535, "5.7.8")
		if got := e.inbox(t, "bob@example.com"); len(got) != 1 {
			t.Fatalf("bob's inbox = %d items, want only the one sent before", len(got))
		}
	})
}

// relay is an SMTP server standing in for TESSERA_SMTP_RELAY: it records each transaction and
// refuses recipients at refuse.example.
type relay struct {
	addr string
	mu   sync.Mutex
	got  []relayed
}

type relayed struct {
	from  string
	rcpts []string
	data  string
}

type relaySession struct {
	r   *relay
	cur relayed
}

func (s *relaySession) Reset()        { s.cur = relayed{} }
func (s *relaySession) Logout() error { return nil }
func (s *relaySession) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.from = from
	return nil
}
func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasSuffix(to, "@refuse.example") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no"}
	}
	s.cur.rcpts = append(s.cur.rcpts, to)
	return nil
}
func (s *relaySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.cur.data = string(b)
	s.r.mu.Lock()
	s.r.got = append(s.r.got, s.cur)
	s.r.mu.Unlock()
	return err
}

func startRelay(t *testing.T) *relay {
	rl := &relay{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: rl}, nil }))
	srv.Domain = "relay.test"
	srv.ErrorLog = nopLog{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rl.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return rl
}

type nopLog struct{}

func (nopLog) Printf(string, ...any) {}
func (nopLog) Println(...any)        {}

// TestRelay: with a relay, any address goes there with the account as the envelope sender and
// the envelope recipients (Bcc included, its header stripped); a relay's refusal is 451 4.4.0.
func TestRelay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rl := startRelay(t)
		e := newEnv(t, st, submission.Options{}, rl.addr)
		r := e.login(t, "alice@example.com")
		msg := message("Relayed", "relay-marker", "To: someone@elsewhere.org", "Bcc: bob@example.com")
		if code, text := r.send("Alice@example.com", []string{"someone@elsewhere.org", "bob@example.com"}, msg); code != 250 {
			t.Fatalf("send: %d %s", code, text)
		}
		rl.mu.Lock()
		got := append([]relayed(nil), rl.got...)
		rl.mu.Unlock()
		if len(got) != 1 || got[0].from != "alice@example.com" || strings.Join(got[0].rcpts, ",") != "someone@elsewhere.org,bob@example.com" ||
			!strings.Contains(got[0].data, "relay-marker") || strings.Contains(strings.ToLower(got[0].data), "bcc:") {
			t.Fatalf("relay got %+v", got)
		}
		if code, text := r.send("alice@example.com", []string{"x@refuse.example"}, message("Refused", "x")); code != 451 || !strings.HasPrefix(text, "4.4.0") {
			t.Fatalf("refused by the relay: %d %s, want 451 4.4.0", code, text)
		}
	})
}

func TestRelayUnreachable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := ln.Addr().String()
		ln.Close()
		e := newEnv(t, st, submission.Options{}, dead)
		r := e.login(t, "alice@example.com")
		if code, text := r.send("alice@example.com", []string{"bob@example.com"}, message("Nowhere", "x")); code != 451 || !strings.HasPrefix(text, "4.4.0") {
			t.Fatalf("relay down: %d %s, want 451 4.4.0", code, text)
		}
	})
}

// TestPlaintextOnlyFromLoopback: the loopback setting does not open AUTH to another address.
func TestPlaintextOnlyFromLoopback(t *testing.T) {
	ip := nonLoopbackIP(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{PlaintextLoopback: true}, "")
		ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			t.Skip(err)
		}
		go e.srv.Serve(ln)
		r := dialRaw(t, ln.Addr().String(), false)
		if caps := r.ehlo(); has(caps, "AUTH") {
			t.Errorf("AUTH advertised in plain text to %s: %q", ip, caps)
		}
		r.do("AUTH PLAIN "+plain("alice@example.com", e.passcode["alice@example.com"]), 530, "5.7.0 Must issue a STARTTLS command first")
	})
}

func nonLoopbackIP(t *testing.T) string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address on this machine")
	return ""
}

func TestCloseEndsServe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		e.login(t, "alice@example.com") // an idle connection must not keep Close waiting
		start := time.Now()
		e.close(t)
		if time.Since(start) > 3*time.Second {
			t.Errorf("Close took %s", time.Since(start))
		}
		if _, err := net.Dial("tcp", e.addr); err == nil {
			t.Error("still accepting connections after Close")
		}
	})
	srv := submission.New(submission.Deps{}, submission.Options{})
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); !errors.Is(err, submission.ErrServerClosed) {
		t.Errorf("second Close = %v, want ErrServerClosed", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(ln); !errors.Is(err, submission.ErrServerClosed) {
		t.Errorf("Serve after Close = %v, want ErrServerClosed", err)
	}
}

// TestLongLines: a command or message line over MaxLineLength is refused, nothing is sent, and
// the server serves the next connection.
func TestLongLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{MaxLineLength: 1000}, "")
		r := e.login(t, "alice@example.com")
		r.do("NOOP "+strings.Repeat("x", 1200), 500, "5.4.0")
		r = e.login(t, "alice@example.com")
		code, text := r.send("alice@example.com", []string{"bob@example.com"}, message("Long", strings.Repeat("y", 1200)))
		if code != 554 || !strings.HasPrefix(text, "5.6.0 A line of the message is longer than 1000 bytes") {
			t.Fatalf("long message line: %d %s", code, text)
		}
		if got := e.inbox(t, "bob@example.com"); len(got) != 0 {
			t.Fatalf("%d items delivered", len(got))
		}
		r = e.login(t, "alice@example.com")
		if code, text := r.send("alice@example.com", []string{"bob@example.com"}, message("Short", strings.Repeat("y", 900))); code != 250 {
			t.Fatalf("after: %d %s", code, text)
		}
	})
}
