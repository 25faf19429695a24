package imap_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
)

// The front keeps IMAP's framing: synchronising literals wait for "+" (the front's own for a
// command it reads whole, go-imap's for APPEND), LITERAL+ ones do not, pipelined commands are
// answered in order, and a literal refused before "+" does not swallow the next command.
func TestFrontLiterals(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login()
		// SELECT with its name in a synchronising literal, then the CONDSTORE parameter.
		c.send("s1 SELECT {5}")
		if l := c.line(); !strings.HasPrefix(l, "+") {
			t.Fatalf("no continuation for a synchronising literal: %q", l)
		}
		c.send("INBOX (CONDSTORE)")
		u, st := c.until("s1")
		if !strings.HasPrefix(st, "OK [READ-WRITE]") || !has(u, "[HIGHESTMODSEQ ") {
			t.Fatalf("SELECT {5}: %q %s", u, st)
		}
		// APPEND with LITERAL+ and a synchronising one, pipelined with a STATUS.
		msg := "Subject: lit\r\n\r\nbody\r\n"
		c.send(fmt.Sprintf("a1 APPEND INBOX {%d+}\r\n%s\r\na2 STATUS {5+}\r\nINBOX (MESSAGES HIGHESTMODSEQ)", len(msg), msg))
		if _, st := c.until("a1"); !strings.Contains(st, "APPENDUID") {
			t.Fatalf("APPEND LITERAL+: %s", st)
		}
		u, _ = c.until("a2")
		mustHave(t, u, "* STATUS INBOX (MESSAGES 1 HIGHESTMODSEQ ")
		c.send(fmt.Sprintf("a3 APPEND INBOX (\\Seen) {%d}", len(msg)))
		if l := c.line(); !strings.HasPrefix(l, "+") {
			t.Fatalf("APPEND: no continuation: %q", l)
		}
		c.send(msg)
		if _, st := c.until("a3"); !strings.HasPrefix(st, "OK") {
			t.Fatalf("APPEND sync: %s", st)
		}
		// A literal refused instead of "+": the next line is a command again.
		c.send("a4 APPEND INBOX {999999999999}")
		if _, st := c.until("a4"); !strings.HasPrefix(st, "NO") && !strings.HasPrefix(st, "BAD") {
			t.Fatalf("huge APPEND: %s", st)
		}
		mustHave(t, c.ok("ID NIL"), "* ID")
		c.send("a5 FETCH 1 (MODSEQ BODY.PEEK[HEADER.FIELDS ({7}")
		if l := c.line(); !strings.HasPrefix(l, "+") {
			t.Fatalf("FETCH literal: %q", l)
		}
		c.send("SUBJECT)] FLAGS)")
		u, st = c.until("a5")
		if !strings.HasPrefix(st, "OK") || !has(u, "Subject: lit", "MODSEQ (", "FLAGS (") {
			t.Fatalf("FETCH with a literal: %q %s", u, st)
		}
		c.send("a6 SELECT {5000}")
		if _, st := c.until("a6"); !strings.HasPrefix(st, "NO [TOOBIG]") {
			t.Fatalf("large literal in SELECT: %s", st)
		}
		c.ok("NOOP")
	})
}

// Literal data in FETCH output passes as it is, even when it holds what looks like a response
// line the front would rewrite, binary bytes included; MODSEQ goes first in the response.
func TestFrontFetchLiteral(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		body := "* 1 FETCH (FLAGS ())\r\n* CAPABILITY IMAP4rev1\r\nA1 OK [HIGHESTMODSEQ 1] x {3}\r\n\x00\x01\xfe\xff\r\n"
		raw := "From: a@example.org\r\nTo: " + userEmail + "\r\nSubject: bin\r\nContent-Type: application/octet-stream\r\n\r\n" + body
		if _, err := e.app.Mailbox.Deliver(context.Background(), e.acct.ID, []byte(raw)); err != nil {
			t.Fatal(err)
		}
		c := e.login()
		c.ok("ENABLE CONDSTORE")
		c.ok("SELECT INBOX")
		c.n++
		tag := fmt.Sprintf("t%d", c.n)
		c.send(tag + " FETCH 1 (MODSEQ BODY.PEEK[TEXT] UID)")
		head, err := c.r.ReadString('\n')
		if err != nil || !strings.HasPrefix(head, "* 1 FETCH (MODSEQ (") || !strings.Contains(head, " UID 1 ") || !strings.HasSuffix(head, fmt.Sprintf("{%d}\r\n", len(body))) {
			t.Fatalf("FETCH head %q, %v", head, err)
		}
		got := make([]byte, len(body))
		if _, err := io.ReadFull(c.r, got); err != nil || string(got) != body {
			t.Fatalf("literal %q, want %q (%v)", got, body, err)
		}
		if rest := c.line(); rest != ")" {
			t.Fatalf("after the literal: %q", rest)
		}
		if _, st := c.until(tag); !strings.HasPrefix(st, "OK") {
			t.Fatal(st)
		}
	})
}

// Before TLS, without the loopback setting: LOGINDISABLED, LOGIN (a literal one too) and
// AUTHENTICATE refused, STARTTLS offered; plaintext pipelined after STARTTLS is dropped, not
// run inside TLS; after TLS login works and STARTTLS is no longer offered.
func TestFrontStartTLS(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cfg := selfSigned(t)
		srv := e.app.NewIMAPServer(cfg)
		t.Cleanup(func() { srv.Close() })
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		go srv.Serve(ln)
		e.addr = ln.Addr().String()

		c := e.dial()
		caps := c.ok("CAPABILITY")
		mustHave(t, caps, "STARTTLS", "LOGINDISABLED", "CONDSTORE", "ID")
		if has(caps, "AUTH=") {
			t.Fatalf("AUTH= before TLS: %q", caps)
		}
		c.expect("NO [PRIVACYREQUIRED]", "LOGIN %s %s", userEmail, e.pass)
		c.send("l2 LOGIN {16}")
		if _, st := c.until("l2"); !strings.HasPrefix(st, "NO [PRIVACYREQUIRED]") {
			t.Fatalf("literal LOGIN before TLS: %s", st)
		}
		c.expect("NO [PRIVACYREQUIRED]", "AUTHENTICATE PLAIN")
		c.expect("BAD", "STARTTLS now")
		mustHave(t, c.ok("ID NIL"), "* ID")

		c.send("st STARTTLS\r\ninj LOGIN " + userEmail + " " + e.pass)
		if _, st := c.until("st"); !strings.HasPrefix(st, "OK") {
			t.Fatal(st)
		}
		tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			t.Fatal(err)
		}
		c.conn, c.r = tc, bufio.NewReader(tc)
		caps = c.ok("CAPABILITY")
		mustHave(t, caps, "AUTH=PLAIN", "CONDSTORE")
		if has(caps, "STARTTLS") || has(caps, "LOGINDISABLED") {
			t.Fatalf("after TLS: %q", caps)
		}
		c.expect("BAD", "STARTTLS")
		c.expect("BAD", "SELECT INBOX") // the injected LOGIN did not run
		u := c.ok("LOGIN %s %s", userEmail, e.pass)
		_ = u
		c.ok("SELECT INBOX (CONDSTORE)")
		c.expect("BAD", "STARTTLS")
	}, envOpts{noPlaintext: true})
}
