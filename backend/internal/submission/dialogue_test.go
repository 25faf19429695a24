package submission_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/submission"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
)

// TestCapabilitiesAndTLSFirst: in plain text only STARTTLS leads on; AUTH is neither advertised
// nor accepted, MAIL needs a login; after STARTTLS AUTH PLAIN LOGIN is offered.
func TestCapabilitiesAndTLSFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		r := dialRaw(t, e.addr, false)
		caps := r.ehlo()
		for _, want := range []string{"STARTTLS", "SIZE 52428801", "LIMITS RCPTMAX=100", "ENHANCEDSTATUSCODES", "PIPELINING"} {
			if !has(caps, want) {
				t.Errorf("plain EHLO lacks %q: %q", want, caps)
			}
		}
		if has(caps, "AUTH") {
			t.Errorf("AUTH advertised before TLS: %q", caps)
		}
		r.do("AUTH PLAIN "+plain("alice@example.com", e.passcode["alice@example.com"]), 530, "5.7.0 Must issue a STARTTLS command first")
		r.do("AUTH LOGIN", 530, "5.7.0 Must issue a STARTTLS command first")
		r.do("MAIL FROM:<alice@example.com>", 530, "5.7.0 Authentication required")
		r.startTLS()
		caps = r.ehlo()
		if !has(caps, "AUTH PLAIN LOGIN") || has(caps, "STARTTLS") {
			t.Errorf("EHLO after STARTTLS: %q, want AUTH PLAIN LOGIN and no STARTTLS", caps)
		}
		r.do("MAIL FROM:<alice@example.com>", 530, "5.7.0 Authentication required")
		r.do("AUTH PLAIN "+plain("alice@example.com", "WRONG-PASS-CODE0-0000"), 535, "5.7.8 Authentication credentials invalid")

		// Implicit TLS: AUTH at once, no STARTTLS.
		r = dialRaw(t, e.tlsAddr, true)
		caps = r.ehlo()
		if !has(caps, "AUTH PLAIN LOGIN") || has(caps, "STARTTLS") {
			t.Errorf("EHLO on implicit TLS: %q", caps)
		}
		r.do("AUTH LOGIN", 334, "VXNlcm5hbWU6") // "Username:"
		r.do(b64("Alice@Example.com"), 334, "UGFzc3dvcmQ6")
		r.do(b64(e.passcode["alice@example.com"]), 235, "")
		if code, msg := r.send("alice@example.com", []string{"bob@example.com"}, message("Implicit", "over 465")); code != 250 {
			t.Fatalf("send over implicit TLS: %d %s", code, msg)
		}
		if got := e.inbox(t, "bob@example.com"); len(got) != 1 || got[0].Subject != "Implicit" {
			t.Fatalf("bob's inbox = %+v", got)
		}
	})
}

// TestPlaintextLoopback: with the setting on, a loopback client may log in without TLS.
func TestPlaintextLoopback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{PlaintextLoopback: true}, "")
		r := dialRaw(t, e.addr, false)
		if caps := r.ehlo(); !has(caps, "AUTH PLAIN LOGIN") {
			t.Fatalf("loopback EHLO lacks AUTH: %q", caps)
		}
		r.do("AUTH PLAIN "+plain("alice@example.com", e.passcode["alice@example.com"]), 235, "")
	})
}

// TestWrongCredentials: an EAS password, a typo, another's passcode, an authorization identity
// that is not the user: all the same 535.
func TestWrongCredentials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		for name, resp := range map[string]string{
			"EAS password":    plain("alice@example.com", e.easPass),
			"bob's passcode":  plain("alice@example.com", e.passcode["bob@example.com"]),
			"other authz id":  b64("bob@example.com\x00alice@example.com\x00" + e.passcode["alice@example.com"]),
			"unknown account": plain("nobody@example.com", e.passcode["alice@example.com"]),
		} {
			r := dialRaw(t, e.tlsAddr, true)
			r.ehlo()
			if msg := r.do("AUTH PLAIN "+resp, 535, "5.7.8"); strings.Contains(msg, "nobody") {
				t.Errorf("%s: reply names the account: %q", name, msg)
			}
		}
		r := dialRaw(t, e.tlsAddr, true)
		r.ehlo()
		r.do("AUTH PLAIN !!!notbase64", 454, "") // go-smtp's own reply to bad base64
		r.do("AUTH PLAIN "+b64("no-nul-separators"), 501, "5.5.2")
		r.do("AUTH PLAIN "+plain("alice@example.com", e.passcode["alice@example.com"]), 235, "")

		// authn audited alice's two failures (the EAS password, bob's passcode; the foreign
		// authorization identity never reached it) and the login, as the smtp door, with the
		// client's address.
		for action, want := range map[string]int{audit.ActionLoginFailed: 2, audit.ActionCredentialUsed: 1} {
			events, err := st.ListAudit(context.Background(), store.AuditFilter{Account: "alice@example.com", Action: action})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, ev := range events {
				if strings.HasPrefix(ev.Reason, "smtp: ") && ev.ClientIP == "127.0.0.1" {
					n++
				}
			}
			if n != want {
				t.Errorf("%s: %d smtp events from 127.0.0.1 (of %d), want %d", action, n, len(events), want)
			}
		}
	})
}

// TestNoSpoofing: the envelope sender and the From and Sender headers must be the account's.
func TestNoSpoofing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		r := e.login(t, "alice@example.com")
		r.do("MAIL FROM:<bob@example.com>", 553, "5.7.1 Sender address <bob@example.com> is not yours")
		r.do("MAIL FROM:<>", 553, "5.7.1")
		for name, msg := range map[string]string{
			"From bob":        strings.Replace(message("Spoof", "x"), "alice@example.com", "bob@example.com", 1),
			"two From":        strings.Replace(message("Spoof", "x"), "<alice@example.com>", "<alice@example.com>, bob@example.com", 1),
			"Sender bob":      message("Spoof", "x", "Sender: bob@example.com"),
			"no From":         "Subject: none\r\n\r\nbody\r\n",
			"From unparsable": "From: <<<\r\nSubject: x\r\n\r\nbody\r\n",
		} {
			code, text := r.send("ALICE@example.COM", []string{"bob@example.com"}, msg)
			if code != 550 || !strings.HasPrefix(text, "5.7.1 ") {
				t.Errorf("%s: %d %s, want 550 5.7.1", name, code, text)
			}
		}
		if got := e.inbox(t, "bob@example.com"); len(got) != 0 {
			t.Fatalf("%d spoofed messages delivered", len(got))
		}
		// The same, honest, goes through; case does not matter, a missing Date is added.
		honest := "From: Alice <ALICE@example.com>\r\nSender: alice@EXAMPLE.com\r\nTo: bob@example.com\r\nSubject: Honest\r\n\r\nhi\r\n"
		if code, text := r.send("Alice@Example.com", []string{"bob@example.com"}, honest); code != 250 {
			t.Fatalf("honest message: %d %s", code, text)
		}
		got := e.inbox(t, "bob@example.com")
		if len(got) != 1 || got[0].Subject != "Honest" || !strings.Contains(string(got[0].MIME), "\r\nDate: ") && !strings.HasPrefix(string(got[0].MIME), "Date: ") {
			t.Fatalf("bob's inbox = %d items; MIME %q", len(got), firstMIME(got))
		}
	})
}

func firstMIME(items []store.Item) string {
	if len(items) == 0 {
		return ""
	}
	return string(items[0].MIME)
}

// TestRecipients: without a relay only accounts here; a bad address is 553; the recipient limit.
func TestRecipients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{MaxRecipients: 2}, "")
		r := e.login(t, "alice@example.com")
		r.do("RCPT TO:<bob@example.com>", 502, "5.5.1") // go-smtp: MAIL first
		r.do("MAIL FROM:<alice@example.com>", 250, "")
		r.do("RCPT TO:<nobody@example.com>", 550, "5.1.1")
		r.do("RCPT TO:<someone@elsewhere.org>", 550, "5.1.1")
		r.do("RCPT TO:<x@localhost>", 553, "5.1.3")
		r.do("RCPT TO:<Bob@Example.com>", 250, "")
		r.do("RCPT TO:<carol@example.com>", 250, "")
		r.do("RCPT TO:<alice@example.com>", 452, "4.5.3")
		r.do("RSET", 250, "")
		r.do("DATA", 502, "") // no transaction after RSET
	})
}

// TestBccDelivered: the envelope decides who gets the message; nobody sees the Bcc header, and
// Sent gets no copy by default (desktop clients APPEND their own).
func TestBccDelivered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		r := e.login(t, "alice@example.com")
		msg := message("Blind", "bcc-body-marker", "To: bob@example.com", "Bcc: carol@example.com")
		if code, text := r.send("alice@example.com", []string{"bob@example.com", "carol@example.com"}, msg); code != 250 {
			t.Fatalf("send: %d %s", code, text)
		}
		for _, who := range []string{"bob@example.com", "carol@example.com"} {
			got := e.inbox(t, who)
			if len(got) != 1 || got[0].Subject != "Blind" || !strings.Contains(string(got[0].MIME), "bcc-body-marker") {
				t.Fatalf("%s inbox = %d items", who, len(got))
			}
			if strings.Contains(strings.ToLower(string(got[0].MIME)), "bcc:") || strings.Contains(string(got[0].MIME), "carol@") {
				t.Errorf("%s sees the Bcc:\n%s", who, got[0].MIME)
			}
		}
		if sent := e.folder(t, "alice@example.com", mailbox.TypeSentItems); len(sent) != 0 {
			t.Errorf("%d items in Sent without SaveSent", len(sent))
		}
		// Recipients only in the envelope (a client that already removed Bcc) get it too.
		msg = message("Envelope only", "x", "To: bob@example.com")
		if code, text := r.send("alice@example.com", []string{"carol@example.com"}, msg); code != 250 {
			t.Fatalf("send: %d %s", code, text)
		}
		if b, c := len(e.inbox(t, "bob@example.com")), len(e.inbox(t, "carol@example.com")); b != 1 || c != 2 {
			t.Errorf("bob has %d, carol %d; want 1 and 2: the envelope, not To, decides", b, c)
		}
	})
}

// TestSaveSent: with the setting, one copy in Sent, without the Bcc header.
func TestSaveSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{SaveSent: true}, "")
		r := e.login(t, "alice@example.com")
		msg := message("Kept", "x", "To: bob@example.com", "Bcc: carol@example.com")
		if code, text := r.send("alice@example.com", []string{"bob@example.com", "carol@example.com"}, msg); code != 250 {
			t.Fatalf("send: %d %s", code, text)
		}
		sent := e.folder(t, "alice@example.com", mailbox.TypeSentItems)
		if len(sent) != 1 || sent[0].Subject != "Kept" || strings.Contains(string(sent[0].MIME), "carol@") {
			t.Fatalf("Sent = %d items", len(sent))
		}
	})
}

// TestThrottled: past the free failures even the right passcode gets a temporary 454, not 535.
func TestThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "", throttle.Policy{Free: 2, Base: time.Minute, Max: time.Hour, Window: time.Hour})
		for range 2 {
			r := dialRaw(t, e.tlsAddr, true)
			r.ehlo()
			r.do("AUTH PLAIN "+plain("alice@example.com", "WRONG-PASS-CODE0-0000"), 535, "5.7.8")
		}
		r := dialRaw(t, e.tlsAddr, true)
		r.ehlo()
		r.do("AUTH PLAIN "+plain("alice@example.com", e.passcode["alice@example.com"]), 454, "4.7.0")
	})
}
