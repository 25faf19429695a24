package imap_test

import (
	"testing"
)

// STATUS (HIGHESTMODSEQ) and SEARCH MODSEQ.
func TestCondstoreStatusSearch(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.deliver("a@example.org", "one", "1")
		e.deliver("b@example.org", "two", "2")
		c := e.login()
		st := c.ok("STATUS INBOX (MESSAGES HIGHESTMODSEQ)")
		mustHave(t, st, "* STATUS INBOX (MESSAGES 2 HIGHESTMODSEQ ")
		h := num(t, reHighest, st...)
		mustHave(t, c.ok("STATUS Drafts (HIGHESTMODSEQ)"), `* STATUS "Drafts" (HIGHESTMODSEQ 1)`)
		c.ok("SELECT INBOX")
		c.ok("STORE 2 +FLAGS (\\Seen)")
		if h2 := num(t, reHighest, c.ok("STATUS INBOX (HIGHESTMODSEQ UIDNEXT)")...); h2 <= h {
			t.Fatalf("HIGHESTMODSEQ %d after a STORE, was %d", h2, h)
		}
		got := c.ok("SEARCH MODSEQ %d", h+1)
		mustHave(t, got, "* SEARCH 2 (MODSEQ ")
		if has(got, "* SEARCH 1") {
			t.Fatalf("SEARCH MODSEQ: %q", got)
		}
		mustHave(t, c.ok(`UID SEARCH OR MODSEQ "/flags/\\seen" all %d SUBJECT MODSEQ`, h+1), "* SEARCH 2 (MODSEQ ")
		mustHave(t, c.ok("SEARCH SUBJECT modseq"), "* SEARCH")
		mustHave(t, c.ok("SEARCH MODSEQ 1"), "* SEARCH 1 2 (MODSEQ ")
	})
}
