package imap_test

import (
	"context"
	"strconv"
	"testing"
)

func itoa(n int) string { return strconv.Itoa(n) }

// STORE maps \Seen and \Flagged to the item's Read and Flagged (what EAS shows), keeps the
// other flags and keywords, and bumps the item's change number.
func TestStore(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		it := e.deliver("a@example.org", "one", "x")
		ctx := context.Background()
		c := e.login()
		c.ok("SELECT INBOX")
		mustHave(t, c.ok(`STORE 1 +FLAGS (\Seen \Flagged $Important)`), `FLAGS (\Seen \Flagged $Important)`)
		got, _ := e.app.Mailbox.Item(ctx, e.acct.ID, it.ID)
		if !got.Read || !got.Flagged || got.IMAPFlags != "$Important" || got.ModSeq <= it.ModSeq {
			t.Fatalf("item after STORE = %+v", got)
		}
		mustHave(t, c.ok(`UID STORE %d -FLAGS (\Flagged)`, it.UID), "UID "+itoa(int(it.UID)), `FLAGS (\Seen $Important)`)
		if u := c.ok(`STORE 1 +FLAGS.SILENT (\Answered \Draft)`); has(u, "FETCH") {
			t.Fatalf(".SILENT answered %q", u)
		}
		mustHave(t, c.ok("FETCH 1 FLAGS"), `\Seen`, `$Important`, `\Answered`, `\Draft`)
		c.ok(`STORE 1 FLAGS (\Deleted)`)
		got, _ = e.app.Mailbox.Item(ctx, e.acct.ID, it.ID)
		if got.Read || got.Flagged || got.IMAPFlags != `\Deleted` || got.Deleted {
			t.Fatalf("after FLAGS (\\Deleted): %+v", got)
		}
		// A change made by the phone shows as an unsolicited FETCH.
		tr := true
		if _, err := e.app.Mailbox.SetFlags(ctx, e.acct.ID, it.ID, nil, &tr); err != nil {
			t.Fatal(err)
		}
		mustHave(t, c.ok("NOOP"), "* 1 FETCH", `\Flagged`)
		c.expect("BAD", "STORE 1 +FLAGS")
		c.expect("BAD", "STORE 3 +FLAGS (\\Seen)")
	})
}
