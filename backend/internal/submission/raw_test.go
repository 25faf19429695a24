package submission_test

import (
	"crypto/tls"
	"encoding/base64"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// raw is a client on a raw connection: each step is a command line and the reply code and
// text the test wants, so the dialogue is the protocol as written, not as a library sends it.
type raw struct {
	t    testing.TB
	conn net.Conn
	tp   *textproto.Conn
}

func dialRaw(t testing.TB, addr string, implicitTLS bool) *raw {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if implicitTLS {
		conn = tls.Client(conn, clientTLS())
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	r := &raw{t: t, conn: conn, tp: textproto.NewConn(conn)}
	t.Cleanup(func() { r.tp.Close() })
	r.expect(220, "")
	return r
}

// expect reads a reply and checks its code and that its text contains want.
func (r *raw) expect(code int, want string) string {
	r.t.Helper()
	got, msg, err := r.tp.ReadResponse(0)
	if err != nil && got == 0 {
		r.t.Fatalf("want %d %q: %v", code, want, err)
	}
	if got != code || !strings.Contains(msg, want) {
		r.t.Fatalf("got %d %q, want %d %q", got, msg, code, want)
	}
	return msg
}

// do sends a command line and checks its reply.
func (r *raw) do(line string, code int, want string) string {
	r.t.Helper()
	if err := r.tp.PrintfLine("%s", line); err != nil {
		r.t.Fatal(err)
	}
	return r.expect(code, want)
}

// ehlo returns the capabilities (the reply's lines after the greeting line).
func (r *raw) ehlo() []string {
	r.t.Helper()
	lines := strings.Split(r.do("EHLO client.test", 250, ""), "\n")
	return lines[1:]
}

func (r *raw) startTLS() {
	r.t.Helper()
	r.do("STARTTLS", 220, "")
	c := tls.Client(r.conn, clientTLS())
	if err := c.Handshake(); err != nil {
		r.t.Fatalf("TLS handshake: %v", err)
	}
	r.conn = c
	r.tp = textproto.NewConn(c)
}

// plain is the AUTH PLAIN initial response.
func plain(user, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + secret))
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// login is a connection after STARTTLS and a successful AUTH PLAIN as email.
func (e *env) login(t testing.TB, email string) *raw {
	t.Helper()
	r := dialRaw(t, e.addr, false)
	r.ehlo()
	r.startTLS()
	r.ehlo()
	r.do("AUTH PLAIN "+plain(email, e.passcode[email]), 235, "")
	return r
}

// send runs one transaction and returns the final reply's code and text.
func (r *raw) send(from string, rcpts []string, msg string) (int, string) {
	r.t.Helper()
	r.do("MAIL FROM:<"+from+">", 250, "")
	for _, rc := range rcpts {
		r.do("RCPT TO:<"+rc+">", 250, "")
	}
	r.do("DATA", 354, "")
	dotted := strings.ReplaceAll(msg, "\r\n.", "\r\n..")
	if _, err := r.tp.W.WriteString(dotted + ".\r\n"); err != nil || r.tp.W.Flush() != nil {
		r.t.Fatal(err)
	}
	code, text, _ := r.tp.ReadResponse(0)
	return code, text
}

func has(caps []string, prefix string) bool {
	for _, c := range caps {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}
