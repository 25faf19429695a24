package imap

import (
	"bufio"
	"crypto/tls"
	"strings"
	"time"
)

// loginAllowed says whether LOGIN and AUTHENTICATE may run now.
func (f *front) loginAllowed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tlsOn || f.plainOK
}

// startTLS answers STARTTLS itself: go-imap would wrap its own conn, under the front.
// Plaintext the client sent after STARTTLS is dropped (RFC 3501 6.2.1, no injection).
func (f *front) startTLS(tag string, line []byte) error {
	f.mu.Lock()
	on, authed := f.tlsOn, f.authed
	f.mu.Unlock()
	switch {
	case len(strings.Fields(string(line))) != 2:
		return f.reply(tag + " BAD STARTTLS takes no arguments")
	case f.tlsCfg == nil:
		return f.reply(tag + " NO STARTTLS is not available")
	case on || authed:
		return f.reply(tag + " BAD STARTTLS is not available now")
	}
	if err := f.reply(tag + " OK Begin TLS negotiation now"); err != nil {
		return err
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.mu.Lock()
	tc := tls.Server(f.sock, f.tlsCfg)
	f.sock, f.tlsOn = tc, true
	f.mu.Unlock()
	tc.SetDeadline(time.Now().Add(30 * time.Second))
	if err := tc.Handshake(); err != nil {
		return err
	}
	tc.SetDeadline(time.Time{})
	f.br = bufio.NewReaderSize(tc, 1024)
	return nil
}
