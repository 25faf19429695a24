package imap_test

import (
	"strings"
	"testing"
)

// Bad input gets a protocol answer, never a crash: huge literals and lines are refused, an
// unknown command is BAD, a command in the wrong state BAD or NO; the server keeps serving.
func TestBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login()
		c.expect("BAD", "FROBNICATE now")
		c.expect("BAD", "FETCH 1 FLAGS") // nothing selected
		c.expect("BAD", "EXPUNGE")
		// A literal over go-imap's 4 KiB bound for a string argument: go-imap gives up on it
		// and waits for the end of the line before answering (no continuation is sent).
		c.n++
		c.send("t99 CREATE {999999999}")
		c.send("")
		_, st := c.until("t99")
		t.Logf("huge literal: %s", st)
		if strings.HasPrefix(st, "OK") {
			t.Fatalf("huge literal accepted: %s", st)
		}
		c.ok("NOOP")
		c.ok("SELECT INBOX")
		c.expect("BAD", "FETCH x FLAGS")
		c.expect("BAD", "STORE 1 +FLAGS")
		c.expect("BAD", `SEARCH OR SEEN`)
		c.ok("ENABLE IMAP4rev2") // not offered: nothing enabled, still OK
		c.ok("UNSELECT")

		// A line longer than the bound: the connection is dropped, the server lives.
		long := e.login()
		long.send("x1 LIST \"\" \"" + strings.Repeat("a", 100<<10) + "\"")
		long.readAll()
		e.login().ok("NOOP")

		// An unknown command before login ends the connection (cross-protocol attacks).
		d := e.dial()
		d.send("GET / HTTP/1.1")
		if rest := d.readAll(); !strings.Contains(rest, "BAD") {
			t.Fatalf("HTTP on the IMAP port: %q", rest)
		}
	})
}
