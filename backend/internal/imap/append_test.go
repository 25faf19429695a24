package imap_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// APPEND stores through the mailbox service (parsed like a delivery), with flags and date;
// APPENDUID tells the UID.
func TestAppend(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login()
		msg := "From: user@example.com\r\nTo: bob@example.org\r\nSubject: Sent from Thunderbird\r\n\r\nHi Bob\r\n"
		c.n++
		c.send(fmt.Sprintf(`t%d APPEND "Sent Items" (\Seen $Label1) "05-Nov-2026 14:00:00 +0000" {%d+}`, c.n, len(msg)))
		c.send(msg)
		_, st := c.until(fmt.Sprintf("t%d", c.n))
		sent := e.folder(5)
		if !strings.HasPrefix(st, fmt.Sprintf("OK [APPENDUID %d 1]", sent.UIDValidity)) {
			t.Fatalf("APPEND: %s", st)
		}
		idx, err := e.app.Mailbox.Index(context.Background(), e.acct.ID, sent.ID, 0)
		if err != nil || len(idx) != 1 {
			t.Fatalf("sent = %v, %v", idx, err)
		}
		items, _ := e.app.Mailbox.ItemsByID(context.Background(), e.acct.ID, []uint64{idx[0].ID})
		it := items[0]
		if it.Subject != "Sent from Thunderbird" || !it.Read || it.IMAPFlags != "$Label1" || it.ReceivedAt.Day() != 5 || it.BodyText == "" {
			t.Fatalf("appended item = %+v", it)
		}
		// A synchronising literal: the server asks for it with "+".
		c.n++
		c.send(fmt.Sprintf("t%d APPEND Drafts {%d}", c.n, len(msg)))
		if l := c.line(); !strings.HasPrefix(l, "+") {
			t.Fatalf("no continuation: %q", l)
		}
		c.send(msg)
		if _, st := c.until(fmt.Sprintf("t%d", c.n)); !strings.HasPrefix(st, "OK [APPENDUID") {
			t.Fatalf("APPEND Drafts: %s", st)
		}
		// A mailbox that does not exist, and a literal over the limit.
		c.n++
		c.send(fmt.Sprintf("t%d APPEND Nowhere {%d+}", c.n, len(msg)))
		c.send(msg)
		if _, st := c.until(fmt.Sprintf("t%d", c.n)); !strings.HasPrefix(st, "NO [TRYCREATE]") {
			t.Fatalf("APPEND Nowhere: %s", st)
		}
		c.expect("NO [TOOBIG]", "APPEND INBOX {999999999}")
		c.ok("NOOP")
	})
}
