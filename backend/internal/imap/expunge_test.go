package imap_test

import (
	"context"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// EXPUNGE deletes \Deleted messages through the tombstones (the phone's Sync sees them go);
// UID EXPUNGE only those named.
func TestExpunge(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a := e.deliver("a@example.org", "one", "x")
		b := e.deliver("b@example.org", "two", "y")
		d := e.deliver("c@example.org", "three", "z")
		c := e.login()
		c.ok("SELECT INBOX")
		c.ok(`STORE 1:3 +FLAGS.SILENT (\Deleted)`)
		mustHave(t, c.ok("UID EXPUNGE %d", b.UID), "* 2 EXPUNGE")
		if _, err := e.app.Mailbox.Item(ctx, e.acct.ID, b.ID); err != mailbox.ErrNoItem {
			t.Fatalf("expunged item live: %v", err)
		}
		if _, err := e.app.Mailbox.Item(ctx, e.acct.ID, a.ID); err != nil {
			t.Fatalf("UID EXPUNGE took another: %v", err)
		}
		u := c.ok("EXPUNGE")
		mustHave(t, u, "* 2 EXPUNGE")
		mustHave(t, u, "* 1 EXPUNGE")
		changes, err := e.app.Mailbox.Changes(ctx, e.inbox().ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		dead := 0
		for _, it := range changes {
			if it.Deleted && (it.ID == a.ID || it.ID == d.ID || it.ID == b.ID) {
				dead++
			}
		}
		if dead != 3 {
			t.Fatalf("tombstones = %d of 3", dead)
		}
		mustHave(t, c.ok("SELECT INBOX"), "* 0 EXISTS")

		// CLOSE expunges silently; EXAMINE + CLOSE expunges nothing.
		keep := e.deliver("d@example.org", "four", "w")
		gone := e.deliver("e@example.org", "five", "v")
		c.ok("SELECT INBOX")
		c.ok(`STORE 1:2 +FLAGS.SILENT (\Deleted)`)
		c.ok("EXAMINE INBOX")
		c.ok("CLOSE")
		c.ok("SELECT INBOX")
		c.ok(`STORE 1 -FLAGS.SILENT (\Deleted)`)
		if u := c.ok("CLOSE"); has(u, "EXPUNGE") {
			t.Fatalf("CLOSE sent %q", u)
		}
		if _, err := e.app.Mailbox.Item(ctx, e.acct.ID, gone.ID); err != mailbox.ErrNoItem {
			t.Fatalf("CLOSE left a \\Deleted message: %v", err)
		}
		if _, err := e.app.Mailbox.Item(ctx, e.acct.ID, keep.ID); err != nil {
			t.Fatalf("CLOSE took a kept message: %v", err)
		}
		c.ok("NOOP")
	})
}
