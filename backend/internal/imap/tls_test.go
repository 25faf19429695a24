package imap_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

func selfSigned(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
}

// STARTTLS on the plain door and implicit TLS on the other: login is refused before TLS
// (LOGINDISABLED) and works after it.
func TestTLS(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cfg := selfSigned(t)
		srv := e.app.NewIMAPServer(cfg)
		t.Cleanup(func() { srv.Close() })
		plain, _ := net.Listen("tcp", "127.0.0.1:0")
		implicit, _ := net.Listen("tcp", "127.0.0.1:0")
		go srv.Serve(plain)
		go srv.Serve(tls.NewListener(implicit, cfg))

		e.addr = plain.Addr().String()
		c := e.dial()
		caps := c.ok("CAPABILITY")
		mustHave(t, caps, "STARTTLS", "LOGINDISABLED")
		c.expect("NO [PRIVACYREQUIRED]", "LOGIN %s %s", userEmail, e.pass)
		c.ok("STARTTLS")
		tc := tls.Client(c.conn, &tls.Config{InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			t.Fatal(err)
		}
		c.conn, c.r = tc, bufio.NewReader(tc)
		mustHave(t, c.ok("CAPABILITY"), "AUTH=PLAIN")
		c.ok("LOGIN %s %s", userEmail, e.pass)
		c.ok("SELECT INBOX")

		tc2, err := tls.Dial("tcp", implicit.Addr().String(), &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer tc2.Close()
		c2 := &client{t: t, conn: tc2, r: bufio.NewReader(tc2)}
		if g := c2.line(); !strings.HasPrefix(g, "* OK") {
			t.Fatalf("IMAPS greeting %q", g)
		}
		c2.ok("LOGIN %s %s", userEmail, e.pass)
		if v := tc2.ConnectionState().Version; v < tls.VersionTLS12 {
			t.Fatalf("TLS version %x", v)
		}
	}, envOpts{noPlaintext: true})
}

// The App's wiring: OpenDoors opens the imap door (STARTTLS) and the imaps door (implicit TLS)
// from the configuration, and their close function ends held IDLE sessions at once.
func TestDoors(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.app.Config.IMAPListen, e.app.Config.IMAPSListen = "127.0.0.1:0", "127.0.0.1:0"
		doors, closeAll, err := e.app.OpenDoors(selfSigned(t))
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]string{}
		for _, d := range doors {
			byName[d.Name] = d.Addr
		}
		if byName["imap"] == "" || byName["imaps"] == "" {
			t.Fatalf("doors = %+v", doors)
		}
		e.addr = byName["imap"]
		c := e.dial()
		mustHave(t, c.ok("CAPABILITY"), "STARTTLS")
		c.ok("LOGIN %s %s", userEmail, e.pass) // loopback, plaintext allowed
		c.idle()
		tc, err := tls.Dial("tcp", byName["imaps"], &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer tc.Close()
		if g, _ := bufio.NewReader(tc).ReadString('\n'); !strings.HasPrefix(g, "* OK") {
			t.Fatalf("imaps greeting %q", g)
		}
		start := time.Now()
		closeAll()
		c.readAll()
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("closing the doors took %v with an IDLE held", d)
		}
	})
}
