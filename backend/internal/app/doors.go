package app

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
)

// MailServer is a mail protocol server (IMAP, POP3, submission) that tessera serve runs on
// one or more listeners. Serve returns when Close is called (with any error; the caller
// ignores errors after Close).
type MailServer interface {
	Serve(ln net.Listener) error
	Close() error
}

// Door is one configured mail listener: a protocol server on an address, with implicit TLS
// (RFC 8314) or with STARTTLS offered by the server itself.
type Door struct {
	Name        string // imap, imaps, submission, submissions, pop3, pop3s
	Addr        string // from the configuration; "" is off
	ImplicitTLS bool
	Server      MailServer
}

// doors lists every mail door this configuration turns on. Each protocol adds its own
// (door_imap.go, door_pop3.go, door_submission.go); tlsCfg serves STARTTLS and implicit TLS.
func (a *App) doors(tlsCfg *tls.Config) []Door {
	var out []Door
	for _, d := range append(append(a.imapDoors(tlsCfg), a.pop3Doors(tlsCfg)...), a.submissionDoors(tlsCfg)...) {
		if d.Addr != "" && d.Server != nil {
			out = append(out, d)
		}
	}
	return out
}

// OpenDoors listens on every configured mail door and serves it in the background. The
// returned close function stops them all. A door that cannot listen closes the others and
// fails the start, naming the door: a half-started server would hide the mistake.
func (a *App) OpenDoors(tlsCfg *tls.Config) (opened []Door, closeAll func(), err error) {
	var lns []net.Listener
	closeAll = func() {
		for _, d := range opened {
			d.Server.Close()
		}
		for _, ln := range lns {
			ln.Close()
		}
	}
	for _, d := range a.doors(tlsCfg) {
		ln, err := net.Listen("tcp", d.Addr)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s listen on %s: %w", d.Name, d.Addr, err)
		}
		if d.ImplicitTLS {
			if tlsCfg == nil {
				ln.Close()
				closeAll()
				return nil, nil, errors.New(d.Name + ": implicit TLS needs a certificate")
			}
			ln = tls.NewListener(ln, tlsCfg)
		}
		lns = append(lns, ln)
		d.Addr = ln.Addr().String()
		opened = append(opened, d)
		go func(d Door, ln net.Listener) {
			if err := d.Server.Serve(ln); err != nil && !errors.Is(err, net.ErrClosed) {
				a.Log.Debug("mail door stopped", "door", d.Name, "err", err)
			}
		}(d, ln)
	}
	return opened, closeAll, nil
}
