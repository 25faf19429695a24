package pop3_test

import (
	"encoding/base64"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func plain(authz, user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(authz + "\x00" + user + "\x00" + pass))
}

func capa(c *client) []string {
	c.t.Helper()
	c.ok("CAPA")
	return c.multi()
}

// Without TLS (and without the loopback setting) no secret is taken and CAPA offers no login;
// after STLS it does, and STLS is no longer offered.
func TestCapaAndPlaintextRefusedBeforeTLS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		c := dial(t, e.addr)
		caps := capa(c)
		for _, want := range []string{"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "STLS"} {
			if !slices.Contains(caps, want) {
				t.Errorf("CAPA before TLS lacks %s: %q", want, caps)
			}
		}
		if slices.Contains(caps, "USER") || slices.Contains(caps, "SASL PLAIN") {
			t.Errorf("CAPA before TLS offers a login: %q", caps)
		}
		for _, line := range []string{"USER " + userEmail, "PASS " + e.passcode, "AUTH PLAIN " + plain("", userEmail, e.passcode)} {
			if r := c.cmd(line); !strings.HasPrefix(r, "-ERR") || !strings.Contains(r, "STLS") {
				t.Errorf("%s before TLS: %q", strings.Fields(line)[0], r)
			}
		}
		if r := c.cmd("STAT"); !strings.HasPrefix(r, "-ERR") {
			t.Errorf("STAT before login: %q", r)
		}
		c.stls(e.clientTLS)
		caps = capa(c)
		if !slices.Contains(caps, "USER") || !slices.Contains(caps, "SASL PLAIN") || slices.Contains(caps, "STLS") {
			t.Errorf("CAPA after STLS: %q", caps)
		}
		if r := c.cmd("STLS"); !strings.HasPrefix(r, "-ERR") {
			t.Errorf("second STLS: %q", r)
		}
		c.ok("USER " + userEmail)
		if r := c.ok("PASS " + e.passcode); !strings.Contains(r, "0 messages") {
			t.Errorf("PASS: %q", r)
		}
	})
}

// On loopback with the setting, a login works without TLS.
func TestPlaintextLoopbackSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{PlaintextLoopback: true})
		c := dial(t, e.addr)
		if caps := capa(c); !slices.Contains(caps, "USER") || !slices.Contains(caps, "STLS") {
			t.Errorf("CAPA on loopback with the setting: %q", caps)
		}
		c.ok("USER " + userEmail)
		c.ok("PASS " + e.passcode)
		c.ok("STAT")
	})
}

// The matrix: an application passcode opens POP3, an EAS password does not, the account
// password only while 2FA is off; every refusal reads the same.
func TestWhoGetsIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		cases := []struct {
			name, user, secret string
			ok                 bool
		}{
			{"app passcode", userEmail, e.passcode, true},
			{"app passcode, user in capitals", strings.ToUpper(userEmail), e.passcode, true},
			{"account password, 2FA off", userEmail, userPass, true},
			{"EAS password", userEmail, e.easPass, false},
			{"account password, 2FA on", twoFAEmail, twoFAPass, false},
			{"wrong passcode", userEmail, "AAAA-BBBB-CCCC-DDDD", false},
			{"no such account", "nobody@example.com", e.passcode, false},
		}
		for _, tc := range cases {
			for _, how := range []string{"USER/PASS", "AUTH PLAIN", "AUTH PLAIN continued"} {
				c := e.dialTLS(t)
				var r string
				switch how {
				case "USER/PASS":
					c.ok("USER " + tc.user)
					r = c.cmd("PASS " + tc.secret)
				case "AUTH PLAIN":
					r = c.cmd("AUTH PLAIN " + plain("", tc.user, tc.secret))
				default:
					if r := c.cmd("AUTH PLAIN"); r != "+ " {
						t.Fatalf("AUTH PLAIN without response: %q", r)
					}
					r = c.cmd(plain(tc.user, tc.user, tc.secret))
				}
				if tc.ok && !strings.HasPrefix(r, "+OK") {
					t.Errorf("%s by %s: %q, want +OK", tc.name, how, r)
				}
				if !tc.ok && r != "-ERR [AUTH] Authentication failed" {
					t.Errorf("%s by %s: %q, want the generic failure", tc.name, how, r)
				}
				c.cmd("QUIT")
			}
		}
	})
}

func TestAuthPlainEdges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		c := e.dialTLS(t)
		if r := c.cmd("AUTH"); r != "+OK" || !slices.Equal(c.multi(), []string{"PLAIN"}) {
			t.Errorf("AUTH without mechanism: %q", r)
		}
		checks := []struct{ line, want string }{
			{"AUTH CRAM-MD5", "-ERR Unsupported"},
			{"AUTH PLAIN !!!notbase64", "-ERR Invalid base64"},
			{"AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("no nul")), "-ERR Malformed"},
			{"AUTH PLAIN " + plain("bob@example.com", userEmail, e.passcode), "-ERR [AUTH] Authentication failed"}, // acting as another
			{"PASS " + e.passcode, "-ERR Send USER first"},
			{"APOP ann x", "-ERR APOP"},
		}
		for _, ch := range checks {
			if r := c.cmd(ch.line); !strings.HasPrefix(r, ch.want) {
				t.Errorf("%s: %q, want %s", ch.line, r, ch.want)
			}
		}
		c2 := e.dialTLS(t)
		c2.cmd("AUTH PLAIN")
		if r := c2.cmd("*"); !strings.HasPrefix(r, "-ERR") {
			t.Errorf("cancelled AUTH: %q", r)
		}
		c2.ok("AUTH PLAIN " + plain(userEmail, userEmail, e.passcode))
		if r := c2.cmd("USER x"); !strings.HasPrefix(r, "-ERR") {
			t.Errorf("USER after login: %q", r)
		}
	})
}

// After the free failures the account's counter throttles: [SYS/TEMP], even for the right
// passcode, until it waited.
func TestThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		var last string
		for range testLimiter + 2 {
			c := e.dialTLS(t)
			last = c.cmd("AUTH PLAIN " + plain("", userEmail, "wrong"))
			c.cmd("QUIT")
		}
		if !strings.HasPrefix(last, "-ERR [SYS/TEMP]") {
			t.Errorf("after %d failures: %q, want [SYS/TEMP]", testLimiter+2, last)
		}
	})
}

// The loopback setting is about loopback clients only: from any other address the login
// still needs TLS.
func TestPlaintextSettingIgnoredOffLoopback(t *testing.T) {
	var ip net.IP
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ip = n.IP
			break
		}
	}
	if ip == nil {
		t.Skip("no non-loopback IPv4 address on this machine")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{PlaintextLoopback: true})
		srv := pop3.New(pop3.Deps{Auth: e.auth, Mailbox: e.mb, Options: pop3.Options{PlaintextLoopback: true}})
		ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
		if err != nil {
			t.Skipf("listen on %s: %v", ip, err)
		}
		go srv.Serve(ln)
		defer srv.Close()
		c := dial(t, ln.Addr().String())
		if slices.Contains(capa(c), "USER") {
			t.Error("CAPA offers USER to a non-loopback client without TLS")
		}
		if r := c.cmd("USER " + userEmail); !strings.HasPrefix(r, "-ERR") {
			t.Errorf("USER from %s without TLS: %q", ip, r)
		}
	})
}
