package imap_test

import (
	"testing"
)

// LIST, LSUB, CREATE, RENAME, DELETE, SUBSCRIBE, STATUS: mail folders only, special-use
// attributes, "/" hierarchy, default folders protected.
func TestMailboxes(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login()
		l := c.ok(`LIST "" "*"`)
		mustHave(t, l, `"/" INBOX`)
		mustHave(t, l, `\Sent`, `"Sent Items"`)
		mustHave(t, l, `\Drafts`, `Drafts`)
		mustHave(t, l, `\Trash`, `"Deleted Items"`)
		for _, not := range []string{"Calendar", "Contacts", "Tasks", "Notes"} {
			if has(l, not) {
				t.Fatalf("%s listed as a mailbox: %q", not, l)
			}
		}
		mustHave(t, c.ok(`LIST "" ""`), `\Noselect`, `"/"`)

		c.ok("CREATE Projects/2026/Q1")
		l = c.ok(`LIST "" "Projects*"`)
		mustHave(t, l, `\HasChildren`, `Projects`)
		mustHave(t, l, `"Projects/2026/Q1"`)
		mustHave(t, c.ok(`LIST "" "Projects/%%"`), "Projects/2026")
		if has(c.ok(`LIST "" "Projects/%%"`), "Q1") {
			t.Fatal("% matched two levels")
		}
		c.expect("NO [ALREADYEXISTS]", "CREATE Projects")
		c.ok("CREATE INBOX/Receipts")
		mustHave(t, c.ok(`LIST "" "INBOX/*"`), "INBOX/Receipts")

		c.ok("RENAME Projects/2026/Q1 Archive/Old")
		l = c.ok(`LIST "" "*"`)
		mustHave(t, l, `"Archive/Old"`)
		if has(l, "Q1") {
			t.Fatalf("old name still listed: %q", l)
		}
		c.expect("NO [CANNOT]", `RENAME "Sent Items" Elsewhere`)
		c.expect("NO [CANNOT]", `DELETE Drafts`)
		c.expect("NO [CANNOT]", `DELETE INBOX`)
		c.expect("NO [HASCHILDREN]", `DELETE Archive`)
		c.ok("DELETE Archive/Old")
		c.ok("DELETE Archive")
		c.expect("NO [NONEXISTENT]", "DELETE Archive")
		c.expect("NO", "SELECT Nowhere")

		c.ok("SUBSCRIBE Projects")
		mustHave(t, c.ok(`LSUB "" "*"`), "INBOX")
		c.ok("UNSUBSCRIBE Projects")

		e.deliver("a@example.org", "one", "x")
		e.deliver("b@example.org", "two", "y")
		mustHave(t, c.ok("STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)"), "MESSAGES 2", "UNSEEN 2", "UIDNEXT", "UIDVALIDITY")
		c.expect("NO", "STATUS Nowhere (MESSAGES)")
		mustHave(t, c.ok("NAMESPACE"), `* NAMESPACE (("" "/")) NIL NIL`)
	})
}
