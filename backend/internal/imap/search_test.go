package imap_test

import (
	"context"
	"testing"
)

func TestSearch(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.deliver("Alice <alice@example.org>", "Quarterly report", "numbers inside")
		e.deliver("bob@example.org", "Lunch?", "pizza at noon")
		if _, err := e.app.Mailbox.Deliver(context.Background(), e.acct.ID, []byte(multipart)); err != nil {
			t.Fatal(err)
		}
		c := e.login()
		c.ok("SELECT INBOX")
		c.ok(`STORE 2 +FLAGS (\Seen \Flagged)`)
		c.ok(`STORE 3 +FLAGS ($Work \Answered)`)
		for q, want := range map[string]string{
			"ALL":                                   "* SEARCH 1 2 3",
			"FROM alice":                            "* SEARCH 1 3",
			"TO user@example.com":                   "* SEARCH 1 2 3",
			"CC carol":                              "* SEARCH 3",
			"SUBJECT report":                        "* SEARCH 1 3",
			`SUBJECT "café"`:                        "* SEARCH 3",
			"BODY pizza":                            "* SEARCH 2",
			"TEXT quarterly":                        "* SEARCH 1",
			"TEXT noon":                             "* SEARCH 2",
			"SEEN":                                  "* SEARCH 2",
			"UNSEEN":                                "* SEARCH 1 3",
			"FLAGGED":                               "* SEARCH 2",
			"ANSWERED":                              "* SEARCH 3",
			"KEYWORD $Work":                         "* SEARCH 3",
			"DELETED":                               "* SEARCH",
			"DRAFT":                                 "* SEARCH",
			"NOT SEEN":                              "* SEARCH 1 3",
			"OR FLAGGED ANSWERED":                   "* SEARCH 2 3",
			"2:3":                                   "* SEARCH 2 3",
			"UID 1:2":                               "* SEARCH 1 2",
			"LARGER 300":                            "* SEARCH 3",
			"SMALLER 300":                           "* SEARCH 1 2",
			"SINCE 1-Jan-2000":                      "* SEARCH 1 2 3",
			"BEFORE 1-Jan-2000":                     "* SEARCH",
			"ON 1-Jan-2000":                         "* SEARCH",
			"SENTSINCE 3-Nov-2026":                  "* SEARCH 3",
			"FROM nobody":                           "* SEARCH",
			"NOT FROM alice UNSEEN":                 "* SEARCH",
			`HEADER Message-ID "<mp1@example.org>"`: "* SEARCH 3",
		} {
			u := c.ok("SEARCH %s", q)
			if len(u) != 1 || u[0] != want {
				t.Errorf("SEARCH %s = %q, want %q", q, u, want)
			}
		}
		mustHave(t, c.ok("UID SEARCH FLAGGED"), "* SEARCH 2")
		c.expect("BAD", "SEARCH FROBNICATE")
		c.expect("NO [BADCHARSET]", "SEARCH CHARSET KOI8-R ALL")
	})
}
