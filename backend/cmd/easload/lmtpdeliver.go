package main

import (
	"bytes"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"time"
)

// deliverer hands a message to Tessera for one account: through the admin API (adminClient)
// or over LMTP, the way mail reaches Tessera from the MTA in a deployment (lmtpClient).
type deliverer interface {
	deliver(to string, msg []byte) error
}

// deliverers opens one deliverer per instance: LMTP when lmtp names the instances' LMTP
// addresses (one per URL, in the same order), else an admin session per URL.
func deliverers(urls, lmtp []string, admin, pass string) ([]deliverer, error) {
	if len(lmtp) > 0 && len(lmtp) != len(urls) {
		return nil, fmt.Errorf("--lmtp: one address per --url")
	}
	out := make([]deliverer, len(urls))
	for k, u := range urls {
		var err error
		if len(lmtp) > 0 {
			out[k], err = lmtpSession(lmtp[k])
		} else {
			out[k], err = adminSession(u, admin, pass)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// lmtpClient keeps one LMTP connection, as an MTA keeps its connection to the mail store, and
// delivers one message to one recipient per transaction. It pipelines MAIL, RCPT and DATA
// (RFC 2920: Tessera's LMTP door announces PIPELINING, and an MTA such as Postfix then sends
// them together), so a delivery is two exchanges with the server, not four.
type lmtpClient struct {
	c *textproto.Conn
}

func lmtpSession(addr string) (*lmtpClient, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("lmtp: %w", err)
	}
	c := textproto.NewConn(conn)
	if _, _, err := c.ReadResponse(220); err != nil {
		c.Close()
		return nil, fmt.Errorf("lmtp greeting: %w", err)
	}
	if err := c.PrintfLine("LHLO easload.localhost"); err != nil {
		c.Close()
		return nil, fmt.Errorf("lmtp LHLO: %w", err)
	}
	_, ext, err := c.ReadResponse(250)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("lmtp LHLO: %w", err)
	}
	if !strings.Contains(strings.ToUpper(ext), "PIPELINING") {
		c.Close()
		return nil, fmt.Errorf("lmtp: the server does not announce PIPELINING")
	}
	return &lmtpClient{c: c}, nil
}

func (l *lmtpClient) deliver(to string, msg []byte) error {
	if !strings.Contains(to, "@") || strings.ContainsAny(to, "<>\r\n") {
		return fmt.Errorf("lmtp: recipient %q is not an address", to)
	}
	fmt.Fprintf(l.c.W, "MAIL FROM:<load@example.org>\r\nRCPT TO:<%s>\r\nDATA\r\n", to)
	if err := l.c.W.Flush(); err != nil {
		return fmt.Errorf("lmtp: %w", err)
	}
	// Every reply is read before one is judged, so the connection stays in step.
	var first error
	for _, step := range []struct {
		cmd  string
		code int
	}{{"MAIL", 250}, {"RCPT " + to, 250}, {"DATA", 354}} {
		if _, _, err := l.c.ReadResponse(step.code); err != nil && first == nil {
			first = fmt.Errorf("lmtp %s: %w", step.cmd, err)
		}
	}
	if first != nil {
		return first
	}
	w := l.c.DotWriter()
	if _, err := w.Write(bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if _, _, err := l.c.ReadResponse(250); err != nil { // the recipient's own reply: delivered and committed
		return fmt.Errorf("lmtp delivery to %s: %w", to, err)
	}
	return nil
}
