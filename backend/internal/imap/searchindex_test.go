package imap_test

import (
	"context"
	"fmt"
	"testing"
)

// SEARCH's text keys answer the same with the search index narrowing them as without it, on
// German, Japanese, HTML and RFC 2047 mail, and follow changes to the folder.
func TestSearchIndexSameAnswers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.deliver("Jürgen <juergen@beispiel.de>", "Grüße aus München", "Die Straße ist nass. Äpfel und Öl!")
		e.deliver("tanaka@example.jp", "会議の議事録", "東京都に住んでいます。明日の会議は午後三時からです。")
		e.deliver("suzuki@example.jp", "東京出張", "これはとても長い日本語の文章で三十二文字を超えるので窓に分けて索引に入れられる文章です")
		e.deliver("alice@example.org", "Hello World", "Say hello, world: it works. 100% sure_thing")
		html := "From: Bob <bob@example.org>\r\nTo: user@example.com\r\nSubject: =?utf-8?q?=C3=9Cbung?= macht den Meister\r\nX-Tag: only-in-a-header\r\nMessage-ID: <h1@example.org>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Schöne <b>Grüße</b> aus Zürich</p>\r\n"
		if _, err := e.app.Mailbox.Deliver(context.Background(), e.acct.ID, []byte(html)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Mailbox.Deliver(context.Background(), e.acct.ID, []byte(multipart)); err != nil {
			t.Fatal(err)
		}
		// Words folding changes next to plain ones, and an encoded ASCII subject: the index
		// proves only what every predicate finds (a decoded header, not its raw form).
		e.deliver("kelvin@example.org", "\u212aelvin ﬁnance report", "KELVIN plain finance words; Ｔｏｋｙｏ and tokyo")
		enc := "From: x@example.org\r\nTo: user@example.com\r\nCc: Carol <carol@example.net>\r\nSubject: =?us-ascii?q?Quarterly_report?=\r\nX-Other: quarterly-only\r\nMessage-ID: <q1@example.org>\r\n\r\nbody words\r\n"
		if _, err := e.app.Mailbox.Deliver(context.Background(), e.acct.ID, []byte(enc)); err != nil {
			t.Fatal(err)
		}
		c := e.login()
		c.ok("SELECT INBOX")
		var queries []string
		for _, w := range []string{"ell", "HELLO", "o, w", "münchen", "MÜNCHEN", "grüße", "straße", "äpfel", "東京", "住んで", "議事", "索引に入れられる文章です",
			"窓に分けて索引", "Übung", "übung", "utf-8?q", "only-in", "header", "zürich", "<b>", "café", "100%", "sure_th", "example", "e", "!", ".", "nomatch",
			"kelvin", "elvin", "finance", "ﬁnance", "tokyo", "Ｔｏｋｙｏ", "quarterly", "ascii", "report", "carol", "words", "plain", "user"} {
			for _, key := range []string{"TEXT", "BODY", "SUBJECT", "FROM", "HEADER X-Tag", "CC", "TO"} {
				queries = append(queries, fmt.Sprintf("%s %q", key, w))
			}
		}
		queries = append(queries, `TEXT "東京" NOT BODY "議事"`, `OR TEXT "hello" TEXT "東京"`, `NOT TEXT "e"`, `TEXT "hello" TEXT "world"`,
			`SUBJECT "grüße" BODY "nass"`, `UNSEEN TEXT "münchen"`, `2:4 TEXT "e"`,
			`TEXT "report" SEEN`, `TEXT "report" UNSEEN`, `NOT BODY "report"`, `BODY "finance" SUBJECT "report"`, `TEXT "report" SENTSINCE 1-Jan-2000`,
			`OR BODY "finance" SUBJECT "finance"`, `TEXT "words" TEXT "ﬁnance"`, `7:* TEXT "report"`, `HEADER Subject "report"`)
		check := func() {
			t.Helper()
			for _, q := range queries {
				want := c.ok("SEARCH CHARSET UTF-8 %s", q)
				e.app.Store.UseSearchIndex(false)
				old := c.ok("SEARCH CHARSET UTF-8 %s", q)
				e.app.Store.UseSearchIndex(true)
				if fmt.Sprint(want) != fmt.Sprint(old) {
					t.Errorf("SEARCH %s = %q with the index, %q without", q, want, old)
				}
			}
		}
		check()
		for q, want := range map[string]string{`TEXT "東京"`: "* SEARCH 2 3", `BODY "住んで"`: "* SEARCH 2", `SUBJECT "übung"`: "* SEARCH 5",
			`TEXT "only-in"`: "* SEARCH 5", `BODY "ell"`: "* SEARCH 4", `TEXT "文章です"`: "* SEARCH 3"} {
			if u := c.ok("SEARCH CHARSET UTF-8 %s", q); len(u) != 1 || u[0] != want {
				t.Errorf("SEARCH %s = %q, want %q", q, u, want)
			}
		}
		c.ok(`STORE 2 +FLAGS (\Deleted)`)
		c.ok("EXPUNGE")
		c.ok(`COPY 2 INBOX`)
		check()
		if u := c.ok(`SEARCH CHARSET UTF-8 TEXT "東京"`); len(u) != 1 || u[0] != "* SEARCH 2 8" {
			t.Errorf("after EXPUNGE and COPY: %q", u)
		}
	})
}
