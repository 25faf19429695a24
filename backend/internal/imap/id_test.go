package imap_test

import (
	"strings"
	"testing"
)

// ID (RFC 2971), before and after login; its syntax is checked.
func TestID(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.dial()
		mustHave(t, c.ok(`ID ("name" "imaplib" "version" "3")`), `* ID ("name" "Tessera"`)
		c.ok("LOGIN %s %s", userEmail, e.pass)
		mustHave(t, c.ok("ID NIL"), `* ID (`)
		c.expect("BAD", `ID ("odd")`)
		c.expect("BAD", "ID")
		// Pipelined with other commands, answered in order.
		c.send("p1 NOOP\r\np2 ID NIL\r\np3 SELECT INBOX")
		u, st := c.until("p1")
		if !strings.HasPrefix(st, "OK") || has(u, "* ID") {
			t.Fatalf("p1: %q %s", u, st)
		}
		if u, st = c.until("p2"); !has(u, "* ID") || !strings.HasPrefix(st, "OK") {
			t.Fatalf("p2: %q %s", u, st)
		}
		if _, st = c.until("p3"); !strings.HasPrefix(st, "OK [READ-WRITE]") {
			t.Fatalf("p3: %s", st)
		}
	})
}
