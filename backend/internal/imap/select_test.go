package imap_test

import (
	"fmt"
	"testing"
)

func TestSelectExamine(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.deliver("a@example.org", "first", "hello")
		e.deliver("b@example.org", "second", "world")
		c := e.login()
		u := c.ok("SELECT INBOX")
		mustHave(t, u, "* 2 EXISTS")
		mustHave(t, u, fmt.Sprintf("UIDVALIDITY %d", e.inbox().UIDValidity))
		mustHave(t, u, "UIDNEXT")
		mustHave(t, u, `PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft \*)`)
		mustHave(t, u, "* FLAGS (")
		mustHave(t, c.ok("UID FETCH 1:* (UID)"), fmt.Sprintf("UID %d", a.UID))

		// EXAMINE: read-only; a body fetch does not set \Seen, STORE is refused.
		u, st := c.cmd("EXAMINE INBOX")
		if st[:2] != "OK" || !has([]string{st}, "READ-ONLY") {
			t.Fatalf("EXAMINE: %s", st)
		}
		mustHave(t, u, "* 2 EXISTS")
		c.ok("FETCH 1 BODY[]")
		c.expect("NO", `STORE 1 +FLAGS (\Flagged)`)
		mustHave(t, c.ok("FETCH 1 FLAGS"), "FLAGS ()")
		c.ok("UNSELECT")
		c.expect("BAD", "FETCH 1 FLAGS")
		c.ok("SELECT INBOX")
		c.ok("CLOSE")
		c.expect("BAD", "FETCH 1 FLAGS")
	})
}
