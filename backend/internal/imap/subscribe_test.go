package imap_test

import (
	"testing"
)

// SUBSCRIBE, UNSUBSCRIBE and LSUB are kept per account, across connections: a mailbox never
// subscribed or unsubscribed counts as subscribed; an unsubscribed one leaves LSUB and
// LIST (SUBSCRIBED) for every later session; a subscribed one that is deleted stays listed
// (\Noselect) until unsubscribed; SUBSCRIBE of a name with no mailbox is NO.
func TestSubscriptions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.login()
		a.ok("CREATE Projects")
		a.ok("CREATE Old")
		a.ok("CREATE Case")
		mustHave(t, a.ok(`LSUB "" "*"`), `"Projects"`) // never subscribed or not: subscribed
		a.ok("UNSUBSCRIBE Projects")
		a.ok("SUBSCRIBE Old")
		a.ok("UNSUBSCRIBE case") // another name than Case
		a.expect("NO", "SUBSCRIBE Nowhere")

		b := e.login()
		lsub := b.ok(`LSUB "" "*"`)
		mustHave(t, lsub, "INBOX")
		mustHave(t, lsub, `"Old"`)
		mustHave(t, lsub, `"Case"`)
		if has(lsub, `"Projects"`) {
			t.Fatalf("unsubscribed Projects in LSUB: %q", lsub)
		}
		if has(b.ok(`LIST (SUBSCRIBED) "" "*"`), `"Projects"`) {
			t.Fatal("unsubscribed Projects in LIST (SUBSCRIBED)")
		}
		mustHave(t, b.ok(`LIST "" "*"`), `"Projects"`) // LIST still shows it
		mustHave(t, b.ok(`LIST "" "*" RETURN (SUBSCRIBED)`), `\Subscribed`, `"Old"`)

		b.ok("DELETE Old")
		c := e.login()
		mustHave(t, c.ok(`LSUB "" "O*"`), `\Noselect`, `"Old"`)
		c.ok("UNSUBSCRIBE Old")
		if has(c.ok(`LSUB "" "*"`), `"Old"`) {
			t.Fatal("Old still listed after UNSUBSCRIBE")
		}
		c.ok("SUBSCRIBE Projects")
		mustHave(t, e.login().ok(`LSUB "" "P*"`), `"Projects"`)
	})
}
