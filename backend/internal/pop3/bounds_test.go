package pop3_test

import (
	"crypto/tls"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A line over MaxLine is refused and the next one is read cleanly; too many bad commands
// close the connection.
func TestLongLinesAndBadCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{MaxBadCommands: 4})
		c := dial(t, e.addr)
		if r := c.cmd("NOOP " + strings.Repeat("x", 100000)); r != "-ERR Line too long" {
			t.Errorf("long line: %q", r)
		}
		c.ok("CAPA")
		c.multi()
		if r := c.cmd(strings.Repeat("y", pop3.MaxLine-2)); r != "-ERR Unknown command" { // just fits
			t.Errorf("line of MaxLine octets: %q", r)
		}
		c.cmd("FOO")
		if r := c.cmd("BAR"); !strings.HasPrefix(r, "-ERR") {
			t.Errorf("4th bad command: %q", r)
		}
		if !c.closed() {
			t.Error("connection open after too many bad commands")
		}
		// The server goes on serving.
		c = e.login(t)
		c.ok("STAT")
	})
}

// A client that sends nothing is told so and dropped after the idle timeout.
func TestIdleTimeout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{IdleTimeout: 300 * time.Millisecond})
		c := e.login(t)
		time.Sleep(500 * time.Millisecond)
		if r := c.line(); !strings.Contains(r, "Idle timeout") {
			t.Errorf("after idling: %q", r)
		}
		if !c.closed() {
			t.Error("connection open after the idle timeout")
		}
	})
}

// Close says goodbye to open sessions (nothing they marked is deleted) and Serve returns.
func TestCloseLogsOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		ids := e.deliver(t, msg("one", "1\r\n"))
		c := e.login(t)
		c.ok("DELE 1")
		unauth := dial(t, e.addr)
		e.close(t)
		for _, cl := range []*client{c, unauth} {
			if r := cl.line(); !strings.HasPrefix(r, "-ERR [SYS/TEMP]") {
				t.Errorf("at Close: %q", r)
			}
			if !cl.closed() {
				t.Error("connection open after Close")
			}
		}
		if got := e.live(t); len(got) != 1 || got[0] != ids[0] {
			t.Errorf("Close deleted: live %v", got)
		}
	})
}

// The implicit-TLS listener logs in at once, offers no STLS.
func TestImplicitTLS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		e.deliver(t, msg("one", "1\r\n"))
		c := e.dialTLS(t)
		for _, l := range capa(c) {
			if l == "STLS" {
				t.Error("STLS offered under implicit TLS")
			}
		}
		c.ok("AUTH PLAIN " + plain("", userEmail, e.passcode))
		if r := c.ok("STAT"); !strings.HasPrefix(r, "+OK 1 ") {
			t.Errorf("STAT: %q", r)
		}
	})
}

// A command sent in the clear behind STLS, before the handshake, is never run (RFC 2595
// section 3.1: the buffer is thrown away).
func TestSTLSDropsPipelinedPlaintext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{PlaintextLoopback: true})
		c := dial(t, e.addr)
		c.send("STLS\r\nUSER " + userEmail)
		if r := c.line(); !strings.HasPrefix(r, "+OK") {
			t.Fatalf("STLS: %q", r)
		}
		tc := tls.Client(c.conn, e.clientTLS)
		if err := tc.Handshake(); err != nil {
			t.Fatalf("handshake: %v", err)
		}
		c.conn, c.r = tc, newReader(tc)
		// Had the injected USER been run, PASS would log in.
		if r := c.cmd("PASS " + e.passcode); r != "-ERR Send USER first" {
			t.Errorf("PASS after an injected USER: %q", r)
		}
	})
}

// A failed handshake on the TLS listener costs the server nothing.
func TestBadHandshake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		c := dial(t, e.addr)
		c.ok("STLS")
		io.WriteString(c.conn, "this is not a TLS client hello\r\n\r\n")
		buf := make([]byte, 100)
		c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			if _, err := c.conn.Read(buf); err != nil {
				if errors.Is(err, io.EOF) || strings.Contains(err.Error(), "reset") {
					break
				}
				t.Fatalf("read after a bad handshake: %v", err)
			}
		}
		c = e.dialTLS(t)
		c.ok("AUTH PLAIN " + plain("", userEmail, e.passcode))
	})
}
