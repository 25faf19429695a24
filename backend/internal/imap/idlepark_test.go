package imap_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"
)

// waitHeld waits until n IDLEs are held by the fronts, go-imap's Conn gone.
func (e *env) waitHeld(n int) {
	e.t.Helper()
	for i := 0; i < 300 && e.srv.HeldByFront() != n; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if got := e.srv.HeldByFront(); got != n {
		e.t.Fatalf("IDLEs held by the front = %d, want %d", got, n)
	}
}

// An IDLE held by the front (go-imap's Conn let go) says what go-imap's would: EXISTS, FETCH
// with UID, FLAGS and MODSEQ (CONDSTORE on), EXPUNGE, and DONE's tagged OK; the session then
// goes on in the selected state, CONDSTORE still on, with nothing of the replayed SELECT sent.
func TestIdleHeldByFront(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		first := e.deliver("a@example.org", "one", "x")
		c := e.login()
		c.ok("ENABLE CONDSTORE")
		c.ok("SELECT INBOX")
		c.idle()
		e.waitHeld(1)
		e.deliver("b@example.org", "two", "y")
		if l := c.line(); l != "* 2 EXISTS" {
			t.Fatalf("after delivery: %q", l)
		}
		other := e.login()
		other.ok("SELECT INBOX")
		other.ok(`STORE 1 +FLAGS.SILENT (\Seen \Flagged)`)
		l := c.line()
		if !strings.HasPrefix(l, "* 1 FETCH (MODSEQ (") || !strings.Contains(l, "UID "+itoa(int(first.UID))) ||
			!strings.Contains(l, `FLAGS (\Seen \Flagged)`) {
			t.Fatalf("after flag change: %q", l)
		}
		if err := e.app.Mailbox.Delete(context.Background(), e.acct.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if l := c.line(); l != "* 1 EXPUNGE" {
			t.Fatalf("after delete: %q", l)
		}
		if st := c.done(); st != "OK IDLE completed" {
			t.Fatalf("DONE: %q", st)
		}
		e.waitHeld(0)
		if u := c.ok("NOOP"); len(u) != 0 {
			t.Fatalf("NOOP after DONE: %q (the replayed SELECT's answer leaked?)", u)
		}
		mustHave(t, c.ok(`STORE 1 +FLAGS (\Answered)`), "* 1 FETCH (MODSEQ (", `\Answered`) // CONDSTORE still on
		if n := e.srv.IdleSessions(); n != 0 {
			t.Fatalf("idle sessions after DONE = %d", n)
		}
		// Again, DONE and a command sent in one write.
		c.idle()
		e.waitHeld(1)
		c.send("DONE\r\nx1 NOOP")
		if l := c.line(); l != "i"+itoa(c.n)+" OK IDLE completed" {
			t.Fatalf("pipelined DONE: %q", l)
		}
		if l := c.line(); l != "x1 OK NOOP completed" {
			t.Fatalf("command after DONE: %q", l)
		}
		// What is not DONE ends IDLE with BAD, as go-imap says it; the session goes on.
		c.idle()
		e.waitHeld(1)
		c.send("NOOP")
		if _, st := c.until("i" + itoa(c.n)); !strings.HasPrefix(st, "BAD") {
			t.Fatalf("IDLE ended by NOOP: %q", st)
		}
		c.ok("NOOP")
	})
}

// EXAMINE stays read-only across a held IDLE, and an IDLE without a selected mailbox leaves
// the session in the authenticated state.
func TestIdleHeldKeepsState(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.deliver("a@example.org", "one", "x")
		c := e.login()
		c.idle()
		e.waitHeld(1)
		if st := c.done(); st != "OK IDLE completed" {
			t.Fatalf("DONE: %q", st)
		}
		c.expect("BAD", "FETCH 1 FLAGS") // no mailbox selected
		c.ok("EXAMINE INBOX")
		c.idle()
		e.waitHeld(1)
		c.done()
		c.expect("NO", `STORE 1 +FLAGS (\Seen)`)
		mustHave(t, c.ok("FETCH 1 FLAGS"), "* 1 FETCH (FLAGS ())")
		c.ok("SELECT INBOX")
		c.ok(`STORE 1 +FLAGS (\Seen)`)
		c.ok("LOGOUT")
	})
}

// Over STARTTLS, a held IDLE hears of a delivery and DONE works; Close ends held IDLEs at once.
func TestIdleHeldTLS(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cfg := selfSigned(t)
		srv := e.app.NewIMAPServer(cfg)
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		go srv.Serve(ln)
		e.addr = ln.Addr().String()
		c := e.dial()
		c.ok("STARTTLS")
		tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			t.Fatal(err)
		}
		c.conn, c.r = tc, bufio.NewReader(tc)
		c.ok("LOGIN %s %s", userEmail, e.pass)
		c.ok("SELECT INBOX")
		c.idle()
		for i := 0; i < 300 && srv.HeldByFront() != 1; i++ {
			time.Sleep(10 * time.Millisecond)
		}
		if n := srv.HeldByFront(); n != 1 {
			t.Fatalf("held by the front: %d", n)
		}
		e.deliver("b@example.org", "two", "y")
		if l := c.line(); l != "* 1 EXISTS" {
			t.Fatalf("after delivery: %q", l)
		}
		if st := c.done(); st != "OK IDLE completed" {
			t.Fatalf("DONE: %q", st)
		}
		mustHave(t, c.ok("FETCH 1 FLAGS"), "* 1 FETCH")
		c.idle()
		for i := 0; i < 300 && srv.HeldByFront() != 1; i++ {
			time.Sleep(10 * time.Millisecond)
		}
		start := time.Now()
		srv.Close()
		c.readAll()
		for i := 0; i < 300 && srv.IdleSessions() != 0; i++ {
			time.Sleep(10 * time.Millisecond)
		}
		if d := time.Since(start); d > 2*time.Second || srv.IdleSessions() != 0 {
			t.Fatalf("Close took %v, %d IDLEs left", d, srv.IdleSessions())
		}
	}, envOpts{noPlaintext: true})
}
