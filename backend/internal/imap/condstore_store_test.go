package imap_test

import (
	"fmt"
	"strings"
	"testing"
)

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
