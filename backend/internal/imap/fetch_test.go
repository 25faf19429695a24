package imap_test

import (
	"context"
	"strings"
	"testing"
)

const multipart = "From: Alice <alice@example.org>\r\nTo: user@example.com\r\nCc: Carol <carol@example.org>\r\nSubject: =?utf-8?q?Caf=C3=A9?= report\r\nDate: Tue, 03 Nov 2026 09:30:00 +0100\r\nMessage-ID: <mp1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe body text.\r\n--XX\r\nContent-Type: application/pdf; name=r.pdf\r\nContent-Disposition: attachment; filename=r.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--XX--\r\n"

func TestFetch(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		it, err := e.app.Mailbox.Deliver(context.Background(), e.acct.ID, []byte(multipart))
		if err != nil {
			t.Fatal(err)
		}
		c := e.login()
		c.ok("SELECT INBOX")
		u := c.ok("FETCH 1 (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)")
		mustHave(t, u, "* 1 FETCH", "UID ", "FLAGS ()", "RFC822.SIZE", "INTERNALDATE", `"Alice"`, "alice", "carol", "<mp1@example.org>")
		if !has(u, "RFC822.SIZE "+itoa(len(multipart))) {
			t.Fatalf("size: %q", u)
		}
		mustHave(t, c.ok("FETCH 1 BODYSTRUCTURE"), `"text" "plain"`, `"application" "pdf"`, `"mixed"`)
		mustHave(t, c.ok("FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]"), "Subject: =?utf-8?q?Caf=C3=A9?= report")
		mustHave(t, c.ok("FETCH 1 BODY.PEEK[1]"), "The body text.")
		mustHave(t, c.ok("FETCH 1 BODY.PEEK[2]"), "JVBERi0xLjQK")
		mustHave(t, c.ok("FETCH 1 BODY.PEEK[]<0.4>"), "BODY[]<0> {4}From")
		mustHave(t, c.ok("FETCH 1 BODY.PEEK[TEXT]"), "--XX")
		mustHave(t, c.ok("FETCH 1 FLAGS"), "FLAGS ()") // PEEK left \Seen alone

		// A body fetch without PEEK sets \Seen, reported in the same response, and the
		// phone's Read with it.
		u = c.ok("FETCH 1 BODY[]")
		mustHave(t, u, `\Seen`)
		got, err := e.app.Mailbox.Item(context.Background(), e.acct.ID, it.ID)
		if err != nil || !got.Read {
			t.Fatalf("item after BODY[] = read %v, %v", got.Read, err)
		}
		c.expect("BAD", "FETCH 5 FLAGS")
		c.expect("BAD", "FETCH 1 (NOSUCHITEM)")
		if u := c.ok("UID FETCH 999999 FLAGS"); len(u) != 0 {
			t.Fatalf("unknown UID fetched: %q", u)
		}
		if !strings.Contains(strings.Join(c.ok("UID FETCH *:* UID"), ""), "UID") {
			t.Fatal("UID * names no message")
		}
	})
}
