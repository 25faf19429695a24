package imap_test

import (
	"context"
	"encoding/base64"
	"net"
	"strings"
	"testing"
)

func TestLogin(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.dial()
		caps := c.ok("CAPABILITY")
		mustHave(t, caps, "IMAP4rev1", "AUTH=PLAIN")
		c.expect("NO [AUTHENTICATIONFAILED]", "LOGIN %s wrong-passcode", userEmail)
		c.expect("NO [AUTHENTICATIONFAILED]", "LOGIN nobody@example.com %s", e.pass)
		// The account password is refused while only... it is allowed here (no 2FA): not asserted.
		c.expect("BAD", "SELECT INBOX") // not authenticated yet
		c.ok("LOGIN %s %s", userEmail, e.pass)
		c.expect("BAD", "LOGIN %s %s", userEmail, e.pass) // wrong state
		caps = c.ok("CAPABILITY")
		mustHave(t, caps, "IDLE", "MOVE", "UIDPLUS", "NAMESPACE", "SPECIAL-USE", "LITERAL+")
		c.expect("BAD", "FROBNICATE")
		c.ok("LOGOUT")

		// AUTHENTICATE PLAIN with an initial response (SASL-IR).
		c2 := e.dial()
		ir := base64.StdEncoding.EncodeToString([]byte("\x00" + userEmail + "\x00" + e.pass))
		c2.ok("AUTHENTICATE PLAIN %s", ir)
		c2.ok("SELECT INBOX")
		bad := base64.StdEncoding.EncodeToString([]byte("\x00" + userEmail + "\x00nope"))
		c3 := e.dial()
		c3.expect("NO [AUTHENTICATIONFAILED]", "AUTHENTICATE PLAIN %s", bad)
	})
}

// Failures past the throttle's free attempts answer NO [UNAVAILABLE], not the usual text.
func TestLoginThrottled(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.dial()
		var last string
		for i := 0; i < 8; i++ {
			_, last = c.cmd("LOGIN %s wrong-%d", userEmail, i)
		}
		if !strings.HasPrefix(last, "NO [UNAVAILABLE]") {
			t.Fatalf("after 8 failures: %s", last)
		}
	})
}

// Without TLS, a client that may not log in in plaintext sees LOGINDISABLED and is refused.
func TestLoginNeedsTLS(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.dial()
		caps := c.ok("CAPABILITY")
		mustHave(t, caps, "LOGINDISABLED")
		if has(caps, "AUTH=PLAIN") {
			t.Fatalf("AUTH=PLAIN offered without TLS: %q", caps)
		}
		c.expect("NO [PRIVACYREQUIRED]", "LOGIN %s %s", userEmail, e.pass)
	}, envOpts{noPlaintext: true})
}

// A deleted application passcode: the next command is refused and the connection closed.
func TestCredentialDeletedEndsSession(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login()
		c.ok("SELECT INBOX")
		if err := e.app.Credentials.Delete(context.Background(), e.acct, e.credID, "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		c.send("t9 NOOP")
		if rest := c.readAll(); !strings.Contains(rest, "* BYE") || strings.Contains(rest, "t9 OK") {
			t.Fatalf("after delete, NOOP got %q", rest)
		}
		c2 := e.dial()
		c2.expect("NO [AUTHENTICATIONFAILED]", "LOGIN %s %s", userEmail, e.pass)
	})
}

// With plaintext allowed on loopback only, a client on another address still sees
// LOGINDISABLED (the server is reached here through a non-loopback address of this host).
func TestPlaintextOnlyOnLoopback(t *testing.T) {
	var ip net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ip = n.IP
			break
		}
	}
	if ip == nil {
		t.Skip("this host has no non-loopback IPv4 address")
	}
	each(t, func(t *testing.T, e *env) {
		ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
		if err != nil {
			t.Skip(err)
		}
		go e.srv.Serve(ln)
		loop := e.dial()
		mustHave(t, loop.ok("CAPABILITY"), "AUTH=PLAIN")
		e.addr = ln.Addr().String()
		c := e.dial()
		mustHave(t, c.ok("CAPABILITY"), "LOGINDISABLED")
		c.expect("NO [PRIVACYREQUIRED]", "LOGIN %s %s", userEmail, e.pass)
	})
}
