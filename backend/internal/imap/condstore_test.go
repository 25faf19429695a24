package imap_test

import (
	"context"
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
		caps := c.ok("CAPABILITY")
		mustHave(t, caps, "CONDSTORE", "ID", "LITERAL+")
		if strings.Contains(strings.Join(caps, "\n"), "LITERAL-") { // RFC 7888: one or the other
			t.Fatalf("LITERAL- advertised with LITERAL+: %q", caps)
		}
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
