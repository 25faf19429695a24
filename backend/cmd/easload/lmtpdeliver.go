package main

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
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
// delivers one message to one recipient per transaction.
type lmtpClient struct {
	c *smtp.Client
}

func lmtpSession(addr string) (*lmtpClient, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("lmtp: %w", err)
	}
	c := smtp.NewClientLMTP(conn)
	if err := c.Hello("easload.localhost"); err != nil {
		c.Close()
		return nil, fmt.Errorf("lmtp LHLO: %w", err)
	}
	return &lmtpClient{c: c}, nil
}

func (l *lmtpClient) deliver(to string, msg []byte) error {
	if !strings.Contains(to, "@") {
		return fmt.Errorf("lmtp: recipient %q is not an address", to)
	}
	if err := l.c.Mail("load@example.org", nil); err != nil {
		return fmt.Errorf("lmtp MAIL: %w", err)
	}
	if err := l.c.Rcpt(to, nil); err != nil {
		return fmt.Errorf("lmtp RCPT %s: %w", to, err)
	}
	w, err := l.c.Data()
	if err != nil {
		return fmt.Errorf("lmtp DATA: %w", err)
	}
	if _, err := w.Write(bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))); err != nil {
		return err
	}
	if err := w.Close(); err != nil { // the recipient's own reply: delivered and committed
		return fmt.Errorf("lmtp delivery to %s: %w", to, err)
	}
	return nil
}
