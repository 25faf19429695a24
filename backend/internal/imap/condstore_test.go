package imap_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	reHighest = regexp.MustCompile(`HIGHESTMODSEQ (\d+)`)
	reModSeq  = regexp.MustCompile(`MODSEQ \((\d+)\)`)
)

// num reads the first number re captures in lines (fails when there is none).
func num(t *testing.T, re *regexp.Regexp, lines ...string) int64 {
	t.Helper()
	for _, l := range lines {
		if m := re.FindStringSubmatch(l); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			return n
		}
	}
	t.Fatalf("no %v in %q", re, lines)
	return 0
}

// CONDSTORE (RFC 7162): advertised, enabled by ENABLE or SELECT (CONDSTORE), HIGHESTMODSEQ on
// SELECT and EXAMINE, and a change from any door (IMAP STORE, the mailbox service as EAS
// uses it, an LMTP delivery) raises it; FETCH (CHANGEDSINCE) returns exactly those messages,
// with MODSEQ.
func TestCondstoreChangedSince(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.deliver("a@example.org", "one", "1")
		two := e.deliver("b@example.org", "two", "2")
		e.deliver("c@example.org", "three", "3")

		c := e.login()
		mustHave(t, c.ok("CAPABILITY"), "CONDSTORE", "ID")
		mustHave(t, c.ok("ENABLE CONDSTORE"), "* ENABLED CONDSTORE")
		h0 := num(t, reHighest, c.ok("SELECT INBOX (CONDSTORE)")...)
		if h0 <= 0 {
			t.Fatalf("HIGHESTMODSEQ %d", h0)
		}
		mustHave(t, c.ok("EXAMINE INBOX"), "[HIGHESTMODSEQ ")

		// A flag over IMAP (its FETCH carries MODSEQ, above h0)...
		c.ok("SELECT INBOX")
		u := c.ok("STORE 1 +FLAGS (\\Flagged)")
		if m := num(t, reModSeq, u...); m <= h0 {
			t.Fatalf("STORE MODSEQ %d not above %d: %q", m, h0, u)
		}
		mustHave(t, u, "* 1 FETCH (", "UID ", "FLAGS (\\Flagged)")
		// ...one through the mailbox service (EAS Read)...
		read := true
		if _, err := e.app.Mailbox.SetFlags(ctx, e.acct.ID, two.ID, &read, nil); err != nil {
			t.Fatal(err)
		}
		// ...and a delivery.
		e.deliver("d@example.org", "four", "4")

		other := e.login()
		h1 := num(t, reHighest, other.ok("SELECT INBOX (CONDSTORE)")...)
		if h1 <= h0 {
			t.Fatalf("HIGHESTMODSEQ %d after changes, was %d", h1, h0)
		}
		got := other.ok("FETCH 1:* (FLAGS) (CHANGEDSINCE %d)", h0)
		if len(got) != 3 || !has(got, "* 1 FETCH (MODSEQ (", "\\Flagged") || !has(got, "* 2 FETCH (MODSEQ (", "\\Seen") ||
			!has(got, "* 4 FETCH (MODSEQ (") || has(got, "* 3 FETCH") {
			t.Fatalf("CHANGEDSINCE %d: %q", h0, got)
		}
		for _, l := range got {
			if m := num(t, reModSeq, l); m <= h0 || m > h1 {
				t.Fatalf("MODSEQ %d outside (%d, %d]: %q", m, h0, h1, l)
			}
		}
		if got := other.ok("UID FETCH 1:* (FLAGS) (CHANGEDSINCE %d)", h1); len(got) != 0 {
			t.Fatalf("nothing changed after %d, got %q", h1, got)
		}
		// MODSEQ alone and in a list, and the items go-imap knows beside it.
		mustHave(t, other.ok("FETCH 3 MODSEQ"), "* 3 FETCH (MODSEQ (")
		mustHave(t, other.ok("UID FETCH 1:* (UID MODSEQ FLAGS)"), "* 4 FETCH (MODSEQ (", "UID 4", "FLAGS ()")
		// The other session, CONDSTORE on, hears of the changes with MODSEQ and UID.
		u = c.ok("NOOP")
		mustHave(t, u, "* 2 FETCH (MODSEQ (", "UID ", "\\Seen")
		mustHave(t, u, "* 4 EXISTS")

		// Bad modifiers are BAD, and the session goes on.
		c.expect("BAD", "FETCH 1 (FLAGS) (CHANGEDSINCE x)")
		c.expect("BAD", "FETCH 1 (FLAGS) (FROB 1)")
		c.ok("NOOP")
	})
}

// STORE (UNCHANGEDSINCE n): refused, [MODIFIED set], for a message changed after n (here by
// another session); done, with MODSEQ, for one that was not; UNCHANGEDSINCE 0 always fails.
func TestCondstoreUnchangedSince(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for i := 0; i < 3; i++ {
			e.deliver("a@example.org", fmt.Sprintf("m%d", i), "x")
		}
		a, b := e.login(), e.login()
		a.ok("SELECT INBOX (CONDSTORE)")
		b.ok("SELECT INBOX")
		m2 := num(t, reModSeq, a.ok("FETCH 2 (MODSEQ)")...)
		m3 := num(t, reModSeq, a.ok("FETCH 3 (MODSEQ)")...)
		b.ok("STORE 2 +FLAGS (\\Answered)")

		_, st := a.cmd("STORE 2,3 (UNCHANGEDSINCE %d) +FLAGS (\\Seen)", max(m2, m3))
		if !strings.HasPrefix(st, "OK [MODIFIED 2]") {
			t.Fatalf("conditional STORE: %s", st)
		}
		// The refused message keeps its flags; the other has \Seen and a new MODSEQ.
		got := a.ok("FETCH 2:3 (FLAGS MODSEQ)")
		if !has(got, "* 2 FETCH", "\\Answered") || has(got, "* 2 FETCH", "\\Seen") || !has(got, "* 3 FETCH", "\\Seen") {
			t.Fatalf("after the conditional STORE: %q", got)
		}
		now3 := int64(0)
		for _, l := range got {
			if strings.HasPrefix(l, "* 3 FETCH") {
				now3 = num(t, reModSeq, l)
			}
		}
		if now3 <= m3 {
			t.Fatalf("message 3 MODSEQ %d, was %d", now3, m3)
		}
		// UID STORE names UIDs in MODIFIED; .SILENT still tells the MODSEQ of a change.
		_, st = a.cmd("UID STORE 1:3 (UNCHANGEDSINCE 0) +FLAGS (\\Draft)")
		if !strings.HasPrefix(st, "OK [MODIFIED 1:3]") {
			t.Fatalf("UNCHANGEDSINCE 0: %s", st)
		}
		u := a.ok("UID STORE 1 (UNCHANGEDSINCE %d) +FLAGS.SILENT (\\Draft)", now3+100)
		mustHave(t, u, "* 1 FETCH (MODSEQ (", "UID 1")
		if has(u, "FLAGS") {
			t.Fatalf(".SILENT wrote FLAGS: %q", u)
		}
	})
}

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
